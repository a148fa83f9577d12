//! Risk of re-trafficking or unsafe re-migration: a level with the factors behind it, from
//! explicit inputs, never a bare number.
//!
//! The seeds show the path: debt (often to family for the journey home, or to brokers), no
//! income, family pressure, stigma and isolation, an intention to migrate again, contact with a
//! broker. Each present factor adds points (configurable); the points give a level; an
//! intention to migrate together with recent broker contact is high whatever the points; and
//! when too little is known the level is at least moderate, so silence never reads as safety.

use beside_core::{CaseId, Creditor, Debt, Reason, Validate, Validator};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Income now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Income {
    /// Not known.
    #[default]
    Unknown,
    /// No income.
    None,
    /// Irregular or seasonal income.
    Irregular,
    /// A regular income.
    Regular,
}

/// Pressure from family (to earn, to repay, to leave again).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum FamilyPressure {
    /// Not known.
    #[default]
    Unknown,
    /// None.
    None,
    /// Some.
    Some,
    /// Strong.
    Strong,
}

/// Stigma or isolation the person meets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum SocialSituation {
    /// Not known.
    #[default]
    Unknown,
    /// Neither stigma nor isolation.
    Neither,
    /// Stigma or blame.
    Stigma,
    /// Isolation: few or no people to turn to.
    Isolation,
    /// Both.
    Both,
}

/// Whether the person intends to migrate again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum MigrationIntention {
    /// Not known.
    #[default]
    Unknown,
    /// No.
    None,
    /// Thinking about it.
    Considering,
    /// Planning or preparing to go.
    Planning,
}

/// Contact with a broker or recruiter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum BrokerContact {
    /// Not known.
    #[default]
    Unknown,
    /// None.
    None,
    /// In the past, not recently.
    Past,
    /// Recent contact.
    Recent,
    /// A broker has made an offer.
    OfferReceived,
}

/// One of the explicit risk inputs.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum RiskInput {
    /// Debts and to whom.
    Debts,
    /// Income.
    Income,
    /// Family pressure.
    FamilyPressure,
    /// Stigma or isolation.
    StigmaOrIsolation,
    /// Intention to migrate again.
    MigrationIntention,
    /// Contact with a broker.
    BrokerContact,
}

impl RiskInput {
    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            RiskInput::Debts => "debts",
            RiskInput::Income => "income",
            RiskInput::FamilyPressure => "family_pressure",
            RiskInput::StigmaOrIsolation => "stigma_or_isolation",
            RiskInput::MigrationIntention => "migration_intention",
            RiskInput::BrokerContact => "broker_contact",
        }
    }
}

/// What is known of the risk factors on a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct RiskInputs {
    /// The case.
    pub case_id: CaseId,
    /// The day the inputs were recorded.
    pub recorded_on: NaiveDate,
    /// Debts and to whom; absent when not known, empty when there are none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debts: Option<Vec<Debt>>,
    /// Income.
    #[serde(default)]
    pub income: Income,
    /// Family pressure.
    #[serde(default)]
    pub family_pressure: FamilyPressure,
    /// Stigma or isolation.
    #[serde(default)]
    pub stigma_or_isolation: SocialSituation,
    /// Intention to migrate again.
    #[serde(default)]
    pub migration_intention: MigrationIntention,
    /// Contact with a broker.
    #[serde(default)]
    pub broker_contact: BrokerContact,
}

impl Validate for RiskInputs {
    fn validate_with(&self, v: &mut Validator) {
        v.not_future_date("recorded_on", self.recorded_on);
        if let Some(d) = &self.debts {
            v.max_items("debts", d, beside_core::case::MAX_DEBTS);
        }
    }
}

/// Points per factor and the thresholds between levels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct RiskConfig {
    /// A debt to a broker or recruiter.
    pub debt_to_broker: u32,
    /// A debt to family.
    pub debt_to_family: u32,
    /// A debt to a moneylender, microfinance, an employer or another.
    pub debt_to_lender: u32,
    /// No income.
    pub no_income: u32,
    /// Irregular income.
    pub irregular_income: u32,
    /// Some family pressure.
    pub some_family_pressure: u32,
    /// Strong family pressure.
    pub strong_family_pressure: u32,
    /// Stigma.
    pub stigma: u32,
    /// Isolation.
    pub isolation: u32,
    /// Considering migrating again.
    pub considering_migration: u32,
    /// Planning to migrate again.
    pub planning_migration: u32,
    /// Past contact with a broker.
    pub past_broker_contact: u32,
    /// Recent contact with a broker.
    pub recent_broker_contact: u32,
    /// An offer from a broker.
    pub broker_offer: u32,
    /// Points from which the level is moderate.
    pub moderate_from: u32,
    /// Points from which the level is high.
    pub high_from: u32,
    /// More unknown inputs than this make the level at least moderate.
    pub max_unknown: u32,
}

