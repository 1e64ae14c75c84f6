"""A line of several markings ("MOST SECRET IMMEDIATE") is listed as itself, under the marking it
holds. DFAT volume 5 has "IMMEDIATE MOST SECRET" on a line of its own in 33 documents and "MOST
SECRET IMMEDIATE" in 9; they were never listed: their words were already a template mined from
regions ("IMMEDIATE", "MOST SECRET"), and a whole line overlapping such a template's instances
was skipped as one of its shapes. A reader looking for the precedence and classification lines
of the genre found only their parts."""

from __future__ import annotations

from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from docdiff.corpus.formulae import formulae_report
from tests._archives import DFAT, archive_documents
from tests._families import listed_under
from tests._masked import case_stats

VOLUME = "dfat_historical_documents/txt/volume-5-1941-july-1942-june/"


def test_a_line_of_several_markings_is_listed_under_the_marking_it_holds(
    shared_dir: Path,
) -> None:
    docs = archive_documents(shared_dir, DFAT, VOLUME)
    found = formulae_report(docs).formulae
    listed = {f.template: {v.template for v in f.variants} for f in found}
    # Before: "MOST SECRET" listed "SECRET" alone under it.
    assert {"IMMEDIATE MOST SECRET", "MOST SECRET IMMEDIATE"} <= listed["MOST SECRET"], listed
    # (the entries themselves did not move: the lines are wordings, not formulae of their own)
    assert "MOST SECRET IMMEDIATE" not in listed
    assert "IMMEDIATE MOST SECRET" not in listed


def test_a_marking_said_mostly_in_a_longer_one_is_listed_under_it() -> None:
    """DFAT's precedence marking: of the 129 documents of "IMMEDIATE" (volumes 1-14 sampled), 99
    say "MOST IMMEDIATE"; the entry was "IMMEDIATE", with "MOST IMMEDIATE" under it. The entry
    now shows what most of its documents say; "SECRET" (245 documents, 105 "MOST SECRET") keeps
    its template."""
    from docdiff.model import Formula

    ranked = [
        Formula("SECRET", 245),
        Formula("IMMEDIATE", 129),
        Formula("MOST SECRET", 105),
        Formula("MOST IMMEDIATE", 99),
    ]
    listed = listed_under(ranked)
    assert listed == {"SECRET": ["MOST SECRET"], "MOST IMMEDIATE": ["IMMEDIATE"]}, listed


def test_a_marking_in_title_case_heads_the_lines_of_markings_holding_it() -> None:
    """DFAT's later volumes print the classification in title case on its own line ("Secret",
    73 documents of volumes 15-28 sampled) beside "SECRET" and lines such as "IMMEDIATE
    SECRET". The corpus reads "Secret" as a marking (`_CaseStats.titled`), so those lines are
    listed under it as under "SECRET", not under the next marking they hold."""
    from docdiff.model import Formula

    ranked = [
        Formula("Secret", 79),
        Formula("SECRET", 76),
        Formula("IMMEDIATE", 39),
        Formula("IMMEDIATE SECRET", 19),
    ]
    combined = frozenset({("immediate", "secret")})
    listed = listed_under(ranked, combined, titled=frozenset({("secret",)}))
    assert listed == {"Secret": ["SECRET", "IMMEDIATE SECRET"], "IMMEDIATE": []}, listed
    # (a corpus that never writes "Secret" as a marking lists the line under "IMMEDIATE")
    plain = listed_under(ranked, combined)
    assert plain["IMMEDIATE"] == ["IMMEDIATE SECRET"], plain


def test_markings_after_a_cables_number_are_read_as_a_line_of_markings() -> None:
    """Later DFAT cables put the cable's number before the markings on one line ("206. SECRET
    IMMEDIATE", "O.CH258375 SECRET IMMEDIATE", and in title case "1370. Secret Immediate"):
    the markings are read as on a line of their own, two markings the corpus knows; a numbered
    heading whose words are no marking the corpus knows ("1. INTRODUCTION") is left as it
    is."""
    from docdiff.corpus.formulae import mask

    stats = case_stats(
        text
        for n in range(3)
        for text in (
            f"London, {n + 1} May 1950\n\nSECRET\n\nText of a cable.\n",
            f"Paris, {n + 1} June 1950\n\nIMMEDIATE\n\nText of another cable.\n",
        )
    )
    for head in ("206. SECRET IMMEDIATE", "O.CH258375 SECRET IMMEDIATE", "1370. Secret Immediate"):
        d = mask(f"Canberra, 24 August 1975\n\n{head}\n\nFollowing represents our view.\n", stats)
        assert [d.keys[a:b] for a, b in d.marking_lines] == [["secret", "immediate"]], head
        first = d.keys.index("secret")
        assert d.breaks[first] == 2, head
        assert d.opens[first], head
    d = mask(
        "Canberra, 24 August 1975\n\n1. INTRODUCTION\n\nFollowing represents our view.\n", stats
    )
    assert d.marking_lines == []
    assert d.breaks[d.keys.index("introduction")] != 2


_MARKING_PIECES = ["SECRET", "IMMEDIATE", "Secret", "Immediate", "TOP", "206", ".", "O.CH1", " "]
_MARKING_PIECES += ["\n\n", "\n", "Text", "of", "1."]


@given(st.lists(st.lists(st.sampled_from(_MARKING_PIECES), max_size=24), min_size=2, max_size=6))
@example([[], ["SECRET"], ["SECRET"]])  # a blank document: `docdiff formulae` crashed on it
@example([[], ["Please"], ["Please"], ["Please", "206", "please"]])  # and with a titled word
@settings(max_examples=200, deadline=None)
def test_lines_read_as_markings_are_runs_of_whole_marking_words(texts: list[list[str]]) -> None:
    """Whatever the corpus counts, a line read as several markings is a run of the masked
    tokens, each a word of letters, opening a line; and every masked token is still a span of
    its text, in order."""
    from docdiff.corpus.formulae import mask

    joined = ["".join(t) for t in texts]
    stats = case_stats(joined)
    for text in joined:
        masked = mask(text, stats)
        previous = 0
        for start, end in zip(masked.starts, masked.ends, strict=True):
            assert previous <= start < end <= len(text)
            previous = end
        for a, b in masked.marking_lines:
            assert 0 <= a < b <= len(masked.keys)
            assert masked.breaks[a] == 2
            assert all(
                text[s:e].isalpha()
                for s, e in zip(masked.starts[a:b], masked.ends[a:b], strict=True)
            )
