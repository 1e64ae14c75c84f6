"""A formula passage's lexicon template is shown as words in the HTML and Markdown reports:
the HTML compare view printed the congratulation template as it is written
("[(extend|express|convey|…)] [to you] …"), which a reader cannot follow. JSON and CSV keep
the template as written."""

from __future__ import annotations

from docdiff.engine.compare import compare
from docdiff.loaders import load_text
from docdiff.render.html import render_html
from docdiff.render.markdown import render_markdown
from docdiff.render.notes import readable_template


def test_optional_parts_go_and_a_choice_is_its_first_word() -> None:
    template = "[(i|we)] (have|has) the [further] honour to (inform|refer) [(you|to)]"
    assert readable_template(template) == "have the honour to inform"
    assert readable_template("Reference your telegram No. {number}.") == (
        "Reference your telegram No. {number}."
    )
    assert readable_template("[x]") == "[x]"  # (nothing left: as written)


def test_reports_show_the_formula_in_words() -> None:
    a = load_text(
        "I have the honour to inform you that the fisheries commission met last week.", doc_id="a"
    )
    b = load_text(
        "We have the honour to inform you that our volcanologists installed eleven stations.",
        doc_id="b",
    )
    report = compare(a, b)
    formula = next(m.formula for m in report.pairs[0].matches if m.formula)
    assert "(" in formula  # (the lexicon's own syntax)
    page = render_html(report)
    assert f">{readable_template(formula)}</q>" in page
    assert "Formula: “" in render_markdown(report)
