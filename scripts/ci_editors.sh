#!/usr/bin/env bash
# Install the real editors the language-server tests drive headlessly (Debian packages):
# Neovim (0.7 on Debian 12) and Emacs 28 with eglot. Idempotent: does nothing when present.
set -euo pipefail

need=()
command -v nvim >/dev/null 2>&1 || need+=(neovim)
command -v emacs >/dev/null 2>&1 || need+=(emacs-nox)
if ! emacs --batch --eval "(require 'eglot)" >/dev/null 2>&1; then
  need+=(elpa-eglot)
fi

if [ "${#need[@]}" -eq 0 ]; then
  echo "ci_editors: neovim, emacs and eglot are installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "ci_editors: installing ${need[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq neovim emacs-nox elpa-eglot >/dev/null
nvim --version | head -n 1
emacs --version | head -n 1
