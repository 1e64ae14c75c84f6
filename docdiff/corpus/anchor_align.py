"""Anchor alignment: the shared passages of every candidate pair of a scan, in bulk.

The candidate stage knows which rare k-grams (``candidate_words`` words, found in at least two
and at most ``max_df`` documents) two documents share. Here the same k-grams are kept with
their positions, and every candidate pair's shared passages are built from them at once, for
all pairs together, in numpy (the approach of passim and TextPAIR: passages are chains of shared
rare n-grams):

1. **Anchors**: the positions ``(a, b)`` of every rare k-gram both documents of a candidate pair
   hold (`pair_anchors`);
2. **Runs**: anchors on one diagonal (``b - a``) at most ``k`` tokens apart cover one stretch of
   identical tokens (two k-grams that overlap or touch, with equal hashes);
3. **Passages**: runs in reading order join when the gap between them is at most `GAP` tokens
   on both sides (an edited or inserted phrase inside a copied section; runs also break where a
   k-gram is common in the corpus, a stock phrase inside a copy);
4. **Growth**: each passage grows through the `WINDOW` tokens on each flank by a local
   alignment of the two sides (`extend_passages`), taking stretches of `MIN_BLOCK` identical
   tokens or more that are at least as long as the gap they cross.

The cost follows what the pairs share (their anchors), not the documents' lengths: a very long
document costs in proportion to the rare wording it shares. No text is read and nothing is
tokenized again; spans come from the token offsets the index stores.

A scan compares the pairs sharing the most in full (`docdiff.engine.compare.compare_prepared`:
paraphrase, formulae, kinds, echoes) and keeps these anchored passages for the others
(`anchor_results`), each with the kind the comparison's own rules give it
(`docdiff.corpus.anchor_kinds`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from docdiff.corpus.anchor_kinds import ANCHORED, PassageKind, Shares
from docdiff.engine.classify import enclosed
from docdiff.engine.score import FULL_RUN, distinctive, full_run, run_weight
from docdiff.index.arrays import U64, DocTokens, kgram_array
from docdiff.model import AlignOp, Kind, Match, PairResult, PairSummary, Passage, Span

if TYPE_CHECKING:
    from docdiff.engine.lexicon import Lexicon

__all__ = [
    "GAP",
    "AnchorPassages",
    "Anchored",
    "anchor_passages",
    "anchor_results",
    "extend_passages",
    "pair_anchors",
    "trim_edges",
]

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]

GAP = 24
"""The most tokens between two runs of one passage, on either side (about a clause: three
k-grams' worth of edits at k = 8)."""

_BLOCK = 8_000_000
"""Anchor rows generated before they are filtered to the candidate pairs (bounds memory)."""


def _rare_rows(tokens: Sequence[DocTokens], k: int, max_df: int) -> tuple[U64, I32, I32]:
    """Every position of a k-gram found in 2..`max_df` documents: (hash, doc, position), sorted
    by hash, then document, then position."""
    hs: list[U64] = []
    ds: list[I32] = []
    ps: list[I32] = []
    for doc, t in enumerate(tokens):
        kg = kgram_array(t.hashes, k)
        hs.append(kg)
        ds.append(np.full(len(kg), doc, dtype=np.int32))
        ps.append(np.arange(len(kg), dtype=np.int32))
    if not hs:
        empty = np.zeros(0, dtype=np.int32)
        return np.zeros(0, dtype=np.uint64), empty, empty
    h = np.concatenate(hs)
    order = np.argsort(h, kind="stable")  # documents, then positions, rise within a hash
    h = h[order]
    d: I32 = np.concatenate(ds)[order]
    p: I32 = np.concatenate(ps)[order]
    del order
    if not len(h):
        return h, d, p
    new_hash = np.ones(len(h), dtype=bool)
    new_hash[1:] = h[1:] != h[:-1]
    new_doc = new_hash.copy()
    new_doc[1:] |= d[1:] != d[:-1]
    starts = np.flatnonzero(new_hash)
    df = np.add.reduceat(new_doc.astype(np.int64), starts)
    sizes = np.diff(np.append(starts, len(h)))
    row_df = np.repeat(df, sizes)
    keep = (row_df >= 2) & (row_df <= max_df)
    return h[keep], d[keep], p[keep]


def pair_anchors(
    tokens: Sequence[DocTokens], pairs: I64, k: int, max_df: int
) -> tuple[I64, I32, I32]:
    """The shared rare k-grams of the candidate `pairs` (rows ``(i, j)``, i < j): rows
    ``(pair number, position in i, position in j)``, sorted by pair.

    A k-gram a document holds twice anchors at both places.
    """
    n = len(tokens)
    empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32), np.zeros(0, np.int32))
    if not len(pairs) or n < 2:
        return empty
    codes = pairs[:, 0].astype(np.int64) * n + pairs[:, 1].astype(np.int64)
    order_codes = np.argsort(codes, kind="stable")
    sorted_codes = codes[order_codes]
    h, d, p = _rare_rows(tokens, k, max_df)
    if not len(h):
        return empty
    bounds = np.flatnonzero(h[1:] != h[:-1]) + 1
    starts = np.concatenate(([0], bounds))
    sizes = np.diff(np.concatenate((starts, [len(h)])))
    d64 = d.astype(np.int64)
    out_pair: list[I64] = []
    out_a: list[I32] = []
    out_b: list[I32] = []
    for size in np.unique(sizes):
        s = int(size)
        if s < 2:
            continue
        group_starts = starts[sizes == size]
        iu, ju = np.triu_indices(s, 1)
        rows_per_slice = max(1, _BLOCK // len(iu))
        for r in range(0, len(group_starts), rows_per_slice):
            g = group_starts[r : r + rows_per_slice]
            x = (g[:, None] + iu[None, :]).ravel()
            y = (g[:, None] + ju[None, :]).ravel()
            dx, dy = d64[x], d64[y]
            other = dx != dy  # rows sorted by doc: dx < dy where they differ
            x, y, dx, dy = x[other], y[other], dx[other], dy[other]
            c = dx * n + dy
            at = np.searchsorted(sorted_codes, c)
            at = np.minimum(at, len(sorted_codes) - 1)
            hit = sorted_codes[at] == c
            out_pair.append(order_codes[at[hit]].astype(np.int64))
            out_a.append(p[x[hit]])
            out_b.append(p[y[hit]])
    if not out_pair:
        return empty
    pair = np.concatenate(out_pair)
    a = np.concatenate(out_a)
    b = np.concatenate(out_b)
    order = np.lexsort((a, pair))
    return pair[order], a[order], b[order]


@dataclass(frozen=True, slots=True)
class AnchorPassages:
    """Shared passages of many pairs, one row a passage, sorted by pair then by position.

    Token ranges are half-open. The runs (stretches of identical tokens) are the rows of the
    ``run_*`` arrays; passage ``n``'s runs are rows ``run_start[n]:run_start[n + 1]``.
    """

    pair: I64
    a0: I32
    a1: I32
    b0: I32
    b1: I32
    run_start: I64
    run_a0: I32
    run_a1: I32
    run_b0: I32
    run_b1: I32

    def __len__(self) -> int:
        return int(self.pair.shape[0])


def anchor_passages(pair: I64, a: I32, b: I32, k: int, gap: int = GAP) -> AnchorPassages:
    """Runs and passages of the anchors ``(pair, a, b)`` (`pair_anchors`)."""
    i32 = np.int32
    if not len(pair):
        z32 = np.zeros(0, dtype=i32)
        return AnchorPassages(
            np.zeros(0, np.int64), z32, z32, z32, z32, np.zeros(1, np.int64), z32, z32, z32, z32
        )
    diag = b.astype(np.int64) - a.astype(np.int64)
    order = np.lexsort((a, diag, pair))
    pr, aa, dg = pair[order], a[order].astype(np.int64), diag[order]
    # Runs: same pair, same diagonal, next anchor at most k tokens on.
    brk = np.ones(len(pr), dtype=bool)
    brk[1:] = (pr[1:] != pr[:-1]) | (dg[1:] != dg[:-1]) | (aa[1:] - aa[:-1] > k)
    rs = np.flatnonzero(brk)
    re = np.append(rs[1:], len(pr)) - 1
    r_pair = pr[rs]
    r_a0 = aa[rs]
    r_a1 = aa[re] + k
    r_b0 = r_a0 + dg[rs]
    r_b1 = r_a1 + dg[rs]
    # Passages: runs in reading order of side a, joined across gaps of at most `gap` tokens.
    order = np.lexsort((r_b0, r_a0, r_pair))
    r_pair, r_a0, r_a1, r_b0, r_b1 = (x[order] for x in (r_pair, r_a0, r_a1, r_b0, r_b1))
    # The furthest end reached so far within a pair (pairs are sorted: offset by pair number).
    big = np.int64(1) << 32
    reach = np.maximum.accumulate(r_pair * big + r_a1) - r_pair * big
    brk = np.ones(len(r_pair), dtype=bool)
    if len(r_pair) > 1:
        prev_reach = reach[:-1]
        gap_a = r_a0[1:] - prev_reach
        gap_b = r_b0[1:] - r_b1[:-1]
        brk[1:] = (r_pair[1:] != r_pair[:-1]) | (gap_a > gap) | (gap_b > gap) | (gap_b < -gap)
    ps = np.flatnonzero(brk)
    run_start = np.append(ps, len(r_pair)).astype(np.int64)
    return AnchorPassages(
        pair=r_pair[ps],
        a0=r_a0[ps].astype(i32),
        a1=np.maximum.reduceat(r_a1, ps).astype(i32),
        b0=np.minimum.reduceat(r_b0, ps).astype(i32),
        b1=np.maximum.reduceat(r_b1, ps).astype(i32),
        run_start=run_start,
        run_a0=r_a0.astype(i32),
        run_a1=r_a1.astype(i32),
        run_b0=r_b0.astype(i32),
        run_b1=r_b1.astype(i32),
    )


def anchor_results(
    passages: AnchorPassages,
    pairs: Sequence[tuple[int, int]],
    ids: Sequence[str],
    tokens: Sequence[DocTokens],
    *,
    min_words: int,
    keep: npt.NDArray[np.bool_] | None = None,
    kinds: Kinds | None = None,
    texts: Mapping[int, str] | None = None,
) -> dict[int, PairResult]:
    """A `PairResult` for each pair number holding a passage of at least `min_words` words
    (of the pairs `keep` marks, when given): its anchored passages as matches (equal
    operations for the runs, the gaps between them as replacements), scored like a
    comparison's summary (`docdiff.engine.score.summarise`: runs as verbatim evidence, and
    formulae, names and agenda titles left out of the distinctive similarity).

    Passages are first trimmed of function words on their edges (`trim_edges`, with the
    documents' `texts` when given); `kinds` gives
    the kinds of those (`docdiff.corpus.anchor_kinds.passage_kinds` over the rows it is given;
    a passage it gives None is not reported); without it every passage is ``phrasing``.
    """
    out: dict[int, PairResult] = {}
    if not len(passages):
        return out
    passages = trim_edges(passages, pairs, tokens, texts)
    words = np.maximum(passages.a1 - passages.a0, passages.b1 - passages.b0)
    rows = np.flatnonzero(words >= min_words)
    if keep is not None:
        rows = rows[keep[passages.pair[rows]]]
    told: list[PassageKind | None] = [_PHRASING] * len(rows)
    if kinds is not None and len(rows):
        told = kinds(passages, rows)
        reported = np.asarray([k is not None for k in told], dtype=bool)
        rows = rows[reported]
        told = [k for k in told if k is not None]
    if not len(rows):
        return out
    # Character offsets of every token boundary a passage needs, gathered in bulk.
    arr = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    sizes = np.asarray([len(t) for t in tokens], dtype=np.int64)
    base = np.concatenate(([0], np.cumsum(sizes)))
    starts = np.concatenate([t.starts for t in tokens]).astype(np.int64)
    ends = np.concatenate([t.ends for t in tokens]).astype(np.int64)
    first, last = passages.run_start[rows], passages.run_start[rows + 1]
    counts = last - first
    offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))
    runs = np.arange(int(counts.sum())) - np.repeat(offsets - first, counts)
    run_row = np.repeat(rows, counts)
    doc_a = base[arr[passages.pair[run_row], 0]]
    doc_b = base[arr[passages.pair[run_row], 1]]
    ra0, ra1 = passages.run_a0[runs].astype(np.int64), passages.run_a1[runs].astype(np.int64)
    rb0, rb1 = passages.run_b0[runs].astype(np.int64), passages.run_b1[runs].astype(np.int64)
    run_cols = [x.tolist() for x in (ra0, ra1, rb0, rb1)]
    chars = [
        starts[doc_a + ra0].tolist(), ends[doc_a + ra1 - 1].tolist(),
        starts[doc_b + rb0].tolist(), ends[doc_b + rb1 - 1].tolist(),
    ]  # fmt: skip
    pair_of = passages.pair[rows].tolist()
    at = 0
    groups: dict[int, list[tuple[int, int, PassageKind]]] = {}
    for n, c, kind in zip(pair_of, counts.tolist(), told, strict=True):
        assert kind is not None
        groups.setdefault(n, []).append((at, at + c, kind))
        at += c
    for n, spans in groups.items():
        i, j = pairs[n]
        out[n] = _pair_result(
            spans, run_cols, chars, ids[i], ids[j], len(tokens[i]), len(tokens[j]),
            None if texts is None else (texts[i], texts[j]),
        )  # fmt: skip
    return out