impl Default for RiskConfig {
    fn default() -> Self {
        Self {
            debt_to_broker: 3,
            debt_to_family: 1,
            debt_to_lender: 2,
            no_income: 2,
            irregular_income: 1,
            some_family_pressure: 1,
            strong_family_pressure: 2,
            stigma: 1,
            isolation: 1,
            considering_migration: 1,
            planning_migration: 3,
            past_broker_contact: 1,
            recent_broker_contact: 2,
            broker_offer: 3,
            moderate_from: 3,
            high_from: 6,
            max_unknown: 2,
        }
    }
}

impl Validate for RiskConfig {
    fn validate_with(&self, v: &mut Validator) {
        v.range("moderate_from", f64::from(self.moderate_from), 1.0, 1000.0);
        if self.high_from <= self.moderate_from {
            v.report_at(
                "high_from",
                Reason::BelowMinimum {
                    min: f64::from(self.moderate_from) + 1.0,
                    got: f64::from(self.high_from),
                },
            );
        }
        v.range("max_unknown", f64::from(self.max_unknown), 0.0, 6.0);
    }
}

/// A risk level.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// Low.
    Low,
    /// Moderate.
    Moderate,
    /// High.
    High,
}

impl RiskLevel {
    /// All levels, lowest first.
    pub const ALL: [RiskLevel; 3] = [RiskLevel::Low, RiskLevel::Moderate, RiskLevel::High];

    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            RiskLevel::Low => "low",
            RiskLevel::Moderate => "moderate",
            RiskLevel::High => "high",
        }
    }

    /// Position in [`RiskLevel::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A factor that contributes to the risk, with its points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum RiskFactor {
    /// Debt owed to one kind of creditor.
    Debt {
        /// To whom.
        creditor: Creditor,
        /// How many such debts.
        count: u32,
        /// Points added.
        points: u32,
    },
    /// No income.
    NoIncome {
        /// Points added.
        points: u32,
    },
    /// Irregular income.
    IrregularIncome {
        /// Points added.
        points: u32,
    },
    /// Pressure from family.
    FamilyPressure {
        /// How strong.
        strength: FamilyPressure,
        /// Points added.
        points: u32,
    },
    /// Stigma or blame.
    Stigma {
        /// Points added.
        points: u32,
    },
    /// Isolation.
    Isolation {
        /// Points added.
        points: u32,
    },
    /// An intention to migrate again.
    IntendsToMigrate {
        /// How firm.
        intention: MigrationIntention,
        /// Points added.
        points: u32,
    },
    /// Contact with a broker.
    BrokerContact {
        /// How recent or how close.
        contact: BrokerContact,
        /// Points added.
        points: u32,
    },
}

impl RiskFactor {
    /// The factor's code, as serialised in `code`.
    pub fn code(&self) -> &'static str {
        match self {
            RiskFactor::Debt { .. } => "debt",
            RiskFactor::NoIncome { .. } => "no_income",
            RiskFactor::IrregularIncome { .. } => "irregular_income",
            RiskFactor::FamilyPressure { .. } => "family_pressure",
            RiskFactor::Stigma { .. } => "stigma",
            RiskFactor::Isolation { .. } => "isolation",
            RiskFactor::IntendsToMigrate { .. } => "intends_to_migrate",
            RiskFactor::BrokerContact { .. } => "broker_contact",
        }
    }

    /// The points it adds.
    pub fn points(&self) -> u32 {
        match *self {
            RiskFactor::Debt { points, .. }
            | RiskFactor::NoIncome { points }
            | RiskFactor::IrregularIncome { points }
            | RiskFactor::FamilyPressure { points, .. }
            | RiskFactor::Stigma { points }
            | RiskFactor::Isolation { points }
            | RiskFactor::IntendsToMigrate { points, .. }
            | RiskFactor::BrokerContact { points, .. } => points,
        }
    }
}

/// Why the level is what it is; the level is the highest any basis gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum RiskBasis {
    /// The factors' points against the thresholds.
    Points {
        /// The sum of the factors' points.
        points: u32,
        /// Points from which the level is moderate.
        moderate_from: u32,
        /// Points from which the level is high.
        high_from: u32,
        /// The level the points give.
        level: RiskLevel,
    },
    /// An intention to migrate with recent broker contact or an offer: high whatever the points.
    MigrationWithBroker {
        /// The intention.
        intention: MigrationIntention,
        /// The contact.
        contact: BrokerContact,
    },
    /// Too little is known to call the risk low.
    TooLittleKnown {
        /// How many inputs are unknown.
        unknown: u32,
        /// How many may be unknown before this applies.
        max_unknown: u32,
    },
}

