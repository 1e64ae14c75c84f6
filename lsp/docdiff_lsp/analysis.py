"""One analysis of an editor buffer against the corpus, grouped into reused passages.

Everything here is pure engine-side work (it runs in an executor thread): build the buffer's
`Document`, query the corpus, drop what the user ignored, and group matches whose spans in
the buffer overlap into one passage with every source it was found in.
"""

from __future__ import annotations

import bisect
import functools
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from docdiff.errors import DocdiffError
from docdiff.model import Document, Kind, Match, PairResult, Report, Span
from docdiff.project import Project

from .confine import regular_file
from .convert import LineIndex, source_name

if TYPE_CHECKING:
    from .settings import Settings

__all__ = [
    "ECHO",
    "Analysis",
    "Counts",
    "Ignores",
    "Passage",
    "Policy",
    "SourceLines",
    "Use",
    "buffer_document",
    "counts_of",
    "family_label",
    "format_of",
    "group_passages",
    "normalise",
    "pair_echoes",
    "policy_for",
    "readable_template",
    "short_name",
]

# File suffixes and editor language ids the server reads, by docdiff format name.
_SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html"}
_SUFFIXES |= {".htm": "html", ".xhtml": "html", ".xml": "xml", ".tei": "xml"}
_LANGUAGES = {"plaintext": "txt", "text": "txt", "markdown": "md", "html": "html", "xml": "xml"}


def format_of(path: Path | None, language_id: str | None) -> str | None:
    """The docdiff format of an editor buffer, or None when the server cannot read it."""
    if path is not None and path.suffix.lower() in _SUFFIXES:
        return _SUFFIXES[path.suffix.lower()]
    if language_id and language_id.lower() in _LANGUAGES:
        return _LANGUAGES[language_id.lower()]
    if path is not None and not path.suffix:
        return "txt"
    return None


def buffer_document(text: str, *, doc_id: str, path: str, format: str) -> Document:
    """The unsaved buffer as a Document (txt/md: the text unchanged; markup via the loaders)."""
    if format in {"txt", "md"}:
        return Document(id=doc_id, path=path, format=format, text=text)
    from docdiff.loaders import load_text

    return load_text(text, doc_id=doc_id, path=path, format=format)


def normalise(text: str) -> str:
    """A passage's text for ignore lists: whitespace collapsed, case folded."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True, slots=True)
class Ignores:
    """What the user told the server to leave out or relabel, and the project file's kinds.

    Kept in the workspace's ``.docdiff.toml`` (see `docdiff.project`), so the CLI honours it too.
    """

    sources: frozenset[str] = frozenset()
    formulae: frozenset[str] = frozenset()
    """Formula family labels (or templates, as older versions saved them)."""
    quotations: frozenset[str] = frozenset()
    severity: Mapping[str, str] = field(default_factory=dict)
    """Kind -> level from the project file; it wins over the editor's settings."""
    project: Project = field(default_factory=Project)


@dataclass(frozen=True, slots=True)
class Policy:
    """How loud each passage is: severity per kind, echoes, and the cap per reuse family."""

    severity: Mapping[str, str] = field(default_factory=dict)
    """Kind (formula, name, phrasing, paraphrase, quotation, echo) -> error/warning/
    information/hint/off."""
    max_per_family: int = 2
    """Marks shown per reuse family in one document; 0 shows every one."""
    echo_words: int = 0
    """Phrasing and quotation passages sharing fewer words are echoes too (0: only the
    engine's echoes, phrases shorter than `passageWords`)."""
    families: Mapping[str, str] = field(default_factory=dict)
    """Formula template -> family label."""

    def level(self, kind: str) -> str:
        """The severity name of a display kind (hint for kinds nobody configured)."""
        return self.severity.get(kind, "hint" if kind in HINT_KINDS else "information")


ECHO = "echo"
HINT_KINDS = frozenset({Kind.FORMULA.value, Kind.NAME.value, ECHO})
"""Kinds that are hints by default: what every letter of the genre shares."""


def policy_for(settings: Settings, ignores: Ignores | None = None) -> Policy:
    """The display policy of the server's settings (the project file's kinds win)."""
    severity = {**settings.severity, **(ignores.severity if ignores else {})}
    return Policy(
        severity=severity,
        max_per_family=settings.max_per_family,
        echo_words=settings.echo_words,
        families=formula_families(settings.options.formulae),
    )


