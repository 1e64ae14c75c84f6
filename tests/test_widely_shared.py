"""In a corpus, wording many documents share is no part of a pair's distinctive similarity.

A scan of the UN speeches of one year ranked its pairs by the session's theme: in 2020 and 2021
the theme, quoted by a fifth of the speeches, was the longest passage of nine of the ten top
pairs, and in 2015 the name of that year's climate conference of seven; two speeches quoting
it share what dozens share. A passage whose k-grams, all but its rarest quarter
(`WIDELY_SHARED`), are each in more documents than a rare k-gram may be (`rare_share`) keeps
its kind and counts in the similarity, not in the distinctive similarity, in a scan (compared
in full or anchored), a query and ``compare --db``; a comparison without a corpus counts it.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from docdiff.corpus.query import compare_in_index, query
from docdiff.corpus.scan import default_max_df, df_share, rare_share, scan
from docdiff.engine.compare import compare
from docdiff.engine.score import WIDELY_REASON, WIDELY_SHARED, widely_shared
from docdiff.index import CorpusIndex
from docdiff.loaders import load_text
from docdiff.model import Document, PairResult, Report
from docdiff.options import ScanOptions
from tests._made_up import filler as _filler

THEMED = 10
"""Documents quoting the theme: more than a rare k-gram may be in (5 of 60), fewer than a
formula's share of the corpus (`docdiff.engine.prepare.FORMULA_KGRAM`: a fifth)."""


def _corpus() -> list[Document]:
    """60 documents: ten quote one theme (t0-t9), each two of them (t0 and t1, t2 and t3, …)
    after a sentence of their own (which makes them a candidate pair: the theme's word sequences
    are too common to); x and y share a paragraph of their own; the others share nothing."""
    rng = random.Random(11)
    theme, own = _filler(random.Random(1), 5), _filler(random.Random(2), 2)
    links = [_filler(random.Random(100 + n), 1) for n in range(THEMED // 2)]

    def doc(name: str, parts: list[str]) -> Document:
        paragraphs = []
        for part in parts:
            paragraphs += [_filler(rng, 4), part]
        return load_text("\n\n".join([*paragraphs, _filler(rng, 4)]), doc_id=name)

    docs = [doc(f"t{n}.txt", [f"{links[n // 2]} {theme}"]) for n in range(THEMED)]
    docs += [doc("x.txt", [own]), doc("y.txt", [own])]
    docs += [doc(f"n{n:02}.txt", []) for n in range(60 - len(docs))]
    assert default_max_df(len(docs)) < THEMED
    return docs


def _pair(report: Report, a: str, b: str) -> PairResult:
    return next(p for p in report.pairs if {p.a, p.b} == {a, b})


def _themed(report: Report) -> list[PairResult]:
    """The pairs of theme documents: a sentence of their own, and the theme after it."""
    return [_pair(report, f"t{n}.txt", f"t{n + 1}.txt") for n in range(0, THEMED, 2)]


def test_a_theme_many_documents_quote_is_not_distinctive_in_a_scan() -> None:
    docs = _corpus()
    report = scan(docs)
    own = _pair(report, "x.txt", "y.txt")
    assert report.pairs[0] is own  # ranked first, above the pairs sharing the theme
    by_id = {d.id: d for d in docs}
    for pair in _themed(report):
        # One passage, the sentence and the theme: the theme is most of its word sequences.
        assert len(pair.matches) == 1
        assert pair.matches[0].reason.endswith(WIDELY_REASON)  # (--explain says why)
        assert pair.summary.similarity > 0
        assert pair.summary.distinctive_similarity == 0.0
        alone = compare(by_id[pair.a], by_id[pair.b]).pairs[0].summary
        assert alone.similarity == pair.summary.similarity == alone.distinctive_similarity


def test_anchored_pairs_leave_it_out_too() -> None:
    """Pairs past ``--full-pairs`` keep their anchored passages; the rule is the same."""
    report = scan(_corpus(), scan_options=ScanOptions(full_pairs=1))
    assert report.settings.get("anchored_pairs")
    own = _pair(report, "x.txt", "y.txt")
    assert report.pairs[0] is own
    assert own.summary.distinctive_similarity > 0
    for pair in _themed(report):
        assert pair.summary.similarity > 0
        assert pair.summary.distinctive_similarity == 0.0
        assert all(m.reason.endswith(WIDELY_REASON) for m in pair.matches)


def test_a_query_and_compare_in_an_index_leave_it_out(tmp_path: Path) -> None:
    docs = _corpus()
    db = tmp_path / "c.db"
    with CorpusIndex.open(db, create=True) as idx:
        for d in docs[1:]:
            idx.add_document(d)
    with CorpusIndex.open(db, readonly=True) as idx:
        found = query(idx, docs[0], limit=20)
        # t0 shares only the theme with t2 … t8, and the theme and a sentence with t1.
        themed = [p for p in found.pairs if p.b != "t1.txt"]
        assert themed
        assert all(p.b.startswith("t") for p in themed)
        assert all(p.summary.distinctive_similarity == 0.0 for p in themed)
        assert all(p.summary.similarity > 0 for p in themed)
        pair = compare_in_index(idx, docs[0], docs[2]).pairs[0]
        assert pair.summary.similarity > 0
        assert pair.summary.distinctive_similarity == 0.0


def test_without_a_corpus_the_shared_theme_counts() -> None:
    docs = {d.id: d for d in _corpus()}
    summary = compare(docs["t0.txt"], docs["t2.txt"]).pairs[0].summary
    assert summary.distinctive_similarity == summary.similarity > 0


def test_rare_share_is_the_share_of_a_kgram_in_the_rare_bound() -> None:
    for n in (1, 60, 194, 4802):
        assert rare_share(n) == df_share(default_max_df(n), n)
        assert df_share(default_max_df(n) + 1, n) > rare_share(n)


@given(
    st.lists(st.floats(0.0, 1.0), min_size=1, max_size=40),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
)
def test_widely_shared_follows_the_share_of_common_kgrams(
    shares: list[float], rare: float, lower: float
) -> None:
    """A passage is widely shared exactly when `WIDELY_SHARED` of its k-grams are above the
    bound, and a lower bound never makes it less so."""
    k = 3
    hashes = list(range(len(shares)))
    freq = dict(zip(hashes, shares, strict=True)).__getitem__
    i1 = len(hashes) + k - 1  # every k-gram starts inside the passage
    got = widely_shared(hashes, 0, i1, k, freq, rare)
    above = sum(1 for s in shares if s > rare)
    assert got == (above >= WIDELY_SHARED * len(shares))
    if got and lower <= rare:
        assert widely_shared(hashes, 0, i1, k, freq, lower)
    assert not widely_shared(hashes, 0, 0, k, freq, rare) or freq(0) > rare


def test_in_a_corpus_of_one_sender_its_recurring_wording_counts(tmp_path: Path) -> None:
    """What most of one sender's documents repeat is its rhetoric: phrasing, and distinctive
    (`docdiff.engine.classify.OWN_WORDING_REASON`), as in `test_corpus_kinds_senders`."""
    docs = [replace(d, meta={"sender": "Northgate Embassy"}) for d in _corpus()]
    report = scan(docs)
    assert report.settings["few_senders"] == ["Northgate Embassy"]
    for pair in _themed(report):
        assert pair.summary.distinctive_similarity == pair.summary.similarity > 0
        assert not any(m.reason.endswith(WIDELY_REASON) for m in pair.matches)
