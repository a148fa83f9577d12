//! The input of a batch assignment: cases, services with capacities, and the eligible pairs.

use beside_core::{CaseId, Reason, ServiceId, Validate, Validator};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// The most cases one problem may hold.
pub const MAX_CASES: usize = 100_000;
/// The most services one problem may hold.
pub const MAX_SERVICES: usize = 100_000;
/// The most eligible (case, service) pairs one problem may hold.
pub const MAX_ARCS: usize = 5_000_000;
/// The largest priority weight of a case.
pub const MAX_WEIGHT: i64 = 1_000;
/// The largest demand (places needed) of one case.
pub const MAX_DEMAND: i64 = 1_000;
/// The largest capacity (open places) of one service.
pub const MAX_CAPACITY: i64 = 1_000_000;
/// The largest cost of one place on one eligible pair.
pub const MAX_COST: i64 = 1_000_000_000;

fn one() -> i64 {
    1
}

/// A case waiting for a place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct AssignCase {
    /// The case.
    pub id: CaseId,
    /// Priority weight, `0..=1000`, default 1. Each place filled for this case adds its weight
    /// to the priority value, which the solver maximises first (see the module documentation
    /// for the exact objective). Weight 0: placed only in places nobody else can use.
    #[serde(default = "one")]
    pub weight: i64,
    /// Places the case needs, `1..=1000`, default 1. Each place is a unit of its own: the
    /// places of one case may be filled at different eligible services.
    #[serde(default = "one")]
    pub demand: i64,
}

/// A service with a limited number of open places.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct AssignService {
    /// The service.
    pub id: ServiceId,
    /// Open places, `0..=1_000_000`.
    pub capacity: i64,
}

/// A pair allowed by every hard constraint, with the cost of one place there. Pairs not
/// listed are excluded and are never assigned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct EligibleArc {
    /// The case.
    pub case: CaseId,
    /// The service.
    pub service: ServiceId,
    /// Cost of one place, an integer `0..=1_000_000_000` (scale money or minutes to an integer
    /// unit so results are exact).
    pub cost: i64,
}

/// A caseload to assign to limited capacities.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct AssignmentProblem {
    /// The cases; ids unique.
    pub cases: Vec<AssignCase>,
    /// The services; ids unique.
    pub services: Vec<AssignService>,
    /// The eligible pairs; each (case, service) at most once.
    pub eligible: Vec<EligibleArc>,
}

fn int_range(v: &mut Validator, name: &str, got: i64, min: i64, max: i64) {
    if got < min {
        v.report_at(
            name,
            Reason::BelowMinimum {
                min: min as f64,
                got: got as f64,
            },
        );
    } else if got > max {
        v.report_at(
            name,
            Reason::AboveMaximum {
                max: max as f64,
                got: got as f64,
            },
        );
    }
}

