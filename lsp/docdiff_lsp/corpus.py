"""The corpus the editor's documents are compared with: the CLI's SQLite index.

`docdiff.index.CorpusIndex` is shared with ``docdiff index``/``query``. SQLite connections
belong to one thread, so each worker thread opens its own connection (WAL lets the query
thread read while the indexing thread writes). When the index module is unavailable, a small
in-memory corpus calls `docdiff.pipeline.compare_prepared` per document instead.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import re
import sys
import threading
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from docdiff.errors import DocdiffError
from docdiff.model import Document, PairResult, Report
from docdiff.options import Options

__all__ = ["Corpus", "CorpusSpec", "UpdateResult", "glob_match", "spec_for"]

Progress = Callable[[int, int, str], None]
# Reports and indexes written by the server itself never belong to the corpus.
ALWAYS_EXCLUDE = ("**/.docdiff/**", "**/.git/**", "**/node_modules/**")


@dataclass(frozen=True, slots=True)
class CorpusSpec:
    """Which files make the corpus and where its index lives."""

    roots: tuple[Path, ...]
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    index_path: Path


@dataclass(slots=True)
class UpdateResult:
    """What one indexing run did."""

    documents: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


class _Backend(Protocol):
    def update(self, spec: CorpusSpec, progress: Progress, cancel: threading.Event) -> UpdateResult:
        """Bring the corpus up to date with the files."""

    def add(self, path: Path) -> None:
        """Index (or re-index) one file."""

    def remove(self, path: Path) -> None:
        """Forget one file."""

    def query(
        self, doc: Document, options: Options, limit: int, exclude_ids: Collection[str]
    ) -> Report:
        """Rank corpus documents by how much `doc` reuses them."""

    def get(self, doc_id: str) -> Document:
        """One corpus document by id."""

    def count(self) -> int:
        """How many documents are indexed."""

    def close(self) -> None:
        """Release the index."""


class _IndexBackend:
    """The CLI's SQLite index, one connection per thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[Any] = []

    def _idx(self) -> Any:
        idx = getattr(self._local, "idx", None)
        if idx is None:
            from docdiff.index import CorpusIndex

            # One opener at a time: a second connection must not see a half-created file.
            with self._lock:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                idx = CorpusIndex.open(self.path, create=True)
                self._all.append(idx)
            self._local.idx = idx
        return idx

    def update(self, spec: CorpusSpec, progress: Progress, cancel: threading.Event) -> UpdateResult:
        idx = self._idx()
        # No worker processes: forking this multi-threaded server can deadlock the children.
        single = {"jobs": 1} if "jobs" in inspect.signature(idx.update).parameters else {}
        summary = idx.update(
            [str(r) for r in spec.roots],
            include=fnmatch_globs(spec.include),
            exclude=fnmatch_globs((*spec.exclude, *ALWAYS_EXCLUDE)),
            meta=corpus_metadata(spec.roots) or None,
            progress=progress,
            cancel=cancel,
            **single,
        )
        return UpdateResult(
            documents=self.count(),
            added=summary.added,
            changed=summary.changed,
            removed=summary.removed,
            failed=list(summary.failed),
        )

    def add(self, path: Path) -> None:
        from docdiff.loaders import load

        idx = self._idx()
        # Keep the id (and metadata) the file already has, so ignore lists stay valid.
        resolved = str(path.resolve())
        known = next((d for d in idx.documents() if d.path in {resolved, str(path)}), None)
        doc = load(path, doc_id=known.id if known else str(path))
        if known is not None and known.meta:
            doc = replace(doc, meta=dict(known.meta))
        idx.add_document(doc)

    def remove(self, path: Path) -> None:
        self._idx().remove_path(str(path))

    def query(
        self, doc: Document, options: Options, limit: int, exclude_ids: Collection[str]
    ) -> Report:
        from docdiff.query import query

        report: Report = query(self._idx(), doc, options, limit=limit, exclude_ids=exclude_ids)
        return report

    def get(self, doc_id: str) -> Document:
        doc: Document = self._idx().get(doc_id)
        return doc

    def count(self) -> int:
        return len(self._idx().documents())

    def close(self) -> None:
        with self._lock:
            for idx in self._all:
                # Another thread's connection may refuse; closing is best effort.
                with contextlib.suppress(Exception):
                    idx.close()
            self._all.clear()
        self._local = threading.local()


