"""Python's cyclic garbage collector paused while the engine compares or a query runs
(`collector_paused`): one policy, one count of the comparisons and queries running."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


class _Pause:
    """Comparisons and queries running with the collector paused (across threads), and whether
    it was on."""

    lock = threading.Lock()
    running = 0
    was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a comparison or a query runs (in any thread).

    A comparison makes hundreds of thousands of small objects (a 50,000-word pair: tokens,
    ops, candidate lists); each time enough accumulate, the collector walks every tracked
    object of the process, a query's cached sources included. On the 50,000-word pair, with
    Python's default thresholds, that was 3.5 % of the instructions of an in-process compare
    and about a tenth of its time (four full collections every three compares, about 40 ms
    each); it took about a quarter of a query's CPU on the UN index. A comparison makes almost
    no reference cycles (reference counting frees its garbage), and the collector runs again
    as soon as the last running comparison or query ends; it stays disabled when the caller
    had disabled it.

    What they kept (a query's new cached sources: a few long lists each) then goes straight to
    the collector's oldest generation, as `gc.freeze` and `gc.unfreeze` move it, instead of
    being walked by a young collection at once (5-8 ms a query on the UN index); a full
    collection still walks it. Not done when something else froze objects (`gc.unfreeze` would
    thaw them too).
    """
    with _Pause.lock:
        if _Pause.running == 0:
            _Pause.was_enabled = gc.isenabled()
            gc.disable()
        _Pause.running += 1
    try:
        yield
    finally:
        with _Pause.lock:
            _Pause.running -= 1
            if _Pause.running == 0 and _Pause.was_enabled:
                if gc.get_freeze_count() == 0:
                    gc.freeze()
                    gc.unfreeze()
                gc.enable()
