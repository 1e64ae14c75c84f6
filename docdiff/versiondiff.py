"""Word-level version diff of two texts, with moved blocks and character detail where it helps.

The backbone aligns token-id lists with rapidfuzz (C++), after anchoring on words that occur
exactly once in each text (patience-style), so 50,000-word versions diff in well under a second.
Tokens are words (single Han and kana characters), single punctuation marks and whitespace
runs, so a changed word is always
replaced whole ("Examplia" -> "Samplestan", never ``-Ex +S``). Deleted and inserted stretches
that carry the same run of words are reported as one move. Character detail (diff-match-patch,
via `docdiff.chardiff`) is added only inside small replacements of similar words.

A `VersionDiff` tiles both texts: the hunks' ``a`` spans cover the old text in order and their
``b`` spans cover the new text in order, so `rebuild` turns the old text into the new one.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

from docdiff.model import Span
from docdiff.text.tokens import is_stopword

__all__ = [
    "DEFAULT_WHITESPACE",
    "WHITESPACE_MODES",
    "DiffStats",
    "Hunk",
    "HunkTag",
    "VersionDiff",
    "Whitespace",
    "diff_texts",
    "is_paragraph_break",
    "is_space_edit",
    "joined_unchanged",
    "line_opcodes",
    "paragraph_lines",
    "patch_ops",
    "rebuild",
    "same_place",
    "space_marks",
    "to_patch",
    "unified",
]

HunkTag = Literal["equal", "whitespace", "delete", "insert", "replace", "move_from", "move_to"]

Whitespace = Literal["paragraphs", "ignore", "show"]
"""Which differences of white space between the same words are edits: ``paragraphs`` (a
paragraph break added or removed; lines reflowed, spaces and indentation are not), ``ignore``
(none) or ``show`` (every one)."""
WHITESPACE_MODES: tuple[Whitespace, ...] = ("paragraphs", "ignore", "show")
DEFAULT_WHITESPACE: Whitespace = "paragraphs"

# Han and kana are written without spaces: each character is a word of its own.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+|\s+|[^\w\s]", re.UNICODE)
_WORD = re.compile(r"\w", re.UNICODE)
_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\x85\u2028]")
# Lines longer than this are not hard-wrapped: a text with many is written a paragraph a line.
_WRAPPED_CHARS = 120
_SPACES = re.compile(r"\s{2,}|[\f\u2029]")
# A line break after one of these may be a reflow splitting a compound ("self-\nreliance").
_HYPHENS = frozenset("-\u2010\u00ad")

DEFAULT_MIN_MOVE_WORDS = 5
# Character detail only for small replacements; beyond this, whole words read better.
_DETAIL_MAX_WORDS = 3
_DETAIL_MAX_CHARS = 80
_DETAIL_MIN_SIMILARITY = 0.5
# Moved runs this close on both sides (a few edited words apart) are one moved block.
_MOVE_JOIN_CHARS = 60
# Longest shared runs are searched exactly up to this many cells, then from seeds.
_EXACT_RUN_CELLS = 4_000_000
# Stretches without anchors whose alignment matrix would exceed this are replaced whole.
_MAX_DIRECT_CELLS = 400_000_000
# Below this many tokens a gap is aligned directly; above it, anchor again inside the gap.
_DIRECT_ALIGN_TOKENS = 2000


@dataclass(frozen=True, slots=True)
class Hunk:
    """One operation of a version diff; spans are code-point ranges in the old (a) and new (b) text.

    ``delete`` and ``move_from`` have an empty ``b`` span (where they were, in the new text);
    ``insert`` and ``move_to`` an empty ``a`` span. A move's ``other`` is its counterpart's span
    in the other text, and both halves share ``move``; unless white space is shown, the two
    halves may differ in white space (a moved paragraph that was also reflowed). A
    ``whitespace`` hunk is unchanged text whose two sides differ only in white space that the
    diff's `Whitespace` mode does not count as an edit (a line reflowed, an indent).
    """

    tag: HunkTag
    a: Span
    b: Span
    a_text: str
    b_text: str
    move: int | None = None
    other: Span | None = None
    detail: tuple[tuple[str, str], ...] = ()
    """Character ops (tag, text) from a_text to b_text, only where they help reading."""


@dataclass(frozen=True, slots=True)
class DiffStats:
    """Word counts of a diff; ``unchanged_percent`` is the share of old words left in place."""

    words_a: int
    words_b: int
    inserted: int
    deleted: int
    changed: int
    moved: int
    unchanged: int
    breaks_added: int = 0
    """Paragraph breaks added between the same words (shown as edits)."""
    breaks_removed: int = 0
    """Paragraph breaks removed between the same words (shown as edits)."""
    spacing: int = 0
    """Other white-space-only edits: every one with ``whitespace="show"``; by default, white
    space added or removed next to a mark ("word ," -> "word,")."""
    ignored: int = 0
    """Places where only white space differs and is not an edit (``whitespace`` hunks; a word
    hyphenated at a line break on one side only is one too)."""

    @property
    def unchanged_percent(self) -> float:
        """Percent of the old text's words that are unchanged and unmoved (an empty old text
        is all unchanged only when the new one is empty too)."""
        if not self.words_a:
            return 0.0 if self.words_b else 100.0
        return 100.0 * self.unchanged / self.words_a

    def line(self) -> str:
        """The one-line summary people read."""
        line = (
            f"{self.inserted} word{_s(self.inserted)} inserted, "
            f"{self.deleted} deleted, {self.changed} changed, "
            f"{self.moved} moved; {self.unchanged_percent:.1f}% unchanged"
        )
        breaks = []
        if self.breaks_added:
            breaks.append(f"{self.breaks_added} paragraph break{_s(self.breaks_added)} added")
        if self.breaks_removed:
            what = "" if breaks else f" paragraph break{_s(self.breaks_removed)}"
            breaks.append(f"{self.breaks_removed}{what} removed")
        if breaks:
            line += "; " + ", ".join(breaks)
        if self.spacing:
            line += f"; {self.spacing} white-space change{_s(self.spacing)}"
        if self.ignored:
            line += (
                f"; white space differs in {self.ignored} more place{_s(self.ignored)} (ignored)"
            )
        return line

    def to_dict(self) -> dict[str, float | int]:
        """The statistics as JSON-ready numbers."""
        return {
            "words_a": self.words_a,
            "words_b": self.words_b,
            "inserted": self.inserted,
            "deleted": self.deleted,
            "changed": self.changed,
            "moved": self.moved,
            "unchanged": self.unchanged,
            "unchanged_percent": round(self.unchanged_percent, 2),
            "paragraph_breaks_added": self.breaks_added,
            "paragraph_breaks_removed": self.breaks_removed,
            "whitespace_changes": self.spacing,
            "whitespace_ignored": self.ignored,
        }


def _s(n: int) -> str:
    return "" if n == 1 else "s"


@dataclass(frozen=True, slots=True)
class VersionDiff:
    """The old and new texts and the hunks that turn one into the other."""

    a: str
    b: str
    hunks: tuple[Hunk, ...]
    stats: DiffStats = field(compare=False)
    whitespace: Whitespace = DEFAULT_WHITESPACE
    paragraph_lines: tuple[bool, bool] = (False, False)
    """Whether the old and the new text write a paragraph per line (`paragraph_lines`): then
    their line breaks are paragraph breaks."""

    def space_marks(self, h: Hunk) -> tuple[str, str]:
        """How an edit of white space is marked on each side (see `space_marks`)."""
        return space_marks(h.a_text, h.b_text, lines=self.paragraph_lines)

    @property
    def changed(self) -> bool:
        """True when the texts differ (in anything, white space included)."""
        return self.a != self.b

    @property
    def edited(self) -> bool:
        """True when the diff shows an edit: the texts differ in more than the white space
        its `Whitespace` mode ignores."""
        return any(h.tag not in ("equal", "whitespace") for h in self.hunks)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form (schema ``docdiff.diff/2``); texts of every hunk are included."""
        hunks: list[dict[str, object]] = []
        for h in self.hunks:
            item: dict[str, object] = {
                "tag": h.tag,
                "a": [h.a.start, h.a.end],
                "b": [h.b.start, h.b.end],
                "a_text": h.a_text,
                "b_text": h.b_text,
            }
            if h.move is not None and h.other is not None:
                item["move"] = h.move
                item["other"] = [h.other.start, h.other.end]
            if h.detail:
                item["detail"] = [list(op) for op in h.detail]
            hunks.append(item)
        return {
            "schema": "docdiff.diff/2",
            "whitespace": self.whitespace,
            "paragraph_lines": list(self.paragraph_lines),
            "stats": self.stats.to_dict(),
            "hunks": hunks,
        }


