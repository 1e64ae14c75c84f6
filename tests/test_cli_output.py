"""The one writer every command uses: atomic files, kept permissions, FIFOs, closed pipes."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from docdiff.cli._app import atomic_open, atomic_write
from docdiff.errors import OutputError
from tests._patience import seconds

ROOT = Path(__file__).resolve().parent.parent
LETTERS = ROOT / "fixtures" / "letters"


def test_an_existing_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    atomic_write(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_a_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o027)
    try:
        atomic_write(tmp_path / "new.txt", b"bytes")
    finally:
        os.umask(umask)
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o640


def test_a_missing_folder_is_one_error_naming_the_file(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "report.html"
    with pytest.raises(OutputError, match=r"report\.html: cannot write"):
        atomic_write(target, "x")
    assert not (tmp_path / "no").exists()


def test_an_error_inside_the_block_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "result.txt"
    target.write_text("old", encoding="utf-8")

    def write_half() -> None:
        with atomic_open(target) as fh:
            fh.write("half of the new")
            raise KeyError("boom")

    with pytest.raises(KeyError):
        write_half()
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["result.txt"]


def test_a_fifo_is_written_directly(tmp_path: Path) -> None:
    """``-o`` naming a FIFO streams into it: no temporary file beside it, no rename over it."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    atomic_write(pipe, "through the pipe")
    reader.join()
    assert received == [b"through the pipe"]
    assert pipe.is_fifo()
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_a_reader_that_stops_early_is_no_error(tmp_path: Path) -> None:
    """``docdiff … | head -1``: the closed pipe ends the command quietly with exit 0."""
    text = (LETTERS / "01_examplia_un_2021.txt").read_text(encoding="utf-8") * 200
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(text, encoding="utf-8")
    b.write_text(text + " Postscript.", encoding="utf-8")
    assert len(text) > 4 * 65536  # more than a pipe holds: the writer must meet the closed end
    proc = subprocess.Popen(
        [sys.executable, "-m", "docdiff", "diff", str(a), str(b), "-f", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    assert proc.stdout.read(10)  # the output has started
    proc.stdout.close()  # the reader goes away before the end of the page
    _, err = proc.communicate(timeout=seconds(120))
    assert proc.returncode == 0
    assert err == b""
