//! Batch assignment on the synthetic benchmark instance: 10,000 cases x 2,000 services, 50
//! eligible services per case (500,000 pairs), capacities 3 to 6.
//!
//! `cargo bench --bench assign` runs criterion. With `ASSIGN_COMPARE_OUT=<file>` set it instead
//! writes the instance to `<file>` for `benches/compare/ortools_mincostflow.py`, solves it
//! `ASSIGN_COMPARE_RUNS` times (default 5) and prints the objective and the median times as one
//! JSON line (see `benches/compare/run_assign_comparison.sh`).

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use beside::referral::assign::{solve, solve_with_stats, synthetic, AssignmentProblem};
use beside::Validate;
use criterion::Criterion;
use std::hint::black_box;

fn median(mut v: Vec<u64>) -> u64 {
    v.sort_unstable();
    v[v.len() / 2]
}

fn compare(path: &str, problem: &AssignmentProblem) {
    std::fs::write(path, synthetic::to_instance_text(problem)).unwrap();
    let runs: usize = std::env::var("ASSIGN_COMPARE_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5)
        .max(1);
    let mut total = Vec::new();
    let mut flow = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let start = std::time::Instant::now();
        let (a, stats) = solve_with_stats(problem).unwrap();
        total.push(start.elapsed().as_micros() as u64);
        flow.push(stats.flow_micros);
        last = Some((a, stats));
    }
    let (a, stats) = last.unwrap();
    let t = &a.totals;
    // The combined objective the module documents, as OR-Tools minimises it.
    let units = t.units_demanded as i128;
    let mut max_cost = std::collections::HashMap::new();
    for e in &problem.eligible {
        let m = max_cost.entry(e.case.as_str()).or_insert(0i64);
        *m = (*m).max(e.cost);
    }
    let b: i128 = problem
        .cases
        .iter()
        .map(|c| c.demand as i128 * *max_cost.get(c.id.as_str()).unwrap_or(&0) as i128)
        .sum::<i128>()
        + 1;
    let combined = t.total_cost as i128
        - b * (t.priority_value as i128 * (units + 1) + t.units_placed as i128);
    println!(
        "{{\"solver\":\"beside\",\"priority_value\":{},\"units_placed\":{},\"total_cost\":{},\"combined_objective\":{},\"median_solve_ms\":{:.1},\"median_flow_ms\":{:.1},\"validate_ms\":{:.1},\"prepare_ms\":{:.1},\"output_ms\":{:.1},\"searches\":{},\"augmentations\":{},\"runs\":{}}}",
        t.priority_value,
        t.units_placed,
        t.total_cost,
        combined,
        median(total) as f64 / 1000.0,
        median(flow) as f64 / 1000.0,
        stats.validate_micros as f64 / 1000.0,
        stats.prepare_micros as f64 / 1000.0,
        stats.output_micros as f64 / 1000.0,
        stats.searches,
        stats.augmentations,
        runs,
    );
}

fn main() {
    let problem = synthetic::generate(&synthetic::CaseloadSpec::benchmark());
    if let Ok(path) = std::env::var("ASSIGN_COMPARE_OUT") {
        compare(&path, &problem);
        return;
    }
    let mut c = Criterion::default().sample_size(10).configure_from_args();
    let mut g = c.benchmark_group("assign_10000x2000x50");
    g.bench_function("solve", |b| b.iter(|| solve(black_box(&problem)).unwrap()));
    g.bench_function("validate_only", |b| {
        b.iter(|| black_box(&problem).validate().unwrap())
    });
    g.finish();
    c.final_summary();
}
