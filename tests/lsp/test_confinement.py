"""The language server stays in its folders, and a hostile client or stream cannot break it.

Through a real client (pytest-lsp): workspace folders ``/`` and ``$HOME`` are refused; settings
pointing outside (an index elsewhere, a lexicon outside, a credentials file as corpus path) are
ignored with one message; commands read only open or indexed documents; symlinks leaving the
corpus and FIFOs are left out. Over a raw stream: invalid params get a JSON-RPC error without a
traceback, broken framing ends the connection with one line, and ``--tcp`` refuses non-loopback
addresses without ``--allow-remote``. A killed server leaves no indexer behind.

Every wait is for an event (a message, a status, a reply, a process exit), with a deadline.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import ClientServerConfig, client_capabilities

from tests._patience import seconds, wait_until

from .conftest import ROOT, SERVER, TIMEOUT, DocdiffClient, make_client

LETTERS = ROOT / "fixtures" / "letters"
PROFILE = "visual-studio-code"
SECRET = "The launch codes are kept in the blue folder under the stairs of the old annex."


def _letters(target: Path, count: int = 4) -> Path:
    files = sorted(LETTERS.glob("*.txt"))[:count]
    if len(files) < 2:
        pytest.skip(f"{LETTERS} is absent")
    target.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy(f, target / f.name)
    return target


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The server's environment: its user cache (and home) inside the test's folder."""
    home = tmp_path / "home"
    home.mkdir()
    assert SERVER.server_env is not None
    return {**SERVER.server_env, "XDG_CACHE_HOME": str(tmp_path / "cache"), "HOME": str(home)}


@contextlib.asynccontextmanager
async def session(
    env: dict[str, str], folder: Path, init: dict[str, Any] | None = None
) -> AsyncIterator[DocdiffClient]:
    """A server started on `folder` (its workspace folder and root) through pytest-lsp."""
    config = ClientServerConfig(
        server_command=SERVER.server_command, client_factory=make_client, server_env=env
    )
    client = await config.start()
    assert isinstance(client, DocdiffClient)
    client.workspace_dir = folder
    client.profile = PROFILE
    uri = folder.resolve().as_uri() if folder != Path("/") else "file:///"
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(PROFILE),
            root_uri=uri,
            workspace_folders=[types.WorkspaceFolder(uri=uri, name=folder.name or "root")],
            initialization_options=init or {},
            client_info=types.ClientInfo(name="pytest-lsp (confinement)"),
        )
    )
    try:
        yield client
    finally:
        await client.shutdown_session()
        await client.stop()  # type: ignore[no-untyped-call]


async def _message(client: DocdiffClient, *needles: str) -> str:
    """The first window/showMessage holding every needle."""

    def found() -> str | None:
        return next(
            (m.message for m in client.messages if all(n in m.message for n in needles)), None
        )

    message: str = await client.until(found)
    return message


async def _ready(client: DocdiffClient, count: int = 1) -> None:
    """Wait for the end of the `count`-th indexing run."""
    await client.until(
        lambda: sum(s["state"] == "ready" and s["uri"] is None for s in client.statuses) >= count
    )


def _indexed(index: Path) -> set[str]:
    """File names of the documents in an index (read with the CLI's own reader)."""
    from docdiff.index import CorpusIndex

    with CorpusIndex.open(index, readonly=True) as idx:
        return {Path(d.path).name for d in idx.documents()}


# -- folders and settings ------------------------------------------------------------------


async def test_home_folder_is_refused_with_a_message(env: dict[str, str]) -> None:
    home = _letters(Path(env["HOME"]))
    async with session(env, home) as client:
        message = await _message(client, str(home), "home folder")
        assert "not read" in message
        await _ready(client)
        # Nothing of the home folder was indexed, and nothing was written there.
        assert not (home / ".docdiff").exists()
        cached = list(Path(env["XDG_CACHE_HOME"]).rglob("index.db"))
        assert len(cached) == 1
        assert _indexed(cached[0]) == set()


