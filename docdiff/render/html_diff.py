"""Side-by-side HTML for a version diff: one self-contained offline page."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from html import escape

from docdiff.render.html_assets import asset
from docdiff.versiondiff import Hunk, VersionDiff

__all__ = ["render_diff_html"]

# Unchanged stretches longer than this are folded, keeping some context on each side.
_FOLD_CHARS = 600
_KEEP_CHARS = 200


def render_diff_html(diff: VersionDiff, *, a_name: str = "old", b_name: str = "new") -> str:
    """The diff as an HTML page: old text left, new text right, changes aligned row by row."""
    rows = "\n".join(_rows(diff.hunks))
    stats = escape(diff.stats.line())
    title = f"docdiff diff: {a_name} → {b_name}"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="docdiff">
<title>{escape(title)}</title>
<style>{asset("base.css")}{asset("diff.css")}</style>
</head>
<body>
<header>
<h1>Version diff</h1>
<p class="files"><span class="side-a">{escape(a_name)}</span> →
<span class="side-b">{escape(b_name)}</span></p>
<p class="stats" id="stats">{stats}</p>
<ul class="legend" aria-label="Legend">
<li><del class="d">deleted</del></li><li><ins class="i">inserted</ins></li>
<li><span class="chg">changed</span></li><li><span class="mv">moved</span></li>
</ul>
<p class="hint">Keys: <kbd>n</kbd> next change, <kbd>p</kbd> previous change.
Click a moved block to jump to where it went.</p>
</header>
<main>
<table class="sbs">
<caption class="visually-hidden">Old text on the left, new text on the right</caption>
<thead><tr><th scope="col">{escape(a_name)}</th><th scope="col">{escape(b_name)}</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</main>
<script>{asset("diff.js")}</script>
</body>
</html>
"""


def _rows(hunks: Sequence[Hunk]) -> Iterator[str]:
    change: list[Hunk] = []
    number = 0
    seen: set[str] = set()  # the first piece of each moved block carries the anchor id
    for h in hunks:
        if h.tag == "equal":
            if change:
                number += 1
                yield _change_row(change, number, seen)
                change = []
            yield _equal_row(h.a_text)
        else:
            change.append(h)
    if change:
        number += 1
        yield _change_row(change, number, seen)


def _equal_row(text: str) -> str:
    if len(text) <= _FOLD_CHARS:
        cell = escape(text)
    else:
        head, middle, tail = text[:_KEEP_CHARS], text[_KEEP_CHARS:-_KEEP_CHARS], text[-_KEEP_CHARS:]
        words = len(middle.split())
        cell = (
            f"{escape(head)}<details class='fold'><summary>… {words} unchanged words …</summary>"
            f"{escape(middle)}</details>{escape(tail)}"
        )
    return f'<tr class="eq"><td>{cell}</td><td>{cell}</td></tr>'


def _change_row(hunks: Sequence[Hunk], number: int, seen: set[str]) -> str:
    left: list[str] = []
    right: list[str] = []
    for h in hunks:
        if h.tag == "delete":
            left.append(f'<del class="d">{escape(h.a_text)}</del>')
        elif h.tag == "insert":
            right.append(f'<ins class="i">{escape(h.b_text)}</ins>')
        elif h.tag == "replace":
            old, new = _replace_cells(h)
            left.append(old)
            right.append(new)
        elif h.tag == "move_from":
            left.append(_move(h, "mf", "mt", h.a_text, seen))
        elif h.tag == "move_to":
            right.append(_move(h, "mt", "mf", h.b_text, seen))
    return (
        f'<tr class="chg-row" id="c{number}" tabindex="-1">'
        f"<td>{''.join(left)}</td><td>{''.join(right)}</td></tr>"
    )


def _move(h: Hunk, here: str, there: str, text: str, seen: set[str]) -> str:
    """One piece of a moved block; the first piece is labelled and is the link target."""
    key = f"{here}-{h.move}"
    first = key not in seen
    seen.add(key)
    anchor = f' id="{key}"' if first else ""
    where = "went" if here == "mf" else "was"
    label = ("moved #{} →" if here == "mf" else "→ moved #{}").format(h.move)
    tag = f"<span class='tag'>{label}</span>" if first else ""
    return (
        f'<a class="mv"{anchor} href="#{there}-{h.move}" '
        f'title="moved (#{h.move}); click to see where it {where}">{tag}{escape(text)}</a>'
    )


def _replace_cells(h: Hunk) -> tuple[str, str]:
    if not h.detail:
        return (
            f'<del class="d chg">{escape(h.a_text)}</del>',
            f'<ins class="i chg">{escape(h.b_text)}</ins>',
        )
    old: list[str] = []
    new: list[str] = []
    for tag, text in h.detail:
        if tag == "equal":
            old.append(escape(text))
            new.append(escape(text))
        elif tag == "delete":
            old.append(f"<b>{escape(text)}</b>")
        else:
            new.append(f"<b>{escape(text)}</b>")
    return (
        f'<del class="d chg fine">{"".join(old)}</del>',
        f'<ins class="i chg fine">{"".join(new)}</ins>',
    )
