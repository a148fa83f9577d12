#!/usr/bin/env bash
# bindings/swift/test.sh: build the Swift bindings of the uniffi FFI crate and run their XCTests.
#
# Debian bookworm ships no Swift, so the tests run in a Debian trixie chroot that has Debian's
# `swiftlang` (Swift 6.0.x). The chroot lives in a cache folder outside the repo and is reused:
#   1. (first run) debootstrap --variant=minbase trixie into $BESIDE_CACHE/swift-chroot, from the
#      Debian mirror the host's apt already uses, then apt-get install swiftlang + libc6-dev in it;
#      a marker file is written once `swift --version` works there;
#   2. cargo builds the cdylib and, separately, the workspace's uniffi-bindgen; the bindgen writes
#      the Swift bindings (.swift, FFI header) for the built library;
#   3. the SwiftPM package (bindings/swift: Package.swift + Tests/) is synced into the chroot with
#      the generated files in Sources/ and the library in /build/lib; /proc is mounted (and
#      unmounted on exit by a trap) and `swift test` runs there, linking + rpath'ing /build/lib.
# Only changed files are copied, so the package's .build folder in the chroot stays incremental.
#
# Needs: root (debootstrap, chroot, mount), cargo, apt-get (installs debootstrap when missing).
# Network: crates.io and the host's Debian mirror.
# Env:   BESIDE_CACHE          cache root (default ~/.cache/beside)
#        BESIDE_DEBIAN_MIRROR  override the mirror read from apt's sources
#        CARGO_TARGET_DIR      (default <repo>/target)
set -euo pipefail

# ---- project-specific names (adapt when copying) -------------------------------------------
FFI_CRATE=beside-ffi         # cargo package name of the FFI crate
BINDGEN_CRATE=uniffi-bindgen # cargo package holding `fn main() { uniffi::uniffi_bindgen_main() }`
LIB_NAME=beside_ffi          # [lib] name => lib$LIB_NAME.so (the modulemap links it)
NAMESPACE=beside_ffi         # uniffi namespace => $NAMESPACE.swift, ${NAMESPACE}FFI.h, module ${NAMESPACE}FFI
SWIFT_MODULE=Beside          # the Swift library target in Package.swift (Sources/$SWIFT_MODULE)
SUITE=trixie                 # Debian release of the chroot (first one with swiftlang)
# ----------------------------------------------------------------------------------------------

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CACHE="${BESIDE_CACHE:-$HOME/.cache/beside}"
CHROOT="$CACHE/swift-chroot"
MARK_BOOTSTRAP="$CHROOT/.beside-debootstrap-done"
MARK_SWIFT="$CHROOT/.beside-swift-ready"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
LIB="$CARGO_TARGET_DIR/debug/lib$LIB_NAME.so"
BINDGEN="$CARGO_TARGET_DIR/debug/uniffi-bindgen"
FFI_MODULE="${NAMESPACE}FFI"
# Paths as seen inside the chroot.
PKG_IN=/build/beside-swift
LIB_IN=/build/lib

log() { printf '\n== [swift] %s\n' "$*" >&2; }
die() { printf '\nERROR [swift]: %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' not found on PATH ($2)"; }

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot and mount need it)"
need cargo "install Rust with rustup"
need apt-get "a Debian-based host is expected"
for tool in debootstrap flock mountpoint; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    log "apt-get install debootstrap util-linux"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap util-linux >/dev/null
    break
  fi
done
need debootstrap "apt-get install debootstrap"

mkdir -p "$CACHE"
# One run at a time per chroot: another run's trap would unmount /proc under our feet.
exec 9>"$CACHE/swift-chroot.lock"
flock 9

