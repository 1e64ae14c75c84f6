"""A template whose first words close a quotation opened before it is a quoted name and what is
said of it, no formula: git's release notes open each fix on the command it fixes, in quotation
marks ('* "git grep" learned to …'), and `git grep" {…}"` was mined from them."""

from __future__ import annotations

import random

import pytest

from docdiff.corpus.formulae import _opens_in_quotes, formulae_report
from docdiff.loaders import load_text
from docdiff.model import Document

_ALPHA = [f"{c}{v}{c2}o" for c in "bdfgklmnprstvz" for v in "aeiu" for c2 in "lnrst"]
_ENGLISH = "the of and in a is for on with as by this from are be was it which at".split()
_COMMANDS = ["tool grep", "tool status", "tool archive", "tool fetch", "tool rebase"]


def _item(rng: random.Random) -> str:
    words = " ".join(rng.choice(_ALPHA if k % 2 else _ENGLISH) for k in range(rng.randint(8, 16)))
    return f' * "{rng.choice(_COMMANDS)}" {words}.'


def _notes(n: int = 40) -> list[Document]:
    rng = random.Random(5)
    docs = []
    for i in range(n):
        items = "\n\n".join(_item(rng) for _ in range(rng.randint(6, 10)))
        text = (
            f"Tool v1.{i} Release Notes\n\nFixes since v1.{i - 1}\n\n{items}\n\n"
            "Also contains various documentation updates and code clean-ups.\n"
        )
        docs.append(load_text(text, doc_id=f"1.{i}.txt"))
    return docs


def test_no_template_opens_inside_a_quotation() -> None:
    found = formulae_report(_notes(), min_docs=5).formulae
    templates = [g.template for f in found for g in (f, *f.variants)]
    assert not [t for t in templates if _opens_in_quotes(t)], templates
    assert any("documentation updates and code clean-ups" in t for t in templates), templates


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('git grep" {…}"', True),
        ('git {…}" did not work {…}', True),
        ("Approved.\u201d {…}", True),
        ('"git grep" {…}', False),  # the quotation opens in the template
        ("the \u201cwar on terror\u201d {…}", False),
        ('the so-called "{…}"', False),
        ("I have the honour to {…}", False),
        ("Members\u2019 {…}", False),  # an apostrophe, no quotation mark
    ],
)
def test_opens_in_quotes(template: str, expected: bool) -> None:
    assert _opens_in_quotes(template) is expected
