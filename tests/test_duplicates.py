"""Duplicate groups: republications and near-copies grouped, shown once, kept out of the pairs."""

from __future__ import annotations

import json
import random

from docdiff.corpus.duplicates import duplicate_groups
from docdiff.corpus.scan import scan
from docdiff.index.arrays import doc_tokens
from docdiff.model import Document
from docdiff.render.jsonout import dumps, loads

_WORDS = [f"{c}{v}{c2}{v2}" for c in "bdfgklmnp" for v in "aeiou" for c2 in "rstvz" for v2 in "ai"]


def _doc(doc_id: str, text: str, date: str = "") -> Document:
    return Document(
        id=doc_id, path="", format="txt", text=text, meta={"date": date} if date else {}
    )


def _corpus(seed: int = 11) -> tuple[list[Document], list[set[str]]]:
    """Four articles republished 2-5 times (some with a new headline or a dropped sentence),
    two letters that genuinely reuse a passage, and unrelated letters."""
    rng = random.Random(seed)

    def words(n: int) -> str:
        return " ".join(rng.choice(_WORDS) for _ in range(n))

    docs: list[Document] = []
    groups: list[set[str]] = []
    for a in range(4):
        article = [words(30) + "." for _ in range(8)]
        members = set()
        for copy in range(2 + a):
            text = list(article)
            if copy % 2:
                text = [f"Republished {words(4)}.", *text[:-1]]  # new headline, last sentence cut
            doc_id = f"art{a}-copy{copy}"
            docs.append(_doc(doc_id, " ".join(text), f"2024-0{copy + 1}-0{a + 1}"))
            members.add(doc_id)
        groups.append(members)
    shared = words(40)
    docs.append(_doc("letterA", f"{words(150)}. {shared}. {words(150)}."))
    docs.append(_doc("letterB", f"{words(150)}. {shared}. {words(150)}."))
    docs.extend(_doc(f"other{i}", words(300)) for i in range(8))
    return docs, groups


def test_copies_are_grouped_and_distinct_letters_are_not() -> None:
    docs, planted = _corpus()
    hashes = [doc_tokens(d.text).hashes for d in docs]
    groups = duplicate_groups(hashes, [d.id for d in docs], [d.meta for d in docs])
    assert [set(g.members) for g in groups] == sorted(planted, key=lambda g: (-len(g), min(g)))
    for g in groups:
        assert g.representative == min(g.members, key=lambda m: m.split("copy")[1])  # earliest
        assert g.coverage >= 80.0


def test_scan_lists_duplicates_once_and_keeps_them_out_of_the_pairs() -> None:
    docs, planted = _corpus()
    report = scan(docs, jobs=1)
    assert {frozenset(g.members) for g in report.duplicates} == {frozenset(g) for g in planted}
    hidden = {m for g in report.duplicates for m in g.members if m != g.representative}
    for p in report.pairs:
        assert p.a not in hidden
        assert p.b not in hidden
        assert not any({p.a, p.b} <= g for g in planted), "two copies of one article paired"
    # The genuine reuse is still the top pair.
    assert {report.pairs[0].a, report.pairs[0].b} == {"letterA", "letterB"}
    assert report.settings["duplicate_groups"] == len(planted)
    # The groups survive a JSON round trip, in their own array.
    data = json.loads(dumps(report))
    assert len(data["duplicates"]) == len(planted)
    assert loads(dumps(report)).duplicates == report.duplicates


def test_an_undated_group_is_represented_by_its_fullest_copy() -> None:
    """Without dates the representative is the copy holding the most text, not the first id:
    the group's pairs are aligned with it, so a copy that dropped sentences would lose them."""
    rng = random.Random(5)
    article = [" ".join(rng.choice(_WORDS) for _ in range(30)) + "." for _ in range(10)]
    docs = [
        _doc("a-cut", " ".join(article[:-1])),  # first by id, last sentence dropped
        _doc("b-whole", " ".join(article)),
        _doc("c-cut", " ".join(article[1:])),
    ]
    hashes = [doc_tokens(d.text).hashes for d in docs]
    (group,) = duplicate_groups(hashes, [d.id for d in docs], [d.meta for d in docs])
    assert group.representative == "b-whole"
    assert group.members[0] == "b-whole"
    # A date still decides first: the earliest publication represents its group.
    dated = [_doc(d.id, d.text, "2024-01-0" + str(3 - i)) for i, d in enumerate(docs)]
    (group,) = duplicate_groups(hashes, [d.id for d in dated], [d.meta for d in dated])
    assert group.representative == "c-cut"


