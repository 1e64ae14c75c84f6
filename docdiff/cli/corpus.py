"""Corpus commands: ``docdiff index build|update|info``, ``scan``, ``formulae`` and ``query``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from docdiff.cli._app import app, fail, friendly, wordless
from docdiff.cli._options import engine_options, scan_flags, scan_help
from docdiff.cli._output import OutputOption, choose, console_for, emit, write_result
from docdiff.cli._output import ReportFormatOption as FormatOption
from docdiff.options import Options, ScanOptions

if TYPE_CHECKING:
    from docdiff.index import CorpusIndex, UpdateSummary
    from docdiff.model import Document, Match, Report

index_app = typer.Typer(
    help="Build, update and describe a corpus index (an SQLite file).",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(index_app, name="index")

DbOption = Annotated[Path, typer.Option("--db", help="The index file (SQLite).")]
PathsArg = Annotated[
    list[Path] | None, typer.Argument(help="Files or folders (folders are read recursively).")
]
MetaOption = Annotated[
    Path | None,
    typer.Option("--meta", help="CSV of metadata (date, sender, …) with a path or id column."),
]
IncludeOption = Annotated[
    list[str] | None, typer.Option("--include", help="Only files matching this glob.")
]
ExcludeOption = Annotated[list[str] | None, typer.Option("--exclude", help="Skip this glob.")]
JobsOption = Annotated[
    int | None, typer.Option("--jobs", "-j", help="Worker processes (default: all cores).")
]
ProgressOption = Annotated[
    bool | None,
    typer.Option("--progress/--no-progress", help="Progress bars (default: when on a terminal)."),
]
WhereOption = Annotated[str | None, typer.Option("--where", help=scan_help("where"))]
EngineOption = Annotated[
    str, typer.Option("--engine", help="local, or ray (needs the ray extra; see --address).")
]
AddressOption = Annotated[
    str | None,
    typer.Option("--address", help="Ray cluster: auto or ray://HOST:PORT (default: a local Ray)."),
]


# --- progress bars -------------------------------------------------------------------------------


class _Bars:
    """Rich progress bars with counts and an ETA; engine code reports through `stage`/`files`."""

    def __init__(self, progress: Any) -> None:
        self._progress = progress
        self._tasks: dict[str, Any] = {}

    def stage(self, name: str, done: int, total: int) -> None:
        """Callback ``(stage, done, total)`` for scan and formulae."""
        task = self._tasks.get(name)
        if task is None:
            task = self._progress.add_task(name, total=max(total, 1))
            self._tasks[name] = task
        self._progress.update(task, completed=done, total=max(total, 1))

    def files(self, done: int, total: int, path: str) -> None:
        """Callback ``(done, total, path)`` for index updates."""
        self.stage("index", done, total)


@contextmanager
def _bars(enabled: bool | None) -> Iterator[_Bars | None]:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    if enabled is None:
        enabled = console.is_terminal
    if not enabled:
        yield None
        return
    with Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=console,
    ) as progress:
        yield _Bars(progress)


def _stage_cb(bars: _Bars | None) -> Callable[[str, int, int], None] | None:
    return bars.stage if bars is not None else None


# --- helpers -------------------------------------------------------------------------------------


def _meta(meta: Path | None) -> dict[str, dict[str, str]] | None:
    if meta is None:
        return None
    from docdiff.corpus.metadata import load_csv

    return load_csv(meta)


def _warn_meta(
    meta: Path, rows: dict[str, dict[str, str]], docs: Iterable[tuple[str, str]]
) -> None:
    """One line on stderr for each kind of problem the metadata CSV has (`meta_problems`)."""
    from docdiff.corpus.metadata import meta_problems

    for problem in meta_problems(rows, docs):
        sys.stderr.write(f"docdiff: {meta}: {problem}\n")


def _open_index(db: Path, *, create: bool = False, readonly: bool = False) -> CorpusIndex:
    from docdiff.index import CorpusIndex

    return CorpusIndex.open(db, create=create, readonly=readonly)


def _source(
    paths: list[Path] | None,
    db: Path | None,
    *,
    meta: Path | None,
    include: list[str] | None,
    exclude: list[str] | None,
    bars: _Bars | None,
) -> CorpusIndex | list[Document]:
    """The corpus to work on: an index, or documents loaded from paths."""
    if db is not None and paths:
        raise fail("give either PATH… or --db, not both")
    if db is not None:
        return _open_index(db, readonly=True)
    if not paths:
        raise fail("give the documents to scan (PATH…) or an index (--db FILE)")
    from docdiff.corpus.scan import load_documents

    rows = _meta(meta)
    docs, failed = load_documents(
        paths,
        include=include or (),
        exclude=exclude or (),
        meta=rows,
        progress=bars.files if bars else None,
    )
    for path, problem in failed:
        sys.stderr.write(f"docdiff: {path}: {problem} (skipped)\n")
    if meta is not None and rows is not None:
        _warn_meta(meta, rows, ((d.id, d.path) for d in docs))
    if not docs:
        raise fail(_nothing_read(paths, len(failed), filtered=bool(include or exclude)))
    return docs


def _nothing_read(paths: list[Path], failed: int, *, filtered: bool) -> str:
    """Why `paths` gave no document, naming them: every file failed (each said above), the
    globs left none, or no file of a supported kind is there."""
    from docdiff.loaders import SUPPORTED_FORMATS

    where = ", ".join(map(str, paths[:3])) + (
        f" and {len(paths) - 3} more" if len(paths) > 3 else ""
    )
    if failed:
        files = "file" if failed == 1 else "files"
        return f"{where}: no readable documents ({failed} {files} could not be read, listed above)"
    if filtered:
        return f"{where}: no documents (no file matches --include/--exclude)"
    kinds = ", ".join(SUPPORTED_FORMATS[:-1]) + f" or {SUPPORTED_FORMATS[-1]}"
    return f"{where}: no documents (no {kinds} file there)"


def _render(report: Report, format: str, text: Callable[[Any], None], output: Path | None) -> None:
    """`report` in `format`; text through `text(console)`, the command's own view."""
    emit("report", report, format, output, text=lambda file: text(console_for(file)))


