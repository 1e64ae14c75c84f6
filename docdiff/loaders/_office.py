"""DOCX and ODT through zipfile plus lxml: paragraphs become lines, table rows lines of cells.

Footnotes and endnotes follow the body text. Nothing is read whole: the archive's directory is
checked before zipfile parses it (member count, directory size), every XML part is decompressed
and parsed as a stream (`etree.iterparse`) with its bytes, element count and nesting counted as
they go, and the tree is pruned as soon as a paragraph or a top-level block ends: a finished
paragraph is collapsed into one element holding its text, a finished block is turned into lines
and removed. So memory follows the largest single paragraph or table, not the document, and the
`Limits` stop a zip bomb, an element flood or a space-run expansion while it is being read.
"""

from __future__ import annotations

import io
import lzma
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING, Protocol

from docdiff.errors import InputError, LimitError
from docdiff.loaders._limits import DEFAULT_LIMITS, Budget, Limits
from docdiff.loaders._limits import size as human_size
from docdiff.loaders._result import Extracted

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["MAX_PART_BYTES", "load_docx", "load_odt", "zip_kind"]

MAX_PART_BYTES = DEFAULT_LIMITS.max_part_bytes
"""Largest uncompressed XML part read from a DOCX or ODT archive (the default limit)."""
_MAX_SPACES = 1_000
_RATIO_FLOOR = 4_000_000  # members smaller than this are never called bombs
_DIR_BYTES_PER_MEMBER = 256  # central directory bytes allowed per permitted member
_ODT_MIME = "application/vnd.oasis.opendocument.text"
_REL_OFFICE_DOC = re.compile(r"/officeDocument$")
_WS = re.compile(r"[ \t\n\r]+")
_DONE = "{urn:docdiff}done"  # marks a paragraph collapsed into its text
# What zipfile raises on a corrupt archive, found by fuzzing (no single base class covers it).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    struct.error,
    OSError,
    EOFError,
    ValueError,
    OverflowError,
    NotImplementedError,
)
_EOCD = b"PK\x05\x06"


class _LineSink(Protocol):
    def append(self, line: str, /) -> None: ...


class _Lines:
    """Stripped, non-empty lines joined by newlines, compacted as they come (no per-line
    objects pile up for a document of a million one-letter paragraphs)."""

    __slots__ = ("_buf", "_chunks")

    def __init__(self) -> None:
        self._chunks: list[str] = []
        self._buf: list[str] = []

    def append(self, line: str) -> None:
        line = line.strip()
        if line:
            self._buf.append(line)
            if len(self._buf) >= 4096:
                self._chunks.append("\n".join(self._buf))
                self._buf = []

    def text(self) -> str:
        chunks = [*self._chunks, "\n".join(self._buf)] if self._buf else self._chunks
        return "\n".join(chunks)


_LOCAL: dict[object, str] = {}


def _local(el: etree._Element) -> str:
    """The element's name without its namespace ("" for comments and processing instructions)."""
    tag = el.tag
    name = _LOCAL.get(tag)
    if name is None:
        name = tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
        if len(_LOCAL) > 10_000:  # hostile input with endless distinct names
            _LOCAL.clear()
        _LOCAL[tag] = name
    return name


def _directory_problem(data: bytes, limits: Limits) -> str | None:
    """Why the ZIP directory is too big to parse, read from the end record; None if it is not."""
    tail = data[-(65_535 + 22) :]
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        return None  # no end record: zipfile says it is corrupt
    entries, dir_size = struct.unpack("<xxxxxxxxxxHI", tail[at : at + 16])
    if entries == 0xFFFF or dir_size == 0xFFFFFFFF:
        return "a ZIP64 archive (no DOCX or ODT needs one)"
    if entries > limits.max_zip_members:
        return f"more than {limits.max_zip_members:,} ZIP entries"
    if dir_size > limits.max_zip_members * _DIR_BYTES_PER_MEMBER:
        return f"a ZIP directory of {dir_size:,} bytes (too many entries)"
    return None


def zip_kind(data: bytes) -> str | None:
    """The format of a DOCX or ODT archive, else None (also for a corrupt or oversized zip)."""
    if _directory_problem(data, DEFAULT_LIMITS) is not None:
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "mimetype" in names and _read_small(zf, "mimetype").startswith(_ODT_MIME.encode()):
                return "odt"
            if "word/document.xml" in names:
                return "docx"
    except (*_ZIP_ERRORS, RuntimeError):
        return None
    return None


def _read_small(zf: zipfile.ZipFile, name: str) -> bytes:
    with zf.open(name) as f:
        return f.read(256)


