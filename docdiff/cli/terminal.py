"""Terminal rendering of a compare report with rich: aligned passage pairs and a summary."""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple, TextIO

from rich.cells import cell_len, get_character_cell_size
from rich.console import Console, ConsoleOptions, OverflowMethod
from rich.padding import Padding
from rich.segment import Segment, Segments
from rich.table import Table
from rich.text import Text

from docdiff.errors import printable
from docdiff.model import Document, Kind, Match, Report, Span
from docdiff.render.notes import plural, where

__all__ = ["KIND_STYLES", "SafeConsole", "print_compare"]


class SafeConsole(Console):
    """A rich console that never writes a control character taken from a document.

    Document text, file names and metadata may hold escape sequences (OSC 52 sets the
    clipboard, OSC 0 the window title, CSI 2J clears the screen). They are removed from every
    text segment just before output; the console's own styling is added after, so colours stay.
    Markup is off by default: text is never read as rich markup.
    """

    def render_str(self, text: str, **kwargs: Any) -> Text:
        """Strings (prints, table cells) are cleaned before they are measured."""
        return super().render_str(printable(text), **kwargs)

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            seg if seg.control else Segment(printable(seg.text), seg.style, seg.control)
            for seg in buffer
        )

    def on_broken_pipe(self) -> None:
        """A reader that left (`docdiff … | head`) is no failure: the command's own handler
        quiets stdout and exits 0, where rich would exit 1, the code of a threshold met."""
        self.quiet = True
        raise BrokenPipeError


KIND_STYLES: dict[Kind, str] = {
    Kind.FORMULA: "bold blue",
    Kind.NAME: "bold magenta",
    Kind.PHRASING: "bold red",
    Kind.PARAPHRASE: "bold yellow",
    Kind.QUOTATION: "bold green",
}
_SHARED = "bold"
_A_ONLY = "red strike"
_B_ONLY = "green underline"
_OTHER = "dim"


def print_compare(
    report: Report,
    *,
    explain: bool = False,
    color: bool | None = None,
    file: TextIO | None = None,
    echoes: int = 0,
) -> None:
    """Print every match of a compare report side by side, then its `echoes` most distinctive
    echoes (0: all) and the pair's summary."""
    # Every string printed here is the report's own (ids, scores, the summary's labels); a
    # document's text always comes as a `Text`: no markup nor emoji codes to read (rich's
    # table of emoji names is then never loaded).
    console = SafeConsole(
        file=file,
        force_terminal=color if color else None,
        no_color=color is False,
        highlight=False,
        soft_wrap=False,
        width=None if file is None else 120,
        markup=False,
        emoji=False,
    )
    a_doc, b_doc = report.documents[0], report.documents[1]
    pair = report.pairs[0]
    # A path is printed whole on its line (a terminal folds it): wrapped by words, a long one
    # left "A" alone on a line and broke the path at a hyphen.
    console.print(Text.assemble(("A  ", "bold"), printable(a_doc.path or a_doc.id)), soft_wrap=True)
    console.print(Text.assemble(("B  ", "bold"), printable(b_doc.path or b_doc.id)), soft_wrap=True)
    if a_doc.sha256 and a_doc.sha256 == b_doc.sha256:
        same = a_doc.path and a_doc.path == b_doc.path
        note = "A and B are the same file" if same else "A and B are identical files"
        console.print(Text(f"{note} (the same bytes)", style="italic"))
    if not pair.matches:
        console.print(Text("No reused passage found.", style="italic"))
    # Tables drawn here are written together: each write of rich's costs as much as a table.
    drawn_tables: list[str] = []
    # Without colour (a pipe, a file, NO_COLOR) the edits inside a passage are marked in the text.
    marks = console.color_system is None
    # Where the console draws no style, a passage's table is drawn from its plain strings
    # (`_plain_passage`), without building rich's texts and table for it.
    frame = None if explain else _passage_frame(console)
    for n, m in enumerate(pair.matches, 1):
        drawn = _plain_passage(frame, n, m, a_doc, b_doc, marks=marks) if frame else None
        if drawn is None:
            table = _match_table(n, m, a_doc, b_doc, explain=explain, marks=marks)
            drawn = None if explain else _plain_table(console, table)
        if drawn is not None:
            drawn_tables.append(drawn)
            continue
        if drawn_tables:
            _write_drawn(console, "\n".join(drawn_tables))
            drawn_tables = []
        console.print(table)
    if drawn_tables:
        _write_drawn(console, "\n".join(drawn_tables))
    shown = pair.echoes[:echoes] if echoes else pair.echoes
    _print_echoes(console, shown, a_doc, b_doc, explain=explain, of=len(pair.echoes))
    _print_summary(console, report)


