"""Unit tests of the server's pure parts: line index, encodings, edits, settings, grouping."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types

from docdiff.loaders import globs
from docdiff.model import Document, Kind, Match, PairResult, PairSummary, Passage, Report, Span
from docdiff.options import Options
from docdiff_lsp.analysis import Ignores, format_of, group_passages
from docdiff_lsp.convert import LineIndex, apply_change, side_by_side
from docdiff_lsp.settings import DEFAULT_SEVERITY, Settings

ENCODINGS = ("utf-8", "utf-16", "utf-32")
# Line breaks LSP knows, characters it does not treat as breaks, and multi-unit characters.
ALPHABET = st.sampled_from([*"ab \n\r\f\u2028\u0085—é", "\r\n", "😀", "𝔘", "한"])
TEXTS = st.lists(ALPHABET, max_size=40).map("".join)
# No deadline and no health checks: on a loaded machine one example can take long, and no law
# here depends on speed.
RELAXED = {"deadline": None, "suppress_health_check": list(HealthCheck)}


def _reference_lines(text: str) -> list[tuple[int, int]]:
    """(start, end of content) of each LSP line, by a slow scan."""
    out, start, i = [], 0, 0
    while i < len(text):
        if text[i] == "\r" and text[i + 1 : i + 2] == "\n":
            out.append((start, i))
            i += 2
            start = i
        elif text[i] in "\r\n":
            out.append((start, i))
            i += 1
            start = i
        else:
            i += 1
    out.append((start, len(text)))
    return out


def _units(s: str, encoding: str) -> int:
    if encoding == "utf-32":
        return len(s)
    return len(s.encode("utf-16-le")) // 2 if encoding == "utf-16" else len(s.encode(encoding))


def _reference_position(text: str, offset: int, encoding: str) -> types.Position:
    for n, (start, end) in enumerate(_reference_lines(text)):
        if start <= offset <= end:
            return types.Position(n, _units(text[start:offset], encoding))
    raise AssertionError("offset inside a line break")


def _boundaries(text: str) -> list[int]:
    """Offsets that are not inside a \\r\\n pair."""
    return [i for i in range(len(text) + 1) if not (text[i - 1 : i + 1] == "\r\n" and i > 0)]


@settings(**RELAXED)  # type: ignore[arg-type]
@given(TEXTS, st.sampled_from(ENCODINGS))
def test_positions_match_reference_and_round_trip(text: str, encoding: str) -> None:
    index = LineIndex(text)
    assert len(index.starts) == len(_reference_lines(text))
    for offset in _boundaries(text):
        pos = index.position(offset, encoding)  # type: ignore[arg-type]
        ref = _reference_position(text, offset, encoding)
        assert (pos.line, pos.character) == (ref.line, ref.character)
        assert index.offset(pos, encoding) == offset  # type: ignore[arg-type]


def test_form_feed_and_line_separator_are_not_line_breaks() -> None:
    text = "page\fone\u2028two\r\nthree\rfour\nfive"
    index = LineIndex(text)
    assert [text[s : index.line_end(n)] for n, s in enumerate(index.starts)] == [
        "page\fone\u2028two",
        "three",
        "four",
        "five",
    ]


@pytest.mark.parametrize(("encoding", "column"), [("utf-8", 11), ("utf-16", 7), ("utf-32", 6)])
def test_columns_after_em_dash_and_emoji(encoding: str, column: int) -> None:
    text = "x\na — 😀 word"
    pos = LineIndex(text).position(text.index("word"), encoding)  # type: ignore[arg-type]
    assert (pos.line, pos.character) == (1, column)


def test_positions_beyond_the_line_clamp() -> None:
    index = LineIndex("ab\ncd")
    assert index.offset(types.Position(0, 99), "utf-16") == 2
    assert index.offset(types.Position(9, 0), "utf-16") == 5


@settings(max_examples=200, **RELAXED)  # type: ignore[arg-type]
@given(TEXTS, st.data(), st.sampled_from(ENCODINGS))
def test_incremental_change_equals_splice(text: str, data: Any, encoding: str) -> None:
    spots = _boundaries(text)
    a = data.draw(st.sampled_from(spots))
    b = data.draw(st.sampled_from([s for s in spots if s >= a]))
    insert = data.draw(TEXTS)
    index = LineIndex(text)
    change = types.TextDocumentContentChangePartial(
        range=types.Range(index.position(a, encoding), index.position(b, encoding)),  # type: ignore[arg-type]
        text=insert,
    )
    assert apply_change(text, index, change, encoding) == text[:a] + insert + text[b:]  # type: ignore[arg-type]


def test_whole_document_change() -> None:
    change = types.TextDocumentContentChangeWholeDocument(text="new")
    assert apply_change("old", LineIndex("old"), change, "utf-16") == "new"


def test_settings_defaults() -> None:
    s, problems = Settings.from_mapping({})
    assert problems == []
    assert s.corpus_paths == ()
    assert s.corpus_include == ("**/*.txt", "**/*.md", "**/*.html", "**/*.xml")
    assert s.index == ""
    # Engine options keep the engine's own defaults (one source of truth: docdiff.options).
    assert s.options == Options()
    assert s.options.min_score == 0
    assert s.options.kinds == frozenset(Kind)
    assert dict(s.severity) == dict(DEFAULT_SEVERITY)
    assert s.severity["formula"] == "hint"
    assert s.severity["phrasing"] == "information"
    assert (s.inlay_hints, s.code_lens, s.check_on, s.max_file_size) == (
        False,
        True,
        "edit",
        2_000_000,
    )


def test_settings_nested_dotted_and_wrapped_agree() -> None:
    nested = {"corpus": {"paths": ["/c"], "exclude": ["**/draft*"]}, "minWords": 6}
    dotted = {"corpus.paths": ["/c"], "corpus.exclude": ["**/draft*"], "minWords": 6}
    wrapped = {"docdiff": nested}
    results = [Settings.from_mapping(x) for x in (nested, dotted, wrapped)]
    assert all(problems == [] for _, problems in results)
    assert results[0][0] == results[1][0] == results[2][0]
    assert results[0][0].corpus_paths == ("/c",)
    assert results[0][0].options.min_words == 6


def test_empty_lua_table_is_no_settings() -> None:
    assert Settings.from_mapping({"docdiff": []}) == (Settings(), [])


def test_invalid_settings_fall_back_with_problems() -> None:
    s, problems = Settings.from_mapping(
        {
            "minWords": 0,
            "kinds": ["nonsense"],
            "severity": {"name": "loud"},
            "checkOn": 3,
            "inlayHints": "yes",
            "maxFileSize": 0,
            "mystery": 1,
        }
    )
    assert s == Settings()
    text = " ".join(problems)
    for name in (
        "minWords",
        "kinds",
        "severity",
        "checkOn",
        "inlayHints",
        "maxFileSize",
        "mystery",
    ):
        assert name in text


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
KEYS = st.sampled_from(
    [
        "corpus",
        "corpus.paths",
        "corpus.include",
        "index",
        "minWords",
        "minScore",
        "kinds",
        "severity",
        "formulae",
        "inlayHints",
        "codeLens",
        "checkOn",
        "maxFileSize",
        "seedWords",
    ]
)


@settings(max_examples=60, **RELAXED)  # type: ignore[arg-type]
@given(st.dictionaries(KEYS, JSON, max_size=6))
def test_settings_never_raise(data: dict[str, Any]) -> None:
    s, problems = Settings.from_mapping(data)
    assert isinstance(s, Settings)
    assert all(isinstance(p, str) for p in problems)


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("a.txt", "**/*.txt", True),
        ("x/y/a.txt", "**/*.txt", True),
        ("x/a.md", "**/*.txt", False),
        ("x/.docdiff/r.html", "**/.docdiff/**", True),
        ("drafts/a.txt", "drafts/**", True),
        ("a.txt", "*.txt", True),
        ("sub/a.txt", "*.txt", True),
    ],
)
def test_glob_match(path: str, pattern: str, expected: bool) -> None:
    assert globs.match(pattern, path) is expected


CORPUS_FILES = (
    "a.txt",
    "b.md",
    "notes.dat",
    "docs/copyright",
    "x/README",
    "docs/a.txt",
    "docs/a/b.txt",
    "docs/a/c.html",
    "drafts/d.txt",
    "drafts/old/e.txt",
    ".hidden/f.txt",
    "sub/.g.txt",
    "sub/~$h.docx",
    "x/y/z/deep.xml",
    "node_modules/m.txt",
    "we[ir]d*.txt",
)
GLOBS = st.lists(
    st.sampled_from(
        ["**/*.txt", "*.txt", "docs/*.txt", "docs/**", "drafts/**", "**/old/**", "*.md", "a.txt",
         "**/*.html", "x/*", "*/a/*", "we[[]ir]d[*].txt", "**/*.xml", "?.txt", "*/copyright",
         "*.dat", "README"]
    ),
    max_size=3,
)  # fmt: skip


@pytest.fixture(scope="module")
def corpus_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tree")
    for rel in CORPUS_FILES:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("words", encoding="utf-8")
    return root


@settings(max_examples=150, **RELAXED)  # type: ignore[arg-type]
@given(include=GLOBS, exclude=GLOBS)
def test_contains_agrees_with_the_corpus_walk(
    corpus_tree: Path, include: list[str], exclude: list[str]
) -> None:
    """One glob dialect: a saved file is in the corpus exactly when the indexer's walk
    yields it."""
    from docdiff.loaders import iter_corpus
    from docdiff_lsp.corpus import Corpus, CorpusSpec

    spec = CorpusSpec((corpus_tree,), tuple(include), tuple(exclude), corpus_tree / "i.db")
    corpus = Corpus(spec)
    walked = {
        p.resolve() for p in iter_corpus([corpus_tree], include=include, exclude=spec.excluded)
    }
    contained = {
        (corpus_tree / rel).resolve() for rel in CORPUS_FILES if corpus.contains(corpus_tree / rel)
    }
    assert contained == walked


def test_star_stays_in_its_folder_and_double_star_spans_subfolders(corpus_tree: Path) -> None:
    from docdiff_lsp.corpus import Corpus, CorpusSpec

    one = Corpus(CorpusSpec((corpus_tree,), ("docs/*.txt",), (), corpus_tree / "i.db"))
    assert one.contains(corpus_tree / "docs" / "a.txt")
    assert not one.contains(corpus_tree / "docs" / "a" / "b.txt")
    assert not one.contains(corpus_tree / "a.txt")
    deep = Corpus(CorpusSpec((corpus_tree,), ("docs/**/*.txt",), (), corpus_tree / "j.db"))
    assert deep.contains(corpus_tree / "docs" / "a" / "b.txt")
    assert not deep.contains(corpus_tree / "a.txt")


def test_broad_folders_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docdiff_lsp import confine

    home = tmp_path / "home" / "me"
    home.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    assert confine.broad_folder(Path("/")) == "is the filesystem root"
    assert confine.broad_folder(home) == "is your home folder"
    assert confine.broad_folder(tmp_path / "home") == "holds your home folder"
    assert confine.broad_folder(home / "project") is None
    kept, problems = confine.workspace_folders([Path("/"), home / "project"])
    assert kept == [home / "project"]
    assert len(problems) == 1
    assert "filesystem root" in problems[0]


def test_corpus_paths_keep_folders_and_corpus_documents_only(tmp_path: Path) -> None:
    from docdiff_lsp import confine

    (tmp_path / "letters").mkdir()
    (tmp_path / "one.txt").write_text("x", encoding="utf-8")
    (tmp_path / "credentials").write_text("secret", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    kept, problems = confine.corpus_roots(
        ["letters", str(tmp_path / "one.txt"), "credentials", "pipe.txt", "absent", "/"],
        tmp_path,
    )
    assert kept == [tmp_path / "letters", tmp_path / "one.txt"]
    text = " | ".join(problems)
    assert len(problems) == 4
    for needle in ("'credentials' is not a corpus document", "'pipe.txt' is not a regular",
                   "'absent' does not exist", "'/' is the filesystem root"):  # fmt: skip
        assert needle in text, needle
    assert confine.corpus_roots(["rel"], None)[1] == [
        "corpus path 'rel' is relative and there is no workspace"
    ]


def test_the_index_lives_under_docdiff_or_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docdiff_lsp import confine

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    ws, shared, elsewhere = tmp_path / "ws", tmp_path / "shared", tmp_path / "elsewhere"
    for folder in (ws, shared, elsewhere):
        folder.mkdir()
    roots = confine.Roots((ws,), (shared,))
    assert confine.index_location("", roots) == (ws / ".docdiff" / "index.db", None)
    for fine in (".docdiff/other.db", str(shared / ".docdiff" / "cli.db"),
                 str(tmp_path / "cache" / "docdiff" / "lsp" / "x.db")):  # fmt: skip
        path, problem = confine.index_location(fine, roots)
        assert problem is None, fine
        assert path.name.endswith(".db")
    for refused in (str(elsewhere / "i.db"), "i.db", str(ws / ".docdiff"), "../x/.docdiff/i.db"):
        path, problem = confine.index_location(refused, roots)
        assert path == ws / ".docdiff" / "index.db"
        assert problem is not None
        assert "setting 'index'" in problem, refused
    # A .docdiff that is a symlink leading out of the folder is neither used nor accepted.
    (ws / ".docdiff").symlink_to(elsewhere)
    path, problem = confine.index_location(str(ws / ".docdiff" / "i.db"), roots)
    assert problem is not None
    assert path.is_relative_to(tmp_path / "cache")
    assert confine.state_dir([ws]).is_relative_to(tmp_path / "cache")
    # A workspace the user cannot write to keeps its index in the user cache.
    (ws / ".docdiff").unlink()
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != ws)
    path, problem = confine.index_location("", roots)
    assert problem is None
    assert path.is_relative_to(tmp_path / "cache")


def test_the_formulae_file_must_be_a_regular_file_in_the_folders(tmp_path: Path) -> None:
    from docdiff_lsp import confine

    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "mine.txt").write_text("the {…} of {…}\n", encoding="utf-8")
    roots = confine.Roots((ws,), ())
    assert confine.formulae_file("mine.txt", roots) == (ws / "mine.txt", None)
    assert confine.formulae_file("", roots) == (None, None)
    path, problem = confine.formulae_file("/etc/passwd", roots)
    assert path is None
    assert problem == "/etc/passwd is outside the workspace and corpus folders"
    (ws / "link.txt").symlink_to("/etc/passwd")
    assert confine.formulae_file("link.txt", roots)[0] is None
    os.mkfifo(ws / "pipe.txt")
    assert confine.formulae_file("pipe.txt", roots)[1] == "pipe.txt is not a regular file"


def test_server_writes_replace_symlinks_and_stay_in_their_folder(tmp_path: Path) -> None:
    from docdiff.errors import DocdiffError
    from docdiff_lsp import confine

    state = tmp_path / "ws" / ".docdiff"
    victim = tmp_path / "bashrc"
    victim.write_text("mine", encoding="utf-8")
    (state / "reports").mkdir(parents=True)
    (state / "reports" / "a--b.html").symlink_to(victim)
    confine.write_text(state / "reports" / "a--b.html", "<p>report</p>", within=state)
    assert victim.read_text(encoding="utf-8") == "mine"
    assert (state / "reports" / "a--b.html").read_text(encoding="utf-8") == "<p>report</p>"
    assert not (state / "reports" / "a--b.html").is_symlink()
    (state / "elsewhere").symlink_to(tmp_path)
    with pytest.raises(DocdiffError, match="leads out of"):
        confine.write_text(state / "elsewhere" / "x.html", "x", within=state)
    assert not (tmp_path / "x.html").exists()
    assert sorted(p.name for p in (state / "reports").iterdir()) == ["a--b.html"]


def test_ignore_lists_never_write_through_a_planted_symlink(tmp_path: Path) -> None:
    from docdiff_lsp.reports import load_ignores, save_ignores

    state = tmp_path / ".docdiff"
    state.mkdir()
    victim = tmp_path / "bashrc"
    victim.write_text("# mine\n", encoding="utf-8")
    (tmp_path / ".docdiff.toml").symlink_to(victim)
    save_ignores(state, Ignores(sources=frozenset({str(tmp_path / "a.txt")})))
    assert victim.read_text(encoding="utf-8") == "# mine\n"
    assert not (tmp_path / ".docdiff.toml").is_symlink()
    ignores, problem = load_ignores(state)
    assert problem is None
    assert str(tmp_path / "a.txt") in ignores.sources


def test_format_of() -> None:
    assert format_of(Path("a.txt"), "plaintext") == "txt"
    assert format_of(Path("a.HTML"), None) == "html"
    assert format_of(Path("a.py"), "python") is None
    assert format_of(None, "markdown") == "md"


def _match(a: tuple[int, int], b_doc: str, score: float, kind: Kind = Kind.PHRASING) -> Match:
    return Match(Passage("me", Span(*a)), Passage(b_doc, Span(0, 5)), kind, score, 5)


def test_overlapping_matches_make_one_passage_best_first() -> None:
    me = Document("me", "", "txt", "0123456789" * 5)
    s1, s2 = Document("s1", "", "txt", "x" * 20), Document("s2", "", "txt", "y" * 20)
    summary = PairSummary(10, 10, 10, 10)
    report = Report(
        "query",
        (me, s1, s2),
        (
            PairResult(
                "me", "s1", (_match((0, 10), "s1", 70), _match((30, 40), "s1", 90)), summary
            ),
            PairResult("me", "s2", (_match((5, 15), "s2", 95),), summary),
        ),
    )
    passages, sources = group_passages(me, report, Ignores(), frozenset(Kind))
    assert [p.span for p in passages] == [Span(0, 15), Span(30, 40)]
    assert [u.source.id for u in passages[0].uses] == ["s2", "s1"]
    assert [d.id for _, d in sources] == ["s1", "s2"]
    ignored, _ = group_passages(me, report, Ignores(sources=frozenset({"s2"})), frozenset(Kind))
    assert [p.span for p in ignored] == [Span(0, 10), Span(30, 40)]
    quoted, _ = group_passages(
        me, report, Ignores(quotations=frozenset({"0123456789"})), frozenset(Kind)
    )
    assert quoted[0].uses[-1].match.kind is Kind.QUOTATION
    only_names, _ = group_passages(me, report, Ignores(), frozenset({Kind.NAME}))
    assert only_names == ()


def test_side_by_side_marks_each_side() -> None:
    mine, theirs = side_by_side("lies and distortions", "distortions and lies")
    assert "**" in mine
    assert "**" in theirs
    assert "~~" not in mine + theirs
    assert side_by_side("same words", "same words") == ("same words", "same words")
    plain = side_by_side("a b c", "a x c", markdown=False)
    assert plain == ("a [b] c", "a [x] c")


def test_html_buffer_positions_point_into_the_markup(tmp_path: Path) -> None:
    """An HTML buffer is read through the loaders; ranges land on the words in the markup.

    The corpus is the server's own: the SQLite index, updated in this process.
    """
    from docdiff_lsp.confine import Roots
    from docdiff_lsp.corpus import Corpus, spec_for
    from docdiff_lsp.server import DocdiffServer

    letters = Path(__file__).resolve().parents[2] / "fixtures" / "letters"
    if not letters.is_dir():
        pytest.skip("fixtures/letters is absent")
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    for name in ("01_examplia_un_2021.txt", "05_testavia_ga_2019.txt"):
        (corpus_dir / name).write_text((letters / name).read_text(encoding="utf-8"), "utf-8")
    paragraph = next(
        p
        for p in (letters / "01_examplia_un_2021.txt").read_text(encoding="utf-8").split("\n\n")
        if p.startswith("The people of Examplia")
    )
    html = (
        "<!doctype html><html><head><title>Draft</title><style>p{margin:0}</style></head>"
        "<body>\n<h1>Draft reply &amp; notes</h1>\n<p>Our own words come first here.</p>\n"
        f"<p><b>Note:</b> {paragraph}</p>\n</body></html>\n"
    )
    spec, problems = spec_for(Roots((corpus_dir,), ()), include=["**/*.txt"], exclude=[], index="")
    assert problems == []
    assert spec.index_path == corpus_dir / ".docdiff" / "index.db"
    corpus = Corpus(spec)
    assert corpus.update(lambda *_: None, threading.Event()).documents == 2
    server = DocdiffServer()
    for encoding in ENCODINGS:
        analysis, diagnostics = server.analyse(
            corpus,
            uri=(tmp_path / "draft.html").as_uri(),
            version=1,
            text=html,
            fmt="html",
            settings=Settings(),
            ignores=Ignores(),
            encoding=encoding,  # type: ignore[arg-type]
        )
        phrasing = [d for d in diagnostics if d.code == "phrasing"]
        assert phrasing
        start = analysis.lines.offset(phrasing[0].range.start, encoding)  # type: ignore[arg-type]
        end = analysis.lines.offset(phrasing[0].range.end, encoding)  # type: ignore[arg-type]
        covered = html[start:end]
        assert "<" not in covered[:20]
        assert covered.split()[0] in paragraph.split()[:3]
        assert "Examplia" in covered
    corpus.close()


def test_bad_formulae_lexicon_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    from docdiff_lsp.server import _check_lexicon

    missing, _ = Settings.from_mapping({"formulae": str(tmp_path / "absent.txt")})
    assert "absent.txt" in (_check_lexicon(missing) or "")
    broken = tmp_path / "broken.txt"
    broken.write_text("the {… of (a|\n", encoding="utf-8")
    bad, _ = Settings.from_mapping({"formulae": str(broken)})
    assert "broken.txt" in (_check_lexicon(bad) or "")
    good = tmp_path / "good.txt"
    good.write_text("# ours\nthe embassy of {…} presents its compliments to {…}\n", "utf-8")
    fine, _ = Settings.from_mapping({"formulae": str(good)})
    assert _check_lexicon(fine) is None


def test_an_index_the_server_updates_keeps_its_word_postings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The server's index updates (in this process, and its indexing child's `main`) keep the
    word postings a query tells the corpus's topics by, so its first query does not make them."""
    from docdiff.index import CorpusIndex
    from docdiff_lsp import indexing
    from docdiff_lsp.confine import Roots
    from docdiff_lsp.corpus import Corpus, spec_for

    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    for n in range(3):
        (corpus_dir / f"{n}.txt").write_text(
            f"Letter {n}: the harbour council met on the northern quay at noon.", "utf-8"
        )
    spec, _ = spec_for(Roots((corpus_dir,), ()), include=["**/*.txt"], exclude=[], index="")
    assert Corpus(spec).update(lambda *_: None, threading.Event()).documents == 3
    with CorpusIndex.open(spec.index_path, readonly=True) as idx:
        assert idx.has_corpus_blob("word_postings")
    child = tmp_path / "child.db"
    argv = ["--index", str(child), "--root", str(corpus_dir), "--include", "**/*.txt"]
    assert indexing.main(argv) == 0
    assert '"summary"' in capsys.readouterr().out
    with CorpusIndex.open(child, readonly=True) as idx:
        assert idx.has_corpus_blob("word_postings")
