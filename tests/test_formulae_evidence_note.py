"""A formulae report says what its documents do not say of themselves. A formula of the genre
recurs across senders and over the years; where no document names its sender or its date,
that cannot be asked, and a session's theme or one sender's turns of phrase may be listed (the
UN speeches of 2008-2011, undated, listed "the impact of the global food crisis on poverty and
hunger {…} the world", the theme of one session)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from docdiff.corpus.formulae import formulae_report
from docdiff.loaders import load_text
from docdiff.model import Document
from docdiff.render.notes import evidence_note, formulae_notes
from tests._made_up import written


def _letters(meta: dict[str, str] | None = None) -> list[Document]:
    docs = []
    for i in range(8):
        text = f"Dear Sir,\n\nWe write about the {i}th shipment of grain to the port.\n"
        doc = load_text(text, doc_id=f"l{i}")
        docs.append(replace(doc, meta={**(meta or {}), "n": str(i)}) if meta else doc)
    return docs


def test_the_note_names_what_is_missing() -> None:
    both = evidence_note({"senders_named": 0, "documents_dated": 0})
    assert both is not None
    assert both.startswith("No document names its sender or its date:")
    assert "sender and date columns" in both
    senders = evidence_note({"senders_named": 0, "documents_dated": 12})
    assert senders is not None
    assert senders.startswith("No document names its sender:")
    dates = evidence_note({"senders_named": 5, "documents_dated": 0})
    assert dates is not None
    assert dates.startswith("No document is dated:")
    assert "session's theme" in dates
    assert evidence_note({"senders_named": 5, "documents_dated": 12}) is None
    # A report written before these settings existed says nothing.
    assert evidence_note({}) is None


def test_the_report_counts_senders_and_dates() -> None:
    bare = formulae_report(_letters())
    assert bare.settings["senders_named"] == 0
    assert bare.settings["documents_dated"] == 0
    assert formulae_notes(bare.settings)[0].startswith("No document names its sender or")
    told = formulae_report(_letters({"sender": "Embassy", "date": "1950-01-02"}))
    assert told.settings["senders_named"] == 1
    assert told.settings["documents_dated"] == 8
    assert evidence_note(told.settings) is None


def test_the_terminal_markdown_and_html_say_it() -> None:
    from docdiff.render.html import render_html
    from docdiff.render.markdown import render_markdown

    report = formulae_report(_letters())
    note = evidence_note(report.settings)
    assert note is not None
    assert note in render_markdown(report)
    assert "No document names its sender or its date" in render_html(report)


def test_the_terminal_says_it_and_not_once_meta_names_them(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from docdiff.cli import app

    folder, meta = written(
        tmp_path, "letters", _letters(), "path,sender,date",
        lambda d: f"letters/{d.id}.txt,Embassy {d.id},1950-01-02",
    )  # fmt: skip
    env = {"COLUMNS": "300"}
    bare = CliRunner().invoke(app, ["formulae", str(folder)], env=env)
    assert bare.exit_code == 0, bare.output
    assert "No document names its sender or its date" in bare.output
    told = CliRunner().invoke(app, ["formulae", str(folder), "--meta", str(meta)], env=env)
    assert told.exit_code == 0, told.output
    assert "No document" not in told.output
