"""Reworded reuse: is a reworded sentence found, and at what cost in false paraphrases?

The pairs (``data/reworded_pairs.jsonl``) are real sentences from UN General Debate speeches
and DFAT documents, each with a rewording written for this benchmark (reordered clauses,
synonyms, change of voice, abbreviations). Each original is inserted as a paragraph into one
UN speech and its rewording into another speech by a different country, and the two hosts are
compared with ``docdiff.compare`` defaults.

* recall: share of the reworded sentence's words inside one paraphrase (or phrasing) passage
  whose other side overlaps the original; "found" counts sentences with recall >= 0.5;
* false-paraphrase rate: share of unrelated same-topic pairs (two speeches of the same year by
  different countries, nothing inserted) with at least one paraphrase passage.

Signals compared (``engine`` runs the engine unchanged, e.g. an older checkout):

* ``roots``: the former stems (fuzzy key + a hand-made derivational suffix stripper);
* ``snowball``: Snowball's English stemmer over those stems (more derivation and voice
  variants conflated); measured here and not kept for English;
* ``synonyms``: the ``roots`` stems mapped to their synonym class, from a table built by
  ``scripts/build_language_tables.py --synonyms-out FILE`` (pass it with ``--synonyms FILE``).

``roots`` is what docdiff does for English.

Pairs with an odd id and hosts from 2000-2011 are the tuning sample; even ids and hosts from
2012-2024 are the check sample (not looked at while tuning).

``--scan YEAR ...`` measures the same in a corpus scan (`docdiff.corpus.scan`), where a reworded
passage whose stems many documents hold together is the corpus's topic, not a paraphrase
(`WordPostings`): every pair (both samples) is planted in
two speeches of that year (each speech takes one sentence at most) and the year's speeches are
scanned with the defaults. Recall is read on the scan's pair of the two hosts; a false
paraphrase is one that overlaps no planted sentence. The row "scan, no word postings" runs
the same plan with the corpus's word postings left out (the scan before the topic test).
Session 56 read the paraphrases of a scan of 2017; 2012 and 2021 are the years to check on.

Run from the repository root:
``python -m tests.benchmarks.bench_reworded [--signals ...] [--scan YEAR ...]``.
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from docdiff.model import Kind, Match, Span
from tests.benchmarks._common import table, un_speeches

DATA = Path(__file__).parent / "data" / "reworded_pairs.jsonl"
SIGNALS = ("engine", "roots", "snowball", "synonyms")


def _load_pairs() -> list[dict[str, object]]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]


def _insert(text: str, sentence: str) -> tuple[str, int, int]:
    """`text` with `sentence` as its own paragraph after the sentence end nearest the middle."""
    middle = len(text) // 2
    ends = [i + 1 for i in range(len(text) - 1) if text[i] == "." and text[i + 1] == "\n"]
    cut = min(ends, key=lambda i: (abs(i - middle), i)) if ends else len(text)
    block = f"\n\n{sentence}\n\n"
    start = cut + 2
    return text[:cut] + block + text[cut:], start, start + len(sentence)


def _speeches(years: range) -> dict[str, list[Path]]:
    root = un_speeches()
    out: dict[str, list[Path]] = {}
    for year in years:
        files = sorted((root / str(year)).glob("*.txt"))
        if files:
            out[str(year)] = files
    return out


def _hosts(sample: dict[str, list[Path]], rng: random.Random) -> tuple[Path, Path]:
    year = rng.choice(sorted(sample))
    a, b = rng.sample(sample[year], 2)
    return a, b


def _words_inside(
    doc_text: str, span: tuple[int, int], matches: Sequence[Match]
) -> tuple[float, float]:
    """Share of the span's words inside one paraphrase passage / inside any passage (best)."""
    from docdiff.text.tokens import tokenize

    tokens = tokenize(doc_text)
    i0 = bisect.bisect_left(tokens.starts, span[0])
    i1 = bisect.bisect_left(tokens.starts, span[1])
    n = max(1, i1 - i0)
    best_para = best_any = 0.0
    for m in matches:
        s, e = m.b.span.start, m.b.span.end
        inside = sum(1 for i in range(i0, i1) if s <= tokens.starts[i] < e) / n
        if m.kind is Kind.PARAPHRASE:
            best_para = max(best_para, inside)
        best_any = max(best_any, inside)
    return best_para, best_any


def _read_synonyms(path: Path) -> dict[str, str]:
    import gzip

    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if not line.startswith("#")]
    return {row[0]: row[1] for row in rows}


