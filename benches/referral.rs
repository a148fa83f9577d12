//! Referral matching at scale: top-10 providers for one case with 5 needs over a synthetic
//! directory of 100,000 services; how that cost grows at 1,000, 10,000, 100,000 and 1,000,000
//! services; with `--features compare-sqlite`, the same top-10 asked of SQLite (R*Tree plus
//! indexes) at 100,000 services and beside Beside's at 1,000 to 100,000, each checked to agree
//! with Beside's before it is timed.
//!
//! `cargo bench --bench referral` (add `--features compare-sqlite` for the comparison).

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::disallowed_methods,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use beside::referral::matching::{ConsentNotChecked, MatchConfig, MatchIndex};
use beside::referral::synthetic;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;
use std::time::Duration;

#[path = "support/cpu.rs"]
mod cpu;
#[path = "support/match_request.rs"]
mod match_request;

use match_request::request;

pub const SERVICES: usize = 100_000;

/// Directory sizes for the growth of a query's cost; SQLite is timed beside Beside up to
/// [`SQLITE_UP_TO`].
const SIZES: [usize; 4] = [1_000, 10_000, 100_000, 1_000_000];
#[cfg(feature = "compare-sqlite")]
const SQLITE_UP_TO: usize = 100_000;

fn bench(c: &mut Criterion) {
    let directory = synthetic::directory(SERVICES, 7);
    let index = MatchIndex::new(directory.clone()).unwrap();
    let req = request();
    let config = MatchConfig::default();
    let result = index.match_case(&req, &config, &ConsentNotChecked).unwrap();
    for n in &result.needs {
        eprintln!(
            "{}: considered {}, eligible {}, top {}, near misses {}",
            n.domain,
            n.considered,
            n.eligible,
            n.candidates.len(),
            n.near_misses.len()
        );
    }
    c.bench_function("match/top10_5needs_100k_services", |b| {
        b.iter(|| {
            index
                .match_case(black_box(&req), &config, &ConsentNotChecked)
                .unwrap()
        })
    });
    c.bench_function("match/top10_5needs_100k_services (thread CPU time)", |b| {
        cpu::iter_cpu(b, || {
            index
                .match_case(black_box(&req), &config, &ConsentNotChecked)
                .unwrap()
        })
    });
    // The same query with consent asked of a sample case's ledger (once per organisation).
    let ledger = match_request::sample_ledger();
    let gate = beside::referral::matching::LedgerGate::referral(&ledger);
    c.bench_function(
        "match/top10_5needs_100k_services, consent ledger (thread CPU time)",
        |b| {
            cpu::iter_cpu(b, || {
                index.match_case(black_box(&req), &config, &gate).unwrap()
            })
        },
    );
    let mut group = c.benchmark_group("match_index");
    group.sample_size(10);
    group.bench_function("build_100k_services", |b| {
        b.iter(|| MatchIndex::new(black_box(directory.clone())).unwrap())
    });
    group.finish();
    #[cfg(feature = "compare-sqlite")]
    sqlite::bench(c, &directory, &req, &index);
    drop(index);
    drop(directory);
    growth(c);
}

/// The benchmark's query (the full answer: near misses, counts, explanations) over directories
/// of each size in [`SIZES`]; with `--features compare-sqlite`, the top-10 alone on both sides
/// up to [`SQLITE_UP_TO`], checked to agree first.
fn growth(c: &mut Criterion) {
    let req = request();
    let config = MatchConfig::default();
    let mut group = c.benchmark_group("match_growth");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for n in SIZES {
        let directory = synthetic::directory(n, 7);
        let index = MatchIndex::new(directory.clone()).unwrap();
        let considered: u32 = index
            .match_case(&req, &config, &ConsentNotChecked)
            .unwrap()
            .needs
            .iter()
            .map(|m| m.considered)
            .sum();
        eprintln!("{n} services: {considered} considered over 5 needs");
        group.bench_with_input(
            BenchmarkId::new("beside (thread CPU time)", n),
            &index,
            |b, index| {
                cpu::iter_cpu(b, || {
                    index
                        .match_case(black_box(&req), &config, &ConsentNotChecked)
                        .unwrap()
                })
            },
        );
        #[cfg(feature = "compare-sqlite")]
        if n <= SQLITE_UP_TO {
            let top10 = sqlite::top10_only();
            let db = sqlite_match::load(&directory);
            let q = sqlite_match::query(&db, &req, &top10);
            sqlite::agree(&db, &q, &req, &index, &top10);
            group.bench_with_input(
                BenchmarkId::new("beside top-10 only (thread CPU time)", n),
                &index,
                |b, index| {
                    cpu::iter_cpu(b, || {
                        index
                            .match_case(black_box(&req), &top10, &ConsentNotChecked)
                            .unwrap()
                    })
                },
            );
            group.bench_with_input(
                BenchmarkId::new("sqlite top-10 (thread CPU time)", n),
                &db,
                |b, db| cpu::iter_cpu(b, || sqlite_match::top(db, &q, black_box(&req))),
            );
        }
        #[cfg(not(feature = "compare-sqlite"))]
        let _ = directory;
    }
    group.finish();
}

