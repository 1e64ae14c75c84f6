"""What two unit indexes must share to be the same (the tests of stored and rebuilt units)."""

from __future__ import annotations

import numpy as np

from docdiff.engine.paraphrase import UnitIndex


def same_units(mine: UnitIndex, theirs: UnitIndex) -> None:
    """The same units, with their dictionaries in the same order (later stages iterate them),
    and what a comparison derives from them (the rare stems' postings to the last bit)."""
    for name in ("units", "starts", "paragraphs", "covered", "norms"):
        assert getattr(mine, name) == getattr(theirs, name), name
    for name in ("df", "idf", "units_of"):
        assert list(getattr(mine, name).items()) == list(getattr(theirs, name).items()), name
    for name in ("stems", "vectors"):
        assert [list(d.items()) for d in getattr(mine, name)] == [
            list(d.items()) for d in getattr(theirs, name)
        ], name
    for max_postings in (1, 2, 16):
        assert list(mine.rare(max_postings).items()) == list(theirs.rare(max_postings).items())
        assert list(mine.rare_stems(max_postings)) == list(theirs.rare(max_postings))
        got, want = mine.postings(max_postings), theirs.postings(max_postings)
        for name in ("stem", "unit", "value"):
            x, y = getattr(got, name), getattr(want, name)
            assert x.dtype == y.dtype, name
            assert np.array_equal(x, y), name
        assert got.names == want.names
    assert mine.token_paragraph == theirs.token_paragraph
