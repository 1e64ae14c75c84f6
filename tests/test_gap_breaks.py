"""Sentence and paragraph breaks found in bulk are those of searching every gap."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from docdiff.engine.prepare import _PARAGRAPH_BREAK, _SENTENCE_END, LONG_GAP, _gap_breaks
from docdiff.text.tokens import Tokens, tokenize, tokens_at

_PARTS = st.sampled_from(
    ["word", "U.S.", "65/1", "Kiribati", "the", ".", "!", "?", ";", ",", "\u3002", "\uff1f",
     "\u5b57\u5b57", "snake_case", " ", "  ", "\t", "\n", "\n\n", "\n \t\n", "\r\n\r\n",
     "\r\n", " " * 300, ". " + " " * 300 + "\n\n", "-", "(", ")", "\u00a0", "e.g."]
)  # fmt: skip


def _by_gap(text: str, tokens: Tokens | None = None) -> tuple[list[int], set[int]]:
    """The definition: every gap between two tokens searched with the patterns."""
    tokens = tokenize(text) if tokens is None else tokens
    ends, paragraphs = [], set()
    for i in range(1, len(tokens)):
        lo, hi = tokens.ends[i - 1], tokens.starts[i]
        if _PARAGRAPH_BREAK.search(text, lo, hi):
            paragraphs.add(i)
        if _SENTENCE_END.search(text, lo, hi):
            ends.append(i)
    return ends, paragraphs


@given(st.lists(_PARTS, max_size=60).map("".join))
@example("One. Two\n\nThree" + " " * 400 + "four; five\r\n\r\nsix")
@example("\u5b57\u5b57\u3002\u5b57 snake_case. x")
def test_gap_breaks_are_those_of_every_gap(text: str) -> None:
    assert _gap_breaks(text, tokenize(text)) == _by_gap(text)


_LONG_PARTS = st.sampled_from(
    ["word", ".", "\n", "\n\n", " ", "; ", "Kiribati", "\u3002", "\r\n\r\n",
     "filler " * 60, "\n".join(["line"] * 80), " " * (LONG_GAP + 1)]
)  # fmt: skip


@given(st.lists(_LONG_PARTS, max_size=40).map("".join), st.data())
def test_gap_breaks_of_windows_are_those_of_every_gap(text: str, data: st.DataObject) -> None:
    """Some of a text's tokens (a long document's windows: the text between them is longer than
    `LONG_GAP` and read alone) break where searching each of their gaps says."""
    every = tokenize(text)
    kept = sorted(data.draw(st.sets(st.integers(0, max(0, len(every) - 1)), max_size=80)))
    kept = [i for i in kept if i < len(every)]
    tokens = tokens_at(text, [every.starts[i] for i in kept], [every.ends[i] for i in kept])
    assert _gap_breaks(text, tokens) == _by_gap(text, tokens)
