"""Run docdiff in a child process under resource limits, and read what it left behind.

Hostile inputs are checked through the real command line: a fresh interpreter with an address
space limit (so an input that blows up memory fails the test instead of the machine), an
optional file-size limit (a full disk without a small partition), and a generous timeout that
only catches a hang. Nothing here measures time.
"""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests._patience import seconds

# The checkout under test (``HOSTILE_ROOT`` points the suite at another one, e.g. an older
# release, to see which cases it fails); children run from there, as ``python -m`` imports from
# the working folder first.
ROOT = Path(os.environ.get("HOSTILE_ROOT") or Path(__file__).resolve().parents[2])

# Address space for one docdiff process: the interpreter, numpy and rapidfuzz need about 400 MB
# of mappings; an input that allocates gigabytes fails far above this bound.
MEMORY_LIMIT = 1536 * 1024 * 1024
TIMEOUT = seconds(300.0)  # seconds; only catches a hang (`tests._patience`)


@dataclass(frozen=True)
class Run:
    """What a finished docdiff process did."""

    code: int
    stdout: str
    stderr: str

    def one_line(self) -> str:
        """The single stderr line (asserting there is exactly one and no traceback)."""
        lines = self.stderr.splitlines()
        assert len(lines) == 1, f"expected one stderr line, got: {self.stderr!r}"
        assert "Traceback" not in self.stderr
        assert lines[0].startswith("docdiff: ")
        return lines[0]


def env(*, measured: bool = True) -> dict[str, str]:
    """The child's environment: this checkout first on the path, one BLAS thread, no colour.

    Not `measured`: without the coverage hooks (a child whose file-size limit would also cut
    coverage's own data file, adding a traceback to its stderr).
    """
    out = dict(os.environ)
    if not measured:
        for name in ("COVERAGE_PROCESS_CONFIG", "COVERAGE_PROCESS_START", "COV_CORE_SOURCE"):
            out.pop(name, None)
    out["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), out.get("PYTHONPATH")]))
    out.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", NO_COLOR="1", COLUMNS="120")
    out.pop("FORCE_COLOR", None)
    return out


def limits(memory: int = MEMORY_LIMIT, file_size: int | None = None) -> Callable[[], None]:
    """A `preexec_fn` that sets the limits in the child (and lets a write fail with EFBIG)."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        if file_size is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))

    return apply


def command(args: Sequence[str | Path]) -> list[str]:
    return [sys.executable, "-m", "docdiff", *map(str, args)]


def docdiff(
    *args: str | Path,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    memory: int = MEMORY_LIMIT,
    file_size: int | None = None,
    timeout: float = TIMEOUT,
) -> Run:
    """Run ``docdiff ARGS`` to completion under the limits (`timeout` only catches a hang)."""
    proc = subprocess.run(  # noqa: PLW1510  (the caller asserts the code)
        command(args),
        cwd=cwd or ROOT,
        input=stdin,
        capture_output=True,
        env=env(measured=file_size is None),
        timeout=timeout,
        preexec_fn=limits(memory, file_size),
    )
    return Run(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )


def start(*args: str | Path, cwd: Path | None = None) -> subprocess.Popen[bytes]:
    """Start ``docdiff ARGS`` in the background (same limits, output captured)."""
    return subprocess.Popen(
        command(args),
        cwd=cwd or ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env(),
        preexec_fn=limits(),  # noqa: PLW1509
    )


def finish(proc: subprocess.Popen[bytes]) -> Run:
    out, err = proc.communicate(timeout=TIMEOUT)
    return Run(proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))


# --- reading an index directly ------------------------------------------------------------------


def connect_ro(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=60.0)


def index_content(
    db: Path,
) -> tuple[list[tuple[str, str, str, int, str]], Counter[tuple[int, str]]]:
    """Documents (id, path, sha256, words, meta) by id, and postings as (hash, document id)."""
    with connect_ro(db) as conn:
        docs = sorted(
            conn.execute("SELECT id, path, sha256, words, meta FROM documents").fetchall()
        )
        postings = Counter(
            conn.execute(
                "SELECT p.hash, d.id FROM postings p JOIN documents d ON d.doc = p.doc"
            ).fetchall()
        )
    return docs, postings


def duplicate_postings(db: Path) -> int:
    with connect_ro(db) as conn:
        return int(
            conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM postings GROUP BY hash, doc "
                "HAVING count(*) > 1)"
            ).fetchone()[0]
        )


def orphan_postings(db: Path) -> int:
    with connect_ro(db) as conn:
        return int(
            conn.execute(
                "SELECT count(*) FROM postings WHERE doc NOT IN (SELECT doc FROM documents)"
            ).fetchone()[0]
        )


def integrity(db: Path) -> str:
    with connect_ro(db) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


# --- generated corpora ---------------------------------------------------------------------------


def letter(n: int, words: int = 120) -> str:
    """A deterministic letter: shared formulae plus words particular to letter `n`."""
    import random

    rng = random.Random(n)
    vocab = [f"w{rng.randrange(5000)}" for _ in range(words)]
    return (
        "The Permanent Mission presents its compliments to the Secretary-General and has the "
        f"honour to refer to letter number {n}. " + " ".join(vocab) + ". The Mission avails itself "
        "of this opportunity to renew the assurances of its highest consideration."
    )


def write_corpus(folder: Path, count: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for n in range(start, start + count):
        path = folder / f"letter{n:05d}.txt"
        path.write_text(letter(n), encoding="utf-8")
        out.append(path)
    return out
