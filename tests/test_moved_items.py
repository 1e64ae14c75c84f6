"""Paragraphs moved out from between two copied ones are a move, not one passage.

git's release notes copy the fixes of a maintenance release into the next feature release's
notes, in another order: 2.9.3 lists fixes 1-7, 2.10.0 lists 1, 6, 7, then 5, 4, 3, 2 further
down. Fixes 1 and 6-7 ran on from each other in 2.10.0, and nothing unmatched lay between them
in 2.9.3 (fixes 2-5 were matched elsewhere), so they were joined into one passage spanning fixes
2-5 of 2.9.3, shown as deleted, while fixes 2-5 were passages of their own too: the same words
of 2.9.3 in three passages, and a move shown as a deletion (`reworded._moved_between`).
"""

from __future__ import annotations

import itertools

from docdiff.engine.compare import compare
from docdiff.loaders import load_text

ITEMS = [
    "The helper that reads a commit object did not skip the blank lines before its subject line",
    "Searching the cached files showed hits for paths that were only announced and never added",
    "Rebasing with an automatic stash forgot to restore the stashed changes after an abort",
    "Amending a commit without any message body could misread where its header ends",
    "More markup updates set literal strings in a fixed width font throughout the manuals",
    "An old comment claimed that coloured output needed special calls on one platform",
    "Setting the pack limit to one triggered a repack although only a single pack existed",
]


def _notes(order: list[int], extra: str = "") -> str:
    items = [f" * {ITEMS[k]}.\n" for k in order]
    return "Release notes\n=============\n\n" + extra + "\n".join(items)


def test_moved_items_are_passages_of_their_own() -> None:
    a = load_text(_notes([0, 1, 2, 3, 4, 5, 6]), doc_id="maint")
    b = load_text(
        _notes([0, 5, 6, 4, 3, 2, 1], " * A new command lists the branches merged last week.\n\n"),
        doc_id="feature",
    )
    (pair,) = compare(a, b).pairs
    spans = [m.a.span for m in pair.matches]
    # No two passages hold the same words of either document.
    for x, y in itertools.combinations(pair.matches, 2):
        assert not x.a.span.overlaps(y.a.span), (a.slice(x.a.span), a.slice(y.a.span))
        assert not x.b.span.overlaps(y.b.span), (b.slice(x.b.span), b.slice(y.b.span))
    # Every item is reused, and the first one's passage ends with it.
    shown = " ".join(a.slice(s) for s in spans)
    for item in ITEMS:
        assert item in shown
    first = next(m for m in pair.matches if a.slice(m.a.span).startswith(ITEMS[0]))
    assert a.slice(first.a.span) == ITEMS[0]


def test_items_in_the_same_order_stay_one_passage() -> None:
    """Items copied in their order, across the blank lines between them, are one reuse."""
    a = load_text(_notes([0, 1, 2, 3]), doc_id="a")
    b = load_text(
        "Fixes carried over\n\n" + _notes([0, 1, 2, 3])[30:] + "\nThanks to all.\n", doc_id="b"
    )
    (pair,) = compare(a, b).pairs
    assert len(pair.matches) == 1
    assert a.slice(pair.matches[0].a.span).endswith(ITEMS[3])
