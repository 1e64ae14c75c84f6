"""Run ``python -m docdiff …`` in a subprocess under resource limits, for the hostile suite.

The child sets ``RLIMIT_AS`` (address space) on itself before importing docdiff, so a loader
that tried to build a huge string or tree would die with a MemoryError (a traceback and a
non-zero exit: the test fails) instead of swapping; it also reports its peak resident size
(``VmHWM``) through a side file, which the tests bound too. Time is bounded only by a
generous subprocess timeout: a hang (a FIFO opened for reading, a quadratic scan) fails the
test instead of stalling the suite. No test here times anything finely.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests._patience import seconds

__all__ = ["ADDRESS_SPACE", "PEAK_RSS", "Run", "run_docdiff"]

ADDRESS_SPACE = 1 << 30
"""Address-space limit of the child (1 GiB): far below what the issue's inputs needed before."""
PEAK_RSS = 400 * 1024 * 1024
"""Resident-memory bound asserted on every run (400 MB: "a few hundred MB")."""
TIMEOUT = seconds(180.0)
"""Seconds before a run counts as hung: generous, for a loaded machine."""

ROOT = Path(__file__).resolve().parent.parent.parent

_BOOT = """
import atexit, os, resource, runpy, sys
limit = int(os.environ["DOCDIFF_TEST_AS"])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
peak_file = os.environ["DOCDIFF_TEST_PEAK"]
def _report():
    # VmHWM belongs to this process image; ru_maxrss would carry over the forking parent's
    # peak across exec (Linux), which is the test runner's, not docdiff's.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) * 1024
    except OSError:
        pass
    with open(peak_file, "w") as f:
        f.write(str(peak))
atexit.register(_report)
sys.argv = ["docdiff", *sys.argv[1:]]
runpy.run_module("docdiff", run_name="__main__", alter_sys=True)
"""


@dataclass(frozen=True)
class Run:
    """What a limited ``docdiff`` run did."""

    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str
    peak_rss: int | None
    """Peak resident bytes of the docdiff process; None if it died before reporting."""

    @property
    def lines(self) -> list[str]:
        """The non-blank stderr lines."""
        return [line for line in self.stderr.splitlines() if line.strip()]

    def describe(self) -> str:
        """Everything, for an assertion message."""
        peak = "?" if self.peak_rss is None else f"{self.peak_rss / 2**20:.0f} MB"
        return (
            f"docdiff {' '.join(self.args)}\nexit {self.code}, peak {peak}\n"
            f"stderr:\n{self.stderr[-3000:]}\nstdout:\n{self.stdout[-1000:]}"
        )


def run_docdiff(
    *args: str | os.PathLike[str],
    cwd: Path | None = None,
    address_space: int = ADDRESS_SPACE,
    timeout: float = TIMEOUT,
) -> Run:
    """Run ``python -m docdiff *args`` with an address-space limit, stdin closed."""
    argv = tuple(os.fspath(a) for a in args)
    env = {
        **os.environ,
        "DOCDIFF_TEST_AS": str(address_space),
        # Thread pools reserve address space per thread; one thread each is plenty here.
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2",
        "NO_COLOR": "1",
        "COLUMNS": "100",
    }
    with tempfile.TemporaryDirectory(prefix="docdiff-hostile-") as tmp:
        peak_file = Path(tmp) / "peak"
        env["DOCDIFF_TEST_PEAK"] = str(peak_file)
        try:
            done = subprocess.run(
                [sys.executable, "-c", _BOOT, *argv],
                cwd=cwd or ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            msg = f"docdiff {' '.join(argv)} did not finish in {timeout:.0f} s (hung?)"
            raise AssertionError(msg) from exc
        peak = int(peak_file.read_text()) if peak_file.exists() else None
    return Run(argv, done.returncode, done.stdout, done.stderr, peak)