async def test_filesystem_root_is_refused_with_a_message(env: dict[str, str]) -> None:
    async with session(env, Path("/")) as client:
        await _message(client, "workspace folder /", "filesystem root")
        await _ready(client)
        assert client.statuses[-1]["total"] == 0


async def test_settings_pointing_outside_are_ignored_with_one_message(
    env: dict[str, str], tmp_path: Path
) -> None:
    ws = _letters(tmp_path / "ws")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "credentials").write_text(f"[default]\nsecret = {SECRET}\n", encoding="utf-8")
    (outside / "lexicon.txt").write_text("the {…} of {…}\n", encoding="utf-8")
    init = {
        "corpus": {"paths": [str(outside / "credentials"), "/"]},
        "index": str(outside / "evil.db"),
        "formulae": str(outside / "lexicon.txt"),
    }
    async with session(env, ws, init) as client:
        message = await _message(client, "evil.db")
        await _ready(client)
        for needle in ("'index'", "'formulae'", "credentials", "not a corpus document", "'/'"):
            assert needle in message, needle
        assert sum("evil.db" in m.message for m in client.messages) == 1
        assert not (outside / "evil.db").exists()
        assert "credentials" not in _indexed(ws / ".docdiff" / "index.db")
        assert len(_indexed(ws / ".docdiff" / "index.db")) == 4


async def test_a_lexicon_too_costly_to_search_is_refused_with_a_message(
    env: dict[str, str], tmp_path: Path
) -> None:
    """A workspace's lexicon whose template one run of words can be read by in billions of
    ways held the engine's thread for minutes; it is refused, and the built-in lexicon used."""
    ws = _letters(tmp_path / "ws")
    lexicon = tmp_path / "ws" / "lexicon.tsv"
    lexicon.write_text("evil: " + " ".join(["[(zq|zq zq)]"] * 24) + " zr zs\n", encoding="utf-8")
    async with session(env, ws, {"formulae": str(lexicon)}) as client:
        message = await _message(client, "'formulae'")
        await _ready(client)
        assert "ways" in message
        assert "built-in lexicon" in message


async def test_an_index_under_a_corpus_folders_docdiff_is_accepted(
    env: dict[str, str], tmp_path: Path
) -> None:
    ws = _letters(tmp_path / "ws", 2)
    shared = _letters(tmp_path / "shared", 4)
    index = shared / ".docdiff" / "cli.db"
    async with session(env, ws, {"corpus": {"paths": [str(shared)]}, "index": str(index)}) as c:
        await _ready(c)
        assert not [m for m in c.messages if "index" in m.message]
        assert len(_indexed(index)) == 4  # two names are in both folders: indexed once each
        assert not (ws / ".docdiff" / "index.db").exists()


# -- commands ------------------------------------------------------------------------------


async def test_commands_read_only_open_or_indexed_documents(
    env: dict[str, str], tmp_path: Path
) -> None:
    ws = _letters(tmp_path / "ws")
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    names = sorted(p.name for p in ws.glob("*.txt"))
    (ws / "zz_binary.txt").write_bytes(b"\x00\x01 scanned \xff\xfe" * 40)
    async with session(env, ws) as client:
        await _ready(client)
        mine = client.open(names[0])
        for target in (secret.as_uri(), "file:///etc/passwd", "untitled:Untitled-1"):
            with pytest.raises(JsonRpcException) as caught:
                await client.command("docdiff.compareWith", target, mine)
            assert "not an open document nor a corpus file" in str(caught.value), target
            assert "Traceback" not in str(caught.value)
        # The document argument is checked the same way.
        with pytest.raises(JsonRpcException):
            await client.command("docdiff.compareWith", client.uri(names[1]), secret.as_uri())
        reports = ws / ".docdiff" / "reports"
        assert not reports.exists() or not any(reports.iterdir())
        # A corpus file the index refused is read as the indexer reads it: the reply says why.
        with pytest.raises(JsonRpcException) as binary:
            await client.command("docdiff.compareWith", client.uri("zz_binary.txt"), mine)
        assert "zz_binary.txt" in str(binary.value)
        assert "binary" in str(binary.value)
        assert "Traceback" not in str(binary.value)
        # An indexed document and an open one are fine.
        result = await client.command("docdiff.compareWith", client.uri(names[1]), mine)
        assert Path(result["report"]).parent == reports
        assert SECRET not in Path(result["report"]).read_text(encoding="utf-8")


