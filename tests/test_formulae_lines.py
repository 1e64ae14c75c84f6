"""Formulae that fill a line or a sentence on their own: markings, "Begins." / "Ends.", and the
procedural lines of a verbatim record, which have too few words for a region and no edge."""

from __future__ import annotations

import random
import textwrap
from dataclasses import replace
from pathlib import Path

from docdiff.corpus.formulae import formulae_report
from docdiff.loaders import load_text
from docdiff.model import Document, Formula
from tests._families import listed_under

_ALPHA = [f"{c}{v}{c2}o" for c in "bdfgklmnprstvz" for v in "aeiu" for c2 in "lnrst"]
_LANGUAGES = ["French", "Spanish", "Arabic", "Russian"]


def _sentence(rng: random.Random, n: int = 24) -> str:
    return " ".join(rng.choice(_ALPHA) for _ in range(n)).capitalize() + "."


def _telegrams(n: int = 48) -> list[Document]:
    """Telegrams of eight senders: a marking on a line of its own ("SECRET", "CONFIDENTIAL")
    somewhere below the dateline (two in three also carry a letter's "Canberra, <date>" or
    "London, <date>"), a quoted statement between "Begins." and "Ends." in the middle of a
    paragraph; one sender closes on his name and heads his series "Export Incentives"; an idiom
    stands in running text as often as the markings do."""
    rng = random.Random(29)
    docs = []
    for i in range(n):
        paragraphs = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(6)]
        paragraphs[3] = (
            f"{_sentence(rng)} The statement reads as follows. Begins. {_sentence(rng)} "
            f"{_sentence(rng)} Ends. {_sentence(rng)}"
        )
        paragraphs[2] += f" {rng.choice(_ALPHA).capitalize()} as soon as possible {_sentence(rng)}"
        if i % 8 == 0:
            paragraphs.insert(0, "Export Incentives")
            paragraphs.append("R. G. CASEY")
        marking = "SECRET" if i % 3 else "CONFIDENTIAL"
        paragraphs.insert(rng.randrange(1, 4), marking)
        if i % 3:  # a letter's dateline: a place (a name: "talks in Canberra") and a date
            place = ("Canberra", "London")[i % 3 - 1]
            paragraphs.insert(0, f"{place}, {1 + i % 28} June 1946")
            paragraphs[-1] += f" The talks in {place} {rng.choice(_ALPHA)}."
        text = f"Cablegram {100 + i} LONDON, {1 + i % 28} May 1946\n\n" + "\n\n".join(paragraphs)
        meta = {"sender": f"s{i % 8}"}
        docs.append(replace(load_text(text + "\n", doc_id=f"t{i:02}"), meta=meta))
    return docs


def test_a_word_or_two_on_a_line_or_in_a_sentence_of_their_own_is_a_formula() -> None:
    templates = [f.template for f in formulae_report(_telegrams(), min_docs=5).formulae]
    # A marking fills its line; "Begins." and "Ends." fill their sentences, in the middle of a
    # paragraph: one or two words, no edge, but the same whole line or sentence everywhere.
    for formula in ("SECRET", "CONFIDENTIAL", "Begins.", "Ends."):
        assert formula in templates, templates
    # A line of a place and a date is a dateline, one whatever the place: "Canberra" and
    # "London", names that half the documents use, are the fillers of its name slot there.
    found = formulae_report(_telegrams(), min_docs=5).formulae
    dateline = next((f for f in found if f.template == "{name}, {date}"), None)
    assert dateline is not None, templates
    assert {"Canberra", "London"} <= set(dateline.slot_examples[0]), dateline.slot_examples
    # A name that closes one sender's telegrams and the heading of one sender's series recur
    # as whole lines too, but from one sender; an idiom is no sentence of its own.
    assert not any("CASEY" in t or "Export" in t for t in templates), templates
    assert not any("as soon as possible" in t for t in templates), templates


def test_a_line_closed_by_a_colon_or_a_full_stop_is_one_line() -> None:
    """Eight telegrams of eight senders quote a statement below a line "Begins." in four and
    "Begins:" in four: the same line, which each way holds too few documents on its own (four,
    at a threshold of five). It is listed once, in all eight."""

    def begun(i: int, d: Document) -> Document:
        mark = "" if i >= 8 else "\n\nBegins:\n\n" if i % 2 else "\n\nBegins.\n\n"
        return replace(d, text=d.text.replace(" Begins. ", mark or " "))

    docs = [begun(i, d) for i, d in enumerate(_telegrams())]
    found = formulae_report(docs, min_docs=5).formulae
    begins = [f for f in found if f.template.startswith("Begins")]
    assert [(f.template, f.doc_freq) for f in begins] == [("Begins.", 8)], found


def _record(n: int = 40) -> list[Document]:
    """A verbatim record's speeches, hard-wrapped at 60 columns: the interpretation note
    "(spoke in French)" stands on a line of its own before the speech goes on, and so does "The
    President returned to the Chair." between two paragraphs; a speaker's rhetorical "That is
    the truth." recurs as a sentence in the middle of a paragraph as often. Like the General
    Debate's speeches, three in four close on "I thank you." (the genre's apparatus, without
    which a short line in the middle of the text would be a novel's: below)."""
    rng = random.Random(31)
    docs = []
    for i in range(n):
        paragraphs = [" ".join(_sentence(rng) for _ in range(4)) for _ in range(8)]
        paragraphs.insert(5, "The President returned to the Chair.")
        paragraphs[2] = f"{_sentence(rng)} That is the truth. {_sentence(rng)}"
        if i % 4:
            paragraphs.append("I thank you.")
        lines = [textwrap.fill(p, 60) for p in paragraphs]
        if i % 2:
            lines.insert(rng.randrange(2, 6), f"(spoke in {_LANGUAGES[i % 4]})")
        meta = {"sender": f"country{i % 10}"}
        docs.append(replace(load_text("\n".join(lines) + "\n", doc_id=f"v{i:02}"), meta=meta))
    return docs


def test_the_procedural_lines_of_a_verbatim_record_are_formulae() -> None:
    found = formulae_report(_record(), min_docs=5).formulae
    templates = [f.template for f in found]
    assert "The President returned to the Chair." in templates, templates
    assert "(spoke in {name})" in templates, templates
    spoke = next(f for f in found if f.template == "(spoke in {name})")
    assert set(spoke.slot_examples[0]) <= set(_LANGUAGES), spoke.slot_examples
    # A longer sentence that recurs in the middle of paragraphs is rhetoric, not a formula; the
    # wrapped lines of running text that open a sentence are no lines of their own.
    assert "That is the truth." not in templates, templates
    assert all(len(t.split()) < 8 for t in templates), templates


_NARRATION = ["He smiled.", "I understand.", "What is that?", "Thank you, Anna.", "Ah!"]


def _chapters(n: int = 30) -> list[Document]:
    """A novel's chapters, hard-wrapped at 70 columns, with no metadata and nothing at their
    edges that they share: each holds, in its middle, some of the short paragraphs and
    sentences of dialogue and narration that any novel repeats ("He smiled.", "What is
    that?"), each in a third of the chapters, at a paragraph's head or within it."""
    rng = random.Random(37)
    docs = []
    for i in range(n):
        paragraphs = [" ".join(_sentence(rng, 14) for _ in range(3)) for _ in range(12)]
        for k, line in enumerate(_NARRATION):
            if (i + k) % 3 == 0:
                at = rng.randrange(3, 9)
                if k % 2:
                    paragraphs.insert(at, line)
                else:
                    paragraphs[at] = f"{_sentence(rng, 10)} {line} {_sentence(rng, 10)}"
        text = "\n\n".join(textwrap.fill(p, 70) for p in paragraphs)
        docs.append(load_text(text + "\n", doc_id=f"chapter{i:02}"))
    return docs


