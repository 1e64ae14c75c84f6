"""Duplicate and near-duplicate documents: republications grouped before pairs are aligned.

Two documents are copies when each covers at least `threshold` (80%) of the other's distinct word
k-grams. Candidates come from a bottom-k sketch (each document's smallest k-gram hashes): a copy
shares most of them, so common wording never pairs documents up and the cost stays near linear.
Candidate pairs are then verified exactly, and copies are joined into groups (union-find). A
group is shown once, by its representative: the earliest dated member (the first publication),
else the fullest copy (the most distinct k-grams: a copy that dropped a sentence is not the one
the group's pairs are aligned with), then the first by id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from docdiff.corpus.cluster import UnionFind
from docdiff.corpus.metadata import date_of
from docdiff.index.arrays import U64
from docdiff.model import DuplicateGroup

__all__ = ["THRESHOLD", "duplicate_groups"]

THRESHOLD = 0.8
"""Coverage both ways that makes two documents copies."""
_SKETCH = 8
_BUCKET = 200
"""A sketch hash shared by more documents than this is boilerplate, not a copy's fingerprint."""


def duplicate_groups(
    kgram_sets: Sequence[U64],
    ids: Sequence[str],
    metas: Sequence[Mapping[str, str]],
    *,
    threshold: float = THRESHOLD,
    min_kgrams: int = 20,
) -> tuple[DuplicateGroup, ...]:
    """Groups of documents that cover each other by `threshold` both ways, largest first.

    `kgram_sets` are each document's sorted distinct k-gram hashes; documents with fewer than
    `min_kgrams` are too short to call copies.
    """
    uf = UnionFind(len(kgram_sets))
    coverage: dict[tuple[int, int], float] = {}
    for a, b in sorted(_candidates(kgram_sets, min_kgrams)):
        both = _coverage(kgram_sets[a], kgram_sets[b])
        if both >= threshold:
            uf.union(a, b)
            coverage[(a, b)] = both
    members: dict[int, list[int]] = {}
    for x in sorted({x for pair in coverage for x in pair}):
        members.setdefault(uf.find(x), []).append(x)
    least: dict[int, float] = {}
    for (a, _), c in coverage.items():
        root = uf.find(a)
        least[root] = min(least.get(root, 1.0), c)

    def first(i: int) -> tuple[bool, str, int, str]:
        date = date_of(metas[i])
        return (date is None, date or "", -len(kgram_sets[i]), ids[i])

    groups = [(sorted(group, key=first), least[root]) for root, group in members.items()]
    groups.sort(key=lambda g: (-len(g[0]), ids[g[0][0]]))
    return tuple(
        DuplicateGroup(
            id=n,
            representative=ids[group[0]],
            members=tuple(ids[i] for i in group),
            coverage=round(100 * c, 1),
        )
        for n, (group, c) in enumerate(groups, start=1)
    )


def _candidates(kgram_sets: Sequence[U64], min_kgrams: int) -> set[tuple[int, int]]:
    """Pairs of documents sharing one of their smallest k-gram hashes (a bottom-k sketch)."""
    buckets: dict[int, list[int]] = {}
    for i, grams in enumerate(kgram_sets):
        if len(grams) >= min_kgrams:
            for h in grams[:_SKETCH].tolist():
                buckets.setdefault(h, []).append(i)
    out: set[tuple[int, int]] = set()
    for docs in buckets.values():
        if 2 <= len(docs) <= _BUCKET:
            out.update((a, b) for x, a in enumerate(docs) for b in docs[x + 1 :])
    return out


def _coverage(a: U64, b: U64) -> float:
    """The smaller of the two coverages: shared k-grams over each side's k-grams."""
    if not len(a) or not len(b):
        return 0.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return min(shared / len(a), shared / len(b))
