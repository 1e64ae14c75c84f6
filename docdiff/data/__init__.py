"""The data files docdiff ships (the built-in formula lexicon, the genre's bigram table)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["read_bytes"]


def read_bytes(name: str) -> bytes:
    """The bytes of the data file `name`, read beside this module: the files are installed as
    plain files, and ``importlib.resources`` (with the tempfile, random and zipfile modules it
    loads) cost every comparing process more than the read."""
    return (Path(__file__).parent / name).read_bytes()
