"""A passage that opens a sentence in both documents keeps the function word the sentence opens
with, after a line break, a sentence's end or an opening quotation mark, single ones too."""

from __future__ import annotations

import pytest

from docdiff.engine.compare import compare
from docdiff.engine.pieces import opens_sentence
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
