"""A query short of sources that share rare wording looks among wording a few documents hold.

In 200 Debian copyright files a licence text stands in 40 or more of them, so none of its
3-grams is rare (at most `default_max_df`, 5 documents): a query with one of those files found
as sources only three files sharing their format line, where `docdiff scan` pairs it with the
files holding its licence (69 distinctive similarity). Sources sharing k-grams of up to
`wide_max_df` documents now follow the rare ones when those are fewer than the limit.
"""

from __future__ import annotations

import random
from pathlib import Path

from docdiff.corpus.query import query, wide_max_df
from docdiff.corpus.scan import default_max_df
from docdiff.index import CorpusIndex
from docdiff.loaders import load_text
from docdiff.model import Kind

NOTICE = (
    "This package is free software; you can redistribute it and/or modify it under the terms "
    "of the Lesser Public Licence as published by the Freedom Foundation; either version 2.1 "
    "of the Licence, or (at your option) any later version. This package is distributed in "
    "the hope that it will be useful, but without any warranty; without even the implied "
    "warranty of merchantability or fitness for a particular purpose."
)


def _corpus(folder: Path) -> None:
    """Forty files of unrelated words; eight of them (more than the rare cap) hold NOTICE."""
    rng = random.Random(7)
    for n in range(40):
        words = " ".join(f"w{rng.randrange(20000)}" for _ in range(80))
        notice = f"\n\n{NOTICE}\n" if n < 8 else ""
        (folder / f"f{n:02d}.txt").write_text(f"{words}.{notice}", encoding="utf-8")


def test_the_files_holding_a_common_licence_are_a_query_s_sources(tmp_path: Path) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    _corpus(folder)
    assert default_max_df(40) < 8 <= wide_max_df(40)
    new = load_text(f"Upstream-Name: zork\n\n{NOTICE}\n", doc_id="new")
    with CorpusIndex.open(tmp_path / "i.db", create=True) as idx:
        idx.update([folder])
        report = query(idx, new, limit=5)
    assert len(report.pairs) == 5
    for pair in report.pairs:
        assert int(pair.b.rsplit("f", 1)[1][:2]) < 8, pair.b
        assert any(m.kind is not Kind.NAME and m.words >= 40 for m in pair.matches)


def test_the_wide_cap_is_a_quarter_of_the_documents_and_at_most_100() -> None:
    assert wide_max_df(40) == 10
    assert wide_max_df(200) == 50
    assert wide_max_df(4802) == 100
    assert wide_max_df(8) == 2
