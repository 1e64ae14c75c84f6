"""The formula lexicon: templates of the genre's fixed courtesy and procedural language.

A lexicon file has one template a line; ``#`` starts a comment. In a template:

* plain words are matched on their fuzzy keys (``honour`` also matches ``honor``);
* ``{…}``, ``{}`` or ``{name}`` is a slot of one to sixteen words; two slots need a word that
  is always there between them (slots side by side would be tried in every split);
* no instance runs across the end of a sentence (given the text, `Lexicon.find`): a formula is
  said within one, and a slot that ran on into the next sentence would make a thanks to the
  Secretary-General "for his dedication ... . Uganda welcomes the theme of this session" an
  instance of a thanks ending in "session";
* ``(a|b|c d)`` is a choice between alternatives (each may be several words);
* ``[words]`` is optional.

A line may start with ``label:`` (letters, digits, ``-`` and ``_``). Templates sharing a label
form one family: two documents that each use a template of the family share that formula, even
when they word it differently ("I have the honour to inform you" / "has the honour to refer to").

``label (inline):`` marks a stock phrase that stands inside sentences ("international peace and
security"). It changes no passage: a shared passage that is the phrase, give or take two words
and a few function words, is called a formula once the passages are found; a longer passage
around one stays phrasing and whole; two documents do not share it merely by each using it
somewhere. Its instances are found apart from the other templates' (`Lexicon.find_stock`), so it
never displaces one.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import compress, pairwise
from pathlib import Path

from docdiff.errors import LexiconError
from docdiff.text.names import HONORIFICS, STYLE_POSSESSIVES, TITLE_DOT
from docdiff.text.tokens import Tokens, tokenize

__all__ = ["FormulaHit", "Lexicon", "Template", "as_said"]

_LABEL_RE = re.compile(r"^([A-Za-z0-9_-]+)(\s+\(inline\))?:\s+(.*)$")
_SLOT_RE = re.compile(r"\{[^{}]*\}")
_MAX_SLOT = 16
_SLOT_BODY = rf"(?:[^ |]+ ){{1,{_MAX_SLOT}}}?"
"""A slot in a template's expression: one to `_MAX_SLOT` words, as few as will do, none of them
a sentence stop's ``|`` (`_join`)."""


@dataclass(frozen=True, slots=True)
class Template:
    """One lexicon template, compiled to a regular expression over space-joined fuzzy keys."""

    family: str
    text: str
    body: str
    """The regular expression over space-joined fuzzy keys, compiled on first use (`pattern`):
    a document holding none of a template's required words never needs it."""
    fixed_words: int
    """How many literal words the shortest instance has (its weight)."""
    required: frozenset[str] = frozenset()
    """Keys every instance contains: a document lacking one is skipped without a search."""
    open_end: bool = False
    """The template ends in a slot, so an instance runs on to the end of its clause."""
    inline: bool = False
    """A stock phrase inside sentences (``label (inline):``), matched by `Lexicon.find_stock`."""
    choices: tuple[tuple[tuple[str, ...], ...], ...] = ()
    """The choices ``(a|b c)`` outside optional parts whose every alternative holds words of
    its own (those keys, one tuple an alternative): every instance holds one alternative's
    words, so a choice anchors a search as a required word does."""

    @property
    def pattern(self) -> re.Pattern[str]:
        """The compiled `body` (compiling the built-in lexicon's alternations up front cost
        about 20 ms of every run that compares)."""
        return _compiled(self.body)


@dataclass(frozen=True, slots=True)
class FormulaHit:
    """An instance of a template in a token sequence: tokens ``[start, end)``."""

    template: Template
    start: int
    end: int


