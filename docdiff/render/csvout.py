"""CSV for compare, scan and query results: one tidy table, one row per record.

Layout (the header never changes order; new columns are only appended):

- ``record`` says what a row is: ``pair`` (one per document pair, with its summary scores),
  ``match`` (one per shared passage: pair ids, kind, score, words, offsets and both texts),
  ``cluster`` (one per cluster member: ``n`` is the cluster id, the member is on side a and
  the cluster's earliest member, when known, on side b), ``formula`` (one per template) and
  ``variant`` (another wording of formula ``n``, with its own documents, after it).
- Offsets are code-point offsets into the extracted document text, half-open.
- ``n`` numbers matches within their pair (in reading order of A), pairs by rank, clusters by id,
  formulae by frequency rank.

Filter on ``record`` to get each table, e.g. ``df[df.record == "match"]`` in pandas.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some, a tab or a
carriage return) as a formula, so such text cells get a leading ``'`` (OWASP's CSV-injection
rule): ``=1+1`` is written ``'=1+1``. Numbers are never changed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

from docdiff.model import Document, Passage, Report
from docdiff.text.tokens import count_words

__all__ = ["HEADER", "neutralise", "render_csv"]

HEADER = (
    "record",
    "a",
    "b",
    "n",
    "kind",
    "score",
    "words",
    "a_start",
    "a_end",
    "a_text",
    "b_start",
    "b_end",
    "b_text",
    "similarity",
    "distinctive_similarity",
    "coverage_a",
    "coverage_b",
    "formula",
    "doc_freq",
    "slots",
    "first_date",
    "last_date",
    "reason",
)


def render_csv(report: Report) -> str:
    """The report as one CSV table (see the module docstring for the layout)."""
    docs = {d.id: d for d in report.documents}
    buf = io.StringIO()
    writer = _SafeWriter(csv.DictWriter(buf, fieldnames=HEADER, extrasaction="raise"))
    writer.writeheader()
    ranked = sorted(report.pairs, key=lambda p: (-p.summary.similarity, p.a, p.b))
    for rank, pair in enumerate(ranked, 1):
        s = pair.summary
        writer.writerow(
            {
                "record": "pair",
                "a": pair.a,
                "b": pair.b,
                "n": rank,
                "words": sum(m.words for m in pair.matches),
                "similarity": _num(s.similarity),
                "distinctive_similarity": _num(s.distinctive_similarity),
                "coverage_a": _num(s.coverage_a),
                "coverage_b": _num(s.coverage_b),
            }
        )
        ordered = sorted(pair.matches, key=lambda m: (m.a.span.start, m.b.span.start))
        for n, m in enumerate(ordered, 1):
            writer.writerow(
                {
                    "record": "match",
                    "a": pair.a,
                    "b": pair.b,
                    "n": n,
                    "kind": m.kind.value,
                    "score": _num(m.score),
                    "words": m.words,
                    **_side("a", m.a, docs),
                    **_side("b", m.b, docs),
                    "formula": m.formula or "",
                    "reason": m.reason,
                }
            )
    for c in report.clusters:
        for member in c.members:
            row: dict[str, object] = {
                "record": "cluster",
                "a": member.doc,
                "n": c.id,
                "kind": c.kind.value,
                **_side("a", member, docs),
                "words": count_words(_text(member, docs)),
            }
            if c.origin is not None:
                row.update({"b": c.origin.doc, **_side("b", c.origin, docs)})
            writer.writerow(row)
    for n, f in enumerate(report.formulae, 1):
        for g in (f, *f.variants):
            writer.writerow(
                {
                    "record": "formula" if g is f else "variant",
                    "n": n,
                    "formula": g.template,
                    "doc_freq": g.doc_freq,
                    "slots": " ; ".join(" | ".join(ex) for ex in g.slot_examples),
                    "first_date": g.first_date or "",
                    "last_date": g.last_date or "",
                }
            )
    return buf.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell a spreadsheet will not run as a formula (numbers pass unchanged)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _SafeWriter:
    """A `csv.DictWriter` whose text cells are neutralised (see the module docstring)."""

    def __init__(self, writer: csv.DictWriter[str]) -> None:
        self._writer = writer

    def writeheader(self) -> None:
        self._writer.writeheader()

    def writerow(self, row: Mapping[str, object]) -> None:
        self._writer.writerow({k: neutralise(v) for k, v in row.items()})


def _num(x: float) -> str:
    return f"{x:.2f}"


def _text(p: Passage, docs: Mapping[str, Document]) -> str:
    doc = docs.get(p.doc)
    return doc.text[p.span.start : p.span.end] if doc else ""


def _side(side: str, p: Passage, docs: Mapping[str, Document]) -> dict[str, object]:
    return {
        f"{side}_start": p.span.start,
        f"{side}_end": p.span.end,
        f"{side}_text": _text(p, docs),
    }