#[cfg(feature = "compare-sqlite")]
#[path = "support/sqlite_match.rs"]
mod sqlite_match;

/// The same question asked of SQLite (see `support/sqlite_match.rs` for what each side
/// computes). Before timing, both top-10s must agree: same service ids in the same order, scores
/// and distances equal within 1e-9, and the same number of eligible services.
#[cfg(feature = "compare-sqlite")]
mod sqlite {
    use super::*;
    use beside::referral::matching::MatchRequest;
    use beside::referral::Directory;

    /// Top-10 only on both sides: near misses are not asked of SQLite, so not of Beside.
    pub fn top10_only() -> MatchConfig {
        MatchConfig {
            max_near_misses: 0,
            ..MatchConfig::default()
        }
    }

    /// Panics unless SQLite and Beside give the same top-10s and eligible counts.
    pub fn agree(
        db: &sqlite_match::Db,
        q: &sqlite_match::Query,
        req: &MatchRequest,
        index: &MatchIndex,
        config: &MatchConfig,
    ) {
        let sql = sqlite_match::top(db, q, req);
        let counts = sqlite_match::eligible(db, q, req);
        let ours = index.match_case(req, config, &ConsentNotChecked).unwrap();
        let mut problems = Vec::new();
        for ((n, s), (count, o)) in req
            .needs
            .iter()
            .zip(&sql)
            .zip(counts.iter().zip(&ours.needs))
        {
            let theirs: Vec<&str> = s.iter().map(|r| r.service_id.as_str()).collect();
            let mine: Vec<&str> = o.candidates.iter().map(|c| c.service_id.as_str()).collect();
            if theirs != mine {
                problems.push(format!("{n}: sqlite {theirs:?}\n   beside {mine:?}"));
            }
            for (r, c) in s.iter().zip(&o.candidates) {
                let km = c.distance_km.unwrap_or(f64::NAN);
                if (r.score - c.score).abs() > 1e-9 || (r.distance_km - km).abs() > 1e-9 {
                    problems.push(format!(
                        "{n} {}: sqlite score {} at {} km, beside {} at {km} km",
                        r.service_id, r.score, r.distance_km, c.score
                    ));
                }
            }
            if *count != o.eligible {
                problems.push(format!(
                    "{n}: sqlite finds {count} eligible, beside {}",
                    o.eligible
                ));
            }
            eprintln!(
                "{n}: top {} agree (eligible {count}; best {:.6}, tenth {:.6})",
                s.len(),
                s.first().map_or(f64::NAN, |r| r.score),
                s.last().map_or(f64::NAN, |r| r.score),
            );
        }
        assert!(
            problems.is_empty(),
            "SQLite and Beside answer differently:\n{}",
            problems.join("\n")
        );
    }

    pub fn bench(c: &mut Criterion, d: &Directory, req: &MatchRequest, index: &MatchIndex) {
        let config = top10_only();
        let db = sqlite_match::load(d);
        let q = sqlite_match::query(&db, req, &config);
        eprintln!(
            "SQLite's plan (EXPLAIN QUERY PLAN), need `{}`:",
            req.needs[0]
        );
        for line in sqlite_match::plan(&db, &q, req) {
            eprintln!("  {line}");
        }
        agree(&db, &q, req, index, &config);
        let mut group = c.benchmark_group("compare_sqlite");
        group.bench_function("beside_top10_no_near_misses", |b| {
            b.iter(|| {
                index
                    .match_case(black_box(req), &config, &ConsentNotChecked)
                    .unwrap()
            })
        });
        group.bench_function("beside_top10_no_near_misses (thread CPU time)", |b| {
            cpu::iter_cpu(b, || {
                index
                    .match_case(black_box(req), &config, &ConsentNotChecked)
                    .unwrap()
            })
        });
        group.sample_size(30);
        group.bench_function("sqlite_top10", |b| {
            b.iter(|| sqlite_match::top(&db, &q, black_box(req)))
        });
        group.bench_function("sqlite_top10 (thread CPU time)", |b| {
            cpu::iter_cpu(b, || sqlite_match::top(&db, &q, black_box(req)))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