class Lexicon:
    """A set of formula templates, matched against token keys."""

    def __init__(self, templates: Sequence[Template] = ()) -> None:
        self.templates: tuple[Template, ...] = tuple(t for t in templates if not t.inline)
        """The formulae proper, matched by `find`."""
        self.stock: tuple[Template, ...] = tuple(t for t in templates if t.inline)
        """The stock phrases inside sentences (inline templates), matched by `find_stock`."""

    def __len__(self) -> int:
        return len(self.templates) + len(self.stock)

    @classmethod
    def builtin(cls) -> Lexicon:
        """The built-in lexicon of diplomatic-correspondence formulae."""
        return _builtin()

    @classmethod
    def parse(cls, text: str, *, source: str = "<lexicon>", trusted: bool = False) -> Lexicon:
        """A lexicon from the text of a lexicon file (`trusted`: the built-in lexicon's, whose
        templates a test checks once, not every process, for the cost of their search)."""
        templates = []
        for lineno, raw in enumerate(text.splitlines(), 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            try:
                templates.append(compile_template(line, checked=not trusted))
            except ValueError as exc:
                raise LexiconError(source, f"line {lineno}: {exc}") from None
            except RecursionError:
                raise LexiconError(source, f"line {lineno}: brackets nested too deeply") from None
        return cls(templates)

    @classmethod
    def load(cls, path: str | Path) -> Lexicon:
        """A lexicon from a file; raises LexiconError when it cannot be read or parsed."""
        p = Path(path)
        try:
            data = p.read_bytes()
        except FileNotFoundError:
            raise LexiconError(str(path), "no such file") from None
        except IsADirectoryError:
            raise LexiconError(str(path), "is a directory, not a lexicon file") from None
        except OSError as exc:
            raise LexiconError(str(path), f"cannot read: {exc.strerror or exc}") from None
        if b"\0" in data:
            raise LexiconError(str(path), "binary data, not a lexicon file")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise LexiconError(str(path), "not UTF-8 text") from None
        return cls.parse(text, source=str(path))

    def families(self) -> dict[str, str]:
        """Each template's text (stock phrases included) -> its family label."""
        return {t.text: t.family for t in (*self.templates, *self.stock)}

    def merged(self, other: Lexicon) -> Lexicon:
        """This lexicon plus another's templates."""
        return Lexicon((*self.templates, *self.stock, *other.templates, *other.stock))

    def find(
        self,
        keys: Sequence[str],
        *,
        counts: Mapping[str, int] | None = None,
        text: tuple[str, Tokens] | None = None,
    ) -> list[FormulaHit]:
        """Every non-overlapping template instance in a sequence of fuzzy keys (`counts`: how
        often each key occurs in them, when the caller knows). Stock phrases are not among them
        (`find_stock`). `text`: the text and the tokens the keys are of, so that no instance
        runs across a sentence end (`sentence_stops`)."""
        return _find(self.templates, keys, counts, text)

    def find_stock(
        self,
        keys: Sequence[str],
        *,
        counts: Mapping[str, int] | None = None,
        text: tuple[str, Tokens] | None = None,
    ) -> list[FormulaHit]:
        """Every non-overlapping instance of the stock phrases (inline templates), found apart
        from the formulae proper, which they may overlap."""
        return _find(self.stock, keys, counts, text)


def _find(
    templates: Sequence[Template],
    keys: Sequence[str],
    counts: Mapping[str, int] | None,
    text: tuple[str, Tokens] | None,
) -> list[FormulaHit]:
    if not templates or not keys:
        return []
    counts = counts if counts is not None else Counter(keys)
    hits = _search(templates, keys, counts, ())
    if text is not None and hits:
        # The templates an instance of which ran across a sentence end are searched again,
        # kept within sentences: the ends inside instances are the only ones a search crosses.
        stops = sentence_stops(*text, [(h.start, h.end) for h in hits])
        if stops:
            crossed = {h.template for h in hits if _crosses(h, stops)}
            again = [t for t in templates if t in crossed]
            hits = [h for h in hits if h.template not in crossed]
            hits += _search(again, keys, counts, stops)
    return _non_overlapping(hits)


def _crosses(hit: FormulaHit, stops: Sequence[int]) -> bool:
    """Whether a sentence opens inside `hit` (at one of the sorted `stops`)."""
    i = bisect.bisect_right(stops, hit.start)
    return i < len(stops) and stops[i] < hit.end


_STOP = re.compile(r"[.!?\u3002\uff01\uff1f]")


def sentence_stops(text: str, tokens: Tokens, spans: Iterable[tuple[int, int]]) -> list[int]:
    """The tokens inside `spans` (token ranges ``[start, end)``) that open a new sentence: the
    gap before them holds a full stop, a question or an exclamation mark, and they start with
    a letter that is not lower case (a full stop before a lower-case word or a number, "No. 5",
    "p.m. on", ends nothing), a title's abbreviation or an initial aside ("Mr. Guterres", "E.
    R. Walker")."""
    starts, ends = tokens.starts, tokens.ends
    out: set[int] = set()
    for lo, hi in spans:
        if hi - lo < 2:
            continue
        for m in _STOP.finditer(text, ends[lo], starts[hi - 1]):
            i = bisect.bisect_right(starts, m.start(), lo + 1, hi)
            if m.start() < ends[i - 1] or i in out:
                continue  # inside a word ("U.S.")
            first = text[starts[i]]
            if m.group() == "." and (
                first.islower()
                or first.isdigit()
                or TITLE_DOT.search(text, max(0, m.start() - 9), m.end()) is not None
                or _titled(tokens, i)
            ):
                continue
            out.add(i)
    return sorted(out)


def _titled(tokens: Tokens, i: int) -> bool:
    """Whether token `i` opens a title ("Mr.", "Sir", "His Excellency"): a full stop before
    one is more often a comma misread in a record scanned to text ("I thank his predecessor.
    Mr. Csaba Korosi. for his leadership", "congratulate you. Sir. on your election": UN 2023)
    than the end of a sentence."""
    forms = tokens.forms
    return forms[i] in HONORIFICS or (
        forms[i] in STYLE_POSSESSIVES and i + 1 < len(forms) and forms[i + 1] in _STYLES
    )


_STYLES = frozenset({"excellency", "excellencies", "majesty", "majesties", "highness"})


def _search(
    templates: Sequence[Template],
    keys: Sequence[str],
    counts: Mapping[str, int],
    stops: Sequence[int],
) -> list[FormulaHit]:
    """Every instance of `templates` in `keys`, overlapping ones too, none across `stops`."""
    long = len(keys) >= 4 * _WINDOW
    # Each template searched only around its rarest anchor (on a long document): the places
    # of those words alone are listed.
    chosen: dict[Template, tuple[str, ...] | None] = {}
    for template in templates:
        anchor = _anchor(template, counts, len(keys) if long else 0)
        if anchor != ():  # (): a required word or a whole choice is missing
            chosen[template] = anchor
    where: dict[str, list[int]] = {k: [] for w in chosen.values() if w for k in w}
    if long and where:
        for i in compress(range(len(keys)), map(where.__contains__, keys)):
            where[keys[i]].append(i)
    joined, starts = _join(keys, stops)
    hits: list[FormulaHit] = []
    for template, anchor in chosen.items():
        if anchor is None or not long:
            spans = [(0, len(joined))]
        else:
            # Search only around the template's rarest anchor: on a long document that is
            # a few short windows instead of every position of the text.
            if len(anchor) == 1:
                places = where[anchor[0]]
            else:
                places = sorted({i for k in anchor for i in where[k]})
            spans = _windows(places, starts, len(keys), len(joined))
        found: set[tuple[int, int]] = set()
        for lo, hi in spans:
            for m in template.pattern.finditer(joined, lo, hi):
                start = bisect.bisect_left(starts, m.start())
                end = bisect.bisect_left(starts, m.end())
                if end > start and (start, end) not in found:
                    found.add((start, end))
                    hits.append(FormulaHit(template, start, end))
    return hits


def _anchor(template: Template, counts: Mapping[str, int], n_keys: int) -> tuple[str, ...] | None:
    """The keys around whose places `template` is searched in keys counted by `counts` (a
    long document of `n_keys` keys, 0 for a short one): its rarest required word or, when
    that one has more than `_FEW_PLACES` places or there is none, its rarest choice if rarer
    (the rarest words of each alternative). () when an instance needs a word the keys lack;
    None when nothing anchors the template (the whole text is searched)."""
    best: tuple[str, ...] | None = None
    cost = 0
    if template.required:
        key = min(template.required, key=lambda k: counts.get(k, 0))
        cost = counts.get(key, 0)
        if not cost:
            return ()
        best = (key,)
        if cost <= _FEW_PLACES or not n_keys:
            return best
    for choice in template.choices:
        words = [min(alt, key=lambda k: counts.get(k, 0)) for alt in choice]
        total = sum(counts.get(k, 0) for k in words)
        if not total:
            return ()
        if best is None or total < cost:
            best, cost = tuple(dict.fromkeys(words)), total
    return best


_FEW_PLACES = 4
"""Places of a required word around which a search costs less than working out whether a
choice of the template is rarer."""

_WINDOW = 64
"""Tokens searched either side of an anchor word (longer than any template instance)."""


def _windows(
    positions: list[int], starts: list[int], n_tokens: int, n_chars: int
) -> list[tuple[int, int]]:
    """Character ranges of the joined keys within `_WINDOW` tokens of each anchor, merged."""
    out: list[tuple[int, int]] = []
    for p in positions:
        lo = starts[max(0, p - _WINDOW)]
        hi = starts[p + _WINDOW] if p + _WINDOW < n_tokens else n_chars
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _join(keys: Sequence[str], stops: Sequence[int] = ()) -> tuple[str, list[int]]:
    """The keys joined by spaces, with ``| `` before each key of `stops` (sorted): no word of
    a template nor a slot matches it, so no instance runs across it; and each key's start."""
    # (numpy is imported here, not with the module: the lexicon alone does not need it.)
    import numpy as np

    # Each key starts one past the end of the one before (summed in bulk), two more past a stop.
    starts = np.zeros(len(keys), dtype=np.int64)
    gaps = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys)) + 1
    if not stops:
        np.cumsum(gaps[:-1], out=starts[1:])
        return " ".join(keys) + " ", starts.tolist()
    gaps[np.asarray(stops, dtype=np.int64) - 1] += 2
    np.cumsum(gaps[:-1], out=starts[1:])
    bounds = [0, *stops, len(keys)]
    joined = "| ".join(" ".join(keys[lo:hi]) + " " for lo, hi in pairwise(bounds))
    return joined, starts.tolist()


