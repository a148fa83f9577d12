//! The result of a batch assignment: one decision per case, the load of every service, totals.

use beside_core::{CaseId, ServiceId};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Places of one case filled at one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Placement {
    /// The service.
    pub service: ServiceId,
    /// Places filled there.
    pub units: u32,
    /// Cost of one place on this pair.
    pub unit_cost: i64,
    /// `units * unit_cost`.
    pub cost: i64,
}

/// Why some or all places of a case could not be filled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Shortfall {
    /// No service is eligible for the case: every pair was excluded by a hard constraint.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    NoEligibleService,
    /// Services are eligible, but none of them has any open place.
    NoCapacity {
        /// Eligible services.
        eligible_services: u32,
    },
    /// Every place at the eligible services went to cases of higher priority weight.
    OutrankedByHigherPriority {
        /// Eligible services.
        eligible_services: u32,
        /// Open places at those services.
        places: u64,
        /// Places there held by cases of higher weight.
        held_by_higher_priority: u64,
    },
    /// The eligible services are full; some of their places went to cases of the same weight
    /// because that placed more people or cost less overall.
    CapacityExhausted {
        /// Eligible services.
        eligible_services: u32,
        /// Open places at those services.
        places: u64,
        /// Places there held by cases of higher weight.
        held_by_higher_priority: u64,
        /// Places there held by other cases of the same weight.
        held_by_same_priority: u64,
    },
}

/// The decision for one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum CaseOutcome {
    /// Every place the case needs was filled.
    Assigned {
        /// Places filled (the demand).
        units: u32,
        /// Total cost of those places.
        cost: i64,
    },
    /// Some of the places were filled.
    PartlyAssigned {
        /// Places filled.
        units: u32,
        /// Places needed.
        demand: u32,
        /// Total cost of the filled places.
        cost: i64,
        /// Why the rest were not.
        shortfall: Shortfall,
    },
    /// No place was filled.
    Unassigned {
        /// Places needed.
        demand: u32,
        /// Why.
        shortfall: Shortfall,
    },
}

/// One case: its decision and where its places are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct CaseAssignment {
    /// The case.
    pub case: CaseId,
    /// Its priority weight.
    pub weight: u32,
    /// The decision, with its figures.
    pub outcome: CaseOutcome,
    /// Where the filled places are, by service id; empty when unassigned.
    pub placements: Vec<Placement>,
}

/// One service: places used against capacity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ServiceLoad {
    /// The service.
    pub service: ServiceId,
    /// Open places before the assignment.
    pub capacity: u32,
    /// Places assigned.
    pub load: u32,
    /// Places left: `capacity - load`.
    pub remaining: u32,
    /// Distinct cases placed here.
    pub cases: u32,
}

/// The objective reached, and counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct AssignmentTotals {
    /// First objective, maximised: the sum over filled places of their case's weight.
    pub priority_value: u64,
    /// Second objective, maximised: places filled.
    pub units_placed: u64,
    /// Third objective, minimised: total cost of the filled places.
    pub total_cost: i64,
    /// Places needed by all cases.
    pub units_demanded: u64,
    /// Open places at all services.
    pub capacity: u64,
    /// Cases with every place filled.
    pub cases_assigned: u32,
    /// Cases with some places filled.
    pub cases_partly_assigned: u32,
    /// Cases with no place filled.
    pub cases_unassigned: u32,
}

/// An optimal assignment of a caseload to limited capacities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    /// One entry per case, by case id.
    pub cases: Vec<CaseAssignment>,
    /// One entry per service, by service id.
    pub services: Vec<ServiceLoad>,
    /// The objective and counts.
    pub totals: AssignmentTotals,
}

impl Shortfall {
    /// Stable key, as serialised (its `code` tag, such as `no_capacity`).
    pub fn key(&self) -> &'static str {
        match self {
            Self::NoEligibleService => "no_eligible_service",
            Self::NoCapacity { .. } => "no_capacity",
            Self::OutrankedByHigherPriority { .. } => "outranked_by_higher_priority",
            Self::CapacityExhausted { .. } => "capacity_exhausted",
        }
    }

    /// The label key of this reason (`assign.shortfall.no_capacity`).
    pub fn label_key(&self) -> &'static str {
        match self {
            Self::NoEligibleService => "assign.shortfall.no_eligible_service",
            Self::NoCapacity { .. } => "assign.shortfall.no_capacity",
            Self::OutrankedByHigherPriority { .. } => {
                "assign.shortfall.outranked_by_higher_priority"
            }
            Self::CapacityExhausted { .. } => "assign.shortfall.capacity_exhausted",
        }
    }

    /// The figures, to fill the label's placeholders.
    pub fn params(&self) -> BTreeMap<String, String> {
        let mut m = BTreeMap::new();
        match self {
            Self::NoEligibleService => {}
            Self::NoCapacity { eligible_services } => {
                m.insert("eligible_services".into(), eligible_services.to_string());
            }
            Self::OutrankedByHigherPriority {
                eligible_services,
                places,
                held_by_higher_priority,
            } => {
                m.insert("eligible_services".into(), eligible_services.to_string());
                m.insert("places".into(), places.to_string());
                m.insert(
                    "held_by_higher_priority".into(),
                    held_by_higher_priority.to_string(),
                );
            }
            Self::CapacityExhausted {
                eligible_services,
                places,
                held_by_higher_priority,
                held_by_same_priority,
            } => {
                m.insert("eligible_services".into(), eligible_services.to_string());
                m.insert("places".into(), places.to_string());
                m.insert(
                    "held_by_higher_priority".into(),
                    held_by_higher_priority.to_string(),
                );
                m.insert(
                    "held_by_same_priority".into(),
                    held_by_same_priority.to_string(),
                );
            }
        }
        m
    }
}

