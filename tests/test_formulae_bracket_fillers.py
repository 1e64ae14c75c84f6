"""A slot's filler shows what a member puts there, never a lone bracket: a dateline's region
that stops at the "[" of "[20 January 1949]" (DFAT's "Cablegram 114, GENEVA, [20 January
1949]") showed "[" among the examples of the dateline's date slot."""

from __future__ import annotations

import pytest

from docdiff.corpus.formulae import Region, _filler, mask

_LINE = "Cablegram 114, GENEVA, [20 January 1949], 7.30 p.m.\n\nThe talks went on.\n"


@pytest.mark.parametrize("own", [False, True])
def test_a_filler_that_opens_a_bracket_runs_to_its_closing_one(own: bool) -> None:
    """The member's region ends on the "[" (the slot is its last token): the filler is the
    bracket and what it holds, whether the member's token there was aligned with the
    reference's (`own`) or lies between the fixed tokens around the slot."""
    d = mask(_LINE)
    at = d.keys.index("[")
    region = Region(0, 0, at + 1)
    mapping: list[tuple[int, int] | None] = [(i, i + 1) for i in range(at)]
    mapping.append((at, at + 1) if own else None)
    assert _filler(region, mapping, (at, at + 1), d) == "[20 January 1949]"


def test_a_bracket_closed_on_another_line_is_left_as_it_is() -> None:
    """No closing bracket on the line: the filler is what the region holds."""
    d = mask("Cablegram 114, GENEVA, [20 January\n1949], 7.30 p.m.\n\nThe talks went on.\n")
    at = d.keys.index("[")
    mapping: list[tuple[int, int] | None] = [(i, i + 1) for i in range(at)]
    assert _filler(Region(0, 0, at + 1), [*mapping, None], (at, at + 1), d) == "["