def _from_shared(doc: Document, m: Match) -> str:
    """A passage's A side for a one-line preview, from its first shared word: a paraphrase's
    span opens on its first sentence, whose first words may be A's alone ("I also express deep
    condolences to …" before the words the source shares). Cut there, it opens on "…"."""
    from docdiff.engine.classify import marks_before

    shared = [op.a.start for op in m.ops if op.tag == "equal" and op.a.start < op.a.end]
    start = marks_before(doc.text, m.a.span.start, min(shared, default=m.a.span.start))
    text = doc.text[start : m.a.span.end]
    return text if start <= m.a.span.start else "…" + text


def _flat(s: str, width: int = 90) -> str:
    """One line of at most `width` terminal cells (a CJK character takes two)."""
    from rich.cells import cell_len

    s = " ".join(s.split())
    if cell_len(s) <= width:
        return s
    out, used = [], 0
    for ch in s:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _middle(s: str, width: int, tail_share: float = 0.5) -> str:
    """`s` in at most `width` terminal cells, cut in the middle: ids keep their number at the
    start and their ending ("…-to-canberra.txt"), which tell documents apart; `tail_share` of
    what is kept is the ending."""
    from rich.cells import cell_len

    if cell_len(s) <= width:
        return s
    keep = max(width - 1, 2)
    back = min(keep - 1, max(1, round(keep * tail_share)))
    head, tail = s[: keep - back], s[len(s) - back :]
    while cell_len(head) + cell_len(tail) + 1 > width and (len(head) > 1 or len(tail) > 1):
        head, tail = (head[:-1], tail) if len(head) >= len(tail) else (head, tail[1:])
    return f"{head}…{tail}"


def _table_id(doc_id: str, width: int) -> str:
    """An id in at most `width` terminal cells for the pairs table: whole if it fits; else, for
    an id in folders, its file name whole and its folders cut nearer their end, or, where the file
    name alone is too long, the file name after "…/", cut nearer its end ("…/46-message…txt"):
    the documents of one folder ("volume-27-…/46-message-wilson-to-menzies.txt",
    "volume-27-…/47-report-by-defence-committee.txt") differ in their file names, which a cut
    of the whole id would drop ("volume-…ies.txt", "volume-…tee.txt")."""
    from rich.cells import cell_len

    if cell_len(doc_id) <= width or "/" not in doc_id:
        return _middle(doc_id, width)
    folder, name = doc_id.rsplit("/", 1)
    room = width - cell_len(name) - 1
    if room >= _FOLDER_CELLS:
        return f"{_middle(folder, room, tail_share=0.25)}/{name}"
    return "…/" + _middle(name, max(width - 2, 2), tail_share=0.25)


_FOLDER_CELLS = 8
"""The fewest cells a cut folder is shown in before a table id ("volume-…/…"); less says
nothing ("vo…72")."""


