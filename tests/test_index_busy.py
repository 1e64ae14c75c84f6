"""Waiting for another writer's lock stays interruptible (`_store.begin_immediate`)."""

from __future__ import annotations

import _thread
import signal
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from docdiff.index import _store


class _Spy:
    """A connection that records its statements and may run a hook before each."""

    def __init__(self, conn: sqlite3.Connection, hook: Any = None) -> None:
        self.conn, self.hook, self.seen = conn, hook, []  # type: ignore[var-annotated]

    def execute(self, sql: str) -> sqlite3.Cursor:
        self.seen.append(sql)
        if self.hook is not None:
            self.hook(self)
        return self.conn.execute(sql)


@pytest.fixture
def locked(tmp_path: Path) -> Any:
    db = tmp_path / "busy.db"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA journal_mode = WAL")
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    conn = sqlite3.connect(db, isolation_level=None, timeout=30.0)
    yield conn
    holder.execute("ROLLBACK")
    holder.close()
    conn.close()


def test_the_wait_is_many_short_waits_then_the_lock_error(
    locked: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_store, "BUSY_SECONDS", 0.3)
    spy = _Spy(locked)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        _store.begin_immediate(spy)  # type: ignore[arg-type]
    begins = [s for s in spy.seen if s == "BEGIN IMMEDIATE"]
    assert len(begins) >= 2, spy.seen
    assert spy.seen[0] == f"PRAGMA busy_timeout = {_store._BUSY_POLL_MS}"
    assert spy.seen[-1] == "PRAGMA busy_timeout = 300"
    assert not locked.in_transaction


def test_ctrl_c_while_waiting_is_raised_between_waits(locked: sqlite3.Connection) -> None:
    # A test run started in the background (`pytest &`) inherits SIGINT ignored, and then
    # `interrupt_main` does nothing: Python's own handler stands in for the test.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)

    def interrupt_on_second_try(spy: _Spy) -> None:
        if spy.seen.count("BEGIN IMMEDIATE") == 2:
            _thread.interrupt_main()  # what SIGINT does: Python raises it when it gets control

    spy = _Spy(locked, interrupt_on_second_try)
    try:
        with pytest.raises(KeyboardInterrupt):
            _store.begin_immediate(spy)  # type: ignore[arg-type]
    finally:
        signal.signal(signal.SIGINT, previous)
    assert spy.seen.count("BEGIN IMMEDIATE") <= 3
    assert spy.seen[-1] == "PRAGMA busy_timeout = 30000"
    assert not locked.in_transaction


def test_a_free_lock_is_taken_at_once(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "free.db", isolation_level=None)
    spy = _Spy(conn)
    _store.begin_immediate(spy)  # type: ignore[arg-type]
    assert conn.in_transaction
    assert spy.seen.count("BEGIN IMMEDIATE") == 1
    conn.rollback()
    conn.close()
