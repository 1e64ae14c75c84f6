"""One 40 MB document among 2,000: index, query and scan, time and memory.

    python -m tests.benchmarks.bench_long_document [--docs 2000] [--mb 40] [--queries 9]
        [--scan-timeout 900] [--baseline DIR] [--no-scan]

The corpus is built in $DOCDIFF_BENCH_CACHE/long-document (never in the repository): the last
`--docs` UN General Debate speeches (from ../shared/corpora), plus ``long.txt``: every second
one of those speeches and then older speeches, pasted together up to `--mb` megabytes, so the
long document really shares text with a thousand others.

Printed, with the load average beside each figure:

* ``docdiff index build`` of the folder: wall, CPU, peak memory of the process tree;
* queries with speeches that the long document holds, in process: the first one (which reads
  the long document from the index and keeps it compactly), then the median and maximum of the
  others, and the process's memory; beside it, the same queries with the long document left out
  (``exclude_ids``), the cost of the ordinary sources alone;
* with ``--baseline DIR`` (an older checkout, e.g. ``git archive main | tar -x -C DIR``), the
  first four queries run by that code in a fresh child process (the first one reads the long
  document), with a time limit, and beside it by this code in the same way;
* ``docdiff scan --db`` as a measured child process, stopped after `--scan-timeout` seconds.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks._common import CACHE, table, un_speeches
from tests.benchmarks._corpus_data import Run, docdiff_cmd, gib, run_measured

LONG_NAME = "long.txt"

NEUTRAL = tempfile.gettempdir()
"""Children run from here: `python -c` puts its working folder first on sys.path, where this
checkout would shadow a baseline given by PYTHONPATH."""


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def build_corpus(folder: Path, docs: int, mb: int) -> list[Path]:
    """The corpus folder (made once), and the speeches the long document holds."""
    files = sorted(un_speeches().rglob("*.txt"))
    chosen, older = files[-docs:], files[:-docs]
    held = chosen[::2]
    marker = folder / f".built-{docs}-{mb}"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for f in chosen:
            target = folder / f.parent.name / f.name
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(f, target)
        limit = mb * 1_000_000
        size = 0
        with (folder / LONG_NAME).open("w", encoding="utf-8") as out:
            for f in [*held, *older, *chosen]:
                text = f.read_text(encoding="utf-8").strip() + "\n\n"
                n = len(text.encode("utf-8"))
                if size + n > limit:
                    break
                out.write(text)
                size += n
        marker.write_text("ok")
    return [folder / f.parent.name / f.name for f in held]


_QUERY_CHILD = """
import resource, statistics, sys, time
from docdiff.corpus.query import query
from docdiff.index import CorpusIndex
from docdiff.loaders import load
from docdiff.options import Options
docs = [load(p) for p in sys.argv[2:]]
times, words = [], []
with CorpusIndex.open(sys.argv[1], readonly=True) as idx:
    for doc in docs:
        t0 = time.perf_counter()
        r = query(idx, doc, Options())
        times.append(time.perf_counter() - t0)
        long = [p for p in r.pairs if p.b.endswith("long.txt")]
        words.append(sum(m.words for p in long for m in p.matches))
