"""A formula's instances grow over the words most of them share next to them (`_extend`); an
instance that ends (or opens) its document has no word there and stays where it is. DFAT volume
22 crashed `docdiff formulae` (IndexError) because one cable ends on its archive reference while
most others go on after theirs ("[NAA: A1838, 3107/38/18, xxi]" then a note)."""

from __future__ import annotations

from pathlib import Path

import pytest

from docdiff.corpus.formulae import Region, _extend, _key_ids, formulae_report, mask
from tests._archives import DFAT, archive_documents


@pytest.mark.parametrize("side", ["end", "start"])
def test_an_instance_at_its_documents_edge_is_not_grown_past_it(side: str) -> None:
    core = "please pass the following message"
    texts = [f"first {core} now" for _ in range(5)]
    texts.append(f"{core} now" if side == "start" else f"first {core}")
    docs = [mask(t) for t in texts]
    ids, _ = _key_ids(docs)
    members = []
    for n, d in enumerate(docs):
        start = d.keys.index("please")
        members.append(Region(n, start, start + 5))
    grown = _extend(members, docs, ids)
    assert all(0 <= r.start < r.end <= len(docs[r.doc].keys) for r in grown), grown
    assert len({r.end - r.start for r in grown}) > 1  # (the others did grow)


VOLUME = (
    "dfat_historical_documents/txt/"
    "volume-22-australia-and-recognition-of-the-peoples-republic-of-china-1949-1972/"
)
CABLES = ("23-", "230-", "231-", "232-", "233-", "234-", "235-", "251-", "252-", "253-", "254-",
          "255-", "256-", "257-", "258-")  # fmt: skip


def test_the_cables_that_crashed_the_miner(shared_dir: Path) -> None:
    docs = archive_documents(shared_dir, DFAT, VOLUME, CABLES)
    assert len(docs) == len(CABLES)
    report = formulae_report(docs)
    assert any(f.template.lstrip("[(").startswith("NAA:") for f in report.formulae)
    for formula in report.formulae:
        for m in formula.members:
            text = next(d.text for d in docs if d.id == m.doc)
            assert 0 <= m.span.start < m.span.end <= len(text), (formula.template, m)
