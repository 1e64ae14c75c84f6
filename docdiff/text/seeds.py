"""Stable hashes of word k-grams, the seeds of every alignment and of the corpus index.

Python's ``hash()`` is salted per process, so it is never used: a token key hashes through
BLAKE2b, and a k-gram combines its tokens' hashes by rotation and xor (cheap in pure Python and
reproducible with numpy's uint64 arithmetic for bulk indexing).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from hashlib import blake2b
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["HASH_MASK", "kgram_hash_array", "kgram_hashes", "stable_hash", "token_hash"]

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
