"""The SQLite corpus index: hashing, storage round trips, incremental updates, bad files."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.errors import CorpusIndexError
from docdiff.index import SCHEMA_VERSION, CorpusIndex
from docdiff.index.arrays import (
    DocTokens,
    decode_tokens,
    doc_tokens,
    encode_tokens,
    kgram_array,
    token_hash_array,
)
from docdiff.text.seeds import kgram_hashes
from docdiff.text.tokens import tokenize

words = st.lists(
    st.sampled_from(["the", "honour", "honor", "mission", "présente", "한국", "x", "of", "to"]),
    max_size=40,
)


@given(words, st.integers(min_value=1, max_value=12))
def test_numpy_kgram_hashes_equal_the_seed_hashes(keys: list[str], k: int) -> None:
    assert kgram_array(token_hash_array(keys), k).tolist() == kgram_hashes(keys, k)


@given(st.text(max_size=300))
@settings(max_examples=60)
def test_token_blobs_round_trip(text: str) -> None:
    toks = doc_tokens(text)
    back = decode_tokens(encode_tokens(toks))
    assert back.hashes.tolist() == toks.hashes.tolist()
    assert back.starts.tolist() == toks.starts.tolist()
    assert back.ends.tolist() == toks.ends.tolist()
    ref = tokenize(text)
    assert toks.starts.tolist() == ref.starts
    assert len(DocTokens(back.hashes, back.starts, back.ends)) == len(ref)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "letters"
    _write(root, "a.txt", "The delegation rejects the fabricated report on the northern dams.")
    _write(root, "b.txt", "We note that the delegation rejects the fabricated report entirely.")
    _write(root, "sub/c.txt", "Minutes of the library committee on the new reading room.")
    return root


def test_build_update_is_incremental(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        first = idx.update([corpus])
        assert (first.added, first.changed, first.removed, first.unchanged) == (3, 0, 0, 0)
        assert sorted(d.id for d in idx.documents()) == [
            "letters/a.txt",
            "letters/b.txt",
            "letters/sub/c.txt",
        ]
        postings = idx.stats()["postings"]
        again = idx.update([corpus])
        assert (again.added, again.changed, again.removed, again.unchanged) == (0, 0, 0, 3)
        assert idx.stats()["postings"] == postings
        _write(corpus, "a.txt", "A completely new text about fisheries quotas and tuna.")
        (corpus / "sub" / "c.txt").unlink()
        _write(corpus, "d.txt", "Another letter entirely, about railway timetables.")
        third = idx.update([corpus])
        assert (third.added, third.changed, third.removed, third.unchanged) == (1, 1, 1, 1)
        assert idx.get("letters/a.txt").text.startswith("A completely new text")
        with pytest.raises(KeyError):
            idx.get("letters/sub/c.txt")
        # Postings always equal the distinct k-grams of the stored documents.
        expected = sum(
            len(np.unique(kgram_array(doc_tokens(idx.get(d.id).text).hashes, idx.k)))
            for d in idx.documents()
        )
        assert idx.stats()["postings"] == expected


def test_touching_a_file_without_changing_it_is_not_a_change(tmp_path: Path, corpus: Path) -> None:
    import os

    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([corpus])
        os.utime(corpus / "a.txt", ns=(1, 1))
        summary = idx.update([corpus])
        assert (summary.changed, summary.unchanged) == (0, 3)


def test_unreadable_files_are_listed_and_skipped(tmp_path: Path, corpus: Path) -> None:
    (corpus / "broken.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    with CorpusIndex.open(tmp_path / "i.db", create=True) as idx:
        summary = idx.update([corpus])
    assert summary.added == 3
    assert [p for p, _ in summary.failed] == [str((corpus / "broken.txt").resolve())]


def test_metadata_is_attached_by_path(tmp_path: Path, corpus: Path) -> None:
    meta = {str((corpus / "a.txt").resolve()): {"date": "2020-01-02", "sender": "Arcadia"}}
    with CorpusIndex.open(tmp_path / "i.db", create=True) as idx:
        idx.update([corpus], meta=meta)
        assert idx.get("letters/a.txt").meta["sender"] == "Arcadia"
        # Metadata given later reaches unchanged documents too.
        idx.update([corpus], meta={"letters/b.txt": {"sender": "Borealia"}})
        assert idx.get("letters/b.txt").meta["sender"] == "Borealia"
        assert idx.get("letters/a.txt").meta["sender"] == "Arcadia"


def test_document_round_trip_and_removal(tmp_path: Path) -> None:
    from docdiff.loaders import load_text

    doc = load_text("Some text, with a “quote” and 한국어.", doc_id="x")
    with CorpusIndex.open(tmp_path / "i.db", create=True) as idx:
        idx.add_document(doc)
        back = idx.get("x")
        assert back.text == doc.text
        assert len(idx) == 1
        idx.remove_path(back.path)
        assert len(idx) == 0
        assert idx.stats()["postings"] == 0


def test_cancel_leaves_a_consistent_index(tmp_path: Path) -> None:
    root = tmp_path / "many"
    for i in range(450):
        _write(root, f"{i:03}.txt", f"Letter {i} about topic number {i * 7} and item {i * 13}.")
    cancel = threading.Event()

    def progress(done: int, total: int, path: str) -> None:
        if done >= 220:
            cancel.set()

    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        summary = idx.update([root], progress=progress, cancel=cancel, jobs=1)
        assert summary.interrupted
        assert 0 < len(idx) < 450
        assert len(idx) == summary.added
    with CorpusIndex.open(db) as idx:
        rest = idx.update([root], jobs=1)
        assert rest.added == 450 - summary.added
        assert len(idx) == 450


def test_missing_index_needs_create(tmp_path: Path) -> None:
    with pytest.raises(CorpusIndexError, match="no index here"):
        CorpusIndex.open(tmp_path / "nope.db")


def test_foreign_files_get_a_clear_error(tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("just some text, not a database\n" * 10)
    with pytest.raises(CorpusIndexError, match="not an SQLite database"):
        CorpusIndex.open(text)
    foreign = tmp_path / "foreign.db"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(CorpusIndexError, match="foreign SQLite database"):
        CorpusIndex.open(foreign)


def test_other_schema_version_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "i.db"
    CorpusIndex.open(db, create=True).close()
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    with pytest.raises(CorpusIndexError, match="schema version"):
        CorpusIndex.open(db)


def test_corrupt_file_is_refused(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([corpus])
    data = bytearray(db.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # wreck the schema page behind a valid header
    db.write_bytes(bytes(data))
    for side in ("-wal", "-shm"):
        Path(str(db) + side).unlink(missing_ok=True)
    with pytest.raises(CorpusIndexError):
        CorpusIndex.open(db)


def test_readonly_index_refuses_writes(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([corpus])
    with CorpusIndex.open(db, readonly=True) as ro:
        assert len(ro) == 3
        assert ro.update([corpus]).unchanged == 3  # nothing to write: fine
        (corpus / "new.txt").write_text("A new letter arrives with new words.", encoding="utf-8")
        with pytest.raises(CorpusIndexError, match=r"read-only; 1 pending change"):
            ro.update([corpus])


def _postings(db: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(db) as conn:
        return sorted(
            conn.execute(
                "SELECT p.hash, d.id FROM postings p JOIN documents d ON d.doc = p.doc"
            ).fetchall()
        )


def test_a_writer_decides_on_the_rows_as_they_are_when_it_writes(
    tmp_path: Path, corpus: Path
) -> None:
    """A second update that commits while the first is loading is seen by the first's write."""
    db = tmp_path / "i.db"
    CorpusIndex.open(db, create=True).close()
    single = tmp_path / "single.db"
    with CorpusIndex.open(single, create=True) as ref:
        ref.update([corpus], jobs=1)
    with CorpusIndex.open(db) as first, CorpusIndex.open(db) as second:
        ran: list[object] = []

        def meanwhile(done: int, total: int, path: str) -> None:
            if not ran:  # after the first's plan and first load, before its write
                ran.append(second.update([corpus], jobs=1))

        summary = first.update([corpus], jobs=1, progress=meanwhile)
    assert ran[0] == type(summary)(added=3)
    assert (summary.added, summary.unchanged) == (0, 3)  # it saw the other writer's rows
    assert _postings(db) == _postings(single)  # no duplicate posting
    with CorpusIndex.open(db, readonly=True) as idx:
        assert len(idx) == 3


