"""Tell what kind of reuse a passage is: one table of ordered rules (`RULES`, `decide`).

`classify_pieces` gathers the facts about a piece (lexicon instances, corpus frequency, the
text-only tests below: names, quotation marks, agenda titles); `decide` applies the first rule
that holds. Each rule has a golden case in ``fixtures/golden/``.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple, Protocol, TypeVar

from docdiff.engine.align import Piece, aligned_ops
from docdiff.engine.lexicon import FormulaHit, Lexicon
from docdiff.engine.prepare import FORMULA_KGRAM, DocFreq, Prepared, text_wide, token_range
from docdiff.model import AlignOp, Kind, Match, OpTag, Passage, Span
from docdiff.options import Options
from docdiff.text.apparatus import APPARATUS_REASON, apparatus_spans, within
from docdiff.text.datelines import DATELINE_REASON, dateline_spans
from docdiff.text.markings import HEAD_REASON
from docdiff.text.names import NAME_PARTICLES, capitalised_inside, compound_start
from docdiff.text.tokens import Tokens, is_stopword

__all__ = [
    "AGENDA_REASON",
    "APPARATUS_REASON",
    "MAX_NAME_WORDS",
    "MIN_PASSAGE_WEIGHT",
    "ONE_SIDE_REASON",
    "OWN_WORDING_REASON",
    "RULES",
    "Decision",
    "Facts",
    "Rule",
    "TextFacts",
    "agenda_title",
    "classify_pieces",
    "closing_bracket",
    "cover_datelines_and_apparatus",
    "cover_markings",
    "covered_by",
    "decide",
    "decide_early",
    "decide_reading",
    "enclosed",
    "forms_apart",
    "frequent_words",
    "in_apparatus",
    "in_dateline",
    "in_head",
    "inside_quotes",
    "marks_before",
    "name_evidence",
    "option_dash",
    "topic_phrase",
]

# Function words that may stand inside a name or title ("Office of the ... for Human Rights").
_NAME_GLUE = frozenset(
    "of the for and on in to at de la le las los el les du des del aux y et ante auprès pour "
    "à au sur en contre sobre contra entre para por con "
    "di da dan untuk при по и в для на".split()
)
MAX_NAME_WORDS = 32
"""The most words a name or title holds (`name_evidence`): a leader's titles run to 25 ("Comrade
Kim Jong Un, Chairman of the Workers’ Party of Korea and Chairman of the State Affairs
Commission of the Democratic People’s Republic of Korea")."""
_PAIRS = (("\u201c", "\u201d"), ("\u00ab", "\u00bb"), ("\u201e", "\u201c"), ("\u2018", "\u2019"))


def name_evidence(text: str, tokens: Tokens, i0: int, i1: int) -> tuple[bool, str]:
    """Whether tokens ``[i0, i1)`` read as a proper name or title, and why."""
    n = i1 - i0
    if n == 0 or n > MAX_NAME_WORDS:
        return False, f"{n} words: too long for a name"
    if _field_list(text, tokens.starts[i0], tokens.ends[i1 - 1]):
        return False, "a list of fields ('Classifier: …' lines), not a name"
    content, refused = _name_words(text, tokens, i0, i1)
    if refused is not None:
        return False, f"contains the function word {refused!r}"
    if not content:
        return False, "no content words"
    capitals = []
    shouted = 0
    for i in content:
        word = text[tokens.starts[i] : tokens.ends[i]]
        if _capital(text, tokens.starts[i]) or _cites(text, tokens, i, i1):
            capitals.append(i)
            if len(word) > 5 and word.isupper():
                shouted += 1
    capital = len(capitals)
    if shouted == len(content) and len(content) > 1:
        return False, "an all-capitals heading, not a name"
    # A letterhead or a heading names someone or something with a capital ("Embassy of
    # Examplia / trade section / fisheries desk"); short lines of words in lower case only are
    # none ("--version" / "output version information and exit", a manual page's option).
    if capital and _heading_block(text, tokens.starts[i0], tokens.ends[i1 - 1]):
        return True, "a heading or letterhead block (short lines, no sentence)"
    if _caseless_letterhead(text, tokens.starts[i0], tokens.ends[i1 - 1]):
        return True, "a letterhead: the document's first line, in a script without capitals"
    between = _common_word_between(tokens, content, capitals)
    if capital / len(content) >= 0.75 and between is None:
        return True, f"{capital} of {len(content)} content words capitalised"
    if capital * 2 >= len(content) and _is_title(text, tokens, i0, i1, content):
        return True, "an official title ('Special Rapporteur on ...') ending in a name"
    if _body_name(text, tokens, i0, i1):
        return True, "a body's name, its first word capitalised ('Conseil de sécurité')"
    if between is not None and capital / len(content) >= 0.75:
        return False, f"two names and the common word {between!r} between them: a phrase"
    return False, f"only {capital} of {len(content)} content words capitalised"


def _field_list(text: str, start: int, end: int) -> bool:
    """The text from `start` to `end` holds two lines or more that open on a field's label
    (`_FIELD_LINE`: "Classifier: Development Status :: 5 - Production/Stable", "Requires-Python:
    >=3.10" of a package's metadata): values under their labels, capitalised as labels and
    categories are, no name."""
    if text.find("\n", start, end) < 0:
        return False  # one line (most passages of a speech, whose paragraphs are lines)
    # (A field's line is short: its start and end are looked for `_FIELD_REACH` away at most,
    # so a passage of a text in a few huge lines costs no more.)
    reach = max(0, start - _FIELD_REACH)
    before = text.rfind("\n", reach, start)
    lo = before + 1 if before >= 0 else (0 if reach == 0 else start)
    hi = text.find("\n", end, end + _FIELD_REACH)
    found = _FIELD_LINE.finditer(text, lo, hi if hi >= 0 else end)
    return next(found, None) is not None and next(found, None) is not None


_FIELD_REACH = 300
"""Characters looked at on each side of a passage for the lines of its fields (`_field_list`)."""
_FIELD_LINE = re.compile(r"^[ \t]*[^\W\d_][\w-]*(?: [\w-]+){0,2}:[ \t]+\S", re.MULTILINE)
"""A line opening on a field's label: up to three words, the first a letter's, then a colon and
the value on the same line."""


def _name_words(text: str, tokens: Tokens, i0: int, i1: int) -> tuple[list[int], str | None]:
    """The content words of tokens ``[i0, i1)`` read as a name, or the function word that
    makes them a phrase: one neither glue inside a name nor capitalised as a part of one, nor
    a preposition inside a title written in title case (`_between_capitals`)."""
    content: list[int] = []
    inner: str | None = None  # a function word between a title's capitalised words
    for i in range(i0, i1):
        key = tokens.keys[i]
        if key.isdigit():
            continue  # a number in a name ("Act 1833", "resolution 2270 (2016)") is neither
        if (
            is_stopword(key)
            and not _the_month(text, tokens, i)
            and not _capitalised_in_name(text, tokens, i0, i)
        ):
            form = tokens.forms[i]
            if form not in _NAME_GLUE:
                if form not in _TITLE_GLUE or not _between_capitals(text, tokens, i0, i1, i):
                    return content, form
                inner = inner or form
            continue
        content.append(i)
    if inner is not None and content and not _title_cased(text, tokens, content):
        return content, inner
    return content, None


def _between_capitals(text: str, tokens: Tokens, i0: int, i1: int, i: int) -> bool:
    """Whether the function word `i` stands in the title of an instrument or an event that
    opens before it in ``[i0, i1)`` (`_INSTRUMENTS`), between two capitalised words across
    the glue beside it, as "that" and "through" stand in "Protocol on Substances that
    Deplete the Ozone Layer" and "Meeting to Review Progress ... of Small Island Developing
    States through the Implementation of ..."; two names joined by one ("the United States
    against the Democratic People's Republic of Korea") are a phrase."""
    if not any(
        tokens.forms[h] in _INSTRUMENTS and _capital(text, tokens.starts[h]) for h in range(i0, i)
    ):
        return False
    j = i - 1
    while j > i0 and tokens.forms[j] in _NAME_GLUE:
        j -= 1
    k = i + 1
    while k < i1 - 1 and tokens.forms[k] in _NAME_GLUE:
        k += 1
    return (
        j >= i0 and k < i1 and _capital(text, tokens.starts[j]) and _capital(text, tokens.starts[k])
    )


_TITLE_GLUE = frozenset(
    "that which through against with without within by from between among under over upon "
    "into towards toward after before about across beyond during or nor as".split()
)
"""The prepositions, conjunctions and relatives that a long title holds besides the glue
(`_NAME_GLUE`), in lower case between its capitalised words; a determiner or a pronoun ("all
the States", "and its Goals") makes a phrase of the names around it."""

_INSTRUMENTS = frozenset(
    """
    convention conventions protocol covenant declaration agreement treaty amendment accord
    charter statute act code compact consensus principles guidelines framework strategy
    programme program plan agenda initiative pathway partnership platform meeting conference
    summit day year decade report panel forum campaign
    """.split()
)
"""The heads of the titles of instruments, meetings and reports, after which a title may hold
any of `_TITLE_GLUE`."""

_TITLE_WORDS = 4
"""The fewest content words of a title that holds one of `_TITLE_GLUE` (`_name_words`): every
one of them capitalised, a title's case, not a sentence's names."""


def _title_cased(text: str, tokens: Tokens, content: list[int]) -> bool:
    """Whether `content` (token indices) are `_TITLE_WORDS` words or more, all capitalised."""
    return len(content) >= _TITLE_WORDS and all(_capital(text, tokens.starts[i]) for i in content)


def _common_word_between(tokens: Tokens, content: list[int], capitals: list[int]) -> str | None:
    """A content word in lower case between two capitalised ones, which a name holds only as
    a particle ("Morais da Silva", "Mohammed bin Rashid") or as the participle of an
    instrument's title ("Convention relating to the Status of Refugees"): the range is
    otherwise names and a phrase joining them ("Australia’s recognition of the State of
    Singapore"), however few its common words."""
    if len(capitals) < 2:
        return None
    upper = set(capitals)
    for i in content:
        if not capitals[0] < i < capitals[-1] or i in upper:
            continue
        form = tokens.forms[i]
        if form not in NAME_PARTICLES and not form.endswith("ing"):
            if i - 1 in upper and tokens.language() in _FIRST_WORD_CAPITALISED:
                continue  # "Mission permanente", "Постоянное представительство"
            return form
    return None


