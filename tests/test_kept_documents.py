"""A document kept across comparisons (a scan's, a query's, ``compare --db``'s) is compared as a
one-off document is: its paraphrase units are built once with its own stem weights, and each
pair re-weighs the stems the other document weighs less (`pair_stem_weight`)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from docdiff.engine.compare import compare_prepared
from docdiff.engine.prepare import load_lexicon, prepare
from docdiff.loaders import load
from docdiff.model import Document
from docdiff.options import Options

LETTERS = Path(__file__).resolve().parent.parent / "fixtures" / "letters"


def _pairs() -> list[tuple[Path, Path]]:
    out = []
    for folder in (LETTERS, LETTERS / "languages"):
        out += list(itertools.combinations(sorted(folder.glob("*.txt")), 2))
    return out


def _matches(a: Document, b: Document, *, kept: bool) -> list[tuple[object, ...]]:
    options = Options()
    pa, pb = prepare(a, options.seed_words), prepare(b, options.seed_words)
    pa.kept = pb.kept = kept
    result = compare_prepared(pa, pb, options, lexicon=load_lexicon(options))
    return [(m.kind, m.a.span, m.b.span, m.words, m.score) for m in result.matches]


@pytest.mark.parametrize(("a", "b"), _pairs(), ids=lambda p: p.stem[:14])
def test_a_kept_document_compares_as_a_one_off_one(a: Path, b: Path) -> None:
    da, db = load(a), load(b)
    assert _matches(da, db, kept=True) == _matches(da, db, kept=False)