def count_words(text: str) -> int:
    """Number of word tokens (runs of letters/digits) in `text`."""
    return sum(1 for m in _TOKEN.finditer(text) if _WORD.match(m.group()))


def _tokens(text: str) -> tuple[list[str], list[int]]:
    # The pattern matches every character, so tokens tile the text and offsets are running sums.
    toks = _TOKEN.findall(text)
    starts = [0, *itertools.accumulate(map(len, toks))]
    return toks, starts


# --- backbone: anchored alignment of id lists ------------------------------------------------

Opcode = tuple[str, int, int, int, int]


def _lis(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest chain of pairs increasing in both coordinates (pairs sorted by the first)."""
    tails: list[int] = []
    tail_idx: list[int] = []
    prev = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect.bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_idx.append(k)
        else:
            tails[pos] = j
            tail_idx[pos] = k
        prev[k] = tail_idx[pos - 1] if pos else -1
    out: list[tuple[int, int]] = []
    k = tail_idx[-1] if tail_idx else -1
    while k >= 0:
        out.append(pairs[k])
        k = prev[k]
    out.reverse()
    return out


def _direct(a: Sequence[int], b: Sequence[int], ao: int, bo: int) -> list[Opcode]:
    from rapidfuzz.distance import Indel

    if not a and not b:
        return []
    if not a:
        return [("insert", ao, ao, bo, bo + len(b))]
    if not b:
        return [("delete", ao, ao + len(a), bo, bo)]
    if len(a) * len(b) > _MAX_DIRECT_CELLS:
        # Nothing anchors this stretch and aligning it would take minutes and gigabytes:
        # report it as replaced whole, which is what it almost certainly is.
        return [
            ("delete", ao, ao + len(a), bo, bo),
            ("insert", ao + len(a), ao + len(a), bo, bo + len(b)),
        ]
    return [
        (op.tag, op.src_start + ao, op.src_end + ao, op.dest_start + bo, op.dest_end + bo)
        for op in Indel.opcodes(a, b)
    ]


def _align(a: Sequence[int], b: Sequence[int], ao: int, bo: int, depth: int) -> list[Opcode]:
    """Opcodes (equal/delete/insert) aligning `a` with `b`; offsets ao/bo are added."""
    # Common prefix and suffix first: cheap, and most of a version diff.
    n = min(len(a), len(b))
    pre = 0
    while pre < n and a[pre] == b[pre]:
        pre += 1
    suf = 0
    while suf < n - pre and a[len(a) - 1 - suf] == b[len(b) - 1 - suf]:
        suf += 1
    out: list[Opcode] = []
    if pre:
        out.append(("equal", ao, ao + pre, bo, bo + pre))
    mid_a = a[pre : len(a) - suf]
    mid_b = b[pre : len(b) - suf]
    ma, mb = ao + pre, bo + pre
    if len(mid_a) + len(mid_b) <= _DIRECT_ALIGN_TOKENS or depth >= 3 or not mid_a or not mid_b:
        out.extend(_direct(mid_a, mid_b, ma, mb))
    else:
        out.extend(_anchored(mid_a, mid_b, ma, mb, depth))
    if suf:
        out.append(("equal", ao + len(a) - suf, ao + len(a), bo + len(b) - suf, bo + len(b)))
    return out


def _anchored(a: Sequence[int], b: Sequence[int], ao: int, bo: int, depth: int) -> list[Opcode]:
    count_a = Counter(a)
    count_b = Counter(b)
    where_b = {t: j for j, t in enumerate(b) if count_b[t] == 1}
    pairs = [(i, where_b[t]) for i, t in enumerate(a) if count_a[t] == 1 and t in where_b]
    anchors = _lis(pairs)
    if not anchors:
        return _direct(a, b, ao, bo)
    out: list[Opcode] = []
    pi = pj = 0
    for i, j in [*anchors, (len(a), len(b))]:
        out.extend(_align(a[pi:i], b[pj:j], ao + pi, bo + pj, depth + 1))
        if i < len(a):
            out.append(("equal", ao + i, ao + i + 1, bo + j, bo + j + 1))
        pi, pj = i + 1, j + 1
    return out


def _opcodes(a: Sequence[int], b: Sequence[int]) -> list[Opcode]:
    """Merged equal/delete/insert opcodes over the whole of `a` and `b`."""
    merged: list[Opcode] = []
    for op in _align(a, b, 0, 0, 0):
        if op[1] == op[2] and op[3] == op[4]:
            continue
        if merged and merged[-1][0] == op[0] == "equal":
            last = merged[-1]
            merged[-1] = ("equal", last[1], op[2], last[3], op[4])
        else:
            merged.append(op)
    return merged


def _word_opcodes(
    ia: Sequence[int], ib: Sequence[int], space_a: Sequence[bool], space_b: Sequence[bool]
) -> list[Opcode]:
    """Opcodes over all tokens, aligned on the non-whitespace tokens only.

    Whitespace runs are the most frequent tokens, so a plain LCS would rather line up the
    spaces of two unrelated paragraphs than the words of two matching ones.
    """
    na = [i for i, sp in enumerate(space_a) if not sp]
    nb = [j for j, sp in enumerate(space_b) if not sp]
    out: list[Opcode] = []

    def equal(a0: int, a1: int, b0: int, b1: int) -> None:
        if a1 > a0:
            if out and out[-1][0] == "equal" and out[-1][2] == a0 and out[-1][4] == b0:
                out[-1] = ("equal", out[-1][1], a1, out[-1][3], b1)
            else:
                out.append(("equal", a0, a1, b0, b1))

    def gap(a0: int, a1: int, b0: int, b1: int) -> None:
        # Shared leading/trailing tokens (the spaces around a changed word) stay equal.
        while a0 < a1 and b0 < b1 and ia[a0] == ib[b0]:
            equal(a0, a0 + 1, b0, b0 + 1)
            a0, b0 = a0 + 1, b0 + 1
        tail = 0
        while a1 - tail > a0 and b1 - tail > b0 and ia[a1 - tail - 1] == ib[b1 - tail - 1]:
            tail += 1
        if a1 - tail > a0:
            out.append(("delete", a0, a1 - tail, b0, b0))
        if b1 - tail > b0:
            out.append(("insert", a1 - tail, a1 - tail, b0, b1 - tail))
        equal(a1 - tail, a1, b1 - tail, b1)

    pa = pb = 0
    for tag, i1, i2, j1, _ in _opcodes([ia[i] for i in na], [ib[j] for j in nb]):
        if tag != "equal":
            continue  # changes are whatever lies between aligned words
        for k in range(i2 - i1):
            ta, tb = na[i1 + k], nb[j1 + k]
            gap(pa, ta, pb, tb)
            equal(ta, ta + 1, tb, tb + 1)
            pa, pb = ta + 1, tb + 1
    gap(pa, len(ia), pb, len(ib))
    return out


def _ids(*seqs: Sequence[str]) -> list[list[int]]:
    table: dict[str, int] = {}
    return [[table.setdefault(t, len(table)) for t in seq] for seq in seqs]


def line_opcodes(a_lines: Sequence[str], b_lines: Sequence[str]) -> list[Opcode]:
    """Equal/delete/insert opcodes between two lists of lines (same backbone as words)."""
    ia, ib = _ids(a_lines, b_lines)
    return _opcodes(ia, ib)


# --- hunks -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Part:
    start: int  # token index on its side
    end: int
    move: int | None = None
    other: tuple[int, int] | None = None  # token range on the other side
    alive: bool = True  # False once split into pieces


@dataclass(slots=True)
class _Change:
    a0: int
    a1: int
    b0: int
    b1: int
    a_parts: list[_Part]
    b_parts: list[_Part]


def _changes(
    ops: list[Opcode],
    word_a: list[bool],
    word_b: list[bool],
    function_a: Sequence[bool],
) -> list[tuple[str, int, int, int, int]]:
    """Group opcodes into equal runs and changes, absorbing equal runs too small to matter.

    An equal run between two changes is absorbed when it has no word (a shared space would
    split "the quick" -> "a slow" into interleaved swaps) or fewer words than the changes on
    both sides (a stray "of" matched inside a deleted paragraph would cut it into pieces); or,
    made of function words only (`function_a`, by token of `a`), no more words than the
    smaller change and fewer than the larger: "[-use a new undo block for the next
    change-]{+break a change into two undo blocks+}", not "[-use-]{+break+} a [-new undo
    block …-]" (but "the [-quick-]{+slow+} of [-fox-]{+dog+}" keeps its "of").
    """
    cum_a = [0]
    for w in word_a:
        cum_a.append(cum_a[-1] + w)
    cum_f = [0]
    for f in function_a:
        cum_f.append(cum_f[-1] + f)
    cum_b = [0]
    for w in word_b:
        cum_b.append(cum_b[-1] + w)

    def size(g: tuple[str, int, int, int, int]) -> int:
        return max(cum_a[g[2]] - cum_a[g[1]], cum_b[g[4]] - cum_b[g[3]])

    grouped: list[tuple[str, int, int, int, int]] = []
    for tag, a0, a1, b0, b1 in ops:
        kind = "equal" if tag == "equal" else "change"
        if grouped and grouped[-1][0] == kind == "change":
            g = grouped[-1]
            grouped[-1] = ("change", g[1], a1, g[3], b1)
        else:
            grouped.append((kind, a0, a1, b0, b1))
    out: list[tuple[str, int, int, int, int]] = []
    k = 0
    while k < len(grouped):
        g = grouped[k]
        if g[0] == "equal" and out and out[-1][0] == "change" and k + 1 < len(grouped):
            nxt = grouped[k + 1]
            prev = out[-1]
            eq = cum_a[g[2]] - cum_a[g[1]]
            small, large = sorted((size(prev), size(nxt)))
            idle = cum_f[g[2]] - cum_f[g[1]] == eq
            if eq == 0 or eq < small or (idle and eq <= small and eq < large):
                out[-1] = ("change", prev[1], nxt[2], prev[3], nxt[4])
                k += 2
                continue
        out.append(g)
        k += 1
    return out


_Group = tuple[str, int, int, int, int]
# How far a deletion or insertion may slide to find a better boundary (tokens).
_MAX_SLIDE = 400


def _slide(
    grouped: list[_Group],
    na: Sequence[int],
    nb: Sequence[int],
    ta: Sequence[str],
    tb: Sequence[str],
) -> list[_Group]:
    """Slide each pure deletion or insertion to where it reads best, as diff-match-patch's
    semantic cleanup and git's indent heuristic do.

    "The two Governments ... coexistence.\n\nThe " deleted after "relations.\n\n" is the
    same edit as "The two Governments ... coexistence.\n\n" deleted one word earlier; the
    latter is the paragraph the user moved or deleted. A run may slide while the token it
    gives up equals the token it takes on; the position whose two ends are the best
    boundaries wins (paragraph, line, sentence, word), the first one found on a tie.
    """
    # An empty equal run at an end gives every change an equal neighbour on each side.
    out = list(grouped)
    if out and out[0][0] == "change":
        out.insert(0, ("equal", 0, 0, 0, 0))
    if out and out[-1][0] == "change":
        out.append(("equal", len(na), len(na), len(nb), len(nb)))
    for k, (kind, a0, a1, b0, b1) in enumerate(out):
        if kind != "change" or (a0 != a1) == (b0 != b1):
            continue
        deletion = a0 != a1
        ids, toks = (na, ta) if deletion else (nb, tb)
        lo, hi = (a0, a1) if deletion else (b0, b1)
        # An equal run between two changes keeps a token, so the changes stay apart.
        keep_prev = 0 if k == 1 else 1
        keep_next = 0 if k == len(out) - 2 else 1
        prev_lo = _side(out[k - 1], deletion)[0] + keep_prev
        next_hi = _side(out[k + 1], deletion)[1] - keep_next
        left = 0
        while (
            left < _MAX_SLIDE
            and lo - left - 1 >= prev_lo
            and ids[lo - left - 1] == ids[hi - left - 1]
        ):
            left += 1
        right = 0
        while right < _MAX_SLIDE and hi + right < next_hi and ids[lo + right] == ids[hi + right]:
            right += 1
        if not left and not right:
            continue
        best = max(
            range(-left, right + 1),
            key=lambda d: (_boundary(toks, lo + d) + _boundary(toks, hi + d), d == 0),
        )
        if best:
            _shift(out, k, best)
    return [g for g in out if g[1] != g[2] or g[3] != g[4]]


def _side(group: _Group, old: bool) -> tuple[int, int]:
    """A group's token range in the old text (`old`) or in the new one."""
    return (group[1], group[2]) if old else (group[3], group[4])


