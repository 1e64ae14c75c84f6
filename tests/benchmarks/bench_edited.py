"""Edited copies: sections of real documents copied into others and edited as a drafter would.

Built from ``../shared/corpora`` (UN General Debate speeches or DFAT documents), never from text
written here. For each suspicious document, one to three sections (50-250 words, whole
sentences) are taken from one or two source documents of the same year and pasted as paragraphs
into a host document of that year, between two of its paragraphs. Each copied section is edited
inside: about 6 % of its words substituted (by words of the host), 3 % deleted, 3 % words
inserted, and one clause of 6-12 words from a third document inserted mid-section. When two
sections come from one source they are pasted in the opposite order (a move). The true character
offsets of every edited section and of its source are kept.

Documents of one year often share wording before anything is planted: DFAT footnotes name the
same officials and cite the same archive files, UN speeches congratulate the same President.
A detection of that wording is right, yet PAN would count it as false. So a suspicious document
is kept only when, outside its planted sections, it shares no run of six words (the default
passage size) with any document it is compared with; the test is plain word n-grams, not
docdiff. ``--keep-shared`` keeps them all (the first construction, for comparison).

Each suspicious document is compared with its sources and with two unrelated documents of the
same year (their detections count against precision), with docdiff's **default** settings.
Scored with the PAN measures (Potthast et al. 2010): macro and micro precision and recall,
granularity and plagdet. Printed beside it in the same run: difflib's word-level matching
blocks (3 words or more) on the same pairs.

Run from the repository root:
``python -m tests.benchmarks.bench_edited [--corpus un|dfat] [--docs N] [--seed S]
[--keep-shared]``.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import random
import re
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from tests.benchmarks._common import table
from tests.benchmarks.bench_pan import Annotation, pan_measures, pan_micro, plagdet

_WORD = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*$")
_MIN_SECTION, _MAX_SECTION = 50, 250


@dataclass(frozen=True)
class Doc:
    """A corpus document: id, year and text."""

    id: str
    year: str
    text: str


def load_corpus(name: str) -> list[Doc]:
    """Documents of the UN General Debate or DFAT corpus with a year and 400-6000 words."""
    from tests.benchmarks._corpus_data import corpus_dir

    folder = corpus_dir("un_general_debate_corpus" if name == "un" else "dfat_historical_documents")
    docs = []
    with (folder / "metadata.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            year = row.get("year") or (row.get("doc_date") or "")[:4]
            words = int(row.get("n_words") or 0)
            if not year or not 400 <= words <= 6000:
                continue
            path = folder / row["path"]
            docs.append(Doc(row["path"], year, path.read_text(encoding="utf-8", errors="replace")))
    return docs


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Character ranges of the paragraphs (blank-line separated; single lines when none)."""
    parts = [
        (m.start(), m.end()) for m in re.finditer(r"\S(?:.*?\S)?(?=\s*\n\s*\n|\s*$)", text, re.S)
    ]
    if len(parts) < 4:
        parts = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]
    return parts


def pick_section(doc: Doc, rng: random.Random) -> tuple[int, int] | None:
    """A stretch of whole sentences of 50-250 words starting at a paragraph."""
    paras = paragraphs(doc.text)
    if len(paras) < 3:
        return None
    for _ in range(20):
        k = rng.randrange(1, len(paras) - 1)
        start = paras[k][0]
        while doc.text[start].isspace():  # a line's leading blanks (the first word must stay)
            start += 1
        want = rng.randint(_MIN_SECTION, _MAX_SECTION)
        words = list(_WORD.finditer(doc.text, start))
        end = None
        for n, m in enumerate(words):
            if n + 1 >= want and _SENTENCE_END.search(m.group()):
                end = m.end()
                break
            if n + 1 > _MAX_SECTION:
                break
        if end is not None and len(_WORD.findall(doc.text[start:end])) >= _MIN_SECTION:
            return start, end
    return None


