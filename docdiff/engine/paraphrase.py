"""Reworded and reordered reuse: windows of content-word stems compared with rapidfuzz.

Verbatim alignment misses "political provocation document full of falsehood, fabrication"
against "showdown document featuring concoctions and fabrications, falsehoods ... political
provocation". Here each document becomes a sequence of content-word stems (fuzzy keys of
non-function words); overlapping windows of those stems are compared only when they share
rare stems, scored in bulk with ``rapidfuzz.process.cdist`` on their sorted stems, and
overlapping hits are merged into one passage per side.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import operator
from collections import defaultdict
from collections.abc import Callable, Collection, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, NamedTuple, TypeVar, overload

import numpy as np
import numpy.typing as npt

from docdiff.engine.unique import unique_runs
from docdiff.text.seeds import number_stems, stable_unique

__all__ = ["ParaphraseHit", "UnitIndex", "find_paraphrases", "unit_index"]


@dataclass(frozen=True, slots=True)
class ParaphraseHit:
    """A reworded passage pair: token ranges, score and the shared stems."""

    a0: int
    a1: int
    b0: int
    b1: int
    score: float
    shared: tuple[str, ...]
    pairs: tuple[tuple[int, int], ...]
    """Token index pairs of the shared stems (for display)."""
    links: int = 0
    """For a reworded section (several sentences reworded in their order): its sentence
    pairs; 0 for a passage found within a sentence or two."""


@dataclass(slots=True)
class UnitIndex:
    """One document's sentence units as stem vectors, kept to compare it with many others.

    Built once per document (`unit_index`) with the tokens that are always left out (formula
    instances); a comparison then recomputes only the units its own matches touch, and the
    units holding a stem whose document frequency those matches changed, so its cost follows
    the shared text rather than the document's length. The numbers are those a comparison
    from scratch computes.
    """

    units: list[tuple[int, int]]
    starts: list[int]
    paragraphs: list[int]
    covered: list[bool]
    stems: Sequence[dict[str, int]]
    df: Mapping[str, int]
    idf: dict[str, float]
    vectors: Sequence[dict[str, float]]
    norms: list[float]
    units_of: Mapping[str, list[int]]
    _rare: tuple[int, dict[str, list[tuple[int, float]]]] | None = None
    _token_paragraph: dict[int, int] | None = None
    _paragraph_at: list[int | None] | None = None
    _entries: _Entries | None = None
    _postings: tuple[int, _Postings] | None = None
    flat: _Flat | None = None
    _rare_stems: tuple[int, Collection[str]] | None = None
    _contiguous: bool | None = None
    """The units' stems as flat arrays, when built from them (`unit_index_of_codes`): the
    rare stems' postings are then cut from them."""

    def entries(self) -> _Entries:
        """Every unit's vector, normalised, as flat arrays (built on first use)."""
        if self._entries is None:
            vectors = self.vectors
            self._entries = (
                vectors.entries(self.norms)
                if isinstance(vectors, _CodedUnitDicts)
                else _Entries.of(range(len(self.units)), vectors, self.norms)
            )
        return self._entries

    def postings(self, max_postings: int) -> _Postings:
        """`rare` as flat arrays (built on first use)."""
        if self._postings is None or self._postings[0] != max_postings:
            flat = self.flat
            postings = (
                _Postings.of(self.rare(max_postings))
                if flat is None
                else flat.postings(max_postings)
            )
            self._postings = (max_postings, postings)
        return self._postings[1]

    def rare(self, max_postings: int) -> dict[str, list[tuple[int, float]]]:
        """The stems in at most `max_postings` units, each with its units and normalised
        weights (built on first use)."""
        if self._rare is None or self._rare[0] != max_postings:
            # A stem is in the vector of every unit holding it, or of none (idf is per stem),
            # so its postings are its units (`units_of`, in unit order): only the rare
            # stems' postings are built.
            if self.flat is not None:
                self._rare = (max_postings, self.flat.rare(max_postings))
                return self._rare[1]
            vectors, norms, idf = self.vectors, self.norms, self.idf
            kept = {
                s: [(j, vectors[j][s] / norms[j]) for j in js]
                for s, js in self.units_of.items()
                if len(js) <= max_postings and idf[s] > 0
            }
            self._rare = (max_postings, kept)
        return self._rare[1]

    def rare_stems(self, max_postings: int) -> Collection[str]:
        """The stems of `rare` (built on first use; without their postings when the flat
        arrays are known)."""
        flat = self.flat
        if flat is None:
            return self.rare(max_postings).keys()
        known = self._rare_stems
        if known is None or known[0] != max_postings:
            names = flat.names
            known = self._rare_stems = (
                max_postings,
                dict.fromkeys(map(names.__getitem__, flat.rare_ranks(max_postings))).keys(),
            )
        return known[1]

    @property
    def contiguous(self) -> bool:
        """Whether each unit ends where the next starts (sentences do): a run of units is then
        one range of tokens (found on first use)."""
        known = self._contiguous
        if known is None:
            units = self.units
            known = self._contiguous = all(s0 <= s1 for s0, s1 in units) and all(
                x[1] == y[0] for x, y in itertools.pairwise(units)
            )
        return known

    @property
    def token_paragraph(self) -> dict[int, int]:
        """The paragraph of every token (built on first use)."""
        if self._token_paragraph is None:
            self._token_paragraph = _token_paragraphs(self.units, self.paragraphs)
        return self._token_paragraph

    @property
    def paragraph_at(self) -> list[int | None]:
        """`token_paragraph` as a list, None for a token in no unit (built on first use)."""
        if self._paragraph_at is None:
            self._paragraph_at = _paragraph_list(self.units, self.paragraphs, len(self.covered))
        return self._paragraph_at


def unit_index(
    keys: Sequence[str],
    covered: Sequence[bool],
    weight: Callable[[str], float],
    units: Sequence[tuple[int, int]] | None = None,
    paragraphs: Sequence[int] | None = None,
    *,
    content: list[int] | None = None,
) -> UnitIndex:
    """The `UnitIndex` of a document whose `covered` tokens never count (`content`, when
    known, lists the tokens neither covered nor weighing nothing, in order)."""
    units = list(units) if units else _chunks(len(keys))
    pars = list(paragraphs) if paragraphs is not None else [0] * len(units)
    stems = _unit_stems(keys, _Content(keys, covered, weight, content), units)
    return units_from_stems(stems, units, pars, covered, weight)


def units_from_stems(
    stems: list[dict[str, int]],
    units: list[tuple[int, int]],
    pars: list[int],
    covered: Sequence[bool],
    weight: Callable[[str], float],
) -> UnitIndex:
    """The `UnitIndex` of units whose stems are known (a slice of a document's units,
    `docdiff.engine.windows`): their weights are computed among these units alone."""
    df = _df(stems)
    idf = _idf_of(df, len(units), weight)
    vectors = [_vector(u, idf) for u in stems]
    units_of: dict[str, list[int]] = defaultdict(list)
    for n, unit in enumerate(stems):
        for stem in unit:
            units_of[stem].append(n)
    return UnitIndex(
        units=units,
        starts=[u[0] for u in units],
        paragraphs=pars,
        covered=list(covered),
        stems=stems,
        df=df,
        idf=idf,
        vectors=vectors,
        norms=[_norm(v) for v in vectors],
        units_of=dict(units_of),
    )


def unit_index_of_codes(
    codes: npt.NDArray[np.intp],
    names: list[str],
    weights: Sequence[float],
    covered: Sequence[bool],
    units: Sequence[tuple[int, int]],
    paragraphs: Sequence[int],
) -> UnitIndex:
    """`unit_index` of a document whose tokens' stems are numbered: token ``i``'s stem is
    ``names[codes[i]]``, weighing ``weights[codes[i]]``; the same numbers, dictionaries in the
    same order, found with array operations instead of a loop over tokens.

    The units must be in order and not overlap (sentences); other units are left to
    `unit_index`.
    """
    arrays = unit_arrays(codes, weights, covered, units)
    if arrays is None:
        weight_of = dict(zip(names, weights, strict=True))
        keys = [names[c] for c in np.asarray(codes).tolist()]
        return unit_index(keys, covered, weight_of.__getitem__, list(units), list(paragraphs))
    return unit_index_of_arrays(arrays, names, weights, covered, units, paragraphs)


class UnitArrays(NamedTuple):
    """What `unit_index_of_codes` works out with sorts before it makes a `UnitIndex`: the
    units' (unit, stem) pairs and the order of the stems, as numbers (the stems' numbers are
    the document's, `names` of `unit_index_of_codes`). An index keeps them with a document
    (`docdiff.corpus.derived`), so a query makes its sources' unit indexes without a sort."""

    stem: npt.NDArray[np.int64]
    """Each (unit, stem) pair's stem, units one after another, each unit's stems in the order
    its tokens meet them."""
    tf: npt.NDArray[np.int64]
    """How many of the unit's content tokens have the pair's stem."""
    bounds: npt.NDArray[np.int64]
    """Where each unit's pairs start, and the number of pairs last."""
    ranked: npt.NDArray[np.int64]
    """The stems met, in the order of their first unit (then of their first token there)."""
    by_stem: npt.NDArray[np.int64]
    """The pairs in the order of their stem's rank, each stem's in unit order."""
    norms: npt.NDArray[np.float64]
    """Each unit vector's norm (`_norm`), 1.0 for an empty one."""


def unit_arrays(
    codes: npt.NDArray[np.intp],
    weights: Sequence[float],
    covered: Sequence[bool],
    units: Sequence[tuple[int, int]],
) -> UnitArrays | None:
    """The `UnitArrays` of a document whose token ``i``'s stem is number ``codes[i]``,
    weighing ``weights[codes[i]]``; None when the units are not in order or overlap."""
    starts = np.asarray([u[0] for u in units], dtype=np.int64)
    ends = np.asarray([u[1] for u in units], dtype=np.int64)
    n = len(codes)
    if len(units) and (
        starts[0] < 0 or ends[-1] > n or (ends < starts).any() or (starts[1:] < ends[:-1]).any()
    ):
        return None
    n_units, n_stems = len(units), len(weights)
    weight = np.asarray(weights, dtype=np.float64)
    codes = np.asarray(codes, dtype=np.int64)
    # The content tokens (neither covered nor weighing nothing) and the unit holding each.
    left_out = np.frombuffer(bytes(covered), dtype=bool) if isinstance(covered, list) else covered
    content = ~np.asarray(left_out, dtype=bool) & (weight[codes] > 0.0)
    tok = content.nonzero()[0]
    unit = starts.searchsorted(tok, side="right") - 1
    inside = unit >= 0
    inside[inside] = tok[inside] < ends[unit[inside]]
    tok, unit = tok[inside], unit[inside]
    # Each (unit, stem) once, in the order a loop over the units' tokens meets them, with its
    # count: the units' stem dictionaries, flat.
    pairs = stable_unique(unit * max(n_stems, 1) + codes[tok])
    pair, first, tf = pairs.values, pairs.first, pairs.counts()
    order = first.argsort(kind="stable")
    pu, pc, ptf = pair[order] // max(n_stems, 1), pair[order] % max(n_stems, 1), tf[order]
    bounds = pu.searchsorted(np.arange(n_units + 1))
    # The stems in the order of their first unit (that of `_df`).
    stems_met = stable_unique(pc)
    ranked = stems_met.values[stems_met.first.argsort(kind="stable")]
    pr, _, idf_of = _stem_ranks(pc, ranked, n_stems, n_units, weight)
    kept_bounds, kept_value = _kept(pr, pu, ptf, idf_of, bounds.tolist(), n_units)
    # `_norm`: each unit's squares summed by `sum` in the vector's order.
    squares = (kept_value * kept_value).tolist()
    norms = [math.sqrt(sum(squares[a:b])) or 1.0 for a, b in itertools.pairwise(kept_bounds)]
    return UnitArrays(
        pc, ptf, bounds, ranked, pr.argsort(kind="stable"), np.asarray(norms, dtype=np.float64)
    )


