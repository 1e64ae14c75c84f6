"""What a scan's settings tell its reader, in words every report shows the same way."""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docdiff.model import Document, Report

__all__ = [
    "common_folder",
    "documents_scanned",
    "evidence_note",
    "families_note",
    "file_name",
    "formulae_notes",
    "in_folder",
    "no_genre_note",
    "plural",
    "query_summary",
    "readable_template",
    "scan_notes",
    "senders_note",
    "slot_labels",
    "slot_spans",
    "where",
]


def where(doc: Document, offset: int) -> str:
    """Where `offset` of `doc` is, as every report says it: "line 12", or "p.3 line 40" in a
    paged document."""
    page = doc.page_of(offset)
    line = bisect.bisect_left(_newlines(doc.text), offset) + 1
    return f"p.{page} line {line}" if page else f"line {line}"


@lru_cache(maxsize=64)
def _newlines(text: str) -> list[int]:
    """Where `text`'s line breaks are: each passage of a long pair looks its line up here
    instead of counting the breaks before it."""
    return [m.start() for m in re.finditer("\n", text)]


def scan_notes(settings: Mapping[str, object]) -> list[tuple[str, str]]:
    """``(label, sentence)`` on what a scan left out or judged less fully: the pairs a budget
    left unaligned, and the pairs kept with their anchored passages only (not compared in
    full). The terminal, HTML and Markdown reports all print these."""
    s = settings
    notes: list[tuple[str, str]] = []
    if s.get("unaligned_pairs"):
        aligned = int(str(s.get("candidate_pairs")))
        kept = "the pair aligned shares" if aligned == 1 else f"the {aligned} aligned share"
        budget = (
            f"--max-pairs {s.get('max_pairs')} left {s.get('unaligned_pairs')} of "
            f"{plural(int(str(s.get('candidates_found'))), 'candidate pair')} unaligned ({kept} "
            f"the most rare {s.get('candidate_words')}-word sequences, {s.get('min_shared')} or "
            "more); --max-pairs 0 aligns them all"
        )
        notes.append(("budget", budget))
    if s.get("anchored_pairs"):
        full, rest = int(str(s.get("compared_in_full"))), int(str(s.get("anchored_pairs")))
        best = (
            "the pair sharing the most rare wording was"
            if full == 1
            else (f"the {full} pairs sharing the most rare wording were")
        )
        note = (
            f"{best} compared in full (paraphrase, echoes); the other {rest} "
            f"{'keeps' if rest == 1 else 'keep'} the passages aligned from their shared rare "
            "wording, with their kinds but no paraphrase or echoes (reason "
            "\u201canchored\u201d); --full-pairs 0 compares them all"
        )
        notes.append(("full comparison", note))
    few = _few_senders(s)
    if few:
        note = (
            f"the documents name {_named(few)}: wording most of them repeat is {_whose(few)} "
            "own recurring wording, not a genre's boilerplate, so it stays phrasing (reason "
            "\u201cthe senders' own recurring wording\u201d) and counts in distinctive "
            "similarity; only the lexicon's formulae, datelines and an edition's apparatus are "
            "formulae here; index them together with other senders' documents to tell the "
            "genre's formulae from theirs"
        )
        notes.append(("one sender" if len(few) == 1 else "few senders", note))
    elif s.get("senders_named") == 0:
        note = (
            "no document names its sender, so wording most of them repeat counts as the "
            "genre's formulae; from one or two senders, name them (a sender column in --meta)"
        )
        notes.append(("senders unknown", note))
    return notes


def _few_senders(settings: Mapping[str, object]) -> list[str]:
    few = settings.get("few_senders")
    return [str(x) for x in few] if isinstance(few, list) else []


def _named(few: list[str]) -> str:
    return f"{plural(len(few), 'sender')} ({', '.join(few)})"


def _whose(few: list[str]) -> str:
    return "this sender's" if len(few) == 1 else "these senders'"


def senders_note(settings: Mapping[str, object]) -> str | None:
    """What a formulae report says when its documents name fewer senders than a formula of the
    genre needs (``settings["few_senders"]``): the senders were not asked."""
    few = _few_senders(settings)
    if not few:
        return None
    return (
        f"The documents name {_named(few)}. A formula of a genre comes from several senders, "
        f"so senders are not asked here: these formulae are {_whose(few)} own recurring wording "
        f"as much as {'its' if len(few) == 1 else 'their'} genre's."
    )


def families_note(settings: Mapping[str, object]) -> str | None:
    """What a formulae report says of the templates it left out as one family's wording
    (``settings["one_family_left_out"]``): copies of one source, one topic's texts."""
    left = _left_out(settings, "one_family")
    if left is None:
        return None
    n, quoted = left
    return (
        f"{plural(n, 'recurring template')} left out: the documents holding "
        f"{'it' if n == 1 else 'each'} are one family of texts (copies of one source, one "
        "topic's or one sender's texts), as alike to one another as to their nearest "
        "neighbours, so the wording is theirs, not the genre's; a scan shows such reuse as "
        f"clusters{' (' + quoted + ')' if quoted else ''}."
    )


