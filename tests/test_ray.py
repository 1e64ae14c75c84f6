"""The Ray engine: identical scans and indexes to the local engine, retries, lost workers.

One private local Ray runtime (2 CPUs) serves the whole module; every `RayEngine` made here
finds it running and reuses it.
"""

from __future__ import annotations

import importlib.util
import json
import random
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from docdiff.backends.ray_backend import RayEngine
from docdiff.corpus.scan import candidate_pairs, load_documents, scan
from docdiff.errors import OptionsError
from docdiff.index import CorpusIndex
from docdiff.index.arrays import DocTokens, unique_kgrams
from docdiff.loaders import iter_corpus, load
from docdiff.model import Document, Report
from docdiff.options import Options, ScanOptions
from docdiff.render.jsonout import report_to_dict
from tests._corpus import corpus_docs
from tests._ray_faults import FailOnce, ship_by_value

# Ray itself is imported by the engine when it starts (so its runtime stays on loopback).
pytestmark = [
    pytest.mark.ray,
    pytest.mark.skipif(
        importlib.util.find_spec("ray") is None,
        reason="the ray extra is not installed: pip install 'docdiff[ray]'",
    ),
]

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fixtures" / "corpus"
LETTERS = ROOT / "fixtures" / "letters"
DFAT_UNPACKED = Path("/tmp/corpora/dfat_historical_documents/txt")
CACHE = Path(tempfile.gettempdir()) / "docdiff-test-corpora"


@pytest.fixture(scope="module")
def engine() -> Iterator[RayEngine]:
    """A started engine on a private local runtime of 2 CPUs, shut down after the module.

    Ray waits a fixed 30 s for its raylet to register (``ray/_private/node.py``); a loaded machine
    can take longer, and Ray then leaves the processes it started behind. Such a start is cleaned
    up and tried again (three times at most): the wait is for the runtime, however long it takes.
    """
    ship_by_value()
    for attempt in range(3):
        started = RayEngine(jobs=2)
        try:
            started.start()
        except Exception as exc:
            if "timed out during startup" not in str(exc) or attempt == 2:
                raise
            _stop_leftovers()
            continue
        try:
            yield started
        finally:
            started.close()
        return


def _stop_leftovers() -> None:
    """Stop the processes a failed Ray start left running (their handles are still in memory)."""
    import gc
    import subprocess

    for obj in gc.get_objects():
        if isinstance(obj, subprocess.Popen) and obj.poll() is None and "ray" in str(obj.args):
            obj.kill()
            obj.wait()


def _letters_docs() -> list[Document]:
    docs, failed = load_documents([LETTERS])
    assert not failed
    return docs


def _same(local: Report, remote: Report) -> None:
    """Identical matches, clusters and documents; the JSON differs only in its settings."""
    assert remote.pairs == local.pairs
    assert remote.clusters == local.clusters
    assert remote.documents == local.documents
    a, b = report_to_dict(local), report_to_dict(remote)
    a.pop("settings")
    b.pop("settings")
    assert a == b


@pytest.mark.parametrize("load_docs", [corpus_docs, _letters_docs], ids=["corpus", "letters"])
def test_ray_scan_equals_local_scan_on_fixtures(engine: RayEngine, load_docs: object) -> None:
    assert callable(load_docs)
    docs = load_docs()
    local = scan(docs, Options(), jobs=1)
    assert local.pairs, "the fixtures must share text, or the comparison proves nothing"
    seen: list[tuple[str, int, int]] = []
    remote = engine.scan(docs, Options(), progress=lambda s, d, n: seen.append((s, d, n)))
    _same(local, remote)
    assert remote.settings["engine"] == "ray"
    # progress goes through the local scan's callback, ending every stage complete
    last = {s: (d, n) for s, d, n in seen}
    aligned = local.settings["candidate_pairs"]
    assert last["align"] == (aligned, aligned)
    assert last["partitions"][0] == last["partitions"][1]
    assert last["tokenize"] == (len(docs), len(docs))


def test_ray_scan_leaves_widely_shared_wording_out_as_local(engine: RayEngine) -> None:
    """The wording many documents share (`tests.test_widely_shared`: a theme ten of sixty
    quote) is left out of the distinctive similarity by the Ray workers as by the local scan,
    in full and anchored comparisons."""
    from docdiff.engine.score import WIDELY_REASON
    from tests.test_widely_shared import _corpus

    docs = _corpus()
    for scan_options in (ScanOptions(), ScanOptions(full_pairs=1)):
        local = scan(docs, Options(), scan_options, jobs=1)
        remote = engine.scan(docs, Options(), scan_options)
        _same(local, remote)
        marked = [m for p in remote.pairs for m in p.matches if m.reason.endswith(WIDELY_REASON)]
        assert marked