def _shift(out: list[_Group], k: int, d: int) -> None:
    """Move change `k` by `d` tokens (both sides' positions: one side of it is empty), its
    equal neighbours giving up or taking on the tokens."""
    _, a0, a1, b0, b1 = out[k]
    out[k] = ("change", a0 + d, a1 + d, b0 + d, b1 + d)
    _, p0, p1, q0, q1 = out[k - 1]
    out[k - 1] = ("equal", p0, p1 + d, q0, q1 + d)
    _, n0, n1, m0, m1 = out[k + 1]
    out[k + 1] = ("equal", n0 + d, n1, m0 + d, m1)


def _boundary(tokens: Sequence[str], p: int) -> int:
    """How good a place position `p` (between two tokens) is for an edit to start or end."""
    if p <= 0 or p >= len(tokens):
        return 6
    before, after = tokens[p - 1], tokens[p]
    if before.isspace():
        if is_paragraph_break(before):
            return 5
        if _LINE_BREAK.search(before):
            return 4
        return 3 if p >= 2 and tokens[p - 2][-1:] in ".!?;:" else 2
    return 1 if after.isspace() else 0


def _find_moves(
    changes: list[_Change],
    *,
    ia: list[int],
    ib: list[int],
    word_a: list[bool],
    word_b: list[bool],
    space_a: list[bool],
    min_words: int,
) -> None:
    """Split changes where a deleted run reappears verbatim as an inserted run (a move)."""
    k = min_words
    wpos_a = [i for i, w in enumerate(word_a) if w]
    wpos_b = [j for j, w in enumerate(word_b) if w]
    # Word k-grams of every inserted part, to find candidate partners of a deleted part.
    index: dict[tuple[int, ...], list[tuple[_Change, _Part]]] = defaultdict(list)

    def grams(part: _Part, wpos: list[int], ids: list[int]) -> Iterator[tuple[int, ...]]:
        lo = bisect.bisect_left(wpos, part.start)
        hi = bisect.bisect_left(wpos, part.end)
        words = [ids[i] for i in wpos[lo:hi]]
        for s in range(len(words) - k + 1):
            yield tuple(words[s : s + k])

    def add(ch: _Change, part: _Part) -> None:
        for g in grams(part, wpos_b, ib):
            index[g].append((ch, part))

    for ch in changes:
        for part in ch.b_parts:
            add(ch, part)
    if not index:
        return
    work = [(ch, part) for ch in changes for part in ch.a_parts]
    next_move = 0
    while work:
        ch, part = work.pop()
        seen: dict[int, tuple[_Change, _Part]] = {}
        for g in grams(part, wpos_a, ia):
            for cand in index.get(g, ()):
                # (Not the change's own insertion: a run both its sides hold is an equal run
                # `_changes` absorbed into it, where it stands, not a move.)
                if cand[0] is not ch and cand[1].move is None and cand[1].alive:
                    seen[id(cand[1])] = cand
        best = _best_partner(part, seen.values(), ia, ib, word_a, space_a, min_words)
        if best is None:
            continue
        _, i0, j0, size, other_ch, other = best
        move = next_move
        next_move += 1
        # The rest of a deleted part may hold another move.
        rest = _split(ch.a_parts, part, (i0, i0 + size), move, (j0, j0 + size))
        work.extend((ch, piece) for piece in rest)
        for piece in _split(other_ch.b_parts, other, (j0, j0 + size), move, (i0, i0 + size)):
            add(other_ch, piece)