def _plural(n: int, word: str, many: str | None = None) -> str:
    """``1 pair``, ``2 pairs`` (`docdiff.render.notes.plural`)."""
    from docdiff.render.notes import plural

    return plural(n, word, many)


# --- index ---------------------------------------------------------------------------------------


def _run_update(
    paths: list[Path],
    db: Path,
    *,
    create: bool,
    meta: Path | None,
    include: list[str] | None,
    exclude: list[str] | None,
    jobs: int | None,
    progress: bool | None,
    engine: str = "local",
    address: str | None = None,
) -> None:
    import threading
    import time

    from docdiff.backends import engine_for
    from docdiff.corpus.derived import DERIVER

    rows = _meta(meta)
    started = time.perf_counter()
    cancel = threading.Event()
    with (
        engine_for(engine, address=address, jobs=jobs) as ray_engine,
        (ray_engine.open_index if ray_engine else _open_index)(db, create=create) as index,
        _bars(progress) as bars,
    ):
        try:
            summary = index.update(
                paths,
                include=include or (),
                exclude=exclude or (),
                meta=rows,
                progress=bars.files if bars else None,
                cancel=cancel,
                jobs=jobs,
                derive=DERIVER,  # what queries derive from each document, stored once
            )
            if meta is not None and rows is not None:
                _warn_meta(meta, rows, ((i.id, i.path) for i in index.documents()))
            from docdiff.corpus.query import keep_word_postings

            keep_word_postings(index)  # what queries read of every document at once
        except KeyboardInterrupt:
            sys.stderr.write(
                "docdiff: interrupted; every finished batch is saved and the index is "
                f"consistent. Run `docdiff index update PATH… --db {db}` to finish.\n"
            )
            raise typer.Exit(130) from None
    _print_summary(summary, db, time.perf_counter() - started)


def _print_summary(summary: UpdateSummary, db: Path, seconds: float) -> None:
    for path, problem in summary.failed:
        sys.stderr.write(f"docdiff: {path}: {problem} (skipped)\n")
    # Unchanged files whose stored query data another docdiff version made are derived again:
    # say so, or the time an "all unchanged" update took is a mystery.
    again = max(0, summary.derived - summary.added - summary.changed)
    redone = f" ({again} re-derived for this version of docdiff)" if again else ""
    typer.echo(
        f"{db}: {summary.added} added, {summary.changed} changed, {summary.removed} removed, "
        f"{summary.unchanged} unchanged{redone}, {len(summary.failed)} unreadable "
        f"({seconds:.1f} s)"
    )


def _index_command(*, create: bool) -> Callable[..., None]:
    """``index build`` (`create`: a new index is made when missing) and ``index update``."""

    @friendly
    def command(
        paths: Annotated[list[Path], typer.Argument(help="Files or folders (read recursively).")],
        db: DbOption,
        meta: MetaOption = None,
        include: IncludeOption = None,
        exclude: ExcludeOption = None,
        jobs: JobsOption = None,
        progress: ProgressOption = None,
        engine: EngineOption = "local",
        address: AddressOption = None,
    ) -> None:
        _run_update(
            paths, db, create=create, meta=meta, include=include, exclude=exclude, jobs=jobs,
            progress=progress, engine=engine, address=address,
        )  # fmt: skip

    return command


index_app.command(
    "build",
    no_args_is_help=True,
    help="Create an index (or bring an existing one up to date) from files and folders.",
)(_index_command(create=True))
index_app.command(
    "update",
    no_args_is_help=True,
    help="Re-index only new, changed and removed files (by content hash).",
)(_index_command(create=False))


