"""Scan a corpus: candidate pairs from shared rare k-grams, parallel alignment, clusters.

The stages are pure functions over compact data so they can run anywhere (a process pool here,
Ray in `docdiff.backends`):

* `document_frequencies` — distinct k-gram hashes of every document -> (sorted hashes, counts);
* `postings` — the ``(hash, doc)`` postings of rare k-grams, optionally one hash partition;
* `pair_counts` / `merge_pair_counts` — how many rare k-grams each document pair shares;
* `candidate_pairs` — the pairs worth aligning (sub-quadratic: common k-grams never pair docs);
* `docdiff.corpus.anchor_align.Anchored` — every pair's passages from its shared rare k-grams,
  in bulk, when there are more pairs than ``full_pairs``;
* `align_pairs` — `compare_prepared` over a list of pairs, with the corpus document frequency.
"""

from __future__ import annotations

import math
import os
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from docdiff.errors import OptionsError
from docdiff.index.arrays import U64, DocTokens, doc_tokens, unique_kgrams
from docdiff.model import Document, DuplicateGroup, PairResult, Report
from docdiff.options import CANDIDATE_WORDS as _CANDIDATE_WORDS
from docdiff.options import Options, ScanOptions

if TYPE_CHECKING:
    from docdiff.corpus.anchor_align import Anchored
    from docdiff.corpus.metadata import Senders
    from docdiff.engine.prepare import CorpusTopic
    from docdiff.index import CorpusIndex

__all__ = [
    "CorpusArrays",
    "ScanPlan",
    "align_pairs",
    "candidate_pairs",
    "default_max_df",
    "df_share",
    "document_frequencies",
    "finish_scan",
    "fit_budget",
    "load_corpus",
    "load_documents",
    "merge_pair_counts",
    "pair_counts",
    "plan_scan",
    "postings",
    "scan",
    "set_aside_duplicates",
]

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
Progress = Callable[[str, int, int], None]
Candidates = Callable[[Sequence[DocTokens], int, int, int], npt.NDArray[np.int64]]
"""A candidate stage: ``(tokens, k, min_shared, max_df)`` -> `candidate_pairs` rows."""
Tokenize = Callable[[list[str]], list[DocTokens]]
"""A tokenizing stage: texts -> their `doc_tokens`, in order."""
_PAIR_BLOCK = 20_000_000  # pair codes held before a reduction (160 MB)


# --- compact corpus ------------------------------------------------------------------------------


@dataclass(slots=True)
class CorpusArrays:
    """The documents of a scan: ids, metadata and compact tokens, with a lazy text source."""

    ids: list[str]
    metas: list[Mapping[str, str]]
    tokens: list[DocTokens]
    fetch: Callable[[Sequence[int]], list[Document]]
    """Full documents for positions in this corpus (texts load only when needed)."""
    derived: Callable[[Sequence[int]], dict[int, bytes]] | None = None
    """For an index: the derived blobs (`docdiff.corpus.derived`) of positions in this corpus
    that the running code made, by position (the others are left out)."""
    _senders: list[str | None] | None = field(default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.ids)

    def senders(self) -> list[str | None]:
        """Each document's sender (`docdiff.corpus.metadata.sender_list`), read once."""
        if self._senders is None:
            from docdiff.corpus.metadata import sender_list

            self._senders = sender_list(self.metas)
        return self._senders


def load_corpus(
    source: CorpusIndex | Sequence[Document],
    *,
    where: str | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
    tokenize: Tokenize | None = None,
) -> CorpusArrays:
    """The documents of `source` that pass the `where` filter, as compact arrays, in the order
    of their ids: a scan of the same documents is the same scan whatever order they come in
    (which of a pair is its A, and so each passage's edges, follow that order)."""
    from docdiff.corpus.metadata import parse_where

    predicate = parse_where(where) if where else None
    if isinstance(source, Sequence):
        if predicate is not None:
            predicate.check_fields(d.meta for d in source)
        docs = sorted(
            (d for d in source if predicate is None or predicate(d.meta)), key=lambda d: d.id
        )
        _unique_ids(docs)
        texts = [d.text for d in docs]
        tokens = tokenize(texts) if tokenize else list(_tokenize_all(texts, jobs, progress))

        def fetch_docs(positions: Sequence[int]) -> list[Document]:
            return [docs[p] for p in positions]

        return CorpusArrays([d.id for d in docs], [d.meta for d in docs], tokens, fetch_docs)
    every = list(source.documents())
    if predicate is not None:
        predicate.check_fields(i.meta for i in every)
    infos = sorted((i for i in every if predicate is None or predicate(i.meta)), key=lambda i: i.id)
    numbers = [i.number for i in infos]
    toks: list[DocTokens] = []
    step = 500
    for start in range(0, len(numbers), step):
        toks.extend(source.tokens_by_number(numbers[start : start + step]))
        if progress:
            progress("read", min(start + step, len(numbers)), len(numbers))
    index = source

    def fetch_index(positions: Sequence[int]) -> list[Document]:
        return index.documents_by_number([numbers[p] for p in positions])

    def fetch_derived(positions: Sequence[int]) -> dict[int, bytes]:
        from docdiff.corpus.derived import fingerprint

        at = {numbers[p]: p for p in positions}
        found = index.derived_by_number(list(at), fingerprint())
        return {at[n]: blob for n, blob in found.items() if blob}

    return CorpusArrays(
        [i.id for i in infos], [i.meta for i in infos], toks, fetch_index, fetch_derived
    )


def _tokenize_all(texts: list[str], jobs: int, progress: Progress | None) -> Iterator[DocTokens]:
    """Compact tokens of many texts, in order, in a process pool when it pays."""
    if jobs <= 1 or len(texts) < 64:
        for i, text in enumerate(texts):
            yield doc_tokens(text)
            if progress:
                progress("tokenize", i + 1, len(texts))
        return
    from concurrent.futures import ProcessPoolExecutor

    from docdiff.procs import fork_context, worker_init

    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=fork_context(), initializer=worker_init
    ) as pool:
        for i, toks in enumerate(pool.map(doc_tokens, texts, chunksize=16)):
            yield toks
            if progress:
                progress("tokenize", i + 1, len(texts))


