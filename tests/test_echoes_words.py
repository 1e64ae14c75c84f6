"""Whole written words counted from a document's word starts (counted once) equal the loop
over the tokens of each match (`_token_loop`, the reading the word starts stand for)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docdiff.engine import echoes
from docdiff.engine.prepare import Prepared, prepare, token_range
from docdiff.loaders import load_text
from docdiff.model import AlignOp, Span
from docdiff.text.tokens import tokenize

_WORDS = ["sixty", "seventh", "0", "7", "1", "000", "U.S.", "peace", "self", "état", "中"]
_GLUE = [
    "",
    "",
    "-",
    "-",
    ".",
    ",",
    " ",
    "  ",
    "-\n",
    " - ",
    "\u00a0",
    "\u3000",
    "\t",
    "...",
    "\u2009",
]


def _token_loop(span: Span, ops: list[AlignOp], p: Prepared) -> int:
    """Side A's whole words token by token: a new written word starts at a token whose gap
    from the one before is empty, longer than `_WORD_GLUE` or holds white space; a word is
    whole when every token of it is inside an equal op."""
    t, text = p.tokens, p.doc.text
    i0, i1 = token_range(t, span)
    equal = bytearray(max(0, i1 - i0))
    for op in ops:
        if op.tag == "equal":
            j0, j1 = token_range(t, op.a)
            lo, hi = max(j0, i0), min(j1, i1)
            equal[lo - i0 : hi - i0] = b"\x01" * max(0, hi - lo)
    count = 0
    whole = False
    for i in range(i0, i1):
        g0, g1 = (t.ends[i - 1], t.starts[i]) if i > i0 else (0, 0)
        gap = text[g0:g1]
        if i == i0 or g1 == g0 or g1 - g0 > echoes._WORD_GLUE or any(c.isspace() for c in gap):
            count += whole  # a new written word starts: the one before it ends here
            whole = True
        whole = whole and bool(equal[i - i0])
    return count + whole


@st.composite
def _document(draw: st.DrawFn) -> Prepared:
    parts = draw(
        st.lists(
            st.tuples(st.sampled_from(_WORDS), st.sampled_from(_GLUE)), min_size=1, max_size=60
        )
    )
    text = "".join(w + g for w, g in parts)
    return prepare(load_text(text, doc_id="a"), 3)


@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
@given(_document(), st.data())
def test_counted_word_starts_equal_the_token_loop(p: Prepared, data: st.DataObject) -> None:
    t = p.tokens
    n = len(t)
    i0 = data.draw(st.integers(0, n - 1))
    i1 = data.draw(st.integers(i0 + 1, n))
    # Equal ops over stretches that meet the span: overlapping, nested, reaching out of it.
    ops = []
    for _ in range(data.draw(st.integers(0, 6))):
        lo = data.draw(st.integers(max(0, i0 - 2), i1 - 1))
        hi = data.draw(st.integers(max(lo, i0) + 1, min(n, i1 + 2)))  # meets the span
        ops.append(AlignOp("equal", t.range_span(lo, hi), Span(0, 1)))
    span = t.range_span(i0, i1)
    assert echoes._whole_count(span, ops, p, "a") == _token_loop(span, ops, p)


def test_white_space_stops_below_the_table_limit() -> None:
    assert not any(chr(c).isspace() for c in range(echoes._SPACE_LIMIT, 0x110000))
    table = echoes._space_table()
    assert table.tolist() == [chr(c).isspace() for c in range(echoes._SPACE_LIMIT)]
    assert table[0x3000]


def test_a_word_broken_twice_counts_once() -> None:
    p = prepare(load_text("peace sixty-seventh-0-7 self", doc_id="a"), 3)
    t = p.tokens
    assert t.forms == ["peace", "sixty", "seventh", "0", "7", "self"]
    # "seventh" and "7" equal, "sixty" and "0" not: the one word between is broken.
    ops = [AlignOp("equal", t.range_span(i, i + 1), Span(0, 1)) for i in (0, 2, 4, 5)]
    span = t.range_span(0, 6)
    assert echoes._whole_count(span, ops, p, "a") == 2
    assert _token_loop(span, ops, p) == 2


_WINDOW_PARTS = st.sampled_from([*_WORDS, *_GLUE, "filler " * 60, " " * 300, "\u3000" * 2])


@settings(max_examples=300, deadline=None)
@given(st.lists(_WINDOW_PARTS, max_size=50).map("".join), st.data())
def test_word_opens_of_windows_are_those_of_every_gap(text: str, data: st.DataObject) -> None:
    """Some of a text's tokens (a long document's windows, the text between them read only
    where a gap is short): a written word opens where the gap before it is empty, longer than
    `_WORD_GLUE` or holds white space."""
    every = tokenize(text)
    kept = sorted(data.draw(st.sets(st.integers(0, max(0, len(every) - 1)), max_size=80)))
    kept = [i for i in kept if i < len(every)]
    starts = np.asarray([every.starts[i] for i in kept], dtype=np.int64)
    ends = np.asarray([every.ends[i] for i in kept], dtype=np.int64)
    expected = [
        gap == "" or len(gap) > echoes._WORD_GLUE or any(c.isspace() for c in gap)
        for gap in (text[e:s] for e, s in zip(ends[:-1].tolist(), starts[1:].tolist(), strict=True))
    ]
    assert echoes.word_opens(text, starts, ends).tolist() == expected
