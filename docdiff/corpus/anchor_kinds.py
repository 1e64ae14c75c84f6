"""The kind of every anchored passage, by the full comparison's own rules.

An anchored passage (`docdiff.corpus.anchor_align`) is where two documents share rare wording,
found without comparing them in full. What it is (a formula of the lexicon, a name or title, a
quotation, the title of an agenda item, or phrasing) is decided here from the same facts and by
the same table of rules as in a full comparison (`docdiff.engine.classify.decide`):

* the lexicon's instances covering the passage on each side (`covered_by`);
* whether it reads as a name or title on both sides (`name_evidence`);
* whether it stands inside quotation marks on either side (`inside_quotes`);
* whether it is the title of a UN agenda item on either side (`agenda_title`);
* the rarity weight of its shared words (a passage of common words only is not reported).

* the share of its seed k-grams frequent in the corpus (a chain of rare 8-grams may still be
  made of 3-grams that every speech uses: "election as President of the General Assembly at
  its seventy-eighth session"), and whether it is a topic phrase rather than boilerplate.

Each document is read once for this, in document order: from its derived blob when the index
keeps one made by this code (`docdiff.corpus.derived`: its words, weights, ids and formula
instances, as a query reads its sources), else tokenized from its text and the token offsets the
index keeps. One document's tokens are held at a time, and with `jobs` > 1 the documents are
shared among forked processes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import numpy.typing as npt

from docdiff.engine.classify import (
    AGENDA_REASON,
    BANAL_SHARE,
    MAX_NAME_WORDS,
    OWN_WORDING_REASON,
    Decision,
    Facts,
    agenda_title,
    decide,
    inside_quotes,
    stock_of,
    stock_phrase,
    stock_reason,
)
from docdiff.engine.score import WIDELY_REASON, distinctive
from docdiff.model import Kind

if TYPE_CHECKING:
    from docdiff.corpus.anchor_align import AnchorPassages
    from docdiff.engine.lexicon import Lexicon
    from docdiff.engine.prepare import Prepared
    from docdiff.index.arrays import DocTokens

__all__ = ["ANCHORED", "PassageKind", "passage_kinds"]

I64 = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class PassageKind:
    """The kind of one anchored passage, the reason shown by ``--explain`` and, for a formula,
    the lexicon template it instantiates."""

    kind: Kind
    reason: str
    formula: str | None = None


@dataclass(frozen=True, slots=True)
class _Side:
    """What one side of a passage tells the rules."""

    inside: int
    """Tokens of the passage inside lexicon instances when they are half of it or more (the
    lexicon "mostly" covers this side), else 0."""
    family: str | None
    """The family of the main lexicon instance (None: none)."""
    template: str | None
    """Its template."""
    name: tuple[bool, str]
    quoted: bool
    agenda: bool
    weight: float
    """Rarity weight of the side's shared words (its runs)."""
    common: float | None
    """Share of its seed k-grams frequent in the corpus (None: no corpus)."""
    frequent: int
    """Its words in those frequent k-grams (counted when `common` reaches `BANAL_SHARE`)."""
    topic: bool
    apparatus: bool
    """The side lies in its document's editorial apparatus (`docdiff.text.apparatus`)."""
    dateline: bool
    """The side lies in its document's datelines (`docdiff.text.datelines`)."""
    head: bool
    """The side lies in its letter's head: markings and salutation
    (`docdiff.text.markings.head_spans`)."""
    widely: bool = False
    """Wording many documents of the corpus share (`docdiff.engine.score.widely_shared`)."""
    stock: tuple[str, str] | None = None
    """(family, template) of the stock phrase that is all of the side but `STOCK_SLACK` words
    (`docdiff.engine.classify.stock_phrases`), if one is."""


