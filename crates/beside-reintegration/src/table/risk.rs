//! The risk table (`beside.risk/1`), as the [module docs](super) describe it.

use super::{
    day, dict, dict_all, key_of, list, serde_names, structs, Column, BROKER_CONTACTS, CREDITORS,
    FAMILY_PRESSURES, MIGRATION_INTENTIONS, RISK, RISK_BASIS_CODES, RISK_FACTOR_CODES, RISK_INPUTS,
};
use crate::error::ReintegrationError;
use crate::risk::{RiskAssessment, RiskBasis, RiskFactor, RiskLevel};
use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, Date32Array, RecordBatch, UInt32Array};
use beside_core::table::{record_batch, write_ipc_stream};
use std::sync::Arc;

/// The fields of the `factors` structs.
#[derive(Default)]
struct FactorColumns {
    code: Vec<i8>,
    points: Vec<u32>,
    creditor: Vec<Option<i8>>,
    count: Vec<Option<u32>>,
    strength: Vec<Option<i8>>,
    intention: Vec<Option<i8>>,
    contact: Vec<Option<i8>>,
}

impl FactorColumns {
    fn push(&mut self, f: &RiskFactor) -> Result<(), ReintegrationError> {
        self.code
            .push(key_of(&RISK_FACTOR_CODES, &f.code(), "factors.code")?);
        self.points.push(f.points());
        let (mut creditor, mut count, mut strength, mut intention, mut contact) =
            (None, None, None, None, None);
        match f {
            RiskFactor::Debt {
                creditor: c,
                count: n,
                ..
            } => {
                creditor = Some(key_of(&CREDITORS, c, "factors.creditor")?);
                count = Some(*n);
            }
            RiskFactor::FamilyPressure { strength: s, .. } => {
                strength = Some(key_of(&FAMILY_PRESSURES, s, "factors.strength")?);
            }
            RiskFactor::IntendsToMigrate { intention: i, .. } => {
                intention = Some(key_of(&MIGRATION_INTENTIONS, i, "factors.intention")?);
            }
            RiskFactor::BrokerContact { contact: c, .. } => {
                contact = Some(key_of(&BROKER_CONTACTS, c, "factors.contact")?);
            }
            RiskFactor::NoIncome { .. }
            | RiskFactor::IrregularIncome { .. }
            | RiskFactor::Stigma { .. }
            | RiskFactor::Isolation { .. } => {}
        }
        self.creditor.push(creditor);
        self.count.push(count);
        self.strength.push(strength);
        self.intention.push(intention);
        self.contact.push(contact);
        Ok(())
    }

    fn finish(self, names: &Names) -> Result<ArrayRef, ReintegrationError> {
        structs(
            vec![
                (
                    "code",
                    dict_all(self.code, &RISK_FACTOR_CODES, "factors.code")?,
                    false,
                ),
                ("points", Arc::new(UInt32Array::from(self.points)), false),
                (
                    "creditor",
                    dict(self.creditor, &names.creditors, "factors.creditor")?,
                    true,
                ),
                ("count", Arc::new(UInt32Array::from(self.count)), true),
                (
                    "strength",
                    dict(self.strength, &names.pressures, "factors.strength")?,
                    true,
                ),
                (
                    "intention",
                    dict(self.intention, &names.intentions, "factors.intention")?,
                    true,
                ),
                (
                    "contact",
                    dict(self.contact, &names.contacts, "factors.contact")?,
                    true,
                ),
            ],
            "factors",
        )
    }
}

/// The fields of the `basis` structs.
#[derive(Default)]
struct BasisColumns {
    code: Vec<i8>,
    level: Vec<i8>,
    points: Vec<Option<u32>>,
    moderate_from: Vec<Option<u32>>,
    high_from: Vec<Option<u32>>,
    intention: Vec<Option<i8>>,
    contact: Vec<Option<i8>>,
    unknown: Vec<Option<u32>>,
    max_unknown: Vec<Option<u32>>,
}

impl BasisColumns {
    fn push(&mut self, b: &RiskBasis) -> Result<(), ReintegrationError> {
        self.code
            .push(key_of(&RISK_BASIS_CODES, &b.code(), "basis.code")?);
        self.level
            .push(key_of(&RiskLevel::ALL, &b.level(), "basis.level")?);
        let (mut points, mut moderate, mut high) = (None, None, None);
        let (mut intention, mut contact) = (None, None);
        let (mut unknown, mut max_unknown) = (None, None);
        match b {
            RiskBasis::Points {
                points: p,
                moderate_from,
                high_from,
                ..
            } => {
                points = Some(*p);
                moderate = Some(*moderate_from);
                high = Some(*high_from);
            }
            RiskBasis::MigrationWithBroker {
                intention: i,
                contact: c,
            } => {
                intention = Some(key_of(&MIGRATION_INTENTIONS, i, "basis.intention")?);
                contact = Some(key_of(&BROKER_CONTACTS, c, "basis.contact")?);
            }
            RiskBasis::TooLittleKnown {
                unknown: u,
                max_unknown: m,
            } => {
                unknown = Some(*u);
                max_unknown = Some(*m);
            }
        }
        self.points.push(points);
        self.moderate_from.push(moderate);
        self.high_from.push(high);
        self.intention.push(intention);
        self.contact.push(contact);
        self.unknown.push(unknown);
        self.max_unknown.push(max_unknown);
        Ok(())
    }

