"""Clusters: passages joined across matches by overlap inside each document (passim-style)."""

from __future__ import annotations

import itertools
import random

from hypothesis import given
from hypothesis import strategies as st

from docdiff.corpus.cluster import UnionFind, build_clusters
from docdiff.model import Document, Kind, Match, PairResult, PairSummary, Passage, Span

_SUMMARY = PairSummary(0.0, 0.0, 0.0, 0.0)


def _match(a: str, sa: tuple[int, int], b: str, sb: tuple[int, int], kind: Kind) -> Match:
    return Match(Passage(a, Span(*sa)), Passage(b, Span(*sb)), kind, 100.0, 10)


def _pair(a: str, b: str, *matches: Match) -> PairResult:
    return PairResult(a, b, tuple(matches), _SUMMARY)


def _docs(n: int, dated: bool = True) -> list[Document]:
    return [
        Document(
            id=f"d{i}",
            path="",
            format="txt",
            text="x" * 300,
            meta={"date": f"20{20 - i:02}-01-01"} if dated else {},
        )
        for i in range(n)
    ]


def test_one_passage_in_five_documents_is_one_cluster_of_five() -> None:
    # Offsets shift a little from pair to pair, as real alignments do.
    spans = {f"d{i}": (10 + i, 60 + i) for i in range(5)}
    pairs = [
        _pair(a, b, _match(a, (spans[a][0] + 1, spans[a][1]), b, spans[b], Kind.PHRASING))
        for a, b in itertools.combinations(sorted(spans), 2)
    ]
    clusters = build_clusters(pairs, _docs(5), min_docs=2)
    assert len(clusters) == 1
    (c,) = clusters
    assert len(c.members) == 5
    assert {m.doc for m in c.members} == set(spans)
    assert c.kind is Kind.PHRASING
    # d4 has the earliest date (2016), so it is the origin and comes first.
    assert c.origin is not None
    assert c.origin.doc == "d4"
    assert c.members[0].doc == "d4"


def test_separate_passages_stay_separate_clusters() -> None:
    pairs = [
        _pair("d0", "d1", _match("d0", (0, 50), "d1", (0, 50), Kind.PHRASING)),
        _pair("d0", "d2", _match("d0", (100, 150), "d2", (0, 50), Kind.FORMULA)),
    ]
    clusters = build_clusters(pairs, _docs(3), min_docs=2)
    assert len(clusters) == 2
    assert {c.kind for c in clusters} == {Kind.PHRASING, Kind.FORMULA}


def test_slight_overlap_does_not_chain_clusters() -> None:
    pairs = [
        _pair("d0", "d1", _match("d0", (0, 100), "d1", (0, 100), Kind.PHRASING)),
        _pair("d0", "d2", _match("d0", (95, 200), "d2", (0, 105), Kind.PHRASING)),
    ]
    assert len(build_clusters(pairs, _docs(3))) == 2


def test_min_docs_and_no_dates() -> None:
    pairs = [_pair("d0", "d1", _match("d0", (0, 50), "d1", (5, 55), Kind.PHRASING))]
    clusters = build_clusters(pairs, _docs(2, dated=False), min_docs=2)
    assert len(clusters) == 1
    assert clusters[0].origin is None
    assert build_clusters(pairs, _docs(2), min_docs=3) == ()


@given(st.lists(st.tuples(st.integers(0, 19), st.integers(0, 19)), max_size=40))
def test_union_find_matches_naive_components(edges: list[tuple[int, int]]) -> None:
    uf = UnionFind(20)
    for a, b in edges:
        uf.union(a, b)
    # naive: repeatedly merge label sets
    label = list(range(20))
    changed = True
    while changed:
        changed = False
        for a, b in edges:
            lo = min(label[a], label[b])
            for x in (a, b):
                if label[x] != lo:
                    label[x] = lo
                    changed = True
    for a in range(20):
        for b in range(20):
            assert (uf.find(a) == uf.find(b)) == (label[a] == label[b])


