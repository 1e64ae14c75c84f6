"""`Lexicon.find` counts the keys in C and lists only its anchors' places (a required word's,
or a choice's); it finds what the loop listing every key's places, searching around required
words only, found."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docdiff.engine import lexicon
from docdiff.engine.lexicon import FormulaHit, Lexicon

_LEXICON = Lexicon.builtin()
_WORDS = [
    *sorted({k for t in _LEXICON.templates for k in t.required}),
    # The words of the choices that anchor a search as required words do.
    *sorted({k for t in _LEXICON.templates for c in t.choices for alt in c for k in alt}),
    *"pleas find enclos herewith attach upon instruction x y z".split(),
]


def _find_reference(lex: Lexicon, keys: Sequence[str]) -> list[FormulaHit]:
    """`Lexicon.find` as it was: every key's places listed, offsets summed one by one."""
    if not lex.templates or not keys:
        return []
    where: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        where.setdefault(key, []).append(i)
    joined, starts = lexicon._join(keys)
    hits: list[FormulaHit] = []
    for template in lex.templates:
        if not all(k in where for k in template.required):
            continue
        if not template.required or len(keys) < 4 * lexicon._WINDOW:
            spans = [(0, len(joined))]
        else:
            anchor = min(template.required, key=lambda k: len(where[k]))
            spans = lexicon._windows(where[anchor], starts, len(keys), len(joined))
        found: set[tuple[int, int]] = set()
        for lo, hi in spans:
            for m in template.pattern.finditer(joined, lo, hi):
                start = bisect.bisect_left(starts, m.start())
                end = bisect.bisect_left(starts, m.end())
                if end > start and (start, end) not in found:
                    found.add((start, end))
                    hits.append(FormulaHit(template, start, end))
    return lexicon._non_overlapping(hits)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.one_of(
        st.lists(st.sampled_from(_WORDS), max_size=80),
        # Long enough to be searched in windows around anchors.
        st.lists(st.sampled_from(_WORDS), min_size=4 * lexicon._WINDOW, max_size=700),
    )
)
def test_find_equals_the_loop_over_every_key(keys: list[str]) -> None:
    expected = _find_reference(_LEXICON, keys)
    assert _LEXICON.find(keys) == expected
    # The caller's counts of the keys (a Counter, or a plain dict) give the same.
    assert _LEXICON.find(keys, counts=dict(Counter(keys))) == expected


def test_find_on_a_long_text_of_formulae() -> None:
    text = (
        "the permanent mission of x present its compliment to the office of y and have the "
        "honor to refer to z . avail itself of this opportunity to renew to the office the "
        "assuranc of its highest consideration . pleas find enclos the text . "
    ).split()
    keys = (text + ["x"] * 40) * 8
    hits = _LEXICON.find(keys)
    assert len(hits) >= 8
    assert hits == _find_reference(_LEXICON, keys)
