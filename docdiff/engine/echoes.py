"""Echoes: short shared phrases below the passage size, reworded or rare two-word pairs, ranked
by distinctiveness.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from functools import cache
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from docdiff.engine.classify import ONE_SIDE_REASON, cover_datelines_and_apparatus
from docdiff.engine.lexicon import FormulaHit
from docdiff.engine.prepare import (
    Prepared,
    covered_tokens,
    pair_stem_weight,
    token_range,
    token_stretches,
)
from docdiff.engine.unique import unique_runs
from docdiff.model import AlignOp, Kind, Match, Passage, Span
from docdiff.options import Options
from docdiff.text.seeds import in_sorted, sorted_unique
from docdiff.text.tokens import CHARACTERS_A_WORD, UNSPACED_LANGUAGES


def split_passages(
    matches: Sequence[Match], a: Prepared, b: Prepared, options: Options
) -> tuple[list[Match], list[Match]]:
    """Passages, and the other matches: the echoes to be (isolated shared phrases shorter than a
    passage, which `ranked_echoes` ranks), each in the order of `matches`.

    A formula both documents use is a passage whatever its size (the two instances may word
    it differently); a short run that lies in a formula on one side only ("take this
    opportunity" against a longer "would like to take this opportunity to ...") is not.
    """
    passages: list[Match] = []
    short: list[Match] = []
    words, run_words = passage_words(options, a), _RUN_WORDS * _characters_a_word(a)
    for m in matches:
        both = m.kind is Kind.FORMULA and not m.reason.startswith(ONE_SIDE_REASON)
        if both or m.kind is Kind.PARAPHRASE or _passage_sized(m, a, b, words, run_words):
            passages.append(m)
        else:
            short.append(m)
    return passages, short


def ranked_echoes(short: Sequence[Match], a: Prepared, b: Prepared) -> list[Match]:
    """The echoes: the `short` matches of `split_passages` with their distinctiveness, ranked by
    how distinctive they are (rare words that are not a topic of either document)."""
    return rank_echoes([replace(m, distinctiveness=_distinctiveness(m, a, b)) for m in short])


def _passage_sized(m: Match, a: Prepared, b: Prepared, words: int, run_words: int) -> bool:
    """True when `m` is a passage by its size: `words` shared words once its pieces are
    joined, with one verbatim run of `words` among them, or three runs of `run_words` words or
    more (a stretch edited word by word), or twice `words` shared words. Two stock phrases side by
    side are a coincidence, not a passage ("meet this challenge; we fully support the United
    Nations" / "meet this challenge, the United Nations")."""
    # A side's whole words are at most its tokens (`_whole_count`): most echoes stop here.
    if min(_tokens_in(a, m.a.span), _tokens_in(b, m.b.span)) < words:
        return False
    shared = whole_words(m, a, b)
    if shared < words:
        return False
    runs = _runs(m, a, b)
    return (
        shared >= 2 * words
        or max(runs, default=0) >= words
        or sum(1 for n in runs if n >= run_words) >= _RUNS
    )


def _tokens_in(p: Prepared, span: Span) -> int:
    i0, i1 = token_range(p.tokens, span)
    return i1 - i0


_RUN_WORDS, _RUNS = 2, 3
"""A passage with no run of a passage's size needs `_RUNS` runs of `_RUN_WORDS` written words
or more in the same order: one shared word between two edits is a coincidence."""


def _runs(m: Match, a: Prepared, b: Prepared) -> list[int]:
    """The verbatim runs of `m` in written words (the shorter of the two sides), in order."""
    runs: list[tuple[AlignOp, AlignOp]] = []  # (first, last) equal op of each unbroken run
    for op in sorted((op for op in m.ops if op.tag == "equal"), key=lambda op: op.a.start):
        if runs and _adjacent(runs[-1][1], op, a, b):
            runs[-1] = (runs[-1][0], op)
        else:
            runs.append((op, op))
    out = []
    for first, last in runs:
        # The run as a match of its own would count (no match is built for it).
        run = AlignOp("equal", Span(first.a.start, last.a.end), Span(first.b.start, last.b.end))
        ops = (run,)
        out.append(min(_whole_count(run.a, ops, a, "a"), _whole_count(run.b, ops, b, "b")))
    return out


def _adjacent(x: AlignOp, y: AlignOp, a: Prepared, b: Prepared) -> bool:
    """True when equal op `y` follows `x` with no token between them on either side."""
    xa = token_range(a.tokens, x.a)[1]
    xb = token_range(b.tokens, x.b)[1]
    return token_range(a.tokens, y.a)[0] == xa and token_range(b.tokens, y.b)[0] == xb


def whole_words(m: Match, a: Prepared, b: Prepared) -> int:
    """The words two sides share as a reader counts them: a number ("0.7", "1,000") or a
    hyphenated word ("sixty-seventh") is one word, and it is shared only when it is whole on
    both sides ("sixty-seventh" / "sixty-sixth" share no word)."""
    return min(_whole_side(m, a, "a"), _whole_side(m, b, "b"))


def _whole_side(m: Match, p: Prepared, side: str) -> int:
    return _whole_count(m.a.span if side == "a" else m.b.span, m.ops, p, side)


def _whole_count(span: Span, ops: Sequence[AlignOp], p: Prepared, side: str) -> int:
    """`_whole_side` of a match spanning `span` on `side` with `ops`: the written words there,
    from the document's word starts (counted once), less those holding a token outside the
    equal ops (a few stretches)."""
    t = p.tokens
    i0, i1 = token_range(t, span)
    if i1 <= i0:
        return 0
    cum = _word_starts(p)
    ranges = []
    for op in ops:
        if op.tag == "equal":
            j0, j1 = token_range(t, op.a if side == "a" else op.b)
            lo, hi = max(j0, i0), min(j1, i1)
            if hi > lo:
                ranges.append((lo, hi))
    ranges.sort()
    ranges.append((i1, i1))
    # Token x is in word cum[x + 1] - base of the span (its first token starts word 0).
    base = cum[i0 + 1]
    broken = 0  # words holding a token that is not equal
    last = -1  # the last of them
    at = i0
    for lo, hi in ranges:
        if lo > at:  # tokens at..lo-1 are not equal: their words are broken
            first = max(cum[at + 1] - base, last + 1)
            last = max(last, cum[lo] - base)
            broken += max(0, last - first + 1)
        at = max(at, hi)
    return 1 + cum[i1] - base - broken


def token_bounds(p: Prepared) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The tokens' starts and ends as arrays: those an indexed document was read with (kept
    as ``token_bounds`` by `docdiff.corpus.derived.prepared_from`), else made from the token
    lists (and kept so)."""
    known = p.derived.get("token_bounds")
    if isinstance(known, tuple):
        return known
    t = p.tokens
    n = len(t)
    made = (
        np.fromiter(t.starts, dtype=np.int64, count=n),
        np.fromiter(t.ends, dtype=np.int64, count=n),
    )
    p.derived["token_bounds"] = made
    return made


_BULK_SPANS = 64
"""The fewest spans `covered` places in bulk (fewer cost less one by one)."""


def covered(p: Prepared, spans: Sequence[Span]) -> list[bool]:
    """`covered_tokens` of `p` (the same list): whether each token starts inside one of
    `spans`, the spans placed in the tokens by one search of them all (a long pair's passages
    and echoes number thousands)."""
    n = len(p.tokens)
    if len(spans) < _BULK_SPANS or not n:
        return covered_tokens(p.tokens, spans)
    starts = token_bounds(p)[0]
    edges = np.asarray([(s.start, s.end) for s in spans], dtype=np.int64)
    i0 = starts.searchsorted(edges[:, 0], side="left")
    i1 = starts.searchsorted(edges[:, 1], side="left")
    some = i1 > i0
    # +1 where a span's tokens begin, -1 past them: inside one while the sum is positive.
    depth = np.bincount(i0[some], minlength=n + 1) - np.bincount(i1[some], minlength=n + 1)
    inside: list[bool] = (np.cumsum(depth[:n]) > 0).tolist()
    return inside


def _word_starts(p: Prepared) -> list[int]:
    """How many tokens before each token index open a written word, a new word starting at
    token i (i > 0) when the gap from token i - 1 is empty, longer than `_WORD_GLUE` or
    holds white space (derived once per document): ``len(tokens) + 1`` counts."""
    found = p.derived.get("word_starts")
    if isinstance(found, list):
        return found
    stored = p.derived.get("word_opens")  # an indexed source's (`docdiff.corpus.derived`)
    opens = stored if isinstance(stored, np.ndarray) else word_opens(p.doc.text, *token_bounds(p))
    counts = np.zeros(len(p.tokens) + 1, dtype=np.int64)
    counts[2:] = np.cumsum(opens)
    found = counts.tolist()
    p.derived["word_starts"] = found
    return found


def word_opens(
    text: str, starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """Whether each token after the first of `text` (at `starts`, `ends`) opens a written word
    (`_word_starts`); an index stores it with the document (`docdiff.corpus.derived`)."""
    gap = starts[1:] - ends[:-1]
    opens: npt.NDArray[np.bool_] = (gap == 0) | (gap > _WORD_GLUE)
    if len(starts) < 2:
        return opens
    space = _space_table()
    # Only a short gap's characters decide, so each stretch of the tokens (`token_stretches`:
    # a long document's window, or a whole text) is read alone: never the text between them.
    for i0, i1 in token_stretches(starts, ends)[0]:
        if i1 - i0 < 2:
            continue
        lo = int(starts[i0])
        part = text[lo : int(ends[i1 - 1])]
        points = np.frombuffer(part.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        width = gap[i0 : i1 - 1]
        for k in range(_WORD_GLUE):
            at = ends[i0 : i1 - 1] - lo + k
            inside = (k < width) & (width <= _WORD_GLUE)
            where = points[np.where(inside, at, 0)]
            opens[i0 : i1 - 1] |= (
                inside & (where < len(space)) & space[np.minimum(where, len(space) - 1)]
            )
    return opens


_SPACE_LIMIT = 0x3001
"""Every white-space character (`str.isspace`) is below this code point (U+3000 is the
last)."""


@cache
def _space_table() -> npt.NDArray[np.bool_]:
    """Whether each code point below `_SPACE_LIMIT` is white space (`_SPACE`)."""
    table = np.zeros(_SPACE_LIMIT, dtype=bool)
    every = "".join(map(chr, range(_SPACE_LIMIT)))
    table[[m.start() for m in _SPACE.finditer(every)]] = True
    return table


_SPACE = re.compile(r"\s")
"""White space: the same characters as `str.isspace`."""


_WORD_GLUE = 2
"""Tokens separated by at most this much punctuation and no space form one written word."""


def rank_echoes(echoes: list[Match]) -> list[Match]:
    return sorted(echoes, key=lambda m: (-(m.distinctiveness or 0.0), *_earliest(m)))


def _earliest(m: Match) -> tuple[int, int, int]:
    """Earlier in both documents first, the same whichever is side A (a phrase heard twice in
    each is shown where it comes first in both, not first in A)."""
    a, b = m.a.span.start, m.b.span.start
    return (a + b, min(a, b), a)


_ECHO_REACH = 4
"""Two content words form a reworded echo's seed when they stand within this many words."""


_ECHO_EVIDENCE = 1.0
"""The least topic-discounted rarity of a reworded echo's shared stems."""


_ECHO_STEMS = 3
"""A reworded echo shares at least this many distinct content stems (two common words close
together, "great deal", "file AA", say nothing)."""
"""The least topic-discounted rarity of a reworded echo's shared stems."""


def reworded_echoes(
    a: Prepared, b: Prepared, matches: Sequence[Match], options: Options
) -> list[Match]:
    """Short reworded phrases both texts share: two or more rare content stems standing close
    together in each ("hostile forces" / "forces hostile to", "genuine human rights are
    protected and promoted" / "genuine promotion and protection of human rights"), outside the
    passages and echoes found so far and the documents' editorial apparatus, and not a topic
    of either document."""
    covered_a = covered(a, [m.a.span for m in matches])
    covered_b = covered(b, [m.b.span for m in matches])
    cover_datelines_and_apparatus(a, covered_a)
    cover_datelines_and_apparatus(b, covered_b)
    count_a, count_b = _root_counts(a), _root_counts(b)
    stem_weight = pair_weight(a, b)
    # A collocation a document uses more than twice is its topic: left out. An occurrence may
    # echo wording the other text already reuses elsewhere (one side inside a passage), never
    # two occurrences both already paired.
    free = _free_shared_close_places(a, b, 2, covered_a, covered_b)
    fewest = max(_ECHO_STEMS, options.min_words)
    if fewest > 2:
        # A pair whose places touch no other pair's in A stays an echo of its two stems
        # alone, too few: left out before the echoes grow (`_touching`).
        free = _touching(free)
    found = _grown(_listed(a.roots, free))
    out = []
    for i0, i1, j0, j1, stems in found:
        if len(stems) < fewest:
            continue  # too few stems whatever their evidence (most: one pair of stems)
        evidence = sum(
            stem_weight(s)
            / ((1.0 + math.log(max(1, count_a[s]))) * (1.0 + math.log(max(1, count_b[s]))))
            for s in stems
        )
        if evidence < _ECHO_EVIDENCE:
            continue
        pairs = [
            (i, next(j for j in range(j0, j1 + 1) if b.roots[j] == a.roots[i]))
            for i in range(i0, i1 + 1)
            if a.roots[i] in stems
        ]
        verbatim = i1 - i0 == j1 - j0 and a.ids[i0 : i1 + 1] == b.ids[j0 : j1 + 1]
        forms = tuple(dict.fromkeys(a.tokens.forms[i] for i, _ in pairs))
        out.append(
            Match(
                a=Passage(a.doc.id, a.tokens.range_span(i0, i1 + 1)),
                b=Passage(b.doc.id, b.tokens.range_span(j0, j1 + 1)),
                kind=Kind.PHRASING if verbatim else Kind.PARAPHRASE,
                score=round(100.0 * 2 * len(pairs) / (i1 - i0 + j1 - j0 + 2), 1),
                words=len(stems),
                ops=tuple(AlignOp("equal", a.tokens.span(i), b.tokens.span(j)) for i, j in pairs),
                reason=(
                    f"{'phrasing' if verbatim else 'paraphrase'}: a short "
                    f"{'shared' if verbatim else 'reworded'} phrase; {len(forms)} distinct content "
                    f"words close together in both ({', '.join(forms)}), evidence {evidence:.1f}"
                ),
                shared=forms,
                distinctiveness=round(100.0 * (1.0 - math.exp(-evidence / 2.0)), 1),
            )
        )
    return out


def pair_weight(a: Prepared, b: Prepared) -> Callable[[str], float]:
    """`pair_stem_weight` of `a` and `b`, its answers kept with `a` for its last pair: a
    comparison asks it three times (reworded passages, their sections, reworded echoes)."""
    known = a.derived.get("pair_weight")
    # Keyed by `b`'s stem table itself (held here, so no other object takes its id).
    if isinstance(known, tuple) and known[0] is b.stem_table:
        weight: Callable[[str], float] = known[1]
        return weight
    weight = pair_stem_weight(a, b)
    a.derived["pair_weight"] = (b.stem_table, weight)
    return weight


def _root_counts(p: Prepared) -> Counter[str]:
    counts = p.derived.get("root_counts")
    if not isinstance(counts, Counter):
        # Per stem (every stem has a token), in the order of their first token: counted in
        # bulk over the stems' numbers.
        names, codes = p.stem_codes()
        many = np.bincount(codes, minlength=len(names))
        counts = Counter()
        dict.update(counts, zip(names, many.tolist(), strict=True))  # (no copy)
        p.derived["root_counts"] = counts
    return counts


class _StemArrays(NamedTuple):
    codes: npt.NDArray[np.int64]
    """Each token's stem number."""
    content: npt.NDArray[np.bool_]
    """Tokens whose stem weighs something (not a number, not a function word)."""
    heavy: npt.NDArray[np.bool_]
    """Tokens whose own weight is at least 1 (a rare word)."""
    distinct: npt.NDArray[np.int64]
    """The document's stem numbers, sorted, once each."""


def _stem_weight_array(p: Prepared) -> npt.NDArray[np.float64]:
    """Each distinct stem's weight in `p` (`Prepared.stem_table`), in the order of
    `Prepared.stem_codes`, derived once per document: the echoes' stem arrays and the
    paraphrase's stem signs (`docdiff.engine.reworded`) read it."""
    found = p.derived.get("stem_weight_array")
    if isinstance(found, np.ndarray):
        return found
    stems, _ = p.stem_codes()
    table = p.stem_table
    weights = np.fromiter(map(table.__getitem__, stems), dtype=np.float64, count=len(stems))
    p.derived["stem_weight_array"] = weights
    return weights


def _stem_arrays(p: Prepared) -> _StemArrays:
    """The document's stems as numbers, derived once per document (a few bytes a token): each
    distinct stem (`Prepared.stem_codes`, in the order of its first token) numbered and
    weighed once, its tokens given its number."""
    found = p.derived.get("stem_arrays")
    if isinstance(found, _StemArrays):
        return found
    _, stem_of = p.stem_codes()
    codes = p.stem_numbers()  # shared with the paraphrase postings
    weighs = _stem_weight_array(p) > 0.0
    token_codes = codes[stem_of]
    arrays = _StemArrays(
        token_codes, weighs[stem_of], p.weight_array >= 1.0, sorted_unique(token_codes)
    )
    p.derived["stem_arrays"] = arrays
    return arrays


def _few_shared_close_pairs(
    a: Prepared, b: Prepared, most: int
) -> list[tuple[frozenset[str], list[tuple[int, int]], list[tuple[int, int]]]]:
    """The pairs of stems both texts hold close together (`_close_pairs`), each at most `most`
    times in each, in the order of their first place in A: each one's stems and its places
    in A and in B (in text order). Found on the pairs' arrays, the Python objects made for
    these alone (two texts share thousands of close pairs, mostly their topics')."""
    shared = _few_shared_rows(a, b, most)
    if shared is None:
        return []
    # Each kept key's places, in text order, under its number in A's keys.
    places: list[dict[int, list[tuple[int, int]]]] = []
    for close, (rows, key_of) in zip((shared.a, shared.b), (shared.in_a, shared.in_b), strict=True):
        found: dict[int, list[tuple[int, int]]] = {}
        for k, i, j in zip(
            key_of.tolist(), close.first[rows].tolist(), close.second[rows].tolist(), strict=True
        ):
            found.setdefault(k, []).append((i, j))
        places.append(found)
    roots = a.roots
    # A's keys were met in text order: the order of their first place.
    return [
        (frozenset((roots[xs[0][0]], roots[xs[0][1]])), xs, places[1][k])
        for k, xs in places[0].items()
    ]


class _SharedRows(NamedTuple):
    a: _ClosePairs
    b: _ClosePairs
    in_a: tuple[npt.NDArray[np.intp], npt.NDArray[np.int64]]
    """A's close pairs of the kept keys (their rows, in text order) and each one's key (its
    number in A's keys)."""
    in_b: tuple[npt.NDArray[np.intp], npt.NDArray[np.int64]]
    """The same in B, each key numbered as in A."""


def _few_shared_rows(a: Prepared, b: Prepared, most: int) -> _SharedRows | None:
    """The close pairs (`_close_pairs`) whose key both texts hold at most `most` times each,
    on each side (None when there are none)."""
    close_a, close_b = _close_pairs(a), _close_pairs(b)
    # The keys both hold (`np.intersect1d` of two sorted sets, by binary search), and their
    # places in each.
    if not len(close_b.keys):
        return None
    at_b = np.minimum(close_b.keys.searchsorted(close_a.keys), len(close_b.keys) - 1)
    both = close_b.keys[at_b] == close_a.keys
    at_a, at_b = both.nonzero()[0], at_b[both]
    if not len(at_a):
        return None
    few = (close_a.per_key[at_a] <= most) & (close_b.per_key[at_b] <= most)
    if not few.any():
        return None
    sides = []
    for close, at, other in ((close_a, at_a[few], None), (close_b, at_b[few], at_a[few])):
        number = np.full(len(close.keys), -1, dtype=np.int64)
        number[at] = at if other is None else other
        key_of = number[close.which]
        rows = (key_of >= 0).nonzero()[0]
        sides.append((rows, key_of[rows]))
    return _SharedRows(close_a, close_b, sides[0], sides[1])


_ClosePlaces = tuple[tuple[str, str], tuple[int, int], tuple[int, int]]
"""A shared close pair of stems, with its places in A and in B (`_free_shared_close_pairs`)."""

_Grown = tuple[int, int, int, int, set[str]]
"""An echo grown from close pairs: its first and last token in A, in B, and its stems."""


def _grown(pairs: Sequence[_ClosePlaces]) -> list[_Grown]:
    """The echoes the close `pairs` grow into, in the order they open: each pair joins the
    first echo it overlaps on both sides (in A, from its first place to its second, both
    included), else opens one.

    The pairs come in order of their first place in A (a place holds one pair of stems, so no
    two share it: the order is the one by place, then stems).
    """
    found: list[_Grown] = []
    # Which found echoes cover each token of A: the first echo overlapping a new occurrence on
    # both sides is looked up there, not searched for among all (quadratic on long texts).
    at_a: dict[int, list[int]] = defaultdict(list)
    for key, (i0, i1), (j0, j1) in pairs:
        near = sorted({n for t in range(i0, i1 + 1) for n in at_a.get(t, ())})
        hit = next((n for n in near if found[n][2] <= j1 and j0 <= found[n][3]), None)
        if hit is None:
            hit = len(found)
            found.append((i0, i1, j0, j1, set(key)))
        else:
            f = found[hit]
            f[4].update(key)
            found[hit] = (min(f[0], i0), max(f[1], i1), min(f[2], j0), max(f[3], j1), f[4])
        for t in range(found[hit][0], found[hit][1] + 1):
            if not at_a[t] or at_a[t][-1] != hit:
                at_a[t].append(hit)
    return found


def _free_shared_close_pairs(
    a: Prepared, b: Prepared, most: int, covered_a: Sequence[bool], covered_b: Sequence[bool]
) -> list[_ClosePlaces]:
    """The keys of `_few_shared_close_pairs` with a free pair of places, in the same order:
    each key's two stems, and its first pair of places (A's places in text order, then B's)
    not covered on both sides (any token of a place `covered`). Chosen in bulk: Python
    objects are made for the chosen places alone."""
    return _listed(a.roots, _free_shared_close_places(a, b, most, covered_a, covered_b))


class _FreePlaces(NamedTuple):
    """`_free_shared_close_pairs` as arrays, one row a key: the places of its stems (its first
    place in A) and its chosen places in A (``i0``, ``i1``) and in B (``j0``, ``j1``)."""

    p: npt.NDArray[np.int64]
    q: npt.NDArray[np.int64]
    i0: npt.NDArray[np.int64]
    i1: npt.NDArray[np.int64]
    j0: npt.NDArray[np.int64]
    j1: npt.NDArray[np.int64]


_NO_PLACES = _FreePlaces(*(np.zeros(0, dtype=np.int64),) * 6)


def _listed(roots: Sequence[str], free: _FreePlaces) -> list[_ClosePlaces]:
    """`free`'s rows as Python objects: each key's two stems (`roots`: A's tokens' stems) and
    its chosen places."""
    return [
        ((roots[p], roots[q]), (i0, i1), (j0, j1))
        for p, q, i0, i1, j0, j1 in zip(*(column.tolist() for column in free), strict=True)
    ]


def _touching(free: _FreePlaces) -> _FreePlaces:
    """The rows of `free` whose chosen places in A share a token with another row's (from the
    first place to the second, both included).

    A row that shares none grows into an echo of its own two stems (`_grown`: no echo's
    tokens in A reach its places, echoes being made of overlapping rows), which no other row
    joins: an echo of two stems, too few for `reworded_echoes`, which leaves such rows out
    before the echoes grow. The other echoes are the same, in the same order.
    """
    n = len(free.i0)
    if n < 2:
        return _NO_PLACES
    order = free.i0.argsort(kind="stable")
    starts, ends = free.i0[order], free.i1[order]
    # Sorted by start, a row touches an earlier one when some earlier end reaches its start,
    # and a later one when its end reaches the next start.
    touches = np.zeros(n, dtype=bool)
    touches[1:] = np.maximum.accumulate(ends)[:-1] >= starts[1:]
    touches[:-1] |= ends[:-1] >= starts[1:]
    kept = np.zeros(n, dtype=bool)
    kept[order] = touches
    return _FreePlaces(*(column[kept] for column in free))


def _free_shared_close_places(
    a: Prepared, b: Prepared, most: int, covered_a: Sequence[bool], covered_b: Sequence[bool]
) -> _FreePlaces:
    """`_free_shared_close_pairs` as `_FreePlaces`."""
    shared = _few_shared_rows(a, b, most)
    if shared is None:
        return _NO_PLACES
    # Per key (in the order of its first place in A), up to `most` places on each side, in
    # text order, and whether each is covered.
    sides = []
    for close, (rows, key_of), covered in (
        (shared.a, shared.in_a, covered_a),
        (shared.b, shared.in_b, covered_b),
    ):
        first, second = close.first[rows].astype(np.int64), close.second[rows].astype(np.int64)
        marked = np.frombuffer(bytes(covered), dtype=bool)  # (bools are bytes 0 and 1)
        counts = np.concatenate(([0], np.cumsum(marked, dtype=np.int64)))
        hit = counts[second + 1] > counts[first]
        order = np.argsort(key_of, kind="stable")  # each key's places together, in text order
        # (`np.unique` of the sorted keys with `return_index` and `return_counts`: each run.)
        ordered = key_of[order]
        opens = np.empty(len(ordered), dtype=bool)
        opens[:1] = True
        opens[1:] = ordered[1:] != ordered[:-1]
        start = opens.nonzero()[0]
        keys, size = ordered[start], np.diff(np.append(start, len(ordered)))
        sides.append((first, second, hit, order, keys, start, size))
    first_a, second_a, hit_a, order_a, keys_a, start_a, size_a = sides[0]
    first_b, second_b, hit_b, order_b, _, start_b, size_b = sides[1]
    # The same keys on both sides, sorted alike: key u is keys_a[u] == keys_b[u].
    chosen_a = np.full(len(keys_a), -1, dtype=np.int64)
    chosen_b = np.full(len(keys_a), -1, dtype=np.int64)
    for s in range(most):
        for t in range(most):
            ok = (chosen_a < 0) & (s < size_a) & (t < size_b)
            x = order_a[start_a + np.minimum(s, size_a - 1)]
            y = order_b[start_b + np.minimum(t, size_b - 1)]
            ok &= ~(hit_a[x] & hit_b[y])
            chosen_a[ok], chosen_b[ok] = x[ok], y[ok]
    # In the order of each key's first place in A (its rows come in text order).
    firsts = order_a[start_a]
    by_place = np.argsort(firsts, kind="stable")
    by_place = by_place[chosen_a[by_place] >= 0]
    x, y, k = chosen_a[by_place], chosen_b[by_place], firsts[by_place]
    return _FreePlaces(first_a[k], second_a[k], first_a[x], second_a[x], first_b[y], second_b[y])


class _ClosePairs(NamedTuple):
    first: npt.NDArray[np.int32]
    """The first place of each close pair, in text order (then by second place)."""
    second: npt.NDArray[np.int32]
    keys: npt.NDArray[np.int64]
    """The pairs' keys (two stem numbers, lower first), sorted, once each."""
    which: npt.NDArray[np.int32]
    """Each pair's key, as its place in `keys`."""
    per_key: npt.NDArray[np.intp]
    """How many pairs have each key (kept: a query's document meets ten sources)."""


def _close_pairs(p: Prepared) -> _ClosePairs:
    """Pairs of distinct content stems standing within `_ECHO_REACH` words in `p` (derived once
    per document): each pair's places, in text order, and key.

    The pairs of the stems two texts share are these pairs whose key both texts hold: the pairs
    among the tokens of the shared stems alone are the same, in the same order."""
    found = p.derived.get("close_pairs")
    if isinstance(found, _ClosePairs):
        return found
    arrays = _stem_arrays(p)
    codes = arrays.codes
    content = arrays.content.nonzero()[0]
    # Each content token against the next `_ECHO_REACH` ones (content positions rise: d apart
    # is >= d words apart), as rows: read row by row, the pairs come in text order, then by
    # second place (no sort needed). Column d - 1 compares each token with the one d content
    # tokens on: two slices of each array (no gather).
    m = len(content)
    code, heavy = codes[content], arrays.heavy[content]
    ok = np.zeros((m, _ECHO_REACH), dtype=bool)
    for d in range(1, min(_ECHO_REACH, m - 1) + 1):
        ok[: m - d, d - 1] = (
            (content[d:] - content[:-d] <= _ECHO_REACH)
            & (code[d:] != code[:-d])
            & (heavy[d:] | heavy[:-d])
        )
    rows, steps = ok.nonzero()
    first, second = content[rows], content[rows + steps + 1]
    # A phrase never runs over a paragraph break (a heading and the title line below it).
    breaks = np.asarray(p.break_list, dtype=np.int64)
    if len(breaks):
        following = np.append(breaks, np.iinfo(np.int64).max)
        within = second < following[breaks.searchsorted(first, side="right")]
        first, second = first[within], second[within]
    lo = np.minimum(codes[first], codes[second])
    hi = np.maximum(codes[first], codes[second])
    found = unique_runs((lo << 32) | hi)
    pairs = _ClosePairs(
        first.astype(np.int32),
        second.astype(np.int32),
        found.values,
        found.inverse.astype(np.int32),
        found.counts,
    )
    p.derived["close_pairs"] = pairs
    return pairs


_PAIR_TOPIC = 2
"""A two-word phrase used more often than this in either document is its topic, not an echo."""


def rare_pair_echoes(
    a: Prepared,
    b: Prepared,
    found: Sequence[Match],
    formulae: tuple[Sequence[FormulaHit], Sequence[FormulaHit]] = ((), ()),
) -> list[Match]:
    """Two-word phrases both texts share verbatim ("hostile forces") that are rare in general
    language and in official speech (`rarity.rare_pair`), used at most twice in each document
    (not a topic term), not a name (both words capitalised), not inside an instance of one
    lexicon family on both sides (`formulae`, each side's instances: "Excelentísimo señor:",
    a Spanish letter's salutation, is a formula shorter than a passage, as "Your Excellency,"
    is), and outside what is found and the documents' editorial apparatus (the editors'
    "original document" is not the authors')."""
    from docdiff.text.rarity import rare_pair

    covered_a = covered(a, [m.a.span for m in found])
    covered_b = covered(b, [m.b.span for m in found])
    cover_datelines_and_apparatus(a, covered_a)
    cover_datelines_and_apparatus(b, covered_b)
    lang = a.tokens.language()
    if lang != b.tokens.language():
        return []

    # A pair keeps the two-word phrases both texts hold with an occurrence outside what is
    # found on each side.
    all_a, all_b = _shared_bigrams(a, b)
    in_a: dict[tuple[str, str], list[int]] = {}
    in_b: dict[tuple[str, str], list[int]] = {}
    for k in all_a.keys() & all_b.keys():
        va, vb = all_a[k], all_b[k]
        if not all(covered_a[i] or covered_a[i + 1] for i in va) and not all(
            covered_b[i] or covered_b[i + 1] for i in vb
        ):
            in_a[k], in_b[k] = va, vb
    out: list[Match] = []
    for pair in sorted(in_a.keys(), key=lambda k: in_a[k][0]):
        if max(a.key_counts[pair[0]], b.key_counts[pair[0]]) > 10 * _PAIR_TOPIC:
            continue
        places_a, places_b = in_a[pair], in_b[pair]
        if len(places_a) > _PAIR_TOPIC or len(places_b) > _PAIR_TOPIC:
            continue
        i = next(x for x in places_a if not (covered_a[x] or covered_a[x + 1]))
        j = next((y for y in places_b if not (covered_b[y] or covered_b[y + 1])), None)
        if j is None:
            continue
        raw = [a.doc.text[a.tokens.starts[x] : a.tokens.ends[x]] for x in (i, i + 1)]
        if all(w[:1].isupper() for w in raw):
            continue  # "People's Republic": part of a name, not rhetoric
        forms = (a.tokens.forms[i], a.tokens.forms[i + 1])
        if any(len(f) <= 2 or any(c.isdigit() for c in f) for f in forms):
            continue  # dates, numbers, initials and archive codes ("file AA") are not rhetoric
        if not rare_pair(forms[0], forms[1], lang):
            continue
        if _families_at(formulae[0], i) & _families_at(formulae[1], j):
            continue
        m = Match(
            a=Passage(a.doc.id, a.tokens.range_span(i, i + 2)),
            b=Passage(b.doc.id, b.tokens.range_span(j, j + 2)),
            kind=Kind.PHRASING,
            score=100.0,
            words=2,
            ops=(AlignOp("equal", a.tokens.range_span(i, i + 2), b.tokens.range_span(j, j + 2)),),
            reason=(
                f"phrasing: a two-word phrase rare in general language and in official speech "
                f"({' '.join(forms)}), used at most {_PAIR_TOPIC} times in each text"
            ),
            shared=forms,
        )
        out.append(replace(m, distinctiveness=_distinctiveness(m, a, b)))
    return out


def _families_at(hits: Sequence[FormulaHit], i: int) -> set[str]:
    """The lexicon families of the instances holding the two words at token `i`."""
    return {h.template.family for h in hits if h.start <= i and i + 2 <= h.end}


class _BigramCodes(NamedTuple):
    places: npt.NDArray[np.int64]
    """The places (first words) of the document's two-word phrases of weighed words within
    a paragraph, in text order."""
    codes: npt.NDArray[np.uint64]
    """Each phrase's code, mixed from its two word ids (two phrases may share one)."""
    distinct: npt.NDArray[np.uint64]
    """The codes, sorted, once each."""


_BIGRAM_MIX = np.uint64(0x9E3779B97F4A7C15)
"""Mixes a phrase's first word id into its code (any odd number: codes are only a filter)."""


def _bigram_codes(p: Prepared) -> _BigramCodes:
    """The document's two-word phrases as codes (derived once per document)."""
    found = p.derived.get("bigram_codes")
    if isinstance(found, _BigramCodes):
        return found
    n = len(p.tokens)
    if n < 2:
        empty = np.zeros(0, dtype=np.uint64)
        found = _BigramCodes(np.zeros(0, dtype=np.int64), empty, empty)
    else:
        weighed = p.weight_array > 0
        ok = weighed[:-1] & weighed[1:]
        breaks = np.asarray(p.break_list, dtype=np.int64)
        ok[breaks[(breaks >= 1) & (breaks < n)] - 1] = False  # a phrase never spans a break
        places = ok.nonzero()[0]
        ids = p.id_array
        codes = (ids[places] * _BIGRAM_MIX) ^ ids[places + 1]
        found = _BigramCodes(places, codes, sorted_unique(codes))
    p.derived["bigram_codes"] = found
    return found


Bigrams = dict[tuple[str, str], list[int]]


def _shared_bigrams(a: Prepared, b: Prepared) -> tuple[Bigrams, Bigrams]:
    """The two-word phrases of weighed words within a paragraph (their keys) that both texts
    hold, with their places in each, in text order.

    Only the places whose phrase code the other text also holds are read as words: a phrase
    both hold has the same code in both, so all its places are among them (codes two phrases
    share are told apart by their words).
    """
    ca, cb = _bigram_codes(a), _bigram_codes(b)
    # The codes both hold, sorted (`np.intersect1d` of two sorted sets, by binary search).
    shared = ca.distinct[in_sorted(ca.distinct, cb.distinct)]
    out: list[Bigrams] = []
    for p, c in ((a, ca), (b, cb)):
        keys = p.tokens.keys
        phrases: Bigrams = defaultdict(list)
        for i in c.places[in_sorted(c.codes, shared)].tolist():
            phrases[(keys[i], keys[i + 1])].append(i)
        out.append(phrases)
    both = out[0].keys() & out[1].keys()
    return {k: out[0][k] for k in both}, {k: out[1][k] for k in both}


def _distinctiveness(m: Match, a: Prepared, b: Prepared) -> float:
    """0-100: the shared words' rarity, discounted for words and phrases that recur inside
    either document (a topic term such as "real estate appraisal" recurs; an echo of another
    text's rhetoric does not). Both sides' words count alike ("attack in Nairobi" against
    "attacks in Nairobi"), so the value does not depend on which document is A."""
    i0, i1 = token_range(a.tokens, m.a.span)
    j0, j1 = token_range(b.tokens, m.b.span)
    count_a, count_b = a.key_counts, b.key_counts
    # Each side's weights and hashes from its arrays, a slice or one at a time: an indexed
    # source has no lists of them until read (`docdiff.corpus.derived`), and its echoes would
    # otherwise make them whole.
    weights_a = a.weight_array[i0:i1].tolist()
    weights_b = b.weight_array[j0:j1].tolist()
    total = _rarity(a.tokens.keys[i0:i1], weights_a, count_a, count_b)
    if weights_a != weights_b or a.tokens.keys[i0:i1] != b.tokens.keys[j0:j1]:
        total = (total + _rarity(b.tokens.keys[j0:j1], weights_b, count_b, count_a)) / 2
    hashes_a, hashes_b = a.hash_array, b.hash_array
    if i0 < len(hashes_a) and j0 < len(hashes_b):
        phrase = max(_occurrences(a, int(hashes_a[i0])), _occurrences(b, int(hashes_b[j0])))
        total /= max(1, phrase)
    return round(100.0 * (1.0 - math.exp(-total / 2.0)), 1)


def _rarity(
    keys: list[str], weights: list[float], counts: Mapping[str, int], other: Mapping[str, int]
) -> float:
    """The weight of the distinct words of a stretch (its `keys` and `weights`), each
    discounted by how often it recurs in either document."""
    seen: set[str] = set()
    total = 0.0
    for key, weight in zip(keys, weights, strict=True):
        if key in seen or weight <= 0:
            continue
        seen.add(key)
        recur = max(counts.get(key, 1), other.get(key, 1))
        total += weight / (1.0 + math.log(recur))
    return total


_LISTED_AFTER = 32
"""Searches in a document's sorted seeds made on the array before they are listed (a query's
document meets hundreds, a source a few dozen: listing thousands of hashes costs more)."""


def _occurrences(p: Prepared, h: int) -> int:
    """How many times the k-gram hash `h` starts in the document (from its sorted seeds: on
    the array for its first `_LISTED_AFTER` searches, then as a list kept per document, where
    a search costs no array call)."""
    hashes = p.derived.get("sorted_hashes")
    if isinstance(hashes, list):
        return bisect.bisect_right(hashes, h) - bisect.bisect_left(hashes, h)
    searched = p.derived.get("seed_searches", 0)
    assert isinstance(searched, int)
    if searched >= _LISTED_AFTER or not 0 <= h < (1 << 64) - 1:
        hashes = p.derived["sorted_hashes"] = p.seed_index.hashes.tolist()
        return bisect.bisect_right(hashes, h) - bisect.bisect_left(hashes, h)
    p.derived["seed_searches"] = searched + 1
    # (``h`` and ``h + 1`` are uint64: k-gram hashes have 63 bits, any other is listed above.)
    lo, hi = p.seed_index.hashes.searchsorted(np.array((h, h + 1), dtype=np.uint64)).tolist()
    return int(hi - lo)


def distinct_names(
    matches: list[Match], a: Prepared, kinds: Collection[Kind] = (Kind.NAME,)
) -> list[Match]:
    """Show each reused name once: later occurrences, and names inside a longer reused name,
    add nothing for a reader (they still count in the pair's coverage). With every kind in
    `kinds` (echoes), the same holds of any phrase: "Tropical Cyclone Pam" heard three times
    is one echo, the most distinctive of them, whatever kind each occurrence got."""
    kept: list[tuple[str, ...]] = []
    counts: dict[tuple[str, ...], int] = {}
    drop: set[int] = set()
    names = [m for m in matches if m.kind in kinds]
    order = sorted(
        names,
        key=lambda m: (-m.words, -(m.distinctiveness or 0.0), *_earliest(m)),
    )
    # The kept phrases as lines " k1 k2 ... " of one text, searched once per match: the
    # first line holding a phrase is the first kept phrase holding it (keys hold no white
    # space, so a phrase never runs across lines).
    text = ""
    firsts: list[int] = []  # where each kept phrase's line starts in `text`
    for m in order:
        i0, i1 = token_range(a.tokens, m.a.span)
        keys = tuple(a.tokens.keys[i0:i1])
        phrase = f" {' '.join(keys)} "
        at = text.find(phrase)
        if at < 0:
            firsts.append(len(text))
            text += phrase + "\n"
            kept.append(keys)
            counts[keys] = 1
        else:
            counts[kept[bisect.bisect_right(firsts, at) - 1]] += 1
            drop.add(id(m))
    out = []
    for m in matches:
        if id(m) in drop:
            continue
        n = 1
        if m.kind in kinds:
            i0, i1 = token_range(a.tokens, m.a.span)
            n = counts.get(tuple(a.tokens.keys[i0:i1]), 1)
        out.append(
            replace(m, reason=f"{m.reason}; reused {n} times in all (shown once)") if n > 1 else m
        )
    return out


def passage_words(options: Options, p: Prepared) -> int:
    """The shared words a passage of `p` needs (`Options.passage_words`), counted as the
    engine counts words there: in a text written without spaces a written word is a character
    (`_word_starts`), and a passage needs as many characters as its words would take
    (`CHARACTERS_A_WORD`): "应对气候变化" (tackle climate change) is a topic's phrase, an echo,
    as "tackle climate change" is."""
    return options.passage_words * _characters_a_word(p)


def _characters_a_word(p: Prepared) -> int:
    """The written words (tokens) that make a word of `p`'s language: `CHARACTERS_A_WORD` in
    a text written without spaces (`unspaced`), else 1."""
    return CHARACTERS_A_WORD if unspaced(p) else 1


def unspaced(p: Prepared) -> bool:
    """`p` is written without spaces between words (Chinese, Japanese: a token a character)."""
    return p.tokens.language() in UNSPACED_LANGUAGES


def is_echo(m: Match, words: int) -> bool:
    """Whether `m` is shorter than a passage of `words` words (`passage_words`) and neither
    a formula nor a paraphrase."""
    return m.kind not in (Kind.FORMULA, Kind.PARAPHRASE) and m.words < words


def keep_sliced(part: Prepared, p: Prepared, at: npt.NDArray[np.int64]) -> None:
    """Give `part`, a slice of `p` keeping the tokens at positions `at` in order
    (`docdiff.engine.windows`), `p`'s echo data: its stem arrays (derived once per document) at
    those positions, and the stems' counts in the whole document (an echo's stem is discounted
    by how often it recurs in the document, not in the slice)."""
    arrays = _stem_arrays(p)
    codes = arrays.codes[at]
    part.derived["stem_arrays"] = _StemArrays(
        codes, arrays.content[at], arrays.heavy[at], sorted_unique(codes)
    )
    part.derived["root_counts"] = _root_counts(p)
