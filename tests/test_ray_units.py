"""Pure helpers of the Ray backend (no Ray runtime needed): blocks, addresses, engine choice."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from docdiff.backends import engine_for
from docdiff.backends.ray_backend import _blocks, _valid_address
from docdiff.errors import OptionsError
from docdiff.index.arrays import DocTokens
from tests._ray_faults import FailOnce


def _doc(n: int) -> DocTokens:
    zeros = np.zeros(n, dtype=np.int32)
    return DocTokens(np.zeros(n, dtype=np.uint64), zeros, zeros)


@given(st.lists(st.integers(0, 50), max_size=40), st.integers(1, 120))
def test_blocks_cover_every_document_once_within_the_limit(sizes: list[int], limit: int) -> None:
    tokens = [_doc(n) for n in sizes]
    blocks = _blocks(tokens, limit)
    covered = [i for first, last in blocks for i in range(first, last)]
    assert covered == list(range(len(sizes)))
    for first, last in blocks:
        assert last > first
        held = sum(sizes[first:last])
        assert held <= limit or last - first == 1 or sum(sizes[first : last - 1]) == 0


@pytest.mark.parametrize(
    ("address", "ok"),
    [
        ("auto", True),
        ("ray://head:10001", True),
        ("ray://10.0.0.5:10001", True),
        ("head:6379", True),
        ("http://head:10001", False),
        ("ray://head", False),
        ("ray://:10001", False),
        ("", False),
        ("head:port", False),
    ],
)
def test_addresses(address: str, ok: bool) -> None:
    assert _valid_address(address) is ok


def test_engine_choice_is_validated() -> None:
    with engine_for("local") as engine:
        assert engine is None
    with (
        pytest.raises(OptionsError, match="--engine must be one of local, ray"),
        engine_for("spark"),
    ):
        pass
    with (
        pytest.raises(OptionsError, match="--address needs --engine ray"),
        engine_for("local", address="auto"),
    ):
        pass


def test_fail_once_fails_each_stage_once(tmp_path: Path) -> None:
    fault = FailOnce(str(tmp_path), ("align",))
    fault("pairs")  # not a chosen stage
    with pytest.raises(RuntimeError, match="injected failure in stage align"):
        fault("align")
    fault("align")  # the retry succeeds
    assert [p.name for p in tmp_path.iterdir()] == ["align.failed"]
