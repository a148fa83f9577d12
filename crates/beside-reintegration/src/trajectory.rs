//! A person's trajectory over a series of assessments: outcome scores at each, per-outcome
//! trends, setbacks, time in each phase, the risk, and the next follow-up.
//!
//! Assessments are put in date order (ties by id), so the result does not depend on the order
//! they are given in.
//!
//! The result is laid out to be built without per-point allocations: each outcome is named
//! once (in [`Trajectory::trends`], in the profile's order), the scores form one flat table
//! ([`Trajectory::scores`], one row per point, one column per outcome), and setbacks point at
//! the points they compare by index, while still naming the domain or outcome, the levels or
//! scores before and after, and the day.

use crate::error::ReintegrationError;
use crate::followup::{next_follow_up, FollowUp};
use crate::model::ReintegrationModel;
use crate::outcome::{canonical_domain, level_of, OutcomeKey};
use crate::risk::{assess_risk, RiskAssessment, RiskInputs};
use crate::timeline::{Journey, PhaseTime, TimelineEvent};
use beside_core::{
    AssessmentId, CaseId, DomainKey, Level, Rating, Reason, Timestamp, Validate, ValidationErrors,
    Validator,
};
use beside_needs::{Assessment, DomainRating};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Most assessments accepted in one trajectory.
pub const MAX_ASSESSMENTS: usize = 1000;

/// One assessment of the trajectory. Its outcome scores are row `i` of
/// [`Trajectory::scores`] (see [`Trajectory::scores_at`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
        i.checked_mul(n)
            .and_then(|start| self.scores.get(start..start.checked_add(n)?))
            .unwrap_or(&[])
    }

    /// The outcome scores of the latest point; empty when there is none.
    pub fn latest_scores(&self) -> &[PointScore] {
        self.scores_at(self.points.len().wrapping_sub(1))
    }

    /// The score of `outcome` at point `i`, when the outcome is in the profile and was scored.
    pub fn score(&self, i: usize, outcome: &OutcomeKey) -> Option<f64> {
        let o = self.trends.iter().position(|t| &t.outcome == outcome)?;
        self.scores_at(i).get(o)?.score
    }
}

/// Interns domain keys met in the assessments, remembering which key was found at each rating
/// position last time (assessments usually list domains in the same order).
struct Interner<'a> {
    /// Column to key.
    keys: Vec<&'a DomainKey>,
    /// Per rating position: the text last seen there and its column.
    hints: Vec<(&'a str, u32)>,
}

/// Whether two keys are the same text: the same bytes in memory (keys cloned from one catalogue
/// share them) or equal bytes.
#[inline(always)]
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && (std::ptr::eq(a.as_ptr(), b.as_ptr()) || a == b)
}

impl<'a> Interner<'a> {
    #[inline(always)]
    fn index(&mut self, position: usize, key: &'a DomainKey) -> usize {
        let text = key.as_str();
        if let Some(&(h, c)) = self.hints.get(position) {
            if same(h, text) {
                return c as usize;
            }
        }
        self.slow(position, key)
    }

