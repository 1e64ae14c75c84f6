"""A line or sentence that only names its document's subject ("INDONESIA", "Indonesia.") is no
formula. DFAT volume 13 (1948, Indonesia) listed "INDONESIA" seventh (54 documents), with
"Indonesia." (28) under it: "Indonesia" stands in half the volume's documents, so the miner kept
it as a word of the genre (`_COMMON_NAME`), and a line of capitals was read as a marking. The
corpus writes it capitalised mid-sentence and never in lower case, as a name; a marking's words
are common words ("a secret agreement")."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from docdiff.corpus.formulae import formulae_report
from docdiff.loaders import load_text
from docdiff.model import Document
from tests._archives import DFAT, archive_documents

_ALPHA = [f"{c}{v}{c2}o" for c in "bdfgklmnprstvz" for v in "aeiu" for c2 in "lnrst"]


def _sentence(rng: random.Random, n: int = 20) -> str:
    return " ".join(rng.choice(_ALPHA) for _ in range(n)).capitalize() + "."


def _cables(n: int = 40) -> list[Document]:
    """Cables of eight senders: a dateline, a marking ("SECRET", "CONFIDENTIAL") and, in half
    of them, the subject on a line of its own ("INDONESIA") or as a sentence after the reference
    ("Your 12. Indonesia."); every cable names Indonesia in its text and says "a secret talk"."""
    rng = random.Random(13)
    docs = []
    for i in range(n):
        body = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(4)]
        body[1] += f" The talks in Indonesia {rng.choice(_ALPHA)} a secret talk {_sentence(rng)}"
        head = ["SECRET" if i % 3 else "CONFIDENTIAL"]
        if i % 4 == 1:
            head.append("INDONESIA")
        elif i % 4 == 3:
            body[0] = f"Your {100 + i}. Indonesia.\n\n{body[0]}"
        place = rng.choice(["LONDON", "BATAVIA", "THE HAGUE", "NEW YORK"])
        dateline = f"Cablegram {i + 1} {place}, {1 + i % 28} May 1948"
        text = "\n\n".join([dateline, *head, *body])
        docs.append(
            replace(load_text(text + "\n", doc_id=f"c{i:02}"), meta={"sender": f"s{i % 8}"})
        )
    return docs


def test_a_marking_whose_word_the_text_uses_stays_a_formula() -> None:
    # (a guard, not the defect: the markings' words are common words, written in lower case
    # too, so they are never read as the names of a subject line)
    found = formulae_report(_cables(), min_docs=5).formulae
    shown = [g.template for f in found for g in (f, *f.variants)]
    assert {"SECRET", "CONFIDENTIAL"} <= set(shown), shown
    assert not any("INDONESIA" in t or "Indonesia" in t for t in shown), shown


def test_the_subject_line_of_an_indonesia_volume_is_no_formula(shared_dir: Path) -> None:
    volume = "dfat_historical_documents/txt/volume-13-1948-indonesia/"
    docs = archive_documents(shared_dir, DFAT, volume, ("1", "2", "3"))
    found = formulae_report(docs).formulae
    shown = [g.template for f in found for g in (f, *f.variants)]
    assert {"SECRET", "IMMEDIATE", "CONFIDENTIAL"} <= set(shown), shown
    # Before: "INDONESIA" and "Indonesia." were listed.
    assert not {"INDONESIA", "Indonesia."} & set(shown), shown


def test_a_heading_with_its_number_stays_a_formula() -> None:
    """A word the corpus always capitalises ("the Cabinet Agendum") heading a line with its
    number ("Agendum 97") is a heading of the genre, not a subject named: it stays."""
    rng = random.Random(17)
    docs = []
    for i in range(40):
        body = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(4)]
        body[2] += f" The Cabinet Agendum {rng.choice(_ALPHA)} {_sentence(rng)}"
        head = [f"Agendum {100 + i}"] if i % 2 else []
        text = "\n\n".join([f"Submission {i + 1} CANBERRA, {1 + i % 28} May 1948", *head, *body])
        docs.append(
            replace(load_text(text + "\n", doc_id=f"a{i:02}"), meta={"sender": f"s{i % 8}"})
        )
    found = formulae_report(docs, min_docs=5).formulae
    shown = [g.template for f in found for g in (f, *f.variants)]
    assert any(t.startswith("Agendum {") for t in shown), shown
