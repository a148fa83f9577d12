//! Needs prioritisation: one 16-domain assessment, and a batch of 1,000,000 on one core, as
//! records (`Vec<Assessment>`) and as an Arrow table (`beside_needs::table`, long form: about
//! 16 rows per assessment), ranked into a priorities table or summarised.
//!
//! `NEEDS_COUNT=<op>:<n>` runs one operation `n` times in `measured` and exits instead of
//! benchmarking, for instruction counts under callgrind (`--toggle-collect='*measured*'`):
//! `prioritise`, `rank`, `table` (prioritise a table of `n` assessments), `records` (rank `n`
//! records), `summarise` (`n` records) or `summarise_table`.
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

use arrow_array::RecordBatch;
use beside::core::{AssessmentId, CaseId, Level, Rating, WorkerId, DEFAULT_DOMAINS};
use beside::needs::table::{assessments_table, read_priorities_table};
use beside::needs::{Assessment, DomainRating, Prioritiser, Ranking, RedFlag};
use chrono::{TimeZone, Utc};
use criterion::{criterion_group, Criterion};
use std::hint::black_box;

/// A deterministic pseudo-random 16-domain assessment.
fn assessment(seed: u64) -> Assessment {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let ratings: Vec<DomainRating> = DEFAULT_DOMAINS
        .iter()
        .map(|(k, _)| {
            let r = next() % 12;
            DomainRating {
                domain: k.clone(),
                rating: match r {
                    10 => Rating::Declined,
                    11 => Rating::NotAssessed,
                    n => Rating::Level(Level::from_number((n % 5) as u8 + 1).unwrap()),
                },
            }
        })
        .collect();
    let rated: Vec<_> = ratings
        .iter()
        .filter(|r| r.rating != Rating::NotAssessed)
        .map(|r| r.domain.clone())
        .collect();
    let own: Vec<_> = rated.iter().filter(|_| next() % 6 == 0).cloned().collect();
    let not_now: Vec<_> = rated
        .iter()
        .filter(|k| !own.contains(k) && next() % 10 == 0)
        .cloned()
        .collect();
    let red_flags = RedFlag::ALL
        .into_iter()
        .filter(|_| next() % 8 == 0)
        .collect();
    Assessment {
        extra: std::collections::BTreeMap::new(),
        id: AssessmentId::new(format!("a-{seed}")).unwrap(),
        case_id: CaseId::new(format!("c-{seed}")).unwrap(),
        assessed_at: Utc.with_ymd_and_hms(2025, 6, 1, 9, 0, 0).unwrap(),
        assessed_by: WorkerId::new("w-1").unwrap(),
        ratings,
        red_flags,
        own_priorities: own,
        not_now,
    }
}

/// Rank the records of `batch`, one at a time, reusing one buffer.
fn rank_records(p: &Prioritiser, batch: &[Assessment]) -> u64 {
    let mut first = 0u64;
    p.rank_each(batch, |_, r| {
        if let Ok(r) = r {
            first += u64::from(r.entries.first().map_or(0, |e| e.domain_index));
        }
    });
    first
}

/// Prioritise a table into a priorities table; its number of rows.
fn prioritise_table(p: &Prioritiser, table: &RecordBatch) -> usize {
    p.prioritise_table(&table.schema(), std::slice::from_ref(table))
        .unwrap()
        .num_rows()
}

#[inline(never)]
fn measured(op: &str, n: usize, p: &Prioritiser, records: &[Assessment], table: &RecordBatch) {
    let one = &records[0];
    match op {
        "prioritise" => {
            for _ in 0..n {
                black_box(p.prioritise(black_box(one)).unwrap());
            }
        }
        "rank" => {
            let mut ranking = Ranking::default();
            for _ in 0..n {
                p.rank_into(black_box(one), &mut ranking).unwrap();
                black_box(&ranking);
            }
        }
        "table" => {
            black_box(prioritise_table(p, black_box(table)));
        }
        "records" => {
            black_box(rank_records(p, black_box(records)));
        }
        "summarise" => {
            black_box(p.summarise(black_box(records)));
        }
        "summarise_table" => {
            black_box(
                p.summarise_table(&table.schema(), std::slice::from_ref(black_box(table)))
                    .unwrap(),
            );
        }
        other => panic!("unknown operation {other}"),
    }
}

