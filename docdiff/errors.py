"""The exception tree, documented in one place.

    DocdiffError              anything docdiff reports to a person (one line, no traceback)
    ├── InputError            a document cannot be read: missing, binary, bad encoding, malformed
    ├── OptionsError          a bad setting or flag value
    ├── LexiconError          a formula lexicon file is malformed
    └── CorpusIndexError      an index file is foreign, corrupt or from another schema version

The CLI turns every `DocdiffError` into ``docdiff: <message>`` on stderr and exit code 2. The
language server turns it into one ``window/showMessage`` and keeps serving.
"""

from __future__ import annotations

__all__ = ["CorpusIndexError", "DocdiffError", "InputError", "LexiconError", "OptionsError"]


class DocdiffError(Exception):
    """Base class: the message is a complete sentence for a person."""


class InputError(DocdiffError):
    """A document cannot be read; the message names the file and the problem."""

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
