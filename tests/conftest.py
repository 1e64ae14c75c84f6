"""Shared test fixtures: where the bundled fixtures and the optional ../shared material live."""

from __future__ import annotations

from pathlib import Path

import pytest

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
