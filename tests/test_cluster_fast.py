"""Clusters built in time linear in the matches equal the first, quadratic construction.

`build_clusters` unites copies of one span once, finds each node's merged passage by bisection,
gives each component only its own matches and takes the representatives off a heap. The slow
construction it replaced is kept here as the reference: on inputs full of repeated and
overlapping spans (many families in one chained component) both give the same clusters.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.corpus import cluster
from docdiff.corpus.cluster import UnionFind, build_clusters
from docdiff.model import Cluster, Document, Kind, Match, PairResult, PairSummary, Passage, Span

_SUMMARY = PairSummary(0.0, 0.0, 0.0, 0.0)
_KINDS = frozenset(Kind) - {Kind.NAME, Kind.PARAPHRASE}


def _reference(
    pairs: Sequence[PairResult], docs: Mapping[str, Document], min_docs: int = 2
) -> tuple[Cluster, ...]:
    """The construction before it was made linear (every loop as it was)."""
    nodes: list[cluster._Node] = []
    match_kinds: list[tuple[int, Kind]] = []
    # (What is no copy at all is left out before either construction: a name's words that
    # two documents write in lower case.)
    words = cluster._Wording(docs)
    names = cluster._names_in(pairs, words)
    for pair in pairs:
        for m in pair.matches:
            if m.kind in _KINDS and not names.holds(words, m):
                match_kinds.append((len(nodes), m.kind))
                nodes.append(cluster._Node(m.a.doc, m.a.span.start, m.a.span.end))
                nodes.append(cluster._Node(m.b.doc, m.b.span.start, m.b.span.end))
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
            active = [j for j in active if nodes[j].end > nodes[i].start]
            for j in active:
                if cluster._significant(nodes[j], nodes[i], 0.5):
                    uf.union(i, j)
            active.append(i)
    components: dict[int, list[int]] = {}
    for i in range(len(nodes)):
        components.setdefault(uf.find(i), []).append(i)
    families = [
        family
        for component in components.values()
        for family in _reference_families(component, nodes, match_kinds, docs, min_docs)
    ]
    # The joins after the stars are the same code (the texts here hold no words to adopt an
    # orphan by).
    joined = cluster._inside_dropped(
        cluster._alike_joined(cluster._nested_joined(families, docs), docs)
    )
    built = [cluster._built(family, docs) for family in joined]
    built.sort(key=lambda item: item[0])
    return tuple(
        Cluster(id=n, members=members, text=text, origin=origin, kind=kind)
        for n, (_, members, origin, text, kind) in enumerate(built, start=1)
    )


def _reference_families(
    component: list[int],
    nodes: list[cluster._Node],
    match_kinds: list[tuple[int, Kind]],
    docs: Mapping[str, Document],
    min_docs: int,
) -> list[cluster._Family]:
    passages = cluster._merge_spans(nodes[i] for i in component)
    node_of = {
        i: next(
            p
            for p in passages
            if p.doc == nodes[i].doc and p.span.start <= nodes[i].start < p.span.end
        )
        for i in component
    }
    inside = set(component)
    edges: dict[tuple[Passage, Passage], list[tuple[cluster._Node, cluster._Node, Kind]]] = {}
    for ia, kind in match_kinds:
        if ia in inside:
            pa, pb = node_of[ia], node_of[ia + 1]
            edges.setdefault((pa, pb), []).append((nodes[ia], nodes[ia + 1], kind))
            edges.setdefault((pb, pa), []).append((nodes[ia + 1], nodes[ia], kind))
    remaining = set(passages)
    out: list[cluster._Family] = []
    while True:
        links: dict[Passage, set[Passage]] = {}
        for pa, pb in edges:
            if pa in remaining and pb in remaining and pa.doc != pb.doc:
                links.setdefault(pa, set()).add(pb)
        if not links:
            return out
        rep = max(links, key=lambda p: cluster._rank(p, links[p], docs))
        family = cluster._star(rep, sorted(links[rep], key=cluster._order), edges)
        remaining -= {rep, *links[rep]}
        if len({m.doc for m in family.members}) >= min_docs:
            out.append(family)


def _corpus(seed: int, n_docs: int, n_pairs: int) -> tuple[list[PairResult], dict[str, Document]]:
    """Pairs whose spans mostly sit near a few shared places (the same passage aligned again
    and again, with small shifts), some exactly repeated, some anywhere."""
    rng = random.Random(seed)
    length = 500
    docs = {
        f"d{i}": Document(
            id=f"d{i}", path="", format="txt", text="x" * length,
            meta={"date": f"20{rng.randint(0, 20):02}-01-01"} if rng.random() < 0.7 else {},
        )
        for i in range(n_docs)
    }  # fmt: skip
    places = [rng.randint(0, 400) for _ in range(5)]

    def span() -> Span:
        roll = rng.random()
        if roll < 0.4:
            start = rng.choice(places)
            return Span(start, start + 40)  # exactly the same span again
        start = rng.choice(places) + rng.randint(-8, 8) if roll < 0.85 else rng.randint(0, 440)
        start = max(0, start)
        return Span(start, min(length, start + rng.randint(1, 60)))

    pairs = []
    for _ in range(n_pairs):
        a, b = rng.sample(range(n_docs), 2)
        matches = tuple(
            Match(
                Passage(f"d{a}", span()), Passage(f"d{b}", span()), rng.choice(list(Kind)), 1.0, 5
            )
            for _ in range(rng.randint(1, 4))
        )
        pairs.append(PairResult(f"d{a}", f"d{b}", matches, _SUMMARY))
    return pairs, docs


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32), st.integers(2, 14), st.integers(1, 80), st.integers(2, 4))
def test_clusters_equal_the_quadratic_construction(
    seed: int, n_docs: int, n_pairs: int, min_docs: int
) -> None:
    pairs, docs = _corpus(seed, n_docs, n_pairs)
    assert build_clusters(pairs, docs, min_docs=min_docs) == _reference(pairs, docs, min_docs)


def test_a_chained_component_splits_into_several_families_as_before() -> None:
    pairs, docs = _corpus(7, 12, 300)
    clusters = build_clusters(pairs, docs)
    assert len(clusters) >= 3  # the case exercises the heap, not a single star
    assert clusters == _reference(pairs, docs)