def test_cli_scan_and_index_with_engine_ray(engine: RayEngine, tmp_path: Path) -> None:
    from docdiff.cli import app

    runner = CliRunner()
    args = ["scan", str(CORPUS / "letters"), "--format", "json", "--no-progress", "-j", "1"]
    local = runner.invoke(app, args)
    remote = runner.invoke(app, [*args, "--engine", "ray"])
    assert local.exit_code == 0, local.output
    assert remote.exit_code == 0, remote.output
    a, b = json.loads(local.stdout), json.loads(remote.stdout)
    assert b["settings"].pop("engine") == "ray"
    a["settings"].pop("jobs")
    b["settings"].pop("jobs")
    assert a == b
    db = tmp_path / "cli.db"
    built = runner.invoke(
        app, ["index", "build", str(LETTERS), "--db", str(db), "--engine", "ray", "--no-progress"]
    )
    assert built.exit_code == 0, built.output
    assert f"{len(list(iter_corpus([LETTERS])))} added" in built.stdout
    db_args = ["scan", "--db", str(db), "--format", "json", "-j", "1"]
    from_db = runner.invoke(app, [*db_args, "--engine", "ray"])
    assert from_db.exit_code == 0, from_db.output
    local_db = json.loads(runner.invoke(app, db_args).stdout)
    remote_db = json.loads(from_db.stdout)
    assert remote_db["pairs"]
    assert all(remote_db[k] == local_db[k] for k in ("pairs", "clusters", "documents"))
    wrong = runner.invoke(app, ["scan", str(LETTERS), "--engine", "spark"])
    assert wrong.exit_code == 2
    assert "--engine must be one of local, ray" in wrong.stderr
    lonely = runner.invoke(app, ["scan", str(LETTERS), "--address", "auto"])
    assert lonely.exit_code == 2
    assert "--address needs --engine ray" in lonely.stderr


def test_ray_scan_keeps_filters_and_options(engine: RayEngine) -> None:
    docs = corpus_docs()
    options = Options(min_words=6, paraphrase=False)
    how = ScanOptions(min_docs=3, cross="sender", min_shared=1, where="year>=2020")
    local = scan(docs, options, how, jobs=1)
    assert local.pairs
    assert all(not d.meta.get("date", "2020").startswith("2019") for d in local.documents)
    _same(local, engine.scan(docs, options, how))


def test_ray_scan_with_pairs_beyond_the_full_budget_equals_local(engine: RayEngine) -> None:
    docs = corpus_docs()
    how = ScanOptions(full_pairs=2)
    local = scan(docs, Options(), how, jobs=1)
    assert int(str(local.settings["anchored_pairs"])) > 0
    remote = engine.scan(docs, Options(), how)
    _same(local, remote)
    assert remote.settings["compared_in_full"] == 2


def _tokens(seq: list[int]) -> DocTokens:
    hashes = np.array(seq, dtype=np.uint64)
    zeros = np.zeros(len(seq), dtype=np.int32)
    return DocTokens(hashes, zeros, zeros)


@given(
    st.lists(st.lists(st.integers(0, 6), max_size=30), max_size=10),
    st.integers(1, 3),
    st.integers(2, 6),
    st.integers(1, 5),
    st.integers(2, 4),
)
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_partitioned_candidates_equal_local(
    engine: RayEngine, seqs: list[list[int]], min_shared: int, max_df: int, parts: int, k: int
) -> None:
    tokens = [_tokens(s) for s in seqs]
    expected = candidate_pairs(
        [unique_kgrams(t.hashes, k) for t in tokens], min_shared=min_shared, max_df=max_df
    )
    partitioned = RayEngine(parts=parts)
    partitioned.start()  # reuses the module's runtime
    got = partitioned.candidate_pairs(tokens, k, min_shared=min_shared, max_df=max_df)
    assert got.tolist() == expected.tolist()


def _index_rows(db: Path) -> tuple[list[tuple[object, ...]], list[tuple[int, int]]]:
    conn = sqlite3.connect(db)
    try:
        docs = conn.execute(
            "SELECT doc, id, path, format, sha256, size, chars, words, meta, offsets, text, tokens "
            "FROM documents ORDER BY doc"
        ).fetchall()
        postings = conn.execute("SELECT hash, doc FROM postings ORDER BY hash, doc").fetchall()
    finally:
        conn.close()
    return docs, postings


