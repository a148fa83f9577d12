//! Comparing two assessments of the same person: per domain, improved, worsened or unchanged,
//! with setbacks (a drop of at least `setback_min_drop` levels, default 1) flagged.

use crate::assessment::{Assessment, RedFlag};
use crate::engine::Prioritiser;
use crate::error::NeedsError;
use beside_core::{AssessmentId, CaseId, DomainKey, FieldError, Level, Rating, Reason, Timestamp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How one domain changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Change {
    /// A higher level than before.
    Improved {
        /// The earlier level.
        from: Level,
        /// The later level.
        to: Level,
        /// Levels gained.
        by: u8,
    },
    /// A lower level than before.
    Worsened {
        /// The earlier level.
        from: Level,
        /// The later level.
        to: Level,
        /// Levels lost.
        by: u8,
    },
    /// The same level.
    Unchanged {
        /// The level.
        level: Level,
    },
    /// One of the two has no level (declined, not assessed, or no entry).
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    NotComparable,
}

/// One domain's change between two assessments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct DomainChange {
    /// The domain.
    pub domain: DomainKey,
    /// The earlier rating (`not_assessed` when there was no entry).
    pub before: Rating,
    /// The later rating (`not_assessed` when there is no entry).
    pub after: Rating,
    /// The change.
    pub change: Change,
    /// Whether the drop is a setback.
    pub setback: bool,
}

/// Two assessments of one case compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct AssessmentComparison {
    /// The case.
    pub case_id: CaseId,
    /// The earlier assessment.
    pub before: AssessmentId,
    /// The later assessment.
    pub after: AssessmentId,
    /// When the earlier was made.
    pub before_at: Timestamp,
    /// When the later was made.
    pub after_at: Timestamp,
    /// Whole days between the two.
    pub days_between: i64,
    /// Per domain with an entry in either, in catalogue order.
    pub changes: Vec<DomainChange>,
    /// How many domains improved.
    pub improved: u32,
    /// How many worsened.
    pub worsened: u32,
    /// How many stayed at the same level.
    pub unchanged: u32,
    /// How many drops are setbacks.
    pub setbacks: u32,
    /// Red flags raised in the later assessment that the earlier did not have.
    pub red_flags_raised: Vec<RedFlag>,
    /// Red flags of the earlier assessment that the later no longer has.
    pub red_flags_cleared: Vec<RedFlag>,
}

impl AssessmentComparison {
    /// The change of `domain`.
    pub fn change(&self, domain: &str) -> Option<&DomainChange> {
        self.changes.iter().find(|c| c.domain.as_str() == domain)
    }
}

