"""``docdiff compare A B``: every reused passage between two documents."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from docdiff.cli._app import EXIT_THRESHOLD, app, atomic_open, atomic_write, fail, friendly
from docdiff.cli._options import engine_options
from docdiff.options import Options

_FORMATS = ("text", "json", "md", "html", "csv")


@app.command(no_args_is_help=True)
@friendly
@engine_options
def compare(
    a: Annotated[
        str,
        typer.Argument(help="First document (txt, md, html, xml, docx, odt, pdf; - for stdin)."),
    ],
    b: Annotated[str, typer.Argument(help="Second document.")],
    format: Annotated[
        str, typer.Option("--format", "-f", help="Output format: text, json, md, html or csv.")
    ] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the result to this file.")
    ] = None,
    fail_above: Annotated[
        float | None,
        typer.Option("--fail-above", help="Exit with code 1 when the similarity is at least this."),
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show the shared words and why each kind was given.")
    ] = False,
    color: Annotated[
        bool | None, typer.Option("--color/--no-color", help="Force colour on or off.")
    ] = None,
    *,
    options: Options,
) -> None:
    """Align the passages two documents share, with a score and a kind for each."""
    from docdiff.engine.compare import compare as run_compare
    from docdiff.loaders import load

    if format not in _FORMATS:
        raise fail(f"--format must be one of {', '.join(_FORMATS)}, not {format!r}")
    if a == "-" and b == "-":
        raise fail("only one of the two documents can be read from stdin")
    doc_a = load(a)
    doc_b = load(b)
    if doc_a.id == doc_b.id:
        from dataclasses import replace

        doc_b = replace(doc_b, id=f"{doc_b.id} (2)")
    report = run_compare(doc_a, doc_b, options)
    _emit(report, format, output, explain=explain, color=color)
    summary = report.pairs[0].summary
    if fail_above is not None and summary.similarity >= fail_above:
        raise typer.Exit(EXIT_THRESHOLD)


def _emit(
    report: object, format: str, output: Path | None, *, explain: bool, color: bool | None
) -> None:
    from docdiff.model import Report

    assert isinstance(report, Report)
    if format == "text":
        from docdiff.cli.terminal import print_compare

        if output is None:
            print_compare(report, explain=explain, color=color)
        else:
            with atomic_open(output) as fh:
                print_compare(report, explain=explain, color=False, file=fh)
        return
    text = render(report, format)
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
    else:
        atomic_write(output, text)


def render(report: object, format: str) -> str:
    """Render a report in a file format (json, md, html, csv)."""
    from docdiff.model import Report

    assert isinstance(report, Report)
    if format == "json":
        from docdiff.render.jsonout import dumps

        return dumps(report) + "\n"
    if format == "md":
        from docdiff.render.markdown import render_markdown

        return render_markdown(report)
    if format == "html":
        from docdiff.render.html import render_html

        return render_html(report)
    if format == "csv":
        from docdiff.render.csvout import render_csv

        return render_csv(report)
    raise fail(f"unknown format {format!r}")
