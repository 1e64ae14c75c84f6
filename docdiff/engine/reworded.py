"""Reworded reuse in the pipeline: paraphrase units found, gated on the score they report, and
joined into one passage per reworded sentence group.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, overload

import numpy as np
import numpy.typing as npt

from docdiff.engine.classify import cover_datelines_and_apparatus, cover_markings, name_evidence
from docdiff.engine.echoes import (
    _root_counts,
    _stem_weight_array,
    is_echo,
    pair_weight,
    passage_words,
)
from docdiff.engine.lexicon import Lexicon
from docdiff.engine.paraphrase import ParaphraseHit, UnitIndex, unit_index_of_codes
from docdiff.engine.pieces import JOIN_LOOKBACK
from docdiff.engine.prepare import CorpusTopic, Prepared, covered_ranges, token_range
from docdiff.model import AlignOp, Kind, Match, Passage, Span
from docdiff.options import Options
from docdiff.text.names import capitalised_inside
from docdiff.text.tokens import NUMBER_WORDS

I64 = npt.NDArray[np.int64]

_PARAPHRASE_SCORE = 40.0
"""The smallest reported paraphrase score (calibrated on Clough "non" answers and unrelated
DFAT pairs of the same year: see tests/benchmarks/bench_false_positives.py)."""


_PARAPHRASE_EVIDENCE = 3.0
"""The least summed rarity of a paraphrase's shared stems, each discounted by how often it
recurs in either document (a topic both documents discuss recurs; borrowed wording need not),
calibrated like `_PARAPHRASE_SCORE`."""


_PARAPHRASE_DENSITY = 1 / 3
"""The least share of the distinct content stems of a reported paraphrase's shorter side that
the other side shares: a reworded passage keeps much of its content ("universal access to
education" reworded as "the right to education for all"); two speeches on one subject share
a handful of its words across a sentence or two ("education", "access", "preschool",
"secondary": Cabo Verde's and Vanuatu's of 2019), and that is no rewording. Every rewording
planted in the UN speeches of 2012 and 2017 (`bench_reworded --scan`) keeps 0.42 or more, most
0.64 or more; the paraphrases found between unplanted speeches keep 0.26 or more. Two in five
left out a third of those, but also two of PAN's human paraphrases (0.36 and 0.38): a third
leaves out fewer, and none of PAN's, Clough's or the planted ones."""


_SECTION_EVIDENCE = 2.0
"""The same least evidence for a reworded section (several sentence pairs sharing rare stems in
the same order on both sides: the order is evidence too), calibrated like `_PARAPHRASE_SCORE`."""


def find_reworded(
    a: Prepared,
    b: Prepared,
    matches: Sequence[Match],
    lexicon: Lexicon,
    options: Options,
    topic: CorpusTopic | None = None,
) -> list[Match]:
    """Reworded passages of `a` and `b` outside `matches`. In a corpus, one whose shared stems
    are its `topic` (nearly all held together by many of its documents: civil society and the
    private sector, nuclear tests and Security Council resolutions in the UN speeches of a
    year) is left out unless a verbatim passage supports it, one whose own words are no topic
    ("the conservation and sustainable use of marine biological diversity" supports nothing
    there): two documents on one topic share its words, and only that."""
    from docdiff.engine.paraphrase import find_paraphrases

    # Passages already matched, and formula instances (courtesy language is never "reworded
    # rhetoric"), are left out; short echoes are not: a reworded sentence keeps some words.
    kept = [m for m in matches if not is_echo(m, passage_words(options, a))]
    ranges_a = [token_range(a.tokens, m.a.span) for m in kept]
    ranges_b = [token_range(b.tokens, m.b.span) for m in kept]
    covered_a = covered_ranges(len(a.tokens), ranges_a)
    covered_b = covered_ranges(len(b.tokens), ranges_b)
    for instances, covered in (
        (a.formula_hits(lexicon), covered_a),
        (b.formula_hits(lexicon), covered_b),
    ):
        for instance in instances:
            covered[instance.start : instance.end] = [True] * (instance.end - instance.start)
    # Nor is an edition's apparatus (archive references, editors' notes): not the documents'
    # wording, so no evidence that one reworded the other.
    cover_datelines_and_apparatus(a, covered_a)
    cover_datelines_and_apparatus(b, covered_b)
    # Nor are marking lines ("MOST SECRET", "TOP SECRET AND PERSONAL"): no prose to reword.
    cover_markings(a, covered_a)
    cover_markings(b, covered_b)
    stem_weight = pair_weight(a, b)
    count_a, count_b = _root_counts(a), _root_counts(b)  # kept per document, not per pair

    def evidence_of(h: ParaphraseHit, named: set[str] | frozenset[str] = frozenset()) -> float:
        """The rarity evidence of `h`'s shared stems, leaving out `named` (names and number
        words shared on both sides: a referent, not wording)."""
        return sum(
            stem_weight(s)
            / ((1.0 + math.log(max(1, count_a[s]))) * (1.0 + math.log(max(1, count_b[s]))))
            for s in h.shared
            if s not in named
        )

    # Formula instances and names: a reworded section never runs across one (a letterhead,
    # a courtesy formula and the body of a letter are not one reworded section); it is cut at
    # the sentences holding one, and a section still holding one is left out.
    fixed_a = [(x.start, x.end) for x in a.formula_hits(lexicon)]
    fixed_b = [(x.start, x.end) for x in b.formula_hits(lexicon)]
    for m, ra, rb in zip(kept, ranges_a, ranges_b, strict=True):
        if m.kind in (Kind.FORMULA, Kind.NAME):
            fixed_a.append(ra)
            fixed_b.append(rb)

    # Verbatim passages (not echoes): what may lift a loose reworded section to a sentence
    # group worth reporting.
    verbatim = [
        (ra, rb)
        for m, ra, rb in zip(kept, ranges_a, ranges_b, strict=True)
        if m.kind in (Kind.PHRASING, Kind.QUOTATION)
    ]

    known: list[tuple[tuple[int, int], tuple[int, int]]] | None = None

    def borrowed() -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """The verbatim passages whose own words are no topic of the corpus (made once)."""
        nonlocal known
        if known is None:
            assert topic is not None
            known = [(ra, rb) for ra, rb in verbatim if not topic(_range_words(a, ra, stem_weight))]
        return known

    def section_ok(h: ParaphraseHit) -> bool:
        # Gated before overlapping hits are dropped, so a section left out leaves its
        # sentences' own hits in place.
        return (
            evidence_of(h) >= _SECTION_EVIDENCE
            and (h.score >= _PARAPHRASE_SCORE or _supported(h, verbatim))
            and _name_share(a, b, h) <= _SECTION_NAMES
            and not any(h.a0 < x1 and x0 < h.a1 for x0, x1 in fixed_a)
            and not any(h.b0 < x1 and x0 < h.b1 for x0, x1 in fixed_b)
        )

    hits = find_paraphrases(
        a.roots,
        b.roots,
        covered_a,
        covered_b,
        stem_weight,
        a_units=a.sentences,
        b_units=b.sentences,
        a_paragraphs=a.paragraphs,
        b_paragraphs=b.paragraphs,
        # Units kept across comparisons when the document is; built for this pair otherwise.
        a_index=a.unit_index(lexicon) if a.kept else _pair_units(a, covered_a, stem_weight),
        b_index=b.unit_index(lexicon) if b.kept else _pair_units(b, covered_b, stem_weight),
        a_changed=ranges_a if a.kept else (),
        b_changed=ranges_b if b.kept else (),
        a_reweigh=_lighter_in(a, b) if a.kept else (),
        b_reweigh=_lighter_in(b, a) if b.kept else (),
        a_content=_content_tokens(a, b, covered_a),
        b_content=_content_tokens(b, a, covered_b),
        min_score=_PARAPHRASE_SCORE,
        section_filter=section_ok,
        a_fixed=fixed_a,
        b_fixed=fixed_b,
    )
    hits = [*hits, *_completed_sentences(a, b, kept, covered_a, covered_b, stem_weight)]
    out = []
    for h in hits:
        named = _named_stems(a, b, h.pairs)
        evidence = evidence_of(h, named)
        if not h.links and evidence < _PARAPHRASE_EVIDENCE:
            continue  # the shared stems are the documents' topic, not borrowed wording
        if (
            name_evidence(a.doc.text, a.tokens, h.a0, h.a1)[0]
            and name_evidence(b.doc.text, b.tokens, h.b0, h.b1)[0]
        ):
            continue  # names are not reworded: two titles sharing words are not a paraphrase
        if topic is not None and topic(_stem_words(a, b, h)) and not _supported(h, borrowed()):
            continue  # the corpus's topic (many of its documents hold these stems), not borrowed
        forms = tuple(dict.fromkeys(a.tokens.forms[i] for i, _ in h.pairs))
        ops = tuple(AlignOp("equal", a.tokens.span(i), b.tokens.span(j)) for i, j in h.pairs)
        out.append(
            Match(
                a=Passage(a.doc.id, a.tokens.range_span(h.a0, h.a1)),
                b=Passage(b.doc.id, b.tokens.range_span(h.b0, h.b1)),
                kind=Kind.PARAPHRASE,
                score=h.score,
                words=len(h.shared),
                ops=ops,
                reason=(
                    f"paraphrase: {len(forms)} content words shared in another order or "
                    f"wording ({', '.join(forms)}); score {h.score}, evidence {evidence:.1f} "
                    "(their rarity, discounted where they recur in either document)"
                    + (
                        f"; a reworded section of {h.links} sentence pairs in the same order"
                        if h.links
                        else ""
                    )
                ),
                shared=forms,
            )
        )
    return out


def _range_words(
    p: Prepared, at: tuple[int, int], weight: Callable[[str], float]
) -> list[list[int]]:
    """The content stems of `p`'s tokens ``[at)`` -> their words there (token-key hashes)."""
    words: dict[str, set[int]] = {}
    _add_words(words, p, *at, lambda stem: weight(stem) > 0)
    return [sorted(w) for w in words.values()]


