"""A comparison's side reweighed on flat arrays is the side reweighed dictionary by dictionary.

`docdiff.engine.paraphrase._side` leaves out the tokens a comparison covers: it recounts the
changed units' stems, moves the document frequency (and idf) of the stems they lost, and
reweighs every unit holding such a stem, with its norm and its rare stems' postings. For a unit
index made from arrays (`unit_index_of_codes`, as a query's documents are) this is now worked
out on the units' (unit, stem) pairs (`_side_of_pairs`); the dictionary path stays for other
indexes. These tests pin the array path to the dictionary path, float for float, with a pair
weight that differs from the document's own (a stem weighing nothing in the other document
leaves every unit's vector). Such an index also keeps its units' dictionaries, document
frequencies and stems' units as numbers until read; they read as the dictionaries.
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docdiff.engine import paraphrase

_VOCAB = (
    "sovereignty provocation fabrication impartiality objectivity sanctions peninsula nuclear "
    "dialogue hostile forces development peace security climate finance debt reform council "
    "ocean island refugee the of"
).split()

_WEIGHTS = st.lists(
    st.one_of(st.just(0.0), st.floats(0.01, 3.0)), min_size=len(_VOCAB), max_size=len(_VOCAB)
)


@st.composite
def _document(
    draw: st.DrawFn,
) -> tuple[list[str], list[tuple[int, int]], list[int], list[bool]]:
    # Few stems, many units: stems recur, so a changed unit moves the weight of many others.
    vocab = _VOCAB[: draw(st.integers(4, len(_VOCAB)))]
    words = draw(st.lists(st.sampled_from(vocab), min_size=1, max_size=200))
    n = len(words)
    cuts = sorted(set(draw(st.lists(st.integers(1, max(1, n - 1)), max_size=30))) - {n})
    bounds = [0, *cuts, n]
    units = [(bounds[u], bounds[u + 1]) for u in range(len(bounds) - 1)]
    paragraphs = sorted(draw(st.lists(st.integers(0, 4), min_size=len(units), max_size=len(units))))
    base = [draw(st.integers(0, 12)) == 0 for _ in range(n)]  # formula tokens are few
    return words, units, paragraphs, base


def _items(units: object) -> list[list[tuple[str, float]]]:
    return [list(d.items()) for d in units]  # type: ignore[attr-defined]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(document=_document(), own=_WEIGHTS, other=_WEIGHTS, data=st.data())
def test_a_side_reweighed_on_arrays_is_the_dictionaries(
    document: tuple[list[str], list[tuple[int, int]], list[int], list[bool]],
    own: list[float],
    other: list[float],
    data: st.DataObject,
) -> None:
    keys, units, paragraphs, base = document
    names = list(dict.fromkeys(keys))
    number = {s: n for n, s in enumerate(names)}
    codes = np.asarray([number[k] for k in keys], dtype=np.intp)
    own_weight = dict(zip(_VOCAB, own, strict=True))
    # The pair's weight: the smaller of both documents' (`pair_stem_weight`).
    pair = {s: min(w, o) for (s, w), o in zip(own_weight.items(), other, strict=True)}
    weights = [own_weight[s] for s in names]

    def index() -> paraphrase.UnitIndex:
        return paraphrase.unit_index_of_codes(codes, names, weights, base, units, paragraphs)

    fast, slow = index(), index()
    assert fast.flat is not None
    assert slow.flat is not None
    assert fast.flat.pairs is not None  # every stem weighs in its units' vectors
    slow.flat = dataclasses.replace(slow.flat, pairs=None)
    for _ in range(2):  # the kept indexes reused, as a query's document is
        ranges = []
        for _ in range(data.draw(st.integers(0, 4))):
            i0 = data.draw(st.integers(0, len(keys)))
            ranges.append((i0, min(len(keys), i0 + data.draw(st.integers(0, 40)))))
        covered = list(base)
        for i0, i1 in ranges:
            covered[i0:i1] = [True] * (i1 - i0)
        tokens = [i for i, k in enumerate(keys) if not covered[i] and pair[k] > 0.0]
        content = paraphrase._Content(keys, covered, pair.__getitem__, tokens)
        for max_postings in (None, 1, 3, 16):
            got, want = (
                paraphrase._side(
                    ix, keys, content, pair.__getitem__, ranges, max_postings=max_postings
                )
                for ix in (fast, slow)
            )
            assert got.affected == want.affected
            assert _items(got.stems) == _items(want.stems)
            assert list(got.idf.items()) == list(want.idf.items())
            assert _items(got.vectors) == _items(want.vectors)
            assert got.norms == want.norms
            assert [s in got.rare for s in _VOCAB] == [s in want.rare for s in _VOCAB]
            if max_postings is None:
                assert got.postings is None
                assert want.postings is None
            else:
                assert got.postings is not None
                assert want.postings is not None
                for name in ("stem", "unit", "value"):
                    x, y = getattr(got.postings, name), getattr(want.postings, name)
                    assert x.dtype == y.dtype, name
                    assert x.tolist() == y.tolist(), name
            if not got.affected:
                continue
            # The reweighed units' entries (of the stems `only` holds) as `_Entries.of`
            # lays them out from the dictionaries.
            assert isinstance(got.vectors, paraphrase._NewVectors)
            only = data.draw(st.none() | st.sets(st.sampled_from(_VOCAB)))
            mine = got.vectors.entries(got.norms, only)
            theirs = paraphrase._Entries.of(sorted(want.affected), want.vectors, want.norms, only)
            for name in ("unit", "stem", "place", "value"):
                x, y = getattr(mine, name), getattr(theirs, name)
                assert x.dtype == y.dtype, name
                assert x.tolist() == y.tolist(), name


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(_VOCAB), unique=True, max_size=6), max_size=10),
    st.data(),
)
def test_dictionaries_made_from_numbers_when_read_are_the_dictionaries(
    units: list[list[str]], data: st.DataObject
) -> None:
    # A unit index made from arrays keeps its units' dictionaries, document frequencies and
    # postings as numbers until they are read.
    names = list(dict.fromkeys(s for unit in units for s in unit))
    number = {s: n for n, s in enumerate(names)}
    codes = np.asarray([number[s] for unit in units for s in unit], dtype=np.int64)
    values = np.asarray(
        data.draw(st.lists(st.floats(0.01, 9.0), min_size=len(codes), max_size=len(codes))),
        dtype=np.float64,
    )
    bounds = [0]
    for unit in units:
        bounds.append(bounds[-1] + len(unit))
    expected = [
        dict(zip(unit, values[a:b].tolist(), strict=True))
        for unit, (a, b) in zip(units, itertools.pairwise(bounds), strict=True)
    ]
    coded = paraphrase._CodedUnitDicts[float](names, codes, values, bounds)
    assert paraphrase._filled(coded) == [bool(d) for d in expected]
    if units:
        u = data.draw(st.integers(-len(units), len(units) - 1))
        assert list(coded[u].items()) == list(expected[u].items())
    assert [list(d.items()) for d in coded] == [list(d.items()) for d in expected]
    counts = np.asarray([sum(s in unit for unit in units) for s in names], dtype=np.int64)
    df = paraphrase._Counts(names, counts)
    assert list(df.items()) == list(zip(names, counts.tolist(), strict=True))
    assert len(df) == len(names)
    posted = [u for s in names for u, unit in enumerate(units) if s in unit]
    offsets = np.concatenate((np.zeros(1, dtype=np.int64), counts.cumsum()))
    lazy = paraphrase._UnitsOf(names, np.asarray(posted, dtype=np.int64), offsets)
    plain = paraphrase._UnitsOf(names, posted, offsets.tolist())
    assert list(lazy.items()) == list(plain.items())
    assert all(lazy[s] == [u for u, unit in enumerate(units) if s in unit] for s in names)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 40), st.integers(-3, 12)), min_size=1, max_size=8),
    st.lists(st.booleans(), min_size=60, max_size=60),
    st.data(),
)
def test_a_run_of_units_reads_as_its_units_content(
    shapes: list[tuple[int, int]], content: list[bool], data: st.DataObject
) -> None:
    # Units laid end to end (sentences), or anywhere (gaps, overlaps, reversed ranges).
    if data.draw(st.booleans()):
        units, at = [], data.draw(st.integers(0, 10))
        for _, length in shapes:
            units.append((at, at + abs(length)))
            at += abs(length)
    else:
        units = [(start, start + length) for start, length in shapes]
    keys = [f"s{t % 7}" for t in range(60)]
    tokens = [t for t in range(60) if content[t]]
    index = paraphrase.UnitIndex(
        units, [u[0] for u in units], [0] * len(units), [False] * 60, [], {}, {}, [], [], {}
    )
    side = paraphrase._Content(keys, [False] * 60, lambda _: 1.0, tokens)
    side.contiguous = index.contiguous
    lo = data.draw(st.integers(0, len(units) - 1))
    hi = data.draw(st.integers(lo, len(units) - 1))
    got = side.spanning(units, lo, hi)
    assert got == [t for u in range(lo, hi + 1) for t in side.of(units[u])]
    if side.ascending:
        assert got == sorted(set(got))
        # The densest run of a region cut by bisection is the run cut token by token.
        common = set(data.draw(st.lists(st.sampled_from(keys), max_size=4)))
        paragraph = [t // 20 for t in range(60)]
        assert paraphrase._densest(
            got, keys, common, paragraph, ordered=True
        ) == paraphrase._densest(got, keys, common, paragraph)


@given(st.lists(st.booleans(), max_size=30))
def test_ranks_count_the_filled_units_before(filled: list[bool]) -> None:
    units = [{"x": 1} if f else {} for f in filled]
    expected, rank = [], 0
    for f in filled:  # the loop `_ranks` was
        expected.append(rank)
        rank += f
    assert paraphrase._ranks(units) == expected
    lazy = paraphrase._CodedUnitDicts[int](
        ["x"],
        np.zeros(sum(filled), dtype=np.int64),
        np.ones(sum(filled), dtype=np.int64),
        [0, *itertools.accumulate(map(int, filled))],
    )
    assert paraphrase._ranks(lazy) == expected
    assert paraphrase._filled(lazy) == filled
