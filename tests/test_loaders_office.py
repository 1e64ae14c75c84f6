"""DOCX, ODT and PDF loading: text, tables, notes, page starts, and every way a file can be bad."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfWriter

from docdiff.errors import InputError, LimitError
from docdiff.loaders import Limits, load, load_bytes

EDGE = Path(__file__).resolve().parent.parent / "fixtures" / "edge"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ODT_MIME = "application/vnd.oasis.opendocument.text"
ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def _zip(parts: dict[str, str | bytes]) -> bytes:
    """A ZIP archive of `parts`, byte-for-byte stable (a fixed timestamp: the bytes show up in
    test ids, which pytest-xdist workers must agree on)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            zf.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _docx(body: str, **extra: str) -> bytes:
    document = f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    return _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": document, **extra})


def _odt(text: str) -> bytes:
    content = (
        f"<office:document-content {ODF_NS}><office:body><office:text>{text}"
        "</office:text></office:body></office:document-content>"
    )
    return _zip({"mimetype": ODT_MIME, "content.xml": content})


def _problem(exc: pytest.ExceptionInfo[InputError], path: str) -> str:
    assert exc.value.path == path
    assert str(exc.value).startswith(f"{path}: ")
    return exc.value.problem


# -- DOCX ----------------------------------------------------------------------------------------


def test_sample_docx() -> None:
    doc = load(EDGE / "sample.docx")
    assert doc.format == "docx"
    lines = doc.text.split("\n")
    assert lines[0] == "Note verbale"
    assert lines[1] == "No. 12/2024\tGeneva"  # a run's tab, not the paragraph's tab stop
    assert lines[2].startswith("The Permanent Mission of the Republic of Examplia to the United")
    assert lines[2].endswith("northern provinces.")  # two runs, one paragraph
    assert "Sender\tPermanent Mission of Examplia" in lines
    assert "Recipient\tOffice of the High Commissioner" in lines
    assert "A deleted word stays out." in lines  # tracked deletions are not text
    assert lines[-1] == "See document A/HRC/55/1."  # footnotes follow the body
    assert "" not in lines  # empty paragraphs leave no blank lines
    assert doc.meta["title"] == "Note verbale 12/2024"
    assert doc.meta["author"] == "Examplia"
    assert doc.meta["date"] == "2024-03-04T09:00:00Z"


def test_docx_details() -> None:
    body = (
        "<w:p><w:r><w:t>line</w:t><w:br/><w:t>break</w:t></w:r></w:p>"
        "<w:sdt><w:sdtContent><w:p><w:r><w:t>in a content control</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
        "<w:p><w:r><w:instrText>PAGE \\* MERGEFORMAT</w:instrText></w:r>"
        "<w:r><w:t>self</w:t><w:noBreakHyphen/><w:t>determination</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p><w:p><w:r><w:t>b</w:t></w:r>"
        "</w:p></w:tc><w:tc><w:p><w:r><w:t>c</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    )
    doc = load_bytes(_docx(body), path="d.docx")
    assert doc.text == "line\nbreak\nin a content control\nself-determination\na b\tc"


def test_malformed_docx_fixture() -> None:
    path = str(EDGE / "malformed.docx")
    with pytest.raises(InputError) as exc:
        load(path)
    assert _problem(exc, path) == "not a DOCX file: the archive has no word/document.xml"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"this is not a zip archive at all", "not a valid DOCX file (corrupt ZIP archive"),
        (b"PK\x03\x04" + b"\x00" * 40, "not a valid DOCX file (corrupt ZIP archive"),
        (
            _zip({"word/document.xml": "<w:document><w:body>"}),
            "malformed XML in DOCX part word/document.xml at line 1",
        ),
        (
            _zip({"word/document.xml": f'<w:document xmlns:w="{W}"/>'}),
            "not a DOCX file: word/document.xml has no w:body",
        ),
    ],
)
def test_bad_docx(data: bytes, expected: str) -> None:
    with pytest.raises(InputError) as exc:
        load_bytes(data, path="bad.docx")
    assert _problem(exc, "bad.docx").startswith(expected)