def _write_drawn(console: Console, text: str) -> None:
    """Write lines drawn already from printable text (tables and rows without style) as
    ``console.out`` writes them, in one segment: ``out`` would make a text of every line and
    strip each of control codes it cannot hold. (A tab, which ``out`` expands, never stands
    in them; one that did would be written by ``out``.)"""
    if "\t" in text:
        console.out(text, highlight=False)
    else:
        console.print(Segments([Segment(text + "\n")]), crop=False)


def _print_echoes(
    console: Console,
    echoes: tuple[Match, ...],
    a_doc: Document,
    b_doc: Document,
    *,
    explain: bool,
    of: int,
) -> None:
    """Short shared phrases below the passage size, most distinctive first: `echoes`, the
    first of the pair's `of`, then a line saying how many more there are.

    One row each, in a borderless grid: a long phrase wraps inside its own column instead of
    running under the id and kind of the row, whatever the terminal's width.
    """
    if not echoes:
        return
    console.print(
        Text.assemble(
            (f"Echoes ({of})", "bold"),
            ("  short shared phrases, most distinctive first", "dim"),
        )
    )
    ids = [f"  e{n}" for n in range(1, len(echoes) + 1)]
    widths = (
        max(map(len, ids)),
        max(len(m.kind.value) for m in echoes),
        max(len(f"{m.distinctiveness or 0.0:.1f}") for m in echoes),
    )
    rows = [
        (
            tag,
            m.kind.value,
            f"{m.distinctiveness or 0.0:.1f}",
            _flat(a_doc.text[m.a.span.start : m.a.span.end]),
            "|",
            _flat(b_doc.text[m.b.span.start : m.b.span.end]),
        )
        for tag, m in zip(ids, echoes, strict=True)
    ]
    # Rows share one grid with the same fixed columns, so the phrases line up from row to row
    # (and one grid renders far faster than a grid per echo: a long pair has hundreds). An
    # explanation runs under both phrases, so it closes the grid and the next rows open another.
    # Where the console draws no style (a file, a pipe), a row of plain cells is written as
    # rich would draw it, without laying it out again.
    layout = _plain_layout(console, widths)
    grid = _echo_grid(widths)
    plain: list[str] = []
    for row, m in zip(rows, echoes, strict=True):
        line = _plain_row(row, layout) if layout is not None else None
        if line is not None and not (explain and m.reason):
            if grid.row_count:
                console.print(grid)
                grid = _echo_grid(widths)
            plain.append(line)
            continue
        if plain:
            _write_drawn(console, "\n".join(plain))
            plain = []
        tag, kind, score, a_text, bar, b_text = row
        grid.add_row(
            tag,
            Text(kind, style=KIND_STYLES[m.kind]),
            score,
            Text(a_text, style=_SHARED),
            Text(bar, style="dim"),
            Text(b_text, style=_SHARED),
        )
        if explain and m.reason:
            console.print(grid)
            grid = _echo_grid(widths)
            indent = sum(widths) + 3
            console.print(Padding(Text(m.reason, style="italic dim"), (0, 0, 0, indent)))
    if plain:
        _write_drawn(console, "\n".join(plain))
    if grid.row_count:
        console.print(grid)
    if of > len(echoes):
        more = plural(of - len(echoes), "less distinctive echo", "less distinctive echoes")
        console.print(Text(f"  … {more} (--echoes 0 shows all)", style="dim"))


_ECHO_JUSTIFY = ("right", "left", "right", "left", "left", "left")


