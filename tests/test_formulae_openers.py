"""Formulae whose words also run on mid-sentence elsewhere, and names of two words: a cable's
opening "Reference your telegram No. {number}." is mined although "your telegram No. 12." is
said mid-sentence more often (`formulae._sentence_openers`), and "New York" is one name, at
the start of a dateline too (`_CaseStats.leads_a_name`)."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from docdiff.corpus.formulae import formulae_report
from docdiff.loaders import load_text
from docdiff.model import Document
from tests._made_up import WORDS, sentence


def _cables(n: int = 48) -> list[Document]:
    rng = random.Random(11)
    docs = []
    for i in range(n):
        body = [" ".join(sentence(rng, 18) for _ in range(3)) for _ in range(4)]
        if i % 4 == 0:  # the opening formula, on the first line of the text
            body.insert(0, f"Reference your telegram No. {100 + i}. {sentence(rng, 18)}")
        else:  # the same words mid-sentence, more often
            body[1] += (
                f" We {rng.choice(WORDS)} the new points {rng.choice(WORDS)} in your telegram "
                f"No. {200 + i}. {sentence(rng, 18)}"
            )
        place = ("New York", "Washington", "London")[i % 3]
        body[3] += f" A new {rng.choice(WORDS)} was {rng.choice(WORDS)}."  # "new", a word
        if i % 2:  # the place named mid-sentence too
            body[2] += f" The mission in {place} {rng.choice(WORDS)} {rng.choice(WORDS)}."
        head = f"{place}, {1 + i % 28} June 1963"
        text = head + "\n\nSECRET\n\n" + "\n\n".join(body) + "\n"
        docs.append(replace(load_text(text, doc_id=f"c{i:02}"), meta={"sender": f"s{i % 6}"}))
    return docs


def test_an_opening_formula_said_mid_sentence_elsewhere_is_mined() -> None:
    templates = [f.template for f in formulae_report(_cables(), min_docs=5).formulae]
    assert any(t.startswith("Reference your telegram No. {number}") for t in templates), templates


def test_a_two_word_place_is_one_name_in_a_dateline() -> None:
    formulae = formulae_report(_cables(), min_docs=5).formulae
    templates = [f.template for f in formulae]
    assert not any(t.startswith("New {name}") for t in templates), templates
    datelines = [f for f in formulae if f.template == "{name}, {date}"]
    assert datelines, templates
    assert "New York" in datelines[0].slot_examples[0]


def _reports(n: int = 48) -> list[Document]:
    """Cables of which a third open on a narrative "I saw {name} …" and a third on the request
    "Please pass {…}", in running text of made-up words."""
    rng = random.Random(5)
    docs = []
    for i in range(n):
        body = [" ".join(sentence(rng, 18) for _ in range(3)) for _ in range(4)]
        who = rng.choice(WORDS).capitalize()
        if i % 3 == 0:
            body[0] = f"I saw {who} this {rng.choice(WORDS)}. " + body[0]
        elif i % 3 == 1:
            body[0] = f"Please pass to {who} the {rng.choice(WORDS)}. " + body[0]
        text = f"{1 + i % 28} June 1963\n\nSECRET\n\n" + "\n\n".join(body) + "\n"
        docs.append(replace(load_text(text, doc_id=f"r{i:02}"), meta={"sender": f"s{i % 7}"}))
    return docs


def _wordings(docs: list[Document]) -> list[str]:
    return [
        v.template for f in formulae_report(docs, min_docs=5).formulae for v in (f, *f.variants)
    ]


def test_a_start_in_everyones_words_is_no_formula(monkeypatch: pytest.MonkeyPatch) -> None:
    """The narrative "I saw {…}" opens a third of the cables, at their top, yet says nothing
    of the genre when its words are no more common in the corpus than in general English: any
    report opens on what happened. The request "Please pass {…}" turns to the reader: a formula."""
    import docdiff.text.rarity as rarity

    real = rarity.zipf
    # A corpus this small uses every word it repeats more than general English does; here
    # "I" and "saw" are given the general frequency that a large corpus of reports has of them.
    common = {"i", "saw"}
    monkeypatch.setattr(rarity, "zipf", lambda w, lang: 7.5 if w in common else real(w, lang))
    wordings = _wordings(_reports())
    assert not any(w.startswith("I saw") for w in wordings), wordings
    assert any(w.startswith("Please pass") for w in wordings), wordings


def test_a_start_in_the_corpuss_own_words_stays_a_formula() -> None:
    """The same cables, with "saw" far more common in them than in general English: the
    corpus's own wording, which the genre test does not set aside."""
    wordings = _wordings(_reports())
    assert any(w.startswith("I saw") for w in wordings), wordings


