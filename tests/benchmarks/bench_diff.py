"""Benchmark `docdiff diff` against git's word diff and difflib on two 50,000-word versions.

The old version is UN General Debate speeches (../shared/corpora/un-general-debate.tar.gz)
concatenated to 50,000 words. The new version has about 5 % of its words edited (replaced,
deleted or inserted) and 3 blocks of 80-250 words moved elsewhere. Run from the repository:

    python tests/benchmarks/bench_diff.py

Prints wall-clock seconds side by side: docdiff in-process (the diff itself, and with the patch
text), docdiff end to end (a fresh process, JSON to /dev/null), `git diff --no-index
--word-diff`, and difflib.SequenceMatcher over word lists with autojunk on (its default) and off.
"""

from __future__ import annotations

import math
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from difflib import SequenceMatcher
from pathlib import Path

from tests.benchmarks._common import take_words, un_speeches

ROOT = Path(__file__).resolve().parents[2]
ARCHIVE = ROOT.parent / "shared" / "corpora" / "un-general-debate.tar.gz"
WORDS = 50_000
EDIT_SHARE = 0.05
SEED = 20240923


def old_text() -> str:
    """The first 50,000 words of the speeches, paragraphs kept, cut at a word end."""
    return take_words(sorted(un_speeches().rglob("*.txt")), WORDS) + "\n"


def new_text(old: str, rng: random.Random) -> tuple[str, list[int]]:
    """`old` with ~5 % of words edited and 3 moved blocks; returns the text and block sizes."""
    pieces = re.findall(r"\S+\s*", old)  # word plus its following whitespace
    vocab = [p.strip() for p in pieces]
    edits = int(len(pieces) * EDIT_SHARE)
    for _ in range(edits):
        i = rng.randrange(len(pieces))
        op = rng.random()
        if op < 0.5:
            pieces[i] = rng.choice(vocab) + " "
        elif op < 0.75:
            del pieces[i]
        else:
            pieces.insert(i, rng.choice(vocab) + " ")
    sizes = []
    for _ in range(3):
        size = rng.randint(80, 250)
        start = rng.randrange(len(pieces) - size)
        block = pieces[start : start + size]
        del pieces[start : start + size]
        to = rng.randrange(len(pieces))
        pieces[to:to] = block
        sizes.append(size)
    return "".join(pieces), sizes


def timed(fn: Callable[[], object], repeat: int = 3) -> tuple[float, float, object]:
    """Best wall-clock and CPU seconds of `repeat` runs (CPU includes child processes), and the
    last result. CPU time is the fairer figure on a shared, busy machine."""
    best_wall = best_cpu = float("inf")
    result: object = None
    for _ in range(repeat):
        c0 = _cpu()
        t0 = time.perf_counter()
        result = fn()
        best_wall = min(best_wall, time.perf_counter() - t0)
        best_cpu = min(best_cpu, _cpu() - c0)
    return best_wall, best_cpu, result


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> int:
    """Run the benchmark and print the figures."""
    if not ARCHIVE.exists():
        print(f"skipped: {ARCHIVE} is absent (../shared/corpora is not beside this checkout)")
        return 0
    from docdiff.chardiff import apply_patch
    from docdiff.versiondiff import diff_texts, to_patch

    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory(prefix="bench-diff-") as tmp_dir:
        tmp = Path(tmp_dir)
        old = old_text()
        new, sizes = new_text(old, rng)
        a, b = tmp / "old.txt", tmp / "new.txt"
        a.write_text(old, encoding="utf-8")
        b.write_text(new, encoding="utf-8")
        print(f"old: {len(old.split()):,} words; new: {len(new.split()):,} words; "
              f"~{EDIT_SHARE:.0%} of words edited; moved blocks of {sizes} words")  # fmt: skip
        rows: list[tuple[str, float, float, str]] = []

        t, c, _ = timed(lambda: diff_texts(old, new))
        d = diff_texts(old, new)
        pieces = sum(1 for h in d.hunks if h.tag == "move_from")
        blocks = len({h.move for h in d.hunks if h.tag == "move_from"})
        rows.append(("docdiff diff (in-process)", t, c,
                     f"{d.stats.line()}; {blocks} moves in {pieces} pieces"))  # fmt: skip
        t, c, patch = timed(lambda: to_patch(diff_texts(old, new)))
        assert isinstance(patch, str)
        ok = apply_patch(old, patch) == new
        rows.append(("docdiff diff + patch text", t, c, f"{len(patch):,} chars; round trip {ok}"))

        cmd = [sys.executable, "-m", "docdiff", "diff", str(a), str(b), "-f", "json"]
        t, c, _ = timed(lambda: subprocess.run([*cmd, "-o", "/dev/null"], check=True,
                                               capture_output=True))  # fmt: skip
        rows.append(("docdiff diff -f json (process)", t, c, "includes start-up and loading"))

        if shutil.which("git"):
            git = ["git", "diff", "--no-index", "--word-diff", str(a), str(b)]
            t, c, _ = timed(lambda: subprocess.run(git, capture_output=True, check=False))
            rows.append(("git diff --no-index --word-diff", t, c, "line-based; no moves"))
        else:
            rows.append(("git diff --no-index --word-diff", math.nan, math.nan, "git is absent"))

        wa, wb = old.split(), new.split()
        t, c, sm = timed(lambda: SequenceMatcher(None, wa, wb).get_opcodes(), repeat=1)
        rows.append(("difflib words, autojunk=True", t, c, "its default; no moves"))
        t, c, sm = timed(lambda: SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes(),
                         repeat=1)  # fmt: skip
        assert isinstance(sm, list)
        rows.append(("difflib words, autojunk=False", t, c, f"{len(sm):,} opcodes; no moves"))

    width = max(len(r[0]) for r in rows)
    print(f"\n{'tool':<{width}}  {'wall s':>8}  {'CPU s':>8}  notes")
    for name, wall, cpu, note in rows:
        print(f"{name:<{width}}  {wall:>8.3f}  {cpu:>8.3f}  {note}")
    wall, cpu = rows[0][1], rows[0][2]
    verdict = "met" if min(wall, cpu) < 1 else "MISSED"
    print(f"\ntarget: docdiff diff < 1 s -> {verdict} (wall {wall:.3f} s, CPU {cpu:.3f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
