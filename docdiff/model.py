"""The core data types every layer speaks: plain frozen dataclasses, nothing heavy imported.

One coordinate system: every `Span` is a half-open range of code-point offsets into
`Document.text`. Conversion to source offsets happens only through `OffsetMap`.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from typing import Literal, TypeVar

from docdiff.kinds import Kind

__all__ = [
    "AlignOp",
    "Cluster",
    "Document",
    "DuplicateGroup",
    "Formula",
    "Kind",
    "Match",
    "OffsetMap",
    "PairResult",
    "PairSummary",
    "Passage",
    "Report",
    "Span",
]


_T = TypeVar("_T")


def _direct_init(cls: type[_T]) -> type[_T]:
    """Give a frozen, slotted dataclass an ``__init__`` that sets its slots through their
    descriptors, not through ``object.__setattr__`` field by field as the frozen dataclass's
    own does: the same signature, defaults and ``__post_init__``, about three times faster
    (a query makes thousands of spans, ops and matches)."""
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    namespace: dict[str, object] = {}
    params = []
    for f in fields(cls):  # type: ignore[arg-type]
        if f.default_factory is not MISSING or not f.init or f.kw_only:
            raise TypeError(f"{cls.__name__}.{f.name}: only plain fields are set directly")
        namespace[f"_set_{f.name}"] = getattr(cls, f.name).__set__
        if f.default is MISSING:
            params.append(f.name)
        else:
            namespace[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
    body = [f"    _set_{name}(self, {name})" for name in names]
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    source = f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body)
    exec(source, namespace)  # noqa: S102  (as dataclasses make theirs)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"  # type: ignore[attr-defined]
    cls.__init__ = init  # type: ignore[method-assign,assignment]
    return cls


@_direct_init
@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open ``[start, end)`` range of code-point offsets into `Document.text`."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            msg = f"invalid span [{self.start}, {self.end})"
            raise ValueError(msg)

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        """True when the two spans share at least one code point."""
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        """True when `other` lies entirely inside this span."""
        return self.start <= other.start and other.end <= self.end

    def union(self, other: Span) -> Span:
        """The smallest span covering both."""
        return Span(min(self.start, other.start), max(self.end, other.end))


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps offsets in `Document.text` to character offsets in the decoded source.

    The map is made of pieces: text offset ``text_starts[i]`` corresponds to source offset
    ``source_starts[i]``. Without ``source_ends`` every piece continues with slope one up to the
    next anchor. With ``source_ends`` (one per anchor) a piece whose text and source lengths
    differ (``&eacute;`` for ``é``, a line break standing for ``<p>``) is atomic: any character
    in it maps to the whole source construct. An empty map is the identity (txt and md, where
    the text is the source).
    """

    text_starts: tuple[int, ...] = ()
    source_starts: tuple[int, ...] = ()
    source_ends: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if len(self.text_starts) != len(self.source_starts):
            msg = "OffsetMap needs as many text anchors as source anchors"
            raise ValueError(msg)
        if self.source_ends and len(self.source_ends) != len(self.text_starts):
            msg = "OffsetMap needs one source end per anchor (or none)"
            raise ValueError(msg)

    @property
    def is_identity(self) -> bool:
        """True when text offsets are source offsets."""
        return not self.text_starts

    def _piece(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.text_starts, offset) - 1)

    def _is_linear(self, i: int) -> bool:
        if not self.source_ends or i + 1 == len(self.text_starts):
            return True
        text_len = self.text_starts[i + 1] - self.text_starts[i]
        return self.source_ends[i] - self.source_starts[i] == text_len

    def to_source(self, offset: int) -> int:
        """The source offset where the character at text `offset` begins."""
        if not self.text_starts:
            return offset
        if offset < self.text_starts[0]:
            return self.source_starts[0]
        i = self._piece(offset)
        if self._is_linear(i):
            return self.source_starts[i] + (offset - self.text_starts[i])
        return self.source_starts[i]

    def to_source_end(self, offset: int) -> int:
        """The source offset just after the character that ends at text `offset` (exclusive)."""
        if not self.text_starts:
            return offset
        if offset <= self.text_starts[0]:
            return self.source_starts[0]
        i = self._piece(offset - 1)
        if self._is_linear(i):
            return self.source_starts[i] + (offset - self.text_starts[i])
        return self.source_ends[i]

    def span_to_source(self, span: Span) -> Span:
        """The source range covering the characters of text `span`, whole constructs included."""
        if not self.text_starts:
            return span
        start = self.to_source(span.start)
        if span.end <= span.start:
            return Span(start, start)
        return Span(start, max(start, self.to_source_end(span.end)))


@dataclass(frozen=True, slots=True)
class Document:
    """A loaded document: its extracted plain text plus where that text came from."""

    id: str
    path: str
    format: str
    text: str
    offsets: OffsetMap = field(default_factory=OffsetMap)
    meta: Mapping[str, str] = field(default_factory=dict, hash=False)
    pages: tuple[int, ...] = ()
    """Text offsets at which each page starts (PDF only; empty otherwise)."""
    sha256: str = ""
    """Content hash of the source bytes, for incremental indexing."""
    words: int | None = field(default=None, compare=False)
    """The number of words (tokens), once the engine has tokenized the text: reports take it
    from here instead of counting again (None: not tokenized yet)."""

    def page_of(self, offset: int) -> int | None:
        """The 1-based page number holding text `offset`, or None when pages are unknown."""
        if not self.pages:
            return None
        return max(1, bisect.bisect_right(self.pages, offset))

    def slice(self, span: Span) -> str:
        """The text inside `span`."""
        return self.text[span.start : span.end]