import docdiff
print(docdiff.__file__, file=sys.stderr)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
rest = statistics.median(times[1:]) if len(times) > 1 else float("nan")
print(f"{times[0]:.3f} {rest:.3f} {rss} {words[0]} {statistics.median(words):.0f}")
"""


def _child_row(label: str, run: Run) -> list[object]:
    if run.finished and run.returncode == 0:
        first, rest, rss, words, median = run.stdout.split()
        times = f"first {float(first) * 1000:.0f} ms, next p50 {float(rest) * 1000:.0f} ms"
        code = Path(run.stderr.strip().splitlines()[-1]).parent.parent
        found = f"peak {gib(int(rss))}; {words} words from the long one (median {median}); {code}"
        return [label, times, "", found, _load()]
    return [label, f"not done in {run.seconds:.0f} s", "",
            f"peak {gib(run.peak_tree_rss)}; {run.stderr.strip()[-120:]}", _load()]  # fmt: skip


def main() -> None:
    """Build the corpus and index, then time queries and a scan; print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--mb", type=int, default=40)
    parser.add_argument("--queries", type=int, default=9)
    parser.add_argument("--scan-timeout", type=float, default=900.0)
    parser.add_argument("--baseline", type=Path, help="an older checkout to run the query with")
    parser.add_argument("--no-scan", action="store_true")
    args = parser.parse_args()

    from docdiff.corpus.query import query
    from docdiff.index import CorpusIndex
    from docdiff.loaders import load
    from docdiff.options import Options

    root = CACHE / "long-document"
    folder = root / "corpus"
    held = build_corpus(folder, args.docs, args.mb)
    long_mb = (folder / LONG_NAME).stat().st_size / 1e6
    db = root / f"long-{args.docs}-{args.mb}.db"
    rows: list[list[object]] = []
    if not db.exists():
        run = run_measured(
            docdiff_cmd("index", "build", str(folder), "--db", str(db), "--no-progress"),
            cwd=NEUTRAL,
            timeout=7200,
        )
        if not run.finished or run.returncode != 0:
            sys.exit(f"index build failed: {run.stderr[-400:]}")
        rows.append(
            ["index build", f"{run.seconds:.0f} s", f"cpu {run.cpu_seconds:.0f} s",
             gib(run.peak_tree_rss), _load()]
        )  # fmt: skip
    else:
        rows.append(["index build", "(reused)", "", "", _load()])

    options = Options()
    picks = held[:: max(1, len(held) // args.queries)][: args.queries]
    docs = [load(p) for p in picks]
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    with CorpusIndex.open(db, readonly=True) as idx:
        long_id = next(d.id for d in idx.documents() if d.path.endswith(LONG_NAME))
        # The lexicon and the page cache are warmed by a query that leaves the long one out.
        query(idx, docs[-1], options, exclude_ids={long_id})
        times, plain, found = [], [], []
        for doc in docs:
            t0 = time.perf_counter()
            report = query(idx, doc, options)
            times.append(time.perf_counter() - t0)
            hit = [p for p in report.pairs if p.b == long_id]
            found.append(sum(m.words for p in hit for m in p.matches) if hit else 0)
            t0 = time.perf_counter()
            query(idx, doc, options, exclude_ids={long_id})
            plain.append(time.perf_counter() - t0)
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    rest = times[1:] or times
    rows.append(
        ["query touching it: first (reads it)", f"{times[0] * 1000:.0f} ms", "",
         f"peak {gib(rss1)} (+{gib(rss1 - rss0)})", _load()]
    )  # fmt: skip
    rows.append(
        [f"query touching it: next {len(rest)}",
         f"p50 {statistics.median(rest) * 1000:.0f} ms, max {max(rest) * 1000:.0f} ms", "",
         (f"found the long source in {sum(1 for f in found if f)}/{len(found)}, "
          f"median {statistics.median(found):.0f} words reused"), _load()]
    )  # fmt: skip
    rows.append(
        ["peer: same queries, long document left out",
         f"p50 {statistics.median(plain) * 1000:.0f} ms, max {max(plain) * 1000:.0f} ms", "", "",
         _load()]
    )  # fmt: skip
    if args.baseline:
        child = [sys.executable, "-c", _QUERY_CHILD, str(db), *map(str, picks[:4])]
        env = dict(os.environ, PYTHONPATH=str(args.baseline))
        base = run_measured(child, env=env, cwd=NEUTRAL, timeout=1200)
        rows.append(_child_row(f"baseline {args.baseline}: 4 queries, child process", base))
        mine = run_measured(child, cwd=NEUTRAL, timeout=1200)
        rows.append(_child_row("this code: the same 4 queries, child process", mine))

    if not args.no_scan:
        scans: list[tuple[str, Path | None]] = [("docdiff scan --db", None)]
        if args.baseline:
            scans.append((f"baseline {args.baseline}: scan --db", args.baseline))
        for label, code in scans:
            out = root / "scan.json"
            run = run_measured(
                docdiff_cmd("scan", "--db", str(db), "-f", "json", "-o", str(out), "--no-progress"),
                env=dict(os.environ, PYTHONPATH=str(code)) if code else None,
                cwd=NEUTRAL,
                timeout=args.scan_timeout,
            )
            state = "done" if run.finished and run.returncode in (0, 1) else "STOPPED"
            if run.finished and run.returncode not in (0, 1):
                state = f"failed: {run.stderr.strip()[-200:]}"
            rows.append(
                [f"{label} ({state})", f"{run.seconds:.0f} s", f"cpu {run.cpu_seconds:.0f} s",
                 f"peak {gib(run.peak_tree_rss)}", _load()]
            )  # fmt: skip

    print(
        f"long document: {long_mb:.1f} MB among {args.docs} speeches "
        f"({os.cpu_count()} CPUs; load average at each row)\n"
    )
    print(table(["step", "time", "cpu", "memory / result", "load"], rows))


if __name__ == "__main__":
    main()
