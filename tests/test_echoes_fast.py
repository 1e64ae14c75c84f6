"""`distinct_names` searching one text of the kept phrases equals the phrase-by-phrase search.

A long pair has thousands of echoes, and each looked for a kept phrase holding it by joining
every kept phrase again: quadratic work in Python. The kept phrases are now lines of one text,
searched once per echo. The search it replaced is kept here as the reference: on echoes full of
repeated phrases and phrases inside others, both keep and count the same ones. And
`reworded_echoes` orders its stem pairs by their first place alone, no longer by place then
stems: the same order, since no two pairs share a place. `_whole_side` finds the gaps
holding a space without cutting each one out of the text.
"""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.engine.echoes import (
    _adjacent,
    _few_shared_close_pairs,
    _occurrences,
    _runs,
    _whole_side,
    covered,
    distinct_names,
    whole_words,
)
from docdiff.engine.prepare import Prepared, covered_tokens, prepare, token_range
from docdiff.loaders import load_text
from docdiff.model import AlignOp, Kind, Match, Passage, Span
from docdiff.text.seeds import in_sorted

_WORDS = "alpha beta gamma delta sigma omega".split()


def _reference(matches: list[Match], a: Prepared, kinds: tuple[Kind, ...]) -> list[Match]:
    """`distinct_names` as it was (every loop as it was)."""
    kept: list[tuple[str, ...]] = []
    counts: dict[tuple[str, ...], int] = {}
    drop: set[int] = set()
    names = [m for m in matches if m.kind in kinds]
    order = sorted(
        names,
        key=lambda m: (-m.words, -(m.distinctiveness or 0.0), m.a.span.start, m.b.span.start),
    )
    for m in order:
        i0, i1 = token_range(a.tokens, m.a.span)
        keys = tuple(a.tokens.keys[i0:i1])
        joined = " ".join(keys)
        home = next((k for k in kept if f" {joined} " in f" {' '.join(k)} "), None)
        if home is None:
            kept.append(keys)
            counts[keys] = 1
        else:
            counts[home] += 1
            drop.add(id(m))
    out = []
    for m in matches:
        if id(m) in drop:
            continue
        n = 1
        if m.kind in kinds:
            i0, i1 = token_range(a.tokens, m.a.span)
            n = counts.get(tuple(a.tokens.keys[i0:i1]), 1)
        out.append(
            replace(m, reason=f"{m.reason}; reused {n} times in all (shown once)") if n > 1 else m
        )
    return out


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans())
def test_distinct_names_equals_the_phrase_by_phrase_search(seed: int, every_kind: bool) -> None:
    rng = random.Random(seed)
    # Few words, so that phrases recur and lie inside one another; some spelt differently
    # ("Alpha", "alphas") to share a key.
    words = rng.choices([*_WORDS, "Alpha", "alphas"], k=rng.randint(1, 80))
    a = prepare(load_text(" ".join(words), doc_id="A"))
    n = len(a.tokens)
    matches = []
    for _ in range(rng.randint(0, 60)):
        size = rng.randint(1, min(6, n))
        i0 = rng.randrange(n - size + 1)
        span = a.tokens.range_span(i0, i0 + size)
        matches.append(
            Match(
                a=Passage("A", span),
                b=Passage("B", span),
                kind=rng.choice([Kind.NAME, Kind.PHRASING, Kind.FORMULA]),
                score=100.0,
                words=size,
                reason="r",
                distinctiveness=rng.choice([None, 10.0, 50.0]),
            )
        )
    kinds = tuple(Kind) if every_kind else (Kind.NAME,)
    assert distinct_names(matches, a, kinds) == _reference(matches, a, kinds)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_stem_pairs_in_order_of_place_alone(seed: int) -> None:
    rng = random.Random(seed)
    vocab = ["hostile", "forces", "genuine", "rights", "protection", "promotion", "Korea", "7"]
    a = prepare(load_text(" ".join(rng.choices(vocab, k=rng.randint(2, 60))), doc_id="A"))
    b = prepare(load_text(" ".join(rng.choices(vocab, k=rng.randint(2, 60))), doc_id="B"))
    got = _few_shared_close_pairs(a, b, 60)
    places = {k: xs[0] for k, xs, _ in got}
    by_place = [k for k, _, _ in got]
    assert by_place == sorted(places, key=lambda k: (places[k], sorted(k)))


