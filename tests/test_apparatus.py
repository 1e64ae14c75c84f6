"""Editorial apparatus (`docdiff.text.apparatus`): archive references and editors' notes."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from docdiff.text.apparatus import apparatus_spans, within

BODY = (
    "Cablegram 112 CANBERRA, 3 May 1975\n\nSECRET\n\n"
    "1. Please inform the Minister that the talks will resume next week.[1]\n\n"
    "2. The delegation will arrive on Tuesday.[3]\n"
)


def _parts(text: str) -> list[str]:
    return [text[s:e] for s, e in apparatus_spans(text)]


def test_square_brackets_ending_a_line_are_apparatus_wherever_it_stands() -> None:
    text = (
        "Jakarta, 20 October 1975\n\n[matter omitted]\n\nThe talks went on [until noon] "
        "and closed.[2]\n\n _[NAA: A1838, 3038/10/1/2, xiv]_\n\nMore text.\n"
        "_COOPER [NAA: A10463, 801/13/11/1, xii]_\n\nEnd of the text.\n\n"
        " _[ABHS 950/Boxes1221-1226, 40/4/1 Part 32 Archives New Zealand, Wellington_\n"
    )
    assert _parts(text) == [
        "[matter omitted]",
        " _[NAA: A1838, 3038/10/1/2, xiv]_",
        "[NAA: A10463, 801/13/11/1, xii]_",
        " _[ABHS 950/Boxes1221-1226, 40/4/1 Part 32 Archives New Zealand, Wellington_",
    ]


def test_the_numbered_notes_after_the_text_are_apparatus_when_the_text_refers_to_them() -> None:
    notes = "1 See Document 368.\n\n* 3 Cablegram JA4830 (14 February) reported on the talks."
    text = f"{BODY}\n{notes}\n"
    assert _parts(text) == [notes]  # note 2 was left out by the edition: still notes


def test_notes_whose_italics_open_before_note_1_are_notes() -> None:
    """1,132 of DFAT's documents open their notes' italics before note 1 ("_[1] Sent via
    London.", volume 16; "_1 Document 66."): their notes were text, and the editors' "Words in
    square brackets corrected from the copy on file …" made phrasing passages."""
    for notes in (
        " _[1] Sent via London.\n\n[2] Document 85.\n\n[3] Words in square brackets corrected.",
        " _1 Document 66.\n\n2 Not found.\n\n3 Words in square brackets corrected.",
    ):
        text = f"{BODY}\n{notes}\n\n _[AA : A1838, 852/20/1, II]_\n"
        (part,) = _parts(text)
        assert part.startswith(notes)
        assert part.endswith("II]_")
    # After the notes, an italic line quoting the text with its reference is no note, and it
    # does not make the notes a numbered list (DFAT volume 7, "_[3] I stressed to him …_").
    notes = "1 On file AA:A461, C373/1/4, ii.\n\n2 Word corrected.\n\n3 See Document 154."
    text = f"{BODY}\n{notes}\n\n _[3] I stressed to him importance of this_\n"
    assert _parts(text)[0].startswith(notes)


def test_an_archive_reference_right_before_the_notes_is_one_stretch_with_them() -> None:
    text = f"{BODY}\n _[UKNA: FCO 24/572]_\n\n  * 1 Not found.\n  * 2 See Document 12.\n"
    (part,) = _parts(text)
    assert part.startswith(" _[UKNA")
    assert part.endswith("See Document 12.")


def test_a_numbered_list_ending_a_text_is_no_notes() -> None:
    listed = "The committee agreed on three points:\n\n1 the terms\n2 the dates\n3 the costs\n"
    assert apparatus_spans(listed) == ()  # nothing in the text refers to them
    out_of_order = f"{BODY}\n1 See Document 368.\n3 Not found.\n2 Not printed.\n"
    assert apparatus_spans(out_of_order) == ()


def test_a_letter_and_its_enclosure_print_two_series_of_notes() -> None:
    """DFAT volume 26 prints a letter ([1] to [29]) and its enclosure ([1] to [15]) with both
    series of notes after them, one after the other: the letter's notes ("28 … (Hay interview,
    1973–4, NLA: TRC 121/65)") were taken for text, so a passage of them was a name."""
    letter = "The Minister took a very upright line.[1] He would stick up for his staff.[2]\n\n"
    enclosure = "ENCLOSURE\n\nThe House met on Tuesday.[1] The bills were withdrawn.[2][3]\n\n"
    first = "1 Hay interview, 1973–4, NLA: TRC 121/65.\n\n2 Document 53.\n\n"
    second = "1 See editorial note ‘Tensions in the House’.\n\n2 Not found.\n\n3 Document 9.\n"
    (part,) = _parts(letter + enclosure + first + second)
    assert part == (first + second).rstrip()
    # A numbered list before the notes is still text: nothing refers to its items.
    listed = "The committee agreed on:\n\n1 the terms\n2 the dates\n\n"
    (part,) = _parts(letter + listed + second)
    assert part.startswith("1 See")
    # A document's notes, then its enclosure with notes of its own: the enclosure is text.
    body = "Enclosure\n\n" + "The Ambassador called on the Minister this morning. " * 40
    enclosed = letter + first + body + "The talks went on.[1]\n\n"
    (*_, part) = _parts(enclosed + second)
    assert part == second.rstrip()
    # The document's notes are notes all the same (DFAT: 23 documents print a letter's notes
    # before its enclosure or attachment, which were taken for text).
    assert _parts(enclosed + second) == [first.rstrip(), second.rstrip()]
    # Not when the text after them does not start its references again.
    assert _parts(letter + first + body + "The talks went on.\n\n" + second) == [second.rstrip()]
    # Nor is a series the text refers to only in part.
    half = "1 Hay interview.\n\n2 Document 53.\n\n3 Not printed.\n\n"
    (part,) = _parts(letter + half + second)
    assert part.startswith("1 See")


def test_superscript_references_mark_notes_too() -> None:
    text = "The talks will resume next week.\u00b9\n\n1 They had been suspended in April.\n"
    assert _parts(text) == ["1 They had been suspended in April."]


def test_within_allows_a_tenth_outside() -> None:
    spans = ((10, 110),)
    assert within(spans, 10, 110)
    assert within(spans, 0, 100)  # ten characters of a hundred outside
    assert not within(spans, 0, 90)
    assert not within(spans, 50, 50)
    assert not within((), 0, 10)


_LINE = st.one_of(
    st.sampled_from(["[x]", " _[NAA: A1, 2/3]_", "1 Note one.", "* 2 Note two.", "3 Three.", ""]),
    st.text(alphabet="ab1[] \t_*\u00b9.", max_size=12),
)


@given(st.lists(_LINE, max_size=12), st.integers(0, 200), st.integers(0, 200))
def test_spans_are_ordered_apart_and_within_agrees_with_counting(
    lines: list[str], lo: int, hi: int
) -> None:
    text = "\n".join(lines)
    spans = apparatus_spans(text)
    for (_, e0), (s1, _) in itertools.pairwise(spans):
        assert e0 < s1
        assert text[e0:s1].strip()  # apart, and not by white space only
    assert all(0 <= s < e <= len(text) for s, e in spans)
    start, end = min(lo, hi), max(lo, hi)
    inside = sum(1 for i in range(start, end) if any(s <= i < e for s, e in spans))
    assert within(spans, start, end) == (end > start and inside * 10 >= (end - start) * 9)


def test_an_editors_note_reworded_in_both_documents_is_no_paraphrase_of_them() -> None:
    """The notes of an edition share rare words in another order (the editors wrote both):
    no evidence that one document reworded the other, as a passage or as an echo."""
    from docdiff.engine.compare import compare
    from docdiff.loaders import load_text

    a = load_text(
        "Cablegram 112 CANBERRA, 3 May 1975\n\nPlease inform the Minister that the fisheries "
        "talks resume next week in Jakarta.[1]\n\n1 Indonesian hydrographers disputed the "
        "seabed boundary near the Timor trough, and Djakarta delegates consulted cabinet "
        "colleagues before suspending negotiations in mid-April.\n",
        doc_id="a",
    )
    b = load_text(
        "Cablegram 87 JAKARTA, 9 May 1975\n\nThe Foreign Minister told me this morning that "
        "his government would not accept our terms.[1]\n\n1 Negotiations were suspended in "
        "mid-April: cabinet colleagues in Djakarta were consulted by delegates after "
        "hydrographers from Indonesia contested the trough and seabed boundary near Timor.\n",
        doc_id="b",
    )
    (pair,) = compare(a, b).pairs
    reworded = [m for m in (*pair.matches, *pair.echoes) if m.kind.value == "paraphrase"]
    assert not reworded, reworded


def test_a_rare_phrase_both_editors_notes_use_is_no_echo() -> None:
    """Two words rare in general language ("original document") that only the editors'
    notes of both documents hold are the edition's wording: no echo of the authors'."""
    from docdiff.engine.compare import compare
    from docdiff.loaders import load_text

    a = load_text(
        "Letter from the Prime Minister, 2 October 1963\n\nI was heartened by the statement "
        "you made to Parliament on the defence of the federation.[1]\n\n1 Ellipses in "
        "original document.\n",
        doc_id="a",
    )
    b = load_text(
        "Letter from the Minister, 9 October 1963\n\nOn the authority of the Prime Minister I "
        "draw attention to the wording of the last paragraph of the statement.[1]\n\n1 Word "
        "missing in original document.\n",
        doc_id="b",
    )
    (pair,) = compare(a, b).pairs
    said = [b.text[m.b.span.start : m.b.span.end] for m in (*pair.matches, *pair.echoes)]
    assert not any("original document" in s for s in said), said
