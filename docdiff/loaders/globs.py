"""The corpus walk's file rules as public functions, for callers that test one path at a time.

`docdiff.loaders.iter_corpus` decides which files under a folder belong to a corpus: a
supported suffix, no hidden folder or file on the way, and the include/exclude globs (fnmatch on
the posix path relative to the folder, where a leading ``**/`` also matches no folder at all).
The language server asks the same question of single files (a saved or watched file); these
functions answer it with the walk's own code, so both always agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath

from docdiff.loaders._api import SUFFIXES
from docdiff.loaders._corpus import _glob, _wanted

__all__ = ["CORPUS_SUFFIXES", "glob_match", "walked", "wanted"]

CORPUS_SUFFIXES: frozenset[str] = frozenset(SUFFIXES)
"""Suffixes (lower case, with the dot) of the files a corpus walk yields."""


def glob_match(relative: str, pattern: str) -> bool:
    """Whether a posix path relative to a corpus folder matches one include/exclude glob."""
    return _glob(relative, pattern)


def wanted(relative: str, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> bool:
    """Whether the globs keep `relative` (no include globs: every path is included)."""
    return _wanted(relative, include, exclude)


def walked(relative: str) -> bool:
    """Whether a walk of a corpus folder reaches `relative` at all (before the globs).

    The walk skips hidden folders, hidden files, Office lock files (``~$x.docx``) and files
    whose suffix no loader reads.
    """
    parts = PurePosixPath(relative).parts
    if not parts or any(p.startswith(".") for p in parts[:-1]):
        return False
    name = parts[-1]
    return not name.startswith((".", "~$")) and PurePosixPath(name).suffix.lower() in SUFFIXES
