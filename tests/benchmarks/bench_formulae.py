"""Formula mining against hand-built gold lists (DFAT and UN), on a development half, a held-out
half and a fresh sample.

    python -m tests.benchmarks.bench_formulae [--docs 800] [--corpus dfat|un]
        [--half dev|dev2|held-out|fresh|unseen|late|final|dev3|rest|dev4]
        [--baseline /path/to/an/older/formulae.py] [--no-lexicon]

``fresh`` is a third sample: documents of the held-out range outside the held-out sample, which
earlier rounds read after tuning; ``unseen`` a fourth, outside both, which no round had read
when it was added; ``dev3`` and ``rest`` the documents of each range outside every sample
before them, which no round had read when they were added (see `_corpus_samples`); ``dev4``
(session 49) the development range outside ``dev``, ``dev2`` and ``dev3``.

The gold lists (tests/benchmarks/data/gold_formulae_*.tsv) were written by reading documents, not
from the miner's output, and are not edited to fit it. A mined template matches a gold formula
as `matches` says: both are read as an analyst reads a formula (a title before a slot belongs to
the name, a possessive determiner is one word whoever it points at, words are lemmas), then their
literal words must largely coincide in order, or the mined template must be a part of the gold
formula. Precision is over the top 30 mined templates, recall over the gold formulae that the
sample holds (in as many documents as the miner's threshold, by a loose regular expression)
against everything mined (``--limit``); "recall (whole list)" counts every gold formula. The
previous round's rule (surface words) is printed beside it. A template is also read with each of
its ``{name}`` slots filled by the fillers the report shows for it (`readings`): a gold list that
spells a place ("Cablegram {number} CANBERRA, {date}", "London, {date}") is recalled by the one
dateline template that masks the place as a name, as the issue asks the miner to; a
``{symbol}`` slot is read with the shapes of the document symbols shown for it ("(see {symbol})"
showing A/60/PV.4 reads "(see A/{number}/PV.{number})"). "both, name slots unfilled" prints the
figures without these readings (no slot filled), comparable with earlier rounds.

A listed formula may show other wordings under it (`Formula.variants`: "I am, Yours sincerely,"
under "Yours sincerely,"), ranked as one entry. A gold formula is recalled when any wording an
entry shows matches it, since the analyst sees every one of them; the gold lists count close
wordings apart, and a miner that gives each its own rank spends the ``--limit`` on a few
formulae. Precision stays judged on each entry's own template (the top 30 entries), and
``--limit`` counts entries. Miners older than the variants (``--baseline``) list none.
"both, own templates" prints recall when only each entry's own template counts, no credit
through the wordings under it: a miner that lists unrelated formulae under one entry gains
recall through them and loses it here (but so does one that rightly lists as one formula
wordings that the gold lists count apart: read both).

Whether a sample holds a gold formula is asked loosely (`gold_regex`: any case, a slot is any
text), which counts "Received {date}" as held wherever "received" occurs and "MOST IMMEDIATE"
wherever a text says "most immediate". "both, held as written" asks the sample to hold each
formula as written (`written_regex`: its words in their case, its slots of their type) in as
many documents, and prints recall over those, with how many formulae each test finds held.

A second gold list per corpus (gold_formulae_*_reread.tsv) was written later by another
annotator, blind to the miner, its output and the first list, from a seeded reading sample and
whole-corpus counts. Each half is also scored against it and against both lists together (a
mined template is right when either list holds it; recall is over every formula of both).

The miner lists the formulae its lexicon knows on their spread alone (`docdiff/data/formulae.txt`,
written for ``compare`` from the genre's conventions; its two Charter preamble phrases were added
in round 32, after the UN gold misses had been read). ``--no-lexicon`` also mines each sample with
an empty lexicon (miner "no lexicon"), so the share of the figures owed to that prior knowledge
shows beside them.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tests.benchmarks._common import table
from tests.benchmarks._corpus_samples import HALVES

if TYPE_CHECKING:
    from docdiff.model import Formula, Report

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


_TITLE_BEFORE_SLOT = re.compile(
    r"\b(?:(?:his|her|your)\s+(?:excellency|majesty|highness)\s+)?"
    r"(?:(?:mr|mrs|ms|dr|sir|madam|excellency)\.?\s+)?(?=\{)",
    re.IGNORECASE,
)
_POSSESSIVES = frozenset("my our your his her its their".split())
_PRONOUNS = frozenset("i me we us you he him she it they them".split())


def normalised_words(template: str) -> list[str]:
    """`words`, read as an analyst reads a formula: a title before a slot belongs to the name it
    introduces ("his predecessor, Mr. {name}" is "his predecessor, {name}"), a possessive
    determiner is one word whoever it points at ("on your election" is "on his election"), and
    words other than personal pronouns are lemmas ("Following are" is "Following is"; "me" stays
    "me", so "Allow me to" is not "I wish to")."""
    import simplemma

    out = []
    for w in words(_TITLE_BEFORE_SLOT.sub("", template)):
        if w in _POSSESSIVES:
            out.append("<poss>")
        elif w == "{}" or w in _PRONOUNS:
            out.append(w)  # "me" stays "me": "Allow me to" is not "I wish to"
        else:
            out.append(simplemma.lemmatize(w, lang="en"))
    return out


def _lcs(a: list[str], b: list[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def _as_pattern(tokens: list[str]) -> re.Pattern[str]:
    """A mined template as a pattern over a gold template's words: a slot is 1-6 words."""
    parts = [r"\S+(?: \S+){0,5}" if t == "{}" else re.escape(t) for t in tokens]
    return re.compile(r"(?:^| )" + " ".join(parts) + r"(?: |$)")


