"""Loader limits (checked while reading), the glob dialect, and the corpus walk's special files."""

from __future__ import annotations

import io
import os
import re
import socket
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docdiff.errors import InputError, LimitError, LoaderWarning
from docdiff.loaders import Limits, globs, iter_corpus, load, load_bytes, load_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def _zip(parts: dict[str, str | bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in parts.items():
            zf.writestr(name, content)
    return buf.getvalue()


def _docx(body: str) -> bytes:
    return _zip(
        {"word/document.xml": f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'}
    )


def _odt(body: str) -> bytes:
    content = (
        f"<office:document-content {ODF_NS}><office:body><office:text>{body}"
        "</office:text></office:body></office:document-content>"
    )
    return _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": content})


def _limit(data: bytes, path: str, limits: Limits) -> str:
    """The problem of the LimitError loading `data` raises (one line, naming the file)."""
    with pytest.raises(LimitError) as exc:
        load_bytes(data, path=path, limits=limits)
    assert exc.value.path == path
    assert "\n" not in str(exc.value)
    return exc.value.problem


# -- limits, one loader at a time ----------------------------------------------------------------


def test_html_text_limit_stops_entity_expansion() -> None:
    data = b"<p>" + b"&NotNestedGreaterGreater;" * 100
    assert "extracted text exceeds 150" in _limit(data, "a.html", Limits(max_text=150))
    assert len(load_bytes(data, path="a.html", limits=Limits(max_text=250)).text) == 200


def test_html_element_limit_counts_tags_and_entities() -> None:
    assert "more than 10 tags" in _limit(b"<b>" * 11, "a.html", Limits(max_elements=10))
    assert "more than 10 tags" in _limit(b"&amp;" * 11, "a.html", Limits(max_elements=10))
    load_bytes(b"<b>" * 9, path="a.html", limits=Limits(max_elements=10))


def test_html_open_element_limit() -> None:
    problem = _limit(b"<b><i>" * 10 + b"x", "a.html", Limits(max_open_html=15))
    assert "nested deeper than 15" in problem
    # Closed elements do not pile up.
    load_bytes(b"<b>x</b>" * 100, path="a.html", limits=Limits(max_open_html=2))


def test_load_text_honours_limits() -> None:
    with pytest.raises(LimitError):
        load_text("<p>" * 20, doc_id="buffer", format="html", limits=Limits(max_elements=5))


def test_xml_limits() -> None:
    deep = b"<a>" * 6 + b"x" + b"</a>" * 6
    assert "nested deeper than 5" in _limit(deep, "a.xml", Limits(max_depth=5))
    flat = b"<d>" + b"<p>x</p>" * 20 + b"</d>"
    assert "more than 10 XML elements" in _limit(flat, "a.xml", Limits(max_elements=10))
    entity = b'<!DOCTYPE d [<!ENTITY e "0123456789">]><d>' + b"&e; " * 30 + b"</d>"
    assert "extracted text exceeds 100" in _limit(entity, "a.xml", Limits(max_text=100))


def test_xml_deeper_than_libxml2_allows_is_a_limit_error() -> None:
    deep = b"<a>" * 300 + b"</a>" * 300
    assert "nested deeper than 256" in _limit(deep, "a.xml", Limits())


def test_docx_limits() -> None:
    paragraphs = "<w:p><w:r><w:t>word</w:t></w:r></w:p>" * 50
    data = _docx(paragraphs)
    assert "more than 40 XML elements" in _limit(data, "a.docx", Limits(max_xml_elements=40))
    assert "extracted text exceeds 100" in _limit(data, "a.docx", Limits(max_text=100))
    one_paragraph = _docx("<w:p>" + "<w:r><w:t>w</w:t></w:r>" * 50 + "</w:p>")
    problem = _limit(one_paragraph, "a.docx", Limits(max_live_elements=60))
    assert "one paragraph or table" in problem
    # Many paragraphs in a row are pruned as they end, so they never pile up.
    doc = load_bytes(data, path="a.docx", limits=Limits(max_live_elements=10))
    assert doc.text == "\n".join(["word"] * 50)


def test_docx_in_a_content_control_keeps_paragraphs_collapsed() -> None:
    # A wrapper around the whole body: its paragraphs are collapsed to one element each.
    body = "<w:sdt><w:sdtContent>" + "<w:p><w:r><w:t>w</w:t></w:r></w:p>" * 30
    body += "</w:sdtContent></w:sdt>"
    doc = load_bytes(_docx(body), path="a.docx", limits=Limits(max_live_elements=40))
    assert doc.text == "\n".join(["w"] * 30)


def test_odt_space_runs_count_against_the_text_limit() -> None:
    data = _odt("<text:p>" + '<text:s text:c="1000"/>' * 20 + "x</text:p>")
    assert "extracted text exceeds 5,000" in _limit(data, "a.odt", Limits(max_text=5_000))


def test_odt_odd_space_counts_are_one_space() -> None:
    # A huge, non-ASCII-digit or empty count is one space, never an int() overflow.
    body = '<text:p>a<text:s text:c="9{}"/>b<text:s text:c="²"/>c<text:s text:c=""/>d</text:p>'
    doc = load_bytes(_odt(body.format("9" * 5000)), path="a.odt")
    assert doc.text == "a" + " " * 1000 + "b c d"


def test_odt_tails_and_notes_survive_streaming() -> None:
    body = (
        "<text:section><text:p>one <text:span>two</text:span> three"
        "<text:note><text:note-body><text:p>the note</text:p></text:note-body></text:note>"
        " four</text:p></text:section><text:p>five</text:p>"
    )
    doc = load_bytes(_odt(body), path="a.odt", limits=Limits(max_live_elements=20))
    assert doc.text == "one two three four\nfive\nthe note"


def test_zip_member_count_is_read_from_the_directory_first() -> None:
    parts: dict[str, str | bytes] = {f"x{i}": b"" for i in range(30)}
    parts["word/document.xml"] = f'<w:document xmlns:w="{W}"><w:body/></w:document>'
    assert "more than 20 ZIP entries" in _limit(_zip(parts), "a.docx", Limits(max_zip_members=20))


def test_zip_ratio_and_unpacked_limits() -> None:
    bomb = _docx("<w:p><w:r><w:t>" + "a" * 5_000_000 + "</w:t></w:r></w:p>")
    assert "compressed" in _limit(bomb, "a.docx", Limits())
    small = _docx("<w:p><w:r><w:t>" + "a" * 3_000 + "</w:t></w:r></w:p>")
    problem = _limit(small, "a.docx", Limits(max_part_bytes=1_000))
    assert "would uncompress to 3.1 KB (limit 1 KB)" in problem


def test_all_parts_together_count_against_the_unpacked_limit() -> None:
    paragraph = "<w:p><w:r><w:t>" + "a" * 3_000 + "</w:t></w:r></w:p>"
    notes = f'<w:footnotes xmlns:w="{W}"><w:footnote>{paragraph}</w:footnote></w:footnotes>'
    data = _zip(
        {
            "word/document.xml": f'<w:document xmlns:w="{W}"><w:body>{paragraph}</w:body>'
            "</w:document>",
            "word/footnotes.xml": notes,
        }
    )
    load_bytes(data, path="a.docx", limits=Limits(max_unpacked=8_000))
    problem = _limit(data, "a.docx", Limits(max_unpacked=5_000))
    assert problem == "DOCX archive uncompresses beyond 5 KB; refusing a possible zip bomb"


def test_pdf_pages_count_against_limits() -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(5):
        writer.add_blank_page(width=100, height=100)
    buf = io.BytesIO()
    writer.write(buf)
    assert "more than 3 PDF pages" in _limit(buf.getvalue(), "a.pdf", Limits(max_elements=3))


def test_messages_stay_on_one_line() -> None:
    # lxml's message for an unfinished CDATA section quotes the text after it, newline included
    # (found by fuzzing).
    with pytest.raises(InputError) as exc:
        load_bytes(b"<?xml version='1.0'?><d><![CDATA[a\nb", path="a.xml")
    assert "\n" not in str(exc.value)


# -- globs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("docs/*.txt", "docs/a.txt", True),
        ("docs/*.txt", "docs/a/b.txt", False),  # the case: * stays in its segment
        ("docs/**/*.txt", "docs/a/b.txt", True),
        ("docs/**/*.txt", "docs/b.txt", True),
        ("**/*.txt", "a.txt", True),
        ("**/*.txt", "x/y/a.txt", True),
        ("*.txt", "x/y/a.txt", True),  # no "/": any depth
        ("/*.txt", "x/a.txt", False),  # a leading "/" anchors
        ("/*.txt", "a.txt", True),
        ("drafts", "drafts/2024/a.txt", True),  # a folder covers its contents
        ("drafts", "old/drafts/a.txt", True),
        ("drafts/", "drafts", False),  # folders only
        ("drafts/", "drafts/a.txt", True),
        ("docs/**", "docs/a/b.txt", True),
        ("docs/**", "docsx/a.txt", False),
        ("a?.txt", "ab.txt", True),
        ("a?.txt", "a/.txt", False),
        ("[ab].txt", "b.txt", True),
        ("[!ab].txt", "c.txt", True),
        ("[!ab].txt", "a.txt", False),
        ("[a-c]x.md", "bx.md", True),
        ("[.txt", "[.txt", True),  # an unclosed bracket is literal
        ("a**b.txt", "a/x/b.txt", False),  # ** inside a segment is a plain *
        ("", "a.txt", False),
    ],
)
def test_glob_dialect(pattern: str, path: str, expected: bool) -> None:
    assert globs.match(pattern, path) is expected
    assert globs.compile(pattern).match(path) is expected


segment = st.text(alphabet="abc.-_", min_size=1, max_size=5)
paths = st.lists(segment, min_size=1, max_size=5).map("/".join)


@given(paths)
def test_a_path_matches_itself_and_globs_of_its_suffixes(path: str) -> None:
    assert globs.match(path, path)
    assert globs.match("**/" + path.rsplit("/", 1)[-1], path)
    assert globs.match("**", path)
    assert globs.match("/" + path, path)


@given(paths, st.lists(segment, min_size=1, max_size=3).map("/".join))
def test_star_never_crosses_a_slash(folder: str, rest: str) -> None:
    # No segment of `rest` ends in ".q", so only a whole match can succeed.
    assert globs.match(f"/{folder}/*.q", f"{folder}/{rest}.q") is ("/" not in rest)
    assert globs.match(f"/{folder}/**/*.q", f"{folder}/{rest}.q")


@given(st.text(max_size=12), paths)
def test_any_pattern_compiles_and_answers(pattern: str, path: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no FutureWarning from a nested set, say
        assert globs.match(pattern, path) in (True, False)
    if not re.search(r"[*?\[\]]", pattern) and pattern.strip("/") == path:
        assert globs.match(pattern, path)


def test_corpus_walk_uses_the_glob_dialect(tmp_path: Path) -> None:
    for rel in ("docs/a.txt", "docs/sub/b.txt", "drafts/c.txt", "d.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("words", encoding="utf-8")

    def found(**kwargs: list[str]) -> list[str]:
        return [p.relative_to(tmp_path).as_posix() for p in iter_corpus([tmp_path], **kwargs)]

    assert found(include=["docs/*.txt"]) == ["docs/a.txt"]
    assert found(include=["docs/**/*.txt"]) == ["docs/a.txt", "docs/sub/b.txt"]
    assert found(exclude=["drafts"]) == ["d.txt", "docs/a.txt", "docs/sub/b.txt"]


# -- special files -------------------------------------------------------------------------------


@pytest.fixture
def odd_folder(tmp_path: Path) -> Iterator[Path]:
    (tmp_path / "a.txt").write_text("a letter", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(os.fspath(tmp_path / "sock.md"))
    (tmp_path / "loop.txt").symlink_to("loop.txt")
    (tmp_path / "gone.txt").symlink_to("missing.txt")
    (tmp_path / "link.txt").symlink_to("a.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to("..")  # a folder loop: never followed
    try:
        yield tmp_path
    finally:
        sock.close()


def test_special_files_are_skipped_with_one_note_each(odd_folder: Path) -> None:
    with pytest.warns(LoaderWarning) as caught:
        found = [p.name for p in iter_corpus([odd_folder])]
    assert found == ["a.txt", "link.txt"]
    notes = sorted(str(w.message) for w in caught)
    assert notes == sorted(
        [
            f"{odd_folder / 'gone.txt'}: broken symlink (skipped)",
            f"{odd_folder / 'loop.txt'}: symlink loop (skipped)",
            f"{odd_folder / 'pipe.txt'}: a FIFO (named pipe), not a regular file (skipped)",
            f"{odd_folder / 'sock.md'}: a socket, not a regular file (skipped)",
        ]
    )


def test_a_fifo_named_directly_reads_without_blocking(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    assert load(pipe).text == ""  # no writer: empty, at once


def test_a_fifo_with_a_writer_is_read_to_its_end(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    read_end = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)  # lets the writer open at once
    try:
        write_end = os.open(pipe, os.O_WRONLY)
        os.write(write_end, b"written into the pipe")
        os.close(write_end)
        # The data waits in the pipe (kept open by `read_end`); the writer has gone, so the
        # read ends instead of waiting.
        assert load(pipe).text == "written into the pipe"
    finally:
        os.close(read_end)


def test_devices_named_directly_are_refused() -> None:
    with pytest.raises(InputError) as exc:
        load("/dev/null")
    assert exc.value.problem == "is a character device, not a file"
