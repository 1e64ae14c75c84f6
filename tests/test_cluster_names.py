"""A cluster is a family of one wording, not of a name (outside review, defect 4).

The DPRK's speeches name their country in five words ("Democratic People's Republic of Korea")
in nearly every sentence: a match holding only that name, or the name and one word, joined
speeches to the family of "hostile relations between the Democratic People's Republic of Korea
and the United States" and dated it to 1991, eight years before the wording was first used. A
member belongs to a family by the family's own words (those that are neither names nor function
words), and a stock remnant of a longer passage ("permanent member of the Security Council") is
no copy of it.
"""

from __future__ import annotations

import difflib
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.corpus.cluster import build_clusters
from docdiff.model import (
    AlignOp,
    Cluster,
    Document,
    Kind,
    Match,
    OpTag,
    PairResult,
    PairSummary,
    Passage,
    Span,
)

_SUMMARY = PairSummary(0.0, 0.0, 0.0, 0.0)
NAME = "Democratic People's Republic of Korea"
FAMILY = (
    f"the hostile policy of the United States towards the {NAME} must be abandoned, and the "
    "armistice replaced by a lasting peace agreement"
)
# The family's speeches (1999 on) and speeches that only name the country (1991 on).
TEXTS = {
    "f1999": f"Our position is clear: {FAMILY}, as we have said before.",
    "f2003": f"Let me repeat that {FAMILY}, once and for all.",
    "f2011": f"It is therefore obvious that {FAMILY}, in the interest of all.",
    "n1991": f"The {NAME} will continue to cooperate with all Member States of this body.",
    "n1993": f"Relations between the {NAME} and the Secretariat are good and improving.",
    "n1994": f"The {NAME}, the {NAME} and its people thank the Assembly warmly.",
    "n1997": f"Talks towards the {NAME} were proposed by several neighbouring countries.",
    "p2005": (
        "We say again: the hostile policy of the United States towards our country must be "
        "abandoned, and the armistice replaced by a lasting peace agreement."
    ),
}
STOCK = "a permanent member of the Security Council"
LONG = (
    "the Republic of China is an original member of the United Nations and, under Article 23 of "
    f"the Charter, {STOCK}"
)
TEXTS |= {
    "g1955": f"As the paper recalls, {LONG}, which weighs heavily with us.",
    "g1956": f"The Department notes that {LONG}, and this must be kept in view.",
    "s1957": f"France too is {STOCK} and will be consulted first.",
    "s1958": f"Britain remains {STOCK}, whatever its other burdens.",
}


def _docs() -> dict[str, Document]:
    return {
        k: Document(id=k, path="", format="txt", text=v, meta={"date": f"{k[1:]}-09-25"})
        for k, v in TEXTS.items()
    }


def _words(text: str) -> list[tuple[str, Span]]:
    return [
        (m.group().strip(".,:").lower(), Span(m.start(), m.end()))
        for m in re.finditer(r"\S+", text)
    ]


