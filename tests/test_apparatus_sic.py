"""The editor's "[sic]" is the edition's wording, not the author's: `docdiff formulae` of DFAT
volume 27 listed "[sic]" (45 documents) as a formula of the cables, unmarked."""

from __future__ import annotations

from docdiff.corpus.formulae import formulae_report
from docdiff.loaders import load_text
from docdiff.text.apparatus import apparatus_spans


def test_sic_is_apparatus() -> None:
    text = "The Minister said the the [sic] talks would resume.\n\n[NAA: A1838, 3107/38/18, i]\n"
    spans = apparatus_spans(text)
    start = text.index("[sic]")
    assert (start, start + len("[sic]")) in spans
    assert text.index("[NAA") in {s for s, _ in spans}
    assert apparatus_spans("He wrote [Sic!] twice.") == ((9, 15),)


def test_a_formula_of_sic_is_the_editors() -> None:
    docs = [
        load_text(
            f"Cablegram {n}\n\nThe {topic} talks [sic] resume next week in Geneva.\n",
            doc_id=f"{n:02d}.txt",
        )
        for n, topic in enumerate(["fisheries", "water", "trade", "aviation", "health", "sea"])
    ]
    found = {f.template: f for f in formulae_report(docs, min_docs=3).formulae}
    assert "[sic]" in found, list(found)
    assert found["[sic]"].apparatus
