"""The built-in lexicon knows the formulae of United Nations correspondence in its other official
languages (French, Spanish, Russian, Arabic, Chinese), each language's under its own labels."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docdiff.engine.lexicon import Lexicon
from docdiff.loaders import load
from docdiff.model import Document
from docdiff.text.tokens import tokenize
from tests._archives import DFAT, UN, archive_documents

_SENTENCES = [
    # French: a note verbale's opening, its closing, a letter's closing, circulation requests
    (
        (
            "La Mission permanente de la République de Mockovie auprès de l'Organisation des "
            "Nations Unies présente ses compliments au Secrétaire général et a l'honneur de lui "
            "faire tenir ci-joint le rapport national."
        ),
        ["compliments-fr", "honour-fr"],
    ),
    ("J'ai l'honneur de vous transmettre ci-joint la déclaration.", ["honour-fr"]),
    ("Me référant à ma lettre datée du 3 mars 2024, je souhaite ajouter ceci.", ["reference-fr"]),
    (
        "D'ordre de mon gouvernement, j'ai l'honneur de porter à votre connaissance ce qui suit.",
        ["instructions-fr", "honour-fr"],
    ),
    (
        (
            "La Mission permanente saisit cette occasion pour renouveler au Secrétaire général les "
            "assurances de sa très haute considération."
        ),
        ["assurances-fr"],
    ),
    (
        (
            "Veuillez agréer, Monsieur le Secrétaire général, les assurances de ma très haute "
            "considération."
        ),
        ["assurances-fr"],
    ),
    (
        (
            "Je vous serais reconnaissant de bien vouloir faire distribuer le texte de la présente "
            "lettre et de son annexe comme document de l'Assemblée générale."
        ),
        ["circulation-fr"],
    ),
    ("Elle sera distribuée au titre du point 68 de l'ordre du jour.", ["circulation-agenda-fr"]),
    ("Une lettre identique a été adressée au Président du Conseil de sécurité.", ["identical-fr"]),
    ("Monsieur le Secrétaire général,", ["address-fr"]),
    # Spanish
    ("Excelentísimo señor:", ["address-es"]),
    ("Señor Secretario General:", ["address-es"]),
    (
        (
            "La Misión Permanente de la República de Mockovia ante las Naciones Unidas saluda "
            "atentamente al Secretario General y tiene el honor de transmitirle adjunto el informe."
        ),
        ["compliments-es", "honour-es"],
    ),
    ("Me refiero a la nota verbal de fecha 3 de marzo de 2024.", ["reference-es"]),
    (
        "Siguiendo instrucciones de mi Gobierno, tengo el honor de informarle de lo siguiente.",
        ["instructions-es", "honour-es"],
    ),
    (
        (
            "Aprovecho la ocasión para reiterarle las seguridades de mi más alta y distinguida "
            "consideración."
        ),
        ["assurances-es"],
    ),
    (
        (
            "La Misión Permanente agradecería que la presente nota y su anexo se distribuyeran "
            "como documento de la Asamblea General."
        ),
        ["circulation-es"],
    ),
    ("Se distribuirá en relación con el tema 68 del programa.", ["circulation-agenda-es"]),
    (
        (
            "Carta de fecha 12 de marzo de 2024 dirigida al Secretario General por el "
            "Representante Permanente de Mockovia"
        ),
        ["letter-dated-es"],
    ),
    # Russian
    (
        (
            "Постоянное представительство Республики Моковия при Организации Объединенных Наций "
            "свидетельствует свое уважение Генеральному секретарю и имеет честь препроводить "
            "настоящим национальный доклад."
        ),
        ["compliments-ru", "honour-ru"],
    ),
    (
        (
            "Постоянное представительство пользуется этой возможностью, чтобы возобновить "
            "Генеральному секретарю уверения в своем весьма высоком уважении."
        ),
        ["assurances-ru"],
    ),
    (
        (
            "Буду признателен за распространение настоящего письма и приложения к нему в качестве "
            "документа Генеральной Ассамблеи."
        ),
        ["circulation-ru"],
    ),
    ("Ваше Превосходительство!", ["address-ru"]),
    # Arabic
    (
        (
            "تهدي البعثة الدائمة لجمهورية موكوفيا لدى الأمم المتحدة تحياتها إلى الأمين العام للأمم "
            "المتحدة وتتشرف بأن تحيل إليه طيه التقرير الوطني."
        ),
        ["compliments-ar", "honour-ar"],
    ),
    (
        "وتغتنم البعثة الدائمة هذه الفرصة لتعرب مجددا للأمين العام عن أسمى آيات تقديرها.",
        ["assurances-ar"],
    ),
    (
        (
            "وأكون ممتنا لو تفضلتم بتعميم هذه الرسالة ومرفقها بوصفهما وثيقة من وثائق "
            "الجمعية العامة، في إطار البند 68 من جدول الأعمال."
        ),
        ["circulation-ar", "circulation-agenda-ar"],
    ),
    # Chinese
    (
        "莫科维亚共和国常驻联合国代表团向联合国秘书长致意，并谨随函转递国家报告。",
        ["compliments-zh"],
    ),
    ("常驻代表团借此机会再次向秘书长致以最崇高的敬意。", ["assurances-zh"]),
]


@pytest.mark.parametrize(("sentence", "families"), _SENTENCES)
def test_the_builtin_lexicon_knows_the_formulae_in_other_languages(
    sentence: str, families: list[str]
) -> None:
    hits = Lexicon.builtin().find(tokenize(sentence).keys)
    assert [h.template.family for h in hits] == families, hits


def test_a_language_s_formulae_are_its_own_family() -> None:
    """A French and an English note do not share a formula because each presents its
    compliments: the labels of a language end in its code."""
    lexicon = Lexicon.builtin()
    english = {h.template.family for h in lexicon.find(tokenize(
        "The Mission presents its compliments to the Secretary-General and has the honour to "
        "inform him of the following."
    ).keys)}  # fmt: skip
    french = {h.template.family for h in lexicon.find(tokenize(
        "La Mission présente ses compliments au Secrétaire général et a l'honneur de l'informer "
        "de ce qui suit."
    ).keys)}  # fmt: skip
    assert english
    assert french
    assert not english & french


_LANGUAGE_SUFFIX = re.compile(r"-(fr|es|ru|ar|zh)$")


def _english_only() -> Lexicon:
    """The built-in lexicon without the templates of the other languages."""
    builtin = Lexicon.builtin()
    return Lexicon(
        [t for t in (*builtin.templates, *builtin.stock) if not _LANGUAGE_SUFFIX.search(t.family)]
    )


def _instances(lexicon: Lexicon, docs: list[Document]) -> list[tuple[str, str, int, int]]:
    out = []
    for d in docs:
        t = tokenize(d.text)
        out += [(d.id, h.template.family, h.start, h.end) for h in lexicon.find(t.keys)]
    return out


def test_the_other_languages_formulae_never_fire_on_english_letters() -> None:
    letters = sorted((Path(__file__).parent.parent / "fixtures" / "letters").glob("*.txt"))
    docs = [load(p) for p in letters]
    assert len(docs) >= 14
    assert _instances(Lexicon.builtin(), docs) == _instances(_english_only(), docs)


def test_the_other_languages_formulae_never_fire_on_english_archives(shared_dir: Path) -> None:
    """UN speeches of one session and DFAT documents of one volume: the same instances with and
    without the French, Spanish, Russian, Arabic and Chinese templates."""
    docs = [
        *archive_documents(shared_dir, UN, "un_general_debate_corpus/txt/", ["2015/"]),
        *archive_documents(shared_dir, DFAT, "dfat_historical_documents/txt/", ["volume-26"]),
    ]
    assert len(docs) > 300
    assert _instances(Lexicon.builtin(), docs) == _instances(_english_only(), docs)


def test_a_formula_shorter_than_a_passage_is_no_echo() -> None:
    """A Spanish letter's salutation is a two-word phrase rare in general Spanish, and a formula
    of the lexicon on both sides: no echo, as "Your Excellency," is none in English."""
    from docdiff.engine.compare import compare
    from docdiff.loaders import load_text

    a = load_text(
        "Excelentísimo señor:\n\nLa lluvia cayó toda la noche sobre el puerto de Brannick.\n",
        doc_id="a",
    )
    b = load_text(
        "Excelentísimo señor:\n\nLos glaciares de Alder han perdido un tercio de su volumen.\n",
        doc_id="b",
    )
    pair = compare(a, b).pairs[0]
    assert not pair.echoes, pair.echoes
