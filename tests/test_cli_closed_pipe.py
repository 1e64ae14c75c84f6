"""A reader that leaves (`docdiff … | head`) is no failure: exit 0, nothing on stderr, for the
text outputs rich draws and the others alike (exit 1 means a threshold was met)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

LETTERS = Path(__file__).resolve().parents[1] / "fixtures" / "letters"
A = str(LETTERS / "01_examplia_un_2021.txt")
B = str(LETTERS / "02_examplia_ohchr_2023.txt")


@pytest.mark.parametrize(
    "args",
    [
        ["compare", A, B],
        ["compare", A, B, "--explain", "--color"],
        ["compare", A, B, "--format", "json"],
        ["scan", str(LETTERS), "--no-progress"],
    ],
    ids=["compare", "compare-explain-colour", "compare-json", "scan"],
)
def test_a_closed_pipe_exits_0_quietly(args: list[str]) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "docdiff", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        proc.stdout.close()  # the reader leaves before the first line: every write meets it
        err = proc.stderr.read()
        code = proc.wait()
    assert code == 0, err.decode(errors="replace")
    assert err == b""
