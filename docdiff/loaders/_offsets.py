"""Offset maps for extracted markup text, and the builder that records them while text is emitted.

`model.OffsetMap` is piecewise linear with slope one. That cannot express a text character that
stands for several source characters (``&eacute;`` -> ``é``, a collapsed whitespace run, a line
break standing for ``<p>``): the end of such a character must be the end of the whole construct.
`SourceOffsetMap` adds the source end of every piece; a piece whose text and source lengths differ
is atomic, so any character inside it maps to the whole source construct.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from docdiff.model import OffsetMap, Span

__all__ = ["OffsetBuilder", "SourceOffsetMap"]


@dataclass(frozen=True, slots=True)
class SourceOffsetMap(OffsetMap):
    """An `OffsetMap` whose pieces also know their source end; unequal-length pieces are atomic."""

    source_ends: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        OffsetMap.__post_init__(self)
        if len(self.source_ends) != len(self.text_starts):
            msg = "SourceOffsetMap needs one source end per anchor"
            raise ValueError(msg)

    def _piece(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.text_starts, offset) - 1)

    def _is_linear(self, i: int) -> bool:
        if i + 1 == len(self.text_starts):
            return True  # the zero-length sentinel closing the map
        text_len = self.text_starts[i + 1] - self.text_starts[i]
        return self.source_ends[i] - self.source_starts[i] == text_len

    def to_source(self, offset: int) -> int:
        """The source offset where the character at text `offset` begins."""
        if not self.text_starts:
            return offset
        i = self._piece(offset)
        if self._is_linear(i):
            return self.source_starts[i] + max(0, offset - self.text_starts[i])
        return self.source_starts[i]

    def to_source_end(self, offset: int) -> int:
        """The source offset just after the character ending at text `offset` (exclusive)."""
        if not self.text_starts:
            return offset
        if offset <= self.text_starts[0]:
            return self.source_starts[0]
        i = self._piece(offset - 1)
        if self._is_linear(i):
            return self.source_starts[i] + (offset - self.text_starts[i])
        return self.source_ends[i]

    def span_to_source(self, span: Span) -> Span:
        """The source range covering the characters of text `span`, whole constructs included."""
        if not self.text_starts:
            return span
        start = self.to_source(span.start)
        if span.end <= span.start:
            return Span(start, start)
        return Span(start, max(start, self.to_source_end(span.end)))


class OffsetBuilder:
    """Accumulates text pieces with their source ranges; contiguous linear pieces are merged."""

    __slots__ = ("_ends", "_parts", "_sources", "_starts", "length")

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._starts: list[int] = []
        self._sources: list[int] = []
        self._ends: list[int] = []
        self.length = 0

    def add(self, text: str, source_start: int, source_end: int) -> None:
        """Append `text`, which stands for source ``[source_start, source_end)``."""
        if not text:
            return
        n = len(text)
        linear = source_end - source_start == n
        if (
            linear
            and self._ends
            and self._ends[-1] == source_start
            and self._ends[-1] - self._sources[-1] == self.length - self._starts[-1]
        ):
            self._ends[-1] = source_end  # extends the previous linear piece
        else:
            self._starts.append(self.length)
            self._sources.append(source_start)
            self._ends.append(source_end)
        self._parts.append(text)
        self.length += n

    def last_char(self) -> str:
        """The last character appended so far, or "" when nothing was."""
        return self._parts[-1][-1] if self._parts else ""

    def build(self) -> tuple[str, OffsetMap]:
        """The text and its map (closed by a zero-length sentinel at the end of the text)."""
        if not self._parts:
            return "", OffsetMap()  # the plain identity map, equal to every other empty map
        starts = (*self._starts, self.length)
        sources = (*self._sources, self._ends[-1])
        ends = (*self._ends, self._ends[-1])
        return "".join(self._parts), SourceOffsetMap(starts, sources, ends)
