"""A title names someone and a citation names a statute: both are names, however long the
title ("Comrade Kim Jong Un, Chairman of the Workers’ Party of Korea and Chairman of the State
Affairs Commission of the Democratic People’s Republic of Korea" was phrasing at 25 words in the
DPRK's speeches) and whatever numbers the citation holds ("section 4 of the Judicial Committee
Act 1833" was phrasing in DFAT volume 27: only 3 of its 6 content words capitalised). Rhetoric
around a citation stays phrasing."""

from __future__ import annotations

import pytest

from docdiff.engine.classify import name_evidence
from docdiff.loaders import load_text
from docdiff.text.tokens import tokenize


def _evidence(text: str) -> tuple[bool, str]:
    tokens = tokenize(load_text(text, doc_id="x").text)
    return name_evidence(text, tokens, 0, len(tokens.keys))


@pytest.mark.parametrize(
    "text",
    [
        (
            "Comrade Kim Jong Un, Chairman of the Workers\u2019 Party of Korea and Chairman of "
            "the State Affairs Commission of the Democratic People\u2019s Republic of Korea"
        ),
        (
            "Workers\u2019 Party of Korea and Chairman of the State Affairs Commission of the "
            "Democratic People\u2019s Republic of Korea"
        ),
    ],
)
def test_a_long_title_is_a_name(text: str) -> None:
    found, why = _evidence(text)
    assert found, why


@pytest.mark.parametrize(
    "text",
    [
        "section 4 of the Judicial Committee Act 1833",
        "Section 4 of the Judicial Committee Act, 1833",
        "section 4 of the Act of 1833",
        "section 4 of the 1833 Act",
        "paragraph 3 of Security Council resolution 2270 (2016)",
        "Article 51 of the Charter",
        "the 1951 Convention relating to the Status of Refugees",
    ],
)
def test_a_citation_is_a_name(text: str) -> None:
    found, why = _evidence(text)
    assert found, why


@pytest.mark.parametrize(
    "text",
    [
        "the abolition of appeals under section 4 was urged",
        "4 per cent of gross national income",
        "1, 2 and 3",
        "the section of the report on trade",
    ],
)
def test_rhetoric_and_figures_are_not_names(text: str) -> None:
    found, why = _evidence(text)
    assert not found, why


def test_short_lines_of_a_hard_wrapped_paragraph_are_no_heading() -> None:
    """A speech printed with a break every few words (the UN's 2013 speeches): rhetoric across
    two of its short lines was "a heading or letterhead block"."""
    text = (
        "Relations among States must be built on \nmutual respect and non-interference in \n"
        "the internal affairs of others and on \ndialogue rather than force."
    )
    tokens = tokenize(text)
    i0 = tokens.forms.index("mutual")
    i1 = tokens.forms.index("affairs") + 1
    found, why = name_evidence(text, tokens, i0, i1)
    assert not found, why


def test_a_letterhead_is_a_heading_block() -> None:
    text = "Embassy of Examplia\ntrade section\nfisheries desk\n\nThe Mission has received it."
    tokens = tokenize(text)
    found, why = name_evidence(text, tokens, 0, tokens.forms.index("desk") + 1)
    assert found, why
    assert "heading" in why
