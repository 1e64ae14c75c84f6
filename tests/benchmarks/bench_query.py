"""Query latency on the UN index, in process: distinct documents, p50/p95, with peers.

    python -m tests.benchmarks.bench_query [--queries 30] [--db PATH] [--baseline DIR]
        [--baseline-db PATH]

Each query document is a different UN General Debate speech (every n-th file, the speech's own
indexed copy left out as the query's own file), queried once: a new document, as `docdiff query`
or the language server meets it. Then the first of them is queried again a few times: the
language server's case of the same document re-queried while it is edited.

Peers in the same run:

* SQLite FTS5 (bm25) over the same speeches, asked for the ten best matches of the document's
  distinct words: retrieval alone, no alignment (a floor for any tool on this machine);
* with ``--baseline DIR`` (an older checkout, e.g. ``git archive main | tar -x -C DIR``), the same
  queries run by that code in a child process, taking turns with this code (two rounds each):
  its latencies (wall and CPU), and whether each query's result (sources, scores, passages,
  echoes) is identical to this code's. When the two codes store different derived data
  (`docdiff.corpus.derived`: its fingerprint), give the baseline its own copy of the index,
  updated by its code (``--baseline-db``): on an index updated by the other code each would
  prepare every source from its text. The first lines say, per run, the index, its size, and
  how many of its documents have derived data from that run's code.

A first round runs on a cold page cache (the index's pages dropped from the operating
system's cache with ``posix_fadvise(DONTNEED)``: a language server's first queries after the
machine started; ``--no-cold`` skips it); the rounds after it find the pages the earlier ones
read, as a running server does. The cold round costs little at the median and more at p90
(after dropping every cache here: p50 113 ms cold against 109 warm, p90 213 against 159); the
CPU figures beside the wall ones show how fast the machine ran (on this host the same queries
took from 94 to 152 ms of CPU at p50 within one hour, idle each time).

The index is $DOCDIFF_BENCH_CACHE/un.db (built with ``docdiff index build`` when missing);
``--db`` and ``--docs`` name another index and the folder it was built from (held out: DFAT).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmarks._common import CACHE, table, un_speeches
from tests.benchmarks._corpus_data import docdiff_cmd, indexed_from, run_measured

_RUN = r"""
import json, sys, time
from docdiff.corpus.query import query
from docdiff.index import CorpusIndex
from docdiff.loaders import load
from docdiff.options import Options


def digest(report):
    out = []
    for p in report.pairs:
        s = p.summary
        out.append([
            p.b,
            [s.coverage_a, s.coverage_b, s.similarity, s.distinctive_similarity],
            [[m.kind.value, m.a.span.start, m.a.span.end, m.b.span.start, m.b.span.end,
              m.words, round(m.score, 6)] for m in p.matches],
            [[m.kind.value, m.a.span.start, m.a.span.end, m.b.span.start, m.b.span.end,
              m.words, round(m.score, 6)] for m in p.echoes],
        ])
    return out


def main(db, paths, repeats):
    options = Options()
    docs = [load(p) for p in paths]
    import docdiff
    out = {"times": [], "cpu": [], "repeat": [], "results": [], "code": docdiff.__file__}
    with CorpusIndex.open(db, readonly=True) as idx:
        from docdiff.corpus.derived import fingerprint
        out["derived"] = [len(idx), len(idx.stale_derived(fingerprint()))]
        query(idx, docs[-1], options, limit=1)  # the lexicon and the page cache
        for doc in docs:
            t0, c0 = time.perf_counter(), time.process_time()
            report = query(idx, doc, options)
            out["times"].append(time.perf_counter() - t0)
            out["cpu"].append(time.process_time() - c0)
            out["results"].append(digest(report))
        for _ in range(repeats):
            t0 = time.perf_counter()
            query(idx, docs[0], options)
            out["repeat"].append(time.perf_counter() - t0)
    return out


if __name__ == "__main__":
    args = json.loads(sys.argv[1])
    print(json.dumps(main(args["db"], args["paths"], args["repeats"])))