def test_truncated_docx_is_refused() -> None:
    data = (EDGE / "sample.docx").read_bytes()
    with pytest.raises(InputError) as exc:
        load_bytes(data[: len(data) // 2], path="cut.docx")
    assert "corrupt" in _problem(exc, "cut.docx")


def test_zip_bomb_guard() -> None:
    body = "<w:p><w:r><w:t>" + "compliments " * 20_000 + "</w:t></w:r></w:p>"
    data = _docx(body)
    assert len(data) < 10_000  # it compresses very well: that is the point
    with pytest.raises(LimitError) as exc:
        load_bytes(data, path="bomb.docx", limits=Limits(max_part_bytes=100_000))
    problem = _problem(exc, "bomb.docx")
    assert "word/document.xml" in problem
    assert "zip bomb" in problem


def test_docx_does_not_expand_external_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret", encoding="utf-8")
    document = (
        f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>a&xxe;b</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    data = _zip({"word/document.xml": document})
    try:
        doc = load_bytes(data, path="x.docx")
    except InputError:
        return  # refusing the document is fine too
    assert "top secret" not in doc.text


# -- ODT -----------------------------------------------------------------------------------------


def test_sample_odt() -> None:
    doc = load(EDGE / "sample.odt")
    assert doc.format == "odt"
    lines = doc.text.split("\n")
    assert lines[0] == "Note verbale"
    assert lines[1].startswith("The Permanent Mission of the Republic of Examplia")
    assert lines[1].endswith("northern provinces.")  # the note body is not inline
    assert "No. 12/2024\tGeneva   2024" in lines
    assert "Sender\tPermanent Mission of Examplia" in lines
    assert lines[-1] == "See document A/HRC/55/1."
    assert doc.meta["title"] == "Note verbale 12/2024"
    assert doc.meta["date"] == "2024-03-04T09:00:00"


def test_odt_whitespace_collapses_like_odf_says() -> None:
    doc = load_bytes(
        _odt("<text:p>  The\n   Mission <text:span>regrets</text:span></text:p>"), path="o.odt"
    )
    assert doc.text == "The Mission regrets"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (_zip({"mimetype": ODT_MIME}), "not an ODT file: the archive has no content.xml"),
        (
            _zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": ""}),
            "not an ODT text document (mimetype",
        ),
        (
            _zip({"content.xml": "<office:document-content>"}),
            "malformed XML in ODT part content.xml",
        ),
        (b"garbage", "not a valid ODT file (corrupt ZIP archive"),
    ],
)
def test_bad_odt(data: bytes, expected: str) -> None:
    with pytest.raises(InputError) as exc:
        load_bytes(data, path="bad.odt")
    assert _problem(exc, "bad.odt").startswith(expected)


# -- PDF -----------------------------------------------------------------------------------------


def test_sample_pdf_keeps_pages() -> None:
    doc = load(EDGE / "sample.pdf")
    assert doc.format == "pdf"
    assert len(doc.pages) == 2
    assert doc.pages[0] == 0
    assert doc.meta["pages"] == "2"
    second = doc.text.index("The Government of Examplia")
    assert doc.pages[1] == second
    assert doc.text[: doc.pages[1]].startswith("Note verbale No. 12/2024\nThe Permanent Mission")
    assert doc.page_of(0) == 1
    assert doc.page_of(second - 1) == 1
    assert doc.page_of(second) == 2
    assert doc.page_of(len(doc.text) - 1) == 2


def test_pdf_with_a_broken_xref_loads_without_warnings_escaping() -> None:
    # pytest turns warnings into errors: pypdf's recovery warnings must stay inside the loader.
    data = (EDGE / "sample.pdf").read_bytes()
    broken = data[: data.rindex(b"startxref")] + b"startxref\n123\n%%EOF\n"
    doc = load_bytes(broken, path="broken.pdf")
    assert "highest consideration" in doc.text


def _encrypted(user_password: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_pdf_metadata() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata(
        {"/Title": "Note  verbale", "/Author": "Examplia", "/CreationDate": "D:20240304091500Z"}
    )
    buf = io.BytesIO()
    writer.write(buf)
    doc = load_bytes(buf.getvalue(), path="m.pdf")
    assert (doc.meta["title"], doc.meta["author"]) == ("Note verbale", "Examplia")
    assert doc.meta["date"] == "2024-03-04"


def test_encrypted_pdf_is_refused() -> None:
    with pytest.raises(InputError) as exc:
        load_bytes(_encrypted("secret"), path="locked.pdf")
    assert "encrypted" in _problem(exc, "locked.pdf")


def test_pdf_with_an_empty_user_password_opens() -> None:
    doc = load_bytes(_encrypted(""), path="open.pdf")
    assert doc.pages == (0,)


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4\nnothing else here\n", b"%PDF-", b"not a pdf at all, just words"],
)
def test_corrupt_pdf_is_refused(data: bytes) -> None:
    with pytest.raises(InputError) as exc:
        load_bytes(data, path="bad.pdf")
    assert _problem(exc, "bad.pdf").startswith("corrupt PDF file")


def test_truncated_pdf_is_refused() -> None:
    data = (EDGE / "sample.pdf").read_bytes()
    with pytest.raises(InputError) as exc:
        load_bytes(data[:400], path="cut.pdf")
    assert "corrupt PDF" in _problem(exc, "cut.pdf")
