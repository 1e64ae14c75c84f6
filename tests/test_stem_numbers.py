"""Stems are numbered per process, the new ones in the order met: looked up in bulk, then
only the new ones numbered (each number the same as a loop over every stem gives)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from docdiff.engine import echoes, paraphrase
from docdiff.engine.prepare import Words, prepare
from docdiff.model import Document
from docdiff.text import seeds

_STEMS = st.lists(
    st.sampled_from([f"s{i}" for i in range(30)]), unique=True, min_size=1, max_size=20
)


def _loop(table: dict[str, int], stems: list[str]) -> list[int]:
    """The loop the bulk numbering replaced (echoes)."""
    return [table.setdefault(s, len(table)) for s in stems]


@given(st.lists(_STEMS, max_size=5))
def test_echo_stem_codes_are_the_loops(batches: list[list[str]]) -> None:
    mine: dict[str, int] = {}
    theirs: dict[str, int] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(seeds, "_STEM_NUMBERS", mine)
        for stems in batches:
            text = " ".join("word" for _ in stems)
            p = prepare(Document(id="d", path="d.txt", format="txt", text=text), 3)
            # The document's words: one a token here, each with its own stem.
            n = len(p.tokens)
            assert n == len(stems)
            p.words = Words(np.arange(n), p.weights, stems, np.arange(n))
            got = echoes._stem_arrays(p)
            assert got.codes.tolist() == _loop(theirs, stems)
        assert mine == theirs


_TEXT = st.lists(
    st.sampled_from("peace peaceful Peace forces force 2015 the of hostile hostility".split()),
    min_size=1,
    max_size=30,
).map(" ".join)


@given(st.lists(_TEXT, max_size=4))
def test_a_texts_stem_arrays_are_the_token_loops(texts: list[str]) -> None:
    """A document prepared from its text (no stored words): each token's stem numbered, weighed
    and marked heavy as a loop over its tokens does it."""
    mine: dict[str, int] = {}
    theirs: dict[str, int] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(seeds, "_STEM_NUMBERS", mine)
        for text in texts:
            p = prepare(Document(id="d", path="d.txt", format="txt", text=text), 3)
            got = echoes._stem_arrays(p)
            assert got.codes.tolist() == _loop(theirs, p.roots)
            assert got.content.tolist() == [p.stem_table[r] > 0.0 for r in p.roots]
            assert got.heavy.tolist() == [w >= 1.0 for w in p.weights]
            assert got.distinct.tolist() == sorted(set(got.codes.tolist()))
        assert mine == theirs


@given(st.lists(_STEMS, max_size=5))
def test_rare_stems_are_numbered_as_postings_of_number_them(batches: list[list[str]]) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(seeds, "_STEM_NUMBERS", {})
        expected: dict[str, int] = {}
        for stems in batches:
            n = len(stems)
            flat = paraphrase._Flat(
                stems,
                np.ones(n, dtype=np.int64),
                np.ones(n, dtype=bool),
                np.arange(n + 1, dtype=np.int64),
                np.zeros(n, dtype=np.int64),
                np.ones(n, dtype=np.float64),
            )
            got = flat.postings(16)
            want = [expected.setdefault(s, len(expected)) for s in stems]
            assert sorted(got.stem.tolist()) == sorted(want)
            assert got.names == [s for _, s in sorted(zip(want, stems, strict=True))]
        assert expected == seeds._STEM_NUMBERS
