"""Echoes: short shared phrases below the passage size, reworded or rare two-word pairs, ranked
by distinctiveness.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace

from docdiff.engine.prepare import Prepared, covered_tokens, pair_stem_weight, token_range
from docdiff.model import AlignOp, Kind, Match, Passage
from docdiff.options import Options


def split_echoes(
    matches: Sequence[Match], a: Prepared, b: Prepared, options: Options
) -> tuple[list[Match], list[Match]]:
    """Passages, and echoes: isolated shared phrases shorter than a passage, ranked by how
    distinctive they are (rare words that are not a topic of either document)."""
    passages: list[Match] = []
    echoes: list[Match] = []
    for m in matches:
        if m.kind in (Kind.FORMULA, Kind.PARAPHRASE) or m.words >= options.passage_words:
            passages.append(m)
        else:
            echoes.append(replace(m, distinctiveness=_distinctiveness(m, a, b)))
    return passages, rank_echoes(echoes)


def rank_echoes(echoes: list[Match]) -> list[Match]:
    return sorted(
        echoes, key=lambda m: (-(m.distinctiveness or 0.0), m.a.span.start, m.b.span.start)
    )


_ECHO_REACH = 4
"""Two content words form a reworded echo's seed when they stand within this many words."""


_ECHO_EVIDENCE = 1.0
"""The least topic-discounted rarity of a reworded echo's shared stems."""


_ECHO_STEMS = 3
"""A reworded echo shares at least this many distinct content stems (two common words close
together, "great deal", "file AA", say nothing)."""
"""The least topic-discounted rarity of a reworded echo's shared stems."""


def reworded_echoes(
    a: Prepared, b: Prepared, matches: Sequence[Match], options: Options
) -> list[Match]:
    """Short reworded phrases both texts share: two or more rare content stems standing close
    together in each ("hostile forces" / "forces hostile to", "genuine human rights are
    protected and promoted" / "genuine promotion and protection of human rights"), outside the
    passages and echoes found so far, and not a topic of either document."""
    covered_a = covered_tokens(a.tokens, (m.a.span for m in matches))
    covered_b = covered_tokens(b.tokens, (m.b.span for m in matches))
    no_cover_a, no_cover_b = [False] * len(a.tokens), [False] * len(b.tokens)
    both = set(a.roots) & set(b.roots)
    pairs_a = _close_pairs(a, no_cover_a, both)
    pairs_b = _close_pairs(b, no_cover_b, both)
    count_a, count_b = Counter(a.roots), Counter(b.roots)
    stem_weight = pair_stem_weight(a, b)
    found: list[tuple[int, int, int, int, set[str]]] = []
    shared_keys = sorted(pairs_a.keys() & pairs_b.keys(), key=lambda k: (pairs_a[k][0], sorted(k)))
    for key in shared_keys:
        if len(pairs_a[key]) > 2 or len(pairs_b[key]) > 2:
            continue  # a collocation the document keeps using: its topic
        # An occurrence may echo wording the other text already reuses elsewhere (one side
        # inside a passage), never two occurrences both already paired.
        free = [
            (x, y)
            for x in pairs_a[key]
            for y in pairs_b[key]
            if not (any(covered_a[x[0] : x[1] + 1]) and any(covered_b[y[0] : y[1] + 1]))
        ]
        if not free:
            continue
        (i0, i1), (j0, j1) = free[0]
        for f in found:
            if f[0] <= i1 and i0 <= f[1] and f[2] <= j1 and j0 <= f[3]:
                f[4].update(key)
                found[found.index(f)] = (
                    min(f[0], i0),
                    max(f[1], i1),
                    min(f[2], j0),
                    max(f[3], j1),
                    f[4],
                )
                break
        else:
            found.append((i0, i1, j0, j1, set(key)))
    out = []
    for i0, i1, j0, j1, stems in found:
        evidence = sum(
            stem_weight(s)
            / ((1.0 + math.log(max(1, count_a[s]))) * (1.0 + math.log(max(1, count_b[s]))))
            for s in stems
        )
        if evidence < _ECHO_EVIDENCE or len(stems) < max(_ECHO_STEMS, options.min_words):
            continue
        pairs = [
            (i, next(j for j in range(j0, j1 + 1) if b.roots[j] == a.roots[i]))
            for i in range(i0, i1 + 1)
            if a.roots[i] in stems
        ]
        verbatim = i1 - i0 == j1 - j0 and a.ids[i0 : i1 + 1] == b.ids[j0 : j1 + 1]
        forms = tuple(dict.fromkeys(a.tokens.forms[i] for i, _ in pairs))
        out.append(
            Match(
                a=Passage(a.doc.id, a.tokens.range_span(i0, i1 + 1)),
                b=Passage(b.doc.id, b.tokens.range_span(j0, j1 + 1)),
                kind=Kind.PHRASING if verbatim else Kind.PARAPHRASE,
                score=round(100.0 * 2 * len(pairs) / (i1 - i0 + j1 - j0 + 2), 1),
                words=len(stems),
                ops=tuple(AlignOp("equal", a.tokens.span(i), b.tokens.span(j)) for i, j in pairs),
                reason=(
                    f"{'phrasing' if verbatim else 'paraphrase'}: a short "
                    f"{'shared' if verbatim else 'reworded'} phrase; {len(forms)} distinct content "
                    f"words close together in both ({', '.join(forms)}), evidence {evidence:.1f}"
                ),
                shared=forms,
                distinctiveness=round(100.0 * (1.0 - math.exp(-evidence / 2.0)), 1),
            )
        )
    return out


