#!/usr/bin/env bash
# Installs the UI's npm packages (exactly as locked) when they are missing or stale, then
# type-checks and builds ui/dist, which the desktop app embeds when it is compiled.
# Uses the system's Node.js when it can build the UI, else the pinned one that
# scripts/node.sh installs into .cache/node.
set -euo pipefail
cd "$(dirname "$0")/.."
node_bin=$(./scripts/node.sh)
if [ -n "$node_bin" ]; then
  export PATH="$node_bin:$PATH"
fi
cd ui
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if [ "${1:-}" = "--check" ]; then
  npm run check
fi
npm run build
