"""Commands ``report`` (re-render a saved JSON result), ``diff`` (version diff) and ``patch``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from docdiff.cli._app import EXIT_OK, EXIT_THRESHOLD, app, atomic_open, atomic_write, friendly

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console
    from rich.text import Text

    from docdiff.versiondiff import VersionDiff

DIFF_FORMATS = ("terminal", "unified", "html", "json", "patch")
DIFF_SUFFIXES = {".html": "html", ".htm": "html", ".json": "json", ".patch": "patch",
                 ".diff": "unified"}  # fmt: skip
REPORT_FORMATS = {"html": "html", "htm": "html", "md": "markdown", "markdown": "markdown",
                  "csv": "csv", "json": "json"}  # fmt: skip


def _read_text(path: str) -> str:
    """The text of a document, through the loaders (which name the file in every error)."""
    from docdiff.loaders import load

    return load(path).text


def _write(text: str, output: Path | None) -> None:
    """Write `text` as UTF-8 to `output`, or to stdout byte for byte (no newline translation)."""
    data = text.encode("utf-8")
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    atomic_write(output, data)


@app.command()
@friendly
def diff(
    old: Annotated[str, typer.Argument(help="The old version ('-' reads stdin).")],
    new: Annotated[str, typer.Argument(help="The new version.")],
    *,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="terminal, unified, html, json or patch (default: from -o's suffix).",
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    context: Annotated[
        int | None,
        typer.Option(
            "--context",
            "-C",
            help="Unchanged words (terminal, default 8) or lines (unified, default 3) shown "
            "around each change; -1 shows everything.",
        ),
    ] = None,
    min_move_words: Annotated[
        int, typer.Option("--min-move-words", help="Shortest run of words reported as a move.")
    ] = 5,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit with 1 when the versions differ.")
    ] = False,
) -> None:
    """Word-level diff of two versions of one document, with moved blocks shown as moves."""
    import json

    from docdiff.errors import OptionsError
    from docdiff.versiondiff import diff_texts, to_patch, unified

    if format is None:
        suffix = output.suffix.lower() if output is not None else ""
        format = DIFF_SUFFIXES.get(suffix, "terminal")
    if format not in DIFF_FORMATS:
        raise OptionsError(f"--format must be one of {', '.join(DIFF_FORMATS)}, not {format!r}")
    if min_move_words < 2:
        raise OptionsError(f"--min-move-words must be at least 2, not {min_move_words}")
    a_text = _read_text(old)
    b_text = _read_text(new)
    result = diff_texts(a_text, b_text, min_move_words=min_move_words)
    if format == "terminal":
        _print_terminal(result, 8 if context is None else context, output)
    elif format == "unified":
        lines = 3 if context is None else 10**9 if context < 0 else context
        _write(unified(a_text, b_text, a_name=old, b_name=new, context=lines), output)
    elif format == "html":
        from docdiff.render.html_diff import render_diff_html

        _write(render_diff_html(result, a_name=old, b_name=new), output)
    elif format == "json":
        data = {**result.to_dict(), "a": {"path": old}, "b": {"path": new}}
        _write(json.dumps(data, ensure_ascii=False, indent=1) + "\n", output)
    else:
        _write(to_patch(result), output)
    if format != "terminal" or output is not None:
        sys.stderr.write(result.stats.line() + "\n")
    if exit_code and result.changed:
        raise typer.Exit(EXIT_THRESHOLD)
    raise typer.Exit(EXIT_OK)


@app.command()
@friendly
def patch(
    original: Annotated[str, typer.Argument(help="The old version the patch was made from.")],
    patchfile: Annotated[Path, typer.Argument(help="A patch from `docdiff diff --format patch`.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Apply a `docdiff diff --format patch` patch to the original, rebuilding the new version."""
    from docdiff.chardiff import apply_patch
    from docdiff.errors import InputError

    try:
        patch_text = patchfile.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(str(patchfile), "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(patchfile), f"cannot read the patch ({exc})") from None
    rebuilt = apply_patch(_read_text(original), patch_text, path=str(patchfile))
    _write(rebuilt, output)


@app.command()
@friendly
def report(
    result: Annotated[
        Path, typer.Argument(help="A JSON result (`compare`/`scan --format json`; - for stdin).")
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Report file: .html, .md or .csv.")
    ] = None,
    *,
    format: Annotated[
        str | None,
        typer.Option("--format", "-f", help="html, markdown, csv or json (default: from -o)."),
    ] = None,
) -> None:
    """Re-render a saved JSON result as HTML, Markdown or CSV, without the original files."""

    from docdiff.errors import InputError, OptionsError

    chosen = format
    if chosen is None:
        suffix = output.suffix.lstrip(".").lower() if output is not None else ""
        chosen = REPORT_FORMATS.get(suffix)
        if chosen is None:
            raise OptionsError("give --format, or an --output name ending in .html, .md or .csv")
    chosen = REPORT_FORMATS.get(chosen, chosen)
    if chosen not in {"html", "markdown", "csv", "json"}:
        raise OptionsError(f"--format must be html, markdown, csv or json, not {format!r}")
    try:
        raw = sys.stdin.buffer.read() if str(result) == "-" else result.read_bytes()
    except FileNotFoundError:
        raise InputError(str(result), "no such file") from None
    except OSError as exc:
        raise InputError(str(result), f"cannot read ({exc.strerror or exc})") from None
    from docdiff.render.jsonout import dumps, read_report

    rep = read_report(raw, source=str(result))
    if chosen == "html":
        from docdiff.render.html import render_html

        text = render_html(rep)
    elif chosen == "markdown":
        from docdiff.render.markdown import render_markdown

        text = render_markdown(rep)
    elif chosen == "csv":
        from docdiff.render.csvout import render_csv

        text = render_csv(rep)
    else:
        text = dumps(rep)
    _write(text, output)


def _print_terminal(result: VersionDiff, context: int, output: Path | None) -> None:
    """Inline coloured diff: deletions red and struck, insertions green, moves violet."""
    from docdiff.cli.terminal import SafeConsole

    if output is not None:
        with atomic_open(output) as fh:
            _render_terminal(SafeConsole(file=fh, no_color=True, width=100), result, context)
        return
    _render_terminal(SafeConsole(highlight=False, soft_wrap=True), result, context)


def _render_terminal(console: Console, result: VersionDiff, context: int) -> None:
    from rich.text import Text

    # Without colour (a pipe, NO_COLOR), git's word-diff markers keep changes readable.
    plain = console.no_color or not console.is_terminal
    text = Text()

    def old(piece: str, style: str) -> None:
        text.append(f"[-{piece}-]" if plain else piece, style=style)

    def new(piece: str, style: str) -> None:
        text.append(f"{{+{piece}+}}" if plain else piece, style=style)

    hunks = result.hunks
    labelled: set[tuple[str, int | None]] = set()
    for n, h in enumerate(hunks):
        if h.tag == "equal":
            text.append(_fold(h.a_text, context, first=n == 0, last=n == len(hunks) - 1))
        elif h.tag == "delete":
            old(h.a_text, "red strike")
        elif h.tag == "insert":
            new(h.b_text, "green underline")
        elif h.tag == "replace" and h.detail and not plain:
            _append_detail(text, h.detail)
        elif h.tag == "replace":
            old(h.a_text, "red strike")
            new(h.b_text, "green underline")
        elif h.tag == "move_from":
            if ("from", h.move) not in labelled:  # label only the first piece of a block
                labelled.add(("from", h.move))
                text.append(f"⟦moved #{h.move} →⟧", style="bold magenta")
            old(h.a_text, "magenta strike")
        else:
            if ("to", h.move) not in labelled:
                labelled.add(("to", h.move))
                text.append(f"⟦→ moved #{h.move}⟧", style="bold magenta")
            new(h.b_text, "magenta underline")
    console.print(text, end="")
    if not text.plain.endswith("\n"):
        console.print()
    console.print(result.stats.line(), style="bold")


def _append_detail(text: Text, detail: Sequence[tuple[str, str]]) -> None:
    """A replaced stretch character by character (colour only: plain output never gets here)."""
    styles = {"equal": "yellow", "delete": "bold red strike"}
    for tag, piece in detail:
        text.append(piece, style=styles.get(tag, "bold green underline"))


def _fold(text: str, context: int, *, first: bool, last: bool) -> str:
    """Keep `context` words either side of a change; fold the rest of an unchanged stretch."""
    import re

    if context < 0:
        return text
    tokens = re.findall(r"\S+|\s+", text)
    word_at = [i for i, t in enumerate(tokens) if not t.isspace()]
    keep_head = 0 if first else context
    keep_tail = 0 if last else context
    if len(word_at) <= keep_head + keep_tail + 3:
        return text
    skipped = len(word_at) - keep_head - keep_tail
    head = "".join(tokens[: word_at[keep_head]]) if keep_head else ""
    tail = "".join(tokens[word_at[len(word_at) - keep_tail] :]) if keep_tail else ""
    return f"{head}[…{skipped} unchanged words…] {tail}"
