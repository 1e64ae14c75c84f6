"""In a corpus, a reworded passage whose shared stems many documents hold together is its topic.

The UN speeches of one year share their topics' words: a sentence on civil society and the
private sector, or on nuclear tests and Security Council resolutions, shares five to ten stems
with a sentence of another speech on the same topic, and the rewording search took such pairs
for paraphrases (52 in a scan of the speeches of 2017, nearly all of them topic). In a scan, a
reworded passage whose stems nearly all (`TOPIC_SHARE`) stand together, in one window of
`TOPIC_WINDOW` tokens, in more documents than a rare k-gram may be in (`default_max_df`) is left
out, unless a verbatim passage supports it; a comparison without a corpus keeps it.
"""

from __future__ import annotations

import math
import random
import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.corpus.query import _sources, compare_in_index, keep_word_postings, query
from docdiff.corpus.scan import (
    TOPIC_SHARE,
    TOPIC_WINDOW,
    WordPostings,
    _run_alignment,
    default_max_df,
    finish_scan,
    plan_scan,
    scan,
)
from docdiff.engine.compare import compare, compare_prepared
from docdiff.engine.prepare import CorpusTopic, prepare
from docdiff.index import CorpusIndex
from docdiff.index.arrays import DocTokens
from docdiff.loaders import load_text
from docdiff.model import Document, Kind, Report
from docdiff.options import Options
from docdiff.text.seeds import token_hash
from tests._made_up import filler as _filler

TOPIC_A = (
    "Rising ocean acidification is bleaching the coral reefs, and with them the marine "
    "biodiversity and the fisheries of our islands."
)
TOPIC_B = (
    "Our fisheries and marine biodiversity depend on coral reefs, which ocean acidification "
    "now bleaches."
)
ON_THE_TOPIC = (
    (
        "Ocean acidification bleaches coral reefs, and the fisheries and marine biodiversity they "
        "sustain suffer."
    ),
    (
        "We see coral reefs bleaching under ocean acidification, and our fisheries and marine "
        "biodiversity decline."
    ),
    (
        "Marine biodiversity, fisheries and coral reefs are all harmed as ocean acidification "
        "bleaches them."
    ),
    (
        "The bleaching of coral reefs by ocean acidification threatens fisheries and marine "
        "biodiversity alike."
    ),
    "Coral reefs bleach, fisheries fail and marine biodiversity is lost to ocean acidification.",
    "Fisheries and marine biodiversity need coral reefs that ocean acidification is bleaching.",
    (
        "With ocean acidification our coral reefs are bleaching, and fisheries and marine "
        "biodiversity with them."
    ),
)
OWN_A = (
    "The lighthouse keepers asked that lantern oil be paid from the harbour dues collected each "
    "spring by the wardens."
)
OWN_B = (
    "Harbour dues, which the wardens collect each spring, should pay for the lantern oil the "
    "lighthouse keepers asked for."
)


def _document(rng: random.Random, name: str, parts: list[str]) -> Document:
    """Paragraphs of filler with `parts` between them."""
    paragraphs = []
    for part in parts:
        paragraphs += [_filler(rng, 6), part]
    return load_text("\n\n".join([*paragraphs, _filler(rng, 6)]), doc_id=name)


def _corpus() -> list[Document]:
    """Two pairs, each sharing a verbatim paragraph far from a reworded sentence: a and b
    reword a sentence on a topic seven more documents discuss in the same words, c and d one
    on a matter no other document mentions."""
    rng = random.Random(7)
    shared_ab, shared_cd = _filler(random.Random(1), 3), _filler(random.Random(2), 3)
    docs = [
        _document(rng, "a.txt", [shared_ab, _filler(rng, 8), TOPIC_A]),
        _document(rng, "b.txt", [shared_ab, _filler(rng, 8), TOPIC_B]),
        _document(rng, "c.txt", [shared_cd, _filler(rng, 8), OWN_A]),
        _document(rng, "d.txt", [shared_cd, _filler(rng, 8), OWN_B]),
    ]
    return docs + [_document(rng, f"t{n}.txt", [t]) for n, t in enumerate(ON_THE_TOPIC)]


def _paraphrases(report: Report) -> dict[tuple[str, str], int]:
    """Reworded passages by pair."""
    out: dict[tuple[str, str], int] = {}
    for pair in report.pairs:
        for m in pair.matches:
            if m.kind is Kind.PARAPHRASE:
                out[pair.a, pair.b] = out.get((pair.a, pair.b), 0) + 1
    return out


def _scan(docs: list[Document], *, topic: bool) -> Report:
    """A scan of `docs`; without `topic`, the corpus's word postings are left out."""
    plan = plan_scan(docs)
    if not topic:
        plan.words = None
    return finish_scan(plan, _run_alignment(plan.aligner(), plan.pairs, 1, None))