def test_names_do_not_chain_clusters() -> None:
    # d0 and d1 share a passage; d1 and d2 only a name inside it.
    pairs = [
        _pair("d0", "d1", _match("d0", (0, 100), "d1", (0, 100), Kind.PHRASING)),
        _pair("d1", "d2", _match("d1", (40, 60), "d2", (0, 20), Kind.NAME)),
    ]
    clusters = build_clusters(pairs, _docs(3))
    assert len(clusters) == 1
    assert {m.doc for m in clusters[0].members} == {"d0", "d1"}


spans = st.tuples(st.integers(0, 250), st.integers(1, 50)).map(lambda t: (t[0], t[0] + t[1]))


@given(
    st.lists(
        st.tuples(st.integers(0, 4), spans, st.integers(0, 4), spans, st.sampled_from(list(Kind))),
        max_size=25,
    ),
    st.randoms(use_true_random=False),
)
def test_clusters_do_not_depend_on_pair_order(
    raw: list[tuple[int, tuple[int, int], int, tuple[int, int], Kind]], rnd: random.Random
) -> None:
    pairs = [
        _pair(f"d{a}", f"d{b}", _match(f"d{a}", sa, f"d{b}", sb, kind))
        for a, sa, b, sb, kind in raw
        if a != b
    ]
    docs = _docs(5)
    clusters = build_clusters(pairs, docs)
    shuffled = list(pairs)
    rnd.shuffle(shuffled)
    again = build_clusters(shuffled, docs)
    assert [(c.members, c.origin, c.text) for c in clusters] == [
        (c.members, c.origin, c.text) for c in again
    ]
    for c in clusters:
        assert len({m.doc for m in c.members}) >= 2
        for m in c.members:
            assert 0 <= m.span.start < m.span.end <= 300
        # members of one document never overlap each other
        by_doc: dict[str, list[Span]] = {}
        for m in c.members:
            by_doc.setdefault(m.doc, []).append(m.span)
        for group in by_doc.values():
            group.sort()
            assert all(x.end <= y.start for x, y in itertools.pairwise(group))


def test_a_neighbour_of_a_neighbour_is_not_a_member() -> None:
    # d0-d1 share X; in d1, X overlaps Y; d1-d2 share Y; in d2, Y overlaps Z; d2-d3 share Z.
    pairs = [
        _pair("d0", "d1", _match("d0", (0, 100), "d1", (0, 100), Kind.PHRASING)),
        _pair("d1", "d2", _match("d1", (20, 120), "d2", (0, 100), Kind.PHRASING)),
        _pair("d2", "d3", _match("d2", (20, 120), "d3", (0, 100), Kind.PHRASING)),
    ]
    clusters = build_clusters(pairs, _docs(4))
    # Union-find would give one chain of four; a family is a star around its representative.
    assert all(len({m.doc for m in c.members}) <= 3 for c in clusters)
    assert not any({"d0", "d3"} <= {m.doc for m in c.members} for c in clusters)


_WORDS = [f"{c}{v}{c2}o" for c in "bdfgklmnprstvz" for v in "aeiu" for c2 in "lnrst"]


def _planted_corpus(seed: int = 3) -> tuple[list[Document], dict[str, set[str]]]:
    """Three families of passages, each copied into four letters, a letter compiling two of them,
    letters sharing only a name, and noise letters."""
    rng = random.Random(seed)

    def words(n: int) -> str:
        return " ".join(rng.choice(_WORDS) for _ in range(n))

    families = {name: words(40) for name in "ABC"}
    docs: list[Document] = []
    truth: dict[str, set[str]] = {name: set() for name in families}
    for name, passage in families.items():
        for i in range(4):
            doc_id = f"{name}{i}"
            docs.append(_doc(doc_id, f"{words(60)}. {passage}. {words(60)}."))
            truth[name].add(doc_id)
    compiled = f"{families['A']}. {families['B']}"
    docs.append(_doc("AB0", f"{words(50)}. {compiled}. {words(50)}."))
    for i in range(6):
        docs.append(_doc(f"N{i}", f"{words(70)}. Ambassador Zakharov Pelletier. {words(70)}."))
    return docs, truth


