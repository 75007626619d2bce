#!/usr/bin/env bash
# Installs a Guitu .deb the way a user does, into a clean Debian 12 root, and checks it:
#
#   1. a minimal Debian 12 (debootstrap --variant=minbase; the tarball of it is cached in
#      <target>/install-test/) gets `apt-get install ./guitu_….deb`, which must bring every
#      library the app needs (checked with ldd before anything else is installed);
#   2. the package's files: /usr/bin/guitu-desktop, /usr/bin/guitu on the PATH, the desktop
#      entry 归途 Guitu (desktop-file-validate) and its icons;
#   3. as an ordinary user of that root, the installed app starts under Xvfb (the X server
#      runs outside the root; only its socket is shared): its window "归途 Guitu" must
#      appear and render (a screenshot with more than a few colours: text, not a blank
#      page); first with no vault (the first-run screen), later with one (the unlock
#      screen). The first start is timed from exec to the window and to the first
#      rendered frame, after evicting the app's and WebKit's files from the page cache;
#   4. the installed `guitu --version`, `guitu init` and `guitu --training demo` (secrets from
#      GUITU_NEW_PASSPHRASE / GUITU_PASSPHRASE), `guitu verify`, and the README's move to
#      a new laptop: `guitu backup`, `guitu --vault NEW restore`, `guitu --vault NEW verify`;
#   5. `apt-get purge guitu`: the programs are gone, the user's vault is still there, byte
#      for byte.
#
#   scripts/test-install.sh [PATH.deb]    default: builds one with scripts/package.sh --debug
#
# Needs root (debootstrap, chroot, mounts); as another user it asks sudo. Screenshots and
# the timing are left in <target>/install-test/. GUITU_DEBIAN_MIRROR overrides the mirror.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
target="${CARGO_TARGET_DIR:-$repo/target}"
case "$target" in /*) ;; *) target="$repo/$target" ;; esac

deb="${1:-}"
if [ -z "$deb" ]; then
  ./scripts/package.sh --debug
  deb=$(ls -t "$target"/debug/bundle/deb/*.deb | head -1)
fi
deb=$(realpath "$deb")
if [ "$(id -u)" -ne 0 ]; then
  exec sudo --preserve-env=CARGO_TARGET_DIR,GUITU_DEBIAN_MIRROR "$0" "$deb"
fi

started=$(date +%s)
work="$target/install-test"
mkdir -p "$work"
log() { printf '== install test [%3ss]: %s\n' "$(($(date +%s) - started))" "$*"; }
fail() {
  echo "install test FAILED: $*" >&2
  exit 1
}

# Host tools: debootstrap makes the root; Xvfb, xdotool, ImageMagick and vmtouch watch the
# app from outside it (so nothing but the package and its dependencies enters the root).
need=()
for p in debootstrap xvfb xdotool imagemagick x11-utils desktop-file-utils vmtouch; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
    --no-install-recommends "${need[@]}" >/dev/null
fi

mirror="${GUITU_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security="${mirror%/debian}/debian-security"
tarball="$work/debian12-minbase.tar"
if [ ! -s "$tarball" ]; then
  log "debootstrap: a minimal Debian 12 from $mirror (cached in $tarball)"
  fresh="$work/debootstrap.tmp"
  rm -rf --one-file-system "$fresh"
  debootstrap --variant=minbase bookworm "$fresh" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    fail "debootstrap (see $work/debootstrap.log)"
  tar -C "$fresh" -cf "$tarball.tmp" .
  rm -rf --one-file-system "$fresh"
  mv "$tarball.tmp" "$tarball"
fi

root="$work/root"
xvfb_pid=""
app_pgid=""

# Every mount point at or below the root, deepest first.
mounts_below() {
  awk -v r="$root" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}
unmount_root() {
  local m
  for m in $(mounts_below); do
    umount "$m" 2>/dev/null || umount -l "$m"
  done
}
remove_root() {
  unmount_root
  if [ -n "$(mounts_below)" ]; then
    fail "something is still mounted below $root; not deleting it"
  fi
  rm -rf --one-file-system "$root"
}
stop_app() {
  if [ -n "$app_pgid" ]; then
    kill -TERM -- "-$app_pgid" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 -- "-$app_pgid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$app_pgid" 2>/dev/null || true
    app_pgid=""
  fi
}
cleanup() {
  stop_app
  [ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null || true
  remove_root
}
trap cleanup EXIT

remove_root
mkdir -p "$root"
tar -C "$root" -xf "$tarball"
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
apt-config dump | grep -i '::proxy ' >"$root/etc/apt/apt.conf.d/01proxy" || true
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mount --make-rslave "$root/dev"
mkdir -p "$work/apt-archives/partial"
mount --bind "$work/apt-archives" "$root/var/cache/apt/archives"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

log "apt-get install ./$(basename "$deb") into the clean root"
cp "$deb" "$root/tmp/"
# A mirror can fail a download now and then (CI once failed here with nothing to show):
# apt retries each file, the whole step is tried three times with a fresh index, and a
# failure prints the end of the log.
apt_in_root() {
  in_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 \
    -o Acquire::Retries=5 "$@" >>"$work/apt.log" 2>&1
}
fail_with_log() {
  tail -40 "$work/apt.log" | sed 's/^/   apt: /' >&2
  fail "$1 (see $work/apt.log)"
}
: >"$work/apt.log"
t0=$(date +%s)
installed=""
for attempt in 1 2 3; do
  if apt_in_root update -qq && apt_in_root install -y "/tmp/$(basename "$deb")"; then
    installed=yes
    break
  fi
  log "apt-get attempt $attempt failed; trying again"
  sleep $((attempt * 10))
done
[ -n "$installed" ] || fail_with_log "apt-get install"
install_s=$(($(date +%s) - t0))
grep -E '^(Need to get|After this operation|[0-9]+ upgraded)' "$work/apt.log" | sed 's/^/   /'

log "the package's files"
missing=$(in_root ldd /usr/bin/guitu-desktop /usr/bin/guitu | grep 'not found' || true)
[ -z "$missing" ] || fail "libraries not brought by the package's dependencies: $missing"
in_root sh -c 'command -v guitu' | grep -qx /usr/bin/guitu || fail "guitu is not on the PATH"
desktop=$(in_root dpkg -L guitu | grep '^/usr/share/applications/.*\.desktop$' | head -1)
[ -n "$desktop" ] || fail "no desktop entry in the package"
grep -qx 'Name=归途 Guitu' "$root$desktop" || fail "desktop entry $desktop is not named 归途 Guitu"
desktop-file-validate "$root$desktop" || fail "desktop-file-validate $desktop"
icon=$(sed -n 's/^Icon=//p' "$root$desktop")
in_root dpkg -L guitu | grep -q "/usr/share/icons/hicolor/.*/apps/$icon.png" || fail "no icon $icon"
dpkg-deb -f "$deb" Depends | grep -q 'libwebkit2gtk-4.1-0' || fail "WebKitGTK is not a declared dependency"
in_root guitu --version

