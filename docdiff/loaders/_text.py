"""Decoding bytes to text: BOMs, UTF-8 (with a few bad bytes replaced), cp1252; binary refused.

A file that is UTF-8 except for a few bad byte sequences is decoded as UTF-8 with U+FFFD in their
place and a one-line `LoaderWarning`; cp1252 is chosen only when the bad sequences are at least
as many as the valid multi-byte ones (a genuine cp1252 file has almost no valid UTF-8 multi-byte
sequence, so its accented letters all count as bad).
"""

from __future__ import annotations

import codecs
import warnings

from docdiff.errors import InputError, LoaderWarning

__all__ = ["binary_kind", "decode_text", "refuse_binary"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Magic numbers of common binary formats, with a name a person recognises.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x7fELF", "an ELF executable"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office (OLE2) document"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"{\\rtf", "an RTF document"),
    (b"\xca\xfe\xba\xbe", "a Java class or Mach-O binary"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O binary"),
    (b"\x00asm", "a WebAssembly module"),
)

# C0 controls other than tab, LF, VT, FF, CR and ESC, plus DEL.
_CONTROL = bytes([*range(0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_SAMPLE = 1 << 16
_MAX_CONTROL_SHARE = 0.05


def binary_kind(data: bytes) -> str | None:
    """The name of the binary format `data` starts with, or None."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    return None


def refuse_binary(data: bytes, path: str, fmt: str) -> None:
    """Raise InputError when `data` is recognisably not text (magic number, NULs, control bytes)."""
    kind = binary_kind(data)
    if kind is not None:
        raise InputError(path, f"binary file ({kind}), cannot be read as {fmt}")


def _bom(data: bytes) -> tuple[str, int] | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def _bomless_utf16(data: bytes) -> str | None:
    # Mostly-ASCII UTF-16 without a BOM: one byte of every pair is NUL, the other almost never.
    sample = data[: _SAMPLE & ~1]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.9 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.9 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _control_share(text: str) -> float:
    sample = text[:_SAMPLE].encode("utf-8", "surrogatepass")
    if not sample:
        return 0.0
    return (len(sample) - len(sample.translate(None, _CONTROL))) / len(sample)


def decode_text(
    data: bytes, path: str, fmt: str = "txt", declared: str | None = None
) -> tuple[str, str]:
    """Decode `data` (BOM, then `declared`, then strict UTF-8, then cp1252): (text, encoding).

    Only the BOM is removed; the text is otherwise exactly the file's content.
    """
    refuse_binary(data, path, fmt)
    bom = _bom(data)
    if bom is not None:
        encoding, skip = bom
        try:
            text = data[skip:].decode(encoding)
        except UnicodeDecodeError as exc:
            if encoding == "utf-8":
                replaced = _mostly_utf8(data[skip:], path, skip)
                if replaced is not None:
                    _refuse_controls(replaced, path, fmt)
                    return replaced, encoding
            raise InputError(
                path,
                f"cannot decode {encoding.upper()} text (bad bytes at offset {exc.start + skip})",
            ) from None
        _refuse_controls(text, path, fmt)
        return text, encoding
    if b"\x00" in data:
        encoding16 = _bomless_utf16(data)
        if encoding16 is not None:
            try:
                text = data.decode(encoding16)
            except UnicodeDecodeError:
                pass
            else:
                _refuse_controls(text, path, fmt)
                return text, encoding16
        raise InputError(path, f"binary file (contains NUL bytes), cannot be read as {fmt}")
    if declared:
        as_declared = _try(data, declared)
        if as_declared is not None:
            _refuse_controls(as_declared, path, fmt)
            return as_declared, declared
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        replaced = _mostly_utf8(data, path, 0)
        if replaced is not None:
            _refuse_controls(replaced, path, fmt)
            return replaced, "utf-8"
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError as exc:
            u, c = utf8_error.start, exc.start
            where = (
                f"byte 0x{data[c]:02x} at offset {c} is invalid in both UTF-8 and cp1252"
                if u == c
                else f"not UTF-8 (byte 0x{data[u]:02x} at offset {u}) and not cp1252 "
                f"(byte 0x{data[c]:02x} at offset {c})"
            )
            raise InputError(
                path, f"cannot decode text: {where}; convert the file to UTF-8"
            ) from None
    _refuse_controls(text, path, fmt)
    return text, encoding


def _mostly_utf8(data: bytes, path: str, skip: int) -> str | None:
    """`data` as UTF-8 with bad sequences replaced, when they are fewer than the valid
    multi-byte ones (with a `LoaderWarning` saying how many); None when it is not UTF-8."""
    text = data.decode("utf-8", "replace")
    genuine = data.count(b"\xef\xbf\xbd")  # U+FFFD already in the file
    bad = text.count("\ufffd") - genuine
    valid = len(text) - len(text.encode("ascii", "ignore")) - bad - genuine
    if valid <= 0 or bad > valid:
        return None
    first = skip
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first += exc.start
    plural = "s" if bad > 1 else ""
    warnings.warn(
        LoaderWarning(
            path,
            f"not valid UTF-8: {bad} bad byte sequence{plural} (first at byte {first}) "
            "replaced with U+FFFD",
        ),
        stacklevel=4,
    )
    return text


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _refuse_controls(text: str, path: str, fmt: str) -> None:
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise InputError(
            path, f"binary file (too many control characters), cannot be read as {fmt}"
        )