_FIRST_WORD_CAPITALISED = frozenset(("fr", "es", "it", "pt", "ro", "ca", "ru", "uk", "bg", "be"))
"""Languages whose names capitalise their first word and not the word after it ("Mission
permanente de la République de Mockovie", "Secrétaire général", "Постоянное представительство
Федерации Теставия"): a word in lower case right after a capitalised one is a part of the name
there."""


_BODY_HEADS = frozenset(
    """
    conseil assemblée comité commission haut haute commissariat bureau cour tribunal
    organisation programme fonds office mission délégation ministère ministre secrétaire
    secrétariat représentant représentante rapporteur rapporteuse groupe conférence
    convention pacte déclaration accord traité protocole charte agence banque union
    département ambassade consulat gouvernement république royaume fédération principauté
    parlement président présidente institut
    consejo asamblea comisión alto alta oficina corte organización programa fondo misión
    delegación ministerio ministro ministra secretario secretaría representante relator
    relatora grupo conferencia convención pacto declaración acuerdo tratado protocolo carta
    agencia banco unión departamento embajada consulado gobierno república reino federación
    parlamento presidente presidenta instituto
    """.split()
)
"""The heads of the names of bodies, offices, instruments and states in French and Spanish,
whose other words are in lower case after the first ("Conseil de sécurité", "Cour pénale
internationale", "Relator Especial sobre la situación de los derechos humanos en Eritrea")."""

_BODY_LANGUAGES = frozenset(("fr", "es"))
"""The languages of `_BODY_HEADS`."""

_ADJECTIVE_ENDINGS = (
    "al", "ale", "ales", "aux", "el", "els", "ielle", "ielles", "nelle", "nelles", "relle",
    "relles", "uelle", "uelles", "selle", "selles", "ien", "ienne", "iennes", "iens",
    "ique", "iques", "aire", "aires", "if", "ive", "ives", "ifs", "é", "ée", "ées", "és", "ant",
    "ante", "antes", "ants", "ente", "ain", "aine", "aines", "ains", "ais", "aise", "aises",
    "ère", "ères", "ier", "iers", "il", "ile", "iles", "ils", "oint", "ointe",
    "ico", "ica", "icos", "icas", "ario", "aria", "arios", "arias", "ivo", "iva", "ivos",
    "ivas", "ano", "ana", "anos", "anas", "ense", "enses", "entes", "ble", "bles",
)  # fmt: skip
"""The endings of French and Spanish adjectives (the words a name of `_BODY_HEADS` holds in
lower case right after another of its words: "Assemblée générale", "Programme alimentaire
mondial", "derechos humanos"); a verb there ("Le Conseil condamne", "Comité note",
"Gouvernement français soutient") makes a sentence of the words, not a name. An adjective's
"-elle" follows "i", "n", "r", "u" or "s" ("universelle", "personnelle"): "rappelle",
"renouvelle" are verbs."""


def _body_name(text: str, tokens: Tokens, i0: int, i1: int) -> bool:
    """Whether tokens ``[i0, i1)`` of a French or Spanish text are the name of a body, an
    office, an instrument or a state as those languages write it: a capitalised head
    (`_BODY_HEADS`) first, then words each capitalised, glue (`_NAME_GLUE`: "de", "des",
    "aux", "pour", "sur"), a number, a word in lower case right after glue ("droits" of
    "Conseil des droits de l'homme") or after "de" elided ("Groupe d'experts"), or an
    adjective right after another word of the name ("Assemblée générale", "affaires
    étrangères"); the parts of a compound go with its first ("non-prolifération"). A
    function word that is no glue, a comma or another word in lower case makes a phrase of
    them."""
    if tokens.language() not in _BODY_LANGUAGES or i1 - i0 > MAX_NAME_WORDS:
        return False
    forms, starts, ends = tokens.forms, tokens.starts, tokens.ends
    head = i0 + 1 if forms[i0] in _NAME_GLUE else i0  # (an article before it: "le Conseil")
    if head >= i1 or forms[head] not in _BODY_HEADS or not _capital(text, starts[head]):
        return False
    after = "word"
    for i in range(head + 1, i1):
        if _SPLITS_A_NAME.search(text, ends[i - 1], starts[i]):
            return False  # "Conseil de sécurité, agissant en vertu du Chapitre VII"
        form = forms[i]
        if text[ends[i - 1] : starts[i]] == "-":
            continue  # a part of a compound goes with its first ("non-prolifération")
        if form.isdigit():
            after = "word"
        elif form in _NAME_GLUE:
            after = "glue"
        elif is_stopword(tokens.keys[i]):
            return False
        elif (
            _capital(text, starts[i])
            or after == "glue"
            or form.startswith(_OF)
            or form.endswith(_ADJECTIVE_ENDINGS)
        ):
            after = "word"
        else:
            return False
    return after != "glue"


_SPLITS_A_NAME = re.compile(r"[,;:.!?()\[\]]|\n\s*\n")
"""What may not stand between two words of a name of `_body_name`: a mark or a blank line (a
line break alone is a hard-wrapped line's)."""


_APOSTROPHES = ("'", "\u2019")

_OF = tuple("d" + mark for mark in _APOSTROPHES)
"""French "de" elided, the first letters of a word of a name after any other ("Groupe
d'experts")."""


def _capital(text: str, at: int) -> bool:
    """The word at `at` is capitalised, or lies in a hyphenated compound that is ("moon" of
    "Ki-moon", "il" of "Jong-il"), or is a capitalised word after an elided article
    ("l'Organisation", "d'Examplia")."""
    if text[at].isupper():
        return True
    if text[at] in "ld" and text[at + 1 : at + 2] in _APOSTROPHES:
        return text[at + 2 : at + 3].isupper()
    return text[at - 1 : at] == "-" and text[compound_start(text, at)].isupper()


def _capitalised_in_name(text: str, tokens: Tokens, i0: int, i: int) -> bool:
    """Whether token `i`, a function word elsewhere, is capitalised as a part of a name: right
    after a capitalised word ("Kim Jong Un", where "un" is French's article), or inside a
    title written in title case, between capitalised words across the glue before it
    ("Mauritius Strategy for the Further Implementation", "Convention Against Torture"), not
    opening a sentence. Never the range's first word (a sentence's "The") nor the pronoun
    "I". A word inside a hyphenated compound goes by the compound's first letter ("Kim
    Jong-il", "Jong-un")."""
    if i == i0 or tokens.keys[i] == "i" or not _capital(text, tokens.starts[i]):
        return False
    if _shouted_verb(text, tokens, i):
        return False
    if text[tokens.starts[i - 1]].isupper():
        return True
    j = i - 1
    while j > i0 and tokens.forms[j] in _NAME_GLUE and not text[tokens.starts[j]].isupper():
        j -= 1
    return (
        text[tokens.starts[j]].isupper()
        and i + 1 < len(tokens.keys)
        and text[tokens.starts[i + 1]].isupper()
        and capitalised_inside(text, tokens.starts[i])
    )


def _shouted_verb(text: str, tokens: Tokens, i: int) -> bool:
    """Whether function word `i` is written in capitals after a word in capitals, and is none
    that a name holds (its glue, a title's prepositions, "No." of a number): text in capitals
    capitalises every word, so "IF", "HAVE" and "BEEN" of "EVEN IF THE AUTHORS HAVE BEEN
    ADVISED OF THE POSSIBILITY OF SUCH DAMAGE" make no name (as "if" does written in lower
    case), where "OF" of "UNITED STATES OF AMERICA" is glue and says nothing."""
    form = tokens.forms[i]
    if form in _NAME_GLUE or form in _TITLE_GLUE or form == "no":
        return False
    word = text[tokens.starts[i] : tokens.ends[i]]
    before = text[tokens.starts[i - 1] : tokens.ends[i - 1]]
    return len(word) > 1 and word.isupper() and before.isupper()


_CITING = frozenset(
    "article articles section sections subsection paragraph paragraphs clause chapter part "
    "schedule rule regulation resolution resolutions decision".split()
)
"""Words that cite a numbered part of a text ("section 4 of the Act", "resolution 2270"): with
their number, a name's word though written in lower case."""

_NUMERAL = re.compile(r"\d+[A-Za-z]?|[IVXLC]+")


def _cites(text: str, tokens: Tokens, i: int, i1: int) -> bool:
    """Whether token `i` is a citing word followed by its number ("section 4", "Chapter VII")."""
    if tokens.forms[i] not in _CITING or i + 1 >= i1:
        return False
    return _NUMERAL.fullmatch(text[tokens.starts[i + 1] : tokens.ends[i + 1]]) is not None


def _the_month(text: str, tokens: Tokens, i: int) -> bool:
    """Whether token `i` is the month "May" in a date ("10 May 1979", "May 3"), not the verb."""
    if text[tokens.starts[i] : tokens.ends[i]] != "May":
        return False
    near = [j for j in (i - 1, i + 1) if 0 <= j < len(tokens.keys)]
    return any(tokens.keys[j].isdigit() for j in near)


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
    """True when the text spans two or more short lines that hold no sentence, in a block of
    such lines: the lines of its paragraph around it (up to a blank line, `_BLOCK_LINES` at
    most on each side) are short and hold no sentence either. A speech printed with a break
    every few words has short lines too, but its paragraph holds sentences ("mutual respect
    and non-interference in / the internal affairs of others and on" was a heading)."""
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    if _LINE_BOUNDARY.search(text, lo, hi if hi >= 0 else len(text)) is None:
        return False  # one line (most passages of a speech, whose paragraphs are lines)
    block = text[lo : hi if hi >= 0 else len(text)]
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    if len(lines) < 2 or not all(map(_heading_line, lines)):
        return False
    before = text[max(0, lo - _BLOCK_REACH) : lo].splitlines()[-_BLOCK_LINES - 1 :]
    after = text[hi + 1 : hi + 1 + _BLOCK_REACH].splitlines()[: _BLOCK_LINES + 1] if hi >= 0 else []
    for around in (reversed(before), after):
        for n, line in enumerate(around):
            if not line.strip():
                break  # the paragraph ends here
            if n >= _BLOCK_LINES or not _heading_line(line.strip()):
                return False
    return True


def _caseless_letterhead(text: str, start: int, end: int) -> bool:
    """True when the text is the document's whole first line, short and ending no sentence, in
    a script without capitals (Arabic, Chinese: "البعثة الدائمة لمملكة ديمولاند لدى الأمم
    المتحدة"), where no capital can tell a name."""
    first = _NON_SPACE.search(text)
    if first is not None and first.start() < start:
        return False  # the first line is elsewhere (found without copying the text before)
    if any(c.isupper() or c.islower() for c in text[start:end]):
        return False
    hi = text.find("\n", end)
    line = text[start : hi if hi >= 0 else len(text)]
    return not line[end - start :].strip() and _heading_line(line.strip())


