#!/usr/bin/env bash
# Installs what building and testing Guitu needs on Debian 12, if it is missing.
# Needs root or sudo for apt.
#
#   scripts/deps.sh          the CLI: C toolchain, OpenSSL headers (SQLCipher links libcrypto)
#   scripts/deps.sh --app    + the desktop app: WebKitGTK and the other Tauri prerequisites,
#                              a CJK font, and a Node.js that can build the UI: the
#                              system's when it is new enough, else the one pinned in
#                              scripts/node/package-lock.json, fetched from the npm registry
#                              into .cache/node by scripts/node.sh (with Debian's npm)
#   scripts/deps.sh --test   + what the tests use: poppler-utils (PDF checks), Xvfb,
#                              WebKitWebDriver and tauri-driver (end-to-end tests),
#                              xdotool (answers the native save dialog in one of them),
#                              strace (crash injection, crates/store/tests/reliability.rs),
#                              mold (CI links with it: scripts/test.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-}"
pkgs=(build-essential pkg-config libssl-dev)
if [ "$mode" = "--app" ] || [ "$mode" = "--test" ]; then
  pkgs+=(libwebkit2gtk-4.1-dev libxdo-dev libayatana-appindicator3-dev librsvg2-dev
         curl wget file fonts-noto-cjk)
fi
if [ "$mode" = "--test" ]; then
  pkgs+=(poppler-utils xvfb xauth webkit2gtk-driver xdotool strace mold)
fi
# npm is needed once, to fetch the pinned Node.js when the system's is missing or too old
# (Debian 12's own nodejs is 18; its npm 9 can install the pinned Node.js 24).
if [ "$mode" != "" ] && ! ./scripts/node.sh --check && ! command -v npm >/dev/null 2>&1; then
  pkgs+=(nodejs npm)
fi

need=()
for pkg in "${pkgs[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=300 \
    install -y -qq --no-install-recommends "${need[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "Rust is missing: install it with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi

if [ "$mode" != "" ]; then
  ./scripts/node.sh >/dev/null
fi

if [ "$mode" = "--test" ]; then
  cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
  if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$cargo_bin/tauri-driver" ]; then
    echo "Installing tauri-driver (WebDriver for the desktop app's end-to-end tests)"
    cargo install tauri-driver --locked --version '^2'
  fi
fi
