"""Tokenize text in any script into normalised word forms with code-point spans.

Normalisation touches token forms only, never `Document.text`:

* NFKC and case folding; curly quotes, primes and dashes unified;
* a word hyphenated across a line break (``promo-\\n tion``) is one token;
* Han and kana are split into one token per character (no spaces to split on);
* a cheap fuzzy key equates spelling variants and inflections (honour/honor,
  fabrication/fabrications, has/have), which alignment and seeding use.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import accumulate
from operator import itemgetter

from docdiff.model import Span

__all__ = [
    "CHARACTERS_A_WORD",
    "IDEOGRAPHIC",
    "NUMBER_WORDS",
    "STOPWORDS",
    "STOPWORD_KEYS",
    "UNSPACED_LANGUAGES",
    "Tokens",
    "count_words",
    "fuzzy_key",
    "ideographic",
    "is_stopword",
    "normalise",
    "root_stem",
    "tokenize",
    "tokens_at",
]

# Combining marks that Python's \w misses (Arabic harakat, Indic vowel signs, diacritics), so
# that a word written with them stays one token.
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
    "\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963\u0981-\u0983\u09bc-\u09d7"
    "\u0a01-\u0a03\u0a3c-\u0a51\u0b01-\u0b03\u0b3c-\u0b57\u0bbe-\u0bcd\u0c00-\u0c04"
    "\u0c3e-\u0c56\u0d00-\u0d03\u0d3e-\u0d4d\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
    "\u1ab0-\u1aff\u1dc0-\u1dff\u200c\u200d\u20d0-\u20ff\ufe20-\ufe2f\u00ad"
)
# Scripts written without spaces between words: one token per character.
_IDEO = (
    "\u2e80-\u2fff\u3005-\u3007\u3021-\u3029\u3031-\u3035\u3038-\u303c\u3040-\u30ff"
    "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0003ffff"
)
IDEOGRAPHIC = _IDEO
"""The characters of scripts written without spaces between words (Han, kana), as a regular
expression character class's ranges: each is a token of its own."""
_IDEOGRAPH = re.compile(f"[{_IDEO}]")

CHARACTERS_A_WORD = 2
"""Tokens of a script written without spaces (a character each) that make one word where a
passage's words are counted (`docdiff.engine.echoes.passage_words`): a word of Chinese or Japanese
running text is one to four characters, two on average ("应对气候变化", tackle climate change,
is six characters and three words)."""

UNSPACED_LANGUAGES = frozenset({"zh", "ja"})
"""Languages written without spaces between words (`Tokens.language`)."""


def ideographic(token: str) -> bool:
    """`token` is a character of a script written without spaces between words."""
    return len(token) == 1 and _IDEOGRAPH.match(token) is not None


_W = rf"(?:[^\W_{_IDEO}]|[{_MARKS}])"
_WORD = rf"{_W}+(?:['\u2019\u02bc]{_W}+)*"
# "U.S.", "U.N.", "e.g.": single letters each followed by a full stop make one token.
_LETTER = rf"[^\W\d_{_IDEO}]"
_ABBR = rf"(?:{_LETTER}\.){{2,}}"
_TOKEN = rf"{_ABBR}|{_WORD}(?:[-\u00ad\u2010][ \t]*(?:\r\n|\r|\n)[ \t]*{_WORD})*|[{_IDEO}]"
# The fast path: one character class; a match holding "_" or Han/kana is re-split by the full
# pattern above (rare outside East Asian text).
_FW = rf"[\w{_MARKS}]+(?:['\u2019\u02bc][\w{_MARKS}]+)*"
_HYPHEN_BREAK = r"[-\u00ad\u2010][ \t]*(?:\r\n|\r|\n)[ \t]*"
# ``{_ABBR}|{_FW}(?:{_HYPHEN_BREAK}{_FW})*`` with the first character of either branch taken
# once, before them (an abbreviation's first letter is a word character): a pattern that
# starts with a character class lets the regular expression engine skip the text between
# tokens in one tight loop, instead of trying both branches at every character (twice as
# fast on long texts). The same matches (tests/test_tokens_fast.py).
# Most words are letters alone: the abbreviation's branch first matches its full stop (a
# literal fails at once on a word's second letter) and looks back at the letter after, and
# the repeated groups (apostrophes, hyphenated line breaks), which the engine enters at a
# cost of its own even to repeat them no times, are entered only before a character that
# can begin them; an empty branch ends every other word (a third fewer instructions to split
# a long text, and the same matches).
_FAST = (
    rf"[\w{_MARKS}](?:\.(?<={_LETTER}\.)(?:{_LETTER}\.)+"
    rf"|[\w{_MARKS}]*(?:(?=[-'\u2019\u02bc\u00ad\u2010])"
    rf"(?:['\u2019\u02bc][\w{_MARKS}]+)*(?:{_HYPHEN_BREAK}{_FW})*|))"
)


