"""Reworded sections: sentences reworded one by one, in the same order, become one passage."""

from __future__ import annotations

from typing import Any

from docdiff.engine import paraphrase, reworded
from docdiff.engine.compare import compare
from docdiff.engine.paraphrase import ParaphraseHit, find_paraphrases
from docdiff.engine.prepare import prepare
from docdiff.loaders import load_text
from docdiff.model import AlignOp, Kind, Match, Passage, Span
from docdiff.options import Options


def _doc(
    units: list[list[str]],
) -> tuple[list[str], list[tuple[int, int]], list[int]]:
    """Keys, sentence units and paragraphs (one paragraph a sentence, so a sentence's
    neighbours never help it on their own)."""
    keys: list[str] = []
    spans: list[tuple[int, int]] = []
    for words in units:
        spans.append((len(keys), len(keys) + len(words)))
        keys += words
    return keys, spans, list(range(len(units)))


def _filler(tag: str, n: int) -> list[list[str]]:
    return [[f"{tag}{u}w{k}" for k in range(6)] for u in range(n)]


def _reworded(order: list[int], **options: Any) -> list[ParaphraseHit]:
    """Six sentences of A, each sharing three of its six stems with one sentence of B, B's
    sentences in `order`, both among sentences sharing nothing."""
    section_a = [[f"s{u}w{k}" for k in range(6)] for u in range(6)]
    section_b = [[f"s{u}w{k}" for k in range(3)] + [f"r{u}w{k}" for k in range(3)] for u in order]
    ka, ua, pa = _doc(_filler("fa", 5) + section_a + _filler("ga", 5))
    kb, ub, pb = _doc(_filler("fb", 3) + section_b + _filler("gb", 7))
    return find_paraphrases(
        ka,
        kb,
        [False] * len(ka),
        [False] * len(kb),
        lambda key: 1.0,
        a_units=ua,
        b_units=ub,
        a_paragraphs=pa,
        b_paragraphs=pb,
        **options,
    )


def test_sentences_reworded_in_order_are_one_section() -> None:
    hits = _reworded([0, 1, 2, 3, 4, 5])
    assert len(hits) == 1
    hit = hits[0]
    assert hit.links == 6
    # From the first sentence of the section to the last, on both sides.
    assert (hit.a0, hit.a1) == (5 * 6, 11 * 6)
    assert (hit.b0, hit.b1) == (3 * 6, 9 * 6)
    assert len(hit.shared) == 18


def _summary(left_out: int, at: int = 3) -> list[ParaphraseHit]:
    """The six reworded sentences of `_reworded`, with `left_out` sentences of B's section
    (sharing nothing) after its sentence `at`: a summary that skipped part of its source."""
    section_a = [[f"s{u}w{k}" for k in range(6)] for u in range(6)]
    section_b = [
        [f"s{u}w{k}" for k in range(3)] + [f"r{u}w{k}" for k in range(3)] for u in range(6)
    ]
    section_b[at:at] = _filler("x", left_out)
    ka, ua, pa = _doc(_filler("fa", 5) + section_a + _filler("ga", 5))
    kb, ub, pb = _doc(_filler("fb", 3) + section_b + _filler("gb", 7))
    return find_paraphrases(
        ka, kb, [False] * len(ka), [False] * len(kb), lambda key: 1.0,
        a_units=ua, b_units=ub, a_paragraphs=pa, b_paragraphs=pb,
    )  # fmt: skip


def test_a_summary_that_skips_sentences_of_its_source_is_one_section() -> None:
    # Up to `_SECTION_SKIP` sentences left out on one side, the next sentence on the other.
    hits = _summary(5)
    assert [h.links for h in hits] == [6]
    assert (hits[0].a0, hits[0].a1) == (5 * 6, 11 * 6)
    assert (hits[0].b0, hits[0].b1) == (3 * 6, 14 * 6)
    # More left out: two chains of three sentence pairs, each too small to be a section.
    assert _summary(paraphrase._SECTION_SKIP + 1) == []


