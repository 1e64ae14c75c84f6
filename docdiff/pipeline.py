"""The compare pipeline: tokenize, seed, align, paraphrase, classify, score.

``compare(a, b)`` is the pure core every outer layer calls. ``prepare`` and
``compare_prepared`` let corpus scans tokenize each document once and compare it with many.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from docdiff.align import (
    Piece,
    SeedIndex,
    align_chains,
    chain_runs,
    find_runs,
    seed_index,
    select_pieces,
    shared_seeds,
)
from docdiff.background import word_weight
from docdiff.classify import inside_quotes, name_evidence
from docdiff.lexicon import FormulaHit, Lexicon
from docdiff.model import (
    AlignOp,
    Document,
    Kind,
    Match,
    OpTag,
    PairResult,
    PairSummary,
    Passage,
    Report,
    Span,
)
from docdiff.options import Options
from docdiff.seeds import kgram_hash_array, token_hash
from docdiff.tokens import Tokens, is_stopword, root_stem, tokenize

if TYPE_CHECKING:
    from docdiff.paraphrase import UnitIndex

__all__ = [
    "DocFreq",
    "Prepared",
    "compare",
    "compare_prepared",
    "load_lexicon",
    "prepare",
    "summarise",
]

DocFreq = Callable[[int], float]
"""Share (0..1) of corpus documents that contain a k-gram hash."""

_SEED_WEIGHT = 1.0
"""A k-gram seeds a match only if its words weigh this much (one rare word will do)."""
_MIN_PASSAGE_WEIGHT = 1.5
"""A phrasing passage needs this much rare vocabulary, so that no passage is only stopwords."""
_COMMON_KGRAM = 0.5
"""A k-gram found in more than this share of the corpus never seeds a match on its own."""
_FORMULA_KGRAM = 0.2
"""A passage whose k-grams mostly recur in this share of the corpus is a formula."""


@dataclass(slots=True)
class Prepared:
    """A document tokenized and hashed once, ready to be compared with many others."""

    doc: Document
    tokens: Tokens
    k: int
    ids: list[int]
    hashes: list[int]
    weights: list[float]
    _positions: dict[int, list[int]] | None = None
    _roots: list[str] | None = None
    _sentences: list[tuple[int, int]] | None = None
    _paragraphs: list[int] | None = None
    _breaks: list[int] | None = None
    _formulae: dict[int, list[FormulaHit]] = field(default_factory=dict)
    _unit_indexes: dict[int, UnitIndex] = field(default_factory=dict)
    kept: bool = False
    """Compared with many others (a scan's or a query's source): keep derived data that pays
    off across comparisons, such as its paraphrase units (`unit_index`)."""
    _id_array: npt.NDArray[np.uint64] | None = None
    _hash_array: npt.NDArray[np.uint64] | None = None
    _seed_index: SeedIndex | None = None
    _seedable: npt.NDArray[np.bool_] | None = None

    @property
    def id_array(self) -> npt.NDArray[np.uint64]:
        """The token ids as an array (built on first use)."""
        if self._id_array is None:
            self._id_array = np.asarray(self.ids, dtype=np.uint64)
        return self._id_array

    @property
    def hash_array(self) -> npt.NDArray[np.uint64]:
        """The k-gram hashes as an array (built on first use)."""
        if self._hash_array is None:
            self._hash_array = np.asarray(self.hashes, dtype=np.uint64)
        return self._hash_array

    @property
    def seed_index(self) -> SeedIndex:
        """The k-gram hashes sorted for finding shared seeds (built on first use)."""
        if self._seed_index is None:
            self._seed_index = seed_index(self.hash_array)
        return self._seed_index

    def seedable(
        self, doc_freq: DocFreq | None = None, *, shares: npt.NDArray[np.float64] | None = None
    ) -> npt.NDArray[np.bool_]:
        """Which k-grams may seed a match: rare words enough, and not common in the corpus.

        The corpus share of each k-gram comes from `doc_freq`, or in bulk from `shares` (one
        per position). Without a corpus the answer depends on the document alone and is kept.
        """
        if doc_freq is None and shares is None and self._seedable is not None:
            return self._seedable
        mask = _seedable(self, doc_freq, shares)
        if doc_freq is None and shares is None:
            self._seedable = mask
        return mask

    @property
    def positions(self) -> dict[int, list[int]]:
        """Start positions of every k-gram hash (built on first use)."""
        if self._positions is None:
            pos: dict[int, list[int]] = defaultdict(list)
            for i, h in enumerate(self.hashes):
                pos[h].append(i)
            self._positions = dict(pos)
        return self._positions

    @property
    def roots(self) -> list[str]:
        """Coarse derivational stems of the tokens, for paraphrase (built on first use)."""
        if self._roots is None:
            self._roots = [root_stem(key) for key in self.tokens.keys]
        return self._roots

    @property
    def sentences(self) -> list[tuple[int, int]]:
        """Token ranges of the sentences (long ones cut into pieces), built on first use."""
        if self._sentences is None:
            self._sentences, self._paragraphs = split_sentences(self.doc.text, self.tokens)
        return self._sentences

    @property
    def break_list(self) -> list[int]:
        """Sorted indices of the tokens that open a new paragraph (after a blank line)."""
        if self._breaks is None:
            starts = self.tokens.starts
            self._breaks = sorted(
                {
                    bisect.bisect_left(starts, m.end())
                    for m in _PARAGRAPH_BREAK.finditer(self.doc.text)
                }
            )
        return self._breaks

    @property
    def paragraphs(self) -> list[int]:
        """The paragraph number of each sentence."""
        if self._paragraphs is None:
            self._sentences, self._paragraphs = split_sentences(self.doc.text, self.tokens)
        return self._paragraphs

    def formula_hits(self, lexicon: Lexicon) -> list[FormulaHit]:
        """Lexicon instances in this document (cached per lexicon)."""
        key = id(lexicon)
        hits = self._formulae.get(key)
        if hits is None:
            hits = [self._close_open_end(h) for h in lexicon.find(self.tokens.keys)]
            self._formulae[key] = hits
        return hits

    def unit_index(self, lexicon: Lexicon) -> UnitIndex:
        """Sentence units as stem vectors for paraphrase, formula instances left out (cached
        per lexicon): each comparison then recomputes only the units its matches touch."""
        from docdiff.paraphrase import unit_index

        key = id(lexicon)
        index = self._unit_indexes.get(key)
        if index is None:
            covered = [False] * len(self.tokens)
            for h in self.formula_hits(lexicon):
                covered[h.start : h.end] = [True] * (h.end - h.start)
            index = unit_index(self.roots, covered, word_weight, self.sentences, self.paragraphs)
            self._unit_indexes[key] = index
        return index

    def _close_open_end(self, hit: FormulaHit) -> FormulaHit:
        # A template ending in a slot ("... circulated as a document of {…}") matches its
        # slot's first word only; the instance really runs to the end of the clause.
        if not hit.template.open_end:
            return hit
        t, text = self.tokens, self.doc.text
        end = hit.end
        limit = min(len(t), hit.start + (hit.end - hit.start) + 16)
        while end < limit and not _CLAUSE_END.search(text, t.ends[end - 1], t.starts[end]):
            end += 1
        return FormulaHit(hit.template, hit.start, end)


def prepare(doc: Document, k: int = 3, *, tokens: Tokens | None = None) -> Prepared:
    """Tokenize and hash `doc` for comparisons with seeds of `k` words.

    `tokens`, when given, are the document's tokens already made (from an index's token
    arrays, say), so the text is not tokenized again.
    """
    tokens = tokens if tokens is not None else tokenize(doc.text)
    keys = tokens.keys
    # Hash and weigh each distinct key once; most words recur.
    table = {key: (token_hash(key), word_weight(key)) for key in dict.fromkeys(keys)}
    pairs = list(map(table.__getitem__, keys))
    ids = [p[0] for p in pairs]
    return Prepared(
        doc=doc,
        tokens=tokens,
        k=k,
        ids=ids,
        hashes=kgram_hash_array(np.asarray(ids, dtype=np.uint64), k).tolist(),
        weights=[p[1] for p in pairs],
    )


@cache
def _lexicon_for(path: str | None) -> Lexicon:
    builtin = Lexicon.builtin()
    return builtin if path is None else builtin.merged(Lexicon.load(path))


def load_lexicon(options: Options) -> Lexicon:
    """The built-in lexicon merged with the user's ``formulae`` file, if any."""
    return _lexicon_for(options.formulae)


