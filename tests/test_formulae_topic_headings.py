"""A heading that is its documents' subject ("Nuclear Weapons" in DFAT volume 28, on the
Non-Proliferation Treaty) is no formula, also where some documents run its words into their
text ("Nuclear weapons are …"), which makes its template no line of its own
(`formulae._titled`)."""

from __future__ import annotations

from pathlib import Path

from docdiff.corpus.formulae import formulae_report
from docdiff.model import Document
from tests._archives import DFAT, archive_documents

VOLUME = (
    "dfat_historical_documents/txt/"
    "volume-28-australia-and-the-nuclear-non-proliferation-treaty-1945-1974/"
)


def _read(shared_dir: Path, volume: str) -> list[Document]:
    docs = archive_documents(shared_dir, DFAT, volume)
    assert len(docs) > 150
    return docs


def _volume(shared_dir: Path) -> list[Document]:
    return sorted(_read(shared_dir, VOLUME), key=lambda d: d.id)


def test_the_volumes_subject_heading_is_no_formula(shared_dir: Path) -> None:
    templates = [f.template for f in formulae_report(_volume(shared_dir), limit=60).formulae]
    assert "{name}, {date}" in templates, templates  # (Canberra, London, … : one dateline)
    assert "Nuclear Weapons" not in templates, templates


V25 = "dfat_historical_documents/txt/volume-25-australia-and-the-formation-of-malaysia-1961-1966/"


def test_a_subject_heading_whose_subject_varies_is_no_formula(shared_dir: Path) -> None:
    """Volume 25's cables head their text with their subject in bold: "Malaysia and the United
    Nations", "Malaysia and the Security Council", "Singapore and the United Nations". Read
    together they make "Malaysia and the {name}", a template with a name slot, whose words
    each cable goes on to talk about: a topic, not wording of the genre
    (`formulae._a_varied_heading`). The datelines, whose place and date vary as well, stay."""
    docs = sorted(_read(shared_dir, V25), key=lambda d: d.id)
    templates = [f.template for f in formulae_report(docs, limit=60).formulae]
    assert "{name}, {date}" in templates, templates  # (Canberra, Kuala Lumpur, … : one dateline)
    assert not [t for t in templates if t.startswith("Malaysia and the")], templates
    assert "The Threat {…}" not in templates, templates
