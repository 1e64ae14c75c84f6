"""No injection: Markdown, CSV, terminal escapes and rich markup from documents and file names."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from tests.hostile._proc import docdiff, letter

# OSC 52 (write the clipboard), OSC 0 (window title), CSI 2J (clear screen), a one-byte C1 CSI,
# a bell and a right-to-left override.
ESCAPES = "\x1b]52;c;aGVsbG8=\x07 \x1b]0;owned\x1b\\ \x1b[2J \x9b31m \x07 \u202e"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MARKUP = "[/] [bold red]loud[/bold red] [link=http://x]y[/link]"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Three letters sharing a passage full of escapes and markup; hostile file names."""
    folder = tmp_path / "letters"
    (folder / "x [").mkdir(parents=True)
    shared = f"{letter(1)} {ESCAPES} {MARKUP} {letter(2)}"
    names = ["x [/] y.txt", "=1+1`tick`.txt", "@SUM(1).txt"]
    for n, name in enumerate(names):
        (folder / name).write_text(f"{letter(100 + n)} {shared} {letter(200 + n)}", "utf-8")
    return folder


def files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*.txt"))


def assert_clean(text: str) -> None:
    found = CONTROL.findall(text.replace("\n", "").replace("\t", ""))
    assert not found, f"control characters reached the terminal: {found!r}"


def test_compare_no_color_and_diff_strip_terminal_escapes(corpus: Path) -> None:
    a, b = files(corpus)[:2]
    commands: list[list[str | Path]] = [
        ["compare", a, b, "--no-color"],
        ["compare", a, b, "--no-color", "--explain"],
        ["diff", a, b],
        ["diff", a, b, "-C", "-1"],
    ]
    for args in commands:
        run = docdiff(*args)
        assert run.code == 0, run.stderr
        assert_clean(run.stdout)
        assert_clean(run.stderr)
        assert "owned" not in run.stdout or "]0;owned" not in run.stdout


def test_scan_and_query_print_markup_and_escapes_as_plain_text(
    corpus: Path, tmp_path: Path
) -> None:
    scan = docdiff("scan", corpus, "--no-progress", "--min-docs", "2")
    assert scan.code == 0, scan.stderr
    assert_clean(scan.stdout)
    assert "x [/] y.txt" in scan.stdout  # the id as written, not eaten as a closing tag
    db = tmp_path / "i.db"
    assert docdiff("index", "build", corpus, "--db", db).code == 0
    query = docdiff("query", files(corpus)[0], "--db", db)
    assert query.code == 0, query.stderr
    assert_clean(query.stdout)
    assert "[bold red]loud[/bold red]" in query.stdout or "x [/] y.txt" in query.stdout
    formulae = docdiff("formulae", "--db", db, "--min-docs", "2")
    assert formulae.code == 0, formulae.stderr
    assert_clean(formulae.stdout)


def test_error_lines_carry_no_escape_from_a_file_name(tmp_path: Path) -> None:
    name = tmp_path / "evil\x1b]0;owned\x07.txt"
    run = docdiff("compare", name, name)
    assert run.code == 2
    assert_clean(run.one_line())


def test_markdown_escapes_names_and_metadata(corpus: Path, tmp_path: Path) -> None:
    from markdown_it import MarkdownIt

    meta = tmp_path / "meta.csv"
    with meta.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["path", "date", "sender", "title"])
        for n, path in enumerate(files(corpus)):
            evil = f"<img src=x onerror=alert({n})>"
            writer.writerow([path.relative_to(tmp_path).as_posix(), evil, evil, f"`{evil}`"])
    commands: list[list[str | Path]] = [
        ["scan", corpus, "--meta", meta, "-f", "md", "--min-docs", "2"],
        ["compare", *files(corpus)[:2], "-f", "md"],
    ]
    for args in commands:
        run = docdiff(*args)
        assert run.code == 0, run.stderr
        html = MarkdownIt("commonmark").render(run.stdout)
        assert "<img" not in html
        assert "onerror" not in html or "&lt;img" in html
    scan = docdiff("scan", corpus, "--meta", meta, "-f", "md", "--min-docs", "2").stdout
    html = MarkdownIt("commonmark").render(scan)
    # The file name with a backtick stays inside one code span (without the folder every id
    # shares, which the report names once).
    assert "<code>=1+1`tick`.txt</code>" in html
    assert "Document ids below <code>letters/</code>" in html


def test_csv_cells_never_start_a_formula(corpus: Path) -> None:
    # Relative names make the ids start with the formula characters.
    for args in (
        ["compare", "@SUM(1).txt", "=1+1`tick`.txt", "-f", "csv"],
        ["scan", ".", "-f", "csv", "--min-docs", "2"],
    ):
        run = docdiff(*args, cwd=corpus)
        assert run.code == 0, run.stderr
        rows = list(csv.reader(io.StringIO(run.stdout, newline="")))
        cells = [cell for row in rows[1:] for cell in row]
        assert len(rows) > 2
        assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
        if args[0] == "compare":
            assert "'@SUM(1).txt" in cells
            assert "'=1+1`tick`.txt" in cells
