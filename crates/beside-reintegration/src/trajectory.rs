//! A person's trajectory over a series of assessments: outcome scores at each, per-outcome
//! trends, setbacks, time in each phase, the risk, and the next follow-up.
//!
//! Assessments are put in date order (ties by id), so the result does not depend on the order
//! they are given in.

use crate::error::ReintegrationError;
use crate::followup::{next_follow_up, FollowUp};
use crate::model::ReintegrationModel;
use crate::outcome::{index_of, score_outcome, OutcomeKey, OutcomeScore};
use crate::risk::{assess_risk, RiskAssessment, RiskInputs};
use crate::timeline::{Journey, PhaseTime, TimelineEvent};
use beside_core::{
    AssessmentId, CaseId, DomainKey, Level, Reason, Timestamp, Validate, ValidationErrors,
    Validator, DEFAULT_DOMAINS,
};
use beside_needs::Assessment;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Most assessments accepted in one trajectory.
pub const MAX_ASSESSMENTS: usize = 1000;

/// The outcomes at one assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TrajectoryPoint {
    /// The assessment.
    pub assessment_id: AssessmentId,
    /// When it was made.
    pub assessed_at: Timestamp,
    /// One score per outcome of the profile, in the profile's order.
    pub outcomes: Vec<OutcomeScore>,
    /// The overall index, 1 to 5; absent when no weighted outcome could be scored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<f64>,
    /// The worst level rated in any domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worst_level: Option<Level>,
}

/// Which way an outcome is going.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    /// Up by at least the stable band.
    Improving,
    /// Within the stable band.
    Stable,
    /// Down by at least the stable band.
    Worsening,
    /// Fewer than two scores.
    InsufficientData,
}

impl Trend {
    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            Trend::Improving => "improving",
            Trend::Stable => "stable",
            Trend::Worsening => "worsening",
            Trend::InsufficientData => "insufficient_data",
        }
    }
}

/// One outcome's trend from its first score to its latest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OutcomeTrend {
    /// The outcome.
    pub outcome: OutcomeKey,
    /// The direction.
    pub trend: Trend,
    /// The first score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<f64>,
    /// The latest score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest: Option<f64>,
    /// Latest minus first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<f64>,
    /// The lowest score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lowest: Option<f64>,
    /// How many assessments gave a score.
    pub scored: u32,
}

/// Something went backwards between two consecutive assessments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Setback {
    /// A domain fell by at least the configured number of levels.
    Domain {
        /// The domain.
        domain: DomainKey,
        /// Its level before.
        from: Level,
        /// Its level after.
        to: Level,
        /// The assessment where it fell (compared with the one before it).
        assessment_id: AssessmentId,
        /// The day of the later assessment.
        on: NaiveDate,
    },
    /// An outcome's score fell by at least the configured amount.
    Outcome {
        /// The outcome.
        outcome: OutcomeKey,
        /// Its score before.
        from: f64,
        /// Its score after.
        to: f64,
        /// The assessment where it fell (compared with the previous one that scored it).
        assessment_id: AssessmentId,
        /// The day of the later assessment.
        on: NaiveDate,
    },
}

/// A person's trajectory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Trajectory {
    /// The case.
    pub case_id: CaseId,
    /// The outcome profile used.
    pub profile: String,
    /// One point per assessment, in date order.
    pub points: Vec<TrajectoryPoint>,
    /// One trend per outcome, in the profile's order.
    pub trends: Vec<OutcomeTrend>,
    /// Setbacks, in date order (domain setbacks by domain key, then outcome setbacks).
    pub setbacks: Vec<Setback>,
    /// Time in each phase up to the day of the computation; empty when no events were given.
    pub phases: Vec<PhaseTime>,
    /// The risk of re-trafficking, when inputs were given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<RiskAssessment>,
    /// The next follow-up, from the latest assessment.
    pub follow_up: FollowUp,
}

/// Interns domain keys met in the assessments, remembering where each rating position was
/// found last time (assessments usually list domains in the same order).
struct Interner<'a> {
    keys: Vec<&'a DomainKey>,
    hints: Vec<u16>,
}

/// Whether two keys are the same text: the same bytes in memory (keys cloned from one catalogue
/// share them) or equal bytes.
#[inline(always)]
fn same(a: &DomainKey, b: &DomainKey) -> bool {
    let (a, b) = (a.as_str(), b.as_str());
    a.len() == b.len() && (std::ptr::eq(a.as_ptr(), b.as_ptr()) || a == b)
}