@index_app.command("info")
@friendly
def index_info(
    db: DbOption,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Describe an index: documents, words, postings, size and schema version."""
    import json

    if format not in ("text", "json"):
        raise fail(f"--format must be text or json, not {format!r}")
    from docdiff.corpus.derived import DERIVER
    from docdiff.corpus.query import keeps_word_postings

    with _open_index(db, readonly=True) as index:
        stats = index.stats()
        fields = sorted({k for d in index.documents() for k in d.meta})
        # What a query reads of each source instead of preparing it from its text; another
        # docdiff's is ignored (same results, slower queries) until an update derives it again.
        stale = len(index.stale_derived(DERIVER.fingerprint()))
        documents = len(index)
        words = keeps_word_postings(index) or not documents
    stats["meta_fields"] = fields
    stats["query_data_current"] = documents - stale
    stats["word_postings_kept"] = words
    if format == "json":
        typer.echo(json.dumps(stats, indent=2))
        return
    for key, value in stats.items():
        label = key.replace("_", " ")
        shown = ", ".join(value) if isinstance(value, list) else value
        if key == "query_data_current":
            label, shown = "query data", f"current for {value} of {documents} documents"
            if stale:
                shown += (
                    f" (the other {stale}: none, or another docdiff's; "
                    f"`docdiff index update PATH… --db {db}`)"
                )
        if key == "word_postings_kept":
            label = "word postings"
            shown = (
                "kept (a query tells the corpus's topics by them)"
                if value
                else "not kept: a query needing them makes them; `docdiff index update` keeps them"
            )
        typer.echo(f"{label:>15}: {shown}")


# --- scan ----------------------------------------------------------------------------------------


@app.command(no_args_is_help=True)
@friendly
@engine_options(min_words=4)
@scan_flags
def scan(
    paths: PathsArg = None,
    db: Annotated[Path | None, typer.Option("--db", help="Scan this index.")] = None,
    meta: MetaOption = None,
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    format: FormatOption = None,
    output: OutputOption = None,
    jobs: JobsOption = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, help="Pairs and clusters shown (text).")
    ] = 20,
    progress: ProgressOption = None,
    engine: EngineOption = "local",
    address: AddressOption = None,
    *,
    options: Options,
    scan_options: ScanOptions,
) -> None:
    """Find every document pair that shares text, and the clusters of reused passages."""
    from docdiff.backends import engine_for
    from docdiff.corpus.scan import scan as run_scan
    from docdiff.project import for_cli

    format = choose("report", format, output)
    options, apply_project = for_cli(options)
    with engine_for(engine, address=address, jobs=jobs) as ray_engine, _bars(progress) as bars:
        source = _source(paths, db, meta=meta, include=include, exclude=exclude, bars=bars)
        try:
            run = ray_engine.scan if ray_engine else run_scan
            report = run(source, options, scan_options, jobs=jobs, progress=_stage_cb(bars))
        finally:
            if not isinstance(source, list):
                source.close()
    report = apply_project(report)
    if db is not None:  # (the index a pair can be compared against, as the scan weighed it)
        from dataclasses import replace

        report = replace(report, settings={**report.settings, "index": str(db)})
    _render(report, format, lambda c: _print_scan(c, report, limit), output)


def _date(doc: Document) -> str:
    from docdiff.corpus.metadata import date_of

    return date_of(doc.meta) or ""


def _print_scan(console: Any, report: Report, limit: int) -> None:
    from rich.markup import escape
    from rich.table import Table

    from docdiff.text.tokens import tokenize

    docs = {d.id: d for d in report.documents}
    s = report.settings
    scanned = int(str(s.get("documents_scanned") or 0))
    console.print(
        f"[bold]{_plural(scanned, 'document')}[/], "
        f"{_plural(int(str(s.get('candidate_pairs') or 0)), 'candidate pair')} aligned, "
        f"{_plural(len(report.pairs), 'pair')} sharing text, "
        f"{_plural(len(report.clusters), 'cluster')}, "
        f"{_plural(len(report.duplicates), 'duplicate group')}"
    )
    from docdiff.render.notes import common_ending, common_folder, in_folder, scan_notes

    for label, note in scan_notes(s):
        colour = "yellow" if label == "budget" else "cyan"
        console.print(f"[{colour}]{label}:[/] {escape(note)}")
    # Document ids share their folder; drop the common prefix everywhere (one id per document).
    every = [d.id for d in report.documents] + [m for g in report.duplicates for m in g.members]
    prefix = common_folder(every)

    def bare(doc_id: str) -> str:
        return in_folder(doc_id, prefix)

    def short(doc_id: str) -> str:
        return escape(bare(doc_id))

    # The id columns share what the figures leave; a longer id is cut in the middle rather
    # than folded over many lines (every id is whole in "What the top pairs share" and JSON).
    id_width = max(12, (console.width - 50) // 2)
    # Folders of one file each ("bash/copyright"): the table shows the folders, which tell the
    # documents apart, and names the file once below.
    ending = common_ending([bare(i) for p in report.pairs[:limit] for i in (p.a, p.b)])

    def table_id(doc_id: str) -> str:
        doc_id = bare(doc_id)
        return escape(_table_id(doc_id.removesuffix(ending) if ending else doc_id, id_width))

    table = Table(
        title="Pairs by distinctive similarity", title_justify="left", caption_justify="left"
    )
    table.add_column("#", justify="right")
    table.add_column("a", no_wrap=True)
    table.add_column("b", no_wrap=True)
    table.add_column("distinct.", justify="right")
    table.add_column("simil.", justify="right")
    table.add_column("f n p r q", no_wrap=True)
    table.caption = "f formula, n name, p phrasing, r paraphrase (reworded), q quotation"
    order = ("formula", "name", "phrasing", "paraphrase", "quotation")
    for n, p in enumerate(report.pairs[:limit], start=1):
        kinds: dict[str, int] = {}
        for m in p.matches:
            kinds[m.kind.value] = kinds.get(m.kind.value, 0) + 1
        table.add_row(
            str(n), table_id(p.a), table_id(p.b),
            f"{p.summary.distinctive_similarity:.1f}", f"{p.summary.similarity:.1f}",
            " ".join(str(kinds.get(k, 0)) for k in order),
        )  # fmt: skip
    console.print(table)
    if prefix or ending:
        # On a line of its own, not in the table's caption: centred under the table, a long
        # folder was folded in the middle of a word at the table's width.
        where = [f"ids below {prefix}"] if prefix else []
        if ending:
            where.append(f"each id in the table ends {ending}")
        console.print(escape("; ".join(where)), soft_wrap=True)
    _print_best_passages(console, report, docs, short, min(limit, 10))
    _print_compare_hint(console, report)
    if report.clusters:
        ct = Table(title="Clusters (families of reused passages)", title_justify="left")
        for col in ("#", "kind", "docs", "words", "origin"):
            ct.add_column(col, justify="right" if col == "words" else "left")
        ct.add_column("representative text", overflow="fold", ratio=4)
        for c in report.clusters[:limit]:
            origin = ""
            if c.origin is not None:
                origin = f"{short(c.origin.doc)} ({_date(docs[c.origin.doc])})"
            part = f" [dim](part of #{c.part_of})[/]" if c.part_of else ""
            ct.add_row(
                str(c.id), c.kind.value, str(len({m.doc for m in c.members})),
                str(len(tokenize(c.text))), origin, escape(_flat(c.text, 140)) + part,
            )  # fmt: skip
        console.print(ct)
    _print_duplicates(console, report, short, limit)
    shown = max(len(report.pairs), len(report.clusters), len(report.duplicates))
    if shown > limit:
        console.print(f"[dim](first {limit} shown; --limit N or --format json for all)[/]")


def _print_best_passages(
    console: Any, report: Report, docs: dict[str, Document], short: Any, top: int
) -> None:
    """What each top pair shares: its two best passages (wording over formulae and names),
    each wrapped under itself."""
    from rich.cells import cell_len
    from rich.markup import escape
    from rich.padding import Padding
    from rich.text import Text

    if not report.pairs:
        return
    console.print(f"[bold]What the top {_plural(min(top, len(report.pairs)), 'pair')} share[/]")
    room = max(20, console.width - 7)
    for n, p in enumerate(report.pairs[:top], start=1):
        # The two ids whole; a long one breaks after its folder, not inside its file name's
        # number ("…-1972/3" / "65-cablegram…"), and two of one folder show it once.
        a, b = short(p.a), short(p.b)
        folder = a[: a.rfind("/") + 1]
        if folder and b.startswith(folder) and "/" not in b[len(folder) :]:
            lines = _folded(folder, room)
            a, b = a[len(folder) :], b[len(folder) :]
            both = f"{a} [dim]↔[/] {b}"
            fits = cell_len(Text.from_markup(both).plain) <= room
            lines += [both] if fits else _id_lines(a, room) + _id_lines(b, room - 2, "[dim]↔[/] ")
        else:
            lines = _id_lines(a, room) + _id_lines(b, room - 2, "[dim]↔[/] ")
        console.print(f"[bold]{n:>3}.[/] {lines[0]}", soft_wrap=True)
        for line in lines[1:]:
            console.print(f"     {line}", soft_wrap=True)
        for m in best_passages(p.matches)[:2]:
            text = escape(_flat(_from_shared(docs[p.a], m), 150)) if p.a in docs else ""
            head = f"{m.kind.value}, {_plural(m.words, 'word')}"
            console.print(Padding(Text.from_markup(f"[dim]{head}:[/] {text}"), (0, 0, 0, 5)))


def _id_lines(doc_id: str, room: int, lead: str = "") -> list[str]:
    """An id (markup-escaped) in lines of `room` cells: whole on one if it fits, else broken
    after its folder, and a part still too long after a hyphen (`_folded`); `lead` opens the
    first line and indents the next."""
    from rich.cells import cell_len
    from rich.text import Text

    cut = doc_id.rfind("/") + 1
    pad = " " * cell_len(Text.from_markup(lead).plain) if lead else ""
    if cell_len(doc_id) <= room:
        return [lead + doc_id]
    parts = [doc_id[:cut], doc_id[cut:]] if cut else [doc_id]
    lines = [line for part in parts for line in _folded(part, room)]
    return [lead + lines[0], *(pad + line for line in lines[1:])]


def _folded(part: str, room: int) -> list[str]:
    """A piece of an id in lines of `room` cells at most, each broken after a hyphen, a slash
    or an underscore where one stands late enough, else where the room ends: a DFAT volume's
    folder of 80 characters, under a pair's number, stays indented under it instead of folding
    back to the terminal's first column."""
    from rich.cells import cell_len

    room = max(room, 8)
    lines = []
    while cell_len(part) > room:
        head = part[:room]
        cut = max(head.rfind(c) for c in "-/_") + 1
        cut = cut if cut > room // 2 else room
        lines.append(part[:cut])
        part = part[cut:]
    return [*lines, part]


def _print_compare_hint(console: Any, report: Report) -> None:
    """How to see a pair in full as the scan weighed it: ``compare --db`` with the scan's
    passage size (without the corpus, a comparison cannot tell the genre's boilerplate)."""
    from rich.markup import escape

    if not report.pairs:
        return
    db = report.settings.get("index")
    command = _compare_command("A", "B", report.settings)
    console.print(f"[dim]A pair in full, weighed by the corpus as here:[/] {escape(command)}")
    if not db:
        console.print(
            "[dim](INDEX: an index of these documents, made by[/] docdiff index build PATH… "
            "--db INDEX[dim])[/]"
        )


def _compare_command(a: str, b: str, settings: Mapping[str, object]) -> str:
    """The ``compare --db`` command that weighs documents `a` and `b` (shell words) as the run
    with `settings` (a scan's, a query's) weighed them: its index, its passage size."""
    import shlex

    db = settings.get("index")
    index = shlex.quote(str(db)) if db else "INDEX"
    words = settings.get("min_words", 4)
    return f"docdiff compare {a} {b} --db {index} --min-words {words} --explain"


def best_passages(matches: Sequence[Match]) -> list[Match]:
    """A pair's passages, the most reused wording first: what the distinctive similarity
    leaves out last (formulae, names, agenda titles, wording many documents of the corpus
    share: `docdiff.engine.score.distinctive`; the pair ranks by the others), then by the
    words reused, each counted as closely as the passage matches (a 247-word passage at 91 comes
    before a 6-word one at 100), then in reading order. The edition's apparatus is left out
    unless it is all they share: its wording is the editors' ("2 See Document 124", "[matter
    omitted] [NAA: A1838"), and it took the second line of top pairs of DFAT volume 28."""
    from docdiff.engine.score import distinctive
    from docdiff.text.apparatus import APPARATUS_REASON

    own = [m for m in matches if not m.reason.startswith(APPARATUS_REASON)]
    return sorted(
        own or matches,
        key=lambda m: (not distinctive(m.kind, m.reason), -m.words * m.score, m.a.span.start),
    )


def _print_duplicates(console: Any, report: Report, short: Any, limit: int) -> None:
    from rich.table import Table

    if not report.duplicates:
        return
    table = Table(
        title="Duplicate groups (copies covering each other by 80% or more; shown once, and "
        "only the first document is paired)",
        title_justify="left",
    )
    table.add_column("#", justify="right")
    table.add_column("docs", justify="right")
    table.add_column("shared", justify="right")
    table.add_column("representative", overflow="fold", ratio=2)
    table.add_column("copies", overflow="fold", ratio=4)
    for g in report.duplicates[:limit]:
        copies = [short(m) for m in g.members if m != g.representative]
        table.add_row(
            str(g.id), str(len(g.members)), f"{g.coverage:.0f}%", short(g.representative),
            ", ".join(copies),
        )  # fmt: skip
    console.print(table)


# --- formulae ------------------------------------------------------------------------------------


@app.command(no_args_is_help=True)
@friendly
def formulae(
    paths: PathsArg = None,
    db: Annotated[Path | None, typer.Option("--db", help="Mine this index.")] = None,
    meta: MetaOption = None,
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    format: FormatOption = None,
    output: OutputOption = None,
    export: Annotated[
        Path | None,
        typer.Option("--export", help="Also write the templates as a lexicon (for --formulae)."),
    ] = None,
    min_docs: Annotated[
        int | None,
        typer.Option("--min-docs", help="Documents a formula must occur in (default: 0.5%, ≥ 3)."),
    ] = None,
    where: WhereOption = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Most formulae listed.")] = 40,
    lexicon: Annotated[
        Path | None,
        typer.Option(
            "--formulae",
            help="Extra formula lexicon (one template a line): its formulae are listed on "
            "their spread alone.",
        ),
    ] = None,
    progress: ProgressOption = None,
) -> None:
    """List the corpus's recurring formulae as templates with {…} slots."""
    from docdiff.corpus.formulae import formulae_report, to_lexicon
    from docdiff.engine.prepare import load_lexicon
    from docdiff.options import Options
    from docdiff.project import for_cli

    format = choose("report", format, output)
    # The project file's lexicon, unless one is given (as compare and scan read it).
    options, _ = for_cli(Options(formulae=str(lexicon) if lexicon is not None else None))
    known = load_lexicon(options)
    with _bars(progress) as bars:
        source = _source(paths, db, meta=meta, include=include, exclude=exclude, bars=bars)
        try:
            report = formulae_report(
                source,
                where=where,
                min_docs=min_docs,
                limit=limit,
                progress=_stage_cb(bars),
                lexicon=known,
                lexicon_file=options.formulae,
            )
        finally:
            if not isinstance(source, list):
                source.close()
    if export is not None:
        write_result(to_lexicon(report.formulae), export)
    _render(report, format, lambda c: _print_formulae(c, report), output)


def _print_formulae(console: Any, report: Report) -> None:
    from rich.table import Table
    from rich.text import Text

    from docdiff.render.notes import documents_scanned, formulae_notes, slot_labels

    mined = _plural(len(report.formulae), "formula", "formulae")
    console.print(Text(f"{mined} in {_plural(documents_scanned(report), 'document')}", "bold"))
    for note in formulae_notes(report.settings):
        console.print(Text(note, "dim"))
    # One grid: a long template wraps under its own start, not at the line's first column.
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column()
    for n, f in enumerate(report.formulae, start=1):
        dates = f", {f.first_date} – {f.last_date}" if f.first_date else ""
        edition = ", the editors' apparatus" if f.apparatus else ""
        edition += f", in the lexicon: {f.lexicon}" if f.lexicon else ""
        line = Text(f.template, "bold")
        family = f", {f.family_docs} with its wordings" if f.family_docs > f.doc_freq else ""
        line.append(f"  ({f.doc_freq} docs{family}{dates}{edition})", "dim")
        grid.add_row(f"{n:>3}.", line)
        labels = slot_labels(f.template, len(f.slot_examples))
        for label, examples in zip(labels, f.slot_examples, strict=True):
            if examples:
                shown = " | ".join(_flat(x, 40) for x in examples[:3])
                grid.add_row("", Text.assemble(("  " + label + ":", "dim"), " " + shown))
        for v in f.variants:  # the formula's other wordings, each with its documents
            grid.add_row(
                "",
                Text.assemble(
                    ("  also:", "dim"), f" {v.template}  ", (f"({v.doc_freq} docs)", "dim")
                ),
            )
    console.print(grid)


# --- query ---------------------------------------------------------------------------------------


@app.command(no_args_is_help=True)
@friendly
@engine_options(min_words=4)
def query(
    file: Annotated[str, typer.Argument(help="The new document (- for stdin).")],
    db: DbOption,
    format: FormatOption = None,
    output: OutputOption = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, help="Most sources aligned and shown.")
    ] = 10,
    *,
    options: Options,
) -> None:
    """The indexed documents and passages a new document reuses, ranked."""
    from docdiff.corpus.query import query as run_query
    from docdiff.loaders import load
    from docdiff.project import for_cli

    format = choose("report", format, output)
    options, apply_project = for_cli(options)
    doc = load(file)
    if wordless(doc.text):
        raise fail(f"{file}: holds no words (an empty or blank file): nothing to look up")
    with _open_index(db, readonly=True) as index:
        _warn_stale(index, db)
        report = apply_project(run_query(index, doc, options, limit=limit))
    _render(report, format, lambda c: _print_query(c, report), output)


