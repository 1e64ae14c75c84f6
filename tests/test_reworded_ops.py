"""A reworded group's ops (`_outer_ops`) do not depend on the process's string hashing."""

from __future__ import annotations

import itertools

from docdiff.engine.reworded import _outer_ops
from docdiff.model import AlignOp, Span


def test_of_two_ops_on_the_same_spans_the_equal_one_is_kept_in_any_order() -> None:
    """A paraphrase pairs "pain" with "painful" as an equal op, a verbatim part of the group
    as a replace op on the same spans: one is kept, whatever order the parts give them in (a
    set's order, which follows string hashes, once decided it)."""
    same = (Span(10, 14), Span(20, 27))
    ops = [
        AlignOp("replace", *same),
        AlignOp("equal", *same),
        AlignOp("equal", Span(0, 9), Span(0, 9)),
        AlignOp("equal", Span(2, 5), Span(2, 5)),  # inside the one before: dropped
    ]
    for order in itertools.permutations(ops):
        assert _outer_ops(order) == (
            AlignOp("equal", Span(0, 9), Span(0, 9)),
            AlignOp("equal", *same),
        )