def passage_kinds(
    passages: AnchorPassages,
    rows: I64,
    pairs: Sequence[tuple[int, int]],
    texts: Mapping[int, str],
    tokens: Sequence[DocTokens],
    lexicon: Lexicon,
    *,
    k: int,
    shares: Shares | None = None,
    jobs: int = 1,
    derived: Mapping[int, bytes] | None = None,
    few_senders: tuple[str, ...] = (),
    rare: float | None = None,
) -> list[PassageKind | None]:
    """The kind of each passage of `rows` (None: not reported, too little rare vocabulary).

    `texts` and `tokens` are the documents' texts and token arrays, by document number;
    `pairs` gives each passage's documents (``passages.pair`` is a position in it); `shares`
    the corpus share of seed k-grams (of `k` words), as the comparison's ``doc_freq``;
    `derived` the documents' derived blobs by number, where they have one
    (`docdiff.corpus.derived`: their words, weights, ids and formula instances are read from it);
    `few_senders` the corpus's senders when it names fewer than a genre has
    (`docdiff.engine.classify.Facts.few_senders`); `rare` the share above which a k-gram is
    no longer rare (`docdiff.corpus.scan.rare_share`: with `shares`, a passage many documents
    share says so in its reason, `docdiff.engine.score.WIDELY_REASON`, unless the corpus
    names `few_senders`).
    """
    if not len(rows):
        return []
    arr = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    doc_a, doc_b = arr[passages.pair[rows], 0], arr[passages.pair[rows], 1]
    # Every (document, row, side) to look at, by document.
    docs = np.concatenate((doc_a, doc_b))
    which = np.concatenate((np.arange(len(rows)), np.arange(len(rows))))
    side = np.concatenate((np.zeros(len(rows), np.int8), np.ones(len(rows), np.int8)))
    order = np.argsort(docs, kind="stable")
    docs, which, side = docs[order], which[order], side[order]
    cuts = np.flatnonzero(np.diff(docs)) + 1
    bounds = list(pairwise([0, *cuts.tolist(), len(docs)]))
    # (In a corpus of few senders, what many documents share is their rhetoric: it counts.)
    bound = None if few_senders else rare
    work = _Work(
        passages, rows, docs, which, side, texts, tokens, lexicon, k, shares, derived or {}, bound
    )
    facts = _all_sides(work, bounds, jobs)
    a_side: list[_Side | None] = [None] * len(rows)
    b_side: list[_Side | None] = [None] * len(rows)
    for part in facts:
        for n, s, f in part:
            (a_side if s == 0 else b_side)[n] = f
    words = _shared_words(passages, rows)
    out: list[PassageKind | None] = []
    for fa, fb, w in zip(a_side, b_side, words, strict=True):
        told = _kind(fa, fb, w, few_senders) if fa is not None and fb is not None else None
        if (
            told is not None
            and fa is not None
            and fa.widely
            and distinctive(told.kind, told.reason)
        ):
            told = replace(told, reason=told.reason + WIDELY_REASON)
        out.append(told)
    return out


@dataclass(frozen=True, slots=True)
class _Work:
    passages: AnchorPassages
    rows: I64
    docs: I64
    which: I64
    side: npt.NDArray[np.int8]
    texts: Mapping[int, str]
    tokens: Sequence[DocTokens]
    lexicon: Lexicon
    k: int
    shares: Shares | None
    derived: Mapping[int, bytes]
    rare: float | None = None


Shares = Callable[[npt.NDArray[np.uint64]], npt.NDArray[np.float64]]
"""The corpus share of each of some k-gram hashes."""

_WORK: _Work | None = None
"""What forked workers read (set before the pool forks)."""

_PARALLEL_FROM = 200
"""Documents worth a process pool."""