_NON_SPACE = re.compile(r"\S")
"""A character that is no white space (`str.isspace`)."""

_LINE_BOUNDARY = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
"""What `str.splitlines` splits at."""

_BLOCK_LINES = 6
"""Lines a heading block's paragraph holds at most on each side of a passage."""
_BLOCK_REACH = 600
"""Characters looked at on each side for them."""


def _heading_line(line: str) -> bool:
    """A line of a heading or letterhead: short, ending no sentence or clause."""
    return len(line.split()) <= 8 and not line.endswith(_CLAUSE_ENDS)


_CLAUSE_ENDS = (".", ";", ",", "\u3002", "\uff1b", "\uff0c", "\u060c", "\u061b", "\u061f", "!", "?")
"""The marks that end a sentence or a clause, Chinese and Arabic ones too ("。", "，", "،")."""


QUOTE_REACH = 600
"""How far before a passage `inside_quotes` looks for an opening mark (and after it, for the
closing one), within its paragraph."""


def inside_quotes(text: str, span: Span, *, reach: int = QUOTE_REACH) -> bool:
    """True when `span` stands inside quotation marks within its paragraph, or all of it but
    a lead-in of at most a third ("… of the General Assembly, “Building resilience through
    hope …”": the theme quoted after the words introducing it), or a quotation opening in that
    lead-in covers two thirds of it ("debate, namely, ‘Bringing about adjustment … by peaceful
    means’. That subject"; a word quoted there quotes no more: 'the purpose of "measuring"
    its importance'). Marks that the passage holds at its edges count as around it: a passage
    that ends on the closing mark and a footnote's number ("… political independence.’[1]")
    or opens on the opening one is still quoted."""
    span = _inside_edge_marks(text, span)
    if _within_quotes(text, span, reach):
        return True
    third = span.start + (span.end - span.start) // 3
    opens = []
    for mark, close in _QUOTE_MARKS:
        at = text.find(mark, span.start, third + 1)
        if at < 0:
            continue
        shut = text.find(close, at + 1, span.end)
        if shut < 0:
            opens.append(at)  # a quotation running on to the passage's end, or past it
        elif (shut - at) * 3 >= (span.end - span.start) * 2:
            return True  # a quotation in the passage, two thirds of it: "namely, ‘…’. That"
        # (else a word it quotes: 'with the purpose of "measuring" its importance')
    return bool(opens) and _within_quotes(text, Span(min(opens) + 1, span.end), reach)


_QUOTE_MARKS = tuple(dict.fromkeys((*_PAIRS, ('"', '"'))))
"""The quotation marks, opening and closing, whose opening one a lead-in may stand before."""


def _within_quotes(text: str, span: Span, reach: int) -> bool:
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
    # Straight quotes, read with a few characters of the passage for their context.
    head, tail = left + text[span.start : span.start + 4], text[span.end - 1 : span.end] + right
    return _within_straight(head, len(left), tail, _DOUBLE_OPEN, _DOUBLE_CLOSE) or (
        _within_straight(head, len(left), tail, _SINGLE_OPEN, _SINGLE_CLOSE)
    )


_EDGE_OPEN = re.compile(r"[\s\W\d_]*?([\u201c\u00ab\u201e\u2018\"'])[\s.\u2026]*(?=[^\W\d_])")
"""A passage's head that is punctuation up to an opening mark (and an ellipsis after it)."""

_EDGE_CLOSE = re.compile(r"([\u201d\u00bb\u201c\u2019\"'])(?:\[?\d{0,3}\]?|[\W_])*$")
"""A passage's tail from a closing mark on: the footnote number or punctuation after it."""


_EDGE_REACH = 16
"""How far from a passage's end its closing mark may stand ("’[12]", "”).[3]")."""


def _inside_edge_marks(text: str, span: Span) -> Span:
    """`span` without the quotation marks at its edges and what stands outside them (a
    footnote's number after the closing mark): the passage as the quotation holds it."""
    start, end = span.start, span.end
    # (Only the passage's last characters: the search would try every position of a long one.)
    tail = _EDGE_CLOSE.search(text, max(start, end - _EDGE_REACH), end)
    if tail is not None and tail.start() > start and not _apostrophe(text, tail.start(1)):
        end = tail.start(1)
    head = _EDGE_OPEN.match(text, start, end)
    if head is not None and not _apostrophe(text, head.start(1)):
        start = head.end(1)
    return Span(start, end) if start < end else span


def _apostrophe(text: str, at: int) -> bool:
    """The mark at `at` (’ or ') stands between two letters: "Malaysia’s", "don't"."""
    return (
        text[at] in "\u2019'"
        and 0 < at < len(text) - 1
        and text[at - 1].isalpha()
        and text[at + 1].isalpha()
    )


_SINGLE_OPEN = re.compile(r"(?:^|(?<=[\s(\[\u2014\u2013-]))'(?=(?:[.\u2026]+\s?)?[^\W_])")
"""A straight single quote that opens a quotation: after a space or a bracket, before a word
(or an ellipsis and a word); "'... if in the circumstances"."""

_SINGLE_CLOSE = re.compile(r"(?<=[^\s(\[])'(?=[\s.,;:!?)\]\[\u2014\u2013-]|$)")
"""A straight single quote that closes one: after a word or a stop, before a space or a
stop. (A possessive plural, "members' rights", reads as one too: the quotation then ends
there, which loses a quotation, never makes one.)"""


_DOUBLE_OPEN = re.compile(
    r'(?:^|(?<=[\s(\[\u2014\u2013\'\u2018\u201c-]))"(?=(?:[.\u2026]+\s?)?[^\s"])'
)
"""A straight double quote that opens a quotation: after a space, a bracket or another opening
mark ('"Leaving no one behind …'), before a word."""

_DOUBLE_CLOSE = re.compile(r'(?<=[^\s(\["])"(?=[\s.,;:!?)\]\[\u2014\u2013\'\u2019\u201d-]|$)')
"""A straight double quote that closes one: after a word or a stop, before a space, a stop or
another closing mark."""


def _within_straight(
    left: str, n_left: int, right: str, opening: re.Pattern[str], closing: re.Pattern[str]
) -> bool:
    """Straight quotes, read by where they stand (a typewritten document's quotations, and
    its apostrophes for the single ones): an opening one on the left (after a space, before a
    word) that nothing closes before the passage, and a closing one on the right (after a
    word, before a space or a stop) before any new opening one. A mark left open, a new
    opening one after it ('the purpose of "measuring references. The name "PageRank" is'), is
    no quotation running on: the last opening one counts. (Counted by parity, the one left
    open put the rest of a student's answer inside quotation marks.) `left` runs on into the
    passage from `n_left`; `right` starts with the passage's last character."""
    opens = [m.start() for m in opening.finditer(left) if m.start() < n_left]
    if not opens:
        return False
    o = opens[-1]
    if any(o < m.start() < n_left for m in closing.finditer(left)):
        return False
    close = next((m.start() for m in closing.finditer(right) if m.start() >= 1), None)
    if close is None:
        return False
    reopen = next((m.start() for m in opening.finditer(right) if m.start() >= 1), None)
    return reopen is None or close < reopen


# --- the kind of a passage: one table of ordered rules ---------------------------------------


class Facts(NamedTuple):
    """What the rules know about one aligned piece (gathered by the pipeline; a named tuple:
    a comparison gathers them for dozens of pieces)."""

    words: int
    """Shared words (equal tokens)."""
    weight: float
    """Summed rarity weight of the shared words."""
    content: tuple[str, ...] = ()
    """The distinct shared content words listed for the reader."""
    rare: int = 0
    """How many of `content` are rare in general language."""
    lexicon_both: str | None = None
    """The lexicon family when both sides lie mostly inside instances of that one family."""
    lexicon_one: tuple[str, str] | None = None
    """(side, family) when one side lies mostly inside a lexicon instance."""
    corpus_common: float | None = None
    """Share of the passage's k-grams among the corpus's frequent ones (None: no corpus)."""
    topic: bool = False
    """A short or name-heavy noun phrase: a topic of the corpus, never its boilerplate."""
    name_a: tuple[bool, str] = (False, "")
    name_b: tuple[bool, str] = (False, "")
    quoted: str | None = None
    """"A" or "B" when the passage itself stands inside quotation marks on that side."""
    agenda: str | None = None
    """"A" or "B" when the passage is the title of a UN agenda item on that side."""
    apparatus: bool = False
    """Both sides lie in their documents' editorial apparatus (`docdiff.text.apparatus`)."""
    dateline: bool = False
    """Both sides lie in their documents' datelines (`docdiff.text.datelines`)."""
    head: bool = False
    """Both sides lie in their letters' heads: markings and salutation
    (`docdiff.text.markings.head_spans`)."""
    corpus_words: int = 0
    """How many of the passage's words stand in its k-grams frequent in the corpus (counted
    only when `corpus_common` reaches `BANAL_SHARE`): the length of the boilerplate it holds."""
    few_senders: tuple[str, ...] = ()
    """The senders the corpus's documents name, when fewer than a genre has
    (`docdiff.corpus.metadata.few_senders`): what the corpus repeats is their own wording."""


class Decision(NamedTuple):
    """A kind (None: not reported, too light) and the reason shown by ``--explain``."""

    kind: Kind | None
    reason: str


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of the table: a name, a test and the decision it gives."""

    name: str
    test: Callable[[Facts], bool]
    decide: Callable[[Facts], Decision]
    reads_text: bool = False
    """Whether the rule reads the facts found by searching the text around the piece
    (`Facts.name_a`, `name_b`, `quoted`, `agenda`): the rules before the first that does
    decide without them (`decide_early`)."""


MIN_PASSAGE_WEIGHT = 1.5
"""A passage that is not a formula needs this much rare vocabulary (never only stopwords)."""
AGENDA_REASON = "phrasing: the title of a UN agenda item"
"""How the reason of an agenda title begins (the summary leaves these out of distinctive)."""
ONE_SIDE_REASON = "formula: part of the lexicon's"
"""How the reason of a piece that lies in a lexicon formula on one side only begins: shared
words, not a formula both documents use, so the passage size applies to it (below it, an echo)."""
BANAL_SHARE = 0.5
"""In a corpus, a passage whose k-grams are this often among the frequent ones is banal."""
QUOTED_REASON = "stands inside quotation marks in"
"""What the reason of a quotation says, before the side quoted ("A", "B")."""
OWN_WORDING_REASON = "phrasing: the senders' own recurring wording"
"""How the reason of a passage frequent in a corpus of few senders begins: what most of their
documents repeat is their rhetoric, not a genre's boilerplate (distinctive similarity keeps it)."""


