"""The formulae the lexicon knows are the genre's by prior knowledge: "I have the honour to {…}"
in the middle of a letter, "international peace and security" in every third speech. Neither
gathers at the documents' edges, and a sample may hold the first in a handful of letters, so
their place and spread alone do not tell them from running text (the DFAT fresh sample held
"I have the honour to {…}" in 9 documents, 5 at the top: not enough, and it was missed). A
template that states a lexicon formula is listed on its spread, marked with the lexicon's
family; the same wording without the lexicon's word is not, and a fragment of a longer lexicon
formula is not one of its formulae."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from docdiff.corpus import formulae
from docdiff.corpus.formulae import formulae_report
from docdiff.engine.lexicon import Lexicon
from docdiff.loaders import load_text
from docdiff.model import Document, Formula
from docdiff.render.jsonout import dumps, loads

_SENDERS = [
    "Arcadia",
    "Borealia",
    "Cordova",
    "Dalmatia",
    "Esperia",
    "Frisia",
    "Galicia",
    "Hesperia",
]
_CONCERN = "It is a matter of deep concern to us that "


def _letters(n: int = 40, stock: int = 0) -> list[Document]:
    """`n` letters of nonce words; in the middle of one in five, "I have the honour to inform
    you that …", and of as many others a sentence as fixed that no lexicon knows; in the
    middle of the last `stock`, a sentence on "international peace and security"."""
    rng = random.Random(5)
    syllables = "ka lo mi nu re sa ti vo pe da gu fi ne ro ba".split()
    vocab = sorted(
        {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(4000)}
    )

    def sentence(n: int) -> str:
        return " ".join(rng.choice(vocab) for _ in range(n)).capitalize() + "."

    docs = []
    for i in range(n):
        body = [sentence(rng.randint(8, 16)) for _ in range(30)]
        if i % 5 == 0:
            body[15] = "I have the honour to inform you that " + sentence(8).lower()
        elif i % 5 == 1:
            body[15] = _CONCERN + sentence(8).lower()
        if i >= n - stock:
            words = sentence(12)[:-1].split()
            body[20] = " ".join([*words[:6], "international peace and security", *words[6:]])
            body[20] += "."
        text = "\n\n".join(" ".join(body[j : j + 5]) for j in range(0, 30, 5)) + "\n"
        sender = _SENDERS[(i // 5) % 8] if i % 5 < 2 else _SENDERS[i % 8]
        doc = load_text(text, doc_id=f"d{i:02}")
        docs.append(replace(doc, meta={"sender": sender, "date": str(1990 + i % 9)}))
    return docs


def test_a_lexicon_formula_mid_letter_is_listed_and_marked() -> None:
    report = formulae_report(_letters())
    listed = {f.template: f for f in report.formulae}
    honour = listed.get("I have the honour to inform you that {…}")
    assert honour is not None, list(listed)
    assert honour.doc_freq == 8
    assert honour.lexicon == "honour"
    # The same place and spread without the lexicon's word: running text.
    assert not any(t.startswith("It is a matter") for t in listed)


def _addressed(own: list[int], inline: list[int], other: list[int]) -> list[Document]:
    """`_letters` of nonce words, opening with a form of address of the lexicon's: "Distinguished
    delegates," as a line of its own in the `own` letters and at the end of a line of address
    ("Mr. President, Excellencies, Distinguished delegates,") in the `inline` ones; "Mr.
    President, distinguished colleagues," in the `other` ones."""
    lines = {
        **dict.fromkeys(own, "Distinguished delegates,"),
        **dict.fromkeys(inline, "Mr. President, Excellencies, Distinguished delegates,"),
        **dict.fromkeys(other, "Mr. President, distinguished colleagues,"),
    }
    letters = _letters(40)
    return [
        replace(d, text=f"{lines[i]}\n\n{d.text}") if i in lines else d
        for i, d in enumerate(letters)
    ]


def test_a_lexicon_formula_worded_two_ways_is_asked_wording_by_wording() -> None:
    """The lexicon's "distinguished (delegates|guests|colleagues)" in six speeches, four
    "delegates", two "colleagues": the template of all six keeps the choice as a slot,
    "Distinguished {…},", one word (no formula), and no line holds it alone in four of them.
    The wording four speeches share is asked on its own, and listed (the UN's last 120 speeches
    of 2012-2024 held "Distinguished delegates," so, and it was missed)."""
    docs = _addressed(own=[0, 9, 27], inline=[20], other=[5, 14])
    listed = {f.template: f.doc_freq for f in formulae_report(docs).formulae}
    assert listed.get("Distinguished delegates,") == 4, listed
    assert not any("{…}" in t and t.startswith("Distinguished") for t in listed), listed


