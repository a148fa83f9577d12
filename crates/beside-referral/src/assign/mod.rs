//! Exact batch assignment of a caseload to limited capacities.
//!
//! Given cases (each with a priority weight and a number of places needed), services (each with
//! a number of open places) and the eligible (case, service) pairs with the integer cost of one
//! place, [`solve`] returns an optimal assignment. Pairs not listed are excluded by some hard
//! constraint and are never assigned.
//!
//! ## The objective, exactly
//! Over all assignments that respect capacities and eligibility, lexicographically:
//! 1. maximise the **priority value**: the sum over filled places of their case's weight;
//! 2. then maximise the **places filled**;
//! 3. then minimise the **total cost**.
//!
//! The solver folds the three into one integer cost: each place filled for case `k` earns a
//! reward `(weight(k) * (U + 1) + 1) * B`, where `U` is the number of places demanded and `B`
//! exceeds any possible total cost. Everything is integer (`i128` inside), so the optimum is
//! exact. A consequence worth knowing: no place is ever left empty while an eligible case waits
//! (filling it would raise objective 2), so an unplaced case always finds its eligible services
//! full, and the [`Shortfall`] says who holds the places.
//!
//! ## Ties, and why input order never matters
//! Several assignments can reach the same optimum. The problem is first put in canonical form —
//! cases and services sorted by id, pairs by (case id, service id) — and the solver only ever
//! sees that form: every loop runs in canonical index order, the push-relabel queue is
//! first-in first-out and the maximum flow's searches scan arcs in canonical order. The optimum
//! returned is therefore a fixed function of the problem's content alone: shuffling cases,
//! services or pairs gives the same answer, byte for byte. (Which of several equally good
//! assignments that is follows from the algorithm, not from a simpler rule.)
//!
//! ## The algorithm
//! Two exact stages. Placing units is a matroid and every unit of a case carries the same
//! reward, so an assignment is optimal for objectives 1 and 2 exactly when, for every weight
//! `t`, the cases of weight `>= t` hold as many places as they possibly can together. An
//! incremental maximum flow (Dinic), opening weight classes from the highest down, counts the
//! places each class must hold; then cost scaling (Goldberg's push-relabel with price updates,
//! costs scaled by the node count so the result is exact) finds the cheapest assignment with
//! those counts (objective 3). It assigns 10,000 cases to 2,000 services over 500,000 eligible
//! pairs in about 1.7 s on one core, below Google OR-Tools' min-cost-flow on the same instance;
//! see `benches/assign.rs` and `benches/compare/`. Problems whose size and costs could overflow
//! 64-bit prices fall back to the exact successive-shortest-path solver on 128-bit costs.
//!
//! A case needing several places may have them filled at different services: keeping all of a
//! household's places at one service (unsplittable flow) is NP-hard and is not modelled here.
//!
//! ```
//! use beside_referral::assign::{solve, AssignmentProblem, CaseOutcome};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let problem: AssignmentProblem = beside_core::from_json(r#"{
//!   "cases": [{"id": "c1"}, {"id": "c2", "weight": 2}],
//!   "services": [{"id": "shelter", "capacity": 1}, {"id": "hostel", "capacity": 1}],
//!   "eligible": [
//!     {"case": "c1", "service": "shelter", "cost": 5},
//!     {"case": "c2", "service": "shelter", "cost": 1},
//!     {"case": "c2", "service": "hostel", "cost": 9}
//!   ]
//! }"#)?;
//! let a = solve(&problem)?;
//! assert_eq!(a.totals.units_placed, 2);
//! assert_eq!(a.totals.total_cost, 14); // c1 at the shelter, c2 at the hostel
//! assert!(matches!(a.cases[0].outcome, CaseOutcome::Assigned { units: 1, cost: 5 }));
//! # Ok(()) }
//! ```

mod flow;
mod outcome;
mod problem;
mod scaling;
pub mod synthetic;

pub use outcome::{
    english_labels, Assignment, AssignmentTotals, CaseAssignment, CaseOutcome, Placement,
    ServiceLoad, Shortfall,
};
pub use problem::{
    AssignCase, AssignService, AssignmentProblem, EligibleArc, MAX_ARCS, MAX_CAPACITY, MAX_CASES,
    MAX_COST, MAX_DEMAND, MAX_SERVICES, MAX_WEIGHT,
};

use beside_core::{Validate, ValidationErrors};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::Instant;

/// Why a batch assignment could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AssignError {
    /// The problem was rejected; every problem names its field path.
    #[error("invalid assignment problem: {0}")]
    Invalid(#[from] ValidationErrors),
}

