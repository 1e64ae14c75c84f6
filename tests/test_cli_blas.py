"""The console entry point keeps numpy's BLAS to one thread (docdiff does no linear algebra),
before numpy is imported, unless the user chose a number; and runs the cyclic collector less
often, with what is loaded frozen out of it."""

from __future__ import annotations

import gc
import os
import subprocess
import sys

import pytest

import docdiff.cli


@pytest.mark.parametrize(("preset", "expected"), [(None, "1"), ("4", "4")])
def test_main_sets_one_blas_thread_unless_told(
    monkeypatch: pytest.MonkeyPatch, preset: str | None, expected: str
) -> None:
    if preset is None:
        monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    else:
        monkeypatch.setenv("OPENBLAS_NUM_THREADS", preset)
    monkeypatch.setattr(docdiff.cli, "app", lambda: None)
    before = gc.get_threshold()
    try:
        docdiff.cli.main()
    finally:
        # `main` freezes what is loaded and sets the collector's thresholds for a whole run:
        # not for the tests that run after this one in the same process.
        gc.unfreeze()
        gc.set_threshold(*before)
    assert os.environ["OPENBLAS_NUM_THREADS"] == expected


def test_numpy_is_not_imported_before_main() -> None:
    code = "import sys, docdiff.cli; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_main_sets_the_collector_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    before = gc.get_threshold()
    monkeypatch.setattr(docdiff.cli, "app", lambda: None)
    try:
        docdiff.cli.main()
        assert gc.get_threshold() == docdiff.cli._GC_THRESHOLDS
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
