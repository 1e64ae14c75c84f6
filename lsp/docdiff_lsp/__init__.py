"""docdiff's language server: reused passages and similarity scores inside the editor.

Start it with ``docdiff serve`` or ``python -m docdiff_lsp`` (stdio; ``--tcp HOST:PORT``).
Importing this package is cheap: pygls loads only when the server starts.
"""

from __future__ import annotations

from docdiff import __version__

__all__ = ["__version__", "main"]


def main(argv: list[str] | None = None) -> int:
    """Run the server (stdio by default); returns the exit code."""
    from .cli import main as run

    return run(argv)
