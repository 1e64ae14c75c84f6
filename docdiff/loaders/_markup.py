"""HTML and XML (TEI, XHTML) to plain text, with the source offset of every text character.

For XML, lxml validates the document as a stream (never holding the whole tree), tells which
dialect it is and supplies metadata. lxml gives no character offsets, so the text itself comes
from a small scanner of tags, entities, comments, CDATA and processing instructions that walks
the decoded source once and records where each emitted character came from (`OffsetBuilder`).
HTML is read by the scanner alone, metadata included (``<html lang>``, ``<meta>``, ``<title>``).

The scanner is linear: open elements are counted by name, so closing or checking for an element
never walks the stack. Every tag and entity reference counts against `Limits.max_elements`,
nesting against `Limits.max_depth` (XML) or `Limits.max_open_html`, and emitted text against
`Limits.max_text`, each checked as the scan goes.

Text rules: whitespace runs collapse to one space; block elements become line breaks (table cells
become tabs); script, style and head (TEI: teiHeader, and everything outside ``<body>``) are
dropped; ``<pre>`` keeps its whitespace; entities are decoded.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any, Literal

from docdiff.errors import InputError, LimitError
from docdiff.loaders._limits import DEFAULT_LIMITS, Budget, Limits
from docdiff.loaders._offsets import OffsetBuilder
from docdiff.loaders._result import Extracted
from docdiff.loaders._text import decode_text

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["extract_html", "extract_xml", "load_html", "load_xml"]

Dialect = Literal["html", "xhtml", "tei", "tei-all", "xml"]

_HTML_BLOCK = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt "
    "fieldset figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 header hgroup hr html "
    "legend li main menu nav ol p pre section summary table tbody tfoot thead tr ul option "
    "select textarea output search listing plaintext".split()
)
_HTML_CELL = frozenset({"td", "th"})
_HTML_LINE = frozenset({"br"})
_HTML_DROP = frozenset(
    "head script style template title noscript iframe noembed noframes svg math".split()
)
_HTML_RAW = frozenset("script style iframe noembed noframes".split())
_HTML_RCDATA = frozenset({"title", "textarea"})
_HTML_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr basefont bgsound "
    "frame keygen".split()
)
_HTML_HEAD_CONTENT = frozenset("title meta link style script base noscript template".split())
_HTML_PRE = frozenset({"pre", "listing", "textarea", "plaintext"})

_TEI_BLOCK = frozenset(
    "p div div1 div2 div3 div4 div5 div6 div7 head lg l list item ab opener closer salute signed "
    "dateline address addrLine table row sp speaker stage note castList castItem byline "
    "docTitle titlePart docAuthor docDate docImprint argument epigraph trailer postscript figure "
    "figDesc front back body text group titlePage listBibl entry sense def u floatingText".split()
)
_TEI_CELL = frozenset({"cell"})
_TEI_LINE = frozenset({"lb", "cb"})
_TEI_DROP = frozenset({"teiHeader", "fw", "facsimile", "standOff"})
# Alternatives of which TEI shows one: the correction, regularised and expanded forms, the lemma.
_TEI_HIDDEN_IN = {
    "choice": frozenset({"sic", "orig", "abbr"}),
    "app": frozenset({"rdg", "rdgGrp"}),
}

# Inline elements of common XML vocabularies; every other element of generic XML is a block.
_XML_INLINE = frozenset(
    "a abbr acronym add anchor b bdi bdo big c choice cite citetitle code corr data date del dfn "
    "em emph emphasis expan firstterm font foreign gap geogName hi i ins kbd link literal mark "
    "measure mentioned milestone name num orgName orig pb pc persName phrase placeName ptr q "
    "quote ref reg roleName rs ruby rp rt s said samp seg sic small soCalled span strike strong "
    "sub sup supplied term time title tt u unclear var w".split()
)

_TEI_NS = "http://www.tei-c.org/ns/1.0"

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)(?:\]\]>|\Z)", re.DOTALL)
_DECL = re.compile(r"<![^>\[]*(?:\[.*?\]\s*)?>", re.DOTALL)
_BOGUS = re.compile(r"<[!?/][^>]*(?:>|\Z)")
_XML_PI = re.compile(r"<\?.*?(?:\?>|\Z)", re.DOTALL)
_HTML_START = re.compile(r"<([A-Za-z][^\s/>]*)((?:\"[^\"]*\"|'[^']*'|[^'\">])*)>")
_HTML_START_LOOSE = re.compile(r"<([A-Za-z][^\s/>]*)([^>]*)>")
_HTML_END = re.compile(r"</([A-Za-z][^\s/>]*)[^>]*>")
_XML_START = re.compile(r"<((?:[^\W\d]|[_:])[^\s/>]*)((?:\"[^\"]*\"|'[^']*'|[^'\">])*)>")
_XML_END = re.compile(r"</((?:[^\W\d]|[_:])[^\s/>]*)\s*>")
_UNCLOSED = re.compile(r"<[A-Za-z!/?]")
_ANY_TAG = re.compile(r"<[^>]*>")
_NO_BREAK = re.compile(r"""\bbreak\s*=\s*["']no["']""")

# A single space between words is kept as is (a linear piece); everything else is special.
_HTML_SPECIAL = re.compile(
    r"[ \t\n\r\f]{2,}|[\t\n\r\f]|&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)"
)
_XML_SPECIAL = re.compile(r"[ \t\n\r\f]{2,}|[\t\n\r\f]|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[^\s&;<]+);")
_PRE_ENTITY = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")
_XML_PRE_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[^\s&;<]+);")

