"""Documents read from the shared corpora's archives (``../shared/corpora/*.tar.gz``), for the
tests that check docdiff on real documents; such a test skips when the archive is absent."""

from __future__ import annotations

import tarfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from docdiff.loaders import load_text
from docdiff.model import Document

DFAT = "dfat-documents.tar.gz"
UN = "un-general-debate.tar.gz"


def archive_documents(
    shared_dir: Path, archive: str, folder: str, names: Sequence[str] = ()
) -> list[Document]:
    """The documents under `folder` in the shared `archive`, in the archive's order, with their
    names below `folder` as ids; only those whose name starts with one of `names`, if given."""
    path = shared_dir / "corpora" / archive
    if not path.exists():
        pytest.skip(f"{path} is absent")
    docs = []
    with tarfile.open(path) as tar:
        for member in tar:
            name = member.name.removeprefix(folder)
            if not (member.isfile() and member.name.startswith(folder)):
                continue
            if names and not name.startswith(tuple(names)):
                continue
            f = tar.extractfile(member)
            assert f is not None
            docs.append(load_text(f.read().decode("utf-8"), doc_id=name))
    return docs
