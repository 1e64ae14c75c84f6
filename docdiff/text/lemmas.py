"""Which language a document is written in, and the stems its words share across inflection
and derivation (protect/protection/protected, pelanggaran/melanggar).

Detection is deterministic and cheap: the script of the words decides first (Cyrillic,
Arabic, Hangul, Han, kana, ...); Latin-script text is then told apart by counting a few dozen
function words per language. Stems come from the Snowball algorithms (PyStemmer, a C
extension; the pure-Python ``snowballstemmer`` has the same algorithms and stands in when
PyStemmer is missing), except in English, which keeps docdiff's own fuzzy key and
derivational root. Chinese and Japanese stay per character and Korean keeps its word units:
they are not stemmed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

from docdiff.text.language import detect_language

__all__ = ["SNOWBALL", "detect_language", "paraphrase_stems", "stemmer_for"]

SNOWBALL: dict[str, str] = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hi": "hindi",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}
"""Language code -> Snowball algorithm."""


@cache
def stemmer_for(lang: str) -> Callable[[list[str]], list[str]] | None:
    """A function stemming a list of words in `lang`, or None when Snowball has no stemmer."""
    algorithm = SNOWBALL.get(lang)
    if algorithm is None:
        return None
    try:
        import Stemmer

        return Stemmer.Stemmer(algorithm, 0).stemWords  # type: ignore[no-any-return]
    except ImportError:  # pragma: no cover - PyStemmer is a dependency; this is the fallback
        import snowballstemmer

        return snowballstemmer.stemmer(algorithm).stemWords  # type: ignore[no-any-return]


_STEMS: dict[tuple[str, str], str] = {}
_STEMS_MAX = 400_000


def paraphrase_stems(forms: Sequence[str], keys: Sequence[str], lang: str) -> list[str]:
    """One stem per token, shared by inflections and derivations of a word.

    English keeps the fuzzy key (spelling variants and inflections: honour/honor, has/have)
    with its derivational suffixes stripped (``root_stem``: protection/protected); Snowball's
    English stemmer found no more reworded English sentences and conflated more unrelated
    words (``tests/benchmarks/bench_reworded.py``). Other Snowball languages stem the
    normalised form; the rest (Chinese, Japanese, Korean, unknown) keep the fuzzy key with its
    derivational suffixes stripped.
    """
    from docdiff.text.tokens import root_stem

    stem = None if lang == "en" else stemmer_for(lang)
    if stem is None:
        # `map` calls the cached stemmer without a Python frame per token.
        return list(map(root_stem, keys))
    cache = _STEMS
    if len(cache) > _STEMS_MAX:
        cache.clear()
    if lang == "ar":
        # Snowball leaves the conjunction on "wa-al-"/"fa-al-" words (والحكومة): drop it.
        source = [f[1:] if len(f) >= 5 and f.startswith(("وال", "فال")) else f for f in forms]
    else:
        source = list(forms)
    missing = sorted({w for w in source if (lang, w) not in cache})
    if missing:
        for word, stemmed in zip(missing, stem(missing), strict=True):
            cache[lang, word] = stemmed or word
    return [cache[lang, w] for w in source]
