"""Texts for the laws that pit an engine fast path against the loop it replaced: words of UN
speeches and separators that make sentences and paragraphs (tests/test_engine_fast_paths.py,
tests/test_query_pairs_fast.py)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

VOCAB = (
    "the of and to a in peace security hostile forces genuine human rights protect protected "
    "protection promote promotion promoted united nations council development sustainable "
    "resolution 2015 74 sovereignty interference internal affairs rapporteur fabrications"
).split()
SEPARATORS = (" ", " ", " ", ", ", ". ", "\n\n")
LAWS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


def texts(max_size: int) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Lists of (word, separator) of at most `max_size` words."""
    return st.lists(
        st.tuples(st.sampled_from(VOCAB), st.sampled_from(SEPARATORS)), max_size=max_size
    )
