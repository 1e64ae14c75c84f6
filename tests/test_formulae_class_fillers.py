"""A class slot ("{number}") shows fillers of its class only: a member that says other words
where the class stands ("at its current session") is counted, but its words are no example of a
number."""

from __future__ import annotations

import random

from docdiff.corpus.formulae import formulae_report
from docdiff.loaders import load_text
from docdiff.model import Document

_ORDINALS = ["sixty-ninth", "seventy-second", "seventy-first", "sixty-eighth"]
_WORDS = [f"{c}{v}{c2}ex" for c in "bdfgklmnprst" for v in "aeiou" for c2 in "lnrst"]


def _speeches(n: int = 32) -> list[Document]:
    rng = random.Random(11)
    docs = []
    for i in range(n):
        # Seven in eight name the session by its number; the others call it the current one.
        which = "current" if i % 8 == 7 else _ORDINALS[i % len(_ORDINALS)]
        body = " ".join(rng.choice(_WORDS) for _ in range(150))
        text = (
            f"Mr. President, it is a pleasure to address the General Assembly at its {which} "
            f"session on this occasion.\n\n{body}.\n"
        )
        docs.append(load_text(text, doc_id=f"s{i:02}"))
    return docs


def test_a_number_slot_shows_numbers_only() -> None:
    report = formulae_report(_speeches(), min_docs=5)
    numbered = [f for f in report.formulae if "{number} session" in f.template]
    assert numbered, [f.template for f in report.formulae]
    fillers = {x for f in numbered for slot in f.slot_examples for x in slot}
    assert "current" not in fillers, fillers
    assert fillers & {"sixty-ninth", "seventy-first"}, fillers


def test_a_spelled_number_the_masking_leaves_a_word_is_a_number_filler() -> None:
    from docdiff.corpus.formulae import _spelled_number, mask

    d = mask("The Assembly at its fifteenth session and at its current session.")
    at = {k: i for i, k in enumerate(d.keys)}
    assert d.kinds[at["fifteenth"]] == ""  # (a word to the masking: "for the first time")
    assert _spelled_number(d, at["fifteenth"], at["fifteenth"] + 1)
    assert not _spelled_number(d, at["current"], at["current"] + 1)
