"""Settings reach the server by all three routes; an invalid one gives a message, not a crash.

initializationOptions make phrasing an error; a pushed didChangeConfiguration makes it a
warning; a pulled workspace/configuration makes it a hint. Each change republishes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from lsprotocol import types

from .conftest import DocdiffClient

pytestmark = pytest.mark.asyncio(loop_scope="module")

LSP_WORKSPACE = "letters"
LSP_INIT = {"severity": {"phrasing": "error"}, "minWords": "many", "codeLens": False}
DOC = "02_examplia_ohchr_2023.txt"


def _phrasing(diagnostics: Sequence[types.Diagnostic]) -> set[types.DiagnosticSeverity | None]:
    return {d.severity for d in diagnostics if d.code == "phrasing"}


async def _open(client: DocdiffClient) -> str:
    """DOC open in the server, whichever test of the module runs first on this worker
    (pytest-xdist may split a module's tests over workers, each with its own server)."""
    uri = client.uri(DOC)
    if uri not in client.opened:
        await client.indexed()
        client.open(DOC)
        await client.diagnostics_for(uri)
    return uri


async def _settled(
    client: DocdiffClient, phrasing: types.DiagnosticSeverity
) -> Sequence[types.Diagnostic]:
    """Wait until the latest diagnostics published for DOC show phrasing at `phrasing`.

    The event waited for is the state the settings change must lead to, so the tests do not
    depend on which of them ran before on the same server.
    """
    uri = client.uri(DOC)

    def latest() -> Sequence[types.Diagnostic] | None:
        for p in reversed(client.published):
            if p.uri == uri and p.diagnostics:
                return p.diagnostics if _phrasing(p.diagnostics) == {phrasing} else None
        return None

    found: Sequence[types.Diagnostic] = await client.until(latest)
    return found


def _push(client: DocdiffClient, settings: dict[str, Any] | None) -> None:
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(
            settings=None if settings is None else {"docdiff": settings}
        )
    )


async def test_initialization_options_and_invalid_value(client: DocdiffClient) -> None:
    await _open(client)
    # Back to the initializationOptions alone, should another test have changed the settings.
    client.set_configuration({}, section="docdiff")
    _push(client, {"codeLens": False})
    await _settled(client, types.DiagnosticSeverity.Error)
    # minWords "many" is invalid: one message (not repeated on each settings change), the
    # default (4) used, the server still serves.
    alone = [m for m in client.messages if "minWords" in m.message and "checkOn" not in m.message]
    assert len(alone) == 1, [m.message for m in client.messages]
    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=client.uri(DOC)))
    )
    assert not lenses, "codeLens: false switches lenses off"


async def test_pushed_configuration(client: DocdiffClient) -> None:
    await _open(client)
    client.set_configuration({}, section="docdiff")
    _push(client, {"severity": {"phrasing": "warning"}, "inlayHints": False})
    await _settled(client, types.DiagnosticSeverity.Warning)
    hints = await client.text_document_inlay_hint_async(
        types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri=client.uri(DOC)),
            range=types.Range(types.Position(0, 0), types.Position(200, 0)),
        )
    )
    assert not hints, "inlayHints: false switches hints off"


async def test_pulled_configuration(client: DocdiffClient) -> None:
    await _open(client)
    client.set_configuration(
        {"severity": {"phrasing": "hint"}, "kinds": ["phrasing", "name"]}, section="docdiff"
    )
    # A notification without settings asks the server to pull them.
    _push(client, None)
    diagnostics = await _settled(client, types.DiagnosticSeverity.Hint)
    # Only those kinds (echoes are short phrasing, shown as hints of their own kind).
    assert {d.code for d in diagnostics} <= {"phrasing", "name", "echo"}


async def test_invalid_pushed_values_fall_back(client: DocdiffClient) -> None:
    await _open(client)
    before_messages = len(client.messages)
    client.set_configuration({}, section="docdiff")
    _push(
        client,
        {
            "severity": {"phrasing": "loud"},
            "checkOn": "sometimes",
            "maxFileSize": -3,
            "corpus": {"include": 7},
        },
    )
    # Defaults again: phrasing is information.
    await _settled(client, types.DiagnosticSeverity.Information)
    new = [m.message for m in client.messages[before_messages:]]
    assert len(new) == 1, new
    for name in ("severity", "checkOn", "maxFileSize", "corpus.include"):
        assert name in new[0]


async def test_check_on_save(client: DocdiffClient) -> None:
    uri = await _open(client)
    client.set_configuration({}, section="docdiff")
    # Phrasing as a warning marks the publication that follows this settings change.
    _push(client, {"checkOn": "save", "severity": {"phrasing": "warning"}})
    await _settled(client, types.DiagnosticSeverity.Warning)
    before = len(client.published)
    version = 50 + len(client.published)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(types.Position(0, 0), types.Position(0, 0)), text="Draft. "
                )
            ],
        )
    )
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    diagnostics = await client.diagnostics_for(uri, version=version, after=before)
    assert diagnostics[0].range.start.line >= 0


def _did_change(version: int) -> types.DidChangeTextDocumentParams:
    return types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(
            uri="file:///tmp/a.txt", version=version
        ),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=f"version {version}")],
    )


@pytest.mark.parametrize(("check_on", "checks"), [("edit", 1), ("save", 0)])
async def test_an_edit_schedules_a_check_only_when_checking_on_edit(
    check_on: str, checks: int
) -> None:
    """What typing does, seen in the server itself: with checkOn "save" no check is pending
    after an edit (no waiting on a timer to prove that nothing happens)."""
    from pygls.workspace import Workspace

    from docdiff_lsp.handlers import create_server
    from docdiff_lsp.server import OpenDoc
    from docdiff_lsp.settings import Settings

    server = create_server()
    server.protocol._workspace = Workspace(None)  # what `initialize` sets up
    server.settings, _ = Settings.from_mapping({"checkOn": check_on})
    server.docs["file:///tmp/a.txt"] = OpenDoc("file:///tmp/a.txt", 1, "first", "plaintext")
    server.protocol.fm.features[types.TEXT_DOCUMENT_DID_CHANGE](_did_change(2))
    assert server.docs["file:///tmp/a.txt"].text == "version 2"
    assert len(server._pending) == checks
    for task in server._pending.values():
        task.cancel()
