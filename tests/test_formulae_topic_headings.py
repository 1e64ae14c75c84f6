"""A heading that is its documents' subject ("Nuclear Weapons" in DFAT volume 28, on the
Non-Proliferation Treaty) is no formula, also where some documents run its words into their
text ("Nuclear weapons are …"), which makes its template no line of its own
(`formulae._titled`)."""

from __future__ import annotations

from pathlib import Path

from docdiff.corpus.formulae import formulae_report
from docdiff.model import Document
from tests._archives import DFAT, archive_documents

VOLUME = (
    "dfat_historical_documents/txt/"
    "volume-28-australia-and-the-nuclear-non-proliferation-treaty-1945-1974/"
)


def _read(shared_dir: Path, volume: str) -> list[Document]:
    docs = archive_documents(shared_dir, DFAT, volume)
    assert len(docs) > 150
    return docs


def _volume(shared_dir: Path) -> list[Document]:
    return sorted(_read(shared_dir, VOLUME), key=lambda d: d.id)


def test_the_volumes_subject_heading_is_no_formula(shared_dir: Path) -> None:
    templates = [f.template for f in formulae_report(_volume(shared_dir), limit=60).formulae]
    assert "{name}, {date}" in templates, templates  # (Canberra, London, … : one dateline)
    assert "Nuclear Weapons" not in templates, templates


V25 = "dfat_historical_documents/txt/volume-25-australia-and-the-formation-of-malaysia-1961-1966/"


def test_a_subject_heading_whose_subject_varies_is_no_formula(shared_dir: Path) -> None:
    """Volume 25's cables head their text with their subject in bold: "Malaysia and the United
    Nations", "Malaysia and the Security Council", "Singapore and the United Nations". Read
    together they make "Malaysia and the {name}", a template with a name slot, whose words
    each cable goes on to talk about: a topic, not wording of the genre
    (`formulae._a_varied_heading`). The datelines, whose place and date vary as well, stay."""
    docs = sorted(_read(shared_dir, V25), key=lambda d: d.id)
    templates = [f.template for f in formulae_report(docs, limit=60).formulae]
    assert "{name}, {date}" in templates, templates  # (Canberra, Kuala Lumpur, … : one dateline)
    assert not [t for t in templates if t.startswith("Malaysia and the")], templates
    assert "The Threat {…}" not in templates, templates


V19 = "dfat_historical_documents/txt/volume-19-1950-1959-the-australia-japan-agreement-on-commerce/"
V21 = "dfat_historical_documents/txt/volume-21-the-anzus-treaty/"
V23 = (
    "dfat_historical_documents/txt/volume-23-the-negotiation-of-the-australia-new-zealand-"
    "closer-economic-relations-trade-agreement-1983/"
)


def _templates(shared_dir: Path, volume: str, least: int) -> list[str]:
    docs = archive_documents(shared_dir, DFAT, volume)
    assert len(docs) > least
    listed = formulae_report(sorted(docs, key=lambda d: d.id), limit=60).formulae
    return [g.template for f in listed for g in (f, *f.variants)]


def test_a_subject_line_closed_by_a_full_stop_is_no_formula(shared_dir: Path) -> None:
    """Volume 21's cables open on their subject in title case, closed by a full stop:
    "Tripartite Security Treaty." (9 documents), "Pacific Pact.", "Pacific Security
    Arrangements." were listed. A line of its own in title case is a heading still."""
    templates = _templates(shared_dir, V21, 120)
    subjects = ("Tripartite Security Treaty.", "Pacific Pact.", "Pacific Security Arrangements.")
    assert not set(subjects) & set(templates), templates
    assert "Ends." in templates, templates


def test_topic_fragments_of_one_volume_are_no_formulae(shared_dir: Path) -> None:
    """Volume 19 listed "Trade with Japan {…}" (its subject heading, "with" inside, run into
    the text) and "treatment." (12 documents: the words after "m.f.n.", read as a sentence);
    volume 23 "operation with New Zealand." (cut out of "co-operation")."""
    v19 = _templates(shared_dir, V19, 200)
    assert not [t for t in v19 if t.startswith(("Trade with Japan", "treatment"))], v19
    assert "Not published." in v19, v19
    v23 = _templates(shared_dir, V23, 200)
    assert not [t for t in v23 if t.startswith("operation")], v23
    assert "It is recommended that {…}" in v23, v23