@functools.cache
def formula_families(extra_lexicon: str | None) -> Mapping[str, str]:
    """Formula template -> family label, for the built-in lexicon plus an extra file."""
    from docdiff.engine.prepare import load_lexicon
    from docdiff.options import Options

    try:
        lexicon = load_lexicon(Options(formulae=extra_lexicon))
    except (DocdiffError, OSError):
        return {}
    return lexicon.families()


def pair_echoes(pair: PairResult) -> tuple[Match, ...]:
    """The short shared phrases the engine reports beside a pair's passages (shown as hints):
    the one place the server reads `PairResult.echoes`."""
    return pair.echoes


@dataclass(frozen=True, slots=True)
class Use:
    """One source of a reused passage."""

    match: Match
    source: Document
    pair: PairResult
    echo: bool = False
    """An echo: a short phrase common in the genre, not reuse of this source."""


@dataclass(frozen=True, slots=True)
class Passage:
    """A reused stretch of the buffer and every source it was found in (best first)."""

    span: Span
    uses: tuple[Use, ...]
    kind: str = ""
    """What the passage is shown as: an engine kind, or "echo"."""
    level: str = "information"
    family: str = ""
    """The reuse family: a formula's family label, else the passage's normalised words."""
    more: int = 0
    """Further passages of the same family in the document, not shown (the cap)."""

    @property
    def best(self) -> Use:
        """The highest-scoring source."""
        return self.uses[0]

    @property
    def label(self) -> str:
        """The formula family label, when the passage is a formula."""
        return self.family if self.kind == Kind.FORMULA.value else ""


@dataclass(frozen=True, slots=True)
class Counts:
    """The figures every view shows (Problems, status bar, code lens, report)."""

    reused: int = 0
    """Passages shown at information level or above."""
    echoes: int = 0
    """Echoes shown (as hints)."""
    formulae: int = 0
    """Formula and name passages shown as hints (their default)."""
    best_name: str = ""
    best_similarity: int = 0
    """The most similar document's rounded similarity (no name when it rounds to 0)."""
    other_hints: int = 0
    """Passages of other kinds a setting turned into hints."""

    def headline(self) -> str:
        """One line, e.g. "3 reused passages, 2 echoes · most similar: X, 5 %"."""
        parts = [_plural(self.reused, "reused passage")]
        if self.echoes:
            parts.append(_plural(self.echoes, "echo", "echoes"))
        if self.formulae:
            parts.append(_plural(self.formulae, "formula/name", "formulae/names"))
        if self.other_hints:
            parts.append(_plural(self.other_hints, "other hint"))
        text = ", ".join(parts)
        if self.best_name:
            text += f" · most similar: {self.best_name}, {self.best_similarity} %"
        return text

    def to_json(self) -> dict[str, object]:
        """What the status notification and report commands carry."""
        return {
            "reused": self.reused,
            "echoes": self.echoes,
            "formulae": self.formulae,
            "otherHints": self.other_hints,
            "mostSimilar": self.best_name or None,
            "similarity": self.best_similarity if self.best_name else None,
            "headline": self.headline(),
        }


def _stem(name: str) -> str:
    """A file name without its text suffix (the headline has little room)."""
    stem, dot, suffix = name.rpartition(".")
    return stem if dot and stem and suffix.lower() in {"txt", "md", "html", "htm", "xml"} else name


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def short_name(doc: Document) -> str:
    """A short human name for a document: its title when known, else its file name."""
    return source_name(doc)


