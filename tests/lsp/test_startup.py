"""Starting the server: ``docdiff serve`` and ``python -m docdiff_lsp``, over stdio and TCP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable

import pytest

from tests._patience import seconds

from .conftest import ROOT

ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "lsp")])}


def _frame(payload: dict[str, object]) -> bytes:
    body = json.dumps(payload).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _read_message(reader: Callable[[int], bytes]) -> dict[str, object]:
    """One JSON-RPC message from a byte reader (`read(n)` callable)."""
    header = b""
    while not header.endswith(b"\r\n\r\n"):
        chunk = reader(1)
        if not chunk:
            raise EOFError("server closed the stream")
        header += chunk
    length = next(
        int(line.split(b":")[1])
        for line in header.split(b"\r\n")
        if line.startswith(b"Content-Length")
    )
    body = b""
    while len(body) < length:
        body += reader(length - len(body))
    data: dict[str, object] = json.loads(body)
    return data


INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"processId": None, "rootUri": None, "capabilities": {}},
}


def test_cli_does_not_import_pygls() -> None:
    code = (
        "import sys, docdiff.cli; "
        "print('pygls' in sys.modules, 'docdiff_lsp.server' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=ENV, check=True
    )
    assert out.stdout.split() == ["False", "False"]


def test_server_modules_load_no_toml_parser_until_a_project_file_is_read() -> None:
    """tomllib's regular expressions cost more than the server's own modules: read a
    ``.docdiff.toml`` only when one exists."""
    code = (
        "import sys, tempfile, pathlib, docdiff_lsp.server, docdiff_lsp.handlers\n"
        "print('tomllib' in sys.modules)\n"
        "from docdiff.project import load_project\n"
        "path = pathlib.Path(tempfile.mkdtemp(), '.docdiff.toml')\n"
        "path.write_text('[kinds]\\nformula = \"off\"\\n', encoding='utf-8')\n"
        "print(load_project(path).severity['formula'], 'tomllib' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=ENV, check=True
    )
    assert out.stdout.split() == ["False", "off", "True"]


def test_docdiff_serve_bad_address_is_one_line_and_exit_2() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "docdiff", "serve", "--tcp", "nowhere"],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=seconds(60),
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("docdiff: --tcp:")
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("command", [["-m", "docdiff", "serve"], ["-m", "docdiff_lsp"]])
def test_stdio_initialize(command: list[str]) -> None:
    with subprocess.Popen(
        [sys.executable, *command],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=ENV,
    ) as proc:
        assert proc.stdin is not None
        assert proc.stdout is not None
        try:
            proc.stdin.write(_frame(INITIALIZE))
            proc.stdin.flush()
            reply = _read_message(proc.stdout.read)
            assert reply["id"] == 1
            result = reply["result"]
            assert isinstance(result, dict)
            assert result["serverInfo"]["name"] == "docdiff"
            caps = result["capabilities"]
            assert caps["hoverProvider"]
            assert set(caps["executeCommandProvider"]["commands"]) >= {
                "docdiff.compareWith",
                "docdiff.reindex",
                "docdiff.showReport",
            }
            assert caps["textDocumentSync"]["change"] == 2  # incremental
            proc.stdin.write(_frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
            proc.stdin.write(_frame({"jsonrpc": "2.0", "method": "exit"}))
            proc.stdin.flush()
            assert proc.wait(timeout=seconds(30)) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def test_tcp_initialize() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "docdiff_lsp", "--tcp", f"127.0.0.1:{port}", "--log-level", "INFO"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=ENV,
    )
    assert proc.stderr is not None
    try:
        # The server says when it listens: one connection attempt is then enough.
        assert any(b"listening on" in line for line in iter(proc.stderr.readline, b""))
        with (
            socket.create_connection(("127.0.0.1", port), timeout=seconds(30)) as conn,
            conn.makefile("rb") as stream,
        ):
            conn.sendall(_frame(INITIALIZE))
            reply = _read_message(stream.read)
            assert reply["id"] == 1
            assert "capabilities" in reply["result"]  # type: ignore[operator]
    finally:
        proc.kill()
        proc.wait()
        proc.stderr.close()
