"""A template's words are printed as most of its instances spell them. The UN speeches of 2020
listed their closing as "Thank You." (63 documents): the reference instance was one of the 3
that capitalise "You", where 39 write "Thank you."."""

from __future__ import annotations

import random

from docdiff.corpus.formulae import formulae_report
from docdiff.loaders import load_text
from docdiff.model import Document
from tests._made_up import WORDS, paragraphs


def _speeches(capitalised: int) -> list[Document]:
    rng = random.Random(2020)
    docs = []
    for n in range(30):
        body = "\n\n".join(paragraphs(rng, 4, 3))
        closing = "Thank You." if n < capitalised else "Thank you."
        docs.append(load_text(f"{body}\n\n{closing}\n", doc_id=f"s{n:02}.txt"))
    return docs


def test_a_word_is_printed_as_most_instances_spell_it() -> None:
    templates = [f.template for f in formulae_report(_speeches(3)).formulae]
    assert "Thank you." in templates, templates
    assert "Thank You." not in templates, templates


def test_a_spelling_most_instances_share_is_kept() -> None:
    templates = [f.template for f in formulae_report(_speeches(27)).formulae]
    assert "Thank You." in templates, templates


def _addressed(with_comma: int) -> list[Document]:
    rng = random.Random(75)
    docs = []
    for n in range(30):
        body = "\n\n".join(paragraphs(rng, 4, 3))
        name = " ".join(w.capitalize() for w in rng.sample(WORDS, 2))
        comma = "," if n < with_comma else ""
        opening = f"Your Excellency{comma} Mr. {name}, President of the Assembly,"
        docs.append(load_text(f"{opening}\n\n{body}\n", doc_id=f"a{n:02}.txt"))
    return docs


def test_a_slot_no_instance_fills_with_a_word_is_no_slot() -> None:
    """The 2020 speeches listed "Your Excellency {…} Mr. {name}, {…}", its first slot's only
    filler a comma: the instances differ by an optional comma, which prints where half of them
    hold it."""
    shown = [g.template for f in formulae_report(_addressed(18)).formulae for g in (f, *f.variants)]
    assert any(t.startswith("Your Excellency, Mr. {") for t in shown), shown
    assert not any(t.startswith("Your Excellency {…}") for t in shown), shown
    shown = [g.template for f in formulae_report(_addressed(6)).formulae for g in (f, *f.variants)]
    assert any(t.startswith("Your Excellency Mr. {") for t in shown), shown
