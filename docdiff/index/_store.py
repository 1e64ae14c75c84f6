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

WAL mode lets readers (a query, the language server) work while a writer updates; every batch of
documents is one transaction, so Ctrl-C leaves a consistent index.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import threading
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import numpy as np

from docdiff.errors import CorpusIndexError, DocdiffError
from docdiff.index.arrays import (
    DocTokens,
    decode_tokens,
    doc_tokens,
    encode_tokens,
    unique_kgrams,
)
from docdiff.metadata import lookup_meta
from docdiff.model import Document, OffsetMap
from docdiff.procs import fork_context as _fork_context
from docdiff.procs import ignore_sigint

if TYPE_CHECKING:
    pass

__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "CorpusIndex",
    "DocInfo",
    "DocumentRow",
    "UpdateSummary",
    "decode_document",
    "doc_id_for",
    "encode_document",
    "rare_cap",
]

APPLICATION_ID = 0x64446966  # "dDif"
SCHEMA_VERSION = 1
DEFAULT_K = 3
_BATCH = 200
_SQLITE_MAGIC = b"SQLite format 3\x00"
_MAX_VARS = 900

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
"""
_POSTINGS_INDEX = "CREATE INDEX IF NOT EXISTS postings_hash ON postings (hash, doc)"
_BULK_MIN = 500  # a build from scratch this large inserts postings first and indexes them after


def rare_cap(n_docs: int) -> int:
    """The largest document frequency of a k-gram that may still start a match."""
    return max(5, math.ceil(0.02 * n_docs))


@dataclass(frozen=True, slots=True)
class UpdateSummary:
    """What one `CorpusIndex.update` did."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    interrupted: bool = False


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


