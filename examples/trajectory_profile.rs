//! Runs the benchmark's 20-assessment trajectory (or a cohort summary) many times, for
//! instruction counts under callgrind:
//!
//! `valgrind --tool=callgrind --toggle-collect='*ReintegrationModel*trajectory*' \
//!   target/release/examples/trajectory_profile 10000`
//!
//! (per call = total / 10000), or `trajectory_profile cohort 100000` with
//! `--toggle-collect='*CohortSummary*from_cases*'`.

use beside::core::CaseId;
use beside::reintegration::{
    synthetic, CohortCase, CohortConfig, CohortSummary, ReintegrationModel,
};
use chrono::{TimeZone, Utc};
use std::hint::black_box;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("cohort") {
        let n = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
        let cases: Vec<CohortCase> = synthetic::cohort(n, 7).collect();
        let s = CohortSummary::from_cases(black_box(&cases), &CohortConfig::default());
        println!("cohort of {n}: ok = {}", s.is_ok());
        return;
    }
    let n: usize = args.first().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let (Ok(case), Some(start), Some(now)) = (
        CaseId::new("case-bench"),
        Utc.with_ymd_and_hms(2024, 1, 1, 9, 0, 0).single(),
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single(),
    ) else {
        return;
    };
    let assessments = synthetic::assessments(&case, 20, start, 42);
    let model = ReintegrationModel::default();
    let mut ok = 0usize;
    for _ in 0..n {
        let t = model.trajectory(black_box(&assessments), &[], None, now);
        ok += usize::from(black_box(t.is_ok()));
    }
    println!("{ok} of {n} trajectories");
}
