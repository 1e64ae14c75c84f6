"""Anchored passages get the kind a full comparison gives them (`docdiff.corpus.anchor_kinds`),
and lose the function words on their edges (`trim_edges`)."""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.corpus import anchor_kinds
from docdiff.corpus.anchor_align import Anchored, _edge, trim_edges
from docdiff.corpus.scan import candidate_pairs
from docdiff.engine.classify import inside_quotes
from docdiff.engine.compare import compare
from docdiff.engine.prepare import load_lexicon
from docdiff.index.arrays import DocTokens, doc_tokens, unique_kgrams
from docdiff.model import Document, Kind, Match, PairResult, Span
from docdiff.options import Options
from docdiff.text.tokens import STOPWORDS

K = 8

NAME = "the Conference of the Parties to the United Nations Framework Convention on Climate Change"
QUOTED = (
    "\u201cquiet harbours gather restless lanterns while patient rivers carry forgotten songs\u201d"
)
FORMULA = "Please accept, Excellency, the renewed assurances of my highest consideration"
OPENING = "On behalf of the harbour council we welcome the lantern makers of the northern shore"
PHRASING = (
    "the coastal survey found eroded dunes, flooded marshes and broken seawalls along "
    "forty kilometres of shore"
)
NOTE = (
    "1 The talks had been suspended on 14 April after the delegation asked for time to "
    "consult its Cabinet about the southern boundary and the seabed agreement."
)
"""An editors' note after the text (the text refers to it as [1]): the edition's wording."""


def _filler(rng: random.Random, n: int) -> str:
    return " ".join(f"w{rng.randrange(5000)}" for _ in range(n))


def _corpus() -> list[Document]:
    """Twelve documents of unrelated words; each planted passage in two of them, as a sentence
    of its own (the quotation inside quotation marks in one, plain in the other)."""
    rng = random.Random(7)
    planted = {
        0: NAME, 1: NAME,
        2: QUOTED, 3: QUOTED.strip("\u201c\u201d"),
        4: FORMULA, 5: FORMULA,
        6: PHRASING, 7: PHRASING,
        8: OPENING, 9: OPENING,
    }  # fmt: skip
    docs = []
    for n in range(12):
        body = f"{_filler(rng, 120)}. {planted.get(n, _filler(rng, 20))}. {_filler(rng, 120)}."
        if n in (10, 11):
            body = f"{body}[1]\n\n{NOTE}\n"
        docs.append(Document(id=f"d{n}", path=f"d{n}.txt", format="text", text=body))
    return docs


def _anchored(docs: list[Document]) -> tuple[Anchored, list[DocTokens]]:
    tokens = [doc_tokens(d.text) for d in docs]
    rows = candidate_pairs([unique_kgrams(t.hashes, K) for t in tokens], min_shared=2, max_df=5)
    pairs = [(int(i), int(j)) for i, j, _ in rows.tolist()]
    return Anchored.build(tokens, pairs, K, 5), tokens


def _results(docs: list[Document], *, jobs: int = 1) -> dict[tuple[str, str], PairResult]:
    anchored, tokens = _anchored(docs)
    got = anchored.results(
        [d.id for d in docs], tokens, min_words=4, texts=dict(enumerate(d.text for d in docs)),
        lexicon=load_lexicon(Options()), jobs=jobs,
    )  # fmt: skip
    return {(r.a, r.b): r for r in got}


def _longest(matches: tuple[Match, ...]) -> Match:
    return max(matches, key=lambda m: m.words)


@pytest.mark.parametrize(
    ("pair", "kind"),
    [
        (("d0", "d1"), Kind.NAME),
        (("d2", "d3"), Kind.QUOTATION),
        (("d4", "d5"), Kind.FORMULA),
        (("d6", "d7"), Kind.PHRASING),
    ],
)
def test_an_anchored_passage_has_the_kind_a_comparison_gives_it(
    pair: tuple[str, str], kind: Kind
) -> None:
    docs = _corpus()
    by_id = {d.id: d for d in docs}
    anchored = _longest(_results(docs)[pair].matches)
    (full,) = compare(by_id[pair[0]], by_id[pair[1]]).pairs
    assert anchored.kind is kind, anchored.reason
    assert _longest(full.matches).kind is kind
    assert "anchored" in anchored.reason
    if kind is Kind.FORMULA:
        assert anchored.formula is not None


