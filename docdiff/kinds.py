"""What a reused passage is: the `Kind` enum, on its own so that `docdiff.options` (and so
``docdiff --help``) can use it without loading `docdiff.model`'s dataclasses."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Kind"]


class Kind(StrEnum):
    """What a reused passage is."""

    FORMULA = "formula"
    NAME = "name"
    PHRASING = "phrasing"
    PARAPHRASE = "paraphrase"
    QUOTATION = "quotation"
