"""How passages are shown: levels, echoes, the cap per family, hovers, lens and hint placement."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docdiff.model import Document, Kind, Match, PairResult, PairSummary, Report, Span
from docdiff.model import Passage as Side
from docdiff_lsp import analysis
from docdiff_lsp.analysis import Counts, Ignores, Policy, counts_of, group_passages
from docdiff_lsp.convert import code_lens_title, diagnostic_message, hint_offset, hover_text

TEMPLATE = "[(i|we)] (have|has) the [further] honour to (inform|refer) {…}"
TEXT = (
    "We have the honour to refer to the note. Human rights issues matter. "
    "Human rights issues again. Human rights issues once more. "
    "The people have chosen their own path of development freely."
)


def _span(text: str, needle: str) -> Span:
    start = text.index(needle)
    return Span(start, start + len(needle))


def _sources() -> tuple[Document, ...]:
    return tuple(
        Document(f"s{i}", f"/c/s{i}.txt", "txt", TEXT.replace("We have", "I have"))
        for i in range(3)
    )


def _match(
    needle: str, kind: Kind, source: str, *, words: int, formula: str | None = None
) -> Match:
    span = _span(TEXT, needle)
    b = _span(TEXT.replace("We have", "I have"), needle.replace("We have", "I have"))
    return Match(Side("me", span), Side(source, b), kind, 100.0, words, formula=formula)


def _echoes(source: str) -> tuple[Match, ...]:
    """The engine's echoes of one pair: 'Human rights issues', three times."""
    out = []
    start = 0
    for _ in range(3):
        start = TEXT.index("Human rights issues", start)
        span = Span(start, start + len("Human rights issues"))
        out.append(Match(Side("me", span), Side(source, span), Kind.PHRASING, 100.0, 3))
        start = span.end
    return tuple(out)


def _report(
    similarities: tuple[float, ...] = (30.0, 20.0, 10.0), *, echoes: bool = False
) -> tuple[Document, Report]:
    """Three sources sharing a formula and a phrasing passage (s0 also the echoes)."""
    me = Document("me", "/w/me.txt", "txt", TEXT)
    pairs = []
    for i, sim in enumerate(similarities):
        sid = f"s{i}"
        matches = (
            _match("We have the honour to refer to", Kind.FORMULA, sid, words=6, formula=TEMPLATE),
            _match("chosen their own path of development", Kind.PHRASING, sid, words=6),
        )
        heard = _echoes(sid) if echoes and i == 0 else ()
        pairs.append(PairResult("me", sid, matches, PairSummary(sim, sim, sim, sim), heard))
    return me, Report("query", (me, *_sources()), tuple(pairs))


def test_engine_echoes_render_as_hints_and_are_capped() -> None:
    me, report = _report(echoes=True)
    assert analysis.pair_echoes(report.pairs[0]) == report.pairs[0].echoes
    policy = Policy(max_per_family=2, families={TEMPLATE: "honour"})
    passages, _ = group_passages(me, report, Ignores(), frozenset(Kind), policy)
    echoes = [p for p in passages if p.kind == "echo"]
    assert [p.level for p in echoes] == ["hint", "hint"], "three hits, capped at two"
    assert echoes[-1].more == 1
    assert "1 more like it in this document" in diagnostic_message(echoes[-1], "x")
    formula = next(p for p in passages if p.kind == "formula")
    assert formula.level == "hint"
    assert formula.family == "honour"
    phrasing = next(p for p in passages if p.kind == "phrasing")
    assert phrasing.level == "information"
    counts = counts_of(passages, [(report.pairs[0], report.documents[1])])
    assert (counts.reused, counts.echoes, counts.formulae) == (1, 2, 1)
    assert counts.headline() == (
        "1 reused passage, 2 echoes, 1 formula/name · most similar: s0, 30 %"
    )
    # An echo's kind can be turned off, or made louder, like any kind.
    off = Policy(severity={"echo": "off"})
    assert not [
        p
        for p in group_passages(me, report, Ignores(), frozenset(Kind), off)[0]
        if p.kind == "echo"
    ]


