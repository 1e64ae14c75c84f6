"""Loaders: the public API, plain text (encodings, binary refusal), errors, stdin and corpora."""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import docdiff.loaders
from docdiff.errors import InputError, LoaderWarning
from docdiff.loaders import (
    DEFAULT_MAX_BYTES,
    SUPPORTED_FORMATS,
    detect_format,
    globs,
    iter_corpus,
    load,
    load_bytes,
    load_text,
)
from docdiff.model import Document

EDGE = Path(__file__).resolve().parent.parent / "fixtures" / "edge"

# Text without control characters other than tab, CR and LF: what real prose files contain.
prose = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc")),
        st.sampled_from("\n\r\t"),
    ),
    max_size=300,
)


def _problem(exc: pytest.ExceptionInfo[InputError], path: str) -> str:
    assert exc.value.path == path
    assert str(exc.value).startswith(f"{path}: ")
    return exc.value.problem


# -- public API ----------------------------------------------------------------------------------


def test_public_api_is_pinned() -> None:
    assert sorted(docdiff.loaders.__all__) == sorted(
        [
            "DEFAULT_LIMITS",
            "DEFAULT_MAX_BYTES",
            "Limits",
            "SUPPORTED_FORMATS",
            "binary_kind",
            "detect_format",
            "globs",
            "iter_corpus",
            "load",
            "load_bytes",
            "load_text",
            "read_file",
            "special_kind",
        ]
    )
    assert set(SUPPORTED_FORMATS) == {"txt", "md", "html", "xml", "docx", "odt", "pdf"}
    assert DEFAULT_MAX_BYTES == 50_000_000


def test_importing_the_loaders_does_not_import_lxml_or_pypdf() -> None:
    code = (
        "import sys, docdiff.loaders; "
        "print(sorted(m for m in ('lxml', 'pypdf', 'zipfile') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "lxml" not in out
    assert "pypdf" not in out


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.txt", "txt"),
        ("a.TEXT", "txt"),
        ("a.md", "md"),
        ("a.markdown", "md"),
        ("a.html", "html"),
        ("a.HTM", "html"),
        ("a.xhtml", "xml"),
        ("a.xml", "xml"),
        ("a.tei", "xml"),
        ("a.docx", "docx"),
        ("a.odt", "odt"),
        ("a.pdf", "pdf"),
    ],
)
def test_detect_format_by_suffix(name: str, expected: str) -> None:
    assert detect_format(name, b"whatever") == expected
    assert detect_format(Path("folder") / name, b"") == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "txt"),
        (b"Plain words only.\n", "txt"),
        (b"  <!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        (b"<p>The Mission</p>", "html"),
        (b'<?xml version="1.0"?><letter><p>x</p></letter>', "xml"),
        (b'\xef\xbb\xbf<TEI xmlns="http://www.tei-c.org/ns/1.0"><text/></TEI>', "xml"),
        (b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>', "xml"),
        (b"< not a tag", "txt"),
        (b"%PDF-1.4\n", "pdf"),
    ],
)
def test_detect_format_by_content(data: bytes, expected: str) -> None:
    assert detect_format("no-suffix", data) == expected
    assert detect_format("notes.unknown", data) == expected


def test_detect_format_sniffs_docx_and_odt() -> None:
    assert detect_format("upload", (EDGE / "sample.docx").read_bytes()) == "docx"
    assert detect_format("upload", (EDGE / "sample.odt").read_bytes()) == "odt"


def test_other_zip_archives_are_not_documents() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    assert detect_format("upload", buf.getvalue()) == "txt"
    with pytest.raises(InputError) as exc:
        load_bytes(buf.getvalue(), path="-")
    assert _problem(exc, "-") == "binary file (a ZIP archive), cannot be read as txt"


