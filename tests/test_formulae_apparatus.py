"""A mined formula whose instances stand in the editors' apparatus (archive references, the
editors' notes) is marked so (`Formula.apparatus`) in every report: the edition's wording
heads a volume's list, and an analyst must not read it as the diplomats'."""

from __future__ import annotations

import json
import random
from dataclasses import replace

from docdiff.corpus.formulae import formulae_report
from docdiff.loaders import load_text
from docdiff.model import Document
from docdiff.render.jsonout import dumps, loads
from docdiff.render.markdown import render_markdown

_ALPHA = [f"{c}{v}{c2}o" for c in "bdfgklmnprstvz" for v in "aeiu" for c2 in "lnrst"]


def _sentence(rng: random.Random, n: int = 20) -> str:
    return " ".join(rng.choice(_ALPHA) for _ in range(n)).capitalize() + "."


def _volume(n: int = 30) -> list[Document]:
    """Letters of six senders, each opening on the genre's formula and closing on the
    archive's reference of its file, as an edition prints it."""
    rng = random.Random(7)
    docs = []
    for i in range(n):
        body = " ".join(_sentence(rng) for _ in range(4))
        text = (
            f"Sir,\n\nI have the honour to inform you that {_sentence(rng)} {body}\n\n"
            f"{' '.join(_sentence(rng) for _ in range(3))}\n\n"
            f"[NAA: A{1800 + i % 7}, {3000 + i}/10/{i % 5}, i]\n"
        )
        docs.append(replace(load_text(text, doc_id=f"d{i:02}"), meta={"sender": f"s{i % 6}"}))
    return docs


def test_the_archives_reference_is_marked_apparatus_and_the_genres_formula_is_not() -> None:
    report = formulae_report(_volume(), min_docs=5)
    by_template = {f.template: f for f in report.formulae}
    naa = [f for t, f in by_template.items() if "NAA:" in t]
    assert naa, list(by_template)
    assert all(f.apparatus for f in naa)
    honour = [f for t, f in by_template.items() if "have the honour" in t]
    assert honour, list(by_template)
    assert not any(f.apparatus for f in honour)
    # The mark survives JSON and reads back; Markdown says it.
    data = json.loads(dumps(report))
    assert any(f["apparatus"] for f in data["formulae"])
    again = loads(dumps(report))
    assert [f.apparatus for f in again.formulae] == [f.apparatus for f in report.formulae]
    assert "the editors' apparatus" in render_markdown(report)
