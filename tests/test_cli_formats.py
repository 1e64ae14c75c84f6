"""One format registry for every command: `-o`'s suffix picks the format, `--format` wins over it,
an unknown suffix is one line and exit 2, and stdout and a file get the same bytes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from docdiff.cli import app
from docdiff.errors import OptionsError
from docdiff.render.formats import FORMATS, Kind, choose, names

ROOT = Path(__file__).resolve().parent.parent
LETTERS = ROOT / "fixtures" / "letters"
A = str(LETTERS / "01_examplia_un_2021.txt")
B = str(LETTERS / "02_examplia_ohchr_2023.txt")
CORPUS = ROOT / "fixtures" / "corpus" / "letters"
runner = CliRunner()


def _is_json(schema: str) -> Callable[[str], bool]:
    return lambda t: json.loads(t)["schema"].startswith(schema)


def _is_html(t: str) -> bool:
    return t.lstrip().lower().startswith("<!doctype html")


def _is_md(t: str) -> bool:
    return t.startswith("# ")


def _is_csv(t: str) -> bool:
    rows = list(csv.reader(io.StringIO(t)))
    return len(rows) >= 2 and len(rows[0]) > 3 and len({len(r) for r in rows}) == 1


def _is_text(word: str) -> Callable[[str], bool]:
    return lambda t: word in t and not t.lstrip().startswith(("{", "<", "#")) and "\x1b[" not in t


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with an index of the corpus fixture and a saved scan result."""
    folder = tmp_path_factory.mktemp("formats")
    db = folder / "corpus.db"
    result = runner.invoke(app, ["index", "build", str(CORPUS), "--db", str(db), "--no-progress"])
    assert result.exit_code == 0, result.output
    scan = runner.invoke(
        app, ["scan", "--db", str(db), "--no-progress", "-o", str(folder / "s.json")]
    )
    assert scan.exit_code == 0, scan.output
    return folder


def _args(command: str, work: Path) -> list[str]:
    db = str(work / "corpus.db")
    return {
        "compare": ["compare", A, B],
        "scan": ["scan", "--db", db, "--no-progress"],
        "formulae": ["formulae", "--db", db, "--no-progress", "--min-docs", "2"],
        "query": ["query", str(min(CORPUS.iterdir())), "--db", db],
        "report": ["report", str(work / "s.json")],
        "diff": ["diff", A, B],
    }[command]


SUFFIX_CASES: list[tuple[str, str, Callable[[str], bool]]] = [
    ("compare", "r.json", _is_json("docdiff.compare/")),
    ("compare", "r.md", _is_md),
    ("compare", "r.markdown", _is_md),
    ("compare", "r.html", _is_html),
    ("compare", "r.htm", _is_html),
    ("compare", "r.csv", _is_csv),
    ("compare", "r.txt", _is_text("similarity")),
    ("compare", "r", _is_text("similarity")),
    ("scan", "s.json", _is_json("docdiff.scan/")),
    ("scan", "s.md", _is_md),
    ("scan", "s.html", _is_html),
    ("scan", "s.csv", _is_csv),
    ("scan", "s.txt", _is_text("documents")),
    ("formulae", "f.json", _is_json("docdiff.scan/")),
    ("formulae", "f.md", _is_md),
    ("formulae", "f.html", _is_html),
    ("formulae", "f.txt", _is_text(" in 8 documents")),
    ("query", "q.json", _is_json("docdiff.query/")),
    ("query", "q.md", _is_md),
    ("query", "q.html", _is_html),
    ("query", "q.csv", _is_csv),
    ("query", "q.txt", _is_text("distinctive")),
    ("report", "r.json", _is_json("docdiff.scan/")),
    ("report", "r.md", _is_md),
    ("report", "r.html", _is_html),
    ("report", "r.csv", _is_csv),
    ("report", "r.txt", _is_text("documents")),
    ("diff", "d.json", _is_json("docdiff.diff/")),
    ("diff", "d.html", _is_html),
    ("diff", "d.diff", lambda t: t.startswith("--- ")),
    ("diff", "d.patch", lambda t: t.startswith("@@ -")),
    ("diff", "d.dmp", lambda t: t.startswith("@@ -")),
    ("diff", "d.txt", _is_text("unchanged")),
]


