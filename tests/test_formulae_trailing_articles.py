"""An article after a template's last slot lines up by chance and is not printed as a word."""

from __future__ import annotations

import random
from dataclasses import replace

from docdiff.corpus.formulae import formulae_report
from docdiff.loaders import load_text
from docdiff.model import Document

_ALPHA = [f"{c}{v}{c2}o" for c in "bdfgklmnprstvz" for v in "aeiu" for c2 in "lnrst"]
_MONTHS = ["January", "March", "May", "July", "September", "November"]
_SAID = ["conveyed", "reported that", "contained", "advised that", "summarised"]


def _sentence(rng: random.Random, n: int = 20) -> str:
    return " ".join(rng.choice(_ALPHA) for _ in range(n)).capitalize() + "."


def _notes(n: int = 16) -> list[Document]:
    """Cables of eight senders, each with an editor's note "1 Dispatched on <date>, it <says>
    the <subject> …": the article follows the verb in every note, the verb varies."""
    rng = random.Random(7)
    docs = []
    for i in range(n):
        body = "\n\n".join(" ".join(_sentence(rng) for _ in range(3)) for _ in range(5))
        subject = " ".join(rng.choice(_ALPHA) for _ in range(rng.randrange(3, 7)))
        note = (
            f"1 Dispatched on {1 + i % 27} {rng.choice(_MONTHS)}, it {rng.choice(_SAID)} "
            f"the {subject}."
        )
        text = f"{body}[1]\n\n{note}\n"
        docs.append(replace(load_text(text, doc_id=f"c{i:02}"), meta={"sender": f"s{i % 8}"}))
    return docs


def test_an_article_after_the_last_slot_is_part_of_the_filler() -> None:
    templates = [f.template for f in formulae_report(_notes(), min_docs=4).formulae]
    assert "Dispatched on {date}, it {…}" in templates, templates
    assert not any(t.endswith("the {…}") for t in templates), templates
