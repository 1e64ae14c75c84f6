"""A passage neither opens nor closes inside a word glued to the next: a web address, a path, a
document symbol or a dotted number ("… pr-url: https://github" of ".../pull/41678", "0 pr-url"
of "v18.0.0 pr-url"; Node.js's API pages), as it never did inside a hyphenated compound. Nor
does a cluster's representative text."""

from __future__ import annotations

from docdiff.corpus.cluster import _whole_words
from docdiff.engine.compare import compare
from docdiff.engine.pieces import glued_after, glued_before
from docdiff.loaders import load_text
from docdiff.model import Span

TEXT = (
    "pr-url: https://github.com/nodejs/node/pull/41678 description (see www.un.org/en.) and "
    "resolution 63/281 of v18.0.0 on re-election. 12 ends"
)


def _at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def test_glue_inside_addresses_paths_and_numbers() -> None:
    for word in ["github", "com", "node", "pull", "un", "org", "63", "18"]:
        assert glued_after(TEXT, _at(word)[1]), word
    for word in ["github", "com", "41678", "un", "org", "281", "election"]:
        assert glued_before(TEXT, _at(word)[0]), word
    assert glued_after(TEXT, _at("https")[1])  # the address goes on after its scheme
    for word in ["description", "ends", "41678", "281"]:
        assert not glued_after(TEXT, _at(word)[1]), word
    for word in ["https", "description", "resolution", "12", "ends"]:
        assert not glued_before(TEXT, _at(word)[0]), word
    # An address's last word, before the mark that closes the sentence: "(see www.un.org/en.)".
    assert not glued_after(TEXT, _at("en.)")[0] + 2)


def _changes(pull: int, after: str) -> str:
    return (
        "The callback argument of every asynchronous method of this module is checked when the "
        "method is called, and a wrong one throws at once; see the pull request "
        f"https://github.com/nodejs/node/pull/{pull}\n\n{after}\n"
    )


def test_a_passage_does_not_end_inside_a_web_address() -> None:
    streams = "Streams buffer their chunks until a reader drains them."
    timers = "Timers fire in order of expiry, ties by creation."
    a = load_text(_changes(41678, streams), doc_id="A")
    b = load_text(_changes(41999, timers), doc_id="B")
    matches = compare(a, b).pairs[0].matches
    assert matches
    for m in matches:
        for doc, span in ((a, m.a.span), (b, m.b.span)):
            assert not glued_after(doc.text, span.end), doc.slice(span)
            assert not glued_before(doc.text, span.start), doc.slice(span)


def test_a_representative_is_cut_at_whole_words() -> None:
    end = TEXT.index("/pull")
    cut = _whole_words(TEXT, Span(0, end))
    assert TEXT[cut.start : cut.end] == "pr-url:"
    start = TEXT.index("com/")
    cut = _whole_words(TEXT, Span(start, len(TEXT)))
    assert TEXT[cut.start : cut.end].startswith("description")
    # Nothing left: the span stays as it was.
    inner = Span(TEXT.index("github"), TEXT.index("/pull"))
    assert _whole_words(TEXT, inner) == inner


def test_an_address_of_megabytes_is_still_one_word() -> None:
    # Read near the edge only: the answer holds however long the line runs on.
    text = "see https://example.org/" + "a" * 2_000_000 + " end"
    assert glued_after(text, text.index("example") + len("example"))
    assert glued_before(text, text.index("org"))
    assert not glued_before(text, text.index(" end") + 1)
