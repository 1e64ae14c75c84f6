"""The server's settings: an all-default dataclass, read leniently from client JSON.

Settings arrive from ``initializationOptions``, ``workspace/didChangeConfiguration`` and
pulled ``workspace/configuration`` (section ``docdiff``), either nested
(``{"corpus": {"paths": [...]}}``) or dotted (``{"corpus.paths": [...]}``). An invalid value
is reported in the returned problem list and replaced by its default, never raised.
Engine-level names (minWords, minScore, kinds, formulae, ...) come from `docdiff.options`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from docdiff.model import Kind
from docdiff.options import Options

__all__ = ["DEFAULT_INCLUDE", "DEFAULT_SEVERITY", "Settings", "flatten"]

DEFAULT_INCLUDE: tuple[str, ...] = ("**/*.txt", "**/*.md", "**/*.html", "**/*.xml")
DEFAULT_SEVERITY: Mapping[str, str] = {
    Kind.FORMULA.value: "hint",
    Kind.NAME.value: "hint",
    Kind.PHRASING.value: "information",
    Kind.PARAPHRASE.value: "information",
    Kind.QUOTATION.value: "information",
    "echo": "hint",
}
_SEVERITY_NAMES = ("error", "warning", "information", "hint", "off")
_CHECK_ON = ("edit", "save")


@dataclass(frozen=True, slots=True)
class Settings:
    """Every server setting with its default (LSP names in the metadata)."""

    corpus_paths: tuple[str, ...] = field(default=(), metadata={"lsp": "corpus.paths"})
    corpus_include: tuple[str, ...] = field(
        default=DEFAULT_INCLUDE, metadata={"lsp": "corpus.include"}
    )
    corpus_exclude: tuple[str, ...] = field(default=(), metadata={"lsp": "corpus.exclude"})
    follow_symlinks: bool = field(default=False, metadata={"lsp": "corpus.followSymlinks"})
    index: str = field(default="", metadata={"lsp": "index"})
    severity: Mapping[str, str] = field(
        default_factory=lambda: dict(DEFAULT_SEVERITY), metadata={"lsp": "severity"}
    )
    inlay_hints: bool = field(default=False, metadata={"lsp": "inlayHints"})
    code_lens: bool = field(default=True, metadata={"lsp": "codeLens"})
    check_on: str = field(default="edit", metadata={"lsp": "checkOn"})
    max_file_size: int = field(default=2_000_000, metadata={"lsp": "maxFileSize"})
    max_per_family: int = field(default=2, metadata={"lsp": "maxPerFamily"})
    """Marks shown per reuse family (one formula family, or the same words) per document."""
    echo_words: int = field(default=0, metadata={"lsp": "echoWords"})
    """Phrasing and quotation passages sharing fewer words show as echoes (hints) too. 0 by
    default: the engine already lists phrases shorter than `passageWords` as echoes."""
    options: Options = field(default_factory=Options, metadata={"lsp": ""})
    """Engine options: minWords, minScore, kinds, formulae, paraphrase, seedWords, maxGap."""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> tuple[Settings, list[str]]:
        """Settings from client JSON plus the problems found (each fell back to its default)."""
        flat = flatten(data or {})
        problems: list[str] = []
        values: dict[str, Any] = {}
        for f in fields(cls):
            key = f.metadata["lsp"]
            if not key or key not in flat:
                continue
            try:
                values[f.name] = _PARSERS[f.name](flat[key])
            except (TypeError, ValueError) as exc:
                problems.append(f"setting {key!r}: {exc}; using the default")
        options, option_problems = Options.from_mapping(flat, naming="lsp")
        problems.extend(option_problems)
        known = {f.metadata["lsp"] for f in fields(cls)} | _option_names()
        problems.extend(
            f"unknown setting {key!r} ignored"
            for key in flat
            if key not in known and not key.startswith("severity.")
        )
        return cls(options=options, **values), problems


def _option_names() -> set[str]:
    from docdiff.options import option_specs

    return {spec.lsp for spec in option_specs()}


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested settings as dotted keys; ``corpus`` nests, ``severity`` stays one object.

    A ``{"docdiff": {...}}`` wrapper (as editors send it) is unwrapped first.
    """
    if not prefix and set(data) == {"docdiff"}:
        inner = data["docdiff"]
        # An empty Lua table arrives as [] (Neovim encodes {} as an array).
        data = inner if isinstance(inner, Mapping) else {}
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if name == "corpus" and isinstance(value, Mapping):
            out.update(flatten(value, "corpus."))
        elif name.startswith("severity.") and not prefix:
            out.setdefault("severity", {})
            if isinstance(out["severity"], dict):
                out["severity"][name.removeprefix("severity.")] = value
        else:
            out[name] = value
    return out


def _strings(raw: object) -> tuple[str, ...]:
    if isinstance(raw, str):
        return (raw,)
    if isinstance(raw, list | tuple) and all(isinstance(x, str) for x in raw):
        return tuple(raw)
    raise TypeError(f"expected a list of strings, got {raw!r}")


def _string(raw: object) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise TypeError(f"expected a string, got {raw!r}")
    return raw


def _bool(raw: object) -> bool:
    if not isinstance(raw, bool):
        raise TypeError(f"expected true or false, got {raw!r}")
    return raw


def _size(raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        raise ValueError(f"expected a positive whole number of bytes, got {raw!r}")
    return raw


def _count(raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise ValueError(f"expected a whole number (0 or more), got {raw!r}")
    return raw


def _check_on(raw: object) -> str:
    if raw not in _CHECK_ON:
        raise ValueError(f"expected 'edit' or 'save', got {raw!r}")
    return str(raw)


def _severity(raw: object) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        raise TypeError(f"expected an object mapping kinds to severities, got {raw!r}")
    merged = dict(DEFAULT_SEVERITY)
    for kind, level in raw.items():
        if kind not in DEFAULT_SEVERITY:
            raise ValueError(f"unknown kind {kind!r} (known: {', '.join(DEFAULT_SEVERITY)})")
        if level not in _SEVERITY_NAMES:
            raise ValueError(f"severity of {kind!r} must be one of {', '.join(_SEVERITY_NAMES)}")
        merged[str(kind)] = str(level)
    return merged


_PARSERS: dict[str, Any] = {
    "corpus_paths": _strings,
    "corpus_include": _strings,
    "corpus_exclude": _strings,
    "follow_symlinks": _bool,
    "index": _string,
    "severity": _severity,
    "inlay_hints": _bool,
    "code_lens": _bool,
    "check_on": _check_on,
    "max_file_size": _size,
    "max_per_family": _count,
    "echo_words": _count,
}