def test_a_stock_phrase_is_a_formula_only_in_a_corpus_that_speaks_its_language() -> None:
    """The lexicon's stock phrases are the language of speeches and letters to the UN: in a
    corpus where one document in twelve uses one (cables on every subject, a few of them on a
    debate at the UN) it is their topic and is not listed on the lexicon's word; where they
    are common, it is the genre's formula."""

    def listed(docs: list[Document]) -> dict[str, str | None]:
        return {f.template: f.lexicon for f in formulae_report(docs).formulae}

    few = listed(_letters(96, stock=8))
    assert not any("peace and security" in t for t in few), few
    assert few.get("I have the honour to inform you that {…}") == "honour"  # (not a stock one)
    many = listed(_letters(96, stock=48))
    assert "un-peace-security" in many.values(), many


def test_the_users_lexicon_is_known_too() -> None:
    mine = Lexicon.parse("concern: it is a matter of deep concern to us that {…}")
    report = formulae_report(_letters(), lexicon=Lexicon.builtin().merged(mine))
    listed = {f.template: f.lexicon for f in report.formulae}
    assert listed.get(_CONCERN + "{…}") == "concern"
    assert listed.get("I have the honour to inform you that {…}") == "honour"


def test_the_mark_is_written_and_read_back() -> None:
    report = formulae_report(_letters())
    back = loads(dumps(report))
    assert [f.lexicon for f in back.formulae] == [f.lexicon for f in report.formulae]
    data = json.loads(dumps(report))
    assert {f["lexicon"] for f in data["formulae"]} == {"honour"}


def test_a_fragment_of_a_longer_lexicon_formula_is_not_one() -> None:
    text = (
        "Many words stand here first. I congratulate Mr. Smith on his election to the "
        "presidency of the General Assembly at its sixtieth session. Other words follow."
    )
    d = formulae.mask(text)
    known = formulae._Known([d], Lexicon.builtin())
    (_, lo, hi), *_ = known.instances(0)
    start = d.keys.index("congratulate")
    assert lo <= start < hi

    def template(end: int) -> formulae._Template:
        n = end - start
        region = formulae.Region(0, start, end)
        return formulae._Template([region], 0, [True] * n, [[(x, x + 1) for x in range(n)]])

    # "congratulate Mr. Smith on": three of the formula's dozen words.
    assert known.families(template(start + 3))[0] is None
    # Listed on its own evidence, it is a part of the congratulation, and listed under it.
    assert known.families(template(start + 3))[1] == "congratulations"
    # The whole congratulation is the lexicon's.
    assert known.families(template(hi))[0] == "congratulations"


def test_a_lexicon_family_is_one_entry_and_never_another_familys_wording() -> None:
    """A congratulation that names the session ("on his election to the presidency of the
    General Assembly at its {number} session") holds the stock phrase of the session; it is
    still the congratulation, listed under it, with the congratulation's other wordings however
    little they share."""

    def f(template: str, docs: int, family: str | None) -> Formula:
        return Formula(template, docs, lexicon=family)

    ranked = [
        f("of the General Assembly at its {number} session.", 100, None),
        f("session of the General Assembly", 90, "un-session"),
        f(
            "on his election to the presidency of the General Assembly at its {number} session",
            50,
            "congratulations",
        ),
        f("the General Assembly at its {number} session", 40, "un-session"),
        f("I congratulate you, Sir, on your well-deserved election {…}", 20, "congratulations"),
    ]
    entries = formulae._families(ranked)
    assert [(e.template, e.lexicon, [v.template for v in e.variants]) for e in entries] == [
        (
            "of the General Assembly at its {number} session.",
            "un-session",
            ["session of the General Assembly", "the General Assembly at its {number} session"],
        ),
        (
            "on his election to the presidency of the General Assembly at its {number} session",
            "congratulations",
            ["I congratulate you, Sir, on your well-deserved election {…}"],
        ),
    ]


def test_another_templates_instance_over_the_same_words_takes_nothing_away() -> None:
    """A user's greedy template ("the {…} of the") whose instance runs over a stock phrase and
    far before it leaves the stock phrase the lexicon's."""
    text = (
        "We greet the delegates who came from far and wide to attend this session of the "
        "General Assembly in good faith."
    )
    d = formulae.mask(text)
    greedy = Lexicon.builtin().merged(Lexicon.parse("greedy: the {…} of the"))
    known = formulae._Known([d], greedy)
    assert {t.family for t, _, _ in known.instances(0)} == {"greedy", "un-session"}
    start = d.keys.index("session")
    n = 5  # "session of the General Assembly"
    region = formulae.Region(0, start, start + n)
    template = formulae._Template([region], 0, [True] * n, [[(x, x + 1) for x in range(n)]])
    assert known.families(template)[0] == "un-session"