def _stem_ranks(
    pc: npt.NDArray[np.int64],
    ranked: npt.NDArray[np.int64],
    n_stems: int,
    n_units: int,
    weight: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Each pair's stem's rank, and the ranked stems' document frequencies and idf."""
    rank_of = np.zeros(max(n_stems, 1), dtype=np.int64)
    rank_of[ranked] = np.arange(len(ranked))
    df_of = np.bincount(pc, minlength=n_stems)[ranked]
    # `math.log` once per distinct document frequency, as `_idf_of` works it out.
    dfs = sorted(set(df_of.tolist()))
    logs = np.zeros(dfs[-1] + 1 if dfs else 1, dtype=np.float64)
    logs[dfs] = [math.log((n_units + 1) / (d + 0.5)) for d in dfs]
    idf_of = weight[ranked] * logs[df_of]
    return rank_of[pc], df_of, idf_of


def _kept(
    pr: npt.NDArray[np.int64],
    pu: npt.NDArray[np.int64],
    ptf: npt.NDArray[np.int64],
    idf_of: npt.NDArray[np.float64],
    bounds: list[int],
    n_units: int,
) -> tuple[list[int], npt.NDArray[np.float64]]:
    """The bounds and values of the units' vectors: the pairs whose stem's idf is positive,
    each weighing ``(1 + log tf) * idf``."""
    value = _kept_all(pr, ptf, idf_of)
    if (idf_of > 0).all():
        return bounds, value
    # (a stem weighing something has a positive idf: never so far)
    kept = (idf_of > 0)[pr]
    return pu[kept].searchsorted(np.arange(n_units + 1)).tolist(), value[kept]


def unit_index_of_arrays(
    arrays: UnitArrays,
    names: list[str],
    weights: Sequence[float],
    covered: Sequence[bool],
    units: Sequence[tuple[int, int]],
    paragraphs: Sequence[int],
    *,
    numbers: npt.NDArray[np.int64] | None = None,
) -> UnitIndex:
    """`unit_index_of_codes` of the document whose `unit_arrays` these are; `numbers`, when
    known, are the process numbers of `names` (`Prepared.stem_numbers`), which the rare stems'
    postings then take instead of numbering their stems again."""
    units, pars = list(units), list(paragraphs)
    n_units, n_stems = len(units), len(names)
    weight = np.asarray(weights, dtype=np.float64)
    pc, ptf, bounds_of, ranked, by_stem, norms_of = arrays
    bounds = bounds_of.tolist()
    pu = np.repeat(np.arange(n_units, dtype=np.int64), np.diff(bounds_of))
    # The units' dictionaries, the document frequencies and `units_of` are made from the
    # arrays when read (a comparison reads few units, and the stems it moves by rank).
    stems: _CodedUnitDicts[int] = _CodedUnitDicts(names, pc, ptf, bounds)
    ranked_names = list(map(names.__getitem__, ranked.tolist()))
    pr, df_of, idf_of = _stem_ranks(pc, ranked, n_stems, n_units, weight)
    df = _Counts(ranked_names, df_of)
    idf = dict(zip(ranked_names, idf_of.tolist(), strict=True))
    positive = idf_of > 0
    kept_bounds, kept_value = _kept(pr, pu, ptf, idf_of, bounds, n_units)
    kept_codes = pc if kept_bounds is bounds else pc[positive[pr]]
    vectors: _CodedUnitDicts[float] = _CodedUnitDicts(names, kept_codes, kept_value, kept_bounds)
    norms = norms_of.tolist()
    # Each stem's postings in unit order (`units_of`), with their normalised weights.
    value = kept_value if kept_bounds is bounds else _kept_all(pr, ptf, idf_of)
    offsets = np.concatenate((np.zeros(1, dtype=np.int64), df_of.cumsum()))
    posted = pu[by_stem]
    units_of = _UnitsOf(ranked_names, posted, offsets)
    scaled = value[by_stem] / norms_of[posted] if n_units else value
    # Every stem in its units' vectors (idf above zero): a comparison reweighs its units from
    # the pairs' arrays (`_side_of_pairs`).
    pairs = _Pairs(pu, pr, ptf, idf_of, units_of.rank) if kept_bounds is bounds else None
    return UnitIndex(
        units=units,
        starts=[int(u[0]) for u in units],
        paragraphs=pars,
        covered=list(covered),
        stems=stems,
        df=df,
        idf=idf,
        vectors=vectors,
        norms=norms,
        units_of=units_of,
        flat=_Flat(
            ranked_names,
            df_of,
            positive,
            offsets,
            posted,
            scaled,
            None if numbers is None else numbers[ranked],
            pairs,
        ),
    )


def _kept_all(
    pr: npt.NDArray[np.int64], ptf: npt.NDArray[np.int64], idf_of: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Every pair's ``(1 + log tf) * idf``, kept or not."""
    return _tf_weights(int(ptf.max(initial=0)))[ptf] * idf_of[pr]


@functools.cache
def _tf_weights(most: int) -> npt.NDArray[np.float64]:
    """``1 + log tf`` for every term frequency up to `most` (0.0 for none), as `_vector`
    works it out (made once per `most`, read only)."""
    weights = np.asarray([0.0, *(1.0 + math.log(t) for t in range(1, most + 1))], dtype=np.float64)
    weights.flags.writeable = False
    return weights


_V = TypeVar("_V", int, float)


class _LazyUnits(Sequence[dict[str, _V]], Generic[_V]):
    """Units' dictionaries read one at a time (`_unit`, given an index from 0): a slice is the
    list of its units' dictionaries, a negative index counts from the end, and iteration reads
    every unit in order."""

    __slots__ = ()

    def _unit(self, u: int) -> dict[str, _V]:
        raise NotImplementedError

    @overload
    def __getitem__(self, u: int) -> dict[str, _V]: ...
    @overload
    def __getitem__(self, u: slice) -> list[dict[str, _V]]: ...
    def __getitem__(self, u: int | slice) -> dict[str, _V] | list[dict[str, _V]]:
        if isinstance(u, slice):
            return [self._unit(n) for n in range(*u.indices(len(self)))]
        size = len(self)
        n = u + size if u < 0 else u
        if not 0 <= n < size:
            raise IndexError(u)
        return self._unit(n)

    def __iter__(self) -> Iterator[dict[str, _V]]:
        return (self._unit(u) for u in range(len(self)))


class _UnitDicts(_LazyUnits[_V]):
    """Each unit's dictionary, made from flat lists on first use: unit ``u``'s keys and values
    are ``keys[bounds[u]:bounds[u + 1]]`` and ``values[...]`` (a comparison looks at few units:
    those its matches touch and those its candidates hold)."""

    __slots__ = ("_bounds", "_built", "_filled", "_keys", "_values")

    def __init__(self, keys: list[str], values: list[_V], bounds: list[int]) -> None:
        self._keys = keys
        self._values: list[_V] = values
        self._bounds = bounds
        self._built: list[dict[str, _V] | None] = [None] * (len(bounds) - 1)
        self._filled: npt.NDArray[np.bool_] | None = None

    def __len__(self) -> int:
        return len(self._built)

    def _unit(self, u: int) -> dict[str, _V]:
        built = self._built[u]
        if built is None:
            a, b = self._bounds[u], self._bounds[u + 1]
            built = self._built[u] = dict(zip(self._keys[a:b], self._values[a:b], strict=True))
        return built

    def filled(self) -> npt.NDArray[np.bool_]:
        """Whether each unit's dictionary holds anything (without making it; found once)."""
        known = self._filled
        if known is None:
            known = self._filled = np.diff(np.asarray(self._bounds, dtype=np.int64)) > 0
            known.flags.writeable = False
        return known


class _CodedUnitDicts(_UnitDicts[_V]):
    """`_UnitDicts` whose keys are numbers of `names` (`codes`) and whose values are an array:
    a unit's dictionary is made from its slices when read, nothing before."""

    __slots__ = ("_array", "_codes", "_names")

    def __init__(
        self,
        names: list[str],
        codes: npt.NDArray[np.int64],
        values: npt.NDArray[Any],
        bounds: list[int],
    ) -> None:
        super().__init__([], [], bounds)
        self._names, self._codes, self._array = names, codes, values

    def entries(self, norms: Sequence[float]) -> _Entries:
        """`_Entries.of` every unit (these being vectors), cut from the arrays: the same
        entries, the stems numbered in the same order, no unit's dictionary made."""
        bounds = np.asarray(self._bounds, dtype=np.int64)
        sizes = np.diff(bounds)
        first, last = (int(bounds[0]), int(bounds[-1])) if len(bounds) else (0, 0)
        unit = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
        place = np.arange(last - first, dtype=np.int64) - np.repeat(bounds[:-1] - first, sizes)
        # ``w * (1.0 / norm)``: numpy divides and multiplies as Python does (IEEE).
        scale = 1.0 / np.asarray(norms, dtype=np.float64)
        value = np.asarray(self._array[first:last], dtype=np.float64) * scale[unit]
        names = list(map(self._names.__getitem__, self._codes[first:last].tolist()))
        return _Entries(unit, number_stems(names), place, value)

    def _unit(self, u: int) -> dict[str, _V]:
        built = self._built[u]
        if built is None:
            a, b = self._bounds[u], self._bounds[u + 1]
            keys = map(self._names.__getitem__, self._codes[a:b].tolist())
            values: list[_V] = self._array[a:b].tolist()
            built = self._built[u] = dict(zip(keys, values, strict=True))
        return built


class _Counts(Mapping[str, int]):
    """A stem -> count dictionary made from `names` and an array of counts when first read
    (`UnitIndex.df` of an index made from arrays: a comparison reads its ranks' counts)."""

    __slots__ = ("_counts", "_made", "_names")

    def __init__(self, names: list[str], counts: npt.NDArray[np.int64]) -> None:
        self._names, self._counts = names, counts
        self._made: dict[str, int] | None = None

    def _dict(self) -> dict[str, int]:
        made = self._made
        if made is None:
            made = self._made = dict(zip(self._names, self._counts.tolist(), strict=True))
        return made

    def __getitem__(self, stem: str) -> int:
        return self._dict()[stem]

    def __iter__(self) -> Iterator[str]:
        return iter(self._dict())

    def __len__(self) -> int:
        return len(self._names)


class _Patched(_LazyUnits[_V]):
    """A sequence of units' dictionaries with some replaced (a comparison's own units), the
    others read from `base` (not copied)."""

    __slots__ = ("base", "new")

    def __init__(self, base: Sequence[dict[str, _V]]) -> None:
        self.base: Sequence[dict[str, _V]] = base
        self.new: dict[int, dict[str, _V]] = {}

    def __len__(self) -> int:
        return len(self.base)

    def _unit(self, u: int) -> dict[str, _V]:
        got = self.new.get(u)
        return self.base[u] if got is None else got

    def __setitem__(self, u: int, value: dict[str, _V]) -> None:
        if not 0 <= u < len(self.base):
            raise IndexError(u)
        self.new[u] = value


class _NewVectors(_LazyUnits[float]):
    """A comparison's unit vectors: those of the units it reweighed (`affected`) from flat
    arrays (`unit`, `rank`, `value`: by unit, each unit's in its vector's order), the others
    read from `base`; a unit's dictionary is made only when read."""

    __slots__ = ("affected", "base", "names", "numbers", "rank", "unit", "value")

    def __init__(
        self,
        base: Sequence[dict[str, float]],
        affected: npt.NDArray[np.bool_],
        arrays: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]],
        names: list[str],
        numbers: npt.NDArray[np.int64] | None,
    ) -> None:
        self.base = base
        self.affected = affected
        self.unit, self.rank, self.value = arrays
        self.names, self.numbers = names, numbers

    def __len__(self) -> int:
        return len(self.base)

    def _unit(self, u: int) -> dict[str, float]:
        if not self.affected[u]:
            return self.base[u]
        a, b = self.unit.searchsorted((u, u + 1)).tolist()
        names = self.names
        keys = [names[r] for r in self.rank[a:b].tolist()]
        return dict(zip(keys, self.value[a:b].tolist(), strict=True))

    def entries(
        self,
        norms: Sequence[float],
        only: Container[str] | None,
        posted: npt.NDArray[np.int64] | None = None,
    ) -> _Entries:
        """`_Entries.of` the reweighed units (in unit order), from the arrays.

        With `posted` (the stem numbers the other side's postings hold, sorted, once each)
        and the stems' numbers known, the entries are those of the stems in `posted`, found by
        number: fewer than those of `only` (the stems with postings, some of which the pair
        left with none), the same pairs of units for `_dots`, which reads no other entry.
        """
        unit, rank = self.unit, self.rank
        total = len(unit)
        place = np.arange(total, dtype=np.int64) - unit.searchsorted(unit)
        value = self.value * (1.0 / np.asarray(norms, dtype=np.float64)[unit])
        if posted is not None and self.numbers is not None:
            stem = self.numbers[rank]
            if not len(posted):
                kept = np.zeros(total, dtype=bool)
            else:
                kept = posted[np.minimum(posted.searchsorted(stem), len(posted) - 1)] == stem
            return _Entries(unit[kept], stem[kept], place[kept], value[kept])
        names = list(map(self.names.__getitem__, rank.tolist()))
        if only is not None:
            kept = np.fromiter(map(only.__contains__, names), dtype=bool, count=total)
            if not kept.all():
                names = list(itertools.compress(names, kept.tolist()))
                unit, rank, place, value = unit[kept], rank[kept], place[kept], value[kept]
        stem = number_stems(names) if self.numbers is None else self.numbers[rank]
        return _Entries(unit, stem, place, value)


