"""What a comparison derives from an indexed document, stored with it: no query derives it again.

A query compares its document with about ten indexed sources, and before this table each
source's tokens were rebuilt from the text (`tokens_at`), hashed and weighed again (`prepare`),
and its language, sentences and formula instances found again: about 10 ms of a source's
20 ms of preparation. The index now keeps, per document, a small blob (`encode_derived`; the
index only stores it, in its ``derived`` table, and `DERIVER` makes it):

* the distinct ``(form, key)`` words and, per token, the number of its word;
* each word's rarity weight and paraphrase stem (a word's tokens share them);
* the language;
* the sentences (token ranges) and their paragraph numbers;
* the instances of the built-in formula lexicon.

The paraphrase units (`docdiff.engine.paraphrase.UnitIndex`) are not stored: decoding their
stem vectors took as long as building them from the stored words (about 4 ms a UN speech
either way), for three times the bytes.

`prepared_from` rebuilds the `Prepared` a query would have made, equal field by field (tests
pin this). Token spans come from the index's own token arrays.

The blob is only as good as the code that derived it, so each one carries `fingerprint()`: a
hash of the format, of the source of the modules that decide these values (tokenizing,
language, sentence splitting, rarity weights, stems, the lexicon and its built-in file) and of
the versions of the packages whose data they read (word frequencies, stemmers). A blob with
another fingerprint, or none at all (an index built before this table), is ignored and the
source is prepared from its text as before: same results, only slower. ``docdiff index build``
and ``update`` (and the language server's indexing) store the blobs that are missing or stale.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np

from docdiff.model import Document

if TYPE_CHECKING:
    from docdiff.engine.lexicon import Lexicon
    from docdiff.engine.prepare import Prepared
    from docdiff.index.arrays import DocTokens

__all__ = ["DERIVED_FORMAT", "DERIVER", "encode_derived", "fingerprint", "prepared_from"]

DERIVED_FORMAT = 4
"""Bumped when the blob's layout changes."""

_SOURCES = (
    ("docdiff.text", "tokens.py"),
    ("docdiff.text", "language.py"),
    ("docdiff.text", "rarity.py"),
    ("docdiff.text", "lemmas.py"),
    ("docdiff.engine", "prepare.py"),
    ("docdiff.engine", "lexicon.py"),
    ("docdiff.data", "formulae.txt"),
    ("docdiff.corpus", "derived.py"),
)
"""The files whose code or data decide what a blob holds (this one included)."""

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
    return digest.hexdigest()


# The deciding modules are imported first, then their files hashed: the fingerprint is that of
# the code this process runs, even when the files change later (an upgrade under a running
# language server).

_FINGERPRINT = _fingerprint()


def fingerprint() -> str:
    """The format and the deciding modules' files, hashed (at import)."""
    return _FINGERPRINT


def encode_derived(prepared: Prepared) -> bytes:
    """The blob of a document prepared from its own text (see the module docstring)."""
    from docdiff.engine.lexicon import Lexicon

    tokens = prepared.tokens
    words: dict[tuple[str, str], int] = {}
    which = [
        words.setdefault(pair, len(words)) for pair in zip(tokens.forms, tokens.keys, strict=True)
    ]
    first = [0] * len(words)  # each word's first token: its weight and stem are its tokens'
    for i in reversed(range(len(which))):
        first[which[i]] = i
    weights, roots = prepared.weights, prepared.roots
    builtin = Lexicon.builtin()
    number = {id(t): n for n, t in enumerate(builtin.templates)}
    head = {
        "language": tokens.language(),
        "words": [list(pair) for pair in words],
        "weights": [weights[i] for i in first],
        "roots": [roots[i] for i in first],
        "sentences": [x for unit in prepared.sentences for x in unit],
        "paragraphs": prepared.paragraphs,
        "formulae": [
            [number[id(h.template)], h.start, h.end] for h in prepared.formula_hits(builtin)
        ],
    }
    body = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    tail = np.asarray(which, dtype="<u4").tobytes()
    return zlib.compress(len(body).to_bytes(4, "little") + body + tail, 1)


