"""A passage that opens a sentence in both documents keeps the function word the sentence opens
with, after a line break, a sentence's end or an opening quotation mark, single ones too."""

from __future__ import annotations

import pytest

from docdiff.engine.compare import compare
from docdiff.engine.pieces import closes_sentence, opens_sentence
from docdiff.loaders import load_text
from docdiff.options import Options

QUOTED = (
    "His Majesty's Government in the Commonwealth of Australia are carefully considering the "
    "communication from the Central People's Government in Peking"
)


def _shown(text_a: str, text_b: str) -> list[str]:
    a = load_text(text_a, doc_id="a")
    b = load_text(text_b, doc_id="b")
    (pair,) = compare(a, b, Options(min_words=4)).pairs
    return [a.text[m.a.span.start : m.a.span.end] for m in pair.matches]


def test_a_sentence_quoted_in_single_quotes_keeps_its_first_word() -> None:
    """DFAT volume 14, documents 271 and 276: the message as sent and as quoted in a cable
    ("Following is text of Australian reply to Chou En-lai:\\n\\n'His Majesty's Government
    …'") was shown from "Majesty's Government"."""
    sent = f"Enclosure\n\n{QUOTED}. Meanwhile trade goes on.\n"
    quoted = f"Following is text of the reply to Chou En-lai:\n\n'{QUOTED}'.\n\n2. Copy follows.\n"
    assert _shown(sent, quoted) == [QUOTED]
    # In running text too: "He said: 'His …'" beside "He said that 'His …'".
    assert _shown(f"They replied: '{QUOTED}'.", f"It read as follows. '{QUOTED}'.") == [QUOTED]


def test_a_function_word_inside_a_sentence_is_still_trimmed() -> None:
    tail = "Government in the Commonwealth of Australia are carefully considering the matter"
    shown = _shown(f"It was said that his {tail}.", f"We heard that his {tail}.")
    assert shown == [tail]


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("said: 'His Majesty", "His", True),
        ("'His Majesty", "His", True),
        ("said. \u2018The Council", "The", True),
        ("the O'Neill report", "Neill", False),  # an apostrophe inside a name opens nothing
        ("the Minister' The", "The", False),  # a closing mark after a word
        ("the 'his", "his", False),  # lower case
    ],
)
def test_opens_sentence_after_a_single_quotation_mark(text: str, word: str, expected: bool) -> None:
    assert opens_sentence(text, text.index(word)) is expected


BULLET = "The parser did not close the files it had opened when the input ended early"


def test_a_list_item_keeps_its_first_word() -> None:
    """git's release notes list their fixes as "* The use of strbuf in …"; a fix copied into
    the next release's notes was shown from "use of strbuf", "age old bug" ("An age old bug"),
    since a bullet opened no sentence."""
    a = f"Fixes in the first release\n\n * {BULLET}.\n\n * Nothing else changed here at all.\n"
    b = f"Changes of March\n\n * A typo was fixed.\n\n * {BULLET}.\n"
    assert _shown(a, b) == [BULLET]
    # A list's item in brackets too ("(b) The Government …").
    assert _shown(f"(b) {BULLET}.", f"Then:\n(iv) {BULLET}.") == [BULLET]


def test_a_passage_that_closes_a_sentence_in_both_keeps_its_last_words() -> None:
    """ "… but the code counted poorly and did so." was shown up to "counted poorly": function
    words were trimmed off a passage's end even where they end the sentence in both texts."""
    tail = "When a pack is kept the repacking code counted the packs poorly and did so"
    assert _shown(f"Fixed. {tail}. Other text follows.", f"Also: {tail}.\n\nMore.") == [tail]
    # Not where one text runs on ("… and did so without asking").
    shown = _shown(f"Fixed. {tail}. Other text.", f"Also: {tail} without asking anybody.")
    assert shown == [tail.removesuffix(" and did so")]


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("and did so. Then", "so", True),
        ("and did so.\n\n* Next", "so", True),
        ("as it did so.) The", "so", True),
        ("repeated to him as No. 12", "No", False),  # an abbreviation before its number
        ("to be read as no. 12", "no", False),
        ("that is, i.e. the rest", "i", False),  # a word's inner stop
        ("and did so, then", "so", False),
    ],
)
def test_closes_sentence(text: str, word: str, expected: bool) -> None:
    at = text.index(f" {word}") + 1
    assert closes_sentence(text, at + len(word)) is expected


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("fixes:\n * The use", "The", True),
        ("\n- A helper", "A", True),
        ("\n(b) The Government", "The", True),
        ("\n  2) The Government", "The", True),
        ("a plan (b) The", "The", False),  # a bracket inside a line is no list's marker
        ("see * The", "The", False),
        # A heading's or a quoted block's markup, marks of emphasis (AWS CLI's examples).
        ("\n**To wait until", "To", True),
        ("\n## To do", "To", True),
        ("\n* **The use", "The", True),
        ("\n> The quote", "The", True),
        ("see **To", "To", False),
    ],
)
def test_opens_sentence_after_a_lists_marker(text: str, word: str, expected: bool) -> None:
    assert opens_sentence(text, text.index(word)) is expected


def test_a_passage_closes_the_quotation_it_opened() -> None:
    """'… what we have "ours"' was shown '… in contrast to "ours': a passage closes a double
    quotation mark it opened, as it closes a bracket ("Korea (DPRK)"), straight or curly."""
    said = 'outside code is called "theirs" in the system in contrast to "upstream"'
    assert _shown(f"One part. Yet {said}. Done.", f"Other text. And {said}, it said.") == [said]
    curly = (
        "outside code is called \u201ctheirs\u201d in the system as opposed to \u201cupstream\u201d"
    )
    assert _shown(f"Note. Yet {curly}. End.", f"So. And {curly}, it said.") == [curly]
    # A mark the passage did not open stays out.
    odd = "committee considered the matter at length and adjourned"
    assert _shown(f'"Then {odd}" he wrote.', f'They say {odd}" twice.') == [odd]
