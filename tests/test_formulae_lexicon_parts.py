"""A mined template of two words, all of whose instances stand in a longer lexicon formula, is
that formula's wording and is listed under it. DFAT volume 25 listed "Please deliver {…}" (4
documents: "Please deliver the following message to the Tunku from the Prime Minister", …) as a
formula of its own, beside the cable's request "Please {…} the following message from {…}"
(`transmit`) that three of its four instances are."""

from __future__ import annotations

from pathlib import Path

from docdiff.corpus.formulae import formulae_report
from tests._archives import DFAT, archive_documents

VOLUME = (
    "dfat_historical_documents/txt/volume-25-australia-and-the-formation-of-malaysia-1961-1966/"
)


def test_a_two_word_part_of_a_lexicon_formula_is_listed_under_it(shared_dir: Path) -> None:
    docs = archive_documents(shared_dir, DFAT, VOLUME)
    found = formulae_report(docs).formulae
    entries = [f.template for f in found]
    assert not any(t.startswith("Please deliver") for t in entries), entries
    (request,) = [f for f in found if f.lexicon == "transmit"]
    wordings = [v.template for v in request.variants]
    assert any(t.startswith("Please deliver") for t in wordings), wordings
