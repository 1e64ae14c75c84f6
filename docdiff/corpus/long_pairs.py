"""A scan's pairs with a very long document, compared through windows around shared anchors.

`docdiff.corpus.scan.PairAligner` sends here every pair in which one document has more than
`docdiff.engine.anchored.LONG_TOKENS` tokens. The long document is kept compactly (its token
arrays, which the scan already holds, and its sorted k-grams), never prepared whole; each pair
prepares the other document as usual and only the windows of the long one around what they
share (`docdiff.engine.anchored.compare_long`). The corpus rarity of the long document's
k-grams comes from the scan's own document frequencies, as for any other document.

Two long documents in one pair are compared the ordinary way (the shorter of them is prepared
whole): such pairs are rare, and bounding them needs windows on both sides.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from typing import TYPE_CHECKING, ClassVar

import numpy as np
import numpy.typing as npt

from docdiff.model import PairResult

if TYPE_CHECKING:
    from docdiff.corpus.scan import PairAligner
    from docdiff.engine.anchored import LongDocument

__all__ = ["LONG_KEPT", "LongPairs"]

LONG_KEPT = 2
"""Long documents kept ready per aligner (about 25 bytes a token each)."""


class LongPairs:
    """The long-document pairs of one `PairAligner` (see the module docstring)."""

    _BY_ALIGNER: ClassVar[weakref.WeakKeyDictionary[PairAligner, LongPairs]] = (
        weakref.WeakKeyDictionary()
    )

    def __init__(self, aligner: PairAligner) -> None:
        self.aligner = aligner
        self.kept: OrderedDict[int, LongDocument] = OrderedDict()

    @classmethod
    def of(cls, aligner: PairAligner) -> LongPairs:
        """The long-pair helper of `aligner` (made on first use, kept with it)."""
        got = cls._BY_ALIGNER.get(aligner)
        if got is None:
            got = cls._BY_ALIGNER[aligner] = cls(aligner)
        return got

    def is_long(self, i: int) -> bool:
        """Whether document `i` is over the long-document size."""
        from docdiff.engine import anchored

        return len(self.aligner.tokens(i)) > anchored.LONG_TOKENS

    def involves(self, i: int, j: int) -> bool:
        """Whether exactly one document of the pair is long (such pairs are aligned here)."""
        return self.is_long(i) != self.is_long(j)

    def align(self, i: int, j: int) -> PairResult:
        """The pair ``(i, j)`` compared through the long document's windows."""
        from docdiff.engine.anchored import compare_long

        aligner = self.aligner
        long_first = self.is_long(i)
        short_at, long_at = (j, i) if long_first else (i, j)
        short, doc_freq, mask = aligner.ready(short_at)
        result, _ = compare_long(
            short, self._long(long_at), aligner.options, lexicon=aligner.lexicon,
            doc_freq=doc_freq, seed_mask=mask, long_first=long_first, long_shares=self._shares,
            few_senders=aligner.few_senders,
            topic=aligner.topic, rare=aligner.rare,
        )  # fmt: skip
        return result

    def _long(self, i: int) -> LongDocument:
        from docdiff.engine.anchored import long_document

        hit = self.kept.get(i)
        if hit is not None:
            self.kept.move_to_end(i)
            return hit
        arrays = self.aligner.tokens(i)
        doc = self.aligner.document(i)
        long = long_document(
            doc, arrays.hashes, arrays.starts, arrays.ends, self.aligner.options.seed_words
        )
        self.kept[i] = long
        while len(self.kept) > LONG_KEPT:
            self.kept.popitem(last=False)
        return long

    def _shares(self, hashes: npt.NDArray[np.uint64]) -> npt.NDArray[np.float64]:
        """The corpus share of each k-gram, as the aligner gives every document's."""
        return self.aligner.kgram_shares(hashes)
