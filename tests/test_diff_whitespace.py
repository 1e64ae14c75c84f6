"""`docdiff diff` and white space: a line reflowed is not an edit, a paragraph break is.

Two versions of the Python licence put "All Rights Reserved" on a line of its own, and the
diff marked the two line breaks that moved as edits (``Foundation;[- -]{+\\n+}All Rights
Reserved"[-\\n-]{+ +}are retained``), as neither wdiff nor ``git diff --word-diff`` would. By
default (``--whitespace paragraphs``) only a paragraph break added or removed between the same
words is an edit; ``ignore`` hides that too, ``show`` marks every difference. Every mode still
rebuilds the new version byte for byte, and the patch format reproduces it exactly.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from docdiff.chardiff import apply_patch
from docdiff.cli import app
from docdiff.versiondiff import (
    diff_texts,
    paragraph_lines,
    rebuild,
    same_place,
    to_patch,
    unified,
)

runner = CliRunner()

LICENCE_OLD = (
    'i.e., "Copyright (c) 2001-2024 Python Software Foundation; All Rights Reserved"\n'
    "are retained in Python alone or in any derivative version prepared by Licensee.\n"
)
LICENCE_NEW = (
    'i.e., "Copyright (c) 2001, 2002 Python Software Foundation;\n'
    'All Rights Reserved" are retained in Python alone or in any derivative version\n'
    "prepared by Licensee.\n"
)


def _edits(old: str, new: str, **kw: object) -> list[tuple[str, str, str]]:
    diff = diff_texts(old, new, **kw)  # type: ignore[arg-type]
    assert rebuild(old, diff) == new
    return [(h.tag, h.a_text, h.b_text) for h in diff.hunks if h.tag not in ("equal", "whitespace")]


def test_reflowed_lines_are_not_edits() -> None:
    assert _edits(LICENCE_OLD, LICENCE_NEW) == [("replace", "-2024", ", 2002")]
    diff = diff_texts(LICENCE_OLD, LICENCE_NEW)
    assert [(h.a_text, h.b_text) for h in diff.hunks if h.tag == "whitespace"] == [
        (" ", "\n"),
        ("\n", " "),
        (" ", "\n"),
    ]
    assert diff.stats.ignored == 3
    assert diff.stats.line().endswith("; white space differs in 3 more places (ignored)")


def test_show_marks_every_white_space_difference() -> None:
    edits = _edits(LICENCE_OLD, LICENCE_NEW, whitespace="show")
    spaces = [("replace", " ", "\n"), ("replace", "\n", " "), ("replace", " ", "\n")]
    assert edits == [("replace", "-2024", ", 2002"), *spaces]
    assert diff_texts(LICENCE_OLD, LICENCE_NEW, whitespace="show").stats.spacing == 3


def test_a_paragraph_break_added_or_removed_is_an_edit() -> None:
    old = "We have the honour to write. We regret the delay.\n\nYours sincerely"
    new = "We have the honour to write.\n\nWe regret the delay. Yours sincerely"
    assert _edits(old, new) == [("replace", " ", "\n\n"), ("replace", "\n\n", " ")]
    stats = diff_texts(old, new).stats
    assert (stats.breaks_added, stats.breaks_removed, stats.ignored) == (1, 1, 0)
    assert stats.line().endswith("100.0% unchanged; 1 paragraph break added, 1 removed")
    assert _edits(old, new, whitespace="ignore") == []


def test_a_blank_line_with_spaces_or_crlf_is_still_a_paragraph_break() -> None:
    old = "First paragraph ends.\r\n\r\nSecond one.\n"
    new = "First paragraph ends.\n  \nSecond one.\n"
    assert _edits(old, new) == []


def test_a_changed_word_is_not_marked_together_with_a_line_break() -> None:
    old = "the Mission has the honour\nto transmit"
    new = "the Mission has the honor to transmit"
    assert _edits(old, new) == [("replace", "honour", "honor")]
    old, new = "of the Mission.\n\nThe Republic", "of the Mission. the Republic"
    assert _edits(old, new) == [("replace", "\n\n", " "), ("replace", "The", "the")]


def test_white_space_at_the_start_or_end_of_a_text_is_not_an_edit() -> None:
    assert _edits("Dear Sir,\nwe write.", "\nDear Sir, we write.\n\n") == []
    assert _edits("Dear Sir, we write.", "Dear Sir, we write.\n", whitespace="show") == [
        ("insert", "", "\n")
    ]


def test_a_moved_paragraph_that_was_reflowed_is_one_move() -> None:
    para = "Any attempt to argue on the issue does not stand to reason and is rejected."
    first = "The first paragraph stays where it was, with all of its many words in place."
    second = "The second paragraph stays where it was too, and it is longer than the moved one."
    old = f"{first}\n\n{para}\n\n{second}\n"
    new = f"{first}\n\n{second}\n\n{para.replace(' on ', chr(10) + 'on ')}\n"
    diff = diff_texts(old, new)
    moves = [h for h in diff.hunks if h.tag == "move_from"]
    assert len(moves) == 1
    assert diff.stats.moved == 15
    assert diff.stats.inserted == diff.stats.deleted == 0
    assert rebuild(old, diff) == new
    assert apply_patch(old, to_patch(diff)) == new


def test_unified_leaves_out_lines_that_were_only_reflowed() -> None:
    old = "One two three four\nfive six.\n\nSeven eight nine.\n"
    new = "One two three\nfour five six.\n\nSeven eight ten.\n"
    out = unified(old, new, whitespace="paragraphs")
    assert out.endswith(
        "@@ -1,4 +1,4 @@\n One two three four\n five six.\n \n"
        "-Seven eight nine.\n+Seven eight ten.\n"
    )
    assert "+four five six." in unified(old, new, whitespace="show")
    # Line ends and indents are compared as diff -b compares them: only the edited line shows.
    crlf = new.replace("\n", "\r\n").replace("Seven", "  Seven")
    out = unified(old, crlf, whitespace="paragraphs", context=0)
    assert out.endswith("@@ -4 +4 @@\n-Seven eight nine.\n+  Seven eight ten.\r\n")


@pytest.fixture
def licence(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "lic313.txt", tmp_path / "lic38.txt"
    old.write_text(LICENCE_OLD, encoding="utf-8")
    new.write_text(LICENCE_NEW, encoding="utf-8")
    return old, new


def test_cli_every_format_agrees(licence: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = (str(p) for p in licence)
    text = runner.invoke(app, ["diff", old, new, "-C", "-1"])
    assert text.exit_code == 0, text.output
    assert 'Foundation;\nAll Rights Reserved" are retained' in text.stdout
    assert "[-\n" not in text.stdout
    assert "{+\n" not in text.stdout
    shown = runner.invoke(app, ["diff", old, new, "-C", "-1", "--whitespace", "show"]).stdout
    assert 'Foundation;[-␣-]{+↵+}\nAll Rights Reserved"[-↵-]{+␣+} are retained' in shown

    data = json.loads(runner.invoke(app, ["diff", old, new, "-f", "json"]).stdout)
    assert [h["tag"] for h in data["hunks"]].count("whitespace") == 3
    assert data["stats"]["whitespace_ignored"] == 3
    assert "".join(h["b_text"] for h in data["hunks"]) == LICENCE_NEW

    page = runner.invoke(app, ["diff", old, new, "-f", "html"]).stdout
    table = page[page.index("<tbody>") : page.index("</tbody>")]
    assert table.count("<del") == table.count("<ins") == 1  # "-2024" and ", 2002" only

    patch = tmp_path / "p.dmp"
    made = runner.invoke(app, ["diff", old, new, "-f", "patch", "-o", str(patch)])
    assert made.exit_code == 0
    rebuilt = tmp_path / "rebuilt.txt"
    assert runner.invoke(app, ["patch", old, str(patch), "-o", str(rebuilt)]).exit_code == 0
    assert rebuilt.read_bytes() == Path(new).read_bytes()


def test_cli_exit_code_follows_what_is_shown(tmp_path: Path) -> None:
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("Dear Sir, we write\nto you.\n", encoding="utf-8")
    new.write_text("Dear Sir,\nwe write to you.", encoding="utf-8")
    args = ["diff", str(old), str(new), "--exit-code"]
    assert runner.invoke(app, args).exit_code == 0
    assert runner.invoke(app, [*args, "--whitespace", "show"]).exit_code == 1
    bad = runner.invoke(app, [*args, "--whitespace", "some"])
    assert bad.exit_code == 2
    assert bad.stderr == (
        "docdiff: --whitespace must be one of paragraphs, ignore, show, not 'some'\n"
    )


def test_cli_unified_of_a_reflow_applies_with_patch(tmp_path: Path) -> None:
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("A b c d\ne f.\n\nG h i.\n", encoding="utf-8")
    new.write_text("A b c\nd e f.\n\nG h j.\n", encoding="utf-8")
    for mode, expected in (("paragraphs", "A b c d\ne f.\n\nG h j.\n"), ("show", None)):
        out = runner.invoke(
            app, ["diff", str(old), str(new), "-f", "unified", "--whitespace", mode]
        )
        if shutil.which("patch") is None:
            pytest.skip("patch(1) is not installed")
        diff_file, rebuilt = tmp_path / f"{mode}.diff", tmp_path / f"{mode}.txt"
        diff_file.write_text(out.stdout, encoding="utf-8")
        subprocess.run(["patch", "-s", "-o", str(rebuilt), str(old), str(diff_file)], check=True)
        assert rebuilt.read_text(encoding="utf-8") == (expected or new.read_text("utf-8"))


WORDS = ["Dear", "Sir,", "the", "Mission", "honour.", "«note»", "Korea's", "日本", "100%", "("]
SPACE = [" ", "  ", "\n", " \n", "\t", "\r\n", "\n  "]
PARAGRAPH = ["\n\n", "\n \n", "\r\n\r\n", "\n\n\n"]


@st.composite
def respaced(draw: st.DrawFn) -> tuple[str, str, int]:
    """Two texts of the same words with white space drawn afresh, and how many word gaps
    are a paragraph break on one side only (in a text written a paragraph a line, every line
    break is one)."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30))
    gap = st.sampled_from(SPACE + PARAGRAPH)
    edge = st.sampled_from(["", " ", "\n", "\n\n"])
    gaps_a = [draw(gap) for _ in words[1:]]
    gaps_b = [draw(gap) for _ in words[1:]]

    def text(gaps: list[str]) -> str:
        body = words[0] + "".join(g + w for g, w in zip(gaps, words[1:], strict=True))
        return draw(edge) + body + draw(edge)

    old, new = text(gaps_a), text(gaps_b)

    def breaks(gaps: list[str], lines: bool) -> list[bool]:
        return [g in PARAGRAPH or (lines and ("\n" in g or "\r" in g)) for g in gaps]

    one_side = sum(
        x != y
        for x, y in zip(
            breaks(gaps_a, paragraph_lines(old)), breaks(gaps_b, paragraph_lines(new)), strict=True
        )
    )
    return old, new, one_side