def test_a_short_shared_name_among_the_echoes_is_shown_as_a_name() -> None:
    me, report = _report()
    span = _span(TEXT, "Human rights issues")
    name = Match(Side("me", span), Side("s0", span), Kind.NAME, 100.0, 3)
    pairs = list(report.pairs)
    pairs[0] = PairResult("me", "s0", pairs[0].matches, pairs[0].summary, (name,))
    passages, _ = group_passages(
        me, Report("query", report.documents, tuple(pairs)), Ignores(), frozenset(Kind), Policy()
    )
    shown = next(p for p in passages if p.span == span)
    assert (shown.kind, shown.level) == ("name", "hint")


def test_echoes_yield_to_a_passage_over_the_same_words() -> None:
    """An echo inside a passage found in another source does not hide the passage."""
    me, report = _report(echoes=True)
    wide = _match("Human rights issues matter", Kind.PHRASING, "s1", words=4)
    pairs = list(report.pairs)
    pairs[1] = PairResult("me", "s1", (*pairs[1].matches, wide), pairs[1].summary)
    passages, _ = group_passages(
        me, Report("query", report.documents, tuple(pairs)), Ignores(), frozenset(Kind), Policy()
    )
    at = next(p for p in passages if p.span.start == TEXT.index("Human rights issues"))
    assert (at.kind, at.level, at.best.source.id) == ("phrasing", "information", "s1")


def test_hints_of_other_kinds_are_counted_as_such() -> None:
    me, report = _report()
    policy = Policy(severity={"phrasing": "hint"})
    passages, _ = group_passages(me, report, Ignores(), frozenset(Kind), policy)
    counts = counts_of(passages, [])
    assert (counts.reused, counts.formulae, counts.other_hints) == (0, 1, 1)
    assert counts.headline() == "0 reused passages, 1 formula/name, 1 other hint"


def test_levels_are_configurable_per_kind_and_off_hides() -> None:
    me, report = _report()
    policy = Policy(severity={"phrasing": "warning", "formula": "off"})
    passages, _ = group_passages(me, report, Ignores(), frozenset(Kind), policy)
    assert [(p.kind, p.level) for p in passages] == [("phrasing", "warning")]
    project = Ignores(severity={"phrasing": "hint"})
    passages, _ = group_passages(me, report, project, frozenset(Kind), policy)
    assert [(p.kind, p.level) for p in passages] == [("phrasing", "hint")]


def test_echo_words_makes_short_passages_echoes_and_nothing_is_an_error_by_default() -> None:
    me, report = _report()
    short = PairResult(
        "me",
        "s0",
        (_match("Human rights issues", Kind.PHRASING, "s0", words=3),),
        PairSummary(5, 5, 5, 5),
    )
    report = Report("query", report.documents, (short,))
    # By default the engine decides what an echo is (phrases shorter than passageWords).
    passages, _ = group_passages(me, report, Ignores(), frozenset(Kind), Policy())
    assert [(p.kind, p.level) for p in passages] == [("phrasing", "information")]
    # echoWords makes passages under that many words echoes too.
    passages, _ = group_passages(me, report, Ignores(), frozenset(Kind), Policy(echo_words=4))
    assert [(p.kind, p.level) for p in passages] == [("echo", "hint")]
    defaults = Policy()
    assert {defaults.level(k) for k in (*(k.value for k in Kind), "echo")} <= {
        "information",
        "hint",
    }


def test_formula_names_the_most_similar_letter_and_its_family() -> None:
    me, report = _report(similarities=(5.0, 40.0, 10.0))
    policy = Policy(families={TEMPLATE: "honour"})
    passages, _ = group_passages(me, report, Ignores(), frozenset(Kind), policy)
    formula = next(p for p in passages if p.kind == "formula")
    assert formula.best.source.id == "s1", "ties on score go to the most similar document"
    for markdown in (True, False):
        text = hover_text(formula, me, markdown=markdown)
        assert "honour" in text
        assert "(have|has)" not in text
        assert "{…}" not in text


def test_a_formula_holding_a_name_is_shown_as_the_formula() -> None:
    """The widest use gives the kind: a closing formula found in a far letter, containing a
    name the most similar letter shares, is the formula (named after that far letter)."""
    me, report = _report(similarities=(40.0, 5.0, 1.0))
    name = _match("honour to refer", Kind.NAME, "s0", words=3)
    pairs = list(report.pairs)
    pairs[0] = PairResult("me", "s0", (name,), pairs[0].summary)
    passages, _ = group_passages(
        me,
        Report("query", report.documents, tuple(pairs)),
        Ignores(),
        frozenset(Kind),
        Policy(families={TEMPLATE: "honour"}),
    )
    first = passages[0]
    assert (first.kind, first.family, first.best.source.id) == ("formula", "honour", "s1")
    assert "s0" in {u.source.id for u in first.uses}, "the name stays one of its uses"


