"""The corpus the editor's documents are compared with: the CLI's SQLite index.

`docdiff.index.CorpusIndex` is shared with ``docdiff index``/``query``: the same engine ranks
corpus documents (by distinctive similarity, with corpus rarity) for the CLI and the editor.
SQLite connections belong to one thread, so each worker thread opens its own connection (WAL
lets the query thread read while the indexing process writes).

Which files belong to the corpus is decided by the loaders' own walk rules
(`docdiff.loaders.globs`), plus the server's confinement (`confine`): files that are not
regular (FIFOs, sockets, devices) are never opened, and symlinks leading out of the corpus
folders are not followed unless the spec says so.
"""

from __future__ import annotations

import contextlib
import glob
import inspect
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docdiff.errors import DocdiffError, InputError
from docdiff.loaders.globs import walked, wanted
from docdiff.model import Document, Report
from docdiff.options import Options

if TYPE_CHECKING:
    from docdiff.index import DocInfo

from .confine import Roots, index_location, inside, lexical, regular_file

__all__ = ["Corpus", "CorpusSpec", "UpdateResult", "spec_for", "unreadable"]

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
    follow_symlinks: bool = False

    @property
    def excluded(self) -> tuple[str, ...]:
        """The exclude globs plus the server's own folders."""
        return (*self.exclude, *ALWAYS_EXCLUDE)


@dataclass(slots=True)
class UpdateResult:
    """What one indexing run did."""

    documents: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


class Corpus:
    """The corpus index plus the spec it was built from (one connection per thread)."""

    def __init__(self, spec: CorpusSpec) -> None:
        self.spec = spec
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[Any] = []

    def _idx(self) -> Any:
        idx = getattr(self._local, "idx", None)
        if idx is None:
            from docdiff.index import CorpusIndex

            # One opener at a time: a second connection must not see a half-created file.
            with self._lock:
                self.spec.index_path.parent.mkdir(parents=True, exist_ok=True)
                idx = CorpusIndex.open(self.spec.index_path, create=True)
                self._all.append(idx)
            self._local.idx = idx
        return idx

    def update(self, progress: Progress, cancel: threading.Event) -> UpdateResult:
        """Index every corpus file that changed since the last run (in this process).

        The server runs the same update in a child process (`indexing`); this is for tests and
        for callers without an event loop.
        """
        from docdiff.corpus.derived import DERIVER
        from docdiff.corpus.query import keep_word_postings

        idx = self._idx()
        # No worker processes: forking a multi-threaded process can deadlock the children.
        single = {"jobs": 1} if "jobs" in inspect.signature(idx.update).parameters else {}
        summary = idx.update(
            [str(r) for r in self.spec.roots],
            include=self.spec.include,
            exclude=(*self.spec.excluded, *unreadable(self.spec)),
            meta=corpus_metadata(self.spec.roots) or None,
            progress=progress,
            cancel=cancel,
            derive=DERIVER,
            **single,
        )
        if not cancel.is_set():
            keep_word_postings(idx)  # what queries read of every document at once
        return UpdateResult(
            documents=self.count(),
            added=summary.added,
            changed=summary.changed,
            removed=summary.removed,
            failed=list(summary.failed),
        )

    def ensure_index(self) -> int:
        """Open (creating if needed) the index in this thread; returns its document count."""
        return self.count()

    def relative(self, path: Path) -> tuple[Path, str] | None:
        """The corpus root holding `path` and the path relative to it, or None."""
        for root in self.spec.roots:
            rel = _relative(path, root)
            if rel is not None:
                return root, rel
        return None

    def contains(self, path: Path) -> bool:
        """True when `path` is a corpus file: the walk reaches it and the globs keep it.

        A symlink leading out of the corpus folders is not part of it (unless the spec follows
        symlinks); neither is anything but a regular file.
        """
        found = self.relative(path)
        if found is None:
            return False
        root, rel = found
        if not (root.is_file() or walked(rel, self.spec.include)):
            return False
        if not (root.is_file() or wanted(rel, self.spec.include, self.spec.excluded)):
            return False
        return self.spec.follow_symlinks or inside(path, self.spec.roots)

    def file_changed(self, path: Path) -> None:
        """Re-index one created or changed corpus file (others are left alone)."""
        if not self.contains(path):
            return
        if not regular_file(path):
            raise InputError(str(path), "not a regular file; left out of the corpus")
        from docdiff.loaders import load

        idx = self._idx()
        # Keep the id (and metadata) the file already has, so ignore lists stay valid.
        known = self.indexed(path)
        doc = load(path, doc_id=known.id if known else str(path))
        if known is not None and known.meta:
            doc = replace(doc, meta=dict(known.meta))
        idx.add_document(doc)

    def file_deleted(self, path: Path) -> None:
        """Drop one deleted file."""
        self._idx().remove_path(str(path))

    def indexed(self, path: Path) -> DocInfo | None:
        """The indexed document read from `path` (as listed, without its text), or None."""
        keys = (str(path), str(lexical(path)), str(_resolved(str(path))))
        found: DocInfo | None = self._idx().document_at(keys)
        return found

    def query(
        self, doc: Document, options: Options, *, limit: int = 10, exclude: Iterable[Path] = ()
    ) -> Report:
        """Corpus documents `doc` reuses, best first; documents at `exclude` paths are skipped."""
        skip = {p.resolve() for p in exclude}
        ids = {str(p) for p in exclude} | {str(p) for p in skip}
        from docdiff.corpus.query import query

        report = query(self._idx(), doc, options, limit=limit + len(skip), exclude_ids=ids)
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
        """One corpus document by id (DocdiffError when the index has no such document)."""
        try:
            doc: Document = self._idx().get(doc_id)
        except KeyError:
            raise DocdiffError(f"{doc_id}: not a document of the corpus index") from None
        return doc

    def count(self) -> int:
        """How many documents are indexed."""
        return len(self._idx().documents())

    def close(self) -> None:
        """Release the index (every thread's connection)."""
        with self._lock:
            for idx in self._all:
                # Another thread's connection may refuse; closing is best effort.
                with contextlib.suppress(Exception):
                    idx.close()
            self._all.clear()
        self._local = threading.local()