class _MemoryBackend:
    """Fallback: every corpus document prepared in memory, compared one by one."""

    def __init__(self) -> None:
        self._docs: dict[str, tuple[Document, Any]] = {}
        self._lock = threading.Lock()

    def _load(self, path: Path) -> tuple[Document, Any]:
        from docdiff.loaders import load
        from docdiff.pipeline import prepare

        doc = load(path, doc_id=str(path))
        return doc, prepare(doc)

    def update(self, spec: CorpusSpec, progress: Progress, cancel: threading.Event) -> UpdateResult:
        from docdiff.loaders import iter_corpus

        paths = list(
            iter_corpus(
                [str(r) for r in spec.roots],
                include=fnmatch_globs(spec.include),
                exclude=fnmatch_globs((*spec.exclude, *ALWAYS_EXCLUDE)),
            )
        )
        result = UpdateResult()
        fresh: dict[str, tuple[Document, Any]] = {}
        for done, path in enumerate(paths, 1):
            if cancel.is_set():
                break
            try:
                fresh[str(path)] = self._load(Path(path))
            except DocdiffError as exc:
                result.failed.append((str(path), getattr(exc, "problem", str(exc))))
            progress(done, len(paths), str(path))
        with self._lock:
            result.added = len(fresh.keys() - self._docs.keys())
            result.removed = len(self._docs.keys() - fresh.keys())
            self._docs = fresh
            result.documents = len(fresh)
        return result

    def add(self, path: Path) -> None:
        entry = self._load(path)
        with self._lock:
            self._docs[str(path)] = entry

    def remove(self, path: Path) -> None:
        with self._lock:
            self._docs.pop(str(path), None)

    def query(
        self, doc: Document, options: Options, limit: int, exclude_ids: Collection[str]
    ) -> Report:
        from docdiff.pipeline import compare_prepared, load_lexicon, prepare

        lexicon = load_lexicon(options)
        mine = prepare(doc)
        with self._lock:
            entries = [e for key, e in self._docs.items() if key not in exclude_ids]
        found: list[tuple[PairResult, Document]] = []
        for source, prepared in entries:
            pair = compare_prepared(mine, prepared, options, lexicon=lexicon)
            if pair.matches:
                found.append((pair, source))
        found.sort(key=lambda item: -item[0].summary.similarity)
        found = found[:limit]
        return Report(
            command="query",
            documents=(doc, *(source for _, source in found)),
            pairs=tuple(pair for pair, _ in found),
        )

    def get(self, doc_id: str) -> Document:
        with self._lock:
            return self._docs[doc_id][0]

    def count(self) -> int:
        with self._lock:
            return len(self._docs)

    def close(self) -> None:
        with self._lock:
            self._docs.clear()


def _has_index_module() -> bool:
    try:
        from docdiff.index import CorpusIndex  # noqa: F401
    except ImportError:
        return False
    return True