"""


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _run(code_dir: Path | None, db: Path, paths: list[Path], repeats: int) -> dict[str, Any]:
    """The queries run by the code in `code_dir` (this checkout when None), in a child."""
    env = dict(os.environ)
    if code_dir is not None:
        env["PYTHONPATH"] = str(code_dir)
    args = json.dumps({"db": str(db), "paths": [str(p) for p in paths], "repeats": repeats})
    # Run from a neutral folder: `python -c` puts the working folder first on sys.path, where
    # this checkout would shadow the baseline.
    proc = subprocess.run(
        [sys.executable, "-c", _RUN, args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=tempfile.gettempdir(),
    )
    if proc.returncode != 0:
        sys.exit(f"query run failed ({code_dir or 'this checkout'}): {proc.stderr[-600:]}")
    result: dict[str, Any] = json.loads(proc.stdout)
    wanted = Path(code_dir or Path(__file__).resolve().parents[2]).resolve()
    if not Path(result["code"]).resolve().is_relative_to(wanted):
        sys.exit(f"the child ran docdiff from {result['code']}, not from {wanted}")
    return result


_WORD = re.compile(r"[^\W\d_]{4,}")


def _latency_row(label: str, run: dict[str, Any]) -> list[object]:
    """A table row of one run's new-document queries: wall p50/p90/p95, CPU p50/p90, count."""
    times, cpu = run["times"], run["cpu"]
    return [label, _ms(times, 0.5), _ms(times, 0.9), _ms(times, 0.95), _ms(cpu, 0.5),
            _ms(cpu, 0.9), len(times), run["load"]]  # fmt: skip


def _evict(db: Path) -> None:
    """Drop the index's pages from the operating system's page cache (where it can)."""
    for path in (db, Path(f"{db}-wal")):
        if not path.exists() or not hasattr(os, "posix_fadvise"):
            continue
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def _derived_line(label: str, db: Path, derived: list[int]) -> str:
    """The index a run read, its size, and how many of its documents have derived data from
    the run's code (`derived`: documents, stale ones; the rest are prepared from their text
    by every query that meets them: slower, same results)."""
    total, stale = derived
    hint = "" if not stale else " (`docdiff index update` by that code stores the rest)"
    size = sum(p.stat().st_size for p in (db, Path(f"{db}-wal")) if p.exists())
    return (
        f"{label}: {db} ({size / 1e6:,.1f} MB); derived data from its code stored for "
        f"{total - stale} of {total} documents{hint}"
    )


def _fts(db: Path, files: list[Path]) -> sqlite3.Connection:
    """An FTS5 index of the speeches (built once beside the docdiff index)."""
    path = db.with_name(db.stem + "-fts5.db")
    fresh = not path.exists()
    conn = sqlite3.connect(path)
    if fresh:
        conn.execute("CREATE VIRTUAL TABLE speeches USING fts5(name UNINDEXED, body)")
        with conn:
            conn.executemany(
                "INSERT INTO speeches VALUES (?, ?)",
                ((f.name, f.read_text(encoding="utf-8")) for f in files),
            )
    return conn