impl Prioritiser {
    /// Compare an earlier and a later assessment of the same case. Refuses assessments of
    /// different cases, a "later" one dated before the earlier one, and unknown or repeated
    /// domains.
    pub fn compare(
        &self,
        before: &Assessment,
        after: &Assessment,
    ) -> Result<AssessmentComparison, NeedsError> {
        if before.case_id != after.case_id {
            return Err(NeedsError::DifferentCases {
                before: before.case_id.clone(),
                after: after.case_id.clone(),
            });
        }
        if after.assessed_at < before.assessed_at {
            return Err(FieldError::new(
                "after.assessed_at",
                Reason::OutOfOrder {
                    value: after.assessed_at.to_rfc3339(),
                    other_field: "before.assessed_at".into(),
                    bound: before.assessed_at.to_rfc3339(),
                },
            )
            .into());
        }
        let catalogue = self.catalogue();
        let n = catalogue.domains.len();
        let mut ratings: Vec<[Option<Rating>; 2]> = vec![[None, None]; n];
        for (side, (name, a)) in [("before", before), ("after", after)].iter().enumerate() {
            for (i, r) in a.ratings.iter().enumerate() {
                let Some(slot) = catalogue
                    .position(r.domain.as_str())
                    .and_then(|p| ratings.get_mut(p))
                    .and_then(|s| s.get_mut(side))
                else {
                    return Err(FieldError::new(
                        format!("{name}.ratings[{i}].domain"),
                        Reason::Unknown {
                            value: r.domain.to_string(),
                            known: catalogue
                                .domains
                                .iter()
                                .map(|d| d.key.to_string())
                                .collect(),
                        },
                    )
                    .into());
                };
                if slot.is_some() {
                    return Err(FieldError::new(
                        format!("{name}.ratings[{i}]"),
                        Reason::Duplicate {
                            value: r.domain.to_string(),
                        },
                    )
                    .into());
                }
                *slot = Some(r.rating);
            }
        }
        let min_drop = self.model().config.setback_min_drop;
        let mut out = AssessmentComparison {
            case_id: before.case_id.clone(),
            before: before.id.clone(),
            after: after.id.clone(),
            before_at: before.assessed_at,
            after_at: after.assessed_at,
            days_between: (after.assessed_at - before.assessed_at).num_days(),
            changes: Vec::new(),
            improved: 0,
            worsened: 0,
            unchanged: 0,
            setbacks: 0,
            red_flags_raised: RedFlag::ALL
                .into_iter()
                .filter(|f| after.red_flags.contains(f) && !before.red_flags.contains(f))
                .collect(),
            red_flags_cleared: RedFlag::ALL
                .into_iter()
                .filter(|f| before.red_flags.contains(f) && !after.red_flags.contains(f))
                .collect(),
        };
        for (entry, pair) in catalogue.domains.iter().zip(ratings.iter()) {
            let [b, a] = *pair;
            if b.is_none() && a.is_none() {
                continue;
            }
            let b = b.unwrap_or(Rating::NotAssessed);
            let a = a.unwrap_or(Rating::NotAssessed);
            let mut setback = false;
            let change = match (b.level(), a.level()) {
                (Some(from), Some(to)) if to > from => {
                    out.improved += 1;
                    Change::Improved {
                        from,
                        to,
                        by: to.number() - from.number(),
                    }
                }
                (Some(from), Some(to)) if to < from => {
                    out.worsened += 1;
                    let by = from.number() - to.number();
                    if by >= min_drop {
                        setback = true;
                        out.setbacks += 1;
                    }
                    Change::Worsened { from, to, by }
                }
                (Some(level), Some(_)) => {
                    out.unchanged += 1;
                    Change::Unchanged { level }
                }
                _ => Change::NotComparable,
            };
            out.changes.push(DomainChange {
                domain: entry.key.clone(),
                before: b,
                after: a,
                change,
                setback,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::DomainRating;
    use beside_core::WorkerId;
    use chrono::{TimeZone, Utc};

    fn assessment(
        id: &str,
        month: u32,
        ratings: &[(&str, Rating)],
        flags: &[RedFlag],
    ) -> Assessment {
        Assessment {
            extra: std::collections::BTreeMap::new(),
            id: AssessmentId::new(id).unwrap(),
            case_id: CaseId::new("c-1").unwrap(),
            assessed_at: Utc.with_ymd_and_hms(2025, month, 1, 9, 0, 0).unwrap(),
            assessed_by: WorkerId::new("w-1").unwrap(),
            ratings: ratings
                .iter()
                .map(|(k, r)| DomainRating {
                    domain: DomainKey::new(k).unwrap(),
                    rating: *r,
                })
                .collect(),
            red_flags: flags.to_vec(),
            own_priorities: vec![],
            not_now: vec![],
        }
    }

    fn l(n: u8) -> Rating {
        Rating::Level(Level::from_number(n).unwrap())
    }

    #[test]
    fn per_domain_changes_and_setbacks() {
        let p = Prioritiser::standard();
        let before = assessment(
            "a",
            2,
            &[
                ("food", l(1)),
                ("livelihood", l(3)),
                ("family", l(2)),
                ("legal", Rating::Declined),
            ],
            &[RedFlag::SuicidalThoughts],
        );
        let after = assessment(
            "b",
            9,
            &[
                ("food", l(3)),
                ("livelihood", l(2)),
                ("family", l(2)),
                ("legal", l(2)),
                ("debt", l(1)),
            ],
            &[RedFlag::ImmediateDanger],
        );
        let c = p.compare(&before, &after).unwrap();
        assert_eq!(
            (c.improved, c.worsened, c.unchanged, c.setbacks),
            (1, 1, 1, 1)
        );
        assert_eq!(
            c.change("food").unwrap().change,
            Change::Improved {
                from: Level::InCrisis,
                to: Level::Safe,
                by: 2
            }
        );
        let liv = c.change("livelihood").unwrap();
        assert!(liv.setback);
        assert_eq!(
            liv.change,
            Change::Worsened {
                from: Level::Safe,
                to: Level::Vulnerable,
                by: 1
            }
        );
        assert_eq!(c.change("legal").unwrap().change, Change::NotComparable);
        assert_eq!(c.change("debt").unwrap().before, Rating::NotAssessed);
        assert_eq!(c.red_flags_raised, vec![RedFlag::ImmediateDanger]);
        assert_eq!(c.red_flags_cleared, vec![RedFlag::SuicidalThoughts]);
        assert_eq!(c.days_between, 212);
        let order: Vec<&str> = c.changes.iter().map(|c| c.domain.as_str()).collect();
        assert_eq!(order, ["food", "legal", "family", "livelihood", "debt"]);

        let mut cfg_model = crate::engine::NeedsModel::default();
        cfg_model.config.setback_min_drop = 2;
        let c = cfg_model
            .compile()
            .unwrap()
            .compare(&before, &after)
            .unwrap();
        assert_eq!((c.worsened, c.setbacks), (1, 0));
    }

    #[test]
    fn refuses_other_cases_and_wrong_order() {
        let p = Prioritiser::standard();
        let a = assessment("a", 2, &[("food", l(1))], &[]);
        let mut b = assessment("b", 5, &[("food", l(2))], &[]);
        assert!(p
            .compare(&b, &a)
            .unwrap_err()
            .to_string()
            .starts_with("after.assessed_at: must not be before"));
        b.case_id = CaseId::new("c-2").unwrap();
        assert_eq!(
            p.compare(&a, &b).unwrap_err().to_string(),
            "assessments belong to different cases: `c-1` and `c-2`"
        );
        let bad = assessment("b", 5, &[("fod", l(2))], &[]);
        assert!(p
            .compare(&a, &bad)
            .unwrap_err()
            .to_string()
            .starts_with("after.ratings[0].domain: unknown value `fod`"));
    }
}
