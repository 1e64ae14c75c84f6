"""Genre tables built from the UN General Debate corpus (CC0 upstream) and shipped in the wheel.

* Synonym classes: English stems that word vectors (PPMI + truncated SVD over the speeches,
  see ``scripts/build_language_tables.py``) put closest to each other, mutually, share one
  class stem; paraphrase compares class stems, so "catastrophic"/"disastrous" count as shared.
* Genre bigrams: two-word phrases of content words found in at least 0.5 % of the speeches,
  with that share: the collocations of official speech, for telling a rare pair of words
  ("hostile forces") from a stock one ("human rights").

Both are small gzipped text files, read on first use only.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache

__all__ = ["genre_bigrams", "synonym_classes", "to_classes"]


def _rows(name: str) -> Iterator[list[str]]:
    import gzip
    from importlib import resources

    with (
        resources.files("docdiff.data").joinpath(name).open("rb") as raw,
        gzip.open(raw, "rt", encoding="utf-8") as f,
    ):
        for line in f:
            if line.startswith("#"):
                continue
            yield line.rstrip("\n").split("\t")


@cache
def synonym_classes() -> dict[str, str]:
    """English stem -> the stem naming its synonym class (stems without a class are absent)."""
    return {row[0]: row[1] for row in _rows("un_synonyms.tsv.gz")}


@cache
def genre_bigrams() -> dict[str, float]:
    """ "first second" (normalised forms) -> share of UN General Debate speeches holding it."""
    return {row[0]: float(row[1]) for row in _rows("un_bigrams.tsv.gz")}


def to_classes(stems: Sequence[str]) -> list[str]:
    """English stems mapped to their synonym classes (unchanged when they have none)."""
    table = synonym_classes()
    return [table.get(s, s) for s in stems]
