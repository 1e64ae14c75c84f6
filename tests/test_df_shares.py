"""`df_shares` (the query's k-gram shares in bulk) is `df_share`, number for number."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from docdiff.corpus.scan import df_share, df_shares


@given(
    dfs=st.lists(st.integers(0, 10_000_000), max_size=50),
    n_docs=st.integers(1, 10_000_000),
)
def test_shares_in_bulk_are_the_shares(dfs: list[int], n_docs: int) -> None:
    got = df_shares(np.asarray(dfs, dtype=np.int64), n_docs).tolist()
    assert got == [df_share(df, n_docs) for df in dfs]
