"""End to end on the fixture letters: diagnostics, hover, navigation, lenses, hints, actions.

One server per client profile serves every test here, in file order; the ignore-list test
runs last because it changes what the server reports.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types

from .conftest import DocdiffClient

pytestmark = pytest.mark.asyncio(loop_scope="module")

LSP_WORKSPACE = "letters"
A = "01_examplia_un_2021.txt"
B = "02_examplia_ohchr_2023.txt"
VERBATIM = "The people of Examplia have chosen their own path of development freely"


def _position(text: str, needle: str, encoding: str, *, at_end: bool = False) -> types.Position:
    """The LSP position of `needle` in `text` (independent of the server's converter)."""
    offset = text.index(needle) + (len(needle) if at_end else 0)
    line = text.count("\n", 0, offset)
    prefix = text[text.rfind("\n", 0, offset) + 1 : offset]
    units = {
        "utf-8": len(prefix.encode("utf-8")),
        "utf-16": len(prefix.encode("utf-16-le")) // 2,
        "utf-32": len(prefix),
    }[encoding]
    return types.Position(line=line, character=units)


def _inside(pos: types.Position, rng: types.Range) -> bool:
    start, end = rng.start, rng.end
    return (start.line, start.character) <= (pos.line, pos.character) <= (end.line, end.character)


async def _opened(client: DocdiffClient, name: str) -> tuple[str, list[types.Diagnostic]]:
    uri = client.uri(name)
    if not any(p.uri == uri for p in client.published):
        await client.indexed()
        client.open(name)
    return uri, await client.diagnostics_for(uri)


async def test_indexing_reports_progress(client: DocdiffClient) -> None:
    status = await client.indexed()
    # Every letter is indexed; the unreadable file gets one log line and is left out.
    assert status["total"] == client.initial_files - 1
    assert sum("broken.txt" in m.message for m in client.log_messages) == 1
    reports = [r for r in client.progress_reports.values() if r]
    assert reports, "no $/progress during indexing"
    kinds = [getattr(v, "kind", None) for v in reports[0]]
    assert kinds[0] == "begin"
    assert kinds[-1] == "end"
    assert "report" in kinds
    assert any(s["state"] == "indexing" for s in client.statuses)


async def test_diagnostics_one_per_passage(client: DocdiffClient) -> None:
    uri, diagnostics = await _opened(client, B)
    text = (client.workspace_dir / B).read_text(encoding="utf-8")
    codes = {d.code for d in diagnostics}
    assert {"phrasing", "name"} <= codes
    verbatim = _position(text, VERBATIM, client.encoding)
    hits = [d for d in diagnostics if _inside(verbatim, d.range)]
    assert len(hits) == 1, "the verbatim paragraph must be one diagnostic"
    d = hits[0]
    assert d.code == "phrasing"
    assert d.severity == types.DiagnosticSeverity.Information
    assert A in d.message
    assert "%" in d.message
    assert "“The people of Examplia" in d.message, "the row quotes its passage"
    assert "phrasing" not in d.message, "the kind is the code; the message does not repeat it"
    assert d.source == "docdiff"
    assert d.related_information
    assert any(r.location.uri == client.uri(A) for r in d.related_information)
    assert isinstance(d.data, dict)
    assert d.data["kind"] == "phrasing"
    names = [x for x in diagnostics if x.code == "name"]
    assert all(x.severity == types.DiagnosticSeverity.Hint for x in names)
    starts = [(x.range.start.line, x.range.start.character) for x in diagnostics]
    assert len(starts) == len(set(starts)), "two diagnostics for one passage"
    # The source location points at the same words in the other letter.
    source_text = (client.workspace_dir / A).read_text(encoding="utf-8")
    related = next(r for r in d.related_information if r.location.uri == client.uri(A))
    assert _inside(_position(source_text, VERBATIM, client.encoding), related.location.range)
    assert uri == client.uri(B)


async def test_status_notification_per_document(client: DocdiffClient) -> None:
    uri, _ = await _opened(client, B)
    indexed = await client.indexed()
    status = await client.until(
        lambda: next((s for s in reversed(client.statuses) if s["uri"] == uri), None)
    )
    assert status["state"] == "ready"
    assert isinstance(status["similarity"], float)
    assert 0 < status["similarity"] <= 100
    assert status["total"] == indexed["total"]


async def test_one_set_of_numbers(client: DocdiffClient) -> None:
    """Problems, status notification, code lens and report count the same passages."""
    uri, _ = await _opened(client, B)
    status = await client.until(
        lambda: next((s for s in reversed(client.statuses) if s["uri"] == uri), None)
    )
    latest = next(p for p in reversed(client.published) if p.uri == uri)
    info = [d for d in latest.diagnostics if d.severity != types.DiagnosticSeverity.Hint]
    raw = status["counts"]
    # pygls hands nested objects of a custom notification over as named tuples.
    counts = raw._asdict() if hasattr(raw, "_asdict") else dict(raw)
    assert counts["reused"] == len(info) > 0
    hints = len(latest.diagnostics) - len(info)
    assert counts["echoes"] + counts["formulae"] + counts["otherHints"] == hints
    assert counts["mostSimilar"] == Path(A).stem
    assert counts["similarity"] == round(status["similarity"]) >= 1
    headline = counts["headline"]
    assert headline.startswith(f"{len(info)} reused passages")
    assert f"most similar: {Path(A).stem}, {counts['similarity']} %" in headline
    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert lenses
    assert lenses[0].command is not None
    title = lenses[0].command.title
    assert _figures(title) == _figures(headline), (title, headline)
    shown = await client.command("docdiff.showReport", uri)
    assert shown["headline"] == headline
    assert shown["passages"] == len(info)


async def test_hover_lists_sources_with_word_diff(client: DocdiffClient) -> None:
    uri, _ = await _opened(client, B)
    text = (client.workspace_dir / B).read_text(encoding="utf-8")
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=_position(text, "distortions, lies and fabrications", client.encoding),
        )
    )
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    formats = client.capabilities.text_document.hover.content_format  # type: ignore[union-attr]
    markdown = not formats or formats[0] == types.MarkupKind.Markdown
    assert hover.contents.kind == (
        types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
    )
    value = hover.contents.value
    assert A in value
    assert "paraphrase — the same sentences reworded" in value, "the title says the kind"
    assert re.search(r" — \d+%, 2021-10-14", value), "each source: its score and date"
    assert "2021-10-14" in value, "the source's date from metadata.csv"
    assert "~~" not in value
    if markdown:
        assert "| This letter | Source |" in value, "this letter and the source side by side"
        assert "**Bold**: words found only on that side." in value, "a legend"
    else:
        assert "This letter: " in value
        assert "Source: " in value
    nothing = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=_position(text, "All places of detention", client.encoding),
        )
    )
    assert nothing is None


