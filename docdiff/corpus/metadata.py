"""Document metadata: CSV files keyed by path or id, and the ``--where`` filter language.

The filter is a tiny safe expression language, parsed by hand (never ``eval``)::

    year>=2020 and (sender = "France" or sender ~ "Kingdom") and not kind = "note"

Comparisons: ``= == != < <= > >=`` and ``~`` (contains, case-insensitive). Values are numbers,
quoted strings or bare words. Both sides numeric compare as numbers, otherwise as strings (ISO dates
compare correctly as strings). A missing field makes a comparison false. ``year`` falls back to
the first four digits of ``date``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from docdiff.errors import InputError, OptionsError

__all__ = [
    "GENRE_SENDERS",
    "SENDER_KEYS",
    "Senders",
    "Where",
    "cross_values",
    "date_of",
    "few_senders",
    "field_value",
    "known_fields",
    "load_csv",
    "lookup_meta",
    "meta_problems",
    "parse_where",
    "sender_list",
    "sender_of",
    "senders",
    "senders_named",
    "title_kinds",
    "title_sender",
]

_KEY_COLUMNS = ("path", "id", "doc_id", "file", "filename")


def load_csv(path: str | Path) -> dict[str, dict[str, str]]:
    """Rows of a metadata CSV keyed by every way they name a document (id, path, resolved path)."""
    p = Path(path)
    try:
        with p.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames:
                raise InputError(str(path), "empty metadata file (expected a header row)")
            names = [n.strip() for n in reader.fieldnames]
            keys = [c for c in _KEY_COLUMNS if c in names]
            if not keys:
                raise InputError(
                    str(path), "metadata CSV needs a 'path' or 'id' column naming each document"
                )
            out: dict[str, dict[str, str]] = {}
            for row in reader:
                clean = {
                    (k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None
                }
                for col in keys:
                    value = clean.get(col, "")
                    if not value:
                        continue
                    out.setdefault(value, clean)
                    if col in {"path", "file", "filename"}:
                        out.setdefault(str((p.parent / value).resolve()), clean)
            return out
    except OSError as exc:
        raise InputError(str(path), f"cannot read metadata: {exc.strerror or exc}") from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"malformed metadata CSV: {exc}") from None


def lookup_meta(
    meta: Mapping[str, Mapping[str, str]], *, doc_id: str, path: str
) -> dict[str, str] | None:
    """The metadata row for a document, found by id, resolved path, path or file name."""
    key = _row_key(meta, doc_id, path)
    return None if key is None else dict(meta[key])


def _row_key(meta: Mapping[str, Mapping[str, str]], doc_id: str, path: str) -> str | None:
    """The key `lookup_meta` finds a document's row under, if any."""
    for key in (doc_id, path, str(Path(path).resolve()) if path else "", Path(path).name):
        if key and key in meta:
            return key
    return None


_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?(?:[T ].*)?")