def _banal(f: Facts) -> bool:
    """Most of the passage's word sequences are frequent in the corpus, they make a phrase of
    `_BANAL_WORDS` words or more (a shorter frequent phrase inside rhetoric, "the purposes and
    principles", is no boilerplate, however far the passage runs past it), and it is no topic
    phrase."""
    return (
        f.corpus_common is not None
        and f.corpus_common >= BANAL_SHARE
        and f.corpus_words >= _BANAL_WORDS
        and not f.topic
    )


def _senders(few: tuple[str, ...]) -> str:
    return f"{'one sender' if len(few) == 1 else f'{len(few)} senders'} ({', '.join(few)})"


def _counts(f: Facts) -> str:
    listed = ", ".join(f.content) if f.content else "none"
    return (
        f"{f.words} shared words; {len(f.content)} distinct content words ({listed}), "
        f"{f.rare} of them rare"
    )


def _other(side: str) -> str:
    return "B" if side == "A" else "A"


RULES: tuple[Rule, ...] = (
    Rule(
        "lexicon formula on both sides",
        lambda f: f.lexicon_both is not None,
        lambda f: Decision(
            Kind.FORMULA, f"formula: lies in the lexicon's '{f.lexicon_both}' formula in both"
        ),
    ),
    Rule(
        "editorial apparatus on both sides",
        lambda f: f.apparatus,
        lambda f: Decision(
            Kind.FORMULA,
            f"{APPARATUS_REASON} (an archive reference or an editor's line in square "
            "brackets, or the numbered notes after the text): the edition's wording, not the "
            "documents' own",
        ),
    ),
    Rule(
        "a dateline on both sides",
        lambda f: f.dateline,
        lambda f: Decision(
            Kind.FORMULA,
            f"{DATELINE_REASON} (the place and date a letter or cable was written, alone on "
            "a line): the frame of correspondence, not the documents' own wording",
        ),
    ),
    Rule(
        "a letter's head on both sides",
        lambda f: f.head,
        lambda f: Decision(
            Kind.FORMULA,
            f'{HEAD_REASON} (its markings and salutation, above the text: "PERSONAL & '
            'CONFIDENTIAL", "My dear Prime Minister,"): the frame of correspondence, not '
            "the documents' own wording",
        ),
    ),
    Rule(
        "banal in the corpus",
        lambda f: _banal(f) and not f.few_senders,
        lambda f: Decision(
            Kind.FORMULA,
            f"formula: {round((f.corpus_common or 0) * 100)}% of its word sequences are among "
            "the corpus's frequent ones (boilerplate of the genre)",
        ),
    ),
    Rule(
        "too light",
        lambda f: f.weight < MIN_PASSAGE_WEIGHT,
        lambda f: Decision(None, f"not reported: too little rare vocabulary ({_counts(f)})"),
    ),
    Rule(
        "a name or title on both sides",
        lambda f: f.name_a[0] and f.name_b[0],
        lambda f: Decision(Kind.NAME, _name_reason(f.name_a[1], f.name_b[1])),
        reads_text=True,
    ),
    Rule(
        "inside quotation marks",
        lambda f: f.quoted is not None,
        lambda f: Decision(Kind.QUOTATION, f"quotation: {QUOTED_REASON} {f.quoted}"),
        reads_text=True,
    ),
    Rule(
        "lexicon formula on one side",
        lambda f: f.lexicon_one is not None,
        lambda f: Decision(
            Kind.FORMULA,
            f"{ONE_SIDE_REASON} '{f.lexicon_one[1] if f.lexicon_one else ''}' "
            f"formula in {f.lexicon_one[0] if f.lexicon_one else ''}",
        ),
    ),
    Rule(
        "a UN agenda item title",
        lambda f: f.agenda is not None,
        lambda f: Decision(
            Kind.PHRASING,
            f"{AGENDA_REASON} in {f.agenda}, quoted in "
            f"{_other(f.agenda or 'A')}; shared wording, not distinctive phrasing ({_counts(f)})",
        ),
        reads_text=True,
    ),
    Rule(
        "frequent in a corpus of few senders",
        lambda f: _banal(f) and bool(f.few_senders),
        lambda f: Decision(
            Kind.PHRASING,
            f"{OWN_WORDING_REASON}: {round((f.corpus_common or 0) * 100)}% of its word "
            f"sequences recur across the corpus, whose documents name {_senders(f.few_senders)}, "
            f"so it is not a genre's formula ({_counts(f)})",
        ),
    ),
    Rule(
        "distinctive phrasing",
        lambda f: True,
        lambda f: Decision(
            Kind.PHRASING,
            f"phrasing: {_counts(f)}; not a formula, not a name ({_not_a_name(f)})",
        ),
        reads_text=True,
    ),
)


def _not_a_name(f: Facts) -> str:
    """Why a piece is no name, on the side that is not one (A when neither is), named: each side
    is read alone, and a title in one document may be a phrase in the other."""
    return f"in B: {f.name_b[1]}" if f.name_a[0] else f"in A: {f.name_a[1]}"


_FIRST_READING = next(n for n, rule in enumerate(RULES) if rule.reads_text)
"""The place in `RULES` of the first rule that reads the text's facts."""


def decide(facts: Facts) -> Decision:
    """The kind of a piece: the first rule of `RULES` whose test holds."""
    return _decide_from(facts, 0)


def _decide_from(facts: Facts, start: int) -> Decision:
    """`decide` when no rule of `RULES` before `start` holds."""
    for rule in RULES[start:]:
        if rule.test(facts):
            return rule.decide(facts)
    raise AssertionError("the last rule always holds")  # pragma: no cover


def decide_early(facts: Facts) -> Decision | None:
    """`decide(facts)` when a rule before the first that reads the text's facts holds (those
    facts are then never read, and need not be found); None when none does."""
    for rule in RULES[:_FIRST_READING]:
        if rule.test(facts):
            return rule.decide(facts)
    return None


class TextFacts(Protocol):
    """How to find the facts of `Facts` that need a search of the text around a piece, each
    asked only when a rule reads it (`decide_reading`)."""

    def name_a(self) -> tuple[bool, str]: ...
    def name_b(self) -> tuple[bool, str]: ...
    def quoted(self) -> str | None: ...
    def agenda(self) -> str | None: ...


def decide_reading(facts: Facts, text: TextFacts) -> Decision:
    """`decide` of `facts` with the text's facts found by `text`, each only when the rules
    reached read it: none when an early rule decides (`decide_early`); B's name only when A's
    passage reads as one (the name rule needs both; the catch-all's reason gives A's finding,
    which is never empty); the quotation marks unless the name rule holds; the agenda title
    unless a rule before it holds. A test checks the decision is `decide`'s with every fact
    found."""
    early = decide_early(facts)
    if early is not None:
        return early
    name_a = text.name_a()
    name_b = text.name_b() if name_a[0] else (False, "")
    quoted, agenda = facts.quoted, facts.agenda
    if not (name_a[0] and name_b[0]):
        quoted = text.quoted()
        if quoted is None and facts.lexicon_one is None:
            agenda = text.agenda()
    # The rules before the first that reads these facts do not hold (`decide_early`).
    found = facts._replace(name_a=name_a, name_b=name_b, quoted=quoted, agenda=agenda)
    return _decide_from(found, _FIRST_READING)


class _PieceText:
    """The `TextFacts` of one piece of a pair, each side's answers kept with its document
    (a query's document meets the same passages again in its other sources)."""

    __slots__ = ("a", "b", "piece")

    def __init__(self, a: Prepared, b: Prepared, piece: Piece) -> None:
        self.a, self.b, self.piece = a, b, piece

    def name_a(self) -> tuple[bool, str]:
        return _kept(self.a, _name_of, self.piece.a0, self.piece.a1)

    def name_b(self) -> tuple[bool, str]:
        return _kept(self.b, _name_of, self.piece.b0, self.piece.b1)

    def quoted(self) -> str | None:
        return _side(_quoted, self.a, self.b, self.piece)

    def agenda(self) -> str | None:
        return _side(_agenda, self.a, self.b, self.piece)


_T = TypeVar("_T")


def _kept(p: Prepared, find: Callable[[Prepared, int, int], _T], i0: int, i1: int) -> _T:
    """`find` of tokens ``[i0, i1)`` of `p`, kept with `p` (under `find`'s name) for the
    next comparison that meets the same passage."""
    known: dict[tuple[int, int], _T] | None = p.derived.get(find.__name__)  # type: ignore[assignment]
    if known is None:
        known = p.derived[find.__name__] = {}
    found = known.get((i0, i1))
    if found is None:
        found = known[i0, i1] = find(p, i0, i1)
    return found


def _name_of(p: Prepared, i0: int, i1: int) -> tuple[bool, str]:
    return name_evidence(p.doc.text, p.tokens, i0, i1)


def _quoted(p: Prepared, i0: int, i1: int) -> bool:
    t = p.tokens
    # Every reading of `inside_quotes` needs an opening mark before the passage or in it
    # (from `QUOTE_REACH` before it on): most passages have none, and are answered at once.
    opens = _opening_marks(p)
    k = bisect.bisect_left(opens, t.starts[i0] - QUOTE_REACH)
    if k == len(opens) or opens[k] >= t.ends[i1 - 1]:
        return False
    return inside_quotes(p.doc.text, t.range_span(i0, i1))


_OPENING_MARK = re.compile(f"[{re.escape(''.join(o for o, _ in _QUOTE_MARKS))}']")
"""Every mark `inside_quotes` may read as opening a quotation: those of `_QUOTE_MARKS`
(`_PAIRS` and the straight double quote) and the straight single quote (`_within_straight`)."""


def _opening_marks(p: Prepared) -> list[int]:
    """Where `p`'s text holds an `_OPENING_MARK`, in order (found once per text: `text_wide`)."""
    return text_wide(p, "opening_marks", _marks_in)


def _marks_in(text: str) -> list[int]:
    return [m.start() for m in _OPENING_MARK.finditer(text)]


def _agenda(p: Prepared, i0: int, i1: int) -> bool:
    return agenda_title(p.doc.text, p.tokens.range_span(i0, i1))


_AGENDA_LINE = re.compile(r"\b(?:item|point|punto|пункт)\s+\d+", re.IGNORECASE)
"""A line naming an agenda item ("Item 72 of the provisional agenda", "Agenda item 70 (c)"):
its number, not the word "agenda", which a speech wrapped into lines of 50 characters says in
running text ("the post-2015 development agenda")."""
_AGENDA_INLINE = re.compile(
    r"\b(?:agenda\s+item|item)\s+\d+\s*(?:\(\w\))?\s*[:,.\u2014-]?\s*[\"\u201c]?$", re.IGNORECASE
)


