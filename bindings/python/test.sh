#!/usr/bin/env bash
# bindings/python/test.sh: build the Python package of the uniffi FFI crate and run its tests.
#
# What it does, on a fresh machine as on a warm one (idempotent):
#   1. creates (or reuses) a venv under $BESIDE_CACHE/python-venv and installs maturin + pytest
#      from PyPI into it;
#   2. `pip install`s bindings/python (pyproject.toml, maturin backend with bindings = "uniffi"):
#      maturin builds the cdylib, runs the workspace's own `uniffi-bindgen` binary on it
#      (library mode, so versions always match) and installs package `$PY_PACKAGE` holding the
#      generated module + lib$LIB_NAME.so;
#   3. runs pytest on bindings/python/tests (no tests collected = failure) and the overhead bench.
#
# Needs: cargo, python3 (>= 3.9, with the venv module). Network: PyPI and crates.io only.
# Env:   BESIDE_CACHE      cache root (default ~/.cache/beside)
#        BESIDE_PROFILE    cargo profile for the wheel (default dev; use release for real wheels)
#        CARGO_TARGET_DIR  (default <repo>/target)
#        BESIDE_BENCH_N    calls in the micro-benchmark (default 20000; 0 skips it)
set -euo pipefail

# ---- project-specific names (adapt when copying) -------------------------------------------
FFI_CRATE=beside-ffi      # cargo package name of the FFI crate (pyproject manifest-path points at it)
LIB_NAME=beside_ffi       # [lib] name => lib$LIB_NAME.so
PY_PACKAGE=beside         # import name = [tool.maturin] module-name in pyproject.toml
MATURIN_VERSION=1.16.0    # pinned: maturin's uniffi glue changes between releases
PYTEST_VERSION=8.3.5
JSONSCHEMA_VERSION=4.23.0 # validates the JSON answers against schemas/ in tests
# beside.research's tests: the three table libraries a researcher brings (the wheel needs none).
PYARROW_VERSION=26.0.1
PANDAS_VERSION=3.1.1
POLARS_VERSION=2.1.0
PYSPARK_VERSION=4.3.0     # the Spark test (local[2], on the machine's JDK 17)
MATPLOTLIB_VERSION=3.11.2 # the analyses under examples/research/ draw their pictures with it
# ----------------------------------------------------------------------------------------------

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CACHE="${BESIDE_CACHE:-$HOME/.cache/beside}"
VENV="$CACHE/python-venv"
PROFILE="${BESIDE_PROFILE:-dev}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export PIP_DISABLE_PIP_VERSION_CHECK=1

