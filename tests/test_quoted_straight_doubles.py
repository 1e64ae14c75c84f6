"""Straight double quotes read by where they stand, not counted by parity
(`classify.inside_quotes`): a student's answer that leaves one mark open ('the purpose of
"measuring references. The name "PageRank" is …') put every later passage of it inside
quotation marks, and a word quoted in a lead-in ('with the purpose of "measuring" its
importance') made the rest of its passage a quotation; 8 of the 8 "quotation" matches of a scan
of Clough and Stevenson's answers were these."""

from __future__ import annotations

from docdiff.engine.classify import inside_quotes
from tests._spans import span_between as _span

LEFT_OPEN = (
    'It is applied to any collection of entities with the purpose of "measuring references. '
    'The name "PageRank" is a trademark of Google, and the PageRank process has been patented. '
    "Google has exclusive license rights on the patent from Stanford University.\n"
    'In other words, a PageRank results from a "ballot" among all the other pages.\n'
)


def test_a_mark_left_open_quotes_nothing_after_a_new_quotation() -> None:
    span = _span(LEFT_OPEN, "Google has exclusive", "Stanford University")
    assert not inside_quotes(LEFT_OPEN, span)


def test_a_word_quoted_in_the_lead_in_does_not_quote_the_rest() -> None:
    text = (
        'PageRank has the purpose of "measuring" the relative importance of each element of a '
        "hyperlinked set of documents within the set, and the process has been patented.\n"
        'Google describes PageRank: "it relies on the democratic nature of the web".\n'
    )
    assert not inside_quotes(text, _span(text, "PageRank has", "been patented"))


def test_straight_double_quotes_around_a_passage_quote_it() -> None:
    text = (
        'The minister said: "The numerical weight that it assigns to any given element is '
        'also called the rank of that element." Then he left.\n'
    )
    assert inside_quotes(text, _span(text, "The numerical", "that element"))
    assert inside_quotes(text, _span(text, "numerical weight", "called the rank"))
    # A quotation's lead-in of a third at most, the opening mark inside the passage.
    lead = 'We recall the theme, "Building resilience through hope and a shared future".\n'
    assert inside_quotes(lead, _span(lead, "the theme", "shared future"))


def test_a_quotation_of_two_thirds_of_the_passage_quotes_it() -> None:
    text = (
        "I welcome the theme of the general debate, namely, \u2018Bringing about adjustment or "
        "settlement of international disputes or situations by peaceful means\u2019. That "
        "subject follows on from last year\u2019s theme.\n"
    )
    assert inside_quotes(text, _span(text, "general debate", "That subject"))


def test_a_straight_double_quote_after_another_opening_mark_opens() -> None:
    text = (
        "The theme for this session, '\"Leaving no one behind: acting together for the "
        "advancement of peace, sustainable development and human dignity for present and "
        "future generations\"' presents an opportunity.\n"
    )
    assert inside_quotes(text, _span(text, "peace, sustainable", "human dignity"))
