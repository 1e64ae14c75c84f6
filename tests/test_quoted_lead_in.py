"""A passage quoted after a short lead-in is a quotation (`classify.inside_quotes`): "… of
the General Assembly, “Building resilience through hope …”" quotes the session's theme."""

from __future__ import annotations

from docdiff.engine.classify import inside_quotes
from tests._spans import span_between as _span

THEME = "\u201cBuilding resilience through hope, to recover and to rebuild sustainably\u201d"


def test_a_lead_in_of_a_third_at_most_before_the_quotation_marks() -> None:
    text = f"We meet under the theme of this session, {THEME}, as the pandemic goes on."
    assert inside_quotes(text, _span(text, "this session", "rebuild sustainably"))
    assert inside_quotes(text, _span(text, "Building", "rebuild sustainably"))


def test_a_longer_lead_in_is_the_speakers_own_phrasing() -> None:
    text = (
        "We meet in difficult times, under the theme chosen for this seventy-sixth session "
        f"of the General Assembly, {THEME}, as the pandemic goes on."
    )
    assert not inside_quotes(text, _span(text, "We meet", "rebuild sustainably"))


def test_no_quotation_marks_no_quotation() -> None:
    text = "We meet under the theme of this session, building resilience through hope."
    assert not inside_quotes(text, _span(text, "this session", "through hope"))
