//! What strict JSON costs per call: the old two-step parse (a plain `serde_json` parse, and
//! only on failure a second, path-tracking parse) against the new single path-tracking parse
//! that also checks nothing follows the document (`beside_core::parse_json`). Both parse into
//! the same strict types, so the difference is the path tracking and the end check.
//!
//! Inputs: a 16-domain assessment, the benchmark's match request, a 50-record consent ledger
//! (`LedgerData`: parsing only, no ledger checks) and the 80-organisation sample directory.
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
#[path = "support/match_request.rs"]
mod match_request;

use beside::consent::{ConsentRecord, LedgerData};
use beside::core::json::DEFAULT_MAX_INPUT_BYTES;
use beside::core::{parse_json, DEFAULT_DOMAINS};
use beside::needs::Assessment;
use beside::referral::matching::MatchRequest;
use beside::referral::Directory;
use beside::samples;
use criterion::{criterion_group, Criterion};
use serde::de::DeserializeOwned;
use std::hint::black_box;

/// The parse `parse_json` did before: fast, and path-tracking only for input that fails.
fn old_two_step<T: DeserializeOwned>(input: &str) -> Option<T> {
    if let Ok(v) = serde_json::from_str(input) {
        return Some(v);
    }
    let de = &mut serde_json::Deserializer::from_str(input);
    serde_path_to_error::deserialize(de).ok()
}

fn assessment_json() -> String {
    let mut a = samples::needs::assessments().unwrap().remove(0);
    a.ratings.clear();
    for (i, (key, _)) in DEFAULT_DOMAINS.iter().enumerate() {
        let level = beside::core::Level::from_number((i % 5) as u8 + 1).unwrap();
        a.ratings.push(beside::needs::DomainRating {
            domain: key.clone(),
            rating: beside::core::Rating::Level(level),
        });
    }
    assert_eq!(a.ratings.len(), 16);
    serde_json::to_string(&a).unwrap()
}

fn ledger_json() -> String {
    let ledger = samples::consent::ledger("case-01").unwrap();
    let data: LedgerData = serde_json::from_value(serde_json::to_value(&ledger).unwrap()).unwrap();
    let mut records: Vec<ConsentRecord> = Vec::new();
    for i in 0..50 {
        let mut r = data.records[i % data.records.len()].clone();
        r.id = format!("{}-{i}", r.id).parse().unwrap();
        records.push(r);
    }
    serde_json::to_string(&LedgerData { records, ..data }).unwrap()
}

fn pair<T: DeserializeOwned>(c: &mut Criterion, name: &str, input: &str) {
    assert!(old_two_step::<T>(input).is_some(), "{name}");
    assert!(
        parse_json::<T>(input, DEFAULT_MAX_INPUT_BYTES).is_ok(),
        "{name}"
    );
    let mut g = c.benchmark_group(format!("json/{name}"));
    g.bench_function("old two-step (thread CPU time)", |b| {
        cpu::iter_cpu(b, || old_two_step::<T>(black_box(input)))
    });
    g.bench_function("strict single parse (thread CPU time)", |b| {
        cpu::iter_cpu(b, || {
            parse_json::<T>(black_box(input), DEFAULT_MAX_INPUT_BYTES).ok()
        })
    });
    g.finish();
}

fn bench(c: &mut Criterion) {
    pair::<Assessment>(c, "assessment, 16 domains", &assessment_json());
    let request = serde_json::to_string(&match_request::request()).unwrap();
    pair::<MatchRequest>(c, "match request", &request);
    pair::<LedgerData>(c, "consent ledger, 50 records", &ledger_json());
    pair::<Directory>(c, "directory, 80 providers", samples::DIRECTORY_JSON);
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