def _open(data: bytes, path: str, kind: str, limits: Limits) -> zipfile.ZipFile:
    problem = _directory_problem(data, limits)
    if problem is not None:
        raise LimitError(path, f"not a valid {kind} file ({problem}); refusing it")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as exc:
        raise InputError(path, f"not a valid {kind} file (corrupt ZIP archive: {exc})") from None
    if len(zf.infolist()) > limits.max_zip_members:
        zf.close()
        raise LimitError(
            path, f"not a valid {kind} file (more than {limits.max_zip_members:,} ZIP entries)"
        )
    return zf


class _Part(io.RawIOBase):
    """One archive member, decompressed on demand, refused once it passes the size limits."""

    def __init__(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: Budget, kind: str):
        super().__init__()
        self.name = info.filename
        self.budget = budget
        self.kind = kind
        self.read_bytes = 0
        self.stream: IO[bytes] | None = None
        try:
            self.stream = zf.open(info)
        except _ZIP_ERRORS as exc:
            raise InputError(
                budget.path, f"corrupt {kind} file: cannot read {self.name} ({exc})"
            ) from None
        except RuntimeError as exc:  # an encrypted entry
            raise InputError(
                budget.path, f"cannot read {self.name} in {kind} file: {exc}"
            ) from None

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        n = 1 << 16 if size is None or size < 0 else min(size, 1 << 16)
        if self.stream is None:
            return b""
        try:
            chunk: bytes = self.stream.read(n)
        except _ZIP_ERRORS as exc:
            raise InputError(
                self.budget.path, f"corrupt {self.kind} file: cannot read {self.name} ({exc})"
            ) from None
        except RuntimeError as exc:
            raise InputError(
                self.budget.path, f"cannot read {self.name} in {self.kind} file: {exc}"
            ) from None
        self.read_bytes += len(chunk)
        limit = self.budget.limits.max_part_bytes
        if self.read_bytes > limit:
            raise LimitError(
                self.budget.path,
                f"{self.kind} part {self.name} uncompresses beyond {human_size(limit)}; "
                "refusing a possible zip bomb",
            )
        self.budget.spend_unpacked(len(chunk), self.kind)
        return chunk

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        super().close()


def _part(zf: zipfile.ZipFile, name: str, budget: Budget, kind: str) -> _Part:
    info = zf.getinfo(name)
    limits = budget.limits
    if info.file_size > limits.max_part_bytes:
        raise LimitError(
            budget.path,
            f"{kind} part {name} would uncompress to {human_size(info.file_size)} "
            f"(limit {human_size(limits.max_part_bytes)}); refusing a possible zip bomb",
        )
    if info.file_size > _RATIO_FLOOR and info.file_size > limits.max_ratio * max(
        1, info.compress_size
    ):
        ratio = info.file_size // max(1, info.compress_size)
        raise LimitError(
            budget.path,
            f"{kind} part {name} is compressed {ratio}:1 (limit {limits.max_ratio}:1); "
            "refusing a possible zip bomb",
        )
    return _Part(zf, info, budget, kind)


def _read_part(zf: zipfile.ZipFile, name: str, budget: Budget, kind: str) -> bytes:
    with _part(zf, name, budget, kind) as part:
        chunks = []
        while chunk := part.read():
            chunks.append(chunk)
    return b"".join(chunks)


