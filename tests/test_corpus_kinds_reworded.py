"""In a corpus, a reworded passage whose shared words are the genre's boilerplate is a formula.

Alignment never seeds on k-grams frequent in the corpus, so the line every Debian copyright file
opens with ("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/") came
back from the rewording search as a `paraphrase` between two files that both hold it, verbatim or
with "http" for "https". `banal_rewordings` decides such a passage as a piece is decided: most
of its shared words lie in the corpus's frequent word sequences, so it is a formula.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.engine.classify import banal_rewordings
from docdiff.engine.prepare import DocFreq, Prepared, prepare, token_range
from docdiff.model import AlignOp, Document, Kind, Match, Passage, Span

LINE = "Format: https://www.example.org/doc/packaging-manuals/copyright-format/1.0/"
TEXT = (
    f"{LINE}\nUpstream-Name: zork\n\nThe quiet harbour keeps its lanterns lit through the "
    "long winter evenings while fishermen mend their nets."
)


def _prepared() -> Prepared:
    return prepare(Document("a.txt", "a.txt", "text", TEXT))


def _frequent_line(p: Prepared) -> tuple[int, DocFreq]:
    """How many tokens the boilerplate line has, and a corpus share that calls every k-gram
    starting in it frequent (and nothing else)."""
    _, end = token_range(p.tokens, Span(0, len(LINE)))
    frequent = set(p.hashes[: end - p.k + 1])
    return end, lambda h: 0.9 if h in frequent else 0.0


def _reworded(p: Prepared, shared: range, end: int) -> Match:
    """A paraphrase over tokens ``[0, end)`` sharing the tokens `shared` (both sides alike)."""
    span = p.tokens.range_span(0, end)
    ops = tuple(AlignOp("equal", p.tokens.span(i), p.tokens.span(i)) for i in shared)
    return Match(
        a=Passage("a.txt", span),
        b=Passage("b.txt", span),
        kind=Kind.PARAPHRASE,
        score=90.0,
        words=len(shared),
        ops=ops,
        reason="paraphrase: reworded",
        shared=tuple(p.tokens.forms[i] for i in shared),
    )


def test_a_reworded_passage_of_boilerplate_is_a_formula() -> None:
    p = _prepared()
    end, doc_freq = _frequent_line(p)
    match = _reworded(p, range(end), end + 3)
    (out,) = banal_rewordings([match], p, doc_freq, ())
    assert out.kind is Kind.FORMULA
    assert out.reason.startswith("formula: 100% of its shared words")
    assert replace(out, kind=match.kind, reason=match.reason) == match


def test_a_passage_sharing_mostly_other_words_stays_a_paraphrase() -> None:
    p = _prepared()
    end, doc_freq = _frequent_line(p)
    # Three words of the line and eleven of the sentence after it.
    match = _reworded(p, range(end - 3, end + 11), len(p.tokens))
    assert banal_rewordings([match], p, doc_freq, ()) == [match]


def test_without_a_corpus_or_with_few_senders_nothing_changes() -> None:
    p = _prepared()
    end, doc_freq = _frequent_line(p)
    match = _reworded(p, range(end), end)
    assert banal_rewordings([match], p, None, ()) == [match]
    few = ("Northgate Embassy",)
    assert banal_rewordings([match], p, doc_freq, few) == [match]


def test_a_frequent_name_is_a_topic_not_boilerplate() -> None:
    text = "Sergio Vieira De Mello Of The United Nations Mission In Baghdad spoke to us today."
    p = prepare(Document("a.txt", "a.txt", "text", text))
    frequent = set(p.hashes[:8])
    match = _reworded(p, range(10), 10)
    out = banal_rewordings([match], p, lambda h: 0.9 if h in frequent else 0.0, ())
    assert out == [match]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.sampled_from("the treaty of peace Format https www org signed Council".split()),
        min_size=4,
        max_size=40,
    ),
    st.sets(st.integers(min_value=0, max_value=40)),
    st.sets(st.integers(min_value=0, max_value=40), min_size=1),
    st.sampled_from([Kind.PARAPHRASE, Kind.PHRASING, Kind.FORMULA]),
)
def test_only_a_paraphrase_s_kind_and_reason_ever_change(
    words: list[str], frequent_at: set[int], shared_at: set[int], kind: Kind
) -> None:
    """Whatever the corpus says, a match keeps its place, words and score; only a paraphrase
    may become a formula, and deciding twice decides the same."""
    p = prepare(Document("a.txt", "a.txt", "text", " ".join(words)))
    n = len(p.tokens)
    frequent = {p.hashes[i] for i in frequent_at if i < len(p.hashes)}
    doc_freq: DocFreq = lambda h: 0.9 if h in frequent else 0.0  # noqa: E731
    shared = range(0)
    if any(i < n for i in shared_at):
        shared = range(min(i for i in shared_at if i < n), n)
    match = replace(_reworded(p, shared, n), kind=kind)
    (out,) = banal_rewordings([match], p, doc_freq, ())
    assert replace(out, kind=match.kind, reason=match.reason) == match
    assert out.kind is match.kind or (match.kind, out.kind) == (Kind.PARAPHRASE, Kind.FORMULA)
    assert banal_rewordings([out], p, doc_freq, ()) == [out]
