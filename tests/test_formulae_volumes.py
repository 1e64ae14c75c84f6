"""An edition's notes cite its other volumes by roman numeral ("See Volume IX, Document 229."):
the numeral is a number, so the citations of every volume are one formula, and a note that adds
its own words to a formula mined from regions ("Document {number}.") is judged as a wording of
its own, not dropped as another shape of it."""

from __future__ import annotations

import random
from dataclasses import replace

from docdiff.corpus.formulae import formulae_report, mask
from docdiff.loaders import load_text
from docdiff.model import Document

_ALPHA = [f"{c}{v}{c2}o" for c in "bdfgklmnprstvz" for v in "aeiu" for c2 in "lnrst"]
_VOLUMES = ["VII", "VIII", "IX", "XII", "XIV"]


def _sentence(rng: random.Random, n: int = 14) -> str:
    return " ".join(rng.choice(_ALPHA) for _ in range(n)).capitalize() + "."


def _edition(n: int = 30) -> list[Document]:
    """Cables of six senders, each followed by numbered notes: one cites a document of this
    volume, and in some a second cites one of another volume."""
    rng = random.Random(11)
    docs = []
    for i in range(n):
        body = "\n\n".join(" ".join(_sentence(rng) for _ in range(3)) for _ in range(3))
        notes = f"1 Document {100 + i}.\n"
        if i % 5 < 2:  # (in fewer than half the documents, so "Volume" reads as a name)
            notes += f"\n2 Volume {_VOLUMES[i % len(_VOLUMES)]}, Document {200 + 7 * i}.\n"
        text = f"Cablegram {i + 1}\n\n{body}\n\n{notes}"
        docs.append(replace(load_text(text, doc_id=f"d{i:02}"), meta={"sender": f"s{i % 6}"}))
    return docs


def test_a_roman_numeral_in_capitals_is_a_number() -> None:
    masked = mask("See Volume IX, Document 229. I saw V. Smith in Part II.")
    numbers = [
        masked.text[s:e]
        for s, e, k in zip(masked.starts, masked.ends, masked.kinds, strict=True)
        if k == "number"
    ]
    assert numbers == ["IX", "229", "II"], numbers  # not the pronoun "I", nor an initial "V."


def test_citations_of_other_volumes_are_one_formula_beside_document() -> None:
    report = formulae_report(_edition(), min_docs=5, limit=60)
    wordings = [g.template for f in report.formulae for g in (f, *f.variants)]
    assert "Volume {number}, Document {number}." in wordings, wordings
