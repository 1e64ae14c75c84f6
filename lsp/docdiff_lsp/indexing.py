"""Indexing in a child process: both ends of the protocol (``python -m docdiff_lsp.indexing``).

Indexing is CPU-bound Python. In a thread of the server it would compete for the GIL with the
event loop and slow hovers down; in its own process it uses the second core instead and can be
stopped at once.

The protocol: the server starts the child in a session (process group) of its own, with the
corpus spec as arguments and a pipe as stdin that it never writes to. The child writes one JSON
object per line on stdout: ``{"done", "total", "path"}`` while it works, then
``{"summary": {...}}`` or ``{"error": "..."}``. The server stops the child by signalling its
group. When the server dies without doing so (``kill -9``), the child's stdin reaches end of file
and the child kills its own group: no indexer outlives its server.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from docdiff.errors import DocdiffError

from .corpus import CorpusSpec, UpdateResult, corpus_metadata, unreadable

__all__ = ["IndexRun", "child_argv", "main"]

Progress = Callable[[int, int, str], None]
MODULE = "docdiff_lsp.indexing"
PROGRESS_EVERY = 0.1
"""Seconds between two progress relays (the last one always goes through)."""


# -- the server's end -----------------------------------------------------------------------


def child_argv(spec: CorpusSpec) -> list[str]:
    """The command that brings `spec`'s index up to date in a child process."""
    argv = [sys.executable, "-m", MODULE, "--index", str(spec.index_path), "--watch-stdin"]
    for root in spec.roots:
        argv += ["--root", str(root)]
    for pattern in spec.include:
        argv += ["--include", pattern]
    for pattern in spec.excluded:
        argv += ["--exclude", pattern]
    if spec.follow_symlinks:
        argv.append("--follow-symlinks")
    return argv


class IndexRun:
    """One index update in a child process, as the server sees it."""

    def __init__(self, spec: CorpusSpec) -> None:
        self.argv = child_argv(spec)
        self.stopped = False
        self._proc: asyncio.subprocess.Process | None = None

    @property
    def pid(self) -> int | None:
        """The child's process id (also its process group), once started."""
        return self._proc.pid if self._proc is not None else None

    async def run(self, progress: Progress) -> UpdateResult:
        """Run the child to its end, relaying progress; an empty result when stopped.

        Raises DocdiffError with the child's one-line reason when it fails.
        """
        proc = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            # Its own process group, so stopping it also stops its loader processes.
            start_new_session=True,
        )
        self._proc = proc
        if self.stopped:
            self._signal()
        assert proc.stdout is not None
        assert proc.stderr is not None
        errors = asyncio.ensure_future(proc.stderr.read())
        result, problem = await _relay(proc.stdout, progress)
        await proc.wait()
        if proc.stdin is not None:
            proc.stdin.close()
        stderr = (await errors).decode("utf-8", "replace").strip()
        if result is not None:
            return result
        if self.stopped:
            return UpdateResult()
        reason = problem or (stderr.splitlines()[-1] if stderr else f"exit code {proc.returncode}")
        raise DocdiffError(reason)

    def stop(self) -> None:
        """Stop the child and every process of its group (now, or as soon as it starts)."""
        self.stopped = True
        self._signal()

    def _signal(self) -> None:
        proc = self._proc
        if proc is None or proc.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGTERM)


async def _relay(
    stdout: asyncio.StreamReader, progress: Progress
) -> tuple[UpdateResult | None, str]:
    """Read the child's lines: progress goes to `progress`; the summary or error is returned."""
    result: UpdateResult | None = None
    problem = ""
    last = 0.0
    async for raw in stdout:
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        if not isinstance(data, dict):
            continue
        if "done" in data:
            now = time.monotonic()
            if now - last >= PROGRESS_EVERY or data["done"] == data["total"]:
                last = now
                progress(int(data["done"]), int(data["total"]), str(data["path"]))
        elif "summary" in data:
            s = data["summary"]
            result = UpdateResult(
                documents=int(s["documents"]),
                added=int(s["added"]),
                changed=int(s["changed"]),
                removed=int(s["removed"]),
                failed=[(str(p), str(q)) for p, q in s["failed"]],
            )
        elif "error" in data:
            problem = str(data["error"])
    return result, problem


# -- the child's end ------------------------------------------------------------------------


def _emit(data: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(data) + "\n")
    sys.stdout.flush()


def _watch_stdin() -> None:
    """Die with the server: when stdin ends (the server is gone), kill this process group."""

    def watch() -> None:
        with contextlib.suppress(OSError):
            while os.read(0, 4096):
                pass
        if os.getpgrp() == os.getpid():
            os.killpg(os.getpid(), signal.SIGKILL)
        os._exit(1)

    threading.Thread(target=watch, name="docdiff-parent-watch", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    """Bring an index up to date with corpus folders, reporting progress as JSON lines."""
    parser = argparse.ArgumentParser(prog=f"python -m {MODULE}")
    parser.add_argument("--index", required=True, type=Path)
    parser.add_argument("--root", action="append", default=[], type=Path)
    parser.add_argument("--include", action="append", default=[])
    parser.add_argument("--exclude", action="append", default=[])
    parser.add_argument("--follow-symlinks", action="store_true")
    parser.add_argument(
        "--watch-stdin", action="store_true", help="exit (with its workers) when stdin ends"
    )
    args = parser.parse_args(argv)
    if args.watch_stdin:
        _watch_stdin()

    from docdiff.corpus.derived import DERIVER
    from docdiff.corpus.query import keep_word_postings
    from docdiff.index import CorpusIndex

    spec = CorpusSpec(
        tuple(args.root),
        tuple(args.include),
        tuple(args.exclude),
        args.index,
        follow_symlinks=args.follow_symlinks,
    )
    last = [-1]

    def progress(done: int, total: int, path: str) -> None:
        # At most one line per percent: the server throttles again anyway.
        step = done * 100 // total if total else 100
        if step != last[0] or done == total:
            last[0] = step
            _emit({"done": done, "total": total, "path": path})

    try:
        with CorpusIndex.open(args.index, create=True) as idx:
            summary = idx.update(
                [str(r) for r in spec.roots],
                include=spec.include,
                exclude=(*spec.exclude, *unreadable(spec)),
                meta=corpus_metadata(spec.roots) or None,
                progress=progress,
                derive=DERIVER,  # what queries derive from each document, stored once
            )
            keep_word_postings(idx)  # what queries read of every document at once
            documents = len(idx.documents())
    except DocdiffError as exc:
        _emit({"error": str(exc)})
        return 2
    except KeyboardInterrupt:
        return 130
    _emit(
        {
            "summary": {
                "documents": documents,
                "added": summary.added,
                "changed": summary.changed,
                "removed": summary.removed,
                "failed": [list(f) for f in summary.failed],
            }
        }
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
