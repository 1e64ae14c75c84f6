"""The index builder the server runs as a child process: ``python -m docdiff_lsp.indexer``.

Indexing is CPU-bound Python. In a thread of the server it would compete for the GIL with the
event loop and slow hovers down; in its own process it uses the second core instead and can be
stopped at once. It writes one JSON object per line on stdout: ``{"done", "total", "path"}``
while it works, then ``{"summary": {...}}`` or ``{"error": "..."}``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

__all__ = ["main"]


def _emit(data: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(data) + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    """Bring an index up to date with corpus folders, reporting progress as JSON lines."""
    parser = argparse.ArgumentParser(prog="python -m docdiff_lsp.indexer")
    parser.add_argument("--index", required=True, type=Path)
    parser.add_argument("--root", action="append", default=[], type=Path)
    parser.add_argument("--include", action="append", default=[])
    parser.add_argument("--exclude", action="append", default=[])
    args = parser.parse_args(argv)

    from docdiff.errors import DocdiffError
    from docdiff.index import CorpusIndex

    from .corpus import corpus_metadata

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
                [str(r) for r in args.root],
                include=args.include,
                exclude=args.exclude,
                meta=corpus_metadata(args.root) or None,
                progress=progress,
            )
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
