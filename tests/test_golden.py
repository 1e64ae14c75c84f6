"""Golden cases: the reuse planted in fixtures/letters is found, with the right kind, and no more.

Each ``fixtures/golden/*.json`` names one pair of letters and what they plainly contain:

* ``expect``: passages that must be reported. A match satisfies an entry when its kind is allowed
  and its a-passage overlaps (by character span) an occurrence of the entry's ``a`` text while its
  b-passage overlaps an occurrence of the ``b`` text. With ``min_cover``, the allowed-kind
  matches overlapping both locations must together cover that share of each location.
* ``forbid``: no match of the given kinds (any kind when absent) may overlap the given ``a``
  and/or ``b`` text (anywhere when no text is given).
* ``forbid_bridge``: no single passage on ``side`` may overlap every one of ``texts``.
* ``summary``: inclusive ``[lo, hi]`` ranges for the pair's summary scores.
* ``max_matches``: the most matches the pair may have.
* ``xfail``: a reason, when a reasonable expectation is known to fail in the current engine.

The expected values come from the letters (the reuse was planted), never from engine output.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from docdiff.engine.compare import compare
from docdiff.loaders import load
from docdiff.model import Document, Kind, Match, PairResult, Span
from docdiff.options import Options
from docdiff.text.tokens import is_stopword, tokenize

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
GOLDEN = sorted((FIXTURES / "golden").glob("*.json"))
LETTERS = sorted(p.relative_to(FIXTURES).as_posix() for p in (FIXTURES / "letters").glob("*.txt"))
CASE_KEYS = {
    "a",
    "b",
    "category",
    "description",
    "expect",
    "forbid",
    "forbid_bridge",
    "summary",
    "max_matches",
    "xfail",
}
SUMMARY_FIELDS = {"coverage_a", "coverage_b", "similarity", "distinctive_similarity"}
_WORD_CHAR = re.compile(r"\w")
_OPENER = {")": "(", "]": "[", "}": "{", ">": "<"}
_CLOSER = {"(": ")", "[": "]", "{": "}", "<": ">"}


def _case(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@cache
def _document(rel: str) -> Document:
    return load(FIXTURES / rel, doc_id=rel)


@cache
def _pair(a_rel: str, b_rel: str) -> PairResult:
    report = compare(_document(a_rel), _document(b_rel), Options())
    assert len(report.pairs) == 1
    return report.pairs[0]


def _kinds(entry: dict[str, Any]) -> frozenset[Kind]:
    raw = entry.get("kind")
    if raw is None:
        return frozenset(Kind)
    return frozenset(Kind(k) for k in ([raw] if isinstance(raw, str) else raw))


def _locations(text: str, needle: str) -> list[Span]:
    """Every occurrence of `needle` in `text`."""
    spans: list[Span] = []
    i = text.find(needle)
    while i >= 0:
        spans.append(Span(i, i + len(needle)))
        i = text.find(needle, i + 1)
    return spans


def _covered(span: Span, others: Sequence[Span]) -> float:
    """The share of `span` covered by the union of `others`."""
    hit = set[int]()
    for o in others:
        hit.update(range(max(span.start, o.start), min(span.end, o.end)))
    return len(hit) / max(1, len(span))


def _describe(pair: PairResult, a: Document, b: Document) -> str:
    lines = [f"{len(pair.matches)} matches; summary {pair.summary}"]
    for m in pair.matches:
        lines.append(
            f"  {m.kind.value:<10} {m.score:5.1f} a[{m.a.span.start}:{m.a.span.end}]="
            f"{a.slice(m.a.span)[:70]!r} | b[{m.b.span.start}:{m.b.span.end}]="
            f"{b.slice(m.b.span)[:70]!r}"
        )
    return "\n".join(lines)


def _check_expect(entry: dict[str, Any], pair: PairResult, a: Document, b: Document) -> None:
    kinds = _kinds(entry)
    a_locs, b_locs = _locations(a.text, entry["a"]), _locations(b.text, entry["b"])
    min_cover = float(entry.get("min_cover", 0.0))
    best = (-1.0, -1.0)
    for a_loc, b_loc in itertools.product(a_locs, b_locs):
        hits = [
            m
            for m in pair.matches
            if m.kind in kinds and m.a.span.overlaps(a_loc) and m.b.span.overlaps(b_loc)
        ]
        if not hits:
            continue
        cover = (
            _covered(a_loc, [m.a.span for m in hits]),
            _covered(b_loc, [m.b.span for m in hits]),
        )
        if min(cover) >= min_cover:
            return
        best = max(best, cover, key=min)
    wanted = "/".join(sorted(k.value for k in kinds))
    problem = "no" if best[0] < 0 else f"too little cover {best} (< {min_cover}) from the"
    pytest.fail(
        f"{problem} {wanted} match joining a:{entry['a'][:60]!r} and b:{entry['b'][:60]!r}\n"
        + _describe(pair, a, b)
    )


def _check_forbid(entry: dict[str, Any], pair: PairResult, a: Document, b: Document) -> None:
    kinds = _kinds(entry)
    a_locs = _locations(a.text, entry["a"]) if "a" in entry else [Span(0, len(a.text))]
    b_locs = _locations(b.text, entry["b"]) if "b" in entry else [Span(0, len(b.text))]
    for m in pair.matches:
        if (
            m.kind in kinds
            and any(m.a.span.overlaps(s) for s in a_locs)
            and any(m.b.span.overlaps(s) for s in b_locs)
        ):
            pytest.fail(
                f"forbidden {m.kind.value} match {a.slice(m.a.span)[:80]!r} | "
                f"{b.slice(m.b.span)[:80]!r} (rule {entry})\n" + _describe(pair, a, b)
            )


def _check_bridge(entry: dict[str, Any], pair: PairResult, a: Document, b: Document) -> None:
    side = entry["side"]
    doc = a if side == "a" else b
    groups = [_locations(doc.text, t) for t in entry["texts"]]
    for m in pair.matches:
        span = m.a.span if side == "a" else m.b.span
        if all(any(span.overlaps(s) for s in locs) for locs in groups):
            pytest.fail(
                f"one {side}-passage bridges {entry['texts']}: {doc.slice(span)[:120]!r}\n"
                + _describe(pair, a, b)
            )


@pytest.mark.parametrize("path", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_golden_case(path: Path, request: pytest.FixtureRequest) -> None:
    """The pair's planted reuse is reported with an allowed kind, and nothing forbidden is."""
    case = _case(path)
    if "xfail" in case:
        request.applymarker(pytest.mark.xfail(reason=case["xfail"], strict=True))
    a, b = _document(case["a"]), _document(case["b"])
    pair = _pair(case["a"], case["b"])
    for entry in case.get("expect", []):
        _check_expect(entry, pair, a, b)
    for entry in case.get("forbid", []):
        _check_forbid(entry, pair, a, b)
    for entry in case.get("forbid_bridge", []):
        _check_bridge(entry, pair, a, b)
    if "max_matches" in case:
        assert len(pair.matches) <= case["max_matches"], _describe(pair, a, b)
    for name, (lo, hi) in case.get("summary", {}).items():
        value = getattr(pair.summary, name)
        assert lo <= value <= hi, f"{name}={value} outside [{lo}, {hi}]\n" + _describe(pair, a, b)
    # The two categories the genre is about: courtesy alone is not similarity; unrelated is empty.
    if case["category"] == "formula-only":
        assert pair.summary.distinctive_similarity <= 5.0, _describe(pair, a, b)
    if case["category"] == "none":
        assert not pair.matches, _describe(pair, a, b)