def agenda_title(text: str, span: Span) -> bool:
    """True when `span` is the title of a UN agenda item.

    Either the passage fills most of a line that opens with a capital and has no sentence
    punctuation, and one of the two lines above names an agenda item by its number ("Item 72
    of the provisional agenda") and ends as a heading does (not as a sentence: "... under agenda
    item 74 (c)." closes a letter), or it follows "agenda item 72 (b)" on its own line. (A line
    of a speech wrapped at 50 characters, "to pay tribute to Secretary-General Ban Ki-moon and",
    fills its line too: it is no title.)
    """
    lo = text.rfind("\n", 0, span.start) + 1
    hi = text.find("\n", span.end)
    line = text[lo : hi if hi >= 0 else len(text)].strip()
    before = text[lo : span.start]
    if _may_hold_item(before) and _AGENDA_INLINE.search(before):
        return True
    if not line or len(span) < 0.8 * len(line) or line.endswith(_SENTENCE_ENDS):
        return False
    if _opens_lower(line):
        return False
    above = [x.strip() for x in text[max(0, lo - 400) : lo].splitlines() if x.strip()][-2:]
    return any(_AGENDA_LINE.search(x) and not x.endswith(_SENTENCE_ENDS) for x in above)


_SENTENCE_ENDS = (".", ";", "!", "?")


def _opens_lower(line: str) -> bool:
    """Whether the first letter of `line` is a lower-case one (a title opens with a capital, or
    with a letter of a script without case)."""
    return next((c for c in line if c.isalpha()), "").islower()


def _may_hold_item(segment: str) -> bool:
    """False when `segment` holds no "item" as `_AGENDA_INLINE` reads it (ignoring case): a
    line of a speech is a whole paragraph, and that pattern would try every place of it.

    Under ``re.IGNORECASE`` the letters of "item" match their lower- and upper-case forms, and
    "i" also "\u0130" and "\u0131", whose lower case is not "i"."""
    return "item" in segment.lower() or "\u0130" in segment or "\u0131" in segment


_OPENERS = {"(": ")", "[": "]", "{": "}", "<": ">"}
"""Brackets a passage's edge takes in when it holds their other half (angle ones too: a key's
or a placeholder's, "<EOL>", "<pkg>")."""


_CLOSERS = frozenset(_OPENERS.values())


def enclosed(text: str, span: Span) -> Span:
    """`span` extended over the marks around it that pair with marks inside it: a closing
    bracket or quotation mark after it (`closing_bracket`), an opening one before it
    (`opening_bracket`): '"ours" is', not 'ours" is'; "`install-links` * Default", not
    "install-links` * Default"; and over an option's dashes before it (`option_dash`)."""
    return opening_bracket(text, closing_bracket(text, option_dash(text, span)))


def marks_before(text: str, start: int, word: int) -> int:
    """Where a passage starting at `start` shows its text from when its first shared word is
    at `word`: at `start` when only marks stand between (the backtick or bracket `enclosed`
    took in, an option's dashes: "`json`", "--progress"), at `word` when a word or a space
    does; at `start` when `word` is not after it."""
    if word <= start:
        return start
    return word if any(c.isalnum() or c.isspace() for c in text[start:word]) else start


def option_dash(text: str, span: Span) -> Span:
    """`span` extended back over the one or two hyphens a command-line option opens with, right
    before its first word and after a space or a line's start ("-n, --no-clobber do not …",
    not "n, --no-clobber …"): a dash between words has a space after it, a hyphen a word
    before it."""
    start = span.start
    if start == 0 or text[start - 1] != "-" or not text[start : start + 1].isalnum():
        return span
    dashes = 2 if start >= 2 and text[start - 2] == "-" else 1
    before = start - dashes - 1
    if before >= 0 and not text[before].isspace():
        return span
    return Span(start - dashes, span.end)


def closing_bracket(text: str, span: Span) -> Span:
    """`span` extended over a closing bracket that balances one opened inside it, or a double
    quotation mark or backtick closing one opened inside it ('… in contrast to "ours"', not
    '… "ours')."""
    end = span.end
    after = text[end : end + 1]
    if after not in _MAY_CLOSE:
        return span  # no bracket or quotation mark closes right after it (most passages)
    return Span(span.start, end + 1) if _pairs_inside(after, text[span.start : end]) else span


def opening_bracket(text: str, span: Span) -> Span:
    """`span` extended back over the opening brackets, double quotation marks and backticks
    right before it that marks inside it close ('"ours" is' for 'ours" is'), as
    `closing_bracket` extends it forward."""
    start = span.start
    if start == 0 or text[start - 1] not in _MAY_OPEN:
        return span  # no mark right before it (most passages): nothing is read
    inside = text[start : span.end]
    while start > 0 and text[start - 1] in _MAY_OPEN and _pairs_inside(text[start - 1], inside):
        start -= 1
        inside = text[start] + inside
    return span if start == span.start else Span(start, span.end)


def _pairs_inside(mark: str, inside: str) -> bool:
    """Whether `mark`, just outside a passage's text `inside`, pairs with a mark inside it: an
    odd number of a mark that opens and closes alike, or more of its partner than of itself."""
    if mark in _SAME_BOTH_WAYS:
        return inside.count(mark) % 2 == 1
    return inside.count(_PARTNER[mark]) > inside.count(mark)


_SAME_BOTH_WAYS = frozenset('"`')
"""Marks that open and close alike (a straight double quotation mark, a backtick): one closes
the other when an odd number stand inside."""

_PARTNER = {
    **_OPENERS,
    **{closer: opener for opener, closer in _OPENERS.items()},
    "\u201c": "\u201d",
    "\u201d": "\u201c",
}
"""Each bracket's and curly quotation mark's other half."""

_MAY_OPEN = frozenset({*_OPENERS, "\u201c", *_SAME_BOTH_WAYS})
"""The marks `opening_bracket` may take in."""

_MAY_CLOSE = frozenset({*_CLOSERS, "\u201d", *_SAME_BOTH_WAYS})
"""The marks `closing_bracket` may take in."""


def covered_by(hits: Sequence[FormulaHit], i0: int, i1: int) -> tuple[int, FormulaHit | None]:
    """How many tokens of [i0, i1) lie inside formula instances, and the main instance."""
    inside = 0
    main: FormulaHit | None = None
    best = 0
    for h in hits:
        if h.end <= i0:
            continue
        if h.start >= i1:
            break
        n = min(i1, h.end) - max(i0, h.start)
        inside += n
        if n > best:
            best, main = n, h
    return inside, main


STOCK_SLACK = 2
"""The most content words a passage may hold beyond a stock phrase (an inline lexicon template)
and still be that stock phrase, besides as many function words: "the threats to international
peace and security"."""

STOCK_REASON = "formula: the lexicon's stock phrase"
"""How the reason of a passage that is a stock phrase on both sides begins."""


def stock_phrases(matches: list[Match], a: Prepared, b: Prepared, lexicon: Lexicon) -> list[Match]:
    """`matches` with each phrasing passage that is a stock phrase (`stock_phrase`) on either
    side called a formula, and each quotation that is one (a speech quoting a declaration that
    says "in accordance with the Charter of the United Nations" shares the stock phrase, not
    the declaration, with another that says it). Done once the passages are found and joined:
    a stock phrase cuts nothing and joins as the phrasing it is part of."""
    if not lexicon.stock:
        return matches
    out = []
    for m in matches:
        found = None
        if m.kind in (Kind.PHRASING, Kind.QUOTATION):
            found = stock_of(
                stock_phrase(a.tokens, a.doc.text, *token_range(a.tokens, m.a.span), lexicon),
                stock_phrase(b.tokens, b.doc.text, *token_range(b.tokens, m.b.span), lexicon),
            )
        if found is not None:
            family, template, where = found
            reason = stock_reason(family, where)
            if m.kind is Kind.QUOTATION:  # the side quoted, as its quotation's reason said
                side = m.reason.partition(QUOTED_REASON)[2].split(";")[0].strip()
                reason += f"; it {QUOTED_REASON} {side}"
            out.append(replace(m, kind=Kind.FORMULA, reason=reason, formula=template))
        else:
            out.append(m)
    return out


def stock_of(
    in_a: tuple[str, str] | None, in_b: tuple[str, str] | None
) -> tuple[str, str, str] | None:
    """(family, template, where) of the stock phrase a passage is on its sides (`in_a`, `in_b`:
    `stock_phrase` of each): "both documents" when both are one family, else the side that is one
    ("conformity with the purposes and principles of the United Nations" against "... enshrined
    in its Charter": the passage is the Charter's phrase all the same)."""
    if in_a is not None and in_b is not None and in_a[0] == in_b[0]:
        return in_a[0], in_a[1], "both documents"
    if in_a is not None:
        return in_a[0], in_a[1], "A"
    if in_b is not None:
        return in_b[0], in_b[1], "B"
    return None


def stock_reason(family: str, where: str) -> str:
    """The reason of a passage that is the stock phrase `family` on `where` (a side or both)."""
    return (
        f"{STOCK_REASON} '{family}' in {where} (the genre's wording inside a sentence, not the "
        "documents' own)"
    )


_STOCK_LONGEST = 32
"""Tokens beyond which a passage is no stock phrase (none is that long): not searched."""


def stock_phrase(
    tokens: Tokens, text: str, i0: int, i1: int, lexicon: Lexicon
) -> tuple[str, str] | None:
    """The (family, template) of the stock phrase that tokens ``[i0, i1)`` are, give or take
    `STOCK_SLACK` content words that are no name ("the threats to ...", not "John Ashe,
    President of ...") and as many function words, if they are one. Read from those tokens
    alone, so a passage gets the same answer in every pair, whatever its document says around
    it."""
    if not lexicon.stock or i1 - i0 > _STOCK_LONGEST:
        return None
    hits = lexicon.find_stock(tokens.keys[i0:i1])
    if not hits:
        return None
    inside = {i for h in hits for i in range(h.start, h.end)}
    outside = [i0 + i for i in range(i1 - i0) if i not in inside]
    content = [j for j in outside if not is_stopword(tokens.keys[j])]
    if len(outside) > 2 * STOCK_SLACK or len(content) > STOCK_SLACK:
        return None
    if any(_named(tokens, text, j) for j in content):
        return None
    main = max(hits, key=lambda h: h.end - h.start)
    return main.template.family, main.template.text


def _named(tokens: Tokens, text: str, j: int) -> bool:
    """Whether token `j` is a capitalised content word inside a sentence: part of a name."""
    return not is_stopword(tokens.keys[j]) and capitalised_inside(text, tokens.starts[j])


