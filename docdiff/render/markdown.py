"""Markdown reports for compare, scan and query results (readable as plain text and on forges)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from docdiff.errors import printable
from docdiff.model import Document, Match, PairResult, Passage, Report
from docdiff.render.notes import (
    common_folder,
    documents_scanned,
    formulae_notes,
    identical_sources,
    in_folder,
    plural,
    query_summary,
    readable_template,
    scan_notes,
    slot_labels,
    where,
)

__all__ = ["render_markdown"]

# Scan reports list at most this many pairs and clusters in full; the rest are counted.
MAX_PAIRS = 200
MAX_CLUSTERS = 100
_QUOTE_CHARS = 600


def render_markdown(report: Report) -> str:
    """The report as Markdown: summary, passage pairs, and for scans pairs/clusters/formulae."""
    if report.command == "compare" and len(report.pairs) <= 1:
        lines = _compare(report)
    elif report.settings.get("report") == "formulae" and not report.pairs:
        summary = (
            f"{plural(len(report.formulae), 'formula', 'formulae')} in "
            f"{plural(documents_scanned(report), 'document')}, "
            "ranked by their spread across documents and senders."
        )
        said = [x for n in formulae_notes(report.settings) for x in (n, "")]
        lines = ["# Formulae", "", summary, "", *said, *_formulae(report)]
    else:
        lines = _scan(report)
    return "\n".join(lines).rstrip("\n") + "\n"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: one line, pipes and markup escaped."""
    flat = " ".join(text.split())
    return _escape(flat)


def _escape(text: str) -> str:
    """Text that renders as written: markup characters escaped, controls removed."""
    out = []
    for ch in printable(text):
        if ch in "\\`*_[]<>#|~":
            out.append("\\" + ch)
        elif ch == "&":
            out.append("&amp;")
        else:
            out.append(ch)
    return "".join(out)


