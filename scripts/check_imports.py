"""Import-graph check: no import cycle, and no module takes another package's private names.

Every import counts, lazy ones inside functions included (a lazy import hides a cycle, it does not
break it); only imports under ``if TYPE_CHECKING:`` are left out. A name is private when one of its
dotted parts starts with a single underscore; it may be imported only from inside the package that
holds it (``docdiff.index`` may import ``docdiff.index._store``, ``docdiff.corpus.scan`` may not).

    python scripts/check_imports.py        # exit 0 when clean, 1 with one line per problem
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"docdiff": ROOT / "docdiff", "docdiff_lsp": ROOT / "lsp" / "docdiff_lsp"}


def module_files() -> dict[str, Path]:
    """Every module of the checked packages, by dotted name."""
    found: dict[str, Path] = {}
    for top, folder in PACKAGES.items():
        for path in sorted(folder.rglob("*.py")):
            parts = [top, *path.relative_to(folder).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                yield from _walk(other)
            continue
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        yield from _walk(child)


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> Iterator[tuple[str, str, int]]:
    """``(imported module, imported dotted name, line)`` for each in-project import of a module."""
    tree = ast.parse(path.read_text("utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in _walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PACKAGES:
                    yield alias.name, alias.name, node.lineno
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")
            anchor = anchor[: len(anchor) - node.level + 1]
            base = ".".join([*anchor, base] if base else anchor)
        if base.split(".")[0] not in PACKAGES:
            continue
        for alias in node.names:
            full = f"{base}.{alias.name}"
            yield (full if full in modules else base), full, node.lineno


def _is_private(part: str) -> bool:
    return part.startswith("_") and not part.startswith("__")


def private_violation(importer: str, imported: str, packages: set[str]) -> bool:
    """True when `imported` names a private part that lives outside the importer's package.

    The owner of ``pkg._module`` is ``pkg``; the owner of ``pkg.module._name`` is ``pkg`` too
    (a module's private names are shared with the modules of its own package, no further).
    """
    parts = imported.split(".")
    for i, part in enumerate(parts):
        if _is_private(part):
            owner = ".".join(parts[:i])
            if owner not in packages:
                owner = owner.rpartition(".")[0]
            return not (importer == owner or importer.startswith(owner + "."))
    return False


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def problems() -> list[str]:
    """One line per cycle and per cross-package private import."""
    modules = module_files()
    packages = {name for name, path in modules.items() if path.name == "__init__.py"}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    out: list[str] = []
    for name, path in modules.items():
        for target, full, line in imports_of(name, path, modules):
            if target in modules and target != name:
                graph[name].add(target)
            if private_violation(name, full, packages):
                rel = path.relative_to(ROOT)
                out.append(f"{rel}:{line}: {name} imports private {full}")
    out.extend("import cycle: " + " <-> ".join(c) for c in cycles(graph))
    return out


def main() -> int:
    """Print the problems; exit 1 when there are any."""
    found = problems()
    for line in found:
        print(line)
    if not found:
        print(f"import graph: {len(module_files())} modules, no cycle, no private reach")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
