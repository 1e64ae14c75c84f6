"""Formula mining where the documents share no genre: how many "formulae" the miner lists.

    python -m tests.benchmarks.bench_formulae_controls [--show 12]

The gold lists of `bench_formulae` measure what the miner finds in correspondence; these
corpora measure what it invents where there is nothing to find, as a user who points
``docdiff formulae`` at any folder meets it:

* the PAN Indonesian corpus (`../shared/corpora/pan-indonesian`): 65 chapters of novels and
  stories, source and suspicious documents together, no metadata. Its recurring short
  paragraphs of dialogue and narration ("Apa itu?", "{name} terdiam.") are the text's own, not a
  genre's apparatus.
* the Clough and Stevenson short answers (`../shared/corpora/clough-stevenson/txt`): 100 answers
  to five questions, many copied from five Wikipedia articles: what they share is reuse of one
  source (a scan's clusters), not a formula.

Every listed entry counts against the miner (target: none); each is printed with its documents
and the share of the passages it shows that lie in the first or last 15% of their text, so
that a rule that tells a novel's dialogue from a cable's markings can be measured here. (A rule
asking every line of its own to stand at the edges, tried in session 45, listed none on the PAN
corpus but lost "Ends.", "Begins." and the UN records' "The President returned to the Chair."
in the gold samples: UN dev precision@30 0.87 to 0.83, DFAT dev recall 0.91 to 0.88. Since
session 46 it is asked only of a corpus that shows no genre: where the formulae at the edges,
in the notes or in the lexicon reach fewer than half the documents. PAN: 34 entries to 0, its
formulae so placed reaching none of its 65 chapters; Clough: 2, reaching 44 of 100; every gold
sample 92% to 100%, its list unchanged. There, too, a template in three documents only is left
out: Clough 2 entries to 0.)
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from tests.benchmarks._common import shared_path, table

if TYPE_CHECKING:
    from docdiff.model import Document, Formula


def _documents(folders: list[Path]) -> list[Document]:
    """The text files under `folders` (not the PAN truth XML beside them), walked as `docdiff
    formulae` walks a folder."""
    from docdiff.loaders import iter_corpus, load

    return [load(p) for p in iter_corpus(folders, include=["*.txt"])]


def _edges(formula: Formula, documents: dict[str, str]) -> float:
    """Share of the entry's passages that start in the first or end in the last 15% of their
    text."""
    members = formula.members
    near = 0
    for m in members:
        size = max(1, len(documents[m.doc]))
        near += m.span.start < 0.15 * size or m.span.end > 0.85 * size
    return near / max(1, len(members))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=12, help="entries printed per corpus")
    args = parser.parse_args()
    from docdiff.corpus.formulae import formulae_report

    corpora = {
        "PAN Indonesian fiction": ["pan-indonesian/source-documents",
                                   "pan-indonesian/suspicious-documents"],
        "Clough-Stevenson answers": ["clough-stevenson/txt"],
    }  # fmt: skip
    rows = []
    for label, parts in corpora.items():
        folders = [shared_path("corpora", *p.split("/")) for p in parts]
        docs = _documents(folders)
        texts = {d.id: d.text for d in docs}
        started = time.perf_counter()
        report = formulae_report(docs, limit=80)
        seconds = time.perf_counter() - started
        listed = report.formulae
        wordings = sum(1 + len(f.variants) for f in listed)
        # The templates left out because the corpus shows no genre (lines of the text's own,
        # wording in three documents only), and the first of them.
        left = report.settings.get("no_genre_left_out", 0)
        examples = report.settings.get("no_genre_examples") or []
        rows.append([label, len(docs), len(listed), wordings, "0", left, f"{seconds:.1f}"])
        print(f"\n== {label}: {len(docs)} documents, {len(listed)} entries listed")
        for i, f in enumerate(listed[: args.show]):
            edge = _edges(f, texts)
            print(f"  {i + 1:>2}. {f.template}  ({f.doc_freq} docs, {edge:.0%} at an edge)")
        print(f"  left out as showing no genre: {left} (first: {examples})")
    print()
    head = ["corpus", "documents", "entries listed", "wordings", "target", "no genre", "seconds"]
    print(table(head, rows))


if __name__ == "__main__":
    main()
