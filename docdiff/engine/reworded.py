"""Reworded reuse in the pipeline: paraphrase units found, gated on the score they report, and
joined into one passage per reworded sentence group.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable, Sequence

from docdiff.engine.classify import name_evidence
from docdiff.engine.echoes import _root_counts, is_echo
from docdiff.engine.lexicon import Lexicon
from docdiff.engine.paraphrase import ParaphraseHit
from docdiff.engine.pieces import JOIN_LOOKBACK
from docdiff.engine.prepare import Prepared, covered_ranges, pair_stem_weight, token_range
from docdiff.model import AlignOp, Kind, Match, Passage
from docdiff.options import Options

_PARAPHRASE_SCORE = 40.0
"""The smallest reported paraphrase score (calibrated on Clough "non" answers and unrelated
DFAT pairs of the same year: see tests/benchmarks/bench_false_positives.py)."""


_PARAPHRASE_EVIDENCE = 3.0
"""The least summed rarity of a paraphrase's shared stems, each discounted by how often it
recurs in either document (a topic both documents discuss recurs; borrowed wording need not),
calibrated like `_PARAPHRASE_SCORE`."""


_SECTION_EVIDENCE = 2.0
"""The same least evidence for a reworded section (several sentence pairs sharing rare stems in
the same order on both sides: the order is evidence too), calibrated like `_PARAPHRASE_SCORE`."""


def find_reworded(
    a: Prepared, b: Prepared, matches: Sequence[Match], lexicon: Lexicon, options: Options
) -> list[Match]:
    from docdiff.engine.paraphrase import find_paraphrases

    # Passages already matched, and formula instances (courtesy language is never "reworded
    # rhetoric"), are left out; short echoes are not: a reworded sentence keeps some words.
    kept = [m for m in matches if not is_echo(m, options)]
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
    stem_weight = pair_stem_weight(a, b)
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
    # a courtesy formula and the body of a letter are not one reworded section).
    fixed_a = [(x.start, x.end) for x in a.formula_hits(lexicon)]
    fixed_b = [(x.start, x.end) for x in b.formula_hits(lexicon)]
    for m, ra, rb in zip(kept, ranges_a, ranges_b, strict=True):
        if m.kind in (Kind.FORMULA, Kind.NAME):
            fixed_a.append(ra)
            fixed_b.append(rb)

    def section_ok(h: ParaphraseHit) -> bool:
        # Gated before overlapping hits are dropped, so a section left out leaves its
        # sentences' own hits in place.
        return (
            evidence_of(h) >= _SECTION_EVIDENCE
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
        a_index=a.unit_index(lexicon) if a.kept else None,
        b_index=b.unit_index(lexicon) if b.kept else None,
        a_changed=ranges_a,
        b_changed=ranges_b,
        min_score=_PARAPHRASE_SCORE,
        section_filter=section_ok,
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


def _named_stems(a: Prepared, b: Prepared, pairs: Sequence[tuple[int, int]]) -> set[str]:
    """The shared stems that are names or spelled-out numbers on both sides: two speeches that
    name the same President, country or session share a referent, not wording (numbers in
    digits already weigh nothing)."""
    named: dict[str, bool] = {}
    for i, j in pairs:
        stem = a.roots[i]
        other = a.tokens.keys[i] in _NUMBER_WORDS and b.tokens.keys[j] in _NUMBER_WORDS
        named[stem] = named.get(stem, True) and (
            other or (_capitalised_at(a, i) and _capitalised_at(b, j))
        )
    return {s for s, yes in named.items() if yes}


_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand million billion second third fourth fifth sixth seventh eighth ninth "
    "tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth "
    "nineteenth twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth "
    "hundredth thousandth".split()
)
"""English number words (cardinal and ordinal; "first" is left out: "first-hand", "at first")."""

_TITLE_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|Messrs|Mme|St|H\.E)\.\s*$")
_COMPOUND_HEAD = re.compile(r"[\w\u2019'-]*$")


def _capitalised_at(p: Prepared, i: int) -> bool:
    """True for a capitalised word that does not open a sentence (a name or title word); a
    word inside a hyphenated compound ("Ki-moon", "Secretary-General") goes by the compound's
    first letter, and a word after a title ("Mr. Jeremić") by its own."""
    t = p.tokens
    text = p.doc.text
    start = t.starts[i]
    head = _COMPOUND_HEAD.search(text, max(0, start - 40), start)
    if head is not None and head.start() < start:
        start = head.start()
    if not text[start].isupper():
        return False
    window = text[max(0, start - 12) : start]
    if _TITLE_BEFORE.search(window):
        return True
    before = window[-3:].rstrip(" \t")
    return bool(before) and not before.endswith(("\n", ".", "!", "?", ":", ";", "\u201c", '"'))


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
    openers = {u[0] for u in p.sentences}
    text, starts, keys = p.doc.text, p.tokens.starts, p.tokens.keys
    return {
        p.roots[i]
        for i in range(i0, i1)
        if p.roots[i] in stems
        and text[starts[i]].isupper()
        and (i not in openers or (i > 0 and keys[i - 1] in _TITLES))
    }


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
    for m in kept:
        if m.kind is not Kind.PHRASING:
            continue
        sa = _sentence_bounds(a, token_range(a.tokens, m.a.span))
        sb = _sentence_bounds(b, token_range(b.tokens, m.b.span))
        rest_a = {a.roots[i] for i in range(*sa) if not covered_a[i] and weight(a.roots[i]) > 0}
        rest_b = {b.roots[j] for j in range(*sb) if not covered_b[j] and weight(b.roots[j]) > 0}
        rest = rest_a & rest_b
        if len(rest) < _COMPLETION_SHARED:
            continue
        all_a = {a.roots[i] for i in range(*sa) if weight(a.roots[i]) > 0}
        all_b = {b.roots[j] for j in range(*sb) if weight(b.roots[j]) > 0}
        common = all_a & all_b
        total = sum(map(weight, all_a)) + sum(map(weight, all_b))
        dice = 2 * sum(map(weight, common)) / total if total > 0 else 0.0
        if dice < _COMPLETION_DICE:
            continue
        in_a = [i for i in range(*sa) if not covered_a[i] and a.roots[i] in rest]
        in_b = [j for j in range(*sb) if not covered_b[j] and b.roots[j] in rest]
        first_b: dict[str, int] = {}
        for j in in_b:
            first_b.setdefault(b.roots[j], j)
        seen: dict[str, int] = {}
        for i in in_a:
            seen.setdefault(a.roots[i], i)
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
    starts = [u[0] for u in p.sentences]
    first = p.sentences[max(0, bisect.bisect_right(starts, span[0]) - 1)]
    last = p.sentences[max(0, bisect.bisect_right(starts, span[1] - 1) - 1)]
    return first[0], last[1]


def join_sections(matches: list[Match], a: Prepared, b: Prepared, options: Options) -> list[Match]:
    """One passage per reworded sentence group: a paraphrase joins the phrasing passages and
    echoes (its verbatim runs) and the paraphrases that overlap it or follow it in the same
    order on both sides across a small gap; the verbatim runs become ops inside it."""
    if not any(m.kind is Kind.PARAPHRASE for m in matches):
        return matches
    joinable = (Kind.PHRASING, Kind.PARAPHRASE)
    parts = sorted(
        (m for m in matches if m.kind in joinable), key=lambda m: (m.a.span.start, m.b.span.start)
    )
    others = [m for m in matches if m.kind not in joinable]
    groups: list[list[Match]] = []
    ends: list[tuple[int, int, int, int]] = []  # per group: a end, b start, b end (tokens), words
    for m in parts:
        (a0, a1), (b0, b1) = token_range(a.tokens, m.a.span), token_range(b.tokens, m.b.span)
        best = -1
        for g in range(len(groups) - 1, max(-1, len(groups) - 1 - JOIN_LOOKBACK), -1):
            last_a, first_b, last_b, size = ends[g]
            if m.kind is not Kind.PARAPHRASE and all(
                x.kind is not Kind.PARAPHRASE for x in groups[g]
            ):
                continue
            if b0 < first_b and not (a0 < last_a and first_b - b1 <= _SENTENCE_REACH):
                # Another order in B: a move, not one section -- unless it lies inside the
                # group in A and next to it in B (a sentence moved within a reworded section).
                continue
            gap_a, gap_b = a0 - last_a, b0 - last_b
            if _holds_a_sentence(a, last_a, a0) and _holds_a_sentence(b, last_b, b0):
                continue  # a sentence on each side between them: two reuses, not one group
            if _opens_paragraph(a, last_a, a0) and _opens_paragraph(b, last_b, b0):
                continue  # a letterhead or another paragraph on both sides: not one group
            # Reworded sentences of one group lie within a sentence of each other.
            limit = _SENTENCE_REACH
            if max(gap_a, gap_b) <= limit:
                best = g
                break
        if best < 0:
            groups.append([m])
            ends.append((a1, b0, b1, m.words))
        else:
            groups[best].append(m)
            last_a, first_b, last_b, size = ends[best]
            ends[best] = (max(last_a, a1), min(first_b, b0), max(last_b, b1), size + m.words)
    joined = [g[0] if len(g) == 1 else _paraphrase_group(g) for g in groups]
    return [*others, *joined]


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
    return any(i0 <= s0 and s1 <= i1 and s1 - s0 >= _GAP_SENTENCE for s0, s1 in p.sentences)


def _paraphrase_group(group: list[Match]) -> Match:
    span_a, span_b = group[0].a.span, group[0].b.span
    for m in group[1:]:
        span_a, span_b = span_a.union(m.a.span), span_b.union(m.b.span)
    words = sum(m.words for m in group)
    shared = tuple(dict.fromkeys(w for m in group for w in m.shared))
    verbatim = sum(m.words for m in group if m.kind is Kind.PHRASING)
    return Match(
        a=Passage(group[0].a.doc, span_a),
        b=Passage(group[0].b.doc, span_b),
        kind=Kind.PARAPHRASE,
        score=round(sum(m.score * m.words for m in group) / max(1, words), 1),
        words=words,
        ops=tuple(sorted((op for m in group for op in m.ops), key=lambda op: op.a.start)),
        reason=(
            f"paraphrase: a reworded sentence group of {len(group)} parts, {verbatim} of its "
            f"{words} shared words in verbatim runs; {len(shared)} distinct content words "
            f"shared ({', '.join(shared)})"
        ),
        shared=shared,
    )