@dataclass(slots=True)
class Analysis:
    """The buffer, its query report and its passages, for one document version."""

    uri: str
    version: int | None
    text: str
    doc: Document
    report: Report
    passages: tuple[Passage, ...]
    sources: tuple[tuple[PairResult, Document], ...]
    lines: LineIndex = field(init=False)
    _starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = LineIndex(self.text)
        self._starts = [p.span.start for p in self.passages]

    def buffer_span(self, span: Span) -> Span:
        """A span of `doc.text` as a span of the buffer (they differ for HTML and XML)."""
        return self.doc.offsets.span_to_source(span)

    def text_offset(self, buffer_offset: int) -> int:
        """The `doc.text` offset nearest a buffer offset."""
        offsets = self.doc.offsets
        if offsets.is_identity:
            return buffer_offset
        i = bisect.bisect_right(offsets.source_starts, buffer_offset) - 1
        if i < 0:
            return 0
        return offsets.text_starts[i] + (buffer_offset - offsets.source_starts[i])

    def passages_at(self, buffer_offset: int) -> list[Passage]:
        """The passages covering a buffer offset (end inclusive, so a cursor just after works)."""
        offset = self.text_offset(buffer_offset)
        i = bisect.bisect_right(self._starts, offset)
        return [p for p in self.passages[:i] if p.span.start <= offset <= p.span.end]

    def passages_in(self, start: int, end: int) -> list[Passage]:
        """The passages overlapping the buffer range [start, end]."""
        a, b = self.text_offset(start), self.text_offset(end)
        return [p for p in self.passages if p.span.start <= b and a <= p.span.end]

    @property
    def similar(self) -> tuple[tuple[PairResult, Document], ...]:
        """The sources whose similarity rounds to at least 1 %, most similar first."""
        similar = [(p, d) for p, d in self.sources if round(p.summary.similarity) >= 1]
        return tuple(sorted(similar, key=lambda item: -item[0].summary.similarity))

    @property
    def similarity(self) -> float | None:
        """The best document similarity, or None without any similar document."""
        similar = self.similar
        return similar[0][0].summary.similarity if similar else None

    @property
    def counts(self) -> Counts:
        """The one set of numbers every view shows."""
        return counts_of(self.passages, self.similar)


def counts_of(
    passages: Sequence[Passage], similar: Sequence[tuple[PairResult, Document]]
) -> Counts:
    """Counts of the passages shown, and the most similar document (similarity ≥ 1 %)."""
    reused = sum(1 for p in passages if p.level in {"error", "warning", "information"})
    echoes = sum(1 for p in passages if p.level == "hint" and p.kind == ECHO)
    names = {Kind.FORMULA.value, Kind.NAME.value}
    hints = [p for p in passages if p.level == "hint" and p.kind != ECHO]
    best = similar[0] if similar else None
    return Counts(
        reused=reused,
        echoes=echoes,
        formulae=sum(1 for p in hints if p.kind in names),
        other_hints=sum(1 for p in hints if p.kind not in names),
        best_name=_stem(short_name(best[1])) if best else "",
        best_similarity=round(best[0].summary.similarity) if best else 0,
    )


def _ignored_source(source: Document, ignores: Ignores) -> bool:
    """Whether the user ignored a source, by index id or by path."""
    if not ignores.sources:
        return False
    if source.id in ignores.sources:
        return True
    return bool(source.path) and (
        source.path in ignores.sources or str(Path(source.path).resolve()) in ignores.sources
    )


def _relabel(
    match: Match, text: str, ignores: Ignores, families: Mapping[str, str]
) -> Match | None:
    if match.formula and (
        match.formula in ignores.formulae or families.get(match.formula) in ignores.formulae
    ):
        return None
    if match.kind is Kind.FORMULA and normalise(text) in ignores.formulae:
        return None
    if normalise(text) in ignores.quotations and match.kind is not Kind.QUOTATION:
        return replace(match, kind=Kind.QUOTATION, reason="marked as a quotation in the editor")
    return match


def _is_echo(match: Match, policy: Policy) -> bool:
    return match.kind in {Kind.PHRASING, Kind.QUOTATION} and match.words < policy.echo_words


def family_label(template: str, families: Mapping[str, str]) -> str:
    """A formula's family label (``honour``), never its template syntax."""
    label = families.get(template)
    if label and label != template:
        return label
    return readable_template(template)


_CHOICE = re.compile(r"\(([^()|]*)(?:\|[^()]*)?\)")
_OPTIONAL = re.compile(r"\[[^\[\]]*\]")
_SLOT = re.compile(r"\{[^{}]*\}")


def readable_template(template: str) -> str:
    """A template as plain words: first choices, no optional parts, slots as "…"."""
    text = _OPTIONAL.sub("", template)
    text = _CHOICE.sub(lambda m: m.group(1), text)
    text = _SLOT.sub("…", text)
    return " ".join(text.split())


_GENRE = frozenset({Kind.FORMULA, Kind.NAME})