@pytest.mark.parametrize("following", [3, 4])
def test_a_request_is_gathered_by_its_own_words_whatever_follows_them(following: int) -> None:
    """ "Please convey" opens a few cables, all but one of them on "Please convey following …":
    the cable that says something else after the request is one of the formula's instances
    too, which leaves it in as many documents as the threshold (in DFAT volumes 15-28,
    round 38's tuning sample, three of four cables went on "following" and the request was
    not mined: the template with "following" held three)."""
    rng = random.Random(7)
    docs = []
    for i in range(30):
        body = [" ".join(sentence(rng, 18) for _ in range(3)) for _ in range(4)]
        who = rng.choice(WORDS).capitalize()
        if i < following:
            body[0] = f"Please convey following {rng.choice(WORDS)} to {who}. " + body[0]
        elif i == following:
            body[0] = f"Please convey to {who} our {rng.choice(WORDS)}. " + body[0]
        text = f"{1 + i % 28} June 1963\n\nSECRET\n\n" + "\n\n".join(body) + "\n"
        docs.append(replace(load_text(text, doc_id=f"q{i:02}"), meta={"sender": f"s{i % 7}"}))
    listed = formulae_report(docs, min_docs=following + 1).formulae
    requests = [f for f in listed if "Please" in f.template]
    assert [f.template for f in requests] == ["Please convey {…}"], requests
    assert requests[0].doc_freq == following + 1


def test_a_failed_groups_opening_words_bring_the_sentences_they_open_elsewhere() -> None:
    """`_Openings`: the members of a failed group all open their sentences on "Reference
    your"; the cables whose first sentences open so, though their regions joined other groups
    ("Reference your telegram No. 12." in "Your telegram No. {number}."), are asked with them.
    Not where the members open on different words, nor on two function words ("It is"), nor
    when the words open sentences in more than four times the group's documents, nor twice."""
    from docdiff.corpus import formulae

    texts = [
        "Reference your visit. Words follow here.",
        "Reference your 15. More words here.",
        "Reference your telegram No. 12. Other words.",
        "Reference your telegram No. 3343. Other words.",
        "We saw it. Reference your letter. It is so.",
        "It is late. It is so. The reference your note made is odd.",
    ]
    docs = [formulae.mask(t) for t in texts]
    openings = formulae._Openings(docs)

    def first(i: int, word: str) -> formulae.Region:
        x = docs[i].keys.index(word)
        return formulae.Region(i, x, x + 2)

    group = [first(0, "reference"), first(1, "reference")]
    more = openings.more(group)
    assert more is not None
    assert sorted({r.doc for r in more}) == [0, 1, 2, 3, 4]  # (not the mid-sentence one)
    assert all(docs[r.doc].keys[r.start : r.end] == ["reference", "your"] for r in more)
    assert openings.more(group) is None  # (each pair of words is asked once)
    assert openings.more([first(0, "reference"), first(4, "we")]) is None
    assert openings.more([first(5, "it")]) is None  # "It is": two function words
    # Five documents: over four times one.
    assert formulae._Openings(docs).more([first(0, "reference")]) is None
    assert formulae._Openings(docs).more([first(0, "reference"), first(1, "reference")])