def _code(text: str) -> str:
    """An inline code span holding `text` as written, whatever backticks it contains.

    CommonMark closes a code span at the first backtick run as long as its opening one, so the
    fence is one backtick longer than the longest run inside; a space pads content that starts
    or ends with a backtick (one space each side is stripped again by the renderer).
    """
    flat = " ".join(printable(text).split())
    longest = max((len(run) for run in re.findall("`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if not flat or flat[0] == "`" or flat[-1] == "`" else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def _quote(text: str) -> list[str]:
    """A blockquote of `text` (shortened), with markup escaped so it renders as written."""
    flat = " ".join(text.split())
    if len(flat) > _QUOTE_CHARS:
        flat = flat[:_QUOTE_CHARS].rstrip() + " …"
    return [f"> {_escape(flat)}" if flat else ">"]


def _slice(docs: dict[str, Document], p: Passage) -> str:
    doc = docs.get(p.doc)
    return doc.text[p.span.start : p.span.end] if doc else ""


def _label(doc: Document) -> str:
    return doc.meta.get("title") or doc.path or doc.id


def _compare(report: Report) -> list[str]:
    a_doc, b_doc = (report.documents + report.documents)[:2]
    docs = {d.id: d for d in report.documents}
    pair = report.pairs[0] if report.pairs else None
    lines = [
        f"# Reused wording: {_escape(_label(a_doc))} ↔ {_escape(_label(b_doc))}",
        "",
        f"- **A**: {_code(a_doc.id)}{_meta(a_doc)}",
        f"- **B**: {_code(b_doc.id)}{_meta(b_doc)}",
        "",
    ]
    if pair is None:
        return [*lines, "No shared passages were found."]
    s = pair.summary
    lines += [
        "## Summary",
        "",
        "| similarity | distinctive similarity | coverage of A | coverage of B | passages |",
        "|---:|---:|---:|---:|---:|",
        (
            f"| {s.similarity:.1f} | {s.distinctive_similarity:.1f} | {s.coverage_a:.1f} "
            f"| {s.coverage_b:.1f} | {len(pair.matches)} |"
        ),
        "",
        (
            "Distinctive similarity leaves out formulae and names (in a corpus, also wording "
            "many of its documents share)."
        ),
        "",
        "## Shared passages",
        "",
    ]
    lines += _passages(pair.matches, docs)
    lines += _echoes(pair.echoes, docs)
    return lines


def _echoes(echoes: Iterable[Match], docs: dict[str, Document]) -> list[str]:
    """Short shared phrases below the passage size, most distinctive first."""
    ranked = list(echoes)
    if not ranked:
        return []
    lines = [
        f"## Echoes ({len(ranked)})",
        "",
        (
            "Isolated short phrases both texts share, below the passage size; most distinctive "
            "first (rare words that are not a topic of either text)."
        ),
        "",
        "| # | kind | distinctiveness | A | B |",
        "|---:|---|---:|---|---|",
    ]
    for n, m in enumerate(ranked, 1):
        lines.append(
            f"| {n} | {m.kind.value} | {m.distinctiveness or 0.0:.1f} "
            f"| {_cell(_slice(docs, m.a))} | {_cell(_slice(docs, m.b))} |"
        )
    return [*lines, ""]


def _meta(doc: Document) -> str:
    bits = [f"{k}: {doc.meta[k]}" for k in ("date", "sender") if doc.meta.get(k)]
    if doc.path and doc.path != doc.id:
        bits.insert(0, doc.path)
    return f" ({_escape(', '.join(bits))})" if bits else ""


def _place(docs: dict[str, Document], p: Passage) -> str:
    """Where a passage stands, for a reader and for a program: ", line 14 [6632–6669]" (its
    line, as the terminal says it, then its characters)."""
    doc = docs.get(p.doc)
    line = f", {where(doc, p.span.start)}" if doc is not None else ""
    return f"{line} [{p.span.start}–{p.span.end}]"


def _passages(matches: Iterable[Match], docs: dict[str, Document]) -> list[str]:
    lines: list[str] = []
    ordered = sorted(matches, key=lambda m: (m.a.span.start, m.b.span.start))
    if not ordered:
        return ["No shared passages were found.", ""]
    for n, m in enumerate(ordered, 1):
        head = f"### {n}. {m.kind.value}, score {m.score:.1f}, {plural(m.words, 'word')}"
        lines += [
            head,
            "",
            f"A{_place(docs, m.a)}:",
            "",
            *_quote(_slice(docs, m.a)),
            "",
            f"B{_place(docs, m.b)}:",
            "",
            *_quote(_slice(docs, m.b)),
            "",
        ]
        if m.formula:
            shown = readable_template(m.formula, _slice(docs, m.a))
            said = _code(m.formula) if shown == m.formula else f"“{shown}” ({_code(m.formula)})"
            lines += [f"Formula: {said}", ""]
        if m.reason:
            lines += [f"*{_escape(m.reason)}*", ""]
    return lines


def _scanned(report: Report) -> str:
    """ "207 documents scanned; " when the run read more documents than the report lists (a
    scan lists those in its pairs: the Markdown of DFAT volume 28 said "130 documents" of the
    207 it read, as the HTML report did not)."""
    n = report.settings.get("documents_scanned")
    return f"{plural(n, 'document')} scanned; " if isinstance(n, int) else ""


def _duplicates_counted(report: Report) -> str:
    """ ", 1 duplicate group" when a scan grouped copies (the terminal's summary counts them)."""
    return f", {plural(len(report.duplicates), 'duplicate group')}" if report.duplicates else ""


def _scan(report: Report) -> list[str]:
    docs = {d.id: d for d in report.documents}
    title = "Corpus scan" if report.command == "scan" else "Query results"
    ranked: Sequence[PairResult] = sorted(report.pairs, key=lambda p: p.rank)
    # The ids shown without the folder they all share (named once below the summary), as the
    # terminal and the HTML show them: DFAT volume 23's folder took 90 characters of each row.
    prefix = common_folder(
        [d.id for d in report.documents] + [m for g in report.duplicates for m in g.members]
    )

    def short(doc_id: str) -> str:
        return in_folder(doc_id, prefix)

    # A query's sources holding one text are one entry, their copies named with it.
    same_text = identical_sources(report) if report.command == "query" else {}
    if same_text:
        ranked = [p for p in ranked if p.b in same_text]

    def also(doc_id: str, code: Callable[[str], str]) -> str:
        same = same_text.get(doc_id)
        if not same:
            return ""
        named = ", ".join(code(short(d)) for d in same)
        return f"{plural(len(same), 'identical copy', 'identical copies')}: {named}"

    summary = query_summary(report)
    lines = [
        f"# {title}",
        "",
        _escape(summary)
        if summary
        else (
            _scanned(report) + f"{plural(len(report.documents), 'document')} in "
            f"{plural(len(report.pairs), 'pair')} sharing text, "
            f"{plural(len(report.clusters), 'cluster')}"
            + _duplicates_counted(report)
            + (
                f", {plural(len(report.formulae), 'formula', 'formulae')}."
                if report.formulae
                else "."
            )
        ),
        "",
        *([f"Document ids below {_code(prefix)}.", ""] if prefix else []),
        *(
            line
            for label, note in scan_notes(report.settings)
            for line in (f"**{label}:** {_escape(note)}", "")
        ),
        "## Ranked pairs",
        "",
        (
            "By distinctive similarity (formulae, names and wording many documents share left "
            "out), then similarity."
        ),
        "",
    ]
    if ranked:
        lines += [
            "| # | A | B | similarity | distinctive | coverage A | coverage B | passages |",
            "|---:|---|---|---:|---:|---:|---:|---:|",
        ]
        for n, p in enumerate(ranked[:MAX_PAIRS], 1):
            s = p.summary
            lines.append(
                f"| {n} | [{_cell(short(p.a))}](#pair-{n}) "
                f"| {_cell(short(p.b))}{_also_cell(also(p.b, str))} "
                f"| {s.similarity:.1f} "
                f"| {s.distinctive_similarity:.1f} | {s.coverage_a:.1f} | {s.coverage_b:.1f} "
                f"| {len(p.matches)} |"
            )
        if len(ranked) > MAX_PAIRS:
            lines.append(f"\n… and {len(ranked) - MAX_PAIRS} more pairs (see the JSON or CSV).")
    else:
        lines.append("No pair of documents shares text.")
    lines.append("")
    if report.clusters:
        lines += ["## Clusters", ""]
        for c in sorted(report.clusters, key=lambda c: -len(c.members))[:MAX_CLUSTERS]:
            members = sorted({m.doc for m in c.members})
            origin = f"; earliest: {_code(short(c.origin.doc))}" if c.origin else ""
            part = f"; part of cluster {c.part_of}" if c.part_of else ""
            lines += [
                f"### Cluster {c.id} ({c.kind.value}, {len(members)} documents{origin}{part})",
                "",
                *_quote(c.text),
                "",
                "Members: " + ", ".join(f"{_code(short(d))}{_date(docs, d)}" for d in members),
                "",
            ]
    lines += _formulae(report)
    if report.duplicates:
        lines += [
            "## Duplicate documents",
            "",
            "Copies covering each other by 80% or more, shown once (only the first is paired).",
            "",
        ]
        for g in report.duplicates:
            copies = ", ".join(_code(short(m)) for m in g.members if m != g.representative)
            lines.append(
                f"{g.id}. {_code(short(g.representative))} ({g.coverage:.0f}% shared): {copies}"
            )
        lines.append("")
    if ranked:
        lines += ["## Pairs in detail", ""]
        for n, p in enumerate(ranked[:MAX_PAIRS], 1):
            lines += [
                f'<a id="pair-{n}"></a>',
                "",
                (
                    f"### Pair {n}: {_code(short(p.a))} ↔ {_code(short(p.b))} "
                    f"(similarity {p.summary.similarity:.1f})"
                ),
                "",
                *(
                    [f"Its text is held too by {also(p.b, _code)}.", ""]
                    if same_text.get(p.b)
                    else []
                ),
            ]
            lines += [line.replace("### ", "#### ", 1) for line in _passages(p.matches, docs)]
    return lines


def _also_cell(copies: str) -> str:
    return f" (and {_cell(copies)})" if copies else ""


def _formulae(report: Report) -> list[str]:
    if not report.formulae:
        return []
    dated = any(g.first_date for f in report.formulae for g in (f, *f.variants))
    lines = [
        "## Formulae",
        "",
        "| template | documents | slot examples |" + (" first | last |" if dated else ""),
        "|---|---:|---|" + ("---|---|" if dated else ""),  # (no columns of empty dates)
    ]
    for f in report.formulae:
        for g in (f, *f.variants):  # another wording sits under its formula, marked "↳"
            labels = slot_labels(g.template, len(g.slot_examples))
            slots = "; ".join(
                f"{label.removeprefix('slot ')}: " + " · ".join(ex[:3])
                for label, ex in zip(labels, g.slot_examples, strict=True)
            )
            mark = "" if g is f else "↳ "
            edition = f" ({g.family_docs} with its wordings)" if g.family_docs > g.doc_freq else ""
            edition += " (the editors' apparatus)" if g.apparatus else ""
            edition += f" (in the lexicon: {_cell(g.lexicon)})" if g.lexicon else ""
            dates = f" {_cell(g.first_date or '')} | {_cell(g.last_date or '')} |" if dated else ""
            lines.append(
                f"| {mark}{_cell(g.template)} | {g.doc_freq}{edition} | {_cell(slots)} |{dates}"
            )
    return [*lines, ""]


def _date(docs: dict[str, Document], doc_id: str) -> str:
    doc = docs.get(doc_id)
    date = doc.meta.get("date") if doc else None
    return f" ({_escape(date)})" if date else ""