def matches(mined: str, gold_template: str) -> bool:
    """`matches_words` on the normalised words (titles, possessives, lemmas). A gold formula
    that is a title before a slot and nothing else ("His Excellency {name}", a style of
    address) reads as a bare slot there, which no template matches: it is matched on its
    surface words (`matches_round4`), which a vocative ("Your Excellencies,") does not share."""
    gold = normalised_words(gold_template)
    if all(w == "{}" for w in gold):
        return matches_round4(mined, gold_template)
    return matches_words(normalised_words(mined), gold)


def matches_round4(mined: str, gold_template: str) -> bool:
    """The rule of the previous round (surface words), kept for comparison."""
    return matches_words(words(mined), words(gold_template))


def matches_words(a: list[str], b: list[str]) -> bool:
    """True when a mined template is the gold formula, possibly with some context or slots.

    Either the literal words they share in order are 60% of the gold formula's and half of the
    mined template's ("Thank you very much." is "Thank you."; "I would also like to take this
    opportunity to {…}" is "I take this opportunity to {…}"), or the mined template, read as a
    pattern whose slots stand for 1-6 words, occurs in the gold formula and spells three words
    or half of its literal words ("On behalf of the {…} of {…}" is "On behalf of the Government
    and the people of {…}"). Slots never count as shared words, so "I am confident that {…}" is
    not "I am pleased to {…}".
    """
    real_a = [w for w in a if w != "{}"]
    real_b = [w for w in b if w != "{}"]
    if len(real_a) < 1 or not real_b:
        return False
    common = _lcs(real_a, real_b)
    if common >= 0.6 * len(real_b) and common >= 0.5 * len(real_a):
        return True
    literal_in_pattern = len(real_a) >= 3 or (len(real_a) >= 2 and len(real_a) >= 0.5 * len(real_b))
    return literal_in_pattern and bool(_as_pattern(a).search(" ".join(b)))


_ANY = r".{1,60}?"
"""An open slot of a gold template: some text."""


def gold_regex(template: str) -> re.Pattern[str]:
    """A loose regular expression for a gold template, to see whether a sample holds it."""
    parts = []
    for piece in re.split(r"(\{[^{}]*\})", template):
        if piece.startswith("{"):
            parts.append(_ANY)
        elif piece.split():
            parts.append(r"\s*".join(re.escape(w) for w in piece.split()))
    return _compiled(parts, re.IGNORECASE | re.DOTALL)


def _compiled(parts: list[str], flags: int) -> re.Pattern[str]:
    """The parts of a gold template's pattern, joined. A slot at either end only asks for some
    text there: as a look-around it means the same and the search starts from the literal words
    (a leading lazy slot tried every position, which took minutes on a sample of long
    speeches)."""
    lead = next((n for n, p in enumerate(parts) if p != _ANY), len(parts))
    trail = next((n for n, p in enumerate(reversed(parts)) if p != _ANY), len(parts))
    core = r"\s*".join(parts[lead : len(parts) - trail])
    if not core:
        core = r"\s*".join(parts)
        lead = trail = 0
    pattern = (f"(?<=.{{{lead}}})" if lead else "") + core + (f"(?=.{{{trail}}})" if trail else "")
    return re.compile(pattern, flags)