async def test_symlinks_leaving_the_corpus_and_fifos_are_left_out(
    env: dict[str, str], tmp_path: Path
) -> None:
    ws = _letters(tmp_path / "ws")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    (ws / "link.txt").symlink_to(outside / "secret.txt")
    # A symlink inside the corpus, to a file the walk does not reach itself.
    (ws / "notes").mkdir()
    (ws / "notes" / "letter.dat").write_text("Kept in the corpus through a link.", "utf-8")
    (ws / "inner.txt").symlink_to(ws / "notes" / "letter.dat")
    os.mkfifo(ws / "pipe.txt")
    async with session(env, ws) as client:
        await _ready(client)
        indexed = _indexed(ws / ".docdiff" / "index.db")
        # (The index records files by their real path.)
        assert not indexed & {"link.txt", "secret.txt"}
        assert "pipe.txt" not in indexed
        assert indexed & {"inner.txt", "letter.dat"}  # a symlink inside the corpus is fine
        # A save of the FIFO or of the outside link reaches neither the index nor a reader.
        for name in ("pipe.txt", "link.txt"):
            client.text_document_did_save(
                types.DidSaveTextDocumentParams(
                    text_document=types.TextDocumentIdentifier(uri=client.uri(name))
                )
            )
        # The indexing thread and the engine thread still work: a re-index ends, a buffer
        # is checked.
        await client.command("docdiff.reindex")
        await _ready(client, 2)
        assert not _indexed(ws / ".docdiff" / "index.db") & {"link.txt", "secret.txt"}
        letter = sorted(p.name for p in ws.glob("0*.txt"))[1]
        assert await client.diagnostics_for(client.open(letter))
        # Following symlinks is a setting of its own.
        client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(
                settings={"docdiff": {"corpus": {"followSymlinks": True}}}
            )
        )
        await _ready(client, 3)
        assert _indexed(ws / ".docdiff" / "index.db") & {"link.txt", "secret.txt"}


# -- the wire ------------------------------------------------------------------------------


async def test_a_command_without_its_arguments_fails_cleanly(
    env: dict[str, str], tmp_path: Path
) -> None:
    ws = _letters(tmp_path / "ws", 2)
    async with session(env, ws) as client:
        await _ready(client)
        with pytest.raises(JsonRpcException) as failed:
            await client.command("docdiff.openComparison")
        assert failed.value.data is None  # the traceback stays in the server's log
        assert "Traceback" not in str(failed.value)
        mine = client.open(sorted(p.name for p in ws.glob("*.txt"))[1])
        with pytest.raises(JsonRpcException) as unknown:
            await client.command("docdiff.openComparison", mine, "/etc/passwd")
        assert "not a document of the corpus index" in str(unknown.value)
        # The server still answers.
        uri = client.open(sorted(p.name for p in ws.glob("*.txt"))[0])
        assert await client.diagnostics_for(uri)


def _frame(payload: dict[str, Any]) -> bytes:
    body = json.dumps(payload).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


INITIALIZE = _frame(
    {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"processId": None, "rootUri": None, "capabilities": {}},
    }
)
SHUTDOWN = {"jsonrpc": "2.0", "id": 2, "method": "shutdown"}


def _read_message(stream: IO[bytes]) -> dict[str, Any]:
    header = b""
    while not header.endswith(b"\r\n\r\n"):
        chunk = stream.read(1)
        if not chunk:
            raise EOFError("server closed the stream")
        header += chunk
    length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
    data: dict[str, Any] = json.loads(stream.read(length))
    return data