def unreadable(spec: CorpusSpec) -> list[str]:
    """Exclude globs naming the corpus files that must not be opened.

    The walk of `docdiff.loaders.iter_corpus` yields every supported name; this finds, among
    them, files that are not regular (a FIFO would block the reader forever, a device never
    ends) and symlinks leading out of the corpus folders (unless the spec follows symlinks).
    Each is named exactly (glob characters escaped), relative to its folder.
    """
    out: list[str] = []
    for root in spec.roots:
        if not root.is_dir():
            continue
        for path, rel in _walk(root, spec.include):
            if not regular_file(path) or (
                not spec.follow_symlinks and not inside(path, spec.roots)
            ):
                out.append(glob.escape(rel))
    return out


def _walk(folder: Path, include: Sequence[str]) -> Iterator[tuple[Path, str]]:
    """Every file name a corpus walk of `folder` reaches (`include` globs as given), with its
    relative path."""
    for base, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "node_modules"]
        here = Path(base)
        for name in files:
            rel = (here / name).relative_to(folder).as_posix()
            if walked(rel, include):
                yield here / name, rel


def corpus_metadata(roots: Sequence[Path]) -> dict[str, dict[str, str]]:
    """Rows of any ``metadata.csv`` in the corpus folders, or just above one when that
    folder is itself inside another corpus folder (dates, senders)."""
    from docdiff.corpus.metadata import load_csv

    rows: dict[str, dict[str, str]] = {}
    for root in roots:
        if not root.is_dir():
            continue
        candidates = [root / "metadata.csv"]
        if inside(root.parent, roots):
            candidates.insert(0, root.parent / "metadata.csv")
        for candidate in candidates:
            if regular_file(candidate) and inside(candidate, roots):
                with contextlib.suppress(DocdiffError, OSError):
                    rows.update(load_csv(candidate))
    return rows


def _relative(path: Path, root: Path) -> str | None:
    """`path` relative to `root` (posix), its name when `root` is the file, else None.

    The path as written is tried first (the walk's view), then with symlinks followed.
    """
    for p, r in ((lexical(path), lexical(root)), (_resolved(str(path)), _resolved(str(root)))):
        if p is None or r is None:
            continue
        if p == r:
            return p.name
        if p.is_relative_to(r):
            return p.relative_to(r).as_posix()
    return None


def _resolved(path: str) -> Path | None:
    if not path:
        return None
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):
        return None


def spec_for(
    roots: Roots,
    *,
    include: Sequence[str],
    exclude: Sequence[str],
    index: str,
    follow_symlinks: bool = False,
) -> tuple[CorpusSpec, list[str]]:
    """The corpus spec for the readable roots plus settings, and the settings refused."""
    index_path, problem = index_location(index, roots)
    spec = CorpusSpec(roots.all, tuple(include), tuple(exclude), index_path, follow_symlinks)
    return spec, [problem] if problem else []
