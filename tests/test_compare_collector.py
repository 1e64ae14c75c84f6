"""``compare`` runs with the cyclic garbage collector paused (`docdiff.engine.collector`)."""

from __future__ import annotations

import gc
import threading

import pytest

from docdiff.engine.collector import collector_paused
from docdiff.engine.compare import compare
from docdiff.loaders import load_text
from tests._collector import assert_paused_around_comparisons

A = load_text("The joint fisheries commission will convene an extraordinary session.", doc_id="a")
B = load_text("The commission will convene an extraordinary session in May.", doc_id="b")


def test_the_collector_is_paused_during_a_compare_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paused while the pair is compared, enabled again after (also after an error), and left
    disabled when the caller had disabled it."""
    seen = assert_paused_around_comparisons(monkeypatch, lambda: compare(A, B))
    assert seen == [False]


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