class CorpusIndex:
    """An SQLite corpus index (see the module docstring); use `CorpusIndex.open`."""

    def __init__(self, conn: sqlite3.Connection, path: str, *, readonly: bool) -> None:
        self._conn = conn
        self.path = path
        self.readonly = readonly
        self._lock = threading.RLock()
        self.k = int(self._info("k", str(DEFAULT_K)))

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, create: bool = False, readonly: bool = False) -> CorpusIndex:
        """Open (or with `create`, make) an index; raises CorpusIndexError for unusable files."""
        p = Path(path)
        name = str(path)
        fresh = not p.exists() or p.stat().st_size == 0
        if p.is_dir():
            raise CorpusIndexError(name, "is a folder, not an index file")
        if fresh and not create:
            raise CorpusIndexError(
                name, "no index here; build one with `docdiff index build PATH… --db FILE`"
            )
        if not fresh:
            try:
                with p.open("rb") as fh:
                    head = fh.read(16)
            except OSError as exc:
                raise CorpusIndexError(name, f"cannot read: {exc.strerror or exc}") from None
            if head != _SQLITE_MAGIC:
                raise CorpusIndexError(name, "not a docdiff index (not an SQLite database)")
        try:
            if readonly:
                conn = sqlite3.connect(
                    f"{p.resolve().as_uri()}?mode=ro", uri=True, timeout=30.0,
                    check_same_thread=False,
                )  # fmt: skip
            else:
                conn = sqlite3.connect(str(p), timeout=30.0, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout = 30000")
            if fresh:
                cls._initialise(conn)
            cls._check(conn, name)
            if not readonly:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                # Postings arrive in random hash order; a big page cache keeps B-tree inserts fast.
                conn.execute("PRAGMA cache_size = -262144")
                with conn:
                    conn.execute(_POSTINGS_INDEX)
        except sqlite3.DatabaseError as exc:
            raise CorpusIndexError(name, f"corrupt or unreadable index ({exc})") from None
        return cls(conn, name, readonly=readonly)

    @staticmethod
    def _initialise(conn: sqlite3.Connection) -> None:
        from docdiff import __version__

        conn.execute("PRAGMA journal_mode = WAL")
        with conn:
            conn.executescript(
                "BEGIN;"
                + _SCHEMA
                + f"PRAGMA application_id = {APPLICATION_ID};"
                + f"PRAGMA user_version = {SCHEMA_VERSION};"
                + "COMMIT;"
            )
            conn.executemany(
                "INSERT INTO info(key, value) VALUES (?, ?)",
                [("k", str(DEFAULT_K)), ("created_by", f"docdiff {__version__}")],
            )

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
            "bytes": size + (wal.stat().st_size if wal.exists() else 0),
        }

    def documents(self) -> list[DocInfo]:
        """Every indexed document (without text), in index order."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT doc, id, path, format, sha256, chars, words, meta FROM documents "
                "ORDER BY doc"
            ).fetchall()
        return [DocInfo(r[0], r[1], r[2], r[3], r[4], r[5], r[6], json.loads(r[7])) for r in rows]

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
                    found[int(r[0])] = _row_document(r)
        return [found[n] for n in numbers]

    def tokens_by_number(self, numbers: Sequence[int]) -> list[DocTokens]:
        """Compact token arrays for internal document numbers, in the order given."""
        found: dict[int, DocTokens] = {}
        with self._lock:
            for chunk in _chunks(list(numbers), _MAX_VARS):
                marks = ",".join("?" * len(chunk))
                for n, blob in self._conn.execute(
                    f"SELECT doc, tokens FROM documents WHERE doc IN ({marks})", chunk
                ):
                    found[int(n)] = decode_tokens(blob)
        return [found[n] for n in numbers]

    # --- writing -----------------------------------------------------------------------------

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
    ) -> UpdateSummary:
        """Bring the index up to date with the files under `paths` (by content hash)."""
        from docdiff.loaders import iter_corpus

        self._writable()
        roots = [Path(p) for p in paths]
        files: dict[str, str] = {}  # resolved path -> id
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
        with self._lock:
            existing = {
                r[1]: (int(r[0]), r[2], int(r[3]), int(r[4]), r[5], r[6])
                for r in self._conn.execute(
                    "SELECT doc, path, id, size, mtime_ns, meta, sha256 FROM documents"
                )
            }
        # Ids already used by other indexed files must not be reused by new files.
        used_ids = {v[1]: p for p, v in existing.items()}
        todo: list[tuple[str, str, int]] = []
        unchanged = 0
        meta_updates: list[tuple[str, int]] = []
        failed: list[tuple[str, str]] = []
        for path, proposed in files.items():
            old = existing.get(path)
            doc_id = proposed
            if old is not None:
                doc_id = old[1]
            elif doc_id in used_ids and used_ids[doc_id] != path:
                doc_id = path
            files[path] = doc_id
            try:
                st = Path(path).stat()
            except OSError as exc:
                failed.append((path, exc.strerror or str(exc)))
                continue
            if old is not None and old[2] == st.st_size and old[3] == st.st_mtime_ns:
                unchanged += 1
                if meta:
                    row = lookup_meta(meta, doc_id=doc_id, path=path)
                    if row is not None:
                        merged = {**json.loads(old[4]), **row}
                        if merged != json.loads(old[4]):
                            meta_updates.append((json.dumps(merged, sort_keys=True), old[0]))
                continue
            todo.append((path, doc_id, self.k))
        removed_paths = [p for p in existing if p not in files and any(_under(p, r) for r in roots)]
        added = changed = removed = 0
        interrupted = False
        if meta_updates:
            with self._lock, self._conn:
                self._conn.executemany("UPDATE documents SET meta = ? WHERE doc = ?", meta_updates)
        if removed_paths:
            with self._lock, self._conn:
                for p in removed_paths:
                    self._delete(existing[p][0])
                    removed += 1
        total = len(todo)
        done = 0
        batch: list[_Loaded] = []
        bulk = len(todo) >= _BULK_MIN and self._postings_empty()
        if bulk:
            with self._lock, self._conn:
                self._conn.execute("DROP INDEX IF EXISTS postings_hash")

        def flush() -> None:
            nonlocal added, changed, unchanged
            if not batch:
                return
            postings: list[tuple[int, bytes]] = []
            with self._lock, self._conn:
                for item in batch:
                    old = existing.get(item.path)
                    if old is not None and old[5] == item.sha256:
                        self._conn.execute(
                            "UPDATE documents SET size = ?, mtime_ns = ? WHERE doc = ?",
                            (item.size, item.mtime_ns, old[0]),
                        )
                        unchanged += 1
                        continue
                    row_meta = dict(item.meta)
                    if old is not None:
                        row_meta = {**json.loads(old[4]), **row_meta}
                    if meta:
                        extra = lookup_meta(meta, doc_id=item.id, path=item.path)
                        if extra:
                            row_meta.update(extra)
                    number = self._write(item, row_meta, old[0] if old is not None else None)
                    postings.append((number, item.kgrams))
                    if old is None:
                        added += 1
                    else:
                        changed += 1
                self._insert_postings(postings)
            batch.clear()

        try:
            for result in self._load_all(todo, jobs):
                done += 1
                if isinstance(result, tuple):
                    failed.append(result)
                    if progress:
                        progress(done, total, result[0])
                    continue
                batch.append(result)
                if progress:
                    progress(done, total, result.path)
                if len(batch) >= _BATCH:
                    flush()
                if cancel is not None and cancel.is_set():
                    interrupted = True
                    break
            flush()
        except KeyboardInterrupt:
            # The open batch's transaction rolled back; committed batches stay.
            batch.clear()
            raise
        finally:
            if bulk:
                if progress:
                    progress(done, total, "(sorting postings)")
                with self._lock, self._conn:
                    self._conn.execute(_POSTINGS_INDEX)
        return UpdateSummary(added, changed, removed, unchanged, failed, interrupted)

    def _load_all(
        self, todo: list[tuple[str, str, int]], jobs: int | None
    ) -> Iterator[_Loaded | tuple[str, str]]:
        jobs = jobs or os.cpu_count() or 1
        if jobs <= 1 or len(todo) < 16:
            yield from map(_load_file, todo)
            return
        with ProcessPoolExecutor(
            max_workers=jobs, mp_context=_fork_context(), initializer=ignore_sigint
        ) as pool:
            try:
                yield from pool.map(_load_file, todo, chunksize=8)
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise

    def add_document(self, doc: Document) -> None:
        """Add (or replace) one already-loaded document, keyed by its path (or id)."""
        self._writable()
        path = doc.path or doc.id
        item = _encode_document(doc, path=path, size=len(doc.text), mtime_ns=0, k=self.k)
        with self._lock, self._conn:
            row = self._conn.execute(
                "SELECT doc, meta FROM documents WHERE path = ? OR id = ?", (path, doc.id)
            ).fetchone()
            number = self._write(item, dict(doc.meta), int(row[0]) if row else None)
            self._insert_postings([(number, item.kgrams)])

    def remove_path(self, path: str) -> None:
        """Remove the document indexed from `path` (resolved or as stored); no-op if absent."""
        self._writable()
        candidates = {path, str(Path(path).resolve())}
        with self._lock, self._conn:
            for p in candidates:
                row = self._conn.execute(
                    "SELECT doc FROM documents WHERE path = ?", (p,)
                ).fetchone()
                if row:
                    self._delete(int(row[0]))

    def _writable(self) -> None:
        if self.readonly:
            raise CorpusIndexError(self.path, "opened read-only")

    def _postings_empty(self) -> bool:
        with self._lock:
            return self._conn.execute("SELECT 1 FROM postings LIMIT 1").fetchone() is None

    def _insert_postings(self, postings: list[tuple[int, bytes]]) -> None:
        """Insert the postings of several documents in one sweep, sorted by hash."""
        if not postings:
            return
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

    def _write(self, item: _Loaded, meta: dict[str, str], number: int | None) -> int:
        if number is not None:
            self._delete(number)
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
        kgrams = unique_kgrams(decode_tokens(row[0]).hashes, self.k).astype(np.int64).tolist()
        self._conn.executemany(
            "DELETE FROM postings WHERE hash = ? AND doc = ?", zip(kgrams, repeat(number))
        )
        self._conn.execute("DELETE FROM documents WHERE doc = ?", (number,))

    # --- lookups ----------------------------------------------------------------------------

    def kgram_doc_counts(self, hashes: Sequence[int]) -> dict[int, int]:
        """How many indexed documents contain each k-gram hash (absent ones are left out)."""
        out: dict[int, int] = {}
        with self._lock:
            for chunk in _chunks(list(hashes), _MAX_VARS):
                marks = ",".join("?" * len(chunk))
                out.update(
                    self._conn.execute(
                        f"SELECT hash, count(*) FROM postings WHERE hash IN ({marks}) "
                        "GROUP BY hash",
                        chunk,
                    ).fetchall()
                )
        return out

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


def _row_document(r: Sequence[Any]) -> Document:
    offsets = json.loads(r[5])
    return Document(
        id=r[1],
        path=r[2],
        format=r[3],
        text=zlib.decompress(r[4]).decode("utf-8"),
        offsets=OffsetMap(
            tuple(offsets[0]), tuple(offsets[1]), tuple(offsets[2]) if len(offsets) > 2 else ()
        ),
        pages=tuple(json.loads(r[6])),
        meta=json.loads(r[7]),
        sha256=r[8],
    )


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
