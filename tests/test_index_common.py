"""The index's ``common`` table: exact document counts of its common k-grams, kept by writes."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

import docdiff.index._store as store
from docdiff.corpus.query import query
from docdiff.index import CorpusIndex
from docdiff.loaders import load_text

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"

SHARED = "the joint fisheries commission will convene an extraordinary session"


def _stored(db: Path) -> dict[int, int]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT hash, n FROM common").fetchall())


def _counted(db: Path, more_than: int) -> dict[int, int]:
    """The common k-grams counted from the postings themselves."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT hash, count(*) FROM postings GROUP BY hash HAVING count(*) > ?", (more_than,)
        ).fetchall()
    return dict(rows)


@pytest.fixture
def few(monkeypatch: pytest.MonkeyPatch) -> int:
    """Every k-gram in more than two documents is common (the fixture corpus is small)."""
    monkeypatch.setattr(store, "_COMMON_DOCS", 2)
    return 2


def test_an_update_counts_the_common_kgrams(tmp_path: Path, few: int) -> None:
    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([CORPUS / "letters"])
    assert _stored(db) == _counted(db, few)
    assert _stored(db)  # the fixture letters share their courtesy formulae


def test_writes_keep_the_stored_counts_exact(tmp_path: Path, few: int) -> None:
    """Adding, replacing and removing documents change the stored counts as the postings
    change; a k-gram left in too few documents leaves the table; none is added."""
    folder = tmp_path / "docs"
    shutil.copytree(CORPUS / "letters", folder)
    for n in range(3):
        (folder / f"shared_{n}.txt").write_text(SHARED, encoding="utf-8")
    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([folder])
        counted = _counted(db, few)
        assert _stored(db) == counted
        idx.add_document(load_text(SHARED, doc_id="extra"))
        stored = _stored(db)
        assert stored.keys() == counted.keys()  # none added
        assert all(stored[h] == n for h, n in _counted(db, 0).items() if h in stored)
        assert any(stored[h] == counted[h] + 1 for h in stored)
        (folder / "shared_0.txt").write_text("an altogether different text", encoding="utf-8")
        (folder / "shared_1.txt").unlink()
        idx.update([folder])
        idx.remove_path(idx.get("extra").path)
        # SHARED is now in one document: its k-grams left the table; the rest are exact.
        assert _stored(db) == _counted(db, few)


def test_a_reader_starts_from_the_stored_counts(tmp_path: Path, few: int) -> None:
    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([CORPUS / "letters"])
    stored = _stored(db)
    with CorpusIndex.open(db, readonly=True) as reader:
        assert reader.kgram_doc_counts([7]) == {}
        assert reader._common == stored  # read, not counted
        hashes = sorted(stored)
        assert reader.kgram_doc_counts(hashes) == stored


def test_queries_are_the_same_with_and_without_the_table(tmp_path: Path, few: int) -> None:
    """The stored counts are the counts a query would find: the same report either way, also
    on an index made before the table (opened read-only: it has none)."""
    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([CORPUS / "letters"])
    bare = tmp_path / "bare.db"
    shutil.copy(db, bare)
    with sqlite3.connect(bare) as conn:
        conn.execute("DROP TABLE common")
    new = load_text(
        "Dear Sir, our ministry wishes to say that the joint fisheries commission convene an "
        "extraordinary session in the spring to review the quotas for migratory tuna stocks. "
        "The Ministry avails itself of this opportunity to renew the assurances of its "
        "highest consideration.",
        doc_id="new",
    )
    reports = []
    for path in (db, bare):
        with CorpusIndex.open(path, readonly=True) as idx:
            assert idx._has_common is (path == db)
            report = query(idx, new)
        reports.append((report.documents, report.pairs))
    assert reports[0] == reports[1]
    assert reports[0][1]


def test_a_writable_open_adds_the_table_and_an_update_fills_it(tmp_path: Path, few: int) -> None:
    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([CORPUS / "letters"])
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE common")
        conn.execute("DELETE FROM info WHERE key = 'common_counted'")
    with CorpusIndex.open(db) as idx:
        assert _stored(db) == {}
        summary = idx.update([CORPUS / "letters"])  # nothing to write: counted all the same
    assert summary.unchanged == 8
    assert _stored(db) == _counted(db, few)


def test_a_damaged_token_blob_keeps_the_stored_counts_exact(tmp_path: Path, few: int) -> None:
    """A document with unreadable tokens loses its postings the slow way (by its number): the
    stored counts follow all the same."""
    folder = tmp_path / "docs"
    shutil.copytree(CORPUS / "letters", folder)
    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([folder])
    victim = str((folder / "01_arcadia_2019.txt").resolve())
    before = _stored(db)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE documents SET tokens = x'00' WHERE path = ?", (victim,))
    with CorpusIndex.open(db) as idx:
        idx.remove_path(victim)
    after = _stored(db)
    assert after == _counted(db, few)
    assert after != before


def test_another_writer_keeps_the_stored_counts_exact(tmp_path: Path, few: int) -> None:
    """The counts are kept by the database itself (triggers on the postings), so code that
    knows nothing of the table (an older docdiff) leaves them exact too."""
    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([CORPUS / "letters"])
    stored = _stored(db)
    some = sorted(stored)[:5]
    with sqlite3.connect(db) as conn:
        conn.executemany("INSERT INTO postings (hash, doc) VALUES (?, 999)", [(h,) for h in some])
        conn.execute("DELETE FROM postings WHERE doc = 1")
    assert _stored(db) == _counted(db, few)
    assert _stored(db) != stored


def test_a_large_first_build_counts_once_at_the_end(
    tmp_path: Path, few: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build from scratch large enough to load the postings in bulk drops the triggers with
    the postings index and counts the table once at the end; both are back after."""
    monkeypatch.setattr(store, "_BULK_MIN", 4)
    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([CORPUS / "letters"])
    assert _stored(db) == _counted(db, few)
    with sqlite3.connect(db) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert {"postings_hash", "common_in", "common_out"} <= names


@pytest.mark.parametrize("max_docs", [0, 1, 2, 3, 8])
def test_one_walk_counts_as_two_walks(tmp_path: Path, few: int, max_docs: int) -> None:
    """With the stored counts read, the postings are counted and listed in one walk: the same
    counts and rare postings, in the same order, as counting and listing them apart."""
    from docdiff.index.arrays import doc_tokens, unique_kgrams

    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([CORPUS / "letters"])
    with (
        CorpusIndex.open(db, readonly=True) as one,
        CorpusIndex.open(db, readonly=True) as two,
    ):
        pool: set[int] = {7}
        for info in one.documents()[:5]:
            tokens = doc_tokens(one.get(info.id).text)
            pool.update(unique_kgrams(tokens.hashes, one.k).astype("int64").tolist())
        hashes = sorted(pool)
        one.kgram_doc_counts([7])
        two.kgram_doc_counts([7])
        assert one._common_stored
        two._common.clear()  # nothing known: every k-gram counted from its postings
        two._common_stored = False
        counts, posted = one.counts_and_postings(hashes, max_docs)
        counts_2, posted_2 = two.counts_and_postings(hashes, max_docs)
        assert sorted(counts.items()) == sorted(counts_2.items())
        assert posted.hashes == posted_2.hashes
        assert posted.counts.tolist() == posted_2.counts.tolist()
        assert posted.docs.tolist() == posted_2.docs.tolist()
        assert len(posted.hashes) > 1 or max_docs == 0
