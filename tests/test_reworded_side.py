"""`reworded._Side.of` (a one-part group taken directly, every group's counts found at once)
gives the fields of the group-by-group loop it replaces."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.engine.prepare import Prepared, token_range
from docdiff.engine.reworded import _Side
from docdiff.model import Match
from tests.test_reworded_fast import _case, _fresh


def _reference(
    p: Prepared, groups: Sequence[Sequence[Match]], side: str
) -> tuple[set[int], list[tuple[int, int]], list[set[int]]]:
    starts = p.sentence_starts
    touched: set[int] = set()
    extent = []
    paragraphs = []
    for g in groups:
        ranges = [token_range(p.tokens, (m.a if side == "a" else m.b).span) for m in g]
        mine: set[int] = set()
        for r0, r1 in ranges:
            first = max(0, bisect.bisect_right(starts, r0) - 1)
            last = max(0, bisect.bisect_right(starts, r1 - 1) - 1)
            mine.update(range(first, last + 1))
        touched |= mine
        extent.append((min(r[0] for r in ranges), max(r[1] for r in ranges)))
        paragraphs.append({p.paragraphs[k] for k in mine})
    return touched, extent, paragraphs


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_side_of_equals_the_group_by_group_loop(seed: int) -> None:
    a, b, parts, _, _ = _case(seed)
    groups, quoted = _fresh(parts)
    several = [m for g in groups[:3] for m in g]  # a group of several parts
    pool = [*groups, *quoted, *([several] if several else [])]
    for p, side in ((a, "a"), (b, "b")):
        made = _Side.of(p, pool, side)
        assert (made.touched, made.extent, made.paragraphs) == _reference(p, pool, side)
        counts = made.counts.copy()
        for number in range(len(made.extent)):
            made.count(number)  # the row of one group, by its own binary searches
        assert (counts == made.counts).all()
