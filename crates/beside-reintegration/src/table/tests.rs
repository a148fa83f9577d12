//! The fixtures the tables' tests share (synthetic trajectories and risks, reading a table
//! back), and the tests across tables.

use super::*;
use crate::cohort::Count;
use crate::followup::FollowUpReason;
use crate::model::ReintegrationModel;
use crate::risk::{
    assess_risk, BrokerContact, FamilyPressure, Income, MigrationIntention, RiskAssessment,
    RiskBasis, RiskConfig, RiskFactor, RiskInputs, RiskLevel, SocialSituation,
};
use crate::synthetic::people::synthetic_cases;
use crate::table::risk::Names;
use crate::trajectory::{Setback, Trajectory};
use arrow_array::cast::AsArray;
use arrow_array::{Array, Date32Array, Float64Array, RecordBatch, UInt32Array, UInt8Array};
use beside_core::table::{read_ipc_stream, SCHEMA_KEY};
use beside_core::{CaseId, Debt, Level, Timestamp};
use chrono::TimeZone as _;
use std::collections::HashSet;

pub(super) fn as_of() -> Timestamp {
    chrono::Utc
        .with_ymd_and_hms(2026, 11, 30, 18, 0, 0)
        .unwrap()
}

/// The trajectories of 60 synthetic cases, each on its own calendar, with its risk but
/// for every fifth case (given no risk inputs).
pub(super) fn trajectories() -> Vec<Trajectory> {
    let model = ReintegrationModel::default();
    synthetic_cases(60, 16, as_of())
        .unwrap()
        .enumerate()
        .map(|(i, case)| {
            let case = case.unwrap();
            model
                .trajectory_in(
                    &case.assessments,
                    &case.timeline.events,
                    case.timeline.latest_risk_inputs().filter(|_| i % 5 != 0),
                    as_of(),
                    case.profile.calendar(),
                )
                .unwrap()
        })
        .collect()
}

/// Risk assessments with every factor and every basis: the synthetic cases' and two
/// made for it.
pub(super) fn risks(trajectories: &[Trajectory]) -> Vec<RiskAssessment> {
    let debt = |creditor| Debt {
        creditor,
        amount: None,
        currency: None,
    };
    let all = RiskInputs {
        case_id: CaseId::new("made-1").unwrap(),
        recorded_on: "2026-05-01".parse().unwrap(),
        debts: Some(vec![
            debt(Creditor::Broker),
            debt(Creditor::Family),
            debt(Creditor::Family),
            debt(Creditor::Microfinance),
        ]),
        income: Income::None,
        family_pressure: FamilyPressure::Strong,
        stigma_or_isolation: SocialSituation::Both,
        migration_intention: MigrationIntention::Planning,
        broker_contact: BrokerContact::OfferReceived,
    };
    let unknown = RiskInputs {
        case_id: CaseId::new("made-2").unwrap(),
        debts: None,
        income: Income::Irregular,
        family_pressure: FamilyPressure::Unknown,
        stigma_or_isolation: SocialSituation::Unknown,
        migration_intention: MigrationIntention::Considering,
        broker_contact: BrokerContact::Unknown,
        ..all.clone()
    };
    let config = RiskConfig::default();
    trajectories
        .iter()
        .filter_map(|t| t.risk.clone())
        .chain([assess_risk(&all, &config), assess_risk(&unknown, &config)])
        .collect()
}

/// The one batch of an IPC stream, checking its name.
pub(super) fn read(bytes: &[u8], name: &str) -> RecordBatch {
    let (schema, batches) = read_ipc_stream(bytes).unwrap();
    assert_eq!(
        schema.metadata().get(SCHEMA_KEY).map(String::as_str),
        Some(name)
    );
    assert_eq!(batches.len(), 1);
    batches.into_iter().next().unwrap()
}

