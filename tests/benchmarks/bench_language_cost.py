"""What the language resources cost: start-up, a seed-pair compare, the wheel, installed size.

Measures one checkout (this one) and, with ``--before DIR``, an older checkout unpacked in DIR
(``git archive <commit> | tar -x -C DIR``) side by side in the same run:

* ``docdiff --help``: wall time and CPU time (median of runs, after one run that fills the
  bytecode cache, as installing a wheel does);
* the language server: time from launch to its ``initialize`` reply over stdio;
* ``docdiff compare`` on the seed pair (``../shared/seeds``), end to end;
* the modules of language data each of those loaded (none for ``--help`` and the server);
* the wheel's size (built with hatchling, no isolation) and the installed size of the
  language dependencies (wordfreq with its data, msgpack, PyStemmer).

Run from the repository root: ``python -m tests.benchmarks.bench_language_cost [--before DIR]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks._common import ROOT, shared_path, table

LANGUAGE_MODULES = ("wordfreq", "msgpack", "Stemmer", "docdiff.text.rarity", "docdiff.text.lemmas")
_PROBE = (
    "import sys, runpy\n"
    "sys.argv = ['docdiff'] + sys.argv[1:]\n"
    "try:\n    runpy.run_module('docdiff', run_name='__main__')\n"
    "except SystemExit:\n    pass\n"
    "sys.stderr.write('LOADED ' + ' '.join(m for m in {mods!r} if m in sys.modules) + '\\n')\n"
)


_PYCACHE = Path(tempfile.gettempdir()) / "docdiff-bench-pycache"


def _env(root: Path) -> dict[str, str]:
    """The child's environment: this checkout first on the path, and bytecode cached (in a
    temporary folder, never in the checkout) as an installed wheel has it; without the cache
    (PYTHONDONTWRITEBYTECODE set) every run compiles every module again, about 0.3 s."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(_PYCACHE / root.resolve().name)
    env["PYTHONPATH"] = os.pathsep.join([str(root), str(root / "lsp")])
    return env


def _run(root: Path, args: list[str], runs: int) -> tuple[float, float, str]:
    """Median wall and CPU seconds of `docdiff args`, and the language modules it loaded."""
    walls, cpus = [], []
    loaded = ""
    code = _PROBE.format(mods=LANGUAGE_MODULES)
    # One run first, not counted, to fill the bytecode cache.
    subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=root,
        env=_env(root),
        capture_output=True,
        check=False,
    )
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", code, *args],
            cwd=root,  # "-c" puts the working folder first on sys.path
            env=_env(root),
            capture_output=True,
            text=True,
            check=False,
        )
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        loaded = next(
            (line[7:] for line in out.stderr.splitlines() if line.startswith("LOADED")), "?"
        )
    return statistics.median(walls), statistics.median(cpus), loaded or "-"


def _frame(payload: dict[str, object]) -> bytes:
    body = json.dumps(payload).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _server_start(root: Path, runs: int) -> float:
    """Median seconds from launching the language server to its initialize reply."""
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize"}
    init["params"] = {"processId": None, "rootUri": None, "capabilities": {}}
    times = []
    for _ in range(runs + 1):  # the first run fills the bytecode cache and is not counted
        t0 = time.perf_counter()
        with subprocess.Popen(
            [sys.executable, "-m", "docdiff_lsp"],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_env(root),
        ) as proc:
            assert proc.stdin is not None
            assert proc.stdout is not None
            proc.stdin.write(_frame(init))
            proc.stdin.flush()
            header = b""
            while not header.endswith(b"\r\n\r\n"):
                chunk = proc.stdout.read(1)
                if not chunk:
                    break
                header += chunk
            times.append(time.perf_counter() - t0)
            proc.stdin.write(_frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
            proc.stdin.write(_frame({"jsonrpc": "2.0", "method": "exit"}))
            proc.stdin.flush()
            proc.wait(timeout=30)
    return statistics.median(times[1:])


def _wheel_size(root: Path) -> int:
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", out],
            cwd=root,
            capture_output=True,
            check=True,
        )
        return sum(p.stat().st_size for p in Path(out).glob("*.whl"))


def _installed_size() -> str:
    import importlib.util

    total = 0
    for name in ("wordfreq", "msgpack", "Stemmer"):
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            continue
        origin = Path(spec.origin)
        folder = origin.parent if origin.name == "__init__.py" else origin
        files = folder.rglob("*") if folder.is_dir() else [folder]
        total += sum(p.stat().st_size for p in files if p.is_file())
    return f"{total / 1e6:.1f} MB"


def main() -> None:
    """Print the costs of this checkout and, with --before, of an older one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="an older checkout to measure alongside")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    seeds = sorted(str(p) for p in shared_path("seeds").glob("*.txt"))
    roots = ([("before", args.before)] if args.before else []) + [("after", ROOT)]
    rows = []
    for label, root in roots:
        help_wall, help_cpu, help_mods = _run(root, ["--help"], args.runs)
        cmp_wall, cmp_cpu, cmp_mods = _run(root, ["compare", *seeds], args.runs)
        server = _server_start(root, max(3, args.runs // 2))
        rows.append(
            [
                label,
                f"{help_wall:.3f} / {help_cpu:.3f}",
                help_mods,
                f"{server:.3f}",
                f"{cmp_wall:.3f} / {cmp_cpu:.3f}",
                cmp_mods,
                f"{_wheel_size(root) / 1e3:.0f} kB",
            ]
        )
    print(
        table(
            [
                "checkout",
                "--help wall/cpu s",
                "loaded",
                "server start s",
                "compare seeds wall/cpu s",
                "loaded",
                "wheel",
            ],
            rows,
        )
    )
    print(
        f"\ninstalled language dependencies (wordfreq with data, msgpack, PyStemmer): "
        f"{_installed_size()}"
    )


if __name__ == "__main__":
    main()
