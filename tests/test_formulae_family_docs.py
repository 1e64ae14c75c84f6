"""An entry ranks by the documents of all its wordings together (`_families`), and says so: the
report shows how many documents say the formula in any wording beside its template's own count
("Cablegram {…} {name}, {date}." in 44 documents of DFAT's `late` sample, 153 with its other
datelines under it, ranked above "[matter omitted]" in 128), in every format, and JSON keeps it."""

from __future__ import annotations

import json
import random
from pathlib import Path

from docdiff.corpus.formulae import formulae_report
from docdiff.model import Document, Report
from tests._made_up import WORDS, cable, sentence, written


def _cables(n: int = 48) -> list[Document]:
    """Cables of seven senders over ten years; every third closes a paragraph asking "Please
    advise {…}", every fourth "Please convey {…}" (both in one in twelve)."""
    rng = random.Random(5)
    docs = []
    for i in range(n):
        paragraphs = [" ".join(sentence(rng, 14) for _ in range(4)) for _ in range(6)]
        if i % 3 == 0:
            paragraphs[2] += f" Please advise {rng.choice(WORDS)} {rng.choice(WORDS)}."
        if i % 4 == 0:
            paragraphs[4] += f" Please convey {rng.choice(WORDS)} {rng.choice(WORDS)}."
        docs.append(cable(i, paragraphs, 7))
    return docs


def _report() -> Report:
    return formulae_report(_cables(), min_docs=5, limit=60)


def test_an_entry_counts_the_documents_of_all_its_wordings() -> None:
    entry = next(f for f in _report().formulae if f.template.startswith("Please "))
    assert [v.template for v in entry.variants] == ["Please convey {…}"], entry
    assert (entry.template, entry.doc_freq, entry.variants[0].doc_freq) == (
        "Please advise {…}",
        16,
        12,
    )
    assert entry.family_docs == 16 + 12 - 4  # (4 cables say both)
    # A formula said one way counts no family.
    assert all(f.family_docs == 0 for f in _report().formulae if not f.variants)


def test_every_format_shows_the_count_and_json_keeps_it(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from docdiff.cli import app
    from docdiff.render.jsonout import read_report

    folder, meta = written(
        tmp_path, "cables", _cables(), "id,sender,date",
        lambda d: f"{d.id}.txt,{d.meta['sender']},{d.meta['date']}",
    )  # fmt: skip
    run = ["formulae", str(folder), "--meta", str(meta), "--min-docs", "5", "--no-progress"]

    def output(*more: str) -> str:
        result = CliRunner().invoke(app, [*run, *more], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        return result.output

    assert "Please advise {…}  (16 docs, 24 with its wordings" in output()
    for suffix in ("html", "md", "json"):
        output("-o", str(tmp_path / f"f.{suffix}"))
    assert "24 with its wordings" in (tmp_path / "f.html").read_text(encoding="utf-8")
    markdown = (tmp_path / "f.md").read_text(encoding="utf-8")
    assert "| Please advise {…} | 16 (24 with its wordings) |" in markdown, markdown
    data = json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))
    entry = next(f for f in data["formulae"] if f["template"] == "Please advise {…}")
    assert entry["family_doc_freq"] == 24
    assert entry["variants"][0]["family_doc_freq"] == 12  # (its own documents: no variants)
    again = read_report((tmp_path / "f.json").read_bytes(), source="f.json")
    assert next(f for f in again.formulae if f.variants).family_docs == 24
