"""A sentence's first word goes with the words that follow it: a template that ends on it
leaves it to the stretch after its words, so the formula that stretch holds opens its sentence
as written (`_unaligned`)."""

from __future__ import annotations

from docdiff.corpus.formulae import Region, _CaseStats, _induce, _key_ids, _unaligned, mask


def test_a_sentences_first_word_goes_with_what_follows_it() -> None:
    """Of "[1] A sign here indicates …", a template "[{number}] A {…}" (every note opens so)
    leaves "A sign here indicates …" to be a template of its own, not "sign here indicates …",
    which opens no sentence (`_unaligned`)."""
    texts = [f"A text.\n\n[{n}] A sign here indicates 'group omitted'." for n in (1, 2)]
    texts += [f"A text.\n\n[{n}] A note of a reader." for n in (1, 2, 3)]
    stats = _CaseStats()
    for text in texts:
        stats.add(text)
    stats.finish()
    docs = [mask(t, stats) for t in texts]
    ids, _ = _key_ids(docs)
    members = [Region(i, 3, len(d.keys) - 1) for i, d in enumerate(docs)]  # ("[" to ".")
    t = _induce(members, ids)
    assert t is not None
    ref = t.members[t.ref]
    fixed = [docs[ref.doc].keys[ref.start + i] for i, kept in enumerate(t.fixed) if kept]
    assert fixed[:4] == ["[", "\0number", "]", "a"]
    rest = [docs[r.doc].keys[r.start : r.end] for r in _unaligned(t, docs)]
    assert ["a", "sign", "here", "indicates", "'", "group", "omitted", "'"] in rest
