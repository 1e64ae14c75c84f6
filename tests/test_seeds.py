"""The canonical seed pair: `docdiff compare` must show its reused formulae, names and rhetoric."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from docdiff.engine.compare import compare
from docdiff.loaders import load
from docdiff.model import Kind, Match, Report
from docdiff.text.tokens import is_stopword, tokenize

A_NAME = "000_86d0c8f755c9b09e.txt"  # 2020 letter to the Secretary-General
B_NAME = "002_98f5eb54aa6b380b.txt"  # 2024 note verbale to OHCHR


@pytest.fixture(scope="module")
def report(seeds_dir: Path) -> Report:
    return compare(load(seeds_dir / A_NAME), load(seeds_dir / B_NAME))


def _find(
    report: Report, a_text: str, b_text: str, kinds: set[Kind], *, echoes: bool = False
) -> Match:
    a, b = report.documents
    a_at = a.text.find(a_text)
    b_at = b.text.find(b_text)
    assert a_at >= 0, f"{a_text!r} not in A"
    assert b_at >= 0, f"{b_text!r} not in B"
    found = []
    pair = report.pairs[0]
    for m in pair.matches + pair.echoes if echoes else pair.matches:
        if (
            m.a.span.start < a_at + len(a_text)
            and a_at < m.a.span.end
            and m.b.span.start < b_at + len(b_text)
            and b_at < m.b.span.end
        ):
            found.append(m)
    assert found, f"no match pairs {a_text!r} with {b_text!r}"
    right = [m for m in found if m.kind in kinds]
    assert right, f"{a_text!r} matched as {[m.kind.value for m in found]}, expected {kinds}"
    return right[0]


def test_name_ohchr(report: Report) -> None:
    name = "Office of the United Nations High Commissioner for Human Rights"
    m = _find(report, name, name, {Kind.NAME})
    a = report.documents[0]
    assert a.slice(m.a.span) == name


def test_name_dprk(report: Report) -> None:
    """The 2024 note's "Democratic People's Republic of Korea (DPRK)" lies in a name passage
    whose 2020 side names the country too (one-to-one pairing picks the counterpart that keeps
    the most of the title around it), closing bracket included."""
    a, b = report.documents
    name = "Democratic People's Republic of Korea"
    at = b.text.find(name + " (DPRK)")
    found = [
        m
        for m in report.pairs[0].matches
        if m.kind is Kind.NAME and m.b.span.start <= at < m.b.span.end
    ]
    assert found, "the 2024 note's DPRK name is in no name passage"
    assert name in a.slice(found[0].a.span)
    assert b.slice(found[0].b.span).count("(") == b.slice(found[0].b.span).count(")")


def test_agenda_title_against_text(report: Report) -> None:
    m = _find(
        report,
        "Promotion and protection of human rights",
        "promotion and protection of human rights",
        {Kind.PHRASING},
    )
    assert m.words == 6


def test_honour_formula(report: Report) -> None:
    m = _find(
        report,
        "I have the honour to inform you",
        "has the honour to refer to",
        {Kind.FORMULA},
    )
    a, b = report.documents
    assert "I have the honour to inform you" in a.slice(m.a.span)
    assert "has the honour to refer to" in b.slice(m.b.span)


def test_impartiality(report: Report) -> None:
    m = _find(
        report,
        "impartiality, objectivity and equity",
        "impartiality, objectivity and strict neutrality",
        {Kind.PHRASING, Kind.PARAPHRASE},
        echoes=True,  # three shared words: short rare rhetoric, listed among the echoes
    )
    assert report.documents[0].slice(m.a.span) == "impartiality, objectivity and equity"


def test_provocation_rhetoric(report: Report) -> None:
    m = _find(
        report,
        "showdown document featuring concoctions and fabrications, falsehoods and deception",
        "political provocation document full of falsehood, fabrication",
        {Kind.PARAPHRASE, Kind.PHRASING},
    )
    a_text = report.documents[0].slice(m.a.span)
    b_text = report.documents[1].slice(m.b.span)
    assert "political provocation" in a_text
    assert "falsehood" in b_text
    assert "fabrication" in b_text


def test_no_passage_is_only_stopwords(report: Report) -> None:
    for m in report.pairs[0].matches:
        for doc, span in ((report.documents[0], m.a.span), (report.documents[1], m.b.span)):
            keys = tokenize(doc.slice(span)).keys
            assert not all(is_stopword(k) for k in keys), doc.slice(span)


def test_lexicon_does_not_list_the_seeds(seeds_dir: Path) -> None:
    from importlib import resources

    lexicon = resources.files("docdiff.data").joinpath("formulae.txt").read_text("utf-8")
    for name in (A_NAME, B_NAME):
        text = (seeds_dir / name).read_text("utf-8")
        for raw in text.replace("\n", " ").split(". "):
            sentence = raw.strip()
            if len(sentence.split()) >= 8:
                assert sentence.lower() not in lexicon.lower()


def test_cli_compare_seeds_json(seeds_dir: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "docdiff", "compare", "--format", "json",
         str(seeds_dir / A_NAME), str(seeds_dir / B_NAME)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    data = json.loads(out.stdout)
    assert data["schema"] == "docdiff.compare/2"
    kinds = {m["kind"] for m in data["matches"]}
    assert {"formula", "name", "phrasing", "paraphrase"} <= kinds
    a_text = (seeds_dir / A_NAME).read_text("utf-8")
    for m in data["matches"]:
        assert a_text[m["a"]["start"] : m["a"]["end"]] == m["a"]["text"]
