"""`docdiff.engine.windows`: a pair compared through windows around its shared anchors."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.engine.compare import compare_prepared
from docdiff.engine.prepare import load_lexicon, prepare
from docdiff.engine.windows import (
    anchors,
    compare_windowed,
    pair_windows,
    side_windows,
    slice_mask,
    slice_prepared,
)
from docdiff.model import Document, PairResult
from docdiff.options import Options

LETTERS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus" / "letters"
OPTIONS = Options(min_words=4)


def _doc(doc_id: str, text: str) -> Document:
    return Document(doc_id, f"{doc_id}.txt", "txt", text)


def _letters() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(LETTERS.glob("*.txt"))]


def _filler(tag: str, n: int) -> str:
    """`n` paragraphs of words of this filler's own (no word is in another filler)."""
    return "\n\n".join(
        " ".join(f"{tag}{i}q{j}" + ("." if j % 9 == 8 else "") for j in range(27)) for i in range(n)
    )


def _same(x: PairResult, y: PairResult) -> None:
    assert x.matches == y.matches
    assert x.echoes == y.echoes
    assert x.summary == y.summary


@given(
    st.lists(st.integers(0, 2_000), max_size=40),
    st.integers(0, 120),
    st.lists(st.integers(1, 45), min_size=1, max_size=80),
)
def test_side_windows_are_whole_sentences_around_every_anchor(
    raw: list[int], margin: int, lengths: list[int]
) -> None:
    bounds = np.cumsum([0, *lengths]).tolist()
    sentences = list(itertools.pairwise(bounds))
    n, k = bounds[-1], 3
    positions = np.asarray([p % n for p in raw], dtype=np.int64)
    got = side_windows(positions, n, k, sentences, margin=margin)
    starts = {s for s, _ in sentences}
    ends = {e for _, e in sentences}
    for (_, e0), (s1, _) in itertools.pairwise(got):
        assert e0 < s1  # sorted, disjoint, not touching
    for s, e in got:
        assert 0 <= s < e <= n
        assert s in starts
        assert e in ends
    for p in positions.tolist():  # every anchor with its margin is inside a window
        assert any(s <= max(p - margin, 0) and min(p + k + margin, n) <= e for s, e in got)


def test_slicing_everything_changes_nothing() -> None:
    """A slice holding every token compares exactly as the whole documents do."""
    lexicon = load_lexicon(OPTIONS)
    texts = _letters()
    for x, y in itertools.combinations(range(len(texts)), 2):
        a = prepare(_doc(f"a{x}", texts[x]), OPTIONS.seed_words)
        b = prepare(_doc(f"b{y}", texts[y]), OPTIONS.seed_words)
        whole = compare_prepared(a, b, OPTIONS, lexicon=lexicon)
        for snapped in (False, True):
            sa = slice_prepared(a, [(0, len(a.tokens))], lexicon, snapped=snapped)
            sb = slice_prepared(b, [(0, len(b.tokens))], lexicon, snapped=snapped)
            _same(compare_prepared(sa, sb, OPTIONS, lexicon=lexicon, whole=(a, b)), whole)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_a_slice_keeps_the_full_texts_offsets(data: st.DataObject) -> None:
    text = _letters()[0]
    p = prepare(_doc("a", text), OPTIONS.seed_words)
    n = len(p.tokens)
    cuts = sorted(set(data.draw(st.lists(st.integers(0, n), min_size=2, max_size=8))))
    ranges = [(s, e) for s, e in itertools.pairwise(cuts) if e > s][::2]
    part = slice_prepared(p, ranges, load_lexicon(OPTIONS))
    at = [i for s, e in ranges for i in range(s, e)]
    assert len(part.tokens) == len(at)
    for n_part, i in enumerate(at):
        assert part.tokens.span(n_part) == p.tokens.span(i)
        assert text[part.tokens.starts[n_part] : part.tokens.ends[n_part]]
        assert part.tokens.keys[n_part] == p.tokens.keys[i]
        assert part.roots[n_part] == p.roots[i]
    # Sentences and breaks stay inside the slice; every range opens a paragraph.
    offsets = list(itertools.accumulate([0, *(e - s for s, e in ranges)]))[:-1]
    assert set(offsets) <= set(part.break_list)
    assert all(0 <= s < e <= len(at) for s, e in part.sentences)
    # A k-gram that crosses from one range into the next never seeds.
    mask = slice_mask(p.seedable(), ranges, p.k, len(at))
    assert len(mask) == len(part.hashes)
    for off, (s, e) in zip(offsets, ranges, strict=True):
        inside = max(0, e - s - p.k + 1)
        assert (mask[off : off + inside] == p.seedable()[s : s + inside]).all()
        assert not mask[off + inside : off + e - s].any()


def _reuse_pair() -> tuple[Document, Document, str]:
    """Two long documents sharing one letter, each padded with unrelated paragraphs."""
    letter = _letters()[1]
    a = _doc("a", f"{_filler('x', 200)}\n\n{letter}\n\n{_filler('y', 200)}")
    b = _doc("b", f"{_filler('z', 120)}\n\n{letter}\n\n{_filler('w', 260)}")
    return a, b, letter


def test_windows_find_the_shared_letter_at_its_place_in_the_full_text() -> None:
    a_doc, b_doc, letter = _reuse_pair()
    a = prepare(a_doc, OPTIONS.seed_words)
    b = prepare(b_doc, OPTIONS.seed_words)
    lexicon = load_lexicon(OPTIONS)
    mask = a.seedable()
    wins = pair_windows(a, b, mask)
    # The windows are a small part of each document, around the letter.
    assert 0 < sum(e - s for s, e in wins.a) < len(a.tokens) / 3
    i, _ = anchors(a, b, mask)
    assert len(i)
    whole = compare_prepared(a, b, OPTIONS, lexicon=lexicon)
    got = compare_windowed(a, b, OPTIONS, lexicon=lexicon)
    assert got.matches == whole.matches
    assert got.summary == whole.summary
    where_a, where_b = a_doc.text.index(letter), b_doc.text.index(letter)
    for m in got.matches:
        assert where_a <= m.a.span.start < m.a.span.end <= where_a + len(letter)
        assert where_b <= m.b.span.start < m.b.span.end <= where_b + len(letter)
        assert a_doc.text[m.a.span.start : m.a.span.end] in letter


def test_a_pair_whose_windows_cover_most_of_it_is_compared_whole() -> None:
    lexicon = load_lexicon(OPTIONS)
    letter = _letters()[2]
    a = prepare(_doc("a", letter), OPTIONS.seed_words)
    b = prepare(_doc("b", letter.replace("the", "that")), OPTIONS.seed_words)
    _same(
        compare_windowed(a, b, OPTIONS, lexicon=lexicon),
        compare_prepared(a, b, OPTIONS, lexicon=lexicon),
    )


def test_a_pair_without_anchors_has_no_passage() -> None:
    a = prepare(_doc("a", _filler("p", 40)), OPTIONS.seed_words)
    b = prepare(_doc("b", _filler("q", 40)), OPTIONS.seed_words)
    got = compare_windowed(a, b, OPTIONS)
    assert got.matches == ()
    assert replace(got.summary) == got.summary
    assert got.summary.similarity == 0.0
