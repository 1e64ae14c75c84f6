"""A scan's clusters are families of one reuse (issue 13): the sentences of a passage aligned on
their own are no families of their own (`cluster._nested_joined`), a document aligned only with a
member of a family joins it when it holds the representative's text (`cluster._adopt_orphans`),
and neither chains unrelated text through a shared neighbour."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.corpus.cluster import build_clusters, purity
from docdiff.model import Cluster, Document, Kind, Match, PairResult, PairSummary, Passage, Span

_SUMMARY = PairSummary(0.0, 0.0, 0.0, 0.0)

SENTENCES = [
    (
        "A genuine multiracial federation should remain the goal, subject to the necessary "
        "protections and safeguards for the indigenous peoples of the Borneo territories."
    ),
    (
        "We would expect the leaders in both capitals to be extremely cautious about "
        "precipitating serious constitutional issues at this time of national danger."
    ),
    (
        "The prospective improvement must be substantial, or the present difficulties "
        "intolerable, before such a course would be justified by either government."
    ),
]
PASSAGE = " ".join(SENTENCES)


def _noise(rng: random.Random, n: int) -> str:
    """`n` made-up words no other document holds."""

    def word() -> str:
        return "".join(rng.choice("bcdfghjklmnprstvz") + rng.choice("aeiou") for _ in range(3))

    return " ".join(word() for _ in range(n)) + "."


def _scanned_clusters(texts: dict[str, str]) -> tuple[tuple[Cluster, ...], dict[str, Document]]:
    from docdiff.corpus.scan import scan
    from docdiff.loaders import load_text

    docs = [load_text(text, doc_id=doc_id) for doc_id, text in sorted(texts.items())]
    return scan(docs, jobs=1).clusters, {d.id: d for d in docs}


def test_a_passage_and_its_fragments_copied_elsewhere_are_one_family() -> None:
    # A cable's passage copied whole into two briefs, each with its own words around it, and
    # one of its sentences into two notes; unrelated documents around. The sentence aligned on
    # its own (notes with the cable and the briefs) was a second cluster, nested in the first.
    rng = random.Random(3)
    leads = ["In our view,", "The Minister considers that", "As the brief records,"]
    texts = {
        f"full{n}": f"{_noise(rng, 80)} {lead} {PASSAGE} {_noise(rng, 80)}"
        for n, lead in enumerate(leads)
    }
    texts |= {
        f"part{n}": f"{_noise(rng, 80)} Notes, point {n}: {SENTENCES[1]} {_noise(rng, 80)}"
        for n in range(2)
    }
    texts |= {f"noise{n}": _noise(rng, 200) for n in range(4)}
    clusters, docs = _scanned_clusters(texts)
    assert len(clusters) == 1
    (family,) = clusters
    assert {m.doc for m in family.members} == {"full0", "full1", "full2", "part0", "part1"}
    assert " ".join(family.text.split()).startswith("genuine multiracial federation")  # the whole
    assert purity(clusters, docs, min_members=2) == (1.0, 5)


THEME = "The post-2015 development agenda: setting the stage"
LEADS = [
    "The theme of the sixty-eighth session of the General Assembly is “",
    "We welcome the theme of this session, “",
    "Our delegation supports the theme of the general debate, “",
    "Allow me to say a word on the theme, “",
]
AFTER = "”. Our country has much to say about fisheries, roads and schools in the provinces."


def _doc(name: str, text: str) -> Document:
    return Document(id=name, path=f"{name}.txt", format="txt", text=text)


def _span(doc: Document, text: str) -> Span:
    start = doc.text.index(text)
    return Span(start, start + len(text))


def _pair(a: Document, b: Document, text_a: str, text_b: str | None = None) -> PairResult:
    m = Match(
        Passage(a.id, _span(a, text_a)),
        Passage(b.id, _span(b, text_b or text_a)),
        Kind.PHRASING,
        100.0,
        len(text_a.split()),
    )
    return PairResult(a.id, b.id, (m,), _SUMMARY)


def test_a_speech_aligned_only_with_a_member_joins_the_family_holding_its_text() -> None:
    docs = [_doc(f"s{n}", LEADS[n % 4] + THEME + AFTER) for n in range(5)]
    # s0 is aligned with s1, s2 and s3; s4 quotes the theme too but was aligned only with s1,
    # whom s0's star takes: s4 was left out of every cluster.
    pairs = [_pair(docs[0], docs[n], THEME) for n in (1, 2, 3)]
    pairs.append(_pair(docs[1], docs[4], "session, “" + THEME, "is “" + THEME))
    clusters = build_clusters(pairs, docs)
    assert len(clusters) == 1
    assert {m.doc for m in clusters[0].members} == {d.id for d in docs}
    assert purity(clusters, {d.id: d for d in docs}) == (1.0, 5)


def test_unrelated_text_aligned_with_a_member_does_not_chain_into_its_family() -> None:
    # s4 shares with s1 the theme AND a long sentence of their own: most of what s4 shares with
    # s1 is not the representative's text, so s4 is no copy of it (a neighbour of a neighbour).
    own = (
        " Fisheries, roads and schools in the provinces remain the first concern of every "
        "island government in our region, whatever the theme of the year."
    )
    docs = [_doc(f"s{n}", LEADS[n % 4] + THEME + AFTER) for n in range(4)]
    docs.append(_doc("s4", "Another speech. “" + THEME + "”." + own + " End."))
    docs[1] = _doc("s1", LEADS[1] + THEME + "”." + own + " End.")
    pairs = [_pair(docs[0], docs[n], THEME) for n in (1, 2, 3)]
    pairs.append(_pair(docs[1], docs[4], THEME + "”." + own))
    clusters = build_clusters(pairs, docs)
    (theme,) = (c for c in clusters if "s0" in {m.doc for m in c.members})
    assert {m.doc for m in theme.members} == {"s0", "s1", "s2", "s3"}
    assert purity(clusters, {d.id: d for d in docs}) == (1.0, 4)


def test_a_stock_phrase_inside_two_copies_brings_no_third_document() -> None:
    long_text = (
        "The Council shall maintain the closest possible relations with States in a position "
        "to further the purposes of this Treaty and to contribute to the security of the area."
    )
    phrase = "the security of the area"
    docs = [_doc(f"d{n}", f"Preamble {n}. {long_text} End.") for n in range(2)]
    docs.append(_doc("d2", f"Unrelated note: we care for {phrase}, said the minister."))
    pairs = [_pair(docs[0], docs[1], long_text)]
    pairs += [_pair(docs[0], docs[1], phrase), _pair(docs[0], docs[2], phrase)]
    pairs += [_pair(docs[1], docs[2], phrase)]
    clusters = build_clusters(pairs, docs)
    assert sorted(sorted(m.doc for m in c.members) for c in clusters) == [
        ["d0", "d1"],
        ["d0", "d1", "d2"],
    ]


def test_a_sentence_aligned_on_its_own_inside_a_passage_is_no_family_of_its_own() -> None:
    # Only the two documents: the sentence is wholly inside the passage's copies, whatever its
    # length (a stock phrase too: it adds no document and no text).
    docs = [_doc(f"d{n}", f"Heading {n}. {PASSAGE} Signed.") for n in range(2)]
    pairs = [_pair(docs[0], docs[1], PASSAGE), _pair(docs[0], docs[1], "national danger")]
    pairs.append(_pair(docs[0], docs[1], SENTENCES[2]))
    clusters = build_clusters(pairs, docs)
    assert len(clusters) == 1
    assert clusters[0].text == PASSAGE


def _inside(part: Passage, whole: Passage) -> bool:
    overlap = min(part.span.end, whole.span.end) - max(part.span.start, whole.span.start)
    return part.doc == whole.doc and overlap > 0 and overlap >= 0.9 * len(part.span)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32), st.integers(2, 10), st.integers(1, 60))
def test_no_cluster_lies_inside_another(seed: int, n_docs: int, n_pairs: int) -> None:
    """The law: no cluster of two documents or more has every member inside a member of one
    other cluster (it would be a fragment of that family, counted twice)."""
    rng = random.Random(seed)
    words = ["w" + str(rng.randint(0, 30)) for _ in range(400)]
    docs = {f"d{n}": _doc(f"d{n}", " ".join(rng.sample(words, 120))) for n in range(n_docs)}
    places = [rng.randint(0, 300) for _ in range(4)]

    def span() -> Span:
        start = max(0, rng.choice(places) + rng.randint(-20, 20))
        return Span(start, start + rng.choice((10, 40, 120, 240)))

    pairs = []
    for _ in range(n_pairs):
        a, b = rng.sample(sorted(docs), 2)
        matches = tuple(
            Match(Passage(a, span()), Passage(b, span()), Kind.PHRASING, 1.0, 5)
            for _ in range(rng.randint(1, 3))
        )
        pairs.append(PairResult(a, b, matches, _SUMMARY))
    clusters = build_clusters(pairs, docs)
    for c in clusters:
        if len({m.doc for m in c.members}) < 2:
            continue
        for other in clusters:
            if other is not c:
                assert not all(any(_inside(m, o) for o in other.members) for m in c.members)