def test_a_skip_does_not_extend_a_section_at_its_edge() -> None:
    # Left out after the first sentence: the first pair is joined by a skip only, so the
    # section starts at the second (a stray link before a section does not widen it).
    hits = _summary(5, at=1)
    assert [h.links for h in hits] == [5]
    assert (hits[0].a0, hits[0].b0) == (6 * 6, 9 * 6)


def test_no_sentence_alone_is_a_paraphrase_here() -> None:
    # Three shared stems a sentence are too few for a sentence pair on its own (min_shared 5):
    # only the order of the six makes the section.
    assert _reworded([5, 4, 3, 2, 1, 0]) == []


def test_a_section_needs_three_sentence_pairs() -> None:
    section_a = [[f"s{u}w{k}" for k in range(6)] for u in range(2)]
    section_b = [[f"s{u}w{k}" for k in range(5)] + ["other"] for u in range(2)]
    ka, ua, pa = _doc(_filler("fa", 4) + section_a)
    kb, ub, pb = _doc(section_b + _filler("fb", 4))
    hits = find_paraphrases(
        ka, kb, [False] * len(ka), [False] * len(kb), lambda key: 1.0,
        a_units=ua, b_units=ub, a_paragraphs=pa, b_paragraphs=pb,
    )  # fmt: skip
    assert hits
    assert all(h.links == 0 for h in hits)


def test_a_refused_section_leaves_its_sentences_hits() -> None:
    # With three shared stems enough for a sentence pair, each pair is a hit of its own; the
    # section covering them replaces them, and when the caller refuses the section (its
    # gates), they stay.
    assert [h.links for h in _reworded([0, 1, 2, 3, 4, 5], min_shared=3)] == [6]
    refused = _reworded([0, 1, 2, 3, 4, 5], min_shared=3, section_filter=lambda hit: False)
    assert len(refused) == 6
    assert all(h.links == 0 and len(h.shared) == 3 for h in refused)


HOST_A = (
    "Fisheries cooperation in the northern basin has expanded steadily, and joint patrols "
    "reduced illegal catches by a third during the last season.\n\n"
    "{}\n\n"
    "The new port authority will publish its tariffs in the spring, after consultation with "
    "shipping companies and the customs service."
)
HOST_B = (
    "Our schools opened three hundred new classrooms this year, most of them in rural "
    "districts where teachers had been scarce.\n\n"
    "{}\n\n"
    "A census of forests, the first in twenty years, begins next month with the support of "
    "two universities."
)


def test_a_sentence_with_a_moved_clause_is_one_paraphrase() -> None:
    original = (
        "HIV/AIDS continues to threaten to undermine decades and centuries of progress in "
        "health care and in developing healthy populations that facilitate economic growth "
        "throughout the world."
    )
    reworded = (
        "Decades and centuries of progress in health care, and in building healthy "
        "populations that foster economic growth around the world, are still threatened by "
        "HIV/AIDS."
    )
    a, b = HOST_A.format(original), HOST_B.format(reworded)
    pair = compare(load_text(a, doc_id="a"), load_text(b, doc_id="b")).pairs[0]
    para = [m for m in pair.matches if m.kind is Kind.PARAPHRASE]
    assert len(para) == 1
    start = b.index(reworded)
    # The whole reworded sentence, not only its verbatim run.
    assert para[0].b.span.start <= start + 5
    assert para[0].b.span.end >= start + len(reworded) - 10
    assert "threaten" in para[0].reason


def test_names_and_titles_share_of_a_hit() -> None:
    # Capitalised inside a sentence on both sides (also after "Mr."): a name or a title;
    # capitalised only where a sentence opens: an ordinary word.
    a = prepare(
        load_text("Progress was slow. We thank Mr. Holkeri and the Secretary-General.", doc_id="a")
    )
    b = prepare(
        load_text("Progress came. Mr. Holkeri, like the Secretary-General, is thanked.", doc_id="b")
    )
    stems = ("gener", "holkeri", "progress", "secretary", "thank")
    assert set(stems) <= set(a.roots) & set(b.roots)
    hit = ParaphraseHit(0, len(a.tokens), 0, len(b.tokens), 50.0, stems, ())
    assert reworded._name_share(a, b, hit) == 3 / 5
    assert reworded._name_share(a, b, hit, {"progress", "thank"}) == 0.0


