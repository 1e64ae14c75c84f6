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
