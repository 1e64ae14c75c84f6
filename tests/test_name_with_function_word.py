"""A word that is a function word elsewhere, capitalised right after a capitalised word, is part
of a name: "Comrade Kim Jong Un, President of the State Affairs" was called phrasing ("contains
the function word 'un'", French's article) between the DPRK's 2023 and 2024 speeches. A
sentence's "The" and the pronoun "I" stay function words."""

from __future__ import annotations

from docdiff.engine.classify import name_evidence
from docdiff.loaders import load_text
from docdiff.text.tokens import tokenize


def _evidence(text: str) -> tuple[bool, str]:
    tokens = tokenize(load_text(text, doc_id="x").text)
    return name_evidence(text, tokens, 0, len(tokens.keys))


def test_a_capitalised_function_word_inside_a_name_is_part_of_it() -> None:
    found, why = _evidence("Comrade Kim Jong Un, President of the State Affairs")
    assert found, why


def test_function_words_of_a_sentence_stay_function_words() -> None:
    found, why = _evidence("The Minister said I would be told")
    assert not found
    assert "function word" in why or "capitalised" in why
    assert not _evidence("Minister, I said so")[0]


def test_a_title_case_function_word_between_a_titles_words_is_part_of_it() -> None:
    """Titles written in title case capitalise some prepositions and adverbs ("Mauritius
    Strategy for the Further Implementation of the Programme of Action", UN 2005: called
    phrasing, "contains the function word 'further'"); across the lower-case glue before
    them, they stand between the title's capitalised words."""
    for title in (
        "Mauritius Strategy for the Further Implementation of the Programme of Action",
        "Convention Against Torture and Other Cruel Treatment",
        "Agreement on Trade-Related Aspects of Intellectual Property Rights Between Members",
    ):
        found, why = _evidence(title)
        assert found, (title, why)


def test_a_function_word_of_the_sentence_after_a_title_stays_one() -> None:
    # Lower case, or capitalised where it opens a sentence, or before a lower-case word.
    assert not _evidence("the Programme of Action further implementation")[0]
    assert not _evidence("implement the Programme of Action. Further steps are needed")[0]
    assert not _evidence("Programme of Action for the Further steps")[0]
