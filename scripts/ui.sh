#!/usr/bin/env bash
# Installs the UI's npm packages (exactly as locked) when they are missing or stale, then
# type-checks and unit-tests it (--check) and builds ui/dist, which the desktop app embeds
# when it is compiled (without --check, only when a source is newer than ui/dist).
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
  npm test
elif [ -f dist/index.html ] && [ -z "$(find src index.html package.json package-lock.json \
  vite.config.ts svelte.config.js tsconfig.json -newer dist/index.html -print -quit)" ]; then
  # Nothing changed since the last build: keep dist as it is (a rebuilt dist, even an
  # identical one, makes cargo re-embed it into the app).
  exit 0
fi
npm run build