def _ranked(members: Sequence[Use]) -> tuple[Use, ...]:
    """The uses of one passage, best first.

    The widest use (the most of the passage it covers) gives the kind: a paraphrase holding a
    name is the paraphrase, a closing formula holding a name the most similar letter shares is
    the formula. Reused wording (phrasing, paraphrase, quotation) then goes by score; wording
    the genre shares (formulae, names, echoes) is credited to the most similar document among
    the uses of the lead's kind, so the nearest letter is named.
    """
    ranked = sorted(members, key=lambda u: (u.echo, -u.match.score, -u.pair.summary.similarity))
    heard = [u for u in ranked if not u.echo] or ranked
    lead = min(heard, key=lambda u: (u.match.a.span.start - u.match.a.span.end, _genre(u)))
    if not _genre(lead):
        return tuple(sorted(ranked, key=lambda u: (u.echo, _genre(u))))
    return tuple(
        sorted(
            ranked,
            key=lambda u: (
                u.echo,
                (u.match.kind, u.match.formula) != (lead.match.kind, lead.match.formula),
                -u.pair.summary.similarity,
                -u.match.score,
            ),
        )
    )


def _genre(use: Use) -> bool:
    """Wording every letter of the genre may share: an echo, a formula or a name."""
    return use.echo or use.match.kind in _GENRE


def group_passages(
    doc: Document,
    report: Report,
    ignores: Ignores,
    kinds: frozenset[Kind],
    policy: Policy | None = None,
) -> tuple[tuple[Passage, ...], tuple[tuple[PairResult, Document], ...]]:
    """Matches (and echoes) grouped into passages, overlapping buffer spans merged, with their
    display kind and level; kinds turned off dropped; each reuse family capped. Also returns
    the ranked sources."""
    policy = policy or Policy()
    uses: list[Use] = []
    sources: list[tuple[PairResult, Document]] = []
    for pair in report.pairs:
        source = report.document(pair.b)
        if _ignored_source(source, ignores):
            continue
        sources.append((pair, source))
        found = [(m, False) for m in pair.matches] + [(m, True) for m in pair_echoes(pair)]
        for match, heard in found:
            kept = _relabel(match, doc.slice(match.a.span), ignores, policy.families)
            if kept is not None and kept.kind in kinds:
                # A short shared name is still a name (a hint too): "name" tells more.
                echo = (heard and kept.kind is not Kind.NAME) or _is_echo(kept, policy)
                uses.append(Use(kept, source, pair, echo))
    uses.sort(key=lambda u: (u.match.a.span.start, -u.match.a.span.end))
    groups: list[tuple[Span, list[Use]]] = []
    for use in uses:
        span = use.match.a.span
        if groups and span.start < groups[-1][0].end:
            groups[-1] = (groups[-1][0].union(span), [*groups[-1][1], use])
        else:
            groups.append((span, [use]))
    shown: list[Passage] = []
    per_family: dict[str, list[int]] = {}
    for span, members in groups:
        ranked = _ranked(members)
        best = ranked[0]
        kind = ECHO if best.echo else best.match.kind.value
        level = {**policy.severity, **ignores.severity}.get(kind) or policy.level(kind)
        if level == "off":
            continue
        if best.match.formula:
            family = family_label(best.match.formula, policy.families)
        else:
            family = normalise(doc.slice(span))
        positions = per_family.setdefault(f"{kind}:{family}", [])
        if policy.max_per_family and len(positions) >= policy.max_per_family:
            last = positions[-1]
            shown[last] = replace(shown[last], more=shown[last].more + 1)
            continue
        positions.append(len(shown))
        shown.append(Passage(span, ranked, kind, level, family))
    return tuple(shown), tuple(sources)


class SourceLines:
    """Line indexes of corpus documents as their files read, cached by id and content hash."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str, int], LineIndex] = {}
        self._lock = threading.Lock()

    def get(self, doc: Document) -> LineIndex:
        """The line index of `doc`'s source file (its text for txt/md)."""
        key = (doc.id, doc.sha256, len(doc.text))
        with self._lock:
            found = self._cache.get(key)
        if found is not None:
            return found
        text = doc.text
        if not doc.offsets.is_identity and doc.path and regular_file(Path(doc.path)):
            try:
                text = Path(doc.path).read_bytes().decode("utf-8", "replace")
            except OSError:
                text = doc.text
        index = LineIndex(text)
        with self._lock:
            if len(self._cache) > 2000:
                self._cache.clear()
            self._cache[key] = index
        return index

    def span_range_args(self, doc: Document, span: Span) -> tuple[LineIndex, Span]:
        """The line index and source span to turn a text span of `doc` into a range."""
        return self.get(doc), doc.offsets.span_to_source(span)