def _non_overlapping(hits: Iterable[FormulaHit]) -> list[FormulaHit]:
    # Longest instances win; ties go to the earlier one.
    chosen: list[FormulaHit] = []
    taken: list[tuple[int, int]] = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), h.start)):
        if all(hit.end <= s or hit.start >= e for s, e in taken):
            chosen.append(hit)
            taken.append((hit.start, hit.end))
    chosen.sort(key=lambda h: h.start)
    return chosen


def compile_template(line: str, *, checked: bool = True) -> Template:
    """Compile one template line (with an optional ``label:``) to a `Template`; unless
    `checked` is false, one that could match in too many ways (`_ambiguity`) is refused."""
    family = ""
    inline = False
    m = _LABEL_RE.match(line)
    if m and "{" not in m.group(1):
        family, inline, line = m.group(1), m.group(2) is not None, m.group(3)
    body, shape, choices, _ = _compile_sequence(line.strip())
    if not body.strip():
        raise ValueError("template has no words")
    fixed = _count_fixed(line)
    if fixed < 2:
        raise ValueError(f"template {_quoted(line)} needs at least two fixed words")
    if shape[3]:  # two slots may stand side by side
        # Two slots side by side ("{…} {…}", or "{…} [the] {…}" without "the") may split
        # their words in every way: a search that fails tries them all, and a hostile
        # template with a few such slots runs for minutes on a page of text.
        raise ValueError(
            f"template {_quoted(line)} has two slots with no word between them that is always "
            "there; one slot takes one to sixteen words"
        )
    problem = _ambiguity(line.strip()) if checked else None
    if problem:
        raise ValueError(f"template {_quoted(line)} {problem}")
    open_end = line.rstrip().endswith("}")
    return Template(
        family or line, line, body, fixed, _required(line), open_end, inline, tuple(choices)
    )


