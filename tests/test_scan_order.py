"""A scan of the same documents is the same scan whatever order they come in (`load_corpus`
puts them in the order of their ids). A pair's A is the document with the smaller id, so the
passages' edges and the pair's figures do not change with the order a folder, an index or a
list holds them in. Before, DFAT volume 25's cables 314/316 scored 1.2 or 1.5 and one cluster's
edges moved, depending on which cable came first."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from docdiff.corpus.scan import scan
from docdiff.loaders import load_text
from docdiff.model import Document, Report
from tests._archives import DFAT, archive_documents

VOLUME = (
    "dfat_historical_documents/txt/volume-25-australia-and-the-formation-of-malaysia-1961-1966/"
)
NUMBERS = ("131-", "133-", "314-", "316-", "251-", "261-", "263-", "119-", "124-")


def _cables(shared_dir: Path) -> list[Document]:
    docs = archive_documents(shared_dir, DFAT, VOLUME, NUMBERS)
    assert len(docs) == len(NUMBERS)
    return docs


def _seen(report: Report) -> tuple[object, object]:
    pairs = sorted(
        (p.a, p.b, p.summary, [(m.kind, m.a.span, m.b.span, m.score) for m in p.matches])
        for p in report.pairs
    )
    clusters = sorted(
        (c.kind, sorted((m.doc, m.span.start, m.span.end) for m in c.members))
        for c in report.clusters
    )
    return pairs, clusters


@pytest.mark.parametrize("seed", [0, 1])
def test_the_order_of_the_documents_changes_no_pair_and_no_cluster(
    shared_dir: Path, seed: int
) -> None:
    docs = _cables(shared_dir)
    expected = _seen(scan(sorted(docs, key=lambda d: d.id), jobs=1))
    assert expected[0]
    shuffled = docs[:]
    random.Random(seed).shuffle(shuffled)
    assert shuffled != sorted(docs, key=lambda d: d.id)
    assert _seen(scan(shuffled, jobs=1)) == expected


def test_a_pairs_a_is_the_smaller_id() -> None:
    words = "the parties reaffirm their resolve to settle every dispute by peaceful means"
    docs = [
        load_text(f"{words} as agreed in {place}.", doc_id=name)
        for name, place in (("zeta", "Geneva"), ("alpha", "Vienna"), ("mu", "Rome"))
    ]
    report = scan(docs, jobs=1)
    assert report.pairs
    assert all(p.a < p.b for p in report.pairs)
