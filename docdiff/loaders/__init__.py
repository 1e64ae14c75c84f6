"""Document loaders: txt, md, HTML, XML/TEI, DOCX, ODT and PDF into `docdiff.model.Document`.

Every failure raises `docdiff.errors.InputError(path, problem)`. lxml and pypdf are imported only
when a document needs them, so importing this package stays cheap.
"""

from __future__ import annotations

from docdiff.loaders._api import (
    DEFAULT_MAX_BYTES,
    SUPPORTED_FORMATS,
    detect_format,
    load,
    load_bytes,
    load_text,
)
from docdiff.loaders._corpus import iter_corpus

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_FORMATS",
    "detect_format",
    "iter_corpus",
    "load",
    "load_bytes",
    "load_text",
]
