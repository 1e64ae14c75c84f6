"""Editorial apparatus: what an editor or an archive printed with a document, not its author.

An edition of documents (a volume of diplomatic papers, a file of archived cables) prints with
each document the archive's reference and the editors' notes:

* square brackets standing alone at the end of a line (or opening a line whose closing bracket
  the text lost), emphasis marks around them allowed:
  "[NAA: A1838, 3038/10/1/2, i]", "_[UKNA: FCO 24/572]_", "[matter omitted]", "_COOPER [NAA:
  A10463, 801/13/11/1, xii]_" (a signature run into the reference);
* the numbered notes after the text ("1 See Document 368.", "* 2 Not found."), when the text
  refers to them ("[1]" or a superscript figure): a numbered list ending a text is no notes;
  a text holding two documents (a letter, then the editors' note on it) may print the first
  one's notes between them;
* the editor's "[sic]" within the text.

Two documents of one edition share such wording because one archive or one editor wrote it,
which tells nothing of how their authors drafted them.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence

__all__ = ["APPARATUS_REASON", "apparatus_spans", "within"]

APPARATUS_REASON = "formula: editorial apparatus in both"
"""How the reason (``--explain``) of a passage in both documents' apparatus begins: such a
passage is the edition's wording, so it is no family of reused passages either."""

# Both patterns start on a literal character: the search is then several times faster than one
# starting on a "^" of MULTILINE.
_BRACKETED = re.compile(r"\[[^\[\]\n]{1,500}\][_*]*[ \t.,;]*(?=\n|\Z)")
"""Square brackets ending a line (an archive reference, an editor's insertion)."""

_UNCLOSED = re.compile(r"\n([ \t]*[_*]*\[[^\[\]\n]{1,500})(?=\n|\Z)")
"""A line opening on a square bracket that the text lost the closing one of ("_[ABHS 950/Boxes
1221-1226, 40/4/1 Part 32 Archives New Zealand, Wellington_")."""

_NOTE = re.compile(r"\n[ \t]*(_?)(?:[*\u2022][ \t]*)?\[?(\d{1,3})\]?[ \t]+(?=\S)")
"""A line opening with a note's number ("1 See …", "* 2 Not …", "[3] Not …"); the first note's
may open the italics of the notes ("_[1] Sent via London.", "_1 Document 66.": 1,132 of DFAT's
10,883 documents open their notes so), see `_note_lines`."""

_REFERENCE = re.compile(r"\[(\d{1,3})\]")
"""The text's reference to a note ("[13]")."""

_NOTE_CHARS = 1200
"""The longest last note of a series of notes before another (see `_earlier_notes`): the
longest seen in DFAT's volumes ran to 968 characters, an enclosure between two series to
1,816 and more."""

_SUPERSCRIPT = re.compile("[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]")

_SIC = re.compile(r"\[sic!?\]", re.IGNORECASE)
"""The editor's "[sic]" inside the text: thus in the original."""