def test_a_copy_edited_throughout_is_still_a_copy() -> None:
    """A resolution printed twice, once with its dates and case changed ("1st" for "1",
    "Reports" for "reports"; DFAT volume 15, documents 124 and 168): one word in twelve
    differs, so 97% of either's words stand in the other, though only about 70% of its
    distinct 5-grams do. Copies are told by the words covered, as a scan's pairs show them."""
    rng = random.Random(3)
    original = [rng.choice(_WORDS) for _ in range(600)]
    edited = [w.upper() + "x" if i % 12 == 6 else w for i, w in enumerate(original)]
    other = [rng.choice(_WORDS) for _ in range(600)]
    docs = [
        _doc("printed", " ".join(original)),
        _doc("reprinted", " ".join(edited)),
        _doc("unrelated", " ".join(other)),
    ]
    hashes = [doc_tokens(d.text).hashes for d in docs]
    (group,) = duplicate_groups(hashes, [d.id for d in docs], [d.meta for d in docs])
    assert set(group.members) == {"printed", "reprinted"}
    assert 90.0 <= group.coverage < 95.0


def test_a_chain_of_copies_is_grouped_by_copies_of_one_text() -> None:
    """Each step of a chain may drop a fifth: A holds B, B holds C, C holds D, each pair a copy
    both ways, but D is a fraction of A. A group is the copies of its representative (37 Debian
    copyright files made one group, an X11 licence of 29 KB and libxslt's of 3 KB among them);
    the rest of the chain groups again when its members copy one another."""
    rng = random.Random(5)
    part = [" ".join(rng.choice(_WORDS) for _ in range(40)) + "." for _ in range(16)]
    # Each link keeps the 12 sentences after the first `cut`: neighbours share 11 of 12.
    chain = [_doc(f"link{n}", " ".join(part[n : n + 12])) for n in range(5)]
    hashes = [doc_tokens(d.text).hashes for d in chain]
    ids = [d.id for d in chain]
    pairs = [
        duplicate_groups([hashes[n], hashes[n + 1]], ids[n : n + 2], [{}, {}])
        for n in range(len(chain) - 1)
    ]
    assert all(len(g) == 1 for g in pairs), "neighbours in the chain are copies"
    far = duplicate_groups([hashes[0], hashes[4]], [ids[0], ids[4]], [{}, {}])
    assert far == (), "the chain's ends share two thirds: no copies"
    groups = duplicate_groups(hashes, ids, [{}] * len(chain))
    for g in groups:
        rep = ids.index(g.representative)
        for m in g.members:
            both = duplicate_groups(
                [hashes[rep], hashes[ids.index(m)]], [g.representative, m], [{}, {}]
            )
            assert m == g.representative or len(both) == 1, (g, m)
    assert sum(len(g.members) for g in groups) >= 4, groups


def test_a_text_repeated_many_times_is_no_copy_of_one_statement_of_it() -> None:
    """A copyright file that states one licence for each of its programs covers, and is
    covered by, a file that states it once: their lengths tell they are no copies."""
    rng = random.Random(8)
    licence = " ".join(rng.choice(_WORDS) for _ in range(120)) + "."
    many = _doc("x11-utils", " ".join(f"Files: prog{n}. {licence}" for n in range(10)))
    once = _doc("libxfixes3", f"Files: lib. {licence}")
    twice = _doc("libxi6", f"Files: lib. {licence} Files: doc. {licence}")
    docs = [many, once, twice, _doc("x11-apps", many.text)]
    groups = duplicate_groups(
        [doc_tokens(d.text).hashes for d in docs], [d.id for d in docs], [{}] * len(docs)
    )
    assert [set(g.members) for g in groups] == [{"x11-utils", "x11-apps"}], groups
