"""Two-sided anchored comparison: only the stretches of two documents around what they share.

A scan's pair shares a few rare k-grams; most of each document is unrelated to the other. The
seedable k-grams the two documents share (the seeds of `docdiff.engine.align`, at their
positions on both sides) that lie in a run of `MIN_RUN` on one diagonal are the anchors
(`anchors`). Around them each side keeps a window of `MARGIN`
tokens, widened to whole sentences; windows that touch are merged. The comparison then runs
on the two documents sliced to their windows (`slice_prepared`): nothing is tokenized or
prepared again, the slices share the documents' tokens, ids, weights, stems, sentences,
paragraph breaks and formula instances, and every span they report is an offset into the full
text. A pair whose windows cover most of a document (`WHOLE_SHARE`) is compared whole.

Measured on the UN General Debate (``tests/benchmarks/bench_complete_scan.py --per-pair``),
windows cost what they save: the whole comparison already follows the shared text (seeds in
bulk, paraphrase units recomputed only where matches touch them), and a slice's own paraphrase
weights and seed index cost about what the left-out text would have; 1,713 pairs of 2023-2024
took 39 CPU-s windowed and 38 whole. So a scan compares whole documents by default
(`docdiff.corpus.scan.PairAligner`'s ``windowed``); this module stays for pairs where a
document is much longer than what it shares.

What windows lose against a whole comparison: reuse sharing no seedable k-gram near it (a
paraphrase more than a margin away from any shared wording), isolated shared phrases outside
the windows (echoes), and the stems' paraphrase units weighed within the windows. Coverage and
similarity are given over the documents' full lengths (`summarise` on the whole documents).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from docdiff.engine.align import shared_seeds
from docdiff.engine.echoes import keep_sliced
from docdiff.engine.lexicon import FormulaHit, Lexicon
from docdiff.engine.paraphrase import UnitIndex, units_from_stems
from docdiff.engine.prepare import CorpusTopic, DocFreq, Prepared, load_lexicon
from docdiff.model import PairResult
from docdiff.options import Options
from docdiff.text.seeds import kgram_hash_array, sorted_unique
from docdiff.text.tokens import Tokens

__all__ = [
    "MARGIN",
    "WHOLE_SHARE",
    "Windows",
    "compare_windowed",
    "pair_windows",
    "side_windows",
    "slice_prepared",
]

I64 = npt.NDArray[np.int64]
Ranges = list[tuple[int, int]]

MARGIN = 60
"""Tokens kept on each side of a shared anchor (then widened to whole sentences)."""

WHOLE_SHARE = 0.6
"""A pair whose windows cover more than this share of either document is compared whole."""

MIN_RUN = 2
"""Consecutive shared k-grams on one diagonal an anchor needs (see `anchors`)."""


@dataclass(frozen=True, slots=True)
class Windows:
    """The token ranges of both sides of a pair that a windowed comparison looks at."""

    a: Ranges
    b: Ranges

    @property
    def empty(self) -> bool:
        """No shared anchor: nothing to compare."""
        return not self.a or not self.b


def side_windows(
    positions: I64,
    n: int,
    k: int,
    sentences: list[tuple[int, int]],
    *,
    margin: int = MARGIN,
) -> Ranges:
    """Token ranges of `n` tokens around the anchor `positions` (k-gram starts), each widened
    to whole `sentences` and merged when they touch or overlap; in text order."""
    if len(positions) == 0 or n <= 0:
        return []
    pos = sorted_unique(positions)
    lo = np.maximum(pos - margin, 0)
    hi = np.minimum(pos + k + margin, n)
    starts = [s for s, _ in sentences]
    out: Ranges = []
    for s0, e0 in zip(lo.tolist(), hi.tolist(), strict=True):
        s, e = s0, e0
        if sentences:
            s = sentences[bisect.bisect_right(starts, s0) - 1][0]
            e = sentences[bisect.bisect_right(starts, e0 - 1) - 1][1]
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def pair_windows(
    a: Prepared,
    b: Prepared,
    seed_mask: npt.NDArray[np.bool_],
    *,
    margin: int = MARGIN,
    min_run: int = MIN_RUN,
) -> Windows:
    """The windows of both sides around the runs of shared seedable k-grams (see `anchors`)."""
    i, j = anchors(a, b, seed_mask, min_run=min_run)
    k = a.k
    return Windows(
        side_windows(i, len(a.tokens), k, a.sentences, margin=margin),
        side_windows(j, len(b.tokens), k, b.sentences, margin=margin),
    )


def anchors(
    a: Prepared, b: Prepared, seed_mask: npt.NDArray[np.bool_], *, min_run: int = MIN_RUN
) -> tuple[I64, I64]:
    """Positions ``(i, j)`` of the seedable k-grams of `a` found in `b` that lie in a run of at
    least `min_run` consecutive shared k-grams on one diagonal (a shared phrase of
    ``k + min_run - 1`` words): a lone shared k-gram is mostly the documents' common topic."""
    i, j = shared_seeds(a.hash_array, seed_mask, b.seed_index)
    if min_run <= 1 or len(i) == 0:
        return i, j
    d = i - j
    order = np.lexsort((i, d))
    i, j, d = i[order], j[order], d[order]
    # A run starts where the previous seed is not the one before it on the same diagonal.
    new = np.ones(len(i), dtype=bool)
    new[1:] = (d[1:] != d[:-1]) | (i[1:] != i[:-1] + 1)
    run = np.cumsum(new) - 1
    size = np.bincount(run)
    keep = size[run] >= min_run
    return i[keep], j[keep]


