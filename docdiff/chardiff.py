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


def make_patch(old: str, ops: Sequence[tuple[CharTag, str]]) -> str:
    """A diff-match-patch patch text turning `old` into the new text described by `ops`.

    `ops` is a complete diff (equal/delete/insert texts in order) computed elsewhere, so
    diff-match-patch never runs its own (slow, pure Python) diff over the whole document.
    """
    dmp = _engine()
    diffs = [(_CODES[tag], text) for tag, text in ops if text]
    patches = dmp.patch_make(old, diffs)
    text: str = dmp.patch_toText(patches)
    return text


def apply_patch(original: str, patch_text: str, *, path: str = "<patch>") -> str:
    """Apply a diff-match-patch patch text; raise InputError when it is malformed or misfits."""
    dmp = _engine()
    try:
        patches = dmp.patch_fromText(patch_text)
    except (ValueError, IndexError) as exc:
        raise InputError(path, f"not a diff-match-patch patch ({exc})") from None
    result, applied = dmp.patch_apply(patches, original)
    failed = [i + 1 for i, ok in enumerate(applied) if not ok]
    if failed:
        shown = ", ".join(str(i) for i in failed[:5])
        more = "" if len(failed) <= 5 else f" and {len(failed) - 5} more"
        raise InputError(
            path,
            f"{len(failed)} of {len(applied)} patch hunks did not apply (hunk {shown}{more}); "
            "is this the original the patch was made from?",
        )
    text: str = result
    return text
