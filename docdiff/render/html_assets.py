"""Inline CSS and JavaScript for the HTML pages, read from package data (``assets/``).

Every page inlines them, so each report stays one offline file.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

__all__ = ["asset"]


@cache
def asset(name: str) -> str:
    """The text of one file under ``docdiff/render/assets`` (e.g. ``"report.js"``)."""
    return files("docdiff.render").joinpath("assets", name).read_text(encoding="utf-8")
