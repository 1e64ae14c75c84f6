"""PDF through pypdf, keeping page numbers: `Extracted.pages` holds each page's text offset."""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from docdiff.errors import InputError, LoaderWarning
from docdiff.loaders._limits import DEFAULT_LIMITS, Budget, Limits
from docdiff.loaders._result import Extracted

__all__ = ["load_pdf"]

_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?")
MAX_PAGE_CONTENT = 8_000_000
"""A page whose decoded content stream is larger (bytes) is skipped with a warning: parsing it
would cost gigabytes of operator objects, and such pages are drawings, not prose."""


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence pypdf's warnings and log records: a messy PDF must not spoil the console."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def load_pdf(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> Extracted:
    """Extract the text of every page; pages are joined by a newline.

    Pages count against `Limits.max_elements` and their text against `Limits.max_text`.
    """
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    with _quiet():
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
        except Exception as exc:  # noqa: BLE001  # pypdf raises anything on a corrupt file
            raise InputError(path, f"corrupt PDF file ({_reason(exc)})") from None
        if reader.is_encrypted:
            try:
                # Many PDFs have an empty user password and only restrict printing or copying.
                unlocked = bool(reader.decrypt(""))
            except (DependencyError, NotImplementedError, FileNotDecryptedError, PdfReadError):
                unlocked = False
            if not unlocked:
                raise InputError(
                    path, "the PDF is encrypted (password-protected); decrypt it first"
                )
        budget = Budget(path, limits)
        skipped: list[tuple[int, int]] = []
        try:
            pages = []
            for number, page in enumerate(reader.pages, start=1):
                budget.spend_element(limits.max_elements, "PDF pages")
                text, size = _page_text(page)
                if size:
                    skipped.append((number, size))
                budget.spend_text(len(text) + 1)
                pages.append(text)
            meta = _meta(reader)
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001  # as above: corrupt streams fail in many ways
            raise InputError(path, f"corrupt PDF file ({_reason(exc)})") from None
    for number, size in skipped:
        warnings.warn(
            LoaderWarning(
                path,
                f"page {number} skipped: its content stream is {size / 1_000_000:.0f} MB "
                f"(limit {MAX_PAGE_CONTENT // 1_000_000} MB)",
            ),
            stacklevel=4,
        )
    starts: list[int] = []
    offset = 0
    for text in pages:
        starts.append(offset)
        offset += len(text) + 1
    meta["pages"] = str(len(pages))
    return Extracted("\n".join(pages), meta=meta, pages=tuple(starts))


def _page_text(page: Any) -> tuple[str, int]:
    """A page's text, or ("", size) for a page whose content stream is over the limit."""
    contents = page.get_contents()
    size = 0 if contents is None else len(contents.get_data())
    if size > MAX_PAGE_CONTENT:
        return "", size
    text: str = page.extract_text() or ""
    return text.strip("\n"), 0


def _meta(reader: Any) -> dict[str, str]:
    meta: dict[str, str] = {}
    info = reader.metadata
    if info is None:
        return meta
    for key, name in (("/Title", "title"), ("/Author", "author"), ("/CreationDate", "date")):
        value = info.get(key)
        if value:
            meta[name] = " ".join(str(value).split())
    if "date" in meta:
        meta["date"] = _iso_date(meta["date"])
    return meta


def _iso_date(value: str) -> str:
    """``D:20240304091500+01'00'`` -> ``2024-03-04``; anything else is kept as it is."""
    m = _PDF_DATE.match(value)
    if m is None:
        return value
    return "-".join(part for part in m.groups() if part)


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
