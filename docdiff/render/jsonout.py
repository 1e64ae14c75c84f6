"""JSON for every `Report`: the documented, versioned contract (``docdiff.compare/1`` and kin).

The field names of schema version 1 never change; new fields may be added. A saved result
carries what a renderer needs (passage texts always; full document texts for compare), so
``docdiff report`` can re-render it without the original files.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

from docdiff import __version__
from docdiff.errors import DocdiffError
from docdiff.model import (
    AlignOp,
    Cluster,
    Document,
    DuplicateGroup,
    Formula,
    Kind,
    Match,
    OffsetMap,
    OpTag,
    PairResult,
    PairSummary,
    Passage,
    Report,
    Span,
)

__all__ = ["SCHEMAS", "dumps", "loads", "report_from_dict", "report_to_dict"]

SCHEMAS = {
    "compare": "docdiff.compare/1",
    "scan": "docdiff.scan/1",
    "query": "docdiff.query/1",
}
_COMMANDS: dict[str, Literal["compare", "scan", "query"]] = {
    "docdiff.compare/1": "compare",
    "docdiff.scan/1": "scan",
    "docdiff.query/1": "query",
}
_OP_TAGS: dict[str, OpTag] = {
    "equal": "equal",
    "replace": "replace",
    "insert": "insert",
    "delete": "delete",
}


def report_to_dict(report: Report, *, include_text: bool | None = None) -> dict[str, Any]:
    """The report as JSON-ready data; document texts are included for compare by default."""
    if include_text is None:
        include_text = report.command == "compare"
    docs = {d.id: d for d in report.documents}
    out: dict[str, Any] = {
        "schema": SCHEMAS[report.command],
        "generator": f"docdiff {__version__}",
        "documents": [_document(d, include_text=include_text) for d in report.documents],
    }
    if report.command == "compare":
        pair = report.pairs[0] if report.pairs else None
        out["matches"] = [_match(m, docs) for m in pair.matches] if pair else []
        out["summary"] = _summary(pair.summary if pair else PairSummary(0.0, 0.0, 0.0, 0.0))
    else:
        out["pairs"] = [
            {
                "a": p.a,
                "b": p.b,
                "summary": _summary(p.summary),
                "matches": [_match(m, docs) for m in p.matches],
            }
            for p in report.pairs
        ]
        out["clusters"] = [_cluster(c, docs) for c in report.clusters]
        out["formulae"] = [_formula(f, docs) for f in report.formulae]
        out["duplicates"] = [
            {"id": g.id, "representative": g.representative, "members": list(g.members),
             "coverage": g.coverage}
            for g in report.duplicates
        ]  # fmt: skip
    out["settings"] = dict(report.settings)
    return out


def dumps(report: Report, *, include_text: bool | None = None, indent: int | None = 2) -> str:
    """The report as a JSON string."""
    data = report_to_dict(report, include_text=include_text)
    return json.dumps(data, ensure_ascii=False, indent=indent)


def loads(text: str, *, source: str = "<json>") -> Report:
    """A report from a JSON string written by `dumps`; raises DocdiffError when it is not one."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DocdiffError(f"{source}: not JSON ({exc.msg} at line {exc.lineno})") from None
    return report_from_dict(data, source=source)


def _document(doc: Document, *, include_text: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": doc.id,
        "path": doc.path,
        "format": doc.format,
        "chars": len(doc.text),
        "words": _word_count(doc.text),
        "sha256": doc.sha256,
        "meta": dict(doc.meta),
    }
    if doc.pages:
        out["pages"] = list(doc.pages)
    if not doc.offsets.is_identity:
        out["offsets"] = {
            "text_starts": list(doc.offsets.text_starts),
            "source_starts": list(doc.offsets.source_starts),
            "source_ends": list(doc.offsets.source_ends),
        }
    if include_text:
        out["text"] = doc.text
    return out


def _word_count(text: str) -> int:
    from docdiff.tokens import tokenize

    return len(tokenize(text))


