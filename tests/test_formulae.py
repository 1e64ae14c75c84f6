"""Formula mining: planted templates come back with slots; names are not formulae."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from docdiff.corpus import formulae
from docdiff.corpus.formulae import SLOT, formulae_report, template_of, to_lexicon
from docdiff.engine.lexicon import Lexicon
from docdiff.loaders import load_text
from docdiff.model import Document, Formula
from docdiff.text.tokens import tokenize

COUNTRIES = ["Arcadia", "Borealia", "Caledon", "Dunmore", "Estoril", "Fjordland", "Galtonia"]
RECIPIENTS = ["Secretariat", "Office of the High Commissioner", "Ministry of Foreign Affairs"]
PURPOSES = [
    "transmit herewith its reply",
    "request the circulation of the attached statement",
    "refer to the note of last week",
    "inform the Secretariat of the following",
]
VOCAB = [f"{c}{v}{c2}ex" for c in "bdfgklmnprstvz" for v in "aeiou" for c2 in "lnrst"]
"""Body words: letters only (words with digits would be masked as symbols and fold into one)."""


def _corpus(n: int = 30) -> list[Document]:
    rng = random.Random(7)
    docs = []
    for i in range(n):
        country = COUNTRIES[i % len(COUNTRIES)]
        recipient = RECIPIENTS[i % len(RECIPIENTS)]
        body = " ".join(rng.choice(VOCAB) for _ in range(120))
        text = (
            f"The Permanent Mission of {country} presents its compliments to the {recipient} "
            f"and has the honour to {PURPOSES[i % len(PURPOSES)]}.\n\n{body}. The Office of the "
            f"United Nations High Commissioner for Human Rights {rng.choice(VOCAB)}. "
            + " ".join(rng.choice(VOCAB) for _ in range(120))
            + f".\n\nThe Permanent Mission of {country} avails itself of this opportunity to "
            f"renew to the {recipient} the assurances of its highest consideration.\n"
        )
        doc = load_text(text, doc_id=f"n{i:02}")
        docs.append(replace(doc, meta={"date": f"{2000 + i}-05-01"}))
    return docs


def test_template_of_marks_shared_words_fixed() -> None:
    ref = [1, 2, 3, 4, 5]
    fixed, maps = template_of(ref, [[1, 2, 9, 4, 5], [1, 2, 8, 4, 5], [1, 2, 3, 4, 5]])
    assert fixed == [True, True, False, True, True]
    assert maps[0][2] is None
    assert maps[2][2] == (2, 3)


def test_planted_openings_and_closings_are_mined_with_slots() -> None:
    report = formulae_report(_corpus(), min_docs=5)
    templates = [f.template for f in report.formulae]
    opening = [t for t in templates if "presents its compliments to" in t]
    closing = [t for t in templates if "avails itself of this opportunity to renew to" in t]
    assert opening, templates
    assert closing, templates
    assert SLOT in opening[0]
    # Printed in the documents' own surface form; the country is a name slot.
    assert opening[0].startswith("The Permanent Mission of {name} presents its compliments to")
    f = next(f for f in report.formulae if f.template == opening[0])
    assert f.doc_freq == 30
    assert f.first_date == "2000-05-01"
    assert f.last_date == "2029-05-01"
    fillers = {x for slot in f.slot_examples for x in slot}
    assert fillers & set(COUNTRIES)
    # The title recurs in every document but is a name, not a formula.
    assert not any("high commissioner for human rights" in t.lower() for t in templates)
    # Random body words never form templates.
    assert not any(w in t.split() for t in templates for w in VOCAB)


def test_exported_lexicon_is_accepted_back(tmp_path: Path) -> None:
    report = formulae_report(_corpus(), min_docs=5)
    text = to_lexicon(report.formulae)
    path = tmp_path / "mined.txt"
    path.write_text(text, encoding="utf-8")
    lexicon = Lexicon.load(path)
    # Every wording is a template of the lexicon: each formula's and its other wordings'.
    assert len(lexicon) == sum(1 + len(f.variants) for f in report.formulae)
    sample = (
        "The Permanent Mission of Utopia presents its compliments to the Embassy "
        "and has the honour to propose a meeting."
    )
    assert lexicon.find(tokenize(sample).keys)


def test_every_exported_line_is_read_back_or_a_comment_saying_why() -> None:
    """A DFAT volume mines markings ("SECRET") and citations ("AA:{symbol}, {symbol}") that a
    lexicon cannot take (too few fixed words; slots side by side): the export keeps them as
    comments, merges slots with no word between them, and `--formulae` reads the file."""
    mined = [
        Formula("SECRET", 194, variants=(Formula("MOST IMMEDIATE SECRET", 54),)),
        Formula("AA:{symbol}, {symbol}", 319),
        Formula("Cablegram {…} {name}, {date} from the Department", 40),
    ]
    text = to_lexicon(mined)
    lexicon = Lexicon.parse(text)
    assert [t.text for t in lexicon.templates] == [
        "MOST IMMEDIATE SECRET",
        "Cablegram {…} from the Department",
    ]
    assert "# not read back (needs at least two fixed words): SECRET" in text
    assert "# not read back (needs at least two fixed words): AA:{…}" in text


def test_too_small_corpus_has_no_formulae() -> None:
    assert formulae_report([_corpus(3)[0]]).formulae == ()


@pytest.mark.parametrize("k", [3, 4, 5])
def test_kgram_length_is_a_knob(k: int) -> None:
    report = formulae_report(_corpus(), min_docs=5, k=k)
    assert any("compliments" in f.template for f in report.formulae)


_ALPHA = [f"{c}{v}{c2}o" for c in "bdfgklmnprstvz" for v in "aeiu" for c2 in "lnrst"]
_MONTHS = ["January", "March", "May", "July", "September", "November"]
_PEOPLE = ["Kim Il Chol", "Ri Song Ho", "Pak Myong Su", "Choe Yong Nam", "Han Tae Jin"]
_COUNTRIES = ["Laos", "Cuba", "Belarus", "Viet Nam", "Syria", "Nicaragua", "Mongolia"]


def _filler(rng: random.Random, n: int) -> str:
    """`n` made-up words of `_ALPHA`, drawn from `rng`."""
    return " ".join(rng.choice(_ALPHA) for _ in range(n))


def _statements(n: int = 40) -> list[Document]:
    """KCNA-like statements: a dateline whose date never repeats, a greeting formula whose
    sender is a name, idioms scattered mid-text, and a "pay a dear price" that is no salutation."""
    rng = random.Random(5)
    docs = []
    for i in range(n):
        date = f"{_MONTHS[i % 6]} {1 + i % 28}"
        person = _PEOPLE[i % len(_PEOPLE)]
        country = _COUNTRIES[i % len(_COUNTRIES)]
        body = [_filler(rng, 25) + "." for _ in range(8)]
        words = [rng.choice(_ALPHA) for _ in range(12)]
        body.insert(rng.randrange(2, 8), f"{' '.join(words[:6])} as soon as possible {words[6]}.")
        body.insert(
            rng.randrange(2, 8), f"{' '.join(words[7:])} will pay a dear price for {country}."
        )
        text = (
            f"Pyongyang, {date} (KCNA) -- {person} received a message of greeting from "
            f"{rng.choice(_PEOPLE)}, chairman of the committee of {country}. " + " ".join(body)
        )
        doc = load_text(text, doc_id=f"kcna{i:02}")
        docs.append(replace(doc, meta={"date": f"2024-{1 + i % 12:02}-01", "sender": country}))
    return docs


def test_dateline_and_greeting_formula_in_their_surface_form() -> None:
    templates = [f.template for f in formulae_report(_statements(), min_docs=5).formulae]
    # The dateline's frame is frequent although its dates never repeat; the agency stays literal.
    assert any(t.startswith("Pyongyang, {date} (KCNA) --") for t in templates), templates
    greeting = [t for t in templates if "received a message of greeting from" in t]
    assert greeting, templates
    assert not any(name in t for t in templates for name in _PEOPLE)  # names are slots
    # Idioms and a "dear" inside a sentence are not formulae.
    assert not any("as soon as possible" in t for t in templates), templates
    assert not any("dear price" in t.lower() for t in templates), templates


def test_masking_marks_dates_numbers_symbols_and_names() -> None:
    from docdiff.corpus.formulae import mask

    m = mask("See A/75/150 of 26 January 1937, page 12, sent by Mr. Ri Song Ho in Pyongyang.")
    kinds = dict(zip(m.keys, m.kinds, strict=True))
    assert "symbol" in m.kinds
    assert "date" in m.kinds
    assert "number" in m.kinds
    assert kinds["see"] == ""
    assert m.kinds.count("name") >= 2  # "Mr. Ri Song Ho" is one name run, "Pyongyang" another
    assert m.opens[0]
    # A month's name after a title is a first name; elsewhere it stays a word.
    named = mask("We thank Mr. Jan Eliasson. May God bless you.")
    spans = zip(named.starts, named.ends, named.kinds, strict=True)
    run = [named.text[s:e] for s, e, k in spans if k]
    assert "Mr. Jan Eliasson" in run, run
    assert "may" in named.keys
    # Initials and their full stops stay inside the name they open.
    signed = mask("Yours sincerely,\nF. L. McDOUGALL\n")
    assert signed.kinds[-1] == "name"
    assert signed.text[signed.starts[-1] : signed.ends[-1]] == "F. L. McDOUGALL"
    # An abbreviation's last full stop is its own, not the sentence's: "My dear P.M.," is the
    # salutation "My dear {name},", not "My dear {name}.,".
    dear = mask("My dear P.M.,\n\nThe U.K. Government agrees.")
    spans = zip(dear.starts, dear.ends, dear.kinds, strict=True)
    runs = [dear.text[s:e] for s, e, k in spans if k == "name"]
    assert runs == ["P.M.", "U.K. Government"], runs
    assert dear.keys[3] == ","


def test_a_date_in_figures_is_a_date_a_file_or_paragraph_number_is_not() -> None:
    """Day, month and year in figures are a date whether the tokenizer keeps them one token
    ("(Due to arrive Melbourne 14.3.25)", DFAT volume 1's letters) or splits them at slashes; a
    file number and a paragraph's number are numbers."""
    from docdiff.corpus.formulae import mask

    m = mask("Due 14.3.25, sent 12/3/1948 and 3.10.1926; file 919/10/5, paragraph 3.1.2.")
    spans = zip(m.starts, m.ends, m.kinds, strict=True)
    dated = [m.text[s:e] for s, e, k in spans if k == "date"]
    assert dated == ["14.3.25", "12/3/1948", "3.10.1926"], dated
    assert m.kinds.count("symbol") + m.kinds.count("number") == 2, m.kinds


def test_a_slot_is_filled_without_the_dash_that_glues_it_to_the_next_fixed_word() -> None:
    """ "(Due to arrive Canberra-17.11.28)" fills the slot before "{date}" with "Canberra": the
    dash glues the place to the date and is no part of the place."""
    from docdiff.corpus.formulae import Region, _filler, mask

    d = mask("(Due to arrive Canberra-17.11.28)")
    assert d.kinds[-3:] == ["p", "date", "p"], d.kinds
    mapping: list[tuple[int, int] | None] = [(x, x + 1) for x in range(len(d.keys))]
    mapping[4] = mapping[5] = None  # the open slot: "Canberra-"
    assert _filler(Region(0, 0, len(d.keys)), mapping, (4, 6), d) == "Canberra"
    # A hyphen inside the filler stays: "Port-Moresby 17.11.28".
    e = mask("(Due to arrive Port-Moresby 17.11.28)")
    inside: list[tuple[int, int] | None] = [(x, x + 1) for x in range(len(e.keys))]
    slot = (4, len(e.keys) - 2)
    for x in range(*slot):
        inside[x] = None
    assert _filler(Region(0, 0, len(e.keys)), inside, slot, e) == "Port-Moresby"


_NOTES = ["Not printed.", "Not published.", "Not found."]


def _edition(n: int = 36) -> list[Document]:
    """Documents of a printed edition: a cablegram heading, "Your telegram No. 60", lettered
    paragraphs, and footnotes ("1 Not printed.") that follow a long text, so they sit far from
    both edges when the notes are many."""
    rng = random.Random(11)
    docs = []
    for i in range(n):
        par = [_filler(rng, 30) + "." for _ in range(6)]
        lettered = "\n\n".join(
            f"({c}) The {rng.choice(_ALPHA)} {p}" for c, p in zip("abc", par[:3], strict=True)
        )
        notes = [f"{k + 1} " + _filler(rng, 14) for k in range(8)]
        for k, note in enumerate(_NOTES):
            if (i + k) % 3:  # each footnote formula in two documents of three
                notes.insert(2 + 2 * k, f"{k + 2} {note}")
        text = (
            f"Cablegram {100 + i} LONDON, {1 + i % 28} March 1938\n\nSECRET\n\n"
            f"Your telegram No. {200 + 3 * i} of {1 + i % 27} March. "
            + " ".join(par[3:])
            + f"\n\n{lettered}\n\n"
            + _filler(rng, 400)
            + "\n\n"
            + "\n\n".join(notes)
            + "\n"
        )
        docs.append(load_text(text, doc_id=f"ed{i:02}"))
    return docs


def test_footnote_formulae_and_numbered_references() -> None:
    listed = formulae_report(_edition(), min_docs=5).formulae
    templates = [t for f in listed for t in (f.template, *(v.template for v in f.variants))]
    # Footnote lines are formulae although they sit mid-document; near-identical short lines
    # stay distinct wordings (no "Not {…}." joining them), listed as one formula's.
    for note in _NOTES:
        assert note in templates, templates
    assert not any(t.startswith("Not {") for t in templates), templates
    # "No." before a number does not end the sentence.
    assert any(t.startswith("Your telegram No. {number}") for t in templates), templates
    # Paragraph letters are numbers, not words: "(b) The" is no formula.
    assert not any(t.lower().startswith(("b)", "(b", "c)")) for t in templates), templates


_PLACES = ["LONDON", "WASHINGTON", "CANBERRA", "OTTAWA", "WELLINGTON", "NANKING"]
_MARKS = [
    "SECRET",
    "IMMEDIATE",
    "IMMEDIATE SECRET",
    "TOP SECRET",
    "MOST IMMEDIATE TOP SECRET",
    "MOST IMMEDIATE",
]


def _cables(n: int = 40) -> list[Document]:
    """Cablegrams whose dateline place varies, whose classification lines combine markings
    ("IMMEDIATE SECRET" is two markings that also stand alone), whose body opens with a short
    frame ("Reference your …"), which close "I am, Yours sincerely, <name>" and whose notes
    cite an archive file mid-line."""
    rng = random.Random(13)
    docs = []
    for i in range(n):
        body = [_filler(rng, 30) + "." for _ in range(8)]
        idiom = _filler(rng, 6)
        body.insert(rng.randrange(1, 8), f"{idiom} in particular {rng.choice(_ALPHA)}.")
        note = _filler(rng, 10)
        text = (
            f"Cablegram {300 + 7 * i} {_PLACES[i % len(_PLACES)]}, {1 + i % 28} "
            f"{_MONTHS[i % 6]} 1941\n\n{_MARKS[i % len(_MARKS)]}\n\n"
            f"Reference your {rng.choice(_ALPHA)} {rng.choice(_ALPHA)} of yesterday. "
            + " ".join(body)
            + f"\n\nI am, Yours sincerely, {_PEOPLE[i % len(_PEOPLE)]}\n\n"
            f"1 {note} on file AA: A{1000 + i}, {i}/{3 * i}/1.\n"
        )
        docs.append(replace(load_text(text, doc_id=f"cab{i:02}"), meta={"sender": f"s{i % 9}"}))
    return docs


def test_datelines_markings_short_openings_and_note_citations() -> None:
    listed = formulae_report(_cables(), min_docs=5).formulae
    # Every wording mined: each formula's and its other wordings' ("MOST IMMEDIATE" is listed
    # under "IMMEDIATE", one marking's grades).
    found = [g for f in listed for g in (f, *f.variants)]
    templates = [f.template for f in found]
    # The place of a dateline is a name slot on a line of its own; the date stays as a slot,
    # and each slot lists its own fillers (a date slot's examples are dates, nothing more).
    assert "Cablegram {number} {name}, {date}" in templates, templates
    dateline = next(f for f in found if f.template == "Cablegram {number} {name}, {date}")
    _, places, dates = dateline.slot_examples
    assert places, dateline
    assert set(places) <= set(_PLACES)
    assert dates, dateline
    assert all(d.endswith(" 1941") and d.split()[1] in _MONTHS for d in dates), dates
    # A line of markings is read as its markings: "TOP SECRET" and "MOST IMMEDIATE" are mined,
    # the juxtaposition "IMMEDIATE SECRET" is not a formula of its own; it is shown, whole, as
    # a line of the first-listed marking it holds (the heading lines an analyst meets).
    assert "TOP SECRET" in templates, templates
    assert "MOST IMMEDIATE" in templates, templates
    assert "IMMEDIATE SECRET" not in [f.template for f in listed], listed
    holder = next(f for f in listed if "IMMEDIATE SECRET" in [v.template for v in f.variants])
    assert holder.template in ("IMMEDIATE", "SECRET"), holder
    # A two-word frame opening the body in every document is a formula; an idiom mid-sentence
    # is not, however often it occurs.
    assert "Reference your {…}" in templates, templates
    assert not any("in particular" in t for t in templates), templates
    # "Yours", capitalised wherever it stands, is read as a name, but one that never varies:
    # it prints and counts as a word.
    assert any(t.startswith("I am, Yours sincerely,") for t in templates), templates
    # The signature that fills it is the name on that line, not the note below it.
    closing = next(f for f in found if f.template.startswith("I am, Yours sincerely,"))
    assert set(closing.slot_examples[-1]) <= set(_PEOPLE), closing.slot_examples
    # An archive citation inside the notes is a formula wherever the notes fall.
    assert any(t.startswith("on file AA: {symbol}") for t in templates), templates


def test_a_datelines_time_keeps_its_full_stop_in_the_date_slot() -> None:
    """Half the cablegrams give the hour they left ("Cablegram 300 LONDON, 1 March 1941, 5.27
    p.m."): the full stop ends "p.m.", not the dateline, so the dateline prints without one and
    the timed datelines are instances of the same template as the others."""
    docs = []
    for i, doc in enumerate(_cables()):
        head, sep, rest = doc.text.partition("\n\n")
        if i % 2:
            head += f", {1 + i % 11}.{10 + i} {'ap'[i % 4 // 2]}.m."
        docs.append(replace(load_text(head + sep + rest, doc_id=doc.id), meta=doc.meta))
    found = [g for f in formulae_report(docs, min_docs=5).formulae for g in (f, *f.variants)]
    templates = [f.template for f in found]
    assert not any(t.endswith("{date}.") for t in templates), templates
    dateline = next(f for f in found if f.template == "Cablegram {number} {name}, {date}")
    assert dateline.doc_freq == len(docs), dateline
    assert any(d.endswith(".m.") for d in dateline.slot_examples[-1]), dateline.slot_examples


def _speeches(*, dated: bool) -> list[Document]:
    """Speeches of ten sessions: every one opens with the genre's formula; the six of one year
    also open on that session's theme, a year's topic at the same place."""
    rng = random.Random(11)
    docs = []
    for i in range(60):
        year = 2010 + i % 10
        country = COUNTRIES[i % len(COUNTRIES)]
        theme = (
            "The theme of this session, bridges of trust for a shared and sustainable future, "
            "guides our work. "
            if year == 2015
            else ""
        )
        body = " ".join(rng.choice(VOCAB) for _ in range(200))
        text = f"I have the honour to address the Assembly on behalf of {country}. {theme}{body}.\n"
        meta = {"date": str(year), "sender": country} if dated else {"sender": country}
        docs.append(replace(load_text(text, doc_id=f"s{i:02}"), meta=meta))
    return docs


def test_a_years_topic_is_not_a_formula() -> None:
    def mined(*, dated: bool) -> list[str]:
        return [f.template for f in formulae_report(_speeches(dated=dated), min_docs=5).formulae]

    undated = mined(dated=False)
    # Without dates the theme looks like any opening wording of six senders.
    assert any("bridges of trust" in t for t in undated), undated
    dated = mined(dated=True)
    assert any(t.startswith("I have the honour to address the Assembly") for t in dated), dated
    # All six in one of ten years, which chance would seldom do: the year's topic.
    assert not any("bridges of trust" in t for t in dated), dated


def _letters_with_notes() -> list[Document]:
    """Letters of an edition that close "Yours sincerely, <name>" at the end of their last
    paragraph, then carry many numbered notes, so the closing stands far from the document's
    end (but at the end of its text); an idiom stands as often mid-text."""
    rng = random.Random(17)
    docs = []
    for i in range(40):
        body = [_filler(rng, 40) + "." for _ in range(6)]
        idiom = f"{rng.choice(_ALPHA)} in due course {rng.choice(_ALPHA)}."
        body.insert(rng.randrange(1, 5), idiom)
        notes = [f"{k + 1} " + _filler(rng, rng.randrange(15, 30)) + "." for k in range(10)]
        text = (
            "\n\n".join(body[:-1])
            + f"\n\n{body[-1]} Yours sincerely, {_PEOPLE[i % len(_PEOPLE)]}\n\n"
            + "\n\n".join(notes)
            + "\n"
        )
        docs.append(replace(load_text(text, doc_id=f"l{i:02}"), meta={"sender": f"s{i % 7}"}))
    return docs


def test_a_closing_before_the_notes_is_at_the_bottom_edge() -> None:
    templates = [f.template for f in formulae_report(_letters_with_notes(), min_docs=5).formulae]
    assert any(t.startswith("Yours sincerely,") for t in templates), templates


_CAPITAL_SUBJECTS = ["IMPERIAL ECONOMIC COMMITTEE", "FISHERIES AGREEMENT", "EXPORT INCENTIVES"]


def _subject_cables(n: int = 36) -> list[Document]:
    """Cables whose subject line is in capitals, as their markings are ("SECRET", "IMMEDIATE")
    and the place they were sent to ("CANBERRA"); the text goes on to use the subject's words
    ("the imperial economic committee"), not the markings' nor, mostly, the place's."""
    rng = random.Random(31)
    docs = []
    for i in range(n):
        subject = _CAPITAL_SUBJECTS[i % len(_CAPITAL_SUBJECTS)]
        words = _filler(rng, 40)
        place = "in Canberra" if i % 6 == 0 else "here"
        more = _filler(rng, 40)
        body = f"{words} the {subject.lower()} {place} {more}."
        marking = "SECRET" if i % 3 else "IMMEDIATE"
        text = (
            f"CANBERRA\n\n{marking}\n\n{subject}\n\n{body}\n\n"
            f"Cablegram {100 + i} {_MONTHS[i % 6]} 1930\n"
        )
        docs.append(replace(load_text(text, doc_id=f"cab{i:02}"), meta={"sender": f"s{i % 7}"}))
    return docs


def test_a_subject_line_in_capitals_is_no_formula_a_marking_and_an_address_are() -> None:
    """A line in capitals is read as a marking or an address unless the text goes on to talk
    about what it names: then it is the cable's subject (DFAT volume 18's "IMPERIAL ECONOMIC
    COMMITTEE"), as a subject heading in title case is."""
    templates = _wordings(_subject_cables())
    assert not set(_CAPITAL_SUBJECTS) & set(templates), templates
    assert "SECRET" in templates, templates
    assert "IMMEDIATE" in templates, templates
    assert "CANBERRA" in templates, templates
    assert not any("in due course" in t for t in templates), templates


def test_a_note_on_one_person_is_not_a_formula() -> None:
    """An edition annotates a person in the same words wherever he is named: that note recurs
    as often as "Not printed." does, but it is a note on one man, not the apparatus's wording."""
    docs = []
    for i, doc in enumerate(_edition()):
        text = doc.text
        if i % 3 != 1:
            text = text.rstrip("\n") + "\n\n9 Leader of the Free Arcadian movement in exile.\n"
        docs.append(load_text(text, doc_id=doc.id))
    templates = _wordings(docs)
    assert "Not printed." in templates, templates
    assert not any("Free Arcadian movement" in t for t in templates), templates


def test_an_editors_note_opening_is_a_formula_however_long_the_note() -> None:
    """The editors open a long note with the same words in many documents ("2 Dispatched on
    24 January, it conveyed the text of Document 142 ..."): their wording, although the note
    is too long to be a line of its own and stands mid-notes, far from the document's edges."""
    rng = random.Random(29)
    docs = []
    for i, doc in enumerate(_edition()):
        head, sep, notes = doc.text.partition("\n\n1 ")
        if i % 3 != 1:
            says = _filler(rng, rng.randrange(30, 40))
            dispatched = f"{1 + i % 28} {rng.choice(['March', 'April', 'May'])}"
            notes = notes.replace("\n\n", f"\n\n9 Dispatched on {dispatched}, it {says}.\n\n", 1)
        docs.append(load_text(head + sep + notes, doc_id=doc.id))
    templates = _wordings(docs)
    assert "Not printed." in templates, templates
    assert "Dispatched on {date}, it {…}" in templates, templates


def test_a_sentence_subject_is_no_formula_where_it_opens_a_short_line() -> None:
    """Footnotes and short paragraphs open on "The memorandum …" in many documents (DFAT's later
    volumes: "1 The memorandum was also sent to a number of posts."); each goes on to say
    something else. "The" and one word are the subject of those sentences, no frame of the
    genre; the footnote formulae beside them are."""
    rng = random.Random(23)
    docs = []
    for i, doc in enumerate(_edition()):
        text = doc.text
        if i % 3 != 1:
            says = _filler(rng, rng.randrange(4, 9))
            text = text.rstrip("\n") + f"\n\n9 The memorandum {says}.\n"
        docs.append(load_text(text, doc_id=doc.id))
    templates = _wordings(docs)
    assert "Not printed." in templates, templates
    assert not any(t.startswith("The memorandum") for t in templates), templates


def _closings_glued_to_phrases() -> list[Document]:
    """Speeches whose closing "May God bless …", at the end of their last paragraph, runs on
    into phrases frequent on their own ("the peoples of the world", "every nation on this
    earth"), so each instance of the closing is read as part of a longer region that another
    template takes; a few close otherwise. "God" is capitalised wherever it stands, "May" as a
    month too ("signed in May 2004")."""
    rng = random.Random(19)
    phrases = ["the peoples of the world", "every nation on this earth"]
    docs = []
    for i in range(60):
        country = COUNTRIES[i % len(COUNTRIES)]
        words = [rng.choice(VOCAB) for _ in range(300)]
        words.insert(rng.randrange(20, 280), f"{phrases[i % 2]} {rng.choice(VOCAB)}")
        month = f"The accord signed in May {2000 + i} {rng.choice(VOCAB)}. " if i % 6 == 1 else ""
        if i % 4 == 0:
            closing = f"May God bless {phrases[(i // 4) % 2]}."
        elif i % 20 == 1:
            closing = "May God bless us all."
        else:
            closing = "Thank you."
        text = " ".join(words[:150]) + f". {month}" + " ".join(words[150:]) + f". {closing}\n"
        docs.append(replace(load_text(text, doc_id=f"g{i:02}"), meta={"sender": country}))
    return docs


def test_a_formula_glued_to_other_phrases_is_mined_from_its_parts() -> None:
    templates = [
        f.template for f in formulae_report(_closings_glued_to_phrases(), min_docs=5).formulae
    ]
    assert any(t.startswith("May God bless") for t in templates), templates


def test_an_open_slot_keeps_a_numbered_reference_whole() -> None:
    """'Your telegram {…}': a filler "No. 60" is not cut at the abbreviation's full stop."""
    rng = random.Random(23)
    docs = []
    for i in range(30):
        word = rng.choice(_ALPHA)
        lead = ("re", "about", "concerning", "of")[i % 4]
        ref = f"No. {100 + 7 * i} on {word}" if i % 5 == 1 else f"{lead} {word}"
        body = _filler(rng, 200)
        text = f"Your telegram {ref}. {body}.\n"
        docs.append(replace(load_text(text, doc_id=f"t{i:02}"), meta={"sender": f"s{i % 5}"}))
    found = formulae_report(docs, min_docs=8).formulae
    telegram = next(f for f in found if f.template.startswith("Your telegram {"))
    fillers = telegram.slot_examples[0]
    assert any(x.startswith("No. 1") for x in fillers), fillers


_SUBJECTS = [
    "Export Incentives",
    "Fisheries Agreement",
    "Portuguese Timor",
    "Australian Journalists in Timor",
]
_MENTIONS = {"Australian Journalists in Timor": "the Australian journalists"}
"""How a text goes on to name its subject when not in the heading's words: a cable about the
journalists names them and their country (a name there, capitalised) but not "Timor" again."""


def _minutes(n: int = 36) -> list[Document]:
    """Minutes under a subject heading whose words the text goes on to use ("Export Incentives"
    … "the export incentives scheme"), a marking line in capitals only at the first letter
    ("Confidential", "Secret") that the text never repeats as a marking, and a closing
    salutation. Mid-sentence the text writes "the Secret Service" more often than "a secret
    agreement": "Secret" reads as a name there, yet its line is a marking."""
    rng = random.Random(29)
    docs = []
    for i in range(n):
        subject = _SUBJECTS[i % len(_SUBJECTS)]
        words = _filler(rng, 40)
        aside = "a secret agreement" if i == 0 else "the Secret Service" if i % 8 == 3 else "it"
        mention = _MENTIONS.get(subject, f"the {subject.lower()}")
        body = f"{words} {mention} {_filler(rng, 40)}."
        body += f" Then {aside} {_filler(rng, 8)}."
        marking = "Secret" if i % 4 == 1 else "Confidential"
        text = (
            f"Wellington, {1 + i % 28} {_MONTHS[i % 6]} 1980\n\n{marking}\n\n{subject}\n\n"
            f"{body}\n\nYours sincerely,\n\n{_PEOPLE[i % len(_PEOPLE)]}\n"
        )
        docs.append(replace(load_text(text, doc_id=f"min{i:02}"), meta={"sender": f"s{i % 7}"}))
    return docs


def test_a_heading_naming_what_the_text_is_about_is_no_formula_a_marking_is() -> None:
    templates = _wordings(_minutes())
    assert not set(_SUBJECTS) & set(templates), templates
    assert "Confidential" in templates, templates
    assert "Secret" in templates, templates
    assert any(t.startswith("Yours sincerely,") for t in templates), templates


_CABLE_SUBJECTS = ["Pacific Pact.", "Tripartite Security Treaty.", "Japanese Peace Settlement."]
_MARKINGS = ["TOP SECRET", "SECRET", "CONFIDENTIAL", "SECRET"]


def _sent(texts: list[str], prefix: str, senders: int = 7) -> list[Document]:
    """The texts as documents `prefix`00, `prefix`01, …, from `senders` senders in turn."""
    return [
        replace(load_text(text, doc_id=f"{prefix}{i:02}"), meta={"sender": f"s{i % senders}"})
        for i, text in enumerate(texts)
    ]


def _wordings(docs: list[Document]) -> list[str]:
    """Every wording the miner lists for `docs` (each formula and the wordings under it), as
    `docdiff formulae` with --min-docs 5 shows them."""
    return [
        g.template for f in formulae_report(docs, min_docs=5).formulae for g in (f, *f.variants)
    ]


def _subject_lines(n: int = 36) -> list[Document]:
    """Cables under a subject line in title case closed by a full stop ("Pacific Pact.", as
    DFAT's volume 21 writes them), the subject named again in the text, and the cable's end
    marked "Ends." on a line of its own (a marking: its word is not what the text is about)."""
    rng = random.Random(43)
    subjects = [_CABLE_SUBJECTS[i % len(_CABLE_SUBJECTS)] for i in range(n)]
    return _sent(
        [
            f"Cablegram {100 + i}, Washington, {1 + i % 28} {_MONTHS[i % 6]} 1951\n\n"
            f"{_MARKINGS[i % 4]}\n\n{s}\n\n{_filler(rng, 40)} the {s[:-1].lower()} "
            f"{_filler(rng, 30)}.\n\nEnds.\n"
            for i, s in enumerate(subjects)
        ],
        "cab",
    )


def test_a_subject_line_closed_by_a_full_stop_is_no_formula() -> None:
    """DFAT volume 21 listed "Tripartite Security Treaty." (9 documents), "Pacific Pact." and
    "Pacific Security Arrangements.": its cables' subject lines, which close on a full stop.
    A line of its own in title case is a heading still; "Ends." and the marking stay."""
    templates = _wordings(_subject_lines())
    assert not any(t.startswith(("Pacific", "Tripartite", "Japanese")) for t in templates), (
        templates
    )
    assert "Ends." in templates, templates
    assert "SECRET" in templates, templates


_ONE_WORD = ["Trusteeship.", "Disarmament.", "Reparations."]
_SEPARATORS = [" ", "\n\n"]
"""After the cable's reference: the subject on the same line, or on a line of its own."""


def _one_word_subjects(n: int = 36) -> list[Document]:
    """Cables from a delegation, each under its running reference ("Assembly 220.") and a
    subject of one word closed by a full stop ("Trusteeship."), on a line of its own in half of
    them and after the reference on the same line in the others (as DFAT volume 10 writes
    them), the subject named again in the text; the quoted message closed by "Ends."."""
    rng = random.Random(53)
    subjects = [_ONE_WORD[i % len(_ONE_WORD)] for i in range(n)]
    return _sent(
        [
            f"Cablegram {200 + i}, New York, {1 + i % 28} {_MONTHS[i % 6]} 1946\n\n"
            f"{_MARKINGS[i % 4]}\n\nAssembly {220 + 3 * i}.{_SEPARATORS[i % 2]}"
            f"{s}\n\n{_filler(rng, 40)} {s[:-1].lower()} {_filler(rng, 30)}.\n\nEnds.\n"
            for i, s in enumerate(subjects)
        ],
        "ow",
    )


def test_a_one_word_subject_line_is_no_formula_where_some_cables_run_it_on() -> None:
    """DFAT volume 10 listed "Trusteeship." (8 documents): a subject line standing alone in
    half its cables and after the cable's reference on the same line in the others ("Assembly
    220. Trusteeship."), so the line is no line of its own in most; a short sentence above the
    running text is asked whether it is the documents' subject as the line is."""
    templates = _wordings(_one_word_subjects())
    assert not set(_ONE_WORD) & set(templates), templates
    assert "Ends." in templates, templates
    assert "SECRET" in templates, templates
    assert formulae._a_noun_phrase("Trusteeship.") == "Trusteeship"
    assert formulae._a_noun_phrase("Cf.") is None
    assert formulae._a_noun_phrase("ibid.") is None


_PLACES_AS_SUBJECTS = ["INDONESIA", "MALAYA", "JAPAN"]
_PEOPLE_OF = {"INDONESIA": "Indonesian", "MALAYA": "Malayan", "JAPAN": "Japanese"}


def _country_headings(n: int = 36) -> list[Document]:
    """Cables under a country's name in capitals ("INDONESIA", as DFAT volumes 11 and 15 head
    them), whose text names the country's people or government ("the Indonesian Government",
    "the Japanese delegation"), not the country itself; the marking above is "SECRET" or
    "IMMEDIATE", which the text never talks about ("immediately" is no subject)."""
    rng = random.Random(59)
    places = [_PLACES_AS_SUBJECTS[i % 3] for i in range(n)]
    return _sent(
        [
            f"Cablegram {400 + i}, Canberra, {1 + i % 28} {_MONTHS[i % 6]} 1948\n\n"
            f"{'SECRET' if i % 2 else 'IMMEDIATE'}\n\n{p}\n\n{_filler(rng, 30)} the "
            f"{_PEOPLE_OF[p]} Government {_filler(rng, 20)} immediately {_filler(rng, 10)}.\n"
            for i, p in enumerate(places)
        ],
        "cty",
    )


def test_a_country_heading_whose_people_the_text_names_is_no_formula() -> None:
    """DFAT volume 15 listed "INDONESIA" (116 documents) fifth: cables headed by the country
    they are about, whose text says "Indonesian" and "Indonesians" more often than
    "Indonesia". A heading's name counts as recurring where the text names its people or
    language; a marking's word does not grow so ("SECRET" is not "Secretary")."""
    templates = _wordings(_country_headings())
    assert not set(_PLACES_AS_SUBJECTS) & set(templates), templates
    assert "SECRET" in templates, templates
    assert "IMMEDIATE" in templates, templates

    def named(key: str, text: str) -> bool:  # (the text after a heading of 8 characters)
        return formulae._named_as_people(
            key, formulae._Outside(formulae.mask(f"HEADING {text}"), 0, 8)
        )

    assert named("indonesia", "Indonesians the")
    assert not named("secret", "Secretary Secretariat")
    assert not named("indonesia", "indonesian")


_BIOGRAPHIES = [
    "Labour M.P.; free trader; Chancellor of the Exchequer in the first Labour Government.",
    "Industrialist; member of many government advisory committees.",
]


def _letters_with_biographies(n: int = 36) -> list[Document]:
    """Letters whose editors identify the people they name in numbered notes below the text,
    repeating one person's note word for word wherever he is named ("Labour M.P.; free trader;
    Chancellor of the Exchequer 1924.", as DFAT volume 18 does), and noting "Not printed."
    under others."""
    rng = random.Random(61)
    return _sent(
        [
            f"London, {1 + i % 28} {_MONTHS[i % 6]} 1925\n\nMy dear Prime Minister,\n\n"
            f"{_filler(rng, 40)}.[1] {_filler(rng, 30)}.[2]\n\nYours sincerely,\n\n"
            f"1 {_BIOGRAPHIES[i % 2]}\n\n2 Not printed.\n"
            for i in range(n)
        ],
        "ltr",
    )


def test_a_part_of_a_note_repeated_word_for_word_is_no_formula() -> None:
    """DFAT volume 18 listed "free trader;" (17 letters) and "Industrialist;" (10): phrases of
    the editors' notes on two people, repeated word for word wherever each is named. A note
    so repeated is on one person (`formulae._annotation`), and so is any part of it; the
    apparatus's own short note stays."""
    templates = _wordings(_letters_with_biographies())
    assert not [t for t in templates if "trader" in t or "Industrialist" in t], templates
    assert "Not printed." in templates, templates
    assert "Yours sincerely," in templates, templates


_ATTENDING = ["Malcolm MacDonald", "Vincent Massey", "Stanley Bruce"]


def _meeting_notes(n: int = 36) -> list[Document]:
    """Notes of meetings whose first sentence lists those present, each by name and a comma
    ("Malcolm MacDonald, acting for the Secretary of State …", as DFAT volume 1's notes of
    the Dominions' meetings do), names whose words general language knows and the notes never
    write in lower case; the notes close "Yours faithfully,"."""
    rng = random.Random(67)
    return _sent(
        [
            f"London, {1 + i % 28} {_MONTHS[i % 6]} 1938\n\nPRESENT\n\n"
            f"{_ATTENDING[i % 3]}, {_filler(rng, 12)}. "
            f"{_filler(rng, 40)}.\n\nYours faithfully,\n"
            for i in range(n)
        ],
        "mt",
    )


def test_a_persons_full_name_opening_a_note_is_no_phrase_of_address() -> None:
    """DFAT volume 1 listed "Malcolm MacDonald," (11 notes of meetings): the first name in the
    list of those present, read as a phrase of address ("Excellencies,") because general
    language knows both words. Two names the corpus never writes in lower case, nothing
    between them, are a person's full name."""
    templates = _wordings(_meeting_notes())
    assert not [t for t in templates if t.startswith(tuple(_ATTENDING))], templates
    assert "Yours faithfully," in templates, templates


_RUN_ON = ["Trade with Japan", "Aid to the Philippines", "Relations with China"]


def _run_on_headings(n: int = 36) -> list[Document]:
    """Minutes whose subject heading in title case, a function word inside ("Trade with
    Japan"), runs into the text (the line break lost, as in DFAT volume 19: "Trade with Japan
    Cabinet decided on Tuesday …"), the subject named again further down; and a sentence
    closing on a lower-case abbreviation's object ("… accord them m.f.n. treatment."), said
    in a third of them."""
    rng = random.Random(47)
    texts = []
    for i in range(n):
        topic = _RUN_ON[i % len(_RUN_ON)]
        mfn = f" We would accord them m.f.n. treatment. {_filler(rng, 6)}." if i % 3 == 0 else ""
        texts.append(
            f"Canberra, {1 + i % 28} {_MONTHS[i % 6]} 1955\n\nConfidential\n\n"
            f"{topic} {_filler(rng, 30)}.{mfn}\n\n{_filler(rng, 20)} {topic.lower()} "
            f"{_filler(rng, 20)}.\n\nIt is recommended that you approve the attached "
            f"{rng.choice(_ALPHA)}.\n"
        )
    return _sent(texts, "run")


def test_a_run_on_title_case_heading_and_a_sentence_after_an_abbreviation_are_no_formulae() -> None:
    """DFAT volume 19 listed "Trade with Japan {…}" (13 documents): its subject heading in
    title case with "with" inside, run into the text; and "treatment." (12), the words after
    "m.f.n." read as a sentence of their own. A heading's words with function words between
    them are asked whether they are the documents' subject; a lower-case abbreviation's full
    stop before a lower-case word ends no sentence. (A template starting inside a hyphenated
    word is tested on volume 23 itself: `tests/test_formulae_topic_headings.py`.)"""
    templates = _wordings(_run_on_headings())
    assert not any(t.startswith(tuple(_RUN_ON)) for t in templates), templates
    assert not any(t.startswith("treatment") for t in templates), templates
    assert formulae._a_noun_phrase("Trade with Japan {…}") == "Trade with Japan"
    assert formulae._a_noun_phrase("Malaysia and the {…}") is None
    assert "Confidential" in templates, templates
    assert any(t.startswith("It is recommended that") for t in templates), templates


_TOPICS = ["Constitutional development", "Economic assistance", "Australian Policy"]


def _submissions(n: int = 36) -> list[Document]:
    """Submissions on three topics: the topic's heading, bold, over some of them (in sentence
    case, or in title case: "Australian Policy"); in the others the same words in the text (a
    sentence ending on the topic in sentence case, a paragraph opening on it in title case:
    "Australian Policy - So far we have …"); and the topic named again further down in each."""
    rng = random.Random(41)
    docs = []
    for i in range(n):
        topic = _TOPICS[i % len(_TOPICS)]
        words = _filler(rng, 40)
        later = f"{words} the {topic.lower()} {_filler(rng, 30)}."
        opening = (
            f"**{topic}**\n\n{words}."
            if i % 5 < 2
            else f"{_filler(rng, 20)}: {topic}."
            if topic[1:].islower()
            else f"{topic} {_filler(rng, 20)}."
        )
        text = (
            f"Canberra, {1 + i % 28} {_MONTHS[i % 6]} 1968\n\nConfidential\n\n{opening}\n\n"
            f"{later}\n\nIt is recommended that you approve the attached {rng.choice(_ALPHA)}.\n"
        )
        docs.append(replace(load_text(text, doc_id=f"sub{i:02}"), meta={"sender": f"s{i % 7}"}))
    return docs


def test_a_topic_said_in_sentence_case_is_no_formula() -> None:
    """DFAT volumes 25-26 listed "Constitutional development" (17 documents): a heading in
    sentence case over some submissions, the opening words of a paragraph in others; DFAT
    volumes 37-38 (fresh) "Australian Policy {…}" likewise in title case, the paragraphs
    going on after it. A noun phrase whose words the text goes on to use is its documents'
    subject, as a heading is. (Made up here, the sentence-case topic is left out by its place
    already; the title-case one was listed before.)"""
    templates = _wordings(_submissions())
    assert not any(t.startswith(tuple(_TOPICS)) for t in templates), templates
    closed = formulae._a_noun_phrase("Constitutional development")
    assert closed == "Constitutional development"
    assert formulae._a_noun_phrase("Australian Policy {…}") == "Australian Policy"
    # (sentence case and a slot: as often a request or a note as a topic)
    assert formulae._a_noun_phrase("Please see {…}") is None
    assert formulae._a_noun_phrase("Matter omitted {…}") is None
    assert formulae._a_noun_phrase("It is recommended that {…}") is None
    assert "Confidential" in templates, templates
    assert any(t.startswith("It is recommended that") for t in templates), templates


def test_a_varied_heading_in_sentence_case_is_a_subject_heading() -> None:
    """DFAT volume 26 heads its submissions "Papua and New Guinea—threat to internal security",
    "Papua and New Guinea: ultimate status": one subject heading whose subject varies, in
    sentence case ("Papua and {…}" was listed, 9 documents). A heading line opening on a
    capital is a heading, whatever the case of the words after it."""
    subjects = ["threat to internal security", "ultimate status", "development programme"]
    docs, members = [], []
    for i, subject in enumerate(subjects * 2):
        d = formulae.mask(
            f"Canberra, {i + 1} May 1968\n\n**Papua and New Guinea\u2014{subject}**\n\n"
            f"The {subject} of Papua and New Guinea is before the Committee.\n"
        )
        start = d.keys.index("papua")
        end = next(x for x in range(start, len(d.keys)) if d.keys[x] == "the")
        docs.append(d)
        members.append(formulae.Region(i, start, end))
    assert formulae._a_varied_heading("Papua and {…}", members, docs)


@pytest.mark.parametrize(("others", "printed"), [(1, "Yours"), (2, "{name}")])
def test_a_name_nearly_every_instance_holds_prints_as_a_word(others: int, printed: str) -> None:
    """In the whole DFAT corpus, one "I am, Sir, Yours sincerely" among 188 "I am, Yours
    sincerely" aligned "Sir" with "Yours": a name that 19 instances of 20 hold is the
    formula's word ("I am, Yours sincerely,"); held by 18 of 20, it varies and is a slot."""
    docs = [
        formulae.mask(f"Thank you.\n\nI am, {'Sir' if i < others else 'Yours'} sincerely, Kim\n")
        for i in range(20)
    ]
    start = docs[0].keys.index("i")
    n = len(docs[0].keys) - start
    assert docs[0].kinds[start + 3] == "name"  # "Yours", capitalised mid-sentence
    members = [formulae.Region(x, start, start + n) for x in range(20)]
    maps: list[list[tuple[int, int] | None]] = [[(k, k + 1) for k in range(n)] for _ in members]
    t = formulae._Template(members, others, [True] * n, maps)
    shown = formulae._surface(t, docs)
    assert shown is not None
    assert shown.template.startswith(f"I am, {printed} sincerely,"), shown.template


def test_a_name_that_does_not_vary_prints_as_the_reference_spells_it() -> None:
    """The typesetter's apostrophe and the typewriter's are one filler; the template keeps the
    reference's own ("Korea’s" where it writes so), as the documents' surface form."""
    spellings = ["Korea\u2019s"] + ["Korea's"] * 19
    docs = [formulae.mask(f"Thank you.\n\nWe hail {w} people, Kim\n") for w in spellings]
    start = docs[0].keys.index("we")
    n = len(docs[0].keys) - start
    members = [formulae.Region(x, start, start + n) for x in range(20)]
    maps: list[list[tuple[int, int] | None]] = [[(k, k + 1) for k in range(n)] for _ in members]
    shown = formulae._surface(formulae._Template(members, 0, [True] * n, maps), docs)
    assert shown is not None
    assert docs[0].kinds[start + 2] == "name"  # "Korea’s", capitalised mid-sentence
    assert "Korea\u2019s" in shown.template, shown.template
