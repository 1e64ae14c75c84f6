"""`docdiff.corpus.query.query`: which indexed documents a new document reuses."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.corpus.query import query
from docdiff.index import CorpusIndex
from docdiff.loaders import load_text
from docdiff.model import Document, Kind
from tests._collector import assert_paused_around_comparisons

if TYPE_CHECKING:
    from docdiff.engine.prepare import Prepared

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"


def test_query_finds_the_planted_source(tmp_path: Path) -> None:
    from docdiff.corpus.metadata import load_csv

    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([CORPUS / "letters"], meta=load_csv(CORPUS / "metadata.csv"))
    new = load_text(
        "Dear Sir, our ministry wishes to say that the joint fisheries commission convene an "
        "extraordinary session in the spring to review the quotas for migratory tuna stocks. "
        "Nothing else is new.",
        doc_id="new",
    )
    with CorpusIndex.open(db, readonly=True) as idx:
        report = query(idx, new)
        assert report.command == "query"
        assert report.documents[0].id == "new"
        sources = [p.b for p in report.pairs]
        assert set(sources) == {"letters/06_fjordland_2021.txt", "letters/07_galtonia_2022.txt"}
        assert all(p.a == "new" for p in report.pairs)
        best = report.pairs[0]
        assert any(m.kind is Kind.PHRASING and m.words >= 15 for m in best.matches)
        assert report.document(best.b).meta["sender"] in {"Fjordland", "Galtonia"}
        # exclude_ids and limit are honoured
        only = query(idx, new, limit=1, exclude_ids={"letters/06_fjordland_2021.txt"})
        assert [p.b for p in only.pairs] == ["letters/07_galtonia_2022.txt"]


def test_query_without_shared_wording_is_empty(tmp_path: Path) -> None:
    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([CORPUS / "letters"])
        report = query(idx, load_text("Completely unrelated words about gardening.", doc_id="g"))
    assert report.pairs == ()
    assert [d.id for d in report.documents] == ["g"]


def test_the_index_only_stores() -> None:
    """Storage imports no engine or corpus module (not even lazily): no import cycle."""
    import ast

    import docdiff.index

    engine = {
        "docdiff.corpus.scan",
        "docdiff.engine.compare",
        "docdiff.engine.prepare",
        "docdiff.engine.pieces",
        "docdiff.engine.classify",
        "docdiff.corpus.query",
        "docdiff.engine.paraphrase",
    }
    folder = Path(docdiff.index.__file__).parent
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module not in engine, f"{path.name} imports {node.module}"
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name not in engine, f"{path.name} imports {alias.name}"


def test_common_kgram_counts_follow_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Counts kept in memory are dropped when this connection or another one writes."""
    import docdiff.index._store as store
    from docdiff.index.arrays import doc_tokens, unique_kgrams

    monkeypatch.setattr(store, "_COMMON_DOCS", 1)  # every k-gram in 2+ documents is kept
    text = "the joint fisheries commission will convene an extraordinary session"
    hashes = unique_kgrams(doc_tokens(text).hashes, 3).astype("int64").tolist()
    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as writer, CorpusIndex.open(db) as reader:
        for n in range(2):
            writer.add_document(load_text(text, doc_id=f"d{n}"))
        assert set(reader.kgram_doc_counts(hashes).values()) == {2}
        assert reader._common  # kept
        writer.add_document(load_text(text, doc_id="d2"))  # another connection commits
        assert set(reader.kgram_doc_counts(hashes).values()) == {3}
        reader.add_document(load_text(text, doc_id="d3"))  # this connection writes
        assert set(reader.kgram_doc_counts(hashes).values()) == {4}
        reader.remove_path(reader.get("d3").path)
        assert set(reader.kgram_doc_counts(hashes).values()) == {3}