def _stem_words(a: Prepared, b: Prepared, h: ParaphraseHit) -> list[list[int]]:
    """Each shared stem of `h` -> its words in `h`'s spans on both sides (token-key hashes)."""
    words: dict[str, set[int]] = {}
    shared = set(h.shared).__contains__
    _add_words(words, a, h.a0, h.a1, shared)
    _add_words(words, b, h.b0, h.b1, shared)
    return [sorted(w) for w in words.values()]


def _add_words(
    words: dict[str, set[int]], p: Prepared, i0: int, i1: int, keep: Callable[[str], bool]
) -> None:
    """Add to `words` the words (token-key hashes) of `p`'s tokens ``[i0, i1)`` under their
    stems, the stems `keep` holds."""
    roots, ids = p.roots, p.ids
    for i in range(i0, i1):
        if keep(roots[i]):
            words.setdefault(roots[i], set()).add(ids[i])


_SUPPORT_REACH = 60
"""How far (in words, on both sides) a verbatim passage may lie from a reworded section and
still support it: about the two sentences a sentence group reaches across."""


def _supported(
    h: ParaphraseHit, verbatim: Sequence[tuple[tuple[int, int], tuple[int, int]]]
) -> bool:
    """Whether a verbatim passage (token ranges on both sides) lies in reworded section `h` or
    within `_SUPPORT_REACH` words of it on both sides: a section scoring under the paraphrase
    threshold can then still make one reported sentence group with it (`join_sections`)."""
    reach = _SUPPORT_REACH
    return any(
        h.a0 - reach <= a0 and a1 <= h.a1 + reach and h.b0 - reach <= b0 and b1 <= h.b1 + reach
        for (a0, a1), (b0, b1) in verbatim
    )


@dataclass(frozen=True, slots=True)
class _StemSigns:
    """Which of a document's stems weigh something (`Prepared.stem_weight` above zero), kept
    per document: the tokens whose stem does, the stems that do not, and which of its
    distinct stems (`Prepared.stem_codes`) do, with each token's stem among them."""

    positive: npt.NDArray[np.bool_]
    weightless: frozenset[str]
    per_stem: npt.NDArray[np.bool_]
    codes: npt.NDArray[np.intp]
    weights: npt.NDArray[np.float64]
    """Each distinct stem's weight (`Prepared.stem_table`), in the order of `stem_codes`."""

    @classmethod
    def of(cls, p: Prepared) -> _StemSigns:
        """`p`'s signs (derived on first use)."""
        known = p.derived.get("stem_signs")
        if isinstance(known, _StemSigns):
            return known
        stems, codes = p.stem_codes()
        weights = _stem_weight_array(p)  # (derived once, as the echoes' stem arrays read it)
        per_stem = weights > 0.0
        weightless = frozenset(itertools.compress(stems, (~per_stem).tolist()))
        signs = cls(per_stem[codes], weightless, per_stem, codes, weights)
        p.derived["stem_signs"] = signs
        return signs


def _lighter_in(p: Prepared, other: Prepared) -> list[str]:
    """The stems of `p` that weigh less in `other`: the pair weighs them so
    (`pair_stem_weight`), where `p`'s kept unit index weighs them as `p` alone does. (A stem
    absent from `other` weighs there what it weighs here: no stem weighs more than 1.)

    Only the stems of `p`'s text are listed (the paraphrase units reweigh no other), found on
    both documents' stems by their process numbers (`_WeighedStems`, kept per document).
    """
    mine, theirs = _WeighedStems.of(p), _WeighedStems.of(other)
    if mine is None or theirs is None:
        table, other_table = p.stem_table, other.stem_table
        return sorted(s for s in table.keys() & other_table.keys() if other_table[s] < table[s])
    if not len(theirs.numbers):
        return []
    at = np.minimum(theirs.numbers.searchsorted(mine.numbers), len(theirs.numbers) - 1)
    lighter = (theirs.numbers[at] == mine.numbers) & (theirs.weights[at] < mine.weights)
    names = mine.names
    return sorted(names[k] for k in mine.order[lighter].tolist())


@dataclass(frozen=True, slots=True)
class _WeighedStems:
    """A document's distinct stems (those of its text) by process number
    (`Prepared.stem_numbers`), sorted, each with its weight in the document
    (`Prepared.stem_table`), kept per document: a query's document meets ten sources."""

    numbers: npt.NDArray[np.int64]
    weights: npt.NDArray[np.float64]
    order: npt.NDArray[np.intp]
    """Each sorted number's place in `names`."""
    names: list[str]

    @classmethod
    def of(cls, p: Prepared) -> _WeighedStems | None:
        """`p`'s stems (derived on first use; None when `_StemSigns` weighed other stems:
        never so far, both list the stems of `Prepared.stem_codes`)."""
        known = p.derived.get("weighed_stems")
        if isinstance(known, _WeighedStems):
            return known
        names, _ = p.stem_codes()
        numbers = p.stem_numbers()
        # (`_StemSigns` reads them from the same table, for the same stems in the same order.)
        weights = _StemSigns.of(p).weights
        if len(weights) != len(names):
            return None
        order = numbers.argsort()  # (distinct numbers: any sort is the stable one)
        found = cls(numbers[order], weights[order], order, names)
        p.derived["weighed_stems"] = found
        return found


def _pair_units(p: Prepared, covered: list[bool], weight: Callable[[str], float]) -> UnitIndex:
    """`p`'s sentence units for one pair: its `covered` tokens left out, its stems weighed by
    `weight` (the pair's). `unit_index_of_codes` finds the same units as `unit_index` would,
    with array operations on the stems' numbers instead of a loop over tokens."""
    names, codes = p.stem_codes()
    weights = list(map(weight, names))
    return unit_index_of_codes(codes, names, weights, covered, p.sentences, p.paragraphs)


def _content_tokens(p: Prepared, other: Prepared, covered: list[bool]) -> list[int]:
    """The tokens of `p`, in order, that are not `covered` and weigh above zero in the pair
    (`pair_stem_weight`: the smaller of the stem's weights in both documents; a stem absent
    from `other` weighs there what it weighs here, nothing when it holds a digit)."""
    signs, theirs = _StemSigns.of(p), _StemSigns.of(other)
    keep = signs.positive & ~np.frombuffer(bytes(covered), dtype=bool)
    if theirs.weightless:
        # Stems of `p` weighing something here but nothing in the other document (rare:
        # mostly both weigh nothing, as function words do), found by their process numbers.
        mine, none = p.stem_numbers(), other.stem_numbers()[~theirs.per_stem]
        held = np.zeros(1 + max(int(mine.max(initial=0)), int(none.max(initial=0))), dtype=bool)
        held[none] = True
        lost = signs.per_stem & held[mine]
        if lost.any():
            keep &= ~lost[signs.codes]
    kept: list[int] = keep.nonzero()[0].tolist()
    return kept


