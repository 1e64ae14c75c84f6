"""The vectorised paraphrase search gives exactly what the loops it replaced gave.

`find_paraphrases` now sums the unit pairs' dot products over flat arrays (`np.add.at`, in the
loop's order), finds a reworded section's chains with every link's predecessors looked up at
once, patches the rare stems' postings row by row, and slices each side's content tokens from
one sorted list (`docdiff.engine.reworded._content_tokens`). The search as it was is kept in
`tests/_reference_paraphrase.py`, copied from the code it replaced; these tests pin the new
one to it, float for float, on random documents (a kept unit index reused across coverings,
as in a scan) and on reworded text.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docdiff.engine import paraphrase
from docdiff.engine.prepare import pair_stem_weight, prepare
from docdiff.engine.reworded import _content_tokens
from docdiff.model import Document
from docdiff.text import seeds
from docdiff.text.seeds import stable_unique
from tests import _reference_paraphrase as reference

_VOCAB = (
    "sovereignty provocation fabrication impartiality objectivity sanctions peninsula nuclear "
    "dialogue hostile forces development peace security climate finance debt reform council "
    "ocean island refugee the of and to in 2030 un"
).split()

_WEIGHT = {w: (0.0 if len(w) <= 3 or w[0].isdigit() else 0.5 + (len(w) % 5) / 4) for w in _VOCAB}
_WEIGHT["council"] = 0.0  # a content-looking stem that weighs nothing


def _weight(stem: str) -> float:
    return _WEIGHT[stem]


Doc = tuple[list[str], list[tuple[int, int]], list[int], list[bool]]


@st.composite
def _doc(draw: st.DrawFn) -> Doc:
    # Few stems, many units: shared stems recur, so links, sections and moved weights occur.
    vocab = _VOCAB[: draw(st.integers(8, len(_VOCAB)))]
    words = draw(st.lists(st.sampled_from(vocab), min_size=1, max_size=220))
    n = len(words)
    cuts = sorted(set(draw(st.lists(st.integers(1, max(1, n - 1)), max_size=30))) - {n})
    bounds = [0, *cuts, n]
    units = [(bounds[u], bounds[u + 1]) for u in range(len(bounds) - 1)]
    paragraphs = []
    par = 0
    for _ in units:
        par += draw(st.integers(0, 3)) == 0
        paragraphs.append(par)
    base = [draw(st.integers(0, 12)) == 0 for _ in range(n)]  # formula tokens are few
    return words, units, paragraphs, base


@st.composite
def _ranges(draw: st.DrawFn, n: int) -> list[tuple[int, int]]:
    out = []
    for _ in range(draw(st.integers(0, 5))):
        i0 = draw(st.integers(0, n))
        out.append((i0, min(n, i0 + draw(st.integers(0, 40)))))
    return out


def _cover(base: list[bool], ranges: list[tuple[int, int]]) -> list[bool]:
    out = list(base)
    for i0, i1 in ranges:
        out[i0:i1] = [True] * (i1 - i0)
    return out


def _content(keys: list[str], covered: list[bool]) -> list[int]:
    return [i for i, key in enumerate(keys) if not covered[i] and _weight(key) > 0.0]


def _rows(hits: Sequence[Any]) -> list[tuple[Any, ...]]:
    return [dataclasses.astuple(h) for h in hits]


def _unit_index(
    keys: list[str],
    covered: list[bool],
    units: list[tuple[int, int]],
    paragraphs: list[int],
    *,
    numbered: bool,
) -> paraphrase.UnitIndex:
    if not numbered:
        return paraphrase.unit_index(keys, covered, _weight, units, paragraphs)
    names = list(dict.fromkeys(keys))
    number = {s: n for n, s in enumerate(names)}
    codes = np.asarray([number[k] for k in keys], dtype=np.intp)
    weights = [_weight(s) for s in names]
    return paraphrase.unit_index_of_codes(codes, names, weights, covered, units, paragraphs)


@settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))
@given(a=_doc(), b=_doc(), data=st.data())
def test_find_paraphrases_equals_the_loops_it_replaced(a: Doc, b: Doc, data: st.DataObject) -> None:
    (ka, ua, pa, base_a), (kb, ub, pb, base_b) = a, b
    settings_: dict[str, Any] = {
        "min_shared": data.draw(st.integers(2, 5)),
        "max_postings": data.draw(st.sampled_from([1, 2, 3, 16])),
        "section_shared": data.draw(st.integers(2, 10)),
        "section_score": 10.0,
        "min_score": 20.0,
        "min_ratio": 20.0,
    }
    # A kept index (formula tokens left out) reused for two comparisons, as a scan does;
    # built token by token or from numbered stems (its dictionaries then made on first use).
    numbered = data.draw(st.booleans())
    ia = _unit_index(ka, base_a, ua, pa, numbered=numbered)
    ib = _unit_index(kb, base_b, ub, pb, numbered=numbered)
    ref_ia = reference.unit_index(ka, base_a, _weight, ua, pa)
    ref_ib = reference.unit_index(kb, base_b, _weight, ub, pb)
    for _ in range(2):
        ra, rb = data.draw(_ranges(len(ka))), data.draw(_ranges(len(kb)))
        ca, cb = _cover(base_a, ra), _cover(base_b, rb)
        units: dict[str, Any] = {
            "a_units": ua,
            "b_units": ub,
            "a_paragraphs": pa,
            "b_paragraphs": pb,
        }
        expected = reference.find_paraphrases(
            ka, kb, ca, cb, _weight, a_index=ref_ia, b_index=ref_ib, a_changed=ra, b_changed=rb,
            **units, **settings_,
        )  # fmt: skip
        kept = paraphrase.find_paraphrases(
            ka, kb, ca, cb, _weight, a_index=ia, b_index=ib, a_changed=ra, b_changed=rb,
            a_content=_content(ka, ca), b_content=_content(kb, cb), **units, **settings_,
        )  # fmt: skip
        assert _rows(kept) == _rows(expected)
        found = paraphrase.find_paraphrases(
            ka, kb, ca, cb, _weight, a_index=ia, b_index=ib, **units, **settings_
        )  # the changed units found by comparing the coverings
        assert _rows(found) == _rows(expected)
        scratch = paraphrase.find_paraphrases(ka, kb, ca, cb, _weight, **units, **settings_)
        assert _rows(scratch) == _rows(
            reference.find_paraphrases(ka, kb, ca, cb, _weight, **units, **settings_)
        )


def _reference_chains(
    links: list[tuple[int, int, float]], rank_a: list[int], rank_b: list[int]
) -> tuple[list[float], list[int], list[int]]:
    """The chain walk of `_sections` as it was (a dict probed at every step)."""
    best: list[float] = []
    count: list[int] = []
    back: list[int] = []
    by_rank: dict[tuple[int, int], int] = {}
    for k, (i, j, dot) in enumerate(links):
        ri, rj = rank_a[i], rank_b[j]
        top, top_n, prev = 0.0, 0, -1
        for di, dj in paraphrase._STEPS:
            p = by_rank.get((ri - di, rj - dj))
            if p is not None and best[p] > top:
                top, top_n, prev = best[p], count[p], p
        best.append(top + dot)
        count.append(top_n + 1)
        back.append(prev)
        by_rank[ri, rj] = k
    return best, count, back


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.booleans(), min_size=1, max_size=40),
    st.lists(st.booleans(), min_size=1, max_size=40),
    st.data(),
)
def test_chains_equal_the_walk_over_steps(
    full_a: list[bool], full_b: list[bool], data: st.DataObject
) -> None:
    # Units without content share the next one's rank; equal cosines tie (first step wins).
    va = [{"x": 1} if f else {} for f in full_a]
    vb = [{"x": 1} if f else {} for f in full_b]
    pairs = data.draw(
        st.sets(st.tuples(st.integers(0, len(va) - 1), st.integers(0, len(vb) - 1)), min_size=1)
    )
    dots = st.sampled_from([0.125, 0.25, 0.5, 0.3, 0.1 + 0.2])
    links = [(i, j, data.draw(dots)) for i, j in sorted(pairs)]
    rank_a, rank_b = paraphrase._ranks(va), paraphrase._ranks(vb)
    expected = _reference_chains(links, rank_a, rank_b)
    assert paraphrase._chains(links, rank_a, rank_b) == expected
    # The predecessors by binary search (rank pairs too many for a table) are the same.
    dense = paraphrase._DENSE_RANKS
    paraphrase._DENSE_RANKS = 0
    try:
        assert paraphrase._chains(links, rank_a, rank_b) == expected
    finally:
        paraphrase._DENSE_RANKS = dense


_TEXTS = st.lists(
    st.sampled_from(
        "The Council adopted 2030 resolutions on the climate and finance of small island "
        "States; debt relief and reform of the financial architecture . We urge dialogue , "
        "peace and security on the peninsula ! It is 12 years since the 3rd review .\n\n"
        "Sanctions against the people are hostile acts".split(" ")
    ),
    min_size=1,
    max_size=120,
).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(_TEXTS, _TEXTS, st.data())
def test_content_tokens_are_those_weighing_something_in_the_pair(
    text_a: str, text_b: str, data: st.DataObject
) -> None:
    a = prepare(Document(id="a", path="a", format="text", text=text_a))
    b = prepare(Document(id="b", path="b", format="text", text=text_b))
    weight = pair_stem_weight(a, b)
    covered = [data.draw(st.integers(0, 4)) == 0 for _ in range(len(a.tokens))]
    expected = [i for i, s in enumerate(a.roots) if not covered[i] and weight(s) > 0.0]
    assert _content_tokens(a, b, covered) == expected
    assert _content_tokens(a, b, covered) == expected  # again, from the kept signs


def _reference_dots(
    vectors: Sequence[dict[str, float]],
    norms: list[float],
    rare: dict[str, list[tuple[int, float]]],
) -> tuple[dict[int, float], dict[int, int]]:
    """The loop `find_paraphrases` summed its dot products with (every unit of A, in order)."""
    nb = 1 + max((j for js in rare.values() for j, _ in js), default=0)
    dots: dict[int, float] = defaultdict(float)
    shared: dict[int, int] = defaultdict(int)
    for i, vec in enumerate(vectors):
        scale = 1.0 / norms[i]
        for stem, w in vec.items():
            for j, wj in rare.get(stem, ()):
                dots[i * nb + j] += w * scale * wj
                shared[i * nb + j] += 1
    return dots, shared


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    a=_doc(),
    b=_doc(),
    weights=st.lists(st.floats(0.01, 3.0), min_size=len(_VOCAB), max_size=len(_VOCAB)),
    max_postings=st.sampled_from([2, 4, 16]),
)
def test_dot_products_are_the_loops_to_the_last_bit(
    a: Doc, b: Doc, weights: list[float], max_postings: int
) -> None:
    # Many stems of odd weights: sums of several products in another order differ in the
    # last bit.
    table = dict(zip(_VOCAB, weights, strict=True))
    ia = paraphrase.unit_index(a[0], a[3], table.__getitem__, a[1], a[2])
    ib = paraphrase.unit_index(b[0], b[3], table.__getitem__, b[1], b[2])
    rare = ib.rare(max_postings)
    nb = 1 + max((j for js in rare.values() for j, _ in js), default=0)
    codes, dots, shared = paraphrase._dots(ia.entries(), ib.postings(max_postings), nb)
    expected, counts = _reference_dots(ia.vectors, ia.norms, rare)
    assert codes.tolist() == list(expected)  # in the order the loop met them
    assert dots.tolist() == list(expected.values())
    assert shared.tolist() == list(counts.values())


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from("abcdefg"), unique=True, max_size=5), max_size=12),
    st.data(),
)
def test_unit_dictionaries_made_on_use_are_the_lists_of_dictionaries(
    units: list[list[str]], data: st.DataObject
) -> None:
    keys = [s for unit in units for s in unit]
    values = list(range(len(keys)))
    bounds = [0]
    for unit in units:
        bounds.append(bounds[-1] + len(unit))
    expected = [
        dict(zip(keys[a:b], values[a:b], strict=True)) for a, b in itertools.pairwise(bounds)
    ]
    lazy = paraphrase._UnitDicts(keys, values, bounds)
    assert paraphrase._filled(lazy) == [bool(d) for d in expected]
    if units:
        for u in data.draw(st.lists(st.integers(-len(units), len(units) - 1), max_size=6)):
            assert lazy[u] == expected[u]
    assert lazy[1:3] == expected[1:3]
    assert list(lazy) == expected
    assert len(lazy) == len(expected)
    # Replaced units are read from the overlay, the others from below, nothing copied.
    patched = paraphrase._Patched(lazy)
    mine = list(expected)
    for u in data.draw(st.lists(st.integers(0, len(units) - 1), max_size=4)) if units else ():
        new = data.draw(st.dictionaries(st.sampled_from("xyz"), st.integers(), max_size=2))
        patched[u] = new
        mine[u] = new
    assert paraphrase._filled(patched) == [bool(d) for d in mine]
    assert list(patched) == mine
    assert patched[-1:] == mine[-1:]
    assert list(paraphrase._ranks(patched)) == list(paraphrase._ranks(mine))
    # Any index reads as a list's does, out of range on either side included.
    for seq, want in ((lazy, expected), (patched, mine)):
        for u in range(-len(units) - 2, len(units) + 2):
            if -len(units) <= u < len(units):
                assert seq[u] == want[u]
            else:
                with pytest.raises(IndexError):
                    seq[u]


@given(st.lists(st.lists(st.integers(0, 50), max_size=4), max_size=10))
def test_units_of_cut_on_use_is_the_dictionary(posted: list[list[int]]) -> None:
    names = [f"s{n}" for n in range(len(posted))]
    flat = [u for units in posted for u in units]
    offsets = [0]
    for units in posted:
        offsets.append(offsets[-1] + len(units))
    lazy = paraphrase._UnitsOf(names, flat, offsets)
    assert list(lazy.items()) == list(zip(names, posted, strict=True))
    assert len(lazy) == len(posted)
    assert all(lazy[s] == p for s, p in zip(names, posted, strict=True))


@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 12), st.integers(0, 4)), max_size=8),
    st.integers(0, 40),
)
def test_the_paragraph_list_reads_as_the_dictionary(
    units: list[tuple[int, int, int]], n: int
) -> None:
    # Units in any order, overlapping or empty: a later unit's paragraph wins in both.
    spans = [(start, start + length) for start, length, _ in units]
    paragraphs = [para for _, _, para in units]
    listed = paraphrase._paragraph_list(spans, paragraphs, n)
    mapped = paraphrase._token_paragraphs(spans, paragraphs)
    assert len(listed) >= n
    assert all(listed[t] == mapped.get(t) for t in range(len(listed)))
    assert all(t < len(listed) for t in mapped)


def _reference_entries(
    units: list[int],
    vectors: Sequence[dict[str, float]],
    norms: Sequence[float],
    only: set[str] | None,
) -> tuple[list[int], list[str], list[int], list[float]]:
    """`_Entries.of` as it was: a loop over the units' items (stems as names)."""
    unit, stem, place, value = [], [], [], []
    for u in units:
        scale = 1.0 / norms[u]
        for n, (s, w) in enumerate(vectors[u].items()):
            if only is None or s in only:
                unit.append(u)
                stem.append(s)
                place.append(n)
                value.append(w * scale)
    return unit, stem, place, value


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.dictionaries(st.sampled_from(_VOCAB), st.floats(0.01, 9.0), max_size=8), max_size=8
    ),
    st.data(),
)
def test_entries_laid_end_to_end_are_the_loops(
    vectors: list[dict[str, float]], data: st.DataObject
) -> None:
    norms = [data.draw(st.floats(0.1, 5.0)) for _ in vectors]
    units = (
        data.draw(st.lists(st.sampled_from(range(len(vectors))), unique=True)) if vectors else []
    )
    only = data.draw(st.none() | st.sets(st.sampled_from(_VOCAB)))
    # Stems new to the process are numbered in the order the loop meets the kept ones.
    tag = f"#{data.draw(st.integers(0, 10**9))}"
    tagged = [{f"{s}{tag}": w for s, w in vec.items()} for vec in vectors]
    kept = None if only is None else {f"{s}{tag}" for s in only}
    before = dict(seeds._STEM_NUMBERS)
    got = paraphrase._Entries.of(units, tagged, norms, kept)
    unit, stem, place, value = _reference_entries(units, tagged, norms, kept)
    names = {n: s for s, n in seeds._STEM_NUMBERS.items()}
    assert got.unit.tolist() == unit
    assert [names[n] for n in got.stem.tolist()] == stem
    assert got.place.tolist() == place
    assert got.value.tolist() == value
    assert got.unit.dtype == got.stem.dtype == got.place.dtype == np.int64
    new = [n for n in dict.fromkeys(got.stem.tolist()) if names[n] not in before]
    assert new == sorted(new)
    assert len(seeds._STEM_NUMBERS) - len(before) == len(set(stem) - before.keys())