def test_docdiff_formulae_reads_the_users_lexicon(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from docdiff.cli import app

    folder = tmp_path / "letters"
    folder.mkdir()
    for d in _letters():
        (folder / f"{d.id}.txt").write_text(d.text, encoding="utf-8")
    mine = tmp_path / "mine.txt"
    mine.write_text("concern: it is a matter of deep concern to us that {…}\n", encoding="utf-8")
    runner = CliRunner(env={"COLUMNS": "200"})
    told = runner.invoke(app, ["formulae", str(folder), "--formulae", str(mine)])
    assert told.exit_code == 0, told.output
    assert "in the lexicon: concern" in told.output
    assert "in the lexicon: honour" in told.output
    saved = tmp_path / "formulae.json"
    args = ["formulae", str(folder), "--formulae", str(mine), "-o", str(saved)]
    assert runner.invoke(app, args).exit_code == 0
    settings = json.loads(saved.read_text(encoding="utf-8"))["settings"]
    assert settings["formulae"] == str(mine)
    bare = runner.invoke(app, ["formulae", str(folder)])
    assert bare.exit_code == 0, bare.output
    assert "concern" not in bare.output
    missing = runner.invoke(app, ["formulae", str(folder), "--formulae", str(tmp_path / "no.txt")])
    assert missing.exit_code == 2
    assert missing.output.strip().splitlines() == [f"docdiff: {tmp_path / 'no.txt'}: no such file"]


def test_the_html_and_markdown_reports_say_which_formulae_the_lexicon_knows() -> None:
    from docdiff.render.html import render_html
    from docdiff.render.markdown import render_markdown

    report = formulae_report(_letters())
    page = render_html(report)
    assert 'in the lexicon: <span class="family">honour</span>' in page
    assert "A formula marked <em>in the lexicon</em>" in page
    assert "(in the lexicon: honour)" in render_markdown(report)
    # A report with no such formula says nothing of the lexicon.
    plain = formulae_report(_letters(), lexicon=Lexicon())
    assert "in the lexicon" not in render_html(plain)


def test_an_exported_formula_is_one_family_read_back() -> None:
    """`--export` labels a formula's wordings alike, so that `--formulae` reads them back as one
    family: the lexicon's family when the formula is marked with one, else its first words."""
    mined = [
        Formula(
            "I have the honour to {…}",
            40,
            lexicon="honour",
            variants=(Formula("I have the honour to inform you that {…}", 9),),
        ),
        Formula("Yours sincerely, {…}", 30, variants=(Formula("I am, Yours sincerely, {…}", 12),)),
        Formula("Yours sincerely {…}", 5),
    ]
    families = Lexicon.parse(formulae.to_lexicon(mined)).families()
    assert families == {
        "I have the honour to {…}": "honour",
        "I have the honour to inform you that {…}": "honour",
        "Yours sincerely, {…}": "yours-sincerely",
        "I am, Yours sincerely, {…}": "yours-sincerely",
        "Yours sincerely {…}": "yours-sincerely-2",
    }


_NONCE = ["dalo", "kemi", "ruvo", "sapi", "tenu", "bori", "gafe", "limo"]
_STOCK = {
    "international peace and security": "un-peace-security",
    "terrorism in all its forms and manifestations": "un-terrorism",
}


@given(
    before=st.lists(st.sampled_from(_NONCE), min_size=1, max_size=12),
    after=st.lists(st.sampled_from(_NONCE), min_size=1, max_size=12),
    phrase=st.sampled_from(sorted(_STOCK)),
    cut=st.integers(min_value=0, max_value=1),
)
def test_a_template_is_its_lexicon_instance_and_a_short_part_is_only_a_part(
    before: list[str], after: list[str], phrase: str, cut: int
) -> None:
    """Law: a template whose fixed words are a lexicon instance, whatever stands around it,
    states that instance's formula; one holding three of its words, when those are less than
    half of it, is only a part of it."""
    text = f"{' '.join(before).capitalize()} {phrase} {' '.join(after)}."
    d = formulae.mask(text)
    known = formulae._Known([d], Lexicon.builtin())
    ((template, lo, hi),) = known.instances(0)
    assert template.family == _STOCK[phrase]

    def stated(start: int, end: int, *, part: bool = False) -> str | None:
        n = end - start
        region = formulae.Region(0, start, end)
        t = formulae._Template([region], 0, [True] * n, [[(x, x + 1) for x in range(n)]])
        return known.families(t)[1 if part else 0]

    assert stated(lo, hi) == _STOCK[phrase]
    if hi - lo > 6:  # three words, less than half of the phrase
        assert stated(lo + cut, lo + cut + 3) is None
        assert stated(lo + cut, lo + cut + 3, part=True) == _STOCK[phrase]
