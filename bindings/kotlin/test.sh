#!/usr/bin/env bash
# bindings/kotlin/test.sh: build the Kotlin/JVM bindings of the uniffi FFI crate and test them.
#
# What it does, on a fresh machine as on a warm one (idempotent):
#   1. makes sure a JDK (>= 17) and Maven are there (apt-get installs them when missing, as root);
#   2. builds the cdylib and, separately, the workspace's uniffi-bindgen binary with cargo;
#   3. runs `mvn clean verify` on bindings/kotlin/pom.xml, which generates the Kotlin code from
#      the built library, compiles it (kotlin-maven-plugin), copies lib$LIB_NAME.so into the
#      classes under JNA's resource prefix (linux-x86-64/...), runs the JUnit 5 tests (surefire,
#      incl. the overhead micro-benchmark that prints ns/call), packages the jar and runs a smoke
#      test against the jar (failsafe);
#   4. checks that the jar holds the generated classes and the native library.
#
# Needs: cargo; a JDK >= 17 and Maven 3.6.3+ (installed from Debian when missing).
# Network: crates.io, Maven Central (and Debian's mirror only if the JDK/Maven are missing).
# Env:   BESIDE_CACHE      cache root (default ~/.cache/beside); Maven's local repo goes in
#                          $BESIDE_CACHE/m2 unless BESIDE_M2_REPO says otherwise
#        CARGO_TARGET_DIR  (default <repo>/target)
#        BESIDE_BENCH_N    calls in the micro-benchmark (default 20000; 0 skips it)
#        BESIDE_PROFILE    cargo profile of the library (default dev; release for real figures)
set -euo pipefail

# ---- project-specific names (adapt when copying) -------------------------------------------
FFI_CRATE=beside-ffi        # cargo package name of the FFI crate
BINDGEN_CRATE=uniffi-bindgen # cargo package holding `fn main() { uniffi::uniffi_bindgen_main() }`
LIB_NAME=beside_ffi         # [lib] name => lib$LIB_NAME.so
NAMESPACE=beside_ffi        # uniffi namespace => Kotlin package uniffi.$NAMESPACE
# ----------------------------------------------------------------------------------------------

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CACHE="${BESIDE_CACHE:-$HOME/.cache/beside}"
M2_REPO="${BESIDE_M2_REPO:-$CACHE/m2}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
PROFILE="${BESIDE_PROFILE:-dev}"
case "$PROFILE" in dev) PROFILE_DIR=debug ;; *) PROFILE_DIR="$PROFILE" ;; esac
LIB="$CARGO_TARGET_DIR/$PROFILE_DIR/lib$LIB_NAME.so"
BINDGEN="$CARGO_TARGET_DIR/debug/uniffi-bindgen"

log() { printf '\n== [kotlin] %s\n' "$*" >&2; }
die() { printf '\nERROR [kotlin]: %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' not found on PATH ($2)"; }

apt_install() {
  [ "$(id -u)" = 0 ] || die "missing $*; install it (needs root for apt-get)"
  log "apt-get install $*"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# --- 1. toolchain ------------------------------------------------------------------------------
need cargo "install Rust with rustup"
java_major() {  # "17", "21", ... ("1.8" -> 8)
  java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \(1\.\)\{0,1\}\([0-9]*\).*/\2/p'
}
if ! command -v javac >/dev/null 2>&1 || ! command -v java >/dev/null 2>&1 || [ "$(java_major)" -lt 17 ]; then
  apt_install openjdk-17-jdk-headless
fi
command -v mvn >/dev/null 2>&1 || apt_install maven
need javac "a JDK >= 17"
need mvn "Maven"
[ "$(java_major)" -ge 17 ] || die "java >= 17 required (found $(java_major))"

# JNA looks for bundled libraries under com.sun.jna.Platform.RESOURCE_PREFIX.
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) JNA_PREFIX=linux-x86-64 ;;
  Linux-aarch64) JNA_PREFIX=linux-aarch64 ;;
  *) die "unsupported platform $(uname -s)-$(uname -m): add its JNA resource prefix here" ;;
esac

# --- 2. native library + bindgen (two separate cargo builds: see crates/uniffi-bindgen) ---------
log "cargo build -p $FFI_CRATE --profile $PROFILE"
cargo build --manifest-path "$ROOT/Cargo.toml" -p "$FFI_CRATE" --profile "$PROFILE"
log "cargo build -p $BINDGEN_CRATE"
cargo build --manifest-path "$ROOT/Cargo.toml" -p "$BINDGEN_CRATE"
[ -f "$LIB" ] || die "$LIB was not built"
[ -x "$BINDGEN" ] || die "$BINDGEN was not built"

# --- 3. Maven: generate, compile, test, package, test the jar -----------------------------------
# No -q: surefire's "Tests run: N, Failures: ..." summary must stay visible.
log "mvn clean verify (local repo $M2_REPO)"
mkdir -p "$M2_REPO"
# C1-only JIT for Maven's own JVM (where kotlinc runs): halves the build on 2 cores
# (measured 157-173 s -> 75-82 s on a loaded machine). Surefire's forked test JVM is unaffected.
# C1-only also shrinks the JIT code cache to 48 MB by default, and kotlinc once filled it
# ("VirtualMachineError: Out of space in CodeCache for adapters"), so it is set to 256 MB.
export MAVEN_OPTS="-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=256m ${MAVEN_OPTS:-}"
MVN_LOG="$(mktemp)"
trap 'rm -f "$MVN_LOG"' EXIT
set +e
mvn -B -ntp -Dstyle.color=never \
  -f "$HERE/pom.xml" \
  -Dmaven.repo.local="$M2_REPO" \
  -Dbeside.lib.name="$LIB_NAME" \
  -Dbeside.cargo.target.dir="$CARGO_TARGET_DIR" \
  -Dbeside.cargo.profile.dir="$PROFILE_DIR" \
  -Dbeside.bindgen="$BINDGEN" \
  -Djna.resource.prefix="$JNA_PREFIX" \
  -Dbeside.bench.n="${BESIDE_BENCH_N:-20000}" \
  clean verify 2>&1 | tee "$MVN_LOG"
rc=${PIPESTATUS[0]}
set -e
[ "$rc" = 0 ] || die "mvn verify failed (exit $rc)"

# --- 4. the jar must carry the bindings and the library ----------------------------------------
JAR=$(ls "$HERE"/target/*.jar 2>/dev/null | head -n1)
[ -n "$JAR" ] || die "no jar in $HERE/target"
listing=$(jar tf "$JAR")
grep -qx "$JNA_PREFIX/lib$LIB_NAME.so" <<<"$listing" || die "$JAR lacks $JNA_PREFIX/lib$LIB_NAME.so"
grep -q "^uniffi/$NAMESPACE/.*\.class$" <<<"$listing" || die "$JAR lacks the uniffi/$NAMESPACE classes"
log "OK: $JAR"
# Surefire's and failsafe's totals ("Tests run: N, Failures: 0, Errors: 0, Skipped: S" without
# "-- in <class>"), summed into one plain closing line for CI.
passed=$(sed -n 's/^\[INFO\] Tests run: \([0-9]*\), Failures: 0, Errors: 0, Skipped: \([0-9]*\)$/\1 \2/p' "$MVN_LOG" \
  | awk '{ n += $1 - $2 } END { print n + 0 }')
[ "$passed" -gt 0 ] || die "no JUnit test ran"
echo "kotlin: $passed passed, 0 failed"