def _best_partner(
    part: _Part,
    candidates: Iterable[tuple[_Change, _Part]],
    ia: list[int],
    ib: list[int],
    word_a: list[bool],
    space_a: list[bool],
    min_words: int,
) -> tuple[int, int, int, int, _Change, _Part] | None:
    """The inserted part sharing the longest run of words (at least `min_words`) with the
    deleted `part`: (words, start in A, start in B, size, its change, the part), or None."""
    best: tuple[int, int, int, int, _Change, _Part] | None = None
    for other_ch, other in candidates:
        ma, mb, size = _longest_run(ia[part.start : part.end], ib[other.start : other.end])
        i0, j0 = part.start + ma, other.start + mb
        # Trim whitespace at the edges so a move starts and ends on a word or mark.
        while size and space_a[i0]:
            i0, j0, size = i0 + 1, j0 + 1, size - 1
        while size and space_a[i0 + size - 1]:
            size -= 1
        nw = sum(word_a[i0 : i0 + size])
        if nw >= min_words and (best is None or nw > best[0]):
            best = (nw, i0, j0, size, other_ch, other)
    return best


def _longest_run(a: Sequence[int], b: Sequence[int]) -> tuple[int, int, int]:
    """(i, j, size) of the longest run shared by `a` and `b`.

    Exact for moderate sizes; for big stretches, the longest run found by extending seeds of
    rare 8-token grams, so a huge rewrite never costs quadratic time.
    """
    if len(a) * len(b) <= _EXACT_RUN_CELLS:
        m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
        return m.a, m.b, m.size
    k = 8
    where: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for j in range(len(b) - k + 1):
        where[tuple(b[j : j + k])].append(j)
    best = (0, 0, 0)
    reach = -1  # a seed inside the run found last adds nothing
    for i in range(len(a) - k + 1):
        if i < reach:
            continue
        hits = where.get(tuple(a[i : i + k]))
        if not hits or len(hits) > 4:
            continue  # absent, or too common to say where the block went
        for j in hits:
            s, t = i, j
            while s > 0 and t > 0 and a[s - 1] == b[t - 1]:
                s, t = s - 1, t - 1
            e = i + k
            while e < len(a) and e - s + t < len(b) and a[e] == b[e - s + t]:
                e += 1
            if e - s > best[2]:
                best = (s, t, e - s)
                reach = e
    return best


def _split(
    parts: list[_Part], part: _Part, span: tuple[int, int], move: int, other: tuple[int, int]
) -> list[_Part]:
    """Replace `part` by its pieces around the moved `span`; return the unmoved pieces."""
    s, e = span
    pi = next(i for i, p in enumerate(parts) if p is part)
    part.alive = False
    rest = []
    if part.start < s:
        rest.append(_Part(part.start, s))
    moved = _Part(s, e, move, other)
    if e < part.end:
        rest.append(_Part(e, part.end))
    parts[pi : pi + 1] = sorted([*rest, moved], key=lambda p: p.start)
    return rest


def diff_texts(
    a: str,
    b: str,
    *,
    min_move_words: int = DEFAULT_MIN_MOVE_WORDS,
    whitespace: Whitespace = DEFAULT_WHITESPACE,
) -> VersionDiff:
    """The word-level version diff turning text `a` into text `b`.

    `whitespace` says which differences of white space between the same words are edits (see
    `Whitespace`); the others become ``whitespace`` hunks. The hunks rebuild `b` exactly in
    every mode.
    """
    if whitespace not in WHITESPACE_MODES:
        msg = f"whitespace must be one of {', '.join(WHITESPACE_MODES)}, not {whitespace!r}"
        raise ValueError(msg)
    ta, sa = _tokens(a)
    tb, sb = _tokens(b)
    ia, ib = _ids(ta, tb)
    is_word = {t: bool(_WORD.match(t)) for t in {*ta, *tb}}
    word_a = [is_word[t] for t in ta]
    word_b = [is_word[t] for t in tb]
    space_a = [t.isspace() for t in ta]
    space_b = [t.isspace() for t in tb]
    lines = (paragraph_lines(a), paragraph_lines(b))
    # Aligned as the mode compares them: white space that differs but does not count (a line
    # break for a space) does not cut a run of words, a moved block, or a slide.
    na, nb = (ia, ib) if whitespace == "show" else _ids(
        [_space_key(t, whitespace, lines[0]) or " " for t in ta],
        [_space_key(t, whitespace, lines[1]) or " " for t in tb],
    )  # fmt: skip
    ops = _word_opcodes(na, nb, space_a, space_b)
    function_a = [w and is_stopword(t.lower()) for t, w in zip(ta, word_a, strict=True)]
    grouped = _slide(_changes(ops, word_a, word_b, function_a), na, nb, ta, tb)

    changes: list[_Change] = []
    for kind, a0, a1, b0, b1 in grouped:
        if kind == "change":
            a_parts = [_Part(a0, a1)] if a1 > a0 else []
            b_parts = [_Part(b0, b1)] if b1 > b0 else []
            changes.append(_Change(a0, a1, b0, b1, a_parts, b_parts))
    if min_move_words > 0:
        _find_moves(
            changes,
            ia=na,
            ib=nb,
            word_a=word_a,
            word_b=word_b,
            space_a=space_a,
            min_words=min_move_words,
        )

    hunks: list[Hunk] = []
    ci = 0
    for kind, a0, a1, b0, _ in grouped:
        if kind == "equal":
            hunks.extend(_aligned(a, b, ta, tb, sa, sb, (a0, a1, b0)))
            continue
        ch = changes[ci]
        ci += 1
        hunks.extend(_change_hunks(ch, a, b, sa, sb))
    hunks = _split_spacing(_group_moves(_merge_replace(hunks)), a, b, whitespace, lines)
    if whitespace != "show":
        hunks = _space_of_moves(hunks)
    stats = _stats(hunks, _Counter(sa, word_a), _Counter(sb, word_b), lines)
    return VersionDiff(a, b, tuple(hunks), stats, whitespace, lines)


