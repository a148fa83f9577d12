//! A person's trajectory over a series of assessments: outcome scores at each, per-outcome
//! trends, setbacks, time in each phase, the risk, and the next follow-up
//! (`docs/rules.md`, "Reintegration": trajectories and follow-up).
//!
//! Each rule is one function, named after it:
//!
//! | Rule | Function |
//! |---|---|
//! | assessments in date order, ties by id (the input's order does not matter) | `date_order` |
//! | one case, distinct ids, none in the future, at most [`MAX_ASSESSMENTS`] | `check_assessments`, `repeated_ids` |
//! | a domain's level in an assessment: its first rating at a level | `level_table` |
//! | an outcome's score: the weighted mean level of its rated domains | `point_score` (with [`crate::outcome`]'s `outcome_score`) |
//! | the overall index: the weighted mean of the scored outcomes | `overall_index` in [`crate::outcome`] |
//! | an assessment's worst level | `worst_level` |
//! | a domain setback: a fall of at least `domain_drop` levels between consecutive assessments | `domain_setbacks`, `is_domain_setback` |
//! | an outcome setback: a fall of at least `outcome_drop` since the outcome's previous score | `is_outcome_setback` |
//! | an outcome's trend, from its first score to its latest | `outcome_trend`, `trend_of` |
//! | time in each phase | `time_in_phases` ([`Journey::time_in_phases`]) |
//! | the next follow-up, from the latest assessment | [`next_follow_up_in`] |
//!
//! The data structure, chosen once: the trajectory's levels as a table (`LevelTable`), one
//! column per domain met, numbered in the order first met through a hash map (foldhash,
//! hashbrown's default hasher), so each rating's domain is looked up once; one row per
//! assessment. The outcome scores read their domains' columns (found once per trajectory),
//! and the domain setbacks compare two consecutive rows cell by cell; the few that fell are
//! then sorted by key, the order they are listed in. (Looking keys up per assessment costs
//! about three times as many lookups; ordered structures, a `BTreeMap` or a sorted list,
//! spend most of the time comparing key text.)
//!
//! The result names each outcome once (in [`Trajectory::trends`], in the profile's order); the
//! scores form one flat table ([`Trajectory::scores`], one row per point, one column per
//! outcome); setbacks point at the points they compare by index, while still naming the
//! domain or outcome, the levels or scores before and after, and the day.

use crate::error::ReintegrationError;
use crate::followup::{next_follow_up_in, FollowUp};
use crate::model::ReintegrationModel;
use crate::outcome::{level_of, outcome_score, overall_index, OutcomeDefinition, OutcomeKey};
use crate::risk::{assess_risk, RiskAssessment, RiskInputs};
use crate::timeline::{Journey, PhaseTime, TimelineEvent};
use beside_core::{
    AssessmentId, CaseId, DomainKey, FieldError, Level, Reason, TimeZone, Timestamp, Validate,
    Validator,
};
use beside_needs::Assessment;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Most assessments accepted in one trajectory.
pub const MAX_ASSESSMENTS: usize = 1000;

/// One assessment of the trajectory. Its outcome scores are row `i` of
/// [`Trajectory::scores`] (see [`Trajectory::scores_at`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct TrajectoryPoint {
    /// The assessment.
    pub assessment_id: AssessmentId,
    /// When it was made.
    pub assessed_at: Timestamp,
    /// The overall index, 1 to 5: the mean of the scored outcomes weighted by
    /// [`OutcomeTrend::weight`]; absent when no weighted outcome could be scored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<f64>,
    /// The worst level rated in any domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worst_level: Option<Level>,
}

/// One outcome's score at one point: a cell of [`Trajectory::scores`]. The outcome is the
/// column's ([`Trajectory::trends`] in the same position).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct PointScore {
    /// The weighted mean level of the outcome's rated domains, 1 to 5; absent when none was
    /// rated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// The level the score reaches (rounded down); absent when there is no score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// How many of the outcome's domains were rated at a level (out of
    /// [`OutcomeTrend::total_domains`]).
    pub rated_domains: u32,
}

/// Which way an outcome is going.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
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

/// One outcome of the profile, how it is derived, and its trend from its first score to its
/// latest. The trends also head the columns of [`Trajectory::scores`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct OutcomeTrend {
    /// The outcome.
    pub outcome: OutcomeKey,
    /// Its weight in the overall index.
    pub weight: f64,
    /// How many domains feed it.
    pub total_domains: u32,
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

