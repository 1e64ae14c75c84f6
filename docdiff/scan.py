"""Scan a corpus: candidate pairs from shared rare k-grams, parallel alignment, clusters.

The stages are pure functions over compact data so they can run anywhere (a process pool here,
Ray in `docdiff.backends`):

* `document_frequencies` — distinct k-gram hashes of every document -> (sorted hashes, counts);
* `postings` — the ``(hash, doc)`` postings of rare k-grams, optionally one hash partition;
* `pair_counts` / `merge_pair_counts` — how many rare k-grams each document pair shares;
* `candidate_pairs` — the pairs worth aligning (sub-quadratic: common k-grams never pair docs);
* `align_pairs` — `compare_prepared` over a list of pairs, with the corpus document frequency.
"""

from __future__ import annotations

import math
import os
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from docdiff.errors import OptionsError
from docdiff.index.arrays import U64, DocTokens, doc_tokens, kgram_array, unique_kgrams
from docdiff.model import Document, DuplicateGroup, PairResult, Report
from docdiff.options import Options

if TYPE_CHECKING:
    from docdiff.index import CorpusIndex

__all__ = [
    "CorpusArrays",
    "ScanPlan",
    "align_pairs",
    "candidate_pairs",
    "default_max_df",
    "df_share",
    "doc_freq_map",
    "document_frequencies",
    "finish_scan",
    "fit_threshold",
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

    def __len__(self) -> int:
        return len(self.ids)


def load_corpus(
    source: CorpusIndex | Sequence[Document],
    *,
    where: str | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
    tokenize: Tokenize | None = None,
) -> CorpusArrays:
    """The documents of `source` that pass the `where` filter, as compact arrays."""
    from docdiff.metadata import parse_where

    predicate = parse_where(where) if where else None
    if isinstance(source, Sequence):
        if predicate is not None:
            predicate.check_fields(d.meta for d in source)
        docs = [d for d in source if predicate is None or predicate(d.meta)]
        _unique_ids(docs)
        texts = [d.text for d in docs]
        tokens = tokenize(texts) if tokenize else list(_tokenize_all(texts, jobs, progress))

        def fetch_docs(positions: Sequence[int]) -> list[Document]:
            return [docs[p] for p in positions]

        return CorpusArrays([d.id for d in docs], [d.meta for d in docs], tokens, fetch_docs)
    every = list(source.documents())
    if predicate is not None:
        predicate.check_fields(i.meta for i in every)
    infos = [i for i in every if predicate is None or predicate(i.meta)]
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

    return CorpusArrays([i.id for i in infos], [i.meta for i in infos], toks, fetch_index)


def _tokenize_all(texts: list[str], jobs: int, progress: Progress | None) -> Iterator[DocTokens]:
    """Compact tokens of many texts, in order, in a process pool when it pays."""
    if jobs <= 1 or len(texts) < 64:
        for i, text in enumerate(texts):
            yield doc_tokens(text)
            if progress:
                progress("tokenize", i + 1, len(texts))
        return
    from concurrent.futures import ProcessPoolExecutor

    from docdiff.index._store import _fork_context, ignore_sigint

    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=_fork_context(), initializer=ignore_sigint
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
    from dataclasses import replace

    from docdiff.errors import InputError
    from docdiff.index._store import _doc_id_for
    from docdiff.loaders import iter_corpus, load
    from docdiff.metadata import lookup_meta

    files: list[tuple[Path, str]] = []
    taken: set[str] = set()
    for given in paths:
        root = Path(given)
        for f in iter_corpus([root], include=include, exclude=exclude):
            doc_id = _doc_id_for(Path(f), root)
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
    uniq, counts = df if df is not None else document_frequencies(kgram_sets)
    cap = default_max_df(n) if max_df is None else max_df
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


def doc_freq_map(
    tokens: DocTokens, k: int, uniq: U64, counts: I64, n_docs: int
) -> dict[int, float]:
    """Smoothed share of corpus documents holding each k-gram of one document."""
    kg = unique_kgrams(tokens.hashes, k)
    df = _df_of(kg, uniq, counts)
    return dict(zip(kg.tolist(), (df / (n_docs + PRIOR_DOCS)).tolist(), strict=True))


def align_pairs(
    pairs: Sequence[tuple[int, int]],
    document: Callable[[int], Document],
    doc_freqs: Callable[[int], Mapping[int, float]],
    options: Options,
    *,
    lexicon: Any = None,
    cache_size: int = 64,
    cache: OrderedDict[int, tuple[Any, Mapping[int, float]]] | None = None,
) -> list[PairResult]:
    """Align each pair ``(i, j)`` with `compare_prepared`; documents come from `document(i)`.

    Prepared documents are kept in an LRU `cache` (pass one to keep it across calls).
    """
    from docdiff.pipeline import compare_prepared, prepare

    if cache is None:
        cache = OrderedDict()

    def get(i: int) -> tuple[Any, Mapping[int, float]]:
        hit = cache.get(i)
        if hit is not None:
            cache.move_to_end(i)
            return hit
        value = (prepare(document(i), options.seed_words), doc_freqs(i))
        cache[i] = value
        if len(cache) > cache_size:
            cache.popitem(last=False)
        return value

    out: list[PairResult] = []
    for i, j in pairs:
        pa, dfa = get(i)
        pb, dfb = get(j)

        def doc_freq(
            h: int, dfa: Mapping[int, float] = dfa, dfb: Mapping[int, float] = dfb
        ) -> float:
            got = dfa.get(h)
            return got if got is not None else dfb.get(h, 0.0)

        out.append(compare_prepared(pa, pb, options, lexicon=lexicon, doc_freq=doc_freq))
    return out


@dataclass(slots=True)
class _State:
    documents: dict[int, Document]
    tokens: list[DocTokens]
    uniq: U64
    counts: I64
    n_docs: int
    options: Options
    lexicon: Any


_STATE: _State | None = None  # set before the pool forks, read by workers


_WORKER_CACHE: OrderedDict[int, tuple[Any, Mapping[int, float]]] = OrderedDict()
"""Prepared documents kept by each worker across chunks (a document recurs in many pairs)."""
_WORKER_CACHE_SIZE = 256


def _align_chunk(chunk: list[tuple[int, int]]) -> list[PairResult]:
    state = _STATE
    assert state is not None
    k = state.options.seed_words
    return align_pairs(
        chunk,
        state.documents.__getitem__,
        lambda i: doc_freq_map(state.tokens[i], k, state.uniq, state.counts, state.n_docs),
        state.options,
        lexicon=state.lexicon,
        cache=_WORKER_CACHE,
        cache_size=_WORKER_CACHE_SIZE,
    )


def _chunked(pairs: list[tuple[int, int]], size: int) -> Iterator[list[tuple[int, int]]]:
    for start in range(0, len(pairs), size):
        yield pairs[start : start + size]


def _run_alignment(
    state: _State, pairs: list[tuple[int, int]], jobs: int, progress: Progress | None
) -> list[PairResult]:
    global _STATE  # noqa: PLW0603  (fork-inherited worker state)
    _STATE = state
    _WORKER_CACHE.clear()
    results: list[PairResult] = []
    total = len(pairs)
    try:
        chunk_size = max(1, min(64, total // max(1, jobs * 8) or 1))
        chunks = list(_chunked(pairs, chunk_size))
        if jobs <= 1 or total < 8:
            for chunk in chunks:
                results.extend(_align_chunk(chunk))
                if progress:
                    progress("align", len(results), total)
            return results
        from concurrent.futures import ProcessPoolExecutor

        from docdiff.index._store import _fork_context, ignore_sigint

        with ProcessPoolExecutor(
            max_workers=jobs, mp_context=_fork_context(), initializer=ignore_sigint
        ) as pool:
            try:
                for part in pool.map(_align_chunk, chunks):
                    results.extend(part)
                    if progress:
                        progress("align", len(results), total)
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
        return results
    finally:
        _STATE = None
        _WORKER_CACHE.clear()


# --- the scan ------------------------------------------------------------------------------------


CANDIDATE_WORDS = 8
"""Candidates share rare k-grams of this many words: evidence of copied drafting, not topic."""
MAX_PAIRS = 4_000
"""Default alignment budget: when more pairs qualify, `min_shared` rises until they fit."""


def fit_threshold(shared: npt.NDArray[np.int64], base: int, budget: int | None) -> int:
    """The smallest ``min_shared`` >= `base` that leaves at most `budget` pairs."""
    if budget is None or int((shared >= base).sum()) <= budget:
        return base
    ordered = np.sort(shared)[::-1]
    return max(base, int(ordered[budget]) + 1)


def scan(
    source: CorpusIndex | Sequence[Document],
    options: Options = Options(),  # noqa: B008  (frozen dataclass)
    *,
    jobs: int | None = None,
    min_docs: int = 2,
    where: str | None = None,
    cross: str | None = None,
    min_shared: int | None = None,
    max_pairs: int | None = MAX_PAIRS,
    candidate_words: int = CANDIDATE_WORDS,
    max_df: int | None = None,
    progress: Progress | None = None,
) -> Report:
    """Every document pair that shares text, ranked, with clusters of reused passages.

    Pairs are aligned when they share at least `min_shared` rare k-grams of `candidate_words`
    words (default 2; with more than `max_pairs` such pairs the threshold rises until they fit,
    most-sharing pairs first). The threshold used is in ``settings["min_shared"]``.
    """
    jobs = jobs or os.cpu_count() or 1
    plan = plan_scan(
        source, options, where=where, cross=cross, min_shared=min_shared, max_pairs=max_pairs,
        candidate_words=candidate_words, max_df=max_df, progress=progress, jobs=jobs,
    )  # fmt: skip
    results = _run_alignment(plan.state(), plan.pairs, jobs, progress)
    return finish_scan(plan, results, min_docs=min_docs, extra={"jobs": jobs})


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

    def document(self, i: int) -> Document:
        """The document at corpus position `i`."""
        return self.documents[i]

    def doc_freqs(self, i: int) -> dict[int, float]:
        """The smoothed corpus share of each seed k-gram of document `i`."""
        return doc_freq_map(
            self.corpus.tokens[i], self.options.seed_words, self.uniq, self.counts,
            len(self.corpus),
        )  # fmt: skip

    def state(self) -> _State:
        """The fork-shared worker state for the local process pool."""
        from docdiff.pipeline import load_lexicon

        return _State(
            self.documents, self.corpus.tokens, self.uniq, self.counts, len(self.corpus),
            self.options, load_lexicon(self.options),
        )  # fmt: skip


def plan_scan(
    source: CorpusIndex | Sequence[Document],
    options: Options = Options(),  # noqa: B008  (frozen dataclass)
    *,
    where: str | None = None,
    cross: str | None = None,
    min_shared: int | None = None,
    max_pairs: int | None = MAX_PAIRS,
    candidate_words: int = CANDIDATE_WORDS,
    max_df: int | None = None,
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
    from docdiff.metadata import field_value

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
    if cross and len(cands):
        values = [field_value(m, cross) for m in corpus.metas]
        keep = [values[i] is None or values[i] != values[j] for i, j in cands[:, :2].tolist()]
        cands = cands[np.asarray(keep, dtype=bool)]
    cands, duplicates = set_aside_duplicates(corpus, cands)
    need = min_shared if min_shared is not None else 2
    if min_shared is None and len(cands):
        need = fit_threshold(cands[:, 2], need, max_pairs)
        cands = cands[cands[:, 2] >= need]
    pairs = [(int(i), int(j)) for i, j in cands[:, :2].tolist()] if len(cands) else []
    if progress:
        progress("candidates", 1, 2)
    # The engine's corpus document frequency is over its own seed k-grams.
    k = options.seed_words
    uniq, counts = document_frequencies([unique_kgrams(t.hashes, k) for t in corpus.tokens])
    if progress:
        progress("candidates", 2, 2)
    needed = sorted({i for pair in pairs for i in pair})
    documents = dict(zip(needed, corpus.fetch(needed), strict=True))
    settings: dict[str, object] = {
        **options.to_json(),
        "where": where,
        "cross": cross,
        "min_shared": need,
        "max_pairs": max_pairs,
        "candidate_words": candidate_words,
        "max_df": cap,
        "documents_scanned": n,
        "candidate_pairs": len(pairs),
        "duplicate_groups": len(duplicates),
    }
    return ScanPlan(options, corpus, pairs, documents, uniq, counts, settings, duplicates)


def set_aside_duplicates(
    corpus: CorpusArrays, cands: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], tuple[DuplicateGroup, ...]]:
    """Group copies (`docdiff.duplicates`) and drop every candidate pair touching a copy that is
    not its group's representative: republications neither flood the pairs nor use the budget."""
    from docdiff.duplicates import duplicate_groups

    sets = [unique_kgrams(t.hashes, 5) for t in corpus.tokens]
    groups = duplicate_groups(sets, corpus.ids, corpus.metas)
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
    min_docs: int = 2,
    extra: Mapping[str, object] | None = None,
) -> Report:
    """Rank the aligned pairs, build clusters and assemble the scan `Report`."""
    from docdiff.cluster import build_clusters

    kept = [r for r in results if r.matches]
    kept.sort(key=lambda r: (-r.summary.distinctive_similarity, -r.summary.similarity, r.a, r.b))
    by_id = {d.id: d for d in plan.documents.values()}
    clusters = build_clusters(kept, by_id, min_docs=min_docs)
    used = {r.a for r in kept} | {r.b for r in kept}
    docs_out = tuple(
        plan.documents[i] for i in sorted(plan.documents) if plan.documents[i].id in used
    )
    settings = {**plan.settings, "min_docs": min_docs, **(extra or {})}
    return Report(
        command="scan", documents=docs_out, pairs=tuple(kept), clusters=clusters, settings=settings,
        duplicates=plan.duplicates,
    )  # fmt: skip


def kgram_array_of(tokens: DocTokens, k: int) -> U64:
    """Every k-gram hash of one document, by position."""
    return kgram_array(tokens.hashes, k)
