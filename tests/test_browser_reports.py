"""HTML reports in a real headless Chromium: offline, no errors, filters, passage linking.

Needs Debian's ``chromium`` (``/usr/bin/chromium``) and Playwright for Python; skips otherwise.
Screenshots go to ``artifacts/`` (gitignored) for people to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from docdiff.loaders import load
from docdiff.render.html import render_html
from tests._patience import ms

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


class Watched:
    """A page plus every console error, page error and non-local request it produced."""

    def __init__(self, browser: Any, *, height: int = 700) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": height})
        # Every wait of the page is for a DOM state; its guard deadline is the suite's own.
        self.page.set_default_timeout(ms(30))
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on("request", self._request)

    def _console(self, msg: Any) -> None:
        if msg.type in ("error", "warning"):
            self.errors.append(f"console {msg.type}: {msg.text}")

    def _request(self, request: Any) -> None:
        if not request.url.startswith(("file:", "data:", "about:")):
            self.requests.append(request.url)

    def clean(self) -> None:
        assert self.errors == []
        assert self.requests == []


def _shot(page: Any, name: str, *, full: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=full)


@pytest.fixture(scope="module")
def compare_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The compare report of the two Examplia fixture letters, from the real pipeline."""
    from docdiff.engine.compare import compare

    letters = ROOT / "fixtures" / "letters"
    report = compare(
        load(letters / "01_examplia_un_2021.txt"), load(letters / "02_examplia_ohchr_2023.txt")
    )
    path = tmp_path_factory.mktemp("html") / "compare.html"
    path.write_text(render_html(report), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def scan_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scan report of the fixture corpus, with dates from its metadata, via the real scan."""
    from docdiff.corpus.metadata import load_csv, lookup_meta
    from docdiff.corpus.scan import scan
    from docdiff.model import Document

    corpus = ROOT / "fixtures" / "corpus"
    meta = load_csv(corpus / "metadata.csv")
    docs = []
    for path in sorted((corpus / "letters").glob("*.txt")):
        d = load(path, doc_id=path.stem)
        found = lookup_meta(meta, doc_id=d.id, path=f"letters/{path.name}") or {}
        docs.append(Document(d.id, d.path, d.format, d.text, d.offsets, found))
    report = scan(docs, jobs=1)
    assert report.pairs, "the fixture corpus should share text"
    path = tmp_path_factory.mktemp("html") / "scan.html"
    path.write_text(render_html(report), encoding="utf-8")
    return path


def _visible_passages(page: Any) -> int:
    return int(page.locator("#pairs li.pair:visible").count())


def _in_view(page: Any, selector: str) -> bool:
    """True when the element is inside its scroll container's box and the window."""
    script = """sel => {
      const el = document.querySelector(sel);
      const box = el.closest('.body').getBoundingClientRect();
      const r = el.getBoundingClientRect();
      return r.top >= box.top - 1 && r.bottom <= box.bottom + 1 &&
             r.top >= 0 && r.bottom <= window.innerHeight;
    }"""
    return bool(page.evaluate(script, selector))


def _wait_in_view(page: Any, selector: str) -> None:
    """Wait until the element has scrolled into view (the report scrolls smoothly)."""
    script = """sel => {
      const el = document.querySelector(sel);
      if (!el) return false;
      const box = el.closest('.body').getBoundingClientRect();
      const r = el.getBoundingClientRect();
      return r.top >= box.top - 1 && r.bottom <= box.bottom + 1 &&
             r.top >= 0 && r.bottom <= window.innerHeight;
    }"""
    page.wait_for_function(script, arg=selector)


def test_compare_report_filters_and_links(browser: Any, compare_page: Path) -> None:
    w = Watched(browser)
    page = w.page
    page.goto(compare_page.as_uri())
    page.wait_for_selector("#pairs li.pair")
    _shot(page, "compare-top.png")
    total = _visible_passages(page)
    assert total > 3
    assert page.locator("#shown-count").inner_text() == f"{total} of {total}"

    # Filter by kind: names disappear from the list and their marks go plain in the texts.
    names = page.locator("#pairs li.pair[data-kind='name']").count()
    assert names > 0
    page.locator("input[name=kind][value=name]").uncheck()
    assert _visible_passages(page) == total - names
    off = page.locator("#text-a mark.seg.off").count()
    assert off > 0
    page.locator("input[name=kind][value=name]").check()
    assert _visible_passages(page) == total

    # Filter by minimum score, without reloading.
    page.locator("#min-score").fill("99")
    scores = [float(s) for s in page.locator("#pairs li.pair").evaluate_all(
        "els => els.map(e => e.dataset.score)")]  # fmt: skip
    assert _visible_passages(page) == sum(1 for s in scores if s >= 99)
    assert _visible_passages(page) < total
    page.locator("#min-score").fill("0")
    assert _visible_passages(page) == total

    # Click a passage in text A whose counterpart in B is out of sight: B scrolls to it.
    page.locator("#texts-h").scroll_into_view_if_needed()
    page.evaluate("document.querySelector('#text-b .body').scrollTop = 0")
    candidates = page.locator("#text-a mark.seg").evaluate_all(
        """els => els.map(e => e.dataset.primary)"""
    )
    target = None
    for m in candidates:
        sel = f"#text-b mark.seg[data-m~='{m}']"
        if page.locator(sel).count() and not _in_view(page, sel):
            target = m
            break
    assert target is not None, "no passage whose counterpart starts out of view"
    source = page.locator(f"#text-a mark.seg[data-primary='{target}']").first
    source.scroll_into_view_if_needed()
    page.evaluate("document.querySelector('#text-b .body').scrollTop = 0")
    source.click()
    counterpart = f"#text-b mark.seg[data-m~='{target}']"
    _wait_in_view(page, counterpart)
    classes = page.locator(counterpart).first.get_attribute("class") or ""
    assert "flash" in classes
    assert "current" in classes
    assert page.evaluate(f'document.activeElement === document.querySelector("{counterpart}")')
    _shot(page, "compare-linked.png")

    # The keyboard does the same: Enter on a focused passage jumps back to side A.
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.closest('#text-a') !== null")

    # n moves through the passage list.
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("n")
    assert page.evaluate("document.activeElement.id") == "p1"
    _shot(page, "compare-full.png", full=True)
    w.clean()


def test_scan_report_tables_heatmap_and_pair_view(browser: Any, scan_page: Path) -> None:
    w = Watched(browser, height=900)
    page = w.page
    page.goto(scan_page.as_uri())
    page.wait_for_selector("#pairs-tbl tbody tr")
    rows = page.locator("#pairs-tbl tbody tr").count()
    assert 0 < rows <= 50
    assert page.locator("#heatmap svg rect").count() > 0
    _shot(page, "scan-top.png")

    # Filters: the count shown is the number of pairs with a passage that passes them.
    def expected(kinds: list[str], minimum: float) -> int:
        script = """([kinds, minimum]) => JSON.parse(
            document.getElementById('docdiff-data').textContent).pairs.filter(
            p => p.m.some(m => kinds.includes(m[0]) && m[1] >= minimum)).length"""
        return int(page.evaluate(script, [kinds, minimum]))

    def shown() -> int:
        return int(page.locator("#shown-count").inner_text().split()[0])

    all_kinds = [str(b.get_attribute("value")) for b in page.locator("input[name=kind]").all()]
    assert shown() == expected(all_kinds, 0) == rows
    for box in page.locator("input[name=kind]").all():
        if box.get_attribute("value") != "formula":
            box.uncheck()
    assert shown() == expected(["formula"], 0)
    assert page.locator("#pairs-tbl tbody tr").count() == min(shown(), 50)
    for box in page.locator("input[name=kind]").all():
        box.check()
    assert shown() == rows
    # The slider is debounced: wait for the tables to show its value (`#scan[data-min]`), which
    # the count cannot tell when every pair passes both minimums: a redraw still pending would
    # then replace the table under the sort button clicked next.
    settle = "n => parseInt(document.getElementById('shown-count').textContent) === n"
    page.locator("#min-score").fill("90")
    page.wait_for_selector("#scan[data-min='90']", state="attached")
    page.wait_for_function(settle, arg=expected(all_kinds, 90))
    assert shown() == expected(all_kinds, 90)
    page.locator("#min-score").fill("0")
    page.wait_for_selector("#scan[data-min='0']", state="attached")
    page.wait_for_function(settle, arg=rows)

    # Pairs are ranked by distinctive similarity first, as the terminal and JSON rank them.
    ranked = page.locator("th:has(button[data-sort='d'])").get_attribute("aria-sort")
    assert ranked == "descending"

    # The longest passage of each pair, in words (a best score is 100 for nearly every pair).
    page.locator("button[data-sort='longest']").click()
    cells = page.locator("#pairs-tbl tbody tr td:nth-child(9)").all_inner_texts()
    longest = [int(c) for c in cells]
    assert longest == sorted(longest, reverse=True)
    assert longest[0] > 0

    # Sorting by a column flips its order.
    header = page.locator("button[data-sort='a']")
    header.click()
    first = page.locator("#pairs-tbl tbody tr").first.locator("td").nth(1).inner_text()
    page.locator("button[data-sort='a']").click()
    again = page.locator("#pairs-tbl tbody tr").first.locator("td").nth(1).inner_text()
    assert first <= again
    sort_state = page.locator("th:has(button[data-sort='a'])").get_attribute("aria-sort")
    assert sort_state == "descending"

    # Heatmap ordering re-renders without errors.
    for order in ("cluster", "date", "name", "strength"):
        page.select_option("#heat-order", order)
    page.select_option("#heat-measure", "d")

    # A pair opens its compare view in the same page.
    page.locator("#pairs-tbl tbody tr").first.locator("a").first.click()
    page.wait_for_selector("#pair-view:not([hidden]) li.pair")
    assert page.locator("#pair-view li.pair").count() > 0
    assert page.evaluate("document.activeElement.id") == "pair-h"
    _shot(page, "scan-pair.png")
    page.locator("#clusters-h").scroll_into_view_if_needed()
    _shot(page, "scan-clusters.png")
    w.clean()


def test_artifacts_are_gitignored() -> None:
    # Screenshots are for people to look at, never for the repository.
    ignore = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "artifacts/" in ignore


def big_scan(n_docs: int = 2000, n_pairs: int = 20_000) -> Any:
    """A synthetic scan the size of a large corpus run: many documents, many pairs."""
    import random

    from docdiff.model import (
        Document,
        Kind,
        Match,
        PairResult,
        PairSummary,
        Passage,
        Report,
        Span,
    )

    rng = random.Random(7)
    text = "I have the honour to refer to the note of the Ministry & to reject its <claims>."
    docs = tuple(
        Document(f"vol{i // 100}/doc{i:05d}.txt", f"corpus/doc{i:05d}.txt", "txt", text,
                 meta={"date": f"{1937 + i % 40}-0{1 + i % 9}-1{i % 10}"})
        for i in range(n_docs)
    )  # fmt: skip
    kinds = list(Kind)
    pairs: list[PairResult] = []
    seen: set[tuple[int, int]] = set()
    while len(pairs) < n_pairs:
        i, j = sorted(rng.sample(range(n_docs), 2))
        if (i, j) in seen:
            continue
        seen.add((i, j))
        matches = tuple(
            Match(Passage(docs[i].id, Span(0, 20)), Passage(docs[j].id, Span(0, 20)),
                  rng.choice(kinds), round(rng.uniform(40, 100), 1), 5)
            for _ in range(rng.randint(1, 3))
        )  # fmt: skip
        s = rng.uniform(1, 90)
        pairs.append(PairResult(docs[i].id, docs[j].id, matches, PairSummary(s, s, s, s / 2)))
    return Report("scan", docs, tuple(pairs))


def test_big_scan_stays_paged_and_responsive(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "big.html"
    path.write_text(render_html(big_scan()), encoding="utf-8")
    w = Watched(browser, height=900)
    page = w.page
    page.goto(path.as_uri())
    page.wait_for_selector("#pairs-tbl tbody tr")
    # Only one page of rows and at most 40 heatmap documents are in the DOM.
    assert page.locator("#pairs-tbl tbody tr").count() == 50
    assert page.locator("#heatmap svg a").count() <= 40 * 39
    assert page.locator("#shown-count").inner_text() == "20000 of 20000"
    page.locator("input[name=kind][value=formula]").uncheck()
    shown = int(page.locator("#shown-count").inner_text().split()[0])
    assert 0 < shown < 20000
    page.locator("[data-pager=pairs] button[data-step='1']").click()
    assert page.locator("#pairs-tbl tbody tr").first.locator("td").first.inner_text() == "51"
    _shot(page, "scan-big.png")
    w.clean()


def test_seed_pair_report(browser: Any, seeds_dir: Path, tmp_path: Path) -> None:
    from docdiff.engine.compare import compare

    a, b = sorted(seeds_dir.glob("*.txt"))[:2]
    path = tmp_path / "seeds.html"
    path.write_text(render_html(compare(load(a), load(b))), encoding="utf-8")
    w = Watched(browser, height=1000)
    w.page.goto(path.as_uri())
    w.page.wait_for_selector("#pairs li.pair")
    assert w.page.locator("#text-a mark.seg").count() > 0
    _shot(w.page, "seeds-compare.png", full=True)
    w.clean()


def test_a_clusters_hidden_documents_are_counted_in_the_right_number(
    browser: Any, tmp_path: Path
) -> None:
    """A cluster lists twelve documents and folds the rest: the DPRK's 13 speeches holding
    "peace and security on the Korean peninsula" ended in "and 1 more documents"."""
    from tests.test_render_html import scan_report

    for n_docs, said in ((13, "and 1 more document"), (14, "and 2 more documents")):
        path = tmp_path / f"scan{n_docs}.html"
        path.write_text(render_html(scan_report(n_docs)), encoding="utf-8")
        w = Watched(browser)
        w.page.goto(path.as_uri())
        summary = w.page.locator("#clusters details.more summary")
        summary.wait_for()
        assert summary.inner_text() == said
        w.clean()


def test_heatmap_labels_of_one_file_per_folder_are_the_folders(
    browser: Any, tmp_path: Path
) -> None:
    """Packages' licences or students' answers, one folder each and one file name throughout:
    the heatmap labels the rows by their folders ("bash"), not by the file name they all end in
    ("…/copyright" told no row apart); hovering a label still shows the whole id."""
    from docdiff.corpus.scan import scan
    from docdiff.model import Document

    docs = []
    for path in sorted((ROOT / "fixtures" / "corpus" / "letters").glob("*.txt")):
        d = load(path)
        docs.append(Document(f"{path.stem}/copyright", d.path, d.format, d.text, d.offsets))
    page_path = tmp_path / "scan.html"
    page_path.write_text(render_html(scan(docs, jobs=1)), encoding="utf-8")
    w = Watched(browser)
    w.page.goto(page_path.as_uri())
    w.page.wait_for_selector("#heatmap svg text")
    labels = w.page.evaluate(  # each label's own text, not its <title>'s (the whole id)
        "Array.from(document.querySelectorAll('#heatmap svg > text'), t => t.lastChild.data)"
    )
    assert labels, "the heatmap should label its rows"
    stems = {p.stem for p in (ROOT / "fixtures" / "corpus" / "letters").glob("*.txt")}
    shown = {label.split("\u2026")[0] for label in labels}
    assert not [label for label in labels if "copyright" in label], labels
    assert all(any(stem.startswith(s) for stem in stems) for s in shown), labels
    titles = w.page.locator("#heatmap svg > text > title").all_text_contents()
    assert all(t.endswith("/copyright") for t in titles), titles
    w.clean()


@pytest.mark.parametrize("stem", ["a{n}", "volume-20-australia-and-portuguese-timor/{n}-cablegram"])
def test_heatmap_room_follows_its_labels(browser: Any, tmp_path: Path, stem: str) -> None:
    """The heatmap kept 190 pixels above and left of its cells whatever its labels: git's
    release notes ("2.9.3.txt", nine characters) stood below a blank band as tall as the
    cells. Every label lies inside the drawing, and the column labels start close below its
    top."""
    from docdiff.corpus.scan import scan
    from docdiff.model import Document

    paths = sorted((ROOT / "fixtures" / "corpus" / "letters").glob("*.txt"))
    docs = []
    for n, path in enumerate(paths):
        d = load(path)
        docs.append(Document(stem.format(n=n) + ".txt", d.path, d.format, d.text, d.offsets))
    page_path = tmp_path / "scan.html"
    page_path.write_text(render_html(scan(docs, jobs=1)), encoding="utf-8")
    w = Watched(browser)
    w.page.goto(page_path.as_uri())
    w.page.wait_for_selector("#heatmap svg text")
    box = w.page.evaluate(
        """() => {
          const svg = document.querySelector('#heatmap svg'), s = svg.getBoundingClientRect();
          const t = Array.from(svg.querySelectorAll(':scope > text'),
                               x => x.getBoundingClientRect());
          return {svg: [s.left, s.top, s.right, s.bottom],
                  text: [Math.min(...t.map(x => x.left)), Math.min(...t.map(x => x.top)),
                         Math.max(...t.map(x => x.right)), Math.max(...t.map(x => x.bottom))]};
        }"""
    )
    (sl, st, sr, sb), (tl, tt, tr, tb) = box["svg"], box["text"]
    assert sl - 1 <= tl, box
    assert st - 1 <= tt, box
    assert tr <= sr + 1, box
    assert tb <= sb + 1, box
    assert tt - st < 45, box  # no blank band above the column labels
    w.clean()