def compare(
    a: Document, b: Document, options: Options | None = None, *, lexicon: Lexicon | None = None
) -> Report:
    """Every reused passage between two documents, classified and scored."""
    options = options or Options()
    lexicon = lexicon if lexicon is not None else load_lexicon(options)
    pa = prepare(a, options.seed_words)
    pb = prepare(b, options.seed_words)
    result = compare_prepared(pa, pb, options, lexicon=lexicon)
    return Report("compare", (a, b), (result,), settings=options.to_json())


def compare_prepared(
    a: Prepared,
    b: Prepared,
    options: Options,
    *,
    lexicon: Lexicon | None = None,
    doc_freq: DocFreq | None = None,
    seed_mask: npt.NDArray[np.bool_] | None = None,
) -> PairResult:
    """Compare two prepared documents; `doc_freq` gives corpus rarity when there is a corpus.

    `seed_mask` is ``a.seedable(doc_freq)`` when the caller keeps it across pairs (a scan).
    """
    lexicon = lexicon if lexicon is not None else load_lexicon(options)
    identical = a.tokens.keys == b.tokens.keys and len(a.tokens) > 0
    hits_a = a.formula_hits(lexicon)
    hits_b = b.formula_hits(lexicon)
    pieces = _align(a, b, options, doc_freq, hits_a, hits_b, seed_mask)
    matches = _classify_pieces(a, b, pieces, hits_a, hits_b, options, doc_freq)
    if options.paraphrase and not identical:
        matches.extend(_paraphrases(a, b, matches, lexicon))
    matches = [m for m in matches if m.words >= options.min_words and m.score >= options.min_score]
    if options.merge_gap:
        matches = merge_nearby(matches, a, b, options.merge_gap)
    matches.sort(key=lambda m: (m.a.span.start, m.b.span.start))
    summary = summarise(a, b, matches, identical=identical)
    shown = tuple(m for m in _distinct_names(matches, a) if m.kind in options.kinds)
    return PairResult(a.doc.id, b.doc.id, shown, summary)


