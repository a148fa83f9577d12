//! Batch assignment on synthetic caseloads at three sizes, to show how the cost grows:
//! 1,000 cases x 200 services, 10,000 x 2,000 and 100,000 x 20,000, each with 50 eligible
//! services per case (50,000, 500,000 and 5,000,000 pairs) and capacities 3 to 6 (about 9
//! places for every 10.5 needed). The 10,000 x 2,000 instance is
//! `synthetic::CaseloadSpec::benchmark()`.
//!
//! `cargo bench --bench assign` runs criterion at 1k and 10k (wall clock and thread CPU time;
//! `ASSIGN_SIZES=1k,10k,100k` adds the largest, whose ten samples take minutes; the comparison
//! script times it once beside OR-Tools). With `ASSIGN_COMPARE_OUT=<file>` set it instead writes
//! the instance of size `ASSIGN_COMPARE_SIZE` (`1k`, `10k` or `100k`; default `10k`) to `<file>`
//! for `benches/compare/ortools_mincostflow.py`, solves it `ASSIGN_COMPARE_RUNS` times
//! (default 5) and prints the optimum and the median times as one JSON line (see
//! `benches/compare/run_assign_comparison.sh`, which runs both and checks the optima agree).

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

#[path = "support/cpu.rs"]
mod cpu;

use beside::referral::assign::{solve, solve_with_stats, synthetic, AssignmentProblem};
use criterion::{Criterion, SamplingMode};
use std::hint::black_box;
use std::time::Duration;

/// The instance of a size: `1k`, `10k` or `100k` cases, a fifth as many services.
fn spec(size: &str) -> synthetic::CaseloadSpec {
    let cases = match size {
        "1k" => 1_000,
        "10k" => 10_000,
        "100k" => 100_000,
        other => panic!("unknown size `{other}`: use 1k, 10k or 100k"),
    };
    synthetic::CaseloadSpec {
        cases,
        services: cases / 5,
        ..synthetic::CaseloadSpec::benchmark()
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn compare(path: &str, problem: &AssignmentProblem) {
    std::fs::write(path, synthetic::to_instance_text(problem)).unwrap();
    let runs: usize = std::env::var("ASSIGN_COMPARE_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5)
        .max(1);
    let (mut wall, mut cpu, mut flow) = (Vec::new(), Vec::new(), Vec::new());
    let mut last = None;
    for _ in 0..runs {
        let start = std::time::Instant::now();
        let cpu_start = cpu_time::ThreadTime::now();
        let (a, stats) = solve_with_stats(problem).unwrap();
        cpu.push(cpu_start.elapsed().as_secs_f64() * 1000.0);
        wall.push(start.elapsed().as_secs_f64() * 1000.0);
        flow.push(stats.flow_micros as f64 / 1000.0);
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
        .map(|c| c.demand as i128 * max_cost.get(c.id.as_str()).copied().unwrap_or(0) as i128)
        .sum::<i128>()
        + 1;
    let combined = t.total_cost as i128
        - b * (t.priority_value as i128 * (units + 1) + t.units_placed as i128);
    println!(
        "{{\"solver\":\"beside\",\"cases\":{},\"services\":{},\"pairs\":{},\"priority_value\":{},\"units_placed\":{},\"total_cost\":{},\"combined_objective\":{},\"median_solve_ms\":{:.1},\"median_solve_cpu_ms\":{:.1},\"median_flow_ms\":{:.1},\"validate_ms\":{:.1},\"prepare_ms\":{:.1},\"output_ms\":{:.1},\"searches\":{},\"augmentations\":{},\"runs\":{}}}",
        problem.cases.len(),
        problem.services.len(),
        problem.eligible.len(),
        t.priority_value,
        t.units_placed,
        t.total_cost,
        combined,
        median(wall),
        median(cpu),
        median(flow),
        stats.validate_micros as f64 / 1000.0,
        stats.prepare_micros as f64 / 1000.0,
        stats.output_micros as f64 / 1000.0,
        stats.searches,
        stats.augmentations,
        runs,
    );
}

fn main() {
    if let Ok(path) = std::env::var("ASSIGN_COMPARE_OUT") {
        let size = std::env::var("ASSIGN_COMPARE_SIZE").unwrap_or_else(|_| "10k".to_owned());
        compare(&path, &synthetic::generate(&spec(&size)));
        return;
    }
    let sizes = std::env::var("ASSIGN_SIZES").unwrap_or_else(|_| "1k,10k".to_owned());
    let mut c = Criterion::default().configure_from_args();
    for size in sizes.split(',') {
        let s = spec(size);
        let problem = synthetic::generate(&s);
        let mut g = c.benchmark_group(format!(
            "assign_{}x{}x{}",
            s.cases, s.services, s.eligible_per_case
        ));
        // One solve takes from milliseconds to seconds: ten samples of equal size.
        g.sample_size(10).sampling_mode(SamplingMode::Flat);
        if size == "100k" {
            g.warm_up_time(Duration::from_millis(1));
        }
        g.bench_function("solve", |b| b.iter(|| solve(black_box(&problem)).unwrap()));
        g.bench_function("solve (thread CPU time)", |b| {
            cpu::iter_cpu(b, || solve(black_box(&problem)).unwrap())
        });
        g.finish();
    }
    c.final_summary();
}
