"""Details an analyst reads: where a passage is in the scan's pair view, the page title's
count of documents read, no column of empty dates, and `--explain` listing the shared words
once."""

from __future__ import annotations

import io
import re
from dataclasses import replace

from docdiff.model import (
    Document,
    Formula,
    Kind,
    Match,
    PairResult,
    PairSummary,
    Passage,
    Report,
    Span,
)
from docdiff.render.html import render_html
from tests.test_render_html import _scan_data, find, scan_report


def test_the_pair_view_says_on_which_line_each_passage_stands() -> None:
    report = scan_report()
    moved = tuple(replace(d, text="Heading\n\n" + d.text) if d.id == "d1" else d
                  for d in report.documents)  # fmt: skip
    shared = 'We reject the so-called "report" <b>& its lies</b>.'
    a, b = moved[0], moved[1]
    m = Match(Passage(a.id, find(a.text, shared)), Passage(b.id, find(b.text, shared)),
              Kind.PHRASING, 95.0, 9)  # fmt: skip
    pair = PairResult(a.id, b.id, (m,), PairSummary(60, 60, 60, 60))
    data = _scan_data(render_html(Report("scan", moved, (pair,))))
    pairs = data["pairs"]
    assert isinstance(pairs, list)
    assert pairs[0]["m"][0][10:12] == ["line 1", "line 3"]


def test_the_scan_title_counts_the_documents_read() -> None:
    report = replace(scan_report(), settings={"documents_scanned": 12})
    title = re.search(r"<title>([^<]*)</title>", render_html(report))
    assert title is not None
    assert title.group(1) == "docdiff scan: 12 documents, 10 pairs"


def test_the_formulae_page_has_no_column_of_empty_dates() -> None:
    undated = Formula("Yours sincerely, {…}", 7, (), None, None)
    dated = Formula("Canberra, {date}", 9, (), "1941", "1945")
    mined = {"report": "formulae", "documents_scanned": 20}
    page = render_html(Report("scan", (), (), formulae=(undated,), settings=mined))
    assert "<th>dates</th>" not in page
    page = render_html(Report("scan", (), (), formulae=(undated, dated), settings=mined))
    assert "<th>dates</th>" in page
    assert "1941 – 1945" in page


def test_explain_lists_the_shared_words_once() -> None:
    from docdiff.cli.terminal import print_compare

    a = Document("a", "a.txt", "txt", "The coastal survey found eroded dunes along the shore.")
    b = Document("b", "b.txt", "txt", "Their coastal survey found eroded dunes near the shore.")
    span_a, span_b = Span(4, 36), Span(6, 38)
    listed = Match(Passage("a", span_a), Passage("b", span_b), Kind.PHRASING, 90.0, 5,
                   reason="phrasing: 5 shared words (coastal, survey, found, eroded, dunes)",
                   shared=("coastal", "survey", "found", "eroded", "dunes"))  # fmt: skip
    unlisted = replace(listed, reason="name: 5 of 5 content words capitalised")
    for match, lines in ((listed, 0), (unlisted, 1)):
        report = Report(
            "compare", (a, b), (PairResult("a", "b", (match,), PairSummary(1, 1, 1, 1)),)
        )
        out = io.StringIO()
        print_compare(report, file=out, explain=True)
        assert out.getvalue().count("shared: ") == lines, out.getvalue()