class _Stream:
    """Streamed parse of one XML part: every element as it ends, with the limits checked.

    `live` counts the elements currently held in the tree; the consumers lower it when they
    prune, and a paragraph or table that alone holds more than `Limits.max_live_elements`
    elements is refused. Nesting is bounded by libxml2 itself (256 levels without
    ``huge_tree``), reported as a `LimitError`.
    """

    def __init__(self, zf: zipfile.ZipFile, name: str, budget: Budget, kind: str) -> None:
        self.zf = zf
        self.name = name
        self.budget = budget
        self.kind = kind
        self.live = 0

    def ends(self) -> Iterator[etree._Element]:
        """Every element of the part, as it ends (children before their parent)."""
        from lxml import etree

        budget, limits, kind, name = self.budget, self.budget.limits, self.kind, self.name
        most = limits.max_xml_elements
        live_most = limits.max_live_elements
        with _part(self.zf, name, budget, kind) as part:
            parsed = etree.iterparse(
                part,
                events=("end",),
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                huge_tree=False,
            )
            try:
                for _, el in parsed:
                    budget.elements += 1
                    if budget.elements > most:
                        budget.spend_element(most, f"XML elements in {kind}")
                    self.live += 1
                    if self.live > live_most:
                        raise LimitError(
                            budget.path,
                            f"one paragraph or table in {kind} part {name} holds more than "
                            f"{live_most:,} XML elements; refusing it",
                        )
                    yield el
            except etree.XMLSyntaxError as exc:
                msg = re.sub(r",? line \d+, column \d+$", "", str(exc.msg or exc)).strip()
                if msg.startswith("Excessive depth"):
                    raise LimitError(
                        budget.path, f"{kind} XML elements nested deeper than 256 levels"
                    ) from None
                raise InputError(
                    budget.path, f"malformed XML in {kind} part {name} at line {exc.lineno}: {msg}"
                ) from None
            except (etree.LxmlError, ValueError) as exc:
                raise InputError(budget.path, f"cannot parse {kind} part {name}: {exc}") from None

    def walk(
        self,
        block_path: tuple[str, ...],
        *,
        paragraphs: frozenset[str],
        paragraph: Callable[[etree._Element], str],
        block: Callable[[etree._Element], None] | None,
        shallow: Callable[[etree._Element, etree._Element], None],
    ) -> None:
        """Stream a document part block by block, holding at most one block in the tree.

        A block is an element whose ancestors, nearest first and the root left out, have the
        local names `block_path` (``("body",)``: a child of ``w:body``); it goes to `block`, then
        is dropped. An element above block depth goes to ``shallow(el, parent)`` when it ends, then
        is dropped. Below, each finished paragraph (a local name in `paragraphs`) is collapsed into
        its text (`paragraph`), so a block holds its paragraphs' text, not their markup. With
        `block` None nothing is taken at block depth (notes are whole ``shallow`` elements).
        """
        depth = len(block_path) + 1
        local = _LOCAL
        for el in self.ends():
            above: list[etree._Element] = []
            parent = el.getparent()
            while parent is not None and len(above) <= depth:
                above.append(parent)
                parent = parent.getparent()
            if not above:  # the root
                continue
            if len(above) < depth:
                shallow(el, above[0])
                self.drop(el)
            elif (
                block is not None
                and len(above) == depth
                and tuple(_local(a) for a in above[:-1]) == block_path
            ):
                block(el)
                self.drop(el)
            elif (local.get(el.tag) or _local(el)) in paragraphs:
                self.collapse(el, paragraph(el))

    def drop(self, el: etree._Element) -> None:
        """Remove a finished element (and its subtree) from the tree."""
        self.live -= sum(1 for _ in el.iter())
        parent = el.getparent()
        el.clear(keep_tail=False)  # type: ignore[call-arg]  # lxml-stubs lacks keep_tail
        if parent is not None:
            parent.remove(el)

    def collapse(self, el: etree._Element, text: str) -> None:
        """Replace a finished paragraph's content by its extracted text (tail kept)."""
        self.live -= sum(1 for _ in el.iter()) - 1
        el.clear(keep_tail=True)  # type: ignore[call-arg]  # lxml-stubs lacks keep_tail
        el.text = text
        el.set(_DONE, "")


def _core_meta(stream: _Stream | None, date_names: tuple[str, ...]) -> dict[str, str]:
    meta: dict[str, str] = {}
    if stream is None:
        return meta
    for el in stream.ends():
        name = _local(el)
        text = " ".join((el.text or "").split())
        if text:
            if name == "title":
                meta.setdefault("title", text)
            elif name in ("creator", "initial-creator"):
                meta.setdefault("author", text)
            elif name in date_names:
                meta.setdefault("date", text)
        if el.getparent() is not None:
            stream.drop(el)
    return meta


def _optional(zf: zipfile.ZipFile, name: str, budget: Budget, kind: str) -> _Stream | None:
    return _Stream(zf, name, budget, kind) if name in zf.NameToInfo else None


# -- DOCX ----------------------------------------------------------------------------------------

_DOCX_SKIP = frozenset(
    "pPr rPr tblPr trPr tcPr sectPr delText instrText Fallback del footnoteRef endnoteRef "
    "commentReference moveFrom".split()
)


def _docx_main_part(zf: zipfile.ZipFile, budget: Budget) -> str:
    names = zf.NameToInfo
    if "_rels/.rels" in names:
        stream = _Stream(zf, "_rels/.rels", budget, "DOCX")
        target = None
        for el in stream.ends():
            parent = el.getparent()
            if parent is None:
                continue
            if (
                target is None
                and parent.getparent() is None
                and _REL_OFFICE_DOC.search(el.get("Type", ""))
                and el.get("Target", "").lstrip("/") in names
            ):
                target = el.get("Target", "").lstrip("/")
            stream.drop(el)
        if target is not None:
            return target
    if "word/document.xml" in names:
        return "word/document.xml"
    raise InputError(budget.path, "not a DOCX file: the archive has no word/document.xml")