# --- white space -----------------------------------------------------------------------------


def paragraph_lines(text: str) -> bool:
    """True when `text` writes one paragraph per line: it has no blank line, and at least a
    fifth of its lines are longer than a hard-wrapped line would be (120 characters). Its
    line breaks are then its paragraph breaks."""
    if any(is_paragraph_break(m.group()) for m in _SPACES.finditer(text)):
        return False
    lines = [line for line in _LINE_BREAK.split(text) if line.strip()]
    return len(lines) > 1 and sum(len(line) > _WRAPPED_CHARS for line in lines) * 5 >= len(lines)


def is_paragraph_break(space: str, *, lines: bool = False) -> bool:
    """True when a run of white space holds a blank line (two line breaks, spaces between them
    allowed) or a paragraph or page separator; with `lines` (a text that writes a paragraph per
    line, see `paragraph_lines`), any line break."""
    if lines and _LINE_BREAK.search(space):
        return True
    return "\u2029" in space or "\f" in space or len(_LINE_BREAK.findall(space)) >= 2


def space_marks(
    old: str, new: str, *, lines: tuple[bool, bool] = (False, False)
) -> tuple[str, str]:
    """How an edit of white space `old` -> `new` is marked on each side ("" for no mark): a
    paragraph break added or removed is a ``¶`` on the side that has it; any other change
    shows both sides, ``↵`` per line break, ``⇥`` per tab and ``␣`` per other space. `lines`
    says whether each side writes a paragraph per line (`VersionDiff.paragraph_lines`)."""
    was = is_paragraph_break(old, lines=lines[0])
    now = is_paragraph_break(new, lines=lines[1])
    if was != now:
        return ("¶", "") if was else ("", "¶")
    return _visible(old), _visible(new)


def _visible(space: str) -> str:
    marks = _LINE_BREAK.sub("↵", space)
    return "".join("⇥" if c == "\t" else c if c == "↵" else "␣" for c in marks)


def same_place(a_text: str, b_text: str, cut: int) -> int:
    """Where offset `cut` of `a_text` falls in `b_text`, two texts equal but for white space
    (and words hyphenated at a line break, `_same_words`): after the same words and marks,
    and past the white space that follows them when `cut` is past white space too (a row or
    fold that ends at a line break ends there on both sides)."""
    if a_text == b_text:
        return cut
    marks = 0
    pos = 0
    for t in _units(a_text):  # a word hyphenated across `cut` is before it, whole
        if pos >= cut:
            break
        marks += not t.isspace()
        pos += len(t)
    pos = 0
    for t in _units(b_text):
        if not marks and (not t.isspace() or not (cut and a_text[cut - 1].isspace())):
            break
        marks -= not t.isspace()
        pos += len(t)
    return pos


def _units(text: str) -> Iterator[str]:
    """`text`'s tokens, a word hyphenated at a line break ("arbi-\ntration") as one (see
    `_same_words`)."""
    tokens = _TOKEN.findall(text)
    for k, n in _word_runs(tokens):
        yield "".join(tokens[k : k + n])


def _word_runs(tokens: Sequence[str]) -> Iterator[tuple[int, int]]:
    """Each token's place and length 1, but a word hyphenated at a line break
    (`_split_word_at`): its four tokens at once."""
    k = 0
    while k < len(tokens):
        n = 4 if _split_word_at(tokens, k) else 1
        yield k, n
        k += n


def joined_unchanged(hunks: Iterable[Hunk]) -> Iterator[Hunk]:
    """The hunks with each run of unchanged ones (``equal``, or ``whitespace``) joined into one
    ``equal`` hunk whose two texts may differ in white space, for views that read unchanged
    text as one stretch (folding it, cutting it into rows)."""
    run: list[Hunk] = []
    for h in [*hunks, None]:
        if h is not None and h.tag in ("equal", "whitespace"):
            run.append(h)
            continue
        if len(run) == 1 and run[0].tag == "equal":
            yield run[0]
        elif run:
            a = Span(run[0].a.start, run[-1].a.end)
            b = Span(run[0].b.start, run[-1].b.end)
            yield Hunk(
                "equal", a, b, "".join(u.a_text for u in run), "".join(u.b_text for u in run)
            )
        run = []
        if h is not None:
            yield h


def is_space_edit(h: Hunk) -> bool:
    """True for an edit of white space only (shown: a paragraph break, or any with ``show``)."""
    return h.tag in ("replace", "insert", "delete") and not (h.a_text + h.b_text).strip()


def _space_key(token: str, mode: Whitespace, lines: bool = False) -> str | None:
    """What a token is compared as: itself, or for white space its class under `mode` (None:
    white space that does not count at all); `lines`: the text writes a paragraph per line."""
    if not token.isspace() or mode == "show":
        return token
    if mode == "ignore":
        return None
    return "\n\n" if is_paragraph_break(token, lines=lines) else " "


def _equivalent_prefix(ka: Sequence[str | None], kb: Sequence[str | None]) -> tuple[int, int]:
    """How many tokens of each side the longest equivalent prefix covers (None keys are free)."""
    i = j = 0
    while True:
        while i < len(ka) and ka[i] is None:
            i += 1
        while j < len(kb) and kb[j] is None:
            j += 1
        if i < len(ka) and j < len(kb) and ka[i] == kb[j]:
            i, j = i + 1, j + 1
        else:
            return i, j