def _plain_layout(
    console: Console, widths: tuple[int, int, int]
) -> list[tuple[int, int, int, bool]] | None:
    """Each echo column's left padding, inner width, right padding and right justification,
    as rich lays the grid out, when the console draws no style; None otherwise."""
    if console.color_system is not None or console.legacy_windows:
        return None
    grid = _echo_grid(widths)
    try:
        columns = grid._calculate_column_widths(console, console.options)
    except AttributeError:  # another rich: let it draw every row
        return None
    _, pad_right, _, pad_left = Padding.unpack(grid.padding)
    last = len(columns) - 1
    layout = []
    for i, (width, justify) in enumerate(zip(columns, _ECHO_JUSTIFY, strict=True)):
        # Each cell's padding as rich's table gives it (a grid collapses the padding between
        # columns and pads no outer edge).
        left, right = pad_left, pad_right
        if grid.collapse_padding and i > 0:
            left = max(0, left - right)
        if not grid.pad_edge:
            left = 0 if i == 0 else left
            right = 0 if i == last else right
        layout.append((left, width - left - right, right, justify == "right"))
    return layout


def _plain_row(row: Sequence[str], layout: Sequence[tuple[int, int, int, bool]]) -> str | None:
    """One echo row as rich draws it without style (a phrase too long for its column wrapped
    as rich wraps it, `_wrap_plain`), or None when a cell may not be drawn as itself (a test
    pins these lines to rich's for many widths and rows).

    Rich lays out and wraps every cell of a grid, which costs most of a long pair's output;
    a cell here is only wrapped and padded to its column.
    """
    cells: list[tuple[str, list[str], str, int]] = []
    for text, (left, inner, right, to_right) in zip(row, layout, strict=True):
        # A right-justified cell may open with spaces (the ids are indented).
        shown = text.lstrip(" ") if to_right else text
        if not _one_line(shown):
            return None
        if cell_len(text) <= inner:
            lines = [text.rjust(inner) if to_right else text.ljust(inner)]
        elif to_right or inner < 1:
            return None
        else:
            wrapped = _wrap_plain(text, inner)
            if wrapped is None:
                return None
            lines = wrapped
        cells.append((" " * left, lines, " " * right, inner))
    height = max(len(lines) for _, lines, _, _ in cells)
    # Cells align at the top; a shorter cell is blank below.
    return "\n".join(
        "".join(
            f"{pad_left}{lines[k] if k < len(lines) else ' ' * inner}{pad_right}"
            for pad_left, lines, pad_right, inner in cells
        )
        for k in range(height)
    )


def _one_line(text: str) -> bool:
    """Whether rich draws `text` as itself, one cell a character: printable, no space at
    either end and none doubled (rich strips or may break there)."""
    return (
        text.isprintable()
        and cell_len(text) == len(text)
        and text == text.strip()
        and "  " not in text
    )


def _echo_grid(widths: tuple[int, int, int]) -> Table:
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(justify="right", width=widths[0])
    grid.add_column(width=widths[1])
    grid.add_column(justify="right", width=widths[2])
    grid.add_column(ratio=1)
    grid.add_column(width=1)
    grid.add_column(ratio=1)
    return grid


def _title_parts(n: int, m: Match, a_doc: Document, b_doc: Document) -> list[tuple[str, str]]:
    """The parts of a passage table's title, each with its style."""
    return [
        (f"#{n} ", "bold"),
        (m.kind.value, KIND_STYLES[m.kind]),
        (f"  score {m.score:.1f}  {plural(m.words, 'shared word')}", ""),
        (f"  A {where(a_doc, m.a.span.start)}  B {where(b_doc, m.b.span.start)}", ""),
    ]


def _passage_table(title: Text) -> Table:
    """The table a passage is drawn in: its title, and a column for each side. A word wider
    than its column is folded onto the next lines, never cut short: a passage in Chinese or
    Japanese has no spaces to wrap at, and a long web address is one word."""
    table = Table(title=title, title_justify="left", show_header=False, expand=True, padding=(0, 1))
    table.add_column("A", ratio=1, overflow="fold")
    table.add_column("B", ratio=1, overflow="fold")
    return table


def _match_table(
    n: int, m: Match, a_doc: Document, b_doc: Document, *, explain: bool, marks: bool = False
) -> Table:
    table = _passage_table(Text.assemble(*_title_parts(n, m, a_doc, b_doc)))
    a_text, b_text = _highlight(m, a_doc, b_doc, marks=marks)
    table.add_row(a_text, b_text)
    if explain:
        why = Text(m.reason, style="italic")
        listed = ", ".join(m.shared)
        if listed and listed not in m.reason:  # (most reasons list the shared words already)
            why.append("\nshared: " + listed, style="dim")
        table.add_row(why, "")
    return table


