"""A dateline is no evidence of rewording. DFAT volume 25's cables 299 and 300 (one message
sent to two prime ministers, redrafted) were one reworded passage from "Canberra, 10 August
1965" / "Canberra, 11 August 1965" on: the place and the day a cable was sent counted as
shared wording, as they would between any two cables sent from Canberra."""

from __future__ import annotations

from pathlib import Path

from docdiff.engine.compare import compare
from docdiff.model import Kind
from docdiff.options import Options
from docdiff.text.datelines import dateline_spans
from tests._archives import DFAT, archive_documents

VOLUME = (
    "dfat_historical_documents/txt/volume-25-australia-and-the-formation-of-malaysia-1961-1966/"
)


def test_a_reworded_passage_leaves_the_datelines_out(shared_dir: Path) -> None:
    a, b = archive_documents(shared_dir, DFAT, VOLUME, ("299-", "300-"))
    (pair,) = compare(a, b, Options()).pairs
    reworded = [m for m in pair.matches if m.kind is Kind.PARAPHRASE]
    assert reworded, pair.matches
    for doc, side in ((a, "a"), (b, "b")):
        (dateline,) = dateline_spans(doc.text)
        assert doc.text[dateline[0] : dateline[1]].startswith("Canberra, 1")
        for m in reworded:
            span = getattr(m, side).span
            assert span.start >= dateline[1], doc.text[span.start : span.start + 40]
