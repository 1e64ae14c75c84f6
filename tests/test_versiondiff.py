"""The word-level version diff: rebuilds its target, keeps words whole, shows moves as moves."""

from __future__ import annotations

import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from docdiff.chardiff import apply_patch, char_ops, similarity
from docdiff.errors import InputError
from docdiff.versiondiff import (
    WHITESPACE_MODES,
    Hunk,
    Whitespace,
    diff_texts,
    rebuild,
    to_patch,
    unified,
)

WORDS = [
    "the", "of", "Examplia", "Samplestan", "honour", "honor", "presents", "its", "compliments",
    "Mission", "fabrication", "fabrications", "«provocation»", "Korea's", "日本", "한국어",
    "naïve", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "100%", "a&b", "<tag>", '"quoted"',
]  # fmt: skip
SEPS = [" ", " ", " ", "  ", "\n", "\n\n", "\r\n", ", ", ". ", "\t", " — "]


@st.composite
def texts(draw: st.DrawFn, min_words: int = 0, max_words: int = 60) -> list[str]:
    """A text as a list of word+separator pieces (so edits and moves work on whole pieces)."""
    n = draw(st.integers(min_words, max_words))
    return [draw(st.sampled_from(WORDS)) + draw(st.sampled_from(SEPS)) for _ in range(n)]


@st.composite
def edited(draw: st.DrawFn) -> tuple[str, str]:
    """An old text and a new one made from it by random replacements, deletions, insertions
    and block moves."""
    pieces = draw(texts(min_words=0, max_words=80))
    new = list(pieces)
    for _ in range(draw(st.integers(0, 8))):
        op = draw(st.sampled_from(["replace", "delete", "insert", "move", "move"]))
        if op == "insert" or not new:
            pos = draw(st.integers(0, len(new)))
            new[pos:pos] = draw(texts(min_words=1, max_words=6))
            continue
        i = draw(st.integers(0, len(new) - 1))
        if op == "replace":
            new[i] = draw(st.sampled_from(WORDS)) + draw(st.sampled_from(SEPS))
        elif op == "delete":
            del new[i : i + draw(st.integers(1, 4))]
        else:
            size = draw(st.integers(1, 15))
            block = new[i : i + size]
            del new[i : i + size]
            pos = draw(st.integers(0, len(new)))
            new[pos:pos] = block
    tail = draw(st.sampled_from(["", "\n", "."]))
    return "".join(pieces), "".join(new) + tail


def _check_tiling(hunks: tuple[Hunk, ...], a: str, b: str) -> None:
    apos = bpos = 0
    for h in hunks:
        assert h.a.start == apos
        assert h.b.start == bpos
        assert a[h.a.start : h.a.end] == h.a_text
        assert b[h.b.start : h.b.end] == h.b_text
        apos, bpos = h.a.end, h.b.end
        if h.tag == "equal":
            assert h.a_text == h.b_text
        if h.tag == "whitespace":
            assert h.a_text != h.b_text
            assert "".join(h.a_text.split()) == "".join(h.b_text.split())
        if h.tag in ("move_from", "move_to"):
            assert h.other is not None
            assert h.move is not None
    assert (apos, bpos) == (len(a), len(b))


@settings(max_examples=150, deadline=None)
@given(edited(), st.sampled_from(WHITESPACE_MODES))
def test_a_diff_rebuilds_its_target(pair: tuple[str, str], mode: Whitespace) -> None:
    a, b = pair
    diff = diff_texts(a, b, whitespace=mode)
    _check_tiling(diff.hunks, a, b)
    assert rebuild(a, diff) == b
    assert mode != "show" or all(h.tag != "whitespace" for h in diff.hunks)


@settings(max_examples=150, deadline=None)
@given(edited(), st.sampled_from(WHITESPACE_MODES))
def test_patch_round_trip_rebuilds_the_new_text_exactly(
    pair: tuple[str, str], mode: Whitespace
) -> None:
    a, b = pair
    assert apply_patch(a, to_patch(diff_texts(a, b, whitespace=mode))) == b


