"""Formula mining as template induction: the genre's recurring frames, fixed words plus slots.

1. **Mask.** Every document becomes a stream of keys: words (lower case), punctuation, and slot
   classes standing for fillers that vary by nature — ``{date}``, ``{number}``, ``{symbol}``
   (document symbols such as A/75/150, archive references such as A981) and ``{name}`` (a run of
   words the corpus capitalises even mid-sentence). So a dateline "Pyongyang, 3 May 2024 (KCNA) --"
   is counted as "pyongyang , {date} ( {name} ) --", and its frame is frequent although its dates
   never repeat. A month is no name, and a one-word name that its frame holds in 80% of the
   documents on both sides is a word of the frame ("May God bless"); a name kept a word because
   half the documents use it is a name again beside a date whose place other names fill
   ("Canberra, {date}" and "London, {date}" are "{name}, {date}"). The marks of emphasis of
   converted text (italic underscores, bold asterisks) are no tokens.
2. **Regions.** k-grams of keys holding at least one literal word, two literal tokens and at most
   one name are counted per document; those in `min_docs` documents cover *regions*, joined over
   short gaps (the slots) but never across a name or a blank line. A name therefore never anchors
   a region and never glues two regions together.
3. **Induction.** Regions are grouped Spell-style: a region joins the template whose key sequence
   shares the longest common subsequence with it, when that covers half of the longer one. The
   members of a group are aligned to a reference member (Indel opcodes, so slots may have any
   length); a reference token is fixed where 70% of members share it (or where every member does,
   when the members lacking a token most share would leave too few documents), and a masked
   token is printed as its class only where its fillers vary ("(KCNA)" stays literal). Templates
   grow left and right over context their members share, and templates whose instances abut
   merge into one. The regions no template took, and the stretches of members outside their
   template's fixed words, are grouped once more: a formula whose instances ran on into
   different phrases ("May God bless the peoples of the world.", "May God bless us all.") meets
   again from its parts.
4. **Judging.** A formula starts a sentence or a line in most of its instances and either sits near
   a document's edge or is long, or it is a clause that closes its sentence near an edge ("… to a
   successful conclusion."), or it opens the running text below the headings; idioms and topic
   phrases ("as soon as possible", "sovereignty of the {name}") do neither, nor does a section's
   heading ("Introduction" between its document's title and a paragraph). A salutation ("Dear {…}")
   must open a line near the top. The bottom edge is also the end of the text where an edition's
   numbered notes follow it; a note repeated word for word (five words or more, no slot) is a note
   on one person or thing. Inside running text, four kinds are formulae wherever they stand: a
   request or reply that turns to the reader and opens its sentence nearly always ("Please advise
   {…}"); a courtesy addressed to a person, in the genre's own words rather than everyone's
   (wordfreq), at the edges more often than chance ("for his tireless efforts {…}"); a short
   insertion in brackets with a word of its own ("[sic]"); a citation of a document symbol in
   brackets ("(see A/{number}/PV.{number})"). A title in running text, its content words all
   capitalised, is a name; a term spelt out with its abbreviation ("the coronavirus disease
   (COVID-19) pandemic", written at a document's first mention, near its top) is a topic, and an
   abbreviation in brackets no insertion. Wording whose documents are one family of texts (copies of
   one source, one topic's or one sender's texts: as alike to one another as to their nearest
   neighbours, `docdiff.corpus.likeness`) is theirs, not the genre's. Templates are ranked by their
   spread across documents and senders, not by raw frequency. A formula is one entry: its other
   wordings ("In conclusion, I {…}" of "In conclusion"; one read from the same stretches of text;
   one that fits it through either's slots) are listed under its best-spread one, each with its
   documents, so the ranks go to distinct formulae. Datelines of one shape are one template whatever
   the place ("{name}, {date}"), and the datelines with words are one formula whatever the document
   type ("Letter {name}, {date}" under "Cablegram {…} {name}, {date}"); the citations of one archive
   are one formula ("AA : {symbol}, {…}" with "AA:{symbol}, vol. {number}"); the address to the
   chair is one, named by its office ("Mr. President," with the bare "Sir," under it); and a
   one-word marking that most of its documents say in a longer one is listed under it ("MOST
   IMMEDIATE" over "IMMEDIATE"); and a cable's requests to its reader are one formula whatever they
   ask ("Please telegraph {…}" under "Please advise {…}").

Templates are printed in the documents' own surface form, with punctuation and case
("I have the honour to {…}"); `to_lexicon` writes them in the syntax ``--formulae`` reads back.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import numpy.typing as npt

from docdiff.corpus.likeness import MIN_DOCS, Likeness
from docdiff.corpus.metadata import (
    GENRE_SENDERS,
    SENDER_KEYS,
    date_of,
    few_senders,
)
from docdiff.corpus.metadata import senders as corpus_senders
from docdiff.engine.lexicon import Lexicon, Template
from docdiff.model import Document, Formula, Passage, Report, Span
from docdiff.text.datelines import CAPITALISED_MONTHS, ENGLISH_MONTHS, MONTH_NAMES, a_weekday
from docdiff.text.names import HONORIFICS, NAME_PARTICLES, STYLE_POSSESSIVES
from docdiff.text.seeds import in_sorted
from docdiff.text.tokens import (
    IDEOGRAPHIC,
    NUMBER_WORDS,
    ideographic,
    tokenize,
)

if TYPE_CHECKING:
    from docdiff.corpus.scan import CorpusArrays
    from docdiff.index import CorpusIndex

__all__ = [
    "SLOT",
    "Masked",
    "Region",
    "find_regions",
    "formulae_report",
    "mask",
    "mine",
    "template_of",
    "to_lexicon",
]

SLOT = "{…}"
Progress = Callable[[str, int, int], None]
I64 = npt.NDArray[np.int64]

_MAX_REGION = 40
_MAX_GAP = 3
_EXAMPLES = 5
_SUPPORT = 0.7
"""A reference token is fixed when this share of the members align to it."""
_EXTEND = 0.8
"""A template grows over a neighbouring token when this share of members have it."""
_LONG = 4
"""Templates with this many content words need not open a sentence (they still sit near an edge)."""

# --- masking -------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(
    rf"[^\W_{IDEOGRAPHIC}]+(?:['\u2019.][^\W_{IDEOGRAPHIC}]+)*|-{{2,}}|\*{{2,}}|[^\s_]", re.UNICODE
)
"""Words, dashes and marks; in a script written without spaces between words (Chinese,
Japanese), each character is a token, as the engine reads it (`docdiff.text.tokens`), so
"外交部发言人就{…}答记者问" has a frame around its varying topic. The underscores of emphasis
in converted text ("_Current Notes_,") and the asterisks of bold ("**Portuguese Timor**") are no
tokens: they are removed before counting, so an italic title is the same words as a plain one
(one asterisk is a note's mark)."""
_BOLD = "**"
_ORDINAL_RE = re.compile(r"^\d+(?:st|nd|rd|th|er)$", re.IGNORECASE)
"""An ordinal in figures: "21st", French "1er" ("le 1er mars 2024")."""
_ROMAN_RE = re.compile(r"^(?:i{1,3}|iv|vi{0,3}|ix|xi{0,3}|xiv|xvi{0,3}|xix|xx)$")
"""Roman numerals: in lower case (file parts "ii", "xiv"), or in capitals of two letters or more
("Volume IX", "Enclosure II"; the pronoun is "I", and "V" may be an initial)."""
_SYMBOL_RE = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9]+$")
_SENTENCE_END = frozenset(".!?:;\u3002\uff01\uff1f\uff1a\uff1b")
"""Marks that end a sentence or a clause, the full-width ones of Chinese and Japanese too."""
_RUNS_ON_MARKS = frozenset(".:\uff1a")
"""Marks of `_SENTENCE_END` a template may run on past (`_runs_on`), where most of its instances
go on on their line: an abbreviation's full stop ("vol. {…}") and a colon, a field's label
("License-File: {…}", "Classifier: Operating System :: {…}" of package metadata)."""
_BLANK_RE = re.compile(r"\n[ \t]*\n")
_CLAUSE_SPLIT = re.compile(f"[{re.escape(''.join(sorted(_SENTENCE_END)))}\n]")
_WORDS = re.compile(r"[^\W\d_]+")
_TITLES = frozenset("mr mrs ms dr st messrs mme hon rt".split())
_NUMBERED = frozenset("no nos vol para paras p pp art arts".split())
"""Abbreviations whose full stop, before a number, does not end a sentence."""
_CITING = frozenset("op loc cit cf viz".split())
"""Abbreviations whose full stop, before a word in lower case, does not end a sentence ("loc.
cit.", listed as "loc." and "cit." apart in DFAT volume 26's notes)."""
_DOTTED = re.compile(r"^\d*[a-z](?:\.[a-z])*$")
"""An abbreviation in lower case as tokenised ("m.f.n", "i.e", "e.g", "m", "25m"; its last
full stop a token of its own): before a word in lower case, its full stop ends no sentence
("accord Japan m.f.n. treatment.", DFAT volume 19; "£10 m. stg.", "£25m. stg.", volume 24)."""
_DATE_GLUE = frozenset(",-/.")
_DATE_OF = frozenset(("de", "del"))
"""The words between a Spanish or Portuguese date's parts ("30 de noviembre de 2021")."""
_AFTER_YEAR = frozenset(("года",))
"""The word after a Russian date's year ("30 ноября 2021 года")."""
_TIME_WORDS = frozenset("a.m p.m am pm hrs gmt utc".split())
_CLOCK = frozenset(("a.m", "p.m"))
"""The time words whose last full stop is tokenised apart ("p.m" then ".")."""
_CLASSES = ("date", "number", "symbol", "email", "name")
_CODES = frozenset(("date", "number", "symbol", "email"))
"""The classes whose fillers vary by nature (every class but names)."""
_CLASS_KEY = {c: f"\x00{c}" for c in _CLASSES}
_COMMON_NAME = 0.5
"""A name in half the documents is kept literal: it is part of the genre's wording."""
_QUOTE_RE = re.compile(r"[\"\u201c\u201d\u2018]|(?:^|\s)'|'(?:\s|$)")
"""A quotation mark (an apostrophe inside a word is not one)."""

_QUOTING_SLOT = re.compile(r"[\"\u201c\u2018']\s*(?=\{)|(?<=\})\s*[\"\u201d\u2019']")


def _quotes(template: str) -> bool:
    """The template quotes fixed words (a session's theme, a title): a quotation mark that opens
    or closes a slot is no such quotation but the frame quoting what varies ("A sign here
    indicates '{…}'." in an edition's notes)."""
    return bool(_QUOTE_RE.search(_QUOTING_SLOT.sub(" ", template)))


_STOP_EXTRA = frozenset("i my we our your its his her their this these that i.e e.g viz cf".split())
"""Function words beyond the stopword list: pronouns and determiners, and the connectives
written as abbreviations ("i.e." is "that is", "e.g." "for example": "i.e. the {…}" opens
an editors' note in DFAT and says nothing of the genre)."""


@dataclass(slots=True)
class Masked:
    """One document as masked tokens: keys, classes, spans and structure flags."""

    keys: list[str]
    """Lower-case word, punctuation, or a class key (``"\\x00date"`` …)."""
    kinds: list[str]
    """``""`` for a literal word, ``"p"`` for punctuation, else a slot class."""
    starts: list[int]
    ends: list[int]
    opens: list[bool]
    """The token starts a sentence or a line."""
    breaks: list[int]
    """What comes before the token: 2 a line break (or a blank line), 1 a sentence end, 0 none."""
    text: str
    body_end: int = 0
    """Where the text ends and its notes begin (`_body_end`); the token count without notes."""
    body_start: int = 0
    """Where the running text begins, after the heading lines (`_body_start`)."""
    last_sentences: int = 0
    """The tokens of its last `_EDGE_SENTENCES` sentences or lines (`_last_sentences`)."""
    sentences: int = 0
    """How many sentences and lines the document opens (`opens`)."""
    marking_lines: list[tuple[int, int]] = field(default_factory=list)
    """The lines of capitals read as their markings (`_split_markings`), whole: "IMMEDIATE
    SECRET" is the markings "IMMEDIATE" and "SECRET", and also the heading line it is."""
    apparatus: tuple[tuple[int, int], ...] | None = None
    """The text's editorial apparatus (`apparatus_spans`), found when first asked."""
    words: _Words | None = None
    """The text's words, counted (`_Outside`), when first asked."""


@dataclass(slots=True)
class _CaseStats:
    upper: Counter[str] = field(default_factory=Counter)
    lower: Counter[str] = field(default_factory=Counter)
    docs: Counter[str] = field(default_factory=Counter)
    """In how many documents each capitalised word occurs."""
    n_docs: int = 0
    marking_lines: Counter[tuple[str, ...]] = field(default_factory=Counter)
    """In how many documents each all-capitals line stands on its own ("SECRET", "TOP SECRET")."""
    markings: frozenset[tuple[str, ...]] = frozenset()
    """The markings a line of capitals is read as (see `finish`)."""
    titled_lines: Counter[tuple[str, ...]] = field(default_factory=Counter)
    """In how many documents each short line of capitalised words stands on its own in the
    heading lines ("Secret", "Top Secret", "Personal And Confidential")."""
    titled: frozenset[tuple[str, ...]] = frozenset()
    """The lines of capitalised words read as markings, not names (see `finish`)."""
    leads: Counter[str] = field(default_factory=Counter)
    """How often each word, capitalised mid-sentence, is followed by a capitalised word."""
    tails: Counter[str] = field(default_factory=Counter)
    """How often each word in lower case is joined by a hyphen to a capitalised word before it
    ("moon" of "Ki-moon", "led" of "Afghan-led")."""

    def add(self, text: str) -> None:
        """Count the case of every word that does not open a sentence or a line."""
        self.n_docs += 1
        lines = text.splitlines()
        self.marking_lines.update({m for line in lines if (m := _marking_words(line)) is not None})
        head = [line for line in lines[: 4 * _TITLED_HEAD] if line.strip()][:_TITLED_HEAD]
        self.titled_lines.update({m for line in head if (m := _titled_words(line)) is not None})
        self.docs.update({w.lower() for w in _WORDS.findall(text) if w[0].isupper()})
        inner = [w for s in _CLAUSE_SPLIT.split(text) for w in _WORDS.findall(s)[1:]]
        self.upper.update([w.lower() for w in inner if w[0].isupper() and not w.isupper()])
        self.lower.update([w for w in inner if w[0].islower()])
        self.leads.update(
            w.lower()
            for w, nxt in itertools.pairwise(inner)
            if w[0].isupper() and not w.isupper() and nxt[0].isupper()
        )
        self.tails.update(_HYPHEN_TAIL.findall(text))

    def finish(self) -> None:
        """Settle the markings: the lines of capitals standing alone in two documents that are
        not themselves a run of such lines. "IMMEDIATE" and "SECRET" stand alone, so a line
        "IMMEDIATE SECRET" is read as two markings; "TOP SECRET" is one ("TOP" never stands
        alone)."""
        units: set[tuple[str, ...]] = set()
        for line in sorted(self.marking_lines, key=len):
            if self.marking_lines[line] >= 2 and _segment(line, units) is None:
                units.add(line)
        self.markings = frozenset(units)
        # A line of capitalised words heading two documents, each word written in lower case
        # too, mid-sentence, at least a fifth as often as capitalised ("a secret agreement"
        # beside "the Secret Service"), is a marking in title case ("Secret"), where a name is
        # rarely or never written so ("Washington", "China").
        self.titled = frozenset(
            line
            for line, n in self.titled_lines.items()
            if n >= 2
            and all(self.lower[w] > 0 and self.upper[w] <= 5 * self.lower[w] for w in line)
        )

    def name_tail(self, word: str) -> bool:
        """A word in lower case that the corpus writes, nearly always (`_TAIL`), joined by a
        hyphen to a capitalised word before it: the second part of a hyphenated given name
        ("moon" of "Ban Ki-moon", "soo" of "Han Seung-soo"), where a compound's second part
        stands on its own too ("led" of "Afghan-led", "based" of "Geneva-based")."""
        found = _WORDS.match(word)
        if found is None or not word[0].islower():
            return False
        low = found.group()
        return self.tails[low] >= _TAIL_SEEN and self.tails[low] >= _TAIL * self.lower[low]

    def leads_a_name(self, word: str) -> bool:
        """Capitalised mid-sentence only as the first word of a name ("New" of "New York",
        "New Delhi"), so that it is a name's word wherever a name follows it, at a line's start
        too; a title is written before other words as well ("the President of …")."""
        up = self.upper[word.lower()]
        return up >= _LEADS_SEEN and self.leads[word.lower()] >= _LEADS * up

    def common_name(self, word: str) -> bool:
        """A capitalised word the corpus writes as a name (mostly capitalised mid-sentence)
        that `is_name` keeps a word because half the documents use it ("Canberra")."""
        low = word.lower()
        if not word[:1].isupper() or low == "i" or self.n_docs < 8:
            return False
        if self.docs[low] < _COMMON_NAME * self.n_docs:
            return False
        return self.upper[low] > self.lower[low]

    def is_name(self, word: str) -> bool | None:
        """Mostly capitalised mid-sentence (None when never seen mid-sentence)."""
        low = word.lower()
        if not word[0].isupper() or low == "i":
            return False
        if self.n_docs >= 8 and self.docs[low] >= _COMMON_NAME * self.n_docs:
            return False  # the genre's own vocabulary ("Pyongyang", "General Assembly")
        up, down = self.upper[low], self.lower[low]
        return None if up + down == 0 else up > down


_LEADS = 0.9
_LEADS_SEEN = 3
"""`_CaseStats.leads_a_name`: nine in ten of at least three uses mid-sentence."""
_TAIL = 0.9
_TAIL_SEEN = 2
"""`_CaseStats.name_tail`: nine in ten of its uses in lower case, at least two, after a hyphen
joining it to a capitalised word."""
_HYPHEN_TAIL = re.compile(r"\b[A-Z][^\W\d_]*-([a-z]+)\b")

_MARKING_MAX = 6
_TITLED_MAX = 3
"""Most words of a line of capitalised words read as a marking ("Personal And Confidential")."""
_TITLED_HEAD = 8
"""The non-empty lines at a document's head where such a line stands."""


def _titled_words(line: str) -> tuple[str, ...] | None:
    """The words (lower case) of a short line of capitalised words, not all in capitals."""
    words = line.strip(" \t_*").split()
    if not 1 <= len(words) <= _TITLED_MAX:
        return None
    if not all(w.isalpha() and w[0].isupper() and not w.isupper() for w in words):
        return None
    return tuple(w.lower() for w in words)


def _marking_words(line: str) -> tuple[str, ...] | None:
    """The words of a short line written wholly in capitals (a classification, a precedence)."""
    words = line.split()
    if not 1 <= len(words) <= _MARKING_MAX:
        return None
    if not all((w.isalpha() and w.isupper()) or w == "&" for w in words):
        return None
    return tuple(words)


def _reference_words(words: Sequence[str], markings: frozenset[tuple[str, ...]]) -> int:
    """How many of a line's first words are a cable's number or reference before its
    markings ("O.CH258375 SECRET IMMEDIATE": one; "206. SECRET IMMEDIATE": "206" and its full
    stop), the rest being wholly markings the corpus knows (one, or a run of them), else 0."""
    if not words or not any(c.isdigit() for c in words[0]):
        return 0
    n = 2 if len(words) > 1 and words[1] == "." else 1
    rest = _markings_line(words[n:])
    if rest is None or (rest not in markings and _segment(rest, markings) is None):
        return 0
    return n


def _markings_line(words: Sequence[str]) -> tuple[str, ...] | None:
    """The words of a line that may be markings, in capitals: a line in capitals, or one whose
    every word is capitalised ("Secret Immediate", printed so in later DFAT volumes, is read
    against the markings the corpus writes in capitals)."""
    line = " ".join(words)
    if all(w.isalpha() and w[:1].isupper() for w in words):
        line = line.upper()
    return _marking_words(line)


def _segment(line: tuple[str, ...], units: Iterable[tuple[str, ...]]) -> list[int] | None:
    """The fewest units (two or more) the line is a run of, as the start index of each."""
    found = set(units)
    n = len(line)
    best: list[list[int] | None] = [None] * (n + 1)
    best[0] = []
    for end in range(1, n + 1):
        for start in range(end):
            prev = best[start]
            if prev is None or line[start:end] not in found or (start == 0 and end == n):
                continue
            if best[end] is None or len(prev) + 1 < len(best[end] or ()):
                best[end] = [*prev, start]
    return best[n]


def _split_markings(
    words: list[str], opens: list[bool], breaks: list[int], markings: frozenset[tuple[str, ...]]
) -> list[tuple[int, int]]:
    """A line of capitals made wholly of markings is read as its markings, each a line; the
    lines so read, whole (word ranges). Markings after a cable's number on its line
    (`_reference_words`) are read as a line of their own."""
    if not markings:
        return []
    split = []
    for start, b in _line_ranges(breaks):
        if b - start > _MARKING_MAX + 2:
            continue
        a = start + _reference_words(words[start:b], markings)
        if a > start:
            breaks[a] = 2
            opens[a] = True
        if b - a > _MARKING_MAX:
            continue
        line = _markings_line(words[a:b])
        cuts = _segment(line, markings) if line is not None else None
        for c in cuts or ():
            breaks[a + c] = 2
            opens[a + c] = True
        if cuts:
            split.append((a, b))
    return split


def _line_ranges(breaks: Sequence[int]) -> Iterator[tuple[int, int]]:
    """The (first, end) word range of each line, as `breaks` marks them as they stand (none in
    a blank document)."""
    starts = [i for i, brk in enumerate(breaks) if brk == 2]
    return itertools.pairwise([*starts, len(breaks)])


def _wrapped(text: str) -> bool:
    """Hard-wrapped text: most lines of similar, moderate length (newlines are not structure)."""
    return _line_lengths(text)[1]


