"""`docdiff.engine.anchored`: a long document compared through windows around shared anchors."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from docdiff.engine.anchored import compare_long, long_document, windows
from docdiff.engine.compare import compare_prepared
from docdiff.engine.prepare import prepare
from docdiff.index.arrays import doc_tokens
from docdiff.loaders import load_text
from docdiff.model import Kind
from docdiff.options import Options

LETTERS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus" / "letters"


@given(
    st.lists(st.integers(0, 5_000), max_size=60),
    st.integers(0, 80),
    st.integers(1, 3),
    st.integers(50, 3_000),
)
def test_windows_hold_their_anchors_and_keep_the_budget(
    raw: list[int], margin: int, min_anchors: int, budget: int
) -> None:
    positions = np.unique(np.asarray(raw, dtype=np.int64))
    n, k = 5_010, 3
    got = windows(positions, n, k, margin=margin, budget=budget, min_anchors=min_anchors)
    full = windows(positions, n, k, margin=margin, budget=10**9, min_anchors=min_anchors)
    # Sorted, disjoint, inside the text; every window holds enough anchors.
    for (_, e0), (s1, _) in itertools.pairwise(got):
        assert e0 < s1
    for s, e in got:
        assert 0 <= s < e <= n
        assert int(((positions >= s) & (positions + k <= e)).sum()) >= min_anchors
    # Within the budget, windows chosen from the unlimited ones; without pressure, all of them.
    assert sum(e - s for s, e in got) <= budget
    assert set(got) <= set(full)
    if sum(e - s for s, e in full) <= budget:
        assert got == full
    # Anchors within reach of each other share a window: an anchor with enough company is
    # always inside one of the unlimited windows.
    for p in positions.tolist():
        near = int((np.abs(positions - p) <= 2 * margin + k).sum())
        if near >= min_anchors:
            assert any(s <= p and p + k <= e for s, e in full)


def _long_text() -> tuple[str, str]:
    """A long text made of the fixture letters (each several times, with filler between), and
    one letter from it."""
    letters = [p.read_text(encoding="utf-8") for p in sorted(LETTERS.glob("*.txt"))]
    filler = " ".join(f"item{n} noted without comment." for n in range(400))
    parts = []
    for round_ in range(3):
        for n, text in enumerate(letters):
            parts.append(f"Section {round_}.{n}\n\n{filler}\n\n" if n % 2 else text)
    return "\n\n".join(parts), letters[2]


def test_compare_long_finds_what_the_full_comparison_finds() -> None:
    text, letter = _long_text()
    long_doc = load_text(text, doc_id="long")
    short = prepare(load_text(letter, doc_id="short"), Options().seed_words)
    full = compare_prepared(short, prepare(long_doc, Options().seed_words), Options())
    arrays = doc_tokens(long_doc.text)
    long = long_document(long_doc, arrays.hashes, arrays.starts, arrays.ends, short.k)
    got, compared = compare_long(short, long, Options())
    assert 0 < compared < len(long)

    # The same reused passages, at the same places of the full long text.
    def spans(result: object) -> set[tuple[int, int, int, int]]:
        return {
            (m.a.span.start, m.a.span.end, m.b.span.start, m.b.span.end)
            for m in result.matches  # type: ignore[attr-defined]
            if m.kind is Kind.PHRASING
        }

    assert spans(full)
    assert spans(got) == spans(full)
    for m in got.matches:
        assert (
            long_doc.text[m.b.span.start : m.b.span.end].split()[:3]
            == letter[m.a.span.start : m.a.span.end].split()[:3]
        )
    # Coverage is given over the whole long text, as the full comparison gives it.
    assert got.summary.coverage_b == pytest.approx(full.summary.coverage_b, abs=0.2)
    assert got.summary.coverage_a == full.summary.coverage_a


def test_the_windows_of_a_long_document_read_its_whole_text_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What a comparison finds of a document's whole text (its editorial apparatus, its
    datelines, where quotations open) is found once for a long document, whatever number of
    pairs and windows meet it: each is as long as the text."""
    from docdiff.text.apparatus import apparatus_spans

    text, letter = _long_text()
    long_doc = load_text(text, doc_id="long")
    arrays = doc_tokens(long_doc.text)
    long = long_document(long_doc, arrays.hashes, arrays.starts, arrays.ends, 3)
    read: list[int] = []

    def counted(t: str) -> tuple[tuple[int, int], ...]:
        read.append(len(t))
        return apparatus_spans(t)

    monkeypatch.setattr("docdiff.engine.classify.apparatus_spans", counted)
    shorts = [letter, letter[: len(letter) // 2], letter[len(letter) // 3 :]]
    results = [compare_long(prepare(load_text(t, doc_id="s"), 3), long, Options()) for t in shorts]
    assert all(n > 0 for _, n in results)
    assert read.count(len(text)) == 1  # (and each short text once)
    assert set(long.text_wide) >= {"apparatus", "opening_marks"}
    # The same passages as windows that find them anew (a fresh long document).
    again = long_document(long_doc, arrays.hashes, arrays.starts, arrays.ends, 3)
    short = prepare(load_text(shorts[2], doc_id="s"), 3)
    assert compare_long(short, again, Options()) == results[2]


def test_compare_long_without_shared_anchors_is_empty() -> None:
    text, _ = _long_text()
    long_doc = load_text(text, doc_id="long")
    arrays = doc_tokens(long_doc.text)
    long = long_document(long_doc, arrays.hashes, arrays.starts, arrays.ends, 3)
    short = prepare(load_text("Gardening tips for sunny balconies and herbs.", doc_id="g"), 3)
    result, compared = compare_long(short, long, Options())
    assert (result.matches, compared) == ((), 0)


def test_query_compares_a_long_source_through_windows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A source over the long-document size is never prepared whole, and its passage is found."""
    import docdiff.engine.anchored as anchored
    from docdiff.corpus.query import query
    from docdiff.index import CorpusIndex

    text, letter = _long_text()
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "long.txt").write_text(text, encoding="utf-8")
    (folder / "other.txt").write_text("An unrelated note about the weather.", encoding="utf-8")
    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([folder])
    monkeypatch.setattr(anchored, "LONG_TOKENS", 1_000)
    sizes = _prepared_sizes(monkeypatch)
    with CorpusIndex.open(db, readonly=True) as idx:
        report = query(idx, load_text(letter, doc_id="new"))
    assert [Path(p.b).name for p in report.pairs] == ["long.txt"]
    assert max(sizes) < 1_000  # only the query document was prepared whole
    best = max(report.pairs[0].matches, key=lambda m: m.words)
    assert best.words >= 50
    source = report.document(report.pairs[0].b)
    assert source.text == text
    assert source.words == len(doc_tokens(text))
    assert (
        source.text[best.b.span.start : best.b.span.end].split()
        == letter[best.a.span.start : best.a.span.end].split()
    )


@pytest.mark.parametrize("long_first", [True, False])
def test_scan_aligns_a_long_document_through_windows(
    long_first: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scan never prepares the long document whole, and finds its passage either side."""
    import docdiff.engine.anchored as anchored
    from docdiff.corpus.scan import scan

    text, letter = _long_text()
    long_doc = load_text(text, doc_id="long")
    short_doc = load_text("Preamble of a new note.\n\n" + letter, doc_id="short")
    docs = [long_doc, short_doc] if long_first else [short_doc, long_doc]
    monkeypatch.setattr(anchored, "LONG_TOKENS", 1_000)
    sizes = _prepared_sizes(monkeypatch)
    report = scan(docs, Options())
    assert len(report.pairs) == 1
    pair = report.pairs[0]
    assert {pair.a, pair.b} == {"long", "short"}
    assert max(sizes) < 1_000  # only the short document was prepared whole
    best = max(pair.matches, key=lambda m: m.words)
    assert best.words >= 50
    on_long, on_short = (best.a, best.b) if pair.a == "long" else (best.b, best.a)
    assert (
        text[on_long.span.start : on_long.span.end].split()
        == short_doc.text[on_short.span.start : on_short.span.end].split()
    )
    # Coverage of the long side is given over its whole length: small.
    long_cover = pair.summary.coverage_a if pair.a == "long" else pair.summary.coverage_b
    assert 0 < long_cover < 20


def test_anchors_are_the_positions_of_the_shared_kgrams() -> None:
    """The packed sort finds exactly the positions a plain search finds (none too common)."""
    from docdiff.engine.anchored import anchors
    from docdiff.text.seeds import kgram_hash_array

    text, letter = _long_text()
    long_doc = load_text(text, doc_id="long")
    arrays = doc_tokens(long_doc.text)
    long = long_document(long_doc, arrays.hashes, arrays.starts, arrays.ends, 3)
    short = prepare(load_text(letter, doc_id="short"), 3)
    mask = short.seedable()
    got = anchors(short.hash_array, mask, long, max_occurrences=10**9)
    wanted = np.unique(short.hash_array[mask])
    every = kgram_hash_array(arrays.hashes, 3)
    expected = np.flatnonzero(np.isin(every, wanted))
    assert len(expected) > 0
    assert got.tolist() == expected.tolist()
    # A k-gram found more often than allowed anchors nothing.
    capped = anchors(short.hash_array, mask, long, max_occurrences=1)
    counts = {h: int((every == h).sum()) for h in wanted.tolist()}
    assert set(capped.tolist()) == {p for p in expected.tolist() if counts[int(every[p])] == 1}


def _prepared_sizes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The token counts of every document `prepare` is given from now on (in this test)."""
    import docdiff.engine.prepare as prepare_module

    sizes: list[int] = []
    real = prepare_module.prepare

    def spy(doc, k=3, *, tokens=None):  # type: ignore[no-untyped-def]
        p = real(doc, k, tokens=tokens)
        sizes.append(len(p.tokens))
        return p

    monkeypatch.setattr(prepare_module, "prepare", spy)
    return sizes
