"""Stock phrases: inline lexicon templates for the wording a genre repeats inside its sentences
("maintenance of international peace and security"). A passage that is one, give or take two
words, is a formula; a passage around one stays phrasing and whole; two documents do not share
one merely by each using it; its instances never displace a formula's.

On the UN General Debate speeches of 2013, the Charter's and the session's phrases were phrasing
and counted in the distinctive similarity, or formula in one pair and phrasing in the next
("General Assembly at its sixty-eighth session" by corpus frequency, "President of the General
Assembly at its sixty-eighth session" not)."""

from __future__ import annotations

import random
from pathlib import Path

from docdiff.corpus.anchor_align import Anchored
from docdiff.corpus.scan import candidate_pairs
from docdiff.engine.classify import STOCK_REASON
from docdiff.engine.compare import compare
from docdiff.engine.lexicon import Lexicon
from docdiff.engine.prepare import load_lexicon
from docdiff.index.arrays import doc_tokens, unique_kgrams
from docdiff.model import Document, Kind, Match, PairResult
from docdiff.options import Options
from docdiff.text.tokens import tokenize

STOCK = "threats to international peace and security"
SENTENCE = (
    "The patrol boats that guard the northern fisheries now face threats to international "
    "peace and security from the smugglers who cross the strait at night"
)


def _doc(name: str, text: str) -> Document:
    return Document(id=name, path=f"{name}.txt", format="text", text=text)


def _pair(a: str, b: str) -> PairResult:
    (pair,) = compare(_doc("a", a), _doc("b", b)).pairs
    return pair


def _covering(pair: PairResult, text: str, a: str) -> list[Match]:
    start = a.index(text)
    return [m for m in pair.matches if m.a.span.start < start + len(text) and start < m.a.span.end]


def test_an_inline_template_is_a_stock_phrase_apart_from_the_formulae() -> None:
    lexicon = Lexicon.parse(
        "peace (inline): international peace and security\n"
        "honour: (have|has) the honour to (inform|transmit)\n"
    )
    assert [t.family for t in lexicon.templates] == ["honour"]
    assert [t.family for t in lexicon.stock] == ["peace"]
    assert lexicon.stock[0].inline
    assert len(lexicon) == 2
    assert lexicon.families() == {
        "(have|has) the honour to (inform|transmit)": "honour",
        "international peace and security": "peace",
    }
    keys = tokenize(
        "I have the honour to inform you of threats to international peace and security"
    ).keys
    assert [h.template.family for h in lexicon.find(keys)] == ["honour"]
    (hit,) = lexicon.find_stock(keys)
    assert keys[hit.start : hit.end] == tokenize("international peace and security").keys
    merged = Lexicon().merged(lexicon)
    assert merged.templates == lexicon.templates
    assert merged.stock == lexicon.stock


def test_a_stock_phrase_never_displaces_a_formula_instance() -> None:
    """The congratulation of a General Debate statement runs into the session's stock phrase;
    the formula's instance is the one it was before stock phrases existed."""
    builtin = Lexicon.builtin()
    formulae_only = Lexicon(builtin.templates)
    keys = tokenize(
        "We congratulate you on your election as President of the General Assembly at its "
        "seventy-fourth session and thank the outgoing President."
    ).keys
    assert builtin.find(keys) == formulae_only.find(keys)
    assert builtin.find(keys)
    assert [h.template.family for h in builtin.find_stock(keys)] == ["un-session"]


def test_a_passage_that_is_a_stock_phrase_is_a_formula() -> None:
    a = (
        "Our fleet has grown since the spring floods. We see threats to international peace "
        "and security everywhere. The harvest was poor in the eastern valleys this year."
    )
    b = (
        "Teachers went on strike over unpaid wages. Nobody denies the threats to international "
        "peace and security today. Copper exports fell for the third quarter running."
    )
    pair = _pair(a, b)
    (match,) = _covering(pair, STOCK, a)
    assert match.kind is Kind.FORMULA, match.reason
    assert match.reason.startswith(STOCK_REASON)
    assert match.formula is not None
    assert "international peace and security" in match.formula
    assert pair.summary.distinctive_similarity == 0


