"""An echo never shows again text that a passage holds on one side with another place on the
other: a student's answer copying the source's first paragraph (Clough and Stevenson's
g0pE_taskb) listed "World Wide Web" as an echo of the source's later mention, matched with the
words inside the copied paragraph."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.engine.compare import compare
from docdiff.engine.reworded import used_elsewhere
from docdiff.loaders import load_text

PARAGRAPH = (
    "PageRank is a link analysis algorithm used by the Google Internet search engine that "
    "assigns a numerical weighting to each element of a hyperlinked set of documents, such as "
    "the World Wide Web, with the purpose of measuring its relative importance within the set. "
)
LATER = (
    "The method was devised at Stanford in the late nineties by two graduate students. Many "
    "later ranking schemes borrowed its core idea of random surfing across the World Wide Web "
    "today. The patent expired some years ago and the algorithm is now widely taught."
)
OWN = "It is one of many signals the engine weighs when it orders its results for a user."


def test_a_phrase_of_a_copied_paragraph_is_no_echo_of_its_later_mention() -> None:
    source = load_text(PARAGRAPH + LATER, doc_id="source.txt")
    answer = load_text(PARAGRAPH + OWN, doc_id="answer.txt")
    pair = compare(source, answer).pairs[0]
    assert [m.words for m in pair.matches] == [44]  # the paragraph, copied
    later = (PARAGRAPH + LATER).rindex("World Wide Web")
    assert not [e for e in pair.echoes if e.a.span.start <= later < e.a.span.end]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.sampled_from([PARAGRAPH, LATER, OWN]), min_size=1, max_size=4),
    st.lists(st.sampled_from([PARAGRAPH, LATER, OWN]), min_size=1, max_size=4),
)
def test_no_echo_lies_mostly_in_a_passage_matched_elsewhere(a: list[str], b: list[str]) -> None:
    report = compare(load_text("".join(a), doc_id="a.txt"), load_text("".join(b), doc_id="b.txt"))
    result = report.pairs[0]
    for echo in result.echoes:
        assert not used_elsewhere(echo, result.matches)
