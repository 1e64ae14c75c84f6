"""`docdiff diff`, `docdiff patch` and `docdiff report` through the real command line."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from docdiff.cli import app

runner = CliRunner()

OLD = (
    "The Permanent Mission of the Republic of Examplia presents its compliments.\n\n"
    "It has the honour to transmit the attached note, which rejects the so-called report.\n\n"
    "The Mission avails itself of this opportunity to renew the assurances of its consideration.\n"
)
NEW = (
    "The Permanent Mission of the Republic of Samplestan presents its compliments.\n\n"
    "The Mission avails itself of this opportunity to renew the assurances of its "
    "consideration.\n\nIt has the honor to transmit the attached note, which rejects the report.\n"
)


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    """Two versions of a letter: a changed name, a spelling change, a deletion and a move."""
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    return old, new


def test_terminal_diff_shows_whole_words_moves_and_statistics(versions: tuple[Path, Path]) -> None:
    old, new = versions
    result = runner.invoke(app, ["diff", str(old), str(new)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "[-Examplia-]{+Samplestan+}" in out
    assert "[-Ex" not in out.replace("[-Examplia-]", "")
    assert "⟦moved #1 →⟧" in out
    assert "⟦→ moved #1⟧" in out
    assert "[- so-called report.\n\n-]" in out
    assert out.rstrip().endswith("5 words inserted, 7 deleted, 1 changed, 8 moved; 60.0% unchanged")


def test_folded_text_keeps_its_lines_and_short_stretches_stay(tmp_path: Path) -> None:
    """Unchanged text between two changes is folded only when that hides more words than the
    context shows, and the words after a fold start their line as they did (a clause's
    heading was run onto the line of the clause before it)."""
    clause = "The Provider shall perform the Services with due care and skill in every case."
    old = f"1. Term\nIt starts on 1 January.\n\n2. Duties\n{clause}\n\n3. Fees\nPay in 30 days.\n"
    new = f"1. Term\nIt starts on 1 March.\n\n2. Duties\n{clause}\n\n3. Fees\nPay in 45 days.\n"
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(old, encoding="utf-8")
    b.write_text(new, encoding="utf-8")
    out = runner.invoke(app, ["diff", str(a), str(b), "--context", "2"]).stdout
    lines = out.splitlines()
    fold = next(line for line in lines if "unchanged words…]" in line)
    assert fold.startswith("[…"), out  # a line of its own
    assert fold.endswith("…]"), out
    assert "Pay in [-30-]{+45+} days." in lines, out  # the words after it start their line
    # With twenty words of context the stretch would hide fewer than it shows: all of it stays.
    out = runner.invoke(app, ["diff", str(a), str(b), "--context", "20"]).stdout
    assert "unchanged words" not in out
    assert clause in out


def test_json_diff(versions: tuple[Path, Path]) -> None:
    old, new = versions
    result = runner.invoke(app, ["diff", str(old), str(new), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["schema"] == "docdiff.diff/2"
    assert data["whitespace"] == "paragraphs"
    assert data["stats"]["moved"] == 8
    assert data["a"] == {"path": str(old)}
    tags = [h["tag"] for h in data["hunks"]]
    assert "move_from" in tags
    assert "move_to" in tags
    assert "".join(h["b_text"] for h in data["hunks"]) == NEW


def test_unified_diff_applies_with_patch(versions: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = versions
    result = runner.invoke(app, ["diff", str(old), str(new), "-f", "unified"])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"--- {old}\n+++ {new}\n@@ ")
    if shutil.which("patch") is None:
        pytest.skip("patch(1) is not installed")
    diff_file = tmp_path / "u.diff"
    diff_file.write_text(result.stdout, encoding="utf-8")
    out = tmp_path / "rebuilt.txt"
    subprocess.run(["patch", "-s", "-o", str(out), str(old), str(diff_file)], check=True)
    assert out.read_text(encoding="utf-8") == NEW


def test_html_diff_to_file(versions: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = versions
    target = tmp_path / "diff.html"
    result = runner.invoke(app, ["diff", str(old), str(new), "-f", "html", "-o", str(target)])
    assert result.exit_code == 0
    page = target.read_text(encoding="utf-8")
    assert '<ins class="i chg">Samplestan</ins>' in page
    assert 'id="mf-1"' in page
    assert 'id="mt-1"' in page
    assert "60.0% unchanged" in result.stderr


def test_patch_round_trip_on_files(versions: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = versions
    patch_file = tmp_path / "p.dmp"
    made = runner.invoke(app, ["diff", str(old), str(new), "-f", "patch", "-o", str(patch_file)])
    assert made.exit_code == 0
    rebuilt = tmp_path / "rebuilt.txt"
    applied = runner.invoke(app, ["patch", str(old), str(patch_file), "-o", str(rebuilt)])
    assert applied.exit_code == 0, applied.output
    assert rebuilt.read_bytes() == new.read_bytes()


def test_exit_codes(versions: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = versions
    assert runner.invoke(app, ["diff", str(old), str(old), "--exit-code"]).exit_code == 0
    assert runner.invoke(app, ["diff", str(old), str(new), "--exit-code"]).exit_code == 1
    missing = runner.invoke(app, ["diff", str(old), str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2
    assert missing.stderr == f"docdiff: {tmp_path / 'nope.txt'}: no such file\n"
    bad_format = runner.invoke(app, ["diff", str(old), str(new), "-f", "pdf"])
    assert bad_format.exit_code == 2
    assert bad_format.stderr.startswith("docdiff: --format must be one of")


def test_patch_refuses_garbage_and_the_wrong_original(
    versions: tuple[Path, Path], tmp_path: Path
) -> None:
    old, new = versions
    garbage = tmp_path / "garbage.dmp"
    garbage.write_text("@@ this is not a patch\n", encoding="utf-8")
    result = runner.invoke(app, ["patch", str(old), str(garbage)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"docdiff: {garbage}: not a diff-match-patch patch")
    patch_file = tmp_path / "p.dmp"
    runner.invoke(app, ["diff", str(old), str(new), "-f", "patch", "-o", str(patch_file)])
    other = tmp_path / "other.txt"
    other.write_text("Something else entirely, unrelated to the letter.\n", encoding="utf-8")
    wrong = runner.invoke(app, ["patch", str(other), str(patch_file)])
    assert wrong.exit_code == 2
    assert "did not apply" in wrong.stderr
    assert "Traceback" not in wrong.output


def test_report_rerenders_a_saved_result(tmp_path: Path) -> None:
    from docdiff.render.jsonout import dumps
    from tests.test_render_html import compare_report

    saved = tmp_path / "result.json"
    saved.write_text(dumps(compare_report()), encoding="utf-8")
    for suffix, marker in (
        ("html", "<!DOCTYPE html>"),
        ("md", "# Reused wording"),
        ("csv", "record,a,b,n,kind"),
    ):
        out = tmp_path / f"report.{suffix}"
        result = runner.invoke(app, ["report", str(saved), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.read_text(encoding="utf-8").startswith(marker)
    to_stdout = runner.invoke(app, ["report", str(saved), "--format", "markdown"])
    assert to_stdout.exit_code == 0
    assert "### 3. quotation" in to_stdout.stdout
    from_stdin = runner.invoke(app, ["report", "-", "-f", "csv"], input=saved.read_text("utf-8"))
    assert from_stdin.exit_code == 0, from_stdin.output
    assert from_stdin.stdout.startswith("record,a,b,n,kind")


def test_report_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["report", str(bad), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"docdiff: {bad}: not a docdiff JSON result")
    unknown = runner.invoke(app, ["report", str(bad), "-o", str(tmp_path / "x.pdf")])
    assert unknown.exit_code == 2
    assert "--format" in unknown.stderr
    # An index given where a result is wanted is named for what it is.
    index = tmp_path / "corpus.db"
    index.write_bytes(b"SQLite format 3\x00" + bytes(200))
    given_index = runner.invoke(app, ["report", str(index)])
    assert given_index.exit_code == 2
    assert given_index.stderr.startswith(f"docdiff: {index}: is a SQLite database (an index?)")


@given(st.sampled_from(["terminal", "unified", "json", "patch", "html"]))
@settings(max_examples=5, deadline=None)
def test_every_format_runs(fmt: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp, "a.txt"), Path(tmp, "b.txt")
        a.write_text(OLD, encoding="utf-8")
        b.write_text(NEW, encoding="utf-8")
        result = runner.invoke(app, ["diff", str(a), str(b), "-f", fmt])
        assert result.exit_code == 0, result.output
        assert result.stdout


@pytest.mark.parametrize(("fmt", "suffix"), [("html", "html"), ("md", "md"), ("csv", "csv")])
def test_saved_compare_rerenders_like_the_direct_render(
    fixtures_dir: Path, tmp_path: Path, fmt: str, suffix: str
) -> None:
    letters = fixtures_dir / "letters"
    a = str(letters / "01_examplia_un_2021.txt")
    b = str(letters / "02_examplia_ohchr_2023.txt")
    saved = tmp_path / "result.json"
    made = runner.invoke(app, ["compare", a, b, "--format", "json", "-o", str(saved)])
    assert made.exit_code == 0, made.output
    direct = tmp_path / f"direct.{suffix}"
    made = runner.invoke(app, ["compare", a, b, "--format", fmt, "-o", str(direct)])
    assert made.exit_code == 0, made.output
    again = tmp_path / f"again.{suffix}"
    result = runner.invoke(app, ["report", str(saved), "-o", str(again)])
    assert result.exit_code == 0, result.output
    assert again.read_text(encoding="utf-8") == direct.read_text(encoding="utf-8")
    assert "Examplia" in again.read_text(encoding="utf-8")


def test_an_edit_inside_a_moved_block_stands_out_without_colour(tmp_path: Path) -> None:
    moved = (
        "For the purpose of Article {}, an armed attack on any of the Parties is deemed to "
        "include an armed attack on the metropolitan territory of any of the Parties."
    )
    first = (
        "ARTICLE I. The Parties undertake, as set forth in the Charter of the United Nations, "
        "to settle any international dispute in which they may be involved by peaceful means "
        "in such a manner that international peace and security and justice are not endangered."
    )
    second = (
        "ARTICLE II. In order more effectively to achieve the objective of this Treaty the "
        "Parties separately and jointly by means of continuous and effective self-help and "
        "mutual aid will maintain and develop their individual and collective capacity to "
        "resist armed attack."
    )
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(f"{first}\n\n{second}\n\n{moved.format('IV')}\n", encoding="utf-8")
    new.write_text(f"{moved.format('V')}\n\n{first}\n\n{second}\n", encoding="utf-8")
    out = runner.invoke(app, ["diff", str(old), str(new), "--context", "-1"]).stdout
    # The moved text is plain between its label and its end; only the edit is marked.
    assert "⟦→ moved #1⟧For the purpose of Article" in out
    assert "⟦moved #1 →⟧For the purpose of Article" in out
    assert out.count("⟦#1 ends⟧") == 2
    assert "{+For the purpose" not in out
    assert "[-For the purpose" not in out
    assert "{+ V+}" in out or "{+V+}" in out
