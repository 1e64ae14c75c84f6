"""Whole written words counted from a long document's word starts (counted once) equal the
loop over the tokens of each match."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docdiff.engine import echoes
from docdiff.engine.prepare import Prepared, prepare
from docdiff.loaders import load_text
from docdiff.model import AlignOp, Span

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
    loop = echoes._whole_count(span, ops, p, "a")  # a short document: the token loop
    assert n < echoes._WORD_TABLE_TOKENS
    assert echoes._whole_count_counted(i0, i1, ops, p, "a") == loop


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
    assert echoes._whole_count_counted(0, 6, ops, p, "a") == 2
