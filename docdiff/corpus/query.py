"""Where does a document take its wording from? Rank an index's documents, then compare.

The index only stores and reads rows (`docdiff.index`); this module does the corpus work of a
query: the rare k-grams of the new document are looked up in the postings, the indexed
documents sharing the most (weighted by rarity) are ranked, and the best ones are compared with
it, the corpus document frequency telling formulae from reuse.

Indexed documents are never tokenized again: their token arrays come from the index, and
what a comparison derives from a source (its words, language, sentences and formula
instances) is stored in the index beside them (`docdiff.index.derived`). The prepared
sources (with their paraphrase units and sorted seed index) are kept per index in a small
cache, so the language server's repeated queries on the same sources cost only the
comparison.
"""

from __future__ import annotations

import itertools
import math
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Collection, Sequence
from contextlib import suppress
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from docdiff.engine.collector import collector_paused
from docdiff.model import Document, PairResult, Report
from docdiff.options import Options

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from docdiff.corpus.metadata import Senders
    from docdiff.corpus.scan import WordPostings
    from docdiff.engine.anchored import LongDocument
    from docdiff.engine.lexicon import Lexicon
    from docdiff.engine.prepare import CorpusTopic, Prepared
    from docdiff.index import CorpusIndex, KgramPostings

__all__ = [
    "SOURCE_CACHE",
    "compare_in_index",
    "keep_word_postings",
    "keeps_word_postings",
    "query",
]

SOURCE_CACHE = 256
"""Prepared source documents kept per index across queries."""

LONG_CACHE = 2
"""Long source documents (kept compactly, see `docdiff.engine.anchored`) kept per index."""

K = TypeVar("K")
V = TypeVar("V")

_WORD_POSTINGS = "word_postings"
"""The name the index keeps its documents' word postings under (`_Sources.words_of`)."""

QUERY_CACHE = 4
"""Documents queried lately kept prepared per index: the language server queries an unchanged
buffer again (on a save, say), which then costs only the comparisons, with what the previous
ones derived of both sides (each side's sentences, formula instances, paraphrase units)."""