def covered(ranges: Ranges) -> int:
    """Tokens inside `ranges`."""
    return sum(e - s for s, e in ranges)


def slice_prepared(
    p: Prepared, ranges: Ranges, lexicon: Lexicon, *, snapped: bool = False
) -> Prepared:
    """`p` restricted to the tokens in `ranges` (sorted, disjoint), at their places in the
    full text: nothing is tokenized or prepared again.

    Each range opens a paragraph (the text between two ranges is not compared), so no
    passage, sentence or paragraph unit runs from one range into the next. K-grams are hashed
    within each range; a k-gram crossing from one range into the next seeds nothing. Stem
    weights and stem counts stay the whole document's (a word's rarity in the document).

    With `snapped` (each range starts and ends on a sentence bound of `p`, as `side_windows`
    makes them) the paraphrase units' stems are the document's own (`_sliced_units`), not
    computed again.
    """
    t = p.tokens
    forms: list[str] = []
    keys: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    roots_in = p.roots
    roots: list[str] = []
    weights: list[float] = []
    for s, e in ranges:
        forms += t.forms[s:e]
        keys += t.keys[s:e]
        starts += t.starts[s:e]
        ends += t.ends[s:e]
        roots += roots_in[s:e]
        weights += p.weights[s:e]
    at = np.concatenate([np.arange(s, e, dtype=np.int64) for s, e in ranges]) if ranges else None
    ids = p.id_array[at] if at is not None else np.zeros(0, dtype=np.uint64)
    hashes = kgram_hash_array(ids, p.k)
    # Parent position -> slice position, range by range.
    offsets: list[int] = []
    total = 0
    for s, e in ranges:
        offsets.append(total)
        total += e - s
    sentences: list[tuple[int, int]] = []
    paragraphs: list[int] = []
    unit_starts = [s for s, _ in p.sentences]
    parent_paragraphs = p.paragraphs
    number = -1
    breaks: list[int] = []
    parent_breaks = p.break_list
    hits: list[FormulaHit] = []
    parent_hits = p.formula_hits(lexicon)
    for (s, e), off in zip(ranges, offsets, strict=True):
        shift = off - s
        last = None
        u = max(0, bisect.bisect_right(unit_starts, s) - 1)
        while u < len(unit_starts) and unit_starts[u] < e:
            u0, u1 = p.sentences[u]
            u0, u1 = max(u0, s), min(u1, e)
            par = parent_paragraphs[u]
            if par != last:
                number += 1
                last = par
            sentences.append((u0 + shift, u1 + shift))
            paragraphs.append(number)
            u += 1
        breaks.append(off)
        b0 = bisect.bisect_right(parent_breaks, s)
        b1 = bisect.bisect_left(parent_breaks, e)
        breaks.extend(x + shift for x in parent_breaks[b0:b1])
        hits.extend(
            FormulaHit(h.template, max(h.start, s) + shift, min(h.end, e) + shift)
            for h in parent_hits
            if h.start < e and s < h.end
        )
    tokens = Tokens(forms, keys, starts, ends, t.language())
    part = Prepared(
        doc=p.doc,
        tokens=tokens,
        k=p.k,
        ids=ids.tolist(),
        _hashes=hashes.tolist(),
        _weights=weights,
        _roots=roots,
        _stem_weights=p.stem_table,
        _sentences=sentences,
        _paragraphs=paragraphs,
        _breaks=breaks,
        _formulae={id(lexicon): hits},
        _id_array=ids,
        _hash_array=hashes,
    )
    part._key_counts = p.key_counts
    keep_sliced(part, p, at if at is not None else np.zeros(0, dtype=np.int64))
    if snapped:
        part.kept = True
        part._unit_indexes[id(lexicon)] = _sliced_units(
            p.unit_index(lexicon), ranges, offsets, p.stem_table.__getitem__
        )
    return part