def _split_spacing(
    hunks: list[Hunk], a: str, b: str, mode: Whitespace, lines: tuple[bool, bool]
) -> list[Hunk]:
    """Split each edit into what differs only in white space and what really changed.

    Stretches of an edit that are equal but for white space the mode does not count become
    ``whitespace`` hunks, and white space that is an edit (a paragraph break added) becomes a
    hunk of its own, so a changed word is never marked together with a line break. White
    space at the very start or end of both texts is never an edit unless it is shown.
    """
    out: list[Hunk] = []
    for h in hunks:
        if h.tag not in ("replace", "delete", "insert"):
            _append(out, h)
            continue
        ta, tb = _TOKEN.findall(h.a_text), _TOKEN.findall(h.b_text)
        start = h.a.start == 0 and h.b.start == 0
        end = h.a.end == len(a) and h.b.end == len(b)
        before_a, before_b = a[h.a.start - 1 : h.a.start], b[h.b.start - 1 : h.b.start]
        ka = _keys(ta, mode, at_start=start, at_end=end, before=before_a, lines=lines[0])
        kb = _keys(tb, mode, at_start=start, at_end=end, before=before_b, lines=lines[1])
        pieces = _same_but_space(ta, tb, ka, kb)
        if pieces is None and mode != "show" and _same_words(ta, ka, tb, kb):
            # The same words, one of them hyphenated at a line break on one side only
            # ("arbi-\ntration" for "arbitration"): laid out anew, not changed.
            pieces = [("same", h.a_text, h.b_text)]
        pieces = pieces or _around_core(ta, tb, ka, kb)
        apos, bpos = h.a.start, h.b.start
        for kind, a_piece, b_piece in pieces:
            if not a_piece and not b_piece:
                continue
            a_span = Span(apos, apos + len(a_piece))
            b_span = Span(bpos, bpos + len(b_piece))
            apos, bpos = a_span.end, b_span.end
            if kind == "same":
                tag: HunkTag = "equal" if a_piece == b_piece else "whitespace"
                _append(out, Hunk(tag, a_span, b_span, a_piece, b_piece))
            elif not b_piece:
                out.append(Hunk("delete", a_span, b_span, a_piece, ""))
            elif not a_piece:
                out.append(Hunk("insert", a_span, b_span, "", b_piece))
            else:
                detail = _detail(a_piece, b_piece) if kind == "core" else ()
                out.append(Hunk("replace", a_span, b_span, a_piece, b_piece, detail=detail))
    return out


def _space_of_moves(hunks: list[Hunk]) -> list[Hunk]:
    """White space left behind by a moved block or arriving with it (the blank line after a
    moved paragraph) is not an edit of its own: it becomes a ``whitespace`` hunk."""
    out = list(hunks)
    for k, h in enumerate(out):
        if not is_space_edit(h) or h.tag == "replace":
            continue
        partner = "move_from" if h.tag == "delete" else "move_to"
        near = [out[i].tag for i in (k - 1, k + 1) if 0 <= i < len(out)]
        if partner in near:
            out[k] = Hunk("whitespace", h.a, h.b, h.a_text, h.b_text)
    return out


_Piece = tuple[Literal["same", "space", "core"], str, str]


def _same_but_space(
    ta: list[str], tb: list[str], ka: list[str | None], kb: list[str | None]
) -> list[_Piece] | None:
    """An edit whose words and marks are the same on both sides, as stretches that are the
    same but for white space that does not count and white space that is an edit; None when
    the words or marks differ."""
    pieces: list[_Piece] = []
    i = j = 0
    while i < len(ta) or j < len(tb):
        space_a = i < len(ta) and ta[i].isspace()
        space_b = j < len(tb) and tb[j].isspace()
        if space_a or space_b:
            same = (ka[i] if space_a else None) == (kb[j] if space_b else None)
            piece: _Piece = (
                "same" if same else "space",
                ta[i] if space_a else "",
                tb[j] if space_b else "",
            )
            i, j = i + space_a, j + space_b
        elif i < len(ta) and j < len(tb) and ta[i] == tb[j]:
            piece = ("same", ta[i], tb[j])
            i, j = i + 1, j + 1
        else:
            return None
        if pieces and pieces[-1][0] == piece[0] == "same":
            pieces[-1] = ("same", pieces[-1][1] + piece[1], pieces[-1][2] + piece[2])
        else:
            pieces.append(piece)
    return pieces


def _around_core(
    ta: list[str], tb: list[str], ka: list[str | None], kb: list[str | None]
) -> list[_Piece]:
    """An edit of words as five stretches: the same but for white space, white space that is
    an edit, the changed words, white space that is an edit, the same but for white space."""
    pa, pb = _equivalent_prefix(ka, kb)
    sa, sb = _equivalent_prefix(ka[pa:][::-1], kb[pb:][::-1])
    lo_a, lo_b, hi_a, hi_b = pa, pb, len(ta) - sa, len(tb) - sb
    lead = lo_a < hi_a and lo_b < hi_b and ta[lo_a].isspace() and tb[lo_b].isspace()
    trail = (
        hi_a > lo_a + lead
        and hi_b > lo_b + lead
        and ta[hi_a - 1].isspace()
        and tb[hi_b - 1].isspace()
    )
    cuts_a = [0, lo_a, lo_a + lead, hi_a - trail, hi_a, len(ta)]
    cuts_b = [0, lo_b, lo_b + lead, hi_b - trail, hi_b, len(tb)]
    kinds: tuple[Literal["same", "space", "core"], ...] = ("same", "space", "core", "space", "same")
    return [
        (kind, "".join(ta[cuts_a[k] : cuts_a[k + 1]]), "".join(tb[cuts_b[k] : cuts_b[k + 1]]))
        for k, kind in enumerate(kinds)
    ]


def _keys(
    tokens: Sequence[str],
    mode: Whitespace,
    *,
    at_start: bool,
    at_end: bool,
    before: str = "",
    lines: bool = False,
) -> list[str | None]:
    """What each token is compared as under `mode` (see `_space_key`). Unless white space is
    shown, it does not count at all (None) at the very start or end of a text, nor where it is
    a line break after a hyphen: reflowing splits a compound there ("self-\nreliance")."""
    keys = [_space_key(t, mode, lines) for t in tokens]
    if mode == "show" or not tokens:
        return keys
    if at_start and tokens[0].isspace():
        keys[0] = None
    if at_end and tokens[-1].isspace():
        keys[-1] = None
    prev = before
    for k, t in enumerate(tokens):
        if keys[k] == " " and prev[-1:] in _HYPHENS and _LINE_BREAK.search(t):
            keys[k] = None
        prev = t
    return keys


def _split_word_at(tokens: Sequence[str], k: int) -> bool:
    """Whether tokens k..k+3 are a word hyphenated at a line break: a word, a hyphen, white
    space holding a line break, a word ("arbi", "-", "\n", "tration")."""
    return (
        k + 3 < len(tokens)
        and tokens[k + 1] in _HYPHENS
        and tokens[k + 2].isspace()
        and _LINE_BREAK.search(tokens[k + 2]) is not None
        and _WORD.match(tokens[k]) is not None
        and _WORD.match(tokens[k + 3]) is not None
    )


def _same_words(
    ta: Sequence[str], ka: Sequence[str | None], tb: Sequence[str], kb: Sequence[str | None]
) -> bool:
    """Whether two runs of tokens (with their keys, see `_keys`) hold the same words, a word
    hyphenated at a line break on one side ("arbi-\ntration": hard-wrapped text and text taken
    from a PDF split words so) read as the one word the other side writes ("arbitration"),
    or as the compound it may be ("self-\nreliance" for "self-reliance")."""
    a, b = _word_units(ta, ka), _word_units(tb, kb)
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            i, j = i + 1, j + 1
            continue
        step = _split_step(a[i], b, j)
        if step:
            i, j = i + 1, j + step
            continue
        step = _split_step(b[j], a, i)
        if not step:
            return False
        i, j = i + step, j + 1
    return i == len(a) and j == len(b)