impl<'a> Interner<'a> {
    #[inline]
    fn index(&mut self, position: usize, key: &'a DomainKey) -> usize {
        if let Some(&h) = self.hints.get(position) {
            if self.keys.get(usize::from(h)).is_some_and(|k| same(k, key)) {
                return usize::from(h);
            }
        }
        let i = match self.keys.iter().position(|k| same(k, key)) {
            Some(i) => {
                // Keep this spelling: later assessments cloned from the same catalogue then
                // match by address.
                if let Some(k) = self.keys.get_mut(i) {
                    *k = key;
                }
                i
            }
            None => {
                self.keys.push(key);
                self.keys.len() - 1
            }
        };
        let h = u16::try_from(i).unwrap_or(u16::MAX);
        // One hint per rating position (positions skipped so far get none), so that a
        // declined or unassessed rating does not shift the hints of the positions after it.
        if self.hints.len() <= position {
            self.hints.resize(position + 1, u16::MAX);
        }
        if let Some(slot) = self.hints.get_mut(position) {
            *slot = h;
        }
        i
    }
}

fn check_assessments(v: &mut Validator, assessments: &[Assessment], case_id: &CaseId) {
    if assessments.len() > MAX_ASSESSMENTS {
        v.report_at(
            "assessments",
            Reason::TooMany {
                max: MAX_ASSESSMENTS,
                got: assessments.len(),
            },
        );
    }
    let now = v.now();
    for (i, a) in assessments.iter().enumerate() {
        if &a.case_id != case_id {
            v.field("assessments", |v| {
                v.index(i, |v| {
                    v.report_at(
                        "case_id",
                        Reason::Invalid {
                            expected: format!("an assessment of case `{case_id}`"),
                            value: a.case_id.to_string(),
                        },
                    )
                })
            });
        }
        if a.assessed_at > now {
            v.field("assessments", |v| {
                v.index(i, |v| v.not_future("assessed_at", a.assessed_at))
            });
        }
    }
    // Duplicate ids: compare 64-bit hashes first; only on a collision sort the ids themselves
    // (which names the later duplicate in id order).
    let mut hashes: Vec<u64> = assessments.iter().map(|a| fnv1a(a.id.as_str())).collect();
    hashes.sort_unstable();
    if !hashes.windows(2).any(|w| matches!(w, [a, b] if a == b)) {
        return;
    }
    let mut ids: Vec<(&AssessmentId, usize)> = assessments
        .iter()
        .enumerate()
        .map(|(i, a)| (&a.id, i))
        .collect();
    ids.sort_unstable();
    for pair in ids.windows(2) {
        if let [(a, _), (b, i)] = pair {
            if a == b {
                v.field("assessments", |v| {
                    v.index(*i, |v| {
                        v.report_at(
                            "id",
                            Reason::Duplicate {
                                value: b.to_string(),
                            },
                        )
                    })
                });
            }
        }
    }
}

/// FNV-1a over the bytes of `s`.
fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Levels by number, 0 meaning none.
const LEVELS: [Option<Level>; 6] = [
    None,
    Some(Level::InCrisis),
    Some(Level::Vulnerable),
    Some(Level::Safe),
    Some(Level::BuildingCapacity),
    Some(Level::Thriving),
];

fn level_from(n: u8) -> Option<Level> {
    LEVELS.get(usize::from(n)).copied().flatten()
}

/// The key as a static default-domain key when it is one (cloning that costs nothing),
/// else a copy.
fn canonical(key: &DomainKey) -> DomainKey {
    DEFAULT_DOMAINS
        .iter()
        .find(|(k, _)| same(k, key))
        .map_or_else(|| key.clone(), |(k, _)| k.clone())
}

/// The day of a setback.
fn day_of(s: &Setback) -> NaiveDate {
    match s {
        Setback::Domain { on, .. } | Setback::Outcome { on, .. } => *on,
    }
}