def _plain_table(console: Console, table: Table) -> str | None:
    """A passage's table (a title and one row of two cells) as rich draws it, when the
    console draws no style and every text is plain (printable, one cell a character, no word
    wider than its column); None otherwise.

    Rich's table measures, pads and crops every cell segment by segment, which costs most of
    a long pair's output; the cells are wrapped here by rich's own `Text.wrap` and only framed
    (a test pins these tables to rich's for many widths and texts).
    """
    if len(table.rows) != 1:
        return None
    texts: list[Text] = []
    for part in (table.title, *(column._cells[0] for column in table.columns)):
        if not isinstance(part, Text) or not _plain_text(part.plain):
            return None
        texts.append(part)
    title, *cells = texts
    frame = _plain_frame(console, table, title.overflow)
    if frame is None:
        return None
    lines = _wrapped(console, title, frame.width, frame.title_overflow)
    columns = []
    for text, size, column in zip(cells, frame.widths, table.columns, strict=True):
        inner = size - 2
        justify = text.justify or column.justify
        if justify != "left" or column.vertical != "top" or column.no_wrap or text.no_wrap:
            return None
        if any(len(word) > inner for word in text.plain.split()):
            return None  # rich folds the word onto the next lines
        overflow = text.overflow or column.overflow
        columns.append([f" {line} " for line in _wrapped(console, text, inner, overflow)])
    return _framed(frame, lines, columns)


class _Frame(NamedTuple):
    """What drawing a passage's table from plain text needs beyond its texts."""

    widths: list[int]
    """The columns' widths, padding included."""
    width: int
    """The table's width, borders included (its title's)."""
    title_overflow: OverflowMethod
    top: str
    bottom: str
    left: str
    vertical: str
    right: str


def _plain_frame(
    console: Console, table: Table, title_overflow: OverflowMethod | None = None
) -> _Frame | None:
    """The `_Frame` of `table` (its title's own overflow `title_overflow`) when the console
    draws no style and rich would draw the table's borders and padding as `_framed` does;
    None otherwise."""
    if console.color_system is not None or console.legacy_windows:
        return None
    if (
        table.show_header
        or not table.show_edge
        or table.width is not None
        or table.title_justify != "left"
        or Padding.unpack(table.padding) != (0, 1, 0, 1)
        or table.collapse_padding
        or not table.pad_edge
    ):
        return None
    try:
        options = console.options
        full = options.max_width
        extra = table._extra_width
        widths = _column_widths(console, table, options.update_width(full - extra))
        box = table.box
        if box is not None:
            safe = console.safe_box if table.safe_box is None else table.safe_box
            box = box.substitute(options, safe=safe)
    except AttributeError:  # another rich: let it draw the table
        return None
    width = sum(widths) + extra
    if box is None or width > full:
        return None
    box = box.get_plain_headed_box()
    return _Frame(
        widths,
        width,
        title_overflow or options.overflow or "fold",
        box.get_top(widths),
        box.get_bottom(widths),
        box.head_left,
        box.head_vertical,
        box.head_right,
    )


def _framed(frame: _Frame, title: list[str], columns: list[list[str]]) -> str:
    """A table's wrapped `title` lines and its cells' padded lines (`columns`) in its frame."""
    height = max(map(len, columns))
    for cell, size in zip(columns, frame.widths, strict=True):
        cell.extend([" " * size] * (height - len(cell)))  # cells align at the top
    lines = [*title, frame.top]
    lines += [
        frame.left + frame.vertical.join(row) + frame.right for row in zip(*columns, strict=True)
    ]
    lines.append(frame.bottom)
    return "\n".join(lines)


def _passage_frame(console: Console) -> _Frame | None:
    """The `_Frame` every passage's table shares on `console`, when the widths of its columns
    do not depend on its texts (`_ratio_widths`) and its columns' texts are wrapped as
    `_plain_passage` wraps them; None otherwise."""
    table = _passage_table(Text())
    try:
        ratio = _ratio_widths(
            table, console.options.update_width(console.options.max_width - table._extra_width)
        )
    except AttributeError:  # another rich
        return None
    frame = _plain_frame(console, table)
    if ratio is None or frame is None or frame.title_overflow == "ignore":
        return None
    for column in table.columns:
        if column.justify != "left" or column.vertical != "top" or column.no_wrap:
            return None
        if column.overflow == "ignore":
            return None
    return frame


