"""Scan and index a corpus on Ray: a local Ray runtime or a multi-node cluster.

The work is split the way `docdiff.corpus.scan` describes its pure stages:

* **candidates**, partitioned by k-gram hash: map tasks turn blocks of documents' token arrays
  into the distinct k-grams of each hash partition; one reduce task per partition counts document
  frequencies (a hash lives in exactly one partition, so its count is the corpus's), keeps the
  rare k-grams and returns the pair counts as two int64 arrays. The driver sums them.
* **alignment**, partitioned by document pair: each task aligns a batch of pairs. Every document
  (with its token arrays), the corpus document frequencies and the lexicon are put in the object
  store once and passed by reference.
* **index**: files are read by the driver and parsed, tokenized and encoded by tasks; the SQLite
  writes stay in the driver (`CorpusIndex.update` does them exactly as in a local run).

Every task is idempotent, so a failed task or a lost worker is simply retried (``max_retries``,
``retry_exceptions``); results are assembled in a fixed order, so a Ray run gives the same
`Report` as a local one. This is the only module that imports Ray.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from docdiff.corpus.scan import (
    RECENT_DOCS,
    PairAligner,
    ScanPlan,
    WordPostings,
    default_max_df,
    finish_scan,
    merge_pair_counts,
    pair_counts,
    plan_scan,
    tile_order,
)
from docdiff.errors import DocdiffError, OptionsError
from docdiff.index import CorpusIndex
from docdiff.index.arrays import U64, DocTokens, doc_tokens, unique_kgrams
from docdiff.model import Document, PairResult, Report
from docdiff.options import Options, ScanOptions

if TYPE_CHECKING:
    from docdiff.index import DocumentRow

__all__ = ["RayEngine", "scan"]

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
Progress = Callable[[str, int, int], None]

MAX_RETRIES = 3
"""Attempts after the first for a task whose worker died or which raised."""
_BLOCK_TOKENS = 2_000_000  # most tokens in one candidate map task's block of documents
_FILES_PER_TASK = 16
_BATCH_CHARS = 1_000_000  # text tokenized by one task
_BYTES_PER_TASK = 8_000_000


StageHook = Callable[[str], None]
"""Called inside a worker at the start of each task with its stage ("tokenize", "kgrams",
"pairs", "align" or "load"): for tracing, or for a test that makes a stage fail."""


def _enter(hook: StageHook | None, stage: str) -> None:
    if hook is not None:
        hook(stage)


# --- tasks (plain functions; wrapped with ray.remote when the engine starts) ---------------------


def _tokenize_batch(hook: StageHook | None, texts: list[str]) -> list[DocTokens]:
    """Compact tokens of a batch of texts."""
    _enter(hook, "tokenize")
    return [doc_tokens(t) for t in texts]


def _kgram_partitions(
    block: tuple[U64, I64], first: int, k: int, parts: int, hook: StageHook | None
) -> Any:
    """Map: the distinct k-grams of a block of documents, split into hash partitions."""
    _enter(hook, "kgrams")
    packed, offsets = block
    hs: list[U64] = []
    ds: list[I32] = []
    for n in range(len(offsets) - 1):
        kg = unique_kgrams(packed[offsets[n] : offsets[n + 1]], k)
        hs.append(kg)
        ds.append(np.full(len(kg), first + n, dtype=np.int32))
    hashes = np.concatenate(hs) if hs else np.zeros(0, dtype=np.uint64)
    docs = np.concatenate(ds) if ds else np.zeros(0, dtype=np.int32)
    which = hashes % np.uint64(parts)
    out = [(hashes[which == p], docs[which == p]) for p in range(parts)]
    return out[0] if parts == 1 else tuple(out)


def _partition_pair_counts(
    n_docs: int, min_df: int, max_df: int, hook: StageHook | None, *pieces: tuple[U64, I32]
) -> tuple[I64, I64]:
    """Reduce: pair codes and shared rare k-gram counts of one hash partition."""
    _enter(hook, "pairs")
    if not pieces:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    hashes = np.concatenate([p[0] for p in pieces])
    docs = np.concatenate([p[1] for p in pieces])
    uniq, counts = np.unique(hashes, return_counts=True)
    df = counts[np.searchsorted(uniq, hashes)]
    keep = (df >= min_df) & (df <= max_df)
    hashes, docs = hashes[keep], docs[keep]
    order = np.lexsort((docs, hashes))
    return pair_counts(hashes[order], docs[order], n_docs)


_Known = tuple[Document, DocTokens, bytes | None]
"""A document a worker was sent: with its token arrays and its derived blob (None: it has none;
`docdiff.corpus.scan.ScanPlan.derived`)."""

_Frequencies = tuple[U64, I64, tuple[U64, I64, I32, I64] | None]
"""A scan's corpus frequencies sent to its workers: of its k-grams (sorted hashes, counts) and of
its words (`docdiff.corpus.scan.WordPostings.arrays`)."""

_worker_scan: tuple[str, PairAligner | None, dict[int, _Known]] = ("", None, {})
"""The aligner a worker keeps across the batches of one scan (keyed by the scan's id): each
document's derived data is made once per worker, as in the local process pool."""


def _scan_aligner(
    scan_id: str,
    options: Options,
    lexicon: Any,
    frequencies: _Frequencies,
    n_docs: int,
    few_senders: tuple[str, ...],
) -> tuple[PairAligner, dict[int, _Known]]:
    global _worker_scan  # noqa: PLW0603  (per-process cache, like the local pool's)
    if _worker_scan[0] != scan_id or _worker_scan[1] is None:
        known: dict[int, _Known] = {}
        uniq, counts, words = frequencies
        aligner = PairAligner(
            options, lexicon, uniq, counts, n_docs,
            lambda i: known[i][0], lambda i: known[i][1], derived=lambda i: known[i][2],
            few_senders=few_senders,
            words=WordPostings.from_arrays(words) if words is not None else None,
        )  # fmt: skip
        _worker_scan = (scan_id, aligner, known)
        return aligner, known
    return _worker_scan[1], _worker_scan[2]


def _align_batch(
    scan_id: str,
    pairs: I64,
    positions: I64,
    options: Options,
    n_docs: int,
    frequencies: _Frequencies,
    lexicon: Any,
    few_senders: tuple[str, ...],
    hook: StageHook | None,
    *docs: _Known,
) -> list[PairResult]:
    """Align a batch of document pairs (positions into the corpus) with the corpus frequencies."""
    _enter(hook, "align")
    aligner, known = _scan_aligner(scan_id, options, lexicon, frequencies, n_docs, few_senders)
    for i, doc in zip(positions.tolist(), docs, strict=True):
        known.setdefault(i, doc)
    return aligner.align([(int(i), int(j)) for i, j in pairs.tolist()])


def _load_batch(
    k: int, hook: StageHook | None, items: list[tuple[str, str, int, int, bytes]]
) -> list[DocumentRow | tuple[str, str]]:
    """Parse, tokenize and encode files read by the driver: one index row each (or a problem)."""
    from docdiff.index import encode_document
    from docdiff.loaders import load_bytes

    _enter(hook, "load")
    out: list[DocumentRow | tuple[str, str]] = []
    for path, doc_id, size, mtime_ns, data in items:
        try:
            doc = load_bytes(data, path=path, doc_id=doc_id)
        except DocdiffError as exc:
            out.append((path, getattr(exc, "problem", str(exc))))
            continue
        out.append(encode_document(doc, path=path, size=size, mtime_ns=mtime_ns, k=k))
    return out


# --- the engine ----------------------------------------------------------------------------------


class RayEngine:
    """A Ray runtime that runs scans and index updates; use as a context manager.

    Without `address` a private local runtime starts (``num_cpus=jobs``, no dashboard, loopback
    only, logs in a temporary folder that is removed afterwards). ``address="auto"`` joins the
    cluster this machine belongs to; ``"ray://HOST:PORT"`` connects through Ray Client. If Ray is
    already initialised in this process, that runtime is used and left running.
    """

    def __init__(
        self,
        *,
        address: str | None = None,
        jobs: int | None = None,
        parts: int | None = None,
        max_retries: int = MAX_RETRIES,
        on_task: StageHook | None = None,
    ) -> None:
        if jobs is not None and jobs < 1:
            raise OptionsError(f"--jobs must be at least 1, not {jobs}")
        if parts is not None and parts < 1:
            raise OptionsError(f"parts must be at least 1, not {parts}")
        if address is not None and not _valid_address(address):
            raise OptionsError(
                f"--address must be auto, ray://HOST:PORT or HOST:PORT, not {address!r}"
            )
        self.address = address
        self.jobs = jobs
        self.parts = parts
        self.max_retries = max_retries
        self.on_task = on_task
        self._ray: Any = None
        self._owner = False
        self._temp: str | None = None
        self._remote: dict[str, Any] = {}

    # --- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> RayEngine:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> None:
        """Start (or connect to) the Ray runtime."""
        if self._ray is not None:
            return
        if self.address is None and "ray" not in sys.modules:
            # Ray then advertises and binds its private runtime on loopback only (it reads this
            # at import; its default is every interface, ready for other nodes to join).
            os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
        try:
            import ray
        except ImportError:
            raise OptionsError(
                "--engine ray needs Ray: pip install 'docdiff[ray]' (on every node)"
            ) from None
        if not ray.is_initialized():
            os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
            quiet: dict[str, Any] = {"logging_level": logging.ERROR, "log_to_driver": False}
            try:
                if self.address is None:
                    self._temp = tempfile.mkdtemp(prefix="docdiff-ray-")
                    ray.init(
                        num_cpus=self.jobs or os.cpu_count() or 1,
                        include_dashboard=False,
                        _temp_dir=self._temp,
                        _node_ip_address="127.0.0.1",
                        **quiet,
                    )
                else:
                    ray.init(address=self.address, **quiet)
            except (ConnectionError, RuntimeError, ValueError, TimeoutError) as exc:
                self._cleanup()
                where = self.address or "a local runtime"
                said = " ".join(str(exc).split())[:400] or type(exc).__name__
                raise DocdiffError(f"Ray: cannot start or reach {where}: {said}") from None
            self._owner = True
        self._ray = ray
        retried = ray.remote(max_retries=self.max_retries, retry_exceptions=True)
        self._remote = {
            "tokenize": retried(_tokenize_batch),
            "kgrams": retried(_kgram_partitions),
            "pairs": retried(_partition_pair_counts),
            "align": retried(_align_batch),
            "load": retried(_load_batch),
        }

    def close(self) -> None:
        """Shut the runtime down if this engine started it."""
        if self._ray is not None and self._owner:
            self._ray.shutdown()
        self._ray = None
        self._owner = False
        self._cleanup()

    def _cleanup(self) -> None:
        if self._temp is not None:
            shutil.rmtree(self._temp, ignore_errors=True)
            self._temp = None

    @property
    def cpus(self) -> int:
        """CPUs the runtime offers (the whole cluster's)."""
        self._started()
        return max(1, int(self._ray.cluster_resources().get("CPU", 1)))

    def _started(self) -> None:
        if self._ray is None:
            raise RuntimeError("RayEngine used before start() (use it as a context manager)")

    def _run(
        self,
        calls: Sequence[Callable[[], Any]],
        *,
        sizes: Sequence[int] | None = None,
        stage: str,
        progress: Progress | None,
        on_result: Callable[[int, Any], None],
    ) -> None:
        """Submit `calls` with at most a few tasks per CPU in flight; results in any order."""
        ray = self._ray
        window = 4 * self.cpus + 4
        total = sum(sizes) if sizes is not None else len(calls)
        done = 0
        pending: dict[Any, int] = {}
        nxt = 0
        if progress:
            progress(stage, 0, total)
        while nxt < len(calls) or pending:
            while nxt < len(calls) and len(pending) < window:
                pending[calls[nxt]()] = nxt
                nxt += 1
            ready, _ = ray.wait(list(pending), num_returns=1)
            for ref in ready:
                n = pending.pop(ref)
                on_result(n, ray.get(ref))
                done += sizes[n] if sizes is not None else 1
                if progress:
                    progress(stage, done, total)

    # --- scan ------------------------------------------------------------------------------

    def tokenize(self, texts: list[str], progress: Progress | None = None) -> list[DocTokens]:
        """`doc_tokens` of every text, in order, in batches of about a million characters."""
        self._started()
        batches: list[list[str]] = []
        held = 0
        for text in texts:
            if not batches or held + len(text) > _BATCH_CHARS:
                batches.append([])
                held = 0
            batches[-1].append(text)
            held += len(text)
        task = self._remote["tokenize"]
        out: list[list[DocTokens]] = [[] for _ in batches]

        def keep(n: int, result: list[DocTokens]) -> None:
            out[n] = result

        def call(batch: list[str]) -> Callable[[], Any]:
            return lambda: task.remote(self.on_task, batch)

        self._run(
            [call(b) for b in batches],
            sizes=[len(b) for b in batches],
            stage="tokenize",
            progress=progress,
            on_result=keep,
        )
        return [t for part in out for t in part]

    def candidate_pairs(
        self,
        tokens: Sequence[DocTokens],
        k: int,
        *,
        min_shared: int,
        max_df: int | None = None,
        min_df: int = 2,
        progress: Progress | None = None,
    ) -> I64:
        """Rows ``(i, j, shared)`` as `scan.candidate_pairs` gives, partitioned by hash."""
        self._started()
        ray = self._ray
        n = len(tokens)
        cap = default_max_df(n) if max_df is None else max_df
        parts = self.parts or 2 * self.cpus
        blocks = _blocks(tokens, max(200_000, min(_BLOCK_TOKENS, _total(tokens) // parts + 1)))
        mapped: list[Any] = [None] * len(blocks)
        kgrams, pairs = self._remote["kgrams"], self._remote["pairs"]
        for b, (first, last) in enumerate(blocks):
            packed = np.concatenate([tokens[i].hashes for i in range(first, last)])
            offsets = np.cumsum([0, *(len(tokens[i]) for i in range(first, last))], dtype=np.int64)
            ref = ray.put((packed, offsets))
            out = kgrams.options(num_returns=parts).remote(ref, first, k, parts, self.on_task)
            mapped[b] = [out] if parts == 1 else list(out)
        if progress:
            progress("k-grams", len(blocks), len(blocks))
        results: list[tuple[I64, I64]] = []
        calls = [
            (
                lambda p=p: pairs.remote(
                    n, min_df, cap, self.on_task, *(mapped[b][p] for b in range(len(blocks)))
                )
            )
            for p in range(parts)
        ]
        self._run(
            calls, stage="partitions", progress=progress, on_result=lambda _n, r: results.append(r)
        )
        codes, shared = merge_pair_counts(results)
        keep = shared >= min_shared
        codes, shared = codes[keep], shared[keep]
        width = max(n, 1)
        return np.stack((codes // width, codes % width, shared), axis=1).astype(np.int64)

    def align(self, plan: ScanPlan, progress: Progress | None = None) -> list[PairResult]:
        """Align every candidate pair of `plan`, in batches of pairs; results in pair order."""
        from docdiff.engine.prepare import load_lexicon

        self._started()
        ray = self._ray
        pairs = plan.pairs
        senders = plan.senders().few
        if not pairs:
            return []
        n_docs = len(plan.corpus)
        words = plan.words.arrays() if plan.words is not None else None
        frequencies = ray.put((plan.uniq, plan.counts, words))
        lexicon = ray.put(load_lexicon(plan.options))
        doc_refs = {
            i: ray.put((plan.documents[i], plan.corpus.tokens[i], plan.derived.get(i)))
            for i in sorted({i for pair in pairs for i in pair})
        }
        size = max(1, min(64, len(pairs) // (self.cpus * 8) or 1))
        # Tiles of documents, as in the local pool: a worker's recent documents serve the next.
        order = tile_order(pairs, RECENT_DOCS // 2)
        tiled = [pairs[n] for n in order]
        batches = [tiled[s : s + size] for s in range(0, len(tiled), size)]
        task = self._remote["align"]
        scan_id = uuid.uuid4().hex

        def call(batch: list[tuple[int, int]]) -> Callable[[], Any]:
            ids = sorted({i for pair in batch for i in pair})

            def submit() -> Any:
                return task.remote(
                    scan_id, np.asarray(batch, dtype=np.int64), np.asarray(ids, dtype=np.int64),
                    plan.options, n_docs, frequencies, lexicon, senders, self.on_task,
                    *(doc_refs[i] for i in ids),
                )  # fmt: skip

            return submit

        out: list[list[PairResult]] = [[] for _ in batches]

        def keep(n: int, result: list[PairResult]) -> None:
            out[n] = result

        self._run(
            [call(b) for b in batches],
            sizes=[len(b) for b in batches],
            stage="align",
            progress=progress,
            on_result=keep,
        )
        flat = [r for part in out for r in part]
        restored: list[PairResult | None] = [None] * len(flat)
        for n, result in zip(order, flat, strict=True):
            restored[n] = result
        return [r for r in restored if r is not None]

    def scan(
        self,
        source: CorpusIndex | Sequence[Document],
        options: Options = Options(),  # noqa: B008  (frozen dataclass)
        scan_options: ScanOptions = ScanOptions(),  # noqa: B008  (frozen dataclass)
        *,
        progress: Progress | None = None,
        jobs: int | None = None,
    ) -> Report:
        """`docdiff.corpus.scan.scan` with candidates and alignment on Ray: the same `Report`.

        `jobs` is accepted for symmetry with the local scan; the runtime's CPUs decide.
        """
        self._started()

        def candidates(
            tokens: Sequence[DocTokens], k: int, min_shared: int, max_df: int
        ) -> npt.NDArray[np.int64]:
            return self.candidate_pairs(
                tokens, k, min_shared=min_shared, max_df=max_df, progress=progress
            )

        plan = plan_scan(
            source, options, scan_options, progress=progress, candidates=candidates,
            tokenize=lambda texts: self.tokenize(texts, progress),
        )  # fmt: skip
        results = self.align(plan, progress)
        return finish_scan(plan, results, extra={"jobs": self.cpus, "engine": "ray"})

    # --- index -----------------------------------------------------------------------------

    def open_index(self, path: str | Path, *, create: bool = False) -> CorpusIndex:
        """Open an index for writing whose files are parsed and tokenized on Ray."""
        self._started()
        index = _RayIndex.open(path, create=create)
        assert isinstance(index, _RayIndex)
        index.engine = self
        return index

    def load_files(
        self, todo: Sequence[tuple[str, str, int]]
    ) -> Iterator[DocumentRow | tuple[str, str]]:
        """Index rows for ``(path, id, k)`` files, in the order given; reading stays here."""
        from docdiff.loaders import DEFAULT_MAX_BYTES, read_file

        self._started()
        ray = self._ray
        task = self._remote["load"]
        window = 2 * self.cpus + 2
        pending: deque[tuple[Any, list[tuple[str, str]]]] = deque()

        def batches() -> Iterator[tuple[list[tuple[str, str, int, int, bytes]], int, list[Any]]]:
            items: list[tuple[str, str, int, int, bytes]] = []
            early: list[Any] = []  # files the driver could not read, in order
            held = 0
            k = todo[0][2] if todo else 0
            for path, doc_id, k in todo:
                try:
                    st = Path(path).stat()
                    data = read_file(path, max_bytes=DEFAULT_MAX_BYTES)
                except DocdiffError as exc:
                    early.append((len(items), (path, getattr(exc, "problem", str(exc)))))
                    continue
                except OSError as exc:
                    early.append((len(items), (path, exc.strerror or str(exc))))
                    continue
                items.append((path, doc_id, st.st_size, st.st_mtime_ns, data))
                held += len(data)
                if len(items) >= _FILES_PER_TASK or held >= _BYTES_PER_TASK:
                    yield items, k, early
                    items, early, held = [], [], 0
            if items or early:
                yield items, k, early

        def merged(result: list[Any], early: list[Any]) -> Iterator[Any]:
            at = 0
            for before, problem in early:
                while at < before:
                    yield result[at]
                    at += 1
                yield problem
            yield from result[at:]

        for items, k, early in batches():
            ref = task.remote(k, self.on_task, items) if items else None
            pending.append((ref, early))
            while len(pending) > window:
                head, head_early = pending.popleft()
                yield from merged(ray.get(head) if head is not None else [], head_early)
        while pending:
            head, head_early = pending.popleft()
            yield from merged(ray.get(head) if head is not None else [], head_early)


class _RayIndex(CorpusIndex):
    """A corpus index whose update parses files on Ray; the SQLite writes stay in the driver."""

    engine: RayEngine

    def _load_all(
        self, todo: list[tuple[str, str, int]], jobs: int | None
    ) -> Iterator[DocumentRow | tuple[str, str]]:
        return self.engine.load_files(todo)


def _valid_address(address: str) -> bool:
    if address == "auto":
        return True
    rest = address.removeprefix("ray://")
    host, sep, port = rest.rpartition(":")
    return bool(sep and host and port.isdigit()) and not any(c in host for c in "/ \t")


def _total(tokens: Sequence[DocTokens]) -> int:
    return sum(len(t) for t in tokens)


def _blocks(tokens: Sequence[DocTokens], limit: int) -> list[tuple[int, int]]:
    """Consecutive ``[first, last)`` document ranges holding at most `limit` tokens (or one doc)."""
    out: list[tuple[int, int]] = []
    first, held = 0, 0
    for i, t in enumerate(tokens):
        if held and held + len(t) > limit:
            out.append((first, i))
            first, held = i, 0
        held += len(t)
    if first < len(tokens):
        out.append((first, len(tokens)))
    return out


def scan(
    source: CorpusIndex | Sequence[Document],
    options: Options = Options(),  # noqa: B008  (frozen dataclass)
    scan_options: ScanOptions = ScanOptions(),  # noqa: B008  (frozen dataclass)
    *,
    address: str | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> Report:
    """Scan `source` on Ray (a local runtime, or the cluster at `address`)."""
    with RayEngine(address=address, jobs=jobs) as engine:
        return engine.scan(source, options, scan_options, progress=progress)
