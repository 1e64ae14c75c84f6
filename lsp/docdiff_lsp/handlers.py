"""LSP handlers, each short: fetch the document, call the engine, convert the result."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from lsprotocol import types

from docdiff.errors import DocdiffError
from docdiff.model import Document

from .analysis import Analysis, Passage, normalise, policy_for
from .convert import (
    code_lenses,
    hint_offset,
    hover_text,
    inlay_hint,
    source_name,
    uri_to_path,
)
from .reports import letter_report, pair_report, report_path, summary_of
from .server import DocdiffServer, OpenDoc

__all__ = ["COMMANDS", "create_server"]

COMMANDS = (
    "docdiff.compareWith",
    "docdiff.reindex",
    "docdiff.showReport",
    "docdiff.ignoreSource",
    "docdiff.ignoreFormula",
    "docdiff.markQuotation",
    "docdiff.openComparison",
)


def _at(
    ls: DocdiffServer, uri: str, position: types.Position
) -> tuple[Analysis, list[Passage]] | None:
    """The analysis of `uri` and the passages under `position`."""
    analysis = ls.analyses.get(uri)
    if analysis is None:
        return None
    passages = analysis.passages_at(analysis.lines.offset(position, ls.encoding))
    return (analysis, passages) if passages else None


def _markdown_hovers(ls: DocdiffServer) -> bool:
    """Whether the client renders Markdown hovers (its first preferred format)."""
    hover = getattr(getattr(ls.client_capabilities, "text_document", None), "hover", None)
    formats = getattr(hover, "content_format", None)
    return not formats or formats[0] == types.MarkupKind.Markdown


def _command(title: str, name: str, *args: Any) -> types.Command:
    return types.Command(title=title, command=name, arguments=list(args))


def initialize(ls: DocdiffServer, params: types.InitializeParams) -> None:
    ls.init_options = dict(params.initialization_options or {})
    ls.client_name = params.client_info.name if params.client_info else ""


async def initialized(ls: DocdiffServer, params: types.InitializedParams) -> None:
    ls.load_state()
    await ls.refresh_settings()
    ls.spawn(ls.watch_files())


def shutdown(ls: DocdiffServer, params: None) -> None:
    ls.shutdown_work()


async def changed_configuration(
    ls: DocdiffServer, params: types.DidChangeConfigurationParams
) -> None:
    settings = params.settings if isinstance(params.settings, Mapping) else None
    hints = ls.settings.inlay_hints
    await ls.refresh_settings(settings)
    if hints != ls.settings.inlay_hints and ls.capable("workspace.inlay_hint.refresh_support"):
        # Turned off, hints would otherwise stay until the document changes.
        future = ls.workspace_inlay_hint_refresh(None)
        future.add_done_callback(lambda f: f.cancelled() or f.exception())


async def watched_files(ls: DocdiffServer, params: types.DidChangeWatchedFilesParams) -> None:
    if any(c.uri.endswith("/.docdiff.toml") for c in params.changes):
        # The project file changed (by hand or by another editor): read it again.
        ls.load_state()
        await ls.refresh_settings()
        ls.reanalyse_all()
    changes = [
        (path, c.type == types.FileChangeType.Deleted)
        for c in params.changes
        if (path := uri_to_path(c.uri)) is not None
    ]
    await ls.files_changed(changes)


def did_open(ls: DocdiffServer, params: types.DidOpenTextDocumentParams) -> None:
    item = params.text_document
    ls.docs[item.uri] = OpenDoc(item.uri, item.version, item.text, item.language_id)
    ls.schedule(item.uri, 0)


def did_change(ls: DocdiffServer, params: types.DidChangeTextDocumentParams) -> None:
    doc = ls.docs.get(params.text_document.uri)
    if doc is None:
        return
    for change in params.content_changes:
        doc.edit(change, ls.encoding)
    doc.version = params.text_document.version
    if ls.settings.check_on == "edit":
        ls.schedule(doc.uri, ls.debounce)


async def did_save(ls: DocdiffServer, params: types.DidSaveTextDocumentParams) -> None:
    uri = params.text_document.uri
    if ls.settings.check_on == "save" and uri in ls.docs:
        ls.schedule(uri, 0)
    if (path := uri_to_path(uri)) is not None:
        await ls.files_changed([(path, False)])


def did_close(ls: DocdiffServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.docs.pop(uri, None)
    ls.analyses.pop(uri, None)
    ls.publish(uri, None, [])


def hover(ls: DocdiffServer, params: types.HoverParams) -> types.Hover | None:
    found = _at(ls, params.text_document.uri, params.position)
    if found is None:
        return None
    analysis, passages = found
    markdown = _markdown_hovers(ls)
    sep = "\n\n---\n\n" if markdown else "\n\n"
    text = sep.join(hover_text(p, analysis.doc, markdown=markdown) for p in passages)
    span = analysis.buffer_span(passages[0].span)
    kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
    return types.Hover(
        contents=types.MarkupContent(kind=kind, value=text),
        range=analysis.lines.range(span, ls.encoding),
    )


def definition(ls: DocdiffServer, params: types.DefinitionParams) -> types.Location | None:
    found = _at(ls, params.text_document.uri, params.position)
    if found is None:
        return None
    best = max((p.best for p in found[1]), key=lambda u: u.match.score)
    return ls.source_location(best.source, best.match.b.span, ls.encoding)


async def references(
    ls: DocdiffServer, params: types.ReferenceParams
) -> list[types.Location] | None:
    found = _at(ls, params.text_document.uri, params.position)
    if found is None:
        return None
    analysis, passages = found
    locations: list[types.Location] = await ls.run(
        ls.engine, _occurrences, ls, analysis, passages, params.context
    )
    return locations


def code_lens(ls: DocdiffServer, params: types.CodeLensParams) -> list[types.CodeLens] | None:
    analysis = ls.analyses.get(params.text_document.uri)
    if analysis is None or not ls.settings.code_lens:
        return None
    return code_lenses(params.text_document.uri, analysis.counts)


def inlay_hints(ls: DocdiffServer, params: types.InlayHintParams) -> list[types.InlayHint] | None:
    analysis = ls.analyses.get(params.text_document.uri)
    if analysis is None or not ls.settings.inlay_hints:
        return None
    lines, enc = analysis.lines, ls.encoding
    start, end = lines.offset(params.range.start, enc), lines.offset(params.range.end, enc)
    hints = []
    for p in analysis.passages_in(start, end):
        span = analysis.buffer_span(p.span)
        at = hint_offset(analysis.text, span.end)
        hints.append(inlay_hint(p, lines.position(at, enc)))
    return hints


def code_actions(
    ls: DocdiffServer, params: types.CodeActionParams
) -> list[types.CodeAction] | None:
    uri = params.text_document.uri
    analysis = ls.analyses.get(uri)
    if analysis is None:
        return None
    lines, enc = analysis.lines, ls.encoding
    start, end = lines.offset(params.range.start, enc), lines.offset(params.range.end, enc)
    actions: list[types.CodeAction] = []
    for p in analysis.passages_in(start, end):
        actions.extend(_passage_actions(analysis, p, params.context.diagnostics))
    return actions


def ignore_source(ls: DocdiffServer, *args: Any) -> None:
    ids = {str(a) for a in args}
    # The project file names sources by path (relative to the workspace), not index id.
    paths = {
        str(Path(u.source.path).resolve())
        for analysis in ls.analyses.values()
        for p in analysis.passages
        for u in p.uses
        if u.source.id in ids and u.source.path
    }
    ls.change_ignores(sources=frozenset(ids | paths))


def ignore_formula(ls: DocdiffServer, *args: Any) -> None:
    ls.change_ignores(formulae=frozenset(str(a) for a in args))


def mark_quotation(ls: DocdiffServer, *args: Any) -> None:
    ls.change_ignores(quotations=frozenset(normalise(str(a)) for a in args))


async def open_comparison(ls: DocdiffServer, *args: Any) -> dict[str, object]:
    uri, source_id = str(args[0]), str(args[1])
    corpus = ls.corpus
    if corpus is None:
        raise DocdiffError("the corpus is not ready yet")
    source: Document = await ls.run(ls.engine, corpus.get, source_id)
    result: dict[str, object] = await ls.run(ls.engine, ls.compare_report, uri, source)
    await ls.show(result, always=True)
    return result


async def compare_with(ls: DocdiffServer, *args: Any) -> dict[str, object]:
    target = str(args[0])
    uri = str(args[1]) if len(args) > 1 else next(reversed(ls.docs), "")
    if not uri:
        raise DocdiffError("docdiff.compareWith needs a document to compare")
    other: Document = await ls.run(ls.engine, ls.document_for, target)
    result: dict[str, object] = await ls.run(ls.engine, ls.compare_report, uri, other)
    await ls.show(result, always=False)
    return result


async def show_report(ls: DocdiffServer, *args: Any) -> dict[str, object]:
    uri = str(args[0]) if args else next(reversed(ls.docs), "")
    analysis = ls.analyses.get(uri)
    if analysis is None:
        raise DocdiffError(f"{uri}: not analysed yet")
    result: dict[str, object] = await ls.run(ls.engine, _write_letter_report, ls, analysis)
    await ls.show(result, always=False)
    return result


def reindex(ls: DocdiffServer, *args: Any) -> dict[str, object]:
    ls.start_indexing()
    return {"state": "indexing"}


_FEATURES: tuple[tuple[str, Any, Callable[..., Any]], ...] = (
    (types.INITIALIZE, None, initialize),
    (types.INITIALIZED, None, initialized),
    (types.SHUTDOWN, None, shutdown),
    (types.WORKSPACE_DID_CHANGE_CONFIGURATION, None, changed_configuration),
    (types.WORKSPACE_DID_CHANGE_WATCHED_FILES, None, watched_files),
    (types.TEXT_DOCUMENT_DID_OPEN, None, did_open),
    (types.TEXT_DOCUMENT_DID_CHANGE, None, did_change),
    (types.TEXT_DOCUMENT_DID_SAVE, None, did_save),
    (types.TEXT_DOCUMENT_DID_CLOSE, None, did_close),
    (types.TEXT_DOCUMENT_HOVER, None, hover),
    (types.TEXT_DOCUMENT_DEFINITION, None, definition),
    (types.TEXT_DOCUMENT_REFERENCES, None, references),
    (types.TEXT_DOCUMENT_CODE_LENS, None, code_lens),
    (types.TEXT_DOCUMENT_INLAY_HINT, None, inlay_hints),
    (
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
        code_actions,
    ),
)
"""Each LSP feature with its registration options and its handler."""


_COMMANDS: tuple[tuple[str, Callable[..., Any]], ...] = (
    ("docdiff.ignoreSource", ignore_source),
    ("docdiff.ignoreFormula", ignore_formula),
    ("docdiff.markQuotation", mark_quotation),
    ("docdiff.openComparison", open_comparison),
    ("docdiff.compareWith", compare_with),
    ("docdiff.showReport", show_report),
    ("docdiff.reindex", reindex),
)
"""Each workspace command with its handler."""


def create_server() -> DocdiffServer:
    """A fresh server with every feature and command of this module registered."""
    server = DocdiffServer()
    for feature, options, handler in _FEATURES:
        server.feature(feature, options)(handler)
    for name, command in _COMMANDS:
        server.command(name)(command)
    return server


def _passage_actions(
    analysis: Analysis, passage: Passage, diagnostics: Sequence[types.Diagnostic]
) -> list[types.CodeAction]:
    """Quick fixes for one passage, each running a server command."""
    span = analysis.buffer_span(passage.span)
    related = [
        d for d in diagnostics if isinstance(d.data, Mapping) and d.data.get("start") == span.start
    ]
    best = passage.best
    text = analysis.doc.slice(passage.span)
    entries: list[tuple[str, types.Command]] = []
    if passage.kind == "formula":
        # A formula is shared by many letters: ignoring it, not its sources, is the fix.
        key = passage.family or normalise(text)
        entries.append(
            (
                f"docdiff: ignore the “{key}” formula",
                _command(key, "docdiff.ignoreFormula", key),
            )
        )
    seen: set[str] = set()
    for use in passage.uses:
        if use.source.id in seen or len(seen) == 3:
            continue
        seen.add(use.source.id)
        name = source_name(use.source)
        entries.append(
            (
                f"docdiff: ignore source {name}",
                _command(name, "docdiff.ignoreSource", use.source.id),
            )
        )
    if best.match.kind.value not in {"quotation", "formula"}:
        entries.append(
            ("docdiff: mark as quotation", _command(text, "docdiff.markQuotation", text))
        )
    entries.append(
        (
            f"docdiff: open the comparison report with {source_name(best.source)}",
            _command("report", "docdiff.openComparison", analysis.uri, best.source.id),
        )
    )
    return [
        types.CodeAction(
            title=title,
            kind=types.CodeActionKind.QuickFix,
            diagnostics=related or None,
            command=types.Command(title=title, command=cmd.command, arguments=cmd.arguments),
            is_preferred=True if cmd.command == "docdiff.ignoreFormula" else None,
        )
        for title, cmd in entries
    ]


def _occurrences(
    ls: DocdiffServer,
    analysis: Analysis,
    passages: list[Passage],
    context: types.ReferenceContext,
) -> list[types.Location]:
    """Every occurrence of the passages in the corpus (engine thread): known sources first,
    then a query of the passage text itself for the rest of its cluster."""
    enc = ls.encoding
    found: dict[tuple[str, int, int, int, int], types.Location] = {}

    def add(loc: types.Location) -> None:
        r = loc.range
        found.setdefault(
            (loc.uri, r.start.line, r.start.character, r.end.line, r.end.character), loc
        )

    if context.include_declaration:
        for p in passages:
            add(
                types.Location(
                    analysis.uri, analysis.lines.range(analysis.buffer_span(p.span), enc)
                )
            )
    for p in passages:
        for u in p.uses:
            add(ls.source_location(u.source, u.match.b.span, enc))
    corpus = ls.corpus
    if corpus is not None:
        for p in passages:
            text = analysis.doc.slice(p.span)
            probe = Document(id=f"{analysis.doc.id}#passage", path="", format="txt", text=text)
            path = uri_to_path(analysis.uri)
            report = corpus.query(
                probe, ls.settings.options, limit=50, exclude=[path] if path else []
            )
            for pair in report.pairs:
                source = report.document(pair.b)
                for m in pair.matches:
                    add(ls.source_location(source, m.b.span, enc))
    return list(found.values())


def _write_letter_report(ls: DocdiffServer, analysis: Analysis) -> dict[str, object]:
    """Write the letter report and one pair report per source (engine thread)."""
    folder = ls.state_dir() / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    doc = analysis.doc
    name = doc.path or doc.id
    families = policy_for(ls.settings, ls.ignores).families
    links = {}
    from .reports import render_report

    for pair, source in analysis.sources:
        path = report_path(ls.state_dir(), name, source.path or source.id)
        report = pair_report(doc, pair, source, analysis.report.settings)
        path.write_text(render_report(report, families), encoding="utf-8")
        links[source.id] = path
    page = report_path(ls.state_dir(), name, "letter")
    page.write_text(letter_report(analysis, links, folder, families), encoding="utf-8")
    result = summary_of(analysis.report, page, analysis.counts)
    result["title"] = Path(name).name  # the letter the report is about
    return result