def _line_lengths(text: str) -> tuple[int, bool]:
    """The median length of the text's lines that hold words, and whether it is hard-wrapped
    (`_wrapped`)."""
    lengths = sorted(len(line) for line in text.splitlines() if line.strip())
    if not lengths:
        return 0, False
    median = lengths[len(lengths) // 2]
    if len(lengths) < 8:
        return median, False
    wrapped = 30 <= median <= 100 and lengths[int(0.9 * (len(lengths) - 1))] <= 1.3 * median
    return median, wrapped


_INDENT_STEP = 2
"""Columns by which a line indented below a short line stands apart from it."""


def _indented_below_short(text: str, starts: list[int], i: int, width: int) -> bool:
    """Token `i`, first on its line, opens a line indented further than the line before it,
    which is short (at most half the text's median line, `width`): a manual page's
    heading over its indented section ("SEE ALSO" / "       Full documentation …", "NAME" /
    "       git-add - …"), an option over its description ("-b, --print-bytes" / "print
    differing bytes"), a paragraph indented after the short last line of the one before: the
    line before is a line of its own, although its text would run on in the next line's (a
    hard-wrapped text's newlines are otherwise no breaks, and a word in lower case otherwise
    carries on the line before it: "NAME" / "       git-add - …")."""
    here = text.rfind("\n", 0, starts[i]) + 1
    before = text.rfind("\n", 0, here - 1) + 1
    line = text[before : here - 1].expandtabs()
    if not line.strip() or len(line.strip()) > width / 2:
        return False
    indent = len(line) - len(line.lstrip())
    return len(text[here : starts[i]].expandtabs()) >= indent + _INDENT_STEP


def _raw_tokens(text: str) -> tuple[list[str], list[int], list[int], list[bool], list[int]]:
    found = [
        (m.group(), m.start(), m.end())
        for m in _TOKEN_RE.finditer(text)
        if not m.group().startswith(_BOLD)
    ]
    if not found:
        return [], [], [], [], []
    words = [w for w, _, _ in found]
    starts = [x for _, x, _ in found]
    ends = [x for _, _, x in found]
    newline, blank = _gaps(text, starts, ends)
    median, wrapped = _line_lengths(text)
    line = newline & (not wrapped)
    for i in np.flatnonzero(line).tolist():
        line[i] = i == 0 or not (
            _carries_on(words[i - 1], words[i]) or _capitals_run_on(text, starts, ends, i)
        )
    for i in np.flatnonzero(newline & ~blank & ~line).tolist():
        line[i] = i > 0 and _indented_below_short(text, starts, i, median)
    bracketed = _bracketed(words, newline.tolist())
    opens: list[bool] = []
    breaks: list[int] = []
    for i, (is_new, is_blank, is_line) in enumerate(
        zip(newline.tolist(), blank.tolist(), line.tolist(), strict=True)
    ):
        sentence = i > 0 and not bracketed[i - 1] and _closes(words, i - 1)
        hard = is_blank or is_line
        opens.append(hard or sentence or (is_new and not words[i - 1][:1].isalnum()))
        breaks.append(2 if hard else int(sentence and words[i - 1] != ":"))
    return words, starts, ends, opens, breaks


def _carries_on(before: str, word: str) -> bool:
    """Whether `word`, first on its line, carries on the sentence of the line before, which
    ends on `before`: on a function word ("… PARTICULAR PURPOSE.  See the" / "GNU General
    Public License …", "… THE POSSIBILITY OF" / "SUCH DAMAGE."), or on a word with `word` in
    lower case ("… for more" / "details."). Text wrapped by hand in places (a licence inside a
    file of short fields) makes no line of a sentence's last words there."""
    if not before[-1:].isalnum():
        return False
    return word[:1].islower() or _is_function_word(before.lower())


def _capitals_run_on(text: str, starts: list[int], ends: list[int], i: int) -> bool:
    """Whether token `i`, first on its line, carries on a sentence written in capitals, where
    case tells nothing: two long lines (`_LONG_LINE` characters each), the one before ending on
    a word in capitals and this one opening on one ("… LOSS OF USE, DATA, OR PROFITS; OR
    BUSINESS" / "INTERRUPTION) HOWEVER CAUSED …"), as a short marking or heading line is not
    ("SECRET" / "IMMEDIATE")."""
    before, word = text[starts[i - 1] : ends[i - 1]], text[starts[i] : ends[i]]
    if not (before.isupper() and word.isupper() and before[-1:].isalnum()):
        return False
    opened = text.rfind("\n", 0, starts[i - 1]) + 1
    closed = text.find("\n", ends[i])
    closed = len(text) if closed < 0 else closed
    return ends[i - 1] - opened >= _LONG_LINE and closed - starts[i] >= _LONG_LINE


_LONG_LINE = 40
"""Characters from which a line written in capitals reads as a wrapped sentence's."""


def _gaps(
    text: str, starts: list[int], ends: list[int]
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Whether a newline, and a blank line, lie in the gap before each token (gaps hold only
    white space; the first token counts as after a blank line)."""
    before = np.asarray([0, *ends[:-1]])
    at = np.asarray(starts)
    nl = np.asarray([m.start() for m in re.finditer("\n", text)], dtype=np.int64)
    newline = (np.searchsorted(nl, at) - np.searchsorted(nl, before)) > 0
    bl = np.asarray([m.start() for m in _BLANK_RE.finditer(text)], dtype=np.int64)
    blank = (np.searchsorted(bl, at) - np.searchsorted(bl, before)) > 0
    blank[0] = True
    return newline, blank


def _bracketed(words: list[str], newline: list[bool]) -> list[bool]:
    """Whether each token stands inside square brackets that close on its own line.

    Such a bracket is one unit of the text (an archive reference "[FA : IMP. CONF. 1937,
    MEETINGS]", a signature "[S. M. BRUCE]", "[matter omitted]"): no full stop inside it ends a
    sentence, so its formula is not mined as three ("FA : IMP.", "CONF.", "{number},
    MEETINGS]"; DFAT volume 1).
    """
    inside = [False] * len(words)
    start = -1
    for i, w in enumerate(words):
        if newline[i]:
            start = -1  # a bracket left open at a line's end holds nothing
        if w == "[":
            start = i
        elif w == "]" and start >= 0:
            inside[start + 1 : i] = [True] * (i - start - 1)
            start = -1
    return inside


def _closes(words: list[str], j: int) -> bool:
    """Token `j` closes a sentence (a title's or an initial's full stop does not)."""
    w = words[j]
    if w not in _SENTENCE_END:
        return False
    if w == "." and j >= 1:
        before = words[j - 1]
        key = before.lower()
        after = words[j + 1] if j + 1 < len(words) else ""
        if key in _NUMBERED and (after[:1].isdigit() or _roman(after)):
            return False  # "Your telegram No. 60", "vol. 2", "vol. VI"
        if (key in _CITING or _DOTTED.match(before)) and after.islower():
            return False  # "loc. cit.", "op. cit.", "cf. the", "m.f.n. treatment", "i.e. the"
        return not (key in _TITLES or _INITIALS.match(before))
    return True


def mask(text: str, stats: _CaseStats | None = None) -> Masked:
    """The masked token stream of `text` (names judged by `stats`, else by case alone)."""
    words, starts, ends, opens, breaks = _raw_tokens(text)
    split = _split_markings(words, opens, breaks, stats.markings) if stats is not None else []
    kinds = [_word_kind(w) for w in words]
    for i in range(len(words) - 1):  # list markers "(b)", "b)" count as numbers
        if len(words[i]) == 1 and words[i].isalpha() and words[i + 1] == ")":
            kinds[i] = "number"
    _mark_dates(words, kinds, starts, ends)
    _mark_dates_by_units(
        words, kinds, lambda j, first: _ideographic_part(words, kinds, starts, ends, j, first)
    )
    _mark_dates_by_units(words, kinds, lambda j, _: _korean_part(words, j))
    _mark_symbols(words, kinds, starts, ends)
    _mark_emails(text, starts, kinds, opens, breaks)
    joined = _mark_ordinals(words, kinds)
    _mark_names(words, kinds, opens, stats)
    if stats is not None:
        _mark_name_tails(words, kinds, starts, ends, stats)
        _unname_document_types(words, kinds, breaks, stats)
    _unname_styles(words, kinds)
    if stats is not None and stats.titled:
        _unname_markings(words, kinds, breaks, stats.titled)
    out = Masked([], [], [], [], [], [], text)
    token_of: dict[int, int] = {}
    i, n = 0, len(words)
    while i < n:
        kind = kinds[i]
        j = _run_end(i, words, kinds, breaks, joined) if kind in _CLASSES else i + 1
        token_of[i] = len(out.keys)
        out.keys.append(_CLASS_KEY[kind] if kind in _CLASSES else _key(words[i]))
        out.kinds.append(kind)
        out.starts.append(starts[i])
        out.ends.append(ends[j - 1])
        out.opens.append(opens[i])
        out.breaks.append(breaks[i])
        i = j
    token_of[n] = len(out.keys)
    out.marking_lines = [
        (token_of[a], token_of[b]) for a, b in split if a in token_of and b in token_of
    ]
    out.body_end = _body_end(out)
    out.last_sentences = _last_sentences(out)
    out.body_start = _body_start(out)
    out.sentences = sum(out.opens)
    return out


def _key(word: str) -> str:
    """A word's key: lower case."""
    return word.lower()


def _roman(w: str) -> bool:
    """A roman numeral (`_ROMAN_RE`): a volume's, a part's or an enclosure's number."""
    return bool(_ROMAN_RE.match(w) or (len(w) >= 2 and w.isupper() and _ROMAN_RE.match(w.lower())))


@functools.lru_cache(maxsize=1 << 16)
def _word_kind(w: str) -> str:
    if not w[0].isalnum():
        return "p"
    if w.replace(".", "").isdigit() or _ORDINAL_RE.match(w) or _roman(w):
        return "number"
    if _SYMBOL_RE.match(w):
        return "symbol"
    return ""


def _mark_names(
    words: list[str], kinds: list[str], opens: list[bool], stats: _CaseStats | None
) -> None:
    """Capitalised words the corpus capitalises mid-sentence too (and initials) are names."""
    n = len(words)
    for i, w in enumerate(words):
        if kinds[i] != "" or not w[0].isupper():
            continue
        initial = len(w) == 1 and w != "I" and i + 1 < n and words[i + 1] == "."
        judged = stats.is_name(w) if stats is not None else None
        if w.lower() in ENGLISH_MONTHS and not _follows_title(words, i):
            # A month is capitalised by rule, not as a name ("May God bless"); after a title
            # it is a first name ("Mr. Jan Eliasson").
            continue
        if initial or (not opens[i] if judged is None else judged):
            kinds[i] = "name"
    if stats is None:
        return
    for i in range(n - 2, -1, -1):  # right to left: "Papua New Guinea"
        w = words[i]
        if kinds[i] or kinds[i + 1] != "name" or not w[0].isupper() or w.isupper():
            continue
        if w.lower() not in ENGLISH_MONTHS and stats.leads_a_name(w):
            kinds[i] = "name"


def _mark_name_tails(
    words: list[str], kinds: list[str], starts: list[int], ends: list[int], stats: _CaseStats
) -> None:
    """The second part of a hyphenated given name (`_CaseStats.name_tail`), with its hyphen,
    belongs to the name before it: "Ban Ki-moon" is one name, where "{name}-moon" would make
    "moon" a fixed word of the template ("Secretary-General {name}-moon for his {…}") and cut
    the name its slot shows ("Han Seung"). A hyphen between two names ("Muhammad-Bande")
    belongs to the name too: one slot, not "{name}-{name}"."""
    for i in range(1, len(words) - 1):
        if kinds[i - 1] != "name" or words[i] != "-" or kinds[i + 1] not in ("", "name"):
            continue
        if ends[i - 1] != starts[i] or ends[i] != starts[i + 1]:
            continue  # a dash between words, not a hyphen inside one
        if kinds[i + 1] == "name":
            kinds[i] = "name"
        elif stats.name_tail(words[i + 1]):
            kinds[i] = kinds[i + 1] = "name"


_TYPE_LOWER = 5
"""`_unname_document_types`: a word written in lower case once for every five capitalised."""


def _unname_document_types(
    words: list[str], kinds: list[str], breaks: list[int], stats: _CaseStats
) -> None:
    """A capitalised word opening a line before a place in capitals is the line's document type
    ("Memorandum CANBERRA, {date}", "Minute LONDON, {date}"), not the first word of one name
    with the place, when the corpus also writes it in lower case ("a memorandum"), however often
    it capitalises it mid-sentence ("the Memorandum of Understanding"): so such a dateline keeps
    its type, where "{name}, {date}" would take it in with the place as "Memorandum CANBERRA"."""
    for i in range(len(words) - 1):
        w, nxt = words[i], words[i + 1]
        if breaks[i] != 2 or kinds[i] != "name" or kinds[i + 1] != "name":
            continue
        if w.isupper() or not w[:1].isupper() or not (nxt.isupper() and len(nxt) > 1):
            continue
        low = w.lower()
        if stats.lower[low] and _TYPE_LOWER * stats.lower[low] >= stats.upper[low]:
            kinds[i] = ""


def _unname_styles(words: list[str], kinds: list[str]) -> None:
    """A style of address is the genre's wording, not part of the name it comes before: a
    capitalised possessive and the capitalised word after it ("His Excellency Mr. {name}",
    "Your Majesty") stay words, where the corpus's case counts make "His" lead a name (it is
    capitalised mid-sentence only before "Excellency") and "His Excellency Mr. Sam Kutesa" one
    name. A style in the possessive names an institution, not the person addressed ("His
    Majesty's Government in the United Kingdom"): that stays a name."""
    for i in range(len(words) - 1):
        w = words[i]
        if w[:1].isupper() and not w.isupper() and w.lower() in STYLE_POSSESSIVES:
            nxt = words[i + 1]
            styled = nxt[:1].isupper() and not nxt.isupper() and not _POSSESSIVE_S.search(nxt)
            if kinds[i + 1] == "name" and styled:
                kinds[i] = kinds[i + 1] = ""


_POSSESSIVE_S = re.compile(r"['\u2019]s$")
"""A word in the possessive ("Majesty's"): a style that names what follows, not whom."""


def _unname_markings(
    words: list[str], kinds: list[str], breaks: list[int], titled: frozenset[tuple[str, ...]]
) -> None:
    """The words of a marking in title case (`_CaseStats.titled`) are words, not names, on a
    short line: the line itself ("Top Secret") or a run of its words beside a cable's number or
    other markings ("5888. Top Secret", "Immediate Top Secret", "Top Secret UK"), so a marking
    is never a name's slot ("Top {name}" with the fillers "Secret" and "Secret UK")."""
    longest = max(map(len, titled))
    for a, b in _line_ranges(breaks):
        if b - a > _MARKING_MAX + 2:
            continue  # (a number and its full stop may stand before the markings)
        lowered = [w.lower() for w in words[a:b]]
        for x in range(b - a):
            # (A slice running past the line is shorter than `k`: only whole ones count.)
            size = next(
                (
                    k
                    for k in range(min(longest, b - a - x), 0, -1)
                    if tuple(lowered[x : x + k]) in titled
                ),
                0,
            )
            for i in range(a + x, a + x + size):
                if kinds[i] == "name":
                    kinds[i] = ""


def _follows_title(words: list[str], i: int) -> bool:
    """Word `i` follows a title ("Mr. Jan", "Mrs May")."""
    if i >= 1 and words[i - 1].lower() in _TITLES:
        return True
    return i >= 2 and words[i - 1] == "." and words[i - 2].lower() in _TITLES


def _run_end(
    i: int, words: list[str], kinds: list[str], breaks: list[int], joined: list[bool]
) -> int:
    """The end of the run of one slot class starting at `i` (it becomes one token)."""
    kind, n, j = kinds[i], len(words), i + 1
    while j < n and not breaks[j] and (joined[j] or _continues(kind, words, kinds, j)):
        j += 1
    if kind == "name" and j < n and words[j - 1] == ".":
        j -= 1  # a title's full stop belongs to the run only when a name follows
    elif kind == "name" and j < n and words[j] == "." and _ABBREVIATION.match(words[j - 1]):
        j += 1  # an abbreviation's last full stop is its own ("My dear P.M.,": not "{name}.,")
    return j


_INITIALS = re.compile(r"^[A-Z](?:\.[A-Z])*$")
"""Initials as tokenised: "F", "R.G" (the last full stop is a token of its own)."""
_ABBREVIATION = re.compile(r"^[A-Z](?:\.[A-Z])+$")
"""A name's abbreviation as tokenised: "P.M", "U.K" (the last full stop a token of its own)."""


def _before_name(word: str) -> bool:
    """A title or initials, whose full stop stays inside a name ("Mr. X", "F. L. McDOUGALL")."""
    return word.lower() in _TITLES or bool(_INITIALS.match(word))


def _continues(kind: str, words: list[str], kinds: list[str], j: int) -> bool:
    if kinds[j] == kind:
        return kind != "number"
    if kind == "name" and words[j] == "." and _before_name(words[j - 1]):
        return j + 1 < len(words) and kinds[j + 1] == "name"
    return kind == "name" and _in_a_name(words, kinds, j)


_EDITORS_BRACKETS = frozenset("[]")
"""The brackets an edition sets around what it supplies inside a name ("Morais [da] Silva")."""


def _in_a_name(words: list[str], kinds: list[str], j: int) -> bool:
    """Token `j`, after a name's word, is a particle of it: one or more particles (the editors
    may bracket one: "Morais [da] Silva") with the name going on after them."""

    def part(x: int) -> bool:
        return (not kinds[x] and words[x] in NAME_PARTICLES) or words[x] in _EDITORS_BRACKETS

    b, k = j, j
    while b > 0 and part(b - 1):
        b -= 1  # (the particles the run took already: "[da" before "]")
    while k < len(words) and part(k):
        k += 1
    named = k < len(words) and kinds[k] == "name"
    return named and any(words[x] in NAME_PARTICLES for x in range(b, k))


def _mark_dates(words: list[str], kinds: list[str], starts: list[int], ends: list[int]) -> None:
    """Runs of numbers and month names ("26 January 1937", "May 3, 2024") become one date."""
    done = 0
    dated = [x for x, w in enumerate(words) if kinds[x] == "number" or w.lower() in MONTH_NAMES]
    for first in dated:
        if first < done:
            continue
        i = first
        j, months, numbers = _date_run(i, words, kinds, starts, ends)
        if 0 < i < j < len(words) - 1 and words[i - 1] == "[" and words[j] == "]":
            # A part the editors supplied, in brackets, and the rest of the date up to its year:
            # "[20] July 1982" (the day added), "[3 February] 1981"; not a note's marker before
            # a word ("[1] May God bless …").
            more, m, n = _date_run(j + 1, words, kinds, starts, ends)
            if more > j + 1 and n and (months or m):
                i, j, months, numbers = i - 1, more, months + m, numbers + n
        tight = all(starts[x + 1] == ends[x] for x in range(i, j - 1))
        figures = j - i >= 5 or (j - i == 1 and words[i].count(".") == 2)  # "12/3/1948", "14.3.25"
        if (months and numbers) or (tight and figures and _numeric_date(words[i:j])):
            if j < len(words) and words[j] == "." and starts[j] == ends[j - 1]:
                j += words[j - 1].lower() in _CLOCK  # "7.30 p.m.": the full stop is the time's
            i = _weekday_before(i, words, starts, ends)
            kinds[i:j] = ["date"] * (j - i)
            done = j


def _weekday_before(i: int, words: list[str], starts: list[int], ends: list[int]) -> int:
    """Where a date starting at token `i` starts with the day of the week written before it
    ("Friday, 25 September 2020", "Fri, 20 Dec 2019"): the weekday goes with the date, so a
    frame is one whatever day its dates fell on, not "{name}, {date}" for each of seven."""
    k = i - 1
    if k >= 1 and words[k] == "," and starts[k] == ends[k - 1]:
        k -= 1
    if k < 0 or not a_weekday(words[k]) or starts[k + 1] - ends[k] > 1:
        return i
    return k if k + 1 == i or starts[i] - ends[k + 1] <= 1 else i


_ERAS = frozenset({"明治", "大正", "昭和", "平成", "令和"})
"""The Japanese eras a year may be counted in ("令和6年", the sixth year of Reiwa)."""

_KOREAN_DATE_PART = re.compile(r"^\d{1,4}(년|월|일)")
"""A Korean date's part: figures with the year's, month's or day's unit glued to them ("3월"),
the last one perhaps with a particle or suffix after it ("5일발", dispatched on the 5th)."""

_UNITS_OF_DATES = {"年": 0, "月": 1, "日": 2, "년": 0, "월": 1, "일": 2}
"""Year, month and day (0, 1, 2), as Chinese and Japanese write them after their figures,
and as Korean glues them to its figures."""

_DatePart = tuple[int, int, bool]
"""A date part found at a token: the token after it, its unit (`_UNITS_OF_DATES`), and whether
the date ends with it (a particle follows)."""


def _ideographic_part(
    words: list[str], kinds: list[str], starts: list[int], ends: list[int], j: int, first: bool
) -> _DatePart | None:
    """Chinese and Japanese: figures and a unit after them with no space ("3月"), glued to the
    part before unless `first`."""
    if not (j + 1 < len(words) and kinds[j] == "number" and words[j].isdigit()):
        return None
    unit = _UNITS_OF_DATES.get(words[j + 1])
    glued = ends[j] == starts[j + 1] and (first or ends[j - 1] == starts[j])
    return (j + 2, unit, False) if unit is not None and glued else None


def _korean_part(words: list[str], j: int) -> _DatePart | None:
    """Korean: figures with a unit glued to them ("3월"), perhaps a particle after ("5일발")."""
    part = _KOREAN_DATE_PART.match(words[j])
    if part is None:
        return None
    return j + 1, _UNITS_OF_DATES[part.group(1)], part.end() < len(words[j])


def _mark_dates_by_units(
    words: list[str], kinds: list[str], part: Callable[[int, bool], _DatePart | None]
) -> None:
    """Dates written with the year's, month's and day's units after their figures, each part
    found by `part` (`_ideographic_part`: "2024年3月1日", "3月1日", "令和6年3月1日" with its
    Japanese era; `_korean_part`: "2024년 3월 5일", "3월 5일발" of KCNA's dateline "평양 3월 5일발
    조선중앙통신", a particle only after the last part), become one date: two parts at least, in
    that order, a month among them (a year alone, "2024年", is a number and a word)."""
    n = len(words)
    i = 0
    while i < n - 1:
        j, last = i, False
        units: list[int] = []
        while not last and j < n and (found := part(j, j == i)) is not None:
            if units and found[1] <= units[-1]:
                break
            j, unit, last = found
            units.append(unit)
        if len(units) >= 2 and 1 in units:
            if units[0] == 0 and i >= 2 and words[i - 2] + words[i - 1] in _ERAS:
                i -= 2  # the Japanese era the year counts in: "令和6年3月1日"
            kinds[i:j] = ["date"] * (j - i)
            i = j
        else:
            i += 1


def _numeric_date(words: list[str]) -> bool:
    """Day, month and year in figures ("24.4.26", one token, or "12/3/1948"), or year, month
    and day ("2022-08-01", "2023/04/05": ISO 8601's order, month and day in two figures); a
    file number such as "919/10/5", "3107/38/18/2" or DFAT's "2020/1/12" is none, nor a
    paragraph's number "3.1.2" (a year has two figures or four, and in the ISO order four, of
    the twentieth or the twenty-first century)."""
    parts = [p for w in words for p in w.split(".") if p.isdigit()]
    if len(parts) != 3:
        return False
    a, b, c = map(int, parts)
    if len(parts[0]) == 4 and len(parts[1]) == len(parts[2]) == 2:
        return 1900 <= a <= 2099 and 1 <= b <= 12 and 1 <= c <= 31
    if len(parts[2]) not in (2, 4):
        return False
    return 1 <= a <= 31 and 1 <= b <= 31 and min(a, b) <= 12


def _date_run(
    i: int, words: list[str], kinds: list[str], starts: list[int], ends: list[int]
) -> tuple[int, int, int]:
    """The end of the run of date material from `i`, with its month names and numbers."""
    n, j = len(words), i
    months = numbers = 0
    while j < n:
        w = words[j].lower()
        if _a_month(words[j]) and (j > i or _day_first(words, j) is not False):
            months += 1
        elif kinds[j] == "number":
            numbers += 1
        elif w in _DATE_OF and j > i and j + 1 < n and _date_part(words[j + 1], kinds[j + 1]):
            pass  # "30 de noviembre de 2021"
        elif w in _AFTER_YEAR and j > i and kinds[j - 1] == "number":
            pass  # "30 ноября 2021 года"
        elif w in _CLOCK_GLUE and j > i and _clock_part(j, words, kinds, starts, ends):
            pass  # "21:49:37 +0200"
        elif not (w in _TIME_WORDS and j > i) and not (
            w in _DATE_GLUE and j > i and j + 1 < n and starts[j + 1] - ends[j] <= 1
        ):
            break
        j += 1
    while j > i and words[j - 1] in _DATE_GLUE:
        j -= 1
    return j, months, numbers


_CLOCK_GLUE = frozenset(":+")


def _clock_part(
    j: int, words: list[str], kinds: list[str], starts: list[int], ends: list[int]
) -> bool:
    """A colon between the figures of an hour ("21:49:37"), or the plus of a time zone's offset
    after one ("+0200"), glued to the figures on both sides (on the right for the plus)."""
    if j + 1 >= len(words) or kinds[j + 1] != "number" or starts[j + 1] != ends[j]:
        return False
    if words[j] == "+":
        return len(words[j + 1]) == 4 and words[j + 1].isdigit()
    return kinds[j - 1] == "number" and starts[j] == ends[j - 1] and words[j + 1].isdigit()


def _a_month(word: str) -> bool:
    """A month's name as its language writes it: "May" but not the verb "may", "mars" but not
    "Mars", "Janeiro" of "Rio de Janeiro" a name."""
    low = word.lower()
    if low not in MONTH_NAMES:
        return False
    if low in CAPITALISED_MONTHS:
        return low != "may" or word[0].isupper()
    return word == low


def _day_first(words: list[str], j: int) -> bool | None:
    """False for a month of a language that writes it in lower case and its day before it
    ("le 3 mars", "30 de noviembre") when it opens a run without the year after it ("mai 14"
    of a Māori greeting is no date); None for the others."""
    if words[j] != words[j].lower() or words[j] in ENGLISH_MONTHS:
        return None
    after = words[j + 1] if j + 1 < len(words) else ""
    return len(after) == 4 and after.isdigit()


def _date_part(word: str, kind: str) -> bool:
    """A month's name or a number."""
    return kind == "number" or _a_month(word)


_TENS = frozenset("twenty thirty forty fifty sixty seventy eighty ninety".split())
_UNITS = frozenset("first second third fourth fifth sixth seventh eighth ninth".split())


def _mark_ordinals(words: list[str], kinds: list[str]) -> list[bool]:
    """Spelled ordinals ("sixty-first", "seventy- seventh") become one number; flags the tails."""
    joined = [False] * len(words)
    for i in range(len(words) - 2):
        if words[i].lower() in _TENS and words[i + 1] == "-" and words[i + 2].lower() in _UNITS:
            kinds[i : i + 3] = ["number"] * 3
            joined[i + 1] = joined[i + 2] = True
    return joined


def _mark_symbols(words: list[str], kinds: list[str], starts: list[int], ends: list[int]) -> None:
    """Slash-joined codes with a digit ("A/75/150", "S/2020/12") become one symbol, and so does
    a number with a letter in brackets glued to it, as "52A" is one ("Cablegram 52[A]")."""
    n = len(words)
    for i in range(n - 2):
        if words[i + 1] == "/" and starts[i + 1] == ends[i] and ends[i + 1] == starts[i + 2]:
            run = [i, i + 1, i + 2]
            if any(any(c.isdigit() for c in words[x]) for x in run) and kinds[i] != "date":
                for x in run:
                    kinds[x] = "symbol"
    for i in range(n - 3):
        if kinds[i] != "number" or words[i + 1] != "[" or words[i + 3] != "]":
            continue
        letter = words[i + 2]
        glued = all(starts[x + 1] == ends[x] for x in range(i, i + 3))
        if glued and len(letter) == 1 and letter.isupper():
            kinds[i : i + 4] = ["symbol"] * 4


_EMAIL_RE = re.compile(r"[^\W_][\w.+-]*@[^\W_][\w-]*(?:\.[\w-]+)+")
"""A mail address: "doko@debian.org", "first.last+tag@mail.example.co.uk"."""


def _mark_emails(
    text: str, starts: list[int], kinds: list[str], opens: list[bool], breaks: list[int]
) -> None:
    """The tokens of a mail address become one address: a contact's address varies with the
    sender as a name does ("-- {name} <{email}>  {date}" signs every changelog entry), and its
    parts are no words of a frame ("<{symbol}@debian.org>"); a full stop inside it ends no
    sentence ("a.@b.org")."""
    if "@" not in text:
        return
    for m in _EMAIL_RE.finditer(text):
        lo = bisect.bisect_left(starts, m.start())
        hi = bisect.bisect_left(starts, m.end())
        kinds[lo:hi] = ["email"] * (hi - lo)
        opens[lo + 1 : hi] = [False] * (hi - lo - 1)
        breaks[lo + 1 : hi] = [0] * (hi - lo - 1)


# --- regions -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Region:
    """A candidate formula instance: masked tokens ``[start, end)`` of document `doc`."""

    doc: int
    start: int
    end: int


_MULT = np.uint64(0x9E3779B97F4A7C15)


def _key_ids(docs: Sequence[Masked]) -> tuple[list[I64], dict[str, int]]:
    """Each document's keys as integers, closed by an end marker (so "Thank you." can end it)."""
    vocab: dict[str, int] = {"\x00end": 1}
    out = []
    for d in docs:
        keys = [*d.keys, "\x00end"]
        out.append(np.fromiter((vocab.setdefault(k, len(vocab) + 1) for k in keys), np.int64))
    return out, vocab


def _grams(doc: Masked, ids: I64, k: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    """The gram starting at each token: its hash (0 when not eligible) and its length.

    A gram is k tokens, or fewer when a line or a sentence ends first: then it is closed by an
    end marker, so a short line ("Canberra, {date}", "Not printed.") is a gram of its own. A gram
    is eligible with a literal word, two literal tokens (the end marker counts), at most one name
    and at least two tokens.
    """
    n = len(doc.keys)
    if n == 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    pos = np.arange(n)
    breaks = np.asarray(doc.breaks)
    brk = breaks == 2  # a gram stops short at a line's end, never crosses a sentence's
    at = np.where(brk, pos, n)
    first_from = np.minimum.accumulate(at[::-1])[::-1]  # first break at or after each position
    next_break = np.concatenate((first_from[1:], [n]))
    length = np.minimum(k, next_break - pos).astype(np.int64)
    padded = np.concatenate((ids[:n], np.zeros(k, dtype=np.int64))).astype(np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = np.where(j < length, h * _MULT + padded[j : n + j], h)
        h = np.where(length < k, h * _MULT + np.uint64(1), h)
    kinds = np.asarray(doc.kinds)
    word = np.cumsum(np.concatenate(([0], kinds == "")))
    lit = np.cumsum(np.concatenate(([0], (kinds == "") | (kinds == "p"))))
    name = np.cumsum(np.concatenate(([0], kinds == "name")))
    sentence = np.cumsum(np.concatenate(([0], breaks == 1)))
    end = pos + length
    ok = (
        (sentence[end] - sentence[np.minimum(pos + 1, n)] == 0)
        & (length >= 2)
        & (word[end] - word[pos] >= 1)
        & (lit[end] - lit[pos] + (length < k) >= 2)
        & (name[end] - name[pos] <= 1)
    )
    h[~ok] = 0
    return h, length


def _opening_grams(doc: Masked, ids: I64, n: int) -> npt.NDArray[np.uint64]:
    """The hash of the `n` tokens starting at each token that opens a sentence or a line (0 when
    not eligible: no opening, a break inside, fewer than two literal words, or a name). A short
    frame ("Reference your {…}", "I refer to {…}") is counted where it opens, not mid-sentence,
    so its rare continuations do not hide it."""
    size = len(doc.keys)
    h = np.zeros(size, dtype=np.uint64)
    if size < n:
        return h
    kinds = np.asarray(doc.kinds)
    word = np.concatenate(([0], np.cumsum(kinds == "")))
    name = np.concatenate(([0], np.cumsum(kinds == "name")))
    inner = np.concatenate(([0], np.cumsum(np.asarray(doc.breaks) > 0)))
    pos = np.arange(size - n + 1)
    ok = (
        np.asarray(doc.opens[: size - n + 1])
        & (word[pos + n] - word[pos] >= 2)
        & (name[pos + n] == name[pos])
        & (inner[pos + n] - inner[pos + 1] == 0)
    )
    acc = np.full(len(pos), np.uint64(2 + n))  # a seed of its own: not a k-gram's hash
    with np.errstate(over="ignore"):
        for j in range(n):
            acc = acc * _MULT + ids[j : j + len(pos)].astype(np.uint64)
    h[: len(pos)] = np.where(ok, acc, np.uint64(0))
    return h


_OPENING = (2, 3)
"""Lengths of the opening grams counted besides the k-grams."""
_HEADER_LINE = 12
"""Tokens of a heading line (a dateline, a classification): on one of a document's first
`_HEADER_LINES` lines a name may stand inside a formula ("Cablegram {number} {name}, {date}"),
since the line's position anchors it."""
_HEADER_LINES = 3


def _short_lines(doc: Masked) -> npt.NDArray[np.bool_]:
    """For each token, whether its line is short (a heading, a dateline, an archive reference)."""
    line = np.cumsum(np.asarray(doc.breaks) == 2)
    return np.asarray(np.bincount(line)[line] <= _HEADER_LINE, dtype=np.bool_)


def _header(doc: Masked) -> npt.NDArray[np.bool_]:
    """For each token, whether it lies on a short line among the document's first lines."""
    line = np.cumsum(np.asarray(doc.breaks) == 2)
    return np.asarray(_short_lines(doc) & (line <= _HEADER_LINES), dtype=np.bool_)


def _covered_runs(
    doc: Masked, frequent: npt.NDArray[np.bool_], lengths: npt.NDArray[np.int64]
) -> list[tuple[int, int]]:
    """Runs of tokens covered by frequent grams (names only on a heading line), cut at every
    break. `frequent` and `lengths` hold one row per kind of gram."""
    n = len(doc.keys)
    cover = np.zeros(n + 1, dtype=np.int32)
    for row, row_lengths in zip(np.atleast_2d(frequent), np.atleast_2d(lengths), strict=True):
        starts = np.flatnonzero(row)
        np.add.at(cover, starts, 1)
        np.add.at(cover, starts + row_lengths[starts], -1)
    covered = (np.cumsum(cover[:n]) > 0) & ((np.asarray(doc.kinds) != "name") | _header(doc))
    edges = np.flatnonzero(np.diff(np.concatenate(([0], covered.astype(np.int8), [0]))))
    runs: list[tuple[int, int]] = []
    for s0, e0 in zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True):
        cuts = [x for x in range(s0 + 1, e0) if doc.breaks[x]]  # a run never crosses a break
        runs.extend(itertools.pairwise([s0, *cuts, e0]))
    return runs


def find_regions(
    doc: Masked, frequent: npt.NDArray[np.bool_], lengths: npt.NDArray[np.int64], index: int
) -> list[Region]:
    """Runs of tokens covered by frequent grams, joined over short gaps without names."""
    if not frequent.any():
        return []
    runs = _covered_runs(doc, frequent, lengths)
    if not runs:
        return []
    header = _header(doc).tolist()
    out: list[Region] = []
    cur_s, cur_e = runs[0]
    for s, e in runs[1:]:
        gap = range(cur_e, s)
        joinable = (
            _gap_words(doc, cur_e, s) <= _MAX_GAP
            and e - cur_s <= _MAX_REGION
            and not any((doc.kinds[g] == "name" and not header[g]) or doc.breaks[g] for g in gap)
            and not doc.breaks[s]
        )
        if joinable:
            cur_e = e
        else:
            out.append(Region(index, cur_s, cur_e))
            cur_s, cur_e = s, e
    out.append(Region(index, cur_s, cur_e))
    short = _short_lines(doc).tolist()
    return [r for r in out if _enough_words(doc, r, short[r.start])]


_GAP_CHARACTERS = 3
"""Characters of a script written without spaces (a token each) that make one word in a gap
between a formula's parts (`_gap_words`): more than such a word's two on average
(`docdiff.text.tokens.CHARACTERS_A_WORD`), since what a slot holds there is a topic or a name,
up to eight or nine characters ("联合国安理会改革")."""


def _gap_words(doc: Masked, start: int, end: int) -> float:
    """The words the tokens ``[start, end)`` make, a character of a script written without
    spaces counting as a third of one (`_GAP_CHARACTERS`)."""
    n = end - start
    if n <= _MAX_GAP or n > _MAX_GAP * _GAP_CHARACTERS:
        return n
    keys = doc.keys
    return sum(1 / _GAP_CHARACTERS if ideographic(keys[g]) else 1 for g in range(start, end))


def _enough_words(doc: Masked, r: Region, short: bool) -> bool:
    """Two literal words; on a short line, one word and one more literal token will do
    ("Cablegram {number} {name}, {date}", "[AA: {symbol}, {…}]")."""
    kinds = doc.kinds[r.start : r.end]
    words = kinds.count("")
    return words >= 2 or (short and words == 1 and kinds.count("p") >= 1)


# --- induction -----------------------------------------------------------------------------------


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


@dataclass(slots=True)
class _Group:
    ref: tuple[int, ...]
    members: list[Region]


def _group_regions(
    regions: list[Region],
    ids: list[I64],
    hashes: list[npt.NDArray[np.uint64]],
    frequent: set[int],
    *,
    every: bool = False,
) -> list[_Group]:
    """Spell-style grouping: a shape joins the group with the longest common subsequence
    (among the groups it shares a frequent gram with: see `_votes`; `every` kind of gram)."""
    from rapidfuzz.distance import Indel

    shapes: dict[tuple[int, ...], list[Region]] = {}
    for r in regions:
        shapes.setdefault(tuple(ids[r.doc][r.start : r.end].tolist()), []).append(r)
    order = sorted(shapes, key=lambda s: (-len({r.doc for r in shapes[s]}), len(s), s))
    groups: list[_Group] = []
    by_gram: dict[int, list[int]] = {}
    for shape in order:
        r0 = shapes[shape][0]
        grams = _votes(hashes[r0.doc], r0, frequent, every=every)
        votes: Counter[int] = Counter(g for h in grams for g in by_gram.get(h, ()))
        best, best_lcs = -1, 0.0
        for g, _ in votes.most_common(8):
            ref = groups[g].ref
            lcs = (len(ref) + len(shape) - Indel.distance(ref, shape)) / 2
            if lcs >= 0.5 * max(len(ref), len(shape)) and lcs > best_lcs:
                best, best_lcs = g, lcs
        if best < 0:
            best = len(groups)
            groups.append(_Group(shape, []))
            for h in grams:
                by_gram.setdefault(h, []).append(best)
        groups[best].members.extend(shapes[shape])
    return groups


def _votes(
    hashes: npt.NDArray[np.uint64], r: Region, frequent: set[int], *, every: bool = False
) -> set[int]:
    """The frequent grams a region is grouped by: its k-grams, else its opening grams (so that
    "MOST SECRET AND PERSONAL" is not grouped with "MOST SECRET" by their shared opening).
    With `every`, both: the leftover stretches of one formula ("May God bless", "May God bless
    us all.") meet by the opening they share, whatever follows it."""
    if every:
        return {int(h) for h in hashes[:, r.start : r.end].ravel() if int(h) in frequent}
    for rows in (hashes[:1], hashes[1:]):
        grams = {int(h) for h in rows[:, r.start : r.end].ravel() if int(h) in frequent}
        if grams:
            return grams
    return set()


@dataclass(slots=True)
class _Template:
    """An induced template: reference member, fixed flags, and the members that instantiate it."""

    members: list[Region]
    ref: int
    fixed: list[bool]
    maps: list[list[tuple[int, int] | None]]


def _reference(seqs: list[list[int]]) -> int:
    """The member to align the others to: the most common shape, else the median length."""
    common, times = Counter(tuple(s) for s in seqs).most_common(1)[0]
    if times >= 2:
        return next(i for i, s in enumerate(seqs) if tuple(s) == common)
    order = sorted(range(len(seqs)), key=lambda i: (len(seqs[i]), i))
    return order[len(order) // 2]


def _induce(members: list[Region], ids: list[I64], support: float = _SUPPORT) -> _Template | None:
    seqs = [ids[r.doc][r.start : r.end].tolist() for r in members]
    ref = _reference(seqs)
    fixed, maps = template_of(seqs[ref], seqs, support=support)
    n_fixed = sum(fixed)
    if n_fixed == 0:
        return None
    keep = [
        m
        for m, mp in enumerate(maps)
        if sum(1 for i, x in enumerate(mp) if x and fixed[i]) >= 0.8 * n_fixed
    ]
    if ref not in keep:
        return None
    return _Template([members[m] for m in keep], keep.index(ref), fixed, [maps[m] for m in keep])


def _extend(members: list[Region], docs: Sequence[Masked], ids: list[I64]) -> list[Region]:
    """Grow every member over the neighbouring tokens most members share (same key or class);
    a member at its document's edge stays there."""
    out = list(members)
    for side in (-1, 1):
        for _ in range(8):
            if not _shared_neighbour(out, side, docs, ids):
                break
            out = [
                Region(r.doc, max(0, r.start - 1), r.end)
                if side < 0
                else Region(r.doc, r.start, min(len(docs[r.doc].keys), r.end + 1))
                for r in out
            ]
    return out


def _shared_neighbour(
    members: list[Region], side: int, docs: Sequence[Masked], ids: list[I64]
) -> bool:
    """Whether 80% of members have the same key just before (side -1) or after (+1) them."""
    keys: Counter[int] = Counter()
    for r in members:
        pos = r.start - 1 if side < 0 else r.end
        d = docs[r.doc]
        if 0 <= pos < len(d.keys) and not (d.breaks[r.start] if side < 0 else d.breaks[pos]):
            keys[int(ids[r.doc][pos])] += 1
    return bool(keys) and keys.most_common(1)[0][1] >= _EXTEND * len(members)


_REACH = 6
"""Tokens (names, short words) that may stand between two fragments of one formula."""


def _next_fragments(r: Region, at: Starts, docs: Sequence[Masked]) -> list[tuple[int, int]]:
    """The (template, start) of the strong fragments starting just after `r` in its document."""
    d = docs[r.doc]
    out: list[tuple[int, int]] = []
    for pos in range(max(r.start + 1, r.end - 2), min(len(d.keys), r.end + _REACH)):
        if pos > r.end and d.breaks[pos]:
            break
        out.extend((u, pos) for u in at.get((r.doc, pos), ()))
    return out


Starts = dict[tuple[int, int], list[int]]
"""(document, token) -> the strong templates with an instance starting there."""


def _merge_fragments(templates: list[list[Region]], docs: Sequence[Masked]) -> list[list[Region]]:
    """Join templates whose instances follow each other in most documents (one formula's parts).

    Only strong fragments (three literal words) are joined, so "of the" between two parts of a
    formula neither intercepts the join nor absorbs a part.
    """
    for _ in range(3):
        at, pairs = _follow_counts(templates, docs)
        used: set[int] = set()
        followers: dict[int, list[tuple[int, int]]] = {}
        for (t, u), c in pairs.items():
            followers.setdefault(t, []).append((u, c))
        for (t, _), _count in pairs.most_common():
            if t in used:
                continue
            # Every template that mostly follows `t` is a continuation ("and has the honour to
            # transmit …" / "… request …"): all of them join it.
            partners = {
                u
                for u, c in followers[t]
                if u not in used and u != t and c >= 0.6 * _spread(templates[u])
            }
            if partners and _join_into(t, partners, templates, at, docs):
                used |= {t, *partners}
        templates = [m for m in templates if m]
        if not used:
            break
    return templates


def _follow_counts(
    templates: list[list[Region]], docs: Sequence[Masked]
) -> tuple[Starts, Counter[tuple[int, int]]]:
    """Where strong fragments start, and in how many documents template u follows template t."""
    at: Starts = {}
    for t, members in enumerate(templates):
        if _literal_words(members[0], docs) >= 3:
            for r in members:
                at.setdefault((r.doc, r.start), []).append(t)
    pairs: Counter[tuple[int, int]] = Counter()
    for t, members in enumerate(templates):
        follows = {(r.doc, u) for r in members for u, _ in _next_fragments(r, at, docs)}
        pairs.update((t, u) for _, u in follows if u != t)
    return at, pairs


_LINES_JOINED = 0.9
"""`_join_into`: the share of a line's instances that the line after must follow."""


def _join_into(
    t: int, partners: set[int], templates: list[list[Region]], at: Starts, docs: Sequence[Masked]
) -> bool:
    """Extend `t`'s instances over the partner instance that follows each; False if too few:
    60% of `t`'s documents, or 90% where a partner opens the line after `t`'s (a line is a
    formula of its own unless the next nearly always goes with it: "REPORTING BUGS" heads 48
    manual pages, "GNU coreutils online help: <…>" follows it in 31 of them; joined, the
    heading's other 17 went unlisted)."""
    starts = {(r.doc, r.start): r for u in partners for r in templates[u]}
    joined = []
    next_line = False
    for r in templates[t]:
        nxt = next(((u, p) for u, p in _next_fragments(r, at, docs) if u in partners), None)
        if nxt is not None:
            other = starts[(r.doc, nxt[1])]
            joined.append(Region(r.doc, r.start, max(r.end, other.end)))
            next_line |= nxt[1] == r.end and docs[r.doc].breaks[r.end] == 2
    if _spread(joined) < (_LINES_JOINED if next_line else 0.6) * _spread(templates[t]):
        return False
    templates[t] = joined
    for u in partners:
        templates[u] = []
    return True


def _join_variants(
    templates: list[list[Region]], ids: list[I64], vocab: Mapping[str, int]
) -> list[list[Region]]:
    """Join templates whose typical instances share 70% of their tokens in order and differ only
    where one of them has a slot: after fragments merge, "… to the {name} and has …" and "… to
    the Office of the High Commissioner and has …" are one formula with a slot, while "Not
    printed." and "Not published." stay two formulae, and "addressed to the {name}" does not
    join "to the {name}"."""
    from docdiff.corpus.cluster import UnionFind

    shapes = []
    for members in templates:
        counted = Counter(tuple(ids[r.doc][r.start : r.end].tolist()) for r in members)
        shapes.append(counted.most_common(1)[0][0])
    slots = frozenset(vocab[k] for k in _CLASS_KEY.values() if k in vocab)
    name = vocab.get(_CLASS_KEY["name"], -1)
    uf = UnionFind(len(templates))
    for i, j in _similar_shapes(shapes, 0.7):
        if _differ_in_slots(shapes[i], shapes[j], slots, name):
            uf.union(i, j)
    joined: dict[int, list[Region]] = {}
    for t, members in enumerate(templates):
        joined.setdefault(uf.find(t), []).extend(members)
    return list(joined.values())


def _differ_in_slots(a: Sequence[int], b: Sequence[int], slots: frozenset[int], name: int) -> bool:
    """Every stretch where `a` and `b` differ is a slot's: a name on one side (a name may stand
    for words: "the {name}" / "the Office of the High Commissioner"), or a masked class on both
    sides ("{number}" / "{date}"); "In conclusion, the" and "In {number}, the" differ in a word."""
    from rapidfuzz.distance import Indel

    left: list[int] = []
    right: list[int] = []
    for op in [*Indel.opcodes(a, b), None]:
        if op is not None and op.tag != "equal":
            left.extend(a[op.src_start : op.src_end])
            right.extend(b[op.dest_start : op.dest_end])
            continue
        if left or right:
            both = slots.intersection(left) and slots.intersection(right)
            if not (both or name in left or name in right):
                return False
        left, right = [], []
    return True


def _as_text(shape: Sequence[int]) -> str:
    """A key sequence as a string (one character a key, surrogates skipped) for rapidfuzz."""
    return "".join(chr(k if k < 0xD800 else k + 0x800) for k in shape)


def _similar_shapes(shapes: Sequence[Sequence[int]], share: float) -> list[tuple[int, int]]:
    """Pairs of shapes whose longest common subsequence covers `share` of the longer one.

    Compared in blocks of similar length (a pair's lengths differ by less than the share allows)
    by rapidfuzz; 2·LCS/(|a|+|b|) ≥ `share` is necessary, the exact test follows.
    """
    from rapidfuzz.distance import Indel
    from rapidfuzz.process import cdist

    order = sorted(range(len(shapes)), key=lambda i: len(shapes[i]))
    texts = [_as_text(shapes[i]) for i in order]
    lengths = [len(t) for t in texts]
    out: list[tuple[int, int]] = []
    block = 256
    for b in range(0, len(order), block):
        top = lengths[min(len(order), b + block) - 1]
        stop = b
        while stop < len(order) and lengths[stop] * share <= top:
            stop += 1
        scores = cdist(
            texts[b : b + block],
            texts[b:stop],
            scorer=Indel.normalized_similarity,
            score_cutoff=share,
        )
        for x, y in zip(*np.nonzero(scores), strict=True):
            i, j = b + int(x), b + int(y)
            if j <= i:
                continue
            a, c = texts[i], texts[j]
            lcs = (len(a) + len(c) - Indel.distance(a, c)) / 2
            if lcs >= share * max(len(a), len(c)):
                out.append((order[i], order[j]))
    return out


def _literal_words(r: Region, docs: Sequence[Masked]) -> int:
    return sum(1 for x in range(r.start, r.end) if docs[r.doc].kinds[x] == "")


# --- judging and printing ------------------------------------------------------------------------


@dataclass(slots=True)
class _Shown:
    template: str
    literal_words: int
    content_words: int
    class_slots: int
    slots: list[tuple[int, int]]
    """Reference token ranges of the printed slots (``(i, i)`` is the open slot at the end)."""
    lo: int = 0
    """The reference token the printed template starts with."""
    symbols: int = 0
    """Printed ``{symbol}`` slots (document symbols, archive references)."""
    spelling: dict[int, str] | None = None
    """The literal words as most instances spell them (`_spelling`), when the reference does
    not."""


def _trimmed(t: _Template, d: Masked, start: int, docs: Sequence[Masked]) -> tuple[int, int]:
    """The fixed stretch of the reference that is printed: from a literal word to a fixed token
    that is not a name (slots at the ends are dropped; a date or number that every instance
    has stays: "Canberra, {date}", "See Document {number}")."""
    fixed = t.fixed
    lo, hi = 0, len(fixed)
    while lo < hi and not (fixed[lo] and _prints_as_word(t, lo, d.kinds[start + lo], docs)):
        lo += 1
    while hi > lo and (not fixed[hi - 1] or d.kinds[start + hi - 1] == "name"):
        if fixed[hi - 1] and _after_title(d, start + hi - 1):
            break  # "… to his predecessor, Mr. {name}": a title is not left hanging
        hi -= 1
    lo = _past_lone_words(fixed, d, start, lo, hi)
    hi = _before_lone_words(fixed, d, start, lo, hi)
    keys = d.keys[start + lo : start + hi]
    while lo > 0 and fixed[lo - 1] and _CLOSER.get(d.keys[start + lo - 1], "") in keys:
        lo -= 1  # "[matter omitted]": the opening bracket whose closing one is printed
    if lo > 0 and fixed[lo - 1] and _closed_on_its_line(t, lo - 1, docs):
        lo -= 1  # "(Due to arrive {name} {date})": `_surface` prints the closing one
    return lo, hi


def _unclosed(keys: Sequence[str]) -> list[int]:
    """The brackets `keys` open and do not close, innermost first."""
    opened: list[int] = []
    for i, key in enumerate(keys):
        if key in _CLOSER:
            opened.append(i)
        elif opened and key == _CLOSER[keys[opened[-1]]]:
            opened.pop()
    return opened[::-1]


def _closed_on_its_line(t: _Template, i: int, docs: Sequence[Masked]) -> bool:
    """Reference token `i` opens a bracket that nearly all the instances holding it
    (`_ONE_NAME`) close on the same line, whether or not their regions reach the closing one
    ("(Due to arrive Melbourne-16.5.25)" ends its region on the date)."""
    d = docs[t.members[t.ref].doc]
    closer = _CLOSER.get(d.keys[t.members[t.ref].start + i])
    if closer is None:
        return False
    aligned = _aligned(t, i)
    closed = sum(
        _closing_at(docs[m.doc], m.start + x[0] + 1, closer, _SHORT_LINE) is not None
        for m, x in aligned
    )
    return bool(aligned) and closed >= _ONE_NAME * len(aligned)


def _closing_at(d: Masked, pos: int, closer: str, limit: int) -> int | None:
    """Where `closer` stands from token `pos` on, on the same line (within `limit` tokens)."""
    for y in range(pos, min(len(d.keys), pos + limit)):
        if d.breaks[y] == 2:
            return None
        if d.keys[y] == closer:
            return y
    return None


def _prints_as_word(t: _Template, i: int, kind: str, docs: Sequence[Masked]) -> bool:
    """Reference token `i` prints as a word: a literal word, or a name that the instances
    spell the same ("Yours sincerely," where the corpus capitalises "Yours")."""
    return kind == "" or (kind == "name" and _one_name(t, i, docs) is not None)


def _fillers(t: _Template, i: int, docs: Sequence[Masked]) -> Counter[str]:
    """The words the instances hold at reference token `i`, as spelt (the typewriter's
    apostrophe and the typesetter's are one: "People's" and "People’s" are one filler)."""
    return Counter(
        _token_text(docs[m.doc], m.start + x[0]).replace("\u2019", "'") for m, x in _aligned(t, i)
    )


def _slot_fillers(t: _Template, slot: tuple[int, int], docs: Sequence[Masked]) -> Counter[str]:
    """What the instances put in a slot between fixed words (`_filler`), counted."""
    return Counter(
        _filler(m, mp, slot, docs[m.doc]) for m, mp in zip(t.members, t.maps, strict=True)
    )


def _same_word(spelt: Counter[str]) -> str | None:
    """The word the instances hold in a one-token slot (`spelt`: its fillers), where they differ
    in its case alone (as a token is fixed, in `_SUPPORT` of them), as most spell it: the
    address "Ladies and Gentlemen," beside "Ladies and gentlemen," is no slot "Ladies and {…},"
    (the capitalised word was read as a name, so the two were no one token)."""
    word = spelt.most_common(1)[0][0]
    alike = sum(n for w, n in spelt.items() if w.lower() == word.lower())
    return word if alike >= _SUPPORT * spelt.total() and word.isalpha() else None


def _marks_only(spelt: Counter[str]) -> str | None:
    """What a slot prints when no instance fills it with more than a mark (`spelt`: its
    fillers): the mark half of them hold or more ("," of "Your Excellency, Mr. {name}"), else
    nothing (the instances differ by an optional comma: no slot for words). None when one fills
    it with a word."""
    if any(_WORD_CHAR.search(filler) for filler in spelt):
        return None
    mark, times = max(((f, n) for f, n in spelt.items() if f), key=lambda x: x[1], default=("", 0))
    return mark if 2 * times >= spelt.total() else ""


_WORD_CHAR = re.compile(r"[^\W_]")
"""A letter or a digit."""


def _one_name(t: _Template, i: int, docs: Sequence[Masked]) -> str | None:
    """The name the instances hold at reference token `i`, if they hold one (`_ONE_NAME` of
    them), else None: in the whole DFAT corpus, "I am, Sir, Yours sincerely" once among 188
    "I am, Yours sincerely" aligns "Sir" with "Yours", which is no slot for all that."""
    fillers = _fillers(t, i, docs)
    if not fillers:
        return None
    name, count = fillers.most_common(1)[0]
    return name if count >= _ONE_NAME * fillers.total() else None


_ONE_NAME = 0.95
"""Share of a name's instances that must spell it alike for it to print as a word."""


def _past_lone_words(fixed: list[bool], d: Masked, start: int, lo: int, hi: int) -> int:
    """Where the printed template starts once lone function words before slots are dropped:
    they say nothing of the wording ("I {…} to {…} to his predecessor" is printed from "to his
    predecessor")."""
    while lo + 1 < hi and not fixed[lo + 1] and _is_function_word(d.keys[start + lo]):
        nxt = next((x for x in range(lo + 1, hi) if fixed[x] and d.kinds[start + x] == ""), hi)
        if nxt >= hi:
            break
        lo = nxt
    return lo


def _before_lone_words(fixed: list[bool], d: Masked, start: int, lo: int, hi: int) -> int:
    """Where the printed template ends once the articles that follow its last slot are dropped:
    an article opens a noun phrase of the filler and lines up in most instances by chance
    ("Dispatched on {date}, it conveyed the text of …", "… it reported that the …" is printed
    "Dispatched on {date}, it {…}", not "… it {…} the {…}"). A preposition there is the frame's
    own ("I call upon all {…} to {…}") and stays."""
    last_slot = next((x for x in range(hi - 1, lo, -1) if not fixed[x]), None)
    if last_slot is None:
        return hi
    tail = range(last_slot + 1, hi)
    if not all(d.kinds[start + x] == "" and d.keys[start + x] in _ARTICLES for x in tail):
        return hi
    cut = last_slot
    while cut > lo and not fixed[cut - 1]:
        cut -= 1  # a slot of several tokens
    return cut if cut - lo >= 2 else hi


_CLOSER = {"(": ")", "[": "]"}
_OPENER = {close: open_ for open_, close in _CLOSER.items()}


def _after_title(d: Masked, pos: int) -> bool:
    """Token `pos` follows a title ("Mr.", "Mr", "Dr.")."""
    before = d.keys[max(0, pos - 2) : pos]
    if before and before[-1] == ".":
        before = before[:-1]
    return bool(before) and before[-1] in _TITLES


def _is_function_word(key: str) -> bool:
    from docdiff.text.tokens import is_stopword

    return is_stopword(key) or key in _STOP_EXTRA or key in _TITLES


def _surface(t: _Template, docs: Sequence[Masked]) -> _Shown | None:
    """The template in the reference member's own words, punctuation and case."""
    ref = t.members[t.ref]
    d = docs[ref.doc]
    lo, hi = _trimmed(t, d, ref.start, docs)
    if hi - lo < 2:
        return None
    shown = _Shown("", 0, 0, 0, [], lo, spelling=_spelling(t, lo, hi, docs))
    parts: list[str] = []
    prev_end: int | None = None
    after_slot = False
    i = lo
    while i < hi:
        j = i if t.fixed[i] else next((x for x in range(i, hi) if t.fixed[x]), hi)
        while j != i and j + 1 < hi and not t.fixed[j + 1] and _joins_slots(d, ref.start + j):
            # A mark gluing two slots is part of one: "``{…}``" of "``describe-images``"
            # beside "``create-tags``", not "``{…}-{…}``".
            j = next((x for x in range(j + 1, hi) if t.fixed[x]), hi)
        same = marks = None
        if not t.fixed[i]:
            spelt = _slot_fillers(t, (i, j), docs)  # (read once for both questions)
            same = _same_word(spelt) if j == i + 1 else None
            marks = _marks_only(spelt) if same is None else None
        if marks is not None:
            parts.append(marks)  # "Your Excellency, Mr. {name}", not "Your Excellency {…} Mr."
            prev_end, i, after_slot = d.ends[ref.start + j - 1], j, True
            continue
        if not t.fixed[i] and same is None:
            # No space where the text glues the slot's first word to the word before it:
            # "title: npm-{…}", "/commands/npm-{…})" (but "session {…}" of "session, …").
            glued = prev_end is not None and _glued_on(d, prev_end, d.starts[ref.start + i])
            parts.append(_slot_after(parts, glued))
            shown.slots.append((i, j))
            prev_end, i, after_slot = d.ends[ref.start + j - 1], j, True
            continue
        pos = ref.start + i
        if same is None:
            word = _fixed_word(t, i, d, pos, docs, shown)
        else:
            word = same
            shown.literal_words += 1
            shown.content_words += not _is_function_word(same.lower())
        if i == lo and word[:1].islower() and _mostly_capitalised(t, i, docs):
            word = word[0].upper() + word[1:]  # "Thank you …", though the reference ran on
        sep = _before_word(d, prev_end, pos, word, after_slot)
        after_slot = False
        parts.append((sep if parts else "") + word)
        prev_end, i = d.ends[pos], i + 1
    last = ref.start + hi - 1
    if _after_title(d, last + 1) and d.kinds[last] != "name":
        parts.append(" {name}")  # "… appreciation to His Excellency Mr. {name}"
        shown.slots.append((hi, hi))
    elif (
        d.kinds[last] == "" and _is_function_word(d.keys[last]) and not _ends_lines(t, hi - 1, docs)
    ) or _runs_on(t, hi - 1, docs):
        # The phrase runs on: "I have the honour to {…}", "外交部发言人就{…}", "ts={…}".
        _run_on(t, d, (lo, hi), parts, shown)
        # What a quotation mark opens, it closes: "The word ‘{…}’", not "The word ‘{…}". A
        # straight mark is the same both ways: after one the template opened, it is the
        # closing one ("I enclose 'Times' {…}", not "I enclose 'Times' {…}'").
        mark = d.text[d.starts[last] : d.ends[last]]
        closer = _QUOTE_CLOSER.get(mark, "")
        if closer == mark and _marks_like(d, ref.start + lo, last + 1, mark) % 2 == 0:
            closer = ""
        parts.append(closer or _closed_after_slot(t, d, (lo, hi), docs))
    for i in _unclosed(d.keys[ref.start + lo : ref.start + hi]):
        # A bracket it opens that its instances close on their line is printed closed: "(Due
        # to arrive {…} {date})", "Thank you for your {…} [{number}]"; what stands before the
        # closing one, past the printed words, is a slot.
        if i > 0 and not _closed_on_its_line(t, lo + i, docs):
            break  # (the opening one's own test was `_trimmed`'s)
        closer = _CLOSER[d.keys[ref.start + lo + i]]
        nxt = ref.start + hi
        words_before = nxt < len(d.keys) and d.keys[nxt] != closer and d.breaks[nxt] != 2
        if words_before and not "".join(parts).endswith(SLOT):
            parts.append(" " + SLOT)
            shown.slots.append((hi, hi))
        parts.append(closer)
    shown.template = _plain("".join(parts).strip())
    return shown


_QUOTE_CLOSER = {"\u2018": "\u2019", "\u201c": "\u201d", "'": "'", '"': '"'}
"""The closing quotation mark of each opening one."""


_OPEN_QUOTES = {"`": "`", '"': '"', "\u201c": "\u201d", "<": ">"}
"""Marks opened earlier in a template that its instances may close after its closing slot (the
angle brackets around a web address too: "Full documentation <https://…/{…}>")."""


def _closed_after_slot(
    t: _Template, d: Masked, printed: tuple[int, int], docs: Sequence[Masked]
) -> str:
    """The quotation mark or backtick that the printed tokens (`printed`: reference tokens
    ``[lo, hi)``, `d` the reference's document) open earlier and leave open, where nearly all
    the instances (`_ONE_NAME`) close it on their line after the slot: "use `apt changelog
    {…}`" (Debian's changelogs: "# To read the complete changelog use `apt changelog
    gcc-12-base`."), not "… {…}" with the mark left in the slot's fillers; "" where there is
    none."""
    lo, hi = printed
    start = t.members[t.ref].start
    aligned = _aligned(t, hi - 1)
    for mark, closer in _OPEN_QUOTES.items():
        opened = _marks_like(d, start + lo, start + hi, mark)
        if mark == closer:
            if opened % 2 == 0:
                continue
        elif opened <= _marks_like(d, start + lo, start + hi, closer):
            continue
        closed = sum(
            _closing_at(docs[m.doc], m.start + x[1], closer, _SHORT_LINE) is not None
            for m, x in aligned
        )
        if aligned and closed >= _ONE_NAME * len(aligned):
            return closer
    return ""


def _marks_like(d: Masked, lo: int, hi: int, mark: str) -> int:
    """How many of tokens ``[lo, hi)`` of `d` are `mark`."""
    return sum(1 for k in range(lo, hi) if d.text[d.starts[k] : d.ends[k]] == mark)


def _broken_word(text: str, prev_end: int, start: int) -> bool:
    """The text before `start` ends a line on a hyphen glued to a word ("Secretary-" then
    "General" on the next line)."""
    hyphen = _LINE_END_HYPHEN.match(text, prev_end - 1) if prev_end >= 1 else None
    return hyphen is not None and hyphen.end() == start


def _separator(word: str, after_slot: bool, spaced: bool) -> str:
    """What stands before a printed word: a space as in the text, and after a slot a space
    unless the word is punctuation ("{…} inserted", "{…}.", and a mark the text glues to the
    slot's words: "`{…}`") or written without spaces (`_unspaced`: "{…}答记者问")."""
    if after_slot:
        glued = not spaced and not word[:1].isalnum() and word[:1] != "{"  # (a slot's class)
        return "" if word[:1] in ".,;:!?)]" or glued or _unspaced(word[:1]) else " "
    return " " if spaced else ""


_UNSPACED = re.compile(rf"[{IDEOGRAPHIC}\u3000-\u303f\uff00-\uffef]")
"""A character of a script written without spaces between words, or a full-width mark."""


def _unspaced(char: str) -> bool:
    """`char` is written with no space around it: a slot beside it is printed without one
    ("外交部发言人就{…}答记者问")."""
    return _UNSPACED.match(char) is not None


def _before_word(d: Masked, prev_end: int | None, pos: int, word: str, after_slot: bool) -> str:
    """What a template prints before its word `word` (token `pos` of `d`): `_separator`, but
    nothing inside a word hyphenated at a line's end ("Secretary-General"), and the
    underscores of a name they join (`_inner_underscores`)."""
    sep = _separator(word, after_slot, _spaced(d, prev_end, d.starts[pos]))
    if prev_end is None:
        return sep
    if sep and _broken_word(d.text, prev_end, d.starts[pos]):
        return ""
    if not sep and not after_slot:
        return _inner_underscores(d.text, prev_end, d.starts[pos])
    return sep


def _inner_underscores(text: str, end: int, start: int) -> str:
    """The underscores joining the words before `end` and from `start` into one name
    ("cmake_policy", "CMAKE_POLICY_WARNING"), which no mark of emphasis is: printed as they
    stand, not dropped ("cmakepolicy"). Nothing else."""
    between = text[end:start]
    if between and set(between) == {"_"} and text[end - 1].isalnum() and text[start].isalnum():
        return between
    return ""


def _run_on(
    t: _Template, d: Masked, bounds: tuple[int, int], parts: list[str], shown: _Shown
) -> None:
    """Print the slot where a template's phrase runs on past its last word (`bounds`: the
    printed tokens), glued to it where the text glues them ("ts={…}"). A slot, a joining mark
    and the words running on glued to it are one slot: "aws ec2 describe-{…}", not
    "describe-{…}-{…}" (the slot's fillers shown are the words before the mark)."""
    lo, hi = bounds
    last = t.members[t.ref].start + hi - 1
    glued = last + 1 < len(d.starts) and _glued_on(d, d.ends[last], d.starts[last + 1])
    if glued and hi - 2 >= lo and not t.fixed[hi - 2] and _joins_slots(d, last):
        parts.pop()
        return
    parts.append(_slot_after(parts, glued))
    shown.slots.append((hi, hi))


def _slot_after(parts: list[str], glued: bool) -> str:
    """A slot as printed after `parts`: with a space before it, unless the text glues it to
    the word before (`glued`) or that word is written without spaces (`_unspaced`)."""
    return ("" if parts and (glued or _unspaced(parts[-1][-1:])) else " ") + SLOT


_JOINING = frozenset("-/._:")
"""Marks that join the words around them into one (a compound, a path, a name)."""


def _joins_slots(d: Masked, pos: int) -> bool:
    """Token `pos` of `d` is a mark that joins the tokens on either side, glued to both."""
    return (
        0 < pos < len(d.starts) - 1
        and d.text[d.starts[pos] : d.ends[pos]] in _JOINING
        and d.ends[pos - 1] == d.starts[pos]
        and d.ends[pos] == d.starts[pos + 1]
    )


def _glued_on(d: Masked, end: int, start: int) -> bool:
    """The word at `start` of `d` is glued to the token ending at `end` ("npm-" and "team" of
    "npm-team"; not "," and "I" of ", I")."""
    return not _spaced(d, end, start) and d.text[start : start + 1].isalnum()


def _spaced(d: Masked, prev_end: int | None, start: int) -> bool:
    """White space stands between the previous token and the one at `start` (the marks of
    emphasis between them are no space: "Notes_," prints "Notes,")."""
    return prev_end is None or any(c.isspace() for c in d.text[prev_end:start])


_EMPHASIS = re.compile(r"(?<![^\W_])_+|_+(?![^\W_])|\*{2,}")
"""Marks of emphasis in converted text: underscores not inside a word ("_[matter omitted]_"),
and the asterisks of bold ("**Portuguese Timor**"; one asterisk is a note's mark: "* 2")."""


def _plain(template: str) -> str:
    """The template without emphasis marks, brackets hugging their words ("[matter omitted]")."""
    text = " ".join(_EMPHASIS.sub("", template).split())
    text = re.sub(r"(?<=\}) ([\"\u201d\u2019'])(?=[\s.,;:!?)\]]|$)", r"\1", text)  # "{…}'."
    text = re.sub(r"(^|\s)([\"\u201c\u2018']) (?=\{)", r"\1\2", text)  # "indicates '{…}"
    return re.sub(r"([\[(]) | ([\])])", lambda m: m.group(1) or m.group(2), text)


def _ends_lines(t: _Template, i: int, docs: Sequence[Masked]) -> bool:
    """Most instances end their line at reference token `i`: a heading that ends on a function
    word ("SEE ALSO" of a manual page) runs on into nothing."""
    ends = 0
    for m, x in _aligned(t, i):
        d = docs[m.doc]
        nxt = m.start + x[1]
        ends += nxt >= len(d.keys) or d.breaks[nxt] == 2
    return ends > len(t.members) / 2


def _runs_on(t: _Template, i: int, docs: Sequence[Masked]) -> bool:
    """Most instances go on after reference token `i` within the sentence ("Your telegram
    {…}", "Reference your {…}"), rather than end there ("Not printed.", "MOST SECRET"). An
    abbreviation's full stop that ends no sentence goes on ("See AA: {symbol}, vol. {…}", not
    "… vol.", DFAT volumes 3 and 7), and so does a field's label ("License-File: {…}": its
    colon followed on its line by the value); another sentence's end does not ("Following for
    Prime Minister:-", "Not printed.")."""
    mark = _token_text(docs[t.members[t.ref].doc], t.members[t.ref].start + i)
    if mark in _SENTENCE_END and mark not in _RUNS_ON_MARKS:
        return False
    on = 0
    for m, x in _aligned(t, i):
        d = docs[m.doc]
        nxt = m.start + x[1]
        on += nxt < len(d.keys) and not d.breaks[nxt] and d.kinds[nxt] != "p"
    return on > len(t.members) / 2


def _fixed_word(
    t: _Template, i: int, d: Masked, pos: int, docs: Sequence[Masked], shown: _Shown
) -> str:
    """How fixed reference token `i` prints: itself, or its class where its fillers vary."""
    kind = d.kinds[pos]
    if kind == "":
        shown.literal_words += 1
        shown.content_words += not _is_function_word(d.keys[pos])
        if shown.spelling is not None:
            return shown.spelling[i]
    elif kind in _CLASSES:
        if kind != "name":
            fillers = _fillers(t, i, docs)
            # Judged as a class slot; a symbol or a mail address is printed as a slot only
            # where its fillers vary: "[UKNA: T 295/384]" cites one file wherever it stands. (A
            # number or a date that never varies stays a slot: a note's marker "[1]", the frame
            # of its wordings.)
            shown.class_slots += 1
            shown.symbols += kind == "symbol"
            if len(fillers) == 1 and kind in ("symbol", "email"):
                return _token_text(d, pos)
            shown.slots.append((i, i + 1))
            shape = _symbol_shape(fillers) if kind == "symbol" else None
            return shape or "{" + kind + "}"
        name = _one_name(t, i, docs)
        if name is None:
            shown.slots.append((i, i + 1))
            return "{name}"
        # A name that does not vary is printed, and read, as a word, but it is not the wording a
        # formula is made of ("Leopold Amery, Secretary for the Colonies" is a person's note).
        shown.literal_words += 1
        own = _token_text(d, pos)
        # (as the reference spells it, when it holds that name: "People’s", not "People's")
        return own if own.replace("\u2019", "'") == name else name
    return _token_text(d, pos)


def _spelling(t: _Template, lo: int, hi: int, docs: Sequence[Masked]) -> dict[int, str] | None:
    """The literal words of reference tokens ``[lo, hi)`` as most instances spell them all,
    when the reference spells them otherwise: the closing "Thank you." of 39 UN speeches of
    2020 printed as "Thank You." when the reference was one of the 3 that capitalise "You".
    The spelling is one instance's whole (the most common among those holding every word), so
    a template is never half in capitals ("TOP SECRET" and "Top Secret" print one of the two,
    not "TOP Secret"). None when the reference's spelling is as common as any."""
    ref = t.members[t.ref]
    d = docs[ref.doc]
    words = [i for i in range(lo, hi) if t.fixed[i] and d.kinds[ref.start + i] == ""]
    own = tuple(_token_text(d, ref.start + i) for i in words)
    if all(w == w.lower() for w in own):
        return None  # (a capital the instances add is `_surface`'s: "Thank you" opening)
    spelt: Counter[tuple[str, ...]] = Counter()
    for m, mp in zip(t.members, t.maps, strict=True):
        at = [mp[i] for i in words]
        if all(x is not None for x in at):
            spelt[tuple(_token_text(docs[m.doc], m.start + x[0]) for x in at if x)] += 1
    best, times = spelt.most_common(1)[0] if spelt else (own, 0)
    if spelt[own] >= times:
        return None
    return dict(zip(words, best, strict=True))


_SYMBOL_PART = re.compile(r"\d+|[^\W\d_]+|[^\w\s]")


def _symbol_shape(fillers: Iterable[str]) -> str | None:
    """Slash-joined document symbols as the documents spell them, their varying numbers as
    slots: "A/63/PV.5" and "A/62/PV.10" are "A/{number}/PV.{number}", "A/62/1" and "A/63/1" are
    "A/{number}/1". The shape is that of most fillers (`_SUPPORT`, as a template's fixed words
    are those most of its members share); None (print ``{symbol}``) when no shape is, and for
    an archive's codes ("A1838", "CP290": a series and an item, not a document's parts)."""
    shapes: Counter[tuple[str, ...]] = Counter()
    numbers: dict[tuple[str, ...], list[list[str]]] = {}
    total = 0
    for f in fillers:
        parts = _SYMBOL_PART.findall(f)
        skeleton = tuple("0" if p.isdigit() else p for p in parts)
        shapes[skeleton] += 1
        numbers.setdefault(skeleton, []).append(parts)
        total += 1
    if total < 2:
        return None
    skeleton, n = shapes.most_common(1)[0]
    if n < _SUPPORT * total or "0" not in skeleton or "/" not in skeleton:
        return None
    out = []
    for x, part in enumerate(skeleton):
        values = {parts[x] for parts in numbers[skeleton]}
        out.append(part if part != "0" else values.pop() if len(values) == 1 else "{number}")
    return "".join(out) if "{number}" in out else None


def _cites_in_brackets(shown: _Shown) -> bool:
    """The template is a reference in brackets: a document symbol and a word or two, inside
    one pair of brackets ("(see A/{number}/PV.{number})", "(resolution {number}/{number},
    annex)"). A text cites documents in passing wherever it stands, so a citation's evidence
    is its frame, recurring across documents and senders, not its position."""
    text = shown.template
    if len(text) < 2 or _CLOSER.get(text[0]) != text[-1] or shown.symbols < 1:
        return False
    inner = text[1:-1]
    return shown.content_words >= 1 and not any(c in inner for c in "()[]")


def _mostly_capitalised(t: _Template, i: int, docs: Sequence[Masked]) -> bool:
    """Most members spell reference token `i` with a capital (they open a sentence there)."""
    aligned = _aligned(t, i)
    upper = sum(1 for m, x in aligned if _token_text(docs[m.doc], m.start + x[0])[:1].isupper())
    return upper > len(aligned) / 2


def _token_text(d: Masked, pos: int) -> str:
    return d.text[d.starts[pos] : d.ends[pos]]


def _starts(t: _Template, lo: int) -> Iterator[tuple[Region, int]]:
    """Each member, and the token where its instance of the template starts: the one aligned to
    reference token `lo` (the first shown), else the member's first."""
    for m, mp in zip(t.members, t.maps, strict=True):
        hit = mp[lo]
        yield m, m.start + (hit[0] if hit else 0)


_GLUE = frozenset("-\u00ad\u2010\u2011")
"""Hyphens that join a word's parts ("co-operation", "co\u00ad operation" with a soft hyphen)."""


def _mid_word(t: _Template, shown: _Shown, docs: Sequence[Masked]) -> bool:
    """Most instances start inside a hyphenated word ("operation with New Zealand." out of
    "co-operation with New Zealand.", DFAT volume 23), or inside a web address or path, after
    a slash ("packaging-manuals/copyright-format/1.0/ Upstream-Name:" out of "Format:
    https://www.debian.org/doc/packaging-manuals/…"): a fragment of what the documents say,
    cut where the tokenizer split the word, not where the genre's wording starts."""
    inside = 0
    for m, start in _starts(t, shown.lo):
        d = docs[m.doc]
        at = d.starts[start]
        before = d.text[max(0, at - 3) : at].rstrip(" ")
        inside += len(before) >= 2 and before[-1] in _GLUE and before[-2].isalpha()
        inside += at >= 2 and d.text[at - 1] == "/" and d.text[at - 2].isalnum()
    return 2 * inside > len(t.members)


def _aligned(t: _Template, i: int) -> list[tuple[Region, tuple[int, int]]]:
    """Members aligned to reference token `i`, with the member token they align to."""
    return [(m, x) for m, mp in zip(t.members, t.maps, strict=True) if (x := mp[i]) is not None]


def _opens_at(d: Masked, pos: int, *, line: bool = False) -> bool:
    """The token opens a line or a sentence (`line`: a line), or follows only a number or mark
    that does ("1 Not printed.", "(a) I have the honour")."""
    for x in range(pos, max(-1, pos - 4), -1):
        if d.breaks[x] == 2 if line else d.opens[x]:
            return True
        if x - 1 < 0 or (d.kinds[x - 1] not in _CODES and d.kinds[x - 1] != "p"):
            return False
    return False


def _in_notes(t: _Template, docs: Sequence[Masked]) -> bool:
    """Most instances stand in a note: a line that opens with its number ("3 Corrected from
    copy on file AA: A3300/2, 441."), wherever the notes fall in a long document."""
    return _noted(t.members, docs)


def _noted(members: Sequence[Region], docs: Sequence[Masked]) -> bool:
    """`_in_notes`, of the instances `members`."""
    inside = sum(docs[m.doc].kinds[_line_head(docs[m.doc], m.start)] == "number" for m in members)
    return inside >= 0.6 * len(members)


def _line_head(d: Masked, pos: int) -> int:
    """The first token of the line holding token `pos`."""
    while pos > 0 and d.breaks[pos] != 2:
        pos -= 1
    return pos


def _opens_a_note(t: _Template, shown: _Shown, docs: Sequence[Masked]) -> bool:
    """Nearly all instances (`_SPEECH_ACT`) open a note of an edition's notes, below its text
    (`Masked.body_end`), right after the note's number ("2 Dispatched on 24 January, it conveyed
    the text of Document 142."): an editor's wording, however long the note it opens."""
    first = 0
    for m, start in _starts(t, shown.lo):
        d = docs[m.doc]
        number = start - 1
        first += (
            d.body_end <= number
            and d.kinds[number] == "number"
            and d.breaks[number] == 2
            and not d.breaks[start]
        )
    return first >= _SPEECH_ACT * len(t.members)


_SHORT_LINE = 30
"""Tokens of a short line (a heading, a dateline, a footnote; not a paragraph)."""


def _short_line(d: Masked, pos: int) -> bool:
    """The line holding token `pos` ends within `_SHORT_LINE` tokens of it."""
    stop = min(len(d.keys), pos + _SHORT_LINE)
    return stop == len(d.keys) or any(d.breaks[x] == 2 for x in range(pos + 1, stop + 1))


_GATHERED = 0.75
"""Share of a formula's uses that sit at the documents' edges (`_position_ok`): a sentence
opening found at the top of two documents in three and in the middle of the others is a common
opening of the running text ("The first {…}" in cables, "I would also like to {…}" mid-speech
as at the top of a speech), not an opening or closing formula of the genre."""

_CHANCE = 1e-2
"""How unlikely the instances' gathering at the edges must be by chance (binomial tail), at most;
the miner asks for 1 / (templates judged), so that fewer than one passes by chance."""


def _binomial_tail(n: int, k: int, p: float) -> float:
    """P(X ≥ k) for X ~ Binomial(n, p)."""
    if k <= 0:
        return 1.0
    if p >= 1.0:
        return 1.0
    if p <= 0.0:
        return 0.0
    logs = [
        math.lgamma(n + 1)
        - math.lgamma(i + 1)
        - math.lgamma(n - i + 1)
        + i * math.log(p)
        + (n - i) * math.log1p(-p)
        for i in range(k, n + 1)
    ]
    top = max(logs)
    return min(1.0, math.exp(top) * sum(math.exp(x - top) for x in logs))


def _edge_surprise(n: int, head: int, tail: int, p: float) -> float:
    """How unlikely by chance `head` of `n` uses at the top edge or `tail` at the bottom one
    are, each edge `p` likely for a use: openings gather at the top, closings at the bottom,
    each edge tested on its own (two tests: the smaller tail, doubled)."""
    return 2 * min(_binomial_tail(n, head, p), _binomial_tail(n, tail, p))


def _position_ok(
    t: _Template,
    shown: _Shown,
    docs: Sequence[Masked],
    alpha: float = _CHANCE,
    own: bool = False,
    years: _Years | None = None,
) -> bool:
    """A formula is a short line of its own (`own`: a heading, a dateline, a footnote), a frame
    around a document symbol or archive reference (a citation), or it sits near a document's
    edge — in three quarters of its uses (`_GATHERED`), more often than chance would put it
    there — and, unless long, opens a sentence or a line, or is a clause (`_clause_worded`)
    that closes its sentence in half its uses ("… to a successful conclusion.", outside an
    edition's notes); or it opens the running text below the heading lines in half its uses,
    more often than a sentence at random would (a letter's "I have the honour to {…}" below a
    long address block). A salutation opens a line near the top. A request or reply to the
    reader need not sit at an edge (`_to_the_reader`)."""
    first = shown.template.lower().split()
    n = len(t.members)
    opening, top, head, tail, chance = _placement(t, shown.lo, docs)
    if first and "dear" in first[:2]:
        return top >= 0.6 * n
    if own or (shown.symbols and shown.literal_words >= 2 and _in_notes(t, docs)):
        return True  # a line of its own; a citation in the notes ("on file AA: {symbol}")
    if _opens_a_note(t, shown, docs):
        return True  # an editor's note opens with it: "1 Dispatched on {date}, it {…}"
    opens_body, chance_body = _opening_the_body(t, shown.lo, docs)
    if opens_body >= 0.5 * n and _binomial_tail(n, opens_body, chance_body) <= alpha:
        return True  # it opens the running text, below the heading lines: "I have the honour to"
    long = shown.content_words >= _LONG or (shown.literal_words >= 6 and shown.class_slots >= 1)
    p = chance / n
    gathered = head + tail >= _GATHERED * n and _edge_surprise(n, head, tail, p) <= alpha
    if (long or opening >= 0.5 * n) and gathered:
        return True
    closes = gathered and _clause_worded(shown) and _closing(t, docs) >= 0.5 * n
    if closes and not _in_notes(t, docs):
        return True  # it closes its sentence: "… to a successful conclusion."
    if _speech_act(shown, n, opening, head + tail, chance, alpha):
        return True
    if _to_the_reader(t, shown, opening, years):
        return True
    return _edge_clause(shown, n, head, p, alpha) and (
        years is None or years.spread(t) >= _YEARS_SPREAD
    )


_SPEECH_ACT = 0.8
"""Share of a speech act's instances that must open a sentence (`_speech_act`)."""


def _speech_act(
    shown: _Shown, n: int, opening: int, edges: int, chance: float, alpha: float
) -> bool:
    """A frame with which the speaker acts on the occasion, anywhere in the text ("I take this
    opportunity to {…}" before a tribute in the middle of a speech as at its top): it opens a
    sentence in nearly all its uses (80%) and runs on, from a function word, into what each
    document says (a complement: "… to {…}", "… that {…}"; not a noun's clause: "We live in a
    world {…}"), it has the words of a phrase (two content words), and its uses sit at the
    documents' edges more often than chance would put them there, though not mostly (the
    opening and closing courtesies are where the occasion is addressed); a topic's sentence
    opening ("The situation in {…}") does not gather there."""
    if not shown.template.endswith(SLOT) or shown.content_words < 2:
        return False
    last = _fixed_words(shown.template).split()[-1:]
    if not last or not _is_function_word(last[0]):
        return False  # it runs on into a complement ("… to {…}"), not a noun's ("a world {…}")
    if opening < _SPEECH_ACT * n:
        return False
    return _binomial_tail(n, edges, chance / n) <= alpha


def _performative(
    t: _Template, shown: _Shown, docs: Sequence[Masked], genre: _Genre, years: _Years | None
) -> bool:
    """A speaker's performative frame is a formula wherever it stands: the speaker, in the first
    person singular ("I am pleased to {…}", "I have the honour to {…}"; "Allow me to {…}",
    "Let me begin by {…}", with the speaker as the one who asks leave), announces the act the
    sentence performs, and runs on into that act (`_ACT_COMPLEMENT`: "… to {…}"). Its evidence:
    it opens its sentence in nearly all its uses (80%: the speaker's act is a sentence of its
    own, not a clause of an argument), or its clause after a phrase set off by a comma ("At
    the outset, I should like to {…}", "On behalf of my Government, I am pleased to {…}"); it
    says its act in the genre's own words (`_Genre`: a word the corpus uses more than general
    language does, "pleased", "honour", "congratulate"; everyone's "I want to {…}", "I have
    come to {…}" say nothing of the genre); and its documents spread over the years. Its uses
    need not gather at the edges: a speech thanks, congratulates and informs in its middle
    too. Spread over senders is asked of every formula (`_many_senders`)."""
    if not shown.template.endswith(SLOT) or shown.content_words < 1:
        return False
    words = [w.lower() for w in _literal_word_list(shown.template)]
    if not _performer(words):
        return False
    if not any(genre.marked(w) for w in words if not _is_function_word(w)):
        return False
    opening = sum(
        _opens_at(docs[m.doc], start) or (start > 0 and docs[m.doc].keys[start - 1] == ",")
        for m, start in _starts(t, shown.lo)
    )
    if opening < _SPEECH_ACT * len(t.members):
        return False
    return years is None or years.spread(t) >= _YEARS_SPREAD


def _performer(words: Sequence[str]) -> bool:
    """The words (lower case) of a performative frame: the speaker in the first person singular,
    as the subject ("I …") or as the one who asks leave ("Allow me …", "Let me …"), and a
    complement at the end (`_ACT_COMPLEMENT`), three words at least."""
    if len(words) < 3 or not (words[0] == "i" or words[1] == "me"):
        return False
    if words[0] == "i" and _past(words[1]):
        return False  # a report of what the speaker did ("I was able to {…}", "I tried to")
    return words[-1] in _ACT_COMPLEMENT


_PAST_AUXILIARIES = frozenset("was were had did".split())
"""The past tense of the auxiliaries: "I was", "I had", "I did"."""


def _past(word: str) -> bool:
    """`word` (lower case), after "I", is a verb in the past tense: an auxiliary's, or a
    regular verb's "-ed" that the English stemmer takes off ("asked", "wanted", "decided"; not
    "need", "proceed"). An act performed by saying it is said in the present: "I enclose",
    "I am pleased to", "I have the honour to"."""
    from docdiff.text.lemmas import stemmer_for

    if word in _PAST_AUXILIARIES:
        return True
    stem = stemmer_for("en")
    return word.endswith("ed") and stem is not None and stem([word])[0] != word


_ACT_COMPLEMENT = frozenset("to by of".split())
"""The words with which a performative frame runs on into the act it performs: a non-finite
complement, the infinitive ("I wish to {…}") or a gerund ("Let me begin by {…}"), or the object
that an act of sending hands over ("I enclose a copy of {…}", "I acknowledge receipt of {…}").
A finite clause ("I said that {…}", "I believe that {…}") reports or asserts a proposition: no
act of the occasion."""


_READER = frozenset("you your yours please".split())
"""Words with which a sentence turns to its reader: the second person, and the "please" of a
request ("Please advise {…}", "Your telegram {…}", "You will recall that {…}")."""
_TO_THE_READER = 0.9
"""Share of a request's or reply's instances that must open their sentence (`_to_the_reader`)."""


def _to_the_reader(t: _Template, shown: _Shown, opening: int, years: _Years | None) -> bool:
    """A sentence that turns to its reader, a request or a reply ("Please advise {…}", "Please
    convey the following {…}", "Your telegram {…}"), is the correspondence's own wording wherever
    it stands: a cable's requests close its paragraphs, not only its text. Its evidence is that
    it opens its sentence in nearly all its uses (90%), which a phrase of the running text does
    not, with a word that points at the reader in its opening words (the second person, the
    "please" of a request: `_READER`), and that its documents spread over the years (a year's
    negotiation is no formula)."""
    words = [w.lower() for w in _literal_word_list(shown.template)]
    if shown.content_words < 2 or not _READER.intersection(words[:2]):
        return False
    if opening < _TO_THE_READER * len(t.members):
        return False
    return years is None or years.spread(t) >= _YEARS_SPREAD


_EDGE_CLAUSE = 0.8
"""Share of a clause's instances that the top edge of the documents must hold (`_edge_clause`)."""
_YEARS_SPREAD = 0.6
"""An edge clause's documents cover at least this share of the years that as many documents drawn
at random would cover (`_Years.spread`)."""


def _clause_worded(shown: _Shown) -> bool:
    """The words of a phrase, not a fragment ("assumption of {…}"): two content words, four
    literal words."""
    return shown.content_words >= 2 and shown.literal_words >= _CLAUSE_WORDS


def _closing(t: _Template, docs: Sequence[Masked]) -> int:
    """Of the instances: how many close a sentence or a line with the template's last fixed
    token (it is the sentence's end, or one follows it)."""
    last = max(i for i, f in enumerate(t.fixed) if f)
    closing = 0
    for m, x in _aligned(t, last):
        d = docs[m.doc]
        end = m.start + x[1]
        after = end < len(d.keys) and (d.breaks[end] > 0 or _token_text(d, end) in _SENTENCE_END)
        closing += end >= len(d.keys) or after or _token_text(d, end - 1) in _SENTENCE_END
    return closing


def _edge_clause(shown: _Shown, n: int, head: int, p: float, alpha: float) -> bool:
    """A clause of the opening courtesies: it need not open a sentence ("and also to the
    outgoing President, Mr. {name}", "for his tireless efforts {…}" inside the opening paragraph
    of a speech), but nearly all its instances (80%) sit at the top of the documents, where
    chance would seldom put them, and it has the words of a phrase (two content words, four
    literal words), not a fragment ("assumption of {…}"). (The bottom edge holds an edition's
    notes, whose recurring clauses are about a person or thing: "…, head of the legation.")"""
    return _clause_worded(shown) and _at_the_top(n, head, p, alpha)


def _at_the_top(n: int, head: int, p: float, level: float) -> bool:
    """Nearly all (`_EDGE_CLAUSE`) of `n` instances, `head` of them, start at the top of their
    documents, as seldom by chance (`p` each) as `level`."""
    return head >= _EDGE_CLAUSE * n and _binomial_tail(n, head, p) <= level


def _placement(t: _Template, lo: int, docs: Sequence[Masked]) -> tuple[int, int, int, int, float]:
    """Of the instances: how many open a sentence or a line, open one near the top, start near
    the top edge, end near the bottom edge, and the summed chance of either edge."""
    opening = top = head = tail = 0
    chance = 0.0
    for m, start in _starts(t, lo):
        d = docs[m.doc]
        opening += _opens_at(d, start)
        at_head, at_tail, p = _at_an_edge(d, start, m.end)
        head += at_head
        tail += at_tail
        chance += p
        top += d.opens[start] and start < min(80, max(20, len(d.keys) // 5))
    return opening, top, head, tail, chance


def _at_an_edge(d: Masked, start: int, end: int) -> tuple[bool, bool, float]:
    """An instance from token `start` to `end`: whether it starts near the top edge, whether it
    ends near the bottom edge (and not the top), and the chance that an instance at random
    would stand at either. An edge is 15% of the tokens (`_margin`); the bottom one holds at
    least the last `_EDGE_SENTENCES` sentences or lines (`Masked.last_sentences`), up to
    `_EDGE_MOST` of them: a short text's closing sentences ("This policy was introduced in CMake
    version {number}. …", then one more sentence and an include line, in CMake's policy pages)
    are longer than 15% of it. (The top one does not: widened alike, it took a middle sentence
    of short answers, "For example, {…}", for an opening.)"""
    size = len(d.keys)
    top = _margin(size)
    bottom = max(top, min(int(_EDGE_MOST * size), d.last_sentences))
    # The bottom edge is the document's end, and the end of its text when notes follow it
    # (a letter's "Yours sincerely," stands before the edition's notes, however many).
    body = d.body_end
    body_margin = _margin(body) if body < size - bottom else 0
    tail = start >= top and (end > size - bottom or body - body_margin < end <= body)
    return start < top, tail, min(0.5, (bottom + body_margin) / max(1, size))


_EDGE_SENTENCES = 3
"""Sentences or lines the bottom edge holds at least (`_at_an_edge`)..."""

_EDGE_MOST = 0.3
"""... unless they make more than this share of the text's tokens (a text of four long
sentences has no middle sentence at its edges)."""


def _last_sentences(d: Masked) -> int:
    """The tokens of `d`'s last `_EDGE_SENTENCES` sentences or lines (each opening on a word
    after a sentence's end or a line break: marks alone are none, "..", nor is a colon's
    clause, ":command:`cmake_policy` command"); all of them when it has fewer."""
    starts = [
        x
        for x, (brk, kind) in enumerate(zip(d.breaks, d.kinds, strict=True))
        if (brk or x == 0) and kind != "p"
    ]
    n = len(d.keys)
    return n - starts[-_EDGE_SENTENCES] if len(starts) >= _EDGE_SENTENCES else n


def _opening_the_body(t: _Template, lo: int, docs: Sequence[Masked]) -> tuple[int, float]:
    """Of the instances: how many open the running text (its first sentence, after the heading
    lines: `Masked.body_start`, or after a paragraph number there), and the chance that one
    opening a sentence at random would (one over the sentences a document opens, averaged)."""
    first = 0
    chance = 0.0
    for m, start in _starts(t, lo):
        d = docs[m.doc]
        body = d.body_start
        lead = range(body, start)
        first += 0 <= start - body <= 3 and all(d.kinds[x] in ("number", "p") for x in lead)
        chance += 1 / max(1, d.sentences)
    return first, chance / max(1, len(t.members))


def _margin(size: int) -> int:
    """Tokens of a document's edge: 15% of it, at least 25 and at most 300."""
    return min(300, max(25, int(0.15 * size)))


def _body_start(d: Masked) -> int:
    """Where the running text begins: the first line longer than a heading (`_HEADER_LINE`
    tokens), after the datelines, markings and addresses above it; 0 when every line is short."""
    n = len(d.keys)
    heads = [x for x in range(n) if x == 0 or d.breaks[x] == 2]
    for a, b in itertools.pairwise([*heads, n]):
        if b - a > _HEADER_LINE:
            return a
    return 0


def _body_end(d: Masked) -> int:
    """Where a document's text ends and its notes begin: the last line that opens with the
    note number 1 and a word ("1 Not printed.", "1 R.G. Menzies."; a paragraph's "1." is no
    note), in the second half of the document; the document's size when there is none."""
    size = len(d.keys)
    for x in range(size - 2, size // 2, -1):
        note = d.breaks[x] == 2 and d.kinds[x] == "number" and _token_text(d, x) == "1"
        if note and d.kinds[x + 1] in ("", "name") and not d.breaks[x + 1]:
            return x
    return size


def _senders_unnamed(corpus: CorpusArrays) -> CorpusArrays:
    """`corpus` with no sender named: where the documents name fewer senders than a formula
    needs (`GENRE_SENDERS`: one country's speeches, one embassy's cables), every wording would fail
    that test; the formulae are then read as if no sender were named (the report says so)."""
    keys = set(SENDER_KEYS) | {"title"}
    metas: list[Mapping[str, str]] = [
        {k: v for k, v in m.items() if k not in keys} for m in corpus.metas
    ]
    return dataclasses.replace(corpus, metas=metas)


# --- the miner -----------------------------------------------------------------------------------


def _masked_corpus(
    corpus: CorpusArrays, progress: Progress | None
) -> tuple[list[Masked], _CaseStats]:
    n = len(corpus)
    stats = _CaseStats()
    texts: list[str] = []
    step = 500
    for start in range(0, n, step):
        for doc in corpus.fetch(list(range(start, min(n, start + step)))):
            texts.append(doc.text)
            stats.add(doc.text)
        if progress:
            progress("read", min(n, start + step), n)
    stats.finish()
    out = []
    for i, text in enumerate(texts):
        out.append(mask(text, stats))
        if progress and (i % 200 == 0 or i == n - 1):
            progress("mask", i + 1, n)
    return out, stats


_PLACE_FRAME = 2
"""Tokens beside a name, within its line, that make the frame its place is judged by."""


def _placed_names(docs: Sequence[Masked], stats: _CaseStats, min_df: int) -> None:
    """A name the genre uses everywhere ("Canberra", "London": `_COMMON_NAME`, kept a word) is a
    name again where it stands in a frame with a date whose place other names fill as well: a
    dateline's place varies ("Canberra, {date}", "London, {date}", "Brussels, {date}" are one
    dateline, "{name}, {date}"), so one common name there is one filler among others. A frame
    that one name fills in 80% of its documents keeps it ("Pyongyang, {date} (KCNA) --" in a
    corpus of one news agency), as does a frame without a date ("of the General Assembly")."""
    frames: dict[tuple[int, tuple[str, ...]], Counter[str]] = {}
    named: Counter[tuple[int, tuple[str, ...]]] = Counter()
    places: list[list[tuple[int, list[tuple[int, tuple[str, ...]]]]]] = []
    for d in docs:
        seen: set[tuple[tuple[int, tuple[str, ...]], str]] = set()
        names: set[tuple[int, tuple[str, ...]]] = set()
        found = []
        for i, kind in enumerate(d.kinds):
            common = kind == "" and stats.common_name(_token_text(d, i))
            if not (common or kind == "name"):
                continue
            around = _date_frames(d, i)
            seen.update((f, _key(_token_text(d, i))) for f in around)
            if common and around:
                found.append((i, around))
            elif not common:
                names.update(around)
        for f, filler in seen:
            frames.setdefault(f, Counter())[filler] += 1
        named.update(names)
        places.append(found)
    varied = {
        f
        for f, fillers in frames.items()
        if named[f] >= min_df and fillers.most_common(1)[0][1] < _FIXED_NAME * fillers.total()
    }
    for d, found in zip(docs, places, strict=True):
        for i, around in found:
            if any(f in varied for f in around):
                d.kinds[i] = "name"
                d.keys[i] = _CLASS_KEY["name"]


def _date_frames(d: Masked, i: int) -> list[tuple[int, tuple[str, ...]]]:
    """The keys of the `_PLACE_FRAME` tokens before (-1) and after (+1) token `i` on its line,
    where they hold a date and no other name."""
    out = []
    n = len(d.keys)
    before = range(i - _PLACE_FRAME, i)
    after = range(i + 1, i + 1 + _PLACE_FRAME)
    for side, span in ((-1, before), (1, after)):
        if span.start < 0 or span.stop > n:
            continue
        if any(d.breaks[x] == 2 for x in range(span.start + (side < 0), span.stop + (side < 0))):
            continue  # (a line break inside the frame, or between it and the token)
        keys = tuple(d.keys[x] for x in span)
        if _CLASS_KEY["date"] in keys and _CLASS_KEY["name"] not in keys:
            out.append((side, keys))
    return out


_FIXED_NAME = 0.8
"""A name is a word where its frame holds this name in this share of the documents using it."""
_MOST_DOCS = 0.5
"""... or, for a function word's frame on one side, in more than this share (`_fixed_names`)."""


def _fixed_names(docs: Sequence[Masked], min_df: int) -> None:
    """A name that its frame always holds is a word of the frame, not a slot: "God" in "May God
    bless {…}" is one formula's word, not a name between two fragments.

    A name's frame is the literal word on either side of a one-word name within its sentence.
    Where the frame on each side recurs in `min_df` documents and holds the same name there in
    80% of them, the name is read as a word at that place. A function word on one side need
    only hold it in most of them (more than half), if the other side holds it in 80%: "bless"
    follows "God" in every document, and "May {name}" holds "God" in most, though a country may
    follow "may" too ("may Switzerland", "may Bangladesh"), as any name may follow a function
    word. A content word that holds one name in most documents but not in 80% is a topic's ("a
    viable Palestinian state", "the continued Israeli occupation"), and the name stays a slot.
    One side is not enough: "the Korean peninsula" and "the Middle East" hold their names after
    "the", where any name stands, so a topic's proper noun stays a slot; the fillers of
    "received a message from {name} on" vary. But a function word and the word after it
    (`_phrase_after`: "of State", "for Foreign") are a frame of their own: where they hold the
    same name in 80% of the documents, it is a word wherever they follow it, whatever stands
    before it ("Excellencies, Heads of State and Government," opens a line; "Minister for
    Foreign Affairs"): a title's word, which the corpus capitalises, not a name. A name masked
    in some places and a word in others made a fragment of the formula ("of State and
    Government,", without "Heads").
    """
    frames: dict[tuple[int, str], Counter[str]] = {}
    for d in docs:
        seen = {
            (side, key, _key(_token_text(d, i)))
            for i, kind in enumerate(d.kinds)
            if kind == "name"
            for side, key in (*_frame_words(d, i), *_phrase_after(d, i))
        }
        for side, key, filler in seen:
            frames.setdefault((side, key), Counter())[filler] += 1
    fixed: set[tuple[int, str, str]] = set()
    most: set[tuple[int, str, str]] = set()
    for (side, key), fillers in frames.items():
        total = sum(fillers.values())
        filler, count = fillers.most_common(1)[0]
        if total >= min_df and count >= _FIXED_NAME * total:
            fixed.add((side, key, filler))
        if total >= min_df and count > _MOST_DOCS * total:
            most.add((side, key, filler))
    if not fixed:
        return
    for d in docs:
        for i, kind in enumerate(d.kinds):
            if kind != "name" or " " in _token_text(d, i):
                continue  # one-word names only ("God", not "United States of America")
            name = _key(_token_text(d, i))
            frame = _frame_words(d, i)
            if (
                len(frame) == 2
                and all(
                    (side, key, name) in fixed
                    or ((side, key, name) in most and _is_function_word(key))
                    for side, key in frame
                )
                and any((side, key, name) in fixed for side, key in frame)
            ) or any((side, key, name) in fixed for side, key in _phrase_after(d, i)):
                d.kinds[i] = ""
                d.keys[i] = name


def _phrase_after(d: Masked, i: int) -> list[tuple[int, str]]:
    """The function word and the content word right after token `i` within its sentence, as
    one frame (side 2): "of state" after "Heads". A function word alone frames any name ("of"
    follows "Republic", "Government", "Heads"); with the word after it, it frames one."""
    j = i + 1
    if j + 1 >= len(d.keys) or d.breaks[j] or d.breaks[j + 1]:
        return []
    if d.kinds[j] or d.kinds[j + 1] or not _is_function_word(d.keys[j]):
        return []
    if _is_function_word(d.keys[j + 1]):
        return []
    return [(2, f"{d.keys[j]} {d.keys[j + 1]}")]


def _frame_words(d: Masked, i: int) -> list[tuple[int, str]]:
    """The literal words right before (-1) and after (+1) token `i`, within its sentence. A title
    is no frame: it belongs to the name it introduces ("His Excellency Mr. {name}")."""
    out = []
    if i > 0 and d.kinds[i - 1] == "" and not d.breaks[i] and d.keys[i - 1] not in _TITLES:
        out.append((-1, d.keys[i - 1]))
    j = i + 1
    if j < len(d.keys) and d.kinds[j] == "" and not d.breaks[j] and d.keys[j] not in _TITLES:
        out.append((1, d.keys[j]))
    return out


def mine(
    corpus: CorpusArrays,
    *,
    k: int = 4,
    min_docs: int | None = None,
    limit: int = 40,
    progress: Progress | None = None,
    lexicon: Lexicon | None = None,
) -> tuple[Formula, ...]:
    """The corpus's formulae, most widely spread (across documents and senders) first; the
    formulae `lexicon` knows (default: the built-in one) are listed on their spread alone.

    The documents are read in the order of their ids, whatever order the corpus holds them in:
    the same documents give the same formulae from a folder, an index filled over time or a
    list in memory (ties between equally good readings are broken by that order).
    """
    return _mined(
        corpus, k=k, min_docs=min_docs, limit=limit, progress=progress, lexicon=lexicon
    ).formulae


def _mined(
    corpus: CorpusArrays,
    *,
    k: int,
    min_docs: int | None,
    limit: int,
    progress: Progress | None,
    lexicon: Lexicon | None = None,
) -> _Mined:
    """`mine`, and the templates it left out."""
    n = len(corpus)
    if n < 2:
        return _Mined((), [], [])
    corpus = _in_id_order(corpus)
    if few_senders(corpus.metas):
        corpus = _senders_unnamed(corpus)
    min_df = min_docs if min_docs is not None else max(3, math.ceil(0.005 * n))
    docs, stats = _masked_corpus(corpus, progress)
    _placed_names(docs, stats, min_df)
    _fixed_names(docs, min_df)
    ids, vocab = _key_ids(docs)
    groups, regroup = _candidate_groups(docs, ids, k, min_df)
    if progress:
        progress("templates", 0, 1)
    member_sets, left = _induce_groups(groups, docs, ids, min_df)
    member_sets += _induce_groups(regroup(left), docs, ids, min_df)[0]
    member_sets = _join_variants(_merge_fragments(member_sets, docs), ids, vocab)
    member_sets += _reader_openers(docs, member_sets, min_df)
    member_sets += _typed_datelines(docs, member_sets, min_df)
    member_sets += _fronted_phrases(docs, member_sets, min_df)
    lang = _language(docs)
    units = _own_units(docs, min_df, lang, stats)
    lexicon = Lexicon.builtin() if lexicon is None else lexicon
    # Where the corpus shows no genre, a template in the fewest documents the default counts
    # is as likely a passage three texts copied (`_where_no_genre_shows`).
    fewest = _NO_GENRE_DOCS if min_docs is None else 0
    judged, unplaced = _judged(member_sets, units, docs, ids, corpus, min_df, lang, lexicon, fewest)
    found = _without_lead_ins(judged)
    found, families = _not_one_family(found, docs, ids, vocab)
    found.sort(key=lambda x: (-x[0], x[1].template))
    combined = frozenset(tuple(d.keys[a:b]) for d in docs for a, b in d.marking_lines)
    ranked, instances = [f for _, f, _ in found], [r for _, _, r in found]
    out = _families(ranked, combined, instances, stats.titled, lambda d: _spread_of(d, corpus))
    if progress:
        progress("templates", 1, 1)
    families.sort(key=lambda x: (-x[0], x[1].template))
    unplaced.sort(key=lambda x: (-x[0], x[1].template))
    return _Mined(
        tuple(out[:limit]),
        [f.template for _, f, _ in families],
        [f.template for _, f, _ in unplaced],
    )


class _Mined(NamedTuple):
    """What `_mined` found, and the templates it left out, best ranked first."""

    formulae: tuple[Formula, ...]
    families: list[str]
    """Left out as one family's wording (`_not_one_family`)."""
    unplaced: list[str]
    """Left out, in a corpus that shows no genre, as a line of the text's own or as wording in
    too few documents (`_where_no_genre_shows`)."""


def _reader_openers(
    docs: Sequence[Masked], member_sets: Sequence[Sequence[Region]], min_df: int
) -> list[list[Region]]:
    """The sentences that turn to the reader (`_READER`: "Please pass {…}", "Your letter {…}"),
    grouped by their first two words, each group in `min_df` documents, that the regions did
    not find (half their instances start inside none): a cable's request in a few documents is
    too short, and its next words too varied, to make a region of shared word sequences (DFAT
    volumes 15-28, the tuning sample of round 36: "Please pass {…}" in four documents was not
    mined, though it passes as a request). Each instance is the two words and the next one;
    `_judge` asks of them what it asks of any template (`_to_the_reader`, the edges)."""
    groups: dict[tuple[str, str], list[Region]] = {}
    for n, d in enumerate(docs):
        keys, kinds, breaks = d.keys, d.kinds, d.breaks
        for i in itertools.compress(range(len(keys) - 2), d.opens):
            if keys[i] in _READER and kinds[i] == kinds[i + 1] == "" and not breaks[i + 1]:
                end = i + 2 if breaks[i + 2] else i + 3  # (within the sentence)
                groups.setdefault((keys[i], keys[i + 1]), []).append(Region(n, i, end))
    return _unfound([g for _, g in sorted(groups.items())], member_sets, min_df)


_FRONTED = 4
"""Most words of a phrase fronted before a comma (`_fronted_phrases`)."""


def _fronted_phrases(
    docs: Sequence[Masked], member_sets: Sequence[Sequence[Region]], min_df: int
) -> list[list[Region]]:
    """The phrases of two to four words (`_FRONTED`: no name, no number, a content word, not
    ending on a function word) that open a sentence and end on a comma ("Before concluding,",
    "In closing,"), grouped by their first two words when the second is a content word
    ("Before concluding my remarks," joins "Before concluding,"), else by all their words ("In
    that regard," and "In that context," are two), each group in `min_df` documents, that the
    regions did not find (half their instances start inside none). What follows the comma
    differs from one speech to the next ("Before concluding, I would like to …", "… let me …",
    "… I reiterate …"), so the regions that hold the phrase run on into it and, all unlike,
    make groups too small to be a template (UN speeches of 2012-2024, the tuning sample of
    round 51: "Before concluding," opened a sentence in nine speeches and was not mined).
    `_judge` asks of them what it asks of any template: a connective of the running text ("In
    that regard,") sits at no edge."""
    groups: dict[tuple[str, ...], list[Region]] = {}
    for n, d in enumerate(docs):
        keys, kinds, breaks = d.keys, d.kinds, d.breaks
        size = len(keys)
        for i in itertools.compress(range(size), d.opens):
            j = i + 1
            while j < size and j - i < _FRONTED and kinds[j] == "" and not breaks[j]:
                j += 1
            if j - i < 2 or kinds[i] != "" or j >= size or keys[j] != "," or breaks[j]:
                continue
            if _is_function_word(keys[j - 1]):
                continue  # a clause that an aside cuts: "I am confident that, as …"
            if all(map(_is_function_word, keys[i:j])):
                continue  # "Even so,", "As such,"
            # A phrase is grouped with those opening on its first two words when the second is
            # a content word ("Before concluding," and "Before concluding my remarks,").
            key = keys[i : i + 2] if not _is_function_word(keys[i + 1]) else keys[i:j]
            groups.setdefault(tuple(key), []).append(Region(n, i, j + 1))
    return _unfound([g for _, g in sorted(groups.items())], member_sets, min_df)


def _unfound(
    groups: Sequence[list[Region]], member_sets: Sequence[Sequence[Region]], min_df: int
) -> list[list[Region]]:
    """The `groups`, in their order, in `min_df` documents that the regions did not find: half
    their instances or more start inside no member set's region."""
    # Of the regions' tokens, only the instances' starts are kept (not every token they cover).
    start = {(r.doc, r.start) for g in groups for r in g}
    covered = {
        (r.doc, x)
        for m in member_sets
        for r in m
        for x in range(r.start, r.end)
        if (r.doc, x) in start
    }
    return [
        g
        for g in groups
        if _spread(g) >= min_df and 2 * sum((r.doc, r.start) in covered for r in g) < len(g)
    ]


_TYPED_DATELINE = 12
"""Tokens a document's first line may run to its date and still be its dateline."""


def _typed_datelines(
    docs: Sequence[Masked], member_sets: Sequence[Sequence[Region]], min_df: int
) -> list[list[Region]]:
    """The first lines that name their document's type before its date ("Memorandum CANBERRA,
    26 January 1949", "Minute unnumbered CANBERRA, …", "Letter [1] 17 May 1938,"), grouped by
    the type (the line's first word, capitalised), each group in `min_df` documents, that the
    regions did not find (half their lines start inside none): a corpus's place-and-date
    datelines, in hundreds of documents, make the regions of these lines, whose type word is
    then a filler beside them (DFAT volumes 15-28, the tuning sample of round 37:
    "Memorandum {name}, {date}" opened eight documents and was not mined). Each instance runs
    from the type word to the date; `_judge` asks of them what it asks of any template."""
    groups: dict[str, list[Region]] = {}
    kinds_of: dict[tuple[str, str], list[Region]] = {}
    for n, d in enumerate(docs):
        keys, kinds, breaks = d.keys, d.kinds, d.breaks
        if len(keys) < 2 or kinds[0] != "" or _is_function_word(keys[0]):
            continue
        if not d.text[d.starts[0] : d.starts[0] + 1].isupper():
            continue
        for j in range(1, min(len(keys), _TYPED_DATELINE + 1)):
            if breaks[j] == 2:
                break
            if kinds[j] == "date":
                # A word and a comma before the date is a place ("Jakarta, 7 March 1975")
                # unless a place follows the comma ("Minute, [Canberra], …").
                if keys[1] != "," or any(k in ("", "name") for k in kinds[2:j]):
                    groups.setdefault(keys[0], []).append(Region(n, 0, j + 1))
                    if _a_qualifier(d, 1) and j > 2:
                        kinds_of.setdefault((keys[0], keys[1]), []).append(Region(n, 0, j + 1))
                break
    out = _unfound([g for _, g in sorted(groups.items())], member_sets, min_df)
    # A type said with a word of its own ("Cablegram unnumbered"), in fewer documents than the
    # type: its own wording of the dateline, which the type's template shows as a filler.
    whole = {key: _spread(g) for key, g in groups.items()}
    out += [g for (key, _), g in sorted(kinds_of.items()) if min_df <= _spread(g) < whole[key]]
    return out


def _a_qualifier(d: Masked, i: int) -> bool:
    """Token `i` is a word in lower case, no function word: a dateline's qualifier of its
    document type ("unnumbered", "extract"), not a place or a number."""
    word = d.text[d.starts[i] : d.ends[i]]
    return d.kinds[i] == "" and word.islower() and not _is_function_word(d.keys[i])


def _in_id_order(corpus: CorpusArrays) -> CorpusArrays:
    """`corpus` with its documents in the order of their ids (itself when they already are)."""
    order = sorted(range(len(corpus)), key=corpus.ids.__getitem__)
    if all(i == p for i, p in enumerate(order)):
        return corpus
    fetch = corpus.fetch

    def fetch_sorted(positions: Sequence[int]) -> list[Document]:
        return fetch([order[p] for p in positions])

    return dataclasses.replace(
        corpus,
        ids=[corpus.ids[p] for p in order],
        metas=[corpus.metas[p] for p in order],
        tokens=[corpus.tokens[p] for p in order] if corpus.tokens else [],
        fetch=fetch_sorted,
        derived=None,
    )


_Judged = tuple[float, Formula, list[Region]]
"""A formula with its rank and its instances."""


def _judged(
    member_sets: list[list[Region]],
    units: list[list[Region]],
    docs: Sequence[Masked],
    ids: list[I64],
    corpus: CorpusArrays,
    min_df: int,
    lang: str,
    lexicon: Lexicon,
    fewest: int = 0,
) -> tuple[list[_Judged], list[_Judged]]:
    """The formulae among the templates of regions, then among the whole lines and sentences
    that no template of regions took (`lang`: the corpus's language), and those left out where
    the corpus shows no genre (`fewest`: the documents a formula needs there)."""
    alpha = min(_CHANCE, 1 / max(1, len(member_sets)))
    years = _Years(corpus)
    genre = _Genre(docs, lang)
    lines = _Lines(docs, min_df)
    known = _Known(docs, lexicon)
    found: list[_Judged] = []
    alone: set[int] = set()  # (the formulae, by id, that fill their lines or sentences)
    taken: set[tuple[int, int]] = set()
    families = known.member_sets(min_df)
    lexical = [(i, t) for i, m in enumerate(families) for t in _templates_of(m, docs, ids, min_df)]
    passed: set[int] = set()  # (the lexicon's templates, by index, of which a formula was found)
    ask = functools.partial(
        _judge_or_openers,
        docs=docs,
        ids=ids,
        corpus=corpus,
        min_df=min_df,
        alpha=alpha,
        years=years,
        genre=genre,
        lines=lines,
        known=known,
        openings=_Openings(docs),
    )

    def keep(judged: tuple[float, Formula, list[Region], bool] | None) -> bool:
        if judged is None:
            return False
        score, formula, instances, own = judged
        found.append((score, formula, instances))
        if own:
            alone.add(id(formula))
        taken.update((r.doc, x) for r in instances for x in range(r.start, r.end))
        return True

    # The lexicon's formulae first, each template's instances split into their wordings as a
    # group of regions is ("I congratulate you, Sir, on your election {…}" / "on his election
    # as President of {…}"); a template of which none passed, wording by wording.
    for i, m in lexical:
        if keep(ask(m)):
            passed.add(i)
    for i, m in enumerate(families):
        if i not in passed:
            for wording in _lexicon_wordings(m, docs, min_df):
                for t in _templates_of(wording, docs, ids, min_df):
                    keep(ask(t))
    for m in member_sets:
        keep(ask(m))
    frames = [_frame(f.template) for _, f, _ in found if SLOT in f.template]
    leads = _LeadIns(docs)
    for u in units:  # (of two with the same words, `_families` lists the better one)
        if _mined_already(u, taken, docs) and not (_addresses(u, docs) or _a_marking(u, docs)):
            continue
        unit = _judge_unit(u, docs, corpus, alpha, years, leads, lines, lang)
        if unit is not None and not _variant(unit[1].template, frames):
            found.append((*unit, u))
            alone.add(id(unit[1]))
    # Neither senders nor years named: a sentence's spread over them cannot be asked.
    blind = not years.known and _named_senders(range(len(docs)), corpus) is None
    return _where_no_genre_shows(found, alone, docs, alpha, fewest, blind)


def _where_no_genre_shows(
    found: list[_Judged],
    alone: Collection[int],
    docs: Sequence[Masked],
    alpha: float,
    fewest: int = 0,
    blind: bool = False,
) -> tuple[list[_Judged], list[_Judged]]:
    """The formulae kept, and those left out. Where the corpus shows no apparatus of a genre,
    the formulae that fill their lines or sentences (`alone`, by id) and do not stand where a
    genre's apparatus does (`_placed_as_apparatus`) are left out, save citations and
    insertions (`_cites_or_inserts`). A corpus shows one when the formulae so placed, or that
    state a formula of the lexicon, reach half its documents (`_APPARATUS_REACH`): the
    cables' datelines, markings and file references, a speech's opening address, a letter's "I
    have the honour to {…}" and its closing. There, a short line in the middle of the text is
    told by its spread alone ("Ends.", "The President returned to the Chair."). In a folder of
    novels nothing stands so, and the short paragraphs and sentences that recur in its
    chapters ("Apa itu?", "{name} terdiam.", "hahaha.") are the text's own. Nor, there, is a
    template in fewer than `fewest` documents a formula, unless the lexicon states it
    (`_NO_GENRE_DOCS`). Where the corpus shows a genre but names neither the senders nor the
    years of its documents (`blind`), a short sentence in running text is told by its place
    (`_unplaced_aside`)."""
    placed = [
        f.lexicon is not None or _placed_as_apparatus(members, docs, alpha)
        for _, f, members in found
    ]
    reached = {
        m.doc for (_, _, members), p in zip(found, placed, strict=True) if p for m in members
    }
    if len(reached) >= _APPARATUS_REACH * len(docs):
        if not blind:
            return found, []
        aside = [
            id(x[1]) in alone and _unplaced_aside(x[2], x[1].template, docs, alpha) for x in found
        ]
        return (
            [x for x, a in zip(found, aside, strict=True) if not a],
            [x for x, a in zip(found, aside, strict=True) if a],
        )
    kept: list[_Judged] = []
    left: list[_Judged] = []
    for x, p in zip(found, placed, strict=True):
        ok = p or id(x[1]) not in alone or _cites_or_inserts(x[1].template)
        spread = x[1].lexicon is not None or x[1].doc_freq >= fewest
        (kept if ok and spread else left).append(x)
    return kept, left


def _unplaced_aside(
    members: Sequence[Region], template: str, docs: Sequence[Masked], alpha: float
) -> bool:
    """A whole sentence of one or two words in running text ("Yes.", "Every day."), not a
    line of its own, a heading, a phrase of address nor the close of a paragraph in half its
    uses ("Ends." after a message a cable quotes), that cites or inserts nothing, whose uses do
    not gather at the documents' edges more often than chance: rhetoric the texts share, which
    only its place would tell from a formula where the senders and years are not named (a
    closing "Thank you." ends the speech)."""
    words = _literal_word_list(template)
    if len(words) > _SENTENCE_WORDS or SLOT in template or _cites_or_inserts(template):
        return False  # (a frame that runs on, "Please pass {…}", is a request)
    if _above_text(members, docs) >= 0.6 * len(members):
        return False  # a line of its own, or a heading above the running text ("SECRET")
    if _addresses(members, docs):
        return False
    closing = sum(m.end >= len(docs[m.doc].keys) or docs[m.doc].breaks[m.end] == 2 for m in members)
    if 2 * closing >= len(members):
        return False  # it closes its paragraph
    return _scattered(_unit_template(members), docs, alpha)


_CITES_OR_INSERTS = re.compile(r"\{(?:number|date|symbol)\}|^[(\[].*[)\]][.,;:]?$")


def _cites_or_inserts(template: str) -> bool:
    """A number, a date or a document symbol fills a slot ("Our {number}."), or the template
    stands in brackets ("[sic]", "(resolution 70/1, annex)", "(spoke in {name})"): an
    edition's insertion, a citation or a record's note, the genre's by what it says wherever it
    stands."""
    return _CITES_OR_INSERTS.search(template) is not None


_NO_GENRE_DOCS = 4
"""Documents a formula needs where the corpus shows no genre, unless the user sets
``--min-docs`` (`_where_no_genre_shows`): more than the three the default asks of a
corpus under 600 documents. Three documents are where the one-family test is weakest
(`docdiff.corpus.likeness.FEWEST_BAR`: three answers copying one article score 0.73 to 1.6
against its bar of 1.0), and with no genre shown there is no other evidence to tell a
passage three texts copied from a formula."""

_APPARATUS_REACH = 0.5
"""Share of a corpus's documents that formulae placed as a genre's apparatus must reach for
the corpus to show a genre (`_where_no_genre_shows`)."""


def _placed_as_apparatus(members: Sequence[Region], docs: Sequence[Masked], alpha: float) -> bool:
    """The instances stand where a genre's apparatus does: at the documents' edges (a heading,
    a dateline, a marking, a signature) in half of them, or in the notes, or at the edges far
    more often than chance would put them there though they recur in the middle too (an
    edition's "[matter omitted]", 43% of its uses at an edge in DFAT's later volumes)."""
    edges = 0
    chance = 0.0
    for m in members:
        head, tail, p = _at_an_edge(docs[m.doc], m.start, m.end)
        edges += head or tail
        chance += p
    n = len(members)
    if edges >= 0.5 * n or _noted(members, docs):
        return True
    return _binomial_tail(n, edges, chance / max(1, n)) <= alpha


def _judge_or_openers(
    m: list[Region],
    *,
    docs: Sequence[Masked],
    ids: list[I64],
    corpus: CorpusArrays,
    min_df: int,
    alpha: float,
    years: _Years,
    genre: _Genre,
    lines: _Lines,
    known: _Known,
    openings: _Openings,
) -> tuple[float, Formula, list[Region], bool] | None:
    """`_judge` of a group of regions; where it fails, of the members that open their
    sentences on a word the template lacks. A formula that opens its sentence where it stands,
    and a phrase that runs on mid-sentence elsewhere ("Reference your telegram No. {number}." /
    "as stated in your telegram No. 1148."), failed as one template: the members opening their
    sentences on "Reference" may pass alone. (On a word it holds, they would be an idiom's
    openers: "The United Nations is {…}".) Where the members all open their sentences near the
    top on the same two words, every sentence those words open is asked (`_Openings`)."""

    def judge(group: list[Region]) -> tuple[float, Formula, list[Region], bool] | None:
        return _judge(group, docs, ids, corpus, min_df, alpha, years, genre, lines, known)

    judged = judge(m)
    if judged is not None:
        return judged
    said = _template_words(m, docs, ids)
    tries = [g for key, g in _sentence_openers(m, docs, min_df) if key not in said]
    for openers in tries[:_OPENER_TRIES]:
        judged = judge(_extend(openers, docs, ids))
        if judged is not None:
            return judged
    more = openings.more(m)
    if more is None:
        return None
    opened = _extend(more, docs, ids)
    if not said <= _template_words(opened, docs, ids):
        return None  # (a shorter wording: "I bring {…}" of "I bring {…} greetings from {…}")
    return judge(opened)


class _Openings:
    """The sentences and lines that each pair of literal words opens, over the corpus (indexed
    on first use). A cable's opening "Reference your {…}" stands in ten cables of 800; the
    regions of five of them ran on into other formulae ("Reference your telegram No.
    {number}." joined "Your telegram {number}.", "No. {number}."), and five cables' worth at
    the top of short cables is too few to tell an opening from chance. When a failed group's
    members all open their sentences near the top of their documents on the same two words
    (not both function words), and more documents open sentences on them, nearly all
    (`_GATHERED`) near the top too, those sentences are the group, if the template they make
    keeps the failed one's words (`_judge_or_openers`). Each pair of words is asked once."""

    def __init__(self, docs: Sequence[Masked]) -> None:
        self._docs = docs
        self._at: dict[tuple[str, str], list[Region]] | None = None
        self._asked: set[tuple[str, str]] = set()

    def more(self, members: Sequence[Region]) -> list[Region] | None:
        """Every sentence the members' two opening words open, when they all open theirs on
        them near the top of their documents, the words are not both function words and were
        not asked before, and more documents open sentences on them (up to `_MORE_OPENINGS`
        times as many), nearly all near the top too; else None."""
        pairs = {self._pair(r) for r in members}
        if len(pairs) != 1 or not all(self._at_top(r) for r in members):
            return None
        (pair,) = pairs
        if pair is None or pair in self._asked or all(_is_function_word(w) for w in pair):
            return None
        self._asked.add(pair)
        found = self._sentences(pair)
        spread, had = _spread(found), _spread(members)
        if spread <= had or spread > _MORE_OPENINGS * had:
            return None
        return found if sum(map(self._at_top, found)) >= _GATHERED * len(found) else None

    def _at_top(self, r: Region) -> bool:
        return _at_an_edge(self._docs[r.doc], r.start, r.end)[0]

    def _sentences(self, pair: tuple[str, str]) -> list[Region]:
        if self._at is None:
            self._at = self._index()
        return self._at.get(pair, [])

    def _pair(self, r: Region) -> tuple[str, str] | None:
        d = self._docs[r.doc]
        x = r.start
        if x + 1 >= len(d.keys) or not d.opens[x] or d.kinds[x] or d.kinds[x + 1]:
            return None
        return d.keys[x], d.keys[x + 1]

    def _index(self) -> dict[tuple[str, str], list[Region]]:
        at: dict[tuple[str, str], list[Region]] = {}
        for i, d in enumerate(self._docs):
            keys, kinds = d.keys, d.kinds
            for x in itertools.compress(range(len(keys) - 1), d.opens):
                if not kinds[x] and not kinds[x + 1]:
                    at.setdefault((keys[x], keys[x + 1]), []).append(Region(i, x, x + 2))
        return at


_MORE_OPENINGS = 4
"""How many times the documents of a failed group the sentences its two opening words open
may reach (`_Openings`): a formula's instances that other groups took, not every sentence on
two common words."""


def _lexicon_wordings(
    members: list[Region], docs: Sequence[Masked], min_df: int
) -> list[list[Region]]:
    """The instances of a lexicon template of which no formula was found, grouped by their
    words, each wording in `min_df` documents (most documents first), when they word it in
    more than one way. Where the instances choose among words ("Distinguished delegates," in
    three speeches, "Distinguished colleagues," in two), the template they make keeps the choice
    as a slot ("Distinguished {…},"): too few words to be a formula, and it states no formula
    of the lexicon. A wording is asked on its own."""
    by_words: dict[tuple[str, ...], list[Region]] = {}
    for r in members:
        d = docs[r.doc]
        words = tuple(d.keys[x] for x in range(r.start, r.end) if d.kinds[x] != "p")
        by_words.setdefault(words, []).append(r)
    if len(by_words) < 2:
        return []
    found = [g for g in by_words.values() if _spread(g) >= min_df]
    return sorted(found, key=lambda g: (-_spread(g), g[0].doc, g[0].start))


def _template_words(members: list[Region], docs: Sequence[Masked], ids: list[I64]) -> set[str]:
    """The literal words of the template the members make, as keys."""
    t = _induce(members, ids)
    shown = _surface(t, docs) if t is not None else None
    return set() if shown is None else {_key(w) for w in _WORD_RE.findall(shown.template)}


_OPENER_TRIES = 2
"""How many groups of a failed template's sentence openers are judged again."""


def _sentence_openers(
    members: list[Region], docs: Sequence[Masked], min_df: int
) -> list[tuple[str, list[Region]]]:
    """The members that open a sentence or a line (or follow one literal word that does:
    "Reference your telegram …"), grouped by the word their sentence opens on, largest first:
    each group in `min_df` documents, fewer than all the members."""
    groups: dict[str, list[Region]] = {}
    for r in members:
        d = docs[r.doc]
        if d.opens[r.start]:
            groups.setdefault(d.keys[r.start], []).append(r)
        elif r.start > 0 and d.opens[r.start - 1] and d.kinds[r.start - 1] == "":
            groups.setdefault(d.keys[r.start - 1], []).append(r)
    found = [
        (key, g) for key, g in groups.items() if len(g) < len(members) and _spread(g) >= min_df
    ]
    return sorted(found, key=lambda kg: (-_spread(kg[1]), kg[1][0].doc, kg[1][0].start))


def _addresses(unit: Sequence[Region], docs: Sequence[Masked]) -> bool:
    """The unit is a phrase of address (`_address`), ending on its comma within the address in
    more than half its documents: a template mined from regions may hold it as a slot ("I
    congratulate you, {name}, {…}"), but it is a formula of its own."""
    opening = sum(
        docs[r.doc].keys[r.end - 1] == "," and r.start < _address_end(docs[r.doc]) for r in unit
    )
    return 2 * opening > len(unit)


def _a_marking(unit: list[Region], docs: Sequence[Masked]) -> bool:
    """The unit is a line read as several markings (`Masked.marking_lines`: "MOST SECRET
    IMMEDIATE", "IMMEDIATE MOST SECRET") in most of its documents: it is listed as itself, under
    the first listed marking it holds (`_Wording.rewords`), even where a template mined from
    regions holds one of its words ("IMMEDIATE"); skipped, the line was never listed."""
    lines = sum((r.start, r.end) in docs[r.doc].marking_lines for r in unit)
    return 2 * lines > len(unit)


def _mined_already(unit: list[Region], taken: set[tuple[int, int]], docs: Sequence[Masked]) -> bool:
    """Half the instances of a whole line or sentence overlap the instances (`taken` tokens) of
    formulae mined from regions and hold nothing but marks outside them: it is one of their
    shapes ("See Document {number} and note {number} thereto." of "See Document {number}, note
    {number}."). A line that adds its own words to a mined formula's ("Volume {number},
    Document {number}." beside "Document {number}.", "Circular cablegram {symbol} LONDON,
    {date}." beside "Cablegram {…} {name}, {date}") is a wording of its own, judged as one and
    listed under the formula it holds (`_families`)."""

    def inside(r: Region) -> bool:
        tokens = range(r.start, r.end)
        kinds = docs[r.doc].kinds
        overlaps = any((r.doc, x) in taken for x in tokens)
        return overlaps and all((r.doc, x) in taken for x in tokens if kinds[x] != "p")

    return sum(map(inside, unit)) >= len(unit) / 2


_LEAD_IN = 0.8
"""A lead-in is dropped when this share of its instances lie inside a longer formula's."""


def _without_lead_ins(found: list[_Judged]) -> list[_Judged]:
    """Drop a lead-in: a template of at most two fixed words that runs on into an open slot ("On
    behalf {…}", "I wish {…}") whose instances lie, nearly all, inside instances of formulae
    with more fixed words. It is the opening of those formulae, cut from them when their
    stretches were grouped again, and they are listed."""
    longest: dict[tuple[int, int], int] = {}
    sizes = [len(_fixed_words(f.template).split()) for _, f, _ in found]
    for (_, _, members), size in zip(found, sizes, strict=True):
        for r in members:
            for x in range(r.start, r.end):
                longest[r.doc, x] = max(longest.get((r.doc, x), 0), size)
    out = []
    for entry, size in zip(found, sizes, strict=True):
        _, f, members = entry
        if size <= 2 and f.template.endswith(SLOT):
            inside = sum(
                any(longest[r.doc, x] > size for x in range(r.start, r.end)) for r in members
            )
            if inside >= _LEAD_IN * len(members):
                continue
        out.append(entry)
    return out


def _not_one_family(
    found: list[_Judged], docs: Sequence[Masked], ids: list[I64], vocab: Mapping[str, int]
) -> tuple[list[_Judged], list[_Judged]]:
    """Drop a template whose documents are one family of texts (`docdiff.corpus.likeness`):
    copies of one source or texts on one topic, as alike to one another as to their nearest
    neighbours once every formula's words are left out ("relates the conditional and marginal
    probabilities of two random events." in the answers copied from one article). Its wording
    is theirs, not the genre's. The edition's apparatus is kept: an archive's citations
    ("PRO : DO {number}/{number}") stand in the documents that archive holds, alike by nature."""
    if len(docs) < MIN_DOCS or not found:
        return found, []
    # Each key once: whether it is a content word that can tell what a document is about.
    topical = np.zeros(max(vocab.values()) + 1, dtype=np.bool_)
    for key, i in vocab.items():
        topical[i] = _topical(key)
    # Each document's content words (its end marker left out) outside every formula's
    # instances: a formula's words make no two documents alike.
    outside = [topical[k[: len(d.keys)]] for d, k in zip(docs, ids, strict=True)]
    for _, _, members in found:
        for r in members:
            outside[r.doc][r.start : r.end] = False
    likeness = Likeness([k[: len(d.keys)][o] for d, k, o in zip(docs, ids, outside, strict=True)])
    kept: list[_Judged] = []
    left: list[_Judged] = []
    for entry in found:
        one = not entry[1].apparatus and likeness.one_family(r.doc for r in entry[2])
        (left if one else kept).append(entry)
    return kept, left


def _topical(key: str) -> bool:
    """Whether a key tells what its document is about: a literal content word of three letters
    or more (a slot class's key and punctuation are no words)."""
    return len(key) > 2 and key.isalpha() and not _is_function_word(key)


_VARIANT = 0.8
"""A template is another wording of a better-ranked formula when this share of its fixed words
are that formula's, in order, with two of its content words."""
_POSSESSIVES = frozenset("my our your his her its their".split())
_FRAME_VERBS = {
    **dict.fromkeys("am is are was were be been being".split(), "be"),
    **dict.fromkeys("have has had having".split(), "have"),
}
"""The verbs that make a wording's frame: stating (*be*) or possessing, performing (*have*)."""
_ONE_OF = 4
"""Content words of a formula beyond which one of them, said alone, is no wording of it."""
_VARIANT_MEMBERS = 3
"""Instances kept for each other wording (the formula's own are the examples shown)."""


def _framed(words: Sequence[str]) -> tuple[str, ...]:
    """`words` with each form of *be* and *have* as one word (`_FRAME_VERBS`): "Following are
    {…}" and "Following is {…}" open alike."""
    return tuple(_FRAME_VERBS.get(w, w) for w in words)


def _common(a: Sequence[str], b: Sequence[str]) -> int:
    """Words of `a` and `b` in common, in order (their longest common subsequence)."""
    from rapidfuzz.distance import LCSseq

    return int(LCSseq.similarity(a, b))


def _grouping_content(word: str) -> bool:
    """A content word when wordings are grouped (`_Wording`): a letter is none ("E (80) 116."
    is no wording of "* 3 i.e.")."""
    return len(word) > 1 and not _is_function_word(word)


_SETTING = re.compile(r"([^\W\d_][\w-]*(?:=|: ))[\w.+/-]+")
"""A key set to one value, glued by "=" or after a colon ("urgency=medium", "Dynamic:
description"): a setting, whose values are the wordings of one formula."""


def _setting(template: str) -> str:
    """The key and its mark of a template that is one setting (`_SETTING`), else ""."""
    found = _SETTING.fullmatch(template.strip())
    return found.group(1) if found else ""


@dataclass(frozen=True, slots=True)
class _Wording:
    """What `_families` compares of a template: its fixed words, the same with every possessive
    determiner as one word, the stems of its content words in order, its classes of slot."""

    words: tuple[str, ...]
    owned: tuple[str, ...]
    stems: tuple[str, ...]
    classes: frozenset[str]
    open: bool
    """Whether it has a slot of any words (a lead-in into what each document says)."""
    verbs: frozenset[str]
    """Its frame: the forms of *be* and *have* it holds, as "be" and "have" ("It is an honour
    to {…}" states, "I have the honour to {…}" performs; "Following is {…}" is a clause,
    "Following for the {…}" a routing without a verb)."""
    marking: bool = False
    """A line of capitals, no slot ("SECRET", "MOST IMMEDIATE"), or a marking the corpus writes
    in title case ("Secret"), or a line it reads as several markings ("Secret Immediate")."""
    markings: bool = False
    """A line the corpus reads as several markings (`Masked.marking_lines`: "IMMEDIATE
    SECRET")."""
    pattern: tuple[str, ...] = ()
    """Its words (a possessive as one word) and slots (``{}``) in order."""
    dateline: bool = False
    """It ends on a place (a name, or a place in capitals: "Minute CANBERRA, {date}") and a date
    ("Memorandum {name}, {date}") or on a date and a comma ("Letter {date},") after words that
    are no function words: a dateline, which names a document type, where a sentence says more
    ("Thank you for your letter of {date},")."""
    archive: str = ""
    """The archive it cites when it opens on one's code and a colon ("AA : {symbol}, {…}",
    "[PRO: FO {number}/{number}]": "AA", "PRO"), else empty."""
    place_date: bool = False
    """A place and a date alone, no document type ("{name}, {date}", "{name}, {name}, {date}",
    "[{name}], {date}", "CANBERRA, {date}."): the dateline of a letter or a cable's heading."""
    salutation: bool = False
    """A letter's salutation: "Dear" or "My dear", whom it addresses, and a comma ("My dear
    {name},", "Dear Mr. Bruce,", "Dear Sir,")."""
    opener: bool = False
    """A closed phrase ending on a comma, no address ("Mr. President,") or salutation: a
    sentence's opening ("At the outset,", "In conclusion,")."""
    setting: str = ""
    """A setting's key and its mark, where the template is one key set to one value, no slot
    ("urgency=" of "urgency=medium", "Dynamic:" of "Dynamic: description"), else empty."""

    @staticmethod
    def of(
        template: str,
        combined: frozenset[tuple[str, ...]] = frozenset(),
        titled: frozenset[tuple[str, ...]] = frozenset(),
    ) -> _Wording:
        """The wording of `template`; `combined` holds the lines of several markings (keys),
        whatever their case, `titled` the markings written in title case (`_CaseStats.titled`:
        "Secret" is the marking "SECRET", and a line "SECRET IMMEDIATE" of other documents is
        listed under it as under "SECRET")."""
        from docdiff.text.lemmas import stemmer_for

        words = tuple(_fixed_words(_addresses_glued(template)).split())
        marking = (
            _marking_words(template) is not None
            or _titled_words(template) in titled
            or (bool(words) and words in combined)
        )
        content = [w for w in words if _grouping_content(w)]
        stem = stemmer_for("en")
        salutation = _SALUTATION.fullmatch(template.strip()) is not None
        return _Wording(
            words,
            tuple("<poss>" if w in _POSSESSIVES else w for w in words),
            tuple(stem(content) if stem else content),
            frozenset(re.findall(r"\{(?:date|number|symbol|email|name)\}", template)),
            "{…}" in template,
            frozenset(_FRAME_VERBS[w] for w in words if w in _FRAME_VERBS),
            marking,
            marking and words in combined,
            tuple(
                "{}" if w.startswith("{") else "<poss>" if w in _POSSESSIVES else w
                for w in re.findall(r"\{[^{}]*\}|\w+", template.lower())
            ),
            _dateline(template, words),
            next(iter(_ARCHIVE_CODE.findall(template)), ""),
            _PLACE_DATE.fullmatch(template.strip()) is not None,
            salutation,
            "{" not in template
            and template.rstrip().endswith(",")
            and not salutation
            and _addressee(template) is None,
            _setting(template),
        )

    def frames(self, head: _Wording) -> bool:
        """This wording holds all of `head`'s words in order and adds one content word at most
        ("AA: {…} {symbol}, ITEM {number}" of "AA : {symbol}, {…}"; not "I congratulate you, Mr.
        President, on your election" of "Mr. President,")."""
        if not head.words or _common(head.words, self.words) < len(head.words):
            return False
        return self.content_added(head) <= 1

    def content_added(self, head: _Wording) -> int:
        """How many content words this wording has beyond `head`'s."""
        extra = Counter(w for w in self.words if _grouping_content(w))
        extra.subtract(w for w in head.words if _grouping_content(w))
        return sum(n for n in extra.values() if n > 0)

    def said_more_in(self, other: _Wording) -> bool:
        """`other` holds these fixed words in order and adds only function words to them."""
        if not self.said_within(other):
            return False
        extra = Counter(other.words)
        extra.subtract(self.words)
        return all(_is_function_word(w) for w, n in extra.items() if n > 0)

    def said_within(self, other: _Wording) -> bool:
        """`other` holds these fixed words in order and more ("on behalf of the Government
        {…}" holds "On behalf {…}")."""
        rest = iter(other.words)
        return len(other.words) > len(self.words) and all(w in rest for w in self.words)

    def _holds_or_leads_like(self, head: _Wording) -> bool:
        """Of one content word, no slot class and another opening: this one holds `head`'s
        words in order ("MOST SECRET" of "SECRET", "I thank you all {…}" of "Thank you."), or
        both lead into what each document says ("I am honoured to {…}" of "It is an honour for
        me to {…}"); a lead-in is not a closed phrase that shares its word ("I also thank {…}",
        a tribute, is not the closing "Thank you.")."""
        holds = _common(head.owned, self.owned) == len(head.owned)
        return holds or (self.open and head.open and self.verbs == head.verbs)

    def _said_as_in(self, head: _Wording) -> bool:
        """A phrase said whole (no slot: the vocative "Mr. Secretary General,") is a wording of a
        template with slots only if that one says its words in the same order; else it names
        the same person in another frame ("I also {…} to {…} Secretary-General, Mr. {name}",
        a tribute)."""
        whole = not (self.open or self.classes)
        return (
            not whole
            or not (head.open or head.classes)
            or (_common(self.owned, head.owned) == len(self.owned))
        )

    def _one_word_of_many(self, content: set[str], head: _Wording) -> bool:
        """This wording's one content word is one of more than `_ONE_OF` of `head`'s: it sits
        in a long sentence by chance ("License: {symbol}" and "Version {date}", a copyright
        file's fields, in "… the GNU General Public License as published by the Free Software
        Foundation; either version {number} …"), not as a part of it ("Attachment" in "AA:
        {symbol}, WAR {number}, ATTACHMENT {…}"); nor one of a sentence's three or more, said
        with a verb ("#### `workspaces`", a heading, and "Note: This command is unaware of
        workspaces.", in other documents: npm's manual pages)."""
        if len(content) != 1:
            return False
        many = sum(1 for w in set(head.words) if _grouping_content(w))
        return many > _ONE_OF or (many > 2 and bool(head.verbs))

    def rewords(self, head: _Wording) -> bool:
        """This (worse-ranked) template is another wording of `head`'s formula: its fixed words
        sit together inside `head`'s ("Attachment" in "AA:{symbol}, WAR {number}, ATTACHMENT
        {…}"); or 80% of them are `head`'s in order, two content words among them ("I wish him
        every success {…}" of "I wish you every success {…}"), or 80% of `head`'s are this one's,
        in order, and make half of it ("identifying the informant has been exempted under {name}
        ({number}) of the Freedom of Information Act {number}." of "Material identifying the
        informant has been exempted under {name} ({number})"; not "I would like to congratulate
        the President of the General Assembly, {…}" of "the {number} session of the General
        Assembly"); or their content words have the
        same stems in the same order, only function words differ, and when there is one stem
        the two open alike or this one has `head`'s classes of slot ("In conclusion, I {…}" of
        "In conclusion"; not the note "This cablegram was {…}" of the dateline "Cablegram {…}
        {name}, {date}"), or, neither having one, `_holds_or_leads_like`; or two words or more,
        one a content word, all sit in order in `head`'s, a possessive standing for any other, and
        both have the same first content word ("His election {…}" of "your election as
        President of the {number} session of the General Assembly"; not the vocative "Mr.
        President" of "Mr. {name} ({name}), Vice-President, took the Chair."). The lead-ins of
        different formulae keep different content words ("I would like to {…}" beside "I am
        confident that {…}"). Of one stem, a wording that does not hold the other's words needs
        the same frame (`verbs`: "It is an honour to {…}" is not "I have the honour to {…}",
        "Following is {…}" not "Following for the {…}"); of more, a phrase said whole needs them
        in the other's order (`_said_as_in`). A line read as several markings is a line of the
        first listed one it holds ("IMMEDIATE SECRET" of "SECRET"; "TOP SECRET" is one marking
        and its own formula). A dateline with words is a wording of the best-ranked one,
        whatever the document type it names ("Letter {name}, {date}" of "Cablegram {…} {name},
        {date}"): the genre's dateline is one formula, and a type each taking a rank crowded out
        formulae of a few documents (DFAT volumes 1-14 sampled: four ranks of the top 60).
        Requests to the reader that ask different things are one formula (`_asks_alike`:
        "Please telegraph {…}" of "Please advise {…}"). A place and a date alone, in any shape,
        are a wording of another such (`place_date`: "{name}, {name}, {date}" of "{name},
        {date}"), never of a line naming the place among other words, and a lead-in said at
        more length one of the shorter lead-in (`_leads_on`)."""
        decided = self._of_its_kind(head)
        if decided is not None:
            return decided
        if not self.words:
            return False  # "{name}, {date}" is no wording of a formula with words
        if self.dateline and head.dateline and head.words:
            return True  # "Letter {name}, {date}" of "Cablegram {…} {name}, {date}"
        if self.archive and self.archive == head.archive:
            return True  # "AA:{symbol}, vol. {number}" of "AA : {symbol}, {…}"
        if self._one_word_changed(head) or self._inflected(head) or self._reordered(head):
            return True  # "Not found." of "Not printed."; "(extracts)" of "(extract)"
        if self._asks_alike(head):
            return True  # "Please see {…}" of "Please advise {…}"
        if self.setting and self.setting == head.setting:
            return True  # "urgency=high" of "urgency=medium"
        if self.markings and head.marking and _common(head.words, self.words) == len(head.words):
            return True  # "IMMEDIATE SECRET" of "SECRET"
        if self._leads_on(head) or self._said_on(head):
            return True  # "Following is text of {…}" of "Following is {…}"
        if self._led_into(head):
            return True  # "Reference your telegram No. {number}." of "Your telegram {number}."
        content = {w for w in self.words if _grouping_content(w)}
        opens_alike = head.words[: len(self.words)] == self.words  # "Your {number}."
        if (
            (content or opens_alike)
            and f" {' '.join(self.words)} " in f" {' '.join(head.words)} "
            and not self._one_word_of_many(content, head)
        ):
            return True  # (function words alone sit anywhere: "{number} and {number}.")
        common = _common(self.words, head.words)
        if len(content & set(head.words)) >= 2 and (
            common >= _VARIANT * len(self.words)
            or (common >= _VARIANT * len(head.words) and 2 * common >= len(self.words))
        ):
            return True  # (or this one holds most of `head` and says little more)
        if (
            self.stems
            and self.stems == head.stems
            and (
                (len(self.stems) >= 2 and self._said_as_in(head))
                or (head.classes and head.classes <= self.classes)
                or (self.owned[:1] == head.owned[:1] and self.verbs == head.verbs)
                or (not head.classes and self._holds_or_leads_like(head))
            )
        ):
            return True
        if (
            self.stems[:1] == head.stems[:1] != ()
            and len(self.owned) >= 2
            and _common(self.owned, head.owned) == len(self.owned)
        ):
            return True
        shorter, longer = sorted((self.pattern, head.pattern), key=lambda p: (len(p), p))
        return _fits(shorter, longer) or self._same_stems(head)

    def _of_its_kind(self, head: _Wording) -> bool | None:
        """A place and date (`_place_date_of`) and a salutation's wordings are told by their
        kind alone: a salutation's are salutations ("Dear Mr. Bruce," of "My dear {name},"),
        and the editors' note "{name}, Prime Minister {number}-{number}.", whose words "My
        dear Prime Minister," holds, names a person and addresses no one (DFAT volume 18).
        None when neither decides."""
        placed = self._place_date_of(head)
        if placed is not None:
            return placed
        return self.salutation if head.salutation else None

    def _place_date_of(self, head: _Wording) -> bool | None:
        """Whether this place and date is a wording of `head`: so it is of another place and
        date ("{name}, {name}, {date}" and "CANBERRA, {date}." of "{name}, {date}"), not of a
        line that names its place among other words ("Wellington, {date}" of "[ABHS {…}, Head
        Office, Wellington]"); None when this is no place and date or `head` a dateline or its
        place alone (the other rules tell)."""
        if not self.place_date:
            return None
        if head.place_date:
            return True
        return None if head.dateline or set(head.words) <= set(self.words) else False

    def _leads_on(self, head: _Wording) -> bool:
        """Both lead into what each document says, and this one opens on all of `head`'s words,
        two or more with a content word among them, then says more before its slot: the same
        lead-in said at more length ("Following is text of {…}" of "Following is {…}", "I have
        the honour to inform you that {…}" of "I have the honour to {…}"). (A lead-in cut short
        is a wording of the fuller one already: its words sit inside the other's.)"""
        n = len(head.words)
        return (
            self.open
            and head.open
            and n >= 2
            and len(self.words) > n
            and _framed(self.words[:n]) == _framed(head.words)
            and any(map(_grouping_content, head.words))
        )

    def _said_on(self, head: _Wording) -> bool:
        """`head` opens a sentence ("At the outset,") and this one opens on all its words, then
        leads into what each document says with one content word more at most: the opening
        said on into its sentence ("At the outset, I would like to {…}"; not "At the outset, I
        congratulate you on your election {…}", a congratulation)."""
        n = len(head.words)
        return (
            head.opener
            and self.open
            and n >= 2
            and any(map(_grouping_content, head.words))
            and self.words[:n] == head.words
            and len(self.words) > n
            and self.content_added(head) <= 1
        )

    def _led_into(self, head: _Wording) -> bool:
        """One content word, then all of `head`'s words in order with nothing but function
        words added, the same classes of slot: `head` said after a word that leads into it
        ("Reference your telegram No. {number}." of "Your telegram {number}.")."""
        n = len(head.words)
        return (
            n >= 2
            and any(map(_grouping_content, head.words))
            and len(self.words) > n
            and _grouping_content(self.words[0])
            and self.classes == head.classes
            and self.open == head.open
            and _common(self.words[1:], head.words) == n
            and self.content_added(head) == 1
        )

    def _closed_with(self, head: _Wording) -> bool:
        """Neither this wording nor `head` has a slot: both are said whole."""
        return not (self.open or head.open or self.classes or head.classes)

    def _one_word_changed(self, head: _Wording) -> bool:
        """Both are closed notes (no slot) of the same words but one, a content word in each,
        with a function word among the rest: the edition's note on a document with its status
        word changed ("Not found.", "Not located.", "Not published." of "Not printed."). A line
        of markings holds no function word and keeps its own rules ("MOST SECRET" is not "TOP
        SECRET")."""
        if not self._closed_with(head):
            return False
        if len(self.words) != len(head.words) or len(self.words) < 2:
            return False
        changed = [(a, b) for a, b in zip(self.words, head.words, strict=True) if a != b]
        if len(changed) != 1 or not all(map(_grouping_content, changed[0])):
            return False
        return any(_is_function_word(w) for w in self.words if w not in changed[0])

    def _inflected(self, head: _Wording) -> bool:
        """Both are closed (no slot) and say the same words but for a content word's ending:
        one formula, its word in the singular or the plural ("(extracts)" of "(extract)",
        "Attachments" of "Attachment"; DFAT volume 7 listed the two notes as two formulae)."""
        if not self._closed_with(head) or not self.stems:
            return False
        if len(self.words) != len(head.words) or self.stems != head.stems:
            return False
        changed = [(a, b) for a, b in zip(self.words, head.words, strict=True) if a != b]
        return bool(changed) and all(
            _grouping_content(a) and _grouping_content(b) for a, b in changed
        )

    def _reordered(self, head: _Wording) -> bool:
        """Both are closed (no slot) and say the same words, two or more, in another order:
        one line of markings and routing ("MOST SECRET FOR PRIME MINISTER" of "FOR PRIME
        MINISTER MOST SECRET", DFAT volume 2)."""
        if not self._closed_with(head) or len(self.words) < 2:
            return False
        return self.words != head.words and sorted(self.words) == sorted(head.words)

    def _asks_alike(self, head: _Wording) -> bool:
        """Both are requests or replies that turn to the reader (`_READER` opens them) and lead
        into what each document says, of the same words but the one content word that says what
        is asked or answered: one formula, a cable's request ("Please see {…}", "Please inform
        {…}", "Please telegraph {…}" of "Please advise {…}"; "Your cablegram {…}" of "Your
        telegram {…}")."""
        if not (self.open and head.open) or self.classes or head.classes:
            return False
        if len(self.words) != len(head.words) or len(self.words) < 2:
            return False
        if self.words[0] != head.words[0] or self.words[0] not in _READER:
            return False
        changed = [(a, b) for a, b in zip(self.words, head.words, strict=True) if a != b]
        return len(changed) == 1 and all(map(_grouping_content, changed[0]))

    def _same_stems(self, head: _Wording) -> bool:
        """Both open on the same content word and three of its stems, most of the shorter
        one's, recur in order in the other: the same courtesy said in two phrasings ("on your
        election to the presidency of the current session" of "election as President of the
        General Assembly at its {number} session": elect, presid(ency), session)."""
        few = min(len(self.stems), len(head.stems))
        common = _common(self.stems, head.stems)
        if self.stems[:1] != head.stems[:1] or not self.stems:
            return False
        # (or, of two stems or more, all the shorter one's: "to congratulate you on your
        # election {…} the {…}" of "congratulations to the President on his election")
        if common >= _FIT_WORDS and common >= _SAME_STEMS * few:
            return True
        return common == few >= 2 and self._said_as_in(head)  # (not the vocative "Mr. …,")


_DATELINE = re.compile(r"(?:(\{name\}|\b[A-Z]{2,}), \{date\}[.,]?|\{date\},)$")
"""A dateline's end: its place and its date ("Letter {name}, {date}"), the place in capitals where
every instance names the same one ("Minute CANBERRA, {date}"), or its date and the comma of an
undated place ("Letter {date},")."""


def _dateline(template: str, words: Sequence[str]) -> bool:
    """`template` (its fixed `words`) is a dateline with words: it ends as one (`_DATELINE`) and
    its words name a document type, no function word among them ("Thank you for your letter of
    {date}," is a sentence). A place written out ("CANBERRA, {date}") is no document type: it
    needs a word before it."""
    found = _DATELINE.search(template)
    if found is None or any(map(_is_function_word, words)):
        return False
    place = found.group(1)
    return len(words) >= (2 if place and not place.startswith("{") else 1)


_PLACE = r"\[?(?:\{name\}|[A-Z]{2,}(?: [A-Z]{2,})*)\]?"
_PLACE_DATE = re.compile(
    rf"{_PLACE}(?:, {_PLACE})*,? \[?\{{date\}}\]?[.,]?"
    rf"|\[?[A-Z][a-z]+(?: [A-Z][a-z]+)*\]?, \[?\{{date\}}\]?,?"
)
"""A place (or places: "Washington, DC") and a date, alone (`_Wording.place_date`); a place
the corpus keeps as words before a comma, the date closing no sentence ("Wellington, {date}",
"Port Moresby, {date}"; not the citation "Times, {date}.")."""

_SALUTATION = re.compile(
    r"(?:[Mm]y |MY )?(?:[Dd]ear|DEAR) (?:\{…\}|(?:[^,;:!?{}]|\{name\}){1,40},)"
)
"""A salutation alone: "Dear" (or "My dear"), whom it addresses, a comma (`_Wording.salutation`)."""

_ARCHIVE_CODE = re.compile(r"^\[?([A-Z]{2,4}) ?:")
"""An archive's code opening a citation ("AA : {symbol}", "[NAA: {symbol}", "PRO : FO")."""
_SAME_STEMS = 0.75
"""Share of the shorter wording's stems that `_Wording._same_stems` asks the other to hold."""
_FIT_SLOT = 3
"""Words one slot of a template may stand for when two wordings are fitted (`_fits`)."""
_FIT_WORDS = 3
"""Words two fitted wordings must say alike, two of them content words."""


def _fits(short: Sequence[str], long: Sequence[str]) -> bool:
    """The shorter wording, read whole, is a stretch of the longer one where either's slots
    may stand for up to three of the other's words: one formula mined twice from different
    documents, each keeping fixed what the other's members vary ("able stewardship will lead
    {…}" in "that his able {…} will lead this session to a {…}", whose slot holds
    "stewardship" and "leadership"). Three words alike, two of them content words, and most
    of the shorter one's words; a slot may not skip the longer one's words at the start, and
    a lone function word or a slot is no stretch of a wording."""
    literal = [w for w in short if w != "{}"]
    if len(literal) < _FIT_WORDS:
        return False

    @functools.cache
    def best(i: int, j: int) -> tuple[int, int] | None:
        """(words alike, content words alike) fitting short[i:] at long[j:]; None if none."""
        if i == len(short):
            return (0, 0)
        options: list[tuple[int, int]] = []
        if j < len(long) and short[i] == long[j]:
            rest = best(i + 1, j + 1)
            if rest is not None and short[i] != "{}":
                content = int(_grouping_content(short[i]))
                options.append((rest[0] + 1, rest[1] + content))
            elif rest is not None:
                options.append(rest)
        if short[i] == "{}":  # this slot stands for 0-3 of the longer one's words
            fits = (best(i + 1, j + k) for k in range(_FIT_SLOT + 1) if j + k <= len(long))
            options.extend(r for r in fits if r is not None)
        if j < len(long) and long[j] == "{}":  # the other's slot stands for 1-3 of these words
            spans = (k for k in range(1, _FIT_SLOT + 1) if i + k <= len(short))
            absorbed = (best(i + k, j + 1) for k in spans if "{}" not in short[i : i + k])
            options.extend(r for r in absorbed if r is not None)
        return max(options, default=None)

    found = max((r for j in range(len(long)) if (r := best(0, j)) is not None), default=None)
    if found is None:
        return False
    alike, content = found
    return alike >= _FIT_WORDS and content >= 2 and alike >= _VARIANT * len(literal) - 1


def _families(
    ranked: list[Formula],
    combined: frozenset[tuple[str, ...]] = frozenset(),
    instances: Sequence[Sequence[Region]] = (),
    titled: frozenset[tuple[str, ...]] = frozenset(),
    spread: Callable[[set[int]], float] | None = None,
) -> list[Formula]:
    """One entry per formula: a template that is another wording of a better-ranked one
    (`_Wording.rewords`), or another reading of the same stretches of text (`_Instances.within`:
    "See file AA : {symbol}, {…}" of "AA : {symbol}, {…}"), is listed under it as a variant
    with its own documents, not as a formula of its own; so the ranks go to distinct formulae and
    every wording stays in sight. `ranked` is best first, so a family's template is its
    best-spread wording. `combined`: the lines the corpus reads as several markings, by their
    words (keys); `instances`: each formula's instances, when known; `titled`: the markings the
    corpus writes in title case (`_CaseStats.titled`: "Secret"), by their words in lower case.
    The editors' apparatus and the documents' own text are two voices: a wording of one is
    the other's only where one says all the other's words (`_said_within`: "Matter omitted
    includes {…}" in the notes, "[matter omitted]" in the text); the note "A reference to {…}"
    is not the letter's "I refer to your {…}", whose stem alone they share."""
    heads: list[tuple[Formula, _Wording, list[Formula], _Instances | None]] = []
    addressed: dict[int, tuple[str, ...]] = {}  # head -> whom its phrases of address address
    # head -> the lexicon family of its first wording the lexicon knows: a wording of another
    # family is another formula ("on his election to the presidency of the General Assembly at
    # {…}", a congratulation, holds the stock phrase "the General Assembly at its {…} session"),
    # and every wording of one family is that formula's.
    known: dict[int, str] = {}
    reach: dict[int, set[int]] = {}  # head -> the documents of all its wordings
    for n, f in enumerate(ranked):
        wording = _Wording.of(f.template, combined, titled)
        own = _Instances(instances[n]) if n < len(instances) else None
        whom = _addressee(f.template)

        # The lexicon's family is one formula, however its wordings differ.
        i = next((i for i, family in known.items() if family == f.lexicon), None)
        if i is None:
            i = next(
                (
                    i
                    for i, h in enumerate(heads)
                    if (f.lexicon is None or known.get(i, f.lexicon) == f.lexicon)
                    and (f.apparatus == h[0].apparatus or _said_within(wording, h[1]))
                    and _joins(wording, own, whom, h, addressed.get(i))
                ),
                None,
            )
        if i is None:
            if whom is not None:
                addressed[len(heads)] = whom
            i = len(heads)
            heads.append((f, wording, [], own))
        else:
            if whom and i in addressed and not addressed[i]:
                addressed[i] = whom  # "Sir," now addresses the office "Mr. President," names
            heads[i][2].append(f)
        if f.lexicon is not None:
            known.setdefault(i, f.lexicon)
        if n < len(instances):
            reach.setdefault(i, set()).update(r.doc for r in instances[n])
    # (An entry is its lexicon family's when one of its wordings is.)
    entries = [
        _said_in_full(*_named_address(f, v, addressed.get(i)), combined)
        if i in addressed
        else _said_in_full(f, w, v, combined)
        for i, (head, w, v, _) in enumerate(heads)
        for f in [dataclasses.replace(head, lexicon=known.get(i))]
    ]
    entries = [
        dataclasses.replace(f, family_docs=len(reach[i])) if f.variants and i in reach else f
        for i, f in enumerate(entries)
    ]
    if spread is None or not reach:
        return entries
    # An entry ranks by the spread of all its wordings' documents: a formula said in several
    # wordings ("Please advise {…}", "Please convey {…}", "Please telegraph {…}") is as
    # widespread as all of them together.
    score = {i: spread(docs) for i, docs in reach.items()}
    order = sorted(range(len(entries)), key=lambda i: (-score.get(i, 0.0), i))
    return [entries[i] for i in order]


def _said_within(a: _Wording, b: _Wording) -> bool:
    """One of the two says all the other's words, in order, a content word among them."""
    short = min(a.words, b.words, key=len)
    return any(map(_grouping_content, short)) and _common(a.words, b.words) == len(short)


def _joins(
    wording: _Wording,
    own: _Instances | None,
    whom: tuple[str, ...] | None,
    head: tuple[Formula, _Wording, list[Formula], _Instances | None],
    head_whom: tuple[str, ...] | None,
) -> bool:
    """Whether a formula (its `wording`, instances and addressee) is another wording of the
    entry `head` (`head_whom`: whom the head's phrases of address address, None when it is no
    phrase of address)."""
    if whom is not None and head_whom is not None and _same_addressee(whom, head_whom):
        return True
    if wording.rewords(head[1]):
        return True
    around = _around(wording, head[1], head_whom is not None)
    return bool(own and head[3] and own.within(head[3], around=around))


def _around(wording: _Wording, head: _Wording, address: bool) -> bool:
    """Whether `wording` frames `head` (`_Wording.frames`) as another reading of its stretches
    of text. A phrase of address is framed only by words that add no content word ("you, Mr.
    President, {…}"): one that adds a word says something to the addressee, a formula of its
    own ("I congratulate you, Sir, on your {…}" is the congratulation, not the vocative
    "Sir,")."""
    return wording.frames(head) and not (address and wording.content_added(head))


def _addressee(template: str) -> tuple[str, ...] | None:
    """A phrase of address said whole, opening on an honorific ("Mr. President,", "Sir,"): the
    words after the honorific, naming whom it addresses by office ("president"; none for a bare
    honorific); None for any other template."""
    if not template.rstrip().endswith(",") or "{" in template:
        return None
    words = _fixed_words(template).split()
    if not 1 <= len(words) <= _ADDRESS_WORDS or words[0] not in HONORIFICS:
        return None
    office = tuple(words[1:])
    if any(w in HONORIFICS or _is_function_word(w) for w in office):
        return None  # "Sir, Madam," is two; "Mr. and Mrs." no office
    return office


def _same_addressee(whom: tuple[str, ...], family: tuple[str, ...]) -> bool:
    """Two phrases of address are one formula when they name the same office whatever the
    honorific ("Mr. President," and "Madam President,"), or one is a bare honorific ("Sir,",
    "Madam,"): the vocative, inside a sentence or opening one, addresses the person the genre
    addresses most, whom the best-ranked phrase naming an office names."""
    return not whom or not family or whom == family


def _named_address(
    f: Formula, variants: list[Formula], office: tuple[str, ...] | None
) -> tuple[Formula, _Wording, list[Formula]]:
    """The entry of a family of phrases of address says whom it addresses: a bare honorific
    ("Sir,", ranked first) lists under the best-ranked phrase that names the office ("Mr.
    President,"), which takes the family's rank."""
    if office and _addressee(f.template) == ():
        named = next((v for v in variants if _addressee(v.template) == office), None)
        if named is not None:
            f, variants = named, [f, *(v for v in variants if v is not named)]
    return f, _Wording.of(f.template), variants


_SAME_TEXT = 0.8
"""Share of a formula's documents in which its instance is mostly another formula's text."""


class _Instances:
    """A formula's instances by document, to tell whether two templates read the same text."""

    def __init__(self, regions: Sequence[Region]) -> None:
        self.by_doc: dict[int, list[Region]] = {}
        for r in regions:
            self.by_doc.setdefault(r.doc, []).append(r)

    def within(self, other: _Instances, *, around: bool = False) -> bool:
        """In 80% of these instances' documents, one of them lies at least half inside one of
        `other`'s: two templates mined from the same stretches of text are one formula read
        with more or less context ("See file AA : {symbol}, {…}" and "AA : {symbol}, {…}").
        With `around` (this wording frames the other's with one content word more), half of
        the shorter instance will do ("AA: {…} {symbol}, ITEM {number}" around "AA :
        {symbol}, {…}")."""
        docs = self.by_doc.keys()
        shared = docs & other.by_doc.keys()
        need = _SAME_TEXT * len(docs)
        if len(shared) < need:
            return False
        inside = 0
        for doc in shared:
            theirs = other.by_doc[doc]
            inside += any(
                2 * (min(r.end, o.end) - max(r.start, o.start))
                >= min(r.end - r.start, o.end - o.start if around else r.end - r.start)
                for r in self.by_doc[doc]
                for o in theirs
            )
        return inside >= need


def _says_the_marking(
    v: Formula, word: _Wording, f: Formula, combined: frozenset[tuple[str, ...]]
) -> bool:
    """`v` is one marking (not a line of several) holding the one-word marking `word`, and more
    than half of `f`'s documents say it ("MOST IMMEDIATE" in 99 of the 129 documents of
    "IMMEDIATE")."""
    other = _Wording.of(v.template, combined)
    holds = other.marking and not other.markings and word.words[0] in other.words
    return holds and 2 * v.doc_freq > f.doc_freq


def _heads_lines(variants: Sequence[Formula], combined: frozenset[tuple[str, ...]]) -> bool:
    """Lines of several markings are listed under the marking (`_Wording.markings`: "IMMEDIATE
    SECRET" under "IMMEDIATE"): it stands as a marking of its own in them."""
    return any(_Wording.of(v.template, combined).markings for v in variants)


def _said_in_full(
    f: Formula,
    wording: _Wording,
    variants: list[Formula],
    combined: frozenset[tuple[str, ...]] = frozenset(),
) -> Formula:
    """The family's entry. A best-spread wording cut to a lead-in (two fixed words running on
    into an open slot: "I wish {…}") says less than its fuller wording that only adds function
    words ("I also wish to {…}") and is used about as widely (half the lead-in's documents): that
    one is the entry's template, at the family's rank, and the lead-in is listed among the
    variants. ("Reference your {…}" keeps its place beside "With reference to {…}", which holds
    other words; a citation "AA : {symbol}, {…}" has one word and is no lead-in.) Likewise a
    one-word marking that most of its documents say as part of one longer marking listed under
    it ("IMMEDIATE", said "MOST IMMEDIATE") is listed under that one (`_says_the_marking`; a line
    of several markings, `combined`, is not one marking), unless lines of several markings are
    listed under it (`_heads_lines`): there it is a marking of its own."""
    if len(wording.words) == 2 and f.template.endswith(SLOT):
        full = next(
            (
                v
                for v in variants
                if 2 * v.doc_freq >= f.doc_freq and wording.said_more_in(_Wording.of(v.template))
            ),
            None,
        )
        if full is None:
            full = next(
                (
                    v
                    for v in variants
                    if v.doc_freq >= f.doc_freq and wording.said_within(_Wording.of(v.template))
                ),
                None,
            )
        if full is not None:
            f, variants = full, [f, *(v for v in variants if v is not full)]
    elif wording.marking and len(wording.words) == 1 and not _heads_lines(variants, combined):
        full = next((v for v in variants if _says_the_marking(v, wording, f, combined)), None)
        if full is not None:
            f, variants = full, [f, *(v for v in variants if v is not full)]
    dated = next((v for v in variants if _classes_after(f.template, v.template)), None)
    if dated is not None and dated.doc_freq >= f.doc_freq:
        f, variants = dated, [f, *(v for v in variants if v is not dated)]
    seen = {f.template}
    shown = []
    for v in variants:  # the same wording twice (mined from regions and as a line) shows once
        if v.template not in seen:
            seen.add(v.template)
            shown.append(dataclasses.replace(v, members=v.members[:_VARIANT_MEMBERS]))
    return dataclasses.replace(f, variants=tuple(shown))


_CLASSES_AFTER = re.compile(r"[\s,.;:]*(?:\{(?:date|number|symbol|email|name)\}[\s,.;:]*)+")
"""Slots of a class (a date, a number, a symbol, a name) and marks between them, alone."""


def _classes_after(short: str, full: str) -> bool:
    """`full` is `short` followed by slots of a class only ("Canberra, {date}" of "Canberra,"):
    the same wording with what it introduces, which an entry shows when it is as widespread (a
    corpus of one mission's letters would list its dateline as "New York," otherwise)."""
    return full.startswith(short) and _CLASSES_AFTER.fullmatch(full[len(short) :]) is not None


def _induce_groups(
    groups: list[_Group], docs: Sequence[Masked], ids: list[I64], min_df: int
) -> tuple[list[list[Region]], list[Region]]:
    """The templates of the groups spread over `min_df` documents, and the regions no template
    took (from those groups and from the smaller ones) or took only in part."""
    out: list[list[Region]] = []
    left: list[Region] = []
    for g in groups:
        if _spread(g.members) < min_df:
            left.extend(g.members)
            continue
        used: set[Region] = set()
        out.extend(_templates_of(g.members, docs, ids, min_df, used, left))
        left.extend(r for r in g.members if r not in used)
    return out, left


def _unaligned(t: _Template, docs: Sequence[Masked]) -> list[Region]:
    """The stretches of the members before and after the template's fixed words, with two
    literal words ("May God bless" before "peace in the world."): a region glued from two
    formulae gives the other one its part."""
    out = []
    for m, mp in zip(t.members, t.maps, strict=True):
        hits = [x for i, x in enumerate(mp) if x is not None and t.fixed[i]]
        if not hits:
            continue
        d = docs[m.doc]
        lo, hi = min(x[0] for x in hits), max(x[1] for x in hits)
        last = m.start + hits[-1][0]
        if len(hits) > 1 and _opens_at(d, last) and _is_function_word(d.keys[last]):
            # A function word that opens its sentence leads what follows: of "[1] A sign here
            # indicates …", "[{number}] A {…}" leaves "A sign here indicates …".
            hi = hits[-1][0]
        for a, b in ((m.start, m.start + lo), (m.start + hi, m.end)):
            if d.kinds[a:b].count("") >= 2:
                out.append(Region(m.doc, a, b))
    return out


def _templates_of(
    members: list[Region],
    docs: Sequence[Masked],
    ids: list[I64],
    min_df: int,
    used: set[Region] | None = None,
    rest: list[Region] | None = None,
) -> list[list[Region]]:
    """The templates of one group, Spell-style: a template that keeps no content word is split
    by the content word a sizeable part of its members share ("I have the {…}" holds "I have
    the honour to {…}" and "I have the pleasure to {…}"), and members a template leaves out may
    make another. The members the templates take are added to `used`, and the stretches of
    them that lie outside their template's fixed words to `rest`."""
    out: list[list[Region]] = []
    work = [(members, 0)]
    while work and len(out) < 8:
        todo, depth = work.pop()
        t = _induce(todo, ids)
        if t is None:
            continue
        split = _split_word(t, docs, min_df) if depth < 3 else None
        if split is None and _spread(t.members) >= min_df:
            out.append(_extend(t.members, docs, ids))
            if used is not None:
                used.update(t.members)
            if rest is not None:
                rest.extend(_unaligned(t, docs))
        if depth < 3:
            work.extend((part, depth + 1) for part in _next_parts(t, todo, split, min_df))
    return out


def _next_parts(
    t: _Template, todo: list[Region], split: int | None, min_df: int
) -> list[list[Region]]:
    """What is induced next: the members without and with the split word, or the members the
    template left out."""
    if split is not None:
        chosen = {m for m, mp in zip(t.members, t.maps, strict=True) if mp[split]}
        return [[r for r in todo if r not in chosen], [r for r in todo if r in chosen]]
    kept = set(t.members)
    rest = [r for r in todo if r not in kept]
    return [rest] if _spread(rest) >= min_df else []


def _split_word(t: _Template, docs: Sequence[Masked], min_df: int) -> int | None:
    """When the template keeps no content word ("I have the {…}"), a content word of the
    reference that members in `min_df` documents and a third of all members have (the most
    shared such word)."""
    ref = t.members[t.ref]
    d = docs[ref.doc]
    content = [
        i
        for i, fixed in enumerate(t.fixed)
        if fixed and d.kinds[ref.start + i] == "" and not _is_function_word(d.keys[ref.start + i])
    ]
    if content:
        return None
    best, best_n = None, 0
    for i, fixed in enumerate(t.fixed):
        pos = ref.start + i
        if fixed or d.kinds[pos] != "" or _is_function_word(d.keys[pos]):
            continue
        aligned = _aligned(t, i)
        wide = len(aligned) >= len(t.members) / 3 and _spread(m for m, _ in aligned) >= min_df
        if wide and len(aligned) > best_n:
            best, best_n = i, len(aligned)
    return best


def _candidate_groups(
    docs: Sequence[Masked], ids: list[I64], k: int, min_df: int
) -> tuple[list[_Group], Callable[[list[Region]], list[_Group]]]:
    """Regions covered by grams frequent in `min_df` documents, grouped Spell-style; and the
    grouping, to group again the regions that no template took (a formula's instances that
    joined other groups by their varying continuations, "May God bless us all." here, "May God
    bless peace in the world." there, meet again among them)."""
    hashes: list[npt.NDArray[np.uint64]] = []
    lengths: list[npt.NDArray[np.int64]] = []
    for d, doc_ids in zip(docs, ids, strict=True):
        h, length = _grams(d, doc_ids, k)
        opening = [_opening_grams(d, doc_ids, n) for n in _OPENING]
        hashes.append(np.stack([h, *opening]))
        lengths.append(np.stack([length, *(np.full(len(h), n) for n in _OPENING)]))
    uniq, counts = np.unique(
        np.concatenate([np.unique(h[h != 0]) for h in hashes] or [np.zeros(0, np.uint64)]),
        return_counts=True,
    )
    frequent_hashes = uniq[counts >= min_df]
    flat = np.concatenate([h.ravel() for h in hashes])
    hits = in_sorted(flat, frequent_hashes)
    cuts = np.cumsum([h.size for h in hashes])[:-1]
    regions: list[Region] = []
    for i, hit in enumerate(np.split(hits, cuts)):
        regions.extend(find_regions(docs[i], hit.reshape(hashes[i].shape), lengths[i], i))
    frequent = set(frequent_hashes.tolist())

    def regroup(found: list[Region]) -> list[_Group]:
        return _group_regions(found, ids, hashes, frequent, every=True)

    return _group_regions(regions, ids, hashes, frequent), regroup


def _spread(members: Iterable[Region]) -> int:
    return len({r.doc for r in members})


def _judge(
    members: list[Region],
    docs: Sequence[Masked],
    ids: list[I64],
    corpus: CorpusArrays,
    min_df: int,
    alpha: float,
    years: _Years | None = None,
    genre: _Genre | None = None,
    lines: _Lines | None = None,
    known: _Known | None = None,
) -> tuple[float, Formula, list[Region], bool] | None:
    """The formula a group of regions makes, ranked, with its instances, and whether it is a
    line of its own (`_own_line`); None when it is none."""
    t = _induce(members, ids)
    if (t is None or _spread(t.members) < min_df) and _spread(members) >= min_df:
        # The members that lack a word most of them share were left out, and too few are left
        # ("Please convey following {…}" in three documents, "Please convey to {…}" in a
        # fourth): the words every member shares are the template.
        t = _induce(members, ids, support=1.0)
    if t is None or _spread(t.members) < min_df:
        return None
    shown = _surface(t, docs)
    if shown is None or _mid_word(t, shown, docs) or _opens_in_quotes(shown.template):
        return None
    own = _own_line(t, shown, docs)
    cited = _cites_in_brackets(shown)
    # The lexicon formula it states (then its place need not say it is one), and the one it
    # is a part of (its entry).
    stated, part_of = known.families(t) if known is not None else (None, None)
    if not cited and (
        not _worded(shown, own)
        or not (
            stated is not None
            or _position_ok(t, shown, docs, alpha, own, years)
            or (genre is not None and not own and _courtesy(t, shown, docs, genre, years, alpha))
            or (genre is not None and not own and _performative(t, shown, docs, genre, years))
        )
    ):
        return None
    if not _many_senders(t, corpus) or _annotation(t, shown, docs):
        return None
    if not own and (_a_title(shown) or _defines_a_term(shown.template)):
        return None
    if stated is None and not own and genre is not None and _anyones_start(t, shown, docs, genre):
        return None
    # A heading's words, and a noun phrase's, may be what the documents are about; a closed
    # heading in title case is both, and asked once.
    subjects = [shown.template] if own or _titled(shown.template) else []
    # (The editors' notes define nothing: "Matter omitted is a {…}" recurs where "[matter
    # omitted]" does.)
    term = _a_defined_term(shown.template)
    defined = term if term is not None and not _in_notes(t, docs) else None
    for phrase in (_a_noun_phrase(shown.template), defined):
        if phrase is not None and phrase not in subjects:
            subjects.append(phrase)
    lang = genre.lang if genre is not None else None
    if own and _a_part_heading(shown.template, t.members, docs):
        subjects = []  # a line of its own in most documents: their structure ("OPTIONS")
    if any(_a_subject_heading(x, t.members, docs, lang) for x in subjects):
        if own and lines is not None:
            lines.subjects.add(_heading_words(shown.template))
        return None
    if own and lines is not None and lines.section_heading(shown.template, t.members):
        return None
    if (
        years is not None
        and not own
        and not _opens_a_note(t, shown, docs)
        and years.one_years_topic(t, alpha)
    ):
        return None  # (a line of its own, a note's wording: an era's editors' layout)
    return (*_formula(t, shown, docs, corpus, part_of), t.members, own)


def _opens_in_quotes(template: str) -> bool:
    """Whether the first double quotation mark of a template closes a quotation opened before
    it (`git grep" {…}"`, `git {…}" did not work {…}`, mined from git's release notes, each fix
    of which opens on the quoted command it fixes: '* "git grep" learned to …'): a quoted
    name or someone's words and what is said of them, no formula."""
    at = min((k for k in (template.find('"'), template.find("\u201d")) if k >= 0), default=-1)
    if at < 0 or template.find("\u201c", 0, at) >= 0:
        return False
    return template[at] == "\u201d" or (
        at > 0 and not template[at - 1].isspace() and template[at - 1] not in "(["
    )


def _anyones_start(t: _Template, shown: _Shown, docs: Sequence[Masked], genre: _Genre) -> bool:
    """Two words at most and then an open slot, none of them the genre's own (`_Genre`), near
    the top more often than near the bottom: how any sentence may start ("I saw {…}", "I took
    {…}", "The latest {…}"), at the top of a body because a report opens on what happened,
    not because the genre words it so. A formula this short says its act in the genre's
    words ("I extend {…}", "Repeated to {…}", "Following is {…}") or turns to the reader
    ("Please pass {…}": `_READER`); a sign-off is the genre's in everyone's words too ("May
    God {…}" closes a speech). Where wordfreq has no list for the corpus's language, no word
    is known to be everyone's, and nothing is set aside."""
    head = shown.template.removesuffix(SLOT)
    if head == shown.template or "{" in head or not genre.listed():
        return False
    words = _literal_word_list(head)
    if not words or len(words) > 2 or words[0].lower() in _READER:
        return False
    content = [w.lower() for w in words if not _is_function_word(w.lower())]
    if any(genre.marked(w) for w in content):
        return False
    _, _, top, bottom, _ = _placement(t, shown.lo, docs)
    return top > bottom


_TITLE_WORDS = 3
"""Content words, all capitalised, that make a stretch of running text a title or a name."""

_TERM_DEFINED = re.compile(r"\b[a-z][a-z-]*[a-z] \((?=[^()]*[A-Z][^()]*[A-Z])[A-Z][\w/{}-]*\)")
"""A term in lower case followed by its abbreviation in brackets: "coronavirus disease
(COVID-19)", "official development assistance (ODA)", "least developed countries (LDCs)"."""


def _defines_a_term(template: str) -> bool:
    """A template that spells out a term with its abbreviation ("The coronavirus disease
    (COVID-{number}) pandemic") names what its documents talk about: the full form is written
    at a document's first mention, near its top, so it gathers at the edge as an opening
    courtesy does, yet it is a topic, not wording of the genre. (A bracket after a slot or a
    capitalised word is no such definition: "{date} (KCNA) --", "the Organization
    (A/{number}/1)".)"""
    return _TERM_DEFINED.search(template) is not None


def _a_title(shown: _Shown) -> bool:
    """In running text, a template whose content words (three or more) are all capitalised is a
    title or an institution's name ("Minister for Foreign Affairs of the Republic of {name}"):
    it names someone or something, as a ``{name}`` does, and is no wording of the genre. (A
    line of its own may be a heading: "PERSONAL AND CONFIDENTIAL".)"""
    return _capitalised(shown.template, _TITLE_WORDS)


def _capitalised(template: str, at_least: int) -> bool:
    """`at_least` content words, every one capitalised (slots left out)."""
    words = _literal_word_list(template)
    content = [w for w in words if not _is_function_word(w.lower())]
    return len(content) >= at_least and all(w[:1].isupper() for w in content)


_WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")


def _literal_word_list(template: str) -> list[str]:
    """The words a template writes out, in its own case, its slots left out."""
    return _WORD_RE.findall(re.sub(r"\{[^{}]*\}", " ", template))


def _titled(template: str) -> bool:
    """Two content words or more, every one capitalised: a heading's wording ("Nuclear
    Weapons"), also where some of its documents run it into their text ("Nuclear weapons are
    …"), and asked whether it is their subject (`_a_subject_heading`)."""
    return _capitalised(template, 2)


_ARTICLES = frozenset(("the", "a", "an"))


_ABBREVIATION_LETTERS = 4
"""A capitalised word of fewer letters closed by a full stop may be an abbreviation ("Cf.",
"Art.", "Vol.")."""


def _a_noun_phrase(template: str) -> str | None:
    """Two words or more, none a function word, no slot: a noun phrase said whole, a heading's
    wording in sentence case too ("Constitutional development", where some of its documents
    run it into their text: "Constitutional development is a continuing process"); or one in
    title case that an open slot ends ("Australian Policy {…}": "… Towards Japan", "Australian
    Policy - So far we have …"; in sentence case such a template is as often a request or a
    note: "Please see {…}", "Matter omitted {…}"). A title-case one may hold function words
    between its first and last ("Trade with Japan {…}": a subject heading that the text runs
    on from, DFAT volume 19). A closing full stop and an opening article are no part of it;
    one capitalised word closed by a full stop is a phrase too ("Trusteeship.", a cable's
    subject line in DFAT volume 10; one of under `_ABBREVIATION_LETTERS` letters may be an
    abbreviation, "Cf.").
    Its words, to be asked whether they are the documents' subject (`_a_subject_heading`), or
    None."""
    phrase = template.removesuffix(" " + SLOT)
    open_end = phrase != template
    if "{" in phrase or (open_end and not _titled(phrase)):
        return None
    word = phrase.removesuffix(".")
    closed_word = word != phrase and _WORD.fullmatch(word) and word[0].isupper()
    if closed_word and len(word) >= _ABBREVIATION_LETTERS:
        return word  # one capitalised word closed by a full stop: "Trusteeship."
    if not open_end and phrase.endswith(".") and not phrase.endswith(".."):
        # Closed by a full stop, its article aside: a cable's subject line ("Pacific Pact.",
        # DFAT volume 21) or a sentence's last words ("the Common Market negotiations.",
        # volume 27, five documents) on the documents' topic.
        # (An abbreviation's full stops are no noun phrase's: "loc. cit.")
        article, _, rest = phrase[:-1].partition(" ")
        phrase = rest if article.lower() in _ARTICLES else phrase[:-1]
        if "." in phrase:
            return None
    words = _literal_word_list(phrase)
    if len(words) < 2:
        return None
    inner = words[1:-1] if open_end else []
    if any(_is_function_word(w.lower()) for w in words if w not in inner):
        return None
    return phrase


_DEFINITION = re.compile(r"^(?P<term>[^\W\d_][^{}.,;:]*?) (?:is|are) (?:a|an) \{…\}$")


def _a_defined_term(template: str) -> str | None:
    """The term a definition's opening names ("Dynamic programming is a {…}", five students'
    answers on it), when it is a noun phrase (`_a_noun_phrase`): to be asked whether it is the
    documents' subject, as a heading is; or None."""
    m = _DEFINITION.match(template)
    return None if m is None else _a_noun_phrase(m.group("term"))


_SUBJECT = 0.6
_STRUCTURE = 2 / 3
"""`_a_part_heading`: the share of the corpus's documents a part's heading stands in."""


def _a_part_heading(template: str, members: Sequence[Region], docs: Sequence[Masked]) -> bool:
    """A heading of a few words and no slot that stands in two documents of three (`_STRUCTURE`)
    heads a part of each (a manual page's "NAME" and "OPTIONS", whose words its text says
    again), not what one is about; a sentence that opens most of them may still name their
    common subject ("Dynamic programming is a {…}", six answers to one question)."""
    words = _WORD_RE.findall(_plain(template))
    if "{" in template or not 1 <= len(words) <= _SECTION_WORDS:
        return False
    return _spread(members) >= _STRUCTURE * len(docs)


"""A heading is its documents' subject when its content words recur in the text of its
documents this often (the share of its (document, word) pairs)."""


def _a_subject_heading(
    template: str, members: Sequence[Region], docs: Sequence[Masked], lang: str | None = None
) -> bool:
    """A heading of literal words, in capitals or not, ending on no mark but a colon
    ("Portuguese Timor", "Export Incentives:", "IMPERIAL ECONOMIC COMMITTEE"), whose content
    words recur further in the text of its documents, most of them in most ("Australian
    Journalists in Timor": a cable about them may name "Balibo" and not "Timor" again): what
    they are about, not wording of the genre. A marking ("Confidential", "MOST IMMEDIATE": at
    most two fifths of their words recur in DFAT's development samples), the place a cable went
    to ("CANBERRA"), a salutation ("Dear Sir,") or a closing ("Yours sincerely,") is not what
    the text goes on to talk about, nor is a word among the most frequent of the corpus's
    language (`lang`; "SEE ALSO" heads manual pages that say "see" further on)."""
    plain = _plain(template).strip("*").removesuffix(":")
    if "{" in plain:
        return _a_varied_heading(template, members, docs)
    if not plain[-1:].isalnum():
        return False
    content = {_key(w) for w in _WORD_RE.findall(plain) if not _is_function_word(w.lower())}
    # A word among the language's most frequent recurs in any text: no evidence of a subject
    # ("see" of a manual page's "SEE ALSO").
    content = {c for c in content if not _everyday(c, lang)}
    if not content:
        return False
    recurring = 0
    for r in members:
        # The text's own words, not its masked keys: "Australian" in the body is a name there.
        d = docs[r.doc]
        outside = _Outside(d, d.starts[r.start], d.ends[r.end - 1])
        for c in content:
            recurring += outside.says(c) or _named_as_people(c, outside)
    return recurring >= _SUBJECT * len(members) * len(content)


_EVERYDAY_ZIPF = 6.0
"""`_everyday`: a word at least this frequent in its language (wordfreq's zipf scale: "see",
"new", "make", "time"; "president" is 5.5, "programming" 4.4)."""


def _everyday(key: str, lang: str | None) -> bool:
    """The word (`key`, in lower case) is among the most frequent of `lang` (`_EVERYDAY_ZIPF`);
    never when the language is not known."""
    if lang is None:
        return False
    from docdiff.text.rarity import zipf

    return zipf(key, lang) >= _EVERYDAY_ZIPF


@dataclass(slots=True)
class _Words:
    """Words as `_WORD_RE` reads them, counted by key (lower case): all of them, and those that
    open on a capital."""

    keys: Counter[str]
    capitals: Counter[str]

    @classmethod
    def of(cls, words: Iterable[str]) -> _Words:
        keys: Counter[str] = Counter()
        capitals: Counter[str] = Counter()
        for word, n in Counter(words).items():
            keys[_key(word)] += n
            if word[:1].isupper():
                capitals[_key(word)] += n
        return cls(keys, capitals)

    def count(self, key: str, capital: bool) -> int:
        return (self.capitals if capital else self.keys)[key]


class _Outside:
    """The words a text says before character `lo` and from `hi` on, as `_WORD_RE` reads the
    two parts apart (a word that `lo` or `hi` cuts counts by its part outside): the whole
    text's words (counted once a document), less those from `lo` to `hi`."""

    def __init__(self, d: Masked, lo: int, hi: int) -> None:
        text = d.text
        if d.words is None:
            d.words = _Words.of(_WORD_RE.findall(text))
        self._whole = d.words
        first, last = _cut_by(text, lo), _cut_by(text, hi)
        cut = _WORD_RE.findall(text, first[0], lo) if first else []
        cut += _WORD_RE.findall(text, hi, last[1]) if last else []
        self._cut = _Words.of(cut)
        held = _WORD_RE.findall(text, first[0] if first else lo, last[1] if last else hi)
        self._held = _Words.of(held)

    def says(self, key: str, *, capital: bool = False) -> bool:
        """The text says the word `key` there (`capital`: opening on a capital)."""
        if self._cut.count(key, capital):
            return True
        return self._whole.count(key, capital) > self._held.count(key, capital)


def _cut_by(text: str, x: int) -> tuple[int, int] | None:
    """Where the word that character `x` cuts (starting before it, ending after it) stands."""
    start = max(text.rfind(c, 0, x) for c in " \n\t") + 1  # (no word holds a space)
    for m in _WORD_RE.finditer(text, start, len(text)):
        if m.start() >= x:
            return None
        if m.end() > x:
            return m.span()
    return None


_DEMONYM = ("n", "ns", "an", "ans", "ese", "ian", "ians")
"""What a place's name adds to name its people or its language ("Indonesia" → "Indonesian",
"Japan" → "Japanese", "Malaya" → "Malayans")."""


def _named_as_people(key: str, outside: _Outside) -> bool:
    """The text (`outside` a heading) names the place `key` by its people or its language,
    capitalised, where it does not name the place itself: cables under "INDONESIA"
    (DFAT volumes 11 and 15) speak of "the Indonesian Government" and "the Indonesians". (A
    marking's word is no place: "Secretary" is not what "SECRET" adds to, "immediately" not
    what "IMMEDIATE" does.)"""
    return any(outside.says(key + end, capital=True) for end in _DEMONYM)


_HEADING_WORDS = 8
"""At most this many words make a line a heading."""
_SECTION_WORDS = 3
"""At most this many words make a line a section's heading ("Introduction", "Conclusions")."""


class _Lines:
    """In how many documents each line recurs (`_line`), to tell a section's heading from a
    marking (`section_heading`), counted on first use; and the headings found to be their
    documents' subject (`subjects`)."""

    def __init__(self, docs: Sequence[Masked], min_df: int) -> None:
        self._docs = docs
        self._min_df = min_df
        self._counts: Counter[tuple[str, ...]] | None = None
        self.subjects: set[tuple[str, ...]] = set()
        """The words (`_heading_words`) of the lines of their own that a template of regions
        showed to be their documents' subject: the same whole line is no formula either."""

    def _bounds(self, d: Masked) -> list[int]:
        return [x for x in range(len(d.keys)) if x == 0 or d.breaks[x] == 2] + [len(d.keys)]

    @staticmethod
    def _line(d: Masked, a: int, b: int) -> tuple[str, ...]:
        """A line by its words, names spelt out (a title names its subject), dates, numbers and
        symbols masked (a dateline recurs whatever its date)."""
        return tuple(d.keys[x] if d.kinds[x] in _CODES else _token_text(d, x) for x in range(a, b))

    def _count(self) -> Counter[tuple[str, ...]]:
        if self._counts is None:
            counts: Counter[tuple[str, ...]] = Counter()
            for d in self._docs:
                bounds = self._bounds(d)
                counts.update({self._line(d, a, b) for a, b in itertools.pairwise(bounds)})
            self._counts = counts
        return self._counts

    def section_heading(self, template: str, members: Sequence[Region]) -> bool:
        """A line of one to three words, not in capitals, no slot, no closing mark
        ("Introduction", "Background", "Conclusions"), that in most instances (60%) follows a
        line of its document's own (a paragraph, the document's title: in fewer documents than
        a formula needs) and heads a paragraph (a line longer than a heading): the heading of a
        section of the text, its structure, not a formula of the genre. A marking ("Top
        Secret") follows the dateline, a line of the genre, and a line standing before
        another heading or a copied document ("Enclosure" before "COPY") heads no paragraph."""
        plain = _plain(template)
        words = _WORD_RE.findall(plain)
        if "{" in plain or not plain[-1:].isalnum() or plain.isupper():
            return False
        if not 1 <= len(words) <= _SECTION_WORDS or not words[0][:1].isupper():
            return False
        counts = self._count()
        sections = 0
        for r in members:
            d = self._docs[r.doc]
            bounds = self._bounds(d)
            at = max(i for i, x in enumerate(bounds[:-1]) if x <= r.start)
            if at == 0 or at + 2 >= len(bounds):
                continue
            before = self._line(d, bounds[at - 1], bounds[at])
            after = bounds[at + 2] - bounds[at + 1]
            sections += counts[before] < self._min_df and after > _HEADER_LINE
        return sections >= _SUBJECT * len(members)


def _heading_words(template: str) -> tuple[str, ...]:
    """A heading's literal words in lower case (slots, case and marks aside)."""
    return tuple(w.lower() for w in _literal_word_list(template))


_FIELD = re.compile(r"[^{}\n]*[^\W_][^{}\n]*:\s*\{[^{}]*\}")
"""A field: its label, a colon and a slot for its value ("License-File: {…}", "Classifier:
Operating System :: {…}", "Subject: {…}"): what it heads is the value on its own line, no
subject the document goes on to talk about."""


def _a_varied_heading(template: str, members: Sequence[Region], docs: Sequence[Masked]) -> bool:
    """A subject heading whose subject varies ("Malaysia and the {name}": "… the United
    Nations", "… the Security Council", and "Singapore and the …"): names or open slots only
    (a dateline's place and date are no subject), its literal content words capitalised, and
    most of its instances a short line of their own, opening on a capital, whose content words,
    fillers included, recur further in the text of their documents, as `_a_subject_heading`
    asks of a heading."""
    if any(f"{{{c}}}" in template for c in _CLASSES if c != "name") or "/{" in template:
        return False
    if _FIELD.fullmatch(template):
        return False
    if not _capitalised(template, 1):
        return False
    headings = words = recurring = 0
    for r in members:
        d = docs[r.doc]
        start, end = d.starts[r.start], d.ends[r.end - 1]
        lo = d.text.rfind("\n", 0, start) + 1
        hi = d.text.find("\n", end)
        hi = len(d.text) if hi < 0 else hi
        line = d.text[lo:hi].strip().strip("*_").strip().removesuffix(":")
        found = _WORD_RE.findall(line)
        if not found or len(found) > _HEADING_WORDS:
            continue
        if not line[-1:].isalnum() or not found[0][:1].isupper():
            continue  # (a heading in sentence case too: "Papua and New Guinea—threat to …")
        content = {_key(w) for w in found if not _is_function_word(w.lower())}
        headings += 1
        words += len(content)
        outside = _Outside(d, lo, hi)
        recurring += sum(outside.says(c) for c in content)
    return headings >= _SUBJECT * len(members) and recurring >= _SUBJECT * words > 0


# --- courtesies of running text ----------------------------------------------------------------

_ADDRESSED = frozenset("you your yours him his her hers".split())
"""Words that point at the addressee or at a person honoured: what a courtesy is about ("for
his tireless efforts", "under your able guidance"), and what a topic's wording ("the rule of
law") and the speaker's own positions ("We believe that {…}") lack."""
_CLAUSE_WORDS = 4
"""Literal words of a courtesy clause, two of them content words: a phrase, not a fragment."""
_RARE_ZIPF = 2.0
"""Zipf given to a word that wordfreq's short list lacks (the list stops at zipf 3)."""


class _Genre:
    """Which words the corpus uses more often than general language does (wordfreq, per token):
    the genre's own vocabulary ("tribute", "tireless", "leadership") against the words everyone
    uses ("first", "time", "soon", "think"). Counted on first use."""

    def __init__(self, docs: Sequence[Masked], lang: str) -> None:
        self._docs = docs
        self._counts: Counter[str] | None = None
        self._total = 0
        self.lang = lang
        self._listed: bool | None = None

    def _count(self) -> Counter[str]:
        if self._counts is None:
            counts: Counter[str] = Counter()
            for d in self._docs:
                counts.update(k for k, kind in zip(d.keys, d.kinds, strict=True) if kind == "")
                self._total += len(d.keys)
            self._counts = counts
        return self._counts

    def listed(self) -> bool:
        """wordfreq has a list for the corpus's language ("the" and "de" head every list there
        is): without one, no word is known to be the genre's, nor everyone's."""
        if self._listed is None:
            from docdiff.text.rarity import zipf

            self._listed = bool(zipf("the", self.lang) or zipf("de", self.lang))
        return self._listed

    def marked(self, word: str) -> bool:
        """The corpus uses `word` more often than general language does; never when wordfreq
        has no list for the corpus's language (`listed`)."""
        from docdiff.text.rarity import zipf

        counts = self._count()
        if not self.listed():
            return False
        general = zipf(word, self.lang) or _RARE_ZIPF
        return counts[word] / max(1, self._total) > 10 ** (general - 9)


class _Known:
    """The instances, in each document, of the formulae the lexicon knows (the built-in lexicon
    of diplomatic correspondence, and the user's): the genre's formulae by prior knowledge ("I
    have the honour to {…}", "international peace and security"), which a sample may hold too
    seldom, or in too many places, for their spread and position alone to tell them from
    running text. Found on first use."""

    def __init__(self, docs: Sequence[Masked], lexicon: Lexicon) -> None:
        self._docs = docs
        self._lexicon = lexicon
        self._found: dict[int, list[tuple[Template, int, int]]] = {}
        self._stock: bool | None = None

    def instances(self, index: int) -> list[tuple[Template, int, int]]:
        """(template, first token, end token) of each lexicon instance in document `index`, in
        masked tokens; the stock phrases' only where the corpus is of their genre
        (`_stock_of_the_genre`)."""
        if self._stock is None:
            self._stock = self._stock_of_the_genre()
        found = self._all(index)
        return found if self._stock else [x for x in found if not x[0].inline]

    def _stock_of_the_genre(self) -> bool:
        """Whether the corpus speaks the language of the lexicon's stock phrases: one of them at
        least in `_STOCK_GENRE` of its documents. In speeches to the General Assembly
        "international peace and security" is the genre's own wording; in cables on every
        subject, the few that report a debate at the UN quote it (ten of 800), and there it is
        their topic, not a formula (`_position_ok` may still find it one)."""
        held = sum(1 for i in range(len(self._docs)) if any(x[0].inline for x in self._all(i)))
        return held >= _STOCK_GENRE * len(self._docs)

    def _all(self, index: int) -> list[tuple[Template, int, int]]:
        """`instances`, the stock phrases' always."""
        found = self._found.get(index)
        if found is None:
            d = self._docs[index]
            tokens = tokenize(d.text)
            found = []
            if d.keys and len(tokens):
                within = (d.text, tokens)
                for h in (
                    *self._lexicon.find(tokens.keys, text=within),
                    *self._lexicon.find_stock(tokens.keys, text=within),
                ):
                    # The masked tokens the instance's characters fall in.
                    lo = bisect.bisect_right(d.starts, tokens.starts[h.start]) - 1
                    hi = bisect.bisect_left(d.starts, tokens.ends[h.end - 1])
                    found.append((h.template, max(0, lo), hi))
            self._found[index] = found
        return found

    def member_sets(self, min_df: int) -> list[list[Region]]:
        """The instances of each lexicon template, one member set a template found in `min_df`
        documents or more."""
        by_template: dict[Template, list[Region]] = {}
        for index in range(len(self._docs)):
            for template, lo, hi in self.instances(index):
                by_template.setdefault(template, []).append(Region(index, lo, hi))
        return [m for m in by_template.values() if _spread(m) >= min_df]

    def families(self, t: _Template) -> tuple[str | None, str | None]:
        """The lexicon family (its label) whose formula most of the template's instances
        state, and the one whose formula most of them are a part of (None where they do not).

        An instance states a formula when its fixed words (three or more) stand mostly in one
        lexicon instance and are most of that instance's words (not a fragment of a longer
        formula: "congratulate Mr. {name} {…}"); it is a part of one when they stand mostly in
        it, however long it is: a template that passed on its own evidence is then a wording of
        that formula ("I congratulate {…} President on {…} election {…}"), listed under it.
        Each lexicon instance is asked alone: another template's instance over the same words
        (a user's "the {…} of the") takes nothing from it."""
        stated: Counter[str] = Counter()
        part: Counter[str] = Counter()
        for r, mp in zip(t.members, t.maps, strict=True):
            d = self._docs[r.doc]
            fixed = {
                r.start + x
                for i, hit in enumerate(mp)
                if hit is not None and t.fixed[i]
                for x in range(*hit)
                if d.kinds[r.start + x] != "p"
            }
            # Fewer words are a part of a formula only when all of them stand in one instance
            # of it, a longer one: "Please deliver {…}" in "Please deliver the following
            # message to the Tunku" (a cable's request, `transmit`).
            short = len(fixed) < _KNOWN_WORDS
            if len(fixed) < _SHORT_PART:
                continue
            best_stated: tuple[int, str] | None = None
            best_part: tuple[int, str] | None = None
            for template, lo, hi in self.instances(r.doc):
                if lo >= r.end or hi <= r.start:
                    continue
                inside = len(fixed.intersection(range(lo, hi)))
                if short:
                    said = sum(1 for x in range(lo, hi) if d.kinds[x] != "p")
                    if inside == len(fixed) and said > _KNOWN_WORDS and best_part is None:
                        best_part = (inside, template.family)
                    continue
                if inside < _KNOWN_WORDS or 2 * inside < len(fixed):
                    continue
                if best_part is None or inside > best_part[0]:
                    best_part = (inside, template.family)
                said = sum(1 for x in range(lo, hi) if d.kinds[x] != "p")
                if 2 * inside >= said and (best_stated is None or inside > best_stated[0]):
                    best_stated = (inside, template.family)
            if best_part is not None:
                part[best_part[1]] += 1
            if best_stated is not None:
                stated[best_stated[1]] += 1
        return _most_of(stated, len(t.members)), _most_of(part, len(t.members))


_STOCK_GENRE = 0.1
"""Share of the documents holding one of the lexicon's stock phrases at least, for them to be
the corpus's genre (`_Known._stock_of_the_genre`): in samples of 800 General Assembly speeches
they are in 72 to 83 % of them; in samples of 800 Australian cables and letters, in 1 to 3 %."""


def _most_of(counts: Counter[str], n: int) -> str | None:
    """The most common of `counts` when they count half of `n` or more together, else None."""
    if not counts or 2 * sum(counts.values()) < n:
        return None
    return counts.most_common(1)[0][0]


_KNOWN_WORDS = 3
"""Words of an instance that must stand in a lexicon formula. A formula of two words is a form
of address ("distinguished colleagues", "your excellency") that many a sentence holds ("his
distinguished colleague {…}"): its place must say that it is one (`_own_units`)."""

_SHORT_PART = 2
"""Words of an instance that may make it a part of a lexicon formula longer than
`_KNOWN_WORDS` when all of them stand in one instance of it (`_Known.families`)."""


def _courtesy(
    t: _Template,
    shown: _Shown,
    docs: Sequence[Masked],
    genre: _Genre,
    years: _Years | None,
    alpha: float,
) -> bool:
    """A courtesy of running text: a clause in praise of, or addressed to, a person ("for his
    tireless efforts {…}", "under your able guidance", "on your well-deserved election"), which
    need not open a sentence nor gather at the edges as strongly as a formula known by its
    position alone (`_position_ok` asks `alpha`: 1 / (templates judged)). Its evidence is of
    four kinds, each against one confusion: it is a phrase (two content words, four literal
    words) that points at the addressee or the person honoured (`_ADDRESSED`; a topic's noun
    phrase and the speaker's positions do not); one of its content words is the genre's own
    (`_Genre`; an idiom's words are everyone's: "as soon as possible", "for the first time");
    its instances sit at the documents' edges more often than chance would put them there
    (`_CHANCE`: a narrative's "instructions from his Government" does not); and its documents
    spread over the years as documents drawn at random would (a year's event does not). Spread
    over senders is asked of every formula (`_many_senders`).

    A shorter courtesy (one content word, two literal words: "his predecessor, {…}", "on your
    election to {…}", "congratulate you, {name}, on your {…}") is the part every speech words
    alike of a courtesy each words its own way; it is no phrase by its words, so its place
    must say so alone: nearly all its instances (`_EDGE_CLAUSE`) stand at the top of their
    documents, as seldom by chance as two formulae's tests passed at once (`alpha` squared: a
    fragment of running text that gathers there, "assumption of {…}", points at nobody)."""
    if shown.content_words < 1 or shown.literal_words < 2:
        return False
    n = len(t.members)
    _, _, head, tail, chance = _placement(t, shown.lo, docs)
    if _clause_worded(shown):
        placed = _binomial_tail(n, head + tail, chance / n) <= _CHANCE
    else:
        placed = _at_the_top(n, head, chance / n, alpha * alpha)
    if not placed:
        return False
    words = [w.lower() for w in _literal_word_list(shown.template)]
    if not _ADDRESSED.intersection(words):
        return False
    if not any(genre.marked(w) for w in words if not _is_function_word(w)):
        return False
    return years is None or years.spread(t) >= _YEARS_SPREAD


# --- lines and sentences of their own ------------------------------------------------------------

_UNIT_MAX = 16
"""Tokens of a whole line or sentence that is read as one formula ("SECRET", "Begins.", "The
President returned to the Chair."); a longer one is running text, left to the regions."""
_BY_CHOICE = 0.8
"""In hard-wrapped text, a line shorter than this share of the usual line length, with room for
the next line's first word, was ended by its writer, not by the wrapping."""
_WORD = re.compile(r"[^\W\d_]{2,}")
_UPPER_ROMAN = re.compile(r"[IVXLC]+")


def _own_units(
    docs: Sequence[Masked], min_df: int, lang: str, stats: _CaseStats | None = None
) -> list[list[Region]]:
    """The whole lines and whole sentences that recur, in the documents' own case and
    punctuation (dates, numbers, symbols and names masked; a closing full stop and a closing
    colon are one mark), in `min_df` documents: one member set per unit. A formula of one or
    two words ("SECRET", "Ends.") or one in the middle of a record ("The President returned to
    the Chair.") is no region of frequent k-grams and has no edge to sit at; that it fills its
    line or sentence on its own, in many documents and from many senders, is its evidence
    (`_judge_unit`). `stats`: the corpus's case, which tells a person's name from a phrase of
    address (`_address_like`)."""
    found: dict[tuple[str, ...], list[Region]] = {}
    from docdiff.text.rarity import known_word

    known = functools.partial(known_word, lang=lang)
    # (A corpus of a few documents may never write "delegates" in lower case.)
    seen = stats if stats is not None and stats.n_docs >= _CASE_SEEN else None
    lower = seen.lower.__getitem__ if seen is not None else None
    for index, d in enumerate(docs):
        bounds = dict.fromkeys([*_unit_bounds(d), *_address(d, known, lower)])
        for start, end in bounds:
            if _address_like(d, start, end, known, lower):  # by its words: "Excellencies,"
                key = tuple(_token_text(d, x) for x in range(start, end))
            else:
                kinds = d.kinds[start:end]
                key = tuple(
                    _CLASS_KEY[kind] if kind in _CLASSES else _token_text(d, x)
                    for x, kind in zip(range(start, end), kinds, strict=True)
                )
            if key[-1] in _CLOSING and len(key) > 1:
                # "Begins." and "Begins:" are one line (the mark that most close it is printed).
                key = (*key[:-1], _CLOSING_KEY)
            found.setdefault(key, []).append(Region(index, start, end))
    return [_most_written_first(m, docs) for m in found.values() if _spread(m) >= min_df]


_CLOSING = frozenset(".:")
"""The marks that close a line or a sentence alike: "Begins." and "Begins:" introduce the same
message (DFAT volumes 15-28, round 38's tuning sample: five documents each way)."""
_CLOSING_KEY = "\x00close"


def _most_written_first(members: list[Region], docs: Sequence[Masked]) -> list[Region]:
    """The members of a unit, those closed by the mark most of them use first (the unit is
    printed from its first member)."""

    def mark(r: Region) -> str:
        return _token_text(docs[r.doc], r.end - 1)

    counts = Counter(mark(r) for r in members)
    return sorted(members, key=lambda r: -counts[mark(r)])


def _language(docs: Sequence[Masked]) -> str:
    """The corpus's language, from its first documents' words."""
    from docdiff.text.language import detect_language

    return detect_language([w for d in docs[:50] for w in d.keys])


def _unit_bounds(d: Masked) -> list[tuple[int, int]]:
    """The document's whole sentences and lines of at most `_UNIT_MAX` tokens, without a leading
    note number ("1 Not printed."). In hard-wrapped text a newline is no break, but a physical
    line that opens a sentence and ends short by choice is a line of its own (the verbatim
    record's "(spoke in French)" before the speech goes on). A line of markings is also itself
    ("IMMEDIATE SECRET" beside "IMMEDIATE" and "SECRET")."""
    n = len(d.keys)
    cuts = {x for x in range(n) if d.breaks[x] or x == 0}
    if n and _wrapped(d.text):
        cuts.update(end for _, end in _lines_by_choice(d))  # "(spoke in French)" ends there
    spans = itertools.pairwise([*sorted(cuts), n])
    out = []
    for first, end in spans:
        start = first
        while (
            start < end
            and d.kinds[start] == "number"
            and (start == 0 or d.breaks[start] == 2)
            and not _spelt_ordinal(_token_text(d, start))
            and not _opens_a_range(d, start)
        ):
            start += 1  # a note's or a paragraph's number (not "Seventy-sixth session")
        if 0 < end - start <= _UNIT_MAX:
            out.append((start, end))
    return out + _insertions(d) + d.marking_lines


def _opens_a_range(d: Masked, x: int) -> bool:
    """Token `x` opens a range or a path, a dash or a slash glued to it ("1997-2004
    Sistina Software", a year range opening a line): not a note's number, which a space follows,
    nor a paragraph's ("1.")."""
    end = d.ends[x]
    return d.text[end : end + 1] in _RANGE_GLUE and d.text[end + 1 : end + 2].isalnum()


_RANGE_GLUE = frozenset("-\u2010\u2011\u2013/")
"""What joins a number to the next in a range or a path ("1997-2004", "3004/11/1")."""


def _spelt_ordinal(word: str) -> bool:
    """An ordinal in words masked as a number ("Seventy-sixth", `_mark_ordinals`): a heading's
    own word, where a note's or a paragraph's number is written in figures, a roman numeral or
    one letter."""
    return len(word) > 1 and not any(c.isdigit() for c in word) and not _roman(word)


_ADDRESS_WORDS = 4
"""Literal words of a phrase of address at the head of a speech ("Distinguished delegates,")."""
_ADDRESS_TOKENS = 8


_FIRST_PERSON = frozenset("i me my we us our".split())
"""Words of the speaker's own clause, which a phrase of address lacks."""


def _said(d: Masked, tokens: range) -> tuple[str, ...]:
    """The tokens as written, in lower case (a name by its words, not its class)."""
    return tuple(_token_text(d, x).lower() for x in tokens)


def _first_sentence(d: Masked) -> range:
    """The tokens of the running text's first sentence (`Masked.body_start` to its end)."""
    n = len(d.keys)
    start = d.body_start
    end = next((x for x in range(start + 1, n) if d.breaks[x]), n)
    return range(start, end)


def _address_end(d: Masked) -> int:
    """Where the phrases of address that open a speech end: with the running text's first
    sentence (`_first_sentence`), and the lines after it while each ends on a comma ("Mr.
    President, Excellencies, Distinguished delegates," then "Ladies and Gentlemen," on a line
    of its own); the heading lines above it hold them too."""
    n = len(d.keys)
    end = _first_sentence(d).stop
    while 0 < end < n and d.keys[end - 1] == ",":
        nxt = next((x for x in range(end + 1, n) if d.breaks[x]), n)
        if d.keys[nxt - 1] != ",":
            break
        end = nxt
    return end


def _address(
    d: Masked, known: Callable[[str], bool], lower: Callable[[str], int] | None = None
) -> list[tuple[int, int]]:
    """The phrases of address that open a speech, each ended by its comma ("Mr. President,
    Excellencies, Distinguished delegates, Ladies and gentlemen, it is …"): up to the end of
    the address (`_address_end`: the heading lines, the first sentence of the running text and
    the lines after it that end on a comma), the stretches between a line's start or a comma
    and the next comma, of at most `_ADDRESS_WORDS` words, opening on a capital, holding no
    date, number or symbol, and no name but a title or a form of address that general
    language knows as words (`known`: "Sir", "Excellencies"; a person addressed by name, "Mr.
    Kofi Annan", is a name); on a heading line, not a dateline (`_dated_line`). A connective
    there ("At the outset, …") is one too; the judge tells them apart (`_judge_unit`)."""
    out = []
    start = 0
    for x in range(_address_end(d)):
        if d.breaks[x] == 2:
            start = x  # (a line of its own: "Mr. President,", then "Excellencies,")
        if d.keys[x] == ",":
            if _address_like(d, start, x + 1, known, lower) and (
                x >= d.body_start or not _dated_line(d, x)
            ):
                out.append((start, x + 1))
            start = x + 1
    return out


def _dated_line(d: Masked, x: int) -> bool:
    """The line holding token `x` holds a date, a number or a symbol: a dateline ("Australian
    High Commission, London, 22 December 1966"), a heading's number ("19080. Personal For
    Waller Only"), whose stretches between commas are no phrases of address."""
    n = len(d.keys)
    a = next((y for y in range(x, -1, -1) if d.breaks[y] == 2), 0)
    b = next((y for y in range(x + 1, n) if d.breaks[y] == 2), n)
    return any(k in _CODES for k in d.kinds[a:b])


def _address_like(
    d: Masked,
    start: int,
    end: int,
    known: Callable[[str], bool],
    lower: Callable[[str], int] | None = None,
) -> bool:
    """The tokens read as a phrase of address: they end on a comma, open on a capital, hold one
    to `_ADDRESS_WORDS` words and no date, number or symbol, and a name among them only if
    general language knows its words and no title precedes it (`known`: "Sir",
    "Excellencies"; not "Kofi Annan", nor "Mr. Bruce"); and not two capitalised words or more,
    nothing between them and no honorific among them, that the corpus never writes in lower
    case (`lower`: how often it does, mid-sentence): a person's full name, whose words
    general language may know ("Malcolm MacDonald," heading the list of those present in
    DFAT volume 1's notes of meetings), where a phrase of address holds at most one such word
    or an honorific ("Excellencies,", "Madam President,")."""
    inside = range(start, end - 1)
    if d.keys[end - 1] != "," or not inside or len(inside) > _ADDRESS_TOKENS:
        return False
    if not _token_text(d, start)[:1].isupper():
        return False
    words = 0
    for y in inside:
        kind = d.kinds[y]
        found = _WORDS.findall(_token_text(d, y))
        person = _after_title(d, y) or _TITLES.intersection(w.lower() for w in found)
        if kind == "name" and (person or not all(known(w.lower()) for w in found)):
            return False  # a person: "Mr. Bruce", "Kofi Annan"
        if kind not in ("", "p", "name"):
            return False
        words += len(found) if kind != "p" else 0
    if lower is not None:
        # Capitalised words alone, none between them ("Ladies and Gentlemen," holds "and"),
        # read as the corpus's names or as its words (a name recurring fixed is a word), and
        # no honorific ("Madam President,": a few speeches may never write "president" in
        # lower case).
        named = [w for y in inside for w in _WORDS.findall(_token_text(d, y))]
        capitalised = len(named) >= 2 and all(w[0].isupper() for w in named)
        honorific = any(w.lower() in HONORIFICS or w.lower() in _TITLES for w in named)
        if capitalised and not honorific and not any(lower(w.lower()) for w in named):
            return False  # a person's full name: "Malcolm MacDonald"
    return 0 < words <= _ADDRESS_WORDS


_CASE_SEEN = 20
"""Documents a corpus needs before the words it never writes in lower case are read as a
person's name (`_address_like`)."""

_INSERTION_MAX = 6
"""Tokens of a bracketed insertion read as a unit, brackets included."""


def _insertions(d: Masked) -> list[tuple[int, int]]:
    """Short insertions in brackets, with a word of their own, inside a sentence ("[sic]",
    "[matter omitted]", "(see {symbol})"): an editor's or a record's own voice, set apart from
    the text by its brackets as a line is by its breaks. (An abbreviation in brackets, "(G-77)",
    "(AI)", has no word of its own: it is a name, also when general language knows it as a
    word. Brackets glued to the word before them are a call or an index, "len(self)",
    "d[key]": code, not an insertion.)"""
    out = []
    n = len(d.keys)
    for x in range(n):
        close = _CLOSER.get(d.keys[x])
        if close is None or _glued(d, x):
            continue
        for y in range(x + 1, min(n, x + _INSERTION_MAX)):
            if d.breaks[y] or d.keys[y] in _CLOSER:
                break
            if d.keys[y] == close:
                inside = range(x + 1, y)
                if _abbreviation(d, inside):
                    break
                if any(d.kinds[z] == "" and _WORD.fullmatch(d.keys[z]) for z in inside):
                    out.append((x, y + 1))
                break
    return out


def _glued(d: Masked, x: int) -> bool:
    """Token `x` follows a letter, a digit or an underscore with no space between."""
    at = d.starts[x]
    return at > 0 and (d.text[at - 1].isalnum() or d.text[at - 1] == "_")


def _abbreviation(d: Masked, inside: range) -> bool:
    """The tokens inside a bracket are one abbreviation: words in capitals, with only numbers
    and marks beside them ("(AI)", "(COVID-19)", "(HIV/AIDS)")."""
    texts = [_token_text(d, z) for z in inside]
    words = [w for w in texts if w[:1].isalpha()]
    return bool(words) and all(map(_acronym, words))


def _acronym(word: str) -> bool:
    """A word written in capitals, two letters or more ("AI", "UNCTAD"): an abbreviation."""
    return word.isupper() and sum(c.isalpha() for c in word) >= 2


def _lines_by_choice(d: Masked) -> list[tuple[int, int]]:
    """Physical lines of hard-wrapped text that open a sentence, hold no break, close a bracket,
    and stop where the next line's first word would still have fitted (`_BY_CHOICE`)."""
    n = len(d.keys)
    heads = [x for x in range(n) if x == 0 or "\n" in d.text[d.ends[x - 1] : d.starts[x]]]
    lengths = sorted(len(line.strip()) for line in d.text.splitlines() if line.strip())
    usual = lengths[len(lengths) // 2] if lengths else 0
    out = []
    for start, end in itertools.pairwise([*heads, n]):
        if end >= n or d.breaks[end] or not (start == 0 or d.breaks[start]):
            continue  # the last line, or a line a sentence ends (those are sentences already)
        if any(d.breaks[x] for x in range(start + 1, end)) or d.keys[end - 1] not in ")]":
            continue  # (a line that ends on a word or a comma may go on in the next one)
        width = d.ends[end - 1] - d.starts[start] + 1 + d.ends[end] - d.starts[end]
        if width < _BY_CHOICE * usual:
            out.append((start, end))
    return out


def _judge_unit(
    members: list[Region],
    docs: Sequence[Masked],
    corpus: CorpusArrays,
    alpha: float,
    years: _Years | None = None,
    leads: _LeadIns | None = None,
    lines: _Lines | None = None,
    lang: str | None = None,
) -> tuple[float, Formula] | None:
    """A recurring whole line or sentence is a formula when it holds a content word and no
    quotation, comes from several senders (a person's name or one series' heading recurs with
    one), is not a note on one person or thing (a note that names someone: "H. J. van Mook.",
    "Minister to the United States."; one that frames a number does not: "Volume {number},
    Document {number}.") and, in running text, not one year's topic nor a connective cut off
    by a full stop (`_cut_off`). A phrase of address at the head of a speech (`_address`:
    "Excellencies,") is a formula unless it is the speaker's own clause or a connective that
    opens sentences further on too ("First of all,"); it may come from one year's documents,
    since it follows whom it addresses ("Madam President," in the year a woman held the
    office)."""
    ref = members[0]
    t = _unit_template(members)
    shown = _unit_shown(t, docs)
    d = docs[ref.doc]
    names = any(d.kinds[x] == "name" for x in range(ref.start, ref.end))
    own = sum(_whole_line(docs[m.doc], m.start, m.end) for m in members) >= 0.6 * len(members)
    # A line of its own or a short sentence above the running text: a cable's subject line
    # stands alone in some ("Trusteeship.") and shares its line in others ("Assembly 220.
    # Trusteeship.", DFAT volume 10).
    above = _above_text(members, docs)
    heading = own or (SLOT[0] not in shown.template and above >= 0.6 * len(members))
    address = not own and _addresses(members, docs)
    said = _said(d, range(ref.start, ref.end - 1)) if d.keys[ref.end - 1] == "," else ()
    words = [w for part in said for w in _WORDS.findall(part)]
    content = shown.content_words or sum(not _is_function_word(w) for w in words)  # "Sir,"
    if content < 1 and (not _cites(shown, d, ref) or (not own and _dates_only(members, docs))):
        return None
    if _quotes(shown.template):
        return None
    if not _many_senders(t, corpus) or _annotation(t, shown, docs):
        return None
    if names and not shown.class_slots and _in_notes(t, docs):
        return None
    if address:
        if shown.literal_words > _ADDRESS_WORDS or shown.slots:
            return None
        if _FIRST_PERSON.intersection(said):
            return None  # the speaker's own clause: "I congratulate you, …", "Allow me, …"
        if leads is not None and 2 * leads.docs_led_later(said) >= _spread(members):
            return None  # a connective: "First of all, …" opens sentences further on too
    elif not own and shown.literal_words > _SENTENCE_WORDS:
        return None  # "That is the truth." recurs mid-paragraph, as rhetoric
    structure = own and _a_part_heading(shown.template, members, docs)
    if (
        heading
        and not structure
        and (
            (lines is not None and _heading_words(shown.template) in lines.subjects)
            or any(
                _a_subject_heading(x, members, docs, lang)
                for x in (
                    shown.template,
                    _a_noun_phrase(shown.template),
                )
                if x is not None
            )
        )
    ):
        return None  # (the same line, in the documents a template of regions held: 41 for
        # "Chinese Representation" in DFAT volume 22, where its 30 whole lines head short
        # cables that need not name their subject again)
    if own and lines is not None and lines.section_heading(shown.template, members):
        return None
    if years is not None and not own and not address and years.one_years_topic(t, alpha):
        return None  # (an address follows whom it addresses: "Madam President," in her year)
    if leads is not None and not own and _cut_off(t, docs, leads, alpha):
        return None
    return _formula(t, shown, docs, corpus)


class _LeadIns:
    """In how many documents each opening of one or two words leads a longer sentence in,
    a comma after it ("Therefore, we …", "In addition, the …"). Counted on first use."""

    def __init__(self, docs: Sequence[Masked]) -> None:
        self._docs = docs
        self._counts: Counter[tuple[str, ...]] | None = None
        self._later: Counter[tuple[str, ...]] | None = None

    def docs_led_later(self, keys: tuple[str, ...]) -> int:
        """The documents in which `keys` (`_said`) open a sentence after the phrases of address
        (`_address_end`) and a comma follows them: a connective's use ("First of all, we …")
        that a phrase of address ("Excellencies,") does not have."""
        if self._later is None:
            counts: Counter[tuple[str, ...]] = Counter()
            for d in self._docs:
                found: set[tuple[str, ...]] = set()
                n = len(d.keys)
                end = _address_end(d)
                for x in itertools.compress(range(end, n), d.opens[end:]):
                    for y in range(x + 1, min(n, x + _ADDRESS_TOKENS + 1)):
                        if d.breaks[y]:
                            break
                        if d.keys[y] == ",":
                            found.add(_said(d, range(x, y)))
                            break
                counts.update(found)
            self._later = counts
        return self._later[keys]

    def docs_led(self, words: tuple[str, ...]) -> int:
        """The documents in which `words` open a sentence and a comma follows them."""
        if self._counts is None:
            counts: Counter[tuple[str, ...]] = Counter()
            for d in self._docs:
                found: set[tuple[str, ...]] = set()
                n = len(d.keys)
                for x in itertools.compress(range(n), d.opens):
                    for k in range(1, _SENTENCE_WORDS + 1):
                        if x + k < n and d.keys[x + k] == "," and not d.breaks[x + k]:
                            found.add(tuple(d.keys[x : x + k]))
                counts.update(found)
            self._counts = counts
        return self._counts[words]


def _cut_off(t: _Template, docs: Sequence[Masked], leads: _LeadIns, alpha: float) -> bool:
    """A sentence of one or two words in running text ("Therefore.", "In addition.", "Yes.") is a
    connective that a transcript's full stop cut off from its clause when, in more documents,
    the same words lead a longer sentence with a comma after them ("Therefore, we …"), and its
    uses do not gather at the documents' edges more often than chance (a closing "Thank you."
    does: it ends the speech)."""
    ref = t.members[t.ref]
    d = docs[ref.doc]
    words = tuple(d.keys[x] for x in range(ref.start, ref.end) if d.kinds[x] != "p")
    if not words or len(words) > _SENTENCE_WORDS or d.keys[ref.end - 1] != ".":
        return False
    if any(d.kinds[x] in _CLASSES for x in range(ref.start, ref.end)):
        return False  # a reference ("Our {number}.")
    doc_count = _spread(t.members)
    if leads.docs_led(words) < doc_count:
        return False
    return _scattered(t, docs, alpha)


def _scattered(t: _Template, docs: Sequence[Masked], alpha: float) -> bool:
    """The template's uses do not gather at the documents' edges more often than chance would
    put them there (as seldom as `alpha`)."""
    n = len(t.members)
    _, _, head, tail, chance = _placement(t, 0, docs)
    return _edge_surprise(n, head, tail, chance / n) > alpha


def _unit_template(members: Sequence[Region]) -> _Template:
    """The template of a unit's members: every token fixed, each member aligned token by
    token (a unit's members hold the same tokens)."""
    size = members[0].end - members[0].start
    maps: list[list[tuple[int, int] | None]] = [[(i, i + 1) for i in range(size)]] * len(members)
    return _Template(list(members), 0, [True] * size, maps)


def _above_text(members: Sequence[Region], docs: Sequence[Masked]) -> int:
    """How many members fill their lines or stand above the running text (`body_start`)."""
    return sum(
        _whole_line(docs[m.doc], m.start, m.end) or m.end <= docs[m.doc].body_start for m in members
    )


_A_YEAR = re.compile(r"(1[0-9]|20)[0-9]{2}")


def _dates_only(members: Sequence[Region], docs: Sequence[Masked]) -> bool:
    """What most of the members' slots hold is a date or a year ("On 12 March 2004.", "In
    2022."). In running text, a sentence of a function word and a date cites no document (as
    "Our {number}." cites a cable): it is a clause a transcript's full stop cut off."""
    dated = 0
    for m in members:
        d = docs[m.doc]
        slots = [x for x in range(m.start, m.end) if d.kinds[x] in _CLASSES]
        dated += bool(slots) and all(
            d.kinds[x] == "date"
            or (d.kinds[x] == "number" and _A_YEAR.fullmatch(d.text[d.starts[x] : d.ends[x]]))
            for x in slots
        )
    return dated > _SUPPORT * len(members)


def _cites(shown: _Shown, d: Masked, ref: Region) -> bool:
    """Without a content word, a line or sentence is a formula only as a reference to a date,
    number or symbol: a dateline, a place and a date ("Canberra, {date}"; "{name}, {date}"
    where the place varies: the datelines of one shape are one formula, whatever the post), or
    a sentence of its own closed by a full stop and opened by the word that points at what it
    cites ("Your {number}."), not a fragment ("We {number}") nor the tail of a clause a full
    stop cut off ("… in resolutions 1325. 1820 and 1888.": "{number} and {number}.")."""
    kinds = d.kinds[ref.start : ref.end]
    if "" not in kinds and "name" in kinds and "date" in kinds:
        return True
    if shown.class_slots < 1 or shown.literal_words < 1:
        return False
    if kinds[0] in _CLASSES:
        return False  # a clause's tail: "{number} and {number}."
    return "" not in kinds or d.keys[ref.end - 1] == "."


_SENTENCE_WORDS = 2
"""Words of a formula that is a sentence of its own in running text ("Begins.", "Not
printed."); a longer one needs a line of its own."""


def _whole_line(d: Masked, start: int, end: int) -> bool:
    """Tokens [start, end) fill their physical lines (after a note's number): "SECRET", "The
    President returned to the Chair." between two paragraphs of a wrapped record."""
    while start > 0 and d.kinds[start - 1] == "number" and (start == 1 or d.breaks[start - 1]):
        start -= 1
    return _line_starts(d, start) and (end == len(d.keys) or _line_starts(d, end))


def _line_starts(d: Masked, pos: int) -> bool:
    """Token `pos` opens a physical line, or a line of its own a marking was split into."""
    return pos == 0 or d.breaks[pos] == 2 or "\n" in d.text[d.ends[pos - 1] : d.starts[pos]]


def _variant(template: str, frames: Sequence[re.Pattern[str]]) -> bool:
    """The whole line or sentence is one shape of a template mined from regions with an open
    slot, which reads it from its start: "Your telegram {number} of {date}." is one of "Your
    telegram {…}.", "[AA : {symbol}, TIMOR {number}]" one of "AA : {symbol}, {…}" ("MOST
    SECRET" says nothing of what may follow it)."""
    return any(f.match(template) for f in frames)


def _frame(template: str) -> re.Pattern[str]:
    """A template as a pattern over another template's text: its words in order, any text for a
    slot."""
    parts = [r"\s*".join(map(re.escape, p.split())) for p in re.split(r"\{[^{}]*\}", template)]
    return re.compile(r"\W*" + ".+?".join(parts), re.IGNORECASE)


def _unit_shown(t: _Template, docs: Sequence[Masked]) -> _Shown:
    """A whole line or sentence as printed: its own words, and a slot where a class varies (a
    name that never varies is a word: "The President returned to the Chair.")."""
    ref = t.members[t.ref]
    d = docs[ref.doc]
    shown = _Shown("", 0, 0, 0, [])
    parts: list[str] = []
    # A sentence cut after an abbreviation's point ("See ibid., Document 341.") does not open
    # on the comma that follows it: ", Document {number}." prints as "Document {number}.".
    first = 0
    while first < ref.end - ref.start - 1 and d.keys[ref.start + first] in _SEPARATORS:
        first += 1
    for i in range(first, ref.end - ref.start):
        pos = ref.start + i
        word = _fixed_word(t, i, d, pos, docs, shown)
        if d.kinds[pos] == "" and (not _WORD.fullmatch(word) or _UPPER_ROMAN.fullmatch(word)):
            shown.content_words -= not _is_function_word(d.keys[pos])  # "i.e", "b", "III"
        # As a template of regions prints it ("python_version", not "pythonversion").
        before = "" if i == first else _before_word(d, d.ends[pos - 1], pos, word, after_slot=False)
        parts.append(before + word)
    shown.template = _plain("".join(parts))
    return shown


_SEPARATORS = frozenset(",;:.")
"""Marks that close what stands before them: no line or sentence is printed opening on one."""

_ANNOTATION = 5
"""Words of a note, without any slot, that make it a note on one thing rather than a formula."""


def _annotation(t: _Template, shown: _Shown, docs: Sequence[Masked]) -> bool:
    """A note repeated word for word, of five words or more and without a slot, is an editor's
    note on one person or thing ("Editor of Forward, a Glasgow labour paper.", "Leader of the
    Free French movement."), repeated wherever that one is named: the apparatus's formulae are
    short ("Not printed.") or frame what varies ("See Document {number}."). A part of such a
    note is no formula either (`_in_a_repeated_note`)."""
    if shown.slots:
        return False
    return (shown.literal_words >= _ANNOTATION and _in_notes(t, docs)) or _in_a_repeated_note(
        t, docs
    )


def _in_a_repeated_note(t: _Template, docs: Sequence[Masked]) -> bool:
    """Most instances are a part of one note repeated word for word, of `_ANNOTATION` words or
    more (`_annotation`): "free trader;" of "Labour M.P.; free trader; Chancellor of the
    Exchequer 1924." (17 letters of DFAT volume 18), a phrase of the editors' note on one
    person, which they repeat wherever he is named."""
    notes: Counter[tuple[str, ...]] = Counter()
    for m in t.members:
        d = docs[m.doc]
        x = _line_head(d, m.start)
        if d.kinds[x] != "number":
            continue
        y = next((z for z in range(m.end, len(d.keys)) if d.breaks[z] == 2), len(d.keys))
        notes[tuple(d.keys[x + 1 : y])] += 1
    if not notes:
        return False
    note, count = notes.most_common(1)[0]
    words = sum(1 for k in note if _WORD.fullmatch(k))
    return count >= 0.6 * len(t.members) and words >= _ANNOTATION


_YEAR = re.compile(r"\d{4}")
_ONE_YEAR = 0.8


class _Years:
    """The documents' years (from their dates), to tell a year's topic from a formula."""

    def __init__(self, corpus: CorpusArrays) -> None:
        self.of: list[str | None] = []
        for meta in corpus.metas:
            date = date_of(meta)
            found = _YEAR.search(date) if date else None
            self.of.append(found.group() if found else None)
        counts = Counter(y for y in self.of if y)
        dated = sum(counts.values())
        self.shares = [c / dated for c in counts.values()]

    @property
    def known(self) -> bool:
        """The documents' dates name three years or more: enough to ask a spread over them."""
        return len(self.shares) >= 3

    def spread(self, t: _Template) -> float:
        """How many years the template's dated documents cover, over how many as many documents
        drawn at random from the corpus would cover (1.0 when undated): a formula recurs over the
        years; a topic phrase, even one at the top of a speech (a new Member State welcomed, a new
        Secretary-General congratulated), gathers in the few years of its event."""
        dated = [y for y in (self.of[d] for d in {r.doc for r in t.members}) if y]
        if not dated or not self.known:
            return 1.0
        expected = sum(1 - (1 - p) ** len(dated) for p in self.shares)
        return len(set(dated)) / expected

    def one_years_topic(self, t: _Template, alpha: float) -> bool:
        """Nearly all (80%) of the template's dated documents come from one year, which chance
        (documents drawn at random from the corpus) would seldom do: wording in running text
        that one year's documents use is that year's topic (a session's theme, an event), not a
        formula of the genre, which recurs over the years as it does over senders. (Headings,
        datelines and notes are not asked: their layout follows an era's editors, as a volume
        of documents of one year prints its datelines its own way.)"""
        doc_set = {r.doc for r in t.members}
        dated = Counter(y for y in (self.of[d] for d in doc_set) if y)
        n = sum(dated.values())
        if not self.known or n < len(doc_set) / 2 or not n:
            return False
        k = dated.most_common(1)[0][1]
        if k < _ONE_YEAR * n:
            return False
        return sum(_binomial_tail(n, k, p) for p in self.shares) <= alpha


def _many_senders(t: _Template, corpus: CorpusArrays) -> bool:
    """A formula of the genre comes from several senders (when the documents name them): a
    heading that recurs in one sender's series ("Export Incentives") is that sender's topic."""
    senders = _named_senders({r.doc for r in t.members}, corpus)
    return senders is None or senders >= GENRE_SENDERS


def _spread_of(doc_set: Collection[int], corpus: CorpusArrays) -> float:
    """A formula's rank from its documents: sqrt(documents x senders), senders counted as
    `_named_senders` counts them (`_formula`'s rank of a template, `_families`' of an entry)."""
    senders = _named_senders(doc_set, corpus)
    return math.sqrt(len(doc_set) * (len(doc_set) if senders is None else senders))


def _named_senders(doc_set: Collection[int], corpus: CorpusArrays) -> int | None:
    """How many senders the documents name, when half of them name one at least, the
    documents that name none counted as one sender more ("Cablegram to Canberra" was sent by
    some post, whichever); else None (the senders are not known well enough to count)."""
    senders = corpus.senders()
    named = [s for s in (senders[d] for d in doc_set) if s is not None]
    if 2 * len(named) < len(doc_set):
        return None
    return len(set(named)) + (len(named) < len(doc_set))


def _formula(
    t: _Template,
    shown: _Shown,
    docs: Sequence[Masked],
    corpus: CorpusArrays,
    lexicon: str | None = None,
) -> tuple[float, Formula]:
    """The template as a `Formula`, with its rank: sqrt(documents x senders). Senders count
    where half its documents name one (as `_many_senders` asks); else each document counts as
    its own, so a dateline of memoranda that name no sender is not sunk by the one cable that
    names its sender (1 sender of 9 documents ranked it as 3 documents)."""
    doc_set = sorted({r.doc for r in t.members})
    score = _spread_of(doc_set, corpus)
    dates = sorted(x for x in (date_of(corpus.metas[d]) for d in doc_set) if x)
    first_of: dict[int, tuple[Region, list[tuple[int, int] | None]]] = {}
    for m, mp in zip(t.members, t.maps, strict=True):
        first_of.setdefault(m.doc, (m, mp))
    sample = [_completed(t, m, mp, docs) for m, mp in first_of.values()]
    spans = [
        (docs[m.doc], docs[m.doc].starts[m.start], docs[m.doc].ends[m.end - 1]) for m, _ in sample
    ]
    return score, Formula(
        template=shown.template,
        doc_freq=len(doc_set),
        slot_examples=_slot_examples(shown.slots, sample, docs, _slot_classes(t, shown, docs)),
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
        members=tuple(
            Passage(
                corpus.ids[m.doc], Span(docs[m.doc].starts[m.start], docs[m.doc].ends[m.end - 1])
            )
            for m, _ in sample[:50]
        ),
        apparatus=sum(_in_apparatus(d, s, e) for d, s, e in spans) >= _APPARATUS * len(spans),
        lexicon=lexicon,
    )


_APPARATUS = 0.8
"""A formula is the edition's apparatus when this share of its documents' instances stand in
their apparatus."""

_COMPLETION = 12
"""Tokens past a member's end within which `_completed` looks for the template's closing
words."""


def _completed(
    t: _Template, m: Region, mapping: list[tuple[int, int] | None], docs: Sequence[Masked]
) -> tuple[Region, list[tuple[int, int] | None]]:
    """A member whose region stopped before the template's closing fixed words, run on to them
    when they follow on the same line, close by (`_COMPLETION` tokens): a name breaks a
    region, so "See editorial note, _The Kennedy Mediation Talks_." was a member ending at
    "The", which the report showed as the instance and as the slot's filler."""
    mapped = [i for i, x in enumerate(mapping) if x is not None and t.fixed[i]]
    closing = [i for i in range(len(mapping)) if t.fixed[i]]
    if not mapped or not closing or mapped[-1] == closing[-1]:
        return m, mapping
    ref = t.members[t.ref]
    ref_keys = docs[ref.doc].keys
    d = docs[m.doc]
    wanted = [i for i in closing if i > mapped[-1]]
    out = list(mapping)
    y = m.end
    for n, i in enumerate(wanted):
        key = ref_keys[ref.start + i]
        # the first closing word within reach; each after it right after the one before
        reach = _COMPLETION if n == 0 else 1
        found = next(
            (x for x in range(y, min(len(d.keys), y + reach)) if d.keys[x] == key),
            None,
        )
        if found is None or any(d.breaks[x] == 2 for x in range(y, found + 1)):
            return m, mapping
        out[i] = (found - m.start, found + 1 - m.start)
        y = found + 1
    return Region(m.doc, m.start, y), out


def _in_apparatus(d: Masked, start: int, end: int) -> bool:
    from docdiff.text.apparatus import apparatus_spans, within

    if d.apparatus is None:
        d.apparatus = apparatus_spans(d.text)
    return within(d.apparatus, start, end)


def _worded(shown: _Shown, own_line: bool = False) -> bool:
    """Two literal words, one of them a content word, and no quotation mark (a session's theme
    or a title in quotes is not the genre's own wording), and more than a sentence's subject
    (`_A_SUBJECT`). A line of its own may hold one word and a date, number or symbol (a
    dateline: "Cablegram {number} {name}, {date}")."""
    words = shown.literal_words >= 2 or (own_line and shown.class_slots >= 1)
    subject = _A_SUBJECT.fullmatch(shown.template) is not None
    return shown.content_words >= 1 and words and not subject and not _quotes(shown.template)


_A_SUBJECT = re.compile(r"[Tt]he [^\W\d_][\w'\u2019-]* \{…\}")
""""The" and one word, then whatever each document says: the subject of the sentence it opens
("The latest {…}", "The memorandum {…}", "The arguments {…}": a short paragraph's or a
footnote's first words in DFAT's later volumes), not a frame of the genre, which says its act
("Repeated to {…}", "Following is {…}") or turns to someone ("Reference your {…}")."""


def _own_line(t: _Template, shown: _Shown, docs: Sequence[Masked]) -> bool:
    """The template opens a short line (a heading, a dateline, a footnote) in 60% of its
    instances."""
    lines = 0
    for m, start in _starts(t, shown.lo):
        lines += _opens_at(docs[m.doc], start, line=True) and _short_line(docs[m.doc], start)
    return lines >= 0.6 * len(t.members)


_OPEN_END = re.compile(
    r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\b[A-Z])"
    r"(?<!\bNo)(?<!\bNos)(?<!\bVol)(?<!\bPara)(?<!\bArt)"
    r"(?!(?<=\w)[.:]\w)(?!(?<=\b[a-z])\.[a-z]\.)[.;:!?\[\]()]"
    r"|(?<=\b[Nn]o)\.(?!\s*\d)"
)
"""Where an open slot's filler stops (a title's or an initial's full stop does not stop it:
"thank Mr. X", "the U.K. Government"; nor an abbreviation's before its number: "No. 60"; nor
a point or colon inside a number or a word, nor the first point of "p.m.": "6.35 p.m",
"paragraph 3.2", "at 10:30", "<jaraco@jaraco.com>", "docs.python.org")."""


def _slot_classes(t: _Template, shown: _Shown, docs: Sequence[Masked]) -> list[str | None]:
    """The class each printed slot stands for ("number" for "{number}"), None for a slot of
    any words ("{…}")."""
    ref = t.members[t.ref]
    d = docs[ref.doc]
    out: list[str | None] = []
    for a, b in shown.slots:
        kind = d.kinds[ref.start + a] if b == a + 1 and a < len(t.fixed) and t.fixed[a] else ""
        out.append(kind if kind in _CLASSES else None)
    return out


def _slot_examples(
    slots: list[tuple[int, int]],
    sample: list[tuple[Region, list[tuple[int, int] | None]]],
    docs: Sequence[Masked],
    classes: Sequence[str | None],
) -> tuple[tuple[str, ...], ...]:
    """The most common fillers of each slot (original text) among the members given: one per
    document, all of the formula's documents (not the first few in path order, which would show
    the fillers of whichever documents sort first). A filler spelt with a space after a hyphen
    ("seventy- fourth", where a line's end was once) counts as the word it breaks
    ("seventy-fourth"), shown as most members spell it. A class slot shows fillers of its
    class only (`classes`): "at its current session", a member of "of the General Assembly at
    its {number} session", does not show "current" as a number."""
    found: list[Counter[str]] = [Counter() for _ in slots]
    spellings: list[dict[str, Counter[str]]] = [{} for _ in slots]
    for region, mapping in sample:
        for s, (slot, kind) in enumerate(zip(slots, classes, strict=True)):
            text = _filler(region, mapping, slot, docs[region.doc], kind)
            if text:
                key = _BROKEN_HYPHEN.sub("-", text)
                found[s][key] += 1
                spellings[s].setdefault(key, Counter())[text] += 1
    return tuple(
        tuple(spelt[key].most_common(1)[0][0] for key, _ in c.most_common(_EXAMPLES))
        for c, spelt in zip(found, spellings, strict=True)
    )


def _spelled_number(d: Masked, start: int, end: int) -> bool:
    """Whether tokens ``[start, end)`` are one number word the masking leaves a word
    (`NUMBER_WORDS`: "fifteenth", "twelve"; "sixty-ninth" is masked as a number already)."""
    return end == start + 1 and d.keys[start] in NUMBER_WORDS


_BROKEN_HYPHEN = re.compile(r"(?<=\w)-\s+(?=\w)")
"""A hyphen and a space inside a word, where a line's end once broke it ("seventy- fourth")."""


def _filler(
    region: Region,
    mapping: list[tuple[int, int] | None],
    slot: tuple[int, int],
    d: Masked,
    kind: str | None = None,
) -> str:
    """What one member puts in a slot: the text between the fixed words around it (for the open
    slot at the end, the next few words up to a punctuation mark); nothing when the slot is of
    class `kind` and the member's token there is not."""
    a, b = slot
    own = mapping[a] if b == a + 1 else None
    if own is not None:  # a class slot ("{date}") the member fills with its own token
        start = region.start + own[0]
        end = start + 1
        if kind is not None and start < len(d.kinds) and d.kinds[start] != kind:
            return ""
    elif kind is not None and kind != "number":
        return ""  # other words where the class stands
    else:
        left = next((mapping[i] for i in range(a - 1, -1, -1) if mapping[i]), None)
        right = next((mapping[i] for i in range(b, len(mapping)) if mapping[i]), None)
        start = region.start + (left[1] if left else 0)
        if a == b:  # up to six words, on the same line ("Yours sincerely, {…}" ends the letter)
            stop = min(len(d.keys), start + 6)
            end = next((x for x in range(start + 1, stop) if d.breaks[x] == 2), stop)
        else:
            end = region.start + (right[0] if right else region.end - region.start)
    if end <= start or start >= len(d.keys):
        return ""
    if kind == "number" and own is None and not _spelled_number(d, start, end):
        return ""  # other words where a number stands: "at its current session"
    if a != b and d.keys[end - 1] in _OPENER and _OPENER[d.keys[end - 1]] not in d.keys[start:end]:
        # A bracket the member opened before the template closes after the filler: "(see
        # editorial note, _1964 Tripartite Talks_ )." fills "See editorial note, {…}." with
        # "1964 Tripartite Talks", not "… Talks )".
        end -= 1
        if end <= start:
            return ""
    opened = _unclosed(d.keys[start:end])
    if opened and a != b:
        # A bracket the filler opens runs to its closing one on the line: a member's region
        # ends at the "[" of "Cablegram 114, GENEVA, [20 January 1949]", and a class slot's
        # own token is the "[" of "[PARIS]".
        closer = _CLOSER[d.keys[start + opened[-1]]]
        close = _closing_at(d, end, closer, _SHORT_LINE)
        end = close + 1 if close is not None else end
    text = _EMPHASIS.sub("", _LINE_END_HYPHEN.sub("-", d.text[d.starts[start] : d.ends[end - 1]]))
    if a == b:
        text = _before_closing_quote(_OPEN_END.split(text, maxsplit=1)[0])
    # A dash that glues the filler to the fixed word after it is no part of it:
    # "(Due to arrive Melbourne-16.5.25)" fills "{…}" with "Melbourne".
    return " ".join(_GLUE_DASH.sub("", text).split())


def _before_closing_quote(text: str) -> str:
    """An open slot's filler up to the quotation mark, backtick or angle bracket that closes one
    the template opened before the slot (an odd number of a straight mark, a closing one that
    none in the filler opens): "gcc-12-base" of "use `apt changelog {…}`", not
    "gcc-12-base`"; "basename" of "Full documentation <https://…/coreutils/{…}>"."""
    for mark, closer in _OPEN_QUOTES.items():
        at = text.find(closer)
        if at <= 0:
            continue
        if closer == ">" and not _closes_an_address(text, at):
            continue  # a comparison: "aiohappyeyeballs>=2.5.0", "x > 3"
        unmatched = text.count(mark) % 2 == 1 if mark == closer else mark not in text[:at]
        if unmatched:
            text = text[:at]
    return text


def _closes_an_address(text: str, at: int) -> bool:
    """The ">" at `at` closes a web or mail address: glued to it, and the filler ends there or
    a space or a closing mark follows ("…/coreutils/basename>", not "aiohappyeyeballs>=2.5")."""
    after = text[at + 1 : at + 2]
    return not text[at - 1].isspace() and (not after or after.isspace() or after in ".,;:)]")


_GLUE_DASH = re.compile(r"(?<=\w)[-–—]+$")
"""A dash ending a filler, right after its last word."""


_LINE_END_HYPHEN = re.compile(r"(?<=\w)-[ \t]*\r?\n\s*(?=\w)")
"""A word hyphenated at a line's end ("sixty-" / "third"): one word in a filler."""


_ADDRESS_RE = re.compile(r"(?<!\S)[^\s{}]*(?:://|/[^\s{}/]+/)[^\s{}]*(?!\S)")
"""A web address or a path of two slashes or more, written without a slot."""


def _addresses_glued(template: str) -> str:
    """`template` with each web address or path (`_ADDRESS_RE`) as one word: its words are no
    words of the formula ("copyright" of ".../copyright-format/1.0/" in "Format: https://…"
    is not the field "Copyright: {number}", which would be listed under it as its wording)."""
    return _ADDRESS_RE.sub(lambda m: "".join(re.findall(r"\w+", m.group())) or " ", template)


def _fixed_words(template: str) -> str:
    words = re.findall(r"\w+", re.sub(r"\{[^{}]*\}", " ", template).lower())
    return f" {' '.join(words)} "


_SLOT_RUN = re.compile(r"\{[^{}]*\}(?:[^\w{}]*\{[^{}]*\})+")
"""Slots with only marks between them."""


def to_lexicon(formulae: Sequence[Formula]) -> str:
    """The templates as a lexicon file that ``--formulae`` accepts back, each formula's other
    wordings after it (a lexicon template matches one wording); a wording the lexicon cannot
    take (fewer than two fixed words) stays in the file as a comment saying why. A formula's
    wordings share one label, so that they are one family read back: the lexicon family the
    formula is marked with, else its first literal words ("of-the-general-assembly-at")."""
    from docdiff.engine.lexicon import compile_template

    lines = ["# Formulae mined by `docdiff formulae` (one template a line; {…} is a slot)."]
    labels: set[str] = set()
    for f in formulae:
        label = _label(f, labels)
        for n, g in enumerate((f, *f.variants)):
            dates = f", {g.first_date} to {g.last_date}" if g.first_date else ""
            wording = "another wording, " if n else ""
            lines.append(f"# {wording}in {g.doc_freq} documents{dates}")
            # The lexicon reads ( ) [ ] | # as syntax; the words and slots are what match.
            # Slots with no word between them ("Cablegram {…} {name}, {date}") are one slot
            # there: the lexicon refuses slots side by side.
            plain = " ".join(re.sub(r"[()\[\]|#]", " ", g.template).split())
            line = _SLOT_RUN.sub(SLOT, plain)
            try:
                compile_template(line)
            except ValueError as exc:
                # A marking ("SECRET") or a bare citation ("AA:{symbol}, {symbol}") has too
                # few words to find as a formula: shown, not read back.
                why = str(exc).replace(f"template {line!r} ", "")
                lines.append(f"# not read back ({why}): {line}")
                continue
            lines.append(f"{label}: {line}")
    return "\n".join(lines) + "\n"


def _label(f: Formula, taken: set[str]) -> str:
    """A lexicon label for formula `f` that `taken` does not hold yet (then added to it)."""
    # (A label is ASCII letters, digits and "-": the literal words kept to those.)
    words = [re.sub(r"[^a-z0-9]", "", w.lower()) for w in _literal_word_list(f.template)]
    base = f.lexicon or "-".join([w for w in words if w][:_LABEL_WORDS]) or "formula"
    label, n = base, 1
    while label in taken and not f.lexicon:
        n += 1
        label = f"{base}-{n}"
    taken.add(label)
    return label


_LABEL_WORDS = 5


def _corpus_of(
    source: CorpusIndex | Sequence[Document], *, where: str | None, progress: Progress | None
) -> CorpusArrays:
    """The documents to mine; documents given in memory are not tokenized (the miner masks)."""
    from docdiff.corpus.scan import CorpusArrays, load_corpus

    if not isinstance(source, Sequence):
        return load_corpus(source, where=where, progress=progress)
    from docdiff.corpus.metadata import parse_where
    from docdiff.corpus.scan import _unique_ids

    predicate = parse_where(where) if where else None
    if predicate is not None:
        predicate.check_fields(d.meta for d in source)
    docs = [d for d in source if predicate is None or predicate(d.meta)]
    _unique_ids(docs)

    def fetch(positions: Sequence[int]) -> list[Document]:
        return [docs[p] for p in positions]

    return CorpusArrays([d.id for d in docs], [d.meta for d in docs], [], fetch)


def formulae_report(
    source: CorpusIndex | Sequence[Document],
    *,
    where: str | None = None,
    k: int = 4,
    min_docs: int | None = None,
    limit: int = 40,
    progress: Progress | None = None,
    lexicon: Lexicon | None = None,
    lexicon_file: str | None = None,
) -> Report:
    """A report holding the mined formulae (and the documents their examples come from); the
    formulae `lexicon` knows (default: the built-in one; `lexicon_file`: the user's file merged
    into it, named in the settings) are listed on their spread alone."""
    corpus = _corpus_of(source, where=where, progress=progress)
    found, families, unplaced = _mined(
        corpus, k=k, min_docs=min_docs, limit=limit, progress=progress, lexicon=lexicon
    )
    # Two templates left out may read alike (masked the same, mined from different regions):
    # a report counts and names each wording once.
    families, unplaced = list(dict.fromkeys(families)), list(dict.fromkeys(unplaced))
    position = {doc_id: i for i, doc_id in enumerate(corpus.ids)}
    shown = [g for f in found for g in (f, *f.variants)]
    needed = sorted({position[m.doc] for f in shown for m in f.members})
    documents = tuple(corpus.fetch(needed))
    settings: dict[str, object] = {
        "where": where,
        "kgram": k,
        "min_docs": min_docs,
        "limit": limit,
        "documents_scanned": len(corpus),
        "report": "formulae",
        "formulae": lexicon_file,
        # Fewer than `GENRE_SENDERS` named: the formulae are read as if none were; none named
        # or none dated: the spread over senders and years was not asked (`_many_senders`,
        # `_Years`).
        **corpus_senders(corpus.metas).settings(),
        "documents_dated": sum(1 for m in corpus.metas if date_of(m)),
        # Left out as one family's wording (`_not_one_family`): how many, and the first few.
        "one_family_left_out": len(families),
        "one_family_examples": families[:_FAMILY_EXAMPLES],
        # Left out where the corpus shows no genre, as lines of the text's own or as wording
        # in too few documents (`_where_no_genre_shows`): how many, and the first few.
        "no_genre_left_out": len(unplaced),
        "no_genre_examples": unplaced[:_FAMILY_EXAMPLES],
    }
    return Report("scan", documents, (), formulae=found, settings=settings)


_FAMILY_EXAMPLES = 3
"""Templates left out as one family's wording that a report names."""
