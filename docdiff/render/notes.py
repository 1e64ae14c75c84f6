"""What a scan's settings tell its reader, in words every report shows the same way."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["scan_notes"]


def scan_notes(settings: Mapping[str, object]) -> list[str]:
    """Plain sentences on what a scan left out or judged less fully: the pairs a budget left
    unaligned, and the pairs kept with their anchored passages only (not compared in full)."""
    notes: list[str] = []
    if settings.get("unaligned_pairs"):
        notes.append(
            f"Budget: --max-pairs {settings.get('max_pairs')} left "
            f"{settings.get('unaligned_pairs')} of {settings.get('candidates_found')} candidate "
            f"pairs unaligned (the {settings.get('candidate_pairs')} aligned share the most "
            f"rare {settings.get('candidate_words')}-word sequences, "
            f"{settings.get('min_shared')} or more each)."
        )
    if settings.get("anchored_pairs"):
        notes.append(
            f"Full comparison: the {settings.get('compared_in_full')} pairs sharing the most rare "
            "wording were compared in full (paraphrase, formulae, kinds); the other "
            f"{settings.get('anchored_pairs')} keep the passages aligned from their shared rare "
            "wording (kind phrasing, reason \u201canchored\u201d)."
        )
    return notes
