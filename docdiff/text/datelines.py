"""Datelines: the line that says where and when a letter or cable was written.

"Canberra, 21 February 1975", "Wellington, 10 May 1979", "New York, 5 May 2010",
"Jakarta, 20 October 1975, 3.00 p.m.": a place, a date and perhaps an hour, alone on a line.
Two documents written in one place on one day share that line word for word, which tells
nothing of how either was drafted: the line's frame is a formula of correspondence, its
fillers the circumstances.

A dateline here is a short line holding a date written with a month's name or in figures
("21/02/1975", "1975-02-21"), whose other words are capitalised (places, "Embassy"), figures,
an hour or a few joining words ("at", "the", "of"). A sentence that mentions a date is none.
"""

from __future__ import annotations

import re

__all__ = [
    "CAPITALISED_MONTHS",
    "DATELINE_REASON",
    "ENGLISH_MONTHS",
    "MONTH_NAMES",
    "a_weekday",
    "dateline_spans",
]

DATELINE_REASON = "formula: a dateline in both"
"""How the reason (``--explain``) of a passage lying in both documents' datelines begins."""

_ENGLISH_MONTHS = (
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sept Sep Oct Nov Dec"
).split()
_GERMAN_MONTHS = (
    "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"
)
_LOWER_CASE_MONTHS = """
    janvier février mars avril mai juin juillet août septembre octobre novembre décembre
    enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre
    diciembre janeiro fevereiro março maio junho julho setembro outubro novembro dezembro
    gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre
    января февраля марта апреля мая июня июля августа сентября октября ноября декабря
    январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь
    """.split()
"""The months of French, Spanish, Portuguese, Italian and Russian (in the genitive of its dates
and the nominative), which those languages write in lower case: capitalised, "Janeiro" of "Rio
de Janeiro" and "Mars" are names."""
ENGLISH_MONTHS: frozenset[str] = frozenset(m.lower() for m in _ENGLISH_MONTHS)
"""The English months and their abbreviations, in lower case: capitalised by rule, so a
capitalised one is a month, not a name ("May God bless …" aside), in the English text the
formula miner reads ("Chiang Mai" is a name there, though German writes its May "Mai")."""
CAPITALISED_MONTHS: frozenset[str] = ENGLISH_MONTHS | {m.lower() for m in _GERMAN_MONTHS.split()}
"""The months (in lower case) of the languages that capitalise them, English and German."""
MONTH_NAMES: frozenset[str] = CAPITALISED_MONTHS | frozenset(_LOWER_CASE_MONTHS)
"""Month names and the English abbreviations, in lower case, in the languages above."""

_CAPITALISED_WEEKDAYS = """
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Tues Wed Thu Thur Thurs Fri
    Sat Sun Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonnabend Sonntag
    """.split()
_LOWER_CASE_WEEKDAYS = """
    lundi mardi mercredi jeudi vendredi samedi dimanche lunes martes miércoles jueves viernes
    sábado domingo lunedì martedì mercoledì giovedì venerdì sabato domenica понедельник вторник
    среда четверг пятница суббота воскресенье
    """.split()
_WEEKDAYS = frozenset(_CAPITALISED_WEEKDAYS)
_LOWER_WEEKDAYS = frozenset(_LOWER_CASE_WEEKDAYS)


def a_weekday(word: str) -> bool:
    """A day of the week as the languages of `MONTH_NAMES` write it, English's abbreviations too,
    as a mail's or a changelog's date gives them ("Fri, 20 Dec 2019"): English and German
    capitalise theirs ("sun" is the star, "wed" a verb; a cable's capitals are read as the
    word), the others write them in lower case, capitalised only to open a sentence."""
    if word in _WEEKDAYS or (word.isupper() and word.title() in _WEEKDAYS):
        return True
    return word.lower() in _LOWER_WEEKDAYS


_MONTH = (
    rf"(?:(?:{'|'.join(_ENGLISH_MONTHS)})\.?|{'|'.join(_GERMAN_MONTHS.split())}"
    rf"|{'|'.join(sorted(_LOWER_CASE_MONTHS, key=len, reverse=True))})"
)
"""A month's name, written as its language writes it ("May", not the verb; "mars", not the
planet)."""
_DAY = r"\d{1,2}(?:st|nd|rd|th|er|\.)?"
_OF = r"(?:\s+(?:de|del))?"
"""The "de" between a Spanish or Portuguese date's parts ("30 de noviembre de 2021")."""
_DATE = re.compile(
    rf"\b(?:{_DAY}{_OF}\s+{_MONTH}{_OF},?\s+\d{{4}}|{_MONTH}\s+{_DAY},?\s+\d{{4}}"
    rf"|{_MONTH}{_OF}\s+\d{{4}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}})\b"
)
"""A date: "21 February 1975", "May 3, 2024", "February 1975", "21/02/1975", "1975-02-21",
"le 1er mars 2024", "30 de noviembre de 2021", "30. November 2021", "30 ноября 2021 года"."""

_HOUR = re.compile(
    r"\b(?:\d{1,2}[.:]\d{2}(?:\s*(?:[ap]\.\s?m\.?|[ap]m|hrs?\.?|hours))?|\d{4}\s*(?:hrs?\.?|hours|Z))"
    r"(?=\W|$)",
    re.IGNORECASE,
)
"""An hour: "3.00 p.m.", "14:30", "1430 hrs"."""

_JOINING = frozenset("at the of on de du la le and el del года г.".split())
"""Lower-case words a dateline may hold ("Embassy of the …", "at 3.00", "New York, le …",
"… 2021 года")."""

_MAX_WORDS = 10
"""The most words, besides the date and the hour, a dateline holds."""

_MAX_CHARS = 120


def dateline_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The character spans of `text`'s datelines (each line's words, without the white space
    and emphasis marks around them), in order."""
    spans: list[tuple[int, int]] = []
    at = 0
    for line in text.splitlines(keepends=True):
        lo, at = at, at + len(line)
        # Only a short line with a figure can be one (a paragraph is passed over unsearched).
        if len(line) > _MAX_CHARS or not _FIGURE.search(line) or not _DATE.search(line):
            continue
        body = line.rstrip("\r\n")
        if not _a_dateline(body):
            continue
        start = lo + len(body) - len(body.lstrip(" \t*_"))
        end = lo + len(body.rstrip(" \t*_."))
        if end > start:
            spans.append((start, end))
    return tuple(spans)


_FIGURE = re.compile(r"\d")


def _a_dateline(line: str) -> bool:
    rest = _HOUR.sub(" ", _DATE.sub(" ", line))
    words = re.findall(r"[^\W\d_][\w'\u2019.-]*", rest)
    if len(words) > _MAX_WORDS:
        return False
    for word in words:
        if word[0].isupper() or word.lower() in _JOINING:
            continue
        return False
    # What is left besides words is punctuation and figures (a cable number, a day's name).
    return not re.search(r"[;:!?\"\u201c\u201d]", rest)
