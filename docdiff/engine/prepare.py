"""A document made ready for comparison: tokens, seeds, weights, sentences and formula hits.

``prepare`` runs once per document; corpus scans keep the result and compare it with many.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import numpy.typing as npt

from docdiff.engine.align import SeedIndex, seed_index
from docdiff.engine.lexicon import FormulaHit, Lexicon
from docdiff.model import Document, Span
from docdiff.options import Options
from docdiff.text.names import TITLE_DOT
from docdiff.text.rarity import token_weights
from docdiff.text.seeds import kgram_hash_array, number_stems, token_hash
from docdiff.text.tokens import Tokens, tokenize

if TYPE_CHECKING:
    from docdiff.engine.paraphrase import UnitArrays, UnitIndex

__all__ = [
    "DocFreq",
    "Prepared",
    "StemWeights",
    "Words",
    "has_digit",
    "load_lexicon",
    "prepare",
    "split_sentences",
]


DocFreq = Callable[[int], float]
"""Share (0..1) of corpus documents that contain a k-gram hash."""

CorpusTopic = Callable[[Sequence[Sequence[int]]], bool]
"""Whether a reworded passage's shared stems are a topic of the corpus, given each stem's words
there (their token-key hashes, `Prepared.ids`): nearly all of them held together by more of its
documents than a rare word sequence may be (`docdiff.corpus.scan.WordPostings`)."""


_SEED_WEIGHT = 1.0
"""A k-gram seeds a match only if its words weigh this much (one rare word will do)."""


_COMMON_KGRAM = 0.5
"""A k-gram found in more than this share of the corpus never seeds a match on its own."""


FORMULA_KGRAM = 0.2
"""A passage whose k-grams mostly recur in this share of the corpus is a formula."""


@dataclass(slots=True)
class Prepared:
    """A document tokenized and hashed once, ready to be compared with many others."""

    doc: Document
    tokens: Tokens
    k: int
    ids: list[int]
    _hashes: list[int] | None = None
    _weights: list[float] | None = None
    _positions: dict[int, list[int]] | None = None
    _roots: list[str] | None = None
    _stem_weights: dict[str, float] | None = None
    _sentences: list[tuple[int, int]] | None = None
    _paragraphs: list[int] | None = None
    _breaks: list[int] | None = None
    _sentence_starts: list[int] | None = None
    _formulae: dict[int, list[FormulaHit]] = field(default_factory=dict)
    _unit_indexes: dict[int, UnitIndex] = field(default_factory=dict)
    kept: bool = False
    """Compared with many others (a scan's or a query's source): keep derived data that pays
    off across comparisons, such as its paraphrase units (`unit_index`)."""
    _id_array: npt.NDArray[np.uint64] | None = None
    words: Words | None = None
    """The distinct words when known (an indexed source): what depends on a token's word or
    stem alone is then derived once per word or stem (paraphrase units, echo stems)."""
    _hash_array: npt.NDArray[np.uint64] | None = None
    _weight_array: npt.NDArray[np.float64] | None = None
    _seed_index: SeedIndex | None = None
    _seedable: npt.NDArray[np.bool_] | None = None
    stored_units: tuple[object, UnitArrays] | None = None
    """The `UnitArrays` an index keeps with the document (`docdiff.corpus.derived`), with the
    templates of the lexicon whose instances they leave out: `unit_index` of that lexicon
    starts from them."""
    derived: dict[str, object] = field(default_factory=dict)
    """Per-document data later stages derive once and reuse in every comparison (echo seeds,
    two-word phrases), by the name of what derived it."""

    # A prepared document gives its k-gram hashes and token weights as lists or as arrays (at
    # least one of each); the other is made on first read. An indexed source decoded from its
    # blob (`docdiff.corpus.derived`) has only the arrays, and a query reads few of its lists.

    @property
    def hashes(self) -> list[int]:
        """The 63-bit hash of each k-gram, one per start position (from `hash_array` on first
        read when only that is known)."""
        if self._hashes is None:
            assert self._hash_array is not None, "a Prepared has its hashes as list or array"
            self._hashes = self._hash_array.tolist()
        return self._hashes

    @property
    def weights(self) -> list[float]:
        """Each token's rarity weight (from `weight_array` on first read when only that is
        known)."""
        if self._weights is None:
            assert self._weight_array is not None, "a Prepared has its weights as list or array"
            self._weights = self._weight_array.tolist()
        return self._weights

    @property
    def id_array(self) -> npt.NDArray[np.uint64]:
        """The token ids as an array (built on first use)."""
        if self._id_array is None:
            self._id_array = np.fromiter(self.ids, dtype=np.uint64, count=len(self.ids))
        return self._id_array

    @property
    def hash_array(self) -> npt.NDArray[np.uint64]:
        """The k-gram hashes as an array (built on first use)."""
        if self._hash_array is None:
            self._hash_array = np.fromiter(self.hashes, dtype=np.uint64, count=len(self.hashes))
        return self._hash_array

    @property
    def weight_array(self) -> npt.NDArray[np.float64]:
        """The token weights as an array (built on first use)."""
        if self._weight_array is None:
            self._weight_array = np.fromiter(
                self.weights, dtype=np.float64, count=len(self.weights)
            )
        return self._weight_array

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
            words = self.words
            if words is not None:
                # Each token's stem is its word's: taken in bulk (an object array).
                stems = np.fromiter(words.stems, dtype=object, count=len(words.stems))
                self._roots = stems[words.stem_of[words.which]].tolist()
            else:
                from docdiff.text.lemmas import paraphrase_stems

                t = self.tokens
                self._roots = paraphrase_stems(t.forms, t.keys, t.language())
        return self._roots

    def stem_weight(self, stem: str) -> float:
        """Rarity of a paraphrase stem in this document: the weight of its commonest form
        here (a stem is as common as its forms); numbers and references weigh nothing."""
        return self.stem_table[stem]

    @property
    def stem_table(self) -> dict[str, float]:
        """`stem_weight` as a mapping (built on first use): indexing it is `stem_weight`."""
        known = self._stem_weights
        if known is None:
            # `stem_weights` of the roots, in bulk over the stems' numbers (`stem_codes`).
            names, codes = self.stem_codes()
            least = np.full(len(names), np.inf)
            np.minimum.at(least, codes, self.weight_array)
            known = self._stem_weights = StemWeights(zip(names, least.tolist(), strict=True))
            for stem in filter(has_digit, names):
                known[stem] = 0.0
        return known

    @property
    def sentences(self) -> list[tuple[int, int]]:
        """Token ranges of the sentences (long ones cut into pieces), built on first use."""
        if self._sentences is None:
            self._sentences, self._paragraphs = split_sentences(self.doc.text, self.tokens)
        return self._sentences

    @property
    def sentence_starts(self) -> list[int]:
        """The first token of each sentence, in order (for bisecting), built on first use."""
        if self._sentence_starts is None:
            self._sentence_starts = [u[0] for u in self.sentences]
        return self._sentence_starts

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
            found = lexicon.find(
                self.tokens.keys, counts=self.key_counts, text=(self.doc.text, self.tokens)
            )
            hits = [self._close_open_end(h) for h in found]
            self._formulae[key] = hits
        return hits

    def unit_index(self, lexicon: Lexicon) -> UnitIndex:
        """Sentence units as stem vectors for paraphrase, formula instances left out (cached
        per lexicon): each comparison then recomputes only the units its matches touch."""
        from docdiff.engine.paraphrase import unit_index_of_arrays, unit_index_of_codes

        key = id(lexicon)
        index = self._unit_indexes.get(key)
        if index is None:
            covered = self.formula_covered(lexicon)
            stored = self.stored_units
            if stored is not None and stored[0] is lexicon.templates and self.words is not None:
                # Worked out when the document was indexed (`docdiff.corpus.derived`).
                names = self.words.stems
                index = unit_index_of_arrays(
                    stored[1],
                    names,
                    list(map(self.stem_table.__getitem__, names)),
                    covered,
                    self.sentences,
                    self.paragraphs,
                    numbers=self.stem_numbers(),
                )
            else:
                names, codes = self.stem_codes()
                index = unit_index_of_codes(
                    codes,
                    names,
                    list(map(self.stem_table.__getitem__, names)),
                    covered,
                    self.sentences,
                    self.paragraphs,
                )
            self._unit_indexes[key] = index
        return index

    def formula_covered(self, lexicon: Lexicon) -> list[bool]:
        """Whether each token is in an instance of the lexicon (left out of the units)."""
        covered = [False] * len(self.tokens)
        for h in self.formula_hits(lexicon):
            covered[h.start : h.end] = [True] * (h.end - h.start)
        return covered

    def stem_codes(self) -> tuple[list[str], npt.NDArray[np.intp]]:
        """The distinct paraphrase stems in the order of their first token, and each token's
        stem as its place among them (known when the words are; derived once: the paraphrase
        units, the stem numbers and the echoes' stem arrays all start from it)."""
        known = self.derived.get("stem_codes")
        if isinstance(known, tuple):
            return known
        words = self.words
        if words is not None:
            found = words.stems, words.stem_of[words.which]
        else:
            roots = self.roots
            names = list(dict.fromkeys(roots))
            numbers = dict(zip(names, range(len(names)), strict=True))
            found = (
                names,
                np.fromiter(map(numbers.__getitem__, roots), dtype=np.intp, count=len(roots)),
            )
        self.derived["stem_codes"] = found
        return found

    def stem_numbers(self) -> npt.NDArray[np.int64]:
        """The process number (`docdiff.text.seeds.number_stems`) of each distinct stem of
        `stem_codes`, in its order (derived once): echoes and paraphrase postings share it."""
        known = self.derived.get("stem_numbers")
        if isinstance(known, np.ndarray):
            return known
        numbers = number_stems(self.stem_codes()[0])
        self.derived["stem_numbers"] = numbers
        return numbers

    def _close_open_end(self, hit: FormulaHit) -> FormulaHit:
        # A template ending in a slot ("... circulated as a document of {…}") matches its
        # slot's first word only; the instance really runs to the end of the clause.
        if not hit.template.open_end:
            return hit
        t, text = self.tokens, self.doc.text
        end = hit.end
        limit = min(len(t), hit.start + (hit.end - hit.start) + 16)
        while end < limit and not _clause_ends(text, t.ends[end - 1], t.starts[end]):
            end += 1
        return FormulaHit(hit.template, hit.start, end)


@dataclass(frozen=True, slots=True)
class Words:
    """A document's distinct words, numbered in the order of their first token: each token's
    word, and each word's rarity weight and paraphrase stem (those of its tokens)."""

    which: npt.NDArray[np.intp]
    weights: list[float]
    stems: list[str]
    """The distinct stems in the order of their first word."""
    stem_of: npt.NDArray[np.intp]
    """Each word's stem, as its place in `stems`."""


def has_digit(stem: str) -> bool:
    """Whether a stem holds a digit (`str.isdigit`: any digit character)."""
    return not stem.isalpha() and any(map(str.isdigit, stem))


class StemWeights(dict[str, float]):
    """Stem -> weight in one document; a stem absent from it (asked for by a pair) weighs 1
    (0 with a digit). That answer is not stored: a kept document (a cached query source, the
    language server's open file) would otherwise hold every stem of every document it met.
    Each pair remembers its own answers (`pair_stem_weight`)."""

    def __missing__(self, stem: str) -> float:
        return 0.0 if has_digit(stem) else 1.0


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
    # The arrays the hashes are made from are kept: comparisons use them as arrays.
    id_array = np.fromiter(ids, dtype=np.uint64, count=len(ids))
    hash_array = kgram_hash_array(id_array, k)
    return Prepared(
        doc=doc,
        tokens=tokens,
        k=k,
        ids=ids,
        _hashes=hash_array.tolist(),
        _weights=token_weights(tokens),
        _id_array=id_array,
        _hash_array=hash_array,
    )


@cache
def _lexicon_for(path: str | None) -> Lexicon:
    builtin = Lexicon.builtin()
    return builtin if path is None else builtin.merged(Lexicon.load(path))


def load_lexicon(options: Options) -> Lexicon:
    """The built-in lexicon merged with the user's ``formulae`` file, if any."""
    return _lexicon_for(options.formulae)


def _seedable(
    p: Prepared, doc_freq: DocFreq | None, shares: npt.NDArray[np.float64] | None = None
) -> npt.NDArray[np.bool_]:
    k, n = p.k, len(p.hashes)
    if n <= 0:
        return np.zeros(0, dtype=bool)
    w = p.weight_array
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


_CLAUSE_END = re.compile(r"[.;:!?,\u201c\u201d\"()]|\n[ \t]*\n")


def _clause_ends(text: str, start: int, stop: int) -> bool:
    """Whether the gap ``text[start:stop]`` between two words ends a clause; the full stop of
    a title's abbreviation or of an initial ("Mr. Volkan Bozkır", "Dr. E. R. Walker") does
    not."""
    found = _CLAUSE_END.search(text, start, stop)
    if found is None:
        return False
    return not (
        found.group() == "."
        and TITLE_DOT.search(text, max(0, found.start() - 8), found.end()) is not None
        and _CLAUSE_END.search(text, found.end(), stop) is None
    )


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n|\r\n[ \t]*\r\n")


def pair_stem_weight(a: Prepared, b: Prepared) -> Callable[[str], float]:
    """Rarity of a paraphrase stem in a pair: the weight of its commonest form in either text."""

    # Asked once per token: each stem's answer is remembered, and a known one is a dict lookup.
    return _PairWeights(a.stem_table, b.stem_table).__getitem__


class _PairWeights(dict[str, float]):
    """Stem -> the smaller of its weights in two documents (filled on first use)."""

    def __init__(self, a: dict[str, float], b: dict[str, float]) -> None:
        super().__init__()
        self.a, self.b = a, b

    def __missing__(self, stem: str) -> float:
        weight = self[stem] = min(self.a[stem], self.b[stem])
        return weight


def covered_ranges(n: int, ranges: Iterable[tuple[int, int]]) -> list[bool]:
    covered = [False] * n
    for i0, i1 in ranges:
        if i1 > i0:
            covered[i0:i1] = [True] * (i1 - i0)
    return covered


def covered_tokens(tokens: Tokens, spans: Iterable[Span]) -> list[bool]:
    """Whether each token starts inside one of `spans`."""
    covered = [False] * len(tokens)
    starts = tokens.starts
    for span in spans:
        i0 = bisect.bisect_left(starts, span.start)
        i1 = bisect.bisect_left(starts, span.end)
        if i1 > i0:
            covered[i0:i1] = [True] * (i1 - i0)
    return covered


_SENTENCE_END = re.compile(r"[.!?;\u3002\uff01\uff1f]|\n[ \t]*\n|\r\n[ \t]*\r\n")


_MAX_SENTENCE = 40


def split_sentences(text: str, tokens: Tokens) -> tuple[list[tuple[int, int]], list[int]]:
    """Token ranges of sentences (cut at . ! ? ; and blank lines; long ones cut in pieces),
    and the paragraph number of each."""
    n = len(tokens)
    ends_at, par_at = _gap_breaks(text, tokens)
    units: list[tuple[int, int]] = []
    paragraphs: list[int] = []
    start = 0
    paragraph = 0
    # A sentence ends at a gap holding a sentence end, or after _MAX_SENTENCE tokens.
    for cut in [*ends_at, n]:
        while cut - start > _MAX_SENTENCE:
            units.append((start, start + _MAX_SENTENCE))
            paragraphs.append(paragraph)
            start += _MAX_SENTENCE
            if start in par_at:
                paragraph += 1
        if cut > start:
            units.append((start, cut))
            paragraphs.append(paragraph)
        start = cut
        if cut in par_at:
            paragraph += 1
    return units, paragraphs


_ENDER = re.compile(r"[.!?;\u3002\uff01\uff1f]")


def _gap_breaks(text: str, tokens: Tokens) -> tuple[list[int], set[int]]:
    """The tokens ``i`` (0 < i < n) whose gap from token ``i - 1`` holds a sentence end
    (`_SENTENCE_END`), and those whose gap holds a paragraph break (`_PARAGRAPH_BREAK`).

    The same answers as searching every gap: a gap holds a sentence end when it holds one of
    its characters or a paragraph break, and only a gap with two line breaks can hold a
    paragraph break. So the one-character patterns run once over each stretch of the tokens
    (`token_stretches`), each hit outside the tokens is placed in its gap by bisection, a long
    gap between two stretches is searched alone up to the hits it needs (a long document's
    windows, `docdiff.engine.anchored`, hold a few thousand of its tokens and the whole text
    between them), and the paragraph pattern runs on the few gaps with two line breaks.
    """
    n = len(tokens)
    if n < 2:
        return [], set()
    starts = np.fromiter(tokens.starts, dtype=np.int64, count=n)
    ends = np.fromiter(tokens.ends, dtype=np.int64, count=n)
    runs, long_gaps = token_stretches(starts, ends)
    spans = [(int(starts[i0]), int(ends[i1 - 1])) for i0, i1 in runs]
    lone = [(int(ends[g]), int(starts[g + 1])) for g in long_gaps]

    def gaps_hit(pattern: re.Pattern[str], most: int) -> npt.NDArray[np.int64]:
        """The gap (``i - 1 .. i`` numbered ``i - 1``) of each hit lying between two tokens;
        at most `most` hits of each long gap."""
        found = itertools.chain(
            *((m.start() for m in pattern.finditer(text, lo, hi)) for lo, hi in spans),
            *(
                (m.start() for m in itertools.islice(pattern.finditer(text, lo, hi), most))
                for lo, hi in lone
            ),
        )
        at = np.fromiter(found, dtype=np.int64)
        t = np.searchsorted(starts, at, side="right") - 1
        inside = (t >= 0) & (t < n - 1)
        at, t = at[inside], t[inside]
        hit: npt.NDArray[np.int64] = t[at >= ends[t]]
        return hit

    lines = np.bincount(gaps_hit(_NEWLINE, 2), minlength=n - 1)
    par_at = {
        i + 1
        for i in np.flatnonzero(lines >= 2).tolist()
        if _PARAGRAPH_BREAK.search(text, int(ends[i]), int(starts[i + 1]))
    }
    breaks = par_at.union((gaps_hit(_ENDER, 1) + 1).tolist())
    return sorted(breaks), par_at


LONG_GAP = 256
"""Characters between two tokens past which `token_stretches` cuts: the text of such a gap is
read alone, as far as a question about it needs, not with the tokens around it."""


def token_stretches(
    starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]
) -> tuple[list[tuple[int, int]], list[int]]:
    """The runs ``(i0, i1)`` of tokens (at `starts`, `ends`, at least one) between which no gap
    is longer than `LONG_GAP` characters, in order, and the long gaps between them (numbered by
    the token before each). A whole document is one run or a few; a long document's windows
    are one run a window."""
    n = len(starts)
    cuts: list[int] = (np.flatnonzero(starts[1:] - ends[:-1] > LONG_GAP)).tolist()
    bounds = [0, *(g + 1 for g in cuts), n]
    return list(itertools.pairwise(bounds)), cuts


