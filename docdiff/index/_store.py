"""The SQLite corpus index: documents, compact token blobs and k-gram postings.

Layout (schema version `SCHEMA_VERSION`, ``PRAGMA application_id`` = `APPLICATION_ID`):

* ``documents``: one row per file, keyed by its resolved path (the update key), holding the id,
  the content hash, the stat fingerprint, metadata (JSON), the text (zlib) and the tokens (a zlib
  blob of token-key hashes and spans, see `docdiff.index.arrays`).
* ``postings``: ``(hash, doc)`` for every distinct k-gram of every document, with a covering
  index on ``(hash, doc)``, so a query's k-grams are a handful of B-tree seeks. A build from
  scratch drops that index, appends the postings and sorts them into the index once at the end
  (three times faster than inserting into the B-tree); an interrupted build gets its index back
  on the next open.
* ``info``: key/value settings (the k of the postings, the creating version).
* ``derived``: per document, an opaque blob the engine derived from it and the fingerprint of
  the code that derived it (`Deriver`; the query's is `docdiff.corpus.derived`: words,
  language, sentences, formula instances), so a query does not prepare an indexed source
  from its text again. The index only stores and reads these blobs. An index made before
  this table opens as before (a reader finds no blobs); a writable open adds the table, and
  an update given a deriver fills it.
* ``common``: the document count of each k-gram in more than `_COMMON_DOCS` documents, so a
  query does not walk those postings to count them (a query's k-grams found in hundreds or
  thousands of documents were about a third of its SQL time on the UN index). Two triggers on
  ``postings`` keep each row exact whichever code writes (an older docdiff included); the
  table need not be complete (a k-gram it lacks is counted from its postings, as before), and
  an update that wrote many documents, or finds the table never filled, counts it again from
  the postings. A build from scratch drops the triggers with the postings index and counts the
  table at the end. An index made before this table opens as before; a writable open adds it.

WAL mode lets readers (a query, the language server) work while a writer updates; every batch of
documents is one transaction, so Ctrl-C leaves a consistent index.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from itertools import repeat
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

import numpy as np
import numpy.typing as npt

from docdiff import interrupts
from docdiff.corpus.metadata import lookup_meta
from docdiff.errors import CorpusIndexError, DocdiffError
from docdiff.index.arrays import (
    DocTokens,
    decode_tokens,
    doc_tokens,
    encode_tokens,
    inflate,
    max_text_bytes,
    unique_kgrams,
)
from docdiff.model import Document, OffsetMap
from docdiff.procs import fork_context, worker_init

if TYPE_CHECKING:
    pass

__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "CorpusIndex",
    "Deriver",
    "DocInfo",
    "DocumentRow",
    "KgramPostings",
    "UpdateSummary",
    "decode_document",
    "doc_id_for",
    "encode_document",
]

APPLICATION_ID = 0x64446966  # "dDif"
SCHEMA_VERSION = 1
DEFAULT_K = 3
_BATCH = 200
_SQLITE_MAGIC = b"SQLite format 3\x00"
_MAX_VARS = 900

_COMMON_DOCS = 64
"""A k-gram in more documents than this is common: its count is kept in memory (see
`CorpusIndex.kgram_doc_counts`)."""

_MAP_BYTES = 1 << 31
"""How much of a read-only index a connection that looks k-grams up maps into memory (SQLite's
``mmap_size``, capped by SQLite itself): its pages are then read without a system call and a
copy each. A query seeks about 1,700 k-grams in the postings, most in pages no other query
read: mapped, the lookup took about a fifth less CPU on the UN index."""

_COUNTS_TWO_WALKS = (
    "SELECT hash, n, CASE WHEN n <= ? THEN (SELECT group_concat(doc) FROM postings p "
    "WHERE p.hash = c.hash) END FROM (SELECT hash, count(*) AS n FROM postings "
    "WHERE hash IN ({marks}) GROUP BY hash) c ORDER BY hash"
)
"""Each k-gram's document count, and the documents of those in at most ``?``: counted in one
walk of its postings, and for a rare one listed in a second (a common one's are not joined)."""

_COUNTS_ONE_WALK = (
    "SELECT hash, count(*), CASE WHEN count(*) <= ? THEN group_concat(doc) END FROM postings "
    "WHERE hash IN ({marks}) GROUP BY hash ORDER BY hash"
)
"""`_COUNTS_TWO_WALKS` in one walk of each k-gram's postings, joining every k-gram's documents:
faster (about a fifth of a query's SQL time on the UN index) when the common k-grams, whose
long lists it would join for nothing, are already counted (the stored ``common`` table)."""

_COMMON_CACHE = 1_000_000
"""The most common k-gram counts kept per open index (about 100 MB at most)."""

_SCHEMA = """
CREATE TABLE info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
    doc INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL UNIQUE,
    format TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    chars INTEGER NOT NULL,
    words INTEGER NOT NULL,
    meta TEXT NOT NULL,
    offsets TEXT NOT NULL,
    pages TEXT NOT NULL,
    text BLOB NOT NULL,
    tokens BLOB NOT NULL
);
CREATE TABLE postings (hash INTEGER NOT NULL, doc INTEGER NOT NULL);
CREATE INDEX postings_hash ON postings (hash, doc);
CREATE TABLE derived (doc INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL, data BLOB NOT NULL);
"""
_POSTINGS_INDEX = "CREATE INDEX IF NOT EXISTS postings_hash ON postings (hash, doc)"
_DERIVED_TABLE = (
    "CREATE TABLE IF NOT EXISTS derived "
    "(doc INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL, data BLOB NOT NULL)"
)
_CORPUS_BLOBS = (
    "CREATE TABLE IF NOT EXISTS corpus_blobs "
    "(name TEXT PRIMARY KEY, stamp TEXT NOT NULL, data BLOB NOT NULL)"
)
"""Data derived from all the indexed documents at once (`CorpusIndex.corpus_blob`), dropped
whenever a document is written or deleted, and read only while the documents are those it
was made from (`_documents_stamp`: an older docdiff writing documents does not drop it)."""
_COMMON_COUNTED = "common_counted"
"""The ``info`` key set once the ``common`` table was counted from the postings (rows are kept
exact after that; an index that never had it counted gets it from its next update)."""


def _common_schema() -> list[str]:
    """The ``common`` table and the triggers that keep its rows exact as postings come and go
    (a k-gram left in `_COMMON_DOCS` documents or fewer leaves it)."""
    return [
        "CREATE TABLE IF NOT EXISTS common (hash INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
        *_common_triggers(),
    ]


def _common_triggers() -> list[str]:
    added = (
        "CREATE TRIGGER IF NOT EXISTS common_in AFTER INSERT ON postings BEGIN "
        "UPDATE common SET n = n + 1 WHERE hash = NEW.hash; END"
    )
    removed = (
        "CREATE TRIGGER IF NOT EXISTS common_out AFTER DELETE ON postings BEGIN "
        "UPDATE common SET n = n - 1 WHERE hash = OLD.hash; "
        f"DELETE FROM common WHERE hash = OLD.hash AND n <= {int(_COMMON_DOCS)}; END"
    )
    return [added, removed]


_BULK_MIN = 500  # a build from scratch this large inserts postings first and indexes them after


@dataclass(frozen=True, slots=True)
class UpdateSummary:
    """What one `CorpusIndex.update` did."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    interrupted: bool = False
    derived: int = 0
    """Documents whose derived blob this update stored (new, changed, or made by other code)."""


@dataclass(frozen=True, slots=True)
class DocInfo:
    """One indexed document without its text."""

    number: int
    id: str
    path: str
    format: str
    sha256: str
    chars: int
    words: int
    meta: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class _Loaded:
    """A file loaded and tokenized by a worker: everything one documents row needs."""

    path: str
    id: str
    size: int
    mtime_ns: int
    format: str
    sha256: str
    chars: int
    words: int
    meta: dict[str, str]
    offsets: str
    pages: str
    text: bytes
    tokens: bytes
    kgrams: bytes


def _load_file(task: tuple[str, str, int]) -> _Loaded | tuple[str, str]:
    """Load, tokenize and hash one file (runs in a worker process)."""
    from docdiff.loaders import load

    path, doc_id, k = task
    try:
        st = Path(path).stat()
        doc = load(path, doc_id=doc_id)
    except DocdiffError as exc:
        return (path, getattr(exc, "problem", str(exc)))
    except OSError as exc:
        return (path, exc.strerror or str(exc))
    return _encode_document(doc, path=path, size=st.st_size, mtime_ns=st.st_mtime_ns, k=k)


def _encode_document(doc: Document, *, path: str, size: int, mtime_ns: int, k: int) -> _Loaded:
    toks = doc_tokens(doc.text)
    return _Loaded(
        path=path,
        id=doc.id,
        size=size,
        mtime_ns=mtime_ns,
        format=doc.format,
        sha256=doc.sha256 or _sha256_text(doc.text),
        chars=len(doc.text),
        words=len(toks),
        meta=dict(doc.meta),
        offsets=json.dumps(
            [
                list(doc.offsets.text_starts),
                list(doc.offsets.source_starts),
                list(doc.offsets.source_ends),
            ]
        ),
        pages=json.dumps(list(doc.pages)),
        text=zlib.compress(doc.text.encode("utf-8"), 1),
        tokens=encode_tokens(toks),
        kgrams=unique_kgrams(toks.hashes, k).astype("<u8").tobytes(),
    )


def _sha256_text(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _doc_id_for(file: Path, root: Path) -> str:
    """A readable id: the path below the root's parent folder (or the file name)."""
    if root.is_dir():
        # Resolved, so "." and an absolute spelling of the same folder give the same ids.
        try:
            return file.resolve().relative_to(root.resolve().parent).as_posix()
        except ValueError:
            return file.as_posix()
    return file.name


class Deriver(Protocol):
    """Derives a blob from an indexed document (its text and token arrays) for the
    ``derived`` table; `fingerprint` names the code, so blobs of other code are not used.
    It must be picklable (a module-level function with a `fingerprint` attribute will do)."""

    def __call__(self, doc: Document, arrays: DocTokens, k: int) -> bytes: ...

    def fingerprint(self) -> str: ...


class KgramPostings(NamedTuple):
    """The postings of some k-gram hashes, grouped by hash (`CorpusIndex.grouped_postings`)."""

    hashes: list[int]
    counts: npt.NDArray[np.int64]
    """How many documents hold each hash."""
    docs: npt.NDArray[np.int64]
    """The documents of the first hash, then those of the second, and so on."""


class _Row(NamedTuple):
    """The stored facts about one indexed file that an update decides on."""

    doc: int
    id: str
    size: int
    mtime_ns: int
    meta: str  # JSON
    sha256: str


@dataclass(slots=True)
class _Plan:
    """What an update has to do, decided from a snapshot of the stored rows."""

    todo: list[tuple[str, str, int]] = field(default_factory=list)  # (path, id, k) to load
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    meta_rows: dict[str, dict[str, str]] = field(default_factory=dict)  # path -> new metadata

    @property
    def pending(self) -> int:
        """How many changes this plan writes."""
        return len(self.todo) + len(self.removed) + len(self.meta_rows)


@dataclass(slots=True)
class _Tally:
    """Counters an update fills in as it writes."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    derived: int = 0

    def summary(self, interrupted: bool) -> UpdateSummary:
        return UpdateSummary(
            self.added,
            self.changed,
            self.removed,
            self.unchanged,
            self.failed,
            interrupted,
            self.derived,
        )


class _BatchWriter:
    """Writes loaded files in batches of `_BATCH`, one transaction each."""

    def __init__(
        self,
        index: CorpusIndex,
        meta: Mapping[str, Mapping[str, str]] | None,
        tally: _Tally,
    ) -> None:
        self.index = index
        self.meta = meta
        self.tally = tally

    def run(
        self,
        results: Iterator[_Loaded | tuple[str, str]],
        total: int,
        progress: Callable[[int, int, str], None] | None,
        cancel: threading.Event | None,
    ) -> bool:
        """Write every result; True when `cancel` stopped it early.

        A large first build drops the postings index and sorts it back in at the end (also
        after an error: the next writable open does it if this one cannot).
        """
        index = self.index
        bulk = total >= _BULK_MIN and index._postings_empty()
        if bulk:
            index._set_postings_index(present=False)
        finished = False
        try:
            done = self._consume(results, total, progress, cancel)
            finished = True
            return done < total
        finally:
            close = getattr(results, "close", None)
            if close is not None:
                close()  # stops the worker pool when the loop ended early
            if bulk:
                if progress:
                    progress(total, total, "(sorting postings)")
                try:
                    index._set_postings_index(present=True)
                except CorpusIndexError:
                    if finished:
                        raise  # otherwise the first error is the one to report

    def _consume(
        self,
        results: Iterator[_Loaded | tuple[str, str]],
        total: int,
        progress: Callable[[int, int, str], None] | None,
        cancel: threading.Event | None,
    ) -> int:
        """Write results in batches until the end or `cancel`; how many were consumed."""
        batch: list[_Loaded] = []
        done = 0
        for result in results:
            done += 1
            if isinstance(result, tuple):
                self.tally.failed.append(result)
            else:
                batch.append(result)
            if progress:
                progress(done, total, result[0] if isinstance(result, tuple) else result.path)
            if len(batch) >= _BATCH:
                self.index._write_batch(batch, self.meta, self.tally)
                batch.clear()
            if cancel is not None and cancel.is_set():
                break
            interrupts.check()  # a Ctrl-C that Python dropped (`docdiff.interrupts`)
        self.index._write_batch(batch, self.meta, self.tally)
        return done


def _collect(
    roots: Sequence[Path], include: Sequence[str], exclude: Sequence[str]
) -> dict[str, str]:
    """Every corpus file under `roots`: resolved path -> proposed id (unique)."""
    from docdiff.loaders import iter_corpus

    files: dict[str, str] = {}
    ids_taken: set[str] = set()
    for root in roots:
        for f in iter_corpus([root], include=include, exclude=exclude):
            resolved = str(Path(f).resolve())
            if resolved in files:
                continue
            doc_id = _doc_id_for(Path(f), root)
            if doc_id in ids_taken:
                doc_id = resolved
            ids_taken.add(doc_id)
            files[resolved] = doc_id
    return files


BUSY_SECONDS = 30.0
"""How long a writer waits for another process's write lock before giving up."""

_BUSY_POLL_MS = 100
"""One wait of SQLite's own busy handler inside `begin_immediate` (it sleeps in C, where Ctrl-C
is only noted, so Python must get control back often)."""


def begin_immediate(conn: sqlite3.Connection) -> None:
    """``BEGIN IMMEDIATE``, waiting up to `BUSY_SECONDS` for another writer in short waits.

    With SQLite's busy timeout alone the wait is one call into C: Ctrl-C went unanswered until
    the 30 s ran out, and then raced the "locked" error. Between short waits the interrupt is
    raised at once, and the index keeps its last committed state.
    """
    deadline = time.monotonic() + BUSY_SECONDS
    conn.execute(f"PRAGMA busy_timeout = {_BUSY_POLL_MS}")
    try:
        while True:
            interrupts.check()  # a Ctrl-C that Python dropped (`docdiff.interrupts`)
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                low = str(exc).lower()
                if ("locked" not in low and "busy" not in low) or time.monotonic() >= deadline:
                    raise
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")


def _index_error(name: str, exc: sqlite3.DatabaseError) -> CorpusIndexError:
    """One line for an SQLite failure while writing."""
    text = str(exc)
    low = text.lower()
    if "locked" in low or "busy" in low:
        problem = "another process kept this index locked for 30 s; try again when it is done"
    elif "full" in low:
        problem = (
            "no space left to write the index (the disk or a size limit is full); "
            "it keeps every batch saved before"
        )
    elif "readonly" in low or "read-only" in low:
        problem = "the index is read-only here; cannot write it"
    elif "i/o" in low:
        problem = f"cannot write the index ({text}; is the disk full?)"
    else:
        problem = f"cannot write the index ({text})"
    return CorpusIndexError(name, problem)


def _check_magic(p: Path, name: str) -> None:
    try:
        with p.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise CorpusIndexError(name, f"cannot read: {exc.strerror or exc}") from None
    if head != _SQLITE_MAGIC:
        raise CorpusIndexError(name, "not a docdiff index (not an SQLite database)")


def _connect_readonly(p: Path, name: str) -> sqlite3.Connection:
    """A read-only connection; on a read-only folder, where SQLite cannot make the WAL's shared
    memory file, an ``immutable`` one (nothing can be writing there)."""
    uri = p.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=30.0, check_same_thread=False)
    try:
        conn.execute("PRAGMA busy_timeout = 30000")
        CorpusIndex._check(conn, name)
    except sqlite3.OperationalError:
        conn.close()
        if Path(f"{p}-wal").exists() or os.access(p.parent, os.W_OK):
            raise
        conn = sqlite3.connect(
            f"{uri}?immutable=1", uri=True, timeout=30.0, check_same_thread=False
        )
        CorpusIndex._check(conn, name)
    return conn


