"""Scan: candidate generation (against a brute-force reference), clusters on planted data."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.corpus.metadata import load_csv
from docdiff.corpus.scan import (
    candidate_pairs,
    document_frequencies,
    fit_budget,
    merge_pair_counts,
    scan,
)
from docdiff.model import Kind
from docdiff.options import Options, OptionSpec, ScanOptions, scan_option_specs
from tests._corpus import corpus_docs

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"
FIVE = {f"letters/0{i}" for i in range(1, 6)}

sets = st.lists(
    st.lists(st.integers(0, 30), max_size=15).map(
        lambda xs: np.unique(np.array(xs, dtype=np.uint64))
    ),
    min_size=0,
    max_size=12,
)


@given(sets, st.integers(1, 3), st.integers(2, 8), st.integers(1, 4))
@settings(max_examples=80)
def test_candidates_equal_brute_force(
    kgram_sets: list[np.ndarray], min_shared: int, max_df: int, parts: int
) -> None:
    uniq, counts = document_frequencies(kgram_sets)
    df = dict(zip(uniq.tolist(), counts.tolist(), strict=True))
    expected = set()
    for i, j in itertools.combinations(range(len(kgram_sets)), 2):
        shared = set(kgram_sets[i].tolist()) & set(kgram_sets[j].tolist())
        n = sum(1 for h in shared if 2 <= df[h] <= max_df)
        if n >= min_shared:
            expected.add((i, j, n))
    got = candidate_pairs(kgram_sets, min_shared=min_shared, max_df=max_df, parts=parts)
    assert {tuple(row) for row in got.tolist()} == expected


@given(st.lists(st.integers(1, 30), max_size=60), st.integers(1, 5), st.integers(1, 20))
def test_a_budget_keeps_the_pairs_sharing_most(shared: list[int], base: int, budget: int) -> None:
    cands = np.array([(n, n + 1, s) for n, s in enumerate(shared)], dtype=np.int64).reshape(-1, 3)
    rows, need = fit_budget(cands, base, budget)
    qualified = [n for n, s in enumerate(shared) if s >= base]
    assert len(rows) == min(budget, len(qualified))  # the budget is used whole, ties or not
    assert list(rows) == sorted(rows)
    assert all(shared[n] >= need >= base for n in rows)
    left = set(qualified) - set(rows.tolist())
    # No pair left out shares more than one kept; among equals the earlier pairs are kept.
    for n in left:
        assert all(shared[n] < shared[m] or (shared[n] == shared[m] and m < n) for m in rows)


def test_merge_pair_counts_sums() -> None:
    a = (np.array([1, 5], dtype=np.int64), np.array([2, 3], dtype=np.int64))
    b = (np.array([5, 7], dtype=np.int64), np.array([1, 1], dtype=np.int64))
    codes, counts = merge_pair_counts([a, b])
    assert codes.tolist() == [1, 5, 7]
    assert counts.tolist() == [2, 4, 1]


def test_planted_passage_in_five_letters_is_one_cluster_of_five() -> None:
    report = scan(corpus_docs(), jobs=1)
    assert report.command == "scan"
    five = [c for c in report.clusters if {m.doc[:10] for m in c.members} == FIVE]
    assert len(five) == 1
    (c,) = five
    assert len(c.members) == 5
    assert c.kind in {Kind.PHRASING, Kind.QUOTATION}
    assert "categorically rejects the so-called report" in c.text
    assert c.origin is not None
    assert c.origin.doc == "letters/01_arcadia_2019.txt"  # the earliest letter
    # The fisheries passage is its own cluster of two, originating in 2021.
    fish = [c for c in report.clusters if "joint fisheries commission" in c.text]
    assert len(fish) == 1
    assert fish[0].origin is not None
    assert fish[0].origin.doc == "letters/06_fjordland_2021.txt"
    # The unrelated minutes share nothing with anyone.
    assert all("08_harmonia" not in d.id for d in report.documents)
    # Pairs are ranked by distinctive similarity.
    ranks = [p.summary.distinctive_similarity for p in report.pairs]
    assert ranks == sorted(ranks, reverse=True)


def test_parallel_scan_equals_serial_scan() -> None:
    docs = corpus_docs()
    serial = scan(docs, jobs=1)
    parallel = scan(docs, jobs=2)
    assert int(str(serial.settings["candidate_pairs"])) >= 8  # enough pairs to use the process pool
    assert parallel.pairs == serial.pairs
    assert parallel.clusters == serial.clusters


def test_where_and_cross_filters() -> None:
    docs = corpus_docs()
    recent = scan(docs, scan_options=ScanOptions(where="year >= 2021"), jobs=1)
    ids = {p.a for p in recent.pairs} | {p.b for p in recent.pairs}
    assert ids
    assert not any("2019" in i or "2020" in i for i in ids)
    assert recent.settings["documents_scanned"] == 5
    # Two letters from the same sender never pair up under --cross sender.
    same_sender = [replace(d, meta={**d.meta, "sender": "X"}) for d in docs]
    assert scan(same_sender, scan_options=ScanOptions(cross="sender"), jobs=1).pairs == ()


def test_kinds_and_min_words_are_applied() -> None:
    docs = corpus_docs()
    report = scan(docs, Options(kinds=frozenset({Kind.FORMULA}), min_words=5), jobs=1)
    assert report.pairs
    assert all(m.kind is Kind.FORMULA and m.words >= 5 for p in report.pairs for m in p.matches)


def test_scan_from_index_equals_scan_from_files(tmp_path: Path) -> None:
    from docdiff.index import CorpusIndex

    with CorpusIndex.open(tmp_path / "i.db", create=True) as idx:
        idx.update([CORPUS / "letters"], meta=load_csv(CORPUS / "metadata.csv"))
        from_index = scan(idx, jobs=1)
    from_files = scan(corpus_docs(), jobs=1)
    assert from_index.pairs == from_files.pairs
    assert from_index.clusters == from_files.clusters


def test_plan_align_finish_equals_scan() -> None:
    """The separable stages another backend uses give the same report as `scan`."""
    from docdiff.corpus.scan import align_pairs, finish_scan, plan_scan

    docs = corpus_docs()
    options = Options()
    plan = plan_scan(docs, options)
    # Align in reverse order, as a distributed backend might, then restore plan order.
    results = align_pairs(plan.pairs[::-1], plan)[::-1]
    staged = finish_scan(plan, results)
    direct = scan(docs, options, jobs=1)
    assert staged.pairs == direct.pairs
    assert staged.clusters == direct.clusters


def test_default_scan_aligns_every_candidate_pair() -> None:
    report = scan(corpus_docs(), jobs=1)
    s = report.settings
    assert s["unaligned_pairs"] == 0
    assert s["candidate_pairs"] == s["candidates_found"]
    assert s["min_shared"] == 2
    assert s["max_pairs"] is None


def test_a_budget_says_what_it_left_out() -> None:
    docs = corpus_docs()
    full = scan(docs, jobs=1)
    found = int(str(full.settings["candidates_found"]))
    budgeted = scan(docs, scan_options=ScanOptions(max_pairs=2), jobs=1)
    s = budgeted.settings
    aligned = int(str(s["candidate_pairs"]))
    assert aligned == 2  # the budget is used whole even where the pairs sharing most tie
    assert s["candidates_found"] == found
    assert s["unaligned_pairs"] == found - aligned > 0
    assert int(str(s["min_shared"])) > 2
    assert len(budgeted.pairs) == 2


def test_budget_line_in_text_output() -> None:
    from typer.testing import CliRunner

    from docdiff.cli import app

    letters = str(CORPUS / "letters")
    runner = CliRunner()
    full = runner.invoke(app, ["scan", letters, "--no-progress"])
    assert full.exit_code == 0, full.output
    assert "budget" not in full.output
    budgeted = runner.invoke(app, ["scan", letters, "--no-progress", "--max-pairs", "2"])
    assert budgeted.exit_code == 0, budgeted.output
    assert "candidate pairs unaligned" in budgeted.output
    assert "--max-pairs 2 left" in budgeted.output


@settings(max_examples=100, deadline=None)
@given(
    pairs=st.lists(
        st.tuples(st.integers(0, 40), st.integers(0, 40)).filter(lambda p: p[0] < p[1]),
        unique=True,
    ),
    tile=st.integers(1, 16),
)
def test_tile_order_is_a_permutation_by_tiles(pairs: list[tuple[int, int]], tile: int) -> None:
    from docdiff.corpus.scan import tile_order

    order = tile_order(pairs, tile)
    assert sorted(order) == list(range(len(pairs)))
    tiles = [(pairs[n][0] // tile, pairs[n][1] // tile) for n in order]
    assert tiles == sorted(tiles)


@pytest.mark.parametrize("spec", scan_option_specs(), ids=lambda s: s.name)
def test_the_scan_command_has_a_flag_for_every_scan_option(spec: OptionSpec) -> None:
    from typer.testing import CliRunner

    from docdiff.cli import app

    shown = CliRunner().invoke(app, ["scan", "--help"], terminal_width=200)
    assert shown.exit_code == 0
    assert spec.cli in shown.output


def test_scan_flags_build_the_scan_options() -> None:
    from docdiff.cli._options import scan_options_from_flags

    built = scan_options_from_flags(
        {"where": "year>=2020", "cross": "sender", "min_shared": 3, "max_pairs": 0,
         "candidate_words": 6, "max_df": 9, "min_docs": None}
    )  # fmt: skip
    assert built == ScanOptions(
        where="year>=2020", cross="sender", min_shared=3, candidate_words=6, max_df=9
    )
    assert built.max_pairs is None  # 0 on the command line: no budget


def test_scan_settings_echo_the_scan_options() -> None:
    how = ScanOptions(where="year >= 2020", candidate_words=6, min_docs=3)
    s = scan(corpus_docs(), scan_options=how, jobs=1).settings
    assert (s["where"], s["candidate_words"], s["min_docs"]) == ("year >= 2020", 6, 3)


@pytest.mark.parametrize(
    ("flag", "value", "problem"),
    [("--max-pairs", "-1", "--max-pairs must be at least 1"),
     ("--candidate-words", "1", "--candidate-words must be"),
     ("--min-docs", "1", "--min-docs must be at least 2"),
     ("--min-shared", "0", "--min-shared must be at least 1")],
)  # fmt: skip
def test_a_bad_scan_option_is_one_clear_line(flag: str, value: str, problem: str) -> None:
    from typer.testing import CliRunner

    from docdiff.cli import app

    run = CliRunner().invoke(app, ["scan", str(CORPUS / "letters"), "--no-progress", flag, value])
    assert run.exit_code == 2
    assert problem in run.output
    assert "Traceback" not in run.output


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 400), st.integers(0, 400)), max_size=400),
    st.sampled_from([1, 4, 16, 384]),
)
def test_band_order_is_a_permutation_by_bands(raw: list[tuple[int, int]], band: int) -> None:
    from docdiff.corpus.scan import band_order

    pairs = sorted({(min(i, j), max(i, j)) for i, j in raw if i != j})
    order = band_order(pairs, band)
    assert sorted(order) == list(range(len(pairs)))
    ordered = [pairs[n] for n in order]
    keys = [(i // band, j, i) for i, j in ordered]
    assert keys == sorted(keys)


def test_cross_reads_the_sender_as_formulae_do_and_refuses_a_field_no_document_has() -> None:
    """The UN corpus's CSV names a country and its code, no sender: ``--cross sender`` kept
    every pair in silence, and so did a misspelt field."""
    import pytest

    from docdiff.errors import OptionsError

    docs = corpus_docs()
    coded = [
        replace(d, meta={"iso3": "XMP", "country": f"Examplia {n}"}) for n, d in enumerate(docs)
    ]
    assert scan(coded, scan_options=ScanOptions(cross="sender"), jobs=1).pairs == ()
    with pytest.raises(OptionsError, match="no document has the field 'sendr'; the documents'"):
        scan(coded, scan_options=ScanOptions(cross="sendr"), jobs=1)