@contextlib.contextmanager
def _server(env: dict[str, str], *args: str) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "docdiff_lsp", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=Path(env["HOME"]),
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        (b"Content-Length: abc\r\n\r\n{}", "invalid Content-Length 'abc'"),
        (b"Content-Length: -4\r\n\r\n{}", "invalid Content-Length '-4'"),
        (b"Content-Length 12\r\n\r\n", "malformed header line"),
        (b"X-Evil: 1\r\nContent-Length: 2\r\n\r\n{}", "unknown header 'X-Evil'"),
        (b"Content-Length: 99999999999\r\n\r\n", "over"),
        (b"\r\n", "a message without Content-Length"),
        # Too short: the rest of the body is read as a header line.
        (
            b"Content-Length: 10\r\n\r\n" + json.dumps(SHUTDOWN).encode() + _frame(SHUTDOWN),
            "header",
        ),
    ],
)
def test_broken_framing_ends_the_connection_with_one_line(
    env: dict[str, str], broken: bytes, reason: str
) -> None:
    with _server(env) as proc:
        assert proc.stdin is not None
        assert proc.stdout is not None
        assert proc.stderr is not None
        proc.stdin.write(INITIALIZE)
        proc.stdin.flush()
        assert _read_message(proc.stdout)["id"] == 1
        proc.stdin.write(broken)
        proc.stdin.flush()
        # The server ends on its own, while its stdin is still open.
        assert proc.wait(timeout=TIMEOUT) == 2
        stderr = proc.stderr.read().decode("utf-8", "replace").strip()
        assert "Traceback" not in stderr
        assert stderr.splitlines()[-1].startswith("docdiff_lsp: closing the connection: ")
        assert reason in stderr.splitlines()[-1]


def test_a_body_that_is_not_json_gets_a_parse_error(env: dict[str, str]) -> None:
    with _server(env) as proc:
        assert proc.stdin is not None
        assert proc.stdout is not None
        proc.stdin.write(b"Content-Length: 5\r\n\r\n{nope" + INITIALIZE)
        proc.stdin.flush()
        error = _read_message(proc.stdout)
        assert error["id"] is None
        assert error["error"]["code"] == -32700
        assert _read_message(proc.stdout)["id"] == 1  # and the next message is served


def test_invalid_params_get_a_json_rpc_error_without_traceback(env: dict[str, str]) -> None:
    hover = {
        "jsonrpc": "2.0",
        "id": 7,
        "method": "textDocument/hover",
        "params": {"textDocument": 5, "position": "here"},
    }
    bad_open = {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"x": []}}
    with _server(env) as proc:
        assert proc.stdin is not None
        assert proc.stdout is not None
        proc.stdin.write(INITIALIZE + _frame(hover) + _frame(bad_open) + _frame(SHUTDOWN))
        proc.stdin.flush()
        assert _read_message(proc.stdout)["id"] == 1
        reply = _read_message(proc.stdout)
        assert reply["id"] == 7
        assert reply["error"]["code"] == -32602
        assert "textDocument/hover" in reply["error"]["message"]
        assert "data" not in reply["error"] or reply["error"]["data"] is None
        assert "Traceback" not in json.dumps(reply)
        # A notification with invalid params gets no reply, and the server goes on.
        assert _read_message(proc.stdout) == {"jsonrpc": "2.0", "id": 2, "result": None}


