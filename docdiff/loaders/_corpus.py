"""Walking a corpus: the documents named directly plus every supported file under folders.

Only regular files are yielded from folders. FIFOs, devices and sockets (which would block or
never end when opened), dangling symlinks, symlink loops and unreadable folders are skipped with
a one-line `LoaderWarning`; nothing found in a folder is ever opened here (``lstat``/``stat``
only). Symlinked folders are not followed, so a link cannot make the walk loop or leave the
corpus; a symlinked file is yielded when it resolves to a regular file.
"""

from __future__ import annotations

import errno
import os
import stat
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from docdiff.errors import InputError, LoaderWarning
from docdiff.loaders import globs
from docdiff.loaders._api import special_kind

if TYPE_CHECKING:
    import mimetypes

__all__ = ["iter_corpus"]


def _note(path: Path | str, note: str) -> None:
    warnings.warn(LoaderWarning(os.fspath(path), note), stacklevel=4)


def _regular(path: Path) -> bool:
    """Whether `path` (found in a folder) is a regular file; notes why not, when it is not."""
    try:
        mode = path.stat().st_mode  # follows a symlink, never opens the file
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            _note(path, "symlink loop (skipped)")
        elif path.is_symlink():
            _note(path, "broken symlink (skipped)")
        else:
            _note(path, f"cannot read the file's status ({exc.strerror or exc}) (skipped)")
        return False
    except RuntimeError:  # pathlib's own loop detection on some Python versions
        _note(path, "symlink loop (skipped)")
        return False
    if stat.S_ISREG(mode):
        return True
    kind = special_kind(mode)
    if kind is not None:
        _note(path, f"{kind}, not a regular file (skipped)")
    return False


def _walk(
    folder: Path, include: Sequence[str] = (), others: list[str] | None = None
) -> Iterator[tuple[Path, str]]:
    """Supported regular files under `folder`, sorted, skipping hidden folders and files
    (`globs.walked`: a file of another suffix, or none, when an `include` glob names it),
    adding to `others` the relative paths of the files skipped for their type.

    Office lock files (``~$letter.docx``) are skipped too: they are never documents.
    """

    def unreadable(exc: OSError) -> None:
        _note(exc.filename or folder, f"cannot read the folder ({exc.strerror or exc}) (skipped)")

    for root, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = Path(root)
        for name in sorted(files):
            path = base / name
            rel = path.relative_to(folder).as_posix()
            if globs.walked(rel, include):
                if _regular(path):
                    yield path, rel
            elif others is not None and not globs.unlisted(name):
                others.append(rel)  # (of a type no loader knows)


def _not_read(others: Counter[str]) -> str:
    """One line on the files a folder holds more of than documents read, of types no loader
    knows by their suffix ("… (.rst 143); to read them as text: --include '*.rst'"): a
    folder of reStructuredText pages gave "2 documents" and no word of the 143 others."""
    total = others.total()
    kinds = ", ".join(f"{s or 'no suffix'} {n}" for s, n in others.most_common(3))
    more = ", …" if len(others) > 3 else ""
    files = "1 file" if total == 1 else f"{total} files"
    line = f"{files} of a type read by no loader skipped ({kinds}{more})"
    import mimetypes

    types = mimetypes.MimeTypes()  # (Python's own table, not the machine's)
    suffix = next((s for s, _ in others.most_common() if s and _may_be_text(types, s)), None)
    if suffix is None:
        return line
    them = "it" if total == 1 else "them"
    return line + f"; to read {them} as text: --include '*{suffix}'"


def _may_be_text(types: mimetypes.MimeTypes, suffix: str) -> bool:
    """Whether a file of `suffix` may hold text: the table of `types` knows it as text, or
    does not know it, and not as compressed (".gz")."""
    kind, encoding = types.guess_type(f"x{suffix}")
    return encoding is None and (kind is None or kind.startswith("text/"))


def iter_corpus(
    paths: Iterable[str | os.PathLike[str]],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> Iterator[Path]:
    """Files named directly (as given) and supported files under folders, filtered by globs.

    Folders are walked recursively in sorted order; `include`/`exclude` are globs in the
    `docdiff.loaders.globs` dialect on the path relative to the folder (posix form); a file
    no loader knows by its suffix is walked when an include glob names it. Special
    files and symlink loops under a folder are skipped with a `LoaderWarning`. A file reached
    twice is yielded once. A file named directly is yielded as it is: loading it decides.
    """
    seen: set[str] = set()
    for given in paths:
        path = Path(given)
        if os.fspath(given) == "-":
            yield path
            continue
        try:
            is_dir = stat.S_ISDIR(path.stat().st_mode)
        except OSError:
            is_dir = False  # missing, or a symlink loop: decided below or when loaded
        if is_dir:
            others: list[str] = []
            read = 0
            for found, rel in _walk(path, include, others):
                if globs.wanted(rel, include, exclude):
                    read += 1
                    key = os.path.normcase(os.path.abspath(found))  # noqa: PTH100
                    if key not in seen:
                        seen.add(key)
                        yield found
            # (Of the files the globs would take: the user chose the rest away.)
            skipped = Counter(
                PurePosixPath(rel).suffix.lower()
                for rel in others
                if globs.wanted(rel, include, exclude)
            )
            if skipped.total() > read:
                _note(path, _not_read(skipped))
        elif path.exists() or path.is_symlink():
            key = os.path.normcase(os.path.abspath(path))  # noqa: PTH100
            if key not in seen:
                seen.add(key)
                yield path
        else:
            raise InputError(os.fspath(given), "no such file or folder")
