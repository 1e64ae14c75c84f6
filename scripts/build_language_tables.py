"""Build docdiff's genre tables from the UN General Debate corpus (CC0 upstream).

* ``docdiff/data/un_bigrams.tsv.gz`` (shipped): two-word phrases of content words found in at
  least 0.5 % of the speeches, with that share: the collocations of official speech ("human
  rights", "international community"), which general word frequencies cannot tell apart from
  rare pairs ("hostile forces");
* with ``--synonyms-out FILE`` (evaluated, not shipped): English stem -> stem of its synonym
  class, from word vectors built here: co-occurrence counts of content stems within a window,
  positive pointwise mutual information (PPMI, context distribution smoothed with exponent
  0.75), truncated SVD (randomised, fixed seed), rows normalised. Two stems join a class when
  each is among the other's nearest neighbours with a cosine above a threshold and they are
  not directly associated (collocates share contexts too); classes stay small.
  ``tests/benchmarks/bench_reworded.py --synonyms FILE`` measures what the classes add to
  paraphrase detection: too little for the false paraphrases they bring, so docdiff does not
  ship them.

Deterministic: same corpus, same numpy -> same files. Run from the repository root:

    python scripts/build_language_tables.py /path/to/un_general_debate_corpus/txt \
        [--synonyms-out /tmp/un_synonyms.tsv.gz]

(unpack ``../shared/corpora/un-general-debate.tar.gz`` outside the repository first).
"""

from __future__ import annotations

import argparse
import gzip
import io
import itertools
import pickle
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docdiff.text.lemmas import paraphrase_stems  # noqa: E402
from docdiff.text.rarity import word_weight  # noqa: E402
from docdiff.text.tokens import tokenize  # noqa: E402

F32 = npt.NDArray[np.float32]


