"""A comparison's content tokens (`docdiff.engine.reworded._content_tokens`) are the tokens, in
order, neither covered nor weighing nothing in the pair, whichever way the documents were
prepared (from their text, or from an index's distinct words): a stem that weighs something in
one document and nothing in the other is left out, found by its process number."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docdiff.engine.prepare import Prepared, StemWeights, Words, pair_stem_weight, prepare
from docdiff.engine.reworded import _content_tokens
from docdiff.model import Document

_WORDS = (
    "council adopted resolutions climate finance island states debt relief reform dialogue "
    "peace security peninsula sanctions people hostile acts the of and 2030"
).split()


def _prepared(words: list[str], weights: dict[str, float], *, indexed: bool) -> Prepared:
    p = prepare(Document(id="d", path="d.txt", format="txt", text=" ".join(words)))
    # Each stem's weight chosen (zero or not), so a stem can weigh in one document only.
    p._stem_weights = StemWeights({s: weights.get(s, 0.0) for s in dict.fromkeys(p.roots)})
    if indexed:  # as `docdiff.corpus.derived` knows them: one word per stem here
        stems = list(dict.fromkeys(p.roots))
        number = {s: n for n, s in enumerate(stems)}
        which = np.asarray([number[r] for r in p.roots], dtype=np.intp)
        p.words = Words(which, [1.0] * len(stems), stems, np.arange(len(stems), dtype=np.intp))
    return p


_WEIGHTS = st.dictionaries(st.sampled_from(_WORDS), st.sampled_from([0.0, 0.5, 1.5]))


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=60),
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=60),
    _WEIGHTS,
    _WEIGHTS,
    st.booleans(),
    st.booleans(),
    st.data(),
)
def test_content_tokens_weigh_something_in_both_documents(
    words_a: list[str],
    words_b: list[str],
    weights_a: dict[str, float],
    weights_b: dict[str, float],
    indexed_a: bool,
    indexed_b: bool,
    data: st.DataObject,
) -> None:
    a = _prepared(words_a, weights_a, indexed=indexed_a)
    b = _prepared(words_b, weights_b, indexed=indexed_b)
    weight = pair_stem_weight(a, b)
    for _ in range(2):  # again, from the signs kept with the documents
        covered = [data.draw(st.integers(0, 4)) == 0 for _ in range(len(a.tokens))]
        expected = [i for i, s in enumerate(a.roots) if not covered[i] and weight(s) > 0.0]
        assert _content_tokens(a, b, covered) == expected