@settings(max_examples=150, deadline=None)
@given(respaced(), st.sampled_from(["paragraphs", "ignore", "show"]))
def test_texts_that_differ_only_in_white_space(pair: tuple[str, str, int], mode: str) -> None:
    """Law: patch(old, diff(old, new)) == new; no word is counted as edited; only paragraph
    breaks are edits by default, nothing with ignore, every difference with show."""
    old, new, breaks = pair
    diff = diff_texts(old, new, whitespace=mode)  # type: ignore[arg-type]
    assert rebuild(old, diff) == new
    assert apply_patch(old, to_patch(diff)) == new
    assert diff.stats.unchanged == diff.stats.words_a
    if mode == "ignore":
        assert not diff.edited
    elif mode == "paragraphs":
        assert diff.edited == (breaks > 0)
        assert diff.stats.breaks_added + diff.stats.breaks_removed == breaks
    else:
        assert diff.edited == (old != new)


def test_a_line_break_after_a_hyphen_is_a_reflow() -> None:
    """Reflowing splits a compound at its hyphen ("Afghan-\\nowned", textwrap and word
    processors do): the line break is not an edit unless white space is shown."""
    old = "our Afghan-led and Afghan-\nowned peace process"
    new = "our Afghan-led and Afghan-owned peace\nprocess"
    assert _edits(old, new) == []
    assert _edits(old, new, whitespace="show") == [("delete", "\n", ""), ("replace", " ", "\n")]
    assert "owned" not in unified(old + "\n", new + "\n", whitespace="paragraphs")


