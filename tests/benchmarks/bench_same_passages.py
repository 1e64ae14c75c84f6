"""Held-out check: this branch's scan finds the same passages as a baseline checkout, and faster.

    python -m tests.benchmarks.bench_same_passages --baseline DIR [--corpus dfat] [--docs 400]

Both engines scan the same documents (the first `--docs` files of a corpus from
../shared/corpora, unpacked into $DOCDIFF_CORPORA) with every candidate pair aligned
(``max_pairs=None``), one process each, side by side in one run. Every pair's matches (spans,
kinds, words, scores), its echoes and the clusters must be equal; the CPU time of each scan is
printed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from tests.benchmarks._common import ROOT, table
from tests.benchmarks._corpus_data import corpus_dir, run_measured

CORPORA = {"dfat": "dfat_historical_documents", "un": "un_general_debate_corpus"}


def _child(folder: str, docs: int, out: str) -> None:
    from docdiff.corpus.scan import scan
    from docdiff.loaders import load
    from docdiff.options import Options

    files = sorted(Path(folder).rglob("*.txt"))[:docs]
    documents = [load(f, doc_id=str(f.relative_to(folder))) for f in files]
    c0 = time.process_time()
    report = scan(documents, Options(min_words=4), jobs=1)
    cpu = time.process_time() - c0
    pairs = [
        {
            "a": p.a,
            "b": p.b,
            "summary": [p.summary.similarity, p.summary.distinctive_similarity],
            "matches": [
                [m.a.span.start, m.a.span.end, m.b.span.start, m.b.span.end, m.kind.value,
                 m.words, m.score]
                for m in p.matches
            ],
            "echoes": [
                [m.a.span.start, m.a.span.end, m.b.span.start, m.b.span.end, m.kind.value,
                 m.words, m.score, m.distinctiveness]
                for m in p.echoes
            ],
        }
        for p in report.pairs
    ]  # fmt: skip
    clusters = [
        sorted((m.doc, m.span.start, m.span.end) for m in c.members) for c in report.clusters
    ]
    Path(out).write_text(json.dumps({"pairs": pairs, "clusters": clusters}), encoding="utf-8")
    print(json.dumps({"cpu": cpu, "aligned": report.settings.get("candidate_pairs")}))


def main() -> None:
    """Scan with both engines and compare."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="source folder of the baseline docdiff")
    parser.add_argument("--corpus", default="dfat", choices=sorted(CORPORA))
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], int(args.child[1]), args.child[2])
        return
    if args.baseline is None:
        parser.error("--baseline DIR is required")
    folder = corpus_dir(CORPORA[args.corpus]) / "txt"
    rows: list[list[object]] = []
    results: dict[str, Any] = {}
    for label, base in (("this branch", None), ("baseline", args.baseline)):
        out = (
            Path(os.environ.get("TMPDIR", "/tmp")) / f"same_passages_{label.replace(' ', '_')}.json"
        )
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(base), str(ROOT)] if base else [str(ROOT)])
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(folder),
               str(args.docs), str(out)]  # fmt: skip
        run = run_measured(cmd, env=env)
        if run.returncode != 0:
            sys.exit(f"{label} failed:\n{run.stderr[-2000:]}")
        info = json.loads(run.stdout.strip().splitlines()[-1])
        results[label] = json.loads(out.read_text(encoding="utf-8"))
        n_matches = sum(len(p["matches"]) for p in results[label]["pairs"])
        rows.append([label, info["aligned"], len(results[label]["pairs"]), n_matches,
                     f"{info['cpu']:.1f}", load])  # fmt: skip
    print(
        f"{args.corpus}: first {args.docs} documents, every candidate pair aligned, one process\n"
    )
    print(
        table(["engine", "pairs aligned", "pairs with text", "matches", "scan cpu s", "load"], rows)
    )
    same_pairs = results["this branch"]["pairs"] == results["baseline"]["pairs"]
    same_clusters = results["this branch"]["clusters"] == results["baseline"]["clusters"]
    print(f"\nsame pairs and passages: {same_pairs}; same clusters: {same_clusters}")
    if not same_pairs:
        mine = {(p["a"], p["b"]): p for p in results["this branch"]["pairs"]}
        theirs = {(p["a"], p["b"]): p for p in results["baseline"]["pairs"]}
        differ = [k for k in mine.keys() | theirs.keys() if mine.get(k) != theirs.get(k)]
        print(f"{len(differ)} pairs differ, e.g. {sorted(differ)[:3]}")


if __name__ == "__main__":
    main()
