"""The serial tail of a scan: clusters built from many pairs, today's construction beside the
quadratic one it replaced, on scan-like synthetic results of growing size.

    python -m tests.benchmarks.bench_cluster_scaling [--pairs 2000,5000,10000,20000,50000]
        [--reference-up-to 20000]

Each document opens with a courtesy formula and holds a few passages it shares with documents
of its "session" (neighbouring numbers), as UN speeches do; every pair aligns the formula and
some of the passages, with the small offset shifts real alignments have, so one span comes back
from many pairs and long chains of overlapping passages form. Times are CPU seconds in this
process; the reference (`tests.test_cluster_fast._reference`) runs only up to
``--reference-up-to`` pairs, and both must give the same clusters where both run.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from typing import Any

from tests.benchmarks._common import table


def _results(n_pairs: int, seed: int = 1) -> tuple[list[Any], dict[str, Any]]:
    from docdiff.model import Document, Kind, Match, PairResult, PairSummary, Passage, Span

    rng = random.Random(seed)
    # Pairs grow about as documents squared; a document pairs within its session (±40).
    n_docs = max(20, int((n_pairs * 16) ** 0.5), n_pairs // 15)
    length = 20_000
    docs = {
        f"d{i:05}": Document(
            id=f"d{i:05}", path="", format="txt", text="x" * length,
            meta={"date": f"{1970 + i * 50 // n_docs}-09-{1 + i % 28:02}"},
        )
        for i in range(n_docs)
    }  # fmt: skip
    ids = sorted(docs)
    opening = {d: rng.randint(0, 40) for d in ids}
    passages = {d: sorted(rng.sample(range(200, length - 400, 150), 6)) for d in ids}
    summary = PairSummary(0.0, 0.0, 0.0, 0.0)
    pairs: list[Any] = []
    seen: set[tuple[int, int]] = set()
    while len(pairs) < n_pairs:
        i = rng.randrange(n_docs)
        j = min(n_docs - 1, max(0, i + rng.randint(-40, 40)))
        if i == j or (min(i, j), max(i, j)) in seen:
            continue
        seen.add((min(i, j), max(i, j)))
        a, b = ids[min(i, j)], ids[max(i, j)]

        def span(doc: str, start: int, size: int) -> Span:
            shift = rng.choice((0, 0, 0, rng.randint(-6, 6)))
            return Span(max(0, start + shift), start + size + rng.choice((0, 0, rng.randint(0, 8))))

        matches = [
            Match(Passage(a, span(a, opening[a], 90)), Passage(b, span(b, opening[b], 90)),
                  Kind.FORMULA, 90.0, 12)
        ]  # fmt: skip
        for _ in range(rng.randint(1, 4)):
            pa, pb = rng.choice(passages[a]), rng.choice(passages[b])
            size = rng.choice((60, 120, 300))
            kind = rng.choice((Kind.PHRASING, Kind.PHRASING, Kind.NAME, Kind.PARAPHRASE))
            matches.append(Match(Passage(a, span(a, pa, size)), Passage(b, span(b, pb, size)),
                                 kind, 70.0, size // 6))  # fmt: skip
        pairs.append(PairResult(a, b, tuple(matches), summary))
    return pairs, docs


def main() -> None:
    """Time both constructions and print the table."""
    from docdiff.corpus.cluster import build_clusters
    from tests.test_cluster_fast import _reference

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", default="2000,5000,10000,20000,50000")
    parser.add_argument("--reference-up-to", type=int, default=20000)
    args = parser.parse_args()
    rows: list[list[object]] = []
    for n in [int(x) for x in args.pairs.split(",") if x]:
        pairs, docs = _results(n)
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        c0 = time.process_time()
        fast = build_clusters(pairs, docs)
        fast_s = time.process_time() - c0
        ref_s: float | None = None
        same = "-"
        if n <= args.reference_up_to:
            c0 = time.process_time()
            slow = _reference(pairs, docs)
            ref_s = time.process_time() - c0
            same = str(slow == fast)
        rows.append(
            [n, len(docs), len(fast), f"{fast_s:.2f}",
             "-" if ref_s is None else f"{ref_s:.2f}",
             "-" if ref_s is None else f"{ref_s / max(fast_s, 1e-9):.1f}x", same, load]
        )  # fmt: skip
        print(table(HEADERS, rows[-1:]), flush=True)
    print("\nClusters of scan-like results (CPU seconds, one process)\n")
    print(table(HEADERS, rows))


HEADERS = ["pairs", "docs", "clusters", "today s", "quadratic s", "speed-up", "same", "load"]

if __name__ == "__main__":
    main()