_XML_DECL_RE = re.compile(rb"""\A<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_XML_DECL_STR = re.compile(r"\A\s*<\?xml\s[^>]*\?>")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._-]+)""", re.I)
_LINE_COL = re.compile(r",? line \d+, column \d+$")
_ATTR = re.compile(r"""([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?""")
_META_DATE = frozenset(
    ("date", "dc.date", "dcterms.date", "dcterms.created", "article:published_time")
)
_META_AUTHOR = frozenset(("author", "dc.creator", "dcterms.creator"))

_RANK = {" ": 1, "\t": 2, "\n": 3}
_XML_PREDEFINED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


class _Emitter:
    """Collapses whitespace and block breaks into single separators between emitted words."""

    __slots__ = ("budget", "out", "pending")

    def __init__(self, budget: Budget) -> None:
        self.out = OffsetBuilder()
        self.pending: tuple[str, int, int] | None = None
        self.budget = budget

    def space(self, start: int, end: int) -> None:
        if self.pending is None:
            self.pending = (" ", start, end)

    def brk(self, char: str, start: int, end: int) -> None:
        if self.pending is None or _RANK[char] > _RANK[self.pending[0]]:
            self.pending = (char, start, end)

    def text(self, chars: str, start: int, end: int) -> None:
        if self.pending is not None:
            if self.out.length:
                self.out.add(*self.pending)
                self.budget.spend_text(1)
            self.pending = None
        self.budget.spend_text(len(chars))
        self.out.add(chars, start, end)


