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
//! One solver, two exact stages on one residual graph (`scaling.rs`, `graph.rs`). Placing units
//! is a matroid and every unit of a case carries the same reward, so an assignment is optimal
//! for objectives 1 and 2 exactly when, for every weight `t`, the cases of weight `>= t` hold
//! as many places as they possibly can together. An incremental maximum flow (Dinic, 1970),
//! opening weight classes from the highest down, counts the places each class must hold; then
//! minimum-cost flow by cost scaling (Goldberg's push-relabel with price updates, 1997; costs
//! scaled by the node count so the result is exact) finds the cheapest assignment with those
//! counts (objective 3). Cost scaling was chosen over successive shortest paths with
//! potentials by measurement (it is several times faster at 10,000 cases), and it handles
//! every problem the input limits allow (prices are 128-bit). It assigns 10,000 cases to 2,000
//! services over 500,000 eligible pairs faster than Google OR-Tools' min-cost-flow on the same
//! instance, with the same optimum; see `benches/assign.rs` and `benches/compare/`.
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

mod graph;
pub mod oracle;
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
use graph::Broken;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Why a batch assignment could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AssignError {
    /// The problem was rejected; every problem names its field path.
    #[error("invalid assignment problem: {0}")]
    Invalid(#[from] ValidationErrors),
    /// The solver broke one of its own invariants (named here) on a valid problem: a bug in
    /// Beside, never a property of the input. No answer is given rather than a wrong one.
    #[error("internal error in the batch assignment, please report it: {invariant}")]
    Internal {
        /// The invariant that failed.
        invariant: &'static str,
    },
}

fn internal(b: Broken) -> AssignError {
    AssignError::Internal { invariant: b.0 }
}

/// Where the time of one [`solve_with_stats`] went, and how much work the solver did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
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
    /// Passes over the network: maximum-flow phases plus cost-scaling refines.
    pub searches: u64,
    /// Flow changes: augmenting paths plus pushes.
    pub augmentations: u64,
}

/// Solve a batch assignment exactly. See the module documentation for the objective and the
/// tie rule.
pub fn solve(problem: &AssignmentProblem) -> Result<Assignment, AssignError> {
    solve_with_stats(problem).map(|(a, _)| a)
}

/// Whole microseconds in a duration (a figure for people; it cannot reach 2^64 in practice,
/// and saturates if it did).
fn micros(d: Duration) -> u64 {
    d.as_secs()
        .saturating_mul(1_000_000)
        .saturating_add(u64::from(d.subsec_micros()))
}

/// [`solve`], also reporting where the time went.
pub fn solve_with_stats(
    problem: &AssignmentProblem,
) -> Result<(Assignment, AssignStats), AssignError> {
    let t = Instant::now();
    problem.validate()?;
    let validate_micros = micros(t.elapsed());
    let t = Instant::now();
    let canon = Canonical::new(problem).map_err(internal)?;
    let prepare_micros = micros(t.elapsed());
    let t = Instant::now();
    let solution = scaling::solve(&canon).map_err(internal)?;
    let flow_micros = micros(t.elapsed());
    let t = Instant::now();
    let assignment = canon.output(&solution).map_err(internal)?;
    let output_micros = micros(t.elapsed());
    Ok((
        assignment,
        AssignStats {
            validate_micros,
            prepare_micros,
            flow_micros,
            output_micros,
            searches: solution.work.passes,
            augmentations: solution.work.changes,
        },
    ))
}

/// A validated problem in canonical form: cases and services in id order, each case's pairs
/// in service order. The solver only ever sees this form, so input order never matters.
pub(crate) struct Canonical<'a> {
    /// The cases, by id.
    pub cases: Vec<CaseRow<'a>>,
    /// The services, by id.
    pub services: Vec<ServiceRow<'a>>,
}

/// A case in canonical form.
pub(crate) struct CaseRow<'a> {
    /// The case as given.
    pub case: &'a AssignCase,
    /// Its priority weight.
    pub weight: u32,
    /// Places it needs.
    pub demand: u32,
    /// Its eligible pairs, in service order.
    pub pairs: Vec<PairRow>,
}

/// An eligible pair of a case.
pub(crate) struct PairRow {
    /// Position of the service in [`Canonical::services`].
    pub service: usize,
    /// Cost of one place.
    pub cost: i64,
}

/// A service in canonical form.
pub(crate) struct ServiceRow<'a> {
    /// The service as given.
    pub service: &'a AssignService,
    /// Its open places.
    pub capacity: u32,
}