def test_a_passage_around_a_stock_phrase_stays_phrasing_and_whole() -> None:
    a = f"Minutes of the spring meeting. {SENTENCE}. Copper exports fell again."
    b = f"The governor wrote to the council. {SENTENCE}. Teachers went on strike."
    pair = _pair(a, b)
    (match,) = _covering(pair, SENTENCE, a)
    assert match.kind is Kind.PHRASING, match.reason
    assert a[match.a.span.start : match.a.span.end] in SENTENCE
    assert match.words >= len(SENTENCE.split()) - 2


def test_two_documents_do_not_share_a_stock_phrase_they_use_apart() -> None:
    """Each speech says "international peace and security" in its own sentence: no formula
    passage pairs the two instances (a formula proper would be paired, worded alike or not)."""
    shared = "the patrol boats that guard the northern fisheries were repaired in the old dockyard"
    a = (
        f"Minutes of the meeting: {shared}. Our envoy spoke of international peace and "
        "security at the dinner."
    )
    b = (
        "The governor wrote about drought in the south and the price of grain. The treaty "
        f"serves international peace and security, he said. Also {shared}."
    )
    pair = _pair(a, b)
    assert not [m for m in pair.matches if m.kind is Kind.FORMULA]
    assert [m for m in pair.matches if m.kind is Kind.PHRASING]


def test_an_anchored_stock_phrase_has_the_kind_a_comparison_gives_it() -> None:
    rng = random.Random(5)

    def filler(n: int) -> str:
        return " ".join(f"w{rng.randrange(5000)}" for _ in range(n))

    docs = [
        _doc(
            f"d{n}",
            f"{filler(80)}. {('We face', 'They cited')[n]} {STOCK} {('now', 'again')[n]}. "
            f"{filler(80)}.",
        )
        if n < 2
        else _doc(f"d{n}", f"{filler(160)}.")
        for n in range(6)
    ]
    k = 4
    tokens = [doc_tokens(d.text) for d in docs]
    rows = candidate_pairs([unique_kgrams(t.hashes, k) for t in tokens], min_shared=2, max_df=3)
    pairs = [(int(i), int(j)) for i, j, _ in rows.tolist()]
    results = Anchored.build(tokens, pairs, k, 3).results(
        [d.id for d in docs], tokens, min_words=4, texts=dict(enumerate(d.text for d in docs)),
        lexicon=load_lexicon(Options()), jobs=1,
    )  # fmt: skip
    (anchored,) = (r for r in results if (r.a, r.b) == ("d0", "d1"))
    (full,) = compare(docs[0], docs[1]).pairs
    for pair in (anchored, full):
        (match,) = (
            m
            for m in pair.matches
            if "international" in docs[0].text[m.a.span.start : m.a.span.end]
        )
        assert match.kind is Kind.FORMULA, match.reason
        assert match.reason.startswith(STOCK_REASON)


def _stock(text: str) -> tuple[str, str] | None:
    from docdiff.engine.classify import stock_phrase
    from docdiff.text.tokens import tokenize as tok

    tokens = tok(text)
    return stock_phrase(tokens, text, 0, len(tokens.keys), Lexicon.builtin())


def test_a_stock_phrase_is_read_from_the_passage_alone() -> None:
    """Whether a passage is a stock phrase depends on its own words, never on what its
    document says after it: "assuming the presidency of the General Assembly" is part of the
    session's phrase in a speech that goes on "at its sixty-eighth session" and of nothing in
    one that does not; it is no stock phrase in either."""
    assert _stock("assuming the presidency of the General Assembly") is None
    assert _stock("the General Assembly at its sixty-eighth session") is not None
    assert _stock("President of the General Assembly at its sixty-eighth session") is not None
    found = _stock("for the maintenance of international peace and security")
    assert found is not None
    assert found[0] == "un-peace-security"
    assert _stock("the maintenance of international peace and security in the region") is None


def test_a_name_beside_a_stock_phrase_is_no_part_of_it() -> None:
    assert (
        _stock("John Ashe, President of the General Assembly at its sixty-eighth session") is None
    )
    assert (
        _stock("Maintenance of international peace and security") is not None
    )  # a sentence's start
    assert _stock("purposes and principles of the United Nations Charter") is not None


