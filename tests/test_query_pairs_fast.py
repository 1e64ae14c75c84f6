"""A comparison's bulk paths equal the plain loops they replace (kept here as the reference).

A pair's evidence sums are worked out on arrays, and what a comparison reads of one document
alone (the query document meets ten sources) is kept with it: each is checked against the
slow, obvious version, to the last bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

from docdiff.engine import echoes, paraphrase, pieces, reworded, score
from docdiff.engine.align import Piece
from docdiff.engine.compare import compare_prepared
from docdiff.engine.prepare import (
    Prepared,
    load_lexicon,
    pair_stem_weight,
    prepare,
    token_range,
)
from docdiff.loaders import load_text
from docdiff.model import AlignOp, Kind, Match, OpTag, PairResult, Passage, Span
from docdiff.options import Options
from docdiff.text.tokens import Tokens
from tests._fast_paths import LAWS
from tests._fast_paths import texts as fast_texts

texts = fast_texts(60)


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
            if i1 > i0:  # less where it shares under a third of the side's words
                value *= min(1.0, m.words / (score._DENSE_PARAPHRASE * (i1 - i0)))
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
        ops: list[AlignOp] = []
        x, y = a0, b0
        while x < a1 and y < b1 and len(ops) < 6:
            w = draw(st.integers(1, 8))
            tag: OpTag = draw(
                st.sampled_from(["equal", "equal", "equal", "equal", "replace", "insert"])
            )
            ops.append(AlignOp(tag, _span(a.tokens, x, x + w), _span(b.tokens, y, y + w)))
            x, y = x + w, y + w
        out.append(
            Match(
                a=Passage(a.doc.id, _span(a.tokens, a0, a1)),
                b=Passage(b.doc.id, _span(b.tokens, b0, b1)),
                kind=kind,
                score=draw(st.sampled_from([0.0, 40.0, 57.3, 100.0])),
                words=draw(st.integers(1, max(1, a1 - a0))),
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


# (`pieces._join_pieces` as it was, the reference for its early test of far groups.)
def _reference_join_pieces(
    found: Sequence[Piece], a: Prepared, b: Prepared, max_gap: int, words: int
) -> list[Piece]:
    """The loop `pieces._join_pieces` was before its early test of far groups."""

    groups: list[list[Piece]] = []
    sizes: list[int] = []
    for q in sorted(found, key=lambda p: (p.a0, p.b0)):
        best = -1
        best_gap = 0
        for g in range(len(groups) - 1, max(-1, len(groups) - 1 - pieces.JOIN_LOOKBACK), -1):
            last = groups[g][-1]
            gap_a, gap_b = q.a0 - last.a1, q.b0 - last.b1
            if min(gap_a, gap_b) < -pieces._JOIN_OVERLAP or q.a1 <= last.a1 or q.b1 <= last.b1:
                continue
            if min(gap_a, gap_b) < 0:
                # A word both pieces claim (a repeated "a" around an insertion): the second
                # piece gives it up.
                trimmed = pieces._trim_front(q, -min(gap_a, gap_b))
                if trimmed is None:
                    continue
                gap_a, gap_b = trimmed.a0 - last.a1, trimmed.b0 - last.b1
            wide, narrow = max(gap_a, gap_b), min(gap_a, gap_b)
            if wide > max(pieces._JOIN_REACH, 2 * max_gap):
                # Wider than any limit below (``limit`` <= max(max_gap, pieces._JOIN_REACH)): never
                # joined, so the sides' words need no comparison (far-apart pieces).
                continue
            like = (
                pieces._gap_likeness(a.ids[last.a1 : q.a0], b.ids[last.b1 : q.b0])
                if narrow > 0
                else 0.0
            )
            if (
                narrow >= pieces._UNRELATED_GAP
                and min(sizes[g], q.equal) < words
                and like < pieces._GAP_LIKENESS
            ):
                continue  # a short term repeated with unrelated text between (see _unrelated)
            limit = max(max_gap, min(pieces._JOIN_REACH, max(sizes[g], q.equal) // 2))
            if narrow <= max_gap or like >= pieces._GAP_LIKENESS:
                # Words inserted on one side only (a clause, with an edit or two beside it,
                # or the narrow side's words found among the wide side's): as wide as the
                # larger side's shared words.
                limit = max(limit, min(pieces._JOIN_REACH, max(sizes[g], q.equal)))
            plain = wide <= limit and narrow <= max(max_gap, limit // 2)
            if not plain and (wide > max(limit, 2 * max_gap) or narrow == 0):
                continue
            if not plain and (like < pieces._GAP_LIKENESS or max(sizes[g], q.equal) < words):
                continue  # two short terms are not joined over a wide gap, alike or not
            if best < 0 or gap_a + gap_b < best_gap:
                best, best_gap = g, gap_a + gap_b
        if best < 0:
            groups.append([q])
            sizes.append(q.equal)
        else:
            last = groups[best][-1]
            overlap = max(last.a1 - q.a0, last.b1 - q.b0, 0)
            joined = pieces._trim_front(q, overlap) if overlap else q
            assert joined is not None
            groups[best].append(joined)
            sizes[best] += joined.equal
    return [group[0] if len(group) == 1 else pieces._joined_piece(group, a, b) for group in groups]


words = st.text(alphabet="bcdfgklmnprstvz", min_size=5, max_size=8).map(lambda w: w + "a")


@st.composite
def _edited(draw: st.DrawFn) -> tuple[str, str]:
    """A text of rare words, and a copy of it edited here and there: chunks of 1 to 40 new
    words inserted, chunks deleted, words substituted (the gaps between its pieces)."""
    base = draw(st.lists(words, min_size=20, max_size=160))
    edited = list(base)
    for _ in range(draw(st.integers(0, 8))):
        at = draw(st.integers(0, len(edited)))
        action = draw(st.sampled_from(["insert", "delete", "substitute"]))
        size = draw(st.integers(1, 40))
        if action == "insert":
            edited[at:at] = draw(st.lists(words, min_size=size, max_size=size))
        elif action == "delete":
            del edited[at : at + size]
        else:
            edited[at : at + min(size, 3)] = draw(st.lists(words, min_size=1, max_size=3))
    return " ".join(base), " ".join(edited) or "empty"


@LAWS
@given(_edited(), st.integers(0, 6), st.integers(2, 20))
def test_pieces_join_as_before_the_early_test(
    pair: tuple[str, str], max_gap: int, passage_words: int
) -> None:
    """Far groups are skipped before any other test: the same pieces join, across edits of
    every width."""
    a = prepare(load_text(pair[0], doc_id="a"), 3)
    b = prepare(load_text(pair[1], doc_id="b"), 3)
    options = Options(max_gap=max_gap, passage_words=passage_words)
    got = pieces.align_pieces(a, b, options, None)
    with mock.patch.object(pieces, "_join_pieces", _reference_join_pieces):
        want = pieces.align_pieces(a, b, options, None)
    assert got == want


def _reference_passage_sized(m: Match, a: Prepared, b: Prepared, words: int) -> bool:
    """`echoes._passage_sized` before its bound by token counts."""
    shared = echoes.whole_words(m, a, b)
    if shared < words:
        return False
    runs = echoes._runs(m, a, b)
    return (
        shared >= 2 * words
        or max(runs, default=0) >= words
        or sum(1 for n in runs if n >= echoes._RUN_WORDS) >= echoes._RUNS
    )


@LAWS
@given(texts, texts, st.data())
def test_passage_size_is_bounded_by_token_counts(
    pa: list[tuple[str, str]], pb: list[tuple[str, str]], data: st.DataObject
) -> None:
    """A side's whole words are at most its tokens, so the bound decides as the count does
    (hyphenated words and numbers make words of several tokens), at every passage size."""
    a, b = _prepared(pa, "a"), _prepared(pb, "b")
    for m in data.draw(_matches(a, b)):
        for words in range(25):
            want = _reference_passage_sized(m, a, b, words)
            assert echoes._passage_sized(m, a, b, words, echoes._RUN_WORDS) == want


@LAWS
@given(texts, st.sampled_from(["", "The Permanent Mission presents its compliments. ", "\n\n"]))
def test_entries_cut_from_arrays_are_the_dictionaries_own(
    parts: list[tuple[str, str]], lead: str
) -> None:
    """A unit index made from arrays (a query's document, an indexed source) gives its
    entries from the arrays: every field the one `_Entries.of` makes from the units'
    dictionaries, to the last bit, and the stems numbered alike."""
    p = _prepared(parts, "a")
    p = prepare(load_text(lead + p.doc.text, doc_id="a"), 3)
    index = p.unit_index(load_lexicon(Options()))
    assert isinstance(index.vectors, paraphrase._CodedUnitDicts)
    got = index.entries()
    want = paraphrase._Entries.of(range(len(index.units)), index.vectors, index.norms)
    for field in ("unit", "stem", "place", "value"):
        x, y = getattr(got, field), getattr(want, field)
        assert x.dtype == y.dtype
        assert x.tobytes() == y.tobytes()
    assert got.ordered == want.ordered


def _found(result: PairResult) -> list[object]:
    found: list[object] = [
        (m.kind, m.a.span, m.b.span, m.words, m.score, m.reason)
        for m in (*result.matches, *result.echoes)
    ]
    return [*found, result.summary]


@LAWS
@given(_edited(), _edited(), _edited())
def test_a_document_kept_across_pairs_compares_as_a_new_one(
    first: tuple[str, str], second: tuple[str, str], third: tuple[str, str]
) -> None:
    """What a kept document keeps from one pair to the next (its stems' numbers and weights,
    its unit entries, its reweighed entries found by number) changes no later pair: a query's
    document compared with three sources in turn finds what a new document finds with each."""
    options = Options()
    lexicon = load_lexicon(options)
    text = " ".join((first[0], second[0], third[0]))
    kept = prepare(load_text(text, doc_id="q"), options.seed_words)
    kept.kept = True
    for n, (_, source) in enumerate((first, second, third, first)):
        b = prepare(load_text(source + " " + third[1], doc_id=f"s{n}"), options.seed_words)
        b.kept = True
        got = compare_prepared(kept, b, options, lexicon=lexicon)
        a_new = prepare(load_text(text, doc_id="q"), options.seed_words)
        b_new = prepare(load_text(source + " " + third[1], doc_id=f"s{n}"), options.seed_words)
        want = compare_prepared(a_new, b_new, options, lexicon=lexicon)
        assert _found(got) == _found(want)


def test_a_loose_paraphrase_weighs_its_shared_words_not_its_span() -> None:
    # Two sides of 60 words: one paraphrase sharing 30 of them, another sharing 6 (a tenth:
    # two stretches on one subject). The second gives each word of its span a fifth as much.
    a = prepare(load_text(" ".join(f"alpha{i}" for i in range(60)), doc_id="a"), 3)
    b = prepare(load_text(" ".join(f"beta{i}" for i in range(60)), doc_id="b"), 3)

    def paraphrase(words: int) -> Match:
        return Match(
            a=Passage("a", a.tokens.range_span(0, 60)),
            b=Passage("b", b.tokens.range_span(0, 60)),
            kind=Kind.PARAPHRASE,
            score=60.0,
            words=words,
            reason="paraphrase",
        )

    dense = score.summarise(a, b, [paraphrase(30)]).similarity
    loose = score.summarise(a, b, [paraphrase(6)]).similarity
    assert dense == round(100 * score._PARAPHRASE_WEIGHT * 0.6, 1)
    assert loose == round(dense * 6 / 20, 1)
