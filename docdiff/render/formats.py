"""The output formats of every command, in one registry: name, file suffixes, renderer per result.

A command renders one of two kinds of result: a `Report` (``compare``, ``scan``, ``formulae``,
``query``, ``report``) or a version diff (``diff``). `FORMATS` lists each format once with the
suffixes that choose it when ``--format`` is not given and the renderer for each kind it supports.
``text`` is drawn on a console by the command that owns the view (a compare's side-by-side table is
not a scan's ranking), so its entry has no file renderer; every other renderer returns the whole
file as a string (ending in a newline where the format has lines), or, for JSON reports, as the
pieces the encoder makes, so that a complete scan's hundreds of megabytes are never one string.

`choose` is the one rule every command follows: ``--format`` when given (an alias such as
``terminal`` or ``markdown`` is accepted), else the format `-o`'s suffix names, else ``text``; a
suffix that names no format of this kind is an `OptionsError` (one line, exit 2).

Renderers import their modules only when called, so the CLI can import this module at start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from docdiff.errors import OptionsError

if TYPE_CHECKING:
    from docdiff.model import Report
    from docdiff.versiondiff import VersionDiff

__all__ = ["FORMATS", "DiffView", "Format", "Kind", "choose", "format_help", "names", "render"]

Kind = Literal["report", "diff"]


@dataclass(frozen=True)
class DiffView:
    """A version diff with what its renderers name and fold: the two names and the context."""

    result: VersionDiff
    a_name: str
    b_name: str
    context: int | None = None
    """Unified diff: lines around each change (None: 3; negative: everything)."""


@dataclass(frozen=True)
class Format:
    """One output format: its name, other spellings, the suffixes that choose it, its renderers."""

    name: str
    suffixes: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    report: Callable[[Report], str | Iterable[str]] | None = None
    diff: Callable[[DiffView], str] | None = None
    terminal: bool = False
    """Drawn by the command's own console printer (``text``), not by a renderer here."""

    def supports(self, kind: Kind) -> bool:
        """True when a result of this kind can be written in this format."""
        return self.terminal or (self.report if kind == "report" else self.diff) is not None


# --- renderers (imports inside: this module stays light) ----------------------------------------


def _report_json(report: Report) -> Iterable[str]:
    from itertools import chain

    from docdiff.render.jsonout import chunks

    return chain(chunks(report), ("\n",))


def _report_md(report: Report) -> str:
    from docdiff.render.markdown import render_markdown

    return render_markdown(report)


def _report_html(report: Report) -> str:
    from docdiff.render.html import render_html

    return render_html(report)


def _report_csv(report: Report) -> str:
    from docdiff.render.csvout import render_csv

    return render_csv(report)


def _diff_unified(view: DiffView) -> str:
    from docdiff.versiondiff import unified

    context = view.context
    lines = 3 if context is None else 10**9 if context < 0 else context
    r = view.result
    return unified(
        r.a, r.b, a_name=view.a_name, b_name=view.b_name, context=lines, whitespace=r.whitespace
    )


def _diff_html(view: DiffView) -> str:
    from docdiff.render.html_diff import render_diff_html

    return render_diff_html(view.result, a_name=view.a_name, b_name=view.b_name)


def _diff_json(view: DiffView) -> str:
    import json

    data = {**view.result.to_dict(), "a": {"path": view.a_name}, "b": {"path": view.b_name}}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _diff_patch(view: DiffView) -> str:
    from docdiff.versiondiff import to_patch

    return to_patch(view.result)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("text", (".txt", ".text"), aliases=("terminal",), terminal=True),
        Format("json", (".json",), report=_report_json, diff=_diff_json),
        Format("md", (".md", ".markdown"), aliases=("markdown",), report=_report_md),
        Format("html", (".html", ".htm"), aliases=("htm",), report=_report_html, diff=_diff_html),
        Format("csv", (".csv",), report=_report_csv),
        Format("unified", (".diff",), diff=_diff_unified),
        Format("patch", (".patch", ".dmp"), diff=_diff_patch),
    )
}
"""Every output format by name, in the order help texts list them."""

DEFAULT = "text"


def names(kind: Kind) -> tuple[str, ...]:
    """The formats a result of this kind can be written in."""
    return tuple(name for name, f in FORMATS.items() if f.supports(kind))


def format_help(kind: Kind) -> str:
    """The ``--format`` help text of a command writing results of this kind."""
    return f"{', '.join(names(kind))} (default: from -o's suffix, else {DEFAULT})."


def _by_spelling(kind: Kind) -> dict[str, str]:
    spelled = {}
    for name in names(kind):
        for spelling in (name, *FORMATS[name].aliases):
            spelled[spelling] = name
    return spelled


def choose(kind: Kind, format: str | None, output: Path | None) -> str:
    """The format to write: `format` when given, else the one `output`'s suffix names, else text.

    An `output` without a suffix (``-o /dev/stdout``, ``-o result``) is written as text.
    """
    if format is not None:
        chosen = _by_spelling(kind).get(format.lower())
        if chosen is None:
            msg = f"--format must be one of {', '.join(names(kind))}, not {format!r}"
            raise OptionsError(msg)
        return chosen
    suffix = output.suffix.lower() if output is not None else ""
    if not suffix:
        return DEFAULT
    for name in names(kind):
        if suffix in FORMATS[name].suffixes:
            return name
    known = ", ".join(s for name in names(kind) for s in FORMATS[name].suffixes)
    msg = (
        f"{output}: cannot tell the output format from the suffix {suffix!r}; "
        f"give --format ({', '.join(names(kind))}) or end the name in {known}"
    )
    raise OptionsError(msg)


def render(kind: Kind, result: Report | DiffView, format: str) -> str | Iterable[str]:
    """`result` in a file format (every format but text, which the command draws on a console):
    one string, or its pieces in order."""
    entry = FORMATS[format]
    if kind == "report" and entry.report is not None:
        from docdiff.model import Report

        assert isinstance(result, Report)
        return entry.report(result)
    if kind == "diff" and entry.diff is not None:
        assert isinstance(result, DiffView)
        return entry.diff(result)
    msg = f"a {kind} cannot be written as {format}"
    raise OptionsError(msg)