@pytest.mark.parametrize("path", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_golden_file_is_well_formed(path: Path) -> None:
    """Each golden file names existing letters, and every quoted text occurs in its letter."""
    case = _case(path)
    assert set(case) <= CASE_KEYS, f"unknown keys {set(case) - CASE_KEYS}"
    a_text = (FIXTURES / case["a"]).read_text(encoding="utf-8")
    b_text = (FIXTURES / case["b"]).read_text(encoding="utf-8")
    assert set(case.get("summary", {})) <= SUMMARY_FIELDS
    for entry in [*case.get("expect", []), *case.get("forbid", [])]:
        _kinds(entry)  # raises on an unknown kind
        for side, text in (("a", a_text), ("b", b_text)):
            if side in entry:
                assert entry[side], f"empty {side} text in {entry}"
                assert entry[side] in text, f"{entry[side]!r} not in {case[side]}"
    for entry in case.get("forbid_bridge", []):
        text = a_text if entry["side"] == "a" else b_text
        assert all(t in text for t in entry["texts"])


def _all_pairs() -> Iterator[tuple[str, str]]:
    yield from itertools.combinations(LETTERS, 2)


@pytest.mark.parametrize(("a_rel", "b_rel"), list(_all_pairs()))
def test_letter_pair_invariants(a_rel: str, b_rel: str) -> None:
    """Every letter pair: spans in bounds, passages start and end on words, never all stopwords."""
    a, b = _document(a_rel), _document(b_rel)
    pair = _pair(a_rel, b_rel)
    assert (pair.a, pair.b) == (a.id, b.id)
    for m in pair.matches:
        _check_match(m, a, b)
    for name in SUMMARY_FIELDS:
        assert 0.0 <= getattr(pair.summary, name) <= 100.0


def _check_match(m: Match, a: Document, b: Document) -> None:
    assert m.kind in set(Kind)
    assert 0.0 <= m.score <= 100.0
    assert m.words >= 1
    for passage, doc in ((m.a, a), (m.b, b)):
        assert passage.doc == doc.id
        span = passage.span
        assert 0 <= span.start < span.end <= len(doc.text), (span, len(doc.text))
        text = doc.slice(span)
        # A passage starts on a word, or on an opening bracket, quotation mark or backtick
        # that it closes: '"ours" is', "`json` * Default", or on an option's dashes.
        opens = (
            (text[0] in _CLOSER and text.count(_CLOSER[text[0]]) >= text.count(text[0]))
            or (text[0] in '"`' and text.count(text[0]) % 2 == 0)
            or (text[0] == "\u201c" and text.count("\u201d") >= text.count("\u201c"))
        )
        # Or on the dashes of a command-line option: "-n, --no-clobber".
        dashes = re.match(r"-{1,2}(?=[^\W_])", text) is not None
        assert _WORD_CHAR.match(text[0]) or opens or dashes, f"starts off a word: {text[:40]!r}"
        # A passage ends on a word, or on a closing bracket or quotation mark it opened:
        # "Korea (DPRK)", 'called "ours"'.
        closes = (
            (text[-1] in ")]}>" and text.count(_OPENER[text[-1]]) >= text.count(text[-1]))
            or (text[-1] in '"`' and text.count(text[-1]) % 2 == 0)
            or (text[-1] == "\u201d" and text.count("\u201c") >= text.count("\u201d"))
        )
        assert _WORD_CHAR.match(text[-1]) or closes, f"passage ends off a word: {text[-40:]!r}"
        keys = tokenize(text).keys
        assert any(not is_stopword(k) for k in keys), f"stopwords only: {text!r}"
    # Each op once: none lies inside another on both sides.
    for x, y in itertools.permutations(m.ops, 2):
        assert not (y.a.contains(x.a) and y.b.contains(x.b)), (x, y)


# --- one golden case per classification rule (fixtures/golden/rules/) -------------------------

RULE_CASES = sorted((FIXTURES / "golden" / "rules").glob("*.json"))


def _rule_pair(case: dict[str, Any]) -> tuple[PairResult, Document, Document]:
    from docdiff.engine.compare import compare_prepared
    from docdiff.engine.prepare import prepare
    from docdiff.loaders import load_text

    options = Options()
    a = prepare(load_text(case["a"], doc_id="a"), options.seed_words)
    b = prepare(load_text(case["b"], doc_id="b"), options.seed_words)
    doc_freq = None
    if "corpus" in case:
        # Document frequency over the corpus and the pair, as a corpus index would give it.
        others = [prepare(load_text(t, doc_id=f"c{n}"), options.seed_words) for n, t in
                  enumerate(case["corpus"])]  # fmt: skip
        docs = [a, b, *others]
        counts: dict[int, int] = {}
        for d in docs:
            for h in set(d.hashes):
                counts[h] = counts.get(h, 0) + 1
        total = len(docs)

        def doc_freq(h: int) -> float:
            return counts.get(h, 0) / total

    # The senders the corpus names when fewer than a genre has (a case's "few_senders").
    few = tuple(case.get("few_senders", ()))
    return compare_prepared(a, b, options, doc_freq=doc_freq, few_senders=few), a.doc, b.doc


@pytest.mark.parametrize("path", RULE_CASES, ids=[p.stem for p in RULE_CASES])
def test_rule_golden_case(path: Path) -> None:
    """Each rule of classify.RULES decides its golden case's kind."""
    case = _case(path)
    pair, a, b = _rule_pair(case)
    found = [*pair.matches, *pair.echoes]
    forbid = case.get("forbid")
    if forbid == {}:
        assert not found, _describe(pair, a, b)
    elif forbid is not None:
        kinds = _kinds(forbid)
        assert not [m for m in found if m.kind in kinds], _describe(pair, a, b)
    want = case.get("expect")
    if want is None:
        return
    a_loc, b_loc = _locations(a.text, want["a"])[0], _locations(b.text, want["b"])[0]
    hits = [m for m in found if m.a.span.overlaps(a_loc) and m.b.span.overlaps(b_loc)]
    assert hits, f"nothing joins {want['a']!r} and {want['b']!r}\n" + _describe(pair, a, b)
    assert {m.kind for m in hits} == {Kind(want["kind"])}, _describe(pair, a, b)
    if want.get("exact"):
        assert a.slice(hits[0].a.span) == want["a"], a.slice(hits[0].a.span)
        assert b.slice(hits[0].b.span) == want["b"], b.slice(hits[0].b.span)
    if "reason" in want:
        assert want["reason"] in hits[0].reason, hits[0].reason
    if want.get("one_passage"):
        assert len(pair.matches) == 1, _describe(pair, a, b)
    for name, (lo, hi) in case.get("summary", {}).items():
        assert lo <= getattr(pair.summary, name) <= hi, _describe(pair, a, b)


def test_every_rule_has_a_golden_case() -> None:
    """The rule table and its golden cases stay in step."""
    from docdiff.engine.classify import RULES

    covered = {_case(p)["rule"] for p in RULE_CASES}
    assert covered == {rule.name for rule in RULES}
