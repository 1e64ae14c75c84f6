"""Formula mining: the corpus's recurring templates, fixed words plus ``{…}`` slots.

1. Count in how many documents every word k-gram occurs; k-grams in at least `min_df` documents
   are *frequent*. Very common wording is exactly what a formula is made of.
2. In each document, runs of tokens covered by frequent k-grams, joined across short gaps (the
   slots), form *regions*: candidate formula instances.
3. Regions sharing their most frequent k-gram (the anchor) form a cluster. The cluster's members
   are aligned one by one against a reference member (rapidfuzz Indel opcodes on token lists):
   reference words that most members share are the template's fixed words, the rest are slots.
4. Names and titles (mostly capitalised content words) are not formulae and are dropped.

`to_lexicon` writes the templates in the lexicon syntax that ``--formulae`` reads back.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from docdiff.corpus.metadata import date_of
from docdiff.index.arrays import U64, DocTokens, kgram_array
from docdiff.model import Document, Formula, Passage, Report, Span

if TYPE_CHECKING:
    from docdiff.corpus.scan import CorpusArrays
    from docdiff.index import CorpusIndex

__all__ = ["Region", "find_regions", "formulae_report", "mine", "template_of", "to_lexicon"]

SLOT = "{…}"
Progress = Callable[[str, int, int], None]
_MAX_REGION = 40
_EXAMPLES = 5
_EDGE = 0.15
"""An instance in the first or last 15% of a document's words is at its edge."""
_EDGE_SHARE = 0.5
"""A short template must be at the edge in half its documents (uniform text: 30%)."""
_LONG_FIXED = 6
"""Templates with this many fixed words are formulae wherever they stand."""


@dataclass(frozen=True, slots=True)
class Region:
    """A candidate formula instance: tokens ``[start, end)`` of document `doc` (a position)."""

    doc: int
    start: int
    end: int
    anchor: int
    """The region's most frequent k-gram hash (its cluster key)."""


def find_regions(
    tokens: DocTokens,
    doc: int,
    k: int,
    uniq: U64,
    counts: npt.NDArray[np.int64],
    *,
    min_df: int,
    max_gap: int = 6,
    min_fixed: int = 4,
) -> list[Region]:
    """Runs of tokens covered by frequent k-grams, joined over gaps of at most `max_gap` words."""
    kg = kgram_array(tokens.hashes, k)
    if len(kg) == 0:
        return []
    pos = np.minimum(np.searchsorted(uniq, kg), len(uniq) - 1)
    df = np.where(uniq[pos] == kg, counts[pos], 0)
    frequent = df >= min_df
    if not frequent.any():
        return []
    n = len(tokens)
    cover = np.zeros(n + 1, dtype=np.int32)
    starts = np.flatnonzero(frequent)
    np.add.at(cover, starts, 1)
    np.add.at(cover, starts + k, -1)
    covered = np.cumsum(cover[:n]) > 0
    # Runs of covered tokens.
    edges = np.flatnonzero(np.diff(np.concatenate(([0], covered.astype(np.int8), [0]))))
    runs = list(zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True))
    regions: list[Region] = []
    cur: list[tuple[int, int]] = []

    def close() -> None:
        if not cur:
            return
        fixed = sum(e - s for s, e in cur)
        if fixed >= min_fixed:
            s0, e0 = cur[0][0], cur[-1][1]
            window = df[s0 : max(s0 + 1, e0 - k + 1)]
            best = s0 + int(np.argmax(window))
            regions.append(Region(doc, s0, e0, int(kg[best])))

    for s, e in runs:
        if cur and s - cur[-1][1] <= max_gap and e - cur[0][0] <= _MAX_REGION:
            cur.append((s, e))
        else:
            close()
            cur = [(s, e)]
    close()
    return regions


def template_of(
    reference: Sequence[int], members: Sequence[Sequence[int]], *, support: float = 0.6
) -> tuple[list[bool], list[list[tuple[int, int] | None]]]:
    """Which reference tokens are fixed (shared by `support` of members) and each member's map.

    Returns ``fixed`` (one flag per reference token) and, per member, for every reference token
    the member token range it aligned to when equal (else None).
    """
    from rapidfuzz.distance import Indel

    hits = np.zeros(len(reference), dtype=np.int32)
    maps: list[list[tuple[int, int] | None]] = []
    for member in members:
        mapping: list[tuple[int, int] | None] = [None] * len(reference)
        for op in Indel.opcodes(reference, member):
            if op.tag == "equal":
                for offset in range(op.src_end - op.src_start):
                    i = op.src_start + offset
                    hits[i] += 1
                    mapping[i] = (op.dest_start + offset, op.dest_start + offset + 1)
        maps.append(mapping)
    need = max(1, math.ceil(support * len(members)))
    return [bool(h >= need) for h in hits], maps