class _Scanner:
    """Walks the source once, tracking open elements, and emits the visible text."""

    def __init__(
        self,
        src: str,
        dialect: Dialect,
        entities: dict[str, str] | None = None,
        budget: Budget | None = None,
    ) -> None:
        self.src = src
        self.dialect = dialect
        self.is_html = dialect == "html"
        self.html_rules = dialect in ("html", "xhtml")
        self.entities = entities or {}
        self.budget = budget or Budget("<markup>")
        limits = self.budget.limits
        self.max_elements = limits.max_elements
        self.max_depth = limits.max_open_html if self.is_html else limits.max_depth
        self.em = _Emitter(self.budget)
        self.stack: list[str] = []
        self.dropped: list[bool] = []  # per open element: is its content hidden?
        self.open: dict[str, int] = {}  # how many elements of each name are open
        self.meta: dict[str, str] = {}  # HTML metadata: <html lang>, <meta name content>
        self.tei = dialect in ("tei", "tei-all")
        self.drop = 0
        self.pre = 0
        self.body = 0
        self.title: str | None = None
        if self.html_rules:
            self.block, self.cell, self.line, self.drops = (
                _HTML_BLOCK,
                _HTML_CELL,
                _HTML_LINE,
                _HTML_DROP,
            )
        elif dialect in ("tei", "tei-all"):
            self.block, self.cell, self.line, self.drops = (
                _TEI_BLOCK,
                _TEI_CELL,
                _TEI_LINE,
                _TEI_DROP,
            )
        else:
            self.block, self.cell, self.line, self.drops = (
                frozenset(),
                frozenset(),
                frozenset(),
                frozenset(),
            )
        self.special = _HTML_SPECIAL if self.is_html else _XML_SPECIAL
        self.pre_entity = _PRE_ENTITY if self.is_html else _XML_PRE_ENTITY

    # -- state ---------------------------------------------------------------------------------

    def _name(self, raw: str) -> str:
        local = raw.rsplit(":", 1)[-1]
        return local.lower() if self.html_rules else local

    def _visible(self) -> bool:
        return self.drop == 0 and (self.dialect != "tei" or self.body > 0)

    def _is_block(self, name: str) -> bool:
        if self.dialect == "xml":
            return name not in _XML_INLINE
        return name in self.block

    def _push(self, name: str) -> None:
        parent = self.stack[-1] if self.stack else ""
        dropped = name in self.drops or (
            self.tei and name in _TEI_HIDDEN_IN.get(parent, ())  # show one reading only
        )
        self.stack.append(name)
        self.dropped.append(dropped)
        self.open[name] = self.open.get(name, 0) + 1
        if len(self.stack) > self.max_depth:
            self.budget.depth(len(self.stack), self.max_depth)
        if dropped:
            self.drop += 1
        if self.html_rules and name in _HTML_PRE:
            self.pre += 1
        if name == "body":
            self.body += 1

    def _pop_to(self, name: str) -> bool:
        """Close the innermost open `name` and everything opened inside it (HTML recovery)."""
        if not self.open.get(name):
            return False
        while self.stack:
            top = self.stack.pop()
            self.open[top] -= 1
            if self.dropped.pop():
                self.drop -= 1
            if self.html_rules and top in _HTML_PRE:
                self.pre -= 1
            if top == "body":
                self.body -= 1
            if top == name:
                return True
        return True

    # -- scanning ------------------------------------------------------------------------------

    def run(self) -> None:
        src = self.src
        n = len(src)
        # Past the last ">" no tag can close: the rest is text (or an unclosed comment). This
        # keeps stray "<" in long HTML linear instead of rescanning to the end each time.
        last_gt = src.rfind(">") if self.is_html else n
        pos = text_start = 0
        while True:
            lt = src.find("<", pos)
            if lt > last_gt:
                # HTML drops a tag, comment or declaration cut off by the end of the file.
                cut = _UNCLOSED.search(src, lt)
                self._text(text_start, n if cut is None else cut.start())
                return
            if lt < 0:
                self._text(text_start, n)
                return
            end = self._markup(lt, text_start)
            if end < 0:  # a lone "<" is text (HTML)
                pos = lt + 1
                continue
            pos = text_start = end

    def _count(self) -> None:
        budget = self.budget
        budget.elements += 1
        if budget.elements > self.max_elements:
            budget.spend_element(self.max_elements)

    def _markup(self, lt: int, text_start: int) -> int:
        """Handle the construct at `lt` (flushing text before it); its end, or -1 if none."""
        self._count()
        src = self.src
        nxt = src[lt + 1 : lt + 2]
        if nxt == "!":
            m = _COMMENT.match(src, lt)
            if m is not None:
                self._text(text_start, lt)
                return m.end()
            m = None if self.is_html else _CDATA.match(src, lt)
            if m is not None:
                self._text(text_start, lt)
                if self._visible():
                    self._cdata(m.start(1), m.end(1))
                return m.end()
            # HTML has no DTD internal subsets: "<!..." ends at the first ">" there.
            m = (
                _BOGUS.match(src, lt)
                if self.is_html
                else (_DECL.match(src, lt) or _BOGUS.match(src, lt))
            )
        elif nxt == "?":
            m = (_BOGUS if self.is_html else _XML_PI).match(src, lt)
        elif nxt == "/":
            m = (_HTML_END if self.is_html else _XML_END).match(src, lt)
            if m is not None:
                self._text(text_start, lt)
                self._end_tag(self._name(m.group(1)), lt, m.end())
                return m.end()
            if self.is_html:
                m = _BOGUS.match(src, lt)
        else:
            if self.is_html:
                m = _HTML_START.match(src, lt) or _HTML_START_LOOSE.match(src, lt)
            else:
                m = _XML_START.match(src, lt)
            if m is not None:
                self._text(text_start, lt)
                return self._start_tag(m.group(1), m.group(2), lt, m.end())
        if m is None:
            return -1
        self._text(text_start, lt)
        return m.end()

    def _start_tag(self, raw: str, attrs: str, start: int, end: int) -> int:
        name = self._name(raw)
        em = self.em
        if self.is_html:
            if name in ("html", "meta"):
                self._html_meta(name, attrs)
            if self.open.get("head") and name not in _HTML_HEAD_CONTENT:
                self._pop_to("head")  # any body content ends an unclosed head
            if name in _HTML_RAW:
                return self._skip_raw(name, end)
            if name in _HTML_RCDATA:
                return self._rcdata(name, start, end)
        self_closing = attrs.rstrip().endswith("/")
        if name in self.line:
            if self._visible() and not (name == "lb" and _NO_BREAK.search(attrs)):
                em.brk("\n", start, end)
            return end
        void = self_closing or (self.html_rules and name in _HTML_VOID)
        if not void:
            self._push(name)
        if self._visible():
            if name in self.cell:
                em.brk("\t", start, end)
            elif self._is_block(name):
                em.brk("\n", start, end)
        return end

    def _html_meta(self, name: str, attrs: str) -> None:
        """Metadata from ``<html lang>`` and ``<meta name|property content>`` (first wins)."""
        values: dict[str, str] = {}
        for m in _ATTR.finditer(attrs):
            key = m.group(1).lower()
            if key not in values:
                raw = m.group(2) if m.group(2) is not None else m.group(3) or m.group(4) or ""
                values[key] = html.unescape(raw)
        if name == "html":
            if values.get("lang") and "lang" not in self.meta:
                self.meta["lang"] = values["lang"]
            return
        kind = (values.get("name") or values.get("property") or "").lower()
        content = values.get("content", "").strip()
        if not content:
            return
        if kind in _META_DATE:
            self.meta.setdefault("date", content)
        elif kind in _META_AUTHOR:
            self.meta.setdefault("author", content)

    def _end_tag(self, name: str, start: int, end: int) -> None:
        if self._visible() and self._is_block(name) and name not in self.cell:
            self.em.brk("\n", start, end)
        # HTML closes whatever is open inside; well-formed XML always closes the innermost.
        if self.is_html or (self.stack and self.stack[-1] == name):
            self._pop_to(name)

    def _skip_raw(self, name: str, end: int) -> int:
        close = re.compile(rf"</{name}[\s/>]", re.IGNORECASE).search(self.src, end)
        if close is None:
            return len(self.src)
        gt = self.src.find(">", close.start())
        return len(self.src) if gt < 0 else gt + 1

    def _rcdata(self, name: str, start: int, end: int) -> int:
        close = re.compile(rf"</{name}[\s/>]", re.IGNORECASE).search(self.src, end)
        stop = len(self.src) if close is None else close.start()
        gt = -1 if close is None else self.src.find(">", close.start())
        after = len(self.src) if close is None or gt < 0 else gt + 1
        if name == "title":
            if self.title is None:
                self.title = " ".join(html.unescape(self.src[end:stop]).split())
            return after
        if self._visible():
            self.em.brk("\n", start, end)
            self.pre += 1
            self._text(end, stop)
            self.pre -= 1
            self.em.brk("\n", stop, after)
        return after

    # -- text ----------------------------------------------------------------------------------

    def _decode(self, ref: str) -> str:
        if self.is_html:
            return html.unescape(ref)
        body = ref[1:-1]
        if body.startswith("#"):
            try:
                code = int(body[2:], 16) if body[1:2] in ("x", "X") else int(body[1:])
                return chr(code)
            except (ValueError, OverflowError):
                return "\ufffd"
        if body in _XML_PREDEFINED:
            return _XML_PREDEFINED[body]
        if body in self.entities:
            return self.entities[body]
        return html.unescape(ref)  # XHTML entities from an external DTD

    def _text(self, a: int, b: int) -> None:
        if a >= b:
            return
        src = self.src
        if self.is_html and self.stack and self.stack[-1] == "head" and not src[a:b].isspace():
            self._pop_to("head")  # text implies the body has started
        if not self._visible():
            return
        if self.pre:
            self._literal(a, b)
            return
        em = self.em
        p = a
        for m in self.special.finditer(src, a, b):
            s, e = m.span()
            self._plain(p, s)
            tok = m.group()
            if tok[0] == "&":
                self._count()
                decoded = self._decode(tok)
                if decoded == tok:
                    self._plain(s, e)
                elif decoded in (" ", "\t", "\n", "\r", "\f"):
                    em.space(s, e)
                else:
                    em.text(decoded, s, e)
            else:
                em.space(s, e)
            p = e
        self._plain(p, b)

    def _plain(self, p: int, q: int) -> None:
        """Text without entities, with at most single spaces inside."""
        if p >= q:
            return
        src = self.src
        em = self.em
        if src[p] == " ":
            em.space(p, p + 1)
            p += 1
        trailing = p < q and src[q - 1] == " "
        if trailing:
            q -= 1
        if p < q:
            em.text(src[p:q], p, q)
        if trailing:
            em.space(q, q + 1)

    def _literal(self, a: int, b: int) -> None:
        src = self.src
        em = self.em
        p = a
        for m in self.pre_entity.finditer(src, a, b):
            s, e = m.span()
            if p < s:
                em.text(src[p:s], p, s)
            self._count()
            decoded = self._decode(m.group())
            em.text(decoded, s, e)
            p = e
        if p < b:
            em.text(src[p:b], p, b)

    def _cdata(self, a: int, b: int) -> None:
        if self.pre:
            self.em.text(self.src[a:b], a, b)
            return
        for m in re.finditer(r"\S+", self.src[a:b]):
            if m.start() > 0:
                self.em.space(a + m.start() - 1, a + m.start())
            self.em.text(m.group(), a + m.start(), a + m.end())
        if b > a and self.src[b - 1].isspace():
            self.em.space(b - 1, b)


