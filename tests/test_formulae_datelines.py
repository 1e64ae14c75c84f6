"""Datelines of one shape are one template whatever the place. DFAT v27 listed "Canberra, {date}"
(252 documents), "London, {date}" (195) and "{name}, {date}" (36) apart: Canberra and London
stand in half the documents, so the miner kept them as words of the genre (`_COMMON_NAME`). In
a frame with a date whose place other names fill too, such a name is a name again."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.corpus.formulae import formulae_report
from docdiff.model import Document, Formula
from tests._archives import DFAT, archive_documents
from tests._families import listed_under
from tests._made_up import paragraphs

VOLUME = "dfat_historical_documents/txt/volume-27-australia-and-the-united-kingdom-1960-1975/"
SOME = ("10-", "11-", "12-", "13-", "16-", "18-", "19-", "23-", "24-", "25-", "28-", "30-",
        "33-", "38-", "43-", "61-", "62-", "69-", "81-", "86-", "100-", "101-", "107-",
        "115-")  # fmt: skip


def test_datelines_of_one_shape_are_one_template(shared_dir: Path) -> None:
    docs = archive_documents(shared_dir, DFAT, VOLUME, SOME)
    assert len(docs) == len(SOME)
    found = formulae_report(docs).formulae
    shown = [g.template for f in found for g in (f, *f.variants)]
    # Before: "Canberra, {date}" (11 documents) and "London, {date}" (11), two entries.
    assert not {"Canberra, {date}", "London, {date}"} & set(shown), shown
    dateline = next(f for f in found if f.template == "{name}, {date}")
    places = set(dateline.slot_examples[0])
    assert {"Canberra", "London"} <= places, places
    assert dateline.doc_freq >= 18, dateline.doc_freq


def test_a_place_that_one_frame_always_holds_stays_a_word() -> None:
    from docdiff.loaders import load_text

    docs = [
        load_text(
            f"Pyongyang, {n + 1} May 2024 (KCNA) -- The talks number {n} went on "
            + " ".join(f"w{n}x{i}" for i in range(30))
            + ". Pyongyang said so.\n",
            doc_id=f"k{n:02}",
        )
        for n in range(12)
    ]
    templates = [f.template for f in formulae_report(docs).formulae]
    assert any(t.startswith("Pyongyang, {date}") for t in templates), templates


def test_a_template_read_from_the_same_text_is_listed_under_the_better_ranked_one() -> None:
    from docdiff.corpus.formulae import Region
    from docdiff.model import Formula

    ranked = [Formula("AA : {symbol}, {…}", 10), Formula("See file AA : {symbol}, {…}", 4),
              Formula("Not printed.", 4)]  # fmt: skip
    cites = [Region(d, 10, 16) for d in range(10)]
    # "See file" and two more tokens before the same citations, in all four of its documents.
    see = [Region(d, 8, 16) for d in range(4)]
    notes = [Region(d, 30, 33) for d in range(4)]  # elsewhere in the same documents
    listed = listed_under(ranked, instances=[cites, see, notes])
    # Before: three entries, the citation twice.
    assert listed == {
        "AA : {symbol}, {…}": ["See file AA : {symbol}, {…}"],
        "Not printed.": [],
    }


def _typed_datelines() -> list[Document]:
    """80 documents opening on a dateline, a place in capitals and a date; one in sixteen heads
    it with "Memorandum", "Minute" or "Letter". Two in five name "the Memorandum" and "the
    Minute" mid-sentence, capitalised, and one in ten writes "a memorandum", "a minute"."""
    import random
    from dataclasses import replace

    from docdiff.loaders import load_text

    alpha = [f"{c}{v}{c2}o" for c in "bdfgklmnprstvz" for v in "aeiu" for c2 in "lnrst"]
    places = ["CANBERRA", "LONDON", "WASHINGTON", "NEW DELHI", "PARIS", "TOKYO", "JAKARTA"]
    rng = random.Random(5)

    def sentence(n: int = 24) -> str:
        return " ".join(rng.choice(alpha) for _ in range(n)).capitalize() + "."

    docs = []
    for i in range(80):
        kind = {3: "Memorandum ", 7: "Minute ", 9: "Letter "}.get(i % 16, "")
        place = rng.choice(places)
        body = "\n\n".join(" ".join(sentence() for _ in range(3)) for _ in range(5))
        body += f" The talks in {place.title()} {rng.choice(alpha)}."
        if i % 5 < 2:
            body += f" {rng.choice(alpha).capitalize()} the Memorandum and the Minute {i}."
        if i % 10 == 0:
            body += f" A memorandum {rng.choice(alpha)} a minute {rng.choice(alpha)}."
        text = f"{kind}{place}, {1 + i % 28} May {1950 + i % 20}\n\n{body}\n"
        docs.append(replace(load_text(text, doc_id=f"d{i:02}"), meta={"sender": f"s{i % 9}"}))
    return docs


