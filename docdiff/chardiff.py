"""Character-level differences and patches: the only module that imports diff-match-patch.

diff-match-patch is pure Python and its default one-second timeout silently returns coarse
diffs on long inputs, so every instance here runs with ``Diff_Timeout = 0`` and callers hand it
only short strings (words inside a changed hunk) or diffs they computed themselves (patches).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from diff_match_patch import diff_match_patch

from docdiff.errors import InputError

__all__ = ["CharOp", "apply_patch", "char_ops", "make_patch", "similarity"]

CharTag = Literal["equal", "delete", "insert"]

_TAGS: dict[int, CharTag] = {0: "equal", -1: "delete", 1: "insert"}
_CODES: dict[str, int] = {"equal": 0, "delete": -1, "insert": 1}

# Only short strings reach diff_main: beyond this the caller should not ask for char detail.
MAX_CHARS = 400


@dataclass(frozen=True, slots=True)
class CharOp:
    """One character-level operation: equal, delete (old side only) or insert (new side only)."""

    tag: CharTag
    text: str


def _engine() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # no silent degradation: inputs are short by contract
    return dmp


def char_ops(old: str, new: str) -> tuple[CharOp, ...]:
    """Character diff of two short strings, semantically cleaned up (readable, not minimal)."""
    if len(old) > MAX_CHARS or len(new) > MAX_CHARS:
        msg = f"char_ops is for short strings (at most {MAX_CHARS} characters each)"
        raise ValueError(msg)
    dmp = _engine()
    diffs = dmp.diff_main(old, new, checklines=False)
    dmp.diff_cleanupSemantic(diffs)
    return tuple(CharOp(_TAGS[code], text) for code, text in diffs if text)


def similarity(ops: Iterable[CharOp]) -> float:
    """Share (0-1) of the longer side's characters that are unchanged in `ops`."""
    same = old = new = 0
    for op in ops:
        if op.tag == "equal":
            same += len(op.text)
            old += len(op.text)
            new += len(op.text)
        elif op.tag == "delete":
            old += len(op.text)
        else:
            new += len(op.text)
    longest = max(old, new)
    return same / longest if longest else 1.0


def make_patch(old: str, ops: Sequence[tuple[CharTag, str]], *, margin: int = 4) -> str:
    """A diff-match-patch patch text turning `old` into the new text described by `ops`.

    `ops` is a complete diff (equal/delete/insert texts in order) computed elsewhere. The patch
    text is written here in diff-match-patch's format, in one linear pass: its own
    ``patch_make`` rebuilds the whole text for every hunk, which takes seconds on a long
    document. Changes closer than ``2 * margin`` characters share a hunk, as in
    diff-match-patch, and each hunk carries ``margin`` characters of context.
    """
    items = [(tag, text) for tag, text in ops if text]
    if "".join(text for tag, text in items if tag != "insert") != old:
        msg = "the ops do not spell out the old text"
        raise ValueError(msg)
    out: list[str] = []
    hunk: list[tuple[str, str]] = []
    start = 0  # where the current hunk starts, in the new text (the text being patched)
    pos = 0  # current position in the new text
    tail = ""  # the new text just before `pos`, for leading context

    def flush(post: str) -> None:
        if post:
            hunk.append(("equal", post))
        len1 = sum(len(t) for tag, t in hunk if tag != "insert")
        len2 = sum(len(t) for tag, t in hunk if tag != "delete")
        out.append(f"@@ -{_coords(start, len1)} +{_coords(start, len2)} @@\n")
        sign = {"equal": " ", "delete": "-", "insert": "+"}
        out.extend(f"{sign[tag]}{_quote(t)}\n" for tag, t in hunk)
        hunk.clear()

    for n, (tag, text) in enumerate(items):
        last = n == len(items) - 1
        if tag == "equal":
            if hunk and (len(text) > 2 * margin or last):
                flush(text[:margin])
            elif hunk:
                hunk.append(("equal", text))
            pos += len(text)
            tail = (tail + text)[-margin:] if margin else ""
            continue
        if not hunk:
            start = pos - len(tail)
            if tail:
                hunk.append(("equal", tail))
        hunk.append((tag, text))
        if tag == "insert":
            pos += len(text)
            tail = (tail + text)[-margin:] if margin else ""
    if hunk:
        flush("")
    return "".join(out)


def _coords(start: int, length: int) -> str:
    """diff-match-patch's ``start,length`` header field (1-based unless empty)."""
    if length == 0:
        return f"{start},0"
    if length == 1:
        return str(start + 1)
    return f"{start + 1},{length}"


def _quote(text: str) -> str:
    from urllib.parse import quote

    # The same safe characters as diff-match-patch's patch_toText.
    return quote(text, "!~*'();/?:@&=+$,# ")


def apply_patch(original: str, patch_text: str, *, path: str = "<patch>") -> str:
    """Apply a diff-match-patch patch text; raise InputError when it is malformed or misfits.

    Each hunk must find its old text exactly: at its recorded place (shifted by how far the
    hunks before it moved), or else at the nearest place further on. diff-match-patch's own
    ``patch_apply`` falls back to a fuzzy match and an unbounded character diff of the whole
    hunk, which takes minutes on a long hunk that does not fit; an exact search is linear, so a
    patch for another original is refused at once.
    """
    dmp = _engine()
    try:
        patches = dmp.patch_fromText(patch_text)
    except (ValueError, IndexError) as exc:
        raise InputError(path, f"not a diff-match-patch patch ({exc})") from None
    out: list[str] = []
    pos = 0  # how much of the original is consumed
    produced = 0  # length of the patched text so far
    shift = 0  # where the hunks actually applied, minus where they were recorded
    failed: list[int] = []
    for n, p in enumerate(patches, 1):
        old = "".join(text for op, text in p.diffs if op != dmp.DIFF_INSERT)
        new = "".join(text for op, text in p.diffs if op != dmp.DIFF_DELETE)
        # start2 counts in the text as patched so far; map it back into the original.
        expected = max(pos, pos + p.start2 + shift - produced)
        at = _nearest(original, old, expected, pos)
        if at < 0:
            failed.append(n)
            continue
        shift += at - expected
        out.append(original[pos:at])
        out.append(new)
        produced += at - pos + len(new)
        pos = at + len(old)
    if failed:
        shown = ", ".join(str(i) for i in failed[:5])
        more = "" if len(failed) <= 5 else f" and {len(failed) - 5} more"
        raise InputError(
            path,
            f"{len(failed)} of {len(patches)} patch hunks did not apply (hunk {shown}{more}); "
            "is this the original the patch was made from?",
        )
    out.append(original[pos:])
    return "".join(out)


def _nearest(text: str, needle: str, expected: int, lo: int) -> int:
    """The start of `needle` in ``text[lo:]`` nearest to `expected`, or -1."""
    if text.startswith(needle, expected):
        return expected
    after = text.find(needle, expected)
    before = text.rfind(needle, lo, expected + len(needle) - 1) if expected > lo else -1
    if before < 0:
        return after
    if after < 0:
        return before
    return before if expected - before <= after - expected else after
