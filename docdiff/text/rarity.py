"""Word rarity in general language, from the wordfreq package's frequency lists.

When only two documents are compared (or a document in the editor before indexing), nothing
says which of their words are common; wordfreq does, for about 40 languages. In a corpus,
document frequency of k-grams still decides what is common (see ``docdiff.engine.prepare``);
these weights only keep function words and very common words from seeding matches on their own.

Start-up: nothing here is read at import. The first document of a language reads that
language's "small" wordfreq list (the words more frequent than one per million, about 30 ms)
straight from the files wordfreq installs, without importing wordfreq itself, whose import
(langcodes, ftfy, regex) costs about 0.3 s. When the file format is not the one this module
knows (cBpack version 1), wordfreq's own API reads the list instead.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from docdiff.text.tokens import fuzzy_key, is_stopword

if TYPE_CHECKING:
    from docdiff.text.tokens import Tokens

__all__ = [
    "COMMON_ZIPF",
    "RARE_PAIR_ZIPF",
    "genre_bigrams",
    "genre_share",
    "known_word",
    "pair_zipf",
    "rare_pair",
    "stem_weights",
    "token_weights",
    "word_weight",
    "zipf",
]

COMMON_ZIPF = 7.0
"""Words at least this frequent (zipf scale: log10 of occurrences per billion words) weigh 0."""
_FULL_ZIPF = 5.0
"""Words at most this frequent weigh 1; the weight falls linearly in between."""
_IDEO_SPAN = (8.0, 2.5, 0.2)
"""Han and kana characters (one token each): weight (top - zipf) / span, at least `floor`."""
_UNKNOWN_ZIPF = 2.0
"""Zipf given to a word absent from the list (the small lists stop at zipf 3)."""
RARE_PAIR_ZIPF = 1.0
"""A two-word phrase whose estimated zipf is at most this is rare in general language."""


@cache
def _table(lang: str) -> dict[str, float]:
    """Word -> zipf for `lang` (empty when wordfreq has no list for it or is not installed)."""
    import gzip
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("wordfreq")
    if spec is None or spec.origin is None:
        return {}
    path = Path(spec.origin).parent / "data" / f"small_{lang}.msgpack.gz"
    if not path.exists():
        return {}
    try:
        import msgpack

        with gzip.open(path, "rb") as f:
            pack = msgpack.load(f, raw=False)
        header = pack[0]
        if header != {"format": "cB", "version": 1}:
            raise ValueError(header)
        buckets = pack[1:]
    except (ImportError, ValueError, OSError):
        import wordfreq

        buckets = wordfreq.get_frequency_list(lang, "small")
    # Bucket i holds the words of frequency 10 ** (-i / 100): zipf = 9 - i / 100.
    table: dict[str, float] = {}
    for i, bucket in enumerate(buckets):
        table.update(dict.fromkeys(bucket, 9.0 - i / 100.0))  # in C: faster than a comprehension
    return table


@cache
def _known_stems(lang: str) -> frozenset[str]:
    """The stems (Snowball) of every word in `lang`'s list: a form the list lacks but whose stem
    it holds is a word too ("excellencies" of "excellency")."""
    from docdiff.text.lemmas import stemmer_for

    stem = stemmer_for(lang)
    words = list(_table(lang))
    return frozenset(stem(words) if stem else words)


def known_word(form: str, lang: str) -> bool:
    """General language knows `form` (lower case) as a word: it, or a word of its stem, is in
    wordfreq's list for `lang` (words more frequent than one per million). A person's name
    mostly is not ("Annan", "Gurirab"); a title or a form of address is ("Sir", "Excellencies")."""
    from docdiff.text.lemmas import stemmer_for

    table = _table(lang)
    if _lookup(form, table) is not None:
        return True
    stem = stemmer_for(lang)
    return stem is not None and stem([form])[0] in _known_stems(lang)


def _lookup(form: str, table: dict[str, float]) -> float | None:
    z = table.get(form)
    if z is not None:
        return z
    if "." in form:  # "u.s." is listed as "u.s"
        z = table.get(form.rstrip(".")) or table.get(form.replace(".", ""))
        if z is not None:
            return z
    if "'" in form:  # "people's": the word before the clitic
        return table.get(form.split("'", 1)[0])
    return None


@lru_cache(maxsize=400_000)
def zipf(form: str, lang: str) -> float:
    """How common a normalised word form is in `lang`, on wordfreq's zipf scale (0 if unknown)."""
    table = _table(lang)
    if not table:
        return 0.0
    z = _lookup(form, table)
    if z is None and lang in {"ar", "fa", "ur"}:
        z = _lookup(_strip_marks(form), table)
    return z if z is not None else 0.0