def _quoted(line: str, width: int = 80) -> str:
    """A template as an error message quotes it: whole, or its first `width` characters (a
    hostile line may be thousands long, and the message is one line)."""
    return repr(line if len(line) <= width else line[: width - 1] + "…")


_MAX_SLOTS = 4
"""The most slots a template holds (the built-in lexicon's most): a search that fails tries
the ways its slots can share out the words between the template's own, up to sixteen words a
slot, and those ways grow as the sixteenth power of the slots."""

_MAX_READINGS = 256
"""The most ways a template may read one run of words with its own words (see `_ambiguity`;
the built-in lexicon's most is 3)."""

_MAX_TRIES = 1 << 18
"""The most readings of a template's words times the ways its slots can take theirs (sixteen
a slot): the built-in lexicon's most is 3 * 16**4, the congratulation's four slots around
words read in three ways (a template of that cost searched a window of 123 words made to
defeat it in 1.5 s; eight optional words before four slots, 70 * 16**4, past five minutes)."""

_MAX_RUN = 48
"""The longest run of words `_ambiguity` follows (longer than any instance of a template it
accepts, slots aside)."""

_MAX_STATES = 20_000
"""The most sets of places `_ambiguity` follows before it calls a template too intricate."""


def _ambiguity(text: str) -> str | None:
    """What makes template `text` too costly to search for, or None. A regular expression
    search that fails tries every way a template could have matched: when a word may be read
    as more than one word of the template ("[a] [a] b", "(a|a a) (a|a a)"), those ways grow
    exponentially with the template's parts, and a hostile lexicon of one line held a search
    (and the language server's engine) for minutes on a few lines of text. The readings are
    counted on the template's places (its words; a slot reads words the template does not
    hold), following every run of words its own words can spell, up to `_MAX_RUN` words."""
    places, follow, start = _places(text)
    slots = sum(p is None for p in places)
    if slots > _MAX_SLOTS:
        return f"has more than {_MAX_SLOTS} slots"
    frontier: set[tuple[tuple[int, int], ...]] = {((-1, 1),)}
    seen = set(frontier)
    readings = 1
    for _ in range(_MAX_RUN):
        reached: set[tuple[tuple[int, int], ...]] = set()
        for state in frontier:
            # The places the next word may take, by the word they read, with the readings
            # that reach each.
            by_letter: dict[str | None, dict[int, int]] = {}
            for place, n in state:
                for q in start if place < 0 else follow.get(place, ()):
                    counts = by_letter.setdefault(places[q], {})
                    counts[q] = counts.get(q, 0) + n
            for counts in by_letter.values():
                if sum(counts.values()) > _MAX_READINGS:
                    return (
                        f"may read one run of words in more than {_MAX_READINGS} ways "
                        "(choices or optional parts that overlap one another); write it so "
                        "each word has one place"
                    )
                readings = max(readings, sum(counts.values()))
                after = tuple(sorted(counts.items()))
                if after not in seen:
                    if len(seen) >= _MAX_STATES:
                        return "is too intricate to search for (too many overlapping parts)"
                    seen.add(after)
                    reached.add(after)
        if not reached:
            break
        frontier = reached
    if readings * _MAX_SLOT**slots > _MAX_TRIES:
        return (
            f"could be tried in too many ways ({readings} readings of its words, each with "
            f"{slots} slots of up to sixteen words); give it fewer slots or fewer overlapping "
            "parts"
        )
    return None