def _distinct_names(matches: list[Match], a: Prepared) -> list[Match]:
    """Show each reused name once: later occurrences, and names inside a longer reused name,
    add nothing for a reader (they still count in the pair's coverage)."""
    kept: list[tuple[str, ...]] = []
    counts: dict[tuple[str, ...], int] = {}
    drop: set[int] = set()
    names = [m for m in matches if m.kind is Kind.NAME]
    for m in sorted(names, key=lambda m: (-m.words, m.a.span.start, m.b.span.start)):
        i0, i1 = _token_range(a.tokens, m.a.span)
        keys = tuple(a.tokens.keys[i0:i1])
        joined = " ".join(keys)
        home = next((k for k in kept if f" {joined} " in f" {' '.join(k)} "), None)
        if home is None:
            kept.append(keys)
            counts[keys] = 1
        else:
            counts[home] += 1
            drop.add(id(m))
    out = []
    for m in matches:
        if id(m) in drop:
            continue
        n = 1
        if m.kind is Kind.NAME:
            i0, i1 = _token_range(a.tokens, m.a.span)
            n = counts.get(tuple(a.tokens.keys[i0:i1]), 1)
        out.append(
            replace(m, reason=f"{m.reason}; reused {n} times in all (shown once)") if n > 1 else m
        )
    return out


# --- alignment -------------------------------------------------------------------------------


def _seedable(
    p: Prepared, doc_freq: DocFreq | None, shares: npt.NDArray[np.float64] | None = None
) -> npt.NDArray[np.bool_]:
    k, n = p.k, len(p.hashes)
    if n <= 0:
        return np.zeros(0, dtype=bool)
    w = np.asarray(p.weights, dtype=np.float64)
    # Summed left to right from zero, exactly as Python's sum() over the k weights.
    total = np.zeros(n, dtype=np.float64)
    for j in range(k):
        total = total + w[j : j + n]
    ok = total >= _SEED_WEIGHT
    if shares is not None:
        ok &= ~(shares[:n] > _COMMON_KGRAM)
    elif doc_freq is not None:
        hashes = p.hashes
        for i in np.flatnonzero(ok).tolist():
            if doc_freq(hashes[i]) > _COMMON_KGRAM:
                ok[i] = False
    return ok


def _align(
    a: Prepared,
    b: Prepared,
    options: Options,
    doc_freq: DocFreq | None,
    hits_a: Sequence[FormulaHit] = (),
    hits_b: Sequence[FormulaHit] = (),
    seed_mask: npt.NDArray[np.bool_] | None = None,
) -> list[Piece]:
    if not a.hashes or not b.hashes:
        return []
    seedable = a.seedable(doc_freq) if seed_mask is None else seed_mask
    seeds_a, seeds_b = shared_seeds(
        a.hash_array, seedable, b.seed_index, a_index=a.seed_index if a.kept else None
    )
    runs = find_runs(a.ids, b.ids, seeds_a, seeds_b, a.k, a_array=a.id_array, b_array=b.id_array)
    chains = chain_runs(runs, options.max_gap)
    if doc_freq is None:
        # A chain of common words that touches no formula instance can only be dropped later
        # (too light to report): drop it before the costlier steps.
        fa = _formula_mask(len(a.tokens), hits_a)
        fb = _formula_mask(len(b.tokens), hits_b)
        w = a.weights
        chains = [
            c
            for c in chains
            if sum(sum(w[r.a0 : r.a1]) for r in c) >= _MIN_PASSAGE_WEIGHT
            or any(any(fa[r.a0 : r.a1]) or any(fb[r.b0 : r.b1]) for r in c)
        ]
    pieces = align_chains(chains, a.ids, b.ids, options.max_gap)
    # Too short to report whatever happens next (formula instances are paired separately).
    pieces = [p for p in pieces if p.equal >= options.min_words]
    cuts_a = _Cuts(a.break_list, hits_a)
    cuts_b = _Cuts(b.break_list, hits_b)
    pieces = [q for n, p in enumerate(pieces) for q in _split_at_paragraphs(p, cuts_a, cuts_b, n)]
    return [_tidy(p, a, b) for p in select_pieces(pieces)]


