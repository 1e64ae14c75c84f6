"""Worker processes: the start method and the initializer shared by every process pool."""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import multiprocessing.context

__all__ = ["fork_context", "worker_init"]


def worker_init() -> None:
    """Pool initializer: Ctrl-C is the parent's to handle, and the worker dies with its parent.

    A pool worker blocks reading its task queue, whose write end every forked sibling also holds,
    so it would wait forever after a ``kill -9`` of the parent. On Linux the kernel kills it
    (``PR_SET_PDEATHSIG``); elsewhere a daemon thread watches the parent's pid.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()
    if not _parent_death_signal():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def _parent_death_signal() -> bool:
    import sys

    if not sys.platform.startswith("linux"):
        return False
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)) == 0  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    import time

    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def fork_context() -> multiprocessing.context.BaseContext:
    """Fork where the platform has it (workers inherit the parent's read-only data), else spawn."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")