async def test_definition_jumps_to_best_source(client: DocdiffClient) -> None:
    uri, _ = await _opened(client, B)
    text = (client.workspace_dir / B).read_text(encoding="utf-8")
    result = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=_position(text, "chosen their own path", client.encoding),
        )
    )
    assert isinstance(result, types.Location)
    assert result.uri == client.uri(A)
    source_text = (client.workspace_dir / A).read_text(encoding="utf-8")
    assert _inside(_position(source_text, "chosen their own path", client.encoding), result.range)


async def test_references_list_every_occurrence(client: DocdiffClient) -> None:
    uri, _ = await _opened(client, B)
    text = (client.workspace_dir / B).read_text(encoding="utf-8")
    needle = "Office of the United Nations High Commissioner for Human Rights"
    result = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=_position(text, needle, client.encoding),
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    assert result
    holders = {Path(types_uri_path(loc.uri)).name for loc in result}
    expected = {
        p.name
        for p in client.workspace_dir.glob("*.txt")
        if needle in p.read_text(encoding="utf-8", errors="replace") and p.name != B
    }
    assert len(expected) >= 2
    assert expected <= holders
    assert B not in holders


def types_uri_path(uri: str) -> str:
    """The path of a file URI."""
    from urllib.parse import unquote, urlparse

    return unquote(urlparse(uri).path)


def _figures(text: str) -> list[str]:
    """The counts and the percentage of a headline or lens (not digits inside a name)."""
    return re.findall(r"\d+(?= (?:reused|echo|formula))|\d+(?= ?%)", text)


