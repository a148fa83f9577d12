//! The next follow-up date: the shorter the worse things are.
//!
//! The interval comes from the worst level rated in the latest assessment (defaults: in crisis
//! 7 days, vulnerable 30, safe 90, building capacity 180, thriving 365), and shortens further
//! for red flags and for a moderate or high risk of re-trafficking. It never lengthens: every
//! rule proposes an interval and the shortest wins.

use crate::risk::RiskLevel;
use beside_core::{AssessmentId, DomainKey, Level, TimeZone, Validate, Validator};
use beside_needs::{Assessment, RedFlag};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Intervals in days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct FollowUpConfig {
    /// When the worst level is 1, in crisis.
    pub in_crisis_days: u32,
    /// When the worst level is 2, vulnerable.
    pub vulnerable_days: u32,
    /// When the worst level is 3, safe.
    pub safe_days: u32,
    /// When the worst level is 4, building capacity.
    pub building_capacity_days: u32,
    /// When the worst level is 5, thriving.
    pub thriving_days: u32,
    /// When no domain was rated at a level.
    pub nothing_rated_days: u32,
    /// When a red flag was raised.
    pub red_flag_days: u32,
    /// When the risk of re-trafficking is high.
    pub high_risk_days: u32,
    /// When the risk of re-trafficking is moderate.
    pub moderate_risk_days: u32,
}

impl Default for FollowUpConfig {
    fn default() -> Self {
        Self {
            in_crisis_days: 7,
            vulnerable_days: 30,
            safe_days: 90,
            building_capacity_days: 180,
            thriving_days: 365,
            nothing_rated_days: 30,
            red_flag_days: 1,
            high_risk_days: 7,
            moderate_risk_days: 30,
        }
    }
}

/// The longest interval accepted, in days (ten years).
pub const MAX_INTERVAL_DAYS: u32 = 3650;

impl FollowUpConfig {
    /// The interval for a worst level.
    pub fn days_for(&self, level: Level) -> u32 {
        match level {
            Level::InCrisis => self.in_crisis_days,
            Level::Vulnerable => self.vulnerable_days,
            Level::Safe => self.safe_days,
            Level::BuildingCapacity => self.building_capacity_days,
            Level::Thriving => self.thriving_days,
        }
    }
}

impl Validate for FollowUpConfig {
    fn validate_with(&self, v: &mut Validator) {
        for (name, days) in [
            ("in_crisis_days", self.in_crisis_days),
            ("vulnerable_days", self.vulnerable_days),
            ("safe_days", self.safe_days),
            ("building_capacity_days", self.building_capacity_days),
            ("thriving_days", self.thriving_days),
            ("nothing_rated_days", self.nothing_rated_days),
            ("red_flag_days", self.red_flag_days),
            ("high_risk_days", self.high_risk_days),
            ("moderate_risk_days", self.moderate_risk_days),
        ] {
            v.range(name, f64::from(days), 1.0, f64::from(MAX_INTERVAL_DAYS));
        }
    }
}

/// A rule that proposed an interval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum FollowUpReason {
    /// Red flags were raised.
    RedFlags {
        /// The flags.
        flags: Vec<RedFlag>,
        /// Days proposed.
        days: u32,
    },
    /// The risk of re-trafficking.
    Risk {
        /// The level.
        level: RiskLevel,
        /// Days proposed.
        days: u32,
    },
    /// The worst level rated.
    WorstLevel {
        /// The domain at that level (the first by key when several are).
        domain: DomainKey,
        /// The level.
        level: Level,
        /// Days proposed.
        days: u32,
    },
    /// No domain was rated at a level.
    NothingRated {
        /// Days proposed.
        days: u32,
    },
}

impl FollowUpReason {
    /// The rule's code, as serialised in `code`.
    pub fn code(&self) -> &'static str {
        match self {
            FollowUpReason::RedFlags { .. } => "red_flags",
            FollowUpReason::Risk { .. } => "risk",
            FollowUpReason::WorstLevel { .. } => "worst_level",
            FollowUpReason::NothingRated { .. } => "nothing_rated",
        }
    }

    /// Days proposed.
    pub fn days(&self) -> u32 {
        match self {
            FollowUpReason::RedFlags { days, .. }
            | FollowUpReason::Risk { days, .. }
            | FollowUpReason::WorstLevel { days, .. }
            | FollowUpReason::NothingRated { days } => *days,
        }
    }
}

/// When to see the person next, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    /// The assessment counted from.
    pub assessment_id: AssessmentId,
    /// Its day.
    pub from: NaiveDate,
    /// The day the follow-up is due.
    pub due_on: NaiveDate,
    /// Days from `from` to `due_on`.
    pub days: u32,
    /// The rule that set the date (the shortest interval).
    pub reason: FollowUpReason,
    /// Every rule that proposed an interval, shortest first.
    pub considered: Vec<FollowUpReason>,
}

/// The worst level rated in an assessment, with its domain (the first by key among ties).
pub fn worst_level(assessment: &Assessment) -> Option<(&DomainKey, Level)> {
    let mut worst: Option<(&DomainKey, Level)> = None;
    for r in &assessment.ratings {
        if let Some(l) = r.rating.level() {
            let better = match worst {
                None => true,
                Some((k, w)) => l < w || (l == w && r.domain < *k),
            };
            if better {
                worst = Some((&r.domain, l));
            }
        }
    }
    worst
}

/// The next follow-up after `assessment`, given the risk level when known, counting days in
/// UTC (where the case's place is not known; see [`next_follow_up_in`]).
pub fn next_follow_up(
    assessment: &Assessment,
    risk: Option<RiskLevel>,
    config: &FollowUpConfig,
) -> FollowUp {
    next_follow_up_in(assessment, risk, config, TimeZone::UTC)
}

