"""The compare pipeline: tokenize, seed, align, paraphrase, classify, score.

``compare(a, b)`` is the pure core every outer layer calls. ``prepare`` and
``compare_prepared`` let corpus scans tokenize each document once and compare it with many.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from docdiff.engine.align import (
    Piece,
    SeedIndex,
    align_chains,
    chain_runs,
    find_runs,
    seed_index,
    select_pieces,
    shared_seeds,
)
from docdiff.engine.classify import (
    AGENDA_REASON,
    MIN_PASSAGE_WEIGHT,
    Facts,
    agenda_title,
    closing_bracket,
    decide,
    inside_quotes,
    name_evidence,
)
from docdiff.engine.lexicon import FormulaHit, Lexicon
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
from docdiff.text.rarity import stem_weights, token_weights
from docdiff.text.seeds import kgram_hash_array, token_hash
from docdiff.text.tokens import Tokens, is_stopword, tokenize

if TYPE_CHECKING:
    from docdiff.engine.paraphrase import UnitIndex

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
    _stem_weights: dict[str, float] | None = None
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

    _key_counts: Counter[str] | None = None

    @property
    def key_counts(self) -> Counter[str]:
        """How often each fuzzy key occurs in the document (built on first use)."""
        if self._key_counts is None:
            self._key_counts = Counter(self.tokens.keys)
        return self._key_counts

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
            from docdiff.text.lemmas import paraphrase_stems

            t = self.tokens
            self._roots = paraphrase_stems(t.forms, t.keys, t.language())
        return self._roots

    def stem_weight(self, stem: str) -> float:
        """Rarity of a paraphrase stem in this document: the weight of its commonest form
        here (a stem is as common as its forms); numbers and references weigh nothing."""
        if self._stem_weights is None:
            self._stem_weights = {
                s: 0.0 if any(c.isdigit() for c in s) else w
                for s, w in stem_weights(self.roots, self.weights).items()
            }
        return self._stem_weights.get(stem, 0.0 if any(c.isdigit() for c in stem) else 1.0)

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
        from docdiff.engine.paraphrase import unit_index

        key = id(lexicon)
        index = self._unit_indexes.get(key)
        if index is None:
            covered = [False] * len(self.tokens)
            for h in self.formula_hits(lexicon):
                covered[h.start : h.end] = [True] * (h.end - h.start)
            index = unit_index(
                self.roots, covered, self.stem_weight, self.sentences, self.paragraphs
            )
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
    # Hash each distinct key once; most words recur.
    table = {key: token_hash(key) for key in dict.fromkeys(keys)}
    ids = list(map(table.__getitem__, keys))
    return Prepared(
        doc=doc,
        tokens=tokens,
        k=k,
        ids=ids,
        hashes=kgram_hash_array(np.asarray(ids, dtype=np.uint64), k).tolist(),
        weights=token_weights(tokens),
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
        matches.extend(_paraphrases(a, b, matches, lexicon, options))
    matches = _join_sections(matches, a, b, options)
    matches = [m for m in matches if m.words >= options.min_words and m.score >= options.min_score]
    matches.sort(key=lambda m: (m.a.span.start, m.b.span.start))
    summary = summarise(a, b, matches, identical=identical)
    passages, echoes = _split_echoes(matches, a, b, options)
    if options.paraphrase and not identical:
        echoes = _rank_echoes([*echoes, *_reworded_echoes(a, b, matches, options)])
    if not identical:
        echoes = _rank_echoes([*echoes, *_rare_pair_echoes(a, b, [*matches, *echoes])])
    shown = tuple(m for m in _distinct_names(passages, a) if m.kind in options.kinds)
    heard = tuple(m for m in _distinct_names(echoes, a) if m.kind in options.kinds)
    return PairResult(a.doc.id, b.doc.id, shown, summary, heard)


def _split_echoes(
    matches: Sequence[Match], a: Prepared, b: Prepared, options: Options
) -> tuple[list[Match], list[Match]]:
    """Passages, and echoes: isolated shared phrases shorter than a passage, ranked by how
    distinctive they are (rare words that are not a topic of either document)."""
    passages: list[Match] = []
    echoes: list[Match] = []
    for m in matches:
        if m.kind in (Kind.FORMULA, Kind.PARAPHRASE) or m.words >= options.passage_words:
            passages.append(m)
        else:
            echoes.append(replace(m, distinctiveness=_distinctiveness(m, a, b)))
    return passages, _rank_echoes(echoes)


def _rank_echoes(echoes: list[Match]) -> list[Match]:
    return sorted(
        echoes, key=lambda m: (-(m.distinctiveness or 0.0), m.a.span.start, m.b.span.start)
    )


_ECHO_REACH = 4
"""Two content words form a reworded echo's seed when they stand within this many words."""
_ECHO_EVIDENCE = 1.0
"""The least topic-discounted rarity of a reworded echo's shared stems."""
_ECHO_STEMS = 3
"""A reworded echo shares at least this many distinct content stems (two common words close
together, "great deal", "file AA", say nothing)."""
"""The least topic-discounted rarity of a reworded echo's shared stems."""