def _filled(units: Sequence[dict[str, Any]]) -> list[bool]:
    """Whether each unit's dictionary holds anything (lazy ones are not made for this)."""
    filled: list[bool] = _filled_array(units).tolist()
    return filled


def _filled_array(units: Sequence[dict[str, Any]]) -> npt.NDArray[np.bool_]:
    """`_filled` as an array (read only when it is a lazy sequence's own)."""
    if isinstance(units, _UnitDicts):
        return units.filled()
    if isinstance(units, _Patched):
        out = _filled_array(units.base).copy()
        for u, d in units.new.items():
            out[u] = bool(d)
        return out
    return np.fromiter(map(bool, units), dtype=bool, count=len(units))


class _UnitsOf(Mapping[str, list[int]]):
    """`UnitIndex.units_of` cut from flat lists on use: stem ``names[r]``'s units are
    ``units[offsets[r]:offsets[r + 1]]``; iterated in the order of `names`."""

    __slots__ = ("_offsets", "_rank", "_units")

    def __init__(
        self,
        names: list[str],
        units: list[int] | npt.NDArray[np.int64],
        offsets: list[int] | npt.NDArray[np.int64],
    ) -> None:
        self._rank = dict(zip(names, range(len(names)), strict=True))
        # Arrays become lists when first read.
        self._units: list[int] | npt.NDArray[np.int64] = units
        self._offsets: list[int] | npt.NDArray[np.int64] = offsets

    @property
    def rank(self) -> dict[str, int]:
        """Each stem's place in `names`."""
        return self._rank

    def __getitem__(self, stem: str) -> list[int]:
        r = self._rank[stem]
        units, offsets = self._units, self._offsets
        if not isinstance(units, list):
            units = self._units = units.tolist()
        if not isinstance(offsets, list):
            offsets = self._offsets = offsets.tolist()
        return units[offsets[r] : offsets[r + 1]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rank)

    def __len__(self) -> int:
        return len(self._rank)


@dataclass(frozen=True, slots=True)
class _Flat:
    """A `UnitIndex`'s stems in its order (that of `df`), each with its postings (in
    `units_of`'s order) as flat arrays: the unit and the normalised weight."""

    names: list[str]
    df: npt.NDArray[np.int64]
    positive: npt.NDArray[np.bool_]
    """Whether the stem's idf is above zero (it is in its units' vectors)."""
    offsets: npt.NDArray[np.int64]
    unit: npt.NDArray[np.int64]
    value: npt.NDArray[np.float64]
    numbers: npt.NDArray[np.int64] | None = None
    """The process numbers of `names` (`docdiff.text.seeds.number_stems`), when known."""
    pairs: _Pairs | None = None
    """The units' (unit, stem) pairs, when every stem is in its units' vectors."""

    def rare_ranks(self, max_postings: int) -> list[int]:
        ranks: list[int] = self._rare_rank_array(max_postings).tolist()
        return ranks

    def _rare_rank_array(self, max_postings: int) -> npt.NDArray[np.intp]:
        return np.flatnonzero(self.has_postings(slice(None), max_postings))

    def has_postings(
        self, ranks: int | slice, max_postings: int
    ) -> np.bool_ | npt.NDArray[np.bool_]:
        """Whether the stems at `ranks` (one rank, or a slice: a bool array) have postings in
        the index (`UnitIndex.rare_stems`): at most `max_postings` units, and a weight."""
        return (self.df[ranks] <= max_postings) & self.positive[ranks]

    def rare(self, max_postings: int) -> dict[str, list[tuple[int, float]]]:
        """`UnitIndex.rare`."""
        units, values, offsets = self.unit.tolist(), self.value.tolist(), self.offsets.tolist()
        names = self.names
        return {
            names[r]: list(
                zip(
                    units[offsets[r] : offsets[r + 1]],
                    values[offsets[r] : offsets[r + 1]],
                    strict=False,
                )
            )
            for r in self.rare_ranks(max_postings)
        }

    def postings(self, max_postings: int) -> _Postings:
        """`_Postings.of(self.rare(max_postings))`, the rows taken from the arrays."""
        rare = self._rare_rank_array(max_postings)
        counts = self.df[rare]
        names = self.names
        if self.numbers is None:
            # The stems new to the process numbered in the order met, as `_Postings.of`
            # numbers them.
            ids = number_stems(list(map(names.__getitem__, rare.tolist())))
        else:
            ids = self.numbers[rare]
        # By stem number, each stem's postings in their order: the stems sorted (their numbers
        # are distinct, so any sort is the stable one), then each one's rows in a run.
        by_number = ids.argsort()
        rare, counts, ids = rare[by_number], counts[by_number], ids[by_number]
        total = int(counts.sum())
        rows = np.repeat(self.offsets[rare] - (counts.cumsum() - counts), counts) + np.arange(total)
        return _Postings(
            np.repeat(ids, counts),
            self.unit[rows],
            self.value[rows],
            None,
            np.repeat(rare, counts),
            names,
        )


@dataclass(frozen=True, slots=True)
class _Pairs:
    """A `UnitIndex`'s (unit, stem) pairs as flat arrays, units one after another, each
    unit's in its vector's order (every stem weighs in its units' vectors)."""

    unit: npt.NDArray[np.int64]
    rank: npt.NDArray[np.int64]
    """The pair's stem, as its place in `_Flat.names`."""
    tf: npt.NDArray[np.int64]
    idf: npt.NDArray[np.float64]
    """Each stem's idf, by rank."""
    rank_of: dict[str, int]


class _RareStems(Container[str]):
    """The stems with postings on a side: the index's (`UnitIndex.rare_stems`) and `extra`,
    gathered on first use (a comparison mostly asks none: `_dots` reads the postings)."""

    __slots__ = ("_extra", "_index", "_made", "_most")

    def __init__(self, index: UnitIndex, most: int, extra: Collection[str] = ()) -> None:
        self._index, self._most, self._extra = index, most, extra
        self._made: Container[str] | None = None

    def __contains__(self, stem: object) -> bool:
        made = self._made
        if made is None:
            base = self._index.rare_stems(self._most)
            made = self._made = {*base, *self._extra} if self._extra else base
        return stem in made


@dataclass(slots=True)
class _Side:
    """One side of a comparison: its units' stems, idf, vectors, and (for B) the postings of
    the stems rare enough to compare units by (at most `max_postings` units)."""

    stems: Sequence[dict[str, int]]
    idf: dict[str, float]
    vectors: Sequence[dict[str, float]]
    norms: list[float]
    affected: set[int]
    """The units whose vectors (and norms) are not the index's."""
    postings: _Postings | None
    rare: Container[str]
    """The stems with postings."""


