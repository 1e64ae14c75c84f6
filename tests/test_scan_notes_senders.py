"""What a scan's reports say about its senders: a corpus of few senders keeps its recurring
wording as phrasing (before, the note said it was labelled formula); a corpus that names no
sender takes it for the genre's, and says so."""

from __future__ import annotations

from docdiff.render.notes import scan_notes


def test_few_senders_note_says_the_wording_stays_phrasing() -> None:
    labels = dict(scan_notes({"few_senders": ["DPRK"], "senders_named": 1}))
    note = labels["one sender"]
    assert "stays phrasing" in note
    assert "counts in distinctive similarity" in note
    assert "senders unknown" not in labels


def test_unnamed_senders_are_said() -> None:
    labels = dict(scan_notes({"few_senders": [], "senders_named": 0}))
    assert "name them (a sender column in --meta)" in labels["senders unknown"]


def test_many_senders_need_no_note() -> None:
    assert scan_notes({"few_senders": [], "senders_named": 12}) == []
    assert scan_notes({"few_senders": []}) == []
