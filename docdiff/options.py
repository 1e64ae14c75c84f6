"""The one options object: it names the CLI flags, the LSP settings and the JSON fields.

Each field's metadata carries its three names and its help text, so the CLI, the language
server and the JSON writer never spell an option on their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from docdiff.errors import OptionsError
from docdiff.kinds import Kind

__all__ = [
    "ALL_KINDS",
    "OptionSpec",
    "Options",
    "ScanOptions",
    "option_specs",
    "parse_kinds",
    "scan_option_specs",
]

ALL_KINDS: frozenset[Kind] = frozenset(Kind)


def _meta(cli: str, lsp: str, help_: str) -> dict[str, str]:
    return {"cli": cli, "lsp": lsp, "help": help_}


@dataclass(frozen=True, kw_only=True, slots=True)
class Options:
    """Engine settings shared by compare, scan, query and the language server."""

    min_words: int = field(
        default=3,
        metadata=_meta(
            "--min-words",
            "minWords",
            "Smallest shared phrase reported (passage or echo), in words.",
        ),
    )
    passage_words: int = field(
        default=6,
        metadata=_meta(
            "--passage-words",
            "passageWords",
            "Shared words a passage needs once its pieces are joined; shorter isolated phrases "
            "are listed as echoes (formulae excepted).",
        ),
    )
    min_score: float = field(
        default=0.0,
        metadata=_meta("--min-score", "minScore", "Smallest passage score reported (0-100)."),
    )
    kinds: frozenset[Kind] = field(
        default=ALL_KINDS,
        metadata=_meta(
            "--kinds", "kinds", "Kinds reported: formula,name,phrasing,paraphrase,quotation."
        ),
    )
    formulae: str | None = field(
        default=None,
        metadata=_meta("--formulae", "formulae", "Extra formula lexicon (one template a line)."),
    )
    paraphrase: bool = field(
        default=True,
        metadata=_meta(
            "--paraphrase/--no-paraphrase", "paraphrase", "Look for reworded and reordered reuse."
        ),
    )
    seed_words: int = field(
        default=3,
        metadata=_meta("--seed-words", "seedWords", "Length of the word k-grams seeding matches."),
    )
    max_gap: int = field(
        default=6,
        metadata=_meta(
            "--max-gap", "maxGap", "Most unmatched words a passage may bridge on either side."
        ),
    )

    def __post_init__(self) -> None:
        if self.min_words < 1:
            raise OptionsError(f"min_words must be at least 1, not {self.min_words}")
        if not 0.0 <= self.min_score <= 100.0:
            raise OptionsError(f"min_score must be between 0 and 100, not {self.min_score}")
        if not 2 <= self.seed_words <= 12:
            raise OptionsError(f"seed_words must be between 2 and 12, not {self.seed_words}")
        if not 0 <= self.max_gap <= 50:
            raise OptionsError(f"max_gap must be between 0 and 50, not {self.max_gap}")
        if not 1 <= self.passage_words <= 1000:
            raise OptionsError(
                f"passage_words must be between 1 and 1000, not {self.passage_words}"
            )
        if not self.kinds:
            raise OptionsError("kinds must name at least one kind")

    def with_changes(self, **changes: Any) -> Options:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    def to_json(self) -> dict[str, object]:
        """The options by JSON field name (the dataclass field name)."""
        out: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, frozenset):
                value = sorted(str(v) for v in value)
            out[f.name] = value
        return out

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, object], *, naming: str = "json"
    ) -> tuple[Options, list[str]]:
        """Options from settings named the `naming` way ("json" or "lsp").

        Unknown or invalid values are reported in the returned list and fall back to the
        default, never raise: the language server relies on this.
        """
        problems: list[str] = []
        values: dict[str, Any] = {}
        for spec in option_specs():
            key = spec.lsp if naming == "lsp" else spec.name
            if key not in data:
                continue
            raw = data[key]
            try:
                values[spec.name] = _coerce(spec.name, raw)
                cls(**{spec.name: values[spec.name]})
            except (OptionsError, TypeError, ValueError) as exc:
                said = named_as(str(exc), spec.name, key)
                problems.append(f"setting {key!r}: {said}; using the default")
                values.pop(spec.name, None)
        return cls(**values), problems


def named_as(message: str, field: str, name: str) -> str:
    """A problem with option `field` ("min_words must be at least 1") said with the option's
    name where the user set it: a flag ("--min-words") or an editor setting ("minWords")."""
    if message.startswith(f"{field} "):
        return name + message[len(field) :]
    return message


CANDIDATE_WORDS = 8
"""Candidates share rare k-grams of this many words: evidence of copied drafting, not topic."""

FULL_PAIRS = 5000
"""The candidate pairs a scan compares in full by default; the others keep their anchored
passages (`docdiff.corpus.anchor_align`)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class ScanOptions:
    """How a corpus scan picks and keeps its pairs: shared by `docdiff.corpus.scan.scan`,
    `plan_scan`, the Ray engine's scan and the ``scan`` command's flags (generated from these
    fields). The engine settings of each pair are `Options`; a scan has no language-server
    setting (the server does not scan), so `lsp` is empty in `scan_option_specs`."""

    where: str | None = field(
        default=None,
        metadata=_meta("--where", "", 'Metadata filter, e.g. "year>=2020 and sender != France".'),
    )
    cross: str | None = field(
        default=None,
        metadata=_meta("--cross", "", "Only pairs whose metadata field differs (e.g. sender)."),
    )
    min_shared: int | None = field(
        default=None,
        metadata=_meta(
            "--min-shared",
            "",
            "Rare k-grams a pair must share to be aligned (default 2).",
        ),
    )
    max_pairs: int | None = field(
        default=None,
        metadata=_meta(
            "--max-pairs",
            "",
            "Alignment budget (none by default, and 0 means none: every candidate pair is "
            "aligned); with a budget the pairs sharing the most rare k-grams are aligned, and "
            "the output says how many were left out.",
        ),
    )
    full_pairs: int | None = field(
        default=FULL_PAIRS,
        metadata=_meta(
            "--full-pairs",
            "",
            "Pairs compared in full (paraphrase, echoes): those sharing the most; every other "
            "candidate pair keeps the passages aligned from its shared rare wording, kinds "
            "decided by the same rules, and the output says how many (default 5,000; 0: "
            "every pair in full).",
        ),
    )
    candidate_words: int = field(
        default=CANDIDATE_WORDS,
        metadata=_meta(
            "--candidate-words",
            "",
            "Length of the rare word k-grams that make two documents a pair.",
        ),
    )
    max_df: int | None = field(
        default=None,
        metadata=_meta(
            "--max-df",
            "",
            "Most documents a k-gram may occur in and still pair documents "
            "(default: 2% of the documents, at least 5).",
        ),
    )
    min_docs: int = field(
        default=2, metadata=_meta("--min-docs", "", "Smallest cluster, in documents.")
    )

    def __post_init__(self) -> None:
        if self.min_shared is not None and self.min_shared < 1:
            raise OptionsError(f"min_shared must be at least 1, not {self.min_shared}")
        if self.max_pairs is not None and self.max_pairs < 1:
            raise OptionsError(
                f"max_pairs must be at least 1 (None aligns every pair), not {self.max_pairs}"
            )
        if self.full_pairs is not None and self.full_pairs < 1:
            raise OptionsError(
                f"full_pairs must be at least 1 (None compares every pair in full), "
                f"not {self.full_pairs}"
            )
        if not 2 <= self.candidate_words <= 32:
            raise OptionsError(
                f"candidate_words must be between 2 and 32, not {self.candidate_words}"
            )
        if self.max_df is not None and self.max_df < 2:
            raise OptionsError(f"max_df must be at least 2, not {self.max_df}")
        if self.min_docs < 2:
            raise OptionsError(f"min_docs must be at least 2, not {self.min_docs}")

    def with_changes(self, **changes: Any) -> ScanOptions:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    def to_json(self) -> dict[str, object]:
        """The scan options by JSON field name (the dataclass field name)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class OptionSpec:
    """The names and help of one option."""

    name: str
    cli: str
    lsp: str
    help: str
    default: object


def option_specs() -> list[OptionSpec]:
    """Every option with its CLI flag, LSP setting and JSON field names."""
    return [
        OptionSpec(f.name, f.metadata["cli"], f.metadata["lsp"], f.metadata["help"], f.default)
        for f in fields(Options)
    ]


def scan_option_specs() -> list[OptionSpec]:
    """Every scan option with its CLI flag and JSON field names."""
    return [
        OptionSpec(f.name, f.metadata["cli"], f.metadata["lsp"], f.metadata["help"], f.default)
        for f in fields(ScanOptions)
    ]


def parse_kinds(value: str | Iterable[str]) -> frozenset[Kind]:
    """Kinds from "formula,name" or a list of names; raises OptionsError on an unknown kind."""
    items = value.split(",") if isinstance(value, str) else list(value)
    kinds: set[Kind] = set()
    for item in items:
        name = str(item).strip().lower()
        if not name:
            continue
        try:
            kinds.add(Kind(name))
        except ValueError:
            known = ", ".join(k.value for k in Kind)
            raise OptionsError(f"unknown kind {name!r} (known: {known})") from None
    if not kinds:
        raise OptionsError("no kind given")
    return frozenset(kinds)


def _coerce(name: str, raw: object) -> object:
    if name == "kinds":
        if isinstance(raw, str) or (isinstance(raw, list) and all(isinstance(x, str) for x in raw)):
            return parse_kinds(raw)
        raise OptionsError("expected a list of kind names")
    if name in {"min_words", "seed_words", "max_gap", "passage_words"}:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise OptionsError(f"expected a whole number, got {raw!r}")
        return raw
    if name == "min_score":
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise OptionsError(f"expected a number, got {raw!r}")
        return float(raw)
    if name == "paraphrase":
        if not isinstance(raw, bool):
            raise OptionsError(f"expected true or false, got {raw!r}")
        return raw
    if name == "formulae":
        if raw is None or isinstance(raw, str):
            return raw or None
        raise OptionsError(f"expected a file path, got {raw!r}")
    return raw
