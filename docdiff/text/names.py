"""Where the word of a name starts, for the passes that tell a name's words by their capitals."""

from __future__ import annotations

import re

__all__ = ["TITLE_ABBREVIATIONS", "compound_start"]

TITLE_ABBREVIATIONS = r"(?:Mr|Mrs|Ms|Dr|Prof|Messrs|Mme|St|H\.E)\."
"""A title's abbreviation before a name ("Mr. Jeremić"), as a pattern."""

_COMPOUND_HEAD = re.compile(r"[\w\u2019'-]*\Z")  # (\Z: $ also matches before a closing line break)


def compound_start(text: str, at: int) -> int:
    """Where the hyphenated compound holding the word at `at` starts ("Ki-moon" from "moon",
    "Secretary-General" from "General"): a word inside one goes by the compound's first
    letter."""
    head = _COMPOUND_HEAD.search(text, max(0, at - 40), at)
    return head.start() if head is not None and head.start() < at else at
