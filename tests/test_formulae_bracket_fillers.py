"""A slot's filler shows what a member puts there, never a lone bracket: a dateline's region
that stops at the "[" of "[20 January 1949]" (DFAT's "Cablegram 114, GENEVA, [20 January
1949]") showed "[" among the examples of the dateline's date slot."""

from __future__ import annotations

import random
import re
from dataclasses import replace

import pytest

from docdiff.corpus.formulae import Region, _filler, formulae_report, mask
from docdiff.loaders import load_text

_LINE = "Cablegram 114, GENEVA, [20 January 1949], 7.30 p.m.\n\nThe talks went on.\n"


@pytest.mark.parametrize("own", [False, True])
def test_a_filler_that_opens_a_bracket_runs_to_its_closing_one(own: bool) -> None:
    """The member's region ends on the "[" (the slot is its last token): the filler is the
    bracket and what it holds, whether the member's token there was aligned with the
    reference's (`own`) or lies between the fixed tokens around the slot."""
    d = mask(_LINE)
    at = d.keys.index("[")
    region = Region(0, 0, at + 1)
    mapping: list[tuple[int, int] | None] = [(i, i + 1) for i in range(at)]
    mapping.append((at, at + 1) if own else None)
    assert _filler(region, mapping, (at, at + 1), d) == "[20 January 1949]"


def test_a_bracket_closed_on_another_line_is_left_as_it_is() -> None:
    """No closing bracket on the line: the filler is what the region holds."""
    d = mask("Cablegram 114, GENEVA, [20 January\n1949], 7.30 p.m.\n\nThe talks went on.\n")
    at = d.keys.index("[")
    mapping: list[tuple[int, int] | None] = [(i, i + 1) for i in range(at)]
    assert _filler(Region(0, 0, at + 1), [*mapping, None], (at, at + 1), d) == "["


def test_an_open_slot_s_filler_keeps_a_number_s_point() -> None:
    """An open slot's filler stops at a sentence's full stop, not at the point inside a time
    or a number: "6.35 p.m", not "6". Datelines that end on a time in two documents of three
    (the third dates in brackets) make "Cablegram {number}, {name}, {…}"."""
    rng = random.Random(5)
    cities = ["CANBERRA", "LONDON", "PARIS", "GENEVA", "NEW YORK", "WASHINGTON"]
    months = ["January", "March", "May", "July", "October", "December"]
    words = "the of and report government talks minister delegation council said would".split()
    docs = []
    for i in range(24):
        date = f"{rng.randint(1, 28)} {rng.choice(months)} 19{rng.randint(40, 60)}"
        city, n = rng.choice(cities), rng.randint(10, 400)
        if i % 3 == 0:
            head = f"Cablegram {n}, {city}, [{date}]"
        else:
            head = f"Cablegram {n}, {city}, {date}, {rng.randint(1, 12)}.{rng.randint(10, 59)} p.m."
        body = "\n\n".join(
            " ".join(rng.choice(words) for _ in range(40)).capitalize() + "." for _ in range(6)
        )
        doc = load_text(f"{head}\n\n{body}\n", doc_id=f"d{i:02}")
        docs.append(replace(doc, meta={"date": date}))
    found = formulae_report(docs, min_docs=5).formulae
    fillers = [x for f in found for slot in f.slot_examples for x in slot]
    assert any(re.search(r"\d\.\d\d p\.m$", x) for x in fillers), fillers
    assert not any(re.search(r"\d{4}, \d+$", x) for x in fillers), fillers
