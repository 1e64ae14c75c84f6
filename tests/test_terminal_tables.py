"""Passage tables written without rich's table layout are the lines rich draws for them."""

from __future__ import annotations

import io

from hypothesis import example, given
from hypothesis import strategies as st

from docdiff.cli.terminal import (
    SafeConsole,
    _match_table,
    _passage_frame,
    _plain_passage,
    _plain_table,
)
from docdiff.loaders import load_text
from docdiff.model import AlignOp, Kind, Match, Passage, Span
from docdiff.render.notes import where

_WORDS = st.sampled_from(
    ["human", "rights", "the", "Assembly", "é", "naïve", "\u5b57\u5b57", "a\u0301", "x" * 30,
     "y" * 90, "--", "(DPRK)", '"quoted"', "", " ", "  ", "\u00a0", "tab\t", "line\nbreak",
     "a-b-c-d-e", "\x1b[2J"]
)  # fmt: skip
_TEXTS = st.lists(_WORDS, min_size=1, max_size=40).map(" ".join).filter(lambda t: t.strip())


def _tables(a_text: str, b_text: str, kind: Kind, split: int) -> list[Match]:
    """A match over the whole of both texts, with an equal op over their first `split`
    characters (or none)."""
    cut_a, cut_b = min(split, len(a_text)), min(split, len(b_text))
    ops = (AlignOp("equal", Span(0, cut_a), Span(0, cut_b)),) if split else ()
    return [
        Match(
            a=Passage("A", Span(0, len(a_text))),
            b=Passage("B", Span(0, len(b_text))),
            kind=kind,
            score=87.5,
            words=12,
            ops=ops,
        )
    ]


def _drawn(width: int, a_text: str, b_text: str, kind: Kind, split: int) -> tuple[str, str | None]:
    """What rich draws for the table, and what `_plain_table` writes (None: no shortcut);
    `_plain_passage`, drawing from the texts' strings, writes the same when it writes."""
    a_doc, b_doc = load_text(a_text, doc_id="A"), load_text(b_text, doc_id="B")
    (m,) = _tables(a_text, b_text, kind, split)
    rich_console = SafeConsole(file=io.StringIO(), width=width, highlight=False, soft_wrap=False)
    rich_console.print(_match_table(3, m, a_doc, b_doc, explain=False))
    plain_console = SafeConsole(file=io.StringIO(), width=width, highlight=False, soft_wrap=False)
    plain = _plain_table(plain_console, _match_table(3, m, a_doc, b_doc, explain=False))
    frame = _passage_frame(plain_console)
    fast = None if frame is None else _plain_passage(frame, 3, m, a_doc, b_doc, marks=False)
    if fast is not None:
        assert fast == plain
    if plain is not None:
        plain_console.out(plain, highlight=False)
        plain = plain_console.file.getvalue()  # type: ignore[attr-defined]
    return rich_console.file.getvalue(), plain  # type: ignore[attr-defined]


@given(
    st.integers(12, 220),
    _TEXTS,
    _TEXTS,
    st.sampled_from([Kind.PHRASING, Kind.PARAPHRASE]),
    st.integers(0, 30),
)
@example(
    80, "join previous speakers in congratulating you", "join previous speakers", Kind.PHRASING, 5
)
@example(120, "human rights " * 40, "x" * 30 + " rights", Kind.PARAPHRASE, 0)
def test_plain_tables_are_the_lines_rich_draws(
    width: int, a_text: str, b_text: str, kind: Kind, split: int
) -> None:
    drawn, plain = _drawn(width, a_text, b_text, kind, split)
    if plain is not None:
        assert plain == drawn


def test_plain_passages_take_the_shortcut() -> None:
    a_text = "Last week, the High-level Plenary Meeting on the Millennium Development Goals " * 5
    b_text = "the High-level Plenary Meeting on the Millennium Development Goals (MDGs) " * 4
    for width in (40, 80, 120, 200):
        drawn, plain = _drawn(width, a_text, b_text, Kind.PHRASING, 20)
        assert plain == drawn
        console = SafeConsole(file=io.StringIO(), width=width, highlight=False, soft_wrap=False)
        assert _passage_frame(console) is not None


def test_a_console_that_draws_styles_takes_no_shortcut() -> None:
    a_doc, b_doc = load_text("human rights", doc_id="A"), load_text("human rights", doc_id="B")
    (m,) = _tables("human rights", "human rights", Kind.PHRASING, 5)
    console = SafeConsole(file=io.StringIO(), width=80, force_terminal=True)
    assert _plain_table(console, _match_table(1, m, a_doc, b_doc, explain=False)) is None


