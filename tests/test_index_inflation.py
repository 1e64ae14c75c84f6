"""A hostile or damaged index cannot make docdiff inflate gigabytes.

An index stores each document's text and token arrays compressed. A row of a few megabytes
can inflate to gigabytes (a compression bomb): before, `docdiff scan --db` of a 3.5 MB index
whose one text was such a row ran for 7 minutes in 6 GB. Every stored blob is now inflated up
to what such a row can hold (`docdiff.index.arrays.inflate`): a text up to the UTF-8 of the
longest text a loader emits, token arrays 16 bytes a token of such a text. Derived data (not
compressed since its format 7) is refused past a bound from its document's text and tokens.
"""

from __future__ import annotations

import sqlite3
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import docdiff.loaders
from docdiff.cli import app
from docdiff.corpus import derived
from docdiff.corpus.derived import DERIVER, prepared_from
from docdiff.corpus.query import query
from docdiff.errors import CorpusIndexError
from docdiff.index import CorpusIndex
from docdiff.index.arrays import inflate, max_text_bytes
from docdiff.loaders import DEFAULT_LIMITS, Limits, load_text
from docdiff.model import Report

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus" / "letters"

runner = CliRunner()


@given(st.binary(max_size=4000), st.integers(min_value=0, max_value=5000))
def test_inflate_is_decompress_up_to_its_limit(data: bytes, limit: int) -> None:
    blob = zlib.compress(data, 1)
    if len(data) <= limit:
        assert inflate(blob, limit) == data
    else:
        with pytest.raises(ValueError, match="inflates past"):
            inflate(blob, limit)


@given(st.binary(min_size=1, max_size=2000), st.data())
def test_a_truncated_blob_is_refused(data: bytes, draw: st.DataObject) -> None:
    blob = zlib.compress(data, 1)
    cut = draw.draw(st.integers(min_value=0, max_value=len(blob) - 1))
    with pytest.raises((ValueError, zlib.error)):
        inflate(blob[:cut], 10_000)


def _bomb(size: int) -> bytes:
    """`size` zero bytes, compressed (a thousandth of that on disk)."""
    packer = zlib.compressobj(9)
    chunk = bytes(1 << 20)
    parts = [packer.compress(chunk) for _ in range(size >> 20)]
    return b"".join([*parts, packer.compress(bytes(size % (1 << 20))), packer.flush()])


def _index(db: Path) -> int:
    """An index of the letters with derived data; the number of its first document."""
    with CorpusIndex.open(db, create=True) as idx:
        idx.update([CORPUS], derive=DERIVER)
        return idx.documents()[0].number


def _bombed(tmp_path: Path, column: str, size: int) -> tuple[Path, int]:
    """An index whose first document's `column` (text or tokens) inflates to `size` bytes."""
    db = tmp_path / "i.db"
    number = _index(db)
    with sqlite3.connect(db) as conn:
        conn.execute(f"UPDATE documents SET {column} = ? WHERE doc = ?", (_bomb(size), number))
    return db, number


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> int:
    """Loader limits of a megabyte of text (so that a bomb past them is cheap to make)."""
    monkeypatch.setattr(docdiff.loaders, "DEFAULT_LIMITS", Limits(max_text=1_000_000))
    assert max_text_bytes() == 4_000_000
    return max_text_bytes()


def test_the_bounds_follow_the_loaders_limits() -> None:
    assert max_text_bytes() == 4 * DEFAULT_LIMITS.max_text


def test_a_text_that_inflates_past_the_longest_text_names_its_document(
    tmp_path: Path, small_limits: int
) -> None:
    db, number = _bombed(tmp_path, "text", small_limits + 1)
    with sqlite3.connect(db) as conn:
        doc_id = conn.execute("SELECT id FROM documents WHERE doc = ?", (number,)).fetchone()[0]
    pattern = f"document '{doc_id}' has damaged .*inflates"
    with CorpusIndex.open(db, readonly=True) as idx, pytest.raises(CorpusIndexError, match=pattern):
        idx.documents_by_number([number])


def test_token_arrays_that_inflate_past_their_bound_name_their_document(
    tmp_path: Path, small_limits: int
) -> None:
    db, number = _bombed(tmp_path, "tokens", 4 * small_limits + 16)
    with (
        CorpusIndex.open(db, readonly=True) as idx,
        pytest.raises(CorpusIndexError, match="inflates past"),
    ):
        idx.tokens_by_number([number])


def test_a_scan_of_an_index_holding_a_bomb_stops_with_one_line(
    tmp_path: Path, small_limits: int
) -> None:
    db, _ = _bombed(tmp_path, "text", small_limits + 1)
    result = runner.invoke(app, ["scan", "--db", str(db), "--no-progress"])
    assert result.exit_code == 2, result.output
    assert "has damaged stored data" in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def _digest(report: Report) -> list[object]:
    return [
        (p.b, p.summary, [(m.kind, m.a.span, m.b.span) for m in (*p.matches, *p.echoes)])
        for p in report.pairs
    ]


def test_derived_data_past_its_bound_is_set_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A derived blob (stored as it is, not compressed) bigger than its document's text and
    tokens can make is refused unread, and the source is prepared from its text: the same
    report."""
    db = tmp_path / "i.db"
    _index(db)
    new = (
        "Please accept, Excellency, the assurances of my highest consideration. The joint "
        "fisheries commission will convene an extraordinary session in the spring."
    )

    def ask() -> Report:
        with CorpusIndex.open(db, readonly=True) as idx:
            return query(idx, load_text(new, doc_id="new"))

    stored = _digest(ask())
    with sqlite3.connect(db) as conn:
        longest = conn.execute("SELECT max(chars), max(words) FROM documents").fetchone()
        conn.execute(
            # (Past the bound without the token arrays too: at most a token a character.)
            "UPDATE derived SET data = ?",
            (bytes(64 * longest[0] + 128 * max(longest) + 65_537),),
        )
    refused: list[str] = []
    real = derived.prepared_from

    def spy(*args: object, **kwargs: object) -> object:
        try:
            return real(*args, **kwargs)  # type: ignore[arg-type]
        except ValueError as exc:
            refused.append(str(exc))
            raise

    monkeypatch.setattr(derived, "prepared_from", spy)
    assert _digest(ask()) == stored
    assert stored
    assert refused
    assert all("larger than its document's can be" in r for r in refused)
    assert prepared_from is real
