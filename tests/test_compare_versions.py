"""Two versions of one text compared as a lawyer compares drafts: every changed word shows as
changed (a plural made singular too), each side of a passage is printed as it stands in its
own document, and words both drafts use elsewhere do not stretch a passage over a rewritten
paragraph."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from rich.console import Console

from docdiff.cli.terminal import _highlight
from docdiff.engine.compare import compare
from docdiff.loaders import load
from docdiff.model import AlignOp, Document, Kind, Match, Passage, Span

SENTENCE = (
    "The Parties will consult together on the {} of this Treaty whenever any of them "
    "considers that the security of the Pacific is threatened.\n"
)


def test_a_plural_made_singular_is_a_change(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(SENTENCE.format("objectives"), encoding="utf-8")
    b.write_text(SENTENCE.format("objective"), encoding="utf-8")
    doc_a, doc_b = load(a), load(b)
    (match,) = compare(doc_a, doc_b).pairs[0].matches
    changed = [
        (doc_a.text[op.a.start : op.a.end], doc_b.text[op.b.start : op.b.end])
        for op in match.ops
        if op.tag != "equal"
    ]
    assert changed == [("objectives", "objective")]
    # Every other word is shared, and the passage still counts the word as matched.
    assert match.words == len(SENTENCE.split())


def _plain(a: Document, b: Document, m: Match) -> tuple[str, str]:
    out = []
    for side in _highlight(m, a, b):
        console = Console(file=io.StringIO(), width=400, color_system=None)
        console.print(side, soft_wrap=True)
        out.append(console.file.getvalue().strip())  # type: ignore[attr-defined]
    return out[0], out[1]


def test_each_side_prints_in_its_own_order() -> None:
    a = Document(
        id="a", path="a", format="txt", text="to the security of the Pacific Area. The end"
    )
    b = Document(
        id="b", path="b", format="txt", text="Pacific area and more. to the security of that area."
    )
    # A passage whose parts come in another order on the two sides: "Pacific Area" is at
    # A's end and at B's start.
    m = Match(
        a=Passage("a", Span(0, 36)),
        b=Passage("b", Span(0, 53)),
        kind=Kind.PHRASING,
        score=90.0,
        words=6,
        ops=(
            AlignOp("equal", Span(0, 20), Span(22, 42)),
            AlignOp("equal", Span(23, 35), Span(0, 12)),
        ),
    )
    side_a, side_b = _plain(a, b, m)
    assert side_a == a.text[0:36]
    assert side_b == b.text[0:53]


def _anzus(shared_dir: Path, tmp_path: Path) -> tuple[Document, Document]:
    """DFAT volume 21's drafts of the ANZUS treaty of February and July 1951, each cut where
    its text ends ("DONE at")."""
    archive = shared_dir / "corpora" / "dfat-documents.tar.gz"
    if not archive.exists():
        pytest.skip(f"{archive} is absent")
    folder = "dfat_historical_documents/txt/volume-21-the-anzus-treaty/"
    names = {
        "50-draft-of-treaty.txt": "a.txt",
        "105-draft-security-treaty-between-australia-new-zealand-and-the-united-states-1.txt": (
            "b.txt"
        ),
    }
    with tarfile.open(archive) as tar:
        for name, short in names.items():
            member = tar.extractfile(folder + name)
            assert member is not None
            text = member.read().decode("utf-8")
            (tmp_path / short).write_text(text[: text.index("DONE at")], encoding="utf-8")
    return load(tmp_path / "a.txt"), load(tmp_path / "b.txt")


def test_a_rewritten_article_is_not_taken_in_by_two_words(shared_dir: Path, tmp_path: Path) -> None:
    a, b = _anzus(shared_dir, tmp_path)
    matches = compare(a, b).pairs[0].matches
    # Article VIII was rewritten: its new text opens on "Pacific area and the development by
    # the United Nations …", which the old text says only in two words ("the Pacific Area").
    opening = b.text.index("Pacific area and the development")
    assert not any(m.b.span.start <= opening < m.b.span.end for m in matches)
    # The articles after it are still one passage.
    ratified = b.text.index("This Treaty shall be ratified")
    assert any(m.b.span.start <= ratified < m.b.span.end for m in matches)
