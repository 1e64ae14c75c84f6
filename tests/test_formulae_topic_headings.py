"""A heading that is its documents' subject ("Nuclear Weapons" in DFAT volume 28, on the
Non-Proliferation Treaty) is no formula, also where some documents run its words into their
text ("Nuclear weapons are …"), which makes its template no line of its own
(`formulae._titled`)."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from docdiff.corpus.formulae import formulae_report
from docdiff.loaders import load_text
from docdiff.model import Document

VOLUME = (
    "dfat_historical_documents/txt/"
    "volume-28-australia-and-the-nuclear-non-proliferation-treaty-1945-1974/"
)


def _volume(shared_dir: Path) -> list[Document]:
    archive = shared_dir / "corpora" / "dfat-documents.tar.gz"
    if not archive.exists():
        pytest.skip(f"{archive} is absent")
    docs = []
    with tarfile.open(archive) as tar:
        for member in tar:
            if member.isfile() and member.name.startswith(VOLUME):
                f = tar.extractfile(member)
                assert f is not None
                text = f.read().decode("utf-8")
                docs.append(load_text(text, doc_id=member.name.removeprefix(VOLUME)))
    assert len(docs) > 150
    return sorted(docs, key=lambda d: d.id)  # (as `docdiff formulae FOLDER` reads them)


def test_the_volumes_subject_heading_is_no_formula(shared_dir: Path) -> None:
    templates = [f.template for f in formulae_report(_volume(shared_dir), limit=60).formulae]
    assert any(t.startswith("Canberra, {date}") for t in templates), templates
    assert "Nuclear Weapons" not in templates, templates