def trim_edges(
    ps: AnchorPassages,
    pairs: Sequence[tuple[int, int]],
    tokens: Sequence[DocTokens],
    texts: Mapping[int, str] | None = None,
) -> AnchorPassages:
    """The passages without the function words on their edges ("at the tenth Review
    Conference ..." is "tenth Review Conference ...", "... General Assembly. Your" is "...
    General Assembly"), as a comparison trims its passages: only inside a passage's first and
    last runs, and keeping at least `_KEEP` shared words. With the documents' `texts`, a
    function word that opens a sentence in both documents stays ("On behalf of ...")."""
    if not len(ps):
        return ps
    from docdiff.text.seeds import in_sorted, token_hash
    from docdiff.text.tokens import STOPWORD_KEYS

    stop_hashes = np.asarray(sorted(token_hash(w) for w in STOPWORD_KEYS), dtype=np.uint64)
    sizes = np.asarray([len(t) for t in tokens], dtype=np.int64)
    base = np.concatenate(([0], np.cumsum(sizes)))
    stop = in_sorted(np.concatenate([t.hashes for t in tokens]), stop_hashes)
    arr = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    doc_a = base[arr[ps.pair, 0]]
    first, last = ps.run_start[:-1], ps.run_start[1:] - 1
    run_a0, run_a1 = ps.run_a0.astype(np.int64), ps.run_a1.astype(np.int64)
    lengths = run_a1 - run_a0
    summed = np.concatenate(([0], np.cumsum(lengths)))
    shared = summed[ps.run_start[1:]] - summed[ps.run_start[:-1]]
    spare = np.maximum(0, shared - _KEEP)  # words that may go
    lead = _edge(stop, doc_a + run_a0[first], np.minimum(lengths[first] - 1, spare), 1)
    if texts is not None:
        _keep_openings(lead, ps, first, arr, tokens, texts)
        _past_datelines(lead, spare, lengths[first], ps, first, arr, base, tokens, texts)
    end_first = run_a0[first] + lead  # the first run now starts here (single runs: see below)
    tail_room = np.where(first == last, run_a1[last] - end_first, lengths[last]) - 1
    trail = _edge(stop, doc_a + run_a1[last] - 1, np.minimum(tail_room, spare - lead), -1)
    if texts is not None:
        _keep_closings(trail, ps, last, arr, tokens, texts)
        _uncut_edges(lead, trail, spare, tail_room, ps, first, last, arr, tokens, texts)
    out_a0, out_b0 = ps.run_a0.copy(), ps.run_b0.copy()
    out_a1, out_b1 = ps.run_a1.copy(), ps.run_b1.copy()
    out_a0[first] += lead.astype(np.int32)
    out_b0[first] += lead.astype(np.int32)
    out_a1[last] -= trail.astype(np.int32)
    out_b1[last] -= trail.astype(np.int32)
    return AnchorPassages(
        ps.pair, out_a0[first], out_a1[last], out_b0[first], out_b1[last], ps.run_start,
        out_a0, out_a1, out_b0, out_b1,
    )  # fmt: skip


