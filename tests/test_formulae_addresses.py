"""Web addresses and paths in formulae: a field that names the format it follows by its address
("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/", at the top of
Debian's copyright files) is one formula, and the words inside its address are none of its
words: the field "Copyright: {number}" below it is a formula of its own, not a wording of the
"Format:" line because its address holds "copyright". Nor does a template start inside an
address, after a slash ("packaging-manuals/copyright-format/1.0/ Upstream-Name:")."""

from __future__ import annotations

import random
from dataclasses import replace

from docdiff.corpus import formulae
from docdiff.corpus.formulae import formulae_report
from docdiff.loaders import load_text
from docdiff.model import Document
from tests._made_up import WORDS, sentence

_FORMAT = "Format: https://www.example.org/doc/packaging-manuals/copyright-format/1.0/"


def _files(n: int = 40) -> list[Document]:
    """`n` copyright files: the format line, an upstream name, then "Copyright: {year}" in
    most, then made-up paragraphs."""
    rng = random.Random(3)
    docs = []
    for i in range(n):
        lines = [_FORMAT, f"Upstream-Name: {rng.choice(WORDS)}"]
        if i % 4:
            lines.append(f"Copyright: {1990 + i % 30}")
        body = [" ".join(sentence(rng, 14) for _ in range(3)) for _ in range(4)]
        text = "\n".join(lines) + "\n\n" + "\n\n".join(body) + "\n"
        meta = {"sender": f"s{i % 9}", "date": f"{2000 + i % 12}-01-01"}
        docs.append(replace(load_text(text, doc_id=f"f{i:02}"), meta=meta))
    return docs


def test_an_addresss_words_are_not_the_formulas_words() -> None:
    head = formulae._Wording.of(_FORMAT)
    assert formulae._Wording.of("Copyright: {number}").rewords(head) is False
    assert "copyright" not in head.words
    # A slot between slashes is no address: the date's slots stay slots.
    assert formulae._addresses_glued("{number}/{number}/{number}") == "{number}/{number}/{number}"
    assert formulae._addresses_glued("and/or") == "and/or"


def test_the_field_below_an_address_is_a_formula_of_its_own() -> None:
    entries = formulae_report(_files()).formulae
    listed = {f.template: f for f in entries}
    assert any(t.startswith("Format: https://www.example.org/") for t in listed), list(listed)
    copyright_ = next((f for f in entries if f.template.startswith("Copyright:")), None)
    assert copyright_ is not None, list(listed)
    assert copyright_.doc_freq == 30
    shown = [f.template for f in entries] + [v.template for f in entries for v in f.variants]
    assert not any(t.startswith(("packaging-manuals", "doc/", "copyright-format")) for t in shown)


def test_a_year_range_opening_a_line_is_no_note_number() -> None:
    """A line's leading number is a note's ("1 Not printed.") and left out of the line read as
    a unit; a year range that opens a line ("1997-2004 Sistina Software" among a copyright
    file's holders) is the line's own, not "-2004 Sistina Software"."""
    text = "Copyright:\n1997-2004 Sistina Software\n1 Not printed.\n2/3 of the text.\n"
    d = formulae.mask(text)
    starts = {d.text[d.starts[a] :].split("\n")[0]: a for a, _ in formulae._unit_bounds(d)}
    assert "1997-2004 Sistina Software" in starts
    assert "Not printed." in starts
    assert "2/3 of the text." in starts
    assert not any(line.startswith("-") for line in starts)
