"""Marking lines: a short line of its own in capitals above a document's text ("MOST SECRET",
"TOP SECRET AND PERSONAL", "PRIORITY RESTRICTED", a place "CANBERRA").

A cable's handling marks are lines of its head, not prose: two documents that both say
"SECRET" above their text have not reworded one another. A paraphrase (a passage sharing
content words in another order or wording) neither takes its evidence from such a line nor
opens on it: 30 of the 305 paraphrases of a scan of the whole DFAT corpus opened on one
("SECRET IMPORTANT\n\nYour 354. [1] Japanese Exchange. …"). A heading in capitals further
down ("COMPOSITION OF THE HOUSE OF ASSEMBLY") heads a section of the text, and stays in it.

With its salutation ("My dear Prime Minister,"), those lines are a letter's head
(`head_spans`): a passage lying in both documents' heads is a formula, the frame of
correspondence. Notes' calls ("[1]") and lists' markers ("(b)") are no prose either
(`call_spans`).
"""

from __future__ import annotations

import itertools
import re

__all__ = ["HEAD_REASON", "call_spans", "head_spans", "marking_spans"]

_MAX_WORDS = 10
"""The most words a marking line holds ("MOST IMMEDIATE FOR THE PRIME MINISTER MOST SECRET")."""

_MAX_SALUTATION = 6
"""The most words of a salutation's line ("My dear Mr. Prime Minister,")."""

_PROSE_WORDS = 4
"""A line with this many words in lower case is prose (a dateline, "Cablegram D1840 LONDON, 30
September 1945, 10.30 p.m.", or a reference, "My immediately preceding telegram. [1]", is
not)."""

_HEAD_LINES = 40
"""The most lines read for a document's head (a cable's head holds a few)."""

_LINE = re.compile(r"(?m)^.*$")

_EDGES = " \t\r*_"
"""White space and emphasis marks around a line's words."""


HEAD_REASON = "formula: a letter's head in both"
"""How the reason (``--explain``) of a passage lying in both documents' heads begins."""

_SALUTATION = re.compile(r"(?:My\s+)?[Dd]ear\s+\S[^\n]{0,60}?[,:]?")
"""A letter's salutation alone on its line: "My dear Prime Minister,", "Dear Mr. Bruce,"."""


def head_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The character spans of `text`'s head: its marking lines (`marking_spans`), its
    salutation ("My dear Prime Minister,", a line of at most six words) and its lines in
    parentheses ("(Due to arrive Canberra 29.3.29)", "(Addressed to the Prime Minister, Mr.
    Curtin.)"), above the first line of prose. Two letters that open "PERSONAL &
    CONFIDENTIAL\n\nMy dear Prime Minister," share the frame of correspondence, not wording of
    their own (a scan of the whole DFAT corpus reported 1,070 such heads as phrasing and 210
    as names: McDougall's letters in volume 18, cables' "MOST IMMEDIATE FOR THE PRIME MINISTER
    MOST SECRET")."""
    return _head(text, salutations=True)


def marking_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The character spans of `text`'s marking lines (each line's words, without the white
    space and emphasis marks around them), in order: the lines of at most ten words whose
    letters are all capitals (a letter without case, as in Chinese, makes no marking) above the
    first line of prose (`_PROSE_WORDS` words in lower case), among its first forty lines."""
    return _head(text, salutations=False)


def _head(text: str, *, salutations: bool) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    for m in itertools.islice(_LINE.finditer(text), _HEAD_LINES):
        line = m.group()
        split = line.split()
        words = len(split)
        if sum(w[:1].islower() for w in split) >= _PROSE_WORDS:
            break  # the text begins: its lines are its own
        letters = [c for c in line if c.isalpha()]
        bare = line.strip(_EDGES)
        greets = salutations and (
            (words <= _MAX_SALUTATION and _SALUTATION.fullmatch(bare) is not None)
            or (words <= _MAX_WORDS and bare.startswith("(") and bare.endswith(")"))
        )
        if not greets and (
            not letters or words > _MAX_WORDS or not all(c.isupper() for c in letters)
        ):
            continue
        start = m.start() + len(line) - len(line.lstrip(_EDGES))
        end = m.start() + len(line.rstrip(_EDGES))
        if end > start:
            spans.append((start, end))
    return tuple(spans)


_CALL = re.compile(r"\[(\d{1,3})\]|\((\d{1,3}|[^\W\d_]|[ivx]{2,4})\)")
"""A note's call or a list's marker, its mark the group that matched (a bracket to open with,
rather than a look-behind at every character: a 50,000-word text in 0.8 ms, not 6)."""


def call_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The character spans of the numbers of `text`'s notes' calls ("[2]") and of its lists'
    markers ("(1)", "(b)", "(iv)"), in order: no prose either, and a sentence after one ("…
    procedure. [1] In the circumstances …", "(1) That a stand fast and cease fire order be
    issued …") is not to open on it."""
    return tuple(m.span(m.lastindex or 0) for m in _CALL.finditer(text))
