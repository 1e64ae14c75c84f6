"""Derived data stored in the index (`docdiff.corpus.derived`): a query prepares no source again.

Laws: a source rebuilt from its stored blob equals the source prepared from its text, field by
field; a query gives the same report with or without the blobs (an index made before the
table, a blob made by other code, a damaged blob).
"""

from __future__ import annotations

import itertools
import sqlite3
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docdiff.corpus import derived
from docdiff.corpus.derived import DERIVER, fingerprint, prepared_from
from docdiff.corpus.query import query
from docdiff.engine import echoes
from docdiff.engine.lexicon import Lexicon
from docdiff.engine.paraphrase import UnitIndex, unit_index, unit_index_of_codes
from docdiff.engine.prepare import Prepared, has_digit, load_lexicon, prepare
from docdiff.engine.reworded import _StemSigns
from docdiff.index import CorpusIndex
from docdiff.index.arrays import doc_tokens
from docdiff.loaders import load_text
from docdiff.model import Document, Report
from docdiff.options import Options
from docdiff.text.tokens import Tokens, tokens_at
from tests._units import same_units

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"

_NEW = (
    "Dear Sir, our ministry wishes to say that the joint fisheries commission convene an "
    "extraordinary session in the spring to review the quotas for migratory tuna stocks. "
    "Nothing else is new.\n\nPlease accept, Excellency, the assurances of my highest "
    "consideration."
)

_WORDS = st.sampled_from(
    [
        "the", "commission", "Commission", "honour", "honor", "protection", "protected",
        "I", "have", "to", "inform", "you", "that", "Excellency", "accept", "assurances",
        "of", "my", "highest", "consideration", "1999", "U.S.", "US", "naïve", "Straße",
        "la", "coopération", "internationale", "сотрудничество", "条約", "l'ONU", "e-mail",
    ]
)  # fmt: skip
_GAPS = st.sampled_from([" ", " ", " ", ", ", ". ", "; ", "\n", "\n\n", "? ", " (", ") "])


@st.composite
def _texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(_WORDS, max_size=80))
    gaps = draw(st.lists(_GAPS, min_size=len(words), max_size=len(words)))
    return "".join(w + g for w, g in zip(words, gaps, strict=True))


def _from_text(doc: Document, k: int) -> Prepared:
    """What a query made of an indexed source before: tokens at the index's spans, prepared."""
    arrays = doc_tokens(doc.text)
    return prepare(doc, k, tokens=tokens_at(doc.text, arrays.starts.tolist(), arrays.ends.tolist()))


def _same(p: Prepared, q: Prepared) -> None:
    lexicon = load_lexicon(Options())
    for name in ("forms", "keys", "starts", "ends"):
        assert getattr(q.tokens, name) == getattr(p.tokens, name), name
    assert q.tokens.language() == p.tokens.language()
    assert (q.ids, q.hashes, q.weights, q.k) == (p.ids, p.hashes, p.weights, p.k)
    assert q.roots == p.roots
    assert q.sentences == p.sentences
    assert q.paragraphs == p.paragraphs
    assert q.formula_hits(lexicon) == p.formula_hits(lexicon)
    # In the same order too: derived per word from the blob, per token from the text.
    assert list(q.stem_table.items()) == list(p.stem_table.items())
    mine_arrays, their_arrays = echoes._stem_arrays(q), echoes._stem_arrays(p)
    for name in mine_arrays._fields:
        got, want = getattr(mine_arrays, name), getattr(their_arrays, name)
        assert got.dtype == want.dtype, name
        assert np.array_equal(got, want), name
    mine_signs, their_signs = _StemSigns.of(q), _StemSigns.of(p)
    assert np.array_equal(mine_signs.positive, their_signs.positive)
    assert mine_signs.weightless == their_signs.weightless
    # The paraphrase units, with their dictionaries in the same order (later stages iterate
    # them), and what a comparison derives from them.
    # Both are built from arrays (`unit_index_of_codes`): each equals the loop over tokens.
    reference = _reference_units(p, lexicon)
    same_units(q.unit_index(lexicon), reference)
    same_units(p.unit_index(lexicon), reference)
    assert q.break_list == p.break_list
    # Where written words open: stored with the source (format 7), the same as from its text.
    assert "word_opens" in q.derived
    assert echoes._word_starts(q) == echoes._word_starts(p)
    assert list(echoes._root_counts(q).items()) == list(echoes._root_counts(p).items())
    assert q.key_counts == p.key_counts