@_direct_init
@dataclass(frozen=True, slots=True)
class Passage:
    """A span of one document."""

    doc: str
    span: Span


OpTag = Literal["equal", "replace", "insert", "delete"]


@_direct_init
@dataclass(frozen=True, slots=True)
class AlignOp:
    """One aligned operation between the two sides of a match (word-granular spans)."""

    tag: OpTag
    a: Span
    b: Span


@_direct_init
@dataclass(frozen=True, slots=True)
class Match:
    """Two passages that share wording, with a 0-100 score and a kind."""

    a: Passage
    b: Passage
    kind: Kind
    score: float
    words: int
    """Number of words the two sides share."""
    ops: tuple[AlignOp, ...] = ()
    reason: str = ""
    """Why the match got its kind (shown by ``--explain``)."""
    shared: tuple[str, ...] = ()
    """The shared (normalised) words, for explanations."""
    formula: str | None = None
    """The lexicon template a formula match instantiates."""
    distinctiveness: float | None = None
    """For an echo: how telling the shared phrase is (0-100; rare in general language and not
    a topic term of either document). None for passages."""


@dataclass(frozen=True, slots=True)
class PairSummary:
    """Document-pair scores, all on the 0-100 scale."""

    coverage_a: float
    coverage_b: float
    similarity: float
    distinctive_similarity: float


@dataclass(frozen=True, slots=True)
class PairResult:
    """Every match between two documents plus their summary."""

    a: str
    b: str
    matches: tuple[Match, ...]
    """The reused passages."""
    summary: PairSummary
    echoes: tuple[Match, ...] = ()
    """Isolated short shared phrases below the passage size, most distinctive first."""

    @property
    def rank(self) -> tuple[float, float, str, str]:
        """How every report orders pairs: by distinctive similarity (formulae and names do not
        make a pair similar), then similarity, then ids."""
        s = self.summary
        return (-s.distinctive_similarity, -s.similarity, self.a, self.b)


@dataclass(frozen=True, slots=True)
class Cluster:
    """Passages in many documents that are copies of one another."""

    id: int
    members: tuple[Passage, ...]
    text: str
    """A representative text (the origin's, else the longest member's)."""
    origin: Passage | None = None
    """The earliest member when dates are known."""
    kind: Kind = Kind.PHRASING
    part_of: int | None = None
    """The id of a cluster in as many documents or more whose representative text holds this
    one's words, in order (a phrase of a passage, quoted apart from it: "global leadership and
    shared responsibilities" of a session's theme), when one does; its largest such."""


@dataclass(frozen=True, slots=True)
class Formula:
    """A template recurring across many documents: fixed words plus ``{…}`` slots."""

    template: str
    doc_freq: int
    slot_examples: tuple[tuple[str, ...], ...] = ()
    """Example fillers for each slot, in slot order."""
    first_date: str | None = None
    last_date: str | None = None
    members: tuple[Passage, ...] = ()
    variants: tuple[Formula, ...] = ()
    """Other wordings of the same formula ("I am, Yours sincerely," under "Yours sincerely,"),
    each with its own documents, best spread first; the template is the best-spread wording."""
    family_docs: int = 0
    """The documents that say the formula in any of its wordings (the template's and its
    variants' together, which the entry ranks by); 0 when not counted (no variants)."""
    apparatus: bool = False
    """Its instances stand in the editors' apparatus of their documents (archive references,
    editors' notes: `docdiff.text.apparatus`): the edition's wording, not its authors'."""
    lexicon: str | None = None
    """The family of the formula lexicon (built-in or the user's) whose formula most of its
    instances state, or are a part of ("honour", "un-peace-security"). A template that states
    one is listed on the lexicon's word, by its spread alone, where its place and wording would
    not tell it from running text; the wordings of one family are one entry."""


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """Documents that are copies of one another (republications), shown once."""

    id: int
    representative: str
    """The member that stands for the group in pairs and clusters (the earliest dated)."""
    members: tuple[str, ...]
    coverage: float
    """The least coverage, both ways, between two grouped copies (percent)."""


@dataclass(frozen=True, slots=True)
class Report:
    """The result of one run; every output format renders one of these."""

    command: Literal["compare", "scan", "query"]
    documents: tuple[Document, ...]
    pairs: tuple[PairResult, ...]
    clusters: tuple[Cluster, ...] = ()
    formulae: tuple[Formula, ...] = ()
    settings: Mapping[str, object] = field(default_factory=dict, hash=False)
    """The options used, by JSON name."""
    duplicates: tuple[DuplicateGroup, ...] = ()
    """Groups of duplicate documents (scans); only each group's representative is paired."""

    def document(self, doc_id: str) -> Document:
        """The document with id `doc_id`."""
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        msg = f"no document with id {doc_id!r} in this report"
        raise KeyError(msg)