class Corpus:
    """The indexed corpus plus the spec it was built from."""

    def __init__(self, spec: CorpusSpec, *, backend: str = "auto") -> None:
        self.spec = spec
        use_index = backend == "index" or (backend == "auto" and _has_index_module())
        self.kind = "index" if use_index else "memory"
        self._backend: _Backend = _IndexBackend(spec.index_path) if use_index else _MemoryBackend()

    def update(self, progress: Progress, cancel: threading.Event) -> UpdateResult:
        """Index every corpus file that changed since the last run (in this process)."""
        return self._backend.update(self.spec, progress, cancel)

    def update_argv(self) -> list[str] | None:
        """The command that updates the index in a child process (None: in-memory corpus)."""
        if self.kind != "index":
            return None
        argv = [sys.executable, "-m", "docdiff_lsp.indexer", "--index", str(self.spec.index_path)]
        for root in self.spec.roots:
            argv += ["--root", str(root)]
        for pattern in fnmatch_globs(self.spec.include):
            argv += ["--include", pattern]
        for pattern in fnmatch_globs((*self.spec.exclude, *ALWAYS_EXCLUDE)):
            argv += ["--exclude", pattern]
        return argv

    def ensure_index(self) -> int:
        """Open (creating if needed) the index in this thread; returns its document count."""
        return self._backend.count()

    def contains(self, path: Path) -> bool:
        """True when `path` lies under a corpus root and matches the include globs."""
        for root in self.spec.roots:
            rel = _relative(path, root)
            if rel is None:
                continue
            if any(glob_match(rel, g) for g in (*self.spec.exclude, *ALWAYS_EXCLUDE)):
                return False
            if any(glob_match(rel, g) for g in self.spec.include):
                return True
        return False

    def file_changed(self, path: Path) -> None:
        """Re-index one created or changed file."""
        self._backend.add(path)

    def file_deleted(self, path: Path) -> None:
        """Drop one deleted file."""
        self._backend.remove(path)

    def query(
        self, doc: Document, options: Options, *, limit: int = 10, exclude: Iterable[Path] = ()
    ) -> Report:
        """Corpus documents `doc` reuses, best first; documents at `exclude` paths are skipped."""
        skip = {p.resolve() for p in exclude}
        ids = {str(p) for p in exclude} | {str(p) for p in skip}
        report = self._backend.query(doc, options, limit + len(skip), ids)
        keep = [
            pair for pair in report.pairs if _resolved(report.document(pair.b).path) not in skip
        ][:limit]
        used = {doc.id} | {pair.b for pair in keep}
        return Report(
            command="query",
            documents=tuple(d for d in report.documents if d.id in used),
            pairs=tuple(keep),
            settings=report.settings,
        )

    def get(self, doc_id: str) -> Document:
        """One corpus document by id."""
        return self._backend.get(doc_id)

    def count(self) -> int:
        """How many documents are indexed."""
        return self._backend.count()

    def close(self) -> None:
        """Release the index."""
        self._backend.close()


def corpus_metadata(roots: Iterable[Path]) -> dict[str, dict[str, str]]:
    """Rows of any ``metadata.csv`` in or just above the corpus folders (dates, senders)."""
    from docdiff.metadata import load_csv

    rows: dict[str, dict[str, str]] = {}
    for root in roots:
        for candidate in (root / "metadata.csv", root.parent / "metadata.csv"):
            if root.is_dir() and candidate.is_file():
                with contextlib.suppress(DocdiffError, OSError):
                    rows.update(load_csv(candidate))
    return rows


def _relative(path: Path, root: Path) -> str | None:
    """`path` relative to `root` (posix), its name when `root` is the file, else None."""
    path, root = path.resolve(), root.resolve()
    if path == root:
        return path.name
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return None


@functools.lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def fnmatch_globs(patterns: Iterable[str]) -> tuple[str, ...]:
    """Globs for the loaders' fnmatch, where ``**/`` must also match no folder at all."""
    out: list[str] = []
    for pattern in patterns:
        out.append(pattern)
        if pattern.startswith("**/"):
            out.append(pattern[3:])
    return tuple(dict.fromkeys(out))


def glob_match(relative: str, pattern: str) -> bool:
    """Whether a relative posix path matches a glob (``**`` spans folders; no ``/``: any depth)."""
    if "/" not in pattern:
        pattern = f"**/{pattern}"
    return _glob_regex(pattern).match(relative) is not None


def _resolved(path: str) -> Path | None:
    if not path:
        return None
    try:
        return Path(path).resolve()
    except OSError:
        return None


def spec_for(
    folders: Sequence[Path],
    *,
    paths: Sequence[str],
    include: Sequence[str],
    exclude: Sequence[str],
    index: str,
    fallback_dir: Path,
) -> CorpusSpec:
    """The corpus spec from workspace folders plus settings (relative paths: first folder)."""
    base = folders[0] if folders else Path.cwd()
    extra = [Path(p).expanduser() for p in paths]
    roots = [*folders, *((p if p.is_absolute() else base / p) for p in extra)]
    if index:
        index_path = Path(index).expanduser()
        index_path = index_path if index_path.is_absolute() else base / index_path
    elif folders:
        index_path = folders[0] / ".docdiff" / "index.db"
    else:
        index_path = fallback_dir / "index.db"
    return CorpusSpec(tuple(roots), tuple(include), tuple(exclude), index_path)
