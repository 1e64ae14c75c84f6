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

import math
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["MIN_DOCS", "MIN_MEMBERS", "ONE_FAMILY", "Likeness", "one_family"]

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
and Tobago: 0.89) are that alike by chance; copies of one article score 1.0 to 1.6."""

_NEIGHBOURS = 10
"""The nearest neighbours a document is compared with (fewer in a small corpus: a tenth of it,
at least 3)."""

_SAMPLE = 24
"""A template's documents scored at most (evenly spaced in corpus order)."""

F64 = npt.NDArray[np.float64]


def one_family(score: float | None, documents: int) -> bool:
    """Whether a template in `documents` documents whose `Likeness.family` is `score` is one
    family's wording."""
    if score is None:
        return False
    return score >= (FEWEST_BAR if documents <= MIN_MEMBERS else ONE_FAMILY)


class Likeness:
    """The documents of a corpus as tf-idf vectors of their content words, with the cosine of
    a document to every other worked out when first asked."""

    def __init__(self, words: Sequence[Iterable[str]]) -> None:
        n = self.n = len(words)
        counts = [Counter(ws) for ws in words]
        df = Counter(w for c in counts for w in c)
        # A word in one document makes no two alike; one in most of them, every two.
        vocab = {w: i for i, w in enumerate(sorted(w for w, f in df.items() if 2 <= f <= n / 2))}
        idf = {w: math.log(n / df[w]) for w in vocab}
        ptr = [0]
        cols: list[int] = []
        vals: list[float] = []
        for c in counts:
            kept = sorted(
                (vocab[w], (1.0 + math.log(k)) * idf[w]) for w, k in c.items() if w in vocab
            )
            cols.extend(j for j, _ in kept)
            vals.extend(v for _, v in kept)
            ptr.append(len(cols))
        self._ptr = np.asarray(ptr, dtype=np.int64)
        self._cols = np.asarray(cols, dtype=np.int64)
        data = np.asarray(vals, dtype=np.float64)
        rows = np.repeat(np.arange(n), np.diff(self._ptr))
        norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=n))
        norms[norms == 0] = 1.0
        self._data = data / norms[rows]
        # The same vectors by word: for each word, the documents holding it and its weights.
        by_word = np.argsort(self._cols, kind="stable")
        self._word_ptr = np.searchsorted(self._cols[by_word], np.arange(len(vocab) + 1))
        self._word_docs = rows[by_word]
        self._word_vals = self._data[by_word]
        self._cosines: dict[int, F64] = {}
        self.neighbours = max(3, min(_NEIGHBOURS, n // 10))

    def cosines(self, i: int) -> F64:
        """The cosine of document `i` with every document (its own entry is not a number)."""
        known = self._cosines.get(i)
        if known is not None:
            return known
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
        self._cosines[i] = got
        return got

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
        rows = np.vstack([self.cosines(i) for i in members])
        mutual = float(np.nanmean(rows[:, members]))
        overall = float(np.nanmean(rows))
        k = self.neighbours
        nearest = float(np.mean(-np.partition(-np.nan_to_num(rows, nan=-1.0), k - 1)[:, :k]))
        if not nearest > overall:
            return None
        return (mutual - overall) / (nearest - overall)
