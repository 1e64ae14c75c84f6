"""A built-in background model of word rarity, used when only two documents are compared.

In a corpus, rarity comes from document frequency. Two documents alone say little about which
words are common, so a small model stands in: function words weigh nothing, very common
content words (and the stock vocabulary of official correspondence) weigh little, and every
other word weighs one.
"""

from __future__ import annotations

from functools import lru_cache

from docdiff.text.tokens import fuzzy_key, is_stopword

__all__ = ["COMMON_WEIGHT", "word_weight"]

COMMON_WEIGHT = 0.4

_COMMON_WORDS = """
    said say says new time year years day days people way man men woman women world life part
    place case week company system program question work government number night point home
    water room mother area money story fact month lot right rights study book eye job word
    business issue issues side kind head house service friend father power hour game line end
    member members law car city community name president team minute idea kid body information
    back parent face others level office door health person art war history party result change
    morning reason research girl guy moment air teacher force education first last long great
    little own old big high different small large next early young important public bad able
    make made take took give gave get got go went come came know knew think see saw look want
    use used find found tell told ask asked work seem feel try leave call called good well also
    just even like one two three four five six seven eight nine ten many much well still
    state states country countries national international united nations general assembly
    council security session meeting meetings report reports resolution resolutions secretary
    matter matters regard regards respect order support efforts measures further including
    present current particular new government governments minister ministry foreign affairs
    letter note dated mr mrs ms dear sir madam excellency agenda item items session annex
    signed ambassador permanent representative mission provisional
"""

_COMMON_KEYS: frozenset[str] = frozenset(fuzzy_key(w) for w in _COMMON_WORDS.split())


@lru_cache(maxsize=200_000)
def word_weight(key: str) -> float:
    """The rarity weight of a fuzzy key: 0 for function words, 0.4 for common words, else 1."""
    if is_stopword(key) or (len(key) == 1 and key.isascii()):
        return 0.0
    if key in _COMMON_KEYS or key.isdigit():
        return COMMON_WEIGHT
    return 1.0
