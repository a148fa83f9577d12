//! Needs prioritisation: one 16-domain assessment, and a batch of 1,000,000 on one core.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use beside::core::{AssessmentId, CaseId, Level, Rating, WorkerId, DEFAULT_DOMAINS};
use beside::needs::{Assessment, DomainRating, Prioritiser, Ranking, RedFlag};
use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
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

fn bench(c: &mut Criterion) {
    let p = Prioritiser::standard();
    let one = assessment(7);
    c.bench_function("prioritise one 16-domain assessment (record)", |b| {
        b.iter(|| p.prioritise(black_box(&one)).unwrap())
    });
    let mut ranking = Ranking::default();
    c.bench_function("rank one 16-domain assessment (index form)", |b| {
        b.iter(|| p.rank_into(black_box(&one), &mut ranking).unwrap())
    });

    let batch: Vec<Assessment> = (0..1_000_000).map(assessment).collect();
    let mut group = c.benchmark_group("batch");
    group.sample_size(10);
    group.bench_function("rank 1,000,000 assessments", |b| {
        b.iter(|| {
            let mut first = 0u64;
            p.rank_each(black_box(&batch), |_, r| {
                if let Ok(r) = r {
                    first += u64::from(r.entries.first().map_or(0, |e| e.domain_index));
                }
            });
            first
        })
    });
    group.bench_function("summarise 1,000,000 assessments", |b| {
        b.iter(|| p.summarise(black_box(&batch)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
