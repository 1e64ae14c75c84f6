"""Local alignment of reused passages: seeds, diagonal runs, gapped chains, refinement.

The stages, on token-id sequences (ids are stable hashes of fuzzy keys):

1. **seeds**: positions where both documents have the same rare k-gram;
2. **runs**: seeds on one diagonal merged into maximal exact runs, then extended over equal
   tokens that were too common to seed;
3. **chains**: runs joined along (nearly) the same diagonal while the unmatched stretch between
   them stays within ``max_gap`` words on both sides, so a chain never bridges two reused
   passages across unrelated text;
4. **refinement**: rapidfuzz aligns each chain's token ids in C++ (Levenshtein opcodes); a
   chain is split wherever the alignment shows a long unmatched stretch, and trimmed so that
   it starts and ends on matching words.

Alignment is local, not a diff: moved passages give separate matches.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import Levenshtein

__all__ = [
    "Op",
    "Piece",
    "Run",
    "SeedIndex",
    "align_chains",
    "chain_runs",
    "find_runs",
    "flush_ops",
    "piece_of",
    "seed_index",
    "select_pieces",
    "shared_seeds",
]

I64 = npt.NDArray[np.int64]
_EMPTY: I64 = np.zeros(0, dtype=np.int64)

_MAX_PREDECESSORS = 48


@dataclass(slots=True)
class Run:
    """An exact run of equal token ids: ``a[a0:a1] == b[b0:b1]``."""

    a0: int
    a1: int
    b0: int
    b1: int

    @property
    def length(self) -> int:
        """Number of tokens in the run."""
        return self.a1 - self.a0


class Op(NamedTuple):
    """One alignment opcode over absolute token indices: `tag` takes a[i1:i2] to b[j1:j2]."""

    tag: str
    """"equal", "replace", "insert" or "delete"."""
    i1: int
    i2: int
    j1: int
    j2: int


class Piece(NamedTuple):
    """A refined aligned passage: token ranges plus opcodes relative to those ranges (a named
    tuple: a comparison makes dozens, and a frozen dataclass costs several times more to make)."""

    a0: int
    a1: int
    b0: int
    b1: int
    ops: tuple[Op, ...]
    """Opcodes with absolute token indices."""
    equal: int
    """Number of equal tokens."""
    origin: int = -1
    """The chain a piece was cut from, when it was cut at a paragraph break."""


def seed_index(hashes: npt.NDArray[np.uint64]) -> SeedIndex:
    """One document's k-gram hashes sorted for binary search (built once per document)."""
    order = hashes.argsort(kind="stable").astype(np.int64)
    return SeedIndex(hashes[order], order)


@dataclass(frozen=True, slots=True)
class SeedIndex:
    """A document's k-gram hashes in sorted order, and the start position of each."""

    hashes: npt.NDArray[np.uint64]
    positions: I64
    """Start positions, ascending within one hash."""


def shared_seeds(
    a_hashes: npt.NDArray[np.uint64],
    seedable: npt.NDArray[np.bool_],
    b: SeedIndex,
    *,
    max_occurrences: int = 64,
    a_index: SeedIndex | None = None,
) -> tuple[I64, I64]:
    """Positions ``(i, j)`` where A's seedable k-gram `i` is B's k-gram `j`.

    A hash found more than `max_occurrences` times in B seeds nothing. With `a_index` (A's
    own `SeedIndex`) and A much longer than B, B's k-grams are looked up in A instead, so a
    very long document costs what the shorter one holds. The pairs come in no set order.
    """
    if a_index is not None and len(a_hashes) > 2 * len(b.hashes):
        return _seeds_from_b(seedable, a_index, b, max_occurrences)
    if a_index is not None and len(seedable) >= len(a_hashes):
        # A's k-grams in sorted order: a binary search with sorted keys is several times
        # faster (each search starts where the last one ended).
        ok = seedable[a_index.positions]
        cand, hs = a_index.positions[ok], a_index.hashes[ok]
    else:
        cand = seedable[: len(a_hashes)].nonzero()[0].astype(np.int64)
        hs = a_hashes[cand]
    if len(cand) == 0 or len(b.hashes) == 0:
        return _EMPTY, _EMPTY
    lo = b.hashes.searchsorted(hs, side="left")
    hi = b.hashes.searchsorted(hs, side="right")
    cnt = hi - lo
    keep = (cnt > 0) & (cnt <= max_occurrences)
    cand, lo, cnt = cand[keep], lo[keep], cnt[keep]
    total = int(cnt.sum())
    if total == 0:
        return _EMPTY, _EMPTY
    first = cnt.cumsum() - cnt
    offsets = np.arange(total, dtype=np.int64) - np.repeat(first, cnt)
    seeds_a = np.repeat(cand, cnt)
    seeds_b = b.positions[np.repeat(lo, cnt) + offsets]
    return seeds_a, seeds_b


