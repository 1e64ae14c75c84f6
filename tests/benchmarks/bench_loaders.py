"""Loading speed of docdiff.loaders, side by side with simpler peers that do less.

Inputs are synthetic, built from our own diplomatic-style sentences:
(a) a 50,000-word .txt (target: a few ms) against reading and decoding the bytes;
(b) a ~400 KB HTML page (target: well under a second) against lxml.html's ``itertext()``
    and a stdlib ``html.parser`` text collector (neither keeps source offsets nor drops
    script/style the same way);
(c) a ~400 KB TEI file against lxml ``itertext()`` of ``<body>``;
(d) a DOCX with 5,000 paragraphs against zipfile + lxml ``itertext()`` of document.xml.

Run from the repository root: ``python -m tests.benchmarks.bench_loaders``.
"""

from __future__ import annotations

import html
import io
import random
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from tempfile import TemporaryDirectory

from lxml import etree
from lxml import html as lxml_html

from docdiff.loaders import load
from tests.benchmarks._common import median_time, table

SENTENCES = [
    "The Permanent Mission of the Republic of Examplia presents its compliments to the Office.",
    "The Government rejects the allegations as unfounded and politically motivated.",
    "The delegation reiterates its commitment to dialogue & cooperation in good faith.",
    "The Ministry notes with regret the continued publication of biased reports.",
    "The Mission avails itself of this opportunity to renew the assurances of its consideration.",
    "Such statements are a flagrant interference in the internal affairs of a sovereign State.",
]


def _paragraphs(words: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out: list[str] = []
    count = 0
    while count < words:
        para = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 6)))
        out.append(para)
        count += len(para.split())
    return out


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _stdlib_html(path: Path) -> str:
    parser = _Collector()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.parts)


def _write_inputs(folder: Path) -> dict[str, Path]:
    paras = _paragraphs(50_000)
    txt = folder / "big.txt"
    txt.write_text("\n\n".join(paras) + "\n", encoding="utf-8")

    body = "\n".join(
        f"<p class='para'>{html.escape(p).replace('Examplia', '<b>Examplia</b>')}</p>"
        + ("<script>var x = '<p>no</p>';</script>" if i % 50 == 0 else "")
        for i, p in enumerate(paras)
    )
    page = folder / "big.html"
    page.write_text(
        f"<!DOCTYPE html><html><head><title>Notes</title></head><body>{body}</body></html>",
        encoding="utf-8",
    )

    tei_body = "\n".join(
        f"<p>{html.escape(p, quote=False).replace('Examplia', '<placeName>Examplia</placeName>')}"
        "</p>"
        for p in paras
    )
    tei = folder / "big.xml"
    tei.write_text(
        "<TEI xmlns='http://www.tei-c.org/ns/1.0'><teiHeader><fileDesc><titleStmt><title>T"
        f"</title></titleStmt></fileDesc></teiHeader><text><body>{tei_body}</body></text></TEI>",
        encoding="utf-8",
    )

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    runs = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{html.escape(p, quote=False)}</w:t></w:r></w:p>'
        for p in paras[:5000]
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "word/document.xml", f'<w:document xmlns:w="{w}"><w:body>{runs}</w:body></w:document>'
        )
    docx = folder / "big.docx"
    docx.write_bytes(buf.getvalue())
    return {"txt": txt, "html": page, "tei": tei, "docx": docx}


def _docx_itertext(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    return "".join(str(t) for t in root.itertext())


def main() -> None:
    """Print a table of median load times (ms) with peers side by side."""
    rows: list[list[object]] = []
    with TemporaryDirectory() as tmp:
        inputs = _write_inputs(Path(tmp))
        txt, page, tei, docx = inputs["txt"], inputs["html"], inputs["tei"], inputs["docx"]
        words = len(txt.read_text(encoding="utf-8").split())
        cases: list[tuple[str, Path, str, object]] = [
            ("txt", txt, "docdiff load", lambda: load(txt)),
            ("txt", txt, "read_bytes + decode", lambda: txt.read_bytes().decode("utf-8")),
            ("html", page, "docdiff load (with offsets)", lambda: load(page)),
            (
                "html",
                page,
                "lxml.html itertext",
                lambda: "".join(
                    str(t) for t in lxml_html.document_fromstring(page.read_bytes()).itertext()
                ),
            ),
            ("html", page, "stdlib html.parser", lambda: _stdlib_html(page)),
            ("tei", tei, "docdiff load (with offsets)", lambda: load(tei)),
            (
                "tei",
                tei,
                "lxml itertext(<body>)",
                lambda: "".join(
                    str(t)
                    for t in next(etree.fromstring(tei.read_bytes()).iter("{*}body")).itertext()
                ),
            ),
            ("docx", docx, "docdiff load", lambda: load(docx)),
            ("docx", docx, "zipfile + lxml itertext", lambda: _docx_itertext(docx)),
        ]
        for fmt, path, who, fn in cases:
            assert callable(fn)
            seconds = median_time(fn, runs=7)
            rows.append([fmt, f"{path.stat().st_size / 1000:.0f} KB", who, seconds * 1000])
    print(f"Input: {words} words of text; median of 7 runs after one warm-up.\n")
    print(table(["format", "size", "loader", "ms"], rows))


if __name__ == "__main__":
    main()