impl CaseOutcome {
    /// Stable key, as serialised (its `code` tag, such as `partly_assigned`).
    pub fn key(&self) -> &'static str {
        match self {
            Self::Assigned { .. } => "assigned",
            Self::PartlyAssigned { .. } => "partly_assigned",
            Self::Unassigned { .. } => "unassigned",
        }
    }

    /// The label key of this decision (`assign.outcome.assigned`).
    pub fn label_key(&self) -> &'static str {
        match self {
            Self::Assigned { .. } => "assign.outcome.assigned",
            Self::PartlyAssigned { .. } => "assign.outcome.partly_assigned",
            Self::Unassigned { .. } => "assign.outcome.unassigned",
        }
    }

    /// The figures, to fill the label's placeholders (the shortfall's own figures included).
    pub fn params(&self) -> BTreeMap<String, String> {
        let mut m = BTreeMap::new();
        match self {
            Self::Assigned { units, cost } => {
                m.insert("units".into(), units.to_string());
                m.insert("cost".into(), cost.to_string());
            }
            Self::PartlyAssigned {
                units,
                demand,
                cost,
                shortfall,
            } => {
                m.extend(shortfall.params());
                m.insert("units".into(), units.to_string());
                m.insert("demand".into(), demand.to_string());
                m.insert("cost".into(), cost.to_string());
            }
            Self::Unassigned { demand, shortfall } => {
                m.extend(shortfall.params());
                m.insert("demand".into(), demand.to_string());
            }
        }
        m
    }

    /// The reason places are missing, if any are.
    pub fn shortfall(&self) -> Option<&Shortfall> {
        match self {
            Self::Assigned { .. } => None,
            Self::PartlyAssigned { shortfall, .. } | Self::Unassigned { shortfall, .. } => {
                Some(shortfall)
            }
        }
    }
}

/// The English resource of batch assignment (`locales/en/assign.ftl`), complete: every key this
/// crate renders. Add it to [`beside_core::Labels`] with `Labels::english().with_english(..)`.
pub fn english_labels() -> &'static str {
    ENGLISH
}

/// The English resource of batch assignment, embedded.
pub const ENGLISH: &str = include_str!("../../locales/en/assign.ftl");

#[cfg(test)]
mod tests {
    use super::*;
    use beside_core::{Labels, LanguageCode};

    #[test]
    fn every_decision_renders_without_placeholders_left() {
        let labels = Labels::english().with_english(english_labels());
        let en = LanguageCode::new("en").unwrap();
        let shortfalls = [
            Shortfall::NoEligibleService,
            Shortfall::NoCapacity {
                eligible_services: 2,
            },
            Shortfall::OutrankedByHigherPriority {
                eligible_services: 2,
                places: 3,
                held_by_higher_priority: 3,
            },
            Shortfall::CapacityExhausted {
                eligible_services: 2,
                places: 3,
                held_by_higher_priority: 1,
                held_by_same_priority: 2,
            },
        ];
        let mut outcomes = vec![CaseOutcome::Assigned { units: 1, cost: 4 }];
        for s in shortfalls {
            outcomes.push(CaseOutcome::Unassigned {
                demand: 1,
                shortfall: s.clone(),
            });
            outcomes.push(CaseOutcome::PartlyAssigned {
                units: 1,
                demand: 2,
                cost: 4,
                shortfall: s.clone(),
            });
            let text = labels.render(s.label_key(), &en, &s.params());
            assert!(
                !text.contains('{') && !text.starts_with("assign."),
                "{text}"
            );
        }
        for o in outcomes {
            let text = labels.render(o.label_key(), &en, &o.params());
            assert!(
                !text.contains('{') && !text.starts_with("assign."),
                "{text}"
            );
        }
    }

    #[test]
    fn decisions_serialise_with_a_code() {
        let o = CaseOutcome::Unassigned {
            demand: 1,
            shortfall: Shortfall::NoEligibleService,
        };
        assert_eq!(
            serde_json::to_string(&o).unwrap(),
            r#"{"code":"unassigned","demand":1,"shortfall":{"code":"no_eligible_service"}}"#
        );
    }
}