_MONTH = r"(?:[A-Z][a-z]{2,8}\.?)"
_TYPED_SLOTS = {
    "{date}": (
        rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?(?:\s+\d{{4}})?"
        rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?(?:\s+\d{{4}})?|{_MONTH}\s+\d{{4}}"
        r"|\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|\d{4})"
    ),
    "{number}": r"(?:(?:No|Nos|no)\.?\s*)?(?:[A-Z]{0,3}\d[\w/.-]*)",
    "{name}": r"(?:[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*)*)",
    "{symbol}": r"(?:[A-Z]{0,4}\s?\S*\d\S*)",
}
"""What a typed slot of a gold template stands for when a sample is asked to hold the formula as
written (`written_regex`)."""


def _as_cased(word: str) -> str:
    """A gold word as a pattern of the forms a document may write it in: as written, in capitals
    (a heading's "CANBERRA" for "Canberra") or capitalised (a sentence's "For your information",
    a marking's "Most Immediate"); never lower case when written otherwise ("received" in running
    text is no "Received {date}")."""
    forms = dict.fromkeys([word, word.upper(), word[:1].upper() + word[1:].lower()])
    return "(?:" + "|".join(re.escape(f) for f in forms) + ")"


def written_regex(template: str) -> re.Pattern[str]:
    """A regular expression for a gold template as written: its literal words in their case
    (`_as_cased`), as whole words, and its typed slots filled as their type is (a date, a number,
    a capitalised name, a symbol with a digit). `gold_regex` asks a sample much less: "Received
    {date}" is held by any "received" and "MOST IMMEDIATE" by "most immediate" in running text,
    so a sample "holds" formulae that no document of it uses as formulae. Both tests are
    reported."""
    parts = []
    for piece in re.split(r"(\{[^{}]*\})", template):
        if piece.startswith("{"):
            parts.append(_TYPED_SLOTS.get(piece, _ANY))
        elif piece.split():
            text = r"\s*".join(_as_cased(w) for w in piece.split())
            before = r"\b" if piece.split()[0][:1].isalnum() else ""
            after = r"\b" if piece.split()[-1][-1:].isalnum() else ""
            parts.append(before + text + after)
    return _compiled(parts, re.DOTALL)


_NAME_SLOT = re.compile(r"\{name\}")
_SYMBOL_SLOT = re.compile(r"\{symbol\}")


def readings(template: str, examples: Sequence[Sequence[str]] = ()) -> list[str]:
    """The template, and the template with one ``{name}`` slot filled by each filler the report
    shows for it. Masking names is the miner's design (the issue asks for it): one dateline
    template "Cablegram {number} {name}, {date}" whose report lists CANBERRA, LONDON, WASHINGTON
    under its name slot is, to an analyst, the gold list's "Cablegram {number} CANBERRA, {date}"
    as well. Only name slots are filled, only with fillers the report shows (`examples`, one
    tuple per slot in order), and a filler must be one capitalised word or run of them. A
    ``{symbol}`` slot is read likewise with each slash-joined document symbol the report shows
    for it, its numbers as slots ("(see {symbol})" showing A/60/PV.4 is "(see
    A/{number}/PV.{number})"): the miner prints the shape itself only where most fillers share
    it, and a sample whose symbols mix several shapes shows them among the fillers."""
    out = [template]
    slots = list(re.finditer(r"\{[^{}]*\}", template))
    for slot, shown in zip(slots, examples, strict=False):
        if _SYMBOL_SLOT.fullmatch(slot.group()):
            for filler in shown:
                shape = re.sub(r"\d+", "{number}", filler)
                if "/" in shape and "{number}" in shape and " " not in shape:
                    out.append(template[: slot.start()] + shape + template[slot.end() :])
            continue
        if not _NAME_SLOT.fullmatch(slot.group()):
            continue
        for filler in shown:
            if re.fullmatch(r"[A-Z][\w'.-]*(?: [A-Z][\w'.-]*)*", filler):
                out.append(template[: slot.start()] + filler + template[slot.end() :])
    return out


Wording = tuple[str, Sequence[Sequence[str]]]
"""Another wording of a listed formula: its template and its slot fillers."""