def _mixed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "mixed"
    folder.mkdir()
    for f in sorted(LETTERS.glob("*.txt")) + sorted((CORPUS / "letters").glob("*.txt")):
        (folder / f"{f.parent.name}_{f.name}").write_bytes(f.read_bytes())
    (folder / "broken.txt").write_bytes(b"\x00\x01binary\x00" * 50)
    return folder


def test_ray_index_equals_local_index(engine: RayEngine, tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path)
    with CorpusIndex.open(tmp_path / "local.db", create=True) as index:
        local = index.update([folder], jobs=1)
    fault = FailOnce(str(tmp_path), ("load",), exit=True)
    with (
        RayEngine(on_task=fault) as flaky,
        flaky.open_index(tmp_path / "ray.db", create=True) as index,
    ):
        done: list[int] = []
        remote = index.update([folder], progress=lambda d, n, p: done.append(d))
    assert (tmp_path / "load.failed").exists()
    assert (remote.added, remote.unchanged, remote.failed) == (
        local.added,
        local.unchanged,
        local.failed,
    )
    assert [p for p, _ in remote.failed] == [str((folder / "broken.txt").resolve())]
    assert done[-1] == local.added + len(local.failed)
    assert _index_rows(tmp_path / "ray.db") == _index_rows(tmp_path / "local.db")
    # an update with nothing changed touches nothing
    with engine.open_index(tmp_path / "ray.db") as index:
        again = index.update([folder])
    assert (again.added, again.changed, again.unchanged) == (0, 0, local.added)


def test_bad_address_is_refused() -> None:
    with pytest.raises(OptionsError, match="--address"):
        RayEngine(address="http://example")
    with pytest.raises(OptionsError, match="--jobs"):
        RayEngine(jobs=0)


# --- a 2,000-document sample of the DFAT corpus --------------------------------------------------


def _dfat_folder(shared_dir: Path) -> Path:
    if DFAT_UNPACKED.is_dir():
        return DFAT_UNPACKED
    target = CACHE / "dfat_historical_documents" / "txt"
    if not target.is_dir():
        archive = shared_dir / "corpora" / "dfat-documents.tar.gz"
        if not archive.exists():
            pytest.skip(f"{archive} is absent")
        CACHE.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive) as tar:
            tar.extractall(CACHE, filter="data")
    return target


def test_ray_scan_equals_local_scan_on_a_dfat_sample(engine: RayEngine, shared_dir: Path) -> None:
    root = _dfat_folder(shared_dir)
    files = sorted(root.rglob("*.txt"))
    assert len(files) > 2000
    sample = sorted(random.Random(2000).sample(files, 2000))
    docs = [load(f, doc_id=f.relative_to(root).as_posix()) for f in sample]
    # An alignment budget keeps this test quick; candidates still come from all 2,000 documents.
    local = scan(docs, Options(), ScanOptions(max_pairs=400), jobs=2)
    remote = engine.scan(docs, Options(), ScanOptions(max_pairs=400))
    assert len(local.pairs) > 100
    assert remote.settings["min_shared"] == local.settings["min_shared"]
    assert remote.settings["candidate_pairs"] == local.settings["candidate_pairs"]
    _same(local, remote)


# --- failures (last: a dead worker's notice reaches the driver's stdout late) ---------------------


@pytest.mark.parametrize("lost_worker", [False, True], ids=["task-raises", "worker-dies"])
def test_failures_are_retried_and_lose_nothing(
    engine: RayEngine, tmp_path: Path, lost_worker: bool
) -> None:
    docs = _letters_docs()
    local = scan(docs, Options(), jobs=1)
    stages = ("tokenize", "kgrams", "pairs", "align")
    with RayEngine(on_task=FailOnce(str(tmp_path), stages, exit=lost_worker)) as flaky:
        remote = flaky.scan(docs, Options())
    # each stage really failed once (and, for a lost worker, the process that ran it died)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{s}.failed" for s in stages)
    _same(local, remote)


def test_without_retries_a_failure_surfaces(engine: RayEngine, tmp_path: Path) -> None:
    docs = _letters_docs()
    fault = FailOnce(str(tmp_path), ("align",))
    with (
        RayEngine(max_retries=0, on_task=fault) as fragile,
        pytest.raises(RuntimeError, match="injected failure"),
    ):
        fragile.scan(docs, Options())
