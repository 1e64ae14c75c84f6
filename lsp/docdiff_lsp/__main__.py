"""``python -m docdiff_lsp``: run the language server."""

from __future__ import annotations

import sys

from docdiff_lsp import main

if __name__ == "__main__":
    sys.exit(main())
