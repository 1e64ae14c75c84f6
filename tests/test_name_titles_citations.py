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


@pytest.mark.parametrize(
    "text",
    [
        # DFAT volume 25, two cables of 10 and 11 August 1965: 3 of 4 content words capitalised
        "Australia\u2019s recognition of the State of Singapore",
        "the Prime Minister\u2019s visit to Jakarta",
        "United Kingdom membership of the Community",
        "Third International Conference on Financing for Development, held in Addis Ababa",
    ],
)
def test_two_names_and_a_common_word_between_them_are_a_phrase(text: str) -> None:
    """A content word in lower case between capitalised ones is no name's word: the range is
    names joined by a phrase, however many of its words are capitalised."""
    found, why = _evidence(text)
    assert not found, why
    assert "between them" in why


@pytest.mark.parametrize(
    "text",
    [
        "Sheikh Mohammed bin Rashid Al Maktoum",
        "Mr Morais da Silva, Minister for Foreign Affairs",
        "the 1951 Convention relating to the Status of Refugees",
        "Kim Jong-il, Chairman of the National Defence Commission",
        "Secretary-General Ban Ki-moon and Secretary-General Kofi Annan",
    ],
)
def test_particles_compounds_and_an_instruments_participle_stay_in_a_name(text: str) -> None:
    """A name's particle, the words of a hyphenated name ("Ki-moon", "Jong-il": each goes by
    the compound's first letter) and an instrument's "relating to" are a name's own."""
    found, why = _evidence(text)
    assert found, why


def test_the_reason_of_a_piece_that_is_a_name_in_one_document_only_names_the_other() -> None:
    """Capitalised as a paper's title in A ("British Position in South East Asia"), written as
    a phrase in B: the passage is phrasing, and its reason says why B's words are no name (it
    quoted A's "5 of 5 content words capitalised")."""
    from docdiff.engine.compare import compare
    from docdiff.options import Options

    a = load_text("Annex: British Position in South East Asia. A paper is attached.", doc_id="a")
    b = load_text("We talked about the British position in South East Asia at length.", doc_id="b")
    (pair,) = compare(a, b, Options(min_words=4)).pairs
    (piece,) = [m for m in pair.matches if "Position" in a.text[m.a.span.start : m.a.span.end]]
    assert piece.kind.value == "phrasing", piece.reason
    assert "not a name (in B: two names and the common word 'position'" in piece.reason
    # the other way round, the same passage and its reason with the sides exchanged
    (mirrored,) = compare(b, a, Options(min_words=4)).pairs
    (other,) = [m for m in mirrored.matches if m.b.span == piece.a.span]
    assert "not a name (in A: two names and the common word 'position'" in other.reason
