"""What a comparison derives from an indexed document, stored with it: no query derives it again.

A query compares its document with about ten indexed sources, and before this table each
source's tokens were rebuilt from the text (`tokens_at`), hashed and weighed again (`prepare`),
and its language, sentences and formula instances found again: about 10 ms of a source's
20 ms of preparation. The index now keeps, per document, a small blob (`encode_derived`; the
index only stores it, in its ``derived`` table, and `DERIVER` makes it):

* the distinct ``(form, key)`` words and, per token, the number of its word;
* each word's rarity weight and id (the hash of its key), and its paraphrase stem (a word's
  tokens share them), as the number of one of the distinct stems;
* each stem's weight (`Prepared.stem_table`);
* the language;
* the sentences (token ranges), their paragraph numbers and the paragraph breaks;
* the instances of the built-in formula lexicon;
* the character spans of the text's datelines and editorial apparatus (`_TEXT_SPANS`, format
  7), which a comparison's classifier otherwise finds with patterns over the whole text, and
  where its written words open (`docdiff.engine.echoes.word_opens`, a bit a token);
* what a query's first comparison with the document would otherwise sort out (format 6): the
  sorted order of its k-grams for the index's k (`Prepared.seed_index`), and its paraphrase
  units' (unit, stem) pairs, stem order and norms with the built-in lexicon's instances left
  out (`docdiff.engine.paraphrase.UnitArrays`), as numbers of two bytes (four in a document of
  65,536 tokens or more). Checked when read (a k-gram order that does not sort the k-grams, a
  number past its array: a damaged row), and used only for that k and that lexicon.

Strings are stored joined by one separator and numbers as little-endian arrays, so decoding
needs no JSON list of floats, no hashing and no Python call per token (format 5; format 4
held JSON lists and took about twice as long to decode). Format 7 moved the sentences,
paragraphs, breaks and formula instances out of the JSON head into arrays too, and stores the
blob as it is, not compressed: inflating it was the largest single cost of a source's
decoding (about 0.2 ms a UN speech, 60 KB inflated from 30 KB), for 32 KB more a speech
(about 150 MB, a quarter more, on the UN index). A blob larger than its document's words,
stems and numbers can take (a hostile or damaged row) is refused unread.

The paraphrase units' dictionaries (`docdiff.engine.paraphrase.UnitIndex`) are not stored:
decoding them as JSON took as long as building them from the stored words; they are made from
the stored arrays (`docdiff.engine.paraphrase.unit_index_of_arrays`), as
`docdiff.engine.paraphrase.unit_index_of_codes` makes them from the stems' numbers. Format 6
added about 9 KB a UN speech (zlib; 41 MB, 7 % of the UN index) and took a source's first use
in a query from about 1.6 to 0.6 ms for these two.

`prepared_from` rebuilds the `Prepared` a query would have made, equal field by field (tests
pin this). Token spans come from the index's own token arrays.

The blob is only as good as the code that derived it, so each one carries `fingerprint()`: a
hash of the format, of the source of the modules that decide these values (tokenizing,
language, sentence splitting, rarity weights, stems, token ids, the lexicon and its built-in
file), of the functions that make the stored arrays (`_FUNCTIONS`) and of the versions of the
packages whose data they read (word frequencies, stemmers).
A blob with another fingerprint, or none at all (an index built before this table), is ignored
and the source is prepared from its text as before: same results, only slower. ``docdiff index
build`` and ``update`` (and the language server's indexing) store the blobs that are missing
or stale.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from docdiff.model import Document
from docdiff.text.apparatus import apparatus_spans
from docdiff.text.datelines import dateline_spans

if TYPE_CHECKING:
    from docdiff.engine.lexicon import Lexicon
    from docdiff.engine.paraphrase import UnitArrays
    from docdiff.engine.prepare import Prepared
    from docdiff.index.arrays import DocTokens

__all__ = [
    "DERIVED_FORMAT",
    "DERIVER",
    "encode_derived",
    "fingerprint",
    "prepared_from",
    "prepared_indexed",
    "prepared_stored",
]

DERIVED_FORMAT = 7
"""Bumped when the blob's layout changes."""

