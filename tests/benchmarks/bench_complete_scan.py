"""Complete scans: time, memory and CPU per aligned pair, today's engine beside a baseline.

    python -m tests.benchmarks.bench_complete_scan [--baseline DIR] [--baseline-db PATH]
        [--sizes 500,1000,2000,4802] [--jobs 2] [--per-pair] [--baseline-full] [--estimate]

* **Scaling**: the default (complete) scan of the UN General Debate index restricted to the most
  recent years (about 500, 1,000 and 2,000 speeches) and all 4,802 speeches: wall time, CPU, peak
  memory of the whole process tree (RSS summed, which counts the pages forked workers share with
  the parent once per process, and PSS summed, which counts them once; the 4 GB target is judged
  on PSS), the serial tail after the workers (`finish_scan`: ranking and clusters), the report
  written as JSON as ``docdiff scan -o scan.json`` writes it (its time; the run's time and memory
  include it), candidate
  pairs aligned, clusters, and the pairs holding a phrasing or paraphrase passage of at least
  15 words.
* **Baseline**: the same scan run by another checkout of docdiff (``--baseline DIR``, a source
  folder put first on ``PYTHONPATH``; e.g. ``git archive c25bb9d | tar -x -C DIR``) with its own
  defaults: a checkout from before complete scans runs its budgeted scan (4,000 pairs), a later
  one (with `ScanOptions`) its complete scan. ``--baseline-full`` also runs an older checkout's
  complete scan (``max_pairs=None``), which takes about 40 minutes on the full corpus.
  When the two codes store different derived data (`docdiff.corpus.derived`: its fingerprint),
  give the baseline its own copy of the index (``--baseline-db``, updated by its code before
  it runs): on the index this code has just updated it would prepare every document from its
  text. Reading stored blobs costs memory and saves time (at 369f8ce, on all speeches: 162 s
  and 2.42 GiB PSS with its own blobs, 174 s and 2.17 GiB on blobs made by other code).
* **Per pair** (``--per-pair``): CPU time of every pair of the speeches of 2023-2024, aligned one
  by one in one process by this branch (through windows, and whole) and the baseline (each in
  its own scan order, each keeping documents across pairs): median and p99, with the pairs
  holding a passage of at least 15 words and the passages found. Then the windowed passages
  against the whole ones, pair by pair, on those speeches (where the windows were tuned) and
  on the speeches of 2008-2009 (held out): passages kept exactly, changed, lost and new.
* **Estimate** (``--estimate``): the complete scan of all 4,802 speeches planned in full, and
  stretches of its pair order aligned in one process: CPU per pair and the alignment's CPU
  extrapolated (for a machine too busy to run the complete scan itself).

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
from tests.benchmarks._corpus_data import (
    corpus_dir,
    docdiff_cmd,
    gib,
    indexed_from,
    run_measured,
)

# Most recent years first: the --where filter for each corpus size.
SIZES = {500: "year>=2022", 1000: "year>=2020", 2000: "year>=2014", 4802: None}
PER_PAIR_WHERE = "year>=2023"
HELD_OUT_WHERE = "year>=2008 and year<=2009"
"""Pairs the window margins were not tuned on (`docdiff.engine.windows`)."""
TARGET_S = 300.0
TARGET_MEM = 4 * 2**30
HEADERS = [
    "docs", "engine", "aligned/candidates", "min_shared", "pairs with text", "pairs>=15w",
    "clusters", "wall s", "finish s", "JSON s", "cpu s", "cpu ms/pair", "peak RSS", "peak PSS",
    "load before / after", "<=300 s, <=4 GB PSS",
]  # fmt: skip


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def _index(db: Path | None = None, code: Path | None = None) -> Path:
    """The UN index (`db`, by default the cache's), built when missing; an existing one is
    updated, which stores the derived data the code that will read it (this checkout, or the
    baseline `code`) reads (`docdiff.corpus.derived`) where it is missing or was made by other
    code, as a user's ``docdiff index update`` does."""
    db = db or CACHE / "un.db"
    corpus = corpus_dir("un_general_debate_corpus")
    db.parent.mkdir(parents=True, exist_ok=True)
    indexed_from(db, corpus / "txt")
    verb = "update" if db.exists() else "build"
    args = ["index", verb, str(corpus / "txt"), "--db", str(db), "--meta",
            str(corpus / "metadata.csv"), "--no-progress"]  # fmt: skip
    env = None
    if code is not None:  # the baseline's docdiff first on the path, run from a neutral folder
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(code), str(ROOT)]))
    run = run_measured(docdiff_cmd(*args), env=env, cwd=db.parent if code else None)
    if run.returncode != 0:
        sys.exit(f"index {verb} failed: {run.stderr}")
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
    # Written as `docdiff scan -o scan.json` writes it: a complete scan's JSON is hundreds of
    # megabytes, and its writing is part of the run's time and memory.
    import tempfile

    from docdiff.cli._output import write_result
    from docdiff.render.formats import render

    w0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        write_result(render("report", report, "json"), Path(tmp) / "scan.json")
    json_s = time.perf_counter() - w0
    s = report.settings
    print(
        json.dumps(
            {
                "seconds": seconds,
                "finish_s": sum(tail) if tail else None,
                "json_s": json_s,
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


def _child_estimate(db: str, stretches: int, stretch: int, windowed: bool) -> None:
    """The complete scan of the whole corpus, estimated: the plan (candidates, corpus
    frequencies, documents) in full, then `stretches` stretches of `stretch` pairs spread
    evenly over the scan's own order. A stretch's documents are made ready first (timed
    apart: a real scan makes each ready once per eviction from its recent documents, a count
    this simulates over the whole order), then its pairs are aligned (timed one by one)."""
    from collections import OrderedDict

    from docdiff.corpus.scan import band_order, plan_scan
    from docdiff.index import CorpusIndex
    from docdiff.options import Options, ScanOptions

    c0 = time.process_time()
    with CorpusIndex.open(db, readonly=True) as index:
        plan = plan_scan(index, Options(min_words=4), ScanOptions())
    plan_cpu = time.process_time() - c0
    pairs = plan.pairs
    aligner = plan.aligner(windowed=windowed)
    order = band_order(pairs, aligner.recent * 3 // 4)
    # How many times the scan makes a document ready (one process; two split the order).
    recent: OrderedDict[int, None] = OrderedDict()
    readied = 0
    for n in order:
        for d in pairs[n]:
            if d in recent:
                recent.move_to_end(d)
                continue
            readied += 1
            recent[d] = None
            if len(recent) > aligner.recent:
                recent.popitem(last=False)
    step = max(stretch, len(order) // max(1, stretches))
    times: list[float] = []
    ready_times: list[float] = []
    kept = 0
    long_pairs = 0
    for start in range(0, len(order), step)[:stretches]:
        chunk = [pairs[n] for n in order[start : start + stretch]]
        for d in dict.fromkeys(x for pair in chunk for x in pair):
            c0 = time.process_time()
            p, _, _ = aligner.ready(d)
            p.unit_index(aligner.lexicon)  # what the first comparison derives of it
            ready_times.append(time.process_time() - c0)
        for pair in chunk:
            c0 = time.process_time()
            got = aligner.align([pair])
            times.append(time.process_time() - c0)
            kept += bool(got[0].matches)
            long_pairs += _long(got[0])
    mean = sum(times) / max(1, len(times))
    ready_mean = sum(ready_times) / max(1, len(ready_times))
    out = {"pairs": len(pairs), "sampled": len(times), "plan_cpu_s": plan_cpu,
           "mean_ms": 1000 * mean, **_cpu(times), "with_text": kept, "pairs_15": long_pairs,
           "readied": readied, "ready_ms": 1000 * ready_mean,
           "align_cpu_s_estimate": mean * len(pairs) + ready_mean * readied}  # fmt: skip
    print(json.dumps(out))


def _passages(result: Any) -> dict[tuple[int, int, int, int, str], Any]:
    return {
        (m.a.span.start, m.a.span.end, m.b.span.start, m.b.span.end, m.kind.value): m
        for m in result.matches
    }


def _overlaps(x: tuple[int, int, int, int, str], y: tuple[int, int, int, int, str]) -> bool:
    return x[0] < y[1] and y[0] < x[1] and x[2] < y[3] and y[2] < x[3]


def _child_per_pair(db: str, where: str, whole_too: bool) -> None:
    """CPU per pair, one process, in the engine's own scan order; with `whole_too` this
    branch's whole-document comparison of every pair too, and how its passages compare
    with the windowed ones (kept, changed, lost, new)."""
    from docdiff import options as options_module
    from docdiff.corpus.scan import plan_scan
    from docdiff.index import CorpusIndex
    from docdiff.options import Options

    planner: Any = plan_scan
    with CorpusIndex.open(db, readonly=True) as index:
        if hasattr(options_module, "ScanOptions"):
            how = options_module.ScanOptions(where=where)
            plan = planner(index, Options(min_words=4), how)
        else:  # the baseline's keywords
            plan = planner(index, Options(min_words=4), where=where, max_pairs=None)
    pairs = plan.pairs
    times: list[float] = []
    whole_times: list[float] = []
    results: list[Any] = []
    quality = {"kept": 0, "changed": 0, "lost": 0, "new": 0, "lost_15": 0, "pairs_15_whole": 0}
    lost_kinds: dict[str, int] = {}
    if hasattr(plan, "aligner"):
        from docdiff.corpus import scan as scan_module

        # With `whole_too` (this branch only) the windowed aligner beside the whole one.
        aligner = plan.aligner(windowed=True) if whole_too else plan.aligner()
        whole_aligner = plan.aligner(windowed=False) if whole_too else None
        if hasattr(scan_module, "band_order"):  # the scan's own order
            order = scan_module.band_order(pairs, aligner.recent * 3 // 4)
        else:
            order = scan_module.tile_order(pairs, aligner.recent // 2)
        ordered = [pairs[n] for n in order]
        for pair in ordered:
            c0 = time.process_time()
            got = aligner.align([pair])
            times.append(time.process_time() - c0)
            results.extend(got)
            if whole_aligner is None:
                continue
            c0 = time.process_time()
            whole = whole_aligner.align([pair])[0]
            whole_times.append(time.process_time() - c0)
            _tally(_passages(whole), _passages(got[0]), quality, lost_kinds)
            quality["pairs_15_whole"] += _long(whole)
            quality["lost_15"] += _long(whole) and not _long(got[0])
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
    out: dict[str, Any] = {"pairs": len(times), **_cpu(times)}
    out["pairs_15"] = sum(1 for r in results if _long(r))
    out["matches"] = sum(len(r.matches) for r in results)
    if whole_times:
        out["whole"] = _cpu(whole_times)
        out["quality"] = {**quality, "lost_kinds": lost_kinds}
    print(json.dumps(out))


def _cpu(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median_ms": 1000 * statistics.median(ordered) if ordered else 0.0,
        "p99_ms": 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
        if ordered
        else 0.0,
        "total_s": sum(ordered),
    }


def _tally(
    whole: dict[tuple[int, int, int, int, str], Any],
    windowed: dict[tuple[int, int, int, int, str], Any],
    quality: dict[str, int],
    lost_kinds: dict[str, int],
) -> None:
    """Count the whole comparison's passages the windowed one kept exactly, changed (another
    passage overlapping it on both sides) or lost, and the windowed one's new passages."""
    for key, m in whole.items():
        if key in windowed:
            quality["kept"] += 1
        elif any(_overlaps(key, other) for other in windowed):
            quality["changed"] += 1
        else:
            quality["lost"] += 1
            if m.words >= 15:
                lost_kinds[m.kind.value] = lost_kinds.get(m.kind.value, 0) + 1
    quality["new"] += sum(
        1 for key in windowed if key not in whole and not any(_overlaps(key, o) for o in whole)
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
    parser.add_argument(
        "--baseline-db",
        type=Path,
        help="the baseline's own copy of the index, updated by its code before it runs (a "
        "copy of the cache's un.db will do), when its derived data differs from this code's "
        "(default: the same index)",
    )
    parser.add_argument(
        "--estimate", action="store_true", help="estimate the complete scan from stretches"
    )
    parser.add_argument("--stretches", type=int, default=8)
    parser.add_argument("--stretch", type=int, default=500)
    parser.add_argument(
        "--windowed", action="store_true", help="estimate with the windowed aligner"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="scan", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--where", help=argparse.SUPPRESS)
    parser.add_argument("--complete", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--whole-too", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.mode == "estimate":
            _child_estimate(args.db, args.stretches, args.stretch, args.windowed)
        elif args.mode == "pairs":
            _child_per_pair(args.db, args.where, args.whole_too)
        else:
            _child_scan(args.db, args.where or None, args.jobs, args.complete)
        return

    db = _index()
    # The baseline reads its own copy of the index, updated by its code: on this code's, a
    # baseline whose derived data differs (another fingerprint) would prepare every document
    # from its text, slower and with less memory than it runs with its own.
    base_db = _index(args.baseline_db, args.baseline) if args.baseline_db else db
    if args.baseline:
        print(f"baseline reads {base_db}", flush=True)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    base_sizes = [int(s) for s in args.baseline_sizes.split(",") if s]
    print(f"UN General Debate, {os.cpu_count()} CPUs; load average before: {_load()}", flush=True)
    rows: list[list[object]] = []
    for size in sorted(set(sizes) | (set(base_sizes) if args.baseline else set())):
        where = SIZES[size] or ""
        engines: list[tuple[str, Path | None, bool]] = []
        if size in sizes:
            engines.append(("this branch, complete", None, True))
        if args.baseline and size in base_sizes:
            engines.append(("baseline, its defaults", args.baseline, False))
            if args.baseline_full:
                engines.append(("baseline, complete", args.baseline, True))
        for label, base, complete in engines:
            load = _load()
            common = ["--db", str(base_db if base else db), "--where", where,
                      "--jobs", str(args.jobs)]  # fmt: skip
            out, run = _run_child([*common, *(["--complete"] if complete else [])], base)
            ok = run.seconds <= TARGET_S and run.peak_tree_pss <= TARGET_MEM
            rows.append(
                [
                    out["documents"], label, f"{out['aligned']}/{out['found']}",
                    out["min_shared"], out["pairs_with_text"], out["pairs_15"],
                    out.get("clusters", "?"), f"{run.seconds:.0f}",
                    "?" if out.get("finish_s") is None else f"{out['finish_s']:.1f}",
                    f"{out['json_s']:.1f}", f"{run.cpu_seconds:.0f}",
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
        _per_pair_tables(db, args.baseline, base_db)
    if args.estimate:
        load = _load()
        window = ["--windowed"] if args.windowed else []
        args_ = ["--mode", "estimate", "--db", str(db), "--stretches", str(args.stretches),
                 "--stretch", str(args.stretch), *window]  # fmt: skip
        out, run = _run_child(args_, None)
        print("\nComplete scan of all speeches, estimated from stretches of its pair order\n")
        heads = ["pairs", "sampled", "plan cpu s", "mean ms", "median ms", "p99 ms",
                 "sampled with text", "sampled >=15w", "documents made ready",
                 "ms each", "alignment cpu s (estimate)",
                 "wall s on 2 idle cores (estimate)", "peak PSS (one process)", "load"]  # fmt: skip
        total = out["plan_cpu_s"] + out["align_cpu_s_estimate"] / 2
        row = [out["pairs"], out["sampled"], f"{out['plan_cpu_s']:.0f}",
               f"{out['mean_ms']:.1f}", f"{out['median_ms']:.1f}", f"{out['p99_ms']:.1f}",
               out["with_text"], out["pairs_15"], out["readied"], f"{out['ready_ms']:.1f}",
               f"{out['align_cpu_s_estimate']:.0f}",
               f"{total:.0f}", gib(run.peak_tree_pss), f"{load} / {_load()}"]  # fmt: skip
        print(table(heads, [row]))
    print(f"\nload average after: {_load()}")


def _per_pair_tables(db: Path, baseline: Path | None, base_db: Path) -> None:
    """CPU per pair (this branch windowed and whole, the baseline on `base_db`), and the
    windowed passages against the whole ones on the tuning sample and on the held-out one."""
    pair_rows: list[list[object]] = []
    quality_rows: list[list[object]] = []
    for where, sample in ((PER_PAIR_WHERE, "tuned on"), (HELD_OUT_WHERE, "held out")):
        load = _load()
        args = ["--mode", "pairs", "--db", str(db), "--where", where, "--whole-too"]
        out, _ = _run_child(args, None)
        whole = out["whole"]
        q = out["quality"]
        pair_rows.append(
            [where, "this branch, windows", out["pairs"], out["pairs_15"], out["matches"],
             f"{out['median_ms']:.1f}", f"{out['p99_ms']:.1f}", f"{out['total_s']:.0f}", load]
        )  # fmt: skip
        pair_rows.append(
            [where, "this branch, whole", out["pairs"], q["pairs_15_whole"], "",
             f"{whole['median_ms']:.1f}", f"{whole['p99_ms']:.1f}", f"{whole['total_s']:.0f}",
             load]
        )  # fmt: skip
        lost = ", ".join(f"{k} {v}" for k, v in sorted(q["lost_kinds"].items())) or "none"
        quality_rows.append(
            [where, sample, out["pairs"], q["pairs_15_whole"], out["pairs_15"], q["lost_15"],
             q["kept"], q["changed"], q["lost"], q["new"], lost]
        )  # fmt: skip
        if baseline is not None and where == PER_PAIR_WHERE:
            load = _load()
            args = ["--mode", "pairs", "--db", str(base_db), "--where", where]
            base, _ = _run_child(args, baseline)
            pair_rows.append(
                [where, "baseline", base["pairs"], base.get("pairs_15", "?"),
                 base.get("matches", "?"), f"{base['median_ms']:.1f}", f"{base['p99_ms']:.1f}",
                 f"{base['total_s']:.0f}", load]
            )  # fmt: skip
    print("\nCPU per aligned pair (one process, each engine in its scan order)\n")
    heads = ["speeches", "engine", "pairs", "pairs>=15w", "passages", "median ms", "p99 ms",
             "total cpu s", "load"]  # fmt: skip
    print(table(heads, pair_rows))
    print("\nWindows against whole documents (passages: phrasing/paraphrase >= 15 words kept?)\n")
    heads = ["speeches", "sample", "pairs", "pairs>=15w whole", "pairs>=15w windows",
             "pairs>=15w lost", "passages kept", "changed", "lost", "new",
             "lost >=15w by kind"]  # fmt: skip
    print(table(heads, quality_rows))


if __name__ == "__main__":
    main()
