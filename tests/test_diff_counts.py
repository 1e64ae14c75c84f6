"""`docdiff diff` counts a replacement's words as changed only as far as both sides have words:
the rest are inserted or deleted. The China communiqué drafts (DFAT v22 365/374) added a clause
where the old text had a full stop, and the summary said "0 words inserted, 7 deleted, 36
changed". Every word of each side is counted once."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from docdiff.versiondiff import diff_texts


def test_a_clause_in_place_of_a_full_stop_is_inserted() -> None:
    old = "The Government recognises the position of the Chinese Government. It agrees."
    new = (
        "The Government recognises the position of the Chinese Government, and has decided to "
        "remove its official representation from Taiwan by a date. It agrees."
    )
    stats = diff_texts(old, new).stats
    assert stats.inserted >= 12
    assert stats.changed == 0


_WORDS = st.lists(st.sampled_from("alpha beta gamma delta sigma . , ;".split()), max_size=30)


@given(_WORDS, _WORDS)
def test_every_word_of_each_side_is_counted_once(a: list[str], b: list[str]) -> None:
    old, new = " ".join(a), " ".join(b)
    s = diff_texts(old, new).stats
    assert s.unchanged + s.deleted + s.changed + s.moved == s.words_a
    assert s.unchanged + s.inserted + s.changed + s.moved == s.words_b
