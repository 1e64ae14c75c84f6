"""The compare pipeline: tokenize, seed, align, paraphrase, classify, score.

``compare(a, b)`` is the pure core every outer layer calls. ``prepare`` and
``compare_prepared`` let corpus scans tokenize each document once and compare it with many.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import numpy.typing as npt

from docdiff.engine.classify import (
    banal_rewordings,
    classify_pieces,
    forms_apart,
    stock_phrases,
)
from docdiff.engine.collector import collector_paused
from docdiff.engine.echoes import (
    distinct_names,
    rank_echoes,
    ranked_echoes,
    rare_pair_echoes,
    reworded_echoes,
    split_passages,
    unspaced,
)
from docdiff.engine.lexicon import Lexicon
from docdiff.engine.mirror import mirror_pair
from docdiff.engine.pieces import align_pieces
from docdiff.engine.prepare import (
    CorpusTopic,
    DocFreq,
    Prepared,
    load_lexicon,
    prepare,
    token_range,
)
from docdiff.engine.reworded import (
    find_reworded,
    join_sections,
    not_used_elsewhere,
    without_double_use,
)
from docdiff.engine.score import WIDELY_REASON, distinctive, summarise, widely_shared
from docdiff.model import Document, Kind, Match, PairResult, Report
from docdiff.options import Options

__all__ = ["compare", "compare_prepared", "first_side"]


def compare(
    a: Document, b: Document, options: Options | None = None, *, lexicon: Lexicon | None = None
) -> Report:
    """Every reused passage between two documents, classified and scored (with the cyclic
    garbage collector paused: `docdiff.engine.collector`).

    ``compare(b, a)`` is the mirror of ``compare(a, b)``: the pair is computed in one
    orientation (`first_side`) whichever way it is given.
    """
    options = options or Options()
    lexicon = lexicon if lexicon is not None else load_lexicon(options)
    with collector_paused():
        pa = prepare(a, options.seed_words)
        pb = prepare(b, options.seed_words)
        if first_side(pa, pb):
            result = compare_prepared(pa, pb, options, lexicon=lexicon)
        else:
            result = mirror_pair(compare_prepared(pb, pa, options, lexicon=lexicon))
    documents = (replace(a, words=len(pa.tokens)), replace(b, words=len(pb.tokens)))
    return Report("compare", documents, (result,), settings=options.to_json())


def compare_prepared(
    a: Prepared,
    b: Prepared,
    options: Options,
    *,
    lexicon: Lexicon | None = None,
    doc_freq: DocFreq | None = None,
    seed_mask: npt.NDArray[np.bool_] | None = None,
    whole: tuple[Prepared, Prepared] | None = None,
    echoes_alone: bool = True,
    few_senders: tuple[str, ...] = (),
    topic: CorpusTopic | None = None,
    rare: float | None = None,
) -> PairResult:
    """Compare two prepared documents; `doc_freq` gives corpus rarity when there is a corpus,
    of k-grams, and `topic` of words (`docdiff.engine.reworded.find_reworded`). `rare` is the
    corpus share above which a k-gram is no longer rare (`docdiff.corpus.scan.rare_share`):
    with `doc_freq`, the passages many documents share (`widely_shared`) are left out of the
    distinctive similarity, unless the corpus names `few_senders` (what most of its documents
    repeat is then their own rhetoric, which the distinctive similarity keeps, as it keeps
    their recurring wording as phrasing).

    `seed_mask` is ``a.seedable(doc_freq)`` when the caller keeps it across pairs (a scan).
    `whole` gives the full documents when `a` and `b` are slices of them
    (`docdiff.engine.windows`): the summary is then over the full documents.
    Without `echoes_alone`, a pair with no passage to show gets no echoes either (they are
    not looked for: a caller that drops such pairs, a query, needs none). `few_senders` names
    the senders of the corpus of `doc_freq` when they are fewer than a genre has
    (`docdiff.corpus.metadata.few_senders`): what it repeats is then their own wording, not a
    formula.
    """
    lexicon = lexicon if lexicon is not None else load_lexicon(options)
    identical = _same(a, b)
    hits_a = a.formula_hits(lexicon)
    hits_b = b.formula_hits(lexicon)
    pieces = align_pieces(a, b, options, doc_freq, hits_a, hits_b, seed_mask)
    matches = classify_pieces(
        a, b, pieces, hits_a, hits_b, options, doc_freq, few_senders=few_senders
    )
    # Rewording is told by the words two texts share in another order or wording; a text
    # written without spaces is read a character a token, and characters shared in another
    # order are parts of words (no segmenter here): its reuse is found verbatim or edited.
    reword = options.paraphrase and not identical and not (unspaced(a) or unspaced(b))
    if reword:
        reworded = find_reworded(a, b, matches, lexicon, options, topic)
        matches.extend(banal_rewordings(reworded, a, doc_freq, few_senders))
    instances = ([(h.start, h.end) for h in hits_a], [(h.start, h.end) for h in hits_b])
    matches = join_sections(matches, a, b, options, instances)
    matches = [m for m in matches if m.words >= options.min_words and m.score >= options.min_score]
    matches = without_double_use(matches)
    matches.sort(key=lambda m: (m.a.span.start, m.b.span.start))
    passages, short = split_passages(matches, a, b, options)
    # A passage that is a stock phrase is the genre's formula (its echoes stay echoes).
    passages = stock_phrases(passages, a, b, lexicon)
    # Echoes are not passages: isolated short phrases (mostly the documents' shared topic
    # terms) do not count towards the pair's similarity or coverage.
    wa, wb = whole if whole is not None else (a, b)
    if doc_freq is not None and rare is not None and not few_senders:
        passages = _widely_marked(passages, wa, doc_freq, rare)
    summary = summarise(wa, wb, passages, identical=identical if whole is None else _same(wa, wb))
    shown = tuple(
        m if m.kind is Kind.PARAPHRASE else forms_apart(m, a, b)
        for m in distinct_names(passages, a)
        if m.kind in options.kinds
    )
    if not shown and not echoes_alone:
        return PairResult(a.doc.id, b.doc.id, shown, summary, ())
    echoes = ranked_echoes(short, a, b)
    if reword:
        echoes = rank_echoes([*echoes, *reworded_echoes(a, b, matches, options)])
    if not identical:
        rare_pairs = rare_pair_echoes(a, b, [*matches, *echoes], (hits_a, hits_b))
        echoes = rank_echoes([*echoes, *rare_pairs])
    # An echo that a passage holds on one side, matched with another place on the other
    # ("World Wide Web" in a copied paragraph, matched again with the source's later mention),
    # would show that text reused twice.
    echoes = not_used_elsewhere(echoes, passages)
    heard = tuple(m for m in distinct_names(echoes, a, tuple(Kind)) if m.kind in options.kinds)
    return PairResult(a.doc.id, b.doc.id, shown, summary, heard)


def _widely_marked(
    passages: list[Match], a: Prepared, doc_freq: DocFreq, rare: float
) -> list[Match]:
    """`passages`, those that would count in the distinctive similarity and are wording many
    documents of the corpus share (`widely_shared`, read on side A, the document `a`) with
    their reason saying so (`WIDELY_REASON`: `distinctive` then leaves them out)."""

    def shared(m: Match) -> bool:
        i0, i1 = token_range(a.tokens, m.a.span)
        return distinctive(m.kind, m.reason) and widely_shared(
            a.hashes, i0, i1, a.k, doc_freq, rare
        )

    return [replace(m, reason=m.reason + WIDELY_REASON) if shared(m) else m for m in passages]


def first_side(a: Prepared, b: Prepared) -> bool:
    """Whether `a` is side A of the pair's canonical orientation: the longer document (in
    words, then characters), then the greater text, then the greater id. The test reads
    both documents alike, so exactly one of ``first_side(a, b)`` and ``first_side(b, a)``
    holds unless the two are the same document."""
    ka = (len(a.tokens), len(a.doc.text))
    kb = (len(b.tokens), len(b.doc.text))
    if ka != kb:
        return ka > kb
    return (a.doc.text, a.doc.id) >= (b.doc.text, b.doc.id)


def _same(a: Prepared, b: Prepared) -> bool:
    """Whether two prepared documents hold the same words (an identical pair)."""
    return a.tokens.keys == b.tokens.keys and len(a.tokens) > 0