def _can_write(p: Path) -> bool:
    """Whether the index file and its folder (for the WAL files) are writable by us."""
    return os.access(p, os.W_OK) and os.access(p.parent, os.W_OK)


def _damaged(path: str, doc_id: str, exc: Exception) -> CorpusIndexError:
    return CorpusIndexError(
        path,
        f"document {doc_id!r} has damaged stored data ({exc}); "
        "re-index it with `docdiff index build` into a new file",
    )


class CorpusIndex:
    """An SQLite corpus index (see the module docstring); use `CorpusIndex.open`."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: str,
        *,
        readonly: bool,
        refusal: str | None = None,
    ) -> None:
        self._conn = conn
        self.path = path
        self.readonly = readonly
        # Why writes are refused (None: they are allowed); a read-only file opens for reading.
        self._refusal = "opened read-only" if readonly else refusal
        self._lock = threading.RLock()
        self.k = int(self._info("k", str(DEFAULT_K)))
        # Document counts of common k-grams (see `kgram_doc_counts`), valid for one version.
        self._common: dict[int, int] = {}
        self._data_version: int | None = None
        # Whether `_common` was given the stored ``common`` table's counts (read on first
        # use), and whether it had any.
        self._common_read = False
        self._common_stored = False
        self._mapped = False
        self._writes = 0
        # An index made before the derived (or common) table, opened read-only, has none.
        tables = {
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name IN ('derived', 'common', 'corpus_blobs')"
            )
        }
        self._has_derived = "derived" in tables
        self._has_common = "common" in tables
        self._has_blobs = "corpus_blobs" in tables

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, create: bool = False, readonly: bool = False) -> CorpusIndex:
        """Open (or with `create`, make) an index; raises CorpusIndexError for unusable files.

        An index on a read-only file or folder opens for reading even without `readonly`;
        a write then says so in one line.
        """
        p = Path(path)
        name = str(path)
        if p.is_dir():
            raise CorpusIndexError(name, "is a folder, not an index file")
        if p.exists() and not p.is_file():
            from docdiff.loaders import special_kind

            what = special_kind(p.stat().st_mode) or "not a regular file"
            raise CorpusIndexError(name, f"is {what}, not an index file")
        fresh = not p.exists() or p.stat().st_size == 0
        if fresh and not create:
            raise CorpusIndexError(
                name, "no index here; build one with `docdiff index build PATH… --db FILE`"
            )
        if not fresh:
            _check_magic(p, name)
        elif not p.parent.is_dir():
            raise CorpusIndexError(name, f"cannot make the index: no folder {p.parent}")
        refusal = None
        if not readonly and not fresh and not _can_write(p):
            refusal = "the index file or its folder is read-only"
        try:
            if readonly or refusal is not None:
                conn = _connect_readonly(p, name)
            else:
                conn = cls._connect_writable(p, name, create=create)
        except sqlite3.DatabaseError as exc:
            if "locked" in str(exc) or "full" in str(exc) or "readonly" in str(exc):
                raise _index_error(name, exc) from None
            raise CorpusIndexError(name, f"corrupt or unreadable index ({exc})") from None
        return cls(conn, name, readonly=readonly, refusal=refusal)

    @classmethod
    def _connect_writable(cls, p: Path, name: str, *, create: bool) -> sqlite3.Connection:
        conn = sqlite3.connect(str(p), timeout=30.0, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 30000")
        if create:
            cls._initialise(conn)
        cls._check(conn, name)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        # Postings arrive in random hash order; a big page cache keeps B-tree inserts fast.
        conn.execute("PRAGMA cache_size = -262144")
        with conn:
            conn.execute(_POSTINGS_INDEX)  # back after a bulk load that was stopped
            conn.execute(_DERIVED_TABLE)  # an index made before the table gets it
            for statement in _common_schema():  # (the same; triggers back after a bulk load)
                conn.execute(statement)
        return conn

    @staticmethod
    def _initialise(conn: sqlite3.Connection) -> None:
        """Create the schema in an empty database (under the write lock: two builds may race)."""
        from docdiff import __version__

        conn.execute("PRAGMA journal_mode = WAL")
        begin_immediate(conn)
        try:
            if conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is None:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                conn.executemany(
                    "INSERT INTO info(key, value) VALUES (?, ?)",
                    [("k", str(DEFAULT_K)), ("created_by", f"docdiff {__version__}")],
                )
            conn.commit()
        except BaseException:
            conn.rollback()
            raise

    @staticmethod
    def _check(conn: sqlite3.Connection, name: str) -> None:
        app = conn.execute("PRAGMA application_id").fetchone()[0]
        if app != APPLICATION_ID:
            raise CorpusIndexError(name, "not a docdiff index (a foreign SQLite database)")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            raise CorpusIndexError(
                name,
                f"index schema version {version}, but this docdiff reads version "
                f"{SCHEMA_VERSION}; rebuild it with `docdiff index build`",
            )
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        missing = {"info", "documents", "postings"} - tables
        if missing:
            raise CorpusIndexError(name, f"corrupt index (missing tables: {sorted(missing)})")

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> CorpusIndex:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _info(self, key: str, default: str) -> str:
        row = self._conn.execute("SELECT value FROM info WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else default

    # --- reading -----------------------------------------------------------------------------

    def __len__(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM documents").fetchone()[0])

    def stats(self) -> dict[str, object]:
        """Counts and sizes for ``docdiff index info``."""
        with self._lock:
            docs, words, chars = self._conn.execute(
                "SELECT count(*), coalesce(sum(words), 0), coalesce(sum(chars), 0) FROM documents"
            ).fetchone()
            postings = self._conn.execute("SELECT count(*) FROM postings").fetchone()[0]
            created = self._info("created_by", "")
        size = Path(self.path).stat().st_size
        wal = Path(self.path + "-wal")
        return {
            "path": self.path,
            "schema_version": SCHEMA_VERSION,
            "created_by": created,
            "documents": docs,
            "words": words,
            "chars": chars,
            "postings": postings,
            "k": self.k,
            "complete": "no: an update stopped early; run `docdiff index update` to finish"
            if self.incomplete()
            else "yes",
            "bytes": size + (wal.stat().st_size if wal.exists() else 0),
        }

    def documents(self) -> list[DocInfo]:
        """Every indexed document (without text), in index order."""
        with self._lock:
            rows = self._conn.execute(f"SELECT {_INFO} FROM documents ORDER BY doc").fetchall()
        return [_doc_info(r) for r in rows]

    def document_at(self, paths: Iterable[str]) -> DocInfo | None:
        """The indexed document read from one of `paths` (spellings of one file; the first in
        index order when several are indexed), without its text; None when none is."""
        wanted = list(dict.fromkeys(paths))[:_MAX_VARS]
        if not wanted:
            return None
        marks = ",".join("?" * len(wanted))
        with self._lock:
            r = self._conn.execute(
                f"SELECT {_INFO} FROM documents WHERE path IN ({marks}) ORDER BY doc LIMIT 1",
                wanted,
            ).fetchone()
        return None if r is None else _doc_info(r)

    def metas(self) -> list[Mapping[str, str]]:
        """Every indexed document's metadata, in index order (without reading texts)."""
        with self._lock:
            rows = self._conn.execute("SELECT meta FROM documents ORDER BY doc").fetchall()
        return [json.loads(r[0]) for r in rows]

    def get(self, doc_id: str) -> Document:
        """The indexed document with id `doc_id` (its text comes from the index)."""
        with self._lock:
            row = self._conn.execute("SELECT doc FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise KeyError(doc_id)
        return self.documents_by_number([int(row[0])])[0]

    def documents_by_number(self, numbers: Sequence[int]) -> list[Document]:
        """Full documents for internal document numbers, in the order given."""
        found: dict[int, Document] = {}
        with self._lock:
            for chunk in _chunks(list(numbers), _MAX_VARS):
                marks = ",".join("?" * len(chunk))
                for r in self._conn.execute(
                    "SELECT doc, id, path, format, text, offsets, pages, meta, sha256 "
                    f"FROM documents WHERE doc IN ({marks})",
                    chunk,
                ):
                    try:
                        found[int(r[0])] = _row_document(r)
                    except (zlib.error, ValueError) as exc:
                        raise _damaged(self.path, r[1], exc) from None
        return [found[n] for n in numbers]

    def heads_by_number(self, numbers: Sequence[int]) -> list[tuple[str, str, str]]:
        """``(id, path, sha256)`` of documents by internal number, in the order given: what a
        query needs to rank and filter sources without reading their text."""
        found: dict[int, tuple[str, str, str]] = {}
        with self._lock:
            for chunk in _chunks(list(numbers), _MAX_VARS):
                marks = ",".join("?" * len(chunk))
                for n, doc_id, path, sha in self._conn.execute(
                    f"SELECT doc, id, path, sha256 FROM documents WHERE doc IN ({marks})", chunk
                ):
                    found[int(n)] = (doc_id, path, sha)
        return [found[n] for n in numbers]

    def tokens_by_number(self, numbers: Sequence[int]) -> list[DocTokens]:
        """Compact token arrays for internal document numbers, in the order given."""
        found: dict[int, DocTokens] = {}
        with self._lock:
            for chunk in _chunks(list(numbers), _MAX_VARS):
                marks = ",".join("?" * len(chunk))
                for n, doc_id, blob in self._conn.execute(
                    f"SELECT doc, id, tokens FROM documents WHERE doc IN ({marks})", chunk
                ):
                    try:
                        found[int(n)] = decode_tokens(blob)
                    except (zlib.error, ValueError) as exc:
                        raise _damaged(self.path, doc_id, exc) from None
        return [found[n] for n in numbers]

    def derived_stale(self, fingerprint: str) -> bool:
        """Whether the index holds derived blobs other code made (an index made or updated by
        another docdiff): its documents are then prepared from their texts, more slowly, until
        ``docdiff index update`` derives them again. An update stores every document's blob
        with its code's fingerprint, so one blob tells."""
        if not self._has_derived:
            return False
        with self._lock:
            row = self._conn.execute("SELECT fingerprint FROM derived LIMIT 1").fetchone()
        return row is not None and row[0] != fingerprint

    def derived_by_number(self, numbers: Sequence[int], fingerprint: str) -> dict[int, bytes]:
        """The derived blobs of documents by internal number that code with `fingerprint`
        made (the others, and documents without one, are left out)."""
        if not self._has_derived:
            return {}
        found: dict[int, bytes] = {}
        with self._lock:
            for chunk in _chunks(list(numbers), _MAX_VARS):
                marks = ",".join("?" * len(chunk))
                found.update(
                    self._conn.execute(
                        f"SELECT doc, data FROM derived WHERE doc IN ({marks}) AND fingerprint = ?",
                        [*chunk, fingerprint],
                    ).fetchall()
                )
        return found

    def stale_derived(self, fingerprint: str) -> list[int]:
        """Documents without a blob made by code with `fingerprint` (all of them in an index
        made before the derived table)."""
        with self._lock:
            if not self._has_derived:
                return [int(r[0]) for r in self._conn.execute("SELECT doc FROM documents")]
            rows = self._conn.execute(
                "SELECT d.doc FROM documents d LEFT JOIN derived x ON x.doc = d.doc "
                "WHERE x.doc IS NULL OR x.fingerprint != ? ORDER BY d.doc",
                (fingerprint,),
            ).fetchall()
        return [int(r[0]) for r in rows]

    def refresh_derived(
        self,
        deriver: Deriver,
        *,
        jobs: int | None = None,
        progress: Callable[[int, int, str], None] | None = None,
        cancel: threading.Event | None = None,
        stored: list[int] | None = None,
    ) -> bool:
        """Store `deriver`'s blob for every document lacking a current one (in worker
        processes, one transaction a batch); True when `cancel` stopped it early. The numbers
        of the documents given a blob are appended to `stored`."""
        self._writable("cannot store derived data")
        current = deriver.fingerprint()
        stale = self.stale_derived(current)
        done = 0
        for chunk in _chunks(stale, _BATCH):
            with self._lock:
                rows = self._conn.execute(
                    "SELECT doc, id, path, format, text, tokens, sha256 FROM documents "
                    f"WHERE doc IN ({','.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
            tasks = [(deriver, int(r[0]), r[1], r[2], r[3], r[4], r[5], self.k) for r in rows]
            content = {int(r[0]): r[6] for r in rows}
            made = list(_map_jobs(_derive_row, tasks, jobs))
            with self._transaction():
                for number, blob in made:
                    if blob is None:
                        continue  # a damaged row: a query prepares it from its text
                    # Only while the document is the one derived from: a writer may have
                    # removed it, or replaced its content under the same number, meanwhile.
                    written = self._conn.execute(
                        "INSERT OR REPLACE INTO derived (doc, fingerprint, data) "
                        "SELECT doc, ?, ? FROM documents WHERE doc = ? AND sha256 = ?",
                        (current, blob, number, content[number]),
                    )
                    if stored is not None and written.rowcount > 0:
                        stored.append(number)
            done += len(chunk)
            if progress:
                progress(done, len(stale), "(storing derived data)")
            if cancel is not None and cancel.is_set():
                return True
        return False

    # --- writing -----------------------------------------------------------------------------
    #
    # Every write is one `BEGIN IMMEDIATE` transaction that re-reads the rows it changes, so two
    # writers (two `index update`s, an update and the language server) serialise: the second one
    # waits for the busy timeout, then sees the first one's rows and decides on them. An update
    # marks the index incomplete in the info table with its first batch and clears the mark when
    # it has written every file, so a killed build is visible and the next update finishes it.

    def update(
        self,
        paths: Sequence[str | Path],
        *,
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
        meta: Mapping[str, Mapping[str, str]] | None = None,
        progress: Callable[[int, int, str], None] | None = None,
        cancel: threading.Event | None = None,
        jobs: int | None = None,
        derive: Deriver | None = None,
    ) -> UpdateSummary:
        """Bring the index up to date with the files under `paths` (by content hash).

        With `derive`, the documents' derived blobs that are missing or stale are stored too
        (`refresh_derived`).
        """
        roots = [Path(p) for p in paths]
        plan = self._plan(_collect(roots, include, exclude), roots, meta)
        if plan.pending:
            self._writable(f"{plan.pending} pending change(s) cannot be saved")
        tally = _Tally(unchanged=plan.unchanged, failed=list(plan.failed))
        self._apply_meta(plan.meta_rows)
        tally.removed = self._remove_paths(plan.removed)
        writer = _BatchWriter(self, meta, tally)
        interrupted = writer.run(self._load_all(plan.todo, jobs), len(plan.todo), progress, cancel)
        if plan.todo and not interrupted:
            with self._transaction():
                self._conn.execute("DELETE FROM info WHERE key = 'incomplete'")
        if not interrupted and self._refusal is None:
            written = tally.added + tally.changed + tally.removed
            if written >= _BULK_MIN or not self._info(_COMMON_COUNTED, ""):
                self.count_common()
        if derive is not None and not interrupted and self._refusal is None:
            stored: list[int] = []
            interrupted = self.refresh_derived(
                derive, jobs=jobs, progress=progress, cancel=cancel, stored=stored
            )
            tally.derived = len(stored)
        return tally.summary(interrupted)

    def count_common(self) -> None:
        """Fill the ``common`` table from the postings: every k-gram in more than
        `_COMMON_DOCS` documents, with its document count (one pass over the postings index:
        about 2 s for the 9 million postings of the UN General Debate index)."""
        self._writable("cannot count common k-grams")
        with self._transaction():
            self._conn.execute("DELETE FROM common")
            self._conn.execute(
                "INSERT INTO common (hash, n) SELECT hash, count(*) AS n FROM postings "
                "GROUP BY hash HAVING n > ?",
                (_COMMON_DOCS,),
            )
            self._conn.execute(
                "INSERT OR REPLACE INTO info(key, value) VALUES (?, '1')", (_COMMON_COUNTED,)
            )
            self._forget_common()

    def _plan(
        self,
        files: dict[str, str],
        roots: Sequence[Path],
        meta: Mapping[str, Mapping[str, str]] | None,
    ) -> _Plan:
        """What an update has to do, from a snapshot (each write re-checks its own rows)."""
        existing = self._snapshot()
        # Ids already used by other indexed files must not be reused by new files.
        used_ids = {row.id: path for path, row in existing.items()}
        plan = _Plan()
        for path, proposed in files.items():
            old = existing.get(path)
            doc_id = old.id if old is not None else proposed
            if old is None and used_ids.get(doc_id, path) != path:
                doc_id = path
            self._plan_file(plan, path, doc_id, old, meta)
        plan.removed = [p for p in existing if p not in files and any(_under(p, r) for r in roots)]
        return plan

    def _plan_file(
        self,
        plan: _Plan,
        path: str,
        doc_id: str,
        old: _Row | None,
        meta: Mapping[str, Mapping[str, str]] | None,
    ) -> None:
        """Add one file to the plan: unreadable, to (re)load, unchanged, or new metadata only."""
        try:
            st = Path(path).stat()
        except OSError as exc:
            plan.failed.append((path, exc.strerror or str(exc)))
            return
        if old is None or (old.size, old.mtime_ns) != (st.st_size, st.st_mtime_ns):
            plan.todo.append((path, doc_id, self.k))
            return
        plan.unchanged += 1
        extra = lookup_meta(meta, doc_id=doc_id, path=path) if meta else None
        if extra and {**json.loads(old.meta), **extra} != json.loads(old.meta):
            plan.meta_rows[path] = dict(extra)

    def _snapshot(self, paths: Sequence[str] | None = None) -> dict[str, _Row]:
        """The stored rows (of `paths`, or all), keyed by path, without texts and tokens."""
        sql = "SELECT path, doc, id, size, mtime_ns, meta, sha256 FROM documents"
        with self._lock:
            if paths is None:
                rows = self._conn.execute(sql).fetchall()
            else:
                rows = []
                for chunk in _chunks(list(paths), _MAX_VARS):
                    marks = ",".join("?" * len(chunk))
                    rows += self._conn.execute(f"{sql} WHERE path IN ({marks})", chunk).fetchall()
        return {r[0]: _Row(int(r[1]), r[2], int(r[3]), int(r[4]), r[5], r[6]) for r in rows}

    def _apply_meta(self, rows: Mapping[str, Mapping[str, str]]) -> None:
        """Merge metadata into unchanged documents (re-read inside the write)."""
        if not rows:
            return
        with self._transaction():
            for path, row in self._snapshot(list(rows)).items():
                merged = {**json.loads(row.meta), **rows[path]}
                self._conn.execute(
                    "UPDATE documents SET meta = ? WHERE doc = ?",
                    (json.dumps(merged, sort_keys=True), row.doc),
                )

    def _remove_paths(self, paths: Sequence[str]) -> int:
        """Delete the documents of vanished files; the number actually removed."""
        if not paths:
            return 0
        with self._transaction():
            rows = self._snapshot(paths)
            for row in rows.values():
                self._delete(row.doc)
        return len(rows)

    def _write_batch(
        self, batch: Sequence[_Loaded], meta: Mapping[str, Mapping[str, str]] | None, tally: _Tally
    ) -> None:
        """Write loaded files in one transaction, deciding on the rows as they are now."""
        if not batch:
            return
        with self._transaction():
            self._conn.execute("INSERT OR REPLACE INTO info(key, value) VALUES ('incomplete', '1')")
            rows = self._snapshot([item.path for item in batch])
            postings: list[tuple[int, bytes]] = []
            for loaded in batch:
                old = rows.get(loaded.path)
                if old is not None and old.sha256 == loaded.sha256:
                    self._conn.execute(
                        "UPDATE documents SET size = ?, mtime_ns = ? WHERE doc = ?",
                        (loaded.size, loaded.mtime_ns, old.doc),
                    )
                    tally.unchanged += 1
                    continue
                item = replace(loaded, id=old.id if old is not None else self._free_id(loaded))
                row_meta = {**(json.loads(old.meta) if old is not None else {}), **item.meta}
                extra = lookup_meta(meta, doc_id=item.id, path=item.path) if meta else None
                row_meta.update(extra or {})
                number = self._write(item, row_meta, old.doc if old is not None else None)
                postings.append((number, item.kgrams))
                if old is None:
                    tally.added += 1
                else:
                    tally.changed += 1
            self._insert_postings(postings)

    def _free_id(self, item: _Loaded) -> str:
        """The item's id, or its path when another file took that id meanwhile."""
        row = self._conn.execute("SELECT path FROM documents WHERE id = ?", (item.id,)).fetchone()
        return item.id if row is None or row[0] == item.path else item.path

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction holding SQLite's write lock from its start (`BEGIN IMMEDIATE`).

        SQLite errors become one `CorpusIndexError` line; the transaction is rolled back, so the
        index keeps its last committed state (a full disk loses the open batch only).
        """
        with self._lock:
            try:
                if self._conn.in_transaction:
                    self._conn.commit()
                begin_immediate(self._conn)
            except sqlite3.DatabaseError as exc:
                raise _index_error(self.path, exc) from None
            try:
                yield
                self._conn.commit()
            except sqlite3.DatabaseError as exc:
                self._rollback()
                raise _index_error(self.path, exc) from None
            except BaseException:
                self._rollback()
                raise

    def _rollback(self) -> None:
        with suppress(sqlite3.DatabaseError):
            self._conn.rollback()

    def incomplete(self) -> bool:
        """True when an update was stopped (killed, interrupted) before writing every file."""
        with self._lock:
            return self._info("incomplete", "") != ""

    def _load_all(
        self, todo: list[tuple[str, str, int]], jobs: int | None
    ) -> Iterator[_Loaded | tuple[str, str]]:
        jobs = jobs or os.cpu_count() or 1
        if jobs <= 1 or len(todo) < 16:
            yield from map(_load_file, todo)
            return
        with ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=fork_context(),
            initializer=worker_init,
        ) as pool:
            try:
                yield from pool.map(_load_file, todo, chunksize=8)
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise

    def add_document(self, doc: Document) -> None:
        """Add (or replace) one already-loaded document, keyed by its path (or id)."""
        self._writable("cannot add a document")
        path = doc.path or doc.id
        item = _encode_document(doc, path=path, size=len(doc.text), mtime_ns=0, k=self.k)
        with self._transaction():
            row = self._conn.execute(
                "SELECT doc, meta FROM documents WHERE path = ? OR id = ?", (path, doc.id)
            ).fetchone()
            number = self._write(item, dict(doc.meta), int(row[0]) if row else None)
            self._insert_postings([(number, item.kgrams)])

    def remove_path(self, path: str) -> None:
        """Remove the document indexed from `path` (resolved or as stored); no-op if absent."""
        self._writable("cannot remove a document")
        self._remove_paths(sorted({path, str(Path(path).resolve())}))

    def _writable(self, what: str = "cannot write") -> None:
        if self._refusal is not None:
            raise CorpusIndexError(self.path, f"{self._refusal}; {what}")

    def _postings_empty(self) -> bool:
        with self._lock:
            return self._conn.execute("SELECT 1 FROM postings LIMIT 1").fetchone() is None

    def _set_postings_index(self, *, present: bool) -> None:
        """Drop the postings index and the common table's triggers before a bulk load (into
        empty postings: the table is emptied, and counted after), or (re)create them after."""
        with self._transaction():
            if present:
                self._conn.execute(_POSTINGS_INDEX)
                for statement in _common_triggers():
                    self._conn.execute(statement)
            else:
                self._conn.execute("DROP INDEX IF EXISTS postings_hash")
                self._conn.execute("DROP TRIGGER IF EXISTS common_in")
                self._conn.execute("DROP TRIGGER IF EXISTS common_out")
                self._conn.execute("DELETE FROM common")
                self._forget_common()

    def _insert_postings(self, postings: list[tuple[int, bytes]]) -> None:
        """Insert the postings of several documents in one sweep, sorted by hash."""
        if not postings:
            return
        self._forget_common()
        hashes = np.concatenate(
            [np.frombuffer(blob, dtype="<u8").astype(np.int64) for _, blob in postings]
        )
        docs = np.concatenate(
            [np.full(len(blob) // 8, number, dtype=np.int64) for number, blob in postings]
        )
        order = np.lexsort((docs, hashes))
        self._conn.executemany(
            "INSERT INTO postings (hash, doc) VALUES (?, ?)",
            zip(hashes[order].tolist(), docs[order].tolist(), strict=True),
        )

    def _forget_common(self) -> None:
        """Drop the counts kept in memory (the postings changed)."""
        self._common.clear()
        self._common_read = self._common_stored = False

    def _write(self, item: _Loaded, meta: dict[str, str], number: int | None) -> int:
        if number is not None:
            self._delete(number)
        self._changed()
        cur = self._conn.execute(
            "INSERT INTO documents (doc, id, path, format, sha256, size, mtime_ns, chars, words, "
            "meta, offsets, pages, text, tokens) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                number,
                item.id,
                item.path,
                item.format,
                item.sha256,
                item.size,
                item.mtime_ns,
                item.chars,
                item.words,
                json.dumps(meta, sort_keys=True),
                item.offsets,
                item.pages,
                item.text,
                item.tokens,
            ),
        )
        doc = cur.lastrowid if number is None else number
        assert doc is not None
        return int(doc)

    def _delete(self, number: int) -> None:
        row = self._conn.execute("SELECT tokens FROM documents WHERE doc = ?", (number,)).fetchone()
        if row is None:
            return
        self._forget_common()
        self._changed()
        try:
            kgrams = unique_kgrams(decode_tokens(row[0]).hashes, self.k).astype(np.int64).tolist()
        except (zlib.error, ValueError):
            # A damaged token blob: find its postings the slow way rather than keep them.
            self._conn.execute("DELETE FROM postings WHERE doc = ?", (number,))
        else:
            self._conn.executemany(
                "DELETE FROM postings WHERE hash = ? AND doc = ?", zip(kgrams, repeat(number))
            )
        self._conn.execute("DELETE FROM documents WHERE doc = ?", (number,))
        if self._has_derived:
            self._conn.execute("DELETE FROM derived WHERE doc = ?", (number,))

    def _changed(self) -> None:
        """A document is written or deleted: what was derived from all of them goes."""
        self._writes += 1
        if self._has_blobs:
            self._conn.execute("DELETE FROM corpus_blobs")

    # --- data derived from every document -----------------------------------------------------

    def generation(self) -> tuple[int, int]:
        """Changes whenever the indexed documents do (here or through another connection)."""
        with self._lock:
            version = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
            return version, self._writes

    def has_corpus_blob(self, name: str) -> bool:
        """Whether data is kept under `name` (`corpus_blob`)."""
        if not self._has_blobs:
            return False
        with self._lock, suppress(sqlite3.DatabaseError):  # (a table of another build)
            row = self._conn.execute("SELECT stamp FROM corpus_blobs WHERE name = ?", (name,))
            got = row.fetchone()
            return got is not None and got[0] == self._documents_stamp()
        return False

    def corpus_blob(self, name: str) -> bytes | None:
        """The data kept under `name` by `keep_corpus_blob`, if no document was written or
        deleted since."""
        if not self._has_blobs:
            return None
        with self._lock:
            try:
                row = self._conn.execute(
                    "SELECT stamp, data FROM corpus_blobs WHERE name = ?", (name,)
                ).fetchone()
            except sqlite3.DatabaseError:  # (a table of another build: nothing to read)
                return None
            if row is None or row[0] != self._documents_stamp():
                return None
        return bytes(row[1])

    def keep_corpus_blob(self, name: str, data: bytes, generation: tuple[int, int]) -> None:
        """Keep `data`, derived from every document when the index was at `generation`,
        under `name`: unless the documents changed since, or the index is read-only (then
        nothing is kept, and nothing is said: it is only a saving)."""
        if self._refusal is not None:
            return
        with suppress(CorpusIndexError), self._transaction():
            if self.generation() != generation:
                return
            columns = [r[1] for r in self._conn.execute("PRAGMA table_info(corpus_blobs)")]
            if columns and columns != ["name", "stamp", "data"]:
                self._conn.execute("DROP TABLE corpus_blobs")  # another build's: made again
            self._conn.execute(_CORPUS_BLOBS)
            self._conn.execute(
                "INSERT OR REPLACE INTO corpus_blobs (name, stamp, data) VALUES (?, ?, ?)",
                (name, self._documents_stamp(), data),
            )
            self._has_blobs = True

    def _documents_stamp(self) -> str:
        """What changes when a document is added, removed or replaced by other content (its
        numbers, sizes and words, summed)."""
        row = self._conn.execute(
            "SELECT count(*), total(doc), total(chars), total(words) FROM documents"
        ).fetchone()
        return ",".join(str(int(x)) for x in row)

    # --- lookups ----------------------------------------------------------------------------

    def kgram_doc_counts(self, hashes: Sequence[int]) -> dict[int, int]:
        """How many indexed documents contain each k-gram hash (absent ones are left out).

        Counting walks every posting of a hash, so the counts of common k-grams (in more than
        `_COMMON_DOCS` documents), which recur in every query and cost the most, are kept in
        memory until the index changes (a write here, or a commit by another connection).
        """
        with self._lock:
            out, need = self._cached_counts(hashes)
            out.update(self._per_hash("count(*)", need))
            self._remember_common(out, need)
        return out

    def _per_hash(self, aggregate: str, hashes: Sequence[int]) -> Iterator[tuple[int, Any]]:
        """``(hash, aggregate)`` over the postings of each of `hashes` the index holds (the
        caller holds the lock; `aggregate` is an SQL aggregate written in this module)."""
        for chunk in _chunks(list(hashes), _MAX_VARS):
            marks = ",".join("?" * len(chunk))
            yield from self._conn.execute(
                f"SELECT hash, {aggregate} FROM postings WHERE hash IN ({marks}) GROUP BY hash",
                chunk,
            ).fetchall()

    def _cached_counts(self, hashes: Sequence[int]) -> tuple[dict[int, int], list[int]]:
        """The counts of `hashes` the common-count cache holds (in their order), and the
        hashes it does not (to count)."""
        common = self._common_counts()
        if not common:
            return {}, list(hashes)
        got = list(map(common.get, hashes))
        out = {h: n for h, n in zip(hashes, got, strict=True) if n is not None}
        need = [h for h, n in zip(hashes, got, strict=True) if n is None]
        return out, need

    def _remember_common(self, counts: dict[int, int], counted: list[int]) -> None:
        """Keep the common ones of the `counted` hashes' `counts`."""
        self._common_room().update(
            (h, counts[h]) for h in counted if counts.get(h, 0) > _COMMON_DOCS
        )

    def _common_room(self) -> dict[int, int]:
        """The cache of common k-gram counts, to add to: emptied when it has grown past
        `_COMMON_CACHE` (the stored ones are read again on next use)."""
        common = self._common
        if len(common) > _COMMON_CACHE:
            self._forget_common()
        return common

    def _common_counts(self) -> dict[int, int]:
        """The cache of common k-gram counts, emptied when another connection committed; it
        starts from the stored ``common`` table (exact counts, kept by every write)."""
        version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:
            self._data_version = version
            self._forget_common()
        if not self._common_read:
            self._common_read = True
            if self._has_common:
                before = len(self._common)
                self._common.update(self._conn.execute("SELECT hash, n FROM common"))
                self._common_stored = len(self._common) > before
        return self._common

    def postings_for(self, hashes: Sequence[int]) -> list[tuple[int, int]]:
        """``(hash, document number)`` for every posting of the given k-gram hashes."""
        out: list[tuple[int, int]] = []
        with self._lock:
            for chunk in _chunks(list(hashes), _MAX_VARS):
                marks = ",".join("?" * len(chunk))
                out.extend(
                    self._conn.execute(
                        f"SELECT hash, doc FROM postings WHERE hash IN ({marks})", chunk
                    ).fetchall()
                )
        return out

    def grouped_postings(self, hashes: Sequence[int]) -> KgramPostings:
        """`postings_for` grouped by hash: the hashes found (ascending within each run of
        `_MAX_VARS` of `hashes`, the order `postings_for` walks them), how many documents
        each has, and their documents one after another (ascending per hash).

        Each hash's documents come from SQLite as one row (``group_concat``), not one row a
        posting: reading rows is most of a query's SQL time.
        """
        with self._lock:
            return self._grouped(hashes, {})

    def counts_and_postings(
        self, hashes: Sequence[int], max_docs: int
    ) -> tuple[dict[int, int], KgramPostings]:
        """``kgram_doc_counts(hashes)`` and the `grouped_postings` of the hashes it counts in
        at most `max_docs` documents (in its order), found in one pass over the postings:
        each hash's documents are gathered while it is counted."""
        lists: dict[int, str] = {}
        with self._lock:
            if not self._mapped:
                # Only a connection that cannot write, and only once it looks k-grams up (a
                # query; a scan reading every document's rows keeps them out of its memory).
                if self._refusal is not None:
                    self._conn.execute(f"PRAGMA mmap_size = {_MAP_BYTES}").fetchall()
                self._mapped = True
            out, need = self._cached_counts(hashes)
            # In the order of `out`: the cached counts, then the rows counted here.
            rare = [h for h, n in out.items() if n <= max_docs]
            common = self._common_room()
            sql = _COUNTS_ONE_WALK if self._common_stored else _COUNTS_TWO_WALKS
            for chunk in _chunks(need, _MAX_VARS):
                marks = ",".join("?" * len(chunk))
                for h, n, d in self._conn.execute(sql.format(marks=marks), [max_docs, *chunk]):
                    out[h] = n
                    if d is not None:
                        if h not in lists:
                            rare.append(h)
                        lists[h] = d
                    if n > _COMMON_DOCS:  # `_remember_common`, as the rows come
                        common[h] = n
            return out, self._grouped(rare, lists, out)

    def _grouped(
        self, hashes: Sequence[int], lists: dict[int, str], counted: Mapping[int, int] | None = None
    ) -> KgramPostings:
        """`grouped_postings`, the documents of the hashes in `lists` already read (as SQLite's
        ``group_concat`` gives them); `counted` holds their document counts when known (then
        checked against the lists as a whole, not counted in each)."""
        missing = [h for h in hashes if h not in lists]
        if missing:
            lists.update(self._per_hash("group_concat(doc)", missing))
        # In the order `postings_for` walks them: run by run, each run by hash.
        found = [
            h
            for chunk in _chunks(list(hashes), _MAX_VARS)
            for h in sorted(set(chunk))
            if h in lists
        ]
        strings = list(map(lists.__getitem__, found))
        docs = np.fromstring(",".join(strings), dtype=np.int64, sep=",")
        if counted is None:
            counts = np.fromiter(map(str.count, strings, repeat(",")), np.int64, len(strings)) + 1
        else:
            counts = np.fromiter(map(counted.__getitem__, found), np.int64, len(found))
        if len(docs) != int(counts.sum()):
            raise CorpusIndexError(
                self.path, "damaged k-gram postings; rebuild it with `docdiff index build`"
            )
        return KgramPostings(found, counts, docs)


_INFO = "doc, id, path, format, sha256, chars, words, meta"
"""The columns of a `DocInfo`, in its order (`_doc_info`)."""


def _doc_info(r: Sequence[Any]) -> DocInfo:
    return DocInfo(r[0], r[1], r[2], r[3], r[4], r[5], r[6], json.loads(r[7]))


def _row_document(r: Sequence[Any]) -> Document:
    offsets = json.loads(r[5])
    return Document(
        id=r[1],
        path=r[2],
        format=r[3],
        text=inflate(r[4], max_text_bytes()).decode("utf-8"),
        offsets=OffsetMap(
            tuple(offsets[0]), tuple(offsets[1]), tuple(offsets[2]) if len(offsets) > 2 else ()
        ),
        pages=tuple(json.loads(r[6])),
        meta=json.loads(r[7]),
        sha256=r[8],
    )


def _derive_row(
    task: tuple[Deriver, int, str, str, str, bytes, bytes, int],
) -> tuple[int, bytes | None]:
    """The derived blob of one stored document (runs in a worker process)."""
    deriver, number, doc_id, path, fmt, text_blob, tokens_blob, k = task
    try:
        text = inflate(text_blob, max_text_bytes()).decode("utf-8")
        arrays = decode_tokens(tokens_blob)
    except (zlib.error, ValueError):
        return number, None
    return number, deriver(Document(id=doc_id, path=path, format=fmt, text=text), arrays, k)


def _map_jobs(func: Callable[[Any], Any], tasks: list[Any], jobs: int | None) -> Iterator[Any]:
    """`func` over `tasks`, in worker processes when there are enough of them."""
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(tasks) < 16:
        yield from map(func, tasks)
        return
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=fork_context(), initializer=worker_init
    ) as pool:
        yield from pool.map(func, tasks, chunksize=8)


def _under(path: str, root: Path) -> bool:
    base = str(root.resolve())
    return path == base or path.startswith(base.rstrip(os.sep) + os.sep)


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


DocumentRow = _Loaded
"""One ``documents`` row ready to write (what `encode_document` returns)."""


def encode_document(doc: Document, *, path: str, size: int, mtime_ns: int, k: int) -> DocumentRow:
    """The row of an already-loaded document: its text, token arrays and k-gram postings."""
    return _encode_document(doc, path=path, size=size, mtime_ns=mtime_ns, k=k)


def decode_document(row: Sequence[Any]) -> Document:
    """The `Document` of a row read as ``doc, id, path, format, text, offsets, pages, meta,
    sha256`` (the columns `CorpusIndex.documents_by_number` selects)."""
    return _row_document(row)


def doc_id_for(file: Path, root: Path) -> str:
    """The id a file gets when indexed or scanned from under `root`."""
    return _doc_id_for(file, root)