def mine(
    corpus: CorpusArrays,
    *,
    k: int = 4,
    min_docs: int | None = None,
    limit: int = 40,
    progress: Progress | None = None,
) -> tuple[Formula, ...]:
    """The corpus's recurring formulae, most widespread first."""
    from docdiff.corpus.scan import document_frequencies

    tokens = corpus.tokens
    n = len(tokens)
    if n < 2:
        return ()
    min_df = min_docs if min_docs is not None else max(3, math.ceil(0.005 * n))
    kgram_sets = [np.unique(kgram_array(t.hashes, k)) for t in tokens]
    uniq, counts = document_frequencies(kgram_sets)
    del kgram_sets
    groups: dict[int, list[Region]] = {}
    for i, t in enumerate(tokens):
        for region in find_regions(t, i, k, uniq, counts, min_df=min_df):
            groups.setdefault(region.anchor, []).append(region)
        if progress and (i % 200 == 0 or i == n - 1):
            progress("regions", i + 1, n)
    ranked = sorted(
        (g for g in groups.values() if len({r.doc for r in g}) >= min_df),
        key=lambda g: (-len({r.doc for r in g}), g[0].doc, g[0].start),
    )
    formulae: dict[str, Formula] = {}
    for done, group in enumerate(ranked, start=1):
        if progress:
            progress("templates", done, len(ranked))
        for formula in _formulae_from(group, corpus, min_df=min_df):
            known = formulae.get(formula.template)
            if known is None or known.doc_freq < formula.doc_freq:
                formulae[formula.template] = formula
        if len(formulae) >= limit * 2:
            break
    for formula in _edge_formulae(corpus, min_df=min_df):
        formulae.setdefault(formula.template, formula)
    out = sorted(formulae.values(), key=lambda f: (-f.doc_freq, f.template))
    return tuple(_drop_contained(out)[:limit])


_COURTESY = frozenset(
    """
    dear sir sirs madam excellency sincerely faithfully truly kindest respectfully obedient
    servant greetings
    """.split()
)
"""The vocabulary of salutations and closings (longer formulae are the main miner's)."""


