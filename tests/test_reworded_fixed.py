"""A reworded section is cut at a formula or a name, not thrown away for holding one.

A cable that passes a message on opens with a request ("Please pass the following message
from the Prime Minister to …"): when that request came into the lexicon, DFAT volume 25's
cables 299 and 300 (one message redrafted for two prime ministers) lost their whole reworded
body, since the request lay in the section's first sentence and a section holding a formula
was left out. The sentences holding a formula or a name now part a section instead
(`paraphrase._blocked`, `paraphrase._ranks`): the body after the request is still one
reworded passage.

The same holds at the other end: the closing ("With warm regards," / "Kind regards,") and the
signature below it are no part of the reworded body either.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from docdiff.engine import paraphrase
from docdiff.engine.compare import compare
from docdiff.model import Kind
from docdiff.options import Options
from tests._archives import DFAT, archive_documents

VOLUME = (
    "dfat_historical_documents/txt/volume-25-australia-and-the-formation-of-malaysia-1961-1966/"
)


def test_the_reworded_body_under_a_cables_request_is_found(shared_dir: Path) -> None:
    a, b = archive_documents(shared_dir, DFAT, VOLUME, ("299-", "300-"))
    (pair,) = compare(a, b, Options()).pairs
    (request,) = [m for m in pair.matches if "'transmit'" in m.reason]
    assert a.text[request.a.span.start :].startswith("Please pass the following message")
    reworded = [m for m in pair.matches if m.kind is Kind.PARAPHRASE]
    assert reworded, pair.matches
    assert max(m.words for m in reworded) >= 100, pair.matches
    for m in reworded:  # the request is no part of the reworded body
        assert m.a.span.start >= request.a.span.end
        assert m.b.span.start >= request.b.span.end


CABLE_A = """Canberra, 4 March 1962

512. Secret

Please pass the following message from the Prime Minister to the Prime Minister of Examplia. \
Thank you for your letter about the fisheries dispute, which I have read with great care \
together with the report of your commissioners.

I understand the difficulties your Government faces over the northern trawling grounds and the \
pressure of the coastal villages. We have no wish to see the quarrel over quotas harm the wider \
friendship between our two peoples. My Cabinet agreed yesterday that our patrol vessels will \
withdraw beyond the median line while the commissioners meet. I hope you will regard this as a \
sign of goodwill and that your own vessels will observe the same restraint. If the \
commissioners can settle the quotas before the winter season, I should welcome a visit by your \
Foreign Minister to sign the agreement in Canberra.

With warm regards,
A. B. Testman
"""

CABLE_B = """Canberra, 5 March 1962

1174. Secret Immediate

Please pass the following message from the Prime Minister to the President of Samplestan. \
Your letter on the fisheries question reached me yesterday, and I have studied it closely along \
with your commissioners' report.

The pressure that the coastal villages put on your Government over the northern trawling \
grounds is well understood here. Nothing would grieve us more than to let a quarrel about \
quotas damage the friendship of our two peoples. Yesterday my Cabinet decided that, while the \
commissioners are meeting, our patrol vessels should pull back beyond the median line. Please \
take this as a gesture of goodwill; I trust your vessels will show similar restraint. Should \
the commissioners settle the quotas before winter, your Foreign Minister would be most welcome \
in Canberra to sign the agreement.

Kind regards,
A. B. Testman
"""


def test_a_redrafted_message_is_one_reworded_body_between_request_and_closing() -> None:
    """Two made-up cables: one message redrafted for two heads of government. The reworded
    passage opens on the message's first sentence, in the request's own paragraph (the
    session-start code began it a paragraph later: its section holding the request was left
    out), and ends on the message's last (it ran on into the closing and the signature)."""
    from docdiff.loaders import load_text

    a = load_text(CABLE_A, doc_id="a")
    b = load_text(CABLE_B, doc_id="b")
    (pair,) = compare(a, b, Options()).pairs
    (request,) = [m for m in pair.matches if "'transmit'" in m.reason]
    (reworded,) = [m for m in pair.matches if m.kind is Kind.PARAPHRASE]
    said_a = a.text[reworded.a.span.start : reworded.a.span.end]
    said_b = b.text[reworded.b.span.start : reworded.b.span.end]
    assert said_a.startswith("Thank you for your letter"), said_a
    assert said_b.startswith("Your letter on the fisheries question"), said_b
    assert said_a.endswith("to sign the agreement in Canberra"), said_a
    assert said_b.endswith("in Canberra to sign the agreement"), said_b
    assert request.a.span.end <= reworded.a.span.start