/// Where the time of one [`solve_with_stats`] went, and how much work the solver did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignStats {
    /// Checking the problem, in microseconds.
    pub validate_micros: u64,
    /// Putting it in canonical form, in microseconds.
    pub prepare_micros: u64,
    /// The min-cost-flow solver itself, in microseconds.
    pub flow_micros: u64,
    /// Building the per-case and per-service output, in microseconds.
    pub output_micros: u64,
    /// Passes over the network: maximum-flow phases plus cost-scaling refines (shortest-path
    /// searches when the fallback solver runs).
    pub searches: u64,
    /// Flow changes: augmenting paths plus pushes (augmenting cycles when the fallback solver
    /// runs).
    pub augmentations: u64,
}

/// Solve a batch assignment exactly. See the module documentation for the objective and the
/// tie rule.
pub fn solve(problem: &AssignmentProblem) -> Result<Assignment, AssignError> {
    solve_with_stats(problem).map(|(a, _)| a)
}

fn micros(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_micros()).unwrap_or(u64::MAX)
}

/// [`solve`], also reporting where the time went.
pub fn solve_with_stats(
    problem: &AssignmentProblem,
) -> Result<(Assignment, AssignStats), AssignError> {
    let t = Instant::now();
    problem.validate()?;
    let validate_micros = micros(t);
    let t = Instant::now();
    let canon = Canonical::new(problem);
    let prepare_micros = micros(t);
    let t = Instant::now();
    let flow = scaling::solve(&canon.net).unwrap_or_else(|| flow::solve(&canon.net));
    let flow_micros = micros(t);
    let t = Instant::now();
    let assignment = canon.output(&flow);
    let output_micros = micros(t);
    Ok((
        assignment,
        AssignStats {
            validate_micros,
            prepare_micros,
            flow_micros,
            output_micros,
            searches: flow.searches,
            augmentations: flow.augmentations,
        },
    ))
}

/// A validated problem in canonical (id) order.
struct Canonical<'a> {
    cases: Vec<&'a AssignCase>,
    services: Vec<&'a AssignService>,
    net: flow::Network,
}

fn to_u32(x: i64) -> u32 {
    u32::try_from(x.max(0)).unwrap_or(u32::MAX)
}

