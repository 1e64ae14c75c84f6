"""``compare(b, a)`` is the mirror of ``compare(a, b)``: the same passages with their sides
exchanged, the same kinds, scores, ops, echoes and reasons (`docdiff.engine.mirror`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from docdiff.engine.align import Op, aligned_ops
from docdiff.engine.compare import compare, compare_prepared
from docdiff.engine.mirror import mirror_pair, mirror_reason
from docdiff.engine.prepare import load_lexicon, prepare
from docdiff.loaders import load_text
from docdiff.model import Document, Kind, PairResult
from docdiff.options import Options
from tests._archives import DFAT, UN, archive_documents

# Rare words, so that shared stretches make passages, and common ones, so that alignments
# meet ties: "the General Assembly" against "the Assembly", repeated words on either side.
VOCAB = (
    "the of and to in a on his for we our General Assembly President election congratulate "
    "Mr. Ashe sovereignty interference fabrication fabrications falsehoods provocation "
    "rapporteur commissioner battalion Borneo approval Committee considered message "
    "Minister Prime Australian Malaysia Indonesia impartiality objectivity hostile forces "
    "development security peace human rights pillars United Nations honour honor include "
    "including 2013 74"
).split()
SEPARATORS = (" ", " ", " ", ", ", ". ", "\n", "\n\n", " “", "” ")

MIRROR = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _text(words: list[str], seps: list[str]) -> str:
    return "".join(w + seps[i % len(seps)] for i, w in enumerate(words)).strip()


@st.composite
def _edited(draw: st.DrawFn, words: list[str]) -> list[str]:
    """`words` with a few words replaced, dropped or inserted."""
    out = list(words)
    for _ in range(draw(st.integers(0, 3))):
        if not out:
            break
        i = draw(st.integers(0, len(out) - 1))
        edit = draw(st.sampled_from(("replace", "delete", "insert")))
        if edit == "delete":
            del out[i]
        else:
            out[i : i + (edit == "replace")] = [draw(st.sampled_from(VOCAB))]
    return out


@st.composite
def mirrored_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """Two letters sharing passages: some copied, some edited, in a different order, among
    other words on each side."""
    vocab = st.sampled_from(VOCAB)
    passages = draw(st.lists(st.lists(vocab, min_size=3, max_size=25), min_size=1, max_size=4))
    a_words: list[str] = []
    b_parts: list[list[str]] = []
    for passage in passages:
        a_words += draw(st.lists(vocab, max_size=12)) + passage
        b_parts.append(draw(st.lists(vocab, max_size=12)) + draw(_edited(passage)))
    a_words += draw(st.lists(vocab, max_size=12))
    b_words = [w for part in draw(st.permutations(b_parts)) for w in part]
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=1, max_size=5))
    a, b = _text(a_words, seps), _text(b_words, seps[::-1])
    return (a, b) if draw(st.booleans()) else (b, a)


def _pair(a: Document, b: Document) -> PairResult:
    return compare(a, b, Options()).pairs[0]


def _assert_mirrors(a: Document, b: Document) -> None:
    ab, ba = _pair(a, b), _pair(b, a)
    assert ab == mirror_pair(ba)
    assert mirror_pair(ab) == ba


@MIRROR
@given(mirrored_pairs())
def test_compare_mirrors_on_generated_pairs(texts: tuple[str, str]) -> None:
    """Whichever document comes first, the passages, kinds, scores, ops, echoes, summary and
    reasons are the same, sides exchanged."""
    _assert_mirrors(load_text(texts[0], doc_id="a.txt"), load_text(texts[1], doc_id="b.txt"))


def test_compare_mirrors_with_equal_texts() -> None:
    """Two copies of one text under different ids (a repeated paragraph inside) mirror too."""
    text = "Hostile forces fabricate falsehoods.\n\nHostile forces fabricate falsehoods again."
    _assert_mirrors(load_text(text, doc_id="one.txt"), load_text(text, doc_id="two.txt"))


def test_mirror_reason_exchanges_named_sides() -> None:
    """Every side a classify reason names is exchanged, and twice is the identity."""
    cases = {
        "name: a title (A), a proper name (B)": "name: a proper name (A), a title (B)",
        "name: 4 of 4 content words capitalised (both)": (
            "name: 4 of 4 content words capitalised (both)"
        ),
        "quotation: stands inside quotation marks in A": (
            "quotation: stands inside quotation marks in B"
        ),
        "formula: part of the lexicon's 'courtesy' formula in B": (
            "formula: part of the lexicon's 'courtesy' formula in A"
        ),
        "phrasing: the title of a UN agenda item in A, quoted in B; shared wording": (
            "phrasing: the title of a UN agenda item in B, quoted in A; shared wording"
        ),
        "phrasing: 12 shared words (in, a, Africa)": "phrasing: 12 shared words (in, a, Africa)",
    }
    for reason, mirrored in cases.items():
        assert mirror_reason(reason) == mirrored
        assert mirror_reason(mirrored) == reason


# Pairs that came out differently each way before: ops tie-breaks in a congratulation, a
# joined passage's edge, a paraphrase scoring 78.2 one way and 79.4 the other, echoes.
UN_2013 = "un_general_debate_corpus/txt/2013/"
V25 = "dfat_historical_documents/txt/volume-25-australia-and-the-formation-of-malaysia-1961-1966/"
REAL_PAIRS = {
    (UN, UN_2013): (
        ("THA_68_2013", "TJK_68_2013"),
        ("ARE_68_2013", "BFA_68_2013"),
        ("BGD_68_2013", "MNE_68_2013"),
        ("GTM_68_2013", "MEX_68_2013"),
    ),
    (DFAT, V25): (("181-", "183-"), ("60-", "74-"), ("21-", "22-"), ("189-", "190-")),
}


@pytest.mark.parametrize(("archive", "folder"), list(REAL_PAIRS))
def test_compare_mirrors_on_real_pairs(shared_dir: Path, archive: str, folder: str) -> None:
    """UN General Debate 2013 speeches and DFAT volume 25 papers compare alike both ways."""
    pairs = REAL_PAIRS[archive, folder]
    names = [name for pair in pairs for name in pair]
    docs = archive_documents(shared_dir, archive, folder, names)
    by_name = {name: d for name in names for d in docs if d.id.startswith(name)}
    assert len(by_name) == len(names)
    for first, second in pairs:
        _assert_mirrors(by_name[first], by_name[second])


def _mirrored_ops(ops: list[Op]) -> list[Op]:
    tags = {"insert": "delete", "delete": "insert"}
    return [Op(tags.get(op.tag, op.tag), op.j1, op.j2, op.i1, op.i2) for op in ops]


def _equal_words(ops: list[Op]) -> int:
    return sum(op.i2 - op.i1 for op in ops if op.tag == "equal")


def test_aligned_ops_keep_a_shared_word_either_way() -> None:
    """rapidfuzz replaces "of the" by "the General" one way and keeps "the" the other way, at
    the same cost; `aligned_ops` keeps it both ways (a joined passage's gap)."""
    of, the, general = 2, 3, 0
    ops = aligned_ops([of, the], [the, general], 10, 20)
    assert ops == [
        Op("delete", 10, 11, 20, 20),
        Op("equal", 11, 12, 20, 21),
        Op("insert", 12, 12, 21, 22),
    ]
    assert aligned_ops([the, general], [of, the], 20, 10) == _mirrored_ops(ops)


@MIRROR
@given(st.lists(st.integers(0, 4), max_size=12), st.lists(st.integers(0, 4), max_size=12))
def test_aligned_ops_mirror(xs: list[int], ys: list[int]) -> None:
    """Either way round, the same alignment, with as many equal words as rapidfuzz finds in
    the better direction."""
    ops = aligned_ops(xs, ys)
    assert aligned_ops(ys, xs) == _mirrored_ops(ops)
    forward = [
        Op(o.tag, o.src_start, o.src_end, o.dest_start, o.dest_end)
        for o in Levenshtein.opcodes(xs, ys)
    ]
    backward = [
        Op(o.tag, o.src_start, o.src_end, o.dest_start, o.dest_end)
        for o in Levenshtein.opcodes(ys, xs)
    ]
    assert _equal_words(ops) == max(_equal_words(forward), _equal_words(backward))
    assert [x for op in ops if op.tag == "equal" for x in xs[op.i1 : op.i2]] == [
        y for op in ops if op.tag == "equal" for y in ys[op.j1 : op.j2]
    ]


def _both_ways(a: Document, b: Document) -> tuple[PairResult, PairResult]:
    """`compare_prepared` of the pair each way round (no orientation), the second mirrored."""
    options = Options()
    lexicon = load_lexicon(options)
    pa, pb = prepare(a, options.seed_words), prepare(b, options.seed_words)
    ab = compare_prepared(pa, pb, options, lexicon=lexicon)
    return ab, mirror_pair(compare_prepared(pb, pa, options, lexicon=lexicon))


def _real_pairs(
    shared_dir: Path, archive: str, folder: str, pairs: tuple[tuple[str, str], ...]
) -> list[tuple[Document, Document]]:
    names = [name for pair in pairs for name in pair]
    docs = archive_documents(shared_dir, archive, folder, names)
    by_name = {name: d for name in names for d in docs if d.id.startswith(name)}
    assert len(by_name) == len(names)
    return [(by_name[first], by_name[second]) for first, second in pairs]


JOINED = {
    (UN, UN_2013): (("NRU_68_2013", "SWZ_68_2013"),),
    (DFAT, V25): (("181-", "183-"), ("60-", "74-")),
}


@pytest.mark.parametrize(("archive", "folder"), list(JOINED))
def test_joined_passages_alike_both_ways(shared_dir: Path, archive: str, folder: str) -> None:
    """Before any orientation, the engine joins a reused section's pieces alike both ways:
    Taiwan's 'positive interaction' kept equal (41 shared words, not 40), a DFAT summary of a
    Cabinet decision scored alike."""
    for a, b in _real_pairs(shared_dir, archive, folder, JOINED[archive, folder]):
        ab, ba = _both_ways(a, b)
        assert ab.summary == ba.summary
        assert [(m.kind, m.a, m.b, m.score, m.words, m.ops) for m in ab.matches] == [
            (m.kind, m.a, m.b, m.score, m.words, m.ops) for m in ba.matches
        ]


ECHOED = (
    ("NGA_68_2013", "SYC_68_2013"),  # "attack in Nairobi" / "attacks in Nairobi"
    ("GRD_68_2013", "TON_68_2013"),  # "Millennium Development Goals", twice in each
    ("BIH_68_2013", "MLT_68_2013"),
    ("BHR_68_2013", "MUS_68_2013"),  # "Charter of the United Nations"
    ("CUB_68_2013", "SLE_68_2013"),
)


def test_echoes_alike_both_ways(shared_dir: Path) -> None:
    """Before any orientation, an echo's distinctiveness weighs both sides' words, and a phrase
    heard several times is shown where it comes earliest in both documents, not first in A."""
    for a, b in _real_pairs(shared_dir, UN, UN_2013, ECHOED):
        ab, ba = _both_ways(a, b)
        assert [
            (m.kind, m.a, m.b, m.score, m.words, m.ops, m.distinctiveness) for m in ab.echoes
        ] == [(m.kind, m.a, m.b, m.score, m.words, m.ops, m.distinctiveness) for m in ba.echoes]


CONGRATULATED = (
    ("ARE_68_2013", "BFA_68_2013"),
    ("THA_68_2013", "TJK_68_2013"),
    ("BEN_68_2013", "NPL_68_2013"),
    ("CAF_68_2013", "UKR_68_2013"),
    ("GRD_68_2013", "TON_68_2013"),
    ("ATG_68_2013", "NIC_68_2013"),
)


def test_lexicon_formulae_alike_both_ways(shared_dir: Path) -> None:
    """Before any orientation, the two instances of a lexicon formula are aligned alike both
    ways: BEN/NPL's congratulation was 4 words (34.8) one way and 7 (60.9) the other."""
    for a, b in _real_pairs(shared_dir, UN, UN_2013, CONGRATULATED):
        ab, ba = _both_ways(a, b)
        formulae = [
            [(m.a, m.b, m.score, m.words, m.ops) for m in r.matches if m.kind is Kind.FORMULA]
            for r in (ab, ba)
        ]
        assert formulae[0], (a.id, b.id)
        assert formulae[0] == formulae[1], (a.id, b.id)
