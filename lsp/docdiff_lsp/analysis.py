"""One analysis of an editor buffer against the corpus, grouped into reused passages.

Everything here is pure engine-side work (it runs in an executor thread): build the buffer's
`Document`, query the corpus, drop what the user ignored, and group matches whose spans in
the buffer overlap into one passage with every source it was found in.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from docdiff.model import Document, Kind, Match, PairResult, Report, Span

from .confine import regular_file
from .convert import LineIndex

__all__ = [
    "Analysis",
    "Ignores",
    "Passage",
    "SourceLines",
    "Use",
    "buffer_document",
    "format_of",
    "group_passages",
    "normalise",
]

# File suffixes and editor language ids the server reads, by docdiff format name.
_SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html"}
_SUFFIXES |= {".htm": "html", ".xhtml": "html", ".xml": "xml", ".tei": "xml"}
_LANGUAGES = {"plaintext": "txt", "text": "txt", "markdown": "md", "html": "html", "xml": "xml"}


def format_of(path: Path | None, language_id: str | None) -> str | None:
    """The docdiff format of an editor buffer, or None when the server cannot read it."""
    if path is not None and path.suffix.lower() in _SUFFIXES:
        return _SUFFIXES[path.suffix.lower()]
    if language_id and language_id.lower() in _LANGUAGES:
        return _LANGUAGES[language_id.lower()]
    if path is not None and not path.suffix:
        return "txt"
    return None


def buffer_document(text: str, *, doc_id: str, path: str, format: str) -> Document:
    """The unsaved buffer as a Document (txt/md: the text unchanged; markup via the loaders)."""
    if format in {"txt", "md"}:
        return Document(id=doc_id, path=path, format=format, text=text)
    from docdiff.loaders import load_text

    return load_text(text, doc_id=doc_id, path=path, format=format)


def normalise(text: str) -> str:
    """A passage's text for ignore lists: whitespace collapsed, case folded."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True, slots=True)
class Ignores:
    """What the user told the server to leave out or relabel (from code actions)."""

    sources: frozenset[str] = frozenset()
    formulae: frozenset[str] = frozenset()
    quotations: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Use:
    """One source of a reused passage."""

    match: Match
    source: Document
    pair: PairResult


@dataclass(frozen=True, slots=True)
class Passage:
    """A reused stretch of the buffer and every source it was found in (best first)."""

    span: Span
    uses: tuple[Use, ...]

    @property
    def best(self) -> Use:
        """The highest-scoring source."""
        return self.uses[0]


@dataclass(slots=True)
class Analysis:
    """The buffer, its query report and its passages, for one document version."""

    uri: str
    version: int | None
    text: str
    doc: Document
    report: Report
    passages: tuple[Passage, ...]
    sources: tuple[tuple[PairResult, Document], ...]
    lines: LineIndex = field(init=False)
    _starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = LineIndex(self.text)
        self._starts = [p.span.start for p in self.passages]

    def buffer_span(self, span: Span) -> Span:
        """A span of `doc.text` as a span of the buffer (they differ for HTML and XML)."""
        return self.doc.offsets.span_to_source(span)

    def text_offset(self, buffer_offset: int) -> int:
        """The `doc.text` offset nearest a buffer offset."""
        offsets = self.doc.offsets
        if offsets.is_identity:
            return buffer_offset
        i = bisect.bisect_right(offsets.source_starts, buffer_offset) - 1
        if i < 0:
            return 0
        return offsets.text_starts[i] + (buffer_offset - offsets.source_starts[i])

    def passages_at(self, buffer_offset: int) -> list[Passage]:
        """The passages covering a buffer offset (end inclusive, so a cursor just after works)."""
        offset = self.text_offset(buffer_offset)
        i = bisect.bisect_right(self._starts, offset)
        return [p for p in self.passages[:i] if p.span.start <= offset <= p.span.end]

    def passages_in(self, start: int, end: int) -> list[Passage]:
        """The passages overlapping the buffer range [start, end]."""
        a, b = self.text_offset(start), self.text_offset(end)
        return [p for p in self.passages if p.span.start <= b and a <= p.span.end]

    @property
    def similarity(self) -> float | None:
        """The best document similarity, or None without any similar document."""
        return self.sources[0][0].summary.similarity if self.sources else None


def _relabel(match: Match, doc: Document, ignores: Ignores) -> Match | None:
    text = normalise(doc.slice(match.a.span))
    if match.b.doc in ignores.sources:
        return None
    if (match.formula and match.formula in ignores.formulae) or (
        match.kind is Kind.FORMULA and text in ignores.formulae
    ):
        return None
    if text in ignores.quotations and match.kind is not Kind.QUOTATION:
        return replace(match, kind=Kind.QUOTATION, reason="marked as a quotation in the editor")
    return match


def group_passages(
    doc: Document, report: Report, ignores: Ignores, kinds: frozenset[Kind]
) -> tuple[tuple[Passage, ...], tuple[tuple[PairResult, Document], ...]]:
    """Matches grouped into passages (overlapping buffer spans merge) plus the ranked sources."""
    uses: list[Use] = []
    sources: list[tuple[PairResult, Document]] = []
    for pair in report.pairs:
        if pair.b in ignores.sources:
            continue
        source = report.document(pair.b)
        sources.append((pair, source))
        for match in pair.matches:
            kept = _relabel(match, doc, ignores)
            if kept is not None and kept.kind in kinds:
                uses.append(Use(kept, source, pair))
    uses.sort(key=lambda u: (u.match.a.span.start, -u.match.a.span.end))
    groups: list[tuple[Span, list[Use]]] = []
    for use in uses:
        span = use.match.a.span
        if groups and span.start < groups[-1][0].end:
            groups[-1] = (groups[-1][0].union(span), [*groups[-1][1], use])
        else:
            groups.append((span, [use]))
    passages = tuple(
        Passage(span, tuple(sorted(members, key=lambda u: -u.match.score)))
        for span, members in groups
    )
    return passages, tuple(sources)


class SourceLines:
    """Line indexes of corpus documents as their files read, cached by id and content hash."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str, int], LineIndex] = {}
        self._lock = threading.Lock()

    def get(self, doc: Document) -> LineIndex:
        """The line index of `doc`'s source file (its text for txt/md)."""
        key = (doc.id, doc.sha256, len(doc.text))
        with self._lock:
            found = self._cache.get(key)
        if found is not None:
            return found
        text = doc.text
        if not doc.offsets.is_identity and doc.path and regular_file(Path(doc.path)):
            try:
                text = Path(doc.path).read_bytes().decode("utf-8", "replace")
            except OSError:
                text = doc.text
        index = LineIndex(text)
        with self._lock:
            if len(self._cache) > 2000:
                self._cache.clear()
            self._cache[key] = index
        return index

    def span_range_args(self, doc: Document, span: Span) -> tuple[LineIndex, Span]:
        """The line index and source span to turn a text span of `doc` into a range."""
        return self.get(doc), doc.offsets.span_to_source(span)


def uses_of(passages: Sequence[Passage]) -> list[Use]:
    """Every use of every passage, in order."""
    return [use for p in passages for use in p.uses]
