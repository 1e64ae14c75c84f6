"""A parallel scan derives each document once, in the parent, before its workers fork."""

from __future__ import annotations

import pytest

from docdiff.corpus import scan as scan_module
from docdiff.corpus.scan import PairAligner, align_pairs, plan_scan
from docdiff.options import Options
from tests._corpus import corpus_docs


def test_a_warmed_aligner_derives_nothing_more_and_aligns_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plan = plan_scan(corpus_docs(), Options())
    expected = align_pairs(plan.pairs, plan)
    aligner = plan.aligner()
    aligner.warm(sorted({i for pair in plan.pairs for i in pair}))

    def derive(self: PairAligner, i: int) -> object:
        raise AssertionError(f"document {i} derived again after warm()")

    monkeypatch.setattr(PairAligner, "_derive", derive)
    assert aligner.align(plan.pairs) == expected


def test_the_pool_is_started_after_the_parent_derived_every_document(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plan = plan_scan(corpus_docs(), Options())
    assert len(plan.pairs) >= 8  # enough pairs to use the process pool
    aligner = plan.aligner()
    warmed: list[list[int]] = []
    original = PairAligner.warm

    def warm(self: PairAligner, docs: list[int]) -> None:
        warmed.append(list(docs))
        original(self, docs)

    monkeypatch.setattr(PairAligner, "warm", warm)
    parallel = scan_module._run_alignment(aligner, plan.pairs, 2, None)
    serial = scan_module._run_alignment(plan.aligner(), plan.pairs, 1, None)
    assert parallel == serial
    assert warmed == [sorted({i for pair in plan.pairs for i in pair})]
