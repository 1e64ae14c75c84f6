"""The bulk (numpy) seeding, runs and chains give exactly what the word-by-word loops gave."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docdiff.engine.align import Run, chain_runs, find_runs, seed_index, shared_seeds
from docdiff.text.seeds import kgram_hashes

_MAX_PREDECESSORS = 48


def reference_runs(
    a_ids: Sequence[int],
    b_ids: Sequence[int],
    a_hashes: Sequence[int],
    b_positions: dict[int, list[int]],
    seedable: Sequence[bool],
    k: int,
    max_occurrences: int = 64,
) -> list[Run]:
    """The scalar find_runs of docdiff 0.x, kept as the slow reference."""
    by_diagonal: dict[int, list[int]] = defaultdict(list)
    for i, h in enumerate(a_hashes):
        if not seedable[i]:
            continue
        js = b_positions.get(h)
        if js is None or len(js) > max_occurrences:
            continue
        for j in js:
            by_diagonal[j - i].append(i)
    na, nb = len(a_ids), len(b_ids)
    runs: list[Run] = []
    for d, starts in by_diagonal.items():
        starts.sort()
        last_end = -1
        for i in starts:
            if i < last_end:
                continue
            j = i + d
            if a_ids[i : i + k] != b_ids[j : j + k]:
                continue
            a0, b0 = i, j
            while a0 > 0 and b0 > 0 and a_ids[a0 - 1] == b_ids[b0 - 1]:
                a0 -= 1
                b0 -= 1
            a1, b1 = i + k, j + k
            while a1 < na and b1 < nb and a_ids[a1] == b_ids[b1]:
                a1 += 1
                b1 += 1
            if a0 < last_end:
                continue
            runs.append(Run(a0, a1, b0, b1))
            last_end = a1
    runs.sort(key=lambda r: (r.a0, r.b0))
    return runs


def reference_chains(runs: Sequence[Run], max_gap: int) -> list[list[Run]]:
    """The scalar chain_runs of docdiff 0.x, kept as the slow reference."""
    if not runs:
        return []
    n = len(runs)
    best = [float(r.length) for r in runs]
    pred = [-1] * n
    by_end = sorted(range(n), key=lambda x: runs[x].a1)
    ends = [runs[x].a1 for x in by_end]
    for idx in range(n):
        r = runs[idx]
        lo = bisect.bisect_left(ends, r.a0 - max_gap)
        hi = bisect.bisect_right(ends, r.a1 - 1)
        checked = 0
        for pos in range(hi - 1, lo - 1, -1):
            p_idx = by_end[pos]
            p = runs[p_idx]
            if p_idx == idx or p.a0 >= r.a0 or p.b0 >= r.b0 or p.b1 >= r.b1:
                continue
            gap_a = r.a0 - p.a1
            gap_b = r.b0 - p.b1
            if gap_a > max_gap or gap_b > max_gap or gap_b < -r.length:
                continue
            checked += 1
            overlap = max(0, -gap_a, -gap_b)
            gain = r.length - overlap - 0.5 * max(gap_a, gap_b, 0) - 0.25 * abs(gap_a - gap_b)
            score = best[p_idx] + gain
            if score > best[idx]:
                best[idx] = score
                pred[idx] = p_idx
            if checked >= _MAX_PREDECESSORS:
                break
    order = sorted(range(n), key=lambda x: (-best[x], runs[x].a0, runs[x].b0))
    used = [False] * n
    chains: list[list[Run]] = []
    for end in order:
        if used[end]:
            continue
        chain = []
        cur = end
        while cur != -1 and not used[cur]:
            used[cur] = True
            chain.append(runs[cur])
            cur = pred[cur]
        chain.reverse()
        chains.append(chain)
    return chains


def _fast_runs(a: list[int], b: list[int], seedable: list[bool], k: int, occ: int) -> list[Run]:
    ha = np.asarray(kgram_hashes([str(x) for x in a], k), dtype=np.uint64)
    hb = np.asarray(kgram_hashes([str(x) for x in b], k), dtype=np.uint64)
    mask = np.asarray(seedable, dtype=bool)
    sa, sb = shared_seeds(ha, mask, seed_index(hb), max_occurrences=occ)
    runs = find_runs(a, b, sa, sb, k)
    # Looking B's k-grams up in A's index (for a much longer A) finds the same seeds.
    ta, tb = shared_seeds(ha, mask, seed_index(hb), max_occurrences=occ, a_index=seed_index(ha))
    assert sorted(zip(ta.tolist(), tb.tolist(), strict=True)) == sorted(
        zip(sa.tolist(), sb.tolist(), strict=True)
    )
    # In another order (A's k-grams searched sorted, or B's looked up in A): the same runs.
    assert find_runs(a, b, ta, tb, k) == runs
    return runs


def _slow_runs(a: list[int], b: list[int], seedable: list[bool], k: int, occ: int) -> list[Run]:
    ha = kgram_hashes([str(x) for x in a], k)
    hb = kgram_hashes([str(x) for x in b], k)
    positions: dict[int, list[int]] = defaultdict(list)
    for j, h in enumerate(hb):
        positions[h].append(j)
    return reference_runs(a, b, ha, positions, seedable, k, occ)


# Small alphabets, so that documents share many runs, repeats and crossing diagonals.
_words = st.lists(st.integers(0, 5), max_size=120)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    a=_words,
    b=_words,
    k=st.integers(2, 4),
    occ=st.sampled_from([2, 8, 64]),
    gap=st.integers(0, 8),
    mask_seed=st.integers(0, 2**32 - 1),
)
def test_runs_and_chains_match_the_scalar_reference(
    a: list[int], b: list[int], k: int, occ: int, gap: int, mask_seed: int
) -> None:
    rng = np.random.default_rng(mask_seed)
    seedable = (rng.random(max(0, len(a) - k + 1)) < 0.8).tolist()
    fast = _fast_runs(a, b, seedable, k, occ)
    slow = _slow_runs(a, b, seedable, k, occ)
    assert fast == slow
    assert chain_runs(fast, gap) == reference_chains(slow, gap)


def test_repeated_passages_chain_like_the_reference() -> None:
    # A text repeating one sentence (many equal runs on many diagonals) and a long document.
    rng = np.random.default_rng(7)
    base = rng.integers(0, 400, size=3000).tolist()
    a = base[:1500] + base[200:260] * 5 + base[1500:]
    b = base[1000:2800] + base[100:400] + base[:900]
    seedable = [True] * (len(a) - 2)
    fast = _fast_runs(a, b, seedable, 3, 64)
    slow = _slow_runs(a, b, seedable, 3, 64)
    assert fast == slow
    assert len(fast) > 10
    for gap in (0, 6, 30):
        assert chain_runs(fast, gap) == reference_chains(slow, gap)


_VOCAB = (
    "sovereignty provocation fabrication impartiality objectivity sanctions peninsula "
    "nuclear dialogue hostile forces the of and to in development peace security"
).split()


@st.composite
def _doc(draw: st.DrawFn) -> tuple[list[str], list[tuple[int, int]], list[int], list[bool]]:
    words = draw(st.lists(st.sampled_from(_VOCAB), min_size=1, max_size=150))
    n = len(words)
    cuts = sorted(set(draw(st.lists(st.integers(1, max(1, n - 1)), max_size=12))) - {n})
    bounds = [0, *cuts, n]
    units = [(bounds[u], bounds[u + 1]) for u in range(len(bounds) - 1)]
    paragraphs = []
    par = 0
    for _ in units:
        par += draw(st.integers(0, 1))
        paragraphs.append(par)
    base = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    base = [b and draw(st.integers(0, 9)) == 0 for b in base]  # formula tokens are few
    return words, units, paragraphs, base


@st.composite
def _extra(draw: st.DrawFn, n: int) -> list[tuple[int, int]]:
    ranges = []
    for _ in range(draw(st.integers(0, 4))):
        i0 = draw(st.integers(0, n))
        ranges.append((i0, min(n, i0 + draw(st.integers(0, 30)))))
    return ranges


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(a=_doc(), b=_doc(), data=st.data())
def test_paraphrase_with_unit_indexes_equals_from_scratch(
    a: tuple[list[str], list[tuple[int, int]], list[int], list[bool]],
    b: tuple[list[str], list[tuple[int, int]], list[int], list[bool]],
    data: st.DataObject,
) -> None:
    from docdiff.engine.paraphrase import find_paraphrases, unit_index
    from docdiff.text.rarity import word_weight as weight_of

    def word_weight(key: str) -> float:
        return weight_of(key, key, "en")

    (ka, ua, pa, base_a), (kb, ub, pb, base_b) = a, b
    ra = data.draw(_extra(len(ka)))
    rb = data.draw(_extra(len(kb)))

    def cover(base: list[bool], ranges: list[tuple[int, int]]) -> list[bool]:
        out = list(base)
        for i0, i1 in ranges:
            out[i0:i1] = [True] * (i1 - i0)
        return out

    ca, cb = cover(base_a, ra), cover(base_b, rb)
    scratch = find_paraphrases(
        ka, kb, ca, cb, word_weight, a_units=ua, b_units=ub, a_paragraphs=pa, b_paragraphs=pb,
        min_shared=2,
    )  # fmt: skip
    ia = unit_index(ka, base_a, word_weight, ua, pa)
    ib = unit_index(kb, base_b, word_weight, ub, pb)
    kept = find_paraphrases(
        ka, kb, ca, cb, word_weight, a_index=ia, b_index=ib, a_changed=ra, b_changed=rb,
        min_shared=2,
    )  # fmt: skip
    compared = find_paraphrases(ka, kb, ca, cb, word_weight, a_index=ia, b_index=ib, min_shared=2)
    assert kept == scratch
    assert compared == scratch


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab Cé-\n\t'’.,_漢字 \u00ad1"), max_size=200))
def test_tokens_at_the_spans_equal_tokenize(text: str) -> None:
    from docdiff.text.tokens import tokenize, tokens_at

    t = tokenize(text)
    assert tokens_at(text, t.starts, t.ends) == t


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab Cé-\n\t'’.,\u00ad1\u200c\u0301xyZ"), max_size=300))
def test_tokenize_in_one_split_equals_match_by_match(text: str) -> None:
    from docdiff.text.tokens import _tokenize_each, tokenize

    assert tokenize(text) == _tokenize_each(text)