V22 = (
    "dfat_historical_documents/txt/"
    "volume-22-australia-and-recognition-of-the-peoples-republic-of-china-1949-1972/"
)
V24 = "dfat_historical_documents/txt/volume-24-australia-and-the-colombo-plan-1949-1957/"


def test_a_subject_heading_over_short_cables_is_no_formula(shared_dir: Path) -> None:
    """Volume 22 listed "Chinese Representation" (30 documents): as a template of regions (41
    documents, with "… in the United Nations") it is their subject, but its 30 whole lines
    head short cables ("Our 4181.") that do not name it again, and the line was listed on
    its own. Volume 24 listed "stg." (6): the words after "£10 m.", read as a sentence."""
    v22 = _templates(shared_dir, V22, 300)
    assert not [t for t in v22 if t.startswith("Chinese Representation")], v22
    assert "Not published." in v22, v22
    v24 = _templates(shared_dir, V24, 250)
    assert "stg." not in v24, v24
    assert "Not published." in v24, v24


V27 = "dfat_historical_documents/txt/volume-27-australia-and-the-united-kingdom-1960-1975/"


def test_a_sentence_closing_on_the_volumes_topic_is_no_formula(shared_dir: Path) -> None:
    """Volume 27 listed "the Common Market negotiations." (5 documents): sentences closing on
    the volume's topic. A closed template that is an article and a noun phrase is asked
    whether it is the documents' subject, as a heading is."""
    v27 = _templates(shared_dir, V27, 450)
    assert not [t for t in v27 if "Common Market negotiations" in t], v27
    assert "Confidential" in v27, v27
    assert "Ends." in v27, v27


V10 = "dfat_historical_documents/txt/volume-10-1946-july-december/"


def test_a_one_word_subject_line_is_no_formula(shared_dir: Path) -> None:
    """Volume 10 listed "Trusteeship." (8 documents): the subject line of the delegation's
    cables from the General Assembly, standing alone in four and after the cable's reference
    on the same line in the others ("Assembly 220. Trusteeship.")."""
    v10 = _templates(shared_dir, V10, 300)
    assert "Trusteeship." not in v10, v10
    assert "MOST IMMEDIATE" in v10, v10
    assert "Ends." in v10, v10


V15 = "dfat_historical_documents/txt/volume-15-1949-indonesia/"


def test_a_country_heading_is_no_formula_where_the_text_names_its_people(
    shared_dir: Path,
) -> None:
    """Volume 15 listed "INDONESIA" (116 documents) fifth: the heading of cables about the
    country, whose text speaks of "the Indonesian Government" and "the Indonesians"."""
    v15 = _templates(shared_dir, V15, 400)
    assert "INDONESIA" not in v15, v15
    assert "RESTRICTED" in v15, v15
    assert "IMMEDIATE" in v15, v15


V18 = "dfat_historical_documents/txt/volume-18-1923-1929-letters-from-s-m-bruce-to-mcdougall/"


def test_a_part_of_a_repeated_note_on_one_person_is_no_formula(shared_dir: Path) -> None:
    """Volume 18 listed "free trader;" (17 letters) and "Industrialist;" (10): phrases of the
    editors' notes on Philip Snowden ("Labour M.P.; free trader; Chancellor of the Exchequer
    1924.") and on another man, repeated word for word wherever each is named."""
    v18 = _templates(shared_dir, V18, 200)
    assert not {"free trader;", "Industrialist;"} & set(v18), v18
    assert "My dear Prime Minister," in v18, v18


V1 = "dfat_historical_documents/txt/volume-1-1937-38/"


def test_a_persons_name_heading_the_list_of_those_present_is_no_formula(
    shared_dir: Path,
) -> None:
    """Volume 1 listed "Malcolm MacDonald," (11 notes of the Dominions' meetings in London):
    the first name of the list of those present, read as a phrase of address because general
    language knows both its words."""
    v1 = _templates(shared_dir, V1, 300)
    assert "Malcolm MacDonald," not in v1, v1
    assert "MOST SECRET" in v1, v1
    assert any(t.startswith("I have the honour to") for t in v1), v1
