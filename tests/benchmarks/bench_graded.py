"""Graded copies: does the pair score fall as a copied section is revised more?

A held-out check of the pair score (`similarity`), built from ``../shared/corpora`` (UN General
Debate speeches and DFAT documents), never from text written here, and never used to tune the
score (Clough-Stevenson is the set the score was studied on). For each source document, one
section of 120-250 words (whole sentences) is taken and turned into six "answers", compared
with the whole source document as a Clough answer is compared with its source article:

==  =====================================================================================
5   the section copied unchanged
4   5 % of its words edited (half substituted by words of another document, a quarter
    deleted, a quarter with a word inserted after them)
3   15 % edited
2   30 % edited
1   reworded-like: every sentence's words shuffled within windows of four, then 15 % edited
    (the vocabulary stays, the wording goes, as in a heavy revision)
0   unrelated: a section of the same size from another document of the same year
==  =====================================================================================

Printed: the Spearman correlation of each docdiff summary field and of two peers (word 3-gram
containment of the answer in the source, difflib's word-level ratio) with the grade, per
corpus, pooled over all answers (as Clough is scored) and as the mean over sources of the
correlation among one source's six answers.

Run from the repository root: ``python -m tests.benchmarks.bench_graded [--docs N] [--seed S]``.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from tests.benchmarks._common import difflib_ratio, ngram_containment, spearman, table
from tests.benchmarks.bench_edited import Doc, load_corpus, paragraphs

GRADES = (
    (5, "copied unchanged"),
    (4, "5 % edited"),
    (3, "15 % edited"),
    (2, "30 % edited"),
    (1, "reworded-like (shuffled in fours, 15 % edited)"),
    (0, "unrelated, same year"),
)
_RATES = {5: 0.0, 4: 0.05, 3: 0.15, 2: 0.30, 1: 0.15}
_WORD = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*$")
_MIN_WORDS, _MAX_WORDS = 120, 250
FIELDS = ("similarity", "distinctive_similarity", "coverage_a", "coverage_b")


@dataclass(frozen=True)
class Answer:
    """One graded answer: its source document, grade and text."""

    source: str
    grade: int
    text: str


def section(doc: Doc, rng: random.Random) -> str | None:
    """Whole sentences of 120-250 words starting at a paragraph, or None."""
    paras = paragraphs(doc.text)
    for _ in range(20):
        start = paras[rng.randrange(len(paras))][0]
        want = rng.randint(_MIN_WORDS, _MAX_WORDS)
        words = list(_WORD.finditer(doc.text, start))
        for n, m in enumerate(words[: _MAX_WORDS + 1]):
            if n + 1 >= want and _SENTENCE_END.search(m.group()):
                return doc.text[start : m.end()]
    return None


def edited(text: str, rate: float, pool: Sequence[str], rng: random.Random) -> str:
    """`text` with `rate` of its words edited: half substituted, a quarter deleted, a quarter
    followed by an inserted word (words from `pool`); the first and last words stay."""
    words = text.split()
    out: list[str] = []
    for n, word in enumerate(words):
        r = rng.random()
        inner = 0 < n < len(words) - 1
        if inner and rate / 2 <= r < 3 * rate / 4:
            continue
        out.append(rng.choice(pool) if inner and r < rate / 2 else word)
        if inner and 3 * rate / 4 <= r < rate:
            out.append(rng.choice(pool))
    return " ".join(out)


def shuffled(text: str, rng: random.Random, window: int = 4) -> str:
    """Every sentence's words shuffled within consecutive windows of `window` words."""
    out: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        words = sentence.split()
        for k in range(0, len(words), window):
            chunk = words[k : k + window]
            rng.shuffle(chunk)
            out += chunk
    return " ".join(out)


def build(docs: list[Doc], n: int, rng: random.Random) -> tuple[list[Answer], dict[str, str]]:
    """Six graded answers for each of `n` source documents, and the source texts by id."""
    by_year: dict[str, list[Doc]] = defaultdict(list)
    for d in docs:
        by_year[d.year].append(d)
    years = sorted(y for y, ds in by_year.items() if len(ds) >= 4)
    answers: list[Answer] = []
    sources: dict[str, str] = {}
    while len(sources) < n:
        src, other = rng.sample(by_year[rng.choice(years)], 2)
        if src.id in sources:
            continue
        text = section(src, rng)
        unrelated = section(other, rng)
        if text is None or unrelated is None:
            continue
        pool = [w for w in _WORD.findall(other.text) if w.isalpha()]
        sources[src.id] = src.text
        for grade, _ in GRADES:
            if grade == 0:
                answer = unrelated
            elif grade == 1:
                answer = edited(shuffled(text, rng), _RATES[grade], pool, rng)
            else:
                answer = edited(text, _RATES[grade], pool, rng)
            answers.append(Answer(src.id, grade, answer))
    return answers, sources


def main() -> None:
    """Build the graded answers from both corpora, score them, print the correlations."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=25, help="source documents per corpus")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from docdiff.engine.compare import compare_prepared
    from docdiff.engine.prepare import prepare
    from docdiff.loaders import load_text
    from docdiff.options import Options

    options = Options()
    rows = []
    by_grade: dict[int, list[float]] = defaultdict(list)
    for corpus in ("un", "dfat"):
        answers, sources = build(load_corpus(corpus), args.docs, random.Random(args.seed))
        prepared = {k: prepare(load_text(v, doc_id=k)) for k, v in sources.items()}
        scores: dict[str, list[float]] = defaultdict(list)
        t0 = time.perf_counter()
        for n, ans in enumerate(answers):
            a = prepare(load_text(ans.text, doc_id=f"answer-{n}"))
            summary = compare_prepared(a, prepared[ans.source], options).summary
            for f in FIELDS:
                scores[f].append(float(getattr(summary, f)))
            scores["3-gram containment"].append(ngram_containment(ans.text, sources[ans.source]))
            scores["difflib ratio"].append(
                difflib_ratio(ans.text, sources[ans.source], autojunk=False)
            )
            by_grade[ans.grade].append(float(summary.similarity))
        elapsed = time.perf_counter() - t0
        grades = [ans.grade for ans in answers]
        for name, values in scores.items():
            rows.append(
                [
                    corpus,
                    "docdiff" if name in FIELDS else "peer",
                    name,
                    spearman(values, grades),
                    _per_source(values, grades),
                ]
            )
        print(f"{corpus}: {len(sources)} sources, {len(answers)} answers ({elapsed:.1f} s)")
    print()
    print(table(["corpus", "tool", "score", "spearman", "mean per source"], rows, digits=4))
    print("\nsimilarity by grade, both corpora (min / median / max):")
    print(
        table(
            ["grade", "answer", "n", "min", "median", "max"],
            [
                [g, label, len(by_grade[g]), *_spread(by_grade[g])]
                for g, label in GRADES
                if by_grade[g]
            ],
        )
    )


def _per_source(values: list[float], grades: list[int]) -> float:
    """The mean over sources of the Spearman correlation among one source's answers (free of
    differences between sources, such as their lengths)."""
    k = len(GRADES)
    return statistics.mean(
        spearman(values[i : i + k], grades[i : i + k]) for i in range(0, len(values), k)
    )


def _spread(values: list[float]) -> list[float]:
    values = sorted(values)
    return [values[0], values[len(values) // 2], values[-1]]


if __name__ == "__main__":
    main()
