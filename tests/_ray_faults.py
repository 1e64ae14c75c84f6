"""Fault injection for the Ray tests, through the engine's per-task hook (`RayEngine(on_task=…)`).

The hook travels to the workers by value (registered with Ray's cloudpickle below), so a
worker needs no access to the tests folder; the failure it raises is a built-in
`RuntimeError`, so the driver recognises it whatever Ray wraps it in.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class FailOnce:
    """The first task of each named stage fails once, then succeeds.

    `stages` are among "tokenize", "kgrams", "pairs", "align" and "load"; with ``exit=True``
    the task kills its worker process (a lost worker), otherwise it raises. Marker files in
    `folder` record that the failure happened, so the retry succeeds.
    """

    folder: str
    stages: tuple[str, ...]
    exit: bool = False

    def __call__(self, stage: str) -> None:
        if stage not in self.stages:
            return
        try:
            with (Path(self.folder) / f"{stage}.failed").open("x", encoding="utf-8") as fh:
                fh.write(str(os.getpid()))
        except FileExistsError:
            return
        if self.exit:
            os._exit(1)  # the worker dies mid-task, as on a lost node
        raise RuntimeError(f"injected failure in stage {stage}")


def ship_by_value() -> None:
    """Let Ray send `FailOnce` to its workers by value (they may not import ``tests``)."""
    import ray.cloudpickle

    # An untyped call with the ray extra installed; without it ray is Any and the ignore unused.
    register = ray.cloudpickle.register_pickle_by_value
    register(sys.modules[__name__])  # type: ignore[no-untyped-call,unused-ignore]
