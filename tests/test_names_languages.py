"""Names in languages whose capitals say less than English ones: French, Spanish and Russian
capitalise only a name's first word, Arabic and Chinese have no capitals at all."""

from __future__ import annotations

import pytest

from docdiff.engine.compare import compare
from docdiff.loaders import load_text
from docdiff.model import Kind


def _kinds(a: str, b: str) -> list[tuple[str, str]]:
    """Each match's and echo's kind, with its text in `a`."""
    report = compare(load_text(a, doc_id="a"), load_text(b, doc_id="b"))
    pair = report.pairs[0]
    return [(m.kind.value, a[m.a.span.start : m.a.span.end]) for m in (*pair.matches, *pair.echoes)]


@pytest.mark.parametrize(
    "letterhead",
    [
        (
            "Mission permanente de la République de Mockovie auprès de l'Organisation des "
            "Nations Unies"
        ),
        "Постоянное представительство Федерации Теставия при Организации Объединенных Наций",
        "البعثة الدائمة لمملكة ديمولاند لدى الأمم المتحدة",
        "中华人民共和国常驻联合国代表团",
    ],
)
def test_a_shared_letterhead_is_a_name(letterhead: str) -> None:
    a = f"{letterhead}\n\nLa pluie est tombée toute la nuit sur le port de Brannick.\n"
    b = f"{letterhead}\n\nLes glaciers de l'Alder ont perdu un tiere de leur volume.\n"
    kinds = _kinds(a, b)
    assert kinds
    assert all(kind == Kind.NAME.value for kind, _ in kinds), kinds


def test_a_shared_first_sentence_without_capitals_is_no_letterhead() -> None:
    sentence = "我们在此重申对联合国宪章宗旨和原则的坚定承诺。"
    kinds = _kinds(
        f"{sentence}\n\n气候变化是全人类面临的共同挑战。\n",
        f"{sentence}\n\n各国应当和平解决争端。\n",
    )
    assert kinds
    assert all(kind == Kind.PHRASING.value for kind, _ in kinds), kinds
