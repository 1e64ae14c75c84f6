"""Spans of a text named by their words, for the tests that read where quotation marks stand."""

from __future__ import annotations

from docdiff.model import Span


def span_between(text: str, start: str, end: str) -> Span:
    """The span of `text` from the first `start` to the first `end` after it, inclusive."""
    i = text.index(start)
    return Span(i, text.index(end, i) + len(end))
