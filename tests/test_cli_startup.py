"""What the command line's start-up loads: ``--help``, usage errors and shell completion draw
Typer's rich panels without rich's Markdown and traceback modules (docdiff's help is rich
markup, and pretty tracebacks are off); the generated option flags evaluate `Options`'
annotations once; ``--help`` and ``--version`` load neither the data model nor tempfile."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

_HEAVY_FOR_HELP = ("rich.markdown", "rich.traceback", "markdown_it", "pygments", "rich.pretty")


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout


def _loaded_after(argv: list[str], modules: tuple[str, ...] = _HEAVY_FOR_HELP) -> str:
    """Which of `modules` the command line `argv` loaded, as the printed list. A module the
    interpreter's own start already loaded (a site-packages ``.pth`` file may import tempfile,
    as one on the CI machine does) is not counted: docdiff did not load it."""
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "from docdiff.cli import app\n"
        "try:\n"
        f"    app({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print('LOADED', [m for m in {modules!r} if m in sys.modules and m not in before])\n"
    )
    return _run(code).split("LOADED", 1)[1].strip()


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["compare", "--help"], ["scan", "--help"], ["index", "--help"], ["compare"]],
)
def test_help_and_usage_errors_load_no_markdown_nor_traceback(argv: list[str]) -> None:
    assert _loaded_after(argv) == "[]"


def test_the_stand_ins_leave_and_give_the_real_classes() -> None:
    code = (
        "import sys\n"
        "import docdiff.cli\n"
        "import typer.rich_utils as ru\n"
        "print('rich.markdown' in sys.modules, 'rich.traceback' in sys.modules)\n"
        "import rich.markdown, rich.traceback\n"
        "print(isinstance(ru.Markdown('*x*'), rich.markdown.Markdown))\n"
        "print(ru.Traceback.from_exception.__self__ is rich.traceback.Traceback)\n"
    )
    assert _run(code).split() == ["False", "False", "True", "True"]


_MARKDOWN_APP = (
    "import sys, typer\n"
    "{prelude}"
    "app = typer.Typer(rich_markup_mode='markdown')\n"
    "@app.command()\n"
    "def go(name: str = typer.Option('x', help='A **bold** name, `code` and :smile:.')) -> None:\n"
    "    '''Say *hello*.\n\n    - one\n    - two'''\n"
    "app(['--help'], prog_name='go')\n"
)


def test_markdown_help_is_unchanged_by_the_stand_ins() -> None:
    """A Typer app that does use Markdown help prints the same with the deferral installed."""
    env_code = "import os; os.environ['COLUMNS'] = '80'\n"
    plain = _run(env_code + _MARKDOWN_APP.format(prelude=""))
    deferred = _run(
        env_code
        + _MARKDOWN_APP.format(
            prelude="from docdiff.cli._rich_help import defer_rich_imports\ndefer_rich_imports()\n"
        )
    )
    assert "hello" in plain
    assert deferred == plain


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


def test_commands_reach_typer_with_evaluated_annotations() -> None:
    """Typer reads every command's signature and type hints on every run: string annotations
    would be compiled and evaluated there, twice per run."""
    from docdiff.cli import app
    from docdiff.cli.corpus import index_app

    infos = [*app.registered_commands, *index_app.registered_commands]
    assert len(infos) >= 10
    for info in infos:
        callback = info.callback
        assert callback is not None
        strings = [k for k, v in callback.__annotations__.items() if isinstance(v, str)]
        assert strings == [], (callback.__name__, strings)


def test_help_loads_no_tempfile() -> None:
    """Only a run that writes a file needs the atomic writer's temporary files."""
    assert _loaded_after(["--help"], ("tempfile",)) == "[]"


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["compare", "--help"]])
def test_help_and_version_load_no_data_model(argv: list[str]) -> None:
    """The options need only `Kind`: the model's dozen dataclasses cost ~50 M instructions."""
    assert _loaded_after(argv, ("docdiff.model",)) == "[]"


def test_kind_is_one_class_wherever_it_is_imported_from() -> None:
    import docdiff
    import docdiff.kinds
    import docdiff.model
    import docdiff.options

    assert docdiff.Kind is docdiff.model.Kind is docdiff.kinds.Kind
    assert frozenset(docdiff.model.Kind) == docdiff.options.ALL_KINDS


_COMPLETE = (
    "import sys\n"
    "from docdiff.cli import app\n"
    "try:\n"
    "    app(prog_name='docdiff')\n"
    "except SystemExit:\n"
    "    pass\n"
    "sys.stderr.write(str('rich.markdown' in sys.modules))\n"
)


@pytest.mark.parametrize(
    ("shell_env", "expected"),
    [
        (
            {"_DOCDIFF_COMPLETE": "complete_bash", "COMP_WORDS": "docdiff co", "COMP_CWORD": "1"},
            ["compare"],
        ),
        (
            {
                "_DOCDIFF_COMPLETE": "complete_bash",
                "COMP_WORDS": "docdiff compare --fo",
                "COMP_CWORD": "2",
            },
            ["--format", "--formulae"],
        ),
        (
            {"_DOCDIFF_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "docdiff compare --f"},
            ['"--format":', '"--fail-above":', '"--formulae":'],
        ),
    ],
)
def test_shell_completion_answers_without_markdown(
    shell_env: dict[str, str], expected: list[str]
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _COMPLETE],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **shell_env},
    )
    for word in expected:
        assert word in done.stdout
    assert done.stderr.endswith("False")
