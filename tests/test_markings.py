"""Marking lines ("MOST SECRET", "PRIORITY RESTRICTED") and notes' calls ("[1]") are no prose:
a paraphrase neither takes its evidence from them nor opens on them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from docdiff.engine.compare import compare
from docdiff.loaders import load_text
from docdiff.model import Kind
from docdiff.text.markings import call_spans, marking_spans


def test_marking_lines_are_short_lines_in_capitals() -> None:
    text = (
        "MOST SECRET\n\nYour 354. [1] Japanese Exchange.\n _**CANBERRA**_ \n"
        "PART II of the [12] text\n"
        "THE COMMONWEALTH GOVERNMENT HAS DECIDED TO ACCEPT THE OFFER OF THE NEW LOAN\n"
        "\u7b2c\u4e00\u7ae0\nUN \u5927\u4f1a\nI.\n"
    )
    assert [text[s:e] for s, e in marking_spans(text)] == ["MOST SECRET", "CANBERRA", "I."]
    assert [text[s:e] for s, e in call_spans(text)] == ["1", "12"]
    listed = "(1) That a [2] stand (b) fast (iv) and (UN) the (see x) (12) end"
    assert [listed[s:e] for s, e in call_spans(listed)] == ["1", "2", "b", "iv", "12"]
    # Below the first line of prose, a heading in capitals heads a section of the text.
    body = "SECRET\n\nThe Minister has approved the plan for the new electorates.\n\nPART II\n"
    assert [body[s:e] for s, e in marking_spans(body)] == ["SECRET"]
    # A dateline and a reference above the markings are no prose (DFAT volume 8).
    cable = (
        "Cablegram D1840 LONDON, 30 September 1945, 10.30 p.m.\n\nTOP SECRET AND PERSONAL\n\n"
        "My immediately preceding telegram. [1] CONTROL OF JAPAN.\n\nDraft amended terms of "
        "reference for the Commission.\n\nIMPORTANT\n"
    )
    assert [cable[s:e] for s, e in marking_spans(cable)] == ["TOP SECRET AND PERSONAL"]


@given(st.text(alphabet=st.sampled_from("AB ab\n[]1*_.,\u00c9\u00e9"), max_size=80))
def test_a_marking_span_is_one_lines_words_with_no_lower_case(text: str) -> None:
    for s, e in marking_spans(text):
        words = text[s:e]
        assert words
        assert "\n" not in words
        assert words == words.strip(" \t\r*_")
        assert not any(c.islower() for c in words)
        assert any(c.isupper() for c in words)
        assert len(words.split()) <= 10


def test_a_paraphrase_does_not_open_on_a_cables_markings() -> None:
    """DFAT volume 15: a paraphrase of two cables opened on "RESTRICTED" and on "PRIORITY
    RESTRICTED" (the one word they shared there), 30 of 305 paraphrases in a scan of the whole
    corpus on a marking line."""
    a = load_text(
        "Cablegram 412 CANBERRA, 3 March 1949\n\nRESTRICTED\n\nYour UN379 [1]. Indonesia.\n\n"
        "We have sought the views of the commission on the chairmanship of the round table "
        "conference at The Hague. The commission considers that a neutral chairman, acceptable "
        "to the Netherlands and the Republic alike, would best serve the talks on the transfer "
        "of sovereignty.\n",
        doc_id="a",
    )
    b = load_text(
        "Cablegram 95 NEW YORK, 5 March 1949\n\nPRIORITY RESTRICTED\n\nThe chairmanship of the "
        "round table conference at The Hague was discussed with the commission, whose views you "
        "sought. In its opinion the talks on the transfer of sovereignty would be best served by "
        "a neutral chairman whom the Republic and the Netherlands could both accept.\n",
        doc_id="b",
    )
    (pair,) = compare(a, b).pairs
    (reworded,) = [m for m in pair.matches if m.kind is Kind.PARAPHRASE]
    assert a.slice(reworded.a.span).startswith("We have sought"), a.slice(reworded.a.span)
    assert b.slice(reworded.b.span).startswith("The chairmanship"), b.slice(reworded.b.span)


def test_a_letters_head_is_its_markings_and_salutation() -> None:
    from docdiff.text.markings import head_spans

    text = (
        "11th May, 1927\n\nPERSONAL & CONFIDENTIAL\n\nMy dear Prime Minister,\n\nCANBERRA\n\n"
        "During this week you must have been tremendously busy with the celebrations.\n\n"
        "Dear Sir,\n"
    )
    assert [text[s:e] for s, e in head_spans(text)] == [
        "PERSONAL & CONFIDENTIAL",
        "My dear Prime Minister,",
        "CANBERRA",
    ]
    # A line in parentheses above the text is the head's too (volume 18: 125 letters note
    # their arrival so, and 47 of them made one cluster of "PERSONAL AND CONFIDENTIAL\n\n(Due
    # to arrive Canberra 29.3.29)\n\nMy dear P.M."); one below the first prose line is not.
    routed = (
        "PERSONAL AND CONFIDENTIAL\n\n(Due to arrive Canberra 29.3.29)\n\nMy dear P.M.\n\n"
        "The Board has voted the funds for the research station at Cambridge.\n\n(The end.)\n"
    )
    assert [routed[s:e] for s, e in head_spans(routed)] == [
        "PERSONAL AND CONFIDENTIAL",
        "(Due to arrive Canberra 29.3.29)",
        "My dear P.M.",
    ]


@given(st.text(alphabet=st.sampled_from("([])1 2ivxab.\u00e9\u4e00"), max_size=60))
def test_calls_are_marks_alone_in_their_brackets(text: str) -> None:
    import re

    alone = re.compile(r"(?<=\[)\d{1,3}(?=\])|(?<=\()(?:\d{1,3}|[^\W\d_]|[ivx]{2,4})(?=\))")
    assert call_spans(text) == tuple(m.span() for m in alone.finditer(text))
