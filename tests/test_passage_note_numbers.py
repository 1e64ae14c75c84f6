"""A passage does not end on the next note's number. DFAT documents end on an archive reference
and the edition's numbered notes; two documents from one file share the reference, and a
comparison weighed by the corpus ran on across the line break to the number of each first note
("[NAA: A6706, 61]" then "1 Document 290." beside "1 Lee Kuan Yew replied …"), showing the
passage "NAA: A6706, 61] 1": 66 passages of the scan of DFAT volume 22 ended so."""

from __future__ import annotations

import re
from pathlib import Path

from docdiff.options import Options
from tests._archives import DFAT, archive_documents

VOLUME = (
    "dfat_historical_documents/txt/volume-25-australia-and-the-formation-of-malaysia-1961-1966/"
)


def test_an_archive_reference_shared_by_two_cables_ends_at_its_line(
    shared_dir: Path, tmp_path: Path
) -> None:
    from docdiff.corpus.query import compare_in_index
    from docdiff.index import CorpusIndex

    docs = archive_documents(shared_dir, DFAT, VOLUME, ("29", "30"))
    folder = tmp_path / "v25"
    folder.mkdir()
    for d in docs:
        (folder / d.id).write_text(d.text, encoding="utf-8")
    by_id = {d.id[:4]: d for d in docs}
    a, b = by_id["300-"], by_id["299-"]
    with CorpusIndex.open(tmp_path / "v25.db", create=True) as index:
        index.update([folder])
        for min_words in (3, 4):
            (pair,) = compare_in_index(index, a, b, Options(min_words=min_words)).pairs
            for m in pair.matches:
                text = a.text[m.a.span.start : m.a.span.end]
                assert re.search(r"\n\s*\d+$", text) is None, (min_words, text)


def test_a_passage_does_not_end_on_the_next_items_number() -> None:
    """A shared list item ran on to the number of the item after it, on the next line
    ("Australian policy in regard to nuclear weapons;\\n  2", DFAT volume 28)."""
    from docdiff.engine.compare import compare
    from docdiff.loaders import load_text

    item = "  1. Australian policy in regard to nuclear weapons;\n  2. "
    a = load_text(f"The Committee considered:\n\n{item}the supply of uranium.\n", doc_id="a")
    b = load_text(f"Matters raised:\n\n{item}a visit by the Secretary in June.\n", doc_id="b")
    (pair,) = compare(a, b, Options(min_words=3)).pairs
    shown = [a.text[m.a.span.start : m.a.span.end] for m in pair.matches]
    assert shown == ["1. Australian policy in regard to nuclear weapons"], shown
