"""A word hyphenated at a line's end in a hard-wrapped record ("Secretary-" / "General",
"sixty-" / "third") prints whole in a mined template and in its slot fillers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.corpus.formulae import _LINE_END_HYPHEN, _broken_word
from tests._masked import case_stats, names_in

RECORD = "I thank the Secretary-\nGeneral and the sixty-  \n  third session; a dash -\nthen"


def test_a_hyphen_ending_a_line_inside_a_word_joins_it() -> None:
    hyphen = RECORD.index("Secretary-") + len("Secretary-")
    assert _broken_word(RECORD, hyphen, RECORD.index("General"))
    # A dash standing alone at a line's end is no broken word.
    dash = RECORD.index(" -\n") + 2
    assert not _broken_word(RECORD, dash, RECORD.index("then"))
    # Within one line a hyphen is the text's own.
    assert not _broken_word("Secretary- General", len("Secretary-"), len("Secretary- "))


def test_fillers_join_a_word_broken_at_a_line_end() -> None:
    joined = _LINE_END_HYPHEN.sub("-", RECORD)
    assert "Secretary-General" in joined
    assert "sixty-third" in joined
    assert "dash -\nthen" in joined


def test_the_second_part_of_a_hyphenated_given_name_is_masked_with_the_name() -> None:
    """ "Ban Ki-moon" is one name: "moon" is written in lower case only after the hyphen that
    joins it to "Ki". "Afghan-led" is no name's part: "led" stands on its own as well."""
    from docdiff.corpus.formulae import mask

    text = (
        "We thank Secretary-General Ban Ki-moon for his efforts. We met Ban Ki-moon again. "
        "The Afghan-led process was led by them and led well. Mr. Han Seung-soo presided; "
        "Han Seung-soo spoke."
    )
    masked = mask(text, case_stats([text]))
    names = names_in(text, masked)
    assert "Ban Ki-moon" in names, names
    assert "Han Seung-soo" in names, names
    assert "Afghan" in names, names
    assert "led" in [k for k, kind in zip(masked.keys, masked.kinds, strict=True) if not kind]
    # Without the corpus's counts, no tail is known.
    plain = mask(text)
    assert not any(
        text[a:b].endswith("-moon")
        for a, b, kind in zip(plain.starts, plain.ends, plain.kinds, strict=True)
        if kind == "name"
    )


def test_a_name_of_two_hyphenated_names_is_one_name() -> None:
    """ "Tijjani Muhammad-Bande" is one name: the congratulation of 2019's President was mined
    as "Mr. {name}-{name} on his election …", two slots with a hyphen between them as a fixed
    word, and its documents split by how they spelt him. A dash between words stays apart."""
    from docdiff.corpus.formulae import mask

    text = (
        "We congratulate Mr. Tijjani Muhammad-Bande on his election. Mr. Tijjani Muhammad-Bande "
        "of Nigeria spoke. Nigeria - Ghana relations are good."
    )
    masked = mask(text, case_stats([text]))
    names = names_in(text, masked)
    assert "Mr. Tijjani Muhammad-Bande" in names, names
    spans = [text[a:b] for a, b in zip(masked.starts, masked.ends, strict=True)]
    assert "-" in spans, spans  # (the spaced dash)


_PIECES = ["Ki", "moon", "-", "Ban", " ", "\n", "Seung", "soo", "A", "a", ".", ",", "--", "Ü", "1"]


@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=30), min_size=1, max_size=4))
@settings(max_examples=200, deadline=None)
def test_masked_tokens_are_ordered_spans_of_the_text(texts: list[list[str]]) -> None:
    """Whatever the corpus counts, every masked token is a span of its text, in order, and a
    name never ends on the hyphen it took in."""
    from docdiff.corpus.formulae import mask

    joined = ["".join(t) for t in texts]
    stats = case_stats(joined)
    for text in joined:
        masked = mask(text, stats)
        assert len(masked.keys) == len(masked.kinds) == len(masked.starts) == len(masked.ends)
        previous = 0
        for start, end, kind in zip(masked.starts, masked.ends, masked.kinds, strict=True):
            assert previous <= start < end <= len(text)
            previous = end
            if kind == "name":
                assert not text[start:end].endswith("-")


def test_a_filler_broken_by_a_space_after_its_hyphen_is_shown_once() -> None:
    """ "seventy- fourth" (a line's end once stood after the hyphen) fills the slot that most
    speeches fill with "seventy-fourth": one filler, shown as most spell it, not two."""
    import random
    from dataclasses import replace

    from docdiff.corpus.formulae import formulae_report
    from docdiff.loaders import load_text

    rng = random.Random(49)
    words = [f"{c}{v}{c2}o" for c in "bdfgklmnprst" for v in "aeiu" for c2 in "lnrst"]
    ordinals = ["seventy-fourth"] * 6 + ["seventy- fourth"] * 3 + ["seventy-third"] * 3
    docs = []
    for i, ordinal in enumerate(ordinals):
        body = " ".join(
            " ".join(rng.choice(words) for _ in range(20)).capitalize() + "." for _ in range(30)
        )
        text = (
            f"I congratulate you on your election to preside over the General Assembly at its "
            f"{ordinal} session. {body}\n"
        )
        meta = {"sender": f"c{i}", "date": str(2000 + i)}
        docs.append(replace(load_text(text, doc_id=f"s{i:02}"), meta=meta))
    found = formulae_report(docs, min_docs=3).formulae
    examples = [
        x for f in found if "session" in f.template for slot in f.slot_examples for x in slot
    ]
    assert "seventy-fourth" in examples, [(f.template, f.slot_examples) for f in found]
    assert "seventy- fourth" not in examples
