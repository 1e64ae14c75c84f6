"""One patience setting for every guard deadline of the test suite.

Tests wait for events (a diagnostic published, a file written, a DOM state, a process exit, a
socket accepting), never for time. A deadline only stops a test that would otherwise hang, and
every deadline derives from the one factor here, so that a loaded machine is given more time
everywhere at once and not by editing numbers one test at a time:

* ``DOCDIFF_TEST_PATIENCE`` (a number, default 1) multiplies every deadline;
* the machine's load multiplies it again (load per core above 1: a 2-core machine at load 8
  waits four times as long), so that the README's test command passes on a machine busy with
  other work without anyone setting anything. The load is read when a deadline is set (the
  one-minute average lags a sudden load: a wait set later in the run sees it), and never
  counts for less than it did when the suite started.

A deadline that expires fails with what was awaited, never silently.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TypeVar

__all__ = ["FACTOR", "ms", "seconds", "wait_until"]

T = TypeVar("T")


def _factor() -> float:
    raw = os.environ.get("DOCDIFF_TEST_PATIENCE", "").strip()
    try:
        asked = float(raw) if raw else 1.0
    except ValueError:
        asked = 1.0
    asked = asked if asked > 0 else 1.0
    try:
        per_core = os.getloadavg()[0] / (os.cpu_count() or 1)
    except OSError:  # (no load average on this platform)
        per_core = 0.0
    return asked * max(1.0, per_core)


FACTOR = _factor()
"""The factor when the suite started (`DOCDIFF_TEST_PATIENCE` times the load per core): no
deadline is multiplied by less."""


def seconds(base: float) -> float:
    """A guard deadline of `base` seconds on a quiet machine, in seconds."""
    return base * max(FACTOR, _factor())


def ms(base: float) -> float:
    """A guard deadline of `base` seconds on a quiet machine, in milliseconds (Playwright)."""
    return seconds(base) * 1000.0


def wait_until(check: Callable[[], T], base: float, what: str, poll: float = 0.05) -> T:
    """Poll `check` until it returns something truthy, and return it; fail after
    `seconds(base)` with `what` (the event that never came)."""
    limit = seconds(base)
    deadline = time.monotonic() + limit
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {limit:.0f} s for {what}; it did not happen")
        time.sleep(poll)
