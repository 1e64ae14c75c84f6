"""A name one document capitalises and another writes in lower case is one name: cablegrams and
minutes of the 1960s write "treaty on the non-proliferation of nuclear weapons", and each such
copy was phrasing beside the capitalised name; in a scan of DFAT volume 28, eight of them were
the largest cluster."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from docdiff.cli import app
from docdiff.engine.classify import CASE_NAME_REASON, in_other_case, named_in_either_case
from docdiff.engine.compare import compare
from docdiff.loaders import load_text
from docdiff.model import Kind

NAME = "Treaty on the Non-Proliferation of Nuclear Weapons"

SENTENCES = [
    (
        "The Minister asked whether the {} would bind the uranium producers of the Northern "
        "Territory before the next session of Parliament."
    ),
    (
        "Officials in Bonn said privately that the {} left the question of withdrawal open, and "
        "that their Government would wait for the American reply."
    ),
    (
        "A note from the Embassy in Tokyo reports that the Japanese press has treated the {} "
        "as a matter for the Diet rather than for the Cabinet."
    ),
    (
        "Our delegation in Geneva should say nothing about the {} until the working group has "
        "finished its paper on safeguards and inspection."
    ),
    (
        "The Department of Supply doubts that the {} can be reconciled with the existing "
        "contracts for the sale of ore to the United Kingdom."
    ),
]


def _kinds(a: str, b: str) -> list[tuple[Kind, str, str]]:
    report = compare(load_text(a, doc_id="a"), load_text(b, doc_id="b"))
    return [(m.kind, a[m.a.span.start : m.a.span.end], m.reason) for m in report.pairs[0].matches]


def test_the_rule_fills_in_the_side_that_writes_the_name_in_lower_case() -> None:
    capitals = (True, "5 of 5 content words capitalised")
    none = (False, "only 0 of 5 content words capitalised")
    lower = (True, CASE_NAME_REASON)
    assert named_in_either_case(capitals, none, alike=True) == (capitals, lower)
    assert named_in_either_case(none, capitals, alike=True) == (lower, capitals)
    assert named_in_either_case(capitals, none, alike=False) == (capitals, none)
    assert named_in_either_case(none, none, alike=True) == (none, none)
    # "the British position in South East Asia" beside the paper "British Position in …"
    phrase = (False, "two names and the common word 'position' between them: a phrase")
    assert named_in_either_case(capitals, phrase, alike=True) == (capitals, phrase)
    heading = (True, "a heading or letterhead block (short lines, no sentence)")
    assert named_in_either_case(heading, none, alike=True) == (heading, none)


def test_other_case_means_the_same_words_not_the_same_writing() -> None:
    """Where both sides write the words alike, each side's finding stands (a line break may
    make one side a name and not the other: that is no name written in lower case)."""
    assert in_other_case(("Nuclear", "Weapons"), ("nuclear", "weapons"))
    assert not in_other_case(("Nuclear", "Weapons"), ("Nuclear", "Weapons"))
    assert not in_other_case(("Nuclear", "Weapons"), ("nuclear", "weapon"))
    assert not in_other_case(("Nuclear", "Weapons"), ("nuclear",))
    assert not in_other_case(None, ("nuclear", "weapons"))


def test_a_name_written_in_lower_case_beside_its_capitals_is_the_name() -> None:
    a = SENTENCES[0].format(NAME)
    b = SENTENCES[1].format(NAME.lower())
    for x, y in ((a, b), (b, a)):
        found = [(kind, reason) for kind, text, reason in _kinds(x, y) if "treaty" in text.lower()]
        assert found, _kinds(x, y)
        assert all(kind is Kind.NAME for kind, _ in found), found
        assert any(CASE_NAME_REASON in reason for _, reason in found), found


def test_a_heading_in_title_case_does_not_make_a_sentence_a_name() -> None:
    """A heading's words are a name by their place, not by their capitals: the same words in a
    sentence of the other document stay phrasing."""
    words = "Regional Cooperation on Fisheries Management and Maritime Surveillance"
    a = f"{words}\n\n{SENTENCES[2].format('agreement')}\n"
    b = SENTENCES[3].format(f"proposal for {words.lower()} in the Pacific")
    found = [(kind, reason) for kind, text, reason in _kinds(a, b) if "fisheries" in text.lower()]
    assert found, _kinds(a, b)
    assert all(kind is not Kind.NAME for kind, _ in found), found


def test_copies_of_a_name_in_lower_case_make_no_cluster(tmp_path: Path) -> None:
    """Three records write the name in lower case, two with its capitals: the lower-case copies
    are the name the scan finds capitalised, no family of reused wording."""
    for n, sentence in enumerate(SENTENCES):
        name = NAME if n < 2 else NAME.lower()
        (tmp_path / f"record{n}.txt").write_text(sentence.format(name) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["scan", str(tmp_path), "--format", "json", "--no-progress"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    shared = [
        m for p in report["pairs"] for m in p["matches"] if "treaty" in m["a"]["text"].lower()
    ]
    assert shared, report["pairs"]
    assert all(m["kind"] == "name" for m in shared if m["a"]["text"] != m["b"]["text"]), shared
    for cluster in report["clusters"]:
        assert "non-proliferation" not in cluster["text"].lower(), cluster


def test_a_name_in_lower_case_does_not_part_a_copied_passage() -> None:
    """A name one side writes in lower case stands in running text on both sides: it never
    parts the parts of one copied block, as a letterhead or a signature between them does (a
    speech of 2003 lost a 29-word passage to "small island developing States" forty lines
    from where the other says "Small Island Developing States")."""
    a = (
        "I would like to take this opportunity to congratulate you, Mr. President, on your "
        "election. My Government is deeply gratified by the recognition of your accomplishments, "
        "especially given that you are a fellow islander. We are confident you will lead the "
        "work of this body with the same high competence as your distinguished predecessor, His "
        "Excellency Jan Kavan of the Czech Republic.\n\nThe fisheries of our region remain the "
        "backbone of our economy, and we continue to work with our neighbours to conserve the "
        "tuna stocks on which our people depend.\n\nClimate change is the gravest threat to the "
        "survival of the small island developing States, and the rising seas already wash over "
        "the graves of our ancestors.\n"
    )
    b = (
        "Allow me to congratulate you, Sir, on your election to the presidency. My Government "
        "is deeply gratified by the recognition of your accomplishments as someone from a "
        "country that is a member of the Small Island Developing States Network. We are "
        "confident you will lead the work of the fifty-eighth session with the same abilities "
        "as your distinguished predecessor, His Excellency Jan Kavan of the Czech Republic.\n\n"
        "Our islands depend on the cocoa harvest, and the price it fetches abroad has fallen for "
        "three years in a row.\n"
    )
    found = [(kind, text) for kind, text, _ in _kinds(a, b) if kind is Kind.PHRASING]
    assert len(found) == 1, found
    assert found[0][1].startswith("My Government"), found
    assert found[0][1].endswith("Czech Republic"), found
