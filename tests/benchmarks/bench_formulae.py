"""Formula mining against hand-built gold lists (DFAT and UN), on a development and a held-out half.

    python -m tests.benchmarks.bench_formulae [--docs 800] [--corpus dfat|un] [--half dev|held-out]

The gold lists (tests/benchmarks/data/gold_formulae_*.tsv) were written by reading documents, not
from the miner's output. A mined template matches a gold formula when their fixed words (slots
count as one word each) share a common subsequence of at least 60% of each, with at least one
real word; precision is over the
top 30 mined templates, recall over the gold formulae that the sample holds (in as many documents
as the miner's threshold, by a loose regular expression) against everything mined (``--limit``);
"recall (whole list)" counts every gold formula.
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from tests.benchmarks._common import table

DATA = Path(__file__).parent / "data"


def gold(name: str) -> list[tuple[str, str]]:
    """(kind, template) rows of a gold list."""
    rows = []
    for line in (DATA / f"gold_formulae_{name}.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, template = line.split("\t", 1)
            rows.append((kind, template.strip()))
    return rows


def words(template: str) -> list[str]:
    """A template's fixed words in lower case, every slot as ``{}``."""
    marked = re.sub(r"\{[^{}]*\}", " {} ", template)
    return re.findall(r"\{\}|[^\W_]+(?:'[^\W_]+)*", marked.lower().replace("\u2019", "'"))


def _lcs(a: list[str], b: list[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def matches(mined: str, gold_template: str) -> bool:
    """True when the two templates share 60% of each one's words, in order (slots included)."""
    a, b = words(mined), words(gold_template)
    real_a = [w for w in a if w != "{}"]
    real_b = [w for w in b if w != "{}"]
    if not real_a or not real_b or not _lcs(real_a, real_b):
        return False
    common = _lcs(a, b)
    return common >= 0.6 * len(a) and common >= 0.6 * len(b)


def gold_regex(template: str) -> re.Pattern[str]:
    """A loose regular expression for a gold template, to see whether a sample holds it."""
    parts = []
    for piece in re.split(r"(\{[^{}]*\})", template):
        if piece.startswith("{"):
            parts.append(r".{1,60}?")
        else:
            parts.append(r"\s*".join(re.escape(w) for w in piece.split()))
    return re.compile(r"\s*".join(p for p in parts if p), re.IGNORECASE | re.DOTALL)


def evaluate(
    mined: list[str], gold_rows: list[tuple[str, str]], present: list[bool], top: int = 30
) -> dict[str, object]:
    """Precision of the top `top` mined templates; recall of the gold formulae `present`."""
    hits = [any(matches(m, g) for _, g in gold_rows) for m in mined[:top]]
    found = [any(matches(m, g) for m in mined) for _, g in gold_rows]
    kept = [f for f, p in zip(found, present, strict=True) if p]
    return {
        "precision": sum(hits) / max(1, len(hits)),
        "recall": sum(kept) / max(1, len(kept)),
        "recall_all": sum(found) / max(1, len(found)),
        "hits": hits,
        "found": found,
        "present": present,
    }


def run(name: str, half: str, n_docs: int, limit: int) -> dict[str, object]:
    """Mine one half of a corpus and score it; prints the top 30 with their verdicts."""
    from docdiff.corpus.formulae import formulae_report
    from tests.benchmarks._corpus_samples import sample

    docs = sample(name, half, n_docs)
    started = time.perf_counter()
    report = formulae_report(docs, limit=limit)
    seconds = time.perf_counter() - started
    mined = [f.template for f in report.formulae]
    rows = gold(name)
    min_df = max(3, -(-len(docs) * 5 // 1000))
    present = [sum(1 for d in docs if gold_regex(g).search(d.text)) >= min_df for _, g in rows]
    score = evaluate(mined, rows, present)
    print(f"\n== {name} {half}: {len(docs)} documents, {len(mined)} templates, {seconds:.1f} s")
    hits = score["hits"]
    assert isinstance(hits, list)
    for i, f in enumerate(report.formulae[:30]):
        mark = "+" if hits[i] else "-"
        print(f"  {mark} {i + 1:>2}. {f.template}  ({f.doc_freq} docs)")
    found = score["found"]
    assert isinstance(found, list)
    missed = [g for (_, g), ok, p in zip(rows, found, present, strict=True) if p and not ok]
    absent = [g for (_, g), p in zip(rows, present, strict=True) if not p]
    print(f"  gold missed ({len(missed)}): " + " | ".join(missed))
    print(f"  gold absent from this sample ({len(absent)}): " + " | ".join(absent))
    return {"corpus": name, "half": half, "seconds": seconds, **score}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=800)
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--corpus", choices=("dfat", "un"), action="append")
    parser.add_argument("--half", choices=("dev", "held-out"), action="append")
    args = parser.parse_args()
    results = [
        run(name, half, args.docs, args.limit)
        for name in args.corpus or ["dfat", "un"]
        for half in args.half or ["dev", "held-out"]
    ]
    print()
    print(
        table(
            ["corpus", "half", "precision@30", "recall", "recall (whole list)", "seconds"],
            [
                [
                    r["corpus"],
                    r["half"],
                    f"{r['precision']:.2f}",
                    f"{r['recall']:.2f}",
                    f"{r['recall_all']:.2f}",
                    f"{r['seconds']:.1f}",
                ]
                for r in results
            ],
        )
    )


if __name__ == "__main__":
    main()