def _seeds_from_b(
    seedable: npt.NDArray[np.bool_], a: SeedIndex, b: SeedIndex, max_occurrences: int
) -> tuple[I64, I64]:
    """`shared_seeds` searching B's distinct k-grams in A's sorted index."""
    if len(b.hashes) == 0 or len(a.hashes) == 0:
        return _EMPTY, _EMPTY
    uniq, first, count = np.unique(b.hashes, return_index=True, return_counts=True)
    keep = count <= max_occurrences
    uniq, first, count = uniq[keep], first[keep], count[keep]
    lo = a.hashes.searchsorted(uniq, side="left")
    hi = a.hashes.searchsorted(uniq, side="right")
    m = hi - lo
    found = m > 0
    uniq, first, count, lo, m = uniq[found], first[found], count[found], lo[found], m[found]
    if len(uniq) == 0:
        return _EMPTY, _EMPTY
    # Every A position of each hash...
    total = int(m.sum())
    group = np.repeat(np.arange(len(uniq)), m)
    a_pos = a.positions[np.repeat(lo, m) + (np.arange(total) - np.repeat(m.cumsum() - m, m))]
    ok = seedable[a_pos] if len(seedable) else np.zeros(len(a_pos), dtype=bool)
    a_pos, group = a_pos[ok], group[ok]
    if len(a_pos) == 0:
        return _EMPTY, _EMPTY
    # ... with every B position of it.
    c = count[group]
    pairs = int(c.sum())
    seeds_a = np.repeat(a_pos, c)
    offsets = np.arange(pairs) - np.repeat(c.cumsum() - c, c)
    seeds_b = b.positions[np.repeat(first[group], c) + offsets]
    return seeds_a.astype(np.int64), seeds_b.astype(np.int64)


def find_runs(
    a_ids: Sequence[int],
    b_ids: Sequence[int],
    seeds_a: I64,
    seeds_b: I64,
    k: int,
    *,
    a_array: npt.NDArray[np.uint64] | None = None,
    b_array: npt.NDArray[np.uint64] | None = None,
) -> list[Run]:
    """Maximal exact runs grown from shared k-grams (`shared_seeds`), sorted by (a0, b0).

    Each run is a maximal stretch of equal tokens along one diagonal that holds a seed whose
    k tokens really are equal (a hash collision seeds nothing). Seeds are checked, grouped
    along their diagonals and extended in bulk on the id arrays, so the cost follows the
    shared text, not the documents' length.
    """
    if len(seeds_a) == 0:
        return []
    aa = a_array if a_array is not None else np.asarray(a_ids, dtype=np.uint64)
    ba = b_array if b_array is not None else np.asarray(b_ids, dtype=np.uint64)
    na, nb = len(a_ids), len(b_ids)
    i, j = seeds_a, seeds_b
    # Seeds whose k tokens fit and are equal on both sides (hash collisions drop out).
    ok = (i + k <= na) & (j + k <= nb)
    i, j = i[ok], j[ok]
    for t in range(k):
        same = aa[i + t] == ba[j + t]
        i, j = i[same], j[same]
    if len(i) == 0:
        return []
    d = j - i
    order = np.lexsort((i, d))
    i, d = i[order], d[order]
    # Seeds on one diagonal within k of each other lie in one equal stretch: group them.
    new = np.ones(len(i), dtype=bool)
    new[1:] = (d[1:] != d[:-1]) | (i[1:] - i[:-1] > k)
    firsts = new.nonzero()[0]
    lasts = np.append(firsts[1:] - 1, len(i) - 1)
    dd = d[firsts]
    # Every group grows to the maximal equal stretch around it, all groups at once; groups
    # that grow into one stretch give one run.
    a0 = _extend(aa, ba, i[firsts], dd, -1, na, nb)
    a1 = _extend(aa, ba, i[lasts] + k - 1, dd, 1, na, nb) + 1
    # The distinct (a0, d, a1), sorted by them (as ``np.unique(..., axis=0)``, which costs
    # more than the sort).
    order = np.lexsort((a1, dd, a0))
    a0, dd, a1 = a0[order], dd[order], a1[order]
    new = np.ones(len(a0), dtype=bool)
    new[1:] = (a0[1:] != a0[:-1]) | (dd[1:] != dd[:-1]) | (a1[1:] != a1[:-1])
    a0, dd, a1 = a0[new].tolist(), dd[new].tolist(), a1[new].tolist()
    return [Run(x0, x1, x0 + y, x1 + y) for x0, y, x1 in zip(a0, dd, a1, strict=True)]


