#!/usr/bin/env bash
# Installs the UI's npm packages (exactly as locked) when they are missing or stale, then
# type-checks and unit-tests it (--check) and builds ui/dist, which the desktop app embeds
# when it is compiled.
set -euo pipefail
cd "$(dirname "$0")/../ui"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if [ "${1:-}" = "--check" ]; then
  npm run check
  npm test
fi
npm run build
