#!/usr/bin/env bash
# Batch assignment, Beside vs OR-Tools SimpleMinCostFlow, on the same generated instance
# (10,000 cases x 2,000 services x 50 eligible per case), in one run:
#   1. the Rust bench binary writes the instance and solves it (median of RUNS solves);
#   2. OR-Tools solves the same file (median of RUNS solves, graph building not timed);
#   3. the optima must be identical (priority value, places filled, total cost).
# Needs `pip install ortools`. The instance goes to target/ (or $INSTANCE); it is not committed.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${RUNS:-5}"
TARGET="${CARGO_TARGET_DIR:-target}"
INSTANCE="${INSTANCE:-$TARGET/assign-10000x2000x50.txt}"
mkdir -p "$(dirname "$INSTANCE")"

beside=$(ASSIGN_COMPARE_OUT="$INSTANCE" ASSIGN_COMPARE_RUNS="$RUNS" \
    cargo bench --quiet --bench assign 2>/dev/null | tail -n 1)
ortools=$(python3 benches/compare/ortools_mincostflow.py "$INSTANCE" --runs "$RUNS")
echo "beside : $beside"
echo "ortools: $ortools"

python3 - "$beside" "$ortools" <<'EOF'
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
keys = ["priority_value", "units_placed", "total_cost", "combined_objective"]
same = all(a[k] == b[k] for k in keys)
for k in keys:
    print(f"  {k:20} beside {a[k]:>22}  ortools {b[k]:>22}  {'=' if a[k] == b[k] else 'DIFFERENT'}")
print(f"  solve time (median)  beside {a['median_solve_ms']} ms end to end "
      f"({a['median_flow_ms']} ms in the flow solver), ortools {b['median_solve_ms']} ms in solve()")
print(f"  ratio ortools / beside: {b['median_solve_ms'] / a['median_solve_ms']:.2f}x end to end, "
      f"{b['median_solve_ms'] / a['median_flow_ms']:.2f}x flow solver only")
if not same:
    sys.exit("optimal objectives differ")
print("optimal objectives identical")
EOF
