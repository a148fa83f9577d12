//! The fixtures the tables' tests share (the sample match results, typed reads of a column,
//! reading a table back), and the tests across tables: their documented columns and the codes
//! of their dictionaries.

use super::*;
use crate::assign::{Assignment, AssignmentTotals, CaseOutcome, Shortfall};
use crate::directory::{Directory, GenderServed, ServiceStatus};
use crate::gaps::PaperReason;
use crate::matching::{
    AreaTest, ConsentNotChecked, Exclusion, ExclusionCode, Factor, FactorBasis, MatchConfig,
    MatchIndex, MatchRequest, MatchResult, Money, PathwayStep, SafetyConcern, SafetyFlag, Veto,
};
use crate::table::exclusion_figures::tests::every_exclusion;
use crate::table::factors::tests::every_basis;
use crate::whereabouts::{DistanceBand, Withheld, WithheldReason};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type, Int8Type, UInt32Type, UInt64Type};
use arrow_array::{Array, ArrayRef, RecordBatch, StructArray};
use beside_core::table::{read_ipc_stream, SCHEMA_KEY};
use beside_core::{from_json, AreaPath, CaseProfile, DomainKey, OrganizationKind, Timestamp};
use chrono::{TimeZone as _, Utc};
use serde::Serialize;
use serde_json::json;

const DIRECTORY: &str = include_str!("../../../../data/samples/directory.json");
const CASES: &str = include_str!("../../../../data/samples/cases.json");

pub(super) fn now() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap()
}

pub(super) fn index() -> MatchIndex {
    let d: Directory = from_json(DIRECTORY).unwrap();
    MatchIndex::new(d).unwrap()
}

/// The bundled sample cases matched against the bundled directory, for six needs, some
/// with vetoes and safety flags, preferences, means, and short travel limits, so that the
/// results hold many kinds of factor, exclusion and near miss.
pub(super) fn sample_results(index: &MatchIndex) -> Vec<MatchResult> {
    let cases: Vec<CaseProfile> = from_json(CASES).unwrap();
    let needs: Vec<DomainKey> = [
        "shelter",
        "mental_health",
        "legal",
        "livelihood",
        "documents",
        "food",
    ]
    .iter()
    .map(|n| DomainKey::new(n).unwrap())
    .collect();
    let first_org = index.directory().organizations[0].id.clone();
    cases
        .iter()
        .enumerate()
        .map(|(i, case)| {
            let mut req = MatchRequest::from_case(case, needs.clone(), now());
            match i % 4 {
                0 => {
                    req.vetoes = vec![Veto::Kind {
                        kind: OrganizationKind::Police,
                    }];
                    req.safety_flags = vec![SafetyFlag {
                        organization_id: first_org.clone(),
                        concern: SafetyConcern::PriorHarm,
                    }];
                }
                1 => {
                    req.preferences.female_staff = true;
                    req.preferences.trauma_informed = true;
                    req.can_pay = Some(Money {
                        amount: 5_000,
                        currency: "BDT".into(),
                    });
                }
                2 => req.travel_limit_km = Some(4.0),
                _ => {}
            }
            index
                .match_case(&req, &MatchConfig::default(), &ConsentNotChecked)
                .unwrap()
        })
        .collect()
}

/// The one batch of a table written as IPC bytes, checking the schema's name.
pub(super) fn read(bytes: &[u8], name: &str) -> RecordBatch {
    let (schema, batches) = read_ipc_stream(bytes).unwrap();
    assert_eq!(
        schema.metadata().get(SCHEMA_KEY).map(String::as_str),
        Some(name)
    );
    assert_eq!(batches.len(), 1);
    batches.into_iter().next().unwrap()
}

pub(super) fn names(b: &RecordBatch) -> Vec<String> {
    b.schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect()
}

// Typed reads of a column (of a batch or of a struct array), a value per row.

pub(super) fn texts(a: &ArrayRef) -> Vec<Option<String>> {
    let s = a.as_string::<i32>();
    (0..s.len())
        .map(|i| s.is_valid(i).then(|| s.value(i).to_owned()))
        .collect()
}

pub(super) fn codes(a: &ArrayRef) -> Vec<Option<String>> {
    let d = a.as_dictionary::<Int8Type>();
    let values = d.values().as_string::<i32>();
    d.keys()
        .iter()
        .map(|k| k.map(|k| values.value(usize::try_from(k).unwrap()).to_owned()))
        .collect()
}

pub(super) fn u32s(a: &ArrayRef) -> Vec<Option<u32>> {
    a.as_primitive::<UInt32Type>().iter().collect()
}