def test_a_novels_recurring_short_lines_are_no_formulae() -> None:
    """Where no formula stands at the documents' edges, in their notes or in the lexicon, the
    corpus shows no genre: the short paragraphs and sentences its chapters repeat in the middle
    of the text are the novel's own (on the PAN corpus's Indonesian novels the miner listed 34
    such, "Apa itu?", "{name} terdiam."). In the records above, the same kind of line is a
    formula."""
    report = formulae_report(_chapters(), min_docs=5)
    assert [f.template for f in report.formulae] == [], report.formulae
    # The report says what it left out, and why.
    from docdiff.render.html import render_html
    from docdiff.render.markdown import render_markdown
    from docdiff.render.notes import no_genre_note

    assert report.settings["no_genre_left_out"] == len(_NARRATION) - 1  # "Ah!" holds no word
    examples = report.settings["no_genre_examples"]
    assert isinstance(examples, list)
    assert set(examples) <= set(_NARRATION), examples
    note = no_genre_note(report.settings)
    assert note is not None
    assert note.startswith("No wording stands at the edges"), note
    assert "4 recurring templates were left out" in note, note
    assert note in render_markdown(report)
    assert no_genre_note({"no_genre_left_out": 0}) is None
    page = render_html(report)  # no empty table, and the reader is sent to the notes
    assert "<table" not in page
    assert "No formula; the notes above say what was left out." in page
    # Where the documents show a genre, nothing is left out so.
    assert formulae_report(_record(), min_docs=5).settings["no_genre_left_out"] == 0


def test_where_no_genre_shows_three_documents_are_too_few() -> None:
    """Answers to one question, no two alike at their edges; three of them open on one
    sentence of their source, five on another. With no genre shown, wording in three
    documents only is as likely a copy as a formula: the five-document sentence is judged as
    any, the three-document one is left out, unless the user asks for three (--min-docs)."""
    rng = random.Random(41)
    three = "Dynamic programming solves problems with overlapping subproblems."
    five = "Every subproblem is solved once and its answer stored in a table."
    docs = []
    for i in range(40):
        paragraphs = [" ".join(_sentence(rng, 14) for _ in range(3)) for _ in range(4)]
        if i < 3:
            paragraphs[0] = f"{three} {_sentence(rng, 12)}"
        if 10 <= i < 15:
            paragraphs[0] = f"{five} {_sentence(rng, 12)}"
        text = "\n\n".join(textwrap.fill(p, 70) for p in paragraphs)
        docs.append(load_text(text + "\n", doc_id=f"answer{i:02}"))

    def said(formulae: tuple[Formula, ...]) -> bool:
        return any("overlapping subproblems" in f.template for f in formulae)

    report = formulae_report(docs)
    assert not said(report.formulae)
    assert said(formulae_report(docs, min_docs=3).formulae)  # (the user's threshold is kept)
    assert report.settings["no_genre_left_out"] == 1, report.settings
    assert any("answer stored in a table" in f.template for f in report.formulae), report


def test_a_lead_in_cut_from_mined_formulae_is_dropped() -> None:
    """ "On behalf {…}", grouped again from the openings of "On behalf of the {…} of {…}", is that
    formula's opening: listed once, in the formula. A lead-in used elsewhere stays, and so does a
    short formula without an open slot inside a longer one ("MOST SECRET")."""
    from docdiff.corpus.formulae import Region, _without_lead_ins
    from docdiff.model import Formula

    def entry(template: str, regions: list[Region]) -> tuple[float, Formula, list[Region]]:
        return float(len(regions)), Formula(template, len({r.doc for r in regions})), regions

    found = [
        entry("On behalf of the {…} of {…}", [Region(d, 10, 20) for d in range(10)]),
        entry("On behalf {…}", [Region(d, 10, 13) for d in range(10)]),
        entry("I wish to thank {…}", [Region(d, 40, 45) for d in range(10, 13)]),
        entry("I wish {…}", [Region(d, 40, 43) for d in range(10, 20)]),
        entry("MOST SECRET AND PERSONAL", [Region(d, 0, 4) for d in range(20, 30)]),
        entry("MOST SECRET", [Region(d, 0, 2) for d in range(20, 30)]),
    ]
    kept = [f.template for _, f, _ in _without_lead_ins(found)]
    assert "On behalf {…}" not in kept, kept
    assert kept == [f.template for _, f, _ in found if f.template != "On behalf {…}"], kept


def _replies(n: int = 40) -> list[Document]:
    """Replies of eight senders that open "Your telegram <what>", where what follows varies; a
    third also cite "Your telegram <number>." in a sentence of its own further down. Half refer
    to a number in a sentence of its own ("Our 123."), and a page number stands after "We" on a
    line of its own in as many ("We 12": a fragment of the page)."""
    rng = random.Random(37)
    docs = []
    for i in range(n):
        paragraphs = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(6)]
        lead = ("re", "about", "concerning", "on")[i % 4]
        paragraphs.insert(0, f"Your telegram {lead} {rng.choice(_ALPHA)} {_sentence(rng)}")
        if i % 3 == 0:
            paragraphs[2] = f"{_sentence(rng)} Your telegram {200 + i}. {_sentence(rng)}"
        if i % 2:
            paragraphs[3] = f"{_sentence(rng)} Our {300 + i}. {_sentence(rng)}"
            paragraphs.insert(4, f"We {10 + i}")
        meta = {"sender": f"s{i % 8}"}
        text = "\n\n".join(paragraphs) + "\n"
        docs.append(replace(load_text(text, doc_id=f"r{i:02}"), meta=meta))
    return docs


def test_a_reference_is_a_sentence_of_its_own_and_a_fragment_is_not() -> None:
    templates = [f.template for f in formulae_report(_replies(), min_docs=5).formulae]
    assert any(t.startswith("Your telegram {") for t in templates), templates
    # "Your telegram 203." is one shape of "Your telegram {…}", not a formula of its own; "Our
    # 301." is a reference in a sentence of its own; "We 11" is a fragment.
    assert "Your telegram {number}." not in templates, templates
    assert "Our {number}." in templates, templates
    assert not any(t.startswith("We ") for t in templates), templates


def test_a_line_that_a_mined_frame_reads_from_its_start_is_one_of_its_shapes() -> None:
    """A whole line is left to a template of regions with an open slot that reads it from its
    start: "Your telegram {number} of {date}." is one shape of "Your telegram {…}.", an archive
    citation of one series one of "AA : {symbol}, {…}"; a reference of another wording is not."""
    from docdiff.corpus.formulae import _frame, _variant

    frames = [_frame("Your telegram {…}."), _frame("AA : {symbol}, {…}")]
    assert _variant("Your telegram {number} of {date}.", frames)
    assert _variant("[AA : {symbol}, TIMOR (PORTUGUESE) {number}, {number}]", frames)
    assert not _variant("Our {number}.", frames)
    assert not _variant("Telegram {number} of {date}, your reference.", frames)


def test_a_line_whose_instances_a_region_took_is_mined_already() -> None:
    """A whole line is left out when half its instances overlap a formula mined from regions
    and hold nothing but marks outside it (another shape of it); it is kept when its instances
    lie elsewhere, or when it adds its own words to the formula ("Volume IX, Document 127."
    beside "Document {number}.": a wording of its own, listed under the formula it holds)."""
    from docdiff.corpus.formulae import Region, _mined_already, mask

    docs = [mask("Volume IX, Document 127.\nSee Document 12.\n") for _ in range(10)]
    line, tail = Region(0, 0, 6), Region(0, 6, 10)  # "Volume IX, Document 127." / "See …"
    document = {(d, x) for d in range(10) for x in range(3, 6)}  # "Document 127."
    whole = {(d, x) for d in range(10) for x in range(6)}
    assert _mined_already([Region(d, line.start, line.end) for d in range(10)], whole, docs)
    assert not _mined_already([Region(d, line.start, line.end) for d in range(10)], document, docs)
    assert not _mined_already([Region(d, tail.start, tail.end) for d in range(10)], whole, docs)
    half = {(d, x) for d in range(5) for x in range(6)}
    assert _mined_already([Region(d, line.start, line.end) for d in range(10)], half, docs)
    fewer = {(d, x) for d in range(4) for x in range(6)}
    assert not _mined_already([Region(d, line.start, line.end) for d in range(10)], fewer, docs)


