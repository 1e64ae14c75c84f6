"""Names of bodies, offices, instruments and states as French and Spanish write them: the first
word capitalised, the others in lower case ("Conseil de sécurité"), are names; the same words
running on into a sentence ("Le Conseil de sécurité demande instamment …") are not."""

from __future__ import annotations

import pytest

from docdiff.engine.classify import name_evidence
from docdiff.text.tokens import tokenize

CONTEXT = {
    "fr": (
        "Nous avons pris connaissance de la lettre adressée par le {} à la présidence, et nous y "
        "répondrons dans les meilleurs délais avec toute l'attention voulue."
    ),
    "es": (
        "Hemos recibido la carta enviada por el {} a la presidencia, y responderemos en breve "
        "con toda la atención que merece el asunto."
    ),
    "en": (
        "We have read the letter sent by the {} to the presidency, and we shall reply to it "
        "shortly with all the attention it deserves."
    ),
}

NAMES = [
    ("fr", "Conseil de sécurité"),
    ("fr", "Assemblée générale"),
    ("fr", "Conseil économique et social"),
    ("fr", "Cour internationale de Justice"),
    ("fr", "Conseil des droits de l'homme"),
    ("fr", "Haut-Commissariat des Nations Unies aux droits de l'homme"),
    ("fr", "Haut-Commissariat des Nations Unies pour les réfugiés"),
    ("fr", "Haut-Commissariat des Nations Unies aux droits\nde l'homme"),  # a wrapped line
    ("fr", "Organisation mondiale de la santé"),
    ("fr", "Programme alimentaire mondial"),
    ("fr", "Comité contre la torture"),
    ("fr", "Convention-cadre des Nations Unies sur les changements climatiques"),
    ("fr", "Ministère des affaires étrangères"),
    ("fr", "République démocratique du Congo"),
    ("fr", "Pacte international relatif aux droits civils et politiques"),
    ("fr", "Déclaration universelle des droits de l'homme"),
    ("fr", "Traité sur la non-prolifération des armes nucléaires"),
    ("fr", "Secrétaire général adjoint aux affaires politiques"),
    ("fr", "Groupe d'experts gouvernementaux"),
    ("fr", "Représentante spéciale du Secrétaire général pour le sort des enfants"),
    ("es", "Relator Especial sobre la situación de los derechos humanos en Eritrea"),
    ("es", "Relatora Especial sobre la violencia contra la mujer"),
]

PHRASES = [
    ("fr", "Le Gouvernement condamne les attaques"),
    ("fr", "Conseil de sécurité demande instamment aux parties"),
    ("fr", "Comité note avec préoccupation"),
    ("fr", "Conseil de sécurité, agissant en vertu du Chapitre VII"),
    ("fr", "Programme alimentaire mondial distribue des vivres"),
    ("fr", "Gouvernement français soutient pleinement"),
    ("fr", "Paix et sécurité internationales"),
    ("fr", "Conseil rappelle en outre"),
    ("fr", "Gouvernement renouvelle son engagement"),
    ("fr", "Haut-Commissariat publie régulièrement des rapports"),
    ("es", "Consejo de Seguridad condena enérgicamente los ataques"),
    ("es", "Consejo exhorta a las partes"),
    # English goes by its capitals, as before: "Office" heads no name in lower case.
    ("en", "Office of the situation in the region"),
]


def _evidence(lang: str, words: str) -> tuple[bool, str]:
    text = CONTEXT[lang].format(words)
    tokens = tokenize(text)
    start = text.index(words)
    end = start + len(words)
    i0 = next(i for i, s in enumerate(tokens.starts) if s >= start)
    i1 = max(i for i, s in enumerate(tokens.starts) if s < end) + 1
    assert tokens.language() == lang
    return name_evidence(text, tokens, i0, i1)


@pytest.mark.parametrize(("lang", "words"), NAMES)
def test_a_body_named_in_french_or_spanish_is_a_name(lang: str, words: str) -> None:
    is_name, why = _evidence(lang, words)
    assert is_name, why


@pytest.mark.parametrize(("lang", "words"), PHRASES)
def test_its_words_running_on_into_a_sentence_are_no_name(lang: str, words: str) -> None:
    is_name, why = _evidence(lang, words)
    assert not is_name, why
