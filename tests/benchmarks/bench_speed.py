"""Speed of docdiff compare, side by side with difflib (word level) and text-matcher 0.1.6.

(a) the seed pair (../shared/seeds) in process: median of many runs (target < 20 ms);
(b) two 50,000-word documents built from UN General Debate speeches, the second holding
    passages of the first in another order (target < 1 s); the share of planted text found is
    printed too, so that speed is never bought with blindness;
(c) ``docdiff compare`` on the seed pair as a subprocess, process start included: median of
    several runs (target < 0.5 s); and on the 50,000-word pair, beside word-level difflib run
    as a process on the same two files (target: 3x faster than difflib).

Processes run as an installed docdiff does: with its bytecode cached (here in a temporary
folder, PYTHONPYCACHEPREFIX, never in the checkout), even when the calling environment sets
PYTHONDONTWRITEBYTECODE; the 50,000-word CLI row without the cache is printed too. What the
CLI costs beyond the in-process ``compare()`` is split into the start-up (interpreter and
imports), the first call's cold caches and the text rendering.

difflib runs ``SequenceMatcher(None, words_a, words_b, autojunk=...)`` and
``get_matching_blocks()``; both autojunk settings are shown on the seed pair, autojunk=True only
on the large pair (autojunk=False is quadratic there; ``--slow`` adds it). text-matcher runs
with its defaults, its NLTK stopwords supplied through NLTK_DATA.

The 50,000-word pair is built from the speeches of 2010 and 2011 (the pair speed work was
measured on); ``--years 2016 2017`` builds the same kind of pair from years no one tuned on.

Run from the repository root:
``python -m tests.benchmarks.bench_speed [--slow] [--no-peers] [--years A B]``.
"""

from __future__ import annotations

import argparse
import difflib
import io
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from tests.benchmarks._common import (
    nltk_data_dir,
    peer_words,
    shared_path,
    table,
    take_words,
    text_matcher_available,
    text_matcher_spans,
    un_speeches,
)

WORDS = 50_000
PLANTED = 12
PLANTED_WORDS = 250
T = TypeVar("T")


TUNED_YEARS = ("2010", "2011")
"""The years of the 50,000-word pair speed work was measured on."""

HELD_OUT_YEARS = ("2016", "2017")
"""The years of a second pair, built alike, that no speed work looked at (``--years``)."""


def build_large_pair(
    years: tuple[str, str] = TUNED_YEARS, seed: int = 20260101
) -> tuple[str, str, list[tuple[int, int]]]:
    """Two 50,000-word texts; B holds PLANTED passages of A in shuffled order.

    A is made of the speeches of ``years[0]``, B of those of ``years[1]``. Returns A, B and
    the character spans in A of the planted passages.
    """
    root = un_speeches()
    a_text = take_words(sorted((root / years[0]).glob("*.txt")), WORDS)
    b_base = take_words(sorted((root / years[1]).glob("*.txt")), WORDS - PLANTED * PLANTED_WORDS)
    rng = random.Random(seed)
    a_words = [(m.start(), m.end()) for m in re.finditer(r"\S+", a_text)]
    step = len(a_words) // PLANTED
    picks = [i * step + rng.randrange(step - PLANTED_WORDS) for i in range(PLANTED)]
    spans = [(a_words[p][0], a_words[p + PLANTED_WORDS - 1][1]) for p in picks]
    passages = [a_text[s:e] for s, e in spans]
    order = list(range(PLANTED))
    rng.shuffle(order)
    # Plant each passage as its own paragraph at a paragraph break of B.
    breaks = [m.start() for m in re.finditer(r"\n\s*\n", b_base)]
    cuts = sorted(rng.sample(breaks, PLANTED))
    pieces, prev = [], 0
    for cut, idx in zip(cuts, order, strict=True):
        pieces += [b_base[prev:cut], "\n\n" + passages[idx]]
        prev = cut
    pieces.append(b_base[prev:])
    return a_text, "".join(pieces), spans


