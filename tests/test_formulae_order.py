"""The miner reads the same documents into the same formulae whatever order they come in: a
folder, an index filled over the years and a list in memory hold them in different orders, and
an analyst must not see a formula, a count or a spelling ("Not Published." / "Not published.")
change with that order (`formulae._in_id_order`)."""

from __future__ import annotations

import random
from pathlib import Path

from docdiff.corpus.formulae import formulae_report
from docdiff.loaders import load_text
from docdiff.model import Document, Formula
from tests._archives import DFAT, archive_documents

VOLUME = (
    "dfat_historical_documents/txt/"
    "volume-28-australia-and-the-nuclear-non-proliferation-treaty-1945-1974/"
)


def _archive_order(shared_dir: Path) -> list[Document]:
    docs = archive_documents(shared_dir, DFAT, VOLUME)
    assert len(docs) > 150
    return docs


def _listed(docs: list[Document]) -> list[tuple[str, list[str], list[str]]]:
    report = formulae_report(docs, limit=60)
    return [
        (f.template, [m.doc for m in f.members], [v.template for v in f.variants])
        for f in report.formulae
    ]


def test_the_order_of_the_documents_changes_no_formula(shared_dir: Path) -> None:
    docs = _archive_order(shared_dir)
    in_order = sorted(docs, key=lambda d: d.id)
    assert docs != in_order  # (the archive's order is not the ids' order)
    shuffled = docs[:]
    random.Random(7).shuffle(shuffled)
    expected = _listed(in_order)
    assert len(expected) > 20
    assert _listed(docs) == expected
    assert _listed(shuffled) == expected


def test_documents_with_one_formula_in_any_order() -> None:
    letters = [
        load_text(
            f"Excellency,\n\nI have the honour to refer to the {topic} of {day} May.\n\n"
            f"Please accept, Excellency, the assurances of my highest consideration.\n",
            doc_id=f"letter-{i:02d}",
        )
        for i, (topic, day) in enumerate(
            [("note", 3), ("letter", 9), ("request", 12), ("statement", 14), ("note", 20)]
        )
    ]
    expected = _listed(letters)
    assert any("I have the honour to refer to the" in t for t, _, _ in expected), expected
    for seed in range(3):
        shuffled = letters[:]
        random.Random(seed).shuffle(shuffled)
        assert _listed(shuffled) == expected


def test_a_formula_ranks_by_the_documents_of_all_its_wordings() -> None:
    """A request said in several wordings ("Please advise {…}" in 7 cables, "Please convey {…}"
    in 5 others) is one entry; it ranked by its best wording alone (7), under an archive
    reference in 9 documents, though the request is in 12."""
    from docdiff.corpus.formulae import Region, _families

    ranked = [
        Formula("AA : {symbol}, {…}", 9),
        Formula("Please advise {…}", 7),
        Formula("Please convey {…}", 5),
    ]
    instances = [
        [Region(d, 0, 4) for d in range(9)],
        [Region(d, 5, 8) for d in range(20, 27)],
        [Region(d, 5, 8) for d in range(30, 35)],
    ]
    plain = [f.template for f in _families(ranked, instances=instances)]
    assert plain == ["AA : {symbol}, {…}", "Please advise {…}"]
    spread = [f.template for f in _families(ranked, instances=instances, spread=len)]
    assert spread == ["Please advise {…}", "AA : {symbol}, {…}"]
    advise = _families(ranked, instances=instances, spread=len)[0]
    assert [v.template for v in advise.variants] == ["Please convey {…}"]
