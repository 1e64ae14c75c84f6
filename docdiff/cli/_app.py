"""The Typer application, the error policy shared by every command and the atomic file writer."""

from __future__ import annotations

import functools
import inspect
import os
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any, ParamSpec, TextIO, TypeVar, cast

import typer

from docdiff.cli._rich_help import defer_rich_imports
from docdiff.errors import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_THRESHOLD,
    LoaderWarning,
    OutputError,
    exit_status,
    os_problem,
    printable,
)

P = ParamSpec("P")
R = TypeVar("R")

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_THRESHOLD",
    "app",
    "atomic_open",
    "atomic_write",
    "fail",
    "friendly",
]

defer_rich_imports()

app = typer.Typer(
    name="docdiff",
    help="Find where documents reuse one another's wording.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def wordless(text: str) -> bool:
    """A document with no word to compare (an empty or blank file, a page of marks only)."""
    import re

    return re.search(r"[^\W_]", text) is None


def fail(message: str, code: int = EXIT_BAD_INPUT) -> typer.Exit:
    """Print one line on stderr and return the Exit to raise."""
    sys.stderr.write(f"docdiff: {' '.join(printable(message).split())}\n")
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
    """Turn every exception into one stderr line and an exit code (see `docdiff.errors`)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        warnings.showwarning = _show_warning
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except BrokenPipeError:
            _quiet_stdout()
            raise typer.Exit(EXIT_OK) from None
        except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001  (the CLI's last word)
            code, message = exit_status(exc)
            raise fail(message, code) from None

    # Typer builds every command on every run, reading each one's signature and then its type
    # hints: with string annotations (``from __future__ import annotations``) it compiled and
    # evaluated each of them twice per run. Evaluated once here, they are read as they are.
    signature = inspect.signature(func, eval_str=True)
    wrapper.__signature__ = signature  # type: ignore[attr-defined]
    wrapper.__annotations__ = {
        name: p.annotation
        for name, p in signature.parameters.items()
        if p.annotation is not p.empty
    }
    if signature.return_annotation is not signature.empty:
        wrapper.__annotations__["return"] = signature.return_annotation
    return wrapper


def _quiet_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so the interpreter's flush stays silent."""
    with suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


# --- atomic writes -------------------------------------------------------------------------------


@contextmanager
def atomic_open(path: Path) -> Iterator[TextIO]:
    """A UTF-8 text handle (no newline translation) for `path`; see `atomic_write`."""
    with _atomic(path, binary=False) as fh:
        yield cast(TextIO, fh)


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write `data` (text as UTF-8) to `path` atomically.

    The data goes to a temporary file beside `path`, which is renamed over it at the end; on any
    error the temporary file is removed and `path` is untouched, so a full disk never leaves an
    empty or truncated result. Special files (a FIFO, ``/dev/stdout``) are written directly.
    Failures raise `OutputError` (one line naming the file).
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with _atomic(path, binary=True) as fh:
        fh.write(raw)


@contextmanager
def _atomic(path: Path, *, binary: bool) -> Iterator[IO[Any]]:
    """A handle whose content replaces `path` only when the block ends without an error."""
    if path.exists() and not path.is_file():
        try:
            special: IO[Any] = path.open("wb") if binary else path.open("w", encoding="utf-8")
            with special as fh:
                yield fh
        except OSError as exc:
            raise OutputError(str(path), f"cannot write: {os_problem(exc)}") from None
        return
    import tempfile  # only a run that writes a file needs it (`docdiff --help` does not)

    folder = path.parent if str(path.parent) else Path()
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(str(path), f"cannot write: {os_problem(exc)}") from None
    tmp = Path(name)
    try:
        raw: IO[Any] = (
            os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
        )
        with raw as fh:
            yield fh
            fh.flush()
        tmp.chmod(_mode_for(path))
        tmp.replace(path)
    except OSError as exc:
        _unlink(tmp)
        raise OutputError(str(path), f"cannot write: {os_problem(exc)}") from None
    except BaseException:
        _unlink(tmp)
        raise


def _mode_for(path: Path) -> int:
    """The existing file's permissions, or the usual ones for a new file under the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _unlink(tmp: Path) -> None:
    with suppress(OSError):
        tmp.unlink()


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
