"""The marks of emphasis in converted text (the underscores of italics, the asterisks of bold)
are removed before the miner counts and aligns, not only when it prints: an italic journal title
("See _Current Notes_, vol. 42") is the same words as a plain one, so it neither splits a formula
nor makes a slot whose fillers differ only in their marks (DFAT v22: "See Current {name} , {…}"
had its name slot because one filler was "Notes_")."""

from __future__ import annotations

from pathlib import Path

from docdiff.corpus.formulae import formulae_report, mask
from tests._archives import DFAT, archive_documents

_PLAIN = "See Current Notes, vol. 42, p. 10."


def test_marked_and_plain_words_mask_alike() -> None:
    plain = mask(_PLAIN)
    for marked in ("See _Current Notes_, vol. 42, p. 10.", "See _Current Notes,_ vol. 42, p. 10.",
                   "See **Current Notes**, vol. 42, p. 10."):  # fmt: skip
        got = mask(marked)
        assert got.keys == plain.keys, marked
        assert got.kinds == plain.kinds, marked


def test_a_lone_asterisk_stays_a_mark() -> None:
    assert mask("* 2 Not printed.").keys[0] == "*"


VOLUME = (
    "dfat_historical_documents/txt/"
    "volume-22-australia-and-recognition-of-the-peoples-republic-of-china-1949-1972/"
)
CITING = ("80-", "83-", "122-", "133-", "135-", "161-", "181-", "244-", "347-", "381-")
"""The v22 documents that cite the journal Current Notes, most in italics ("_Current Notes_ ,",
"_Current Notes,_"), one plainly."""


def test_an_italic_title_is_one_formula_with_its_plain_copies(shared_dir: Path) -> None:
    docs = archive_documents(shared_dir, DFAT, VOLUME, CITING)
    assert len(docs) == len(CITING)
    found = [f for f in formulae_report(docs).formulae if "vol." in f.template]
    assert found, "the citation of Current Notes is not mined"
    f = found[0]
    # Before: 6 documents, as "See Current Notes , vol. {number},{number}, {…}".
    assert f.doc_freq >= 9, (f.template, f.doc_freq)
    assert "_" not in f.template, f.template
    assert all("_" not in x for slot in f.slot_examples for x in slot), f.slot_examples
