"""The text output of ``compare`` shows the most distinctive echoes and says how many more."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from typer.testing import CliRunner

from docdiff.cli import app

runner = CliRunner()


def _pair(tmp_path: Path) -> tuple[str, str]:
    """Two texts of unrelated words sharing twelve isolated three-word phrases (echoes)."""
    rng = random.Random(7)
    vocab = [f"w{n}x" for n in range(4000)]
    shared = [" ".join(rng.sample(vocab, 3)) for _ in range(12)]
    paths = []
    for name in ("a", "b"):
        parts = []
        for phrase in shared:
            parts += [" ".join(rng.sample(vocab, 40)), phrase]
        path = tmp_path / f"{name}.txt"
        path.write_text(" ".join(parts) + ".\n", encoding="utf-8")
        paths.append(str(path))
    return paths[0], paths[1]


def _rows(output: str) -> list[str]:
    return re.findall(r"^\s+e(\d+) ", output, flags=re.MULTILINE)


def test_the_text_output_shows_the_first_echoes_and_counts_the_others(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    every = json.loads(runner.invoke(app, ["compare", a, b, "-f", "json"]).output)["echoes"]
    assert len(every) >= 8
    shown = runner.invoke(app, ["compare", a, b, "--echoes", "5"])
    assert shown.exit_code == 0, shown.output
    assert _rows(shown.output) == ["1", "2", "3", "4", "5"]
    assert f"Echoes ({len(every)})" in shown.output
    assert f"… {len(every) - 5} less distinctive echoes (--echoes 0 shows all)" in shown.output
    everything = runner.invoke(app, ["compare", a, b, "--echoes", "0"])
    assert _rows(everything.output) == [str(n) for n in range(1, len(every) + 1)]
    assert "less distinctive" not in everything.output
    # The default shows them all when there are fewer than 50, as two letters have.
    assert _rows(runner.invoke(app, ["compare", a, b]).output) == _rows(everything.output)


def test_one_echo_left_out_is_one_echo(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    count = len(json.loads(runner.invoke(app, ["compare", a, b, "-f", "json"]).output)["echoes"])
    shown = runner.invoke(app, ["compare", a, b, "--echoes", str(count - 1)])
    assert "… 1 less distinctive echo (--echoes 0 shows all)" in shown.output


def test_report_draws_a_saved_compare_result_with_the_same_echoes(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    saved = tmp_path / "r.json"
    assert runner.invoke(app, ["compare", a, b, "-f", "json", "-o", str(saved)]).exit_code == 0
    for extra in (["--echoes", "3"], ["--echoes", "0"], []):
        drawn = runner.invoke(app, ["report", str(saved), *extra])
        assert drawn.exit_code == 0, drawn.output
        assert drawn.output == runner.invoke(app, ["compare", a, b, *extra]).output
