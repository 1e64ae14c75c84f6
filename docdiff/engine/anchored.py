"""Comparing with a very long document: only the windows around the shared anchors.

A document of millions of words (a whole year of speeches pasted into one file, a treaty
collection) cannot be prepared whole for every comparison: a `Prepared` holds about a kilobyte a
token. What two documents share is found from their rare k-grams alone, so the long side is
kept compactly (`LongDocument`: its token arrays and its sorted k-grams, about 25 bytes a
token, built once), and a comparison prepares only the stretches of it around the k-grams it
shares with the other document (`windows`), at most `WINDOW_BUDGET` tokens. A pair then costs
what it shares, whatever the long document's length.

The windows keep the long document's own token offsets, so every span a comparison reports
points into the full text. What is lost against a full comparison: reuse sharing no rare
k-gram with the other document (a paraphrase far from any shared wording), stems weighed on
the windows instead of the whole text, and windows beyond the budget (the densest are kept).
The pair's coverage and similarity are given over the long document's full length.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from docdiff.engine.lexicon import Lexicon
from docdiff.engine.prepare import TEXT_WIDE, CorpusTopic, DocFreq, Prepared
from docdiff.model import Document, PairResult, PairSummary
from docdiff.options import Options
from docdiff.text.rarity import token_weights
from docdiff.text.seeds import kgram_hash_array, sorted_unique
from docdiff.text.tokens import tokens_at

__all__ = [
    "LONG_TOKENS",
    "WINDOW_BUDGET",
    "WINDOW_MARGIN",
    "LongDocument",
    "compare_long",
    "long_document",
    "windows",
]

LONG_TOKENS = 200_000
"""A document with more tokens than this is compared through windows (about 1,000 pages)."""

WINDOW_MARGIN = 300
"""Tokens kept on each side of a shared k-gram: a passage around it, with its edits."""

WINDOW_BUDGET = 60_000
"""The most tokens of a long document one comparison prepares (densest windows first)."""

_SHORT_TIMES = 4
"""A comparison prepares at most this many times the short side's length of the long one."""

_LANGUAGE_SAMPLE = 20_000
"""Tokens whose forms decide the long document's language (the detector reads fewer)."""

_PARAGRAPH = re.compile(r"\n[ \t]*\n|\r\n[ \t]*\r\n")

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]


@dataclass(frozen=True, slots=True)
class LongDocument:
    """A long document kept compactly: token ids and spans, and its k-grams sorted."""

    doc: Document
    ids: U64
    """Token-key hashes (the engine's token ids)."""
    starts: npt.NDArray[np.int32]
    ends: npt.NDArray[np.int32]
    k: int
    keys: U64
    """Each k-gram as one sorted number: the top bits of its hash, then its start position
    in the low `position_bits` bits (one plain sort, 8 bytes a token)."""
    position_bits: int
    language: str
    text_wide: dict[str, object] = field(default_factory=dict, compare=False, repr=False)
    """What its windows find of its whole text (`docdiff.engine.prepare.text_wide`), found
    once for all of them: every pair with it, in every query and scan that keeps it."""

    def __len__(self) -> int:
        return int(self.ids.shape[0])


def long_document(
    doc: Document,
    ids: U64,
    starts: npt.NDArray[np.int32],
    ends: npt.NDArray[np.int32],
    k: int,
) -> LongDocument:
    """The compact form of `doc` from its token arrays (an index's, say): no tokenizing."""
    sample = tokens_at(
        doc.text, starts[:_LANGUAGE_SAMPLE].tolist(), ends[:_LANGUAGE_SAMPLE].tolist()
    )
    hashes = kgram_hash_array(ids, k)
    bits = max(1, len(hashes).bit_length())
    keys = (_top(hashes, bits) << np.uint64(bits)) | np.arange(len(hashes), dtype=np.uint64)
    keys.sort()
    return LongDocument(doc, ids, starts, ends, k, keys, bits, sample.language())