def test_format_argument_overrides_the_suffix(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("<p>The <b>Mission</b></p>", encoding="utf-8")
    assert load(page).text == "<p>The <b>Mission</b></p>"
    doc = load(page, format="html")
    assert doc.format == "html"
    assert doc.text == "The Mission"
    assert load(page, format="TEXT").format == "txt"


def test_unknown_format_is_an_input_error() -> None:
    with pytest.raises(InputError) as exc:
        load_bytes(b"x", path="a.txt", format="rtf")
    assert "unknown format 'rtf'" in _problem(exc, "a.txt")


# -- plain text ----------------------------------------------------------------------------------


def test_txt_round_trip_and_document_fields() -> None:
    path = EDGE / "one_word.txt"
    doc = load(str(path))
    assert doc.text == "Excellency\n"
    assert doc.id == doc.path == str(path)
    assert doc.format == "txt"
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.offsets.is_identity
    assert doc.pages == ()
    assert doc.meta["encoding"] == "utf-8"


def test_id_is_the_path_as_given_and_can_be_overridden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text("# Note\r\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    doc = load(Path("sub") / "a.md")
    assert doc.id == doc.path == "sub/a.md"
    assert doc.format == "md"
    assert doc.text == "# Note\r\n"
    assert load("./sub/a.md").id == "./sub/a.md"
    assert load("sub/a.md", doc_id="letter-1").id == "letter-1"


@given(prose)
def test_utf8_text_loads_back_unchanged(text: str) -> None:
    assume(not text.startswith("\ufeff"))
    doc = load_bytes(text.encode("utf-8"), path="t.txt")
    assert doc.text == text
    assert doc.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()


@given(prose)
def test_a_bom_is_the_only_thing_removed(text: str) -> None:
    for bom, codec in [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ]:
        doc = load_bytes(bom + text.encode(codec), path="t.md")
        assert doc.text == text
        assert doc.meta["encoding"] == codec


# Words as cp1252 prose has them: a non-ASCII letter never stands next to another one, so no
# pair of bytes can pass for a UTF-8 sequence.
cp1252_words = st.lists(
    st.tuples(st.sampled_from("éü–“”€ŒœžŸÆæ"), st.text(alphabet="ab .\n", min_size=1, max_size=6)),
    min_size=1,
    max_size=20,
).map(lambda pairs: "".join(a + b for a, b in pairs))


@given(cp1252_words)
def test_cp1252_is_the_fallback_when_utf8_fails(text: str) -> None:
    doc = load_bytes(text.encode("cp1252"), path="t.txt")
    assert doc.text == text
    assert doc.meta["encoding"] == "cp1252"


@given(
    st.text(alphabet=st.sampled_from("aéü–“”€ŒœžŸ Ææ.\n"), min_size=1, max_size=80),
    st.lists(st.sampled_from([b"\xff", b"\xc3", b"\x80", b"\xe2\x80"]), min_size=1, max_size=3),
)
def test_a_few_bad_bytes_in_utf8_are_replaced_with_one_warning(text: str, bad: list[bytes]) -> None:
    data = text.encode("utf-8")
    valid = sum(1 for c in text if ord(c) > 127)
    assume(valid >= len(bad))
    mid = len(data) // 2
    while mid < len(data) and 0x80 <= data[mid] < 0xC0:  # not inside a character
        mid += 1
    data = data[:mid] + b" " + b" ".join(bad) + b" " + data[mid:]
    with pytest.warns(LoaderWarning) as caught:
        doc = load_bytes(data, path="t.txt")
    assert doc.meta["encoding"] == "utf-8"
    assert doc.text == data.decode("utf-8", "replace")
    assert len(caught) == 1
    message = str(caught[0].message)
    assert message.startswith("t.txt: not valid UTF-8: ")
    assert "\n" not in message


def test_one_stray_byte_in_utf8_is_not_cp1252() -> None:
    data = "Note verbale de la Mission – Genève, le 3 mars".encode() + b"\xff"
    with pytest.warns(LoaderWarning, match="1 bad byte sequence"):
        doc = load_bytes(data, path="t.txt")
    assert "Genève" in doc.text
    assert doc.text.endswith("\ufffd")


def test_cp1252_fixture() -> None:
    raw = (EDGE / "cp1252.txt").read_bytes()
    doc = load(EDGE / "cp1252.txt")
    assert doc.meta["encoding"] == "cp1252"
    assert doc.text == raw.decode("cp1252")
    assert "Département des traités" in doc.text
    assert "\u201cdraft resolution\u201d" in doc.text


def test_utf16_bom_fixture_keeps_crlf() -> None:
    doc = load(EDGE / "utf16_bom.txt")
    assert doc.meta["encoding"] == "utf-16-le"
    assert doc.text.startswith("The Permanent Mission of the Republic of Examplia")
    assert doc.text.endswith("provinces.\r\n")
    assert "\ufeff" not in doc.text


def test_utf16_without_bom_is_recognised() -> None:
    text = "The Mission presents its compliments.\n"
    assert load_bytes(text.encode("utf-16-le"), path="a.txt").text == text
    assert load_bytes(text.encode("utf-16-be"), path="a.txt").text == text


def test_bad_encoding_fixture_names_file_and_problem() -> None:
    path = str(EDGE / "bad_encoding.txt")
    with pytest.raises(InputError) as exc:
        load(path)
    problem = _problem(exc, path)
    assert problem.startswith("cannot decode text")
    assert "0x81" in problem


def test_bad_bytes_after_a_bom_are_reported() -> None:
    with pytest.raises(InputError) as exc:
        load_bytes(codecs.BOM_UTF8 + b"ok \xff\xfe", path="a.txt")
    assert "cannot decode UTF-8" in _problem(exc, "a.txt")


def test_binary_fixture_is_refused() -> None:
    path = str(EDGE / "binary.bin")
    with pytest.raises(InputError) as exc:
        load(path)
    assert _problem(exc, path).startswith("binary file (contains NUL bytes)")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"IHDR" * 10, "PNG image"),
        (b"%PDF-1.7\n1 0 obj\n", "PDF document"),
        (b"PK\x03\x04" + b"junk" * 10, "ZIP archive"),
        (b"\x7fELF\x02\x01\x01", "ELF executable"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"x" * 20, "OLE2"),
    ],
)
def test_known_binary_formats_are_refused_as_text(data: bytes, kind: str) -> None:
    for fmt in ("txt", "md", "html", "xml"):
        with pytest.raises(InputError) as exc:
            load_bytes(data, path="in.txt", format=fmt)
        problem = _problem(exc, "in.txt")
        assert kind in problem
        assert f"cannot be read as {fmt}" in problem


