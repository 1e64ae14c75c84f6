"""Boilerplate written in capitals is boilerplate, and a long formula copied whole is one family.

A licence's disclaimer ("THIS SOFTWARE IS PROVIDED BY … AS IS AND ANY EXPRESS OR IMPLIED
WARRANTIES …") stands in every other Debian copyright file; its capitals made it a "name-heavy
topic phrase" (`docdiff.engine.classify.topic_phrase`), so it stayed `phrasing` beside the
licence's other paragraphs, which were `formula`; and once it was a formula, the clusters cut the
licence at every holder's name, as they cut a courtesy formula worded two ways, into a family per
unbroken run ("ADVISED OF THE POSSIBILITY OF SUCH DAMAGE", "LOSS OF USE, DATA OR PROFITS").
"""

from __future__ import annotations

import random

from docdiff.corpus.scan import scan
from docdiff.engine.classify import topic_phrase
from docdiff.model import Document, Kind
from docdiff.options import Options, ScanOptions
from docdiff.text.tokens import tokenize

HOLDERS = (
    "Ada Quill", "Borrowdale Systems", "Cass Wren", "Dunmore Labs", "Elm Street Software",
    "Fenwick Trust", "Gale Harrow", "Hollin Works", "Iver Marsh", "Jessamy Cole",
    "Kestrel Group", "Lorne Vale", "Merrow Data", "Nettle Foundry", "Orrin Blake",
    "Pell Instruments", "Quarry Lane Co", "Rook Analytics", "Sable Mills", "Tarn Collective",
)  # fmt: skip

SUBJECTS = (
    "parses calendar files", "renders vector maps", "compresses sensor logs",
    "schedules print jobs", "indexes mail folders", "converts audio tracks",
    "checks spelling in notes", "draws chess diagrams", "syncs address books",
    "tunes guitar strings", "plots tide tables", "tracks library loans", "mixes paint swatches",
    "counts bird sightings", "balances ledger sheets", "sorts recipe cards",
    "grades quiz answers", "maps hiking trails", "logs weather readings", "labels seed packets",
)  # fmt: skip


def _licence(holder: str, subject: str, n: int) -> str:
    """A package's copyright file: the licence, and what it shares with the next package alone
    (rare wording, which pairs the two up for alignment)."""
    upper = holder.upper()
    after = HOLDERS[n % len(HOLDERS)]
    return (
        f"Package {n} {subject}. {_history(holder)} {_history(after)}\n\n"
        f"{_history(subject, 300)}\n\n"
        f"Copyright (c) {2000 + n} {holder}. All rights reserved.\n\n"
        "Redistribution and use in source and binary forms, with or without modification, are "
        "permitted provided that the following conditions are met:\n\n"
        "1. Redistributions of source code must retain the above copyright notice, this list "
        "of conditions and the following disclaimer.\n\n"
        "2. Redistributions in binary form must reproduce the above copyright notice, this "
        "list of conditions and the following disclaimer in the documentation and/or other "
        "materials provided with the distribution.\n\n"
        f"3. Neither the name of {holder} nor the names of its contributors may be used to "
        "endorse or promote products derived from this software without specific prior "
        "written permission.\n\n"
        f'THIS SOFTWARE IS PROVIDED BY {upper} AND CONTRIBUTORS "AS IS" AND ANY EXPRESS OR '
        "IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF "
        "MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT "
        f"SHALL {upper} OR CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, "
        "SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO, "
        "PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR "
        "BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN "
        "CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN "
        "ANY WAY OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH "
        "DAMAGE.\n"
    )


VOCABULARY = (
    "harbour lantern orchard meadow pebble thistle copper saddle ribbon candle quarry willow "
    "marble falcon basket ferry tannery mill granary bellows anvil kettle ledger compass "
    "furrow hedgerow spindle loom barrow cellar attic gable chimney rafter orchard beacon "
    "tide shoal reef estuary moor heath bracken cairn bothy croft sheaf scythe plough"
).split()


def _history(seed: str, words: int = 24) -> str:
    """Wording of one package's alone (a seeded jumble of rare words), which a second file may
    repeat."""
    rng = random.Random(seed)
    return " ".join(rng.choice(VOCABULARY) for _ in range(words)) + "."


def _corpus() -> list[Document]:
    return [
        Document(f"pkg{n:02d}/copyright", f"pkg{n:02d}/copyright", "txt", _licence(h, s, n))
        for n, (h, s) in enumerate(zip(HOLDERS, SUBJECTS, strict=True), start=1)
    ]


def _span_of(text: str, phrase: str) -> tuple[int, int]:
    tokens = tokenize(text)
    start = text.index(phrase)
    end = start + len(phrase)
    i0 = next(i for i, s in enumerate(tokens.starts) if s >= start)
    i1 = next((i for i, s in enumerate(tokens.starts) if s >= end), len(tokens.starts))
    return i0, i1


def test_a_passage_in_capitals_is_no_name_heavy_topic() -> None:
    text = _licence("Ada Quill", "parses calendar files", 1)
    tokens = tokenize(text)
    i0, i1 = _span_of(text, "IN NO EVENT SHALL ADA QUILL OR CONTRIBUTORS BE LIABLE")
    assert not topic_phrase(text, tokens, i0, i1, i1 - i0)
    # A name-heavy phrase stays a topic, in capitals or not ("DPRK" is no shouting).
    names = "the Special Envoy of the Democratic People's Republic of Korea to the DPRK"
    t = tokenize(names)
    assert topic_phrase(names, t, 0, len(t.starts), len(t.starts))


def test_a_licence_copied_with_its_holders_changed_is_one_formula_and_one_family() -> None:
    docs = _corpus()
    report = scan(docs, Options(), ScanOptions(full_pairs=None), jobs=1)
    by_id = {d.id: d for d in docs}
    for pair in report.pairs:
        disclaimer = [
            m for m in pair.matches if "MERCHANTABILITY" in by_id[m.a.doc].slice(m.a.span)
        ]
        assert disclaimer, pair.matches
        assert all(m.kind is Kind.FORMULA for m in disclaimer), [
            (m.kind, m.reason) for m in disclaimer
        ]
    largest = report.clusters[0]
    assert len({m.doc for m in largest.members}) == len(docs)
    assert largest.kind is Kind.FORMULA
    assert "Redistribution and use" in largest.text
    assert "POSSIBILITY OF SUCH" in largest.text, largest.text
    # No family of a run of the disclaimer alone beside it.
    assert not [
        c for c in report.clusters if c.text.startswith(("ADVISED", "LOSS OF USE", "WARRANTIES"))
    ], [c.text[:60] for c in report.clusters]


def test_a_sentence_in_capitals_is_no_name_and_a_name_in_capitals_stays_one() -> None:
    from docdiff.engine.classify import name_evidence

    def name(text: str) -> bool:
        t = tokenize(text)
        return name_evidence(text, t, 0, len(t.starts))[0]

    assert not name("EVEN IF THE AUTHORS HAVE BEEN ADVISED OF THE POSSIBILITY OF SUCH DAMAGE")
    assert not name("PRIME MINISTER TO BE INFORMED")
    for held in ("UNITED STATES OF AMERICA", "MINISTER FOR EXTERNAL AFFAIRS", "Kim Jong Un"):
        assert name(held), held
