//! Differential: batch assignment against the exhaustive oracle on small arbitrary problems.
//! The solver's totals must equal the oracle's best objective, and the assignment must respect
//! capacities and eligibility.

#![no_main]

use arbitrary::Arbitrary;
use beside::core::{CaseId, ServiceId};
use beside::referral::assign::oracle::{best_objective, OracleError, MAX_ORACLE_ARCS};
use beside::referral::assign::{solve, AssignCase, AssignService, AssignmentProblem, EligibleArc};
use libfuzzer_sys::fuzz_target;
use std::collections::HashMap;

#[derive(Debug, Arbitrary)]
struct Small {
    cases: Vec<(u8, u8)>,
    capacities: Vec<u8>,
    arcs: Vec<(u8, u8, u8)>,
}

fuzz_target!(|s: Small| {
    let cases: Vec<(i64, i64)> = s
        .cases
        .iter()
        .take(7)
        .map(|&(w, d)| (i64::from(w % 4), 1 + i64::from(d % 2)))
        .collect();
    let caps: Vec<i64> = s
        .capacities
        .iter()
        .take(5)
        .map(|&c| i64::from(c % 4))
        .collect();
    if cases.is_empty() || caps.is_empty() {
        return;
    }
    let mut p = AssignmentProblem::default();
    for (k, &(weight, demand)) in cases.iter().enumerate() {
        p.cases.push(AssignCase {
            id: CaseId::new(format!("c{k}")).expect("an id"),
            weight,
            demand,
        });
    }
    for (j, &capacity) in caps.iter().enumerate() {
        p.services.push(AssignService {
            id: ServiceId::new(format!("s{j}")).expect("an id"),
            capacity,
        });
    }
    let mut seen = std::collections::HashSet::new();
    for &(k, j, cost) in s.arcs.iter().take(MAX_ORACLE_ARCS) {
        let (k, j) = (usize::from(k) % cases.len(), usize::from(j) % caps.len());
        if seen.insert((k, j)) {
            p.eligible.push(EligibleArc {
                case: CaseId::new(format!("c{k}")).expect("an id"),
                service: ServiceId::new(format!("s{j}")).expect("an id"),
                cost: i64::from(cost % 13),
            });
        }
    }
    let a = solve(&p).expect("a valid small problem is solved");
    let best = match best_objective(&p) {
        Ok(best) => best,
        // More ways to spread the places than the oracle enumerates within the 1 s run limit
        // (MAX_ORACLE_SPREADS): not a problem it can check.
        Err(OracleError::TooBig {
            what: "ways to spread the places",
            ..
        }) => return,
        Err(e) => panic!("the oracle failed on a small problem: {e}"),
    };
    assert_eq!(
        (
            a.totals.priority_value,
            a.totals.units_placed,
            a.totals.total_cost
        ),
        (best.priority_value, best.units_placed, best.total_cost),
        "the solver's optimum differs from the oracle's"
    );
    let mut used: HashMap<&ServiceId, i64> = HashMap::new();
    for c in &a.cases {
        for pl in &c.placements {
            *used.entry(&pl.service).or_insert(0) += i64::from(pl.units);
            assert!(
                p.eligible
                    .iter()
                    .any(|e| e.case == c.case && e.service == pl.service),
                "placed on an ineligible service"
            );
        }
    }
    for s in &p.services {
        assert!(
            used.get(&s.id).copied().unwrap_or(0) <= s.capacity,
            "capacity exceeded"
        );
    }
});
