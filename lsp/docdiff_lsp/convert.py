"""The one converter between engine types and LSP types.

Engine offsets are code-point offsets into `Document.text`. The editor speaks (line, column)
in the negotiated position encoding (UTF-16 for VS Code, UTF-8 for Neovim 0.11, UTF-32 for
Emacs 29). `LineIndex` splits lines on ``\\r\\n``, ``\\r`` and ``\\n`` only, as LSP does:
pygls's `TextDocument.lines` uses `str.splitlines`, which also breaks on form feed and
U+2028 and so drifts on text extracted from PDFs.
"""

from __future__ import annotations

import bisect
import difflib
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlparse

from lsprotocol import types

from docdiff.corpus.metadata import date_of
from docdiff.model import Document, Kind, Match, PairResult, Span

__all__ = [
    "Encoding",
    "LineIndex",
    "apply_change",
    "code_lens_title",
    "code_lenses",
    "diagnostic",
    "encoding_of",
    "hover_markdown",
    "inlay_hint",
    "path_to_uri",
    "severity_of",
    "span_to_range",
    "uri_to_path",
    "word_diff_markdown",
]

Encoding = Literal["utf-8", "utf-16", "utf-32"]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")

SEVERITIES: Mapping[str, types.DiagnosticSeverity] = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}


def encoding_of(negotiated: object) -> Encoding:
    """The position encoding pygls negotiated, as one of our three names (UTF-16 by default)."""
    value = str(getattr(negotiated, "value", negotiated) or "utf-16").lower()
    if value in {"utf-8", "utf-32"}:
        return value  # type: ignore[return-value]
    return "utf-16"


def _units(text: str, encoding: Encoding) -> int:
    """How many code units of `encoding` the string `text` takes."""
    if encoding == "utf-32":
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _char_units(ch: str, encoding: Encoding) -> int:
    code = ord(ch)
    if encoding == "utf-32":
        return 1
    if encoding == "utf-16":
        return 2 if code > 0xFFFF else 1
    if code < 0x80:
        return 1
    if code < 0x800:
        return 2
    return 3 if code < 0x10000 else 4


