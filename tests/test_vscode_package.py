"""The VS Code extension's manifest agrees with the language server it starts.

These checks need neither Node nor an editor: they read lsp/vscode/package.json and compare it
with the server's own settings and commands, so a setting added to the server without its
VS Code counterpart (or with a different default) fails here.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from dataclasses import MISSING, fields
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXTENSION = ROOT / "lsp" / "vscode"
# scripts/ci_vscode.sh builds outside the checkout.
CACHE = Path(os.environ.get("DOCDIFF_CI_CACHE", Path.home() / ".cache" / "docdiff-ci"))
VSIX = CACHE / "vscode-build" / "docdiff.vsix"
CLIENT_ONLY = {"docdiff.interpreter", "docdiff.trace.server"}
SERVER_COMMANDS = {"docdiff.compareWith", "docdiff.reindex", "docdiff.showReport"}


def _manifest() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    return data


def _contributed_settings() -> dict[str, dict[str, Any]]:
    props: dict[str, dict[str, Any]] = _manifest()["contributes"]["configuration"]["properties"]
    return props


def _jsonable(value: object) -> object:
    """A server default as VS Code would show it (sets sorted, tuples as lists, None as "")."""
    if value is None:
        return ""
    if isinstance(value, frozenset | set):
        return sorted(str(v) for v in value)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return value


def _server_defaults() -> dict[str, object]:
    """Every server setting, by its VS Code name, with its default."""
    from docdiff.options import option_specs
    from docdiff_lsp import settings

    out: dict[str, object] = {}
    for f in fields(settings.Settings):
        name = f.metadata["lsp"]
        if not name:
            continue  # the engine options, listed below
        default = f.default_factory() if f.default_factory is not MISSING else f.default
        out[f"docdiff.{name}"] = _jsonable(default)
    for spec in option_specs():
        out[f"docdiff.{spec.lsp}"] = _jsonable(spec.default)
    return out


def test_every_server_setting_is_contributed_with_its_default() -> None:
    """package.json mirrors the server's settings one to one, defaults included."""
    contributed = _contributed_settings()
    server = _server_defaults()
    assert set(contributed) - CLIENT_ONLY == set(server)
    for name, default in server.items():
        shown = contributed[name]["default"]
        if isinstance(default, list) and name == "docdiff.kinds":
            shown = sorted(shown)
        assert shown == default, f"{name}: package.json says {shown!r}, the server {default!r}"


def test_every_setting_is_documented() -> None:
    """Each setting has a type, a default and a description, and appears in the README table."""
    readme = (EXTENSION / "README.md").read_text(encoding="utf-8")
    for name, prop in _contributed_settings().items():
        assert prop.get("type"), name
        assert "default" in prop, name
        assert len(prop.get("markdownDescription", prop.get("description", ""))) > 20, name
        assert f"`{name}`" in readme, f"{name} is missing from lsp/vscode/README.md"


def test_client_commands_do_not_clash_with_server_commands() -> None:
    """vscode-languageclient registers the server's commands itself; ours need other ids."""
    commands = {c["command"]: c["title"] for c in _manifest()["contributes"]["commands"]}
    assert not set(commands) & SERVER_COMMANDS
    assert set(commands.values()) == {
        "Compare With…",
        "Show Similarity Report",
        "Reindex Corpus",
        "Restart Server",
    }
    source = "\n".join(p.read_text() for p in (EXTENSION / "src").glob("*.ts"))
    for command in commands:
        assert f'"{command}"' in source, f"{command} is contributed but never registered"
    for command in SERVER_COMMANDS:
        assert f'"{command}"' in source, f"the client never calls the server's {command}"


def test_the_build_stays_out_of_the_checkout() -> None:
    """node_modules, dist/ and the .vsix are made in the cache, never in lsp/vscode."""
    script = (ROOT / "scripts" / "ci_vscode.sh").read_text(encoding="utf-8")
    assert "BUILD=$CACHE/vscode-build" in script
    assert 'cd "$ROOT/lsp/vscode" && npm' not in script


def test_activation_and_packaging_metadata() -> None:
    """Activation on the four document languages; licence, icon, changelog and README exist."""
    manifest = _manifest()
    assert set(manifest["activationEvents"]) >= {
        f"onLanguage:{lang}" for lang in ("plaintext", "markdown", "html", "xml")
    }
    assert manifest["main"] == "./dist/extension.js"
    assert manifest["license"] == "MIT"
    icon = EXTENSION / manifest["icon"]
    assert icon.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = (
        int.from_bytes(icon.read_bytes()[16:20]),
        int.from_bytes(icon.read_bytes()[20:24]),
    )
    assert (width, height) == (128, 128)
    for name in ("LICENSE", "CHANGELOG.md", "README.md", "package-lock.json"):
        assert (EXTENSION / name).is_file(), name
    for image in re.findall(r"\]\((images/[^)]+)\)", (EXTENSION / "README.md").read_text()):
        assert (EXTENSION / image).is_file(), f"README shows {image}, which is missing"
    deps = manifest["dependencies"]
    assert deps["vscode-languageclient"].startswith("9.")


def test_packaged_vsix_holds_the_bundle() -> None:
    """The .vsix (when built) ships the bundle and the docs, not the sources or node_modules."""
    vsix = VSIX
    if not vsix.exists():
        pytest.skip(f"{vsix} is not built (run scripts/ci_vscode.sh --build)")
    names = set(zipfile.ZipFile(vsix).namelist())
    assert "extension/dist/extension.js" in names
    assert "extension/package.json" in names
    assert "extension/images/icon.png" in names
    assert not [n for n in names if n.startswith(("extension/src/", "extension/node_modules/"))]