@given(
    st.dictionaries(st.sampled_from(_VOCAB), st.floats(0.0, 5.0), max_size=10),
    st.dictionaries(st.sampled_from(_VOCAB), st.floats(0.0, 5.0), max_size=10),
)
def test_a_stems_pair_rarity_is_worked_out_once_and_the_same(
    idf_a: dict[str, float], idf_b: dict[str, float]
) -> None:
    rarity = paraphrase._Rarity(idf_a, idf_b)
    for stem in [*_VOCAB, *_VOCAB]:
        if stem in idf_a and stem in idf_b:
            expected = math.sqrt(idf_a[stem] * idf_b[stem])
        else:
            expected = idf_b.get(stem, idf_a.get(stem, 0.0))
        assert rarity[stem] == expected
    assert len(rarity) == len(set(_VOCAB))


@given(st.lists(st.integers(-5, 30), max_size=50))
def test_unique_by_its_steps_is_numpys(values: list[int]) -> None:
    array = np.asarray(values, dtype=np.int64)
    found = stable_unique(array)
    distinct, first, inverse, counts = np.unique(
        array, return_index=True, return_inverse=True, return_counts=True
    )
    assert found.values.tolist() == distinct.tolist()
    assert found.first.tolist() == first.tolist()
    assert found.inverse().tolist() == inverse.tolist()
    assert found.counts().tolist() == counts.tolist()
    assert found.counts().dtype == counts.dtype
