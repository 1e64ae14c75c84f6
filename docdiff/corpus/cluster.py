"""Clusters: families of passages copied across documents, joined as passim does.

Every match contributes its two passages. Passages that overlap substantially (by half their
union) inside one document are the same text reused again, so they are united (union-find)
across every match. A component
touching ``min_docs`` or more documents is a cluster; with dates, its earliest member is the
likely origin.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from docdiff.corpus.metadata import date_of
from docdiff.model import Cluster, Document, Kind, PairResult, Passage, Span

__all__ = ["UnionFind", "build_clusters"]


class UnionFind:
    """Disjoint sets over ``0..n-1`` with path halving and union by size."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x: int) -> int:
        """The representative of `x`'s set."""
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        """Join the sets of `a` and `b`."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]


@dataclass(frozen=True, slots=True)
class _Node:
    doc: str
    start: int
    end: int


def _significant(a: _Node, b: _Node, ratio: float) -> bool:
    """Overlap over union (Jaccard) of two spans: a name inside a long passage does not chain."""
    overlap = min(a.end, b.end) - max(a.start, b.start)
    union = max(a.end, b.end) - min(a.start, b.start)
    return overlap > 0 and overlap >= ratio * max(1, union)


def build_clusters(
    pairs: Sequence[PairResult],
    documents: Mapping[str, Document] | Sequence[Document],
    *,
    min_docs: int = 2,
    min_overlap: float = 0.5,
    kinds: frozenset[Kind] = frozenset(Kind) - {Kind.NAME},
) -> tuple[Cluster, ...]:
    """Families of passages across documents, largest first, with origins when dates are known.

    Two passages of one document are the same family when they overlap by at least
    `min_overlap` of their union. Name matches are left out by default: a shared name is not
    shared wording, and it would chain unrelated passages together.
    """
    docs = documents if isinstance(documents, Mapping) else {d.id: d for d in documents}
    nodes: list[_Node] = []
    match_kinds: list[tuple[int, Kind]] = []
    for pair in pairs:
        for m in pair.matches:
            if m.kind not in kinds:
                continue
            ia = len(nodes)
            nodes.append(_Node(m.a.doc, m.a.span.start, m.a.span.end))
            nodes.append(_Node(m.b.doc, m.b.span.start, m.b.span.end))
            match_kinds.append((ia, m.kind))
    uf = UnionFind(len(nodes))
    for ia, _ in match_kinds:
        uf.union(ia, ia + 1)
    by_doc: dict[str, list[int]] = {}
    for i, node in enumerate(nodes):
        by_doc.setdefault(node.doc, []).append(i)
    for members in by_doc.values():
        members.sort(key=lambda i: (nodes[i].start, nodes[i].end))
        active: list[int] = []
        for i in members:
            node = nodes[i]
            active = [j for j in active if nodes[j].end > node.start]
            for j in active:
                if _significant(nodes[j], node, min_overlap):
                    uf.union(i, j)
            active.append(i)
    components: dict[int, list[int]] = {}
    for i in range(len(nodes)):
        components.setdefault(uf.find(i), []).append(i)
    kind_counts: dict[int, Counter[Kind]] = {}
    for ia, kind in match_kinds:
        kind_counts.setdefault(uf.find(ia), Counter())[kind] += 1

    built: list[tuple[tuple[object, ...], tuple[Passage, ...], Passage | None, str, Kind]] = []
    for root, members in components.items():
        passages = _merge_spans(nodes[i] for i in members)
        doc_ids = {p.doc for p in passages}
        if len(doc_ids) < min_docs:
            continue
        dated = [(date_of(docs[p.doc].meta) if p.doc in docs else None, p) for p in passages]
        dated_only = [(d, p) for d, p in dated if d]
        origin: Passage | None = None
        if dated_only:
            origin = min(dated_only, key=lambda dp: (dp[0], dp[1].doc, dp[1].span.start))[1]
        ordered = tuple(
            p
            for _, p in sorted(
                dated, key=lambda dp: (dp[0] is None, dp[0] or "", dp[1].doc, dp[1].span.start)
            )
        )
        rep = origin or max(passages, key=lambda p: (len(p.span), -ordered.index(p)))
        text = docs[rep.doc].slice(rep.span) if rep.doc in docs else ""
        kind = _majority(kind_counts.get(root, Counter()))
        key = (-len(doc_ids), -len(text), ordered[0].doc, ordered[0].span.start)
        built.append((key, ordered, origin, text, kind))
    built.sort(key=lambda item: item[0])
    return tuple(
        Cluster(id=n, members=members, text=text, origin=origin, kind=kind)
        for n, (_, members, origin, text, kind) in enumerate(built, start=1)
    )


def _majority(counts: Counter[Kind]) -> Kind:
    if not counts:
        return Kind.PHRASING
    order = list(Kind)
    return max(counts, key=lambda k: (counts[k], -order.index(k)))


def _merge_spans(nodes: Iterable[_Node]) -> list[Passage]:
    """Union of overlapping spans per document (a component may hold a doc more than once)."""
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for node in nodes:
        by_doc.setdefault(node.doc, []).append((node.start, node.end))
    out: list[Passage] = []
    for doc, spans in by_doc.items():
        spans.sort()
        cur_s, cur_e = spans[0]
        for s, e in spans[1:]:
            if s < cur_e:
                cur_e = max(cur_e, e)
            else:
                out.append(Passage(doc, Span(cur_s, cur_e)))
                cur_s, cur_e = s, e
        out.append(Passage(doc, Span(cur_s, cur_e)))
    return out