_KEEP = 3
"""Shared words a trimmed passage keeps at least (as a comparison's `_tidy`)."""


def _keep_openings(
    lead: I64,
    ps: AnchorPassages,
    first: I64,
    arr: I64,
    tokens: Sequence[DocTokens],
    texts: Mapping[int, str],
) -> None:
    """Cut each passage's `lead` (function words to trim) at the first one that opens a
    sentence in both documents."""
    from docdiff.engine.pieces import opens_sentence

    edge = (ps.run_a0[first], ps.run_b0[first])
    _cut_at_sentences(lead, ps.pair, edge, 1, arr, tokens, texts, opens_sentence)


def _keep_closings(
    trail: I64,
    ps: AnchorPassages,
    last: I64,
    arr: I64,
    tokens: Sequence[DocTokens],
    texts: Mapping[int, str],
) -> None:
    """Cut each passage's `trail` (function words to trim off its end) at the last one that
    closes a sentence in both documents ("... counted poorly and did so.")."""
    from docdiff.engine.pieces import closes_sentence

    edge = (ps.run_a1[last] - 1, ps.run_b1[last] - 1)
    _cut_at_sentences(trail, ps.pair, edge, -1, arr, tokens, texts, closes_sentence)


def _cut_at_sentences(
    cut: I64,
    pair: npt.NDArray[np.int32] | I64,
    edge: tuple[npt.NDArray[np.int32] | I64, npt.NDArray[np.int32] | I64],
    step: int,
    arr: I64,
    tokens: Sequence[DocTokens],
    texts: Mapping[int, str],
    test: Callable[[str, int], bool],
) -> None:
    """Cut each passage's `cut` (edge words to trim, from token `edge` of each side inward by
    `step`) at the first word `test` finds a sentence's edge in both documents: asked of each
    word's start going forward (an opening), of its end going back (a closing)."""
    for n in np.flatnonzero(cut > 0).tolist():
        i, j = (int(x) for x in arr[int(pair[n])])
        ta, tb = texts[i], texts[j]
        sides = (
            (tokens[i].starts, tokens[j].starts) if step > 0 else (tokens[i].ends, tokens[j].ends)
        )
        a, b = int(edge[0][n]), int(edge[1][n])
        for t in range(int(cut[n])):
            if test(ta, int(sides[0][a + step * t])) and test(tb, int(sides[1][b + step * t])):
                cut[n] = t
                break