def _reworded_echoes(
    a: Prepared, b: Prepared, matches: Sequence[Match], options: Options
) -> list[Match]:
    """Short reworded phrases both texts share: two or more rare content stems standing close
    together in each ("hostile forces" / "forces hostile to", "genuine human rights are
    protected and promoted" / "genuine promotion and protection of human rights"), outside the
    passages and echoes found so far, and not a topic of either document."""
    covered_a = _covered_tokens(a.tokens, (m.a.span for m in matches))
    covered_b = _covered_tokens(b.tokens, (m.b.span for m in matches))
    no_cover_a, no_cover_b = [False] * len(a.tokens), [False] * len(b.tokens)
    both = set(a.roots) & set(b.roots)
    pairs_a = _close_pairs(a, no_cover_a, both)
    pairs_b = _close_pairs(b, no_cover_b, both)
    count_a, count_b = Counter(a.roots), Counter(b.roots)
    stem_weight = _pair_stem_weight(a, b)
    found: list[tuple[int, int, int, int, set[str]]] = []
    shared_keys = sorted(pairs_a.keys() & pairs_b.keys(), key=lambda k: (pairs_a[k][0], sorted(k)))
    for key in shared_keys:
        if len(pairs_a[key]) > 2 or len(pairs_b[key]) > 2:
            continue  # a collocation the document keeps using: its topic
        # An occurrence may echo wording the other text already reuses elsewhere (one side
        # inside a passage), never two occurrences both already paired.
        free = [
            (x, y)
            for x in pairs_a[key]
            for y in pairs_b[key]
            if not (any(covered_a[x[0] : x[1] + 1]) and any(covered_b[y[0] : y[1] + 1]))
        ]
        if not free:
            continue
        (i0, i1), (j0, j1) = free[0]
        for f in found:
            if f[0] <= i1 and i0 <= f[1] and f[2] <= j1 and j0 <= f[3]:
                f[4].update(key)
                found[found.index(f)] = (
                    min(f[0], i0),
                    max(f[1], i1),
                    min(f[2], j0),
                    max(f[3], j1),
                    f[4],
                )
                break
        else:
            found.append((i0, i1, j0, j1, set(key)))
    out = []
    for i0, i1, j0, j1, stems in found:
        evidence = sum(
            stem_weight(s)
            / ((1.0 + math.log(max(1, count_a[s]))) * (1.0 + math.log(max(1, count_b[s]))))
            for s in stems
        )
        if evidence < _ECHO_EVIDENCE or len(stems) < max(_ECHO_STEMS, options.min_words):
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


def _close_pairs(
    p: Prepared, covered: Sequence[bool], keep: set[str]
) -> dict[frozenset[str], list[tuple[int, int]]]:
    """Pairs of distinct content stems (among `keep`, the stems both texts use) standing
    within `_ECHO_REACH` words, by stem pair."""
    roots = p.roots
    content = [
        i
        for i in range(len(p.tokens))
        if not covered[i] and roots[i] in keep and p.stem_weight(roots[i]) > 0.0
    ]
    out: dict[frozenset[str], list[tuple[int, int]]] = defaultdict(list)
    for n, i in enumerate(content):
        for j in content[n + 1 :]:
            if j - i > _ECHO_REACH:
                break
            if p.roots[i] != p.roots[j] and max(p.weights[i], p.weights[j]) >= 1.0:
                out[frozenset((p.roots[i], p.roots[j]))].append((i, j))
    return out


_PAIR_TOPIC = 2
"""A two-word phrase used more often than this in either document is its topic, not an echo."""


