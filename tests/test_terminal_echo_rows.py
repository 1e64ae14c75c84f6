"""Echo rows written without rich's layout are the lines rich draws for them."""

from __future__ import annotations

import io

from hypothesis import example, given
from hypothesis import strategies as st
from rich.text import Text

from docdiff.cli.terminal import SafeConsole, _echo_grid, _plain_layout, _plain_row

_WORDS = st.sampled_from(
    ["human", "rights", "the", "Assembly", "é", "naïve", "\u5b57\u5b57", "a\u0301", "x" * 30,
     "--", "(DPRK)", '"quoted"', "", " ", "  ", "\u00a0", "tab\t"]
)  # fmt: skip
_PHRASES = st.lists(_WORDS, max_size=12).map(" ".join)


def _rich_line(console: SafeConsole, widths: tuple[int, int, int], row: tuple[str, ...]) -> str:
    grid = _echo_grid(widths)
    grid.add_row(row[0], Text(row[1]), row[2], Text(row[3]), Text(row[4]), Text(row[5]))
    console.print(grid)
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]


@given(
    st.lists(st.tuples(st.integers(1, 2000), st.sampled_from(["phrasing", "name"]),
                       st.floats(0, 99.9), _PHRASES, _PHRASES), min_size=1, max_size=6),
    st.integers(20, 220),
)  # fmt: skip
@example([(1, "phrasing", 3.5, "human rights", "human rights")], 80)
@example([(12, "name", 10.0, "Office of the High Commissioner", "x" * 70)], 120)
def test_plain_rows_are_the_lines_rich_draws(
    echoes: list[tuple[int, str, float, str, str]], width: int
) -> None:
    ids = [f"  e{n}" for n, *_ in echoes]
    widths = (
        max(map(len, ids)),
        max(len(kind) for _, kind, *_ in echoes),
        max(len(f"{score:.1f}") for _, _, score, *_ in echoes),
    )
    layout = _plain_layout(SafeConsole(file=io.StringIO(), width=width), widths)
    assert layout is not None
    for tag, (_, kind, score, a, b) in zip(ids, echoes, strict=True):
        row = (tag, kind, f"{score:.1f}", a, "|", b)
        line = _plain_row(row, layout)
        console = SafeConsole(file=io.StringIO(), width=width, highlight=False, soft_wrap=False)
        drawn = _rich_line(console, widths, row)
        if line is not None:
            assert line + "\n" == drawn


def test_a_console_that_draws_styles_takes_no_shortcut() -> None:
    console = SafeConsole(file=io.StringIO(), width=80, force_terminal=True)
    assert _plain_layout(console, (4, 8, 3)) is None


def test_a_row_that_fits_is_written_as_rich_draws_it() -> None:
    widths = (5, 8, 4)
    for width in (90, 121, 200):
        layout = _plain_layout(SafeConsole(file=io.StringIO(), width=width), widths)
        assert layout is not None
        row = ("  e7", "phrasing", "3.5", "hostile forces", "|", "naïve hostile forces")
        line = _plain_row(row, layout)
        assert line is not None
        console = SafeConsole(file=io.StringIO(), width=width, highlight=False, soft_wrap=False)
        assert line + "\n" == _rich_line(console, widths, row)


def test_a_phrase_too_long_for_its_column_wraps_as_rich_draws_it() -> None:
    widths = (5, 10, 4)
    long = "the Office of the United Nations High Commissioner for Human Rights in Geneva"
    for width in (60, 90, 121):
        layout = _plain_layout(SafeConsole(file=io.StringIO(), width=width), widths)
        assert layout is not None
        row = ("  e12", "paraphrase", "41.5", long, "|", "human rights council")
        line = _plain_row(row, layout)
        assert line is not None
        assert "\n" in line
        console = SafeConsole(file=io.StringIO(), width=width, highlight=False, soft_wrap=False)
        assert line + "\n" == _rich_line(console, widths, row)