def _extend(
    aa: npt.NDArray[np.uint64],
    ba: npt.NDArray[np.uint64],
    start: I64,
    d: I64,
    step: int,
    na: int,
    nb: int,
) -> I64:
    """From each A position `start` (equal to B's ``start + d``), walk by `step` while the
    tokens stay equal; the last equal position of each walk.

    The walks look ahead a block of tokens at a time, the block doubling while some walk
    still finds it all equal: a run of n copied words costs about log n rounds, not n.
    """
    pos = start.copy()
    live = np.arange(len(pos))
    width = _FIRST_BLOCK
    while len(live):
        p, dl = pos[live], d[live]
        # Steps each walk may take before leaving either document.
        room = np.minimum(na - 1 - p, nb - 1 - (p + dl)) if step > 0 else np.minimum(p, p + dl)
        w = int(min(width, max(_FIRST_BLOCK, _BLOCK_CELLS // len(live)), max(int(room.max()), 1)))
        ahead = np.arange(1, w + 1)
        ia = p[:, None] + step * ahead
        ib = ia + dl[:, None]
        same = aa[np.clip(ia, 0, na - 1)] == ba[np.clip(ib, 0, nb - 1)]
        same &= ahead <= room[:, None]
        # Equal steps before the first difference (w when the whole block is equal).
        taken = np.where(same.all(axis=1), w, np.argmin(same, axis=1))
        pos[live] = p + step * taken
        live = live[taken == w]
        width *= 2
    return pos


_FIRST_BLOCK = 16
"""Tokens `_extend` first looks ahead (most runs end within a few words)."""

_BLOCK_CELLS = 1 << 20
"""At most this many token comparisons in one round of `_extend` (bounds its memory)."""


_EDGE_BLOCK = 1_000_000
"""Candidate predecessor links examined at once by `chain_runs` (bounds its memory)."""


def chain_runs(runs: Sequence[Run], max_gap: int) -> list[list[Run]]:
    """Join runs into chains whose unmatched stretches never exceed `max_gap` on either side.

    `runs` are sorted by (a0, b0). Each run links to the best-scoring earlier run ending just
    before it on both sides (among the `_MAX_PREDECESSORS` nearest valid ones); chains are
    then read off from the best-scoring ends. The candidate links are found and scored in
    bulk; only the few valid links go through the dynamic programme.
    """
    if not runs:
        return []
    n = len(runs)
    a0 = np.fromiter((r.a0 for r in runs), dtype=np.int64, count=n)
    a1 = np.fromiter((r.a1 for r in runs), dtype=np.int64, count=n)
    b0 = np.fromiter((r.b0 for r in runs), dtype=np.int64, count=n)
    b1 = np.fromiter((r.b1 for r in runs), dtype=np.int64, count=n)
    length = a1 - a0
    # Runs ordered by end in A, to find predecessors ending just before a run starts.
    by_end = a1.argsort(kind="stable")
    ends = a1[by_end]
    lo = ends.searchsorted(a0 - max_gap, side="left")
    hi = ends.searchsorted(a1 - 1, side="right")
    cnt = np.maximum(hi - lo, 0)
    best = length.astype(np.float64).tolist()
    pred = [-1] * n
    # Blocks of runs, so that the candidate links held at once stay bounded.
    cum = cnt.cumsum()
    start = 0
    while start < n:
        base = int(cum[start - 1]) if start else 0
        stop = int(cum.searchsorted(base + _EDGE_BLOCK, side="right"))
        stop = min(n, max(stop, start + 1))
        _link(start, stop, a0, a1, b0, b1, length, by_end, lo, hi, cnt, max_gap, best, pred)
        start = stop
    # Runs are sorted by a0 and a predecessor starts strictly earlier, so its best score is
    # final by the time it is used (`_link` walks the runs in order).
    order = np.lexsort((b0, a0, -np.asarray(best))).tolist()
    used = [False] * n
    chains: list[list[Run]] = []
    for end in order:
        if used[end]:
            continue
        chain = []
        cur = end
        while cur != -1 and not used[cur]:
            used[cur] = True
            chain.append(runs[cur])
            cur = pred[cur]
        chain.reverse()
        chains.append(chain)
    return chains


def _link(
    start: int,
    stop: int,
    a0: I64,
    a1: I64,
    b0: I64,
    b1: I64,
    length: I64,
    by_end: I64,
    lo: I64,
    hi: I64,
    cnt: I64,
    max_gap: int,
    best: list[float],
    pred: list[int],
) -> None:
    """The dynamic programme of `chain_runs` for runs ``start..stop-1``."""
    c = cnt[start:stop]
    total = int(c.sum())
    if total == 0:
        return
    r = np.repeat(np.arange(start, stop, dtype=np.int64), c)
    first = c.cumsum() - c
    # Candidates of each run from the latest end backwards, as the scalar loop visited them.
    pos = np.repeat(hi[start:stop] - 1, c) - (
        np.arange(total, dtype=np.int64) - np.repeat(first, c)
    )
    p = by_end[pos]
    gap_a = a0[r] - a1[p]
    gap_b = b0[r] - b1[p]
    valid = (
        (p != r)
        & (a0[p] < a0[r])
        & (b0[p] < b0[r])
        & (b1[p] < b1[r])
        & (gap_a <= max_gap)
        & (gap_b <= max_gap)
        & (gap_b >= -length[r])
    )
    if not valid.any():
        return
    r, p, gap_a, gap_b = r[valid], p[valid], gap_a[valid], gap_b[valid]
    # Only the nearest `_MAX_PREDECESSORS` valid candidates of a run are considered.
    group = np.ones(len(r), dtype=bool)
    group[1:] = r[1:] != r[:-1]
    starts = group.nonzero()[0]
    rank = np.arange(len(r)) - np.repeat(starts, np.diff(np.append(starts, len(r))))
    near = rank < _MAX_PREDECESSORS
    r, p, gap_a, gap_b = r[near], p[near], gap_a[near], gap_b[near]
    overlap = np.maximum(np.maximum(-gap_a, -gap_b), 0)
    gain = (
        (length[r] - overlap)
        - 0.5 * np.maximum(np.maximum(gap_a, gap_b), 0)
        - 0.25 * np.abs(gap_a - gap_b)
    )
    for ri, pi, g in zip(r.tolist(), p.tolist(), gain.tolist(), strict=True):
        score = best[pi] + g
        if score > best[ri]:
            best[ri] = score
            pred[ri] = pi


def align_chains(
    chains: Sequence[Sequence[Run]],
    a_ids: Sequence[int],
    b_ids: Sequence[int],
    max_gap: int,
) -> list[Piece]:
    """Refine every chain with a C++ alignment and split it at long unmatched stretches."""
    pieces: list[Piece] = []
    for chain in chains:
        if len(chain) == 1:
            r = chain[0]
            pieces.append(
                Piece(r.a0, r.a1, r.b0, r.b1, (Op("equal", r.a0, r.a1, r.b0, r.b1),), r.a1 - r.a0)
            )
            continue
        a0 = min(r.a0 for r in chain)
        a1 = max(r.a1 for r in chain)
        b0 = min(r.b0 for r in chain)
        b1 = max(r.b1 for r in chain)
        ops = Levenshtein.opcodes(a_ids[a0:a1], b_ids[b0:b1])
        current: list[Op] = []
        for op in ops:
            tag = op.tag
            i1, i2 = op.src_start + a0, op.src_end + a0
            j1, j2 = op.dest_start + b0, op.dest_end + b0
            if tag != "equal" and max(i2 - i1, j2 - j1) > max_gap:
                flush_ops(current, pieces)
                current = []
                continue
            current.append(Op(tag, i1, i2, j1, j2))
        flush_ops(current, pieces)
    return pieces


def piece_of(ops: Sequence[Op], origin: int = -1) -> Piece:
    """The piece spanned by `ops` (which start and end with an equal run)."""
    equal = sum(op.i2 - op.i1 for op in ops if op.tag == "equal")
    return Piece(ops[0].i1, ops[-1].i2, ops[0].j1, ops[-1].j2, tuple(ops), equal, origin)


def flush_ops(ops: list[Op], out: list[Piece]) -> None:
    """Drop `ops`' edits at either end and add the piece left, if any, to `out`."""
    while ops and ops[0].tag != "equal":
        ops.pop(0)
    while ops and ops[-1].tag != "equal":
        ops.pop()
    if ops:
        out.append(piece_of(ops))


def select_pieces(pieces: Sequence[Piece], weights: Sequence[float] | None = None) -> list[Piece]:
    """Pair every occurrence with at most one counterpart: the strongest pieces first.

    A piece is kept only when it is mostly new on *both* sides, so a phrase that occurs once in
    A and three times in B gives one match, not three. Among candidates of the same strength the
    one that keeps the order of the pieces already kept (its neighbours) wins: a first pass keeps
    only order-preserving pieces, a second pass adds the crossing ones (moved sections) that are
    still new on both sides. A passage repeated N times on each side gives N matches.
    A piece's strength is the rarity `weights` (of A's tokens) of its equal words, when given,
    else their number: "of the Republic of Korea" is weaker than "Republic of Korea (ROK)".
    """
    if not pieces:
        return []
    na = max(p.a1 for p in pieces)
    nb = max(p.b1 for p in pieces)
    cover_a = bytearray(na)
    cover_b = bytearray(nb)
    kept: list[Piece] = []
    chain_a: list[int] = []  # a0 of the order-keeping skeleton, sorted
    chain_b: list[int] = []  # the matching b0, also sorted (the skeleton never crosses)
    deferred: list[Piece] = []

    def new_on_both(p: Piece) -> bool:
        # The covers hold 0 and 1 only: counting the ones (in C) is their sum.
        new_a = (p.a1 - p.a0) - cover_a.count(1, p.a0, p.a1)
        new_b = (p.b1 - p.b0) - cover_b.count(1, p.b0, p.b1)
        return new_a >= max(1, (p.a1 - p.a0 + 1) // 2) and new_b >= max(1, (p.b1 - p.b0 + 1) // 2)

    def keep(p: Piece) -> None:
        kept.append(p)
        cover_a[p.a0 : p.a1] = b"\x01" * (p.a1 - p.a0)
        cover_b[p.b0 : p.b1] = b"\x01" * (p.b1 - p.b0)

    def strength(p: Piece) -> float:
        if weights is None:
            return float(p.equal)
        # The equal words' weights in order (sliced, not indexed one by one), summed as a
        # loop over them would.
        return sum(
            itertools.chain.from_iterable(
                weights[op.i1 : op.i2] for op in p.ops if op.tag == "equal"
            )
        )

    ranked = sorted(pieces, key=lambda p: (-round(strength(p), 6), -p.equal, p.a0 + p.b0, p.a0))
    for p in ranked:
        if not new_on_both(p):
            continue
        k = bisect.bisect_left(chain_a, p.a0)
        before_ok = k == 0 or chain_b[k - 1] < p.b0
        after_ok = k == len(chain_a) or chain_b[k] > p.b0
        if not (before_ok and after_ok):
            deferred.append(p)
            continue
        keep(p)
        chain_a.insert(k, p.a0)
        chain_b.insert(k, p.b0)
    for p in deferred:
        if new_on_both(p):
            keep(p)
    if deferred:
        # A moved section kept in the second pass may cover a weaker piece the first pass kept
        # there (its name paired with a later mention): strongest first, each still new.
        cover_a[:] = bytes(na)
        cover_b[:] = bytes(nb)
        rank = {id(p): n for n, p in enumerate(ranked)}
        ranked_kept = sorted(kept, key=lambda p: rank[id(p)])
        kept = []
        for p in ranked_kept:
            if new_on_both(p):
                keep(p)
    kept.sort(key=lambda p: (p.a0, p.b0))
    return kept
