"""docdiff: find where documents reuse one another's wording."""

from __future__ import annotations

__version__ = "0.1.0"
