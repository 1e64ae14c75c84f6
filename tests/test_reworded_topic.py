"""Speeches on one topic are not paraphrases of each other: a loose reworded section (a third of
its stems shared, no verbatim run) is not reported, and the short phrases both texts use
inside a reworded section count once."""

from __future__ import annotations

from docdiff.engine import reworded
from docdiff.engine.paraphrase import ParaphraseHit
from docdiff.engine.prepare import prepare
from docdiff.loaders import load_text
from docdiff.model import Kind, Match, Passage, Span
from docdiff.options import Options
from tests.test_reworded_sections import _sentence, _text


def _match(kind: Kind, a: str, b: str, ta: str, tb: str, score: float, words: int) -> Match:
    """A match of `kind` between the text `ta` of `a` and `tb` of `b`."""
    sa, sb = a.index(ta), b.index(tb)
    return Match(
        a=Passage("a", Span(sa, sa + len(ta))),
        b=Passage("b", Span(sb, sb + len(tb))),
        kind=kind,
        score=score,
        words=words,
    )


def _section(score: float, *, run: bool = False, shared: int = 12) -> list[Match]:
    """Six sentences on each side; sentences 1-3 a reworded section scoring `score` (`shared`
    stems shared, of the 24 content stems each side's section holds) with two echoes (two-word
    phrases both texts use) inside it, and, with `run`, a verbatim passage of eight words in the
    next sentence."""
    sa = [_sentence("a", n) for n in range(6)]
    sb = [_sentence("b", n) for n in range(6)]
    if run:
        sb[4] = sa[4]
    a, b = _text([sa]), _text([sb])
    section_a = a[a.index(sa[1]) : a.index(sa[3]) + len(sa[3])]
    section_b = b[b.index(sb[1]) : b.index(sb[3]) + len(sb[3])]
    echo_a, echo_b = " ".join(sa[2].split()[:2]), " ".join(sb[2].split()[:2])
    matches = [
        _match(Kind.PARAPHRASE, a, b, section_a, section_b, score, shared),
        _match(Kind.PHRASING, a, b, echo_a, echo_b, 100.0, 2),
        _match(
            Kind.PHRASING,
            a,
            b,
            " ".join(sa[3].split()[-3:]),
            " ".join(sb[3].split()[-3:]),
            100.0,
            2,
        ),
    ]
    if run:
        matches.append(_match(Kind.PHRASING, a, b, sa[4], sb[4], 100.0, 8))
    prepared_a = prepare(load_text(a, doc_id="a"))
    prepared_b = prepare(load_text(b, doc_id="b"))
    return reworded.join_sections(matches, prepared_a, prepared_b, Options())


def test_echoes_inside_a_reworded_section_count_once() -> None:
    """The words of an echo inside a reworded section are among the section's shared stems:
    counted again, at 100, they lifted BGR/DNK 2013's Syria section from 30.5 to 48.6 and
    from 34 shared words to 46."""
    (joined,) = _section(60.0)
    assert joined.kind is Kind.PARAPHRASE
    assert joined.words == 12
    assert joined.score == 60.0
    assert "0 of its 12 shared words in verbatim runs" in joined.reason


def test_a_loose_reworded_section_without_a_verbatim_run_is_not_reported() -> None:
    """Two speeches on Syria's chemical weapons share a third of their stems, sentence after
    sentence, and no run: a section under the paraphrase threshold is not reported (its echoes
    stay echoes); with a verbatim passage beside it, the group reaches the threshold."""
    alone = _section(32.0)
    assert [m.kind for m in alone] == [Kind.PHRASING, Kind.PHRASING]
    assert sorted(m.words for m in alone) == [2, 2]
    (group,) = _section(32.0, run=True)
    assert group.kind is Kind.PARAPHRASE
    assert group.words == 20
    assert group.score == round((32.0 * 12 + 100.0 * 8) / 20, 1)


def test_a_reworded_passage_sharing_few_of_its_content_stems_is_not_reported() -> None:
    """Two speeches on one subject share a handful of its words across sentences (education,
    access, preschool, secondary): a reworded passage keeps at least a third of the distinct
    content stems of its shorter side (`_PARAPHRASE_DENSITY`), whatever its score. Its echoes
    stay echoes."""
    assert reworded._PARAPHRASE_DENSITY * 24 == 8
    (kept,) = _section(90.0, shared=8)
    assert kept.kind is Kind.PARAPHRASE
    assert kept.words == 8
    sparse = _section(90.0, shared=7)
    assert [m.kind for m in sparse] == [Kind.PHRASING, Kind.PHRASING]
    assert sorted(m.words for m in sparse) == [2, 2]


def test_a_section_is_supported_only_by_a_verbatim_passage_near_it_on_both_sides() -> None:
    hit = ParaphraseHit(100, 200, 1000, 1100, 32.0, ("x",) * 12, (), links=4)
    reach = reworded._SUPPORT_REACH
    assert reworded._supported(hit, [((150, 160), (1050, 1060))])
    assert reworded._supported(hit, [((200 + reach - 10, 200 + reach), (1090, 1100))])
    # Beside it in one document only: a passage elsewhere in the other.
    assert not reworded._supported(hit, [((205, 215), (3000, 3010))])
    assert not reworded._supported(hit, [])


def test_a_name_at_the_start_of_a_wrapped_line_is_a_name() -> None:
    """In a hard-wrapped speech a line may break inside a sentence before a name ("the events
    in Kenya,\\nPakistan and Iraq"): the name does not open a sentence there, so two speeches
    listing the same countries share referents, not wording (EU/MDG 2013 scored 100)."""
    p = prepare(
        load_text("We mourn the events in Kenya,\nPakistan and Iraq.\n\nPeace came.", doc_id="a")
    )
    forms = p.tokens.forms
    assert reworded._capitalised_at(p, forms.index("pakistan"))
    assert reworded._capitalised_at(p, forms.index("kenya"))
    # After a sentence's end, or a blank line, a capitalised word opens a sentence.
    assert not reworded._capitalised_at(p, forms.index("peace"))
    q = prepare(load_text("It ended.\nPakistan spoke.", doc_id="b"))
    assert not reworded._capitalised_at(q, q.tokens.forms.index("pakistan"))