def _named_stems(a: Prepared, b: Prepared, pairs: Sequence[tuple[int, int]]) -> set[str]:
    """The shared stems that are names or spelled-out numbers on both sides: two speeches that
    name the same President, country or session share a referent, not wording (numbers in
    digits already weigh nothing)."""
    named: dict[str, bool] = {}
    roots, keys_a, keys_b = a.roots, a.tokens.keys, b.tokens.keys
    for i, j in pairs:
        stem = roots[i]
        other = keys_a[i] in NUMBER_WORDS and keys_b[j] in NUMBER_WORDS
        named[stem] = named.get(stem, True) and (
            other or (_capitalised_kept(a, i) and _capitalised_kept(b, j))
        )
    return {s for s, yes in named.items() if yes}


def _capitalised_kept(p: Prepared, i: int) -> bool:
    """`_capitalised_at`, each token's answer kept with its document (a query's document
    meets the same tokens in its other sources)."""
    known = p.derived.get("capitalised")
    if not isinstance(known, dict):
        known = p.derived["capitalised"] = {}
    found = known.get(i)
    if found is None:
        found = known[i] = _capitalised_at(p, i)
    return bool(found)


def _capitalised_at(p: Prepared, i: int) -> bool:
    """`capitalised_inside` of token `i` of `p`: a name or title word."""
    return capitalised_inside(p.doc.text, p.tokens.starts[i])


_SECTION_NAMES = 0.25
"""The largest share of a reworded section's shared stems that may be names or titles
(capitalised inside a sentence on both sides): speeches of one session greet the same
President and Secretary-General in the same order without borrowing from each other
(calibrated on unrelated UN speeches of one year, tests/benchmarks/bench_reworded.py, and
the PAN Indonesian tuning half)."""


def _name_share(a: Prepared, b: Prepared, h: ParaphraseHit, stems: set[str] | None = None) -> float:
    """Share of `h`'s shared stems (or of `stems`) written capitalised inside a sentence on
    both sides of `h`."""
    shared = set(h.shared) if stems is None else stems
    named = _capitalised(a, h.a0, h.a1, shared) & _capitalised(b, h.b0, h.b1, shared)
    return len(named) / max(1, len(shared))


_TITLES = frozenset({"mr", "mrs", "ms", "dr", "messrs", "mme", "prof", "st", "sr", "jr", "m"})
"""Abbreviated titles whose full stop does not open a sentence ("Mr. Holkeri")."""


def _capitalised(p: Prepared, i0: int, i1: int, stems: set[str]) -> set[str]:
    openers = p.sentence_starts
    text, starts, keys, roots = p.doc.text, p.tokens.starts, p.tokens.keys, p.roots
    return {
        roots[i]
        for i in range(i0, i1)
        if roots[i] in stems
        and text[starts[i]].isupper()
        and (not _opens(openers, i) or (i > 0 and keys[i - 1] in _TITLES))
    }


def _opens(starts: Sequence[int], i: int) -> bool:
    """Whether token `i` opens a sentence (`starts`: the sentences' first tokens, sorted)."""
    k = bisect.bisect_left(starts, i)
    return k < len(starts) and starts[k] == i


_COMPLETION_SHARED = 3
"""Content stems the rest of a sentence pair must share, besides its verbatim run, for the
pair to be one reworded sentence (a clause moved, the rest reworded)."""

_COMPLETION_DICE = 0.5
"""The least weighted Dice of the whole sentence pair's content stems for that."""


_COMPLETION_NAMES = 0.4
"""The largest share of names and titles among the stems such a sentence pair shares, and
among those it shares outside its verbatim run (one session's speeches greet and thank the
same people in their own words)."""


def _completed_sentences(
    a: Prepared,
    b: Prepared,
    kept: Sequence[Match],
    covered_a: Sequence[bool],
    covered_b: Sequence[bool],
    weight: Callable[[str], float],
) -> list[ParaphraseHit]:
    """Reworded sentences around a verbatim run: a phrasing passage whose sentences, on each
    side, share `_COMPLETION_SHARED` more content stems outside it, and whose whole sentences
    share most of their content (weighted Dice `_COMPLETION_DICE`), gives a paraphrase over
    those sentences, which `join_sections` then joins with the run."""
    out = []
    roots_a, roots_b = a.roots, b.roots  # (a property: read once)
    for m in kept:
        if m.kind is not Kind.PHRASING:
            continue
        sa = _sentence_bounds(a, token_range(a.tokens, m.a.span))
        sb = _sentence_bounds(b, token_range(b.tokens, m.b.span))
        rest_a = {roots_a[i] for i in range(*sa) if not covered_a[i] and weight(roots_a[i]) > 0}
        rest_b = {roots_b[j] for j in range(*sb) if not covered_b[j] and weight(roots_b[j]) > 0}
        rest = rest_a & rest_b
        if len(rest) < _COMPLETION_SHARED:
            continue
        all_a = {roots_a[i] for i in range(*sa) if weight(roots_a[i]) > 0}
        all_b = {roots_b[j] for j in range(*sb) if weight(roots_b[j]) > 0}
        common = all_a & all_b
        total = sum(map(weight, all_a)) + sum(map(weight, all_b))
        dice = 2 * sum(map(weight, common)) / total if total > 0 else 0.0
        if dice < _COMPLETION_DICE:
            continue
        in_a = [i for i in range(*sa) if not covered_a[i] and roots_a[i] in rest]
        in_b = [j for j in range(*sb) if not covered_b[j] and roots_b[j] in rest]
        first_b: dict[str, int] = {}
        for j in in_b:
            first_b.setdefault(roots_b[j], j)
        seen: dict[str, int] = {}
        for i in in_a:
            seen.setdefault(roots_a[i], i)
        pairs = tuple((i, first_b[stem]) for stem, i in seen.items())
        hit = ParaphraseHit(
            sa[0], sa[1], sb[0], sb[1], round(100.0 * dice, 1), tuple(sorted(common)), pairs
        )
        # The part reworded must be words, not the same people's names in other sentences.
        if max(_name_share(a, b, hit), _name_share(a, b, hit, rest)) <= _COMPLETION_NAMES:
            out.append(hit)
    return out


def _sentence_bounds(p: Prepared, span: tuple[int, int]) -> tuple[int, int]:
    """The tokens of the sentences holding token range `span`."""
    starts = p.sentence_starts
    first = p.sentences[max(0, bisect.bisect_right(starts, span[0]) - 1)]
    last = p.sentences[max(0, bisect.bisect_right(starts, span[1] - 1) - 1)]
    return first[0], last[1]


