//! Batch assignment: exact against brute force on every small instance, feasible, explained,
//! and independent of input order. Larger synthetic instances are checked for optimality by
//! an independent certificate: no negative cycle in the residual graph (Bellman-Ford).

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use beside::core::{CaseId, ServiceId};
use beside::referral::assign::{
    oracle, solve, synthetic, AssignCase, AssignError, AssignService, Assignment,
    AssignmentProblem, CaseOutcome, EligibleArc, Shortfall,
};
use proptest::prelude::*;
use std::collections::HashMap;

/// A small instance as plain numbers.
#[derive(Debug, Clone)]
struct Small {
    /// (weight, demand) per case.
    cases: Vec<(i64, i64)>,
    /// Capacity per service.
    caps: Vec<i64>,
    /// `elig[k][j]`: the cost, or `None` when the pair is excluded.
    elig: Vec<Vec<Option<i64>>>,
}

impl Small {
    fn problem(&self) -> AssignmentProblem {
        let mut p = AssignmentProblem::default();
        for (k, &(weight, demand)) in self.cases.iter().enumerate() {
            p.cases.push(AssignCase {
                id: CaseId::new(format!("c{k}")).unwrap(),
                weight,
                demand,
            });
        }
        for (j, &capacity) in self.caps.iter().enumerate() {
            p.services.push(AssignService {
                id: ServiceId::new(format!("s{j}")).unwrap(),
                capacity,
            });
        }
        for (k, row) in self.elig.iter().enumerate() {
            for (j, cost) in row.iter().enumerate() {
                if let Some(cost) = cost {
                    p.eligible.push(EligibleArc {
                        case: CaseId::new(format!("c{k}")).unwrap(),
                        service: ServiceId::new(format!("s{j}")).unwrap(),
                        cost: *cost,
                    });
                }
            }
        }
        p
    }
}

/// (priority value, places filled, total cost).
type Objective = (u64, u64, i64);

/// The exhaustive reference's best objective ([`oracle::best_objective`]), or `None` for the
/// rare generated problem with more ways to spread its places than the oracle enumerates
/// ([`oracle::MAX_ORACLE_SPREADS`]): the properties `prop_assume!` it away, and proptest fails
/// the test if it has to reject too many.
fn brute_force(p: &AssignmentProblem) -> Option<Objective> {
    match oracle::best_objective(p) {
        Ok(best) => Some((best.priority_value, best.units_placed, best.total_cost)),
        Err(oracle::OracleError::TooBig {
            what: "ways to spread the places",
            ..
        }) => None,
        Err(e) => panic!("the oracle failed: {e}"),
    }
}

fn small() -> impl Strategy<Value = Small> {
    (0usize..=7, 1usize..=5).prop_flat_map(|(n, m)| {
        (
            prop::collection::vec((0i64..=3, prop_oneof![3 => Just(1i64), 1 => Just(2i64)]), n),
            prop::collection::vec(0i64..=3, m),
            prop::collection::vec(prop::option::weighted(0.5, 0i64..=12), n * m),
        )
            .prop_map(move |(cases, caps, flat)| Small {
                cases,
                caps,
                elig: flat.chunks(m.max(1)).map(<[_]>::to_vec).collect(),
            })
    })
}

/// Ties everywhere: weights 0, 1 or 1,000, costs 0, 1 or the limit, capacities 0 to 2, so many
/// assignments reach the optimum and the tie-break decides which is returned.
fn ties() -> impl Strategy<Value = Small> {
    (0usize..=6, 1usize..=4).prop_flat_map(|(n, m)| {
        (
            prop::collection::vec(
                (
                    prop_oneof![Just(0i64), Just(1), Just(1_000)],
                    prop_oneof![3 => Just(1i64), 1 => Just(2i64)],
                ),
                n,
            ),
            prop::collection::vec(0i64..=2, m),
            prop::collection::vec(
                prop::option::weighted(0.7, prop_oneof![Just(0i64), Just(1), Just(1_000_000_000)]),
                n * m,
            ),
        )
            .prop_map(move |(cases, caps, flat)| Small {
                cases,
                caps,
                elig: flat.chunks(m.max(1)).map(<[_]>::to_vec).collect(),
            })
    })
}

fn recount(p: &AssignmentProblem, a: &Assignment) -> Objective {
    let weight: HashMap<&str, i64> = p.cases.iter().map(|c| (c.id.as_str(), c.weight)).collect();
    let mut o = (0u64, 0u64, 0i64);
    for c in &a.cases {
        for pl in &c.placements {
            o.0 += (weight[c.case.as_str()] * i64::from(pl.units)) as u64;
            o.1 += u64::from(pl.units);
            o.2 += pl.cost;
        }
    }
    o
}

