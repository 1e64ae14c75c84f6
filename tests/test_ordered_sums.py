"""Bulk weight sums equal the Python loops they replace, to the last bit.

`select_pieces` ranks pieces by the rounded sum of their equal words' weights and the chain
filter of `align_pieces` compares a sum with `MIN_PASSAGE_WEIGHT`: a sum added in another
order may differ in its last bit and flip a tie or a threshold, so the bulk sums must be the
loops' doubles exactly.
"""

from __future__ import annotations

import re
from unittest import mock

from hypothesis import example, given
from hypothesis import strategies as st

from docdiff.engine import align
from docdiff.engine.align import Run, ordered_sums
from docdiff.engine.classify import MIN_PASSAGE_WEIGHT
from docdiff.engine.lexicon import FormulaHit, Template
from docdiff.engine.pieces import _weighty_chains
from docdiff.engine.prepare import prepare
from docdiff.loaders import load_text

_WEIGHTS = st.lists(
    st.one_of(
        st.floats(0, 5, allow_nan=False, width=64),
        st.sampled_from([0.0, 0.1, 0.2, 0.3, 1 / 3, 0.7, 1e-17, 2.0**52]),
    ),
    min_size=1,
    max_size=60,
)


@st.composite
def _owned_ranges(draw: st.DrawFn) -> tuple[list[float], list[list[tuple[int, int]]]]:
    weights = draw(_WEIGHTS)
    n = len(weights)
    span = st.tuples(st.integers(0, n), st.integers(0, n)).map(lambda x: (min(x), max(x)))
    # Mostly single short ranges (the bulk case), some longer or several per owner.
    owner = st.one_of(st.lists(span, min_size=1, max_size=1), st.lists(span, max_size=5))
    return weights, draw(st.lists(owner, max_size=12))


@given(_owned_ranges(), st.sampled_from([0, 3, align.BULK_SUMS]))
def test_ordered_sums_are_the_loop_sums_bit_for_bit(
    case: tuple[list[float], list[list[tuple[int, int]]]], bulk: int
) -> None:
    weights, owners = case
    with mock.patch.object(align, "BULK_SUMS", bulk):
        got = ordered_sums(weights, owners)
    want = [float(sum(weights[t] for s, e in ranges for t in range(s, e))) for ranges in owners]
    assert [x.hex() for x in got] == [x.hex() for x in want]


def _text(words: list[str]) -> str:
    return " ".join(words) + "."


@given(
    st.lists(st.sampled_from(["the", "of", "rights", "human", "Assembly", "and", "Kiribati"]),
             min_size=4, max_size=80),
    st.lists(st.lists(st.tuples(st.integers(0, 79), st.integers(1, 6)), min_size=1, max_size=3),
             max_size=12),
    st.lists(st.tuples(st.integers(0, 79), st.integers(1, 5)), max_size=3),
)  # fmt: skip
@example(["rights", "human", "Kiribati", "of"] * 20, [[(0, 3)], [(5, 6), (20, 2)]] * 6, [(7, 2)])
def test_weighty_chains_keep_what_the_loop_kept(
    words: list[str], chains_at: list[list[tuple[int, int]]], formulae: list[tuple[int, int]]
) -> None:
    p = prepare(load_text(_text(words), doc_id="A"), 3)
    n = len(p.tokens)
    chains = [
        [Run(min(s, n), min(s + k, n), min(s, n), min(s + k, n)) for s, k in runs]
        for runs in chains_at
    ]
    template = Template("test", "kiribati", re.compile("kiribati"), 1)
    hits = [FormulaHit(template, min(s, n), min(s + k, n)) for s, k in formulae]
    w = p.weights
    fa = [False] * n
    for h in hits:
        fa[h.start : h.end] = [True] * (h.end - h.start)
    want = [
        c
        for c in chains
        if sum(sum(w[r.a0 : r.a1]) for r in c) >= MIN_PASSAGE_WEIGHT
        or any(any(fa[r.a0 : r.a1]) or any(fa[r.b0 : r.b1]) for r in c)
    ]
    for bulk in (0, align.BULK_SUMS):
        with mock.patch.object(align, "BULK_SUMS", bulk):
            assert _weighty_chains(chains, p, p, hits, hits) == want