def test_a_paraphrase_holding_a_name_stays_the_paraphrase() -> None:
    """A name the most similar letter shares, inside a wider reworded passage, does not turn
    the passage into a hint."""
    me, report = _report()
    wide = _match(
        "The people have chosen their own path of development", Kind.PARAPHRASE, "s1", words=5
    )
    name = _match("their own path", Kind.NAME, "s0", words=3)
    pairs = [
        PairResult("me", "s0", (name,), report.pairs[0].summary),
        PairResult("me", "s1", (wide,), report.pairs[1].summary),
    ]
    passages, _ = group_passages(
        me, Report("query", report.documents, tuple(pairs)), Ignores(), frozenset(Kind), Policy()
    )
    assert [(p.kind, p.level, p.best.source.id) for p in passages] == [
        ("paraphrase", "information", "s1")
    ]


def test_identical_sources_are_grouped_in_the_hover() -> None:
    me, report = _report()
    passages, _ = group_passages(me, report, Ignores(), frozenset(Kind), Policy())
    phrasing = next(p for p in passages if p.kind == "phrasing")
    text = hover_text(phrasing, me)
    assert "3 identical copies: `s0.txt`, `s1.txt`, `s2.txt`" in text
    assert text.count("same words") == 1


def test_nothing_is_similar_at_zero_percent() -> None:
    me, report = _report(similarities=(0.4, 0.2, 0.1))
    passages, sources = group_passages(me, report, Ignores(), frozenset(Kind), Policy())
    result = analysis.Analysis("u", 1, TEXT, me, report, passages, sources)
    assert result.similar == ()
    assert result.similarity is None
    assert "most similar" not in result.counts.headline()


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.integers(0, 999),
    st.integers(0, 999),
    st.integers(0, 999),
    st.text(alphabet="abcdefghij_-. 0123456789", min_size=1, max_size=120),
    st.integers(1, 100),
    st.integers(0, 99),
)
def test_the_lens_fits_in_80_columns(
    reused: int, echoes: int, hints: int, name: str, similarity: int, others: int
) -> None:
    counts = Counts(reused, echoes, hints, name, similarity, others)
    title = code_lens_title(counts)
    assert len(title) <= 80
    assert re.findall(r"\d+", title)[:3] == re.findall(r"\d+", counts.headline())[:3]


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet="ab (). ;\n", max_size=60), st.data())
def test_inlay_hints_go_after_the_sentence_and_never_inside_brackets(
    text: str, data: st.DataObject
) -> None:
    end = data.draw(st.integers(0, len(text)))
    at = hint_offset(text, end)
    assert end <= at <= len(text)
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    assert at <= line_end, "on the passage's line"
    before = text[line_start:at]
    depth = 0
    for ch in before:
        depth = depth + 1 if ch == "(" else max(0, depth - 1) if ch == ")" else depth
    assert depth == 0 or at == line_end, (text, end, at)


def test_inlay_hint_examples() -> None:
    text = "has the honour to refer to (DPRK) the joint statement. Next one.\n"
    assert text[: hint_offset(text, text.index("DPRK") + 4)].endswith("statement.")
    para = "see paragraph 4(b) of the resolution; and more"
    assert para[: hint_offset(para, para.index("(b") + 2)].endswith("resolution;")


def test_the_hover_names_the_kind_once() -> None:
    """The title says what the passage is; a source's line repeats the kind only when that
    source shares the words another way."""
    me, report = _report()
    wide = _match(
        "The people have chosen their own path of development", Kind.PARAPHRASE, "s1", words=5
    )
    name = _match("The people have chosen their own path", Kind.NAME, "s0", words=3)
    pairs = [
        PairResult("me", "s0", (name,), report.pairs[0].summary),
        PairResult("me", "s1", (wide,), report.pairs[1].summary),
    ]
    passages, _ = group_passages(
        me, Report("query", report.documents, tuple(pairs)), Ignores(), frozenset(Kind), Policy()
    )
    for markdown in (True, False):
        text = hover_text(passages[0], me, markdown=markdown)
        assert text.count("paraphrase") == 1, text
        assert "reworded" in text
        assert "— name, " in text, text
