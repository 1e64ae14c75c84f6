"""A marking in title case ("Top Secret") is words, not a name, wherever it stands on a short
heading line: alone, after a cable's number ("5888. Top Secret"), beside another marking
("Immediate Top Secret") or before a caveat ("Top Secret UK"). DFAT v27 listed "Top {name}"
(9 documents, fillers "Secret" and "Secret UK"): the marking slotted as a name."""

from __future__ import annotations

from pathlib import Path

from docdiff.corpus.formulae import Masked, _token_text, mask
from tests._archives import DFAT, archive_documents
from tests._masked import case_stats

VOLUME = "dfat_historical_documents/txt/volume-27-australia-and-the-united-kingdom-1960-1975/"
SLOTTED = ("107-", "11-", "28-", "30-", "33-", "38-", "43-", "61-", "62-", "69-", "81-", "86-")
"""Documents whose heading line held "Secret" masked as a name ("107. Top Secret", "Top Secret
UK", "Top Secret Specially Restricted Circulation", "Immediate Top Secret")."""


def _heading(m: Masked, i: int) -> bool:
    """Token `i` stands on one of the document's first lines."""
    return sum(b == 2 for b in m.breaks[: i + 1]) <= 3


def test_a_title_case_marking_is_no_name_beside_a_number_or_marking(shared_dir: Path) -> None:
    docs = archive_documents(shared_dir, DFAT, VOLUME)
    stats = case_stats(d.text for d in docs)
    checked = 0
    for d in docs:
        if not d.id.startswith(SLOTTED):
            continue
        m = mask(d.text, stats)
        at = next(i for i, k in enumerate(m.keys) if k == "top" and _heading(m, i))
        assert _token_text(m, at + 1).startswith("Secret"), d.id
        assert m.kinds[at + 1] == "", (d.id, _token_text(m, at + 1), m.kinds[at + 1])
        checked += 1
    assert checked == len(SLOTTED)


def test_a_marking_ending_a_text_is_read_within_its_line() -> None:
    """A text whose last line is a one-word marking ("Secret"), in a corpus that also says it
    in two words ("Top Secret"): the words of the longer marking were looked for past the end
    of the line, a slice cut short by the text's end matched the shorter one, and `docdiff
    formulae /usr/share/doc` stopped on an internal error (IndexError)."""
    from docdiff.corpus.formulae import _unname_markings

    titled = frozenset({("secret",), ("top", "secret")})
    words, kinds, breaks = ["Noted", ".", "Secret"], ["", "p", "name"], [2, 0, 2]
    _unname_markings(words, kinds, breaks, titled)
    assert kinds == ["", "p", ""]
    # Nor does a marking on one line reach into the next one.
    words = ["Top", "Secret", "Smith", "wrote"]
    kinds, breaks = ["name", "name", "name", ""], [2, 0, 2, 0]
    _unname_markings(words, kinds, breaks, frozenset({("secret",), ("secret", "smith")}))
    assert kinds == ["name", "", "name", ""]