def meta_problems(
    meta: Mapping[str, Mapping[str, str]], docs: Iterable[tuple[str, str]]
) -> list[str]:
    """What a metadata CSV's rows get wrong for these documents (``(id, path)`` pairs), one
    line each: rows that name no document (a typo in a path leaves its document without its
    date), documents that no row names, and dates that are not dates (they sort, and filter,
    as text). A row whose path names a file that exists is no typo: a corpus's CSV describes
    all its folders, and a run may read two of them; nor is a date of such a row this run's
    concern. When no row names any document, that alone is said, with how rows name them."""
    rows = {id(row): row for row in meta.values()}
    docs = list(docs)
    keys = [_row_key(meta, doc_id, path) for doc_id, path in docs]
    found = {id(meta[k]) for k in keys if k}
    rowless = [doc_id for (doc_id, _), k in zip(docs, keys, strict=True) if not k]
    if docs and rows and not found:
        # Nothing matched: the rows name the documents some other way (a copy of a corpus's
        # files read with the corpus's CSV). Say how rows are matched, with one of each.
        named = _row_name(next(iter(meta.values())))
        said = (
            "no row names a document of this run: a row's path is read from the CSV's folder, "
            f"or its id is a document's id (a row names {named!r}; this run's first document "
            f"is {docs[0][0]!r})"
        )
        return [said]
    # (`load_csv` keys a row by its resolved path too: the only keys that are absolute)
    elsewhere = {
        id(row)
        for key, row in meta.items()
        if id(row) not in found and (at := Path(key)).is_absolute() and at.is_file()
    }
    out = []
    told = found | elsewhere
    unmatched = [_row_name(row) for n, row in rows.items() if n not in told]
    if unmatched:
        rows_word = "row names" if len(unmatched) == 1 else "rows name"
        out.append(f"{len(unmatched)} {rows_word} no document ({_listed(unmatched)})")
    if rowless:
        have = "has" if len(rowless) == 1 else "have"
        out.append(f"{len(rowless)} of {len(docs)} documents {have} no row ({_listed(rowless)})")
    bad = [
        f"{value!r} ({_row_name(row)})"
        for n, row in rows.items()
        if n not in elsewhere
        for key in ("date", "doc_date", "year")
        if (value := row.get(key)) and not _DATE.fullmatch(value)
    ]
    if bad:
        out.append(
            f"{len(bad)} {'date is' if len(bad) == 1 else 'dates are'} not a date (YYYY, YYYY-MM "
            f"or YYYY-MM-DD) and will sort as text: {_listed(bad)}"
        )
    return out


def _row_name(row: Mapping[str, str]) -> str:
    return next((row[c] for c in _KEY_COLUMNS if row.get(c)), "?")


def _listed(items: list[str], at_most: int = 3) -> str:
    more = f", and {len(items) - at_most} more" if len(items) > at_most else ""
    return ", ".join(items[:at_most]) + more


SENDER_KEYS = ("sender", "iso3", "country", "from", "author", "source")
"""The metadata fields that name a document's sender, first found first: a country's code before
its name, which a corpus may spell several ways (the UN General Debate corpus names the DPRK six
ways over its 34 speeches, "North Korea", "Korea, Democratic People's Republic of", …, all
"PRK"), each then counted as a sender of its own."""


def sender_of(meta: Mapping[str, str], kinds: Collection[str] = ()) -> str | None:
    """Who sent the document: its first `SENDER_KEYS` field, else what its title says
    (`title_sender`, with the corpus's `title_kinds`); None when nothing says."""
    for key in SENDER_KEYS:
        value = meta.get(key)
        if value:
            return value
    return title_sender(meta.get("title", ""), kinds)


_TO = re.compile(r"\s+to\s+", re.IGNORECASE)
_COMMA_TO = re.compile(r",\s+to\s+", re.IGNORECASE)
"""Where a title's addressee begins: after the sender's description and its comma ("Mr R. G.
Casey, Minister to the United States, to Department of External Affairs"), else at the first
"to" (`_TO`)."""
_SENT_FROM = re.compile(r"\bfrom\s+", re.IGNORECASE)
_HEAD_WORD = re.compile(r"[^\W\d_][\w-]*")
_NUMBER_MARK = re.compile(r"\b(?:no\.?|number)\s*\S*\d\S*|\[\d+\]", re.IGNORECASE)
"""A document's number in a title ("Submission No. 409", "NO.l108") and an editor's note mark
("Message[1]"), which are no words of its kind."""
_KIND_WORDS = 3
"""Words of a document's kind before "from" ("Cablegram", "Teletype message", "Draft
submission"); a longer head is a description, not a kind."""


