"""A formula gathers at the documents' edges in three quarters of its uses (`_GATHERED`): a
sentence opening that sits at the top of two documents in three and in the middle of the others
is a common opening of the running text, not the genre's formula (UN speeches: "I would also
like to {…}" mid-speech as at its top; DFAT cables: "The first {…}")."""

from __future__ import annotations

import random
from dataclasses import replace

from docdiff.corpus.formulae import formulae_report
from docdiff.loaders import load_text
from docdiff.model import Document

VOCAB = [f"{c}{v}{c2}ex" for c in "bdfgklmnprstvz" for v in "aeiou" for c2 in "lnrst"]


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(VOCAB) for _ in range(n))


def _letters(top: int, n: int = 30) -> list[Document]:
    """`n` letters that open on "Grateful greetings" and, in their second sentence, the first
    `top` of them (the others in their middle), say "Kindly record {…}"."""
    rng = random.Random(3)
    docs = []
    for i in range(n):
        phrase = f"Kindly record {_words(rng, 6)}."
        head = f"Grateful greetings {_words(rng, 12)}. "
        if i < top:
            body = f"{head}{phrase} {_words(rng, 280)}. {_words(rng, 280)}."
        else:
            body = f"{head}{_words(rng, 280)}. {phrase} {_words(rng, 280)}."
        doc = load_text(body, doc_id=f"l{i:02}")
        docs.append(replace(doc, meta={"date": f"{1990 + i}-03-01", "sender": f"S{i % 9}"}))
    return docs


def _mined(docs: list[Document]) -> list[str]:
    return [f.template for f in formulae_report(docs, min_docs=5).formulae]


def test_an_opening_at_the_edges_in_two_uses_of_three_is_no_formula() -> None:
    assert not any(t.startswith("Kindly record") for t in _mined(_letters(top=20)))


def test_an_opening_at_the_edges_in_most_uses_is_a_formula() -> None:
    assert any(t.startswith("Kindly record") for t in _mined(_letters(top=26)))
