"""Stable hashes of word k-grams, the seeds of every alignment and of the corpus index.

Python's ``hash()`` is salted per process, so it is never used: a token key hashes through
BLAKE2b, and a k-gram combines its tokens' hashes by rotation and xor (cheap in pure Python and
reproducible with numpy's uint64 arithmetic for bulk indexing).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from hashlib import blake2b
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

_Array = TypeVar("_Array", bound="np.ndarray[Any, Any]")

__all__ = [
    "HASH_MASK",
    "Unique",
    "in_sorted",
    "kgram_hash_array",
    "kgram_hashes",
    "number_stems",
    "sorted_unique",
    "stable_hash",
    "stable_unique",
    "token_hash",
]

HASH_MASK = (1 << 63) - 1
"""k-gram hashes are 63-bit so they fit SQLite's signed integers."""
_M64 = (1 << 64) - 1
_ROT = 23


@lru_cache(maxsize=500_000)
def token_hash(key: str) -> int:
    """A stable 64-bit hash of one token key."""
    return int.from_bytes(blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def stable_hash(text: str) -> int:
    """A stable 63-bit hash of any string."""
    return token_hash(text) & HASH_MASK


def _rotl(x: int, r: int) -> int:
    r %= 64
    return ((x << r) | (x >> (64 - r))) & _M64 if r else x


def kgram_hashes(keys: Sequence[str], k: int) -> list[int]:
    """The 63-bit hash of every k-gram of `keys`, one per start position.

    hash(t_0 .. t_{k-1}) = xor over j of rotl(token_hash(t_j), ROT * (k - 1 - j)), to 63 bits.
    """
    n = len(keys) - k + 1
    if n <= 0:
        return []
    th = [token_hash(key) for key in keys]
    m = _M64
    r = (_ROT * (k - 1)) % 64
    out = [((h << r) | (h >> (64 - r))) & m for h in th[:n]] if r else th[:n]
    for j in range(1, k):
        r = (_ROT * (k - 1 - j)) % 64
        part = th[j : j + n]
        if r:
            out = [x ^ (((h << r) | (h >> (64 - r))) & m) for x, h in zip(out, part, strict=True)]
        else:
            out = [x ^ h for x, h in zip(out, part, strict=True)]
    return [x & HASH_MASK for x in out]


def kgram_hash_array(hashes: npt.NDArray[np.uint64], k: int) -> npt.NDArray[np.uint64]:
    """`kgram_hashes` in bulk, from the token hashes as a uint64 array (the same numbers)."""
    import numpy as np

    n = int(hashes.shape[0]) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)

    def rotl(x: npt.NDArray[np.uint64], r: int) -> npt.NDArray[np.uint64]:
        r %= 64
        return x if r == 0 else (x << np.uint64(r)) | (x >> np.uint64(64 - r))

    out = rotl(hashes[:n], _ROT * (k - 1))
    for j in range(1, k):
        out = out ^ rotl(hashes[j : j + n], _ROT * (k - 1 - j))
    return out & np.uint64(HASH_MASK)


def sorted_unique(values: _Array) -> _Array:
    """The distinct values, sorted: `np.unique` by a sort. (numpy 2's `np.unique` without
    counts hashes instead, about 50 times slower on the 7 million k-grams of a 40 MB
    document, and about 7 times on a speech's 3,000 words.)"""
    import numpy as np

    if len(values) < 2:
        return np.sort(values)  # type: ignore[return-value]
    s = np.sort(values)
    keep = np.empty(len(s), dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]  # type: ignore[return-value]


def in_sorted(values: npt.NDArray[Any], table: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    """Which of `values` (any order, repeats) are in `table` (sorted, each once): `np.isin` by
    binary search in the table. (`np.isin` sorts values and table together when the table
    holds more than a few dozen entries: 2.2 s for the 9.6 million tokens of the UN corpus
    against 200 function words, where the search takes 0.5 s.)"""
    import numpy as np

    if not len(table):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(table.searchsorted(values), len(table) - 1)
    held: npt.NDArray[np.bool_] = table[at] == values
    return held


class Unique(NamedTuple):
    """`np.unique` of an array with its first indices (`stable_unique`), counts and inverse on
    demand."""

    values: npt.NDArray[np.int64]
    """The distinct values, sorted."""
    first: npt.NDArray[np.intp]
    """Each one's first index in the array."""
    perm: npt.NDArray[np.intp]
    """The array's stable sort."""
    new: npt.NDArray[np.bool_]
    """Where, in sorted order, a distinct value starts."""

    def counts(self) -> npt.NDArray[np.intp]:
        """How often each one occurs (``return_counts``)."""
        import numpy as np

        return np.diff(np.append(self.new.nonzero()[0], len(self.new)))

    def inverse(self) -> npt.NDArray[np.intp]:
        """Each element's distinct value, as its place in `values` (``return_inverse``)."""
        import numpy as np

        out = np.empty(len(self.new), dtype=np.intp)
        out[self.perm] = self.new.cumsum() - 1
        return out


def stable_unique(values: npt.NDArray[np.int64]) -> Unique:
    """``np.unique(values, return_index=True)`` by its own steps, a stable sort: the same arrays
    without its per-call cost (about 25 us), which a comparison pays several times."""
    import numpy as np

    perm = values.argsort(kind="stable")
    ordered = values[perm]
    new = np.empty(len(ordered), dtype=bool)
    new[:1] = True
    new[1:] = ordered[1:] != ordered[:-1]
    return Unique(ordered[new], perm[new], perm, new)


def numbered(table: dict[str, int], keys: Sequence[str]) -> npt.NDArray[np.int64]:
    """Each key's number in `table`; the keys it lacks are added to it, numbered on from
    ``len(table)`` in the order the keys meet them. All in bulk: a document's stems are mostly
    known to the process already, and the new ones are many only in its first documents."""
    import itertools

    import numpy as np

    codes = np.fromiter(map(table.get, keys, itertools.repeat(-1)), dtype=np.int64, count=len(keys))
    missing = (codes < 0).nonzero()[0]
    if len(missing):
        new = list(map(keys.__getitem__, missing.tolist()))
        fresh = dict.fromkeys(new)  # the distinct new keys, in the order met
        start = len(table)
        table.update(zip(fresh, range(start, start + len(fresh)), strict=True))
        codes[missing] = np.fromiter(map(table.__getitem__, new), dtype=np.int64, count=len(new))
    return codes


_STEM_NUMBERS: dict[str, int] = {}
"""A number for every paraphrase stem met in this process, shared by all documents (so that
arrays of two documents join on their stems: echoes' stem pairs, paraphrase postings). The
numbers belong to this process: arrays holding them are kept in memory with their document,
never stored or sent elsewhere."""
_STEM_LOCK = threading.Lock()


def number_stems(stems: Sequence[str]) -> npt.NDArray[np.int64]:
    """Each stem's number in this process (`_STEM_NUMBERS`), the new ones numbered in the
    order met (one number per stem, also when the language server's threads compare)."""
    with _STEM_LOCK:
        return numbered(_STEM_NUMBERS, stems)
