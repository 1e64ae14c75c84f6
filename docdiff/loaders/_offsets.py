"""The builder that records offset maps while markup text is emitted.

A plain slope-one map cannot express a text character that stands for several source characters
(``&eacute;`` -> ``é``, a collapsed whitespace run, a line break standing for ``<p>``): the end
of such a character must be the end of the whole construct. `model.OffsetMap` with
``source_ends`` records the source end of every piece; a piece whose text and source lengths
differ is atomic, so any character inside it maps to the whole source construct.
"""

from __future__ import annotations

from docdiff.model import OffsetMap

__all__ = ["OffsetBuilder", "SourceOffsetMap"]


SourceOffsetMap = OffsetMap
"""The map the markup loaders build: an `OffsetMap` with ``source_ends`` (kept for callers)."""


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

    def build(self) -> tuple[str, OffsetMap]:
        """The text and its map (closed by a zero-length sentinel at the end of the text)."""
        if not self._parts:
            return "", OffsetMap()  # the plain identity map, equal to every other empty map
        starts = (*self._starts, self.length)
        sources = (*self._sources, self._ends[-1])
        ends = (*self._ends, self._ends[-1])
        return "".join(self._parts), SourceOffsetMap(starts, sources, ends)