def evaluate(
    mined: list[str],
    gold_rows: list[tuple[str, str]],
    present: list[bool],
    top: int = 30,
    examples: Sequence[Sequence[Sequence[str]]] | None = None,
    variants: Sequence[Sequence[Wording]] | None = None,
) -> dict[str, object]:
    """Precision of the top `top` mined templates; recall of the gold formulae `present`. With
    `examples` (each template's slot fillers as the report shows them) a template is also read
    with its name slots filled (`readings`). With `variants` (each listed formula's other
    wordings) a gold formula is recalled by any wording an entry shows; precision stays judged
    on each entry's own template."""
    read = [readings(m, examples[i] if examples else ()) for i, m in enumerate(mined)]
    hits = [any(matches(r, g) for _, g in gold_rows for r in rs) for rs in read[:top]]
    shown = read + [readings(t, ex if examples else ()) for vs in (variants or ()) for t, ex in vs]
    found = [any(matches(r, g) for rs in shown for r in rs) for _, g in gold_rows]
    kept = [f for f, p in zip(found, present, strict=True) if p]
    old_hits = [any(matches_round4(m, g) for _, g in gold_rows) for m in mined[:top]]
    old_found = [
        any(matches_round4(m, g) for m in mined)
        for (_, g), p in zip(gold_rows, present, strict=True)
        if p
    ]
    return {
        "precision": sum(hits) / max(1, len(hits)),
        "recall": sum(kept) / max(1, len(kept)),
        "recall_all": sum(found) / max(1, len(found)),
        "precision_round4": sum(old_hits) / max(1, len(old_hits)),
        "recall_round4": sum(old_found) / max(1, len(old_found)),
        "hits": hits,
        "found": found,
        "present": present,
    }


