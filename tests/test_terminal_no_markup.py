"""The compare text output reads no rich markup nor emoji codes: every string it prints is the
report's own, a document's text comes as a `Text` (so rich's emoji table is never loaded)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

_WORDS = "Its sovereign :smile: rights [bold] were [/] trampled by hostile forces again"


def _run(tmp_path: Path, *flags: str) -> tuple[str, bool]:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(f"Opening words here. {_WORDS}. Closing words there.\n", encoding="utf-8")
    b.write_text(f"Other opening lines. {_WORDS}. Another ending.\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from docdiff.cli import app\n"
        "try:\n"
        f"    app([{'compare'!r}, {str(a)!r}, {str(b)!r}, *{list(flags)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write(str('rich._emoji_codes' in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout, done.stderr.strip().endswith("True")


def test_compare_prints_brackets_and_colons_as_they_are(tmp_path: Path) -> None:
    for flags in ((), ("--color", "--explain")):
        out, emoji_loaded = _run(tmp_path, *flags)
        assert ":smile:" in out
        assert "[bold]" in out
        assert "[/]" in out
        assert not emoji_loaded
