"""Quotations as typewritten documents mark them (`classify.inside_quotes`): straight single
quotes, which are apostrophes too, and passages that hold their own closing mark and the
footnote number after it ("… political independence.’[1]")."""

from __future__ import annotations

from pathlib import Path

from docdiff.engine.classify import inside_quotes
from docdiff.engine.compare import compare
from docdiff.loaders import load
from docdiff.model import Kind, Span
from tests._spans import span_between as _span

WITHDRAWAL = (
    "if it decides that extraordinary events, related to the subject matter of this Treaty, "
    "have jeopardized the supreme interests of its country"
)


def test_straight_single_quotes_around_a_passage_quote_it() -> None:
    text = f"Article X provides a right of withdrawal '{WITHDRAWAL}'. We should consider it."
    assert inside_quotes(text, _span(text, "if it decides", "of its country"))
    # The passage as aligned may hold the opening mark.
    assert inside_quotes(text, _span(text, "'if it decides", "of its country"))


def test_an_ellipsis_after_the_opening_mark_and_a_footnote_after_the_closing_one() -> None:
    for opening, closing in (("'", "'"), ("\u2018", "\u2019"), ("\u201c", "\u201d")):
        text = (
            f"He said:\n\n{opening}... we shall add our military assistance to the defence "
            f"of Malaysia\u2019s territorial integrity and political independence.{closing}[1]"
            "\n\nThe next paragraph."
        )
        span = _span(text, "we shall", "independence.")
        with_mark = Span(span.start, text.index("[1]") + 2)  # "…independence.’[1"
        assert inside_quotes(text, span), opening
        assert inside_quotes(text, with_mark), opening


def test_apostrophes_are_no_quotation_marks() -> None:
    text = (
        "The Government's view, which the Minister's officers share, is that the members' "
        "rights under the Treaty can't be set aside by a decision of the Council's majority."
    )
    assert not inside_quotes(text, _span(text, "view, which", "the Council"))
    assert not inside_quotes(text, _span(text, "officers share", "a decision"))


def test_a_closed_quotation_before_the_passage_does_not_quote_it() -> None:
    text = (
        "The Minister called it 'a fair outcome'. The delegation then proposed that the "
        "safeguards agreement be signed before the end of the year, as 'soon as possible'."
    )
    assert not inside_quotes(text, _span(text, "The delegation", "end of the year"))


def test_typewritten_quotation_is_labelled_a_quotation(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text(
        f"The Minister noted the Treaty. Article X provides a right of withdrawal '{WITHDRAWAL}'. "
        "We should consider this carefully before signature.\n",
        encoding="utf-8",
    )
    b.write_text(
        "Our delegation objected to the clause which allows a party to withdraw "
        f"'{WITHDRAWAL}'. A note on it follows.\n",
        encoding="utf-8",
    )
    report = compare(load(a), load(b))
    kinds = [m.kind for p in report.pairs for m in p.matches]
    assert kinds == [Kind.QUOTATION]