def _doc(doc_id: str, text: str) -> Document:
    return Document(id=doc_id, path="", format="txt", text=text, meta={})


def test_planted_families_come_back_pure_despite_a_compilation_and_noise() -> None:
    from docdiff.corpus.cluster import purity
    from docdiff.corpus.scan import scan

    docs, truth = _planted_corpus()
    report = scan(docs, jobs=1)
    by_id = {d.id: d for d in docs}
    share, judged = purity(report.clusters, by_id)
    assert judged >= 12
    assert share >= 0.95
    for name, members in truth.items():
        # Each family is found whole, in a cluster whose representative holds its passage.
        assert any(members <= {m.doc for m in c.members} for c in report.clusters), name
    for c in report.clusters:
        ids = {m.doc for m in c.members}
        assert not ids & {f"N{i}" for i in range(6)}, "a shared name makes no family"
        # Letters of two different families meet only through the compilation, never alone.
        families = {x[0] for x in ids if x[0] in "ABC" and x != "AB0"}
        assert len(families) == 1 or "AB0" in ids


def test_a_match_bridging_a_long_gap_joins_its_family_by_the_copied_block() -> None:
    from dataclasses import replace

    from docdiff.model import AlignOp

    # d0 and d1 share 10-60 and, 150 characters further on, a short stretch: the engine's match
    # spans both, but the copy is the first stretch. d2 copies d0's 200-230 (the short
    # stretch's neighbourhood): it must not join the family of 10-60 through the bridge.
    bridge = replace(
        _match("d0", (10, 240), "d1", (10, 240), Kind.PHRASING),
        ops=(
            AlignOp("equal", Span(10, 60), Span(10, 60)),
            AlignOp("replace", Span(60, 200), Span(60, 200)),
            AlignOp("equal", Span(200, 240), Span(200, 240)),
        ),
    )
    pairs = [
        _pair("d0", "d1", bridge),
        _pair("d0", "d2", _match("d0", (200, 240), "d2", (0, 40), Kind.PHRASING)),
        _pair("d0", "d3", _match("d0", (12, 60), "d3", (5, 53), Kind.PHRASING)),
    ]
    clusters = build_clusters(pairs, _docs(4), min_docs=2)
    family = next(c for c in clusters if "d3" in {m.doc for m in c.members})
    assert {m.doc for m in family.members} == {"d0", "d1", "d3"}
    d1 = next(m for m in family.members if m.doc == "d1")
    assert d1.span == Span(10, 60)  # the copied block, not the bridged hull


_SPOKEN = {
    "d0": "We congratulate you warmly on your election and wish you every success here",
    "d1": "Allow me to extend my sincere congratulations to Mr. Kerim on his election",
    "d2": "Please accept our congratulations upon the election of our esteemed new President",
    "d3": "I congratulate you, Sir, on your election as President of the General Assembly",
    "d4": "I congratulate you, Madam, on your election as President of the General Assembly",
    "d5": "I congratulate you, Sir, on your election as President of the General Assembly",
}


