"""CLI flags generated from `docdiff.options.Options`: no command spells an engine option itself.

`engine_options` turns a command taking ``options: Options`` into one that takes a Typer option per
field of `Options` (its flag, help text and default come from the field), and builds the
`Options` object before calling the command. Adding a field to `Options` adds the flag to every
command that takes options, and to the language server's settings, with nothing else to edit.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from typing import Annotated, Any, TypeVar, cast, overload

import typer

from docdiff.options import Options, OptionSpec, option_specs, parse_kinds

__all__ = ["engine_options"]


def _cli_type(spec: OptionSpec) -> Any:
    """The type Typer parses a flag into (kinds are a comma-separated string)."""
    hints = typing.get_type_hints(Options)
    kind = hints[spec.name]
    if spec.name == "kinds":
        return str | None
    if kind in (int, float, bool):
        return kind
    return str | None


def _parameter(spec: OptionSpec, defaults: dict[str, Any]) -> inspect.Parameter:
    flags = spec.cli.split(" ")
    kind = _cli_type(spec)
    default = None if kind == str | None else defaults.get(spec.name, spec.default)
    annotated = Annotated[kind, typer.Option(*flags, help=spec.help, show_default=True)]  # type: ignore[valid-type]
    return inspect.Parameter(
        spec.name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotated
    )


def options_from_flags(values: dict[str, Any]) -> Options:
    """The `Options` object from the generated flags' values (None keeps a field's default)."""
    changes: dict[str, Any] = {}
    for spec in option_specs():
        value = values.get(spec.name)
        if value is None:
            continue
        changes[spec.name] = parse_kinds(value) if spec.name == "kinds" else value
    return Options(**changes)


Command = TypeVar("Command", bound=Callable[..., Any])


class _WithDefaults:
    """``@engine_options(min_words=4)``: the decorator with per-command defaults."""

    def __init__(self, defaults: dict[str, Any]) -> None:
        self.defaults = defaults

    def __call__(self, func: Command) -> Command:
        return cast("Command", _with_engine_options(func, self.defaults))


@overload
def engine_options(func: Command) -> Command: ...


@overload
def engine_options(func: None = None, **defaults: Any) -> _WithDefaults: ...


def engine_options(func: Any = None, **defaults: Any) -> Any:
    """Give a command one flag per `Options` field in place of its ``options`` parameter.

    Used bare (``@engine_options``) or with per-command defaults (``@engine_options(min_words=4)``:
    a corpus scan reports longer passages by default than a two-document compare).
    """
    if func is None:
        return _WithDefaults(defaults)
    return _with_engine_options(func, defaults)


def _with_engine_options(func: Callable[..., Any], defaults: dict[str, Any]) -> Callable[..., Any]:
    unknown = set(defaults) - {spec.name for spec in option_specs()}
    if unknown:
        msg = f"engine_options: no such option {sorted(unknown)}"
        raise TypeError(msg)
    signature = inspect.signature(func, eval_str=True)
    kept = [p for name, p in signature.parameters.items() if name != "options"]
    generated = [_parameter(spec, defaults) for spec in option_specs()]
    names = {spec.name for spec in option_specs()}

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in list(kwargs) if name in names}
        return func(*args, options=options_from_flags(values), **kwargs)

    wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*kept, *generated]
    )
    return wrapper
