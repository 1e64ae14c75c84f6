"""The docdiff language server: state, scheduling and the glue between pygls and the engine.

Handlers (in `handlers.py`) stay short: fetch the document, call the engine through this
server, convert the result with `convert.py`. Engine work runs in executor threads so the
editor stays responsive: one thread analyses buffers, another indexes the corpus.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from docdiff import __version__
from docdiff.errors import DocdiffError
from docdiff.model import Document, Report

from . import confine
from .analysis import (
    Analysis,
    Ignores,
    SourceLines,
    Use,
    buffer_document,
    format_of,
    group_passages,
    policy_for,
)
from .convert import (
    Encoding,
    LineIndex,
    apply_change,
    diagnostic,
    encoding_of,
    path_to_uri,
    related_information,
    uri_to_path,
)
from .corpus import Corpus, CorpusSpec, UpdateResult, spec_for
from .indexing import IndexRun
from .reports import (
    apply_project,
    load_ignores,
    pair_counts,
    render_report,
    report_path,
    save_ignores,
    summary_of,
)
from .settings import Settings, flatten
from .transport import DocdiffProtocol

__all__ = ["DocdiffServer", "OpenDoc"]

log = logging.getLogger("docdiff_lsp")
RELATED_SOURCES = 5
"""Source locations a diagnostic links to (its best sources, one location each)."""

STATUS = "docdiff/status"
QUERY_LIMIT = 10
REFRESH_WHILE_INDEXING = 10.0  # seconds


@dataclass(slots=True)
class OpenDoc:
    """An open editor buffer: the latest text and version the client sent."""

    uri: str
    version: int | None
    text: str
    language_id: str
    _lines: LineIndex | None = None

    @property
    def path(self) -> Path | None:
        """The file behind the buffer, when it is a file."""
        return uri_to_path(self.uri)

    @property
    def format(self) -> str | None:
        """The docdiff format, or None when the server cannot read this kind of file."""
        return format_of(self.path, self.language_id)

    @property
    def lines(self) -> LineIndex:
        """The line index of the current text (built once per version)."""
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

    def edit(self, change: types.TextDocumentContentChangeEvent, encoding: Encoding) -> None:
        """Apply one content change."""
        self.text = apply_change(self.text, self.lines, change, encoding)
        self._lines = None


class DocdiffServer(LanguageServer):
    """The language server and everything it remembers between requests."""

    def __init__(self) -> None:
        super().__init__(
            "docdiff",
            __version__,
            protocol_cls=DocdiffProtocol,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        )
        self.settings = Settings()
        self.init_options: dict[str, Any] = {}
        self.pushed: dict[str, Any] = {}
        self.docs: dict[str, OpenDoc] = {}
        self.analyses: dict[str, Analysis] = {}
        self.ignores = Ignores()
        self.corpus: Corpus | None = None
        self.indexing = False
        self.index_counts = (0, 0)
        """(done, total) of the current or last indexing run, for docdiff/status."""
        self.client_name = ""
        self.debounce = float(os.environ.get("DOCDIFF_DEBOUNCE_MS", "300")) / 1000
        self.source_lines = SourceLines()
        self.engine = ThreadPoolExecutor(1, thread_name_prefix="docdiff-engine")
        self.indexer = ThreadPoolExecutor(1, thread_name_prefix="docdiff-index")
        self._pending: dict[str, asyncio.Task[None]] = {}
        self._index_task: asyncio.Task[None] | None = None
        self._told: set[str] = set()
        self._progress_seq = 0
        self._last_refresh = time.monotonic()
        self._run: IndexRun | None = None
        self._background: set[asyncio.Task[Any]] = set()

    # -- small helpers -------------------------------------------------------------------

    @property
    def encoding(self) -> Encoding:
        """The negotiated position encoding."""
        return encoding_of(self.workspace.position_encoding)

    def folders(self) -> list[Path]:
        """The workspace folders the server may read (the root URI when there are no folders).

        The filesystem root and the home folder are refused, with one message each.
        """
        uris = [f.uri for f in self.workspace.folders.values()]
        if not uris and self.workspace.root_uri:
            uris = [self.workspace.root_uri]
        given = [p for p in (uri_to_path(u) for u in uris) if p is not None]
        kept, problems = confine.workspace_folders(given)
        for problem in problems:
            self.tell(f"docdiff: {problem}")
        return kept

    def state_dir(self) -> Path:
        """Where reports and ignore lists go: ``.docdiff`` in the workspace, else the cache."""
        return confine.state_dir(self.folders())

    def capable(self, dotted: str) -> bool:
        """Whether the client's capabilities have a truthy value at the dotted path."""
        value: Any = self.client_capabilities
        for part in dotted.split("."):
            value = getattr(value, part, None)
            if value is None:
                return False
        return bool(value)

    def tell(self, message: str, kind: types.MessageType = types.MessageType.Warning) -> None:
        """One window/showMessage (repeats of the same message are not shown again)."""
        if message in self._told:
            return
        self._told.add(message)
        self.window_show_message(types.ShowMessageParams(type=kind, message=message))

    def log(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        """One window/logMessage line."""
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def status(
        self,
        state: str,
        done: int,
        total: int,
        *,
        similarity: float | None = None,
        uri: str = "",
        counts: Mapping[str, object] | None = None,
    ) -> None:
        """The custom ``docdiff/status`` notification (the VS Code status bar reads it)."""
        self.protocol.notify(
            STATUS,
            {
                "state": state,
                "done": done,
                "total": total,
                "similarity": similarity,
                "uri": uri or None,
                "counts": dict(counts) if counts else None,
            },
        )

    def spawn(self, coro: Any) -> asyncio.Task[Any]:
        """Run a coroutine in the background, keeping a reference until it ends."""
        task = asyncio.get_running_loop().create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    # -- settings ------------------------------------------------------------------------

    async def refresh_settings(self, pushed: Mapping[str, Any] | None = None) -> None:
        """Merge initializationOptions, pushed and pulled settings; apply what changed."""
        if pushed:
            self.pushed = flatten(pushed)
        pulled: dict[str, Any] = {}
        if self.capable("workspace.configuration"):
            try:
                result = await asyncio.wait_for(
                    self.workspace_configuration_async(
                        types.ConfigurationParams(
                            items=[types.ConfigurationItem(section="docdiff")]
                        )
                    ),
                    timeout=5,
                )
            except Exception as exc:  # noqa: BLE001  (a client that cannot answer: keep going)
                self.log(f"docdiff: could not pull the settings: {exc}")
            else:
                if result and isinstance(result[0], Mapping):
                    pulled = flatten(result[0])
        merged = {**flatten(self.init_options), **self.pushed, **pulled}
        await self.apply_settings(merged)

    async def apply_settings(self, data: Mapping[str, Any]) -> None:
        """Validate settings (problems: one message, defaults kept) and act on the changes.

        Settings that would make the server read or write outside its folders are refused
        here too (see `confine`).
        """
        settings, problems = Settings.from_mapping(data)
        settings = apply_project(settings, self.ignores)
        spec, roots, refused = self.corpus_spec(settings)
        problems.extend(refused)
        if settings.options.formulae:
            lexicon, problem = confine.formulae_file(str(settings.options.formulae), roots)
            if lexicon is not None:
                settings = replace(
                    settings, options=settings.options.with_changes(formulae=str(lexicon))
                )
                problem = await self.run(self.engine, _check_lexicon, settings)
            if problem:
                problems.append(f"setting 'formulae': {problem}; using the built-in lexicon")
                settings = replace(settings, options=settings.options.with_changes(formulae=None))
        if problems:
            self.tell("docdiff: " + "; ".join(problems))
        old, self.settings = self.settings, settings
        if self.corpus is None or self.corpus.spec != spec:
            self.start_indexing(spec)
        elif old != settings:
            self.reanalyse_all()

    async def run(self, pool: ThreadPoolExecutor, func: Any, *args: Any) -> Any:
        """Run blocking engine work in one of the server's threads."""
        return await asyncio.get_running_loop().run_in_executor(pool, func, *args)

    # -- the corpus ----------------------------------------------------------------------

    def corpus_spec(self, settings: Settings) -> tuple[CorpusSpec, confine.Roots, list[str]]:
        """The corpus for the folders and `settings`: spec, readable roots, settings refused."""
        folders = self.folders()
        extra, problems = confine.corpus_roots(
            settings.corpus_paths, folders[0] if folders else None
        )
        roots = confine.Roots(tuple(folders), tuple(extra))
        spec, refused = spec_for(
            roots,
            include=settings.corpus_include,
            exclude=settings.corpus_exclude,
            index=settings.index,
            follow_symlinks=settings.follow_symlinks,
        )
        return spec, roots, [*problems, *refused]

    def start_indexing(self, spec: CorpusSpec | None = None) -> None:
        """(Re)build the corpus index in the background, stopping a run in progress."""
        if spec is None:
            spec, _, problems = self.corpus_spec(self.settings)
            if problems:
                self.tell("docdiff: " + "; ".join(problems))
        if self._run is not None:
            self._run.stop()
        old = self.corpus
        self.corpus = Corpus(spec)
        if old is not None:
            # After any query still running on it (the engine thread runs jobs in order).
            self.engine.submit(old.close)
        self._index_task = self.spawn(self._index(self.corpus))

    async def _index(self, corpus: Corpus) -> None:
        run = IndexRun(corpus.spec)
        self._run = run
        self.indexing = True
        self._progress_seq += 1
        token = f"docdiff-index-{os.getpid()}-{self._progress_seq}"
        progress = self.capable("window.work_done_progress")
        if progress:
            try:
                await asyncio.wait_for(self.work_done_progress.create_async(token), timeout=5)
            except Exception:  # noqa: BLE001  (no progress bar is not worth failing over)
                progress = False
        if progress:
            self.work_done_progress.begin(
                token,
                types.WorkDoneProgressBegin(
                    title="docdiff: indexing the corpus", cancellable=True, percentage=0
                ),
            )
            self.work_done_progress.tokens[token].add_done_callback(lambda _f: run.stop())
        self.status("indexing", 0, 0)
        try:
            await self.run(self.indexer, corpus.ensure_index)
            result = await run.run(functools.partial(self._progress, token if progress else None))
        except DocdiffError as exc:
            self.tell(f"docdiff: cannot index the corpus: {exc}", types.MessageType.Error)
            result = UpdateResult()
        finally:
            if progress:
                self.work_done_progress.end(token, types.WorkDoneProgressEnd(message="done"))
        if corpus is not self.corpus:
            return
        self.indexing = False
        for path, problem in result.failed:
            self.log(f"docdiff: {path}: {problem}", types.MessageType.Warning)
        self.log(
            f"docdiff: corpus indexed: {result.documents} documents, "
            f"{result.added} added, {result.changed} changed, {result.removed} removed, "
            f"{len(result.failed)} unreadable; index {corpus.spec.index_path}"
        )
        self.index_counts = (result.documents, result.documents)
        self.status("ready", result.documents, result.documents)
        self.reanalyse_all()

    def _progress(self, token: str | None, done: int, total: int, path: str) -> None:
        if token is not None:
            self.work_done_progress.report(
                token,
                types.WorkDoneProgressReport(
                    message=f"{done}/{total} {Path(path).name}",
                    percentage=int(100 * done / total) if total else 0,
                ),
            )
        self.index_counts = (done, total)
        self.status("indexing", done, total)
        # Long builds: refresh open documents now and then, so results grow with the index.
        now = time.monotonic()
        if now - self._last_refresh > REFRESH_WHILE_INDEXING:
            self._last_refresh = now
            self.reanalyse_all()

    async def watch_files(self) -> None:
        """Ask the client to report changes to corpus files (workspace/didChangeWatchedFiles)."""
        if not self.capable("workspace.did_change_watched_files.dynamic_registration"):
            return
        watchers = [types.FileSystemWatcher(glob_pattern=g) for g in self.settings.corpus_include]
        registration = types.Registration(
            id="docdiff-watched-files",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
        )
        try:
            await self.client_register_capability_async(
                types.RegistrationParams(registrations=[registration])
            )
        except Exception as exc:  # noqa: BLE001  (saves still keep the index current)
            self.log(f"docdiff: the client will not watch corpus files: {exc}")

    async def files_changed(self, changes: Iterable[tuple[Path, bool]]) -> None:
        """Re-index created/changed files and drop deleted ones (path, deleted)."""
        corpus = self.corpus
        if corpus is None:
            return
        touched = False
        for path, deleted in changes:
            if not corpus.contains(path):
                continue
            try:
                if deleted:
                    await self.run(self.indexer, corpus.file_deleted, path)
                else:
                    await self.run(self.indexer, corpus.file_changed, path)
            except DocdiffError as exc:
                self.log(f"docdiff: {exc}", types.MessageType.Warning)
                continue
            touched = True
        if touched:
            self.reanalyse_all()

    # -- analysis ------------------------------------------------------------------------

    def schedule(self, uri: str, delay: float) -> None:
        """Analyse a document after `delay` seconds, replacing any analysis still waiting."""
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        self._pending[uri] = asyncio.get_running_loop().create_task(self._analyse(uri, delay))

    def reanalyse_all(self) -> None:
        """Analyse every open document again (settings, corpus or ignore lists changed)."""
        for uri in list(self.docs):
            self.schedule(uri, 0)

    def readable(self, doc: OpenDoc) -> bool:
        """False (after telling the user once) for buffers the server will not check."""
        name = str(doc.path or doc.uri)
        if doc.format is None:
            if f"format:{doc.uri}" not in self._told:
                self._told.add(f"format:{doc.uri}")
                self.log(f"docdiff: {name}: not a format docdiff reads (txt, md, html, xml)")
            return False
        problem = None
        if "\x00" in doc.text:
            problem = "looks like a binary file"
        elif (
            len(doc.text) > self.settings.max_file_size // 4
            and (size := len(doc.text.encode("utf-8", "surrogatepass")))
            > self.settings.max_file_size
        ):
            problem = f"{size} bytes, more than maxFileSize ({self.settings.max_file_size})"
        if problem:
            self.tell(f"docdiff: {name}: {problem}; not checked")
            return False
        return True

    async def _analyse(self, uri: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        doc = self.docs.get(uri)
        corpus = self.corpus
        if doc is None or corpus is None:
            return
        if not self.readable(doc):
            self.publish(uri, doc.version, [])
            return
        version, fmt = doc.version, doc.format or "txt"
        try:
            analysis, diagnostics = await self.run(
                self.engine,
                functools.partial(
                    self.analyse,
                    corpus,
                    uri=doc.uri,
                    version=version,
                    text=doc.text,
                    fmt=fmt,
                    settings=self.settings,
                    ignores=self.ignores,
                    encoding=self.encoding,
                ),
            )
        except DocdiffError as exc:
            self.tell(f"docdiff: {exc}")
            return
        except Exception as exc:
            log.exception("analysis of %s failed", uri)
            self.tell(f"docdiff: analysis failed on {uri}: {exc}", types.MessageType.Error)
            return
        current = self.docs.get(uri)
        if current is None or current.version != version or corpus is not self.corpus:
            return
        self.analyses[uri] = analysis
        self.publish(uri, version, diagnostics)
        self.status(
            "indexing" if self.indexing else "ready",
            *self.index_counts,
            similarity=analysis.similarity,
            uri=uri,
            counts=analysis.counts.to_json(),
        )
        if self.settings.code_lens and self.capable("workspace.code_lens.refresh_support"):
            _quietly(self.workspace_code_lens_refresh(None))
        if self.settings.inlay_hints and self.capable("workspace.inlay_hint.refresh_support"):
            _quietly(self.workspace_inlay_hint_refresh(None))

    def publish(self, uri: str, version: int | None, diagnostics: list[types.Diagnostic]) -> None:
        """Send a document's diagnostics."""
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    def buffer_doc(self, uri: str, text: str, fmt: str, corpus: Corpus | None = None) -> Document:
        """The buffer as an engine Document (engine thread), named as `corpus` (default: the
        server's) indexes its file (one id per document: the reports and lists show the open
        letter under the id it has as a source of other letters), else by its path."""
        path = uri_to_path(uri)
        doc_id = str(path) if path else uri
        corpus = corpus if corpus is not None else self.corpus
        if path is not None and corpus is not None:
            known = corpus.indexed(path)
            if known is not None:
                doc_id = known.id
        return buffer_document(text, doc_id=doc_id, path=str(path) if path else "", format=fmt)

    def analyse(
        self,
        corpus: Corpus,
        *,
        uri: str,
        version: int | None,
        text: str,
        fmt: str,
        settings: Settings,
        ignores: Ignores,
        encoding: Encoding,
    ) -> tuple[Analysis, list[types.Diagnostic]]:
        """Query the corpus with the buffer and build its diagnostics (engine thread)."""
        doc = self.buffer_doc(uri, text, fmt, corpus)
        path = uri_to_path(uri)
        report = corpus.query(
            doc, settings.options, limit=QUERY_LIMIT, exclude=[path] if path else []
        )
        policy = policy_for(settings, ignores)
        passages, sources = group_passages(doc, report, ignores, settings.options.kinds, policy)
        analysis = Analysis(uri, version, text, doc, report, passages, sources)
        diagnostics = [self.passage_diagnostic(analysis, i, encoding) for i in range(len(passages))]
        return analysis, diagnostics

    def source_location(
        self, source: Document, use_span: Any, encoding: Encoding
    ) -> types.Location:
        """Where a span of a corpus document is, as an editor location."""
        lines, span = self.source_lines.span_range_args(source, use_span)
        uri = path_to_uri(source.path) if source.path else source.id
        return types.Location(uri=uri, range=lines.range(span, encoding))

    def passage_diagnostic(
        self, analysis: Analysis, i: int, encoding: Encoding
    ) -> types.Diagnostic:
        """The diagnostic of passage `i`: best source in the message, every source related."""
        passage = analysis.passages[i]
        span = analysis.buffer_span(passage.span)
        # One location per source, the best few: a formula shared by a dozen letters would
        # otherwise fill the Problems panel (Find References lists every occurrence).
        ranked: list[Use] = []
        for u in passage.uses:
            if len(ranked) < RELATED_SOURCES and all(u.source.id != r.source.id for r in ranked):
                ranked.append(u)
        related = [
            related_information(
                self.source_location(u.source, u.match.b.span, encoding), u.match, u.source
            )
            for u in ranked
        ]
        data = {
            "uri": analysis.uri,
            "version": analysis.version,
            "start": span.start,
            "end": span.end,
            "kind": passage.kind,
            "family": passage.family,
            "sources": [
                {"id": u.source.id, "score": round(u.match.score, 1), "formula": u.match.formula}
                for u in passage.uses
            ],
        }
        return diagnostic(
            passage,
            analysis.doc.slice(passage.span),
            analysis.lines.range(span, encoding),
            related=related,
            data=data,
        )

    # -- reports and ignore lists ---------------------------------------------------------

    def load_state(self) -> None:
        """Read the workspace's ignore lists."""
        self.ignores, problem = load_ignores(self.state_dir())
        if problem:
            self.tell(f"docdiff: {problem}")

    def change_ignores(self, **changes: frozenset[str]) -> None:
        """Extend the ignore lists, save them and analyse open documents again."""
        merged = {name: getattr(self.ignores, name) | extra for name, extra in changes.items()}
        self.ignores = replace(self.ignores, **merged)
        try:
            save_ignores(self.state_dir(), self.ignores)
        except OSError as exc:
            self.tell(f"docdiff: cannot save the ignore lists: {exc}")
        self.reanalyse_all()

    def document_for(self, uri: str) -> Document:
        """An open buffer's Document, else the corpus document at `uri` (engine thread).

        Commands name documents by URI; the server never reads a file just because a command
        names it. An indexed document comes from the index; a corpus file not (or not yet)
        indexed is read as the indexer would read it, which also explains why it could not be
        indexed (binary, too large, ...). Anything else is refused.
        """
        doc = self.docs.get(uri)
        if doc is not None and doc.format is not None:
            return self.buffer_doc(uri, doc.text, doc.format)
        path = uri_to_path(uri)
        corpus = self.corpus
        if corpus is not None and path is not None:
            found = corpus.indexed(path)
            if found is not None:
                return corpus.get(found.id)
            if corpus.contains(path) and confine.regular_file(path):
                from docdiff.loaders import load

                return load(path, doc_id=str(path))
        raise DocdiffError(
            f"{uri}: not an open document nor a corpus file (docdiff reads only those)"
        )

    def write_report(self, report: Report, *names: str) -> dict[str, object]:
        """Render and write an HTML pair report; what the command returns (engine thread)."""
        state = self.state_dir()
        path = report_path(state, *names)
        policy = policy_for(self.settings, self.ignores)
        confine.write_text(path, render_report(report, policy.families), within=state)
        doc = report.documents[0]
        return summary_of(report, path, pair_counts(doc, report, self.settings, self.ignores))

    def compare_report(self, uri: str, source: Document) -> dict[str, object]:
        """Compare a buffer with one document and write the report (engine thread)."""
        from docdiff.engine.compare import compare
        from docdiff.engine.prepare import load_lexicon

        doc = self.document_for(uri)
        options = self.settings.options
        report = compare(doc, source, options, lexicon=load_lexicon(options))
        return self.write_report(report, doc.path or doc.id, source.path or source.id)

    async def show(self, result: Mapping[str, object], *, always: bool) -> None:
        """Ask the client to open a written report (VS Code's extension opens it itself)."""
        if not always and self.client_name.lower().startswith("visual studio code"):
            return
        uri = str(result["uri"])
        if self.capable("window.show_document.support"):
            try:
                await self.window_show_document_async(
                    types.ShowDocumentParams(uri=uri, external=True)
                )
            except Exception as exc:  # noqa: BLE001  (still tell the user where it is)
                self.log(f"docdiff: the client could not open {uri}: {exc}")
            else:
                return
        self.tell(f"docdiff: report written to {result['report']}", types.MessageType.Info)

    def shutdown_work(self) -> None:
        """Stop background work (the indexing child too) and release the index."""
        if self._run is not None:
            self._run.stop()
        for task in self._pending.values():
            task.cancel()
        if self.corpus is not None:
            corpus = self.corpus
            self.indexer.submit(corpus.close)
        self.engine.shutdown(wait=False, cancel_futures=True)
        self.indexer.shutdown(wait=False, cancel_futures=True)


def _quietly(future: Any) -> None:
    """Consume the outcome of a request whose answer does not matter (e.g. a refresh)."""

    def done(f: Any) -> None:
        if not f.cancelled() and f.exception() is not None:
            log.debug("client refused a refresh: %s", f.exception())

    future.add_done_callback(done)


def _check_lexicon(settings: Settings) -> str | None:
    """The problem with the configured formulae lexicon, or None when it loads."""
    from docdiff.engine.prepare import load_lexicon

    try:
        load_lexicon(settings.options)
    except DocdiffError as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot read it ({exc})"
    return None