def classify_pieces(
    a: Prepared,
    b: Prepared,
    pieces: Sequence[Piece],
    hits_a: Sequence[FormulaHit],
    hits_b: Sequence[FormulaHit],
    options: Options,
    doc_freq: DocFreq | None,
    *,
    few_senders: tuple[str, ...] = (),
) -> list[Match]:
    """A match for every piece the rules of `classify.decide` report (`few_senders`: the
    senders of `doc_freq`'s corpus when it has fewer than a genre, `Facts.few_senders`)."""
    matches: list[Match] = []
    origins: list[int] = []
    used_a: set[int] = set()
    used_b: set[int] = set()
    heading: Piece | None = None  # a heading line dropped as too light, just before
    headed: dict[tuple[int, int], Piece] = {}  # a part's first characters -> its heading
    for piece in pieces:
        match = _classify_one(a, b, piece, hits_a, hits_b, doc_freq, used_a, used_b, few_senders)
        if match is None:
            heading = piece if _heading_part(a, b, piece) else None
            continue
        if heading is not None and _heads(heading, piece):
            headed[match.a.span.start, match.b.span.start] = heading
        heading = None
        matches.append(match)
        origins.append(piece.origin)
    matches, parts = _rejoin(matches, origins)
    if headed:
        matches = [_with_heading(m, n, headed, a, b) for m, n in zip(matches, parts, strict=True)]
    matches = [_enclosed_match(m, a.doc.text, b.doc.text) for m in matches]
    matches.extend(_unpaired_formulae(a, b, hits_a, hits_b, used_a, used_b))
    return matches


HEADING_WORDS = 3
"""The most words of a heading line that a copied section after it takes in when the heading
alone is too light to report ("#### `json`", "12. Confidentiality")."""


def _heading_part(a: Prepared, b: Prepared, piece: Piece) -> bool:
    """Whether `piece` is a short heading: at most `HEADING_WORDS` words, alone on its line in
    both documents but for markup and a list's number (`heading_line`)."""
    if piece.equal > HEADING_WORDS or piece.a1 - piece.a0 > HEADING_WORDS:
        return False
    ta, tb = a.tokens, b.tokens
    return heading_line(a.doc.text, ta.starts[piece.a0], ta.ends[piece.a1 - 1]) and heading_line(
        b.doc.text, tb.starts[piece.b0], tb.ends[piece.b1 - 1]
    )


def _heads(heading: Piece, piece: Piece) -> bool:
    """Whether the heading part dropped just before `piece` heads it: two parts of one
    alignment, cut at the paragraph break between them."""
    return heading.origin == piece.origin >= 0 and (heading.a1, heading.b1) == (piece.a0, piece.b0)


def _with_heading(
    match: Match, parts: int, headed: dict[tuple[int, int], Piece], a: Prepared, b: Prepared
) -> Match:
    """`match` (joined from `parts` parts) with the heading line its first part had (`headed`,
    by the part's first characters) when it is a copied section, phrasing once its parts are
    joined ("#### `json`" above "* Default: false / * Type: Boolean", a part of short lines,
    and the paragraph after them): a heading heads no formula, and a name part left alone
    ("Secret" above a title) stays as it was."""
    heading = headed.get((match.a.span.start, match.b.span.start))
    if heading is None or match.kind is not Kind.PHRASING:
        return match
    return _rejoined(_piece_match(a, b, heading, match.kind, ""), match, match.kind, parts + 1)


def heading_line(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` is alone on its line but for markup around it ("#### `json`",
    "**Scope**") and a list's number before it ("12. Confidentiality", "(b) Notices")."""
    if "\n" in text[start:end]:
        return False
    # (Looked for nearby only: a heading's line is short, and a text may be one line of
    # megabytes.)
    lo, hi = max(0, start - _HEADING_LINE), min(len(text), end + _HEADING_LINE)
    line_start = text.rfind("\n", lo, start) + 1
    line_end = text.find("\n", end, hi)
    if (line_start == 0 and lo > 0) or (line_end < 0 and hi < len(text)):
        return False
    line_end = hi if line_end < 0 else line_end
    return (
        _HEADING_BEFORE.fullmatch(text, line_start, start) is not None
        and _HEADING_AFTER.fullmatch(text, end, line_end) is not None
    )


_HEADING_LINE = 200
"""The most characters a heading's line holds around its words."""

_HEADING_BEFORE = re.compile(
    r"[ \t#*_`>=]*"
    r"(?:(?:\d{1,3}(?:\.\d{1,3})*|[A-Za-z]|[ivxIVX]{1,4})[.)][ \t]+|\([A-Za-z\d]{1,4}\)[ \t]+)?"
    r"[*_`]*"
)
"""What may stand before a heading's words on its line: markup ("#### ", "**", "> "), a number
or letter ("12. ", "3.1 ", "(b) ", "IV. ")."""

_HEADING_AFTER = re.compile(r"[*_`:#= \t]*")
"""What may stand after a heading's words on its line: closing markup, a colon."""


def _enclosed_match(match: Match, text_a: str, text_b: str) -> Match:
    """`match` with its spans taking in the marks around them that pair with marks inside
    (`enclosed`): a passage joined from parts may hold a mark that none of its parts held
    alone ("`install-links`" before a paragraph break)."""
    span_a, span_b = enclosed(text_a, match.a.span), enclosed(text_b, match.b.span)
    if span_a == match.a.span and span_b == match.b.span:
        return match
    return replace(match, a=Passage(match.a.doc, span_a), b=Passage(match.b.doc, span_b))


def _classify_one(
    a: Prepared,
    b: Prepared,
    piece: Piece,
    hits_a: Sequence[FormulaHit],
    hits_b: Sequence[FormulaHit],
    doc_freq: DocFreq | None,
    used_a: set[int],
    used_b: set[int],
    few_senders: tuple[str, ...],
) -> Match | None:
    in_a, main_a = covered_by(hits_a, piece.a0, piece.a1)
    in_b, main_b = covered_by(hits_b, piece.b0, piece.b1)
    weight = sum(sum(a.weights[op.i1 : op.i2]) for op in piece.ops if op.tag == "equal")
    if main_a is None and main_b is None and doc_freq is None and weight < MIN_PASSAGE_WEIGHT:
        return None  # neither formula nor rare enough: skip the costlier tests below
    la, lb = piece.a1 - piece.a0, piece.b1 - piece.b0
    mostly_a = main_a is not None and in_a * 2 >= la
    mostly_b = main_b is not None and in_b * 2 >= lb
    both = (
        main_a is not None
        and main_b is not None
        and mostly_a
        and mostly_b
        and main_a.template.family == main_b.template.family
    )
    if both and main_a is not None and main_b is not None:
        inside_a = main_a.start <= piece.a0 and piece.a1 <= main_a.end
        if inside_a and main_b.start <= piece.b0 and piece.b1 <= main_b.end:
            # Wholly inside both instances: report the instances themselves, once.
            if id(main_a) in used_a and id(main_b) in used_b:
                return None
            used_a.add(id(main_a))
            used_b.add(id(main_b))
            return _formula_match(a, b, main_a, main_b)
        used_a.add(id(main_a))
        used_b.add(id(main_b))
    content, rare = _content_words(a, piece)
    common = None if doc_freq is None else _corpus_common_share(a, piece, doc_freq)
    one: tuple[str, str] | None = None
    if mostly_a and main_a is not None:
        one = ("A", main_a.template.family)
    elif mostly_b and main_b is not None:
        one = ("B", main_b.template.family)
    facts = Facts(
        words=piece.equal,
        weight=weight,
        content=content,
        rare=rare,
        lexicon_both=main_a.template.family if both and main_a is not None else None,
        lexicon_one=one,
        corpus_common=common,
        topic=_topic_phrase(a, piece),
        apparatus=in_apparatus(a, piece.a0, piece.a1) and in_apparatus(b, piece.b0, piece.b1),
        dateline=in_dateline(a, piece.a0, piece.a1) and in_dateline(b, piece.b0, piece.b1),
        head=in_head(a, piece.a0, piece.a1) and in_head(b, piece.b0, piece.b1),
        corpus_words=(
            frequent_words(a.hashes, doc_freq, piece.a0, piece.a1, a.k)
            if doc_freq is not None and common is not None and common >= BANAL_SHARE
            else 0
        ),
        few_senders=few_senders,
    )
    # The text around the piece is searched only for the rules that read it.
    kind, reason = decide_reading(facts, _PieceText(a, b, piece))
    if kind is None:
        return None
    formula = None
    if kind is Kind.FORMULA and facts.lexicon_both and main_a is not None:
        formula = main_a.template.text
    elif kind is Kind.FORMULA and one is not None:
        main = main_a if one[0] == "A" else main_b
        formula = main.template.text if main is not None else None
    return _piece_match(a, b, piece, kind, reason, formula=formula)


_BOILERPLATE_SHARE = 2 / 3
"""A reworded passage is a formula when this share of its shared words lies in the corpus's
boilerplate (`banal_rewordings`)."""


def banal_rewordings(
    matches: Sequence[Match], a: Prepared, doc_freq: DocFreq | None, few_senders: tuple[str, ...]
) -> list[Match]:
    """Reworded passages (`docdiff.engine.reworded`) whose shared words are mostly the
    corpus's boilerplate: formulae. Alignment never seeds on k-grams that frequent, so a line
    of the genre ("Format: https://…" beside "Format: http://…", or with other lines around
    it) comes back from the rewording search; it is no paraphrase. Without a corpus, or in one
    of few senders (what they repeat is their own wording), the passages are kept as they are.
    """
    if doc_freq is None or few_senders:
        return list(matches)
    return [_as_boilerplate(m, a, doc_freq) for m in matches]


def _as_boilerplate(m: Match, a: Prepared, doc_freq: DocFreq) -> Match:
    common = _boilerplate(a, m, doc_freq) if m.kind is Kind.PARAPHRASE and m.ops else None
    if common is None:
        return m
    reason = (
        f"formula: {round(common * 100)}% of its shared words lie in word sequences among the "
        "corpus's frequent ones (boilerplate of the genre, here reworded)"
    )
    return replace(m, kind=Kind.FORMULA, reason=reason)


