"""A date is one slot with its weekday, its hour and its time zone, and a mail address is a slot
of its own ("-- {name} <{email}> {date}", the line that signs every entry of a Debian changelog:
before, each maintainer's line was a formula of its own, "-- Timo Aaltonen
<tjaalton@debian.org> Thu, {date}:{number}:{number}", one for each weekday)."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given
from hypothesis import strategies as st

from docdiff.corpus.formulae import formulae_report, mask
from docdiff.loaders import load_text
from docdiff.model import Document
from docdiff.text.datelines import a_weekday
from tests._made_up import SYLLABLES, WORDS, sentence

_DAYS = "Mon Tue Wed Thu Fri Sat Sun".split()
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _classes(text: str) -> list[tuple[str, str]]:
    m = mask(text)
    return [(m.kinds[x], text[m.starts[x] : m.ends[x]]) for x in range(len(m.keys))]


def test_a_weekday_hour_and_zone_are_the_dates() -> None:
    text = "Signed Fri, 20 Dec 2019 21:49:37 +0200 here"
    assert ("date", "Fri, 20 Dec 2019 21:49:37 +0200") in _classes(text)
    text = "Held on Friday, 25 September 2020 in the hall"
    assert ("date", "Friday, 25 September 2020") in _classes(text)
    text = "vendredi 25 septembre 2020"
    assert _classes(text) == [("date", text)]
    text = "Sent 3 May 1965 10:30 -0500."
    assert ("date", "3 May 1965 10:30 -0500") in _classes(text)


def test_a_weekday_not_before_a_date_is_a_word() -> None:
    kinds = _classes("They met on Friday, and on 3 May 1965 again")
    assert ("date", "3 May 1965") in kinds
    assert not any(k == "date" and "Friday" in w for k, w in kinds)
    # The star and the verb are no weekdays; a colon with a space is no hour's.
    assert not a_weekday("sun")
    assert not a_weekday("wed")
    assert a_weekday("SUN")
    kinds = _classes("Item 3 May 1965: 12 members")
    assert ("date", "3 May 1965") in kinds


def test_a_mail_address_is_one_slot() -> None:
    kinds = _classes("-- Tila Dorn <tila.dorn+list@mail.example.org>  Mon, 07 Apr 2025")
    assert ("email", "tila.dorn+list@mail.example.org") in kinds
    assert ("date", "Mon, 07 Apr 2025") in kinds


@given(st.from_regex(r"[a-z][a-z0-9.]{0,12}@[a-z]{1,8}(\.[a-z]{2,5}){1,3}", fullmatch=True))
def test_every_mail_address_is_one_token(address: str) -> None:
    m = mask(f"write to <{address}> today")
    assert m.keys.count("\x00email") == 1
    x = m.keys.index("\x00email")
    assert m.text[m.starts[x] : m.ends[x]] == address


def _changelogs(n: int = 24) -> list[Document]:
    """Change logs whose entries are signed by their maintainer on a line of its own, with the
    date as a mail gives it; a maintainer keeps three packages."""
    rng = random.Random(5)
    docs = []
    for i in range(n):
        m = i // 3
        first, last = (_made_up_name(random.Random(m * 2 + k)) for k in range(2))
        # Some write their first name as their address, as many do ("sebastian@…"): the
        # corpus writes that word in lower case too, so it is a word there, not a name.
        user = first.lower() if m % 2 else WORDS[m + 80]
        address = f"{user}@{WORDS[m + 120]}.org"
        entries = []
        for _ in range(rng.randint(2, 4)):
            date = (
                f"{rng.choice(_DAYS)}, {rng.randint(10, 28)} {rng.choice(_MONTHS)} "
                f"{rng.randint(2000, 2025)} {rng.randint(10, 23)}:{rng.randint(10, 59)}:"
                f"{rng.randint(10, 59)} +0{rng.randint(1, 9)}00"
            )
            body = "\n".join(f"  * {sentence(rng, rng.randint(6, 12))}" for _ in range(3))
            package = f"{WORDS[200 + i]} ({i}.{rng.randint(1, 9)})"
            entries.append(f"{package}\n\n{body}\n\n -- {first} {last} <{address}>  {date}\n")
        docs.append(load_text("\n".join(entries), doc_id=f"changelog-{i}.txt"))
    return docs


def _made_up_name(rng: random.Random) -> str:
    """A capitalised word of three syllables that no sentence here holds."""
    return "".join(rng.choice(SYLLABLES) for _ in range(3)).title()


def test_the_signing_line_is_one_formula() -> None:
    found = formulae_report(_changelogs(), min_docs=5).formulae
    templates = [f.template for f in found]
    assert "-- {name} <{email}> {date}" in templates, templates
    assert not any("{date}:" in t or "+{number}" in t for t in templates), templates


def test_an_iso_date_is_a_date() -> None:
    """Year, month and day in ISO 8601's order are one date, as the day first is: a NEWS
    file's "* Noteworthy changes in release 3.8 (2022-08-01) [stable]" was "… ({number}-
    {number}-{number}) …" in every release."""
    assert ("date", "2022-08-01") in _classes("release 3.8 (2022-08-01) [stable]")
    assert ("date", "2023/04/05") in _classes("on 2023/04/05 we met")
    # A range of years, a file number and a paragraph's number are none.
    kinds = _classes("files 3107/38/18, 2020/1/12 and 1992-94, years 2012-2015, para 3.1.2")
    assert not any(k == "date" for k, _ in kinds), kinds


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_every_iso_date_is_one_date(day: dt.date) -> None:
    for text in (day.isoformat(), day.strftime("%Y/%m/%d")):
        assert _classes(f"Released on {text} here")[2] == ("date", text)
