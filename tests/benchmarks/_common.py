"""Shared helpers for the benchmark scripts: paths, statistics, timing, tables and the peers."""

from __future__ import annotations

import difflib
import math
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
CACHE = Path(os.environ.get("DOCDIFF_BENCH_CACHE", Path(tempfile.gettempdir()) / "docdiff-bench"))

_PEER_WORD = re.compile(r"\w+")

# NLTK's English stopword list (179 words), which text-matcher expects to find under NLTK_DATA.
NLTK_ENGLISH_STOPWORDS = """
i me my myself we our ours ourselves you you're you've you'll you'd your yours yourself
yourselves he him his himself she she's her hers herself it it's its itself they them their
theirs themselves what which who whom this that that'll these those am is are was were be been
being have has had having do does did doing a an the and but if or because as until while of at
by for with about against between into through during before after above below to from up down
in out on off over under again further then once here there when where why how all any both
each few more most other some such no nor not only own same so than too very s t can will just
don don't should should've now d ll m o re ve y ain aren aren't couldn couldn't didn didn't doesn
doesn't hadn hadn't hasn hasn't haven haven't isn isn't ma mightn mightn't mustn mustn't needn
needn't shan shan't shouldn shouldn't wasn wasn't weren weren't won won't wouldn wouldn't
""".split()


def shared_path(*parts: str) -> Path:
    """A path under ../shared; exits with a clear message when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        sys.exit(f"benchmark needs {path} (the shared corpora beside the checkout); it is absent")
    return path


def un_speeches() -> Path:
    """The UN General Debate txt folder: the one every benchmark indexes and reads
    (`_corpus_data.corpus_dir`, unpacked into $DOCDIFF_CORPORA on first use)."""
    from tests.benchmarks._corpus_data import corpus_dir

    return corpus_dir("un_general_debate_corpus") / "txt"


def take_words(paths: Sequence[Path], n: int) -> str:
    """The first `n` whitespace-separated words of the files joined, layout kept."""
    parts: list[str] = []
    count = 0
    for p in paths:
        text = p.read_text(encoding="utf-8", errors="replace").strip()
        parts.append(text)
        count += len(text.split())
        if count >= n:
            break
    text = "\n\n".join(parts)
    ends = [m.end() for m in re.finditer(r"\S+", text)]
    return text[: ends[min(n, len(ends)) - 1]]


def average_ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks of `values`, ties sharing their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        rank = (i + j) / 2 + 1
        for k in range(i, j + 1):
            ranks[order[k]] = rank
        i = j + 1
    return ranks


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    """Pearson correlation; 0 when either side is constant."""
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return 0.0
    return sxy / math.sqrt(sxx * syy)


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman rank correlation (Pearson on average ranks, so ties are handled)."""
    return pearson(average_ranks(x), average_ranks(y))


def roc_auc(scores: Sequence[float], positive: Sequence[bool]) -> float:
    """ROC AUC as the Mann-Whitney probability that a positive outscores a negative (ties 1/2)."""
    ranks = average_ranks(scores)
    n_pos = sum(positive)
    n_neg = len(positive) - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    rank_sum = sum(r for r, p in zip(ranks, positive, strict=True) if p)
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def median_time(fn: Callable[[], object], *, runs: int, warmup: int = 1) -> float:
    """Median wall time of `fn` in seconds over `runs` calls, after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], digits: int = 3) -> str:
    """A plain fixed-width text table, floats with `digits` decimals."""
    cells = [[_cell(v, digits) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(lines)


def _cell(value: object, digits: int = 3) -> str:
    if isinstance(value, float):
        return "nan" if math.isnan(value) else f"{value:.{digits}f}"
    return str(value)


def peer_words(text: str) -> list[str]:
    """Lower-cased word tokens, the way a simple peer sees a text."""
    return _PEER_WORD.findall(text.lower())


def ngram_containment(a: str, b: str, n: int = 3) -> float:
    """Share of `a`'s word n-grams that also occur in `b` (0-100)."""
    wa, wb = peer_words(a), peer_words(b)
    ga = {tuple(wa[i : i + n]) for i in range(len(wa) - n + 1)}
    gb = {tuple(wb[i : i + n]) for i in range(len(wb) - n + 1)}
    return 100.0 * len(ga & gb) / len(ga) if ga else 0.0


def difflib_ratio(a: str, b: str, *, autojunk: bool = False) -> float:
    """difflib.SequenceMatcher ratio over word lists (0-100)."""
    return (
        100.0
        * difflib.SequenceMatcher(None, peer_words(a), peer_words(b), autojunk=autojunk).ratio()
    )


def nltk_data_dir() -> Path:
    """A folder with NLTK's English stopwords, for text-matcher (NLTK cannot download here)."""
    folder = CACHE / "nltk_data"
    words = folder / "corpora" / "stopwords" / "english"
    if not words.exists():
        words.parent.mkdir(parents=True, exist_ok=True)
        words.write_text("\n".join(NLTK_ENGLISH_STOPWORDS) + "\n", encoding="utf-8")
    return folder


def text_matcher_available() -> bool:
    """True when text-matcher (the `bench` extra) imports, with its stopwords provided."""
    os.environ.setdefault("NLTK_DATA", str(nltk_data_dir()))
    try:
        from text_matcher.matcher import Matcher, Text  # noqa: F401
    except ImportError:
        return False
    return True


def text_matcher_spans(a: str, b: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """text-matcher's matched character spans in `a` and `b`, its default settings, output muted."""
    import contextlib
    import io

    from text_matcher.matcher import Matcher, Text

    with contextlib.redirect_stdout(io.StringIO()):
        matcher = Matcher(Text(a, "A"), Text(b, "B"))
        matcher.match()
    return list(matcher.locationsA), list(matcher.locationsB)
