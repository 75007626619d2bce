#!/usr/bin/env bash
# Builds the installable packages of Guitu with Tauri's own bundler (the npm package
# @tauri-apps/cli, pinned in ui/package.json and ui/package-lock.json): the desktop app
# (/usr/bin/guitu-desktop, desktop entry 归途 Guitu with its icon) and the `guitu`
# command-line tool (/usr/bin/guitu) in one package, with the WebKitGTK libraries it
# needs declared as dependencies.
#
#   scripts/package.sh            release build (`tauri build`) → .deb and .rpm
#   scripts/package.sh --debug    .deb of the debug build that scripts/test.sh builds and
#                                 drives end to end (`tauri bundle --debug` over it, no
#                                 second build; debug info stripped): what CI's install
#                                 test installs
#
# The packages land in <target>/<release|debug>/bundle/{deb,rpm}/; the paths are printed
# at the end. Install with `sudo apt install ./guitu_<version>_amd64.deb` (or
# `sudo dnf install ./guitu-<version>-1.x86_64.rpm`).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

profile=release
bundles=deb,rpm
if [ "${1:-}" = "--debug" ]; then
  profile=debug
  bundles=deb
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
if [ "$profile" = release ]; then
  cargo build --locked --release -p guitu-cli
else
  # The same command as scripts/test.sh: after a test run, nothing is compiled again.
  cargo build --locked --workspace --all-targets
fi
mkdir -p src-tauri/binaries
cp "$target/$profile/guitu" "src-tauri/binaries/guitu-$triple"
if [ "$profile" = debug ]; then
  # Debug info makes the two debug binaries 1.1 GB (a 250 MB package that takes minutes to
  # unpack); the package does not need it. The app is stripped in a copy that replaces
  # target/debug/guitu-desktop: cargo's own file in target/debug/deps keeps its debug info.
  objcopy --strip-debug "src-tauri/binaries/guitu-$triple"
  objcopy --strip-debug "$target/debug/guitu-desktop" "$target/debug/guitu-desktop.tmp"
  mv "$target/debug/guitu-desktop.tmp" "$target/debug/guitu-desktop"
fi

rm -rf "$target/$profile/bundle/deb" "$target/$profile/bundle/rpm"
cd src-tauri
if [ "$profile" = release ]; then
  ../ui/node_modules/.bin/tauri build --bundles "$bundles" --config package.conf.json -- --locked
else
  ../ui/node_modules/.bin/tauri bundle --debug --bundles "$bundles" --config package.conf.json
fi
cd "$root"

echo "Packages:"
find "$target/$profile/bundle/deb" "$target/$profile/bundle/rpm" -maxdepth 1 \
  \( -name '*.deb' -o -name '*.rpm' \) -exec ls -l {} \; 2>/dev/null || true
