"""A member cut short by a name is run on to its template's closing words. Names break a
formula's regions, so in DFAT volume 25 "See editorial note, _The Kennedy Mediation Talks_."
was an instance ending at "The", which the report showed as the instance and as the slot's
filler; and "(see editorial note, _1964 Tripartite Talks_ )." filled the slot with "1964
Tripartite Talks )"."""

from __future__ import annotations

from pathlib import Path

from tests._archives import DFAT, archive_documents

VOLUME = (
    "dfat_historical_documents/txt/volume-25-australia-and-the-formation-of-malaysia-1961-1966/"
)


def test_a_member_cut_short_by_a_name_runs_on_to_the_closing_words(shared_dir: Path) -> None:
    from docdiff.corpus.formulae import formulae_report

    docs = archive_documents(shared_dir, DFAT, VOLUME)
    assert len(docs) > 300
    found = formulae_report(docs, limit=40).formulae
    note = next(f for f in found if f.template == "See editorial note, {…}.")
    fillers = set(note.slot_examples[0])
    # before: "The" (an instance cut at a name) and "1964 Tripartite Talks )"
    assert not {"The", ""} & fillers, fillers
    assert not any(f.endswith(")") for f in fillers), fillers
    assert "1964 Tripartite Talks" in fillers, fillers
    by_id = {d.id: d for d in docs}
    texts = [by_id[m.doc].text[m.span.start : m.span.end] for m in note.members]
    kennedy = [t for t in texts if "Kennedy" in t]
    assert kennedy == ["2 See editorial note, _The Kennedy Mediation Talks_."], kennedy
