"""Hostile and unlucky input to the loaders, through the real command line.

Every input is generated here (nothing large is committed). Each case runs ``python -m docdiff``
in a subprocess with an address-space limit (`_limits.ADDRESS_SPACE`) and asserts the exit code,
exactly one stderr line where one is due, and the peak resident memory; time is bounded only by
a generous timeout, so a hang or a quadratic scan fails instead of stalling.
"""

from __future__ import annotations

import importlib.util
import io
import os
import random
import socket
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile._limits import PEAK_RSS, ROOT, Run, run_docdiff

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
ODT_MIME = "application/vnd.oasis.opendocument.text"
LETTER = (
    "The Permanent Mission of the Republic of Examplia to the United Nations presents its "
    "compliments to the Office of the High Commissioner for Human Rights and has the honour "
    "to refer to the communication of 3 March concerning the situation in the provinces.\n"
)


def _zip(parts: dict[str, str | bytes], *, level: int = 9) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, content in parts.items():
            zf.writestr(name, content)
    return buf.getvalue()


def _odt(body: str) -> bytes:
    content = (
        f"<office:document-content {ODF_NS}><office:body><office:text>{body}"
        "</office:text></office:body></office:document-content>"
    )
    return _zip({"mimetype": ODT_MIME, "content.xml": content})


def _docx(body: str) -> bytes:
    document = f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    return _zip({"word/document.xml": document})


