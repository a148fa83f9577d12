//! The assignments table, `beside.assignments/1`: a row per case of a batch assignment (see
//! the module docs).

use super::columns::{structs, Codes, Ends};
use super::{assign_error, fault, Fault, ASSIGNMENTS, OUTCOME_CODES, SHORTFALL_CODES};
use crate::assign::{AssignError, Assignment, CaseAssignment, CaseOutcome, Shortfall};
use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, Int64Array, RecordBatch, UInt32Array, UInt64Array};
use beside_core::table::{record_batch, write_ipc_stream};
use std::sync::Arc;

/// The figures of one decision: places needed and filled, their cost, and the shortfall.
struct OutcomeRow<'r> {
    demand: u32,
    units: u32,
    cost: i64,
    shortfall: Option<&'r Shortfall>,
}

/// The figures of one decision. An `assigned` case needed the places it got; an `unassigned`
/// one got none, at no cost.
fn outcome_row(o: &CaseOutcome) -> OutcomeRow<'_> {
    match o {
        CaseOutcome::Assigned { units, cost } => OutcomeRow {
            demand: *units,
            units: *units,
            cost: *cost,
            shortfall: None,
        },
        CaseOutcome::PartlyAssigned {
            units,
            demand,
            cost,
            shortfall,
        } => OutcomeRow {
            demand: *demand,
            units: *units,
            cost: *cost,
            shortfall: Some(shortfall),
        },
        CaseOutcome::Unassigned { demand, shortfall } => OutcomeRow {
            demand: *demand,
            units: 0,
            cost: 0,
            shortfall: Some(shortfall),
        },
    }
}

/// The figures of a shortfall: eligible services, places, and those held by higher and by the
/// same priority, each null where the reason has none.
type ShortfallFigures = (Option<u32>, Option<u64>, Option<u64>, Option<u64>);

fn shortfall_figures(s: &Shortfall) -> ShortfallFigures {
    match s {
        Shortfall::NoEligibleService => (None, None, None, None),
        Shortfall::NoCapacity { eligible_services } => (Some(*eligible_services), None, None, None),
        Shortfall::OutrankedByHigherPriority {
            eligible_services,
            places,
            held_by_higher_priority,
        } => (
            Some(*eligible_services),
            Some(*places),
            Some(*held_by_higher_priority),
            None,
        ),
        Shortfall::CapacityExhausted {
            eligible_services,
            places,
            held_by_higher_priority,
            held_by_same_priority,
        } => (
            Some(*eligible_services),
            Some(*places),
            Some(*held_by_higher_priority),
            Some(*held_by_same_priority),
        ),
    }
}

/// The columns of an assignments table, filled case by case.
struct AssignmentsWriter {
    case_id: StringBuilder,
    weight: Vec<u32>,
    outcome: Codes,
    demand: Vec<u32>,
    units: Vec<u32>,
    cost: Vec<i64>,
    service_id: StringBuilder,
    placement_service: StringBuilder,
    placement_units: Vec<u32>,
    placement_unit_cost: Vec<i64>,
    placement_cost: Vec<i64>,
    placement_ends: Ends,
    shortfall: Codes,
    eligible_services: Vec<Option<u32>>,
    places: Vec<Option<u64>>,
    held_by_higher_priority: Vec<Option<u64>>,
    held_by_same_priority: Vec<Option<u64>>,
}

impl AssignmentsWriter {
    fn new() -> Self {
        AssignmentsWriter {
            case_id: StringBuilder::new(),
            weight: Vec::new(),
            outcome: Codes::new(OUTCOME_CODES),
            demand: Vec::new(),
            units: Vec::new(),
            cost: Vec::new(),
            service_id: StringBuilder::new(),
            placement_service: StringBuilder::new(),
            placement_units: Vec::new(),
            placement_unit_cost: Vec::new(),
            placement_cost: Vec::new(),
            placement_ends: Ends::new(),
            shortfall: Codes::new(SHORTFALL_CODES),
            eligible_services: Vec::new(),
            places: Vec::new(),
            held_by_higher_priority: Vec::new(),
            held_by_same_priority: Vec::new(),
        }
    }

