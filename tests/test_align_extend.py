"""`_extend` (the bulk walk growing seeds into maximal runs) equals a walk one token at a time."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.engine.align import _extend


def _walk(a: list[int], b: list[int], i: int, d: int, step: int) -> int:
    while 0 <= i + step < len(a) and 0 <= i + step + d < len(b) and a[i + step] == b[i + step + d]:
        i += step
    return i


@st.composite
def _case(draw: st.DrawFn) -> tuple[list[int], list[int], list[tuple[int, int]]]:
    # A small alphabet and copied stretches make long equal runs, as real reuse does.
    a = draw(st.lists(st.integers(0, 3), min_size=1, max_size=300))
    b = draw(st.lists(st.integers(0, 3), min_size=1, max_size=300))
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(b)))
        b = b[:cut] + a + b[cut:]
    equal = [(i, j) for i in range(len(a)) for j in range(len(b)) if a[i] == b[j]]
    picks = draw(st.lists(st.sampled_from(equal), max_size=40)) if equal else []
    return a, b, picks


@settings(max_examples=200)
@given(_case(), st.sampled_from([-1, 1]))
def test_extend_equals_the_walk_one_token_at_a_time(
    case: tuple[list[int], list[int], list[tuple[int, int]]], step: int
) -> None:
    a, b, picks = case
    start = np.array([i for i, _ in picks], dtype=np.int64)
    d = np.array([j - i for i, j in picks], dtype=np.int64)
    aa, ba = np.array(a, dtype=np.uint64), np.array(b, dtype=np.uint64)
    got = _extend(aa, ba, start, d, step, len(a), len(b)).tolist()
    assert got == [_walk(a, b, i, j - i, step) for i, j in picks]


def test_a_long_copied_run_is_walked_to_its_ends() -> None:
    a = list(range(5000))
    b = [9_999, *a[100:4900], 9_998]
    aa, ba = np.array(a, dtype=np.uint64), np.array(b, dtype=np.uint64)
    start, d = np.array([2000], dtype=np.int64), np.array([-99], dtype=np.int64)
    assert _extend(aa, ba, start, d, 1, len(a), len(b)).tolist() == [4899]
    assert _extend(aa, ba, start, d, -1, len(a), len(b)).tolist() == [100]