def test_a_document_type_before_a_place_keeps_its_own_dateline() -> None:
    found = formulae_report(_typed_datelines()).formulae
    shown = {g.template: g.doc_freq for f in found for g in (f, *f.variants)}
    # Before: "Memorandum" and "Minute", capitalised mid-sentence more often than not, were the
    # first words of a name with the place ("Memorandum CANBERRA"), and "{name}, {date}" (75
    # documents) took both datelines in.
    assert shown.get("Memorandum {name}, {date}") == 5, shown
    assert shown.get("Minute {name}, {date}") == 5, shown
    assert shown.get("{name}, {date}") == 65, shown


def test_datelines_of_every_document_type_are_one_formula() -> None:
    """DFAT volumes 1-14 sampled listed the dateline of each document type as an entry of its
    own ("Letter {name}, {date}" 10th, "Cablegram unnumbered {name}, {date}." 14th, "Memorandum
    {name}, {date}" 35th, "Minute {number} {name}, {date}" 50th), one formula taking four ranks.
    A wording that ends on a place and a date, or a date and a comma, is a wording of the
    best-ranked dateline with words; the bare "{name}, {date}", the notes that end on a date
    ("Dispatched {date}.", "Received {date}") and a sentence that does, with function words
    ("Thank you for your letter of {date},"), are no such wordings."""
    from docdiff.model import Formula

    ranked = [
        Formula("Cablegram {…} {name}, {date}", 444),
        Formula("Dispatched {date}.", 48),
        Formula("Letter {name}, {date}", 35),
        Formula("Cablegram unnumbered {name}, {date}.", 31),
        Formula("{name}, {date}", 22),
        Formula("Memorandum {name}, {date}", 10),
        Formula("Letter {date},", 6),
        Formula("Received {date}", 5),
        Formula("Thank you for your letter of {date},", 4),
    ]
    listed = listed_under(ranked)
    assert listed == {
        "Cablegram {…} {name}, {date}": [
            "Letter {name}, {date}",
            "Cablegram unnumbered {name}, {date}.",
            "Memorandum {name}, {date}",
            "Letter {date},",
        ],
        "Dispatched {date}.": [],
        "{name}, {date}": [],
        "Received {date}": [],
        "Thank you for your letter of {date},": [],
    }, listed


def test_a_dateline_whose_place_is_written_out_is_a_dateline() -> None:
    """A dateline whose instances all name one place keeps the place as a word ("Minute
    CANBERRA, {date}"): it is a dateline of its document type all the same, listed under the
    best-ranked one; the place and date alone ("CANBERRA, {date}") name no type and stay apart
    from it, a wording of the bare dateline "{name}, {date}"."""
    ranked = [
        Formula("Cablegram {…} {name}, {date}", 445),
        Formula("Minute CANBERRA, {date}", 5),
        Formula("{name}, {date}", 5),
        Formula("CANBERRA, {date}", 5),
        Formula("Thank you for your letter of {date},", 4),
    ]
    assert listed_under(ranked) == {
        "Cablegram {…} {name}, {date}": ["Minute CANBERRA, {date}"],
        "{name}, {date}": ["CANBERRA, {date}"],
        "Thank you for your letter of {date},": [],
    }


