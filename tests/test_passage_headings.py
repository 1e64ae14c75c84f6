"""A copied section keeps its heading and the marks around its first words.

A section's heading alone on its line ("#### `json`", "12. Confidentiality") is a part of its
own once the alignment is cut at paragraph breaks, and too light to report alone: it stays
with the section after it (`classify._heading_part`). A passage that holds the closing mark of
a code span, a quotation or a bracket takes in the opening mark before its first word
(`classify.enclosed`): "`install-links` * Default", not "install-links` * Default".
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from docdiff.engine.classify import enclosed, heading_line, opening_bracket
from docdiff.engine.compare import compare
from docdiff.loaders import load_text
from docdiff.model import Span

_OPTION = (
    "#### `{name}`\n\n* Default: false\n* Type: Boolean\n\n"
    "Whether or not to output JSON data, rather than the normal output.\n\n"
)


def _passages(a_text: str, b_text: str) -> list[tuple[str, str, str]]:
    a, b = load_text(a_text, doc_id="A"), load_text(b_text, doc_id="B")
    pair = compare(a, b).pairs[0]
    return [(m.kind.value, a.slice(m.a.span), b.slice(m.b.span)) for m in pair.matches]


def test_a_one_word_heading_stays_with_its_copied_section() -> None:
    a = "Teams are managed with the team command.\n\n### Configuration\n\n" + _OPTION.format(
        name="json"
    )
    b = "If you are unsure, do not use this option!\n\n\n\n" + _OPTION.format(name="json")
    [(kind, in_a, in_b)] = _passages(a, b)
    assert kind == "phrasing"
    assert in_a.startswith("`json`\n\n* Default: false")
    assert in_b.startswith("`json`\n\n* Default: false")


def test_a_numbered_clause_keeps_its_title() -> None:
    clause = (
        "The Receiving Party shall keep the Disclosing Party's information secret and shall "
        "not disclose it to any third party without prior written consent.\n"
    )
    payment = "11. Payment\n\nThe Client shall pay each invoice within thirty days.\n\n"
    a = f"{payment}12. Confidentiality\n\n{clause}"
    b = f"14. Fees\n\nFees are due on signature.\n\n15. Confidentiality\n\n{clause}"
    [(_, in_a, in_b)] = _passages(a, b)
    assert in_a.startswith("Confidentiality\n\nThe Receiving Party")
    assert in_b.startswith("Confidentiality\n\nThe Receiving Party")


def test_a_salutation_is_no_heading() -> None:
    body = (
        "The Receiving Party shall keep the Disclosing Party's information secret and shall "
        "not disclose it to any third party.\n"
    )
    [(_, in_a, _)] = _passages(f"Dear Sir,\n\n{body}", f"Madam,\n\n{body}")
    assert in_a.startswith("The Receiving Party")


def test_a_code_span_opened_before_the_first_word_is_taken_in() -> None:
    a = "Other words about caching come first here.\n\n" + _OPTION.format(name="install-links")
    b = "Nothing alike stands before it in this one!\n\n" + _OPTION.format(name="install-links")
    [(_, in_a, in_b)] = _passages(a, b)
    assert in_a.startswith("`install-links`")
    assert in_b.startswith("`install-links`")


def test_heading_lines() -> None:
    for line, word in [
        ("#### `json`", "json"),
        ("12. Confidentiality", "Confidentiality"),
        ("(b) Notices:", "Notices"),
        ("**Scope**", "Scope"),
        ("IV. Termination", "Termination"),
    ]:
        text = f"before\n\n{line}\n\nafter"
        start = text.index(word)
        assert heading_line(text, start, start + len(word)), line
    for line, word in [("Dear Sir,", "Sir"), ("He said no more", "said"), ("Sir.", "Sir")]:
        text = f"before\n\n{line}\n\nafter"
        start = text.index(word)
        assert not heading_line(text, start, start + len(word)), line


def _cut(text: str, span: Span) -> str:
    return text[span.start : span.end]


def test_marks_on_both_edges() -> None:
    text = 'They called it "ours" and left.'
    start = text.index("ours")
    assert _cut(text, enclosed(text, Span(start, text.index(" and")))) == '"ours"'
    assert opening_bracket(text, Span(start, start + 4)) == Span(start, start + 4)
    text = "without a trailing <EOL> here"
    span = Span(text.index("without"), text.index("EOL") + 3)
    assert _cut(text, enclosed(text, span)) == "without a trailing <EOL>"
    text = "a (b [c] d) e"
    span = Span(text.index("c"), len(text))
    assert _cut(text, opening_bracket(text, span)) == "[c] d) e"


@given(st.text(alphabet='ab "`([{<)]}>\u201c\u201d', max_size=30), st.data())
def test_an_opening_mark_taken_in_is_closed_inside(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    span = Span(start, data.draw(st.integers(start, len(text))))
    out = opening_bracket(text, span)
    assert out.end == span.end
    assert out.start <= span.start
    assert opening_bracket(text, out) == out  # nothing more opens before it
    for at in range(out.start, span.start):
        mark, inside = text[at], text[at + 1 : span.end]
        closer = {"(": ")", "[": "]", "{": "}", "<": ">", "\u201c": "\u201d"}.get(mark, mark)
        if closer == mark:
            assert inside.count(mark) % 2 == 1
        else:
            assert inside.count(closer) > inside.count(mark)


def test_a_line_of_megabytes_is_no_heading() -> None:
    text = "x " * 1_000_000 + "Scope" + " y" * 1_000_000
    start = text.index("Scope")
    assert not heading_line(text, start, start + len("Scope"))
