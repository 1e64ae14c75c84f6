"""`split_sentences` (gaps found in bulk) equals searching every gap between tokens."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from docdiff.engine.prepare import split_sentences
from docdiff.text.tokens import Tokens, tokenize

_SENTENCE_END = re.compile(r"[.!?;\u3002\uff01\uff1f]|\n[ \t]*\n|\r\n[ \t]*\r\n")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n|\r\n[ \t]*\r\n")


def _one_gap_at_a_time(text: str, tokens: Tokens) -> tuple[list[tuple[int, int]], list[int]]:
    """The reference: every gap searched with the patterns, one token at a time."""
    units: list[tuple[int, int]] = []
    paragraphs: list[int] = []
    start = paragraph = 0
    n = len(tokens)
    for i in range(1, n + 1):
        gap_break = i < n and _SENTENCE_END.search(text, tokens.ends[i - 1], tokens.starts[i])
        if i == n or gap_break or i - start >= 40:
            if i > start:
                units.append((start, i))
                paragraphs.append(paragraph)
            start = i
            if i < n and _PARAGRAPH_BREAK.search(text, tokens.ends[i - 1], tokens.starts[i]):
                paragraph += 1
    return units, paragraphs


_PIECES = st.sampled_from(
    ["word", "Ab", "u.s.", "x", ".", "!", ";", "?", "\u3002", "\u5b57", " ", "  ", "\t",
     "\n", "\n\n", "\n \n", "\r\n", "\r\n\r\n", "\r\n \r\n", "-", "inter-\nnational", ",", '"']
)  # fmt: skip


@given(st.lists(_PIECES, max_size=400).map("".join))
@example("one two three. four\n\nfive")
@example(" ".join(["w"] * 130) + ".\n\n" + " ".join(["v"] * 41))
@example("a\r\n\r\nb \n\t\n c.d ; e")
@example("one" + " " * 300 + ". two" + "\n" * 2 + " " * 400 + "three" + " -" * 200 + " four")
def test_sentences_equal_the_gap_by_gap_search(text: str) -> None:
    tokens = tokenize(text)
    assert split_sentences(text, tokens) == _one_gap_at_a_time(text, tokens)