def _decode(blob: bytes) -> tuple[dict[str, object], np.ndarray]:
    raw = zlib.decompress(blob)
    size = int.from_bytes(raw[:4], "little")
    head = json.loads(raw[4 : 4 + size].decode("utf-8"))
    which = np.frombuffer(raw, dtype="<u4", offset=4 + size)
    return head, which


def prepared_from(
    doc: Document, arrays: DocTokens, blob: bytes, k: int, lexicon: Lexicon | None = None
) -> Prepared:
    """The `Prepared` of an indexed document from its text, token arrays and blob.

    Equal to ``prepare(doc, k, tokens=tokens_at(doc.text, starts, ends))`` with its language,
    sentences and (when `lexicon` is the built-in one) formula instances already found.
    Raises ValueError when the blob does not fit the arrays (a damaged row).
    """
    from docdiff.engine.lexicon import FormulaHit, Lexicon
    from docdiff.engine.prepare import Prepared, Words
    from docdiff.text.seeds import kgram_hash_array, token_hash
    from docdiff.text.tokens import Tokens

    head, which = _decode(blob)
    n = len(arrays)
    if len(which) != n:
        raise ValueError(f"derived data for {len(which)} tokens, the index has {n}")
    words = head["words"]
    language = head["language"]
    if not isinstance(words, list) or not isinstance(language, str):
        raise ValueError("malformed derived data")
    weight_of, root_of = head["weights"], head["roots"]
    if (
        not isinstance(weight_of, list)
        or not isinstance(root_of, list)
        or not len(weight_of) == len(root_of) == len(words)
    ):
        raise ValueError("malformed derived data")
    if n and int(which.max()) >= len(words):
        raise ValueError("derived data names a word it does not hold")
    forms = [w[0] for w in words]
    keys = [w[1] for w in words]
    at = which.tolist()
    tokens: Tokens = Tokens(
        list(map(forms.__getitem__, at)),
        list(map(keys.__getitem__, at)),
        arrays.starts.tolist(),
        arrays.ends.tolist(),
        _language=language,
    )
    # The ids of the keys as they are made now (`prepare`'s), not the index's token hashes:
    # an index built by an older docdiff may hold other keys for a few words.
    word_ids = [token_hash(key) for key in keys]
    id_list = list(map(word_ids.__getitem__, at))
    ids = np.asarray(id_list, dtype=np.uint64)
    flat = head["sentences"]
    paragraphs = head["paragraphs"]
    if not isinstance(flat, list) or not isinstance(paragraphs, list):
        raise ValueError("malformed derived data")
    prepared = Prepared(
        doc=doc,
        tokens=tokens,
        k=k,
        ids=id_list,
        hashes=kgram_hash_array(ids, k).tolist(),
        weights=list(map(weight_of.__getitem__, at)),
        _roots=list(map(root_of.__getitem__, at)),
        _sentences=list(zip(flat[0::2], flat[1::2], strict=True)),
        _paragraphs=paragraphs,
        _id_array=ids,
        words=Words(which.astype(np.intp), root_of, weight_of),
    )
    if lexicon is not None and lexicon.templates is Lexicon.builtin().templates:
        formulae = head["formulae"]
        if not isinstance(formulae, list):
            raise ValueError("malformed derived data")
        templates = lexicon.templates
        prepared._formulae[id(lexicon)] = [FormulaHit(templates[t], s, e) for t, s, e in formulae]
    return prepared


class _Deriver:
    """`docdiff.index.Deriver` of the query's blobs (picklable: it has no state)."""

    def __call__(self, doc: Document, arrays: DocTokens, k: int) -> bytes:
        """The blob of an indexed document, prepared as a query would prepare it; empty for a
        very long document, which a query never prepares whole (`docdiff.engine.anchored`)."""
        from docdiff.engine.anchored import LONG_TOKENS
        from docdiff.engine.prepare import prepare
        from docdiff.text.tokens import tokens_at

        if len(arrays) > LONG_TOKENS:
            return b""

        tokens = tokens_at(doc.text, arrays.starts.tolist(), arrays.ends.tolist())
        return encode_derived(prepare(doc, k, tokens=tokens))

    def fingerprint(self) -> str:
        return fingerprint()


DERIVER = _Deriver()
"""What ``docdiff index build``/``update`` and the language server pass to
`docdiff.index.CorpusIndex.update` (``derive=``)."""
