"""A phrase fronted before a comma at a sentence's opening ("Before concluding,", "In closing,")
is a formula where it gathers at an edge of the documents, however each sentence goes on after
the comma; a connective of the running text ("In that regard,") gathers at none
(`_fronted_phrases`)."""

from __future__ import annotations

import random

from docdiff.corpus.formulae import Region, _fronted_phrases, formulae_report, mask
from docdiff.model import Document
from tests._made_up import cable, paragraphs, sentence

_GOES_ON = ("I would like to thank", "let me say that", "I wish to recall", "we reaffirm that")
"""How the sentences after the fronted phrase go on: words the speeches also say elsewhere."""


def _speeches(n: int = 45) -> list[Document]:
    """Texts of eight paragraphs by nine senders over ten years. Each says the words of
    `_GOES_ON` in its middle paragraphs; in a third of them the last paragraph opens on "Before
    concluding," and goes on in one of those ways; in a third, a middle paragraph opens on "In
    that regard,"."""
    rng = random.Random(7)
    docs = []
    for i in range(n):
        texts = paragraphs(rng, 8, 4, 12)
        for x, said in enumerate(_GOES_ON):
            texts[2 + x] += f" {said[0].upper()}{said[1:]} {sentence(rng, 6).lower()}"
        if i % 3 == 0:
            said = _GOES_ON[(i // 3) % len(_GOES_ON)]
            texts[-1] = f"Before concluding, {said} {sentence(rng, 8).lower()} {texts[-1]}"
        if i % 3 == 1:
            texts[3] = f"In that regard, {sentence(rng, 9).lower()} {texts[3]}"
        docs.append(cable(i, texts, 9))
    return docs


def test_a_fronted_phrase_at_the_close_is_a_formula_and_a_connective_is_not() -> None:
    report = formulae_report(_speeches(), min_docs=5, limit=80)
    wordings = [g.template for f in report.formulae for g in (f, *f.variants)]
    assert any(w.startswith("Before concluding") for w in wordings), wordings
    assert not any(w.startswith("In that regard") for w in wordings), wordings


def _phrases(texts: list[str], found: list[list[Region]] | None = None) -> list[list[str]]:
    docs = [mask(t) for t in texts]
    return [
        [docs[r.doc].text[docs[r.doc].starts[r.start] : docs[r.doc].ends[r.end - 1]] for r in g]
        for g in _fronted_phrases(docs, found or [], 3)
    ]


def test_the_phrases_are_grouped_by_their_words_whatever_follows() -> None:
    texts = [
        "The talks went well. Before concluding, I would like to thank them.",
        "We met. Before concluding, let me recall the treaty.",
        "Before concluding, we reaffirm our support.",
        "We met.\n\nBefore concluding my remarks, I thank you.",
    ]
    assert _phrases(texts) == [["Before concluding,"] * 3 + ["Before concluding my remarks,"]]


def test_phrases_on_a_function_word_pair_are_grouped_by_all_their_words() -> None:
    """ "In that regard," and "In that context," are two phrases; "Even so," is none."""
    texts = ["We met. In that regard, we left. In that context, we met. Even so, we met."] * 3
    assert _phrases(texts) == [["In that context,"] * 3, ["In that regard,"] * 3]


def test_a_phrase_needs_two_words_and_min_docs_documents() -> None:
    one_word = ["We met. Finally, we left."] * 4
    assert _phrases(one_word) == []
    too_few = ["We met. In closing, we left."] * 2 + ["We met. We left."] * 2
    assert _phrases(too_few) == []


def test_a_phrase_mid_sentence_or_with_a_name_or_number_is_none() -> None:
    texts = [
        "The talks of the day went on in closing, we left. In 1990, we met. In Geneva, we met."
    ]
    texts *= 4
    assert _phrases(texts) == []


def test_a_phrase_the_regions_found_is_left_to_them() -> None:
    texts = ["We met. Before concluding, we left."] * 4
    docs = [mask(t) for t in texts]
    (group,) = _fronted_phrases(docs, [], 3)
    assert _fronted_phrases(docs, [group], 3) == []