def _miner(path: str | None) -> Callable[..., Report]:
    """`formulae_report` of this checkout, or of another version of formulae.py (a file kept
    outside the repository) to compare with in the same run."""
    if path is None:
        from docdiff.corpus.formulae import formulae_report

        return formulae_report
    spec = importlib.util.spec_from_file_location("baseline_formulae", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    report: Callable[..., Report] = module.formulae_report
    return report


def run(
    name: str,
    half: str,
    n_docs: int,
    limit: int,
    baseline: str | None = None,
    lexicon: bool = True,
) -> dict[str, object]:
    """Mine one half of a corpus and score it; prints the top 30 with their verdicts.
    `lexicon` False: this checkout knows no formula beforehand (an empty lexicon), so that the
    share of the figures owed to the built-in lexicon shows."""
    from tests.benchmarks._corpus_samples import sample

    formulae_report = _miner(baseline)
    docs = sample(name, half, n_docs)
    started = time.perf_counter()
    if lexicon or baseline:
        deep = formulae_report(docs, limit=max(limit, _DEEP)).formulae
    else:
        from docdiff.engine.lexicon import Lexicon

        deep = formulae_report(docs, limit=max(limit, _DEEP), lexicon=Lexicon()).formulae
    seconds = time.perf_counter() - started
    listed = deep[:limit]
    mined = [f.template for f in listed]
    examples = [f.slot_examples for f in listed]
    variants = [[(v.template, v.slot_examples) for v in f.variants] for f in listed]
    rows = gold(name)
    min_df = max(3, -(-len(docs) * 5 // 1000))

    def held(gold_rows: list[tuple[str, str]]) -> list[bool]:
        return [
            sum(1 for d in docs if gold_regex(g).search(d.text)) >= min_df for _, g in gold_rows
        ]

    present = held(rows)
    score = evaluate(mined, rows, present, examples=examples, variants=variants)
    second = gold(f"{name}_reread")
    second_present = held(second)
    others: dict[str, object] = {}
    both, both_present = rows + second, present + second_present
    for label, gold_rows, gold_present in (
        ("second", second, second_present),
        ("both", both, both_present),
    ):
        got = evaluate(mined, gold_rows, gold_present, examples=examples, variants=variants)
        others[f"precision_{label}"] = got["precision"]
        others[f"recall_{label}"] = got["recall"]
        others[f"hits_{label}"] = got["hits"]
        others[f"found_{label}"] = got["found"]
    written = [sum(1 for d in docs if written_regex(g).search(d.text)) >= min_df for _, g in both]
    as_written = evaluate(mined, both, written, examples=examples, variants=variants)
    others["recall_written"] = as_written["recall"]
    others["held_written"] = sum(written)
    others["held_loose"] = sum(both_present)
    own = evaluate(mined, both, both_present, examples=examples)
    others["recall_own"] = own["recall"]
    unfilled = evaluate(mined, both, both_present, variants=variants)
    others["precision_unfilled"] = unfilled["precision"]
    others["recall_unfilled"] = unfilled["recall"]
    miner = "baseline" if baseline else "this checkout" if lexicon else "no lexicon"
    print(
        f"\n== {name} {half} ({miner}): {len(docs)} documents, {len(mined)} templates, "
        f"{seconds:.1f} s"
    )
    hits = others["hits_both"]
    assert isinstance(hits, list)
    print("  top 30, credited (+) when either list holds the template:")
    for i, f in enumerate(listed[:30]):
        mark = "+" if hits[i] else "-"
        print(f"  {mark} {i + 1:>2}. {f.template}  ({f.doc_freq} docs)")
        for v in f.variants:
            print(f"          also: {v.template}  ({v.doc_freq} docs)")
    found = others["found_both"]
    assert isinstance(found, list)
    missed = [g for (_, g), ok, p in zip(both, found, both_present, strict=True) if p and not ok]
    absent = [g for (_, g), p in zip(both, both_present, strict=True) if not p]
    print(f"  gold missed ({len(missed)}): " + " | ".join(missed))
    beyond = [f"{g} (#{n})" for g in missed if (n := _rank_of(g, deep, limit)) is not None]
    print(f"  of these, mined beyond --limit {limit} ({len(beyond)}): " + " | ".join(beyond))
    print(f"  gold absent from this sample ({len(absent)}): " + " | ".join(absent))
    loose_only = [
        g for (_, g), p, w in zip(both, both_present, written, strict=True) if p and not w
    ]
    print(
        f"  held by the loose test only, not as written ({len(loose_only)}): "
        + " | ".join(loose_only)
    )
    return {
        "corpus": name,
        "half": half,
        "miner": miner,
        "seconds": seconds,
        "beyond": len(beyond),
        **score,
        **others,
    }


_DEEP = 300
"""Entries mined in all, so that a missed gold formula can be found beyond ``--limit``; the
figures are computed on the first ``--limit`` entries only (the miner mines every template
anyway and cuts its list at the limit, so this costs only the examples' documents)."""


def _rank_of(gold_template: str, deep: Sequence[Formula], limit: int) -> int | None:
    """The rank (1-based) of the first entry past `limit` that shows a wording of the gold
    formula: a true formula mined but outranked, which only a better order can bring in."""
    for i, f in enumerate(deep[limit:], start=limit + 1):
        wordings = [(f.template, f.slot_examples)]
        wordings += [(v.template, v.slot_examples) for v in f.variants]
        if any(matches(r, gold_template) for t, ex in wordings for r in readings(t, ex)):
            return i
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=800)
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--corpus", choices=("dfat", "un"), action="append")
    parser.add_argument("--half", choices=HALVES, action="append")
    parser.add_argument(
        "--baseline", help="another formulae.py (outside the repo) to run on the same samples"
    )
    parser.add_argument(
        "--no-lexicon",
        action="store_true",
        help="also mine with an empty lexicon (what the built-in lexicon's formulae add)",
    )
    args = parser.parse_args()
    miners = [(b, True) for b in [args.baseline] if b]
    miners += [(None, False)] if args.no_lexicon else []
    results = [
        run(name, half, args.docs, args.limit, baseline, lexicon)
        for name in args.corpus or ["dfat", "un"]
        for half in args.half or ["dev", "held-out"]
        for baseline, lexicon in [*miners, (None, True)]
    ]
    print()
    print(
        table(
            [
                "corpus",
                "half",
                "miner",
                "precision@30",
                "recall",
                "recall (whole list)",
                "P@30 / recall (round-4 rule)",
                "second list P@30 / recall",
                "both lists P@30 / recall",
                "both, own templates: recall",
                "both, held as written: recall (formulae held)",
                "both, name slots unfilled",
                "gold mined beyond limit",
                "seconds",
            ],
            [
                [
                    r["corpus"],
                    r["half"],
                    r["miner"],
                    f"{r['precision']:.2f}",
                    f"{r['recall']:.2f}",
                    f"{r['recall_all']:.2f}",
                    f"{r['precision_round4']:.2f} / {r['recall_round4']:.2f}",
                    f"{r['precision_second']:.2f} / {r['recall_second']:.2f}",
                    f"{r['precision_both']:.2f} / {r['recall_both']:.2f}",
                    f"{r['recall_own']:.2f}",
                    f"{r['recall_written']:.2f} ({r['held_written']} of {r['held_loose']})",
                    f"{r['precision_unfilled']:.2f} / {r['recall_unfilled']:.2f}",
                    str(r["beyond"]),
                    f"{r['seconds']:.1f}",
                ]
                for r in results
            ],
        )
    )


if __name__ == "__main__":
    main()
