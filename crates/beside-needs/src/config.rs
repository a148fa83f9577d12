//! Every weight and threshold of prioritisation and comparison, as data with defaults.

use crate::assessment::RedFlag;
use crate::catalogue::Catalogue;
use beside_core::{domains, DomainKey, Level, Reason, Validator};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Points a domain earns for its own level (lower level, more points).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct LevelPoints {
    /// Level 1, in crisis.
    pub in_crisis: u32,
    /// Level 2, vulnerable.
    pub vulnerable: u32,
    /// Level 3, safe.
    pub safe: u32,
    /// Level 4, building capacity.
    pub building_capacity: u32,
    /// Level 5, thriving.
    pub thriving: u32,
}

impl LevelPoints {
    /// The points for `level`.
    pub fn get(&self, level: Level) -> u32 {
        match level {
            Level::InCrisis => self.in_crisis,
            Level::Vulnerable => self.vulnerable,
            Level::Safe => self.safe,
            Level::BuildingCapacity => self.building_capacity,
            Level::Thriving => self.thriving,
        }
    }
}

/// The response a red flag demands, and the domain it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct RedFlagRule {
    /// The flag.
    pub flag: RedFlag,
    /// The domain the flag puts at the top of the list.
    pub domain: DomainKey,
    /// Respond within this many minutes.
    pub respond_within_minutes: u32,
}

/// Score thresholds of the urgency bands (a red flag is always its own, highest band).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct UrgencyThresholds {
    /// At least this score: urgent.
    pub urgent: u32,
    /// At least this score: high.
    pub high: u32,
    /// At least this score: medium; below: low.
    pub medium: u32,
}

/// Weights and thresholds of prioritisation and comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct NeedsConfig {
    /// Points for a domain's own level.
    pub level_points: LevelPoints,
    /// A prerequisite blocks its dependents only at or below this level (default 2,
    /// vulnerable), and only when it is not at a higher level than the dependent.
    pub blocking_max_level: Level,
    /// Points for each dependent domain a domain blocks.
    pub points_per_blocked_domain: u32,
    /// Cap on the points from blocking.
    pub max_blocking_points: u32,
    /// Points for a foundational domain at or below `blocking_max_level`.
    pub foundational_points: u32,
    /// Points for the person's own ranking: the first entry for their first priority, and so on.
    pub own_rank_points: Vec<u32>,
    /// Points for a ranked domain beyond the length of `own_rank_points`.
    pub own_rank_points_after: u32,
    /// Urgency bands.
    pub urgency: UrgencyThresholds,
    /// Response time and domain of each red flag; every flag exactly once.
    pub red_flags: Vec<RedFlagRule>,
    /// A drop of at least this many levels between two assessments is a setback (default 1).
    pub setback_min_drop: u8,
}

impl Default for NeedsConfig {
    fn default() -> Self {
        Self {
            level_points: LevelPoints {
                in_crisis: 100,
                vulnerable: 60,
                safe: 25,
                building_capacity: 10,
                thriving: 0,
            },
            blocking_max_level: Level::Vulnerable,
            points_per_blocked_domain: 6,
            max_blocking_points: 36,
            foundational_points: 15,
            own_rank_points: vec![50, 35, 25, 15, 10],
            own_rank_points_after: 5,
            urgency: UrgencyThresholds {
                urgent: 100,
                high: 60,
                medium: 25,
            },
            // Primero's response times: 1 hour, 3 hours, 1 day, 3 days.
            red_flags: vec![
                RedFlagRule {
                    flag: RedFlag::SuicidalThoughts,
                    domain: domains::MENTAL_HEALTH,
                    respond_within_minutes: 60,
                },
                RedFlagRule {
                    flag: RedFlag::ImmediateDanger,
                    domain: domains::SAFETY,
                    respond_within_minutes: 3 * 60,
                },
                RedFlagRule {
                    flag: RedFlag::UntreatedInjury,
                    domain: domains::PHYSICAL_HEALTH,
                    respond_within_minutes: 24 * 60,
                },
                RedFlagRule {
                    flag: RedFlag::ChildWithoutSafeCaregiver,
                    domain: domains::CHILDCARE,
                    respond_within_minutes: 3 * 24 * 60,
                },
            ],
            setback_min_drop: 1,
        }
    }
}