impl Validate for AssignmentProblem {
    fn validate_with(&self, v: &mut Validator) {
        v.max_items("cases", &self.cases, MAX_CASES);
        v.max_items("services", &self.services, MAX_SERVICES);
        v.max_items("eligible", &self.eligible, MAX_ARCS);
        if !v.is_clean() {
            return;
        }
        let mut cases: HashMap<&str, u64> = HashMap::with_capacity(self.cases.len());
        v.field("cases", |v| {
            for (i, c) in self.cases.iter().enumerate() {
                v.index(i, |v| {
                    let next = cases.len() as u64;
                    if cases.insert(c.id.as_str(), next).is_some() {
                        v.report_at(
                            "id",
                            Reason::Duplicate {
                                value: c.id.to_string(),
                            },
                        );
                    }
                    int_range(v, "weight", c.weight, 0, MAX_WEIGHT);
                    int_range(v, "demand", c.demand, 1, MAX_DEMAND);
                });
            }
        });
        let mut services: HashMap<&str, u64> = HashMap::with_capacity(self.services.len());
        v.field("services", |v| {
            for (i, s) in self.services.iter().enumerate() {
                v.index(i, |v| {
                    let next = services.len() as u64;
                    if services.insert(s.id.as_str(), next).is_some() {
                        v.report_at(
                            "id",
                            Reason::Duplicate {
                                value: s.id.to_string(),
                            },
                        );
                    }
                    int_range(v, "capacity", s.capacity, 0, MAX_CAPACITY);
                });
            }
        });
        // Repeated pairs: sort (pair key, position) and mark all but the first of each key.
        let mut keys: Vec<(u64, u32)> = self
            .eligible
            .iter()
            .enumerate()
            .filter_map(|(i, a)| {
                let k = cases.get(a.case.as_str())?;
                let j = services.get(a.service.as_str())?;
                Some(((k << 32) | j, i as u32))
            })
            .collect();
        keys.sort_unstable();
        let repeats: HashSet<u32> = keys
            .windows(2)
            .filter_map(|w| match w {
                [a, b] if a.0 == b.0 => Some(b.1),
                _ => None,
            })
            .collect();
        v.field("eligible", |v| {
            for (i, a) in self.eligible.iter().enumerate() {
                v.index(i, |v| {
                    let known_case = cases.contains_key(a.case.as_str());
                    let known_service = services.contains_key(a.service.as_str());
                    if !known_case {
                        v.report_at(
                            "case",
                            Reason::MissingReference {
                                id: a.case.to_string(),
                            },
                        );
                    }
                    if !known_service {
                        v.report_at(
                            "service",
                            Reason::MissingReference {
                                id: a.service.to_string(),
                            },
                        );
                    }
                    int_range(v, "cost", a.cost, 0, MAX_COST);
                    if repeats.contains(&(i as u32)) {
                        v.report(Reason::Duplicate {
                            value: format!("{} -> {}", a.case, a.service),
                        });
                    }
                });
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn problem() -> AssignmentProblem {
        AssignmentProblem {
            cases: vec![AssignCase {
                id: CaseId::new("c1").unwrap(),
                weight: 1,
                demand: 1,
            }],
            services: vec![AssignService {
                id: ServiceId::new("s1").unwrap(),
                capacity: 1,
            }],
            eligible: vec![EligibleArc {
                case: CaseId::new("c1").unwrap(),
                service: ServiceId::new("s1").unwrap(),
                cost: 3,
            }],
        }
    }

    fn paths(p: &AssignmentProblem) -> Vec<String> {
        match p.validate_at(Utc::now()) {
            Ok(()) => Vec::new(),
            Err(e) => e.errors.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn a_good_problem_passes() {
        assert!(paths(&problem()).is_empty());
    }

    #[test]
    fn bad_fields_are_named() {
        let mut p = problem();
        p.cases.push(p.cases[0].clone());
        p.cases[0].weight = -1;
        p.services[0].capacity = -2;
        p.eligible[0].cost = -3;
        p.eligible.push(EligibleArc {
            case: CaseId::new("ghost").unwrap(),
            service: ServiceId::new("s1").unwrap(),
            cost: 1,
        });
        p.eligible.push(p.eligible[0].clone());
        let got = paths(&p);
        assert_eq!(
            got,
            vec![
                "cases[0].weight: must be >= 0, got -1",
                "cases[1].id: duplicate `c1`",
                "services[0].capacity: must be >= 0, got -2",
                "eligible[0].cost: must be >= 0, got -3",
                "eligible[1].case: refers to `ghost`, which does not exist",
                "eligible[2].cost: must be >= 0, got -3",
                "eligible[2]: duplicate `c1 -> s1`",
            ]
        );
    }

    #[test]
    fn demand_and_limits() {
        let mut p = problem();
        p.cases[0].demand = 0;
        p.cases[0].weight = MAX_WEIGHT + 1;
        assert_eq!(
            paths(&p),
            vec![
                "cases[0].weight: must be <= 1000, got 1001",
                "cases[0].demand: must be >= 1, got 0",
            ]
        );
    }

    #[test]
    fn defaults_apply_when_parsing() {
        let p: AssignmentProblem = beside_core::from_json(
            r#"{"cases":[{"id":"c1"}],"services":[{"id":"s1","capacity":2}],
                "eligible":[{"case":"c1","service":"s1","cost":0}]}"#,
        )
        .unwrap();
        assert_eq!(p.cases[0].weight, 1);
        assert_eq!(p.cases[0].demand, 1);
    }
}
