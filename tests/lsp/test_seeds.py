"""The canonical seed pair (../shared/seeds, skipped when absent): the 2024 note verbale reuses
the 2020 letter's names and rhetoric, and the server reports it in every client profile."""

from __future__ import annotations

import pytest
from lsprotocol import types

from .conftest import DocdiffClient

pytestmark = pytest.mark.asyncio(loop_scope="module")

LSP_WORKSPACE = "seeds"


async def test_seed_pair_diagnostics(client: DocdiffClient) -> None:
    await client.indexed()
    letters = sorted(p.name for p in client.workspace_dir.glob("*.txt"))
    newer, older = letters[-1], letters[0]
    uri = client.open(newer)
    diagnostics = await client.diagnostics_for(uri)
    text = (client.workspace_dir / newer).read_text(encoding="utf-8")
    kinds = {d.code for d in diagnostics}
    assert "name" in kinds
    assert kinds & {"phrasing", "paraphrase"}, kinds
    assert all(older in d.message for d in diagnostics)
    office = "Office of the United Nations High Commissioner for Human Rights"
    line = next(n for n, t in enumerate(text.split("\n")) if office in t)
    assert any(d.code == "name" and d.range.start.line == line for d in diagnostics)
    for d in diagnostics:
        assert d.related_information
        assert d.related_information[0].location.uri == client.uri(older)
        severity = d.severity
        if d.code in {"formula", "name", "echo"}:
            assert severity == types.DiagnosticSeverity.Hint
        else:
            assert severity == types.DiagnosticSeverity.Information
    # Quiet, as a prose checker: short stock phrases are echoes (hints), never information.
    info = [d for d in diagnostics if d.severity == types.DiagnosticSeverity.Information]
    for d in info:
        quoted = d.message.split("”")[0].lstrip("“")
        assert len(quoted.split()) >= 4 or quoted.endswith("…"), d.message
