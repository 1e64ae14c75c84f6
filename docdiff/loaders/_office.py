"""DOCX and ODT through zipfile plus lxml: paragraphs become lines, table rows lines of cells.

Footnotes and endnotes follow the body text. Every part is read with a size cap, so a zip bomb
costs at most `MAX_PART_BYTES` of memory before it is refused.
"""

from __future__ import annotations

import io
import lzma
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from docdiff.errors import InputError
from docdiff.loaders._result import Extracted

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["MAX_PART_BYTES", "load_docx", "load_odt", "zip_kind"]

MAX_PART_BYTES = 128 * 1024 * 1024
"""Largest uncompressed XML part read from a DOCX or ODT archive."""
_MAX_ENTRIES = 20_000
_MAX_SPACES = 1_000
_ODT_MIME = "application/vnd.oasis.opendocument.text"
_REL_OFFICE_DOC = re.compile(r"/officeDocument$")
_WS = re.compile(r"[ \t\n\r]+")
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


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def zip_kind(data: bytes) -> str | None:
    """The format of a DOCX or ODT archive, else None (also for a corrupt zip)."""
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


def _open(data: bytes, path: str, kind: str) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as exc:
        raise InputError(path, f"not a valid {kind} file (corrupt ZIP archive: {exc})") from None
    if len(zf.infolist()) > _MAX_ENTRIES:
        zf.close()
        raise InputError(path, f"not a valid {kind} file (more than {_MAX_ENTRIES} ZIP entries)")
    return zf


def _read_part(zf: zipfile.ZipFile, name: str, path: str, kind: str) -> bytes:
    info = zf.getinfo(name)
    limit = MAX_PART_BYTES
    if info.file_size > limit:
        raise InputError(
            path,
            f"{kind} part {name} would uncompress to {info.file_size // 1_000_000} MB "
            f"(limit {limit // 1_000_000} MB); refusing a possible zip bomb",
        )
    try:
        with zf.open(info) as f:
            raw = f.read(limit + 1)  # the header may lie about the size
    except _ZIP_ERRORS as exc:
        raise InputError(path, f"corrupt {kind} file: cannot read {name} ({exc})") from None
    except RuntimeError as exc:  # an encrypted entry
        raise InputError(path, f"cannot read {name} in {kind} file: {exc}") from None
    if len(raw) > limit:
        raise InputError(
            path, f"{kind} part {name} uncompresses beyond {limit // 1_000_000} MB; refusing it"
        )
    return raw


def _parse(raw: bytes, name: str, path: str, kind: str) -> etree._Element:
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        msg = re.sub(r",? line \d+, column \d+$", "", str(exc.msg or exc)).strip()
        raise InputError(
            path, f"malformed XML in {kind} part {name} at line {exc.lineno}: {msg}"
        ) from None
    except (etree.LxmlError, ValueError) as exc:
        raise InputError(path, f"cannot parse {kind} part {name}: {exc}") from None


def _optional_root(zf: zipfile.ZipFile, name: str, path: str, kind: str) -> etree._Element | None:
    if name not in zf.namelist():
        return None
    return _parse(_read_part(zf, name, path, kind), name, path, kind)


def _join(lines: list[str]) -> str:
    return "\n".join(line for line in (ln.strip() for ln in lines) if line)


def _core_meta(root: etree._Element | None, date_names: tuple[str, ...]) -> dict[str, str]:
    meta: dict[str, str] = {}
    if root is None:
        return meta
    for el in root.iter():
        name = _local(el)
        text = " ".join((el.text or "").split())
        if not text:
            continue
        if name == "title":
            meta.setdefault("title", text)
        elif name in ("creator", "initial-creator"):
            meta.setdefault("author", text)
        elif name in date_names:
            meta.setdefault("date", text)
    return meta


# -- DOCX ----------------------------------------------------------------------------------------

_DOCX_SKIP = frozenset(
    "pPr rPr tblPr trPr tcPr sectPr delText instrText Fallback del footnoteRef endnoteRef "
    "commentReference moveFrom".split()
)


def _docx_main_part(zf: zipfile.ZipFile, path: str) -> str:
    names = set(zf.namelist())
    if "_rels/.rels" in names:
        rels = _parse(_read_part(zf, "_rels/.rels", path, "DOCX"), "_rels/.rels", path, "DOCX")
        for rel in rels:
            if _REL_OFFICE_DOC.search(rel.get("Type", "")):
                target = rel.get("Target", "").lstrip("/")
                if target in names:
                    return target
    if "word/document.xml" in names:
        return "word/document.xml"
    raise InputError(path, "not a DOCX file: the archive has no word/document.xml")


def _docx_inline(el: etree._Element, parts: list[str]) -> None:
    for child in el:
        name = _local(child)
        if name == "t":
            parts.append(child.text or "")
        elif name == "tab":
            parts.append("\t")
        elif name in ("br", "cr"):
            parts.append("\n")
        elif name == "noBreakHyphen":
            parts.append("-")
        elif name == "p":  # a paragraph inside a text box
            _docx_inline(child, parts)
            parts.append("\n")
        elif name not in _DOCX_SKIP:
            _docx_inline(child, parts)


