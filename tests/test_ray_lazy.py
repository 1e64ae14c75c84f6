"""Ray stays out of every process that does not ask for it: --help, local commands, the server.

These tests need no Ray; they check ``sys.modules`` in a fresh interpreter after each command.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests._patience import seconds

ROOT = Path(__file__).resolve().parent.parent
LETTERS = ROOT / "fixtures" / "corpus" / "letters"

_RUN_CLI = (
    "import sys\n"
    "sys.argv = ['docdiff', *sys.argv[1:]]\n"
    "from docdiff.cli import main\n"
    "code = 0\n"
    "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
    "sys.stdout.flush()\n"
    "sys.stderr.write('RAY_LOADED=%s EXIT=%s\\n' % ('ray' in sys.modules, code))\n"
)


def _cli(*args: str, block_ray: bool = False) -> subprocess.CompletedProcess[str]:
    code = ("import sys\nsys.modules['ray'] = None\n" if block_ray else "") + _RUN_CLI
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=seconds(120),
    )


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("scan", "--help"),
        ("index", "build", "--help"),
        ("index", "update", "--help"),
        ("query", "--help"),
        ("serve", "--help"),
    ],
    ids=" ".join,
)
def test_help_never_imports_ray(args: tuple[str, ...]) -> None:
    out = _cli(*args)
    assert "RAY_LOADED=False" in out.stderr, out.stderr[-800:]
    if args[0] in {"scan", "index"}:
        assert "--engine" in out.stdout


def test_local_scan_and_index_never_import_ray(tmp_path: Path) -> None:
    scanned = _cli("scan", str(LETTERS), "--format", "json", "-j", "1")
    assert '"schema": "docdiff.scan/2"' in scanned.stdout
    assert "RAY_LOADED=False" in scanned.stderr, scanned.stderr[-800:]
    built = _cli("index", "build", str(LETTERS), "--db", str(tmp_path / "x.db"), "-j", "1")
    assert "8 added" in built.stdout, built.stdout + built.stderr
    assert "RAY_LOADED=False" in built.stderr


def test_language_server_never_imports_ray() -> None:
    code = (
        "import sys\n"
        "import docdiff_lsp, docdiff_lsp.server, docdiff_lsp.corpus, docdiff_lsp.handlers\n"
        "print('RAY_LOADED=%s' % ('ray' in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds(120),
    )
    assert "RAY_LOADED=False" in out.stdout, out.stdout + out.stderr


def test_engine_ray_without_ray_installed_is_one_line() -> None:
    out = _cli("scan", str(LETTERS), "--engine", "ray", block_ray=True)
    assert out.stderr.endswith("EXIT=2\n")
    lines = [ln for ln in out.stderr.splitlines() if not ln.startswith("RAY_LOADED")]
    assert lines == [
        "docdiff: --engine ray needs Ray: pip install 'docdiff[ray]' (on every node)"
    ], out.stderr
    assert out.stdout == ""
    assert "Traceback" not in out.stderr
    bad = _cli("scan", str(LETTERS), "--engine", "ray", "--address", "http://x", block_ray=True)
    assert "docdiff: --address must be auto, ray://HOST:PORT or HOST:PORT" in bad.stderr