class _Sources:
    """Per index: the lexicon of the last options, and recently compared sources, prepared.

    A source longer than `docdiff.engine.anchored.LONG_TOKENS` is never prepared whole: it is
    kept compactly (`LongDocument`, at most `LONG_CACHE` of them) and compared through windows.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.prepared: OrderedDict[tuple[str, str, int], Prepared] = OrderedDict()
        self.long: OrderedDict[tuple[str, str, int], LongDocument] = OrderedDict()
        self.queried: OrderedDict[tuple[Document, int], Prepared] = OrderedDict()
        self.lexicon_key: str | None = None
        self.lexicon: Lexicon | None = None
        self.senders: tuple[int, Senders] | None = None
        """The index's size when its senders were counted, and what they are."""
        self.words: tuple[tuple[int, int], WordPostings] | None = None
        """The index's generation when its word postings were read, and the postings."""

    def words_of(self, index: CorpusIndex) -> WordPostings:
        """The postings of the indexed documents' words (`docdiff.corpus.scan.WordPostings`):
        read from the index, or made from every document's tokens and kept there, once for
        each state of its documents."""
        from docdiff.corpus.scan import WordPostings

        generation = index.generation()
        with self.lock:
            if self.words is not None and self.words[0] == generation:
                return self.words[1]
        blob = index.corpus_blob(_WORD_POSTINGS)
        postings = None
        if blob is not None:
            with suppress(ValueError):
                postings = WordPostings.from_bytes(blob)
        if postings is None:
            numbers = [info.number for info in index.documents()]
            postings = WordPostings.of(index.tokens_by_number(numbers))
            index.keep_corpus_blob(_WORD_POSTINGS, postings.to_bytes(), generation)
        with self.lock:
            self.words = (generation, postings)
        return postings

    def topic_of(self, index: CorpusIndex) -> CorpusTopic:
        """The index's `CorpusTopic`, its word postings read on first use (a comparison with
        no reworded passage to test reads none)."""

        def is_topic(stems: Sequence[Sequence[int]]) -> bool:
            return self.words_of(index).is_topic(stems)

        return is_topic

    def senders_of(self, index: CorpusIndex) -> Senders:
        """What the index's documents say of their senders, counted again when its size
        changes."""
        from docdiff.corpus.metadata import senders

        size = len(index)
        with self.lock:
            if self.senders is None or self.senders[0] != size:
                self.senders = (size, senders(index.metas()))
            return self.senders[1]

    def query_doc(self, doc: Document, k: int) -> Prepared:
        """`doc` prepared for `k`-word seeds (kept: compared with every source), made again
        only when it is not one of the last `QUERY_CACHE` documents queried (equal in id,
        path, text and the rest: see `docdiff.model.Document`)."""
        from docdiff.engine.prepare import prepare

        key = (doc, k)
        with self.lock:
            hit = self.queried.get(key)
            if hit is not None:
                self.queried.move_to_end(key)
                return hit
        prepared = prepare(doc, k)
        prepared.kept = True
        with self.lock:
            _keep(self.queried, key, prepared, QUERY_CACHE)
        return prepared

    def lexicon_for(self, options: Options) -> Lexicon:
        from docdiff.engine.prepare import load_lexicon

        with self.lock:
            if self.lexicon is None or self.lexicon_key != options.formulae:
                self.lexicon = load_lexicon(options)
                self.lexicon_key = options.formulae
            return self.lexicon

    def sources(
        self,
        index: CorpusIndex,
        wanted: list[tuple[int, tuple[str, str, str]]],
        k: int,
        lexicon: Lexicon,
    ) -> list[Prepared | LongDocument]:
        """The sources `wanted` (document numbers with their ``(id, path, sha256)``), ready to
        compare: from the cache, else read from the index in one go (text, token arrays and
        stored derived data: never tokenized, see `docdiff.corpus.derived`)."""
        from docdiff.corpus.derived import fingerprint, prepared_indexed, prepared_stored
        from docdiff.engine.anchored import LONG_TOKENS, long_document

        keys = [(head[0], head[2] or "", k) for _, head in wanted]
        got: dict[tuple[str, str, int], Prepared | LongDocument] = {}
        with self.lock:
            for key in keys:
                for cache in (self.prepared, self.long):
                    hit = cache.get(key)
                    if hit is not None:
                        cache.move_to_end(key)
                        got[key] = hit
        missing = [(n, key) for (n, _), key in zip(wanted, keys, strict=True) if key not in got]
        numbers = [n for n, _ in missing]
        docs = dict(zip(numbers, index.documents_by_number(numbers), strict=True))
        blobs = index.derived_by_number(numbers, fingerprint())
        # A source with a blob is read from it and its text alone (its token spans are in the
        # blob); the token arrays are read for the others (no blob, a long document, a
        # damaged blob).
        rest = []
        for number, key in missing:
            prepared = prepared_stored(docs[number], None, blobs.get(number), k, lexicon)
            if prepared is None:
                rest.append((number, key))
                continue
            self._kept(key, prepared, got)
        arrays = index.tokens_by_number([n for n, _ in rest])
        for (number, key), arr in zip(rest, arrays, strict=True):
            doc = docs[number]
            if len(arr) > LONG_TOKENS:
                long = long_document(doc, arr.hashes, arr.starts, arr.ends, k)
                with self.lock:
                    _keep(self.long, key, long, LONG_CACHE)
                got[key] = long
                continue
            self._kept(key, prepared_indexed(doc, arr, None, k, lexicon), got)
        return [got[key] for key in keys]

    def _kept(
        self,
        key: tuple[str, str, int],
        prepared: Prepared,
        got: dict[tuple[str, str, int], Prepared | LongDocument],
    ) -> None:
        """`prepared`, a source, kept in the cache and in `got` under `key`."""
        prepared.kept = True
        with self.lock:
            _keep(self.prepared, key, prepared, SOURCE_CACHE)
        got[key] = prepared