def edit(section: str, pool: Sequence[str], clause: str, rng: random.Random) -> str:
    """The section edited: ~6 % substitutions, 3 % deletions, 3 % insertions, one clause."""
    parts = re.split(r"(\s+)", section)
    words = parts[0::2]
    seps = [*parts[1::2], ""]
    out: list[str] = []
    middle = rng.randrange(len(words) // 3, 2 * len(words) // 3)
    for n, (word, sep) in enumerate(zip(words, seps, strict=True)):
        r = rng.random()
        # The first and last words stay, so the case's true edges are the section's.
        inner = 0 < n < len(words) - 1
        if inner and 0.06 <= r < 0.09:
            continue
        out.append(rng.choice(pool) if inner and r < 0.06 else word)
        if inner and 0.09 <= r < 0.12:
            out.append(" " + rng.choice(pool))
        if n == middle:
            out.append(", " + clause + ",")
        out.append(sep)
    return "".join(out)


@dataclass
class Built:
    """The suspicious documents, the sources, the cases and the pairs to compare."""

    texts: dict[str, str]
    cases: list[Annotation]
    pairs: list[tuple[str, str]]


def build(docs: list[Doc], n_susp: int, rng: random.Random, *, keep_shared: bool = False) -> Built:
    """Plant edited sections into `n_susp` host documents (see the module docstring).

    A suspicious document is kept only when, outside its planted sections, it shares no run of
    `_SHARED_RUN` words with any document it is compared with (unless `keep_shared`): wording
    the originals already had in common is not a case, and a correct detection of it would
    count as a false one.
    """
    grams: dict[str, set[tuple[str, ...]]] = {}
    by_year: dict[str, list[Doc]] = defaultdict(list)
    for d in docs:
        by_year[d.year].append(d)
    years = sorted(y for y, ds in by_year.items() if len(ds) >= 8)
    texts: dict[str, str] = {}
    cases: list[Annotation] = []
    pairs: list[tuple[str, str]] = []
    made = 0
    while made < n_susp:
        year = rng.choice(years)
        host, src1, src2, other, d1, d2 = rng.sample(by_year[year], 6)
        sources = [src1] if rng.random() < 0.4 else [src1, src2]
        planted: list[tuple[Doc, tuple[int, int]]] = []
        for src in sources:
            for _ in range(2 if len(sources) == 1 else 1):
                sec = pick_section(src, rng)
                if sec and all(
                    s is not src or sec[1] <= t[0] or t[1] <= sec[0] for s, t in planted
                ):
                    planted.append((src, sec))
        if not planted:
            continue
        if len(sources) == 1 and len(planted) == 2:
            planted.sort(key=lambda p: -p[1][0])  # pasted in the opposite order: a move
        host_paras = paragraphs(host.text)
        if len(host_paras) < len(planted) + 2:
            continue
        slots = sorted(rng.sample(range(1, len(host_paras)), len(planted)))
        pool = [w for w in _WORD.findall(host.text) if w.isalpha()]
        other_words = _WORD.findall(other.text)
        susp_id = f"susp-{made:03d}"
        pieces: list[str] = []
        pos = 0
        susp_cases = []
        cursor = 0
        for (src, (t0, t1)), slot in zip(planted, slots, strict=True):
            cut = host_paras[slot][0]
            pieces.append(host.text[cursor:cut])
            pos += cut - cursor
            cursor = cut
            k = rng.randrange(0, max(1, len(other_words) - 12))
            clause = " ".join(other_words[k : k + rng.randint(6, 12)]).strip(".,;:")
            edited = edit(src.text[t0:t1], pool, clause, rng)
            pieces.append(edited + "\n\n")
            susp_cases.append(Annotation(susp_id, src.id, pos, pos + len(edited), t0, t1, "edited"))
            pos += len(edited) + 2
        pieces.append(host.text[cursor:])
        susp_text = "".join(pieces)
        for c in susp_cases:
            assert (
                susp_text[c.s0 : c.s1].split()[0] == texts_of(docs, c.src)[c.t0 : c.t1].split()[0]
            )
        compared = [*{src.id: src for src, _ in planted}.values(), d1, d2]
        if not keep_shared and any(
            shares_text(susp_text, [c for c in susp_cases if c.src == d.id], d, grams)
            for d in compared
        ):
            continue  # the originals already share wording: not a clean case
        texts[susp_id] = susp_text
        cases += susp_cases
        for d in compared:
            texts[d.id] = d.text
            pairs.append((susp_id, d.id))
        made += 1
    return Built(texts, cases, pairs)


_SHARED_RUN = 6
"""A run of this many words found in both texts of a pair outside the planted sections is
wording the originals already share (a footnote name, an archive reference, a congratulation
formula): the default passage size, so any such run could be reported as a passage."""
_GRAM_WORD = re.compile(r"\w+")


def word_grams(text: str, n: int = _SHARED_RUN) -> set[tuple[str, ...]]:
    """The lower-cased word n-grams of a text (words: runs of letters and digits)."""
    words = [w.lower() for w in _GRAM_WORD.findall(text)]
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def shares_text(
    susp: str, cases: list[Annotation], doc: Doc, cache: dict[str, set[tuple[str, ...]]]
) -> bool:
    """True when the suspicious text, outside the sections planted from `doc`, shares a run of
    `_SHARED_RUN` words with `doc`: text the two already had in common before planting."""
    if doc.id not in cache:
        cache[doc.id] = word_grams(doc.text)
    theirs = cache[doc.id]
    edges = [0, *(x for c in sorted(cases, key=lambda c: c.s0) for x in (c.s0, c.s1)), len(susp)]
    return any(
        not theirs.isdisjoint(word_grams(susp[s0:s1]))
        for s0, s1 in zip(edges[0::2], edges[1::2], strict=True)
    )


def texts_of(docs: list[Doc], doc_id: str) -> str:
    """The text of a corpus document by id."""
    for d in docs:
        if d.id == doc_id:
            return d.text
    raise KeyError(doc_id)


def difflib_blocks(susp: str, src: str, min_words: int = 3) -> list[tuple[int, int, int, int]]:
    """difflib's word-level matching blocks of `min_words` or more, as character ranges."""
    wa = list(_WORD.finditer(susp))
    wb = list(_WORD.finditer(src))
    sm = difflib.SequenceMatcher(
        None, [m.group().lower() for m in wa], [m.group().lower() for m in wb], autojunk=False
    )
    out = []
    for i, j, n in sm.get_matching_blocks():
        if n >= min_words:
            out.append((wa[i].start(), wa[i + n - 1].end(), wb[j].start(), wb[j + n - 1].end()))
    return out


def score(name: str, cases: list[Annotation], dets: list[Annotation]) -> list[object]:
    """One table row: macro and micro PAN measures."""
    macro = pan_measures(cases, dets)
    p_mi, r_mi = pan_micro(cases, dets)
    return [
        name,
        len(dets),
        macro.precision,
        macro.recall,
        p_mi,
        r_mi,
        macro.granularity,
        macro.plagdet,
        plagdet(p_mi, r_mi, macro.granularity),
    ]


def main() -> None:
    """Build the edited copies, run docdiff (defaults) and difflib, print the PAN measures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=("un", "dfat"), default="un")
    parser.add_argument("--docs", type=int, default=40, help="suspicious documents to build")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=3, help="worst cases to list")
    parser.add_argument("--passage-words", type=int, help="docdiff's passage size (tuning only)")
    parser.add_argument(
        "--keep-shared",
        action="store_true",
        help="also keep documents that share wording before planting (the first construction)",
    )
    args = parser.parse_args()

    from docdiff.engine.compare import compare_prepared
    from docdiff.engine.prepare import prepare
    from docdiff.loaders import load_text
    from docdiff.options import Options

    rng = random.Random(args.seed)
    docs = load_corpus(args.corpus)
    built = build(docs, args.docs, rng, keep_shared=args.keep_shared)
    options = Options()
    if args.passage_words:
        options = options.with_changes(passage_words=args.passage_words)
    prepared = {}
    t0 = time.perf_counter()
    dets: list[Annotation] = []
    for susp, src in built.pairs:
        for name in (susp, src):
            if name not in prepared:
                prepared[name] = prepare(load_text(built.texts[name], doc_id=name))
        result = compare_prepared(prepared[susp], prepared[src], options)
        dets += [
            Annotation(
                susp, src, m.a.span.start, m.a.span.end, m.b.span.start, m.b.span.end, m.kind
            )
            for m in result.matches
        ]
    elapsed = time.perf_counter() - t0
    t1 = time.perf_counter()
    peer = [
        Annotation(susp, src, *block)
        for susp, src in built.pairs
        for block in difflib_blocks(built.texts[susp], built.texts[src])
    ]
    peer_elapsed = time.perf_counter() - t1
    print(
        f"edited copies from {args.corpus}: {args.docs} suspicious documents, "
        f"{len(built.cases)} cases, {len(built.pairs)} pairs (sources + 2 unrelated each); "
        f"docdiff defaults {elapsed:.1f} s, difflib {peer_elapsed:.1f} s\n"
    )
    headers = [
        "system", "dets", "P macro", "R macro", "P micro", "R micro", "gran",
        "plagdet macro", "plagdet micro",
    ]  # fmt: skip
    sources = {(c.susp, c.src) for c in built.cases}
    reuse = {"phrasing", "paraphrase", "quotation"}
    rows = []
    for label, everywhere in (("source pairs", False), ("+ unrelated", True)):
        mine = [d for d in dets if everywhere or (d.susp, d.src) in sources]
        rows += [
            score(f"docdiff all kinds, {label}", built.cases, mine),
            score(
                f"docdiff reuse kinds, {label}",
                built.cases,
                [d for d in mine if d.kind in reuse],
            ),
            score(
                f"difflib, {label}",
                built.cases,
                [d for d in peer if everywhere or (d.susp, d.src) in sources],
            ),
        ]
    print(table(headers, rows, digits=4))
    print(
        "(source pairs: each suspicious document with its sources, the PAN setting; + unrelated:"
        " also with two unrelated documents of its year. Reuse kinds: phrasing, paraphrase and "
        "quotation passages, leaving out formulae and names, as a plagiarism check reads them.)"
    )
    print("\ntargets (docdiff defaults): plagdet >= 0.95 micro and macro, granularity <= 1.05")
    false = [d for d in dets if not any(d.detects(c) for c in built.cases)]
    on_sources = [d for d in false if (d.susp, d.src) in sources]
    print(f"\ndocdiff detections detecting no case on source pairs: {len(on_sources)}")
    for d in on_sources[:12]:
        text = " ".join(built.texts[d.susp][d.s0 : d.s1].split())
        print(f"  {d.kind}: {text[:110]}")
    print(
        f"\ndocdiff detections detecting no case: {len(false)}; by kind: "
        + ", ".join(
            f"{k}={sum(1 for d in false if d.kind == k)}" for k in sorted({d.kind for d in false})
        )
    )
    _show(built, dets, args.show)


def _show(built: Built, dets: list[Annotation], n: int) -> None:
    rows = []
    for c in built.cases:
        hits = [d for d in dets if d.detects(c)]
        rows.append((len(hits) != 1, len(hits), c, hits))
    rows.sort(key=lambda r: (-r[0], -r[1]))
    for _, count, c, hits in rows[:n]:
        print(f"\n{c.susp} [{c.s0}:{c.s1}] <- {c.src} [{c.t0}:{c.t1}]: {count} detections")
        for d in hits:
            text = built.texts[c.susp][d.s0 : d.s1]
            print(f"  [{d.s0}:{d.s1}] {d.kind}: {' '.join(text.split())[:100]}")


if __name__ == "__main__":
    main()
