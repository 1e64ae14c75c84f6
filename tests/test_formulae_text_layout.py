"""`docdiff formulae` text: a long template wraps under its own start, not at the line's first
column (at 80 columns "(20\\ndocs, 1992-09-25 – 2023-09-25)" broke the numbered list); and the
typewriter's apostrophe and the typesetter's spell one word ("Democratic {name} Republic of
Korea" with the slot "People’s | People's" was one name spelt two ways)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from docdiff.cli import app
from docdiff.corpus.formulae import formulae_report
from docdiff.loaders import load_text

OPENING = (
    "On behalf of the delegation of the Democratic People{q}s Republic of Korea, I should like "
    "to extend warm greetings to all delegations."
)
TOPICS = ["fisheries", "water", "trade", "aviation", "health", "the sea", "forests", "mining"]


def _texts() -> list[str]:
    return [
        OPENING.format(q="'" if n % 2 else "\u2019")
        + f"\n\nWe discuss {topic} today with great care and at length, as the {topic} "
        f"committee asked in {1990 + n}.\n"
        for n, topic in enumerate(TOPICS)
    ]


def test_apostrophes_of_both_kinds_spell_one_word() -> None:
    docs = [load_text(t, doc_id=f"{n}.txt") for n, t in enumerate(_texts())]
    templates = [f.template for f in formulae_report(docs, min_docs=3).formulae]
    assert any("Democratic People" in t for t in templates), templates
    assert not any("Democratic {name} Republic" in t for t in templates), templates


def test_a_long_template_wraps_under_its_start(tmp_path: Path) -> None:
    for n, text in enumerate(_texts()):
        (tmp_path / f"{n}.txt").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["formulae", str(tmp_path)], env={"COLUMNS": "60"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()[1:]
    assert any(line.lstrip().startswith("1.") for line in lines), result.output
    # (The notes above the list, on what the documents do not say, are not indented.)
    first = next(n for n, line in enumerate(lines) if line.lstrip().startswith("1."))
    assert all(line.startswith(" ") for line in lines[first:] if line.strip()), result.output
