"""The suite's one patience setting (`tests._patience`): how deadlines scale, and that an
expired one says what it waited for."""

from __future__ import annotations

import itertools
import os

import pytest

from tests import _patience


@pytest.mark.parametrize(
    ("asked", "load", "cores", "factor"),
    [
        ("", 0.5, 2, 1.0),  # a quiet machine: the deadlines as written
        ("", 8.0, 2, 4.0),  # load 4 per core: four times as long
        ("3", 1.0, 2, 3.0),  # asked for
        ("2", 6.0, 2, 6.0),  # both
        ("nonsense", 0.0, 2, 1.0),
        ("-1", 0.0, 2, 1.0),
    ],
)
def test_the_factor_grows_with_the_load_and_the_setting(
    monkeypatch: pytest.MonkeyPatch, asked: str, load: float, cores: int, factor: float
) -> None:
    monkeypatch.setenv("DOCDIFF_TEST_PATIENCE", asked)
    monkeypatch.setattr(os, "getloadavg", lambda: (load, load, load))
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    assert _patience._factor() == factor


def test_seconds_and_milliseconds_scale_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_patience, "FACTOR", 2.5)
    monkeypatch.setattr(_patience, "_factor", lambda: 1.0)
    assert _patience.seconds(4) == 10.0
    assert _patience.ms(4) == 10_000.0


def test_a_load_that_came_later_lengthens_the_deadlines(monkeypatch: pytest.MonkeyPatch) -> None:
    """The load when a wait starts counts, not only the load when the suite started."""
    monkeypatch.setattr(_patience, "FACTOR", 1.0)
    monkeypatch.setattr(_patience, "_factor", lambda: 6.0)
    assert _patience.seconds(10) == 60.0


def test_wait_until_returns_the_first_truthy_value() -> None:
    calls = itertools.count()
    assert _patience.wait_until(lambda: next(calls) >= 3 and "done", 30, "the third call") == "done"


def test_an_expired_wait_names_the_event(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_patience, "FACTOR", 0.0)  # a deadline already passed
    monkeypatch.setattr(_patience, "_factor", lambda: 0.0)
    with pytest.raises(AssertionError, match="the file to appear"):
        _patience.wait_until(lambda: False, 30, "the file to appear", poll=0.0)
