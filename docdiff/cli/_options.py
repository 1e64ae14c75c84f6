"""CLI flags generated from `docdiff.options.Options` and `ScanOptions`: no command spells an
engine or scan option itself.

`engine_options` turns a command taking ``options: Options`` into one that takes a Typer option per
field of `Options` (its flag, help text and default come from the field), and builds the
`Options` object before calling the command. Adding a field to `Options` adds the flag to every
command that takes options, and to the language server's settings, with nothing else to edit.
`scan_flags` does the same for a command taking ``scan_options: ScanOptions`` (``scan``), and
`scan_help` gives another command (``formulae --where``) the same help text.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable, Iterable
from typing import Annotated, Any, TypeVar, cast, overload

import typer

from docdiff.errors import OptionsError
from docdiff.options import (
    Options,
    OptionSpec,
    ScanOptions,
    named_as,
    option_specs,
    parse_kinds,
    scan_option_specs,
)

__all__ = ["engine_options", "scan_flags", "scan_help"]


@functools.cache
def _field_types(owner: type) -> dict[str, Any]:
    """The evaluated field types of `owner`, once per process: every command generates a flag
    per field at import, and evaluating the string annotations again for each flag was 20 M of
    the command modules' 51 M instructions."""
    return typing.get_type_hints(owner)


def _cli_type(spec: OptionSpec, owner: type = Options) -> Any:
    """The type Typer parses a flag into (kinds are a comma-separated string)."""
    kind = _field_types(owner)[spec.name]
    if spec.name == "kinds":
        return str | None
    if kind in (int, float, bool, int | None):
        return kind
    return str | None


def _parameter(
    spec: OptionSpec, defaults: dict[str, Any], owner: type = Options
) -> inspect.Parameter:
    flags = spec.cli.split(" ")
    kind = _cli_type(spec, owner)
    optional = kind in (str | None, int | None)
    default = None if optional else defaults.get(spec.name, spec.default)
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
    try:
        return Options(**changes)
    except OptionsError as exc:
        raise _as_flags(exc, option_specs()) from None


def _as_flags(exc: OptionsError, specs: Iterable[OptionSpec]) -> OptionsError:
    """The error in the command line's words: "--min-words must be at least 1", not the
    field's name ("min_words"), which the library and the JSON settings use."""
    text = str(exc)
    for spec in specs:
        if spec.cli and (said := named_as(text, spec.name, spec.cli.split(" ")[0])) != text:
            return OptionsError(said)
    return exc


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


def scan_options_from_flags(values: dict[str, Any]) -> ScanOptions:
    """The `ScanOptions` from the generated flags' values (None keeps a field's default;
    ``--max-pairs 0`` means no budget and ``--full-pairs 0`` every pair in full, as the help
    says)."""
    changes = {name: value for name, value in values.items() if value is not None}
    if changes.get("max_pairs") == 0:
        del changes["max_pairs"]
    if changes.get("full_pairs") == 0:
        changes["full_pairs"] = None
    try:
        return ScanOptions(**changes)
    except OptionsError as exc:
        raise _as_flags(exc, scan_option_specs()) from None


def scan_help(name: str) -> str:
    """The help text of scan option `name` (for a command sharing one flag, not the whole set)."""
    return next(spec.help for spec in scan_option_specs() if spec.name == name)


def scan_flags(func: Command) -> Command:
    """Give a command one flag per `ScanOptions` field in place of its ``scan_options``
    parameter, and build the `ScanOptions` before calling it."""
    specs = scan_option_specs()
    names = {spec.name for spec in specs}
    signature = inspect.signature(func, eval_str=True)
    kept = [p for name, p in signature.parameters.items() if name != "scan_options"]
    generated = [_parameter(spec, {}, ScanOptions) for spec in specs]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in list(kwargs) if name in names}
        return func(*args, scan_options=scan_options_from_flags(values), **kwargs)

    # Keyword-only parameters stay last (after `options`' generated flags, if any).
    positional = [p for p in kept if p.kind != inspect.Parameter.KEYWORD_ONLY]
    keyword = [p for p in kept if p.kind == inspect.Parameter.KEYWORD_ONLY]
    wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*positional, *generated, *keyword]
    )
    return cast("Command", wrapper)
