"""HTML and XML (TEI, XHTML) to plain text, with the source offset of every text character.

lxml validates the document (strictly for XML, leniently for HTML), tells which dialect it is and
supplies metadata. lxml gives no character offsets, so the text itself comes from a small scanner
of tags, entities, comments, CDATA and processing instructions that walks the decoded source and
records where each emitted character came from (`OffsetBuilder`).

Text rules: whitespace runs collapse to one space; block elements become line breaks (table cells
become tabs); script, style and head (TEI: teiHeader, and everything outside ``<body>``) are
dropped; ``<pre>`` keeps its whitespace; entities are decoded.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Literal

from docdiff.errors import InputError
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

_RANK = {" ": 1, "\t": 2, "\n": 3}
_XML_PREDEFINED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


class _Emitter:
    """Collapses whitespace and block breaks into single separators between emitted words."""

    __slots__ = ("out", "pending")

    def __init__(self) -> None:
        self.out = OffsetBuilder()
        self.pending: tuple[str, int, int] | None = None

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
            self.pending = None
        self.out.add(chars, start, end)


class _Scanner:
    """Walks the source once, tracking open elements, and emits the visible text."""

    def __init__(self, src: str, dialect: Dialect, entities: dict[str, str] | None = None) -> None:
        self.src = src
        self.dialect = dialect
        self.is_html = dialect == "html"
        self.html_rules = dialect in ("html", "xhtml")
        self.entities = entities or {}
        self.em = _Emitter()
        self.stack: list[str] = []
        self.dropped: list[bool] = []  # per open element: is its content hidden?
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
        if dropped:
            self.drop += 1
        if self.html_rules and name in _HTML_PRE:
            self.pre += 1
        if name == "body":
            self.body += 1

    def _pop_to(self, name: str) -> bool:
        """Close the innermost open `name` and everything opened inside it (HTML recovery)."""
        if name not in self.stack:
            return False
        while self.stack:
            top = self.stack.pop()
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

    def _markup(self, lt: int, text_start: int) -> int:
        """Handle the construct at `lt` (flushing text before it); its end, or -1 if none."""
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
            if "head" in self.stack and name not in _HTML_HEAD_CONTENT:
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
        if self.is_html and self.stack and self.stack[-1] == "head" and src[a:b].strip():
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
    src: str, dialect: Dialect, entities: dict[str, str] | None = None
) -> tuple[Extracted, str | None]:
    """Scan decoded markup `src`: the extracted text with its offset map, and the HTML title."""
    scanner = _Scanner(src, dialect, entities)
    scanner.run()
    text, offsets = scanner.em.out.build()
    return Extracted(text, offsets), scanner.title


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


def load_html(data: bytes, path: str) -> Extracted:
    """Load HTML bytes: charset from BOM, ``<meta charset>``, UTF-8, then cp1252."""
    src, encoding = decode_text(data, path, "html", _declared_html_charset(data))
    result = extract_html(src, path)
    result.meta["encoding"] = encoding
    return result


def extract_html(src: str, path: str) -> Extracted:
    """Extract the visible text of decoded HTML `src`, parsed leniently."""
    extracted, title = extract_markup(src, "html")
    meta: dict[str, str] = {}
    tree = _parse_html(src) if src.strip() else None
    if tree is not None:
        meta.update(_html_meta(tree))
    if title:
        meta["title"] = title
    return Extracted(extracted.text, extracted.offsets, meta)


def _parse_html(src: str) -> etree._Element | None:
    """lxml's lenient parse, for metadata; None when even lxml finds no document."""
    import lxml.etree
    import lxml.html

    # The scanner has already recovered the text the way HTML does, so a document lxml
    # rejects (only comments, a cut-off declaration) simply has no metadata.
    try:
        return lxml.html.document_fromstring(_XML_DECL_STR.sub("", src, count=1))
    except (lxml.etree.LxmlError, ValueError):
        return None


def _html_meta(root: etree._Element) -> dict[str, str]:
    meta: dict[str, str] = {}
    lang = root.get("lang")
    if lang:
        meta["lang"] = lang
    for el in root.iter("meta"):
        name = (el.get("name") or el.get("property") or "").lower()
        content = el.get("content")
        if not content:
            continue
        if name in ("date", "dc.date", "dcterms.date", "dcterms.created", "article:published_time"):
            meta.setdefault("date", content.strip())
        elif name in ("author", "dc.creator", "dcterms.creator"):
            meta.setdefault("author", content.strip())
    return meta


# -- XML -----------------------------------------------------------------------------------------


def load_xml(data: bytes, path: str) -> Extracted:
    """Load XML bytes (TEI, XHTML or any XML): encoding from BOM, declaration, UTF-8, cp1252."""
    m = _XML_DECL_RE.match(data)
    declared = _encoding_name(m.group(1).decode("ascii"), whatwg=False) if m else None
    src, encoding = decode_text(data, path, "xml", declared)
    result = extract_xml(src, path)
    result.meta["encoding"] = encoding
    return result


def extract_xml(src: str, path: str) -> Extracted:
    """Extract text from decoded XML `src`; malformed XML raises InputError naming the line."""
    if not src.strip():
        return Extracted("")
    root = _parse_xml(src, path)
    entities: dict[str, str] = {}
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None:
        for decl in dtd.iterentities():  # type: ignore[attr-defined]  # missing from lxml-stubs
            if decl.name and decl.content is not None:
                # An entity's replacement text may hold markup; only its text is shown.
                entities[decl.name] = html.unescape(_ANY_TAG.sub("", decl.content))
    local = root.tag.rsplit("}", 1)[-1] if isinstance(root.tag, str) else ""
    ns = root.tag[1:].split("}", 1)[0] if isinstance(root.tag, str) and "}" in root.tag else ""
    meta: dict[str, str] = {}
    dialect: Dialect
    if local.lower() == "html":
        dialect = "xhtml"
        meta.update(_html_meta_ns(root))
    elif ns == _TEI_NS or local in ("TEI", "teiCorpus"):
        has_body = next(root.iter("{*}body"), None) is not None
        dialect = "tei" if has_body else "tei-all"
        meta.update(_tei_meta(root))
        meta["dialect"] = "tei"
    else:
        dialect = "xml"
    extracted, _ = extract_markup(src, dialect, entities)
    return Extracted(extracted.text, extracted.offsets, meta)


def _parse_xml(src: str, path: str) -> etree._Element:
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    # lxml refuses str input that declares an encoding; the text is already decoded.
    body = _XML_DECL_STR.sub(lambda m: "\n" * m.group().count("\n"), src, count=1)
    try:
        return etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        column = exc.offset
        msg = _LINE_COL.sub("", str(exc.msg or exc)).strip()
        where = f"line {line}, column {column}" if column else f"line {line}"
        raise InputError(path, f"malformed XML at {where}: {msg}") from None
    except (etree.LxmlError, ValueError) as exc:
        raise InputError(path, f"cannot parse XML: {exc}") from None


def _html_meta_ns(root: etree._Element) -> dict[str, str]:
    meta: dict[str, str] = {}
    title = next(root.iter("{*}title"), None)
    if title is not None:
        text = " ".join("".join(str(t) for t in title.itertext()).split())
        if text:
            meta["title"] = text
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    if lang:
        meta["lang"] = lang
    return meta


def _tei_meta(root: etree._Element) -> dict[str, str]:
    meta: dict[str, str] = {}
    header = next(root.iter("{*}teiHeader"), None)
    if header is None:
        return meta
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