def _top(hashes: U64, position_bits: int) -> U64:
    """The top ``64 - position_bits`` bits of 63-bit k-gram hashes."""
    return hashes >> np.uint64(position_bits - 1)


def anchors(
    hashes: U64, seedable: npt.NDArray[np.bool_], long: LongDocument, *, max_occurrences: int = 64
) -> I64:
    """Sorted distinct start positions in `long` of the seedable k-grams in `hashes`.

    K-grams are matched on the top bits of their hashes (at least 40 bits for a document of
    under 16 M tokens): a rare false anchor only widens the windows, and the comparison itself
    checks every word.
    """
    cand = sorted_unique(hashes[: len(seedable)][seedable[: len(hashes)]])
    if len(cand) == 0 or len(long.keys) == 0:
        return np.zeros(0, dtype=np.int64)
    bits = np.uint64(long.position_bits)
    low = np.uint64((1 << long.position_bits) - 1)
    top = _top(cand, long.position_bits) << bits
    lo = np.searchsorted(long.keys, top, side="left")
    hi = np.searchsorted(long.keys, top | low, side="right")
    cnt = hi - lo
    keep = (cnt > 0) & (cnt <= max_occurrences)
    lo, cnt = lo[keep], cnt[keep]
    total = int(cnt.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    first = np.cumsum(cnt) - cnt
    at = np.repeat(lo, cnt) + (np.arange(total, dtype=np.int64) - np.repeat(first, cnt))
    return sorted_unique((long.keys[at] & low).astype(np.int64))


def windows(
    positions: I64,
    n: int,
    k: int,
    *,
    margin: int = WINDOW_MARGIN,
    budget: int = WINDOW_BUDGET,
    min_anchors: int = 2,
) -> list[tuple[int, int]]:
    """Token ranges of `n` tokens around sorted anchor `positions`, merged when they touch.

    A window needs `min_anchors` anchors (a lone shared k-gram is noise, as in a scan's
    candidate stage). When the windows exceed `budget` tokens, the densest (most anchors a
    token) are kept; the result is in text order.
    """
    if len(positions) == 0 or n <= 0:
        return []
    lo = np.maximum(positions - margin, 0)
    hi = np.minimum(positions + k + margin, n)
    # A new window where an anchor's range starts after every earlier one has ended.
    reach = np.maximum.accumulate(hi)
    new = np.ones(len(lo), dtype=bool)
    new[1:] = lo[1:] > reach[:-1]
    group = np.cumsum(new) - 1
    starts = lo[new]
    ends = np.maximum.reduceat(hi, np.flatnonzero(new))
    count = np.bincount(group)
    ok = count >= min_anchors
    starts, ends, count = starts[ok], ends[ok], count[ok]
    size = ends - starts
    if int(size.sum()) > budget:
        order = np.lexsort((starts, -count / np.maximum(size, 1)))
        taken = np.cumsum(size[order]) <= budget
        chosen = np.sort(order[taken])
        starts, ends = starts[chosen], ends[chosen]
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def window_prepared(long: LongDocument, ranges: list[tuple[int, int]]) -> Prepared:
    """A `Prepared` of the tokens in `ranges` only, at their places in the full text.

    Each window opens a paragraph (the text between two windows is not compared), so no
    passage, sentence or paragraph unit runs from one window into the next.
    """
    if ranges:
        at = np.concatenate([np.arange(s, e, dtype=np.int64) for s, e in ranges])
    else:
        at = np.zeros(0, dtype=np.int64)
    text = long.doc.text
    starts = long.starts[at].tolist()
    ends = long.ends[at].tolist()
    tokens = tokens_at(text, starts, ends)
    tokens._language = long.language
    ids = long.ids[at]
    hashes = kgram_hash_array(ids, long.k)
    breaks: list[int] = []
    offset = 0
    for s, e in ranges:
        breaks.append(offset)
        breaks.extend(
            i
            for i in range(offset + 1, offset + e - s)
            if _PARAGRAPH.search(text, ends[i - 1], starts[i]) is not None
        )
        offset += e - s
    return Prepared(
        doc=long.doc,
        tokens=tokens,
        k=long.k,
        ids=ids.tolist(),
        _hashes=hashes.tolist(),
        _weights=token_weights(tokens),
        _breaks=breaks,
        _id_array=ids,
        _hash_array=hashes,
        derived={TEXT_WIDE: long.text_wide},
    )


def compare_long(
    short: Prepared,
    long: LongDocument,
    options: Options,
    *,
    lexicon: Lexicon | None = None,
    doc_freq: DocFreq | None = None,
    seed_mask: npt.NDArray[np.bool_] | None = None,
    long_first: bool = False,
    long_shares: Callable[[U64], npt.NDArray[np.float64]] | None = None,
    few_senders: tuple[str, ...] = (),
    topic: CorpusTopic | None = None,
    rare: float | None = None,
) -> tuple[PairResult, int]:
    """`compare_prepared(short, long)` through the windows of `long` around shared anchors.

    Returns the pair's result and the number of `long`'s tokens compared. `doc_freq` and
    `seed_mask` (``short.seedable(doc_freq)``) are the short side's. With `long_first` the
    long document is side A (``compare_prepared(long, short)``): its k-grams' corpus shares
    then come from `long_shares` (none: no corpus), and seed the comparison.
    """
    from docdiff.engine.compare import compare_prepared

    mask = short.seedable(doc_freq) if seed_mask is None else seed_mask
    found = anchors(short.hash_array, mask, long)
    # The short side cannot share more than its own length a few times over (a passage
    # repeated in the long one): the densest windows up to that are compared.
    budget = min(WINDOW_BUDGET, max(_SHORT_TIMES * len(short.ids), 4 * WINDOW_MARGIN))
    ranges = windows(found, len(long), long.k, budget=budget)
    part = window_prepared(long, ranges)
    a_id, b_id = (long.doc.id, short.doc.id) if long_first else (short.doc.id, long.doc.id)
    if not part.ids:
        return PairResult(a_id, b_id, (), PairSummary(0.0, 0.0, 0.0, 0.0), ()), 0
    if not long_first:
        result = compare_prepared(
            short, part, options, lexicon=lexicon, doc_freq=doc_freq, seed_mask=seed_mask,
            few_senders=few_senders, topic=topic, rare=rare,
        )  # fmt: skip
        summary = _over_full(result.summary, len(short.ids), len(part.ids), len(long), "b")
        return replace(result, summary=summary), len(part.ids)
    part_freq: DocFreq | None = None
    part_mask = None
    if long_shares is not None:
        shares = long_shares(part.hash_array)
        part_mask = part.seedable(shares=shares)
        table = dict(zip(part.hashes, shares.tolist(), strict=True))
        part_freq = lambda h: table.get(h, 0.0)  # noqa: E731
    result = compare_prepared(
        part, short, options, lexicon=lexicon, doc_freq=part_freq, seed_mask=part_mask,
        few_senders=few_senders, topic=topic, rare=rare,
    )  # fmt: skip
    summary = _over_full(result.summary, len(short.ids), len(part.ids), len(long), "a")
    return replace(result, summary=summary), len(part.ids)


def _over_full(s: PairSummary, n_short: int, n_part: int, n_long: int, side: str) -> PairSummary:
    """The summary of a comparison with `n_part` tokens of the long side, given over its
    `n_long` tokens (the long document is side `side`)."""
    scale = (n_short + n_part) / (n_short + n_long)
    return PairSummary(
        coverage_a=round(s.coverage_a * n_part / n_long, 1) if side == "a" else s.coverage_a,
        coverage_b=round(s.coverage_b * n_part / n_long, 1) if side == "b" else s.coverage_b,
        similarity=round(s.similarity * scale, 1),
        distinctive_similarity=round(s.distinctive_similarity * scale, 1),
    )
