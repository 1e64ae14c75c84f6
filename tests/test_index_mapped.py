"""A read-only index maps its file once it looks k-grams up (a query); the answers are those
read without the map, and an index open for writing, or one that has not looked anything up
(a scan reading every document), maps nothing."""

from __future__ import annotations

from pathlib import Path

from docdiff.corpus.derived import DERIVER
from docdiff.corpus.query import query
from docdiff.index import CorpusIndex
from docdiff.index.arrays import doc_tokens, unique_kgrams
from docdiff.loaders import load_text

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus" / "letters"


def _mapped(idx: CorpusIndex) -> int:
    return int(idx._conn.execute("PRAGMA mmap_size").fetchone()[0])


def test_a_read_only_index_maps_its_file_for_lookups(tmp_path: Path) -> None:
    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([CORPUS], derive=DERIVER)
        text = (CORPUS / sorted(p.name for p in CORPUS.iterdir())[0]).read_text(encoding="utf-8")
        kgrams = unique_kgrams(doc_tokens(text).hashes, idx.k).astype("int64").tolist()
        writable = idx.counts_and_postings(kgrams, 5)
        assert _mapped(idx) == 0
    with CorpusIndex.open(db, readonly=True) as idx:
        idx.documents_by_number([d.number for d in idx.documents()])
        assert _mapped(idx) == 0
        got = idx.counts_and_postings(kgrams, 5)
        assert _mapped(idx) > 0
        assert got[0] == writable[0]
        assert got[1].hashes == writable[1].hashes
        assert got[1].counts.tolist() == writable[1].counts.tolist()
        assert got[1].docs.tolist() == writable[1].docs.tolist()
        assert got[0]
        report = query(idx, load_text(text, doc_id="new"))
        assert report.pairs