def join_sections(
    matches: list[Match],
    a: Prepared,
    b: Prepared,
    options: Options,
    fixed: tuple[Sequence[tuple[int, int]], Sequence[tuple[int, int]]] = ((), ()),
) -> list[Match]:
    """One passage per reworded sentence group: a paraphrase joins the phrasing passages and
    echoes (its verbatim runs) and the paraphrases that overlap it or follow it in the same
    order on both sides across a small gap; the verbatim runs become ops inside it. Then the
    groups of one block of sentences join whatever their order (`_join_blocks`). Nothing
    joins across a formula instance between two parts, even one side's alone (token ranges
    `fixed`, each side's lexicon instances): "assures you of its full cooperation and
    support" parts a speech's courtesy from the passage after it."""
    words = passage_words(options, a)
    if not any(m.kind is Kind.PARAPHRASE for m in matches) and (
        sum(1 for m in matches if m.kind is Kind.PHRASING and not is_echo(m, words)) < 2
    ):
        return matches
    joinable = (Kind.PHRASING, Kind.PARAPHRASE)
    parts = sorted(
        (m for m in matches if m.kind in joinable), key=lambda m: (m.a.span.start, m.b.span.start)
    )
    others = [m for m in matches if m.kind not in joinable]
    between_a, between_b = _Ranges(fixed[0]), _Ranges(fixed[1])  # (searched by start)
    groups: list[list[Match]] = []
    ends: list[tuple[int, int, int, int]] = []  # per group: a end, b start, b end (tokens), words
    reworded: list[bool] = []  # per group: whether it holds a paraphrase
    for m in parts:
        (a0, a1), (b0, b1) = token_range(a.tokens, m.a.span), token_range(b.tokens, m.b.span)
        best = -1
        for g in range(len(groups) - 1, max(-1, len(groups) - 1 - JOIN_LOOKBACK), -1):
            if not reworded[g] and m.kind is not Kind.PARAPHRASE:
                continue
            last_a, first_b, last_b, size = ends[g]
            if b0 < first_b and not (a0 < last_a and first_b - b1 <= _SENTENCE_REACH):
                # Another order in B: a move, not one section -- unless it lies inside the
                # group in A and next to it in B (a sentence moved within a reworded section).
                continue
            gap_a, gap_b = a0 - last_a, b0 - last_b
            if _holds_a_sentence(a, last_a, a0) and _holds_a_sentence(b, last_b, b0):
                continue  # a sentence on each side between them: two reuses, not one group
            if _opens_paragraph(a, last_a, a0) and _opens_paragraph(b, last_b, b0):
                continue  # a letterhead or another paragraph on both sides: not one group
            if between_a.within(last_a, a0) or between_b.within(last_b, b0):
                continue  # a formula between them: a courtesy, not one group
            # Reworded sentences of one group lie within a sentence of each other.
            limit = _SENTENCE_REACH
            if max(gap_a, gap_b) <= limit:
                best = g
                break
        if best < 0:
            groups.append([m])
            ends.append((a1, b0, b1, m.words))
            reworded.append(m.kind is Kind.PARAPHRASE)
        else:
            groups[best].append(m)
            reworded[best] = reworded[best] or m.kind is Kind.PARAPHRASE
            last_a, first_b, last_b, size = ends[best]
            ends[best] = (max(last_a, a1), min(first_b, b0), max(last_b, b1), size + m.words)
    quoted = [m for m in others if m.kind is Kind.QUOTATION]
    others = [m for m in others if m.kind is not Kind.QUOTATION]
    groups, alone = _join_blocks(groups, [[m] for m in quoted], a, b, others, options, fixed)
    joined: list[Match] = []
    for group in groups:
        m = group[0] if len(group) == 1 else _joined(group, words)
        if m.kind is Kind.PARAPHRASE and (m.score < _PARAPHRASE_SCORE or _sparse(m, a, b)):
            # A reworded section is found from a lower score (its sentence order is evidence
            # too), but it is reported only when its group, verbatim runs included, reaches
            # the paraphrase threshold: sections of speeches on one topic (Syria's chemical
            # weapons in 2013) share a third of their stems and no run. Nor is one sharing
            # too few of its content stems (`_PARAPHRASE_DENSITY`). Its parts stay, a reworded
            # one only when it would be reported alone.
            joined += [
                x
                for x in group
                if x.kind is not Kind.PARAPHRASE
                or (len(group) > 1 and x.score >= _PARAPHRASE_SCORE and not _sparse(x, a, b))
            ]
        else:
            joined.append(m)
    return [*others, *alone, *joined]


def _sparse(m: Match, a: Prepared, b: Prepared) -> bool:
    """Whether reworded passage `m` shares fewer stems than `_PARAPHRASE_DENSITY` of the
    distinct content stems of its shorter side (the stems the pair weighs: no function words,
    no numbers)."""
    weight = pair_weight(a, b)
    sides = (
        len(_range_words(p, token_range(p.tokens, span), weight))
        for p, span in ((a, m.a.span), (b, m.b.span))
    )
    return m.words < _PARAPHRASE_DENSITY * min(sides)


_BLOCK_GAP = 2
"""Reworded sentence groups of one pair join into one reuse, whatever their order (a reworded
section whose sentences were reordered), when at most this many unmatched sentences lie between
them on each side, inside paragraphs that hold parts of the pair (a sentence left out, added or
reworded beyond recognition); whole paragraphs between them on both sides must share
`_GAP_SHARED` content stems."""

_GAP_SHARED = 2
"""Content stems the unmatched sentences between two groups must share, side to side, for the
groups to be one reuse (unrelated sentences in between share none: two reuses)."""

_SKIP_GAP = 6
"""A reworded section may leave out up to this many sentences of the other side (a summary
skips sentences of its source): groups next to each other on one side (at most one unmatched
sentence between) and in the same order on the other side are one reuse when at most this many
unmatched sentences lie between them there, inside paragraphs that hold parts of the pair
(or whole paragraphs, in a long section: `_SUMMARY_DENSITY`)."""

_SUMMARY_DENSITY = 0.75
"""A summary may leave out whole paragraphs of the other side when at least three of every
four sentences its two parts span there lie in the parts (a long section condensed: PAN's
human paraphrases drop a paragraph of their source here and there); a paragraph inserted
between two short reuses leaves more of the span unmatched and keeps them apart."""


class _SentenceEnds(NamedTuple):
    """A document's sentences' end tokens, whether they never decrease, and its sentences of
    `_GAP_SENTENCE` words or more, in order."""

    ends: list[int]
    ordered: bool
    long: list[int]
    starts_ordered: bool
    """Whether the sentences' first tokens never decrease either."""


def _sentence_ends(p: Prepared) -> _SentenceEnds:
    """`p`'s `_SentenceEnds` (derived once per document)."""
    known = p.derived.get("sentence_ends")
    if isinstance(known, _SentenceEnds):
        return known
    sentences = p.sentences
    ends = [u[1] for u in sentences]
    long = [k for k, (s0, s1) in enumerate(sentences) if s1 - s0 >= _GAP_SENTENCE]
    made = _SentenceEnds(
        ends,
        all(x <= y for x, y in itertools.pairwise(ends)),
        long,
        all(x[0] <= y[0] for x, y in itertools.pairwise(sentences)),
    )
    p.derived["sentence_ends"] = made
    return made