# -- TCP -----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.parametrize("command", [["-m", "docdiff_lsp"], ["-m", "docdiff", "serve"]])
@pytest.mark.parametrize("address", ["0.0.0.0", "[::]"])
def test_tcp_refuses_a_non_loopback_address(
    env: dict[str, str], command: list[str], address: str
) -> None:
    proc = subprocess.run(
        [sys.executable, *command, "--tcp", f"{address}:{_free_port()}"],
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT,
        check=False,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "not a loopback address" in lines[0]
    assert "--allow-remote" in lines[0]


def test_tcp_with_allow_remote_warns_and_serves(env: dict[str, str]) -> None:
    port = _free_port()
    with _server(env, "--tcp", f"0.0.0.0:{port}", "--allow-remote") as proc:
        assert proc.stderr is not None
        # The warning comes once the socket listens: then one connection is enough.
        warning = proc.stderr.readline().decode("utf-8")
        assert "reachable from other machines" in warning
        assert "no authentication" in warning
        with (
            socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as conn,
            conn.makefile("rb") as stream,
        ):
            conn.sendall(INITIALIZE)
            assert _read_message(stream)["id"] == 1


def test_tcp_listens_on_loopback_by_default(env: dict[str, str]) -> None:
    port = _free_port()
    with _server(env, "--tcp", str(port), "--log-level", "INFO") as proc:
        assert proc.stderr is not None
        listening = _line(proc.stderr, "listening on")
        assert f"127.0.0.1:{port}" in listening
        with (
            socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as conn,
            conn.makefile("rb") as stream,
        ):
            conn.sendall(INITIALIZE)
            assert _read_message(stream)["id"] == 1


def _line(stream: IO[bytes], needle: str) -> str:
    """The first line of `stream` holding `needle` (the stream ending fails the test)."""
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", "replace")
        if needle in line:
            return line
    pytest.fail(f"the server ended without saying {needle!r}")


# -- no indexer outlives its server --------------------------------------------------------


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            status = (entry / "status").read_text(encoding="utf-8")
            ppid = next(int(x.split()[1]) for x in status.splitlines() if x.startswith("PPid:"))
            cmdline = (entry / "cmdline").read_bytes()
            if ppid == pid and b"docdiff_lsp.indexing" in cmdline:
                out.append(int(entry.name))
    return out


def _group_alive(pgid: int) -> bool:
    """Whether any live (not zombie) process is left in process group `pgid`."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = (entry / "stat").read_text(encoding="utf-8")
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                return True
    return False


def _holds_open(pid: int, path: Path) -> bool:
    """Whether process `pid` has `path` open (its descriptors, as /proc lists them)."""
    with contextlib.suppress(OSError):
        return any(fd.resolve() == path.resolve() for fd in Path(f"/proc/{pid}/fd").iterdir())
    return False


def _wait(check: Callable[[], Any], what: str) -> Any:
    return wait_until(check, 30, what, poll=0.02)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_a_killed_server_leaves_no_indexer(env: dict[str, str], tmp_path: Path) -> None:
    ws = _letters(tmp_path / "ws", 6)
    for n in range(600):  # enough work that the indexer is still busy when its server dies
        (ws / f"note{n:04}.txt").write_text(
            f"Note {n}. " + " ".join(f"w{(n * 7 + j) % 991}" for j in range(120)), "utf-8"
        )
    index = ws / ".docdiff" / "index.db"
    with _server(env) as proc:
        assert proc.stdin is not None
        init = json.loads(INITIALIZE.split(b"\r\n\r\n", 1)[1])
        init["params"]["rootUri"] = ws.as_uri()
        proc.stdin.write(_frame(init))
        proc.stdin.write(_frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        proc.stdin.flush()
        child = _wait(lambda: _children(proc.pid), "the indexer")[0]
        # Then hold the index's write lock: the indexer waits on it (for 30 s) and cannot end
        # on its own before the server is gone; an orphan would not even meet a closed stdout.
        _wait(index.exists, "the index file")
        lock = sqlite3.connect(index, isolation_level=None, timeout=60)
        try:
            lock.execute("BEGIN IMMEDIATE")
            assert _group_alive(child), "the indexer ended before its server was killed"
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            # Well before the lock's 30 s would let an orphan go on its own.
            deadline = time.monotonic() + seconds(15)
            while _group_alive(child):
                assert time.monotonic() < deadline, "the indexer outlived its server"
                time.sleep(0.02)
        finally:
            lock.rollback()
            lock.close()
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child, signal.SIGKILL)