def test_two_writer_threads_serialise(tmp_path: Path, corpus: Path) -> None:
    for n in range(40):
        _write(corpus, f"more/{n}.txt", f"Letter {n} about item {n * 7} and the usual words.")
    db, single = tmp_path / "i.db", tmp_path / "single.db"
    with CorpusIndex.open(single, create=True) as ref:
        ref.update([corpus], jobs=1)
    CorpusIndex.open(db, create=True).close()
    errors: list[BaseException] = []

    def write() -> None:
        try:
            with CorpusIndex.open(db) as idx:
                idx.update([corpus], jobs=1)
        except BaseException as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _postings(db) == _postings(single)


def test_a_cancelled_update_is_marked_incomplete_until_finished(
    tmp_path: Path, corpus: Path
) -> None:
    db = tmp_path / "i.db"
    cancel = threading.Event()
    with CorpusIndex.open(db, create=True) as idx:
        summary = idx.update([corpus], jobs=1, cancel=cancel, progress=lambda *_: cancel.set())
        assert summary.interrupted
        assert idx.incomplete()
        assert idx.stats()["complete"] != "yes"
        finished = idx.update([corpus], jobs=1)
        assert not finished.interrupted
        assert finished.added == 2
        assert not idx.incomplete()
        assert idx.stats()["complete"] == "yes"


def test_a_damaged_blob_names_its_document_and_can_be_replaced(
    tmp_path: Path, corpus: Path
) -> None:
    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([corpus], jobs=1)
        number = idx.documents()[0].number
        doc_id = idx.documents()[0].id
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE documents SET tokens = x'00ff00' WHERE doc = ?", (number,))
    with CorpusIndex.open(db) as idx:
        with pytest.raises(CorpusIndexError, match=f"document '{doc_id}' has damaged"):
            idx.tokens_by_number([number])
        idx.remove_path(idx.documents()[0].path)  # deleting it does not need its blob
        assert doc_id not in {d.id for d in idx.documents()}
        with sqlite3.connect(db) as conn:
            assert not conn.execute(
                "SELECT count(*) FROM postings WHERE doc = ?", (number,)
            ).fetchone()[0]
