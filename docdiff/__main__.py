"""``python -m docdiff``."""

from docdiff.cli import main

main()