async def test_code_lens_on_first_line(client: DocdiffClient) -> None:
    uri, _ = await _opened(client, B)
    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert lenses is not None
    assert len(lenses) == 1, "one lens, naming each document once"
    assert lenses[0].range.start.line == 0
    assert lenses[0].command is not None
    title = lenses[0].command.title
    assert len(title) <= 80
    named = re.search(r"most similar: ([^,]+),", title)
    assert named is not None, title
    name, stem = named.group(1), Path(A).stem
    assert name == stem or (name.endswith("…") and stem.startswith(name[:-1])), title
    assert title.count(name) == 1
    assert re.search(r"\d+ reused", title)
    assert lenses[0].command.command == "docdiff.showReport"


def _hint_request(uri: str, text: str) -> types.InlayHintParams:
    last = text.count("\n") + 1
    return types.InlayHintParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(start=types.Position(0, 0), end=types.Position(last, 0)),
    )


async def test_inlay_hints_off_by_default_then_after_sentences(client: DocdiffClient) -> None:
    uri, diagnostics = await _opened(client, B)
    text = (client.workspace_dir / B).read_text(encoding="utf-8")
    assert await client.text_document_inlay_hint_async(_hint_request(uri, text)) is None
    before = len(client.published)
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"docdiff": {"inlayHints": True}})
    )
    await client.until(lambda: any(p.uri == uri for p in client.published[before:]))
    try:
        hints = await client.text_document_inlay_hint_async(_hint_request(uri, text))
        assert hints
        assert len(hints) == len(diagnostics)
        lines = text.split("\n")
        for h in hints:
            row = lines[h.position.line]
            chars = {
                "utf-8": len(row.encode("utf-8")[: h.position.character].decode("utf-8")),
                "utf-16": len(
                    row.encode("utf-16-le")[: 2 * h.position.character].decode("utf-16-le")
                ),
                "utf-32": h.position.character,
            }[client.encoding]
            before_hint = row[:chars]
            assert before_hint.count("(") == before_hint.count(")"), (row, chars)
            assert chars == len(row) or before_hint.rstrip()[-1:] in {".", ";", "!", "?"}
    finally:
        before = len(client.published)
        refreshes = client.refreshes.count("inlayHint")
        client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"docdiff": {"inlayHints": False}})
        )
        await client.until(lambda: any(p.uri == uri for p in client.published[before:]))
    workspace = client.capabilities.workspace if client.capabilities else None
    if workspace and workspace.inlay_hint and workspace.inlay_hint.refresh_support:
        # Turned off: the client is told to drop the hints it shows.
        await client.until(lambda: client.refreshes.count("inlayHint") > refreshes)
    assert await client.text_document_inlay_hint_async(_hint_request(uri, text)) is None


async def test_debounce_ten_edits_one_analysis(client: DocdiffClient) -> None:
    name = "06_testavia_hrc_2021.txt"
    uri = client.uri(name)
    await client.indexed()
    client.open(name)
    await client.diagnostics_for(uri)
    before = len(client.published)
    for version in range(2, 12):
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(start=types.Position(0, 0), end=types.Position(0, 0)),
                        text="x",
                    )
                ],
            )
        )
    await client.diagnostics_for(uri, version=11, after=before)
    # One more edit: the server analyses documents in order, so once version 12 is published
    # any other analysis of the ten edits would have been published before it.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=12),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=types.Position(0, 0), end=types.Position(0, 0)),
                    text="y",
                )
            ],
        )
    )
    await client.diagnostics_for(uri, version=12, after=before)
    mine = [p.version for p in client.published[before:] if p.uri == uri]
    assert mine == [11, 12]


async def _actions(
    client: DocdiffClient, uri: str, target: types.Diagnostic
) -> list[types.CodeAction | types.Command]:
    """The code actions offered for one diagnostic."""
    found = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=target.range,
            context=types.CodeActionContext(diagnostics=[target]),
        )
    )
    return list(found or [])


