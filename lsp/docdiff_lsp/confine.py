"""What the language server may read and where it may write.

The server reads only its workspace folders, the corpus folders (or corpus documents) named in
the editor's settings, and only files with a corpus suffix; a path sent in a command is never
read (commands name open or indexed documents). It writes only under ``.docdiff/`` of a
workspace or corpus folder, or under the user's cache folder. Symlinks that leave the corpus
are not followed unless ``corpus.followSymlinks`` is on. Everything refused comes back as a
problem sentence for one ``window/showMessage``; nothing here raises over a setting.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from docdiff.errors import DocdiffError
from docdiff.loaders.globs import CORPUS_SUFFIXES

__all__ = [
    "Roots",
    "broad_folder",
    "cache_dir",
    "corpus_roots",
    "formulae_file",
    "index_location",
    "inside",
    "lexical",
    "regular_file",
    "state_dir",
    "workspace_folders",
    "write_text",
]

STATE = ".docdiff"


def lexical(path: Path) -> Path:
    """`path` made absolute and normalised without following symlinks."""
    return Path(os.path.normpath(os.path.abspath(path)))  # noqa: PTH100


def resolved(path: Path) -> Path:
    """`path` with every symlink followed (as far as it exists)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return lexical(path)


def inside(path: Path, roots: Iterable[Path]) -> bool:
    """Whether the file `path` really is (symlinks followed) under one of `roots`."""
    real = resolved(path)
    return any(real == r or real.is_relative_to(r) for r in (resolved(x) for x in roots))


def regular_file(path: Path) -> bool:
    """Whether `path` is a regular file (symlinks followed), checked without opening it.

    FIFOs, sockets and devices would block or never end when read: they are never opened.
    """
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (OSError, RuntimeError, ValueError):
        return False