/// Something went backwards between two assessments. `point` and `previous` index
/// [`Trajectory::points`] (the assessment where it fell, and the one it is compared with).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Setback {
    /// A domain fell by at least the configured number of levels between two consecutive
    /// assessments (`previous` is `point - 1`).
    Domain {
        /// The domain.
        domain: DomainKey,
        /// Its level before.
        from: Level,
        /// Its level after.
        to: Level,
        /// The point where it fell.
        point: u32,
        /// The point before it.
        previous: u32,
        /// The day of the later assessment.
        on: NaiveDate,
    },
    /// An outcome's score fell by at least the configured amount since the previous
    /// assessment that scored it.
    Outcome {
        /// The outcome.
        outcome: OutcomeKey,
        /// Its score before.
        from: f64,
        /// Its score after.
        to: f64,
        /// The point where it fell.
        point: u32,
        /// The previous point that scored the outcome.
        previous: u32,
        /// The day of the later assessment.
        on: NaiveDate,
    },
}

impl Setback {
    /// The kind of setback, as serialised in `code`: `domain` or `outcome`.
    pub fn code(&self) -> &'static str {
        match self {
            Setback::Domain { .. } => "domain",
            Setback::Outcome { .. } => "outcome",
        }
    }

    /// The point where it fell (an index into [`Trajectory::points`]).
    pub fn point(&self) -> usize {
        match self {
            Setback::Domain { point, .. } | Setback::Outcome { point, .. } => *point as usize,
        }
    }

    /// The point it is compared with (an index into [`Trajectory::points`]).
    pub fn previous(&self) -> usize {
        match self {
            Setback::Domain { previous, .. } | Setback::Outcome { previous, .. } => {
                *previous as usize
            }
        }
    }

    /// The day of the later assessment.
    pub fn on(&self) -> NaiveDate {
        match self {
            Setback::Domain { on, .. } | Setback::Outcome { on, .. } => *on,
        }
    }
}

/// A person's trajectory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Trajectory {
    /// The case.
    pub case_id: CaseId,
    /// The outcome profile used.
    pub profile: String,
    /// One point per assessment, in date order.
    pub points: Vec<TrajectoryPoint>,
    /// One entry per outcome, in the profile's order: the outcome, its index weight, how many
    /// domains feed it, and its trend. Also the columns of `scores`.
    pub trends: Vec<OutcomeTrend>,
    /// The outcome scores as one table, row by row: one row per point (in the order of
    /// `points`), one cell per outcome (in the order of `trends`). Point `i`'s scores are
    /// `scores[i * trends.len() .. (i + 1) * trends.len()]` ([`Trajectory::scores_at`]).
    pub scores: Vec<PointScore>,
    /// Setbacks, in point order (so in date order); at one point, domain setbacks by domain
    /// key, then outcome setbacks in the profile's order.
    pub setbacks: Vec<Setback>,
    /// Time in each phase up to the day of the computation; empty when no events were given.
    pub phases: Vec<PhaseTime>,
    /// The risk of re-trafficking, when inputs were given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<RiskAssessment>,
    /// The next follow-up, from the latest assessment.
    pub follow_up: FollowUp,
}

impl Trajectory {
    /// The outcome scores of point `i` (in the order of [`Trajectory::trends`]); empty when
    /// there is no such point.
    pub fn scores_at(&self, i: usize) -> &[PointScore] {
        let n = self.trends.len();
        let row = i
            .checked_mul(n)
            .and_then(|start| self.scores.get(start..start.checked_add(n)?));
        match row {
            Some(row) => row,
            None => &[],
        }
    }

    /// The outcome scores of the latest point; empty when there is none.
    pub fn latest_scores(&self) -> &[PointScore] {
        match self.points.len().checked_sub(1) {
            Some(latest) => self.scores_at(latest),
            None => &[],
        }
    }

    /// The score of `outcome` at point `i`, when the outcome is in the profile and was scored.
    pub fn score(&self, i: usize, outcome: &OutcomeKey) -> Option<f64> {
        let o = self.trends.iter().position(|t| &t.outcome == outcome)?;
        self.scores_at(i).get(o)?.score
    }
}

/// The trajectory's levels ([`level_table`]).
struct LevelTable<'a> {
    /// The domain of each column.
    domains: Vec<&'a DomainKey>,
    /// The column of each domain.
    columns: foldhash::HashMap<&'a DomainKey, usize>,
    /// One row per assessment, in date order: each column's level, if rated at one.
    rows: Vec<Vec<Option<Level>>>,
}

/// The error of a column outside its row, which the table's construction rules out.
fn column_outside(column: usize) -> ReintegrationError {
    ReintegrationError::Internal {
        invariant: format!("column {column} within the rows of the level table"),
    }
}

