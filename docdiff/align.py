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
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

__all__ = ["Piece", "Run", "align_chains", "chain_runs", "find_runs", "select_pieces"]

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


@dataclass(frozen=True, slots=True)
class Piece:
    """A refined aligned passage: token ranges plus opcodes relative to those ranges."""

    a0: int
    a1: int
    b0: int
    b1: int
    ops: tuple[tuple[str, int, int, int, int], ...]
    """Opcodes (tag, i1, i2, j1, j2) with absolute token indices."""
    equal: int
    """Number of equal tokens."""
    origin: int = -1
    """The chain a piece was cut from, when it was cut at a paragraph break."""


def find_runs(
    a_ids: Sequence[int],
    b_ids: Sequence[int],
    a_hashes: Sequence[int],
    b_positions: dict[int, list[int]],
    seedable: Sequence[bool],
    k: int,
    *,
    max_occurrences: int = 64,
) -> list[Run]:
    """Maximal exact runs grown from shared seedable k-grams."""
    by_diagonal: dict[int, list[int]] = defaultdict(list)
    for i, h in enumerate(a_hashes):
        if not seedable[i]:
            continue
        js = b_positions.get(h)
        if js is None or len(js) > max_occurrences:
            continue
        for j in js:
            by_diagonal[j - i].append(i)
    na, nb = len(a_ids), len(b_ids)
    runs: list[Run] = []
    for d, starts in by_diagonal.items():
        starts.sort()
        last_end = -1
        for i in starts:
            if i < last_end:
                continue  # inside the previous (already extended) run
            j = i + d
            if a_ids[i : i + k] != b_ids[j : j + k]:
                continue  # hash collision
            a0, b0 = i, j
            while a0 > 0 and b0 > 0 and a_ids[a0 - 1] == b_ids[b0 - 1]:
                a0 -= 1
                b0 -= 1
            a1, b1 = i + k, j + k
            while a1 < na and b1 < nb and a_ids[a1] == b_ids[b1]:
                a1 += 1
                b1 += 1
            if a0 < last_end:
                continue
            runs.append(Run(a0, a1, b0, b1))
            last_end = a1
    runs.sort(key=lambda r: (r.a0, r.b0))
    return runs


def chain_runs(runs: Sequence[Run], max_gap: int) -> list[list[Run]]:
    """Join runs into chains whose unmatched stretches never exceed `max_gap` on either side."""
    if not runs:
        return []
    n = len(runs)
    best = [float(r.length) for r in runs]
    pred = [-1] * n
    # Runs ordered by end in A, to find predecessors ending just before a run starts.
    by_end = sorted(range(n), key=lambda x: runs[x].a1)
    ends = [runs[x].a1 for x in by_end]
    # Runs are sorted by a0 and a predecessor starts strictly earlier, so its best score is
    # final by the time it is used.
    for idx in range(n):
        r = runs[idx]
        lo = bisect.bisect_left(ends, r.a0 - max_gap)
        hi = bisect.bisect_right(ends, r.a1 - 1)
        checked = 0
        for pos in range(hi - 1, lo - 1, -1):
            p_idx = by_end[pos]
            p = runs[p_idx]
            if p_idx == idx or p.a0 >= r.a0 or p.b0 >= r.b0 or p.b1 >= r.b1:
                continue
            gap_a = r.a0 - p.a1
            gap_b = r.b0 - p.b1
            if gap_a > max_gap or gap_b > max_gap or gap_b < -r.length:
                continue
            checked += 1
            overlap = max(0, -gap_a, -gap_b)
            gain = r.length - overlap - 0.5 * max(gap_a, gap_b, 0) - 0.25 * abs(gap_a - gap_b)
            score = best[p_idx] + gain
            if score > best[idx]:
                best[idx] = score
                pred[idx] = p_idx
            if checked >= _MAX_PREDECESSORS:
                break
    order = sorted(range(n), key=lambda x: (-best[x], runs[x].a0, runs[x].b0))
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


def align_chains(
    chains: Sequence[Sequence[Run]],
    a_ids: Sequence[int],
    b_ids: Sequence[int],
    max_gap: int,
) -> list[Piece]:
    """Refine every chain with a C++ alignment and split it at long unmatched stretches."""
    pieces: list[Piece] = []
    for chain in chains:
        a0 = min(r.a0 for r in chain)
        a1 = max(r.a1 for r in chain)
        b0 = min(r.b0 for r in chain)
        b1 = max(r.b1 for r in chain)
        if len(chain) == 1:
            pieces.append(Piece(a0, a1, b0, b1, (("equal", a0, a1, b0, b1),), a1 - a0))
            continue
        ops = Levenshtein.opcodes(a_ids[a0:a1], b_ids[b0:b1])
        current: list[tuple[str, int, int, int, int]] = []
        for op in ops:
            tag = op.tag
            i1, i2 = op.src_start + a0, op.src_end + a0
            j1, j2 = op.dest_start + b0, op.dest_end + b0
            if tag != "equal" and max(i2 - i1, j2 - j1) > max_gap:
                _flush(current, pieces)
                current = []
                continue
            current.append((tag, i1, i2, j1, j2))
        _flush(current, pieces)
    return pieces


def _flush(ops: list[tuple[str, int, int, int, int]], out: list[Piece]) -> None:
    while ops and ops[0][0] != "equal":
        ops.pop(0)
    while ops and ops[-1][0] != "equal":
        ops.pop()
    if not ops:
        return
    equal = sum(op[2] - op[1] for op in ops if op[0] == "equal")
    out.append(Piece(ops[0][1], ops[-1][2], ops[0][3], ops[-1][4], tuple(ops), equal))


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
        new_a = (p.a1 - p.a0) - sum(cover_a[p.a0 : p.a1])
        new_b = (p.b1 - p.b0) - sum(cover_b[p.b0 : p.b1])
        return new_a >= max(1, (p.a1 - p.a0 + 1) // 2) and new_b >= max(1, (p.b1 - p.b0 + 1) // 2)

    def keep(p: Piece) -> None:
        kept.append(p)
        cover_a[p.a0 : p.a1] = b"\x01" * (p.a1 - p.a0)
        cover_b[p.b0 : p.b1] = b"\x01" * (p.b1 - p.b0)

    def strength(p: Piece) -> float:
        if weights is None:
            return float(p.equal)
        return sum(weights[i] for op in p.ops if op[0] == "equal" for i in range(op[1], op[2]))

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
    kept.sort(key=lambda p: (p.a0, p.b0))
    return kept
