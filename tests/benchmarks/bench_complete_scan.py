"""Complete scans: time, memory and CPU per aligned pair, today's engine beside a baseline.

    python -m tests.benchmarks.bench_complete_scan [--baseline DIR] [--sizes 500,1000,2000,4802]
        [--jobs 2] [--per-pair] [--baseline-full]

* **Scaling**: the default (complete) scan of the UN General Debate index restricted to the most
  recent years (about 500, 1,000 and 2,000 speeches) and all 4,802 speeches: wall time, CPU, peak
  memory of the whole process tree (RSS summed, which counts the pages forked workers share with
  the parent once per process, and PSS summed, which counts them once; the 4 GB target is judged
  on PSS), the serial tail after the workers (`finish_scan`: ranking and clusters), candidate
  pairs aligned, clusters, and the pairs holding a phrasing or paraphrase passage of at least
  15 words.
* **Baseline**: the same scan run by another checkout of docdiff (``--baseline DIR``, a source
  folder put first on ``PYTHONPATH``; e.g. ``git archive c25bb9d | tar -x -C DIR``) with its own
  defaults: a checkout from before complete scans runs its budgeted scan (4,000 pairs), a later
  one (with `ScanOptions`) its complete scan. ``--baseline-full`` also runs an older checkout's
  complete scan (``max_pairs=None``), which takes about 40 minutes on the full corpus.
* **Per pair** (``--per-pair``): CPU time of every pair of the speeches of 2023-2024, aligned one
  by one in one process by both engines (each in its own scan order, each keeping documents
  across pairs): median and p99, with the pairs holding a passage of at least 15 words and the
  passages found (the same on both sides when the results are unchanged).

The index is built into $DOCDIFF_BENCH_CACHE (default /tmp/docdiff-bench) from ../shared/corpora
(unpacked into $DOCDIFF_CORPORA) when absent. The machine's load average is printed with the
figures: on a shared machine compare rows of one run, not runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from tests.benchmarks._common import CACHE, ROOT, table
from tests.benchmarks._corpus_data import corpus_dir, docdiff_cmd, gib, run_measured

# Most recent years first: the --where filter for each corpus size.
SIZES = {500: "year>=2022", 1000: "year>=2020", 2000: "year>=2014", 4802: None}
PER_PAIR_WHERE = "year>=2023"
TARGET_S = 300.0
TARGET_MEM = 4 * 2**30
HEADERS = [
    "docs", "engine", "aligned/candidates", "min_shared", "pairs with text", "pairs>=15w",
    "clusters", "wall s", "finish s", "cpu s", "cpu ms/pair", "peak RSS", "peak PSS",
    "load before / after", "<=300 s, <=4 GB PSS",
]  # fmt: skip


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def _index() -> Path:
    db = CACHE / "un.db"
    if db.exists():
        return db
    corpus = corpus_dir("un_general_debate_corpus")
    CACHE.mkdir(parents=True, exist_ok=True)
    args = ["index", "build", str(corpus / "txt"), "--db", str(db), "--meta",
            str(corpus / "metadata.csv"), "--no-progress"]  # fmt: skip
    run = run_measured(docdiff_cmd(*args))
    if run.returncode != 0:
        sys.exit(f"index build failed: {run.stderr}")
    return db


def _long(pair: Any) -> bool:
    """A pair holding a phrasing or paraphrase passage of at least 15 words."""
    return any(m.words >= 15 and m.kind.value in ("phrasing", "paraphrase") for m in pair.matches)


# --- children (run in a subprocess, possibly with the baseline first on PYTHONPATH) --------------


def _child_scan(db: str, where: str | None, jobs: int, complete: bool) -> None:
    from docdiff import options as options_module
    from docdiff.corpus.scan import scan
    from docdiff.index import CorpusIndex
    from docdiff.options import Options

    run: Any = scan
    args: list[Any] = [Options(min_words=4)]
    kwargs: dict[str, Any] = {"jobs": jobs}
    if hasattr(options_module, "ScanOptions"):
        args.append(options_module.ScanOptions(where=where))
    else:  # the baseline's keywords; its default is a budget of 4,000 pairs
        kwargs["where"] = where
        if complete:
            kwargs["max_pairs"] = None
    # The serial tail (ranking, clusters) runs in the parent after the workers: timed apart.
    from docdiff.corpus import scan as scan_module

    tail: list[float] = []
    finish = getattr(scan_module, "finish_scan", None)
    if finish is not None:

        def timed_finish(*a: Any, **k: Any) -> Any:
            f0 = time.perf_counter()
            try:
                return finish(*a, **k)
            finally:
                tail.append(time.perf_counter() - f0)

        scan_module.finish_scan = timed_finish
    with CorpusIndex.open(db, readonly=True) as index:
        t0 = time.perf_counter()
        report = run(index, *args, **kwargs)
        seconds = time.perf_counter() - t0
    s = report.settings
    print(
        json.dumps(
            {
                "seconds": seconds,
                "finish_s": sum(tail) if tail else None,
                "clusters": len(report.clusters),
                "documents": s.get("documents_scanned"),
                "aligned": s.get("candidate_pairs"),
                "found": s.get("candidates_found", "?"),
                "min_shared": s.get("min_shared"),
                "pairs_with_text": len(report.pairs),
                "pairs_15": sum(1 for p in report.pairs if _long(p)),
            }
        )
    )


def _child_per_pair(db: str) -> None:
    """CPU per pair, one process, in the engine's own scan order."""
    from docdiff import options as options_module
    from docdiff.corpus.scan import plan_scan
    from docdiff.index import CorpusIndex
    from docdiff.options import Options

    planner: Any = plan_scan
    with CorpusIndex.open(db, readonly=True) as index:
        if hasattr(options_module, "ScanOptions"):
            how = options_module.ScanOptions(where=PER_PAIR_WHERE)
            plan = planner(index, Options(min_words=4), how)
        else:  # the baseline's keywords
            plan = planner(index, Options(min_words=4), where=PER_PAIR_WHERE, max_pairs=None)
    pairs = plan.pairs
    times: list[float] = []
    results: list[Any] = []
    if hasattr(plan, "aligner"):
        from docdiff.corpus import scan as scan_module

        aligner = plan.aligner()
        if hasattr(scan_module, "band_order"):  # the scan's own order
            order = scan_module.band_order(pairs, aligner.recent * 3 // 4)
        else:
            order = scan_module.tile_order(pairs, aligner.recent // 2)
        ordered = [pairs[n] for n in order]
        for pair in ordered:
            c0 = time.process_time()
            results.extend(aligner.align([pair]))
            times.append(time.process_time() - c0)
    else:  # the baseline's API
        import importlib
        from collections import OrderedDict

        from docdiff.engine.prepare import load_lexicon

        baseline_scan = importlib.import_module("docdiff.corpus.scan")
        align_pairs: Any = baseline_scan.align_pairs  # the baseline's signature
        base_plan: Any = plan
        lexicon = load_lexicon(plan.options)
        cache: OrderedDict[int, Any] = OrderedDict()
        for pair in pairs:
            c0 = time.process_time()
            got = align_pairs(
                [pair], plan.document, base_plan.doc_freqs, plan.options, lexicon=lexicon,
                cache=cache, cache_size=512,
            )  # fmt: skip
            results.extend(got)
            times.append(time.process_time() - c0)
    times.sort()
    print(
        json.dumps(
            {
                "pairs": len(times),
                "pairs_15": sum(1 for r in results if _long(r)),
                "matches": sum(len(r.matches) for r in results),
                "median_ms": 1000 * statistics.median(times),
                "p99_ms": 1000 * times[min(len(times) - 1, int(0.99 * len(times)))],
                "total_s": sum(times),
            }
        )
    )


# --- parent ------------------------------------------------------------------------------------


def _run_child(args: list[str], baseline: Path | None) -> tuple[dict[str, Any], Any]:
    env = dict(os.environ)
    paths = [str(baseline), str(ROOT)] if baseline else [str(ROOT)]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    # Run by path: with the baseline first on the path, its `docdiff` is the one imported.
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    run = run_measured(cmd, env=env)
    if run.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{run.stderr[-2000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1]), run


def main() -> None:
    """Run the scans and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="source folder of the baseline docdiff")
    parser.add_argument("--sizes", default="500,1000,2000,4802")
    parser.add_argument(
        "--baseline-sizes", default="4802", help="sizes the baseline's budgeted scan runs on"
    )
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--per-pair", action="store_true")
    parser.add_argument("--baseline-full", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="scan", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--where", help=argparse.SUPPRESS)
    parser.add_argument("--complete", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.mode == "pairs":
            _child_per_pair(args.db)
        else:
            _child_scan(args.db, args.where or None, args.jobs, args.complete)
        return

    db = _index()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    base_sizes = [int(s) for s in args.baseline_sizes.split(",") if s]
    print(f"UN General Debate, {os.cpu_count()} CPUs; load average before: {_load()}", flush=True)
    rows: list[list[object]] = []
    for size in sorted(set(sizes) | (set(base_sizes) if args.baseline else set())):
        where = SIZES[size] or ""
        common = ["--db", str(db), "--where", where, "--jobs", str(args.jobs)]
        engines: list[tuple[str, Path | None, bool]] = []
        if size in sizes:
            engines.append(("this branch, complete", None, True))
        if args.baseline and size in base_sizes:
            engines.append(("baseline, its defaults", args.baseline, False))
            if args.baseline_full:
                engines.append(("baseline, complete", args.baseline, True))
        for label, base, complete in engines:
            load = _load()
            out, run = _run_child([*common, *(["--complete"] if complete else [])], base)
            ok = run.seconds <= TARGET_S and run.peak_tree_pss <= TARGET_MEM
            rows.append(
                [
                    out["documents"], label, f"{out['aligned']}/{out['found']}",
                    out["min_shared"], out["pairs_with_text"], out["pairs_15"],
                    out.get("clusters", "?"), f"{run.seconds:.0f}",
                    "?" if out.get("finish_s") is None else f"{out['finish_s']:.1f}",
                    f"{run.cpu_seconds:.0f}",
                    f"{1000 * run.cpu_seconds / max(1, out['aligned']):.1f}",
                    gib(run.peak_tree_rss), gib(run.peak_tree_pss), f"{load} / {_load()}",
                    ("ok" if ok else "MISSED") if complete and size == 4802 and not base else "",
                ]
            )  # fmt: skip
            print(table(HEADERS, rows[-1:]), flush=True)
    print(f"\nScan of the UN General Debate (min-words 4, jobs {args.jobs})\n")
    if rows:
        print(table(HEADERS, rows))
    if args.per_pair:
        pair_rows: list[list[object]] = []
        for label, base in (("this branch", None), ("baseline", args.baseline)):
            if label == "baseline" and base is None:
                continue
            load = _load()
            out, _ = _run_child(["--mode", "pairs", "--db", str(db)], base)
            pair_rows.append(
                [label, out["pairs"], out.get("pairs_15", "?"), out.get("matches", "?"),
                 f"{out['median_ms']:.1f}", f"{out['p99_ms']:.1f}",
                 f"{out['total_s']:.0f}", load]
            )  # fmt: skip
        print(f"\nCPU per aligned pair (speeches {PER_PAIR_WHERE}, one process)\n")
        heads = ["engine", "pairs", "pairs>=15w", "passages", "median ms", "p99 ms",
                 "total cpu s", "load"]  # fmt: skip
        print(table(heads, pair_rows))
    print(f"\nload average after: {_load()}")


if __name__ == "__main__":
    main()