def _keep(cache: OrderedDict[K, V], key: K, value: V, bound: int) -> None:
    """Keep `value` as the newest of `cache`, the oldest leaving past `bound` (caller locks)."""
    cache[key] = value
    while len(cache) > bound:
        cache.popitem(last=False)


_BY_INDEX: weakref.WeakKeyDictionary[Any, _Sources] = weakref.WeakKeyDictionary()
_BY_INDEX_LOCK = threading.Lock()


def _sources(index: CorpusIndex) -> _Sources:
    with _BY_INDEX_LOCK:
        got = _BY_INDEX.get(index)
        if got is None:
            got = _BY_INDEX[index] = _Sources()
        return got


def keeps_word_postings(index: CorpusIndex) -> bool:
    """Whether `index` keeps its documents' word postings, current (`keep_word_postings`)."""
    return index.has_corpus_blob(_WORD_POSTINGS)


def keep_word_postings(index: CorpusIndex) -> None:
    """Make the indexed documents' word postings and keep them in `index` (writable), unless
    it keeps them already: queries of an index opened read-only then read them, not make
    them (about 3 s for the 4,802 UN speeches)."""
    if not keeps_word_postings(index):
        _sources(index).words_of(index)


def query(
    index: CorpusIndex,
    doc: Document,
    options: Options = Options(),  # noqa: B008  (frozen dataclass)
    *,
    limit: int = 10,
    exclude_ids: Collection[str] = (),
    min_shared: int = 2,
) -> Report:
    """The indexed documents and passages that `doc` reuses, best first.

    Sources are the indexed documents sharing at least `min_shared` rare k-grams with `doc`
    (rare: in at most `docdiff.corpus.scan.default_max_df` documents: the scan's own policy),
    ranked by the summed rarity of what they share; the best `limit` (leaving out `exclude_ids`
    and `doc`'s own file), and never fewer than `ALIGNED_SOURCES`, are compared, and the
    `limit` best of them by the comparison's rank are kept: a smaller `limit` shows the first
    sources of the default's list, not those retrieval ranked first. When too few share rare
    k-grams, those sharing k-grams of up to `wide_max_df` documents follow them, ranked alike.
    """
    with collector_paused():
        return _query(index, doc, options, limit, exclude_ids, min_shared)


