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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import Levenshtein

__all__ = [
    "MIRRORED_TAG",
    "Candidates",
    "Chains",
    "Op",
    "Piece",
    "Run",
    "RunArrays",
    "SeedIndex",
    "align_chain_arrays",
    "align_chains",
    "aligned_ops",
    "chain_arrays",
    "chain_runs",
    "chain_touches",
    "chain_weights",
    "find_runs",
    "flush_ops",
    "piece_of",
    "range_sums",
    "rounded",
    "run_arrays",
    "seed_index",
    "select_candidates",
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
    # A stable sort's order: a quicker unstable sort, then the positions of each repeated
    # hash put back in ascending order (a few k-grams repeat; their run's number leads).
    order = hashes.argsort().astype(np.int64)
    ordered = hashes[order]
    same = ordered[1:] == ordered[:-1]
    if same.any():
        n = len(order)
        tied = np.zeros(n, dtype=bool)
        tied[1:] = same
        tied[:-1] |= same
        at = tied.nonzero()[0]
        runs = np.cumsum(np.append(False, ordered[at][1:] != ordered[at][:-1]), dtype=np.int64)
        key = runs * n + order[at]
        key.sort()
        order[at] = key % n
    return SeedIndex(ordered, order)


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


class RunArrays(NamedTuple):
    """Exact runs as parallel arrays (``a[a0:a1] == b[b0:b1]``), sorted by (a0, b0)."""

    a0: I64
    a1: I64
    b0: I64
    b1: I64


_NO_RUNS = RunArrays(_EMPTY, _EMPTY, _EMPTY, _EMPTY)


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
    """Maximal exact runs grown from shared k-grams (`shared_seeds`), sorted by (a0, b0):
    `run_arrays` as `Run` objects."""
    r = run_arrays(a_ids, b_ids, seeds_a, seeds_b, k, a_array=a_array, b_array=b_array)
    return list(map(Run, r.a0.tolist(), r.a1.tolist(), r.b0.tolist(), r.b1.tolist()))


def run_arrays(
    a_ids: Sequence[int],
    b_ids: Sequence[int],
    seeds_a: I64,
    seeds_b: I64,
    k: int,
    *,
    a_array: npt.NDArray[np.uint64] | None = None,
    b_array: npt.NDArray[np.uint64] | None = None,
) -> RunArrays:
    """Maximal exact runs grown from shared k-grams (`shared_seeds`), sorted by (a0, b0).

    Each run is a maximal stretch of equal tokens along one diagonal that holds a seed whose
    k tokens really are equal (a hash collision seeds nothing). Seeds are checked, grouped
    along their diagonals and extended in bulk on the id arrays, so the cost follows the
    shared text, not the documents' length.
    """
    if len(seeds_a) == 0:
        return _NO_RUNS
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
        return _NO_RUNS
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
    a0, dd, a1 = a0[new], dd[new], a1[new]
    return RunArrays(a0, a1, a0 + dd, a1 + dd)


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
        same = aa.take(ia, mode="clip") == ba.take(ib, mode="clip")  # (clipped: see `room`)
        same &= ahead <= room[:, None]
        # Equal steps before the first difference (w when the whole block is equal).
        taken = np.where(same.all(axis=1), w, np.argmin(same, axis=1))
        pos[live] = p + step * taken
        live = live[taken == w]
        width *= 2
    return pos


_FIRST_BLOCK = 4
"""Tokens `_extend` first looks ahead (most runs end within a few words: on two 50,000-word
documents, 4 took a third of the time 16 took)."""

_BLOCK_CELLS = 1 << 20
"""At most this many token comparisons in one round of `_extend` (bounds its memory)."""


_EDGE_BLOCK = 1_000_000
"""Candidate predecessor links examined at once by `chain_runs` (bounds its memory)."""


def chain_runs(runs: Sequence[Run], max_gap: int) -> list[list[Run]]:
    """Join runs into chains whose unmatched stretches never exceed `max_gap` on either side
    (`chain_arrays` of `Run` objects sorted by (a0, b0))."""
    if not runs:
        return []
    return [[runs[i] for i in chain] for chain in chain_arrays(_as_arrays(runs), max_gap).runs()]


def _as_arrays(runs: Sequence[Run]) -> RunArrays:
    """`Run` objects as a `RunArrays`, in their order."""
    n = len(runs)
    return RunArrays(
        *(
            np.fromiter((getattr(r, name) for r in runs), dtype=np.int64, count=n)
            for name in RunArrays._fields
        )
    )


class Chains(NamedTuple):
    """Chains of runs (indices into a `RunArrays`), in the order `chain_arrays` gives them.

    Nearly every chain of two long documents is one run: those are kept as an array, the few
    longer ones as lists.
    """

    single: I64
    """Each chain's run when it has one run, else -1."""
    multi: dict[int, list[int]]
    """Chain number -> its runs in text order, for the chains of two runs or more."""

    def __len__(self) -> int:
        return len(self.single)

    def runs(self) -> list[list[int]]:
        """Each chain's runs, in order."""
        multi = self.multi
        return [multi[c] if r < 0 else [r] for c, r in enumerate(self.single.tolist())]

    def kept(self, keep: npt.NDArray[np.bool_]) -> Chains:
        """The chains where `keep` holds, in their order."""
        number = np.cumsum(keep) - 1
        multi = {int(number[c]): runs for c, runs in self.multi.items() if keep[c]}
        return Chains(self.single[keep], multi)


def chain_arrays(runs: RunArrays, max_gap: int) -> Chains:
    """Join runs into chains whose unmatched stretches never exceed `max_gap` on either side.

    `runs` are sorted by (a0, b0). Each run links to the best-scoring earlier run ending just
    before it on both sides (among the `_MAX_PREDECESSORS` nearest valid ones); chains are
    then read off from the best-scoring ends. The candidate links are found and scored in
    bulk; only the few valid links go through the dynamic programme, and only the runs with
    a link are read off one by one (a run without one is a chain of its own).
    """
    n = len(runs.a0)
    if n == 0:
        return Chains(_EMPTY, {})
    a0, a1, b0, b1 = runs
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
    order = np.lexsort((b0, a0, -np.asarray(best)))
    # Chains are read off from each end in `order` not yet used, back along `pred`. A run
    # that links to none and that none links to is a chain of its own where `order` meets
    # it; the others are read off in that order among themselves (they never touch it).
    preds = np.asarray(pred, dtype=np.int64)
    linked = preds >= 0
    linked[preds[linked]] = True
    opens = ~linked[order]  # the places in `order` where a chain is read off
    found: list[tuple[int, list[int]]] = []
    used = [False] * n
    for place in linked[order].nonzero()[0].tolist():
        end = int(order[place])
        if used[end]:
            continue
        chain = []
        cur = end
        while cur != -1 and not used[cur]:
            used[cur] = True
            chain.append(cur)
            cur = pred[cur]
        chain.reverse()
        opens[place] = True
        found.append((place, chain))
    places = opens.nonzero()[0]
    single = order[places]
    number = places.searchsorted([place for place, _ in found]).tolist()
    multi: dict[int, list[int]] = {}
    for c, (_, chain) in zip(number, found, strict=True):
        if len(chain) > 1:
            single[c] = -1
            multi[c] = chain
    return Chains(single.astype(np.int64), multi)


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
    arrays = _as_arrays([r for chain in chains for r in chain])
    sizes = np.asarray([len(chain) for chain in chains], dtype=np.int64)
    firsts = sizes.cumsum() - sizes
    single = np.where(sizes == 1, firsts, -1)
    multi = {
        c: list(range(first, first + size))
        for c, (first, size) in enumerate(zip(firsts.tolist(), sizes.tolist(), strict=True))
        if size != 1
    }
    return align_chain_arrays(Chains(single, multi), arrays, a_ids, b_ids, max_gap).pieces()


def align_chain_arrays(
    chains: Chains, runs: RunArrays, a_ids: Sequence[int], b_ids: Sequence[int], max_gap: int
) -> Candidates:
    """`align_chains` of `chain_arrays`: a chain of one run is its own piece, kept as numbers
    (made a `Piece` only if selected); the others are aligned in C++ and split at long
    unmatched stretches."""
    single = chains.single
    a0 = runs.a0[single].tolist()
    a1 = runs.a1[single].tolist()
    b0 = runs.b0[single].tolist()
    b1 = runs.b1[single].tolist()
    made: dict[int, list[Piece]] = {}
    for c, members in chains.multi.items():
        made[c] = _align_chain(members, runs, a_ids, b_ids, max_gap)
    return Candidates(a0, a1, b0, b1, [None] * len(a0)).spliced(made)


def _align_chain(
    members: Sequence[int],
    runs: RunArrays,
    a_ids: Sequence[int],
    b_ids: Sequence[int],
    max_gap: int,
) -> list[Piece]:
    """The pieces of one chain of several runs (indices into `runs`)."""
    pieces: list[Piece] = []
    if not members:
        return pieces
    at = np.asarray(members, dtype=np.int64)
    a0, a1 = int(runs.a0[at].min()), int(runs.a1[at].max())
    b0, b1 = int(runs.b0[at].min()), int(runs.b1[at].max())
    current: list[Op] = []
    for op in aligned_ops(a_ids[a0:a1], b_ids[b0:b1], a0, b0):
        tag, i1, i2, j1, j2 = op
        if tag != "equal" and max(i2 - i1, j2 - j1) > max_gap:
            flush_ops(current, pieces)
            current = []
            continue
        current.append(op)
    flush_ops(current, pieces)
    return pieces


MIRRORED_TAG = {"equal": "equal", "replace": "replace", "insert": "delete", "delete": "insert"}
"""An op's tag seen from the other side: an insertion in B is a deletion from A."""


def aligned_ops(xs: Sequence[int], ys: Sequence[int], i0: int = 0, j0: int = 0) -> list[Op]:
    """The Levenshtein alignment of token ids `xs` with `ys`, as `Op`s from ``(i0, j0)``, the
    same (mirrored) whichever side comes first.

    rapidfuzz breaks ties between alignments of the same cost by direction ("the General
    Assembly" aligned one way, replaced the other), so both directions are tried when there is
    an edit: the alignment with more equal words wins, then the one read from the lesser
    sequence.
    """
    forward = Levenshtein.opcodes(xs, ys)
    ops = [
        Op(o.tag, o.src_start + i0, o.src_end + i0, o.dest_start + j0, o.dest_end + j0)
        for o in forward
    ]
    if all(op.tag == "equal" for op in ops) or not xs or not ys:
        return ops
    backward = [
        Op(
            MIRRORED_TAG[o.tag],
            o.dest_start + i0,
            o.dest_end + i0,
            o.src_start + j0,
            o.src_end + j0,
        )
        for o in Levenshtein.opcodes(ys, xs)
    ]
    if backward == ops:
        return ops
    equal = sum(op.i2 - op.i1 for op in ops if op.tag == "equal")
    equal_back = sum(op.i2 - op.i1 for op in backward if op.tag == "equal")
    if equal != equal_back:
        return ops if equal > equal_back else backward
    return ops if list(xs) <= list(ys) else backward


class Candidates(NamedTuple):
    """Pieces as parallel lists, in order: each piece's token ranges, and the piece itself,
    or None for a single equal run (``Piece(a0, a1, b0, b1, (equal op,), a1 - a0)``), made
    only when it is selected. Two long documents share tens of thousands of such runs (their
    stock phrases, each paired with every occurrence), and one in ten is selected."""

    a0: list[int]
    a1: list[int]
    b0: list[int]
    b1: list[int]
    made: list[Piece | None]

    @classmethod
    def of(cls, pieces: Sequence[Piece]) -> Candidates:
        """Candidates holding `pieces`."""
        return cls(
            [p.a0 for p in pieces],
            [p.a1 for p in pieces],
            [p.b0 for p in pieces],
            [p.b1 for p in pieces],
            list(pieces),
        )

    def piece(self, n: int) -> Piece:
        """Candidate `n` as a `Piece`."""
        made = self.made[n]
        if made is not None:
            return made
        a0, a1, b0, b1 = self.a0[n], self.a1[n], self.b0[n], self.b1[n]
        return Piece(a0, a1, b0, b1, (Op("equal", a0, a1, b0, b1),), a1 - a0)

    def pieces(self) -> list[Piece]:
        """Every candidate as a `Piece`, in order."""
        return [self.piece(n) for n in range(len(self.made))]

    def spliced(self, replaced: dict[int, list[Piece]]) -> Candidates:
        """Candidate ``n`` replaced by the pieces ``replaced[n]`` (in their order), for every
        `n` there."""
        if not replaced:
            return self
        out = Candidates([], [], [], [], [])
        prev = 0
        for n in sorted(replaced):
            out._take(self, prev, n)
            new = replaced[n]
            out.a0.extend(p.a0 for p in new)
            out.a1.extend(p.a1 for p in new)
            out.b0.extend(p.b0 for p in new)
            out.b1.extend(p.b1 for p in new)
            out.made.extend(new)
            prev = n + 1
        out._take(self, prev, len(self.made))
        return out

    def _take(self, other: Candidates, start: int, stop: int) -> None:
        """Append `other`'s candidates ``start..stop-1``."""
        self.a0.extend(other.a0[start:stop])
        self.a1.extend(other.a1[start:stop])
        self.b0.extend(other.b0[start:stop])
        self.b1.extend(other.b1[start:stop])
        self.made.extend(other.made[start:stop])

    def split(self, cut: Callable[[Piece], list[Piece]]) -> Candidates:
        """Each made piece replaced by ``cut(piece)`` (single equal runs have nothing to cut)."""
        return self.spliced({n: cut(p) for n, p in enumerate(self.made) if p is not None})


def chain_weights(
    chains: Chains,
    runs: RunArrays,
    weights: Sequence[float],
    weight_array: npt.NDArray[np.float64] | None = None,
) -> list[float]:
    """The weight of each chain's words in A, ``sum(sum(weights[r.a0:r.a1]) for r in chain)``
    (the sums of Python's `sum`: `range_sums` over `weight_array`, `weights` as an array,
    when given)."""
    single = chains.single
    out = range_sums(weights, runs.a0[single], runs.a1[single], weight_array)
    for c, members in chains.multi.items():
        out[c] = sum(sum(weights[runs.a0[r] : runs.a1[r]]) for r in members)
    return out


def chain_touches(
    chains: Chains,
    runs: RunArrays,
    marked_a: npt.NDArray[np.bool_],
    marked_b: npt.NDArray[np.bool_],
) -> npt.NDArray[np.bool_]:
    """Whether each chain holds a marked token on either side (a run touching one)."""
    ca = np.concatenate(([0], np.cumsum(marked_a, dtype=np.int64)))
    cb = np.concatenate(([0], np.cumsum(marked_b, dtype=np.int64)))
    hit = (ca[runs.a1] > ca[runs.a0]) | (cb[runs.b1] > cb[runs.b0])
    single = chains.single
    out: npt.NDArray[np.bool_] = hit[np.maximum(single, 0)] & (single >= 0)
    for c, members in chains.multi.items():
        out[c] = bool(hit[members].any())
    return out


_BULK_SUM = 32
"""The longest range `range_sums` adds up in bulk (longer ones, few, are summed one by one)."""

_BULK_RANGES = 256
"""The fewest ranges `range_sums` adds up in bulk (and `rounded` rounds in bulk)."""


def range_sums(
    weights: Sequence[float],
    starts: I64,
    stops: I64,
    weight_array: npt.NDArray[np.float64] | None = None,
) -> list[float]:
    """``[sum(weights[x:y]) for x, y in zip(starts, stops)]``, the same floats.

    Python (3.11) adds a slice's floats one by one, left to right from zero; the ranges of up
    to `_BULK_SUM` words are added so in bulk, a word of every range at each step
    (`weight_array` is `weights` as an array: given, it is not made again). Tens of thousands
    of short runs on a long pair.
    """
    n = len(starts)
    if n < _BULK_RANGES:
        # (Few ranges, a short pair: a step per word in bulk would cost more than the sums.)
        return list(map(sum, map(weights.__getitem__, map(slice, starts.tolist(), stops.tolist()))))
    w = np.asarray(weights, dtype=np.float64) if weight_array is None else weight_array
    sizes = np.maximum(np.minimum(stops, len(w)) - starts, 0)  # (as a slice clips)
    bulk = (sizes <= _BULK_SUM).nonzero()[0]
    # Longest first: the ranges still running at step t are a prefix.
    bulk = bulk[np.argsort(-sizes[bulk], kind="stable")]
    at, left = starts[bulk], sizes[bulk]
    totals = np.zeros(len(bulk), dtype=np.float64)
    longest = int(left[0]) if len(left) else 0
    running = np.searchsorted(-left, -np.arange(longest), side="left").tolist()
    for t, m in enumerate(running):
        totals[:m] += w[at[:m] + t]
    out = np.zeros(n, dtype=np.float64)
    out[bulk] = totals
    sums: list[float] = out.tolist()
    if len(bulk) < n:
        for x in (sizes > _BULK_SUM).nonzero()[0].tolist():
            sums[x] = sum(weights[int(starts[x]) : int(stops[x])])
    return sums


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
    """Pair every occurrence with at most one counterpart: the strongest pieces first
    (`select_candidates` of `pieces`)."""
    return select_candidates(Candidates.of(pieces), weights)


def rounded(values: Sequence[float], digits: int) -> npt.NDArray[np.float64]:
    """``[round(v, digits) for v in values]`` as an array, the same floats, in bulk.

    Python rounds the exact binary value half to even at `digits` decimals and returns the
    float nearest that decimal. For ``N = rint(v * 10**digits)`` that float is
    ``N / 10**digits`` (a correctly rounded division of exact integers), and ``N`` is the
    right integer unless the product lies near a half (its own rounding could cross it) or
    is too large for its rounding error to stay small: those few go through `round`.
    """
    v = np.asarray(values, dtype=np.float64)
    if not 0 <= digits <= 15 or len(v) < _BULK_RANGES:  # (where 10**digits is not exact)
        return np.fromiter((round(x, digits) for x in v.tolist()), np.float64, len(v))
    scale = 10.0**digits
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = v * scale
        whole = np.rint(scaled)
        out: npt.NDArray[np.float64] = whole / scale
        risky = ~(np.abs(np.abs(scaled - whole) - 0.5) > 1e-3) | ~(np.abs(scaled) < 2.0**40)
    for x in risky.nonzero()[0].tolist():
        out[x] = round(float(v[x]), digits)
    return out


def _slack(sizes: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """How many of a piece's `sizes` tokens on a side may be covered already for it to be
    new there: all but half of them (rounded up), one at least."""
    slack: npt.NDArray[np.int64] = sizes - np.maximum(1, (sizes + 1) // 2)
    return slack


def select_candidates(
    c: Candidates,
    weights: Sequence[float] | None = None,
    weight_array: npt.NDArray[np.float64] | None = None,
) -> list[Piece]:
    """Pair every occurrence with at most one counterpart: the strongest pieces first.

    A piece is kept only when it is mostly new on *both* sides, so a phrase that occurs once in
    A and three times in B gives one match, not three. Among candidates of the same strength the
    one that keeps the order of the pieces already kept (its neighbours) wins: a first pass keeps
    only order-preserving pieces, a second pass adds the crossing ones (moved sections) that are
    still new on both sides. A passage repeated N times on each side gives N matches.
    A piece's strength is the rarity `weights` (of A's tokens) of its equal words, when given,
    else their number: "of the Republic of Korea" is weaker than "Republic of Korea (ROK)".
    (`weight_array`, `weights` as an array, spares making it again.)
    """
    n = len(c.made)
    if not n:
        return []
    # The candidates' bounds as arrays, made once (tens of thousands on a long pair).
    a0s, a1s, b0s, b1s = (np.asarray(v, dtype=np.int64) for v in (c.a0, c.a1, c.b0, c.b1))
    na = int(a1s.max())
    nb = int(b1s.max())
    cover_a = bytearray(na)
    cover_b = bytearray(nb)
    kept: list[int] = []
    chain_a: list[int] = []  # a0 of the order-keeping skeleton, sorted
    chain_b: list[int] = []  # the matching b0, also sorted (the skeleton never crosses)
    made = [(x, p) for x, p in enumerate(c.made) if p is not None]
    equal = a1s - a0s
    for x, p in made:
        equal[x] = p.equal
    # A piece is new on a side when at least half its tokens there (one at least) are not
    # covered yet: when at most `slack` of them are.
    slack_a = _slack(a1s - a0s)
    slack_b = _slack(b1s - b0s)
    # The covers hold 0 and 1 only: counting the ones (in C) is their sum.
    count_a, count_b = cover_a.count, cover_b.count

    if weights is None:
        strength = equal.astype(np.float64).tolist()
    else:
        # A single equal run's words are one slice; a piece's equal words in order
        # otherwise: the same sums as a loop over them.
        strength = range_sums(weights, a0s, a1s, weight_array)
        for x, p in made:
            strength[x] = sum(
                itertools.chain.from_iterable(
                    weights[op.i1 : op.i2] for op in p.ops if op.tag == "equal"
                )
            )
    # Strongest first; then more equal words, earlier on both sides, earlier in A; then the
    # candidates' order (a stable sort).
    order = np.lexsort((a0s, a0s + b0s, -equal, -rounded(strength, 6)))
    # Each candidate's number, bounds and slacks, in that order (read as Python ints).
    ranked = list(
        zip(
            order.tolist(),
            *(v[order].tolist() for v in (a0s, a1s, b0s, b1s, slack_a, slack_b)),
            strict=True,
        )
    )
    # A candidate out of order is deferred before its covers are counted: counted later, when
    # they have only grown, it is refused there if it would have been here (and most
    # candidates of a pair reused in another order are out of order).
    deferred: list[tuple[int, int, int, int, int, int, int]] = []
    for row in ranked:
        x, a0, a1, b0, b1, sa, sb = row
        k = bisect.bisect_left(chain_a, a0)
        before_ok = k == 0 or chain_b[k - 1] < b0
        after_ok = k == len(chain_a) or chain_b[k] > b0
        if not (before_ok and after_ok):
            deferred.append(row)
            continue
        if count_a(1, a0, a1) > sa or count_b(1, b0, b1) > sb:
            continue  # not new on both
        kept.append(x)
        cover_a[a0:a1] = b"\x01" * (a1 - a0)
        cover_b[b0:b1] = b"\x01" * (b1 - b0)
        chain_a.insert(k, a0)
        chain_b.insert(k, b0)
    in_order = len(kept)
    for x, a0, a1, b0, b1, sa, sb in deferred:
        if count_a(1, a0, a1) <= sa and count_b(1, b0, b1) <= sb:  # new on both
            kept.append(x)
            cover_a[a0:a1] = b"\x01" * (a1 - a0)
            cover_b[b0:b1] = b"\x01" * (b1 - b0)
    if len(kept) > in_order:
        # A moved section kept in the second pass may cover a weaker piece the first pass kept
        # there (its name paired with a later mention): strongest first, each still new.
        cover_a[:] = bytes(na)
        cover_b[:] = bytes(nb)
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n, dtype=np.int64)
        ranked_kept = sorted(kept, key=rank.tolist().__getitem__)
        kept = []
        for x in ranked_kept:
            _, a0, a1, b0, b1, sa, sb = ranked[rank[x]]
            if count_a(1, a0, a1) <= sa and count_b(1, b0, b1) <= sb:  # new on both
                kept.append(x)
                cover_a[a0:a1] = b"\x01" * (a1 - a0)
                cover_b[b0:b1] = b"\x01" * (b1 - b0)
    kept.sort(key=lambda x: (c.a0[x], c.b0[x]))
    return [c.piece(x) for x in kept]
