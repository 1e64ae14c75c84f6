"""A word hyphenated at a line's end in a hard-wrapped record ("Secretary-" / "General",
"sixty-" / "third") prints whole in a mined template and in its slot fillers."""

from __future__ import annotations

from docdiff.corpus.formulae import _LINE_END_HYPHEN, _broken_word

RECORD = "I thank the Secretary-\nGeneral and the sixty-  \n  third session; a dash -\nthen"


def test_a_hyphen_ending_a_line_inside_a_word_joins_it() -> None:
    hyphen = RECORD.index("Secretary-") + len("Secretary-")
    assert _broken_word(RECORD, hyphen, RECORD.index("General"))
    # A dash standing alone at a line's end is no broken word.
    dash = RECORD.index(" -\n") + 2
    assert not _broken_word(RECORD, dash, RECORD.index("then"))
    # Within one line a hyphen is the text's own.
    assert not _broken_word("Secretary- General", len("Secretary-"), len("Secretary- "))


def test_fillers_join_a_word_broken_at_a_line_end() -> None:
    joined = _LINE_END_HYPHEN.sub("-", RECORD)
    assert "Secretary-General" in joined
    assert "sixty-third" in joined
    assert "dash -\nthen" in joined
