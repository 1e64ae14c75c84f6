"""The one glob dialect of docdiff: corpus ``--include``/``--exclude`` and the editor settings.

Patterns are matched against a path relative to a corpus folder, in posix form (``a/b/c.txt``),
case-sensitively:

- ``*`` matches any run of characters within one path segment (never ``/``); ``?`` one
  character but ``/``; ``[abc]``, ``[a-z]``, ``[!abc]`` one character of (or not of) a set.
- ``**`` as a whole segment matches any number of segments, none included: ``**/x.txt`` matches
  ``x.txt`` and ``a/b/x.txt``; ``docs/**/x.txt`` matches ``docs/x.txt`` and ``docs/a/x.txt``;
  ``docs/**`` matches everything under ``docs``. Inside a segment (``a**b``) it is a plain ``*``.
- A pattern without ``/`` matches at any depth: ``*.txt`` is ``**/*.txt``, ``drafts`` is
  ``**/drafts``. A leading ``/`` anchors it to the corpus folder instead: ``/notes.txt``.
- A pattern that matches a folder matches everything under it: ``drafts`` and ``docs/old``
  also match ``drafts/a.txt`` and ``docs/old/2019/b.txt``. A trailing ``/`` (``drafts/``)
  matches folders only, so the contents of a ``drafts`` folder but not a file named ``drafts``.

So ``docs/*.txt`` matches ``docs/a.txt`` and not ``docs/a/b.txt`` (use ``docs/**/*.txt``).

    >>> from docdiff.loaders import globs
    >>> globs.match("docs/*.txt", "docs/a.txt"), globs.match("docs/*.txt", "docs/a/b.txt")
    (True, False)
    >>> globs.match_any(["*.md", "drafts/"], "drafts/2024/x.txt")
    True
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath

from docdiff.loaders._api import SUFFIXES

__all__ = [
    "CORPUS_SUFFIXES",
    "Glob",
    "compile",
    "match",
    "match_any",
    "unlisted",
    "walked",
    "wanted",
]

CORPUS_SUFFIXES: frozenset[str] = frozenset(SUFFIXES)
"""Suffixes (lower case, with the dot) of the files a corpus walk yields."""

_ANY_SEGMENTS = "(?:[^/]*/)*"


class Glob:
    """A compiled pattern; `match` tells whether a relative posix path matches it."""

    __slots__ = ("named", "pattern", "regex")

    def __init__(self, pattern: str, regex: re.Pattern[str], named: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.regex = regex
        self.named = named

    def match(self, relpath: str) -> bool:
        """Whether `relpath` (relative, posix, no leading ``./``) matches this pattern."""
        return self.regex.match(relpath) is not None

    def names(self, relpath: str) -> bool:
        """Whether the pattern matches `relpath` itself, not only a folder above it."""
        return self.named.match(relpath) is not None

    def __repr__(self) -> str:
        return f"Glob({self.pattern!r})"


def _segment(segment: str) -> str:
    """The regex of one path segment."""
    out: list[str] = []
    i, n = 0, len(segment)
    while i < n:
        c = segment[i]
        if c == "*":
            while i < n and segment[i] == "*":
                i += 1
            out.append("[^/]*")
            continue
        if c == "?":
            out.append("[^/]")
        elif c == "[":
            j = i + 1
            if j < n and segment[j] in "!^":
                j += 1
            if j < n and segment[j] == "]":
                j += 1
            while j < n and segment[j] != "]":
                j += 1
            if j >= n:  # no closing bracket: a literal "["
                out.append(re.escape(c))
            else:
                body = segment[i + 1 : j]
                negate = body[:1] in ("!", "^")
                if negate:
                    body = body[1:]
                body = "".join(ch if ch == "-" else re.escape(ch) for ch in body)
                out.append(f"(?!/)[{'^' if negate else ''}{body}]")
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


@functools.lru_cache(maxsize=512)
def compile(pattern: str) -> Glob:  # noqa: A001  # the module's verb, like re.compile
    """Compile `pattern` (see the module documentation for the dialect)."""
    body = pattern
    folders_only = body.endswith("/")
    body = body.rstrip("/")
    anchored = body.startswith("/")
    body = body.lstrip("/")
    segments = body.split("/") if body else []
    parts: list[str] = []
    if not anchored and len(segments) == 1 and segments[0] != "**":
        parts.append(_ANY_SEGMENTS)  # no "/": at any depth
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment == "**":
            parts.append(".*" if last else _ANY_SEGMENTS)
        else:
            parts.append(_segment(segment) + ("" if last else "/"))
    tail = "/.*" if folders_only else "(?:/.*)?"
    regex = "".join(parts) + tail + r"\Z" if segments else r"(?!)"
    named = "".join(parts) + r"\Z" if segments and not folders_only else r"(?!)"
    return Glob(pattern, re.compile(regex, re.DOTALL), re.compile(named, re.DOTALL))


def match(pattern: str, relpath: str) -> bool:
    """Whether the relative posix path `relpath` matches the glob `pattern`."""
    return compile(pattern).match(relpath)


def match_any(patterns: Iterable[str], relpath: str) -> bool:
    """Whether `relpath` matches at least one of `patterns`."""
    return any(compile(p).match(relpath) for p in patterns)


def wanted(relpath: str, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> bool:
    """Whether the include/exclude globs keep `relpath` (no include glob: every path is in)."""
    if include and not match_any(include, relpath):
        return False
    return not match_any(exclude, relpath)


def unlisted(name: str) -> bool:
    """Whether a file of this name is never a document: hidden, or an Office lock file."""
    return name.startswith((".", "~$"))


def walked(relpath: str, include: Sequence[str] = ()) -> bool:
    """Whether a corpus walk reaches `relpath` at all, before the globs.

    The walk skips hidden folders and files, Office lock files (``~$x.docx``) and files whose
    suffix no loader reads, unless an `include` glob names the file itself (``*/copyright``,
    ``*.rst``: not a folder above it), which the user asked for by name: loading it then
    decides its format from its content, and refuses a binary file in one line. The language
    server asks this of single files (a saved or watched file), so the editor and ``docdiff
    index`` always agree on what belongs to a corpus.
    """
    parts = PurePosixPath(relpath).parts
    if not parts or any(p.startswith(".") for p in parts[:-1]):
        return False
    name = parts[-1]
    if unlisted(name):
        return False
    if PurePosixPath(name).suffix.lower() in SUFFIXES:
        return True
    return any(compile(p).names(relpath) for p in include)
