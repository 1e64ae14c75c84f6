"""Side-by-side HTML for a version diff: one self-contained offline page."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape

from docdiff.render.html_assets import asset, page
from docdiff.render.notes import plural
from docdiff.text.tokens import count_words
from docdiff.versiondiff import (
    Hunk,
    VersionDiff,
    is_space_edit,
    joined_unchanged,
    same_place,
)

__all__ = ["render_diff_html"]

# Unchanged stretches longer than this are folded, keeping some context on each side.
_FOLD_CHARS = 600
_KEEP_CHARS = 200
# A row this long (old side, in characters) ends at the next sentence end.
_ROW_CHARS = 700


def render_diff_html(diff: VersionDiff, *, a_name: str = "old", b_name: str = "new") -> str:
    """The diff as an HTML page: old text left, new text right, changes aligned row by row."""
    rows = "\n".join(_rows(diff))
    stats = escape(diff.stats.line())
    title = f"docdiff diff: {a_name} → {b_name}"
    body = f"""<header>
<h1>Version diff</h1>
<p class="files"><span class="side-a">{escape(a_name)}</span> →
<span class="side-b">{escape(b_name)}</span></p>
<p class="stats" id="stats">{stats}</p>
<ul class="legend" aria-label="Legend">
<li><del class="d">deleted</del></li><li><ins class="i">inserted</ins></li>
<li><del class="d chg">changed</del><ins class="i chg">word</ins></li>
<li><span class="mv">moved</span></li>
<li><ins class="i ws mark">¶</ins> paragraph break added or removed</li>
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
"""
    return page(title, asset("diff.css"), body, asset("diff.js"))


def _rows(diff: VersionDiff) -> Iterator[str]:
    """Rows of text: changes stay inline with their surrounding words; long unchanged stretches
    get a folded row of their own."""
    left: list[str] = []
    right: list[str] = []
    changed = False
    number = 0
    seen: set[str] = set()  # the first piece of each moved block carries the anchor id

    def row() -> str:
        nonlocal number
        cls, attrs = "eq", ""
        if changed:
            number += 1
            cls, attrs = "chg-row", f' id="c{number}" tabindex="-1"'
        return f'<tr class="{cls}"{attrs}><td>{"".join(left)}</td><td>{"".join(right)}</td></tr>'

    for h in joined_unchanged(diff.hunks):
        # Unchanged text keeps each side's own layout (white space that is not an edit).
        a, b = h.a_text, h.b_text
        if h.tag == "equal" and len(a) > _FOLD_CHARS:
            lo, hi = _fold_cuts(a)
            b_lo, b_hi = same_place(a, b, lo), same_place(a, b, hi)
            left.append(escape(a[:lo]))
            right.append(escape(b[:b_lo]))
            if left:
                yield row()
            yield _fold_row(a[lo:hi], b[b_lo:b_hi])
            left, right, changed = [escape(a[hi:])], [escape(b[b_hi:])], False
        elif h.tag == "equal":
            # Start a new row at a paragraph break, or at a sentence end once the row is long,
            # so the two columns stay level.
            cut = _row_break(a, long=sum(len(x) for x in left) > _ROW_CHARS)
            if cut is None:
                left.append(escape(a))
                right.append(escape(b))
            else:
                b_cut = same_place(a, b, cut)
                left.append(escape(a[:cut]))
                right.append(escape(b[:b_cut]))
                yield row()
                left, right, changed = [escape(a[cut:])], [escape(b[b_cut:])], False
        else:
            changed = True
            old, new = _pieces(h, seen, diff)
            left.append(old)
            right.append(new)
    if left:
        yield row()


def _fold_cuts(text: str) -> tuple[int, int]:
    """Where a long unchanged stretch folds: about `_KEEP_CHARS` kept at each end, cut between
    words (a fold never splits "peop|le")."""
    lo = _KEEP_CHARS
    while lo < len(text) and not text[lo].isspace():
        lo += 1
    hi = len(text) - _KEEP_CHARS
    while hi > lo and not text[hi - 1].isspace():
        hi -= 1
    return lo, max(lo, hi)


def _row_break(text: str, *, long: bool) -> int | None:
    """Where to end a row inside an unchanged stretch: after its first line break, or after a
    sentence end when the row is already long; None to keep going."""
    newline = text.find("\n")
    if newline >= 0:
        end = newline
        while end < len(text) and text[end] in "\r\n":
            end += 1
        return end
    if long:
        stop = text.find(". ")
        if stop >= 0:
            return stop + 2
    return None


def _fold_row(a_text: str, b_text: str) -> str:
    words = plural(count_words(a_text), "unchanged word")

    def cell(text: str) -> str:
        return f"<details class='fold'><summary>… {words} …</summary>{escape(text)}</details>"

    return f'<tr class="eq fold-row"><td>{cell(a_text)}</td><td>{cell(b_text)}</td></tr>'


def _pieces(h: Hunk, seen: set[str], diff: VersionDiff) -> tuple[str, str]:
    """The old-side and new-side HTML of one changed hunk."""
    if is_space_edit(h):
        was, now = diff.space_marks(h)
        old_title = "paragraph break removed" if was == "¶" else "old white space"
        new_title = "paragraph break added" if now == "¶" else "new white space"
        # The marks are labels, not text: a reader copying a column gets its version's text.
        old = f'<del class="d ws mark" title="{old_title}">{was}</del>' if was else ""
        new = f'<ins class="i ws mark" title="{new_title}">{now}</ins>' if now else ""
        return old + escape(h.a_text), new + escape(h.b_text)
    if h.tag == "delete":
        return f'<del class="d">{escape(h.a_text)}</del>', ""
    if h.tag == "insert":
        return "", f'<ins class="i">{escape(h.b_text)}</ins>'
    if h.tag == "replace":
        return _replace_cells(h)
    if h.tag == "move_from":
        return _move(h, "mf", "mt", h.a_text, seen), ""
    return "", _move(h, "mt", "mf", h.b_text, seen)


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
