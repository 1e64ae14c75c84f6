"""Compact per-document token data as numpy arrays, and vectorised k-gram hashing.

The numbers are identical to `docdiff.text.seeds.kgram_hashes` (a test pins this), so postings
written by the index, seeds found by the engine and candidates found by a scan all agree.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from docdiff.text.seeds import kgram_hash_array, sorted_unique, token_hash

__all__ = [
    "U64",
    "DocTokens",
    "decode_tokens",
    "doc_tokens",
    "encode_tokens",
    "inflate",
    "kgram_array",
    "sorted_unique",
    "token_hash_array",
    "unique_kgrams",
]

U64 = npt.NDArray[np.uint64]
I32 = npt.NDArray[np.int32]


@dataclass(frozen=True, slots=True)
class DocTokens:
    """One document's tokens as parallel arrays: token-key hashes and code-point spans."""

    hashes: U64
    starts: I32
    ends: I32

    def __len__(self) -> int:
        return int(self.hashes.shape[0])


def token_hash_array(keys: Sequence[str]) -> U64:
    """The stable 64-bit hash of every token key, as a uint64 array."""
    return np.fromiter((token_hash(k) for k in keys), dtype=np.uint64, count=len(keys))


def doc_tokens(text: str) -> DocTokens:
    """Tokenize `text` into compact arrays."""
    from docdiff.text.tokens import tokenize

    toks = tokenize(text)
    return DocTokens(
        token_hash_array(toks.keys),
        np.asarray(toks.starts, dtype=np.int32),
        np.asarray(toks.ends, dtype=np.int32),
    )


def kgram_array(hashes: U64, k: int) -> U64:
    """The 63-bit hash of every k-gram, one per start position (same numbers as the seeds)."""
    return kgram_hash_array(hashes, k)


def unique_kgrams(hashes: U64, k: int) -> U64:
    """The distinct k-gram hashes of one document, sorted."""
    return sorted_unique(kgram_array(hashes, k))


def encode_tokens(tokens: DocTokens) -> bytes:
    """A compressed blob holding the token arrays (little-endian)."""
    raw = (
        tokens.hashes.astype("<u8").tobytes()
        + tokens.starts.astype("<i4").tobytes()
        + tokens.ends.astype("<i4").tobytes()
    )
    return zlib.compress(raw, 1)


def inflate(blob: bytes, limit: int) -> bytes:
    """``zlib.decompress(blob)``, refused with a ValueError once it passes `limit` bytes: a
    row of a hostile or damaged index (a few megabytes that inflate to gigabytes) costs at
    most `limit` before it is refused. A truncated stream is refused too."""
    inflater = zlib.decompressobj()
    raw = inflater.decompress(blob, limit + 1)
    if len(raw) > limit:
        raise ValueError(f"it inflates past {limit:,} bytes")
    if not inflater.eof:
        raise ValueError("its compressed data is truncated")
    return raw


def max_text_bytes() -> int:
    """The most bytes a stored text may inflate to: the UTF-8 of the longest text a loader
    emits (`docdiff.loaders.Limits.max_text` characters)."""
    from docdiff.loaders import DEFAULT_LIMITS

    return 4 * DEFAULT_LIMITS.max_text


def decode_tokens(blob: bytes) -> DocTokens:
    """The token arrays stored by `encode_tokens` (16 bytes a token, at most a token a
    character of the longest text a loader emits: see `inflate`)."""
    raw = inflate(blob, 4 * max_text_bytes())
    n = len(raw) // 16
    hashes = np.frombuffer(raw, dtype="<u8", count=n).astype(np.uint64)
    starts = np.frombuffer(raw, dtype="<i4", count=n, offset=8 * n).astype(np.int32)
    ends = np.frombuffer(raw, dtype="<i4", count=n, offset=12 * n).astype(np.int32)
    return DocTokens(hashes, starts, ends)
