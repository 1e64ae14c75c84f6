"""Unit tests of the server's pure parts: line index, encodings, edits, settings, grouping."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types

from docdiff.model import Document, Kind, Match, PairResult, PairSummary, Passage, Report, Span
from docdiff.options import Options
from docdiff_lsp.analysis import Ignores, format_of, group_passages
from docdiff_lsp.convert import LineIndex, apply_change, side_by_side
from docdiff_lsp.corpus import fnmatch_globs, glob_match
from docdiff_lsp.settings import DEFAULT_SEVERITY, Settings

ENCODINGS = ("utf-8", "utf-16", "utf-32")
# Line breaks LSP knows, characters it does not treat as breaks, and multi-unit characters.
ALPHABET = st.sampled_from([*"ab \n\r\f\u2028\u0085—é", "\r\n", "😀", "𝔘", "한"])
TEXTS = st.lists(ALPHABET, max_size=40).map("".join)


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


@settings(max_examples=200)
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
    assert glob_match(path, pattern) is expected


def test_fnmatch_globs_also_match_top_level() -> None:
    assert fnmatch_globs(["**/*.txt", "*.md"]) == ("**/*.txt", "*.txt", "*.md")


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

    This also runs the in-memory corpus (the fallback when no index module is present).
    """
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
    spec = spec_for(
        [corpus_dir], paths=[], include=["**/*.txt"], exclude=[], index="", fallback_dir=tmp_path
    )
    corpus = Corpus(spec, backend="memory")
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