def _passage(p: Passage, docs: Mapping[str, Document]) -> dict[str, Any]:
    out: dict[str, Any] = {"doc": p.doc, "start": p.span.start, "end": p.span.end}
    doc = docs.get(p.doc)
    if doc is not None:
        out["text"] = doc.slice(p.span)
        if not doc.offsets.is_identity:
            src = doc.offsets.span_to_source(p.span)
            out["source_start"], out["source_end"] = src.start, src.end
        page = doc.page_of(p.span.start)
        if page is not None:
            out["page"] = page
    return out


def _match(m: Match, docs: Mapping[str, Document]) -> dict[str, Any]:
    return {
        "kind": m.kind.value,
        "score": m.score,
        "words": m.words,
        "a": _passage(m.a, docs),
        "b": _passage(m.b, docs),
        "reason": m.reason,
        "shared": list(m.shared),
        "formula": m.formula,
        "ops": [
            {"tag": op.tag, "a": [op.a.start, op.a.end], "b": [op.b.start, op.b.end]}
            for op in m.ops
        ],
    }


def _summary(s: PairSummary) -> dict[str, float]:
    return {
        "coverage_a": s.coverage_a,
        "coverage_b": s.coverage_b,
        "similarity": s.similarity,
        "distinctive_similarity": s.distinctive_similarity,
    }


def _cluster(c: Cluster, docs: Mapping[str, Document]) -> dict[str, Any]:
    return {
        "id": c.id,
        "kind": c.kind.value,
        "text": c.text,
        "size": len({m.doc for m in c.members}),
        "members": [_passage(m, docs) for m in c.members],
        "origin": _passage(c.origin, docs) if c.origin else None,
    }


def _formula(f: Formula, docs: Mapping[str, Document]) -> dict[str, Any]:
    return {
        "template": f.template,
        "doc_freq": f.doc_freq,
        "slot_examples": [list(s) for s in f.slot_examples],
        "first_date": f.first_date,
        "last_date": f.last_date,
        "members": [_passage(m, docs) for m in f.members],
    }


# --- reading ---------------------------------------------------------------------------------


class _BadError(Exception):
    pass


