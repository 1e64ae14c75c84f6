"""`_Outside`, which tells whether a heading's words recur in the rest of its document,
reads the words of the text outside a span as reading the two parts apart would, for any text
and any span (it counts the whole text's words once and takes away those within the span)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.corpus.formulae import _WORD_RE, _key, _Outside, mask

_CHARS = st.sampled_from(list("abAB-'\u2019 \n\t.,1_é\u4e2d"))


@settings(max_examples=300, deadline=None)
@given(st.text(_CHARS, min_size=1, max_size=60), st.data())
def test_the_words_outside_a_span_are_those_of_the_parts_read_apart(
    text: str, data: st.DataObject
) -> None:
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    d = mask(text)
    apart = _WORD_RE.findall(text[:lo]) + _WORD_RE.findall(text[hi:])
    keys = {_key(w) for w in apart}
    capitals = {_key(w) for w in apart if w[:1].isupper()}
    asked = keys | {_key(w) for w in _WORD_RE.findall(text)} | {"zz"}
    outside = _Outside(d, lo, hi)
    for key in sorted(asked):
        assert outside.says(key) == (key in keys), (key, lo, hi)
        assert outside.says(key, capital=True) == (key in capitals), (key, lo, hi)
