"""Duplicate and near-duplicate documents: republications grouped before pairs are aligned.

Two documents are copies when at least `threshold` (80%) of each one's words stand in a word
k-gram the other holds: the coverage a scan's pairs show, counted without aligning. (A share of
distinct k-grams undercounts an edited copy: each changed word, "1st" for "1" or "guerilla" for
"guerrilla", removes k k-grams but leaves one word uncovered, so a Security Council resolution
printed twice with light edits, 97% of either's words in the other, shared only 74% of its
k-grams.) Candidates come from a bottom-k sketch (each document's smallest k-gram hashes): a copy
shares most of them, so common wording never pairs documents up and the cost stays near linear.
Candidate pairs are then verified exactly (two copies are also alike in length), and copies are
joined into chains (union-find), each split into groups of the copies of one representative.
A group is shown once, by its representative: the earliest dated member (the first
publication), else the fullest copy (the most distinct k-grams: a copy that dropped a sentence
is not the one the group's pairs are aligned with), then the first by id.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from docdiff.corpus.cluster import UnionFind
from docdiff.corpus.metadata import date_of
from docdiff.index.arrays import U64, kgram_array, sorted_unique
from docdiff.model import DuplicateGroup

__all__ = ["THRESHOLD", "duplicate_groups"]

THRESHOLD = 0.8
"""Coverage both ways that makes two documents copies."""
_SKETCH = 8
_BUCKET = 200
"""A sketch hash shared by more documents than this is boilerplate, not a copy's fingerprint."""
_SCREEN = 0.25
"""Candidates sharing fewer of their distinct k-grams are passed over, their words not counted
(the screen keeps the check as cheap as counting shared k-grams). With k = 5, a copy with one
word in twelve changed throughout shares 58% of them, one in seven 29%; one in six (83% of its
words covered) shares 17% and is passed over: a copy so edited is a rewording."""


def duplicate_groups(
    hashes: Sequence[U64],
    ids: Sequence[str],
    metas: Sequence[Mapping[str, str]],
    *,
    k: int = 5,
    threshold: float = THRESHOLD,
    min_kgrams: int = 20,
) -> tuple[DuplicateGroup, ...]:
    """Groups of documents that cover each other by `threshold` both ways, largest first.

    `hashes` are each document's token hashes (`DocTokens.hashes`), read as word k-grams;
    documents with fewer than `min_kgrams` distinct ones are too short to call copies.
    """
    kgram_sets = [sorted_unique(kgram_array(h, k)) for h in hashes]
    positional: dict[int, U64] = {}

    def grams(i: int) -> U64:
        # By position, for the few documents a candidate pair holds.
        if i not in positional:
            positional[i] = kgram_array(hashes[i], k)
        return positional[i]

    uf = UnionFind(len(kgram_sets))
    coverage: dict[tuple[int, int], float] = {}
    for a, b in sorted(_candidates(kgram_sets, min_kgrams)):
        if _shared(kgram_sets[a], kgram_sets[b]) < _SCREEN:
            continue
        both = min(_coverage(grams(a), kgram_sets[b], k), _coverage(grams(b), kgram_sets[a], k))
        if both >= threshold and _alike_in_length(len(hashes[a]), len(hashes[b])):
            uf.union(a, b)
            coverage[(a, b)] = both

    def first(i: int) -> tuple[bool, str, int, str]:
        date = date_of(metas[i])
        return (date is None, date or "", -len(kgram_sets[i]), ids[i])

    def both_ways(a: int, b: int) -> float:
        if not _alike_in_length(len(hashes[a]), len(hashes[b])):
            return 0.0  # (no copies, whatever they share: not counted)
        key = (a, b) if (a, b) in coverage else (b, a)
        if key not in coverage:
            coverage[key] = min(
                _coverage(grams(a), kgram_sets[b], k), _coverage(grams(b), kgram_sets[a], k)
            )
        return coverage[key]

    components: dict[int, list[int]] = {}
    for x in sorted({x for pair in coverage for x in pair}):
        components.setdefault(uf.find(x), []).append(x)
    groups: list[tuple[list[int], float]] = []
    for component in components.values():
        groups += _copies_of_one(sorted(component, key=first), both_ways, threshold)
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


def _copies_of_one(
    ordered: list[int], both_ways: Callable[[int, int], float], threshold: float
) -> list[tuple[list[int], float]]:
    """The groups of one chain of copies (`ordered` best representative first): each member a
    copy of its group's representative, not merely of a copy of a copy (each step of a chain
    may drop a fifth: 37 Debian copyright files were one group, an X11 licence of 29 KB and
    libxslt's of 3 KB among them, which share a tenth of the larger). The best representative
    left takes its copies; the rest group again. Each group, with the least coverage between
    its representative and a member."""
    out: list[tuple[list[int], float]] = []
    left = ordered
    while len(left) >= 2:
        rep, rest = left[0], left[1:]
        cover = {i: both_ways(rep, i) for i in rest}
        copies = [i for i in rest if cover[i] >= threshold]
        if copies:
            out.append(([rep, *copies], min(cover[i] for i in copies)))
        left = [i for i in rest if cover[i] < threshold]
    return out


_LENGTHS = 0.6
"""The least ratio of two copies' lengths in words. Coverage alone calls copies a text that
repeats another many times: the Debian copyright file of x11-xserver-utils (29 KB) states the
X11 licence for each of its programs, and libxfixes3's (2 KB) states it once, each covering the
other by 80%."""


def _alike_in_length(a: int, b: int) -> bool:
    return min(a, b) >= _LENGTHS * max(a, b)


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


def _shared(a: U64, b: U64) -> float:
    """The smaller of the two shares of distinct k-grams the other holds: a quick screen."""
    if not len(a) or not len(b):
        return 0.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return min(shared / len(a), shared / len(b))


def _coverage(grams: U64, other: U64, k: int) -> float:
    """The share of a document's words (its k-grams `grams`, by position) that stand in a
    k-gram of the `other` document's sorted distinct ones."""
    if not len(grams) or not len(other):
        return 0.0
    at = np.searchsorted(other, grams).clip(max=len(other) - 1)
    held = other[at] == grams
    covered = np.zeros(len(grams) + k - 1, dtype=bool)
    for offset in range(k):
        covered[offset : offset + len(held)] |= held
    return float(covered.mean())
