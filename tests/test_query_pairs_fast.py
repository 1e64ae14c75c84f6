"""A comparison's bulk paths equal the plain loops they replace (kept here as the reference).

A pair's evidence sums are worked out on arrays, and what a comparison reads of one document
alone (the query document meets ten sources) is kept with it: each is checked against the
slow, obvious version, to the last bit.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docdiff.engine import reworded, score
from docdiff.engine.prepare import Prepared, pair_stem_weight, prepare, token_range
from docdiff.loaders import load_text
from docdiff.model import AlignOp, Kind, Match, Passage, Span
from docdiff.text.tokens import Tokens

LAWS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))

VOCAB = (
    "the of and to a in peace security hostile forces genuine human rights protect protected "
    "protection promote promotion promoted united nations council development sustainable "
    "resolution 2015 74 sovereignty interference internal affairs rapporteur fabrications"
).split()
SEPARATORS = (" ", " ", " ", ", ", ". ", "\n\n")
texts = st.lists(st.tuples(st.sampled_from(VOCAB), st.sampled_from(SEPARATORS)), max_size=60)


def _prepared(parts: list[tuple[str, str]], doc_id: str) -> Prepared:
    text = "".join(w + s for w, s in parts).strip() or "empty"
    return prepare(load_text(text, doc_id=doc_id), 3)


def _reference_evidence(
    tokens: Tokens, matches: list[Match], side: str, full: int
) -> tuple[float, int]:
    """The loop `score._evidence` replaced."""
    best = [0.0] * len(tokens)
    covered = [False] * len(tokens)
    for m in matches:
        passage = m.a if side == "a" else m.b
        i0, i1 = token_range(tokens, passage.span)
        for i in range(i0, i1):
            covered[i] = True
        if m.kind is Kind.PARAPHRASE:
            value = score._PARAPHRASE_WEIGHT * m.score / 100.0
            for i in range(i0, i1):
                best[i] = max(best[i], value)
            continue
        for op in m.ops:
            if op.tag != "equal":
                continue
            j0, j1 = token_range(tokens, op.a if side == "a" else op.b)
            value = score.run_weight(j1 - j0, full)
            for i in range(j0, j1):
                best[i] = max(best[i], value)
    return sum(best), sum(covered)


def _span(tokens: Tokens, i0: int, i1: int) -> Span:
    n = len(tokens)
    i0, i1 = min(i0, n), min(max(i0, i1), n)
    if i0 == i1:
        at = tokens.starts[i0] if i0 < n else (tokens.ends[-1] if n else 0)
        return Span(at, at)
    return tokens.range_span(i0, i1)


@st.composite
def _matches(draw: st.DrawFn, a: Prepared, b: Prepared) -> list[Match]:
    out = []
    na, nb = len(a.tokens), len(b.tokens)
    for _ in range(draw(st.integers(0, 6))):
        a0, b0 = draw(st.integers(0, na)), draw(st.integers(0, nb))
        a1, b1 = draw(st.integers(a0, na)), draw(st.integers(b0, nb))
        kind = draw(st.sampled_from([Kind.PHRASING, Kind.PARAPHRASE, Kind.FORMULA, Kind.NAME]))
        ops = []
        x, y = a0, b0
        while x < a1 and y < b1 and len(ops) < 6:
            w = draw(st.integers(1, 8))
            tag = draw(st.sampled_from(["equal", "equal", "replace", "insert"]))
            ops.append(AlignOp(tag, _span(a.tokens, x, x + w), _span(b.tokens, y, y + w)))
            x, y = x + w, y + w
        out.append(
            Match(
                a=Passage(a.doc.id, _span(a.tokens, a0, a1)),
                b=Passage(b.doc.id, _span(b.tokens, b0, b1)),
                kind=kind,
                score=draw(st.sampled_from([0.0, 40.0, 57.3, 100.0])),
                words=max(1, a1 - a0),
                ops=tuple(ops),
                reason=draw(st.sampled_from(["phrasing", "agenda title: x", "formula"])),
            )
        )
    return out


@LAWS
@given(texts, texts, st.data(), st.integers(1, 25))
def test_evidence_is_the_loops_to_the_last_bit(
    pa: list[tuple[str, str]], pb: list[tuple[str, str]], data: st.DataObject, full: int
) -> None:
    a, b = _prepared(pa, "a"), _prepared(pb, "b")
    matches = data.draw(_matches(a, b))
    for side, p in (("a", a), ("b", b)):
        got = score._evidence(p.tokens, matches, side, full)
        want = _reference_evidence(p.tokens, matches, side, full)
        assert got == want
        assert repr(got[0]) == repr(float(want[0]))


@LAWS
@given(texts, texts, st.data())
def test_summary_is_the_one_of_the_loops(
    pa: list[tuple[str, str]], pb: list[tuple[str, str]], data: st.DataObject
) -> None:
    """`summarise` (which skips the distinctive sums when every passage is distinctive) gives
    what the loop gives for all four sums."""
    a, b = _prepared(pa, "a"), _prepared(pb, "b")
    matches = data.draw(_matches(a, b))
    na, nb = len(a.tokens), len(b.tokens)
    got = score.summarise(a, b, matches)
    if not na or not nb:
        return
    full = score.full_run(na, nb)
    wa, ca = _reference_evidence(a.tokens, matches, "a", full)
    wb, cb = _reference_evidence(b.tokens, matches, "b", full)
    kept = [m for m in matches if score.distinctive(m.kind, m.reason)]
    da, _ = _reference_evidence(a.tokens, kept, "a", full)
    db, _ = _reference_evidence(b.tokens, kept, "b", full)
    assert got.coverage_a == round(100.0 * ca / na, 1)
    assert got.coverage_b == round(100.0 * cb / nb, 1)
    assert got.similarity == round(100.0 * max(wa / na, wb / nb), 1)
    assert got.distinctive_similarity == round(100.0 * max(da / na, db / nb), 1)


def _reference_lighter_in(p: Prepared, other: Prepared) -> list[str]:
    """The set walk `reworded._lighter_in` replaced (it also listed stems a table remembered
    from other pairs, which no unit of `p` holds)."""
    mine, theirs = p.stem_table, other.stem_table
    return sorted(s for s in mine.keys() & theirs.keys() if theirs[s] < mine[s])


@LAWS
@given(texts, texts, texts)
def test_lighter_stems_are_the_set_walks_own(
    pa: list[tuple[str, str]], pb: list[tuple[str, str]], pc: list[tuple[str, str]]
) -> None:
    """The stems of a document lighter in another, found by number and kept per document, are
    those the set walk finds among the document's own stems, also once both stem tables
    remember stems asked for by other pairs (a query's document meets many sources)."""
    a, b, c = _prepared(pa, "a"), _prepared(pb, "b"), _prepared(pc, "c")
    for first, second in ((a, b), (b, a), (a, c), (c, b), (a, b), (b, a)):
        for x, y in ((first, second), (second, first)):
            got = reworded._lighter_in(x, y)
            own = set(x.roots)
            assert got == [s for s in _reference_lighter_in(x, y) if s in own]
            assert got == reworded._lighter_in(x, y)  # the kept arrays answer alike
        weight = pair_stem_weight(first, second)
        for stem in {*first.roots, *second.roots}:
            weight(stem)  # remembered in both tables, as a pair's paraphrase asks
