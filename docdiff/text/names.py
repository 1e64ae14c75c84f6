"""Where the word of a name starts, for the passes that tell a name's words by their capitals."""

from __future__ import annotations

import re

__all__ = [
    "HONORIFICS",
    "NAME_PARTICLES",
    "STYLE_POSSESSIVES",
    "TITLE_ABBREVIATIONS",
    "TITLE_DOT",
    "capitalised_inside",
    "compound_start",
]

NAME_PARTICLES = frozenset(
    "da das de del della der di do dos du van von den ten ter bin ibn".split()
)
"""The lower-case particles of personal and place names ("Morais da Silva", "van der Stoel",
"Rio de Janeiro", "Mohammed bin Rashid")."""

TITLE_ABBREVIATIONS = r"(?:Mr|Mrs|Ms|Dr|Prof|Messrs|Mme|St|H\.E)\."
"""A title's abbreviation before a name ("Mr. Jeremić"), as a pattern."""

HONORIFICS = frozenset("sir madam mr mrs ms mme".split())
"""The honorifics that open a phrase of address or a name ("Mr. President,", "Madam President,",
"Sir,", "Mr. Korosi"), in lower case."""

STYLE_POSSESSIVES = frozenset("his her your their".split())
"""Possessives that open a style of address ("His Excellency", "Your Majesty", "Her Royal
Highness"), in lower case."""

TITLE_DOT = re.compile(rf"(?:\b{TITLE_ABBREVIATIONS}|\b[A-Z]\.)\Z")
"""A title's abbreviation or an initial, with its full stop, ending the text searched: the
full stop that ends neither a clause nor a sentence ("Mr. Guterres", "Dr. E. R. Walker")."""

_COMPOUND_HEAD = re.compile(r"[\w\u2019'-]*\Z")  # (\Z: $ also matches before a closing line break)


def compound_start(text: str, at: int) -> int:
    """Where the hyphenated compound holding the word at `at` starts ("Ki-moon" from "moon",
    "Secretary-General" from "General"): a word inside one goes by the compound's first
    letter."""
    head = _COMPOUND_HEAD.search(text, max(0, at - 40), at)
    return head.start() if head is not None and head.start() < at else at


_TITLE_BEFORE = re.compile(rf"\b{TITLE_ABBREVIATIONS}\s*$")


def capitalised_inside(text: str, at: int) -> bool:
    """True for a capitalised word at `at` that does not open a sentence (a name or title
    word); a word inside a hyphenated compound ("Ki-moon", "Secretary-General") goes by the
    compound's first letter, and a word after a title ("Mr. Jeremić") by its own."""
    start = compound_start(text, at)
    if not text[start].isupper():
        return False
    window = text[max(0, start - 12) : start]
    if _TITLE_BEFORE.search(window):
        return True
    before = window[-3:].rstrip(" \t")
    if before.endswith("\n"):
        # A line break inside a sentence ("events in Kenya,\nPakistan and Iraq" in a
        # hard-wrapped text): the word goes by what ends the line before it; after a blank
        # line (a new paragraph) it opens one.
        lead = text[max(0, start - 80) : start]
        line = lead.rstrip()
        if not line or lead[len(line) :].count("\n") > 1:
            return False
        before = line[-1]
    return bool(before) and not before.endswith(("\n", ".", "!", "?", ":", ";", "\u201c", '"'))
