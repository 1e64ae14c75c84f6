"""The collector policy every caller of `docdiff.engine.collector.collector_paused` keeps, checked
through the caller (`compare`, `query`) the way the tests assert it."""

from __future__ import annotations

import gc
from collections.abc import Callable

import pytest

import docdiff.engine.compare


def assert_paused_around_comparisons(
    monkeypatch: pytest.MonkeyPatch, run: Callable[[], object]
) -> list[bool]:
    """`run` compares with the collector paused and enables it again after (also after an
    error), and leaves it disabled when the caller had disabled it. Returns whether the
    collector was enabled in each comparison of the first run (none was)."""
    seen: list[bool] = []
    real = docdiff.engine.compare.compare_prepared

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(docdiff.engine.compare, "compare_prepared", spy)
    assert gc.isenabled()
    run()
    assert seen
    assert not any(seen)
    assert gc.isenabled()

    def boom(*args: object, **kwargs: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(docdiff.engine.compare, "compare_prepared", boom)
    with pytest.raises(RuntimeError):
        run()
    assert gc.isenabled()
    monkeypatch.setattr(docdiff.engine.compare, "compare_prepared", real)
    gc.disable()
    try:
        run()
        assert not gc.isenabled()
    finally:
        gc.enable()
    return seen
