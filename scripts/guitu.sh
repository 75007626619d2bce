#!/usr/bin/env bash
# Builds the `guitu` command-line tool (release) and runs it with the given arguments,
# e.g. `scripts/guitu.sh due`, `scripts/guitu.sh search 李娜`. With no arguments and no
# vault yet: creates one (recovery code shown once) and offers demo data in the training
# vault beside it. It opens the
# same vault as the desktop app.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
cargo build --release --locked -p guitu-cli
guitu="${CARGO_TARGET_DIR:-target}/release/guitu"
if [ $# -gt 0 ]; then
  exec "$guitu" "$@"
fi
vault_dir="${GUITU_VAULT:-${XDG_DATA_HOME:-$HOME/.local/share}/org.guitu.desktop/vault}"
if [ ! -f "$vault_dir/vault.json" ]; then
  echo "归途 Guitu: 首次运行，创建新的加密档案库 / first run: creating a new encrypted vault in $vault_dir"
  "$guitu" init
  # Demo data goes only into the training vault beside the vault (guitu --training …).
  read -r -p "是否另建培训库并放入演示数据（200个个案）？/ Make a training vault with demo data (200 cases)? [y/N] " answer || answer=n
  case "$answer" in
    y|Y|yes|是) "$guitu" --training demo --cases 200 && echo "培训库：$guitu --training … / training vault: $guitu --training …" ;;
  esac
fi
"$guitu" due
echo
echo "更多命令 / More commands: $guitu --help   (e.g. scripts/guitu.sh search 李娜)"
