"""The array path of alignment (runs, chains, candidate pieces and their selection kept as
numbers) gives exactly what the loops over `Run` and `Piece` objects gave."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docdiff.engine.align import (
    Candidates,
    Op,
    Piece,
    Run,
    align_chain_arrays,
    align_chains,
    aligned_ops,
    chain_arrays,
    chain_runs,
    chain_touches,
    chain_weights,
    find_runs,
    flush_ops,
    range_sums,
    rounded,
    run_arrays,
    seed_index,
    select_candidates,
    shared_seeds,
)
from docdiff.text.seeds import kgram_hashes
from tests.test_align_runs import reference_chains
from tests.test_prepare_fast import _select_reference

LAWS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


def _align_reference(
    chains: Sequence[Sequence[Run]], a_ids: Sequence[int], b_ids: Sequence[int], max_gap: int
) -> list[Piece]:
    """`align_chains` as it was: every chain made into pieces, one by one."""
    pieces: list[Piece] = []
    for chain in chains:
        if len(chain) == 1:
            r = chain[0]
            pieces.append(
                Piece(r.a0, r.a1, r.b0, r.b1, (Op("equal", r.a0, r.a1, r.b0, r.b1),), r.a1 - r.a0)
            )
            continue
        a0, a1 = min(r.a0 for r in chain), max(r.a1 for r in chain)
        b0, b1 = min(r.b0 for r in chain), max(r.b1 for r in chain)
        current: list[Op] = []
        for op in aligned_ops(a_ids[a0:a1], b_ids[b0:b1], a0, b0):
            if op.tag != "equal" and max(op.i2 - op.i1, op.j2 - op.j1) > max_gap:
                flush_ops(current, pieces)
                current = []
                continue
            current.append(op)
        flush_ops(current, pieces)
    return pieces


def _cut(p: Piece) -> list[Piece]:
    """A stand-in for the splitting of pieces at unrelated gaps: drops some, doubles some; a
    single equal run has no gap to cut at (`Candidates.split` does not ask)."""
    if len(p.ops) == 1:
        return [p]
    if (p.a0 + p.b1) % 3 == 0:
        return []
    return [p, p] if (p.a1 + p.b0) % 4 == 0 else [p]


def _seeds(a: list[int], b: list[int], k: int) -> tuple[np.ndarray, np.ndarray]:
    ha = np.asarray(kgram_hashes([str(x) for x in a], k), dtype=np.uint64)
    hb = np.asarray(kgram_hashes([str(x) for x in b], k), dtype=np.uint64)
    return shared_seeds(ha, np.ones(len(ha), dtype=bool), seed_index(hb))


@LAWS
@given(
    a=st.lists(st.integers(0, 5), max_size=150),
    b=st.lists(st.integers(0, 5), max_size=150),
    k=st.integers(2, 4),
    gap=st.integers(0, 8),
    seed=st.integers(0, 2**32 - 1),
    weighed=st.booleans(),
)
def test_the_array_path_equals_the_object_path(
    a: list[int], b: list[int], k: int, gap: int, seed: int, weighed: bool
) -> None:
    rng = np.random.default_rng(seed)
    sa, sb = _seeds(a, b, k)
    runs = run_arrays(a, b, sa, sb, k)
    objects = find_runs(a, b, sa, sb, k)
    assert list(map(Run, *(x.tolist() for x in runs))) == objects
    chains = chain_arrays(runs, gap)
    listed = reference_chains(objects, gap)
    assert [[objects[i] for i in c] for c in chains.runs()] == listed == chain_runs(objects, gap)
    # What decides which chains go on: their words' weights and the marked tokens they touch.
    weights = (rng.integers(0, 5, size=len(a)) / 4).tolist()
    marked_a = rng.random(len(a)) < 0.1
    marked_b = rng.random(len(b)) < 0.1
    assert chain_weights(chains, runs, weights) == [
        sum(sum(weights[r.a0 : r.a1]) for r in c) for c in listed
    ]
    touches = chain_touches(chains, runs, marked_a, marked_b)
    assert touches.tolist() == [
        any(any(marked_a[r.a0 : r.a1]) or any(marked_b[r.b0 : r.b1]) for r in c) for c in listed
    ]
    keep = rng.random(len(listed)) < 0.7
    kept = chains.kept(keep)
    listed = [c for c, k in zip(listed, keep.tolist(), strict=True) if k]
    assert [[objects[i] for i in c] for c in kept.runs()] == listed
    # Candidate pieces, split, then selected.
    candidates = align_chain_arrays(kept, runs, a, b, gap)
    pieces = _align_reference(listed, a, b, gap)
    assert candidates.pieces() == pieces == align_chains(listed, a, b, gap)
    candidates = candidates.split(_cut)
    pieces = [q for p in pieces for q in _cut(p)]
    assert candidates.pieces() == pieces
    assert Candidates.of(pieces).pieces() == pieces
    chosen = weights if weighed else None
    assert select_candidates(candidates, chosen) == _select_reference(pieces, chosen)


def test_long_repeated_texts_select_like_the_reference() -> None:
    # Many stock phrases paired with each of their occurrences, and a few long copies.
    rng = np.random.default_rng(11)
    base = rng.integers(0, 3000, size=4000).tolist()
    phrases = [rng.integers(3000, 3040, size=4).tolist() for _ in range(12)]
    fill = rng.integers(4000, 9000, size=8000).tolist()
    a = base[:2000] + [w for n in range(60) for w in phrases[n % 12] + fill[9 * n : 9 * n + 9]]
    copy = [w if n % 40 else 9999 for n, w in enumerate(base[1500:3900])]  # edited copy
    b = copy + [w for n in range(80) for w in phrases[n % 7] + fill[-9 * n - 9 : -9 * n]]
    sa, sb = _seeds(a, b, 3)
    runs = run_arrays(a, b, sa, sb, 3)
    chains = chain_arrays(runs, 6)
    objects = find_runs(a, b, sa, sb, 3)
    listed = reference_chains(objects, 6)
    assert sum(len(c) == 1 for c in listed) > 100
    assert any(len(c) > 1 for c in listed)
    weights = (rng.integers(0, 5, size=len(a)) / 4).tolist()
    pieces = _align_reference(listed, a, b, 6)
    candidates = align_chain_arrays(chains, runs, a, b, 6)
    assert select_candidates(candidates, weights) == _select_reference(pieces, weights)
    assert select_candidates(candidates) == _select_reference(pieces, None)


def test_a_single_equal_run_has_nothing_to_split() -> None:
    # `Candidates.split` leaves single equal runs alone: the real cut returns them unchanged.
    from docdiff.engine.pieces import _split_unrelated

    p = Piece(3, 9, 10, 16, (Op("equal", 3, 9, 10, 16),), 6)
    assert _split_unrelated(p, None, None, 5) == [p]  # type: ignore[arg-type]


_RUN = st.tuples(st.integers(0, 12), st.integers(0, 12), st.integers(1, 5), st.integers(0, 2))


@LAWS
@given(st.lists(_RUN, max_size=40), st.integers(0, 3))
def test_selecting_numbers_equals_selecting_pieces(
    specs: list[tuple[int, int, int, int]], scale: int
) -> None:
    # Short runs crowded together: many overlaps, and ties of strength and place.
    made: list[Piece | None] = []
    pieces: list[Piece] = []
    for a0, b0, size, gap in specs:
        if gap:  # two equal runs with an edit between: a piece made by alignment
            ops = (
                Op("equal", a0, a0 + size, b0, b0 + size),
                Op("replace", a0 + size, a0 + size + gap, b0 + size, b0 + size + gap),
                Op(
                    "equal",
                    a0 + size + gap,
                    a0 + 2 * size + gap,
                    b0 + size + gap,
                    b0 + 2 * size + gap,
                ),
            )
            p = Piece(a0, ops[-1].i2, b0, ops[-1].j2, ops, 2 * size)
            made.append(p)
        else:
            p = Piece(
                a0, a0 + size, b0, b0 + size, (Op("equal", a0, a0 + size, b0, b0 + size),), size
            )
            made.append(None)
        pieces.append(p)
    candidates = Candidates(
        [p.a0 for p in pieces], [p.a1 for p in pieces], [p.b0 for p in pieces],
        [p.b1 for p in pieces], made,
    )  # fmt: skip
    assert candidates.pieces() == pieces
    weights = [((n * 5) % (scale + 2)) / 2 for n in range(40)]
    for chosen in (weights, None):
        assert select_candidates(candidates, chosen) == _select_reference(pieces, chosen)


def test_ties_go_to_the_earlier_piece_in_a() -> None:
    # Same strength, same size, same a0 + b0, overlapping: the one earlier in A is kept.
    first = Piece(0, 4, 4, 8, (Op("equal", 0, 4, 4, 8),), 4)
    second = Piece(1, 5, 3, 7, (Op("equal", 1, 5, 3, 7),), 4)
    for order in ([first, second], [second, first]):
        candidates = Candidates.of(order)._replace(made=[None, None])
        assert select_candidates(candidates) == [first] == _select_reference(order, None)


_WEIGHTS = st.lists(
    st.one_of(
        st.floats(-5.0, 12.0, allow_nan=False),
        st.sampled_from([0.0, -0.0, 0.1, 0.2, 0.3, 1.0 / 3.0, 2.675, 1e-7, 7.5e-7]),
    ),
    min_size=1,
    max_size=120,
)


@LAWS
@given(_WEIGHTS, st.data())
def test_range_sums_equal_pythons_sums(weights: list[float], data: st.DataObject) -> None:
    """The bulk sums are Python's, float for float (left to right from zero), for short
    ranges and long ones, with or without the weights as an array."""
    n = len(weights)
    ranges = data.draw(
        st.lists(st.tuples(st.integers(0, n), st.integers(0, n)).map(sorted), max_size=60)
    )
    if data.draw(st.booleans()):
        ranges *= 300  # enough to be summed in bulk
    starts = np.asarray([r[0] for r in ranges], dtype=np.int64)
    stops = np.asarray([r[1] for r in ranges], dtype=np.int64)
    expected = [sum(weights[x:y]) for x, y in ranges]
    array = np.asarray(weights, dtype=np.float64)
    for got in (range_sums(weights, starts, stops), range_sums(weights, starts, stops, array)):
        assert [float(v).hex() for v in got] == [float(v).hex() for v in expected]


def test_range_sums_add_in_pythons_order() -> None:
    """A sum that pairwise (numpy's) or sorted adding would change: 1e16 + 1 + 1 is 1e16
    left to right."""
    weights = [1e16, 1.0, 1.0, -1e16, 3.0] * 100
    starts = np.arange(0, 400, dtype=np.int64)
    stops = starts + np.arange(1, 401, dtype=np.int64) % 37 + 1
    got = range_sums(weights, starts, stops)
    assert got == [sum(weights[x:y]) for x, y in zip(starts.tolist(), stops.tolist(), strict=True)]


@LAWS
@given(
    st.lists(
        st.one_of(
            st.floats(allow_nan=False, allow_infinity=False),
            st.floats(-1e4, 1e4),
            # Halves at the sixth decimal (and their neighbours): where rounding a scaled
            # product could go the other way.
            st.integers(-(10**10), 10**10).map(lambda k: (k + 0.5) / 1e6),
            st.integers(-(10**10), 10**10).map(lambda k: float(np.nextafter((k + 0.5) / 1e6, 0))),
        ),
        max_size=50,
    ),
    st.integers(-2, 20),
)
def test_rounded_equals_pythons_round(values: list[float], digits: int) -> None:
    values = values * (1 + 300 // max(1, len(values)))  # (a few hundred: rounded in bulk)
    got = rounded(values, digits)
    assert [float(v).hex() for v in got] == [float(round(v, digits)).hex() for v in values]
