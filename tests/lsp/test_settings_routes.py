"""Settings reach the server by all three routes; an invalid one gives a message, not a crash.

initializationOptions make phrasing an error; a pushed didChangeConfiguration makes it a
warning; a pulled workspace/configuration makes it a hint. Each change republishes.
"""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types

from .conftest import DEBOUNCE_MS, DocdiffClient

pytestmark = pytest.mark.asyncio(loop_scope="module")

LSP_WORKSPACE = "letters"
LSP_INIT = {"severity": {"phrasing": "error"}, "minWords": "many", "codeLens": False}
DOC = "02_examplia_ohchr_2023.txt"


def _phrasing(diagnostics: list[types.Diagnostic]) -> set[types.DiagnosticSeverity | None]:
    return {d.severity for d in diagnostics if d.code == "phrasing"}


async def _latest(client: DocdiffClient, after: int) -> list[types.Diagnostic]:
    return await client.diagnostics_for(client.uri(DOC), after=after)


async def test_initialization_options_and_invalid_value(client: DocdiffClient) -> None:
    await client.indexed()
    client.open(DOC)
    diagnostics = await client.diagnostics_for(client.uri(DOC))
    assert _phrasing(diagnostics) == {types.DiagnosticSeverity.Error}
    # minWords "many" is invalid: one message, the default (4) used, the server still serves.
    assert any("minWords" in m.message for m in client.messages)
    assert sum("minWords" in m.message for m in client.messages) == 1
    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=client.uri(DOC)))
    )
    assert not lenses, "codeLens: false switches lenses off"


async def test_pushed_configuration(client: DocdiffClient) -> None:
    before = len(client.published)
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(
            settings={"docdiff": {"severity": {"phrasing": "warning"}, "inlayHints": False}}
        )
    )
    diagnostics = await _latest(client, before)
    assert _phrasing(diagnostics) == {types.DiagnosticSeverity.Warning}
    hints = await client.text_document_inlay_hint_async(
        types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri=client.uri(DOC)),
            range=types.Range(types.Position(0, 0), types.Position(200, 0)),
        )
    )
    assert not hints, "inlayHints: false switches hints off"


async def test_pulled_configuration(client: DocdiffClient) -> None:
    before = len(client.published)
    client.set_configuration(
        {"severity": {"phrasing": "hint"}, "kinds": ["phrasing", "name"]}, section="docdiff"
    )
    # A notification without settings asks the server to pull them.
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    diagnostics = await _latest(client, before)
    assert _phrasing(diagnostics) == {types.DiagnosticSeverity.Hint}
    assert {d.code for d in diagnostics} <= {"phrasing", "name"}


async def test_invalid_pushed_values_fall_back(client: DocdiffClient) -> None:
    before_messages = len(client.messages)
    before = len(client.published)
    client.set_configuration({}, section="docdiff")
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(
            settings={
                "docdiff": {
                    "severity": {"phrasing": "loud"},
                    "checkOn": "sometimes",
                    "maxFileSize": -3,
                    "corpus": {"include": 7},
                }
            }
        )
    )
    diagnostics = await _latest(client, before)
    new = [m.message for m in client.messages[before_messages:]]
    assert len(new) == 1, new
    for name in ("severity", "checkOn", "maxFileSize", "corpus.include"):
        assert name in new[0]
    # Defaults again: phrasing is information.
    assert _phrasing(diagnostics) == {types.DiagnosticSeverity.Information}


async def test_check_on_save(client: DocdiffClient) -> None:
    uri = client.uri(DOC)
    before = len(client.published)
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"docdiff": {"checkOn": "save"}})
    )
    await _latest(client, before)  # the settings change republishes once
    await asyncio.sleep(0.5)
    before = len(client.published)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=50),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(types.Position(0, 0), types.Position(0, 0)), text="Draft. "
                )
            ],
        )
    )
    await asyncio.sleep(3 * DEBOUNCE_MS / 1000)
    assert not [p for p in client.published[before:] if p.uri == uri], "checked while typing"
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    await client.diagnostics_for(uri, version=50, after=before)