def test_the_garbage_collector_is_paused_during_a_query_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Paused while sources are compared, enabled again after (also after an error), and left
    disabled when the caller had disabled it."""
    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([CORPUS / "letters"])
    new = load_text("the joint fisheries commission convene an extraordinary session", doc_id="n")
    with CorpusIndex.open(db, readonly=True) as idx:
        assert_paused_around_comparisons(monkeypatch, lambda: query(idx, new))


def test_what_a_query_keeps_goes_to_the_oldest_generation(tmp_path: Path) -> None:
    """The sources a query keeps are in the collector's oldest generation afterwards (not
    walked by a young collection), nothing is left frozen, and objects someone else froze stay
    frozen."""
    import gc

    from docdiff.corpus.query import _sources

    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([CORPUS / "letters"])
    new = load_text("the joint fisheries commission convene an extraordinary session", doc_id="n")
    assert gc.isenabled()
    with CorpusIndex.open(db, readonly=True) as idx:
        assert gc.get_freeze_count() == 0
        query(idx, new)
        assert gc.get_freeze_count() == 0
        kept = [p.tokens.forms for p in _sources(idx).prepared.values()]
        assert kept
        old = {id(x) for x in gc.get_objects(generation=2)}
        assert all(id(forms) in old for forms in kept)
        frozen = [["someone else's"]]
        gc.freeze()
        try:
            count = gc.get_freeze_count()
            query(idx, load_text("a fisheries commission convenes a session", doc_id="m"))
            assert gc.get_freeze_count() == count
        finally:
            gc.unfreeze()
        assert frozen


@pytest.fixture(scope="module")
def letters_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("grouped") / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([CORPUS / "letters"])
    return db


@settings(max_examples=40, deadline=None)
@given(data=st.data(), chunk=st.integers(1, 40))
def test_grouped_postings_are_the_postings_in_their_order(
    letters_index: Path, data: st.DataObject, chunk: int
) -> None:
    """`grouped_postings` spread out is `postings_for` (run by run of hashes, each run by hash,
    then document), whatever the hashes asked for and the run length."""
    import numpy as np

    import docdiff.index._store as store
    from docdiff.index.arrays import doc_tokens, unique_kgrams

    with CorpusIndex.open(letters_index, readonly=True) as idx:
        docs = [doc.id for doc in idx.documents()]
        held: set[int] = set()
        for doc_id in docs[:3]:
            tokens = doc_tokens(idx.get(doc_id).text)
            held.update(unique_kgrams(tokens.hashes, idx.k).astype("int64").tolist())
        pool = [*sorted(held), 0, -1, 2**62]  # and some no document holds
        hashes = data.draw(st.lists(st.sampled_from(pool), unique=True, max_size=120))
        old = store._MAX_VARS
        store._MAX_VARS = chunk
        try:
            grouped = idx.grouped_postings(hashes)
            rows = idx.postings_for(hashes)
        finally:
            store._MAX_VARS = old
    spread = list(
        zip(np.repeat(grouped.hashes, grouped.counts).tolist(), grouped.docs.tolist(), strict=True)
    )
    by_run = []
    for start in range(0, len(hashes), chunk):
        run = set(hashes[start : start + chunk])
        by_run.extend(sorted(r for r in rows if r[0] in run))
    assert spread == by_run
    assert sorted(spread) == sorted(rows)
    assert grouped.counts.tolist() == [sum(1 for r in rows if r[0] == h) for h in grouped.hashes]


@settings(max_examples=40, deadline=None)
@given(
    data=st.data(),
    chunk=st.integers(1, 40),
    common=st.integers(0, 3),
    max_docs=st.integers(0, 6),
)
def test_counts_and_postings_are_the_counts_then_the_rare_postings(
    letters_index: Path, data: st.DataObject, chunk: int, common: int, max_docs: int
) -> None:
    """`counts_and_postings` is `kgram_doc_counts` (in its order, common counts kept in memory
    alike) and the `grouped_postings` of the hashes it counts in at most `max_docs` documents,
    asked again and again."""
    import docdiff.index._store as store
    from docdiff.index.arrays import doc_tokens, unique_kgrams

    old = store._MAX_VARS, store._COMMON_DOCS
    store._MAX_VARS, store._COMMON_DOCS = chunk, common
    try:
        with (
            CorpusIndex.open(letters_index, readonly=True) as one,
            CorpusIndex.open(letters_index, readonly=True) as two,
        ):
            pool: set[int] = set()
            for info in one.documents()[:4]:
                tokens = doc_tokens(one.get(info.id).text)
                pool.update(unique_kgrams(tokens.hashes, one.k).astype("int64").tolist())
            for _ in range(3):
                hashes = data.draw(
                    st.lists(st.sampled_from([*sorted(pool), 7]), unique=True, max_size=150)
                )
                counts, posted = one.counts_and_postings(hashes, max_docs)
                expected = two.kgram_doc_counts(hashes)
                assert list(counts.items()) == list(expected.items())
                rare = [h for h, n in expected.items() if n <= max_docs]
                grouped = two.grouped_postings(rare)
                assert posted.hashes == grouped.hashes
                assert posted.counts.tolist() == grouped.counts.tolist()
                assert posted.docs.tolist() == grouped.docs.tolist()
                assert one._common == two._common
    finally:
        store._MAX_VARS, store._COMMON_DOCS = old


def test_a_document_queried_again_is_not_prepared_again(
    letters_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last few documents queried are kept prepared per index: the same document (equal in
    id, path and text) queried again gives the same report without being prepared again; any
    other one is prepared."""
    import docdiff.corpus.query as query_module
    import docdiff.engine.prepare

    made: list[str] = []
    real = docdiff.engine.prepare.prepare

    def counting(doc: Document, k: int = 3, **kw: Any) -> Prepared:
        if doc.id in {"new", "other"}:  # not a source (prepared from its text: no blob here)
            made.append(doc.id)
        return real(doc, k, **kw)

    monkeypatch.setattr(docdiff.engine.prepare, "prepare", counting)
    text = (
        "Dear Sir, our ministry wishes to say that the joint fisheries commission convene an "
        "extraordinary session in the spring to review the quotas for migratory tuna stocks."
    )
    with CorpusIndex.open(letters_index, readonly=True) as idx:
        first = query(idx, load_text(text, doc_id="new"))
        again = query(idx, load_text(text, doc_id="new"))
        assert again == first
        assert first.pairs
        assert made == ["new"]
        query(idx, load_text(text, doc_id="other"))
        query(idx, load_text(text + " More.", doc_id="new"))
        assert made == ["new", "other", "new"]
        for n in range(query_module.QUERY_CACHE):
            query(idx, load_text(f"{text} {n}", doc_id="new"))
        query(idx, load_text(text, doc_id="new"))  # pushed out by the others meanwhile
        assert len(made) == 4 + query_module.QUERY_CACHE