/// `NEEDS_COUNT=<op>:<n>`: run one operation for callgrind and exit.
fn count(spec: &str) {
    let (op, n) = spec.split_once(':').expect("NEEDS_COUNT=<op>:<n>");
    let n: usize = n.parse().expect("a count");
    let p = Prioritiser::standard();
    let records: Vec<Assessment> = (0..n.max(1) as u64)
        .map(|i| {
            assessment(if matches!(op, "prioritise" | "rank") {
                7
            } else {
                i
            })
        })
        .collect();
    let table = assessments_table(&records).unwrap();
    measured(op, n, &p, &records, &table);
}

/// The table and the records rank alike (checked once, before anything is timed): the
/// priorities table read back equals each record's prioritisation.
fn check_identical(p: &Prioritiser, records: &[Assessment], table: &RecordBatch) {
    let out = p
        .prioritise_table(&table.schema(), std::slice::from_ref(table))
        .unwrap();
    let read = read_priorities_table(&out).unwrap();
    assert_eq!(read.len(), records.len());
    for (i, (got, a)) in read.iter().zip(records).enumerate() {
        assert_eq!(got, &p.prioritise(a).unwrap(), "assessment {i}");
    }
    assert_eq!(
        p.summarise_table(&table.schema(), std::slice::from_ref(table))
            .unwrap(),
        p.summarise(records)
    );
}

fn bench(c: &mut Criterion) {
    let p = Prioritiser::standard();
    let one = assessment(7);
    assert_eq!(
        p.prioritise(&one).unwrap(),
        p.to_prioritisation(&one, &{
            let mut r = Ranking::default();
            p.rank_into(&one, &mut r).unwrap();
            r
        })
        .unwrap()
    );
    c.bench_function("prioritise one 16-domain assessment (record)", |b| {
        b.iter(|| p.prioritise(black_box(&one)).unwrap())
    });
    c.bench_function(
        "prioritise one 16-domain assessment (record, thread CPU time)",
        |b| cpu::iter_cpu(b, || p.prioritise(black_box(&one)).unwrap()),
    );
    let mut ranking = Ranking::default();
    c.bench_function("rank one 16-domain assessment (index form)", |b| {
        b.iter(|| p.rank_into(black_box(&one), &mut ranking).unwrap())
    });

    let batch: Vec<Assessment> = (0..1_000_000).map(assessment).collect();
    let table = assessments_table(&batch).unwrap();
    check_identical(&p, &batch, &table);
    let mut group = c.benchmark_group("batch");
    group.sample_size(10);
    group.bench_function("prioritise 1,000,000 assessments (table)", |b| {
        b.iter(|| prioritise_table(&p, black_box(&table)))
    });
    group.bench_function(
        "prioritise 1,000,000 assessments (table, thread CPU time)",
        |b| cpu::iter_cpu(b, || prioritise_table(&p, black_box(&table))),
    );
    group.bench_function("rank 1,000,000 assessments (records)", |b| {
        b.iter(|| rank_records(&p, black_box(&batch)))
    });
    group.bench_function(
        "rank 1,000,000 assessments (records, thread CPU time)",
        |b| cpu::iter_cpu(b, || rank_records(&p, black_box(&batch))),
    );
    group.bench_function("summarise 1,000,000 assessments (table)", |b| {
        b.iter(|| {
            p.summarise_table(&table.schema(), std::slice::from_ref(black_box(&table)))
                .unwrap()
        })
    });
    group.bench_function("summarise 1,000,000 assessments (records)", |b| {
        b.iter(|| p.summarise(black_box(&batch)))
    });
    group.finish();
}

criterion_group!(benches, bench);

fn main() {
    if let Ok(spec) = std::env::var("NEEDS_COUNT") {
        count(&spec);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
