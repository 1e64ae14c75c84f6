"""`decide_early`: the rules before the first that reads the text around a piece decide
without the facts found there, as `decide` does with them; `decide_reading` finds those facts
only as the rules reached need them."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, cast

from hypothesis import given
from hypothesis import strategies as st

from docdiff.engine.classify import (
    RULES,
    Facts,
    TextFacts,
    decide,
    decide_early,
    decide_reading,
    name_evidence,
)
from docdiff.text.tokens import tokenize

_NAME = st.tuples(st.booleans(), st.sampled_from(["", "3 of 3 content words capitalised"]))
_SIDE = st.sampled_from([None, "A", "B"])
_FAMILY = st.sampled_from([None, "compliments", "circulation"])


@st.composite
def _facts(draw: st.DrawFn) -> tuple[Facts, Facts]:
    """Two facts about one piece that differ only in what the text around it says."""
    words = draw(st.integers(0, 60))
    content = tuple(draw(st.lists(st.sampled_from(["peace", "tuna", "quota", "Sir"]), max_size=4)))
    one = draw(st.one_of(st.none(), st.tuples(st.sampled_from(["A", "B"]), st.text(max_size=8))))
    cheap = Facts(
        words=words,
        weight=draw(st.floats(0.0, 6.0)),
        content=content,
        rare=draw(st.integers(0, len(content))),
        lexicon_both=draw(_FAMILY),
        lexicon_one=one,
        corpus_common=draw(st.one_of(st.none(), st.floats(0.0, 1.0))),
        topic=draw(st.booleans()),
        corpus_words=draw(st.integers(0, 12)),
        few_senders=draw(st.sampled_from([(), ("DPRK",)])),
    )
    full = Facts(
        cheap.words,
        cheap.weight,
        cheap.content,
        cheap.rare,
        cheap.lexicon_both,
        cheap.lexicon_one,
        cheap.corpus_common,
        cheap.topic,
        name_a=draw(_NAME),
        name_b=draw(_NAME),
        quoted=draw(_SIDE),
        agenda=draw(_SIDE),
        corpus_words=cheap.corpus_words,
        few_senders=cheap.few_senders,
    )
    return cheap, full


@given(_facts())
def test_an_early_decision_is_the_decision_whatever_the_text_says(
    pair: tuple[Facts, Facts],
) -> None:
    cheap, full = pair
    early = decide_early(cheap)
    assert early == decide_early(full)
    if early is not None:
        assert early == decide(full)


def test_some_rules_read_the_text_and_the_last_does() -> None:
    """The table has rules on both sides of the line (else `decide_early` never decides, or
    decides everything), and the catch-all reads the text (its reason names the name test)."""
    assert not RULES[0].reads_text
    assert RULES[-1].reads_text


_READ_NAME = st.tuples(st.booleans(), st.sampled_from(["2 of 3 content words capitalised"]))


@given(_facts(), _READ_NAME, _READ_NAME)
def test_reading_the_text_only_as_the_rules_need_decides_as_decide(
    pair: tuple[Facts, Facts], name_a: tuple[bool, str], name_b: tuple[bool, str]
) -> None:
    """`decide_reading` finds a text fact only when a rule reached reads it, and decides as
    `decide` with every fact found (name reasons are never empty: `name_evidence`)."""
    cheap, full = pair
    full = full._replace(name_a=name_a, name_b=name_b)
    read: list[str] = []

    def finder(name: str) -> Callable[[], Any]:
        def find() -> Any:
            read.append(name)
            return getattr(full, name)

        return find

    names = ("name_a", "name_b", "quoted", "agenda")
    text = cast(TextFacts, SimpleNamespace(**{name: finder(name) for name in names}))
    assert decide_reading(cheap, text) == decide(full)
    assert len(read) == len(set(read))
    if decide_early(cheap) is not None:
        assert not read


@given(st.text(alphabet="Ab c.\n\"'-", max_size=40), st.integers(0, 12), st.integers(0, 12))
def test_a_name_finding_always_gives_a_reason(text: str, i: int, j: int) -> None:
    tokens = tokenize(text)
    i0, i1 = sorted((min(i, len(tokens)), min(j, len(tokens))))
    assert name_evidence(text, tokens, i0, i1)[1]
