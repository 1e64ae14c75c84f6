"""PAN Indonesian text alignment, scored with the PAN measures (Potthast et al., 2010).

Each suspicious document (a) is compared with source documents (b): by default every source
document, so that detections on unrelated pairs count against precision; ``--sources truth``
limits it to the sources its XML names. Every docdiff match becomes a detection
(suspicious span, source document, source span); its spans are code-point offsets into the
loaded text, which for these UTF-8 .txt files is the decoded file, the same coordinates as the
PAN offsets (checked at start-up: the PAN offsets count characters, not bytes).

Measures, as defined by Potthast et al. (2010) and the PAN evaluation code. A case s and a
detection r are sets of characters on both sides (suspicious and source); r *detects* s when
they concern the same document pair and overlap on both sides; s ⊓ r = s ∩ r if r detects s,
else ∅.

* macro recall    = mean over cases s of |∪_r (s ⊓ r)| / |s|
* macro precision = mean over detections r of |∪_s (s ⊓ r)| / |r|
* granularity     = mean over detected cases of the number of detections detecting them
* plagdet         = F1(precision, recall) / log2(1 + granularity)

Per obfuscation type the cases are those of the type, and the detections those on document
pairs holding such a case (minus detections that detect only cases of another type); "overall"
uses every case and every detection, including those on pairs without any case.
Targets: plagdet >= 0.90 on verbatim (artificial, no obfuscation), >= 0.60 on simulated.

docdiff runs with its **default** settings: the pieces of one borrowed section are joined into
one passage, and isolated short shared phrases are echoes, not passages (not detections here).
Macro and micro measures are both printed.

``--half odd`` keeps the suspicious documents with an odd number (the half the engine's
paraphrase settings were tuned on), ``--half even`` the held-out half; ``even2`` and ``even0``
are its two quarters (numbers 2 and 0 mod 4), ``even0`` held out from the fifth session.

Run from the repository root:
``python -m tests.benchmarks.bench_pan [--sources truth] [--half odd|even] [--show N]``.
"""

from __future__ import annotations

import argparse
import math
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from docdiff.model import Document
from tests.benchmarks._common import shared_path, table

TYPES = ("verbatim", "random-shuffling", "semantic-variation", "pos-preserving", "simulated")


@dataclass(frozen=True)
class Annotation:
    """A plagiarism case or a detection: a suspicious range and a source range."""

    susp: str
    src: str
    s0: int
    s1: int
    t0: int
    t1: int
    kind: str = ""

    def size(self) -> int:
        """Characters on both sides."""
        return (self.s1 - self.s0) + (self.t1 - self.t0)

    def detects(self, other: Annotation) -> bool:
        """True when the two concern the same pair and overlap on both sides."""
        return (
            self.susp == other.susp
            and self.src == other.src
            and self.s0 < other.s1
            and other.s0 < self.s1
            and self.t0 < other.t1
            and other.t0 < self.t1
        )


def _obfuscation(feature: ET.Element) -> str:
    if feature.get("type") == "simulated":
        return "simulated"
    obf = feature.get("obfuscation", "none")
    return "verbatim" if obf == "none" else obf


def read_cases(root: Path) -> tuple[list[Annotation], dict[str, list[str]]]:
    """Every plagiarism case, and the sources each suspicious document's XML names."""
    cases: list[Annotation] = []
    named: dict[str, list[str]] = {}
    for xml in sorted((root / "suspicious-documents").glob("*.xml")):
        susp = xml.with_suffix(".txt").name
        named[susp] = []
        for f in ET.parse(xml).getroot().iter("feature"):
            if f.get("name") != "plagiarism":
                continue
            src = f.get("source_reference", "")
            s0, t0 = int(f.get("this_offset", 0)), int(f.get("source_offset", 0))
            cases.append(
                Annotation(
                    susp,
                    src,
                    s0,
                    s0 + int(f.get("this_length", 0)),
                    t0,
                    t0 + int(f.get("source_length", 0)),
                    _obfuscation(f),
                )
            )
            if src not in named[susp]:
                named[susp].append(src)
    return cases, named