    fn push(&mut self, c: &CaseAssignment) -> Result<(), Fault> {
        let o = outcome_row(&c.outcome);
        self.case_id.append_value(c.case.as_str());
        self.weight.push(c.weight);
        self.outcome.push(Some(c.outcome.key()))?;
        self.demand.push(o.demand);
        self.units.push(o.units);
        self.cost.push(o.cost);
        self.service_id
            .append_option(match c.placements.as_slice() {
                [one] => Some(one.service.as_str()),
                _ => None,
            });
        for p in &c.placements {
            self.placement_service.append_value(p.service.as_str());
            self.placement_units.push(p.units);
            self.placement_unit_cost.push(p.unit_cost);
            self.placement_cost.push(p.cost);
        }
        self.placement_ends.close(self.placement_units.len())?;
        self.shortfall.push(o.shortfall.map(Shortfall::key))?;
        let (eligible, places, higher, same) = o
            .shortfall
            .map_or((None, None, None, None), shortfall_figures);
        self.eligible_services.push(eligible);
        self.places.push(places);
        self.held_by_higher_priority.push(higher);
        self.held_by_same_priority.push(same);
        Ok(())
    }

    fn finish(mut self) -> Result<RecordBatch, Fault> {
        let placements = structs(vec![
            (
                "service_id",
                Arc::new(self.placement_service.finish()),
                false,
            ),
            (
                "units",
                Arc::new(UInt32Array::from(self.placement_units)),
                false,
            ),
            (
                "unit_cost",
                Arc::new(Int64Array::from(self.placement_unit_cost)),
                false,
            ),
            (
                "cost",
                Arc::new(Int64Array::from(self.placement_cost)),
                false,
            ),
        ])?;
        let columns: Vec<(&str, ArrayRef, bool)> = vec![
            ("case_id", Arc::new(self.case_id.finish()), false),
            ("weight", Arc::new(UInt32Array::from(self.weight)), false),
            ("outcome", self.outcome.finish()?, false),
            ("demand", Arc::new(UInt32Array::from(self.demand)), false),
            ("units", Arc::new(UInt32Array::from(self.units)), false),
            ("cost", Arc::new(Int64Array::from(self.cost)), false),
            ("service_id", Arc::new(self.service_id.finish()), true),
            ("placements", self.placement_ends.finish(placements)?, false),
            ("shortfall", self.shortfall.finish()?, true),
            (
                "eligible_services",
                Arc::new(UInt32Array::from(self.eligible_services)),
                true,
            ),
            ("places", Arc::new(UInt64Array::from(self.places)), true),
            (
                "held_by_higher_priority",
                Arc::new(UInt64Array::from(self.held_by_higher_priority)),
                true,
            ),
            (
                "held_by_same_priority",
                Arc::new(UInt64Array::from(self.held_by_same_priority)),
                true,
            ),
        ];
        record_batch(ASSIGNMENTS, columns).map_err(|e| fault(e.to_string()))
    }
}

/// A batch assignment as an assignments table (`beside.assignments/1`, see the module docs):
/// one row per case, with its decision, its placements and the figures of its shortfall.
pub fn assignments_table(assignment: &Assignment) -> Result<RecordBatch, AssignError> {
    let mut w = AssignmentsWriter::new();
    for c in &assignment.cases {
        w.push(c).map_err(assign_error)?;
    }
    w.finish().map_err(assign_error)
}