def _past_datelines(
    lead: I64,
    spare: I64,
    first_lengths: I64,
    ps: AnchorPassages,
    first: I64,
    arr: I64,
    base: I64,
    tokens: Sequence[DocTokens],
    texts: Mapping[int, str],
) -> None:
    """Move each passage's start past the words of a dateline (`docdiff.text.datelines`) it
    opens on in either document, when its first run goes on past them, as a comparison keeps
    a dateline apart from the section after it: "September 1938, 6.15 p.m." beside "September
    1938, 11.30 p.m." is when two notes were written, not how."""
    from docdiff.text.datelines import dateline_spans

    dated = np.zeros(int(base[-1]), dtype=bool)
    for d, text in texts.items():
        starts = tokens[d].starts
        for s, e in dateline_spans(text):
            i0, i1 = np.searchsorted(starts, [s, e])
            dated[int(base[d]) + int(i0) : int(base[d]) + int(i1)] = True
    if not dated.any():
        return
    at_a = base[arr[ps.pair, 0]] + ps.run_a0[first]
    at_b = base[arr[ps.pair, 1]] + ps.run_b0[first]
    for n in np.flatnonzero(dated[at_a] | dated[at_b]).tolist():
        a, b, size = int(at_a[n]), int(at_b[n]), int(first_lengths[n])
        t = 0
        while t < size and (dated[a + t] or dated[b + t]):
            t += 1
        if lead[n] < t < size and t <= spare[n]:
            lead[n] = t


def _uncut_edges(
    lead: I64,
    trail: I64,
    spare: I64,
    tail_room: I64,
    ps: AnchorPassages,
    first: I64,
    last: I64,
    arr: I64,
    tokens: Sequence[DocTokens],
    texts: Mapping[int, str],
) -> None:
    """Take off each passage's edges the words cut out of a hyphenated compound in either
    document ("… on his re" of "re-election" beside "re-appointment"), and the marks cut out
    of their brackets ("… from Naval Attache. [2", "1) Sovereignty …"), as a comparison's
    pieces do: a part of two words is no shared word. Nor does a passage end on the number
    opening the next line in either document (the next note's: "… Secretary to the
    Cabinet.\n\n2"; 6,705 passages of a scan of the whole DFAT corpus did), as a comparison's
    `_tidy` has it."""
    from docdiff.engine.pieces import cut_after, cut_before, line_number

    def ends_badly(text: str, toks: DocTokens, x: int) -> bool:
        start, end = int(toks.starts[x]), int(toks.ends[x])
        return cut_after(text, start, end) or line_number(text, start, end)

    pair_of = arr[ps.pair].tolist()
    a0s, b0s = ps.run_a0[first].tolist(), ps.run_b0[first].tolist()
    a1s, b1s = ps.run_a1[last].tolist(), ps.run_b1[last].tolist()
    first_ends = ps.run_a1[first].tolist()
    single = (first == last).tolist()
    for n, (i, j) in enumerate(pair_of):
        ta, tb, ka, kb = texts[i], texts[j], tokens[i], tokens[j]
        x, y = a1s[n] - int(trail[n]) - 1, b1s[n] - int(trail[n]) - 1
        while ends_badly(ta, ka, x) or ends_badly(tb, kb, y):
            if trail[n] >= tail_room[n] or lead[n] + trail[n] >= spare[n]:
                break
            trail[n] += 1
            x, y = x - 1, y - 1
        x, y = a0s[n] + int(lead[n]), b0s[n] + int(lead[n])
        room = first_ends[n] - a0s[n] - 1 - (int(trail[n]) if single[n] else 0)
        while cut_before(ta, int(ka.starts[x]), int(ka.ends[x])) or cut_before(
            tb, int(kb.starts[y]), int(kb.ends[y])
        ):
            if lead[n] >= room or lead[n] + trail[n] >= spare[n]:
                break
            lead[n] += 1
            x, y = x + 1, y + 1


