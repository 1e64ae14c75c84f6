"""A short text's closing sentences are its bottom edge, even where they make more than 15% of
it: CMake's policy pages close on "This policy was introduced in CMake version {number}. CMake
version |release| warns when the policy is not set and uses ``OLD`` behavior.", one sentence
more and an include line, in 133 of 143 pages, and the formula was not mined (its end lay past
the 15% margin in a third of them). And a name joined by underscores is printed with them."""

from __future__ import annotations

import random

from docdiff.corpus.formulae import _inner_underscores, _last_sentences, formulae_report, mask
from docdiff.loaders import load_text
from docdiff.model import Document

_ALPHA = [f"{c}{v}{c2}o" for c in "bdfgklmnprstvz" for v in "aeiu" for c2 in "lnrst"]
_ENGLISH = "the of and in a is for on with as by this from are be was it which at".split()


def _sentence(rng: random.Random, n: int) -> str:
    words = " ".join(rng.choice(_ALPHA if k % 2 else _ENGLISH) for k in range(n))
    return words.capitalize() + "."


def _pages(n: int = 40) -> list[Document]:
    """Short pages: a title, two paragraphs of their own, then the closing paragraph (the
    formula, one long sentence of the page's own, longer than 15% of the page), and an
    include line."""
    rng = random.Random(11)
    docs = []
    for i in range(n):
        body = " ".join(_sentence(rng, rng.randint(12, 16)) for _ in range(4))
        more = " ".join(_sentence(rng, rng.randint(12, 16)) for _ in range(4))
        closing = (
            f"This setting was added in Tool version 3.{i % 20}. Tool version 4.1 warns when "
            f"the setting is not chosen and keeps the old behaviour. {_sentence(rng, 30)}"
        )
        text = f"T{i:04}\n-----\n\n{body}\n\n{more}\n\n{closing}\n\n.. include:: NOTE.txt\n"
        docs.append(load_text(text, doc_id=f"T{i:04}.rst"))
    return docs


def test_a_formula_closing_short_texts_is_mined() -> None:
    found = formulae_report(_pages(), min_docs=5).formulae
    templates = [g.template for f in found for g in (f, *f.variants)]
    assert any(t.startswith("This setting was added in Tool version") for t in templates), templates


def test_edges_count_sentences_and_lines_that_open_on_a_word() -> None:
    d = mask("Title\n\nOne two three. Four five: six seven.\n\n.. include:: NOTE.txt\n")
    tail = _last_sentences(d)
    keys = d.keys
    # The last three: the two sentences ("Four five: six seven.": a colon opens none) and the
    # include line ("..", marks alone, open none).
    assert keys[len(keys) - tail] == "one"


def test_a_name_joined_by_underscores_keeps_them() -> None:
    text = "Use cmake_policy here, _Notes_, and CMAKE_POLICY_WARNING too."
    at = text.index("policy")
    assert _inner_underscores(text, at - 1, at) == "_"
    notes = text.index("Notes_") + len("Notes")
    assert _inner_underscores(text, notes, notes + 1) == ""  # emphasis before a comma
