"""A pair's result seen from the other side: what makes ``compare(b, a)`` the mirror of
``compare(a, b)``.

Alignment (joined passages, chains, a lexicon formula's two instances) and echo ranking break
their ties alike both ways (`docdiff.engine.align.aligned_ops`, `docdiff.engine.echoes`), but
other stages still read side A first: the shared words and reasons in A's word forms, the first
side that is quoted, paraphrase windows. So ``compare`` computes every pair in one canonical
orientation (`docdiff.engine.compare.first_side`) and mirrors the result when the user gave the
documents the other way round.
"""

from __future__ import annotations

import re

from docdiff.engine.align import MIRRORED_TAG
from docdiff.model import AlignOp, Match, PairResult, PairSummary

__all__ = ["mirror_match", "mirror_pair", "mirror_reason"]

_OTHER = {"A": "B", "B": "A"}
# The sides a reason names (`docdiff.engine.classify.RULES`): "quotation marks in A",
# "formula in B", "an agenda item in A, quoted in B".
_IN_SIDE = re.compile(r"(?<=\bin )[AB]\b")
# "name: <A's evidence> (A), <B's evidence> (B)" (or "name: <evidence> (both)", read alike).
_NAMES = re.compile(r"^name: (?P<a>.*?) \(A\), (?P<b>.*?) \(B\)")


def mirror_reason(reason: str) -> str:
    """`reason` with sides A and B exchanged (an involution)."""
    if "in A" not in reason and "in B" not in reason and "(A)" not in reason:
        return reason
    names = _NAMES.match(reason)
    if names is not None:
        rest = reason[names.end() :]
        return f"name: {names['b']} (A), {names['a']} (B){_IN_SIDE.sub(_other, rest)}"
    return _IN_SIDE.sub(_other, reason)


def _other(side: re.Match[str]) -> str:
    return _OTHER[side[0]]


def mirror_match(m: Match) -> Match:
    """The same match with its two sides exchanged (insertions become deletions; a
    paraphrase's ops, in reading order of side A, in that of the new side A)."""
    ops = [AlignOp(MIRRORED_TAG[op.tag], op.b, op.a) for op in m.ops]  # type: ignore[arg-type]
    starts = [op.a.start for op in ops]
    if starts != sorted(starts):
        ops.sort(key=_reading_order)
    reason = mirror_reason(m.reason)
    return Match(
        m.b,
        m.a,
        m.kind,
        m.score,
        m.words,
        tuple(ops),
        reason,
        m.shared,
        m.formula,
        m.distinctiveness,
    )


def _reading_order(op: AlignOp) -> tuple[int, int, int, int]:
    # As `docdiff.engine.reworded` orders a paraphrase's ops.
    return (op.a.start, -op.a.end, op.b.start, -op.b.end)


def mirror_pair(result: PairResult) -> PairResult:
    """The result of comparing the same two documents the other way round.

    Passages keep the order ``compare_prepared`` gives them (by start in A, then in B); echoes
    keep their ranking.
    """
    s = result.summary
    summary = PairSummary(s.coverage_b, s.coverage_a, s.similarity, s.distinctive_similarity)
    matches = sorted(
        (mirror_match(m) for m in result.matches), key=lambda m: (m.a.span.start, m.b.span.start)
    )
    echoes = tuple(mirror_match(m) for m in result.echoes)
    return PairResult(result.b, result.a, tuple(matches), summary, echoes)
