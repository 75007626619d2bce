#!/usr/bin/env bash
# Runs every test of Guitu: formatting, lints, the UI's type and catalogue checks, unit,
# integration and CLI tests, and the end-to-end tests that drive the desktop app's real
# window (tauri-driver + WebKitWebDriver under Xvfb), a short run of every fuzz target
# (scripts/fuzz.sh), and the install test: the .deb
# installed into a clean Debian 12 root, started, used and removed (scripts/test-install.sh;
# root or sudo). Installs what it needs first (scripts/deps.sh --test). Used by CI
# (.ci/run) as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
run_start=$(date +%s)
# Each step's heading carries the minutes spent so far, so a slow CI run says where.
step() { printf '== [%2d min] %s\n' "$((($(date +%s) - run_start) / 60))" "$*"; }
./scripts/deps.sh --test
if [ "${CI:-}" = true ]; then
  # A cold build that is never rebuilt: no incremental caches to write. (Line tables
  # instead of full debug info are the dev profile's own setting, in Cargo.toml.)
  export CARGO_INCREMENTAL=0
  # mold links the ~50 test binaries, the app and the fuzz targets in a fraction of
  # GNU ld's time (scripts/deps.sh --test installs it). Only here: RUSTFLAGS are part of
  # every artifact's fingerprint, so setting them on a warm machine would rebuild it all.
  if command -v mold >/dev/null 2>&1; then
    export RUSTFLAGS="${RUSTFLAGS:-} -C link-arg=-fuse-ld=mold"
  fi
fi

step "UI: npm ci, svelte-check, message catalogues, vite build"
./scripts/ui.sh --check
step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "cargo test"
target="${CARGO_TARGET_DIR:-target}"
mkdir -p "$target"
log="$target/test-output.txt"
cargo test --workspace --locked 2>&1 | tee "$log"
step "end-to-end: the desktop app under Xvfb"
# Every target, so the app binary is built with the features the tests were (no rebuild).
cargo build --locked --workspace --all-targets
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# --workspace, not -p guitu-e2e: features are unified over the packages selected, so
# `-p guitu-e2e` alone would rebuild ~150 dependencies with other features (8 of CI's
# minutes); selecting the workspace reuses what `cargo test` built.
e2e=(cargo test --locked --workspace --test scenarios -- --ignored --test-threads=1)
if [ -n "${DISPLAY:-}" ] && [ "${GUITU_E2E_XVFB:-}" != "1" ]; then
  "${e2e[@]}" 2>&1 | tee -a "$log"
else
  xvfb-run -a -s "-screen 0 1366x900x24" "${e2e[@]}" 2>&1 | tee -a "$log"
fi
step "fuzz: every target for 20 s (no sanitizer; scripts/fuzz.sh runs longer, with ASan)"
fuzz_start=$(date +%s)
FUZZ_SANITIZER=none ./scripts/fuzz.sh 20
echo "fuzz (toolchain, build, 4 targets): $(($(date +%s) - fuzz_start)) s"
step "install test: the .deb (debug build) in a clean Debian 12 root"
# The package is built from the debug build above (scripts/package.sh --debug recompiles
# only the Tauri crates with the production protocol), not from a second, release build;
# scripts/package.sh (release) is what users and releases get.
install_start=$(date +%s)
./scripts/test-install.sh
echo "install test (package + install + start + remove): $(($(date +%s) - install_start)) s"
# One closing line for the whole run, summed over every test binary.
step "done"
awk '/^test result:/ { p += $4; f += $6; i += $8 } END { printf "%d passed, %d failed\n", p, f }' "$log"
