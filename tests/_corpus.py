"""The bundled corpus fixture (fixtures/corpus) as documents, shared by the scan and Ray tests."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from docdiff.corpus.metadata import load_csv, lookup_meta
from docdiff.loaders import iter_corpus, load
from docdiff.model import Document

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"


def corpus_docs() -> list[Document]:
    """The corpus letters with ids ``letters/NAME`` and their rows of metadata.csv."""
    meta = load_csv(CORPUS / "metadata.csv")
    docs = []
    for f in iter_corpus([CORPUS / "letters"]):
        doc_id = f"letters/{f.name}"
        doc = load(f, doc_id=doc_id)
        docs.append(replace(doc, meta=lookup_meta(meta, doc_id=doc_id, path=str(f)) or {}))
    return docs