/// Rule: assessments are taken in date order, ties by id, so that the trajectory does not
/// depend on the order they are given in (`docs/rules.md`, "Reintegration").
fn date_order(assessments: &[Assessment]) -> Vec<&Assessment> {
    let mut order: Vec<&Assessment> = assessments.iter().collect();
    order.sort_by(|a, b| (a.assessed_at, a.id.as_str()).cmp(&(b.assessed_at, b.id.as_str())));
    order
}

/// Rule: a domain's level in an assessment is its first rating at a level; "not assessed" and
/// "declined" are no level. (A checked assessment rates each domain once; when a domain is
/// repeated anyway, its first level counts.) For all the assessments of `order` at once.
fn level_table<'a>(order: &[&'a Assessment]) -> Result<LevelTable<'a>, ReintegrationError> {
    let expected = order.first().map_or(0, |a| a.ratings.len());
    let mut domains: Vec<&DomainKey> = Vec::with_capacity(expected);
    let mut columns: foldhash::HashMap<&DomainKey, usize> =
        foldhash::HashMap::with_capacity_and_hasher(expected, Default::default());
    let mut rows: Vec<Vec<Option<Level>>> = Vec::with_capacity(order.len());
    for assessment in order {
        // A cell per domain known so far, and one more for each new domain.
        let mut row = vec![None; domains.len()];
        for r in &assessment.ratings {
            let next = domains.len();
            let column = *columns.entry(&r.domain).or_insert(next);
            if column == next {
                domains.push(&r.domain);
                row.push(None);
            }
            // INVARIANT: the row has a cell for every column numbered so far.
            let cell = row.get_mut(column).ok_or_else(|| column_outside(column))?;
            if let (None, Some(level)) = (*cell, r.rating.level()) {
                *cell = Some(level);
            }
        }
        rows.push(row);
    }
    // Earlier rows gain the cells of the domains met after them.
    for row in &mut rows {
        row.resize(domains.len(), None);
    }
    Ok(LevelTable {
        domains,
        columns,
        rows,
    })
}

/// Rule: an assessment's worst level is the lowest level of any of its domains.
fn worst_level(row: &[Option<Level>]) -> Option<Level> {
    row.iter().flatten().min().copied()
}

/// Rule: an outcome's score at an assessment is the weighted mean level of the outcome's
/// domains rated at a level, 1 to 5, and the level it reaches, rounding down
/// (`docs/rules.md`, "Reintegration": outcomes).
///
/// `columns` are the columns of the outcome's domains (none for a domain no assessment rated).
fn point_score(
    outcome: &OutcomeDefinition,
    columns: &[Option<usize>],
    row: &[Option<Level>],
) -> Result<PointScore, ReintegrationError> {
    let mut outside = None;
    let levels = columns.iter().map(|column| match *column {
        None => None,
        Some(c) => match row.get(c) {
            Some(level) => *level,
            None => {
                outside = Some(c);
                None
            }
        },
    });
    let (score, rated_domains) = outcome_score(outcome, levels);
    if let Some(c) = outside {
        return Err(column_outside(c));
    }
    Ok(PointScore {
        score,
        level: score.and_then(level_of),
        rated_domains,
    })
}

/// Rule: a domain fell far enough to be a setback when it dropped by at least `drop` levels.
fn is_domain_setback(from: Level, to: Level, drop: u8) -> bool {
    u16::from(from.number()) >= u16::from(to.number()) + u16::from(drop)
}

/// Rule: the domain setbacks between two consecutive assessments: every domain rated at a
/// level in both that fell by at least `drop` levels ([`is_domain_setback`]), in key order,
/// with its level before and after (`docs/rules.md`, "Reintegration": trajectories).
fn domain_setbacks<'a>(
    domains: &[&'a DomainKey],
    before: &[Option<Level>],
    after: &[Option<Level>],
    drop: u8,
) -> Vec<(&'a DomainKey, Level, Level)> {
    let mut setbacks: Vec<(&DomainKey, Level, Level)> = domains
        .iter()
        .zip(before.iter().zip(after))
        .filter_map(|(&domain, (from, to))| {
            let (from, to) = ((*from)?, (*to)?);
            is_domain_setback(from, to, drop).then_some((domain, from, to))
        })
        .collect();
    // Each domain has one column, so the order is total.
    setbacks.sort_unstable_by(|a, b| a.0.cmp(b.0));
    setbacks
}

/// Scores differing by less than this are taken as equal when judging an outcome setback, so
/// that a fall of exactly the configured drop counts although the scores were rounded.
const SCORE_ROUNDING: f64 = 1e-9;