def no_genre_note(settings: Mapping[str, object]) -> str | None:
    """What a formulae report says of the templates it left out where the documents show no
    genre (``settings["no_genre_left_out"]``): a novel's recurring dialogue, a sentence three
    answers copied from one article."""
    left = _left_out(settings, "no_genre")
    if left is None:
        return None
    n, quoted = left
    return (
        "No wording stands at the edges, in the notes or in the formula lexicon of half these "
        f"documents: they show no genre, so {plural(n, 'recurring template')} "
        f"{'was' if n == 1 else 'were'} left out{' (' + quoted + ')' if quoted else ''}: short "
        "lines and sentences in the middle of the text are the text's own there, and wording "
        "in three documents only is as likely copied from one to another."
    )


def _left_out(settings: Mapping[str, object], why: str) -> tuple[int, str] | None:
    """How many templates a formulae report left out for `why` (``settings[why +
    "_left_out"]``) and the first of them quoted (``settings[why + "_examples"]``); None when
    it left none out."""
    n = settings.get(f"{why}_left_out")
    if not isinstance(n, int) or n == 0:
        return None
    examples = settings.get(f"{why}_examples")
    shown = [str(x) for x in examples] if isinstance(examples, list) else []
    return n, ", ".join(f"\u201c{_short(t)}\u201d" for t in shown)


def evidence_note(settings: Mapping[str, object]) -> str | None:
    """What a formulae report says when no document names its sender, or none is dated
    (``settings["senders_named"]``, ``settings["documents_dated"]``): a formula of the genre
    recurs across senders and over the years, and that could not be asked here."""
    senders = settings.get("senders_named") == 0
    dates = settings.get("documents_dated") == 0
    if senders and dates:
        said = (
            "No document names its sender or its date",
            (
                "one sender's or one year's documents share (a sender's turns of phrase, a "
                "session's theme)"
            ),
            "senders and dates in --meta (sender and date columns)",
        )
    elif senders:
        said = (
            "No document names its sender",
            "one sender's documents share (its turns of phrase)",
            "senders in --meta (a sender column)",
        )
    elif dates:
        said = (
            "No document is dated",
            "one year's documents share (a session's theme, an event)",
            "dates in --meta (a date or year column)",
        )
    else:
        return None
    missing, shared, give = said
    return (
        f"{missing}: a formula is told here by its place and its spread over documents alone, "
        f"so wording that {shared} may be listed; give {give} to leave such wording out."
    )


def formulae_notes(settings: Mapping[str, object]) -> list[str]:
    """What a formulae report says above its list, in order (every report shows these): what
    its documents do not say of themselves (`evidence_note`), its senders not asked
    (`senders_note`), the templates left out as one family's wording (`families_note`) and
    as the text's own where the documents show no genre (`no_genre_note`)."""
    notes = (
        evidence_note(settings),
        senders_note(settings),
        families_note(settings),
        no_genre_note(settings),
    )
    return [n for n in notes if n]


_SYNTAX = re.compile(r"[(\[|]")
"""What marks a lexicon template's choices and optional parts."""
_TYPED_SLOT = re.compile(r"\{(?!…\})[^{}]*\}")
"""A slot of a type ("{number}", "{date}"): a mined template's, not a lexicon's ("{…}")."""


def _short(template: str, width: int = 60) -> str:
    return template if len(template) <= width else template[: width - 1].rstrip() + "\u2026"


def readable_template(template: str, said_in: str | None = None) -> str:
    """A lexicon template as words a reader can follow: as passage `said_in` says it, when
    given and it holds an instance (`lexicon.as_said`: "Please pass the following message {…}
    to {…}"); else its optional parts left out and each choice said by its first word
    ("[(extend|express)] [to you] (congratulations|congratulate) (on|upon) (your|his)
    (election|appointment)" is "congratulations on your election"); the template as written
    where nothing would be left. A template without choices or optional parts, or with a slot
    of a type (a mined one: "See Document {number}.", "(see Document {number})"), is shown as
    written."""
    if said_in is not None and _SYNTAX.search(template) and not _TYPED_SLOT.search(template):
        from docdiff.engine.lexicon import as_said

        said = as_said(template, said_in)
        if said is not None:
            return said
    text = template
    while True:  # innermost optional part first: "[(i|we)] have the [further] honour"
        shorter = re.sub(r"\[[^\[\]]*\]", " ", text)
        if shorter == text:
            break
        text = shorter
    text = re.sub(r"\(([^()|]*)(?:\|[^()]*)?\)", r"\1", text)
    text = " ".join(text.split())
    return text if re.search(r"\w", text) else template


def documents_scanned(report: Report) -> int:
    """How many documents a scan or formulae run read (its setting), else those the report
    lists."""
    n = report.settings.get("documents_scanned")
    return n if isinstance(n, int) else len(report.documents)