# An ordinary user of the root, with the home directory a caseworker would have.
in_root useradd --create-home --shell /bin/bash caseworker
home="/home/caseworker"
vault="$home/.local/share/org.guitu.desktop/vault"
as_user() {
  chroot --userspec=caseworker:caseworker "$root" env -i PATH=/usr/bin:/bin LANG=C.UTF-8 \
    HOME="$home" USER=caseworker XDG_RUNTIME_DIR=/tmp/runtime-caseworker "$@"
}
in_root install -d -o caseworker -g caseworker -m 700 /tmp/runtime-caseworker

# The X server runs outside the root; the root sees only its socket.
display=90
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do
  display=$((display + 1))
done
Xvfb ":$display" -screen 0 1366x900x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do
  [ -e "/tmp/.X11-unix/X$display" ] && break
  sleep 0.1
done
[ -e "/tmp/.X11-unix/X$display" ] || fail "Xvfb did not start (see $work/xvfb.log)"
mkdir -p "$root/tmp/.X11-unix"
mount --bind /tmp/.X11-unix "$root/tmp/.X11-unix"

# start_app NAME: starts the installed app as the caseworker; waits for its window and for a
# rendered frame; leaves a screenshot NAME.png; sets window_ms and frame_ms (from exec).
window_ms=0
frame_ms=0
start_app() {
  local name="$1" t0 wid="" frame="" colours=0 now
  t0=$(date +%s%N)
  setsid chroot --userspec=caseworker:caseworker "$root" env -i PATH=/usr/bin:/bin \
    LANG=C.UTF-8 HOME="$home" USER=caseworker XDG_RUNTIME_DIR=/tmp/runtime-caseworker \
    DISPLAY=":$display" /usr/bin/guitu-desktop >"$work/$name.log" 2>&1 &
  app_pgid=$!
  for _ in $(seq 600); do
    wid=$(DISPLAY=":$display" xdotool search --onlyvisible --name '^归途 Guitu$' 2>/dev/null | head -1 || true)
    [ -n "$wid" ] && break
    kill -0 "$app_pgid" 2>/dev/null || fail "the app exited before its window appeared (see $work/$name.log)"
    sleep 0.05
  done
  [ -n "$wid" ] || fail "no window titled 归途 Guitu within 30 s (see $work/$name.log)"
  now=$(date +%s%N)
  window_ms=$(((now - t0) / 1000000))
  # Rendered: the window shows text and widgets, so its screenshot has many colours (a
  # blank or failed WebView has one or two).
  for _ in $(seq 300); do
    if import -display ":$display" -window "$wid" "$work/$name.png" 2>/dev/null; then
      colours=$(convert "$work/$name.png" -format '%k' info:)
      if [ "$colours" -ge 50 ]; then
        frame=$(date +%s%N)
        break
      fi
    fi
    kill -0 "$app_pgid" 2>/dev/null || fail "the app exited (see $work/$name.log)"
    sleep 0.1
  done
  [ -n "$frame" ] || fail "the window stayed blank ($colours colours) for 30 s; see $work/$name.png"
  # Still running a moment later (no crash after the first frame).
  sleep 2
  kill -0 "$app_pgid" 2>/dev/null || fail "the app exited after its first frame (see $work/$name.log)"
  import -display ":$display" -window "$wid" "$work/$name.png"
  frame_ms=$(((frame - t0) / 1000000))
}