def extract_markup(
    src: str,
    dialect: Dialect,
    entities: dict[str, str] | None = None,
    budget: Budget | None = None,
) -> tuple[Extracted, str | None]:
    """Scan decoded markup `src`: the extracted text with its offset map (and HTML metadata in
    `Extracted.meta`), and the HTML title."""
    scanner = _Scanner(src, dialect, entities, budget)
    scanner.run()
    text, offsets = scanner.em.out.build()
    return Extracted(text, offsets, scanner.meta), scanner.title


# -- HTML ----------------------------------------------------------------------------------------


def _declared_html_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    return _encoding_name(m.group(1).decode("ascii"), whatwg=True) if m else None


def _encoding_name(label: str, *, whatwg: bool) -> str | None:
    import codecs

    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if whatwg and name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"  # WHATWG: HTML labelled Latin-1 or ASCII is windows-1252
    return name


def load_html(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> Extracted:
    """Load HTML bytes: charset from BOM, ``<meta charset>``, UTF-8, then cp1252."""
    src, encoding = decode_text(data, path, "html", _declared_html_charset(data))
    result = extract_html(src, path, limits)
    result.meta["encoding"] = encoding
    return result


def extract_html(src: str, path: str, limits: Limits = DEFAULT_LIMITS) -> Extracted:
    """Extract the visible text and metadata of decoded HTML `src`, read leniently."""
    extracted, title = extract_markup(src, "html", budget=Budget(path, limits))
    meta = dict(extracted.meta)
    if title:
        meta["title"] = title
    return Extracted(extracted.text, extracted.offsets, meta)


# -- XML -----------------------------------------------------------------------------------------


def load_xml(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> Extracted:
    """Load XML bytes (TEI, XHTML or any XML): encoding from BOM, declaration, UTF-8, cp1252."""
    m = _XML_DECL_RE.match(data)
    declared = _encoding_name(m.group(1).decode("ascii"), whatwg=False) if m else None
    src, encoding = decode_text(data, path, "xml", declared)
    result = extract_xml(src, path, limits)
    result.meta["encoding"] = encoding
    return result


def extract_xml(src: str, path: str, limits: Limits = DEFAULT_LIMITS) -> Extracted:
    """Extract text from decoded XML `src`; malformed XML raises InputError naming the line."""
    if not src.strip():
        return Extracted("")
    survey = _survey_xml(src, path, limits)
    meta: dict[str, str] = dict(survey.meta)
    dialect: Dialect
    if survey.local.lower() == "html":
        dialect = "xhtml"
    elif survey.ns == _TEI_NS or survey.local in ("TEI", "teiCorpus"):
        dialect = "tei" if survey.has_body else "tei-all"
        meta["dialect"] = "tei"
    else:
        dialect = "xml"
        meta = {}
    extracted, _ = extract_markup(src, dialect, survey.entities, Budget(path, limits))
    return Extracted(extracted.text, extracted.offsets, meta)


class _Survey:
    """What one streaming pass of lxml over an XML document learns (the tree is not kept)."""

    __slots__ = ("entities", "has_body", "local", "meta", "ns")

    def __init__(self) -> None:
        self.local = ""
        self.ns = ""
        self.has_body = False
        self.entities: dict[str, str] = {}
        self.meta: dict[str, str] = {}


def _survey_start(el: Any, tag: str, local: str, depth: int, survey: _Survey) -> bool:
    """Note what an element's start tells (root dialect, language, a body); True when its
    subtree is kept whole for metadata (the TEI header, an XHTML title)."""
    if depth == 1:
        survey.local = local
        survey.ns = tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
        lang = el.get("lang") or el.get("{http://www.w3.org/XML/1998/namespace}lang")
        if lang and local.lower() == "html":
            survey.meta["lang"] = lang
    if local == "body":
        survey.has_body = True
    return local == "teiHeader" or (local == "title" and "title" not in survey.meta)


def _survey_xml(src: str, path: str, limits: Limits) -> _Survey:
    """Validate `src` with lxml as a stream, within the limits, and gather dialect and metadata.

    Elements are cleared as soon as they end (except the TEI header and an XHTML title, read
    for metadata), so memory stays small whatever the document's size.
    """
    import io

    from lxml import etree

    # lxml refuses str input that declares an encoding; the text is already decoded.
    body = _XML_DECL_STR.sub(lambda m: "\n" * m.group().count("\n"), src, count=1)
    events = etree.iterparse(
        io.BytesIO(body.encode("utf-8", "surrogatepass")),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    survey = _Survey()
    budget = Budget(path, limits)
    depth = 0
    kept: list[etree._Element] = []  # open subtrees kept whole for their metadata
    try:
        for event, el in events:
            tag = el.tag if isinstance(el.tag, str) else ""
            local = tag.rsplit("}", 1)[-1]
            if event == "start":
                depth += 1
                budget.spend_element(limits.max_elements, "XML elements")
                if depth > limits.max_depth:
                    budget.depth(depth, limits.max_depth)
                if _survey_start(el, tag, local, depth, survey):
                    kept.append(el)
                continue
            depth -= 1
            if kept and kept[-1] is el:
                kept.pop()
                _gather(el, local, survey)
            if not kept and depth > 0:
                el.clear(keep_tail=False)
                parent = el.getparent()
                while parent is not None and el.getprevious() is not None:
                    del parent[0]
        root = events.root
    except etree.XMLSyntaxError as exc:
        msg = _LINE_COL.sub("", str(exc.msg or exc)).strip()
        if msg.startswith("Excessive depth"):
            raise LimitError(path, "elements nested deeper than 256 levels; refusing it") from None
        if "amplification" in msg:
            raise LimitError(
                path, "XML entities expand too much (libxml2's amplification limit); refusing it"
            ) from None
        line = exc.lineno or 1
        column = exc.offset
        where = f"line {line}, column {column}" if column else f"line {line}"
        raise InputError(path, f"malformed XML at {where}: {msg}") from None
    except (etree.LxmlError, ValueError) as exc:
        raise InputError(path, f"cannot parse XML: {exc}") from None
    dtd = None if root is None else root.getroottree().docinfo.internalDTD
    if dtd is not None:
        for decl in dtd.iterentities():
            if decl.name and decl.content is not None:
                # An entity's replacement text may hold markup; only its text is shown.
                survey.entities[decl.name] = html.unescape(_ANY_TAG.sub("", decl.content))
    return survey


def _gather(el: etree._Element, local: str, survey: _Survey) -> None:
    """Metadata from a kept subtree: the TEI header, or the XHTML title."""
    if local == "teiHeader":
        if survey.local in ("TEI", "teiCorpus") or survey.ns == _TEI_NS:
            for key, value in _tei_meta(el).items():
                survey.meta.setdefault(key, value)
    elif survey.local.lower() == "html" and "title" not in survey.meta:
        text = " ".join("".join(str(t) for t in el.itertext()).split())
        if text:
            survey.meta["title"] = text


def _tei_meta(header: etree._Element) -> dict[str, str]:
    meta: dict[str, str] = {}
    title = next(header.iter("{*}title"), None)
    if title is not None:
        text = " ".join("".join(str(t) for t in title.itertext()).split())
        if text:
            meta["title"] = text
    # The letter's own date first: when it was sent, then written; the edition's date last.
    for path in (
        ".//{*}correspAction[@type='sent']/{*}date",
        ".//{*}profileDesc/{*}creation//{*}date",
        ".//{*}sourceDesc//{*}date",
        ".//{*}date",
    ):
        for date in header.iterfind(path):
            when = date.get("when") or " ".join("".join(str(t) for t in date.itertext()).split())
            if when:
                meta["date"] = when
                return meta
    return meta
