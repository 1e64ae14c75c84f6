"""The edition's notes on a document differ by their status word ("Not printed.", "Not
found.", "Not located."): one formula, listed as one entry with its wordings, so each does not
take a rank of its own (`_Wording._one_word_changed`)."""

from __future__ import annotations

from docdiff.model import Formula
from tests._families import listed_under


def test_notes_one_status_word_apart_are_one_formula() -> None:
    ranked = [Formula("Not printed.", 14), Formula("Not found.", 9), Formula("Not located.", 5)]
    assert listed_under(ranked) == {"Not printed.": ["Not found.", "Not located."]}


def test_markings_and_notes_of_other_words_stay_apart() -> None:
    ranked = [Formula("Not printed.", 14), Formula("Begins.", 13), Formula("Dated {date}.", 6)]
    assert listed_under(ranked) == {"Not printed.": [], "Begins.": [], "Dated {date}.": []}
    markings = [Formula("TOP SECRET", 69), Formula("MOST SECRET", 20)]
    assert "MOST SECRET" in listed_under(markings)


def test_a_note_in_the_singular_and_the_plural_is_one_formula() -> None:
    """DFAT volume 7 listed "(extract)" and "(extracts)" as two formulae of 12 documents each
    (`_Wording._inflected`)."""
    ranked = [Formula("(extract)", 12), Formula("(extracts)", 12), Formula("Attachments", 6)]
    ranked += [Formula("Attachment", 5), Formula("Enclosure", 4)]
    assert listed_under(ranked) == {
        "(extract)": ["(extracts)"],
        "Attachments": ["Attachment"],
        "Enclosure": [],
    }
    # A slot makes another formula.
    other = [Formula("Extract {…}", 9), Formula("(extracts)", 8)]
    assert listed_under(other) == {"Extract {…}": [], "(extracts)": []}


def test_a_line_of_the_same_words_in_another_order_is_one_formula() -> None:
    """DFAT volume 2 listed "FOR PRIME MINISTER MOST SECRET" (54 documents) and, 12 ranks
    below, "MOST SECRET FOR PRIME MINISTER" (9) (`_Wording._reordered`)."""
    ranked = [
        Formula("FOR PRIME MINISTER MOST SECRET", 54),
        Formula("MOST SECRET FOR PRIME MINISTER", 9),
    ]
    assert listed_under(ranked)["FOR PRIME MINISTER MOST SECRET"] == [
        "MOST SECRET FOR PRIME MINISTER"
    ]
    # Other words, or a slot, make another formula.
    other = [Formula("Secret and personal", 9), Formula("Personal {…} and secret", 5)]
    assert listed_under(other) == {"Secret and personal": [], "Personal {…} and secret": []}
