"""Markdown and CSV reports: every passage, escaped markup, a stable CSV layout."""

from __future__ import annotations

import csv
import io
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.model import Document, Kind, Match, PairResult, PairSummary, Passage, Report, Span
from docdiff.render.csvout import HEADER, neutralise, render_csv
from docdiff.render.markdown import render_markdown
from tests.test_render_html import HOSTILE, compare_report, scan_report


def rows(text: str) -> list[dict[str, str]]:
    """The CSV parsed back into dicts."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert tuple(reader.fieldnames or ()) == HEADER
    return list(reader)


def test_markdown_compare_lists_summary_and_every_passage() -> None:
    md = render_markdown(compare_report())
    assert md.startswith("# Reused wording: letters/a.txt ↔ letters/b.txt\n")
    assert "| 78.0 | 40.0 | 80.0 | 79.0 | 3 |" in md
    assert "### 1. formula, score 92.5, 10 words" in md
    assert "### 2. phrasing, score 87.0, 8 words" in md
    assert "### 3. quotation, score 100.0, 9 words" in md
    assert "Formula: `the permanent mission of {…} presents its compliments to {…}`" in md
    # Markup from documents is escaped so it renders as written.
    assert "<script>" not in md
    assert "\\<script\\>alert(1)\\</script\\>" in md


def test_markdown_scan_ranks_pairs_and_lists_clusters_and_formulae() -> None:
    md = render_markdown(scan_report())
    assert "5 documents in 10 pairs sharing text, 1 cluster, 1 formula." in md
    # A scan lists the documents in its pairs; it says how many it read when it read more
    # (DFAT volume 28: "130 documents" of the 207 read).
    from dataclasses import replace

    read = replace(scan_report(), settings={"documents_scanned": 7})
    assert "7 documents scanned; 5 documents in 10 pairs sharing text" in render_markdown(read)
    table = [line for line in md.splitlines() if line.startswith("| 1 |")]
    assert table == ["| 1 | [d3](#pair-1) | d4 | 57.0 | 57.0 | 57.0 | 57.0 | 1 |"]
    assert "### Cluster 1 (phrasing, 5 documents; earliest: `d0`)" in md
    assert "`d0` (2010-01-01)" in md
    assert "| we reject the {…} report | 5 | 1: so-called · \\<fake\\> | 2010 | 2014 |" in md
    assert '<a id="pair-10"></a>' in md


def test_markdown_table_cells_escape_pipes() -> None:
    doc = Document("a|b", "a|b", "txt", "x")
    pair = PairResult("a|b", "a|b", (), PairSummary(1, 1, 1, 1))
    md = render_markdown(Report("scan", (doc,), (pair,)))
    assert "[a\\|b](#pair-1) | a\\|b |" in md


def test_csv_compare_has_one_row_per_match_with_texts_and_offsets() -> None:
    report = compare_report()
    table = rows(render_csv(report))
    assert [r["record"] for r in table] == ["pair", "match", "match", "match"]
    pair = table[0]
    assert (pair["a"], pair["b"], pair["similarity"]) == ("a.txt", "b.txt", "78.00")
    quote = table[3]
    assert quote["kind"] == "quotation"
    a_text = report.documents[0].text
    start, end = int(quote["a_start"]), int(quote["a_end"])
    assert a_text[start:end] == quote["a_text"] == HOSTILE
    assert table[1]["formula"].startswith("the permanent mission of")


def test_csv_scan_has_pairs_matches_clusters_and_formulae() -> None:
    table = rows(render_csv(scan_report()))
    kinds = [r["record"] for r in table]
    assert kinds.count("pair") == 10
    assert kinds.count("match") == 10
    assert kinds.count("cluster") == 5
    assert kinds.count("formula") == 1
    first = table[0]
    assert (first["record"], first["n"], first["a"], first["b"]) == ("pair", "1", "d3", "d4")
    member = next(r for r in table if r["record"] == "cluster")
    assert member["b"] == "d0"  # the earliest member
    formula = next(r for r in table if r["record"] == "formula")
    assert formula["slots"] == "so-called | <fake>"
    assert (formula["doc_freq"], formula["first_date"]) == ("5", "2010")


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1, max_size=80), st.text(min_size=1, max_size=80))
def test_csv_round_trips_any_text(a_text: str, b_text: str) -> None:
    docs = (Document("a", "a", "txt", a_text), Document("b", "b", "txt", b_text))
    m = Match(
        Passage("a", Span(0, len(a_text))), Passage("b", Span(0, len(b_text))), Kind.NAME, 50, 1
    )
    report = Report("compare", docs, (PairResult("a", "b", (m,), PairSummary(1, 1, 1, 1)),))
    (_, match) = rows(render_csv(report))
    assert (match["a_text"], match["b_text"]) == (neutralise(a_text), neutralise(b_text))
    # Reading back: a leading quote before a formula character is the neutraliser's own.
    for written, original in ((match["a_text"], a_text), (match["b_text"], b_text)):
        hostile = original.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert (written[1:] if hostile else written) == original
        assert not written.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_neutralises_formula_cells_but_not_numbers() -> None:
    names = ["=1+1", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "\tx", "\rx"]
    docs = tuple(Document(n, n, "txt", "=HYPERLINK(1) text") for n in names)
    pairs = tuple(PairResult(a.id, b.id, (), PairSummary(1, 1, 1, 1)) for a, b in pairwise(docs))
    table = rows(render_csv(Report("scan", docs, pairs)))
    for row in table:
        for field in ("a", "b"):
            assert not row[field].startswith(("=", "+", "-", "@", "\t", "\r"))
            assert row[field][1:] in names
        assert row["similarity"] == "1.00"
    assert neutralise(-3) == -3
    assert neutralise("plain") == "plain"


def test_markdown_code_spans_hold_backticks_and_dates_are_escaped() -> None:
    from markdown_it import MarkdownIt

    evil = "a`b``c <img src=x onerror=alert(1)>`"
    docs = (
        Document(evil, evil, "txt", "one two three four", meta={"date": "<img src=x onerror=1>"}),
        Document("b", "b", "txt", "one two three four", meta={"date": "2021-01-01"}),
    )
    m = Match(Passage(evil, Span(0, 18)), Passage("b", Span(0, 18)), Kind.PHRASING, 90, 4)
    for report in (
        Report("compare", docs, (PairResult(evil, "b", (m,), PairSummary(1, 1, 1, 1)),)),
        Report("scan", docs, (PairResult(evil, "b", (m,), PairSummary(1, 1, 1, 1)),)),
    ):
        html = MarkdownIt("commonmark").render(render_markdown(report))
        assert "<img" not in html
        # The whole id, backticks included, is inside one code element.
        assert "<code>a`b``c &lt;img src=x onerror=alert(1)&gt;`</code>" in html


def test_markdown_ranks_pairs_by_distinctive_similarity_as_the_terminal_does() -> None:
    """A pair similar only through formulae and names comes after one sharing wording."""
    docs = tuple(Document(d, d, "txt", "x " * 50) for d in ("a", "b", "c"))
    span = Passage("a", Span(0, 10))
    match = Match(span, Passage("b", Span(0, 10)), Kind.PHRASING, 100.0, 5)
    formulaic = PairResult("a", "b", (match,), PairSummary(60.0, 60.0, 60.0, 5.0))
    worded = PairResult("a", "c", (match,), PairSummary(30.0, 30.0, 30.0, 30.0))
    report = Report("scan", docs, (formulaic, worded))
    rows = [line for line in render_markdown(report).splitlines() if line[:4] in ("| 1 ", "| 2 ")]
    assert rows[0].startswith("| 1 | [a](#pair-1) | c | 30.0 | 30.0 |")
    assert rows[1].startswith("| 2 | [a](#pair-2) | b | 60.0 | 5.0 |")


def test_markdown_scan_counts_and_lists_duplicate_groups_with_short_ids() -> None:
    """Its summary counts the duplicate groups as the terminal's does, and every id goes
    without the folder all of them share, which the report names once."""
    import dataclasses

    from docdiff.model import DuplicateGroup

    docs = tuple(
        Document(id=f"vol/{name}.txt", path=f"vol/{name}.txt", format="txt", text="x")
        for name in ("a", "b", "c")
    )
    group = DuplicateGroup(1, "vol/a.txt", ("vol/a.txt", "vol/c.txt"), 97.0)
    report = dataclasses.replace(Report("scan", docs, ()), duplicates=(group,))
    md = render_markdown(report)
    assert "3 documents in 0 pairs sharing text, 0 clusters, 1 duplicate group." in md
    assert "Document ids below `vol/`." in md
    assert "1. `a.txt` (97% shared): `c.txt`" in md