@dataclass(slots=True)
class _Side:
    """One side of a pair for `_join_blocks`: its sentences' first tokens, the sentences some
    part of the pair touches, and each group's extent."""

    p: Prepared
    starts: list[int]
    touched: set[int]
    extent: list[tuple[int, int]]
    paragraphs: list[set[int]]
    ends: list[int] | None = None
    """The sentences' end tokens when they never decrease (None otherwise): `gap` then finds
    its sentences by bisection."""
    open_: list[int] | None = None
    """The sentences (of `_GAP_SENTENCE` words or more) that no part touches, in order."""
    by_paragraph: dict[int, set[int]] = field(default_factory=dict)
    """The groups each paragraph holds part of (`paragraphs` inverted)."""
    bounds: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros((0, 2), np.int64))
    """`extent` as an array (one row per group), for `no_gap` and `before`."""
    open_bounds: tuple[list[int], list[int]] = ([], [])
    """The first and end tokens of the `open_` sentences (when `ends` is known)."""
    counts: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros((0, 2), np.int64))
    """Per group, the `open_` sentences that start before its extent's end and those that
    end by its extent's start (`no_gap` compares them)."""
    count_rows: list[tuple[int, int]] = field(default_factory=list)
    """`counts` as Python ints (`gap` reads them one group at a time)."""

    @classmethod
    def of(cls, p: Prepared, groups: Sequence[Sequence[Match]], side: str) -> _Side:
        starts = p.sentence_starts
        sentence_paragraph = p.paragraphs
        token_starts = p.tokens.starts
        touched: set[int] = set()
        extent = []
        paragraphs = []
        for g in groups:
            if len(g) == 1:
                # One part (most groups of a long pair: its echoes), often in one sentence.
                span = (g[0].a if side == "a" else g[0].b).span
                r0 = bisect.bisect_left(token_starts, span.start)
                r1 = bisect.bisect_left(token_starts, span.end)
                first = max(0, bisect.bisect_right(starts, r0) - 1)
                last = max(0, bisect.bisect_right(starts, r1 - 1) - 1)
                if first == last:
                    touched.add(first)
                    paragraphs.append({sentence_paragraph[first]})
                else:
                    mine = set(range(first, last + 1))
                    touched |= mine
                    paragraphs.append({sentence_paragraph[k] for k in mine})
                extent.append((r0, r1))
                continue
            ranges = [token_range(p.tokens, (m.a if side == "a" else m.b).span) for m in g]
            mine = set()
            for r0, r1 in ranges:
                first = max(0, bisect.bisect_right(starts, r0) - 1)
                last = max(0, bisect.bisect_right(starts, r1 - 1) - 1)
                mine.update(range(first, last + 1))
            touched |= mine
            extent.append((min(r[0] for r in ranges), max(r[1] for r in ranges)))
            paragraphs.append({sentence_paragraph[k] for k in mine})
        ends, sorted_ends, long, _ = _sentence_ends(p)
        open_ = [k for k in long if k not in touched]
        by_paragraph: dict[int, set[int]] = {}
        for number, pars in enumerate(paragraphs):
            for n in pars:
                by_paragraph.setdefault(n, set()).add(number)
        made = cls(
            p,
            starts,
            touched,
            extent,
            paragraphs,
            ends if sorted_ends else None,
            open_,
            by_paragraph,
            np.asarray(extent, dtype=np.int64).reshape(-1, 2),
            ([starts[k] for k in open_], [ends[k] for k in open_]),
            np.zeros((len(extent), 2), dtype=np.int64),
        )
        if sorted_ends:
            # Every group's row of `count` at once (the same binary searches, on sorted lists).
            open_starts, open_ends = made.open_bounds
            made.counts[:, 0] = np.searchsorted(
                np.asarray(open_starts, dtype=np.int64), made.bounds[:, 1], side="left"
            )
            made.counts[:, 1] = np.searchsorted(
                np.asarray(open_ends, dtype=np.int64), made.bounds[:, 0], side="right"
            )
            made.count_rows = list(map(tuple, made.counts.tolist()))
        else:
            made.count_rows = [(0, 0)] * len(extent)
            for number in range(len(extent)):
                made.count(number)
        return made

    def count(self, g: int) -> None:
        """Fill group `g`'s row of `counts`."""
        x0, x1 = self.extent[g]
        open_starts, open_ends = self.open_bounds
        row = (bisect.bisect_left(open_starts, x1), bisect.bisect_right(open_ends, x0))
        self.counts[g] = row
        self.count_rows[g] = row

    def absorb(self, i: int, j: int) -> None:
        """Group `j` becomes part of group `i`."""
        for n in self.paragraphs[j] - self.paragraphs[i]:
            self.by_paragraph[n].add(i)
        self.paragraphs[i] |= self.paragraphs[j]
        x, y = self.extent[i], self.extent[j]
        self.extent[i] = (min(x[0], y[0]), max(x[1], y[1]))
        self.bounds[i] = self.extent[i]
        self.count(i)

    def sharing(self, i: int) -> set[int]:
        """The groups holding part of a paragraph group `i` holds part of (`i` among them)."""
        out: set[int] = set()
        for n in self.paragraphs[i]:
            out |= self.by_paragraph[n]
        return out

    def gaps(self, i: int, js: npt.NDArray[np.int64]) -> npt.NDArray[np.int64] | None:
        """How many sentences ``gap(i, j)`` finds (before its limit) for every group `j` of
        `js` at once; None when the sentences' ends decrease (`gap` walks then)."""
        if self.ends is None:
            return None
        # `gap` takes the open sentences from the first starting at ``lo`` or after up to
        # the last ending by ``hi``: as many as end by ``hi``, less those starting before
        # ``lo``, if more (``lo`` is the end of one extent, ``hi`` the start of the other).
        after = self.extent[i][1] <= self.bounds[js, 0]
        started = np.where(after, self.counts[i, 0], self.counts[js, 0])
        ended = np.where(after, self.counts[js, 1], self.counts[i, 1])
        found: npt.NDArray[np.int64] = np.maximum(ended - started, 0)
        return found

    def no_gap(self, i: int, js: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """``gap(i, j, 0) == []`` for every group `j` of `js` at once."""
        found = self.gaps(i, js)
        if found is None:
            return np.fromiter((self.gap(i, int(j), 0) == [] for j in js), bool, len(js))
        empty: npt.NDArray[np.bool_] = found == 0
        return empty

    def before(self, i: int, js: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """``extent[i] < extent[j]`` (as tuples) for every group `j` of `js` at once."""
        x0, x1 = self.extent[i]
        y0, y1 = self.bounds[js, 0], self.bounds[js, 1]
        less: npt.NDArray[np.bool_] = (x0 < y0) | ((x0 == y0) & (x1 < y1))
        return less

    def gap(self, i: int, j: int, limit: int = _BLOCK_GAP) -> list[int] | None:
        """The sentences (of `_GAP_SENTENCE` words or more) lying wholly between groups `i`
        and `j` that no part touches; None when more than `limit`."""
        x, y = self.extent[i], self.extent[j]
        if self.ends is not None and self.open_ is not None:
            # The same sentences as the walk below, from the groups' rows of `counts`: the
            # open sentences starting before the earlier group's end are those before the
            # first sentence starting at it or after, and those ending by the later group's
            # start are those before the last sentence ending by it (the sentences' starts
            # and ends both ascend). Groups far apart on a long document have thousands of
            # sentences between them.
            first, second = (i, j) if x[1] <= y[0] else (j, i)
            o0 = self.count_rows[first][0]
            o1 = max(o0, self.count_rows[second][1])
            return None if o1 - o0 > limit else self.open_[o0:o1]
        lo, hi = (x[1], y[0]) if x[1] <= y[0] else (y[1], x[0])
        first = bisect.bisect_left(self.starts, lo)
        out: list[int] = []
        for k in range(first, len(self.starts)):
            s0, s1 = self.p.sentences[k]
            if s1 > hi:
                break
            if k not in self.touched and s1 - s0 >= _GAP_SENTENCE:
                out.append(k)
                if len(out) > limit:
                    return None
        return out

    def holds_paragraph(self, gap: Sequence[int]) -> bool:
        """Whether the sentences `gap` hold a whole paragraph (one that no part touches)."""
        paragraphs = self.p.paragraphs
        gap_set = set(gap)
        for k in gap:
            first = bisect.bisect_left(paragraphs, paragraphs[k])
            last = bisect.bisect_right(paragraphs, paragraphs[k])
            if all(
                n in gap_set or (n not in self.touched and self._short(n))
                for n in range(first, last)
            ):
                return True
        return False

    def density(self, i: int, j: int, gap: Sequence[int]) -> float:
        """The share of sentences groups `i` and `j` span (theirs and the unmatched ones of
        `gap` between them) that lie in the groups."""
        inside = self.sentence_count(i) + self.sentence_count(j)
        return inside / (inside + len(gap))

    def sentence_count(self, g: int) -> int:
        """The sentences (of `_GAP_SENTENCE` words or more) group `g`'s extent overlaps."""
        x0, x1 = self.extent[g]
        first = max(0, bisect.bisect_right(self.starts, x0) - 1)
        last = max(first, bisect.bisect_left(self.starts, x1) - 1)
        return max(1, sum(1 for k in range(first, last + 1) if not self._short(k)))

    def _short(self, k: int) -> bool:
        s0, s1 = self.p.sentences[k]
        return s1 - s0 < _GAP_SENTENCE

    def stems(
        self,
        sentences: Sequence[int],
        weight: Callable[[str], float],
        outside: Sequence[tuple[int, int]] = (),
    ) -> set[str]:
        """The content stems of `sentences`, leaving out the tokens of the ranges `outside`."""
        roots = self.p.roots
        left_out = {t for x0, x1 in outside for t in range(x0, x1)}
        return {
            roots[t]
            for k in sentences
            for t in range(*self.p.sentences[k])
            if t not in left_out and weight(roots[t]) > 0
        }


class _Ranges(Sequence[tuple[int, int]]):
    """Token ranges ``(f0, f1)`` with ``f0 <= f1`` (formulae or names of one side), sorted by
    their starts with the least end from each start on: `_between` asks whether one lies
    between two groups for every two groups it compares, and a long pair has hundreds."""

    def __init__(self, ranges: Sequence[tuple[int, int]]) -> None:
        self.ranges = list(ranges)
        ordered = sorted(self.ranges)
        self.starts = [f0 for f0, _ in ordered]
        least = list(itertools.accumulate(reversed([f1 for _, f1 in ordered]), min))
        self.least_end = least[::-1]

    def __len__(self) -> int:
        return len(self.ranges)

    @overload
    def __getitem__(self, k: int) -> tuple[int, int]: ...
    @overload
    def __getitem__(self, k: slice) -> Sequence[tuple[int, int]]: ...
    def __getitem__(self, k: int | slice) -> tuple[int, int] | Sequence[tuple[int, int]]:
        return self.ranges[k]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return iter(self.ranges)

    def within(self, lo: int, hi: int) -> bool:
        """Whether a range lies within ``[lo, hi]``: the least end among the ranges starting
        at `lo` or after is at most `hi`."""
        k = bisect.bisect_left(self.starts, lo)
        return k < len(self.starts) and self.least_end[k] <= hi


def _between(fixed: Sequence[tuple[int, int]], x: tuple[int, int], y: tuple[int, int]) -> bool:
    """Whether one of the token ranges `fixed` lies between token ranges `x` and `y`."""
    lo, hi = (x[1], y[0]) if x[1] <= y[0] else (y[1], x[0])
    if isinstance(fixed, _Ranges):
        return fixed.within(lo, hi)
    return any(lo <= f0 and f1 <= hi for f0, f1 in fixed)


def _one_reuse(
    side_a: _Side,
    side_b: _Side,
    fixed: tuple[Sequence[tuple[int, int]], Sequence[tuple[int, int]]],
    weight: Callable[[str], float],
    i: int,
    j: int,
    names: tuple[Sequence[tuple[int, int]], Sequence[tuple[int, int]]] = ((), ()),
    *,
    evidence: bool = True,
    reworded: bool = True,
) -> bool:
    """Whether groups `i` and `j` are one reuse: next to each other on both sides (or one side
    leaving sentences out, `_skipped`), with no formula (`fixed`) between, nor a name
    (`names`) unless it lies in a sentence reworded on both sides (`_reworded_name`). A group
    `j` that is no `evidence` of its own (echoes only: "development partners", which both
    texts use) joins across unmatched sentences only a `reworded` group (one holding a
    paraphrase), and, when they lie on both sides, only if those were reworded too (they share
    `_GAP_SHARED` content stems side to side); on one side only, it is a sentence next to the
    group that the other side's summary skipped to. Next to a verbatim group, it joins only in
    the same order on both sides."""
    gap_a, gap_b = side_a.gap(i, j, _SKIP_GAP), side_b.gap(i, j, _SKIP_GAP)
    if gap_a is None or gap_b is None:
        return False
    if not evidence and not reworded and (gap_a or gap_b or not _same_order(side_a, side_b, i, j)):
        # (Echoes out of order beside a verbatim passage are words both texts use, "Pacific
        # area": taken in, they would stretch the passage over a rewritten paragraph.)
        return False
    if not evidence and gap_a and gap_b:
        shared = side_a.stems(gap_a, weight) & side_b.stems(gap_b, weight)
        if len(shared) < _GAP_SHARED:
            return False
    if _between(fixed[0], side_a.extent[i], side_a.extent[j]) or _between(
        fixed[1], side_b.extent[i], side_b.extent[j]
    ):
        return False
    if (
        _between(names[0], side_a.extent[i], side_a.extent[j])
        or _between(names[1], side_b.extent[i], side_b.extent[j])
    ) and not _reworded_name(side_a, side_b, names, weight, gap_a, gap_b):
        return False
    if max(len(gap_a), len(gap_b)) > _BLOCK_GAP:
        return _skipped(side_a, side_b, i, j, gap_a, gap_b)
    if not side_a.holds_paragraph(gap_a) and not side_b.holds_paragraph(gap_b):
        return True  # a sentence or two left out, added or reworded inside paragraphs
    if not gap_a or not gap_b:
        # A paragraph on one side only: an insertion between two reuses, unless the reuse
        # around it is dense enough to be one summarised section (`_skipped`).
        return _skipped(side_a, side_b, i, j, gap_a, gap_b)
    # Paragraphs between on both sides: one reuse when they were reworded too.
    shared = side_a.stems(gap_a, weight) & side_b.stems(gap_b, weight)
    return len(shared) >= _GAP_SHARED


def _crossing(side_a: _Side, side_b: _Side, alive: npt.NDArray[np.bool_], i: int, j: int) -> bool:
    """Whether another group lies wholly between groups `i` and `j` on one side and not on the
    other. Joined, `i` and `j` would enclose a reuse that maps elsewhere: the DPRK's 2012 and
    2013 speeches made one "reworded sentence group" of 36 shared words over 6,600 characters
    of 2012, five other passages inside it, because the sentences between its parts were
    other groups' (`_Side.gap` counts only the sentences no part touches)."""
    inside = []
    for side in (side_a, side_b):
        within = alive & _wholly_between(side, side.bounds, i, j)
        within[[i, j]] = False
        inside.append(within)
    return bool((inside[0] != inside[1]).any())


def _wholly_between(
    side: _Side, bounds: npt.NDArray[np.int64], i: int, j: int
) -> npt.NDArray[np.bool_]:
    """Which extents `bounds` (one row each) lie wholly between groups `i` and `j` on `side`."""
    x, y = side.extent[i], side.extent[j]
    lo, hi = (x[1], y[0]) if x[1] <= y[0] else (y[1], x[0])
    within: npt.NDArray[np.bool_] = (bounds[:, 0] >= lo) & (bounds[:, 1] <= hi)
    return within


def _moved_between(
    side_a: _Side,
    side_b: _Side,
    first: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]],
    own: Sequence[set[int]],
    i: int,
    j: int,
) -> bool:
    """Whether a part of the pair that groups `i` and `j` do not hold (a group as it came,
    extents `first` on each side; `own`: the ones each group holds) lies wholly between them
    on one side and not on the other. Two groups running on from each other across a paragraph
    break on one side only because the paragraphs between them there were reused elsewhere on
    the other are a move, not one stretch: the bullets a release's notes list in another order
    than the notes they were copied from (git 2.9.3 beside 2.10.0) were one passage over the
    bullets moved out from between them. Unlike `_crossing`, this reads the parts as they came,
    not the groups merges make, so its answer for two groups changes only when one of them
    grows."""
    moved = _wholly_between(side_a, first[0], i, j) != _wholly_between(side_b, first[1], i, j)
    if not moved.any():
        return False
    moved[list(own[i] | own[j])] = False
    return bool(moved.any())


