"""The corpus index: an SQLite file of documents, compact tokens and k-gram postings."""

from __future__ import annotations

from docdiff.index._store import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    CorpusIndex,
    Deriver,
    DocInfo,
    DocumentRow,
    KgramPostings,
    UpdateSummary,
    decode_document,
    doc_id_for,
    encode_document,
)

__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "CorpusIndex",
    "Deriver",
    "DocInfo",
    "DocumentRow",
    "KgramPostings",
    "UpdateSummary",
    "decode_document",
    "doc_id_for",
    "encode_document",
]