def _reference_units(p: Prepared, lexicon: Lexicon) -> UnitIndex:
    """The paraphrase units as `paraphrase.unit_index` finds them, token by token."""
    covered = [False] * len(p.tokens)
    for h in p.formula_hits(lexicon):
        covered[h.start : h.end] = [True] * (h.end - h.start)
    return unit_index(p.roots, covered, p.stem_table.__getitem__, p.sentences, p.paragraphs)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_texts(), k=st.integers(2, 5))
def test_a_source_from_its_blob_equals_the_source_prepared_from_its_text(text: str, k: int) -> None:
    doc = Document(id="d", path="d.txt", format="txt", text=text)
    arrays = doc_tokens(text)
    blob = DERIVER(doc, arrays, k)
    _same(_from_text(doc, k), prepared_from(doc, arrays, blob, k, load_lexicon(Options())))
    # Without the token arrays (a query's sources): the spans the blob holds are the same.
    _same(_from_text(doc, k), prepared_from(doc, None, blob, k, load_lexicon(Options())))


def test_token_spans_of_every_width_come_back_from_the_blob() -> None:
    """Gaps and lengths of one, two and four bytes (a long word, a long gap) read back."""
    for gap in (" ", " " * 300, "\n" * 70_000):
        for word in ("tuna", "a" * 300):
            text = f"The {word}{gap}quota of {word} stocks.{gap}Accept, Sir."
            doc = Document(id="d", path="d.txt", format="txt", text=text)
            arrays = doc_tokens(text)
            got = prepared_from(doc, None, DERIVER(doc, arrays, 3), 3)
            assert got.tokens.starts == arrays.starts.tolist()
            assert got.tokens.ends == arrays.ends.tolist()


def test_a_span_past_the_text_is_refused() -> None:
    """A blob whose token spans run past its text is a damaged row."""
    text = "The quota of tuna stocks. Accept, Sir."
    doc = Document(id="d", path="d.txt", format="txt", text=text)
    blob = DERIVER(doc, doc_tokens(text), 3)
    with pytest.raises(ValueError, match="past its text"):
        prepared_from(replace(doc, text=text[:20]), None, blob, 3)


def test_formula_instances_are_found_again_for_another_lexicon() -> None:
    """The stored instances are the built-in lexicon's: a user's lexicon finds its own."""
    from docdiff.engine.lexicon import Lexicon

    text = "I have the honour to inform you that the quota is set.\n\nPlease accept, Sir."
    doc = Document(id="d", path="d.txt", format="txt", text=text)
    arrays = doc_tokens(text)
    mine = Lexicon.builtin().merged(Lexicon.parse("the quota is set"))
    got = prepared_from(doc, arrays, DERIVER(doc, arrays, 3), 3, mine)
    assert got.formula_hits(mine) == _from_text(doc, 3).formula_hits(mine)
    assert any(h.template.text == "the quota is set" for h in got.formula_hits(mine))


def _digest(report: Report) -> list[object]:
    return [
        (
            p.b,
            p.summary,
            [(m.kind, m.a.span, m.b.span, m.words, m.score) for m in p.matches],
            [(m.kind, m.a.span, m.b.span, m.words, m.score) for m in p.echoes],
        )
        for p in report.pairs
    ]


def _build(db: Path) -> None:
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([CORPUS / "letters"], derive=DERIVER)


def _query(db: Path) -> Report:
    with CorpusIndex.open(db, readonly=True) as idx:
        return query(idx, load_text(_NEW, doc_id="new"))


def test_a_query_prepares_no_indexed_source_from_its_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "i.db"
    _build(db)
    with CorpusIndex.open(db, readonly=True) as idx:
        assert idx.stale_derived(fingerprint()) == []
        calls: list[int] = []
        import docdiff.text.tokens

        real = docdiff.text.tokens.tokens_at

        def spy(text: str, starts: list[int], ends: list[int]) -> object:
            calls.append(len(starts))
            return real(text, starts, ends)

        monkeypatch.setattr(docdiff.text.tokens, "tokens_at", spy)
        report = query(idx, load_text(_NEW, doc_id="new"))
    assert len(report.pairs) >= 2
    assert calls == []


def test_the_same_report_without_blobs_with_stale_ones_and_with_damaged_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "i.db"
    _build(db)
    stored = _digest(_query(db))
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE derived SET data = x'00ff'")
    damaged = _digest(_query(db))
    monkeypatch.setattr(derived, "fingerprint", lambda: "other code")
    stale = _digest(_query(db))
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE derived")
    none = _digest(_query(db))
    assert stored == damaged == stale == none
    assert stored


