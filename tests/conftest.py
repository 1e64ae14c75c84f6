"""Shared test fixtures: where the bundled fixtures and the optional ../shared material live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# The suite must pass every time, also on a loaded machine: examples are derived from each test's
# name (derandomize) and no health check depends on speed. `DOCDIFF_HYPOTHESIS=explore` draws
# fresh random examples instead, for hunting bugs by hand.
settings.register_profile(
    "suite",
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
settings.register_profile("explore", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("DOCDIFF_HYPOTHESIS", "suite"))

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """The project's own fixtures folder."""
    return FIXTURES


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the checkout; tests that need it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent (a fresh clone has no shared corpora)")
    return SHARED


@pytest.fixture(scope="session")
def seeds_dir(shared_dir: Path) -> Path:
    """The two canonical seed letters."""
    seeds = shared_dir / "seeds"
    if not seeds.is_dir() or len(list(seeds.glob("*.txt"))) < 2:
        pytest.skip("../shared/seeds is absent")
    return seeds