def _recovered(spans: Sequence[tuple[int, int]], found: Sequence[tuple[int, int]]) -> float:
    """Share of the planted characters (in A) covered by found A-spans."""
    hit = 0
    for s, e in spans:
        covered: set[int] = set()
        for fs, fe in found:
            covered.update(range(max(s, fs), min(e, fe)))
        hit += len(covered)
    return hit / sum(e - s for s, e in spans)


def _difflib_blocks(a: str, b: str, *, autojunk: bool) -> Callable[[], list[difflib.Match]]:
    wa, wb = peer_words(a), peer_words(b)
    return lambda: difflib.SequenceMatcher(None, wa, wb, autojunk=autojunk).get_matching_blocks()


def _difflib_a_spans(a: str, blocks: Sequence[difflib.Match]) -> list[tuple[int, int]]:
    """Character spans in `a` of difflib's word blocks of at least four words."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+", a.lower())]
    return [(words[b.a][0], words[b.a + b.size - 1][1]) for b in blocks if b.size >= 4]


def _timed(fn: Callable[[], T], runs: int) -> tuple[float, T]:
    """Median wall time of `fn` over `runs` calls after one warm-up call, and its result."""
    result = fn()  # warm-up, and the result for recovery figures
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def _cpu_ms(fn: Callable[[], object]) -> str:
    """CPU time of one call (all threads of this process), as a table cell."""
    c0 = time.process_time()
    fn()
    return f"cpu {(time.process_time() - c0) * 1000:.0f} ms"


def _docdiff_exe() -> list[str]:
    script = Path(sys.executable).with_name("docdiff")
    if script.exists():
        return [str(script)]
    found = shutil.which("docdiff")
    return [found] if found else [sys.executable, "-m", "docdiff"]


def _subprocess_time(
    cmd: Sequence[str], runs: int, *, env: dict[str, str], cwd: str
) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of running `cmd`, in seconds."""
    times, cpu = [], []
    for _ in range(runs + 1):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, check=False)
        times.append(time.perf_counter() - t0)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime))
        if proc.returncode not in (0, 1):
            err = proc.stderr.decode(errors="replace")[-400:]
            raise SystemExit(f"{' '.join(cmd)} failed: {err}")
    return statistics.median(times[1:]), statistics.median(cpu[1:])


