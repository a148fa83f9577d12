//! Deterministic synthetic caseloads, for benchmarks and for comparing with other solvers.
//!
//! Cases and services are points on a 1,000 x 1,000 grid; each case is eligible for
//! `eligible_per_case` services drawn from its `2 * eligible_per_case` nearest, at a cost of the
//! rounded distance plus a preference term in `0..100`. Weights are 1 (70 %), 2 (20 %) or 3
//! (10 %); demand is 1 (95 %) or 2. The same spec always gives the same problem.

use super::problem::{AssignCase, AssignService, AssignmentProblem, EligibleArc};
use beside_core::rng::SplitMix64;
use beside_core::{CaseId, ServiceId};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt::Write as _;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct CaseloadSpec {
    /// Cases.
    pub cases: u32,
    /// Services.
    pub services: u32,
    /// Eligible services per case (fewer when there are fewer services).
    pub eligible_per_case: u32,
    /// Smallest capacity of a service.
    pub capacity_min: u32,
    /// Largest capacity of a service.
    pub capacity_max: u32,
    /// Seed of the generator.
    pub seed: u64,
}

impl CaseloadSpec {
    /// The benchmark instance: 10,000 cases, 2,000 services, 50 eligible services per case,
    /// capacities 3 to 6 (about 9,000 places for about 10,500 needed).
    pub fn benchmark() -> Self {
        Self {
            cases: 10_000,
            services: 2_000,
            eligible_per_case: 50,
            capacity_min: 3,
            capacity_max: 6,
            seed: 42,
        }
    }
}

/// Generate the problem described by `spec`. Ids are zero-padded (`case-00001`, `svc-0001`),
/// so id order is generation order.
pub fn generate(spec: &CaseloadSpec) -> AssignmentProblem {
    let mut rng = SplitMix64::new(spec.seed);
    let point = |rng: &mut SplitMix64| (rng.below(1000) as i64, rng.below(1000) as i64);
    let services: Vec<(i64, i64)> = (0..spec.services).map(|_| point(&mut rng)).collect();
    let span = u64::from(spec.capacity_max.saturating_sub(spec.capacity_min)) + 1;
    let mut problem = AssignmentProblem::default();
    for (j, _) in services.iter().enumerate() {
        let capacity = i64::from(spec.capacity_min) + rng.below(span) as i64;
        if let Ok(id) = ServiceId::new(format!("svc-{:04}", j + 1)) {
            problem.services.push(AssignService { id, capacity });
        }
    }
    let want = (spec.eligible_per_case as usize).min(services.len());
    let pool = (2 * want).min(services.len());
    let mut order: Vec<(i64, u32)> = Vec::with_capacity(services.len());
    for k in 0..spec.cases {
        let (x, y) = point(&mut rng);
        let r = rng.below(100);
        let weight = if r < 70 {
            1
        } else if r < 90 {
            2
        } else {
            3
        };
        let demand = if rng.below(100) < 95 { 1 } else { 2 };
        let Ok(case) = CaseId::new(format!("case-{:05}", k + 1)) else {
            continue;
        };
        problem.cases.push(AssignCase {
            id: case.clone(),
            weight,
            demand,
        });
        order.clear();
        order.extend(
            services
                .iter()
                .enumerate()
                .map(|(j, &(sx, sy))| ((sx - x).pow(2) + (sy - y).pow(2), j as u32)),
        );
        if pool > 0 && pool < order.len() {
            order.select_nth_unstable(pool - 1);
        }
        order.truncate(pool);
        order.sort_unstable();
        // Partial Fisher-Yates: `want` of the `pool` nearest.
        for i in 0..want {
            let pick = i + rng.below((pool - i) as u64) as usize;
            order.swap(i, pick);
        }
        let Some(chosen) = order.get(..want) else {
            continue;
        };
        for &(d2, j) in chosen {
            let distance = (d2 as f64).sqrt().round() as i64;
            let cost = distance + rng.below(100) as i64;
            if let Some(s) = problem.services.get(j as usize) {
                problem.eligible.push(EligibleArc {
                    case: case.clone(),
                    service: s.id.clone(),
                    cost,
                });
            }
        }
    }
    problem
}

/// The problem as plain text for other solvers (`benches/compare/`): a header line
/// `beside-assign-v1 <cases> <services> <arcs>`, then one line `<weight> <demand>` per case,
/// one line `<capacity>` per service, and one line `<case> <service> <cost>` per eligible pair,
/// with cases and services numbered from 0 in the order they appear in the problem. Pairs that
/// name unknown ids are left out (validate the problem first).
pub fn to_instance_text(problem: &AssignmentProblem) -> String {
    let case_index: HashMap<&str, usize> = problem
        .cases
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let service_index: HashMap<&str, usize> = problem
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let arcs: Vec<(usize, usize, i64)> = problem
        .eligible
        .iter()
        .filter_map(|a| {
            Some((
                *case_index.get(a.case.as_str())?,
                *service_index.get(a.service.as_str())?,
                a.cost,
            ))
        })
        .collect();
    let mut out = String::with_capacity(16 * arcs.len() + 64);
    let _ = writeln!(
        out,
        "beside-assign-v1 {} {} {}",
        problem.cases.len(),
        problem.services.len(),
        arcs.len()
    );
    for c in &problem.cases {
        let _ = writeln!(out, "{} {}", c.weight, c.demand);
    }
    for s in &problem.services {
        let _ = writeln!(out, "{}", s.capacity);
    }
    for (k, j, c) in arcs {
        let _ = writeln!(out, "{k} {j} {c}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use beside_core::Validate;

    #[test]
    fn generation_is_deterministic_and_valid() {
        let spec = CaseloadSpec {
            cases: 50,
            services: 12,
            eligible_per_case: 5,
            capacity_min: 0,
            capacity_max: 4,
            seed: 7,
        };
        let a = generate(&spec);
        assert_eq!(a, generate(&spec));
        assert_eq!(a.cases.len(), 50);
        assert_eq!(a.eligible.len(), 250);
        assert!(a.validate().is_ok());
        let text = to_instance_text(&a);
        assert!(text.starts_with("beside-assign-v1 50 12 250\n"));
        assert_eq!(text.lines().count(), 1 + 50 + 12 + 250);
    }
}