def _rare_pair_echoes(a: Prepared, b: Prepared, found: Sequence[Match]) -> list[Match]:
    """Two-word phrases both texts share verbatim ("hostile forces") that are rare in general
    language and in official speech (`rarity.rare_pair`), used at most twice in each document
    (not a topic term), not a name (both words capitalised), and outside what is found."""
    from docdiff.text.rarity import rare_pair

    covered_a = _covered_tokens(a.tokens, (m.a.span for m in found))
    covered_b = _covered_tokens(b.tokens, (m.b.span for m in found))
    lang = a.tokens.language()
    if lang != b.tokens.language():
        return []

    def bigrams(p: Prepared, covered: Sequence[bool]) -> dict[tuple[str, str], list[int]]:
        out: dict[tuple[str, str], list[int]] = defaultdict(list)
        keys, weights, breaks = p.tokens.keys, p.weights, set(p.break_list)
        for i in range(len(keys) - 1):
            if weights[i] > 0 and weights[i + 1] > 0 and i + 1 not in breaks:
                out[(keys[i], keys[i + 1])].append(i)
        return {k: v for k, v in out.items() if not all(covered[i] or covered[i + 1] for i in v)}

    in_a, in_b = bigrams(a, covered_a), bigrams(b, covered_b)
    out: list[Match] = []
    for pair in sorted(in_a.keys() & in_b.keys(), key=lambda k: in_a[k][0]):
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


def _distinctiveness(m: Match, a: Prepared, b: Prepared) -> float:
    """0-100: the shared words' rarity, discounted for words and phrases that recur inside
    either document (a topic term such as "real estate appraisal" recurs; an echo of another
    text's rhetoric does not)."""
    i0, i1 = _token_range(a.tokens, m.a.span)
    j0, _ = _token_range(b.tokens, m.b.span)
    count_a, count_b = a.key_counts, b.key_counts
    seen: set[str] = set()
    total = 0.0
    for i in range(i0, i1):
        key = a.tokens.keys[i]
        if key in seen or a.weights[i] <= 0:
            continue
        seen.add(key)
        recur = max(count_a.get(key, 1), count_b.get(key, 1))
        total += a.weights[i] / (1.0 + math.log(recur))
    if i0 < len(a.hashes) and j0 < len(b.hashes):
        phrase = max(len(a.positions.get(a.hashes[i0], ())), len(b.positions.get(b.hashes[j0], ())))
        total /= max(1, phrase)
    return round(100.0 * (1.0 - math.exp(-total / 2.0)), 1)


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
            if sum(sum(w[r.a0 : r.a1]) for r in c) >= MIN_PASSAGE_WEIGHT
            or any(any(fa[r.a0 : r.a1]) or any(fb[r.b0 : r.b1]) for r in c)
        ]
    pieces = align_chains(chains, a.ids, b.ids, options.max_gap)
    # One counterpart per occurrence, then the pieces of one reused section joined into one
    # passage; the size threshold applies to the joined passage.
    words = options.passage_words
    pieces = [q for p in pieces for q in _split_unrelated(p, a, b, words)]
    pieces = _join_pieces(select_pieces(pieces, a.weights), a, b, options.max_gap, words)
    pieces = _extend_edges(pieces, a, b)
    # Too short to report whatever happens next (formula instances are paired separately).
    pieces = [p for p in pieces if p.equal >= options.min_words]
    cuts_a = _Cuts(a.break_list, hits_a)
    cuts_b = _Cuts(b.break_list, hits_b)
    pieces = [q for n, p in enumerate(pieces) for q in _split_at_paragraphs(p, cuts_a, cuts_b, n)]
    return [_tidy(p, a, b) for p in pieces]


_JOIN_REACH = 30
"""The widest edit (in words, on the longer side) that joins two pieces of one section."""
_JOIN_LOOKBACK = 12
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
    alike = Indel.normalized_similarity(a.ids[i0:i1], b.ids[j0:j1], processor=None)
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
    return max(Indel.normalized_similarity(xs, ys, processor=None), contained)


def _split_unrelated(piece: Piece, a: Prepared, b: Prepared, words: int) -> list[Piece]:
    """Cut a chain at the gaps `_unrelated` finds (the chain stage bridges any small gap)."""
    segments: list[list[_Op]] = [[]]
    gaps: list[_Op] = []
    for op in piece.ops:
        tag, i1, i2, j1, j2 = op
        if tag != "equal" and min(i2 - i1, j2 - j1) >= _UNRELATED_GAP:
            gaps.append(op)
            segments.append([])
        else:
            segments[-1].append(op)
    if not gaps:
        return [piece]

    def size(seg: list[_Op]) -> int:
        return sum(op[2] - op[1] for op in seg if op[0] == "equal")

    out: list[Piece] = []
    current = list(segments[0])
    for gap, seg in zip(gaps, segments[1:], strict=True):
        tag, i1, i2, j1, j2 = gap
        if _unrelated(a, b, (i1, i2, j1, j2), size(current), size(seg), words):
            _flush_ops(current, out)
            current = list(seg)
        else:
            current += [gap, *seg]
    _flush_ops(current, out)
    return out


