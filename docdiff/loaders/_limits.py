"""How much a loader may read, expand and nest before it refuses a document.

Every limit is checked while reading (as elements stream past, as text is emitted), never after
building the whole thing, so a hostile file costs at most about the limit before it is refused
with a `LimitError` naming the file and the limit. With the defaults, any input under
`Limits.max_bytes` is loaded in a few hundred MB at most.
"""

from __future__ import annotations

from dataclasses import dataclass

from docdiff.errors import LimitError

__all__ = ["DEFAULT_LIMITS", "Budget", "Limits", "size"]


@dataclass(frozen=True, slots=True)
class Limits:
    """Loader limits; every field applies to one document."""

    max_bytes: int = 50_000_000
    """Largest input file read (bytes)."""
    max_text: int = 50_000_000
    """Most characters of extracted text (entities, ODT space runs and the like expanded)."""
    max_elements: int = 1_000_000
    """Most tags plus entity references in HTML or XML (each can cost an offset-map entry)."""
    max_depth: int = 256
    """Deepest element nesting in XML, TEI, DOCX and ODT (libxml2's own ceiling is 256 too)."""
    max_open_html: int = 1_000_000
    """Most HTML elements open at once: unclosed ``<p>``, ``<li>``, ``<font>`` are legal HTML
    and pile up, so this is as high as `max_elements` and exists to bound the scanner's stack."""
    max_zip_members: int = 10_000
    """Most entries in a DOCX or ODT archive."""
    max_part_bytes: int = 128_000_000
    """Largest uncompressed XML part read from a DOCX or ODT archive."""
    max_unpacked: int = 256_000_000
    """Most uncompressed bytes read from one DOCX or ODT archive, all parts together."""
    max_ratio: int = 200
    """Highest compression ratio accepted for an archive member larger than 4 MB (zip bombs)."""
    max_xml_elements: int = 3_000_000
    """Most XML elements read from the parts of one DOCX or ODT (streamed: time, not memory)."""
    max_live_elements: int = 500_000
    """Most XML elements of a DOCX/ODT held at once (one paragraph or table being assembled)."""


DEFAULT_LIMITS = Limits()


def size(n: int) -> str:
    """A byte count for a person: "3 KB", "128 MB", "2.5 GB"."""
    for unit, scale in (("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def _n(value: int) -> str:
    return f"{value:,}"


class Budget:
    """Counters for one document, raising `LimitError` the moment one passes its limit."""

    __slots__ = ("elements", "limits", "path", "text", "unpacked")

    def __init__(self, path: str, limits: Limits = DEFAULT_LIMITS) -> None:
        self.path = path
        self.limits = limits
        self.text = 0
        self.elements = 0
        self.unpacked = 0

    def spend_text(self, n: int) -> None:
        """Count `n` more characters of extracted text."""
        self.text += n
        if self.text > self.limits.max_text:
            raise LimitError(
                self.path,
                f"extracted text exceeds {_n(self.limits.max_text)} characters "
                "(entity or space expansion?); refusing it",
            )

    def spend_element(self, limit: int, what: str = "tags and entity references") -> None:
        """Count one more element against `limit`."""
        self.elements += 1
        if self.elements > limit:
            raise LimitError(self.path, f"more than {_n(limit)} {what}; refusing it")

    def depth(self, depth: int, limit: int, what: str = "elements") -> None:
        """Refuse nesting deeper than `limit`."""
        if depth > limit:
            raise LimitError(
                self.path, f"{what} nested deeper than {_n(limit)} levels; refusing it"
            )

    def spend_unpacked(self, n: int, kind: str) -> None:
        """Count `n` more bytes uncompressed from an archive."""
        self.unpacked += n
        if self.unpacked > self.limits.max_unpacked:
            raise LimitError(
                self.path,
                f"{kind} archive uncompresses beyond {size(self.limits.max_unpacked)}; "
                "refusing a possible zip bomb",
            )