/// A validated figure as `u32`.
fn validated_u32(x: i64) -> Result<u32, Broken> {
    // INVARIANT: validation keeps weights, demands and capacities in 0..=1_000_000.
    u32::try_from(x).map_err(|_| Broken("a validated figure outside u32"))
}

impl<'a> Canonical<'a> {
    /// Expects a validated problem: a pair naming an unknown id is an internal error.
    fn new(problem: &'a AssignmentProblem) -> Result<Self, Broken> {
        let mut cases: Vec<&AssignCase> = problem.cases.iter().collect();
        cases.sort_by(|a, b| a.id.cmp(&b.id));
        let mut services: Vec<&AssignService> = problem.services.iter().collect();
        services.sort_by(|a, b| a.id.cmp(&b.id));
        let case_index: HashMap<&str, usize> = cases
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        let service_index: HashMap<&str, usize> = services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let mut pairs: Vec<Vec<PairRow>> = cases.iter().map(|_| Vec::new()).collect();
        for arc in &problem.eligible {
            // INVARIANT: validation refuses pairs naming unknown cases or services.
            let k = case_index
                .get(arc.case.as_str())
                .ok_or(Broken("a pair names an unknown case"))?;
            let service = *service_index
                .get(arc.service.as_str())
                .ok_or(Broken("a pair names an unknown service"))?;
            pairs
                .get_mut(*k)
                .ok_or(Broken("case index out of range"))?
                .push(PairRow {
                    service,
                    cost: arc.cost,
                });
        }
        let cases = cases
            .into_iter()
            .zip(pairs)
            .map(|(case, mut pairs)| {
                // Validation refuses repeated pairs, so service order is a total order.
                pairs.sort_unstable_by_key(|p| p.service);
                Ok(CaseRow {
                    case,
                    weight: validated_u32(case.weight)?,
                    demand: validated_u32(case.demand)?,
                    pairs,
                })
            })
            .collect::<Result<Vec<_>, Broken>>()?;
        let services = services
            .into_iter()
            .map(|service| {
                Ok(ServiceRow {
                    service,
                    capacity: validated_u32(service.capacity)?,
                })
            })
            .collect::<Result<Vec<_>, Broken>>()?;
        Ok(Self { cases, services })
    }