def _warn_stale(index: CorpusIndex, db: Path) -> None:
    """One line on stderr when the index's derived data is another docdiff's (the query
    then prepares its sources from their texts: the same results, more slowly)."""
    from docdiff.corpus.derived import fingerprint

    if index.derived_stale(fingerprint()):
        sys.stderr.write(
            f"docdiff: {db} was indexed by another version of docdiff; queries are slower "
            f"until `docdiff index update PATH… --db {db}` (its folders) brings it up to date\n"
        )


def _print_query(console: Any, report: Report) -> None:
    from rich.markup import escape
    from rich.table import Table

    from docdiff.render.notes import file_name, identical_sources, scan_notes

    docs = {d.id: d for d in report.documents}
    query_doc = report.documents[0]
    if not report.pairs:
        console.print(f"{escape(query_doc.id)}: no indexed document shares its wording")
        return
    copies = identical_sources(report)
    for n, p in enumerate((p for p in report.pairs if p.b in copies), start=1):
        source = docs[p.b]
        date = escape(_date(source))
        # The source's id on lines of its own, as a scan shows a pair's (broken after its
        # folder, not inside a word), its figures below it.
        pad = " " * (len(str(n)) + 2)
        lines = _id_lines(escape(p.b) + (f" ({date})" if date else ""), console.width - len(pad))
        console.print(f"[bold]{n}. {lines[0]}[/]", soft_wrap=True)
        for line in lines[1:]:
            console.print(f"[bold]{pad}{line}[/]", soft_wrap=True)
        if copies[p.b]:
            # Copies of one text share it alike: listed once, their ids named below it.
            same = _plural(len(copies[p.b]), "identical copy", "identical copies")
            console.print(f"{pad}and {same}:")
            for copy in copies[p.b][:_COPIES_NAMED]:
                for line in _id_lines(escape(copy), console.width - len(pad) - 2):
                    console.print(f"{pad}  {line}", soft_wrap=True)
            if len(copies[p.b]) > _COPIES_NAMED:
                more = len(copies[p.b]) - _COPIES_NAMED
                console.print(f"{pad}  [dim]… and {more} more (--format json lists them)[/]")
        # The query's file by its name: its whole path, on every source, broke the line.
        console.print(
            f"{pad}distinctive {p.summary.distinctive_similarity:.1f}, similarity "
            f"{p.summary.similarity:.1f}, covers {p.summary.coverage_a:.1f}% of "
            f"{escape(file_name(query_doc.id))}",
            soft_wrap=True,
        )
        table = Table(show_header=True, box=None, pad_edge=False)
        for col in ("kind", "words", "score", "line", "source", "passage"):
            table.add_column(col, no_wrap=col in ("line", "source"))
        for m in p.matches:
            # Where the passage stands on each side: a letter that says "On behalf of the
            # people of Palau" twice showed two alike rows, and nothing to find them by.
            table.add_row(
                m.kind.value,
                str(m.words),
                f"{m.score:.1f}",
                _line(query_doc, m.a.span.start),
                _line(source, m.b.span.start) if source.text else "",
                escape(_flat(_from_shared(query_doc, m))),
            )
        console.print(table)
    _print_query_hint(console, report)
    # (A query's settings hold no budget: only what the index's senders mean for the kinds.)
    for label, note in scan_notes(report.settings):
        console.print(f"[cyan]{label}:[/] {escape(note)}")


_COPIES_NAMED = 5
"""Identical copies of a query's source named under it; JSON lists every one as a pair."""


def _line(doc: Document, offset: int) -> str:
    """Where `offset` of `doc` is, as a report says it, without the word "line" (the column
    says it): "12", "p.3 line 40"."""
    from docdiff.render.notes import where

    return where(doc, offset).removeprefix("line ")


def _print_query_hint(console: Any, report: Report) -> None:
    """How to see the best source in full as the query weighed it: ``compare --db`` with the
    query's passage size (a plain ``compare`` finds passages of three words and weighs words by
    the pair alone, so its figures differ)."""
    import shlex

    from rich.markup import escape

    query_doc, docs = report.documents[0], {d.id: d for d in report.documents}
    source = docs.get(report.pairs[0].b)
    if source is None or not report.settings.get("index") or not query_doc.path or not source.path:
        return
    a, b = (shlex.quote(p) for p in (query_doc.path, source.path))
    command = _compare_command(a, b, report.settings)
    # (Whole on its line, never wrapped: it is there to be copied.)
    console.print(
        f"[dim]The best source in full, weighed as here:[/] {escape(command)}", soft_wrap=True
    )
