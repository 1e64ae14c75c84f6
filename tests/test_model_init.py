"""The core types set their slots directly (`docdiff.model._direct_init`): they still build,
default, validate, compare, hash, copy and refuse changes as frozen dataclasses do."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docdiff.model import AlignOp, Kind, Match, Passage, Span


@given(st.integers(0, 50), st.integers(0, 50))
def test_a_span_is_checked_and_behaves_as_a_frozen_dataclass(start: int, end: int) -> None:
    if start > end:
        with pytest.raises(ValueError, match="invalid span"):
            Span(start, end)
        return
    span = Span(start, end)
    assert span == Span(end=end, start=start)
    assert hash(span) == hash(Span(start, end))
    assert pickle.loads(pickle.dumps(span)) == span
    assert copy.deepcopy(span) == span
    assert (span < Span(start, end + 1)) is True
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.start = 0  # type: ignore[misc]


def test_a_match_keeps_its_defaults_and_replace_works() -> None:
    at = Span(0, 4)
    match = Match(Passage("a", at), Passage("b", at), Kind.PHRASING, 50.0, 3)
    assert (match.ops, match.reason, match.shared, match.formula) == ((), "", (), None)
    assert match.distinctiveness is None
    ops = (AlignOp("equal", at, at),)
    changed = dataclasses.replace(match, score=60.0, ops=ops)
    assert (changed.score, changed.ops, changed.a) == (60.0, ops, match.a)
    assert pickle.loads(pickle.dumps(changed)) == changed
    assert repr(at) == "Span(start=0, end=4)"
