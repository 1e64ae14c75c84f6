"""One formula is one entry. The DPRK's General Debate speeches (1991-2024) listed one courtesy
twice: "able stewardship will lead {…}" and "that his able {…} will lead this session to a {…}"
(the second's slot holds "stewardship" and "leadership": each template keeps fixed what the
other's members vary), and "election as President of the General Assembly at its {number}
session" beside "on your election to the presidency of the current session" (the same
congratulation in another phrasing)."""

from __future__ import annotations

from pathlib import Path

from docdiff.corpus.formulae import _Wording, formulae_report
from tests._archives import UN, archive_documents


def _entries_saying(found: list[list[str]], *words: str) -> int:
    return sum(any(all(w in t for w in words) for t in wordings) for wordings in found)


def test_one_courtesy_mined_twice_is_one_entry(shared_dir: Path) -> None:
    years = tuple(f"{y}/PRK_" for y in range(1991, 2025))
    docs = archive_documents(shared_dir, UN, "un_general_debate_corpus/txt/", years)
    assert len(docs) == 34
    found = [[g.template for g in (f, *f.variants)] for f in formulae_report(docs).formulae]
    assert _entries_saying(found, "able", "will lead") == 1, found
    assert _entries_saying(found, "election", "session") == 1, found


def test_wordings_fitted_through_their_slots() -> None:
    def rewords(a: str, b: str) -> bool:
        return _Wording.of(a).rewords(_Wording.of(b))

    assert rewords(
        "that his able {…} will lead this session to a {…}", "able stewardship will lead {…}"
    )
    assert rewords(
        "on your election to the presidency of the current session",
        "election as President of the General Assembly at its {number} session",
    )
    # Different formulae stay apart.
    assert not rewords("I am pleased to {…}", "I am confident that {…}")
    assert not rewords("Memorandum {name}, {date}", "Letter {name}, {date}")
    assert not rewords("I congratulate you, Mr. President, on your election", "Mr. President,")