/// Rule: an outcome setback is a fall of the outcome's score by at least `drop` since the
/// previous assessment that scored it (`docs/rules.md`, "Reintegration": trajectories).
fn is_outcome_setback(from: f64, to: f64, drop: f64) -> bool {
    from - to >= drop - SCORE_ROUNDING
}

/// Rule: an outcome's trend from `change`, its latest score minus its first: improving when up
/// by at least the stable band, worsening when down by at least it, stable in between, and
/// insufficient data with fewer than two scores (no change).
fn trend_of(change: Option<f64>, band: f64) -> Trend {
    match change {
        None => Trend::InsufficientData,
        Some(c) if c >= band && c > 0.0 => Trend::Improving,
        Some(c) if c <= -band && c < 0.0 => Trend::Worsening,
        Some(_) => Trend::Stable,
    }
}

/// An outcome's figures over the trajectory from its scores (each with its point, in point
/// order): first, latest, change, lowest, count, and the trend ([`trend_of`]).
fn outcome_trend(
    outcome: &OutcomeDefinition,
    scored: &[(u32, f64)],
    band: f64,
) -> Result<OutcomeTrend, ReintegrationError> {
    let first = scored.first().map(|&(_, s)| s);
    let latest = scored.last().map(|&(_, s)| s);
    let change = match (first, latest) {
        (Some(first), Some(latest)) if scored.len() >= 2 => Some(latest - first),
        _ => None,
    };
    Ok(OutcomeTrend {
        outcome: outcome.key.clone(),
        weight: outcome.weight,
        total_domains: count(outcome.domains.len(), "domains of an outcome")?,
        trend: trend_of(change, band),
        first,
        latest,
        change,
        lowest: scored.iter().map(|&(_, s)| s).reduce(f64::min),
        scored: count(scored.len(), "scores of an outcome")?,
    })
}

/// `n` as a `u32`, for counts and positions the checks bound.
fn count(n: usize, what: &str) -> Result<u32, ReintegrationError> {
    // INVARIANT: a model's outcomes have at most `MAX_OUTCOME_DOMAINS` domains and a
    // trajectory at most `MAX_ASSESSMENTS` points (both checked before), so every count fits.
    u32::try_from(n).map_err(|_| ReintegrationError::Internal {
        invariant: format!("the number of {what} ({n}) to fit in 32 bits"),
    })
}

/// Rule: a trajectory's assessments belong to one case, have distinct ids ([`repeated_ids`]),
/// do not lie in the future, and are at most [`MAX_ASSESSMENTS`].
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
    for (id, i) in repeated_ids(assessments) {
        v.field("assessments", |v| {
            v.index(i, |v| {
                v.report_at(
                    "id",
                    Reason::Duplicate {
                        value: id.to_string(),
                    },
                )
            })
        });
    }
}

/// The assessments whose id an earlier one already has, with their positions, in id order
/// (then by position): each repeat is reported, the first of each id is not.
fn repeated_ids(assessments: &[Assessment]) -> Vec<(&AssessmentId, usize)> {
    let mut seen = BTreeSet::new();
    let mut repeats: Vec<(&AssessmentId, usize)> = assessments
        .iter()
        .enumerate()
        .filter(|(_, a)| !seen.insert(&a.id))
        .map(|(i, a)| (&a.id, i))
        .collect();
    repeats.sort();
    repeats
}

/// Rule: time in each phase up to the day of the computation, from the case's timeline
/// replayed ([`Journey::replay_in`]); none when no events were given.
fn time_in_phases(
    case_id: &CaseId,
    events: &[TimelineEvent],
    now: Timestamp,
    zone: TimeZone,
) -> Result<Vec<PhaseTime>, ReintegrationError> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let journey = Journey::replay_in(case_id.clone(), events, now, zone)?;
    Ok(journey.time_in_phases(zone.local_date(now)))
}

impl ReintegrationModel {
    /// The trajectory of one case from its assessments (any order, at least one), its timeline
    /// events (in date order; may be empty) and its latest risk inputs, judging "in the
    /// future" and time in phases against `now`.
    ///
    /// Assessments are assumed to have passed their own checks (see
    /// [`beside_needs::Assessment`]); here they must belong to one case, have distinct ids and
    /// not lie in the future.
    ///
    /// Days (of setbacks, the follow-up, time in phases) are UTC days here, for where the
    /// case's place is not known: give it with [`ReintegrationModel::trajectory_in`].
    pub fn trajectory(
        &self,
        assessments: &[Assessment],
        events: &[TimelineEvent],
        risk: Option<&RiskInputs>,
        now: Timestamp,
    ) -> Result<Trajectory, ReintegrationError> {
        self.trajectory_in(assessments, events, risk, now, TimeZone::UTC)
    }