@cache
def _pattern(pattern: str) -> re.Pattern[str]:
    """`pattern` compiled on first use: the character classes above take tens of milliseconds
    to compile, and a process tokenizing only spaced text never needs `_TOKEN` or `_FAST`."""
    return re.compile(pattern)


_NEEDS_SPLIT = re.compile(rf"[_{_IDEO}]")
_LINEBREAK_HYPHEN_RE = re.compile(r"[-\u00ad\u2010][ \t]*(?:\r\n|\r|\n)[ \t]*")
_FORM_TRANSLATE = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u2032": "'",
        "\u00ad": None,
        "\u200c": None,
        "\u200d": None,
    }
)

STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either else
    ever every few for from further had has have having he her here hers herself him himself
    his how however i if in into is it its itself just may me might more most must my myself
    neither no nor not now of off on once only or other others our ours ourselves out over own
    per same shall she should since so some such than that the their theirs them themselves
    then there these they this those though through thus to too under until up upon us very
    was we were what when where whether which while who whom whose why will with within without
    would yet you your yours yourself yourselves
    le la les de des du un une et en au aux dans par pour sur qui que est sont ce cette ces il
    elle ils elles nous vous se sa son ses leur leurs ne pas plus ou mais avec auprès
    el los las del al y o que en por para con su sus es son lo como una uno se no mas ante
    yang dan di ke dari untuk dengan ini itu dalam pada adalah tidak akan oleh juga atau sebagai
    ada dapat karena bahwa telah sudah bisa lebih mereka kita kami saya ia tersebut hal antara
    и в во не на с со что как а но по к ко у из за от о об для до при же ли бы или это этот эта
    эти того то так его ее её их он она оно они мы вы я который которая которые которое также
    уже еще ещё был была были быть есть все всех только между под над через после без чтобы
    если когда где
    في من على إلى عن مع أن إن أو ثم هذا هذه ذلك تلك التي الذي الذين كما قد لا لم لن ما هو هي
    هم كان كانت بين عند حتى إلا كل بعد قبل غير أي لقد
    """.split()
)

_IRREGULAR = {
    "has": "have",
    "had": "have",
    "having": "have",
    "is": "be",
    "are": "be",
    "was": "be",
    "were": "be",
    "been": "be",
    "being": "be",
    "am": "be",
    "does": "do",
    "did": "do",
    "done": "do",
    "defence": "defense",
    "offence": "offense",
    "licence": "license",
    "pretence": "pretense",
    "programme": "program",
    "programmes": "program",
    "judgement": "judgment",
    "grey": "gray",
    "towards": "toward",
}
_VOWELS = frozenset("aeiouy")
_OUR_RE = re.compile(r"(?<=[a-z]{3})our")
_ISE_SUFFIXES = ("e", "ed", "es", "ing", "ation", "ations", "er", "ers")
_LL_SUFFIXES = ("ed", "ing", "er", "ers")
_ISE_RE = re.compile(rf"(?<=[a-z]{{3}})([iy])s({'|'.join(_ISE_SUFFIXES)})$")
_TRE_RE = re.compile(r"(?<=[a-z]{2})tre(s?)$")
_LL_RE = re.compile(rf"(?<=[aeiou])ll({'|'.join(_LL_SUFFIXES)})$")
# The endings each of the two patterns above needs (a word, all letters, holds no line break
# for ``$`` to stand before): most words end in none of them, and skip the pattern.
_ISE_ENDS = tuple(f"{v}s{e}" for v in "iy" for e in _ISE_SUFFIXES)
_LL_ENDS = tuple(f"ll{e}" for e in _LL_SUFFIXES)


@lru_cache(maxsize=200_000)
def normalise(raw: str) -> str:
    """The normalised form of one raw token: NFKC, case-folded, quotes unified."""
    if raw.isascii():
        form = raw.lower()
        if "-" in form or "\r" in form or "\n" in form:
            form = _LINEBREAK_HYPHEN_RE.sub("", form)
        return form
    form = _LINEBREAK_HYPHEN_RE.sub("", raw)
    return unicodedata.normalize("NFKC", form.translate(_FORM_TRANSLATE)).casefold()


@lru_cache(maxsize=200_000)
def fuzzy_key(form: str) -> str:
    """A key shared by spelling variants and inflections of a normalised form."""
    word = _IRREGULAR.get(form)
    if word is not None:
        return word
    if len(form) <= 3 or not form.isascii() or not form.isalpha():
        return form
    word = form
    # British spellings on the whole word first (honourable -> honorable).
    # Each pattern runs only on a word holding its letters (most words hold none).
    if "our" in word:
        word = _OUR_RE.sub("or", word)
    if word.endswith(_ISE_ENDS):
        word = _ISE_RE.sub(r"\1z\2", word)
    if word.endswith(_LL_ENDS):
        word = _LL_RE.sub(r"l\1", word)
    if word.endswith(("tre", "tres")):
        word = _TRE_RE.sub(r"ter\1", word)
    # Plurals and verb inflections: a light S-stemmer plus -ed/-ing.
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "ches", "shes", "xes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is", "ous")) and len(word) > 3:
        word = word[:-1]
    if word.endswith("ied") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("ed") and len(word) > 4 and _has_vowel(word[:-2]):
        word = _undouble(word[:-2])
    elif word.endswith("ing") and len(word) > 5 and _has_vowel(word[:-3]):
        word = _undouble(word[:-3])
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


_DERIVATIONAL = (
    "ational", "ization", "ation", "ition", "ment", "ness", "enc", "anc", "ion", "ity", "iv",
    "ful", "ous", "ally", "ly", "al", "ic", "er", "at",
)  # fmt: skip


@lru_cache(maxsize=200_000)
def root_stem(key: str) -> str:
    """A coarser stem for paraphrase: derivations share it (violation/violated, gross/grossly)."""
    if len(key) <= 5 or not key.isascii() or not key.isalpha():
        return key
    word = key
    for _ in range(2):
        if not word.endswith(_DERIVATIONAL):
            break  # (one C call rules out every suffix: most words end in none)
        for suffix in _DERIVATIONAL:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        else:
            break
    return word


def _has_vowel(stem: str) -> bool:
    return any(c in _VOWELS for c in stem)


def _undouble(stem: str) -> str:
    if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "lsz" and stem[-1] not in _VOWELS:
        return stem[:-1]
    return stem


STOPWORD_KEYS: frozenset[str] = STOPWORDS | frozenset(map(fuzzy_key, STOPWORDS))
"""The keys of the function words (`STOPWORDS` as written and as `fuzzy_key` makes them: a
token's key of "there", "these", "before" or "during" is not the word as written)."""


def is_stopword(key: str) -> bool:
    """True for function words, which never seed a match on their own: `key` is a token's key
    (`fuzzy_key`: "these" is "thes", "cette" "cett") or a function word as written."""
    return key in STOPWORD_KEYS


@dataclass(slots=True)
class Tokens:
    """The tokens of one text as parallel lists (cheap to build and to slice)."""

    forms: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    _language: str | None = None

    def language(self) -> str:
        """The text's language code, guessed from its script and function words (cached)."""
        if self._language is None:
            from docdiff.text.language import detect_language

            self._language = detect_language(self.forms)
        return self._language

    def __len__(self) -> int:
        return len(self.forms)

    def span(self, i: int) -> Span:
        """The text span of token `i`."""
        return Span(self.starts[i], self.ends[i])

    def range_span(self, i: int, j: int) -> Span:
        """The text span from the start of token `i` to the end of token ``j - 1``."""
        return Span(self.starts[i], self.ends[j - 1])


_ACRONYM_KEYS = {"US": "u.s.", "UN": "u.n.", "UK": "u.k.", "EU": "e.u.", "USA": "u.s.a."}
"""Capitalised acronyms whose lower case is another word ("US"/"us", "UN"/French "un") share
the key of their dotted spelling instead."""


def _form_and_key(raw: str) -> tuple[str, str]:
    """A raw token's normalised form and its key (the one place both are made)."""
    form = normalise(raw)
    return form, _ACRONYM_KEYS.get(raw) or (fuzzy_key(form) if form else "")


_SEEN: dict[str, tuple[str, str]] = {}
"""raw token -> (form, key): most words recur, so each is normalised once per process."""
_SEEN_MAX = 500_000


_SPLIT_RE = re.compile(f"({_FAST})")


def tokenize(text: str) -> Tokens:
    """Split `text` into normalised tokens with their code-point spans."""
    if _NEEDS_SPLIT.search(text) is not None:
        return _tokenize_each(text)
    # One split of the whole text: tokens at odd places, the text between them at even ones;
    # spans are running sums of the part lengths (no per-match object).
    parts = _SPLIT_RE.split(text)
    ends_all = list(accumulate(map(len, parts)))
    raws = parts[1::2]
    starts = ends_all[0::2][: len(raws)]
    ends = ends_all[1::2]
    pairs = _pairs(raws)
    forms = list(map(_FORM, pairs))
    if "" in forms:  # a raw token that normalises to nothing (joiners alone) is dropped
        keep = [n for n, form in enumerate(forms) if form]
        pairs = [pairs[n] for n in keep]
        forms = [forms[n] for n in keep]
        starts = [starts[n] for n in keep]
        ends = [ends[n] for n in keep]
    return Tokens(forms, list(map(_KEY, pairs)), starts, ends)


_FORM, _KEY = itemgetter(0), itemgetter(1)


def count_words(text: str) -> int:
    """``len(tokenize(text))`` without building the tokens (a report's word counts)."""
    if _NEEDS_SPLIT.search(text) is not None:
        return len(_tokenize_each(text))
    return sum(1 for form, _ in _pairs(_pattern(_FAST).findall(text)) if form)


def _pairs(raws: list[str]) -> list[tuple[str, str]]:
    """``(form, key)`` of each raw token, each distinct one normalised once per process."""
    seen = _SEEN
    if len(seen) > _SEEN_MAX:
        seen.clear()
    pairs: list[tuple[str, str] | None] = list(map(seen.get, raws))
    if None in pairs:  # new words: normalised once, and remembered
        for n, raw in enumerate(raws):
            if pairs[n] is None:
                got = seen.get(raw)
                pairs[n] = got if got is not None else seen.setdefault(raw, _form_and_key(raw))
    return pairs  # type: ignore[return-value]  # no None left


def _tokenize_each(text: str) -> Tokens:
    """`tokenize` match by match (text holding "_" or Han/kana, which are split again)."""
    tokens = Tokens()
    forms, keys, starts, ends = tokens.forms, tokens.keys, tokens.starts, tokens.ends
    seen = _SEEN
    if len(seen) > _SEEN_MAX:
        seen.clear()
    needs_split = _NEEDS_SPLIT.search
    for m in _pattern(_FAST).finditer(text):
        raw = m.group()
        if needs_split(raw):
            parts = [
                (p.group(), p.start(), p.end()) for p in _pattern(_TOKEN).finditer(text, *m.span())
            ]
        else:
            parts = [(raw, m.start(), m.end())]
        for piece, start, end in parts:
            pair = seen.get(piece)
            if pair is None:
                pair = seen[piece] = _form_and_key(piece)
            if not pair[0]:
                continue
            forms.append(pair[0])
            keys.append(pair[1])
            starts.append(start)
            ends.append(end)
    return tokens


def tokens_at(text: str, starts: Sequence[int], ends: Sequence[int]) -> Tokens:
    """The tokens of `text` at spans `tokenize` found before (kept by an index, say).

    No pattern runs again: each span's raw text is normalised once per process, as in
    `tokenize`, so the result equals ``tokenize(text)`` for the spans it returned.
    """
    pairs = _pairs([text[s:e] for s, e in zip(starts, ends, strict=True)])
    return Tokens(list(map(_FORM, pairs)), list(map(_KEY, pairs)), list(starts), list(ends))


NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand million billion second third fourth fifth sixth seventh eighth ninth "
    "tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth "
    "nineteenth twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth "
    "hundredth thousandth".split()
)
"""English number words (cardinal and ordinal; "first" is left out: "first-hand", "at first")."""
