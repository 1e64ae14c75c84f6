"""A passage that opens on a command-line option opens on its dashes ("-n, --no-clobber do not
overwrite an existing file", shared by the manual pages of cp and mv, was shown as "n,
--no-clobber …"); a dash between words and a hyphen inside a compound stay outside."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from docdiff.engine.classify import option_dash
from docdiff.engine.compare import compare
from docdiff.loaders import load_text
from docdiff.model import Span
from tests._made_up import WORDS


def _at(text: str, word: str) -> Span:
    start = text.index(word)
    return Span(start, len(text))


def test_an_options_dashes_open_the_passage() -> None:
    text = "OPTIONS\n       -n, --no-clobber do not overwrite"
    assert option_dash(text, _at(text, "n, --")) == Span(text.index("-n"), len(text))
    text = "use  --verbose to see"
    assert option_dash(text, _at(text, "verbose")).start == text.index("--verbose")
    assert option_dash("-x at the start", Span(1, 5)) == Span(0, 5)


def test_a_dash_between_words_or_inside_one_stays_outside() -> None:
    for text, word in (
        ("a well-known tool", "known"),  # a compound's hyphen
        ("this - that", "that"),  # a dash with spaces
        ("x---y", "y"),  # three dashes
    ):
        span = _at(text, word)
        assert option_dash(text, span) == span


@given(st.text(alphabet="ab -\n", max_size=12), st.sampled_from(WORDS))
def test_only_dashes_after_a_space_or_a_line_start_are_taken(before: str, word: str) -> None:
    text = before + word
    span = Span(len(before), len(text))
    out = option_dash(text, span)
    taken = text[out.start : span.start]
    assert taken in ("", "-", "--")
    if taken:
        assert out.start == 0 or text[out.start - 1].isspace()


def test_a_compared_option_shows_its_dashes() -> None:
    words = iter(WORDS)
    options = "\n\n".join(
        f"       -{next(words)[0]}, --{next(words)}\n              "
        + " ".join(next(words) for _ in range(9))
        for _ in range(4)
    )
    own = [" ".join(next(words) for _ in range(12)) for _ in range(2)]
    a = load_text(f"ONE\n       {own[0]}\n\n{options}\n", doc_id="one.txt")
    b = load_text(f"TWO\n       {own[1]}\n\n{options}\n", doc_id="two.txt")
    (pair,) = compare(a, b).pairs
    assert pair.matches, pair
    first = min(m.a.span.start for m in pair.matches)
    assert a.text[first : first + 4] == options.strip()[:4], a.text[first : first + 20]
