"""Pair scores: similarity, coverage and the evidence behind them."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from docdiff.engine.classify import AGENDA_REASON
from docdiff.engine.prepare import DocFreq, Prepared, token_range
from docdiff.model import Kind, Match, PairSummary
from docdiff.text.tokens import Tokens

__all__ = [
    "FULL_RUN",
    "WIDELY_REASON",
    "WIDELY_SHARED",
    "distinctive",
    "full_run",
    "run_weight",
    "summarise",
    "widely_shared",
]

FULL_RUN = 20
"""A verbatim run this many words long counts fully as evidence of reuse; a shorter one counts in
proportion (`run_weight`)."""


def full_run(na: int, nb: int) -> int:
    """The run length that counts fully between documents of `na` and `nb` words: `FULL_RUN`,
    or the shorter document's length when it is shorter."""
    return max(1, min(FULL_RUN, na, nb))


def run_weight(length: int, full: int) -> float:
    """The evidence each word of a verbatim run of `length` words carries (`full`: `full_run`)."""
    return min(1.0, length / full)


def distinctive(kind: Kind, reason: str) -> bool:
    """Whether a passage of this kind (and `--explain` reason) counts in the distinctive
    similarity: formulae, names, agenda titles and wording many documents of the corpus share
    (`WIDELY_REASON`) do not."""
    return (
        kind not in (Kind.FORMULA, Kind.NAME)
        and not reason.startswith(AGENDA_REASON)
        and not reason.endswith(WIDELY_REASON)
    )


WIDELY_SHARED = 0.75
"""In a corpus, a passage is wording many documents share when this share of its k-grams (all
but its rarest quarter) are each in more documents than a rare k-gram may be
(`widely_shared`)."""

WIDELY_REASON = "; wording many of the corpus's documents share, left out of distinctive similarity"
"""How the reason (``--explain``) of a passage `widely_shared` ends; `distinctive` reads it."""


def widely_shared(
    hashes: Sequence[int], i0: int, i1: int, k: int, doc_freq: DocFreq, rare: float
) -> bool:
    """Whether the passage on tokens ``[i0, i1)`` (of a document whose k-gram hashes are
    `hashes`) is wording many documents of the corpus share: `WIDELY_SHARED` of the k-grams
    starting in it (its first at least, as `docdiff.engine.classify` counts a passage's corpus
    share) are in more of its documents than a rare k-gram may be (`rare`, a share: that of a
    k-gram in as many documents as the candidate stage's default bound allows,
    `docdiff.corpus.scan.rare_share`). A year's session theme quoted
    by a fifth of its speeches, the name of a conference that year ("the twenty-first session
    of the Conference of the Parties to the United Nations Framework Convention on Climate
    Change"): a pair sharing it shares what dozens of documents share, nothing of its own. A
    passage two documents copied holds word sequences of its own, however common its words
    (UN speeches of 2021: the theme's rarest quarter of 3-grams in 34 speeches or more, a
    paragraph on the Law of the Sea copied by two in 2 or fewer; bound 5 of 194)."""
    window = hashes[i0 : max(i0 + 1, i1 - k + 1)]
    if not window:
        return False
    above = sum(1 for h in window if doc_freq(h) > rare)
    return above >= WIDELY_SHARED * len(window)


def summarise(
    a: Prepared, b: Prepared, matches: Sequence[Match], *, identical: bool = False
) -> PairSummary:
    """Coverage of each side, overall and distinctive similarity (formulae, names and what
    else `distinctive` leaves out).

    Coverage is the share of each document's words inside reused passages. Similarity weighs
    each reused word by the strength of the evidence: a word in a verbatim run counts fully
    once the run is `FULL_RUN` words long (or spans the shorter document), proportionally
    less in a shorter run; a word in a paraphrase counts `_PARAPHRASE_WEIGHT` times the
    paraphrase's score, less where the paraphrase shares under a third of its side's words
    (`_shared_density`). It is the larger of the two sides' weighed shares (the overlap
    coefficient, not a share of both documents together): a letter quoted whole in a long
    report is wholly reused, however long the report. A document compared with itself
    scores 100.
    """
    na, nb = len(a.tokens), len(b.tokens)
    if na == 0 or nb == 0:
        return PairSummary(0.0, 0.0, 0.0, 0.0)
    full = full_run(na, nb)
    wa, ca = _evidence(a.tokens, matches, "a", full)
    wb, cb = _evidence(b.tokens, matches, "b", full)
    similarity = round(100.0 * max(wa / na, wb / nb), 1)
    if identical:
        similarity, ca, cb = 100.0, na, nb
    kept = [m for m in matches if distinctive(m.kind, m.reason)]
    if len(kept) == len(matches):  # every passage is distinctive: the same sums
        da, db = wa, wb
    else:
        da, _ = _evidence(a.tokens, kept, "a", full)
        db, _ = _evidence(b.tokens, kept, "b", full)
    return PairSummary(
        coverage_a=round(100.0 * ca / na, 1),
        coverage_b=round(100.0 * cb / nb, 1),
        similarity=similarity,
        # (Two identical documents share all their wording, formulae and names included.)
        distinctive_similarity=100.0 if identical else round(100.0 * max(da / na, db / nb), 1),
    )


_PARAPHRASE_WEIGHT = 0.3

_DENSE_PARAPHRASE = 1 / 3
"""A paraphrase sharing this share of its side's words or more gives each of them its whole
weight (`_PARAPHRASE_WEIGHT` times its score); one that shares less, proportionally less."""


def _shared_density(words: int, span: int) -> float:
    """How much of its weight each word of a paraphrase's side gets: its shared words over the
    side's words, against `_DENSE_PARAPHRASE`. A reworded sentence shares a third to a half of
    its words; two speeches' stretches of 500 words on one subject in one order, a fifth, and
    counting each of their words as a reworded sentence's made them the top pair of their
    year (UN 2005 BHR/KWT, 2019 MNE/SWE, 2022 BHR/SAU)."""
    if span <= 0:
        return 1.0
    return min(1.0, words / (_DENSE_PARAPHRASE * span))


def _evidence(tokens: Tokens, matches: Sequence[Match], side: str, full: int) -> tuple[float, int]:
    """Summed per-word evidence of reuse on one side, and the number of words covered.

    Each word's evidence is the largest a match gives it (set slice by slice on an array);
    the sum adds the words' values in text order from 0, as a loop over the words would
    (a word with none adds 0.0, which changes no sum: it is left out).
    """
    best = np.zeros(len(tokens), dtype=np.float64)
    covered = np.zeros(len(tokens), dtype=bool)
    for m in matches:
        passage = m.a if side == "a" else m.b
        i0, i1 = token_range(tokens, passage.span)
        covered[i0:i1] = True
        if m.kind is Kind.PARAPHRASE:
            value = _PARAPHRASE_WEIGHT * m.score / 100.0 * _shared_density(m.words, i1 - i0)
            np.maximum(best[i0:i1], value, out=best[i0:i1])
            continue
        for op in m.ops:
            if op.tag != "equal":
                continue
            j0, j1 = token_range(tokens, op.a if side == "a" else op.b)
            if j1 > j0:
                np.maximum(best[j0:j1], run_weight(j1 - j0, full), out=best[j0:j1])
    total: float = sum(best[best > 0.0].tolist(), 0.0)
    return total, int(np.count_nonzero(covered))