    #[inline(never)]
    fn slow(&mut self, position: usize, key: &'a DomainKey) -> usize {
        let text = key.as_str();
        // By address first (keys cloned from one catalogue share their text), then by text.
        let found = self
            .keys
            .iter()
            .position(|k| std::ptr::eq(k.as_str(), text))
            .or_else(|| self.keys.iter().position(|k| k.as_str() == text));
        let i = match found {
            Some(i) => i,
            None => {
                self.keys.push(key);
                self.keys.len() - 1
            }
        };
        // One hint per rating position (positions skipped so far get none), so that a
        // declined or unassessed rating does not shift the hints of the positions after it.
        if self.hints.len() <= position {
            self.hints.resize(position + 1, ("", u32::MAX));
        }
        if let Some(slot) = self.hints.get_mut(position) {
            *slot = (text, u32::try_from(i).unwrap_or(u32::MAX));
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
    let mut small = [0u64; 32];
    let mut large = Vec::new();
    let hashes: &mut [u64] = match small.get_mut(..assessments.len()) {
        Some(h) => h,
        None => {
            large.resize(assessments.len(), 0);
            &mut large
        }
    };
    for (h, a) in hashes.iter_mut().zip(assessments) {
        *h = hash(a.id.as_str());
    }
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

/// A quick 64-bit hash of `s`, eight bytes at a time (equal texts, equal hashes; a collision
/// only costs the exact check).
fn hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ (s.len() as u64);
    for chunk in s.as_bytes().chunks(8) {
        let mut word = [0u8; 8];
        if let Some(w) = word.get_mut(..chunk.len()) {
            w.copy_from_slice(chunk);
        }
        h = (h ^ u64::from_le_bytes(word))
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29);
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

/// Fill `grid` with the level numbers (0 = none) of `order`, one row of `stride` cells per
/// assessment; `false` when a row needed a column beyond `stride`.
fn fill<'a>(
    grid: &mut Vec<u8>,
    stride: usize,
    order: &[&'a Assessment],
    interner: &mut Interner<'a>,
) -> bool {
    grid.clear();
    grid.resize(order.len() * stride, 0);
    for (a, row) in order.iter().zip(grid.chunks_exact_mut(stride.max(1))) {
        let mut from = 0;
        loop {
            match fill_row(
                row,
                a.ratings.get(from..).unwrap_or(&[]),
                interner.hints.get(from..).unwrap_or(&[]),
            ) {
                Filled::Done => break,
                Filled::Overflow => return false,
                Filled::Unknown(skip) => {
                    // A rating whose key is not the one last seen at its position.
                    let pos = from + skip;
                    let Some(r) = a.ratings.get(pos) else {
                        break;
                    };
                    let col = interner.slow(pos, &r.domain);
                    let Some(cell) = row.get_mut(col) else {
                        return false;
                    };
                    if let Rating::Level(l) = r.rating {
                        if *cell == 0 {
                            *cell = l.number();
                        }
                    }
                    from = pos + 1;
                }
            }
        }
    }
    true
}

/// How far [`fill_row`] got.
enum Filled {
    /// Every rating is in the row.
    Done,
    /// A rating needs a column beyond the row.
    Overflow,
    /// The rating at this offset has a key not hinted at its position.
    Unknown(usize),
}

/// Put the levels of `ratings` into `row`, by the column hinted for each position.
#[inline(always)]
fn fill_row(row: &mut [u8], ratings: &[DomainRating], hints: &[(&str, u32)]) -> Filled {
    for (i, (r, &(hint, col))) in ratings.iter().zip(hints).enumerate() {
        let Rating::Level(l) = r.rating else {
            continue;
        };
        if !same(hint, r.domain.as_str()) {
            return Filled::Unknown(i);
        }
        match row.get_mut(col as usize) {
            // The first rating of a domain counts (a checked assessment has one).
            Some(cell) => {
                if *cell == 0 {
                    *cell = l.number();
                }
            }
            None => return Filled::Overflow,
        }
    }
    if ratings.len() > hints.len() {
        // Positions never seen before: the first one with a level is unknown.
        let rest = ratings.get(hints.len()..).unwrap_or(&[]);
        if let Some(i) = rest.iter().position(|r| r.rating.level().is_some()) {
            return Filled::Unknown(hints.len() + i);
        }
    }
    Filled::Done
}

/// The sort key of an assessment: date, then id.
fn date_then_id(a: &Assessment) -> (Timestamp, &str) {
    (a.assessed_at, a.id.as_str())
}

/// Grid rows are a whole number of this many cells, scanned a block at a time.
const LANES: usize = 16;

/// A row width of at least `n` (and at least one block).
fn lanes(n: usize) -> usize {
    n.div_ceil(LANES).max(1) * LANES
}

/// One block of two consecutive rows: which cells fell by at least `drop` (one byte each, 1
/// when it fell), and the worst level of the later row minus one (255 when none is rated).
#[inline(always)]
fn scan(was: &[u8; LANES], now: &[u8; LANES], drop: u8) -> (u128, u8) {
    let mut fell = [0u8; LANES];
    let mut worst = u8::MAX;
    for ((f, &from), &to) in fell.iter_mut().zip(was).zip(now) {
        worst = worst.min(to.wrapping_sub(1));
        // `to` at least 1 makes `from` a level too.
        *f = u8::from(to != 0) & u8::from(from >= to.saturating_add(drop));
    }
    (u128::from_le_bytes(fell), worst)
}

/// Running figures of one outcome over the points (meaningful once `scored` > 0).
#[derive(Clone, Copy, Default)]
struct Running {
    first: f64,
    latest: f64,
    lowest: f64,
    latest_point: u32,
    scored: u32,
}

/// A level number's value in a score (0, none, adds nothing).
const LEVEL_VALUE: [f64; 8] = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 0.0, 0.0];
/// Whether a level number is a rated level.
const RATED: [f64; 8] = [0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0];

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
        if !order
            .windows(2)
            .all(|w| matches!(w, [a, b] if date_then_id(a) <= date_then_id(b)))
        {
            order.sort_by(|a, b| date_then_id(a).cmp(&date_then_id(b)));
        }

        // Levels as a grid: one row per assessment, one column per domain: the profile's
        // domains first (numbered once by the model), then any other domain met. Rows are
        // `stride` wide, enough for every domain unless assessments differ in their domains;
        // then every key is numbered first and the grid filled again.
        let compiled = self.columns();
        let max_ratings = order.iter().map(|a| a.ratings.len()).max().unwrap_or(0);
        let mut interner = Interner {
            keys: Vec::with_capacity(compiled.domains.len() + max_ratings),
            hints: Vec::with_capacity(max_ratings),
        };
        interner.keys.extend(compiled.domains.iter());
        let mut stride = lanes(compiled.domains.len() + max_ratings);
        let mut grid: Vec<u8> = Vec::new();
        if !fill(&mut grid, stride, &order, &mut interner) {
            for a in &order {
                for (pos, r) in a.ratings.iter().enumerate() {
                    if r.rating.level().is_some() {
                        interner.index(pos, &r.domain);
                    }
                }
            }
            stride = lanes(interner.keys.len());
            fill(&mut grid, stride, &order, &mut interner);
        }
        // Rows as whole blocks: the cells beyond the last domain are 0, which no rule counts.
        let width = lanes(interner.keys.len()).min(stride);
        let row_of =
            |row: usize| -> &[u8] { grid.get(row * stride..row * stride + width).unwrap_or(&[]) };

        let outcomes = &compiled.outcomes;
        let n_outcomes = outcomes.len();
        let mut points = Vec::with_capacity(order.len());
        let mut scores: Vec<PointScore> = Vec::with_capacity(order.len() * n_outcomes);
        let mut setbacks: Vec<Setback> = Vec::with_capacity(order.len() * 2);
        let mut running = [Running::default(); crate::outcome::MAX_OUTCOMES];
        let drop = config.trend.domain_drop;
        let outcome_drop = config.trend.outcome_drop - 1e-9;
        let mut before: &[u8] = &[];
        for (row, a) in order.iter().enumerate() {
            let levels = row_of(row);
            let point = u32::try_from(row).unwrap_or(u32::MAX);
            let mut day: Option<NaiveDate> = None;
            let mut on = || *day.get_or_insert_with(|| a.assessed_at.date_naive());

            // The worst level (as level - 1, so that 0 "none" wraps to the top), and the
            // domains that fell since the previous row, as bit masks of 64 columns at a time.
            let mut worst = u8::MAX;
            let start = setbacks.len();
            let lanes = before.chunks_exact(LANES).zip(levels.chunks_exact(LANES));
            for (chunk, (was, now)) in lanes.enumerate() {
                let (Ok(was), Ok(now)) = (<&[u8; LANES]>::try_from(was), now.try_into()) else {
                    continue;
                };
                let (mut fell, w) = scan(was, now, drop);
                worst = worst.min(w);
                while fell != 0 {
                    let byte = fell.trailing_zeros() / 8;
                    fell &= !(0xff << (byte * 8));
                    let col = chunk * LANES + byte as usize;
                    let (Some(from), Some(to), Some(key)) = (
                        before.get(col).copied().and_then(level_from),
                        levels.get(col).copied().and_then(level_from),
                        interner.keys.get(col),
                    ) else {
                        continue;
                    };
                    let domain = match compiled.domains.get(col) {
                        Some(k) => k.clone(),
                        None => canonical_domain(key),
                    };
                    setbacks.push(Setback::Domain {
                        domain,
                        from,
                        to,
                        point,
                        previous: point.saturating_sub(1),
                        on: on(),
                    });
                }
            }
            if row == 0 {
                worst = levels
                    .iter()
                    .fold(u8::MAX, |w, &n| w.min(n.wrapping_sub(1)));
            }
            if let Some(new) = setbacks.get_mut(start..) {
                if new.len() > 1 {
                    new.sort_by(|x, y| match (x, y) {
                        (Setback::Domain { domain: a, .. }, Setback::Domain { domain: b, .. }) => {
                            a.as_str().cmp(b.as_str())
                        }
                        _ => std::cmp::Ordering::Equal,
                    });
                }
            }
            before = levels;

            // Outcome scores from the compiled mapping (branch-free: an unrated domain adds
            // zero), the index, trends and outcome setbacks.
            let (mut isum, mut iwsum) = (0.0, 0.0);
            for (out, run) in outcomes.iter().zip(running.iter_mut()) {
                let (mut sum, mut wsum, mut rated) = (0.0, 0.0, 0u32);
                for &(col, w) in compiled.entries.get(out.entries.clone()).unwrap_or(&[]) {
                    let n = usize::from(levels.get(col).copied().unwrap_or(0) & 7);
                    sum += w * LEVEL_VALUE.get(n).copied().unwrap_or(0.0);
                    wsum += w * RATED.get(n).copied().unwrap_or(0.0);
                    rated += u32::from(n != 0);
                }
                let score = (wsum > 0.0).then(|| (sum / wsum).clamp(1.0, 5.0));
                scores.push(PointScore {
                    score,
                    level: score.and_then(level_of),
                    rated_domains: rated,
                });
                let Some(s) = score else {
                    continue;
                };
                isum += out.weight * s;
                iwsum += out.weight;
                if run.scored == 0 {
                    run.first = s;
                    run.lowest = s;
                } else {
                    if run.latest - s >= outcome_drop {
                        setbacks.push(Setback::Outcome {
                            outcome: out.key.clone(),
                            from: run.latest,
                            to: s,
                            point,
                            previous: run.latest_point,
                            on: on(),
                        });
                    }
                    run.lowest = run.lowest.min(s);
                }
                run.scored += 1;
                run.latest = s;
                run.latest_point = point;
            }
            points.push(TrajectoryPoint {
                assessment_id: a.id.clone(),
                assessed_at: a.assessed_at,
                index: (iwsum > 0.0).then(|| (isum / iwsum).clamp(1.0, 5.0)),
                worst_level: level_from(worst.wrapping_add(1)),
            });
        }

        let band = config.trend.stable_band;
        let trends = outcomes
            .iter()
            .zip(&running)
            .map(|(out, run)| {
                let scored = (run.scored > 0).then_some(run);
                let change = (run.scored >= 2).then_some(run.latest - run.first);
                let trend = match change {
                    None => Trend::InsufficientData,
                    Some(c) if c >= band && c > 0.0 => Trend::Improving,
                    Some(c) if c <= -band && c < 0.0 => Trend::Worsening,
                    Some(_) => Trend::Stable,
                };
                OutcomeTrend {
                    outcome: out.key.clone(),
                    weight: out.weight,
                    total_domains: out.total_domains,
                    trend,
                    first: scored.map(|r| r.first),
                    latest: scored.map(|r| r.latest),
                    change,
                    lowest: scored.map(|r| r.lowest),
                    scored: run.scored,
                }
            })
            .collect();

        let risk = risk.map(|r| assess_risk(r, &config.risk));
        let latest = order.last().copied().unwrap_or(first);
        let follow_up = next_follow_up(latest, risk.as_ref().map(|r| r.level), &config.follow_up);
        Ok(Trajectory {
            case_id: case_id.clone(),
            profile: config.profile.key.clone(),
            points,
            trends,
            scores,
            setbacks,
            phases: journey
                .map(|j| j.time_in_phases(now.date_naive()))
                .unwrap_or_default(),
            risk,
            follow_up,
        })
    }
}