def _edge(flags: npt.NDArray[np.bool_], starts: I64, caps: I64, step: int) -> I64:
    """How many places in a row are flagged from each of `starts` on, going by `step` (1 or
    -1), at most its cap: the places still counting are walked together, a step at a time."""
    count = np.zeros(len(starts), dtype=np.int64)
    alive = np.flatnonzero(caps > 0)
    at = starts[alive]
    while len(alive):
        ok = flags[at]
        alive, at = alive[ok], at[ok]
        count[alive] += 1
        at = at + step
        keep = (count[alive] < caps[alive]) & (at >= 0) & (at < len(flags))
        alive, at = alive[keep], at[keep]
    return count


Kinds = Callable[["AnchorPassages", npt.NDArray[np.int64]], list["PassageKind | None"]]
"""The kinds of some rows of passages (`anchor_results`)."""

_PHRASING = PassageKind(Kind.PHRASING, ANCHORED)


def _pair_result(
    passages: list[tuple[int, int, PassageKind]],
    runs: list[list[int]],
    chars: list[list[int]],
    id_a: str,
    id_b: str,
    na: int,
    nb: int,
    texts: tuple[str, str] | None = None,
) -> PairResult:
    """One pair's matches from its passages (each a stretch of rows of `runs` and `chars`:
    token ranges and character offsets of its runs, disjoint and in order on both sides; and
    its kind). With the two documents' `texts`, a passage's span takes in the brackets,
    quotation marks and backticks around it that pair with marks inside it
    (`docdiff.engine.classify.enclosed`), as a comparison's passages do."""
    ra0, ra1, rb0, rb1 = runs
    ca0, ca1, cb0, cb1 = chars
    matches: list[Match] = []
    runs_a: list[tuple[int, int]] = []
    runs_b: list[tuple[int, int]] = []
    spans_a: list[tuple[int, int]] = []
    spans_b: list[tuple[int, int]] = []
    plain_a: list[tuple[int, int]] = []  # the runs of distinctive passages
    plain_b: list[tuple[int, int]] = []
    for q0, q1, told in passages:
        plain = distinctive(told.kind, told.reason)
        ops: list[AlignOp] = []
        shared = 0
        for q in range(q0, q1):
            if q > q0:
                gap_a, gap_b = ra0[q] > ra1[q - 1], rb0[q] > rb1[q - 1]
                tag = "replace" if gap_a and gap_b else ("delete" if gap_a else "insert")
                ops.append(
                    AlignOp(
                        tag,  # type: ignore[arg-type]
                        Span(ca1[q - 1], ca0[q]) if gap_a else Span(ca0[q], ca0[q]),
                        Span(cb1[q - 1], cb0[q]) if gap_b else Span(cb0[q], cb0[q]),
                    )
                )
            ops.append(AlignOp("equal", Span(ca0[q], ca1[q]), Span(cb0[q], cb1[q])))
            runs_a.append((ra0[q], ra1[q]))
            runs_b.append((rb0[q], rb1[q]))
            if plain:
                plain_a.append((ra0[q], ra1[q]))
                plain_b.append((rb0[q], rb1[q]))
            shared += ra1[q] - ra0[q]
        a0, a1, b0, b1 = ra0[q0], ra1[q1 - 1], rb0[q0], rb1[q1 - 1]
        spans_a.append((a0, a1))
        spans_b.append((b0, b1))
        span_a, span_b = Span(ca0[q0], ca1[q1 - 1]), Span(cb0[q0], cb1[q1 - 1])
        if texts is not None:
            span_a, span_b = enclosed(texts[0], span_a), enclosed(texts[1], span_b)
        matches.append(
            Match(
                a=Passage(id_a, span_a),
                b=Passage(id_b, span_b),
                kind=told.kind,
                score=round(100.0 * shared / max(1, a1 - a0, b1 - b0), 1),
                words=shared,
                ops=tuple(ops),
                reason=told.reason,
                formula=told.formula,
            )
        )
    summary = _summary(runs_a, runs_b, spans_a, spans_b, na, nb, plain_a, plain_b)
    return PairResult(id_a, id_b, tuple(matches), summary)


REASON = ANCHORED
"""The reason of an anchored phrasing passage (``--explain``)."""


def _union(ranges: list[tuple[int, int]]) -> int:
    """Tokens inside the union of token ranges."""
    return sum(e - s for s, e in _merged(ranges))


