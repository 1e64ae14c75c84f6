"""Every option has one definition (`docdiff.options`): its CLI flag, LSP setting and the README."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import typer.main

from docdiff.cli import app
from docdiff.options import Options, OptionSpec, option_specs

ROOT = Path(__file__).resolve().parent.parent


def _commands() -> dict[str, Any]:
    """Every command and sub-command of the CLI (Typer's own click types), by name."""
    out: dict[str, Any] = {}
    root = typer.main.get_command(app)
    out[""] = root
    todo: list[tuple[str, Any]] = [("", root)]
    while todo:
        prefix, group = todo.pop()
        for name, command in getattr(group, "commands", {}).items():
            full = f"{prefix} {name}".strip()
            out[full] = command
            todo.append((full, command))
    return out


def _flags(command: Any) -> set[str]:
    return {
        opt
        for param in command.params
        if param.param_type_name == "option"
        for opt in (*param.opts, *param.secondary_opts)
    }


@pytest.mark.parametrize("command", ["compare", "scan", "query"])
@pytest.mark.parametrize("spec", option_specs(), ids=lambda s: s.name)
def test_every_engine_command_has_a_flag_for_every_option(spec: OptionSpec, command: str) -> None:
    flags = _flags(_commands()[command])
    for flag in spec.cli.split("/"):
        assert flag in flags


def test_every_option_has_a_setting_in_the_vscode_manifest() -> None:
    manifest = json.loads((ROOT / "lsp" / "vscode" / "package.json").read_text("utf-8"))
    properties: dict[str, object] = {}
    for block in (
        manifest["contributes"]["configuration"]
        if isinstance(manifest["contributes"]["configuration"], list)
        else [manifest["contributes"]["configuration"]]
    ):
        properties.update(block["properties"])
    for spec in option_specs():
        assert f"docdiff.{spec.lsp}" in properties, f"no VS Code setting for {spec.name}"


def test_every_option_is_read_from_lsp_settings() -> None:
    settings = {spec.lsp: spec.default for spec in option_specs()}
    settings["kinds"] = ["formula", "name"]
    options, problems = Options.from_mapping(settings, naming="lsp")
    assert problems == []
    assert options.kinds == frozenset(Options().kinds) - {
        k for k in Options().kinds if k.value not in {"formula", "name"}
    }


def test_the_readme_documents_no_flag_the_cli_lacks() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    known = set().union(*(_flags(c) for c in _commands().values()))
    known |= {"--help", "--version", "--tcp", "--stdio", "--allow-remote"}
    # lines quoting other tools (git, ray, ruff, mypy, pip, pytest, npm, code) are not docdiff's
    other = re.compile(
        r"\b(git|ray start|ruff|mypy|pip|pytest|npm|code --|code-server|nvim|emacs)\b|scripts/"
    )
    lines = [line for line in readme.splitlines() if not other.search(line)]
    documented = set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]+)", "\n".join(lines)))
    gone = {"--merge-gap"}  # named only to say it was removed
    missing = sorted(documented - known - gone)
    assert missing == [], f"README documents flags the CLI lacks: {missing}"


def test_a_bad_setting_is_named_as_the_editor_names_it() -> None:
    """An editor's user set `minWords`; the problem names that setting, not the field
    behind it."""
    options, problems = Options.from_mapping({"minWords": -3}, naming="lsp")
    assert problems == [
        "setting 'minWords': minWords must be at least 1, not -3; using the default"
    ]
    assert options.min_words == Options().min_words
