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


def test_a_copied_section_does_not_absorb_the_dateline_above_it() -> None:
    """A memorandum printed twice (DFAT volume 19, documents 107 and 108) was one passage from
    "August 1955" on: the part of the two datelines they share, a formula, was joined to the
    copied text after it as a courtesy phrase inside a copied paragraph is. The dateline
    stays a passage of its own, and the copy opens on its first words."""
    from docdiff.loaders import load_text

    body = (
        "Trade with Japan. Attached is a record of conversation with the Japanese Ambassador "
        "together with the aide memoire referred to therein. Although we were careful not to "
        "make a commitment to commence trade talks, we consider that every effort should be "
        "made to commence the talks very shortly thereafter, with the Departments concerned."
    )
    a = load_text(f"Canberra, 5 August 1955\n\n{body}\n\nCopies to the Treasury.\n", doc_id="a")
    b = load_text(f"Canberra, 5 August 1955\n\n{body}\n\nA record follows.\n", doc_id="b")
    (pair,) = compare(a, b, Options(min_words=4)).pairs
    shown = {m.kind: a.text[m.a.span.start : m.a.span.end] for m in pair.matches}
    assert shown[Kind.PHRASING].startswith("Trade with Japan"), shown
    assert shown[Kind.FORMULA] == "Canberra, 5 August 1955", shown
