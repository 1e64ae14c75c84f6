"""A paraphrase never shows again text that another passage matches with another place
(`docdiff.engine.reworded.without_double_use`)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from docdiff.engine.reworded import without_double_use
from docdiff.model import Kind, Match, Passage, Span


def _match(kind: Kind, a: tuple[int, int], b: tuple[int, int]) -> Match:
    return Match(Passage("a", Span(*a)), Passage("b", Span(*b)), kind, 50.0, 10)


def test_a_paraphrase_of_text_matched_with_another_place_is_dropped() -> None:
    copied = _match(Kind.PHRASING, (0, 100), (200, 300))
    # B's 200-300 is matched verbatim with A's 0-100; "reworded" again from A's 500-620.
    elsewhere = _match(Kind.PARAPHRASE, (500, 620), (180, 320))
    assert without_double_use([copied, elsewhere]) == [copied]


def test_verbatim_phrases_inside_the_paraphrases_own_places_do_not_count() -> None:
    inside = _match(Kind.PHRASING, (510, 560), (200, 260))
    reworded = _match(Kind.PARAPHRASE, (500, 620), (180, 320))
    assert without_double_use([inside, reworded]) == [inside, reworded]


def test_a_paraphrase_touching_another_passage_at_its_edge_stays() -> None:
    copied = _match(Kind.PHRASING, (0, 100), (200, 300))
    reworded = _match(Kind.PARAPHRASE, (500, 620), (280, 480))  # 20 of 200 characters
    assert without_double_use([copied, reworded]) == [copied, reworded]


def test_a_paraphrase_inside_a_stronger_one_on_one_side_is_dropped() -> None:
    """The DPRK's speeches of 2010 and 2011: one paragraph of 2011 (B 5967-9401) came out as the
    rewording of 2010's 4991-7743 (114 words) and again, its first sentences (B 5993-6550), of
    2010's 3796-4376 (19 words)."""
    strong = _match(Kind.PARAPHRASE, (4991, 7743), (5967, 9401))
    weak = _match(Kind.PARAPHRASE, (3796, 4376), (5993, 6550))
    weak = Match(weak.a, weak.b, weak.kind, weak.score, 3)
    assert without_double_use([weak, strong]) == [strong]


def test_paraphrases_of_their_own_places_both_stay() -> None:
    one = _match(Kind.PARAPHRASE, (0, 300), (0, 300))
    two = _match(Kind.PARAPHRASE, (280, 600), (290, 610))  # 20 of 320 characters shared
    assert without_double_use([one, two]) == [one, two]


_SPAN = st.tuples(st.integers(0, 300), st.integers(1, 120)).map(lambda t: (t[0], t[0] + t[1]))
_MATCH = st.builds(
    lambda kind, a, b, words: Match(
        Passage("a", Span(*a)), Passage("b", Span(*b)), kind, 50.0, words
    ),
    st.sampled_from([Kind.PHRASING, Kind.PARAPHRASE]),
    _SPAN,
    _SPAN,
    st.integers(1, 40),
)


def _share(here: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """Whether more than half of `here` lies inside the union of `spans`."""
    chars = {x for a, b in spans for x in range(max(a, here[0]), min(b, here[1]))}
    return len(chars) * 2 > here[1] - here[0]


def _sides(m: Match) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    a, b = (m.a.span.start, m.a.span.end), (m.b.span.start, m.b.span.end)
    return [(a, b), (b, a)]


def _used_elsewhere(m: Match, others: list[Match]) -> bool:
    """Mostly text that a non-paraphrase matches with another place, on either side."""
    for side, (here, there) in enumerate(_sides(m)):
        spans = [
            mine
            for o in others
            for mine, theirs in [_sides(o)[side]]
            if not (theirs[0] < there[1] and there[0] < theirs[1])
        ]
        if _share(here, spans):
            return True
    return False


def _strength(m: Match) -> tuple[float, ...]:
    """Stronger first: more shared words, a higher score, then the earlier places."""
    return (-m.words, -m.score, m.a.span.start, m.b.span.start)


@given(st.lists(_MATCH, max_size=8))
def test_no_text_is_shown_as_reused_twice(matches: list[Match]) -> None:
    """Every other passage stays; a kept paraphrase is neither mostly text another passage
    matches elsewhere nor mostly inside another kept paraphrase (on either side); and a
    paraphrase goes only for one of these reasons (nothing is dropped for nothing)."""
    kept = without_double_use(matches)
    others = [m for m in matches if m.kind is not Kind.PARAPHRASE]
    assert others == [m for m in kept if m.kind is not Kind.PARAPHRASE]
    reworded = [m for m in kept if m.kind is Kind.PARAPHRASE]
    for m in reworded:
        assert not _used_elsewhere(m, others)
        for q in reworded:
            if _strength(q) < _strength(m):  # q is the stronger: m may not lie mostly in it
                assert not any(_share(_sides(m)[i][0], [_sides(q)[i][0]]) for i in (0, 1))
    for m in matches:
        if m.kind is Kind.PARAPHRASE and not any(m is k for k in kept):
            under = [q for q in reworded if q is not m]
            assert _used_elsewhere(m, others) or any(
                _share(_sides(m)[side][0], [_sides(q)[side][0] for q in under]) for side in (0, 1)
            )


@given(st.lists(_MATCH, max_size=10), st.lists(_MATCH, max_size=6))
def test_the_bulk_filter_keeps_what_asking_one_by_one_keeps(
    matches: list[Match], others: list[Match]
) -> None:
    from docdiff.engine.reworded import not_used_elsewhere, used_elsewhere

    assert not_used_elsewhere(matches, others) == [
        m for m in matches if not used_elsewhere(m, others)
    ]
