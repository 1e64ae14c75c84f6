"""`distinct_names` searching one text of the kept phrases equals the phrase-by-phrase search.

A long pair has thousands of echoes, and each looked for a kept phrase holding it by joining
every kept phrase again: quadratic work in Python. The kept phrases are now lines of one text,
searched once per echo. The search it replaced is kept here as the reference: on echoes full of
repeated phrases and phrases inside others, both keep and count the same ones. And
`reworded_echoes` orders its stem pairs by their first place alone, no longer by place then
stems: the same order, since no two pairs share a place.
"""

from __future__ import annotations

import random
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.engine.echoes import _shared_close_pairs, distinct_names
from docdiff.engine.prepare import Prepared, prepare, token_range
from docdiff.loaders import load_text
from docdiff.model import Kind, Match, Passage

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
    pairs_a, pairs_b = _shared_close_pairs(a, b)
    keys = pairs_a.keys() & pairs_b.keys()
    by_place = sorted(keys, key=lambda k: pairs_a[k][0])
    assert by_place == sorted(keys, key=lambda k: (pairs_a[k][0], sorted(k)))