async def _run_until_published(
    client: DocdiffClient,
    uri: str,
    command: str,
    args: Sequence[Any],
    done: Callable[[types.PublishDiagnosticsParams], bool],
) -> types.PublishDiagnosticsParams:
    """Run a server command, then wait for a publish of `uri` that shows its effect.

    A publish already under way when the command runs may still carry the old state.
    """
    before = len(client.published)
    await client.command(command, *args)
    await client.until(lambda: any(p.uri == uri and done(p) for p in client.published[before:]))
    return next(p for p in reversed(client.published) if p.uri == uri)


async def test_code_action_runs_command(client: DocdiffClient) -> None:
    uri, diagnostics = await _opened(client, B)
    text = (client.workspace_dir / B).read_text(encoding="utf-8")
    pos = _position(text, VERBATIM, client.encoding)
    target = next(d for d in diagnostics if _inside(pos, d.range))
    actions = await _actions(client, uri, target)
    assert actions
    assert all(isinstance(a, types.CodeAction) for a in actions)
    by_title = {a.title: a for a in actions if isinstance(a, types.CodeAction)}
    assert any("ignore source" in t for t in by_title)
    assert any("mark as quotation" in t for t in by_title)
    report = next(a for t, a in by_title.items() if "comparison report" in t)
    assert report.command is not None
    shown_before = len(client.shown_documents)
    result = await client.command(report.command.command, *(report.command.arguments or []))
    assert Path(result["report"]).is_file()
    assert "<html" in Path(result["report"]).read_text(encoding="utf-8").lower()
    if (
        client.capabilities
        and client.capabilities.window
        and client.capabilities.window.show_document
    ):
        assert len(client.shown_documents) == shown_before + 1
        assert client.shown_documents[-1].uri == result["uri"]
    else:
        assert any("report written" in m.message for m in client.messages)


async def test_commands_compare_with_and_show_report(client: DocdiffClient) -> None:
    uri, _ = await _opened(client, B)
    result = await client.command("docdiff.compareWith", client.uri(A), uri)
    assert Path(result["report"]).is_file()
    assert result["summary"]["similarity"] > 0
    assert result["passages"] > 0
    shown = await client.command("docdiff.showReport", uri)
    assert Path(shown["report"]).is_file()


async def test_the_open_letter_keeps_its_index_id(client: DocdiffClient) -> None:
    """One id per document: the open letter's pair report names it as the index names its
    file (the id it has as a source of other letters), not by an absolute path, as the
    source beside it is named."""
    uri, _ = await _opened(client, B)
    result = await client.command("docdiff.compareWith", client.uri(A), uri)
    page = Path(result["report"]).read_text(encoding="utf-8")
    heads = re.findall(r"<dt>([AB])</dt><dd>(.*?)</dd>", page)
    assert [side for side, _ in heads] == ["A", "B"]
    (_, mine), (_, source) = heads
    own_id = re.sub(r"<[^>]+>", " ", mine).split()[0]
    source_id = re.sub(r"<[^>]+>", " ", source).split()[0]
    assert own_id.endswith(B)
    assert source_id.endswith(A)
    assert not Path(own_id).is_absolute(), "the index's id, not the buffer's path"
    assert own_id.removesuffix(B) == source_id.removesuffix(A), "both named the same way"


async def test_show_report_is_about_this_letter(client: DocdiffClient) -> None:
    """The letter report ranks this letter's sources by short name, each linked to its pair
    report, and names formulae by family, never by template syntax."""
    uri, _ = await _opened(client, B)
    shown = await client.command("docdiff.showReport", uri)
    page = Path(shown["report"]).read_text(encoding="utf-8")
    assert f"<h1>{B}</h1>" in page
    assert str(client.workspace_dir) not in page.split("<h2>Passages")[0].replace(
        'data-report="' + str(client.workspace_dir), ""
    ), "short names, no absolute paths shown"
    links = re.findall(r'<a href="([^"]+)" data-report="([^"]+)">([^<]+)</a>', page)
    assert links
    assert links[0][2] == A, "the most similar source first"
    for _, target, _ in links:
        pair_page = Path(target).read_text(encoding="utf-8")
        assert "<html" in pair_page.lower()
        assert "(have|has)" not in pair_page
        assert "{…}" not in pair_page
    assert "assurances" in page, "the formula's family label"
    assert "{…}" not in page


