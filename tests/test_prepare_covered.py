"""`covered_tokens` marks each span's tokens at once: the same marks as one token at a time."""

from __future__ import annotations

import bisect

from hypothesis import given
from hypothesis import strategies as st

from docdiff.engine.prepare import covered_tokens
from docdiff.model import Span
from docdiff.text.tokens import tokenize

_TEXT = "The permanent mission of the Republic presents its compliments, and has the honour"


@given(st.lists(st.tuples(st.integers(0, len(_TEXT)), st.integers(0, len(_TEXT))), max_size=8))
def test_covered_tokens_equal_marking_one_by_one(bounds: list[tuple[int, int]]) -> None:
    tokens = tokenize(_TEXT)
    spans = [Span(min(x, y), max(x, y)) for x, y in bounds]
    expected = [False] * len(tokens)
    for span in spans:
        i0 = bisect.bisect_left(tokens.starts, span.start)
        i1 = bisect.bisect_left(tokens.starts, span.end)
        for i in range(i0, i1):
            expected[i] = True
    assert covered_tokens(tokens, spans) == expected
