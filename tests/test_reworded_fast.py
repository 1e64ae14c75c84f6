"""`_join_blocks` with its candidates found in numpy equals the loop that tested every group.

A long pair has hundreds of groups, and the join asked `_run_on` (two bisections per side) and
`_one_reuse` of every two of them: about 400,000 calls on a 50,000-word pair. The join now finds
the groups a group may absorb in bulk (`_Side.gaps`, paragraphs inverted), and `_Side.stems`
leaves out its ranges through a set. The loops they replaced are kept here as the reference:
on random documents and groups (many of them joining) both give the same groups, in the same
order.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.engine import reworded
from docdiff.engine.echoes import is_echo, passage_words
from docdiff.engine.prepare import Prepared, pair_stem_weight, prepare, token_range
from docdiff.engine.reworded import _between, _crossing, _join_blocks, _one_reuse, _Ranges, _Side
from docdiff.loaders import load_text
from docdiff.model import Kind, Match, Passage, Span
from docdiff.options import Options

_WORDS = "alpha beta gamma delta sigma omega kappa zeta theta lambda".split()


def _run_on(side_a: _Side, side_b: _Side, i: int, j: int) -> bool:
    """The run-on test as it was: group by group, through `gap`."""
    if side_a.gap(i, j, 0) != [] or side_b.gap(i, j, 0) != []:
        return False
    return (side_a.extent[i] < side_a.extent[j]) == (side_b.extent[i] < side_b.extent[j])


def _reference(
    groups: list[list[Match]],
    quoted: list[list[Match]],
    a: Prepared,
    b: Prepared,
    others: Sequence[Match],
    options: Options,
) -> tuple[list[list[Match]], list[Match]]:
    """`_join_blocks` before its candidates were found in bulk (every loop as it was)."""
    pool = [*groups, *quoted]
    if len(pool) < 2:
        return groups, [m for g in quoted for m in g]
    side_a, side_b = _Side.of(a, pool, "a"), _Side.of(b, pool, "b")
    fixed_a = [token_range(a.tokens, m.a.span) for m in others if m.kind is Kind.FORMULA]
    fixed_b = [token_range(b.tokens, m.b.span) for m in others if m.kind is Kind.FORMULA]
    names_a = [token_range(a.tokens, m.a.span) for m in others if m.kind is Kind.NAME]
    names_b = [token_range(b.tokens, m.b.span) for m in others if m.kind is Kind.NAME]
    weight = pair_stem_weight(a, b)
    para = [any(m.kind is Kind.PARAPHRASE for m in g) for g in pool]
    words = passage_words(options, a)
    verbatim = [any(m.kind is Kind.PHRASING and not is_echo(m, words) for m in g) for g in pool]
    pars_a, pars_b = side_a.paragraphs, side_b.paragraphs
    came = [(side_a.extent[g], side_b.extent[g]) for g in range(len(pool))]
    own = [{g} for g in range(len(pool))]

    def moved(i: int, j: int) -> bool:
        """A part as it came, not held by `i` or `j`, wholly between them on one side only."""
        for k, (ka, kb) in enumerate(came):
            if k in own[i] or k in own[j]:
                continue
            between = []
            for side, extent in ((side_a, ka), (side_b, kb)):
                x, y = side.extent[i], side.extent[j]
                lo, hi = (x[1], y[0]) if x[1] <= y[0] else (y[1], x[0])
                between.append(extent[0] >= lo and extent[1] <= hi)
            if between[0] != between[1]:
                return True
        return False

    def one_reuse(i: int, j: int) -> bool:
        evidence = para[j] or verbatim[j]
        fixed, names = (fixed_a, fixed_b), (names_a, names_b)
        alive = np.array([bool(g) for g in pool])
        return _one_reuse(
            side_a, side_b, fixed, weight, i, j, names, evidence=evidence, reworded=para[i]
        ) and not (para[i] and _crossing(side_a, side_b, alive, i, j))

    changed = True
    while changed:
        changed = False
        for i in range(len(pool)):
            if not (para[i] or verbatim[i]) or not pool[i]:
                continue
            for j in range(len(pool)):
                if j == i or not pool[j]:
                    continue
                if not para[i] and not (
                    verbatim[i]
                    and (
                        not (pars_a[i].isdisjoint(pars_a[j]) and pars_b[i].isdisjoint(pars_b[j]))
                        or (_run_on(side_a, side_b, i, j) and not moved(i, j))
                    )
                ):
                    continue
                if one_reuse(i, j):
                    pool[i] += pool[j]
                    pool[j] = []
                    own[i] |= own[j]
                    para[i] = para[i] or para[j]
                    verbatim[i] = verbatim[i] or verbatim[j]
                    side_a.absorb(i, j)
                    side_b.absorb(i, j)
                    changed = True
    order = sorted(
        (sorted(g, key=lambda m: (m.a.span.start, m.b.span.start)) for g in pool if g),
        key=lambda g: (g[0].a.span.start, g[0].b.span.start),
    )
    alone = [g[0] for g in order if len(g) == 1 and g[0].kind is Kind.QUOTATION]
    return [g for g in order if not (len(g) == 1 and g[0].kind is Kind.QUOTATION)], alone


def _reference_stems(
    side: _Side,
    sentences: Sequence[int],
    weight: Callable[[str], float],
    outside: Sequence[tuple[int, int]] = (),
) -> set[str]:
    roots = side.p.roots
    return {
        roots[t]
        for k in sentences
        for t in range(*side.p.sentences[k])
        if weight(roots[t]) > 0 and not any(x0 <= t < x1 for x0, x1 in outside)
    }


def _text(rng: random.Random, sentences: int) -> str:
    """Sentences of 1 to 12 words from a small vocabulary, some (or most) paragraphs apart."""
    out = []
    paragraphs = rng.random()
    for _ in range(sentences):
        words = rng.choices(_WORDS, k=rng.randint(1, 12))
        out.append(" ".join(words) + (".\n\n" if rng.random() < paragraphs else ". "))
    return "".join(out)


def _match(rng: random.Random, a: Prepared, b: Prepared, kind: Kind) -> Match:
    na, nb = len(a.tokens), len(b.tokens)
    la, lb = rng.randint(1, min(25, na)), rng.randint(1, min(25, nb))
    i0, j0 = rng.randrange(na - la + 1), rng.randrange(nb - lb + 1)
    return Match(
        a=Passage("A", a.tokens.range_span(i0, i0 + la)),
        b=Passage("B", b.tokens.range_span(j0, j0 + lb)),
        kind=kind,
        score=float(rng.randint(40, 100)),
        words=min(la, lb),
    )


def _sentence_parts(rng: random.Random, a: Prepared, b: Prepared, kinds: list[Kind]) -> list[Match]:
    """Parts matching sentence k of A with sentence k of B, some left out, some neighbours
    swapped: sections reused across paragraph breaks, as `_run_on` joins them."""
    n = min(len(a.sentences), len(b.sentences))
    order = list(range(n))
    for _ in range(rng.randint(0, 3)):
        k = rng.randrange(n)
        order[k : k + 2] = order[k : k + 2][::-1]
    out = []
    for k, kb in enumerate(order):
        if rng.random() < 0.3:
            continue
        (a0, a1), (b0, b1) = a.sentences[k], b.sentences[kb]
        out.append(
            Match(
                a=Passage("A", a.tokens.range_span(a0, a1)),
                b=Passage("B", b.tokens.range_span(b0, b1)),
                kind=rng.choice(kinds),
                score=float(rng.randint(40, 100)),
                words=min(a1 - a0, b1 - b0),
            )
        )
    return out


def _case(seed: int) -> tuple[Prepared, Prepared, list[Match], list[Match], Options]:
    rng = random.Random(seed)
    a = prepare(load_text(_text(rng, rng.randint(3, 40)), doc_id="A"))
    b = prepare(load_text(_text(rng, rng.randint(3, 40)), doc_id="B"))
    kinds = [Kind.PHRASING, Kind.PHRASING, Kind.PARAPHRASE, Kind.QUOTATION]
    if rng.random() < 0.5:
        parts = [_match(rng, a, b, rng.choice(kinds)) for _ in range(rng.randint(2, 40))]
    else:
        parts = _sentence_parts(rng, a, b, rng.choice([kinds, [Kind.PHRASING, Kind.QUOTATION]]))
    others = [
        _match(rng, a, b, rng.choice([Kind.FORMULA, Kind.NAME])) for _ in range(rng.randint(0, 4))
    ]
    options = Options(passage_words=rng.randint(1, 15))
    return a, b, parts, others, options


def _fresh(parts: Sequence[Match]) -> tuple[list[list[Match]], list[list[Match]]]:
    """Groups and quotations as `join_sections` hands them over (new lists: the join
    extends them in place)."""
    groups = [[m] for m in parts if m.kind is not Kind.QUOTATION]
    quoted = [[m] for m in parts if m.kind is Kind.QUOTATION]
    return groups, quoted


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_join_blocks_equals_the_group_by_group_loop(seed: int) -> None:
    a, b, parts, others, options = _case(seed)
    expected = _reference(*_fresh(parts), a, b, others, options)
    assert _join_blocks(*_fresh(parts), a, b, others, options) == expected


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans())
def test_bulk_gaps_equal_gap_group_by_group(seed: int, walk: bool) -> None:
    """`gaps` counts what `gap` finds, `no_gap` and `before` answer as `gap` and tuple order,
    also after groups absorbed others; with the ends unknown (`walk`) `no_gap` walks."""
    a, _b, parts, _, _ = _case(seed)
    rng = random.Random(seed)
    pool = [[m] for m in parts]
    side = _Side.of(a, pool, "a")
    if walk:
        side.ends = None
    for _ in range(rng.randint(0, 3) if len(pool) > 1 else 0):
        i, j = rng.sample(range(len(pool)), 2)
        side.absorb(i, j)
    js = np.arange(len(pool), dtype=np.int64)
    walking = replace(side, ends=None)  # `gap` walks the sentences
    for i in range(len(pool)):
        found = side.gaps(i, js)
        if walk:
            assert found is None
        else:
            assert found is not None
            for j in range(len(pool)):
                for limit in (0, 2, 6):
                    gap = side.gap(i, j, limit)
                    assert (gap is None) == (found[j] > limit)
                    assert gap is None or len(gap) == found[j]
                    assert gap == walking.gap(i, j, limit)
        assert side.no_gap(i, js).tolist() == [side.gap(i, j, 0) == [] for j in range(len(pool))]
        assert side.before(i, js).tolist() == [
            side.extent[i] < side.extent[j] for j in range(len(pool))
        ]
        sharing = side.sharing(i)
        assert sharing == {
            j for j in range(len(pool)) if not side.paragraphs[i].isdisjoint(side.paragraphs[j])
        }


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_stems_equal_the_range_by_range_test(seed: int) -> None:
    a, b, parts, others, _ = _case(seed)
    rng = random.Random(seed)
    side = _Side.of(a, [[m] for m in parts], "a")
    weight = pair_stem_weight(a, b)
    sentences = sorted(rng.sample(range(len(a.sentences)), rng.randint(0, len(a.sentences))))
    outside = [token_range(a.tokens, m.a.span) for m in others]
    assert side.stems(sentences, weight, outside) == _reference_stems(
        side, sentences, weight, outside
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([0.12, 0.5, 1.0, 1.25, 3.0]), max_size=40))
def test_sections_order_equals_sorting_by_negated_best(best: list[float]) -> None:
    """`_sections` ranks its links best first, ties in link order, as it did with a key
    ``(-best[k], k)``: the key is now the best alone, sorted in reverse (stable)."""
    reference = sorted(range(len(best)), key=lambda k: (-best[k], k))
    assert sorted(range(len(best)), key=best.__getitem__, reverse=True) == reference


def test_a_group_that_found_nothing_looks_again_only_at_groups_that_grew(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After a merge, a verbatim group that found nothing to absorb asks only about the groups
    that absorbed another since (nothing else it reads has changed), not about every group
    again: on a long pair most groups find nothing, pass after pass."""
    filler = [f"unrelated filler words number {k} go here." for k in range(12)]
    shared = [f"shared sentence {w} with several words." for w in _WORDS[:8]]
    # One paragraph each. Sentences 5 and 6 follow each other on both sides (they run on);
    # the others have a paragraph of filler between them.
    text = "\n\n".join(s + ("" if k == 5 else "\n\n" + filler[k]) for k, s in enumerate(shared))
    a = prepare(load_text(text, doc_id="A"))
    b = prepare(load_text(text, doc_id="B"))
    parts = []
    for s in shared:
        start = text.index(s)
        span = a.tokens.range_span(*token_range(a.tokens, Span(start, start + len(s))))
        parts.append(Match(Passage("A", span), Passage("B", span), Kind.PHRASING, 100.0, 6))
    looks: list[tuple[int, int]] = []
    run_on_all = reworded._run_on_all

    def counted(
        side_a: _Side, side_b: _Side, i: int, js: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.bool_]:
        looks.append((i, len(js)))
        return run_on_all(side_a, side_b, i, js)

    monkeypatch.setattr(reworded, "_run_on_all", counted)
    groups, _ = _join_blocks(*_fresh(parts), a, b, [], Options(passage_words=3))
    assert [len(g) for g in groups] == [1, 1, 1, 1, 1, 2, 1]
    assert groups == _reference(*_fresh(parts), a, b, [], Options(passage_words=3))[0]
    seen: set[int] = set()
    for i, n in looks:
        if i in seen and i != 5:
            assert n <= 1  # group 5, the only one that grew
        seen.add(i)


_RANGE = st.tuples(st.integers(0, 60), st.integers(0, 60))


@settings(max_examples=300, deadline=None)
@given(st.lists(_RANGE, max_size=30), _RANGE.map(sorted), _RANGE.map(sorted))
def test_ranges_between_equal_the_scan(
    ranges: list[tuple[int, int]], x: list[int], y: list[int]
) -> None:
    """`_Ranges` (sorted starts, least end from each on) finds a range between two others
    exactly when the scan over all of them does (reversed ranges included)."""
    sorted_ranges = _Ranges(ranges)
    assert list(sorted_ranges) == ranges
    assert _between(sorted_ranges, (x[0], x[1]), (y[0], y[1])) == _between(
        ranges, (x[0], x[1]), (y[0], y[1])
    )
