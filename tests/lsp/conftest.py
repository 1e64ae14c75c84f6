"""Language-server test rig: a real server over stdio, driven by pytest-lsp clients.

Every end-to-end module gets one server per client capability profile (VS Code: UTF-16,
Neovim 0.11: UTF-8, Emacs 29: UTF-32), started on a fresh workspace folder the module names:

* ``LSP_WORKSPACE``: "letters" (fixtures/letters), "seeds" (../shared/seeds, skipped when
  absent) or "data" (tests/lsp/data);
* ``LSP_INIT``: the initializationOptions to send.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from tests._patience import seconds

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
PROFILES = ("visual-studio-code", "neovim@v0.11.0", "emacs@v29.1")
ENCODINGS = {"visual-studio-code": "utf-16", "neovim@v0.11.0": "utf-8", "emacs@v29.1": "utf-32"}
DEBOUNCE_MS = 400
TIMEOUT = seconds(30.0)
"""The guard deadline of every wait for the server (`tests._patience`)."""


class DocdiffClient(LanguageClient):
    """A test client that also records every diagnostics publication and status notification."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.published: list[types.PublishDiagnosticsParams] = []
        self.statuses: list[dict[str, Any]] = []
        self.registrations: list[types.Registration] = []
        self.refreshes: list[str] = []
        self.workspace_dir = Path()
        self.profile = ""
        self.initial_files = 0
        """Text files in the workspace when the server started (tests may add more)."""
        self.opened: set[str] = set()
        """URIs this client sent didOpen for."""

    async def command(self, name: str, *args: Any) -> Any:
        """Run a server command; its result as JSON-like data."""
        return await self.workspace_execute_command_async(
            types.ExecuteCommandParams(command=name, arguments=list(args))
        )

    @property
    def encoding(self) -> str:
        """The position encoding this profile negotiates."""
        return ENCODINGS[self.profile]

    def uri(self, name: str) -> str:
        """The URI of a workspace file."""
        return (self.workspace_dir / name).resolve().as_uri()

    def open(self, name: str, text: str | None = None, language: str = "plaintext") -> str:
        """Send didOpen for a workspace file (its disk text unless `text` is given)."""
        path = self.workspace_dir / name
        body = path.read_text(encoding="utf-8") if text is None else text
        uri = self.uri(name)
        self.opened.add(uri)
        self.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id=language, version=1, text=body
                )
            )
        )
        return uri

    async def until(self, check: Callable[[], Any], timeout: float = TIMEOUT) -> Any:
        """Wait until `check()` is truthy; returns its value (fails after `timeout`)."""
        deadline = time.monotonic() + timeout
        while True:
            value = check()
            if value:
                return value
            if time.monotonic() > deadline:
                pytest.fail(f"timed out after {timeout}s waiting for {check}")
            await asyncio.sleep(0.02)

    async def diagnostics_for(
        self, uri: str, *, version: int | None = None, after: int = 0
    ) -> list[types.Diagnostic]:
        """The first non-empty diagnostics published for `uri` (at `version`) after publication
        number `after`."""

        def found() -> list[types.Diagnostic] | None:
            for p in self.published[after:]:
                if p.uri == uri and p.diagnostics and (version is None or p.version == version):
                    return list(p.diagnostics)
            return None

        result: list[types.Diagnostic] = await self.until(found)
        return result

    async def indexed(self) -> dict[str, Any]:
        """Wait for the end of the first indexing run (its "ready" status)."""
        status: dict[str, Any] = await self.until(
            lambda: next(
                (s for s in self.statuses if s["state"] == "ready" and s["uri"] is None), None
            )
        )
        return status


def _record_diagnostics(client: DocdiffClient, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(params)


def _record_status(client: DocdiffClient, params: Any) -> None:
    # pygls hands unknown notifications over as a namedtuple-like object.
    data = params._asdict() if hasattr(params, "_asdict") else dict(params)
    client.statuses.append(data)


def _register(client: DocdiffClient, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)


def _code_lens_refresh(client: DocdiffClient, params: None) -> None:
    client.refreshes.append("codeLens")


def _inlay_hint_refresh(client: DocdiffClient, params: None) -> None:
    client.refreshes.append("inlayHint")


def make_client() -> DocdiffClient:
    """A pytest-lsp client with our recorders; code-action results read as CodeAction."""
    from pygls.protocol import default_converter

    client = DocdiffClient(converter_factory=default_converter)
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _record_diagnostics
    features["docdiff/status"] = _record_status
    # What real editors answer too: registrations and refresh requests.
    features[types.CLIENT_REGISTER_CAPABILITY] = _register
    features[types.WORKSPACE_CODE_LENS_REFRESH] = _code_lens_refresh
    features[types.WORKSPACE_INLAY_HINT_REFRESH] = _inlay_hint_refresh
    register_lsp_features(client, features)
    converter = client.protocol._converter

    def action_or_command(obj: Any, _: Any) -> types.CodeAction | types.Command:
        if isinstance(obj.get("command"), dict) or "kind" in obj:
            action: types.CodeAction = converter.structure(obj, types.CodeAction)
            return action
        command: types.Command = converter.structure(obj, types.Command)
        return command

    converter.register_structure_hook(types.CodeAction | types.Command, action_or_command)
    converter.register_structure_hook(types.Command | types.CodeAction, action_or_command)
    return client


SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "docdiff_lsp"],
    client_factory=make_client,
    server_env={
        **os.environ,
        "DOCDIFF_DEBOUNCE_MS": str(DEBOUNCE_MS),
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "lsp")]),
    },
)


def build_workspace(kind: str, target: Path) -> Path:
    """Copy the named document set into `target` (skips when it is unavailable)."""
    if kind == "letters":
        source = ROOT / "fixtures" / "letters"
    elif kind == "seeds":
        source = ROOT.parent / "shared" / "seeds"
    else:
        source = DATA
    files = sorted(source.glob("*.txt")) if source.is_dir() else []
    if len(files) < 2:
        pytest.skip(f"{source} is absent")
    target.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy(f, target / f.name)
    if kind == "letters":
        # Dates the letters state themselves, so hovers can show them.
        (target / "metadata.csv").write_text(
            "path,date\n01_examplia_un_2021.txt,2021-10-14\n", encoding="utf-8"
        )
        # A corpus file the loaders refuse: indexing logs it and goes on.
        (target / "broken.txt").write_bytes(b"\x00\x01\x02 not text \xff\xfe\x00" * 50)
    return target


@pytest_lsp.fixture(config=SERVER, scope="module", params=PROFILES)  # type: ignore[untyped-decorator]
async def client(
    lsp_client: DocdiffClient,
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[None]:
    """One server per module and client profile, initialised on a fresh workspace."""
    profile = str(request.param)
    kind = getattr(request.module, "LSP_WORKSPACE", "letters")
    init = getattr(request.module, "LSP_INIT", {})
    ws = build_workspace(kind, tmp_path_factory.mktemp(f"ws-{profile.split('@', maxsplit=1)[0]}"))
    lsp_client.workspace_dir = ws
    lsp_client.initial_files = len(list(ws.glob("*.txt")))
    lsp_client.profile = profile
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(profile),
            root_uri=ws.resolve().as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=ws.resolve().as_uri(), name=ws.name)],
            initialization_options=init,
            client_info=types.ClientInfo(name=f"pytest-lsp ({profile})"),
        )
    )
    yield
    await lsp_client.shutdown_session()
