"""A cable's marking line may name the person the cable is for ("FOR THE PRIME MINISTER MOST
SECRET", "SECRET FOR HODGSON"): the formula is the marking, and the addressee changes with each
document, so the line is listed under the marking (`_Wording._routes`). DFAT volumes 1-14
sampled twice: "FOR THE PRIME MINISTER MOST SECRET" (18 and 22 documents) took a rank of the
top 30 of its own."""

from __future__ import annotations

from docdiff.model import Formula
from tests._families import listed_under


def test_a_marking_routed_to_a_person_is_listed_under_the_marking() -> None:
    ranked = [
        Formula("SECRET", 283),
        Formula("TOP SECRET", 63),
        Formula("FOR THE PRIME MINISTER MOST SECRET", 22),
        Formula("SECRET FOR HODGSON", 5),
    ]
    assert listed_under(ranked) == {
        "SECRET": ["FOR THE PRIME MINISTER MOST SECRET", "SECRET FOR HODGSON"],
        "TOP SECRET": [],
    }


def test_markings_without_an_addressee_stay_their_own() -> None:
    ranked = [
        Formula("SECRET", 283),
        Formula("PERSONAL FOR HIMSELF", 5),
        Formula("FOR ACTION", 4),
        Formula("SECRET AND PERSONAL", 9),
    ]
    assert list(listed_under(ranked)) == [f.template for f in ranked]
