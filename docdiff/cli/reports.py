"""Commands ``report`` (re-render a saved JSON result), ``diff`` (version diff) and ``patch``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from docdiff.cli._app import EXIT_OK, EXIT_THRESHOLD, app, friendly
from docdiff.cli._output import DiffFormatOption, ReportFormatOption, choose, console_for, emit
from docdiff.cli._output import write_result as _write
from docdiff.cli.compare import ECHOES_SHOWN

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import TextIO

    from rich.console import Console
    from rich.text import Text

    from docdiff.model import Report
    from docdiff.versiondiff import Hunk, VersionDiff


def _read_text(path: str) -> str:
    """The text of a document, through the loaders (which name the file in every error)."""
    from docdiff.loaders import load

    return load(path).text


@app.command()
@friendly
def diff(
    old: Annotated[str, typer.Argument(help="The old version ('-' reads stdin).")],
    new: Annotated[str, typer.Argument(help="The new version.")],
    *,
    format: DiffFormatOption = None,
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
    whitespace: Annotated[
        str,
        typer.Option(
            "--whitespace",
            metavar="MODE",
            help="Which white space between the same words is an edit: paragraphs (a paragraph "
            "break added or removed; reflowed lines, spaces and indents are not), ignore (none) "
            "or show (every difference). The patch format always rebuilds the new version "
            "exactly.",
        ),
    ] = "paragraphs",
    exit_code: Annotated[
        bool,
        typer.Option(
            "--exit-code", help="Exit with 1 when the diff shows an edit (see --whitespace)."
        ),
    ] = False,
) -> None:
    """Word-level diff of two versions of one document, with moved blocks shown as moves."""
    from docdiff.errors import OptionsError
    from docdiff.render.formats import DiffView
    from docdiff.versiondiff import WHITESPACE_MODES, diff_texts

    chosen = choose("diff", format, output)
    if min_move_words < 2:
        raise OptionsError(f"--min-move-words must be at least 2, not {min_move_words}")
    mode = next((m for m in WHITESPACE_MODES if m == whitespace.lower()), None)
    if mode is None:
        msg = f"--whitespace must be one of {', '.join(WHITESPACE_MODES)}, not {whitespace!r}"
        raise OptionsError(msg)
    result = diff_texts(
        _read_text(old), _read_text(new), min_move_words=min_move_words, whitespace=mode
    )
    view = DiffView(result, a_name=old, b_name=new, context=context)

    def text(file: TextIO | None) -> None:
        _print_terminal(result, 8 if context is None else context, file)

    emit("diff", view, chosen, output, text=text)
    if chosen != "text" or output is not None:
        sys.stderr.write(result.stats.line() + "\n")
    if exit_code and result.edited:
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
        Path | None,
        typer.Option("--output", "-o", help="Report file: .html, .md, .csv, .json or .txt."),
    ] = None,
    echoes: Annotated[
        int,
        typer.Option(
            "--echoes",
            min=0,
            help="Echoes a compare result's text shows, most distinctive first (0: all).",
        ),
    ] = ECHOES_SHOWN,
    *,
    format: ReportFormatOption = None,
) -> None:
    """Re-render a saved JSON result (HTML, Markdown, CSV, JSON or text) without the originals."""

    from docdiff.errors import InputError

    chosen = choose("report", format, output)
    try:
        raw = sys.stdin.buffer.read() if str(result) == "-" else result.read_bytes()
    except FileNotFoundError:
        raise InputError(str(result), "no such file") from None
    except OSError as exc:
        raise InputError(str(result), f"cannot read ({exc.strerror or exc})") from None
    from docdiff.render.jsonout import read_report

    rep = read_report(raw, source=str(result))
    emit("report", rep, chosen, output, text=lambda file: _print_report(rep, file, echoes))


def _print_report(report: Report, file: TextIO | None, echoes: int = ECHOES_SHOWN) -> None:
    """A saved result drawn as its command drew it (compare, scan, formulae or query)."""
    from docdiff.cli import corpus

    if report.command == "compare":
        from docdiff.cli.terminal import print_compare

        color = False if file is not None else None
        print_compare(report, color=color, file=file, echoes=echoes)
    elif report.command == "query":
        corpus._print_query(console_for(file), report)
    elif report.formulae and not report.pairs:
        corpus._print_formulae(console_for(file), report)
    else:
        corpus._print_scan(console_for(file), report, 20)


def _print_terminal(result: VersionDiff, context: int, file: TextIO | None) -> None:
    """Inline coloured diff: deletions red and struck, insertions green, moves violet."""
    _render_terminal(console_for(file, width=100, soft_wrap=True), result, context)


def _render_terminal(console: Console, result: VersionDiff, context: int) -> None:
    from collections import Counter

    from rich.text import Text

    from docdiff.versiondiff import is_space_edit, joined_unchanged

    # Without colour (a pipe, NO_COLOR), git's word-diff markers keep changes readable.
    plain = console.no_color or not console.is_terminal
    text = Text()

    hunks = result.hunks
    labelled: set[tuple[str, int | None]] = set()
    # Without colour a moved block is its text between two labels, not inside markers: an
    # edit in it ("Article [-IV-]{+V+}") then stands out as the one change it is.
    pieces_left: Counter[tuple[str, int | None]] = Counter(
        (h.tag, h.move) for h in hunks if h.tag in ("move_from", "move_to")
    )

    def moved(h: Hunk, side: str, label: str, piece: str, style: str) -> None:
        if (side, h.move) not in labelled:  # label only the first piece of a block
            labelled.add((side, h.move))
            text.append(label, style="bold magenta")
        if not plain:
            text.append(piece, style=style)
            return
        text.append(piece)
        pieces_left[h.tag, h.move] -= 1
        if not pieces_left[h.tag, h.move]:
            text.append(f"⟦#{h.move} ends⟧", style="bold magenta")

    shown = list(joined_unchanged(hunks))
    for n, h in enumerate(shown):
        if h.tag == "equal":
            # In the new version's layout: white space that is not an edit reads as the new text;
            # a block moved away keeps the white space that followed it, so text does not run on.
            same = h.b_text
            if n and shown[n - 1].tag == "move_from" and not same[:1].isspace():
                same = h.a_text[: len(h.a_text) - len(h.a_text.lstrip())] + same
            text.append(_fold(same, context, first=n == 0, last=n == len(shown) - 1))
        elif is_space_edit(h):
            was, now = result.space_marks(h)
            _deleted(text, was, plain=plain)
            _inserted(text, now, plain=plain)
            text.append(h.b_text)  # the new layout, after its marks
        elif h.tag == "delete":
            _deleted(text, h.a_text, plain=plain)
        elif h.tag == "insert":
            _inserted(text, h.b_text, plain=plain)
        elif h.tag == "replace" and h.detail and not plain:
            _append_detail(text, h.detail)
        elif h.tag == "replace":
            _deleted(text, h.a_text, plain=plain)
            _inserted(text, h.b_text, plain=plain)
        elif h.tag == "move_from":
            moved(h, "from", f"⟦moved #{h.move} →⟧", h.a_text, "magenta strike")
        else:
            moved(h, "to", f"⟦→ moved #{h.move}⟧", h.b_text, "magenta underline")
    console.print(text, end="")
    if not text.plain.endswith("\n"):
        console.print()
    console.print(result.stats.line(), style="bold")


def _deleted(text: Text, piece: str, *, plain: bool) -> None:
    """Old text, red and struck (git's ``[-…-]`` without colour); nothing when empty."""
    if piece:
        text.append(f"[-{piece}-]" if plain else piece, style="red strike")


def _inserted(text: Text, piece: str, *, plain: bool) -> None:
    """New text, green and underlined (git's ``{+…+}`` without colour); nothing when empty."""
    if piece:
        text.append(f"{{+{piece}+}}" if plain else piece, style="green underline")


def _append_detail(text: Text, detail: Sequence[tuple[str, str]]) -> None:
    """A replaced stretch character by character (colour only: plain output never gets here)."""
    styles = {"equal": "yellow", "delete": "bold red strike"}
    for tag, piece in detail:
        text.append(piece, style=styles.get(tag, "bold green underline"))


def _fold(text: str, context: int, *, first: bool, last: bool) -> str:
    """Keep `context` words either side of a change; fold the rest of an unchanged stretch
    when that hides more words than the context shows (three at least). The line breaks of
    what is folded are kept as one: the words after it start their line as they did ("2.
    Term" after a folded clause was run onto the clause's line)."""
    import re

    if context < 0:
        return text
    tokens = re.findall(r"\S+|\s+", text)
    word_at = [i for i, t in enumerate(tokens) if not t.isspace()]
    keep_head = 0 if first else context
    keep_tail = 0 if last else context
    skipped = len(word_at) - keep_head - keep_tail
    if skipped <= max(3, context):
        return text
    lo = word_at[keep_head]
    hi = word_at[len(word_at) - keep_tail] if keep_tail else len(tokens)
    head = "".join(tokens[:lo])
    tail = "".join(tokens[hi:])
    breaks = "".join(tokens[lo:hi]).count("\n")
    if not breaks:
        return f"{head}[…{skipped} unchanged words…] {tail}"
    # Its lines: the marker on a line of its own, the text after it where its line starts.
    head = head.rstrip(" \t")
    before = "" if not head or head.endswith("\n") else "\n"
    after = tokens[hi - 1] if hi < len(tokens) and "\n" in tokens[hi - 1] else "\n"
    return f"{head}{before}[…{skipped} unchanged words…]{after if tail else ''}{tail}"