def test_a_place_and_a_date_in_any_shape_are_one_dateline() -> None:
    """DFAT volumes 15-28 (a tuning sample of 800 documents, round 36) listed "{name}, {date}"
    first (461 documents) and, as entries of their own, "{name}, {date}." (8) and "{name},
    {name}, {date}" (7, "Washington, DC, …"), as volumes 1-14 listed "[{name}], {date}" (a
    place the editors supplied): one dateline taking four ranks. A place and a date alone, in
    any of these shapes, are wordings of the best-ranked one; a dateline naming a document
    type, a note ending on a date and a place with no date are not."""
    ranked = [
        Formula("{name}, {date}", 461),
        Formula("Cablegram {…} {name}, {date}", 44),
        Formula("CANBERRA", 18),
        Formula("{name}, {date}.", 8),
        Formula("{name}, {name}, {date}", 7),
        Formula("[{name}], {date}", 6),
        Formula("Dispatched {date}.", 5),
        Formula("NEW YORK, [{date}]", 4),
        # (a place the corpus keeps as words: DFAT volume 26 listed it apart, 89 documents)
        Formula("Port Moresby, {date}", 3),
    ]
    assert listed_under(ranked) == {
        "{name}, {date}": [
            "{name}, {date}.",
            "{name}, {name}, {date}",
            "[{name}], {date}",
            "NEW YORK, [{date}]",
            "Port Moresby, {date}",
        ],
        "Cablegram {…} {name}, {date}": [],
        "CANBERRA": [],
        "Dispatched {date}.": [],
    }


def test_one_missions_dateline_is_listed_with_its_date() -> None:
    """Letters that all come from one place: the dateline's template, mined as "Canberra,"
    (its region stops before the date) beside the line "Canberra, {date}" in as many
    documents, was listed as "Canberra," with the dated line under it. The entry shows the
    wording with what it introduces."""
    from docdiff.loaders import load_text

    docs = [
        load_text(
            f"Canberra, {n + 1} May 1950\n\nSECRET\n\nText of cable number {n}.\n", doc_id=f"c{n}"
        )
        for n in range(5)
    ]
    listed = {f.template: [v.template for v in f.variants] for f in formulae_report(docs).formulae}
    assert listed.get("Canberra, {date}") == ["Canberra,"], listed
    # (the rule itself: only slots of a class may follow, and as widespread)
    ranked = [Formula("Canberra,", 5), Formula("Canberra, {date}", 5)]
    assert listed_under(ranked) == {"Canberra, {date}": ["Canberra,"]}
    fewer = [Formula("Canberra,", 5), Formula("Canberra, {date}", 3)]
    assert listed_under(fewer) == {"Canberra,": ["Canberra, {date}"]}
    worded = [Formula("Canberra,", 5), Formula("Canberra, {date} by bag", 5)]
    assert "Canberra," in listed_under(worded)


def test_first_lines_naming_their_document_type_are_gathered_as_datelines() -> None:
    """Where hundreds of documents open on a place and a date, the regions of that dateline
    take in the few lines that name a document type before them ("Memorandum CANBERRA, 26
    January 1949" in eight of 800 DFAT documents of volumes 15-28), whose type word is then
    a filler of its slot: the first lines are gathered by their type word, from the type to
    the date, where the regions did not find them. A place and its comma ("Jakarta, 7 March
    1975") name no type; a type with a comma and then a place does ("Minute, [Canberra], …");
    a line in lower case, or that opens on a function word, is a sentence."""
    from docdiff.corpus.formulae import Region, _typed_datelines, mask

    body = "\n\nThe talks went on.\n"
    texts = [
        "Memorandum CANBERRA, 26 January 1949" + body,
        "Memorandum 16, SEOUL, 20 June 1949" + body,
        "Memorandum THE HAGUE, 20 May 1949" + body,
        "Minute, [Canberra], 3 May 1950" + body,
        "Minute CANBERRA, 28 March 1949" + body,
        "Jakarta, 7 March 1975" + body,
        "Jakarta, 9 March 1975" + body,
        "The memorandum of 26 January 1949 was sent" + body,
        "memorandum of 26 January 1949" + body,
        "Minute" + body + "Dated 4 May 1950.\n",
    ]
    docs = [mask(t) for t in texts]
    gathered = {docs[g[0].doc].keys[0]: g for g in _typed_datelines(docs, [], 2)}
    assert sorted(gathered) == ["memorandum", "minute"], gathered
    assert [r.doc for r in gathered["memorandum"]] == [0, 1, 2]
    assert [r.doc for r in gathered["minute"]] == [3, 4]
    for r in gathered["memorandum"]:  # from the type word to the date, inclusive
        assert r.start == 0
        assert docs[r.doc].kinds[r.end - 1] == "date"
    # Lines that the regions found already (two of three) are not gathered again.
    found = [[Region(0, 0, 4), Region(1, 0, 6)]]
    assert "memorandum" not in {docs[g[0].doc].keys[0] for g in _typed_datelines(docs, found, 2)}