/// The next follow-up after `assessment`, given the risk level when known, counting days on
/// the calendar of `zone` (the case's place): an assessment at 00:30 in Dhaka is dated that
/// day, not the UTC day before.
pub fn next_follow_up_in(
    assessment: &Assessment,
    risk: Option<RiskLevel>,
    config: &FollowUpConfig,
    zone: TimeZone,
) -> FollowUp {
    let mut considered = Vec::with_capacity(3);
    match worst_level(assessment) {
        Some((domain, level)) => considered.push(FollowUpReason::WorstLevel {
            domain: domain.clone(),
            level,
            days: config.days_for(level),
        }),
        None => considered.push(FollowUpReason::NothingRated {
            days: config.nothing_rated_days,
        }),
    }
    if !assessment.red_flags.is_empty() {
        let mut flags = assessment.red_flags.clone();
        flags.sort();
        flags.dedup();
        considered.push(FollowUpReason::RedFlags {
            flags,
            days: config.red_flag_days,
        });
    }
    match risk {
        Some(level @ RiskLevel::High) => considered.push(FollowUpReason::Risk {
            level,
            days: config.high_risk_days,
        }),
        Some(level @ RiskLevel::Moderate) => considered.push(FollowUpReason::Risk {
            level,
            days: config.moderate_risk_days,
        }),
        _ => {}
    }
    // Stable: equal intervals keep the order red flags, risk… as pushed after the level.
    considered.sort_by_key(FollowUpReason::days);
    let from = zone.local_date(assessment.assessed_at);
    let days = considered
        .first()
        .map_or(config.nothing_rated_days, FollowUpReason::days);
    let due_on = from
        .checked_add_days(chrono::Days::new(u64::from(days)))
        .unwrap_or(from);
    FollowUp {
        assessment_id: assessment.id.clone(),
        from,
        due_on,
        days,
        reason: considered
            .first()
            .cloned()
            .unwrap_or(FollowUpReason::NothingRated { days }),
        considered,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use beside_core::{domains, CaseId, Rating, WorkerId};
    use beside_needs::DomainRating;
    use chrono::{TimeZone, Utc};

    fn assessment(levels: &[(DomainKey, Level)]) -> Assessment {
        Assessment {
            extra: std::collections::BTreeMap::new(),
            id: AssessmentId::new("a1").unwrap(),
            case_id: CaseId::new("case-01").unwrap(),
            assessed_at: Utc.with_ymd_and_hms(2025, 3, 1, 10, 0, 0).unwrap(),
            assessed_by: WorkerId::new("w1").unwrap(),
            ratings: levels
                .iter()
                .map(|(d, l)| DomainRating {
                    domain: d.clone(),
                    rating: Rating::Level(*l),
                })
                .collect(),
            red_flags: vec![],
            own_priorities: vec![],
            not_now: vec![],
        }
    }

    #[test]
    fn worst_level_sets_the_date() {
        let a = assessment(&[
            (domains::FOOD, Level::Safe),
            (domains::LIVELIHOOD, Level::Vulnerable),
            (domains::DEBT, Level::Vulnerable),
        ]);
        let f = next_follow_up(&a, Some(RiskLevel::Low), &FollowUpConfig::default());
        assert_eq!(f.days, 30);
        assert_eq!(f.due_on, "2025-03-31".parse().unwrap());
        assert_eq!(
            f.reason,
            FollowUpReason::WorstLevel {
                domain: domains::DEBT,
                level: Level::Vulnerable,
                days: 30
            }
        );
    }

    /// 00:30 on 15 March in Dhaka is 18:30 UTC on the 14th: the follow-up counts from the
    /// 15th, the day it was there.
    #[test]
    fn the_follow_up_counts_from_the_local_day() {
        let mut a = assessment(&[(domains::FOOD, Level::Vulnerable)]);
        a.assessed_at = Utc.with_ymd_and_hms(2026, 3, 14, 18, 30, 0).unwrap();
        let dhaka = beside_core::TimeZone::new("Asia/Dhaka").unwrap();
        let f = next_follow_up_in(&a, None, &FollowUpConfig::default(), dhaka);
        assert_eq!(f.from, "2026-03-15".parse().unwrap());
        assert_eq!(f.due_on, "2026-04-14".parse().unwrap());
        let f = next_follow_up(&a, None, &FollowUpConfig::default());
        assert_eq!(f.from, "2026-03-14".parse().unwrap());
        let lima = beside_core::TimeZone::new("America/Lima").unwrap();
        a.assessed_at = Utc.with_ymd_and_hms(2026, 3, 15, 4, 30, 0).unwrap();
        let f = next_follow_up_in(&a, None, &FollowUpConfig::default(), lima);
        assert_eq!(f.from, "2026-03-14".parse().unwrap());
    }

    #[test]
    fn red_flags_and_risk_shorten() {
        let mut a = assessment(&[(domains::FOOD, Level::Thriving)]);
        let f = next_follow_up(&a, Some(RiskLevel::High), &FollowUpConfig::default());
        assert_eq!(f.days, 7);
        assert!(matches!(
            f.reason,
            FollowUpReason::Risk {
                level: RiskLevel::High,
                ..
            }
        ));
        a.red_flags = vec![RedFlag::UntreatedInjury];
        let f = next_follow_up(&a, None, &FollowUpConfig::default());
        assert_eq!(f.days, 1);
        assert_eq!(f.considered.len(), 2);
    }

    #[test]
    fn nothing_rated() {
        let a = assessment(&[]);
        let f = next_follow_up(&a, None, &FollowUpConfig::default());
        assert_eq!(f.reason, FollowUpReason::NothingRated { days: 30 });
    }
}