def _formula_mask(n: int, hits: Sequence[FormulaHit]) -> list[bool]:
    mask = [False] * n
    for h in hits:
        mask[h.start : h.end] = [True] * (h.end - h.start)
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


_CLAUSE_END = re.compile(r"[.;:!?,\u201c\u201d\"()]|\n[ \t]*\n")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n|\r\n[ \t]*\r\n")


def _split_at_paragraphs(piece: Piece, a: _Cuts, b: _Cuts, origin: int) -> list[Piece]:
    """Cut a passage at every paragraph break and formula edge it crosses.

    A letterhead block and the sentence after it, or a closing formula and the signature
    below it, are different things even when both are reused; the parts of an identical
    stretch are joined again after classification when they get the same kind.
    """
    out: list[Piece] = []
    current: list[_Op] = []

    if not (a.inside(piece.a0, piece.a1) or b.inside(piece.b0, piece.b1)):
        return [Piece(piece.a0, piece.a1, piece.b0, piece.b1, piece.ops, piece.equal, origin)]

    def breaks(cuts: _Cuts, t: int) -> bool:
        return t in cuts.set

    def flush() -> None:
        while current and current[-1][0] != "equal":
            current.pop()
        if current:
            out.append(_piece_of(current, origin))
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
                current.append(("equal", start, t, j1 + (start - i1), j1 + (t - i1)))
                flush()
                start = t
        current.append(("equal", start, i2, j1 + (start - i1), j2))
    flush()
    return out


def _piece_of(ops: list[_Op], origin: int = -1) -> Piece:
    equal = sum(op[2] - op[1] for op in ops if op[0] == "equal")
    return Piece(ops[0][1], ops[-1][2], ops[0][3], ops[-1][4], tuple(ops), equal, origin)


_Op = tuple[str, int, int, int, int]
_CONJUNCTIONS = frozenset({"and", "or", "nor", "et", "ou", "y", "o", "dan", "atau"})


def _tidy(piece: Piece, a: Prepared, b: Prepared) -> Piece:
    """Trim function words off a passage's edges; finish a phrase left dangling on "and"."""
    keys = a.tokens.keys
    ops: list[_Op] = list(piece.ops)

    def equal_count() -> int:
        return sum(op[2] - op[1] for op in ops if op[0] == "equal")

    # Leading function words ("of the Democratic People's Republic ..."), unless they open a
    # sentence in both documents ("The people of Examplia have chosen ...").
    while (
        ops
        and ops[0][0] == "equal"
        and is_stopword(keys[ops[0][1]])
        and equal_count() > 2
        and not (_opens_sentence(a, ops[0][1]) and _opens_sentence(b, ops[0][3]))
    ):
        tag, i1, i2, j1, j2 = ops[0]
        if i2 - i1 > 1:
            ops[0] = (tag, i1 + 1, i2, j1 + 1, j2)
        else:
            ops.pop(0)
            while ops and ops[0][0] != "equal":
                ops.pop(0)
    if not ops:
        return piece
    tag, i1, i2, j1, j2 = ops[-1]
    if tag == "equal" and is_stopword(keys[i2 - 1]):
        dangling = a.tokens.forms[i2 - 1] in _CONJUNCTIONS
        ext_a = _phrase_tail(a, i2) if dangling else 0
        ext_b = _phrase_tail(b, j2) if dangling else 0
        if ext_a and ext_b:
            # "impartiality, objectivity and [equity]" / "... and [strict neutrality]".
            ops.append(("replace", i2, i2 + ext_a, j2, j2 + ext_b))
        else:
            while ops and ops[-1][0] == "equal" and is_stopword(keys[ops[-1][2] - 1]):
                if equal_count() <= 2:
                    break
                tag, i1, i2, j1, j2 = ops[-1]
                if i2 - i1 > 1:
                    ops[-1] = (tag, i1, i2 - 1, j1, j2 - 1)
                else:
                    ops.pop()
                    while ops and ops[-1][0] != "equal":
                        ops.pop()
    if not ops:
        return piece
    return Piece(
        ops[0][1], ops[-1][2], ops[0][3], ops[-1][4], tuple(ops), equal_count(), piece.origin
    )


def _opens_sentence(p: Prepared, i: int) -> bool:
    t = p.tokens
    if not t.forms[i] or not p.doc.text[t.starts[i]].isupper():
        return False
    before = p.doc.text[max(0, t.starts[i] - 3) : t.starts[i]].rstrip(" \t")
    return not before or before.endswith(("\n", ".", "!", "?", ":", ";", "\u201c", '"'))


