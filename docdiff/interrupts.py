"""Ctrl-C that is never lost.

Python's own SIGINT handler raises KeyboardInterrupt wherever the main thread happens to be.
When that is inside a callback whose exceptions Python cannot raise (a weak reference's
callback, such as the import system's module locks; a ``__del__``), the interrupt is printed
as "Exception ignored" and dropped: an ``index update`` interrupted while it imported a module
then waited out another writer's lock for 30 s and failed with exit 2 instead of 130. The
command line's handler (`install`) also remembers the interrupt, and the loops that wait or
work for long (`docdiff.index`) ask for it again (`check`) between steps.
"""

from __future__ import annotations

import signal
import sys
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import FrameType

__all__ = ["check", "install"]

_PENDING = threading.Event()
"""Set by the first Ctrl-C the command line's handler saw."""


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    _PENDING.set()
    raise KeyboardInterrupt


def install() -> None:
    """Make Ctrl-C remembered as well as raised: in the main thread, and only over Python's
    default handler (a caller that ignores SIGINT, or handles it, keeps its way). A dropped
    interrupt is then not reported with a traceback ("Exception ignored in …"): it is
    remembered, and the command ends with its one line."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_sigint)
        sys.unraisablehook = _unraisable


def _unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    if isinstance(unraisable.exc_value, KeyboardInterrupt) and _PENDING.is_set():
        return  # remembered (`_on_sigint`): `check` raises it where it can be
    sys.__unraisablehook__(unraisable)


def check() -> None:
    """Raise KeyboardInterrupt when a Ctrl-C came and may have been dropped (see the module)."""
    if _PENDING.is_set():
        raise KeyboardInterrupt
