"""What the command line's start-up costs: the generated option flags evaluate `Options`'
annotations once."""

from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout


def test_options_annotations_are_evaluated_once_per_class() -> None:
    code = (
        "import typing\n"
        "calls = []\n"
        "real = typing.get_type_hints\n"
        "def counted(obj, *args, **kwargs):\n"
        "    calls.append(getattr(obj, '__name__', '?'))\n"
        "    return real(obj, *args, **kwargs)\n"
        "typing.get_type_hints = counted\n"
        "import docdiff.cli\n"
        "print(sorted(calls))\n"
    )
    assert _run(code).strip() == "['Options', 'ScanOptions']"
