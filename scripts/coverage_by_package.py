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


OTHER_SUITES = {"docdiff/backends/ray_backend.py": "ray"}
"""Modules whose work only a marked suite runs (the Ray driver needs a Ray runtime: ``-m ray``).
They are listed on a row of their own and left out of the fast suite's total."""


def _suite_of(path: str) -> str | None:
    return next((m for tail, m in OTHER_SUITES.items() if path.endswith(tail)), None)


def main() -> int:
    """Print covered/total statements per package, the fast suite's total, and everything."""
    data = json.loads(Path(sys.argv[1]).read_text("utf-8"))
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for path, info in data["files"].items():
        summary = info["summary"]
        suite = _suite_of(path)
        name = package_of(path)
        if suite is not None:
            name = f"{Path(path).with_suffix('').as_posix().split('docdiff/')[-1]} (-m {suite})"
            name = "docdiff." + name.replace("/", ".")
        row = totals[name]
        row[0] += summary["covered_lines"]
        row[1] += summary["num_statements"]
    for name, (hit, n) in sorted(totals.items()):
        print(f"{name:36} {hit:6}/{n:<6} {100 * hit / max(n, 1):5.1f} %")
    fast = [r for name, r in totals.items() if "(-m " not in name]
    for label, rows in (("all (fast suite's code)", fast), ("all", list(totals.values()))):
        hit, n = sum(r[0] for r in rows), sum(r[1] for r in rows)
        print(f"{label:36} {hit:6}/{n:<6} {100 * hit / max(n, 1):5.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
