#!/usr/bin/env bash
# Runs every test of Guitu: formatting, lints, unit, integration and CLI end-to-end tests.
# Installs what it needs first (scripts/deps.sh). Used by CI (.ci/run) as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh --test

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== cargo test"
cargo test --workspace --locked 2>&1 | tee target/test-output.txt
# One closing line for the whole run, summed over every test binary.
awk '/^test result:/ { p += $4; f += $6; i += $8 } END { printf "%d passed, %d failed\n", p, f }' target/test-output.txt
