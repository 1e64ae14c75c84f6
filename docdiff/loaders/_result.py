"""What a format loader hands back before the public layer wraps it into a `Document`."""

from __future__ import annotations

from dataclasses import dataclass, field

from docdiff.model import OffsetMap

__all__ = ["Extracted"]


@dataclass(frozen=True, slots=True)
class Extracted:
    """Extracted text plus its offset map, metadata and page starts."""

    text: str
    offsets: OffsetMap = field(default_factory=OffsetMap)
    meta: dict[str, str] = field(default_factory=dict)
    pages: tuple[int, ...] = ()
