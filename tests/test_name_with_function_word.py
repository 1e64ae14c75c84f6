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
