"""Speeches on one topic are not paraphrases of each other: the short phrases both texts use
inside a reworded section count once."""

from __future__ import annotations

from docdiff.engine import reworded
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


def _section(score: float, *, run: bool = False) -> list[Match]:
    """Six sentences on each side; sentences 1-3 a reworded section scoring `score` (12 shared
    stems) with two echoes (two-word phrases both texts use) inside it, and, with `run`, a
    verbatim passage of eight words in the next sentence."""
    sa = [_sentence("a", n) for n in range(6)]
    sb = [_sentence("b", n) for n in range(6)]
    if run:
        sb[4] = sa[4]
    a, b = _text([sa]), _text([sb])
    section_a = a[a.index(sa[1]) : a.index(sa[3]) + len(sa[3])]
    section_b = b[b.index(sb[1]) : b.index(sb[3]) + len(sb[3])]
    echo_a, echo_b = " ".join(sa[2].split()[:2]), " ".join(sb[2].split()[:2])
    matches = [
        _match(Kind.PARAPHRASE, a, b, section_a, section_b, score, 12),
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