def _places(text: str) -> tuple[list[str | None], dict[int, set[int]], set[int]]:
    """Template `text`'s places in order (each word's key; None for a slot), which places may
    follow each (a slot also follows itself), and the places it may begin with."""
    places: list[str | None] = []
    follow: dict[int, set[int]] = {}

    def walk(seq: str) -> tuple[bool, set[int], set[int]]:
        # (Whether the sequence may match nothing, its first places, its last places.)
        nullable, first, last = True, set[int](), set[int]()

        def add(part: tuple[bool, set[int], set[int]]) -> None:
            nonlocal nullable, first, last
            part_null, part_first, part_last = part
            for p in last:
                follow.setdefault(p, set()).update(part_first)
            if nullable:
                first = first | part_first
            last = last | part_last if part_null else set(part_last)
            nullable = nullable and part_null

        i, n = 0, len(seq)
        while i < n:
            c = seq[i]
            if c.isspace():
                i += 1
            elif c == "{":
                places.append(None)
                slot = len(places) - 1
                follow.setdefault(slot, set()).add(slot)
                add((False, {slot}, {slot}))
                i = seq.index("}", i) + 1
            elif c == "[":
                j = _closing(seq, i, "[", "]")
                add((True, *walk(seq[i + 1 : j])[1:]))
                i = j + 1
            elif c == "(":
                j = _closing(seq, i, "(", ")")
                # Options alike once normalised are one option (as `_compile_sequence` has it).
                options = {
                    _compile_sequence(option)[0]: option for option in _split_top(seq[i + 1 : j])
                }
                walked = [walk(option) for option in options.values()]
                add(
                    (
                        any(w[0] for w in walked),
                        set().union(*(w[1] for w in walked)),
                        set().union(*(w[2] for w in walked)),
                    )
                )
                i = j + 1
            else:
                j = _WORD_RUN.match(seq, i).end()  # type: ignore[union-attr]
                for key in _word_keys(seq[i:j]):
                    places.append(key)
                    add((False, {len(places) - 1}, {len(places) - 1}))
                i = j
        return nullable, first, last

    _, start, _ = walk(text)
    return places, follow, start


