"""Anchor alignment: every candidate pair's passages from its shared rare k-grams, and the scan
that compares only the strongest pairs in full."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.corpus.anchor_align import Anchored, anchor_passages, pair_anchors
from docdiff.corpus.scan import candidate_pairs, scan
from docdiff.index.arrays import DocTokens, doc_tokens, unique_kgrams
from docdiff.model import Document, Kind
from docdiff.options import Options, ScanOptions
from tests._corpus import corpus_docs

K = 8


def _words(rng: random.Random, n: int) -> list[str]:
    return [f"w{rng.randrange(5000)}" for _ in range(n)]


def _corpus(seed: int = 1) -> tuple[list[Document], list[str]]:
    """Ten documents of unrelated words; a 60-word passage planted in documents 0 and 1 (with
    two words changed and three inserted in the copy) and a 30-word one in 2, 3 and 4."""
    rng = random.Random(seed)
    bodies = [_words(rng, 400) for _ in range(10)]
    long = _words(rng, 60)
    edited = [*long[:20], "x1", *long[21:35], "x2", "x3", "x4", *long[35:50], "x5", *long[51:]]
    bodies[0][100:100] = long
    bodies[1][250:250] = edited
    short = _words(rng, 30)
    for d in (2, 3, 4):
        bodies[d][50 + 40 * d : 50 + 40 * d] = short
    docs = [
        Document(id=f"d{n}", path=f"d{n}.txt", format="text", text=" ".join(b))
        for n, b in enumerate(bodies)
    ]
    return docs, long


def _anchored(docs: list[Document]) -> tuple[Anchored, list[DocTokens]]:
    tokens = [doc_tokens(d.text) for d in docs]
    rows = candidate_pairs([unique_kgrams(t.hashes, K) for t in tokens], min_shared=2, max_df=5)
    pairs = [(int(i), int(j)) for i, j, _ in rows.tolist()]
    return Anchored.build(tokens, pairs, K, 5), tokens


def test_an_edited_copy_is_one_passage_covering_it() -> None:
    docs, long = _corpus()
    anchored, tokens = _anchored(docs)
    assert (0, 1) in anchored.pairs
    results = anchored.results([d.id for d in docs], tokens, min_words=4)
    (pair,) = [r for r in results if (r.a, r.b) == ("d0", "d1")]
    (m,) = pair.matches  # the edits do not cut the copy into fragments
    text = docs[0].text[m.a.span.start : m.a.span.end]
    assert text == " ".join(long)  # the whole passage, nothing around it
    assert m.kind is Kind.PHRASING
    assert "anchored" in m.reason
    assert m.words == 60 - 2  # two words changed; the inserted ones are not shared
    equal = [op for op in m.ops if op.tag == "equal"]
    for op in equal:  # every equal operation is the same text on both sides
        assert docs[0].text[op.a.start : op.a.end] == docs[1].text[op.b.start : op.b.end]
    assert pair.summary.distinctive_similarity > 0


def test_the_strongest_pairs_are_the_ones_sharing_most() -> None:
    docs, _ = _corpus()
    anchored, _ = _anchored(docs)
    (best,) = anchored.strongest(1)
    assert anchored.pairs[best] == (0, 1)
    assert sorted(anchored.strongest(len(anchored.pairs))) == list(range(len(anchored.pairs)))


def test_a_scan_over_its_full_budget_keeps_every_pair_and_says_so() -> None:
    docs, _long = _corpus()
    whole = scan(docs, Options(), ScanOptions(full_pairs=None), jobs=1)
    part = scan(docs, Options(), ScanOptions(full_pairs=1), jobs=1)
    assert {(p.a, p.b) for p in whole.pairs} == {(p.a, p.b) for p in part.pairs}
    assert part.settings["compared_in_full"] == 1
    assert part.settings["anchored_pairs"] == int(str(part.settings["candidate_pairs"])) - 1
    full = {(p.a, p.b): p for p in whole.pairs}
    # The pair compared in full is the one sharing most, and it is compared exactly as before.
    (best,) = [p for p in part.pairs if (p.a, p.b) == ("d0", "d1")]
    assert best == full["d0", "d1"]
    # The others keep their anchored passages, which cover what the full comparison found.
    for p in part.pairs:
        if (p.a, p.b) == ("d0", "d1"):
            continue
        assert all("anchored" in m.reason for m in p.matches)
        got = {docs[int(p.a[1:])].text[m.a.span.start : m.a.span.end] for m in p.matches}
        want = {
            docs[int(p.a[1:])].text[m.a.span.start : m.a.span.end] for m in full[p.a, p.b].matches
        }
        assert got == want
    # The clusters are the same families.
    assert len(part.clusters) == len(whole.clusters)
    assert whole.settings["anchored_pairs"] == 0


def test_on_the_fixture_letters_a_budget_of_one_keeps_the_same_pairs() -> None:
    docs = corpus_docs()
    whole = scan(docs, jobs=1)
    part = scan(docs, scan_options=ScanOptions(full_pairs=1), jobs=1)
    assert int(str(part.settings["anchored_pairs"])) > 0
    kept = {(p.a, p.b) for p in part.pairs}
    # Every pair sharing a passage of eight words or more in the full comparison is still there.
    long = {(p.a, p.b) for p in whole.pairs if any(m.words >= 12 for m in p.matches)}
    assert long <= kept
    five = [c for c in part.clusters if "categorically rejects the so-called report" in c.text]
    assert len(five) == 1
    assert len(five[0].members) == 5


def test_the_text_output_says_how_many_pairs_were_compared_in_full() -> None:
    from typer.testing import CliRunner

    from docdiff.cli import app

    root = __import__("pathlib").Path(__file__).resolve().parent.parent / "fixtures" / "corpus"
    out = CliRunner().invoke(app, ["scan", str(root / "letters"), "--full-pairs", "2"])
    assert out.exit_code == 0, out.output
    assert "full comparison:" in " ".join(out.output.split())
    assert "--full-pairs 0 compares them all" in " ".join(out.output.split())
    again = CliRunner().invoke(app, ["scan", str(root / "letters"), "--full-pairs", "0"])
    assert "full comparison:" not in again.output


words = st.lists(st.sampled_from([f"t{i}" for i in range(12)]), min_size=0, max_size=80)


@given(st.lists(words, min_size=2, max_size=6), st.integers(2, 4), st.integers(0, 6))
@settings(max_examples=60, deadline=None)
def test_runs_are_identical_stretches_inside_their_passages(
    texts: list[list[str]], k: int, gap: int
) -> None:
    tokens = [doc_tokens(" ".join(t)) for t in texts]
    n = len(tokens)
    pairs = np.asarray([(i, j) for i in range(n) for j in range(i + 1, n)], dtype=np.int64)
    pr, a, b = pair_anchors(tokens, pairs, k, max_df=n)
    # Every anchor is a shared k-gram of its pair.
    for p, x, y in zip(pr.tolist(), a.tolist(), b.tolist(), strict=True):
        i, j = pairs[p]
        assert tokens[i].hashes[x : x + k].tolist() == tokens[j].hashes[y : y + k].tolist()
    ps = anchor_passages(pr, a, b, k, gap)
    for r in range(len(ps)):
        i, j = pairs[int(ps.pair[r])]
        for q in range(int(ps.run_start[r]), int(ps.run_start[r + 1])):
            a0, a1, b0, b1 = (int(v[q]) for v in (ps.run_a0, ps.run_a1, ps.run_b0, ps.run_b1))
            assert a1 - a0 == b1 - b0 >= k
            assert tokens[i].hashes[a0:a1].tolist() == tokens[j].hashes[b0:b1].tolist()
            assert ps.a0[r] <= a0
            assert a1 <= ps.a1[r]
            assert ps.b0[r] <= b0
            assert b1 <= ps.b1[r]


def test_passages_grown_in_a_process_pool_equal_those_grown_in_one_process() -> None:
    from docdiff.corpus import anchor_align

    docs, _ = _corpus(seed=7)
    tokens = [doc_tokens(d.text) for d in docs]
    rows = candidate_pairs([unique_kgrams(t.hashes, K) for t in tokens], min_shared=1, max_df=9)
    pairs = [(int(i), int(j)) for i, j, _ in rows.tolist()]
    old = anchor_align._PARALLEL_FROM
    anchor_align._PARALLEL_FROM = 1
    try:
        pooled = Anchored.build(tokens, pairs, K, 9, jobs=2)
    finally:
        anchor_align._PARALLEL_FROM = old
    alone = Anchored.build(tokens, pairs, K, 9, jobs=1)
    assert len(pooled.passages) == len(alone.passages) > 2
    for name in pooled.passages.__slots__:
        assert np.array_equal(getattr(pooled.passages, name), getattr(alone.passages, name))
    assert np.array_equal(pooled.strength, alone.strength)


@given(st.lists(words, min_size=2, max_size=6), st.integers(2, 4))
@settings(max_examples=60, deadline=None)
def test_grown_passages_hold_identical_runs_in_order(texts: list[list[str]], k: int) -> None:
    from docdiff.corpus.anchor_align import anchor_results, extend_passages

    joined = [" ".join(t) for t in texts]
    tokens = [doc_tokens(t) for t in joined]
    n = len(tokens)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    arr = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    ps = extend_passages(anchor_passages(*pair_anchors(tokens, arr, k, n), k), pairs, tokens)
    for r in range(len(ps)):
        i, j = pairs[int(ps.pair[r])]
        q0, q1 = int(ps.run_start[r]), int(ps.run_start[r + 1])
        assert q1 > q0
        ends = (-1, -1)
        for q in range(q0, q1):
            a0, a1, b0, b1 = (int(v[q]) for v in (ps.run_a0, ps.run_a1, ps.run_b0, ps.run_b1))
            assert a1 - a0 == b1 - b0 > 0
            assert tokens[i].hashes[a0:a1].tolist() == tokens[j].hashes[b0:b1].tolist()
            assert a0 >= ends[0]
            assert b0 >= ends[1]
            ends = (a1, b1)
        assert (ps.a0[r], ps.a1[r]) == (ps.run_a0[q0], ps.run_a1[q1 - 1])
    ids = [f"d{n}" for n in range(n)]
    for number, result in anchor_results(ps, pairs, ids, tokens, min_words=1).items():
        i, j = pairs[number]
        s = result.summary
        assert 0 < s.similarity <= 100
        assert 0 < s.coverage_a <= 100
        assert 0 < s.coverage_b <= 100
        for m in result.matches:
            for op in m.ops:
                if op.tag == "equal":
                    assert joined[i][op.a.start : op.a.end] == joined[j][op.b.start : op.b.end]


def test_every_report_says_which_pairs_were_not_compared_in_full() -> None:
    from docdiff.render.html import render_html
    from docdiff.render.markdown import render_markdown

    report = scan(corpus_docs(), scan_options=ScanOptions(full_pairs=2), jobs=1)
    anchored = report.settings["anchored_pairs"]
    for text in (render_html(report), render_markdown(report)):
        flat = " ".join(text.split())
        assert f"the other {anchored} keep the passages aligned from their shared rare" in flat
    whole = scan(corpus_docs(), jobs=1)
    assert "keep the passages aligned" not in render_markdown(whole)


@given(st.lists(st.integers(0, 2**64 - 1), max_size=200))
def test_sorted_unique_is_numpy_unique(values: list[int]) -> None:
    from docdiff.index.arrays import sorted_unique

    arr = np.asarray(values, dtype=np.uint64)
    assert np.array_equal(sorted_unique(arr), np.unique(arr))
    assert sorted_unique(arr).dtype == np.uint64