def _reworded_name(
    side_a: _Side,
    side_b: _Side,
    names: tuple[Sequence[tuple[int, int]], Sequence[tuple[int, int]]],
    weight: Callable[[str], float],
    gap_a: Sequence[int],
    gap_b: Sequence[int],
) -> bool:
    """Whether the name between two parts lies in sentences reworded on both sides: unmatched
    sentences between them on each side that share `_GAP_SHARED` content stems besides the
    names' (a name on a line of its own, a letterhead or a signature, parts two reuses)."""
    if not gap_a or not gap_b:
        return False
    shared = side_a.stems(gap_a, weight, names[0]) & side_b.stems(gap_b, weight, names[1])
    return len(shared) >= _GAP_SHARED


def _skipped(
    side_a: _Side, side_b: _Side, i: int, j: int, gap_a: list[int], gap_b: list[int]
) -> bool:
    """One side runs on (a sentence at most between) where the other leaves sentences out,
    in the same order on both sides: a summary of one section. Whole paragraphs left out are
    an insertion between two reuses, as in `_one_reuse`, unless the two parts cover most of
    the span they make on that side (`_SUMMARY_DENSITY`)."""
    if len(gap_a) <= len(gap_b):
        (near, near_gap), (far, far_gap) = (side_a, gap_a), (side_b, gap_b)
    else:
        (near, near_gap), (far, far_gap) = (side_b, gap_b), (side_a, gap_a)
    if len(near_gap) > 1 or near.holds_paragraph(near_gap):
        return False
    if far.holds_paragraph(far_gap) and far.density(i, j, far_gap) < _SUMMARY_DENSITY:
        return False
    return _same_order(side_a, side_b, i, j)


def _same_order(side_a: _Side, side_b: _Side, i: int, j: int) -> bool:
    """Groups `i` and `j` come in the same order on both sides."""
    return (side_a.extent[i] < side_a.extent[j]) == (side_b.extent[i] < side_b.extent[j])


