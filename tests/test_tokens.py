"""Tokenizer: every script, spans that round-trip, normalisation on forms only."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from docdiff.text.seeds import kgram_hashes, stable_hash, token_hash
from docdiff.text.tokens import count_words, fuzzy_key, is_stopword, root_stem, tokenize


def forms(text: str) -> list[str]:
    return tokenize(text).forms


def test_latin_case_folding_and_quotes() -> None:
    assert forms("The People’s REPUBLIC") == ["the", "people's", "republic"]


def test_every_script() -> None:
    assert forms("조선민주주의인민공화국 대표부") == ["조선민주주의인민공화국", "대표부"]
    assert forms("Россия и Франция") == ["россия", "и", "франция"]
    assert forms("المملكة العربية") == ["المملكة", "العربية"]
    # Arabic harakat stay inside their word.
    assert len(forms("كَتَبَ الوَلَدُ")) == 2
    assert forms("北京大学") == ["北", "京", "大", "学"]
    assert forms("ひらがなカタカナ") == list("ひらがなカタカナ")


def test_nfkc_and_dashes() -> None:
    assert forms("ﬁnal Ｆｕｌｌ") == ["final", "full"]
    assert forms("anti—DPRK") == ["anti", "dprk"]


def test_hyphenation_across_line_break_is_joined() -> None:
    t = tokenize("the promo-\n   tion of rights")
    assert t.forms == ["the", "promotion", "of", "rights"]
    assert t.starts[1] == 4
    assert "the promo-\n   tion of rights"[t.starts[1] : t.ends[1]] == "promo-\n   tion"


def test_fuzzy_keys_equate_variants() -> None:
    pairs = [
        ("honour", "honor"),
        ("fabrication", "fabrications"),
        ("has", "have"),
        ("organisation", "organization"),
        ("centre", "center"),
        ("falsehood", "falsehoods"),
        ("labelled", "labeled"),
    ]
    for x, y in pairs:
        assert fuzzy_key(x) == fuzzy_key(y), (x, y)
    assert fuzzy_key("four") != fuzzy_key("for")


def test_root_stem_joins_derivations() -> None:
    assert root_stem(fuzzy_key("violation")) == root_stem(fuzzy_key("violated"))
    assert root_stem(fuzzy_key("gross")) == root_stem(fuzzy_key("grossly"))


def test_stopwords() -> None:
    assert is_stopword("the")
    assert is_stopword(fuzzy_key("has"))
    assert not is_stopword("honor")


def test_every_function_word_is_one_by_its_key() -> None:
    """A token's key is what the engine asks about, and the key of "there", "these", "before",
    "during" or French "cette" is not the word as written ("ther", "thes", "befor", "dur",
    "cett"): each was read as a content word, a seed and a word of a name."""
    from docdiff.text.tokens import STOPWORDS

    t = tokenize(" ".join(sorted(STOPWORDS)))
    assert [f for f, k in zip(t.forms, t.keys, strict=True) if not is_stopword(k)] == []
    assert not is_stopword(fuzzy_key("honour"))
    # Russian and Arabic function words too ("при", "и", "في", "من").
    assert all(map(is_stopword, tokenize("при и в по في من على").keys))


@given(st.text(max_size=300))
def test_spans_round_trip(text: str) -> None:
    t = tokenize(text)
    previous_end = 0
    for i in range(len(t)):
        assert previous_end <= t.starts[i] < t.ends[i] <= len(text)
        piece = text[t.starts[i] : t.ends[i]]
        assert piece.strip() == piece
        assert tokenize(piece).forms == [t.forms[i]]
        previous_end = t.ends[i]


def test_hashes_are_stable_across_processes() -> None:
    # Fixed values: Python's salted hash() would change these from run to run.
    assert token_hash("honour") == token_hash("honour")
    assert stable_hash("docdiff") == 7_935_538_798_299_620_204
    assert kgram_hashes(["a", "b", "c"], 3) == kgram_hashes(["a", "b", "c", "d"], 3)[:1]
    assert kgram_hashes(["a", "b"], 3) == []
    assert all(0 <= h < 2**63 for h in kgram_hashes(list("abcdef"), 2))


WORDY = st.lists(
    st.sampled_from(
        [*"ab Zé_-'’.\n\t,", "U.N.", "US", "北京", "كَتَبَ", "re-\nport", "\u00ad", "\u200d", "²", "ﬁ"]
    ),
    max_size=80,
)


@given(st.one_of(st.text(max_size=300), WORDY.map("".join)))
@example("a \u00ad b \u200c c")  # a soft hyphen or joiner alone matches, but is no word
def test_count_words_is_the_token_count(text: str) -> None:
    assert count_words(text) == len(tokenize(text))
