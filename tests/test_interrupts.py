"""A Ctrl-C that Python drops (raised inside a callback whose exceptions it cannot raise) is
still honoured: the command line's handler remembers it, and an index writer waiting for
another process's lock stops at once (exit 130), not after 30 s with "locked" (exit 2)."""

from __future__ import annotations

import signal
import sqlite3
import sys
import time
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from docdiff import interrupts
from docdiff.index._store import begin_immediate


@pytest.fixture
def handler() -> Iterator[None]:
    previous = signal.getsignal(signal.SIGINT)
    hook = sys.unraisablehook
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        interrupts.install()
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        sys.unraisablehook = hook
        interrupts._PENDING.clear()


def _dropped_interrupt() -> list[BaseException]:
    """Ctrl-C arriving while a weak reference's callback runs (as the import system's module
    locks' callbacks do): Python reports it as "Exception ignored" and goes on. Returns what
    was reported."""
    seen: list[BaseException] = []

    def report(unraisable: sys.UnraisableHookArgs) -> None:
        if unraisable.exc_value is not None:
            seen.append(unraisable.exc_value)

    hook = sys.unraisablehook
    sys.unraisablehook = report

    class Thing:
        pass

    try:
        thing = Thing()
        ref = weakref.ref(thing, lambda _: signal.raise_signal(signal.SIGINT))
        del thing  # the callback runs here, and the interrupt is raised inside it
        assert ref() is None
    finally:
        sys.unraisablehook = hook
    return seen


def test_an_interrupt_python_drops_is_remembered(handler: None) -> None:
    seen = _dropped_interrupt()
    assert any(isinstance(e, KeyboardInterrupt) for e in seen), seen  # dropped by Python
    with pytest.raises(KeyboardInterrupt):
        interrupts.check()


def test_a_dropped_interrupt_prints_no_traceback(
    handler: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command line's hook keeps quiet about it (the command ends with one line); any
    other exception Python drops is still reported."""

    class Thing:
        pass

    thing = Thing()
    ref = weakref.ref(thing, lambda _: signal.raise_signal(signal.SIGINT))
    del thing
    assert ref() is None
    assert "KeyboardInterrupt" not in capsys.readouterr().err
    other = Thing()
    ref = weakref.ref(other, lambda _: 1 / 0)
    del other
    assert "ZeroDivisionError" in capsys.readouterr().err


def test_a_writer_waiting_for_the_lock_stops_on_a_dropped_interrupt(
    handler: None, tmp_path: Path
) -> None:
    db = tmp_path / "locked.db"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    writer = sqlite3.connect(db, isolation_level=None)
    try:
        _dropped_interrupt()
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            begin_immediate(writer)
        assert time.monotonic() - started < 5  # not the 30 s wait for the lock
    finally:
        writer.close()
        holder.execute("ROLLBACK")
        holder.close()


def test_nothing_is_pending_without_an_interrupt() -> None:
    interrupts.check()  # no Ctrl-C: nothing raised


def test_a_caller_s_own_handler_is_kept() -> None:
    previous = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        interrupts.install()
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
