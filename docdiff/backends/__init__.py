"""Execution backends for the corpus stages; the only place that may import Ray.

``docdiff.backends.ray_backend`` runs a scan's candidate generation and alignment, and an index's
file loading, on a Ray runtime (a local one or a cluster). Importing this package is cheap: it
never imports Ray, so the CLI and the language server can name engines without loading one.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from docdiff.errors import OptionsError

if TYPE_CHECKING:
    from docdiff.backends.ray_backend import RayEngine

__all__ = ["ENGINES", "engine_for"]

ENGINES = ("local", "ray")
"""Names accepted by ``--engine``."""


@contextmanager
def engine_for(
    engine: str, *, address: str | None = None, jobs: int | None = None
) -> Iterator[RayEngine | None]:
    """A started engine for `engine` ("ray"), or None for the local process pool."""
    if engine not in ENGINES:
        raise OptionsError(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if engine == "local":
        if address is not None:
            raise OptionsError("--address needs --engine ray")
        yield None
        return
    from docdiff.backends.ray_backend import RayEngine

    # Ray prints worker-death notices on stdout; keep stdout for the command's own output.
    with contextlib.redirect_stdout(sys.stderr), RayEngine(address=address, jobs=jobs) as started:
        yield started
