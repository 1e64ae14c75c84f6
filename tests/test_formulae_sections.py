"""A section's heading is the text's structure, not a formula of the genre. DFAT v27 listed
"Introduction" (6 documents, 14 once italic and plain headings were one line), "Background",
"Conclusion", "Conclusions" as formulae: lines of their own in many documents and from many
senders, like the markings "Secret" and "Top Secret". A section's heading follows a line of its
document's own (its title, a paragraph) and heads a paragraph; a marking follows the dateline."""

from __future__ import annotations

from pathlib import Path

from docdiff.corpus.formulae import formulae_report
from tests._archives import DFAT, archive_documents

VOLUME = "dfat_historical_documents/txt/volume-27-australia-and-the-united-kingdom-1960-1975/"
REPORTS = ("10-", "11-", "22-", "24-", "28-", "40-", "47-", "91-", "107-", "123-", "140-",
           "177-", "202-", "494-")  # fmt: skip
"""Reports and submissions headed "Introduction" or "Background"."""
LETTERS = ("5-", "6-", "12-", "13-", "16-", "18-", "19-", "23-", "25-", "29-", "34-", "35-",
           "39-", "41-", "42-", "44-")  # fmt: skip
"""Minutes, messages and notes marked "Top Secret" under their dateline."""


def test_section_headings_are_no_formulae_and_markings_stay(shared_dir: Path) -> None:
    docs = archive_documents(shared_dir, DFAT, VOLUME, REPORTS + LETTERS)
    assert len(docs) == len(REPORTS + LETTERS)
    templates = [f.template for f in formulae_report(docs).formulae]
    for heading in ("Introduction", "Background", "Conclusions"):
        assert heading not in templates, templates
    assert "Top Secret" in templates, templates
