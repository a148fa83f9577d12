//! Reintegration benchmarks: a 20-assessment trajectory (target: at most 5 µs median) and a
//! cohort summary of 1,000,000 cases (target: at most 1 s on one core).
//!
//! `cargo bench --bench reintegration`

#[path = "support/cpu.rs"]
mod cpu;

use beside::core::CaseId;
use beside::reintegration::{
    synthetic, CohortCase, CohortConfig, CohortCounts, CohortSummary, ReintegrationModel,
};
use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn trajectory(c: &mut Criterion) {
    let Ok(case) = CaseId::new("case-bench") else {
        return;
    };
    let Some(start) = Utc.with_ymd_and_hms(2024, 1, 1, 9, 0, 0).single() else {
        return;
    };
    let Some(now) = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single() else {
        return;
    };
    let assessments = synthetic::assessments(&case, 20, start, 42);
    let model = ReintegrationModel::default();
    c.bench_function("trajectory/20_assessments", |b| {
        b.iter(|| {
            let t = model.trajectory(black_box(&assessments), &[], None, now);
            black_box(t.is_ok())
        })
    });
    c.bench_function("trajectory/20_assessments (thread CPU time)", |b| {
        cpu::iter_cpu(b, || {
            model
                .trajectory(black_box(&assessments), &[], None, now)
                .is_ok()
        })
    });
}

fn cohort(c: &mut Criterion) {
    let cases: Vec<CohortCase> = synthetic::cohort(1_000_000, 7).collect();
    let config = CohortConfig::default();
    let mut group = c.benchmark_group("cohort");
    group.sample_size(20);
    group.bench_function("summary/1_000_000_cases", |b| {
        b.iter(|| {
            let s = CohortSummary::from_cases(black_box(&cases), &config);
            black_box(s.map(|s| s.suppressed_cells).unwrap_or(0))
        })
    });
    group.bench_function("count_only/1_000_000_cases", |b| {
        b.iter(|| black_box(CohortCounts::from_cases(black_box(&cases)).total))
    });
    group.finish();
}

criterion_group!(benches, trajectory, cohort);
criterion_main!(benches);
