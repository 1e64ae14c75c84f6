"""``python -m docdiff_lsp``: run the language server."""

from __future__ import annotations

from docdiff_lsp import main
from docdiff_lsp.cli import exit_now

if __name__ == "__main__":
    exit_now(main())