@lru_cache(maxsize=1024)
def _compiled(body: str) -> re.Pattern[str]:
    # Bounded: a language server running for days may load many versions of a user's lexicon.
    return re.compile(r"(?<![^ ])" + body)


def _required(line: str) -> frozenset[str]:
    # Words outside every (), [] and {} group must appear in any instance.
    depth = 0
    out = []
    for c in line:
        if c in "([{":
            depth += 1
            out.append(" ")
        elif c in ")]}":
            depth -= 1
            out.append(" ")
        else:
            out.append(c if depth == 0 else " ")
    return frozenset(tokenize("".join(out)).keys)


def _count_fixed(line: str) -> int:
    stripped = re.sub(r"\[[^\]]*\]", " ", _SLOT_RE.sub(" ", line))
    stripped = re.sub(r"\(([^|)]*)(\|[^)]*)?\)", r" \1 ", stripped)
    return len(tokenize(stripped))


def as_said(template: str, text: str) -> str | None:
    """Lexicon template `template` as `text` says it: its first instance there, in the text's
    own words, case and punctuation, with each slot's words replaced by "{…}" ("please
    (give|pass|convey) [the] following [(message|text)] [{…}] to {…}" in "Please pass the
    following message from the Prime Minister to the Tunku." is "Please pass the following
    message {…} to {…}"). None when the template does not compile or `text` holds none."""
    pattern = _said_pattern(template)
    tokens = tokenize(text)
    if pattern is None or not tokens.keys:
        return None
    joined = " ".join(tokens.keys) + " "
    found = pattern.search(joined)
    if found is None:
        return None

    def token_at(offset: int) -> int:
        return joined.count(" ", 0, offset)

    first, end = token_at(found.start()), token_at(found.end())
    slots = [
        (token_at(found.start(g)), token_at(found.end(g)))
        for g in range(1, (found.lastindex or 0) + 1)
        if found.start(g) >= 0
    ]
    starts, ends = tokens.starts, tokens.ends
    parts: list[str] = []
    at = first
    for s0, s1 in slots:
        if s0 > at:
            parts.append(text[starts[at] : ends[s0 - 1]])
        parts.append("{…}")
        at = s1
    if end > at:
        parts.append(text[starts[at] : ends[end - 1]])
    said = " ".join(" ".join(part.split()) for part in parts)
    return said or None


@lru_cache(maxsize=256)
def _said_pattern(template: str) -> re.Pattern[str] | None:
    """`template`'s expression with each slot a group (`as_said`), compiled once; None when it
    does not compile (a report read back may name any template)."""
    try:
        compiled = compile_template(template)
    except (ValueError, RecursionError):
        return None
    return re.compile(r"(?<![^ ])" + compiled.body.replace(_SLOT_BODY, f"({_SLOT_BODY})"))


_Shape = tuple[bool, bool, bool, bool]
"""What a part of a template can match, as far as its slots go: whether it may match no word
(an optional group), whether a slot may be the first or the last thing it matches, and whether
two slots may match side by side inside it. (A tuple: a class would cost every process that
loads a lexicon its creation.)"""

_SLOT_SHAPE: _Shape = (False, True, True, False)
_WORD_SHAPE: _Shape = (False, False, False, False)


