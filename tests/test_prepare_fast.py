"""Faster loops of tokenizing, weighing and selecting pieces equal the loops they replaced.

`fuzzy_key` runs each spelling pattern only on a word holding its letters, `token_weights`
maps the cached weight over the tokens, `select_pieces` counts the covered tokens of a
piece with ``bytearray.count``, and `_piece_match` keeps its shared words in a dict. The
versions they replaced are kept here as references.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.engine import classify
from docdiff.engine.align import Op, Piece, piece_of, select_pieces
from docdiff.engine.prepare import FORMULA_KGRAM, Prepared, prepare
from docdiff.loaders import load_text
from docdiff.model import AlignOp, Kind, Match, Passage
from docdiff.text import tokens
from docdiff.text.rarity import token_weights, word_weight
from docdiff.text.tokens import tokenize

_OUR_RE = re.compile(r"(?<=[a-z]{3})our")
_ISE_RE = re.compile(r"(?<=[a-z]{3})([iy])s(e|ed|es|ing|ation|ations|er|ers)$")
_TRE_RE = re.compile(r"(?<=[a-z]{2})tre(s?)$")
_LL_RE = re.compile(r"(?<=[aeiou])ll(ed|ing|er|ers)$")


def _fuzzy_key(form: str) -> str:
    """`fuzzy_key` as it was: every pattern on every word."""
    word = tokens._IRREGULAR.get(form)
    if word is not None:
        return word
    if len(form) <= 3 or not form.isascii() or not form.isalpha():
        return form
    word = form
    word = _OUR_RE.sub("or", word)
    word = _ISE_RE.sub(r"\1z\2", word)
    word = _LL_RE.sub(r"l\1", word)
    word = _TRE_RE.sub(r"ter\1", word)
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "ches", "shes", "xes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is", "ous")) and len(word) > 3:
        word = word[:-1]
    if word.endswith("ied") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("ed") and len(word) > 4 and tokens._has_vowel(word[:-2]):
        word = tokens._undouble(word[:-2])
    elif word.endswith("ing") and len(word) > 5 and tokens._has_vowel(word[:-3]):
        word = tokens._undouble(word[:-3])
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


_ENDINGS = ["", "our", "ours", "yse", "ysed", "ise", "isation", "lled", "lling", "tre", "tres"]
_ENDINGS += ["ies", "ied", "ing", "ed", "es", "s", "e", "ous", "ss"]
_SPELLINGS = st.builds(
    str.__add__,
    st.text(alphabet=st.sampled_from("ouryislltreadngcx"), max_size=10),
    st.sampled_from(_ENDINGS),
)


@settings(max_examples=1000, deadline=None)
@given(_SPELLINGS)
def test_fuzzy_key_equals_every_pattern_on_every_word(form: str) -> None:
    assert tokens.fuzzy_key.__wrapped__(form) == _fuzzy_key(form)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["The", "the", "honour", "Honour", "7", "a", "Pam", "é"])))
def test_token_weights_equal_weighing_token_by_token(words: list[str]) -> None:
    t = tokenize(" ".join(words))
    lang = t.language()
    assert token_weights(t) == [
        word_weight(f, k, lang) for f, k in zip(t.forms, t.keys, strict=True)
    ]


def _select_reference(pieces: Sequence[Piece], weights: Sequence[float] | None) -> list[Piece]:
    """`select_pieces` as it was (covered tokens summed)."""
    if not pieces:
        return []
    na = max(p.a1 for p in pieces)
    nb = max(p.b1 for p in pieces)
    cover_a = bytearray(na)
    cover_b = bytearray(nb)
    kept: list[Piece] = []
    chain_a: list[int] = []
    chain_b: list[int] = []
    deferred: list[Piece] = []

    def new_on_both(p: Piece) -> bool:
        new_a = (p.a1 - p.a0) - sum(cover_a[p.a0 : p.a1])
        new_b = (p.b1 - p.b0) - sum(cover_b[p.b0 : p.b1])
        return new_a >= max(1, (p.a1 - p.a0 + 1) // 2) and new_b >= max(1, (p.b1 - p.b0 + 1) // 2)

    def keep(p: Piece) -> None:
        kept.append(p)
        cover_a[p.a0 : p.a1] = b"\x01" * (p.a1 - p.a0)
        cover_b[p.b0 : p.b1] = b"\x01" * (p.b1 - p.b0)

    def strength(p: Piece) -> float:
        if weights is None:
            return float(p.equal)
        return sum(weights[i] for op in p.ops if op.tag == "equal" for i in range(op.i1, op.i2))

    ranked = sorted(pieces, key=lambda p: (-round(strength(p), 6), -p.equal, p.a0 + p.b0, p.a0))
    for p in ranked:
        if not new_on_both(p):
            continue
        k = bisect.bisect_left(chain_a, p.a0)
        before_ok = k == 0 or chain_b[k - 1] < p.b0
        after_ok = k == len(chain_a) or chain_b[k] > p.b0
        if not (before_ok and after_ok):
            deferred.append(p)
            continue
        keep(p)
        chain_a.insert(k, p.a0)
        chain_b.insert(k, p.b0)
    for p in deferred:
        if new_on_both(p):
            keep(p)
    if deferred:
        cover_a[:] = bytes(na)
        cover_b[:] = bytes(nb)
        rank = {id(p): n for n, p in enumerate(ranked)}
        ranked_kept = sorted(kept, key=lambda p: rank[id(p)])
        kept = []
        for p in ranked_kept:
            if new_on_both(p):
                keep(p)
    kept.sort(key=lambda p: (p.a0, p.b0))
    return kept


_PIECE = st.tuples(st.integers(0, 40), st.integers(0, 40), st.integers(1, 8), st.integers(0, 3))


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECE, max_size=30), st.booleans(), st.integers(0, 9))
def test_select_pieces_equals_summing_the_covers(
    specs: list[tuple[int, int, int, int]], weighed: bool, seed: int
) -> None:
    pieces = []
    for a0, b0, size, gap in specs:
        # Two equal runs with an edit of `gap` words between (none when 0).
        ops = [Op("equal", a0, a0 + size, b0, b0 + size)]
        if gap:
            ops.append(Op("replace", a0 + size, a0 + size + gap, b0 + size, b0 + size + gap))
            start_a, start_b = a0 + size + gap, b0 + size + gap
            ops.append(Op("equal", start_a, start_a + size, start_b, start_b + size))
        pieces.append(piece_of(ops))
    weights = [((n * 7 + seed) % 5) / 4 for n in range(100)] if weighed else None
    assert select_pieces(pieces, weights) == _select_reference(pieces, weights)


def _piece_match_reference(a: Prepared, b: Prepared, piece: Piece) -> Match:
    """`_piece_match` as it was (shared words in a list, searched for each token)."""
    ta, tb = a.tokens, b.tokens
    ops: list[AlignOp] = []
    form_diffs = 0
    shared: list[str] = []
    for tag, i1, i2, j1, j2 in piece.ops:
        ops.append(
            AlignOp(classify._tag(tag), classify._range(ta, i1, i2), classify._range(tb, j1, j2))
        )
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                if ta.forms[i] != tb.forms[j]:
                    form_diffs += 1
                if a.weights[i] > 0 and ta.forms[i] not in shared:
                    shared.append(ta.forms[i])
    la, lb = piece.a1 - piece.a0, piece.b1 - piece.b0
    score = 100.0 * (2 * piece.equal - 0.5 * form_diffs) / max(1, la + lb)
    return Match(
        a=Passage(a.doc.id, classify.enclosed(a.doc.text, ta.range_span(piece.a0, piece.a1))),
        b=Passage(b.doc.id, classify.enclosed(b.doc.text, tb.range_span(piece.b0, piece.b1))),
        kind=Kind.PHRASING,
        score=round(max(0.0, min(100.0, score)), 1),
        words=piece.equal,
        ops=tuple(ops),
        reason="r",
        shared=tuple(shared),
    )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["Honour", "honour", "the", "rights", "Rights", "7"]), min_size=4),
    st.data(),
)
def test_piece_match_equals_the_list_of_shared_words(words: list[str], data: st.DataObject) -> None:
    a = prepare(load_text(" ".join(words), doc_id="A"))
    b = prepare(load_text(" ".join(reversed(words)), doc_id="B"))
    n = len(words)
    size = data.draw(st.integers(1, n // 2))
    i0, j0 = data.draw(st.integers(0, n - 2 * size)), data.draw(st.integers(0, n - 2 * size))
    ops = [Op("equal", i0, i0 + size, j0, j0 + size)]
    ops.append(Op("equal", i0 + size, i0 + 2 * size, j0 + size, j0 + 2 * size))
    piece = piece_of(ops)
    got = classify._piece_match(a, b, piece, Kind.PHRASING, "r")
    assert got == _piece_match_reference(a, b, piece)
    # The piece's content words and its share of corpus-common k-grams, as the loops found
    # them token by token.
    forms: dict[str, bool] = {}
    for op in piece.ops:
        for i in range(op.i1, op.i2):
            if a.weights[i] > 0 and a.tokens.forms[i] not in forms:
                forms[a.tokens.forms[i]] = a.weights[i] >= 1.0
    assert classify._content_words(a, piece) == (tuple(forms), sum(forms.values()))
    shares = {h: (h % 7) / 6 for h in a.hashes}
    starts = range(piece.a0, max(piece.a0 + 1, piece.a1 - a.k + 1))
    hashes = [a.hashes[i] for i in starts if i < len(a.hashes)]
    expected = sum(1 for h in hashes if shares[h] >= FORMULA_KGRAM) / len(hashes) if hashes else 0.0
    assert classify._corpus_common_share(a, piece, shares.__getitem__) == expected


_WORDY = st.lists(
    st.sampled_from(
        "the peace treaty treaties signed signing 1945 A/75/150 council councils of and "
        "Council Delegation delegations 3rd resolution resolutions".split()
    ),
    max_size=60,
).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(_WORDY)
def test_stem_table_is_stem_weights_of_the_roots(text: str) -> None:
    """The bulk `Prepared.stem_table` is `stem_weights` over the roots, numbers weighing 0."""
    from docdiff.engine.prepare import has_digit
    from docdiff.text.rarity import stem_weights

    p = prepare(load_text(text, doc_id="t"))
    expected = {s: 0.0 if has_digit(s) else w for s, w in stem_weights(p.roots, p.weights).items()}
    assert dict(p.stem_table) == expected
    assert list(p.stem_table) == list(expected)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=6), max_size=80))
def test_seed_index_orders_as_a_stable_sort(values: list[int]) -> None:
    """`seed_index` puts repeated hashes' positions in ascending order, as a stable sort."""
    import numpy as np

    from docdiff.engine.align import seed_index

    hashes = np.array(values, dtype=np.uint64)
    index = seed_index(hashes)
    order = hashes.argsort(kind="stable")
    assert index.positions.tolist() == order.tolist()
    assert index.hashes.tolist() == hashes[order].tolist()