@given(st.text(alphabet="ab\n\r ", max_size=60), st.data())
def test_a_passage_line_is_one_more_than_the_breaks_before_it(
    text: str, data: st.DataObject
) -> None:
    start = data.draw(st.integers(0, len(text)))
    doc = load_text(text, doc_id="A")
    assert where(doc, start) == f"line {text.count(chr(10), 0, start) + 1}"


def test_a_report_mixing_plain_and_drawn_passages_prints_as_rich_alone_would() -> None:
    """Plain tables are written together; one rich must draw (wide characters) keeps its
    place among them, and the echoes follow as before."""
    from unittest import mock

    from docdiff.cli import terminal
    from docdiff.engine.compare import compare

    base = (
        "The General Assembly reaffirms its strong commitment to the promotion and protection "
        "of human rights for all peoples of the world. "
    )
    wide = (
        "Le représentant a souligné l'importance du dialogue \u5b57\u5b57 entre les nations "
        "pour la paix durable dans la région et au-delà. "
    )
    other = (
        "We note with deep concern the continuing deterioration of the humanitarian situation "
        "in the occupied territories this year. "
    )
    f1 = "Filler words about agriculture and fisheries policies of small island states. " * 2
    f2 = "Some remarks on tourism, shipping lanes and coastal erosion in the south. " * 2
    g1 = "Unrelated text on budgets and audits of the organisation and its committees. " * 2
    g2 = "A note on translation services, archives and the library of the secretariat. " * 2
    a = "\n\n".join([base, f1, wide, f2, other])
    b = "\n\n".join([other, g1, base, g2, wide])
    report = compare(load_text(a, doc_id="A"), load_text(b, doc_id="B"))
    assert len(report.pairs[0].matches) >= 3
    fast = io.StringIO()
    terminal.print_compare(report, file=fast)
    slow = io.StringIO()
    with (
        mock.patch.object(terminal, "_plain_table", return_value=None),
        mock.patch.object(terminal, "_passage_frame", return_value=None),
        mock.patch.object(terminal, "_plain_layout", return_value=None),
    ):
        terminal.print_compare(report, file=slow)
    assert "\u5b57" in fast.getvalue()
    assert fast.getvalue() == slow.getvalue()


@given(
    st.sampled_from(
        [
            "我们在此重申对联合国宪章宗旨和原则的坚定承诺",
            "朝鮮民主主義人民共和国外務省は" * 4,
            "see https://www.example.org/documents/statements/2024/a-very-long-path-to-it.html",
            "x" * 120,
        ]
    ),
    st.integers(min_value=40, max_value=120),
)
def test_a_passage_is_drawn_whole_however_wide_its_words(text: str, width: int) -> None:
    """A passage with no space to wrap at (Chinese, Japanese) or a word wider than its column
    (a web address) is folded onto the next lines, not cut short with an ellipsis: every
    character of both sides is drawn, in order."""
    a_doc, b_doc = load_text(text, doc_id="A"), load_text(text, doc_id="B")
    (m,) = _tables(text, text, Kind.PHRASING, len(text))
    console = SafeConsole(file=io.StringIO(), width=width, highlight=False, soft_wrap=False)
    console.print(_match_table(1, m, a_doc, b_doc, explain=False))
    drawn = console.file.getvalue()  # type: ignore[attr-defined]
    assert "…" not in drawn
    rows = [line for line in drawn.splitlines() if line.startswith("│")]
    for side in (1, 2):
        cells = "".join(row.split("│")[side].strip() for row in rows)
        assert cells.replace(" ", "") == text.replace(" ", "")


def test_words_only_one_side_has_next_to_each_other_are_marked_once() -> None:
    """Without colour, the words only one side has are marked as `docdiff diff` marks them:
    "[-I have-] the honour to [-inform you that-]", not "[-I-] [-have-] … [-inform you-]
    [-that-]". An empty op (a word only the other side has) swallows no mark, and a line
    break keeps two runs apart."""
    from docdiff.cli.terminal import A_MARKS, _one_side

    text = "I have the honour to inform you that\nit was"
    ops = [(Span(0, 0), "insert"), (Span(0, 1), "replace"), (Span(2, 6), "replace"),
           (Span(7, 20), "equal"), (Span(21, 27), "delete"), (Span(28, 31), "delete"),
           (Span(32, 36), "delete"), (Span(37, 39), "delete")]  # fmt: skip
    drawn = "".join(part for part, _ in _one_side(text, Span(0, 39), ops, "a", marks=A_MARKS))
    assert drawn == "[-I have-] the honour to [-inform you that-] [-it-]"
    plain = _one_side(text, Span(0, 39), ops, "a")
    assert "".join(part for part, _ in plain) == "I have the honour to inform you that it"
