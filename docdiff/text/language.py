"""Which language a text is written in: deterministic and cheap.

The script of the words decides first (Cyrillic, Arabic, Hangul, Han, kana, ...); Latin-script
text is then told apart by counting a few dozen function words per language.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence

__all__ = ["detect_language"]

# Frequent function words that tell Latin-script languages apart (each list avoids the words
# it shares with a neighbour: "de", "la", "que", "en" count for no one).
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the of and to is that for it with was on be by this are have from which not "
        "has its their were been would an they will",
        "fr": "le les des du et est une dans pour qui sur pas par au aux ce cette sont nous "
        "avec il été leur ses être",
        "es": "el los las del y por con para una es al lo como su sus más fue este ha han "
        "entre sobre también",
        "id": "yang dan di ke dari untuk dengan ini itu dalam pada adalah tidak akan oleh juga "
        "atau sebagai ada bahwa telah karena",
        "pt": "o os do da dos das não para com uma é ao pelo pela são foi também seu sua",
        "de": "der die das und ist nicht mit den dem ein eine zu von auf sich für des auch",
        "it": "il di che gli per con non una è del della sono alla anche nel questo",
        "nl": "het een van en is dat op te zijn met voor niet aan ook wordt door",
    }.items()
}
_SAMPLE = 4000
"""Tokens looked at to guess a language: enough for a stable vote, cheap on a long text."""


def detect_language(forms: Sequence[str]) -> str:
    """An ISO 639-1 code for the language of normalised word `forms` ("und" when unknown)."""
    sample = forms[:_SAMPLE]
    # Counted by first letter, then by script: a text has a few dozen distinct first letters.
    scripts: Counter[str] = Counter()
    for char, n in Counter(f[0] for f in sample if f).items():
        scripts[_script(char)] += n
    scripts.pop("other", None)
    if not scripts:
        return "und"
    script = max(scripts, key=lambda s: (scripts[s], s))
    if script in {"han", "kana"}:
        # Japanese mixes kana into Han text; Chinese has none.
        return "ja" if scripts["kana"] * 20 >= scripts["han"] + scripts["kana"] else "zh"
    if script == "latin":
        seen = Counter(sample)
        votes = {
            lang: sum(seen[w] for w in words if w in seen)
            for lang, words in _FUNCTION_WORDS.items()
        }
        best = max(votes, key=lambda lang: (votes[lang], lang == "en"))
        return best if votes[best] > 0 else "und"
    if script == "cyrillic":
        return "uk" if any(c in f for f in sample[:500] for c in "ієїґ") else "ru"
    if script == "arabic":
        text = "".join(sample[:500])
        if any(c in text for c in "ےٹڈںھ"):
            return "ur"
        return "fa" if any(c in text for c in "پچژگکی") else "ar"
    return _SCRIPT_LANG.get(script, "und")


_SCRIPT_LANG = {"hangul": "ko", "greek": "el", "hebrew": "he", "devanagari": "hi", "thai": "th"}
_BLOCKS = (
    (0x0000, "latin"),
    (0x0250, "other"),
    (0x0370, "greek"),
    (0x0400, "cyrillic"),
    (0x0530, "other"),
    (0x0590, "hebrew"),
    (0x0600, "arabic"),
    (0x0780, "other"),
    (0x0900, "devanagari"),
    (0x0980, "other"),
    (0x0E00, "thai"),
    (0x0E80, "other"),
    (0x1100, "hangul"),
    (0x1200, "other"),
    (0x1E00, "latin"),
    (0x1F00, "greek"),
    (0x2000, "other"),
    (0x3040, "kana"),
    (0x3100, "other"),
    (0x3130, "hangul"),
    (0x3190, "other"),
    (0x31F0, "kana"),
    (0x3200, "other"),
    (0x3400, "han"),
    (0x4DC0, "other"),
    (0x4E00, "han"),
    (0xA000, "other"),
    (0xAC00, "hangul"),
    (0xD7B0, "other"),
    (0xF900, "han"),
    (0xFB00, "other"),
    (0xFB50, "arabic"),
    (0xFE00, "other"),
    (0xFE70, "arabic"),
    (0xFF00, "other"),
    (0xFF66, "kana"),
    (0xFFA0, "other"),
    (0x20000, "han"),
    (0x40000, "other"),
)
"""Unicode blocks (start code point, script), in order."""
_BLOCK_STARTS = [start for start, _ in _BLOCKS]


def _script(char: str) -> str:
    if not char.isalpha():
        return "other"
    return _BLOCKS[bisect.bisect_right(_BLOCK_STARTS, ord(char)) - 1][1]
