//! The plain reference beside the solver: the best objective of a tiny problem by trying every
//! assignment. Exponential, so it refuses problems past [`MAX_ORACLE_ARCS`] eligible pairs,
//! [`MAX_ORACLE_UNITS`] places demanded or [`MAX_ORACLE_SPREADS`] ways to spread them; the tests and the differential fuzz target compare the
//! solver's totals with it.

use super::problem::AssignmentProblem;
use beside_core::{ServiceId, Validate};
use std::collections::HashMap;

/// The most eligible pairs the oracle tries.
pub const MAX_ORACLE_ARCS: usize = 40;
/// The most places, summed over the cases, the oracle tries.
pub const MAX_ORACLE_UNITS: i64 = 16;

/// The most assignments the oracle enumerates, counted before capacities
/// prune. Where capacities prune little, each way costs about 50 ns (release build: a problem
/// of 25 pairs and 13 places under 20 million ways took 1.0 s), so this limit keeps the oracle
/// near a tenth of a second: the differential fuzz target runs each input under a 1 s limit.
/// Seven cases of two places, each eligible for five services, are 21^7 (1.8 billion) ways,
/// within the other two limits (7.5 s): this one is what keeps the oracle quick.
pub const MAX_ORACLE_SPREADS: i64 = 2_000_000;

/// What the solver optimises, in its order: the larger priority value, then more places filled,
/// then the lower total cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Objective {
    /// Sum over filled places of their case's weight.
    pub priority_value: u64,
    /// Places filled.
    pub units_placed: u64,
    /// Total cost of the places filled.
    pub total_cost: i64,
}

impl Objective {
    /// Whether `self` is strictly better than `other`.
    pub fn better_than(&self, other: &Objective) -> bool {
        (self.priority_value, self.units_placed, -self.total_cost)
            > (other.priority_value, other.units_placed, -other.total_cost)
    }
}

/// Why the oracle did not answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OracleError {
    /// The problem is invalid (as [`super::solve`] would say).
    #[error("invalid problem: {0}")]
    Invalid(#[from] beside_core::ValidationErrors),
    /// Too big to enumerate.
    #[error("too big for the exhaustive oracle: {what} is {got}, at most {max}")]
    TooBig {
        /// What is too big.
        what: &'static str,
        /// How big it is.
        got: i64,
        /// The most the oracle tries.
        max: i64,
    },
    /// An invariant of the enumeration failed: a bug in the oracle.
    #[error("internal error in the oracle: {0}")]
    Internal(&'static str),
}

/// One case as the enumeration sees it: its weight, its places, and its eligible services
/// (position in the capacities, cost of one place).
struct Case {
    weight: i64,
    demand: i64,
    options: Vec<(usize, i64)>,
}

/// **The best objective**, by enumerating every way to spread each case's places over its
/// eligible services (or to leave them unplaced) within the capacities.
pub fn best_objective(problem: &AssignmentProblem) -> Result<Objective, OracleError> {
    problem.validate()?;
    if problem.eligible.len() > MAX_ORACLE_ARCS {
        return Err(OracleError::TooBig {
            what: "eligible pairs",
            got: i64::try_from(problem.eligible.len())
                .map_err(|_| OracleError::Internal("pair count"))?,
            max: MAX_ORACLE_ARCS as i64,
        });
    }
    let units: i64 = problem.cases.iter().map(|c| c.demand).sum();
    if units > MAX_ORACLE_UNITS {
        return Err(OracleError::TooBig {
            what: "places demanded",
            got: units,
            max: MAX_ORACLE_UNITS,
        });
    }
    let position: HashMap<&ServiceId, usize> = problem
        .services
        .iter()
        .enumerate()
        .map(|(j, s)| (&s.id, j))
        .collect();
    let cases: Vec<Case> = problem
        .cases
        .iter()
        .map(|c| Case {
            weight: c.weight,
            demand: c.demand,
            options: problem
                .eligible
                .iter()
                .filter(|a| a.case == c.id)
                .filter_map(|a| position.get(&a.service).map(|&j| (j, a.cost)))
                .collect(),
        })
        .collect();
    let ways = spreads(&cases)?;
    if ways > MAX_ORACLE_SPREADS {
        return Err(OracleError::TooBig {
            what: "ways to spread the places",
            got: ways,
            max: MAX_ORACLE_SPREADS,
        });
    }
    let mut left: Vec<i64> = problem.services.iter().map(|s| s.capacity).collect();
    let mut best = Objective::default();
    place(&cases, &mut left, Objective::default(), &mut best)?;
    Ok(best)
}

/// How many assignments the enumeration tries, capacities aside: the product over the cases of
/// the ways to put up to `demand` places on `n` options, C(n + demand, demand). Saturating at
/// `i64::MAX`: a saturated step divided by at most [`MAX_ORACLE_UNITS`] stays far past
/// [`MAX_ORACLE_SPREADS`], so a count too big to hold is refused as one just past the limit.
fn spreads(cases: &[Case]) -> Result<i64, OracleError> {
    let mut product: i64 = 1;
    for case in cases {
        let n = i64::try_from(case.options.len())
            .map_err(|_| OracleError::Internal("an option count"))?;
        // C(n + d, d) built up as a product of (n + i) / i, exact at every unsaturated step.
        let mut ways: i64 = 1;
        for i in 1..=case.demand {
            ways = ways.saturating_mul(n + i) / i;
        }
        product = product.saturating_mul(ways);
    }
    Ok(product)
}

/// Every spread of the first case's places, then the rest of the cases.
fn place(
    cases: &[Case],
    left: &mut [i64],
    acc: Objective,
    best: &mut Objective,
) -> Result<(), OracleError> {
    match cases.split_first() {
        None => {
            if acc.better_than(best) {
                *best = acc;
            }
            Ok(())
        }
        Some((case, rest)) => spread(case, &case.options, case.demand, rest, left, acc, best),
    }
}

/// Every way to put up to `units` places of `case` on `options`, then the other cases.
fn spread(
    case: &Case,
    options: &[(usize, i64)],
    units: i64,
    rest: &[Case],
    left: &mut [i64],
    acc: Objective,
    best: &mut Objective,
) -> Result<(), OracleError> {
    let Some((&(j, cost), more)) = options.split_first().filter(|_| units > 0) else {
        return place(rest, left, acc, best);
    };
    // INVARIANT: `j` is a service's position, from the capacities' own enumeration.
    let free = *left
        .get(j)
        .ok_or(OracleError::Internal("a service position"))?;
    for x in 0..=units.min(free) {
        let (value, placed) = (
            u64::try_from(case.weight * x).map_err(|_| OracleError::Internal("a weight"))?,
            u64::try_from(x).map_err(|_| OracleError::Internal("a place count"))?,
        );
        let next = Objective {
            priority_value: acc.priority_value + value,
            units_placed: acc.units_placed + placed,
            total_cost: acc.total_cost + cost * x,
        };
        set(left, j, free - x)?;
        spread(case, more, units - x, rest, left, next, best)?;
        set(left, j, free)?;
    }
    Ok(())
}

/// Set the places left at service `j`.
fn set(left: &mut [i64], j: usize, places: i64) -> Result<(), OracleError> {
    *left
        .get_mut(j)
        .ok_or(OracleError::Internal("a service position"))? = places;
    Ok(())
}