/// Largest points value accepted for any single weight, so sums never overflow.
pub const MAX_POINTS: u32 = 1_000_000;
/// Longest response time accepted: one year, in minutes.
pub const MAX_RESPONSE_MINUTES: u32 = 366 * 24 * 60;

impl NeedsConfig {
    /// The rule of `flag`.
    pub fn red_flag_rule(&self, flag: RedFlag) -> Option<&RedFlagRule> {
        self.red_flags.iter().find(|r| r.flag == flag)
    }

    /// Check the configuration against `catalogue`, below the validator's current path.
    pub fn validate_against(&self, v: &mut Validator, catalogue: &Catalogue) {
        let lp = &self.level_points;
        v.field("level_points", |v| {
            for (name, p) in [
                ("in_crisis", lp.in_crisis),
                ("vulnerable", lp.vulnerable),
                ("safe", lp.safe),
                ("building_capacity", lp.building_capacity),
                ("thriving", lp.thriving),
            ] {
                v.range(name, f64::from(p), 0.0, f64::from(MAX_POINTS));
            }
        });
        for (name, p) in [
            ("points_per_blocked_domain", self.points_per_blocked_domain),
            ("max_blocking_points", self.max_blocking_points),
            ("foundational_points", self.foundational_points),
            ("own_rank_points_after", self.own_rank_points_after),
        ] {
            v.range(name, f64::from(p), 0.0, f64::from(MAX_POINTS));
        }
        v.max_items(
            "own_rank_points",
            &self.own_rank_points,
            crate::assessment::MAX_DOMAINS,
        );
        v.field("own_rank_points", |v| {
            for (i, p) in self.own_rank_points.iter().enumerate() {
                v.index(i, |v| {
                    if *p > MAX_POINTS {
                        v.report(Reason::AboveMaximum {
                            max: f64::from(MAX_POINTS),
                            got: f64::from(*p),
                        });
                    }
                });
            }
        });
        let u = &self.urgency;
        v.field("urgency", |v| {
            if u.high < u.medium {
                v.report_at(
                    "high",
                    Reason::BelowMinimum {
                        min: f64::from(u.medium),
                        got: f64::from(u.high),
                    },
                );
            }
            if u.urgent < u.high {
                v.report_at(
                    "urgent",
                    Reason::BelowMinimum {
                        min: f64::from(u.high),
                        got: f64::from(u.urgent),
                    },
                );
            }
        });
        v.unique("red_flags", self.red_flags.iter().map(|r| r.flag.key()));
        v.field("red_flags", |v| {
            for (i, r) in self.red_flags.iter().enumerate() {
                v.index(i, |v| {
                    if catalogue.position(r.domain.as_str()).is_none() {
                        v.report_at(
                            "domain",
                            Reason::Unknown {
                                value: r.domain.to_string(),
                                known: catalogue
                                    .domains
                                    .iter()
                                    .map(|d| d.key.to_string())
                                    .collect(),
                            },
                        );
                    }
                    v.range(
                        "respond_within_minutes",
                        f64::from(r.respond_within_minutes),
                        1.0,
                        f64::from(MAX_RESPONSE_MINUTES),
                    );
                });
            }
            for flag in RedFlag::ALL {
                if self.red_flag_rule(flag).is_none() {
                    v.report(Reason::Required {
                        what: format!("a rule for red flag `{}`", flag.key()),
                    });
                }
            }
        });
        if self.setback_min_drop < 1 || self.setback_min_drop > 4 {
            v.range(
                "setback_min_drop",
                f64::from(self.setback_min_drop),
                1.0,
                4.0,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    #[test]
    fn default_is_valid_and_bad_values_are_named() {
        let c = Catalogue::standard();
        let mut v = Validator::new(Utc::now());
        NeedsConfig::default().validate_against(&mut v, &c);
        assert!(v.finish().is_ok());

        let mut cfg = NeedsConfig::default();
        cfg.red_flags.remove(0);
        cfg.red_flags[0].respond_within_minutes = 0;
        cfg.urgency.high = 10;
        cfg.setback_min_drop = 0;
        let mut v = Validator::new(Utc::now());
        cfg.validate_against(&mut v, &c);
        let err = v.finish().unwrap_err();
        assert!(err.has_path("red_flags"), "{err}");
        assert!(err.has_path("red_flags[0].respond_within_minutes"), "{err}");
        assert!(err.has_path("urgency.high"), "{err}");
        assert!(err.has_path("setback_min_drop"), "{err}");
    }
}