_Choice = tuple[tuple[str, ...], ...]


def _compile_sequence(text: str) -> tuple[str, _Shape, list[_Choice], list[str]]:
    """A template's sequence as a regular expression over space-joined keys, its `_Shape`,
    the choices outside optional parts whose every alternative holds a word
    (`Template.choices`), and the keys of its own words."""
    parts: list[str] = []
    shapes: list[_Shape] = []
    choices: list[_Choice] = []
    words: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i = _SPACE_RUN.match(text, i).end()  # type: ignore[union-attr]
        elif c == "{":
            j = text.find("}", i)
            if j < 0:
                raise ValueError("unclosed '{'")
            parts.append(_SLOT_BODY)  # (a trailing one takes one word: it is lazy)
            shapes.append(_SLOT_SHAPE)
            i = j + 1
        elif c == "[":
            j = _closing(text, i, "[", "]")
            inner, shape, _, _ = _compile_sequence(text[i + 1 : j])  # (optional: no anchor)
            parts.append(f"(?:{inner})?")
            shapes.append((True, *shape[1:]))
            i = j + 1
        elif c == "(":
            j = _closing(text, i, "(", ")")
            compiled, options, _, held = zip(
                *(_compile_sequence(opt) for opt in _split_top(text[i + 1 : j])), strict=True
            )
            if not any(compiled):
                raise ValueError("empty choice '()'")
            # (Alternatives alike once normalised, "(extend|extending)", are tried once.)
            parts.append("(?:" + "|".join(dict.fromkeys(compiled)) + ")")
            if all(held):  # each alternative holds a word: one of them is always there
                choices.append(tuple(map(tuple, held)))
            e, s, t, a = (any(column) for column in zip(*options, strict=True))
            shapes.append((e, s, t, a))
            i = j + 1
        elif c in "]})|":
            raise ValueError(f"unexpected {c!r}")
        else:
            j = _WORD_RUN.match(text, i).end()  # type: ignore[union-attr]
            keys = _word_keys(text[i:j])
            parts.extend(re.escape(key) + " " for key in keys)
            words.extend(keys)
            if keys:  # (a mark alone matches nothing: "{…}, {…}")
                shapes.append(_WORD_SHAPE)
            i = j
    empty, starts, ends, adjacent = True, False, False, False
    for p_empty, p_starts, p_ends, p_adjacent in shapes:
        adjacent = adjacent or p_adjacent or (ends and p_starts)
        starts = starts or (empty and p_starts)
        ends = p_ends or (ends and p_empty)
        empty = empty and p_empty
    return "".join(parts), (empty, starts, ends, adjacent), choices, words


@lru_cache(maxsize=4096)
def _word_keys(word: str) -> tuple[str, ...]:
    """The keys of one word of a template (tokenized once: most recur from template to
    template, "(i|we)", "the", "of")."""
    return tuple(tokenize(word).keys)


def _closing(text: str, i: int, open_: str, close: str) -> int:
    depth = 0
    for m in _BRACKETS[open_ + close].finditer(text, i):
        if m.group() == open_:
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return m.start()
    raise ValueError(f"unclosed {open_!r}")


def _split_top(text: str) -> list[str]:
    out: list[str] = []
    depth = 0
    last = 0  # where the current alternative starts
    for m in _GROUPING.finditer(text):
        c = m.group()
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif depth == 0:  # a "|" between alternatives
            out.append(text[last : m.start()])
            last = m.end()
    out.append(text[last:])
    return out


# The template parser steps over runs of spaces, words and the text between brackets with
# these searches (in C), not character by character: parsing the built-in lexicon is part of
# the first comparison of every process.
_SPACE_RUN = re.compile(r"\s+")
_WORD_RUN = re.compile(r"[^\s{}\[\]()|]+")
_BRACKETS = {"[]": re.compile(r"[\[\]]"), "()": re.compile(r"[()]")}
_GROUPING = re.compile(r"[()\[\]|]")


@cache
def _builtin() -> Lexicon:
    from docdiff.data import read_bytes

    text = read_bytes("formulae.txt").decode("utf-8")
    return Lexicon.parse(text, source="<built-in lexicon>", trusted=True)