def _phrase_tail(p: Prepared, i: int, limit: int = 3) -> int:
    """How many content words continue the phrase at token `i` (up to punctuation)."""
    t = p.tokens
    n = 0
    while n < limit and i + n < len(t):
        k = i + n
        gap = p.doc.text[t.ends[k - 1] : t.starts[k]] if k > 0 else ""
        if gap.strip() or is_stopword(t.keys[k]):
            break
        n += 1
    return n


# --- classification ------------------------------------------------------------------------


def _covered_by(hits: Sequence[FormulaHit], i0: int, i1: int) -> tuple[int, FormulaHit | None]:
    """How many tokens of [i0, i1) lie inside formula instances, and the main instance."""
    inside = 0
    main: FormulaHit | None = None
    best = 0
    for h in hits:
        if h.end <= i0:
            continue
        if h.start >= i1:
            break
        n = min(i1, h.end) - max(i0, h.start)
        inside += n
        if n > best:
            best, main = n, h
    return inside, main


def _classify_pieces(
    a: Prepared,
    b: Prepared,
    pieces: Sequence[Piece],
    hits_a: Sequence[FormulaHit],
    hits_b: Sequence[FormulaHit],
    options: Options,
    doc_freq: DocFreq | None,
) -> list[Match]:
    matches: list[Match] = []
    origins: list[int] = []
    used_a: set[int] = set()
    used_b: set[int] = set()

    def add(match: Match, origin: int) -> None:
        matches.append(match)
        origins.append(origin)

    for piece in pieces:
        in_a, main_a = _covered_by(hits_a, piece.a0, piece.a1)
        in_b, main_b = _covered_by(hits_b, piece.b0, piece.b1)
        weight = sum(sum(a.weights[op[1] : op[2]]) for op in piece.ops if op[0] == "equal")
        if main_a is None and main_b is None and doc_freq is None and weight < _MIN_PASSAGE_WEIGHT:
            continue  # neither formula nor rare enough: skip the costlier tests below
        la, lb = piece.a1 - piece.a0, piece.b1 - piece.b0
        lexical = (
            main_a is not None
            and main_b is not None
            and main_a.template.family == main_b.template.family
            and in_a * 2 >= la
            and in_b * 2 >= lb
        )
        if lexical and main_a is not None and main_b is not None:
            inside = main_a.start <= piece.a0 and piece.a1 <= main_a.end
            if inside and main_b.start <= piece.b0 and piece.b1 <= main_b.end:
                # Wholly inside both instances: report the instances themselves, once.
                if id(main_a) in used_a and id(main_b) in used_b:
                    continue
                used_a.add(id(main_a))
                used_b.add(id(main_b))
                add(_formula_match(a, b, main_a, main_b), piece.origin)
                continue
            add(
                _piece_match(
                    a,
                    b,
                    piece,
                    Kind.FORMULA,
                    f"formula: lies in the lexicon's '{main_a.template.family}' formula in "
                    "both documents",
                    formula=main_a.template.text,
                ),
                piece.origin,
            )
            used_a.add(id(main_a))
            used_b.add(id(main_b))
            continue
        if doc_freq is not None:
            common = _corpus_common_share(a, piece, doc_freq)
            if common >= 0.5:
                add(
                    _piece_match(
                        a,
                        b,
                        piece,
                        Kind.FORMULA,
                        f"formula: {round(common * 100)}% of its word sequences recur in "
                        f"over {round(_FORMULA_KGRAM * 100)}% of the corpus",
                    ),
                    piece.origin,
                )
                continue
        if weight < _MIN_PASSAGE_WEIGHT:
            continue
        span_a = a.tokens.range_span(piece.a0, piece.a1)
        span_b = b.tokens.range_span(piece.b0, piece.b1)
        if inside_quotes(a.doc.text, span_a) or inside_quotes(b.doc.text, span_b):
            side = "A" if inside_quotes(a.doc.text, span_a) else "B"
            add(
                _piece_match(
                    a, b, piece, Kind.QUOTATION, f"quotation: inside quotation marks in {side}"
                ),
                piece.origin,
            )
            continue
        is_name_a, why_a = name_evidence(a.doc.text, a.tokens, piece.a0, piece.a1)
        is_name_b, why_b = name_evidence(b.doc.text, b.tokens, piece.b0, piece.b1)
        if is_name_a and is_name_b:
            add(
                _piece_match(a, b, piece, Kind.NAME, f"name: {why_a} (A), {why_b} (B)"),
                piece.origin,
            )
            continue
        if (main_a is not None and in_a * 2 >= la) or (main_b is not None and in_b * 2 >= lb):
            main = main_a if main_a is not None and in_a * 2 >= la else main_b
            assert main is not None
            side = "A" if main is main_a else "B"
            add(
                _piece_match(
                    a,
                    b,
                    piece,
                    Kind.FORMULA,
                    f"formula: part of the lexicon's '{main.template.family}' formula in {side}",
                    formula=main.template.text,
                ),
                piece.origin,
            )
            continue
        rare = sum(
            1
            for op in piece.ops
            if op[0] == "equal"
            for t in range(op[1], op[2])
            if a.weights[t] >= 1.0
        )
        add(
            _piece_match(
                a,
                b,
                piece,
                Kind.PHRASING,
                f"phrasing: {piece.equal} shared words, {rare} of them rare; not a lexicon "
                f"formula, not a name ({why_a})",
            ),
            piece.origin,
        )
    matches = _rejoin(matches, origins)
    matches.extend(_unpaired_formulae(a, b, hits_a, hits_b, used_a, used_b))
    return matches


