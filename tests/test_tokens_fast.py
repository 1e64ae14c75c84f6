"""The tokenizer's fast pattern (its first character taken before the branches) matches what
the plain alternation of an abbreviation and a word matched."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docdiff.text import tokens

_PLAIN = re.compile(
    rf"({tokens._ABBR}|{tokens._FW}(?:[-\u00ad\u2010][ \t]*(?:\r\n|\r|\n)[ \t]*{tokens._FW})*)"
)
"""The fast pattern as it was written before (the reference)."""

# Letters, digits, marks, apostrophes, dots, hyphens, line breaks, "_", Han: every character
# either branch looks at.
_CHARS = "aAzéÉßж1٣._'\u2019\u02bc-\u00ad\u2010 \t\n\r,\u0301\u064e\u4e00\u3042"


@settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=_CHARS, max_size=60))
def test_the_fast_pattern_splits_like_the_plain_one(text: str) -> None:
    assert tokens._SPLIT_RE.split(text) == _PLAIN.split(text)
    assert tokens._pattern(tokens._FAST).findall(text) == [m.group() for m in _PLAIN.finditer(text)]


def test_abbreviations_and_hyphenated_words() -> None:
    text = (
        "U.S. and U.N. e.g. A.B.C. a.b 1.2.3 1.a.b. _.a. \u4e00.a. x_y don't promo-\n tion "
        "co-\r\n  operate U.S.A"
    )
    assert tokens._SPLIT_RE.split(text) == _PLAIN.split(text)
    assert tokens.tokenize(text).forms[:4] == ["u.s.", "and", "u.n.", "e.g."]