def _boilerplate(a: Prepared, m: Match, doc_freq: DocFreq) -> float | None:
    """The share of `m`'s shared words (its ops, on side A) that lie in k-grams frequent in the
    corpus, when it reaches `_BOILERPLATE_SHARE`, those k-grams cover `_BANAL_WORDS` words or
    more and they make no topic phrase; otherwise None."""
    i0, i1 = token_range(a.tokens, m.a.span)
    frequent = {
        j for i in _frequent_starts(a.hashes, doc_freq, i0, i1, a.k) for j in range(i, i + a.k)
    }
    if len(frequent) < _BANAL_WORDS:
        return None
    at = [bisect.bisect_left(a.tokens.starts, op.a.start) for op in m.ops]
    share = sum(1 for i in at if i in frequent) / len(at)
    f0, f1 = min(frequent), max(frequent) + 1
    if share < _BOILERPLATE_SHARE or topic_phrase(a.doc.text, a.tokens, f0, f1, f1 - f0):
        return None
    return share


def in_apparatus(p: Prepared, i0: int, i1: int) -> bool:
    """Whether tokens ``[i0, i1)`` of `p` lie in its editorial apparatus."""
    spans = _apparatus(p)
    if not spans or i1 <= i0:
        return False
    return within(spans, p.tokens.starts[i0], p.tokens.ends[i1 - 1])


def in_dateline(p: Prepared, i0: int, i1: int) -> bool:
    """Whether tokens ``[i0, i1)`` of `p` lie in its datelines (`docdiff.text.datelines`)."""
    spans = text_wide(p, "datelines", dateline_spans)
    if not spans or i1 <= i0:
        return False
    return within(spans, p.tokens.starts[i0], p.tokens.ends[i1 - 1])


def in_head(p: Prepared, i0: int, i1: int) -> bool:
    """Whether tokens ``[i0, i1)`` of `p` lie in its letter's head: its marking lines, its
    salutation and its lines in parentheses (`docdiff.text.markings.head_spans`), and its
    datelines ("1927\n\nPERSONAL & CONFIDENTIAL\n\nMy dear Prime Minister")."""
    from docdiff.text.markings import head_spans

    # (The datelines as a comparison keeps them, stored with an indexed document: not found
    # again in its text.)
    spans = text_wide(
        p,
        "head_and_datelines",
        lambda text: tuple(sorted((*head_spans(text), *text_wide(p, "datelines", dateline_spans)))),
    )
    if not spans or i1 <= i0:
        return False
    return within(spans, p.tokens.starts[i0], p.tokens.ends[i1 - 1])


def cover_datelines_and_apparatus(p: Prepared, covered: list[bool]) -> None:
    """Mark the tokens of `p`'s editorial apparatus (`docdiff.text.apparatus`) and of its
    datelines (`docdiff.text.datelines`) in `covered`: an edition's wording, and the place and
    day a letter was written ("Canberra, 11 August 1965" beside "Canberra, 27 December 1963"),
    are no evidence of how the documents were written."""
    starts = p.tokens.starts
    for s, e in (*_apparatus(p), *text_wide(p, "datelines", dateline_spans)):
        i0, i1 = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
        covered[i0:i1] = [True] * (i1 - i0)


def cover_markings(p: Prepared, covered: list[bool]) -> None:
    """Mark the tokens of `p`'s marking lines (`docdiff.text.markings`: "MOST SECRET", "TOP
    SECRET AND PERSONAL" above its text), of its notes' calls ("[1]") and of its lists'
    markers ("(b)") in `covered`: not prose, so no evidence that one document reworded the
    other, and no place for a paraphrase to open."""
    from docdiff.text.markings import call_spans, marking_spans

    starts = p.tokens.starts
    calls = text_wide(p, "calls", call_spans)
    for s, e in (*text_wide(p, "markings", marking_spans), *calls):
        i0, i1 = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
        covered[i0:i1] = [True] * (i1 - i0)


def _apparatus(p: Prepared) -> tuple[tuple[int, int], ...]:
    """`p`'s apparatus spans, found once per text (`text_wide`) and kept with it."""
    return text_wide(p, "apparatus", apparatus_spans)


def _content_words(a: Prepared, piece: Piece) -> tuple[tuple[str, ...], int]:
    """The distinct shared content words (as listed by --explain) and how many are rare."""
    forms: dict[str, bool] = {}
    all_forms, weights = a.tokens.forms, a.weights
    for op in piece.ops:
        if op.tag != "equal":
            continue
        for form, w in zip(all_forms[op.i1 : op.i2], weights[op.i1 : op.i2], strict=True):
            if w > 0 and form not in forms:
                forms[form] = w >= 1.0
    return tuple(forms), sum(forms.values())


def _topic_phrase(a: Prepared, piece: Piece) -> bool:
    return topic_phrase(a.doc.text, a.tokens, piece.a0, piece.a1, piece.equal)


def topic_phrase(text: str, t: Tokens, i0: int, i1: int, equal: int) -> bool:
    """Whether tokens ``[i0, i1)`` (sharing `equal` words) are a short or name-heavy phrase
    ("people of Portuguese Timor", "sovereignty of the DPRK"): frequent in a corpus because it
    is a topic there, not because it is boilerplate. A passage written in capitals (most of its
    longer words: a licence's "THIS SOFTWARE IS PROVIDED … AS IS AND ANY EXPRESS OR IMPLIED
    WARRANTIES …", a cable's) says nothing of names by its capitals, as `name_evidence` holds."""
    if equal < _BANAL_WORDS:
        return True
    content = [i for i in range(i0, i1) if not is_stopword(t.keys[i])]
    longer = [text[t.starts[i] : t.ends[i]] for i in content if t.ends[i] - t.starts[i] > 5]
    if longer and 2 * sum(w.isupper() for w in longer) >= len(longer):
        return False
    capital = sum(1 for i in content if text[t.starts[i]].isupper())
    return bool(content) and capital * 2 >= len(content)


_BANAL_WORDS = 6
"""A formula of the genre found from corpus frequency has at least this many words."""


def _side(
    test: Callable[[Prepared, int, int], bool], a: Prepared, b: Prepared, piece: Piece
) -> str | None:
    """ "A" or "B": the first side whose passage passes `test` (quoted, an agenda title); each
    side's answer kept with its document (`_kept`)."""
    if _kept(a, test, piece.a0, piece.a1):
        return "A"
    if _kept(b, test, piece.b0, piece.b1):
        return "B"
    return None


def _rejoin(matches: list[Match], origins: list[int]) -> tuple[list[Match], list[int]]:
    """Join the parts of one alignment cut at paragraph breaks when they share a kind, when a
    quoted part stands next to phrasing (the section as a whole is not a quotation), or when a
    shorter name part (a footnote's name, a title line) does."""
    out: list[Match] = []
    parts: list[int] = []
    owners: list[int] = []
    last_origin = -1
    for match, origin in zip(matches, origins, strict=True):
        prev = out[-1] if out else None
        if prev is not None and origin >= 0 and origin == last_origin:
            kind = _rejoined_kind(prev, match)
            if kind is not None:
                out[-1] = _rejoined(prev, match, kind, parts[-1] + 1)
                parts[-1] += 1
                _fold_back(out, owners, parts)
                continue
        out.append(match)
        parts.append(1)
        owners.append(origin)
        last_origin = origin
    return _sandwiches(out, owners, parts), parts


def _fold_back(out: list[Match], owners: list[int], parts: list[int]) -> None:
    """Join the last part into the one before it while they can join: a formula part that the
    phrasing after it absorbed no longer stands between two phrasing parts."""
    while len(out) >= 2 and owners[-2] == owners[-1] >= 0:
        kind = _rejoined_kind(out[-2], out[-1])
        if kind is None:
            return
        n = parts[-2] + parts[-1]
        out[-2:] = [_rejoined(out[-2], out[-1], kind, n)]
        owners.pop()
        parts[-2:] = [n]


def _sandwiches(out: list[Match], owners: list[int], parts: list[int]) -> list[Match]:
    """A formula, name or quotation part between two phrasing parts of one alignment is part
    of the reused section (a copied paragraph that contains a courtesy phrase): one passage.

    But a formula is not a courtesy phrase inside a copy when the phrasing around it is short
    beside it (as `_rejoined_kind` keeps a formula apart from a short phrase): "At the outset,
    it is my pleasure | to congratulate Ms. María Fernanda Espinosa Garcés on her election as
    President of the General Assembly | at its seventy-third session. I wish her every
    success", two speeches' opening, is the genre's formula with the wording that frames it,
    and the passage is a formula (joined with the formula parts of its alignment beside it)."""
    i = 1
    while i + 1 < len(out):
        left, mid, right = out[i - 1], out[i], out[i + 1]
        if (
            owners[i - 1] >= 0
            and owners[i - 1] == owners[i] == owners[i + 1]
            and left.kind is Kind.PHRASING is right.kind
            and mid.kind is not Kind.PARAPHRASE
        ):
            n = parts[i - 1] + parts[i] + parts[i + 1]
            kind = Kind.FORMULA if _framed_formula(left, mid, right) else Kind.PHRASING
            joined = _rejoined(_rejoined(left, mid, kind, n), right, kind, n)
            if kind is Kind.PHRASING:
                joined = replace(joined, formula=None)
            else:
                joined = replace(joined, reason=_framed_reason(mid, n))
            out[i - 1 : i + 2] = [joined]
            owners[i - 1 : i + 2] = [owners[i - 1]]
            parts[i - 1 : i + 2] = [n]
            if kind is Kind.FORMULA:
                _join_formulae(out, owners, parts, i - 1, mid)
            continue
        i += 1
    return out


def _framed_formula(left: Match, mid: Match, right: Match) -> bool:
    """Whether formula part `mid` is the passage and the phrasing parts around it its frame:
    together they are shorter than a copied section (`_SECTION_WORDS`) and less than three
    times the formula (the bar at which `_rejoined_kind` lets phrasing absorb one)."""
    if mid.kind is not Kind.FORMULA or mid.reason.startswith((APPARATUS_REASON, DATELINE_REASON)):
        return False  # (the edition's apparatus and a dateline frame no wording of their own)
    frame = left.words + right.words
    return frame < _SECTION_WORDS and frame < 3 * mid.words


def _framed_reason(formula: Match, parts: int) -> str:
    return (
        f"{formula.reason}, with the shorter wording that frames it ({parts} parts of one "
        "passage joined)"
    )


def _join_formulae(
    out: list[Match], owners: list[int], parts: list[int], at: int, framed: Match
) -> None:
    """Join the formula passage at `at` (formula part `framed` and its frame) with the formula
    parts of its alignment next to it."""
    for j in (at + 1, at - 1):
        lo, hi = min(j, at), max(j, at)
        if lo < 0 or hi >= len(out) or owners[lo] != owners[hi]:
            continue
        if _rejoined_kind(out[lo], out[hi]) is Kind.FORMULA:  # (two formulae, one apparatus)
            n = parts[lo] + parts[hi]
            joined = _rejoined(out[lo], out[hi], Kind.FORMULA, n)
            out[lo : hi + 1] = [replace(joined, reason=_framed_reason(framed, n))]
            owners[lo : hi + 1] = [owners[lo]]
            parts[lo : hi + 1] = [n]
            at = lo


