"""The particles of a name are the name's ("Morais da Silva", "van der Stoel", "Rio de
Janeiro"), and so is a particle the editors bracketed inside it: DFAT volume 20 listed "[da]"
(four documents) as a formula, the editors' "General Morais [da] Silva"."""

from __future__ import annotations

from pathlib import Path

from docdiff.corpus.formulae import formulae_report, mask
from tests._archives import DFAT, archive_documents

VOLUME = (
    "dfat_historical_documents/txt/"
    "volume-20-australia-and-the-indonesian-incorporation-of-portuguese-timor-1974-1976/"
)


def _names(text: str) -> list[str]:
    m = mask(text)
    spans = zip(m.starts, m.ends, m.kinds, strict=True)
    return [m.text[s:e] for s, e, k in spans if k == "name"]


def test_a_particle_between_a_names_words_is_the_names() -> None:
    assert _names("We met General Morais da Silva today.") == ["General Morais da Silva"]
    assert _names("We met General Morais [da] Silva today.") == ["General Morais [da] Silva"]
    assert _names("We met Mr van der Stoel today.") == ["Mr van der Stoel"]
    assert _names("In Rio de Janeiro and in New York.") == ["Rio de Janeiro", "New York"]
    # Not after a name, or not before one: a word; and a bracketed word that is no particle.
    assert _names("We met Mr Smith de facto.") == ["Mr Smith"]
    assert _names("We met Mr Smith [and] Mr Jones.") == ["Mr Smith", "Mr Jones"]


def test_a_bracketed_particle_is_no_formula(shared_dir: Path) -> None:
    """The 112 documents of DFAT volume 20 numbered from 400: four hold "[da]"."""
    docs = archive_documents(shared_dir, DFAT, VOLUME, ("4",))
    assert len(docs) == 112
    found = formulae_report(docs).formulae
    shown = [g.template for f in found for g in (f, *f.variants)]
    assert not [t for t in shown if "[da]" in t], shown
