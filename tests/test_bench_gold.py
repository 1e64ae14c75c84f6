"""The formula benchmark's two tests of whether a sample holds a gold formula."""

from __future__ import annotations

import pytest

from tests.benchmarks.bench_formulae import gold_regex, written_regex


@pytest.mark.parametrize(
    ("template", "text"),
    [
        ("Received {date}", "Received 3 May 1949."),
        ("MOST IMMEDIATE", "MOST IMMEDIATE SECRET"),
        ("MOST IMMEDIATE", "Most Immediate"),
        ("Canberra, {date}", "CANBERRA, 21 March 1949, 11.30 a.m."),
        ("for your information", "For your information, the text follows."),
        ("Cablegram {number} CANBERRA, {date}", "Cablegram 153 CANBERRA, 21 March 1949"),
        ("{…} enshrined in the Charter {…}", "the values enshrined in the Charter of the"),
        ("(see A/{number}/PV.{number})", "(see A/60/PV.4)"),
    ],
)
def test_a_formula_as_written_is_held(template: str, text: str) -> None:
    assert written_regex(template).search(text)
    assert gold_regex(template).search(text)


@pytest.mark.parametrize(
    ("template", "text"),
    [
        ("Received {date}", "the letter was received by the Minister"),
        ("MOST IMMEDIATE", "it is most immediate that we act"),
        ("Dispatched {date}.", "Dispatched on 30 January, it reported."),
        ("Enclosure", "Enclosures follow."),
        ("Agendum {number}", "agendum of the meeting"),
    ],
)
def test_only_the_loose_test_holds_a_word_in_running_text(template: str, text: str) -> None:
    assert gold_regex(template).search(text)
    assert not written_regex(template).search(text)