@given(
    st.lists(st.integers(0, 60), min_size=1, max_size=12),
    st.lists(st.tuples(st.integers(0, 70), st.integers(1, 8)), max_size=6),
)
def test_blocked_units_are_those_a_fixed_range_overlaps(
    cuts: list[int], fixed: list[tuple[int, int]]
) -> None:
    bounds = sorted(set(cuts))
    units = [(x, y) for x, y in itertools.pairwise(bounds) if y > x]
    ranges = [(x, x + n) for x, n in fixed]
    got = paraphrase._blocked(units, ranges)
    expected = [any(x0 < u1 and u0 < x1 for x0, x1 in ranges) for u0, u1 in units]
    if not any(expected):
        assert got is None
    else:
        assert got is not None
        assert got.tolist() == expected


@given(
    st.lists(st.booleans(), min_size=3, max_size=30),
    st.lists(st.booleans(), min_size=3, max_size=30),
    st.data(),
)
def test_no_section_runs_across_a_blocked_unit(
    block_a: list[bool], block_b: list[bool], data: st.DataObject
) -> None:
    va = [{"x": 1}] * len(block_a)
    vb = [{"x": 1}] * len(block_b)
    pairs = data.draw(
        st.sets(st.tuples(st.integers(0, len(va) - 1), st.integers(0, len(vb) - 1)), min_size=3)
    )
    blocked = (np.asarray(block_a), np.asarray(block_b))
    links = [(i, j, 0.5) for i, j in sorted(pairs) if not block_a[i] and not block_b[j]]
    for (i0, i1), (j0, j1), _ in paraphrase._sections(links, va, vb, blocked=blocked):
        assert not any(block_a[i0 : i1 + 1])
        assert not any(block_b[j0 : j1 + 1])


def test_without_blocked_units_sections_are_as_before() -> None:
    va = [{"x": 1}] * 8
    vb = [{"x": 1}] * 8
    links = [(k, k, 0.5) for k in range(8)]
    assert paraphrase._sections(links, va, vb) == [((0, 7), (0, 7), 8)]
    cut = (np.asarray([False] * 3 + [True] + [False] * 4), None)
    kept = [x for x in links if x[0] != 3]
    # Two sections, one either side of the blocked sentence (best first).
    assert paraphrase._sections(kept, va, vb, blocked=cut) == [
        ((4, 7), (4, 7), 4),
        ((0, 2), (0, 2), 3),
    ]


def test_a_sentence_group_does_not_join_across_one_sides_formula() -> None:
    """UN 2003, Dominica and Seychelles (in a scan of the year): "session of the General
    Assembly" (a short verbatim run) and the reworded passage on the Secretary-General were one
    32-word group across Dominica's "assures you of its full cooperation and support", which
    Seychelles does not say: a courtesy between two parts keeps them apart, as a formula both
    say already did."""
    from docdiff.engine.lexicon import Lexicon
    from docdiff.engine.prepare import prepare
    from docdiff.engine.reworded import join_sections
    from docdiff.loaders import load_text
    from docdiff.model import Match, Passage, Span

    text_a = (
        "I congratulate you on your election at the fifty-eighth session of the General "
        "Assembly, a session of many challenges. The delegation of Examplia assures you of its "
        "full cooperation and support. Profound appreciation is due to the Secretary-General "
        "for his tireless efforts to make the Organization more responsive."
    )
    text_b = (
        "We congratulate you on your election at the fifty-eighth session of the General "
        "Assembly. Our appreciation goes to the Secretary-General, whom we commend for his "
        "tireless efforts to make the Organization more effective and responsive."
    )
    a = prepare(load_text(text_a, doc_id="a"))
    b = prepare(load_text(text_b, doc_id="b"))

    def span(text: str, words: str) -> Span:
        start = text.index(words)
        return Span(start, start + len(words))

    run = "session of the General Assembly"
    echo = Match(
        Passage("a", span(text_a, run)), Passage("b", span(text_b, run)), Kind.PHRASING, 100, 5
    )
    reworded = Match(
        Passage("a", span(text_a, text_a[text_a.index("Profound") :].rstrip("."))),
        Passage("b", span(text_b, text_b[text_b.index("Our appreciation") :].rstrip("."))),
        Kind.PARAPHRASE,
        60,
        8,
        reason="paraphrase: 8 content words shared",
    )
    hits = [h for h in a.formula_hits(Lexicon.builtin()) if h.template.family == "support"]
    assert hits  # the lexicon's "assure … of … support", in A alone
    (joined,) = join_sections([echo, reworded], a, b, Options())  # (without the instances)
    assert joined.kind is Kind.PARAPHRASE
    assert joined.words == 13
    alone = join_sections([echo, reworded], a, b, Options(), ([(h.start, h.end) for h in hits], []))
    assert sorted(m.words for m in alone) == [5, 8], alone
