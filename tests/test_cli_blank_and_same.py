"""Inputs a batch pipeline meets by mistake, said plainly: a blank file is refused by name
(it would look like "no reuse"), two identical files are said to be identical, a diff from an
empty old version has nothing unchanged, and a folded stretch of a diff is cut between words."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from docdiff.cli import app
from docdiff.errors import EXIT_BAD_INPUT
from docdiff.render.html_diff import _fold_cuts
from docdiff.versiondiff import diff_texts

LETTER = (
    "The Permanent Mission presents its compliments to the Office of the High Commissioner "
    "and has the honour to transmit the attached note on the situation in the region.\n"
)


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_blank_file_is_refused_by_name(tmp_path: Path) -> None:
    good = tmp_path / "letter.txt"
    good.write_text(LETTER, encoding="utf-8")
    for name, text in (("empty.txt", ""), ("blank.txt", " \n\t\n"), ("marks.txt", "-- * --\n")):
        bad = tmp_path / name
        bad.write_text(text, encoding="utf-8")
        code, out, err = _run("compare", str(bad), str(good))
        assert code == EXIT_BAD_INPUT
        assert err.strip().splitlines() == [
            f"docdiff: {bad}: holds no words (an empty or blank file): nothing to compare"
        ]
        assert "Traceback" not in out + err


def test_identical_files_are_said_to_be_identical(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(LETTER, encoding="utf-8")
    b.write_text(LETTER, encoding="utf-8")
    code, out, _ = _run("compare", str(a), str(b))
    assert code == 0
    assert "A and B are identical files (the same bytes)" in out
    code, out, _ = _run("compare", str(a), str(a))
    assert "A and B are the same file (the same bytes)" in out
    code, out, _ = _run("compare", str(a), str(b), "--format", "json")
    assert '"distinctive_similarity": 100.0' in out


def test_a_diff_from_an_empty_old_version_leaves_nothing_unchanged() -> None:
    stats = diff_texts("", LETTER).stats
    assert stats.unchanged_percent == 0.0
    assert diff_texts("", "").stats.unchanged_percent == 100.0
    assert diff_texts(LETTER, LETTER).stats.unchanged_percent == 100.0


def test_a_fold_cuts_between_words() -> None:
    text = " ".join(f"word{i:04d}" for i in range(300))
    lo, hi = _fold_cuts(text)
    assert text[lo].isspace()
    assert text[hi - 1].isspace()
    assert 0 < lo < hi < len(text)
