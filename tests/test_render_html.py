"""The HTML report: self-contained, escaped, linked, with word-level differences."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.model import (
    AlignOp,
    Cluster,
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
from docdiff.render.html_diff import render_diff_html
from docdiff.versiondiff import diff_texts

HOSTILE = "Tom & Jerry say \"<script>alert(1)</script>\" and '</script><!--' too"

A_TEXT = (
    "The Permanent Mission of the Republic of Examplia presents its compliments to the Office. "
    f"It rejects the report as a political provocation. {HOSTILE}."
)
B_TEXT = (
    "The Permanent Mission of the Republic of Samplestan presents its compliments to the Office. "
    f"It rejected the report as a political provocation. {HOSTILE}!"
)


def find(text: str, part: str) -> Span:
    """The span of the first occurrence of `part` in `text`."""
    start = text.index(part)
    return Span(start, start + len(part))


def compare_report() -> Report:
    """A hand-built compare report with a formula, a phrasing match with a changed word and a
    quotation full of markup characters."""
    a = Document("a.txt", "letters/a.txt", "txt", A_TEXT, meta={"date": "2021-03-01"})
    b = Document("b.txt", "letters/b.txt", "txt", B_TEXT, meta={"date": "2023-05-02"})
    fa = find(A_TEXT, "The Permanent Mission of the Republic of Examplia presents its compliments")
    fb = find(
        B_TEXT, "The Permanent Mission of the Republic of Samplestan presents its compliments"
    )
    ex, sa = find(A_TEXT, "Examplia"), find(B_TEXT, "Samplestan")
    formula = Match(
        Passage("a.txt", fa),
        Passage("b.txt", fb),
        Kind.FORMULA,
        92.5,
        10,
        ops=(
            AlignOp("equal", Span(fa.start, ex.start - 1), Span(fb.start, sa.start - 1)),
            AlignOp("replace", ex, sa),
            AlignOp("equal", Span(ex.end + 1, fa.end), Span(sa.end + 1, fb.end)),
        ),
        reason="lexicon formula",
        formula="the permanent mission of {…} presents its compliments to {…}",
    )
    pa = find(A_TEXT, "It rejects the report as a political provocation")
    pb = find(B_TEXT, "It rejected the report as a political provocation")
    rejects, rejected = find(A_TEXT, "rejects"), find(B_TEXT, "rejected")
    phrasing = Match(
        Passage("a.txt", pa),
        Passage("b.txt", pb),
        Kind.PHRASING,
        87.0,
        8,
        ops=(AlignOp("replace", rejects, rejected),),
    )
    qa, qb = find(A_TEXT, HOSTILE), find(B_TEXT, HOSTILE)
    quote = Match(Passage("a.txt", qa), Passage("b.txt", qb), Kind.QUOTATION, 100.0, 9)
    pair = PairResult("a.txt", "b.txt", (formula, phrasing, quote), PairSummary(80, 79, 78, 40))
    return Report("compare", (a, b), (pair,), settings={"min_words": 4})


def scan_report(n_docs: int = 5) -> Report:
    """A hand-built scan report: every pair of documents shares one sentence."""
    shared = 'We reject the so-called "report" <b>& its lies</b>.'
    docs = tuple(
        Document(f"d{i}", f"corpus/d{i}.txt", "txt", f"Letter {i}. {shared} End {i}.",
                 meta={"date": f"20{10 + i}-01-0{1 + i % 9}"})
        for i in range(n_docs)
    )  # fmt: skip
    pairs = []
    for i in range(n_docs):
        for j in range(i + 1, n_docs):
            sa, sb = find(docs[i].text, shared), find(docs[j].text, shared)
            m = Match(Passage(docs[i].id, sa), Passage(docs[j].id, sb), Kind.PHRASING, 95.0, 9)
            score = 50.0 + i + j
            pairs.append(
                PairResult(docs[i].id, docs[j].id, (m,), PairSummary(score, score, score, score))
            )
    members = tuple(Passage(d.id, find(d.text, shared)) for d in docs)
    cluster = Cluster(1, members, shared, origin=members[0], kind=Kind.PHRASING)
    formula = Formula(
        "we reject the {…} report", n_docs, (("so-called", "<fake>"),), "2010", "2014"
    )
    return Report("scan", docs, tuple(pairs), (cluster,), (formula,))


class _Checker(HTMLParser):
    """Collects tags, checks nesting, and gathers the text inside chosen elements."""

    VOID = frozenset({"meta", "link", "br", "input", "img", "hr", "wbr", "source", "col"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.capture: dict[str, list[str]] = {}
        self._capturing: list[tuple[str, int]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script_attrs: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if attr.get("id"):
            self.ids.append(str(attr["id"]))
        if tag == "script":
            self._script_attrs = attr
        if tag in self.VOID:
            return
        self.stack.append(tag)
        if tag == "div" and "body" in (attr.get("class") or "").split():
            key = f"body{len(self.capture)}"
            self.capture[key] = []
            self._capturing.append((key, len(self.stack)))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
            return
        if self._capturing and self._capturing[-1][1] == len(self.stack):
            self._capturing.pop()
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._script_attrs is not None:
            self.scripts.append((self._script_attrs, data))
            self._script_attrs = None
        for key, _ in self._capturing:
            self.capture[key].append(data)


def check(page: str) -> _Checker:
    """Parse `page` and assert it is well nested with unique ids."""
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.errors == []
    assert checker.stack == []
    assert len(checker.ids) == len(set(checker.ids)), "duplicate ids"
    return checker


def assert_offline(page: str) -> None:
    """No network: no external URL in any attribute, stylesheet or script."""
    assert not re.search(r"""(src|href|action)\s*=\s*["']?(https?:|//)""", page)
    assert "@import" not in page
    assert "url(" not in page
    for url in re.findall(r"https?://[^\s\"'<>]+", page):
        assert url == "http://www.w3.org/2000/svg", url  # an SVG namespace name, not a request


