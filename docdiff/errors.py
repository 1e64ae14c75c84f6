"""The exception tree and the exit codes, documented in one place.

    DocdiffError              anything docdiff reports to a person (one line, no traceback)
    ├── InputError            a document cannot be read: missing, binary, bad encoding, malformed
    │   └── LimitError        a document exceeds a loader limit (size, elements, nesting, zip bomb)
    ├── OutputError           a result file cannot be written (full disk, no permission, ...)
    ├── OptionsError          a bad setting or flag value
    ├── LexiconError          a formula lexicon file is malformed
    └── CorpusIndexError      an index file is foreign, corrupt, busy or from another schema version

    LoaderWarning             (a UserWarning) a document was read, with a caveat worth one line:
                              bad bytes replaced, a special file skipped

Exit codes (`exit_status` maps any exception to one line and a code):

    0  done
    1  reserved for a threshold the user asked about (``--fail-above``, ``diff --exit-code``)
    2  bad input or settings, or an environment problem (full disk, permissions): one line
    3  an internal error (a bug): one line asking to report it
    130 interrupted

The language server turns a `DocdiffError` into one ``window/showMessage`` and keeps serving.
"""

from __future__ import annotations

import errno
import re

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_THRESHOLD",
    "CorpusIndexError",
    "DocdiffError",
    "InputError",
    "LexiconError",
    "LimitError",
    "LoaderWarning",
    "OptionsError",
    "OutputError",
    "exit_status",
    "printable",
]

EXIT_OK = 0
EXIT_THRESHOLD = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130

REPORT_HINT = "this is a bug in docdiff; please report it with the command you ran"

# C0 controls but tab and newline, DEL, C1 controls (ESC starts OSC 52, OSC 0, CSI 2J ...; C1
# has one-byte CSI and OSC) and the bidirectional overrides that reorder what a reader sees.
# Whole escape sequences go first (a terminated OSC, a CSI up to its final byte), so no half of
# one is left to read; of an unterminated one only the ESC goes (its text stays visible).
_CONTROLS = re.compile(
    "\x1b\\][^\x07\x1b\n]*(?:\x07|\x1b\\\\)"
    "|\x1b\\[[0-?]*[ -/]*[@-~]"
    "|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)

_SPACE = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


class DocdiffError(Exception):
    """Base class: the message is a complete sentence for a person."""


class InputError(DocdiffError):
    """A document cannot be read; the message names the file and the problem."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class LimitError(InputError):
    """A document is over a loader limit; reading stopped as soon as the limit was passed."""


class LoaderWarning(UserWarning):
    """A note about a document that was read anyway (or a corpus entry that was skipped).

    ``str(warning)`` is one line: ``<path>: <note>``.
    """

    def __init__(self, path: str, note: str) -> None:
        self.path = path
        self.note = note
        super().__init__(f"{path}: {note}")


class OutputError(DocdiffError):
    """A result file cannot be written; the message names the file and the problem."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class OptionsError(DocdiffError):
    """A setting or flag has a bad value."""


class LexiconError(DocdiffError):
    """A formula lexicon file is malformed."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class CorpusIndexError(DocdiffError):
    """An index file cannot be used."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


def os_problem(exc: OSError) -> str:
    """A short description of an OS error, without the file name (the caller names it)."""
    if exc.errno in _SPACE:
        return "no space left (the disk or a size limit is full)"
    return str(exc.strerror or exc).rstrip(".")


def printable(text: str) -> str:
    """`text` without terminal control characters (kept: tab and newline)."""
    return _CONTROLS.sub("", text)


def _one_line(text: str) -> str:
    return " ".join(printable(text).split())


def exit_status(exc: BaseException) -> tuple[int, str]:
    """The exit code and the one-line message (without ``docdiff:``) for an exception."""
    if isinstance(exc, DocdiffError):
        return EXIT_BAD_INPUT, _one_line(str(exc))
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED, "interrupted"
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return EXIT_BAD_INPUT, _one_line(where + os_problem(exc))
    if type(exc).__module__ == "sqlite3":
        return EXIT_BAD_INPUT, _one_line(f"index database error ({exc}); is the index damaged?")
    if isinstance(exc, RecursionError):
        return EXIT_BAD_INPUT, "the input is nested too deeply to read"
    if isinstance(exc, MemoryError):
        return EXIT_BAD_INPUT, "not enough memory for this input"
    detail = _one_line(f"{type(exc).__name__}: {exc}")[:300]
    return EXIT_INTERNAL, f"internal error ({detail}); {REPORT_HINT}"
