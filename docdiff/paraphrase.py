"""Reworded and reordered reuse: windows of content-word stems compared with rapidfuzz.

Verbatim alignment misses "political provocation document full of falsehood, fabrication"
against "showdown document featuring concoctions and fabrications, falsehoods ... political
provocation". Here each document becomes a sequence of content-word stems (fuzzy keys of
non-function words); overlapping windows of those stems are compared only when they share
rare stems, scored in bulk with ``rapidfuzz.process.cdist`` on their sorted stems, and
overlapping hits are merged into one passage per side.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["ParaphraseHit", "find_paraphrases"]


@dataclass(frozen=True, slots=True)
class ParaphraseHit:
    """A reworded passage pair: token ranges, score and the shared stems."""

    a0: int
    a1: int
    b0: int
    b1: int
    score: float
    shared: tuple[str, ...]
    pairs: tuple[tuple[int, int], ...]
    """Token index pairs of the shared stems (for display)."""


def _content(
    keys: Sequence[str], covered: Sequence[bool], weight: Callable[[str], float]
) -> list[int]:
    return [i for i, key in enumerate(keys) if not covered[i] and weight(key) > 0.0]


def find_paraphrases(
    a_keys: Sequence[str],
    b_keys: Sequence[str],
    a_covered: Sequence[bool],
    b_covered: Sequence[bool],
    weight: Callable[[str], float],
    *,
    window: int = 12,
    step: int = 4,
    min_shared: int = 4,
    min_score: float = 50.0,
    max_pairs_per_stem: int = 9,
) -> list[ParaphraseHit]:
    """Passages that share rare content stems in another order or wording."""
    ca = _content(a_keys, a_covered, weight)
    cb = _content(b_keys, b_covered, weight)
    if len(ca) < min_shared or len(cb) < min_shared:
        return []
    pos_a: dict[str, list[int]] = defaultdict(list)
    pos_b: dict[str, list[int]] = defaultdict(list)
    for p, i in enumerate(ca):
        pos_a[a_keys[i]].append(p)
    for p, j in enumerate(cb):
        pos_b[b_keys[j]].append(p)

    # Window w covers content positions [w*step, w*step + window).
    per = window // step
    shared: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
    for stem, pas in pos_a.items():
        pbs = pos_b.get(stem)
        if not pbs or len(pas) * len(pbs) > max_pairs_per_stem:
            continue
        w = weight(stem)
        for pa in pas:
            wa_hi = pa // step
            for pb in pbs:
                wb_hi = pb // step
                for wa in range(max(0, wa_hi - per + 1), wa_hi + 1):
                    for wb in range(max(0, wb_hi - per + 1), wb_hi + 1):
                        shared[(wa, wb)][stem] = w
    candidates = [
        pair
        for pair, stems in shared.items()
        if len(stems) >= min_shared and sum(stems.values()) >= min_shared * 0.75
    ]
    if not candidates:
        return []
    accepted = _score_windows(candidates, ca, cb, a_keys, b_keys, window, step, min_score)
    return _merge(accepted, ca, cb, a_keys, b_keys, window, step, weight, min_shared)


def _window_text(content: list[int], keys: Sequence[str], w: int, window: int, step: int) -> str:
    return " ".join(sorted(keys[i] for i in content[w * step : w * step + window]))


def _score_windows(
    candidates: list[tuple[int, int]],
    ca: list[int],
    cb: list[int],
    a_keys: Sequence[str],
    b_keys: Sequence[str],
    window: int,
    step: int,
    min_score: float,
) -> list[tuple[int, int]]:
    from rapidfuzz import fuzz, process

    rows = sorted({wa for wa, _ in candidates})
    cols = sorted({wb for _, wb in candidates})
    row_of = {w: r for r, w in enumerate(rows)}
    col_of = {w: c for c, w in enumerate(cols)}
    a_texts = [_window_text(ca, a_keys, w, window, step) for w in rows]
    b_texts = [_window_text(cb, b_keys, w, window, step) for w in cols]
    accepted: list[tuple[int, int]] = []
    # Score in blocks so a huge reuse never builds one giant matrix.
    block = max(1, 2_000_000 // max(1, len(cols)))
    wanted = defaultdict(list)
    for wa, wb in candidates:
        wanted[row_of[wa]].append(col_of[wb])
    for start in range(0, len(rows), block):
        scores = process.cdist(
            a_texts[start : start + block],
            b_texts,
            scorer=fuzz.token_set_ratio,
            score_cutoff=min_score,
            workers=-1,
        )
        for r in range(start, min(start + block, len(rows))):
            row = scores[r - start]
            accepted.extend((rows[r], cols[c]) for c in wanted[r] if row[c] >= min_score)
    return accepted


def _merge(
    accepted: list[tuple[int, int]],
    ca: list[int],
    cb: list[int],
    a_keys: Sequence[str],
    b_keys: Sequence[str],
    window: int,
    step: int,
    weight: Callable[[str], float],
    min_shared: int,
) -> list[ParaphraseHit]:
    # Union window pairs that overlap on both sides.
    parent = list(range(len(accepted)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    per = window // step
    index = {pair: n for n, pair in enumerate(accepted)}
    for n, (wa, wb) in enumerate(accepted):
        for da in range(-per + 1, per):
            for db in range(-per + 1, per):
                m = index.get((wa + da, wb + db))
                if m is not None and m != n:
                    parent[find(m)] = find(n)
    groups: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for n, pair in enumerate(accepted):
        groups[find(n)].append(pair)

    hits: list[ParaphraseHit] = []
    for pairs in groups.values():
        a_lo = min(wa for wa, _ in pairs) * step
        a_hi = min(len(ca), max(wa for wa, _ in pairs) * step + window)
        b_lo = min(wb for _, wb in pairs) * step
        b_hi = min(len(cb), max(wb for _, wb in pairs) * step + window)
        hit = _region_hit(ca[a_lo:a_hi], cb[b_lo:b_hi], a_keys, b_keys, weight, min_shared)
        if hit is not None:
            hits.append(hit)
    hits.sort(key=lambda h: (h.a0, h.b0))
    return _drop_overlapping(hits)


def _region_hit(
    ra: list[int],
    rb: list[int],
    a_keys: Sequence[str],
    b_keys: Sequence[str],
    weight: Callable[[str], float],
    min_shared: int,
) -> ParaphraseHit | None:
    common: set[str] = set()
    for _ in range(3):
        common = {a_keys[i] for i in ra} & {b_keys[j] for j in rb}
        if len(common) < min_shared:
            return None
        # Keep, on each side, the densest stretch of shared stems: a shared word far from the
        # others (more than a few words away) is a coincidence, not part of the passage.
        new_ra = _densest(ra, a_keys, common)
        new_rb = _densest(rb, b_keys, common)
        if new_ra == ra and new_rb == rb:
            break
        ra, rb = new_ra, new_rb
    common = {a_keys[i] for i in ra} & {b_keys[j] for j in rb}
    if len(common) < min_shared:
        return None
    in_a = [i for i in ra if a_keys[i] in common]
    in_b = [j for j in rb if b_keys[j] in common]
    a0, a1 = in_a[0], in_a[-1] + 1
    b0, b1 = in_b[0], in_b[-1] + 1
    span_a = [i for i in ra if a0 <= i < a1]
    span_b = [j for j in rb if b0 <= j < b1]
    wa = sum(weight(a_keys[i]) for i in span_a)
    wb = sum(weight(b_keys[j]) for j in span_b)
    shared_w = sum(weight(s) for s in common)
    # Weighted Dice over distinct content stems, tempered by how much of each side is shared.
    set_a = {a_keys[i] for i in span_a}
    set_b = {b_keys[j] for j in span_b}
    dice = 2 * shared_w / max(1e-9, sum(map(weight, set_a)) + sum(map(weight, set_b)))
    if wa <= 0 or wb <= 0:
        return None
    score = round(100.0 * dice, 1)
    pairs = []
    first_b: dict[str, int] = {}
    for j in in_b:
        first_b.setdefault(b_keys[j], j)
    seen: set[str] = set()
    for i in in_a:
        key = a_keys[i]
        if key not in seen:
            seen.add(key)
            pairs.append((i, first_b[key]))
    return ParaphraseHit(a0, a1, b0, b1, score, tuple(sorted(common)), tuple(pairs))


_MAX_TOKEN_GAP = 10


def _densest(region: list[int], keys: Sequence[str], common: set[str]) -> list[int]:
    """The part of `region` around its densest run of shared stems (split at wide gaps)."""
    shared = [i for i in region if keys[i] in common]
    if not shared:
        return region
    segments: list[list[int]] = [[shared[0]]]
    for i in shared[1:]:
        if i - segments[-1][-1] > _MAX_TOKEN_GAP:
            segments.append([i])
        else:
            segments[-1].append(i)
    best = max(segments, key=lambda seg: (len({keys[i] for i in seg}), -seg[0]))
    return [i for i in region if best[0] <= i <= best[-1]]


def _drop_overlapping(hits: list[ParaphraseHit]) -> list[ParaphraseHit]:
    kept: list[ParaphraseHit] = []
    for h in sorted(hits, key=lambda h: (-len(h.shared), -h.score, h.a0)):
        if all(not (h.a0 < k.a1 and k.a0 < h.a1 and h.b0 < k.b1 and k.b0 < h.b1) for k in kept):
            kept.append(h)
    kept.sort(key=lambda h: (h.a0, h.b0))
    return kept