def _match(a: str, b: str, phrase_a: str, phrase_b: str | None = None) -> PairResult:
    """A phrasing match between `phrase_a` in `a` and `phrase_b` (the same by default) in `b`,
    its words compared as a word-level diff does (equal and replaced operations)."""
    phrase_b = phrase_b or phrase_a
    ta, tb = TEXTS[a], TEXTS[b]
    sa, sb = ta.index(phrase_a), tb.index(phrase_b)
    wa = [(w, Span(s.start + sa, s.end + sa)) for w, s in _words(phrase_a)]
    wb = [(w, Span(s.start + sb, s.end + sb)) for w, s in _words(phrase_b)]
    ops = []
    matcher = difflib.SequenceMatcher(a=[w for w, _ in wa], b=[w for w, _ in wb], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 > i1 and j2 > j1:
            kind: OpTag = "equal" if tag == "equal" else "replace"
            ops.append(
                AlignOp(
                    kind, Span(wa[i1][1].start, wa[i2 - 1][1].end),
                    Span(wb[j1][1].start, wb[j2 - 1][1].end),
                )
            )  # fmt: skip
    m = Match(
        Passage(a, Span(sa, sa + len(phrase_a))), Passage(b, Span(sb, sb + len(phrase_b))),
        Kind.PHRASING, 60.0, len(wa), ops=tuple(ops),
    )  # fmt: skip
    return PairResult(a, b, (m,), _SUMMARY)


def _family_pairs() -> list[PairResult]:
    fs = ("f1999", "f2003", "f2011")
    return [_match(a, b, FAMILY) for i, a in enumerate(fs) for b in fs[i + 1 :]]


# What the name-only speeches share with the family's: the name, and a word at most.
NAME_ONLY = {
    "n1991": (f"States towards the {NAME}", f"The {NAME} will"),
    "n1993": (f"the {NAME}", f"the {NAME}"),
    "n1994": (f"the {NAME} must", f"{NAME}, the {NAME}"),
    "n1997": (f"towards the {NAME}", f"towards the {NAME}"),
}


def _name_pairs(which: list[str], to: str = "f2003") -> list[PairResult]:
    return [_match(to, n, *NAME_ONLY[n]) for n in which]


def _holding(cluster: Cluster, docs: dict[str, Document], words: str) -> set[str]:
    return {m.doc for m in cluster.members if words in docs[m.doc].slice(m.span)}


def test_speeches_sharing_only_the_country_name_do_not_join_the_family() -> None:
    docs = _docs()
    pairs = _family_pairs() + _name_pairs(sorted(NAME_ONLY))
    pairs += [_match("n1991", "n1993", f"{NAME}")]  # two that only name it: no family
    clusters = build_clusters(pairs, docs)
    assert len(clusters) == 1
    (family,) = clusters
    assert {m.doc for m in family.members} == {"f1999", "f2003", "f2011"}
    assert _holding(family, docs, "hostile policy of the United States") == {
        "f1999",
        "f2003",
        "f2011",
    }
    assert family.origin is not None
    assert family.origin.doc == "f1999"
    assert "hostile policy" in family.text


def test_a_stock_remnant_of_a_passage_is_no_member_of_its_family() -> None:
    # (A guard: these three matches fall in two components before the star split too.)
    docs = _docs()
    pairs = [
        _match("g1955", "g1956", LONG),
        _match("g1955", "s1957", STOCK),
        _match("g1955", "s1958", STOCK),
    ]
    clusters = build_clusters(pairs, docs)
    # The passage's family is the two copies of it; the phrase the others share with it is
    # theirs (a family of its own when three documents hold it), not the passage's.
    (family,) = [c for c in clusters if "original member" in c.text]
    assert {m.doc for m in family.members} == {"g1955", "g1956"}
    assert all("original member" not in c.text for c in clusters if c is not family)


def test_a_part_holding_the_familys_own_wording_stays_a_member() -> None:
    # A speech copying the family's own words without the name is a member all the same.
    docs = _docs()
    ours = FAMILY.replace(f"the {NAME}", "our country")
    pairs = [*_family_pairs(), _match("f2003", "p2005", FAMILY, ours)]
    pairs += _name_pairs(sorted(NAME_ONLY))
    clusters = build_clusters(pairs, docs)
    assert [sorted({m.doc for m in c.members}) for c in clusters] == [
        ["f1999", "f2003", "f2011", "p2005"]
    ]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(sorted(NAME_ONLY)), unique=True),
    st.sampled_from(["f1999", "f2003", "f2011"]),
)
def test_no_name_only_match_makes_or_grows_a_family(which: list[str], to: str) -> None:
    docs = _docs()
    clusters = build_clusters(_family_pairs() + _name_pairs(which, to), docs)
    assert [sorted({m.doc for m in c.members}) for c in clusters] == [["f1999", "f2003", "f2011"]]
    assert clusters[0].origin is not None
    assert clusters[0].origin.doc == "f1999"