def test_a_passage_in_both_documents_editorial_notes_is_their_editions_formula() -> None:
    """Two documents sharing only their editors' note: a formula in a scan as in a full
    comparison, out of the distinctive similarity and of the clusters."""
    from docdiff.corpus.cluster import build_clusters

    docs = _corpus()
    by_id = {d.id: d for d in docs}
    result = _results(docs)["d10", "d11"]
    anchored = _longest(result.matches)
    (full,) = compare(by_id["d10"], by_id["d11"]).pairs
    for match in (anchored, _longest(full.matches)):
        assert match.kind is Kind.FORMULA, match.reason
        assert "editorial apparatus" in match.reason
    assert result.summary.distinctive_similarity == full.summary.distinctive_similarity == 0
    assert build_clusters([result, full], docs) == ()


def test_names_and_formulae_count_in_the_similarity_but_not_in_the_distinctive_one() -> None:
    results = _results(_corpus())
    name, phrasing = results["d0", "d1"].summary, results["d6", "d7"].summary
    assert name.similarity > 0
    assert name.distinctive_similarity == 0
    assert phrasing.distinctive_similarity == phrasing.similarity > 0


def test_an_anchored_passage_does_not_start_or_end_on_a_function_word() -> None:
    docs = _corpus()
    m = _longest(_results(docs)["d0", "d1"].matches)
    text = docs[0].text[m.a.span.start : m.a.span.end]
    assert text == NAME.removeprefix("the ")


def test_a_function_word_opening_a_sentence_in_both_documents_stays() -> None:
    docs = _corpus()
    m = _longest(_results(docs)["d8", "d9"].matches)
    assert docs[8].text[m.a.span.start : m.a.span.end] == OPENING


def test_kinds_found_in_a_process_pool_equal_those_found_in_one_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    docs = _corpus()
    one = _results(docs)
    monkeypatch.setattr(anchor_kinds, "_PARALLEL_FROM", 1)
    assert _results(docs, jobs=2) == one