def _spoken_match(a: str, b: str) -> Match:
    """The lexicon's formula in `a` and `b` (whole texts), with the words they share in order
    as equal operations and the rest as replacements (a word-level diff of the two)."""
    import difflib

    from docdiff.model import AlignOp, OpTag

    def spans(text: str) -> list[Span]:
        out, at = [], 0
        for word in text.split():
            at = text.index(word, at)
            out.append(Span(at, at + len(word)))
            at += len(word)
        return out

    wa, wb = _SPOKEN[a].split(), _SPOKEN[b].split()
    sa, sb = spans(_SPOKEN[a]), spans(_SPOKEN[b])
    ops = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).get_opcodes():
        if i2 > i1 and j2 > j1:
            kind: OpTag = "equal" if tag == "equal" else "replace"
            ops.append(
                AlignOp(
                    kind, Span(sa[i1].start, sa[i2 - 1].end), Span(sb[j1].start, sb[j2 - 1].end)
                )
            )
    return Match(
        Passage(a, Span(0, len(_SPOKEN[a]))), Passage(b, Span(0, len(_SPOKEN[b]))),
        Kind.FORMULA, 60.0, 6, ops=tuple(ops),
    )  # fmt: skip


def test_one_formula_in_other_wordings_is_no_family_of_copies() -> None:
    """Three speeches congratulate the President each in their own words: the lexicon calls
    every pair one formula, but no two copy a wording, so they make no cluster. Three that copy
    one wording (a word changed) do, cut to what they copy."""
    pairs = [
        _pair(a, b, _spoken_match(a, b))
        for names in (("d0", "d1", "d2"), ("d3", "d4", "d5"))
        for a, b in itertools.combinations(names, 2)
    ]
    docs = [Document(id=k, path="", format="txt", text=v) for k, v in _SPOKEN.items()]
    clusters = build_clusters(pairs, docs, min_docs=2)
    assert [sorted(m.doc for m in c.members) for c in clusters] == [["d3", "d4", "d5"]]
    assert "on your election as President of the General Assembly" in clusters[0].text


def test_letters_written_on_one_day_make_no_cluster_of_their_dateline() -> None:
    """Three cables from Canberra of one day share their dateline, a formula of the genre: no
    passage was copied, so it is no family."""
    from docdiff.engine.compare import compare
    from docdiff.loaders import load_text

    bodies = [
        "The Minister asked for the figures on wheat exports before his talks in Tokyo.",
        "Our consul reports that the shipping strike at the port ended this morning.",
        "Please confirm the arrangements for the visit of the trade delegation next month.",
    ]
    docs = [
        load_text(f"Canberra, 29 October 1975\n\nSECRET\n\n{body}\n", doc_id=f"d{n}")
        for n, body in enumerate(bodies)
    ]
    pairs = [compare(a, b).pairs[0] for a, b in itertools.combinations(docs, 2)]
    assert any(m.kind is Kind.FORMULA for p in pairs for m in p.matches)
    clusters = build_clusters(pairs, docs, min_docs=2)
    assert not [c.text for c in clusters if "29 October 1975" in c.text]


def test_letters_with_one_head_make_no_cluster_of_it() -> None:
    """Private letters to one addressee open "PERSONAL AND CONFIDENTIAL\\n\\nMy dear Prime
    Minister,": the frame of the correspondence, no passage copied. A scan of the whole DFAT
    corpus made clusters of 61 and 46 letters of such heads (volume 18)."""
    from docdiff.text.markings import HEAD_REASON

    head = "PERSONAL AND CONFIDENTIAL\n\nMy dear Prime Minister"
    bodies = ["wheat exports before the talks", "the shipping strike at the port", "the visit"]
    docs = [
        Document(id=f"d{n}", path="", format="txt", text=f"{head},\n\nOn {body}.\n")
        for n, body in enumerate(bodies)
    ]
    span = Span(0, len(head))
    pairs = [
        PairResult(
            a.id,
            b.id,
            (
                Match(
                    a=Passage(a.id, span),
                    b=Passage(b.id, span),
                    kind=Kind.FORMULA,
                    score=100.0,
                    words=7,
                    reason=f"{HEAD_REASON} (anchored)",
                ),
            ),
            PairSummary(0.0, 0.0, 0.0, 0.0),
        )
        for a, b in itertools.combinations(docs, 2)
    ]
    assert not build_clusters(pairs, docs, min_docs=2)