_SOURCES = (
    ("docdiff.text", "tokens.py"),
    ("docdiff.text", "language.py"),
    ("docdiff.text", "rarity.py"),
    ("docdiff.text", "lemmas.py"),
    ("docdiff.text", "seeds.py"),
    ("docdiff.engine", "prepare.py"),
    ("docdiff.engine", "lexicon.py"),
    ("docdiff.data", "formulae.txt"),
    ("docdiff.text", "datelines.py"),
    ("docdiff.text", "apparatus.py"),
    ("docdiff.corpus", "derived.py"),
)
"""The files whose code or data decide what a blob holds (this one included)."""

_FUNCTIONS = (
    ("docdiff.engine.paraphrase", ("unit_arrays", "_stem_ranks", "_kept")),
    ("docdiff.engine.align", ("seed_index",)),
    ("docdiff.engine.echoes", ("word_opens", "_space_table")),
)
"""The functions, in files that hold much else, whose code decides what a blob holds (the
units' arrays, the k-grams' sorted order, where written words open): their source is hashed,
not their files'."""

_CONSTANTS = (
    ("docdiff.engine.echoes", ("_WORD_GLUE", "_SPACE_LIMIT", "_SPACE")),
    ("docdiff.text.names", ("TITLE_DOT", "HONORIFICS", "STYLE_POSSESSIVES")),
)
"""The module constants those functions read (and the titles whose full stop ends no clause
nor sentence, where formula instances end and stop): their values are hashed (a set's in
sorted order, which no process's string hashing changes)."""

_PACKAGES = ("wordfreq", "PyStemmer", "snowballstemmer")
"""The packages whose data decide a word's weight and stem."""


def _fingerprint() -> str:
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.blake2b(f"derived {DERIVED_FORMAT}".encode(), digest_size=12)
    for package in _PACKAGES:
        try:
            digest.update(f"{package} {version(package)}".encode())
        except PackageNotFoundError:
            digest.update(f"{package} absent".encode())
    for package, name in _SOURCES:
        digest.update(name.encode())
        digest.update(resources.files(package).joinpath(name).read_bytes())
    for module, names in _FUNCTIONS:
        found = importlib.import_module(module)
        for name in names:
            digest.update(f"{module}.{name}".encode())
            digest.update(inspect.getsource(getattr(found, name)).encode())
    for module, names in _CONSTANTS:
        found = importlib.import_module(module)
        for name in names:
            value = getattr(found, name)
            if isinstance(value, frozenset | set):
                value = sorted(value)
            digest.update(f"{module}.{name} = {value!r}".encode())
    return digest.hexdigest()


# The deciding modules are imported first, then their files hashed: the fingerprint is that of
# the code this process runs, even when the files change later (an upgrade under a running
# language server).

_FINGERPRINT = _fingerprint()


def fingerprint() -> str:
    """The format and the deciding modules' files, hashed (at import)."""
    return _FINGERPRINT


_SEP = "\x00"
"""Between the blob's words and stems (no token holds it: a document whose would gets no
blob)."""