def test_a_note_that_names_someone_is_not_a_formula() -> None:
    """An edition's notes say "Not printed." of many documents, and "<name>, head of the
    legation." of the few men it names, each wherever he appears: a note that names someone is
    about him, however often it recurs."""
    rng = random.Random(43)
    people = ["Sir Frederic Eggleston", "Keith Officer", "Alfred Stirling"]
    docs = []
    for i in range(40):
        paragraphs = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(6)]
        paragraphs[4] += f" {people[i % 3]} {rng.choice(_ALPHA)}."
        notes = f"1 Not printed.\n\n2 {_sentence(rng, 10)}"
        if i % 2:
            notes += f"\n\n3 {people[i % 3]}, head of the legation."
        text = "\n\n".join(paragraphs) + f"\n\n{notes}\n"
        docs.append(replace(load_text(text, doc_id=f"e{i:02}"), meta={"sender": f"s{i % 8}"}))
    templates = [f.template for f in formulae_report(docs, min_docs=5).formulae]
    assert "Not printed." in templates, templates
    assert not any("legation" in t for t in templates), templates


_POSTS = ["Jakarta", "Wellington", "Ottawa", "Tokyo", "Delhi", "Manila"]


def _dispatches(per_post: int = 6) -> list[Document]:
    """Dispatches from six posts, each opening on its post's dateline "<Place>, <date>" (the
    place is a name: the text names it mid-sentence too), six from each post."""
    rng = random.Random(47)
    docs = []
    for i in range(per_post * len(_POSTS)):
        place = _POSTS[i % len(_POSTS)]
        paragraphs = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(5)]
        paragraphs[2] += f" The talks in {place} {rng.choice(_ALPHA)}."
        text = f"{place}, {1 + i % 28} June 1946\n\n" + "\n\n".join(paragraphs) + "\n"
        meta = {"sender": f"s{i % 8}"}
        docs.append(replace(load_text(text, doc_id=f"d{i:02}"), meta=meta))
    return docs


def test_datelines_of_one_shape_are_one_formula_whatever_the_place() -> None:
    """ "Jakarta, <date>", "Wellington, <date>", … are one formula of the genre, a place and a
    date on a line of its own: one template whose name slot lists the places, not one template
    per post."""
    found = formulae_report(_dispatches(), min_docs=5).formulae
    templates = [f.template for f in found]
    assert "{name}, {date}" in templates, templates
    dateline = next(f for f in found if f.template == "{name}, {date}")
    assert dateline.doc_freq == 36
    assert set(dateline.slot_examples[0]) <= set(_POSTS), dateline.slot_examples
    assert not any(t.startswith(tuple(_POSTS)) for t in templates), templates


def test_a_slot_shows_its_most_common_fillers_among_all_its_documents() -> None:
    """The fillers a slot shows are the most common among all the formula's documents, not among
    the first few: dispatches from many posts come first (in path order), then a run from
    Canberra, the post that files most; "Canberra" is the dateline's most common place."""
    rng = random.Random(53)
    places = [f"Q{w}" for w in _ALPHA[:30]]  # names: never written in lower case
    docs = []
    for i in range(48):
        place = places[i] if i < 30 else "Canberra"
        paragraphs = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(5)]
        paragraphs[2] += f" The talks in {place} {rng.choice(_ALPHA)}."
        text = f"{place}, {1 + i % 28} June 1946\n\n" + "\n\n".join(paragraphs) + "\n"
        meta = {"sender": f"s{i % 8}"}
        docs.append(replace(load_text(text, doc_id=f"p{i:02}"), meta=meta))
    found = formulae_report(docs, min_docs=5).formulae
    dateline = next(f for f in found if f.template == "{name}, {date}")
    assert dateline.slot_examples[0][0] == "Canberra", dateline.slot_examples


def test_a_note_quoting_what_varies_is_a_formula() -> None:
    """An edition's notes say "A sign here indicates '<what>'." of garbled cable groups: the
    quotation marks frame the varying filler, so the note is the apparatus's formula; fixed
    words in quotation marks (a theme, a title) are still no formula's wording."""
    from docdiff.corpus.formulae import _plain, _quotes

    rng = random.Random(53)
    what = ["mutilated", "as received", "probable meaning of group", "group omitted"]
    docs = []
    for i in range(40):
        paragraphs = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(6)]
        notes = f"1 {_sentence(rng, 8)}"
        if i % 2:
            notes += f"\n\n2 A sign here indicates '{what[i % 4]}'."
        text = "\n\n".join(paragraphs) + f"\n\n{notes}\n"
        docs.append(replace(load_text(text, doc_id=f"q{i:02}"), meta={"sender": f"s{i % 8}"}))
    templates = [f.template for f in formulae_report(docs, min_docs=5).formulae]
    assert any(t.startswith("A sign here indicates '{") for t in templates), templates
    # The marks hug the slot they quote, as the documents print them.
    assert _plain("A sign here indicates ' {…} '.") == "A sign here indicates '{…}'."
    assert _quotes('the theme "Peace and Progress" {…}')
    assert not _quotes("The cited copy reads '{…}'.")


def test_the_wordings_of_one_formula_are_one_entry_with_its_variants_under_it() -> None:
    """A formula worded several ways is one listed entry, its best-spread wording the template,
    the others under it with their own document counts: "I wish him every success" under "I
    wish you every success", "In conclusion, I {…}" under "In conclusion", "His election {…}"
    under "your election as President …", "Attachment" under the citation that holds it, the
    bare lead-in "I would like to {…} to {…}" under "I would {…} like to take this opportunity
    to {…}". Formulae that share a lead-in but not their content words stay apart ("I would
    also like to express {…}", "I am confident that {…}"), and a dateline with no fixed word is
    its own. Of one content word, a grade of a marking ("MOST SECRET", said in most of the
    marking's documents, is the entry, the bare marking under it) or a dateline of another
    shape ("Cablegram {number}[A] {…}") is a wording; an editor's note on the cablegram ("This
    cablegram was {…}") is not a wording of the dateline, nor a tribute's lead-in ("I also thank
    {…}") one of the closing "Thank you."."""
    from docdiff.corpus.formulae import _families

    ranked = [
        Formula("I would {…} like to take this opportunity to {…}", 50),
        Formula("I am confident that {…}", 41),
        Formula("I would like to {…} to {…}", 30),
        Formula("In conclusion", 26),
        Formula("I would also like to express {…}", 23),
        Formula("I wish you every success {…}", 20),
        Formula("{name}, {date}", 19),
        Formula("I also take this opportunity to {…}", 15),
        Formula("In conclusion, I {…}", 9),
        Formula("your election as President of the {number} session of the General Assembly", 9),
        Formula("His election {…}", 8),
        Formula("I wish him every success {…}", 7),
        Formula("AA:{symbol}, WAR {number}, ATTACHMENT {…}", 5),
        Formula("Attachment", 5),
        Formula("Cablegram {…} {name}, {date}", 5),
        Formula("SECRET", 5),
        Formula("MOST SECRET", 4),
        Formula("This cablegram was {…}", 4),
        Formula("Cablegram {number}[A] {…}", 3),
        Formula("Our {number}.", 3),
        Formula("No {number}.", 3),
        Formula("Mr. {name} ({name}), Vice-President, took the Chair.", 3),
        Formula("Mr. President", 2),
        Formula("Thank you.", 2),
        Formula("It is an honour for me to {…}", 2),
        Formula("I also thank {…}", 1),
        Formula("I thank you all {…}", 1),
        Formula("I am honoured to {…}", 1),
    ]
    listed = {f.template: [(v.template, v.doc_freq) for v in f.variants] for f in _families(ranked)}
    assert listed == {
        "I would {…} like to take this opportunity to {…}": [
            ("I would like to {…} to {…}", 30),
            ("I also take this opportunity to {…}", 15),
        ],
        "I am confident that {…}": [],
        "I would also like to express {…}": [],
        "In conclusion": [("In conclusion, I {…}", 9)],
        "I wish you every success {…}": [("I wish him every success {…}", 7)],
        "{name}, {date}": [],
        "your election as President of the {number} session of the General Assembly": [
            ("His election {…}", 8)
        ],
        "AA:{symbol}, WAR {number}, ATTACHMENT {…}": [("Attachment", 5)],
        "Cablegram {…} {name}, {date}": [("Cablegram {number}[A] {…}", 3)],
        # (a marking's grade said in most of its documents, 4 of 5, is the entry: s21's rule,
        # `_says_the_marking`; before, "SECRET" with "MOST SECRET" under it)
        "MOST SECRET": [("SECRET", 5)],
        "This cablegram was {…}": [],
        "Our {number}.": [],
        "No {number}.": [],  # no content word to share: a slot class alone makes no wording
        "Mr. {name} ({name}), Vice-President, took the Chair.": [],
        "Mr. President": [],  # a vocative, not the procedural line that holds its words
        # One content word, no slot class, another opening: a wording holds the closing's
        # words, or both lead into what follows; a tribute's lead-in is not the closing.
        "Thank you.": [("I thank you all {…}", 1)],
        "I also thank {…}": [],
        "It is an honour for me to {…}": [("I am honoured to {…}", 1)],
    }, listed
    assert [f.template for f in _families(ranked)][:3] == [
        "I would {…} like to take this opportunity to {…}",
        "I am confident that {…}",
        "In conclusion",
    ]