def in_half(susp: str, half: str) -> bool:
    """Whether suspicious document `susp` (``suspicious-documentNNNNN.txt``) is in `half`:
    odd numbers are the tuning half, even ones the held-out half; ``even0``/``even2`` split
    the even half by the number's remainder mod 4 (``even0`` is the quarter held out from the
    fifth session's tuning)."""
    number = int(susp.removesuffix(".txt")[-5:])
    if half in ("even0", "even2"):
        return number % 4 == int(half[-1])
    return half == "all" or (number % 2 == 1) == (half == "odd")


def _union_len(ranges: Iterable[tuple[int, int]]) -> int:
    total, end = 0, -1
    for lo, hi in sorted(ranges):
        if hi <= end:
            continue
        total += hi - max(lo, end)
        end = hi
    return total


def _clip(outer: Annotation, inner: Annotation) -> tuple[tuple[int, int], tuple[int, int]]:
    """The parts of `inner` lying inside `outer`, per side (possibly empty)."""
    s = (max(outer.s0, inner.s0), min(outer.s1, inner.s1))
    t = (max(outer.t0, inner.t0), min(outer.t1, inner.t1))
    return (s if s[0] < s[1] else (0, 0)), (t if t[0] < t[1] else (0, 0))


def _covered_share(target: Annotation, others: Sequence[Annotation]) -> float:
    """|∪ (target ⊓ o)| / |target| over the annotations in `others` that overlap it."""
    hits = [o for o in others if target.detects(o)]
    if not hits or target.size() == 0:
        return 0.0
    parts = [_clip(target, o) for o in hits]
    return (_union_len(p[0] for p in parts) + _union_len(p[1] for p in parts)) / target.size()


@dataclass(frozen=True)
class Measures:
    """The PAN measures for one set of cases and detections."""

    cases: int
    detections: int
    precision: float
    recall: float
    granularity: float

    @property
    def plagdet(self) -> float:
        """F1 discounted by granularity."""
        p, r = self.precision, self.recall
        if p + r == 0:
            return 0.0
        return (2 * p * r / (p + r)) / math.log2(1 + self.granularity)