def _docx_inline(el: etree._Element, parts: list[str], budget: Budget) -> None:
    for child in el:
        name = _local(child)
        if name == "t":
            text = child.text or ""
            budget.spend_text(len(text))
            parts.append(text)
        elif name == "tab":
            budget.spend_text(1)
            parts.append("\t")
        elif name in ("br", "cr"):
            budget.spend_text(1)
            parts.append("\n")
        elif name == "noBreakHyphen":
            budget.spend_text(1)
            parts.append("-")
        elif name == "p":  # a paragraph inside a text box
            if child.get(_DONE) is not None:
                parts.append(child.text or "")
            else:
                _docx_inline(child, parts, budget)
            budget.spend_text(1)
            parts.append("\n")
        elif name not in _DOCX_SKIP:
            _docx_inline(child, parts, budget)


def _docx_paragraph(p: etree._Element, budget: Budget) -> str:
    if p.get(_DONE) is not None:
        return p.text or ""
    parts: list[str] = []
    _docx_inline(p, parts, budget)
    return "".join(parts)


def _docx_block(child: etree._Element, lines: _LineSink, budget: Budget) -> None:
    name = _local(child)
    if name == "p":
        lines.append(_docx_paragraph(child, budget))
    elif name == "tbl":
        for row in child:
            if _local(row) != "tr":
                continue
            cells = []
            for cell in row:
                if _local(cell) == "tc":
                    sub: list[str] = []
                    _docx_blocks(cell, sub, budget)
                    cells.append(" ".join(s.strip() for s in sub if s.strip()))
            lines.append("\t".join(cells))
    elif name not in _DOCX_SKIP:
        _docx_blocks(child, lines, budget)


def _docx_blocks(el: etree._Element, lines: _LineSink, budget: Budget) -> None:
    for child in el:
        _docx_block(child, lines, budget)


def _docx_part(stream: _Stream, lines: _Lines, *, notes: bool) -> bool:
    """Stream one DOCX part into `lines`; for the main part, whether it had a ``w:body``.

    Main part: ``w:document/w:body/<block>``; notes: ``w:footnotes/w:footnote/<block>``.
    """
    budget = stream.budget
    has_body = notes

    def shallow(el: etree._Element, parent: etree._Element) -> None:
        nonlocal has_body
        if not notes:
            has_body = has_body or _local(el) == "body"
        elif next((v for k, v in el.attrib.items() if str(k).endswith("}type")), "") not in (
            "separator",
            "continuationSeparator",
            "continuationNotice",
        ):
            _docx_blocks(el, lines, budget)

    stream.walk(
        ("body",),
        paragraphs=frozenset({"p"}),
        paragraph=lambda p: _docx_paragraph(p, budget),
        block=None if notes else lambda el: _docx_block(el, lines, budget),
        shallow=shallow,
    )
    return has_body


def load_docx(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> Extracted:
    """Extract the text of a DOCX file: body paragraphs and tables, then foot- and endnotes."""
    return _with_zip(data, path, "DOCX", limits, _docx)


def _docx(zf: zipfile.ZipFile, budget: Budget) -> Extracted:
    main = _docx_main_part(zf, budget)
    lines = _Lines()
    if not _docx_part(_Stream(zf, main, budget, "DOCX"), lines, notes=False):
        raise InputError(budget.path, f"not a DOCX file: {main} has no w:body")
    folder = main.rsplit("/", 1)[0] + "/" if "/" in main else ""
    for part in ("footnotes.xml", "endnotes.xml"):
        stream = _optional(zf, folder + part, budget, "DOCX")
        if stream is not None:
            _docx_part(stream, lines, notes=True)
    meta = _core_meta(_optional(zf, "docProps/core.xml", budget, "DOCX"), ("created",))
    return Extracted(lines.text(), meta=meta)


# -- ODT -----------------------------------------------------------------------------------------

_ODT_SKIP = frozenset(
    "tracked-changes annotation annotation-end sequence-decls variable-decls user-field-decls "
    "forms note-citation soft-page-break bookmark bookmark-start bookmark-end table-columns "
    "table-column".split()
)
_ODT_ROW_GROUPS = frozenset({"table-header-rows", "table-rows", "table-row-group"})
_TEXT_C = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}c"