def test_many_control_characters_mean_binary() -> None:
    data = bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 10 + b"words " * 20
    with pytest.raises(InputError) as exc:
        load_bytes(data, path="x.txt")
    assert "too many control characters" in _problem(exc, "x.txt")
    # A form feed or an escape here and there is still text.
    assert load_bytes(b"page one\fpage two \x1b[1m", path="x.txt").text.startswith("page one")


# -- robustness: bad input is an InputError, never a traceback ----------------------------------


def _outcome(data: bytes, *, path: str, format: str | None = None) -> Document | InputError:
    """The document, or the InputError (any other exception fails the test).

    Loader notes (a few bad bytes replaced) are fine here: they are tested on their own.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LoaderWarning)
        try:
            return load_bytes(data, path=path, format=format)
        except InputError as exc:
            return exc


_SAMPLES = {
    name: (EDGE / name).read_bytes()
    for name in ("sample.docx", "sample.odt", "sample.pdf", "sample.html", "sample.xml")
}


@settings(deadline=None, max_examples=150)
@given(st.binary(max_size=2000), st.sampled_from(SUPPORTED_FORMATS))
def test_any_bytes_load_or_raise_input_error(data: bytes, fmt: str) -> None:
    assert detect_format("x", data) in SUPPORTED_FORMATS
    outcome = _outcome(data, path="x", format=fmt)
    if isinstance(outcome, InputError):
        assert outcome.path == "x"
        assert outcome.problem
    else:
        assert outcome.format == fmt


@settings(deadline=None, max_examples=150)
@given(
    st.sampled_from(sorted(_SAMPLES)),
    st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=8),
    st.floats(0, 1),
)
def test_damaged_documents_load_or_raise_input_error(
    name: str, flips: list[tuple[float, int]], keep: float
) -> None:
    data = bytearray(_SAMPLES[name])
    for where, value in flips:
        data[int(where * len(data))] = value
    damaged = bytes(data[: max(1, int(keep * len(data)))])
    outcome = _outcome(damaged, path=name)
    assert isinstance(outcome, Document) or outcome.path == name


# -- files: errors and limits --------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".xml", ".docx", ".odt", ".pdf"])
def test_empty_file_is_an_empty_document(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    doc = load(path)
    assert doc.text == ""
    assert doc.format == suffix[1:]
    assert doc.sha256 == hashlib.sha256(b"").hexdigest()


def test_empty_fixture() -> None:
    assert load(EDGE / "empty.txt").text == ""


def test_missing_file(tmp_path: Path) -> None:
    path = str(tmp_path / "nowhere.txt")
    with pytest.raises(InputError) as exc:
        load(path)
    assert _problem(exc, path) == "no such file"


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        load(tmp_path)
    assert "is a folder" in _problem(exc, str(tmp_path))


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("classified", encoding="utf-8")

    def refuse(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(docdiff.loaders._api, "open", refuse, raising=False)
    with pytest.raises(InputError) as exc:
        load(path)
    assert _problem(exc, str(path)) == "permission denied"


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads unreadable files"
)
def test_permission_denied_for_real(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("classified", encoding="utf-8")
    path.chmod(0)
    with pytest.raises(InputError) as exc:
        load(path)
    assert _problem(exc, str(path)) == "permission denied"


def test_too_large_file(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 300_000)  # 1.5 MB
    with pytest.raises(InputError) as exc:
        load(path, max_bytes=1_000_000)
    assert _problem(exc, str(path)) == "file is too large (1.5 MB; limit 1 MB)"
    assert load(path, max_bytes=1_500_000).text.startswith("word word")
    with pytest.raises(InputError) as exc:
        load(path, max_bytes=10)
    assert _problem(exc, str(path)) == "file is too large (1.5 MB; limit 10 bytes)"


# -- stdin ---------------------------------------------------------------------------------------


class _FakeStdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


@pytest.mark.parametrize(
    ("data", "fmt", "text"),
    [
        (b"The Mission presents its compliments.", "txt", "The Mission presents its compliments."),
        (b"<html><body><p>The <i>Mission</i></p></body></html>", "html", "The Mission"),
        (b"<letter><p>The</p><p>Mission</p></letter>", "xml", "The\nMission"),
        (b"", "txt", ""),
    ],
)
def test_stdin_is_read_as_dash(
    monkeypatch: pytest.MonkeyPatch, data: bytes, fmt: str, text: str
) -> None:
    monkeypatch.setattr(sys, "stdin", _FakeStdin(data))
    doc = load("-")
    assert (doc.id, doc.path, doc.format, doc.text) == ("-", "-", fmt, text)


def test_stdin_pdf_and_docx_are_sniffed(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, fmt in (("sample.pdf", "pdf"), ("sample.docx", "docx"), ("sample.odt", "odt")):
        monkeypatch.setattr(sys, "stdin", _FakeStdin((EDGE / name).read_bytes()))
        doc = load("-")
        assert doc.format == fmt
        assert "Examplia" in doc.text


def test_stdin_limit_and_format_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", _FakeStdin(b"x" * 100))
    with pytest.raises(InputError) as exc:
        load("-", max_bytes=50)
    assert "too large" in _problem(exc, "-")
    monkeypatch.setattr(sys, "stdin", _FakeStdin(b"<p>a</p>"))
    assert load("-", format="txt").text == "<p>a</p>"


def test_stdin_through_a_real_pipe() -> None:
    code = "from docdiff.loaders import load; d = load('-'); print(d.id, d.format, repr(d.text))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        input=b"<p>The &amp; Mission</p>",
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert out.strip() == "- html 'The & Mission'"


# -- load_text -----------------------------------------------------------------------------------


def test_load_text() -> None:
    doc = load_text("A\r\nB  C", doc_id="buffer")
    assert (doc.id, doc.path, doc.format, doc.text) == ("buffer", "", "txt", "A\r\nB  C")
    assert doc.sha256 == hashlib.sha256(b"A\r\nB  C").hexdigest()
    assert load_text("<p>A</p><p>B</p>", doc_id="b", format="html").text == "A\nB"
    assert load_text("<r><e>A</e><e>B</e></r>", doc_id="b", format="xml").text == "A\nB"
    with pytest.raises(InputError) as exc:
        load_text("x", doc_id="b", path="b.docx", format="docx")
    assert "binary format" in _problem(exc, "b.docx")


# -- corpora -------------------------------------------------------------------------------------


def _tree(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name, encoding="utf-8")


def test_iter_corpus_walks_sorted_and_skips_hidden(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        [
            "b.md",
            "a.txt",
            "c.csv",
            ".hidden/x.txt",
            ".g.txt",
            "~$lock.docx",
            "sub/d.html",
            "sub/deep/e.TXT",
            "drafts/f.txt",
            "z.pdf",
        ],
    )
    found = [p.relative_to(tmp_path).as_posix() for p in iter_corpus([tmp_path])]
    assert found == ["a.txt", "b.md", "z.pdf", "drafts/f.txt", "sub/d.html", "sub/deep/e.TXT"]
    assert all(p.is_relative_to(tmp_path) for p in iter_corpus([tmp_path]))


def test_iter_corpus_filters(tmp_path: Path) -> None:
    _tree(tmp_path, ["a.txt", "b.md", "sub/c.txt", "drafts/d.txt", "drafts/e.html"])

    def rel(**kw: tuple[str, ...]) -> list[str]:
        return [p.relative_to(tmp_path).as_posix() for p in iter_corpus([tmp_path], **kw)]

    assert rel(include=("*.txt",)) == ["a.txt", "drafts/d.txt", "sub/c.txt"]
    assert rel(exclude=("drafts/*",)) == ["a.txt", "b.md", "sub/c.txt"]
    assert rel(include=("*.txt", "*.md"), exclude=("sub/*", "drafts/*")) == ["a.txt", "b.md"]
    assert rel(include=("nothing*",)) == []


def test_an_include_glob_naming_files_reads_them_whatever_their_suffix(tmp_path: Path) -> None:
    """Files no loader knows by their suffix ("copyright", "README", "notes.rst") are walked
    when an include glob names them (not when it names a folder above them): the user asked
    for them, and loading decides their format from their content."""
    _tree(tmp_path, ["bash/copyright", "bash/README", "zsh/copyright", "zsh/a.txt", "n.rst"])

    def rel(**kw: tuple[str, ...]) -> list[str]:
        return [p.relative_to(tmp_path).as_posix() for p in iter_corpus([tmp_path], **kw)]

    with pytest.warns(LoaderWarning, match=r"4 files .* skipped \(no suffix 3, \.rst 1\)"):
        assert rel() == ["zsh/a.txt"]
    assert rel(include=("*/copyright",)) == ["bash/copyright", "zsh/copyright"]
    assert rel(include=("copyright", "*.rst")) == ["n.rst", "bash/copyright", "zsh/copyright"]
    # A folder: its supported files only (one other file in it, as many as read: unsaid).
    assert rel(include=("zsh",)) == ["zsh/a.txt"]
    assert rel(include=("zsh/",)) == ["zsh/a.txt"]
    assert rel(include=("*/copyright",), exclude=("zsh",)) == ["bash/copyright"]
    assert globs.walked("bash/copyright", ("*/copyright",))
    assert not globs.walked("bash/copyright", ("bash",))
    assert not globs.walked(".git/copyright", ("copyright",))


def test_iter_corpus_yields_direct_files_as_given(tmp_path: Path) -> None:
    _tree(tmp_path, ["notes.csv", "folder/a.txt", "folder/b.txt"])
    direct = tmp_path / "notes.csv"
    got = list(
        iter_corpus(
            [direct, tmp_path / "folder", tmp_path / "folder" / "a.txt"], exclude=("*.csv",)
        )
    )
    assert got == [direct, tmp_path / "folder" / "a.txt", tmp_path / "folder" / "b.txt"]
    assert list(iter_corpus(["-"])) == [Path("-")]


def test_iter_corpus_missing_path(tmp_path: Path) -> None:
    missing = str(tmp_path / "gone")
    with pytest.raises(InputError) as exc:
        list(iter_corpus([missing]))
    assert _problem(exc, missing) == "no such file or folder"


def test_a_folder_mostly_of_other_types_says_what_it_skipped(tmp_path: Path) -> None:
    """A folder of 143 reStructuredText pages and two .txt files (CMake's policies) gave "2
    documents" and no word of the others: the walk says in one line what it skipped for its
    type, when those files outnumber the documents read, and how to read them."""
    for n in range(3):
        (tmp_path / f"CMP000{n}.rst").write_text("A policy.\n", encoding="utf-8")
    (tmp_path / "DEPRECATED.txt").write_text("Deprecated.\n", encoding="utf-8")
    (tmp_path / ".hidden.rst").write_text("x\n", encoding="utf-8")  # hidden: not counted
    with pytest.warns(LoaderWarning) as caught:
        found = list(iter_corpus([tmp_path]))
    assert [p.name for p in found] == ["DEPRECATED.txt"]
    (said,) = [str(w.message) for w in caught]
    assert "3 files of a type read by no loader skipped (.rst 3)" in said, said
    assert said.endswith("--include '*.rst'"), said
    # Named by a glob, they are read, and nothing is said.
    with warnings.catch_warnings():
        warnings.simplefilter("error", LoaderWarning)
        assert len(list(iter_corpus([tmp_path], include=["*.rst", "*.txt"]))) == 4


def test_a_few_files_of_other_types_beside_documents_pass_unsaid(tmp_path: Path) -> None:
    for n in range(3):
        (tmp_path / f"letter{n}.txt").write_text("A letter.\n", encoding="utf-8")
    (tmp_path / "meta.csv").write_text("id,sender\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", LoaderWarning)
        assert len(list(iter_corpus([tmp_path]))) == 3


def test_compressed_files_are_not_offered_as_text(tmp_path: Path) -> None:
    for n in range(2):
        (tmp_path / f"changelog{n}.gz").write_bytes(b"\x1f\x8b\x08\x00")
    (tmp_path / "copyright").write_text("Copyright.\n", encoding="utf-8")
    with pytest.warns(LoaderWarning) as caught:
        assert list(iter_corpus([tmp_path])) == []
    (said,) = [str(w.message) for w in caught]
    assert "(.gz 2, no suffix 1)" in said, said
    assert "--include" not in said, said
