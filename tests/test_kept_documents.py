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


def test_a_kept_documents_stem_table_holds_only_its_own_stems() -> None:
    """A kept document (a cached query source, the language server's open file) meets many
    others; the stems they ask of it (absent from it: weight 1, or 0 with a digit) are not
    added to its table, which would grow with every document it meets."""
    options = Options()
    files = sorted(LETTERS.glob("*.txt"))
    kept = prepare(load(files[0]), options.seed_words)
    kept.kept = True
    own = dict(kept.stem_table)
    for other in files[1:]:
        po = prepare(load(other), options.seed_words)
        po.kept = True
        compare_prepared(kept, po, options, lexicon=load_lexicon(options))
        compare_prepared(po, kept, options, lexicon=load_lexicon(options))
    assert dict(kept.stem_table) == own
    absent = next(s for s in ("zzzqx", "unheardof") if s not in own)
    assert kept.stem_table[absent] == 1.0
    assert kept.stem_table["a1b2"] == 0.0
    assert dict(kept.stem_table) == own
