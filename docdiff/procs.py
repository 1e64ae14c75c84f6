"""Worker processes: the start method and the Ctrl-C policy shared by every process pool."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import multiprocessing.context

__all__ = ["fork_context", "ignore_sigint"]


def ignore_sigint() -> None:
    """Pool initializer: Ctrl-C is the parent's to handle (no traceback from every worker)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def fork_context() -> multiprocessing.context.BaseContext:
    """Fork where the platform has it (workers inherit the parent's read-only data), else spawn."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")
