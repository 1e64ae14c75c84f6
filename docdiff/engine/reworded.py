"""Reworded reuse in the pipeline: paraphrase units found, gated on the score they report, and
joined into one passage per reworded sentence group.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Sequence

from docdiff.engine.classify import name_evidence
from docdiff.engine.echoes import is_echo
from docdiff.engine.lexicon import Lexicon
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
    )
    out = []
    count_a, count_b = Counter(a.roots), Counter(b.roots)
    for h in hits:
        evidence = sum(
            stem_weight(s)
            / ((1.0 + math.log(max(1, count_a[s]))) * (1.0 + math.log(max(1, count_b[s]))))
            for s in h.shared
        )
        if evidence < _PARAPHRASE_EVIDENCE:
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
                ),
                shared=forms,
            )
        )
    return out


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
    ends: list[tuple[int, int, int]] = []  # per group: a end, b end (tokens), words
    for m in parts:
        (a0, a1), (b0, b1) = token_range(a.tokens, m.a.span), token_range(b.tokens, m.b.span)
        best = -1
        for g in range(len(groups) - 1, max(-1, len(groups) - 1 - JOIN_LOOKBACK), -1):
            last_a, last_b, size = ends[g]
            first = groups[g][0]
            if m.kind is not Kind.PARAPHRASE and all(
                x.kind is not Kind.PARAPHRASE for x in groups[g]
            ):
                continue
            if m.b.span.start < first.b.span.start:
                continue  # another order in B: a move, not one section
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
            ends.append((a1, b1, m.words))
        else:
            groups[best].append(m)
            last_a, last_b, size = ends[best]
            ends[best] = (max(last_a, a1), max(last_b, b1), size + m.words)
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