def _spaces(count: str) -> int:
    """``text:c`` of ``<text:s>``: a count of spaces, capped; anything else means one."""
    if count.isascii() and count.isdigit():
        return min(_MAX_SPACES, int(count[:6]) if len(count) <= 6 else _MAX_SPACES)
    return 1


class _Odt:
    """ODT extraction state: the budget and where notes go."""

    __slots__ = ("budget", "notes")

    def __init__(self, budget: Budget, notes: _LineSink) -> None:
        self.budget = budget
        self.notes = notes

    def _add(self, parts: list[str], text: str) -> None:
        self.budget.spend_text(len(text))
        parts.append(text)

    def inline(self, el: etree._Element, parts: list[str]) -> None:
        if el.text:
            self._add(parts, _WS.sub(" ", el.text))
        for child in el:
            name = _local(child)
            if name == "s":
                self._add(parts, " " * _spaces(child.get(_TEXT_C, "1")))
            elif name == "tab":
                self._add(parts, "\t")
            elif name == "line-break":
                self._add(parts, "\n")
            elif name == "note":
                body = next((c for c in child if _local(c) == "note-body"), None)
                if body is not None:
                    self.blocks(body, self.notes)
            elif name in ("p", "h"):
                if child.get(_DONE) is not None:
                    parts.append(child.text or "")
                else:
                    self.inline(child, parts)
                self._add(parts, "\n")
            elif name not in _ODT_SKIP:
                self.inline(child, parts)
            if child.tail:
                self._add(parts, _WS.sub(" ", child.tail))

    def paragraph(self, p: etree._Element) -> str:
        if p.get(_DONE) is not None:
            return p.text or ""
        parts: list[str] = []
        self.inline(p, parts)
        return "".join(parts)

    def rows(self, table: etree._Element, lines: _LineSink) -> None:
        for child in table:
            name = _local(child)
            if name in _ODT_ROW_GROUPS:
                self.rows(child, lines)
            elif name == "table-row":
                cells = []
                for cell in child:
                    if _local(cell) == "table-cell":
                        sub: list[str] = []
                        self.blocks(cell, sub)
                        cells.append(" ".join(s.strip() for s in sub if s.strip()))
                lines.append("\t".join(cells))

    def block(self, child: etree._Element, lines: _LineSink) -> None:
        name = _local(child)
        if name in ("p", "h"):
            lines.append(self.paragraph(child))
        elif name == "table":
            self.rows(child, lines)
        elif name not in _ODT_SKIP:
            self.blocks(child, lines)

    def blocks(self, el: etree._Element, lines: _LineSink) -> None:
        for child in el:
            self.block(child, lines)


def load_odt(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> Extracted:
    """Extract the text of an ODT file: paragraphs, headings, lists and tables, then notes."""
    return _with_zip(data, path, "ODT", limits, _odt)


def _odt(zf: zipfile.ZipFile, budget: Budget) -> Extracted:
    names = zf.NameToInfo
    path = budget.path
    if "mimetype" in names:
        mime = _read_part(zf, "mimetype", budget, "ODT")[:256].decode("ascii", "replace").strip()
        if not mime.startswith(_ODT_MIME):  # text, text-template, text-master
            raise InputError(path, f"not an ODT text document (mimetype {mime!r})")
    if "content.xml" not in names:
        raise InputError(path, "not an ODT file: the archive has no content.xml")
    lines, notes = _Lines(), _Lines()
    odt = _Odt(budget, notes)
    stream = _Stream(zf, "content.xml", budget, "ODT")
    # office:document-content / office:body / office:text / <block>
    has_text = False

    def shallow(el: etree._Element, parent: etree._Element) -> None:
        nonlocal has_text  # office:body's children: is one of them office:text?
        if parent.getparent() is not None:
            has_text = has_text or (_local(el) == "text" and _local(parent) == "body")

    stream.walk(
        ("text", "body"),
        paragraphs=frozenset({"p", "h"}),
        paragraph=odt.paragraph,
        block=lambda el: odt.block(el, lines),
        shallow=shallow,
    )
    if not has_text:
        raise InputError(path, "not an ODT text document: content.xml has no office:text")
    meta = _core_meta(_optional(zf, "meta.xml", budget, "ODT"), ("creation-date",))
    text = "\n".join(t for t in (lines.text(), notes.text()) if t)
    return Extracted(text, meta=meta)


def _with_zip(
    data: bytes,
    path: str,
    kind: str,
    limits: Limits,
    extract: Callable[[zipfile.ZipFile, Budget], Extracted],
) -> Extracted:
    with _open(data, path, kind, limits) as zf:
        return extract(zf, Budget(path, limits))
