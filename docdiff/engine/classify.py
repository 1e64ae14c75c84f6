"""Tell what kind of reuse a passage is: a name or title, a quotation, or plain phrasing.

Formulae are recognised in the pipeline, where the lexicon instances of both documents are at
hand; this module holds the text-only tests.
"""

from __future__ import annotations

from docdiff.model import Span
from docdiff.text.tokens import Tokens, is_stopword

__all__ = ["inside_quotes", "name_evidence"]

# Function words that may stand inside a name or title ("Office of the ... for Human Rights").
_NAME_GLUE = frozenset("of the for and on in to de la le du des del y at".split())
_MAX_NAME_WORDS = 16
_PAIRS = (("\u201c", "\u201d"), ("\u00ab", "\u00bb"), ("\u201e", "\u201c"), ("\u2018", "\u2019"))


def name_evidence(text: str, tokens: Tokens, i0: int, i1: int) -> tuple[bool, str]:
    """Whether tokens ``[i0, i1)`` read as a proper name or title, and why."""
    n = i1 - i0
    if n == 0 or n > _MAX_NAME_WORDS:
        return False, f"{n} words: too long for a name"
    content = []
    for i in range(i0, i1):
        key = tokens.keys[i]
        if is_stopword(key):
            if tokens.forms[i] not in _NAME_GLUE:
                return False, f"contains the function word {tokens.forms[i]!r}"
            continue
        content.append(i)
    if not content:
        return False, "no content words"
    capital = 0
    shouted = 0
    for i in content:
        word = text[tokens.starts[i] : tokens.ends[i]]
        if word[:1].isupper():
            capital += 1
            if len(word) > 5 and word.isupper():
                shouted += 1
    if shouted == len(content) and len(content) > 1:
        return False, "an all-capitals heading, not a name"
    if _heading_block(text, tokens.starts[i0], tokens.ends[i1 - 1]):
        return True, "a heading or letterhead block (short lines, no sentence)"
    if capital / len(content) >= 0.75:
        return True, f"{capital} of {len(content)} content words capitalised"
    if capital * 2 >= len(content) and _is_title(text, tokens, i0, i1, content):
        return True, "an official title ('Special Rapporteur on ...') ending in a name"
    return False, f"only {capital} of {len(content)} content words capitalised"


# Heads of official titles whose complement is lower-case ("Special Rapporteur on the
# situation of human rights in ...", "Working Group on Arbitrary Detention").
_TITLE_HEADS = frozenset(
    """
    rapporteur rapporteurs expert experts group representative envoy adviser advisor
    commissioner committee council commission ministry minister office mission embassy court
    tribunal government president secretary assembly programme program fund agency
    organization organisation department delegation
    """.split()
)


def _is_title(text: str, tokens: Tokens, i0: int, i1: int, content: list[int]) -> bool:
    heads = content[:2]
    if not heads or (heads[0] != i0 and not (heads[0] == i0 + 1 and tokens.forms[i0] == "the")):
        return False
    if not all(text[tokens.starts[i]].isupper() for i in heads):
        return False
    if not any(tokens.forms[i] in _TITLE_HEADS for i in heads):
        return False
    return text[tokens.starts[i1 - 1]].isupper()


def _heading_block(text: str, start: int, end: int) -> bool:
    """True when the text spans two or more short lines that hold no sentence."""
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    block = text[lo : hi if hi >= 0 else len(text)]
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    if len(lines) < 2:
        return False
    return all(len(line.split()) <= 8 and not line.endswith((".", ";", ",")) for line in lines)


def inside_quotes(text: str, span: Span, *, reach: int = 600) -> bool:
    """True when `span` stands inside quotation marks within its paragraph."""
    lo = max(0, span.start - reach)
    left = text[lo : span.start]
    cut = max(left.rfind("\n\n"), left.rfind("\r\n\r\n"))
    if cut >= 0:
        left = left[cut:]
    right = text[span.end : span.end + reach]
    cut = right.find("\n\n")
    if cut < 0:
        cut = right.find("\r\n\r\n")
    if cut >= 0:
        right = right[:cut]
    for opener, closer in _PAIRS:
        o = left.rfind(opener)
        if o >= 0 and left.rfind(closer, o + 1) < 0 and closer in right:
            # The closing mark must come before any new opening one on the right.
            c = right.find(closer)
            o2 = right.find(opener)
            if opener == closer or o2 < 0 or c < o2:
                return True
    # Straight double quotes pair up by parity; straight single quotes are apostrophes too
    # often to trust.
    return left.count('"') % 2 == 1 and '"' in right
