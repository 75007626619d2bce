#!/usr/bin/env bash
# Builds the Guitu desktop app and starts it. Installs what is missing first
# (scripts/deps.sh --app: WebKitGTK and the other Tauri prerequisites, and a Node.js that
# can build the UI — the pinned one of scripts/node.sh when the system's is too old — then
# the UI's npm packages). Needs only Rust (rustup) on a stock Debian 12.
# The first run opens the create-vault screen: the new encrypted vault goes to your data
# directory (~/.local/share/org.guitu.desktop/vault, or GUITU_VAULT), the recovery code
# is shown once, and demo data is offered.
#
# The command-line tool: scripts/guitu.sh --help
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh --app
./scripts/ui.sh
cargo build --release --locked -p guitu-desktop --features custom-protocol
exec "${CARGO_TARGET_DIR:-target}/release/guitu-desktop" "$@"
