"""The public API is small, pinned, and cheap to import."""

from __future__ import annotations

import subprocess
import sys

import docdiff

PINNED = {
    "AlignOp", "Cluster", "CorpusIndex", "CorpusIndexError", "DocdiffError", "Document",
    "Formula", "InputError", "Kind", "Lexicon", "LexiconError", "Match", "OffsetMap", "Options",
    "OptionsError", "PairResult", "PairSummary", "Passage", "Report", "Span", "__version__",
    "compare", "load", "load_text", "scan",
}  # fmt: skip


def test_all_is_pinned() -> None:
    assert set(docdiff.__all__) == PINNED


def test_every_public_name_resolves() -> None:
    for name in docdiff.__all__:
        assert getattr(docdiff, name) is not None


def test_public_api_compares_two_texts() -> None:
    a = docdiff.load_text("The Mission presents its compliments to the Secretariat.", doc_id="a")
    b = docdiff.load_text("The Embassy presents its compliments to the Ministry.", doc_id="b")
    report = docdiff.compare(a, b, docdiff.Options())
    assert isinstance(report, docdiff.Report)
    assert {m.kind for m in report.pairs[0].matches} == {docdiff.Kind.FORMULA}


def test_import_is_cheap() -> None:
    code = (
        "import sys, docdiff\n"
        "print(sorted(m for m in ('numpy', 'rapidfuzz', 'lxml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