def _use_signal(signal: str, synonyms: Path | None = None) -> None:
    """Install the stems of one signal level (the bench's own switch, outside the engine)."""
    if signal == "engine":
        return  # whatever the engine under test does (also an older checkout without lemmas)
    import docdiff.text.lemmas as lemmas
    from docdiff.text.tokens import root_stem

    original = getattr(lemmas, "_bench_original", None)
    if original is None:
        original = lemmas.paraphrase_stems
        lemmas._bench_original = original  # type: ignore[attr-defined]
    stems: Callable[[Sequence[str], Sequence[str], str], list[str]]
    if signal == "roots":

        def stems(forms: Sequence[str], keys: Sequence[str], lang: str) -> list[str]:
            return [root_stem(k) for k in keys]

    elif signal == "snowball":
        from docdiff.text.lemmas import stemmer_for

        english = stemmer_for("en")
        assert english is not None

        def stems(forms: Sequence[str], keys: Sequence[str], lang: str) -> list[str]:
            return english([root_stem(k) for k in keys])

    elif signal == "synonyms":
        if synonyms is None:
            raise SystemExit("the synonyms signal needs --synonyms FILE")
        table = _read_synonyms(synonyms)

        def stems(forms: Sequence[str], keys: Sequence[str], lang: str) -> list[str]:
            return [table.get(s, s) for s in original(forms, keys, lang)]

    else:
        stems = original
    lemmas.paraphrase_stems = stems


def run(
    signal: str, pairs: list[dict[str, object]], n_unrelated: int, synonyms: Path | None
) -> list[list[object]]:
    """Recall and false-paraphrase rate for one signal, on the tune and the check samples."""
    from docdiff.engine.compare import compare
    from docdiff.loaders import load_text

    _use_signal(signal, synonyms)
    rows: list[list[object]] = []
    for name, parity, years in (("tune", 1, range(2000, 2012)), ("check", 0, range(2012, 2025))):
        sample = _speeches(years)
        rng = random.Random(20261130 + parity)
        recalls: list[float] = []
        any_recalls: list[float] = []
        t0 = time.perf_counter()
        for pair in pairs:
            if int(str(pair["id"])) % 2 != parity:
                continue
            ha, hb = _hosts(sample, rng)
            text_a, a0, a1 = _insert(ha.read_text(encoding="utf-8"), str(pair["original"]))
            text_b, b0, b1 = _insert(hb.read_text(encoding="utf-8"), str(pair["reworded"]))
            report = compare(load_text(text_a, doc_id="a"), load_text(text_b, doc_id="b"))
            found = [
                m for m in report.pairs[0].matches if m.a.span.start < a1 and a0 < m.a.span.end
            ]
            para, anyk = _words_inside(text_b, (b0, b1), found)
            recalls.append(para)
            any_recalls.append(anyk)
        false_pairs = 0
        false_matches = 0
        for _ in range(n_unrelated):
            ha, hb = _hosts(sample, rng)
            report = compare(
                load_text(ha.read_text(encoding="utf-8"), doc_id="a"),
                load_text(hb.read_text(encoding="utf-8"), doc_id="b"),
            )
            paras = [m for m in report.pairs[0].matches if m.kind is Kind.PARAPHRASE]
            false_pairs += bool(paras)
            false_matches += len(paras)
        elapsed = time.perf_counter() - t0
        rows.append(
            [
                signal,
                name,
                len(recalls),
                sum(recalls) / len(recalls),
                sum(r >= 0.5 for r in recalls),
                sum(any_recalls) / len(any_recalls),
                n_unrelated,
                false_pairs / n_unrelated,
                false_matches,
                f"{elapsed:.0f} s",
            ]
        )
    return rows