def pan_measures(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> Measures:
    """Macro precision and recall, granularity and plagdet, as in PAN."""
    by_pair: dict[tuple[str, str], list[Annotation]] = defaultdict(list)
    for d in detections:
        by_pair[d.susp, d.src].append(d)
    case_pair: dict[tuple[str, str], list[Annotation]] = defaultdict(list)
    for c in cases:
        case_pair[c.susp, c.src].append(c)
    recall = sum(_covered_share(c, by_pair[c.susp, c.src]) for c in cases) / len(cases)
    if detections:
        precision = sum(_covered_share(d, case_pair[d.susp, d.src]) for d in detections) / len(
            detections
        )
    else:
        precision = 0.0
    counts = [sum(1 for d in by_pair[c.susp, c.src] if d.detects(c)) for c in cases]
    detected = [n for n in counts if n]
    granularity = sum(detected) / len(detected) if detected else 1.0
    return Measures(len(cases), len(detections), precision, recall, granularity)


def _pair_side_unions(
    items: Iterable[Annotation],
) -> dict[tuple[str, str], tuple[list[tuple[int, int]], list[tuple[int, int]]]]:
    out: dict[tuple[str, str], tuple[list[tuple[int, int]], list[tuple[int, int]]]] = {}
    for x in items:
        sides = out.setdefault((x.susp, x.src), ([], []))
        sides[0].append((x.s0, x.s1))
        sides[1].append((x.t0, x.t1))
    return out


def _intersection_len(xs: Sequence[tuple[int, int]], ys: Sequence[tuple[int, int]]) -> int:
    """Characters in (∪ xs) ∩ (∪ ys)."""
    return _union_len(xs) + _union_len(ys) - _union_len([*xs, *ys])


def pan_micro(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> tuple[float, float]:
    """Micro precision and recall: characters of ∪ S ⊓ ∪ R over those of ∪ R and of ∪ S.

    Only detections that detect some case count towards the intersection (the ⊓ of PAN), per
    document pair and side.
    """
    detecting = [d for d in detections if any(d.detects(c) for c in cases if c.src == d.src)]
    detected = [c for c in cases if any(d.detects(c) for d in detecting if d.susp == c.susp)]
    s_all = _pair_side_unions(cases)
    r_all = _pair_side_unions(detections)
    s_hit = _pair_side_unions(detected)
    r_hit = _pair_side_unions(detecting)
    total_s = sum(_union_len(x) + _union_len(y) for x, y in s_all.values())
    total_r = sum(_union_len(x) + _union_len(y) for x, y in r_all.values())
    inter = 0
    for key, (rx, ry) in r_hit.items():
        sx, sy = s_hit.get(key, ([], []))
        inter += _intersection_len(rx, sx) + _intersection_len(ry, sy)
    recall = inter / total_s if total_s else 0.0
    precision = inter / total_r if total_r else 0.0
    return precision, recall


def plagdet(precision: float, recall: float, granularity: float) -> float:
    """F1 discounted by granularity."""
    if precision + recall == 0:
        return 0.0
    return (2 * precision * recall / (precision + recall)) / math.log2(1 + granularity)


def merge_detections(detections: Sequence[Annotation], gap: int) -> list[Annotation]:
    """Join detections of one pair that lie within `gap` characters of each other on both sides."""
    by_pair: dict[tuple[str, str], list[Annotation]] = defaultdict(list)
    for d in detections:
        by_pair[d.susp, d.src].append(d)
    merged: list[Annotation] = []
    for group in by_pair.values():
        done: list[Annotation] = []
        for d in sorted(group, key=lambda x: (x.s0, x.t0)):
            for i, m in enumerate(done):
                near_s = d.s0 <= m.s1 + gap and m.s0 <= d.s1 + gap
                near_t = d.t0 <= m.t1 + gap and m.t0 <= d.t1 + gap
                if near_s and near_t:
                    done[i] = Annotation(
                        m.susp,
                        m.src,
                        min(m.s0, d.s0),
                        max(m.s1, d.s1),
                        min(m.t0, d.t0),
                        max(m.t1, d.t1),
                        m.kind,
                    )
                    break
            else:
                done.append(d)
        merged += done
    return merged


def main() -> None:
    """Align every suspicious document with its sources and print the PAN measures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", choices=("all", "truth"), default="all")
    parser.add_argument("--show", type=int, default=4, help="worst simulated cases to list")
    parser.add_argument(
        "--min-words", type=int, default=None, help="docdiff's --min-words (default: its own)"
    )
    parser.add_argument(
        "--post-merge",
        type=int,
        default=0,
        help="diagnostic post-processing outside docdiff: join detections of a pair lying "
        "within this many characters on both sides (0: off)",
    )
    parser.add_argument(
        "--oracle", action="store_true", help="use the ground truth as detections (self-check)"
    )
    parser.add_argument(
        "--half",
        choices=("all", "odd", "even", "even0", "even2"),
        default="all",
        help="suspicious documents with an odd number (the tuning half) or an even one (held out)",
    )
    args = parser.parse_args()

    from docdiff.engine.compare import compare_prepared
    from docdiff.engine.prepare import prepare
    from docdiff.loaders import load
    from docdiff.options import Options

    root = shared_path("corpora", "pan-indonesian")
    cases, named = read_cases(root)
    if args.half != "all":
        named = {s: v for s, v in named.items() if in_half(s, args.half)}
        cases = [c for c in cases if c.susp in named]
    docs: dict[str, Document] = {}
    for folder in ("suspicious-documents", "source-documents"):
        for path in sorted((root / folder).glob("*.txt")):
            if folder.startswith("susp") and path.name not in named:
                continue
            doc = load(path, doc_id=path.name)
            # PAN offsets are code points of the UTF-8 text; docdiff's are code points of `text`.
            if doc.text != path.read_bytes().decode("utf-8"):
                raise SystemExit(f"{path}: loaded text differs from the decoded file")
            docs[path.name] = doc
    sources = sorted(n for n in docs if n.startswith("source-"))
    changes = {"min_words": args.min_words}
    options = Options().with_changes(**{k: v for k, v in changes.items() if v is not None})
    t0 = time.perf_counter()
    prepared = {name: prepare(doc) for name, doc in docs.items()}
    detections: list[Annotation] = []
    pairs = 0
    for susp in sorted(named):
        for src in named[susp] if args.sources == "truth" else sources:
            result = compare_prepared(prepared[susp], prepared[src], options)
            pairs += 1
            detections += [
                Annotation(
                    susp, src, m.a.span.start, m.a.span.end, m.b.span.start, m.b.span.end, m.kind
                )
                for m in result.matches
            ]
    elapsed = time.perf_counter() - t0
    if args.post_merge:
        detections = merge_detections(detections, args.post_merge)
    if args.oracle:
        detections = list(cases)
    print(
        f"PAN Indonesian ({args.half}): {len(named)} suspicious documents, {pairs} pairs "
        f"(sources: {args.sources}), {len(cases)} cases, {len(detections)} detections, "
        f"{elapsed:.1f} s; min_words={options.min_words}, passage_words={options.passage_words}, "
        f"post_merge={args.post_merge}"
        f"{', ORACLE' if args.oracle else ''}\n"
    )

    rows = []
    for kind in TYPES:
        kind_cases = [c for c in cases if c.kind == kind]
        if not kind_cases:
            continue  # a subset without this obfuscation type
        kind_pairs = {(c.susp, c.src) for c in kind_cases}
        kind_dets = [
            d
            for d in detections
            if (d.susp, d.src) in kind_pairs
            and not any(d.detects(c) and c.kind != kind for c in cases)
        ]
        rows.append(_row(kind, kind_cases, kind_dets))
    rows.append(_row("overall", cases, detections))
    headers = ["obfuscation", "cases", "dets", "P macro", "R macro", "P micro", "R micro"]
    print(table([*headers, "gran", "plagdet macro", "plagdet micro"], rows, digits=4))
    print("\ntargets (defaults): plagdet >= 0.95 verbatim (micro and macro), >= 0.70 simulated")

    false_pos = [d for d in detections if not any(d.detects(c) for c in cases)]
    print(
        f"\ndetections detecting no case: {len(false_pos)} "
        f"({sum(d.s1 - d.s0 for d in false_pos)} suspicious characters); by kind: "
        + ", ".join(
            f"{k}={sum(1 for d in false_pos if d.kind == k)}"
            for k in sorted({d.kind for d in false_pos})
        )
    )
    _show_cases(cases, detections, docs, args.show)


def _row(name: str, cases: Sequence[Annotation], dets: Sequence[Annotation]) -> list[object]:
    m = pan_measures(cases, dets)
    p_mi, r_mi = pan_micro(cases, dets)
    return [
        name,
        m.cases,
        m.detections,
        m.precision,
        m.recall,
        p_mi,
        r_mi,
        m.granularity,
        m.plagdet,
        plagdet(p_mi, r_mi, m.granularity),
    ]


def _show_cases(
    cases: Sequence[Annotation], detections: Sequence[Annotation], docs: dict[str, Document], n: int
) -> None:
    """Per-type recall spread, then the worst-recalled cases with what was detected."""
    print("\nper-case recall (character share of the case's two sides found):")
    spread = []
    for kind in TYPES:
        recs = sorted(
            _covered_share(c, [d for d in detections if d.susp == c.susp and d.src == c.src])
            for c in cases
            if c.kind == kind
        )
        if recs:
            missed = sum(1 for r in recs if r == 0)
            spread.append([kind, len(recs), missed, recs[0], recs[len(recs) // 2], recs[-1]])
    print(table(["obfuscation", "cases", "missed", "min", "median", "max"], spread))
    worst = sorted(
        (c for c in cases if c.kind == "simulated"),
        key=lambda c: _covered_share(c, [d for d in detections if d.susp == c.susp]),
    )[:n]
    for c in worst:
        dets = [d for d in detections if d.detects(c)]
        text, src_text = docs[c.susp].text, docs[c.src].text
        print(
            f"\n{c.susp} [{c.s0}:{c.s1}] <- {c.src} [{c.t0}:{c.t1}]: {len(dets)} detections "
            + ", ".join(f"[{d.s0}:{d.s1}]<-[{d.t0}:{d.t1}] {d.kind}" for d in dets)
        )
        print("  susp: " + " ".join(text[c.s0 : c.s1].split())[:240])
        print("  src:  " + " ".join(src_text[c.t0 : c.t1].split())[:240])


if __name__ == "__main__":
    main()