def _speeches(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.txt"))


def main() -> None:
    """Count, factorise, write."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("txt", type=Path, help="the corpus's txt/ folder")
    parser.add_argument("--vocab", type=int, default=12_000, help="content stems kept")
    parser.add_argument("--window", type=int, default=4, help="co-occurrence window (stems)")
    parser.add_argument("--dims", type=int, default=160, help="SVD dimensions")
    parser.add_argument("--neighbours", type=int, default=3, help="mutual neighbours considered")
    parser.add_argument("--min-cosine", type=float, default=0.55, help="cosine to join a class")
    parser.add_argument("--max-direct-pmi", type=float, default=2.0, help="see _classes")
    parser.add_argument("--max-class", type=int, default=4, help="largest synonym class")
    parser.add_argument("--bigram-share", type=float, default=0.005)
    parser.add_argument("--out", type=Path, default=ROOT / "docdiff" / "data")
    parser.add_argument("--synonyms-out", type=Path, help="also build synonym classes here")
    parser.add_argument(
        "--cache", type=Path, help="pickle of the tokenized corpus (reused when it exists)"
    )
    args = parser.parse_args()

    t0 = time.perf_counter()
    paths = _speeches(args.txt)
    if args.cache is not None and args.cache.exists():
        with args.cache.open("rb") as f:
            docs, stem_count, form_of, bigram_df = pickle.load(f)  # noqa: S301 (our own file)
    else:
        docs, stem_count, form_of, bigram_df = _count(paths)
        if args.cache is not None:
            with args.cache.open("wb") as f:
                pickle.dump((docs, stem_count, form_of, bigram_df), f)
    print(f"{len(paths)} speeches tokenized in {time.perf_counter() - t0:.0f} s", flush=True)
    _write(args, paths, docs, stem_count, form_of, bigram_df, t0)


def _count(
    paths: list[Path],
) -> tuple[list[list[str]], Counter[str], dict[str, Counter[str]], Counter[str]]:
    """Content stems of every speech, stem counts, each stem's forms, bigram document counts."""
    docs: list[list[str]] = []
    stem_count: Counter[str] = Counter()
    form_of: dict[str, Counter[str]] = {}
    bigram_df: Counter[str] = Counter()
    for path in paths:
        tokens = tokenize(path.read_text(encoding="utf-8"))
        stems = paraphrase_stems(tokens.forms, tokens.keys, "en", synonyms=False)
        content = [
            i
            for i in range(len(tokens))
            if word_weight(tokens.forms[i], tokens.keys[i], "en") > 0 and tokens.forms[i].isalpha()
        ]
        seq = [stems[i] for i in content]
        docs.append(seq)
        stem_count.update(seq)
        for i in content:
            form_of.setdefault(stems[i], Counter())[tokens.forms[i]] += 1
        pairs = set()
        for i, j in itertools.pairwise(content):
            if j == i + 1:
                pairs.add(f"{tokens.forms[i]} {tokens.forms[j]}")
        bigram_df.update(pairs)
    return docs, stem_count, form_of, bigram_df


def _write(
    args: argparse.Namespace,
    paths: list[Path],
    docs: list[list[str]],
    stem_count: Counter[str],
    form_of: dict[str, Counter[str]],
    bigram_df: Counter[str],
    t0: float,
) -> None:

    args.out.mkdir(parents=True, exist_ok=True)
    n = len(paths)
    kept = sorted((df / n, pair) for pair, df in bigram_df.items() if df / n >= args.bigram_share)
    with _gzip_text(args.out / "un_bigrams.tsv.gz") as f:
        f.write("# two-word phrases in >= 0.5% of UN General Debate speeches 2000-2024 (CC0)\n")
        for share, pair in sorted(kept, key=lambda x: x[1]):
            f.write(f"{pair}\t{share:.4f}\n")
    print(f"{len(kept)} genre bigrams", flush=True)
    if args.synonyms_out is not None:
        _synonyms(args, docs, stem_count, form_of, t0)


def _synonyms(
    args: argparse.Namespace,
    docs: list[list[str]],
    stem_count: Counter[str],
    form_of: dict[str, Counter[str]],
    t0: float,
) -> None:

    vocab = [s for s, _ in sorted(stem_count.items(), key=lambda x: (-x[1], x[0]))[: args.vocab]]
    index = {s: i for i, s in enumerate(vocab)}
    v = len(vocab)
    counts = np.zeros((v, v), dtype=np.float32)
    for seq in docs:
        ids = np.array([index.get(s, -1) for s in seq], dtype=np.int64)
        for d in range(1, args.window + 1):
            a, b = ids[:-d], ids[d:]
            ok = (a >= 0) & (b >= 0)
            np.add.at(counts, (a[ok], b[ok]), 1.0 / d)
    counts += counts.T
    np.fill_diagonal(counts, 0.0)
    print(f"co-occurrences counted ({v} stems) in {time.perf_counter() - t0:.0f} s", flush=True)

    ppmi = _ppmi(counts)
    del counts
    vectors = _svd(ppmi, args.dims)
    # Words that stand next to each other ("united nations", "climate change") share their
    # contexts too; synonyms seldom co-occur: a strong direct association rules a pair out.
    associated = ppmi > args.max_direct_pmi
    del ppmi
    synonyms = _classes(
        vocab, vectors, associated, stem_count, args.neighbours, args.min_cosine, args.max_class
    )
    with _gzip_text(args.synonyms_out) as f:
        f.write("# stem\tclass stem (PPMI+SVD over UN General Debate speeches, CC0)\n")
        for stem in sorted(synonyms):
            f.write(f"{stem}\t{synonyms[stem]}\n")
    print(
        f"{len(synonyms)} stems in {len(set(synonyms.values()))} synonym classes; "
        f"{time.perf_counter() - t0:.0f} s",
        flush=True,
    )
    # A readable sample, to judge the classes by eye.
    groups: dict[str, list[str]] = {}
    for stem, rep in synonyms.items():
        groups.setdefault(rep, []).append(stem)
    for rep in sorted(groups, key=lambda r: -stem_count[r])[:60]:
        members = sorted(groups[rep], key=lambda s: -stem_count[s])
        print(" / ".join(form_of[s].most_common(1)[0][0] for s in members))


def _gzip_text(path: Path) -> io.TextIOWrapper:
    """A gzip text writer with a fixed timestamp, so that a rebuild gives the same bytes."""
    raw = gzip.GzipFile(path, "wb", mtime=0)
    return io.TextIOWrapper(raw, encoding="utf-8", newline="\n")


def _ppmi(counts: F32) -> F32:
    total = float(counts.sum())
    rows = counts.sum(axis=1, keepdims=True)
    ctx = counts.sum(axis=0, keepdims=True) ** 0.75
    ctx /= ctx.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log((counts / total) / ((rows / total) * ctx))
    pmi[~np.isfinite(pmi)] = 0.0
    np.maximum(pmi, 0.0, out=pmi)
    return pmi.astype(np.float32)


def _svd(ppmi: F32, dims: int) -> F32:
    rng = np.random.default_rng(12345)
    omega = rng.standard_normal((ppmi.shape[1], dims + 20)).astype(np.float32)
    y = ppmi @ omega
    for _ in range(2):  # power iterations sharpen the spectrum
        y = ppmi @ (ppmi.T @ y)
    q, _ = np.linalg.qr(y)
    b = q.T @ ppmi
    u_b, s, _ = np.linalg.svd(b, full_matrices=False)
    u = (q @ u_b)[:, :dims]
    # Symmetric weighting (sqrt of the singular values) works better than U*S for similarity.
    vec = u * np.sqrt(s[:dims])
    # Fix each component's sign (SVD signs are arbitrary): largest entry positive.
    flip = np.sign(vec[np.abs(vec).argmax(axis=0), np.arange(vec.shape[1])])
    vec *= flip
    norms = np.linalg.norm(vec, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vec / norms).astype(np.float32)


def _classes(
    vocab: list[str],
    vectors: F32,
    associated: npt.NDArray[np.bool_],
    count: Counter[str],
    k: int,
    min_cosine: float,
    max_class: int,
) -> dict[str, str]:
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -1.0)
    top = np.argsort(-sims, axis=1, kind="stable")[:, :k]
    near = [set(row.tolist()) for row in top]
    edges = sorted(
        (float(-sims[i, j]), i, int(j))
        for i in range(len(vocab))
        for j in top[i]
        if i < j and i in near[j] and sims[i, j] >= min_cosine and not associated[i, j]
    )
    parent = list(range(len(vocab)))
    size = [1] * len(vocab)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, i, j in edges:  # strongest links first; a class never grows past max_class
        ri, rj = find(i), find(j)
        if ri != rj and size[ri] + size[rj] <= max_class:
            parent[rj] = ri
            size[ri] += size[rj]
    members: dict[int, list[int]] = {}
    for i in range(len(vocab)):
        members.setdefault(find(i), []).append(i)
    out: dict[str, str] = {}
    for group in members.values():
        if len(group) < 2:
            continue
        rep = min((vocab[i] for i in group), key=lambda s: (-count[s], s))
        for i in group:
            out[vocab[i]] = rep
    return out


if __name__ == "__main__":
    main()
