"""Duplicate and near-duplicate documents: republications grouped before pairs are aligned.

Two documents are copies when each covers at least `threshold` (80%) of the other's distinct word
k-grams. Candidates come from a bottom-k sketch (each document's smallest k-gram hashes): a copy
shares most of them, so common wording never pairs documents up and the cost stays near linear.
Candidate pairs are then verified exactly, and copies are joined into groups (union-find). A
group is shown once, by its representative (the earliest dated member, else the first by id).
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
    buckets: dict[int, list[int]] = {}
    for i, grams in enumerate(kgram_sets):
        if len(grams) >= min_kgrams:
            for h in grams[:_SKETCH].tolist():
                buckets.setdefault(h, []).append(i)
    candidates: set[tuple[int, int]] = set()
    for docs in buckets.values():
        if 2 <= len(docs) <= _BUCKET:
            candidates.update((a, b) for x, a in enumerate(docs) for b in docs[x + 1 :])
    uf = UnionFind(len(kgram_sets))
    coverage: dict[tuple[int, int], float] = {}
    for a, b in sorted(candidates):
        both = _coverage(kgram_sets[a], kgram_sets[b])
        if both >= threshold:
            uf.union(a, b)
            coverage[(a, b)] = both
    members: dict[int, list[int]] = {}
    for a, b in coverage:
        for x in (a, b):
            members.setdefault(uf.find(x), [])
    for x in {x for pair in coverage for x in pair}:
        members[uf.find(x)].append(x)
    groups = []
    for root, group in members.items():
        group.sort(key=lambda i: (date_of(metas[i]) is None, date_of(metas[i]) or "", ids[i]))
        least = min(c for (a, _), c in coverage.items() if uf.find(a) == root)
        groups.append((group, least))
    groups.sort(key=lambda g: (-len(g[0]), ids[g[0][0]]))
    return tuple(
        DuplicateGroup(
            id=n,
            representative=ids[group[0]],
            members=tuple(ids[i] for i in group),
            coverage=round(100 * least, 1),
        )
        for n, (group, least) in enumerate(groups, start=1)
    )


def _coverage(a: U64, b: U64) -> float:
    """The smaller of the two coverages: shared k-grams over each side's k-grams."""
    if not len(a) or not len(b):
        return 0.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return min(shared / len(a), shared / len(b))