def test_a_document_type_said_with_a_word_of_its_own_is_gathered_too() -> None:
    """ "Cablegram unnumbered LONDON, {date}" opens some of a corpus's cables: the type's
    template holds "unnumbered" as a filler of its slot, and the lines that say it are also
    gathered on their own (two words: the type and its qualifier in lower case), in as many
    documents as a formula needs, whether or not the regions found the type's lines; a place
    or a number after the type is no qualifier."""
    from docdiff.corpus.formulae import Region, _typed_datelines, mask

    body = "\n\nThe talks went on.\n"
    texts = [
        *(f"Cablegram {n} LONDON, {n} May 1950" + body for n in range(3, 7)),
        "Cablegram unnumbered LONDON, 3 May 1950" + body,
        "Cablegram unnumbered PARIS, 4 May 1950, 9.15 p.m." + body,
        "Cablegram unnumbered (extract) PARIS, 5 May 1950" + body,
    ]
    docs = [mask(t) for t in texts]
    every = [[Region(n, 0, 5) for n in range(len(docs))]]  # the regions took every line
    gathered = _typed_datelines(docs, every, 3)
    assert [[r.doc for r in g] for g in gathered] == [[4, 5, 6]], gathered
    assert _typed_datelines(docs, every, 4) == []  # (three documents say "unnumbered")


_LINE_PIECES = ["Memorandum", "Minute", "Cablegram", "unnumbered", "CANBERRA", "Jakarta", "the"]
_LINE_PIECES += [" ", ", ", "[", "]", "16", "3 May 1950", "P.M.", "\n", "\n\n", "Text.", "."]


@given(st.lists(st.lists(st.sampled_from(_LINE_PIECES), max_size=16), min_size=1, max_size=8))
@settings(max_examples=200, deadline=None)
def test_gathered_datelines_are_first_lines_from_a_word_to_a_date(texts: list[list[str]]) -> None:
    """Whatever the texts, a gathered dateline runs from its document's first token, a
    capitalised word (the group's, whose first token is the same word everywhere), to a date,
    within the first line; a group holds a document once, in as many documents as asked."""
    from docdiff.corpus.formulae import _typed_datelines, mask

    docs = [mask("".join(t)) for t in texts]
    for group in _typed_datelines(docs, [], 1):
        assert len({r.doc for r in group}) == len(group) >= 1
        assert len({docs[r.doc].keys[0] for r in group}) == 1
        for r in group:
            d = docs[r.doc]
            assert r.start == 0 < r.end - 1 <= 12
            assert d.kinds[0] == ""
            assert d.text[d.starts[0]].isupper()
            assert d.kinds[r.end - 1] == "date"
            assert all(d.breaks[j] != 2 for j in range(1, r.end))


def test_a_letters_salutations_are_one_formula() -> None:
    """A letter's salutation is one formula whomever it addresses, as its dateline is one
    whatever its place: DFAT volumes 15-28 (the tuning sample of round 37) listed "My dear
    {name}," (41 documents) and, 25th, "Dear Mr. Bruce," (14, one letter series) apart. A
    sentence that opens on "Dear" and says more ("Dear colleagues, we {…}") is no salutation,
    nor is a "dear" inside a phrase ("pay a dear price {…}")."""
    ranked = [
        Formula("Not published.", 43),
        Formula("My dear {name},", 41),
        Formula("Dear Mr. Bruce,", 14),
        Formula("Dear Colleagues, we {…}", 6),
        Formula("DEAR SIR,", 5),
        Formula("pay a dear price {…}", 4),
    ]
    assert listed_under(ranked) == {
        "Not published.": [],
        "My dear {name},": ["Dear Mr. Bruce,", "DEAR SIR,"],
        "Dear Colleagues, we {…}": [],
        "pay a dear price {…}": [],
    }