def encode_derived(prepared: Prepared) -> bytes:
    """The blob of a document prepared from its own text (see the module docstring); empty
    when a word holds `_SEP`."""
    from docdiff.engine.echoes import word_opens
    from docdiff.engine.lexicon import Lexicon
    from docdiff.engine.paraphrase import unit_arrays

    tokens = prepared.tokens
    words: dict[tuple[str, str], int] = {}
    which = [
        words.setdefault(pair, len(words)) for pair in zip(tokens.forms, tokens.keys, strict=True)
    ]
    first = [0] * len(words)  # each word's first token: its weight, id and stem are its tokens'
    for i in reversed(range(len(which))):
        first[which[i]] = i
    weights, roots, ids = prepared.weights, prepared.roots, prepared.ids
    word_roots = [roots[i] for i in first]
    stems = list(dict.fromkeys(word_roots))
    number = dict(zip(stems, range(len(stems)), strict=True))
    table = prepared.stem_table
    strings = [*(w[0] for w in words), *(w[1] for w in words), *stems]
    if any(_SEP in x for x in strings):
        return b""
    builtin = Lexicon.builtin()
    template = {id(t): n for n, t in enumerate(builtin.templates)}
    word_stem = np.asarray([number[r] for r in word_roots], dtype=np.intp)
    # What a query would work out with sorts on first meeting the document: its k-grams'
    # sorted order (`Prepared.seed_index`) and its paraphrase units' arrays (`UnitArrays`,
    # formula instances of the built-in lexicon left out), as numbers of `width` bytes.
    units = unit_arrays(
        word_stem[np.asarray(which, dtype=np.intp)],
        [table[s] for s in stems],
        prepared.formula_covered(builtin),
        prepared.sentences,
    )
    width = "<u2" if len(tokens) < 1 << 16 else "<u4"
    head = {
        "language": tokens.language(),
        "words": len(words),
        "stems": len(stems),
        "k": prepared.k,
        "width": int(width[-1]),
        "units": units is not None,
    }
    gaps, lengths = _span_steps(tokens.starts, tokens.ends)
    head["spans"] = _step_width(gaps, lengths)
    text = prepared.doc.text
    # Token and character places as numbers (format 7; JSON lists of them took a tenth of a
    # source's decoding to parse).
    spans = [
        np.asarray([x for unit in prepared.sentences for x in unit], dtype=width),
        np.asarray(prepared.paragraphs, dtype=width),
        np.asarray(prepared.break_list, dtype=width),
        np.asarray(
            [
                x
                for h in prepared.formula_hits(builtin)
                for x in (template[id(h.template)], h.start, h.end)
            ],
            dtype="<u4",
        ),
        *(
            np.asarray([x for span in find(text) for x in span], dtype="<u4")
            for _, find in _TEXT_SPANS
        ),
    ]
    # Where its written words open (`docdiff.engine.echoes.word_opens`), a bit a token.
    opens = np.packbits(
        word_opens(
            text,
            np.asarray(tokens.starts, dtype=np.int64),
            np.asarray(tokens.ends, dtype=np.int64),
        )
    )
    parts = [
        json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
        _SEP.join(strings).encode("utf-8"),
        np.asarray([weights[i] for i in first], dtype="<f8").tobytes(),
        np.asarray([ids[i] for i in first], dtype="<u8").tobytes(),
        word_stem.astype("<u4").tobytes(),
        np.asarray([table[s] for s in stems], dtype="<f8").tobytes(),
        np.asarray(which, dtype="<u4").tobytes(),
        prepared.seed_index.positions.astype(width).tobytes(),
        *(
            [b""] * 6
            if units is None
            else [
                *(a.astype(width).tobytes() for a in units[:5]),
                units.norms.astype("<f8").tobytes(),
            ]
        ),
        *(a.tobytes() for a in spans),
        opens.tobytes(),
        # Its tokens' spans (as the index's token arrays hold them), so a query reads no
        # other row of the document but its text.
        gaps.astype(f"<u{head['spans']}").tobytes()
        + lengths.astype(f"<u{head['spans']}").tobytes(),
    ]
    sizes = b"".join(len(part).to_bytes(4, "little") for part in parts)
    return len(parts).to_bytes(4, "little") + sizes + b"".join(parts)


_PARTS = 22

_TEXT_SPANS = (("datelines", dateline_spans), ("apparatus", apparatus_spans))
"""The character spans of a text that a comparison finds on first meeting it, by the name
`docdiff.engine.classify` keeps them under in `Prepared.derived` (its ``_spans``): stored
(format 7), so a query does not search its sources' texts for them."""


def _decode(blob: bytes, chars: int, tokens: int) -> list[bytes]:
    """The parts of a blob for a text of `chars` characters and `tokens` tokens, refused
    (ValueError) when it is larger than such a text's words, stems and numbers can take (a
    hostile or damaged row)."""
    raw = blob
    if len(raw) > 64 * chars + 128 * tokens + 65_536:
        raise ValueError("derived data larger than its document's can be")
    if len(raw) < 4 * (_PARTS + 1) or int.from_bytes(raw[:4], "little") != _PARTS:
        raise ValueError("malformed derived data")
    sizes = [int.from_bytes(raw[4 * i : 4 * i + 4], "little") for i in range(1, _PARTS + 1)]
    at = 4 * (_PARTS + 1)
    if at + sum(sizes) != len(raw):
        raise ValueError("malformed derived data")
    parts = []
    for size in sizes:
        parts.append(raw[at : at + size])
        at += size
    return parts


