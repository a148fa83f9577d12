#!/usr/bin/env bash
# Batch assignment, Beside vs OR-Tools SimpleMinCostFlow, on the same generated instance, in
# one command:
#   benches/compare/run_assign_comparison.sh [1k|10k|100k|all]    (default: 10k)
# sizes: 1k = 1,000 cases x 200 services, 10k = 10,000 x 2,000, 100k = 100,000 x 20,000, each
# with 50 eligible services per case. For each size:
#   1. the Rust bench binary writes the instance and solves it (median of RUNS solves);
#   2. OR-Tools solves the same file (median of RUNS solves, graph building not timed);
#   3. the optima must be identical (priority value, places filled, total cost).
# RUNS defaults to 5 (1 at 100k). Needs `pip install ortools`. The instances go to target/ (or
# $INSTANCE_DIR); they are not committed.
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZE="${1:-10k}"
case "$SIZE" in
    all) SIZES="1k 10k 100k" ;;
    1k|10k|100k) SIZES="$SIZE" ;;
    *) echo "usage: $0 [1k|10k|100k|all]" >&2; exit 2 ;;
esac
TARGET="${CARGO_TARGET_DIR:-target}"
INSTANCE_DIR="${INSTANCE_DIR:-$TARGET}"
mkdir -p "$INSTANCE_DIR"
cargo bench --quiet --bench assign --no-run 2>/dev/null

status=0
for size in $SIZES; do
    if [ "$size" = 100k ]; then runs="${RUNS:-1}"; else runs="${RUNS:-5}"; fi
    instance="$INSTANCE_DIR/assign-$size.txt"
    echo "== $size (median of $runs; load average: $(cut -d' ' -f1-3 /proc/loadavg))"
    beside=$(ASSIGN_COMPARE_OUT="$instance" ASSIGN_COMPARE_SIZE="$size" ASSIGN_COMPARE_RUNS="$runs" \
        cargo bench --quiet --bench assign 2>/dev/null | tail -n 1)
    ortools=$(python3 benches/compare/ortools_mincostflow.py "$instance" --runs "$runs")
    echo "beside : $beside"
    echo "ortools: $ortools"
    python3 - "$beside" "$ortools" <<'PY' || status=1
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
keys = ["priority_value", "units_placed", "total_cost", "combined_objective"]
same = all(a[k] == b[k] for k in keys)
for k in keys:
    print(f"  {k:20} beside {a[k]:>22}  ortools {b[k]:>22}  {'=' if a[k] == b[k] else 'DIFFERENT'}")
print(f"  solve time (median)  beside {a['median_solve_ms']} ms end to end, {a['median_solve_cpu_ms']} ms "
      f"thread CPU ({a['median_flow_ms']} ms in the flow solver); ortools {b['median_solve_ms']} ms in "
      f"solve(), {b['median_solve_cpu_ms']} ms thread CPU")
print(f"  ratio ortools / beside: {b['median_solve_ms'] / a['median_solve_ms']:.2f}x end to end, "
      f"{b['median_solve_cpu_ms'] / a['median_solve_cpu_ms']:.2f}x thread CPU, "
      f"{b['median_solve_ms'] / a['median_flow_ms']:.2f}x flow solver only")
if not same:
    sys.exit("optimal objectives differ")
print("optimal objectives identical")
PY
done
exit $status