def _fts_times(conn: sqlite3.Connection, paths: list[Path]) -> list[float]:
    times = []
    for p in paths:
        words = sorted(set(_WORD.findall(p.read_text(encoding="utf-8").lower())))
        expr = " OR ".join(f'"{w}"' for w in words)
        t0 = time.perf_counter()
        conn.execute(
            "SELECT name FROM speeches WHERE speeches MATCH ? ORDER BY bm25(speeches) LIMIT 11",
            (expr,),
        ).fetchall()
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    """Time the queries (and the peers) and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--db", type=Path, default=CACHE / "un.db")
    parser.add_argument("--baseline", type=Path, help="an older checkout to compare with")
    parser.add_argument(
        "--baseline-db",
        type=Path,
        help="the baseline's own copy of the index, updated by its code (`docdiff index "
        "update`), when its derived data differs from this code's (default: --db)",
    )
    parser.add_argument("--no-fts", action="store_true")
    parser.add_argument(
        "--no-cold", action="store_true", help="skip the round on a cold page cache"
    )
    parser.add_argument(
        "--docs", type=Path, help="the indexed folder to draw queries from (default: UN speeches)"
    )
    args = parser.parse_args()

    folder = args.docs or un_speeches()
    files = sorted(folder.rglob("*.txt"))
    indexed_from(args.db, folder)
    if not args.db.exists():
        args.db.parent.mkdir(parents=True, exist_ok=True)
        run = run_measured(docdiff_cmd("index", "build", str(folder), "--db",
                                       str(args.db), "--no-progress"))  # fmt: skip
        if run.returncode != 0:
            sys.exit(f"index build failed: {run.stderr[-400:]}")
    step = max(1, len(files) // args.queries)
    paths = files[step // 2 :: step][: args.queries]
    rows: list[list[object]] = []
    base_db = args.baseline_db or args.db

    # Baseline and this code take turns (two rounds each), so neither has the warmer page
    # cache or the quieter machine to itself; CPU seconds are steadier than wall under load.
    runs: dict[str, list[dict[str, Any]]] = {"mine": [], "base": []}
    if not args.no_cold:
        _evict(args.db)
        load = _load()
        cold = _run(None, args.db, paths, args.repeats) | {"load": load}
        rows.append(_latency_row("this code, cold page cache, new documents", cold))
    for _ in range(2 if args.baseline else 1):
        if args.baseline:
            load = _load()
            runs["base"].append(_run(args.baseline, base_db, paths, args.repeats) | {"load": load})
        load = _load()
        runs["mine"].append(_run(None, args.db, paths, args.repeats) | {"load": load})
    for key, label in (("mine", "this code"), ("base", f"baseline {args.baseline}")):
        for n, got in enumerate(runs[key], 1):
            rows.append(_latency_row(f"{label} (round {n}), new documents", got))
            again = got["repeat"]
            rows.append(["  the same document again (editing)", _ms(again, 0.5),
                         _ms(again, 0.9), _ms(again, 0.95), "", "", len(again),
                         got["load"]])  # fmt: skip
    mine = runs["mine"][-1]
    base = runs["base"][-1] if args.baseline else mine
    if not args.no_fts:
        conn = _fts(args.db, files)
        _fts_times(conn, paths[:1])
        load = _load()
        times = _fts_times(conn, paths)
        rows.append(["peer: SQLite FTS5 bm25 top 10 (retrieval only)", _ms(times, 0.5),
                     _ms(times, 0.9), _ms(times, 0.95), "", "", len(paths), load])  # fmt: skip

    print(f"query latency on {args.db} ({os.cpu_count()} CPUs; wall ms, in process)")
    print(_derived_line("this code", args.db, mine["derived"]))
    if args.baseline:
        print(_derived_line("baseline", base_db, base["derived"]))
    print()
    print(
        table(
            ["run", "p50 ms", "p90 ms", "p95 ms", "cpu p50 ms", "cpu p90 ms", "queries", "load"],
            rows,
        )
    )
    if args.baseline:
        same = sum(1 for x, y in zip(mine["results"], base["results"], strict=True) if x == y)
        top = sum(
            1
            for x, y in zip(mine["results"], base["results"], strict=True)
            if [p[0] for p in x[:3]] == [p[0] for p in y[:3]]
        )
        print(f"\nresults identical to the baseline's: {same}/{len(paths)} queries; "
              f"same three best sources: {top}/{len(paths)}")  # fmt: skip
        for path, x, y in zip(paths, mine["results"], base["results"], strict=True):
            if x != y:
                print(f"  differs: {path.name}: sources {[p[0] for p in x]} vs {[p[0] for p in y]}")
        print(differences(base["results"], mine["results"]))


def differences(before: list[Any], after: list[Any]) -> str:
    """Sources, passages and echoes of the baseline kept, lost, changed (same place, other kind,
    words or score) or new in this code's results, with the kinds lost: one small table."""
    counts = {
        part: dict.fromkeys(("kept", "lost", "changed", "new"), 0)
        for part in ("sources", "passages", "echoes")
    }
    lost_kinds: dict[str, int] = {}
    for x, y in zip(before, after, strict=True):
        old = {p[0]: p for p in x}
        new = {p[0]: p for p in y}
        counts["sources"]["kept"] += len(old.keys() & new.keys())
        counts["sources"]["lost"] += len(old.keys() - new.keys())
        counts["sources"]["new"] += len(new.keys() - old.keys())
        for source in old.keys() | new.keys():
            for part, column in (("passages", 2), ("echoes", 3)):
                a = {tuple(m[1:5]): m for m in (old[source][column] if source in old else [])}
                b = {tuple(m[1:5]): m for m in (new[source][column] if source in new else [])}
                same = a.keys() & b.keys()
                changed = sum(1 for at in same if a[at] != b[at])
                counts[part]["kept"] += len(same) - changed
                counts[part]["changed"] += changed
                counts[part]["lost"] += len(a.keys() - b.keys())
                counts[part]["new"] += len(b.keys() - a.keys())
                if part == "passages":
                    for at in a.keys() - b.keys():
                        lost_kinds[a[at][0]] = lost_kinds.get(a[at][0], 0) + 1
    rows = [[part, *c.values()] for part, c in counts.items()]
    lost = ", ".join(f"{k} {n}" for k, n in sorted(lost_kinds.items())) or "none"
    return (
        "\nagainst the baseline (a passage or echo is the same place in both documents):\n"
        + table(["", "kept", "lost", "changed", "new"], rows)
        + f"\npassages lost, by kind: {lost}"
    )


if __name__ == "__main__":
    main()
