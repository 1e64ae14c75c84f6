"""Reworded echoes choose each shared close pair's free places in bulk: the same choice as
the loop over every pair of places."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from docdiff.engine import echoes
from docdiff.engine.prepare import Prepared
from tests._fast_paths import LAWS, VOCAB
from tests.test_engine_fast_paths import Parts, _prepared, texts


def _free_reference(
    a: Prepared, b: Prepared, most: int, covered_a: list[bool], covered_b: list[bool]
) -> list[tuple[set[str], tuple[int, int], tuple[int, int]]]:
    """The loop the bulk choice replaced: the first pair of places not covered on both sides."""
    out = []
    for key, places_a, places_b in echoes._few_shared_close_pairs(a, b, most):
        free = next(
            (
                (x, y)
                for x in places_a
                for y in places_b
                if not (any(covered_a[x[0] : x[1] + 1]) and any(covered_b[y[0] : y[1] + 1]))
            ),
            None,
        )
        if free is not None:
            out.append((set(key), free[0], free[1]))
    return out


@LAWS
@given(texts, texts, st.integers(1, 3), st.integers(0, 2**32 - 1), st.floats(0.0, 1.0))
def test_free_places_equal_the_loop(
    left: Parts, right: Parts, most: int, seed: int, share: float
) -> None:
    a, b = _prepared(left, "a"), _prepared(right, "b")
    rng = np.random.default_rng(seed)
    covered_a = (rng.random(len(a.tokens)) < share).tolist()
    covered_b = (rng.random(len(b.tokens)) < share).tolist()
    got = echoes._free_shared_close_pairs(a, b, most, covered_a, covered_b)
    assert [(set(k), x, y) for k, x, y in got] == _free_reference(a, b, most, covered_a, covered_b)


def test_some_places_are_covered_and_some_free() -> None:
    """The law above is not vacuous: a covered first place makes the choice move on."""
    words = "hostile forces provocation sovereignty fabrications the of and ".split()
    left = [(w, " ") for w in words * 3]
    a, b = _prepared(left, "a"), _prepared(left, "b")
    n = len(a.tokens)
    covered = [i < n // 3 for i in range(n)]
    got = echoes._free_shared_close_pairs(a, b, 3, covered, covered)
    assert got
    assert [(set(k), x, y) for k, x, y in got] == _free_reference(a, b, 3, covered, covered)
    assert any(y[0] >= n // 3 for _, _, y in got)  # the first place in B was passed over


def test_longer_texts_with_sparse_covers() -> None:
    # Many shared close pairs, a few places each; single covered tokens (often a place's last).
    rng = np.random.default_rng(5)
    left = [(str(w), " ") for w in rng.choice(VOCAB, size=300)]
    right = [(str(w), " ") for w in rng.choice(VOCAB, size=300)]
    a, b = _prepared(left, "a"), _prepared(right, "b")
    assert len(echoes._few_shared_close_pairs(a, b, 2)) > 20
    for _ in range(30):
        covered_a = (rng.random(len(a.tokens)) < 0.1).tolist()
        covered_b = (rng.random(len(b.tokens)) < 0.1).tolist()
        for most in (1, 2, 3):
            got = echoes._free_shared_close_pairs(a, b, most, covered_a, covered_b)
            assert [(set(k), x, y) for k, x, y in got] == _free_reference(
                a, b, most, covered_a, covered_b
            )


def _places(rows: list[tuple[int, int, int, int, int, int]]) -> echoes._FreePlaces:
    columns = list(zip(*rows, strict=True)) if rows else [()] * 6
    return echoes._FreePlaces(*(np.asarray(c, dtype=np.int64) for c in columns))


_ROW = st.tuples(st.integers(0, 29), st.integers(1, 4), st.integers(0, 29), st.integers(1, 4)).map(
    lambda r: (r[0], r[0] + r[1], r[0], r[0] + r[1], r[2], r[2] + r[3])
)


@LAWS
@given(st.lists(_ROW, max_size=25), st.lists(st.sampled_from(VOCAB), min_size=40, max_size=40))
def test_touching_rows_grow_the_same_echoes_of_three_stems(
    rows: list[tuple[int, int, int, int, int, int]], roots: list[str]
) -> None:
    """Rows whose places in A touch no other row's grow echoes of their two stems alone: left
    out, the echoes of three stems or more are the same, in the same order."""
    free = _places(rows)
    touching = echoes._touching(free)
    spans = list(zip(free.i0.tolist(), free.i1.tolist(), strict=True))
    kept = np.asarray(
        [
            any(k != n and x0 <= y1 and y0 <= x1 for n, (y0, y1) in enumerate(spans))
            for k, (x0, x1) in enumerate(spans)
        ],
        dtype=bool,
    )
    assert touching.i0.tolist() == free.i0[kept].tolist()
    assert touching.j1.tolist() == free.j1[kept].tolist()

    def grown(places: echoes._FreePlaces) -> list[tuple[int, int, int, int, set[str]]]:
        return [g for g in echoes._grown(echoes._listed(roots, places)) if len(g[4]) >= 3]

    assert grown(touching) == grown(free)