def _edge_formulae(corpus: CorpusArrays, *, min_df: int) -> list[Formula]:
    """Short salutations and closings ("Yours sincerely {…}", "Dear Sir").

    The main miner needs three fixed words; a closing is often two, followed by a signature
    that changes from letter to letter. Here 2- and 3-word sequences holding a word of the
    vocabulary of courtesy are counted, and kept when they recur in `min_df` documents.
    """
    from docdiff.text.seeds import token_hash
    from docdiff.text.tokens import fuzzy_key, is_stopword

    courtesy = {token_hash(fuzzy_key(w)) for w in _COURTESY}
    tokens = corpus.tokens
    seen: dict[tuple[str, tuple[int, ...]], list[tuple[int, int]]] = {}
    for d, t in enumerate(tokens):
        h = t.hashes.tolist()
        n = len(h)
        got: set[tuple[str, tuple[int, ...]]] = set()
        for p in (p for p, x in enumerate(h) if x in courtesy):
            for size in (3, 2):
                for i in range(max(0, p - size + 1), min(p, n - size) + 1):
                    key = ("any", tuple(h[i : i + size]))
                    if key not in got:
                        got.add(key)
                        seen.setdefault(key, []).append((d, i))
    frequent = {key: places for key, places in seen.items() if len(places) >= min_df}
    # A pair inside a frequent triple with (nearly) the same documents adds nothing.
    keep = []
    for (side, gram), places in frequent.items():
        if len(gram) == 2:
            longer = [
                p
                for (s2, g2), p in frequent.items()
                if s2 == side and len(g2) == 3 and (g2[:2] == gram or g2[1:] == gram)
            ]
            if any(len(p) >= 0.8 * len(places) for p in longer):
                continue
        if len(gram) == 3:
            shorter = [frequent.get((side, gram[:2]), []), frequent.get((side, gram[1:]), [])]
            if any(len(p) >= 1.5 * len(places) for p in shorter):
                continue  # "my dear {…}" already says it; "confidential my dear" adds a header
        keep.append((side, gram, places))
    out: list[Formula] = []
    for _side, gram, places in sorted(keep, key=lambda x: -len(x[2]))[:20]:
        d, i = places[0]
        ref = corpus.fetch([d])[0]
        toks = tokens[d]
        region = Region(d, i, i + len(gram), 0)
        forms, keys, raw = _region_words(ref.text, toks, region)
        if len(forms) != len(gram) or all(is_stopword(k) for k in keys):
            continue
        if any(f.isdigit() or len(f) == 1 for f in forms):
            continue  # dates, numbers and initials belong to signatures and headers
        content = [j for j, k in enumerate(keys) if not is_stopword(k)]
        courteous = any(forms[j] in _COURTESY or keys[j] in _COURTESY for j in content)
        capitalised = sum(1 for j in content if raw[j][:1].isupper())
        if not courteous and capitalised >= 0.6 * len(content):
            continue  # a recurring signature or title is a name, not a formula
        if not courteous:
            continue  # only the vocabulary of courtesy makes a short edge sequence a formula
        titled = any(
            forms[j] in {"sir", "madam", "dame"} and raw[j + 1][:1].isupper()
            for j in range(len(forms) - 1)
        )
        if titled or (forms[-1] in {"sir", "madam"} and _title_use(corpus, places, len(gram))):
            continue  # "Sir Robert Craigie" is a knight's title, not the salutation "Dear Sir,"
        runs_on = sum(1 for d2, i2 in places if i2 + len(gram) < len(tokens[d2]))
        template = " ".join(forms) + (f" {SLOT}" if runs_on * 2 >= len(places) else "")
        dates = sorted(x for x in (date_of(corpus.metas[d2]) for d2, _ in places) if x)
        examples: tuple[tuple[str, ...], ...] = ()
        if template.endswith(SLOT):
            fillers: Counter[str] = Counter()
            for d2, i2 in places[:25]:
                t2 = tokens[d2]
                s, e = i2 + len(gram), min(len(t2), i2 + len(gram) + 4)
                if e > s:
                    doc2 = corpus.fetch([d2])[0]
                    text = doc2.text[int(t2.starts[s]) : int(t2.ends[e - 1])]
                    fillers[" ".join(text.split())] += 1
            examples = (tuple(t for t, _ in fillers.most_common(_EXAMPLES)),)
        out.append(
            Formula(
                template=template,
                doc_freq=len(places),
                slot_examples=examples,
                first_date=dates[0] if dates else None,
                last_date=dates[-1] if dates else None,
                members=tuple(
                    Passage(
                        corpus.ids[d2],
                        Span(int(tokens[d2].starts[i2]), int(tokens[d2].ends[i2 + len(gram) - 1])),
                    )
                    for d2, i2 in places[:50]
                ),
            )
        )
    return out


def _drop_contained(formulae: list[Formula]) -> list[Formula]:
    """Drop a template whose words all sit inside a more widespread template."""
    kept: list[Formula] = []
    for f in formulae:
        words = f" {f.template.replace(SLOT, ' ').strip()} "
        if any(words.strip() and words in f" {g.template.replace(SLOT, ' ')} " for g in kept):
            continue
        kept.append(f)
    return kept