def _array(part: bytes, dtype: str, count: int) -> np.ndarray:
    array = np.frombuffer(part, dtype=dtype)
    if len(array) != count or len(part) != count * array.itemsize:
        raise ValueError("malformed derived data")
    return array


def _span_types(width: int) -> tuple[str, ...]:
    """The number types of the parts after the units' arrays: sentences, paragraphs and
    breaks in the blob's `width`, formula instances and the `_TEXT_SPANS` in four bytes."""
    return (f"<u{width}",) * 3 + ("<u4",) * (1 + len(_TEXT_SPANS))


def _numbers(part: bytes, dtype: str) -> list[int]:
    """A part of whole numbers of `dtype`, as a list."""
    size = np.dtype(dtype).itemsize
    if len(part) % size:
        raise ValueError("malformed derived data")
    found: list[int] = np.frombuffer(part, dtype=dtype).tolist()
    return found


def _objects(strings: list[str]) -> np.ndarray:
    # `fromiter` takes each object as it is (`array` first looks into each for a shape).
    return np.fromiter(strings, dtype=object, count=len(strings))


def prepared_from(
    doc: Document, arrays: DocTokens | None, blob: bytes, k: int, lexicon: Lexicon | None = None
) -> Prepared:
    """The `Prepared` of an indexed document from its text, token arrays and blob (the spans
    it holds when `arrays` is None).

    Equal to ``prepare(doc, k, tokens=tokens_at(doc.text, starts, ends))`` with its language,
    sentences, paragraph breaks, stem weights and (when `lexicon` is the built-in one) formula
    instances already found.
    Raises ValueError when the blob does not fit the arrays (a damaged row).
    """
    from docdiff.engine.align import SeedIndex
    from docdiff.engine.lexicon import FormulaHit, Lexicon
    from docdiff.engine.prepare import Prepared, StemWeights, Words
    from docdiff.text.seeds import kgram_hash_array
    from docdiff.text.tokens import Tokens

    chars = len(doc.text)
    # (Without the token arrays: at most a token a character.)
    parts = _decode(blob, chars, chars if arrays is None else len(arrays))
    head_part, strings, weight_part, id_part, stem_part, table_part, which_part = parts[:7]
    head = json.loads(head_part.decode("utf-8"))
    if not isinstance(head, dict):
        raise ValueError("malformed derived data")
    n_words, n_stems, language = head["words"], head["stems"], head["language"]
    if not isinstance(n_words, int) or not isinstance(n_stems, int):
        raise ValueError("malformed derived data")
    if not isinstance(language, str):
        raise ValueError("malformed derived data")
    n = len(which_part) // 4 if arrays is None else len(arrays)
    which = _array(which_part, "<u4", n)
    if arrays is None:
        starts, ends = _spans(parts[21], head["spans"], n, chars)
    else:
        starts, ends = arrays.starts.astype(np.int64), arrays.ends.astype(np.int64)
    if n and int(which.max()) >= n_words:
        raise ValueError("derived data names a word it does not hold")
    texts = strings.decode("utf-8").split(_SEP) if strings else []
    if len(texts) != 2 * n_words + n_stems:
        raise ValueError("malformed derived data")
    forms, keys, stems = texts[:n_words], texts[n_words : 2 * n_words], texts[2 * n_words :]
    weights = _array(weight_part, "<f8", n_words)
    weight_of = weights.tolist()
    word_ids = _array(id_part, "<u8", n_words)
    stem_of = _array(stem_part, "<u4", n_words).astype(np.intp)
    if n_words and int(stem_of.max()) >= n_stems:
        raise ValueError("derived data names a stem it does not hold")
    stem_weight = _array(table_part, "<f8", n_stems).tolist()
    at = which.astype(np.intp)
    # Each token's values taken from its word's (object arrays: no Python call per token).
    tokens: Tokens = Tokens(
        _objects(forms)[at].tolist(),
        _objects(keys)[at].tolist(),
        starts.tolist(),
        ends.tolist(),
        _language=language,
    )
    ids = word_ids.astype(np.uint64)[at]
    hashes = kgram_hash_array(ids, k)
    token_weights = weights[at].astype(np.float64)
    width = head["width"]
    if width not in (2, 4):
        raise ValueError("malformed derived data")
    flat, paragraphs, breaks, formulae, *texts_spans = (
        _numbers(part, dtype) for part, dtype in zip(parts[14:20], _span_types(width), strict=True)
    )
    if len(flat) % 2 or len(paragraphs) * 2 != len(flat) or len(formulae) % 3:
        raise ValueError("malformed derived data")
    sentences = list(zip(flat[0::2], flat[1::2], strict=True))
    order = _seed_order(parts[7], f"<u{width}", hashes) if head["k"] == k else None
    prepared = Prepared(
        doc=doc,
        tokens=tokens,
        k=k,
        ids=ids.tolist(),
        # The k-gram hashes, token weights and stems as lists are made on first read (from
        # these arrays and `words`): a query reads few of a source's.
        _hash_array=hashes,
        _seed_index=None if order is None else SeedIndex(hashes[order], order),
        _weight_array=token_weights,
        _stem_weights=StemWeights(zip(stems, stem_weight, strict=True)),
        _sentences=sentences,
        _paragraphs=paragraphs,
        _breaks=breaks,
        _id_array=ids,
        words=Words(at, weight_of, stems, stem_of),
    )
    # Its spans as arrays too, as the index holds them (`docdiff.engine.echoes.token_bounds`):
    # not made again from the token lists.
    prepared.derived["token_bounds"] = (starts, ends)
    if len(parts[20]) != (max(n - 1, 0) + 7) // 8:
        raise ValueError("malformed derived data")
    prepared.derived["word_opens"] = np.unpackbits(
        np.frombuffer(parts[20], dtype=np.uint8), count=max(n - 1, 0)
    ).astype(bool)
    for (name, _), found in zip(_TEXT_SPANS, texts_spans, strict=True):
        if len(found) % 2:
            raise ValueError("malformed derived data")
        prepared.derived[name] = tuple(zip(found[0::2], found[1::2], strict=True))
    if lexicon is not None and lexicon.templates is Lexicon.builtin().templates:
        templates = lexicon.templates
        prepared._formulae[id(lexicon)] = [
            FormulaHit(templates[t], s, e)
            for t, s, e in zip(formulae[0::3], formulae[1::3], formulae[2::3], strict=True)
        ]
        if head["units"] is True:
            units = _unit_arrays(parts[8:], f"<u{width}", n_stems, len(sentences), n)
            prepared.stored_units = (templates, units)
    return prepared


