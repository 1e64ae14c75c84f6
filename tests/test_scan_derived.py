"""A scan of an index reads its documents' derived blobs (`docdiff.corpus.derived`), as a query
does: the documents compared in full and those whose anchored passages get their kinds are never
tokenized or weighed again, and the report is the one a scan preparing them from their text
gives."""

from __future__ import annotations

from pathlib import Path

import pytest

import docdiff.corpus.derived
import docdiff.text.tokens
from docdiff.corpus.derived import DERIVER
from docdiff.corpus.scan import scan
from docdiff.index import CorpusIndex
from docdiff.model import Report
from docdiff.options import Options, ScanOptions

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"


def _scan(db: Path, calls: list[int], monkeypatch: pytest.MonkeyPatch) -> Report:
    real = docdiff.text.tokens.tokens_at

    def spy(text: str, starts: list[int], ends: list[int]) -> object:
        calls.append(len(starts))
        return real(text, starts, ends)

    with monkeypatch.context() as patch:
        patch.setattr(docdiff.text.tokens, "tokens_at", spy)
        with CorpusIndex.open(db, readonly=True) as idx:
            # Two pairs compared in full, the others anchored (their kinds found per document).
            return scan(idx, Options(), ScanOptions(full_pairs=2), jobs=1)


def test_a_scan_of_an_index_reads_the_blobs_and_reports_what_the_text_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([CORPUS / "letters"], derive=DERIVER)
    read: list[int] = []
    from_blobs = _scan(db, read, monkeypatch)
    assert int(str(from_blobs.settings["anchored_pairs"])) > 0
    assert len(from_blobs.pairs) > 2
    assert read == []
    # Blobs made by other code are not read: every document is prepared from its text.
    monkeypatch.setattr(docdiff.corpus.derived, "fingerprint", lambda: "other code")
    tokenized: list[int] = []
    from_text = _scan(db, tokenized, monkeypatch)
    assert tokenized
    assert from_blobs.pairs == from_text.pairs
    assert from_blobs.clusters == from_text.clusters
    assert from_blobs.documents == from_text.documents
