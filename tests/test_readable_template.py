"""A formula passage's lexicon template is shown as words in the HTML and Markdown reports:
the HTML compare view printed the congratulation template as it is written
("[(extend|express|convey|…)] [to you] …"), which a reader cannot follow. JSON and CSV keep
the template as written.

A choice said by its first word can misquote the passage: the cable's request "please
(give|pass|convey|…) [the] following [(message|…)] [{…}] to {…}" read "please give following to
{…}" above two cables that both say "Please pass the following message … to …". The reports now
show the template as the passage says it (`lexicon.as_said`), its slots' words as "{…}"."""

from __future__ import annotations

from docdiff.engine.compare import compare
from docdiff.engine.lexicon import as_said
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
    assert ">I have the honour to inform you that</q>" in page  # as A says it
    assert "Formula: “I have the honour to inform you that”" in render_markdown(report)


TRANSMIT = (
    "please (give|pass|convey|communicate) [the] following [(message|text|note)] [{…}] to {…}"
)


def test_a_template_as_the_passage_says_it() -> None:
    said = "Please pass the following message from the Prime Minister to the Tunku."
    assert as_said(TRANSMIT, said) == "Please pass the following message {…} to {…}"
    assert as_said(TRANSMIT, "Please give following to Minister.") == "Please give following to {…}"
    # Punctuation and spacing between the words stay the text's; a slot takes its words.
    assert as_said(
        "(i|we) have the honour to (inform|refer) {…}", "We  have the honour,\nto refer to it"
    ) == ("We have the honour, to refer {…}")
    assert as_said(TRANSMIT, "nothing of the kind here") is None
    assert as_said("{…} {…}", "a b") is None  # (no template: none)
    assert readable_template(TRANSMIT, said) == "Please pass the following message {…} to {…}"
    assert readable_template(TRANSMIT, "no instance") == "please give following to {…}"
    # A mined template (a slot of a type) is shown as written.
    assert readable_template("See Document {number}.", "See Document 12.") == (
        "See Document {number}."
    )
