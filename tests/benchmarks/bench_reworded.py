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

Run from the repository root: ``python -m tests.benchmarks.bench_reworded [--signals ...]``.
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from docdiff.model import Kind, Match
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


def main() -> None:
    """Print recall and false-paraphrase rate per signal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", nargs="+", choices=SIGNALS, default=["roots", "snowball"])
    parser.add_argument("--synonyms", type=Path, help="synonym table for the synonyms signal")
    parser.add_argument("--unrelated", type=int, default=100, help="unrelated pairs per sample")
    args = parser.parse_args()
    pairs = _load_pairs()
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
