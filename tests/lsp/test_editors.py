"""Real editors, headless: Neovim 0.7 and Emacs 28 + eglot open a letter and receive the
expected diagnostics through the set-up files in lsp/nvim and lsp/emacs; the buffer-local keys
those files promise are mapped, and the hover comes as plain text where Markdown is not
rendered.

They skip with a reason when the editor is not installed (scripts/ci_editors.sh installs both).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests._patience import ms, seconds

from .conftest import ROOT, build_workspace

pytestmark = pytest.mark.editor

DOC = "02_examplia_ohchr_2023.txt"
SOURCE = "01_examplia_un_2021.txt"
REUSED = "The people of Examplia have chosen their own path"

NVIM_SCRIPT = r"""
local function out(s) io.stdout:write(s .. "\n") end
vim.cmd("filetype on")  -- an init file runs before Neovim turns detection on by itself
vim.g.mapleader = " "
package.path = vim.env.REPO .. "/lsp/nvim/?.lua;" .. package.path
local docdiff = require("docdiff")
docdiff.setup({ cmd = { vim.env.PYTHON, "-m", "docdiff_lsp" }, settings = { minWords = 4 } })
vim.cmd("edit " .. vim.fn.fnameescape(vim.env.DOC))
local function expected()
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if d.message:find(vim.env.EXPECT, 1, true) then return true end
  end
  return false
end
local ok = vim.wait(tonumber(vim.env.WAIT_MS), expected, 50)
if not ok then out("TIMEOUT") end
local paraphrase
for _, d in ipairs(vim.diagnostic.get(0)) do
  out(string.format("%d:%d %s", d.lnum, d.col, d.message))   -- 0-based, columns in bytes
  if d.code == "paraphrase" and not paraphrase then paraphrase = d end
end
-- The keys the README promises, buffer-local (maparg's dict has buffer = 1).
for _, lhs in ipairs({ "K", "gd", "gr", "<Space>ca" }) do
  local map = vim.fn.maparg(lhs, "n", false, true)
  out(string.format("KEY %s buffer=%s %s", lhs, tostring(map.buffer), tostring(map.desc)))
end
if paraphrase then
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(0) },
    position = { line = paraphrase.lnum, character = paraphrase.col },
  }
  local wait = tonumber(vim.env.WAIT_MS)
  local result = vim.lsp.buf_request_sync(0, "textDocument/hover", params, wait)
  for _, r in pairs(result or {}) do
    if r.result then
      out("HOVER-KIND " .. r.result.contents.kind)
      out("HOVER " .. r.result.contents.value:gsub("\n", " | "))
    end
  end