def title_sender(title: str, kinds: Collection[str] = ()) -> str | None:
    """The sender a title names before its addressee ("Critchley to Kirby"; "Cablegram from
    Critchley to Canberra", "Submission No. 409 From Casey to Cabinet" and "Submission to
    Talboys from Renouf": the one after "from"); None when the title names no addressee, or
    when what stands before it is only the document's kind (`kinds`: its words, lower case:
    "Cablegram to Canberra", "Draft cablegram to Washington"), which names nobody: every
    cablegram of an edition is not one sender's."""
    first = _COMMA_TO.search(title) or _TO.search(title)
    if first is None:
        return None
    head = title[: first.start()]
    sent = list(_SENT_FROM.finditer(head))
    if sent:
        head = head[sent[-1].end() :]
    elif (after := _SENT_FROM.search(title, first.end())) and _HEAD_WORD.match(title, after.end()):
        head = title[after.end() :]  # "Submission to Talboys from …" (not "… from 3 to 5 May")
    else:
        # The kind's words, and a number after them, name nobody: "Submission No. 71, Barnes"
        # is Barnes's; "Draft cablegram" and "Cablegram" are nobody's.
        while (
            word := _HEAD_WORD.match(head := head.lstrip(" ,"))
        ) and word.group().lower() in kinds:
            head = head[word.end() :].lstrip()
            if number := _NUMBER_MARK.match(head):
                head = head[number.end() :]
    head = head.strip(" ,;:")
    return head or None


def title_kinds(metas: Iterable[Mapping[str, str]]) -> frozenset[str]:
    """The words (lower case) of the kinds of document the titles name: what stands before the
    "from" of a title whose sender follows it, when it is a kind's few words ("Cablegram from
    Critchley to Canberra", "Submission No. 409 From Casey to Cabinet", "Teletype message from
    …"; not a dated description: "Letter dated 3 March 2020 from the Permanent Representative
    of …"). Read from the corpus, so that its "Cablegram to Canberra" names no sender
    (`title_sender`), whatever words an edition uses for its kinds."""
    kinds: set[str] = set()
    for meta in metas:
        if any(meta.get(key) for key in SENDER_KEYS):
            continue
        title = meta.get("title", "")
        sent = _SENT_FROM.search(title)
        if sent is None or _TO.search(title, sent.end()) is None:
            continue
        head = _NUMBER_MARK.sub(" ", title[: sent.start()])
        if _TO.search(head) or any(c.isdigit() for c in head):
            continue  # an addressee first ("Submission to Talboys from …"), or a date
        words = [w.lower() for w in _HEAD_WORD.findall(head)]
        if 0 < len(words) <= _KIND_WORDS:
            kinds.update(words)
    return frozenset(kinds)


def sender_list(metas: Sequence[Mapping[str, str]]) -> list[str | None]:
    """Each document's sender (`sender_of`), its title read with the corpus's `title_kinds`."""
    kinds = title_kinds(metas)
    return [sender_of(m, kinds) for m in metas]


def senders_named(metas: Iterable[Mapping[str, str]]) -> set[str]:
    """The distinct senders the documents' metadata name (`sender_list`)."""
    return {s for s in sender_list(list(metas)) if s is not None}


GENRE_SENDERS = 3
"""A formula of the genre comes from this many senders, where the documents name them."""


def few_senders(metas: Iterable[Mapping[str, str]]) -> list[str]:
    """The senders the documents name, sorted, when they are fewer than `GENRE_SENDERS` (one
    country's speeches, one embassy's cables: what most of them repeat is their own wording,
    not a genre's); empty otherwise, and when none is named."""
    return list(senders(metas).few)


class Senders(NamedTuple):
    """What the documents say of their senders: the few (`few_senders`) and how many are
    named."""

    few: tuple[str, ...]
    named: int

    def settings(self) -> dict[str, object]:
        """As a report's settings say them (`docdiff.render.notes.scan_notes` reads them)."""
        return {"few_senders": list(self.few), "senders_named": self.named}


def senders(metas: Iterable[Mapping[str, str]]) -> Senders:
    """The documents' `Senders`, from one reading of their metadata."""
    named = senders_named(metas)
    return Senders(tuple(sorted(named)) if len(named) < GENRE_SENDERS else (), len(named))


