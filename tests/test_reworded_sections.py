"""Reworded sections: sentences reworded one by one, in the same order, become one passage."""

from __future__ import annotations

from typing import Any

from docdiff.engine import reworded
from docdiff.engine.compare import compare
from docdiff.engine.paraphrase import ParaphraseHit, find_paraphrases
from docdiff.engine.prepare import prepare
from docdiff.loaders import load_text
from docdiff.model import Kind


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
