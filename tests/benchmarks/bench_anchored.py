"""Anchored passages against the full comparison, pair by pair, on two samples of the UN speeches.

    python -m tests.benchmarks.bench_anchored [--dev WHERE] [--held WHERE] [--gap N] [--window N]

A scan with more candidate pairs than ``--full-pairs`` keeps, for all but the strongest pairs,
the passages aligned from their shared rare k-grams (`docdiff.corpus.anchor_align`). This
compares them with what the full comparison (`compare_prepared`, the engine of ``compare``)
finds on every candidate pair of a sample:

* **CPU** per pair of each, in one process, documents already ready for the full comparison;
* **pairs** holding a passage of at least 15 words: full (phrasing or paraphrase; phrasing
  only), anchored, and both;
* **passages**: the full comparison's phrasing passages of 15 words or more that an anchored
  passage covers by half or more (recall), and the anchored passages of 15 words or more that
  cover half of some full passage of any kind (agreement);
* **kinds**: the anchored passages (of any length) whose kind (`docdiff.corpus.anchor_kinds`)
  is that of the full comparison's passage or echo overlapping them most;
* **ranking**: the tiered scan's top pairs (the strongest `share` of the pairs compared in full,
  the others anchored, as ``--full-pairs`` does) against the all-full ranking's.

The window and gap constants were set while reading pairs of the dev sample (2022-2024); the
held-out sample (2008-2009) was not looked at. ``--db`` runs it on another index (e.g. DFAT,
``--dev 'doc_date >= "1941" and doc_date < "1942"'``), where nothing was tuned.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from docdiff.corpus.anchor_align import GAP, WINDOW
from docdiff.model import Match, PairResult
from tests.benchmarks._common import CACHE, table

LONG = 15


def _sample(db: str, where: str, share: float, gap: int, window: int) -> list[object]:
    from docdiff.corpus.anchor_align import Anchored
    from docdiff.corpus.scan import plan_scan
    from docdiff.index import CorpusIndex
    from docdiff.options import Options, ScanOptions

    with CorpusIndex.open(db, readonly=True) as index:
        plan = plan_scan(index, Options(min_words=4), ScanOptions(where=where, full_pairs=None))
    pairs = plan.pairs
    aligner = plan.aligner()
    for d in dict.fromkeys(x for p in pairs for x in p):
        p, _, _ = aligner.ready(d)
        p.unit_index(aligner.lexicon)
    full: list[Any] = []
    cpu_full: list[float] = []
    for pair in pairs:
        c0 = time.process_time()
        full.append(aligner.align([pair])[0])
        cpu_full.append(time.process_time() - c0)
    c0 = time.process_time()
    anchored = Anchored.build(
        plan.corpus.tokens, pairs, 8, int(str(plan.settings["max_df"])), gap=gap, window=window
    )
    from docdiff.engine.prepare import load_lexicon

    got = anchored.results(
        plan.corpus.ids, plan.corpus.tokens, min_words=4,
        texts={i: d.text for i, d in plan.documents.items()}, lexicon=load_lexicon(Options()),
        seed_words=plan.options.seed_words, shares=plan.kgram_shares,
    )  # fmt: skip
    cpu_anchored = time.process_time() - c0
    by_pair = {(r.a, r.b): r for r in got}
    ids = plan.corpus.ids
    anch = [by_pair.get((ids[i], ids[j])) for i, j in pairs]

    def long_full(r: PairResult, kinds: tuple[str, ...]) -> bool:
        found: bool = any(m.words >= LONG and str(m.kind.value) in kinds for m in r.matches)
        return found

    lf = {n for n, r in enumerate(full) if long_full(r, ("phrasing", "paraphrase"))}
    lp = {n for n, r in enumerate(full) if long_full(r, ("phrasing",))}
    la = {n for n, r in enumerate(anch) if r and any(m.words >= LONG for m in r.matches)}

    def overlap(x: Match, y: Match) -> int:
        return min(x.a.span.end, y.a.span.end) - max(x.a.span.start, y.a.span.start)

    def covers(x: Match, y: Match) -> bool:
        """Passage match x covers half of y's side-a span."""
        over = min(x.a.span.end, y.a.span.end) - max(x.a.span.start, y.a.span.start)
        return over * 2 >= len(y.a.span)

    wanted = found = 0
    told = agreed = 0
    kinds_told = kinds_agreed = 0
    for n in range(len(pairs)):
        fm = [m for m in full[n].matches if m.words >= LONG and m.kind.value == "phrasing"]
        got_n = anch[n]
        am = got_n.matches if got_n is not None else ()
        wanted += len(fm)
        found += sum(1 for f in fm if any(covers(a, f) for a in am))
        for a in am:
            # Its kind against that of the full comparison's passage or echo it overlaps most.
            near = max(
                [*full[n].matches, *full[n].echoes], key=lambda f: overlap(a, f), default=None
            )
            if near is not None and overlap(a, near) > 0:
                kinds_told += 1
                kinds_agreed += near.kind is a.kind
            if a.words >= LONG:
                told += 1
                agreed += any(covers(a, f) or covers(f, a) for f in full[n].matches)
    # Ranking: the strongest `share` of the pairs in full, the others anchored.
    k = max(1, round(share * len(pairs)))
    chosen = set(anchored.strongest(k))
    tiered = [full[n] if n in chosen else anch[n] for n in range(len(pairs))]

    def top(results: list[Any], m: int) -> set[int]:
        score = np.asarray([r.summary.distinctive_similarity if r else 0.0 for r in results])
        return set(np.lexsort((np.arange(len(results)), -score))[:m].tolist())

    agree = {m: len(top(full, m) & top(tiered, m)) / m for m in (20, 100)}
    ms = np.asarray(cpu_full) * 1000
    return [
        where, len(pairs), f"{np.median(ms):.1f} / {np.percentile(ms, 99):.1f}",
        f"{1000 * cpu_anchored / max(1, len(pairs)):.2f}",
        f"{len(lf)} ({len(lp)})", len(la), len(lf & la),
        f"{found}/{wanted} = {found / max(1, wanted):.2f}",
        f"{agreed}/{told} = {agreed / max(1, told):.2f}",
        f"{kinds_agreed}/{kinds_told} = {kinds_agreed / max(1, kinds_told):.2f}",
        f"{k}: {agree[20]:.2f} / {agree[100]:.2f}",
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dev", default="year>=2022")
    parser.add_argument("--held", default="year>=2008 and year<=2009")
    parser.add_argument(
        "--share", type=float, default=0.1, help="share of pairs compared in full for the ranking"
    )
    parser.add_argument("--gap", type=int, default=GAP, help="see docdiff.corpus.anchor_align")
    parser.add_argument("--window", type=int, default=WINDOW)
    parser.add_argument("--db", type=Path, default=CACHE / "un.db", help="another index")
    args = parser.parse_args()
    db = args.db
    if not db.exists():
        raise SystemExit(f"{db} is missing: run tests.benchmarks.bench_complete_scan first")
    rows = [_sample(str(db), w, args.share, args.gap, args.window) for w in (args.dev, args.held)]
    print(
        f"\nAnchored passages (gap {args.gap}, window {args.window}) against the full "
        f"comparison (load {os.getloadavg()[0]:.1f})\n"
    )
    print(
        table(
            [
                "sample", "pairs", "full cpu ms/pair p50 / p99", "anchored cpu ms/pair",
                f"pairs >={LONG}w full (phrasing)", "anchored", "both",
                "full phrasing passages covered", "anchored passages agreeing",
                "kinds agreeing",
                "in full: top-20 / top-100 agree",
            ],
            rows,
        )
    )  # fmt: skip


if __name__ == "__main__":
    main()