def test_a_place_many_pairs_share_is_read_once_in_each_document(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A passage four documents share stands in their six pairs, two sides each: its place in
    each document is read once (its quotation marks, names, head and the rest), and every pair
    gets the kind a comparison gives it."""
    rng = random.Random(11)
    docs = [
        Document(
            id=f"d{n}",
            path=f"d{n}.txt",
            format="text",
            text=f"{_filler(rng, 120)}. {PHRASING}. {_filler(rng, 120)}.",
        )
        for n in range(4)
    ]
    read: list[tuple[str, Span]] = []

    def counted(text: str, span: Span) -> bool:
        read.append((text, span))
        return inside_quotes(text, span)

    monkeypatch.setattr(anchor_kinds, "inside_quotes", counted)
    got = _results(docs)
    assert len(got) == 6
    assert {_longest(r.matches).kind for r in got.values()} == {Kind.PHRASING}
    assert len(read) == len(set(read)) == 4


_STOP = sorted(STOPWORDS)[:6]


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(
        st.lists(st.sampled_from([*_STOP, "alpha", "beta", "gamma", "delta", "eps"]), max_size=60),
        min_size=2,
        max_size=4,
    ),
    k=st.integers(2, 4),
)
def test_trimmed_passages_lie_inside_the_passages_and_keep_their_words(
    texts: list[list[str]], k: int
) -> None:
    tokens = [doc_tokens(" ".join(t)) for t in texts]
    pairs = [(i, j) for i in range(len(tokens)) for j in range(i + 1, len(tokens))]
    found = Anchored.build(tokens, pairs, k, len(tokens)).passages
    trimmed = trim_edges(found, pairs, tokens)
    assert len(trimmed) == len(found)
    stop = set(STOPWORDS)
    for n in range(len(found)):
        assert found.a0[n] <= trimmed.a0[n] < trimmed.a1[n] <= found.a1[n]
        assert found.b0[n] <= trimmed.b0[n] < trimmed.b1[n] <= found.b1[n]
        q0, q1 = int(found.run_start[n]), int(found.run_start[n + 1])
        shared = int((found.run_a1[q0:q1] - found.run_a0[q0:q1]).sum())
        kept = int((trimmed.run_a1[q0:q1] - trimmed.run_a0[q0:q1]).sum())
        assert kept >= min(shared, 3)
        for q in range(q0, q1):  # runs stay identical stretches, in order
            assert trimmed.run_a1[q] - trimmed.run_a0[q] == trimmed.run_b1[q] - trimmed.run_b0[q]
            assert trimmed.run_a1[q] > trimmed.run_a0[q]
        words = texts[pairs[int(found.pair[n])][0]]
        if kept > 3:  # an edge word that could go is no function word
            assert words[int(trimmed.a0[n])] not in stop or trimmed.a0[n] == found.run_a1[q0] - 1
            last = int(trimmed.a1[n]) - 1
            assert words[last] not in stop or trimmed.a1[n] == trimmed.run_a0[q1 - 1] + 1


@settings(max_examples=200, deadline=None)
@given(
    flags=st.lists(st.booleans(), min_size=1, max_size=40),
    data=st.data(),
)
def test_edges_count_the_flagged_places_in_a_row_up_to_their_caps(
    flags: list[bool], data: st.DataObject
) -> None:
    n = len(flags)
    starts = data.draw(st.lists(st.integers(0, n - 1), max_size=8))
    caps = data.draw(st.lists(st.integers(0, n), min_size=len(starts), max_size=len(starts)))
    step = data.draw(st.sampled_from([1, -1]))
    got = _edge(
        np.asarray(flags),
        np.asarray(starts, dtype=np.int64),
        np.asarray(caps, dtype=np.int64),
        step,
    )
    for start, cap, count in zip(starts, caps, got.tolist(), strict=True):
        want = 0
        while want < cap and 0 <= start + step * want < n and flags[start + step * want]:
            want += 1
        assert count == want


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(
        st.lists(
            st.tuples(st.sampled_from(["alpha", "beta", "gamma", "delta", "re"]), st.booleans()),
            max_size=50,
        ),
        min_size=2,
        max_size=4,
    ),
    k=st.integers(2, 4),
)
def test_trimmed_passages_cut_no_compound(texts: list[list[tuple[str, bool]]], k: int) -> None:
    # Words joined by a hyphen ("re-election") are one compound: a passage that keeps more
    # than its least words never ends inside one, in either document.
    joined = ["".join(w + ("-" if hyphen else " ") for w, hyphen in t).strip("- ") for t in texts]
    tokens = [doc_tokens(text) for text in joined]
    pairs = [(i, j) for i in range(len(tokens)) for j in range(i + 1, len(tokens))]
    found = Anchored.build(tokens, pairs, k, len(tokens)).passages
    trimmed = trim_edges(found, pairs, tokens, dict(enumerate(joined)))
    for n in range(len(found)):
        assert found.a0[n] <= trimmed.a0[n] < trimmed.a1[n] <= found.a1[n]
        q0, q1 = int(found.run_start[n]), int(found.run_start[n + 1])
        kept = int((trimmed.run_a1[q0:q1] - trimmed.run_a0[q0:q1]).sum())
        assert kept >= min(int((found.run_a1[q0:q1] - found.run_a0[q0:q1]).sum()), 3)
        if kept <= 3 or trimmed.a1[n] - trimmed.run_a0[q1 - 1] <= 1:
            continue
        for side, doc in ((trimmed.a1, 0), (trimmed.b1, 1)):
            d = pairs[int(found.pair[n])][doc]
            end = int(tokens[d].ends[int(side[n]) - 1])
            assert joined[d][end : end + 1] != "-" or kept <= 3


def test_an_anchored_passage_does_not_open_on_a_dateline() -> None:
    """Two notes of one series (DFAT volume 11: "July 1947, 6.30 p.m.\\n\\nIMMEDIATE SECRET
    …") were anchored passages opening on their datelines' shared words; a comparison keeps
    the dateline apart from the section after it (`classify._rejoined_kind`)."""
    rng = random.Random(3)
    docs = [
        Document(id=f"u{n}", path="", format="text", text=f"{_filler(rng, 200)}.") for n in range(6)
    ]
    for n in range(2):
        text = f"Canberra, 5 August 1955\n\n{PHRASING.capitalize()}. {_filler(rng, 150)}.\n"
        docs.append(Document(id=f"dated{n}", path="", format="text", text=text))
    match = _longest(_results(docs)["dated0", "dated1"].matches)
    assert docs[6].text[match.a.span.start : match.a.span.end] == PHRASING[0].upper() + PHRASING[1:]


def _planted(seed: int, make: Callable[[random.Random, int], str]) -> tuple[Match, str, str]:
    """The longest anchored passage of two documents `make` writes (n = 0, 1), among six of
    unrelated words, with the two texts."""
    rng = random.Random(seed)
    docs = [
        Document(id=f"u{n}", path="", format="text", text=f"{_filler(rng, 200)}.") for n in range(6)
    ]
    planted = [make(rng, n) for n in range(2)]
    docs += [Document(id=f"p{n}", path="", format="text", text=t) for n, t in enumerate(planted)]
    return _longest(_results(docs)["p0", "p1"].matches), planted[0], planted[1]


def _shown(match: Match, a: str, b: str) -> list[str]:
    return [a[match.a.span.start : match.a.span.end], b[match.b.span.start : match.b.span.end]]


def test_an_anchored_passage_neither_opens_nor_closes_inside_a_notes_call() -> None:
    """A scan's passage, like a comparison's, keeps a note's call whole or leaves it out:
    DFAT volume 4's clusters showed "FOR CHIEF OF NAVAL STAFF [1] FROM NAVAL ATTACHE [2" and
    "2] was present for the discussion of this subject"."""
    who = ("Minister for Supply", "Chief of Naval Staff")
    match, a, b = _planted(
        5,
        lambda rng, n: (
            f"{_filler(rng, 80)}. The {who[n]} [2] was present for the discussion of this "
            f"subject [3] {_filler(rng, 80)}.\n"
        ),
    )
    assert _shown(match, a, b) == ["was present for the discussion of this subject"] * 2


def test_an_anchored_passage_neither_opens_nor_closes_inside_a_lists_marker() -> None:
    match, a, b = _planted(
        6,
        lambda rng, n: (
            f"{_filler(rng, 80)} (b) sovereignty throughout the islands shall remain with "
            f"the crown (c) {_filler(rng, 80)}.\n"
        ),
    )
    assert (
        _shown(match, a, b)
        == ["sovereignty throughout the islands shall remain with the crown"] * 2
    )


def test_an_anchored_passage_does_not_end_on_the_next_lines_number() -> None:
    """6,705 passages of a scan of the whole DFAT corpus ended on the number opening the next
    note ("1 Sir Maurice Hankey, Secretary to the Cabinet.\\n\\n2"), or the one after a
    signature ("Yours sincerely, R. G. CASEY\\n\\n_1"), which a comparison leaves out."""
    match, a, b = _planted(
        8,
        lambda rng, n: (
            f"{_filler(rng, 80)}.\n\nI have the honour to remain your obedient harbour master "
            f"Jonathan Quill\n\n_1 {_filler(rng, 40)}.\n"
        ),
    )
    assert all(shown.endswith("Jonathan Quill") for shown in _shown(match, a, b))


def test_an_anchored_passage_in_both_letters_heads_is_a_formula() -> None:
    from docdiff.text.markings import HEAD_REASON

    match, _, _ = _planted(
        9,
        lambda rng, n: (
            f"{10 + n}th May, 1927\n\nPERSONAL AND CONFIDENTIAL FOR THE PRIME MINISTER\n\n"
            f"My dear Prime Minister,\n\n{_filler(rng, 120)}.\n"
        ),
    )
    assert match.kind is Kind.FORMULA, match.reason
    assert match.reason.startswith(HEAD_REASON), match.reason


def test_an_anchored_passage_keeps_the_words_closing_its_sentence() -> None:
    """A scan's passage, like a comparison's (`pieces.closes_sentence`), keeps the function
    words that close its sentence in both documents: git's notes showed "… but the code counted
    poorly" for "… counted poorly and did so.", in a bullet list ("* A …" opens a sentence)."""
    said = (
        "A repack was triggered when only one pack existed but the code counted poorly and did so"
    )
    match, a, b = _planted(
        9,
        lambda rng, n: f"{_filler(rng, 80)}.\n\n * {said}.\n\n * {_filler(rng, 80)}.\n",
    )
    assert _shown(match, a, b) == [said, said]
