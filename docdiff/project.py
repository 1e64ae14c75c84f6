"""The project file, ``.docdiff.toml`` at the workspace root, shared by the CLI and the editor.

Example (every table and key is optional)::

    [corpus]
    paths = ["../archive"]            # folders or files, relative to this file
    include = ["**/*.txt", "**/*.md"]
    exclude = ["drafts/**"]

    [kinds]                           # severity of each kind in the editor; "off" hides it
    formula = "hint"
    name = "hint"
    phrasing = "information"
    paraphrase = "information"
    quotation = "information"
    echo = "hint"

    [ignore]                          # the editor's quick fixes add to these lists
    sources = ["dfat/440-evatt-to-chifley.txt"]
    formulae = ["honour"]             # formula family labels
    quotations = ["human rights issue"]

    [lexicon]
    file = "formulae.txt"             # extra formula templates (docdiff/engine/lexicon.py syntax)

Reading uses `tomllib`. Writing only ever replaces the ``[ignore]`` table (the one the editor
changes): the rest of the file, comments included, is kept byte for byte, and the result is
parsed again before it replaces the file, so a write can never leave a broken file behind.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from docdiff.errors import DocdiffError
from docdiff.model import Kind, Match, PairResult, Report
from docdiff.options import ALL_KINDS, Options

__all__ = [
    "FILE_NAME",
    "KIND_NAMES",
    "LEVELS",
    "Project",
    "ProjectError",
    "add_ignores",
    "filter_report",
    "find_project",
    "for_cli",
    "load_project",
    "toml_string",
    "with_project",
]

FILE_NAME = ".docdiff.toml"
LEVELS = ("error", "warning", "information", "hint", "off")
KIND_NAMES = (*(k.value for k in Kind), "echo")
_TABLES = {
    "corpus": {"paths", "include", "exclude"},
    "kinds": set(KIND_NAMES),
    "ignore": {"sources", "formulae", "quotations"},
    "lexicon": {"file"},
}


class ProjectError(DocdiffError):
    """A project file that cannot be read or written (the message names the file)."""


@dataclass(frozen=True, slots=True)
class Project:
    """What a ``.docdiff.toml`` says; all-empty when there is none."""

    path: Path | None = None
    corpus_paths: tuple[str, ...] = ()
    """Absolute paths (relative ones in the file are taken from its folder)."""
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)
    """Kind name -> error/warning/information/hint/off, for the kinds the file names."""
    ignored_sources: tuple[str, ...] = ()
    """As written in the file: paths relative to the root, or document ids."""
    ignored_formulae: tuple[str, ...] = ()
    quotations: tuple[str, ...] = ()
    lexicon: str | None = None
    """Absolute path of the extra formula lexicon."""

    @property
    def root(self) -> Path | None:
        """The folder holding the project file."""
        return self.path.parent if self.path else None

    @property
    def kinds(self) -> frozenset[Kind] | None:
        """The engine kinds not turned off, or None when the file turns none off."""
        off = {k for k, level in self.severity.items() if level == "off"}
        if not off & {k.value for k in Kind}:
            return None
        return frozenset(k for k in Kind if k.value not in off)

    def source_keys(self) -> frozenset[str]:
        """Every spelling of the ignored sources a document id or path may have."""
        keys: set[str] = set()
        for entry in self.ignored_sources:
            keys.add(entry)
            if self.root is not None and not Path(entry).is_absolute():
                keys.add(str((self.root / entry).resolve()))
            else:
                keys.add(str(Path(entry).resolve()))
        return frozenset(keys)

    def relative(self, path_or_id: str) -> str:
        """How a source is written in the file: relative to the root when it lies under it."""
        if self.root is None:
            return path_or_id
        try:
            return Path(path_or_id).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path_or_id


def find_project(start: Path) -> Path | None:
    """The nearest ``.docdiff.toml`` in `start` or one of its parents."""
    here = start.resolve()
    for folder in (here, *here.parents):
        candidate = folder / FILE_NAME
        if candidate.is_file():
            return candidate
    return None


def _strings(data: Mapping[str, Any], table: str, key: str, where: Path) -> tuple[str, ...]:
    raw = data.get(key, [])
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise ProjectError(f"{where}: [{table}] {key} must be a list of strings")
    return tuple(raw)


def _table(data: Mapping[str, Any], name: str, where: Path) -> Mapping[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ProjectError(f"{where}: {name} must be a table ([{name}])")
    unknown = sorted(set(table) - _TABLES[name])
    if unknown:
        known = ", ".join(sorted(_TABLES[name]))
        raise ProjectError(f"{where}: [{name}] has unknown key {unknown[0]!r} (known: {known})")
    return table


def load_project(path: Path) -> Project:
    """Read a project file; raises `ProjectError` naming the file and the problem."""
    # Imported here, when a file exists: importing tomllib (its regular expressions, its
    # parser) was 16 M instructions of the language server's start, 71 M on its own.
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProjectError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ProjectError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProjectError(f"{path}: not valid TOML ({exc})") from None
    unknown = sorted(set(data) - set(_TABLES))
    if unknown:
        known = ", ".join(f"[{t}]" for t in _TABLES)
        raise ProjectError(f"{path}: unknown table {unknown[0]!r} (known: {known})")
    root = path.parent.resolve()
    corpus = _table(data, "corpus", path)
    kinds = _table(data, "kinds", path)
    ignore = _table(data, "ignore", path)
    lexicon = _table(data, "lexicon", path)
    severity: dict[str, str] = {}
    for kind, level in kinds.items():
        if level not in LEVELS:
            raise ProjectError(f"{path}: [kinds] {kind} must be one of {', '.join(LEVELS)}")
        severity[kind] = level
    file = lexicon.get("file")
    if file is not None and not isinstance(file, str):
        raise ProjectError(f"{path}: [lexicon] file must be a path (a string)")
    return Project(
        path=path.resolve(),
        corpus_paths=tuple(
            str((root / p).resolve()) for p in _strings(corpus, "corpus", "paths", path)
        ),
        include=_strings(corpus, "corpus", "include", path),
        exclude=_strings(corpus, "corpus", "exclude", path),
        severity=severity,
        ignored_sources=_strings(ignore, "ignore", "sources", path),
        ignored_formulae=_strings(ignore, "ignore", "formulae", path),
        quotations=_strings(ignore, "ignore", "quotations", path),
        lexicon=str((root / file).resolve()) if file else None,
    )


# -- writing ----------------------------------------------------------------------------------

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f"}
_ESCAPES["\r"] = "\\r"


def toml_string(text: str) -> str:
    """`text` as a TOML basic string (quotes, backslashes and control characters escaped)."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _array(values: Iterable[str]) -> str:
    items = list(values)
    if not items:
        return "[]"
    return "[\n" + "".join(f"  {toml_string(v)},\n" for v in items) + "]"