def run_scan(pairs: list[dict[str, object]], year: str) -> list[list[object]]:
    """Recall and false paraphrases of a scan of `year`'s speeches with every pair planted,
    with and without the corpus's word postings."""
    from docdiff.corpus.scan import _run_alignment, finish_scan, plan_scan
    from docdiff.loaders import load_text
    from docdiff.options import Options, ScanOptions

    files = _speeches(range(int(year), int(year) + 1))[year]
    rng = random.Random(20261206)
    hosts = rng.sample(files, 2 * len(pairs))
    texts = {f.name: f.read_text(encoding="utf-8") for f in files}
    others = [f for y, fs in _speeches(range(int(year) - 3, int(year))).items() for f in fs]
    planted: list[tuple[str, str, tuple[int, int], tuple[int, int]]] = []
    for n, pair in enumerate(pairs):
        ha, hb = hosts[2 * n].name, hosts[2 * n + 1].name
        texts[ha], a0, a1 = _insert(texts[ha], str(pair["original"]))
        texts[hb], b0, b1 = _insert(texts[hb], str(pair["reworded"]))
        anchor = _paragraph(rng.choice(others).read_text(encoding="utf-8"), rng)
        texts[ha], shift_a = _insert_at_quarter(texts[ha], anchor, a0)
        texts[hb], shift_b = _insert_at_quarter(texts[hb], anchor, b0)
        planted.append((ha, hb, (a0 + shift_a, a1 + shift_a), (b0 + shift_b, b1 + shift_b)))
    docs = [load_text(t, doc_id=name) for name, t in sorted(texts.items())]
    rows: list[list[object]] = []
    plan = plan_scan(docs, Options(), ScanOptions())
    for name, words in (("scan", plan.words), ("scan, no word postings", None)):
        plan.words = words
        t0 = time.perf_counter()
        results = _run_alignment(plan.aligner(), plan.pairs, 2, None)
        report = finish_scan(plan, results, jobs=2)
        elapsed = time.perf_counter() - t0
        by_pair = {(p.a, p.b): p for p in report.pairs}
        recalls, any_recalls = [], []
        planted_at: dict[str, list[tuple[int, int]]] = {}
        for ha, hb, span_a, span_b in planted:
            planted_at.setdefault(ha, []).append(span_a)
            planted_at.setdefault(hb, []).append(span_b)
            found: list[Match] = []
            if (ha, hb) in by_pair:
                found = [m for m in by_pair[ha, hb].matches if _overlaps(m.a.span, span_a)]
            elif (hb, ha) in by_pair:  # the pair the other way round: B's side is the original
                found = [_mirror(m) for m in by_pair[hb, ha].matches if _overlaps(m.b.span, span_a)]
            para, anyk = _words_inside(texts[hb], span_b, found)
            recalls.append(para)
            any_recalls.append(anyk)
        paras = [(p, m) for p in report.pairs for m in p.matches if m.kind is Kind.PARAPHRASE]
        false = [
            (p, m)
            for p, m in paras
            if not any(_overlaps(m.a.span, s) for s in planted_at.get(p.a, ()))
            and not any(_overlaps(m.b.span, s) for s in planted_at.get(p.b, ()))
        ]
        rows.append(
            [
                f"{name} {year}",
                len(docs),
                len(report.pairs),
                len(recalls),
                sum(recalls) / len(recalls),
                sum(r >= 0.5 for r in recalls),
                sum(any_recalls) / len(any_recalls),
                len(paras),
                len(false),
                len({(p.a, p.b) for p, _ in false}),
                f"{elapsed:.0f} s",
            ]
        )
    return rows


def _paragraph(text: str, rng: random.Random) -> str:
    """A paragraph of 30-80 words of `text` (its longest if none is)."""
    paras = [p.strip() for p in text.split("\n") if p.strip()]
    fit = [p for p in paras if 30 <= len(p.split()) <= 80]
    return rng.choice(fit) if fit else max(paras, key=len)


def _insert_at_quarter(text: str, paragraph: str, before: int) -> tuple[str, int]:
    """`text` with `paragraph` after the line end nearest a quarter of the way in, and how far
    that moves offset `before` (0 when it lands after it)."""
    quarter = len(text) // 4
    ends = [i for i in range(len(text)) if text[i] == "\n"]
    cut = min(ends, key=lambda i: (abs(i - quarter), i)) if ends else 0
    block = f"\n\n{paragraph}\n\n"
    return text[:cut] + block + text[cut:], len(block) if cut <= before else 0


def _overlaps(span: Span, at: tuple[int, int]) -> bool:
    return span.start < at[1] and at[0] < span.end


def _mirror(m: Match) -> Match:
    from dataclasses import replace

    return replace(m, a=m.b, b=m.a)


SCAN_HEADERS = [
    "run",
    "docs",
    "pairs",
    "planted",
    "recall",
    "found",
    "recall any kind",
    "paraphrases",
    "false paras",
    "pairs with one",
    "time",
]


def main() -> None:
    """Print recall and false-paraphrase rate per signal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", nargs="+", choices=SIGNALS, default=["roots", "snowball"])
    parser.add_argument("--synonyms", type=Path, help="synonym table for the synonyms signal")
    parser.add_argument("--unrelated", type=int, default=100, help="unrelated pairs per sample")
    parser.add_argument("--scan", nargs="+", metavar="YEAR", help="scan these years instead")
    args = parser.parse_args()
    pairs = _load_pairs()
    if args.scan:
        scan_rows: list[list[object]] = []
        for year in args.scan:
            scan_rows += run_scan(pairs, year)
            print(table(SCAN_HEADERS, scan_rows[-2:]), flush=True)
        print("\n" + table(SCAN_HEADERS, scan_rows))
        return
    rows: list[list[object]] = []
    for signal in args.signals:
        rows += run(signal, pairs, args.unrelated, args.synonyms)
        print(table(HEADERS, rows[-2:]), flush=True)
    print("\n" + table(HEADERS, rows))


HEADERS = [
    "signal",
    "sample",
    "pairs",
    "recall",
    "found",
    "recall any kind",
    "unrelated",
    "false para rate",
    "false paras",
    "time",
]

if __name__ == "__main__":
    main()