def test_an_index_made_before_the_table_opens_and_its_update_fills_it(tmp_path: Path) -> None:
    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([CORPUS / "letters"])  # no deriver: the table stays empty
        n = len(idx)
        assert len(idx.stale_derived(fingerprint())) == n
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE derived")  # as made by an older docdiff
    before = _digest(_query(db))
    with CorpusIndex.open(db, readonly=True) as idx:
        assert idx.derived_by_number(list(range(1, n + 1)), fingerprint()) == {}
        assert len(idx.stale_derived(fingerprint())) == n
    with CorpusIndex.open(db) as idx:  # a writable open adds the table; an update fills it
        summary = idx.update([CORPUS / "letters"], derive=DERIVER)
        assert (summary.added, summary.changed, summary.unchanged) == (0, 0, n)
        assert idx.stale_derived(fingerprint()) == []
    assert _digest(_query(db)) == before


def test_blobs_follow_the_documents(tmp_path: Path) -> None:
    """A changed document gets a new blob, a removed one loses its blob."""
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.txt").write_text("the joint fisheries commission met in spring", "utf-8")
    (folder / "b.txt").write_text("quotas for migratory tuna stocks were reviewed", "utf-8")
    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([folder], derive=DERIVER)
        (folder / "a.txt").write_text("a wholly new text about gardens and roses", "utf-8")
        (folder / "b.txt").unlink()
        idx.update([folder], derive=DERIVER)
        (info,) = idx.documents()
        (blob,) = idx.derived_by_number([info.number], fingerprint()).values()
        (doc,) = idx.documents_by_number([info.number])
        (arrays,) = idx.tokens_by_number([info.number])
    _same(_from_text(doc, 3), prepared_from(doc, arrays, blob, 3, load_lexicon(Options())))
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM derived").fetchone()[0] == 1


def test_a_very_long_document_gets_an_empty_blob(monkeypatch: pytest.MonkeyPatch) -> None:
    """A query compares it through windows and never prepares it whole: neither does the
    deriver (a 40 MB document prepared whole takes gigabytes)."""
    import docdiff.engine.anchored
    import docdiff.engine.prepare

    doc = Document(id="d", path="d.txt", format="txt", text="the joint commission met " * 20)
    arrays = doc_tokens(doc.text)
    monkeypatch.setattr(docdiff.engine.anchored, "LONG_TOKENS", len(arrays) - 1)

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("prepared whole")

    monkeypatch.setattr(docdiff.engine.prepare, "prepare", refuse)
    assert DERIVER(doc, arrays, 3) == b""


