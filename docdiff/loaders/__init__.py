"""Document loaders: txt, md, HTML, XML/TEI, DOCX, ODT and PDF into `docdiff.model.Document`.

Every failure raises `docdiff.errors.InputError(path, problem)`; a document over one of the
`Limits` (expanded size, element count, nesting, zip bombs) raises its subclass `LimitError`,
checked while reading. A document read with a caveat (a few bad UTF-8 bytes replaced) and a
corpus entry skipped (a FIFO, a device, a symlink loop) give a one-line
`docdiff.errors.LoaderWarning` through `warnings`. lxml and pypdf are imported only when a
document needs them, so importing this package stays cheap.
"""

from __future__ import annotations

from docdiff.loaders import globs
from docdiff.loaders._api import (
    DEFAULT_MAX_BYTES,
    SUPPORTED_FORMATS,
    detect_format,
    load,
    load_bytes,
    load_text,
    read_file,
    special_kind,
)
from docdiff.loaders._corpus import iter_corpus
from docdiff.loaders._limits import DEFAULT_LIMITS, Limits
from docdiff.loaders._text import binary_kind

__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_FORMATS",
    "Limits",
    "binary_kind",
    "detect_format",
    "globs",
    "iter_corpus",
    "load",
    "load_bytes",
    "load_text",
    "read_file",
    "special_kind",
]
