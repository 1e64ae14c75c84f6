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
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote, urlparse

from lsprotocol import types

from docdiff.corpus.metadata import date_of
from docdiff.model import Document, Kind, Match, Span

if TYPE_CHECKING:
    from .analysis import Counts, Passage, Use

ECHO = "echo"

__all__ = [
    "Encoding",
    "LineIndex",
    "apply_change",
    "code_lens_title",
    "code_lenses",
    "diagnostic",
    "diagnostic_message",
    "encoding_of",
    "hint_offset",
    "hover_text",
    "inlay_hint",
    "path_to_uri",
    "quoted",
    "severity_of",
    "side_by_side",
    "source_name",
    "span_to_range",
    "uri_to_path",
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


def quoted(text: str, limit: int = 60) -> str:
    """A passage quoted on one line, cut at a word boundary past `limit` characters."""
    words = " ".join(text.split())
    if len(words) > limit:
        words = words[:limit].rsplit(" ", 1)[0] + "…"
    return f"“{words}”"


def diagnostic_message(passage: Passage, text: str) -> str:
    """What a Problems row says: the passage quoted, what it is and where else it is.

    The kind itself is the diagnostic's code, so the message does not repeat it (except
    for a formula's family label). eglot ignores relatedInformation: the message names the
    source and the score.
    """
    best = passage.best
    sources = {u.source.id for u in passage.uses}
    more = len(sources) - 1
    where = source_name(best.source) + (f" and {more} more" if more else "")
    if passage.kind == ECHO:
        body = f"{quoted(text)} — common wording, also in {where}"
    elif passage.kind == Kind.FORMULA.value:
        body = f"{quoted(text)} — the “{passage.family}” formula, as in {where}"
    elif passage.kind == Kind.NAME.value:
        body = f"{quoted(text)} — name also in {where}"
    else:
        body = f"{quoted(text)} — {best.match.score:.0f}% like {where}"
    if passage.more:
        body += f" ({_count(passage.more, 'more like it')} in this document)"
    return body


def _count(n: int, what: str) -> str:
    return f"{n} {what}"


def diagnostic(
    passage: Passage,
    text: str,
    rng: types.Range,
    *,
    related: Sequence[types.DiagnosticRelatedInformation],
    data: Mapping[str, Any],
) -> types.Diagnostic:
    """One diagnostic for one reused passage, at the passage's level."""
    return types.Diagnostic(
        range=rng,
        message=diagnostic_message(passage, text),
        severity=SEVERITIES.get(passage.level, types.DiagnosticSeverity.Hint),
        code=passage.kind,
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


def _plain(text: str) -> str:
    return " ".join(text.split())


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def _bold(text: str) -> str:
    return f"**{text}**"


def _bracket(text: str) -> str:
    return f"[{text}]"


def side_by_side(
    here: str, source: str, *, markdown: bool = True, max_words: int = 80
) -> tuple[str, str]:
    """Both passages with the words found only on that side marked (**bold**, or [brackets]
    in plain text)."""
    a, b = here.split()[:max_words], source.split()[:max_words]
    out_a: list[str] = []
    out_b: list[str] = []
    esc = _md if markdown else _plain
    mark = _bold if markdown else _bracket
    matcher = difflib.SequenceMatcher(a=[w.casefold() for w in a], b=[w.casefold() for w in b])
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out_a.append(esc(" ".join(a[i1:i2])))
            out_b.append(esc(" ".join(b[j1:j2])))
            continue
        if i2 > i1:
            out_a.append(mark(esc(" ".join(a[i1:i2]))))
        if j2 > j1:
            out_b.append(mark(esc(" ".join(b[j1:j2]))))
    if len(here.split()) > max_words:
        out_a.append("…")
    if len(source.split()) > max_words:
        out_b.append("…")
    return " ".join(out_a), " ".join(out_b)


def _sources_line(names: Sequence[str]) -> str:
    if len(names) == 1:
        return names[0]
    return f"{len(names)} identical copies: {', '.join(names)}"


def hover_text(passage: Passage, doc: Document, *, markdown: bool = True, limit: int = 3) -> str:
    """The hover of a passage: what it is, then each group of identical sources with the
    source's wording — side by side with this letter's for paraphrase, with a legend.

    Formulae show their family label and the other letter's wording, never template syntax.
    """
    groups: dict[tuple[str, str], list[Use]] = {}
    for use in passage.uses:
        wording = " ".join(use.source.slice(use.match.b.span).split()).casefold()
        groups.setdefault((use.match.kind.value, wording), []).append(use)
    b = _bold if markdown else _plain
    esc = _md if markdown else _plain
    what = {
        ECHO: "echo — common wording of the genre, not reuse of one document",
        Kind.FORMULA.value: f"formula “{esc(passage.family)}” — the genre's fixed courtesy",
        Kind.NAME.value: "name — a name or title",
        Kind.PHRASING.value: "phrasing — the same wording as another letter",
        Kind.PARAPHRASE.value: "paraphrase — the same sentences reworded",
        Kind.QUOTATION.value: "quotation — the same words quoted",
    }.get(passage.kind, passage.kind)
    blocks = [b(what)]
    legend = False
    for (kind, _), uses in list(groups.items())[:limit]:
        first = uses[0]
        names = [_code(source_name(u.source)) if markdown else source_name(u.source) for u in uses]
        date = date_of(first.source.meta) if first.source.meta else None
        # The title already says the passage's kind: a source's line repeats it only when
        # that source shares the words another way (a name inside a reused passage).
        label = "" if kind == passage.kind else f"{kind}, "
        head = f"{_sources_line(names)} — {label}{first.match.score:.0f}%"
        if date:
            head += f", {esc(date)}"
        theirs = first.source.slice(first.match.b.span)
        mine = doc.slice(first.match.a.span)
        same = " ".join(mine.split()).casefold() == " ".join(theirs.split()).casefold()
        if same:
            blocks.append(f"{head}: same words")
            continue
        if kind == Kind.FORMULA.value or passage.kind == ECHO:
            blocks.append(f"{head}\n\nThere: {quoted(esc(theirs), 160)}")
            continue
        legend = True
        left, right = side_by_side(mine, theirs, markdown=markdown)
        if markdown:
            blocks.append(
                f"{head}\n\n| This letter | Source |\n| --- | --- |\n| {left} | {right} |"
            )
        else:
            blocks.append(f"{head}\n  This letter: {left}\n  Source:      {right}")
    rest = len(groups) - limit
    if rest > 0:
        blocks.append(f"and {rest} more source{'s' if rest != 1 else ''}")
    if legend:
        blocks.append(
            "**Bold**: words found only on that side."
            if markdown
            else "[Brackets]: words found only on that side."
        )
    return ("\n\n---\n\n" if markdown else "\n\n").join(blocks)


LENS_WIDTH = 80


def code_lens_title(counts: Counts, width: int = LENS_WIDTH) -> str:
    """The first-line lens: the status bar's headline, in at most `width` columns.

    Shorter words first ("reused", "formulae"), then without the "docdiff:" prefix, and only
    then a shorter document name; never other figures.
    """
    title = f"docdiff: {counts.headline()}"
    if len(title) > width:
        title = re.sub(r" reused passages?\b", " reused", title, count=1)
    if len(title) > width:
        title = title.replace(" formulae/names", " formulae").replace(" formula/name", " formula")
        title = re.sub(r" other hints?\b", lambda m: m.group(0).replace(" other", ""), title)
    if len(title) > width:
        title = title.removeprefix("docdiff: ")
    if len(title) > width and counts.best_name:
        name = counts.best_name
        keep = max(8, len(name) - (len(title) - width) - 1)
        title = title.replace(f": {name},", f": {name[:keep]}…,")
    return title[:width]


def code_lenses(uri: str, counts: Counts) -> list[types.CodeLens]:
    """One first-line lens: the headline; clicking it opens this letter's report."""
    top = types.Range(start=types.Position(0, 0), end=types.Position(0, 0))
    return [
        types.CodeLens(
            range=top,
            command=types.Command(
                title=code_lens_title(counts), command="docdiff.showReport", arguments=[uri]
            ),
        )
    ]


_SENTENCE_END = re.compile(r"[.!?;](?=[\s\"'”’)\]]|$)|\n\s*\n")
_OPEN, _CLOSE = "([{", ")]}"


def hint_offset(text: str, end: int) -> int:
    """Where an inlay hint for a passage ending at `end` goes: after the end of its sentence
    (or its line), and never inside brackets."""
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    m = _SENTENCE_END.search(text, end, line_end + 1)
    offset = m.start() + 1 if m and m.group(0)[0] in ".!?;" else line_end
    # Close the brackets open at that point (counted from the line's start).
    line_start = text.rfind("\n", 0, end) + 1
    depth = 0
    for ch in text[line_start:offset]:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
    while depth and offset < line_end:
        if text[offset] in _CLOSE:
            depth -= 1
        elif text[offset] in _OPEN:
            depth += 1
        offset += 1
    if offset < line_end and text[offset] in "\"'”’":
        offset += 1
    return offset


def inlay_hint(passage: Passage, position: types.Position) -> types.InlayHint:
    """A short hint after a reused passage's sentence: its kind and score."""
    best = passage.best
    label = passage.kind if passage.kind == ECHO else f"{passage.kind} {best.match.score:.0f}%"
    others = len({u.source.id for u in passage.uses}) - 1
    more = f"; {others} more source{'s' if others != 1 else ''}" if others else ""
    return types.InlayHint(
        position=position,
        label=label,
        kind=types.InlayHintKind.Parameter,
        padding_left=True,
        tooltip=f"docdiff: {label} from {source_name(best.source)}{more}",
    )


def html_escape(text: str) -> str:
    """HTML-escaped text (used by the fallback report page)."""
    return html.escape(text, quote=True)