impl RiskBasis {
    /// The basis' code, as serialised in `code`.
    pub fn code(&self) -> &'static str {
        match self {
            RiskBasis::Points { .. } => "points",
            RiskBasis::MigrationWithBroker { .. } => "migration_with_broker",
            RiskBasis::TooLittleKnown { .. } => "too_little_known",
        }
    }

    /// The level this basis gives.
    pub fn level(&self) -> RiskLevel {
        match self {
            RiskBasis::Points { level, .. } => *level,
            RiskBasis::MigrationWithBroker { .. } => RiskLevel::High,
            RiskBasis::TooLittleKnown { .. } => RiskLevel::Moderate,
        }
    }
}

/// The risk of re-trafficking or unsafe re-migration on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct RiskAssessment {
    /// The case.
    pub case_id: CaseId,
    /// The day of the inputs.
    pub recorded_on: NaiveDate,
    /// The level.
    pub level: RiskLevel,
    /// The contributing factors, in a fixed order (debts by creditor, income, family, stigma,
    /// isolation, migration, broker).
    pub factors: Vec<RiskFactor>,
    /// Why the level is what it is.
    pub basis: Vec<RiskBasis>,
    /// Inputs that were not known.
    pub unknown: Vec<RiskInput>,
}

const CREDITORS: [Creditor; 6] = [
    Creditor::Broker,
    Creditor::Family,
    Creditor::Moneylender,
    Creditor::Microfinance,
    Creditor::Employer,
    Creditor::Other,
];