def apparatus_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The character spans of `text`'s editorial apparatus, in order, not overlapping; spans
    apart by white space only are one (an archive reference right before the notes)."""
    spans = [span for m in _BRACKETED.finditer(text) if (span := _bracketed(text, m))]
    lined = "\n" + text  # offsets in `lined` are one past those in `text`
    if "[" in text:
        spans += [(m.start(1) - 1, m.end(1) - 1) for m in _UNCLOSED.finditer(lined)]
        spans += [m.span() for m in _SIC.finditer(text)]
        spans.sort()
    notes = _notes(text, lined)
    if notes is not None:
        spans = [s for s in spans if s[1] <= notes[0]]
        spans += _inner_notes(text, lined, notes[0])
        spans.append(notes)
        spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and not text[merged[-1][1] : start].strip():  # (or inside it: "[sic]")
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def _bracketed(text: str, m: re.Match[str]) -> tuple[int, int] | None:
    """The span of the line of brackets `m` ends, when they stand alone on it or after a space
    ("_COOPER [NAA: A10463, 801/13/11/1, xii]_"); None after a word ("Jakarta's.[3]": the
    text's reference to a note)."""
    start = m.start()
    line = text.rfind("\n", 0, start) + 1
    if not text[line:start].strip(" \t_*"):
        return line, m.end()
    if text[start - 1] in " \t_*":
        return start, m.end()
    return None


def _note_lines(lined: str) -> list[re.Match[str]]:
    """The lines of `lined` that open with a note's number (its group 2), in order. A number
    after an italics mark is a note's only for note 1, which opens the notes' italics: after
    the notes, an italic line quoting the text with its reference ("_[3] I stressed to him
    …_", DFAT volume 7) is no note."""
    return [m for m in _NOTE.finditer(lined) if not m.group(1) or m.group(2) == "1"]


def _notes(text: str, lined: str) -> tuple[int, int] | None:
    """The span of the notes after the text: from the last line that opens with note 1, when
    the numbered lines from there on go up (1, 2, 3 …; other lines continue a note) and the
    text before refers to one of them."""
    lines = _note_lines(lined)
    for at in range(len(lines) - 1, -1, -1):
        if lines[at].group(2) != "1":
            continue
        numbers = [int(m.group(2)) for m in lines[at:]]
        if any(x >= y for x, y in itertools.pairwise(numbers)):
            return None  # numbered paragraphs, not notes (an edition may skip a note)
        start = lines[at].start()  # the line break before it, in `lined`: its start in `text`
        if any(text.find(f"[{n}]", 0, start) >= 0 for n in numbers) or _SUPERSCRIPT.search(
            text, 0, start
        ):
            return _earlier_notes(text, lines, at), len(text.rstrip())
        return None
    return None


def _earlier_notes(text: str, lines: list[re.Match[str]], at: int) -> int:
    """Where the notes that end a text start, given that the last series starts at line `at`:
    a text holding two documents (a letter and its enclosure) prints two series of notes one
    after the other ("… 29 Document 53." then "1 See editorial note …"). The series right
    before is notes too when it numbers up from 1, the text refers to every one of its notes
    ("[28]"), the references start again at "[1]" once for each series, and its last note
    is a note's length (`_NOTE_CHARS`): a document's notes followed by its enclosure and the
    enclosure's notes are two series with the enclosure between them."""
    start = lines[at].start()
    numbers = [int(m.group(2)) for m in lines]
    series_left = text.count("[1]", 0, start) - 1
    while series_left > 0:
        series_left -= 1
        if at == 0 or numbers[at - 1] == 1 or start - lines[at - 1].start() > _NOTE_CHARS:
            break
        first = at - 1
        while first > 0 and numbers[first - 1] == numbers[first] - 1:
            first -= 1
        series = numbers[first:at]
        head = lines[first].start()
        if series[0] != 1 or not all(text.find(f"[{n}]", 0, head) >= 0 for n in series):
            break
        start, at = head, first
    return start


def _inner_notes(text: str, lined: str, before: int) -> list[tuple[int, int]]:
    """The series of notes that end a document before another one inside the text, ahead of
    the notes that end it all (`before`): a letter's notes, then the editors' note printed
    after it with its own notes (DFAT volume 26, "13 See editorial note ‘Administrative
    delegations …’." between the letter and the editorial note, was text and made a cluster
    of "quotations" in eight documents). A series numbers up from 1, its notes a note's
    length apart (`_NOTE_CHARS`); the text before refers to every one of them ("[13]") and the
    text after it, to a note 1 again (the next document's references start over). Each series
    runs to the end of its last note's line; what lies between the series stays text."""
    lines = [m for m in _note_lines(lined) if m.start() < before]
    numbers = [int(m.group(2)) for m in lines]
    first_ref: dict[int, int] = {}  # where the text first refers to each note ("[13]")
    ones: list[int] = []  # and every place it refers to a note 1
    for m in _REFERENCE.finditer(text, 0, before):
        first_ref.setdefault(int(m.group(1)), m.start())
        if m.group(1) == "1":
            ones.append(m.start())
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        j = i
        while (
            j + 1 < len(lines)
            and numbers[j + 1] == numbers[j] + 1
            and lines[j + 1].start() - lines[j].start() <= _NOTE_CHARS
        ):
            j += 1
        head = lines[i].start()
        end = text.find("\n", lines[j].end() - 1, before)
        end = before if end < 0 else end
        while end > head and text[end - 1].isspace():
            end -= 1
        referred = all(first_ref.get(n, before) < head for n in numbers[i : j + 1])
        again = bisect.bisect_left(ones, end) < len(ones)
        if numbers[i] == 1 and referred and again:
            out.append((head, end))
        i = j + 1
    return out


def within(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether characters ``[start, end)`` lie in `spans` (`apparatus_spans`), all but a tenth
    of them at most: a passage may take in the text's reference to a note ("[1]") or a word
    before an archive reference."""
    if end <= start:
        return False
    at = max(0, bisect.bisect_right(spans, start, key=lambda span: span[0]) - 1)
    inside = 0
    for s, e in spans[at:]:
        if s >= end:
            break
        inside += max(0, min(e, end) - max(s, start))
    return inside * 10 >= (end - start) * 9
