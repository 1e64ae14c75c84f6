"""A reworded sentence group does not enclose, on one side, reuses that map elsewhere on the
other (`reworded._crossing`). The DPRK's General Debate speeches of 2012 and 2013 made one
paraphrase of 36 shared words over 6,600 characters of 2012 (half the speech), five other
passages inside it: its parts were the speech's first sentences and sentences 1,000 words
later, joined because every sentence between them was some other passage's."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from docdiff.engine.compare import compare
from docdiff.loaders import load_text
from docdiff.model import Document, Kind
from docdiff.options import Options


def _speech(archive: Path, name: str) -> Document:
    with tarfile.open(archive) as tar:
        for member in tar:
            if member.isfile() and member.name.endswith("/" + name):
                f = tar.extractfile(member)
                assert f is not None
                return load_text(f.read().decode("utf-8"), doc_id=name)
    raise AssertionError(f"{name} is not in {archive}")


@pytest.mark.parametrize(("a", "b"), [("PRK_67_2012.txt", "PRK_68_2013.txt"),
                                      ("PRK_65_2010.txt", "PRK_66_2011.txt")])  # fmt: skip
def test_no_paraphrase_encloses_passages_mapped_elsewhere(shared_dir: Path, a: str, b: str) -> None:
    archive = shared_dir / "corpora" / "un-general-debate.tar.gz"
    if not archive.exists():
        pytest.skip(f"{archive} is absent")
    # (Passages from four words, as `scan` and `query` find them.)
    pair = compare(_speech(archive, a), _speech(archive, b), Options(min_words=4)).pairs[0]
    paraphrases = [m for m in pair.matches if m.kind is Kind.PARAPHRASE]
    assert paraphrases
    for m in paraphrases:
        inside = [
            o
            for o in pair.matches
            if o is not m
            and o.kind in (Kind.PHRASING, Kind.PARAPHRASE, Kind.QUOTATION)
            and m.a.span.start <= o.a.span.start
            and o.a.span.end <= m.a.span.end
        ]
        # A reuse inside it on A lies inside it on B: the same reuse, not one mapped elsewhere
        # (a name may recur anywhere).
        for o in inside:
            assert m.b.span.start <= o.b.span.start, (m.reason, o.kind)
            assert o.b.span.end <= m.b.span.end, (m.reason, o.kind)
