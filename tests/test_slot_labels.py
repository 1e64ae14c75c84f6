"""A template's slots as reports list their fillers (`notes.slot_spans`, `slot_labels`): a
document symbol printed by its shape ("{number}/{number}", "A/{number}/PV.{number}") is one
slot with one list of fillers, and the fillers listed under it are labelled so."""

from __future__ import annotations

from docdiff.model import Formula, Report
from docdiff.render.html import render_html
from docdiff.render.notes import slot_labels, slot_spans


def _slots(template: str, n: int) -> list[str]:
    return [template[s:e] for s, e in slot_spans(template, n)]


def test_a_symbol_shape_is_one_slot() -> None:
    template = "Dispatch {number}/{number} {name}, {date}"
    assert _slots(template, 3) == ["{number}/{number}", "{name}", "{date}"]
    assert slot_labels(template, 3) == ["slot 1 {number}/{number}", "slot 2", "slot 3"]
    assert _slots("(see A/{number}/PV.{number})", 1) == ["A/{number}/PV.{number}"]


def test_placeholders_that_are_slots_each_stay_one() -> None:
    assert _slots("Ref {name}[{number}]", 2) == ["{name}", "{number}"]
    assert _slots("Cablegram {number}/{number}", 2) == ["{number}", "{number}"]
    assert slot_labels("I have the honour to {…}", 1) == ["slot 1"]


def test_the_html_marks_one_span_per_slot() -> None:
    formula = Formula(
        "Dispatch {number}/{number} {name}, {date}",
        4,
        slot_examples=(("4/48", "64/48"), ("TOKYO",), ("30 July 1948",)),
    )
    page = render_html(Report("scan", (), (), formulae=(formula,), settings={"report": "formulae"}))
    assert '<span class="slot" title="slot 1">{number}/{number}</span>' in page
    assert '<span class="slot" title="slot 3">{date}</span>' in page
    assert "slot 1 {number}/{number}:" in page
