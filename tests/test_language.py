"""Language resources: detection, stems, rarity from wordfreq, pair rarity, synonym classes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docdiff.text.lemmas import detect_language, paraphrase_stems
from docdiff.text.rarity import (
    genre_bigrams,
    genre_share,
    pair_zipf,
    rare_pair,
    stem_weights,
    token_weights,
    word_weight,
    zipf,
)
from docdiff.text.tokens import Tokens, tokenize

SAMPLES = {
    "en": "The Government of the Republic rejects the report, which has no basis in fact.",
    "fr": "Le Gouvernement de la République rejette le rapport, qui est dénué de tout fondement.",
    "es": "El Gobierno de la República rechaza el informe, que carece de fundamento y es falso.",
    "id": "Pemerintah Republik menolak laporan itu, yang tidak memiliki dasar dan adalah palsu.",
    "ru": "Правительство Республики отвергает доклад, который не имеет под собой оснований.",
    "ar": "ترفض حكومة الجمهورية التقرير الذي لا أساس له من الصحة.",
    "zh": "共和国政府拒绝该报告，该报告毫无事实根据。",
    "ja": "共和国政府はその報告書を拒否する。事実に基づかないからである。",
    "ko": "공화국 정부는 사실에 근거하지 않은 보고서를 거부한다.",
}


@pytest.mark.parametrize(("lang", "text"), sorted(SAMPLES.items()))
def test_detects_the_language_of_a_sentence(lang: str, text: str) -> None:
    assert detect_language(tokenize(text).forms) == lang
    assert tokenize(text).language() == lang


def test_no_words_is_undetermined() -> None:
    assert detect_language([]) == "und"
    assert detect_language(tokenize("12 34 —").forms) == "und"


def _stems(text: str, lang: str) -> list[str]:
    t = tokenize(text)
    return paraphrase_stems(t.forms, t.keys, lang)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "protect protection protected protecting"),
        ("en", "violation violated violations"),
        ("en", "honour honor honours"),
        ("fr", "protection protections"),
        ("fr", "violation violations"),
        ("es", "protección protecciones"),
        ("es", "violación violaciones"),
        ("id", "pelanggaran melanggar dilanggar"),
        ("id", "perlindungan melindungi dilindungi"),
        ("ru", "защита защиты защиту"),
        ("ar", "الحكومة والحكومة"),
    ],
)
def test_inflections_and_derivations_share_a_stem(lang: str, words: str) -> None:
    stems = _stems(words, lang)
    assert len(set(stems)) == 1, stems


def test_words_of_other_meaning_keep_their_stems() -> None:
    assert len(set(_stems("protection promotion", "en"))) == 2
    assert len(set(_stems("perlindungan pelanggaran", "id"))) == 2


def test_chinese_japanese_korean_are_not_stemmed() -> None:
    for lang in ("zh", "ja", "ko"):
        t = tokenize(SAMPLES[lang])
        assert paraphrase_stems(t.forms, t.keys, lang) == t.keys


def test_weights_follow_general_frequency() -> None:
    assert word_weight("the", "the", "en") == 0.0
    assert word_weight("falsehoods", "falsehood", "en") == 1.0
    assert 0.0 < word_weight("government", "government", "en") < 1.0
    assert word_weight("government", "government", "en") < word_weight(
        "sovereignty", "sovereignty", "en"
    )
    assert word_weight("pemerintah", "pemerintah", "id") < word_weight(
        "persundalan", "persundalan", "id"
    )
    # A language wordfreq does not list: every content word counts fully.
    assert word_weight("xyzzy", "xyzzy", "und") == 1.0


def test_zipf_reads_wordfreq_lists() -> None:
    assert zipf("the", "en") > 7.0
    assert 3.0 < zipf("honour", "en") < 5.0
    assert zipf("u.s.", "en") > 4.0  # wordfreq lists it as "u.s"
    assert zipf("verbale", "en") == 0.0  # below the small list's floor


@settings(deadline=None)  # the first text of a language reads its word list
@given(st.text(max_size=200))
def test_token_weights_are_in_range(text: str) -> None:
    t = tokenize(text)
    weights = token_weights(t)
    assert len(weights) == len(t)
    assert all(0.0 <= w <= 1.0 for w in weights)


def test_stem_weight_is_its_commonest_form() -> None:
    assert stem_weights(["a", "b", "a"], [1.0, 0.5, 0.3]) == {"a": 0.3, "b": 0.5}


def test_rare_pairs_of_common_words() -> None:
    # Each word alone is ordinary; together they are a telling phrase.
    assert rare_pair("hostile", "forces", "en")
    assert rare_pair("political", "provocation", "en")
    # Stock collocations of official speech, function words, and corpus-common phrases.
    assert not rare_pair("human", "rights", "en")
    assert not rare_pair("international", "community", "en")
    assert not rare_pair("the", "forces", "en")
    assert not rare_pair("hostile", "forces", "en", corpus_share=0.2)
    # Two frequent words: frequent together too.
    assert not rare_pair("very", "good", "en")
    assert pair_zipf("hostile", "forces", "en") < pair_zipf("very", "good", "en")


def test_genre_bigrams_load() -> None:
    bigrams = genre_bigrams()
    assert bigrams["human rights"] > 0.5
    assert all(0.005 <= share <= 1.0 for share in bigrams.values())
    assert genre_share("human", "rights", "en") == bigrams["human rights"]
    assert genre_share("hostile", "forces", "en") < 0.01
    assert genre_share("droits", "homme", "fr") == 0.0  # the table is English


def test_abbreviations_are_one_token() -> None:
    t = tokenize("The U.S. and the U.N. met the DPRK, e.g. in New York.")
    assert t.forms[:9] == ["the", "u.s.", "and", "the", "u.n.", "met", "the", "dprk", "e.g."]
    assert tokenize("US forces").forms[0] == "us"
    assert tokenize("US forces").keys[0] == tokenize("U.S. forces").keys[0]
    assert tokenize("the UN").keys[1] == "u.n."
    assert tokenize("un rapport").keys[0] == "un"  # the French article stays a function word


def test_help_and_tokenizing_do_not_load_language_data() -> None:
    code = (
        "import sys\n"
        "sys.argv = ['docdiff', '--help']\n"
        "from docdiff.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "from docdiff.text.tokens import tokenize\n"
        "tokenize('The Government rejects the report.')\n"
        "print('LOADED', [m for m in ('wordfreq', 'msgpack', 'Stemmer', 'snowballstemmer',"
        " 'simplemma', 'docdiff.text.rarity', 'docdiff.text.lemmas') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "LOADED []" in out.stdout, out.stdout[-500:]


def test_compare_never_imports_wordfreq() -> None:
    code = (
        "import sys\n"
        "import docdiff\n"
        "a = docdiff.load_text('Hostile forces rejected the report.', doc_id='a')\n"
        "b = docdiff.load_text('The report was rejected by hostile forces.', doc_id='b')\n"
        "docdiff.compare(a, b)\n"
        "print('LOADED', [m for m in ('wordfreq', 'langcodes') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "LOADED []" in out.stdout, out.stdout[-500:]


SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def test_seed_pair_shares_rare_and_stock_pairs() -> None:
    """Of the two-word phrases the seed letters share, the rhetoric is rare, the stock is not."""
    paths = sorted(SEEDS.glob("*.txt"))
    if len(paths) < 2:
        pytest.skip(f"needs the seed letters in {SEEDS} (../shared beside the checkout)")
    a, b = (tokenize(p.read_text(encoding="utf-8")) for p in paths[:2])

    def pairs(t: Tokens) -> set[tuple[str, str]]:
        return {(t.forms[i], t.forms[i + 1]) for i in range(len(t) - 1)}

    shared = pairs(a) & pairs(b)
    rare = {p for p in shared if rare_pair(*p, "en")}
    assert {("hostile", "forces"), ("impartiality", "objectivity")} <= rare
    assert not rare & {("human", "rights"), ("united", "nations"), ("high", "commissioner")}
    assert {("human", "rights"), ("united", "nations")} <= shared
