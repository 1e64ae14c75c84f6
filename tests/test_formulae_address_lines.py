"""The phrases of address that open a speech stand on lines of their own as often as in its
first sentence ("Mr. President,", "Excellencies,", "Ladies and Gentlemen," each on its line
above the running text, or on the lines after a first line that ends on a comma): there, too,
each is a formula (`_address_end`), and a connective that opens sentences further on is not."""

from __future__ import annotations

import functools
import random
from dataclasses import replace

from docdiff.corpus.formulae import _address, _address_end, formulae_report, mask
from docdiff.loaders import load_text
from docdiff.model import Document
from docdiff.text.rarity import known_word
from tests._made_up import paragraphs, sentence


def _speeches(n: int = 40) -> list[Document]:
    """Speeches of forty senders over ten years. A third open on two lines of address above
    the running text, a third on a line of address ending on a comma and one more line of
    address before the running text's first line, a third on "First of all," which also opens
    a sentence in the middle of most. "Excellencies," and "Distinguished delegates," never
    fill a line on their own."""
    rng = random.Random(17)
    docs = []
    for i in range(n):
        body = paragraphs(rng, 5, 3)
        if i % 2:
            body[2] = f"First of all, {sentence(rng, 10).lower()} {body[2]}"
        if i % 3 == 0:
            head = "Mr. President, Excellencies,\nLadies and Gentlemen,\n\n"
        elif i % 3 == 1:
            head = "Mr. President, Excellencies, Distinguished delegates,\nLadies and Gentlemen,\n"
        else:
            head = "First of all, "
        text = head + "\n\n".join(body) + "\n"
        meta = {"sender": f"c{i}", "date": f"{2000 + i % 10}-09-20"}
        docs.append(replace(load_text(text, doc_id=f"a{i:02}"), meta=meta))
    return docs


def test_phrases_of_address_on_lines_of_their_own_are_formulae() -> None:
    found = formulae_report(_speeches(), min_docs=5).formulae
    templates = [g.template for f in found for g in (f, *f.variants)]
    assert "Excellencies," in templates, templates
    assert "Distinguished delegates," in templates, templates
    assert "Ladies and Gentlemen," in templates, templates
    assert "First of all," not in templates, templates


def test_the_address_runs_on_over_the_lines_ending_on_a_comma() -> None:
    text = "Mr. President, Excellencies,\nLadies and Gentlemen,\nIt is an honour. We met.\n"
    d = mask(text)
    end = _address_end(d)
    assert d.text[d.starts[end] :].startswith("It is an honour")
    # A first sentence that ends on its full stop ends the address there.
    d = mask("Mr. President, it is an honour to be here today with you all.\nWe met, and left.\n")
    assert d.text[d.starts[_address_end(d)] :].startswith("We met")


def test_a_datelines_stretches_are_no_phrases_of_address() -> None:
    """A heading line that holds a date is a dateline: "Australian High Commission," before
    "London, 22 December 1966" addresses nobody; the lines of address above a speech hold no
    date."""
    known = functools.partial(known_word, lang="en")
    body = "We have considered the matter with care and we now write to tell you of it today."
    letter = mask(f"Australian High Commission, London, 22 December 1966\n\nConfidential\n\n{body}")
    assert _address(letter, known) == []
    speech = mask(f"Excellencies,\nDistinguished delegates,\n\n{body}")
    found = [speech.text[speech.starts[a] : speech.ends[b - 1]] for a, b in _address(speech, known)]
    assert found == ["Excellencies,", "Distinguished delegates,"]
