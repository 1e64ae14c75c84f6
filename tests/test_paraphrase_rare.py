"""`UnitIndex.rare` equals the postings of every stem over the unit vectors, kept when rare."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given
from hypothesis import strategies as st

from docdiff.engine.paraphrase import UnitIndex, unit_index


def _from_every_vector(index: UnitIndex, max_postings: int) -> dict[str, list[tuple[int, float]]]:
    """The reference: postings of every stem over all unit vectors, then the rare ones kept."""
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for j, vec in enumerate(index.vectors):
        for stem, w in vec.items():
            postings[stem].append((j, w / index.norms[j]))
    return {s: js for s, js in postings.items() if 0 < len(js) <= max_postings}


@given(
    st.lists(st.sampled_from("ab cd ef gh ij kl mn op qr 12".split()), max_size=300),
    st.lists(st.booleans(), max_size=300),
    st.integers(1, 12),
    st.integers(1, 20),
)
def test_rare_stems_and_their_postings(
    keys: list[str], covered: list[bool], size: int, max_postings: int
) -> None:
    covered = (covered + [False] * len(keys))[: len(keys)]
    units = [(i, min(len(keys), i + size)) for i in range(0, len(keys), size)]
    # Weights: one stem weighs nothing (never a content stem), the others by their letter.
    index = unit_index(keys, covered, lambda s: 0.0 if s == "12" else (ord(s[0]) % 5) / 4, units)
    got = index.rare(max_postings)
    want = _from_every_vector(index, max_postings)
    assert got == want
    assert list(got) == list(want)