def _close_pairs(
    p: Prepared, covered: Sequence[bool], keep: set[str]
) -> dict[frozenset[str], list[tuple[int, int]]]:
    """Pairs of distinct content stems (among `keep`, the stems both texts use) standing
    within `_ECHO_REACH` words, by stem pair."""
    roots = p.roots
    content = [
        i
        for i in range(len(p.tokens))
        if not covered[i] and roots[i] in keep and p.stem_weight(roots[i]) > 0.0
    ]
    out: dict[frozenset[str], list[tuple[int, int]]] = defaultdict(list)
    for n, i in enumerate(content):
        for j in content[n + 1 :]:
            if j - i > _ECHO_REACH:
                break
            if p.roots[i] != p.roots[j] and max(p.weights[i], p.weights[j]) >= 1.0:
                out[frozenset((p.roots[i], p.roots[j]))].append((i, j))
    return out


_PAIR_TOPIC = 2
"""A two-word phrase used more often than this in either document is its topic, not an echo."""


def rare_pair_echoes(a: Prepared, b: Prepared, found: Sequence[Match]) -> list[Match]:
    """Two-word phrases both texts share verbatim ("hostile forces") that are rare in general
    language and in official speech (`rarity.rare_pair`), used at most twice in each document
    (not a topic term), not a name (both words capitalised), and outside what is found."""
    from docdiff.text.rarity import rare_pair

    covered_a = covered_tokens(a.tokens, (m.a.span for m in found))
    covered_b = covered_tokens(b.tokens, (m.b.span for m in found))
    lang = a.tokens.language()
    if lang != b.tokens.language():
        return []

    def bigrams(p: Prepared, covered: Sequence[bool]) -> dict[tuple[str, str], list[int]]:
        out: dict[tuple[str, str], list[int]] = defaultdict(list)
        keys, weights, breaks = p.tokens.keys, p.weights, set(p.break_list)
        for i in range(len(keys) - 1):
            if weights[i] > 0 and weights[i + 1] > 0 and i + 1 not in breaks:
                out[(keys[i], keys[i + 1])].append(i)
        return {k: v for k, v in out.items() if not all(covered[i] or covered[i + 1] for i in v)}

    in_a, in_b = bigrams(a, covered_a), bigrams(b, covered_b)
    out: list[Match] = []
    for pair in sorted(in_a.keys() & in_b.keys(), key=lambda k: in_a[k][0]):
        if max(a.key_counts[pair[0]], b.key_counts[pair[0]]) > 10 * _PAIR_TOPIC:
            continue
        places_a, places_b = in_a[pair], in_b[pair]
        if len(places_a) > _PAIR_TOPIC or len(places_b) > _PAIR_TOPIC:
            continue
        i = next(x for x in places_a if not (covered_a[x] or covered_a[x + 1]))
        j = next((y for y in places_b if not (covered_b[y] or covered_b[y + 1])), None)
        if j is None:
            continue
        raw = [a.doc.text[a.tokens.starts[x] : a.tokens.ends[x]] for x in (i, i + 1)]
        if all(w[:1].isupper() for w in raw):
            continue  # "People's Republic": part of a name, not rhetoric
        forms = (a.tokens.forms[i], a.tokens.forms[i + 1])
        if any(len(f) <= 2 or any(c.isdigit() for c in f) for f in forms):
            continue  # dates, numbers, initials and archive codes ("file AA") are not rhetoric
        if not rare_pair(forms[0], forms[1], lang):
            continue
        m = Match(
            a=Passage(a.doc.id, a.tokens.range_span(i, i + 2)),
            b=Passage(b.doc.id, b.tokens.range_span(j, j + 2)),
            kind=Kind.PHRASING,
            score=100.0,
            words=2,
            ops=(AlignOp("equal", a.tokens.range_span(i, i + 2), b.tokens.range_span(j, j + 2)),),
            reason=(
                f"phrasing: a two-word phrase rare in general language and in official speech "
                f"({' '.join(forms)}), used at most {_PAIR_TOPIC} times in each text"
            ),
            shared=forms,
        )
        out.append(replace(m, distinctiveness=_distinctiveness(m, a, b)))
    return out


