"""`Prepared.stem_codes` is derived once: every later use (paraphrase units, stem numbers,
echo stem arrays) sees what a fresh computation gives."""

from __future__ import annotations

import numpy as np
from hypothesis import given

from docdiff.engine import echoes
from docdiff.engine.prepare import load_lexicon
from docdiff.options import Options
from tests._fast_paths import LAWS
from tests.test_engine_fast_paths import Parts, _prepared, texts


@LAWS
@given(texts)
def test_stem_codes_once_equal_fresh(parts: Parts) -> None:
    p = _prepared(parts, "a")
    p.unit_index(load_lexicon(Options()))
    p.stem_numbers()
    echoes._stem_arrays(p)
    names, codes = p.stem_codes()
    assert p.stem_codes()[1] is codes
    fresh_names, fresh_codes = _prepared(parts, "a").stem_codes()
    assert names == fresh_names
    assert np.array_equal(codes, fresh_codes)
    assert [names[c] for c in codes.tolist()] == p.roots
