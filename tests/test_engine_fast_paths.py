"""The engine's bulk paths equal the plain loops they replace (kept here as the reference).

Reworded echoes look at the close stem pairs both texts hold (a few times each) in bulk
(numpy), a k-gram's occurrences are counted from the sorted seeds, and a gap between two pieces
is compared word by word only when its sides could be alike: each is checked against the slow,
obvious version.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from unittest import mock

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import Indel

from docdiff.engine import echoes, pieces
from docdiff.engine.prepare import Prepared, prepare
from docdiff.loaders import load_text
from tests._fast_paths import LAWS
from tests._fast_paths import texts as fast_texts

Parts = list[tuple[str, str]]
texts = fast_texts(80)


def _prepared(parts: Parts, doc_id: str) -> Prepared:
    text = "".join(w + s for w, s in parts).strip() or "empty"
    return prepare(load_text(text, doc_id=doc_id), 3)


def _reference_close_pairs(
    p: Prepared, keep: set[str]
) -> dict[frozenset[str], list[tuple[int, int]]]:
    """The loop `echoes._close_pairs` replaced: every token of a kept, weighed stem, paired with
    the next ones within `_ECHO_REACH` words and before the next paragraph break."""
    roots = p.roots
    content = [i for i in range(len(p.tokens)) if roots[i] in keep and p.stem_weight(roots[i]) > 0]
    out: dict[frozenset[str], list[tuple[int, int]]] = defaultdict(list)
    breaks = p.break_list
    for n, i in enumerate(content):
        k = bisect.bisect_right(breaks, i)
        limit = (
            min(i + echoes._ECHO_REACH, breaks[k] - 1)
            if k < len(breaks)
            else i + echoes._ECHO_REACH
        )
        for j in content[n + 1 :]:
            if j > limit:
                break
            if roots[i] != roots[j] and max(p.weights[i], p.weights[j]) >= 1.0:
                out[frozenset((roots[i], roots[j]))].append((i, j))
    return out


@LAWS
@given(texts, texts, st.integers(1, 3))
def test_few_shared_close_pairs_equal_the_plain_loop(left: Parts, right: Parts, most: int) -> None:
    a, b = _prepared(left, "a"), _prepared(right, "b")
    both = set(a.roots) & set(b.roots)
    ref_a, ref_b = _reference_close_pairs(a, both), _reference_close_pairs(b, both)
    shared = sorted(ref_a.keys() & ref_b.keys(), key=lambda k: ref_a[k][0])
    expected = [
        (k, ref_a[k], ref_b[k]) for k in shared if len(ref_a[k]) <= most and len(ref_b[k]) <= most
    ]
    assert echoes._few_shared_close_pairs(a, b, most) == expected


@LAWS
@given(texts)
def test_occurrences_count_the_positions(parts: Parts) -> None:
    p = _prepared(parts, "a")
    for h in [*p.hashes, 12345]:
        assert echoes._occurrences(p, h) == len(p.positions.get(h, ()))


@LAWS
@given(
    st.lists(st.integers(0, 5), max_size=40),
    st.lists(st.integers(0, 5), max_size=40),
    st.integers(0, 12),
    st.integers(0, 12),
)
def test_unrelated_gap_equals_comparing_its_words(
    xs: list[int], ys: list[int], left: int, right: int
) -> None:
    a = _prepared([], "a")
    b = _prepared([], "b")
    a.ids, b.ids = xs, ys
    gap = (0, len(xs), 0, len(ys))
    words = 6
    plain = not (
        min(len(xs), len(ys)) < pieces._UNRELATED_GAP
        or min(left, right) >= words
        or Indel.normalized_similarity(xs, ys, processor=None) >= pieces._GAP_LIKENESS
    )
    assert pieces._unrelated(a, b, gap, left, right, words) == plain


def test_the_generated_texts_do_share_close_pairs() -> None:
    """The law above is not vacuous: texts of this vocabulary do share close stem pairs."""
    a = _prepared([("hostile", " "), ("forces", " "), ("protection", " "), ("rights", ". ")], "a")
    b = _prepared([("rights", " "), ("protection", " "), ("hostile", " "), ("forces", " ")], "b")
    got = echoes._few_shared_close_pairs(a, b, 2)
    assert got
    both = set(a.roots) & set(b.roots)
    assert {k: xs for k, xs, _ in got}.items() <= _reference_close_pairs(a, both).items()


def _reference_bigrams(p: Prepared) -> dict[tuple[str, str], list[int]]:
    """The loop `echoes._shared_bigrams` replaced: every two-word phrase of weighed words
    within a paragraph, with its places."""
    out: dict[tuple[str, str], list[int]] = defaultdict(list)
    keys, weights, breaks = p.tokens.keys, p.weights, set(p.break_list)
    for i in range(len(keys) - 1):
        if weights[i] > 0 and weights[i + 1] > 0 and i + 1 not in breaks:
            out[(keys[i], keys[i + 1])].append(i)
    return out


@LAWS
@given(texts, texts, st.sampled_from([echoes._BIGRAM_MIX, np.uint64(0), np.uint64(1)]))
def test_shared_bigrams_equal_the_plain_loop(left: Parts, right: Parts, mix: np.uint64) -> None:
    """Also when codes collide (a mix of 0 or 1 gives many phrases one code)."""
    a, b = _prepared(left, "a"), _prepared(right, "b")
    ref_a, ref_b = _reference_bigrams(a), _reference_bigrams(b)
    both = ref_a.keys() & ref_b.keys()
    with mock.patch.object(echoes, "_BIGRAM_MIX", mix):
        a.derived.pop("bigram_codes", None)
        b.derived.pop("bigram_codes", None)
        got_a, got_b = echoes._shared_bigrams(a, b)
    assert got_a == {k: ref_a[k] for k in both}
    assert got_b == {k: ref_b[k] for k in both}
    assert list(got_a) == list(got_b)
