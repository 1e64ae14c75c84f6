"""A title names a document's sender before its addressee ("Critchley to Kirby"), and an
edition's titles often name the document's kind first ("Cablegram from Critchley to Canberra",
"Cablegram to Canberra"): the kind is nobody, and every cablegram of an edition is not one
sender's (DFAT's documents, whose metadata has only a title)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docdiff.corpus.formulae import formulae_report
from docdiff.corpus.metadata import (
    cross_values,
    sender_list,
    senders_named,
    title_kinds,
    title_sender,
)
from docdiff.loaders import load_text

_KINDS = frozenset({"cablegram", "submission", "draft"})


@pytest.mark.parametrize(
    ("title", "sender"),
    [
        ("Critchley to Kirby and Burton", "Critchley"),
        ("Cablegram from Critchley to Canberra", "Critchley"),
        ("Cablegram From Spender to Casey", "Spender"),
        ("Submission No. 409 From Casey to Cabinet", "Casey"),
        ("Submission No. 71, Barnes To Cabinet", "Barnes"),
        ("Cablegram to Canberra", None),
        ("Draft cablegram to Washington", None),
        ("Draft Submission No. 12, Barnes to Cabinet", "Barnes"),
        ("SUBMISSION TO FREETH", None),
        ("Submission to Whitlam", None),
        ("Cabinet Minute", None),
        (
            "Mr R. G. Casey, Minister to the United States, to Department of External Affairs",
            "Mr R. G. Casey, Minister to the United States",
        ),
        (
            "Australian Delegation, United Nations, to Department of External Affairs",
            "Australian Delegation, United Nations",
        ),
    ],
)
def test_the_sender_a_title_names(title: str, sender: str | None) -> None:
    assert title_sender(title, _KINDS) == sender


def test_an_editions_kinds_are_read_from_its_titles() -> None:
    """The words an edition uses for its kinds are the few words before the "from" of the titles
    whose sender follows it (not a title's addressee: "Submission to Talboys from …"); a field
    that names the sender leaves the title unread; a title without an addressee names nobody."""
    metas = [
        {"title": "Cablegram from Critchley to Canberra"},
        {"title": "Submission No. 409 From Casey to Cabinet"},
        {"title": "Cablegram to Canberra"},
        {"title": "Critchley to Kirby"},
        {"title": "Letter from Evatt to Makin", "sender": "Evatt"},
        {"title": "Teletype message from Spender to Casey"},
        {"title": "Teletype message to Canberra"},
        {"title": "Note for File from the Minister's Office"},
        {"title": "Submission to Talboys from the Department of Foreign Affairs"},
    ]
    assert title_kinds(metas) == {"cablegram", "submission", "teletype", "message"}
    assert sender_list(metas) == [
        "Critchley",
        "Casey",
        None,
        "Critchley",
        "Evatt",
        "Spender",
        None,
        None,
        "the Department of Foreign Affairs",
    ]
    assert senders_named(metas) == {
        "Critchley",
        "Casey",
        "Evatt",
        "Spender",
        "the Department of Foreign Affairs",
    }
    assert cross_values(metas, "sender") == sender_list(metas)
    # Without a title that shows the kind, a lone word before "to" may be a surname.
    assert sender_list([{"title": "Cablegram to Canberra"}]) == ["Cablegram"]


@given(st.text(max_size=60), st.frozensets(st.sampled_from(["cablegram", "note", "to"])))
def test_a_title_s_sender_is_some_of_its_words(title: str, kinds: frozenset[str]) -> None:
    """Whatever the title, its sender is a stretch of it, never empty, never padded."""
    sender = title_sender(title, kinds)
    if sender is not None:
        assert sender
        assert sender in title
        assert sender == sender.strip(" ,;:")


def test_a_recommendation_of_one_kind_of_document_from_many_senders_is_a_formula() -> None:
    """Submissions to five ministers ("Submission to Whitlam"), from many officers, each
    recommend in the middle of their text ("It is recommended that {…}"). Read as sent by
    "Submission", the formula had one sender, a sender's own wording, and was left out (DFAT
    "unseen" sample: 11 submissions), while the corpus names other senders."""
    ministers = ["Whitlam", "Peacock", "Freeth", "Hasluck", "McMahon"]
    docs = []
    for i in range(12):
        body = " ".join(
            f"Paragraph {j} considers the matter {i}{j} of policy at some length here."
            for j in range(8)
        )
        text = (
            f"{body}\n\nIt is recommended that you approve option {i}.\n\n{body}\n\nOfficer {i}\n"
        )
        title = f"Submission to {ministers[i % 5]}"
        doc = load_text(text, doc_id=f"s{i:02}")
        docs.append(replace(doc, meta={"title": title, "date": str(1960 + i)}))
    others = ["Submission No. 9 from Barnes to Cabinet", "Critchley to Kirby", "Evatt to Makin"]
    for i, title in enumerate([*others, "Burton to Moodie", "Shaw to Copland"]):
        doc = load_text(f"Nothing of note here, {title}.\n", doc_id=f"z{i}")
        docs.append(replace(doc, meta={"title": title, "date": "1970"}))
    found = [f.template for f in formulae_report(docs, min_docs=5).formulae]
    assert any(t.startswith("It is recommended that") for t in found), found


def test_cables_that_name_no_sender_count_as_one_sender_more() -> None:
    """ "Following is text of {…}" opens cables from two named senders and from cables whose
    titles name only their kind ("Cablegram to Jakarta"): those were sent by some post, so the
    formula has three senders at least, not two (DFAT "final" sample: eleven cables open so,
    and the formula was left out once "Cablegram" stopped being read as a sender)."""
    titles = [
        "Critchley to Department of External Affairs",
        "Evatt to Makin",
        "Cablegram to Jakarta",
        "Cablegram to Canberra",
        "Critchley to Burton",
        "Evatt to Beasley",
    ]
    docs = []
    for i in range(18):
        body = " ".join(
            f"Paragraph {j} weighs the question {i}{j} of the day at some length." for j in range(8)
        )
        lead = f"Following is text of statement {i}.\n\n" if i < 6 else ""
        doc = load_text(f"SECRET\n\n{lead}{body}\n", doc_id=f"c{i:02}")
        title = titles[i % 6] if i < 6 else f"Cablegram from Officer{i} to Canberra"
        docs.append(replace(doc, meta={"title": title, "date": str(1940 + i)}))
    found = [f.template for f in formulae_report(docs, min_docs=5).formulae]
    assert any(t.startswith("Following is text of") for t in found), found


def test_a_letter_to_the_united_nations_is_its_writers_whatever_its_date() -> None:
    """A UN letter's title names its date before its sender: read up to the first "to", every
    letter of one Permanent Representative was a sender of its own ("Letter dated 3 March 2020
    from …", "Letter dated 5 May 2021 from …"), and the dated words made no kind."""
    template = (
        "Letter dated {} from the Permanent Representative of Cuba to the United Nations "
        "addressed to the Secretary-General"
    )
    metas = [{"title": template.format(day)} for day in ("3 March 2020", "5 May 2021")]
    metas.append({"title": "Message[1] from Churchill to Curtin"})
    assert title_kinds(metas) == {"message"}
    assert sender_list(metas) == ["the Permanent Representative of Cuba"] * 2 + ["Churchill"]


def test_a_date_after_the_addressee_is_no_sender() -> None:
    """ "… from 3 to 5 May" after a title's addressee is a date: it names no sender, as
    "Submission to Talboys from Renouf" does."""
    sender = title_sender("Brief for the Minister's visit to Japan from 3 to 5 May", _KINDS)
    assert sender is None or "May" not in sender