/// Domain setbacks (already in date order) and outcome setbacks (in outcome order) as one list
/// in date order, domain setbacks first on a day: the same as a stable sort by (day, kind).
fn merge_setbacks(domain: Vec<Setback>, mut outcome: Vec<Setback>) -> Vec<Setback> {
    if outcome.is_empty()
        && domain
            .windows(2)
            .all(|w| matches!(w, [a, b] if day_of(a) <= day_of(b)))
    {
        return domain;
    }
    if !domain
        .windows(2)
        .all(|w| matches!(w, [a, b] if day_of(a) <= day_of(b)))
    {
        let mut all = domain;
        all.append(&mut outcome);
        all.sort_by_key(|s| match s {
            Setback::Domain { on, .. } => (*on, 0u8),
            Setback::Outcome { on, .. } => (*on, 1u8),
        });
        return all;
    }
    outcome.sort_by_key(day_of);
    let mut merged = Vec::with_capacity(domain.len() + outcome.len());
    let mut rest = outcome.into_iter().peekable();
    for d in domain {
        let day = day_of(&d);
        while let Some(o) = rest.next_if(|o| day_of(o) < day) {
            merged.push(o);
        }
        merged.push(d);
    }
    merged.extend(rest);
    merged
}

impl ReintegrationModel {
    /// The trajectory of one case from its assessments (any order, at least one), its timeline
    /// events (in date order; may be empty) and its latest risk inputs, judging "in the
    /// future" and time in phases against `now`.
    ///
    /// Assessments are assumed to have passed their own checks (see
    /// [`beside_needs::Assessment`]); here they must belong to one case, have distinct ids and
    /// not lie in the future.
    pub fn trajectory(
        &self,
        assessments: &[Assessment],
        events: &[TimelineEvent],
        risk: Option<&RiskInputs>,
        now: Timestamp,
    ) -> Result<Trajectory, ReintegrationError> {
        let config = self.config();
        let Some(first) = assessments.first() else {
            return Err(ValidationErrors::from(beside_core::FieldError::new(
                "assessments",
                Reason::Empty,
            ))
            .into());
        };
        let case_id = &first.case_id;
        let mut v = Validator::new(now);
        check_assessments(&mut v, assessments, case_id);
        if let Some(r) = risk {
            if &r.case_id != case_id {
                v.field("risk", |v| {
                    v.report_at(
                        "case_id",
                        Reason::Invalid {
                            expected: format!("risk inputs of case `{case_id}`"),
                            value: r.case_id.to_string(),
                        },
                    )
                });
            }
            v.field("risk", |v| r.validate_with(v));
        }
        v.finish()?;
        let journey = if events.is_empty() {
            None
        } else {
            Some(Journey::replay(case_id.clone(), events, now)?)
        };

        // Date order, ties by id: independent of the input order.
        let mut order: Vec<&Assessment> = assessments.iter().collect();
        order.sort_by(|a, b| {
            a.assessed_at
                .cmp(&b.assessed_at)
                .then_with(|| a.id.cmp(&b.id))
        });

        // Levels as a grid: one row per assessment, one column per domain: the profile's
        // domains first (numbered once by the model), then any other domain met.
        let compiled = self.columns();
        let mut interner = Interner {
            keys: Vec::with_capacity(compiled.domains.len() + 8),
            hints: Vec::with_capacity(24),
        };
        interner.keys.extend(compiled.domains.iter());
        let mut cells: Vec<(usize, u8)> = Vec::with_capacity(order.len() * 16);
        let mut row_ends: Vec<usize> = Vec::with_capacity(order.len());
        for a in &order {
            for (pos, r) in a.ratings.iter().enumerate() {
                if let Some(l) = r.rating.level() {
                    cells.push((interner.index(pos, &r.domain), l.number()));
                }
            }
            row_ends.push(cells.len());
        }
        let width = interner.keys.len();
        let mut grid = vec![0u8; order.len() * width];
        let mut start = 0;
        for (row, &end) in row_ends.iter().enumerate() {
            for &(col, level) in cells.get(start..end).unwrap_or(&[]) {
                if let Some(slot) = grid.get_mut(row * width + col) {
                    // The first rating of a domain counts (a checked assessment has one).
                    if *slot == 0 {
                        *slot = level;
                    }
                }
            }
            start = end;
        }
        let row_of =
            |row: usize| -> &[u8] { grid.get(row * width..(row + 1) * width).unwrap_or(&[]) };

        let profile = &config.profile;
        let mut points = Vec::with_capacity(order.len());
        for (row, a) in order.iter().enumerate() {
            let levels = row_of(row);
            let mut outcomes = Vec::with_capacity(profile.outcomes.len());
            let mut offset = 0;
            for def in &profile.outcomes {
                let n = def.domains.len();
                let cols = compiled.columns.get(offset..offset + n).unwrap_or(&[]);
                offset += n;
                outcomes.push(score_outcome(def, |i, _| {
                    level_from(*levels.get(*cols.get(i)?)?)
                }));
            }
            let worst = levels
                .iter()
                .filter(|&&n| n > 0)
                .min()
                .and_then(|&n| level_from(n));
            points.push(TrajectoryPoint {
                assessment_id: a.id.clone(),
                assessed_at: a.assessed_at,
                index: index_of(profile, &outcomes),
                outcomes,
                worst_level: worst,
            });
        }

        // Domain setbacks between consecutive assessments, by domain key within a row (rows
        // are in date order, so these come out in date order).
        let mut column_keys: Vec<Option<DomainKey>> = vec![None; width];
        let mut setbacks = Vec::new();
        let mut falls: Vec<(usize, Level, Level)> = Vec::new();
        let drop = config.trend.domain_drop;
        for row in 1..order.len() {
            let Some(cur) = order.get(row) else {
                continue;
            };
            falls.clear();
            for (col, (&from, &to)) in row_of(row - 1).iter().zip(row_of(row)).enumerate() {
                let (Some(from), Some(to)) = (level_from(from), level_from(to)) else {
                    continue;
                };
                if from.number() >= to.number().saturating_add(drop) {
                    falls.push((col, from, to));
                }
            }
            if falls.len() > 1 {
                falls.sort_by(|x, y| interner.keys.get(x.0).cmp(&interner.keys.get(y.0)));
            }
            for &(col, from, to) in &falls {
                let (Some(slot), Some(key)) = (column_keys.get_mut(col), interner.keys.get(col))
                else {
                    continue;
                };
                let domain = slot.get_or_insert_with(|| canonical(key)).clone();
                setbacks.push(Setback::Domain {
                    domain,
                    from,
                    to,
                    assessment_id: cur.id.clone(),
                    on: cur.assessed_at.date_naive(),
                });
            }
        }
        let band = config.trend.stable_band;
        let mut trends = Vec::with_capacity(profile.outcomes.len());
        let mut outcome_setbacks = Vec::new();
        for (o, def) in profile.outcomes.iter().enumerate() {
            let mut scored = 0u32;
            let (mut first, mut latest, mut lowest): (Option<f64>, Option<f64>, Option<f64>) =
                (None, None, None);
            let mut previous: Option<f64> = None;
            for p in &points {
                let Some(s) = p.outcomes.get(o).and_then(|s| s.score) else {
                    continue;
                };
                scored += 1;
                first = first.or(Some(s));
                latest = Some(s);
                lowest = Some(lowest.map_or(s, |l| l.min(s)));
                if let Some(before) = previous {
                    if before - s >= config.trend.outcome_drop - 1e-9 {
                        outcome_setbacks.push(Setback::Outcome {
                            outcome: def.key.clone(),
                            from: before,
                            to: s,
                            assessment_id: p.assessment_id.clone(),
                            on: p.assessed_at.date_naive(),
                        });
                    }
                }
                previous = Some(s);
            }
            let change = match (first, latest) {
                (Some(f), Some(l)) if scored >= 2 => Some(l - f),
                _ => None,
            };
            let trend = match change {
                None => Trend::InsufficientData,
                Some(c) if c >= band && c > 0.0 => Trend::Improving,
                Some(c) if c <= -band && c < 0.0 => Trend::Worsening,
                Some(_) => Trend::Stable,
            };
            trends.push(OutcomeTrend {
                outcome: def.key.clone(),
                trend,
                first,
                latest,
                change,
                lowest,
                scored,
            });
        }

        // Date order; on one day, domain setbacks (by key) before outcome setbacks (by
        // outcome, then date): a stable sort of the outcome setbacks, merged behind the domain
        // setbacks of the same day.
        let setbacks = merge_setbacks(setbacks, outcome_setbacks);
        let risk = risk.map(|r| assess_risk(r, &config.risk));
        let latest = order.last().copied().unwrap_or(first);
        let follow_up = next_follow_up(latest, risk.as_ref().map(|r| r.level), &config.follow_up);
        Ok(Trajectory {
            case_id: case_id.clone(),
            profile: profile.key.clone(),
            points,
            trends,
            setbacks,
            phases: journey
                .map(|j| j.time_in_phases(now.date_naive()))
                .unwrap_or_default(),
            risk,
            follow_up,
        })
    }
}