def _rejoined_kind(prev: Match, match: Match) -> Kind | None:
    if prev.reason.startswith(APPARATUS_REASON) != match.reason.startswith(APPARATUS_REASON):
        return None  # the documents' own text and their edition's apparatus stay apart
    dated = prev.reason.startswith(DATELINE_REASON), match.reason.startswith(DATELINE_REASON)
    if dated[0] != dated[1]:
        # Nor does a section absorb a dateline: "August, 1955" of "5th August, 1955" beside
        # "Canberra, 5 August 1955" opened a copied memorandum's passage; nor does a formula
        # ("… the assurances of its highest consideration." and "New York" of the dateline
        # below it were one formula passage).
        return None
    if prev.kind is match.kind:
        return prev.kind
    if any(dated):
        return None
    pair = {prev.kind, match.kind}
    if pair == {Kind.PHRASING, Kind.QUOTATION}:
        return Kind.PHRASING  # the section as a whole does not stand inside quotation marks
    if pair == {Kind.PHRASING, Kind.NAME}:
        name = prev if prev.kind is Kind.NAME else match
        other = match if name is prev else prev
        if name.words < other.words:
            return Kind.PHRASING
    if pair == {Kind.PHRASING, Kind.FORMULA}:
        # A courtesy phrase inside a long copied paragraph is part of the copy; a formula
        # standing beside a short reused phrase keeps its own passage.
        formula = prev if prev.kind is Kind.FORMULA else match
        other = match if formula is prev else prev
        if other.words >= _SECTION_WORDS and formula.words * 3 <= other.words:
            return Kind.PHRASING
    return None


_SECTION_WORDS = 30
"""A phrasing part this long is a copied section that absorbs a short formula part."""


def _rejoined(prev: Match, match: Match, kind: Kind, parts: int) -> Match:
    la = prev.a.span.end - prev.a.span.start
    lb = match.a.span.end - match.a.span.start
    shared = tuple(dict.fromkeys(prev.shared + match.shared))
    reason = prev.reason
    if parts > 1 and kind is not Kind.FORMULA:
        reason = (
            f"{kind.value}: {parts} parts of one passage, cut at paragraph breaks, joined; "
            f"{prev.words + match.words} shared words; {len(shared)} distinct content words "
            f"({', '.join(shared)})"
        )
    return Match(
        a=Passage(prev.a.doc, prev.a.span.union(match.a.span)),
        b=Passage(prev.b.doc, prev.b.span.union(match.b.span)),
        kind=kind,
        score=round((prev.score * la + match.score * lb) / max(1, la + lb), 1),
        words=prev.words + match.words,
        ops=prev.ops + match.ops,
        reason=reason,
        shared=shared,
        formula=prev.formula if kind is Kind.FORMULA else None,
    )


def _corpus_common_share(a: Prepared, piece: Piece, doc_freq: DocFreq) -> float:
    # The k-grams starting in the piece (at least its first), those that exist.
    hashes = a.hashes[piece.a0 : max(piece.a0 + 1, piece.a1 - a.k + 1)]
    if not hashes:
        return 0.0
    return sum(1 for share in map(doc_freq, hashes) if share >= FORMULA_KGRAM) / len(hashes)


def _frequent_starts(
    hashes: Sequence[int], doc_freq: DocFreq, i0: int, i1: int, k: int
) -> Iterator[int]:
    """The tokens of ``[i0, i1)`` that start a k-gram (of `hashes`, one a token) lying there
    and frequent in the corpus (`FORMULA_KGRAM`), in order."""
    for i in range(i0, max(i0, min(i1 - k + 1, len(hashes)))):
        if doc_freq(hashes[i]) >= FORMULA_KGRAM:
            yield i


def frequent_words(hashes: Sequence[int], doc_freq: DocFreq, i0: int, i1: int, k: int) -> int:
    """How many tokens stand in the frequent k-grams of ``[i0, i1)`` (`_frequent_starts`): the
    boilerplate's words."""
    covered = 0
    until = i0  # the first token not yet covered
    for i in _frequent_starts(hashes, doc_freq, i0, i1, k):
        covered += i + k - max(until, i)
        until = i + k
    return covered


def _unpaired_formulae(
    a: Prepared,
    b: Prepared,
    hits_a: Sequence[FormulaHit],
    hits_b: Sequence[FormulaHit],
    used_a: set[int],
    used_b: set[int],
) -> list[Match]:
    """Formula matches for lexicon families used in both documents but not aligned verbatim.
    Two instances each inside one already reported on its side are reported with them
    ("présente ses compliments au … et a l'honneur de lui faire tenir …" / "… et a l'honneur de
    l'informer": the honour is said inside the compliments' instances, whose slot runs on to
    the end of the clause, and is not a second passage)."""
    inside_a = _inside_reported(hits_a, used_a)
    inside_b = _inside_reported(hits_b, used_b)
    by_family: dict[str, list[FormulaHit]] = defaultdict(list)
    for h in hits_b:
        if id(h) not in used_b:
            by_family[h.template.family].append(h)
    out = []
    for h in hits_a:
        if id(h) in used_a:
            continue
        candidates = by_family.get(h.template.family)
        if candidates:
            hb = candidates.pop(0)
            if id(h) not in inside_a or id(hb) not in inside_b:
                out.append(_formula_match(a, b, h, hb))
    return out


def _inside_reported(hits: Sequence[FormulaHit], used: set[int]) -> set[int]:
    """The instances (ids) not reported (`used`) that lie inside one that is."""
    spans = [(h.start, h.end) for h in hits if id(h) in used]
    return {
        id(h)
        for h in hits
        if id(h) not in used and any(s <= h.start and h.end <= e for s, e in spans)
    }


def _formula_match(a: Prepared, b: Prepared, ha: FormulaHit, hb: FormulaHit) -> Match:
    # The two instances aligned the same whichever document is A (`aligned_ops`).
    ops = aligned_ops(a.ids[ha.start : ha.end], b.ids[hb.start : hb.end], ha.start, hb.start)
    equal = sum(op.i2 - op.i1 for op in ops if op.tag == "equal")
    piece = Piece(ha.start, ha.end, hb.start, hb.end, tuple(ops), equal)
    why = f"formula: both documents use the lexicon's '{ha.template.family}' formula"
    return _piece_match(a, b, piece, Kind.FORMULA, why, formula=ha.template.text)


def _name_reason(a: str, b: str) -> str:
    """Why a passage is a name: each side's evidence, once when both sides give the same
    ("a body's name, … (both)", not the same words twice)."""
    return f"name: {a} (both)" if a == b else f"name: {a} (A), {b} (B)"


def _piece_match(
    a: Prepared,
    b: Prepared,
    piece: Piece,
    kind: Kind,
    reason: str,
    *,
    formula: str | None = None,
) -> Match:
    ta, tb = a.tokens, b.tokens
    ops: list[AlignOp] = []
    form_diffs = 0
    shared: dict[str, None] = {}  # in order of first use
    forms_a, forms_b, weights = ta.forms, tb.forms, a.weights
    for tag, i1, i2, j1, j2 in piece.ops:
        ops.append(AlignOp(_tag(tag), _range(ta, i1, i2), _range(tb, j1, j2)))
        if tag == "equal":
            # Word by word, on slices: the forms that differ (spelling variants), and the
            # weighed words' forms in order of first use.
            if i2 - i1 != j2 - j1:
                raise ValueError("an equal op spans different lengths on the two sides")
            here = forms_a[i1:i2]
            form_diffs += sum(map(operator.ne, here, forms_b[j1:j2]))
            for form in itertools.compress(here, map(_POSITIVE, weights[i1:i2])):
                shared.setdefault(form)
    la, lb = piece.a1 - piece.a0, piece.b1 - piece.b0
    score = 100.0 * (2 * piece.equal - 0.5 * form_diffs) / max(1, la + lb)
    return Match(
        a=Passage(a.doc.id, enclosed(a.doc.text, ta.range_span(piece.a0, piece.a1))),
        b=Passage(b.doc.id, enclosed(b.doc.text, tb.range_span(piece.b0, piece.b1))),
        kind=kind,
        score=round(max(0.0, min(100.0, score)), 1),
        words=piece.equal,
        ops=tuple(ops),
        reason=reason,
        shared=tuple(shared),
        formula=formula,
    )


def forms_apart(m: Match, a: Prepared, b: Prepared) -> Match:
    """`m` with each word that its equal ops match by key but not by form ("objectives" and
    "objective", "honour" and "honor") shown as a replace op of its own: a reader comparing
    versions must see a plural become a singular. For display only: the engine weighs such
    words as matched (the pair's figures are made before this)."""
    ta, tb = a.tokens, b.tokens
    out: list[AlignOp] = []
    for op in m.ops:
        i1, i2 = token_range(ta, op.a) if op.tag == "equal" else (0, 0)
        j1, j2 = token_range(tb, op.b) if op.tag == "equal" else (0, 0)
        differ = list(map(operator.ne, ta.forms[i1:i2], tb.forms[j1:j2]))
        if i2 - i1 != j2 - j1 or not any(differ):
            out.append(op)
            continue
        k, n = 0, len(differ)
        for differs, run in itertools.groupby(differ):
            e = k + sum(1 for _ in run)
            span_a, span_b = _range(ta, i1 + k, i1 + e), _range(tb, j1 + k, j1 + e)
            # The run's own edges stay the op's (a closing bracket it holds).
            span_a = Span(
                op.a.start if k == 0 else span_a.start, op.a.end if e == n else span_a.end
            )
            span_b = Span(
                op.b.start if k == 0 else span_b.start, op.b.end if e == n else span_b.end
            )
            out.append(AlignOp("replace" if differs else "equal", span_a, span_b))
            k = e
    return m if len(out) == len(m.ops) else replace(m, ops=tuple(out))


_POSITIVE = (0.0).__lt__
"""``w > 0`` for a weight `w`, as a C call."""


def _tag(tag: str) -> OpTag:
    if tag == "equal":
        return "equal"
    if tag == "insert":
        return "insert"
    if tag == "delete":
        return "delete"
    return "replace"


def _range(tokens: Tokens, i1: int, i2: int) -> Span:
    if i2 > i1:
        return tokens.range_span(i1, i2)
    pos = tokens.ends[i1 - 1] if i1 > 0 else (tokens.starts[0] if len(tokens) else 0)
    return Span(pos, pos)