def query_summary(report: Report) -> str | None:
    """What a query report says first, in place of a scan's counts (a query has no clusters,
    and its pairs are the new document's sources): "2 indexed documents share wording with
    PLW_76_2021.txt." None for any other report."""
    if report.command != "query" or not report.documents:
        return None
    new = file_name(report.documents[0].id)
    shares = "shares" if len(report.pairs) == 1 else "share"
    said = f"{plural(len(report.pairs), 'indexed document')} {shares} wording with {new}"
    copies = sum(map(len, identical_sources(report).values()))
    if copies:
        # The entries below are fewer: each text is listed once (`identical_sources`).
        said += f" ({plural(len(report.pairs) - copies, 'text')}: the rest are identical copies)"
    return said + "."


def file_name(doc_id: str) -> str:
    """The last part of a document id that is a path ("a/b/TUV_69_2014.txt": its file)."""
    return doc_id.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or doc_id


def common_folder(ids: Sequence[str]) -> str:
    """The folder prefix (ending in "/") that every id shares, or "": every report drops it
    from the ids it shows and names it once, so that a document has one short id throughout."""
    if len(ids) < 2:
        return ""
    first = min(ids)
    last = max(ids)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[: first.rfind("/", 0, n) + 1]


def in_folder(doc_id: str, folder: str) -> str:
    """`doc_id` without `folder` (`common_folder`), as the reports show it."""
    return doc_id[len(folder) :] if folder and doc_id.startswith(folder) else doc_id


def common_ending(ids: Sequence[str]) -> str:
    """The ending every id in a folder shares, its whole file name at least, when the ids are
    not all one: folders of one file each ("bash/copyright", "student-12/answer.txt"), told
    apart by their folders alone. It reaches into the folders' names up to a separator, so that
    what tells them apart is left ("yarl-1.25.1" of "yarl-1.25.1.dist-info/METADATA"); ""
    when the ids end differently."""
    if len(set(ids)) < 2 or not all("/" in i for i in ids):
        return ""
    first = ids[0]
    n = 0
    while n < len(first) and all(len(i) > n + 1 and i[-1 - n] == first[-1 - n] for i in ids):
        n += 1
    ending = first[len(first) - n :]
    if "/" not in ending:
        return ""
    # From its first separator ("/" at the latest), so that no id is cut inside a word
    # ("…-info" of "dist-info").
    return ending[next(x for x, c in enumerate(ending) if c in _ENDING_STARTS) :]


_ENDING_STARTS = "/.-_ "
"""Characters a shared ending of ids may start on."""


def identical_sources(report: Report) -> dict[str, list[str]]:
    """A query's sources that hold one text (the same SHA-256), listed once: each first
    source's id (in the report's order) with the ids of its identical copies after it; a copy
    itself is not a key. The query shares the same passages with every copy (five packages
    shipping one Apache licence were five alike entries of the answer)."""
    docs = {d.id: d for d in report.documents}
    first: dict[str, str] = {}
    out: dict[str, list[str]] = {}
    for p in report.pairs:
        digest = docs[p.b].sha256 if p.b in docs else ""
        if digest and digest in first:
            out[first[digest]].append(p.b)
            continue
        if digest:
            first[digest] = p.b
        out[p.b] = []
    return out


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 pair``, ``2 pairs`` (`many` for irregular plurals)."""
    return f"{n} {word if n == 1 else many or word + 's'}"


_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_SYMBOL_GLUE = re.compile(r"[^\s()\[\],;:]*")
"""What joins the parts of one document symbol's slot: "A/{number}/PV.{number}"."""


def slot_spans(template: str, slots: int) -> list[tuple[int, int]]:
    """Where each of a mined template's `slots` is, in the template's text: a placeholder, or
    a document symbol's shape whose numbers are placeholders glued by its own marks
    ("{number}/{number}", "A/{number}/PV.{number}"): one slot with one list of fillers ("4/48 |
    64/48"). Reports number and label the fillers they list by these."""
    spans = [(m.start(), m.end()) for m in _PLACEHOLDER.finditer(template)]
    if len(spans) == slots:
        return spans
    out: list[tuple[int, int]] = []
    for start, end in spans:
        glue = template[out[-1][1] : start] if out else " "
        if template[start:end] == "{number}" and _SYMBOL_GLUE.fullmatch(glue):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    if len(out) != slots:
        return spans
    # A symbol's slot reads with its letters: "A/{number}/PV.{number}".
    return [
        (_symbol_start(template, s), e) if "}" in template[s : e - 1] else (s, e) for s, e in out
    ]


def _symbol_start(template: str, start: int) -> int:
    while start > 0 and _SYMBOL_GLUE.fullmatch(template[start - 1]) and template[start - 1] != "}":
        start -= 1
    return start


def slot_labels(template: str, slots: int) -> list[str]:
    """How a report names each slot of a template when it lists the slot's fillers: "slot 2",
    or "slot 1 {number}/{number}" where one slot prints as several placeholders."""
    out = []
    for i, (start, end) in enumerate(slot_spans(template, slots), start=1):
        shown = template[start:end]
        out.append(f"slot {i}" if _PLACEHOLDER.fullmatch(shown) else f"slot {i} {shown}")
    if len(out) != slots:  # (a template whose placeholders are not its slots: numbers only)
        return [f"slot {i}" for i in range(1, slots + 1)]
    return out
