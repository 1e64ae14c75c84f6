"""A formula ranks by its spread across documents and senders, counting senders only where half
its documents name them (as `_many_senders` judges them): a dateline used in nine memoranda
that name no sender, and in one cable that does, spreads over nine documents, not one sender."""

from __future__ import annotations

import random
from dataclasses import replace

from docdiff.corpus.formulae import formulae_report
from docdiff.loaders import load_text
from docdiff.model import Document

VOCAB = [f"{c}{v}{c2}ex" for c in "bdfgklmnprstvz" for v in "aeiou" for c2 in "lnrst"]


def _documents() -> list[Document]:
    """Nine documents end on "Seen by the Registrar." (one names its sender), six others on
    "Copy to the Treasury." (six senders)."""
    rng = random.Random(5)
    docs = []
    for i in range(15):
        line = "Seen by the Registrar." if i < 9 else "Copy to the Treasury."
        body = " ".join(rng.choice(VOCAB) for _ in range(200))
        doc = load_text(f"{body}.\n\n{line}\n", doc_id=f"d{i:02}")
        meta = {"date": f"{1950 + i}-01-01"}
        if i >= 8:
            meta["sender"] = f"Office {i}"
        docs.append(replace(doc, meta=meta))
    return docs


def test_documents_naming_no_sender_do_not_sink_a_formula() -> None:
    ranked = [f.template for f in formulae_report(_documents(), min_docs=5).formulae]
    assert ranked.index("Seen by the Registrar.") < ranked.index("Copy to the Treasury."), ranked
