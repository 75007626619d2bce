#!/usr/bin/env bash
# Builds the installable packages of Guitu with Tauri's own bundler (the npm package
# @tauri-apps/cli, pinned in ui/package.json and ui/package-lock.json): the desktop app
# (/usr/bin/guitu-desktop, desktop entry 归途 Guitu with its icon) and the `guitu`
# command-line tool (/usr/bin/guitu) in one package, with the WebKitGTK libraries it
# needs declared as dependencies.
#
#   scripts/package.sh            release build → .deb and .rpm
#   scripts/package.sh --debug    debug build → .deb only (what CI's install test uses:
#                                 it reuses the debug build of the test run)
#
# The packages land in <target>/<release|debug>/bundle/{deb,rpm}/; the paths are printed
# at the end. Install with `sudo apt install ./guitu_<version>_amd64.deb` (or
# `sudo dnf install ./guitu-<version>-1.x86_64.rpm`).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

profile=release
bundles=deb,rpm
tauri_args=()
if [ "${1:-}" = "--debug" ]; then
  profile=debug
  bundles=deb
  tauri_args+=(--debug)
elif [ -n "${1:-}" ]; then
  echo "usage: scripts/package.sh [--debug]" >&2
  exit 2
fi

./scripts/deps.sh --app
./scripts/ui.sh
node_bin=$(./scripts/node.sh)
if [ -n "$node_bin" ]; then
  export PATH="$node_bin:$PATH"
fi

target="${CARGO_TARGET_DIR:-$root/target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac
triple=$(rustc -vV | sed -n 's/^host: //p')

# The command-line tool goes into the package as an external binary of the app
# (src-tauri/package.conf.json, merged only here, so a plain `cargo build` does not need
# it): the bundler takes it from src-tauri/binaries/guitu-<target triple> and installs it
# beside the app (/usr/bin/guitu).
cargo_profile=()
[ "$profile" = release ] && cargo_profile=(--release)
cargo build --locked "${cargo_profile[@]}" -p guitu-cli
mkdir -p src-tauri/binaries
cp "$target/$profile/guitu" "src-tauri/binaries/guitu-$triple"

rm -rf "$target/$profile/bundle/deb" "$target/$profile/bundle/rpm"
cd src-tauri
../ui/node_modules/.bin/tauri build "${tauri_args[@]}" --bundles "$bundles" \
  --config package.conf.json -- --locked
cd "$root"

echo "Packages:"
find "$target/$profile/bundle/deb" "$target/$profile/bundle/rpm" -maxdepth 1 \
  \( -name '*.deb' -o -name '*.rpm' \) -exec ls -l {} \; 2>/dev/null || true