def _flush_ops(ops: list[_Op], out: list[Piece]) -> None:
    while ops and ops[0][0] != "equal":
        ops.pop(0)
    while ops and ops[-1][0] != "equal":
        ops.pop()
    if ops:
        out.append(_piece_of(ops))


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
            step = _edge_step(ops[0][1], ops[0][3], a, b, cover_a, cover_b, back=True)
            if step is None:
                break
            ops[:0] = step
        for _ in range(_EXTEND_STEPS):
            step = _edge_step(ops[-1][2], ops[-1][4], a, b, cover_a, cover_b, back=False)
            if step is None:
                break
            ops.extend(step)
        q = p if len(ops) == len(p.ops) else _piece_of(ops, p.origin)
        cover_a[q.a0 : q.a1] = b"\x01" * (q.a1 - q.a0)
        cover_b[q.b0 : q.b1] = b"\x01" * (q.b1 - q.b0)
        out.append(q)
    return out


def _edge_step(
    i: int, j: int, a: Prepared, b: Prepared, cover_a: bytearray, cover_b: bytearray, *, back: bool
) -> list[_Op] | None:
    na, nb = len(a.ids), len(b.ids)
    for sa, sb in _EXTEND_SKIPS:
        if back:
            i1, j1 = i - sa, j - sb
            n = 0
            while i1 - n > 0 and j1 - n > 0 and a.ids[i1 - n - 1] == b.ids[j1 - n - 1]:
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
            return [("equal", i1 - n, i1, j1 - n, j1), (tag, i1, i, j1, j)]
        i1, j1 = i + sa, j + sb
        n = 0
        while i1 + n < na and j1 + n < nb and a.ids[i1 + n] == b.ids[j1 + n]:
            if cover_a[i1 + n] or cover_b[j1 + n]:
                break
            n += 1
        if n < 2 or sum(a.weights[i1 : i1 + n]) <= 0 or any(cover_a[i:i1]) or any(cover_b[j:j1]):
            continue
        tag = "replace" if sa and sb else ("delete" if sa else "insert")
        return [(tag, i, i1, j, j1), ("equal", i1, i1 + n, j1, j1 + n)]
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
    for q in sorted(pieces, key=lambda p: (p.a0, p.b0)):
        best = -1
        best_gap = 0
        for g in range(len(groups) - 1, max(-1, len(groups) - 1 - _JOIN_LOOKBACK), -1):
            last = groups[g][-1]
            gap_a, gap_b = q.a0 - last.a1, q.b0 - last.b1
            if min(gap_a, gap_b) < -_JOIN_OVERLAP or q.a1 <= last.a1 or q.b1 <= last.b1:
                continue
            if min(gap_a, gap_b) < 0:
                # A word both pieces claim (a repeated "a" around an insertion): the second
                # piece gives it up.
                trimmed = _trim_front(q, -min(gap_a, gap_b))
                if trimmed is None:
                    continue
                gap_a, gap_b = trimmed.a0 - last.a1, trimmed.b0 - last.b1
            if _unrelated(a, b, (last.a1, q.a0, last.b1, q.b0), last.equal, q.equal, words):
                continue
            wide, narrow = max(gap_a, gap_b), min(gap_a, gap_b)
            limit = max(max_gap, min(_JOIN_REACH, max(sizes[g], q.equal) // 2))
            if narrow <= max_gap:
                # Words inserted on one side only (a clause, with an edit or two beside it):
                # as wide as the larger side's shared words.
                limit = max(limit, min(_JOIN_REACH, max(sizes[g], q.equal)))
            plain = wide <= limit and narrow <= max(max_gap, limit // 2)
            if not plain and (wide > max(limit, 2 * max_gap) or narrow == 0):
                continue
            if not plain and _gap_likeness(a.ids[last.a1 : q.a0], b.ids[last.b1 : q.b0]) < (
                _GAP_LIKENESS
            ):
                continue
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
    ops = [("equal", i1 + n, i2, j1 + n, j2), *piece.ops[1:]]
    return _piece_of(ops, piece.origin)


def _joined_piece(group: list[Piece], a: Prepared, b: Prepared) -> Piece:
    from rapidfuzz.distance import Levenshtein

    ops: list[_Op] = list(group[0].ops)
    for prev, nxt in itertools.pairwise(group):
        i0, i1, j0, j1 = prev.a1, nxt.a0, prev.b1, nxt.b0
        if i1 > i0 or j1 > j0:
            ops.extend(
                (op.tag, op.src_start + i0, op.src_end + i0, op.dest_start + j0, op.dest_end + j0)
                for op in Levenshtein.opcodes(a.ids[i0:i1], b.ids[j0:j1])
            )
        ops.extend(nxt.ops)
    return _piece_of(ops)


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
    """A match for every piece the rules of `classify.decide` report."""
    matches: list[Match] = []
    origins: list[int] = []
    used_a: set[int] = set()
    used_b: set[int] = set()
    for piece in pieces:
        match = _classify_one(a, b, piece, hits_a, hits_b, doc_freq, used_a, used_b)
        if match is not None:
            matches.append(match)
            origins.append(piece.origin)
    matches = _rejoin(matches, origins)
    matches.extend(_unpaired_formulae(a, b, hits_a, hits_b, used_a, used_b))
    return matches


def _classify_one(
    a: Prepared,
    b: Prepared,
    piece: Piece,
    hits_a: Sequence[FormulaHit],
    hits_b: Sequence[FormulaHit],
    doc_freq: DocFreq | None,
    used_a: set[int],
    used_b: set[int],
) -> Match | None:
    in_a, main_a = _covered_by(hits_a, piece.a0, piece.a1)
    in_b, main_b = _covered_by(hits_b, piece.b0, piece.b1)
    weight = sum(sum(a.weights[op[1] : op[2]]) for op in piece.ops if op[0] == "equal")
    if main_a is None and main_b is None and doc_freq is None and weight < MIN_PASSAGE_WEIGHT:
        return None  # neither formula nor rare enough: skip the costlier tests below
    la, lb = piece.a1 - piece.a0, piece.b1 - piece.b0
    mostly_a = main_a is not None and in_a * 2 >= la
    mostly_b = main_b is not None and in_b * 2 >= lb
    both = (
        main_a is not None
        and main_b is not None
        and mostly_a
        and mostly_b
        and main_a.template.family == main_b.template.family
    )
    if both and main_a is not None and main_b is not None:
        inside_a = main_a.start <= piece.a0 and piece.a1 <= main_a.end
        if inside_a and main_b.start <= piece.b0 and piece.b1 <= main_b.end:
            # Wholly inside both instances: report the instances themselves, once.
            if id(main_a) in used_a and id(main_b) in used_b:
                return None
            used_a.add(id(main_a))
            used_b.add(id(main_b))
            return _formula_match(a, b, main_a, main_b)
        used_a.add(id(main_a))
        used_b.add(id(main_b))
    span_a = a.tokens.range_span(piece.a0, piece.a1)
    span_b = b.tokens.range_span(piece.b0, piece.b1)
    content, rare = _content_words(a, piece)
    name_a = name_evidence(a.doc.text, a.tokens, piece.a0, piece.a1)
    name_b = name_evidence(b.doc.text, b.tokens, piece.b0, piece.b1)
    one: tuple[str, str] | None = None
    if mostly_a and main_a is not None:
        one = ("A", main_a.template.family)
    elif mostly_b and main_b is not None:
        one = ("B", main_b.template.family)
    facts = Facts(
        words=piece.equal,
        weight=weight,
        content=content,
        rare=rare,
        lexicon_both=main_a.template.family if both and main_a is not None else None,
        lexicon_one=one,
        corpus_common=None if doc_freq is None else _corpus_common_share(a, piece, doc_freq),
        topic=_topic_phrase(a, piece),
        name_a=name_a,
        name_b=name_b,
        quoted=_quoted_side(a, b, span_a, span_b),
        agenda=_agenda_side(a, b, span_a, span_b),
    )
    kind, reason = decide(facts)
    if kind is None:
        return None
    formula = None
    if kind is Kind.FORMULA and facts.lexicon_both and main_a is not None:
        formula = main_a.template.text
    elif kind is Kind.FORMULA and one is not None:
        main = main_a if one[0] == "A" else main_b
        formula = main.template.text if main is not None else None
    return _piece_match(a, b, piece, kind, reason, formula=formula)


def _content_words(a: Prepared, piece: Piece) -> tuple[tuple[str, ...], int]:
    """The distinct shared content words (as listed by --explain) and how many are rare."""
    forms: dict[str, bool] = {}
    t = a.tokens
    for op in piece.ops:
        if op[0] != "equal":
            continue
        for i in range(op[1], op[2]):
            if a.weights[i] > 0 and t.forms[i] not in forms:
                forms[t.forms[i]] = a.weights[i] >= 1.0
    return tuple(forms), sum(forms.values())


def _topic_phrase(a: Prepared, piece: Piece) -> bool:
    """A short or name-heavy phrase ("people of Portuguese Timor", "sovereignty of the DPRK"):
    frequent in a corpus because it is a topic there, not because it is boilerplate."""
    if piece.equal < _BANAL_WORDS:
        return True
    text, t = a.doc.text, a.tokens
    content = [i for i in range(piece.a0, piece.a1) if not is_stopword(t.keys[i])]
    capital = sum(1 for i in content if text[t.starts[i]].isupper())
    return bool(content) and capital * 2 >= len(content)


_BANAL_WORDS = 6
"""A formula of the genre found from corpus frequency has at least this many words."""


def _quoted_side(a: Prepared, b: Prepared, span_a: Span, span_b: Span) -> str | None:
    if inside_quotes(a.doc.text, span_a):
        return "A"
    if inside_quotes(b.doc.text, span_b):
        return "B"
    return None


def _agenda_side(a: Prepared, b: Prepared, span_a: Span, span_b: Span) -> str | None:
    if agenda_title(a.doc.text, span_a):
        return "A"
    if agenda_title(b.doc.text, span_b):
        return "B"
    return None


def _rejoin(matches: list[Match], origins: list[int]) -> list[Match]:
    """Join the parts of one alignment cut at paragraph breaks when they share a kind, when a
    quoted part stands next to phrasing (the section as a whole is not a quotation), or when a
    shorter name part (a footnote's name, a title line) does."""
    out: list[Match] = []
    parts: list[int] = []
    owners: list[int] = []
    last_origin = -1
    for match, origin in zip(matches, origins, strict=True):
        prev = out[-1] if out else None
        if prev is not None and origin >= 0 and origin == last_origin:
            kind = _rejoined_kind(prev, match)
            if kind is not None:
                out[-1] = _rejoined(prev, match, kind, parts[-1] + 1)
                parts[-1] += 1
                continue
        out.append(match)
        parts.append(1)
        owners.append(origin)
        last_origin = origin
    return _sandwiches(out, owners, parts)


def _sandwiches(out: list[Match], owners: list[int], parts: list[int]) -> list[Match]:
    """A formula, name or quotation part between two phrasing parts of one alignment is part
    of the reused section (a copied paragraph that contains a courtesy phrase): one passage."""
    i = 1
    while i + 1 < len(out):
        left, mid, right = out[i - 1], out[i], out[i + 1]
        if (
            owners[i - 1] >= 0
            and owners[i - 1] == owners[i] == owners[i + 1]
            and left.kind is Kind.PHRASING is right.kind
            and mid.kind is not Kind.PARAPHRASE
        ):
            n = parts[i - 1] + parts[i] + parts[i + 1]
            joined = _rejoined(_rejoined(left, mid, Kind.PHRASING, n), right, Kind.PHRASING, n)
            out[i - 1 : i + 2] = [replace(joined, formula=None)]
            owners[i - 1 : i + 2] = [owners[i - 1]]
            parts[i - 1 : i + 2] = [n]
            continue
        i += 1
    return out


def _rejoined_kind(prev: Match, match: Match) -> Kind | None:
    if prev.kind is match.kind:
        return prev.kind
    pair = {prev.kind, match.kind}
    if pair == {Kind.PHRASING, Kind.QUOTATION}:
        return Kind.PHRASING  # the section as a whole does not stand inside quotation marks
    if pair == {Kind.PHRASING, Kind.NAME}:
        name = prev if prev.kind is Kind.NAME else match
        other = match if name is prev else prev
        if name.words < other.words:
            return Kind.PHRASING
    if pair == {Kind.PHRASING, Kind.FORMULA}:
        # A courtesy phrase inside a long copied paragraph is part of the copy; a formula
        # standing beside a short reused phrase keeps its own passage.
        formula = prev if prev.kind is Kind.FORMULA else match
        other = match if formula is prev else prev
        if other.words >= _SECTION_WORDS and formula.words * 3 <= other.words:
            return Kind.PHRASING
    return None


_SECTION_WORDS = 30
"""A phrasing part this long is a copied section that absorbs a short formula part."""


def _rejoined(prev: Match, match: Match, kind: Kind, parts: int) -> Match:
    la = prev.a.span.end - prev.a.span.start
    lb = match.a.span.end - match.a.span.start
    shared = tuple(dict.fromkeys(prev.shared + match.shared))
    reason = prev.reason
    if parts > 1 and kind is not Kind.FORMULA:
        reason = (
            f"{kind.value}: {parts} parts of one passage, cut at paragraph breaks, joined; "
            f"{prev.words + match.words} shared words; {len(shared)} distinct content words "
            f"({', '.join(shared)})"
        )
    return Match(
        a=Passage(prev.a.doc, prev.a.span.union(match.a.span)),
        b=Passage(prev.b.doc, prev.b.span.union(match.b.span)),
        kind=kind,
        score=round((prev.score * la + match.score * lb) / max(1, la + lb), 1),
        words=prev.words + match.words,
        ops=prev.ops + match.ops,
        reason=reason,
        shared=shared,
        formula=prev.formula if kind is Kind.FORMULA else None,
    )


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
        a=Passage(a.doc.id, closing_bracket(a.doc.text, ta.range_span(piece.a0, piece.a1))),
        b=Passage(b.doc.id, closing_bracket(b.doc.text, tb.range_span(piece.b0, piece.b1))),
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


# --- paraphrase ----------------------------------------------------------------------------


_PARAPHRASE_SCORE = 40.0
"""The smallest reported paraphrase score (calibrated on Clough "non" answers and unrelated
DFAT pairs of the same year: see tests/benchmarks/bench_false_positives.py)."""


_PARAPHRASE_EVIDENCE = 3.0
"""The least summed rarity of a paraphrase's shared stems, each discounted by how often it
recurs in either document (a topic both documents discuss recurs; borrowed wording need not),
calibrated like `_PARAPHRASE_SCORE`."""


def _pair_stem_weight(a: Prepared, b: Prepared) -> Callable[[str], float]:
    """Rarity of a paraphrase stem in a pair: the weight of its commonest form in either text."""

    def weight(stem: str) -> float:
        return min(a.stem_weight(stem), b.stem_weight(stem))

    return weight


def _is_echo(m: Match, options: Options) -> bool:
    return m.kind not in (Kind.FORMULA, Kind.PARAPHRASE) and m.words < options.passage_words


def _paraphrases(
    a: Prepared, b: Prepared, matches: Sequence[Match], lexicon: Lexicon, options: Options
) -> list[Match]:
    from docdiff.engine.paraphrase import find_paraphrases

    # Passages already matched, and formula instances (courtesy language is never "reworded
    # rhetoric"), are left out; short echoes are not: a reworded sentence keeps some words.
    kept = [m for m in matches if not _is_echo(m, options)]
    ranges_a = [_token_range(a.tokens, m.a.span) for m in kept]
    ranges_b = [_token_range(b.tokens, m.b.span) for m in kept]
    covered_a = _covered_ranges(len(a.tokens), ranges_a)
    covered_b = _covered_ranges(len(b.tokens), ranges_b)
    for instances, covered in (
        (a.formula_hits(lexicon), covered_a),
        (b.formula_hits(lexicon), covered_b),
    ):
        for instance in instances:
            covered[instance.start : instance.end] = [True] * (instance.end - instance.start)
    stem_weight = _pair_stem_weight(a, b)
    hits = find_paraphrases(
        a.roots,
        b.roots,
        covered_a,
        covered_b,
        stem_weight,
        a_units=a.sentences,
        b_units=b.sentences,
        a_paragraphs=a.paragraphs,
        b_paragraphs=b.paragraphs,
        # Units kept across comparisons when the document is; built for this pair otherwise.
        a_index=a.unit_index(lexicon) if a.kept else None,
        b_index=b.unit_index(lexicon) if b.kept else None,
        a_changed=ranges_a,
        b_changed=ranges_b,
        min_score=_PARAPHRASE_SCORE,
    )
    out = []
    count_a, count_b = Counter(a.roots), Counter(b.roots)
    for h in hits:
        evidence = sum(
            stem_weight(s)
            / ((1.0 + math.log(max(1, count_a[s]))) * (1.0 + math.log(max(1, count_b[s]))))
            for s in h.shared
        )
        if evidence < _PARAPHRASE_EVIDENCE:
            continue  # the shared stems are the documents' topic, not borrowed wording
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
                    f"paraphrase: {len(forms)} content words shared in another order or "
                    f"wording ({', '.join(forms)}); score {h.score}, evidence {evidence:.1f} "
                    "(their rarity, discounted where they recur in either document)"
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


def _join_sections(matches: list[Match], a: Prepared, b: Prepared, options: Options) -> list[Match]:
    """One passage per reworded sentence group: a paraphrase joins the phrasing passages and
    echoes (its verbatim runs) and the paraphrases that overlap it or follow it in the same
    order on both sides across a small gap; the verbatim runs become ops inside it."""
    if not any(m.kind is Kind.PARAPHRASE for m in matches):
        return matches
    joinable = (Kind.PHRASING, Kind.PARAPHRASE)
    parts = sorted(
        (m for m in matches if m.kind in joinable), key=lambda m: (m.a.span.start, m.b.span.start)
    )
    others = [m for m in matches if m.kind not in joinable]
    groups: list[list[Match]] = []
    ends: list[tuple[int, int, int]] = []  # per group: a end, b end (tokens), words
    for m in parts:
        (a0, a1), (b0, b1) = _token_range(a.tokens, m.a.span), _token_range(b.tokens, m.b.span)
        best = -1
        for g in range(len(groups) - 1, max(-1, len(groups) - 1 - _JOIN_LOOKBACK), -1):
            last_a, last_b, size = ends[g]
            first = groups[g][0]
            if m.kind is not Kind.PARAPHRASE and all(
                x.kind is not Kind.PARAPHRASE for x in groups[g]
            ):
                continue
            if m.b.span.start < first.b.span.start:
                continue  # another order in B: a move, not one section
            gap_a, gap_b = a0 - last_a, b0 - last_b
            if _holds_a_sentence(a, last_a, a0) and _holds_a_sentence(b, last_b, b0):
                continue  # a sentence on each side between them: two reuses, not one group
            if _opens_paragraph(a, last_a, a0) and _opens_paragraph(b, last_b, b0):
                continue  # a letterhead or another paragraph on both sides: not one group
            # Reworded sentences of one group lie within a sentence of each other.
            limit = _SENTENCE_REACH
            if max(gap_a, gap_b) <= limit:
                best = g
                break
        if best < 0:
            groups.append([m])
            ends.append((a1, b1, m.words))
        else:
            groups[best].append(m)
            last_a, last_b, size = ends[best]
            ends[best] = (max(last_a, a1), max(last_b, b1), size + m.words)
    joined = [g[0] if len(g) == 1 else _paraphrase_group(g) for g in groups]
    return [*others, *joined]


_SENTENCE_REACH = 30
"""Parts of one reworded sentence group lie within this many words (about a sentence)."""

_GAP_SENTENCE = 5
"""A whole sentence of this many words between two parts, on both sides, keeps them apart."""


def _opens_paragraph(p: Prepared, i0: int, i1: int) -> bool:
    """Whether a paragraph starts at a token in ``(i0, i1]`` (after a blank line)."""
    breaks = p.break_list
    k = bisect.bisect_right(breaks, i0)
    return k < len(breaks) and breaks[k] <= i1


def _holds_a_sentence(p: Prepared, i0: int, i1: int) -> bool:
    """Whether tokens ``[i0, i1)`` hold a whole sentence of `_GAP_SENTENCE` words or more."""
    if i1 - i0 < _GAP_SENTENCE:
        return False
    return any(i0 <= s0 and s1 <= i1 and s1 - s0 >= _GAP_SENTENCE for s0, s1 in p.sentences)


def _paraphrase_group(group: list[Match]) -> Match:
    span_a, span_b = group[0].a.span, group[0].b.span
    for m in group[1:]:
        span_a, span_b = span_a.union(m.a.span), span_b.union(m.b.span)
    words = sum(m.words for m in group)
    shared = tuple(dict.fromkeys(w for m in group for w in m.shared))
    verbatim = sum(m.words for m in group if m.kind is Kind.PHRASING)
    return Match(
        a=Passage(group[0].a.doc, span_a),
        b=Passage(group[0].b.doc, span_b),
        kind=Kind.PARAPHRASE,
        score=round(sum(m.score * m.words for m in group) / max(1, words), 1),
        words=words,
        ops=tuple(sorted((op for m in group for op in m.ops), key=lambda op: op.a.start)),
        reason=(
            f"paraphrase: a reworded sentence group of {len(group)} parts, {verbatim} of its "
            f"{words} shared words in verbatim runs; {len(shared)} distinct content words "
            f"shared ({', '.join(shared)})"
        ),
        shared=shared,
    )


def _covered_tokens(tokens: Tokens, spans: Iterable[Span]) -> list[bool]:
    covered = [False] * len(tokens)
    for span in spans:
        i0 = bisect.bisect_left(tokens.starts, span.start)
        i1 = bisect.bisect_left(tokens.starts, span.end)
        for i in range(i0, i1):
            covered[i] = True
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
    kept = [
        m
        for m in matches
        if m.kind not in (Kind.FORMULA, Kind.NAME) and not m.reason.startswith(AGENDA_REASON)
    ]
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