def _unique_ids(docs: Sequence[Document]) -> None:
    seen: set[str] = set()
    for d in docs:
        if d.id in seen:
            raise OptionsError(f"two documents share the id {d.id!r}; give each a distinct id")
        seen.add(d.id)


def load_documents(
    paths: Sequence[str | Path],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    meta: Mapping[str, Mapping[str, str]] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> tuple[list[Document], list[tuple[str, str]]]:
    """Load every document under `paths` (ids as in the index); unreadable files are listed."""
    from docdiff.corpus.metadata import lookup_meta
    from docdiff.errors import InputError
    from docdiff.index import doc_id_for
    from docdiff.loaders import iter_corpus, load

    files: list[tuple[Path, str]] = []
    taken: set[str] = set()
    for given in paths:
        root = Path(given)
        for f in iter_corpus([root], include=include, exclude=exclude):
            doc_id = doc_id_for(Path(f), root)
            if doc_id in taken:
                doc_id = str(f)
            taken.add(doc_id)
            files.append((Path(f), doc_id))
    docs: list[Document] = []
    failed: list[tuple[str, str]] = []
    for n, (f, doc_id) in enumerate(files, start=1):
        try:
            doc = load(f, doc_id=doc_id)
        except InputError as exc:
            failed.append((str(f), exc.problem))
            continue
        if meta:
            row = lookup_meta(meta, doc_id=doc_id, path=str(f))
            if row:
                doc = replace(doc, meta={**doc.meta, **row})
        docs.append(doc)
        if progress:
            progress(n, len(files), str(f))
    return docs, failed


# --- candidates ----------------------------------------------------------------------------------


def document_frequencies(kgram_sets: Sequence[U64]) -> tuple[U64, I64]:
    """Sorted distinct k-gram hashes of the corpus and how many documents hold each."""
    if not kgram_sets:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    uniq, counts = np.unique(np.concatenate(kgram_sets), return_counts=True)
    return uniq, counts.astype(np.int64)


def default_max_df(n_docs: int) -> int:
    """The most documents a k-gram may occur in and still pair documents up."""
    return max(5, math.ceil(0.02 * n_docs))


def _df_of(hashes: U64, uniq: U64, counts: I64) -> I64:
    pos = np.searchsorted(uniq, hashes)
    pos = np.minimum(pos, max(len(uniq) - 1, 0))
    if len(uniq) == 0:
        return np.zeros(len(hashes), dtype=np.int64)
    found = uniq[pos] == hashes
    return np.where(found, counts[pos], 0).astype(np.int64)


def postings(
    kgram_sets: Sequence[U64],
    uniq: U64,
    counts: I64,
    *,
    min_df: int = 2,
    max_df: int,
    part: int = 0,
    parts: int = 1,
) -> tuple[U64, I32]:
    """Postings ``(hash, doc)`` of k-grams with `min_df` <= df <= `max_df`, sorted by hash, doc.

    With ``parts > 1`` only hashes with ``hash % parts == part`` are kept: candidate generation is
    partitioned by k-gram hash.
    """
    hs: list[U64] = []
    ds: list[I32] = []
    for i, all_h in enumerate(kgram_sets):
        h = all_h[(all_h % np.uint64(parts)) == np.uint64(part)] if parts > 1 else all_h
        df = _df_of(h, uniq, counts)
        keep = h[(df >= min_df) & (df <= max_df)]
        hs.append(keep)
        ds.append(np.full(len(keep), i, dtype=np.int32))
    if not hs:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int32)
    hashes = np.concatenate(hs)
    docs = np.concatenate(ds)
    order = np.lexsort((docs, hashes))
    return hashes[order], docs[order]


def _rare_postings(kgram_sets: Sequence[U64], min_df: int, max_df: int) -> tuple[U64, I32]:
    """`postings` of the whole corpus in one sort: the same rows, sorted by hash then document.

    Each set holds a document's distinct hashes, so a hash's document frequency is the length
    of its run in the sorted whole (no per-document lookup in the corpus's distinct hashes).
    """
    if not kgram_sets:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int32)
    hashes = np.concatenate(kgram_sets)
    docs = np.repeat(np.arange(len(kgram_sets), dtype=np.int32), [len(s) for s in kgram_sets])
    order = np.argsort(hashes, kind="stable")  # documents rise within a hash: already in order
    hashes, docs = hashes[order], docs[order]
    if not len(hashes):
        return hashes, docs
    starts = np.flatnonzero(np.concatenate(([True], hashes[1:] != hashes[:-1])))
    runs = np.diff(np.append(starts, len(hashes)))
    df = np.repeat(runs, runs)
    keep = (df >= min_df) & (df <= max_df)
    return hashes[keep], docs[keep]


