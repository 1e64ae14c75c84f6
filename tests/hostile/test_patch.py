"""`docdiff patch` is bounded: a hunk that does not fit is refused at once, never diffed."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pytest

from tests.hostile._proc import docdiff

# diff-match-patch's fuzzy fallback ran a character diff of the whole hunk: 53 s on the 20 KB
# case below (and then applied it to the wrong text); the exact search takes well under a second.
# The timeout only separates "bounded" from "minutes"; it times nothing.
BOUND = 30.0


def words(seed: int, n: int) -> str:
    rng = random.Random(seed)
    return " ".join("".join(rng.choice("abcdefghijklmnop") for _ in range(6)) for _ in range(n))


@pytest.fixture
def big_hunk(tmp_path: Path) -> tuple[Path, Path, Path]:
    """An original, a patch replacing 20 KB of it in one hunk, and a slightly different original."""
    old, new, other = tmp_path / "old.txt", tmp_path / "new.txt", tmp_path / "other.txt"
    body = words(1, 3000)  # about 20 KB
    old.write_text(body, encoding="utf-8")
    new.write_text(words(2, 3000), encoding="utf-8")  # every word changed: one long hunk
    # Same ends (where diff-match-patch's fuzzy search anchors), 30% of the words between changed.
    rng = random.Random(9)
    kept = body.split()
    for i in range(20, len(kept) - 20):
        if rng.random() < 0.3:
            kept[i] = words(rng.randrange(10**6), 1)
    other.write_text(" ".join(kept), encoding="utf-8")
    patch = tmp_path / "p.dmp"
    made = docdiff("diff", old, new, "-f", "patch", "-o", patch)
    assert made.code == 0, made.stderr
    assert patch.stat().st_size > 20_000
    return old, other, patch


def test_a_mismatched_20kb_hunk_gives_up_at_once_in_one_line(
    big_hunk: tuple[Path, Path, Path],
) -> None:
    _, other, patch = big_hunk
    try:
        run = docdiff("patch", other, patch, timeout=BOUND)
    except subprocess.TimeoutExpired:
        pytest.fail(f"patch ran for more than {BOUND} s on a mismatched hunk")
    assert run.code == 2
    line = run.one_line()
    assert str(patch) in line
    assert "did not apply" in line


def test_the_right_original_still_patches_exactly(
    big_hunk: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    old, _, patch = big_hunk
    out = tmp_path / "rebuilt.txt"
    run = docdiff("patch", old, patch, "-o", out, timeout=BOUND)
    assert run.code == 0, run.stderr
    assert out.read_text(encoding="utf-8") == words(2, 3000)


def test_hunks_still_apply_to_a_shifted_original(tmp_path: Path) -> None:
    """Hunks find their exact text near where it moved (a preamble added before them)."""
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    base = words(3, 800).split()
    changed = [w.upper() if i % 97 == 0 else w for i, w in enumerate(base)]
    old.write_text(" ".join(base), encoding="utf-8")
    new.write_text(" ".join(changed), encoding="utf-8")
    patch = tmp_path / "p.dmp"
    assert docdiff("diff", old, new, "-f", "patch", "-o", patch).code == 0
    shifted = tmp_path / "shifted.txt"
    shifted.write_text("A preamble someone added. " + " ".join(base), encoding="utf-8")
    run = docdiff("patch", shifted, patch, timeout=BOUND)
    assert run.code == 0, run.stderr
    assert run.stdout == "A preamble someone added. " + " ".join(changed)
