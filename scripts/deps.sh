#!/usr/bin/env bash
# Installs what building Guitu needs on Debian 12, if it is missing: the C toolchain and
# OpenSSL's headers (SQLCipher links the system libcrypto). Needs root or sudo for apt.
set -euo pipefail

# With --test, also what the tests use: poppler-utils (pdftotext, pdffonts, pdfinfo,
# pdftoppm) to check the printed PDFs.
pkgs=(build-essential pkg-config libssl-dev)
[ "${1:-}" = "--test" ] && pkgs+=(poppler-utils)
need=()
for pkg in "${pkgs[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${need[@]}"
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "Rust is missing: install it with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi
