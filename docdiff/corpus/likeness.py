"""How alike documents are beyond their formulae: a copy family is not a genre's frame.

A formula of a genre recurs in documents that otherwise say different things ("In conclusion",
"I have the honour to {…}"). A passage copied from one source (student answers quoting one
article) and a phrase of one topic recur in documents that are alike throughout. Each document
is read as a tf-idf vector of its content words, the words of every formula instance left out
(so that documents made of one form, greetings written to a template, are not alike by that
form alone), and a template's documents are scored by where their mutual likeness falls
between two references of their own:

    family = (mutual - overall) / (nearest - overall)

`mutual` is the mean cosine between the template's documents; `overall` their mean cosine with
every document of the corpus; `nearest` their mean cosine with their own nearest neighbours.
Documents that hold a formula are, to one another, about as alike as any two of the corpus are
(near 0: the formula's spread says nothing of their subject); copies of one source or texts on
one topic are as alike to one another as to their nearest neighbours (near 1): the template is
that family's shared wording, not the genre's (`ONE_FAMILY`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["MIN_DOCS", "MIN_MEMBERS", "ONE_FAMILY", "Likeness"]

ONE_FAMILY = 0.85
"""A template's documents are one family of texts from this score up."""

MIN_DOCS = 20
"""Corpora smaller than this are not scored: too few documents to tell a family from a genre."""

MIN_MEMBERS = 3
"""Templates in fewer documents are not scored."""

FEWEST_BAR = 1.0
"""The bar for a template in `MIN_MEMBERS` documents: three documents must be at least as alike
to one another as to their nearest neighbours. Three of neighbouring subjects that share a
courtesy ("Let me also pay tribute to {…}" in the speeches of Samoa, Seychelles and Trinidad
and Tobago: 0.89) are that alike by chance. Of eight three-answer copies of one article in
Clough and Stevenson's corpus, five score 1.05 to 1.6; the other three (0.73 to 0.98) stay
listed."""

_NEIGHBOURS = 10
"""The nearest neighbours a document is compared with (fewer in a small corpus: a tenth of it,
at least 3)."""

_SAMPLE = 24
"""A template's documents scored at most (evenly spaced in corpus order)."""

F64 = npt.NDArray[np.float64]


