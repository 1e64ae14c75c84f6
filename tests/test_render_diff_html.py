"""The side-by-side diff page: each column reads back as its version, folded or not."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.render.html_diff import render_diff_html
from docdiff.versiondiff import diff_texts


class _Columns(HTMLParser):
    """The text of the table's old (left) and new (right) columns, as a reader of each sees it.

    The old column leaves out insertions, the new one deletions; both leave out the fold's
    summary ("… N unchanged words …"), the labels of moved blocks and the marks of white
    space edits (¶).
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.columns: tuple[list[str], list[str]] = ([], [])
        self.in_body = False
        self.cell = -1
        self.in_cell = False
        self.hidden: list[str] = []
        self.folds = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "tbody":
            self.in_body = True
        elif tag == "tr":
            self.cell = -1
            self.folds += "fold-row" in classes
        elif tag == "td":
            self.cell += 1
            self.in_cell = True
        other_side = (tag, self.cell) in (("ins", 0), ("del", 1))
        label = "tag" in classes or "mark" in classes
        if self.hidden or tag == "summary" or label or other_side:
            self.hidden.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self.in_body = False
        elif tag == "td":
            self.in_cell = False
        if self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()

    def handle_data(self, data: str) -> None:
        if self.in_body and self.in_cell and not self.hidden and self.cell in (0, 1):
            self.columns[self.cell].append(data)


def columns(old: str, new: str) -> tuple[str, str, int]:
    parser = _Columns()
    parser.feed(render_diff_html(diff_texts(old, new)))
    left, right = parser.columns
    return "".join(left), "".join(right), parser.folds


SENTENCE = st.lists(
    st.sampled_from(["honour", "honor", "the", "Mission", "Republic", "of", "note", "verbale"]),
    min_size=3,
    max_size=14,
).map(lambda words: " ".join(words).capitalize() + ".")
PARAGRAPHS = st.lists(st.lists(SENTENCE, min_size=1, max_size=5).map(" ".join), max_size=4)


@settings(max_examples=40)
@given(PARAGRAPHS, st.permutations(range(4)), PARAGRAPHS)
def test_each_column_reads_back_as_its_version(
    paragraphs: list[str], order: list[int], edits: list[str]
) -> None:
    """The new version reorders the old paragraphs (moves), edits and adds some."""
    old = "\n\n".join(paragraphs)
    kept = [paragraphs[i] for i in order if i < len(paragraphs)]
    new = (
        "\n\n".join(e if n % 2 else p for n, (p, e) in enumerate(zip(kept, edits, strict=False)))
        or "x"
    )
    left, right, _ = columns(old, new)
    assert left == old
    assert right == new


def test_a_long_unchanged_stretch_is_folded_with_its_word_count() -> None:
    middle = " ".join(f"Sentence number {n} of the unchanged part." for n in range(60))
    old = f"The Mission of Examplia. {middle} Yours sincerely."
    new = f"The Mission of Samplestan. {middle} Yours faithfully."
    left, right, folds = columns(old, new)
    assert folds == 1
    assert (left, right) == (old, new)
    page = render_diff_html(diff_texts(old, new))
    assert "unchanged words …</summary>" in page


def test_a_long_paragraph_is_cut_into_rows_at_sentence_ends() -> None:
    paragraph = " ".join(f"Sentence {n} says the same thing again." for n in range(40))
    old, new = f"{paragraph} Examplia.", f"{paragraph} Samplestan."
    page = render_diff_html(diff_texts(old, new))
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    assert body.count("<tr") > 2
    assert columns(old, new)[:2] == (old, new)


def test_a_changed_word_marks_only_its_changed_letters() -> None:
    page = render_diff_html(
        diff_texts("We have the honour to write.", "We have the honor to write.")
    )
    assert '<del class="d chg fine">hono<b>u</b>r</del>' in page
    assert '<ins class="i chg fine">honor</ins>' in page


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n\n".join(textwrap.fill(p, width) for p in text.split("\n\n"))


def test_a_reflowed_version_keeps_each_columns_layout_and_folds() -> None:
    """Reflowed lines are unchanged text: no mark, each column in its own layout, folded."""
    body = " ".join(f"Sentence number {n} of the unchanged part." for n in range(60))
    old = _wrap(f"The Mission of Examplia writes. {body} Yours sincerely.", 60)
    new = _wrap(f"The Mission of Samplestan writes. {body} Yours sincerely.", 75)
    left, right, folds = columns(old, new)
    assert (left, right) == (old, new)
    assert folds == 1
    page = render_diff_html(diff_texts(old, new))
    table = page[page.index("<tbody>") : page.index("</tbody>")]
    assert table.count("<del") == table.count("<ins") == 1


def test_a_paragraph_break_added_is_marked_on_the_new_side() -> None:
    old, new = "We write. We regret the delay.", "We write.\n\nWe regret the delay."
    page = render_diff_html(diff_texts(old, new))
    assert '<ins class="i ws mark" title="paragraph break added">¶</ins>\n\nWe regret' in page
    assert columns(old, new)[:2] == (old, new)
