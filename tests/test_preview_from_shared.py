"""A passage's one-line preview (`query`'s table, `scan`'s "What the top pairs share") opens on
its first shared word: a paraphrase's span opens on its first sentence, whose first words may be
A's alone. Before, the DPRK's 2024 speech was shown against 2020 as "I also express deep
condolences to the Palestinian victims …", words 2020 never said."""

from __future__ import annotations

from docdiff.cli.corpus import _from_shared
from docdiff.loaders import load_text
from docdiff.model import AlignOp, Kind, Match, Passage, Span

A = "I also express deep condolences to the victims. We extend unchanged support to the people."


def _match(first_shared: int) -> Match:
    start = A.index("We extend") if first_shared else 0
    return Match(
        a=Passage("a", Span(0, len(A))),
        b=Passage("b", Span(0, 40)),
        kind=Kind.PARAPHRASE,
        score=70.0,
        words=5,
        ops=(
            AlignOp("equal", Span(A.index("unchanged"), A.index(" to the people")), Span(20, 37)),
            AlignOp("equal", Span(start, start + 9), Span(0, 9)),
        ),
    )


def test_the_preview_opens_on_the_first_shared_word() -> None:
    doc = load_text(A, doc_id="a")
    assert _from_shared(doc, _match(1)) == "…We extend unchanged support to the people."
    assert _from_shared(doc, _match(0)) == A