def _plain_passage(
    frame: _Frame, n: int, m: Match, a_doc: Document, b_doc: Document, *, marks: bool
) -> str | None:
    """What `_plain_table` draws for `_match_table`'s table of passage `m` (without
    explanation) in `frame`, from the plain strings of its texts; None when it might draw
    nothing or otherwise (the table is then made and drawn as before)."""
    title = "".join(part for part, _ in _title_parts(n, m, a_doc, b_doc))
    a_parts, b_parts = _highlight_parts(m, a_doc, b_doc, marks=marks)
    sides = ["".join(part for part, _ in a_parts), "".join(part for part, _ in b_parts)]
    if not all(map(_plain_text, (title, *sides))):
        return None
    lines = _wrap_plain(title, frame.width)
    if lines is None:
        return None
    columns = []
    for side, size in zip(sides, frame.widths, strict=True):
        wrapped = _wrap_plain(side, size - 2)
        if wrapped is None:  # a word wider than the column: rich would cut it
            return None
        columns.append([f" {line} " for line in wrapped])
    return _framed(frame, lines, columns)


def _column_widths(console: Console, table: Table, options: ConsoleOptions) -> list[int]:
    """The widths rich gives `table`'s columns (``Table._calculate_column_widths``).

    A passage table's columns all take a share of the width (a ratio) and the table fills
    it: rich then shares the width by the ratios alone and never looks at the cells, though
    it measures them first (most of the cost of a long pair's output). Shared here without
    measuring when the shares fill the width exactly, as rich's own steps do; else (a
    column with a fixed width, a width too narrow for the minimums) rich computes them.
    """
    widths = _ratio_widths(table, options)
    return widths if widths is not None else table._calculate_column_widths(console, options)


def _ratio_widths(table: Table, options: ConsoleOptions) -> list[int] | None:
    """The widths rich gives `table`'s columns when they are shared by the ratios alone
    (`_column_widths`), whatever the cells hold; None otherwise."""
    from rich._ratio import ratio_distribute

    columns = table.columns
    ratios = [column.ratio or 0 for column in columns]
    if (
        table.expand
        and table.min_width is None
        and all(c.flexible for c in columns)
        and any(ratios)
    ):
        minimums = [(c.width or 1) + table._get_padding_width(c._index) for c in columns]
        widths = ratio_distribute(options.max_width, ratios, minimums)
        if sum(widths) == options.max_width:
            return widths
    return None


def _wrapped(console: Console, text: Text, width: int, overflow: OverflowMethod) -> list[str]:
    """`text` (plain: one cell a character, no tab) wrapped to `width` and left-justified as
    rich's ``Text.wrap`` draws it, each line padded to `width`."""
    lines = None if text.no_wrap or overflow == "ignore" else _wrap_plain(text.plain, width)
    if lines is None:  # not wrapped, or a word wider than a line: rich folds or crops it
        wrapped = text.wrap(console, width, justify="left", overflow=overflow)
        return [line.plain.ljust(width) for line in wrapped]
    return lines


_LAST_SPACE = re.compile(r"(?s).*\s")
"""A stretch up to its last space: what follows is the word running past a line's end."""

_SPACES = re.compile(r"\s*")

_FIRST_WORD = re.compile(r"\s*\S+")
"""A line's first word, with the spaces before it (rich measures them with it)."""


@functools.lru_cache(maxsize=64)
def _longer_word(width: int) -> re.Pattern[str]:
    """A word of more than `width` characters."""
    return re.compile(rf"\S{{{width + 1}}}")


def _wrap_plain(text: str, width: int) -> list[str] | None:
    """The lines rich's ``Text.wrap(justify="left")`` makes of `text` (one cell a character,
    no tab), each padded to `width`; None when a word is wider than a line.

    Rich's own steps (``rich._wrap.divide_line``, then each line's spaces beyond `width`
    dropped and the line padded) on plain strings: a long pair has hundreds of passages, and
    rich builds and measures a styled text for every line of every one (a test pins these
    lines to rich's).

    Rich reads a line as words with the spaces after them (the first with those before it
    too) and starts a new line at a word whose letters would pass the line's end. A line cut
    at `cut` therefore ends before the word holding position ``cut + width``, or, when a space
    stands there, before the next word: found by two searches in C, not word by word.
    """
    out: list[str] = []
    for line in text.split("\n"):
        first = _FIRST_WORD.match(line)
        if (first is not None and first.end() > width) or _longer_word(width).search(line):
            return None  # rich folds or crops a word wider than its line
        end = len(line.rstrip())
        cuts = [0]
        cut = 0
        while cut + width < end:
            past = cut + width
            if line[past].isspace():  # the next word starts the line
                found = _SPACES.match(line, past)
            else:  # the word holding `past` does
                found = _LAST_SPACE.match(line, cut, past + 1)
            if found is None:  # (never: each word fits a line)
                return None
            cut = found.end()
            cuts.append(cut)
        cuts.append(len(line))
        for start, stop in itertools.pairwise(cuts):
            part = line[start:stop]
            if len(part) > width:  # only spaces run past the line's end: drop them
                part = part[: max(width, len(part.rstrip()))]
            out.append(part.ljust(width))
    return out


