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


_SPAN = st.tuples(st.integers(0, 300), st.integers(1, 120)).map(lambda t: (t[0], t[0] + t[1]))
_MATCH = st.builds(_match, st.sampled_from([Kind.PHRASING, Kind.PARAPHRASE]), _SPAN, _SPAN)


@given(st.lists(_MATCH, max_size=8))
def test_only_paraphrases_mostly_used_elsewhere_go(matches: list[Match]) -> None:
    kept = without_double_use(matches)
    assert [m for m in matches if m.kind is not Kind.PARAPHRASE] == [
        m for m in kept if m.kind is not Kind.PARAPHRASE
    ]
    others = [m for m in matches if m.kind is not Kind.PARAPHRASE]
    for m in matches:
        if m.kind is not Kind.PARAPHRASE:
            continue
        used = []
        for side in ("a", "b"):
            here, there = (m.a, m.b) if side == "a" else (m.b, m.a)
            chars = {
                x
                for o in others
                for mine, theirs in [((o.a, o.b) if side == "a" else (o.b, o.a))]
                if not theirs.span.overlaps(there.span)
                for x in range(
                    max(mine.span.start, here.span.start), min(mine.span.end, here.span.end)
                )
            }
            used.append(len(chars) * 2 > here.span.end - here.span.start)
        assert (m in kept) == (not any(used))