pub(super) fn u64s(a: &ArrayRef) -> Vec<Option<u64>> {
    a.as_primitive::<UInt64Type>().iter().collect()
}

pub(super) fn i64s(a: &ArrayRef) -> Vec<Option<i64>> {
    a.as_primitive::<Int64Type>().iter().collect()
}

pub(super) fn f64s(a: &ArrayRef) -> Vec<Option<f64>> {
    a.as_primitive::<Float64Type>().iter().collect()
}

pub(super) fn bools(a: &ArrayRef) -> Vec<bool> {
    a.as_boolean().iter().map(Option::unwrap).collect()
}

/// Each row's list, `None` for a null list.
pub(super) fn lists(a: &ArrayRef) -> Vec<Option<ArrayRef>> {
    let l = a.as_list::<i32>();
    (0..l.len())
        .map(|i| l.is_valid(i).then(|| l.value(i)))
        .collect()
}

pub(super) fn text_lists(a: &ArrayRef) -> Vec<Option<Vec<String>>> {
    lists(a)
        .into_iter()
        .map(|l| l.map(|l| texts(&l).into_iter().map(Option::unwrap).collect()))
        .collect()
}

pub(super) fn code_lists(a: &ArrayRef) -> Vec<Vec<String>> {
    lists(a)
        .into_iter()
        .map(|l| codes(&l.unwrap()).into_iter().map(Option::unwrap).collect())
        .collect()
}

pub(super) fn col<'b>(b: &'b RecordBatch, name: &str) -> &'b ArrayRef {
    b.column_by_name(name)
        .unwrap_or_else(|| panic!("no column `{name}`"))
}

pub(super) fn field<'s>(s: &'s StructArray, name: &str) -> &'s ArrayRef {
    s.column_by_name(name)
        .unwrap_or_else(|| panic!("no field `{name}`"))
}

/// The value of a unit enum whose key is `key`, from its `ALL`.
pub(super) fn by_key<T: Copy>(all: &[T], key: impl Fn(T) -> &'static str, code: &str) -> T {
    *all.iter()
        .find(|t| key(**t) == code)
        .unwrap_or_else(|| panic!("no value keyed `{code}`"))
}

pub(super) fn area(parts: Vec<String>) -> AreaPath {
    AreaPath::new(parts).unwrap()
}

/// Whether `row` has a value in exactly the `used` columns of `all`.
pub(super) fn nulls_elsewhere(all: &[(&str, Vec<bool>)], row: usize, used: &[&str], what: &str) {
    for (name, valid) in all {
        assert_eq!(
            valid[row],
            used.contains(name),
            "{what}, row {row}: column `{name}` should be {}",
            if used.contains(name) { "set" } else { "null" }
        );
    }
}

pub(super) fn validity(a: &ArrayRef) -> Vec<bool> {
    (0..a.len()).map(|i| a.is_valid(i)).collect()
}

pub(super) fn withheld_of(reason: Option<String>, band: Option<String>) -> Option<Withheld> {
    match (reason, band) {
        (None, band) => {
            assert_eq!(band, None, "a band without a withheld reason");
            None
        }
        (Some(r), band) => Some(Withheld {
            reason: by_key(&WithheldReason::ALL, WithheldReason::key, &r),
            distance_band: band.map(|b| by_key(&DistanceBand::ALL, DistanceBand::key, &b)),
        }),
    }
}

#[test]
fn tables_have_the_documented_columns_also_when_empty() {
    let m = matches_table(&[]).unwrap();
    assert_eq!(m.num_rows(), 0);
    assert_eq!(
        names(&m),
        [
            "case_id",
            "matched_at",
            "consent_checked",
            "domain",
            "considered",
            "eligible",
            "rank",
            "service_id",
            "organization_id",
            "organization_kind",
            "score",
            "distance_km",
            "withheld",
            "withheld_distance_band",
            "pathway",
            "also_covers",
            "factors",
        ]
    );
    let e = exclusions_table(&[]).unwrap();
    assert_eq!(e.num_rows(), 0);
    assert_eq!(
        names(&e),
        [
            "case_id",
            "matched_at",
            "domain",
            "near_miss",
            "code",
            "count",
            "service_id",
            "organization_id",
            "score_if_included",
            "withheld",
            "withheld_distance_band",
            "status",
            "capacity",
            "age",
            "min_age",
            "max_age",
            "served",
            "home_area",
            "decided_by",
            "distance_km",
            "limit_km",
            "distance_band",
            "veto",
            "veto_id",
            "veto_kind",
            "veto_area",
            "concern",
            "consent_reasons",
        ]
    );
    let g = gaps_table(&[]).unwrap();
    let mut want = vec!["area", "domain", "listed", "reachable", "paper_only_count"];
    want.extend(PAPER_REASON_COLUMNS);
    want.push("paper_only");
    assert_eq!(names(&g), want);
    let a = assignments_table(&Assignment {
        cases: vec![],
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
    })
    .unwrap();
    assert_eq!(
        names(&a),
        [
            "case_id",
            "weight",
            "outcome",
            "demand",
            "units",
            "cost",
            "service_id",
            "placements",
            "shortfall",
            "eligible_services",
            "places",
            "held_by_higher_priority",
            "held_by_same_priority",
        ]
    );
    // Nullability is as documented: a figure column may be null, an id may not.
    let schema = e.schema();
    assert!(!schema.field_with_name("case_id").unwrap().is_nullable());
    assert!(schema.field_with_name("count").unwrap().is_nullable());
    assert!(!schema.field_with_name("near_miss").unwrap().is_nullable());
}

