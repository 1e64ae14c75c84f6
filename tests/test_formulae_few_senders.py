"""Documents that name fewer senders than a formula of the genre needs (one country's speeches,
one embassy's cables) are mined as if no sender were named, and the report says so: before, a
`sender` column in the metadata of the DPRK's 34 speeches took every formula away ("0 formulae
in 34 documents", 13 without the column) and said nothing."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from typer.testing import CliRunner

from docdiff.cli import app
from docdiff.corpus.formulae import formulae_report
from docdiff.loaders import load_text
from docdiff.model import Document
from docdiff.render.markdown import render_markdown


def _letters(senders: list[str]) -> list[Document]:
    topics = ["fisheries", "water", "the seabed", "customs", "aviation", "health", "trade"]
    docs = []
    for n, (sender, topic) in enumerate(zip(senders, topics, strict=False)):
        text = (
            f"Excellency,\n\nI have the honour to refer to the talks on {topic} held on {n + 3} "
            f"May.\n\nPlease accept, Excellency, the assurances of my highest consideration.\n"
        )
        doc = load_text(text, doc_id=f"letter-{n:02d}.txt")
        docs.append(replace(doc, meta={"sender": sender}))
    return docs


def test_one_sender_keeps_its_formulae_and_says_so() -> None:
    report = formulae_report(_letters(["Examplia"] * 6))
    assert report.formulae
    assert report.settings["few_senders"] == ["Examplia"]
    markdown = render_markdown(report)
    assert "The documents name 1 sender (Examplia)" in markdown


def test_many_senders_are_asked() -> None:
    report = formulae_report(_letters(["Examplia", "Samplestan", "Testavia"] * 2))
    assert report.formulae
    assert report.settings["few_senders"] == []
    assert "The documents name" not in render_markdown(report)


def test_the_text_output_says_so(tmp_path: Path) -> None:
    folder = tmp_path
    rows = ["path,sender"]
    for d in _letters(["Examplia"] * 6):
        (folder / d.id).write_text(d.text, encoding="utf-8")
        rows.append(f"{d.id},Examplia")
    (folder / "meta.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    runner = CliRunner()
    args = ["formulae", str(folder), "--meta", str(folder / "meta.csv")]
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "The documents name 1 sender (Examplia)" in result.output
    assert "0 formulae" not in result.output
    result = runner.invoke(app, [*args, "-f", "json"])
    assert json.loads(result.output)["settings"]["few_senders"] == ["Examplia"]


def test_a_scan_of_one_senders_documents_says_what_its_formulae_are() -> None:
    from docdiff.corpus.scan import scan
    from docdiff.render.notes import scan_notes

    report = scan(_letters(["Examplia"] * 6), jobs=1)
    assert report.settings["few_senders"] == ["Examplia"]
    labels = dict(scan_notes(report.settings))
    assert "this sender's own recurring wording" in labels["one sender"]
    many = scan(_letters(["Examplia", "Samplestan", "Testavia"] * 2), jobs=1)
    assert many.settings["few_senders"] == []
    assert "one sender" not in dict(scan_notes(many.settings))


def test_a_country_code_names_the_sender_before_the_countrys_name() -> None:
    """The UN General Debate corpus's metadata names the DPRK six ways over its 34 speeches
    ("North Korea", "Korea, Democratic People's Republic of", …), all with iso3 "PRK": read by
    the name, one country was six senders, and a scan of its speeches called its own recurring
    wording ("peace and security on the Korean peninsula") the genre's boilerplate."""
    spellings = ["North Korea", "Korea, Democratic People's Republic of", "DPRK"] * 2
    docs = _letters(["?"] * 6)
    docs = [
        replace(d, meta={"country": name, "iso3": "PRK"})
        for d, name in zip(docs, spellings, strict=True)
    ]
    report = formulae_report(docs)
    assert report.settings["few_senders"] == ["PRK"]