def test_compare_page_is_self_contained_and_well_formed() -> None:
    page = render_html(compare_report())
    assert page.startswith("<!DOCTYPE html>")
    assert_offline(page)
    check(page)
    for landmark in ("<header>", "<main", "<footer>", "<section", "<article", "<form"):
        assert landmark in page


def test_everything_from_documents_is_escaped() -> None:
    page = render_html(compare_report())
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Tom &amp; Jerry" in page
    # Only our own scripts: the inline one.
    assert page.count("<script") == 1


def test_full_texts_are_shown_exactly_and_passages_are_linked() -> None:
    report = compare_report()
    page = render_html(report)
    checker = check(page)
    bodies = ["".join(v) for v in checker.capture.values()]
    assert bodies == [A_TEXT, B_TEXT]
    for n in (1, 2, 3):
        assert f'id="a-m{n}"' in page
        assert f'id="b-m{n}"' in page
        assert re.search(rf'<mark class="seg [^"]*" data-m="[^"]*\b{n}\b', page)


def test_kinds_scores_and_summary_are_shown_with_a_legend() -> None:
    page = render_html(compare_report())
    assert 'data-kind="formula" data-score="92.5"' in page
    assert 'data-kind="phrasing" data-score="87.0"' in page
    assert 'data-kind="quotation" data-score="100.0"' in page
    for kind in Kind:
        assert f'<span class="badge k-{kind.value}">{kind.value}</span>' in page
    assert ">78.0<" in page  # similarity
    assert ">40.0<" in page  # distinctive similarity
    assert 'id="min-score"' in page
    assert 'name="kind" value="formula" checked' in page


def test_changed_words_are_whole_with_char_detail_only_when_similar() -> None:
    page = render_html(compare_report())
    # Examplia/Samplestan: different words, shown whole.
    assert re.search(r'<span class="chg" title="B has: Samplestan">Examplia</span>', page)
    assert re.search(r'<span class="chg" title="A has: Examplia">Samplestan</span>', page)
    # rejects/rejected: similar, so the changed letters are marked inside the word.
    assert '<span class="chg fine" title="B has: rejected">reject<b>s</b></span>' in page
    assert '<span class="chg fine" title="A has: rejects">reject<b>ed</b></span>' in page


def _scan_data(page: str) -> dict[str, object]:
    checker = check(page)
    (data,) = [text for attrs, text in checker.scripts if attrs.get("type") == "application/json"]
    parsed: dict[str, object] = json.loads(data)
    return parsed


def test_scan_page_embeds_its_data_as_safe_json() -> None:
    report = scan_report()
    page = render_html(report)
    assert_offline(page)
    embedded = page.split('id="docdiff-data">')[1].split("</script>")[0]
    assert "<" not in embedded  # no markup can break out of the JSON
    data = _scan_data(page)
    assert len(data["docs"]) == 5  # type: ignore[arg-type]
    pairs = data["pairs"]
    assert isinstance(pairs, list)
    assert len(pairs) == 10
    first = pairs[0]
    assert first["m"][0][5] == 'We reject the so-called "report" <b>& its lies</b>.'
    clusters = data["clusters"]
    assert isinstance(clusters, list)
    assert clusters[0]["members"][0][0] == 0
    assert data["formulae"] == [
        {"t": "we reject the {…} report", "n": 5, "slots": [["so-called", "<fake>"]],
         "first": "2010", "last": "2014"}
    ]  # fmt: skip
    for section in ("heatmap", "pairs-table", "clusters", "formulae", "pair-view", "filters"):
        assert f'id="{section}"' in page