def test_the_language_servers_indexing_stores_the_blobs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Both ways the server indexes (its child process's `main`, and `Corpus.update` in
    process) leave no indexed document for its queries to prepare from its text."""
    import threading

    from docdiff_lsp import indexing
    from docdiff_lsp.corpus import Corpus, CorpusSpec

    child = tmp_path / "child.db"
    root = CORPUS / "letters"
    assert indexing.main(["--index", str(child), "--root", str(root), "--include", "*.txt"]) == 0
    assert '"summary"' in capsys.readouterr().out
    spec = CorpusSpec((root,), ("*.txt",), (), tmp_path / "inproc.db")
    corpus = Corpus(spec)
    assert corpus.update(lambda *_: None, threading.Event()).documents > 0
    corpus.close()
    for db in (child, spec.index_path):
        with CorpusIndex.open(db, readonly=True) as idx:
            assert len(idx) > 0
            assert idx.stale_derived(fingerprint()) == []


def test_a_blob_is_not_stored_for_a_document_changed_meanwhile(tmp_path: Path) -> None:
    """A document replaced (same number, new content) while its blob was being made keeps
    no blob of its old content."""
    from docdiff.index.arrays import DocTokens

    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.txt").write_text("the joint fisheries commission met in spring", "utf-8")
    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([folder])
        (number,) = idx.stale_derived(fingerprint())

    class Meanwhile:
        """Derives the old content, while another writer replaces the document."""

        def __call__(self, doc: Document, arrays: DocTokens, k: int) -> bytes:
            (folder / "a.txt").write_text("a wholly new text about gardens and roses", "utf-8")
            with CorpusIndex.open(db) as other:
                other.update([folder])
            return DERIVER(doc, arrays, k)

        def fingerprint(self) -> str:
            return fingerprint()

    with CorpusIndex.open(db) as idx:
        idx.refresh_derived(Meanwhile(), jobs=1)
        assert [d.number for d in idx.documents()] == [number]  # replaced in place
        assert idx.derived_by_number([number], fingerprint()) == {}


@given(st.text(max_size=12))
def test_a_stem_has_a_digit_when_any_of_its_characters_is_one(stem: str) -> None:
    assert has_digit(stem) == any(c.isdigit() for c in stem)


@st.composite
def _numbered(
    draw: st.DrawFn,
) -> tuple[list[int], list[str], list[float], list[bool], list[tuple[int, int]]]:
    """Tokens as stem numbers, the stems' weights (some nothing), covered tokens and units
    (usually sentences in order; sometimes out of order or overlapping)."""
    names = draw(st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f", "g"]), min_size=1,
                          max_size=7, unique=True))  # fmt: skip
    n = draw(st.integers(0, 60))
    codes = draw(st.lists(st.integers(0, len(names) - 1), min_size=n, max_size=n))
    weights = draw(st.lists(st.sampled_from([0.0, 0.25, 1.0, 0.7]), min_size=len(names),
                            max_size=len(names)))  # fmt: skip
    covered = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    cuts = sorted(set(draw(st.lists(st.integers(0, n), max_size=8))) | {0, n})
    units = [(x, y) for x, y in itertools.pairwise(cuts) if y > x]
    if draw(st.booleans()):
        units = units[::2]  # tokens in no unit
    shuffled = draw(st.booleans())
    if units and shuffled:
        units = draw(st.permutations([*units, units[0]]))
    return codes, names, weights, covered, units


@settings(max_examples=200, deadline=None)
@given(case=_numbered())
def test_units_from_numbered_stems_equal_the_loop_over_tokens(
    case: tuple[list[int], list[str], list[float], list[bool], list[tuple[int, int]]],
) -> None:
    codes, names, weights, covered, units = case
    paragraphs = [i // 2 for i in range(len(units))]
    weight = dict(zip(names, weights, strict=True))
    keys = [names[c] for c in codes]
    same_units(
        unit_index_of_codes(
            np.asarray(codes, dtype=np.intp), names, weights, covered, units, paragraphs
        ),
        unit_index(keys, covered, weight.__getitem__, units, paragraphs),
    )


def test_a_word_holding_the_separator_gets_no_blob() -> None:
    """A token holding the character between the blob's words leaves its document without a
    blob (a query prepares it from its text)."""
    text = "alpha be\x00ta gamma"
    doc = Document(id="d", path="d.txt", format="txt", text=text)
    tokens = Tokens(["alpha", "be\x00ta", "gamma"], ["alpha", "be\x00ta", "gamma"],
                    [0, 6, 13], [5, 12, 18])  # fmt: skip
    assert derived.encode_derived(prepare(doc, 3, tokens=tokens)) == b""


def test_a_query_on_an_index_another_docdiff_derived_says_so_in_one_line(tmp_path: Path) -> None:
    """An index whose blobs another docdiff made (another format, say) is queried as before
    (its sources prepared from their texts), with one line saying `docdiff index update`
    brings it up to date; after the update, nothing is said."""
    from typer.testing import CliRunner

    from docdiff.cli import app

    db = tmp_path / "i.db"
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([CORPUS / "letters"], derive=DERIVER)
        assert not idx.derived_stale(fingerprint())
    new = tmp_path / "new.txt"
    new.write_text(
        "The joint fisheries commission will convene an extraordinary session in the spring to "
        "review the quotas for migratory tuna stocks. Please accept the assurances of my "
        "highest consideration.",
        encoding="utf-8",
    )
    runner = CliRunner()
    ask = ["query", str(new), "--db", str(db), "--format", "json"]
    fresh = runner.invoke(app, ask)
    assert fresh.exit_code == 0
    assert "index update" not in fresh.stderr
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE derived SET fingerprint = 'an older docdiff'")
    stale = runner.invoke(app, ask)
    assert stale.exit_code == 0
    lines = [line for line in stale.stderr.splitlines() if line]
    assert len(lines) == 1
    assert f"`docdiff index update PATH… --db {db}`" in lines[0]
    assert "Traceback" not in stale.output
    assert stale.stdout == fresh.stdout
    info = runner.invoke(app, ["index", "info", "--db", str(db)]).stdout
    n = len(list((CORPUS / "letters").rglob("*.txt")))
    assert f"query data: current for 0 of {n} documents (the other {n}: " in info
    updated = runner.invoke(app, ["index", "update", str(CORPUS / "letters"), "--db", str(db)])
    assert updated.exit_code == 0
    info = runner.invoke(app, ["index", "info", "--db", str(db)]).stdout
    assert f"query data: current for {n} of {n} documents\n" in info
    # "all unchanged" would leave the update's time unexplained: it says what it derived again
    assert f"{n} unchanged ({n} re-derived for this version of docdiff)" in updated.stdout
    assert "index update" not in runner.invoke(app, ask).stderr
    again = runner.invoke(app, ["index", "update", str(CORPUS / "letters"), "--db", str(db)])
    assert f"{n} unchanged, " in again.stdout
