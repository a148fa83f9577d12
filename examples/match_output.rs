//! Matching output as JSON, to check that an optimisation leaves every answer byte-identical, and
//! a loop of the benchmark's query to count its instructions.
//!
//! `cargo run --release --example match_output -- dump > before.json` prints the `MatchResult`
//! of every sample case (with and without its consent ledger, under a few travel limits) and of
//! variants of the benchmark's query over the synthetic 100,000-service directory.
//! `cargo run --release --example match_output -- loop 1000` runs the benchmark's query (and
//! drops its result) 1000 times, for `valgrind --tool=callgrind`.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::disallowed_methods,
    clippy::expect_used
)]

use beside::core::{default_domain_keys, AreaPath, Coordinates, LanguageCode};
use beside::referral::matching::{
    ConsentGate, ConsentNotChecked, LedgerGate, MatchConfig, MatchIndex, MatchRequest, Money,
    Preferences,
};
use beside::referral::synthetic;
use beside::samples;
use chrono::{TimeZone, Utc};
use std::hint::black_box;

#[path = "../benches/support/match_request.rs"]
mod match_request;

use match_request::request;

fn dump(index: &MatchIndex, req: &MatchRequest, config: &MatchConfig, gate: &dyn ConsentGate) {
    let result = index.match_case(req, config, gate).unwrap();
    println!("{}", serde_json::to_string(&result).unwrap());
}

/// `n` queries, each result dropped (for `--toggle-collect='*match_output*run*'`).
#[inline(never)]
fn run(index: &MatchIndex, req: &MatchRequest, config: &MatchConfig, n: usize) {
    for _ in 0..n {
        drop(black_box(
            index
                .match_case(black_box(req), config, &ConsentNotChecked)
                .unwrap(),
        ));
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "dump".into());
    let config = MatchConfig::default();
    if mode == "loop" {
        let n: usize = args.next().map_or(1000, |s| s.parse().unwrap());
        let index = MatchIndex::new(synthetic::directory(100_000, 7)).unwrap();
        run(&index, &request(), &config, n);
        return;
    }

    let at = Utc.with_ymd_and_hms(2026, 10, 1, 9, 0, 0).unwrap();
    let index = MatchIndex::new(samples::directory().unwrap()).unwrap();
    for case in samples::cases().unwrap() {
        let ledger = samples::consent::ledger(case.case_id.as_str()).ok();
        for limit in [None, Some(5.0), Some(300.0)] {
            let mut req = MatchRequest::from_case(&case, default_domain_keys(), at);
            if limit.is_some() {
                req.travel_limit_km = limit;
            }
            dump(&index, &req, &config, &ConsentNotChecked);
            if let Some(l) = &ledger {
                dump(&index, &req, &config, &LedgerGate::referral(l));
            }
        }
    }

    let index = MatchIndex::new(synthetic::directory(100_000, 7)).unwrap();
    let ledger = match_request::sample_ledger();
    let gate = LedgerGate::referral(&ledger);
    let base = request();
    let mut variants = vec![base.clone()];
    let mut r = base.clone();
    r.home_coordinates = None;
    variants.push(r);
    let mut r = base.clone();
    r.travel_limit_km = Some(8.0);
    r.person.languages = vec![
        LanguageCode::new("en").unwrap(),
        LanguageCode::new("hi").unwrap(),
    ];
    r.can_pay = Some(Money {
        amount: 500,
        currency: "BDT".into(),
    });
    r.formally_identified = true;
    r.has_court_order = true;
    variants.push(r);
    let mut r = base.clone();
    r.home_area = AreaPath::new(["BD", "Dhaka"]).unwrap();
    r.home_coordinates = Some(Coordinates::new(23.81, 90.41).unwrap());
    r.needs.truncate(1);
    r.preferences = Preferences::default();
    variants.push(r);
    for req in &variants {
        dump(&index, req, &config, &ConsentNotChecked);
        dump(&index, req, &config, &gate);
    }
    let mut wide = config;
    wide.top_n = 50;
    wide.max_near_misses = 40;
    dump(&index, &base, &wide, &ConsentNotChecked);
}