def _word_units(tokens: Sequence[str], keys: Sequence[str | None]) -> list[tuple[str, ...]]:
    """The keys that count (None left out), each as a 1-tuple, and each word hyphenated at a
    line break as the 3-tuple of its parts and hyphen."""
    out: list[tuple[str, ...]] = []
    for k, n in _word_runs(tokens):
        key = keys[k]
        if n == 4:
            out.append((tokens[k], tokens[k + 1], tokens[k + 3]))
        elif key is not None:
            out.append((key,))
    return out


def _split_step(unit: tuple[str, ...], other: list[tuple[str, ...]], j: int) -> int:
    """How many of `other`'s units from `j` a word split at a line break (`unit`) stands for:
    the whole word (1), the compound with its hyphen (3), or none (0)."""
    if len(unit) != 3:
        return 0
    head, hyphen, tail = unit
    if other[j] == (head + tail,):
        return 1
    if other[j : j + 3] == [(head,), (hyphen,), (tail,)]:
        return 3
    return 0


def _append(out: list[Hunk], h: Hunk) -> None:
    """Append, joining a hunk to an adjacent one of the same unchanged kind."""
    prev = out[-1] if out else None
    if prev is None or prev.tag != h.tag or h.tag not in ("equal", "whitespace"):
        out.append(h)
        return
    out[-1] = Hunk(
        h.tag,
        Span(prev.a.start, h.a.end),
        Span(prev.b.start, h.b.end),
        prev.a_text + h.a_text,
        prev.b_text + h.b_text,
    )


def _aligned(
    a: str,
    b: str,
    ta: list[str],
    tb: list[str],
    sa: list[int],
    sb: list[int],
    at: tuple[int, int, int],
) -> Iterator[Hunk]:
    """An aligned stretch of tokens (old tokens a0..a1 facing new ones from b0) as ``equal``
    hunks, and ``whitespace`` hunks where the two sides' white space differs but does not
    count."""
    i, end, j = at
    while i < end:
        same = ta[i] == tb[j]
        k = 1
        while i + k < end and (ta[i + k] == tb[j + k]) == same:
            k += 1
        a0, a1, b0, b1 = sa[i], sa[i + k], sb[j], sb[j + k]
        yield Hunk(
            "equal" if same else "whitespace", Span(a0, a1), Span(b0, b1), a[a0:a1], b[b0:b1]
        )
        i, j = i + k, j + k


def _change_hunks(ch: _Change, a: str, b: str, sa: list[int], sb: list[int]) -> Iterator[Hunk]:
    # Old-side parts first (they sit at the change's start in the new text), then new-side parts.
    bpos = sb[ch.b0]
    for p in ch.a_parts:
        a0, a1 = sa[p.start], sa[p.end]
        if p.move is not None and p.other is not None:
            other = Span(sb[p.other[0]], sb[p.other[1]])
            yield Hunk("move_from", Span(a0, a1), Span(bpos, bpos), a[a0:a1], "", p.move, other)
        else:
            yield Hunk("delete", Span(a0, a1), Span(bpos, bpos), a[a0:a1], "")
    apos = sa[ch.a1]
    for p in ch.b_parts:
        b0, b1 = sb[p.start], sb[p.end]
        if p.move is not None and p.other is not None:
            other = Span(sa[p.other[0]], sa[p.other[1]])
            yield Hunk("move_to", Span(apos, apos), Span(b0, b1), "", b[b0:b1], p.move, other)
        else:
            yield Hunk("insert", Span(apos, apos), Span(b0, b1), "", b[b0:b1])


def _merge_replace(hunks: list[Hunk]) -> list[Hunk]:
    """A delete followed directly by an insert reads as one replacement."""
    out: list[Hunk] = []
    for h in hunks:
        prev = out[-1] if out else None
        if prev is not None and prev.tag == "delete" and h.tag == "insert":
            # The delete's empty b span sits where the change starts in b; the replace spans both.
            merged = Hunk(
                "replace",
                Span(prev.a.start, prev.a.end),
                Span(h.b.start, h.b.end),
                prev.a_text,
                h.b_text,
            )
            out[-1] = Hunk(
                merged.tag, merged.a, merged.b, merged.a_text, merged.b_text,
                detail=_detail(merged.a_text, merged.b_text),
            )  # fmt: skip
        else:
            out.append(h)
    return _fix_positions(out)


def _group_moves(hunks: list[Hunk]) -> list[Hunk]:
    """Number moves, from 1, so the pieces of one moved block share a number.

    A block moved and then edited inside reaches us as several exact runs; when consecutive
    runs sit close together on both sides they are one move, shown under one number.
    """
    froms = sorted((h for h in hunks if h.tag == "move_from"), key=lambda h: h.a.start)
    tos = {h.move: h for h in hunks if h.tag == "move_to"}
    number: dict[int | None, int] = {}
    prev: tuple[Hunk, Hunk] | None = None
    group = 0
    for f in froms:
        t = tos[f.move]
        joined = (
            prev is not None
            and 0 <= f.a.start - prev[0].a.end <= _MOVE_JOIN_CHARS
            and 0 <= t.b.start - prev[1].b.end <= _MOVE_JOIN_CHARS
        )
        if not joined:
            group += 1
        number[f.move] = group
        prev = (f, t)
    return [dataclasses.replace(h, move=number[h.move]) if h.move is not None else h for h in hunks]


def _fix_positions(hunks: list[Hunk]) -> list[Hunk]:
    """Recompute empty-span positions so both sides tile their texts in hunk order."""
    out: list[Hunk] = []
    apos = bpos = 0
    for h in hunks:
        a = h.a if h.a.end > h.a.start else Span(apos, apos)
        b = h.b if h.b.end > h.b.start else Span(bpos, bpos)
        out.append(Hunk(h.tag, a, b, h.a_text, h.b_text, h.move, h.other, h.detail))
        apos, bpos = a.end, b.end
    return out


