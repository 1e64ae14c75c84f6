"""The Typer application and the error policy shared by every command."""

from __future__ import annotations

import functools
import sys
import warnings
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from docdiff.errors import DocdiffError, LoaderWarning

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="docdiff",
    help="Find where documents reuse one another's wording.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OK = 0
EXIT_THRESHOLD = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130


def fail(message: str, code: int = EXIT_BAD_INPUT) -> typer.Exit:
    """Print one line on stderr and return the Exit to raise."""
    sys.stderr.write(f"docdiff: {message}\n")
    sys.stderr.flush()
    return typer.Exit(code)


_show_other_warning = warnings.showwarning


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: object = None,
    line: str | None = None,
) -> None:
    """Loader notes print as ``docdiff: <path>: <note>``: one line, like errors."""
    if issubclass(category, LoaderWarning):
        sys.stderr.write(f"docdiff: {message}\n")
        return
    _show_other_warning(message, category, filename, lineno, file, line)  # type: ignore[arg-type]


def friendly(func: Callable[P, R]) -> Callable[P, R]:
    """Turn docdiff errors and Ctrl-C into one stderr line and an exit code, not a traceback."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        warnings.showwarning = _show_warning
        try:
            return func(*args, **kwargs)
        except DocdiffError as exc:
            raise fail(str(exc)) from None
        except KeyboardInterrupt:
            raise fail("interrupted", EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            raise typer.Exit(EXIT_OK) from None

    return wrapper
