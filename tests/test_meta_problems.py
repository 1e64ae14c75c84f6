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


def test_a_csv_that_names_no_document_of_the_run_says_how_rows_name_them(tmp_path: Path) -> None:
    """A copy of a corpus's files read with the corpus's CSV (34 speeches copied out of the UN
    corpus, its metadata.csv naming "txt/1991/PRK_46_1991.txt"): no row matched, and nothing
    said so; the formulae report then advised giving senders in --meta, which the user had."""
    folder, meta = _folder(tmp_path)
    copy = tmp_path / "copy"
    copy.mkdir()
    for n in range(3):
        (copy / f"{n}.txt").write_text((folder / f"{n}.txt").read_text(), encoding="utf-8")
    rows = load_csv(meta)
    problems = meta_problems(rows, [(f"copy/{n}.txt", str(copy / f"{n}.txt")) for n in range(3)])
    said = (
        "no row names a document of this run: a row's path is read from the CSV's folder, or "
        "its id is a document's id (a row names 'letters/0.txt'; this run's first document is "
        "'copy/0.txt')"
    )
    assert problems == [said]
    result = CliRunner().invoke(app, ["formulae", str(copy), "--meta", str(meta)])
    assert result.exit_code == 0, result.output
    assert f"docdiff: {meta}: no row names a document of this run" in result.stderr


def test_documents_no_row_names_are_counted(tmp_path: Path) -> None:
    folder, meta = _folder(tmp_path)
    (folder / "7.txt").write_text("Letter 7.\n", encoding="utf-8")
    rows = load_csv(meta)
    docs = [(f"letters/{n}.txt", str(folder / f"{n}.txt")) for n in (0, 1, 2, 7)]
    problems = meta_problems(rows, docs)
    assert "1 of 4 documents has no row (letters/7.txt)" in problems, problems