def _all_sides(
    work: _Work, bounds: list[tuple[int, int]], jobs: int
) -> list[list[tuple[int, int, _Side]]]:
    global _WORK  # noqa: PLW0603  (fork-inherited worker state)
    if jobs <= 1 or len(bounds) < _PARALLEL_FROM:
        return [_sides(work, bounds)]
    from concurrent.futures import ProcessPoolExecutor

    from docdiff.procs import fork_context, worker_init

    step = max(1, len(bounds) // (jobs * 4))
    chunks = [bounds[i : i + step] for i in range(0, len(bounds), step)]
    _WORK = work
    try:
        with ProcessPoolExecutor(
            max_workers=jobs, mp_context=fork_context(), initializer=worker_init
        ) as pool:
            return list(pool.map(_forked_sides, chunks))
    finally:
        _WORK = None


def _forked_sides(bounds: list[tuple[int, int]]) -> list[tuple[int, int, _Side]]:
    assert _WORK is not None
    return _sides(_WORK, bounds)


def _sides(work: _Work, bounds: list[tuple[int, int]]) -> list[tuple[int, int, _Side]]:
    """The facts of each (row, side) of `bounds` (stretches of one document each)."""
    from docdiff.corpus.derived import prepared_indexed
    from docdiff.engine.classify import (
        covered_by,
        frequent_words,
        in_apparatus,
        in_dateline,
        in_head,
        name_evidence,
        topic_phrase,
    )
    from docdiff.model import Document, Span

    out: list[tuple[int, int, _Side]] = []
    for lo, hi in bounds:
        d = int(work.docs[lo])
        text, arrays = work.texts[d], work.tokens[d]
        doc = Document("", "", "txt", text)
        p = prepared_indexed(doc, arrays, work.derived.get(d), work.k, work.lexicon)
        toks, hits = p.tokens, p.formula_hits(work.lexicon)
        summed = np.concatenate(([0.0], np.cumsum(p.weights)))
        hashes = p.hash_array if work.shares is not None else None
        facts = _numbers(work, lo, hi, summed, hashes)
        freq = _Freq(work, p)
        # What a side's place alone tells, once for each place: a passage many documents
        # share is one place of this document in each of their pairs (on the UN General
        # Debate, 58 % of the places of the speeches of 2017-2024 came again).
        told: dict[tuple[int, int], _Place] = {}
        for n, s, i0, i1, weight, equal, common, widely in facts:
            place = told.get((i0, i1))
            if place is None:
                inside, main = covered_by(hits, i0, i1)
                span = Span(toks.starts[i0], toks.ends[i1 - 1])
                short = i1 - i0 <= MAX_NAME_WORDS  # a longer passage is no name
                place = told[i0, i1] = _Place(
                    inside if main is not None and inside * 2 >= i1 - i0 else 0,
                    main.template.family if main is not None else None,
                    main.template.text if main is not None else None,
                    name_evidence(text, toks, i0, i1) if short else _LONG,
                    inside_quotes(text, span),
                    agenda_title(text, span),
                    in_apparatus(p, i0, i1),
                    in_dateline(p, i0, i1),
                    in_head(p, i0, i1),
                    stock_phrase(toks, text, i0, i1, work.lexicon),
                )
            # Whether it is a topic matters only to a passage the corpus share calls banal.
            banal = common is not None and common >= BANAL_SHARE
            out.append(
                (
                    n,
                    s,
                    _Side(
                        inside=place.inside,
                        family=place.family,
                        template=place.template,
                        name=place.name,
                        quoted=place.quoted,
                        agenda=place.agenda,
                        weight=weight,
                        common=common,
                        frequent=frequent_words(p.hashes, freq(), i0, i1, work.k) if banal else 0,
                        topic=banal and topic_phrase(text, toks, i0, i1, equal),
                        apparatus=place.apparatus,
                        dateline=place.dateline,
                        head=place.head,
                        widely=widely,
                        stock=place.stock,
                    ),
                )
            )
    return out


class _Place(NamedTuple):
    """The facts of `_Side` that a side's token range alone gives (not its pair's runs)."""

    inside: int
    family: str | None
    template: str | None
    name: tuple[bool, str]
    quoted: bool
    agenda: bool
    apparatus: bool
    dateline: bool
    head: bool
    stock: tuple[str, str] | None


class _Freq:
    """The corpus share of each of a document's k-grams, as a comparison's ``doc_freq``
    (looked up once, when a passage of the document first needs it)."""

    __slots__ = ("_p", "_table", "_work")

    def __init__(self, work: _Work, p: Prepared) -> None:
        self._work, self._p = work, p
        self._table: dict[int, float] | None = None

    def __call__(self) -> Callable[[int], float]:
        if self._table is None:
            shares = self._work.shares
            assert shares is not None  # (only a passage the corpus share calls banal asks)
            found = shares(self._p.hash_array).tolist()
            self._table = dict(zip(self._p.hashes, found, strict=True))
        return self._table.__getitem__


_LONG = (False, "too long for a name")
"""What `name_evidence` says of a passage longer than `MAX_NAME_WORDS` (never shown)."""


def _numbers(
    work: _Work,
    lo: int,
    hi: int,
    summed: npt.NDArray[np.float64],
    hashes: npt.NDArray[np.uint64] | None,
) -> list[tuple[int, int, int, int, float, int, float | None, bool]]:
    """For the (row, side)s ``lo:hi`` of one document, in bulk: the row's number, the side,
    the side's token range, the rarity weight and number of its shared words (its runs), the
    share of its seed k-grams frequent in the corpus and whether it is wording many documents
    share (`docdiff.engine.score.widely_shared`, when the work has a `rare` bound) (`summed`:
    the document's weights summed up to each place; `hashes`: its seed k-grams, None without a
    corpus)."""
    from docdiff.engine.prepare import FORMULA_KGRAM
    from docdiff.engine.score import WIDELY_SHARED

    ps, k = work.passages, work.k
    ns, sides = work.which[lo:hi], work.side[lo:hi]
    rows = work.rows[ns]
    on_a = sides == 0
    i0 = np.where(on_a, ps.a0[rows], ps.b0[rows]).astype(np.int64)
    i1 = np.where(on_a, ps.a1[rows], ps.b1[rows]).astype(np.int64)
    q0, q1 = ps.run_start[rows], ps.run_start[rows + 1]
    counts = q1 - q0
    firsts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    runs = np.arange(int(counts.sum())) - np.repeat(firsts - q0, counts)
    run_on_a = np.repeat(on_a, counts)
    r0 = np.where(run_on_a, ps.run_a0[runs], ps.run_b0[runs]).astype(np.int64)
    r1 = np.where(run_on_a, ps.run_a1[runs], ps.run_b1[runs]).astype(np.int64)
    weight = np.add.reduceat(summed[r1] - summed[r0], firsts)
    equal = np.add.reduceat(r1 - r0, firsts)
    common: list[float | None] = [None] * len(ns)
    widely = [False] * len(ns)
    if hashes is not None and work.shares is not None:
        # As the comparison's share: of the k-grams starting inside (looked up only there).
        n = len(hashes)
        last = np.minimum(np.maximum(i0 + 1, i1 - k + 1), n)
        inside = np.zeros(n + 1, dtype=np.int64)
        np.add.at(inside, np.minimum(i0, n), 1)
        np.add.at(inside, last, -1)
        looked = np.flatnonzero(np.cumsum(inside[:n]) > 0)
        looked_shares = work.shares(hashes[looked])
        hot = np.zeros(n, dtype=np.int64)
        hot[looked] = looked_shares >= FORMULA_KGRAM
        frequent = np.concatenate(([0], np.cumsum(hot)))
        first = np.minimum(i0, last)
        share = (frequent[last] - frequent[first]) / np.maximum(1, last - i0)
        common = np.where(last > i0, share, 0.0).tolist()
        if work.rare is not None:
            above = np.zeros(n, dtype=np.int64)
            above[looked] = looked_shares > work.rare
            held = np.concatenate(([0], np.cumsum(above)))
            widely = (
                (last > i0) & (held[last] - held[first] >= WIDELY_SHARED * (last - i0))
            ).tolist()
    columns = (ns.tolist(), sides.tolist(), i0.tolist(), i1.tolist(), weight.tolist())
    return list(zip(*columns, equal.tolist(), common, widely, strict=True))


def _shared_words(passages: AnchorPassages, rows: I64) -> list[int]:
    """The words each passage's runs share."""
    lengths = (passages.run_a1 - passages.run_a0).astype(np.int64)
    summed = np.concatenate(([0], np.cumsum(lengths)))
    starts = passages.run_start
    got: list[int] = (summed[starts[rows + 1]] - summed[starts[rows]]).tolist()
    return got


def _kind(a: _Side, b: _Side, words: int, few_senders: tuple[str, ...]) -> PassageKind | None:
    """The rules' decision for a passage whose sides tell `a` and `b` (as `_classify_one`:
    the lexicon's formula "mostly" covers a side when half its tokens lie in instances)."""
    both = a.inside > 0 and b.inside > 0 and a.family == b.family
    one: tuple[str, str] | None = None
    if a.inside > 0 and a.family is not None:
        one = ("A", a.family)
    elif b.inside > 0 and b.family is not None:
        one = ("B", b.family)
    facts = Facts(
        words=words,
        weight=a.weight,
        corpus_common=a.common,
        topic=a.topic,
        lexicon_both=a.family if both else None,
        lexicon_one=one,
        name_a=a.name,
        name_b=b.name,
        quoted="A" if a.quoted else ("B" if b.quoted else None),
        agenda="A" if a.agenda else ("B" if b.agenda else None),
        apparatus=a.apparatus and b.apparatus,
        dateline=a.dateline and b.dateline,
        head=a.head and b.head,
        corpus_words=a.frequent,
        few_senders=few_senders,
    )
    decision: Decision = decide(facts)
    if decision.kind is None:
        return None
    if decision.kind is Kind.PHRASING:
        found = stock_of(a.stock, b.stock)  # as `stock_phrases` calls a compared passage
        if found is not None:
            family, template, where = found
            return PassageKind(Kind.FORMULA, stock_reason(family, where) + _NOT_IN_FULL, template)
        if decision.reason.startswith(OWN_WORDING_REASON):
            return PassageKind(Kind.PHRASING, decision.reason + _NOT_IN_FULL)
        if facts.agenda is None:
            return PassageKind(Kind.PHRASING, ANCHORED)
        return PassageKind(Kind.PHRASING, f"{AGENDA_REASON} in {facts.agenda}{_NOT_IN_FULL}")
    formula = None  # the template, when the lexicon made it a formula (not the corpus share)
    if decision.kind is Kind.FORMULA and both:
        formula = a.template
    elif decision.kind is Kind.FORMULA and one is not None and facts.lexicon_both is None:
        formula = a.template if one[0] == "A" else b.template
    return PassageKind(decision.kind, decision.reason + _NOT_IN_FULL, formula)


ANCHORED = "anchored: shared rare wording (not compared in full)"
"""The reason of an anchored phrasing passage (``--explain``)."""

_NOT_IN_FULL = " (anchored: not compared in full)"
