"""A passage never starts or ends on a word cut out of a hyphenated compound ("re" of
"re-election" beside "re-appointment"): that is a part of two words, not a shared word. Nor on
the number of a note's call cut out of its brackets ("[2")."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.engine.compare import compare
from docdiff.loaders import load_text
from docdiff.model import Kind

_HYPHENS = "-\u2010\u2011"


def _cuts_a_compound(text: str, start: int, end: int) -> bool:
    after = text[end : end + 1] in _HYPHENS and text[end + 1 : end + 2].isalnum()
    before = start >= 2 and text[start - 1] in _HYPHENS and text[start - 2].isalnum()
    return bool(after or before)


def test_a_passage_stops_before_the_first_part_of_a_compound() -> None:
    a = load_text(
        "We warmly congratulate the Secretary-General of the United Nations, Mr. Antonio "
        "Guterres, on his re-election to a second term, and we wish him well.",
        doc_id="a",
    )
    b = load_text(
        "Allow me also to congratulate the Secretary-General of the United Nations, Mr. Antonio "
        "Guterres, on his re-appointment for another term of office.",
        doc_id="b",
    )
    (pair,) = compare(a, b).pairs
    shown = [*pair.matches, *pair.echoes]
    assert shown
    for m in shown:
        assert not a.slice(m.a.span).endswith(" re"), a.slice(m.a.span)
        assert not _cuts_a_compound(a.text, m.a.span.start, m.a.span.end)
        assert not _cuts_a_compound(b.text, m.b.span.start, m.b.span.end)


_WORDS = (
    "the council adopted resolution on maritime boundaries and fisheries cooperation "
    "between coastal states in the northern basin after long talks"
).split()
_PAIRS = [
    ("re-election", "re-appointment"),
    ("co-operation", "co-ordination"),
    ("non-aligned", "non-proliferation"),
    ("post-war", "anti-war"),
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(_WORDS), min_size=6, max_size=20),
    st.sampled_from(_PAIRS),
    st.lists(st.sampled_from(_WORDS), min_size=0, max_size=20),
    st.booleans(),
)
def test_no_passage_edge_cuts_a_compound(
    head: list[str], pair: tuple[str, str], tail: list[str], swap: bool
) -> None:
    """Shared words run up to (or on from) two compounds that share one part only."""
    first, second = pair if not swap else pair[::-1]
    a = load_text(" ".join([*head, first, *tail]) + ".", doc_id="a")
    b = load_text(" ".join([*head, second, *tail]) + ".", doc_id="b")
    (pair_result,) = compare(a, b).pairs
    for m in pair_result.matches:
        if m.kind is Kind.PARAPHRASE:
            continue  # (whole sentences)
        assert not _cuts_a_compound(a.text, m.a.span.start, m.a.span.end), a.slice(m.a.span)
        assert not _cuts_a_compound(b.text, m.b.span.start, m.b.span.end), b.slice(m.b.span)


def test_a_passage_neither_opens_nor_closes_inside_a_notes_call() -> None:
    """DFAT volume 4: two cables headed "For Chief of Naval Staff [1] only from Naval Attache.
    [2]" shared a passage ending "… Naval Attache. [2", and two minutes one opening "2] was
    present for the discussion of this subject"; clusters showed those texts."""
    cable_a = (
        "Cablegram 98 WASHINGTON, 7 February 1941, 4.01 p.m.\n\nMOST SECRET\n\nFor Chief of "
        "Naval Staff [1] only from Naval Attache. [2] With reference to your telegram No. "
        "336. [3]\n\n(1) Summary of United Kingdom delegation's instructions.\n"
    )
    cable_b = (
        "Cablegram 117 WASHINGTON, 13 February 1941, 12.22 a.m.\n\nMOST SECRET\n\nFor Chief "
        "of Naval Staff [1] from Naval Attache. [2]\n\n(1) Conversations are proceeding and "
        "have reached following stage.\n"
    )
    minute_a = (
        "War Cabinet Minute\n\nMELBOURNE, 8 August 1940\n\n(The Chief of the Naval Staff [2] "
        "was present for the discussion of this subject).\n\nThe War Cabinet approved the "
        "dispatch of two cruisers.\n"
    )
    minute_b = (
        "Advisory War Council Minute\n\nCANBERRA, 29 October 1940\n\n(The Minister for Supply "
        "and Development [2] was present for the discussion of this subject).\n\nThe Council "
        "noted the report on munitions.\n"
    )
    cases = [(cable_a, cable_b), (minute_a, minute_b)]
    for text_a, text_b in cases:
        a, b = load_text(text_a, doc_id="a"), load_text(text_b, doc_id="b")
        (pair,) = compare(a, b).pairs
        assert pair.matches
        for m in pair.matches:
            for doc, span in ((a, m.a.span), (b, m.b.span)):
                assert not re.search(r"\[\d+\]?$", doc.slice(span)), doc.slice(span)
                assert not re.match(r"^\d+\]", doc.slice(span)), doc.slice(span)


def test_a_passage_neither_opens_nor_closes_inside_a_lists_marker() -> None:
    """DFAT: 62 passages of a scan of the whole corpus opened inside a list's marker ("1)
    Sovereignty throughout the Netherlands Indies …", "c) Corresponding provision …") and 22
    closed inside one ("… to the Council, and (c")."""
    a = load_text(
        "The Committee agreed on the following points:\n\n(1) Sovereignty throughout the "
        "islands shall remain with the Crown until the transfer agreed at the conference, and "
        "(c) the harbour works at Darwin.\n",
        doc_id="a",
    )
    b = load_text(
        "Cabinet noted the delegation's report, (1) Sovereignty throughout the islands "
        "shall remain with the Crown until the transfer agreed at the conference, and (c) the "
        "fisheries of the northern coast.\n",
        doc_id="b",
    )
    (pair,) = compare(a, b).pairs
    assert pair.matches
    for m in pair.matches:
        for doc, span in ((a, m.a.span), (b, m.b.span)):
            shown = doc.slice(span)
            assert not re.match(r"^\w{1,4}\)", shown), shown
            assert not re.search(r"\(\w{1,4}$", shown), shown
