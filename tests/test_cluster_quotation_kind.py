"""A cluster is a quotation when its members quote, not when its representative does. An
alignment is a quotation when either side stands inside quotation marks, so a star around
one speech quoting Kofi Annan ("… without respect for human rights and the rule of law.”)
counted every speech saying those words unquoted as quoting them: in the UN speeches of
2008-2011, a cluster of 22 was a `quotation` although one member quoted."""

from __future__ import annotations

from collections import Counter

from docdiff.corpus.cluster import _Family, _kind_of
from docdiff.model import Document, Kind, Passage, Span

PHRASE = "respect for human rights and the rule of law"


def _doc(doc_id: str, text: str) -> Document:
    return Document(id=doc_id, path=f"{doc_id}.txt", format="text", text=text)


def _family(texts: list[str], kinds: Counter[Kind]) -> tuple[_Family, dict[str, Document]]:
    docs = {f"d{n}": _doc(f"d{n}", t) for n, t in enumerate(texts)}
    members = [
        Passage(d.id, Span(d.text.index(PHRASE), d.text.index(PHRASE) + len(PHRASE)))
        for d in docs.values()
    ]
    return _Family(members[0], members, kinds), docs


def test_a_star_around_one_quoting_member_is_not_a_quotation() -> None:
    quoting = f"As Kofi Annan said, \u201cno society can long remain secure without {PHRASE}.\u201d"
    plain = f"We build our institutions in an environment of {PHRASE}, as we promised."
    family, docs = _family([quoting] + [plain] * 4, Counter({Kind.QUOTATION: 3, Kind.FORMULA: 1}))
    assert _kind_of(family, docs) is Kind.FORMULA
    family, docs = _family([quoting] + [plain] * 4, Counter({Kind.QUOTATION: 3, Kind.PHRASING: 1}))
    assert _kind_of(family, docs) is Kind.PHRASING
    # Every alignment a quotation: nothing says what the unquoted members are.
    family, docs = _family([quoting] + [plain] * 4, Counter({Kind.QUOTATION: 4}))
    assert _kind_of(family, docs) is Kind.QUOTATION


def test_a_family_that_quotes_stays_a_quotation() -> None:
    quoting = f"The theme this year, \u201c{PHRASE}\u201d, guides our debate."
    plain = f"We build our institutions in an environment of {PHRASE}, as we promised."
    family, docs = _family(
        [quoting] * 3 + [plain] * 2, Counter({Kind.QUOTATION: 3, Kind.PHRASING: 1})
    )
    assert _kind_of(family, docs) is Kind.QUOTATION
    # Other kinds keep their majority without a look at the text.
    family, docs = _family([plain] * 3, Counter({Kind.PHRASING: 2}))
    assert _kind_of(family, docs) is Kind.PHRASING
