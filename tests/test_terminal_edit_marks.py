"""Without colour (a pipe, a file, NO_COLOR) `compare` marks the edits inside a passage in its
text, as `docdiff diff` does: words only in A as ``[-…-]``, words only in B as ``{+…+}``. Before,
two drafts of the China communiqué (DFAT volume 22, 365/374) saved to a file showed "mutual
respect" and "mutual recognition" side by side with nothing to tell them apart, and the words one
draft inserts between the passage's two joined parts ("as agreed ad referendum") were not
styled even in colour."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from docdiff.cli.terminal import print_compare
from docdiff.engine.compare import compare
from docdiff.loaders import load_text
from docdiff.model import Document

DRAFT = (
    "The two Governments agreed to develop diplomatic relations, friendship and cooperation "
    "between the two countries on the basis of the principles of mutual {word} for sovereignty "
    "and territorial integrity, mutual non-aggression, non-interference in each other's internal "
    "affairs, equality and mutual benefit and peaceful coexistence."
)


def _printed(a: Document, b: Document, *, color: bool) -> str:
    out = io.StringIO()
    print_compare(compare(a, b), file=out, color=color)
    return out.getvalue()


def test_plain_output_marks_the_words_each_side_alone_has() -> None:
    a = load_text(DRAFT.format(word="respect"), doc_id="a")
    b = load_text(DRAFT.format(word="recognition"), doc_id="b")
    plain = _printed(a, b, color=False)
    assert "[-respect-]" in plain, plain
    assert "{+recognition+}" in plain, plain
    assert "[-sovereignty" not in plain
    assert "{+sovereignty" not in plain
    coloured = _printed(a, b, color=True)
    assert "[-" not in coloured
    assert "{+" not in coloured
    assert "\x1b[" in coloured


VOLUME = (
    "dfat_historical_documents/txt/"
    "volume-22-australia-and-recognition-of-the-peoples-republic-of-china-1949-1972/"
)


def test_the_communique_drafts(shared_dir: Path) -> None:
    archive = shared_dir / "corpora" / "dfat-documents.tar.gz"
    if not archive.exists():
        pytest.skip(f"{archive} is absent")
    found: dict[str, Document] = {}
    with tarfile.open(archive) as tar:
        for name in ("365-cablegram-to-canberra.txt", "374-cablegram-to-canberra.txt"):
            f = tar.extractfile(VOLUME + name)
            assert f is not None
            found[name[:3]] = load_text(f.read().decode("utf-8"), doc_id=name)
    plain = " ".join(_printed(found["365"], found["374"], color=False).split())
    assert "[-respect-]" in plain
    assert "{+recognition+}" in plain
    assert "{+recognises+}" in plain
    assert "[-recognizes-]" in plain
    # The words 374 inserts between the two parts the passage is joined from:
    assert "{+as agreed" in plain.replace("│ ", "")