/// The codes of the dictionaries are the serde names of the records.
#[test]
fn codes_are_the_serde_names() {
    fn unit<T: Serialize + Copy + std::fmt::Debug>(all: &[T], key: impl Fn(T) -> &'static str) {
        for &x in all {
            assert_eq!(serde_json::to_value(x).unwrap(), json!(key(x)), "{x:?}");
        }
    }
    unit(&ExclusionCode::ALL, ExclusionCode::key);
    unit(&AreaTest::ALL, AreaTest::key);
    unit(&DistanceBand::ALL, DistanceBand::key);
    unit(&WithheldReason::ALL, WithheldReason::key);
    unit(&PaperReason::ALL, PaperReason::key);
    unit(&OrganizationKind::ALL, OrganizationKind::key);
    unit(&Factor::ALL, Factor::key);
    unit(&PathwayStep::ALL, PathwayStep::key);
    unit(&ServiceStatus::ALL, ServiceStatus::key);
    unit(&GenderServed::ALL, GenderServed::key);
    unit(&SafetyConcern::ALL, SafetyConcern::key);
    /// Each value's tag is its key, and the keys are `codes`, in order.
    fn tagged<T: Serialize>(
        values: &[T],
        tag: &str,
        key: impl Fn(&T) -> &'static str,
        codes: &[&str],
    ) {
        for v in values {
            assert_eq!(serde_json::to_value(v).unwrap()[tag], json!(key(v)));
        }
        let keys: Vec<&str> = values.iter().map(key).collect();
        assert_eq!(keys, codes);
    }
    tagged(&every_basis(), "basis", FactorBasis::key, &BASIS_CODES);
    let vetoes: Vec<Veto> = every_exclusion()
        .into_iter()
        .filter_map(|e| match e {
            Exclusion::Vetoed { veto } => Some(veto),
            _ => None,
        })
        .collect();
    tagged(&vetoes, "veto", Veto::key, &VETO_CODES);
    let shortfall = Shortfall::NoEligibleService;
    let outcomes = [
        CaseOutcome::Assigned { units: 1, cost: 1 },
        CaseOutcome::PartlyAssigned {
            units: 1,
            demand: 2,
            cost: 1,
            shortfall: shortfall.clone(),
        },
        CaseOutcome::Unassigned {
            demand: 1,
            shortfall,
        },
    ];
    tagged(&outcomes, "code", CaseOutcome::key, &OUTCOME_CODES);
    let shortfalls = [
        Shortfall::NoEligibleService,
        Shortfall::NoCapacity {
            eligible_services: 1,
        },
        Shortfall::OutrankedByHigherPriority {
            eligible_services: 1,
            places: 1,
            held_by_higher_priority: 1,
        },
        Shortfall::CapacityExhausted {
            eligible_services: 1,
            places: 1,
            held_by_higher_priority: 0,
            held_by_same_priority: 1,
        },
    ];
    tagged(&shortfalls, "code", Shortfall::key, &SHORTFALL_CODES);
    // Every exclusion's tag is its code's key, but for the band form of
    // `beyond_travel_limit`, which the table tells apart by its `distance_band`.
    for e in every_exclusion() {
        let tag = serde_json::to_value(&e).unwrap()["code"].clone();
        if matches!(e, Exclusion::BeyondTravelLimitBand { .. }) {
            assert_eq!(tag, json!("beyond_travel_limit_band"));
            assert_eq!(e.code(), ExclusionCode::BeyondTravelLimit);
        } else {
            assert_eq!(tag, json!(e.code().key()), "{e:?}");
        }
    }
    // Each paper reason's count column.
    let columns: Vec<String> = PaperReason::ALL
        .iter()
        .map(|r| format!("paper_only_{}", r.key()))
        .collect();
    assert_eq!(columns, PAPER_REASON_COLUMNS);
}