def _weighed(runs: list[tuple[int, int]], full: int) -> float:
    """Summed evidence of the tokens in `runs`: each token counts as its best run, a run
    `run_weight`, as a comparison's summary weighs verbatim runs (`docdiff.engine.score`)."""
    ranked = sorted(runs, key=lambda r: -(r[1] - r[0]))  # a longer run weighs as much or more
    taken: list[tuple[int, int]] = []
    total = 0.0
    for s, e in ranked:
        value = run_weight(e - s, full)
        free = e - s
        for ts, te in taken:
            free -= max(0, min(e, te) - max(s, ts))
        total += value * max(0, free)
        taken = _merged([*taken, (s, e)])
    return total


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The union of token ranges, as disjoint ranges in order."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _summary(
    runs_a: list[tuple[int, int]],
    runs_b: list[tuple[int, int]],
    spans_a: list[tuple[int, int]],
    spans_b: list[tuple[int, int]],
    na: int,
    nb: int,
    plain_a: list[tuple[int, int]],
    plain_b: list[tuple[int, int]],
) -> PairSummary:
    """Coverage and similarity of the runs, weighed as `summarise` weighs verbatim runs; the
    distinctive similarity of the `plain` runs (those of passages neither formulae, names
    nor agenda titles)."""
    if na == 0 or nb == 0:
        return PairSummary(0.0, 0.0, 0.0, 0.0)
    full = full_run(na, nb)
    similarity = round(100.0 * max(_weighed(runs_a, full) / na, _weighed(runs_b, full) / nb), 1)
    distinctive = (
        similarity
        if len(plain_a) == len(runs_a)
        else round(100.0 * max(_weighed(plain_a, full) / na, _weighed(plain_b, full) / nb), 1)
    )
    return PairSummary(
        coverage_a=round(100.0 * _union(spans_a) / na, 1),
        coverage_b=round(100.0 * _union(spans_b) / nb, 1),
        similarity=similarity,
        distinctive_similarity=distinctive,
    )


WINDOW = 40
"""Tokens searched on each side of a passage for more of it (`extend_passages`)."""

MIN_BLOCK = 3
"""The fewest identical tokens in a row that extend a passage (two in a row are too often
"of the")."""

_ROUNDS = 4


Block = tuple[int, int, int, int]
"""A stretch of identical tokens: ``(a0, a1, b0, b1)``, token ranges on both sides."""


def extend_passages(
    ps: AnchorPassages,
    pairs: Sequence[tuple[int, int]],
    tokens: Sequence[DocTokens],
    *,
    window: int = WINDOW,
    gap: int = GAP,
    min_block: int = MIN_BLOCK,
) -> AnchorPassages:
    """Each passage grown outwards through the text on either side of it (a local alignment,
    as passim extends its n-gram anchors): the longest common subsequence of the two sides'
    `window` tokens before the passage (and after it), and of its stretches of at least
    `min_block` identical tokens those that continue the passage (`_reach`). Growth repeats
    while the passage reaches its window's edge. Passages of one pair that come to overlap are
    merged. The cost is a few alignments of `window` tokens per passage, whatever its length."""
    out_pair: list[int] = []
    blocks_of: list[list[Block]] = []
    n_pass = len(ps)
    cols = [x.tolist() for x in (ps.run_a0, ps.run_a1, ps.run_b0, ps.run_b1)]
    runs_all: list[Block] = list(zip(*cols, strict=True))
    starts = ps.run_start.tolist()
    spans = list(zip(ps.a0.tolist(), ps.a1.tolist(), ps.b0.tolist(), ps.b1.tolist(), strict=True))
    pair_of = ps.pair.tolist()
    r = 0
    while r < n_pass:
        n = pair_of[r]
        i, j = pairs[n]
        ha, hb = tokens[i].hashes, tokens[j].hashes
        grown: list[tuple[Block, list[Block]]] = []
        while r < n_pass and pair_of[r] == n:
            runs = runs_all[starts[r] : starts[r + 1]]
            grown.append(_grow(ha, hb, spans[r], runs, window, gap, min_block))
            r += 1
        for _, blocks in _merge_overlapping(grown):
            out_pair.append(n)
            blocks_of.append(blocks)
    return _from_lists(out_pair, blocks_of)


def _grow(
    ha: U64, hb: U64, span: Block, runs: list[Block], window: int, gap: int, min_block: int
) -> tuple[Block, list[Block]]:
    """A passage's span and stretches after growing it on both flanks (`extend_passages`)."""
    from rapidfuzz.distance import LCSseq

    lo_a, hi_a, lo_b, hi_b = span
    left: list[Block] = []
    right: list[Block] = []
    for _ in range(_ROUNDS):  # before the passage
        wa0, wb0 = max(0, lo_a - window), max(0, lo_b - window)
        if wa0 == lo_a or wb0 == lo_b:
            break
        ops = LCSseq.opcodes(ha[wa0:lo_a].tolist(), hb[wb0:lo_b].tolist())
        eq = [(o.src_start + wa0, o.src_end + wa0, o.dest_start + wb0, o.dest_end + wb0)
              for o in ops if o.tag == "equal"]  # fmt: skip
        eq.append((lo_a, lo_a, lo_b, lo_b))  # the passage's edge
        first, _ = _reach(eq, len(eq) - 1, len(eq) - 1, gap, min_block)
        taken = eq[first:-1]
        if not taken:
            break
        left[:0] = taken
        lo_a, lo_b = taken[0][0], taken[0][2]
        if lo_a - wa0 > gap and lo_b - wb0 > gap:
            break  # it stopped inside the window
    for _ in range(_ROUNDS):  # after it
        wa1, wb1 = min(len(ha), hi_a + window), min(len(hb), hi_b + window)
        if wa1 == hi_a or wb1 == hi_b:
            break
        ops = LCSseq.opcodes(ha[hi_a:wa1].tolist(), hb[hi_b:wb1].tolist())
        eq = [(hi_a, hi_a, hi_b, hi_b)]
        eq += [(o.src_start + hi_a, o.src_end + hi_a, o.dest_start + hi_b, o.dest_end + hi_b)
               for o in ops if o.tag == "equal"]  # fmt: skip
        _, last = _reach(eq, 0, 0, gap, min_block)
        taken = eq[1 : last + 1]
        if not taken:
            break
        right.extend(taken)
        hi_a, hi_b = taken[-1][1], taken[-1][3]
        if wa1 - hi_a > gap and wb1 - hi_b > gap:
            break
    return (lo_a, hi_a, lo_b, hi_b), [*left, *runs, *right]