def test_a_word_hyphenated_at_a_line_break_on_one_side_is_a_reflow() -> None:
    """Hard-wrapped text and text taken from a PDF split a word at a line break ("arbi-\n
    tration"); the other version writes it whole. The words are the same: not an edit unless
    white space is shown, in every format, and the rows of the HTML view stay level."""
    old = "disputes shall be resolved by arbi-\ntration in Sydney. The seat is Sydney."
    new = "disputes shall be resolved by arbitration in Sydney. The seat is Sydney."
    assert _edits(old, new) == []
    assert _edits(old, new, whitespace="ignore") == []
    diff = diff_texts(old, new)
    assert [(h.a_text, h.b_text) for h in diff.hunks if h.tag == "whitespace"] == [
        ("arbi-\ntration", "arbitration")
    ]
    assert (diff.stats.changed, diff.stats.deleted, diff.stats.ignored) == (0, 0, 1)
    assert _edits(old, new, whitespace="show") == [("replace", "arbi-\ntration", "arbitration")]
    assert unified(old + "\n", new + "\n", whitespace="paragraphs") == ""
    assert unified(old + "\n", new + "\n", whitespace="show") != ""
    # Where a row of the HTML view is cut in the old text, the new one is cut after the
    # same words.
    assert same_place(old, new, old.index("The seat")) == new.index("The seat")
    assert same_place(new, old, new.index("The seat")) == old.index("The seat")
    # With a compound reflowed at its hyphen in the same stretch.
    old2 = "an Afghan-\nowned process of arbi-\ntration"
    new2 = "an Afghan-owned process of arbitration"
    assert _edits(old2, new2) == []
    assert unified(old2 + "\n", new2 + "\n", whitespace="paragraphs") == ""