def main() -> None:
    """Time docdiff and the peers on the three workloads and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow", action="store_true", help="also run quadratic peer settings")
    parser.add_argument("--no-peers", action="store_true", help="time docdiff only")
    parser.add_argument("--runs", type=int, default=50, help="runs for the seed pair")
    parser.add_argument(
        "--years",
        nargs=2,
        default=TUNED_YEARS,
        metavar=("A", "B"),
        help=f"UN speech years of the 50,000-word pair (default {' '.join(TUNED_YEARS)}; "
        f"held out: {' '.join(HELD_OUT_YEARS)})",
    )
    args = parser.parse_args()

    from docdiff.engine.compare import compare
    from docdiff.loaders import load, load_text
    from docdiff.options import Options

    seeds = sorted(shared_path("seeds").glob("*.txt"))[:2]
    sa, sb = (load(p, doc_id=p.name) for p in seeds)
    options = Options()
    peers = not args.no_peers
    tm = peers and text_matcher_available()
    rows: list[list[object]] = []

    # (a) seed pair in process.
    t, report = _timed(lambda: compare(sa, sb, options), args.runs)
    n_matches = len(report.pairs[0].matches)
    rows.append(["(a) seed pair", "docdiff compare()", t * 1000, f"{n_matches} matches", "< 20 ms"])
    if peers:
        for junk in (False, True):
            t, blocks = _timed(_difflib_blocks(sa.text, sb.text, autojunk=junk), args.runs)
            big = sum(1 for blk in blocks if blk.size >= 4)
            rows.append(
                ["", f"difflib words autojunk={junk}", t * 1000, f"{big} blocks >= 4 words", ""]
            )
        if tm:
            t, spans = _timed(lambda: text_matcher_spans(sa.text, sb.text), 5)
            rows.append(["", "text-matcher 0.1.6", t * 1000, f"{len(spans[0])} matches", ""])

    # (b) two 50,000-word documents with planted passages in another order.
    a_text, b_text, planted = build_large_pair(tuple(args.years))
    la, lb = load_text(a_text, doc_id="A"), load_text(b_text, doc_id="B")
    words = f"{len(a_text.split())}+{len(b_text.split())} words, {'/'.join(args.years)}"
    t, report = _timed(lambda: compare(la, lb, options), 3)
    large_report = report
    found = [(m.a.span.start, m.a.span.end) for m in report.pairs[0].matches]
    rows.append(
        [
            f"(b) 50k-word pair ({words})",
            "docdiff compare()",
            t * 1000,
            f"{_recovered(planted, found):.0%} of planted found; "
            + _cpu_ms(lambda: compare(la, lb, options)),
            "< 1000 ms",
        ]
    )
    if peers:
        junks = (True, False) if args.slow else (True,)
        for junk in junks:
            fn = _difflib_blocks(a_text, b_text, autojunk=junk)
            t0 = time.perf_counter()
            blocks = fn()
            t = time.perf_counter() - t0
            found = _difflib_a_spans(a_text, blocks)
            rows.append(
                [
                    "",
                    f"difflib words autojunk={junk} (1 run)",
                    t * 1000,
                    f"{_recovered(planted, found):.0%} of planted found",
                    "",
                ]
            )
        if tm:
            t0 = time.perf_counter()
            spans_a, _ = text_matcher_spans(a_text, b_text)
            t = time.perf_counter() - t0
            rows.append(
                [
                    "",
                    "text-matcher 0.1.6 (1 run)",
                    t * 1000,
                    f"{_recovered(planted, spans_a):.0%} of planted found",
                    "",
                ]
            )

    # What the CLI adds to compare(): the text rendering, in process.
    from docdiff.cli.terminal import print_compare

    t, _ = _timed(lambda: print_compare(large_report, file=io.StringIO()), 3)
    rows.append(["", "print_compare (text output)", t * 1000, "in process", ""])

    # (c) the CLI end to end, process start included.
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env["NLTK_DATA"] = str(nltk_data_dir())
        # Bytecode cached as an installed package has it (the first, untimed run writes it).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp, "pycache"))
        no_cache = {**env, "PYTHONDONTWRITEBYTECODE": "1"}
        no_cache.pop("PYTHONPYCACHEPREFIX")
        paths = [str(p) for p in seeds]
        exe = _docdiff_exe()
        # The 50,000-word pair end to end: `docdiff compare` beside word-level difflib, each
        # a process reading the two files.
        large = [str(Path(tmp, name)) for name in ("a50k.txt", "b50k.txt")]
        for path, text in zip(large, (a_text, b_text), strict=True):
            Path(path).write_text(text, encoding="utf-8")
        t_cli, cpu_cli = _subprocess_time([*exe, "compare", *large], 2, env=env, cwd=tmp)
        rows.append(["(b) 50k-word pair, subprocess", "docdiff compare (CLI)", t_cli * 1000,
                     f"cpu {cpu_cli * 1000:.0f} ms", "3x faster than difflib"])  # fmt: skip
        t, cpu = _subprocess_time([*exe, "compare", *large], 2, env=no_cache, cwd=tmp)
        rows.append(["", "docdiff compare (CLI), no bytecode cache", t * 1000,
                     f"cpu {cpu * 1000:.0f} ms", ""])  # fmt: skip
        if peers:
            code = _difflib_words(autojunk=True)
            t, cpu = _subprocess_time([sys.executable, "-c", code, *large], 2, env=env, cwd=tmp)
            ratio = f"cpu {cpu * 1000:.0f} ms; docdiff is {t / t_cli:.2f}x as fast"
            rows.append(["", "python -c difflib autojunk=True (words)", t * 1000, ratio, ""])
        # The CLI's start-up: the interpreter and the modules `docdiff compare` imports.
        t, cpu = _subprocess_time([sys.executable, "-c", _IMPORTS], 5, env=env, cwd=tmp)
        rows.append(["", "python -c 'import what compare uses'", t * 1000,
                     f"cpu {cpu * 1000:.0f} ms", ""])  # fmt: skip
        # The first compare() of a process: normalisation and weight caches still empty.
        code = _first_compare(*large)
        t, cpu = _subprocess_time([sys.executable, "-c", code], 2, env=env, cwd=tmp)
        rows.append(["", "python -c 'load, compare() once'", t * 1000,
                     f"cpu {cpu * 1000:.0f} ms (no rendering)", ""])  # fmt: skip
        for extra in ([], ["--format", "json"]):
            t, cpu = _subprocess_time([*exe, "compare", *paths, *extra], 7, env=env, cwd=tmp)
            label = " ".join(["docdiff compare", *extra])
            workload = "" if extra else "(c) seed pair, subprocess"
            rows.append([workload, label, t * 1000, f"cpu {cpu * 1000:.0f} ms", "< 500 ms"])
        # The floor any Python tool pays on this machine right now.
        t, cpu = _subprocess_time([sys.executable, "-c", "pass"], 7, env=env, cwd=tmp)
        rows.append(
            ["", "python -c pass (start-up floor)", t * 1000, f"cpu {cpu * 1000:.0f} ms", ""]
        )
        if peers:
            code = _difflib_words(autojunk=False)
            t, cpu = _subprocess_time([sys.executable, "-c", code, *paths], 7, env=env, cwd=tmp)
            rows.append(["", "python -c difflib (words)", t * 1000, f"cpu {cpu * 1000:.0f} ms", ""])
            tm_exe = shutil.which("text-matcher")
            if tm and tm_exe:
                t, cpu = _subprocess_time([tm_exe, *paths], 5, env=env, cwd=tmp)
                rows.append(["", "text-matcher CLI", t * 1000, f"cpu {cpu * 1000:.0f} ms", ""])

    loadavg = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"docdiff speed ({os.cpu_count()} CPUs, load average {loadavg}; medians; wall ms)\n")
    print(table(["workload", "tool", "ms", "result", "target"], rows))
    print(f"\ndocdiff executable: {' '.join(exe)}")
    if peers and not tm:
        print("text-matcher is not installed (pip install 'docdiff[bench]'); its rows are omitted")


_IMPORTS = (
    "import docdiff.cli, docdiff.cli.compare, docdiff.engine.compare, docdiff.loaders, "
    "docdiff.cli.terminal, rapidfuzz.distance, rapidfuzz.process"
)
"""What `docdiff compare` imports on its way (the start-up every run pays)."""


def _first_compare(a: str, b: str) -> str:
    """A `python -c` program: the imports, loading and one compare() of the two files."""
    return (
        f"{_IMPORTS};"
        "from docdiff.loaders import load;"
        "from docdiff.engine.compare import compare;"
        f"compare(load({a!r}), load({b!r}))"
    )


def _difflib_words(*, autojunk: bool) -> str:
    """A `python -c` program: word-level difflib over the files named on its command line."""
    return (
        "import difflib,re,sys;"
        "w=[re.findall(r'\\w+',open(p,encoding='utf-8').read().lower())"
        " for p in sys.argv[1:]];"
        f"print(len(difflib.SequenceMatcher(None,*w,autojunk={autojunk}).get_matching_blocks()))"
    )


if __name__ == "__main__":
    main()