def _reach(eq: list[Block], first: int, last: int, gap: int, min_block: int) -> tuple[int, int]:
    """The first and last of the in-order stretches `eq` a passage holding ``first..last``
    grows to: outwards, past stretches shorter than `min_block` ("of the"), to the last
    stretch of `min_block` or more within `gap` tokens of the passage's edge on both sides."""
    q = first - 1
    while q >= 0:
        a0, a1, b0, b1 = eq[q]
        apart = max(eq[first][0] - a1, eq[first][2] - b1)
        if apart > gap:
            break
        if _bridges(a1 - a0, apart, min_block):
            first = q
        q -= 1
    q = last + 1
    while q < len(eq):
        a0, a1, b0, b1 = eq[q]
        apart = max(a0 - eq[last][1], b0 - eq[last][3])
        if apart > gap:
            break
        if _bridges(a1 - a0, apart, min_block):
            last = q
        q += 1
    return first, last


def _bridges(size: int, apart: int, min_block: int) -> bool:
    """Whether a stretch of `size` identical tokens `apart` tokens from a passage continues it:
    at least `min_block` long, and at least as long as the gap it crosses (more shared than
    not), so that stock fragments ("President of the", "like to thank the Secretary-General")
    do not chain a passage through unrelated text."""
    return size >= min_block and size >= apart


def _merge_overlapping(
    grown: list[tuple[Block, list[Block]]],
) -> list[tuple[Block, list[Block]]]:
    """Passages of one pair merged where they overlap on both sides."""
    merged: list[tuple[Block, list[Block]]] = []
    for span, blocks in sorted(grown, key=lambda g: (g[0][0], g[0][2])):
        if merged:
            (m0, m1, m2, m3), mb = merged[-1]
            if span[0] < m1 and span[2] < m3 and span[1] > m0 and span[3] > m2:
                joined = (min(m0, span[0]), max(m1, span[1]), min(m2, span[2]), max(m3, span[3]))
                merged[-1] = (joined, sorted(set(mb) | set(blocks)))
                continue
        merged.append((span, blocks))
    return merged


def _monotone(blocks: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Runs ``(a0, a1, b0, b1)`` of identical tokens made disjoint and in order on both sides:
    a run overlapping the one before loses its overlap (on its diagonal), or is dropped."""
    out: list[tuple[int, int, int, int]] = []
    for x0, a1, y0, b1 in sorted(blocks):
        shift = max(0, out[-1][1] - x0, out[-1][3] - y0) if out else 0
        if x0 + shift < a1:
            out.append((x0 + shift, a1, y0 + shift, b1))
    return out


def _from_lists(pair: list[int], blocks_of: list[list[Block]]) -> AnchorPassages:
    """Passages of runs, each passage's runs made disjoint and in order (`_monotone`) and its
    span the stretch from its first run to its last."""
    i32 = np.int32
    blocks_of = [_monotone(blocks) for blocks in blocks_of]
    spans = [(b[0][0], b[-1][1], b[0][2], b[-1][3]) for b in blocks_of]
    sp = np.asarray(spans, dtype=np.int64).reshape(-1, 4)
    flat = [b for blocks in blocks_of for b in blocks]
    bl = np.asarray(flat, dtype=np.int64).reshape(-1, 4)
    run_start = np.zeros(len(pair) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in blocks_of], out=run_start[1:])
    return AnchorPassages(
        pair=np.asarray(pair, dtype=np.int64),
        a0=sp[:, 0].astype(i32), a1=sp[:, 1].astype(i32),
        b0=sp[:, 2].astype(i32), b1=sp[:, 3].astype(i32),
        run_start=run_start,
        run_a0=bl[:, 0].astype(i32), run_a1=bl[:, 1].astype(i32),
        run_b0=bl[:, 2].astype(i32), run_b1=bl[:, 3].astype(i32),
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Anchored:
    """The anchored passages of every candidate pair of a scan (positions in `pairs`), with
    each pair's strength: its runs weighed as verbatim evidence (a run of `FULL_RUN` tokens
    counts fully, a shorter one in proportion), over the shorter document's length."""

    pairs: list[tuple[int, int]]
    passages: AnchorPassages
    strength: npt.NDArray[np.float64]

    @classmethod
    def build(
        cls,
        tokens: Sequence[DocTokens],
        pairs: list[tuple[int, int]],
        k: int,
        max_df: int,
        *,
        jobs: int = 1,
        gap: int = GAP,
        window: int = WINDOW,
    ) -> Anchored:
        """Anchors, runs and passages of `pairs`, grown through the text around them (in
        `jobs` processes: the results do not depend on it)."""
        arr = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        found = anchor_passages(*pair_anchors(tokens, arr, k, max_df), k, gap)
        grown = _extend_all(found, pairs, tokens, jobs, gap, window)
        lengths = (grown.run_a1 - grown.run_a0).astype(np.float64)
        weight = np.minimum(1.0, lengths / FULL_RUN) * lengths
        counts = np.diff(grown.run_start)
        run_pair = np.repeat(grown.pair, counts)
        total = np.bincount(run_pair, weights=weight, minlength=len(pairs))
        sizes = np.asarray([len(t) for t in tokens], dtype=np.float64)
        shorter = np.minimum(sizes[arr[:, 0]], sizes[arr[:, 1]]) if len(arr) else sizes[:0]
        strength = total / np.maximum(1.0, shorter)
        return cls(pairs, grown, strength)

    def strongest(self, n: int) -> list[int]:
        """The `n` strongest pairs (ties: the earlier pair), in plan order."""
        order = np.lexsort((np.arange(len(self.pairs)), -self.strength))
        return sorted(order[:n].tolist())

    def results(
        self,
        ids: Sequence[str],
        tokens: Sequence[DocTokens],
        *,
        min_words: int,
        skip: Sequence[int] = (),
        texts: Mapping[int, str] | None = None,
        lexicon: Lexicon | None = None,
        seed_words: int = 3,
        shares: Shares | None = None,
        jobs: int = 1,
        derived: Mapping[int, bytes] | None = None,
        few_senders: tuple[str, ...] = (),
        rare: float | None = None,
    ) -> list[PairResult]:
        """The pairs holding a passage of at least `min_words` words, but those in `skip`
        (compared in full), as `anchor_results` gives them, in plan order. With the documents'
        `texts` (by number) and the `lexicon`, each passage has the kind the comparison's rules
        give it (`docdiff.corpus.anchor_kinds`, with the corpus `shares` of `seed_words`-grams,
        in `jobs` processes; a document with a blob in `derived`, by number, is read from it
        rather than tokenized again; `few_senders` and `rare` as `passage_kinds` takes them);
        else all are phrasing."""
        keep = np.ones(len(self.pairs), dtype=bool)
        keep[np.asarray(list(skip), dtype=np.int64)] = False
        kinds: Kinds | None = None
        if texts is not None and lexicon is not None:
            from docdiff.corpus.anchor_kinds import passage_kinds

            def kinds(
                passages: AnchorPassages, rows: npt.NDArray[np.int64]
            ) -> list[PassageKind | None]:
                return passage_kinds(
                    passages, rows, self.pairs, texts, tokens, lexicon,
                    k=seed_words, shares=shares, jobs=jobs, derived=derived,
                    few_senders=few_senders, rare=rare,
                )  # fmt: skip

        got = anchor_results(
            self.passages, self.pairs, ids, tokens, min_words=min_words, keep=keep, kinds=kinds,
            texts=texts,
        )  # fmt: skip
        return [got[n] for n in sorted(got)]


