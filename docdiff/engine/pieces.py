"""From shared seeds to pieces: align, extend the edges, join a section's pieces across edits,
split at unrelated gaps and paragraph breaks, and tidy the boundaries.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from docdiff.engine.align import (
    Op,
    Piece,
    align_chain_arrays,
    aligned_ops,
    chain_arrays,
    chain_touches,
    chain_weights,
    flush_ops,
    piece_of,
    run_arrays,
    select_candidates,
    shared_seeds,
)
from docdiff.engine.classify import MIN_PASSAGE_WEIGHT
from docdiff.engine.lexicon import FormulaHit
from docdiff.engine.prepare import DocFreq, Prepared
from docdiff.options import Options
from docdiff.text.tokens import is_stopword


def align_pieces(
    a: Prepared,
    b: Prepared,
    options: Options,
    doc_freq: DocFreq | None,
    hits_a: Sequence[FormulaHit] = (),
    hits_b: Sequence[FormulaHit] = (),
    seed_mask: npt.NDArray[np.bool_] | None = None,
) -> list[Piece]:
    if not len(a.hash_array) or not len(b.hash_array):  # (the lists may not be made yet)
        return []
    seedable = a.seedable(doc_freq) if seed_mask is None else seed_mask
    seeds_a, seeds_b = shared_seeds(
        a.hash_array, seedable, b.seed_index, a_index=a.seed_index if a.kept else None
    )
    runs = run_arrays(a.ids, b.ids, seeds_a, seeds_b, a.k, a_array=a.id_array, b_array=b.id_array)
    chains = chain_arrays(runs, options.max_gap)
    if doc_freq is None:
        # A chain of common words that touches no formula instance can only be dropped later
        # (too light to report): drop it before the costlier steps.
        fa = _formula_mask(len(a.tokens), hits_a)
        fb = _formula_mask(len(b.tokens), hits_b)
        weights = chain_weights(chains, runs, a.weights, a.weight_array)
        heavy = np.asarray(weights) >= MIN_PASSAGE_WEIGHT
        chains = chains.kept(heavy | chain_touches(chains, runs, fa, fb))
    candidates = align_chain_arrays(chains, runs, a.ids, b.ids, options.max_gap)
    # One counterpart per occurrence, then the pieces of one reused section joined into one
    # passage; the size threshold applies to the joined passage.
    words = options.passage_words
    candidates = candidates.split(lambda p: _split_unrelated(p, a, b, words))
    kept = select_candidates(candidates, a.weights, a.weight_array)
    pieces = _join_pieces(kept, a, b, options.max_gap, words)
    pieces = _extend_edges(pieces, a, b)
    # Too short to report whatever happens next (formula instances are paired separately).
    pieces = [p for p in pieces if p.equal >= options.min_words]
    cuts_a = _Cuts(a.break_list, hits_a)
    cuts_b = _Cuts(b.break_list, hits_b)
    pieces = [q for n, p in enumerate(pieces) for q in _split_at_paragraphs(p, cuts_a, cuts_b, n)]
    return [_tidy(p, a, b) for p in pieces if not _a_marker(p, a, b)]


def _a_marker(piece: Piece, a: Prepared, b: Prepared) -> bool:
    """A part of one word, a number opening its line: the next note's or paragraph's number
    that an alignment ran on to across a paragraph break ("[NAA: A6706, 61]" then "1 Document
    290." beside "1 Lee Kuan Yew replied …"), which joined again to the part before it would
    end that passage on "] 1"."""
    if piece.a1 - piece.a0 != 1 or piece.b1 - piece.b0 != 1:
        return False
    return a.tokens.keys[piece.a0].isdigit() and (
        _opens_line(a, piece.a0) or _opens_line(b, piece.b0)
    )


_JOIN_REACH = 30
"""The widest edit (in words, on the longer side) that joins two pieces of one section."""


JOIN_LOOKBACK = 12
"""How many open sections a piece may join (the most recent ones in A's order)."""


_GAP_LIKENESS = 0.5
"""Two gaps wider than `max_gap` on both sides join only when their words are this alike."""


_UNRELATED_GAP = 3
"""A gap of this many words on both sides, unlike, between short stretches, separates them."""


def _unrelated(
    a: Prepared, b: Prepared, gap: tuple[int, int, int, int], left: int, right: int, words: int
) -> bool:
    """True for a gap of `_UNRELATED_GAP` or more different words on both sides between two
    stretches of which one is shorter than a passage: repeats of a short term with unrelated
    text between them ("real estate appraisal rules changed. Every real estate appraisal"),
    not one edited section."""
    from rapidfuzz.distance import Indel

    i0, i1, j0, j1 = gap
    if min(i1 - i0, j1 - j0) < _UNRELATED_GAP or min(left, right) >= words:
        return False
    # The likeness is 2 * LCS / (both lengths), so at most 2 * shorter / (both lengths): sides
    # of very different lengths (far apart pieces) are unlike without comparing their words.
    if 2 * min(i1 - i0, j1 - j0) < _GAP_LIKENESS * (i1 - i0 + j1 - j0):
        return True
    alike = Indel.normalized_similarity(
        a.ids[i0:i1], b.ids[j0:j1], processor=None, score_cutoff=_GAP_LIKENESS
    )
    return alike < _GAP_LIKENESS


def _gap_likeness(xs: Sequence[int], ys: Sequence[int]) -> float:
    """How alike the two sides of a gap are: their Indel similarity, or the share of the
    shorter side's words found in the longer one (a clause inserted beside substitutions)."""
    from rapidfuzz.distance import Indel

    short, long = (xs, ys) if len(xs) <= len(ys) else (ys, xs)
    pool = Counter(long)
    found = 0
    for t in short:
        if pool[t] > 0:
            pool[t] -= 1
            found += 1
    contained = found / len(short) if short else 0.0
    if contained >= _GAP_LIKENESS or 2 * len(short) < _GAP_LIKENESS * (len(xs) + len(ys)):
        # Callers compare the likeness with `_GAP_LIKENESS` only; the Indel similarity is at
        # most 2 * shorter / (both lengths), so sides of very different lengths (far apart
        # pieces) need no word-by-word comparison.
        return contained
    return max(
        Indel.normalized_similarity(xs, ys, processor=None, score_cutoff=_GAP_LIKENESS), contained
    )


def _split_unrelated(piece: Piece, a: Prepared, b: Prepared, words: int) -> list[Piece]:
    """Cut a chain at the gaps `_unrelated` finds (the chain stage bridges any small gap)."""
    segments: list[list[Op]] = [[]]
    gaps: list[Op] = []
    for op in piece.ops:
        tag, i1, i2, j1, j2 = op
        if tag != "equal" and min(i2 - i1, j2 - j1) >= _UNRELATED_GAP:
            gaps.append(op)
            segments.append([])
        else:
            segments[-1].append(op)
    if not gaps:
        return [piece]

    def size(seg: list[Op]) -> int:
        return sum(op.i2 - op.i1 for op in seg if op.tag == "equal")

    out: list[Piece] = []
    current = list(segments[0])
    for gap, seg in zip(gaps, segments[1:], strict=True):
        tag, i1, i2, j1, j2 = gap
        if _unrelated(a, b, (i1, i2, j1, j2), size(current), size(seg), words):
            flush_ops(current, out)
            current = list(seg)
        else:
            current += [gap, *seg]
    flush_ops(current, out)
    return out


_EXTEND_STEPS = 8
"""How many edits an edge extension may step over at each end of a passage."""


_EXTEND_SKIPS = ((1, 1), (1, 0), (0, 1), (2, 2), (2, 1), (1, 2))
"""The edits an edge extension steps over: a word substituted, deleted or inserted, two."""


def _extend_edges(pieces: list[Piece], a: Prepared, b: Prepared) -> list[Piece]:
    """Grow each passage over the edits at its edges, where seeds could not reach (a stretch
    of common words after a substituted word): one to two words skipped on each side, then at
    least two equal words with some weight, never into another passage."""
    cover_a = bytearray(len(a.ids))
    cover_b = bytearray(len(b.ids))
    for p in pieces:
        cover_a[p.a0 : p.a1] = b"\x01" * (p.a1 - p.a0)
        cover_b[p.b0 : p.b1] = b"\x01" * (p.b1 - p.b0)
    out = []
    for p in pieces:
        ops = list(p.ops)
        for _ in range(_EXTEND_STEPS):
            step = _edge_step(ops[0].i1, ops[0].j1, a, b, cover_a, cover_b, back=True)
            if step is None:
                break
            ops[:0] = step
        for _ in range(_EXTEND_STEPS):
            step = _edge_step(ops[-1].i2, ops[-1].j2, a, b, cover_a, cover_b, back=False)
            if step is None:
                break
            ops.extend(step)
        q = p if len(ops) == len(p.ops) else piece_of(ops, p.origin)
        cover_a[q.a0 : q.a1] = b"\x01" * (q.a1 - q.a0)
        cover_b[q.b0 : q.b1] = b"\x01" * (q.b1 - q.b0)
        out.append(q)
    return out


def _edge_step(
    i: int, j: int, a: Prepared, b: Prepared, cover_a: bytearray, cover_b: bytearray, *, back: bool
) -> list[Op] | None:
    ids_a, ids_b = a.ids, b.ids
    na, nb = len(ids_a), len(ids_b)
    for sa, sb in _EXTEND_SKIPS:
        if back:
            i1, j1 = i - sa, j - sb
            # Most edges meet no equal word past the edit (then `n` would stay 0): skipped
            # at once.
            if not (i1 > 0 and j1 > 0 and ids_a[i1 - 1] == ids_b[j1 - 1]):
                continue
            n = 0
            while i1 - n > 0 and j1 - n > 0 and ids_a[i1 - n - 1] == ids_b[j1 - n - 1]:
                if cover_a[i1 - n - 1] or cover_b[j1 - n - 1]:
                    break
                n += 1
            if (
                n < 2
                or sum(a.weights[i1 - n : i1]) <= 0
                or any(cover_a[i1:i])
                or any(cover_b[j1:j])
            ):
                continue
            tag = "replace" if sa and sb else ("delete" if sa else "insert")
            return [Op("equal", i1 - n, i1, j1 - n, j1), Op(tag, i1, i, j1, j)]
        i1, j1 = i + sa, j + sb
        if not (i1 < na and j1 < nb and ids_a[i1] == ids_b[j1]):
            continue
        n = 0
        while i1 + n < na and j1 + n < nb and ids_a[i1 + n] == ids_b[j1 + n]:
            if cover_a[i1 + n] or cover_b[j1 + n]:
                break
            n += 1
        if n < 2 or sum(a.weights[i1 : i1 + n]) <= 0 or any(cover_a[i:i1]) or any(cover_b[j:j1]):
            continue
        tag = "replace" if sa and sb else ("delete" if sa else "insert")
        return [Op(tag, i, i1, j, j1), Op("equal", i1, i1 + n, j1, j1 + n)]
    return None


def _join_pieces(
    pieces: Sequence[Piece], a: Prepared, b: Prepared, max_gap: int, words: int
) -> list[Piece]:
    """Join the pieces of one reused section: same order on both sides, small gaps between.

    Two pieces join when the second follows the first in both documents and the gap between
    them is an edit: no wider than half the larger side's shared words (at most `_JOIN_REACH`)
    and, on its narrower side, within `max_gap` or a quarter of the larger side; an insertion
    on one side only (a clause, a paragraph break; the other side within `max_gap`) may be as
    wide as the larger side's shared words; or, up to twice `max_gap`, the two sides of the gap
    are alike (words substituted among shared ones). A replaced paragraph, a
    moved section or two reuses with unrelated text between them stay apart. The gap's edits
    become ops of the joined passage.
    """

    groups: list[list[Piece]] = []
    sizes: list[int] = []
    # Wider than any limit below (``limit`` <= max(max_gap, _JOIN_REACH)), before or after a
    # trim (which only widens a gap): never joined. Tested first: most groups looked back at
    # are far behind.
    reach = max(_JOIN_REACH, 2 * max_gap)
    for q in sorted(pieces, key=lambda p: (p.a0, p.b0)):
        best = -1
        best_gap = 0
        for g in range(len(groups) - 1, max(-1, len(groups) - 1 - JOIN_LOOKBACK), -1):
            last = groups[g][-1]
            gap_a, gap_b = q.a0 - last.a1, q.b0 - last.b1
            if gap_a > reach or gap_b > reach:
                continue
            if min(gap_a, gap_b) < -_JOIN_OVERLAP or q.a1 <= last.a1 or q.b1 <= last.b1:
                continue
            if min(gap_a, gap_b) < 0:
                # A word both pieces claim (a repeated "a" around an insertion): the second
                # piece gives it up.
                trimmed = _trim_front(q, -min(gap_a, gap_b))
                if trimmed is None:
                    continue
                gap_a, gap_b = trimmed.a0 - last.a1, trimmed.b0 - last.b1
            wide, narrow = max(gap_a, gap_b), min(gap_a, gap_b)
            if wide > reach:
                continue  # (widened by the trim: see `reach`)
            like = (
                _gap_likeness(a.ids[last.a1 : q.a0], b.ids[last.b1 : q.b0]) if narrow > 0 else 0.0
            )
            if narrow >= _UNRELATED_GAP and min(sizes[g], q.equal) < words and like < _GAP_LIKENESS:
                continue  # a short term repeated with unrelated text between (see _unrelated)
            limit = max(max_gap, min(_JOIN_REACH, max(sizes[g], q.equal) // 2))
            if narrow <= max_gap or like >= _GAP_LIKENESS:
                # Words inserted on one side only (a clause, with an edit or two beside it,
                # or the narrow side's words found among the wide side's): as wide as the
                # larger side's shared words.
                limit = max(limit, min(_JOIN_REACH, max(sizes[g], q.equal)))
            plain = wide <= limit and narrow <= max(max_gap, limit // 2)
            if not plain and (wide > max(limit, 2 * max_gap) or narrow == 0):
                continue
            if not plain and (like < _GAP_LIKENESS or max(sizes[g], q.equal) < words):
                continue  # two short terms are not joined over a wide gap, alike or not
            if best < 0 or gap_a + gap_b < best_gap:
                best, best_gap = g, gap_a + gap_b
        if best < 0:
            groups.append([q])
            sizes.append(q.equal)
        else:
            last = groups[best][-1]
            overlap = max(last.a1 - q.a0, last.b1 - q.b0, 0)
            joined = _trim_front(q, overlap) if overlap else q
            assert joined is not None
            groups[best].append(joined)
            sizes[best] += joined.equal
    return [group[0] if len(group) == 1 else _joined_piece(group, a, b) for group in groups]


_JOIN_OVERLAP = 2
"""How many words two pieces of one section may both claim (the second one gives them up)."""


def _trim_front(piece: Piece, n: int) -> Piece | None:
    """The piece without its first `n` words on both sides (None when that leaves nothing)."""
    tag, i1, i2, j1, j2 = piece.ops[0]
    if tag != "equal" or i2 - i1 <= n:
        return None
    ops = [Op("equal", i1 + n, i2, j1 + n, j2), *piece.ops[1:]]
    return piece_of(ops, piece.origin)


def _joined_piece(group: list[Piece], a: Prepared, b: Prepared) -> Piece:
    ops: list[Op] = list(group[0].ops)
    for prev, nxt in itertools.pairwise(group):
        i0, i1, j0, j1 = prev.a1, nxt.a0, prev.b1, nxt.b0
        if i1 > i0 or j1 > j0:
            ops.extend(aligned_ops(a.ids[i0:i1], b.ids[j0:j1], i0, j0))
        ops.extend(nxt.ops)
    return piece_of(ops)


def _formula_mask(n: int, hits: Sequence[FormulaHit]) -> npt.NDArray[np.bool_]:
    mask = np.zeros(n, dtype=bool)
    for h in hits:
        mask[h.start : h.end] = True
    return mask


class _Cuts:
    """Token indices where a passage is cut for classification: paragraph starts and the
    edges of formula instances (a formula and the rhetoric after it are different kinds)."""

    def __init__(self, breaks: Sequence[int], hits: Sequence[FormulaHit]) -> None:
        points = set(breaks)
        for h in hits:
            points.add(h.start)
            points.add(h.end)
        self.sorted = sorted(points)
        self.set = frozenset(points)

    def inside(self, i0: int, i1: int) -> bool:
        """True when a cut falls strictly inside tokens ``[i0, i1)``."""
        k = bisect.bisect_right(self.sorted, i0)
        return k < len(self.sorted) and self.sorted[k] < i1


def _split_at_paragraphs(piece: Piece, a: _Cuts, b: _Cuts, origin: int) -> list[Piece]:
    """Cut a passage at every paragraph break and formula edge it crosses.

    A letterhead block and the sentence after it, or a closing formula and the signature
    below it, are different things even when both are reused; the parts of an identical
    stretch are joined again after classification when they get the same kind.
    """
    out: list[Piece] = []
    current: list[Op] = []

    if not (a.inside(piece.a0, piece.a1) or b.inside(piece.b0, piece.b1)):
        return [Piece(piece.a0, piece.a1, piece.b0, piece.b1, piece.ops, piece.equal, origin)]

    def breaks(cuts: _Cuts, t: int) -> bool:
        return t in cuts.set

    def flush() -> None:
        while current and current[-1].tag != "equal":
            current.pop()
        if current:
            out.append(piece_of(current, origin))
        current.clear()

    for op in piece.ops:
        tag, i1, i2, j1, j2 = op
        if tag != "equal":
            if current and (breaks(a, i1) or breaks(a, i2) or breaks(b, j1) or breaks(b, j2)):
                flush()
                continue
            if current:
                current.append(op)
            continue
        start = i1
        for t in range(i1 + 1, i2):
            if breaks(a, t) or breaks(b, j1 + (t - i1)):
                current.append(Op("equal", start, t, j1 + (start - i1), j1 + (t - i1)))
                flush()
                start = t
        current.append(Op("equal", start, i2, j1 + (start - i1), j2))
    flush()
    return out


_CONJUNCTIONS = frozenset({"and", "or", "nor", "et", "ou", "y", "o", "dan", "atau"})


def _tidy(piece: Piece, a: Prepared, b: Prepared) -> Piece:
    """Trim function words off a passage's edges; finish a phrase left dangling on "and"."""
    keys = a.tokens.keys
    ops: list[Op] = _uncut(list(piece.ops), a, b)

    def equal_count() -> int:
        return sum(op.i2 - op.i1 for op in ops if op.tag == "equal")

    # Leading function words ("of the Democratic People's Republic ..."), unless they open a
    # sentence in both documents ("The people of Examplia have chosen ...").
    while (
        ops
        and ops[0].tag == "equal"
        and is_stopword(keys[ops[0].i1])
        and equal_count() > 2
        and not (_opens_sentence(a, ops[0].i1) and _opens_sentence(b, ops[0].j1))
    ):
        _drop_first_word(ops)
    if not ops:
        return piece
    tag, _, i2, _, j2 = ops[-1]
    if tag == "equal" and is_stopword(keys[i2 - 1]):
        dangling = a.tokens.forms[i2 - 1] in _CONJUNCTIONS
        ext_a = _phrase_tail(a, i2) if dangling else 0
        ext_b = _phrase_tail(b, j2) if dangling else 0
        if ext_a and ext_b:
            # "impartiality, objectivity and [equity]" / "... and [strict neutrality]".
            ops.append(Op("replace", i2, i2 + ext_a, j2, j2 + ext_b))
        else:
            # Unless they close a sentence in both documents ("... but the code counted
            # poorly and did so.").
            while (
                ops
                and ops[-1].tag == "equal"
                and is_stopword(keys[ops[-1].i2 - 1])
                and not (
                    _closes_sentence(a, ops[-1].i2 - 1) and _closes_sentence(b, ops[-1].j2 - 1)
                )
            ):
                if equal_count() <= 2:
                    break
                _drop_last_word(ops)
    # Nor does it end on the number that opens the next line (a note's: "… Document 53." then
    # "* 14"), which `_a_marker` drops when a paragraph break cut it off alone (`line_number`,
    # as a scan's anchored passages have it).
    while (
        ops
        and ops[-1].tag == "equal"
        and (_line_number(a, ops[-1].i2 - 1) or _line_number(b, ops[-1].j2 - 1))
        and equal_count() > 2
    ):
        _drop_last_word(ops)
    if not ops:
        return piece
    return Piece(
        ops[0].i1, ops[-1].i2, ops[0].j1, ops[-1].j2, tuple(ops), equal_count(), piece.origin
    )


def _uncut(ops: list[Op], a: Prepared, b: Prepared) -> list[Op]:
    """`ops` without the words cut out of a compound on either side at either edge ("… on his
    re" of "re-election" beside "re-appointment"): no shared word, but a part of two. Nor
    does a passage open or close on a mark alone in its brackets (`enclosed_mark`): "… from
    Naval Attache. [2" and "2] was present …" (DFAT volume 4) were cut inside a note's call,
    "1) Sovereignty throughout the Netherlands Indies …" inside a list's marker."""

    def equal() -> int:
        return sum(op.i2 - op.i1 for op in ops if op.tag == "equal")

    # (The edge's tests first: most edges cut nothing, and `equal` reads every op.)
    while (
        ops
        and ops[-1].tag == "equal"
        and (_cut_after(a, ops[-1].i2 - 1) or _cut_after(b, ops[-1].j2 - 1))
        and equal() > 2
    ):
        _drop_last_word(ops)
    while (
        ops
        and ops[0].tag == "equal"
        and (_cut_before(a, ops[0].i1) or _cut_before(b, ops[0].j1))
        and equal() > 2
    ):
        _drop_first_word(ops)
    return ops


def _cut_after(p: Prepared, i: int) -> bool:
    return cut_after(p.doc.text, p.tokens.starts[i], p.tokens.ends[i])


def _cut_before(p: Prepared, i: int) -> bool:
    return cut_before(p.doc.text, p.tokens.starts[i], p.tokens.ends[i])


def _line_number(p: Prepared, i: int) -> bool:
    return line_number(p.doc.text, p.tokens.starts[i], p.tokens.ends[i])


def _drop_first_word(ops: list[Op]) -> None:
    """Take the first word off the opening equal op (the op and the changes after it when
    that was its last word)."""
    tag, i1, i2, j1, j2 = ops[0]
    if i2 - i1 > 1:
        ops[0] = Op(tag, i1 + 1, i2, j1 + 1, j2)
        return
    ops.pop(0)
    while ops and ops[0].tag != "equal":
        ops.pop(0)


def _drop_last_word(ops: list[Op]) -> None:
    """Take the last word off the closing equal op (the op and the changes before it when
    that was its last word)."""
    tag, i1, i2, j1, j2 = ops[-1]
    if i2 - i1 > 1:
        ops[-1] = Op(tag, i1, i2 - 1, j1, j2 - 1)
        return
    ops.pop()
    while ops and ops[-1].tag != "equal":
        ops.pop()


_HYPHENS = "-\u2010\u2011"


def glued_after(text: str, end: int) -> bool:
    """The word ending at character `end` is glued to a word after it: by a hyphen ("re" of
    "re-election"), a slash ("63" of "resolution 63/281", "node" of "nodejs/node/pull") or,
    between figures, a full stop ("18" of "v18.0.0")."""
    if end >= 1 and _glue(text[end - 1 : end], text[end : end + 1], text[end + 1 : end + 2]):
        return True
    return _inside_link(text, end)


def glued_before(text: str, start: int) -> bool:
    """The word starting at character `start` is glued to a word before it, as `glued_after`
    reads glue ("election" of "re-election", "281" of "63/281", "0" of "v18.0.0")."""
    if start >= 2 and _glue(text[start - 2], text[start - 1], text[start : start + 1]):
        return True
    return _inside_link(text, start)


def _inside_link(text: str, at: int) -> bool:
    """Whether character `at` of `text` lies strictly inside a web address: a passage cut
    there would show "https://github" of "https://github.com/nodejs/node/pull/41678"."""
    if at <= 0 or at >= len(text) or text[at - 1].isspace() or text[at].isspace():
        return False
    lo = max(0, at - _LINK_REACH)
    start = max(text.rfind(c, lo, at) for c in " \n\t") + 1
    found = _LINK.search(text, max(start, lo), at + len("https://"))
    if found is None or found.start() >= at:
        return False
    end = _LINK_END.match(text, at, at + _LINK_REACH)  # (a line of megabytes is read no further)
    tail = end.group().rstrip(_LINK_TRAILING) if end else ""
    return bool(tail)


_LINK = re.compile(r"(?:https?|ftp)://|www\.", re.IGNORECASE)
"""Where a web address begins."""
_LINK_END = re.compile(r"[^\s<>`\"{}|\\^]+")
"""The rest of a web address: the characters an address may hold (no space, and none of the
marks that stand around one: "<https://…>`_" of reStructuredText, "\"https://…\"")."""
_LINK_TRAILING = ".,;:!?)]}>'\"\u201d\u2019"
"""Marks after a web address that close the sentence or brackets around it, not the address."""
_LINK_REACH = 300
"""How far back a web address's beginning is looked for."""


def _glue(before: str, mark: str, after: str) -> bool:
    """Whether `mark` between the characters `before` and `after` makes one word of them."""
    if mark in _HYPHENS or mark == "/":
        return before.isalnum() and after.isalnum()
    return mark == "." and before.isdigit() and after.isdigit()


def enclosed_mark(text: str, start: int, end: int) -> bool:
    """The word at `start`:`end` of `text` is a mark alone in its brackets: the number of a
    note's call ("[2]") or a list's marker ("(1)", "(b)", "(iv)")."""
    before, after, word = text[start - 1 : start], text[end : end + 1], text[start:end]
    if before == "[" and after == "]":
        return word.isdigit()
    return before == "(" and after == ")" and _LIST_MARK.fullmatch(word) is not None


_LIST_MARK = re.compile(r"\d{1,3}|[^\W\d_]|[ivx]{2,4}")
"""A list's marker in parentheses: a number, a letter, a roman numeral ("(12)", "(b)", "(iv)";
not an abbreviation, "(UN)", "(DPR)")."""


def line_number(text: str, start: int, end: int) -> bool:
    """The word at `start`:`end` of `text` is a number opening its line (the next note's: "…
    Secretary to the Cabinet.\n\n2 Sir Henry Gullett, …"), emphasis marks aside ("_1")."""
    if not text[start:end].isdigit():
        return False
    line = text.rfind("\n", 0, start)
    return line >= 0 and not text[line + 1 : start].strip(" \t_*")


def cut_after(text: str, start: int, end: int) -> bool:
    """A passage closing on the word at `start`:`end` cuts a compound ("re" of
    "re-election"), a note's call ("[2") or a list's marker ("… and (c") in two."""
    return glued_after(text, end) or enclosed_mark(text, start, end)


def cut_before(text: str, start: int, end: int) -> bool:
    """A passage opening on the word at `start`:`end` cuts a compound ("election" of
    "re-election"), a note's call ("2]") or a list's marker ("1) Sovereignty …") in two."""
    return glued_before(text, start) or enclosed_mark(text, start, end)


def _compound_goes_on(p: Prepared, i: int) -> bool:
    """Token `i` is glued by a hyphen to a word after it ("re" of "re-election")."""
    return glued_after(p.doc.text, p.tokens.ends[i])


def _opens_line(p: Prepared, i: int) -> bool:
    """Token `i` of `p` is the first on its line."""
    t = p.tokens
    return i > 0 and "\n" in p.doc.text[t.ends[i - 1] : t.starts[i]]


def _opens_sentence(p: Prepared, i: int) -> bool:
    t = p.tokens
    return bool(t.forms[i]) and opens_sentence(p.doc.text, t.starts[i])


def opens_sentence(text: str, start: int) -> bool:
    """Whether the word at character `start` of `text` opens a sentence (capitalised, after a
    sentence's end, a line break or an opening quotation mark: a single one too, "'His
    Majesty's Government …'", where no letter stands before it; or after a list's marker
    opening its line, "* The use of …", "(b) The Government …")."""
    if not text[start].isupper():
        return False
    before = text[max(0, start - 3) : start].rstrip(" \t")
    if before.endswith(("'", "\u2018")):
        before = before[:-1].rstrip(" \t")
        return not before or not before[-1].isalnum()
    if not before or before.endswith(("\n", ".", "!", "?", ":", ";", "\u201c", '"')):
        return True
    line = text.rfind("\n", 0, start) + 1
    return start - line <= _MARKER_ROOM and _LINE_MARKER.fullmatch(text[line:start]) is not None


_MARKER_ROOM = 12
_LINE_MARKER = re.compile(
    rf"[ \t]*(?:(?:[*\-+\u2022\u2013\u2014\u00b7]|\(?(?:{_LIST_MARK.pattern})\))[ \t]+"
    r"|#{1,6}[ \t]+|>[ \t]*)?[*_]{0,3}"
)
"""Markup opening a line, before its first word: a list's marker (a bullet, "*", "-", "•",
"–", or a marker in brackets, `_LIST_MARK`: "(b)", "2)", "(iv)"), a heading's or a quoted
block's ("## ", "> "), then marks of emphasis ("**To wait until a volume is available**")."""


def closes_sentence(text: str, end: int) -> bool:
    """Whether the word ending at character `end` of `text` closes a sentence: a full stop,
    a question or an exclamation mark follows it (closing quotation marks and brackets aside),
    not a word's inner stop ("i.e.") nor an abbreviation's before a number or a lower-case
    word ("as No. 12", "as no. 12")."""
    rest = text[end : end + 8].lstrip("\"'\u201d\u2019)]")
    if not rest or rest[0] not in ".!?":
        return False
    after = rest[1:].lstrip(" \t")[:1]
    return not after or not (
        after.isdigit() or after.islower() or (after.isalnum() and rest[1] == after)
    )


def _closes_sentence(p: Prepared, i: int) -> bool:
    return closes_sentence(p.doc.text, p.tokens.ends[i])


def _phrase_tail(p: Prepared, i: int, limit: int = 3) -> int:
    """How many content words continue the phrase at token `i` (up to punctuation; a compound
    whole: "re-election")."""
    t = p.tokens
    n = 0
    while n < limit and i + n < len(t):
        k = i + n
        gap = p.doc.text[t.ends[k - 1] : t.starts[k]] if k > 0 else ""
        if gap.strip() or is_stopword(t.keys[k]):
            break
        n += 1
    while i + n < len(t) and n and _compound_goes_on(p, i + n - 1):
        n += 1
    return n