@pytest.mark.parametrize(
    ("command", "name", "check"), SUFFIX_CASES, ids=[f"{c}-{n}" for c, n, _ in SUFFIX_CASES]
)
def test_the_output_suffix_picks_the_format(
    work: Path, tmp_path: Path, command: str, name: str, check: Callable[[str], bool]
) -> None:
    out = tmp_path / name
    result = runner.invoke(app, [*_args(command, work), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert check(out.read_text("utf-8"))


COMMANDS = ["compare", "scan", "formulae", "query", "report", "diff"]


@pytest.mark.parametrize("command", COMMANDS)
def test_an_unknown_suffix_is_one_line_and_exit_2(work: Path, tmp_path: Path, command: str) -> None:
    out = tmp_path / "result.xyz"
    result = runner.invoke(app, [*_args(command, work), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "result.xyz" in result.stderr
    assert "--format" in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_format_wins_over_the_suffix(work: Path, tmp_path: Path, command: str) -> None:
    out = tmp_path / "result.html"
    result = runner.invoke(app, [*_args(command, work), "-f", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text("utf-8"))["schema"].startswith("docdiff.")


@pytest.mark.parametrize("command", ["compare", "query", "diff"])
def test_stdout_and_a_file_get_the_same_bytes(work: Path, tmp_path: Path, command: str) -> None:
    out = tmp_path / "result.json"
    to_file = runner.invoke(app, [*_args(command, work), "-o", str(out)])
    to_stdout = runner.invoke(app, [*_args(command, work), "-f", "json"])
    assert to_file.exit_code == to_stdout.exit_code == 0
    assert to_stdout.stdout_bytes == out.read_bytes()


def test_every_command_reads_the_same_spellings(work: Path, tmp_path: Path) -> None:
    """``terminal`` is text and ``markdown`` is md for every command that has them."""
    diff = runner.invoke(app, [*_args("diff", work), "-f", "terminal"])
    compare = runner.invoke(app, [*_args("compare", work), "-f", "terminal", "--no-color"])
    assert diff.exit_code == compare.exit_code == 0
    assert "unchanged" in diff.stdout
    assert "similarity" in compare.stdout
    out = tmp_path / "r.out"
    report = runner.invoke(app, [*_args("report", work), "-f", "markdown", "-o", str(out)])
    assert report.exit_code == 0, report.output
    assert _is_md(out.read_text("utf-8"))


@pytest.mark.parametrize("command", ["compare", "diff"])
def test_a_format_the_command_lacks_is_refused(work: Path, command: str) -> None:
    lacking = "patch" if command == "compare" else "csv"
    result = runner.invoke(app, [*_args(command, work), "-f", lacking])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert f"not {lacking!r}" in result.stderr


def test_report_shows_a_saved_result_as_text(work: Path) -> None:
    """Text is the default for `report` too: the scan's own view, from the JSON alone."""
    shown = runner.invoke(app, _args("report", work))
    scanned = runner.invoke(app, _args("scan", work))
    assert shown.exit_code == scanned.exit_code == 0
    assert shown.stdout == scanned.stdout


# --- the registry --------------------------------------------------------------------------------


def test_no_suffix_names_two_formats() -> None:
    seen = [s for f in FORMATS.values() for s in f.suffixes]
    assert len(seen) == len(set(seen))
    spellings = [s for f in FORMATS.values() for s in (f.name, *f.aliases)]
    assert len(spellings) == len(set(spellings))


KINDS: list[Kind] = ["report", "diff"]


@given(st.sampled_from(KINDS), st.sampled_from(sorted(FORMATS)), st.text(max_size=8))
def test_the_suffix_of_a_format_chooses_it(kind: Kind, name: str, stem: str) -> None:
    """Every suffix of a format the kind supports chooses it, in any case; others are refused."""
    for suffix in FORMATS[name].suffixes:
        path = Path(f"out{stem.replace('/', '').replace('.', '')}{suffix.upper()}")
        if name in names(kind):
            assert choose(kind, None, path) == name
        else:
            with pytest.raises(OptionsError):
                choose(kind, None, path)


@given(st.sampled_from(KINDS), st.sampled_from(sorted(FORMATS)), st.sampled_from([".json", ""]))
def test_an_explicit_format_wins(kind: Kind, name: str, suffix: str) -> None:
    path = Path(f"out{suffix}")
    if name in names(kind):
        assert choose(kind, name, path) == name
        for alias in FORMATS[name].aliases:
            assert choose(kind, alias, path) == name
    else:
        with pytest.raises(OptionsError, match="--format must be one of"):
            choose(kind, name, path)


def test_without_output_or_format_text_is_written() -> None:
    assert choose("report", None, None) == "text"
    assert choose("diff", None, Path("/dev/stdout")) == "text"


def test_index_info_refuses_a_format_it_lacks(work: Path) -> None:
    result = runner.invoke(app, ["index", "info", "--db", str(work / "corpus.db"), "-f", "yaml"])
    assert result.exit_code == 2
    assert result.stderr == "docdiff: --format must be text or json, not 'yaml'\n"


def test_a_json_report_holds_a_line_for_each_field_and_each_element_of_its_lists() -> None:
    """`grep` and `jq -c` read a report line by line: each top-level field opens a line, and
    each document and match stands whole on a line of its own."""
    from docdiff.engine.compare import compare
    from docdiff.loaders import load
    from docdiff.render.jsonout import dumps

    report = compare(load(A), load(B))
    text = dumps(report)
    data = json.loads(text)
    lines = text.splitlines()
    assert lines[0] == "{"
    assert lines[-1] == "}"
    fields = [line for line in lines if line.startswith('  "')]
    assert [f.split('"')[1] for f in fields] == list(data)
    elements = [json.loads(line.strip().rstrip(",")) for line in lines if line.startswith("    ")]
    assert elements == [x for key in data if isinstance(data[key], list) for x in data[key]]
    assert len(data["matches"]) > 1


def test_a_json_report_written_in_pieces_is_the_json_of_the_report(tmp_path: Path) -> None:
    """A JSON report goes out as the encoder makes it (never one string): the file and stdout
    hold exactly `dumps`'s text, and a failure while writing leaves the old file untouched."""
    from docdiff.cli._output import write_result
    from docdiff.engine.compare import compare
    from docdiff.loaders import load
    from docdiff.render.formats import render
    from docdiff.render.jsonout import dumps

    report = compare(load(A), load(B))
    whole = dumps(report) + "\n"
    pieces = render("report", report, "json")
    assert not isinstance(pieces, str)
    out = tmp_path / "r.json"
    write_result(pieces, out)
    assert out.read_text("utf-8") == whole

    def broken() -> Iterator[str]:
        yield whole[:100]
        raise RuntimeError("the renderer failed")

    with pytest.raises(RuntimeError):
        write_result(broken(), out)
    assert out.read_text("utf-8") == whole
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_the_markdown_formulae_table_has_date_columns_only_for_dated_formulae() -> None:
    """Formulae of documents without dates had two empty columns ("first", "last") on every
    row of the Markdown report; the HTML report already left them out."""
    from docdiff.model import Formula, Report
    from docdiff.render.markdown import render_markdown

    undated = Report("scan", (), (), formulae=(Formula("Not printed.", 12),))
    text = render_markdown(undated)
    assert "| template | documents | slot examples |\n|---|---:|---|\n" in text
    assert "| Not printed. | 12 |  |\n" in text
    dated = Report("scan", (), (), formulae=(Formula("Not printed.", 12, (), "1948", "1951"),))
    assert "| Not printed. | 12 |  | 1948 | 1951 |" in render_markdown(dated)


def test_a_one_word_passage_is_one_word_in_every_format() -> None:
    """Counts read as a person writes them: "1 word", never "1 words", in the terminal, HTML
    and Markdown (a passage of one word is shown with ``--min-words 1``; a document may be one
    word long)."""
    import dataclasses

    from docdiff.cli.terminal import print_compare
    from docdiff.engine.compare import compare
    from docdiff.loaders import load, load_text
    from docdiff.render.html import _doc_head, render_html
    from docdiff.render.markdown import render_markdown

    report = compare(load(A), load(B))
    pair = report.pairs[0]
    one = dataclasses.replace(pair.matches[0], words=1)
    report = dataclasses.replace(report, pairs=(dataclasses.replace(pair, matches=(one,)),))
    out = io.StringIO()
    print_compare(report, file=out, color=False)
    texts = [out.getvalue(), render_html(report), render_markdown(report)]
    for text in texts:
        assert "1 words" not in text
        assert "1 shared words" not in text
    assert "1 shared word " in texts[0]
    assert '<span class="words">1 word</span>' in texts[1]
    assert ", 1 word\n" in texts[2]
    assert "(1 word)" in _doc_head(load_text("Pyongyang", doc_id="one"))


def test_a_document_is_as_many_words_in_html_as_in_json() -> None:
    """The HTML report's document line counts words as the JSON report does (a token a word:
    a character of Chinese), not by the spaces between them: a Chinese letter was "5 words"."""
    from docdiff.loaders import load_text
    from docdiff.render.html import _doc_head
    from docdiff.render.jsonout import _document

    for text in ("我们在此重申对联合国宪章宗旨和原则的坚定承诺。\n\n各国应当和平解决争端。", A):
        doc = load_text(text if text != A else Path(A).read_text("utf-8"), doc_id="d")
        assert text == A or "(2 words" not in _doc_head(doc)  # (two runs between spaces)
        words = _document(doc, include_text=False)["words"]
        assert f"({words} words" in _doc_head(doc)
    assert "(22 words" in _doc_head(
        load_text("我们在此重申对联合国宪章宗旨和原则的坚定承诺", doc_id="z")
    )


def test_a_markdown_passage_says_its_line_and_its_characters() -> None:
    """A passage's heading in a Markdown report gives its line, as the terminal does, before
    its characters: an analyst finds it by the one, a program by the other."""
    from docdiff.engine.compare import compare
    from docdiff.loaders import load_text
    from docdiff.render.markdown import render_markdown

    shared = (
        "the joint fisheries commission will convene an extraordinary session in the spring "
        "to review the quotas for migratory tuna stocks"
    )
    a = load_text(f"Dear colleagues,\n\nWe note that {shared}.\n", doc_id="a")
    b = load_text(f"Minutes\n\nItem 4\n\nIt was agreed that {shared}.\n", doc_id="b")
    report = compare(a, b)
    text = render_markdown(report)
    (m,) = [m for m in report.pairs[0].matches if "tuna" in a.slice(m.a.span)]
    assert f"A, line 3 [{m.a.span.start}–{m.a.span.end}]:" in text, text
    assert f"B, line 5 [{m.b.span.start}–{m.b.span.end}]:" in text, text
