"""The formula miner's masking, read the way the formula tests assert it."""

from __future__ import annotations

from collections.abc import Iterable

from docdiff.corpus.formulae import Masked, _CaseStats


def case_stats(texts: Iterable[str]) -> _CaseStats:
    """The case counts of a corpus of `texts`, settled, as the miner counts them before it
    masks each document."""
    stats = _CaseStats()
    for text in texts:
        stats.add(text)
    stats.finish()
    return stats


def names_in(text: str, masked: Masked) -> list[str]:
    """The text of each token `masked` reads as a name, in order."""
    return [
        text[a:b]
        for a, b, kind in zip(masked.starts, masked.ends, masked.kinds, strict=True)
        if kind == "name"
    ]
