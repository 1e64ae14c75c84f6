"""docdiff: find where documents reuse one another's wording.

The public API, small on purpose (everything else is private to its module)::

    import docdiff
    a, b = docdiff.load("letter_2020.txt"), docdiff.load("note_2024.docx")
    report = docdiff.compare(a, b, docdiff.Options(min_words=4))
    for match in report.pairs[0].matches:
        print(match.kind, match.score, a.slice(match.a.span))

Names are imported on first use, so ``import docdiff`` (and ``docdiff --help``) stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "AlignOp",
    "Cluster",
    "CorpusIndex",
    "CorpusIndexError",
    "DocdiffError",
    "Document",
    "Formula",
    "InputError",
    "Kind",
    "Lexicon",
    "LexiconError",
    "Match",
    "OffsetMap",
    "Options",
    "OptionsError",
    "PairResult",
    "PairSummary",
    "Passage",
    "Report",
    "Span",
    "__version__",
    "compare",
    "load",
    "load_text",
    "scan",
]

_WHERE = {
    "AlignOp": "docdiff.model",
    "Cluster": "docdiff.model",
    "Document": "docdiff.model",
    "Formula": "docdiff.model",
    "Kind": "docdiff.kinds",
    "Match": "docdiff.model",
    "OffsetMap": "docdiff.model",
    "PairResult": "docdiff.model",
    "PairSummary": "docdiff.model",
    "Passage": "docdiff.model",
    "Report": "docdiff.model",
    "Span": "docdiff.model",
    "CorpusIndexError": "docdiff.errors",
    "DocdiffError": "docdiff.errors",
    "InputError": "docdiff.errors",
    "LexiconError": "docdiff.errors",
    "OptionsError": "docdiff.errors",
    "Options": "docdiff.options",
    "Lexicon": "docdiff.engine.lexicon",
    "compare": "docdiff.engine.compare",
    "load": "docdiff.loaders",
    "load_text": "docdiff.loaders",
    "scan": "docdiff.corpus.scan",
    "CorpusIndex": "docdiff.index",
}

if TYPE_CHECKING:
    from docdiff.corpus.scan import scan
    from docdiff.engine.compare import compare
    from docdiff.engine.lexicon import Lexicon
    from docdiff.errors import (
        CorpusIndexError,
        DocdiffError,
        InputError,
        LexiconError,
        OptionsError,
    )
    from docdiff.index import CorpusIndex
    from docdiff.kinds import Kind
    from docdiff.loaders import load, load_text
    from docdiff.model import (
        AlignOp,
        Cluster,
        Document,
        Formula,
        Match,
        OffsetMap,
        PairResult,
        PairSummary,
        Passage,
        Report,
        Span,
    )
    from docdiff.options import Options


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        msg = f"module 'docdiff' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
