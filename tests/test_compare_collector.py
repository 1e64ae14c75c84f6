"""``compare`` runs with the cyclic garbage collector paused (`docdiff.engine.collector`)."""

from __future__ import annotations

import gc
import threading

import pytest

import docdiff.engine.compare
from docdiff.engine.collector import collector_paused
from docdiff.engine.compare import compare
from docdiff.loaders import load_text

A = load_text("The joint fisheries commission will convene an extraordinary session.", doc_id="a")
B = load_text("The commission will convene an extraordinary session in May.", doc_id="b")


def test_the_collector_is_paused_during_a_compare_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paused while the pair is compared, enabled again after (also after an error), and left
    disabled when the caller had disabled it."""
    seen: list[bool] = []
    real = docdiff.engine.compare.compare_prepared

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(docdiff.engine.compare, "compare_prepared", spy)
    assert gc.isenabled()
    compare(A, B)
    assert seen == [False]
    assert gc.isenabled()

    def boom(*args: object, **kwargs: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(docdiff.engine.compare, "compare_prepared", boom)
    with pytest.raises(RuntimeError):
        compare(A, B)
    assert gc.isenabled()
    monkeypatch.setattr(docdiff.engine.compare, "compare_prepared", real)
    gc.disable()
    try:
        compare(A, B)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_runs_again_when_the_last_comparison_ends() -> None:
    """Pauses nest across threads: the collector is enabled when the last one ends."""
    inside = threading.Event()
    release = threading.Event()

    def other() -> None:
        with collector_paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    assert inside.wait(5)
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread's pause still runs
    release.set()
    thread.join(5)
    assert gc.isenabled()