def _docx_blocks(el: etree._Element, lines: list[str]) -> None:
    for child in el:
        name = _local(child)
        if name == "p":
            parts: list[str] = []
            _docx_inline(child, parts)
            lines.append("".join(parts))
        elif name == "tbl":
            for row in child:
                if _local(row) != "tr":
                    continue
                cells = []
                for cell in row:
                    if _local(cell) == "tc":
                        sub: list[str] = []
                        _docx_blocks(cell, sub)
                        cells.append(" ".join(s.strip() for s in sub if s.strip()))
                lines.append("\t".join(cells))
        elif name not in _DOCX_SKIP:
            _docx_blocks(child, lines)


def _docx_notes(root: etree._Element | None, lines: list[str]) -> None:
    if root is None:
        return
    for note in root:
        kind = next((v for k, v in note.attrib.items() if str(k).endswith("}type")), "normal")
        if kind in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        _docx_blocks(note, lines)


def load_docx(data: bytes, path: str) -> Extracted:
    """Extract the text of a DOCX file: body paragraphs and tables, then foot- and endnotes."""
    return _with_zip(data, path, "DOCX", _docx)


def _docx(zf: zipfile.ZipFile, path: str) -> Extracted:
    main = _docx_main_part(zf, path)
    root = _parse(_read_part(zf, main, path, "DOCX"), main, path, "DOCX")
    body = next((el for el in root if _local(el) == "body"), None)
    if body is None:
        raise InputError(path, f"not a DOCX file: {main} has no w:body")
    lines: list[str] = []
    _docx_blocks(body, lines)
    folder = main.rsplit("/", 1)[0] + "/" if "/" in main else ""
    for part in ("footnotes.xml", "endnotes.xml"):
        _docx_notes(_optional_root(zf, folder + part, path, "DOCX"), lines)
    meta = _core_meta(_optional_root(zf, "docProps/core.xml", path, "DOCX"), ("created",))
    return Extracted(_join(lines), meta=meta)


# -- ODT -----------------------------------------------------------------------------------------

_ODT_SKIP = frozenset(
    "tracked-changes annotation annotation-end sequence-decls variable-decls user-field-decls "
    "forms note-citation soft-page-break bookmark bookmark-start bookmark-end table-columns "
    "table-column".split()
)
_ODT_ROW_GROUPS = frozenset({"table-header-rows", "table-rows", "table-row-group"})


def _odt_inline(el: etree._Element, parts: list[str], notes: list[str]) -> None:
    if el.text:
        parts.append(_WS.sub(" ", el.text))
    for child in el:
        name = _local(child)
        if name == "s":
            count = child.get("{urn:oasis:names:tc:opendocument:xmlns:text:1.0}c", "1")
            parts.append(" " * min(_MAX_SPACES, int(count) if count.isdigit() else 1))
        elif name == "tab":
            parts.append("\t")
        elif name == "line-break":
            parts.append("\n")
        elif name == "note":
            body = next((c for c in child if _local(c) == "note-body"), None)
            if body is not None:
                _odt_blocks(body, notes, notes)
        elif name in ("p", "h"):
            _odt_inline(child, parts, notes)
            parts.append("\n")
        elif name not in _ODT_SKIP:
            _odt_inline(child, parts, notes)
        if child.tail:
            parts.append(_WS.sub(" ", child.tail))


def _odt_rows(table: etree._Element, lines: list[str], notes: list[str]) -> None:
    for child in table:
        name = _local(child)
        if name in _ODT_ROW_GROUPS:
            _odt_rows(child, lines, notes)
        elif name == "table-row":
            cells = []
            for cell in child:
                if _local(cell) == "table-cell":
                    sub: list[str] = []
                    _odt_blocks(cell, sub, notes)
                    cells.append(" ".join(s.strip() for s in sub if s.strip()))
            lines.append("\t".join(cells))


def _odt_blocks(el: etree._Element, lines: list[str], notes: list[str]) -> None:
    for child in el:
        name = _local(child)
        if name in ("p", "h"):
            parts: list[str] = []
            _odt_inline(child, parts, notes)
            lines.append("".join(parts))
        elif name == "table":
            _odt_rows(child, lines, notes)
        elif name not in _ODT_SKIP:
            _odt_blocks(child, lines, notes)


def load_odt(data: bytes, path: str) -> Extracted:
    """Extract the text of an ODT file: paragraphs, headings, lists and tables, then notes."""
    return _with_zip(data, path, "ODT", _odt)


def _odt(zf: zipfile.ZipFile, path: str) -> Extracted:
    names = set(zf.namelist())
    if "mimetype" in names:
        mime = _read_part(zf, "mimetype", path, "ODT").decode("ascii", "replace").strip()
        if not mime.startswith(_ODT_MIME):  # text, text-template, text-master
            raise InputError(path, f"not an ODT text document (mimetype {mime!r})")
    if "content.xml" not in names:
        raise InputError(path, "not an ODT file: the archive has no content.xml")
    root = _parse(_read_part(zf, "content.xml", path, "ODT"), "content.xml", path, "ODT")
    body = next((el for el in root if _local(el) == "body"), None)
    text_el = None if body is None else next((el for el in body if _local(el) == "text"), None)
    if text_el is None:
        raise InputError(path, "not an ODT text document: content.xml has no office:text")
    lines: list[str] = []
    notes: list[str] = []
    _odt_blocks(text_el, lines, notes)
    meta = _core_meta(_optional_root(zf, "meta.xml", path, "ODT"), ("creation-date",))
    return Extracted(_join(lines + notes), meta=meta)


def _with_zip(
    data: bytes, path: str, kind: str, extract: Callable[[zipfile.ZipFile, str], Extracted]
) -> Extracted:
    with _open(data, path, kind) as zf:
        return extract(zf, path)