def test_a_smaller_limit_shows_the_first_sources_of_the_default_list(tmp_path: Path) -> None:
    # Retrieval ranks the source sharing a long name first (more rare k-grams); the comparison
    # ranks the one sharing a phrase of its own first (a name is left out of distinctive
    # similarity). `limit=1` once compared the first retrieved only and showed the name.
    name = (
        "the Joint Permanent Commission for the Conservation and Management of Migratory Tuna "
        "Stocks of the Northern Atlantic Ocean and Adjacent Seas"
    )
    phrase = (
        "we remain deeply troubled by the sudden closure of the northern harbours to small "
        "fishing boats"
    )
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a_name.txt").write_text(
        f"Our delegation attended the session of {name} held last month. The weather was fine.",
        encoding="utf-8",
    )
    (docs / "b_phrase.txt").write_text(
        f"In our statement {phrase}, and we ask for dialogue.", encoding="utf-8"
    )
    for n in range(6):
        (docs / f"c{n}.txt").write_text(
            f"Filler letter {n} about unrelated matters of agriculture and roads number {n}.",
            encoding="utf-8",
        )
    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([docs])
    new = load_text(f"We note the work of {name}. Moreover {phrase} this winter.", doc_id="q")
    with CorpusIndex.open(db, readonly=True) as idx:
        listed = [p.b for p in query(idx, new).pairs]
        assert listed == ["docs/b_phrase.txt", "docs/a_name.txt"]
        for limit in (1, 2):
            report = query(idx, new, limit=limit)
            assert [p.b for p in report.pairs] == listed[:limit]
            assert {d.id for d in report.documents[1:]} == set(listed[:limit])
