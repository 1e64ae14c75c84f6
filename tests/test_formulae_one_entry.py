"""One formula is one entry. The DPRK's General Debate speeches (1991-2024) listed one courtesy
twice: "able stewardship will lead {…}" and "that his able {…} will lead this session to a {…}"
(the second's slot holds "stewardship" and "leadership": each template keeps fixed what the
other's members vary), and "election as President of the General Assembly at its {number}
session" beside "on your election to the presidency of the current session" (the same
congratulation in another phrasing)."""

from __future__ import annotations

from pathlib import Path

from docdiff.corpus.formulae import _Wording, formulae_report
from docdiff.model import Formula
from tests._archives import UN, archive_documents
from tests._families import listed_under


def _entries_saying(found: list[list[str]], *words: str) -> int:
    return sum(any(all(w in t for w in words) for t in wordings) for wordings in found)


def test_one_courtesy_mined_twice_is_one_entry(shared_dir: Path) -> None:
    years = tuple(f"{y}/PRK_" for y in range(1991, 2025))
    docs = archive_documents(shared_dir, UN, "un_general_debate_corpus/txt/", years)
    assert len(docs) == 34
    found = [[g.template for g in (f, *f.variants)] for f in formulae_report(docs).formulae]
    assert _entries_saying(found, "able", "will lead") == 1, found
    assert _entries_saying(found, "election", "session") == 1, found


def test_wordings_fitted_through_their_slots() -> None:
    def rewords(a: str, b: str) -> bool:
        return _Wording.of(a).rewords(_Wording.of(b))

    assert rewords(
        "that his able {…} will lead this session to a {…}", "able stewardship will lead {…}"
    )
    assert rewords(
        "on your election to the presidency of the current session",
        "election as President of the General Assembly at its {number} session",
    )
    # Different formulae stay apart.
    assert not rewords("I am pleased to {…}", "I am confident that {…}")
    # (Two datelines are one formula whatever their types: `test_formulae_datelines`. Two
    # references to documents of different types are not.)
    assert not rewords("Memorandum {number} of {date}", "Letter {number} of {date}")
    assert not rewords("I congratulate you, Mr. President, on your election", "Mr. President,")
    # One content word of a long sentence is there by chance (a copyright file's fields in the
    # licence notice listed under it); of a short one it is a part ("Attachment" of a
    # citation's "ATTACHMENT").
    notice = (
        "modify it under the terms of the GNU General Public License as published by the Free "
        "Software Foundation; either version {number}"
    )
    assert not rewords("License: {symbol}", notice)
    assert not rewords("Version {date}", notice)
    assert rewords("Foundation; either version {number}", notice)
    assert rewords("Attachment", "AA:{symbol}, WAR {number}, ATTACHMENT {…}")


def test_a_citation_framed_with_one_word_more_is_the_same_formula() -> None:
    from docdiff.corpus.formulae import Region
    from docdiff.model import Formula

    ranked = [
        Formula("AA : {symbol}, {…}", 10),
        Formula("Mr. President,", 8),
        Formula("AA: {…} {symbol}, ITEM {number}", 4),
        Formula("I congratulate you, Mr. President, on your election {…}", 4),
    ]
    cites = [Region(d, 10, 14) for d in range(10)]  # "AA : CP290/6 ,"
    items = [Region(d, 10, 19) for d in range(4)]  # "AA : CP 290/6 , ITEM 12": 4 of its 9
    vocative = [Region(d, 30, 33) for d in range(4, 12)]
    congratulation = [Region(d, 26, 40) for d in range(4, 8)]  # around the vocative
    listed = listed_under(ranked, instances=[cites, vocative, items, congratulation])
    # Before: the citation with "ITEM" was an entry of its own (its instances are not half
    # inside the shorter ones). The congratulation holds the vocative but says more.
    assert listed == {
        "AA : {symbol}, {…}": ["AA: {…} {symbol}, ITEM {number}"],
        "Mr. President,": [],
        "I congratulate you, Mr. President, on your election {…}": [],
    }


def test_citations_of_one_archive_are_one_formula() -> None:
    """The edition cites an archive's holdings in several shapes, each mined apart when its
    members keep fixed what another's vary: DFAT volumes 1-14 sampled listed "AA : {symbol},
    {…}" first (721 documents) and "AA:A981, WAR {number}, ATTACHMENT {…}" (a series cited with
    its item) and "AA:{symbol}, vol. {number}" apart, near the limit. A citation opening on an
    archive's code and a colon is a wording of the best-ranked citation of that archive; another
    archive's ("[FA: …]", "PRO : …") is another formula."""
    from docdiff.model import Formula

    ranked = [
        Formula("AA : {symbol}, {…}", 721),
        Formula("on file AA:{symbol}, {…}", 105),
        Formula("[FA: {symbol}, {number}]", 13),
        Formula("PRO : FO {number}/{number}", 6),
        Formula("AA:{symbol}, vol. {number}", 6),
        Formula("AA:A981, WAR {number}, ATTACHMENT {…}", 5),
        Formula("[PRO: FO {number}/{number}]", 5),
    ]
    listed = listed_under(ranked)
    assert listed == {
        "AA : {symbol}, {…}": [
            "AA:{symbol}, vol. {number}",
            "AA:A981, WAR {number}, ATTACHMENT {…}",
        ],
        "on file AA:{symbol}, {…}": [],
        "[FA: {symbol}, {number}]": [],
        "PRO : FO {number}/{number}": ["[PRO: FO {number}/{number}]"],
    }, listed


def test_a_congratulation_holding_the_vocative_is_no_wording_of_the_address() -> None:
    """The UN speeches of 2008-2011 listed "I congratulate you, Sir, on your {…}" under "Mr.
    President,": its slot hides "election", so it framed "Sir," with one content word more,
    the measure that lets a citation take in "ITEM". A phrase of address is framed only by
    words that add no content word ("you, Sir, {…}"); the congratulation says
    something to the addressee and keeps its entry."""
    from docdiff.corpus.formulae import Region
    from docdiff.model import Formula

    ranked = [
        Formula("Sir,", 104),
        Formula("Mr. President,", 48),
        Formula("I congratulate you, Sir, on your {…}", 13),
        Formula("you, Sir, {…}", 10),
    ]
    sir = [Region(d, 30, 32) for d in range(104)]
    address = [Region(d, 30, 33) for d in range(104, 152)]
    congratulation = [Region(d, 27, 38) for d in range(13)]  # around "Sir,"
    you = [Region(d, 29, 36) for d in range(20, 30)]  # around "Sir,", nothing said
    listed = listed_under(ranked, instances=[sir, address, congratulation, you])
    assert listed == {
        "Mr. President,": ["Sir,", "you, Sir, {…}"],
        "I congratulate you, Sir, on your {…}": [],
    }, listed


def test_a_sentences_opening_said_on_into_a_lead_in_is_that_opening() -> None:
    """The whole UN corpus listed "At the outset," (372 documents) and, 22 ranks below, "At the
    outset, I would like to {…}" (110): the opening said on into its sentence. A
    congratulation after the opening is another formula, and an address is no opening."""
    ranked = [
        Formula("At the outset,", 372),
        Formula("Mr. President,", 348),
        Formula("At the outset, I would like to {…}", 110),
        Formula("At the outset, I congratulate you on your election {…}", 60),
        Formula("Mr. President, I would like to {…}", 40),
    ]
    listed = listed_under(ranked)
    assert listed["At the outset,"] == ["At the outset, I would like to {…}"]
    assert "At the outset, I congratulate you on your election {…}" in listed
    assert "Mr. President, I would like to {…}" not in listed["Mr. President,"]