def test_a_rewording_of_the_corpus_topic_is_no_paraphrase_in_a_scan() -> None:
    docs = _corpus()
    scanned = _paraphrases(_scan(docs, topic=True))
    assert ("a.txt", "b.txt") not in scanned
    assert scanned.get(("c.txt", "d.txt")) == 1
    # Without the corpus's postings (the scan before them), the topic was a paraphrase ...
    assert _paraphrases(_scan(docs, topic=False)).get(("a.txt", "b.txt")) == 1
    # ... as it stays in a comparison of the two documents alone (no corpus to know it by).
    alone = compare(docs[0], docs[1]).pairs[0]
    assert [m.kind for m in alone.matches].count(Kind.PARAPHRASE) == 1


def test_few_documents_on_the_topic_leave_the_paraphrase() -> None:
    docs = _corpus()
    # Three of the seven: the words stand together in five documents, as many as a rare
    # k-gram may be in.
    few = docs[:4] + docs[4:7]
    assert default_max_df(len(few)) == 5
    assert _paraphrases(_scan(few, topic=True)).get(("a.txt", "b.txt")) == 1


def _tokens(hashes: list[int]) -> DocTokens:
    zeros = np.zeros(len(hashes), dtype=np.int32)
    return DocTokens(np.asarray(hashes, dtype=np.uint64), zeros, zeros)


def _brute_holding(docs: list[list[int]], stems: list[list[int]], share: float) -> int:
    """Documents with a window holding `share` of `stems`, window by window."""
    step = TOPIC_WINDOW // 2
    need = math.ceil(share * len(stems))
    held = 0
    for words in docs:
        windows = max(1, math.ceil(max(0, len(words) - TOPIC_WINDOW) / step) + 1)
        spans = [set(words[k * step : k * step + TOPIC_WINDOW]) for k in range(windows)]
        if any(sum(1 for s in stems if set(s) & w) >= need for w in spans):
            held += 1
    return held


@settings(max_examples=60, deadline=None)
@given(
    docs=st.lists(
        st.lists(st.integers(1, 40), min_size=0, max_size=3 * TOPIC_WINDOW), min_size=1, max_size=6
    ),
    stems=st.lists(
        st.lists(st.integers(1, 45), min_size=1, max_size=3, unique=True), min_size=1, max_size=6
    ),
    share=st.sampled_from([TOPIC_SHARE, 0.5, 1.0]),
)
def test_holding_counts_documents_window_by_window(
    docs: list[list[int]], stems: list[list[int]], share: float
) -> None:
    postings = WordPostings.of([_tokens(d) for d in docs])
    assert postings.holding(stems, share) == _brute_holding(docs, stems, share)
    again = WordPostings.from_arrays(postings.arrays())
    assert again.holding(stems, share) == postings.holding(stems, share)


def test_words_far_apart_are_not_held_together() -> None:
    far = [1, *([9] * TOPIC_WINDOW), 2]
    near = [5, 1, 2, 5]
    postings = WordPostings.of([_tokens(far), _tokens(near)])
    assert postings.holding([[1], [2]], 1.0) == 1
    assert postings.holding([[1], [9]], 1.0) == 1
    assert postings.holding([[3], [4]], 1.0) == 0
    assert not postings.is_topic([[1], [2]])


def _index(tmp_path: Path, docs: list[Document]) -> Path:
    """An index of `docs` written as files, built as `docdiff index build` builds it."""
    from typer.testing import CliRunner

    from docdiff.cli import app

    folder = tmp_path / "docs"
    folder.mkdir()
    for d in docs:
        (folder / d.id).write_text(d.text, encoding="utf-8")
    db = tmp_path / "i.db"
    built = CliRunner().invoke(app, ["index", "build", str(folder), "--db", str(db)])
    assert built.exit_code == 0, built.output
    return db


def test_a_query_and_a_comparison_in_an_index_leave_the_topic_out_as_a_scan(
    tmp_path: Path,
) -> None:
    docs = _corpus()
    db = _index(tmp_path, docs)
    with CorpusIndex.open(db, readonly=True) as index:
        assert index.has_corpus_blob("word_postings")  # kept by the build
        a, b = (index.get(f"docs/{d.id}") for d in docs[:2])
        c, d = (index.get(f"docs/{x.id}") for x in docs[2:4])
        assert _paraphrases(compare_in_index(index, a, b)) == {}
        assert sum(_paraphrases(compare_in_index(index, c, d)).values()) == 1
        found = query(index, replace(b, id="b.txt", path="-"), limit=20)
        assert all(n == 0 for n in _paraphrases(found).values())
        assert any(p.b == a.id for p in found.pairs)  # the pair is found, its topic left out
        assert _paraphrases(scan(index, jobs=1)) == {(c.id, d.id): 1}


