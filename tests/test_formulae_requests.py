"""A cable's request or reply turns to its reader ("Please advise {…}", "Your telegram {…}")
and opens its sentence wherever it stands, at the close of a paragraph in the middle of a text
as at the end: it is a formula of the correspondence, though it does not gather at the
documents' edges (`_to_the_reader`)."""

from __future__ import annotations

import random

from docdiff.corpus.formulae import formulae_report
from docdiff.model import Document, Formula
from tests._families import listed_under
from tests._made_up import WORDS, cable, sentence


def _cables(n: int = 40) -> list[Document]:
    """Cables of eight senders over ten years; in a third of them a paragraph in the middle
    closes on a request."""
    rng = random.Random(5)
    docs = []
    for i in range(n):
        paragraphs = [" ".join(sentence(rng, 14) for _ in range(4)) for _ in range(6)]
        where = 2 + i % 3
        if i % 3 == 0:
            ask = " ".join(rng.choice(WORDS) for _ in range(5))
            paragraphs[where] += f" Please advise {ask}."
        docs.append(cable(i, paragraphs, 8))
    return docs


def test_a_request_to_the_reader_is_a_formula_wherever_it_stands() -> None:
    report = formulae_report(_cables(), min_docs=5, limit=60)
    wordings = [g.template for f in report.formulae for g in (f, *f.variants)]
    assert "Please advise {…}" in wordings, wordings


def test_requests_that_ask_different_things_are_one_formula() -> None:
    """A cable's request to its reader is one formula whatever it asks ("Please see {…}",
    "Please telegraph {…}" of "Please advise {…}"; a reply likewise: "Your cablegram {…}" of
    "Your telegram {…}"); DFAT volumes 1-14 sampled: three requests took three ranks of 60."""
    ranked = [
        Formula("Your telegram {…}", 44),
        Formula("Please advise {…}", 8),
        Formula("Please convey {…}", 6),
        Formula("Please telegraph {…}", 4),
        Formula("Your cablegram {…}", 4),
    ]
    assert listed_under(ranked) == {
        "Your telegram {…}": ["Your cablegram {…}"],
        "Please advise {…}": ["Please convey {…}", "Please telegraph {…}"],
    }


def test_a_request_with_more_words_or_another_opening_stays_apart() -> None:
    ranked = [
        Formula("Please advise {…}", 8),
        Formula("Please {…} the following message to the {…}", 12),
        Formula("Many thanks for your {…}", 4),
        Formula("I refer to {…}", 4),
        Formula("I hope to {…}", 4),
    ]
    assert list(listed_under(ranked)) == [f.template for f in ranked]


def _few_requests(n: int = 40) -> list[Document]:
    """Cables as `_cables` makes them; in one of seven a paragraph in the middle closes on the
    request "Please pass {…}", which each goes on differently, two of them with words that
    other cables use too ("Please pass the following message to {…}", where one in five says
    "we sent the following message to {…}")."""
    rng = random.Random(11)
    docs = []
    for i in range(n):
        paragraphs = [" ".join(sentence(rng, 14) for _ in range(4)) for _ in range(6)]
        whom = " ".join(rng.choice(WORDS) for _ in range(4))
        if i % 7 == 0:
            lead = "the following message to " if i % 14 == 0 else ""
            paragraphs[2 + i % 3] += f" Please pass {lead}{whom}."
        elif i % 5 == 1:
            paragraphs[1] += f" We sent the following message to {whom}."
        docs.append(cable(i, paragraphs, 8))
    return docs


def test_a_request_in_a_few_documents_is_found_though_its_regions_part() -> None:
    """DFAT volumes 15-28 (the tuning sample of round 36) held "Please pass {…}" in four
    documents; the one going on "Please pass following to {name} …", words other cables use,
    made a longer region that was grouped apart, and the three left were too few to judge.
    Sentences that turn to the reader are also gathered by their first two words and judged as
    any template."""
    report = formulae_report(_few_requests(), min_docs=5, limit=60)
    wordings = [g.template for f in report.formulae for g in (f, *f.variants)]
    assert "Please pass {…}" in wordings, wordings
