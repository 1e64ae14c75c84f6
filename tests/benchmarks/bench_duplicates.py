"""Duplicate groups on real documents with planted republications, edited as republications are.

    python -m tests.benchmarks.bench_duplicates [--docs 400] [--corpus dfat|un] [--half held-out]

A sample of each corpus (`_corpus_samples`) gets republications of some of its documents, each
made one way:

- ``verbatim``: the same text;
- ``headline``: a new first line, the last paragraph dropped;
- ``edited``: one word in twelve replaced by another word of the text, as an edition's reprint
  differs from the first print (DFAT volume 15 prints one Security Council resolution twice,
  documents 124 and 168: 97% of either's words in the other, 74% of its distinct 5-grams);
- ``retyped``: one word in seven misspelt (a letter doubled or dropped), as a retyped or
  scanned copy;
- ``excerpt``: the first half only (a partial copy: it covers under 80% of the original, so it
  is **not** a copy and must not be grouped).

A planted copy is found when its group is its original's. The printed table gives, per way of
copying, how many were grouped by this checkout's rule (the share of each document's words
standing in a 5-gram the other holds) and by the earlier rule, the peer measured in the same run
(the share of distinct 5-grams), with the groups joining documents that were not planted
together (false groups: the corpus's own near-copies are listed to be read, as they may be real
republications).
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections.abc import Callable, Sequence

import numpy as np

from docdiff.model import Document
from tests.benchmarks._common import table
from tests.benchmarks._corpus_samples import HALVES

WAYS = ("verbatim", "headline", "edited", "retyped", "excerpt")
"""How a planted copy is made; "excerpt" is no copy."""


def _retype(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i] + word[i:] if rng.random() < 0.5 else word[:i] + word[i + 1 :]


def _every(text: str, n: int, change: Callable[[str], str]) -> str:
    count = 0

    def one(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return change(m.group(0)) if count % n == n // 2 else m.group(0)

    return re.sub(r"\w+", one, text)


def copy_of(text: str, way: str, rng: random.Random) -> str:
    """`text` republished `way`."""
    if way == "verbatim":
        return text
    if way == "headline":
        paragraphs = text.rstrip().split("\n\n")
        kept = paragraphs[:-1] if len(paragraphs) > 2 else paragraphs
        return "Republished from the archive\n\n" + "\n\n".join(kept) + "\n"
    if way == "edited":
        pool = re.findall(r"[^\W\d_]{4,}", text) or ["word"]
        return _every(text, 12, lambda _: rng.choice(pool))
    if way == "retyped":
        return _every(text, 7, lambda w: _retype(w, rng))
    if way == "excerpt":
        words = text.split(" ")
        return " ".join(words[: len(words) // 2])
    raise ValueError(way)


def _earlier_rule(hashes: Sequence[np.ndarray], ids: Sequence[str]) -> list[set[str]]:
    """The peer: copies by the share of distinct 5-grams (the rule before session 54)."""
    from docdiff.corpus import duplicates as d
    from docdiff.corpus.cluster import UnionFind
    from docdiff.index.arrays import unique_kgrams

    sets = [unique_kgrams(h, 5) for h in hashes]
    uf = UnionFind(len(sets))
    joined: set[int] = set()
    for a, b in d._candidates(sets, 20):
        if d._shared(sets[a], sets[b]) >= d.THRESHOLD:
            uf.union(a, b)
            joined |= {a, b}
    groups: dict[int, set[str]] = {}
    for i in joined:
        groups.setdefault(uf.find(i), set()).add(ids[i])
    return list(groups.values())


def run(name: str, half: str, n_docs: int, seed: int = 7) -> list[list[object]]:
    from docdiff.corpus.duplicates import duplicate_groups
    from docdiff.index.arrays import doc_tokens
    from tests.benchmarks._corpus_samples import sample

    rng = random.Random(seed)
    docs = [d for d in sample(name, half, n_docs) if len(d.text.split()) >= 150]
    originals = rng.sample(docs, min(len(docs) // 4, 20 * len(WAYS)))
    planted: dict[str, tuple[str, str]] = {}  # copy id -> (original id, way)
    copies: list[Document] = []
    for n, original in enumerate(originals):
        way = WAYS[n % len(WAYS)]
        copy_id = f"copy/{way}/{original.id}"
        planted[copy_id] = (original.id, way)
        text = copy_of(original.text, way, rng)
        copies.append(Document(id=copy_id, path="", format="txt", text=text, meta={}))
    corpus = docs + copies
    ids = [d.id for d in corpus]
    hashes = [doc_tokens(d.text).hashes for d in corpus]
    started = time.perf_counter()
    ours = [set(g.members) for g in duplicate_groups(hashes, ids, [{} for _ in corpus], k=5)]
    seconds = time.perf_counter() - started
    peer = _earlier_rule(hashes, ids)
    rows: list[list[object]] = []
    print(f"\n== {name} {half}: {len(docs)} documents + {len(copies)} planted copies")
    for rule, groups in (("this checkout", ours), ("earlier rule (distinct 5-grams)", peer)):
        group_of = {m: i for i, g in enumerate(groups) for m in g}
        false = [g for g in groups if not _planted_together(g, planted)]
        for way in WAYS:
            made = [c for c, (_, w) in planted.items() if w == way]
            found = sum(
                1 for c in made if c in group_of and group_of.get(planted[c][0]) == group_of[c]
            )
            rows.append([name, rule, way, len(made), found])
        rows.append([name, rule, "groups not planted", "", len(false)])
        if rule == "this checkout":
            for g in false[:6]:
                print("  not planted, grouped:", " | ".join(sorted(g)))
    print(f"  this checkout's grouping: {seconds:.2f} s")
    return rows


def _planted_together(group: set[str], planted: dict[str, tuple[str, str]]) -> bool:
    roots = {planted[m][0] if m in planted else m for m in group}
    return len(roots) == 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--corpus", choices=("dfat", "un"), action="append")
    parser.add_argument("--half", choices=HALVES, default="held-out")
    args = parser.parse_args()
    rows = [r for name in args.corpus or ["dfat", "un"] for r in run(name, args.half, args.docs)]
    print()
    print(
        table(
            ["corpus", "rule", "planted as", "planted", "grouped with its original"],
            rows,
        )
    )
    print("(an excerpt covers half its original: grouping it would be wrong)")


if __name__ == "__main__":
    main()
