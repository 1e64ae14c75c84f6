"""`agenda_title` looks for an inline agenda item only where the line before the passage may
hold the word "item" (any case, and the two Turkish i's that match "i" when case is ignored):
the same answers as searching every line, kept here as the reference. `closing_bracket`
counts brackets only when one closes right after the span: the same spans as counting
always."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.engine.classify import _AGENDA_INLINE, _AGENDA_LINE, agenda_title, closing_bracket
from docdiff.model import Span


def _agenda_title(text: str, span: Span) -> bool:
    """`agenda_title` as it was: the inline pattern tried on every line."""
    lo = text.rfind("\n", 0, span.start) + 1
    hi = text.find("\n", span.end)
    line = text[lo : hi if hi >= 0 else len(text)].strip()
    if _AGENDA_INLINE.search(text[lo : span.start]):
        return True
    ends = (".", ";", "!", "?")
    if not line or len(span) < 0.8 * len(line) or line.endswith(ends):
        return False
    if next((c for c in line if c.isalpha()), "").islower():
        return False
    above = [x.strip() for x in text[max(0, lo - 400) : lo].splitlines() if x.strip()][-2:]
    return any(_AGENDA_LINE.search(x) and not x.endswith(ends) for x in above)


_PARTS = st.sampled_from(
    ["agenda", "item", "Item", "İTEM", "ıtem", "ITEM", "items", "72", "(b)", " ", "  ", "\n",
     "\n\n", ":", ",", ".", "\u201c", '"', "of the provisional agenda", "Reform", "x", "reform"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_PARTS, min_size=1, max_size=30).map("".join), st.data())
def test_agenda_title_equals_the_search_of_every_line(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    span = Span(start, end)
    assert agenda_title(text, span) == _agenda_title(text, span)


def test_only_the_turkish_is_match_a_letter_of_item_beyond_its_cases() -> None:
    # The reason `_may_hold_item` looks for them besides the lower-cased line. (All code
    # points were checked once; the first 0x2500 hold every letter with such a case.)
    odd = {
        chr(cp)
        for letter in "item"
        for cp in range(0x2500)
        if re.fullmatch(letter, chr(cp), re.IGNORECASE) and chr(cp).lower() != letter
    }
    assert odd == {"\u0130", "\u0131"}


def test_the_reference_finds_inline_items() -> None:
    # The law above is not empty: both answers are True on such lines.
    text = "Agenda item 72 (b): \u201cPromotion of human rights\u201d"
    span = Span(text.index("Promotion"), len(text) - 1)
    assert _agenda_title(text, span)
    assert agenda_title(text, span)
    # "Item" opening the line, and upper-case with a dotted capital I.
    line = "Preamble text.\nItem 72: Promotion of human rights"
    at = Span(line.index("Promotion"), len(line))
    assert _agenda_title(line, at)
    assert agenda_title(line, at)
    upper = text.replace("item", "İTEM")
    assert _AGENDA_INLINE.search(upper[: span.start])
    assert agenda_title(upper, span)


def _closing_bracket(text: str, span: Span) -> Span:
    """`closing_bracket` as it was: every bracket counted inside the span."""
    inside = text[span.start : span.end]
    end = span.end
    for opener, closer in {"(": ")", "[": "]", "{": "}", "<": ">"}.items():
        if inside.count(opener) > inside.count(closer) and text[end : end + 1] == closer:
            end += 1
    return Span(span.start, end)


@given(st.text(alphabet="ab ([{<)]}>", max_size=30), st.data())
def test_closing_bracket_equals_counting_always(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    span = Span(start, data.draw(st.integers(start, len(text))))
    assert closing_bracket(text, span) == _closing_bracket(text, span)


def test_a_wrapped_speech_line_after_the_word_agenda_is_no_title() -> None:
    # A General Debate speech is wrapped into lines of about 50 characters: a line that fills
    # its line after one that says "agenda" in running text is no agenda item's title.
    text = (
        "session that invites us to engage in a comprehensive\n"
        "consideration of the post-2015 agenda. I would also like\n"
        "to pay tribute to Secretary-General Ban Ki-moon and\n"
        "reiterate to him the unwavering support of the Republic\n"
    )
    span = Span(text.index("pay tribute"), text.index(" and\nreiterate"))
    assert not agenda_title(text, span)
    # Nor is a capitalised line after running text that names the word alone.
    wrapped = text.replace("to pay tribute", "To pay tribute")
    assert not agenda_title(wrapped, Span(span.start, span.end))


def test_a_line_after_a_letter_s_last_sentence_is_no_title() -> None:
    # "... under agenda item 74 (c)." ends a letter's text: the signature is no title.
    text = (
        "circulated as a document of the General Assembly, under agenda item 74 (c).\n\n"
        "(Signed) Tomas Verdanu\n"
    )
    span = Span(text.index("(Signed)"), text.index("Verdanu") + len("Verdanu"))
    assert not agenda_title(text, span)
    head = (
        "General Assembly\nItem 74 (c) of the provisional agenda*\n"
        "Promotion and protection of human rights\n"
    )
    title = Span(head.index("Promotion"), head.index(" rights") + len(" rights"))
    assert agenda_title(head, title)