end
for _, client in pairs(vim.lsp.get_active_clients()) do client.stop() end
vim.wait(3000, function() return #vim.lsp.get_active_clients() == 0 end, 50)
vim.cmd(ok and "qall!" or "cquit 1")
"""

EMACS_SCRIPT = r"""
(require 'cl-lib)
(add-to-list 'load-path (expand-file-name "lsp/emacs" (getenv "REPO")))
(require 'docdiff)
(setq docdiff-server-command (list (getenv "PYTHON") "-m" "docdiff_lsp"))
(setq docdiff-settings '(:minWords 4))
(docdiff-configure)
(setq eglot-sync-connect t)
(defvar check-lines nil)
(defvar check-done nil)
(defvar check-diags nil)
(cl-defmethod eglot-handle-notification :after
  (_server (_method (eql textDocument/publishDiagnostics)) &key uri diagnostics &allow-other-keys)
  (let ((buf (find-buffer-visiting (eglot--uri-to-path uri))))
    (when buf
      (with-current-buffer buf
        (setq check-lines nil)
        (setq check-diags (append diagnostics nil))
        (cl-loop for d across diagnostics
                 do (let* ((range (plist-get d :range))
                           (point (eglot--lsp-position-to-point (plist-get range :start)))
                           (message (plist-get d :message)))
                      (save-excursion
                        (goto-char point)
                        (push (format "%d:%d %s" (1- (line-number-at-pos)) (current-column) message)
                              check-lines))
                      (when (string-search (getenv "EXPECT") message)
                        (setq check-done t))))))))
(find-file (getenv "DOC"))
(text-mode)
(apply #'eglot (eglot--guess-contact))
(with-timeout ((string-to-number (getenv "WAIT_S")) (princ "TIMEOUT\n"))
  (while (not check-done) (accept-process-output nil 0.1)))
(dolist (line (reverse check-lines)) (princ (concat line "\n")))
(princ (format "KEY C-c d a %s\n" (key-binding (kbd "C-c d a"))))
(princ (format "KEY C-c d h %s\n" (key-binding (kbd "C-c d h"))))
(let ((target (cl-find-if (lambda (d) (string-search "%" (plist-get d :message))) check-diags)))
  (when target
    (goto-char (eglot--lsp-position-to-point (plist-get (plist-get target :range) :start)))
    (let* ((hover (jsonrpc-request (eglot-current-server) :textDocument/hover
                                   (eglot--TextDocumentPositionParams)))
           (contents (plist-get hover :contents)))
      (princ (format "HOVER-KIND %s\n" (plist-get contents :kind)))
      (princ (format "HOVER %s\n"
                     (replace-regexp-in-string "\n" " | " (plist-get contents :value)))))))
(ignore-errors (eglot-shutdown (eglot-current-server)))
(kill-emacs (if check-done 0 1))
"""


def _run(cmd: list[str], tmp_path: Path, script_name: str, script: str) -> list[str]:
    ws = build_workspace("letters", tmp_path / "ws")
    (tmp_path / script_name).write_text(script, encoding="utf-8")
    env = {
        **os.environ,
        "REPO": str(ROOT),
        "PYTHON": sys.executable,
        "DOC": str(ws / DOC),
        "EXPECT": SOURCE,
        "HOME": str(tmp_path),
        # How long the editor waits for the diagnostics (`tests._patience`).
        "WAIT_S": str(round(seconds(60))),
        "WAIT_MS": str(round(ms(60))),
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "lsp")]),
    }
    proc = subprocess.run(
        [*cmd, str(tmp_path / script_name)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ws,
        timeout=seconds(120),
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    (tmp_path / "editor-output.txt").write_text(proc.stdout + proc.stderr, encoding="utf-8")
    assert "TIMEOUT" not in lines, proc.stdout + proc.stderr
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return lines


def _check(lines: list[str], column_unit: str, tmp_path: Path) -> None:
    text = (tmp_path / "ws" / DOC).read_text(encoding="utf-8").split("\n")
    found = False
    for line in lines:
        if line.startswith(("KEY ", "HOVER")):
            continue
        where, _, message = line.partition(" ")
        lnum, col = (int(x) for x in where.split(":"))
        row = text[lnum]
        chars = len(row.encode("utf-8")[:col].decode("utf-8")) if column_unit == "bytes" else col
        if message.startswith("“The people of Examplia") and SOURCE in message and "%" in message:
            rest = row[chars:]
            assert REUSED.startswith(rest[:10]) or rest.startswith(REUSED.split()[1]), rest[:40]
            found = True
    assert found, lines


def test_neovim_receives_diagnostics(tmp_path: Path) -> None:
    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.skip("Neovim is not installed (apt-get install neovim; see scripts/ci_editors.sh)")
    lines = _run([nvim, "--headless", "--clean", "-u"], tmp_path, "check.lua", NVIM_SCRIPT)
    _check(lines, "bytes", tmp_path)
    for key, desc in (("K", "hover"), ("gd", "definition"), ("gr", "references")):
        assert f"KEY {key} buffer=1 docdiff: {desc}" in lines, lines
    assert "KEY <Space>ca buffer=1 docdiff: code_action" in lines, lines
    _check_plain_hover(lines)


def _check_plain_hover(lines: list[str]) -> None:
    """A plain-text hover: this letter and the source stacked, no Markdown markers."""
    assert "HOVER-KIND plaintext" in lines, lines
    hover = next(line for line in lines if line.startswith("HOVER "))
    assert "This letter: " in hover
    assert "Source: " in hover
    assert "~~" not in hover
    assert "**" not in hover


def test_emacs_eglot_receives_diagnostics(tmp_path: Path) -> None:
    emacs = shutil.which("emacs")
    if emacs is None:
        pytest.skip("Emacs is not installed (apt-get install emacs-nox elpa-eglot)")
    probe = subprocess.run(
        [emacs, "--batch", "--eval", '(progn (require \'eglot) (princ "ok"))'],
        capture_output=True,
        text=True,
        check=False,
        timeout=seconds(60),
    )
    if "ok" not in probe.stdout:
        pytest.skip("eglot is not installed for Emacs (apt-get install elpa-eglot)")
    lines = _run([emacs, "--batch", "-l"], tmp_path, "check.el", EMACS_SCRIPT)
    _check(lines, "chars", tmp_path)
    assert "KEY C-c d a eglot-code-actions" in lines, lines
    assert "KEY C-c d h eldoc-doc-buffer" in lines, lines
    assert "HOVER-KIND plaintext" in lines, lines
    assert not any("~~" in line or "**" in line for line in lines if line.startswith("HOVER"))
