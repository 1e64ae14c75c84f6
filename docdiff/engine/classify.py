"""Tell what kind of reuse a passage is: one table of ordered rules (`RULES`, `decide`).

The pipeline gathers the facts about a piece (lexicon instances, corpus frequency, the
text-only tests below: names, quotation marks, agenda titles); `decide` applies the first rule
that holds. Each rule has a golden case in ``fixtures/golden/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from docdiff.model import Kind, Span
from docdiff.text.tokens import Tokens, is_stopword

__all__ = [
    "AGENDA_REASON",
    "MIN_PASSAGE_WEIGHT",
    "RULES",
    "Decision",
    "Facts",
    "Rule",
    "agenda_title",
    "closing_bracket",
    "decide",
    "inside_quotes",
    "name_evidence",
]

# Function words that may stand inside a name or title ("Office of the ... for Human Rights").
_NAME_GLUE = frozenset(
    "of the for and on in to at de la le las los el les du des del aux y et ante auprès pour "
    "di da dan untuk".split()
)
_MAX_NAME_WORDS = 16
_PAIRS = (("\u201c", "\u201d"), ("\u00ab", "\u00bb"), ("\u201e", "\u201c"), ("\u2018", "\u2019"))


def name_evidence(text: str, tokens: Tokens, i0: int, i1: int) -> tuple[bool, str]:
    """Whether tokens ``[i0, i1)`` read as a proper name or title, and why."""
    n = i1 - i0
    if n == 0 or n > _MAX_NAME_WORDS:
        return False, f"{n} words: too long for a name"
    content = []
    for i in range(i0, i1):
        key = tokens.keys[i]
        if is_stopword(key):
            if tokens.forms[i] not in _NAME_GLUE:
                return False, f"contains the function word {tokens.forms[i]!r}"
            continue
        content.append(i)
    if not content:
        return False, "no content words"
    capital = 0
    shouted = 0
    for i in content:
        word = text[tokens.starts[i] : tokens.ends[i]]
        if word[:1].isupper():
            capital += 1
            if len(word) > 5 and word.isupper():
                shouted += 1
    if shouted == len(content) and len(content) > 1:
        return False, "an all-capitals heading, not a name"
    if _heading_block(text, tokens.starts[i0], tokens.ends[i1 - 1]):
        return True, "a heading or letterhead block (short lines, no sentence)"
    if capital / len(content) >= 0.75:
        return True, f"{capital} of {len(content)} content words capitalised"
    if capital * 2 >= len(content) and _is_title(text, tokens, i0, i1, content):
        return True, "an official title ('Special Rapporteur on ...') ending in a name"
    return False, f"only {capital} of {len(content)} content words capitalised"


# Heads of official titles whose complement is lower-case ("Special Rapporteur on the
# situation of human rights in ...", "Working Group on Arbitrary Detention").
_TITLE_HEADS = frozenset(
    """
    rapporteur rapporteurs expert experts group representative envoy adviser advisor
    commissioner committee council commission ministry minister office mission embassy court
    tribunal government president secretary assembly programme program fund agency
    organization organisation department delegation
    """.split()
)


def _is_title(text: str, tokens: Tokens, i0: int, i1: int, content: list[int]) -> bool:
    heads = content[:2]
    if not heads or (heads[0] != i0 and not (heads[0] == i0 + 1 and tokens.forms[i0] == "the")):
        return False
    if not all(text[tokens.starts[i]].isupper() for i in heads):
        return False
    if not any(tokens.forms[i] in _TITLE_HEADS for i in heads):
        return False
    return text[tokens.starts[i1 - 1]].isupper()


def _heading_block(text: str, start: int, end: int) -> bool:
    """True when the text spans two or more short lines that hold no sentence."""
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    block = text[lo : hi if hi >= 0 else len(text)]
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    if len(lines) < 2:
        return False
    return all(len(line.split()) <= 8 and not line.endswith((".", ";", ",")) for line in lines)


def inside_quotes(text: str, span: Span, *, reach: int = 600) -> bool:
    """True when `span` stands inside quotation marks within its paragraph."""
    lo = max(0, span.start - reach)
    left = text[lo : span.start]
    cut = max(left.rfind("\n\n"), left.rfind("\r\n\r\n"))
    if cut >= 0:
        left = left[cut:]
    right = text[span.end : span.end + reach]
    cut = right.find("\n\n")
    if cut < 0:
        cut = right.find("\r\n\r\n")
    if cut >= 0:
        right = right[:cut]
    for opener, closer in _PAIRS:
        o = left.rfind(opener)
        if o >= 0 and left.rfind(closer, o + 1) < 0 and closer in right:
            # The closing mark must come before any new opening one on the right.
            c = right.find(closer)
            o2 = right.find(opener)
            if opener == closer or o2 < 0 or c < o2:
                return True
    # Straight double quotes pair up by parity; straight single quotes are apostrophes too
    # often to trust.
    return left.count('"') % 2 == 1 and '"' in right


# --- the kind of a passage: one table of ordered rules ---------------------------------------


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules know about one aligned piece (gathered by the pipeline)."""

    words: int
    """Shared words (equal tokens)."""
    weight: float
    """Summed rarity weight of the shared words."""
    content: tuple[str, ...] = ()
    """The distinct shared content words listed for the reader."""
    rare: int = 0
    """How many of `content` are rare in general language."""
    lexicon_both: str | None = None
    """The lexicon family when both sides lie mostly inside instances of that one family."""
    lexicon_one: tuple[str, str] | None = None
    """(side, family) when one side lies mostly inside a lexicon instance."""
    corpus_common: float | None = None
    """Share of the passage's k-grams among the corpus's frequent ones (None: no corpus)."""
    topic: bool = False
    """A short or name-heavy noun phrase: a topic of the corpus, never its boilerplate."""
    name_a: tuple[bool, str] = (False, "")
    name_b: tuple[bool, str] = (False, "")
    quoted: str | None = None
    """"A" or "B" when the passage itself stands inside quotation marks on that side."""
    agenda: str | None = None
    """"A" or "B" when the passage is the title of a UN agenda item on that side."""