@st.composite
def distinct_edited(draw: st.DrawFn) -> tuple[str, str]:
    """An old text of distinct words and a new one with a few words replaced, deleted or added.

    Distinct words give every hunk a context found once: a few characters of context cannot
    tell "the the the" from itself shifted by a word (diff-match-patch widens such context;
    the linear patch writer does not, a known limit).
    """
    vocab = [f"{w}{n}" for n in range(30) for w in ("alpha", "beta", "gamma")]
    old = draw(st.lists(st.sampled_from(vocab), unique=True, min_size=1, max_size=40))
    new = list(old)
    for _ in range(draw(st.integers(1, 5))):
        i = draw(st.integers(0, len(new)))
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        if op == "insert" or i == len(new):
            new.insert(i, f"new{draw(st.integers(0, 999))}")
        elif op == "delete":
            del new[i]
        else:
            new[i] = f"changed{draw(st.integers(0, 999))}"
    return " ".join(old) + "\n", " ".join(new) + "\n"


@settings(max_examples=100, deadline=None)
@given(distinct_edited(), st.text(alphabet="0123456789", min_size=1, max_size=30))
def test_a_patch_applies_to_its_original_after_text_was_added_before_it(
    pair: tuple[str, str], preamble: str
) -> None:
    """Hunks are found exactly, near where they moved (an added preamble shifts them all).

    The old text is not empty (a hunk into an empty text has no context to be found by) and
    the preamble (digits only) cannot be mistaken for a part of it.
    """
    a, b = pair
    assume(a != b)
    assert apply_patch(preamble + "\n" + a, to_patch(diff_texts(a, b))) == preamble + "\n" + b


def test_a_patch_is_not_applied_to_a_text_that_only_resembles_its_original() -> None:
    a = " ".join(f"w{i}" for i in range(400))
    b = a.replace("w200", "CHANGED")
    near = a.replace("w199", "w199x")  # the hunk's context no longer matches exactly
    with pytest.raises(InputError, match="1 of 1 patch hunks did not apply"):
        apply_patch(near, to_patch(diff_texts(a, b)))


@settings(max_examples=60, deadline=None)
@given(edited(), st.sampled_from(WHITESPACE_MODES))
def test_moves_pair_up_with_identical_text(pair: tuple[str, str], mode: Whitespace) -> None:
    """Identical but for white space that is not an edit (exactly identical with ``show``)."""
    a, b = pair
    diff = diff_texts(a, b, min_move_words=2, whitespace=mode)
    froms = [h for h in diff.hunks if h.tag == "move_from"]
    tos = {h.b: h for h in diff.hunks if h.tag == "move_to"}
    assert len(froms) == len(tos)
    for src in froms:
        assert src.other is not None
        dst = tos[src.other]
        if mode == "show":
            assert src.a_text == dst.b_text
        else:
            assert src.a_text.split() == dst.b_text.split()
        assert dst.other == src.a
        assert dst.move == src.move
    numbers = sorted({h.move for h in froms if h.move is not None})
    assert numbers == list(range(1, len(numbers) + 1))


@given(texts())
def test_identical_texts_are_all_unchanged(pieces: list[str]) -> None:
    text = "".join(pieces)
    diff = diff_texts(text, text)
    assert all(h.tag == "equal" for h in diff.hunks)
    assert diff.stats.unchanged_percent == 100.0
    assert not diff.changed


def test_changed_word_is_shown_whole() -> None:
    diff = diff_texts("The Republic of Examplia presents", "The Republic of Samplestan presents")
    changed = [h for h in diff.hunks if h.tag != "equal"]
    assert [(h.tag, h.a_text, h.b_text) for h in changed] == [("replace", "Examplia", "Samplestan")]
    assert changed[0].detail == ()  # "-Ex +S" fragments would not help anyone


def test_char_detail_only_where_it_helps() -> None:
    diff = diff_texts("has the honour to", "has the honor to")
    (h,) = [h for h in diff.hunks if h.tag != "equal"]
    assert h.detail == (("equal", "hono"), ("delete", "u"), ("equal", "r"))


def test_han_and_kana_change_by_character() -> None:
    diff = diff_texts("日本国政府は報告書を拒否する。", "日本国政府は報告を拒否した。")
    changed = [(h.tag, h.a_text, h.b_text) for h in diff.hunks if h.tag != "equal"]
    assert changed == [("delete", "書", ""), ("replace", "する", "した")]
    assert rebuild("日本国政府は報告書を拒否する。", diff) == "日本国政府は報告を拒否した。"


def test_a_shared_space_does_not_interleave_swapped_words() -> None:
    diff = diff_texts("we see the quick brown fox today", "we see a slow red dog today")
    changed = [h for h in diff.hunks if h.tag != "equal"]
    assert [(h.a_text, h.b_text) for h in changed] == [("the quick brown fox", "a slow red dog")]


