"""Plain text wrapped without rich's styled text is wrapped as rich wraps it."""

from __future__ import annotations

import io
import re

from hypothesis import example, given
from hypothesis import strategies as st
from rich.text import Text

from docdiff.cli.terminal import SafeConsole, _wrap_plain

_PIECES = st.sampled_from(
    ["human", "rights", "the", "Assembly", "x" * 9, "y" * 25, "--", "(DPRK)", '"quoted"',
     " ", "  ", "   ", "\n", "a-b-c-d-e", ".", "Sir,"]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=40).map(" ".join), st.integers(1, 40))
@example("join previous speakers in congratulating you, Sir, on your election", 37)
@example("  leading and trailing   ", 8)
@example("a\n\nb\n", 3)
@example("aaa bbb", 7)
@example("word" + " " * 30 + "next", 10)
def test_plain_wrap_is_richs(text: str, width: int) -> None:
    console = SafeConsole(file=io.StringIO(), width=120)
    lines = _wrap_plain(text, width)
    if lines is None:
        # Only when rich would fold or crop a word (with the spaces before it) wider than a line.
        words = (w for line in text.split("\n") for w in re.findall(r"\s*\S+\s*", line))
        assert any(len(w.rstrip()) > width for w in words)
        return
    for overflow in ("fold", "ellipsis", "crop"):
        wrapped = Text(text).wrap(console, width, justify="left", overflow=overflow)
        assert lines == [line.plain.ljust(width) for line in wrapped]