    fn service(&self, j: usize) -> Result<&ServiceRow<'a>, Broken> {
        // INVARIANT: pair service indices come from `services` itself.
        self.services
            .get(j)
            .ok_or(Broken("pair on an unknown service"))
    }

    fn output(&self, solution: &scaling::Solution) -> Result<Assignment, Broken> {
        // INVARIANT: the solution has a flow per pair of every case and a load per service
        // (the zips below would silently drop what is missing).
        let shaped = solution.pair_flow.len() == self.cases.len()
            && solution.load.len() == self.services.len()
            && self
                .cases
                .iter()
                .zip(&solution.pair_flow)
                .all(|(c, f)| c.pairs.len() == f.len());
        if !shaped {
            return Err(Broken("the solution does not match the problem's shape"));
        }
        // Per service: (weight, places) held, to explain shortfalls, and distinct cases.
        let mut held_by: Vec<Vec<(u32, u32)>> = vec![Vec::new(); self.services.len()];
        let mut distinct = vec![0u32; self.services.len()];
        for (case, flows) in self.cases.iter().zip(&solution.pair_flow) {
            for (pair, &f) in case.pairs.iter().zip(flows) {
                if f > 0 {
                    held_by
                        .get_mut(pair.service)
                        .ok_or(Broken("pair on an unknown service"))?
                        .push((case.weight, f));
                    *distinct
                        .get_mut(pair.service)
                        .ok_or(Broken("pair on an unknown service"))? += 1;
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
        for (case, flows) in self.cases.iter().zip(&solution.pair_flow) {
            let mut placements = Vec::new();
            let mut cost = 0i64;
            let mut units = 0u32;
            for (pair, &f) in case.pairs.iter().zip(flows) {
                if f == 0 {
                    continue;
                }
                placements.push(Placement {
                    service: self.service(pair.service)?.service.id.clone(),
                    units: f,
                    unit_cost: pair.cost,
                    cost: pair.cost * i64::from(f),
                });
                cost += pair.cost * i64::from(f);
                units += f;
            }
            totals.priority_value += u64::from(case.weight) * u64::from(units);
            totals.units_placed += u64::from(units);
            totals.total_cost += cost;
            totals.units_demanded += u64::from(case.demand);
            let outcome = if units >= case.demand {
                totals.cases_assigned += 1;
                CaseOutcome::Assigned { units, cost }
            } else {
                let shortfall = self.shortfall(case, flows, &held_by)?;
                if units == 0 {
                    totals.cases_unassigned += 1;
                    CaseOutcome::Unassigned {
                        demand: case.demand,
                        shortfall,
                    }
                } else {
                    totals.cases_partly_assigned += 1;
                    CaseOutcome::PartlyAssigned {
                        units,
                        demand: case.demand,
                        cost,
                        shortfall,
                    }
                }
            };
            out_cases.push(CaseAssignment {
                case: case.case.id.clone(),
                weight: case.weight,
                outcome,
                placements,
            });
        }
        let mut services = Vec::with_capacity(self.services.len());
        for ((service, &load), &cases) in self.services.iter().zip(&solution.load).zip(&distinct) {
            totals.capacity += u64::from(service.capacity);
            services.push(ServiceLoad {
                service: service.service.id.clone(),
                capacity: service.capacity,
                load,
                // INVARIANT: the flow respects every capacity.
                remaining: service
                    .capacity
                    .checked_sub(load)
                    .ok_or(Broken("a service over capacity"))?,
                cases,
            });
        }
        Ok(Assignment {
            cases: out_cases,
            services,
            totals,
        })
    }

    /// Why a case's places are missing, with the figures behind it (see [`Shortfall`]).
    fn shortfall(
        &self,
        case: &CaseRow<'_>,
        flows: &[u32],
        held_by: &[Vec<(u32, u32)>],
    ) -> Result<Shortfall, Broken> {
        if case.pairs.is_empty() {
            return Ok(Shortfall::NoEligibleService);
        }
        // INVARIANT: a case has at most MAX_SERVICES pairs.
        let eligible =
            u32::try_from(case.pairs.len()).map_err(|_| Broken("more pairs than u32"))?;
        let (mut places, mut higher, mut same) = (0u64, 0u64, 0u64);
        for pair in &case.pairs {
            places += u64::from(self.service(pair.service)?.capacity);
            let held = held_by
                .get(pair.service)
                .ok_or(Broken("pair on an unknown service"))?;
            for &(w, f) in held {
                if w > case.weight {
                    higher += u64::from(f);
                } else if w == case.weight {
                    same += u64::from(f);
                }
            }
        }
        // The case's own places count as neither.
        let own: u64 = flows.iter().map(|&f| u64::from(f)).sum();
        // INVARIANT: the case's own places are among those held at its weight.
        let same = same
            .checked_sub(own)
            .ok_or(Broken("a case's own places not counted at its weight"))?;
        Ok(if places == 0 {
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
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use beside_core::{CaseId, ServiceId};

    /// Beyond about 11,600 nodes, costs at the limit could overflow 64-bit prices; the solver
    /// uses 128-bit prices, so such a problem is solved exactly like any other.
    #[test]
    fn costs_at_the_limit_on_many_cases_are_solved_exactly() {
        let n = 20_000;
        let cheap = [7usize, 99, 5_000];
        let mut p = AssignmentProblem::default();
        let hub = ServiceId::new("hub").unwrap();
        p.services.push(AssignService {
            id: hub.clone(),
            capacity: 5,
        });
        for k in 0..n {
            let id = CaseId::new(format!("case-{k:05}")).unwrap();
            p.cases.push(AssignCase {
                id: id.clone(),
                weight: 1,
                demand: 1,
            });
            p.eligible.push(EligibleArc {
                case: id,
                service: hub.clone(),
                cost: if cheap.contains(&k) { 0 } else { MAX_COST },
            });
        }
        let a = solve(&p).unwrap();
        assert_eq!(a.totals.units_placed, 5);
        assert_eq!(a.totals.total_cost, 2 * MAX_COST);
        for k in cheap {
            assert_eq!(
                a.cases[k].outcome,
                CaseOutcome::Assigned { units: 1, cost: 0 }
            );
        }
    }

    #[test]
    fn an_internal_error_says_it_is_a_bug() {
        let e = AssignError::Internal {
            invariant: "a service over capacity",
        };
        assert_eq!(
            e.to_string(),
            "internal error in the batch assignment, please report it: a service over capacity"
        );
    }
}
