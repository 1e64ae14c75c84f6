"""Columns in the negotiated encoding, after an em dash and characters beyond the BMP, with a
form feed, a U+2028 and a CRLF on earlier lines (where pygls's own line split would drift).

The expected positions come from an independent model of the text kept by the test.
"""

from __future__ import annotations

import pytest
from lsprotocol import types

from .conftest import DocdiffClient

pytestmark = pytest.mark.asyncio(loop_scope="module")

LSP_WORKSPACE = "data"
NAME = "target.txt"
REUSED = "the delegation firmly rejects the unfounded allegations"
SENTENCE = REUSED + " contained in the so-called report of the special rapporteur on freshwater"


def _lines(text: str) -> list[str]:
    """Lines as LSP counts them: split on \\r\\n, \\r and \\n only."""
    out, start, i = [], 0, 0
    while i < len(text):
        if text[i] in "\r\n":
            out.append(text[start:i])
            i += 2 if text.startswith("\r\n", i) else 1
            start = i
        else:
            i += 1
    out.append(text[start:])
    return out


def _units(s: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(s.encode("utf-8"))
    if encoding == "utf-16":
        return len(s.encode("utf-16-le")) // 2
    return len(s)


def _text_at(text: str, pos: types.Position, encoding: str) -> str:
    """The rest of the line from an LSP position, decoded independently of the server."""
    line = _lines(text)[pos.line]
    for i in range(len(line) + 1):
        if _units(line[:i], encoding) == pos.character:
            return line[i:]
    pytest.fail(f"position {pos} falls inside a character in {encoding}")


def _starts_reused_word(text: str, pos: types.Position, encoding: str) -> bool:
    """True when `pos` is at the start of a word of the reused sentence (not inside one)."""
    rest = _text_at(text, pos, encoding)
    line = _lines(text)[pos.line]
    before = line[: len(line) - len(rest)]
    return (not before or not before[-1].isalnum()) and rest[:30] in SENTENCE


def _position_of(text: str, needle: str, encoding: str) -> types.Position:
    for n, line in enumerate(_lines(text)):
        if needle in line:
            return types.Position(n, _units(line[: line.index(needle)], encoding))
    pytest.fail(f"{needle!r} not in the text")


async def test_columns_after_em_dash_and_astral_characters(client: DocdiffClient) -> None:
    await client.indexed()
    text = (client.workspace_dir / NAME).read_text(encoding="utf-8")
    uri = client.open(NAME, text)
    diagnostics = await client.diagnostics_for(uri)
    reused = [d for d in diagnostics if d.range.start.line == 3]
    assert reused, [(d.range, d.message) for d in diagnostics]
    start = reused[0].range.start
    assert _starts_reused_word(text, start, client.encoding)
    # A column counted in another encoding would land elsewhere on this line.
    rest = _text_at(text, start, client.encoding)
    assert start == _position_of(text, rest[:30], client.encoding)
    # The related source location is in the source file, in the same encoding.
    source_text = (client.workspace_dir / "source.txt").read_text(encoding="utf-8")
    related = reused[0].related_information or []
    assert related
    assert _starts_reused_word(source_text, related[0].location.range.start, client.encoding)


async def test_incremental_edits_in_the_negotiated_encoding(client: DocdiffClient) -> None:
    text = (client.workspace_dir / NAME).read_text(encoding="utf-8")
    uri = client.uri(NAME)
    if uri not in client.opened:  # the test before may have run on another xdist worker
        await client.indexed()
        client.open(NAME, text)
    await client.diagnostics_for(uri)
    before = len(client.published)
    # 1. After the form feed on line 1 (pygls would see a new line there), insert the sentence.
    line1 = _lines(text)[1]
    at = types.Position(1, _units(line1[: line1.index("and the text")], client.encoding))
    insert = REUSED + " contained in the so-called report of the special rapporteur. "
    # 2. After the emoji on line 3, insert a word (positions count the astral characters).
    line3 = _lines(text)[3]
    at3 = types.Position(3, _units(line3[: line3.index(REUSED)], client.encoding))
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(range=types.Range(at3, at3), text="so "),
                types.TextDocumentContentChangePartial(range=types.Range(at, at), text=insert),
            ],
        )
    )
    model = text.replace(REUSED, "so " + REUSED, 1).replace("and the text", insert + "and the text")
    diagnostics = await client.diagnostics_for(uri, version=2, after=before)
    lines = {d.range.start.line for d in diagnostics}
    # Pairing is one to one: the source's single copy of the sentence pairs with the longer
    # copy (line 3, shifted by the edit there); the shorter one inserted on line 1 is unpaired.
    assert 3 in lines, [(d.range, d.message) for d in diagnostics]
    for d in diagnostics:
        if d.range.start.line in {1, 3}:
            assert _starts_reused_word(model, d.range.start, client.encoding)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            # On line 3's copy (the paired one), not line 1's.
            position=_position_of(model, SENTENCE[len("the delegation ") :], client.encoding),
        )
    )
    assert hover is not None
