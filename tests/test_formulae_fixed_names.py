"""A name that one formula always holds ("God" in "May God bless {…}") is a word of it, even
where a country follows the formula's first word elsewhere ("and may Arcadia prosper")."""

from __future__ import annotations

import random
from dataclasses import replace

from docdiff.corpus.formulae import (
    Masked,
    _fixed_names,
    _masked_corpus,
    _placed_names,
    formulae_report,
)
from docdiff.corpus.formulae import _corpus_of as corpus_of
from docdiff.loaders import load_text
from docdiff.model import Document

COUNTRIES = ["Arcadia", "Borealia", "Caledon", "Dunmore", "Estoril", "Fjordland", "Galtonia"]
VOCAB = [f"{c}{v}{c2}ex" for c in "bdfgklmnprstvz" for v in "aeiou" for c2 in "lnrst"]
_PEOPLES = ["us all", "our peoples", "this Assembly"]


def _speeches(n: int = 60) -> list[Document]:
    """Speeches closing "May God bless …" (one in four), and others wishing a country well in
    their middle ("and may Borealia prosper"): "may" holds "God" in fewer than 80% of the
    documents where a name follows it, "bless" follows "God" in all of them."""
    rng = random.Random(7)
    docs = []
    for i in range(n):
        country = COUNTRIES[i % len(COUNTRIES)]
        words = [rng.choice(VOCAB) for _ in range(300)]
        wish = f" and may {COUNTRIES[(i + 1) % len(COUNTRIES)]} prosper" if i % 6 == 2 else ""
        closing = f"May God bless {_PEOPLES[i % 3]}." if i % 4 == 0 else "Thank you."
        text = " ".join(words[:150]) + f"{wish}. " + " ".join(words[150:]) + f". {closing}\n"
        docs.append(replace(load_text(text, doc_id=f"s{i:02}"), meta={"sender": country}))
    return docs


def _masked_with_fixed_names(docs: list[Document], min_df: int) -> list[Masked]:
    """The documents masked as the miner masks them, names placed and fixed."""
    masked, stats = _masked_corpus(corpus_of(docs, where=None, progress=None), None)
    _placed_names(masked, stats, min_df)
    _fixed_names(masked, min_df)
    return masked


def _keys_after_may(docs: list[Document], min_df: int) -> set[str]:
    return {
        d.keys[i + 1]
        for d in _masked_with_fixed_names(docs, min_df)
        for i in range(len(d.keys) - 2)
        if d.keys[i] == "may" and d.keys[i + 2] == "bless"
    }


def test_a_name_one_frame_always_holds_is_a_word_where_the_other_mostly_does() -> None:
    assert _keys_after_may(_speeches(), 5) == {"god"}


def test_the_closing_is_mined_with_its_name() -> None:
    templates = [
        t
        for f in formulae_report(_speeches(), min_docs=5).formulae
        for t in (f.template, *(v.template for v in f.variants))
    ]
    assert any(t.startswith("May God bless") for t in templates), templates


def test_a_name_neither_frame_mostly_holds_stays_a_slot() -> None:
    """A country after "may" in half the documents, and no word after it that one country
    always precedes: each country is a filler, not a word."""
    rng = random.Random(9)
    docs = []
    for i in range(40):
        words = [rng.choice(VOCAB) for _ in range(120)]
        who = COUNTRIES[i % len(COUNTRIES)]
        text = " ".join(words[:60]) + f" and may {who} prosper. " + " ".join(words[60:]) + ".\n"
        docs.append(replace(load_text(text, doc_id=f"c{i:02}"), meta={"sender": who}))
    masked, _ = _masked_corpus(corpus_of(docs, where=None, progress=None), None)
    _fixed_names(masked, 5)
    after = {d.keys[i + 1] for d in masked for i in range(len(d.keys) - 1) if d.keys[i] == "may"}
    assert after == {"\x00name"}, after


def test_a_name_a_content_word_mostly_holds_stays_a_slot() -> None:
    """ "state" follows "Arcadia" in every document, "viable" precedes it in most but not 80%
    ("a viable Borealia economy" elsewhere): a topic's proper noun, not a formula's word."""
    rng = random.Random(5)
    docs = []
    for i in range(40):
        words = [rng.choice(VOCAB) for _ in range(120)]
        topic = ""
        if i % 3 == 0:
            topic = " for a viable Arcadia state"
        elif i % 6 == 1:
            topic = " for a viable Borealia economy"
        text = " ".join(words[:60]) + f"{topic}. " + " ".join(words[60:]) + ".\n"
        who = COUNTRIES[i % len(COUNTRIES)]
        docs.append(replace(load_text(text, doc_id=f"t{i:02}"), meta={"sender": who}))
    masked, _ = _masked_corpus(corpus_of(docs, where=None, progress=None), None)
    _fixed_names(masked, 5)
    after = {d.keys[i + 1] for d in masked for i in range(len(d.keys) - 1) if d.keys[i] == "viable"}
    assert after == {"\x00name"}, after


def _salutations(n: int = 60, *, others: bool = False) -> list[Document]:
    """Speeches of which one in four opens "Excellencies, Heads of State and Government,"
    and one in five says "the Heads of State of our region" (with `others`, as many say "the
    Ministers of State" or "the Secretaries of State" instead): "Heads" is capitalised in
    every one, in fewer than half the documents, so the corpus reads it as a name."""
    rng = random.Random(11)
    docs = []
    for i in range(n):
        words = [rng.choice(VOCAB) for _ in range(200)]
        opening = "Excellencies, Heads of State and Government,\n" if i % 4 == 0 else ""
        aside = ""
        if i % 5 == 1:
            aside = " as the Heads of State of our region agreed"
        elif others and i % 5 in (2, 3):
            aside = f" as the {('Ministers', 'Secretaries')[i % 2]} of State of our region agreed"
        duty = " Every State has its part"  # ("State": in every document, a word)
        body = " ".join(words[:100]) + f"{aside}.{duty} " + " ".join(words[100:])
        who = COUNTRIES[i % len(COUNTRIES)]
        docs.append(
            replace(load_text(f"{opening}{body}.\n", doc_id=f"h{i:02}"), meta={"sender": who})
        )
    return docs


def _keys_before_of_state(docs: list[Document], min_df: int) -> set[str]:
    return {
        d.keys[i]
        for d in _masked_with_fixed_names(docs, min_df)
        for i in range(len(d.keys) - 2)
        if d.keys[i + 1] == "of" and d.text[d.starts[i + 2] : d.ends[i + 2]] == "State"
    }


def test_a_title_word_its_phrase_always_follows_is_a_word_wherever_it_stands() -> None:
    """ "of State" follows "Heads" in every document: "Heads" is a word there, after a comma
    at a line's start as after "the" (masked in some places and not in others, it made the
    formula "of State and Government," without it)."""
    assert _keys_before_of_state(_salutations(), 5) == {"heads"}


def test_a_name_a_phrase_follows_after_many_names_stays_a_slot() -> None:
    """ "of State" after "Heads", "Ministers" and "Secretaries" alike: no title's word."""
    assert "\x00name" in _keys_before_of_state(_salutations(others=True), 5)