def slice_mask(
    mask: npt.NDArray[np.bool_], ranges: Ranges, k: int, n: int
) -> npt.NDArray[np.bool_]:
    """The seed mask of a slice (see `slice_prepared`): each range's own k-grams keep the
    whole document's answer, a k-gram crossing into the next range seeds nothing."""
    parts: list[npt.NDArray[np.bool_]] = []
    for s, e in ranges:
        inside = max(0, e - s - k + 1)
        parts.append(mask[s : s + inside])
        parts.append(np.zeros(min(k - 1, e - s), dtype=bool))
    out = np.concatenate(parts) if parts else np.zeros(0, dtype=bool)
    return out[: max(0, n - k + 1)]


def compare_windowed(
    a: Prepared,
    b: Prepared,
    options: Options,
    *,
    lexicon: Lexicon | None = None,
    doc_freq: DocFreq | None = None,
    seed_mask: npt.NDArray[np.bool_] | None = None,
    margin: int = MARGIN,
    min_run: int = MIN_RUN,
    whole_share: float = WHOLE_SHARE,
    few_senders: tuple[str, ...] = (),
    topic: CorpusTopic | None = None,
    rare: float | None = None,
) -> PairResult:
    """`compare_prepared(a, b)` on the windows of both sides around their shared anchors.

    A pair with no shared anchor has no passage; a pair whose windows cover more than
    `whole_share` of either document is compared whole. The summary is over the full
    documents.
    """
    from docdiff.engine.compare import compare_prepared
    from docdiff.model import PairSummary

    lexicon = lexicon if lexicon is not None else load_lexicon(options)
    mask = a.seedable(doc_freq) if seed_mask is None else seed_mask
    wins = pair_windows(a, b, mask, margin=margin, min_run=min_run)
    if wins.empty:
        return PairResult(a.doc.id, b.doc.id, (), PairSummary(0.0, 0.0, 0.0, 0.0), ())
    na, nb = len(a.tokens), len(b.tokens)
    if covered(wins.a) > whole_share * na or covered(wins.b) > whole_share * nb:
        return compare_prepared(
            a, b, options, lexicon=lexicon, doc_freq=doc_freq, seed_mask=mask,
            few_senders=few_senders, topic=topic, rare=rare,
        )  # fmt: skip
    pa = slice_prepared(a, wins.a, lexicon, snapped=True)
    pb = slice_prepared(b, wins.b, lexicon, snapped=True)
    part_mask = slice_mask(mask, wins.a, a.k, len(pa.tokens))
    return compare_prepared(
        pa, pb, options, lexicon=lexicon, doc_freq=doc_freq, seed_mask=part_mask, whole=(a, b),
        few_senders=few_senders, topic=topic, rare=rare,
    )  # fmt: skip


def _sliced_units(
    index: UnitIndex, ranges: Ranges, offsets: list[int], weight: Callable[[str], float]
) -> UnitIndex:
    """The units of `index` inside `ranges` (which start and end on unit bounds), renumbered
    and shifted to a slice's positions: their stems are the document's, weighed among the
    slice's units (as a slice prepared afresh weighs them)."""
    units: list[tuple[int, int]] = []
    paragraphs: list[int] = []
    chosen: list[int] = []
    covered: list[bool] = []
    starts = index.starts
    number = -1
    for (s, e), off in zip(ranges, offsets, strict=True):
        shift = off - s
        last = None
        covered += index.covered[s:e]
        u = bisect.bisect_left(starts, s)
        while u < len(starts) and starts[u] < e:
            u0, u1 = index.units[u]
            par = index.paragraphs[u]
            if par != last:
                number += 1
                last = par
            units.append((u0 + shift, u1 + shift))
            paragraphs.append(number)
            chosen.append(u)
            u += 1
    stems = [index.stems[u] for u in chosen]
    return units_from_stems(stems, units, paragraphs, covered, weight)
