"""Helpers for bench_corpus: the corpora cache (unpacked outside the repo) and memory sampling."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import tarfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from tests.benchmarks._common import SHARED

CORPORA_CACHE = Path(os.environ.get("DOCDIFF_CORPORA", "/tmp/corpora"))
ARCHIVES = {
    "un_general_debate_corpus": "un-general-debate.tar.gz",
    "dfat_historical_documents": "dfat-documents.tar.gz",
}


def corpus_dir(name: str) -> Path:
    """The unpacked corpus folder, unpacking ../shared/corpora/<archive> on first use."""
    target = CORPORA_CACHE / name
    if (target / "metadata.csv").exists():
        return target
    archive = SHARED / "corpora" / ARCHIVES[name]
    if not archive.exists():
        sys.exit(f"bench_corpus needs {archive} (the shared corpora beside the checkout)")
    CORPORA_CACHE.mkdir(parents=True, exist_ok=True)
    print(f"unpacking {archive} into {CORPORA_CACHE} …", flush=True)
    with tarfile.open(archive) as tar:
        tar.extractall(CORPORA_CACHE, filter="data")
    return target


def indexed_from(db: Path, folder: Path) -> None:
    """Exit with one line when the index `db` holds documents from outside `folder`. Benchmarks
    share one index file in the cache; updated from a second copy of a corpus (another
    $DOCDIFF_CORPORA), it would hold every document twice, and every figure measured on it
    would be wrong without a sign."""
    from docdiff.index import CorpusIndex

    if not db.exists():
        return
    root = str(folder.resolve())
    inside = root.rstrip(os.sep) + os.sep
    with CorpusIndex.open(db, readonly=True) as index:
        other = next((d.path for d in index.documents() if not d.path.startswith(inside)), None)
    if other is not None:
        sys.exit(
            f"{db}: the index holds documents from outside {root} ({other}); delete it, "
            "or point DOCDIFF_BENCH_CACHE elsewhere, and run again"
        )


def _tree_rss(pid: int, *, field: str = "VmRSS:", source: str = "status") -> int:
    """Resident memory (bytes) of a process and all its descendants, from /proc.

    With ``field="Pss:", source="smaps_rollup"`` the proportional set size: pages a forked
    worker shares with its parent count once in the sum, not once per process.
    """
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            status = Path(f"/proc/{p}/{source}").read_text()
            for line in status.splitlines():
                if line.startswith(field):
                    total += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                kids = (task / "children").read_text().split()
                stack.extend(int(k) for k in kids)
        except (OSError, ValueError):
            continue
    return total


@dataclass
class Run:
    """One measured child process."""

    seconds: float
    peak_tree_rss: int
    """Largest sum of RSS over the process and its workers, sampled every 0.2 s."""
    maxrss_children: int
    """resource.getrusage(RUSAGE_CHILDREN).ru_maxrss after the run: the largest single process."""
    cpu_seconds: float
    """User + system CPU time of the process and its workers (wall time on an idle machine is
    about this divided by the cores used; the shared benchmark machine is often oversubscribed)."""
    stdout: str
    stderr: str
    returncode: int
    peak_tree_pss: int = 0
    """Largest sum of PSS over the process and its workers (shared pages counted once)."""
    finished: bool = True
    """False when the run was stopped at its time limit (its CPU time is then unknown: NaN)."""


def run_measured(
    args: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: str | Path | None = None,
    timeout: float | None = None,
) -> Run:
    """Run a command, timing it and sampling the memory of its whole process tree.

    With `timeout` (seconds) a run still going is stopped with its workers (it runs in its own
    process group) and reported with ``finished=False``. `cwd` is the folder it runs in: give a
    neutral one to a ``python -c`` child, whose working folder comes first on ``sys.path``
    (this checkout would shadow a baseline given by ``PYTHONPATH``).
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=cwd,
        start_new_session=timeout is not None,
    )
    peak = peak_pss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_pss
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            peak_pss = max(peak_pss, _tree_rss(proc.pid, field="Pss:", source="smaps_rollup"))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    finished = True
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        finished = False
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The CPU of a stopped run is unknown (its killed workers are not reaped here).
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(
        seconds,
        peak,
        after.ru_maxrss * 1024,
        cpu if finished else float("nan"),
        out,
        err,
        proc.returncode,
        peak_pss,
        finished,
    )


def docdiff_cmd(*args: str) -> list[str]:
    """The docdiff command line run with this interpreter."""
    return [sys.executable, "-m", "docdiff", *args]


def gib(n: int) -> str:
    """Bytes as GiB."""
    return f"{n / 2**30:.2f} GiB"
