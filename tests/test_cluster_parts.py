"""A phrase of a longer passage, quoted apart from it, is its own family marked as its part.

The UN speeches of 2018 quote the session's theme ("Making the United Nations relevant to all
people: global leadership and shared responsibilities for peaceful, equitable and sustainable
societies", 57 speeches) and, in seven more, only its phrase "global leadership and shared
responsibilities": a family of its own (its members hold too little of the theme to be its
copies), listed with ``part_of`` the theme's cluster, in JSON, text, Markdown and HTML.
"""

from __future__ import annotations

import json

import pytest

from docdiff.corpus.cluster import _parts_marked
from docdiff.errors import InputError
from docdiff.model import Cluster, Passage, Report, Span
from docdiff.render.html import render_html
from docdiff.render.jsonout import dumps, loads, read_report, report_to_dict
from docdiff.render.markdown import render_markdown

THEME = (
    "Making the United Nations relevant to all people: global leadership and shared "
    "responsibilities for peaceful, equitable and sustainable societies"
)


def _cluster(n: int, text: str, docs: int) -> Cluster:
    members = tuple(Passage(f"d{n}-{i}.txt", Span(0, len(text))) for i in range(docs))
    return Cluster(id=n, members=members, text=text)


def test_a_phrase_of_a_larger_family_is_marked_its_part() -> None:
    clusters = (
        _cluster(1, THEME, 57),
        _cluster(2, "global compact for safe, orderly and regular migration", 35),
        _cluster(3, "global leadership and shared  responsibilities", 7),  # (spacing aside)
        _cluster(4, "Making the United Nations relevant to all people", 6),
        _cluster(5, "the global compact for safe, orderly and regular migration adopted", 3),
        _cluster(6, "leadership", 9),  # too short to be a part of anything
        _cluster(7, "the non-permanent member of the Security Council", 76),
        _cluster(8, "permanent member of the Security Council", 38),  # no part of "non-permanent"
        _cluster(9, "the non- permanent member of", 20),  # (a line broken after the hyphen)
    )
    marked = {c.id: c.part_of for c in _parts_marked(clusters)}
    assert marked == {1: None, 2: None, 3: 1, 4: 1, 5: None, 6: None, 7: None, 8: None, 9: 7}
    # (The phrase 35 documents use is no part of a passage three of them share.)


def test_the_mark_is_written_and_read_back() -> None:
    clusters = _parts_marked(
        (_cluster(1, THEME, 57), _cluster(2, "shared responsibilities for peaceful", 4))
    )
    report = Report("scan", (), (), clusters)
    data = report_to_dict(report)
    assert [c["part_of"] for c in data["clusters"]] == [None, 1]
    again = loads(dumps(report))
    assert [c.part_of for c in again.clusters] == [None, 1]
    assert "part of cluster 1" in render_markdown(report)
    page = render_html(report)
    assert '"part":1' in page.replace(" ", "")  # (the page's script shows "part of cluster 1")


def test_a_mark_that_is_no_number_is_refused() -> None:
    """A saved result is read field by field: a ``part_of`` that is no whole number is an
    error naming the field, as any other wrong type is."""
    data = report_to_dict(Report("scan", (), (), (_cluster(1, THEME, 3),)))
    data["clusters"][0]["part_of"] = "1"
    with pytest.raises(InputError, match="part_of"):
        read_report(json.dumps(data).encode(), source="r.json")