def _ignore_table(
    sources: Sequence[str], formulae: Sequence[str], quotations: Sequence[str]
) -> str:
    return (
        "[ignore]\n"
        f"sources = {_array(sources)}\n"
        f"formulae = {_array(formulae)}\n"
        f"quotations = {_array(quotations)}\n"
    )


_HEADER = re.compile(r"^\s*\[\s*(\[?)\s*([A-Za-z0-9_.\"' -]+?)\s*\]?\s*\]\s*(#.*)?$")


def _replace_ignore(text: str, table: str) -> str:
    """`text` with its ``[ignore]`` table (header to the next header) replaced by `table`."""
    lines = text.splitlines(keepends=True)
    start = end = None
    for i, line in enumerate(lines):
        m = _HEADER.match(line)
        if not m:
            continue
        if start is not None:
            end = i
            break
        if not m.group(1) and m.group(2).strip("\"'") == "ignore":
            start = i
    if start is None:
        sep = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
        return text + sep + table
    end = len(lines) if end is None else end
    tail = "".join(lines[end:])
    return "".join(lines[:start]) + table + ("\n" + tail if tail else "")


def add_ignores(
    path: Path,
    *,
    sources: Iterable[str] = (),
    formulae: Iterable[str] = (),
    quotations: Iterable[str] = (),
) -> Project:
    """Add entries to the ``[ignore]`` lists of `path` (created when absent); the new project.

    Sources that lie under the project's folder are written relative to it.
    """
    project = load_project(path) if path.exists() else Project(path=path.resolve())
    text = path.read_text(encoding="utf-8") if path.exists() else ""

    def merged(old: Sequence[str], new: Iterable[str]) -> list[str]:
        out = list(old)
        out.extend(v for v in dict.fromkeys(new) if v not in out)
        return out

    updated = replace(
        project,
        ignored_sources=tuple(
            merged(project.ignored_sources, (project.relative(s) for s in sources))
        ),
        ignored_formulae=tuple(merged(project.ignored_formulae, formulae)),
        quotations=tuple(merged(project.quotations, quotations)),
    )
    new_text = _replace_ignore(
        text,
        _ignore_table(updated.ignored_sources, updated.ignored_formulae, updated.quotations),
    )
    import tomllib

    try:
        tomllib.loads(new_text)
    except tomllib.TOMLDecodeError as exc:  # pragma: no cover - the writer's own guard
        raise ProjectError(f"{path}: the updated file would not be valid TOML ({exc})") from None
    _write_atomically(path, new_text)
    return load_project(path)


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".docdiff-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        Path(tmp).replace(path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ProjectError(f"{path}: cannot write it ({exc.strerror or exc})") from None