pub(super) fn col<'b, T: 'static>(b: &'b dyn StructLike, name: &str) -> &'b T {
    b.column(name)
        .as_any()
        .downcast_ref::<T>()
        .unwrap_or_else(|| panic!("column `{name}` of another type"))
}

/// A record batch or a struct array: columns by name.
pub(super) trait StructLike {
    fn column(&self, name: &str) -> &ArrayRef;
}
impl StructLike for RecordBatch {
    fn column(&self, name: &str) -> &ArrayRef {
        self.column_by_name(name)
            .unwrap_or_else(|| panic!("no column `{name}`"))
    }
}
impl StructLike for StructArray {
    fn column(&self, name: &str) -> &ArrayRef {
        self.column_by_name(name)
            .unwrap_or_else(|| panic!("no field `{name}`"))
    }
}

pub(super) fn text(b: &dyn StructLike, name: &str, i: usize) -> Option<String> {
    let a = col::<StringArray>(b, name);
    a.is_valid(i).then(|| a.value(i).to_owned())
}

pub(super) fn code(b: &dyn StructLike, name: &str, i: usize) -> Option<String> {
    let d = col::<DictionaryArray<Int8Type>>(b, name);
    d.is_valid(i).then(|| {
        let values = d.values().as_string::<i32>();
        values.value(d.keys().value(i) as usize).to_owned()
    })
}

/// A value from its serde name.
pub(super) fn named<T: serde::de::DeserializeOwned>(name: Option<String>) -> T {
    serde_json::from_value(serde_json::Value::String(name.unwrap())).unwrap()
}

pub(super) fn u32_at(b: &dyn StructLike, name: &str, i: usize) -> Option<u32> {
    let a = col::<UInt32Array>(b, name);
    a.is_valid(i).then(|| a.value(i))
}

pub(super) fn u8_at(b: &dyn StructLike, name: &str, i: usize) -> Option<u8> {
    let a = col::<UInt8Array>(b, name);
    a.is_valid(i).then(|| a.value(i))
}

pub(super) fn f64_at(b: &dyn StructLike, name: &str, i: usize) -> Option<f64> {
    let a = col::<Float64Array>(b, name);
    a.is_valid(i).then(|| a.value(i))
}

pub(super) fn date_at(b: &dyn StructLike, name: &str, i: usize) -> NaiveDate {
    Date32Type::to_naive_date_opt(col::<Date32Array>(b, name).value(i)).unwrap()
}

pub(super) fn level(n: Option<u8>) -> Level {
    Level::from_number(n.unwrap()).unwrap()
}

/// The items of row `i` of a `list<struct>` column.
pub(super) fn items(b: &dyn StructLike, name: &str, i: usize) -> StructArray {
    col::<ListArray>(b, name).value(i).as_struct().clone()
}

/// The codes of row `i` of a `list<dictionary>` column (`None` for a null row).
pub(super) fn codes(b: &dyn StructLike, name: &str, i: usize) -> Option<Vec<String>> {
    let l = col::<ListArray>(b, name);
    l.is_valid(i).then(|| {
        let d = l.value(i);
        let d = d.as_dictionary::<Int8Type>();
        let values = d.values().as_string::<i32>();
        (0..d.len())
            .map(|j| values.value(d.keys().value(j) as usize).to_owned())
            .collect()
    })
}

#[test]
fn the_synthetic_trajectories_use_every_kind_of_row() {
    let t = trajectories();
    let setbacks: HashSet<&str> = t
        .iter()
        .flat_map(|t| &t.setbacks)
        .map(Setback::code)
        .collect();
    assert_eq!(setbacks.len(), SETBACK_KINDS.len(), "{setbacks:?}");
    assert!(t.iter().any(|t| t.risk.is_none()));
    let codes: HashSet<&str> = risks(&t)
        .iter()
        .flat_map(|r| &r.factors)
        .map(RiskFactor::code)
        .collect();
    assert_eq!(codes.len(), RISK_FACTOR_CODES.len(), "{codes:?}");
    let bases: HashSet<&str> = risks(&t)
        .iter()
        .flat_map(|r| &r.basis)
        .map(RiskBasis::code)
        .collect();
    assert_eq!(bases.len(), RISK_BASIS_CODES.len(), "{bases:?}");
}

#[test]
fn codes_are_the_serde_names_and_every_one_is_in_its_dictionary() {
    fn tag<T: serde::Serialize>(v: &T) -> String {
        serde_json::to_value(v).unwrap()["code"]
            .as_str()
            .unwrap()
            .to_owned()
    }
    let t = trajectories();
    for s in t.iter().flat_map(|t| &t.setbacks) {
        assert_eq!(tag(s), s.code());
    }
    for r in risks(&t) {
        for f in &r.factors {
            assert_eq!(tag(f), f.code());
        }
        for b in &r.basis {
            assert_eq!(tag(b), b.code());
        }
    }
    let reasons = [
        FollowUpReason::RedFlags {
            flags: vec![],
            days: 1,
        },
        FollowUpReason::Risk {
            level: RiskLevel::High,
            days: 7,
        },
        FollowUpReason::WorstLevel {
            domain: beside_core::domains::FOOD,
            level: Level::Safe,
            days: 90,
        },
        FollowUpReason::NothingRated { days: 30 },
    ];
    let codes: Vec<&str> = reasons.iter().map(FollowUpReason::code).collect();
    assert_eq!(codes, FOLLOW_UP_CODES);
    for r in &reasons {
        assert_eq!(tag(r), r.code());
    }
    let counts = [
        Count::BelowThreshold { k: 5 },
        Count::Complementary { k: 5 },
        Count::CohortTooSmall { k: 5 },
    ];
    let codes: Vec<&str> = counts.iter().map(|c| c.code()).collect();
    assert_eq!(codes, SUPPRESSION_CODES);
    for c in counts.iter().chain([&Count::Published { value: 3 }]) {
        assert_eq!(tag(c), c.code());
    }
    // The unit values' dictionaries are their serde names, each once.
    let names = Names::new().unwrap();
    for list in [
        &names.creditors,
        &names.pressures,
        &names.intentions,
        &names.contacts,
    ] {
        assert_eq!(list.iter().collect::<HashSet<_>>().len(), list.len());
    }
    assert_eq!(names.contacts[4], "offer_received");
    for (t, key) in TREND_VALUES.iter().zip(serde_names(&TREND_VALUES).unwrap()) {
        assert_eq!(t.key(), key);
    }
    for (i, key) in RISK_INPUTS.iter().zip(serde_names(&RISK_INPUTS).unwrap()) {
        assert_eq!(i.key(), key);
    }
}

#[test]
fn empty_inputs_give_empty_tables_of_the_same_schema() {
    let t = trajectories();
    for (full, empty) in [
        (points_table(&t).unwrap(), points_table(&[]).unwrap()),
        (
            outcome_scores_table(&t).unwrap(),
            outcome_scores_table(&[]).unwrap(),
        ),
        (trends_table(&t).unwrap(), trends_table(&[]).unwrap()),
        (setbacks_table(&t).unwrap(), setbacks_table(&[]).unwrap()),
        (risk_table(&risks(&t)).unwrap(), risk_table(&[]).unwrap()),
        (
            follow_ups_table(&t).unwrap(),
            follow_ups_table(&[]).unwrap(),
        ),
    ] {
        assert!(full.num_rows() > 0);
        assert_eq!(empty.num_rows(), 0);
        assert_eq!(full.schema(), empty.schema());
    }
}