def _whole_side_reference(m: Match, p: Prepared, side: str) -> int:
    """`_whole_side` as it was (each gap cut out and searched for a space)."""
    t, text = p.tokens, p.doc.text
    i0, i1 = token_range(t, m.a.span if side == "a" else m.b.span)
    equal = bytearray(max(0, i1 - i0))
    for op in m.ops:
        if op.tag == "equal":
            j0, j1 = token_range(t, op.a if side == "a" else op.b)
            lo, hi = max(j0, i0), min(j1, i1)
            equal[lo - i0 : hi - i0] = b"\x01" * max(0, hi - lo)
    count = 0
    whole = False
    for i in range(i0, i1):
        gap = text[t.ends[i - 1] : t.starts[i]] if i > i0 else ""
        if i == i0 or not gap or len(gap) > 2 or any(c.isspace() for c in gap):
            count += whole
            whole = True
        whole = whole and bool(equal[i - i0])
    return count + whole


_GAPS = [" ", "-", "--", ",", ", ", ".", "\u00a0", "\u2009", "'", "/", "\n", "", " - "]


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_whole_words_equal_cutting_out_every_gap(seed: int) -> None:
    rng = random.Random(seed)
    parts = []
    for _ in range(rng.randint(1, 40)):
        parts += [rng.choice(["sixty", "seventh", "0", "7", "rights", "é"]), rng.choice(_GAPS)]
    p = prepare(load_text("".join(parts), doc_id="A"))
    n = len(p.tokens)
    if n == 0:
        return
    i0 = rng.randrange(n)
    i1 = rng.randint(i0 + 1, n)
    ops = []
    for _ in range(rng.randint(0, 4)):
        j0 = rng.randint(i0, i1 - 1)
        j1 = rng.randint(j0 + 1, i1)
        span = p.tokens.range_span(j0, j1)
        ops.append(AlignOp(rng.choice(["equal", "equal", "replace"]), span, span))
    span = p.tokens.range_span(i0, i1)
    m = Match(Passage("A", span), Passage("A", span), Kind.PHRASING, 90.0, 3, tuple(ops))
    for side in ("a", "b"):
        assert _whole_side(m, p, side) == _whole_side_reference(m, p, side)
    # A passage's verbatim runs count as matches of their own would (none is built).
    expected = []
    for first, last in _reference_run_ends(m, p):
        run = AlignOp("equal", Span(first.a.start, last.a.end), Span(first.b.start, last.b.end))
        one = replace(m, a=replace(m.a, span=run.a), b=replace(m.b, span=run.b), ops=(run,))
        expected.append(whole_words(one, p, p))
    assert _runs(m, p, p) == expected


def _reference_run_ends(m: Match, p: Prepared) -> list[tuple[AlignOp, AlignOp]]:
    """The (first, last) equal op of each unbroken run of `m` (as `_runs` groups them)."""
    runs: list[tuple[AlignOp, AlignOp]] = []
    for op in sorted((op for op in m.ops if op.tag == "equal"), key=lambda op: op.a.start):
        if runs and _adjacent(runs[-1][1], op, p, p):
            runs[-1] = (runs[-1][0], op)
        else:
            runs.append((op, op))
    return runs


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 40), max_size=60),
    st.lists(st.integers(0, 40), max_size=20),
)
def test_held_codes_are_isin(codes: list[int], shared: list[int]) -> None:
    # `_shared_bigrams` keeps the places whose code the other text holds; a scan's passages
    # trim the tokens whose hash is a function word's (63-bit hashes: the offset below).
    for offset in (0, 2**63 - 64):
        c = np.asarray(codes, dtype=np.uint64) + np.uint64(offset)
        s = np.unique(np.asarray(shared, dtype=np.uint64) + np.uint64(offset))
        assert in_sorted(c, s).tolist() == np.isin(c, s).tolist()
        # Of two sorted sets: their intersection, sorted.
        u = np.unique(c)
        assert u[in_sorted(u, s)].tolist() == np.intersect1d(u, s, assume_unique=True).tolist()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=0, max_size=40), st.integers(0, 2**64 - 1))
def test_occurrences_count_the_hash_among_the_starts(words: list[str], absent: int) -> None:
    p = prepare(load_text(" ".join(words), doc_id="A"), 2)
    for h in [*p.hashes, absent]:
        assert _occurrences(p, h) == p.hashes.count(h)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_covered_equals_covered_tokens(seed: int) -> None:
    """`covered` places all spans at once and gives `covered_tokens`' list: spans that hold
    no token start, overlap, nest, end inside a word or reach past the text included."""
    rng = random.Random(seed)
    text = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 40)))
    p = prepare(load_text(text, doc_id="A"))
    spans = []
    for _ in range(rng.randint(0, 12)):
        start = rng.randint(0, len(text) + 2)
        spans.append(Span(start, rng.randint(start, len(text) + 3)))
    assert covered(p, spans) == covered_tokens(p.tokens, spans)
    many = spans * 70  # (placed in bulk)
    assert covered(p, many) == covered_tokens(p.tokens, many)