# -- applying it to results -------------------------------------------------------------------


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def filter_report(
    report: Report, project: Project, families: Mapping[str, str] | None = None
) -> Report:
    """`report` without the ignored sources and formulae; ignored quotations relabelled.

    `families` maps a formula template to its family label (see `Lexicon`); an ignored formula
    is matched by family label or by template.
    """
    if project.path is None:
        return report
    ignored = project.source_keys()
    formulae = set(project.ignored_formulae)
    quotations = {_normalise(q) for q in project.quotations}
    by_id = {d.id: d for d in report.documents}
    families = families or {}

    def ignored_doc(doc_id: str) -> bool:
        doc = by_id.get(doc_id)
        names = {doc_id, str(Path(doc_id).resolve())}
        if doc is not None and doc.path:
            names |= {doc.path, str(Path(doc.path).resolve())}
        return bool(names & ignored)

    def keep(match: Match, text: str) -> Match | None:
        if match.formula and (match.formula in formulae or families.get(match.formula) in formulae):
            return None
        if _normalise(text) in quotations and match.kind is not Kind.QUOTATION:
            return replace(match, kind=Kind.QUOTATION, reason="a quotation (.docdiff.toml)")
        return match

    pairs: list[PairResult] = []
    for pair in report.pairs:
        if ignored_doc(pair.a) or ignored_doc(pair.b):
            continue
        a = by_id.get(pair.a)
        kept = []
        for m in pair.matches:
            k = keep(m, a.slice(m.a.span) if a is not None else "")
            if k is not None:
                kept.append(k)
        pairs.append(replace(pair, matches=tuple(kept)))
    return replace(report, pairs=tuple(pairs))


def with_project(options: Options, project: Project) -> Options:
    """`options` with what the project file sets and the command line left at its default:
    the kinds not turned off and the extra lexicon."""
    changes: dict[str, object] = {}
    if project.kinds is not None and options.kinds == ALL_KINDS:
        changes["kinds"] = project.kinds
    if project.lexicon and options.formulae is None:
        changes["formulae"] = project.lexicon
    return options.with_changes(**changes) if changes else options


def for_cli(
    options: Options, start: Path | None = None
) -> tuple[Options, Callable[[Report], Report]]:
    """What the CLI needs from the project file of `start` (default: the current folder) or a
    parent: the options with its kinds and lexicon, and a function applying its ignores to a
    report. Without a project file, the options unchanged and the identity.

    Raises `ProjectError` (a `DocdiffError`: one clear line) for a malformed file.
    """
    found = find_project(start or Path.cwd())
    if found is None:
        return options, _unchanged
    project = load_project(found)
    options = with_project(options, project)

    def apply(report: Report) -> Report:
        from docdiff.engine.prepare import load_lexicon

        families = load_lexicon(options).families()
        return filter_report(report, project, families)

    return options, apply


def _unchanged(report: Report) -> Report:
    return report