def pair_counts(hashes: U64, docs: I32, n_docs: int) -> tuple[I64, I64]:
    """Pair codes ``i * n_docs + j`` (i < j) with the number of posted k-grams they share."""
    if len(hashes) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    bounds = np.flatnonzero(np.diff(hashes)) + 1
    starts = np.concatenate(([0], bounds))
    sizes = np.diff(np.concatenate((starts, [len(hashes)])))
    d64 = docs.astype(np.int64)
    partial: list[tuple[I64, I64]] = []
    pending: list[I64] = []
    held = 0
    for size in np.unique(sizes):
        s = int(size)
        if s < 2:
            continue
        group_starts = starts[sizes == size]
        block = d64[group_starts[:, None] + np.arange(s)[None, :]]
        iu, ju = np.triu_indices(s, 1)
        # Work through big blocks in slices to bound memory.
        rows_per_slice = max(1, _PAIR_BLOCK // len(iu))
        for r in range(0, len(block), rows_per_slice):
            sub = block[r : r + rows_per_slice]
            codes = (sub[:, iu] * n_docs + sub[:, ju]).ravel()
            pending.append(codes)
            held += len(codes)
            if held >= _PAIR_BLOCK:
                partial.append(_reduce(pending))
                pending, held = [], 0
    if pending:
        partial.append(_reduce(pending))
    return merge_pair_counts(partial)


def _reduce(codes: list[I64]) -> tuple[I64, I64]:
    uniq, counts = np.unique(np.concatenate(codes), return_counts=True)
    return uniq, counts.astype(np.int64)


def merge_pair_counts(parts: Sequence[tuple[I64, I64]]) -> tuple[I64, I64]:
    """Sum the shared-k-gram counts of pair codes coming from several partitions."""
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if len(parts) == 1:
        return parts[0]
    codes = np.concatenate([p[0] for p in parts])
    counts = np.concatenate([p[1] for p in parts])
    uniq, inverse = np.unique(codes, return_inverse=True)
    summed = np.bincount(inverse, weights=counts, minlength=len(uniq)).astype(np.int64)
    return uniq, summed


def candidate_pairs(
    kgram_sets: Sequence[U64],
    *,
    min_shared: int,
    max_df: int | None = None,
    min_df: int = 2,
    parts: int = 1,
    df: tuple[U64, I64] | None = None,
) -> npt.NDArray[np.int64]:
    """Document pairs sharing at least `min_shared` rare k-grams: rows ``(i, j, shared)``, i < j."""
    n = len(kgram_sets)
    cap = default_max_df(n) if max_df is None else max_df
    if df is None and parts == 1:
        merged = pair_counts(*_rare_postings(kgram_sets, min_df, cap), n)
        codes, shared = merged
        keep = shared >= min_shared
        codes, shared = codes[keep], shared[keep]
        return np.stack((codes // max(n, 1), codes % max(n, 1), shared), axis=1).astype(np.int64)
    uniq, counts = df if df is not None else document_frequencies(kgram_sets)
    merged = merge_pair_counts(
        [
            pair_counts(
                *postings(kgram_sets, uniq, counts, min_df=min_df, max_df=cap, part=p, parts=parts),
                n,
            )
            for p in range(parts)
        ]
    )
    codes, shared = merged
    keep = shared >= min_shared
    codes, shared = codes[keep], shared[keep]
    return np.stack((codes // max(n, 1), codes % max(n, 1), shared), axis=1).astype(np.int64)


# --- alignment -----------------------------------------------------------------------------------


PRIOR_DOCS = 50
"""Pseudo-documents lacking every k-gram: in a corpus of eight letters a passage copied into five
is reuse, not a formula, so small corpora's shares are shrunk towards zero."""


def df_share(df: float, n_docs: int) -> float:
    """The smoothed share of corpus documents holding a k-gram found in `df` of `n_docs`."""
    return float(df) / (n_docs + PRIOR_DOCS)


def df_shares(dfs: npt.NDArray[np.int64], n_docs: int) -> npt.NDArray[np.float64]:
    """`df_share` of each of `dfs`, in bulk (the same division, so the same numbers)."""
    shares: npt.NDArray[np.float64] = dfs.astype(np.float64) / (n_docs + PRIOR_DOCS)
    return shares


def rare_share(n_docs: int) -> float:
    """The corpus share (`df_share`) of a k-gram in `default_max_df` documents: above it a
    k-gram is no longer rare, and a passage most of whose k-grams are above it is wording many
    documents share (`docdiff.engine.score.widely_shared`)."""
    return df_share(default_max_df(n_docs), n_docs)


TOPIC_SHARE = 0.8
"""The share of a reworded passage's shared stems a document holds to hold them ("nearly all")."""

TOPIC_WINDOW = 300
"""The tokens in which a document must hold those stems together: windows of this many tokens,
overlapping by half (a paragraph or two, where a topic is discussed). Measured with
``tests/benchmarks/bench_reworded.py --scan``: held anywhere in a document, the test also
took reworded sentences for a topic; within 300 tokens it left them all on UN 2017."""


_KEY_CHUNK = 1 << 21
"""Tokens whose (word, window) keys are made at once (`WordPostings.of`)."""

_NO_KEYS = np.zeros(0, dtype=np.uint64)
_NO_WINDOWS = np.zeros(0, dtype=np.int32)


def _window_keys(pieces: Sequence[tuple[U64, int]], first: I64, counts: I64, uniq: U64) -> U64:
    """The distinct (word, window) keys of `pieces` (a document's token hashes from a token
    position on: whole documents, or stretches of a long one), whose documents' windows are
    numbered from `first` (`counts` each): the word's number in `uniq` shifted 32 bits, or the
    window."""
    step = TOPIC_WINDOW // 2
    lengths = np.fromiter((len(h) for h, _ in pieces), dtype=np.int64, count=len(pieces))
    if not lengths.sum():
        return _NO_KEYS
    hashes = np.concatenate([h for h, _ in pieces])
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int32)
    starts = np.fromiter((at for _, at in pieces), dtype=np.int32, count=len(pieces))
    # (32-bit: a corpus's windows and a document's tokens number fewer than 2**31.)
    at = np.arange(len(hashes), dtype=np.int32) - np.repeat(offsets - starts, lengths)
    at //= step
    base = np.repeat(first.astype(np.int32), lengths)
    late = np.minimum(at, np.repeat((counts - 1).astype(np.int32), lengths))
    early = at - 1
    both = (early >= 0) & (early < late)
    codes = np.searchsorted(uniq, hashes).astype(np.uint64) << np.uint64(32)
    del hashes, at
    keys = np.concatenate(
        (codes | (base + late).astype(np.uint64), (codes | (base + early).astype(np.uint64))[both])
    )
    return _sorted_once(keys)


def _sorted_once(keys: U64) -> U64:
    """`keys` sorted in place, each once (`np.unique` sorts a copy, and more slowly)."""
    keys.sort()
    if len(keys) < 2:
        return keys
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))]


class WordPostings:
    """In which windows (`TOPIC_WINDOW`) of a corpus's documents each word (token-key hash)
    stands: `is_topic` answers the engine's `docdiff.engine.prepare.CorpusTopic`."""

    __slots__ = ("_first", "_n", "_starts", "_uniq", "_windows")

    def __init__(self, uniq: U64, starts: I64, windows: I32, first: I64) -> None:
        self._uniq, self._starts, self._windows, self._first = uniq, starts, windows, first
        self._n = len(first) - 1

    @classmethod
    def of(cls, tokens: Sequence[DocTokens]) -> WordPostings:
        """The postings of the words of documents `tokens` (positions in that order)."""
        step = TOPIC_WINDOW // 2
        lengths = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
        # Windows of a document: k covers tokens [k * step, k * step + TOPIC_WINDOW).
        counts = np.maximum(1, -(-np.maximum(0, lengths - TOPIC_WINDOW) // step) + 1)
        first = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        uniq = np.unique(np.concatenate([np.unique(t.hashes) for t in tokens] or [_NO_KEYS]))
        # Each (word, window) as one number, word first, made a few documents at a time (the
        # whole corpus's at once would take several times the postings' memory).
        parts = [_NO_KEYS]
        # Pieces of about `_KEY_CHUNK` tokens: a few documents, or a stretch of a long one.
        pieces: list[tuple[U64, int]] = []
        owners: list[int] = []
        held = 0
        for n, t in enumerate(tokens):
            for start in range(0, max(1, len(t)), _KEY_CHUNK):
                pieces.append((t.hashes[start : start + _KEY_CHUNK], start))
                owners.append(n)
                held += min(_KEY_CHUNK, len(t) - start)
                if held >= _KEY_CHUNK:
                    parts.append(_window_keys(pieces, first[owners], counts[owners], uniq))
                    pieces, owners, held = [], [], 0
        if pieces:
            parts.append(_window_keys(pieces, first[owners], counts[owners], uniq))
        keys = np.concatenate(parts)
        del parts
        # Each word's windows ascend after it (a window across two stretches of a long
        # document came from both: once).
        keys = _sorted_once(keys)
        firsts = np.arange(len(uniq) + 1, dtype=np.uint64) << np.uint64(32)
        starts = np.searchsorted(keys, firsts).astype(np.int64)
        return cls(uniq, starts, (keys & np.uint64(0xFFFFFFFF)).astype(np.int32), first)

    @classmethod
    def from_arrays(cls, arrays: tuple[U64, I64, I32, I64]) -> WordPostings:
        """Postings sent to another process as `arrays`."""
        return cls(*arrays)

    def arrays(self) -> tuple[U64, I64, I32, I64]:
        """The sorted word hashes, where each one's windows start, the windows, and each
        document's first window."""
        return self._uniq, self._starts, self._windows, self._first

    def to_bytes(self) -> bytes:
        """The postings as bytes (`from_bytes`): an index keeps them."""
        import io

        out = io.BytesIO()
        np.savez(out, *self.arrays())
        return out.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> WordPostings:
        """The postings `to_bytes` gave (a ValueError if they are not)."""
        import io

        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as held:
                uniq, starts, windows, first = (held[f"arr_{n}"] for n in range(4))
        except (OSError, KeyError, EOFError, ValueError) as exc:
            raise ValueError(f"not word postings: {exc}") from None
        # (Converted only when stored otherwise: the windows are tens of megabytes, and a
        # query waits for them on its first topic test.)
        return cls(
            uniq.astype(np.uint64, copy=False), starts, windows.astype(np.int32, copy=False), first
        )

    def holding(self, stems: Sequence[Sequence[int]], share: float = TOPIC_SHARE) -> int:
        """How many documents hold at least `share` of `stems` (a stem: any of its words) in
        one window."""
        if not stems or not len(self._windows):
            return 0
        n_windows = int(self._first[-1])
        uniq, starts, windows = self._uniq, self._starts, self._windows
        # Each stem's windows, once each (a word's windows are distinct; a stem of several
        # words marks theirs: no sort), then counted in one pass.
        per_stem: list[npt.NDArray[np.signedinteger[Any]]] = [_NO_WINDOWS]
        for words in stems:
            found = np.asarray(words, dtype=np.uint64)
            at = np.searchsorted(uniq, found)
            at = at[(at < len(uniq)) & (uniq[np.minimum(at, len(uniq) - 1)] == found)].tolist()
            if len(at) == 1:
                per_stem.append(windows[starts[at[0]] : starts[at[0] + 1]])
            elif at:
                marked = np.zeros(n_windows, dtype=bool)
                for k in at:
                    marked[windows[starts[k] : starts[k + 1]]] = True
                per_stem.append(marked.nonzero()[0])
        held = np.bincount(np.concatenate(per_stem), minlength=n_windows)
        full = np.flatnonzero(held >= math.ceil(share * len(stems)))
        return len(np.unique(np.searchsorted(self._first, full, side="right") - 1))

    def is_topic(self, stems: Sequence[Sequence[int]]) -> bool:
        """Whether more documents hold nearly all of `stems` together than a k-gram may be in
        and still pair documents up (`default_max_df`): the corpus's topic."""
        return self.holding(stems) > default_max_df(self._n)


RECENT_DOCS = 512
"""Documents an aligner keeps ready to compare (about 0.6 MB each for a 2,500-word speech)."""


class PairAligner:
    """Aligns document pairs of one corpus, deriving each document's data once per process.

    A document is tokenized once, by the index or by the scan's tokenizing stage: its token
    arrays (ids and spans) are reused here, never re-tokenized. What a comparison needs of a
    document (forms and keys, formula instances, sentences, paragraph breaks, which k-grams may
    seed a match in this corpus) is derived on first use and kept compactly for the whole scan
    (about 20 bytes a token); the last `recent` documents are also kept ready to use.
    """

    def __init__(
        self,
        options: Options,
        lexicon: Any,
        uniq: U64,
        counts: I64,
        n_docs: int,
        document: Callable[[int], Document],
        tokens: Callable[[int], DocTokens],
        *,
        recent: int = RECENT_DOCS,
        windowed: bool = False,
        derived: Callable[[int], bytes | None] | None = None,
        few_senders: tuple[str, ...] = (),
        words: WordPostings | None = None,
    ) -> None:
        from docdiff.engine.prepare import load_lexicon

        self.few_senders = few_senders
        self.words = words
        self.options = options
        self.lexicon = lexicon if lexicon is not None else load_lexicon(options)
        self.uniq, self.counts, self.n_docs = uniq, counts, n_docs
        self.document, self.tokens = document, tokens
        self._kept: dict[int, _DocData] = {}
        self._recent: OrderedDict[int, tuple[Any, _Shares, Any]] = OrderedDict()
        self._recent_size = recent
        self.recent = recent
        self.windowed = windowed
        self.derived = derived
        self._vocab = _Vocab()
        self._templates = {id(t): n for n, t in enumerate(self.lexicon.templates)}

    @property
    def topic(self) -> CorpusTopic | None:
        """The corpus's topic test (`WordPostings.is_topic`), when it has word postings."""
        return self.words.is_topic if self.words is not None else None

    @property
    def rare(self) -> float:
        """The corpus share above which a k-gram is not rare (`rare_share`)."""
        return rare_share(self.n_docs)

    def ready(self, i: int) -> tuple[Any, _Shares, Any]:
        """Document `i` prepared, with its k-grams' corpus frequency and seed mask (kept for
        the next pairs)."""
        return self._ready(i)

    def kgram_shares(self, hashes: U64) -> npt.NDArray[np.float64]:
        """The smoothed corpus share of each k-gram (`df_share` of every one at once)."""
        shares: npt.NDArray[np.float64] = _df_of(hashes, self.uniq, self.counts) / (
            self.n_docs + PRIOR_DOCS
        )
        return shares

    def align(self, pairs: Sequence[tuple[int, int]]) -> list[PairResult]:
        """Each pair ``(i, j)`` compared with the corpus document frequency (`compare_prepared`),
        or through the windows around what the two documents share when the aligner is
        `windowed` (`docdiff.engine.windows`: on the UN speeches it costs what it saves, so
        scans compare whole documents; see that module)."""
        from docdiff.corpus.long_pairs import LongPairs
        from docdiff.engine.compare import compare_prepared
        from docdiff.engine.windows import compare_windowed

        compare = compare_windowed if self.windowed else compare_prepared
        out: list[PairResult] = []
        long = LongPairs.of(self)
        for i, j in pairs:
            if long.involves(i, j):  # a very long document: windows around shared anchors
                out.append(long.align(i, j))
                continue
            pa, doc_freq, mask = self._ready(i)
            pb, _, _ = self._ready(j)
            out.append(
                compare(
                    pa,
                    pb,
                    self.options,
                    lexicon=self.lexicon,
                    doc_freq=doc_freq,
                    seed_mask=mask,
                    few_senders=self.few_senders,
                    topic=self.topic,
                    rare=self.rare,
                )
            )
        return out

    def warm(self, docs: Iterable[int]) -> None:
        """Derive `docs`' data and load the comparison's modules now, before worker processes
        fork: each worker then inherits them instead of deriving every document again (a
        worker sees most documents of a scan). Long documents are left to `LongPairs`."""
        from docdiff.corpus.long_pairs import LongPairs
        from docdiff.engine import compare, windows  # noqa: F401  (loaded once, inherited)

        long = LongPairs.of(self)
        for i in docs:
            if i not in self._kept and not long.is_long(i):
                self._kept[i] = self._derive(i)
        self._vocab.id_array()
        self._vocab.weight_array()

    def _ready(self, i: int) -> tuple[Any, _Shares, Any]:
        hit = self._recent.get(i)
        if hit is not None:
            self._recent.move_to_end(i)
            return hit
        data = self._kept.get(i)
        if data is None:
            data = self._derive(i)
            self._kept[i] = data
        value = self._build(data)
        self._recent[i] = value
        if len(self._recent) > self._recent_size:
            self._recent.popitem(last=False)
        return value

    def _derive(self, i: int) -> _DocData:
        from docdiff.corpus.derived import prepared_indexed

        doc = self.document(i)
        arrays = self.tokens(i)
        blob = self.derived(i) if self.derived is not None else None
        p = prepared_indexed(doc, arrays, blob, self.options.seed_words, self.lexicon)
        toks = p.tokens
        hits = [
            (self._templates[id(h.template)], h.start, h.end) for h in p.formula_hits(self.lexicon)
        ]
        sentences = p.sentences
        kg = p.hash_array
        shares = _df_of(kg, self.uniq, self.counts) / (self.n_docs + PRIOR_DOCS)
        mask = p.seedable(shares=shares)
        return _DocData(
            doc=doc,
            codes=self._vocab.codes(toks.forms, toks.keys, toks.language()),
            language=toks.language(),
            starts=arrays.starts,
            ends=arrays.ends,
            hits=hits,
            sentences=sentences,
            paragraphs=p.paragraphs,
            breaks=p.break_list,
            mask=mask,
            shares=shares,
        )

    def _build(self, data: _DocData) -> tuple[Any, _Shares, Any]:
        from docdiff.engine.lexicon import FormulaHit
        from docdiff.engine.prepare import Prepared
        from docdiff.text.seeds import kgram_hash_array
        from docdiff.text.tokens import Tokens

        k = self.options.seed_words
        vocab = self._vocab
        codes = data.codes.tolist()
        tokens = Tokens(
            list(map(vocab.forms.__getitem__, codes)),
            list(map(vocab.keys.__getitem__, codes)),
            data.starts.tolist(),
            data.ends.tolist(),
            data.language,
        )
        id_array = vocab.id_array()[data.codes]
        hash_array = kgram_hash_array(id_array, k)
        templates = self.lexicon.templates
        prepared = Prepared(
            doc=data.doc,
            tokens=tokens,
            k=k,
            ids=id_array.tolist(),
            _hashes=hash_array.tolist(),
            _weights=vocab.weight_array()[data.codes].tolist(),
            _sentences=data.sentences,
            _paragraphs=data.paragraphs,
            _breaks=data.breaks,
            _formulae={id(self.lexicon): [FormulaHit(templates[t], s, e) for t, s, e in data.hits]},
            _id_array=id_array,
            _hash_array=hash_array,
            kept=True,
        )
        return prepared, _Shares(hash_array, data.shares), data.mask


class _Shares:
    """The corpus share of a document's k-grams, as a `DocFreq` (a map built on first use)."""

    __slots__ = ("_hashes", "_map", "_shares")

    def __init__(self, hashes: U64, shares: npt.NDArray[np.float64]) -> None:
        self._hashes, self._shares = hashes, shares
        self._map: dict[int, float] | None = None

    def __call__(self, h: int) -> float:
        if self._map is None:
            self._map = dict(zip(self._hashes.tolist(), self._shares.tolist(), strict=True))
        return self._map.get(h, 0.0)


@dataclass(frozen=True, slots=True)
class _DocData:
    """What a comparison needs of one document, compactly (see `PairAligner`)."""

    doc: Document
    codes: I32
    """Each token's (form, key) as a code of the aligner's vocabulary."""
    starts: I32
    ends: I32
    hits: list[tuple[int, int, int]]
    """Formula instances: (template number in the lexicon, start, end)."""
    sentences: list[tuple[int, int]]
    paragraphs: list[int]
    breaks: list[int]
    mask: npt.NDArray[np.bool_]
    """Which k-grams may seed a match (rare words, and not common in the corpus)."""
    shares: npt.NDArray[np.float64]
    """The smoothed corpus share of each k-gram, by position."""
    language: str
    """The document's language code (weights and stems depend on it)."""


class _Vocab:
    """Distinct (form, key, language) triples of the documents an aligner has seen, with ids
    and rarity weights (the same numbers `prepare` gives each token)."""

    def __init__(self) -> None:
        self.forms: list[str] = []
        self.keys: list[str] = []
        self.langs: list[str] = []
        self._code: dict[tuple[str, str, str], int] = {}
        self._ids: U64 = np.zeros(0, dtype=np.uint64)
        self._weights: npt.NDArray[np.float64] = np.zeros(0, dtype=np.float64)

    def codes(self, forms: Sequence[str], keys: Sequence[str], lang: str) -> I32:
        code = self._code
        out = np.empty(len(forms), dtype=np.int32)
        for n, (form, key) in enumerate(zip(forms, keys, strict=True)):
            triple = (form, key, lang)
            c = code.get(triple)
            if c is None:
                c = code[triple] = len(self.forms)
                self.forms.append(form)
                self.keys.append(key)
                self.langs.append(lang)
            out[n] = c
        return out

    def id_array(self) -> U64:
        if len(self._ids) < len(self.keys):
            from docdiff.text.seeds import token_hash

            new = self.keys[len(self._ids) :]
            self._ids = np.concatenate(
                (self._ids, np.fromiter(map(token_hash, new), dtype=np.uint64, count=len(new)))
            )
        return self._ids

    def weight_array(self) -> npt.NDArray[np.float64]:
        if len(self._weights) < len(self.keys):
            from docdiff.text.rarity import word_weight

            n = len(self._weights)
            new = list(map(word_weight, self.forms[n:], self.keys[n:], self.langs[n:]))
            self._weights = np.concatenate((self._weights, np.asarray(new, dtype=np.float64)))
        return self._weights


def align_pairs(
    pairs: Sequence[tuple[int, int]],
    plan: ScanPlan,
    *,
    aligner: PairAligner | None = None,
) -> list[PairResult]:
    """Align pairs ``(i, j)`` of `plan` (in any order or batch: the results do not depend on it)."""
    aligner = aligner or plan.aligner()
    return aligner.align(pairs)


_ALIGNER: PairAligner | None = None  # set before the pool forks, used by workers


def _align_chunk(work: tuple[list[int], list[tuple[int, int]]]) -> list[tuple[int, PairResult]]:
    """Align a chunk of pairs; only the results holding a passage come back (`finish_scan`
    keeps no other), each with its pair's position in the plan."""
    assert _ALIGNER is not None
    positions, chunk = work
    results = _ALIGNER.align(chunk)
    return [(n, r) for n, r in zip(positions, results, strict=True) if r.matches]


def _run_alignment(
    aligner: PairAligner, pairs: list[tuple[int, int]], jobs: int, progress: Progress | None
) -> list[PairResult]:
    """The results of the `pairs` that hold a passage, in plan order (the others, most pairs of
    a complete scan, are dropped where they are aligned: the parent never holds them all)."""
    global _ALIGNER  # noqa: PLW0603  (fork-inherited worker state)
    _ALIGNER = aligner
    kept: list[tuple[int, PairResult]] = []
    total = len(pairs)
    # Pairs go out in bands of documents, so that a worker's recent documents serve the next
    # pairs; the results come back in plan order.
    order = band_order(pairs, max(1, aligner.recent * 3 // 4))
    banded = [pairs[n] for n in order]
    size = max(1, min(_CHUNK, total // max(1, jobs * 8) or 1))
    work = [(order[s : s + size], banded[s : s + size]) for s in range(0, total, size)]
    done = 0
    try:
        if jobs <= 1 or total < 8:
            for item in work:
                kept.extend(_align_chunk(item))
                done += len(item[1])
                if progress:
                    progress("align", done, total)
        else:
            from concurrent.futures import ProcessPoolExecutor

            from docdiff.procs import fork_context, worker_init

            context = fork_context()
            if context.get_start_method() == "fork":
                aligner.warm(sorted({i for pair in pairs for i in pair}))
            with ProcessPoolExecutor(
                max_workers=jobs, mp_context=context, initializer=worker_init
            ) as pool:
                try:
                    for item, part in zip(work, pool.map(_align_chunk, work), strict=True):
                        kept.extend(part)
                        done += len(item[1])
                        if progress:
                            progress("align", done, total)
                except BaseException:
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise
    finally:
        _ALIGNER = None
    kept.sort(key=lambda nr: nr[0])
    return [r for _, r in kept]


_CHUNK = 1000
"""The most pairs in one work unit of the pool (a unit is a stretch of one band's pairs)."""


def band_order(pairs: Sequence[tuple[int, int]], band: int) -> list[int]:
    """An order of `pairs` by bands of `band` documents on the first side, then by the second
    document, then the first.

    An aligner keeping a bit more than `band` documents ready keeps a band's documents while
    the second documents stream past once: each document is prepared about ``n_docs / band``
    times in all (on the 294,378 pairs of the UN speeches, 37,600 preparations with 512 ready
    documents and bands of 384, where tiles of 256 x 256 took 56,500).
    """
    if not pairs:
        return []
    arr = np.asarray(pairs, dtype=np.int64)
    i, j = arr[:, 0], arr[:, 1]
    order: list[int] = np.lexsort((i, j, i // band)).tolist()
    return order


def tile_order(pairs: Sequence[tuple[int, int]], tile: int) -> list[int]:
    """An order of `pairs` by tiles of `tile` x `tile` documents (then by pair).

    Aligning a tile touches at most ``2 * tile`` documents, so an aligner keeping that many
    ready prepares each document about ``n_docs / tile`` times instead of once per pair.
    """
    if not pairs:
        return []
    arr = np.asarray(pairs, dtype=np.int64)
    i, j = arr[:, 0], arr[:, 1]
    order: list[int] = np.lexsort((j, i, j // tile, i // tile)).tolist()
    return order


# --- the scan ------------------------------------------------------------------------------------


CANDIDATE_WORDS = _CANDIDATE_WORDS
"""Candidates share rare k-grams of this many words (`ScanOptions.candidate_words`)."""


def fit_budget(cands: npt.NDArray[np.int64], base: int, budget: int | None) -> tuple[I64, int]:
    """Rows of `cands` (``(i, j, shared)``) to align: those sharing at least `base` rare
    k-grams, or, when more than `budget` do, the `budget` sharing the most (pairs that share
    as many keep their order: the earlier first), with the fewest shared k-grams among them."""
    rows = np.flatnonzero(cands[:, 2] >= base) if len(cands) else np.zeros(0, dtype=np.int64)
    if budget is None or len(rows) <= budget:
        return rows, base
    order = np.lexsort((rows, -cands[rows, 2]))[:budget]
    kept = np.sort(rows[order])
    return kept, int(cands[kept, 2].min()) if len(kept) else base


def scan(
    source: CorpusIndex | Sequence[Document],
    options: Options = Options(),  # noqa: B008  (frozen dataclass)
    scan_options: ScanOptions = ScanOptions(),  # noqa: B008  (frozen dataclass)
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> Report:
    """Every document pair that shares text, ranked, with clusters of reused passages.

    Pairs are aligned when they share at least ``scan_options.min_shared`` rare k-grams of
    ``candidate_words`` words (default 2). Every such pair is aligned unless ``max_pairs`` sets
    a budget: then the ``max_pairs`` sharing the most are (`fit_budget`); the fewest shared by
    an aligned pair is in ``settings["min_shared"]`` and the candidate pairs left unaligned in
    ``settings["unaligned_pairs"]``. When more pairs are aligned than ``full_pairs``, every pair's
    passages are first built from its shared rare k-grams (`docdiff.corpus.anchor_align`) and
    only the ``full_pairs`` strongest are compared in full; the others keep their anchored
    passages (``settings["compared_in_full"]``, ``settings["anchored_pairs"]``).
    """
    jobs = jobs or os.cpu_count() or 1
    plan = plan_scan(source, options, scan_options, progress=progress, jobs=jobs)
    results = _run_alignment(plan.aligner(), plan.pairs, jobs, progress)
    return finish_scan(plan, results, extra={"jobs": jobs}, jobs=jobs)


@dataclass(slots=True)
class ScanPlan:
    """Everything a scan needs before alignment: any backend can align `pairs` and finish."""

    options: Options
    corpus: CorpusArrays
    pairs: list[tuple[int, int]]
    """Candidate pairs ``(i, j)``, i < j, positions in `corpus`, in a deterministic order."""
    documents: dict[int, Document]
    """The full documents of every position in `pairs`."""
    uniq: U64
    counts: I64
    """Corpus document frequency of the engine's seed k-grams (sorted hashes, counts)."""
    settings: dict[str, object]
    duplicates: tuple[DuplicateGroup, ...] = ()
    """Groups of copies; only each group's representative takes part in `pairs`."""
    scan_options: ScanOptions = ScanOptions()  # noqa: RUF009  (frozen dataclass)
    """The options the plan was made with (`finish_scan` reads ``min_docs``)."""
    anchored: tuple[Anchored, list[int]] | None = None
    """When a scan has more candidate pairs than ``full_pairs``: every candidate pair's
    anchored passages, and the numbers (in `Anchored.pairs`) of the strongest, which are
    `pairs` and are compared in full; `finish_scan` adds the others' anchored passages."""
    words: WordPostings | None = None
    """Which of the corpus's documents hold each word (`WordPostings`): a reworded passage whose
    shared words many of them hold is the corpus's topic."""
    derived: Mapping[int, bytes] = field(default_factory=dict)
    """For a scan of an index: the derived blobs of the documents of `documents` that have one
    made by this code (`docdiff.corpus.derived`), by position. A document with one is read from
    it, never tokenized or weighed again; the others are prepared from their text (the same
    values, only slower)."""

    def document(self, i: int) -> Document:
        """The document at corpus position `i`."""
        return self.documents[i]

    def kgram_shares(self, hashes: U64) -> npt.NDArray[np.float64]:
        """The smoothed corpus share of each seed k-gram (`df_share` of every one at once)."""
        shares: npt.NDArray[np.float64] = _df_of(hashes, self.uniq, self.counts) / (
            len(self.corpus) + PRIOR_DOCS
        )
        return shares

    def aligner(self, *, recent: int = RECENT_DOCS, windowed: bool = False) -> PairAligner:
        """An aligner for this plan's pairs (each process keeps its own); `windowed` as in
        `PairAligner`."""
        return PairAligner(
            self.options, None, self.uniq, self.counts, len(self.corpus),
            self.documents.__getitem__, self.corpus.tokens.__getitem__, recent=recent,
            windowed=windowed, derived=self.derived.get, few_senders=self.senders().few,
            words=self.words,
        )  # fmt: skip

    def senders(self) -> Senders:
        """What the corpus's documents say of their senders (`docdiff.corpus.metadata`)."""
        from docdiff.corpus.metadata import senders

        return senders(self.corpus.metas)


def plan_scan(
    source: CorpusIndex | Sequence[Document],
    options: Options = Options(),  # noqa: B008  (frozen dataclass)
    scan_options: ScanOptions = ScanOptions(),  # noqa: B008  (frozen dataclass)
    *,
    progress: Progress | None = None,
    candidates: Candidates | None = None,
    jobs: int = 1,
    tokenize: Tokenize | None = None,
) -> ScanPlan:
    """Load the corpus, find the candidate pairs and the corpus document frequencies.

    `candidates` replaces the local candidate stage (`docdiff.backends.ray_backend` passes one):
    ``candidates(tokens, candidate_words, min_shared, max_df)`` returns `candidate_pairs` rows.
    `tokenize` likewise replaces the tokenizing of documents given as a sequence.
    """
    from docdiff.corpus.metadata import cross_values

    where, cross = scan_options.where, scan_options.cross
    min_shared, max_pairs = scan_options.min_shared, scan_options.max_pairs
    candidate_words, max_df = scan_options.candidate_words, scan_options.max_df
    corpus = load_corpus(source, where=where, progress=progress, jobs=jobs, tokenize=tokenize)
    n = len(corpus)
    cap = default_max_df(n) if max_df is None else max_df
    if progress:
        progress("candidates", 0, 2)
    if candidates is not None:
        cands = candidates(corpus.tokens, candidate_words, min_shared or 2, cap)
    else:
        cand_sets = [unique_kgrams(t.hashes, candidate_words) for t in corpus.tokens]
        cands = candidate_pairs(cand_sets, min_shared=min_shared or 2, max_df=cap)
        del cand_sets
    values = cross_values(corpus.metas, cross) if cross else []
    if cross and len(cands):
        keep = [values[i] is None or values[i] != values[j] for i, j in cands[:, :2].tolist()]
        cands = cands[np.asarray(keep, dtype=bool)]
    cands, duplicates = set_aside_duplicates(corpus, cands)
    need = min_shared if min_shared is not None else 2
    found = len(cands)
    if min_shared is None and len(cands):
        rows, need = fit_budget(cands, need, max_pairs)
        cands = cands[rows]
    pairs = [(int(i), int(j)) for i, j in cands[:, :2].tolist()] if len(cands) else []
    aligned = len(pairs)
    anchored: tuple[Anchored, list[int]] | None = None
    full_pairs = scan_options.full_pairs
    if full_pairs is not None and len(pairs) > full_pairs:
        # Every pair's passages from its shared rare k-grams; the strongest compared in full.
        from docdiff.corpus.anchor_align import Anchored

        every = Anchored.build(corpus.tokens, pairs, candidate_words, cap, jobs=jobs)
        full = every.strongest(full_pairs)
        pairs = [pairs[n] for n in full]
        anchored = (every, full)
    if progress:
        progress("candidates", 1, 2)
    # The engine's corpus document frequency is over its own seed k-grams.
    k = options.seed_words
    uniq, counts = document_frequencies([unique_kgrams(t.hashes, k) for t in corpus.tokens])
    words = WordPostings.of(corpus.tokens)
    if progress:
        progress("candidates", 2, 2)
    needed = sorted({i for pair in (anchored[0].pairs if anchored else pairs) for i in pair})
    documents = dict(zip(needed, corpus.fetch(needed), strict=True))
    derived = corpus.derived(needed) if corpus.derived is not None else {}
    settings: dict[str, object] = {
        **options.to_json(),
        **scan_options.to_json(),
        "min_shared": need,
        "max_df": cap,
        "documents_scanned": n,
        "candidate_pairs": aligned,
        "candidates_found": found,
        "unaligned_pairs": found - aligned,
        "compared_in_full": len(pairs),
        "anchored_pairs": aligned - len(pairs),
        "duplicate_groups": len(duplicates),
    }
    return ScanPlan(
        options, corpus, pairs, documents, uniq, counts, settings, duplicates, scan_options,
        anchored, words, derived,
    )  # fmt: skip


def set_aside_duplicates(
    corpus: CorpusArrays, cands: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], tuple[DuplicateGroup, ...]]:
    """Group copies (`corpus.duplicates`) and drop every candidate pair touching a copy that is
    not its group's representative: republications neither flood the pairs nor use the budget."""
    from docdiff.corpus.duplicates import duplicate_groups

    hashes = [t.hashes for t in corpus.tokens]
    groups = duplicate_groups(hashes, corpus.ids, corpus.metas, k=5)
    if not groups or not len(cands):
        return cands, groups
    position = {doc_id: i for i, doc_id in enumerate(corpus.ids)}
    hidden = np.zeros(len(corpus), dtype=bool)
    for g in groups:
        for doc_id in g.members:
            hidden[position[doc_id]] = doc_id != g.representative
    keep = ~(hidden[cands[:, 0]] | hidden[cands[:, 1]])
    return cands[keep], groups


def finish_scan(
    plan: ScanPlan,
    results: Sequence[PairResult],
    *,
    extra: Mapping[str, object] | None = None,
    jobs: int = 1,
) -> Report:
    """Rank the aligned pairs, build clusters and assemble the scan `Report` (the anchored
    passages' kinds are found in `jobs` processes)."""
    from docdiff.corpus.cluster import build_clusters
    from docdiff.engine.prepare import load_lexicon

    min_docs = plan.scan_options.min_docs
    senders = plan.senders()

    kept = [r for r in results if r.matches]
    if plan.anchored is not None:
        anchored, full = plan.anchored
        texts = {i: d.text for i, d in plan.documents.items()}
        shown = plan.options.kinds
        for r in anchored.results(
            plan.corpus.ids, plan.corpus.tokens, min_words=plan.options.min_words, skip=full,
            texts=texts, lexicon=load_lexicon(plan.options), seed_words=plan.options.seed_words,
            shares=plan.kgram_shares, jobs=jobs, derived=plan.derived,
            few_senders=senders.few, rare=rare_share(len(plan.corpus)),
        ):  # fmt: skip
            # As a comparison does: the kinds not asked for are not shown, and still count in
            # the pair's summary.
            matches = tuple(m for m in r.matches if m.kind in shown)
            if matches:
                kept.append(r if len(matches) == len(r.matches) else replace(r, matches=matches))
    kept.sort(key=lambda r: r.rank)
    by_id = {d.id: d for d in plan.documents.values()}
    clusters = build_clusters(kept, by_id, min_docs=min_docs)
    used = {r.a for r in kept} | {r.b for r in kept}
    docs_out = tuple(
        replace(plan.documents[i], words=len(plan.corpus.tokens[i]))
        for i in sorted(plan.documents)
        if plan.documents[i].id in used
    )
    # Where the documents name fewer senders than a genre has, what they repeat is theirs.
    settings = {**plan.settings, "min_docs": min_docs, **(extra or {}), **senders.settings()}
    return Report(
        command="scan", documents=docs_out, pairs=tuple(kept), clusters=clusters, settings=settings,
        duplicates=plan.duplicates,
    )  # fmt: skip