def _query(
    index: CorpusIndex,
    doc: Document,
    options: Options,
    limit: int,
    exclude_ids: Collection[str],
    min_shared: int,
) -> Report:

    from docdiff.corpus.scan import default_max_df, rare_share
    from docdiff.engine.anchored import LongDocument, compare_long
    from docdiff.engine.compare import compare_prepared
    from docdiff.index.arrays import unique_kgrams

    n_docs = max(1, len(index))
    cache = _sources(index)
    # The new document is tokenized and hashed once: its prepared token ids give its k-grams.
    prepared_doc = cache.query_doc(doc, options.seed_words)
    kg = unique_kgrams(prepared_doc.id_array, index.k).astype("int64").tolist()
    cap = default_max_df(n_docs)
    # How many documents hold each k-gram, and the postings of the rare ones.
    counts, posted = index.counts_and_postings(kg, cap)
    excluded = set(exclude_ids)
    # The query file itself, when it is indexed, is not its own source.
    same_file = str(Path(doc.path).resolve()) if doc.path and doc.path != "-" else None

    def eligible(ranked: list[int], room: int) -> list[tuple[int, tuple[str, str, str]]]:
        out: list[tuple[int, tuple[str, str, str]]] = []
        step = max(room, 1) * 2
        for start in range(0, len(ranked), step):
            chunk = ranked[start : start + step]
            out.extend(
                (number, head)
                for number, head in zip(chunk, index.heads_by_number(chunk), strict=True)
                if head[0] != doc.id and head[0] not in excluded and head[1] != same_file
            )
            if len(out) >= room:
                break
        return out[:room]

    aligned = max(limit, ALIGNED_SOURCES)
    sources = eligible(_ranked(counts, posted, n_docs, min_shared), aligned)
    wide = wide_max_df(n_docs)
    if len(sources) < aligned and wide > cap:
        # Too few sources share rare wording: those sharing the most of the wording a few
        # documents hold come next (a licence text in 40 of 200 files is never rare).
        _, posted_wide = index.counts_and_postings(kg, wide)
        have = {number for number, _ in sources}
        more = [n for n in _ranked(counts, posted_wide, n_docs, min_shared) if n not in have]
        sources += eligible(more, aligned - len(sources))
    share = _shares(counts, n_docs)
    doc_freq = _doc_freq(share)
    lexicon = cache.lexicon_for(options)
    senders = cache.senders_of(index)
    few = senders.few
    topic = cache.topic_of(index)
    rare = rare_share(n_docs)
    # It meets every source (kept: its paraphrase units are made once), as its seed mask.
    seed_mask = _seed_mask(prepared_doc, share) if sources else None
    pairs: list[PairResult] = []
    found: list[Document] = []
    words: dict[str, int] = {}
    for source in cache.sources(index, sources, options.seed_words, lexicon):
        if isinstance(source, LongDocument):
            result, _ = compare_long(
                prepared_doc, source, options, lexicon=lexicon, doc_freq=doc_freq,
                seed_mask=seed_mask, few_senders=few, topic=topic, rare=rare,
            )  # fmt: skip
            n_words = len(source)
        else:
            # A source with no passage to show is dropped (below): its echoes are not
            # looked for.
            result = compare_prepared(
                prepared_doc, source, options, lexicon=lexicon, doc_freq=doc_freq,
                seed_mask=seed_mask, echoes_alone=False, few_senders=few, topic=topic,
                rare=rare,
            )  # fmt: skip
            n_words = len(source.tokens)
        found.append(source.doc)
        words[source.doc.id] = n_words
        if result.matches:
            pairs.append(result)
    pairs.sort(key=lambda p: p.rank)
    del pairs[limit:]
    used = {p.b for p in pairs}
    return Report(
        command="query",
        documents=(
            replace(doc, words=len(prepared_doc.tokens)),
            *(replace(s, words=words[s.id]) for s in found if s.id in used),
        ),
        pairs=tuple(pairs),
        settings={
            **options.to_json(),
            "limit": limit,
            "index": index.path,
            **senders.settings(),
        },
    )


ALIGNED_SOURCES = 10
"""A query compares at least this many sources (the default ``--limit``) whatever its limit:
retrieval ranks sources by the rarity of the k-grams they share, the comparison by what they
share in the kinds' sense (a source sharing a long name is retrieved first and ranked low), so
``--limit 2`` aligning only two showed other sources than the first two of the default list."""


WIDE_SHARE = 0.25
WIDE_MAX_DOCS = 100
"""`wide_max_df`: a query short of sources looks among k-grams held by up to a quarter of the
documents, and never by more than 100 (the rare cap of a corpus of 5,000 documents)."""


def wide_max_df(n_docs: int) -> int:
    """The most documents a k-gram may occur in and still find a query's sources when too few
    share rarer ones (`WIDE_SHARE`, `WIDE_MAX_DOCS`)."""
    return min(WIDE_MAX_DOCS, int(WIDE_SHARE * n_docs))