def _need(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    if key not in data:
        raise _BadError(f"missing field {key!r}")
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _BadError(f"field {key!r} has the wrong type")
    return value


def report_from_dict(data: object, *, source: str = "<json>") -> Report:
    """A `Report` from data written by `report_to_dict`; raises DocdiffError when malformed."""
    try:
        return _report(data)
    except _BadError as exc:
        raise DocdiffError(f"{source}: not a docdiff result ({exc})") from None
    except (TypeError, ValueError, KeyError) as exc:
        raise DocdiffError(f"{source}: not a docdiff result ({exc})") from None


def _report(data: object) -> Report:
    if not isinstance(data, dict):
        raise _BadError("the top level is not an object")
    schema = _need(data, "schema", str)
    command = _COMMANDS.get(schema)
    if command is None:
        raise _BadError(
            f"unknown schema {schema!r}; this docdiff reads {', '.join(SCHEMAS.values())}"
        )
    raw_docs = _need(data, "documents", list)
    passages: dict[str, list[tuple[int, int, str]]] = {}

    def note(p: Mapping[str, Any]) -> None:
        if isinstance(p.get("text"), str):
            passages.setdefault(str(p.get("doc", "")), []).append(
                (int(p["start"]), int(p["end"]), p["text"])
            )

    raw_pairs: list[dict[str, Any]]
    if command == "compare":
        ids = [str(_need(d, "id", str)) for d in raw_docs]
        if len(ids) != 2:
            raise _BadError("a compare result has exactly two documents")
        raw_pairs = [
            {
                "a": ids[0],
                "b": ids[1],
                "summary": _need(data, "summary", dict),
                "matches": _need(data, "matches", list),
            }
        ]
        for m in raw_pairs[0]["matches"]:
            m.setdefault("a", {}).setdefault("doc", ids[0])
            m.setdefault("b", {}).setdefault("doc", ids[1])
    else:
        raw_pairs = _need(data, "pairs", list)
    for p in raw_pairs:
        for m in p.get("matches", []):
            note(m["a"])
            note(m["b"])
    for c in data.get("clusters", []):
        for m in c.get("members", []):
            note(m)
    documents = tuple(_read_document(d, passages.get(str(d.get("id")), [])) for d in raw_docs)
    pairs = tuple(_read_pair(p) for p in raw_pairs)
    clusters = tuple(_read_cluster(c) for c in data.get("clusters", []))
    formulae = tuple(_read_formula(f) for f in data.get("formulae", []))
    settings = data.get("settings", {})
    duplicates = tuple(
        DuplicateGroup(
            int(g["id"]), str(g["representative"]), tuple(str(m) for m in g["members"]),
            float(g["coverage"]),
        )
        for g in data.get("duplicates", [])
    )  # fmt: skip
    return Report(
        command, documents, pairs, clusters, formulae, settings=dict(settings),
        duplicates=duplicates,
    )  # fmt: skip


def _read_document(d: Mapping[str, Any], passages: list[tuple[int, int, str]]) -> Document:
    text = d.get("text")
    if not isinstance(text, str):
        # No full text saved: rebuild a sparse text that holds every passage at its offsets,
        # so renderers can slice passages exactly as with the original.
        chars = int(d.get("chars", 0))
        buf = [" "] * max(chars, max((e for _, e, _ in passages), default=0))
        for start, end, piece in passages:
            if end - start == len(piece):
                buf[start:end] = list(piece)
        text = "".join(buf)
    offsets = d.get("offsets") or {}
    return Document(
        id=str(_need(d, "id", str)),
        path=str(d.get("path", "")),
        format=str(d.get("format", "txt")),
        text=text,
        offsets=OffsetMap(
            tuple(offsets.get("text_starts", ())),
            tuple(offsets.get("source_starts", ())),
            tuple(offsets.get("source_ends", ())),
        ),
        meta={str(k): str(v) for k, v in (d.get("meta") or {}).items()},
        pages=tuple(d.get("pages", ())),
        sha256=str(d.get("sha256", "")),
    )


def _read_passage(p: Mapping[str, Any], doc: str | None = None) -> Passage:
    return Passage(str(p.get("doc", doc or "")), Span(int(p["start"]), int(p["end"])))


def _read_match(m: Mapping[str, Any]) -> Match:
    return Match(
        a=_read_passage(_need(m, "a", dict)),
        b=_read_passage(_need(m, "b", dict)),
        kind=Kind(_need(m, "kind", str)),
        score=float(_need(m, "score", (int, float))),
        words=int(_need(m, "words", int)),
        ops=tuple(
            AlignOp(_OP_TAGS[op["tag"]], Span(*op["a"]), Span(*op["b"])) for op in m.get("ops", [])
        ),
        reason=str(m.get("reason", "")),
        shared=tuple(m.get("shared", ())),
        formula=m.get("formula"),
    )


def _read_pair(p: Mapping[str, Any]) -> PairResult:
    s = _need(p, "summary", dict)
    summary = PairSummary(
        float(s["coverage_a"]),
        float(s["coverage_b"]),
        float(s["similarity"]),
        float(s["distinctive_similarity"]),
    )
    matches = tuple(_read_match(m) for m in _need(p, "matches", list))
    return PairResult(str(_need(p, "a", str)), str(_need(p, "b", str)), matches, summary)


def _read_cluster(c: Mapping[str, Any]) -> Cluster:
    origin = c.get("origin")
    return Cluster(
        id=int(c["id"]),
        members=tuple(_read_passage(m) for m in c.get("members", [])),
        text=str(c.get("text", "")),
        origin=_read_passage(origin) if origin else None,
        kind=Kind(c.get("kind", "phrasing")),
    )


def _read_formula(f: Mapping[str, Any]) -> Formula:
    return Formula(
        template=str(f["template"]),
        doc_freq=int(f["doc_freq"]),
        slot_examples=tuple(tuple(str(x) for x in s) for s in f.get("slot_examples", ())),
        first_date=f.get("first_date"),
        last_date=f.get("last_date"),
        members=tuple(_read_passage(m) for m in f.get("members", ())),
    )