# Reworded blocks (`join_sections`): parts of one reuse whose sentences come in another order,
# or with a sentence between them, join into one passage; unrelated text between keeps them
# apart.


def _word(tag: str, n: int, k: int) -> str:
    """A made-up word (unknown to any frequency list, so rare) for word `k` of sentence `n`."""
    return f"{tag}{'bdfgklmprt'[n]}{'aeiou'[k % 5]}{'bdfgklmprt'[k]}ex"


def _sentence(tag: str, n: int, words: int = 8) -> str:
    return (
        " ".join(_word(tag, n, k % 10) + "z" * (k // 10) for k in range(words)).capitalize() + "."
    )


def _text(paragraphs: list[list[str]]) -> str:
    return "\n\n".join(" ".join(p) for p in paragraphs)


def _part(kind: Kind, a: str, b: str, ta: str, tb: str) -> Match:
    """A match of `kind` between sentence `ta` of text `a` and sentence `tb` of text `b` (a
    sentence, or a phrase of a sentence: then a short one, an echo)."""
    sa, sb = a.index(ta), b.index(tb)
    return Match(
        a=Passage("a", Span(sa, sa + len(ta))),
        b=Passage("b", Span(sb, sb + len(tb))),
        kind=kind,
        score=60.0,
        words=min(len(ta.split()), len(tb.split())),
    )


def _join(
    pa: list[list[str]], pb: list[list[str]], parts: list[tuple[Kind, str, str]]
) -> list[Match]:
    a, b = _text(pa), _text(pb)
    prepared_a = prepare(load_text(a, doc_id="a"))
    prepared_b = prepare(load_text(b, doc_id="b"))
    matches = [_part(kind, a, b, x, y) for kind, x, y in parts]
    return reworded.join_sections(matches, prepared_a, prepared_b, Options())


P, V = Kind.PARAPHRASE, Kind.PHRASING


def test_sentences_reworded_in_another_order_are_one_passage() -> None:
    a = [_sentence("a", n) for n in range(6)]
    b = [_sentence("b", n) for n in range(6)]
    # A's sentences 1-4 are B's 4, 1, 3, 2: a reworded section whose sentences were shuffled.
    parts = [(P, a[1], b[4]), (V, a[2], b[1]), (P, a[3], b[3]), (V, a[4], b[2])]
    joined = _join([a], [b], parts)
    assert len(joined) == 1
    assert joined[0].kind is Kind.PARAPHRASE
    assert joined[0].a.span.start == _text([a]).index(a[1])
    assert joined[0].b.span.end == _text([b]).index(b[4]) + len(b[4])


def test_a_sentence_reworded_beyond_recognition_between_two_parts() -> None:
    a = [_sentence("a", n) for n in range(6)]
    b = [_sentence("b", n) for n in range(6)]
    # Sentence 2 is unmatched on both sides, inside the paragraphs holding the parts.
    assert len(_join([a], [b], [(P, a[1], b[1]), (P, a[3], b[3])])) == 1
    # Three sentences between: two reuses.
    assert len(_join([a], [b], [(P, a[0], b[0]), (P, a[4], b[4])])) == 2


def test_whole_paragraphs_between_keep_parts_apart_unless_they_share_words() -> None:
    a = [_sentence("a", n) for n in range(3)]
    b = [_sentence("b", n) for n in range(3)]
    parts = [(P, a[0], b[0]), (V, a[2], b[2])]
    # An unrelated paragraph between on both sides (a closing line after a reworded point).
    assert len(_join([[a[0]], [a[1]], [a[2]]], [[b[0]], [b[1]], [b[2]]], parts)) == 2
    # The paragraphs between share words: reworded too, so one reuse.
    b1 = (
        " ".join(
            [_word("a", 1, 1), _word("a", 1, 2), _word("a", 1, 3)]
            + [_word("b", 1, k) for k in range(4)]
        ).capitalize()
        + "."
    )
    b_shared = [b[0], b1, b[2]]
    parts = [(P, a[0], b[0]), (V, a[2], b[2])]
    assert len(_join([[a[0]], [a[1]], [a[2]]], [[x] for x in b_shared], parts)) == 1
    # A paragraph on one side only (two sentences, longer than a sentence's reach): an
    # insertion between two reuses.
    inserted = [_sentence("c", 0, 18) + " " + _sentence("c", 1, 18)]
    assert len(_join([[a[0]], inserted, [a[2]]], [[b[0], b[2]]], parts)) == 2


def test_verbatim_sentences_shuffled_in_a_paragraph_are_one_passage() -> None:
    a = [_sentence("a", n) for n in range(4)]
    b = [_sentence("b", n) for n in range(4)]
    parts = [(V, a[0], b[2]), (V, a[1], b[0]), (V, a[2], b[3]), (V, a[3], b[1])]
    joined = _join([a], [b], parts)
    assert len(joined) == 1
    assert joined[0].kind is Kind.PHRASING
    assert len(joined[0].a.span) == len(_text([a]))
    assert "whose sentences come in another order on the two sides" in joined[0].reason


def test_verbatim_sentences_left_out_in_a_paragraph_are_said_in_the_same_order() -> None:
    # B leaves A's sentence 2 out: an abridgement, whose parts keep their order.
    a = [_sentence("a", n) for n in range(4)]
    b = [_sentence("b", n) for n in range(3)]
    parts = [(V, a[0], b[0]), (V, a[1], b[1]), (V, a[3], b[2])]
    joined = _join([a], [b], parts)
    reasons = [m.reason for m in joined if m.reason.startswith("phrasing: one block")]
    assert reasons, [m.reason for m in joined]
    assert all("in the same order on both sides" in r for r in reasons), reasons


def test_whole_paragraphs_moved_stay_apart() -> None:
    a = [_sentence("a", n) for n in range(2)]
    b = [_sentence("b", n) for n in range(2)]
    parts = [(V, a[0], b[1]), (V, a[1], b[0])]
    assert len(_join([[a[0]], [a[1]]], [[b[0]], [b[1]]], parts)) == 2


def test_verbatim_paragraphs_reused_in_order_are_one_passage() -> None:
    # Two paragraphs copied one after the other, in the same order: one stretch of text.
    a = [_sentence("a", n) for n in range(3)]
    b = [_sentence("b", n) for n in range(3)]
    parts = [(V, a[0], b[0]), (V, a[1], b[1])]
    joined = _join([[a[0]], [a[1]]], [[b[0]], [b[1]]], parts)
    assert len(joined) == 1
    assert joined[0].kind is Kind.PHRASING
    # An unmatched sentence between them on one side: two reuses.
    assert len(_join([[a[0]], [a[2]], [a[1]]], [[b[0]], [b[1]]], parts)) == 2


def test_a_summary_that_leaves_out_sentences_is_one_passage() -> None:
    """Two reworded parts next to each other on one side, with sentences of the other side
    left out between them (inside its paragraph), in the same order: one reuse."""
    a = [_sentence("a", n) for n in range(3)]
    b = [_sentence("b", n) for n in range(8)]
    parts = [(P, a[0], b[0]), (P, a[1], b[5])]
    joined = _join([a], [b], parts)
    assert len(joined) == 1
    assert joined[0].kind is Kind.PARAPHRASE
    # The same parts in another order on the two sides: two reuses.
    assert len(_join([a], [b], [(P, a[0], b[5]), (P, a[1], b[0])])) == 2
    # The left-out sentences are a whole paragraph: an insertion between two reuses.
    assert len(_join([a], [b[:1], b[1:5], b[5:]], parts)) == 2
    # Sentences between on both sides: two reuses.
    a_far = [_sentence("a", n) for n in range(6)]
    assert len(_join([a_far], [b], [(P, a_far[0], b[0]), (P, a_far[3], b[5])])) == 2
    # More than `_SKIP_GAP` sentences left out: two reuses.
    b_long = [_sentence("b", n % 10, 8 + n // 10) for n in range(reworded._SKIP_GAP + 3)]
    far = [(P, a[0], b_long[0]), (P, a[1], b_long[-1])]
    assert len(_join([a], [b_long], far)) == 2


def test_an_echo_joins_a_reworded_group_only_next_to_it() -> None:
    """A short phrase both texts use ("development partners") is no evidence of its own: it
    joins a reworded sentence group when it lies in the next sentence on at least one side,
    not across unrelated sentences left unmatched on both sides."""
    a = [_sentence("a", n) for n in range(6)]
    b = [_sentence("b", n) for n in range(8)]
    echo_a, echo_b = " ".join(a[1].split()[:2]), " ".join(b[1].split()[:2])
    # One unmatched sentence between in A, three in B (the summary rule's reach).
    far = _join([a], [b], [(V, echo_a, echo_b), (P, a[3], b[5])])
    assert sorted(m.words for m in far) == [2, 8]
    # In the sentence next to the group on both sides: part of it.
    near = _join([a], [b], [(V, echo_a, echo_b), (P, a[2], b[2])])
    assert len(near) == 1
    assert near[0].kind is Kind.PARAPHRASE
    # Next to it on one side, sentences left out on the other (a summary): part of it.
    summary = _join([a], [b], [(V, echo_a, echo_b), (P, a[2], b[4])])
    assert len(summary) == 1
    # A verbatim passage takes in an echo only where they touch: "post-2015 development
    # agenda" two sentences away in B stays an echo.
    verbatim = _join([a], [b], [(V, echo_a, echo_b), (V, a[2], b[4])])
    assert sorted(m.words for m in verbatim) == [2, 8]


def test_ops_of_a_joined_group_are_not_repeated() -> None:
    """A part's verbatim run that lies inside another part's op is shown once."""
    outer = AlignOp("equal", Span(10, 40), Span(110, 140))
    inner = AlignOp("equal", Span(20, 30), Span(120, 130))
    beside = AlignOp("equal", Span(50, 60), Span(100, 105))
    assert reworded._outer_ops([inner, beside, outer, outer]) == (outer, beside)


def test_a_long_summary_may_leave_out_a_whole_paragraph() -> None:
    """A long reworded section whose other side has a paragraph left out between its parts
    is one reuse when the parts cover most of that side's span (`_SUMMARY_DENSITY`); the same
    paragraph between two short parts is an insertion between two reuses."""
    a = [_sentence("a", n) for n in range(8)]
    b = [_sentence("b", n) for n in range(8)]
    left_out = [_sentence("c", 0, 18), _sentence("c", 1, 18)]  # longer than a sentence's reach
    pb = [b[:5], left_out, b[5:]]
    parts = [(P, a[k], b[k]) for k in range(8)]
    joined = _join([a], pb, parts)
    assert len(joined) == 1
    assert joined[0].kind is Kind.PARAPHRASE
    # Two short parts around the same paragraph: most of the span is the paragraph.
    assert len(_join([a], [b[4:5], left_out, b[5:6]], [(P, a[4], b[4]), (P, a[5], b[5])])) == 2
    # The same long section in another order on the two sides: no summary.
    swapped = [(P, a[k], b[(k + 5) % 8]) for k in range(8)]
    assert len(_join([a], pb, swapped)) == 2


def test_a_name_inside_a_reworded_sentence_does_not_part_a_reuse() -> None:
    a = [_sentence("a", n) for n in range(3)]
    b = [_sentence("b", n) for n in range(3)]
    shared = [_word("a", 1, k) for k in range(1, 4)]
    a1 = " ".join(["Praxet", "Volmund", "said", *shared, *(_word("a", 2, k) for k in range(4))])
    b1 = " ".join(["Praxet", "Volmund", "wrote", *shared, *(_word("b", 2, k) for k in range(4))])
    name = (Kind.NAME, "Praxet Volmund", "Praxet Volmund")
    parts = [(P, a[0], b[0]), name, (P, a[2], b[2])]
    # The sentence holding the name is reworded too (three more stems shared): one reuse.
    joined = _join([[a[0], a1 + ".", a[2]]], [[b[0], b1 + ".", b[2]]], parts)
    assert sorted(m.kind.value for m in joined) == ["name", "paraphrase"]
    # A sentence sharing nothing but the name: the name parts two reuses.
    other = " ".join(["Praxet", "Volmund", "wrote", *(_word("b", 2, k) for k in range(7))])
    apart = _join([[a[0], a1 + ".", a[2]]], [[b[0], other + ".", b[2]]], parts)
    assert len(apart) == 3
