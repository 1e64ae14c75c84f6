"""The ``docdiff`` command line. Command modules import heavy code only inside their bodies."""

from __future__ import annotations

import os

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
    app()
