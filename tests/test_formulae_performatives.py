"""A speaker's performative frame ("I am pleased to {…}") is a formula wherever it stands in a
speech; a policy statement of the same shape in the first person plural ("We need to {…}") is
not."""

from __future__ import annotations

import random
from dataclasses import replace

from docdiff.corpus.formulae import formulae_report
from docdiff.loaders import load_text
from docdiff.model import Document

_ALPHA = [f"{c}{v}{c2}o" for c in "bdfgklmnprstvz" for v in "aeiu" for c2 in "lnrst"]
_ENGLISH = """the of and in a is for on with as by this from are be was it which at these
their has have not but been its also all more other such between they there than both""".split()
"""Everyone's words, so that the corpus reads as English (its words weighed against
English's: `_Genre`)."""


def _sentence(rng: random.Random, n: int = 24) -> str:
    words = (rng.choice(_ALPHA if k % 2 else _ENGLISH) for k in range(n))
    return " ".join(words).capitalize() + "."


def _speeches(frame: str, n: int = 48, size: int = 9) -> list[Document]:
    """Speeches of many senders and years, `size` paragraphs each; `frame` opens a sentence in a
    middle paragraph of each (never at an edge), and runs on into what each says."""
    rng = random.Random(47)
    docs = []
    for i in range(n):
        paragraphs = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(size)]
        paragraphs[size // 3 + i % 3] += f" {frame} {_sentence(rng, 10).lower()}"
        text = "\n\n".join(paragraphs) + "\n"
        meta = {"sender": f"c{i}", "date": str(2000 + i % 12)}
        docs.append(replace(load_text(text, doc_id=f"s{i:02}"), meta=meta))
    return docs


def _templates(docs: list[Document]) -> list[str]:
    found = formulae_report(docs, min_docs=5).formulae
    return [g.template for f in found for g in (f, *f.variants)]


def test_a_first_person_performative_is_a_formula_in_the_middle_of_a_speech() -> None:
    """ "I am pleased to {…}" opens a sentence in the middle of every speech: it has one content
    word and does not gather at the edges, yet the speaker announces an act of the occasion,
    in the first person, in every speech: a formula."""
    templates = _templates(_speeches("I am pleased to"))
    assert any(t.startswith("I am pleased to") for t in templates), templates


def test_a_request_for_leave_is_a_performative() -> None:
    """ "Allow me to {…}": the speaker, as the object of a request for leave, performs the act."""
    templates = _templates(_speeches("Allow me to"))
    assert any(t.startswith("Allow me to") for t in templates), templates


def test_a_statement_in_the_first_person_plural_is_no_performative() -> None:
    """ "We need to {…}" has the same shape, but a nation's "we" states a policy, in the middle
    of a speech, as topics are stated: no formula."""
    templates = _templates(_speeches("We need to"))
    assert not any(t.lower().startswith("we need") for t in templates), templates


def test_a_performative_must_open_its_sentence() -> None:
    """The same words inside a clause ("…, as I am pleased to …") in most uses: no formula."""
    docs = [
        replace(
            load_text(d.text.replace(". I am pleased to", ", as I am pleased to"), doc_id=d.id),
            meta=d.meta,
        )
        for d in _speeches("I am pleased to")
    ]
    templates = _templates(docs)
    assert not any("pleased" in t for t in templates), templates


def test_a_performative_after_a_fronted_phrase_opens_its_clause() -> None:
    """ "At the outset, I am pleased to {…}": a phrase set off by a comma before the speaker
    leaves the speaker's clause a sentence of its own, as "On behalf of my Government, I …"
    does in many speeches: the frame is a formula there too (before, only a sentence's first
    word counted as opening one)."""
    fronts = [
        "Today,", "In that regard,", "At the outset,", "Finally,", "Moreover,", "In addition,",
        "Once again,", "This year,", "As a result,", "Here,", "Again,", "Indeed,",
    ]  # fmt: skip
    docs = [
        replace(
            load_text(
                d.text.replace(". I am pleased to", f". {fronts[k % 12]} I am pleased to"),
                doc_id=d.id,
            ),
            meta=d.meta,
        )
        for k, d in enumerate(_speeches("I am pleased to"))
    ]
    assert all(", I am pleased to" in d.text for d in docs)
    templates = _templates(docs)
    assert any("I am pleased to" in t for t in templates), templates


def test_a_report_of_what_was_said_is_no_performative() -> None:
    """ "I said that {…}" opens sentences in the middle of cables as often: the first person
    reports a proposition in a finite clause, it performs no act of the occasion."""
    templates = _templates(_speeches("I said that"))
    assert not any(t.startswith("I said") for t in templates), templates


def test_a_performative_in_everyone_s_words_is_no_formula() -> None:
    """ "I want to {…}" has the shape, but its words are everyone's: in speeches long enough,
    the corpus does not use them more than general language does, so it says nothing of the
    genre; "I am pleased to {…}" in the same speeches is the genre's own."""
    templates = _templates(_speeches("I want to", size=20))
    assert not any(t.startswith("I want to") for t in templates), templates
    templates = _templates(_speeches("I am pleased to", size=20))
    assert any(t.startswith("I am pleased to") for t in templates), templates


def test_a_performative_runs_on_into_what_it_hands_over() -> None:
    """ "I enclose a copy of {…}": the writer performs the act of sending, and its object
    follows "of" (a letter encloses a copy of something); a formula in the middle of a letter,
    as "I am pleased to {…}" is. "I think of {…}" has the shape in everyone's words: no
    formula."""
    templates = _templates(_speeches("I enclose a copy of", size=20))
    assert any(t.startswith("I enclose a copy of") for t in templates), templates
    templates = _templates(_speeches("I think of", size=20))
    assert not any(t.startswith("I think") for t in templates), templates


def test_a_report_of_what_the_speaker_did_is_no_performative() -> None:
    """ "I was pleased to {…}", "I proposed to {…}": the shape and the genre's words, in the
    past tense: the writer reports what was done (a cable's "I was able to see the Minister"),
    performing no act of the occasion, which is said in the present ("I am pleased to")."""
    for frame in ("I was pleased to", "I proposed to"):
        templates = _templates(_speeches(frame, size=20))
        assert not any(t.startswith(frame) for t in templates), (frame, templates)
