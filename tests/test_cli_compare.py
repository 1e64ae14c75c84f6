"""`docdiff compare`: formats, exit codes, the JSON contract, errors as one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from docdiff.cli import app
from docdiff.engine.compare import compare
from docdiff.loaders import load_text
from docdiff.render.jsonout import dumps, loads, report_from_dict, report_to_dict

ROOT = Path(__file__).resolve().parent.parent
LETTERS = ROOT / "fixtures" / "letters"
EDGE = ROOT / "fixtures" / "edge"
A = str(LETTERS / "01_examplia_un_2021.txt")
B = str(LETTERS / "02_examplia_ohchr_2023.txt")
runner = CliRunner()


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_text_output_shows_passages_and_summary() -> None:
    code, out, _ = invoke("compare", A, B, "--no-color", "--explain")
    assert code == 0
    for word in ("formula", "name", "phrasing", "paraphrase", "similarity", "distinctive"):
        assert word in out
    assert "shared:" in out


def test_json_contract() -> None:
    code, out, _ = invoke("compare", A, B, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["schema"] == "docdiff.compare/2"
    assert [set(d) >= {"id", "path", "format", "chars", "words"} for d in data["documents"]] == [
        True,
        True,
    ]
    assert set(data["summary"]) >= {
        "coverage_a",
        "coverage_b",
        "similarity",
        "distinctive_similarity",
    }
    texts = [Path(A).read_text("utf-8"), Path(B).read_text("utf-8")]
    assert data["matches"]
    for m in data["matches"]:
        assert set(m) >= {"kind", "score", "words", "a", "b"}
        assert 0 <= m["score"] <= 100
        for side, text in zip(("a", "b"), texts, strict=True):
            p = m[side]
            assert text[p["start"] : p["end"]] == p["text"]
            assert p["text"][0].isalnum()
            assert p["text"][-1].isalnum()


@pytest.mark.parametrize("fmt", ["md", "html", "csv"])
def test_other_formats_to_file(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    code, _, _ = invoke("compare", A, B, "--format", fmt, "-o", str(out))
    assert code == 0
    text = out.read_text("utf-8")
    assert "Examplia" in text


def test_text_to_file_has_no_colour_codes(tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    assert invoke("compare", A, B, "-o", str(out))[0] == 0
    assert "\x1b[" not in out.read_text("utf-8")


def test_fail_above_sets_exit_code() -> None:
    assert invoke("compare", A, B, "--fail-above", "1")[0] == 1
    assert invoke("compare", A, B, "--fail-above", "99.9")[0] == 0
    assert invoke("compare", A, A, "--fail-above", "100")[0] == 1


def test_stdin(tmp_path: Path) -> None:
    code, out, _ = invoke("compare", "-", B, "--format", "json", stdin=Path(A).read_text("utf-8"))
    assert code == 0
    assert json.loads(out)["documents"][0]["id"] == "-"


def test_kinds_filter() -> None:
    code, out, _ = invoke("compare", A, B, "--format", "json", "--kinds", "name")
    assert code == 0
    assert {m["kind"] for m in json.loads(out)["matches"]} == {"name"}


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["compare", "missing.txt", B], "missing.txt"),
        (["compare", str(EDGE / "binary.bin"), B], "binary.bin"),
        (["compare", str(EDGE / "bad_encoding.txt"), B], "bad_encoding.txt"),
        (["compare", str(EDGE / "malformed.docx"), B], "malformed.docx"),
        (["compare", str(EDGE / "malformed.xml"), B], "malformed.xml"),
        (["compare", A, B, "--format", "pdf"], "--format"),
        (["compare", A, B, "--kinds", "gossip"], "gossip"),
        (["compare", A, B, "--min-score", "140"], "--min-score must be between 0 and 100"),
        (["compare", A, B, "--min-words", "-3"], "--min-words must be at least 1, not -3"),
        (["compare", A, B, "--seed-words", "40"], "--seed-words must be between 2 and 12"),
        (["compare", A, B, "--formulae", "nope.txt"], "nope.txt"),
        (["compare", "-", "-"], "stdin"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], needle: str) -> None:
    code, out, err = invoke(*args)
    assert code == 2, (out, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("docdiff: ")
    assert needle in lines[0]
    assert "Traceback" not in err


def test_edge_documents_compare_cleanly() -> None:
    for name in ("one_word.txt", "cp1252.txt", "utf16_bom.txt", "sample.html"):
        code, _, err = invoke("compare", str(EDGE / name), str(EDGE / name))
        assert code == 0, (name, err)
    # An empty file would read as "no reuse": it is refused by name.
    code, _, err = invoke("compare", str(EDGE / "empty.txt"), str(EDGE / "one_word.txt"))
    assert code == 2
    why = "holds no words (an empty or blank file): nothing to compare"
    assert err.splitlines() == [f"docdiff: {EDGE / 'empty.txt'}: {why}"]


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys\n"
        "sys.argv = ['docdiff', '--help']\n"
        "from docdiff.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('numpy', 'lxml', 'rapidfuzz', 'pygls', 'ray', 'diff_match_patch',"
        " 'docdiff.render.html', 'pypdf') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout, out.stdout[-500:]


def test_python_dash_m() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "docdiff", "compare", A, B, "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0
    assert json.loads(out.stdout)["schema"] == "docdiff.compare/2"


words = st.sampled_from(
    "the honour sovereignty rejects resolution fabricated hostile forces Examplia dignity "
    "people of and to Office Nations“ ” — interference, lies. report".split()
)
docs = st.lists(words, max_size=60).map(" ".join)


@settings(max_examples=40, deadline=None)
@given(docs, docs)
def test_json_round_trips(a: str, b: str) -> None:
    report = compare(load_text(a, doc_id="a"), load_text(b, doc_id="b"))
    data = report_to_dict(report)
    again = report_from_dict(json.loads(json.dumps(data)))
    assert report_to_dict(again) == data
    assert loads(dumps(report)).pairs == report.pairs


def test_the_word_counts_come_from_the_engine_and_survive_a_round_trip() -> None:
    """`compare` carries each document's word count (no second count when writing JSON), the
    count is the tokenizer's, and a report read back keeps it even when its text is partial."""
    from docdiff.text.tokens import tokenize

    a = load_text("The Mission has the honour to refer to the joint communication.", doc_id="a")
    b = load_text("It has the honour to refer to the communication of 3 May.", doc_id="b")
    report = compare(a, b)
    assert [d.words for d in report.documents] == [len(tokenize(a.text)), len(tokenize(b.text))]
    data = report_to_dict(report)
    counts = [d["words"] for d in data["documents"]]
    assert counts == [d.words for d in report.documents]
    again = report_from_dict(json.loads(json.dumps(data)))
    assert [d.words for d in again.documents] == counts


def test_echo_rows_wrap_inside_their_own_columns(tmp_path: Path) -> None:
    """In a narrow terminal a long echo wraps under its own phrase, not under the id and kind."""
    words = "impartiality objectivity neutrality steadfastness".split()
    phrase = " ".join(words)
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    filler_a = "Fishing quotas were revised after the autumn survey of the northern banks."
    filler_b = "The orchestra rehearsed a new symphony in the restored concert hall."
    a.write_text(f"{filler_a} We value {phrase} above all. {filler_a}\n", "utf-8")
    b.write_text(f"{filler_b} They praised {phrase} again. {filler_b}\n", "utf-8")
    result = CliRunner(env={"COLUMNS": "48"}).invoke(
        app, ["compare", str(a), str(b), "--no-color", "--explain"]
    )
    assert result.exit_code == 0, result.stdout
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("e1 "))
    end = next(i for i, line in enumerate(lines) if line.startswith("Summary"))
    rows = lines[start:end]
    text_column = rows[0].index(words[0][:5])
    for line in rows[1:]:
        if not line.lstrip().startswith("e"):
            assert line[:text_column].strip() == "", line
    assert all(len(line) <= 48 for line in rows)