async def test_bad_documents_get_one_message_and_server_keeps_serving(
    client: DocdiffClient,
) -> None:
    await client.indexed()
    (client.workspace_dir / "blob.txt").write_bytes(b"abc\x00def")
    client.open("blob.txt", text="abc\x00def")
    await client.until(lambda: any("blob.txt" in m.message for m in client.messages))
    client.open("script.py", text="print('hello')\n", language="python")
    await client.until(lambda: any("script.py" in m.message for m in client.log_messages))
    assert sum("blob.txt" in m.message for m in client.messages) == 1
    client.open("big.txt", text="word " * 420_000)  # 2.1 MB: over maxFileSize
    await client.until(lambda: any("maxFileSize" in m.message for m in client.messages))
    # Still serving: a hover on B answers.
    uri, _ = await _opened(client, B)
    text = (client.workspace_dir / B).read_text(encoding="utf-8")
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=_position(text, VERBATIM, client.encoding),
        )
    )
    assert hover is not None


async def test_unsaved_untitled_buffer_is_checked(client: DocdiffClient) -> None:
    await client.indexed()
    uri = "untitled:Untitled-1"
    text = (client.workspace_dir / B).read_text(encoding="utf-8")
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="plaintext", version=1, text=text
            )
        )
    )
    diagnostics = await client.diagnostics_for(uri)
    # Not a file, so nothing to exclude: the letter on disk is found too.
    assert any(B in d.message or A in d.message for d in diagnostics)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )


async def test_watched_file_changes_update_the_index(client: DocdiffClient) -> None:
    uri, _ = await _opened(client, B)
    text = (client.workspace_dir / B).read_text(encoding="utf-8")
    lines = [line for line in text.split("\n") if len(line.split()) > 25]
    new = client.workspace_dir / "zz_new_source.txt"
    new.write_text("A later note.\n\n" + lines[-1] + "\n", encoding="utf-8")
    before = len(client.published)
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=new.resolve().as_uri(), type=types.FileChangeType.Created)]
        )
    )
    await client.until(
        lambda: any(
            p.uri == uri
            and any(new.name in d.message or _related(d, new.name) for d in p.diagnostics)
            for p in client.published[before:]
        )
    )
    new.unlink()
    before = len(client.published)
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=new.resolve().as_uri(), type=types.FileChangeType.Deleted)]
        )
    )
    await client.until(lambda: any(p.uri == uri for p in client.published[before:]))
    latest = next(p for p in reversed(client.published) if p.uri == uri)
    assert not any(_related(d, new.name) for d in latest.diagnostics)


def _related(d: types.Diagnostic, name: str) -> bool:
    return any(r.location.uri.endswith("/" + name) for r in d.related_information or [])


def _source_ids(diagnostics: list[types.Diagnostic]) -> set[str]:
    return {
        str(s["id"]) for d in diagnostics if isinstance(d.data, dict) for s in d.data["sources"]
    }


async def test_saving_a_corpus_file_reindexes_it_under_the_same_id(
    client: DocdiffClient,
) -> None:
    uri, _ = await _opened(client, B)
    latest = next(p for p in reversed(client.published) if p.uri == uri)
    before_ids = _source_ids(list(latest.diagnostics))
    before = len(client.published)
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=client.uri(A))
        )
    )
    await client.until(lambda: any(p.uri == uri for p in client.published[before:]))
    latest = next(p for p in reversed(client.published) if p.uri == uri)
    assert _source_ids(list(latest.diagnostics)) == before_ids


async def test_reindex_command(client: DocdiffClient) -> None:
    await client.indexed()
    ready = sum(s["state"] == "ready" and s["uri"] is None for s in client.statuses)
    result = await client.command("docdiff.reindex")
    assert result["state"] == "indexing"
    await client.until(
        lambda: sum(s["state"] == "ready" and s["uri"] is None for s in client.statuses) > ready
    )


