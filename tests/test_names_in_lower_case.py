"""A name that records write in lower case makes no cluster: minutes and cablegrams of the 1960s
write "treaty on the non-proliferation of nuclear weapons", and in a scan of DFAT volume 28 eight
such copies were the largest cluster, a family of "reused wording" that is a treaty's name. A
scan's pairs show the name with its capitals; copies that say the same words in lower case are
that name, not a family of wording. (Each pair's own kinds are unchanged: each side is read
alone, and a passage whose capitals differ stays phrasing.)"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from docdiff.cli import app

NAME = "Treaty on the Non-Proliferation of Nuclear Weapons"

SENTENCES = [
    (
        "The Minister asked whether the {} would bind the uranium producers of the Northern "
        "Territory before the next session of Parliament."
    ),
    (
        "Officials in Bonn said privately that the {} left the question of withdrawal open, and "
        "that their Government would wait for the American reply."
    ),
    (
        "A note from the Embassy in Tokyo reports that the Japanese press has treated the {} "
        "as a matter for the Diet rather than for the Cabinet."
    ),
    (
        "Our delegation in Geneva should say nothing about the {} until the working group has "
        "finished its paper on safeguards and inspection."
    ),
    (
        "The Department of Supply doubts that the {} can be reconciled with the existing "
        "contracts for the sale of ore to the United Kingdom."
    ),
]


def _scan(folder: Path) -> dict[str, list[dict[str, object]]]:
    result = CliRunner().invoke(app, ["scan", str(folder), "--format", "json", "--no-progress"])
    assert result.exit_code == 0, result.output
    report: dict[str, list[dict[str, object]]] = json.loads(result.output)
    return report


def test_copies_of_a_name_in_lower_case_make_no_cluster(tmp_path: Path) -> None:
    """Three records write the name in lower case, two with its capitals (a `name` match
    between those two): the lower-case copies make no cluster (on `5994093`, a cluster of all
    five, its representative in lower case)."""
    for n, sentence in enumerate(SENTENCES):
        name = NAME if n < 2 else NAME.lower()
        (tmp_path / f"record{n}.txt").write_text(sentence.format(name) + "\n", encoding="utf-8")
    report = _scan(tmp_path)
    kinds = {str(m["kind"]) for p in report["pairs"] for m in p["matches"]}  # type: ignore[attr-defined]
    assert {"name", "phrasing"} <= kinds, report["pairs"]
    for cluster in report["clusters"]:
        assert "non-proliferation" not in str(cluster["text"]).lower(), cluster


def test_copies_in_lower_case_of_no_name_still_cluster(tmp_path: Path) -> None:
    """Without the capitalised name among the pairs, the same lower-case copies are wording
    the records share, and they are a cluster."""
    for n, sentence in enumerate(SENTENCES):
        (tmp_path / f"record{n}.txt").write_text(
            sentence.format(NAME.lower()) + "\n", encoding="utf-8"
        )
    report = _scan(tmp_path)
    assert any("non-proliferation" in str(c["text"]).lower() for c in report["clusters"]), report
