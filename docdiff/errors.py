"""The exception tree, documented in one place.

    DocdiffError              anything docdiff reports to a person (one line, no traceback)
    ├── InputError            a document cannot be read: missing, binary, bad encoding, malformed
    │   └── LimitError        a document exceeds a loader limit (size, elements, nesting, zip bomb)
    ├── OptionsError          a bad setting or flag value
    ├── LexiconError          a formula lexicon file is malformed
    └── CorpusIndexError      an index file is foreign, corrupt or from another schema version

    LoaderWarning             (a UserWarning) a document was read, with a caveat worth one line:
                              bad bytes replaced, a special file skipped

The CLI turns every `DocdiffError` into ``docdiff: <message>`` on stderr and exit code 2. The
language server turns it into one ``window/showMessage`` and keeps serving.
"""

from __future__ import annotations

__all__ = [
    "CorpusIndexError",
    "DocdiffError",
    "InputError",
    "LexiconError",
    "LimitError",
    "LoaderWarning",
    "OptionsError",
]


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
