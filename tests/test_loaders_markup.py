"""HTML and XML/TEI loading: text rules, errors, and the source offset map (hypothesis)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from docdiff.errors import InputError
from docdiff.loaders import load, load_bytes, load_text
from docdiff.loaders._offsets import OffsetBuilder
from docdiff.model import Document, Span

EDGE = Path(__file__).resolve().parent.parent / "fixtures" / "edge"

_DROPPED = re.compile(
    r"<(script|style|title)\b[^>]*>.*?</\1\s*>|<!--.*?-->|<\?.*?>", re.DOTALL | re.IGNORECASE
)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z](?:\"[^\"]*\"|'[^']*'|[^'\">])*>")


def _visible(source: str) -> str:
    """What a source snippet reads as: no comments, dropped elements or tags; entities decoded."""
    source = _DROPPED.sub("", source)
    parts = _CDATA.split(source)  # odd items are CDATA content: literal
    out = [
        part if i % 2 else html.unescape(_TAG.sub("", part).replace("&org;", "Examplia"))
        for i, part in enumerate(parts)
    ]
    return "".join(out)


def _assert_words_map_back(doc: Document, source: str) -> None:
    assert doc.offsets.source_ends or doc.text == ""
    for m in re.finditer(r"\S+", doc.text):
        span = doc.offsets.span_to_source(Span(m.start(), m.end()))
        assert 0 <= span.start <= span.end <= len(source)
        assert _visible(source[span.start : span.end]) == m.group(), (m.group(), span)


def _squeeze(text: str) -> str:
    return "".join(text.split())


# -- fixtures and examples -----------------------------------------------------------------------


def test_sample_html() -> None:
    source = (EDGE / "sample.html").read_text(encoding="utf-8")
    doc = load(EDGE / "sample.html")
    assert doc.format == "html"
    lines = doc.text.split("\n")
    assert lines[0] == "Note verbale"
    assert lines[1].startswith("The Permanent Mission of the Republic of Examplia to the United")
    assert "settled at the café & conference table." in lines[2]
    assert lines[3] == "Geneva\t4\xa0March\xa02024"
    assert lines[-1].endswith("the assurances of its highest consideration.")
    for absent in ("not text", "margin", "comment", "No. 12/2024"):
        assert absent not in doc.text
    assert doc.meta["title"] == "Note verbale No. 12/2024"
    assert doc.meta["lang"] == "en"
    assert doc.meta["encoding"] == "utf-8"
    _assert_words_map_back(doc, source)
    cafe = doc.text.index("café")
    span = doc.offsets.span_to_source(Span(cafe, cafe + 4))
    assert source[span.start : span.end] == "caf&eacute;"


def test_sample_tei_uses_the_body_only() -> None:
    source = (EDGE / "sample.xml").read_text(encoding="utf-8")
    doc = load(EDGE / "sample.xml")
    assert doc.format == "xml"
    assert doc.text.startswith("Geneva, 4 March 2024\nThe Permanent Mission of the Republic")
    assert "The delegation quotes: peace & security." in doc.text
    assert "Header text" not in doc.text
    assert "test suite" not in doc.text
    assert doc.meta["dialect"] == "tei"
    assert doc.meta["date"] == "2024-03-04"
    assert doc.meta["title"] == "Letter from the Permanent Mission of Examplia"
    _assert_words_map_back(doc, source)


def test_malformed_xml_names_the_line() -> None:
    path = str(EDGE / "malformed.xml")
    with pytest.raises(InputError) as exc:
        load(path)
    assert exc.value.path == path
    assert exc.value.problem.startswith("malformed XML at line 4")
    assert "para" in exc.value.problem


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("<a>\n<b>\n</a>", 3),
        ("<a>&undefined;</a>", 1),
        ("<a></a>\n<b/>", 2),
        ("text only", 1),
        ("<a x='1' x='2'/>", 1),
    ],
)
def test_malformed_xml_variants(source: str, line: int) -> None:
    with pytest.raises(InputError) as exc:
        load_bytes(source.encode(), path="m.xml")
    assert exc.value.problem.startswith(f"malformed XML at line {line}")


def test_malformed_html_is_recovered() -> None:
    doc = load(EDGE / "malformed.html")
    assert doc.text.split("\n") == [
        "The Mission regrets the delay",
        "and renews the assurances",
        "of its highest consideration",
        "unclosed cell & more",
    ]
    _assert_words_map_back(doc, (EDGE / "malformed.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "source",
    ["", "   \n ", "<!-- only a comment -->", "<html><head><title>t</title></head></html>"],
)
def test_html_without_text_is_empty(source: str) -> None:
    assert load_bytes(source.encode(), path="e.html").text == ""


def test_whitespace_only_xml_is_empty() -> None:
    assert load_bytes(b"  \n", path="e.xml").text == ""


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("<p>a<br>b<br/>c</p>", "a\nb\nc"),
        ("<p>one</p>\n\n<p>two</p>", "one\ntwo"),
        ("<p>  spaced \n\t out  </p>", "spaced out"),
        ("<p>in<b>line</b> and <i>more</i></p>", "inline and more"),
        ("<pre>  two  spaces\n kept</pre>", "  two  spaces\n kept"),
        ("<p>a &lt; b &amp;&amp; c &gt; d</p>", "a < b && c > d"),
        ("<p>AT&T &copy2024 &#169; &#xA9; &unknown;</p>", "AT&T ©2024 © © &unknown;"),
        ("<p>x < y</p>", "x < y"),
        ("<head><title>T</title></head><p>body</p>", "body"),
        ("<head><meta charset=utf-8>Implied body", "Implied body"),
        ("<p>a</p><script>if (a < b) { x = '</p>'; }</script><p>b</p>", "a\nb"),
        ("<style>p::before { content: '<b>' }</style>text", "text"),
        ("<p title='a > b'>attr</p>", "attr"),
        ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a\tb\nc"),
        ("<textarea>x &amp; <b>y</b></textarea>", "x & <b>y</b>"),
        ("<!DOCTYPE html><!-- c --><p>ok</p><?php echo 1 ?>", "ok"),
        ("<p>CDATA <![CDATA[ is a comment ]]> in HTML</p>", "CDATA in HTML"),
        ("<svg><title>icon</title></svg><p>after</p>", "after"),
        ("<ul><li>one<li>two</ul>", "one\ntwo"),
        # Cut off by the end of the file: a stray "<" is text, an unclosed tag or comment is not.
        ("text <!-- unclosed", "text"),
        ("a < b and c <d", "a < b and c"),
        ("1 < 2 > 0 < 5", "1 < 2 > 0 < 5"),
        ("<p>ok</p><![ <![ ]", "ok"),
    ],
)
def test_html_text_rules(source: str, text: str) -> None:
    doc = load_text(source, doc_id="t", format="html")
    assert doc.text == text
    if "<textarea>" not in source and "<pre>" not in source:
        _assert_words_map_back(doc, source)


def test_html_charset_declaration() -> None:
    body = "<p>Посольство Примерии</p>"
    data = b'<html><head><meta charset="windows-1251"></head><body>' + body.encode("cp1251")
    doc = load_bytes(data + b"</body></html>", path="ru.html")
    assert doc.text == "Посольство Примерии"
    assert doc.meta["encoding"] == "cp1251"
    # Latin-1 labels mean windows-1252 in HTML.
    latin = b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>\x93q\x94'
    assert load_bytes(latin, path="l.html").text == "\u201cq\u201d"


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("<r><p>one</p><p>two <hi>three</hi>four</p></r>", "one\ntwo threefour"),
        ("<r><![CDATA[a < b & c]]></r>", "a < b & c"),
        ("<!DOCTYPE r [<!ENTITY org 'Examplia'>]><r>&org; &#233;&#xE9;</r>", "Examplia éé"),
        ("<r a='x > y'>t<?pi data?><!-- c -->u</r>", "tu"),
        ("<r xmlns:x='urn:x'><x:p>a</x:p><x:p>b</x:p></r>", "a\nb"),
    ],
)
def test_xml_text_rules(source: str, text: str) -> None:
    doc = load_text(source, doc_id="t", format="xml")
    assert doc.text == text
    _assert_words_map_back(doc, source)


def test_xml_entity_with_markup_shows_its_text() -> None:
    source = "<!DOCTYPE r [<!ENTITY e '<hi>Ex</hi>ampl &amp; ia'>]><r>&e; x</r>"
    doc = load_text(source, doc_id="t", format="xml")
    assert doc.text == "Exampl & ia x"
    # Every character the entity stands for maps to the whole reference.
    assert doc.offsets.span_to_source(Span(0, 6)) == Span(source.index("&e;"), source.index(" x"))


def test_xhtml_uses_html_rules() -> None:
    source = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
        'lang="en"><head><title>Note</title><style>p{}</style></head>'
        "<body><p>The <b>Mission</b></p><p>regrets</p><script>no</script></body></html>"
    )
    doc = load_bytes(source.encode(), path="n.xhtml")
    assert doc.text == "The Mission\nregrets"
    assert doc.meta["title"] == "Note"
    _assert_words_map_back(doc, source)


def test_tei_details() -> None:
    source = (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T'
        "</title></titleStmt></fileDesc></teiHeader><text><front><p>front matter</p></front>"
        '<body><head>Heading</head><p>con<lb break="no"/>tinued and<lb/>broken</p>'
        "<p>note<note>a footnote</note> after</p>"
        "<p><choice><sic>teh</sic><corr>the</corr></choice> <choice><abbr>Amb.</abbr>"
        "<expan>Ambassador</expan></choice> <app><lem>said</lem><rdg>stated</rdg></app> "
        "<abbr>UN</abbr></p></body></text></TEI>"
    )
    doc = load_text(source, doc_id="t", format="xml")
    assert doc.text == (
        "Heading\ncontinued and\nbroken\nnote\na footnote\nafter\nthe Ambassador said UN"
    )
    _assert_words_map_back(doc, source)
    no_body = "<TEI><teiHeader><p>header</p></teiHeader><text><p>all</p></text></TEI>"
    assert load_text(no_body, doc_id="t", format="xml").text == "all"


def test_tei_date_prefers_the_letter_over_the_edition() -> None:
    source = (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><publicationStmt>'
        '<date when="2025-01-01"/></publicationStmt></fileDesc><profileDesc><correspDesc>'
        '<correspAction type="received"><date when="2021-05-09"/></correspAction>'
        '<correspAction type="sent"><date when="2021-05-02"/></correspAction>'
        "</correspDesc></profileDesc></teiHeader><text><body><p>x</p></body></text></TEI>"
    )
    assert load_text(source, doc_id="t", format="xml").meta["date"] == "2021-05-02"


def test_xml_encoding_declaration() -> None:
    data = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<r>Délégation</r>'.encode("latin-1")
    doc = load_bytes(data, path="l.xml")
    assert doc.text == "Délégation"
    assert doc.meta["encoding"] == "iso8859-1"
    utf16 = '<?xml version="1.0" encoding="UTF-16"?><r>Note</r>'.encode("utf-16")
    assert load_bytes(utf16, path="u.xml").text == "Note"


def test_offset_map_edges() -> None:
    empty = load_text("<p></p>", doc_id="e", format="html")
    assert empty.text == ""
    assert empty.offsets.span_to_source(Span(0, 0)) == Span(0, 0)
    source = "<p>ab&amp;</p>"
    doc = load_text(source, doc_id="d", format="html")
    assert doc.text == "ab&"
    offsets = doc.offsets
    assert offsets.to_source(0) == 3
    assert offsets.to_source(2) == 5
    assert offsets.span_to_source(Span(2, 3)) == Span(5, 10)
    assert offsets.span_to_source(Span(3, 3)) == Span(10, 10)
    assert offsets.to_source(3) == 10  # the end of the text maps to the end of its source


# -- properties ----------------------------------------------------------------------------------

_ATOMS = [
    "Mission",
    "caf",
    "é",
    "Examplia",
    "note",
    "&amp;",
    "&lt;",
    "&gt;",
    "&eacute;",
    "&#233;",
    "&#xE9;",
    "&quot;",
    "1",
]
_SPACES = [" ", " ", " ", "\n", "  ", "\n\t ", "&nbsp;"]

_XML_ATOMS = [a for a in _ATOMS if a != "&eacute;"]  # XML knows only its five named entities


@st.composite
def text_node(draw: st.DrawFn, *, xml: bool = False) -> str:
    atoms = _XML_ATOMS if xml else _ATOMS
    word = st.lists(st.sampled_from(atoms), min_size=1, max_size=3).map("".join)
    words = draw(st.lists(word, min_size=1, max_size=4))
    spaces = _SPACES[:-1] if xml else _SPACES
    out = draw(st.sampled_from(["", " ", "\n"]))
    for w in words:
        out += w + draw(st.sampled_from(spaces))
    return out


def _html_element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    tag = st.sampled_from(["p", "div", "b", "i", "span", "em", "h2", "li", "blockquote"])
    inner = st.lists(children, max_size=3).map("".join)
    attr = st.sampled_from(["", ' class="x"', " title='a > b'", " data-x=1"])
    return st.tuples(tag, attr, inner).map(lambda t: f"<{t[0]}{t[1]}>{t[2]}</{t[0]}>")


html_extras = st.sampled_from(
    [
        "<br>",
        "<!-- a comment <p>not</p> -->",
        "<script>var s = '<p>no</p>';</script>",
        "<style>p { x: '<b>' }</style>",
        "<img src='x.png' alt='picture'>",
    ]
)
html_fragment = st.recursive(st.one_of(text_node(), html_extras), _html_element, max_leaves=12)


@settings(deadline=None, max_examples=150)
@given(st.lists(html_fragment, min_size=1, max_size=4).map("".join))
def test_html_words_map_back_to_their_source(body: str) -> None:
    source = (
        f"<!DOCTYPE html><html><head><title>Title words</title></head><body>{body}</body></html>"
    )
    doc = load_text(source, doc_id="h", format="html")
    _assert_words_map_back(doc, source)
    # The same visible characters as lxml's own parse (a slow, independent reference).
    root = lxml_html.document_fromstring(source)
    texts = root.xpath(
        "//body//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::title)]"
    )
    assert isinstance(texts, list)
    assert _squeeze(doc.text) == _squeeze("".join(str(t) for t in texts))


def _xml_element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    tag = st.sampled_from(["p", "div", "hi", "note", "emph", "item", "x:seg"])
    inner = st.lists(children, max_size=3).map("".join)
    attr = st.sampled_from(["", ' rend="a>b"', " n='1'"])
    return st.tuples(tag, attr, inner).map(lambda t: f"<{t[0]}{t[1]}>{t[2]}</{t[0]}>")


xml_extras = st.sampled_from(
    [
        "<lb/>",
        "<!-- comment -->",
        "<?pi some data?>",
        "<![CDATA[ raw < text > here ]]>",  # spaces: no word spans its markers
        "&org;",
        "<empty/>",
    ]
)
xml_fragment = st.recursive(st.one_of(text_node(xml=True), xml_extras), _xml_element, max_leaves=12)
_XML_PROLOG = "<?xml version='1.0'?>\n<!DOCTYPE doc [<!ENTITY org \"Examplia\">]>\n"


@settings(deadline=None, max_examples=150)
@given(st.lists(xml_fragment, max_size=4).map("".join))
def test_xml_words_map_back_to_their_source(body: str) -> None:
    source = f"{_XML_PROLOG}<doc xmlns:x='urn:x'>{body}</doc>"
    doc = load_text(source, doc_id="x", format="xml")
    _assert_words_map_back(doc, source)
    root = etree.fromstring(source.encode())
    assert _squeeze(doc.text) == _squeeze("".join(str(t) for t in root.itertext()))


@settings(deadline=None, max_examples=100)
@given(st.lists(xml_fragment, max_size=3).map("".join), text_node(xml=True))
def test_tei_text_is_the_body(body: str, header: str) -> None:
    source = (
        f"{_XML_PROLOG}<TEI xmlns='http://www.tei-c.org/ns/1.0' xmlns:x='urn:x'>"
        f"<teiHeader><p>{header}</p></teiHeader><text><body>{body}</body></text></TEI>"
    )
    doc = load_text(source, doc_id="t", format="xml")
    _assert_words_map_back(doc, source)
    root = etree.fromstring(source.encode())
    body_el = next(root.iter("{*}body"))
    assert _squeeze(doc.text) == _squeeze("".join(str(t) for t in body_el.itertext()))


@st.composite
def pieces(draw: st.DrawFn) -> list[tuple[str, int, int]]:
    """Text pieces with increasing source ranges: linear (same length) or atomic (longer)."""
    out: list[tuple[str, int, int]] = []
    pos = 0
    for _ in range(draw(st.integers(0, 12))):
        pos += draw(st.integers(0, 5))
        text = draw(st.text(alphabet="abc ", min_size=1, max_size=6))
        length = len(text) + draw(st.sampled_from([0, 0, 2, 7]))
        out.append((text, pos, pos + length))
        pos += length
    return out


@given(pieces())
def test_offset_builder_maps_every_piece_to_its_source(parts: list[tuple[str, int, int]]) -> None:
    builder = OffsetBuilder()
    for text, start, end in parts:
        builder.add(text, start, end)
    text, offsets = builder.build()
    assert text == "".join(p[0] for p in parts)
    assert list(offsets.source_starts) == sorted(offsets.source_starts)
    t = 0
    for chunk, start, end in parts:
        span = Span(t, t + len(chunk))
        assert offsets.span_to_source(span) == Span(start, end)
        if end - start == len(chunk):  # linear: every character maps one to one
            for i in range(len(chunk)):
                assert offsets.span_to_source(Span(t + i, t + i + 1)) == Span(
                    start + i, start + i + 1
                )
        else:  # atomic: any character inside maps to the whole construct
            assert offsets.span_to_source(Span(t, t + 1)) == Span(start, end)
        t += len(chunk)
    if parts:
        assert offsets.to_source(len(text)) == parts[-1][2]