def field_value(meta: Mapping[str, str], name: str) -> str | None:
    """A metadata field, with ``year`` derived from ``date`` when absent."""
    value = meta.get(name)
    if value:
        return value
    if name == "year":
        date = date_of(meta)
        if date and re.match(r"\d{4}", date):
            return date[:4]
    return None


def cross_values(metas: Sequence[Mapping[str, str]], name: str) -> list[str | None]:
    """Each document's value of the ``--cross`` field `name` (`field_value`; ``sender`` is the
    sender as `sender_of` reads it, a country's code first); raises OptionsError naming the
    documents' fields when none has it: a misspelt or absent field kept every pair in silence
    (``--cross sender`` on the UN corpus, whose CSV names a country and no sender)."""
    values = sender_list(metas) if name == "sender" else [field_value(m, name) for m in metas]
    if any(v is not None for v in values) or not metas:
        return values
    raise OptionsError(f"--cross: no document has the field {name!r}; {_fields_said(metas)}")


_FILE_FIELDS = frozenset({"encoding", "dialect", "pages", "lang"})
"""Fields a loader reads from a file itself (how it is encoded or printed), not what a
``--meta`` CSV says of a document: a folder of plain texts has "encoding" and nothing more."""


def _fields_said(metas: Iterable[Mapping[str, str]]) -> str:
    """What the documents' fields are, for an error about a field none has: the known fields,
    and where more come from when the files told only how they are stored."""
    known = known_fields(metas)
    hint = "; give a CSV with --meta (a path or id column, and columns such as sender and date)"
    if not known:
        return "the documents have no metadata" + hint
    said = f"the documents' fields are {', '.join(known)}"
    return said + hint if set(known) <= _FILE_FIELDS else said


def known_fields(metas: Iterable[Mapping[str, str]]) -> list[str]:
    """The fields some document fills, sorted; ``year`` where a date is known (`field_value`
    derives it): what a misspelt ``--where`` or ``--cross`` field is told to choose from."""
    known = {k for meta in metas for k, v in meta.items() if v}
    if "date" in known or any(k in known for k in ("doc_date", "year")):
        known.add("year")
    return sorted(known)


def date_of(meta: Mapping[str, str]) -> str | None:
    """The document's date (``date``, ``doc_date`` or ``year``) as a sortable string."""
    for key in ("date", "doc_date", "year"):
        value = meta.get(key)
        if value:
            return value
    return None


# --- the --where language ----------------------------------------------------------------------