def test_the_index_keeps_its_word_postings_until_a_document_changes(tmp_path: Path) -> None:
    docs = _corpus()
    db = _index(tmp_path, docs)
    with CorpusIndex.open(db) as index:
        before = index.corpus_blob("word_postings")
        assert before is not None
        kept = WordPostings.from_bytes(before)
        made = WordPostings.of(index.tokens_by_number([info.number for info in index.documents()]))
        assert _same(kept, made)
        generation = index.generation()
        index.add_document(load_text("A new letter on harbour dues.", doc_id="new.txt"))
        assert index.generation() != generation
        assert index.corpus_blob("word_postings") is None
        # What was made before the change is not kept after it.
        index.keep_corpus_blob("word_postings", before, generation)
        assert index.corpus_blob("word_postings") is None
        keep_word_postings(index)
        assert index.corpus_blob("word_postings") is not None
    with CorpusIndex.open(db, readonly=True) as index:
        index.keep_corpus_blob("other", b"x", index.generation())  # read-only: nothing kept
        assert not index.has_corpus_blob("other")


def test_damaged_word_postings_are_made_again(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not word postings"):
        WordPostings.from_bytes(b"not an npz archive")
    db = _index(tmp_path, _corpus())
    with CorpusIndex.open(db) as index:
        good = WordPostings.from_bytes(index.corpus_blob("word_postings") or b"")
        index.keep_corpus_blob("word_postings", b"damaged", index.generation())
        assert _same(_sources(index).words_of(index), good)
        assert _same(WordPostings.from_bytes(index.corpus_blob("word_postings") or b""), good)


def _same(x: WordPostings, y: WordPostings) -> bool:
    return all(np.array_equal(x.arrays()[n], y.arrays()[n]) for n in range(4))


def test_postings_kept_before_another_docdiff_changed_the_documents_are_not_read(
    tmp_path: Path,
) -> None:
    db = _index(tmp_path, _corpus())
    # An older docdiff deletes a document without knowing the kept postings.
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM documents WHERE doc = (SELECT max(doc) FROM documents)")
    with CorpusIndex.open(db, readonly=True) as index:
        assert not index.has_corpus_blob("word_postings")
        assert index.corpus_blob("word_postings") is None


@settings(max_examples=30, deadline=None)
@given(
    docs=st.lists(st.lists(st.integers(1, 60), max_size=700), min_size=1, max_size=8),
    chunk=st.integers(1, 900),
)
def test_postings_made_a_few_documents_at_a_time_are_the_same(
    docs: list[list[int]], chunk: int
) -> None:
    import docdiff.corpus.scan as scan_module

    tokens = [_tokens(d) for d in docs]
    whole = WordPostings.of(tokens)
    kept = scan_module._KEY_CHUNK
    scan_module._KEY_CHUNK = chunk
    try:
        parts = WordPostings.of(tokens)
    finally:
        scan_module._KEY_CHUNK = kept
    assert _same(parts, whole)


def test_a_kept_data_table_of_another_build_is_read_as_none_and_made_again(
    tmp_path: Path,
) -> None:
    db = _index(tmp_path, _corpus())
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE corpus_blobs")
        conn.execute("CREATE TABLE corpus_blobs (name TEXT PRIMARY KEY, data BLOB NOT NULL)")
        conn.execute("INSERT INTO corpus_blobs VALUES ('word_postings', x'00')")
    with CorpusIndex.open(db, readonly=True) as index:
        assert not index.has_corpus_blob("word_postings")
        assert index.corpus_blob("word_postings") is None
        a, b = (index.get(f"docs/{name}") for name in ("a.txt", "b.txt"))
        assert _paraphrases(compare_in_index(index, a, b)) == {}  # made in memory
    with CorpusIndex.open(db) as index:
        keep_word_postings(index)
        assert index.has_corpus_blob("word_postings")


VERBATIM = "The harbour council met on the northern quay beside the old customs sheds at noon."


def _beside_a_verbatim_sentence(topic: CorpusTopic | None) -> list[Kind]:
    """The kinds a comparison finds when a reworded sentence follows a verbatim one."""
    rng = random.Random(11)
    a = _document(rng, "a.txt", [f"{VERBATIM} {_filler(rng, 2)} {OWN_A}"])
    b = _document(rng, "b.txt", [f"{VERBATIM} {_filler(rng, 2)} {OWN_B}"])
    pa, pb = prepare(a), prepare(b)
    return [m.kind for m in compare_prepared(pa, pb, Options(), topic=topic).matches]


def test_a_verbatim_passage_supports_a_rewording_unless_it_is_the_topic_too() -> None:
    assert Kind.PARAPHRASE in _beside_a_verbatim_sentence(None)
    # Every word sequence the corpus's topic: the verbatim sentence supports nothing.
    assert Kind.PARAPHRASE not in _beside_a_verbatim_sentence(lambda stems: True)
    # The verbatim sentence's own words no topic: it supports the rewording beside it.
    customs = token_hash("custom")  # (a token's key: "customs" read as a fuzzy key)

    def topic(stems: Sequence[Sequence[int]]) -> bool:
        return not any(customs in words for words in stems)

    assert Kind.PARAPHRASE in _beside_a_verbatim_sentence(topic)
