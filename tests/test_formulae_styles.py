"""A style of address ("His Excellency", "Your Majesty") is the genre's wording, not part of the
name after it: the miner keeps it as words, so "His Excellency Mr. {name}" can be mined and
printed as the speeches write it."""

from __future__ import annotations

import random
from dataclasses import replace

from docdiff.corpus.formulae import formulae_report, mask
from docdiff.loaders import load_text
from docdiff.model import Document
from tests._masked import case_stats, names_in

_NAMES = ["Sam Kutesa", "Peter Thomson", "Miroslav Lajcak", "Abdulla Shahid", "John Ashe"]
_TITLES = ["Mr.", "Ambassador", "Dr."]
_ALPHA = [f"{c}{v}{c2}o" for c in "bdfgklmnprstvz" for v in "aeiu" for c2 in "lnrst"]
_ENGLISH = """the of and in a is for on with as by this from are be was it which at these
their has have not but been its also all more other such between they there than both""".split()


def _speech(rng: random.Random, i: int) -> str:
    def sentence(n: int = 20) -> str:
        return " ".join(rng.choice(_ALPHA if k % 2 else _ENGLISH) for k in range(n)) + "."

    body = [" ".join(sentence().capitalize() for _ in range(4)) for _ in range(8)]
    name = _NAMES[i % len(_NAMES)]
    if i % 5 < 2:  # in two speeches of five: fewer than half, so "Excellency" reads as a name
        body[3] += (
            f" We thank {rng.choice(['his predecessor', 'the outgoing President'])},"
            f" His Excellency {_TITLES[i % 3]} {name}, for {sentence(6)}"
        )
    body[5] += f" As his predecessor, Mr. {name}, said, {sentence(8)}"
    return "\n\n".join(body) + "\n"


def _speeches(n: int = 30) -> list[Document]:
    rng = random.Random(49)
    return [
        replace(
            load_text(_speech(rng, i), doc_id=f"s{i:02}"),
            meta={"sender": f"c{i}", "date": str(2010 + i % 10)},
        )
        for i in range(n)
    ]


def test_a_style_of_address_is_no_part_of_the_name() -> None:
    texts = [d.text for d in _speeches()]
    stats = case_stats(texts)
    for text in texts[:2]:
        names = names_in(text, mask(text, stats))
        assert names, text
        assert not any("Excellency" in x or x.startswith("His") for x in names), names
        assert any(x.split()[-1] in " ".join(_NAMES) for x in names), names


def test_the_style_is_mined_with_the_name_s_slot() -> None:
    found = formulae_report(_speeches(), min_docs=5).formulae
    templates = [g.template for f in found for g in (f, *f.variants)]
    assert any("His Excellency {name}" in t for t in templates), templates


def test_a_style_in_the_possessive_names_an_institution() -> None:
    """ "His Majesty's Government in the United Kingdom" names a government, not a person
    addressed: it stays a name, where "His Excellency" before a name is the genre's words."""
    texts = [
        f"The view of His Majesty's Government in the United Kingdom is {i}. We thank His "
        f"Excellency Mr. Bruce for it, as His Excellency Mr. Casey did."
        for i in range(6)
    ]
    stats = case_stats(texts)
    names = names_in(texts[0], mask(texts[0], stats))
    assert any(x.startswith("His Majesty") for x in names), names
    assert not any("Excellency" in x for x in names), names