_WORK: tuple[AnchorPassages, Sequence[tuple[int, int]], Sequence[DocTokens], int, int] | None = None
"""What forked workers extend (set before the pool forks)."""


def _extend_all(
    ps: AnchorPassages,
    pairs: Sequence[tuple[int, int]],
    tokens: Sequence[DocTokens],
    jobs: int,
    gap: int = GAP,
    window: int = WINDOW,
) -> AnchorPassages:
    """`extend_passages` over stretches of whole pairs, in a process pool when it pays."""
    global _WORK  # noqa: PLW0603  (fork-inherited worker state)
    n = len(ps)
    if jobs <= 1 or n < _PARALLEL_FROM:
        return extend_passages(ps, pairs, tokens, gap=gap, window=window)
    cuts = [0]
    for c in range(1, jobs * 4):
        at = int(np.searchsorted(ps.pair, ps.pair[min(n - 1, c * n // (jobs * 4))]))
        if at > cuts[-1]:
            cuts.append(at)
    cuts.append(n)
    from concurrent.futures import ProcessPoolExecutor

    from docdiff.procs import fork_context, worker_init

    _WORK = (ps, pairs, tokens, gap, window)
    try:
        with ProcessPoolExecutor(
            max_workers=jobs, mp_context=fork_context(), initializer=worker_init
        ) as pool:
            parts = list(pool.map(_extend_part, pairwise(cuts)))
    finally:
        _WORK = None
    return _concat(parts)


_PARALLEL_FROM = 20_000
"""Passages worth a process pool."""


def _extend_part(bounds: tuple[int, int]) -> AnchorPassages:
    assert _WORK is not None
    ps, pairs, tokens, gap, window = _WORK
    return extend_passages(_rows(ps, *bounds), pairs, tokens, gap=gap, window=window)


def _rows(ps: AnchorPassages, lo: int, hi: int) -> AnchorPassages:
    """Passages ``lo:hi`` with their runs."""
    r0, r1 = int(ps.run_start[lo]), int(ps.run_start[hi])
    return AnchorPassages(
        ps.pair[lo:hi], ps.a0[lo:hi], ps.a1[lo:hi], ps.b0[lo:hi], ps.b1[lo:hi],
        ps.run_start[lo : hi + 1] - r0,
        ps.run_a0[r0:r1], ps.run_a1[r0:r1], ps.run_b0[r0:r1], ps.run_b1[r0:r1],
    )  # fmt: skip


def _concat(parts: Sequence[AnchorPassages]) -> AnchorPassages:
    """Passages of consecutive stretches, joined."""
    starts = [np.zeros(1, dtype=np.int64)]
    at = 0
    for p in parts:
        starts.append(p.run_start[1:] + at)
        at += int(p.run_start[-1])

    def cat(name: str) -> npt.NDArray[Any]:
        return np.concatenate([getattr(p, name) for p in parts])

    return AnchorPassages(
        cat("pair"), cat("a0"), cat("a1"), cat("b0"), cat("b1"), np.concatenate(starts),
        cat("run_a0"), cat("run_a1"), cat("run_b0"), cat("run_b1"),
    )  # fmt: skip