def test_a_date_whose_day_the_editors_supplied_is_one_date() -> None:
    """DFAT volume 23 dates some letters "Wellington, [20] July 1982", the day supplied by the
    editors: "[20]" was read as a number beside the date "July 1982", so those lines made a
    template of their own, "Wellington, [{number}] {date}" (three documents), listed as a
    wording of the archive reference "[ABHS 950/Box {number}, … Head Office, Wellington]" that
    holds the place's name. The bracketed part and the rest of the date up to its year are one
    date, and those lines are the dateline's; a note's marker before a word is not a date."""
    from docdiff.corpus.formulae import mask
    from docdiff.loaders import load_text

    def dated(text: str) -> list[str]:
        m = mask(text)
        spans = zip(m.starts, m.ends, m.kinds, strict=True)
        return [m.text[s:e] for s, e, k in spans if k == "date"]

    assert dated("Wellington, [20] July 1982") == ["[20] July 1982"]
    assert dated("Canberra, [3 February] 1981") == ["[3 February] 1981"]
    assert dated("[1] May God bless you.") == []
    assert dated("see note [2] above, of 1982") == []

    rng = random.Random(5)
    months = ["March", "May", "July", "October"]
    docs = []
    for i in range(12):
        day = f"[{i + 1}]" if i % 3 == 0 else f"{i + 1}"
        place = ["Wellington", "Canberra", "London"][i % 3]
        body = "\n\n".join(paragraphs(rng, 4, 3))
        reference = f"[ABHS 950/Box {1200 + i}, 40/4/2 Part {i % 4} Head Office, Wellington]"
        text = f"{place}, {day} {months[i % 4]} 1982\n\n{body}\n\n{reference}\n"
        docs.append(load_text(text, doc_id=f"l{i:02}"))
    found = formulae_report(docs, min_docs=3).formulae
    shown = [g.template for f in found for g in (f, *f.variants)]
    assert not [t for t in shown if "[{number}] {date}" in t], shown
    # One entry holds the datelines, of every place (each place stands in a third of these
    # letters, so each is kept as a word); the archive reference is one of its own.
    (dateline,) = [f for f in found if f.template.endswith(", {date}")]
    assert dateline.family_docs == len(docs), found
    (cited,) = [f for f in found if f.template.startswith("[ABHS")]
    assert not cited.variants, cited


def test_a_cables_number_with_a_bracketed_letter_is_one_symbol() -> None:
    """DFAT volume 6 numbers some cables "Cablegram 52[A] LONDON, …": the letter read as a name
    in brackets, and the "a" of the fixed words as an article, so their dateline (32 cables)
    was no dateline and listed apart from the cables' own. "52[A]" is one symbol, as "52A"
    is."""
    from docdiff.corpus.formulae import mask
    from docdiff.loaders import load_text

    m = mask("Cablegram 52[A] LONDON, 6 May 1943\n\nText.")
    spans = zip(m.starts, m.ends, m.kinds, strict=True)
    assert [(m.text[s:e], k) for s, e, k in spans][:2] == [("Cablegram", ""), ("52[A]", "symbol")]
    assert "symbol" not in mask("See note 5 [A] here.").kinds  # (not glued)
    rng = random.Random(3)
    docs = []
    for i in range(12):
        number = f"{100 + i}[A]" if i % 2 else f"{100 + i}"
        body = "\n\n".join(paragraphs(rng, 4, 3))
        text = f"Cablegram {number} LONDON, {i + 1} May 1943, 3.10 p.m.\n\nMOST SECRET\n\n{body}\n"
        docs.append(load_text(text, doc_id=f"c{i:02}"))
    found = formulae_report(docs, min_docs=3).formulae
    (dateline,) = [f for f in found if f.template.startswith("Cablegram")]
    assert dateline.doc_freq == len(docs), found
