"""What the formula miner lists as one entry, read the way the formula tests assert it."""

from __future__ import annotations

from collections.abc import Sequence

from docdiff.corpus.formulae import Region, _families
from docdiff.model import Formula


def listed_under(
    ranked: list[Formula],
    combined: frozenset[tuple[str, ...]] = frozenset(),
    instances: Sequence[Sequence[Region]] = (),
    titled: frozenset[tuple[str, ...]] = frozenset(),
) -> dict[str, list[str]]:
    """Each entry `_families` lists, with the templates of the wordings under it (`combined`:
    the lines read as several markings; `instances`: each template's regions; `titled`: the
    markings the corpus writes in title case)."""
    return {
        f.template: [v.template for v in f.variants]
        for f in _families(ranked, combined, instances, titled)
    }