log "first start of the installed app (no vault yet: the first-run screen)"
# Cold start: the app's binary, WebKitGTK, GTK and the fonts out of the page cache.
vmtouch -q -e "$root/usr/bin/guitu-desktop" "$root/usr/lib/x86_64-linux-gnu" \
  "$root/usr/share/fonts" 2>/dev/null || true
start_app first-run
stop_app
cold_window=$window_ms
cold_frame=$frame_ms
[ ! -e "$root$vault/vault.json" ] || fail "starting the app must not create a vault by itself"
log "  window after ${cold_window} ms, first rendered frame after ${cold_frame} ms"

log "the installed guitu: init, demo, verify, backup and restore"
as_user guitu --version
as_user env GUITU_NEW_PASSPHRASE='install test passphrase 1' guitu init >"$work/init.log" 2>&1 ||
  { cat "$work/init.log"; fail "guitu init"; }
# Demo data goes into the training vault beside the vault, never into the vault.
as_user env GUITU_PASSPHRASE='install test passphrase 1' guitu --training demo --cases 50 | tail -2
as_user env GUITU_PASSPHRASE='install test passphrase 1' guitu verify | tail -2
[ -f "$root$vault/vault.json" ] || fail "no vault at $vault after guitu init"
# Moving to a new laptop (README): an encrypted backup file, restored into an empty vault
# directory, opens with the same passphrase and verifies.
as_user env GUITU_PASSPHRASE='install test passphrase 1' guitu backup "$home/move.guitu-backup" | tail -1
as_user env GUITU_PASSPHRASE='install test passphrase 1' \
  guitu --vault "$home/new-laptop/vault" restore "$home/move.guitu-backup" | tail -1
as_user env GUITU_PASSPHRASE='install test passphrase 1' \
  guitu --vault "$home/new-laptop/vault" verify | tail -1

log "second start (a vault exists: the unlock screen)"
start_app unlock
stop_app
warm_window=$window_ms
warm_frame=$frame_ms
log "  window after ${warm_window} ms, first rendered frame after ${warm_frame} ms"
if cmp -s "$work/first-run.png" "$work/unlock.png"; then
  fail "the first-run and unlock screens look the same"
fi

log "apt-get purge guitu: the programs go, the vault stays"
before=$(cd "$root$vault" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
apt_in_root purge -y guitu || fail_with_log "apt-get purge"
[ ! -e "$root/usr/bin/guitu" ] && [ ! -e "$root/usr/bin/guitu-desktop" ] || fail "programs left after purge"
[ ! -e "$root$desktop" ] || fail "desktop entry left after purge"
after=$(cd "$root$vault" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
[ "$before" = "$after" ] || fail "the vault changed when the package was removed"
echo "   vault after purge: $(echo "$after" | wc -l) files, unchanged"

size_kb=$(($(stat -c %s "$deb") / 1024))
installed_kb=$(dpkg-deb -f "$deb" Installed-Size)
cat >"$work/figures.txt" <<EOF
package $(basename "$deb"): ${size_kb} KiB, Installed-Size ${installed_kb} KiB
apt-get install with dependencies into a minimal Debian 12: ${install_s} s
first start (page cache evicted): window ${cold_window} ms, first rendered frame ${cold_frame} ms
second start: window ${warm_window} ms, first rendered frame ${warm_frame} ms
EOF
sed 's/^/   /' "$work/figures.txt"
log "passed"
