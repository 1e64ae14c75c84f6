"""A line of several markings ("MOST SECRET IMMEDIATE") is listed as itself, under the marking it
holds. DFAT volume 5 has "IMMEDIATE MOST SECRET" on a line of its own in 33 documents and "MOST
SECRET IMMEDIATE" in 9; they were never listed: their words were already a template mined from
regions ("IMMEDIATE", "MOST SECRET"), and a whole line overlapping such a template's instances
was skipped as one of its shapes. A reader looking for the precedence and classification lines
of the genre found only their parts."""

from __future__ import annotations

from pathlib import Path

from docdiff.corpus.formulae import formulae_report
from tests._archives import DFAT, archive_documents

VOLUME = "dfat_historical_documents/txt/volume-5-1941-july-1942-june/"


def test_a_line_of_several_markings_is_listed_under_the_marking_it_holds(
    shared_dir: Path,
) -> None:
    docs = archive_documents(shared_dir, DFAT, VOLUME)
    found = formulae_report(docs).formulae
    listed = {f.template: {v.template for v in f.variants} for f in found}
    # Before: "MOST SECRET" listed "SECRET" alone under it.
    assert {"IMMEDIATE MOST SECRET", "MOST SECRET IMMEDIATE"} <= listed["MOST SECRET"], listed
    # (the entries themselves did not move: the lines are wordings, not formulae of their own)
    assert "MOST SECRET IMMEDIATE" not in listed
    assert "IMMEDIATE MOST SECRET" not in listed


def test_a_marking_said_mostly_in_a_longer_one_is_listed_under_it() -> None:
    """DFAT's precedence marking: of the 129 documents of "IMMEDIATE" (volumes 1-14 sampled), 99
    say "MOST IMMEDIATE"; the entry was "IMMEDIATE", with "MOST IMMEDIATE" under it. The entry
    now shows what most of its documents say; "SECRET" (245 documents, 105 "MOST SECRET") keeps
    its template."""
    from docdiff.corpus.formulae import _families
    from docdiff.model import Formula

    ranked = [
        Formula("SECRET", 245),
        Formula("IMMEDIATE", 129),
        Formula("MOST SECRET", 105),
        Formula("MOST IMMEDIATE", 99),
    ]
    listed = {f.template: [v.template for v in f.variants] for f in _families(ranked)}
    assert listed == {"SECRET": ["MOST SECRET"], "MOST IMMEDIATE": ["IMMEDIATE"]}, listed
