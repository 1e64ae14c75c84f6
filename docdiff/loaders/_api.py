"""The public loading functions: read a path (or stdin), detect the format, dispatch, wrap."""

from __future__ import annotations

import hashlib
import os
import re
import stat
import sys
from collections.abc import Callable
from pathlib import Path, PurePath

from docdiff.errors import InputError
from docdiff.loaders._limits import DEFAULT_LIMITS, Limits
from docdiff.loaders._result import Extracted
from docdiff.model import Document

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUFFIXES",
    "SUPPORTED_FORMATS",
    "detect_format",
    "load",
    "load_bytes",
    "load_text",
    "read_file",
]

DEFAULT_MAX_BYTES = DEFAULT_LIMITS.max_bytes
"""Largest input read (50 MB); a larger file is refused with an InputError."""

SUPPORTED_FORMATS: tuple[str, ...] = ("txt", "md", "html", "xml", "docx", "odt", "pdf")
"""Format names accepted by `format=` and returned by `detect_format`."""

SUFFIXES: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "xml",
    ".xml": "xml",
    ".tei": "xml",
    ".docx": "docx",
    ".odt": "odt",
    ".pdf": "pdf",
}
"""File suffixes (lower case) and the format each one means."""

_FORMAT_ALIASES = {"text": "txt", "markdown": "md", "htm": "html", "xhtml": "xml", "tei": "xml"}
_FIRST_TAG = re.compile(r"(?:<!--.*?-->\s*|<![^>]*>\s*)*<([A-Za-z][\w.:-]*)", re.DOTALL)
_HTML_ROOTS = frozenset(
    "html head body div p table span a h1 h2 h3 h4 h5 h6 ul ol br meta title section article "
    "header main b i em strong pre blockquote font center form img link style script".split()
)
_UNITS = (("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000))


def _size(n: int) -> str:
    for unit, scale in _UNITS:
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def _normalise_format(format: str, path: str) -> str:
    fmt = format.strip().lower().lstrip(".")
    fmt = _FORMAT_ALIASES.get(fmt, fmt)
    if fmt not in SUPPORTED_FORMATS:
        raise InputError(
            path, f"unknown format {format!r} (choose one of {', '.join(SUPPORTED_FORMATS)})"
        )
    return fmt


def _sniff(data: bytes) -> str:
    """The format `data` looks like, by content alone."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        from docdiff.loaders._office import zip_kind

        return zip_kind(data) or "txt"  # "txt" refuses it as a binary ZIP archive
    head = data[:4096]
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if head.startswith(bom):
            sample = head[len(bom) :].decode(codec, "ignore")
            break
    else:
        sample = head.decode("utf-8", "ignore")
    sample = sample.lstrip()
    if sample.startswith("<?xml"):
        return "xml"  # XHTML included: the XML loader applies HTML rules to an <html> root
    if re.match(r"<!doctype\s+html", sample, re.IGNORECASE):
        return "html"
    m = _FIRST_TAG.match(sample)
    if m is None:
        return "txt"
    return "html" if m.group(1).lower() in _HTML_ROOTS else "xml"


def detect_format(path: str | os.PathLike[str], data: bytes) -> str:
    """The format of a document: by its suffix first, then by sniffing `data`."""
    suffix = PurePath(os.fspath(path)).suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    return _sniff(data)


def _load_txt(data: bytes, path: str, limits: Limits) -> Extracted:
    from docdiff.loaders._text import decode_text

    text, encoding = decode_text(data, path, "txt")
    return Extracted(text, meta={"encoding": encoding})


def _load_md(data: bytes, path: str, limits: Limits) -> Extracted:
    from docdiff.loaders._text import decode_text

    text, encoding = decode_text(data, path, "md")
    return Extracted(text, meta={"encoding": encoding})


def _load_html(data: bytes, path: str, limits: Limits) -> Extracted:
    from docdiff.loaders._markup import load_html

    return load_html(data, path, limits)


def _load_xml(data: bytes, path: str, limits: Limits) -> Extracted:
    from docdiff.loaders._markup import load_xml

    return load_xml(data, path, limits)


def _load_docx(data: bytes, path: str, limits: Limits) -> Extracted:
    from docdiff.loaders._office import load_docx

    return load_docx(data, path, limits)


def _load_odt(data: bytes, path: str, limits: Limits) -> Extracted:
    from docdiff.loaders._office import load_odt

    return load_odt(data, path, limits)


def _load_pdf(data: bytes, path: str, limits: Limits) -> Extracted:
    from docdiff.loaders._pdf import load_pdf

    return load_pdf(data, path, limits)


_LOADERS: dict[str, Callable[[bytes, str, Limits], Extracted]] = {
    "txt": _load_txt,
    "md": _load_md,
    "html": _load_html,
    "xml": _load_xml,
    "docx": _load_docx,
    "odt": _load_odt,
    "pdf": _load_pdf,
}


def one_line(text: str) -> str:
    """`text` on one printable line: parser messages and archive member names can hold newlines
    and control characters, and a message must stay one line (and never drive a terminal)."""
    if text.isprintable():
        return text
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def _path_string(path: str | os.PathLike[str]) -> str:
    text = os.fspath(path)
    return text.replace(os.sep, "/") if os.sep != "/" else text


def load_bytes(
    data: bytes,
    *,
    path: str,
    format: str | None = None,
    doc_id: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Document:
    """Build a Document from a file's bytes; `path` names it in messages and in `Document.path`.

    `limits` bound what the loader may expand, count and nest (`docdiff.loaders.Limits`); a
    document over a limit raises `LimitError`, a kind of `InputError`.
    """
    fmt = _normalise_format(format, path) if format else detect_format(path, data)
    # Empty input is an empty document, not an error: the engine handles it.
    try:
        extracted = _LOADERS[fmt](data, path, limits) if data else Extracted("")
    except InputError as exc:
        problem = one_line(exc.problem)
        if problem == exc.problem:
            raise
        raise type(exc)(exc.path, problem) from None
    return Document(
        id=path if doc_id is None else doc_id,
        path=path,
        format=fmt,
        text=extracted.text,
        offsets=extracted.offsets,
        meta=extracted.meta,
        pages=extracted.pages,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def load_text(
    text: str,
    *,
    doc_id: str,
    path: str = "",
    format: str = "txt",
    limits: Limits = DEFAULT_LIMITS,
) -> Document:
    """Build a Document from text already in memory (an editor buffer, say)."""
    where = path or doc_id
    fmt = _normalise_format(format, where)
    if fmt in ("txt", "md"):
        extracted = Extracted(text)
    elif fmt == "html":
        from docdiff.loaders._markup import extract_html

        extracted = extract_html(text, where, limits)
    elif fmt == "xml":
        from docdiff.loaders._markup import extract_xml

        extracted = extract_xml(text, where, limits)
    else:
        raise InputError(where, f"{fmt} is a binary format; load it from its bytes, not from text")
    return Document(
        id=doc_id,
        path=path,
        format=fmt,
        text=extracted.text,
        offsets=extracted.offsets,
        meta=extracted.meta,
        pages=extracted.pages,
        sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
    )


def _too_large(path: str, size: int, max_bytes: int) -> InputError:
    return InputError(path, f"file is too large ({_size(size)}; limit {_size(max_bytes)})")


def _read_stdin(max_bytes: int) -> bytes:
    stream = getattr(sys.stdin, "buffer", None)  # None when the process has no stdin
    if stream is None:
        raise InputError("-", "standard input is not available in this process")
    data: bytes = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError("-", f"standard input is too large (over {_size(max_bytes)})")
    return data


_SPECIAL_KINDS = (
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def special_kind(mode: int) -> str | None:
    """What a non-regular, non-folder file is ("a FIFO (named pipe)", "a socket", ...), or None."""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    for test, name in _SPECIAL_KINDS:
        if test(mode):
            return name
    return None


def read_file(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A document file's bytes, read as `load` reads them: at most `max_bytes`, devices and
    sockets refused, a FIFO never blocking; InputError (one line) otherwise."""
    name = os.fspath(path)
    return _read_file(name, name, max_bytes)


def _read_file(fs_path: str, path: str, max_bytes: int) -> bytes:
    """Read at most `max_bytes` (+1 to notice more) from a regular file or a pipe.

    Devices and sockets are refused without opening them. A FIFO named directly is opened
    without blocking (``O_NONBLOCK``), so a pipe nobody writes to reads as empty instead of
    hanging; a pipe with a writer (``<(command)`` in a shell) is read to its end.
    """
    try:
        info = Path(fs_path).stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputError(path, "is a folder, not a file (give its files, or scan the folder)")
        kind = special_kind(info.st_mode)
        if kind is not None and not stat.S_ISFIFO(info.st_mode):
            raise InputError(path, f"is {kind}, not a file")
        if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
            raise _too_large(path, info.st_size, max_bytes)
        if stat.S_ISFIFO(info.st_mode):
            data = _read_fifo(fs_path, max_bytes)
        else:
            with open(fs_path, "rb") as f:  # noqa: PTH123  # any str the user typed
                data = f.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except NotADirectoryError:
        raise InputError(path, "no such file (a parent in the path is not a folder)") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as exc:
        raise InputError(path, f"cannot read the file ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise InputError(path, f"file is too large (more than the limit of {_size(max_bytes)})")
    return data


def _read_fifo(fs_path: str, max_bytes: int) -> bytes:
    fd = os.open(fs_path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        os.set_blocking(fd, True)  # a writer, if any, is connected: wait for its data
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def load(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    doc_id: str | None = None,
    max_bytes: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Document:
    """Load one document from a file, or from stdin when `path` is "-".

    `max_bytes` (default `limits.max_bytes`) caps the bytes read; `limits` bound the loader.
    """
    name = _path_string(path)
    cap = limits.max_bytes if max_bytes is None else max_bytes
    # Stdin has no suffix, so its format is sniffed from the content.
    data = _read_stdin(cap) if name == "-" else _read_file(os.fspath(path), name, cap)
    return load_bytes(data, path=name, format=format, doc_id=doc_id, limits=limits)
