"""Language-server latency with the DFAT corpus (10,883 documents) indexed.

One server, driven over stdio like an editor would:

(a) while the server indexes the corpus: hover latency on the open letter (target ≤ 50 ms);
(b) once indexed: last keystroke → publishDiagnostics on a two-page letter, debounce excluded
    (``DOCDIFF_DEBOUNCE_MS=0``; target p50 ≤ 300 ms), side by side with the engine alone
    (``CorpusIndex.query`` in process on the same text), and idle hover latency;
(c) the server's memory with the index open (VmRSS and its peak VmHWM).

The letter is built from passages of three DFAT documents joined by new sentences, so it has
real reuse to report. The corpus comes from /tmp/corpora or is unpacked from
../shared/corpora/dfat-documents.tar.gz into the cache. By default the index is built afresh
(measuring (a) during a real build); ``--reuse`` keeps a cached index and measures (a) during a
``docdiff.reindex`` instead (``--no-reindex``: during the server's start-up check of the index).

``--marks`` measures noise instead: a workspace of the two seed letters, 200 DFAT documents and
100 KCNA-like statements (every DPRK General Debate speech 1991-2024 cut into ~220-word
statements, round robin over the years) is indexed, and each letter is analysed as the server
does; it prints the marks per letter at Information level or above (what the Problems panel
counts), and each mark of the seed letters with its kind and level.

Run from the repository root: ``python -m tests.benchmarks.bench_lsp [--runs N] [--reuse]`` or
``python -m tests.benchmarks.bench_lsp --marks``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import statistics
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from lsprotocol import types

from tests.benchmarks._common import CACHE, ROOT, SHARED, table
from tests.lsp.conftest import DocdiffClient, make_client

UNPACKED = Path("/tmp/corpora/dfat_historical_documents/txt")
ARCHIVE = SHARED / "corpora" / "dfat-documents.tar.gz"


def corpus_dir() -> Path:
    """The DFAT text folder, unpacked into the cache when it is not there yet."""
    if UNPACKED.is_dir():
        return UNPACKED
    target = CACHE / "dfat"
    found = target / "dfat_historical_documents" / "txt"
    if found.is_dir():
        return found
    if not ARCHIVE.is_file():
        sys.exit(f"benchmark needs {ARCHIVE} (or {UNPACKED}); it is absent")
    target.mkdir(parents=True, exist_ok=True)
    print(f"unpacking {ARCHIVE} into {target} ...", flush=True)
    with tarfile.open(ARCHIVE) as tar:
        tar.extractall(target, filter="data")
    return found


def two_page_letter(corpus: Path) -> tuple[str, list[str]]:
    """About 900 words: three DFAT passages joined by new text; returns the text and passages."""
    rng = random.Random(7)
    files = sorted(corpus.rglob("*.txt"))
    rng.shuffle(files)
    passages: list[str] = []
    for f in files:
        paragraphs = [
            " ".join(p.split())
            for p in re.split(r"\n\s*\n", f.read_text(encoding="utf-8", errors="replace"))
        ]
        long = [p for p in paragraphs if 120 <= len(p.split()) <= 220]
        if long:
            passages.append(long[0])
        if len(passages) == 3:
            break
    joins = [
        (
            "Dear Minister, I write to set out the position of the Department on the matters "
            "raised in your letter of last week, and to propose how we might proceed before the "
            "conference."
        ),
        (
            "Our own assessment, prepared over the past month with the help of the posts "
            "concerned, differs in several respects from the earlier advice, as follows."
        ),
        (
            "The Department has considered these views carefully and believes that further "
            "consultation with the governments concerned would be of value at this stage."
        ),
        (
            "I should be glad to discuss these questions with you at your convenience, and I "
            "remain at your disposal for any further information you may require."
        ),
    ]
    parts = [joins[0]]
    for passage, join in zip(passages, joins[1:], strict=True):
        parts.extend([passage, join])
    filler = (
        "In the weeks ahead the officers of the Department will prepare a short note on each "
        "item, with a summary of the correspondence and a recommendation for the Minister. "
    )
    text = "\n\n".join(parts) + "\n\n" + filler * 6 + "\n"
    return text, passages


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0-1) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in MiB."""
    out: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in {"VmRSS", "VmHWM"}:
            out[key] = int(value.split()[0]) // 1024
    return out


