"""The ``docdiff`` command line. Command modules import heavy code only inside their bodies."""

from __future__ import annotations

from docdiff.cli import compare as _compare  # noqa: F401  (registers its command)
from docdiff.cli import corpus as _corpus  # noqa: F401  (registers its commands)
from docdiff.cli import reports as _reports  # noqa: F401  (registers its commands)
from docdiff.cli import serve as _serve  # noqa: F401  (registers its command)
from docdiff.cli._app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    app()