def test_wordings_in_another_frame_are_other_formulae() -> None:
    """Sharing a content word does not make two templates one formula when their frames differ:
    a statement with *be* ("It is an honour to {…}", a speech's courtesy) is not the letter's
    performative with *have* ("I have the honour to {…}"); the clause "Following is {…}" is not
    the routing "Following for the {…}", which has no verb; a vocative said whole ("Mr.
    Secretary General,") is not a tribute that names the same person in its own order. The same
    frame, or a wording that holds the other's words, still groups ("I am honoured to {…}" with
    "It is an honour for me to {…}", "Following are {…}" with "Following is {…}", "I am, Yours
    sincerely," with "Yours sincerely,")."""

    ranked = [
        Formula("I have the honour to {…}", 40),
        Formula("I also {…} to {…} Secretary-General, Mr. {name}", 30),
        Formula("Following is {…}", 20),
        Formula("Yours sincerely,", 18),
        Formula("It is an honour for me to {…}", 12),
        Formula("Following for the {…}", 9),
        Formula("Following are {…}", 8),
        Formula("It is an honour to {…}", 7),
        Formula("Mr. Secretary General,", 6),
        Formula("I am, Yours sincerely,", 5),
        Formula("I am honoured to {…}", 4),
    ]
    listed = listed_under(ranked)
    assert listed == {
        "I have the honour to {…}": [],
        "I also {…} to {…} Secretary-General, Mr. {name}": [],
        "Following is {…}": ["Following are {…}"],
        "Yours sincerely,": ["I am, Yours sincerely,"],
        "It is an honour for me to {…}": ["It is an honour to {…}", "I am honoured to {…}"],
        "Following for the {…}": [],
        "Mr. Secretary General,": [],
    }, listed


def test_a_lead_in_said_at_more_length_is_a_wording_of_it() -> None:
    """DFAT volumes 15-28 (a tuning sample, round 36) listed "Following is {…}" and "Following
    is text of {…}" (six documents each) as two formulae. A lead-in that opens on all of
    another's words, two or more with a content word, and says more before its slot is that
    lead-in at more length; a lead-in of one word ("Begins {…}"), of function words only ("It
    is {…}") or a phrase said whole ("Following is text.") is no such head or wording. A form
    of *be* or *have* is one word: DFAT volumes 37-38 (fresh, round 41) listed "Following are
    {…}" and "Following is text of {…}" apart, 64th and 65th."""
    ranked = [
        Formula("I have the honour to {…}", 40),
        Formula("Following is {…}", 6),
        Formula("It is {…}", 6),
        Formula("Following is text of {…}", 6),
        Formula("I have the honour to inform you that {…}", 5),
        Formula("It is recommended that {…}", 5),
        Formula("Following is text.", 4),
    ]
    assert listed_under(ranked) == {
        "I have the honour to {…}": ["I have the honour to inform you that {…}"],
        # (Said as widely, the fuller wording is the entry: `test_a_lead_in_is_shown_in_a_...`)
        "Following is text of {…}": ["Following is {…}"],
        "It is {…}": [],
        "It is recommended that {…}": [],
        "Following is text.": [],
    }
    ranked = [
        Formula("Following are {…}", 5),
        Formula("Following is text of {…}", 6),
        Formula("I had the honour to {…}", 5),
        Formula("I have the honour to inform you that {…}", 5),
        Formula("Following were {…}", 4),
    ]
    assert listed_under(ranked) == {
        "Following are {…}": ["Following is text of {…}", "Following were {…}"],
        "I had the honour to {…}": ["I have the honour to inform you that {…}"],
    }


def test_a_formula_led_into_by_one_word_is_a_wording_of_it() -> None:
    """DFAT volumes 37-38 (fresh, round 41) listed "Reference your telegram No. {number}."
    63rd, apart from "Your telegram {number}." (33rd). One content word that leads into all of
    another formula's words, with only function words added and the same slots, says that
    formula; a word more ("urgent") or another slot is something else."""
    ranked = [
        Formula("Your telegram {number}.", 11),
        Formula("Reference your telegram No. {number}.", 5),
        Formula("Reference your urgent telegram No. {number}.", 5),
    ]
    assert listed_under(ranked) == {
        "Your telegram {number}.": ["Reference your telegram No. {number}."],
        "Reference your urgent telegram No. {number}.": [],
    }
    ranked = [Formula("Your telegram {number}.", 11), Formula("Reference your telegram {…}", 5)]
    assert listed_under(ranked) == {
        "Your telegram {number}.": [],
        "Reference your telegram {…}": [],
    }


def test_the_editors_notes_and_the_documents_text_are_never_one_formula() -> None:
    """DFAT volumes 25-26 listed the editors' note "A reference to {…}" (21 documents) with the
    letters' "I refer to your {…}" and "Reference your {…}" under it: the same stem, another
    voice. The apparatus's wordings are listed under the apparatus's formulae, the documents'
    under theirs, unless one says all the other's words (the notes' "Matter omitted includes
    {…}" is the text's "[matter omitted]")."""
    ranked = [
        Formula("[matter omitted]", 130),
        Formula("A reference to {…}", 21, apparatus=True),
        Formula("Matter omitted includes {…}", 15, apparatus=True),
        Formula("I refer to your {…}", 5),
        Formula("Reference your {…}", 5),
        Formula("Reference to {…}", 4, apparatus=True),
    ]
    assert listed_under(ranked) == {
        "[matter omitted]": ["Matter omitted includes {…}"],
        "A reference to {…}": ["Reference to {…}"],
        "I refer to your {…}": ["Reference your {…}"],
    }


def test_function_words_alone_are_no_wording_of_a_formula_holding_them() -> None:
    """A template whose fixed words are function words only ("{number} and {number}.") is not
    another wording of a formula that holds them ("Ladies and gentlemen, {…}"), unless both
    open with them ("Your {number}." of "Your telegram {…}.")."""

    ranked = [
        Formula("Ladies and gentlemen, {…}", 30),
        Formula("Your telegram {…}.", 25),
        Formula("{number} and {number}.", 20),
        Formula("Your {number}.", 20),
    ]
    listed = listed_under(ranked)
    assert listed == {
        "Ladies and gentlemen, {…}": [],
        "Your telegram {…}.": ["Your {number}."],  # (the same opening word)
        "{number} and {number}.": [],
    }, listed


def _entries(ranked: list[Formula]) -> list[tuple[str, int, list[str]]]:
    """The entries `_families` makes of `ranked`: template, documents, wordings listed under."""
    from docdiff.corpus.formulae import _families

    return [(f.template, f.doc_freq, [v.template for v in f.variants]) for f in _families(ranked)]


def test_a_lead_in_cut_short_is_shown_in_its_fuller_wording() -> None:
    """The best-spread wording of a family is its template, unless it is a lead-in cut short ("I
    wish {…}"): the fuller wording that only adds function words ("I also wish to {…}") is the
    entry's template, at the lead-in's rank, with the lead-in listed under it. "Reference your
    {…}" stays: "With reference to {…}" holds other words; a lead-in alone stays too. A wording
    found twice (from regions and as a line) is shown once."""
    ranked = [
        Formula("I wish {…}", 26),
        Formula("Reference your {…}", 25),
        Formula("I also wish to {…}", 24),
        Formula("Let me also {…}", 20),
        Formula("I also wish to {…}", 7),
        Formula("With reference to {…}", 5),
        Formula("Reference your {…}", 4),
    ]
    listed = _entries(ranked)
    assert listed == [
        ("I also wish to {…}", 24, ["I wish {…}"]),
        ("Reference your {…}", 25, ["With reference to {…}"]),
        ("Let me also {…}", 20, []),
    ], listed