def _formulae_from(
    group: list[Region], corpus: CorpusArrays, *, min_df: int, rounds: int = 4
) -> list[Formula]:
    """Templates of one anchor cluster: align members to a reference, peel off, repeat.

    An anchor such as "the permanent mission of" starts both openings and closings, so one
    cluster may hold several formulae; each round takes the members close to its reference.
    """
    tokens = corpus.tokens
    remaining = list(group)
    out: list[Formula] = []
    for _ in range(rounds):
        if len({r.doc for r in remaining}) < min_df:
            break
        seqs = [tokens[r.doc].hashes[r.start : r.end].tolist() for r in remaining]
        shapes = Counter(tuple(s) for s in seqs)
        common, times = shapes.most_common(1)[0]
        if times >= 2:
            ref_index = next(i for i, s in enumerate(seqs) if tuple(s) == common)
        else:
            order = sorted(range(len(seqs)), key=lambda i: (len(seqs[i]), i))
            ref_index = order[len(order) // 2]
        _, maps = template_of(seqs[ref_index], seqs, support=1.0)
        size = len(seqs[ref_index])
        close = [m for m, mp in enumerate(maps) if sum(1 for x in mp if x) >= 0.5 * size]
        formula = _formula_from(
            [remaining[m] for m in close], [maps[m] for m in close],
            close.index(ref_index), corpus, min_df=min_df,
        )  # fmt: skip
        if formula is not None:
            out.append(formula)
        taken = set(close)
        remaining = [r for m, r in enumerate(remaining) if m not in taken]
    return out


def _formula_from(
    members: list[Region],
    maps: list[list[tuple[int, int] | None]],
    ref_index: int,
    corpus: CorpusArrays,
    *,
    min_df: int,
) -> Formula | None:
    from docdiff.text.tokens import is_stopword

    tokens, metas, fetch = corpus.tokens, corpus.metas, corpus.fetch
    size = len(maps[ref_index])
    need_fixed = max(1, math.ceil(0.6 * len(members)))
    fixed = [sum(1 for mp in maps if mp[i]) >= need_fixed for i in range(size)]
    if sum(fixed) < 3:
        return None
    ref_region = members[ref_index]
    ref_doc = fetch([ref_region.doc])[0]
    forms, keys, raw = _region_words(ref_doc.text, tokens[ref_region.doc], ref_region)
    if len(forms) != size:
        return None
    # Numbers (dates, file references) vary by nature: they are slot material, never fixed.
    fixed = [f and not forms[i].isdigit() for i, f in enumerate(fixed)]
    fixed = _unfix_stopword_runs(fixed, [is_stopword(k) for k in keys])
    if sum(fixed) < 3:
        return None
    # Trim slots and unsupported words at both ends.
    lo = fixed.index(True)
    hi = len(fixed) - fixed[::-1].index(True)
    fixed_idx = [i for i in range(lo, hi) if fixed[i]]
    content = [i for i in fixed_idx if not is_stopword(keys[i])]
    if not content:
        return None
    capitalised = sum(1 for i in content if raw[i][:1].isupper())
    if capitalised / len(content) >= 0.6:
        return None  # a name or a title, not a formula
    parts: list[str] = []
    slots: list[tuple[int, int]] = []  # reference token ranges of the slots
    i = lo
    while i < hi:
        if fixed[i]:
            parts.append(forms[i])
            i += 1
            continue
        j = i
        while j < hi and not fixed[j]:
            j += 1
        parts.append(SLOT)
        slots.append((i, j))
        i = j
    if is_stopword(keys[hi - 1]):
        parts.append(SLOT)  # the phrase runs on: "I have the honour to {…}"
        slots.append((hi, hi))
    template = " ".join(parts)
    # Members carrying at least 80% of the fixed words instantiate the template.
    need = max(1, math.ceil(0.8 * len(fixed_idx)))
    matching = [
        m for m, mapping in enumerate(maps) if sum(1 for i in fixed_idx if mapping[i]) >= need
    ]
    if len({members[m].doc for m in matching}) < min_df:
        return None
    # Openings and closings sit at the edges of documents; idioms ("at the same time") do not.
    edge = sum(1 for m in matching if _at_edge(members[m], len(tokens[members[m].doc])))
    if len(fixed_idx) < _LONG_FIXED and (edge < _EDGE_SHARE * len(matching) or len(fixed_idx) < 3):
        return None
    dates = sorted(d for d in (date_of(metas[members[m].doc]) for m in matching) if d)
    examples = _slot_examples(slots, matching[:25], members, maps, tokens, fetch, hi)
    passages = tuple(
        Passage(
            corpus.ids[members[m].doc],
            Span(
                int(tokens[members[m].doc].starts[members[m].start]),
                int(tokens[members[m].doc].ends[members[m].end - 1]),
            ),
        )
        for m in matching[:50]
    )
    return Formula(
        template=template,
        doc_freq=len({members[m].doc for m in matching}),
        slot_examples=examples,
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
        members=passages,
    )


def _title_use(corpus: CorpusArrays, places: list[tuple[int, int]], size: int) -> bool:
    """True when the word after a sequence is mostly a capitalised name."""
    names = 0
    sample = places[:25]
    for d, i in sample:
        t = corpus.tokens[d]
        if i + size < len(t):
            doc = corpus.fetch([d])[0]
            between = doc.text[int(t.ends[i + size - 1]) : int(t.starts[i + size])]
            following = doc.text[int(t.starts[i + size]) : int(t.starts[i + size]) + 1]
            if not between.strip() and following.isupper():
                names += 1
    return names * 2 > len(sample)


def _unfix_stopword_runs(fixed: list[bool], stop: list[bool]) -> list[bool]:
    """Fixed runs of only function words next to a slot belong to the slot ("the {…} of {…}")."""
    out = list(fixed)
    n = len(fixed)
    i = 0
    while i < n:
        if not fixed[i]:
            i += 1
            continue
        j = i
        while j < n and fixed[j]:
            j += 1
        slot_before = i > 0 and not fixed[i - 1]
        slot_after = j < n and not fixed[j]
        if all(stop[i:j]) and (slot_before or slot_after) and (slot_before or i > 0 or j < n):
            at_start = i == 0 or not any(fixed[:i])
            at_end = j == n or not any(fixed[j:])
            if (
                (slot_before and slot_after)
                or (slot_before and at_end)
                or (slot_after and at_start)
            ):
                for x in range(i, j):
                    out[x] = False
        i = j
    return out


def _at_edge(region: Region, n_tokens: int) -> bool:
    margin = max(30, int(_EDGE * n_tokens))
    return region.start < margin or region.end > n_tokens - margin


def _region_words(
    text: str, toks: DocTokens, region: Region
) -> tuple[list[str], list[str], list[str]]:
    """Forms, keys and original spellings of a region's words (tokenizing only its stretch)."""
    from docdiff.text.tokens import tokenize

    lo = int(toks.starts[region.start])
    hi = int(toks.ends[region.end - 1])
    words = tokenize(text[lo:hi])
    raw = [text[lo + s : lo + e] for s, e in zip(words.starts, words.ends, strict=True)]
    return words.forms, words.keys, raw


def _slot_examples(
    slots: list[tuple[int, int]],
    sample: list[int],
    members: list[Region],
    maps: list[list[tuple[int, int] | None]],
    tokens: Sequence[DocTokens],
    fetch: Callable[[Sequence[int]], list[Document]],
    hi: int,
) -> tuple[tuple[str, ...], ...]:
    """The most common fillers of each slot among a sample of members (original text)."""
    if not slots or not sample:
        return tuple(() for _ in slots)
    docs = fetch([members[m].doc for m in sample])
    found: list[Counter[str]] = [Counter() for _ in slots]
    for m, doc in zip(sample, docs, strict=True):
        region, mapping, toks = members[m], maps[m], tokens[members[m].doc]
        for s, (a, b) in enumerate(slots):
            left = next((mapping[i] for i in range(a - 1, -1, -1) if mapping[i]), None)
            right = next((mapping[i] for i in range(b, hi) if mapping[i]), None)
            start = region.start + (left[1] if left else 0)
            if a == b:  # the open slot at the end: the next few words
                end = min(len(toks), start + 6)
            else:
                end = region.start + (right[0] if right else region.end - region.start)
            if end <= start or start >= len(toks):
                continue
            text = doc.text[int(toks.starts[start]) : int(toks.ends[end - 1])]
            if a == b:
                text = re.split(r"[.;:!?\[\]()]", text, maxsplit=1)[0]
            text = " ".join(text.split())
            if text:
                found[s][text] += 1
    return tuple(tuple(t for t, _ in c.most_common(_EXAMPLES)) for c in found)


def to_lexicon(formulae: Sequence[Formula]) -> str:
    """The templates as a lexicon file that ``--formulae`` accepts back."""
    lines = ["# Formulae mined by `docdiff formulae` (one template a line; {…} is a slot)."]
    for f in formulae:
        dates = f", {f.first_date} to {f.last_date}" if f.first_date else ""
        lines.append(f"# in {f.doc_freq} documents{dates}")
        lines.append(f.template)
    return "\n".join(lines) + "\n"


def formulae_report(
    source: CorpusIndex | Sequence[Document],
    *,
    where: str | None = None,
    k: int = 4,
    min_docs: int | None = None,
    limit: int = 40,
    progress: Progress | None = None,
) -> Report:
    """A report holding the mined formulae (and the documents their examples come from)."""
    from docdiff.corpus.scan import load_corpus

    corpus = load_corpus(source, where=where, progress=progress)
    found = mine(corpus, k=k, min_docs=min_docs, limit=limit, progress=progress)
    position = {doc_id: i for i, doc_id in enumerate(corpus.ids)}
    needed = sorted({position[m.doc] for f in found for m in f.members})
    documents = tuple(corpus.fetch(needed))
    settings: dict[str, object] = {
        "where": where,
        "kgram": k,
        "min_docs": min_docs,
        "limit": limit,
        "documents_scanned": len(corpus),
    }
    return Report("scan", documents, (), formulae=found, settings=settings)