    fn finish(self, names: &Names) -> Result<ArrayRef, ReintegrationError> {
        let levels: Vec<&str> = RiskLevel::ALL.iter().map(|l| l.key()).collect();
        let u32s = |v: Vec<Option<u32>>| Arc::new(UInt32Array::from(v)) as ArrayRef;
        structs(
            vec![
                (
                    "code",
                    dict_all(self.code, &RISK_BASIS_CODES, "basis.code")?,
                    false,
                ),
                (
                    "level",
                    dict_all(self.level, &levels, "basis.level")?,
                    false,
                ),
                ("points", u32s(self.points), true),
                ("moderate_from", u32s(self.moderate_from), true),
                ("high_from", u32s(self.high_from), true),
                (
                    "intention",
                    dict(self.intention, &names.intentions, "basis.intention")?,
                    true,
                ),
                (
                    "contact",
                    dict(self.contact, &names.contacts, "basis.contact")?,
                    true,
                ),
                ("unknown", u32s(self.unknown), true),
                ("max_unknown", u32s(self.max_unknown), true),
            ],
            "basis",
        )
    }
}

/// The values of the dictionaries of types with no `key()`: their serde names.
pub(super) struct Names {
    pub(super) creditors: Vec<String>,
    pub(super) pressures: Vec<String>,
    pub(super) intentions: Vec<String>,
    pub(super) contacts: Vec<String>,
}

impl Names {
    pub(super) fn new() -> Result<Self, ReintegrationError> {
        Ok(Names {
            creditors: serde_names(&CREDITORS)?,
            pressures: serde_names(&FAMILY_PRESSURES)?,
            intentions: serde_names(&MIGRATION_INTENTIONS)?,
            contacts: serde_names(&BROKER_CONTACTS)?,
        })
    }
}

/// The risk table (`beside.risk/1`, see the module docs) of `risks`, such as
/// `trajectories.iter().filter_map(|t| t.risk.as_ref())`.
pub fn risk_table<'a>(
    risks: impl IntoIterator<Item = &'a RiskAssessment>,
) -> Result<RecordBatch, ReintegrationError> {
    let mut case_id = StringBuilder::new();
    let mut recorded_on = Vec::new();
    let mut level = Vec::new();
    let mut points = Vec::new();
    let mut factor_lengths = Vec::new();
    let mut factors = FactorColumns::default();
    let mut basis_lengths = Vec::new();
    let mut basis = BasisColumns::default();
    let mut unknown_lengths = Vec::new();
    let mut unknown = Vec::new();
    for r in risks {
        case_id.append_value(r.case_id.as_str());
        recorded_on.push(day(r.recorded_on));
        level.push(key_of(&RiskLevel::ALL, &r.level, "level")?);
        // The rule's own sum (`assess_risk`): saturating, as the `points` basis holds it.
        points.push(
            r.factors
                .iter()
                .fold(0u32, |s, f| s.saturating_add(f.points())),
        );
        factor_lengths.push(r.factors.len());
        for f in &r.factors {
            factors.push(f)?;
        }
        basis_lengths.push(r.basis.len());
        for b in &r.basis {
            basis.push(b)?;
        }
        unknown_lengths.push(r.unknown.len());
        for u in &r.unknown {
            unknown.push(key_of(&RISK_INPUTS, u, "unknown")?);
        }
    }
    let names = Names::new()?;
    let levels: Vec<&str> = RiskLevel::ALL.iter().map(|l| l.key()).collect();
    let inputs: Vec<&str> = RISK_INPUTS.iter().map(|i| i.key()).collect();
    let columns: Vec<Column> = vec![
        ("case_id", Arc::new(case_id.finish()), false),
        (
            "recorded_on",
            Arc::new(Date32Array::from(recorded_on)),
            false,
        ),
        ("level", dict_all(level, &levels, "level")?, false),
        ("points", Arc::new(UInt32Array::from(points)), false),
        (
            "factors",
            list(factor_lengths, factors.finish(&names)?, None, "factors")?,
            false,
        ),
        (
            "basis",
            list(basis_lengths, basis.finish(&names)?, None, "basis")?,
            false,
        ),
        (
            "unknown",
            list(
                unknown_lengths,
                dict_all(unknown, &inputs, "unknown")?,
                None,
                "unknown",
            )?,
            false,
        ),
    ];
    Ok(record_batch(RISK, columns)?)
}