def test_a_lead_in_is_shown_in_a_fuller_wording_said_at_least_as_widely() -> None:
    """A two-word lead-in ("On behalf {…}") gives way to a fuller wording that adds content
    words when that one is said in at least as many documents ("on behalf of the Government
    {…}": 47 of the UN held-out sample's speeches, the lead-in 46): the fuller wording is the
    formula the genre says. One said in fewer documents than the lead-in stays under it ("I wish
    to thank {…}" under "I wish {…}")."""
    ranked = [
        Formula("On behalf {…}", 46),
        Formula("on behalf of the Government {…}", 47),
        Formula("On behalf of the {…} of {…}", 19),
        Formula("I wish {…}", 26),
        Formula("I wish to thank {…}", 12),
    ]
    listed = _entries(ranked)
    assert listed == [
        ("on behalf of the Government {…}", 47, ["On behalf {…}", "On behalf of the {…} of {…}"]),
        ("I wish {…}", 26, ["I wish to thank {…}"]),
    ], listed


def _closings(n: int = 48) -> list[Document]:
    """Letters of eight senders below a dateline, closing "Yours sincerely," or, one in three,
    "I am, Yours sincerely," above the signature."""
    rng = random.Random(71)
    docs = []
    for i in range(n):
        body = "\n\n".join(" ".join(_sentence(rng) for _ in range(3)) for _ in range(5))
        close = "I am, Yours sincerely," if i % 3 == 0 else "Yours sincerely,"
        name = f"{rng.choice(_ALPHA).capitalize()} {rng.choice(_ALPHA).capitalize()}"
        text = f"Canberra, {1 + i % 28} June 1946\n\n{body}\n\n{close}\n{name}\n"
        docs.append(replace(load_text(text, doc_id=f"c{i:02}"), meta={"sender": f"s{i % 8}"}))
    return docs


def test_the_miner_lists_a_formula_once_with_its_other_wordings() -> None:
    """End to end: "Yours sincerely," and "I am, Yours sincerely," (the lists of formulae count
    them apart; an analyst wants both in sight) give one entry, the commoner wording first, the
    other under it with its own documents; the limit counts entries."""
    found = formulae_report(_closings()).formulae
    closing = [f for f in found if "sincerely" in f.template.lower()]
    assert len(closing) == 1, [f.template for f in found]
    assert closing[0].template.startswith("Yours sincerely,"), closing[0].template
    variants = [(v.template, v.doc_freq) for v in closing[0].variants]
    assert len(variants) == 1, variants
    assert variants[0][0].startswith("I am, Yours sincerely"), variants
    assert variants[0][1] == 16, variants
    others = [v.template for f in found if f is not closing[0] for v in f.variants]
    assert not any("sincerely" in t.lower() for t in others), others
    assert len(formulae_report(_closings(), limit=1).formulae) == 1


def test_every_output_of_docdiff_formulae_shows_the_other_wordings(tmp_path: Path) -> None:
    """Terminal, JSON (and a report re-rendered from it), HTML, Markdown and CSV each show the
    other wording under its formula with its document count, and the lexicon exports it."""
    import csv
    import json

    from typer.testing import CliRunner

    from docdiff.cli import app

    runner = CliRunner()
    folder = tmp_path / "letters"
    folder.mkdir()
    for doc in _closings():
        (folder / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
    base = ["formulae", str(folder), "--no-progress"]
    text = runner.invoke(app, [*base, "--export", str(tmp_path / "mined.txt")])
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    head = next(i for i, line in enumerate(lines) if "Yours sincerely," in line)
    assert "I am, Yours sincerely," not in lines[head]
    also = [line for line in lines[head + 1 :] if "also:" in line]
    assert also, text.output
    assert "I am, Yours sincerely," in also[0], text.output
    assert "(16 docs)" in also[0], text.output
    lexicon = (tmp_path / "mined.txt").read_text(encoding="utf-8")
    assert "# another wording, in 16 documents" in lexicon, lexicon

    for suffix in ("json", "html", "md", "csv"):
        out = tmp_path / f"formulae.{suffix}"
        assert runner.invoke(app, [*base, "-o", str(out)]).exit_code == 0
    data = json.loads((tmp_path / "formulae.json").read_text(encoding="utf-8"))
    assert data["schema"] == "docdiff.scan/2"
    entry = next(f for f in data["formulae"] if "sincerely" in f["template"])
    assert [(v["template"][:22], v["doc_freq"]) for v in entry["variants"]] == [
        ("I am, Yours sincerely,", 16)
    ]
    assert entry["variants"][0]["members"][0]["text"].startswith("I am, Yours sincerely,")
    page = (tmp_path / "formulae.html").read_text(encoding="utf-8")
    assert '<ul class="variants">' in page
    assert "I am, Yours sincerely," in page.split('<ul class="variants">', 1)[1]
    assert "(16 documents)" in page
    md = (tmp_path / "formulae.md").read_text(encoding="utf-8")
    assert any(r.startswith("| ↳ I am, Yours sincerely,") and "| 16 " in r for r in md.splitlines())
    table = (tmp_path / "formulae.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(table.splitlines()))
    formula = next(r for r in rows if r["record"] == "formula" and "sincerely" in r["formula"])
    variant = next(r for r in rows if r["record"] == "variant")
    assert variant["n"] == formula["n"]
    assert variant["formula"].startswith("I am, Yours sincerely,")
    assert variant["doc_freq"] == "16"
    # A saved result re-renders with its variants.
    again = tmp_path / "again.md"
    result = runner.invoke(app, ["report", str(tmp_path / "formulae.json"), "-o", str(again)])
    assert result.exit_code == 0, result.output
    assert again.read_text(encoding="utf-8") == md


def _letters_below_an_address(n: int = 40) -> list[Document]:
    """Letters whose running text starts below a dateline and a long address block (six short
    lines, beyond the top edge of a short letter); two in three open it with "I have the honour
    to <what>", the others with a sentence of their own. An idiom recurs in the text as often."""
    rng = random.Random(59)
    docs = []
    for i in range(n):
        address = [" ".join(rng.choice(_ALPHA).capitalize() for _ in range(6)) for _ in range(6)]
        paragraphs = [" ".join(_sentence(rng, 12) for _ in range(2)) for _ in range(4)]
        if i % 3:
            what = ("inform you", "report", "acknowledge", "refer")[i % 4]
            paragraphs[0] = f"I have the honour to {what} {_sentence(rng, 12)} {paragraphs[0]}"
        paragraphs[2] += f" {rng.choice(_ALPHA).capitalize()} in due course {_sentence(rng, 6)}"
        text = f"Canberra, {1 + i % 28} June 1946\n\n" + "\n".join(address) + "\n\n"
        text += "\n\n".join(paragraphs) + "\n"
        docs.append(replace(load_text(text, doc_id=f"l{i:02}"), meta={"sender": f"s{i % 8}"}))
    return docs


def test_a_formula_opening_the_running_text_below_the_headings_is_an_opening() -> None:
    """ "I have the honour to {…}" opens the letters' running text, but a long address block puts
    it beyond the top edge: that it opens the text, far more often than a sentence at random
    would, is its evidence. The idiom opens no text."""
    templates = [f.template for f in formulae_report(_letters_below_an_address()).formulae]
    assert "I have the honour to {…}" in templates, templates
    assert not any("due course" in t for t in templates), templates


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(_ALPHA) for _ in range(n)).capitalize()


_SPEAKERS = ["Hollander", "Mbeki", "Kavanagh", "Ostrova", "Takemura", "Delacroix"]


def _speeches(n: int = 48) -> list[Document]:
    """Speeches of twelve countries over twelve years. Two in three thank, inside the opening
    paragraph and never at the start of a sentence, "… and also to the outgoing President, Mr.
    <name>, …"; in one year or the next (eight speeches) the opening paragraph welcomes "the
    newest Member of the Organization", an event's topic; a phrase of the running text recurs as
    often anywhere in the speech."""
    rng = random.Random(61)
    docs = []
    for i in range(n):
        year = 2000 + i % 12
        paragraphs = [" ".join(_sentence(rng, 12) for _ in range(3)) for _ in range(8)]
        opening = _sentence(rng, 8)
        if year in (2002, 2003):
            opening += (
                f" {_words(rng, 3)} to the newest Member of the Organization, {_words(rng, 4)}."
            )
        opening += f" {_words(rng, 4)}"
        if i % 3:
            name = f"{_SPEAKERS[i % 6]} {_SPEAKERS[(i + 1) % 6]}"
            opening += f" and also to the outgoing President, Mr. {name}, {rng.choice(_ALPHA)}"
        paragraphs[0] = f"{opening} {_sentence(rng, 6)} {paragraphs[0]}"
        where = rng.randrange(1, 8)
        paragraphs[where] += (
            f" {rng.choice(_ALPHA).capitalize()} the heavy burden of debt {_sentence(rng, 6)}"
        )
        meta = {"sender": f"c{i // 4}", "date": str(year)}
        docs.append(
            replace(load_text("\n\n".join(paragraphs) + "\n", doc_id=f"s{i:02}"), meta=meta)
        )
    return docs


def test_a_courtesy_inside_the_opening_paragraph_is_a_formula_and_a_topic_there_is_not() -> None:
    """ "also to the outgoing President, Mr. {name}" opens no sentence, but nearly all its uses are
    at the top of the speeches, over all the years: a clause of the opening courtesies. "the
    newest Member of the Organization" sits there too, but in two years' speeches only: that
    year's event. The phrase of the running text sits anywhere."""
    templates = [f.template for f in formulae_report(_speeches(), min_docs=5).formulae]
    assert any("outgoing President" in t for t in templates), templates
    assert not any("newest Member" in t for t in templates), templates
    assert not any("burden of debt" in t for t in templates), templates


def test_a_line_of_several_markings_is_listed_under_the_first_marking_it_holds() -> None:
    """A line the corpus reads as several markings ("IMMEDIATE SECRET": both also stand alone)
    is shown whole under the best-listed marking it holds; a line that is one marking ("TOP
    SECRET": "TOP" never stands alone) stays a formula of its own, and so does a line of
    capitals nobody reads as markings."""
    ranked = [
        Formula("SECRET", 40),
        Formula("IMMEDIATE", 30),
        Formula("TOP SECRET", 20),
        Formula("IMMEDIATE SECRET", 12),
        Formula("IMMEDIATE CONFIDENTIAL", 6),
        Formula("INTERNATIONAL SITUATION", 5),
    ]
    combined = frozenset({("immediate", "secret"), ("immediate", "confidential")})
    listed = listed_under(ranked, combined)
    assert listed == {
        "SECRET": ["IMMEDIATE SECRET"],
        "IMMEDIATE": ["IMMEDIATE CONFIDENTIAL"],
        "TOP SECRET": [],
        "INTERNATIONAL SITUATION": [],
    }, listed
    # Without the corpus's reading, the same lines are formulae of their own.
    alone = set(listed_under(ranked))
    assert {"IMMEDIATE SECRET", "IMMEDIATE CONFIDENTIAL"} <= alone, alone


def _addressed_speeches(n: int = 40) -> list[Document]:
    """Speeches of forty senders whose first sentence opens on phrases of address ("Mr.
    President, Excellencies, Distinguished delegates, …", one in four also greeting "Mr. Kofi
    Annan," by name), or on a connective ("First of all, …") that also opens sentences further
    on in most speeches."""
    rng = random.Random(41)
    docs = []
    for i in range(n):
        if i % 3 == 0:
            opening = f"First of all, {_sentence(rng, 12).lower()}"
        else:
            greeting = "Mr. Kofi Annan, " if i % 4 == 1 else ""
            opening = f"Mr. President, {greeting}Excellencies, Distinguished delegates, " + (
                _sentence(rng, 12).lower()
            )
        paragraphs = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(5)]
        if i % 2:
            paragraphs[2] = f"First of all, {_sentence(rng).lower()} {paragraphs[2]}"
        text = opening + "\n\n" + "\n\n".join(paragraphs) + "\n"
        docs.append(replace(load_text(text, doc_id=f"a{i:02}"), meta={"sender": f"c{i}"}))
    return docs