class Decision(NamedTuple):
    """A kind (None: not reported, too light) and the reason shown by ``--explain``."""

    kind: Kind | None
    reason: str


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of the table: a name, a test and the decision it gives."""

    name: str
    test: Callable[[Facts], bool]
    decide: Callable[[Facts], Decision]


MIN_PASSAGE_WEIGHT = 1.5
"""A passage that is not a formula needs this much rare vocabulary (never only stopwords)."""
AGENDA_REASON = "phrasing: the title of a UN agenda item"
"""How the reason of an agenda title begins (the summary leaves these out of distinctive)."""
BANAL_SHARE = 0.5
"""In a corpus, a passage whose k-grams are this often among the frequent ones is banal."""


def _counts(f: Facts) -> str:
    listed = ", ".join(f.content) if f.content else "none"
    return (
        f"{f.words} shared words; {len(f.content)} distinct content words ({listed}), "
        f"{f.rare} of them rare"
    )


def _other(side: str) -> str:
    return "B" if side == "A" else "A"


RULES: tuple[Rule, ...] = (
    Rule(
        "lexicon formula on both sides",
        lambda f: f.lexicon_both is not None,
        lambda f: Decision(
            Kind.FORMULA, f"formula: lies in the lexicon's '{f.lexicon_both}' formula in both"
        ),
    ),
    Rule(
        "banal in the corpus",
        lambda f: f.corpus_common is not None and f.corpus_common >= BANAL_SHARE and not f.topic,
        lambda f: Decision(
            Kind.FORMULA,
            f"formula: {round((f.corpus_common or 0) * 100)}% of its word sequences are among "
            "the corpus's frequent ones (boilerplate of the genre)",
        ),
    ),
    Rule(
        "too light",
        lambda f: f.weight < MIN_PASSAGE_WEIGHT,
        lambda f: Decision(None, f"not reported: too little rare vocabulary ({_counts(f)})"),
    ),
    Rule(
        "a name or title on both sides",
        lambda f: f.name_a[0] and f.name_b[0],
        lambda f: Decision(Kind.NAME, f"name: {f.name_a[1]} (A), {f.name_b[1]} (B)"),
    ),
    Rule(
        "inside quotation marks",
        lambda f: f.quoted is not None,
        lambda f: Decision(
            Kind.QUOTATION, f"quotation: stands inside quotation marks in {f.quoted}"
        ),
    ),
    Rule(
        "lexicon formula on one side",
        lambda f: f.lexicon_one is not None,
        lambda f: Decision(
            Kind.FORMULA,
            f"formula: part of the lexicon's '{f.lexicon_one[1] if f.lexicon_one else ''}' "
            f"formula in {f.lexicon_one[0] if f.lexicon_one else ''}",
        ),
    ),
    Rule(
        "a UN agenda item title",
        lambda f: f.agenda is not None,
        lambda f: Decision(
            Kind.PHRASING,
            f"{AGENDA_REASON} in {f.agenda}, quoted in "
            f"{_other(f.agenda or 'A')}; shared wording, not distinctive phrasing ({_counts(f)})",
        ),
    ),
    Rule(
        "distinctive phrasing",
        lambda f: True,
        lambda f: Decision(
            Kind.PHRASING,
            f"phrasing: {_counts(f)}; not a formula, not a name ({f.name_a[1] or f.name_b[1]})",
        ),
    ),
)


def decide(facts: Facts) -> Decision:
    """The kind of a piece: the first rule of `RULES` whose test holds."""
    for rule in RULES:
        if rule.test(facts):
            return rule.decide(facts)
    raise AssertionError("the last rule always holds")  # pragma: no cover


_AGENDA_LINE = re.compile(
    r"\b(agenda|item\s+\d+|point\s+\d+|punto\s+\d+|пункт\s+\d+)", re.IGNORECASE
)
_AGENDA_INLINE = re.compile(
    r"\b(?:agenda\s+item|item)\s+\d+\s*(?:\(\w\))?\s*[:,.\u2014-]?\s*[\"\u201c]?$", re.IGNORECASE
)


def agenda_title(text: str, span: Span) -> bool:
    """True when `span` is the title of a UN agenda item.

    Either the passage fills most of a line with no sentence punctuation and one of the two
    lines above names an agenda item ("Item 72 of the provisional agenda"), or it follows
    "agenda item 72 (b)" on its own line.
    """
    lo = text.rfind("\n", 0, span.start) + 1
    hi = text.find("\n", span.end)
    line = text[lo : hi if hi >= 0 else len(text)].strip()
    if _AGENDA_INLINE.search(text[lo : span.start]):
        return True
    if not line or len(span) < 0.8 * len(line) or line.endswith((".", ";", "!", "?")):
        return False
    above = [x.strip() for x in text[max(0, lo - 400) : lo].splitlines() if x.strip()][-2:]
    return any(_AGENDA_LINE.search(x) for x in above)


_OPENERS = {"(": ")", "[": "]", "{": "}"}


def closing_bracket(text: str, span: Span) -> Span:
    """`span` extended over a closing bracket that balances one opened inside it."""
    inside = text[span.start : span.end]
    end = span.end
    for opener, closer in _OPENERS.items():
        if inside.count(opener) > inside.count(closer) and text[end : end + 1] == closer:
            end += 1
    return Span(span.start, end)
