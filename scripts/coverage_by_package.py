"""Summarise a `coverage json` report per package (docdiff.engine, docdiff.index, ...)."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path


def package_of(path: str) -> str:
    """``docdiff/engine/align.py`` -> ``docdiff.engine``; top-level modules -> "top level"."""
    parts = Path(path).with_suffix("").parts
    if "docdiff_lsp" in parts:
        return "docdiff_lsp"
    i = parts.index("docdiff")
    rest = parts[i + 1 :]
    return "docdiff." + rest[0] if len(rest) > 1 else "docdiff (top level)"


def main() -> int:
    """Print covered/total statements per package and overall."""
    data = json.loads(Path(sys.argv[1]).read_text("utf-8"))
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for path, info in data["files"].items():
        summary = info["summary"]
        row = totals[package_of(path)]
        row[0] += summary["covered_lines"]
        row[1] += summary["num_statements"]
    covered = sum(r[0] for r in totals.values())
    total = sum(r[1] for r in totals.values())
    for name, (hit, n) in sorted(totals.items()):
        print(f"{name:28} {hit:6}/{n:<6} {100 * hit / max(n, 1):5.1f} %")
    print(f"{'all':28} {covered:6}/{total:<6} {100 * covered / max(total, 1):5.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
