"""Walking a corpus: the documents named directly plus every supported file under folders."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from fnmatch import fnmatch
from pathlib import Path

from docdiff.errors import InputError
from docdiff.loaders._api import SUFFIXES

__all__ = ["iter_corpus"]


def _wanted(rel: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    if include and not any(_glob(rel, pattern) for pattern in include):
        return False
    return not any(_glob(rel, pattern) for pattern in exclude)


def _glob(rel: str, pattern: str) -> bool:
    """fnmatch, except that a leading ``**/`` also matches no folder at all (as in globs)."""
    if fnmatch(rel, pattern):
        return True
    while pattern.startswith("**/"):
        pattern = pattern[3:]
        if fnmatch(rel, pattern):
            return True
    return False


def _walk(folder: Path) -> Iterator[tuple[Path, str]]:
    """Supported files under `folder`, sorted, skipping hidden folders and files.

    Office lock files (``~$letter.docx``) are skipped too: they are never documents.
    """
    for root, dirs, files in os.walk(folder, onerror=None):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = Path(root)
        for name in sorted(files):
            if name.startswith((".", "~$")) or Path(name).suffix.lower() not in SUFFIXES:
                continue
            path = base / name
            yield path, path.relative_to(folder).as_posix()


def iter_corpus(
    paths: Iterable[str | os.PathLike[str]],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> Iterator[Path]:
    """Files named directly (as given) and supported files under folders, filtered by globs.

    Folders are walked recursively in sorted order; `include`/`exclude` are fnmatch patterns on
    the path relative to the folder (posix form). A file reached twice is yielded once.
    """
    seen: set[str] = set()
    for given in paths:
        path = Path(given)
        if os.fspath(given) == "-":
            yield path
            continue
        if path.is_dir():
            for found, rel in _walk(path):
                if _wanted(rel, include, exclude):
                    key = os.path.normcase(os.path.abspath(found))  # noqa: PTH100
                    if key not in seen:
                        seen.add(key)
                        yield found
        elif path.exists() or path.is_symlink():
            key = os.path.normcase(os.path.abspath(path))  # noqa: PTH100
            if key not in seen:
                seen.add(key)
                yield path
        else:
            raise InputError(os.fspath(given), "no such file or folder")
