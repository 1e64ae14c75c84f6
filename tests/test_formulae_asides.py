"""In a folder that names neither the senders nor the years of its documents, a sentence of one
or two words in running text ("Yes.", "Every day.") is listed only where its uses gather at an
edge of the documents, as a closing "Thank you." does: nothing else tells rhetoric the texts
share from a formula there (`_unplaced_aside`)."""

from __future__ import annotations

import random

from docdiff.corpus.formulae import formulae_report
from docdiff.loaders import load_text
from docdiff.model import Document
from tests._made_up import paragraphs, sentence


def _speeches(n: int = 40) -> list[Document]:
    """Speeches without metadata: each closes on "Thank you."; in half of them "Yes." stands
    between two sentences in the middle."""
    rng = random.Random(23)
    docs = []
    for i in range(n):
        texts = paragraphs(rng, 8, 4)
        if i % 2:
            texts[3] = f"{sentence(rng, 12)} Yes. {sentence(rng, 12)} {texts[3]}"
        texts.append("Thank you.")
        docs.append(load_text("\n\n".join(texts) + "\n", doc_id=f"s{i:02}"))
    return docs


def test_a_short_sentence_in_running_text_needs_a_place_where_nothing_is_named() -> None:
    templates = [f.template for f in formulae_report(_speeches(), min_docs=5).formulae]
    assert "Thank you." in templates, templates
    assert "Yes." not in templates, templates


def test_where_senders_and_years_are_named_their_spread_tells() -> None:
    """With senders and dates, the spread over them is asked instead (`_judge_unit`)."""
    from dataclasses import replace

    docs = [
        replace(d, meta={"sender": f"c{i}", "date": f"{2000 + i % 10}-09-20"})
        for i, d in enumerate(_speeches())
    ]
    templates = [f.template for f in formulae_report(docs, min_docs=5).formulae]
    assert "Thank you." in templates, templates
