"""What a query would sort or search on first meeting a source is stored in its blob (formats
6 and 7).

Laws: the k-grams' sorted order and the paraphrase units' arrays read from a blob are those the
source's own text gives (`align.seed_index`, `paraphrase.unit_arrays`), so its seed index and
unit index are the same, to the last bit; they are used only where they hold (the blob's k, the
built-in lexicon); a blob whose stored order or arrays do not hold together is refused as a
damaged one (the source is then prepared from its text, with the same results).
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docdiff.corpus import derived
from docdiff.corpus.derived import DERIVER, prepared_from, prepared_indexed
from docdiff.engine.align import seed_index
from docdiff.engine.lexicon import Lexicon
from docdiff.engine.paraphrase import unit_arrays, unit_index
from docdiff.engine.prepare import Prepared, load_lexicon, prepare
from docdiff.index.arrays import doc_tokens
from docdiff.model import Document
from docdiff.options import Options
from docdiff.text.tokens import tokens_at
from tests._units import same_units

_WORDS = st.sampled_from(
    [
        "the", "commission", "Commission", "honour", "protection", "protected", "I", "have",
        "to", "inform", "you", "that", "Excellency", "accept", "assurances", "of", "my",
        "highest", "consideration", "1999", "U.S.", "naïve", "la", "coopération", "条約",
        "quota", "quotas", "tuna", "stocks", "fisheries", "session",
    ]
)  # fmt: skip
_GAPS = st.sampled_from([" ", " ", " ", ", ", ". ", "; ", "\n", "\n\n", "? "])


@st.composite
def _texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(_WORDS, max_size=120))
    gaps = draw(st.lists(_GAPS, min_size=len(words), max_size=len(words)))
    return "".join(w + g for w, g in zip(words, gaps, strict=True))


def _doc(text: str) -> Document:
    return Document(id="d", path="d.txt", format="txt", text=text)


def _from_text(doc: Document, k: int) -> Prepared:
    arrays = doc_tokens(doc.text)
    return prepare(doc, k, tokens=tokens_at(doc.text, arrays.starts.tolist(), arrays.ends.tolist()))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_texts(), k=st.integers(2, 5), query_k=st.integers(2, 5))
def test_the_stored_seed_order_and_units_are_those_of_the_text(
    text: str, k: int, query_k: int
) -> None:
    doc = _doc(text)
    arrays = doc_tokens(text)
    lexicon = load_lexicon(Options())
    got = prepared_from(doc, arrays, DERIVER(doc, arrays, k), query_k, lexicon)
    want = _from_text(doc, query_k)
    # The seed index: stored for the blob's k only, then taken as it is (no sort).
    assert (got._seed_index is not None) == (k == query_k)
    mine, theirs = got.seed_index, seed_index(want.hash_array)
    assert mine.hashes.dtype == theirs.hashes.dtype
    assert mine.positions.dtype == theirs.positions.dtype
    assert np.array_equal(mine.hashes, theirs.hashes)
    assert np.array_equal(mine.positions, theirs.positions)
    assert np.array_equal(got.hash_array, want.hash_array)
    assert got.hash_array.dtype == want.hash_array.dtype
    # The units: made from the stored arrays, equal to the loop over tokens.
    assert got.stored_units is not None
    assert got.stored_units[0] is lexicon.templates
    covered = want.formula_covered(lexicon)
    reference = unit_index(
        want.roots, covered, want.stem_table.__getitem__, want.sentences, want.paragraphs
    )
    same_units(got.unit_index(lexicon), reference)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_texts())
def test_the_stored_unit_arrays_are_the_arrays_of_the_text(text: str) -> None:
    doc = _doc(text)
    arrays = doc_tokens(text)
    lexicon = load_lexicon(Options())
    got = prepared_from(doc, arrays, DERIVER(doc, arrays, 3), 3, lexicon)
    want = _from_text(doc, 3)
    names, codes = want.stem_codes()
    theirs = unit_arrays(
        codes,
        [want.stem_table[s] for s in names],
        want.formula_covered(lexicon),
        want.sentences,
    )
    assert got.stored_units is not None
    assert theirs is not None
    for name, x, y in zip(theirs._fields, got.stored_units[1], theirs, strict=True):
        assert x.dtype == y.dtype, name
        assert np.array_equal(x, y), name


def test_another_lexicon_makes_its_own_units() -> None:
    """The stored units leave out the built-in lexicon's instances: a user's lexicon, which
    finds more, gets units of its own."""
    text = (
        "I have the honour to inform you that the quota is set. The tuna stocks of the "
        "fisheries commission fell.\n\nPlease accept, Sir, the assurances of my consideration."
    )
    doc = _doc(text)
    arrays = doc_tokens(text)
    mine = Lexicon.builtin().merged(Lexicon.parse("the quota is set"))
    got = prepared_from(doc, arrays, DERIVER(doc, arrays, 3), 3, mine)
    assert got.stored_units is None
    want = _from_text(doc, 3)
    covered = want.formula_covered(mine)
    assert any(covered[10:16])
    reference = unit_index(
        want.roots, covered, want.stem_table.__getitem__, want.sentences, want.paragraphs
    )
    same_units(got.unit_index(mine), reference)


_TEXT = (
    "The fisheries commission will convene an extraordinary session in the spring to review "
    "the quotas for migratory tuna stocks. The commission noted the decline of the stocks; "
    "the quotas were cut.\n\nPlease accept, Excellency, the assurances of my highest "
    "consideration."
)


def _parts(blob: bytes) -> list[bytes]:
    raw = blob
    count = int.from_bytes(raw[:4], "little")
    sizes = [int.from_bytes(raw[4 * i : 4 * i + 4], "little") for i in range(1, count + 1)]
    at, parts = 4 * (count + 1), []
    for size in sizes:
        parts.append(raw[at : at + size])
        at += size
    return parts


def _blob(parts: list[bytes]) -> bytes:
    sizes = b"".join(len(part).to_bytes(4, "little") for part in parts)
    return len(parts).to_bytes(4, "little") + sizes + b"".join(parts)


def _swapped(part: bytes, width: int) -> bytes:
    """The part's first two numbers swapped."""
    return part[width : 2 * width] + part[:width] + part[2 * width :]