# --- mounts: /proc inside the chroot, always undone on exit ------------------------------------
MOUNTED=()
cleanup() {
  local i
  for (( i=${#MOUNTED[@]}-1; i>=0; i-- )); do
    umount "${MOUNTED[$i]}" 2>/dev/null || umount -l "${MOUNTED[$i]}" || true
  done
  MOUNTED=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM   # run the EXIT trap on Ctrl-C / kill too
mount_in_chroot() {  # mount_in_chroot <dir inside chroot> <mount args...>; no-op if we did it
  local target="$CHROOT$1" m; shift
  for m in "${MOUNTED[@]}"; do [ "$m" = "$target" ] && return 0; done
  mkdir -p "$target"
  if mountpoint -q "$target"; then umount "$target" || umount -l "$target"; fi  # left by a killed run
  mount "$@" "$target"
  MOUNTED+=("$target")
}
# Anything still mounted below the chroot (e.g. after kill -9)? Lists mount points, deepest first.
mounts_below() { awk -v p="$CHROOT/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r; }
remove_chroot() {
  local m
  for m in $(mounts_below); do umount "$m" || umount -l "$m"; done
  [ -z "$(mounts_below)" ] || die "cannot unmount everything below $CHROOT; not deleting it"
  rm -rf --one-file-system "$CHROOT"
}
in_chroot() {  # run a command in the chroot with a clean environment
  chroot "$CHROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

# --- the Debian mirror the host already uses -----------------------------------------------------
# Reads one-line `deb [opts] URI suite comps` entries (*.list) and deb822 stanzas (*.sources,
# with Types/URIs/Enabled fields); keeps http(s) URIs of the main archive (path ending in /debian).
debian_mirror() {
  if [ -n "${BESIDE_DEBIAN_MIRROR:-}" ]; then echo "$BESIDE_DEBIAN_MIRROR"; return; fi
  local files=() f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && files+=("$f")
  done
  [ ${#files[@]} -gt 0 ] || return 0
  awk '
    function flush(   n, i, u) {
      if (types ~ /(^|[ \t])deb([ \t]|$)/ && tolower(enabled) != "no") {
        n = split(uris, u, /[ \t]+/)
        for (i = 1; i <= n; i++) if (u[i] != "") print u[i]
      }
      types = ""; uris = ""; enabled = ""
    }
    FNR == 1 { flush() }
    /^[ \t]*#/ { next }          # whole-line comment (not a stanza break in deb822)
    { sub(/[ \t]#.*/, "") }
    FILENAME ~ /\.sources$/ {
      if ($0 ~ /^[ \t]*$/) { flush(); next }
      if (tolower($1) == "types:")   { $1 = ""; types = $0 }
      if (tolower($1) == "uris:")    { $1 = ""; uris = $0 }
      if (tolower($1) == "enabled:") { enabled = $2 }
      next
    }
    $1 == "deb" {
      i = 2
      if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
      if (i <= NF) print $i
    }
    END { flush() }
  ' "${files[@]}" | { grep -E '^https?://[^ ]+/debian/?$' || true; } | sed -n 1p
}

# --- 1. the chroot (created once, then reused) ---------------------------------------------------
chroot_ok() {
  [ -f "$MARK_SWIFT" ] || return 1
  mount_in_chroot /proc -t proc proc
  in_chroot swift --version >/dev/null 2>&1
}
if ! chroot_ok; then
  cleanup
  if [ ! -f "$MARK_BOOTSTRAP" ]; then
    MIRROR="$(debian_mirror)"
    [ -n "$MIRROR" ] || die "no Debian mirror found in /etc/apt/sources.list{,.d/*}; set BESIDE_DEBIAN_MIRROR"
    log "debootstrap $SUITE into $CHROOT from $MIRROR"
    [ -e "$CHROOT" ] && remove_chroot
    start=$(date +%s)
    debootstrap --variant=minbase "$SUITE" "$CHROOT" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
      || { tail -n 30 "$CACHE/debootstrap.log" >&2; die "debootstrap failed (log: $CACHE/debootstrap.log)"; }
    touch "$MARK_BOOTSTRAP"
    log "debootstrap done in $(( $(date +%s) - start )) s"
  fi
  log "apt-get install swiftlang libc6-dev (in the chroot)"
  start=$(date +%s)
  cp -L /etc/resolv.conf "$CHROOT/etc/resolv.conf"   # name resolution for apt in the chroot
  mount_in_chroot /proc -t proc proc
  in_chroot dpkg --configure -a   # finish an install that a killed earlier run left half done
  in_chroot apt-get update -qq
  in_chroot env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    swiftlang libc6-dev >"$CACHE/swift-apt.log" 2>&1 \
    || { tail -n 30 "$CACHE/swift-apt.log" >&2; die "apt-get install swiftlang failed (log: $CACHE/swift-apt.log)"; }
  in_chroot apt-get clean   # drop the ~0.5 GB of downloaded .debs
  in_chroot swift --version || die "swift does not run in the chroot"
  in_chroot swift --version >"$MARK_SWIFT" 2>&1
  log "swiftlang installed in $(( $(date +%s) - start )) s"
fi
log "chroot ready: $(head -n1 "$MARK_SWIFT")"

# --- 2. native library + generated Swift bindings ----------------------------------------------
log "cargo build -p $FFI_CRATE; cargo build -p $BINDGEN_CRATE"
cargo build --manifest-path "$ROOT/Cargo.toml" -p "$FFI_CRATE"
cargo build --manifest-path "$ROOT/Cargo.toml" -p "$BINDGEN_CRATE"   # separately: see crates/uniffi-bindgen
[ -f "$LIB" ] || die "$LIB was not built"
GEN="$(mktemp -d)"
trap 'cleanup; rm -rf "$GEN"' EXIT
"$BINDGEN" generate --library "$LIB" --language swift --no-format --out-dir "$GEN" >/dev/null
# One uniffi namespace per crate: the domain crates' types (beside_core, beside_needs, ...) and the
# engines (beside_ffi). All of them are compiled into the one Swift module $SWIFT_MODULE.
NAMESPACES=$(cd "$GEN" && ls ./*.swift | sed 's|^\./||; s|\.swift$||' | sort)
for ns in $NAMESPACE $NAMESPACES; do
  for f in "$ns.swift" "${ns}FFI.h"; do
    [ -f "$GEN/$f" ] || die "uniffi-bindgen did not write $f"
  done
done
[ "$(wc -w <<<"$NAMESPACES")" -ge 6 ] || die "expected the 6 namespaces (5 domain crates + $NAMESPACE), got: $NAMESPACES"

# --- 3. stage the package in the chroot and run swift test -------------------------------------
# STAGE mirrors what the package must look like; sync_tree copies only changed files into the
# chroot (keeping mtimes of unchanged ones, so SwiftPM rebuilds incrementally) and deletes the rest.
STAGE="$GEN/pkg"
mkdir -p "$STAGE/Sources/$FFI_MODULE" "$STAGE/Sources/$SWIFT_MODULE"
cp "$HERE/Package.swift" "$STAGE/"
cp -R "$HERE/Tests" "$STAGE/"
[ -d "$HERE/Sources" ] && cp -R "$HERE/Sources/." "$STAGE/Sources/"   # hand-written extras, if any
# Our own modulemap: SwiftPM's systemLibrary wants the name module.modulemap, and uniffi's
# (<ns>FFI.modulemap) neither links the library nor is Linux-clean (`use "Darwin"`). One file
# declares the C module of every namespace; the one SwiftPM names ($FFI_MODULE) links the library.
: >"$STAGE/Sources/$FFI_MODULE/module.modulemap"
for ns in $NAMESPACES; do
  cp "$GEN/${ns}FFI.h" "$STAGE/Sources/$FFI_MODULE/"
  cp "$GEN/$ns.swift" "$STAGE/Sources/$SWIFT_MODULE/"
  link=""; [ "$ns" = "$NAMESPACE" ] && link="link \"$LIB_NAME\""
  cat >>"$STAGE/Sources/$FFI_MODULE/module.modulemap" <<EOF
module ${ns}FFI {
    header "${ns}FFI.h"
    $link
    export *
}
EOF
done
mkdir -p "$STAGE.lib" && cp "$LIB" "$STAGE.lib/"

sync_tree() {  # sync_tree SRC DST [KEEP]: make DST equal SRC by content, leaving DST/KEEP alone
  local src="$1" dst="$2" keep="${3:-/nonexistent}" rel
  mkdir -p "$dst"
  ( cd "$src" && find . -type f ) | while IFS= read -r rel; do
    if ! cmp -s "$src/$rel" "$dst/$rel"; then
      mkdir -p "$(dirname "$dst/$rel")"
      cp "$src/$rel" "$dst/$rel"
    fi
  done
  ( cd "$dst" && find . -mindepth 1 -path "./$keep" -prune -o -print ) | while IFS= read -r rel; do
    [ -e "$src/$rel" ] || rm -rf "${dst:?}/$rel"
  done
}
sync_tree "$STAGE" "$CHROOT$PKG_IN" .build
sync_tree "$STAGE.lib" "$CHROOT$LIB_IN"

mount_in_chroot /proc -t proc proc
log "swift test (in the chroot, $PKG_IN)"
set +e
# --disable-swift-testing: the tests are XCTest; otherwise swift-testing closes the output with
# "Test run with 0 tests passed", which reads as "no test ran".
in_chroot sh -c "cd '$PKG_IN' && swift test --disable-swift-testing \
  -Xlinker -L'$LIB_IN' -Xlinker -rpath -Xlinker '$LIB_IN'" 2>&1 \
  | tee "$GEN/swift-test.log"
rc=${PIPESTATUS[0]}
set -e
[ "$rc" = 0 ] || die "swift test failed (exit $rc)"
# XCTest exits 0 when it finds no test at all: require at least one executed test.
passed=$(sed -n 's/^[[:space:]]*Executed \([0-9][0-9]*\) tests\{0,1\}, with 0 failures.*/\1/p' "$GEN/swift-test.log" | tail -n1)
[ "${passed:-0}" -gt 0 ] || die "swift test ran no XCTest test"
log "OK"
echo "swift: $passed passed, 0 failed"