def _strip_marks(form: str) -> str:
    import unicodedata

    return "".join(c for c in form if not unicodedata.combining(c) and c != "\u0640")


_IDEO_RANGES = ((0x3040, 0x3100), (0x3400, 0xA000), (0xF900, 0xFB00), (0x20000, 0x40000))


def _ideographic(form: str) -> bool:
    code = ord(form[0])
    return len(form) == 1 and any(lo <= code < hi for lo, hi in _IDEO_RANGES)


@lru_cache(maxsize=400_000)
def word_weight(form: str, key: str, lang: str) -> float:
    """The rarity weight (0..1) of one token: 0 for function words, 1 for rare words."""
    if not form or is_stopword(key) or (len(key) == 1 and key.isascii()):
        return 0.0
    if key.isdigit():
        return 0.4
    if not _table(lang):
        return 1.0
    z = zipf(form, lang)
    if _ideographic(form):
        top, span, floor = _IDEO_SPAN
        return max(floor, min(1.0, (top - z) / span))
    return max(0.0, min(1.0, (COMMON_ZIPF - z) / (COMMON_ZIPF - _FULL_ZIPF)))


def token_weights(tokens: Tokens) -> list[float]:
    """The rarity weight of every token, in the tokens' own language."""
    lang = tokens.language()
    forms, keys = tokens.forms, tokens.keys
    # `map` calls the cached weight without a Python frame per token.
    return list(map(word_weight, forms, keys, itertools.repeat(lang, len(forms))))


def stem_weights(stems: Sequence[str], weights: Sequence[float]) -> dict[str, float]:
    """Stem -> weight of its commonest form in the text (a stem is as common as its forms)."""
    out: dict[str, float] = {}
    for stem, w in zip(stems, weights, strict=True):
        old = out.get(stem)
        if old is None or w < old:
            out[stem] = w
    return out


def pair_zipf(first: str, second: str, lang: str) -> float:
    """Estimated zipf of the two-word phrase ``first second`` in general language.

    wordfreq lists single words only, so this is the frequency the pair would have if its
    words were independent: zipf(first) + zipf(second) - 9. Collocations of the genre
    ("human rights", "United Nations") are far more frequent than that; ``rare_pair`` checks
    them against the corpus (or the genre's bigram table) as well.
    """
    z1 = zipf(first, lang) or _UNKNOWN_ZIPF
    z2 = zipf(second, lang) or _UNKNOWN_ZIPF
    return z1 + z2 - 9.0


def rare_pair(
    first: str,
    second: str,
    lang: str,
    *,
    corpus_share: float | None = None,
    max_share: float = 0.01,
) -> bool:
    """True when the two-word phrase is rare enough to be a telling echo.

    `first`/`second` are normalised forms. The pair must be rare in general language
    (``pair_zipf`` at most ``RARE_PAIR_ZIPF``), rare in the corpus (`corpus_share`: share of
    corpus documents holding it, when there is a corpus) and not a known collocation of
    official speech (a bigram table built from the UN General Debate corpus ships with
    docdiff). Whether either document uses it as a topic term is for the caller to judge.
    """
    if is_stopword(fuzzy_key(first)) or is_stopword(fuzzy_key(second)):
        return False
    if pair_zipf(first, second, lang) > RARE_PAIR_ZIPF:
        return False
    if corpus_share is not None and corpus_share > max_share:
        return False
    return genre_share(first, second, lang) <= max_share


def genre_share(first: str, second: str, lang: str) -> float:
    """Share of UN General Debate speeches holding the two-word phrase (English only; 0 if
    the phrase is not among the genre's frequent bigrams)."""
    if lang != "en":
        return 0.0
    return genre_bigrams().get(f"{first} {second}", 0.0)


@cache
def genre_bigrams() -> dict[str, float]:
    """ "first second" (normalised forms) -> share of UN General Debate speeches holding it.

    The phrases of content words found in at least 0.5 % of the speeches (2000-2024, CC0
    upstream), built by ``scripts/build_language_tables.py`` into ``docdiff/data``.
    """
    import gzip

    from docdiff.data import read_bytes

    packed = read_bytes("un_bigrams.tsv.gz")
    out: dict[str, float] = {}
    # One decompression and one split: about twice as fast as reading line by line.
    for line in gzip.decompress(packed).decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            phrase, _, share = line.partition("\t")
            out[phrase] = float(share)
    return out
