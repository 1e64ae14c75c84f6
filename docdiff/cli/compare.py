"""``docdiff compare A B``: every reused passage between two documents."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, TextIO

import typer

from docdiff.cli._app import EXIT_THRESHOLD, app, fail, friendly, wordless
from docdiff.cli._options import engine_options
from docdiff.cli._output import OutputOption, ReportFormatOption, choose, emit
from docdiff.options import Options

ECHOES_SHOWN = 50
"""Echoes the text output shows by default: two speeches share a few dozen at most, two
50,000-word documents hundreds, most of them stock phrases ("member of the Security
Council")."""


@app.command(no_args_is_help=True)
@friendly
@engine_options
def compare(
    a: Annotated[
        str,
        typer.Argument(help="First document (txt, md, html, xml, docx, odt, pdf; - for stdin)."),
    ],
    b: Annotated[str, typer.Argument(help="Second document.")],
    format: ReportFormatOption = None,
    output: OutputOption = None,
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
    echoes: Annotated[
        int,
        typer.Option(
            "--echoes",
            min=0,
            help="Echoes the text output shows, most distinctive first (0: all; other formats "
            "hold them all).",
        ),
    ] = ECHOES_SHOWN,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="Weigh by this index's corpus, as a scan or query of it does: the same kinds, "
            "scores and counts as the scan's.",
        ),
    ] = None,
    *,
    options: Options,
) -> None:
    """Align the passages two documents share, with a score and a kind for each."""
    from docdiff.engine.compare import compare as run_compare
    from docdiff.loaders import load

    chosen = choose("report", format, output)
    if a == "-" and b == "-":
        raise fail("only one of the two documents can be read from stdin")
    doc_a = load(a)
    doc_b = load(b)
    for path, doc in ((a, doc_a), (b, doc_b)):
        if wordless(doc.text):
            raise fail(f"{path}: holds no words (an empty or blank file): nothing to compare")
    if doc_a.id == doc_b.id:
        from dataclasses import replace

        doc_b = replace(doc_b, id=f"{doc_b.id} (2)")
    if db is None:
        report = run_compare(doc_a, doc_b, options)
    else:
        from docdiff.corpus.query import compare_in_index
        from docdiff.index import CorpusIndex

        with CorpusIndex.open(db, readonly=True) as index:
            report = compare_in_index(index, doc_a, doc_b, options)

    def text(file: TextIO | None) -> None:
        from docdiff.cli.terminal import print_compare

        print_compare(
            report,
            explain=explain,
            color=False if file is not None else color,
            file=file,
            echoes=echoes,
        )

    emit("report", report, chosen, output, text=text)
    summary = report.pairs[0].summary
    if fail_above is not None and summary.similarity >= fail_above:
        raise typer.Exit(EXIT_THRESHOLD)
