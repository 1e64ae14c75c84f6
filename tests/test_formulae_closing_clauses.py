"""A clause that closes its sentence at a document's edges ("… to a successful conclusion.") is
a formula of the opening and closing courtesies, though it opens no sentence and stands at
either edge; the same clause in the middle of the documents is a phrase of the running text."""

from __future__ import annotations

import random
from dataclasses import replace

from docdiff.corpus.formulae import formulae_report
from docdiff.loaders import load_text
from docdiff.model import Document

_ALPHA = [f"{c}{v}{c2}o" for c in "bdfgklmnprstvz" for v in "aeiu" for c2 in "lnrst"]
_ENGLISH = """the of and in a is for on with as by this from are be was it which at these
their has have not but been its also all more other such between they there than both""".split()


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(_ALPHA if k % 2 else _ENGLISH) for k in range(n))


def _sentence(rng: random.Random, n: int = 24) -> str:
    return _words(rng, n).capitalize() + "."


def _speeches(clause: str, where: str, n: int = 36, size: int = 9) -> list[Document]:
    """Speeches of many senders and years; `clause` closes a sentence that opens on other words
    each time, in the first paragraph of half the speeches and the last of the others
    (`where` "edges"), or in a middle paragraph ("middle")."""
    rng = random.Random(29)
    docs = []
    for i in range(n):
        paragraphs = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(size)]
        at = (0 if i % 2 else size - 1) if where == "edges" else size // 2 + i % 2
        said = f"{_words(rng, 9).capitalize()} {clause}"
        paragraphs[at] = f"{_sentence(rng, 8)} {said} {_sentence(rng, 8)}"
        text = "\n\n".join(paragraphs) + "\n"
        meta = {"sender": f"c{i}", "date": str(2000 + i % 12)}
        docs.append(replace(load_text(text, doc_id=f"s{i:02}"), meta=meta))
    return docs


def _templates(docs: list[Document]) -> list[str]:
    found = formulae_report(docs, min_docs=5).formulae
    return [g.template for f in found for g in (f, *f.variants)]


def test_a_clause_closing_its_sentence_at_the_edges_is_a_formula() -> None:
    """ "… to a successful conclusion." closes a sentence at the top of half the speeches and
    at the bottom of the others: gathered at the edges as courtesies are, a formula."""
    templates = _templates(_speeches("to a successful conclusion.", "edges"))
    assert any("successful conclusion" in t for t in templates), templates


def test_a_clause_closing_its_sentence_in_the_middle_is_no_formula() -> None:
    """The same clause in the middle of the speeches is a phrase of the running text."""
    templates = _templates(_speeches("to a successful conclusion.", "middle"))
    assert not any("successful conclusion" in t for t in templates), templates