def _distinctiveness(m: Match, a: Prepared, b: Prepared) -> float:
    """0-100: the shared words' rarity, discounted for words and phrases that recur inside
    either document (a topic term such as "real estate appraisal" recurs; an echo of another
    text's rhetoric does not)."""
    i0, i1 = token_range(a.tokens, m.a.span)
    j0, _ = token_range(b.tokens, m.b.span)
    count_a, count_b = a.key_counts, b.key_counts
    seen: set[str] = set()
    total = 0.0
    for i in range(i0, i1):
        key = a.tokens.keys[i]
        if key in seen or a.weights[i] <= 0:
            continue
        seen.add(key)
        recur = max(count_a.get(key, 1), count_b.get(key, 1))
        total += a.weights[i] / (1.0 + math.log(recur))
    if i0 < len(a.hashes) and j0 < len(b.hashes):
        phrase = max(len(a.positions.get(a.hashes[i0], ())), len(b.positions.get(b.hashes[j0], ())))
        total /= max(1, phrase)
    return round(100.0 * (1.0 - math.exp(-total / 2.0)), 1)


def distinct_names(matches: list[Match], a: Prepared) -> list[Match]:
    """Show each reused name once: later occurrences, and names inside a longer reused name,
    add nothing for a reader (they still count in the pair's coverage)."""
    kept: list[tuple[str, ...]] = []
    counts: dict[tuple[str, ...], int] = {}
    drop: set[int] = set()
    names = [m for m in matches if m.kind is Kind.NAME]
    for m in sorted(names, key=lambda m: (-m.words, m.a.span.start, m.b.span.start)):
        i0, i1 = token_range(a.tokens, m.a.span)
        keys = tuple(a.tokens.keys[i0:i1])
        joined = " ".join(keys)
        home = next((k for k in kept if f" {joined} " in f" {' '.join(k)} "), None)
        if home is None:
            kept.append(keys)
            counts[keys] = 1
        else:
            counts[home] += 1
            drop.add(id(m))
    out = []
    for m in matches:
        if id(m) in drop:
            continue
        n = 1
        if m.kind is Kind.NAME:
            i0, i1 = token_range(a.tokens, m.a.span)
            n = counts.get(tuple(a.tokens.keys[i0:i1]), 1)
        out.append(
            replace(m, reason=f"{m.reason}; reused {n} times in all (shown once)") if n > 1 else m
        )
    return out


def is_echo(m: Match, options: Options) -> bool:
    return m.kind not in (Kind.FORMULA, Kind.PARAPHRASE) and m.words < options.passage_words