/// Capacities, eligibility, per-case demand and the reported figures all hold.
fn check_feasible(p: &AssignmentProblem, a: &Assignment) {
    let cost: HashMap<(&str, &str), i64> = p
        .eligible
        .iter()
        .map(|e| ((e.case.as_str(), e.service.as_str()), e.cost))
        .collect();
    let cap: HashMap<&str, i64> = p
        .services
        .iter()
        .map(|s| (s.id.as_str(), s.capacity))
        .collect();
    let demand: HashMap<&str, i64> = p.cases.iter().map(|c| (c.id.as_str(), c.demand)).collect();
    let mut load: HashMap<&str, i64> = HashMap::new();
    assert_eq!(a.cases.len(), p.cases.len());
    for c in &a.cases {
        let mut units = 0;
        for pl in &c.placements {
            let unit = cost
                .get(&(c.case.as_str(), pl.service.as_str()))
                .unwrap_or_else(|| panic!("excluded pair {} -> {} assigned", c.case, pl.service));
            assert!(pl.units > 0);
            assert_eq!(pl.unit_cost, *unit);
            assert_eq!(pl.cost, unit * i64::from(pl.units));
            *load.entry(pl.service.as_str()).or_default() += i64::from(pl.units);
            units += i64::from(pl.units);
        }
        let d = demand[c.case.as_str()];
        assert!(units <= d);
        match &c.outcome {
            CaseOutcome::Assigned { units: u, .. } => assert_eq!(i64::from(*u), d),
            CaseOutcome::PartlyAssigned { units: u, .. } => {
                assert!(i64::from(*u) == units && units > 0 && units < d)
            }
            CaseOutcome::Unassigned { .. } => assert_eq!(units, 0),
        }
    }
    for s in &a.services {
        let l = load.get(s.service.as_str()).copied().unwrap_or(0);
        assert_eq!(i64::from(s.load), l);
        assert!(l <= cap[s.service.as_str()], "{} over capacity", s.service);
        assert_eq!(i64::from(s.remaining), cap[s.service.as_str()] - l);
    }
}

/// An unplaced place always finds its eligible services full, never held by a lower weight,
/// and the reason code matches the figures.
fn check_shortfalls(p: &AssignmentProblem, a: &Assignment) {
    let remaining: HashMap<&str, u32> = a
        .services
        .iter()
        .map(|s| (s.service.as_str(), s.remaining))
        .collect();
    let weight: HashMap<&str, u32> = a
        .cases
        .iter()
        .map(|c| (c.case.as_str(), c.weight))
        .collect();
    for c in &a.cases {
        let Some(shortfall) = c.outcome.shortfall() else {
            continue;
        };
        let eligible: Vec<&str> = p
            .eligible
            .iter()
            .filter(|e| e.case == c.case)
            .map(|e| e.service.as_str())
            .collect();
        for s in &eligible {
            assert_eq!(remaining[s], 0, "{} waits while {s} has room", c.case);
        }
        for other in &a.cases {
            if other
                .placements
                .iter()
                .any(|pl| eligible.contains(&pl.service.as_str()))
            {
                assert!(
                    weight[other.case.as_str()] >= c.weight,
                    "lower weight holds a place"
                );
            }
        }
        match shortfall {
            Shortfall::NoEligibleService => assert!(eligible.is_empty()),
            Shortfall::NoCapacity { eligible_services } => {
                assert_eq!(*eligible_services as usize, eligible.len())
            }
            Shortfall::OutrankedByHigherPriority {
                places,
                held_by_higher_priority,
                ..
            } => assert_eq!(places, held_by_higher_priority),
            Shortfall::CapacityExhausted {
                places,
                held_by_higher_priority,
                ..
            } => assert!(held_by_higher_priority < places),
        }
    }
}

/// A deterministic permutation of `v` from `seed`.
fn shuffled<T>(mut v: Vec<T>, seed: u64) -> Vec<T> {
    let mut x = seed | 1;
    for i in (1..v.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.swap(i, (x % (i as u64 + 1)) as usize);
    }
    v
}

fn shuffle_problem(p: &AssignmentProblem, seed: u64) -> AssignmentProblem {
    AssignmentProblem {
        cases: shuffled(p.cases.clone(), seed),
        services: shuffled(p.services.clone(), seed.wrapping_mul(3)),
        eligible: shuffled(p.eligible.clone(), seed.wrapping_mul(7)),
    }
}

