"""Fuzz every loader with Hypothesis for a fixed wall-clock budget.

    python scripts/fuzz_loaders.py --minutes 12 [--loader html] [--report fuzz.txt]

Each loader gets structure-aware inputs: tag soup for HTML, XML with DTDs and entities, DOCX/ODT
archives whose XML parts are generated (and sometimes whose ZIP bytes are then mutated), PDF
fixtures with mutated bytes, and raw bytes for text. A run passes when every input either loads
into a `Document` whose offsets stay inside the source, or raises `docdiff.errors.InputError`;
any other exception is a finding, printed with the smallest input Hypothesis shrank it to.
Time is shared equally between loaders; inside a loader, rounds of examples with fresh seeds
repeat until its share is spent.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import traceback
import warnings
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from docdiff.errors import DocdiffError, InputError
from docdiff.loaders import DEFAULT_LIMITS, Limits, load_bytes

EDGE = Path(__file__).resolve().parent.parent / "fixtures" / "edge"

WORDS = st.sampled_from(["note", "verbale", "la", "Mission", "é", "\u2013", "x", "", " ", "\n"])
HTML_TAGS = st.sampled_from(
    "p div b i span pre script style title head body html table tr td br li ul textarea "
    "template svg math noscript iframe a h1 xmp plaintext".split()
)
XML_TAGS = st.sampled_from(
    "TEI teiHeader text body p div lb choice sic corr app rdg hi note".split()
)


@st.composite
def _html(draw: st.DrawFn) -> bytes:
    pieces = draw(
        st.lists(
            st.one_of(
                WORDS,
                HTML_TAGS.map(lambda t: f"<{t}>"),
                HTML_TAGS.map(lambda t: f"</{t}>"),
                HTML_TAGS.map(lambda t: f"<{t} class='a\">b'>"),
                st.sampled_from(
                    [
                        "&amp;",
                        "&#x1F600;",
                        "&#99999999;",
                        "&eacute",
                        "&",
                        "<",
                        ">",
                        "<!--",
                        "-->",
                        "<!DOCTYPE html>",
                        "<?xml version='1.0'?>",
                        "<![CDATA[",
                        "]]>",
                        "<meta charset='latin-1'>",
                        "<meta name='author' content='A &amp; B'>",
                        "<html lang='fr'>",
                        "</",
                        "<!",
                        "<?",
                    ]
                ),
            ),
            max_size=60,
        )
    )
    text = "".join(pieces)
    encoding = draw(st.sampled_from(["utf-8", "cp1252", "utf-16"]))
    return text.encode(encoding, "replace")


@st.composite
def _xml_text(draw: st.DrawFn) -> str:
    depth = draw(st.integers(0, 6))
    names = draw(st.lists(XML_TAGS, min_size=depth, max_size=depth))
    inner = "".join(
        draw(
            st.lists(
                st.one_of(
                    WORDS.map(lambda w: w.replace("&", "&amp;")),
                    XML_TAGS.map(lambda t: f"<{t}/>"),
                    XML_TAGS.map(lambda t: f"<{t}>x</{t}>"),
                    st.sampled_from(
                        [
                            "&e;",
                            "&amp;",
                            "&#233;",
                            "<![CDATA[a<b]]>",
                            "<!-- c -->",
                            "<?pi x?>",
                            "&#0;",
                            "&undefined;",
                        ]
                    ),
                ),
                max_size=30,
            )
        )
    )
    for name in reversed(names):
        inner = f"<{name}>{inner}</{name}>"
    root = draw(st.sampled_from(["TEI xmlns='http://www.tei-c.org/ns/1.0'", "html", "doc"]))
    dtd = draw(st.sampled_from(["", "<!DOCTYPE d [<!ENTITY e 'ex<b>pa</b>nded'>]>"]))
    return f"<?xml version='1.0'?>{dtd}<{root}>{inner}</{root.split()[0]}>"


def _mutate(data: bytes, draw: st.DrawFn) -> bytes:
    """Flip, cut or insert a few bytes."""
    out = bytearray(data)
    for _ in range(draw(st.integers(0, 4))):
        if not out:
            break
        where = draw(st.integers(0, len(out) - 1))
        op = draw(st.sampled_from(["flip", "cut", "insert"]))
        if op == "flip":
            out[where] ^= draw(st.integers(1, 255))
        elif op == "cut":
            del out[where:]
        else:
            out[where:where] = draw(st.binary(max_size=8))
    return bytes(out)


@st.composite
def _xml(draw: st.DrawFn) -> bytes:
    data = draw(_xml_text()).encode(draw(st.sampled_from(["utf-8", "utf-16"])))
    return _mutate(data, draw) if draw(st.booleans()) else data


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _blocks(templates: tuple[str, ...], fixed: tuple[str, ...]) -> st.SearchStrategy[str]:
    """One block: a template with a drawn word in each ``{w}``, or one of the `fixed` blocks."""
    filled = st.tuples(st.sampled_from(templates), WORDS).map(lambda tw: tw[0].format(w=tw[1]))
    return st.one_of(filled, st.sampled_from(fixed))


DOCX_BLOCKS = _blocks(
    (
        "<w:p><w:r><w:t>{w}</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>{w}</w:t><w:tab/><w:br/></w:r></w:p>",
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>{w}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
        "<w:sdt><w:sdtContent><w:p><w:r><w:t>{w}</w:t></w:r></w:p></w:sdtContent></w:sdt>",
    ),
    (
        "<w:p><w:del><w:r><w:delText>gone</w:delText></w:r></w:del></w:p>",
        "<w:p><w:r><w:t>a</w:t></w:r><w:p><w:r><w:t>box</w:t></w:r></w:p></w:p>",
    ),
)
ODT_BLOCKS = _blocks(
    (
        "<text:p>{w}<text:s text:c='3'/>{w}</text:p>",
        "<text:h>{w}<text:tab/><text:line-break/></text:h>",
        (
            "<text:p>a<text:note><text:note-body><text:p>{w}</text:p></text:note-body></text:note>"
            " b</text:p>"
        ),
        "<text:list><text:list-item><text:p>{w}</text:p></text:list-item></text:list>",
    ),
    (
        "<text:p><text:s text:c='99999999999'/></text:p>",
        "<text:p><text:s text:c='x'/><text:span>in</text:span>tail</text:p>",
        "<text:section><text:p>s</text:p></text:section>",
    ),
)


@st.composite
def _docx_body(draw: st.DrawFn) -> str:
    return "".join(draw(st.lists(DOCX_BLOCKS, max_size=20)))


@st.composite
def _docx(draw: st.DrawFn) -> bytes:
    body = draw(_docx_body())
    document = f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    parts = {"word/document.xml": document.encode()}
    if draw(st.booleans()):
        parts["word/footnotes.xml"] = (
            f'<w:footnotes xmlns:w="{W}"><w:footnote w:type="separator"><w:p/></w:footnote>'
            f"<w:footnote>{draw(_docx_body())}</w:footnote></w:footnotes>"
        ).encode()
    return _zipped(parts, draw)


@st.composite
def _odt(draw: st.DrawFn) -> bytes:
    body = "".join(draw(st.lists(ODT_BLOCKS, max_size=20)))
    content = (
        f'<office:document-content xmlns:office="{OFFICE}" xmlns:text="{TEXT}">'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    parts = {
        "mimetype": b"application/vnd.oasis.opendocument.text",
        "content.xml": content.encode(),
    }
    return _zipped(parts, draw)


def _zipped(parts: dict[str, bytes], draw: st.DrawFn) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    data = buf.getvalue()
    return _mutate(data, draw) if draw(st.integers(0, 3)) == 0 else data


@st.composite
def _pdf(draw: st.DrawFn) -> bytes:
    data = (EDGE / "sample.pdf").read_bytes()
    return _mutate(data, draw)


@st.composite
def _text(draw: st.DrawFn) -> bytes:
    base = draw(st.text(max_size=200)).encode(draw(st.sampled_from(["utf-8", "utf-16"])))
    return _mutate(base, draw) if draw(st.booleans()) else base + draw(st.binary(max_size=8))


FUZZERS: dict[str, tuple[str, st.SearchStrategy[bytes]]] = {
    "txt": ("fuzz.txt", _text()),
    "html": ("fuzz.html", _html()),
    "xml": ("fuzz.xml", _xml()),
    "docx": ("fuzz.docx", _docx()),
    "odt": ("fuzz.odt", _odt()),
    "pdf": ("fuzz.pdf", _pdf()),
}


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


# Tiny limits, so that every limit is reached somewhere in the middle of a document.
TINY = Limits(
    max_text=40,
    max_elements=12,
    max_depth=4,
    max_open_html=5,
    max_part_bytes=600,
    max_unpacked=900,
    max_xml_elements=25,
    max_live_elements=6,
)


def check(data: bytes, path: str, fmt: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """One input: a Document with sane offsets, or an InputError; anything else fails."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # loader notes (bad bytes replaced) are fine
        try:
            doc = load_bytes(data, path=path, format=fmt, limits=limits)
        except InputError as exc:
            message = str(exc)
            if path not in message or "\n" in message:
                raise AssertionError(f"not one line naming the file: {message!r}") from None
            return
    n = len(doc.text)
    for i in range(0, n + 1, max(1, n // 20)):
        assert doc.offsets.to_source(i) >= 0
        assert doc.offsets.to_source_end(i) >= 0


def run_one(name: str, budget: float, examples: int) -> list[str]:
    """Fuzz one loader for `budget` seconds; the failures found (one line + shrunk input each)."""
    path, strategy = FUZZERS[name]
    findings: list[str] = []
    stop = time.monotonic() + budget
    rounds = 0
    total = 0
    while time.monotonic() < stop:
        rounds += 1

        @seed(rounds)
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(strategy, st.sampled_from([DEFAULT_LIMITS, TINY]))
        def prop(data: bytes, limits: Limits) -> None:
            check(data, path, name, limits)

        try:
            prop()
        except (AssertionError, Exception) as exc:  # noqa: BLE001  # a finding, reported
            if isinstance(exc, DocdiffError) and not isinstance(exc, InputError):
                kind = "non-InputError DocdiffError"
            else:
                kind = type(exc).__name__
            detail = "".join(traceback.format_exception_only(exc)).strip().splitlines()[0]
            notes = " | ".join(getattr(exc, "__notes__", []))
            line = f"{name}: {kind}: {detail[:300]} [{notes[:600]}]"
            if line not in findings:
                findings.append(line)
                _say(line)
        total += examples
    _say(f"{name}: {total} examples in {rounds} rounds")
    return findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--loader", choices=sorted(FUZZERS), action="append")
    parser.add_argument("--examples", type=int, default=200, help="examples per round")
    args = parser.parse_args(argv)
    names = args.loader or list(FUZZERS)
    budget = args.minutes * 60 / len(names)
    started = time.monotonic()
    findings: list[str] = []
    for name in names:
        findings += run_one(name, budget, args.examples)
    _say(f"{len(findings)} findings in {(time.monotonic() - started) / 60:.1f} min")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