def _rejoin(matches: list[Match], origins: list[int]) -> list[Match]:
    """Join the parts of one alignment cut at paragraph breaks when they share a kind."""
    out: list[Match] = []
    last_origin = -1
    for match, origin in zip(matches, origins, strict=True):
        prev = out[-1] if out else None
        if prev is not None and origin >= 0 and origin == last_origin and prev.kind is match.kind:
            la = prev.a.span.end - prev.a.span.start
            lb = match.a.span.end - match.a.span.start
            out[-1] = Match(
                a=Passage(prev.a.doc, prev.a.span.union(match.a.span)),
                b=Passage(prev.b.doc, prev.b.span.union(match.b.span)),
                kind=prev.kind,
                score=round((prev.score * la + match.score * lb) / max(1, la + lb), 1),
                words=prev.words + match.words,
                ops=prev.ops + match.ops,
                reason=prev.reason,
                shared=tuple(dict.fromkeys(prev.shared + match.shared)),
                formula=prev.formula,
            )
            continue
        out.append(match)
        last_origin = origin
    return out


def _corpus_common_share(a: Prepared, piece: Piece, doc_freq: DocFreq) -> float:
    starts = range(piece.a0, max(piece.a0 + 1, piece.a1 - a.k + 1))
    hashes = [a.hashes[i] for i in starts if i < len(a.hashes)]
    if not hashes:
        return 0.0
    return sum(1 for h in hashes if doc_freq(h) >= _FORMULA_KGRAM) / len(hashes)


def _unpaired_formulae(
    a: Prepared,
    b: Prepared,
    hits_a: Sequence[FormulaHit],
    hits_b: Sequence[FormulaHit],
    used_a: set[int],
    used_b: set[int],
) -> list[Match]:
    """Formula matches for lexicon families used in both documents but not aligned verbatim."""
    by_family: dict[str, list[FormulaHit]] = defaultdict(list)
    for h in hits_b:
        if id(h) not in used_b:
            by_family[h.template.family].append(h)
    out = []
    for h in hits_a:
        if id(h) in used_a:
            continue
        candidates = by_family.get(h.template.family)
        if candidates:
            out.append(_formula_match(a, b, h, candidates.pop(0)))
    return out


def _formula_match(a: Prepared, b: Prepared, ha: FormulaHit, hb: FormulaHit) -> Match:
    from rapidfuzz.distance import Levenshtein

    ops = [
        (
            op.tag,
            op.src_start + ha.start,
            op.src_end + ha.start,
            op.dest_start + hb.start,
            op.dest_end + hb.start,
        )
        for op in Levenshtein.opcodes(a.ids[ha.start : ha.end], b.ids[hb.start : hb.end])
    ]
    equal = sum(op[2] - op[1] for op in ops if op[0] == "equal")
    piece = Piece(ha.start, ha.end, hb.start, hb.end, tuple(ops), equal)
    why = f"formula: both documents use the lexicon's '{ha.template.family}' formula"
    return _piece_match(a, b, piece, Kind.FORMULA, why, formula=ha.template.text)


def _piece_match(
    a: Prepared,
    b: Prepared,
    piece: Piece,
    kind: Kind,
    reason: str,
    *,
    formula: str | None = None,
) -> Match:
    ta, tb = a.tokens, b.tokens
    ops: list[AlignOp] = []
    form_diffs = 0
    shared: list[str] = []
    for tag, i1, i2, j1, j2 in piece.ops:
        ops.append(AlignOp(_tag(tag), _range(ta, i1, i2), _range(tb, j1, j2)))
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                if ta.forms[i] != tb.forms[j]:
                    form_diffs += 1
                if a.weights[i] > 0 and ta.forms[i] not in shared:
                    shared.append(ta.forms[i])
    la, lb = piece.a1 - piece.a0, piece.b1 - piece.b0
    score = 100.0 * (2 * piece.equal - 0.5 * form_diffs) / max(1, la + lb)
    return Match(
        a=Passage(a.doc.id, ta.range_span(piece.a0, piece.a1)),
        b=Passage(b.doc.id, tb.range_span(piece.b0, piece.b1)),
        kind=kind,
        score=round(max(0.0, min(100.0, score)), 1),
        words=piece.equal,
        ops=tuple(ops),
        reason=reason,
        shared=tuple(shared),
        formula=formula,
    )


