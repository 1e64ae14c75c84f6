"""A metadata CSV's mistakes are said, one line each, and nothing stops: a row that names no
document (its document goes without its date) and a date that is not a date (it sorts, and
filters, as text). Before, both passed in silence and a scan printed "origin … (not-a-date)"."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from docdiff.cli import app
from docdiff.corpus.metadata import load_csv, meta_problems


def _folder(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "letters"
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.txt").write_text(f"Letter {n} on the fisheries talks.\n", encoding="utf-8")
    meta = tmp_path / "meta.csv"
    meta.write_text(
        "path,date\nletters/0.txt,2020-01-01\nletters/1.txt,not-a-date\n"
        "letters/9.txt,2021-05\nletters/2.txt,1999\n",
        encoding="utf-8",
    )
    return folder, meta


def test_rows_naming_no_document_and_dates_that_are_not(tmp_path: Path) -> None:
    folder, meta = _folder(tmp_path)
    rows = load_csv(meta)
    docs = [(f"letters/{n}.txt", str(folder / f"{n}.txt")) for n in range(3)]
    problems = meta_problems(rows, docs)
    assert problems == [
        "1 row names no document (letters/9.txt)",
        (
            "1 date is not a date (YYYY, YYYY-MM or YYYY-MM-DD) and will sort as text: "
            "'not-a-date' (letters/1.txt)"
        ),
    ]
    assert meta_problems(rows, [*docs, ("letters/9.txt", "")])[0].startswith("1 date")


def test_rows_of_files_outside_the_run_are_no_mistake(tmp_path: Path) -> None:
    """A corpus's CSV describes all its folders; a run that reads one of them heard of every
    other folder's rows ("10149 rows name no document", DFAT volumes 25-26 mined with the
    corpus's metadata.csv). A row naming a file that exists, outside the run, is no typo, and
    its date is not the run's concern; a row naming no file still is."""
    folder, meta = _folder(tmp_path)
    other = tmp_path / "cables"
    other.mkdir()
    (other / "5.txt").write_text("Cable 5.\n", encoding="utf-8")
    with meta.open("a", encoding="utf-8") as fh:
        fh.write("cables/5.txt,someday\ncables/6.txt,2001\n")
    rows = load_csv(meta)
    docs = [(f"letters/{n}.txt", str(folder / f"{n}.txt")) for n in range(3)]
    problems = meta_problems(rows, docs)
    assert problems[0] == "2 rows name no document (letters/9.txt, cables/6.txt)", problems
    assert "someday" not in " ".join(problems)
    assert "'not-a-date' (letters/1.txt)" in problems[1]


def test_scan_and_index_build_say_so(tmp_path: Path) -> None:
    folder, meta = _folder(tmp_path)
    runner = CliRunner()
    for args in (
        ["scan", str(folder), "--meta", str(meta), "-j", "1"],
        ["index", "build", str(folder), "--db", str(tmp_path / "x.db"), "--meta", str(meta)],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert f"docdiff: {meta}: 1 row names no document (letters/9.txt)" in result.stderr
        assert "'not-a-date' (letters/1.txt)" in result.stderr