async def test_project_file_kinds_apply_when_it_changes(client: DocdiffClient) -> None:
    """A [kinds] table in .docdiff.toml, announced by the client's file watcher, applies at once
    and wins over the editor's severity setting."""
    uri, _ = await _opened(client, B)
    project = client.workspace_dir / ".docdiff.toml"
    project.write_text('[kinds]\nphrasing = "off"\nformula = "warning"\n', encoding="utf-8")

    def announce() -> None:
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[
                    types.FileEvent(
                        uri=project.resolve().as_uri(), type=types.FileChangeType.Changed
                    )
                ]
            )
        )

    try:
        before = len(client.published)
        announce()
        await client.until(
            lambda: any(
                p.uri == uri
                and any(d.code == "formula" for d in p.diagnostics)
                and all(d.code != "phrasing" for d in p.diagnostics)
                for p in client.published[before:]
            )
        )
        latest = next(p for p in reversed(client.published) if p.uri == uri)
        formulae = [d for d in latest.diagnostics if d.code == "formula"]
        assert {d.severity for d in formulae} == {types.DiagnosticSeverity.Warning}
    finally:
        project.unlink()
        before = len(client.published)
        announce()
        await client.until(
            lambda: any(
                p.uri == uri and any(d.code == "phrasing" for d in p.diagnostics)
                for p in client.published[before:]
            )
        )


async def test_mark_as_quotation_relabels_the_passage(client: DocdiffClient) -> None:
    uri, diagnostics = await _opened(client, B)
    text = (client.workspace_dir / B).read_text(encoding="utf-8")
    pos = _position(text, VERBATIM, client.encoding)
    target = next(d for d in diagnostics if _inside(pos, d.range))
    actions = await _actions(client, uri, target)
    mark = next(
        a for a in actions or [] if isinstance(a, types.CodeAction) and "quotation" in a.title
    )
    assert mark.command is not None
    latest = await _run_until_published(
        client,
        uri,
        mark.command.command,
        mark.command.arguments or [],
        lambda p: any(d.code == "quotation" and _inside(pos, d.range) for d in p.diagnostics),
    )
    assert next(d for d in latest.diagnostics if _inside(pos, d.range)).code == "quotation"


async def test_ignore_formula_hides_it(client: DocdiffClient) -> None:
    uri, diagnostics = await _opened(client, B)
    formulae = [d for d in diagnostics if d.code == "formula"]
    # Letter 02 opens and closes with formulae other letters share ("compliments",
    # "assurances").
    assert formulae, "the fixture letters share a formula"
    target = formulae[0]
    actions = await _actions(client, uri, target)
    assert actions
    ignore = actions[0]
    # The formula's own fix comes first and is the preferred one (not its many sources).
    assert isinstance(ignore, types.CodeAction)
    assert "formula" in ignore.title
    assert ignore.is_preferred
    own = [a.title for a in actions]
    own = own[: next(i for i, t in enumerate(own) if "comparison report" in t) + 1]
    assert not [t for t in own if "quotation" in t], "a formula is no quotation"
    assert ignore.command is not None
    latest = await _run_until_published(
        client,
        uri,
        ignore.command.command,
        ignore.command.arguments or [],
        lambda p: target.range not in [d.range for d in p.diagnostics if d.code == "formula"],
    )
    assert target.range not in [d.range for d in latest.diagnostics if d.code == "formula"]
    project = tomllib.loads((client.workspace_dir / ".docdiff.toml").read_text("utf-8"))
    labels = project["ignore"]["formulae"]
    assert len(labels) == 1, "the family label, in the project file"
    assert f"“{labels[0]}”" in ignore.title or labels[0] in ignore.title


async def test_ignore_source_hides_its_passages(client: DocdiffClient) -> None:
    uri, diagnostics = await _opened(client, B)
    assert any(A in d.message for d in diagnostics)
    source_id = next(
        s["id"]
        for d in diagnostics
        if isinstance(d.data, dict)
        for s in d.data["sources"]
        if Path(str(s["id"])).name == A
    )
    latest = await _run_until_published(
        client,
        uri,
        "docdiff.ignoreSource",
        [source_id],
        lambda p: not any(A in d.message for d in p.diagnostics),
    )
    assert not any(A in d.message for d in latest.diagnostics)
    project = tomllib.loads((client.workspace_dir / ".docdiff.toml").read_text("utf-8"))
    assert A in project["ignore"]["sources"], "written relative to the workspace root"