def test_a_hyphenated_word_that_changed_is_still_an_edit() -> None:
    old = "resolved by arbi-\ntration in Sydney."
    assert _edits(old, "resolved by mediation in Sydney.") == [
        ("replace", "arbi-\ntration", "mediation")
    ]
    # A hyphen inside a line is a spelling, not a layout.
    assert _edits("resolved by arbi-tration in Sydney.", "resolved by arbitration in Sydney.")
    # Two words are not one because the first ends a line with a dash.
    assert _edits("the plan -\nnot the aim", "the plan not the aim")


PARAGRAPHS = [
    (
        "It is an honour for me to stand at this rostrum today to represent my fellow citizens "
        "and address distinguished colleagues and partners in the General Assembly."
    ),
    (
        "Two days ago, approximately three million voters, facing the threat of terrorism, "
        "risked their lives to vote in our young democracy's fourth presidential election."
    ),
    (
        "I also thank the brave and professional forces for protecting that right, and the "
        "international community for standing by us over the past two decades."
    ),
]


def test_a_text_written_a_paragraph_a_line_has_the_same_paragraphs_when_wrapped() -> None:
    """The corpus files write one paragraph per line; the same speech wrapped at 70 with blank
    lines between paragraphs has the same paragraphs (a line break is a paragraph break in a
    text with no blank line and long lines, `paragraph_lines`)."""
    import textwrap

    one_a_line = "\n".join(PARAGRAPHS)
    wrapped = "\n\n".join(textwrap.fill(p, 70) for p in PARAGRAPHS) + "\n"
    assert paragraph_lines(one_a_line)
    assert not paragraph_lines(wrapped)
    assert _edits(one_a_line, wrapped) == []
    assert _edits(wrapped, one_a_line) == []
    assert unified(one_a_line, wrapped, whitespace="paragraphs") == ""
    joined = wrapped.replace("election.\n\nI also", "election. I also")
    assert _edits(one_a_line, joined) == [("replace", "\n", " ")]
    diff = diff_texts(one_a_line, joined)
    assert diff.stats.breaks_removed == 1
    (edit,) = [h for h in diff.hunks if h.tag == "replace"]
    assert diff.space_marks(edit) == ("¶", "")


def test_a_hard_wrapped_text_without_blank_lines_still_reflows() -> None:
    import textwrap

    text = " ".join(PARAGRAPHS)
    assert not paragraph_lines(textwrap.fill(text, 70))
    assert _edits(textwrap.fill(text, 70), textwrap.fill(text, 50)) == []


MOVED = (
    "The two Governments have agreed to develop their diplomatic relations, friendship and "
    "co-operation on the basis of mutual respect for sovereignty and territorial integrity."
)
STAYS = (
    "The Australian Government recognizes the Government of the People's Republic of China "
    "as the sole legal Government of China, and acknowledges the position of the Chinese "
    "Government that Taiwan is a province of the People's Republic of China."
)


@pytest.mark.parametrize("width", [0, 60])
def test_a_moved_paragraph_moves_whole_with_its_first_word_and_full_stop(width: int) -> None:
    """DFAT v22 365: the moved paragraph and the one after it both start with "The". The
    diff kept "The" and "." in place and marked "[-.\\n\\nThe -]" and "{+.\\n\\nThe +}" around a
    move of the words in between; the edit now slides to the paragraph's own boundaries
    (also when the new version is reflowed, `width`)."""
    import textwrap

    def fill(p: str) -> str:
        return textwrap.fill(p, width) if width else p

    head = "Paris, 12 December 1972\n\nBegins: joint communique on diplomatic relations."
    old = f"{head}\n\n{MOVED}\n\n{STAYS}\n\nEnds.\n"
    new = f"{head}\n\n{fill(STAYS)}\n\n{fill(MOVED)}\n\nEnds.\n"
    diff = diff_texts(old, new)
    assert _edits(old, new) == [("move_from", MOVED, ""), ("move_to", "", fill(MOVED))]
    stats = diff.stats
    assert (stats.inserted, stats.deleted, stats.moved) == (0, 0, stats.words_a - stats.unchanged)
    assert "white space" not in diff.stats.line() or width
    assert apply_patch(old, to_patch(diff)) == new
