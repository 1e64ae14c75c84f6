"""`unique_runs` gives `np.unique`'s answers (as `stable_unique` gives them) by a sort that
need not be stable: the same values, first indices, inverse and counts, of the same types."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from docdiff.engine.unique import unique_runs
from docdiff.text.seeds import stable_unique
from tests._fast_paths import LAWS


@LAWS
@given(st.lists(st.integers(-5, 30), max_size=300))
def test_unique_runs_is_numpys(values: list[int]) -> None:
    array = np.asarray(values, dtype=np.int64)
    found = unique_runs(array)
    distinct, first, inverse, counts = np.unique(
        array, return_index=True, return_inverse=True, return_counts=True
    )
    assert found.values.tolist() == distinct.tolist()
    assert found.first.tolist() == first.tolist()
    assert found.inverse.tolist() == inverse.tolist()
    assert found.counts.tolist() == counts.tolist()
    assert found.values.dtype == distinct.dtype
    assert found.first.dtype == first.dtype
    assert found.inverse.dtype == inverse.dtype
    assert found.counts.dtype == counts.dtype


def test_unique_runs_of_many_repeats_is_stable_uniques() -> None:
    # Long runs of equal values, which a sort that is not stable leaves in any order.
    rng = np.random.default_rng(7)
    array = (rng.integers(0, 40, 5_000).astype(np.int64) << 32) | rng.integers(0, 3, 5_000)
    found, stable = unique_runs(array), stable_unique(array)
    assert np.array_equal(found.values, stable.values)
    assert np.array_equal(found.first, stable.first)
    assert np.array_equal(found.inverse, stable.inverse())
    assert np.array_equal(found.counts, stable.counts())