def test_the_phrases_of_address_opening_a_speech_are_formulae() -> None:
    """Inside the first sentence, a phrase of address between commas is a formula although a
    region's template may hold it as a slot and it is a name by its case ("Excellencies" is
    always capitalised): general language knows its words. A person greeted by name is a name;
    a connective that opens sentences further on too is no form of address."""
    found = formulae_report(_addressed_speeches(), min_docs=5).formulae
    templates = [g.template for f in found for g in (f, *f.variants)]
    assert "Excellencies," in templates, templates
    assert "Distinguished delegates," in templates, templates
    assert not any(t.endswith("Annan,") for t in templates), templates  # no form of address
    assert "First of all," not in templates, templates


def test_general_language_knows_forms_of_address_but_not_most_names() -> None:
    from docdiff.text.rarity import known_word

    for word in ("sir", "excellencies", "delegates", "madam"):
        assert known_word(word, "en"), word
    for word in ("annan", "gurirab", "qwzx"):
        assert not known_word(word, "en"), word
    assert not known_word("sir", "xx")  # no list for the language


def _acting_speeches(n: int = 48) -> list[Document]:
    """Speeches of many senders: "I take this opportunity to …" opens a sentence in each, in
    the first or the last paragraph of two in five of them and in the middle of the others;
    "The situation in the region …" opens a sentence in the middle of each."""
    rng = random.Random(43)
    docs = []
    for i in range(n):
        paragraphs = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(9)]
        act = f"I take this opportunity to {_sentence(rng, 10).lower()}"
        place = (0, 8)[i % 2] if i % 5 < 2 else 3 + i % 3
        paragraphs[place] += f" {act}"
        topic = f"The situation in the region {_sentence(rng, 10).lower()}"
        paragraphs[4 + i % 2] = f"{topic} {paragraphs[4 + i % 2]}"
        text = "\n\n".join(paragraphs) + "\n"
        docs.append(replace(load_text(text, doc_id=f"s{i:02}"), meta={"sender": f"c{i}"}))
    return docs


def test_a_speech_act_gathering_at_the_edges_more_than_chance_is_a_formula() -> None:
    """A frame that opens sentences and runs on into what each speech says is a formula when
    its uses sit at the edges more often than chance would put them there, though most of them
    stand in the middle ("I take this opportunity to {…}"); a topic's sentence opening that
    never gathers there is not ("The situation in the region {…}")."""
    found = formulae_report(_acting_speeches(), min_docs=5).formulae
    templates = [g.template for f in found for g in (f, *f.variants)]
    assert any(t.startswith("I take this opportunity to") for t in templates), templates
    assert not any("situation" in t for t in templates), templates


def test_a_speech_act_runs_on_into_a_complement() -> None:
    """The same placement, but the frame runs on from a noun ("We live in a world {…}", a
    rhetorical opening about the world): no speech act."""
    docs = [
        replace(d, text=d.text.replace("I take this opportunity to", "We live in a world"))
        for d in _acting_speeches()
    ]
    docs = [replace(load_text(d.text, doc_id=d.id), meta=d.meta) for d in docs]
    found = formulae_report(docs, min_docs=5).formulae
    templates = [g.template for f in found for g in (f, *f.variants)]
    assert not any(t.startswith("We live in a world") for t in templates), templates


