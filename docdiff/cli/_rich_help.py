"""Typer's help and error panels without loading rich's Markdown and traceback modules.

``typer.rich_utils``, which draws every ``--help`` and usage error, imports ``rich.markdown``
(markdown-it, pygments) and ``rich.traceback`` (pygments, rich.pretty) when it loads: 228 M of
the 822 M instructions of ``docdiff --help``. docdiff uses neither: its help is in rich markup
(Typer's default ``rich_markup_mode``), and pretty tracebacks are off. So while
``typer.rich_utils`` loads, those two modules are stand-ins whose classes import the real ones on
first use; the stand-ins leave ``sys.modules`` as soon as it has loaded. Nothing printed changes.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:  # importing importlib.abc costs 11 M instructions
    from collections.abc import Sequence
    from importlib.abc import Loader
    from importlib.machinery import ModuleSpec

__all__ = ["defer_rich_imports"]

_TARGET = "typer.rich_utils"

_DEFERRED = {"rich.markdown": "Markdown", "rich.traceback": "Traceback"}
"""The modules ``typer.rich_utils`` imports for features docdiff leaves off -> the one name it
takes from each."""


class _Deferred(type):
    """A stand-in class: calling it, or reading an attribute it lacks, loads the real class."""

    _module: str

    def real(cls) -> Any:
        """The class this one stands in for (its module is imported now)."""
        module = __import__(cls._module, fromlist=[cls.__name__])
        return getattr(module, cls.__name__)

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls.real()(*args, **kwargs)

    def __getattr__(cls, name: str) -> Any:
        return getattr(cls.real(), name)


def _stand_in(module: str, name: str) -> ModuleType:
    stand_in = ModuleType(module, f"Stand-in for {module} while {_TARGET} loads.")
    setattr(stand_in, name, _Deferred(name, (), {"_module": module}))
    return stand_in


class _Loader:
    """Runs Typer's own loader with the stand-ins in `sys.modules`."""

    def __init__(self, real: Loader) -> None:
        self._real = real

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self._real.create_module(spec)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)  # get_source, get_resource_reader, ...

    def exec_module(self, module: ModuleType) -> None:
        placed = [name for name in _DEFERRED if name not in sys.modules]
        for name in placed:
            sys.modules[name] = _stand_in(name, _DEFERRED[name])
        try:
            self._real.exec_module(module)
        except ImportError:
            # A Typer that takes more from these modules than the stand-ins offer: load it
            # with the real ones (slower, and still correct).
            for name in placed:
                del sys.modules[name]
            placed = []
            self._real.exec_module(module)
        finally:
            for name in placed:
                del sys.modules[name]


class _Finder:
    """Finds ``typer.rich_utils`` as the other finders do, and gives it `_Loader`; once."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != _TARGET:
            return None
        sys.meta_path.remove(self)
        for finder in sys.meta_path:
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = cast("Loader", _Loader(spec.loader))
                return spec
        return None


def defer_rich_imports() -> None:
    """Have ``typer.rich_utils`` load without rich's Markdown and traceback modules."""
    if _TARGET not in sys.modules and not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
