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


def select_pieces(pieces: Sequence[Piece]) -> list[Piece]:
    """Keep the strongest pieces that each bring something new on at least one side.

    A passage repeated in one document (a name used three times, say) pairs with its
    counterparts only until every occurrence on each side has one: N x M repeats give about
    max(N, M) matches, not N x M, and no occurrence is left unmatched.
    """
    kept: list[Piece] = []
    cover_a: set[int] = set()
    cover_b: set[int] = set()
    for p in sorted(pieces, key=lambda p: (-p.equal, p.a0, p.b0)):
        new_a = sum(1 for i in range(p.a0, p.a1) if i not in cover_a)
        new_b = sum(1 for j in range(p.b0, p.b1) if j not in cover_b)
        need_a = max(1, (p.a1 - p.a0 + 1) // 2)
        need_b = max(1, (p.b1 - p.b0 + 1) // 2)
        if new_a < need_a and new_b < need_b:
            continue
        kept.append(p)
        cover_a.update(range(p.a0, p.a1))
        cover_b.update(range(p.b0, p.b1))
    kept.sort(key=lambda p: (p.a0, p.b0))
    return kept
