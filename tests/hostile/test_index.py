"""The index under concurrency and faults: two writers, kill -9, read-only, damage, full disk.

Every case runs the real command line in a child process (see `_proc`) on a generated corpus.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.hostile._proc import (
    docdiff,
    duplicate_postings,
    finish,
    index_content,
    integrity,
    letter,
    orphan_postings,
    start,
    write_corpus,
)


def wait_for(event: Callable[[], bool], what: str, deadline: float = 300.0) -> None:
    """Poll until `event()` holds (an event, not a guessed duration); fail after `deadline`."""
    end = time.monotonic() + deadline
    while not event():
        if time.monotonic() > end:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def committed_documents(db: Path) -> int:
    """Documents committed so far (0 while the file is not yet an index)."""
    try:
        with contextlib.closing(
            sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0)
        ) as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.Error:
        return 0


def info_flag(db: Path) -> str | None:
    with contextlib.closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)) as c:
        row = c.execute("SELECT value FROM info WHERE key = 'incomplete'").fetchone()
    return None if row is None else str(row[0])


def copy_index(src: Path, dst: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{src}{suffix}").exists():
            shutil.copyfile(f"{src}{suffix}", f"{dst}{suffix}")


def children(pid: int) -> list[int]:
    """The child processes of `pid` (Linux /proc), recursively."""
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            for child in (task / "children").read_text().split():
                out += [int(child), *children(int(child))]
    return out


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status and "\nState:\tX" not in status


# --- two writers and readers --------------------------------------------------------------------


def test_two_updates_and_twenty_queries_give_a_single_updates_index(tmp_path: Path) -> None:
    corpus = tmp_path / "letters"
    files = write_corpus(corpus, 300)
    base = tmp_path / "base.db"
    assert docdiff("index", "build", corpus, "--db", base, "--jobs", "1").code == 0
    # Pending work for the writers: new files, changed files, removed files.
    write_corpus(corpus, 500, start=300)
    for path in files[:20]:
        path.write_text(letter(10_000 + files.index(path)), encoding="utf-8")
    for path in files[20:30]:
        path.unlink()
    single, shared = tmp_path / "single.db", tmp_path / "shared.db"
    copy_index(base, single)
    copy_index(base, shared)
    assert docdiff("index", "update", corpus, "--db", single, "--jobs", "1").code == 0

    writers = [start("index", "update", corpus, "--db", shared, "--jobs", "1") for _ in range(2)]
    queries = []
    for n in range(20):
        queries.append(start("query", files[40 + n], "--db", shared, "--limit", "3"))
        if len(queries) >= 4:  # a few at a time on a small machine
            run = finish(queries.pop(0))
            assert run.code == 0, run.stderr
    for q in queries:
        run = finish(q)
        assert run.code == 0, run.stderr
    for w in writers:
        run = finish(w)
        # A second writer waits for the first; if it waited too long it says so in one line.
        assert run.code == 0 or (run.code == 2 and "locked" in run.one_line()), run.stderr

    assert integrity(shared) == "ok"
    assert duplicate_postings(shared) == 0
    assert orphan_postings(shared) == 0
    assert index_content(shared) == index_content(single)
    assert info_flag(shared) is None


# --- kill -9 mid-build --------------------------------------------------------------------------


def test_kill_9_mid_build_then_update_equals_an_uninterrupted_build(tmp_path: Path) -> None:
    corpus = tmp_path / "letters"
    write_corpus(corpus, 1500)  # past the bulk-load threshold: the postings index is dropped
    reference = tmp_path / "reference.db"
    assert docdiff("index", "build", corpus, "--db", reference, "--jobs", "2").code == 0

    killed = tmp_path / "killed.db"
    proc = start("index", "build", corpus, "--db", killed, "--jobs", "2")
    wait_for(lambda: committed_documents(killed) > 0, "the first committed batch")
    workers = children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    assert 0 < committed_documents(killed) < 1500, "the build was not stopped mid-way"
    assert info_flag(killed) == "1"  # marked incomplete
    # The pool's workers do not outlive their parent (they used to block forever).
    assert workers, "the build ran without a worker pool"
    wait_for(lambda: not any(alive(pid) for pid in workers), "the pool workers to exit", 60.0)

    info = docdiff("index", "info", "--db", killed)
    assert info.code == 0
    assert "complete: no" in info.stdout
    finished = docdiff("index", "update", corpus, "--db", killed)
    assert finished.code == 0, finished.stderr
    assert info_flag(killed) is None
    assert "complete: yes" in docdiff("index", "info", "--db", killed).stdout
    assert integrity(killed) == "ok"
    assert duplicate_postings(killed) == 0
    assert index_content(killed) == index_content(reference)


# --- read-only ----------------------------------------------------------------------------------


@contextlib.contextmanager
def read_only_copy(db: Path, folder: Path) -> Iterator[Path]:
    """`db` copied into a folder we cannot write: permissions, or a read-only mount for root."""
    folder.mkdir()
    copy_index(db, folder / db.name)
    target = folder / db.name
    if os.geteuid() != 0:
        target.chmod(0o444)
        folder.chmod(0o555)
        try:
            yield target
        finally:
            folder.chmod(0o755)
        return
    staging = folder.parent / "staging"
    folder.rename(staging)
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("running as root without mount: cannot make a read-only folder")
    try:
        copy_index(staging / db.name, target)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield target
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_read_only_index_is_readable_and_refuses_pending_changes_in_one_line(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "letters"
    files = write_corpus(corpus, 12)
    db = tmp_path / "i.db"
    assert docdiff("index", "build", corpus, "--db", db).code == 0
    with read_only_copy(db, tmp_path / "ro") as ro:
        assert not os.access(ro.parent, os.W_OK)
        query = docdiff("query", files[0], "--db", ro)
        assert query.code == 0, query.stderr
        assert "letter00001" in query.stdout or "letters/" in query.stdout
        assert docdiff("scan", "--db", ro, "--no-progress").code == 0
        assert docdiff("index", "info", "--db", ro).code == 0
        nothing = docdiff("index", "update", corpus, "--db", ro)
        assert nothing.code == 0
        assert "12 unchanged" in nothing.stdout
        write_corpus(corpus, 1, start=99)
        pending = docdiff("index", "update", corpus, "--db", ro)
        assert pending.code == 2
        assert "read-only" in pending.one_line()
        assert "1 pending change" in pending.one_line()


# --- damage and a full disk ---------------------------------------------------------------------


def test_a_damaged_token_blob_is_one_line_naming_the_document(tmp_path: Path) -> None:
    corpus = tmp_path / "letters"
    write_corpus(corpus, 8)
    db = tmp_path / "i.db"
    assert docdiff("index", "build", corpus, "--db", db).code == 0
    with contextlib.closing(sqlite3.connect(db)) as conn:
        doc_id, blob = conn.execute("SELECT id, tokens FROM documents WHERE doc = 3").fetchone()
        damaged = bytearray(blob)
        damaged[len(damaged) // 2] ^= 0xFF  # one flipped byte
        conn.execute("UPDATE documents SET tokens = ? WHERE doc = 3", (bytes(damaged),))
        conn.commit()
    commands: list[list[str | Path]] = [
        ["scan", "--db", db, "--no-progress"],
        ["formulae", "--db", db, "--min-docs", "2"],
    ]
    for command in commands:
        run = docdiff(*command)
        assert run.code == 2, run.stderr
        line = run.one_line()
        assert repr(doc_id) in line
        assert "damaged" in line
    # An update replaces the damaged document without tripping over it.
    Path(corpus / Path(doc_id).name).write_text(letter(777), encoding="utf-8")
    assert docdiff("index", "update", corpus, "--db", db).code == 0
    assert docdiff("scan", "--db", db, "--no-progress").code == 0


def test_a_full_disk_is_one_line_and_the_index_stays_consistent(tmp_path: Path) -> None:
    corpus = tmp_path / "letters"
    write_corpus(corpus, 700)
    reference = tmp_path / "reference.db"
    assert docdiff("index", "build", corpus, "--db", reference, "--jobs", "1").code == 0
    db = tmp_path / "full.db"
    # Files may grow to 600 KB: the index (about 2 MB) cannot.
    run = docdiff("index", "build", corpus, "--db", db, "--jobs", "1", file_size=600_000)
    assert run.code == 2
    line = run.one_line()
    assert str(db) in line
    assert "space" in line or "full" in line, line
    assert integrity(db) == "ok"
    assert orphan_postings(db) == 0
    assert docdiff("index", "update", corpus, "--db", db, "--jobs", "1").code == 0
    assert index_content(db) == index_content(reference)
    assert duplicate_postings(db) == 0