/// [`assignments_table`] as Arrow IPC stream bytes.
pub fn assignments_ipc(assignment: &Assignment) -> Result<Vec<u8>, AssignError> {
    write_ipc_stream(&assignments_table(assignment)?)
        .map_err(|e| assign_error(fault(e.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assign::synthetic::{generate, CaseloadSpec};
    use crate::assign::{solve, AssignCase, AssignmentTotals, Placement};
    use crate::table::tests::{codes, col, field, i64s, lists, read, texts, u32s, u64s};
    use arrow_array::cast::AsArray;
    use beside_core::{CaseId, ServiceId};

    fn shortfall_of(code: &str, figures: ShortfallFigures) -> Shortfall {
        match (code, figures) {
            ("no_eligible_service", (None, None, None, None)) => Shortfall::NoEligibleService,
            ("no_capacity", (Some(eligible_services), None, None, None)) => {
                Shortfall::NoCapacity { eligible_services }
            }
            (
                "outranked_by_higher_priority",
                (Some(eligible_services), Some(places), Some(held_by_higher_priority), None),
            ) => Shortfall::OutrankedByHigherPriority {
                eligible_services,
                places,
                held_by_higher_priority,
            },
            (
                "capacity_exhausted",
                (
                    Some(eligible_services),
                    Some(places),
                    Some(held_by_higher_priority),
                    Some(held_by_same_priority),
                ),
            ) => Shortfall::CapacityExhausted {
                eligible_services,
                places,
                held_by_higher_priority,
                held_by_same_priority,
            },
            other => panic!("a shortfall with other figures: {other:?}"),
        }
    }

    /// Write `a` as an assignments table, read it back, and check that its rows are the cases,
    /// in order, with every figure.
    fn check_assignments(a: &Assignment) -> RecordBatch {
        let b = read(&assignments_ipc(a).unwrap(), ASSIGNMENTS);
        assert_eq!(b.num_rows(), a.cases.len());
        let case_id = texts(col(&b, "case_id"));
        let weight = u32s(col(&b, "weight"));
        let outcome = codes(col(&b, "outcome"));
        let (demand, units, cost) = (
            u32s(col(&b, "demand")),
            u32s(col(&b, "units")),
            i64s(col(&b, "cost")),
        );
        let service = texts(col(&b, "service_id"));
        let placements = lists(col(&b, "placements"));
        let shortfall = codes(col(&b, "shortfall"));
        let eligible = u32s(col(&b, "eligible_services"));
        let places = u64s(col(&b, "places"));
        let (higher, same) = (
            u64s(col(&b, "held_by_higher_priority")),
            u64s(col(&b, "held_by_same_priority")),
        );
        for (row, c) in a.cases.iter().enumerate() {
            let what = format!("case {}", c.case);
            let s = placements[row].as_ref().unwrap().as_struct().clone();
            let read_placements: Vec<Placement> = texts(field(&s, "service_id"))
                .into_iter()
                .zip(u32s(field(&s, "units")))
                .zip(
                    i64s(field(&s, "unit_cost"))
                        .into_iter()
                        .zip(i64s(field(&s, "cost"))),
                )
                .map(|((id, units), (unit_cost, cost))| Placement {
                    service: ServiceId::new(id.unwrap()).unwrap(),
                    units: units.unwrap(),
                    unit_cost: unit_cost.unwrap(),
                    cost: cost.unwrap(),
                })
                .collect();
            let short = shortfall[row].as_deref().map(|code| {
                shortfall_of(code, (eligible[row], places[row], higher[row], same[row]))
            });
            if short.is_none() {
                assert_eq!(
                    (eligible[row], places[row], higher[row], same[row]),
                    (None, None, None, None),
                    "{what}"
                );
            }
            let (units, demand, cost) = (
                units[row].unwrap(),
                demand[row].unwrap(),
                cost[row].unwrap(),
            );
            let read_outcome = match (outcome[row].as_deref().unwrap(), short) {
                ("assigned", None) => {
                    assert_eq!(demand, units, "{what}");
                    CaseOutcome::Assigned { units, cost }
                }
                ("partly_assigned", Some(shortfall)) => CaseOutcome::PartlyAssigned {
                    units,
                    demand,
                    cost,
                    shortfall,
                },
                ("unassigned", Some(shortfall)) => {
                    assert_eq!((units, cost), (0, 0), "{what}");
                    CaseOutcome::Unassigned { demand, shortfall }
                }
                other => panic!("{what}: {other:?}"),
            };
            let read = CaseAssignment {
                case: CaseId::new(case_id[row].clone().unwrap()).unwrap(),
                weight: weight[row].unwrap(),
                outcome: read_outcome,
                placements: read_placements,
            };
            assert_eq!(&read, c, "{what}");
            let one = match c.placements.as_slice() {
                [p] => Some(p.service.to_string()),
                _ => None,
            };
            assert_eq!(service[row], one, "{what}");
        }
        b
    }

    #[test]
    fn assignment_rows_are_the_cases_with_their_decisions() {
        let mut problem = generate(&CaseloadSpec {
            cases: 60,
            services: 8,
            eligible_per_case: 2,
            capacity_min: 1,
            capacity_max: 4,
            seed: 7,
        });
        problem.cases.push(AssignCase {
            id: CaseId::new("case-alone").unwrap(),
            weight: 2,
            demand: 1,
        });
        let a = solve(&problem).unwrap();
        let b = check_assignments(&a);
        let outcomes: std::collections::BTreeSet<String> = codes(col(&b, "outcome"))
            .into_iter()
            .map(Option::unwrap)
            .collect();
        assert_eq!(outcomes.len(), 3, "{outcomes:?}");
        let shortfalls: std::collections::BTreeSet<String> =
            codes(col(&b, "shortfall")).into_iter().flatten().collect();
        assert!(shortfalls.contains("no_eligible_service"), "{shortfalls:?}");
        assert!(shortfalls.len() >= 2, "{shortfalls:?}");
    }

    #[test]
    fn every_decision_and_shortfall_is_written_with_its_figures() {
        let shortfalls = [
            Shortfall::NoEligibleService,
            Shortfall::NoCapacity {
                eligible_services: 2,
            },
            Shortfall::OutrankedByHigherPriority {
                eligible_services: 3,
                places: 4,
                held_by_higher_priority: 4,
            },
            Shortfall::CapacityExhausted {
                eligible_services: 2,
                places: 5,
                held_by_higher_priority: 1,
                held_by_same_priority: 4,
            },
        ];
        let place = |service: &str, units: u32, unit_cost: i64| Placement {
            service: ServiceId::new(service).unwrap(),
            units,
            unit_cost,
            cost: i64::from(units) * unit_cost,
        };
        let mut cases = vec![
            CaseAssignment {
                case: CaseId::new("c-00").unwrap(),
                weight: 1,
                outcome: CaseOutcome::Assigned { units: 1, cost: 7 },
                placements: vec![place("s-1", 1, 7)],
            },
            CaseAssignment {
                case: CaseId::new("c-01").unwrap(),
                weight: 3,
                outcome: CaseOutcome::Assigned { units: 3, cost: 11 },
                placements: vec![place("s-1", 1, 5), place("s-2", 2, 3)],
            },
        ];
        for (i, s) in shortfalls.iter().enumerate() {
            cases.push(CaseAssignment {
                case: CaseId::new(format!("c-1{i}")).unwrap(),
                weight: 2,
                outcome: CaseOutcome::PartlyAssigned {
                    units: 1,
                    demand: 2,
                    cost: 9,
                    shortfall: s.clone(),
                },
                placements: vec![place("s-3", 1, 9)],
            });
            cases.push(CaseAssignment {
                case: CaseId::new(format!("c-2{i}")).unwrap(),
                weight: 0,
                outcome: CaseOutcome::Unassigned {
                    demand: 1,
                    shortfall: s.clone(),
                },
                placements: vec![],
            });
        }
        let a = Assignment {
            cases,
            services: vec![],
            totals: AssignmentTotals {
                priority_value: 0,
                units_placed: 0,
                total_cost: 0,
                units_demanded: 0,
                capacity: 0,
                cases_assigned: 0,
                cases_partly_assigned: 0,
                cases_unassigned: 0,
            },
        };
        let b = check_assignments(&a);
        assert_eq!(b.num_rows(), 10);
        let service = texts(col(&b, "service_id"));
        assert_eq!(service[0].as_deref(), Some("s-1"));
        assert_eq!(service[1], None, "two services hold the places");
    }
}