def _plain_text(text: str) -> bool:
    """Whether rich draws `text` one cell a character, with nothing to clean."""
    return text.isprintable() and (
        text.isascii() or all(get_character_cell_size(c) == 1 for c in set(text))
    )


A_MARKS = ("[-", "-]")
B_MARKS = ("{+", "+}")
"""How words only in A and only in B are marked where no colour shows them (a pipe, a file)."""


def _highlight(
    m: Match, a_doc: Document, b_doc: Document, *, marks: bool = False
) -> tuple[Text, Text]:
    a_parts, b_parts = _highlight_parts(m, a_doc, b_doc, marks=marks)
    return _styled(a_parts), _styled(b_parts)


_Parts = list[tuple[str, str]]
"""A text as its parts in order, each with its style."""


def _styled(parts: _Parts) -> Text:
    out = Text()
    for part, style in parts:
        out.append(part, style=style)
    return out


def _highlight_parts(
    m: Match, a_doc: Document, b_doc: Document, *, marks: bool = False
) -> tuple[_Parts, _Parts]:
    """The two sides of passage `m` as styled parts (`_one_side`)."""
    if m.kind is Kind.PARAPHRASE or not m.ops:
        # Shared words bold, the rest dim: the order differs, so no sequence to show.
        a_marks = [(op.a, "equal") for op in m.ops]
        b_marks = [(op.b, "equal") for op in m.ops]
        return (
            _one_side(a_doc.text, m.a.span, a_marks, _SHARED, _OTHER),
            _one_side(b_doc.text, m.b.span, b_marks, _SHARED, _OTHER),
        )
    a_ops: list[tuple[Span, str]] = [(op.a, op.tag) for op in m.ops]
    b_ops: list[tuple[Span, str]] = [(op.b, op.tag) for op in m.ops]
    for a_at, b_at, tag in _gap_ops(m, a_doc.text, b_doc.text):
        a_ops.append((a_at, tag))
        b_ops.append((b_at, tag))
    a_side = _one_side(a_doc.text, m.a.span, a_ops, _A_ONLY, marks=A_MARKS if marks else None)
    b_side = _one_side(b_doc.text, m.b.span, b_ops, _B_ONLY, marks=B_MARKS if marks else None)
    return a_side, b_side


def _one_side(
    text: str,
    span: Span,
    ops: list[tuple[Span, str]],
    only: str,
    between: str = "",
    marks: tuple[str, str] | None = None,
) -> _Parts:
    """One side of a passage from its ops in that side's own order: a passage whose parts come
    in another order on the two sides ("whose sentences come in another order") is shown as
    each side's text runs, never glued from the other side's order. With `marks` (output
    without colour), the words only on this side stand between them as well: ``[-…-]`` in A,
    ``{+…+}`` in B, as `docdiff diff` writes them."""
    out: _Parts = []
    pos = span.start
    ordered = sorted(ops, key=lambda o: (o[0].start, o[0].end))
    if marks is not None:
        ordered = _runs_of_own_words(text, ordered)
    for at, tag in ordered:
        if at.start < pos:
            continue  # (an op overlapping the one before: its text is shown already)
        if at.start > pos:
            out.append((_flat(text[pos : at.start]), between))
        words = _flat(text[at.start : at.end])
        if tag != "equal" and marks is not None and words.strip():
            words = marks[0] + words + marks[1]
        out.append((words, _SHARED if tag == "equal" else only))
        pos = at.end
    # The passage may close a bracket after its last word: "Korea (DPRK)".
    out.append((_flat(text[pos : span.end]), between))
    return out