def _detail(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """Char ops inside a small replacement of similar words; empty when whole words read better."""
    if len(old) > _DETAIL_MAX_CHARS or len(new) > _DETAIL_MAX_CHARS:
        return ()
    if count_words(old) > _DETAIL_MAX_WORDS or count_words(new) > _DETAIL_MAX_WORDS:
        return ()
    from docdiff.chardiff import char_ops, similarity

    ops = char_ops(old, new)
    if similarity(ops) < _DETAIL_MIN_SIMILARITY:
        return ()
    return tuple((op.tag, op.text) for op in ops)


class _Counter:
    """Counts words in a char span in O(log n) from token starts and word flags."""

    def __init__(self, starts: list[int], is_word: list[bool]) -> None:
        self.starts = starts
        self.cum = [0, *itertools.accumulate(is_word)]

    def __call__(self, span: Span) -> int:
        lo = bisect.bisect_left(self.starts, span.start)
        hi = bisect.bisect_left(self.starts, span.end)
        return self.cum[hi] - self.cum[lo]


def _stats(
    hunks: Sequence[Hunk], words_a: _Counter, words_b: _Counter, lines: tuple[bool, bool]
) -> DiffStats:
    inserted = deleted = changed = moved = unchanged = 0
    breaks_added = breaks_removed = spacing = ignored = 0
    for k, h in enumerate(hunks):
        if h.tag in ("equal", "whitespace"):
            unchanged += words_a(h.a)
            # White space that travelled with a moved block is part of the move.
            near = {hunks[i].tag for i in (k - 1, k + 1) if 0 <= i < len(hunks)}
            ignored += h.tag == "whitespace" and not near & {"move_from", "move_to"}
            continue
        if is_space_edit(h):
            was = is_paragraph_break(h.a_text, lines=lines[0])
            now = is_paragraph_break(h.b_text, lines=lines[1])
            breaks_added += now and not was
            breaks_removed += was and not now
            spacing += was == now
            continue
        if h.tag == "insert":
            inserted += words_b(h.b)
        elif h.tag == "delete":
            deleted += words_a(h.a)
        elif h.tag == "replace":
            # As many words changed as both sides have; the rest inserted or deleted (a full
            # stop replaced by a clause of 36 words is 36 words inserted, not 36 changed).
            old, new = words_a(h.a), words_b(h.b)
            changed += min(old, new)
            inserted += max(0, new - old)
            deleted += max(0, old - new)
        elif h.tag == "move_from":
            moved += words_a(h.a)
    return DiffStats(
        words_a.cum[-1],
        words_b.cum[-1],
        inserted,
        deleted,
        changed,
        moved,
        unchanged,
        breaks_added=breaks_added,
        breaks_removed=breaks_removed,
        spacing=spacing,
        ignored=ignored,
    )


def rebuild(old: str, diff: VersionDiff) -> str:
    """Apply `diff` to `old`: the new text, built from old-text spans plus the new texts of
    the edits (and of white space, which a moved or unchanged stretch may have changed)."""
    out: list[str] = []
    for h in diff.hunks:
        if h.tag == "equal":
            out.append(old[h.a.start : h.a.end])
        elif h.tag != "move_to" or h.other is None:
            out.append(h.b_text)
        elif old[h.other.start : h.other.end] == h.b_text:
            out.append(old[h.other.start : h.other.end])
        else:
            out.append(h.b_text)  # moved and reflowed
    return "".join(out)


def patch_ops(diff: VersionDiff) -> list[tuple[Literal["equal", "delete", "insert"], str]]:
    """The diff as plain equal/delete/insert texts in old-text order (for patches)."""
    ops: list[tuple[Literal["equal", "delete", "insert"], str]] = []
    for h in diff.hunks:
        if h.tag == "equal":
            ops.append(("equal", h.a_text))
        else:
            if h.a_text:
                ops.append(("delete", h.a_text))
            if h.b_text:
                ops.append(("insert", h.b_text))
    return ops


def to_patch(diff: VersionDiff) -> str:
    """A diff-match-patch patch text turning the old text into the new one."""
    from docdiff.chardiff import make_patch

    return make_patch(diff.a, patch_ops(diff))


def unified(
    a: str,
    b: str,
    *,
    a_name: str = "a",
    b_name: str = "b",
    context: int = 3,
    whitespace: Whitespace = "show",
) -> str:
    """A classic line-based unified diff (what patch(1) and code review tools read).

    Unless `whitespace` is ``show``, lines are compared as ``diff -b`` compares them (with
    ``ignore``, as ``diff -w``), and a run of changed lines whose words are the same on both
    sides (a paragraph reflowed) is left out too: the old lines stand as context there, so
    patch(1) keeps the old layout where only white space changed.
    """
    a_lines = a.splitlines(keepends=True)
    b_lines = b.splitlines(keepends=True)
    if whitespace == "show":
        ops = line_opcodes(a_lines, b_lines)
    else:
        glue = "" if whitespace == "ignore" else " "
        ops = line_opcodes(
            [glue.join(line.split()) for line in a_lines],
            [glue.join(line.split()) for line in b_lines],
        )
        lines = (paragraph_lines(a), paragraph_lines(b))
        ops = _layout_as_context(ops, a_lines, b_lines, whitespace, lines)
    if all(op[0] == "equal" for op in ops):
        return ""
    out = [f"--- {a_name}\n", f"+++ {b_name}\n"]
    for group in _grouped(ops, context):
        body: list[str] = []
        added: list[str] = []
        len_a = len_b = 0
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                body.extend(added)  # removed lines first, then added ones, as in any unified diff
                added = []
                body.extend(_mark(" ", line) for line in a_lines[i1:i2])
                len_a += i2 - i1
                len_b += i2 - i1  # context is printed as the old lines
            elif tag == "delete":
                body.extend(_mark("-", line) for line in a_lines[i1:i2])
                len_a += i2 - i1
            else:
                added.extend(_mark("+", line) for line in b_lines[j1:j2])
                len_b += j2 - j1
        body.extend(added)
        a0, b0 = group[0][1], group[0][3]
        out.append(f"@@ -{_range(a0, a0 + len_a)} +{_range(b0, b0 + len_b)} @@\n")
        out.extend(body)
    return "".join(out)


def _layout_as_context(
    ops: list[Opcode],
    a_lines: Sequence[str],
    b_lines: Sequence[str],
    mode: Whitespace,
    lines: tuple[bool, bool],
) -> list[Opcode]:
    """Line opcodes with every run of changes that only changes white space made equal."""
    out: list[Opcode] = []
    k = 0
    while k < len(ops):
        if ops[k][0] == "equal":
            _join_equal(out, ops[k])
            k += 1
            continue
        end = k
        while end < len(ops) and ops[end][0] != "equal":
            end += 1
        i1, i2 = ops[k][1], ops[end - 1][2]
        j1, j2 = ops[k][3], ops[end - 1][4]
        edges = (i1 == 0 and j1 == 0, i2 == len(a_lines) and j2 == len(b_lines))
        old, new = "".join(a_lines[i1:i2]), "".join(b_lines[j1:j2])
        ta, tb = _TOKEN.findall(old), _TOKEN.findall(new)
        ka = _keys(ta, mode, at_start=edges[0], at_end=edges[1], lines=lines[0])
        kb = _keys(tb, mode, at_start=edges[0], at_end=edges[1], lines=lines[1])
        if _same_words(ta, ka, tb, kb):
            _join_equal(out, ("equal", i1, i2, j1, j2))
        else:
            out.extend(ops[k:end])
        k = end
    return out


def _join_equal(out: list[Opcode], op: Opcode) -> None:
    if out and out[-1][0] == "equal":
        out[-1] = ("equal", out[-1][1], op[2], out[-1][3], op[4])
    else:
        out.append(op)


def _mark(prefix: str, line: str) -> str:
    if line.endswith(("\n", "\r")):
        return prefix + line if line.endswith("\n") else prefix + line + "\n"
    return f"{prefix}{line}\n\\ No newline at end of file\n"


def _range(start: int, end: int) -> str:
    length = end - start
    first = start + 1 if length else start
    return str(first) if length == 1 else f"{first},{length}"


def _grouped(ops: list[Opcode], n: int) -> Iterator[list[Opcode]]:
    """Opcodes in hunks with `n` lines of context (difflib's grouping, for our opcodes)."""
    codes = list(ops)
    if codes[0][0] == "equal":
        _, i1, i2, j1, j2 = codes[0]
        codes[0] = ("equal", max(i1, i2 - n), i2, max(j1, j2 - n), j2)
    if codes[-1][0] == "equal":
        _, i1, i2, j1, j2 = codes[-1]
        codes[-1] = ("equal", i1, min(i2, i1 + n), j1, min(j2, j1 + n))
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        start_a, start_b = i1, j1
        if tag == "equal" and i2 - i1 > 2 * n:
            group.append((tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)))
            yield group
            group = []
            start_a, start_b = max(i1, i2 - n), max(j1, j2 - n)
        group.append((tag, start_a, i2, start_b, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group
