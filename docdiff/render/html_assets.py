"""Inline CSS and JavaScript for the HTML pages, read from package data (``assets/``).

Every page inlines them, so each report stays one offline file.
"""

from __future__ import annotations

from functools import cache
from html import escape
from importlib.resources import files

__all__ = ["asset", "page"]


@cache
def asset(name: str) -> str:
    """The text of one file under ``docdiff/render/assets`` (e.g. ``"report.js"``)."""
    return files("docdiff.render").joinpath("assets", name).read_text(encoding="utf-8")


def page(title: str, styles: str, body: str, script: str) -> str:
    """A complete offline HTML page: base CSS plus `styles`, `body`, then `script` inline."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="docdiff">
<title>{escape(title)}</title>
<style>{asset("base.css")}{styles}</style>
</head>
<body>
{body}
<script>{script}</script>
</body>
</html>
"""