def _words(n: int, seed: int) -> Iterator[str]:
    """Random four-letter words: text that compresses like prose, not like a bomb."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    for _ in range(n):
        yield "".join(rng.choice(letters) for _ in range(4))


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    path = tmp_path / "letter.txt"
    path.write_text(LETTER, encoding="utf-8")
    return path


def _refused(run: Run, path: Path, *needles: str) -> None:
    """Exit 2 with exactly one line naming the file and the problem, within the memory bound."""
    assert run.code == 2, run.describe()
    assert len(run.lines) == 1, run.describe()
    line = run.lines[0]
    assert line.startswith(f"docdiff: {path}: "), run.describe()
    for needle in needles:
        assert needle in line, run.describe()
    assert "Traceback" not in run.stderr
    _bounded(run)


def _bounded(run: Run) -> None:
    assert run.peak_rss is not None, run.describe()
    assert run.peak_rss < PEAK_RSS, run.describe()


def _loaded(run: Run) -> None:
    """Exit 0, nothing on stderr, within the memory bound."""
    assert run.code == 0, run.describe()
    assert run.lines == [], run.describe()
    _bounded(run)


# -- archives ------------------------------------------------------------------------------------


def test_odt_space_runs_compressed_like_a_bomb(tmp_path: Path, letter: Path) -> None:
    # The case: <text:s text:c="1000"/> repeated, a few hundred KB zipped.
    path = tmp_path / "spaces.odt"
    path.write_bytes(_odt("<text:p>" + '<text:s text:c="1000"/>' * 3_000_000 + "</text:p>"))
    assert len(path.read_bytes()) < 400_000
    _refused(run_docdiff("compare", path, letter), path, "zip bomb")


def test_odt_space_runs_that_compress_like_prose(tmp_path: Path, letter: Path) -> None:
    # No bomb-like ratio: the text limit has to stop the expansion while the part streams by.
    body = "".join(
        f'<text:p>{w}<text:s text:c="1000"/>{w}<text:s text:c="999"/></text:p>'
        for w in _words(30_000, seed=1)
    )
    path = tmp_path / "spaces.odt"
    path.write_bytes(_odt(body))
    _refused(run_docdiff("compare", path, letter), path, "extracted text exceeds")


def test_docx_of_tiny_paragraphs_compressed_like_a_bomb(tmp_path: Path, letter: Path) -> None:
    path = tmp_path / "tiny.docx"
    path.write_bytes(_docx("<w:p><w:r><w:t>a</w:t></w:r></w:p>" * 3_000_000))
    assert len(path.read_bytes()) < 450_000
    _refused(run_docdiff("compare", path, letter), path, "zip bomb")


def test_docx_of_many_small_paragraphs_loads_in_bounded_memory(
    tmp_path: Path, letter: Path
) -> None:
    # 60,000 paragraphs (180,000 elements), streamed: finished paragraphs are pruned.
    body = "".join(f"<w:p><w:r><w:t>{w}</w:t></w:r></w:p>" for w in _words(60_000, seed=2))
    path = tmp_path / "many.docx"
    path.write_bytes(_docx(body))
    _loaded(run_docdiff("compare", path, letter, "--format", "json"))


def test_docx_with_too_many_zip_entries(tmp_path: Path, letter: Path) -> None:
    parts: dict[str, str | bytes] = {f"junk/{i}.xml": b"" for i in range(12_000)}
    parts["word/document.xml"] = f'<w:document xmlns:w="{W}"><w:body/></w:document>'
    path = tmp_path / "entries.docx"
    path.write_bytes(_zip(parts, level=1))
    _refused(run_docdiff("compare", path, letter), path, "ZIP entries")


def test_zip_header_lying_about_sizes_is_caught_while_reading(tmp_path: Path, letter: Path) -> None:
    # A member whose header claims 100 bytes while its data inflates to 20 MB.
    data = bytearray(_docx("<w:p><w:r><w:t>" + "x" * 20_000_000 + "</w:t></w:r></w:p>"))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("word/document.xml")
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(sig)
        while at >= 0:
            name_len = int.from_bytes(data[at + size_at + 4 : at + size_at + 6], "little")
            if sig == b"PK\x01\x02":
                name_len = int.from_bytes(data[at + 28 : at + 30], "little")
                name = data[at + 46 : at + 46 + name_len]
            else:
                name = data[at + 30 : at + 30 + name_len]
            if name == info.filename.encode():
                data[at + size_at : at + size_at + 4] = (100).to_bytes(4, "little")
            at = data.find(sig, at + 4)
    path = tmp_path / "liar.docx"
    path.write_bytes(bytes(data))
    run = run_docdiff("compare", path, letter)
    assert run.code == 2, run.describe()
    assert len(run.lines) == 1, run.describe()
    assert run.lines[0].startswith(f"docdiff: {path}: "), run.describe()
    _bounded(run)


# -- markup --------------------------------------------------------------------------------------


def test_deeply_nested_html_is_linear(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text("<div>" * 100_000 + "x" + "</div>" * 100_000, encoding="utf-8")
    _loaded(run_docdiff("compare", path, path, "--format", "json"))


def test_unclosed_html_inline_tags_are_linear(tmp_path: Path) -> None:
    path = tmp_path / "unclosed.html"
    path.write_text("<b><i>" * 100_000 + "words of a note verbale", encoding="utf-8")
    _loaded(run_docdiff("compare", path, path, "--format", "json"))


def test_html_element_flood(tmp_path: Path, letter: Path) -> None:
    path = tmp_path / "flood.html"
    path.write_text("<p>" + "<br>" * 1_100_000, encoding="utf-8")
    _refused(run_docdiff("compare", path, letter), path, "more than 1,000,000")


def test_xml_internal_entity_expansion(tmp_path: Path, letter: Path) -> None:
    # A "billion laughs" in spirit: one 100 KB entity referenced 2,000 times.
    # libxml2 refuses it first (its amplification limit); either way one line, bounded memory.
    path = tmp_path / "laughs.xml"
    path.write_text(
        f'<!DOCTYPE d [<!ENTITY lol "{"lol " * 25_000}">]><d>' + "&lol;" * 2_000 + "</d>",
        encoding="utf-8",
    )
    _refused(run_docdiff("compare", path, letter), path, "entities expand too much")


def test_xml_nested_too_deep(tmp_path: Path, letter: Path) -> None:
    path = tmp_path / "deep.xml"
    path.write_text("<a>" * 50_000 + "</a>" * 50_000, encoding="utf-8")
    _refused(run_docdiff("compare", path, letter), path, "nested deeper than")


def test_large_tei_is_streamed(tmp_path: Path, letter: Path) -> None:
    # 60,000 small elements under a TEI body: validated as a stream, never one tree.
    body = "".join(f"<p>{w}</p>" for w in _words(60_000, seed=3))
    path = tmp_path / "big.xml"
    path.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
        f"<title>Big</title></titleStmt></fileDesc></teiHeader><text><body>{body}</body>"
        "</text></TEI>",
        encoding="utf-8",
    )
    _loaded(run_docdiff("compare", path, letter, "--format", "json"))


# -- decoding ------------------------------------------------------------------------------------


def test_utf8_with_a_stray_byte_is_utf8_with_one_warning(tmp_path: Path) -> None:
    path = tmp_path / "stray.txt"
    path.write_bytes(("Genève, le 3 mars. " + LETTER).encode() + b"\xff\n")
    run = run_docdiff("compare", path, path, "--format", "json")
    assert run.code == 0, run.describe()
    assert len(run.lines) == 1, run.describe()
    assert run.lines[0].startswith(f"docdiff: {path}: not valid UTF-8: 1 bad byte sequence")
    assert "Genève" in run.stdout  # not "GenÃ¨ve"
    _bounded(run)


# -- special files -------------------------------------------------------------------------------


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    (folder / "a.txt").write_text(LETTER + "First letter.\n", encoding="utf-8")
    (folder / "b.txt").write_text(LETTER + "Second letter.\n", encoding="utf-8")
    return folder


@pytest.fixture
def hostile_folder(tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    """A corpus folder with a FIFO, a socket, a symlink loop and a dangling link in it."""
    folder = _corpus(tmp_path / "corpus")
    os.mkfifo(folder / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(os.fspath(folder / "socket.txt"))
    (folder / "loop.txt").symlink_to("loop.txt")
    (folder / "ping.txt").symlink_to("pong.txt")
    (folder / "pong.txt").symlink_to("ping.txt")
    (folder / "gone.txt").symlink_to("nowhere.txt")
    notes = [
        "pipe.txt: a FIFO (named pipe), not a regular file (skipped)",
        "socket.txt: a socket, not a regular file (skipped)",
        "loop.txt: symlink loop (skipped)",
        "ping.txt: symlink loop (skipped)",
        "pong.txt: symlink loop (skipped)",
        "gone.txt: broken symlink (skipped)",
    ]
    try:
        yield folder, notes
    finally:
        sock.close()


def _notes_only(run: Run, folder: Path, notes: list[str]) -> None:
    """One stderr line per skipped entry, each naming it, and nothing else on stderr."""
    expected = sorted(f"docdiff: {folder / note}" for note in notes)
    assert sorted(run.lines) == expected, run.describe()


def test_scan_skips_special_files(hostile_folder: tuple[Path, list[str]]) -> None:
    folder, notes = hostile_folder
    run = run_docdiff("scan", folder, "--format", "json")
    assert run.code == 0, run.describe()
    _notes_only(run, folder, notes)
    assert "a.txt" in run.stdout
    assert "b.txt" in run.stdout
    _bounded(run)


def test_index_build_skips_special_files(
    hostile_folder: tuple[Path, list[str]], tmp_path: Path
) -> None:
    folder, notes = hostile_folder
    db = tmp_path / "corpus.db"
    run = run_docdiff("index", "build", "--db", db, "--jobs", "1", folder)
    assert run.code == 0, run.describe()
    _notes_only(run, folder, notes)
    assert "2 added" in run.stdout, run.describe()
    _bounded(run)


def test_a_fifo_named_directly_does_not_block(tmp_path: Path, letter: Path) -> None:
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    run = run_docdiff("compare", pipe, letter, "--format", "json")
    # Nobody writes: an empty document, which compare refuses by name (it would read as "no
    # reuse"), at once.
    assert run.code == 2, run.describe()
    assert run.lines == [
        f"docdiff: {pipe}: holds no words (an empty or blank file): nothing to compare"
    ], run.describe()


def test_a_device_named_directly_is_refused(letter: Path) -> None:
    run = run_docdiff("compare", "/dev/zero", letter)
    _refused(run, Path("/dev/zero"), "character device")


def test_a_symlink_loop_named_directly_is_one_line(tmp_path: Path, letter: Path) -> None:
    path = tmp_path / "loop.txt"
    path.symlink_to("loop.txt")
    run = run_docdiff("compare", path, letter)
    assert run.code == 2, run.describe()
    assert len(run.lines) == 1, run.describe()
    assert run.lines[0].startswith(f"docdiff: {path}: "), run.describe()


# -- a short fuzz run in the suite (the long one is scripts/fuzz_loaders.py) ----------------------


def _fuzzers() -> Any:
    spec = importlib.util.spec_from_file_location(
        "fuzz_loaders", ROOT / "scripts" / "fuzz_loaders.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FUZZ = _fuzzers()
FORMATS = sorted(FUZZ.FUZZERS)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data(), st.sampled_from(FORMATS), st.booleans())
def test_every_loader_loads_or_refuses_generated_input(
    data: st.DataObject, fmt: str, tiny: bool
) -> None:
    path, strategy = FUZZ.FUZZERS[fmt]
    raw = data.draw(strategy)
    limits = FUZZ.TINY if tiny else FUZZ.DEFAULT_LIMITS
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        FUZZ.check(raw, path, fmt, limits)
