"""Where every command's result goes: the format chosen by `docdiff.render.formats`, one writer.

`emit` writes a result to ``-o FILE`` (atomically, see `atomic_write`) or to stdout: a file format
through the registry's renderer, text through the command's own console printer. `write_result`
is the one writer for a finished string or its pieces (a JSON report is written as the encoder
makes it, never held whole); stdout gets its bytes exactly (no newline added or translated), so a
patch or a rebuilt text passes through a pipe unchanged.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from docdiff.cli._app import atomic_open, atomic_write
from docdiff.render.formats import DiffView, Kind, choose, format_help, render

if TYPE_CHECKING:
    from docdiff.cli.terminal import SafeConsole
    from docdiff.model import Report

__all__ = [
    "DiffFormatOption",
    "OutputOption",
    "ReportFormatOption",
    "TextPrinter",
    "choose",
    "console_for",
    "emit",
    "write_result",
]

ReportFormatOption = Annotated[
    str | None, typer.Option("--format", "-f", help=format_help("report"))
]
DiffFormatOption = Annotated[str | None, typer.Option("--format", "-f", help=format_help("diff"))]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write the result to this file.")
]

TextPrinter = Callable[[TextIO | None], None]
"""Draws a result as text on stdout (None) or into an open file."""


def console_for(file: TextIO | None, *, width: int = 120, **stdout: Any) -> SafeConsole:
    """The console a text view draws on: stdout as it is, or a file (no colour, fixed width)."""
    from docdiff.cli.terminal import SafeConsole

    if file is None:
        return SafeConsole(highlight=False, **stdout)
    return SafeConsole(file=file, highlight=False, width=width, no_color=True)


def emit(
    kind: Kind,
    result: Report | DiffView,
    format: str,
    output: Path | None,
    *,
    text: TextPrinter,
) -> None:
    """Write `result` in `format` (a name `choose` returned) to `output` or stdout."""
    if format == "text":
        if output is None:
            text(None)
            return
        with atomic_open(output) as fh:
            text(fh)
        return
    write_result(render(kind, result, format), output)


def write_result(data: str | Iterable[str], output: Path | None) -> None:
    """`data` (a string, or its pieces in order) as UTF-8 into `output` (atomically), or onto
    stdout byte for byte."""
    if output is not None:
        if isinstance(data, str):
            atomic_write(output, data)
            return
        with atomic_open(output) as fh:
            fh.writelines(data)
        return
    sys.stdout.flush()
    out = sys.stdout.buffer
    for piece in _batches((data,) if isinstance(data, str) else data):
        rest = memoryview(piece.encode("utf-8"))
        while rest:  # a pipe whose reader left takes part of a write without an error: go on
            written = out.write(rest)
            if not written:
                raise BrokenPipeError
            rest = rest[written:]
    out.flush()


_BATCH = 1 << 20
"""Characters gathered from a renderer's pieces before one write to stdout."""


def _batches(pieces: Iterable[str]) -> Iterator[str]:
    """`pieces` joined into strings of about `_BATCH` characters (one write each, not one per
    piece)."""
    held: list[str] = []
    size = 0
    for piece in pieces:
        held.append(piece)
        size += len(piece)
        if size >= _BATCH:
            yield "".join(held)
            held, size = [], 0
    if held:
        yield "".join(held)
