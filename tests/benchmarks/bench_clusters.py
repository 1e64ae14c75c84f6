"""Cluster purity and duplicate groups of a scan on DFAT and UN samples.

    python -m tests.benchmarks.bench_clusters [--docs 500] [--corpus dfat|un|mix]
        [--half dev|dev2|held-out|fresh|unseen]

``mix`` scans half the documents of each corpus together (DFAT cables and UN speeches, as the
issue's DFAT + KCNA mix): a cluster then holds one passage of either genre, or of both where
they share wording (the Charter's), never a chain of one genre's passage and the other's; the
clusters holding documents of both corpora are printed.

Purity: the share of members of clusters of 3+ that share at least a third of their content word
3-grams with the cluster's representative text (`docdiff.corpus.cluster.purity`). The same figure is
given for the families union-find alone would build (every passage joined to a neighbour of a
neighbour), the peer the representative check replaces. The largest clusters are printed with
their representative text, to be read.
"""

from __future__ import annotations

import argparse
import time

from tests.benchmarks._common import table
from tests.benchmarks._corpus_samples import HALVES


def _union_find_clusters(report: object) -> tuple[object, ...]:
    """The old clustering: connected components, represented by the longest member."""
    from docdiff.corpus.cluster import UnionFind
    from docdiff.model import Cluster, Passage, Report, Span

    assert isinstance(report, Report)
    nodes: list[Passage] = []
    for pair in report.pairs:
        for match in pair.matches:
            if match.kind.value != "name":
                nodes += [match.a, match.b]
    uf = UnionFind(len(nodes))
    for i in range(0, len(nodes), 2):
        uf.union(i, i + 1)
    by_doc: dict[str, list[int]] = {}
    for i, node in enumerate(nodes):
        by_doc.setdefault(node.doc, []).append(i)
    for positions in by_doc.values():
        for x in positions:
            for y in positions:
                a, b = nodes[x].span, nodes[y].span
                overlap = min(a.end, b.end) - max(a.start, b.start)
                union = max(a.end, b.end) - min(a.start, b.start)
                if x < y and overlap > 0 and overlap >= 0.5 * union:
                    uf.union(x, y)
    comps: dict[int, list[Passage]] = {}
    for i, node in enumerate(nodes):
        comps.setdefault(uf.find(i), []).append(node)
    docs = {d.id: d for d in report.documents}
    out = []
    for n, members in enumerate(comps.values(), start=1):
        merged: dict[str, tuple[int, int]] = {}
        for part in members:
            lo, hi = merged.get(part.doc, (part.span.start, part.span.end))
            merged[part.doc] = (min(lo, part.span.start), max(hi, part.span.end))
        passages = tuple(Passage(d, Span(*s)) for d, s in sorted(merged.items()))
        if len(passages) < 2:
            continue
        rep = max(passages, key=lambda p: len(p.span))
        out.append(Cluster(n, passages, docs[rep.doc].slice(rep.span)))
    return tuple(out)


def run(name: str, half: str, n_docs: int) -> dict[str, object]:
    """Scan one sample; print its largest clusters and duplicate groups; return the figures."""
    from docdiff.corpus.cluster import purity
    from docdiff.corpus.scan import scan
    from tests.benchmarks._corpus_samples import sample

    if name == "mix":
        docs = sample("dfat", half, n_docs // 2) + sample("un", half, n_docs - n_docs // 2)
    else:
        docs = sample(name, half, n_docs)
    by_id = {d.id: d for d in docs}
    started = time.perf_counter()
    report = scan(docs, jobs=2)
    seconds = time.perf_counter() - started
    share, judged = purity(report.clusters, by_id)
    old = _union_find_clusters(report)
    old_share, old_judged = purity(old, by_id)  # type: ignore[arg-type]
    big = [c for c in report.clusters if len(c.members) >= 3]
    print(f"\n== {name} {half}: {len(docs)} documents, {len(report.pairs)} pairs, {seconds:.0f} s")
    print(f"  clusters of 3+: {len(big)}; members judged {judged}; purity {share:.3f}")
    print(f"  union-find peer: members judged {old_judged}; purity {old_share:.3f}")
    parts = sum(1 for c in report.clusters if c.part_of)
    print(f"  clusters marked part of a larger family's passage: {parts}")
    for c in sorted(report.clusters, key=lambda c: -len(c.members))[:8]:
        text = " ".join(c.text.split())
        part = f" (part of #{c.part_of})" if c.part_of else ""
        print(f"  #{c.id} {c.kind.value}, {len(c.members)} members{part}: {text[:150]}")
    if name == "mix":
        both = [c for c in report.clusters if len({p.doc.split("/")[0] for p in c.members}) > 1]
        print(f"  clusters holding documents of both corpora: {len(both)}")
        for c in both[:8]:
            text = " ".join(c.text.split())[:120]
            print(f"    #{c.id} {c.kind.value}, {len(c.members)} members: {text}")
    print(f"  duplicate groups: {len(report.duplicates)}")
    for g in report.duplicates[:5]:
        print(f"    {g.representative} + {len(g.members) - 1} ({g.coverage:.0f}%)")
    return {
        "corpus": name, "half": half, "purity": share, "judged": judged,
        "peer": old_share, "peer_judged": old_judged, "dups": len(report.duplicates),
        "seconds": seconds,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--corpus", choices=("dfat", "un", "mix"), action="append")
    parser.add_argument("--half", choices=HALVES, default="held-out")
    args = parser.parse_args()
    results = [run(name, args.half, args.docs) for name in args.corpus or ["dfat", "un"]]
    print()
    print(
        table(
            ["corpus", "half", "purity", "members", "union-find purity", "members", "dup groups"],
            [
                [
                    r["corpus"],
                    r["half"],
                    f"{r['purity']:.3f}",
                    r["judged"],
                    f"{r['peer']:.3f}",
                    r["peer_judged"],
                    r["dups"],
                ]
                for r in results
            ],
        )
    )


if __name__ == "__main__":
    main()