/// Optimality certificate: the residual graph of the answer, under the combined cost the
/// module documents, has no negative cycle (Bellman-Ford from a virtual source).
fn assert_no_negative_cycle(p: &AssignmentProblem, a: &Assignment) {
    let ci: HashMap<&str, usize> = p
        .cases
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let n = p.cases.len();
    let si: HashMap<&str, usize> = p
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), n + i))
        .collect();
    let root = n + p.services.len();
    let units: i128 = p.cases.iter().map(|c| i128::from(c.demand)).sum();
    let mut max_cost = vec![0i128; n];
    for e in &p.eligible {
        let k = ci[e.case.as_str()];
        max_cost[k] = max_cost[k].max(i128::from(e.cost));
    }
    let b: i128 = p
        .cases
        .iter()
        .enumerate()
        .map(|(k, c)| i128::from(c.demand) * max_cost[k])
        .sum::<i128>()
        + 1;
    let mut flow: HashMap<(usize, usize), i64> = HashMap::new();
    let mut placed = vec![0i64; n];
    for c in &a.cases {
        for pl in &c.placements {
            let k = ci[c.case.as_str()];
            flow.insert((k, si[pl.service.as_str()]), i64::from(pl.units));
            placed[k] += i64::from(pl.units);
        }
    }
    let mut arcs: Vec<(usize, usize, i128)> = Vec::new();
    for (k, c) in p.cases.iter().enumerate() {
        let reward = (i128::from(c.weight) * (units + 1) + 1) * b;
        if placed[k] < c.demand {
            arcs.push((root, k, -reward));
        }
        if placed[k] > 0 {
            arcs.push((k, root, reward));
        }
    }
    for e in &p.eligible {
        let (k, j) = (ci[e.case.as_str()], si[e.service.as_str()]);
        arcs.push((k, j, i128::from(e.cost)));
        if flow.get(&(k, j)).copied().unwrap_or(0) > 0 {
            arcs.push((j, k, -i128::from(e.cost)));
        }
    }
    for s in &a.services {
        let j = si[s.service.as_str()];
        if s.remaining > 0 {
            arcs.push((j, root, 0));
        }
        if s.load > 0 {
            arcs.push((root, j, 0));
        }
    }
    let mut dist = vec![0i128; root + 1];
    for _ in 0..=root {
        let mut changed = false;
        for &(u, v, c) in &arcs {
            if dist[u] + c < dist[v] {
                dist[v] = dist[u] + c;
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
    panic!("negative cycle: the assignment is not optimal");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn equals_brute_force_and_is_feasible(s in small()) {
        let p = s.problem();
        let a = solve(&p).unwrap();
        let best = brute_force(&p);
        prop_assume!(best.is_some());
        let got = (a.totals.priority_value, a.totals.units_placed, a.totals.total_cost);
        prop_assert_eq!(Some(got), best);
        prop_assert_eq!(recount(&p, &a), got);
        check_feasible(&p, &a);
        check_shortfalls(&p, &a);
    }

    #[test]
    fn equals_brute_force_with_ties_everywhere(s in ties()) {
        let p = s.problem();
        let a = solve(&p).unwrap();
        let best = brute_force(&p);
        prop_assume!(best.is_some());
        let got = (a.totals.priority_value, a.totals.units_placed, a.totals.total_cost);
        prop_assert_eq!(Some(got), best);
        prop_assert_eq!(recount(&p, &a), got);
        check_feasible(&p, &a);
        check_shortfalls(&p, &a);
    }

    #[test]
    fn the_tie_break_ignores_input_order(s in ties(), seed in any::<u64>()) {
        let p = s.problem();
        let a = solve(&p).unwrap();
        prop_assert_eq!(&solve(&shuffle_problem(&p, seed)).unwrap(), &a);
    }

    #[test]
    fn the_same_answer_in_any_input_order(s in small(), seed in any::<u64>()) {
        let p = s.problem();
        let a = solve(&p).unwrap();
        prop_assert_eq!(&solve(&p).unwrap(), &a);
        prop_assert_eq!(&solve(&shuffle_problem(&p, seed)).unwrap(), &a);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn larger_instances_are_optimal_feasible_and_order_free(
        cases in 1u32..=120,
        services in 1u32..=30,
        per_case in 1u32..=8,
        capacity_max in 0u32..=5,
        seed in any::<u64>(),
    ) {
        let spec = synthetic::CaseloadSpec {
            cases,
            services,
            eligible_per_case: per_case,
            capacity_min: 0,
            capacity_max,
            seed,
        };
        let p = synthetic::generate(&spec);
        let a = solve(&p).unwrap();
        check_feasible(&p, &a);
        check_shortfalls(&p, &a);
        assert_no_negative_cycle(&p, &a);
        prop_assert_eq!(&solve(&shuffle_problem(&p, seed)).unwrap(), &a);
    }
}

#[test]
fn bad_input_is_a_typed_error_naming_the_field() {
    let mut p = Small {
        cases: vec![(1, 1)],
        caps: vec![1],
        elig: vec![vec![Some(2)]],
    }
    .problem();
    p.services[0].capacity = -1;
    p.eligible.push(EligibleArc {
        case: CaseId::new("c0").unwrap(),
        service: ServiceId::new("nowhere").unwrap(),
        cost: 1,
    });
    let Err(AssignError::Invalid(e)) = solve(&p) else {
        panic!("accepted a negative capacity");
    };
    assert!(e.has_path("services[0].capacity"));
    assert!(e.has_path("eligible[1].service"));
}

#[test]
fn a_cheaper_case_displaces_a_dearer_one_of_the_same_priority() {
    // One place; c0 costs 10 there, c1 costs 1: c1 gets it, c0 is told why.
    let s = Small {
        cases: vec![(1, 1), (1, 1), (2, 1)],
        caps: vec![1, 1],
        elig: vec![
            vec![Some(10), None],
            vec![Some(1), None],
            vec![None, Some(4)],
        ],
    };
    let a = solve(&s.problem()).unwrap();
    assert_eq!(
        a.cases[0].outcome,
        CaseOutcome::Unassigned {
            demand: 1,
            shortfall: Shortfall::CapacityExhausted {
                eligible_services: 1,
                places: 1,
                held_by_higher_priority: 0,
                held_by_same_priority: 1,
            }
        }
    );
    assert_eq!(
        a.cases[1].outcome,
        CaseOutcome::Assigned { units: 1, cost: 1 }
    );
    assert_eq!(a.totals.total_cost, 5);
}

#[test]
fn higher_priority_wins_even_at_a_higher_cost() {
    let s = Small {
        cases: vec![(1, 1), (3, 1), (1, 1)],
        caps: vec![1, 0],
        elig: vec![
            vec![Some(0), None],
            vec![Some(50), None],
            vec![None, Some(1)],
        ],
    };
    let a = solve(&s.problem()).unwrap();
    assert!(matches!(
        a.cases[0].outcome,
        CaseOutcome::Unassigned {
            shortfall: Shortfall::OutrankedByHigherPriority { .. },
            ..
        }
    ));
    assert!(matches!(
        a.cases[2].outcome,
        CaseOutcome::Unassigned {
            shortfall: Shortfall::NoCapacity {
                eligible_services: 1
            },
            ..
        }
    ));
    assert_eq!(a.totals.priority_value, 3);
}

/// Found by the fuzz campaign (assign_oracle, a run over 1 s): seven cases of two places, each
/// eligible for five services, are 1.8 billion ways for the oracle; it now refuses them by
/// count before enumerating, naming the limit.
#[test]
fn the_oracle_refuses_more_ways_than_it_can_try_quickly() {
    let mut p = AssignmentProblem::default();
    for j in 0..5 {
        p.services.push(AssignService {
            id: ServiceId::new(format!("s{j}")).unwrap(),
            capacity: 3,
        });
    }
    for k in 0..7 {
        p.cases.push(AssignCase {
            id: CaseId::new(format!("c{k}")).unwrap(),
            weight: 1,
            demand: 2,
        });
        for j in 0..5 {
            p.eligible.push(EligibleArc {
                case: CaseId::new(format!("c{k}")).unwrap(),
                service: ServiceId::new(format!("s{j}")).unwrap(),
                cost: 1,
            });
        }
    }
    let refused = oracle::best_objective(&p).unwrap_err();
    assert_eq!(
        refused,
        oracle::OracleError::TooBig {
            what: "ways to spread the places",
            got: 21i64.pow(7),
            max: oracle::MAX_ORACLE_SPREADS,
        }
    );
    p.cases.truncate(4);
    p.eligible.truncate(20);
    assert!(
        oracle::best_objective(&p).is_ok(),
        "21^4 ways are within the limit"
    );
}
