"""Datelines of one shape are one template whatever the place. DFAT v27 listed "Canberra, {date}"
(252 documents), "London, {date}" (195) and "{name}, {date}" (36) apart: Canberra and London
stand in half the documents, so the miner kept them as words of the genre (`_COMMON_NAME`). In
a frame with a date whose place other names fill too, such a name is a name again."""

from __future__ import annotations

from pathlib import Path

from docdiff.corpus.formulae import formulae_report
from tests._archives import DFAT, archive_documents

VOLUME = "dfat_historical_documents/txt/volume-27-australia-and-the-united-kingdom-1960-1975/"
SOME = ("10-", "11-", "12-", "13-", "16-", "18-", "19-", "23-", "24-", "25-", "28-", "30-",
        "33-", "38-", "43-", "61-", "62-", "69-", "81-", "86-", "100-", "101-", "107-",
        "115-")  # fmt: skip


def test_datelines_of_one_shape_are_one_template(shared_dir: Path) -> None:
    docs = archive_documents(shared_dir, DFAT, VOLUME, SOME)
    assert len(docs) == len(SOME)
    found = formulae_report(docs).formulae
    shown = [g.template for f in found for g in (f, *f.variants)]
    # Before: "Canberra, {date}" (11 documents) and "London, {date}" (11), two entries.
    assert not {"Canberra, {date}", "London, {date}"} & set(shown), shown
    dateline = next(f for f in found if f.template == "{name}, {date}")
    places = set(dateline.slot_examples[0])
    assert {"Canberra", "London"} <= places, places
    assert dateline.doc_freq >= 18, dateline.doc_freq


def test_a_place_that_one_frame_always_holds_stays_a_word() -> None:
    from docdiff.loaders import load_text

    docs = [
        load_text(
            f"Pyongyang, {n + 1} May 2024 (KCNA) -- The talks number {n} went on "
            + " ".join(f"w{n}x{i}" for i in range(30))
            + ". Pyongyang said so.\n",
            doc_id=f"k{n:02}",
        )
        for n in range(12)
    ]
    templates = [f.template for f in formulae_report(docs).formulae]
    assert any(t.startswith("Pyongyang, {date}") for t in templates), templates


def test_a_template_read_from_the_same_text_is_listed_under_the_better_ranked_one() -> None:
    from docdiff.corpus.formulae import Region, _families
    from docdiff.model import Formula

    ranked = [Formula("AA : {symbol}, {…}", 10), Formula("See file AA : {symbol}, {…}", 4),
              Formula("Not printed.", 4)]  # fmt: skip
    cites = [Region(d, 10, 16) for d in range(10)]
    # "See file" and two more tokens before the same citations, in all four of its documents.
    see = [Region(d, 8, 16) for d in range(4)]
    notes = [Region(d, 30, 33) for d in range(4)]  # elsewhere in the same documents
    listed = {
        f.template: [v.template for v in f.variants]
        for f in _families(ranked, instances=[cites, see, notes])
    }
    # Before: three entries, the citation twice.
    assert listed == {
        "AA : {symbol}, {…}": ["See file AA : {symbol}, {…}"],
        "Not printed.": [],
    }
