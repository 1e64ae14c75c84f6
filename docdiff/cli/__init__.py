"""The ``docdiff`` command line. Command modules import heavy code only inside their bodies."""

from __future__ import annotations

import gc
import os

from docdiff import interrupts
from docdiff.cli import compare as _compare  # noqa: F401  (registers its command)
from docdiff.cli import corpus as _corpus  # noqa: F401  (registers its commands)
from docdiff.cli import reports as _reports  # noqa: F401  (registers its commands)
from docdiff.cli import serve as _serve  # noqa: F401  (registers its command)
from docdiff.cli._app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    # docdiff does no linear algebra, but numpy's OpenBLAS starts a thread per core when
    # numpy is imported, and they spin for a while: on a two-core machine that was about
    # 0.1 s of CPU per run. One thread, unless the user asked for more.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # A comparison builds lists of tens of thousands of items; the cyclic collector walked
    # them again and again (3 % of the instructions of a 50,000-word compare). What is loaded
    # by now lives as long as the process: frozen out of the collections, which run less
    # often (same peak memory on that compare).
    gc.freeze()
    gc.set_threshold(*_GC_THRESHOLDS)
    interrupts.install()  # Ctrl-C is remembered too, where Python could drop it
    app()


_GC_THRESHOLDS = (50_000, 20, 20)
"""The collector's thresholds for a run of the command line (Python's default: 700, 10, 10)."""