log() { printf '\n== [python] %s\n' "$*" >&2; }
die() { printf '\nERROR [python]: %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' not found on PATH ($2)"; }

need cargo "install Rust with rustup"
need python3 "install Python 3.9+"
need java "pyspark's local mode (tests/test_spark.py) runs on a JDK 17"
python3 -c 'import sys; sys.exit(sys.version_info < (3, 9))' || die "python3 >= 3.9 required"

# --- 1. venv with maturin + pytest ---------------------------------------------------------
make_venv() { rm -rf "$VENV" && mkdir -p "$CACHE" && python3 -m venv "$VENV" >/dev/null 2>&1; }
# (Re)create the venv if it is missing, broken, or made by another python3 (e.g. after an upgrade).
if ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1 \
   || [ "$("$VENV/bin/python" -c 'import sys; print(sys.version)')" != "$(python3 -c 'import sys; print(sys.version)')" ]; then
  log "creating venv $VENV"
  if ! make_venv; then
    # Debian's system python ships venv/ensurepip separately, in python3-venv.
    [ "$(id -u)" = 0 ] || die "python3 -m venv failed; install python3-venv"
    log "python3 -m venv failed: apt-get install python3-venv"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    make_venv || die "python3 -m venv $VENV failed"
  fi
fi
PY="$VENV/bin/python"
# maturin's PEP 517 hooks call the `maturin` executable by name: the venv's bin must be on PATH.
export PATH="$VENV/bin:$PATH"
log "installing maturin==$MATURIN_VERSION pytest==$PYTEST_VERSION jsonschema==$JSONSCHEMA_VERSION pyarrow==$PYARROW_VERSION pandas==$PANDAS_VERSION polars==$POLARS_VERSION pyspark==$PYSPARK_VERSION matplotlib==$MATPLOTLIB_VERSION into the venv"
"$PY" -m pip install -q "maturin==$MATURIN_VERSION" "pytest==$PYTEST_VERSION" "jsonschema==$JSONSCHEMA_VERSION" \
  "pyarrow==$PYARROW_VERSION" "pandas==$PANDAS_VERSION" "polars==$POLARS_VERSION" \
  "pyspark==$PYSPARK_VERSION" "matplotlib==$MATPLOTLIB_VERSION"

# --- 2. build + install the package ------------------------------------------------------------
# --no-build-isolation: use the venv's pinned maturin instead of fetching one per build.
# MATURIN_PEP517_ARGS: pip's build goes through maturin's PEP 517 hooks, which build a release
# wheel by default; the tests use the dev profile so they share cargo's debug artifacts with the
# Kotlin and Swift scripts (set BESIDE_PROFILE=release to test the optimised wheel).
log "pip install $HERE (maturin, cargo profile $PROFILE, crate $FFI_CRATE)"
start=$(date +%s)
MATURIN_PEP517_ARGS="--profile $PROFILE" \
  "$PY" -m pip install -q --no-build-isolation --no-deps --force-reinstall "$HERE"
log "wheel built and installed in $(( $(date +%s) - start )) s"

# Sanity check that the installed package (not a source folder) carries the library.
( cd / && "$PY" - "$PY_PACKAGE" "$LIB_NAME" <<'EOF'
import importlib, pathlib, sys
pkg = importlib.import_module(sys.argv[1])
# Mixed layout: the generated modules and the library are in the subpackage `beside.beside`.
lib = pathlib.Path(pkg.__file__).parent / sys.argv[1] / f"lib{sys.argv[2]}.so"
research = pathlib.Path(pkg.__file__).parent / "research.py"
assert research.is_file(), f"{research} missing from the installed package"
assert lib.is_file(), f"{lib} missing from the installed package"
print(f"installed {pkg.__name__} from {pathlib.Path(pkg.__file__).parent}")
EOF
)

# --- 3. tests ----------------------------------------------------------------------------------
log "pytest $HERE/tests"
set +e
# -p no:cacheprovider keeps .pytest_cache out of the repo; --import-mode=importlib avoids
# putting tests/ on sys.path. Run from tests/ so `import beside` can only hit the installed package.
PYTEST_LOG="$(mktemp)"
trap 'rm -f "$PYTEST_LOG"' EXIT
( cd "$HERE/tests" && "$PY" -m pytest -p no:cacheprovider --import-mode=importlib -q "$HERE/tests" ) \
  | tee "$PYTEST_LOG"
rc=${PIPESTATUS[0]}
set -e
case $rc in
  0) ;;
  5) die "pytest collected no tests in $HERE/tests (exit 5)" ;;
  *) die "pytest failed (exit $rc)" ;;
esac

# --- 4. FFI overhead micro-benchmark (prints only) ---------------------------------------------
if [ "${BESIDE_BENCH_N:-20000}" != 0 ]; then
  ( cd "$HERE/tests" && "$PY" "$HERE/bench.py" "${BESIDE_BENCH_N:-20000}" )
fi
log "OK"
# Plain closing line ("N passed, N failed"), read by CI even when other output follows pytest's.
passed=$(grep -Eo '[0-9]+ passed' "$PYTEST_LOG" | tail -n1 | cut -d' ' -f1)
echo "python: ${passed:?no pytest count found} passed, 0 failed"