    /// [`ReintegrationModel::trajectory`] with days read on the calendar of `zone`, the case's
    /// place ([`beside_core::TimeZone::for_case`]): an assessment at 00:30 in Dhaka is dated
    /// that day, its follow-up counted from it, and "today" for time in phases and for events
    /// "in the future" is the day it is there.
    pub fn trajectory_in(
        &self,
        assessments: &[Assessment],
        events: &[TimelineEvent],
        risk: Option<&RiskInputs>,
        now: Timestamp,
        zone: TimeZone,
    ) -> Result<Trajectory, ReintegrationError> {
        let config = self.config();
        let profile = &config.profile;
        let trend = &config.trend;
        let Some(first) = assessments.first() else {
            return Err(FieldError::new("assessments", Reason::Empty).into());
        };
        let case_id = &first.case_id;
        let mut v = Validator::new_in(now, zone);
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
        let phases = time_in_phases(case_id, events, now, zone)?;

        let order = date_order(assessments);
        let mut points = Vec::with_capacity(order.len());
        let mut scores = Vec::with_capacity(order.len() * profile.outcomes.len());
        let mut setbacks = Vec::new();
        // Per outcome, in the profile's order: each point that scored it, with the score.
        let mut scored: Vec<Vec<(u32, f64)>> = vec![Vec::new(); profile.outcomes.len()];
        let table = level_table(&order)?;
        // The columns of each outcome's domains, in the profile's order.
        let outcome_columns: Vec<Vec<Option<usize>>> = profile
            .outcomes
            .iter()
            .map(|o| {
                o.domains
                    .iter()
                    .map(|d| table.columns.get(&d.domain).copied())
                    .collect()
            })
            .collect();
        // The previous point and its levels.
        let mut previous: Option<(u32, &[Option<Level>])> = None;
        for (i, (assessment, levels)) in order.iter().zip(&table.rows).enumerate() {
            let point = count(i, "points")?;
            let on = zone.local_date(assessment.assessed_at);

            // At one point: the domains that fell, by key, then the outcomes that fell, in
            // the profile's order.
            if let Some((before, before_levels)) = previous {
                for (domain, from, to) in
                    domain_setbacks(&table.domains, before_levels, levels, trend.domain_drop)
                {
                    setbacks.push(Setback::Domain {
                        domain: domain.clone(),
                        from,
                        to,
                        point,
                        previous: before,
                        on,
                    });
                }
            }
            // This point's row of the score table.
            let row_start = scores.len();
            for ((outcome, columns), series) in profile
                .outcomes
                .iter()
                .zip(&outcome_columns)
                .zip(&mut scored)
            {
                let cell = point_score(outcome, columns, levels)?;
                scores.push(cell);
                let Some(score) = cell.score else { continue };
                if let Some(&(before, from)) = series.last() {
                    if is_outcome_setback(from, score, trend.outcome_drop) {
                        setbacks.push(Setback::Outcome {
                            outcome: outcome.key.clone(),
                            from,
                            to: score,
                            point,
                            previous: before,
                            on,
                        });
                    }
                }
                series.push((point, score));
            }

            points.push(TrajectoryPoint {
                assessment_id: assessment.id.clone(),
                assessed_at: assessment.assessed_at,
                index: overall_index(
                    profile,
                    scores.iter().skip(row_start).map(|cell| cell.score),
                ),
                worst_level: worst_level(levels),
            });
            previous = Some((point, levels.as_slice()));
        }

        let trends = profile
            .outcomes
            .iter()
            .zip(&scored)
            .map(|(outcome, series)| outcome_trend(outcome, series, trend.stable_band))
            .collect::<Result<Vec<_>, _>>()?;
        let risk = risk.map(|r| assess_risk(r, &config.risk));
        // INVARIANT: there is at least one assessment (checked first), so a latest one.
        let Some(latest) = order.last() else {
            return Err(ReintegrationError::Internal {
                invariant: "a latest assessment among at least one".into(),
            });
        };
        let follow_up = next_follow_up_in(
            latest,
            risk.as_ref().map(|r| r.level),
            &config.follow_up,
            zone,
        );
        Ok(Trajectory {
            case_id: case_id.clone(),
            profile: profile.key.clone(),
            points,
            trends,
            scores,
            setbacks,
            phases,
            risk,
            follow_up,
        })
    }
}
