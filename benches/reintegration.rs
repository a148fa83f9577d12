//! Reintegration benchmarks: a 20-assessment trajectory (target: at most 20 µs) and a cohort
//! summary of 1,000,000 cases (target: at most 0.5 s on one core), each also timed by the
//! benchmark thread's CPU time. The cohort prints the process's resident memory (`VmRSS`, and
//! its peak `VmHWM`, from `/proc/self/status`, whole process, nothing subtracted) once the
//! cases are built and again after summarising them, beside the size of the input.
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

/// A line of `/proc/self/status` (`VmRSS:`, `VmHWM:`), in kB; 0 where there is none.
fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse().ok())
        })
        .unwrap_or(0)
}

/// Print the process's resident memory and its peak so far, after `step`.
fn memory(step: &str) {
    let mb = |kb: u64| kb as f64 * 1024.0 / 1e6;
    println!(
        "memory {step}: resident {:.1} MB, peak {:.1} MB (whole process)",
        mb(status_kb("VmRSS:")),
        mb(status_kb("VmHWM:"))
    );
}

fn cohort(c: &mut Criterion) {
    let cases: Vec<CohortCase> = synthetic::cohort(1_000_000, 7).collect();
    println!(
        "cohort input: {} cases of {} bytes, {:.1} MB",
        cases.len(),
        std::mem::size_of::<CohortCase>(),
        (cases.len() * std::mem::size_of::<CohortCase>()) as f64 / 1e6
    );
    memory("with the 1,000,000 cases built");
    let config = CohortConfig::default();
    let summary = CohortSummary::from_cases(&cases, &config);
    memory("after one summary");
    let Ok(summary) = summary else {
        return;
    };
    println!(
        "cohort summary: {} cells suppressed",
        summary.suppressed_cells
    );
    let mut group = c.benchmark_group("cohort");
    group.sample_size(20);
    group.bench_function("summary/1_000_000_cases", |b| {
        b.iter(|| {
            let s = CohortSummary::from_cases(black_box(&cases), &config);
            black_box(s.map(|s| s.suppressed_cells).ok())
        })
    });
    group.bench_function("summary/1_000_000_cases (thread CPU time)", |b| {
        cpu::iter_cpu(b, || {
            CohortSummary::from_cases(black_box(&cases), &config)
                .map(|s| s.suppressed_cells)
                .ok()
        })
    });
    group.bench_function("count_only/1_000_000_cases", |b| {
        b.iter(|| black_box(CohortCounts::from_cases(black_box(&cases)).total))
    });
    group.finish();
    memory("after the cohort benchmarks");
}

criterion_group!(benches, trajectory, cohort);
criterion_main!(benches);