def _run_on_all(
    side_a: _Side, side_b: _Side, i: int, js: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """Whether each group of `js` follows group `i` on both sides (or precedes it on both),
    with no unmatched sentence between on either: one stretch of text reused across a
    paragraph break (paragraphs moved come in another order and stay apart). All at once: a
    long pair has hundreds of groups, and `_join_blocks` asks it of every two."""
    if not len(js):
        return np.zeros(0, dtype=bool)
    # Each test only of the groups that passed the ones before (few groups pass them all).
    at = (side_a.before(i, js) == side_b.before(i, js)).nonzero()[0]
    at = at[side_a.no_gap(i, js[at])]
    at = at[side_b.no_gap(i, js[at])]
    ok: npt.NDArray[np.bool_] = np.zeros(len(js), dtype=bool)
    ok[at] = True
    return ok


def _absorb_passes(
    pool: list[list[Match]],
    para: list[bool],
    verbatim: list[bool],
    look: Callable[[int], int],
    finds_grown: Callable[[int, Sequence[int]], bool],
) -> None:
    """Let every group holding a paraphrase or a passage `look` for groups to absorb, pass
    after pass, until a pass merges nothing.

    What a group's look finds depends only on the groups as they stand, which change only by
    a merge: a group that found nothing to absorb finds nothing again until one happens. A
    verbatim group's look reads only its candidates' extents and kinds (and which groups are
    live): after merges, it finds something new only among the groups that grew
    (`finds_grown`), and looks again in full only then.
    """
    merges = 0
    quiet = [-1] * len(pool)  # per group, the merge count when it last found nothing
    grown: list[int] = []  # per merge, the group that absorbed another
    changed = True
    while changed:
        changed = False
        for i in range(len(pool)):
            if not (para[i] or verbatim[i]) or not pool[i] or quiet[i] == merges:
                continue
            if quiet[i] >= 0 and not para[i] and not finds_grown(i, grown[quiet[i] :]):
                quiet[i] = merges
                continue
            found = look(i)
            if found:
                merges += found
                grown += [i] * found
                changed = True
                quiet[i] = -1
            else:
                quiet[i] = merges


def _join_blocks(
    groups: list[list[Match]],
    quoted: list[list[Match]],
    a: Prepared,
    b: Prepared,
    others: Sequence[Match],
    options: Options,
    instances: tuple[Sequence[tuple[int, int]], Sequence[tuple[int, int]]] = ((), ()),
) -> tuple[list[list[Match]], list[Match]]:
    """Groups holding a paraphrase absorb the groups and quotations next to them on both sides
    (`_BLOCK_GAP`), in either order, unless a formula (a shared one, or one side's lexicon
    `instances`) or a name lies between: one block of
    sentences on each side whose parts match each other is one reuse. A verbatim passage does
    too, but only of parts sharing a paragraph with it on one side (sentences shuffled inside
    paragraphs; whole paragraphs moved stay apart), or running on from it on both sides with
    no other part between them on one side only (`_moved_between`). The groups, and the
    quotations left alone."""
    pool = [*groups, *quoted]
    if len(pool) < 2:
        return groups, [m for g in quoted for m in g]
    side_a, side_b = _Side.of(a, pool, "a"), _Side.of(b, pool, "b")
    fixed_a = _Ranges(
        [
            *(token_range(a.tokens, m.a.span) for m in others if m.kind is Kind.FORMULA),
            *instances[0],
        ]
    )
    fixed_b = _Ranges(
        [
            *(token_range(b.tokens, m.b.span) for m in others if m.kind is Kind.FORMULA),
            *instances[1],
        ]
    )
    names_a = _Ranges([token_range(a.tokens, m.a.span) for m in others if m.kind is Kind.NAME])
    names_b = _Ranges([token_range(b.tokens, m.b.span) for m in others if m.kind is Kind.NAME])
    weight = pair_weight(a, b)
    para = [any(m.kind is Kind.PARAPHRASE for m in g) for g in pool]
    words = passage_words(options, a)
    verbatim = [any(m.kind is Kind.PHRASING and not is_echo(m, words) for m in g) for g in pool]

    # `_one_reuse` of two groups reads, besides what no merge changes (the sentences, the
    # parts' touched sentences, formulae and names), only the two groups' extents and kinds:
    # its answer is kept under them (each pass of the loop below asks every pair again, and
    # a long pair has thousands of pairs).
    answers: dict[tuple[object, ...], bool] = {}

    def one_reuse(i: int, j: int) -> bool:
        evidence = para[j] or verbatim[j]  # a paraphrase or a passage, not only echoes
        ext_a, ext_b = side_a.extent, side_b.extent
        key = (i, j, ext_a[i], ext_b[i], ext_a[j], ext_b[j], evidence, para[i])
        known = answers.get(key)
        if known is None:
            fixed, names = (fixed_a, fixed_b), (names_a, names_b)
            known = answers[key] = _one_reuse(
                side_a, side_b, fixed, weight, i, j, names, evidence=evidence, reworded=para[i]
            )
        # (Not kept with the answer: it reads the other groups, which merges change.)
        return known and not (para[i] and _crossing(side_a, side_b, alive, i, j))

    alive = np.ones(len(pool), dtype=bool)
    # The groups as they came (their extents on each side) and which of them each group
    # holds now: `_moved_between` reads them.
    first = (side_a.bounds.copy(), side_b.bounds.copy())
    own = [{g} for g in range(len(pool))]

    def candidates(i: int, j0: int) -> list[int]:
        """The groups from `j0` on that group `i` may absorb, in order: a paraphrase any
        group, a verbatim passage only those sharing one of its paragraphs on one side or
        running on from it (`_run_on_all`)."""
        js = alive[j0:].nonzero()[0] + j0
        return candidates_of(i, js[js != i])

    def candidates_of(i: int, js: npt.NDArray[np.int64]) -> list[int]:
        """`candidates` among the live groups `js` (in order, `i` not among them)."""
        if para[i]:
            # `_one_reuse` refuses at once a group with more than `_SKIP_GAP` sentences
            # between on one side.
            for side in (side_a, side_b):
                found = side.gaps(i, js)
                if found is not None:
                    js = js[found <= _SKIP_GAP]
            return js.tolist()  # type: ignore[no-any-return]
        near = np.zeros(len(pool), dtype=bool)
        near[list(side_a.sharing(i) | side_b.sharing(i))] = True
        far = js[~near[js]]
        on = far[_run_on_all(side_a, side_b, i, far)].tolist()
        near[[j for j in on if not _moved_between(side_a, side_b, first, own, i, j)]] = True
        return js[near[js]].tolist()  # type: ignore[no-any-return]

    def finds_grown(i: int, grown: Sequence[int]) -> bool:
        """Whether verbatim group `i` (no paraphrase) may absorb one of the groups `grown`
        (the groups that absorbed another since `i` last found nothing)."""
        js = np.asarray(sorted({g for g in grown if alive[g] and g != i}), dtype=np.int64)
        return any(one_reuse(i, j) for j in candidates_of(i, js))

    def absorb(i: int, j: int) -> None:
        pool[i] += pool[j]
        pool[j] = []
        alive[j] = False
        own[i] |= own[j]
        para[i] = para[i] or para[j]
        verbatim[i] = verbatim[i] or verbatim[j]
        side_a.absorb(i, j)
        side_b.absorb(i, j)

    def look(i: int) -> int:
        """Group `i` absorbs every group it may, in order; how many."""
        found = 0
        # Every group j in order; after a merge group i has changed, so the candidates
        # after j are found again.
        j0 = 0
        while j0 < len(pool):
            j = next((j for j in candidates(i, j0) if one_reuse(i, j)), -1)
            if j < 0:
                break
            absorb(i, j)
            found += 1
            j0 = j + 1
        return found

    _absorb_passes(pool, para, verbatim, look, finds_grown)
    order = sorted(
        (sorted(g, key=lambda m: (m.a.span.start, m.b.span.start)) for g in pool if g),
        key=lambda g: (g[0].a.span.start, g[0].b.span.start),
    )
    alone = [g[0] for g in order if len(g) == 1 and g[0].kind is Kind.QUOTATION]
    return [g for g in order if not (len(g) == 1 and g[0].kind is Kind.QUOTATION)], alone


_SENTENCE_REACH = 30
"""Parts of one reworded sentence group lie within this many words (about a sentence)."""


_GAP_SENTENCE = 5
"""A whole sentence of this many words between two parts, on both sides, keeps them apart."""


def _opens_paragraph(p: Prepared, i0: int, i1: int) -> bool:
    """Whether a paragraph starts at a token in ``(i0, i1]`` (after a blank line)."""
    breaks = p.break_list
    k = bisect.bisect_right(breaks, i0)
    return k < len(breaks) and breaks[k] <= i1


def _holds_a_sentence(p: Prepared, i0: int, i1: int) -> bool:
    """Whether tokens ``[i0, i1)`` hold a whole sentence of `_GAP_SENTENCE` words or more."""
    if i1 - i0 < _GAP_SENTENCE:
        return False
    known = _sentence_ends(p)
    if known.ordered and known.starts_ordered:
        # The sentences from the first starting at `i0` or after to the last ending by `i1`,
        # by bisection: the walk below would read every sentence of a long document.
        k0 = bisect.bisect_left(p.sentence_starts, i0)
        k1 = bisect.bisect_right(known.ends, i1, k0)
        o = bisect.bisect_left(known.long, k0)
        return o < len(known.long) and known.long[o] < k1
    return any(i0 <= s0 and s1 <= i1 and s1 - s0 >= _GAP_SENTENCE for s0, s1 in p.sentences)


def _joined(group: list[Match], passage: int) -> Match:
    """One passage of a group: a paraphrase when a part is one, else one verbatim passage of
    parts in another order (`passage`: the words a passage needs, `passage_words`)."""
    words = sum(m.words for m in group)
    shared = tuple(dict.fromkeys(w for m in group for w in m.shared))
    if any(m.kind is Kind.PARAPHRASE for m in group):
        reworded = [m for m in group if m.kind is Kind.PARAPHRASE]
        # An echo inside a reworded part (on both sides) is among its shared words already:
        # counted again, at 100, it would lift the group's words and score twice.
        counted = [
            m
            for m in group
            if m.kind is Kind.PARAPHRASE
            or not (is_echo(m, passage) and any(_within(m, p) for p in reworded))
        ]
        words = sum(m.words for m in counted)
        verbatim = sum(m.words for m in counted if m.kind is not Kind.PARAPHRASE)
        return _group_match(
            group,
            Kind.PARAPHRASE,
            f"paraphrase: a reworded sentence group of {len(group)} parts, {verbatim} of its "
            f"{words} shared words in verbatim runs; {len(shared)} distinct content words "
            f"shared ({', '.join(shared)})",
            counted,
        )
    by_a = sorted(group, key=lambda m: m.a.span.start)
    if all(x.b.span.end <= y.b.span.start for x, y in itertools.pairwise(by_a)):
        # (One side left sentences out, or added some: an abridgement, not a reordering.)
        how = "in the same order on both sides, with sentences left out or added between them"
    else:
        how = "whose sentences come in another order on the two sides"
    return _group_match(
        group,
        Kind.PHRASING,
        f"phrasing: one block of {len(group)} verbatim parts, {words} words, {how}",
    )


def _group_match(
    group: list[Match], kind: Kind, reason: str, counted: list[Match] | None = None
) -> Match:
    """The parts of `group` as one passage of `kind`: both sides' spans joined, their ops
    inside it, the score weighed by the words of the parts `counted` (all by default)."""
    span_a, span_b = group[0].a.span, group[0].b.span
    for m in group[1:]:
        span_a, span_b = span_a.union(m.a.span), span_b.union(m.b.span)
    counted = group if counted is None else counted
    words = sum(m.words for m in counted)
    return Match(
        a=Passage(group[0].a.doc, span_a),
        b=Passage(group[0].b.doc, span_b),
        kind=kind,
        score=round(sum(m.score * m.words for m in counted) / max(1, words), 1),
        words=words,
        ops=_outer_ops(op for m in group for op in m.ops),
        reason=reason,
        shared=tuple(dict.fromkeys(w for m in group for w in m.shared)),
    )


def _outer_ops(ops: Iterable[AlignOp]) -> tuple[AlignOp, ...]:
    """The ops of a group's parts in reading order, each once: an op lying inside another on
    both sides (a part's verbatim run inside a paraphrase's own) is dropped. Of two ops with
    the same spans, the one whose tag comes first in the alphabet ("equal" before "replace")
    is kept: the set's own order would leave that to the process's string hashing."""
    ordered = sorted(
        set(ops), key=lambda op: (op.a.start, -op.a.end, op.b.start, -op.b.end, op.tag)
    )
    kept: list[AlignOp] = []
    for op in ordered:
        if any(_inside(op, k) for k in kept):
            continue
        kept.append(op)
    return tuple(kept)


def _within(m: Match, other: Match) -> bool:
    """Whether both sides of `m` lie inside `other`'s."""
    return other.a.span.contains(m.a.span) and other.b.span.contains(m.b.span)


def _inside(op: AlignOp, other: AlignOp) -> bool:
    return other.a.contains(op.a) and other.b.contains(op.b)


_ELSEWHERE = 0.5
"""A paraphrase is dropped when this share of its span, on either side, is text that other
passages already match with another place."""


def without_double_use(matches: list[Match]) -> list[Match]:
    """Drop a paraphrase whose span, on either side, is mostly text that another passage
    already matches with a different place on the other side: the same words would be shown,
    and counted, as reused twice ("subject to Australian acceptance …" matched verbatim with
    the decision, and again as a rewording of an objection to it). Passages that match the
    paraphrase's own places (verbatim phrases inside a reworded paragraph) do not count. Of two
    paraphrases, the stronger (more shared words, then the higher score) is kept first, and a
    weaker one whose span on either side lies mostly inside it goes: the DPRK's speeches of
    2010 and 2011 showed one paragraph of 2011 as the rewording of two of 2010's, a group of
    19 words inside one of 114."""
    others = [m for m in matches if m.kind is not Kind.PARAPHRASE]
    reworded = [m for m in matches if m.kind is Kind.PARAPHRASE]
    kept: list[Match] = []
    for p in sorted(reworded, key=lambda m: (-m.words, -m.score, m.a.span.start, m.b.span.start)):
        if used_elsewhere(p, others) or any(_under_stronger(p, kept, side) for side in "ab"):
            continue
        kept.append(p)
    chosen = {id(m) for m in kept}
    return [m for m in matches if m.kind is not Kind.PARAPHRASE or id(m) in chosen]


def used_elsewhere(p: Match, others: Sequence[Match]) -> bool:
    """Whether `p`'s span, on either side, is mostly text that `others` match with another
    place on the other side (`without_double_use`; an echo inside a passage on one side)."""
    return _used_on(p, others, "a") or _used_on(p, others, "b")


def not_used_elsewhere(matches: Sequence[Match], others: Sequence[Match]) -> list[Match]:
    """The `matches` that `used_elsewhere` keeps against `others`, in their order. Only a
    match that overlaps one of `others` on a side, away from it on the other, is asked in
    full (two 50,000-word documents: 726 echoes against 118 passages, asked one by one in
    24 ms, most of them touching none)."""
    if not matches or not others:
        return list(matches)

    def spans(ms: Sequence[Match]) -> dict[str, tuple[I64, I64]]:
        """Each side's starts and ends, as columns."""
        out: dict[str, tuple[I64, I64]] = {}
        for side in "ab":
            places = [(m.a if side == "a" else m.b).span for m in ms]
            got = np.asarray([(x.start, x.end) for x in places], dtype=np.int64)
            out[side] = (got[:, :1], got[:, 1:])
        return out

    here, mine = spans(matches), spans(others)
    asks = np.zeros(len(matches), dtype=bool)
    for side, other in (("a", "b"), ("b", "a")):
        (here0, here1), (there0, there1) = here[side], here[other]
        (mine0, mine1), (theirs0, theirs1) = mine[side], mine[other]
        touches = (here1 > mine0.T) & (here0 < mine1.T)
        apart = ~((there1 > theirs0.T) & (there0 < theirs1.T))
        asks |= (touches & apart).any(axis=1)
    return [
        m
        for m, ask in zip(matches, asks.tolist(), strict=True)
        if not ask or not used_elsewhere(m, others)
    ]


def _used_on(p: Match, others: Sequence[Match], side: str) -> bool:
    here = p.a if side == "a" else p.b
    there = p.b if side == "a" else p.a
    covered: list[tuple[int, int]] = []
    for m in others:
        mine, theirs = (m.a, m.b) if side == "a" else (m.b, m.a)
        if mine.span.overlaps(here.span) and not theirs.span.overlaps(there.span):
            covered.append((mine.span.start, mine.span.end))
    return _mostly_covered(here.span, covered)


def _under_stronger(p: Match, stronger: Sequence[Match], side: str) -> bool:
    """Whether `p`'s span on `side` lies mostly inside the spans of `stronger` paraphrases."""
    here = (p.a if side == "a" else p.b).span
    spans = [(q.a if side == "a" else q.b).span for q in stronger]
    return _mostly_covered(here, [(x.start, x.end) for x in spans if x.overlaps(here)])


def _mostly_covered(here: Span, covered: Sequence[tuple[int, int]]) -> bool:
    """Whether more than `_ELSEWHERE` of `here` lies inside the `covered` ranges."""
    size = here.end - here.start
    inside, reach = 0, here.start
    for start, end in sorted((max(a, here.start), min(b, here.end)) for a, b in covered):
        inside += max(0, end - max(start, reach))
        reach = max(reach, end)
    return size > 0 and inside > _ELSEWHERE * size