def test_a_fragment_of_a_note_is_listed_under_the_note() -> None:
    """Two fragments of one editor's note, each mined where the other was cut, are one formula:
    the worse-ranked holds most of the better-ranked one's words in order and says little more.
    A longer formula that merely names what a short one says ("the {number} session of the
    General Assembly" in a congratulation) is its own formula; so is a line of another kind that
    shares a letter with it ("E ({number}) {number}.", a Cabinet paper's number, beside the
    footnote "* {number} i.e.")."""

    ranked = [
        Formula("Material identifying the informant has been exempted under {name} ({number})", 9),
        Formula("the {number} session of the General Assembly", 31),
        Formula("* {number} i.e.", 10),
        Formula(
            "identifying the informant has been exempted under {name} ({number}) of the Freedom "
            "of Information Act {number}.",
            5,
        ),
        Formula("I would like to congratulate the President of the General Assembly, {…}", 7),
        Formula("E ({number}) {number}.", 6),
    ]
    listed = listed_under(ranked)
    assert listed == {
        "Material identifying the informant has been exempted under {name} ({number})": [
            (
                "identifying the informant has been exempted under {name} ({number}) of the "
                "Freedom of Information Act {number}."
            )
        ],
        "the {number} session of the General Assembly": [],
        "* {number} i.e.": [],
        "I would like to congratulate the President of the General Assembly, {…}": [],
        "E ({number}) {number}.": [],
    }, listed


def test_a_heading_keeps_its_ordinal_in_words() -> None:
    """A heading line "Seventy-sixth session" is printed with its number slot: the ordinal in
    words is the heading's first word, not a note's number to leave out ("1 Not printed."), so
    the formula is "{number} session", never the lone word "session"."""
    rng = random.Random(47)
    ordinals = ["Seventy-fourth", "Seventy-fifth", "Seventy-sixth", "Forty-sixth", "Fifty-first"]
    docs = []
    for i in range(30):
        body = "\n\n".join(" ".join(_sentence(rng) for _ in range(3)) for _ in range(5))
        text = f"General Assembly\n{ordinals[i % 5]} session\n\n{body}\n\n1 Not printed.\n"
        docs.append(replace(load_text(text, doc_id=f"h{i:02}"), meta={"sender": f"s{i % 6}"}))
    templates = [f.template for f in formulae_report(docs, min_docs=5).formulae]
    assert "{number} session" in templates, templates
    assert "session" not in templates, templates
    assert "Not printed." in templates, "a note's number in figures is still left out"


def test_a_quotation_mark_the_template_opens_it_closes() -> None:
    """Notes that quote a word and go on each their own way ("The word ‘Hague’ should
    presumably read …", DFAT's later volumes) print as "The word ‘{…}’": the template opens the
    quotation, and an analyst reads an unclosed one as a cut-off template."""
    rng = random.Random(59)
    docs = []
    for i in range(40):
        paragraphs = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(6)]
        notes = f"1 {_sentence(rng, 8)}"
        if i % 2:
            quoted = " ".join(rng.choice(_ALPHA) for _ in range(rng.randrange(1, 4)))
            notes += f"\n\n2 The word \u2018{quoted}\u2019 {_sentence(rng, 6).lower()}"
        text = "\n\n".join(paragraphs) + f"\n\n{notes}\n"
        docs.append(replace(load_text(text, doc_id=f"w{i:02}"), meta={"sender": f"s{i % 8}"}))
    templates = [f.template for f in formulae_report(docs, min_docs=5).formulae]
    assert "The word \u2018{…}\u2019" in templates, templates


def _enclosing_letter(rng: random.Random, i: int, *, enclosing: bool) -> Document:
    """A letter of six paragraphs under "My dear Prime Minister,"; an `enclosing` one opens on
    "I enclose '<paper>' <what the cutting says>"."""
    body = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(6)]
    if enclosing:
        paper = rng.choice(["Times", "Financial Times", "Morning Post", "Observer"])
        body = [f"I enclose '{paper}' {_sentence(rng, 7).lower()}", *body]
    text = "My dear Prime Minister,\n\n" + "\n\n".join(body) + "\n\nYours sincerely,\n"
    return replace(load_text(text, doc_id=f"q{i:02}"), meta={"sender": f"s{i % 8}"})


def test_a_straight_quotation_mark_the_template_closed_is_not_closed_again() -> None:
    """Letters that enclose a paper's cutting ("I enclose 'Times' cutting of …", DFAT volume 17)
    close the straight quotation mark they open before the text runs on: the template prints
    "I enclose '{name}' {…}", not a third mark after the slot as if the second opened one."""
    rng = random.Random(67)
    docs = [_enclosing_letter(rng, i, enclosing=i % 2 == 1) for i in range(40)]
    listed = formulae_report(docs, min_docs=5).formulae
    templates = [t for f in listed for t in (f.template, *(v.template for v in f.variants))]
    enclose = [t for t in templates if t.startswith("I enclose")]
    assert enclose, templates
    assert all(t.count("'") == 2 for t in enclose), enclose


def test_a_bracket_the_template_opens_it_closes() -> None:
    """Letters note under their date when they are due to arrive ("(Due to arrive Melbourne
    14.3.25)", DFAT's volumes of the 1920s); some glue the place to the date
    ("Melbourne-16.5.25)"), and those instances' regions stop on the date. Every instance
    closes the bracket on its line, so the template prints both brackets, as the letters do."""
    rng = random.Random(61)
    docs = []
    for i in range(40):
        paragraphs = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(6)]
        head = f"{1 + i % 28}th March, 1925\n\nCONFIDENTIAL"
        if i % 2:
            place = rng.choice(["Melbourne", "Canberra"])
            glue = "-" if i % 3 == 0 else " "
            head += f"\n\n(Due to arrive {place}{glue}{1 + i % 28}.{1 + i % 12}.{25 + i % 4})"
        text = head + "\n\n" + "\n\n".join(paragraphs) + "\n"
        docs.append(replace(load_text(text, doc_id=f"a{i:02}"), meta={"sender": f"s{i % 8}"}))
    listed = formulae_report(docs, min_docs=5).formulae
    templates = [t for f in listed for t in (f.template, *(v.template for v in f.variants))]
    due = [t for t in templates if "Due to arrive" in t]
    assert due, templates
    assert all(t.startswith("(Due to arrive") and t.endswith(")") for t in due), due


def test_a_bracket_opened_mid_template_is_closed_too() -> None:
    """Letters thank for a message and the edition numbers its note there ("Thank you for your
    message of 2nd February[1]"); where the note's number ends the line, the instance's region
    stops before the closing bracket. The template closes what it opens: "Thank you for your
    {…} [{number}]", not "… [{number}"."""
    rng = random.Random(67)
    docs = []
    for i in range(40):
        paragraphs = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(6)]
        if i % 3:
            what = rng.choice(["telegram", "letter", "message of 3rd March", "memorandum No. 12"])
            glue = "" if i % 2 else " "
            end = "\n\n" if i % 4 == 1 else f" {rng.choice(['of', 'about', 'on', 'and'])} "
            paragraphs[0] = f"Thank you for your {what}{glue}[{1 + i % 3}]{end}" + paragraphs[0]
        text = f"{1 + i % 28}th March, 1925\n\nCONFIDENTIAL\n\n" + "\n\n".join(paragraphs) + "\n"
        docs.append(replace(load_text(text, doc_id=f"t{i:02}"), meta={"sender": f"s{i % 8}"}))
    listed = formulae_report(docs, min_docs=5).formulae
    templates = [t for f in listed for t in (f.template, *(v.template for v in f.variants))]
    bracketed = [t for t in templates if "[" in t]
    assert bracketed, templates
    assert all(t.count("[") == t.count("]") for t in bracketed), bracketed


def test_a_citing_abbreviation_runs_on_into_its_next_word() -> None:
    """DFAT volume 26's notes cite "loc. cit." in some forty documents: its full stop closed a
    sentence, so the formula was listed as "cit." alone."""
    from docdiff.corpus.formulae import mask

    masked = mask("See Document 12, loc. cit. Then op. cit. and cf. the text.")
    opened = [masked.keys[i] for i, o in enumerate(masked.opens) if o]
    assert opened == ["see", "then"]
    docs = [
        load_text(
            f"Minute {n} on the {topic} talks.\n\nThe officials met on {n + 2} May.[1]\n\n"
            f"1 Telex {100 + n}, Hay to DOET, {n + 1} May 1969, loc. cit.\n",
            doc_id=f"m{n:02d}.txt",
        )
        for n, topic in enumerate(["fisheries", "water", "seabed", "customs", "aviation", "trade"])
    ]
    templates = [f.template for f in formulae_report(docs).formulae]
    assert "cit." not in templates, templates