@dataclass(frozen=True, slots=True)
class _Entries:
    """Unit vectors as flat arrays, unit by unit and each in its own order: the unit, the
    stem's number, its place in the vector and its normalised weight (``w * (1.0 / norm)``)."""

    unit: npt.NDArray[np.int64]
    stem: npt.NDArray[np.int64]
    place: npt.NDArray[np.int64]
    value: npt.NDArray[np.float64]
    ordered: bool = True
    """By unit, then by place (as built; not once some units' entries are replaced)."""

    @classmethod
    def of(
        cls,
        units: Iterable[int],
        vectors: Sequence[dict[str, float]],
        norms: Sequence[float],
        only: Container[str] | None = None,
    ) -> _Entries:
        """The entries of `units` (of their stems in `only`, when given).

        All the units' items are laid end to end and filtered at once; the stems are numbered
        (`number_stems`) in the order a loop over the units would number them, only those kept.
        """
        units = list(units)
        vecs = [vectors[u] for u in units]
        sizes = [len(vec) for vec in vecs]
        total = sum(sizes)
        names = list(itertools.chain.from_iterable(vecs))
        weights = np.fromiter(
            itertools.chain.from_iterable(vec.values() for vec in vecs),
            dtype=np.float64,
            count=total,
        )
        # Each item's unit, its place in the unit's vector and its unit's scale (``w * scale``
        # with ``scale = 1.0 / norm``, as the loop multiplied them).
        unit = np.repeat(np.asarray(units, dtype=np.int64), sizes)
        place = np.arange(total, dtype=np.int64) - np.repeat(
            np.cumsum(sizes, dtype=np.int64) - np.asarray(sizes, dtype=np.int64), sizes
        )
        value = weights * np.repeat(np.asarray([1.0 / norms[u] for u in units]), sizes)
        if only is not None:
            kept = np.fromiter(map(only.__contains__, names), dtype=bool, count=total)
            if not kept.all():
                names = list(itertools.compress(names, kept.tolist()))
                unit, place, value = unit[kept], place[kept], value[kept]
        stem = number_stems(names)
        return cls(unit, stem, place, value)

    def without(self, units: set[int], n_units: int, more: _Entries) -> _Entries:
        """These entries with those of `units` (of `n_units`) replaced by `more`."""
        drop = np.zeros(n_units, dtype=bool)
        drop[list(units)] = True
        keep = ~drop[self.unit]
        return _Entries(
            np.concatenate((self.unit[keep], more.unit)),
            np.concatenate((self.stem[keep], more.stem)),
            np.concatenate((self.place[keep], more.place)),
            np.concatenate((self.value[keep], more.value)),
            ordered=False,
        )


@dataclass(frozen=True, slots=True)
class _Postings:
    """Postings of stems as flat arrays, by stem number (each stem's in their own order), with
    each posting's stem."""

    stem: npt.NDArray[np.int64]
    unit: npt.NDArray[np.int64]
    value: npt.NDArray[np.float64]
    _names: list[str] | None
    """`names`, when made."""
    rank: npt.NDArray[np.int64] | None = None
    """Each posting's stem as its place in `_Flat.names` (when cut from a `_Flat`; None once
    patched)."""
    _ranked: list[str] | None = None
    """The `_Flat.names` of `rank`, when cut from a `_Flat`: `names` is made from them on
    first use (a comparison on the arrays reads none)."""

    @property
    def names(self) -> list[str] | None:
        """Each posting's stem (None once patched: a comparison's own postings are not patched
        again)."""
        if self._names is None and self._ranked is not None and self.rank is not None:
            made = list(map(self._ranked.__getitem__, self.rank.tolist()))
            object.__setattr__(self, "_names", made)
        return self._names

    @classmethod
    def of(cls, postings: dict[str, list[tuple[int, float]]]) -> _Postings:
        names: list[str] = []
        unit: list[int] = []
        value: list[float] = []
        for s, js in postings.items():
            names.extend([s] * len(js))
            unit.extend([j for j, _ in js])
            value.extend([w for _, w in js])
        stem = number_stems(names)
        return cls._sorted(
            stem, np.asarray(unit, dtype=np.int64), np.asarray(value, dtype=np.float64), names
        )

    @classmethod
    def _sorted(
        cls,
        stem: npt.NDArray[np.int64],
        unit: npt.NDArray[np.int64],
        value: npt.NDArray[np.float64],
        names: list[str] | None,
    ) -> _Postings:
        order = stem.argsort(kind="stable")
        kept = None if names is None else [names[k] for k in order.tolist()]
        return cls(stem[order], unit[order], value[order], kept)

    def patched(
        self,
        affected: set[int],
        vectors: Sequence[dict[str, float]],
        norms: Sequence[float],
        extra: dict[str, list[tuple[int, float]]],
    ) -> _Postings:
        """These postings once the units `affected` have new vectors and norms (a posting of a
        stem such a unit no longer weighs is gone), and with the postings of `extra` (stems
        that were not rare) added."""
        mask = np.zeros(len(vectors), dtype=bool)
        mask[list(affected)] = True
        rows = mask[self.unit].nonzero()[0]
        value = self.value.copy()
        keep = np.ones(len(value), dtype=bool)
        names = self.names
        if names is None:
            raise ValueError("these postings were patched already")
        # Each affected unit's vector read once (`vectors` may make them on first use); the
        # new weights set at once (numpy divides as Python does: IEEE, correctly rounded).
        vector_of = {u: vectors[u] for u in affected}
        units = self.unit[rows].tolist()
        found = [vector_of[j].get(names[r]) for r, j in zip(rows.tolist(), units, strict=True)]
        gone = [w is None for w in found]
        if any(gone):
            keep[rows[np.asarray(gone, dtype=bool)]] = False
        held = [(w, norms[j]) for w, j in zip(found, units, strict=True) if w is not None]
        if held:
            w_norm = np.fromiter(itertools.chain.from_iterable(held), np.float64, 2 * len(held))
            value[rows[keep[rows]]] = w_norm[0::2] / w_norm[1::2]
        stem, unit = self.stem, self.unit
        if not keep.all():
            stem, unit, value = stem[keep], unit[keep], value[keep]
        return _Postings._with(stem, unit, value, extra)

    @staticmethod
    def _with(
        stem: npt.NDArray[np.int64],
        unit: npt.NDArray[np.int64],
        value: npt.NDArray[np.float64],
        extra: dict[str, list[tuple[int, float]]],
    ) -> _Postings:
        """Patched postings (without stem names: they are not patched again), with the
        `extra` postings of stems new to their units merged in."""
        if not extra:
            return _Postings(stem, unit, value, None)
        more = _Postings.of(extra)
        return _Postings._sorted(
            np.concatenate((stem, more.stem)),
            np.concatenate((unit, more.unit)),
            np.concatenate((value, more.value)),
            None,
        )

    def patched_by(
        self,
        vectors: _NewVectors,
        norms: npt.NDArray[np.float64],
        extra: dict[str, list[tuple[int, float]]],
    ) -> _Postings:
        """`patched` with the reweighed units' vectors read from `vectors`' arrays: a posting
        of such a unit takes its stem's new weight over the unit's new norm (numpy divides as
        Python does), and is gone when the stem left the unit's vector."""
        ranks = self.rank
        if ranks is None:
            raise ValueError("these postings were patched already")
        rows = vectors.affected[self.unit].nonzero()[0]
        width = max(len(vectors.names), 1)
        new_keys = vectors.unit * width + vectors.rank
        order = new_keys.argsort()  # (a stem once in a unit's vector: distinct keys)
        known = new_keys[order]
        keys = self.unit[rows] * width + ranks[rows]
        at = known.searchsorted(keys)
        found = at < len(known)
        found[found] = known[at[found]] == keys[found]
        value = self.value.copy()
        held = rows[found]
        value[held] = vectors.value[order[at[found]]] / norms[self.unit[held]]
        stem, unit = self.stem, self.unit
        if not found.all():
            keep = np.ones(len(value), dtype=bool)
            keep[rows[~found]] = False
            stem, unit, value = stem[keep], unit[keep], value[keep]
        return _Postings._with(stem, unit, value, extra)


