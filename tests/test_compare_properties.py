"""Hypothesis laws of `docdiff.engine.compare.compare` over letters with planted reuse."""

from __future__ import annotations

import bisect

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docdiff.engine.compare import compare
from docdiff.loaders import load_text
from docdiff.model import Document, PairResult, Span
from docdiff.options import Options
from docdiff.render.jsonout import report_to_dict
from docdiff.text.tokens import tokenize

# A small vocabulary so that generated documents share words and phrases, with stopwords,
# formula words, names, spelling variants, Cyrillic and Hangul.
VOCAB = (
    "the of and to in a has honour inform you that government republic examplia rejects report "
    "special rapporteur situation human rights office united nations high commissioner "
    "fabrication fabrications lies distortions politically motivated sovereignty interference "
    "internal affairs assurances highest consideration permanent mission presents compliments "
    "honor defence defense Министерство иностранных 대한민국 외교부 dam river border 2021 74"
).split()
SEPARATORS = (" ", " ", " ", " ", ", ", ". ", "\n", "\n\n", " — ", " “", "” ")

words = st.lists(st.sampled_from(VOCAB), min_size=0, max_size=60)
FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _text(tokens: list[str], seps: list[str]) -> str:
    out: list[str] = []
    for i, w in enumerate(tokens):
        out.append(w)
        out.append(seps[i % len(seps)] if seps else " ")
    return "".join(out).strip()


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A generated letter: vocabulary words joined by varied separators."""
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=1, max_size=8))
    return _text(draw(words), seps)


@st.composite
def reuse_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """Two letters where the second reuses slices of the first, reordered, among other words."""
    a_words = draw(st.lists(st.sampled_from(VOCAB), min_size=0, max_size=80))
    b_words: list[str] = []
    for _ in range(draw(st.integers(0, 3))):
        if a_words:
            i = draw(st.integers(0, len(a_words) - 1))
            j = draw(st.integers(i, min(len(a_words), i + 25)))
            b_words += draw(words)[:10] + a_words[i:j]
    b_words += draw(words)[:10]
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=1, max_size=6))
    return _text(a_words, seps), _text(b_words, seps[::-1])


def _doc(text: str, doc_id: str) -> Document:
    return load_text(text, doc_id=doc_id)


def _pair(a: Document, b: Document) -> PairResult:
    return compare(a, b, Options()).pairs[0]


def _covered_tokens(text: str, spans: list[Span]) -> set[int]:
    starts = tokenize(text).starts
    covered: set[int] = set()
    for span in spans:
        covered.update(
            range(bisect.bisect_left(starts, span.start), bisect.bisect_left(starts, span.end))
        )
    return covered


@FAST
@given(documents())
def test_document_compared_with_itself_scores_100(text: str) -> None:
    """Any document with at least one word is 100 similar to itself; an empty one gives 0."""
    doc = _doc(text, "same")
    pair = _pair(doc, _doc(text, "copy"))
    if len(tokenize(text)) == 0:
        assert pair.summary.similarity == 0.0
        assert not pair.matches
    else:
        assert pair.summary.similarity == 100.0
        assert pair.summary.coverage_a == 100.0
        assert pair.summary.coverage_b == 100.0


@FAST
@given(reuse_pairs())
def test_spans_in_bounds_and_json_texts_are_slices(texts: tuple[str, str]) -> None:
    """Spans stay inside each text, and every JSON passage text is text[start:end]."""
    a, b = _doc(texts[0], "a"), _doc(texts[1], "b")
    report = compare(a, b, Options())
    for m in report.pairs[0].matches:
        assert 0 <= m.a.span.start < m.a.span.end <= len(a.text)
        assert 0 <= m.b.span.start < m.b.span.end <= len(b.text)
        assert 0.0 <= m.score <= 100.0
    data = report_to_dict(report)
    docs = {"a": a.text, "b": b.text}
    for m in data["matches"]:
        for side in ("a", "b"):
            passage = m[side]
            text = docs[side]
            assert passage["text"] == text[passage["start"] : passage["end"]]


@FAST
@given(reuse_pairs())
def test_compare_is_deterministic(texts: tuple[str, str]) -> None:
    """Running the same comparison twice gives identical matches and summary."""
    a, b = _doc(texts[0], "a"), _doc(texts[1], "b")
    assert _pair(a, b) == _pair(a, b)


@FAST
@given(reuse_pairs())
def test_compare_mirrors_when_swapped(texts: tuple[str, str]) -> None:
    """compare(b, a) covers the same text as compare(a, b), sides swapped (within a word or two)."""
    a, b = _doc(texts[0], "a"), _doc(texts[1], "b")
    ab, ba = _pair(a, b), _pair(b, a)
    assert abs(ab.summary.coverage_a - ba.summary.coverage_b) <= 1.0
    assert abs(ab.summary.coverage_b - ba.summary.coverage_a) <= 1.0
    assert abs(ab.summary.similarity - ba.summary.similarity) <= 1.0
    # Token coverage of each text differs by at most two boundary words.
    for text, fwd, back in (
        (a.text, [m.a.span for m in ab.matches], [m.b.span for m in ba.matches]),
        (b.text, [m.b.span for m in ab.matches], [m.a.span for m in ba.matches]),
    ):
        diff = _covered_tokens(text, fwd) ^ _covered_tokens(text, back)
        assert len(diff) <= 2, (text, diff)


@FAST
@given(reuse_pairs(), st.booleans())
def test_a_pair_without_passages_needs_no_echoes(pair: tuple[str, str], corpus: bool) -> None:
    """``echoes_alone=False`` (a query, which drops a pair with no passage to show) changes
    nothing but the echoes of such a pair: there are none."""
    from docdiff.engine.compare import compare_prepared
    from docdiff.engine.prepare import prepare

    options = Options()
    a = prepare(load_text(pair[0], doc_id="a"), options.seed_words)
    b = prepare(load_text(pair[1], doc_id="b"), options.seed_words)

    def doc_freq(h: int) -> float:
        return (h % 7) / 10  # some k-grams common in a corpus, most not

    freq = doc_freq if corpus else None
    full = compare_prepared(a, b, options, doc_freq=freq)
    lean = compare_prepared(a, b, options, doc_freq=freq, echoes_alone=False)
    if full.matches:
        assert lean == full
    else:
        assert lean == PairResult(full.a, full.b, (), full.summary, ())
