"""The Typer application and the error policy shared by every command."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from docdiff.errors import DocdiffError

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="docdiff",
    help="Find where documents reuse one another's wording.",
    no_args_is_help=True,
    add_completion=True,
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


def friendly(func: Callable[P, R]) -> Callable[P, R]:
    """Turn docdiff errors and Ctrl-C into one stderr line and an exit code, not a traceback."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except DocdiffError as exc:
            raise fail(str(exc)) from None
        except KeyboardInterrupt:
            raise fail("interrupted", EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            raise typer.Exit(EXIT_OK) from None

    return wrapper


def _show_version(value: bool) -> None:
    if value:
        from docdiff import __version__

        typer.echo(f"docdiff {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _main(
    version: bool = typer.Option(
        False,
        "--version",
        "-V",
        help="Show the version and exit.",
        is_eager=True,
        callback=_show_version,
    ),
) -> None:
    """Find where documents reuse one another's wording."""