impl<'a> Canonical<'a> {
    /// Expects a validated problem (unknown ids in pairs are skipped, not trusted).
    fn new(problem: &'a AssignmentProblem) -> Self {
        let mut cases: Vec<&AssignCase> = problem.cases.iter().collect();
        cases.sort_by(|a, b| a.id.cmp(&b.id));
        let mut services: Vec<&AssignService> = problem.services.iter().collect();
        services.sort_by(|a, b| a.id.cmp(&b.id));
        let case_index: HashMap<&str, u32> = cases
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i as u32))
            .collect();
        let service_index: HashMap<&str, u32> = services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i as u32))
            .collect();
        let mut arcs: Vec<(u32, u32, i64)> = problem
            .eligible
            .iter()
            .filter_map(|a| {
                let k = case_index.get(a.case.as_str())?;
                let j = service_index.get(a.service.as_str())?;
                Some((*k, *j, a.cost))
            })
            .collect();
        arcs.sort_unstable();
        let mut arc_start = vec![0u32; cases.len() + 1];
        for &(k, _, _) in &arcs {
            if let Some(x) = arc_start.get_mut(k as usize + 1) {
                *x += 1;
            }
        }
        for i in 1..arc_start.len() {
            let prev = arc_start.get(i - 1).copied().unwrap_or(0);
            if let Some(x) = arc_start.get_mut(i) {
                *x += prev;
            }
        }
        let net = flow::Network {
            weight: cases.iter().map(|c| to_u32(c.weight)).collect(),
            demand: cases.iter().map(|c| to_u32(c.demand)).collect(),
            capacity: services.iter().map(|s| to_u32(s.capacity)).collect(),
            arc_start,
            arc_service: arcs.iter().map(|a| a.1).collect(),
            arc_cost: arcs.iter().map(|a| a.2).collect(),
        };
        Self {
            cases,
            services,
            net,
        }
    }

    fn output(&self, flow: &flow::Flow) -> Assignment {
        let net = &self.net;
        let m = self.services.len();
        // Per service: (weight, places) held, to explain shortfalls.
        let mut held_by: Vec<Vec<(u32, u32)>> = vec![Vec::new(); m];
        let mut distinct = vec![0u32; m];
        let arcs_of = |k: usize| {
            let lo = net.arc_start.get(k).copied().unwrap_or(0) as usize;
            let hi = net.arc_start.get(k + 1).copied().unwrap_or(0) as usize;
            lo..hi
        };
        for k in 0..self.cases.len() {
            let w = net.weight.get(k).copied().unwrap_or(0);
            for a in arcs_of(k) {
                let f = flow.arc_flow.get(a).copied().unwrap_or(0);
                let j = net.arc_service.get(a).copied().unwrap_or(0) as usize;
                if f > 0 {
                    if let Some(l) = held_by.get_mut(j) {
                        l.push((w, f));
                    }
                    if let Some(x) = distinct.get_mut(j) {
                        *x += 1;
                    }
                }
            }
        }
        let mut totals = AssignmentTotals {
            priority_value: 0,
            units_placed: 0,
            total_cost: 0,
            units_demanded: 0,
            capacity: 0,
            cases_assigned: 0,
            cases_partly_assigned: 0,
            cases_unassigned: 0,
        };
        let mut out_cases = Vec::with_capacity(self.cases.len());
        for (k, c) in self.cases.iter().enumerate() {
            let w = net.weight.get(k).copied().unwrap_or(0);
            let demand = net.demand.get(k).copied().unwrap_or(0);
            let mut placements = Vec::new();
            let mut cost = 0i64;
            let mut units = 0u32;
            for a in arcs_of(k) {
                let f = flow.arc_flow.get(a).copied().unwrap_or(0);
                if f == 0 {
                    continue;
                }
                let j = net.arc_service.get(a).copied().unwrap_or(0) as usize;
                let unit_cost = net.arc_cost.get(a).copied().unwrap_or(0);
                if let Some(s) = self.services.get(j) {
                    placements.push(Placement {
                        service: s.id.clone(),
                        units: f,
                        unit_cost,
                        cost: unit_cost * i64::from(f),
                    });
                }
                cost += unit_cost * i64::from(f);
                units += f;
            }
            totals.priority_value += u64::from(w) * u64::from(units);
            totals.units_placed += u64::from(units);
            totals.total_cost += cost;
            totals.units_demanded += u64::from(demand);
            let outcome = if units >= demand {
                totals.cases_assigned += 1;
                CaseOutcome::Assigned { units, cost }
            } else {
                let shortfall = self.shortfall(k, w, &held_by, flow);
                if units == 0 {
                    totals.cases_unassigned += 1;
                    CaseOutcome::Unassigned { demand, shortfall }
                } else {
                    totals.cases_partly_assigned += 1;
                    CaseOutcome::PartlyAssigned {
                        units,
                        demand,
                        cost,
                        shortfall,
                    }
                }
            };
            out_cases.push(CaseAssignment {
                case: c.id.clone(),
                weight: w,
                outcome,
                placements,
            });
        }
        let services = self
            .services
            .iter()
            .enumerate()
            .map(|(j, s)| {
                let capacity = net.capacity.get(j).copied().unwrap_or(0);
                let load = flow.load.get(j).copied().unwrap_or(0);
                totals.capacity += u64::from(capacity);
                ServiceLoad {
                    service: s.id.clone(),
                    capacity,
                    load,
                    remaining: capacity.saturating_sub(load),
                    cases: distinct.get(j).copied().unwrap_or(0),
                }
            })
            .collect();
        Assignment {
            cases: out_cases,
            services,
            totals,
        }
    }

    fn shortfall(
        &self,
        k: usize,
        w: u32,
        held_by: &[Vec<(u32, u32)>],
        flow: &flow::Flow,
    ) -> Shortfall {
        let net = &self.net;
        let lo = net.arc_start.get(k).copied().unwrap_or(0) as usize;
        let hi = net.arc_start.get(k + 1).copied().unwrap_or(0) as usize;
        let eligible = u32::try_from(hi.saturating_sub(lo)).unwrap_or(u32::MAX);
        if eligible == 0 {
            return Shortfall::NoEligibleService;
        }
        let (mut places, mut higher, mut same) = (0u64, 0u64, 0u64);
        for a in lo..hi {
            let j = net.arc_service.get(a).copied().unwrap_or(0) as usize;
            places += u64::from(net.capacity.get(j).copied().unwrap_or(0));
            for &(hw, f) in held_by.get(j).map(Vec::as_slice).unwrap_or(&[]) {
                if hw > w {
                    higher += u64::from(f);
                } else if hw == w {
                    same += u64::from(f);
                }
            }
        }
        // The case's own places count as neither.
        for a in lo..hi {
            same = same.saturating_sub(u64::from(flow.arc_flow.get(a).copied().unwrap_or(0)));
        }
        if places == 0 {
            Shortfall::NoCapacity {
                eligible_services: eligible,
            }
        } else if higher >= places {
            Shortfall::OutrankedByHigherPriority {
                eligible_services: eligible,
                places,
                held_by_higher_priority: higher,
            }
        } else {
            Shortfall::CapacityExhausted {
                eligible_services: eligible,
                places,
                held_by_higher_priority: higher,
                held_by_same_priority: same,
            }
        }
    }
}