/// Assess the risk from `inputs` under `config` (assumed valid: see [`RiskConfig::validate`]).
pub fn assess_risk(inputs: &RiskInputs, config: &RiskConfig) -> RiskAssessment {
    let mut factors = Vec::new();
    let mut unknown = Vec::new();
    let mut push = |f: RiskFactor| {
        if f.points() > 0 {
            factors.push(f);
        }
    };
    match &inputs.debts {
        None => unknown.push(RiskInput::Debts),
        Some(debts) => {
            for creditor in CREDITORS {
                let count = debts.iter().filter(|d| d.creditor == creditor).count();
                if count > 0 {
                    let points = match creditor {
                        Creditor::Broker => config.debt_to_broker,
                        Creditor::Family => config.debt_to_family,
                        _ => config.debt_to_lender,
                    };
                    push(RiskFactor::Debt {
                        creditor,
                        count: u32::try_from(count).unwrap_or(u32::MAX),
                        points,
                    });
                }
            }
        }
    }
    match inputs.income {
        Income::Unknown => unknown.push(RiskInput::Income),
        Income::None => push(RiskFactor::NoIncome {
            points: config.no_income,
        }),
        Income::Irregular => push(RiskFactor::IrregularIncome {
            points: config.irregular_income,
        }),
        Income::Regular => {}
    }
    match inputs.family_pressure {
        FamilyPressure::Unknown => unknown.push(RiskInput::FamilyPressure),
        FamilyPressure::None => {}
        s @ FamilyPressure::Some => push(RiskFactor::FamilyPressure {
            strength: s,
            points: config.some_family_pressure,
        }),
        s @ FamilyPressure::Strong => push(RiskFactor::FamilyPressure {
            strength: s,
            points: config.strong_family_pressure,
        }),
    }
    match inputs.stigma_or_isolation {
        SocialSituation::Unknown => unknown.push(RiskInput::StigmaOrIsolation),
        SocialSituation::Neither => {}
        s => {
            if matches!(s, SocialSituation::Stigma | SocialSituation::Both) {
                push(RiskFactor::Stigma {
                    points: config.stigma,
                });
            }
            if matches!(s, SocialSituation::Isolation | SocialSituation::Both) {
                push(RiskFactor::Isolation {
                    points: config.isolation,
                });
            }
        }
    }
    let intention = inputs.migration_intention;
    match intention {
        MigrationIntention::Unknown => unknown.push(RiskInput::MigrationIntention),
        MigrationIntention::None => {}
        MigrationIntention::Considering => push(RiskFactor::IntendsToMigrate {
            intention,
            points: config.considering_migration,
        }),
        MigrationIntention::Planning => push(RiskFactor::IntendsToMigrate {
            intention,
            points: config.planning_migration,
        }),
    }
    let contact = inputs.broker_contact;
    let contact_points = match contact {
        BrokerContact::Unknown => {
            unknown.push(RiskInput::BrokerContact);
            0
        }
        BrokerContact::None => 0,
        BrokerContact::Past => config.past_broker_contact,
        BrokerContact::Recent => config.recent_broker_contact,
        BrokerContact::OfferReceived => config.broker_offer,
    };
    push(RiskFactor::BrokerContact {
        contact,
        points: contact_points,
    });

    let points = factors
        .iter()
        .fold(0u32, |s, f| s.saturating_add(f.points()));
    let by_points = if points >= config.high_from {
        RiskLevel::High
    } else if points >= config.moderate_from {
        RiskLevel::Moderate
    } else {
        RiskLevel::Low
    };
    let mut basis = vec![RiskBasis::Points {
        points,
        moderate_from: config.moderate_from,
        high_from: config.high_from,
        level: by_points,
    }];
    if matches!(
        intention,
        MigrationIntention::Considering | MigrationIntention::Planning
    ) && matches!(
        contact,
        BrokerContact::Recent | BrokerContact::OfferReceived
    ) {
        basis.push(RiskBasis::MigrationWithBroker { intention, contact });
    }
    let n_unknown = u32::try_from(unknown.len()).unwrap_or(u32::MAX);
    if n_unknown > config.max_unknown {
        basis.push(RiskBasis::TooLittleKnown {
            unknown: n_unknown,
            max_unknown: config.max_unknown,
        });
    }
    let level = basis
        .iter()
        .map(RiskBasis::level)
        .max()
        .unwrap_or(RiskLevel::Low);
    RiskAssessment {
        case_id: inputs.case_id.clone(),
        recorded_on: inputs.recorded_on,
        level,
        factors,
        basis,
        unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs() -> RiskInputs {
        RiskInputs {
            case_id: CaseId::new("case-01").unwrap(),
            recorded_on: "2025-06-01".parse().unwrap(),
            debts: Some(vec![]),
            income: Income::Regular,
            family_pressure: FamilyPressure::None,
            stigma_or_isolation: SocialSituation::Neither,
            migration_intention: MigrationIntention::None,
            broker_contact: BrokerContact::None,
        }
    }

    fn debt(creditor: Creditor) -> Debt {
        Debt {
            creditor,
            amount: None,
            currency: None,
        }
    }

    #[test]
    fn nothing_present_is_low_with_no_factors() {
        let r = assess_risk(&inputs(), &RiskConfig::default());
        assert_eq!(r.level, RiskLevel::Low);
        assert!(r.factors.is_empty());
        assert!(r.unknown.is_empty());
    }

    #[test]
    fn debts_and_no_income_add_up_to_high_with_factors() {
        let mut i = inputs();
        i.debts = Some(vec![debt(Creditor::Family), debt(Creditor::Broker)]);
        i.income = Income::None;
        let r = assess_risk(&i, &RiskConfig::default());
        assert_eq!(r.level, RiskLevel::High);
        assert_eq!(
            r.factors,
            vec![
                RiskFactor::Debt {
                    creditor: Creditor::Broker,
                    count: 1,
                    points: 3
                },
                RiskFactor::Debt {
                    creditor: Creditor::Family,
                    count: 1,
                    points: 1
                },
                RiskFactor::NoIncome { points: 2 },
            ]
        );
    }

    #[test]
    fn migration_with_broker_is_high_whatever_the_points() {
        let mut i = inputs();
        i.migration_intention = MigrationIntention::Considering;
        i.broker_contact = BrokerContact::Recent;
        let config = RiskConfig {
            considering_migration: 0,
            recent_broker_contact: 0,
            ..RiskConfig::default()
        };
        let r = assess_risk(&i, &config);
        assert_eq!(r.level, RiskLevel::High);
        assert!(r.factors.is_empty());
        assert!(r
            .basis
            .iter()
            .any(|b| matches!(b, RiskBasis::MigrationWithBroker { .. })));
    }

    #[test]
    fn silence_is_not_safety() {
        let i = RiskInputs {
            debts: None,
            income: Income::Unknown,
            family_pressure: FamilyPressure::Unknown,
            ..inputs()
        };
        let r = assess_risk(&i, &RiskConfig::default());
        assert_eq!(r.level, RiskLevel::Moderate);
        assert_eq!(r.unknown.len(), 3);
    }

    #[test]
    fn config_thresholds_are_checked() {
        let c = RiskConfig {
            high_from: 2,
            ..RiskConfig::default()
        };
        assert!(c.validate().unwrap_err().has_path("high_from"));
    }
}