def position_of(text: str, needle: str) -> types.Position:
    """UTF-16 position (the letter is ASCII-heavy; VS Code's encoding)."""
    offset = text.index(needle)
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return types.Position(line, len(text[start:offset].encode("utf-16-le")) // 2)


async def hover_ms(client: DocdiffClient, uri: str, pos: types.Position) -> tuple[float, bool]:
    """One hover's latency in ms, and whether it had content."""
    t0 = time.perf_counter()
    result = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=pos)
    )
    return (time.perf_counter() - t0) * 1000, result is not None


async def wait_publish(client: DocdiffClient, uri: str, version: int, after: int) -> float:
    """Wait for diagnostics of `version`; returns the time they arrived (perf_counter)."""
    while True:
        for p in client.published[after:]:
            if p.uri == uri and p.version == version:
                return time.perf_counter()
        await asyncio.sleep(0.001)


async def run(args: argparse.Namespace) -> None:
    corpus = corpus_dir()
    text, passages = two_page_letter(corpus)
    ws = Path(tempfile.mkdtemp(prefix="docdiff-bench-lsp-"))
    (ws / "letter.txt").write_text(text, encoding="utf-8")
    # The server keeps an index only under .docdiff/ of a workspace or corpus folder or under
    # its own cache (`docdiff_lsp.confine.index_location`): the cached index lives in a cache
    # folder of the benchmark's, given to the server as its XDG_CACHE_HOME.
    xdg = CACHE / "lsp-xdg"
    index = xdg / "docdiff" / "lsp" / "bench-dfat.db"
    index.parent.mkdir(parents=True, exist_ok=True)
    if not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{index}{suffix}").unlink(missing_ok=True)
    fresh = not index.exists()
    print(
        f"corpus {corpus} ({sum(1 for _ in corpus.rglob('*.txt'))} files); letter "
        f"{len(text.split())} words; index {'built now' if fresh else 'reused'}: {index}"
    )

    client = make_client()
    env = {
        **os.environ,
        "DOCDIFF_DEBOUNCE_MS": "0",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "lsp")]),
        "XDG_CACHE_HOME": str(xdg),
    }
    await client.start_io(sys.executable, "-m", "docdiff_lsp", env=env)
    server = client._server
    assert server is not None
    from pytest_lsp import client_capabilities

    t_start = time.perf_counter()
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=ws.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=ws.as_uri(), name="bench")],
            initialization_options={"corpus": {"paths": [str(corpus)]}, "index": str(index)},
        )
    )
    uri = (ws / "letter.txt").as_uri()
    client.workspace_dir = ws
    client.open("letter.txt", text)
    target = position_of(text, " ".join(passages[0].split()[5:12]))

    # (a) hover while indexing (a real build, or a reindex of the cached index).
    reindex = not fresh and not args.no_reindex
    if reindex:
        await asyncio.sleep(1.0)
        await client.command("docdiff.reindex")
    during: list[float] = []
    answered = 0

    statuses_before = len(client.statuses) if reindex else 0
    while not any(
        s["state"] == "ready" and s["uri"] is None for s in client.statuses[statuses_before:]
    ):
        ms, ok = await hover_ms(client, uri, target)
        during.append(ms)
        answered += ok
        await asyncio.sleep(0.05)
    index_seconds = time.perf_counter() - t_start

    # (b) keystroke -> diagnostics, once indexed.
    await client.diagnostics_for(uri)
    latencies: list[float] = []
    counts: list[int] = []
    version = 1
    for i in range(args.runs):
        version += 1
        after = len(client.published)
        # Type a character at the start, then delete it again: the text stays two pages.
        end = types.Position(0, i % 2)
        edit = types.TextDocumentContentChangePartial(
            range=types.Range(types.Position(0, 0), end), text="" if i % 2 else "x"
        )
        t0 = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[edit],
            )
        )
        t1 = await wait_publish(client, uri, version, after)
        latencies.append((t1 - t0) * 1000)
        counts.append(len(client.published[-1].diagnostics))
    idle = [(await hover_ms(client, uri, target))[0] for _ in range(50)]
    mem = memory(server.pid)

    # The engine alone, in process, on the same text: what the server adds is the difference.
    from docdiff.corpus.query import query
    from docdiff.index import CorpusIndex
    from docdiff.model import Document
    from docdiff.options import Options

    engine: list[float] = []
    if not index.exists():
        sys.exit(f"the server did not keep its index at {index} (see its log messages)")
    with CorpusIndex.open(index, readonly=True) as idx:
        doc = Document(
            id=str(ws / "letter.txt"), path=str(ws / "letter.txt"), format="txt", text=text
        )
        query(idx, doc, Options(), limit=10)
        for _ in range(max(5, args.runs // 2)):
            t0 = time.perf_counter()
            query(idx, doc, Options(), limit=10)
            engine.append((time.perf_counter() - t0) * 1000)

    await client.shutdown_session()
    await client.stop()  # type: ignore[no-untyped-call]
    shutil.rmtree(ws, ignore_errors=True)

    print()
    print(
        table(
            ["measure", "p50 ms", "p90 ms", "max ms", "n", "target"],
            [
                [
                    "keystroke → publishDiagnostics (server)",
                    f"{statistics.median(latencies):.0f}",
                    f"{percentile(latencies, 0.9):.0f}",
                    f"{max(latencies):.0f}",
                    len(latencies),
                    "p50 ≤ 300",
                ],
                [
                    "  engine alone: CorpusIndex.query",
                    f"{statistics.median(engine):.0f}",
                    f"{percentile(engine, 0.9):.0f}",
                    f"{max(engine):.0f}",
                    len(engine),
                    "(reference)",
                ],
                [
                    "hover while indexing",
                    f"{statistics.median(during):.1f}" if during else "-",
                    f"{percentile(during, 0.9):.1f}" if during else "-",
                    f"{max(during):.1f}" if during else "-",
                    len(during),
                    "≤ 50",
                ],
                [
                    "hover, index idle",
                    f"{statistics.median(idle):.1f}",
                    f"{percentile(idle, 0.9):.1f}",
                    f"{max(idle):.1f}",
                    len(idle),
                    "≤ 50",
                ],
            ],
        )
    )
    if during:
        within = sum(ms <= 50 for ms in during) / len(during)
        print(
            f"\nhover while indexing: p99 {percentile(during, 0.99):.1f} ms; "
            f"{100 * within:.1f}% within 50 ms"
        )
    phase = "build" if fresh else "reindex" if reindex else "start-up check"
    print(
        f"diagnostics per analysis: {statistics.median(counts):.0f}; hovers answered with "
        f"content while indexing: {answered}/{len(during)}; indexing "
        f"{phase} took {index_seconds:.1f} s"
    )
    print(
        f"server memory with the index open: RSS {mem.get('VmRSS')} MiB, peak "
        f"{mem.get('VmHWM')} MiB; index file {index.stat().st_size // 2**20} MiB"
    )


def marks_workspace() -> Path:
    """Seeds + 200 DFAT documents + 100 KCNA-like statements, built once in the cache."""
    from tests.benchmarks._common import un_speeches

    ws = CACHE / "lsp-marks-ws"
    if (ws / "kcna").is_dir() and len(list((ws / "kcna").iterdir())) == 100:
        return ws
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        sys.exit(f"--marks needs {seeds}; it is absent")
    shutil.rmtree(ws, ignore_errors=True)
    for sub in ("letters", "dfat", "kcna"):
        (ws / sub).mkdir(parents=True)
    for f in sorted(seeds.glob("*.txt")):
        shutil.copy(f, ws / "letters" / f.name)
    files = sorted(corpus_dir().rglob("*.txt"))
    random.Random(16).shuffle(files)
    for f in files[:200]:
        shutil.copy(f, ws / "dfat" / f.name)
    chunks: dict[str, list[list[str]]] = {}
    for f in sorted(un_speeches().rglob("PRK_*.txt")):
        paragraphs = [
            p.strip() for p in re.split(r"\n\s*\n", f.read_text(errors="replace")) if p.strip()
        ]
        out: list[list[str]] = []
        chunk: list[str] = []
        words = 0
        for para in paragraphs:
            chunk.append(para)
            words += len(para.split())
            if words >= 220:
                out.append(chunk)
                chunk, words = [], 0
        chunks[f.stem] = out
    made = 0
    for i in range(50):
        for stem, parts in chunks.items():
            if i < len(parts) and made < 100:
                text = "\n\n".join(parts[i]) + "\n"
                (ws / "kcna" / f"{stem}_{i + 1}.txt").write_text(text, encoding="utf-8")
                made += 1
    return ws


def marks(sample: int | None = None) -> None:
    """Marks per letter at Information level or above, analysed as the server does (every
    letter of each group, or the first `sample`)."""
    import threading

    from docdiff_lsp.analysis import Ignores
    from docdiff_lsp.confine import Roots
    from docdiff_lsp.convert import path_to_uri
    from docdiff_lsp.corpus import Corpus, spec_for
    from docdiff_lsp.server import DocdiffServer
    from docdiff_lsp.settings import Settings

    ws = marks_workspace()
    state = Path(tempfile.mkdtemp(prefix="docdiff-marks-"))
    spec, refused = spec_for(Roots((ws,), ()), include=("**/*.txt",), exclude=(), index="")
    if refused:
        print("; ".join(refused))
    corpus = Corpus(spec)
    indexed = corpus.update(lambda *_: None, threading.Event()).documents
    print(f"workspace {ws}: {indexed} documents indexed")
    server = DocdiffServer()
    names = {
        "letters": sorted((ws / "letters").glob("*.txt")),
        "dfat": sorted((ws / "dfat").glob("*.txt"))[:sample],
        "kcna": sorted((ws / "kcna").glob("*.txt"))[:sample],
    }
    levels = {1: "error", 2: "warning", 3: "information", 4: "hint"}
    rows = []
    detail: list[str] = []
    by_kind: dict[str, dict[str, int]] = {}
    for group, paths in names.items():
        per_letter = []
        for path in paths:
            text = path.read_text(encoding="utf-8", errors="replace")
            result, diagnostics = server.analyse(
                corpus,
                uri=path_to_uri(path),
                version=1,
                text=text,
                fmt="txt",
                settings=Settings(),
                ignores=Ignores(),
                encoding="utf-16",
            )
            loud = [d for d in diagnostics if d.severity is not None and d.severity <= 3]
            per_letter.append(len(loud))
            kinds = by_kind.setdefault(group, {})
            for d in diagnostics:
                level = "info" if d.severity is not None and d.severity <= 3 else "hint"
                key = f"{d.code}/{level}"
                kinds[key] = kinds.get(key, 0) + 1
            if group == "letters":
                detail.append(f"{path.name}: {len(loud)} at Information, {len(diagnostics)} in all")
                for d in diagnostics:
                    start = result.lines.offset(d.range.start, "utf-16")
                    end = result.lines.offset(d.range.end, "utf-16")
                    words = " ".join(text[start:end].split())
                    level = levels.get(int(d.severity or 4), "?")
                    detail.append(f"  {level:<11} {d.code!s:<10} {words[:70]}")
        rows.append(
            [
                group,
                len(per_letter),
                f"{statistics.mean(per_letter):.1f}",
                f"{statistics.median(per_letter):.1f}",
                max(per_letter),
                sum(per_letter),
            ]
        )
    corpus.close()
    shutil.rmtree(state, ignore_errors=True)
    print(table(["letters", "n", "mean", "median", "max", "total"], rows))
    for group, kinds in by_kind.items():
        print(
            f"{group}: marks by kind/level: "
            + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
        )
    print("\n".join(detail))


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="keystrokes measured")
    parser.add_argument("--reuse", action="store_true", help="keep a cached index")
    parser.add_argument(
        "--no-reindex",
        action="store_true",
        help="with --reuse: measure (a) during the start-up check of the index, not a reindex",
    )
    parser.add_argument("--marks", action="store_true", help="count marks per letter instead")
    parser.add_argument(
        "--sample", type=int, default=None, help="--marks: only the first N letters of a group"
    )
    args = parser.parse_args()
    if args.marks:
        marks(args.sample)
        return
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