_TOKEN_RE = re.compile(
    r"""\s*(?:
        (?P<op><=|>=|==|!=|=|<|>|~)
      | (?P<lp>\() | (?P<rp>\))
      | "(?P<dq>(?:[^"\\]|\\.)*)" | '(?P<sq>(?:[^'\\]|\\.)*)'
      | (?P<word>[^\s()<>=!~"']+)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # op, lp, rp, str, word
    text: str


def _lex(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if not m or m.end() == pos:
            raise OptionsError(f"--where: cannot read {text[pos:]!r}")
        pos = m.end()
        if m.group("op"):
            toks.append(_Tok("op", m.group("op")))
        elif m.group("lp"):
            toks.append(_Tok("lp", "("))
        elif m.group("rp"):
            toks.append(_Tok("rp", ")"))
        elif m.group("dq") is not None or m.group("sq") is not None:
            raw = m.group("dq") if m.group("dq") is not None else m.group("sq")
            toks.append(_Tok("str", re.sub(r"\\(.)", r"\1", raw)))
        else:
            toks.append(_Tok("word", m.group("word")))
    return toks


Predicate = Callable[[Mapping[str, str]], bool]


def _number(s: str) -> float | None:
    try:
        return float(s)
    except ValueError:
        return None


def _compare(op: str, left: str, right: str) -> bool:
    if op == "~":
        return right.casefold() in left.casefold()
    ln, rn = _number(left), _number(right)
    a: float | str
    b: float | str
    if ln is not None and rn is not None:
        a, b = ln, rn
    else:
        a, b = left.casefold(), right.casefold()
    if op in {"=", "=="}:
        return a == b
    if op == "!=":
        return a != b
    if isinstance(a, float) and isinstance(b, float):
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
    sa, sb = str(a), str(b)
    return {"<": sa < sb, "<=": sa <= sb, ">": sa > sb, ">=": sa >= sb}[op]


def _either(f: Predicate, g: Predicate) -> Predicate:
    return lambda m: f(m) or g(m)


def _both(f: Predicate, g: Predicate) -> Predicate:
    return lambda m: f(m) and g(m)


class _Parser:
    def __init__(self, toks: list[_Tok]) -> None:
        self.toks = toks
        self.i = 0
        self.fields: set[str] = set()

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.peek()
        if tok is None:
            raise OptionsError("--where: the expression ends too early")
        self.i += 1
        return tok

    def keyword(self, word: str) -> bool:
        tok = self.peek()
        if tok is not None and tok.kind == "word" and tok.text.lower() == word:
            self.i += 1
            return True
        return False

    def expr(self) -> Predicate:
        left = self.conj()
        while self.keyword("or"):
            right = self.conj()
            left = _either(left, right)
        return left

    def conj(self) -> Predicate:
        left = self.unary()
        while self.keyword("and"):
            right = self.unary()
            left = _both(left, right)
        return left

    def unary(self) -> Predicate:
        if self.keyword("not"):
            inner = self.unary()
            return lambda m: not inner(m)
        tok = self.peek()
        if tok is not None and tok.kind == "lp":
            self.take()
            inner = self.expr()
            close = self.take()
            if close.kind != "rp":
                raise OptionsError(f"--where: expected ')' but found {close.text!r}")
            return inner
        return self.comparison()

    def comparison(self) -> Predicate:
        name = self.take()
        if name.kind != "word":
            raise OptionsError(f"--where: expected a field name, found {name.text!r}")
        op = self.take()
        if op.kind != "op":
            raise OptionsError(f"--where: expected a comparison after {name.text!r}")
        value = self.take()
        if value.kind not in {"word", "str"}:
            raise OptionsError(f"--where: expected a value after {op.text!r}")
        field_name, operator, wanted = name.text, op.text, value.text
        self.fields.add(field_name)

        def predicate(meta: Mapping[str, str]) -> bool:
            have = field_value(meta, field_name)
            return have is not None and _compare(operator, have, wanted)

        return predicate


@dataclass(frozen=True, slots=True)
class Where:
    """A parsed ``--where`` filter over document metadata."""

    text: str
    predicate: Predicate
    fields: frozenset[str] = frozenset()
    """The field names the expression reads."""

    def __call__(self, meta: Mapping[str, str]) -> bool:
        return self.predicate(meta)

    def check_fields(self, metas: Iterable[Mapping[str, str]]) -> None:
        """Raise OptionsError naming the known fields when the filter reads a field no document
        has (a misspelt field would otherwise silently keep no document)."""
        metas = list(metas)
        unknown = sorted(self.fields - set(known_fields(metas)))
        if unknown:
            raise OptionsError(f"--where: unknown field {unknown[0]!r}; {_fields_said(metas)}")


def parse_where(text: str) -> Where:
    """Parse a ``--where`` expression; raises OptionsError with the problem."""
    toks = _lex(text)
    if not toks:
        raise OptionsError("--where: empty expression")
    parser = _Parser(toks)
    predicate = parser.expr()
    if parser.peek() is not None:
        extra = parser.peek()
        assert extra is not None
        raise OptionsError(f"--where: unexpected {extra.text!r}")
    return Where(text, predicate, frozenset(parser.fields))