def test_a_project_ignores_a_stock_phrase_by_its_family(tmp_path: Path) -> None:
    """`ignore.formulae = ["un-peace-security"]` drops the stock phrase's passages, as it does
    a formula's: the families an ignore list reads hold the stock phrases too."""
    from docdiff.project import Project, filter_report

    a = "Our fleet grew. We see threats to international peace and security everywhere. Rain."
    b = "Teachers struck. Nobody denies the threats to international peace and security today."
    report = compare(_doc("a", a), _doc("b", b))
    assert [m.kind for p in report.pairs for m in p.matches] == [Kind.FORMULA]
    project = Project(path=tmp_path / ".docdiff.toml", ignored_formulae=("un-peace-security",))
    kept = filter_report(report, project, Lexicon.builtin().families())
    assert [m for p in kept.pairs for m in p.matches] == []


_FILLER_A = "Our fleet has grown since the spring floods. "
_FILLER_B = "Teachers went on strike over unpaid wages. "


def _said_alone(phrase: str) -> Match:
    """The match of `phrase` when two unrelated texts each say it in a sentence of their own."""
    a = f"{_FILLER_A}{phrase}, said the envoy. The harvest was poor in the eastern valleys."
    b = f"{_FILLER_B}{phrase}, we said. Copper exports fell for the third quarter running."
    (match,) = _covering(_pair(a, b), phrase, a)
    return match


def test_the_built_in_genre_phrases_of_an_opening_and_of_terrorism() -> None:
    """Read in the UN speeches of 2005 (an unseen year): "terrorism in all its forms and
    manifestations" (in over 100 speeches of 23 sessions) was phrasing; "I would also like to
    take this opportunity" was phrasing (the formula's template had no "also"), while the
    template's open end made the whole thanks that followed it a formula ("I would like to
    take this opportunity to express our profound thanks to State leaders, Governments and
    peoples ...", the DPRK's own recurring wording). Both are stock phrases now: the phrase
    alone is a formula, the passage around it phrasing and whole."""
    for phrase in (
        "We condemn terrorism in all its forms and manifestations",
        "I would also like to take this opportunity",
    ):
        match = _said_alone(phrase)
        assert match.kind is Kind.FORMULA, (phrase, match.reason)
        assert match.reason.startswith(STOCK_REASON)
    thanks = (
        "I would like to take this opportunity to express our profound thanks to the "
        "fishermen of the northern basin for their patience during the long winter"
    )
    a = f"{_FILLER_A}{thanks}. The harvest was poor in the eastern valleys."
    b = f"{_FILLER_B}{thanks}. Copper exports fell for the third quarter running."
    (match,) = _covering(_pair(a, b), thanks, a)
    assert match.kind is Kind.PHRASING, match.reason
    assert match.words >= len(thanks.split()) - 2


def test_the_built_in_phrases_of_the_charters_preamble() -> None:
    """Read in the UN speeches of 2005 and in the held-out clusters: "save succeeding
    generations from the scourge of war" made a phrasing cluster of 15 speeches beside the
    formula cluster of "maintenance of international peace and security", though both are the
    Charter's words that any speech may cite. Both are stock phrases now."""
    for phrase in (
        "we must save succeeding generations from the scourge of war",
        "We the peoples of the United Nations",
    ):
        match = _said_alone(phrase)
        assert match.kind is Kind.FORMULA, (phrase, match.reason)
        assert match.reason.startswith(STOCK_REASON)
        assert match.formula is not None


def test_the_built_in_phrases_of_the_charters_authority() -> None:
    """Read in the UN speeches of 2016: "in accordance with the Charter of the United Nations"
    and "the Charter of the United Nations and international law" were phrasing in 15 pairs,
    or quotations where one speech quoted a declaration that says them. They are stock phrases
    now, and so is the Charter's phrase inside quotation marks: two speeches share the phrase,
    not the declaration one of them quotes."""
    for phrase in (
        "We act in accordance with the Charter of the United Nations",
        "principles enshrined in the Charter of the United Nations",
        "respect for international law and the Charter of the United Nations",
    ):
        match = _said_alone(phrase)
        assert match.kind is Kind.FORMULA, (phrase, match.reason)
        assert match.reason.startswith(STOCK_REASON)
    phrase = "in accordance with the Charter of the United Nations"
    a = f"{_FILLER_A}The summit declared that “sanctions are imposed {phrase}” last year."
    b = f"{_FILLER_B}Our fleet sails {phrase}, we said. Copper exports fell again."
    (match,) = _covering(_pair(a, b), phrase, a)
    assert match.kind is Kind.FORMULA, match.reason
    assert match.reason.startswith(STOCK_REASON)
    assert "inside quotation marks in A" in match.reason
