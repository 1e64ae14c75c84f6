"""Datelines and dates in the other languages of official correspondence: the engine's dateline
kind (`docdiff.text.datelines`) and the formula miner's ``{date}`` slot read French, Spanish,
Portuguese, Italian, German and Russian dates as they read English ones."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from docdiff.corpus.formulae import formulae_report
from docdiff.loaders import load_text
from docdiff.model import Document
from docdiff.text.datelines import MONTH_NAMES, dateline_spans


@pytest.mark.parametrize(
    "line",
    [
        "New York, le 30 novembre 2021",
        "Genève, le 1er mars 2024",
        "Nueva York, 30 de noviembre de 2021",
        "Lisboa, 3 de março de 2022",
        "Roma, 12 settembre 2023",
        "Berlin, 30. November 2021",
        "Нью-Йорк, 30 ноября 2021 года",
        "Canberra, 21 February 1975",
    ],
)
def test_a_place_and_a_date_alone_on_a_line_is_a_dateline(line: str) -> None:
    text = f"{line}\n\nLe texte de la lettre suit ici.\n"
    assert dateline_spans(text) == ((0, len(line)),)


@pytest.mark.parametrize(
    "line",
    [
        "Le Gouvernement a adopté le 3 mars 2024 une loi sur la pêche.",
        "El 30 de noviembre de 2021 se aprobó la ley de pesca.",
        "Mars 2030 mission planning",
    ],
)
def test_a_sentence_that_mentions_a_date_is_no_dateline(line: str) -> None:
    assert dateline_spans(f"{line}\n") == ()


def test_the_month_names_are_lower_case() -> None:
    assert {"may", "mai", "noviembre", "ноября", "märz"} <= MONTH_NAMES
    assert all(m == m.lower() for m in MONTH_NAMES)


_WORDS = [f"{c}{v}{c2}o" for c in "bdfgklmnprstvz" for v in "aeiu" for c2 in "lnrst"]
_MESES = ["enero", "marzo", "mayo", "junio", "septiembre", "noviembre"]
_MOIS = ["janvier", "mars", "mai", "juin", "septembre", "novembre"]


def _notes(place: str, date: str, months: list[str]) -> list[Document]:
    """Sixteen notes of eight senders closing on a dateline of one place and a date each."""
    rng = random.Random(3)
    docs = []
    for i in range(16):
        body = " ".join(rng.choice(_WORDS) for _ in range(60)).capitalize() + "."
        day = date.format(day=1 + i % 27, month=months[i % len(months)], year=2015 + i % 9)
        text = f"{body}\n\n{place}, {day}\n"
        docs.append(replace(load_text(text, doc_id=f"n{i:02}"), meta={"sender": f"s{i % 8}"}))
    return docs


@pytest.mark.parametrize(
    ("place", "date", "months", "template"),
    [
        ("New York", "le {day} {month} {year}", _MOIS, "New York, le {date}"),
        ("Nueva York", "{day} de {month} de {year}", _MESES, "Nueva York, {date}"),
    ],
)
def test_a_dateline_in_another_language_is_a_place_and_a_date(
    place: str, date: str, months: list[str], template: str
) -> None:
    found = formulae_report(_notes(place, date, months), min_docs=4).formulae
    templates = [f.template for f in found]
    assert template in templates, templates


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("Le sommet s'est tenu le 3 mai 2024 à Genève.", ["3 mai 2024"]),
        ("Se celebró el 30 de noviembre de 2021.", ["30 de noviembre de 2021"]),
        ("It met in mars 2024 and again.", ["mars 2024"]),
        # A month its language writes in lower case opens a date only with its year after it:
        # "mai 14" of a Māori greeting is none; capitalised, "Mai" of "Chiang Mai" is a name.
        ("Tēnā koutou katoa, mai 14 toku whānau.", []),
        ("The summit held in Chiang Mai, Thailand, earlier this year.", []),
    ],
)
def test_the_miner_reads_dates_as_their_language_writes_them(text: str, dates: list[str]) -> None:
    from docdiff.corpus.formulae import mask

    m = mask(text)
    found, run = [], []
    for i, kind in enumerate(m.kinds):
        if kind == "date":
            run.append(i)
        elif run:
            found.append(text[m.starts[run[0]] : m.ends[run[-1]]])
            run = []
    if run:
        found.append(text[m.starts[run[0]] : m.ends[run[-1]]])
    assert found == dates
    if "Chiang" in text:
        assert "mai" not in m.keys  # "Chiang Mai" is one name
