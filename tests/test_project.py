"""The project file (.docdiff.toml): reading, the safe writer, and applying it to results."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docdiff.model import Document, Kind, Match, PairResult, PairSummary, Report, Span
from docdiff.model import Passage as Side
from docdiff.options import ALL_KINDS, Options
from docdiff.project import (
    FILE_NAME,
    Project,
    ProjectError,
    add_ignores,
    filter_report,
    find_project,
    for_cli,
    load_project,
    toml_string,
    with_project,
)

EXAMPLE = """# team settings
[corpus]
paths = ["archive"]
include = ["**/*.txt"]

[kinds]
name = "off"
phrasing = "warning"

[ignore]
sources = ["old/a.txt"]  # kept
formulae = []

[lexicon]
file = "extra.txt"
"""


def test_reads_every_table(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    path.write_text(EXAMPLE, encoding="utf-8")
    project = load_project(path)
    assert project.corpus_paths == (str((tmp_path / "archive").resolve()),)
    assert project.include == ("**/*.txt",)
    assert project.severity == {"name": "off", "phrasing": "warning"}
    assert project.kinds == ALL_KINDS - {Kind.NAME}
    assert project.ignored_sources == ("old/a.txt",)
    assert str((tmp_path / "old" / "a.txt").resolve()) in project.source_keys()
    assert project.lexicon == str((tmp_path / "extra.txt").resolve())


def test_found_from_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_text("", encoding="utf-8")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert find_project(sub) == (tmp_path / FILE_NAME).resolve()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[corpus\n", "not valid TOML"),
        ("[colour]\n", "unknown table 'colour'"),
        ("[kinds]\nphrasing = 'loud'\n", "[kinds] phrasing must be one of"),
        ("[kinds]\nshouting = 'hint'\n", "[kinds] has unknown key 'shouting'"),
        ("[ignore]\nsources = 3\n", "[ignore] sources must be a list of strings"),
        ("corpus = 1\n", "corpus must be a table"),
    ],
)
def test_bad_files_name_the_file_and_the_problem(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / FILE_NAME
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProjectError) as info:
        load_project(path)
    assert str(path) in str(info.value)
    assert problem in str(info.value)
    assert "\n" not in str(info.value)


def test_add_ignores_keeps_the_rest_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    path.write_text(EXAMPLE, encoding="utf-8")
    project = add_ignores(
        path, sources=[str(tmp_path / "new" / "b.txt")], formulae=["honour"], quotations=['a "q"']
    )
    assert project.ignored_sources == ("old/a.txt", "new/b.txt")
    assert project.ignored_formulae == ("honour",)
    assert project.quotations == ('a "q"',)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# team settings\n[corpus]")
    assert '[lexicon]\nfile = "extra.txt"' in text
    assert project.severity == {"name": "off", "phrasing": "warning"}
    # Adding the same entries again changes nothing.
    assert add_ignores(path, formulae=["honour"]).ignored_formulae == ("honour",)


def test_add_ignores_creates_the_file(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    project = add_ignores(path, formulae=["assurances"])
    assert project.ignored_formulae == ("assurances",)
    assert tomllib.loads(path.read_text(encoding="utf-8"))["ignore"]["formulae"] == ["assurances"]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text())
def test_toml_strings_round_trip(text: str) -> None:
    assert tomllib.loads(f"v = {toml_string(text)}")["v"] == text


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.text(min_size=1), max_size=4), st.lists(st.text(min_size=1), max_size=4))
def test_written_ignores_read_back(
    tmp_path_factory: pytest.TempPathFactory, formulae: list[str], quotations: list[str]
) -> None:
    path = tmp_path_factory.mktemp("p") / FILE_NAME
    path.write_text('[corpus]\ninclude = ["*.md"]\n', encoding="utf-8")
    project = add_ignores(path, formulae=formulae, quotations=quotations)
    assert project.ignored_formulae == tuple(dict.fromkeys(formulae))
    assert project.quotations == tuple(dict.fromkeys(quotations))
    assert project.include == ("*.md",)


def _report(tmp_path: Path) -> Report:
    a = Document(
        "a", str(tmp_path / "a.txt"), "txt", "I have the honour to refer to it. Hello there world."
    )
    b = Document("b", str(tmp_path / "old" / "b.txt"), "txt", "We have the honour to refer to it.")
    c = Document("c", str(tmp_path / "c.txt"), "txt", "Hello there world.")
    s = PairSummary(10, 10, 10, 10)

    def m(kind: Kind, span: Span, other: str, formula: str | None = None) -> Match:
        return Match(Side("a", span), Side(other, span), kind, 100, 3, formula=formula)

    return Report(
        "query",
        (a, b, c),
        (
            PairResult("a", "b", (m(Kind.FORMULA, Span(2, 29), "b", "T honour"),), s),
            PairResult("a", "c", (m(Kind.PHRASING, Span(34, 52), "c"),), s),
        ),
    )


def test_filter_report_drops_ignored_sources_and_formulae(tmp_path: Path) -> None:
    report = _report(tmp_path)
    none = filter_report(report, Project())
    assert none == report
    project = Project(path=tmp_path / FILE_NAME, ignored_sources=("old/b.txt",))
    assert [p.b for p in filter_report(report, project).pairs] == ["c"]
    project = Project(path=tmp_path / FILE_NAME, ignored_formulae=("honour",))
    kept = filter_report(report, project, {"T honour": "honour"})
    assert [len(p.matches) for p in kept.pairs] == [0, 1]
    project = Project(path=tmp_path / FILE_NAME, quotations=("hello THERE world.",))
    relabelled = filter_report(report, project)
    assert relabelled.pairs[1].matches[0].kind is Kind.QUOTATION


def test_with_project_fills_what_the_command_line_left_alone(tmp_path: Path) -> None:
    project = Project(
        path=tmp_path / FILE_NAME, severity={"name": "off"}, lexicon=str(tmp_path / "x.txt")
    )
    options = with_project(Options(), project)
    assert options.kinds == ALL_KINDS - {Kind.NAME}
    assert options.formulae == str(tmp_path / "x.txt")
    chosen = Options(kinds=frozenset({Kind.PHRASING}), formulae="mine.txt")
    assert with_project(chosen, project) == chosen


def test_for_cli_reads_the_nearest_project_file(tmp_path: Path) -> None:
    report = _report(tmp_path)
    options, apply = for_cli(Options(), tmp_path)
    assert options == Options()
    assert apply(report) is report
    (tmp_path / FILE_NAME).write_text(
        '[kinds]\nname = "off"\n[ignore]\nsources = ["c.txt"]\n', encoding="utf-8"
    )
    sub = tmp_path / "letters"
    sub.mkdir()
    options, apply = for_cli(Options(), sub)
    assert Kind.NAME not in options.kinds
    assert [p.b for p in apply(report).pairs] == ["b"]
    (tmp_path / FILE_NAME).write_text("[kinds\n", encoding="utf-8")
    with pytest.raises(ProjectError):
        for_cli(Options(), sub)
