"""Families whose representatives are one text cut with other words around it are one family
(`cluster._alike_joined`): the session's theme, quoted by speeches with their own lead-ins,
is one cluster, not one per lead-in; a phrase inside a long passage stays its own family."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from docdiff.corpus.cluster import build_clusters, purity
from docdiff.model import Document, Kind, Match, PairResult, PairSummary, Passage, Span

THEME = "The post-2015 development agenda: setting the stage for sustainable peace and prosperity"
LEADS = [
    "The theme of the sixty-eighth session of the General Assembly is “",
    "We welcome the theme chosen for this session, “",
    "Our delegation supports the theme of this session, “",
]
FILLER = "”. Our country has much to say about fisheries, roads and schools in the provinces."


def _doc(n: int, text: str) -> Document:
    return Document(id=f"d{n}", path=f"d{n}.txt", format="txt", text=text)


def _theme_span(doc: Document, lead: bool) -> Span:
    start = doc.text.index(THEME)
    if lead:
        start = doc.text.index(" ", max(0, start - 14)) + 1  # a few words of its lead-in
    return Span(start, start + len(THEME))


def _pair(a: Document, b: Document, lead: bool) -> PairResult:
    m = Match(
        a=Passage(a.id, _theme_span(a, lead)),
        b=Passage(b.id, _theme_span(b, lead)),
        kind=Kind.PHRASING,
        score=100.0,
        words=14,
    )
    return PairResult(a.id, b.id, (m,), PairSummary(0.0, 0.0, 0.0, 0.0))


def test_one_quoted_text_with_other_lead_ins_is_one_family() -> None:
    docs = [_doc(n, LEADS[n % 3] + THEME + FILLER) for n in range(9)]
    # Two stars that no alignment links: speeches 0-3 aligned with 0, speeches 4-8 with 4,
    # each pair cutting the passage with a few words of its own lead-in.
    pairs = [_pair(docs[0], docs[n], lead=True) for n in range(1, 4)]
    pairs += [_pair(docs[4], docs[n], lead=False) for n in range(5, 9)]
    clusters = build_clusters(pairs, docs)
    assert len(clusters) == 1
    assert {m.doc for m in clusters[0].members} == {d.id for d in docs}
    share, judged = purity(clusters, {d.id: d for d in docs})
    assert judged == 9
    assert share == 1.0


def test_a_phrase_inside_a_long_passage_stays_its_own_family() -> None:
    long_text = (
        "The Council shall maintain the closest possible relations with States in a position "
        "to further the purposes of this Treaty and to contribute to the security of the area."
    )
    phrase = "to contribute to the security of the area"
    docs = [_doc(n, f"Preamble {n}. {long_text} End.") for n in range(3)]
    docs += [
        _doc(n, f"Unrelated note {n}: we hope {phrase}, said the minister.") for n in (3, 4, 5)
    ]

    def span(d: Document, text: str) -> Span:
        start = d.text.index(text)
        return Span(start, start + len(text))

    def pair(a: Document, b: Document, text: str) -> PairResult:
        m = Match(
            Passage(a.id, span(a, text)), Passage(b.id, span(b, text)), Kind.PHRASING, 100.0, 9
        )
        return PairResult(a.id, b.id, (m,), PairSummary(0.0, 0.0, 0.0, 0.0))

    pairs = [pair(docs[0], docs[n], long_text) for n in (1, 2)]
    pairs += [pair(docs[3], docs[n], phrase) for n in (4, 5)]
    clusters = build_clusters(pairs, docs)
    assert sorted(len(c.members) for c in clusters) == [3, 3]


def test_the_same_short_text_is_one_family() -> None:
    # The closing of letters signed "R. G. CASEY" and of letters signed "R.G. CASEY": a scan
    # pairs the letters of each signature (they share its rare k-grams), not letters across
    # the two, and the closing is too short for five shared 3-grams. It was two clusters of
    # one text (DFAT, 500 documents: four clusters "I am, Yours sincerely").
    closing = "I am, Yours sincerely"
    docs = [
        _doc(n, f"Letter {n} on the wool sales.\n\n{closing}, {sign}\n")
        for n, sign in enumerate(["R. G. CASEY"] * 3 + ["R.G. CASEY"] * 3)
    ]

    def span(d: Document) -> Span:
        start = d.text.index(closing)
        return Span(start, start + len(closing))

    def pair(a: Document, b: Document) -> PairResult:
        m = Match(Passage(a.id, span(a)), Passage(b.id, span(b)), Kind.PHRASING, 100.0, 4)
        return PairResult(a.id, b.id, (m,), PairSummary(0.0, 0.0, 0.0, 0.0))

    pairs = [pair(docs[0], docs[n]) for n in (1, 2)] + [pair(docs[3], docs[n]) for n in (4, 5)]
    clusters = build_clusters(pairs, docs)
    assert len(clusters) == 1, [c.text for c in clusters]
    assert len(clusters[0].members) == 6


def test_the_text_shown_is_what_most_members_copy() -> None:
    # One speech shares with the representative the end of the sentence before the courtesy
    # too; the cluster's text was theirs ("official development assistance. I would like to
    # take this opportunity to commend"), not the family's.
    before = "We call for more official development assistance. "
    courtesy = "I would like to take this opportunity to commend"
    docs = [
        _doc(n, f"Speech {n} on many things. {before}{courtesy} the Secretary-General.")
        for n in range(5)
    ]

    def span(d: Document, with_before: bool) -> Span:
        start = d.text.index(courtesy)
        if with_before:
            start = d.text.index("official")
        return Span(start, d.text.index(courtesy) + len(courtesy))

    def pair(b: Document, with_before: bool) -> PairResult:
        a = docs[0]
        m = Match(
            Passage(a.id, span(a, with_before)),
            Passage(b.id, span(b, with_before)),
            Kind.FORMULA,
            100.0,
            12,
        )
        return PairResult(a.id, b.id, (m,), PairSummary(0.0, 0.0, 0.0, 0.0))

    pairs = [pair(docs[1], with_before=True)] + [
        pair(docs[n], with_before=False) for n in (2, 3, 4)
    ]
    (cluster,) = build_clusters(pairs, docs)
    assert cluster.text == courtesy
    assert len(cluster.members) == 5


@given(
    st.lists(
        st.tuples(st.integers(0, 60), st.integers(1, 40)).map(lambda t: (t[0], t[0] + t[1])),
        min_size=1,
        max_size=12,
    )
)
def test_the_text_shown_lies_where_half_the_members_align(spans: list[tuple[int, int]]) -> None:
    from docdiff.corpus.cluster import _most_copied

    got = _most_copied(spans, Span(0, 100))
    need = (len(spans) + 1) // 2

    def held(x: int) -> int:  # how many alignments hold character x
        return sum(s <= x < e for s, e in spans)

    assert min(s for s, _ in spans) <= got.start < got.end <= max(e for _, e in spans)
    if any(held(x) >= need for x in range(100)):
        assert held(got.start) >= need
        assert held(got.end - 1) >= need
        assert all(held(x) < need for x in range(got.start))
        assert all(held(x) < need for x in range(got.end, 100))
