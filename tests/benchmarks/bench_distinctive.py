"""What ranks a scan's pairs: wording of their own, or wording many documents share?

    python -m tests.benchmarks.bench_distinctive [--years 2021 2020 2015 2006 2012 …]
        [--top 10] [--baseline DIR]

Each year of UN General Debate speeches is scanned with the defaults (a scan ranks its pairs by
distinctive similarity). For each of the top pairs, the longest passage that counts there in
the kind's sense (neither formula nor name) is read on its first document and its word
3-grams are counted over the year's speeches, by a tokenizer of this script's own (lower-case
words), not the engine's: the passage is "shared" when all but the rarest quarter of its
3-grams are each in more speeches than a rare k-gram may be (`default_max_df`: 5 of about
190). A session's theme, quoted by a fifth of the speeches, or a conference's name is shared;
a paragraph two speeches copied is not. Printed per year and code: how many of the top pairs
lead with a shared passage, and the median of their passages' rarest-quarter counts.

``--baseline DIR`` (an older checkout, ``git archive REV | tar -x -C DIR``) runs the same scans
with that code in the same run. Session 57 read the scans of 2021, 2020 and 2015 while building
the rule (`docdiff.engine.score.widely_shared`); 2006 and 2012 were read only after it; 2003, 2009,
2016 and 2024 (the default's last four) were not read.

The last column counts the top pairs holding a long loose paraphrase (`LOOSE_SHARE`): two
speeches' stretches on one subject, reported as a reworded passage, which led their year's scan
until session 59 weighed a paraphrase by the share of its side it shares
(`docdiff.engine.score._shared_density`; read on 2005, 2019 and 2022, not on the default years).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from tests.benchmarks._common import table, un_speeches

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _grams(words: list[str]) -> list[tuple[str, ...]]:
    return [tuple(words[i : i + 3]) for i in range(len(words) - 2)]


def _scan(folder: Path, code: Path | None, out: Path) -> dict[str, Any]:
    """The scan of `folder` by this checkout (`code` None) or the checkout in `code`."""
    env = None
    cwd: str | Path = Path(__file__).resolve().parents[2]
    if code is not None:
        import os

        env = {**os.environ, "PYTHONPATH": str(code)}
        cwd = tempfile.gettempdir()  # (this checkout first on sys.path would shadow it)
    cmd = [sys.executable, "-m", "docdiff", "scan", str(folder), "-o", str(out), "--no-progress"]
    run = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    if run.returncode != 0:
        sys.exit(f"scan failed ({code or 'this checkout'}): {run.stderr[-400:]}")
    got: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return got


def _leading(pair: dict[str, Any]) -> str | None:
    """The text (first document) of the pair's longest passage neither formula nor name."""
    kept = [m for m in pair["matches"] if m["kind"] not in ("formula", "name")]
    if not kept:
        return None
    best = max(kept, key=lambda m: m["words"])
    text: str = best["a"].get("text", "")
    return text


LOOSE_SHARE = 0.25
"""A paraphrase is loose when its shared words are fewer than this share of the words of its
shorter side (this script's words), a side of `LOOSE_WORDS` or more: two speeches' stretches on
one subject in one order, not a reworded sentence (session 59: UN 2005 BHR/KWT 110 shared words
over 754 / 469, 2022 BHR/SAU 96 over 520 / 629)."""

LOOSE_WORDS = 100


def _loose(pair: dict[str, Any]) -> bool:
    """Whether the pair holds a long loose paraphrase (`LOOSE_SHARE`)."""
    for m in pair["matches"]:
        if m["kind"] != "paraphrase":
            continue
        side = min(len(_words(m["a"].get("text", ""))), len(_words(m["b"].get("text", ""))))
        if side >= LOOSE_WORDS and m["words"] < LOOSE_SHARE * side:
            return True
    return False


def _rarest_quarter(text: str, held: Counter[tuple[str, ...]]) -> int | None:
    counts = sorted(held[g] for g in _grams(_words(text)))
    return counts[len(counts) // 4] if counts else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--years",
        nargs="+",
        default=["2021", "2020", "2015", "2006", "2012", "2003", "2009", "2016", "2024"],
    )
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--baseline", type=Path)
    args = parser.parse_args()

    root = un_speeches()
    codes: list[tuple[str, Path | None]] = [("this checkout", None)]
    if args.baseline:
        codes.append((f"baseline {args.baseline}", args.baseline))
    rows: list[list[object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for year in args.years:
            folder = root / year
            files = sorted(folder.glob("*.txt"))
            held: Counter[tuple[str, ...]] = Counter()
            for f in files:
                held.update(set(_grams(_words(f.read_text(encoding="utf-8")))))
            bound = max(5, math.ceil(0.02 * len(files)))
            for label, code in codes:
                report = _scan(folder, code, Path(tmp) / f"{year}.json")
                quarters = []
                for pair in report["pairs"][: args.top]:
                    text = _leading(pair)
                    q = _rarest_quarter(text, held) if text else None
                    if q is not None:
                        quarters.append(q)
                shared = sum(1 for q in quarters if q > bound)
                top = report["pairs"][: args.top]
                loose = sum(map(_loose, top))
                rows.append([
                    year, len(files), label, f"{shared} of {len(quarters)}",
                    statistics.median(quarters) if quarters else "-", bound,
                    f"{loose} (top 3: {sum(map(_loose, top[:3]))})",
                ])  # fmt: skip
    headers = ["year", "speeches", "code", f"top {args.top} leading with shared wording"]
    headers += ["median rarest-quarter speeches", "rare bound"]
    headers += [f"top {args.top} holding a long loose paraphrase"]
    print(table(headers, rows))


if __name__ == "__main__":
    main()