def test_a_function_word_between_two_changes_is_part_of_the_rewording() -> None:
    # Vim's undo.txt beside Neovim's: the clause is reworded; its "a" is no anchor.
    diff = diff_texts(
        "To do the opposite, use a new undo block for the next change, in Insert mode",
        "To do the opposite, break a change into two undo blocks, in Insert mode",
    )
    changed = [(h.a_text, h.b_text) for h in diff.hunks if h.tag != "equal"]
    assert changed == [
        ("use a new undo block for the next change", "break a change into two undo blocks")
    ]
    # Between two one-word substitutions, it stays: "the [-quick-]{+slow+} of [-fox-]…".
    diff = diff_texts("the quick of fox jumps", "the slow of dog jumps")
    changed = [(h.a_text, h.b_text) for h in diff.hunks if h.tag != "equal"]
    assert changed == [("quick", "slow"), ("fox", "dog")]


def test_moved_paragraph_is_one_move() -> None:
    para = "Any attempt to argue on the issue does not stand to reason."
    first = "The first paragraph stays where it was, with all of its many words in place."
    second = "The second paragraph stays where it was too, and it is longer than the moved one."
    a = f"{first}\n\n{para}\n\n{second}\n"
    b = f"{first}\n\n{second}\n\n{para}\n"
    diff = diff_texts(a, b)
    moves = [h for h in diff.hunks if h.tag == "move_from"]
    assert len(moves) == 1
    assert moves[0].a_text.strip().rstrip(".") == para.rstrip(".")
    assert diff.stats.moved == 12
    assert diff.stats.inserted == diff.stats.deleted == 0
    assert rebuild(a, diff) == b


def test_statistics_count_words() -> None:
    diff = diff_texts("one two three four", "one 2 three four five six")
    stats = diff.stats
    assert (stats.inserted, stats.deleted, stats.changed, stats.moved) == (2, 0, 1, 0)
    assert stats.unchanged == 3
    assert stats.unchanged_percent == 75.0
    assert stats.line() == "2 words inserted, 0 deleted, 1 changed, 0 moved; 75.0% unchanged"


def test_unified_diff_is_line_based() -> None:
    out = unified("a\nb\nc\n", "a\nB\nc\n", a_name="old", b_name="new")
    assert out == "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
    assert unified("same\n", "same\n") == ""
    assert unified("x", "y").endswith("+y\n\\ No newline at end of file\n")


def test_char_ops_on_short_strings() -> None:
    ops = char_ops("fabrication", "fabrications")
    assert [(op.tag, op.text) for op in ops] == [("equal", "fabrication"), ("insert", "s")]
    assert similarity(ops) == 11 / 12


@settings(max_examples=25, deadline=None)
@given(
    st.integers(0, 2**32),
    st.lists(st.integers(100, 10_000), min_size=8, max_size=300),
    st.integers(0, 2000),
    st.integers(0, 2000),
)
def test_seeded_longest_run_finds_a_planted_block(
    seed: int, block: list[int], i: int, j: int
) -> None:
    # Sizes beyond the exact search: the seeded search must still find the moved block.
    from docdiff.versiondiff import _longest_run

    rng = random.Random(seed)
    a = [rng.randrange(50) for _ in range(2100)]
    b = [rng.randrange(50) for _ in range(2100)]
    a = a[:i] + block + a[i:]
    b = b[:j] + block + b[j:]
    s, t, size = _longest_run(a, b)
    assert a[s : s + size] == b[t : t + size]
    assert size >= len(block)


def test_text_that_stays_inside_one_change_is_no_move() -> None:
    """A line that new lines now surround, inside one change ("Project-URL: Homepage, …"
    with "Documentation" added before it and "Source" after it, a package's metadata): it
    stands where it stood, so it is no move (it was shown moved from one line to the next)."""
    old = "Name: tool\nProject-URL: Homepage, https://github.com/acme/tool/\nProvides-Extra: docs\n"
    new = (
        "Name: tool\nProject-URL: Documentation, https://tool-docs.example.org/en/latest/\n"
        "Project-URL: Homepage, https://github.com/acme/tool/\n"
        "Project-URL: Source, https://github.com/acme/tool.git\nProvides-Extra: docs\n"
    )
    diff = diff_texts(old, new)
    assert not [h for h in diff.hunks if h.tag in ("move_from", "move_to")], diff.hunks
    assert "".join(h.b_text for h in diff.hunks) == new
