"""The address to a woman presiding ("Madam President,") is a formula like "Mr. President,". The
UN debate of 2006 (a woman presided) opens and interjects it in 18 of the 800 speeches of
2000-2011 sampled; the miner never listed it: "Madam" is capitalised wherever it stands and used
in few documents, so it was read as a name ("{name} President,"), and once a word, a phrase of
address that one year's speeches use was taken for that year's topic. Who presides changes with
the session, so the address does too: it is the genre's wording all the same. It is listed under
"Mr. President," (`_same_addressee`: one office, another honorific), so it takes no rank of its
own (listed apart, in round s20, it pushed a gold formula of the fresh UN sample past the limit)."""

from __future__ import annotations

import random
from dataclasses import replace

from docdiff.corpus.formulae import formulae_report
from docdiff.loaders import load_text
from docdiff.model import Document

_ALPHA = [f"{c}{v}{c2}o" for c in "bdfgklmnprstvz" for v in "aeiu" for c2 in "lnrst"]


def _speeches(n: int = 72) -> list[Document]:
    """Speeches of twelve years (2000-2011) by 36 senders, opening on "Mr. President, ..." and
    thanking "Mr. President" mid-speech; the six of 2006 say "Madam President" instead."""
    rng = random.Random(7)

    def sentence(k: int = 18) -> str:
        return " ".join(rng.choice(_ALPHA) for _ in range(k)).capitalize() + "."

    docs = []
    for i in range(n):
        year = 2000 + i % 12
        title = "Madam" if year == 2006 else "Mr."
        paragraphs = [" ".join(sentence() for _ in range(4)) for _ in range(6)]
        paragraphs[0] = f"{title} President, {paragraphs[0][0].lower()}{paragraphs[0][1:]}"
        paragraphs[3] += f" I thank you, {title} President, for {rng.choice(_ALPHA)}."
        text = "\n\n".join(paragraphs)
        meta = {"date": str(year), "sender": f"s{i % 36}"}
        docs.append(replace(load_text(text + "\n", doc_id=f"u{i:02}"), meta=meta))
    return docs


def test_the_address_to_a_woman_presiding_is_a_formula() -> None:
    found = formulae_report(_speeches()).formulae
    shown = [g.template for f in found for g in (f, *f.variants)]
    assert "Mr. President," in shown, shown
    # Before: no "Madam"; the six speeches of 2006 gave "{name} President," or nothing.
    assert "Madam President," in shown, shown
    # One address to the chair, one entry (`_same_addressee`): it takes no rank of its own.
    entry = next(
        f for f in found if "Madam President," in (f.template, *(v.template for v in f.variants))
    )
    assert entry.template == "Mr. President,", [f.template for f in found]
