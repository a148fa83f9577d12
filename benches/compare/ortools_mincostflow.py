#!/usr/bin/env python3
"""Solve a `beside-assign-v1` instance with OR-Tools' SimpleMinCostFlow and print the optimum.

The instance is written by `ASSIGN_COMPARE_OUT=<file> cargo bench --bench assign` (see
`beside_referral::assign::synthetic::to_instance_text`). The model is the one the Rust solver
documents, so the optima must be identical:

    source -> case k   capacity demand(k), cost -reward(k)
    case k -> service  capacity demand(k), cost: the pair's cost
    service -> sink    capacity: the service's capacity, cost 0
    source -> sink     capacity U (places left unfilled), cost 0
    supply U at source, demand U at sink

with U the places demanded, B = sum_k demand(k) * max cost of k's pairs + 1 and
reward(k) = (weight(k) * (U + 1) + 1) * B: lexicographically, maximise the priority value, then
the places filled, then minimise cost.

Only `SimpleMinCostFlow.solve()` is timed (building the graph is not), by the wall clock and by
this thread's CPU time; the medians of `--runs` solves on freshly built graphs are reported.
Prints one JSON line.

Usage: python3 ortools_mincostflow.py <instance file> [--runs N]
Needs `pip install ortools` (not part of the normal test suite).
"""

import argparse
import json
import statistics
import sys
import time

import numpy as np
from ortools.graph.python import min_cost_flow


def read_instance(path):
    with open(path, encoding="ascii") as f:
        header = f.readline().split()
        if len(header) != 4 or header[0] != "beside-assign-v1":
            sys.exit(f"{path}: not a beside-assign-v1 instance")
        n, m, k = (int(x) for x in header[1:])
        data = np.fromstring(f.read(), dtype=np.int64, sep=" ")
    need = 2 * n + m + 3 * k
    if data.size != need:
        sys.exit(f"{path}: expected {need} numbers after the header, got {data.size}")
    cases = data[: 2 * n].reshape(n, 2)
    caps = data[2 * n : 2 * n + m]
    arcs = data[2 * n + m :].reshape(k, 3)
    return cases[:, 0], cases[:, 1], caps, arcs[:, 0], arcs[:, 1], arcs[:, 2]


def build(weight, demand, caps, arc_case, arc_service, arc_cost):
    n, m = len(weight), len(caps)
    units = int(demand.sum())
    max_cost = np.zeros(n, dtype=np.int64)
    np.maximum.at(max_cost, arc_case, arc_cost)
    b = int((demand * max_cost).sum()) + 1
    reward = (weight * (units + 1) + 1) * b
    source, sink = 0, n + m + 1
    case_node = np.arange(1, n + 1, dtype=np.int64)
    service_node = np.arange(n + 1, n + m + 1, dtype=np.int64)
    tails = np.concatenate(
        [np.zeros(n, dtype=np.int64), case_node[arc_case], service_node, [source]]
    )
    heads = np.concatenate(
        [case_node, service_node[arc_service], np.full(m, sink, dtype=np.int64), [sink]]
    )
    capacities = np.concatenate([demand, demand[arc_case], caps, [units]])
    costs = np.concatenate([-reward, arc_cost, np.zeros(m, dtype=np.int64), [0]])
    smcf = min_cost_flow.SimpleMinCostFlow()
    all_arcs = smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    smcf.set_nodes_supplies(np.array([source, sink]), np.array([units, -units]))
    first_pair, last_pair = n, n + len(arc_case)
    return smcf, all_arcs, first_pair, last_pair, b, units


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("instance")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    weight, demand, caps, arc_case, arc_service, arc_cost = read_instance(args.instance)
    times = []
    cpu_times = []
    result = None
    for _ in range(max(1, args.runs)):
        smcf, all_arcs, lo, hi, b, units = build(
            weight, demand, caps, arc_case, arc_service, arc_cost
        )
        start = time.perf_counter()
        cpu_start = time.thread_time()
        status = smcf.solve()
        cpu_times.append(time.thread_time() - cpu_start)
        times.append(time.perf_counter() - start)
        if status != smcf.OPTIMAL:
            sys.exit(f"OR-Tools status {status}, not OPTIMAL")
        result = (smcf, all_arcs, lo, hi, b, units)
    smcf, all_arcs, lo, hi, b, units = result
    flows = smcf.flows(all_arcs[lo:hi])
    units_placed = int(flows.sum())
    priority_value = int((flows * weight[arc_case]).sum())
    total_cost = int((flows * arc_cost).sum())
    combined = total_cost - b * (priority_value * (units + 1) + units_placed)
    if combined != smcf.optimal_cost():
        sys.exit(f"decoded objective {combined} != OR-Tools optimal_cost {smcf.optimal_cost()}")
    print(
        json.dumps(
            {
                "solver": "ortools.SimpleMinCostFlow",
                "priority_value": priority_value,
                "units_placed": units_placed,
                "total_cost": total_cost,
                "combined_objective": combined,
                "median_solve_ms": round(statistics.median(times) * 1000, 1),
                "median_solve_cpu_ms": round(statistics.median(cpu_times) * 1000, 1),
                "runs": len(times),
            }
        )
    )


if __name__ == "__main__":
    main()