def test_empty_reports_render() -> None:
    a = Document("a", "a", "txt", "x")
    empty = Report("compare", (a, a), (PairResult("a", "a", (), PairSummary(0, 0, 0, 0)),))
    assert "No shared passages" in render_html(empty)
    check(render_html(empty))
    check(render_html(Report("scan", (), ())))


@st.composite
def texts_with_matches(draw: st.DrawFn) -> Report:
    """Random texts (markup characters included) with random, possibly overlapping matches."""
    alphabet = st.sampled_from([*"ab <>&\"'\n\t—é한", "</script>", "<!--", "&amp;"])
    a_text = "".join(draw(st.lists(alphabet, min_size=1, max_size=60)))
    b_text = "".join(draw(st.lists(alphabet, min_size=1, max_size=60)))

    def span(n: int) -> Span:
        s = draw(st.integers(0, n))
        return Span(s, draw(st.integers(s, n)))

    matches = tuple(
        Match(
            Passage("a", span(len(a_text))),
            Passage("b", span(len(b_text))),
            draw(st.sampled_from(list(Kind))),
            draw(st.floats(0, 100)),
            draw(st.integers(1, 20)),
        )
        for _ in range(draw(st.integers(0, 5)))
    )
    docs = (Document("a", "a", "txt", a_text), Document("b", "b", "txt", b_text))
    return Report("compare", docs, (PairResult("a", "b", matches, PairSummary(1, 2, 3, 4)),))


@settings(max_examples=60, deadline=None)
@given(texts_with_matches())
def test_any_text_renders_exactly_and_well_formed(report: Report) -> None:
    page = render_html(report)
    checker = check(page)
    bodies = ["".join(v) for v in checker.capture.values()]
    assert bodies == [report.documents[0].text, report.documents[1].text]
    assert page.count("<script") == 1


def test_version_diff_page() -> None:
    diff = diff_texts(
        f"The Republic of Examplia. {HOSTILE}", f"The Republic of Samplestan. {HOSTILE}"
    )
    page = render_diff_html(diff, a_name="<old>", b_name="new & improved")
    assert_offline(page)
    check(page)
    assert '<del class="d chg">Examplia</del>' in page
    assert '<ins class="i chg">Samplestan</ins>' in page
    assert "&lt;old&gt;" in page
    assert "<script>alert" not in page
    assert diff.stats.line() in page


@pytest.mark.parametrize("n_docs", [60])
def test_large_scan_page_stays_compact(n_docs: int) -> None:
    # 1,770 pairs: the page embeds data once and renders tables in pages on the client.
    page = render_html(scan_report(n_docs))
    assert len(page) < 2_000_000
    assert page.count("<tr") < 5


def test_paraphrase_marks_its_shared_words() -> None:
    a_text = "a showdown document full of fabrications and political provocation"
    b_text = "political provocation: a document of lies and fabrication"
    ops = tuple(
        AlignOp("equal", find(a_text, w), find(b_text, v))
        for w, v in (("document", "document"), ("fabrications", "fabrication"),
                     ("political", "political"), ("provocation", "provocation"))
    )  # fmt: skip
    m = Match(
        Passage("a", Span(0, len(a_text))), Passage("b", Span(0, len(b_text))),
        Kind.PARAPHRASE, 60.0, 4, ops=ops,
    )  # fmt: skip
    docs = (Document("a", "a", "txt", a_text), Document("b", "b", "txt", b_text))
    pair = PairResult("a", "b", (m,), PairSummary(1, 1, 1, 1))
    page = render_html(Report("compare", docs, (pair,)))
    side_a = page.split('<blockquote class="side side-a"')[1].split("</blockquote>")[0]
    side_b = page.split('<blockquote class="side side-b"')[1].split("</blockquote>")[0]
    assert side_a.count('class="same"') == 4
    # B's word order differs from A's: each side is marked in its own order.
    assert side_b.count('class="same"') == 4
    assert '<span class="same" title="shared word">fabrication</span>' in side_b
    scan = render_html(Report("scan", docs, (pair,)))
    assert '["e",' in scan.split('id="docdiff-data">')[1]


def test_the_scan_page_counts_in_the_singular_when_there_is_one() -> None:
    page = render_html(scan_report())
    assert "<strong>10</strong> pairs sharing text,\n<strong>1</strong> cluster," in page
    assert "<strong>1</strong> formula." in page