_NEWLINE = re.compile(r"\n")


TEXT_WIDE = "text_wide"
"""The key under which a `Prepared`'s `derived` may hold a dictionary shared with other
`Prepared`s of the same text (a long document's windows, `docdiff.engine.anchored`): what
`text_wide` finds of that text is kept there, once for all of them."""

_T = TypeVar("_T")


def text_wide(p: Prepared, name: str, find: Callable[[str], _T]) -> _T:
    """What `find` gives of `p`'s whole text (its editorial apparatus, its datelines, where a
    quotation may open), found once per text and kept with `p` under `name`: in the
    dictionary `p` shares with the other windows of its long document when it has one
    (`TEXT_WIDE`), so a pair with a 40 MB document does not read the 40 MB again."""
    known: _T | None = p.derived.get(name)  # type: ignore[assignment]
    if known is None:
        shared = p.derived.get(TEXT_WIDE)
        kept = shared if isinstance(shared, dict) else p.derived
        # (what `find` gave for `name`, kept by the first window that asked)
        known = kept.get(name)  # type: ignore[assignment]
        if known is None:
            known = kept[name] = find(p.doc.text)
        p.derived[name] = known
    return known


def token_range(tokens: Tokens, span: Span) -> tuple[int, int]:
    return bisect.bisect_left(tokens.starts, span.start), bisect.bisect_left(
        tokens.starts, span.end
    )