def _dots(
    a: _Entries, b: _Postings, nb: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """The pairs of units (``i * nb + j``) sharing a stem of `b`, their dot products and how
    many stems they share, in the order a loop over A's units, each one's stems in its
    vector's order and each stem's postings meets them first.

    Each dot product is summed in that loop's order from 0.0 (`np.bincount` adds its weights
    in the order given), so it is the loop's to the last bit.
    """
    empty = np.zeros(0, dtype=np.int64)
    if not len(b.stem) or not len(a.stem):
        return empty, np.zeros(0, dtype=np.float64), empty
    # B's stems once each, with their first posting and how many (B's postings are by stem).
    first = np.concatenate(([True], b.stem[1:] != b.stem[:-1])).nonzero()[0]
    keys = b.stem[first]
    counts = np.diff(np.append(first, len(b.stem)))
    loc = np.minimum(keys.searchsorted(a.stem), len(keys) - 1)
    hit = (keys[loc] == a.stem).nonzero()[0]
    if not a.ordered:
        # A's entries in the loop's order: by unit, then by place in the unit's vector (one
        # number each: a unit's places are distinct, so any sort of them is the stable one).
        places = int(a.place.max(initial=0)) + 1
        hit = hit[(a.unit[hit] * places + a.place[hit]).argsort()]
    loc = loc[hit]
    many = counts[loc]
    total = int(many.sum())
    if not total:
        return empty, np.zeros(0, dtype=np.float64), empty
    entry = np.repeat(hit, many)
    # Each entry's postings in their order: first[stem] + 0, 1, ... many - 1.
    at = np.repeat(first[loc] - (many.cumsum() - many), many) + np.arange(total)
    code = a.unit[entry] * nb + b.unit[at]
    product = a.value[entry] * b.value[at]
    codes, first_seen, inverse, shared = unique_runs(code)
    # `np.bincount` adds the weights bin by bin in input order from 0.0, as `np.add.at` does.
    dots = np.asarray(
        np.bincount(inverse, weights=product, minlength=len(codes)), dtype=np.float64
    )  # (float already: typed as counts by numpy's stubs)
    # (First indices are distinct: any sort of them is the stable one.)
    order = first_seen.argsort()
    return codes[order], dots[order], shared[order]


def _reweigh_moved(
    index: UnitIndex,
    stems: Sequence[dict[str, int]],
    vectors: _Patched[float],
    idf: dict[str, float],
    delta: dict[str, int],
    moved: list[str],
    changed: set[int],
    weight: Callable[[str], float],
) -> tuple[dict[str, float], dict[int, list[str]]]:
    """New idf for the stems whose document frequency `moved`, and the vectors of the units
    that kept such a stem patched in place (`vectors` is updated); the units patched, by unit."""
    patch: dict[int, list[str]] = defaultdict(list)
    if not moved:
        return idf, patch
    idf = dict(idf)
    n = len(index.units)
    for stem in moved:
        d = index.df[stem] + delta[stem]
        if d > 0:
            idf[stem] = weight(stem) * math.log((n + 1) / (d + 0.5))
        else:
            del idf[stem]
        for u in index.units_of[stem]:
            patch[u].append(stem)
    # Units that kept a stem whose document frequency moved: only that stem's weight changes.
    for u, moved_here in patch.items():
        if u in changed:
            vectors[u] = _vector(stems[u], idf)  # again, with the new idf
            continue
        vec = dict(vectors[u])
        unit_stems = stems[u]
        for stem in moved_here:
            weight_now = idf[stem]
            if weight_now > 0:
                vec[stem] = (1.0 + math.log(unit_stems[stem])) * weight_now
            else:
                vec.pop(stem, None)
        vectors[u] = vec
    return idf, patch


def _stems_left(
    index: UnitIndex, keys: Sequence[str], content: _Content, changed: Sequence[int]
) -> tuple[_Patched[int], dict[str, int]]:
    """The `changed` units' stems with the comparison's covered tokens left out, and how many
    units each stem left (a negative count: leaving tokens out can only take stems away)."""
    stems: _Patched[int] = _Patched(index.stems)
    delta: dict[str, int] = defaultdict(int)
    for u in changed:
        new = _unit_stems(keys, content, [index.units[u]])[0]
        for stem in index.stems[u]:
            if stem not in new:
                delta[stem] -= 1
        stems[u] = new
    return stems, delta


def _side(
    index: UnitIndex,
    keys: Sequence[str],
    content: _Content,
    weight: Callable[[str], float],
    ranges: Sequence[tuple[int, int]] | None,
    reweigh: Collection[str] = (),
    *,
    max_postings: int | None,
) -> _Side:
    """The side as the comparison sees it: `index`'s units with `covered` tokens left out.

    With `max_postings` (side B) the postings of its rare stems come too. `reweigh`: the stems
    whose `weight` in this pair is not the one `index` was built with (a kept document's index
    weighs each stem as the document alone does; a pair weighs it the less of its two
    documents' weights): their idf is worked out again, as for a stem whose unit count moved.
    """
    changed = _changed_units(index, content.covered, ranges)
    # (Looked up in `idf`, which holds the stems of `df`: an index made from arrays makes
    # `df` a dictionary only when read, and a comparison on the arrays reads none of it.)
    reweigh = [s for s in reweigh if s in index.idf]
    if not changed and not reweigh:
        if max_postings is None:
            return _Side(index.stems, index.idf, index.vectors, index.norms, set(), None, ())
        postings = index.postings(max_postings)
        rare = _RareStems(index, max_postings)
        return _Side(index.stems, index.idf, index.vectors, index.norms, set(), postings, rare)
    flat = index.flat
    if flat is not None and flat.pairs is not None:
        return _side_of_pairs(
            index, flat, flat.pairs, keys, content, weight, changed, reweigh,
            max_postings=max_postings,
        )  # fmt: skip
    stems, delta = _stems_left(index, keys, content, changed)
    idf = index.idf
    vectors: _Patched[float] = _Patched(index.vectors)
    norms = list(index.norms)
    for u in changed:
        vectors[u] = _vector(stems[u], idf)
    moved = [s for s, d in delta.items() if d]
    moved += [s for s in reweigh if not delta.get(s)]
    idf, patch = _reweigh_moved(index, stems, vectors, idf, delta, moved, set(changed), weight)
    affected = set(changed) | patch.keys()
    for u in affected:
        norms[u] = _norm(vectors[u])
    if max_postings is None:
        return _Side(stems, idf, vectors, norms, affected, None, ())
    # The rare stems' postings that the recomputed units change are recomputed in place, as
    # from scratch: a posting changes only where a unit's vector or norm did, and every unit
    # holding a stem whose document frequency moved was recomputed (a stem can only become
    # rare when its document frequency moved: those are built whole, in unit order).
    base = index.rare_stems(max_postings)
    extra: dict[str, list[tuple[int, float]]] = {}
    for stem in moved:
        # A stem's postings are the units still holding it (its new document frequency),
        # when it still weighs something: most moved stems stay too common to be rare.
        if stem in base or not 0 < index.df[stem] + delta[stem] <= max_postings:
            continue
        got = [(j, vectors[j][stem] / norms[j]) for j in index.units_of[stem] if stem in vectors[j]]
        if 0 < len(got) <= max_postings:
            extra[stem] = got
    postings = index.postings(max_postings).patched(affected, vectors, norms, extra)
    return _Side(stems, idf, vectors, norms, affected, postings, {*base, *extra})


def _side_of_pairs(
    index: UnitIndex,
    flat: _Flat,
    pairs: _Pairs,
    keys: Sequence[str],
    content: _Content,
    weight: Callable[[str], float],
    changed: list[int],
    reweigh: Sequence[str] = (),
    *,
    max_postings: int | None,
) -> _Side:
    """`_side` of an index whose (unit, stem) pairs are flat arrays: the same numbers, the
    reweighed units' vectors, norms and postings worked out on the arrays.

    Every stem of the index weighs in its units' vectors, so a reweighed unit's vector is its
    stems (in their order) that weigh now, each ``(1 + log tf) * idf`` with its idf now (moved
    or not): what `_vector` makes of a changed unit, and what patching a unit that kept a
    moved stem leaves. A norm is its vector's squares summed in order (`np.bincount` adds them
    in input order from 0.0, as `sum` does).
    """
    n_units = len(index.units)
    stems, delta = _stems_left(index, keys, content, changed)
    moved = [s for s, d in delta.items() if d]
    moved += [s for s in reweigh if not delta.get(s)]
    rank_of = pairs.rank_of
    idf, idf_now = index.idf, pairs.idf
    affected = np.zeros(n_units, dtype=bool)
    affected[changed] = True
    redone = affected.copy()
    if moved:
        idf, idf_now = dict(idf), idf_now.copy()
        ranks = np.fromiter(map(rank_of.__getitem__, moved), dtype=np.int64, count=len(moved))
        counts = flat.df[ranks]
        for stem, r, was in zip(moved, ranks.tolist(), counts.tolist(), strict=True):
            d = was + delta[stem]
            if d > 0:
                idf[stem] = idf_now[r] = weight(stem) * math.log((n_units + 1) / (d + 0.5))
            else:
                del idf[stem]  # in no unit now
        # Every unit holding a moved stem is reweighed (its postings: `units_of`).
        total = int(counts.sum())
        first = flat.offsets[ranks] - (counts.cumsum() - counts)
        affected[flat.unit[np.repeat(first, counts) + np.arange(total)]] = True
    # The pairs of the reweighed units: the index's for those whose tokens are all still
    # counted, the changed units' own (in the order of their dictionaries).
    rows = (affected & ~redone)[pairs.unit].nonzero()[0]
    more = [(u, stems.new[u]) for u in changed]
    unit = np.concatenate(
        (
            pairs.unit[rows],
            np.repeat(np.asarray(changed, dtype=np.int64), [len(d) for _, d in more]),
        )
    )
    rank = np.concatenate(
        (
            pairs.rank[rows],
            np.fromiter((rank_of[s] for _, d in more for s in d), dtype=np.int64),
        )
    )
    tf = np.concatenate(
        (pairs.tf[rows], np.fromiter((t for _, d in more for t in d.values()), dtype=np.int64))
    )
    order = unit.argsort(kind="stable")
    unit, rank, tf = unit[order], rank[order], tf[order]
    w = idf_now[rank]
    weighs = w > 0
    if not weighs.all():
        unit, rank, tf, w = unit[weighs], rank[weighs], tf[weighs], w[weighs]
    value = _tf_weights(int(tf.max(initial=0)))[tf] * w
    sums = np.bincount(unit, weights=value * value, minlength=n_units)
    norms = list(index.norms)
    which = affected.nonzero()[0]
    for u, total in zip(which.tolist(), sums[which].tolist(), strict=True):
        norms[u] = math.sqrt(total) or 1.0
    if flat.numbers is None:
        # The stems' process numbers, once per index (a kept document's stems are numbered
        # already: no new number is made here): its reweighed entries then need no names.
        index.flat = flat = replace(flat, numbers=number_stems(flat.names))
    vectors = _NewVectors(index.vectors, affected, (unit, rank, value), flat.names, flat.numbers)
    changed_set = set(which.tolist())
    if max_postings is None:
        return _Side(stems, idf, vectors, norms, changed_set, None, ())
    extra: dict[str, list[tuple[int, float]]] = {}
    norm_array = np.asarray(norms, dtype=np.float64)
    for stem in moved:
        # A stem's postings are the units still holding it (its new document frequency),
        # when it still weighs something: most moved stems stay too common to be rare. (One
        # with postings in the index, `rare_stems`, is told by its rank.)
        r = rank_of[stem]
        if flat.has_postings(r, max_postings) or not (
            0 < int(flat.df[r]) + delta[stem] <= max_postings
        ):
            continue
        at = (rank == r).nonzero()[0]
        held = unit[at]
        got = list(zip(held.tolist(), (value[at] / norm_array[held]).tolist(), strict=True))
        if 0 < len(got) <= max_postings:
            extra[stem] = got
    postings = index.postings(max_postings).patched_by(vectors, norm_array, extra)
    return _Side(
        stems, idf, vectors, norms, changed_set, postings, _RareStems(index, max_postings, extra)
    )


def _changed_units(
    index: UnitIndex, covered: Sequence[bool], ranges: Sequence[tuple[int, int]] | None
) -> list[int]:
    """Units that may hold a token `covered` now that the index did not leave out.

    With `ranges` (token ranges holding every such token) only their units are looked at;
    a unit listed without need is recomputed to the same numbers.
    """
    if len(covered) != len(index.covered):
        raise ValueError("covered and the unit index describe documents of different lengths")
    starts = index.starts
    if ranges is None:
        import numpy as np

        differs = np.asarray(covered, dtype=bool) != np.asarray(index.covered, dtype=bool)
        diff = differs.nonzero()[0]
        found = np.asarray(starts).searchsorted(diff, side="right") - 1
        return sorted(set(found.tolist()))
    out: set[int] = set()
    for i0, i1 in ranges:
        if i1 <= i0:
            continue
        first = bisect.bisect_right(starts, i0) - 1
        last = bisect.bisect_right(starts, i1 - 1) - 1
        out.update(range(max(first, 0), last + 1))
    return sorted(out)


def find_paraphrases(
    a_keys: Sequence[str],
    b_keys: Sequence[str],
    a_covered: Sequence[bool],
    b_covered: Sequence[bool],
    weight: Callable[[str], float],
    *,
    a_units: Sequence[tuple[int, int]] | None = None,
    b_units: Sequence[tuple[int, int]] | None = None,
    a_paragraphs: Sequence[int] | None = None,
    b_paragraphs: Sequence[int] | None = None,
    a_index: UnitIndex | None = None,
    b_index: UnitIndex | None = None,
    a_changed: Sequence[tuple[int, int]] | None = None,
    b_changed: Sequence[tuple[int, int]] | None = None,
    a_reweigh: Collection[str] = (),
    b_reweigh: Collection[str] = (),
    a_content: list[int] | None = None,
    b_content: list[int] | None = None,
    min_shared: int = 5,
    min_cosine: float = 0.25,
    min_score: float = 40.0,
    min_ratio: float = 40.0,
    max_postings: int = 16,
    reach: int = 2,
    sections_on: bool = True,
    section_score: float = 30.0,
    section_shared: int = 10,
    section_filter: Callable[[ParaphraseHit], bool] | None = None,
    a_fixed: Sequence[tuple[int, int]] = (),
    b_fixed: Sequence[tuple[int, int]] = (),
) -> list[ParaphraseHit]:
    """Passages that share rare content stems in another order or wording.

    The units (sentences, as token ranges) of both documents are compared by the cosine of
    their idf-weighted stem vectors, only where they share stems that are rare in the pair;
    candidate pairs are kept when ``rapidfuzz``'s ``token_set_ratio`` of their sorted stems
    reaches `min_ratio` (in bulk with ``process.cdist``); neighbouring unit pairs (within
    `reach` units on both sides) merge into one passage, trimmed to its densest stretch of
    shared stems and then widened to whole sentences. A passage is reported when its own
    score (the one shown) reaches `min_score`.

    `a_index` / `b_index` are the documents' `UnitIndex` when kept across comparisons (their
    units and paragraphs then replace `a_units` ... `b_paragraphs`), and `a_changed` /
    `b_changed` the token ranges where `a_covered` / `b_covered` may differ from what the index
    left out (found by comparing both when not given); `a_content` / `b_content` the tokens,
    in order, neither covered nor weighing nothing (found token by token when not given). The
    result is the same.

    `a_fixed` / `b_fixed` are token ranges no reworded section runs across (formula instances,
    names): a section is cut at the sentences holding one, so the reworded body of a letter is
    still found under its courtesy formula.
    """
    content_a = _Content(a_keys, a_covered, weight, a_content)
    content_b = _Content(b_keys, b_covered, weight, b_content)
    if a_index is None:
        a_index = unit_index(a_keys, a_covered, weight, a_units, a_paragraphs, content=a_content)
        a_changed, a_reweigh = (), ()
    if b_index is None:
        b_index = unit_index(b_keys, b_covered, weight, b_units, b_paragraphs, content=b_content)
        b_changed, b_reweigh = (), ()
    a_units, b_units = a_index.units, b_index.units
    content_a.contiguous, content_b.contiguous = a_index.contiguous, b_index.contiguous
    pa, pb = a_index.paragraphs, b_index.paragraphs
    side_a = _side(a_index, a_keys, content_a, weight, a_changed, a_reweigh, max_postings=None)
    side_b = _side(
        b_index, b_keys, content_b, weight, b_changed, b_reweigh, max_postings=max_postings
    )
    va, vb = side_a.stems, side_b.stems
    if not _filled_array(va).any() or not _filled_array(vb).any():
        return []
    # Rarity within each document: a stem in many of its own sentences is its topic, not
    # evidence of borrowing. (Counting both documents together would make every shared stem
    # look common in a short pair.)
    idf_a, idf_b = side_a.idf, side_b.idf
    # Unit vectors, so a dot product is the cosine; postings carry B's normalised weights.
    # Every pair of units sharing one of B's rare stems, as flat arrays.
    nb = len(vb)
    entries = a_index.entries()
    if side_a.affected:
        # The entries of the units this comparison changed (of B's rare stems: no other
        # stem is looked up).
        vectors = side_a.vectors
        stems_b = side_b.postings.stem if side_b.postings is not None else None
        posted = (
            None
            if stems_b is None
            else stems_b[np.concatenate(([True], stems_b[1:] != stems_b[:-1]))[: len(stems_b)]]
        )
        more = (
            vectors.entries(side_a.norms, side_b.rare, posted)
            if isinstance(vectors, _NewVectors)
            else _Entries.of(sorted(side_a.affected), vectors, side_a.norms, side_b.rare)
        )
        entries = entries.without(side_a.affected, len(a_units), more)
    assert side_b.postings is not None
    codes, dots, shared = _dots(entries, side_b.postings, nb)
    need = min(min_shared, 3)
    keep = ((dots >= min_cosine) & (shared >= need)).nonzero()[0]
    candidates = [divmod(code, nb) for code in codes[keep].tolist()]
    if sections_on:
        link = (dots >= _LINK_COSINE).nonzero()[0]
        link = link[codes[link].argsort()]
        li, lj = np.divmod(codes[link], nb)
        blocked_a = _blocked(a_units, a_fixed)
        blocked_b = _blocked(b_units, b_fixed)
        if blocked_a is not None or blocked_b is not None:
            free = np.ones(len(link), dtype=np.bool_)
            if blocked_a is not None:
                free &= ~blocked_a[li]
            if blocked_b is not None:
                free &= ~blocked_b[lj]
            link, li, lj = link[free], li[free], lj[free]
        links = list(zip(li.tolist(), lj.tolist(), dots[link].tolist(), strict=True))
        sections = _sections(links, va, vb, units=(li, lj), blocked=(blocked_a, blocked_b))
    else:
        sections = []
    if not candidates and not sections:
        return []
    seeds = _score_units(candidates, va, vb, min_ratio) if candidates else []
    groups = _group(seeds, reach, pa, pb)
    para_a = a_index.paragraph_at if groups else []
    para_b = b_index.paragraph_at if groups else []

    # Every stem's weight for scoring a passage: shared stems by both documents' rarity,
    # the others by their own document's (each stem's worked out once).
    rarity = _Rarity(idf_a, idf_b).__getitem__

    hits = []
    for group in groups:
        ia = [i for i, _ in group]
        ib = [j for _, j in group]
        # One unit of context either side within the paragraph: a sentence cut in two still
        # yields one passage, but a passage never runs into the next paragraph.
        ra = _region(content_a, a_units, pa, min(ia), max(ia))
        rb = _region(content_b, b_units, pb, min(ib), max(ib))
        hit = _region_hit(
            ra,
            rb,
            a_keys,
            b_keys,
            rarity,
            min_shared,
            para_a,
            para_b,
            ordered=(content_a.ascending, content_b.ascending),
        )
        if hit is not None and hit.score >= min_score:
            hits.append(_whole_sentences(hit, a_units, b_units, a_covered, b_covered))
    hits += _section_hits(
        sections,
        (a_keys, b_keys),
        (content_a, content_b),
        (a_units, b_units),
        rarity,
        section_shared,
        lambda hit: hit.score >= section_score and (section_filter is None or section_filter(hit)),
    )
    hits.sort(key=lambda h: (h.a0, h.b0))
    return _drop_overlapping(hits)


class _Rarity(dict[str, float]):
    """A stem's weight in a pair: by both documents' rarity (`idf_a`, `idf_b`) when both
    hold it, else by the one's that does (0 for neither); worked out on first use."""

    __slots__ = ("idf_a", "idf_b")

    def __init__(self, idf_a: dict[str, float], idf_b: dict[str, float]) -> None:
        super().__init__()
        self.idf_a, self.idf_b = idf_a, idf_b

    def __missing__(self, stem: str) -> float:
        ra, rb = self.idf_a.get(stem), self.idf_b.get(stem)
        if ra is not None and rb is not None:
            value = math.sqrt(ra * rb)
        elif rb is not None:
            value = rb
        else:
            value = ra if ra is not None else 0.0
        self[stem] = value
        return value


def _norm(vec: dict[str, float]) -> float:
    return math.sqrt(sum(w * w for w in vec.values())) or 1.0


def _whole_sentences(
    hit: ParaphraseHit,
    a_units: Sequence[tuple[int, int]],
    b_units: Sequence[tuple[int, int]],
    a_covered: Sequence[bool],
    b_covered: Sequence[bool],
) -> ParaphraseHit:
    """The hit widened to the sentences holding its first and last shared stems, never over
    text already matched (a formula opening the same sentence stays its own passage)."""
    a0, a1 = _unit_bounds(a_units, hit.a0, hit.a1, a_covered)
    b0, b1 = _unit_bounds(b_units, hit.b0, hit.b1, b_covered)
    return ParaphraseHit(a0, a1, b0, b1, hit.score, hit.shared, hit.pairs, hit.links)


_START = operator.itemgetter(0)
"""A unit's first token."""


def _unit_bounds(
    units: Sequence[tuple[int, int]], lo: int, hi: int, covered: Sequence[bool]
) -> tuple[int, int]:
    # (Bisected by the units' starts in place: a list of them would cost a pass per hit.)
    first = units[max(0, bisect.bisect_right(units, lo, key=_START) - 1)]
    last = units[max(0, bisect.bisect_right(units, hi - 1, key=_START) - 1)]
    start, end = lo, hi
    while start > first[0] and not covered[start - 1]:
        start -= 1
    while end < last[1] and not covered[end]:
        end += 1
    return start, end


def _region(
    content: _Content,
    units: Sequence[tuple[int, int]],
    paragraphs: Sequence[int],
    lo: int,
    hi: int,
) -> list[int]:
    if lo > 0 and paragraphs[lo - 1] == paragraphs[lo]:
        lo -= 1
    if hi + 1 < len(units) and paragraphs[hi + 1] == paragraphs[hi]:
        hi += 1
    return content.spanning(units, lo, hi)


def _token_paragraphs(
    units: Sequence[tuple[int, int]], paragraphs: Sequence[int]
) -> dict[int, int]:
    return {
        t: para
        for (start, end), para in zip(units, paragraphs, strict=True)
        for t in range(start, end)
    }


def _paragraph_list(
    units: Sequence[tuple[int, int]], paragraphs: Sequence[int], n: int
) -> list[int | None]:
    """`_token_paragraphs` as a list over the tokens (at least `n`): a later unit's paragraph
    replaces an earlier one's, as in the dictionary."""
    out: list[int | None] = [None] * max(n, max((end for _, end in units), default=0))
    for (start, end), para in zip(units, paragraphs, strict=True):
        if end > start:
            out[start:end] = [para] * (end - start)
    return out


def _chunks(n: int, size: int = 30) -> list[tuple[int, int]]:
    return [(i, min(n, i + size)) for i in range(0, n, size)]


def _content(
    keys: Sequence[str],
    covered: Sequence[bool],
    weight: Callable[[str], float],
    unit: tuple[int, int],
) -> list[int]:
    return [i for i in range(*unit) if not covered[i] and weight(keys[i]) > 0.0]


class _Content:
    """One side's content tokens (neither covered nor weighing nothing), unit by unit: sliced
    from the sorted list of them when the caller knows it, else found token by token."""

    __slots__ = ("contiguous", "covered", "keys", "tokens", "weight")

    def __init__(
        self,
        keys: Sequence[str],
        covered: Sequence[bool],
        weight: Callable[[str], float],
        tokens: list[int] | None,
    ) -> None:
        self.keys, self.covered, self.weight, self.tokens = keys, covered, weight, tokens
        # Whether the units read are contiguous (`UnitIndex.contiguous`): set by the caller.
        self.contiguous = False

    def of(self, unit: tuple[int, int]) -> list[int]:
        """The content tokens of `unit` (a token range), in order."""
        tokens = self.tokens
        if tokens is None:
            return _content(self.keys, self.covered, self.weight, unit)
        return tokens[bisect.bisect_left(tokens, unit[0]) : bisect.bisect_left(tokens, unit[1])]

    @property
    def ascending(self) -> bool:
        """Whether `spanning` gives tokens in ascending order (one slice of sorted tokens)."""
        return self.contiguous and self.tokens is not None

    def spanning(self, units: Sequence[tuple[int, int]], lo: int, hi: int) -> list[int]:
        """The content tokens of units `lo` to `hi` (included), unit after unit: one slice of
        the sorted tokens when the units are `contiguous` (each ends where the next starts)."""
        tokens = self.tokens
        if self.contiguous and tokens is not None:
            first, end = units[lo][0], units[hi][1]
            return tokens[bisect.bisect_left(tokens, first) : bisect.bisect_left(tokens, end)]
        return [t for u in range(lo, hi + 1) for t in self.of(units[u])]


def _unit_stems(
    keys: Sequence[str], content: _Content, units: Sequence[tuple[int, int]]
) -> list[dict[str, int]]:
    out = []
    for unit in units:
        counts: dict[str, int] = defaultdict(int)
        for i in content.of(unit):
            counts[keys[i]] += 1
        out.append(dict(counts))
    return out


def _df(units: list[dict[str, int]]) -> dict[str, int]:
    df: dict[str, int] = defaultdict(int)
    for unit in units:
        for stem in unit:
            df[stem] += 1
    return dict(df)


def _idf_of(df: dict[str, int], n: int, weight: Callable[[str], float]) -> dict[str, float]:
    return {stem: weight(stem) * math.log((n + 1) / (d + 0.5)) for stem, d in df.items()}


def _vector(unit: dict[str, int], idf: dict[str, float]) -> dict[str, float]:
    return {stem: (1.0 + math.log(tf)) * idf[stem] for stem, tf in unit.items() if idf[stem] > 0}


_FEW = 256


def _score_units(
    candidates: list[tuple[int, int]],
    va: Sequence[dict[str, int]],
    vb: Sequence[dict[str, int]],
    min_score: float,
) -> list[tuple[int, int]]:
    from rapidfuzz import fuzz

    if len(candidates) <= _FEW:
        # A handful of pairs: score them one by one (each unit's text made once).
        texts_a: dict[int, str] = {}
        texts_b: dict[int, str] = {}
        out = []
        for i, j in candidates:
            ta = texts_a.get(i)
            if ta is None:
                ta = texts_a[i] = " ".join(sorted(va[i]))
            tb = texts_b.get(j)
            if tb is None:
                tb = texts_b[j] = " ".join(sorted(vb[j]))
            if fuzz.token_set_ratio(ta, tb) >= min_score:
                out.append((i, j))
        return out
    from rapidfuzz import process

    rows = sorted({i for i, _ in candidates})
    cols = sorted({j for _, j in candidates})
    row_of = {w: r for r, w in enumerate(rows)}
    col_of = {w: c for c, w in enumerate(cols)}
    a_texts = [" ".join(sorted(va[i])) for i in rows]
    b_texts = [" ".join(sorted(vb[j])) for j in cols]
    wanted: dict[int, list[int]] = defaultdict(list)
    for i, j in candidates:
        wanted[row_of[i]].append(col_of[j])
    accepted: list[tuple[int, int]] = []
    # Score in blocks so a huge reuse never builds one giant matrix.
    block = max(1, 2_000_000 // max(1, len(cols)))
    for start in range(0, len(rows), block):
        scores = process.cdist(
            a_texts[start : start + block],
            b_texts,
            scorer=fuzz.token_set_ratio,
            score_cutoff=min_score,
            workers=-1 if len(rows) * len(cols) > 20_000 else 1,
        )
        for r in range(start, min(start + block, len(rows))):
            row = scores[r - start]
            accepted.extend((rows[r], cols[c]) for c in wanted[r] if row[c] >= min_score)
    return accepted


def _group(
    seeds: list[tuple[int, int]], reach: int, pa: Sequence[int], pb: Sequence[int]
) -> list[list[tuple[int, int]]]:
    """Union seeds lying within `reach` units of each other, in the same paragraphs."""
    parent = list(range(len(seeds)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    index = {pair: n for n, pair in enumerate(seeds)}
    for n, (i, j) in enumerate(seeds):
        for di in range(-reach, reach + 1):
            for dj in range(-reach, reach + 1):
                m = index.get((i + di, j + dj))
                if m is not None and m != n and pa[i] == pa[i + di] and pb[j] == pb[j + dj]:
                    parent[find(m)] = find(n)
    groups: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for n, pair in enumerate(seeds):
        groups[find(n)].append(pair)
    return list(groups.values())


def _region_hit(
    ra: list[int],
    rb: list[int],
    a_keys: Sequence[str],
    b_keys: Sequence[str],
    weight: Callable[[str], float],
    min_shared: int,
    para_a: Sequence[int | None],
    para_b: Sequence[int | None],
    *,
    ordered: tuple[bool, bool] = (False, False),
) -> ParaphraseHit | None:
    common: set[str] = set()
    for _ in range(3):
        common = {a_keys[i] for i in ra} & {b_keys[j] for j in rb}
        if len(common) < min_shared:
            return None
        # Keep, on each side, the densest stretch of shared stems: a shared word far from the
        # others (more than a few words away) is a coincidence, not part of the passage.
        new_ra = _densest(ra, a_keys, common, para_a, ordered=ordered[0])
        new_rb = _densest(rb, b_keys, common, para_b, ordered=ordered[1])
        if new_ra == ra and new_rb == rb:
            break  # (`common` is these regions' own)
        ra, rb = new_ra, new_rb
    else:
        common = {a_keys[i] for i in ra} & {b_keys[j] for j in rb}
        if len(common) < min_shared:
            return None
    in_a = [i for i in ra if a_keys[i] in common]
    in_b = [j for j in rb if b_keys[j] in common]
    a0, a1 = in_a[0], in_a[-1] + 1
    b0, b1 = in_b[0], in_b[-1] + 1
    span_a = [i for i in ra if a0 <= i < a1]
    span_b = [j for j in rb if b0 <= j < b1]
    wa = sum(weight(a_keys[i]) for i in span_a)
    wb = sum(weight(b_keys[j]) for j in span_b)
    shared_w = sum(weight(s) for s in common)
    # Weighted Dice over distinct content stems, tempered by how much of each side is shared.
    set_a = {a_keys[i] for i in span_a}
    set_b = {b_keys[j] for j in span_b}
    dice = 2 * shared_w / max(1e-9, sum(map(weight, set_a)) + sum(map(weight, set_b)))
    if wa <= 0 or wb <= 0:
        return None
    score = round(100.0 * dice, 1)
    pairs = []
    first_b: dict[str, int] = {}
    for j in in_b:
        first_b.setdefault(b_keys[j], j)
    seen: set[str] = set()
    for i in in_a:
        key = a_keys[i]
        if key not in seen:
            seen.add(key)
            pairs.append((i, first_b[key]))
    return ParaphraseHit(a0, a1, b0, b1, score, tuple(sorted(common)), tuple(pairs))


_MAX_TOKEN_GAP = 10


def _densest(
    region: list[int],
    keys: Sequence[str],
    common: set[str],
    paragraph: Sequence[int | None],
    *,
    ordered: bool = False,
) -> list[int]:
    """The part of `region` around its densest run of shared stems (split at wide gaps);
    `ordered`: the region's tokens are known to ascend (it is then cut by bisection)."""
    shared = [i for i in region if keys[i] in common]
    if not shared:
        return region
    segments: list[list[int]] = [[shared[0]]]
    for i in shared[1:]:
        last = segments[-1][-1]
        if i - last > _MAX_TOKEN_GAP or paragraph[i] != paragraph[last]:
            segments.append([i])
        else:
            segments[-1].append(i)
    best = max(segments, key=lambda seg: (len({keys[i] for i in seg}), -seg[0]))
    if ordered:
        return region[bisect.bisect_left(region, best[0]) : bisect.bisect_right(region, best[-1])]
    return [i for i in region if best[0] <= i <= best[-1]]


def _drop_overlapping(hits: list[ParaphraseHit]) -> list[ParaphraseHit]:
    kept: list[ParaphraseHit] = []
    for h in sorted(hits, key=lambda h: (-len(h.shared), -h.score, h.a0)):
        if all(not (h.a0 < k.a1 and k.a0 < h.a1 and h.b0 < k.b1 and k.b0 < h.b1) for k in kept):
            kept.append(h)
    kept.sort(key=lambda h: (h.a0, h.b0))
    return kept


_LINK_COSINE = 0.12
"""The least cosine of two sentences for them to be a link of a reworded section."""

_SECTION_REACH = 3
"""Links of one section lie within this many sentences (holding uncovered words) of each other."""

_SECTION_SKIP = 6
"""A section's next link may also lie up to this many sentences on in one document when it
is the next sentence in the other (a summary leaves out sentences of its source)."""

_STEPS = tuple(
    (di, dj)
    for di in range(_SECTION_SKIP + 1)
    for dj in range(_SECTION_SKIP + 1)
    # One sentence split in two is next to itself, not further.
    if not ((di == 0 and dj != 1) or (dj == 0 and di != 1))
    and ((di <= _SECTION_REACH and dj <= _SECTION_REACH) or min(di, dj) == 1)
)
"""The steps (sentences on in A, in B) from one link of a section to the next."""

_SECTION_LINKS = 3
"""The fewest links of a reworded section."""

_SECTION_MASS = 1.0
"""The least summed cosine of a section's links."""


def _sections(
    links: list[tuple[int, int, float]],
    va: Sequence[dict[str, int]],
    vb: Sequence[dict[str, int]],
    *,
    units: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None = None,
    blocked: tuple[npt.NDArray[np.bool_] | None, npt.NDArray[np.bool_] | None] = (None, None),
) -> list[tuple[tuple[int, int], tuple[int, int], int]]:
    """Reworded sections: chains of sentence pairs, each sharing rare stems, that follow one
    another in the same order on both sides (sentences reworded, split, joined, a few left out
    or added). Unit ranges (first, last) on each side, best chains first, disjoint.

    `links` are the sentence pairs (i, j, cosine) whose cosine reaches `_LINK_COSINE`, by pair
    (`units`: their i and j as arrays, when the caller has them); `blocked` the units of each
    side no section runs across (none of `links` lies in one).
    """
    if len(links) < _SECTION_LINKS:
        return []
    rank_a = _ranks(va, blocked[0])
    rank_b = _ranks(vb, blocked[1])
    best, count, back = _chains(links, rank_a, rank_b, units=units)
    used: set[int] = set()
    out: list[tuple[tuple[int, int], tuple[int, int], int]] = []
    # Best first, ties in link order (a stable sort of the negated sums), among the links that
    # may end a section at all.
    sums = np.asarray(best, dtype=np.float64)
    ends = ((np.asarray(count) >= _SECTION_LINKS) & (sums >= _SECTION_MASS)).nonzero()[0]
    order: list[int] = ends[(-sums[ends]).argsort(kind="stable")].tolist()
    taken_a: list[tuple[int, int]] = []
    taken_b: list[tuple[int, int]] = []
    for k in order:
        if k in used:
            continue
        chain = []
        p = k
        while p >= 0:
            chain.append(p)
            p = back[p]
        if any(c in used for c in chain):
            continue
        used.update(chain)
        chain = _trimmed(chain, links, rank_a, rank_b)
        if len(chain) < _SECTION_LINKS:
            continue
        i0, i1 = links[chain[-1]][0], links[chain[0]][0]
        j0, j1 = min(links[c][1] for c in chain), max(links[c][1] for c in chain)
        if any(i0 <= y and x <= i1 for x, y in taken_a) or any(
            j0 <= y and x <= j1 for x, y in taken_b
        ):
            continue
        taken_a.append((i0, i1))
        taken_b.append((j0, j1))
        out.append(((i0, i1), (j0, j1), len(chain)))
    return out


_STEP_I = np.asarray([di for di, _ in _STEPS], dtype=np.int64)
_STEP_J = np.asarray([dj for _, dj in _STEPS], dtype=np.int64)


def _chains(
    links: list[tuple[int, int, float]],
    rank_a: list[int],
    rank_b: list[int],
    *,
    units: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None = None,
) -> tuple[list[float], list[int], list[int]]:
    """For every link (in order), the best chain of links ending there: its summed cosine,
    its number of links and the link before it (-1 for none).

    A link's possible predecessors are the links one of `_STEPS` back (in ranks); they are
    found for all links at once, each link's in the order of `_STEPS`, so the best is chosen
    (first of equals) and summed as a walk over `_STEPS` would.
    """
    starts, before = _predecessors(links, rank_a, rank_b, units=units)
    # A link without predecessors starts its chain (``0.0 + dot`` is `dot`); the others are
    # walked in order (their predecessors come before them, so their sums are final).
    best = [dot for _, _, dot in links]
    count = [1] * len(links)
    back = [-1] * len(links)
    for k in np.flatnonzero(np.diff(np.asarray(starts, dtype=np.int64))).tolist():
        top, top_n, prev = 0.0, 0, -1
        for p in before[starts[k] : starts[k + 1]]:
            if best[p] > top:
                top, top_n, prev = best[p], count[p], p
        best[k] = top + links[k][2]
        count[k] = top_n + 1
        back[k] = prev
    return best, count, back


_DENSE_RANKS = 1 << 18
"""The most rank pairs `_predecessors` looks links up in a table of (else by binary search)."""


def _predecessors(
    links: list[tuple[int, int, float]],
    rank_a: list[int],
    rank_b: list[int],
    *,
    units: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None = None,
) -> tuple[list[int], list[int]]:
    """Each link's links one of `_STEPS` back in ranks, in the order of `_STEPS` (for a rank
    pair held by several links, the last before it): link ``k``'s are
    ``before[starts[k]:starts[k + 1]]``, as ``(starts, before)``."""
    n = len(links)
    if units is None:
        i = np.fromiter((x for x, _, _ in links), dtype=np.int64, count=n)
        j = np.fromiter((y for _, y, _ in links), dtype=np.int64, count=n)
    else:
        i, j = units
    ri = np.asarray(rank_a, dtype=np.int64)[i]
    rj = np.asarray(rank_b, dtype=np.int64)[j]
    width = int(rj.max()) + 1
    key = ri * width + rj  # ascending: links come by pair, and ranks follow units
    if n > 1 and bool((key[1:] < key[:-1]).any()):
        # Links of units without content (never made by `find_paraphrases`) can come out of
        # rank order: probe rank pair by rank pair.
        by_rank: dict[tuple[int, int], int] = {}
        starts, before = [0], []
        for k, (x, y, _) in enumerate(links):
            r, c = rank_a[x], rank_b[y]
            for di, dj in _STEPS:
                p = by_rank.get((r - di, c - dj))
                if p is not None:
                    before.append(p)
            starts.append(len(before))
            by_rank[r, c] = k
        return starts, before
    # Rank pairs numbered with their rows and columns shifted by `pad`: a step back from the
    # first ranks lands on a number no link holds, so no step needs a test of its own.
    pad = _SECTION_SKIP
    padded = (ri + pad) * (width + pad) + (rj + pad)  # ascending, as `key`
    # One row a step, each ascending (a search in bulk walks those fastest); `target` reads
    # them as one column a step.
    by_step = padded[None, :] - (_STEP_I * (width + pad) + _STEP_J)[:, None]
    target = by_step.T
    # The last link holding a rank pair (a later one replaces an earlier one in a walk).
    cells = (int(ri.max()) + 1 + pad) * (width + pad)
    if cells <= _DENSE_RANKS:
        # Looked up in a table of every rank pair (links come by key: a pair's last link
        # ends its run of equal keys).
        last = np.append(key[1:] != key[:-1], True).nonzero()[0]
        table = np.full(cells, -1, dtype=np.int64)
        table[padded[last]] = last
        at = table[target]
        found = at >= 0
    else:
        # (A target lies below its own link's number, so never on the last link's when
        # nothing lies at or below it: ``at`` is then -1.)
        at = (padded.searchsorted(by_step, side="right") - 1).T
        found = padded[at] == target
    rows, cols = np.nonzero(found)  # by link, then in the order of _STEPS
    return rows.searchsorted(np.arange(n + 1)).tolist(), at[rows, cols].tolist()


def _trimmed(
    chain: list[int], links: Sequence[tuple[int, int, float]], rank_a: list[int], rank_b: list[int]
) -> list[int]:
    """`chain` (links, last first) without the links at either end that a summary's skip
    (a step beyond `_SECTION_REACH`) joins to the rest: a skip is evidence between links that
    hold the section on both sides, not at its edges."""

    def skip(x: int, y: int) -> bool:
        di = abs(rank_a[links[x][0]] - rank_a[links[y][0]])
        dj = abs(rank_b[links[x][1]] - rank_b[links[y][1]])
        return max(di, dj) > _SECTION_REACH

    lo, hi = 0, len(chain)
    while hi - lo > 1 and skip(chain[lo], chain[lo + 1]):
        lo += 1
    while hi - lo > 1 and skip(chain[hi - 1], chain[hi - 2]):
        hi -= 1
    return chain[lo:hi]


def _section_hits(
    sections: list[tuple[tuple[int, int], tuple[int, int], int]],
    keys: tuple[Sequence[str], Sequence[str]],
    content: tuple[_Content, _Content],
    units: tuple[Sequence[tuple[int, int]], Sequence[tuple[int, int]]],
    rarity: Callable[[str], float],
    least_shared: int,
    accept: Callable[[ParaphraseHit], bool],
) -> list[ParaphraseHit]:
    """The hits of the reworded sections sharing `least_shared` stems or more that `accept`
    keeps, widened to whole sentences."""
    (a_keys, b_keys), (content_a, content_b), (a_units, b_units) = keys, content, units
    out = []
    for (i0, i1), (j0, j1), links in sections:
        ra = content_a.spanning(a_units, i0, i1)
        rb = content_b.spanning(b_units, j0, j1)
        hit = _section_hit(ra, rb, a_keys, b_keys, rarity, links, least_shared)
        if hit is not None and accept(hit):
            covered_a, covered_b = content_a.covered, content_b.covered
            out.append(_whole_sentences(hit, a_units, b_units, covered_a, covered_b))
    return out


def _ranks(
    units: Sequence[dict[str, int]], blocked: npt.NDArray[np.bool_] | None = None
) -> list[int]:
    """Each unit's rank among the units holding a content stem (empty units share the rank of
    the next one, so sentences already matched do not part a section): how many units before
    it hold one. Each `blocked` unit puts the units after it a step further than any step of a
    section (`_SECTION_SKIP`), so no section runs across it."""
    filled = _filled_array(units).astype(np.int64)
    ranks = np.cumsum(filled) - filled
    if blocked is not None:
        ranks += (_SECTION_SKIP + 1) * np.cumsum(blocked, dtype=np.int64)
    out: list[int] = ranks.tolist()
    return out


def _blocked(
    units: Sequence[tuple[int, int]], fixed: Sequence[tuple[int, int]]
) -> npt.NDArray[np.bool_] | None:
    """Which of `units` (token ranges, in order) overlap one of the token ranges `fixed`
    (None for none)."""
    if not fixed or not units:
        return None
    bounds = np.asarray(units, dtype=np.int64).reshape(-1, 2)
    x = np.asarray(fixed, dtype=np.int64).reshape(-1, 2)
    x = x[x[:, 1] > x[:, 0]]
    if not len(x):
        return None
    # The first unit ending after a range's start, to the first starting at or after its end.
    lo = bounds[:, 1].searchsorted(x[:, 0], side="right")
    hi = bounds[:, 0].searchsorted(x[:, 1], side="left")
    marks = np.zeros(len(bounds) + 1, dtype=np.int64)
    np.add.at(marks, lo, 1)
    np.add.at(marks, np.maximum(lo, hi), -1)
    blocked: npt.NDArray[np.bool_] = np.cumsum(marks[:-1]) > 0
    return blocked if blocked.any() else None


def _section_hit(
    ra: list[int],
    rb: list[int],
    a_keys: Sequence[str],
    b_keys: Sequence[str],
    weight: Callable[[str], float],
    links: int,
    least_shared: int = 1,
) -> ParaphraseHit | None:
    """A reworded section's hit: from its first shared stem to its last on each side, scored
    by the weighted Dice of its distinct content stems (None when they share fewer than
    `least_shared` stems: its hit would share as many, and nothing is worked out for it)."""
    common = {a_keys[i] for i in ra} & {b_keys[j] for j in rb}
    if not common or len(common) < least_shared:
        return None
    in_a = [i for i in ra if a_keys[i] in common]
    in_b = [j for j in rb if b_keys[j] in common]
    a0, a1 = in_a[0], in_a[-1] + 1
    b0, b1 = in_b[0], in_b[-1] + 1
    set_a = {a_keys[i] for i in ra if a0 <= i < a1}
    set_b = {b_keys[j] for j in rb if b0 <= j < b1}
    total = sum(map(weight, set_a)) + sum(map(weight, set_b))
    if total <= 0:
        return None
    score = round(100.0 * 2 * sum(map(weight, common)) / total, 1)
    first_b: dict[str, int] = {}
    for j in in_b:
        first_b.setdefault(b_keys[j], j)
    pairs = []
    seen: set[str] = set()
    for i in in_a:
        if a_keys[i] not in seen:
            seen.add(a_keys[i])
            pairs.append((i, first_b[a_keys[i]]))
    return ParaphraseHit(a0, a1, b0, b1, score, tuple(sorted(common)), tuple(pairs), links)