def _tag(tag: str) -> OpTag:
    if tag == "equal":
        return "equal"
    if tag == "insert":
        return "insert"
    if tag == "delete":
        return "delete"
    return "replace"


def _range(tokens: Tokens, i1: int, i2: int) -> Span:
    if i2 > i1:
        return tokens.range_span(i1, i2)
    pos = tokens.ends[i1 - 1] if i1 > 0 else (tokens.starts[0] if len(tokens) else 0)
    return Span(pos, pos)


def merge_nearby(matches: Sequence[Match], a: Prepared, b: Prepared, gap: int) -> list[Match]:
    """Join matches lying within `gap` words of each other in both documents (in any order)."""
    if len(matches) < 2:
        return list(matches)
    ranges = [(_token_range(a.tokens, m.a.span), _token_range(b.tokens, m.b.span)) for m in matches]
    parent = list(range(len(matches)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def near(r: tuple[int, int], s: tuple[int, int]) -> bool:
        return max(r[0], s[0]) - min(r[1], s[1]) <= gap

    order = sorted(range(len(matches)), key=lambda n: ranges[n][0])
    for pos, n in enumerate(order):
        for m in order[pos + 1 :]:
            if ranges[m][0][0] - ranges[n][0][1] > gap:
                break
            if near(ranges[n][1], ranges[m][1]):
                parent[find(m)] = find(n)
    groups: dict[int, list[Match]] = defaultdict(list)
    for n, match in enumerate(matches):
        groups[find(n)].append(match)
    return [_joined(group) if len(group) > 1 else group[0] for group in groups.values()]


def _joined(group: list[Match]) -> Match:
    words: dict[Kind, int] = defaultdict(int)
    for m in group:
        words[m.kind] += m.words
    kind = max(words, key=lambda k: (words[k], k.value))
    total = sum(m.words for m in group)
    span_a = group[0].a.span
    span_b = group[0].b.span
    for m in group[1:]:
        span_a = span_a.union(m.a.span)
        span_b = span_b.union(m.b.span)
    return Match(
        a=Passage(group[0].a.doc, span_a),
        b=Passage(group[0].b.doc, span_b),
        kind=kind,
        score=round(sum(m.score * m.words for m in group) / max(1, total), 1),
        words=total,
        ops=tuple(op for m in sorted(group, key=lambda m: m.a.span.start) for op in m.ops),
        reason=f"{len(group)} nearby passages joined (merge gap): "
        + "; ".join(m.reason for m in group[:3]),
        shared=tuple(dict.fromkeys(w for m in group for w in m.shared)),
    )


# --- paraphrase ----------------------------------------------------------------------------


def _paraphrases(
    a: Prepared, b: Prepared, matches: Sequence[Match], lexicon: Lexicon
) -> list[Match]:
    from docdiff.paraphrase import find_paraphrases

    # Text already matched, and formula instances (courtesy language is never "reworded
    # rhetoric"), are left out.
    ranges_a = [_token_range(a.tokens, m.a.span) for m in matches]
    ranges_b = [_token_range(b.tokens, m.b.span) for m in matches]
    covered_a = _covered_ranges(len(a.tokens), ranges_a)
    covered_b = _covered_ranges(len(b.tokens), ranges_b)
    for instances, covered in (
        (a.formula_hits(lexicon), covered_a),
        (b.formula_hits(lexicon), covered_b),
    ):
        for instance in instances:
            covered[instance.start : instance.end] = [True] * (instance.end - instance.start)
    hits = find_paraphrases(
        a.roots,
        b.roots,
        covered_a,
        covered_b,
        word_weight,
        # Units kept across comparisons when the document is; built for this pair otherwise.
        a_index=a.unit_index(lexicon) if a.kept else None,
        b_index=b.unit_index(lexicon) if b.kept else None,
        a_changed=ranges_a,
        b_changed=ranges_b,
    )
    out = []
    for h in hits:
        if (
            name_evidence(a.doc.text, a.tokens, h.a0, h.a1)[0]
            and name_evidence(b.doc.text, b.tokens, h.b0, h.b1)[0]
        ):
            continue  # names are not reworded: two titles sharing words are not a paraphrase
        forms = tuple(dict.fromkeys(a.tokens.forms[i] for i, _ in h.pairs))
        ops = tuple(AlignOp("equal", a.tokens.span(i), b.tokens.span(j)) for i, j in h.pairs)
        out.append(
            Match(
                a=Passage(a.doc.id, a.tokens.range_span(h.a0, h.a1)),
                b=Passage(b.doc.id, b.tokens.range_span(h.b0, h.b1)),
                kind=Kind.PARAPHRASE,
                score=h.score,
                words=len(h.shared),
                ops=ops,
                reason=(
                    f"paraphrase: {len(h.shared)} content words shared in another order or "
                    f"wording ({', '.join(forms)})"
                ),
                shared=forms,
            )
        )
    return out


def _covered_ranges(n: int, ranges: Iterable[tuple[int, int]]) -> list[bool]:
    covered = [False] * n
    for i0, i1 in ranges:
        if i1 > i0:
            covered[i0:i1] = [True] * (i1 - i0)
    return covered


_SENTENCE_END = re.compile(r"[.!?;\u3002\uff01\uff1f]|\n[ \t]*\n|\r\n[ \t]*\r\n")
_MAX_SENTENCE = 40


def split_sentences(text: str, tokens: Tokens) -> tuple[list[tuple[int, int]], list[int]]:
    """Token ranges of sentences (cut at . ! ? ; and blank lines; long ones cut in pieces),
    and the paragraph number of each."""
    units: list[tuple[int, int]] = []
    paragraphs: list[int] = []
    start = 0
    paragraph = 0
    n = len(tokens)
    for i in range(1, n + 1):
        gap_break = None
        if i < n:
            gap_break = _SENTENCE_END.search(text, tokens.ends[i - 1], tokens.starts[i])
        if i == n or gap_break or i - start >= _MAX_SENTENCE:
            if i > start:
                units.append((start, i))
                paragraphs.append(paragraph)
            start = i
            if i < n and _PARAGRAPH_BREAK.search(text, tokens.ends[i - 1], tokens.starts[i]):
                paragraph += 1
    return units, paragraphs


# --- summary -------------------------------------------------------------------------------


def summarise(
    a: Prepared, b: Prepared, matches: Sequence[Match], *, identical: bool = False
) -> PairSummary:
    """Coverage of each side, overall and distinctive similarity (formulae and names left out).

    Coverage is the share of each document's words inside reused passages. Similarity weighs
    each reused word by the strength of the evidence: a word in a verbatim run counts fully
    once the run is `_FULL_RUN` words long (or spans the shorter document), proportionally
    less in a shorter run; a word in a paraphrase counts `_PARAPHRASE_WEIGHT` times the
    paraphrase's score. A document compared with itself scores 100.
    """
    na, nb = len(a.tokens), len(b.tokens)
    if na == 0 or nb == 0:
        return PairSummary(0.0, 0.0, 0.0, 0.0)
    full = max(1, min(_FULL_RUN, na, nb))
    wa, ca = _evidence(a.tokens, matches, "a", full)
    wb, cb = _evidence(b.tokens, matches, "b", full)
    similarity = round(100.0 * (wa + wb) / (na + nb), 1)
    if identical:
        similarity, ca, cb = 100.0, na, nb
    kept = [m for m in matches if m.kind not in (Kind.FORMULA, Kind.NAME)]
    da, _ = _evidence(a.tokens, kept, "a", full)
    db, _ = _evidence(b.tokens, kept, "b", full)
    return PairSummary(
        coverage_a=round(100.0 * ca / na, 1),
        coverage_b=round(100.0 * cb / nb, 1),
        similarity=similarity,
        distinctive_similarity=100.0
        if identical and not matches
        else round(100.0 * (da + db) / (na + nb), 1),
    )


_FULL_RUN = 20
_PARAPHRASE_WEIGHT = 0.3


def _token_range(tokens: Tokens, span: Span) -> tuple[int, int]:
    return bisect.bisect_left(tokens.starts, span.start), bisect.bisect_left(
        tokens.starts, span.end
    )


def _evidence(tokens: Tokens, matches: Sequence[Match], side: str, full: int) -> tuple[float, int]:
    """Summed per-word evidence of reuse on one side, and the number of words covered."""
    best = [0.0] * len(tokens)
    covered = [False] * len(tokens)
    for m in matches:
        passage = m.a if side == "a" else m.b
        i0, i1 = _token_range(tokens, passage.span)
        for i in range(i0, i1):
            covered[i] = True
        if m.kind is Kind.PARAPHRASE:
            value = _PARAPHRASE_WEIGHT * m.score / 100.0
            for i in range(i0, i1):
                best[i] = max(best[i], value)
            continue
        for op in m.ops:
            if op.tag != "equal":
                continue
            j0, j1 = _token_range(tokens, op.a if side == "a" else op.b)
            value = min(1.0, (j1 - j0) / full)
            for i in range(j0, j1):
                best[i] = max(best[i], value)
    return sum(best), sum(covered)
