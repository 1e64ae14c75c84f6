"""JSON for every `Report`: the documented, versioned contract (``docdiff.compare/2`` and kin).

Field names never change within a version; new fields may be added. ``docdiff.compare/2`` adds
``echoes`` (short shared phrases, in the shape of ``matches``) and reads ``/1`` results too.
``docdiff.scan/2`` lists a formula once, its other wordings under it in ``variants`` (each a
formula object), and reads ``/1`` results too.
A saved result carries what a renderer needs (passage texts always; full document texts for
compare), so ``docdiff report`` can re-render it without the original files.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from docdiff import __version__
from docdiff.errors import DocdiffError, InputError
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

__all__ = [
    "SCHEMAS",
    "chunks",
    "dumps",
    "loads",
    "read_report",
    "report_from_dict",
    "report_to_dict",
]

# A saved result never describes a longer document (offsets and ``chars`` beyond it are refused,
# so a crafted file cannot make the reader allocate gigabytes).
MAX_TEXT_CHARS = 100_000_000

SCHEMAS = {
    "compare": "docdiff.compare/2",
    "scan": "docdiff.scan/2",
    "query": "docdiff.query/1",
}
_COMMANDS: dict[str, Literal["compare", "scan", "query"]] = {
    "docdiff.compare/1": "compare",
    "docdiff.compare/2": "compare",
    "docdiff.scan/1": "scan",
    "docdiff.scan/2": "scan",
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
        out["echoes"] = [_match(m, docs) for m in pair.echoes] if pair else []
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


def dumps(report: Report, *, include_text: bool | None = None) -> str:
    """The report as a JSON string (`chunks` joined)."""
    return "".join(chunks(report, include_text=include_text))


def chunks(report: Report, *, include_text: bool | None = None) -> Iterator[str]:
    """`dumps`'s text in pieces: a writer never holds the whole text.

    The JSON of a complete scan is hundreds of megabytes; as one string, with the pieces it is
    joined from, it took more memory than the scan (5.3 GiB at its peak on the UN General
    Debate, against 1.9 GiB for the report and its data). One line for each top-level field,
    and one for each element of a list (a document, a pair, a match, a cluster, a formula),
    each encoded whole by the standard library's C encoder: indented through and through, the
    same report went through its pure-Python encoder, a sixth of a complete scan's time (30 s
    of the UN General Debate's 175), with 70 % more bytes.
    """
    return _lines(report_to_dict(report, include_text=include_text))


def _lines(data: dict[str, Any]) -> Iterator[str]:
    encode = json.JSONEncoder(ensure_ascii=False).encode
    yield "{"
    for n, (key, value) in enumerate(data.items()):
        yield f"{',' if n else ''}\n  {encode(key)}: "
        if isinstance(value, list) and value:
            yield "["
            for m, item in enumerate(value):
                yield f"{',' if m else ''}\n    {encode(item)}"
            yield "\n  ]"
        else:
            yield encode(value)
    yield "\n}"


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
        "words": doc.words if doc.words is not None else _word_count(doc.text),
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
    from docdiff.text.tokens import count_words

    return count_words(text)


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
    out = {
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
    if m.distinctiveness is not None:
        out["distinctiveness"] = m.distinctiveness
    return out


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
        "part_of": c.part_of,
    }


def _formula(f: Formula, docs: Mapping[str, Document]) -> dict[str, Any]:
    return {
        "template": f.template,
        "doc_freq": f.doc_freq,
        "slot_examples": [list(s) for s in f.slot_examples],
        "first_date": f.first_date,
        "last_date": f.last_date,
        "members": [_passage(m, docs) for m in f.members],
        "variants": [_formula(v, docs) for v in f.variants],
        "family_doc_freq": f.family_docs or f.doc_freq,
        "apparatus": f.apparatus,
        "lexicon": f.lexicon,
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


def read_report(raw: bytes, *, source: str) -> Report:
    """A report from the bytes of a saved JSON result, validated field by field.

    Anything else (not JSON, too deeply nested, a wrong type, offsets past `MAX_TEXT_CHARS`)
    raises one `InputError` naming `source`.
    """
    from docdiff.loaders import binary_kind

    kind = binary_kind(raw)
    if kind == "an SQLite database":
        raise InputError(
            source, "is a SQLite database (an index?), not a JSON result; give it to --db"
        )
    if kind is not None:
        raise InputError(source, f"is {kind}, not a JSON result")
    try:
        data = json.loads(raw)
    except RecursionError:
        raise InputError(source, "not a docdiff JSON result (nested too deeply)") from None
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        raise InputError(source, f"not a docdiff JSON result ({exc})") from None
    return report_from_dict(data, source=source)


def _offset(value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_TEXT_CHARS:
        raise _BadError(f"{what} must be an offset between 0 and {MAX_TEXT_CHARS:,}")
    return value


def _optional_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise _BadError(f"field {key!r} must be a string")
    return value


def _optional_number(data: Mapping[str, Any], key: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _BadError(f"field {key!r} must be a number")
    return float(value)


def _optional_int(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise _BadError(f"field {key!r} must be a whole number")
    return value


def _object(data: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise _BadError(f"field {key!r} must be an object")
    return value


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise _BadError(f"field {key!r} must be a list")
    return value


def report_from_dict(data: object, *, source: str = "<json>") -> Report:
    """A `Report` from data written by `report_to_dict`; raises DocdiffError when malformed."""
    try:
        return _report(data)
    except _BadError as exc:
        raise InputError(source, f"not a docdiff result ({exc})") from None
    except RecursionError:
        raise InputError(source, "not a docdiff result (nested too deeply)") from None
    except (TypeError, ValueError, KeyError, AttributeError, IndexError, OverflowError) as exc:
        problem = f"{type(exc).__name__}: {exc}" if isinstance(exc, KeyError) else str(exc)
        raise InputError(source, f"not a docdiff result ({problem})") from None


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
        if not isinstance(p, dict):
            raise _BadError("a passage is not an object")
        if isinstance(p.get("text"), str):
            passages.setdefault(str(p.get("doc", "")), []).append(
                (_offset(p.get("start"), "start"), _offset(p.get("end"), "end"), p["text"])
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
                "echoes": data.get("echoes", []),
            }
        ]
        for m in [*raw_pairs[0]["matches"], *raw_pairs[0]["echoes"]]:
            m.setdefault("a", {}).setdefault("doc", ids[0])
            m.setdefault("b", {}).setdefault("doc", ids[1])
    else:
        raw_pairs = _need(data, "pairs", list)
    for p in raw_pairs:
        for m in [*_list(p, "matches"), *_list(p, "echoes")]:
            note(_need(m, "a", dict))
            note(_need(m, "b", dict))
    for c in _list(data, "clusters"):
        for m in _list(c, "members"):
            note(m)
    documents = tuple(_read_document(d, passages.get(str(d.get("id")), [])) for d in raw_docs)
    pairs = tuple(_read_pair(p) for p in raw_pairs)
    clusters = tuple(_read_cluster(c) for c in _list(data, "clusters"))
    formulae = tuple(_read_formula(f) for f in _list(data, "formulae"))
    settings = _object(data, "settings")
    duplicates = tuple(_read_duplicates(g) for g in _list(data, "duplicates"))
    return Report(
        command, documents, pairs, clusters, formulae, settings=dict(settings),
        duplicates=duplicates,
    )  # fmt: skip


def _read_document(d: Mapping[str, Any], passages: list[tuple[int, int, str]]) -> Document:
    text = d.get("text")
    if not isinstance(text, str):
        # No full text saved: rebuild a sparse text that holds every passage at its offsets,
        # so renderers can slice passages exactly as with the original.
        chars = _offset(d.get("chars", 0), "chars")
        buf = [" "] * max(chars, max((e for _, e, _ in passages), default=0))
        for start, end, piece in passages:
            if end - start == len(piece):
                buf[start:end] = list(piece)
        text = "".join(buf)
    offsets = _object(d, "offsets")
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
        meta={str(k): str(v) for k, v in _object(d, "meta").items()},
        pages=tuple(_offset(x, "a page start") for x in _list(d, "pages")),
        sha256=str(d.get("sha256", "")),
        # The count written with the report (its text may hold only the reused passages).
        words=words if type(words := d.get("words")) is int and words >= 0 else None,
    )


def _read_passage(p: Mapping[str, Any], doc: str | None = None) -> Passage:
    return Passage(
        str(p.get("doc", doc or "")),
        Span(_offset(p.get("start"), "start"), _offset(p.get("end"), "end")),
    )


def _read_match(m: Mapping[str, Any]) -> Match:
    return Match(
        a=_read_passage(_need(m, "a", dict)),
        b=_read_passage(_need(m, "b", dict)),
        kind=Kind(_need(m, "kind", str)),
        score=float(_need(m, "score", (int, float))),
        words=int(_need(m, "words", int)),
        ops=tuple(_read_op(op) for op in _list(m, "ops")),
        reason=str(m.get("reason", "")),
        shared=tuple(str(x) for x in _list(m, "shared")),
        formula=_optional_str(m, "formula"),
        distinctiveness=_optional_number(m, "distinctiveness"),
    )


def _read_op(op: Mapping[str, Any]) -> AlignOp:
    a, b = _need(op, "a", list), _need(op, "b", list)
    if len(a) != 2 or len(b) != 2:
        raise _BadError("an op's spans have a start and an end")
    return AlignOp(
        _OP_TAGS[_need(op, "tag", str)],
        Span(_offset(a[0], "start"), _offset(a[1], "end")),
        Span(_offset(b[0], "start"), _offset(b[1], "end")),
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
    echoes = tuple(_read_match(m) for m in _list(p, "echoes"))
    return PairResult(str(_need(p, "a", str)), str(_need(p, "b", str)), matches, summary, echoes)


def _read_duplicates(g: Mapping[str, Any]) -> DuplicateGroup:
    return DuplicateGroup(
        int(_need(g, "id", int)),
        str(_need(g, "representative", str)),
        tuple(str(m) for m in _list(g, "members")),
        float(_need(g, "coverage", (int, float))),
    )


def _read_cluster(c: Mapping[str, Any]) -> Cluster:
    origin = c.get("origin")
    return Cluster(
        id=int(c["id"]),
        members=tuple(_read_passage(m) for m in _list(c, "members")),
        text=str(c.get("text", "")),
        origin=_read_passage(origin) if origin else None,
        kind=Kind(c.get("kind", "phrasing")),
        part_of=_optional_int(c, "part_of"),
    )


def _family_docs(f: Mapping[str, Any]) -> int:
    """``family_doc_freq`` when the formula has variants (0 otherwise, as `Formula` counts it;
    a report written before the field has none)."""
    value = f.get("family_doc_freq")
    if not f.get("variants") or not isinstance(value, int) or isinstance(value, bool):
        return 0
    return max(0, value)


def _read_formula(f: Mapping[str, Any]) -> Formula:
    return Formula(
        template=str(f["template"]),
        doc_freq=int(f["doc_freq"]),
        slot_examples=tuple(tuple(str(x) for x in s) for s in _list(f, "slot_examples")),
        first_date=_optional_str(f, "first_date"),
        last_date=_optional_str(f, "last_date"),
        members=tuple(_read_passage(m) for m in _list(f, "members")),
        variants=tuple(_read_formula(v) for v in _list(f, "variants")),
        family_docs=_family_docs(f),
        apparatus=f.get("apparatus") is True,
        lexicon=_optional_str(f, "lexicon"),
    )