def cache_dir() -> Path:
    """The user-level cache of the server (``$XDG_CACHE_HOME/docdiff/lsp``)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "docdiff" / "lsp"


def _cache_for(folder: Path | None) -> Path:
    """A cache subfolder of its own for one workspace folder (or for no folder)."""
    key = str(resolved(folder)) if folder is not None else "<no folder>"
    return cache_dir() / hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def broad_folder(folder: Path) -> str | None:
    """Why `folder` is too broad to read as a corpus (the filesystem root, home), or None."""
    real = resolved(folder)
    if real == Path(real.anchor):
        return "is the filesystem root"
    home = resolved(Path.home())
    if real == home:
        return "is your home folder"
    if home.is_relative_to(real):
        return "holds your home folder"
    return None


def workspace_folders(folders: Sequence[Path]) -> tuple[list[Path], list[str]]:
    """The workspace folders the server may read, and a problem for each refused one."""
    kept: list[Path] = []
    problems: list[str] = []
    for folder in folders:
        why = broad_folder(folder)
        if why:
            problems.append(
                f"workspace folder {folder} {why}: it is not read as a corpus "
                "(open a project folder instead)"
            )
        else:
            kept.append(folder)
    return kept, problems


def corpus_roots(paths: Sequence[str], base: Path | None) -> tuple[list[Path], list[str]]:
    """The ``corpus.paths`` entries that may be read, and a problem for each refused one.

    A folder is read (unless it is the filesystem root or holds the home folder); a file only
    when it is a regular file with a corpus suffix. Relative entries are taken from `base`.
    """
    kept: list[Path] = []
    problems: list[str] = []
    for raw in paths:
        given = Path(raw).expanduser()
        if not given.is_absolute():
            if base is None:
                problems.append(f"corpus path {raw!r} is relative and there is no workspace")
                continue
            given = base / given
        problem = _root_problem(given)
        if problem:
            problems.append(f"corpus path {raw!r} {problem}; ignored")
        else:
            kept.append(given)
    return kept, problems


def _root_problem(path: Path) -> str | None:
    if path.is_dir():
        why = broad_folder(path)
        return f"{why}, too broad for a corpus" if why else None
    if not path.exists():
        return "does not exist"
    if path.suffix.lower() not in CORPUS_SUFFIXES:
        return "is not a corpus document (no corpus suffix such as .txt, .md, .html)"
    if not regular_file(path):
        return "is not a regular file"
    return None


def state_dir(folders: Sequence[Path]) -> Path:
    """Where reports and ignore lists go: ``.docdiff`` in the first folder, else the cache.

    A ``.docdiff`` that is a symlink leading out of the folder is not used.
    """
    if folders:
        candidate = folders[0] / STATE
        if not candidate.exists() or inside(candidate, [folders[0]]):
            return candidate
    return _cache_for(folders[0] if folders else None)


def _writable_dir(folder: Path) -> bool:
    """Whether a ``.docdiff`` folder can be made (or written) in `folder`."""
    state = folder / STATE
    target = state if state.is_dir() else folder
    return os.access(target, os.W_OK | os.X_OK)


@dataclass(frozen=True, slots=True)
class Roots:
    """The folders the server may read: workspace folders and configured corpus folders."""

    workspace: tuple[Path, ...]
    corpus: tuple[Path, ...]

    @property
    def all(self) -> tuple[Path, ...]:
        """Every readable root (folders and single corpus documents)."""
        return (*self.workspace, *self.corpus)

    @property
    def state_folders(self) -> tuple[Path, ...]:
        """Every ``.docdiff`` folder an index may live in."""
        return tuple(f / STATE for f in self.all if f.is_dir())


def index_location(index: str, roots: Roots) -> tuple[Path, str | None]:
    """Where the index lives, and a problem when the ``index`` setting was refused.

    The setting may name a file under ``.docdiff/`` of a workspace or corpus folder (such as an
    index the CLI built there) or under the user cache; anything else would create or change a
    database elsewhere and is ignored. The default is ``.docdiff/index.db`` in the first
    workspace folder, or the user cache when that folder is read-only or absent.
    """
    first = roots.workspace[0] if roots.workspace else None
    default = _cache_for(first) / "index.db"
    if first is not None and _writable_dir(first):
        candidate = first / STATE / "index.db"
        # Neither .docdiff nor the index file itself may be a symlink leading elsewhere.
        planted = candidate.is_symlink() or candidate.exists()
        if not _leaves(first / STATE, first) and (not planted or _under(candidate, first / STATE)):
            default = candidate
    if not index:
        return default, None
    given = Path(index).expanduser()
    if not given.is_absolute():
        if first is None:
            return default, f"setting 'index': {index!r} is relative and there is no workspace"
        given = first / given
    allowed = [*roots.state_folders, cache_dir()]
    if any(_under(given, folder) for folder in allowed) and not given.is_dir():
        return given, None
    return default, (
        f"setting 'index': {index} is not under .docdiff/ of a workspace or corpus folder "
        f"nor under {cache_dir()}; using {default}"
    )


def write_text(path: Path, text: str, *, within: Path) -> None:
    """Write a file the server owns, below `within`: to a temporary file, then renamed.

    The rename replaces a symlink planted at `path` instead of writing through it, a folder
    on the way that leads out of `within` is refused (DocdiffError), and a failure leaves no
    half-written file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not inside(path.parent, [within]):
        raise DocdiffError(f"{path.parent} leads out of {within}; nothing written")
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)  # noqa: PTH108
        raise


def _leaves(state: Path, folder: Path) -> bool:
    """Whether an existing ``.docdiff`` resolves outside its folder."""
    return state.exists() and not inside(state, [folder])


def _under(path: Path, folder: Path) -> bool:
    """`path` (symlinks followed) below `folder`, the folder itself not leading elsewhere."""
    real = resolved(path)
    real_folder = resolved(folder)
    if folder.name == STATE and folder.exists() and _leaves(folder, folder.parent):
        return False
    return real != real_folder and real.is_relative_to(real_folder)


def formulae_file(path: str, roots: Roots) -> tuple[Path | None, str | None]:
    """The ``formulae`` lexicon file to read (absolute), or None and why it may not be read.

    It must be a regular file inside a workspace or corpus folder (relative: to the first
    workspace folder).
    """
    if not path:
        return None, None
    given = Path(path).expanduser()
    if not given.is_absolute():
        if not roots.workspace:
            return None, f"{path!r} is relative and there is no workspace"
        given = roots.workspace[0] / given
    folders = [r for r in roots.all if r.is_dir()]
    if not inside(given, folders):
        return None, f"{path} is outside the workspace and corpus folders"
    if not regular_file(given):
        return None, f"{path} is not a regular file"
    return given, None