/// [`risk_table`] as Arrow IPC stream bytes.
pub fn risk_ipc<'a>(
    risks: impl IntoIterator<Item = &'a RiskAssessment>,
) -> Result<Vec<u8>, ReintegrationError> {
    Ok(write_ipc_stream(&risk_table(risks)?)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::tests::{
        code, codes, col, date_at, items, named, read, risks, text, trajectories, u32_at,
    };
    use arrow_array::{Array, ListArray};
    use beside_core::CaseId;

    /// The risk assessments a risk table holds.
    fn read_risk(b: &RecordBatch) -> Vec<RiskAssessment> {
        (0..b.num_rows())
            .map(|i| {
                let f = items(b, "factors", i);
                let factors = (0..f.len())
                    .map(|j| {
                        let points = u32_at(&f, "points", j).unwrap();
                        match code(&f, "code", j).unwrap().as_str() {
                            "debt" => RiskFactor::Debt {
                                creditor: named(code(&f, "creditor", j)),
                                count: u32_at(&f, "count", j).unwrap(),
                                points,
                            },
                            "no_income" => RiskFactor::NoIncome { points },
                            "irregular_income" => RiskFactor::IrregularIncome { points },
                            "family_pressure" => RiskFactor::FamilyPressure {
                                strength: named(code(&f, "strength", j)),
                                points,
                            },
                            "stigma" => RiskFactor::Stigma { points },
                            "isolation" => RiskFactor::Isolation { points },
                            "intends_to_migrate" => RiskFactor::IntendsToMigrate {
                                intention: named(code(&f, "intention", j)),
                                points,
                            },
                            "broker_contact" => RiskFactor::BrokerContact {
                                contact: named(code(&f, "contact", j)),
                                points,
                            },
                            other => panic!("factor {other}"),
                        }
                    })
                    .collect();
                let s = items(b, "basis", i);
                let basis = (0..s.len())
                    .map(|j| {
                        let basis = match code(&s, "code", j).unwrap().as_str() {
                            "points" => RiskBasis::Points {
                                points: u32_at(&s, "points", j).unwrap(),
                                moderate_from: u32_at(&s, "moderate_from", j).unwrap(),
                                high_from: u32_at(&s, "high_from", j).unwrap(),
                                level: named(code(&s, "level", j)),
                            },
                            "migration_with_broker" => RiskBasis::MigrationWithBroker {
                                intention: named(code(&s, "intention", j)),
                                contact: named(code(&s, "contact", j)),
                            },
                            "too_little_known" => RiskBasis::TooLittleKnown {
                                unknown: u32_at(&s, "unknown", j).unwrap(),
                                max_unknown: u32_at(&s, "max_unknown", j).unwrap(),
                            },
                            other => panic!("basis {other}"),
                        };
                        assert_eq!(named::<RiskLevel>(code(&s, "level", j)), basis.level());
                        basis
                    })
                    .collect();
                RiskAssessment {
                    case_id: CaseId::new(text(b, "case_id", i).unwrap()).unwrap(),
                    recorded_on: date_at(b, "recorded_on", i),
                    level: named(code(b, "level", i)),
                    factors,
                    basis,
                    unknown: codes(b, "unknown", i)
                        .unwrap()
                        .into_iter()
                        .map(|c| named(Some(c)))
                        .collect(),
                }
            })
            .collect()
    }

    #[test]
    fn the_risk_table_holds_every_factor_and_basis() {
        let t = trajectories();
        let want = risks(&t);
        let b = read(&risk_ipc(&want).unwrap(), RISK);
        assert_eq!(read_risk(&b), want);
        let factors = col::<ListArray>(&b, "factors");
        for (i, r) in want.iter().enumerate() {
            assert_eq!(factors.value_length(i) as usize, r.factors.len());
            let points = r.basis.iter().find_map(|b| match b {
                RiskBasis::Points { points, .. } => Some(*points),
                _ => None,
            });
            assert_eq!(u32_at(&b, "points", i), points);
        }
        // From trajectories: one row per trajectory with risk inputs.
        let from_trajectories = risk_table(t.iter().filter_map(|t| t.risk.as_ref())).unwrap();
        assert_eq!(
            from_trajectories.num_rows(),
            t.iter().filter(|t| t.risk.is_some()).count()
        );
    }
}