def _span_steps(
    starts: list[int], ends: list[int]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Each token's gap from the end of the one before (from 0 for the first) and length."""
    begin = np.asarray(starts, dtype=np.int64)
    end = np.asarray(ends, dtype=np.int64)
    return begin - np.concatenate(([0], end[:-1])), end - begin


def _step_width(gaps: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64]) -> int:
    """The bytes a number of `_span_steps` takes: one in most texts."""
    most = max(int(gaps.max(initial=0)), int(lengths.max(initial=0)))
    return 1 if most < 1 << 8 else 2 if most < 1 << 16 else 4


def _spans(
    part: bytes, width: object, n: int, chars: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The starts and ends of `n` tokens of a text of `chars` characters, from their stored
    `_span_steps` of `width` bytes; refused when a span falls outside the text."""
    if width not in (1, 2, 4):
        raise ValueError("malformed derived data")
    steps = _array(part, f"<u{width}", 2 * n).astype(np.int64)
    lengths = steps[n:]
    ends = np.cumsum(steps[:n] + lengths)
    if n and int(ends[-1]) > chars:
        raise ValueError("derived data places a token past its text")
    return ends - lengths, ends


def _seed_order(part: bytes, dtype: str, hashes: np.ndarray) -> np.ndarray:
    """The stored sorted order of the k-gram `hashes` (`docdiff.engine.align.seed_index`),
    checked: each k-gram, then each start, after the one before."""
    n = len(hashes)
    order = _array(part, dtype, n).astype(np.int64)
    if n and int(order.max()) >= n:
        raise ValueError("derived data names a k-gram it does not hold")
    ordered = hashes[order]
    later = order[1:] > order[:-1]
    if not ((ordered[1:] > ordered[:-1]) | ((ordered[1:] == ordered[:-1]) & later)).all():
        raise ValueError("malformed derived data")
    return order


def _unit_arrays(
    parts: list[bytes], dtype: str, n_stems: int, n_units: int, n_tokens: int
) -> UnitArrays:
    """The stored `UnitArrays` of a document with `n_stems` stems, `n_units` sentences and
    `n_tokens` tokens, checked against those numbers (stem, tf, bounds, ranked, by_stem,
    norms): a number past its array, or a count past the tokens (a table of that many
    logarithms is made), is a damaged row."""
    from docdiff.engine.paraphrase import UnitArrays

    bounds = _array(parts[2], dtype, n_units + 1).astype(np.int64)
    n_pairs = int(bounds[-1])
    if int(bounds[0]) != 0 or (bounds[1:] < bounds[:-1]).any():
        raise ValueError("malformed derived data")
    stem, tf, by_stem = (_array(parts[i], dtype, n_pairs).astype(np.int64) for i in (0, 1, 4))
    ranked = _array(parts[3], dtype, len(parts[3]) // np.dtype(dtype).itemsize).astype(np.int64)
    norms = _array(parts[5], "<f8", n_units)
    if len(ranked) > n_stems or (n_pairs and int(by_stem.max()) >= n_pairs):
        raise ValueError("malformed derived data")
    if n_pairs and int(tf.max()) > n_tokens:
        raise ValueError("malformed derived data")
    if (n_pairs and int(stem.max()) >= n_stems) or (len(ranked) and int(ranked.max()) >= n_stems):
        raise ValueError("derived data names a stem it does not hold")
    return UnitArrays(stem, tf, bounds, ranked, by_stem, norms)


def prepared_stored(
    doc: Document,
    arrays: DocTokens | None,
    blob: bytes | None,
    k: int,
    lexicon: Lexicon | None = None,
) -> Prepared | None:
    """`prepared_from` the blob, None when there is none or it is empty or damaged."""
    if not blob:
        return None
    try:
        return prepared_from(doc, arrays, blob, k, lexicon)
    except (ValueError, KeyError, IndexError, TypeError):
        return None  # a damaged row


def prepared_indexed(
    doc: Document, arrays: DocTokens, blob: bytes | None, k: int, lexicon: Lexicon | None = None
) -> Prepared:
    """An indexed document prepared for comparisons, never tokenized again: `prepared_from`
    its blob when it has one this code made, else (no blob, an empty or a damaged one)
    `prepare`d from its text and the index's token spans."""
    stored = prepared_stored(doc, arrays, blob, k, lexicon)
    if stored is not None:
        return stored
    from docdiff.engine.prepare import prepare
    from docdiff.text.tokens import tokens_at

    tokens = tokens_at(doc.text, arrays.starts.tolist(), arrays.ends.tolist())
    return prepare(doc, k, tokens=tokens)


class _Deriver:
    """`docdiff.index.Deriver` of the query's blobs (picklable: it has no state)."""

    def __call__(self, doc: Document, arrays: DocTokens, k: int) -> bytes:
        """The blob of an indexed document, prepared as a query would prepare it; empty for a
        very long document, which a query never prepares whole (`docdiff.engine.anchored`)."""
        from docdiff.engine.anchored import LONG_TOKENS

        if len(arrays) > LONG_TOKENS:
            return b""
        return encode_derived(prepared_indexed(doc, arrays, None, k))

    def fingerprint(self) -> str:
        return fingerprint()


DERIVER = _Deriver()
"""What ``docdiff index build``/``update`` and the language server pass to
`docdiff.index.CorpusIndex.update` (``derive=``)."""
