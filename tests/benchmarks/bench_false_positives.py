"""False reuse between documents that share nothing but their genre and their year.

Pairs of unrelated DFAT documents of the same year (different volumes' documents are not
copies of one another; pairs whose 3-gram containment exceeds 20 % are skipped as possible
drafts of one text), and the Clough-Stevenson "non" answers against their task's source
(written without looking at it). For each, the number of `phrasing` and `paraphrase` passages
per pair (and of echoes) with docdiff's default settings, and the paraphrase scores seen, so
that the paraphrase threshold can be calibrated on them. With ``--before DIR``, the same
figures from another docdiff checkout (``DIR/docdiff``) are printed beside them, in a child
process, for a before/after comparison.

Run from the repository root:
``python -m tests.benchmarks.bench_false_positives [--pairs 200] [--before DIR]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from tests.benchmarks._common import ROOT, ngram_containment, shared_path, table


def dfat_pairs(n: int, seed: int) -> list[tuple[Path, Path]]:
    """`n` pairs of DFAT documents of one year, from different volumes, not near-copies."""
    from tests.benchmarks._corpus_data import corpus_dir

    folder = corpus_dir("dfat_historical_documents")
    by_year: dict[str, list[tuple[str, Path]]] = defaultdict(list)
    with (folder / "metadata.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            words = int(row.get("n_words") or 0)
            if row["doc_date"][:4] and 150 <= words <= 4000:
                by_year[row["doc_date"][:4]].append((row["volume"], folder / row["path"]))
    rng = random.Random(seed)
    years = sorted(y for y, docs in by_year.items() if len(docs) >= 20)
    pairs: list[tuple[Path, Path]] = []
    while len(pairs) < n:
        docs = by_year[rng.choice(years)]
        (va, pa), (vb, pb) = rng.sample(docs, 2)
        if va == vb:
            continue
        ta, tb = pa.read_text(encoding="utf-8"), pb.read_text(encoding="utf-8")
        if max(ngram_containment(ta, tb), ngram_containment(tb, ta)) > 20.0:
            continue
        pairs.append((pa, pb))
    return pairs


def clough_non() -> list[tuple[Path, Path]]:
    """Every Clough-Stevenson "non" answer with its task's source."""
    root = shared_path("corpora", "clough-stevenson")
    with (root / "labels.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["category"] == "non"]
    return [(root / "txt" / r["file"], root / "txt" / r["source_file"]) for r in rows]


def measure(pairs: list[tuple[str, str]]) -> dict[str, object]:
    """Per-pair counts of phrasing and paraphrase passages and echoes, and paraphrase scores."""
    from docdiff.engine.compare import compare
    from docdiff.loaders import load

    counts = {"phrasing": 0, "paraphrase": 0, "echoes": 0, "name": 0, "formula": 0}
    scores: list[float] = []
    examples: list[str] = []
    for pa, pb in pairs:
        a, b = load(pa), load(pb)
        pair = compare(a, b).pairs[0]
        for m in pair.matches:
            counts[m.kind.value] = counts.get(m.kind.value, 0) + 1
            if m.kind.value == "paraphrase":
                scores.append(m.score)
            if m.kind.value in ("phrasing", "paraphrase") and len(examples) < 12:
                examples.append(
                    f"{m.kind.value} {m.score:.0f}: {' '.join(a.slice(m.a.span).split())[:70]!r}"
                    f" | {' '.join(b.slice(m.b.span).split())[:70]!r}"
                )
        counts["echoes"] += len(getattr(pair, "echoes", ()))
    return {"pairs": len(pairs), "counts": counts, "scores": scores, "examples": examples}


def main() -> None:
    """Measure both sets with this checkout (and with `--before`), print them side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--before", type=Path, help="another checkout to compare with")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sets = {
        "dfat same-year": [(str(a), str(b)) for a, b in dfat_pairs(args.pairs, args.seed)],
        "clough non": [(str(a), str(b)) for a, b in clough_non()],
    }
    if args.child:
        # Import docdiff from the other checkout, not from this editable install.
        sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
        sys.path.insert(0, args.child)
        print(json.dumps({name: measure(pairs) for name, pairs in sets.items()}))
        return
    results = {"this checkout": {name: measure(pairs) for name, pairs in sets.items()}}
    if args.before:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        out = subprocess.run(
            [sys.executable, "-m", "tests.benchmarks.bench_false_positives",
             "--pairs", str(args.pairs), "--seed", str(args.seed), "--child", str(args.before)],
            capture_output=True, text=True, env=env, check=True, cwd=ROOT,
        )  # fmt: skip
        results[f"before ({args.before})"] = json.loads(out.stdout)
    rows = []
    for who, by_set in results.items():
        for name, r in by_set.items():
            n = int(r["pairs"])  # type: ignore[call-overload]
            c: dict[str, int] = r["counts"]  # type: ignore[assignment]
            s: list[float] = r["scores"]  # type: ignore[assignment]
            rows.append(
                [
                    who,
                    name,
                    n,
                    c.get("phrasing", 0) / n,
                    c.get("paraphrase", 0) / n,
                    (c.get("phrasing", 0) + c.get("paraphrase", 0)) / n,
                    c.get("echoes", 0) / n,
                    statistics.median(s) if s else float("nan"),
                ]
            )
    headers = ["docdiff", "set", "pairs", "phrasing/pair", "paraphrase/pair", "both/pair"]
    print(table([*headers, "echoes/pair", "median paraphrase score"], rows, digits=4))
    for who, by_set in results.items():
        for name, r in by_set.items():
            print(f"\n{who}, {name}: first phrasing/paraphrase passages")
            for line in r["examples"]:  # type: ignore[attr-defined]
                print("  " + line)


if __name__ == "__main__":
    main()
