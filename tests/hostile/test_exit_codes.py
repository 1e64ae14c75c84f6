"""One stderr line, never a traceback, and distinct exit codes (2 bad input, 3 internal error).

Exit code 1 stays reserved for ``--fail-above`` (and ``diff --exit-code``).
"""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
import typer

from docdiff.cli._app import atomic_open, atomic_write, friendly
from docdiff.errors import EXIT_BAD_INPUT, EXIT_INTERNAL, OutputError
from tests.hostile._proc import docdiff, letter, write_corpus


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(letter(1) + " " + letter(2), encoding="utf-8")
    b.write_text(letter(1) + " " + letter(3), encoding="utf-8")
    return a, b


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- full disk and failed writes ----------------------------------------------------------------


@pytest.mark.parametrize("format", ["text", "md", "html"])
def test_compare_output_on_a_full_disk_is_one_line_and_keeps_the_old_file(
    pair: tuple[Path, Path], tmp_path: Path, format: str
) -> None:
    out = tmp_path / "out" / f"result.{format}"
    out.parent.mkdir()
    out.write_text("the previous result", encoding="utf-8")
    run = docdiff("compare", *pair, "-f", format, "-o", out, file_size=2_000)
    assert run.code == EXIT_BAD_INPUT
    assert (
        run.one_line()
        == f"docdiff: {out}: cannot write: no space left (the disk or a size limit is full)"
    )
    assert out.read_text(encoding="utf-8") == "the previous result"
    assert leftovers(out.parent) == []


def test_failed_writes_leave_no_empty_file(pair: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "fresh.md"
    run = docdiff("compare", *pair, "-f", "md", "-o", out, file_size=1_000)
    assert run.code == EXIT_BAD_INPUT
    run.one_line()
    assert not out.exists()
    assert leftovers(tmp_path) == []
    diff = docdiff("diff", *pair, "-f", "html", "-o", tmp_path / "d.html", file_size=1_000)
    assert diff.code == EXIT_BAD_INPUT
    diff.one_line()
    assert not (tmp_path / "d.html").exists()
    missing = docdiff("compare", *pair, "-o", tmp_path / "no" / "such" / "folder.txt")
    assert missing.code == EXIT_BAD_INPUT
    assert "no" not in [p.name for p in tmp_path.iterdir()]


def test_the_atomic_writer_reports_an_injected_full_disk(tmp_path: Path) -> None:
    target = tmp_path / "r.csv"
    target.write_text("old", encoding="utf-8")

    def write_on_a_full_disk() -> None:
        with atomic_open(target) as fh:
            fh.write("partial")
            raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OutputError, match="no space left"):
        write_on_a_full_disk()
    assert target.read_text(encoding="utf-8") == "old"
    assert leftovers(tmp_path) == []
    atomic_write(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert (target.stat().st_mode & 0o777) != 0o600  # not the temporary file's mode


# --- crafted report JSON ------------------------------------------------------------------------


def compare_json(tmp_path: Path, pair: tuple[Path, Path]) -> dict[str, object]:
    run = docdiff("compare", *pair, "-f", "json")
    assert run.code == 0
    data: dict[str, object] = json.loads(run.stdout)
    return data


def crafted(data: dict[str, object], case: str) -> bytes:
    docs = data["documents"]
    matches = data["matches"]
    assert isinstance(docs, list)
    assert isinstance(matches, list)
    assert matches, "the pair shares passages"
    if case == "int formula":
        matches[0]["formula"] = 7
    elif case == "list meta":
        docs[0]["meta"] = ["date", "2020"]
    elif case == "huge chars":
        docs[0].pop("text", None)
        docs[0]["chars"] = 3_000_000_000
    elif case == "huge offset":
        matches[0]["a"]["end"] = 3_000_000_000
    elif case == "string passage":
        matches[0]["a"] = "a"
    elif case == "deep nesting":
        return ("[" * 200_000 + "]" * 200_000).encode()
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    "case",
    ["int formula", "list meta", "huge chars", "huge offset", "string passage", "deep nesting"],
)
@pytest.mark.parametrize("format", ["markdown", "csv", "html"])
def test_crafted_report_json_is_one_line_within_memory(
    pair: tuple[Path, Path], tmp_path: Path, case: str, format: str
) -> None:
    saved = tmp_path / "r.json"
    saved.write_bytes(crafted(compare_json(tmp_path, pair), case))
    out = tmp_path / "out.txt"
    run = docdiff("report", saved, "-f", format, "-o", out)
    assert run.code == EXIT_BAD_INPUT, run.stderr
    assert run.one_line().startswith(f"docdiff: {saved}: not a docdiff")
    assert not out.exists()


def test_a_genuine_report_still_renders(pair: tuple[Path, Path], tmp_path: Path) -> None:
    saved = tmp_path / "r.json"
    saved.write_bytes(crafted(compare_json(tmp_path, pair), "none"))
    run = docdiff("report", saved, "-f", "markdown")
    assert run.code == 0, run.stderr
    assert run.stdout.startswith("# Reused wording")


# --- settings and internal errors ---------------------------------------------------------------


def test_a_deep_where_is_one_line(tmp_path: Path) -> None:
    corpus = tmp_path / "letters"
    write_corpus(corpus, 3)
    for where in (
        "(" * 5_000 + "year > 1" + ")" * 5_000,
        " ".join(["not"] * 5_000) + " x=1",
    ):
        run = docdiff("scan", corpus, "--where", where, "--no-progress")
        assert run.code == EXIT_BAD_INPUT
        run.one_line()


def test_fail_above_keeps_exit_code_1(pair: tuple[Path, Path]) -> None:
    assert docdiff("compare", *pair, "--fail-above", "1").code == 1
    assert docdiff("compare", *pair, "--fail-above", "100").code == 0


def test_an_internal_error_is_one_line_with_exit_3_and_a_hint(
    capsys: pytest.CaptureFixture[str],
) -> None:
    @friendly
    def broken() -> None:
        raise RuntimeError("an invariant\nbroke")

    with pytest.raises(typer.Exit) as exit_info:
        broken()
    assert exit_info.value.exit_code == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("docdiff: internal error (RuntimeError: an invariant broke)")
    assert "please report it" in err