def _ranked(
    counts: dict[int, int], posted: KgramPostings, n_docs: int, min_shared: int
) -> list[int]:
    """The documents of `posted` sharing `min_shared` of its k-grams, heaviest first (each
    k-gram weighs its rarity, spread over its documents), then by document number."""
    import numpy as np

    # Summed per document in posting order, as a loop over `postings_for` would (bincount
    # adds in input order): each hash's rarity spread over its documents.
    numbers = posted.docs
    # A hash is in at most the cap's documents: its rarity is worked out once per count.
    found_in = list(map(counts.__getitem__, posted.hashes))
    rarity_of = {c: math.log(n_docs / c) + 1.0 for c in set(found_in)}
    rarity = list(map(rarity_of.__getitem__, found_in))
    gains = np.repeat(np.asarray(rarity, dtype=np.float64), posted.counts)
    weight = np.bincount(numbers, weights=gains) if len(numbers) else np.zeros(0)
    shared = np.bincount(numbers) if len(numbers) else np.zeros(0, dtype=np.int64)
    candidates = np.flatnonzero(shared >= max(min_shared, 1))
    # Heaviest first, then by document number (`candidates` ascend: a stable sort keeps them).
    order = np.argsort(-weight[candidates], kind="stable")
    ranked: list[int] = candidates[order].tolist()
    return ranked


def compare_in_index(
    index: CorpusIndex,
    a: Document,
    b: Document,
    options: Options = Options(),  # noqa: B008  (frozen dataclass)
) -> Report:
    """Two documents compared as a scan or a query over `index` compares them: weighed by the
    indexed corpus (how many of its documents hold each of `a`'s k-grams: a passage most of
    whose word sequences are frequent there is the genre's boilerplate, and those sequences
    seed no match), so the kinds, scores and counts are the scan's own."""
    from docdiff.corpus.scan import rare_share
    from docdiff.engine.compare import compare_prepared
    from docdiff.engine.prepare import prepare
    from docdiff.index.arrays import unique_kgrams

    with collector_paused():
        pa = prepare(a, options.seed_words)
        pb = prepare(b, options.seed_words)
        # Kept, as a scan's and a query's documents are: their paraphrase units are built
        # once, as there (`docdiff.engine.reworded`), so the scores are the scan's own.
        pa.kept = pb.kept = True
        kgrams = unique_kgrams(pa.id_array, index.k).astype("int64").tolist()
        share = _shares(index.kgram_doc_counts(kgrams), max(1, len(index)))
        cache = _sources(index)
        lexicon = cache.lexicon_for(options)
        senders = cache.senders_of(index)
        result = compare_prepared(
            pa, pb, options, lexicon=lexicon, doc_freq=_doc_freq(share),
            seed_mask=_seed_mask(pa, share), few_senders=senders.few,
            topic=cache.topic_of(index), rare=rare_share(max(1, len(index))),
        )  # fmt: skip
    return Report(
        command="compare",
        documents=(replace(a, words=len(pa.tokens)), replace(b, words=len(pb.tokens))),
        pairs=(result,),
        settings={**options.to_json(), "index": index.path, **senders.settings()},
    )


class _Shares(dict[int, float]):
    """K-gram -> its corpus share; a k-gram the corpus was not asked about: 0 (not stored)."""

    def __missing__(self, h: int) -> float:
        return 0.0


def _shares(counts: dict[int, int], n_docs: int) -> _Shares:
    """The smoothed corpus share of each counted k-gram (`docdiff.corpus.scan.df_shares`)."""
    import numpy as np

    from docdiff.corpus.scan import df_shares

    held = np.fromiter(counts.values(), dtype=np.int64, count=len(counts))
    return _Shares(zip(counts, df_shares(held, n_docs).tolist(), strict=True))


def _doc_freq(share: _Shares) -> Callable[[int], float]:
    """`share` as a `DocFreq` (a k-gram the corpus was not asked about: 0), a counted one
    looked up without a Python call (classify asks one a k-gram of each passage)."""
    return share.__getitem__


def _seed_mask(doc: Prepared, share: dict[int, float]) -> npt.NDArray[np.bool_]:
    """Which of `doc`'s k-grams may seed a match in the corpus: `doc.seedable` of their
    shares, looked up in bulk."""
    import numpy as np

    hashes = doc.hashes
    shares = np.fromiter(map(share.get, hashes, itertools.repeat(0.0)), np.float64, len(hashes))
    return doc.seedable(shares=shares)
