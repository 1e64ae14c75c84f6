"""Clusters: families of passages copied across documents, joined as passim does.

Every match contributes its two passages, unless all it copies is a name (a match's verbatim
words count, and names are no family's wording). Passages that overlap substantially (by half
their union) inside one document are the same text reused again, so they are united
(union-find) across every match. Each component is split into stars (a representative and the
passages aligned with it that hold its own wording, not a stock remnant of it); a passage left
alone joins a family by its text, a family's fragments join the passage they are part of, and
no cluster lies inside another. Every test of a text counts its own 3-grams: those holding a
word that is neither a function word nor a name. A family touching
``min_docs`` or more documents is a cluster; with dates, its earliest member is the likely
origin.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from docdiff.corpus.metadata import date_of
from docdiff.model import AlignOp, Cluster, Document, Kind, Match, PairResult, Passage, Span
from docdiff.text.apparatus import APPARATUS_REASON
from docdiff.text.datelines import DATELINE_REASON
from docdiff.text.markings import HEAD_REASON
from docdiff.text.names import TITLE_ABBREVIATIONS, compound_start

_NOT_COPIES = (APPARATUS_REASON, DATELINE_REASON, HEAD_REASON)
"""How the reasons begin of passages that are no copies: an edition's apparatus (the editors'
wording), datelines (letters written in one place on one day) and letters' heads (two letters
marked "PERSONAL AND CONFIDENTIAL" to one addressee)."""

__all__ = ["UnionFind", "build_clusters", "family_share", "purity"]


class UnionFind:
    """Disjoint sets over ``0..n-1`` with path halving and union by size."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x: int) -> int:
        """The representative of `x`'s set."""
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        """Join the sets of `a` and `b`."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]


@dataclass(frozen=True, slots=True)
class _Node:
    doc: str
    start: int
    end: int


def _significant(a: _Node, b: _Node, ratio: float) -> bool:
    """Overlap over union (Jaccard) of two spans: a name inside a long passage does not chain."""
    overlap = min(a.end, b.end) - max(a.start, b.start)
    union = max(a.end, b.end) - min(a.start, b.start)
    return overlap > 0 and overlap >= ratio * max(1, union)


def build_clusters(
    pairs: Sequence[PairResult],
    documents: Mapping[str, Document] | Sequence[Document],
    *,
    min_docs: int = 2,
    min_overlap: float = 0.5,
    kinds: frozenset[Kind] = frozenset(Kind) - {Kind.NAME, Kind.PARAPHRASE},
) -> tuple[Cluster, ...]:
    """Families of passages across documents, largest first, with origins when dates are known.

    Two passages of one document are the same family when they overlap by at least
    `min_overlap` of their union. Name matches are left out by default: a shared name is not
    shared wording, and it would chain unrelated passages together. Paraphrases are left out too:
    a cluster is the copies of one passage, and reworded reuse is no copy. So are passages in
    both documents' editorial apparatus (archive references, editors' notes: the edition's
    wording, not the documents') and in both documents' datelines (two letters written in one
    place on one day copy nothing).
    """
    docs = documents if isinstance(documents, Mapping) else {d.id: d for d in documents}
    nodes: list[_Node] = []
    match_kinds: list[tuple[int, Kind]] = []
    words = _Wording(docs)
    names = _names_in(pairs, words) if Kind.NAME not in kinds else _Names(set(), frozenset())
    for pair in pairs:
        for m in pair.matches:
            if m.kind not in kinds or m.reason.startswith(_NOT_COPIES):
                continue
            if names.holds(words, m):
                continue  # a name that both write in lower case ("treaty on the ...")
            if m.kind is Kind.FORMULA:
                # A formula's instances may word it differently ("congratulate you on your
                # election" / "extend my congratulations to Mr. X on his election"): only the
                # wording they copy word for word makes a family.
                # But a long one copied nearly whole (a licence's paragraph, its holder's
                # name changed) is a copy like any other, not its longest unbroken run.
                a, b = _copied(m, gap=_GAP if _copied_whole(m, docs) else _WORD_GAP, docs=docs)
                if m.ops and _words(docs, m.a.doc, a) < _FORMULA_WORDS:
                    continue
            else:
                a, b = _copied(m, docs=docs)
            mine = words.shared(m, a, b)
            if mine is not None and mine < (_FORMULA_OWN if m.kind is Kind.FORMULA else _WORDING):
                continue  # a name (and a word at most) is all it copies: no family's wording
            ia = len(nodes)
            na, nb = _Node(m.a.doc, a.start, a.end), _Node(m.b.doc, b.start, b.end)
            nodes += (na, nb)
            match_kinds.append((ia, m.kind))
    uf = UnionFind(len(nodes))
    for ia, _ in match_kinds:
        uf.union(ia, ia + 1)
    _unite_overlaps(nodes, uf, min_overlap)
    components: dict[int, list[int]] = {}
    for i in range(len(nodes)):
        components.setdefault(uf.find(i), []).append(i)
    # Each component's matches, in match order (both ends of a match are in one component).
    matches_of: dict[int, list[tuple[int, Kind]]] = {}
    for ia, kind in match_kinds:
        matches_of.setdefault(uf.find(ia), []).append((ia, kind))
    families: list[_Family] = []
    for root, members in components.items():
        families.extend(_families(members, nodes, matches_of.get(root, []), docs, min_docs, words))
    # Last, the families wholly inside another, whichever join put them there.
    joined = _inside_dropped(_alike_joined(_nested_joined(families, docs, words), docs, words))
    built = [_built(family, docs) for family in joined]
    built.sort(key=lambda item: item[0])
    return _parts_marked(
        tuple(
            Cluster(id=n, members=members, text=text, origin=origin, kind=kind)
            for n, (_, members, origin, text, kind) in enumerate(built, start=1)
        )
    )


@dataclass(frozen=True, slots=True)
class _Names:
    """The words (case-folded) of every name a scan's pairs share, and the lengths of their
    passages in characters (case and a line's break keep a name's length: most passages are
    told apart by it without reading their words)."""

    words: set[tuple[str, ...]]
    lengths: frozenset[int]

    def holds(self, words: _Wording, m: Match) -> bool:
        """Whether both sides of `m` say one of the names, in whatever case: a passage of the
        same words in two documents that write it in lower case is that name, not a family's
        wording (a record of 1968 writes "treaty on the non-proliferation of nuclear weapons":
        eight such copies were the largest cluster of a volume on the treaty)."""
        return (
            m.a.span.end - m.a.span.start in self.lengths
            and m.b.span.end - m.b.span.start in self.lengths
            and words.keys(m.a) in self.words
            and words.keys(m.b) in self.words
        )


def _names_in(pairs: Sequence[PairResult], words: _Wording) -> _Names:
    sides = [
        side for pair in pairs for m in pair.matches if m.kind is Kind.NAME for side in (m.a, m.b)
    ]
    keys = {words.keys(side) for side in sides} - {()}
    return _Names(
        keys, frozenset(s.span.end - s.span.start for s in sides) if keys else frozenset()
    )


_PART_WORDS = 3
"""Words a cluster's representative text needs to be marked a part of another's (three at
least: its first three words find the texts that may hold it)."""

_WORD_RE = re.compile(r"[^\W_]+(?:[-\u2010\u2011]\s*[^\W_]+)*")
"""A word of a representative text, for `_parts_marked`: a hyphenated compound is one, a line
broken after its hyphen too ("non-permanent" holds no "permanent"; "seventy- third" is
"seventy-third")."""
_SPACE = re.compile(r"\s+")


def _parts_marked(clusters: tuple[Cluster, ...]) -> tuple[Cluster, ...]:
    """`clusters`, each whose representative text is a part of the passage of a family in as
    many documents or more (its words, in order, inside that family's longer representative
    text: a phrase of a session's theme that speeches quote apart from it) marked with that
    cluster's id (`Cluster.part_of`; of several, the one in most documents, then the first).
    The family stays its own: its members hold too little of the longer representative to be
    copies of it (`_ORPHAN`); the mark says where it comes from. A phrase that many documents
    use and a few longer passages hold ("global compact for safe, orderly and regular
    migration", 35 speeches of 2018, inside a passage three of them share) is no part of
    those."""
    words = [tuple(_SPACE.sub("", w).lower() for w in _WORD_RE.findall(c.text)) for c in clusters]
    spelt = [" " + " ".join(ws) + " " for ws in words]
    # The texts holding each three words in a row: a part's first three find its holders.
    holders: dict[tuple[str, ...], list[int]] = {}
    for j, ws in enumerate(words):
        for g in set(zip(ws, ws[1:], ws[2:], strict=False)):
            holders.setdefault(g, []).append(j)
    sizes = [len({m.doc for m in c.members}) for c in clusters]
    out = list(clusters)
    for i, ws in enumerate(words):
        if len(ws) < _PART_WORDS:
            continue
        found = [
            j
            for j in holders.get(ws[:3], ())
            if sizes[j] >= sizes[i] and len(words[j]) > len(ws) and spelt[i] in spelt[j]
        ]
        if found:
            best = max(found, key=lambda j: (sizes[j], -j))
            out[i] = replace(clusters[i], part_of=clusters[best].id)
    return tuple(out)


def _unite_overlaps(nodes: Sequence[_Node], uf: UnionFind, ratio: float) -> None:
    """Unite the passages of each document that overlap by `ratio` of their union.

    Copies of one span (a passage many pairs align the same way) are united once and swept as
    one, so the sweep's cost follows the distinct spans, not the pairs.
    """
    by_span: dict[_Node, int] = {}
    by_doc: dict[str, list[int]] = {}
    for i, node in enumerate(nodes):
        if node.end > node.start:
            first = by_span.setdefault(node, i)
            if first != i:
                uf.union(first, i)  # the same span: always significant with its copy
                continue
        by_doc.setdefault(node.doc, []).append(i)
    for members in by_doc.values():
        members.sort(key=lambda i: (nodes[i].start, nodes[i].end))
        active: list[int] = []
        for i in members:
            node = nodes[i]
            active = [j for j in active if nodes[j].end > node.start]
            for j in active:
                if _significant(nodes[j], node, ratio):
                    uf.union(i, j)
            active.append(i)


_GAP = 60
"""Characters of unshared text (on either side) that end a copied block of a match."""


def _copied(
    m: Match, gap: int = _GAP, docs: Mapping[str, Document] | None = None
) -> tuple[Span, Span]:
    """The copied block of a match: its equal operations up to the first gap of `gap`
    characters, the block sharing the most text. A match that bridges two shared stretches
    over a long reworded or unrelated gap is, for a family of copies, the larger stretch. The
    block that opens the match opens where the match does when only marks stand before its
    first word (with the `docs`: the opening backtick of "`json` * Default …", which the
    match takes in, `docdiff.engine.classify.enclosed`)."""
    equal = [op for op in m.ops if op.tag == "equal"]
    if not equal:
        return m.a.span, m.b.span
    a, b = _copied_block(equal, gap)
    first = a.start == equal[0].a.start and b.start == equal[0].b.start
    if first and docs is not None and m.a.doc in docs and m.b.doc in docs:
        from docdiff.engine.classify import marks_before

        a = Span(marks_before(docs[m.a.doc].text, m.a.span.start, a.start), a.end)
        b = Span(marks_before(docs[m.b.doc].text, m.b.span.start, b.start), b.end)
    return a, b


def _copied_block(equal: list[AlignOp], gap: int) -> tuple[Span, Span]:
    """`_copied`'s block, from the match's equal operations."""
    blocks: list[list[AlignOp]] = [[equal[0]]]
    for op in equal[1:]:
        prev = blocks[-1][-1]
        if op.a.start - prev.a.end > gap or abs(op.b.start - prev.b.end) > gap:
            blocks.append([op])
        else:
            blocks[-1].append(op)
    best = max(blocks, key=lambda block: sum(len(op.a) for op in block))
    a = Span(min(op.a.start for op in best), max(op.a.end for op in best))
    return a, Span(min(op.b.start for op in best), max(op.b.end for op in best))


_WORD_GAP = 3
"""Characters between two equal operations of one verbatim run (the space between words)."""
_FORMULA_WORDS = 4
"""Words a formula's verbatim run needs to make a family of copies ("on his election" is no
passage)."""


_WHOLE_WORDS = 30
"""Shared words from which a formula passage copied nearly whole (`_WHOLE_SHARE` of each
side's words) makes its family as a copy does: a section's length (as `_SECTION_WORDS` in
`docdiff.engine.classify`), longer than any courtesy formula worded two ways."""
_WHOLE_SHARE = 0.9


def _copied_whole(m: Match, docs: Mapping[str, Document]) -> bool:
    """Whether formula `m` is a long passage nearly all of whose words both sides share."""
    return m.words >= _WHOLE_WORDS and all(
        m.words >= _WHOLE_SHARE * _words(docs, p.doc, p.span) for p in (m.a, m.b)
    )


def _words(docs: Mapping[str, Document], doc: str, span: Span) -> int:
    """Words in `span` of document `doc` (its length in characters over six when unknown)."""
    if doc not in docs:
        return len(span) // 6
    return len(docs[doc].slice(span).split())


_WORDING = 2
"""Words of its own, besides names (capitalised words inside a sentence, numbers) and function
words, that a match's verbatim text must hold to make a family when it holds a name at all:
"Democratic People's Republic of Korea will continue" or "relations between the Democratic
People's Republic of Korea and the United" copy a country's name, not a family's wording."""

_FORMULA_OWN = 1
"""… and a formula's verbatim run (four words or more of a wording the lexicon knows: "on your
election as President of the General Assembly") one: "of the General Assembly" is none."""

_FUNCTION, _NAME, _OWN = 0, 1, 2
"""What a word is to a family: a function word, a name, or the family's own wording."""

_SHOUTED = 0.6
"""The share of capitals among a text's letters above which capitals tell no names (a cable
in capitals)."""

_TITLE_DOT = re.compile(rf"{TITLE_ABBREVIATIONS}$")
_OPENING_MARKS = frozenset("\"\u201c\u2018'([\u00ab")


class _Wording:
    """Which words of a document's text are a family's own wording: content words that are no
    names. A name is a word written capitalised inside a sentence (a word opening a sentence
    when the next word is capitalised too: "Democratic People's Republic …"), or a number;
    a text mostly in capitals tells no names. Each span's answer is kept."""

    def __init__(self, docs: Mapping[str, Document]) -> None:
        self.docs = docs
        self._marks: dict[tuple[str, int, int], tuple[list[int], list[str], list[int]]] = {}
        self._grams: dict[tuple[str, int, int], set[tuple[str, ...]]] = {}

    def marks(self, doc: str, span: Span) -> tuple[list[int], list[str], list[int]]:
        """The starts, keys and marks (`_FUNCTION`, `_NAME`, `_OWN`) of the words of `span`."""
        key = (doc, span.start, span.end)
        found = self._marks.get(key)
        if found is None:
            found = self._marks[key] = _marks_of(self.docs[doc].text, span)
        return found

    def keys(self, p: Passage) -> tuple[str, ...]:
        """The word keys of a passage (case-folded, as tokens compare them); none when its
        document is unknown."""
        return tuple(self.marks(p.doc, p.span)[1]) if p.doc in self.docs else ()

    def shared(self, m: Match, a: Span, b: Span) -> int | None:
        """The distinct words of its own a match copies verbatim in its block `a`/`b` (a word
        is a name when written as one on both sides); None when those words hold no name or
        the documents are unknown (the test does not apply)."""
        if m.a.doc not in self.docs or m.b.doc not in self.docs:
            return None
        equal = [
            op for op in m.ops if op.tag == "equal" and a.start <= op.a.start and op.a.end <= a.end
        ]
        sides = [(op.a, op.b) for op in equal] or [(a, b)]
        starts_a, keys, marks_a = self.marks(m.a.doc, a)
        starts_b, _, marks_b = self.marks(m.b.doc, b)
        in_a = _inside_any(starts_a, [x for x, _ in sides])
        in_b = _inside_any(starts_b, [y for _, y in sides])
        mine = [marks_a[i] for i in in_a]
        if len(in_b) == len(in_a):
            mine = [
                x if x == _FUNCTION else _NAME if x == y == _NAME else _OWN
                for x, y in zip(mine, (marks_b[j] for j in in_b), strict=True)
            ]
        if _NAME not in mine:
            return None
        return len({keys[i] for i, mark in zip(in_a, mine, strict=True) if mark == _OWN})

    def grams(self, doc: str, span: Span, *, every: bool = False) -> set[tuple[str, ...]]:
        """Word 3-grams of `span` that hold a word of its own (a name's are not counted), or
        `every` one (to look up among another text's own)."""
        if doc not in self.docs:
            return set()
        _, keys, marks = self.marks(doc, span)
        if every:
            return set(zip(keys, keys[1:], keys[2:], strict=False))
        key = (doc, span.start, span.end)
        found = self._grams.get(key)
        if found is None:
            found = self._grams[key] = _own_grams(keys, marks)
        return found


def _marks_of(text: str, span: Span) -> tuple[list[int], list[str], list[int]]:
    """The starts, keys and marks (`_FUNCTION`, `_NAME`, `_OWN`) of the words of `span`."""
    from docdiff.text.tokens import is_stopword, tokenize

    piece = text[span.start : span.end]
    t = tokenize(piece)
    letters = sum(map(str.isalpha, piece))
    shouted = sum(map(str.isupper, piece)) > _SHOUTED * max(1, letters)
    starts = [span.start + s for s in t.starts]
    heads = [-1 if shouted else _capital(text, s) for s in starts]
    marks: list[int] = []
    for i, k in enumerate(t.keys):
        if is_stopword(k):
            marks.append(_FUNCTION)
        elif k[:1].isdigit():
            marks.append(_NAME)
        elif heads[i] < 0:
            marks.append(_OWN)
        elif not _opens(text, heads[i]):
            marks.append(_NAME)
        else:  # a capital opening a sentence: a name when the next word is one too
            after = i + 1 < len(heads) and heads[i + 1] >= 0 and not is_stopword(t.keys[i + 1])
            marks.append(_NAME if after else _OWN)
    return starts, t.keys, marks


def _own_grams(keys: list[str], marks: list[int]) -> set[tuple[str, ...]]:
    """Word 3-grams holding a word of its own (`_OWN`)."""
    return {
        tuple(keys[i : i + 3])
        for i in range(len(keys) - 2)
        if _OWN in (marks[i], marks[i + 1], marks[i + 2])
    }


def _inside_any(starts: list[int], spans: list[Span]) -> list[int]:
    """The words (by their sorted starts) that open inside one of `spans`."""
    out: list[int] = []
    for x in sorted(spans, key=lambda x: x.start):
        lo = bisect.bisect_left(starts, x.start, lo=out[-1] + 1 if out else 0)
        out.extend(range(lo, bisect.bisect_left(starts, x.end, lo=lo)))
    return out


def _capital(text: str, at: int) -> int:
    """Where the word at `at` starts if it is capitalised, else -1: a word inside a hyphenated
    compound ("Secretary-General", "Ki-moon") goes by the compound's first letter."""
    if at > 0 and (text[at - 1].isalnum() or text[at - 1] in "-\u2019'_"):
        at = compound_start(text, at)
    return at if text[at : at + 1].isupper() else -1


def _opens(text: str, at: int) -> bool:
    """Whether the word at `at` opens a sentence (or a paragraph, or the text): after a full
    stop (not "Mr." nor an initial), a question or exclamation mark, a colon or semicolon, or
    a blank line; a line break alone is a wrapped line."""
    k = at - 1
    while k >= 0 and (text[k].isspace() or text[k] in _OPENING_MARKS):
        k -= 1
    if k < 0 or text.count("\n", k + 1, at) >= 2:
        return True
    if text[k] not in ".!?:;":
        return False
    if text[k] == ".":
        if _TITLE_DOT.search(text, max(0, k - 8), k + 1):
            return False
        if k >= 1 and text[k - 1].isupper() and (k < 2 or not text[k - 2].isalpha()):
            return False  # "U.S. Government", "J. Smith"
    return True


@dataclass(slots=True)
class _Family:
    rep: Passage
    members: list[Passage]
    kinds: Counter[Kind]


def _families(
    component: list[int],
    nodes: list[_Node],
    match_kinds: list[tuple[int, Kind]],
    docs: Mapping[str, Document],
    min_docs: int,
    words: _Wording,
) -> list[_Family]:
    """Split one chained component into stars: a representative and the passages it matches.

    Union-find joins a passage to a neighbour of a neighbour; a family needs more: every member
    is aligned with the representative itself, by the family's own wording (`_star_taken`). The
    passage matched by the most documents is the first representative; its family is taken
    out and the rest is split again (a neighbour holding only a stock remnant of it stays).

    `match_kinds` are the component's own matches. The links between the passages left are kept
    up to date as families are taken out, and the representatives come off a heap (a passage's
    rank only falls as its neighbours go), so the cost follows the component's size.
    """
    passages = _merge_spans(nodes[i] for i in component)
    node_of = _passage_of(component, nodes, passages)
    edges: dict[tuple[Passage, Passage], list[tuple[_Node, _Node, Kind]]] = {}
    for ia, kind in match_kinds:
        pa, pb = node_of[ia], node_of[ia + 1]
        edges.setdefault((pa, pb), []).append((nodes[ia], nodes[ia + 1], kind))
        edges.setdefault((pb, pa), []).append((nodes[ia + 1], nodes[ia], kind))
    links: dict[Passage, set[Passage]] = {}
    for pa, pb in edges:
        if pa.doc != pb.doc:
            links.setdefault(pa, set()).add(pb)
    # `_rank` is (documents matched, then a fixed order); the fixed part once, as a position.
    fixed = sorted(links, key=lambda p: _rank(p, set(), docs)[1:], reverse=True)
    place = {p: n for n, p in enumerate(fixed)}

    def matched(p: Passage) -> int:
        return len({n.doc for n in links[p]})

    heap = [(-matched(p), place[p], p) for p in fixed]
    heapq.heapify(heap)
    out: list[_Family] = []
    family_of: dict[Passage, int] = {}
    while heap:
        neg, _, rep = heapq.heappop(heap)
        if rep not in links:
            continue  # taken out, or left without a neighbour in another document
        now = matched(rep)
        if now != -neg:
            heapq.heappush(heap, (-now, place[rep], rep))  # its neighbours went: rank it again
            continue
        family, taken = _star_taken(rep, sorted(links[rep], key=_order), edges, words)
        for p in (rep, *taken):
            family_of[p] = len(out)
            for q in links.pop(p, ()):
                others = links.get(q)
                if others is not None:
                    others.discard(p)
                    if not others:
                        del links[q]
        out.append(family)
    _adopt_orphans([p for p in fixed if p not in family_of], family_of, out, edges, words)
    return [f for f in out if len({m.doc for m in f.members}) >= min_docs]


def _adopt_orphans(
    orphans: list[Passage],
    family_of: Mapping[Passage, int],
    families: list[_Family],
    edges: Mapping[tuple[Passage, Passage], list[tuple[_Node, _Node, Kind]]],
    words: _Wording,
) -> None:
    """Passages left without a family because every passage they were aligned with joined a
    star first (a speech quoting the session's theme aligned only with one that another
    speech's star took): each joins the family of a passage it was aligned with when the part
    aligned is the representative's text: `_ALIKE` of its own 3-grams (names' are not
    counted), `_ALIKE_GRAMS` at least and `_ORPHAN` of the representative's. Its text, not a
    chain of alignments, is the test.
    """
    alone = set(orphans)
    aligned: dict[Passage, list[tuple[Passage, list[tuple[_Node, _Node, Kind]]]]] = {}
    for (p, q), found in edges.items():
        if p in alone and q in family_of:
            aligned.setdefault(p, []).append((q, found))
    rep_grams: dict[int, set[tuple[str, ...]]] = {}
    for orphan in orphans:
        best: tuple[float, int, _Node, Kind] | None = None
        for q, found in aligned.get(orphan, ()):
            n = family_of[q]
            if any(m.doc == orphan.doc for m in families[n].members):
                continue
            if n not in rep_grams:
                rep = families[n].rep
                rep_grams[n] = words.grams(rep.doc, rep.span)
            for mine, _, kind in found:
                grams = words.grams(mine.doc, Span(mine.start, mine.end))
                shared = len(grams & rep_grams[n])
                if grams and shared >= max(
                    _ALIKE_GRAMS, _ALIKE * len(grams), _ORPHAN * len(rep_grams[n])
                ):
                    key = (shared / len(grams), -n, mine, kind)
                    if best is None or key[:2] > best[:2]:
                        best = key
        if best is not None:
            _, neg, node, kind = best
            families[-neg].members.append(Passage(node.doc, Span(node.start, node.end)))
            families[-neg].kinds[kind] += 1


_ALIKE = 0.6
"""Two families are one when their representatives share this share of the content 3-grams
of the longer one (`_alike_joined`)."""

_ALIKE_GRAMS = 5
"""… and at least this many: two short phrases differing in one word ("sixty-fifth session of
the General Assembly", "sixty-sixth session …") are two passages."""

_ORPHAN = 1 / 3
"""… and a passage left without a family holds this share of its representative's content
3-grams to join it (`_adopt_orphans`): a phrase of a long passage is no copy of it."""


def _alike_joined(
    families: list[_Family], docs: Mapping[str, Document], words: _Wording | None = None
) -> list[_Family]:
    """Families whose representatives are the same text, cut with other words around it ("…
    session of the General Assembly is “The post-2015 development agenda …”" and "session,
    “The post-2015 development agenda …”"), as one family: the star of one representative
    holds only the documents aligned with it, and a passage many documents quote splits into
    as many stars as its wordings around it. A larger family takes a smaller one in; a
    document already in it keeps its own member. A representative a fraction of the other's
    length is a part of it, another family (a phrase inside a long passage does not take the
    passage's copies). Five of the 3-grams they share must be their own (`_Wording.grams`):
    two passages naming one country are not one text; representatives of the same text (its
    spacing aside) are one family however short, when it holds a 3-gram of its own."""
    if len(families) < 2:
        return families
    words = words or _Wording(docs)
    order = sorted(
        range(len(families)),
        key=lambda i: (-len({m.doc for m in families[i].members}), -len(families[i].rep.span)),
    )
    reps = [docs[f.rep.doc].slice(f.rep.span) if f.rep.doc in docs else "" for f in families]
    grams = [_grams(text, 3) for text in reps]
    texts = [" ".join(text.split()) for text in reps]  # (the same text, its spacing aside)
    own = [words.grams(f.rep.doc, f.rep.span) for f in families]
    rank = {i: n for n, i in enumerate(order)}
    holders: dict[tuple[str, ...], list[int]] = {}
    same_text: dict[str, int] = {}
    kept: list[int] = []
    for i in order:
        mine = grams[i]
        shared: Counter[int] = Counter()
        for g in mine:
            shared.update(holders.get(g, ()))
        # The same text, however short, is one family: the closing "I am, Yours sincerely"
        # of letters signed "R. G. CASEY" and of those signed "R.G. CASEY" made two stars.
        target = same_text.get(texts[i]) if own[i] else None
        if target is None:
            target = next(
                (
                    j
                    for j, n in sorted(shared.items(), key=lambda jn: (-jn[1], rank[jn[0]]))
                    if mine
                    and n >= max(_ALIKE_GRAMS, _ALIKE * max(len(mine), len(grams[j])))
                    and len(own[i] & own[j]) >= _ALIKE_GRAMS
                ),
                None,
            )
        if target is None:
            kept.append(i)
            if own[i]:
                same_text.setdefault(texts[i], i)
            for g in mine:
                holders.setdefault(g, []).append(i)
            continue
        into = families[target]
        present = {m.doc for m in into.members}
        into.members.extend(m for m in families[i].members if m.doc not in present)
        into.kinds.update(families[i].kinds)
    return [families[i] for i in sorted(kept)]


_INSIDE = 0.9
"""A member lies inside another family's member on its document when this share of it does."""

_PART = 0.5
"""A part of a longer family's passage that brings it new members shares this share of its
representative's content 3-grams with the longer representative (`_nested_joined`)."""


def _nested_joined(
    families: list[_Family], docs: Mapping[str, Document], words: _Wording | None = None
) -> list[_Family]:
    """Fragments of one reuse as one family: a family whose members lie inside another's
    members on the same documents, on two documents and half of its own at least, is a part
    of that longer passage (a cable and the brief drawn from it are aligned as one long passage
    and as the sentences a third note took from it). The family of the longer representative
    takes it in: its representative stays, and a part copied elsewhere (another document, or
    another place of one it holds) joins as a member holding that part. A part that brings
    such members must be the longer representative's text, `_PART` of its content 3-grams and
    `_ALIKE_GRAMS` at least (so a stock phrase falling inside two copies brings no third
    document); one wholly inside another family adds nothing and goes (`_inside_dropped`)."""
    if len(families) < 2:
        return families
    words = words or _Wording(docs)
    order = sorted(
        range(len(families)),
        key=lambda i: (-len(families[i].rep.span), _order(families[i].rep)),
    )
    grams = [words.grams(f.rep.doc, f.rep.span) for f in families]
    rank = {i: n for n, i in enumerate(order)}
    held: dict[str, list[tuple[Span, int]]] = {}
    kept: list[int] = []
    for i in order:
        family = families[i]
        hosts: dict[str, set[int]] = {}
        for m in family.members:
            hosts.setdefault(m.doc, set()).update(
                j for span, j in held.get(m.doc, ()) if _within(m.span, span)
            )
        own = len(hosts)
        inside = Counter(j for found in hosts.values() for j in found)
        mine = grams[i]
        target = next(
            (
                j
                for j, n in sorted(inside.items(), key=lambda jn: (-jn[1], rank[jn[0]]))
                if n >= 2
                and 2 * n >= own
                and len(mine & grams[j]) >= max(_ALIKE_GRAMS, _PART * len(mine))
            ),
            None,
        )
        if target is None:
            kept.append(i)
            target = i
            new = family.members
        else:
            into = families[target]
            new = [
                m
                for m in family.members
                if not any(h.doc == m.doc and h.span.overlaps(m.span) for h in into.members)
            ]
            into.members.extend(new)
            into.kinds.update(family.kinds)
        for m in new:
            held.setdefault(m.doc, []).append((m.span, target))
    return [families[i] for i in sorted(kept)]


def _inside_dropped(families: list[_Family]) -> list[_Family]:
    """Without the families every member of which lies inside a member of another family
    (a sentence of a passage aligned on its own): they add no document and no text. The
    shortest representatives go first, so of two families holding each other the longer one
    stays."""
    held: dict[str, list[tuple[Span, int]]] = {}
    for n, family in enumerate(families):
        for m in family.members:
            held.setdefault(m.doc, []).append((m.span, n))
    alive = set(range(len(families)))
    for i in sorted(alive, key=lambda i: (len(families[i].rep.span), _order(families[i].rep))):
        family = families[i]
        if len({m.doc for m in family.members}) < 2:
            continue
        hosts: set[int] | None = None
        for m in family.members:
            found = {
                j
                for span, j in held.get(m.doc, ())
                if j != i and j in alive and _within(m.span, span)
            }
            hosts = found if hosts is None else hosts & found
            if not hosts:
                break
        if hosts:
            alive.discard(i)
    return [families[i] for i in sorted(alive)]


def _within(part: Span, whole: Span) -> bool:
    """`part` lies inside `whole`, but for a word or two at its ends (`_INSIDE` of it)."""
    overlap = min(part.end, whole.end) - max(part.start, whole.start)
    return overlap > 0 and overlap >= _INSIDE * len(part)


def _passage_of(
    component: list[int], nodes: list[_Node], passages: list[Passage]
) -> dict[int, Passage]:
    """The merged passage holding each node's start (passages of a document do not overlap)."""
    starts: dict[str, tuple[list[int], list[Passage]]] = {}
    for p in sorted(passages, key=_order):
        at, ps = starts.setdefault(p.doc, ([], []))
        at.append(p.span.start)
        ps.append(p)
    node_of: dict[int, Passage] = {}
    for i in component:
        node = nodes[i]
        at, ps = starts[node.doc]
        k = bisect.bisect_right(at, node.start) - 1
        if k < 0 or not node.start < ps[k].span.end:
            raise ValueError(f"no merged passage holds {node}")
        node_of[i] = ps[k]
    return node_of


def _rank(p: Passage, neighbours: set[Passage], docs: Mapping[str, Document]) -> tuple[object, ...]:
    """Most documents matched first; then the earliest, the longest, the first by id."""
    date = date_of(docs[p.doc].meta) if p.doc in docs else None
    return (
        len({n.doc for n in neighbours}),
        date is not None,
        tuple(-ord(c) for c in (date or "")),
        len(p.span),
        tuple(-ord(c) for c in p.doc),
        -p.span.start,
    )


def _order(p: Passage) -> tuple[str, int, int]:
    return (p.doc, p.span.start, p.span.end)


def _star(
    rep: Passage,
    neighbours: list[Passage],
    edges: Mapping[tuple[Passage, Passage], list[tuple[_Node, _Node, Kind]]],
) -> _Family:
    """The representative's family: each member cut to the part aligned with the representative."""
    return _star_taken(rep, neighbours, edges, None)[0]


def _star_taken(
    rep: Passage,
    neighbours: list[Passage],
    edges: Mapping[tuple[Passage, Passage], list[tuple[_Node, _Node, Kind]]],
    words: _Wording | None,
) -> tuple[_Family, list[Passage]]:
    """`_star`, and the neighbours it took. With the documents' words, a neighbour is taken
    only when the part aligned holds `_ORPHAN` of the own 3-grams (`_Wording.grams`) of the
    representative's text (as all the neighbours cut it), or `_ALIKE_GRAMS` of them: "permanent
    member of the Security Council" is a stock remnant of "… is an original member of the United
    Nations and (under Article 23) a permanent member of the Security Council", no copy of it,
    and "on the Korean peninsula" of "ensure peace and security on the Korean peninsula". A
    neighbour not taken stays for another star."""
    # The longest alignment with the representative: a hull of several would take in the
    # unrelated text between them.
    chosen = [
        (
            p,
            *max(edges[(rep, p)], key=lambda e: (e[1].end - e[1].start, -e[1].start, -e[0].start)),
        )
        for p in neighbours
    ]
    if words is not None and rep.doc in words.docs and chosen:
        hull = Span(min(c[1].start for c in chosen), max(c[1].end for c in chosen))
        text = words.grams(rep.doc, hull)
        if text:
            need = min(_ALIKE_GRAMS, _ORPHAN * len(text))
            chosen = [
                c
                for c in chosen
                if len(words.grams(c[0].doc, Span(c[2].start, c[2].end), every=True) & text) >= need
            ]
    kinds: Counter[Kind] = Counter()
    members: list[Passage] = []
    for p, _, b, kind in chosen:
        kinds[kind] += 1
        members.append(Passage(p.doc, Span(b.start, b.end)))
    span = _most_copied([(a.start, a.end) for _, a, _, _ in chosen], rep.span)
    if words is not None and rep.doc in words.docs:
        from docdiff.engine.classify import option_dash

        own = words.docs[rep.doc].text
        # (An option's dashes before its first word are the option's: "--progress", the
        # members aligning with its word alone.)
        span = option_dash(own, _whole_words(own, span))
    shared = Passage(rep.doc, span)
    return _Family(shared, [shared, *members], kinds), [c[0] for c in chosen]


def _whole_words(text: str, span: Span) -> Span:
    """`span` (a stretch of a representative that half its family's members align with, to
    the character) not opening or closing inside a word glued to the next (a web address, a
    compound, a dotted number: "… pr-url: https://github.com/nodejs/node/pull" where half the
    members went on to the same pull request's number and half did not): its glued ends left
    out, unless that leaves nothing."""
    from docdiff.engine.pieces import glued_after, glued_before

    start, end = span.start, span.end
    if glued_before(text, start):
        nxt = min((i for i in (text.find(c, start, end) for c in " \n\t") if i >= 0), default=-1)
        start = end if nxt < 0 else nxt
        while start < end and text[start].isspace():
            start += 1
    if start < end and glued_after(text, end):
        end = max(text.rfind(c, start, end) for c in " \n\t")
        while end > start and text[end - 1].isspace():
            end -= 1
    return Span(start, end) if end > start else span


def _most_copied(aligned: Sequence[tuple[int, int]], whole: Span) -> Span:
    """The stretch of a representative that half its members or more align with (from the
    first character they do to the last), else the stretch all of them cover together: one
    member that also shares the end of the sentence before ("official development assistance. I
    would like to take this opportunity to commend") does not lend the family its words."""
    if not aligned:
        return whole
    need = (len(aligned) + 1) // 2
    change: Counter[int] = Counter()
    for s, e in aligned:
        change[s] += 1
        change[e] -= 1
    covered, lo, hi = 0, None, None
    bounds = sorted(change)
    for x, nxt in itertools.pairwise(bounds):
        covered += change[x]
        if covered >= need:  # [x, nxt) lies in half the members' alignments
            lo = x if lo is None else lo
            hi = nxt
    if lo is None or hi is None:
        return Span(bounds[0], bounds[-1])
    return Span(lo, hi)


def _built(
    family: _Family, docs: Mapping[str, Document]
) -> tuple[tuple[object, ...], tuple[Passage, ...], Passage | None, str, Kind]:
    dated = [(date_of(docs[p.doc].meta) if p.doc in docs else None, p) for p in family.members]
    dated_only = [(d, p) for d, p in dated if d]
    origin: Passage | None = None
    if dated_only:
        origin = min(dated_only, key=lambda dp: (dp[0], dp[1].doc, dp[1].span.start))[1]
    ordered = tuple(
        p
        for _, p in sorted(
            dated, key=lambda dp: (dp[0] is None, dp[0] or "", dp[1].doc, dp[1].span.start)
        )
    )
    rep = family.rep
    text = docs[rep.doc].slice(rep.span) if rep.doc in docs else ""
    doc_ids = {p.doc for p in family.members}
    key = (-len(doc_ids), -len(text), ordered[0].doc, ordered[0].span.start)
    return key, ordered, origin, text, _kind_of(family, docs)


def _kind_of(family: _Family, docs: Mapping[str, Document]) -> Kind:
    """The kind most of the family's alignments give it; a quotation only when half its
    members or more stand inside quotation marks themselves, or when its alignments tell no
    other kind. An alignment is a quotation when either side is quoted, so a star around one
    speech quoting Kofi Annan's "respect for human rights and the rule of law" counted the
    speeches that say it unquoted as quoting it: such a family is the kind its other
    alignments give it (a formula there)."""
    kind = _majority(family.kinds)
    if kind is not Kind.QUOTATION:
        return kind
    rest = family.kinds.copy()
    del rest[Kind.QUOTATION]
    if not rest:
        return kind  # (nothing says what the unquoted members are)
    from docdiff.engine.classify import inside_quotes

    held = [p for p in family.members if p.doc in docs]
    quoted = sum(inside_quotes(docs[p.doc].text, p.span) for p in held)
    return kind if 2 * quoted >= len(held) else _majority(rest)


def _majority(counts: Counter[Kind]) -> Kind:
    if not counts:
        return Kind.PHRASING
    order = list(Kind)
    return max(counts, key=lambda k: (counts[k], -order.index(k)))


def _merge_spans(nodes: Iterable[_Node]) -> list[Passage]:
    """Union of overlapping spans per document (a component may hold a doc more than once)."""
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for node in nodes:
        by_doc.setdefault(node.doc, []).append((node.start, node.end))
    out: list[Passage] = []
    for doc, spans in by_doc.items():
        spans.sort()
        cur_s, cur_e = spans[0]
        for s, e in spans[1:]:
            if s < cur_e:
                cur_e = max(cur_e, e)
            else:
                out.append(Passage(doc, Span(cur_s, cur_e)))
                cur_s, cur_e = s, e
        out.append(Passage(doc, Span(cur_s, cur_e)))
    return out


def _grams(text: str, k: int) -> set[tuple[str, ...]]:
    """Word k-grams of a text that hold at least one content word."""
    from docdiff.text.tokens import is_stopword, tokenize

    keys = tokenize(text).keys
    return {
        g
        for g in zip(*(keys[i:] for i in range(k)), strict=False)
        if not all(is_stopword(w) for w in g)
    }


def family_share(
    member: str, representative: str, *, k: int = 3, names: bool = True
) -> float | None:
    """The share of a member's content k-grams that the representative holds (None: no k-grams).

    With ``names=False`` only the 3-grams holding a word of the text's own count, not those of
    names and function words alone (each text read on its own: its first word opens a sentence).
    """
    if not names:
        mine = _own_grams(*_marks_of(member, Span(0, len(member)))[1:])
        if not mine:
            return None
        rep = _own_grams(*_marks_of(representative, Span(0, len(representative)))[1:])
        return len(mine & rep) / len(mine)
    mine = _grams(member, k)
    if not mine:
        return None
    return len(mine & _grams(representative, k)) / len(mine)


def purity(
    clusters: Sequence[Cluster],
    documents: Mapping[str, Document],
    *,
    min_members: int = 3,
    k: int = 3,
    need: float = 1 / 3,
    names: bool = True,
) -> tuple[float, int]:
    """Share of members (of clusters of `min_members`+) sharing `need` of their k-grams with the
    cluster's representative text, and how many members were judged (``names=False``: only the
    3-grams holding a word that is no name nor function word count, `family_share`)."""
    judged = good = 0
    for c in clusters:
        if len(c.members) < min_members:
            continue
        for m in c.members:
            if m.doc not in documents:
                continue
            share = family_share(documents[m.doc].slice(m.span), c.text, k=k, names=names)
            if share is None:
                continue
            judged += 1
            good += share >= need
    return (good / judged if judged else 1.0), judged