def test_a_sentence_cut_after_an_abbreviation_does_not_print_its_comma() -> None:
    """The edition's notes "See ibid., Document 341." split after "ibid." into a sentence
    ", Document 341.": DFAT volume 7 listed ", Document {number}." under "Document {number}."
    A line or sentence is printed from its first word."""
    rng = random.Random(7)
    docs = []
    for i in range(30):
        body = "\n\n".join(" ".join(_sentence(rng) for _ in range(3)) for _ in range(5))
        note = f"See ibid., Document {100 + 7 * i}." if i % 2 else f"Document {50 + i}."
        text = f"{body}\n\n1 {note}\n"
        docs.append(replace(load_text(text, doc_id=f"d{i:02}"), meta={"sender": f"s{i % 6}"}))
    shown = [
        g.template for f in formulae_report(docs, min_docs=5).formulae for g in (f, *f.variants)
    ]
    assert not [t for t in shown if t[:1] in ",;:."], shown


def test_no_full_stop_inside_a_bracket_ends_a_sentence() -> None:
    """DFAT volume 1 files its Imperial Conference minutes as "[FA : IMP. CONF. 1937,
    MEETINGS]": the full stops of the abbreviations ended sentences, so the reference was
    listed as three formulae ("FA : IMP.", "CONF.", "{number}, MEETINGS]"). A bracket that
    closes on its own line is one unit; a bracket left open at a line's end is not."""
    from docdiff.corpus.formulae import mask

    masked = mask("Minutes\n\n[FA : IMP. CONF. 1937, MEETINGS]\n\nDone. [Open. Still\nNext. Line")
    opened = [masked.keys[i] for i, o in enumerate(masked.opens) if o]
    assert opened == ["minutes", "[", "done", "[", "still", "next", "line"]
    rng = random.Random(11)
    docs = []
    for i in range(30):
        body = "\n\n".join(" ".join(_sentence(rng) for _ in range(3)) for _ in range(5))
        ref = f"[FA : IMP. CONF. {1936 + i % 3}, MEETINGS]" if i % 2 else f"[AA : A{900 + i}]"
        docs.append(
            replace(
                load_text(f"{body}\n\n{ref}\n", doc_id=f"d{i:02}"), meta={"sender": f"s{i % 6}"}
            )
        )
    shown = [
        g.template for f in formulae_report(docs, min_docs=5).formulae for g in (f, *f.variants)
    ]
    assert any("IMP." in t and "MEETINGS]" in t for t in shown), shown
    assert not [t for t in shown if t in ("CONF.", "FA : IMP.") or t.startswith("{number}, ")]


def test_a_volume_cited_by_number_or_roman_numeral_is_no_sentence_end() -> None:
    """DFAT volume 7's notes cite "Documents on Australian Foreign Policy 1937-49, vol. VI,
    Document 293.": the full stop before a roman numeral ended a sentence, and the formula was
    printed "… vol." with a wording "vol." of its own; volume 3's "See AA: A2673, vol. 2,
    Minute 261." was printed "See AA: {symbol}, vol.", as if the abbreviation closed it."""
    from docdiff.corpus.formulae import mask

    masked = mask("Policy 1937-49, vol. VI, Document 293. See vol. 2 and vol. xiv. Then")
    assert [masked.keys[i] for i, o in enumerate(masked.opens) if o] == ["policy", "see", "then"]
    rng = random.Random(13)
    docs = []
    for i in range(30):
        body = "\n\n".join(" ".join(_sentence(rng) for _ in range(3)) for _ in range(5))
        volume = ["VI", "VII", "3B", "4", "18"][i % 5]
        cite = (
            f"Documents on Australian Foreign Policy 1937-49, vol. {volume}, Document {200 + i}."
            if i % 2
            else f"See AA: A{2600 + i % 7}, vol. {volume}, Minute {100 + 3 * i}."
        )
        docs.append(
            replace(
                load_text(f"{body}\n\n1 {cite}\n", doc_id=f"d{i:02}"), meta={"sender": f"s{i % 6}"}
            )
        )
    shown = [
        g.template for f in formulae_report(docs, min_docs=5).formulae for g in (f, *f.variants)
    ]
    assert any(t.startswith("Documents on Australian Foreign Policy") for t in shown), shown
    assert not [t for t in shown if t.endswith("vol.")], shown


def test_a_note_naming_the_addressee_is_no_wording_of_the_salutation() -> None:
    """DFAT volume 18 (McDougall's letters to Bruce) listed the editors' note "{name}, Prime
    Minister {number}-{number}." under "My dear Prime Minister,": its words sit inside the
    salutation's, but it identifies a person, and addresses no one."""
    rng = random.Random(17)
    docs = []
    for i in range(30):
        paragraphs = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(5)]
        who = ["Stanley Baldwin", "Ramsay MacDonald", "J. H. Scullin", "David Lloyd George"][i % 4]
        note = ""
        if i % 2 == 0:
            paragraphs[1] += f" I saw {who.split()[-1]} [1] yesterday."
            note = f"\n\n1 {who}, Prime Minister {1916 + i % 9}-{22 + i % 5}."
        body = "\n\n".join(paragraphs)
        text = f"PERSONAL\n\nMy dear Prime Minister,\n\n{body}\n\nYours sincerely,{note}\n"
        docs.append(replace(load_text(text, doc_id=f"d{i:02}"), meta={"sender": f"s{i % 6}"}))
    listed = {f.template: f for f in formulae_report(docs, min_docs=5).formulae}
    assert not listed["My dear Prime Minister,"].variants
    assert "{name}, Prime Minister {number}-{number}." in listed


def _copyright_files(n: int = 40) -> list[Document]:
    """Debian-style copyright files: short fields a line each, and a licence notice wrapped by
    hand at its own width in the middle of them, the rest of each file its own prose."""
    rng = random.Random(41)
    notice = (
        "This program is distributed in the hope that it will be useful,\n"
        "but WITHOUT ANY WARRANTY; without even the implied warranty of\n"
        "MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the\n"
        "GNU General Public License for more\n"
        "details."
    )
    disclaimer = (
        'THIS SOFTWARE IS PROVIDED BY THE AUTHOR "AS IS" AND ANY EXPRESS OR IMPLIED\n'
        "WARRANTIES ARE DISCLAIMED. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR\n"
        "ANY DAMAGES (INCLUDING LOSS OF USE, DATA, OR PROFITS; OR BUSINESS\n"
        "INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY."
    )
    docs = []
    for i in range(n):
        fields = f"Files: *\nCopyright: {1990 + i % 30} {rng.choice(_ALPHA).capitalize()}"
        prose = "\n\n".join(" ".join(_sentence(rng) for _ in range(3)) for _ in range(4))
        licence = textwrap.indent(f"{notice}\n\n{disclaimer}", " ")
        text = f"{fields}\nLicense: GPL-2+\n{licence}\n\n{prose}\n"
        docs.append(replace(load_text(text, doc_id=f"c{i:02}"), meta={"sender": f"s{i % 9}"}))
    return docs


def test_a_sentence_wrapped_by_hand_among_short_lines_makes_no_line_of_its_last_words() -> None:
    """A file of short fields is no wrapped text, so each newline used to end a line: the
    notice wrapped in it gave "See the" (a line's last words, the sentence running on) and
    "details." (a sentence's last word, on a line of its own) as formulae, and the disclaimer
    "OR BUSINESS". A line that ends on a function word, or that the next word carries on in
    lower case, runs on, as two long lines in capitals do."""
    docs = _copyright_files()
    report = formulae_report(docs, min_docs=5)
    wordings = [w.template for f in report.formulae for w in (f, *f.variants)]
    assert not [w for w in wordings if w.rstrip().endswith(" the")], wordings
    assert not [w for w in wordings if w.strip(" .") in {"details", "See the"}], wordings
    # In capitals, case tells nothing: two long lines carry the sentence on.
    assert not [w for w in wordings if w.endswith(("BUSINESS", "FOR"))], wordings
    assert not [w for w in wordings if w.startswith(("INTERRUPTION", "ANY DAMAGES"))], wordings
    assert any("This program is distributed in the hope" in w for w in wordings), wordings