class Likeness:
    """The documents of a corpus as tf-idf vectors of their content words; how alike a
    document is to the corpus and to its nearest neighbours is worked out when first asked."""

    def __init__(self, words: Sequence[npt.NDArray[np.int64]]) -> None:
        """`words`: each document's content words, as integers (`of_words` numbers strings)."""
        n = self.n = len(words)
        sizes = np.fromiter(map(len, words), dtype=np.int64, count=n)
        flat = np.concatenate(
            [np.asarray(w, dtype=np.int64) for w in words] or [np.zeros(0, np.int64)]
        )
        held, word_of = np.unique(flat, return_inverse=True)
        v = max(1, len(held))
        # Each (document, word) once with its count, in document order, words ascending.
        pair, tf = np.unique(
            np.repeat(np.arange(n, dtype=np.int64), sizes) * v + word_of.ravel(),
            return_counts=True,
        )
        doc_of, col = np.divmod(pair, v)
        df = np.bincount(col, minlength=v)
        # A word in one document makes no two alike; one in most of them, every two.
        used = (df >= 2) & (df <= n / 2)
        keep = used[col]
        doc_of, col, tf = doc_of[keep], col[keep], tf[keep]
        number = np.cumsum(used) - 1  # the words kept, numbered from 0
        col = number[col]
        idf = np.log(n / df[used])
        data = (1.0 + np.log(tf)) * idf[col]
        norms = np.sqrt(np.bincount(doc_of, weights=data * data, minlength=n))
        norms[norms == 0] = 1.0
        self._ptr = np.concatenate(([0], np.cumsum(np.bincount(doc_of, minlength=n))))
        self._cols = col
        self._data = data / norms[doc_of]
        # The same vectors by word: for each word, the documents holding it and its weights.
        by_word = np.argsort(col, kind="stable")
        self._word_ptr = np.searchsorted(col[by_word], np.arange(int(used.sum()) + 1))
        self._word_docs = doc_of[by_word]
        self._word_vals = self._data[by_word]
        self._profiles: dict[int, tuple[float, float]] = {}
        self.neighbours = max(3, min(_NEIGHBOURS, n // 10))

    @classmethod
    def of_words(cls, words: Sequence[Iterable[str]]) -> Likeness:
        """The likeness of documents given as their content words."""
        number: dict[str, int] = {}
        return cls(
            [
                np.fromiter((number.setdefault(w, len(number)) for w in ws), dtype=np.int64)
                for ws in words
            ]
        )

    def cosines(self, i: int) -> F64:
        """The cosine of document `i` with every document (its own entry is not a number)."""
        lo, hi = self._ptr[i], self._ptr[i + 1]
        words, weights = self._cols[lo:hi], self._data[lo:hi]
        starts = self._word_ptr[words]
        lengths = self._word_ptr[words + 1] - starts
        # Every posting of the document's words, gathered in one go.
        first = np.cumsum(lengths) - lengths
        at = np.repeat(starts - first, lengths) + np.arange(int(lengths.sum()))
        got = np.bincount(
            self._word_docs[at],
            weights=self._word_vals[at] * np.repeat(weights, lengths),
            minlength=self.n,
        ).astype(np.float64)  # (an integer array when the document has no words)
        got[i] = np.nan
        return got

    def _profile(self, i: int) -> tuple[float, float]:
        """Document `i`'s mean cosine with every other document and with its nearest
        neighbours, kept (its cosines are not: a corpus's worth for every document asked)."""
        known = self._profiles.get(i)
        if known is None:
            others = np.delete(self.cosines(i), i)
            k = min(self.neighbours, len(others))
            nearest = np.partition(others, len(others) - k)[len(others) - k :]
            known = self._profiles[i] = (float(others.mean()), float(nearest.mean()))
        return known

    def _mutual(self, members: Sequence[int]) -> float:
        """The mean cosine between two of `members` (their vectors side by side, over the
        words they hold)."""
        spans = [(self._ptr[i], self._ptr[i + 1]) for i in members]
        held = np.unique(np.concatenate([self._cols[lo:hi] for lo, hi in spans]))
        m = np.zeros((len(members), len(held)))
        for row, (lo, hi) in enumerate(spans):
            m[row, np.searchsorted(held, self._cols[lo:hi])] = self._data[lo:hi]
        s = m @ m.T
        n = len(members)
        return float((s.sum() - np.trace(s)) / (n * (n - 1)))

    def family(self, docs: Iterable[int]) -> float | None:
        """Where the mutual likeness of `docs` falls between their likeness to the corpus (0)
        and to their own nearest neighbours (1); None when there is too little to tell (fewer
        than `MIN_MEMBERS` documents, a corpus under `MIN_DOCS`, documents with no words to
        compare)."""
        members = sorted(set(docs))
        if len(members) < MIN_MEMBERS or self.n < MIN_DOCS:
            return None
        if len(members) > _SAMPLE:
            step = len(members) / _SAMPLE
            members = [members[int(j * step)] for j in range(_SAMPLE)]
        profiles = [self._profile(i) for i in members]
        overall = sum(p[0] for p in profiles) / len(profiles)
        nearest = sum(p[1] for p in profiles) / len(profiles)
        if not nearest > overall:
            return None
        return (self._mutual(members) - overall) / (nearest - overall)

    def one_family(self, docs: Iterable[int]) -> bool:
        """Whether `docs` (a template's documents) are one family of texts: their `family`
        score reaches `ONE_FAMILY`, or `FEWEST_BAR` when they are `MIN_MEMBERS`."""
        members = set(docs)
        score = self.family(members)
        bar = FEWEST_BAR if len(members) <= MIN_MEMBERS else ONE_FAMILY
        return score is not None and score >= bar