class LineIndex:
    """Line starts of one text version, and conversions between offsets and positions."""

    __slots__ = ("_ascii", "starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = [0, *(m.end() for m in _LINE_BREAK.finditer(text))]
        self._ascii = text.isascii()

    def line_end(self, line: int) -> int:
        """Offset of the end of `line`'s content (before its line break)."""
        if line + 1 < len(self.starts):
            end = self.starts[line + 1] - 1
            if end > self.starts[line] and self.text[end] == "\n" and self.text[end - 1] == "\r":
                end -= 1
            return end
        return len(self.text)

    def position(self, offset: int, encoding: Encoding) -> types.Position:
        """The LSP position of code-point `offset`, columns in `encoding` units."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        # An offset inside a \r\n pair belongs to the end of the line.
        start = self.starts[line]
        end = self.line_end(line)
        offset = min(offset, end)
        if self._ascii:
            return types.Position(line=line, character=offset - start)
        return types.Position(line=line, character=_units(self.text[start:offset], encoding))

    def offset(self, position: types.Position, encoding: Encoding) -> int:
        """The code-point offset of an LSP position (clamped to the line and the text)."""
        if position.line < 0:
            return 0
        if position.line >= len(self.starts):
            return len(self.text)
        start = self.starts[position.line]
        end = self.line_end(position.line)
        if self._ascii or encoding == "utf-32":
            return min(start + max(0, position.character), end)
        units = 0
        i = start
        while i < end and units < position.character:
            units += _char_units(self.text[i], encoding)
            i += 1
        return i

    def range(self, span: Span, encoding: Encoding) -> types.Range:
        """The LSP range of a code-point span."""
        return types.Range(
            start=self.position(span.start, encoding), end=self.position(span.end, encoding)
        )


def span_to_range(index: LineIndex, span: Span, encoding: Encoding) -> types.Range:
    """The LSP range of `span` in the text `index` was built from."""
    return index.range(span, encoding)


def apply_change(
    text: str, index: LineIndex, change: types.TextDocumentContentChangeEvent, encoding: Encoding
) -> str:
    """The text after one `didChange` content change (incremental or whole-document)."""
    if isinstance(change, types.TextDocumentContentChangePartial):
        start = index.offset(change.range.start, encoding)
        end = index.offset(change.range.end, encoding)
        return text[:start] + change.text + text[max(start, end) :]
    return change.text


def uri_to_path(uri: str) -> Path | None:
    """The file-system path of a ``file:`` URI, else None."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    return Path(unquote(parsed.path))


def path_to_uri(path: str | Path) -> str:
    """The ``file:`` URI of a path (made absolute)."""
    return Path(path).resolve().as_uri()


def severity_of(kind: Kind | str, severity: Mapping[str, str]) -> types.DiagnosticSeverity:
    """The diagnostic severity configured for `kind`."""
    return SEVERITIES.get(severity.get(str(kind), "information"), types.DiagnosticSeverity.Hint)


def source_name(doc: Document) -> str:
    """A short human name for a corpus document: its title when known, else its file name."""
    title = doc.meta.get("title") if doc.meta else None
    if title:
        return title
    return Path(doc.path).name if doc.path else doc.id


def diagnostic(
    match: Match,
    rng: types.Range,
    *,
    source: Document,
    related: Sequence[types.DiagnosticRelatedInformation],
    severity: types.DiagnosticSeverity,
    data: Mapping[str, Any],
    others: int = 0,
) -> types.Diagnostic:
    """One diagnostic for one reused passage; the message names score and source."""
    more = f" (+{others} more)" if others else ""
    return types.Diagnostic(
        range=rng,
        message=f"{match.kind.value} {match.score:.0f}% from {source_name(source)}{more}",
        severity=severity,
        code=match.kind.value,
        source="docdiff",
        related_information=list(related) or None,
        data=dict(data),
    )


def related_information(
    location: types.Location, match: Match, source: Document
) -> types.DiagnosticRelatedInformation:
    """A link to one source location of a reused passage."""
    return types.DiagnosticRelatedInformation(
        location=location,
        message=f"{match.kind.value} {match.score:.0f}% in {source_name(source)}",
    )


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>~|#])")


def _md(text: str) -> str:
    """Markdown-escaped, whitespace-collapsed text."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def word_diff_markdown(here: str, source: str, *, max_words: int = 120) -> str:
    """A word diff of two passages: ~~only here~~ and **only in the source**."""
    a, b = here.split()[:max_words], source.split()[:max_words]
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=[w.casefold() for w in a], b=[w.casefold() for w in b])
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(_md(" ".join(b[j1:j2])))
            continue
        if i2 > i1:
            parts.append(f"~~{_md(' '.join(a[i1:i2]))}~~")
        if j2 > j1:
            parts.append(f"**{_md(' '.join(b[j1:j2]))}**")
    if len(here.split()) > max_words or len(source.split()) > max_words:
        parts.append("…")
    return " ".join(parts)


def hover_markdown(
    entries: Iterable[tuple[Match, Document, Document]],
) -> str:
    """Hover text: each source with its score, kind, date when known and a word diff."""
    blocks: list[str] = []
    for match, doc, source in entries:
        date = date_of(source.meta) if source.meta else None
        head = f"`{source_name(source)}` — {match.kind.value}, score {match.score:.0f}"
        if date:
            head += f", {_md(date)}"
        if match.formula:
            head += f"  \nformula: `{match.formula}`"
        diff = word_diff_markdown(doc.slice(match.a.span), source.slice(match.b.span))
        blocks.append(f"{head}\n\n{diff}")
    return "\n\n---\n\n".join(blocks)


def code_lens_title(pairs: Sequence[tuple[PairResult, Document]], limit: int = 3) -> str:
    """The first-line lens: the most similar documents with their similarities."""
    if not pairs:
        return "docdiff: no similar document in the corpus"
    best, best_doc = pairs[0]
    count = f"{len(pairs)} similar documents" if len(pairs) > 1 else "1 similar document"
    # Kept short: editors cut a long lens off; the per-source lenses follow it.
    return (
        f"docdiff: {count} · best {source_name(best_doc)} {best.summary.similarity:.0f}% "
        f"(distinctive {best.summary.distinctive_similarity:.0f}%)"
    )


def code_lenses(
    uri: str, sources: Sequence[tuple[PairResult, Document]], limit: int = 3
) -> list[types.CodeLens]:
    """First-line lenses: a summary (opens the corpus report), then one per top source."""
    top = types.Range(start=types.Position(0, 0), end=types.Position(0, 0))
    lenses = [
        types.CodeLens(
            range=top,
            command=types.Command(
                title=code_lens_title(sources, limit), command="docdiff.showReport", arguments=[uri]
            ),
        )
    ]
    for pair, doc in sources[:limit]:
        s = pair.summary
        title = (
            f"{source_name(doc)}: {s.similarity:.0f}% (distinctive {s.distinctive_similarity:.0f}%)"
        )
        lenses.append(
            types.CodeLens(
                range=top,
                command=types.Command(
                    title=title, command="docdiff.openComparison", arguments=[uri, doc.id]
                ),
            )
        )
    return lenses


def inlay_hint(match: Match, position: types.Position, others: int = 0) -> types.InlayHint:
    """A score hint at the end of a reused passage."""
    # The label stays short so it does not crowd the text; other sources go in the tooltip.
    more = f"; {others} more source{'s' if others != 1 else ''}" if others else ""
    return types.InlayHint(
        position=position,
        label=f"{match.kind.value} {match.score:.0f}%",
        kind=types.InlayHintKind.Parameter,
        padding_left=True,
        tooltip=f"docdiff: {match.kind.value}, score {match.score:.0f}{more}",
    )


def html_escape(text: str) -> str:
    """HTML-escaped text (used by the fallback report page)."""
    return html.escape(text, quote=True)
