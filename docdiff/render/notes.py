"""What a scan's settings tell its reader, in words every report shows the same way."""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docdiff.model import Document, Report

__all__ = ["documents_scanned", "plural", "scan_notes", "where"]


def where(doc: Document, offset: int) -> str:
    """Where `offset` of `doc` is, as every report says it: "line 12", or "p.3 line 40" in a
    paged document."""
    page = doc.page_of(offset)
    line = bisect.bisect_left(_newlines(doc.text), offset) + 1
    return f"p.{page} line {line}" if page else f"line {line}"


@lru_cache(maxsize=64)
def _newlines(text: str) -> list[int]:
    """Where `text`'s line breaks are: each passage of a long pair looks its line up here
    instead of counting the breaks before it."""
    return [m.start() for m in re.finditer("\n", text)]


def scan_notes(settings: Mapping[str, object]) -> list[tuple[str, str]]:
    """``(label, sentence)`` on what a scan left out or judged less fully: the pairs a budget
    left unaligned, and the pairs kept with their anchored passages only (not compared in
    full). The terminal, HTML and Markdown reports all print these."""
    s = settings
    notes: list[tuple[str, str]] = []
    if s.get("unaligned_pairs"):
        aligned = int(str(s.get("candidate_pairs")))
        kept = "the pair aligned shares" if aligned == 1 else f"the {aligned} aligned share"
        budget = (
            f"--max-pairs {s.get('max_pairs')} left {s.get('unaligned_pairs')} of "
            f"{plural(int(str(s.get('candidates_found'))), 'candidate pair')} unaligned ({kept} "
            f"the most rare {s.get('candidate_words')}-word sequences, {s.get('min_shared')} or "
            "more); --max-pairs 0 aligns them all"
        )
        notes.append(("budget", budget))
    if s.get("anchored_pairs"):
        full, rest = int(str(s.get("compared_in_full"))), int(str(s.get("anchored_pairs")))
        best = (
            "the pair sharing the most rare wording was"
            if full == 1
            else (f"the {full} pairs sharing the most rare wording were")
        )
        note = (
            f"{best} compared in full (paraphrase, echoes); the other {rest} "
            f"{'keeps' if rest == 1 else 'keep'} the passages aligned from their shared rare "
            "wording, with their kinds but no paraphrase or echoes (reason "
            "\u201canchored\u201d); --full-pairs 0 compares them all"
        )
        notes.append(("full comparison", note))
    return notes


def documents_scanned(report: Report) -> int:
    """How many documents a scan or formulae run read (its setting), else those the report
    lists."""
    n = report.settings.get("documents_scanned")
    return n if isinstance(n, int) else len(report.documents)


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 pair``, ``2 pairs`` (`many` for irregular plurals)."""
    return f"{n} {word if n == 1 else many or word + 's'}"
