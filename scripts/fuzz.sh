#!/usr/bin/env bash
# Runs every fuzz target (fuzz/: the vault header parser, the backup file parser, the
# import parser with the domain's checks, the PDF text path, opening a hand-off bundle) for a bounded time each, with cargo-fuzz on the nightly toolchain. Corpora grow in
# fuzz/corpus/<target>/ (seeded from fuzz/seeds/<target>/); a crash leaves its input in
# fuzz/artifacts/<target>/ and fails the script.
#
#   scripts/fuzz.sh                 60 s per target, with AddressSanitizer
#   scripts/fuzz.sh 600             10 minutes per target
#   FUZZ_SANITIZER=none scripts/fuzz.sh 20
#                                   what CI runs (scripts/test.sh): no sanitizer, whose
#                                   build of SQLCipher would cost CI ten minutes; Rust code
#                                   is memory-safe and a panic still fails the run. Without
#                                   a sanitizer the targets are built with the dev profile
#                                   (cargo fuzz --dev; dependencies still at opt-level 2):
#                                   the release build took 11 of CI's minutes
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
sanitizer="${FUZZ_SANITIZER:-address}"
if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
profile=()
if [ "$sanitizer" = none ]; then
  profile=(--dev)
fi
for target in header backup import pdf_text bundle; do
  mkdir -p "fuzz/corpus/$target"
  echo "== fuzz $target for ${seconds}s"
  cargo +nightly fuzz run "${profile[@]}" --sanitizer "$sanitizer" "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
    -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
done