def _runs_of_own_words(text: str, ops: list[tuple[Span, str]]) -> list[tuple[Span, str]]:
    """`ops` (in order) with the words only this side has that stand next to each other, with
    nothing but spaces between them, made one: marked once, "[-I have-] the honour to [-inform
    you that-]" as `docdiff diff` writes it, not "[-I-] [-have-] … [-inform you-] [-that-]"."""
    out: list[tuple[Span, str]] = []
    for at, tag in ops:
        if out and tag != "equal" and out[-1][1] != "equal" and at.start < at.end:
            last, last_tag = out[-1]
            between = text[last.end : at.start]
            # (An empty op marks nothing on this side: a word the other side alone has.)
            words = last.start < last.end <= at.start
            if words and not between.strip() and "\n" not in between:
                out[-1] = (Span(last.start, at.end), last_tag)
                continue
        out.append((at, tag))
    return out


_GAP_WORD = re.compile(r"\w+")


def _gap_ops(m: Match, a_text: str, b_text: str) -> list[tuple[Span, Span, str]]:
    """Ops for the words of a verbatim passage that no op covers: a passage joined from two
    parts leaves the text between them unaligned ("…communique:— Begins:—" / "…communique as
    agreed ad referendum (underlined two) 19 December: Begins:—"). Where the ops come in the
    same order on both sides, each side's words between two ops are compared word for word,
    so that the words only one side has are shown as its own (and marked without colour), the
    others as shared. Nothing is added where the ops' order differs between the sides."""
    ops = sorted(m.ops, key=lambda op: (op.a.start, op.a.end))
    if [op.b for op in ops] != sorted((op.b for op in ops), key=lambda x: (x.start, x.end)):
        return []
    out: list[tuple[Span, Span, str]] = []
    a_pos, b_pos = m.a.span.start, m.b.span.start
    ends = (m.a.span.end, m.b.span.end, m.a.span.end, m.b.span.end)
    for a_next, b_next, a_after, b_after in [
        *((op.a.start, op.b.start, op.a.end, op.b.end) for op in ops),
        ends,
    ]:
        a_words = list(_GAP_WORD.finditer(a_text, a_pos, max(a_pos, a_next)))
        b_words = list(_GAP_WORD.finditer(b_text, b_pos, max(b_pos, b_next)))
        if a_words or b_words:
            out.extend(_word_ops(a_words, b_words, a_pos, b_pos))
        a_pos, b_pos = max(a_pos, a_after), max(b_pos, b_after)
    return out


def _word_ops(
    a_words: list[re.Match[str]], b_words: list[re.Match[str]], a_pos: int, b_pos: int
) -> list[tuple[Span, Span, str]]:
    """The two sides' words compared (case aside): difflib's opcodes as spans of the texts."""
    import difflib

    matcher = difflib.SequenceMatcher(
        None, [w.group().lower() for w in a_words], [w.group().lower() for w in b_words]
    )
    out: list[tuple[Span, Span, str]] = []
    for tag, i0, i1, j0, j1 in matcher.get_opcodes():
        a_at = Span(a_words[i0].start(), a_words[i1 - 1].end()) if i1 > i0 else Span(a_pos, a_pos)
        b_at = Span(b_words[j0].start(), b_words[j1 - 1].end()) if j1 > j0 else Span(b_pos, b_pos)
        out.append((a_at, b_at, tag))
    return out


def _flat(s: str) -> str:
    """One line: every run of whitespace holding a line break or tab becomes one space (a
    break between two words stays a space, never glues them)."""
    s = printable(s)
    return re.sub(r"\s+", " ", s) if "\n" in s or "\t" in s else s


def _print_summary(console: Console, report: Report) -> None:
    pair = report.pairs[0]
    s = pair.summary
    counts = Counter(m.kind for m in pair.matches)
    table = Table(title="Summary", title_justify="left", show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("similarity", f"{s.similarity:.1f}")
    table.add_row("distinctive similarity", f"{s.distinctive_similarity:.1f}")
    table.add_row("coverage A", f"{s.coverage_a:.1f}%")
    table.add_row("coverage B", f"{s.coverage_b:.1f}%")
    kinds = ", ".join(f"{counts[k]} {k.value}" for k in Kind if counts[k]) or "none"
    table.add_row("passages", f"{len(pair.matches)} ({kinds})")
    table.add_row("echoes", str(len(pair.echoes)))
    console.print(table)