def _too_big(part: bytes, width: int) -> bytes:
    """The part's first number made the largest one its width holds."""
    return b"\xff" * width + part[width:]


@pytest.mark.parametrize(
    ("at", "damage"),
    [
        (7, _swapped),  # the seed order no longer sorts the k-grams
        (7, _too_big),  # names a k-gram past the end
        (8, _too_big),  # a stem the document does not hold
        (9, _too_big),  # a stem counted more often than the document has tokens
        (10, _too_big),  # the units' bounds no longer rise
        (11, _too_big),  # a ranked stem the document does not hold
        (12, _too_big),  # a pair past the end
        (13, lambda part, width: part[:-8]),  # a norm short
    ],
)
def test_a_damaged_stored_order_or_unit_array_is_refused(at: int, damage: object) -> None:
    doc = _doc(_TEXT)
    arrays = doc_tokens(_TEXT)
    lexicon = load_lexicon(Options())
    parts = _parts(DERIVER(doc, arrays, 3))
    assert len(parts) == derived._PARTS
    width = json.loads(parts[0])["width"]
    assert callable(damage)
    parts[at] = damage(parts[at], width)
    bad = _blob(parts)
    with pytest.raises(ValueError, match="derived data"):
        prepared_from(doc, arrays, bad, 3, lexicon)
    # Prepared from its text instead: the same units and seeds.
    got, want = prepared_indexed(doc, arrays, bad, 3, lexicon), _from_text(doc, 3)
    assert got.stored_units is None
    assert np.array_equal(got.seed_index.positions, want.seed_index.positions)
    same_units(got.unit_index(lexicon), want.unit_index(lexicon))


def test_a_long_document_stores_four_byte_numbers() -> None:
    """Numbers of two bytes while every token's place fits, of four past that."""
    words = ["z" + "".join(chr(97 + int(d)) for d in str(i)) for i in range(70_000)]
    text = " ".join(words[:35_000]) + ".\n\n" + " ".join(words[35_000:]) + "."
    doc = _doc(text)
    arrays = doc_tokens(text)
    lexicon = load_lexicon(Options())
    parts = _parts(derived.encode_derived(prepared_indexed(doc, arrays, None, 3)))
    assert json.loads(parts[0])["width"] == 4
    got = prepared_from(doc, arrays, _blob(parts), 3, lexicon)
    assert got.stored_units is not None
    assert got._seed_index is not None
    want = _from_text(doc, 3)
    assert np.array_equal(got.seed_index.positions, want.seed_index.positions)
    assert int(got.stored_units[1].by_stem.max()) >= 1 << 16
    same_units(got.unit_index(lexicon), want.unit_index(lexicon))


_MARKED = (
    "CANBERRA, 12 March 1999\n\nI have to inform you that the commission [sic] met on the "
    "quotas.\n\nCANBERRA, 14 March 1999, 10.30 am\n\nThe tuna stocks [NAA: A1838, 3/1] fell.\n"
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_texts())
def test_a_sources_datelines_and_apparatus_come_from_its_blob(text: str) -> None:
    """A source's dateline and apparatus spans are read from its blob (format 7), under the
    names the classifier keeps them by, equal to those its text gives."""
    from docdiff.engine.classify import in_apparatus, in_dateline
    from docdiff.text.apparatus import apparatus_spans
    from docdiff.text.datelines import dateline_spans

    for written in (text, _MARKED, _MARKED + text):
        doc = _doc(written)
        arrays = doc_tokens(written)
        p = prepared_from(doc, arrays, DERIVER(doc, arrays, 3), 3, load_lexicon(Options()))
        assert p.derived["datelines"] == dateline_spans(written)
        assert p.derived["apparatus"] == apparatus_spans(written)
        # The classifier reads them there (a text searched again would be the same anyway).
        q = _from_text(doc, 3)
        for i in range(0, len(p.tokens) - 1, 3):
            assert in_dateline(p, i, i + 2) == in_dateline(q, i, i + 2)
            assert in_apparatus(p, i, i + 2) == in_apparatus(q, i, i + 2)
    assert dateline_spans(_MARKED)
    assert apparatus_spans(_MARKED)
