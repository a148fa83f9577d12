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
use crate::followup::{next_follow_up_in, FollowUp};
use crate::model::{ProfileColumns, ReintegrationModel};
use crate::outcome::{canonical_domain, OutcomeKey};
use crate::risk::{assess_risk, RiskAssessment, RiskInputs};
use crate::timeline::{Journey, PhaseTime, TimelineEvent};
use beside_core::{
    AssessmentId, CaseId, DomainKey, Level, Rating, Reason, TimeZone, Timestamp, Validate,
    ValidationErrors, Validator,
};
use beside_needs::{Assessment, DomainRating};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

/// Most assessments accepted in one trajectory.
pub const MAX_ASSESSMENTS: usize = 1000;

/// One assessment of the trajectory. Its outcome scores are row `i` of
/// [`Trajectory::scores`] (see [`Trajectory::scores_at`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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

/// Numbers the domain keys met: the model's known domains first (the profile's, then the other
/// default domains), then each other key in the order it is met.
struct Interner<'a> {
    /// The known domains: columns `0..known.len()`.
    known: &'a [DomainKey],
    /// The other keys met, numbered from `known.len()`.
    extra: SmallVec<[&'a DomainKey; 16]>,
}

/// Whether two keys are the same text: the same bytes in memory (keys cloned from one catalogue
/// share them) or equal bytes.
#[inline(always)]
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && (std::ptr::eq(a.as_ptr(), b.as_ptr()) || a == b)
}

impl<'a> Interner<'a> {
    /// How many keys have a column.
    fn len(&self) -> usize {
        self.known.len() + self.extra.len()
    }

    /// The key of column `col`.
    fn key(&self, col: usize) -> Option<&'a DomainKey> {
        match col.checked_sub(self.known.len()) {
            None => self.known.get(col),
            Some(i) => self.extra.get(i).copied(),
        }
    }

    /// The column of `key`, numbering it when it is new.
    fn column(&mut self, key: &'a DomainKey) -> usize {
        let text = key.as_str();
        let keys = || self.known.iter().chain(self.extra.iter().copied());
        // By address first (keys cloned from one catalogue share their text), then by text.
        let found = keys()
            .position(|k| std::ptr::eq(k.as_str(), text))
            .or_else(|| keys().position(|k| k.as_str() == text));
        match found {
            Some(i) => i,
            None => {
                self.extra.push(key);
                self.len() - 1
            }
        }
    }
}

/// The rating positions of the assessment filled last: the key at each position and its column.
/// Assessments usually list the same domains in the same order, so the next one is checked
/// against it key by key (by address first) and, when it matches, filled without looking any key
/// up.
struct Layout<'a> {
    /// The key text at each position.
    keys: SmallVec<[&'a str; 32]>,
    /// The column of each position.
    cols: SmallVec<[u32; 32]>,
    /// The largest column (0 when there is none).
    max_col: usize,
    /// No two positions share a column (so every cell is written at most once).
    distinct: bool,
}

impl<'a> Layout<'a> {
    /// Take the positions of `ratings`, numbering any key not seen before.
    #[inline(never)]
    fn rebuild(&mut self, ratings: &'a [DomainRating], interner: &mut Interner<'a>) {
        self.keys.truncate(ratings.len());
        self.cols.truncate(ratings.len());
        let mut seen: SmallVec<[u64; 4]> = SmallVec::new();
        self.max_col = 0;
        self.distinct = true;
        for (i, r) in ratings.iter().enumerate() {
            let text = r.domain.as_str();
            let col = match (self.keys.get(i), self.cols.get(i)) {
                (Some(k), Some(&c)) if same(k, text) => c as usize,
                _ => interner.column(&r.domain),
            };
            let c = u32::try_from(col).unwrap_or(u32::MAX);
            match (self.keys.get_mut(i), self.cols.get_mut(i)) {
                (Some(k), Some(slot)) => {
                    *k = text;
                    *slot = c;
                }
                _ => {
                    self.keys.push(text);
                    self.cols.push(c);
                }
            }
            self.max_col = self.max_col.max(col);
            let (word, bit) = (col / 64, 1u64 << (col % 64));
            if seen.len() <= word {
                seen.resize(word + 1, 0);
            }
            if let Some(w) = seen.get_mut(word) {
                self.distinct &= *w & bit == 0;
                *w |= bit;
            }
        }
    }
}

/// Write the level numbers of `ratings` into `row` at `cols` (distinct columns) while their keys
/// are `keys` (the same positions), adding each level number `n` to `present` as bit `n`; the
/// position of the first rating whose key differs, if any.
#[inline(always)]
fn write_matching<R: Cells + ?Sized>(
    row: &mut R,
    ratings: &[DomainRating],
    keys: &[&str],
    cols: &[u32],
    present: &mut u32,
) -> Option<usize> {
    // Runs of keys at the same address (nothing called in the loop), each followed by a key
    // compared by text.
    let mut i = write_same_address(row, ratings, keys, cols, present);
    loop {
        let (Some(r), Some(k), Some(&col)) = (ratings.get(i), keys.get(i), cols.get(i)) else {
            return (ratings.len() > keys.len()).then_some(keys.len());
        };
        if !same(r.domain.as_str(), k) {
            return Some(i);
        }
        put(row, col, r, present);
        i += 1;
        i += write_same_address(
            row,
            ratings.get(i..).unwrap_or(&[]),
            keys.get(i..).unwrap_or(&[]),
            cols.get(i..).unwrap_or(&[]),
            present,
        );
    }
}

/// Write the level number `n` of `rating` into `row` at `col` and add it to `present` as bit `n`.
#[inline(always)]
fn put<R: Cells + ?Sized>(row: &mut R, col: u32, rating: &DomainRating, present: &mut u32) {
    let n = number(rating.rating);
    row.set(col, n);
    *present |= 1 << n;
}

/// Write the level numbers of `ratings` into `row` at `cols` while their keys are `keys` at the
/// same address (keys cloned from one catalogue), adding each level number `n` to `present` as
/// bit `n`; how many were written.
#[inline(always)]
fn write_same_address<R: Cells + ?Sized>(
    row: &mut R,
    ratings: &[DomainRating],
    keys: &[&str],
    cols: &[u32],
    present: &mut u32,
) -> usize {
    let mut seen = *present;
    let mut written = 0;
    for ((r, k), &col) in ratings.iter().zip(keys).zip(cols) {
        let text = r.domain.as_str();
        if !(std::ptr::eq(text.as_ptr(), k.as_ptr()) && text.len() == k.len()) {
            break;
        }
        put(row, col, r, &mut seen);
        written += 1;
    }
    *present = seen;
    written
}

/// The width of grid rows when every domain fits in it: rows are then arrays, and writing a
/// cell needs no bounds check.
const ROW: usize = 64;

/// A row of the level grid.
trait Cells {
    /// Its cells.
    fn cells(&mut self) -> &mut [u8];
    /// Write level number `n` in column `col`. Every column written is below the row's width:
    /// [`fill`] checks a layout's largest column against it before writing with the layout.
    fn set(&mut self, col: u32, n: u8);
}

impl Cells for [u8] {
    fn cells(&mut self) -> &mut [u8] {
        self
    }
    #[inline(always)]
    fn set(&mut self, col: u32, n: u8) {
        if let Some(cell) = self.get_mut(col as usize) {
            *cell = n;
        }
    }
}

impl Cells for [u8; ROW] {
    fn cells(&mut self) -> &mut [u8] {
        self
    }
    #[inline(always)]
    fn set(&mut self, col: u32, n: u8) {
        // The column is below `ROW` (see the trait), so the remainder is the column itself.
        if let Some(cell) = self.get_mut(col as usize % ROW) {
            *cell = n;
        }
    }
}

/// Whether `ratings` name the keys `keys` at the same positions.
fn same_keys(ratings: &[DomainRating], keys: &[&str]) -> bool {
    ratings.len() == keys.len()
        && ratings
            .iter()
            .zip(keys)
            .all(|(r, k)| same(r.domain.as_str(), k))
}

/// Write the level numbers of `ratings` into `row` at `cols` when positions share a column: the
/// first rating with a level counts (a checked assessment has one rating per domain). Each
/// cell's final level number `n` is added to `present` as bit `n`.
#[inline(never)]
fn write_first<R: Cells + ?Sized>(
    row: &mut R,
    ratings: &[DomainRating],
    cols: &[u32],
    present: &mut u32,
) {
    for (r, &col) in ratings.iter().zip(cols) {
        if let Some(cell) = row.cells().get_mut(col as usize) {
            if *cell == 0 {
                *cell = number(r.rating);
            }
            *present |= 1u32.checked_shl(u32::from(*cell)).unwrap_or(0);
        }
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
    if !equal_hashes(assessments) {
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

/// Whether two assessment ids have the same [`hash`]: up to [`TABLE / 2`](TABLE) ids go into a
/// small open-addressing table, more are sorted.
fn equal_hashes(assessments: &[Assessment]) -> bool {
    if assessments.len() <= TABLE / 2 {
        // Zero marks a free slot, so every hash has its lowest bit set.
        let mut table = [0u64; TABLE];
        for a in assessments {
            let h = hash(a.id.as_str()) | 1;
            let mut slot = (h.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 58) as usize;
            loop {
                match table.get_mut(slot % TABLE) {
                    Some(cell) if *cell == 0 => {
                        *cell = h;
                        break;
                    }
                    Some(cell) if *cell == h => return true,
                    _ => slot += 1,
                }
            }
        }
        false
    } else {
        let mut hashes: Vec<u64> = assessments.iter().map(|a| hash(a.id.as_str())).collect();
        hashes.sort_unstable();
        hashes.windows(2).any(|w| matches!(w, [a, b] if a == b))
    }
}

/// Slots of the table of [`equal_hashes`] (a power of two).
const TABLE: usize = 64;

/// A quick 64-bit hash of `s`, eight bytes at a time (equal texts, equal hashes; a collision
/// only costs the exact check).
fn hash(s: &str) -> u64 {
    let mix = |h: u64, word: u64| {
        (h ^ word)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29)
    };
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ (s.len() as u64);
    let (chunks, rest) = s.as_bytes().as_chunks::<8>();
    for chunk in chunks {
        h = mix(h, u64::from_le_bytes(*chunk));
    }
    if !rest.is_empty() {
        let bytes = s.as_bytes();
        // The last eight bytes (overlapping the previous word), or the few there are, zero-padded.
        let last = match bytes.get(bytes.len().saturating_sub(8)..) {
            Some(tail) if tail.len() == 8 => word(tail),
            _ => rest
                .iter()
                .rev()
                .fold(0u64, |w, &b| (w << 8) | u64::from(b)),
        };
        h = mix(h, last);
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

/// A rating's level number, 0 when it has none.
#[inline(always)]
fn number(r: Rating) -> u8 {
    match r {
        Rating::Level(l) => l.number(),
        _ => 0,
    }
}

/// Fill `grid` (zeroed, one row of `stride` cells per assessment of `order`) with the level
/// numbers (0 = none), and `worst` with each row's lowest level minus one (255 when none is
/// rated); `false` when a row needed a column beyond `stride`.
fn fill<'a>(
    grid: &mut [u8],
    worst: &mut [u8],
    stride: usize,
    order: &[&'a Assessment],
    interner: &mut Interner<'a>,
    compiled: &ProfileColumns,
) -> bool {
    if stride == ROW {
        let (rows, _) = grid.as_chunks_mut::<ROW>();
        fill_rows(rows.iter_mut(), worst, order, interner, compiled)
    } else {
        let rows = grid.chunks_exact_mut(stride.max(1));
        fill_rows(rows, worst, order, interner, compiled)
    }
}

/// [`fill`] over its rows.
fn fill_rows<'a, 'g, R: Cells + ?Sized + 'g>(
    rows: impl Iterator<Item = &'g mut R>,
    worst: &mut [u8],
    order: &[&'a Assessment],
    interner: &mut Interner<'a>,
    compiled: &ProfileColumns,
) -> bool {
    // The default catalogue's order, what assessments made from it start with (its domains
    // are distinct, and so are their columns).
    let n = compiled.catalogue.len().min(compiled.catalogue_keys.len());
    let mut layout = Layout {
        keys: SmallVec::from_slice(compiled.catalogue_keys.get(..n).unwrap_or(&[])),
        cols: SmallVec::from_slice(compiled.catalogue.get(..n).unwrap_or(&[])),
        max_col: compiled.catalogue_max,
        distinct: true,
    };
    for (a, (row, low)) in order.iter().zip(rows.zip(worst.iter_mut())) {
        let ratings = a.ratings.as_slice();
        let mut present = 0u32;
        let fits = if layout.distinct {
            write_matching(row, ratings, &layout.keys, &layout.cols, &mut present).is_none()
        } else if same_keys(ratings, &layout.keys) {
            write_first(row, ratings, &layout.cols, &mut present);
            true
        } else {
            false
        };
        if !fits {
            // Another layout: number its keys and write the row again.
            layout.rebuild(ratings, interner);
            if !ratings.is_empty() && layout.max_col >= row.cells().len() {
                return false;
            }
            row.cells().fill(0);
            present = 0;
            if layout.distinct {
                write_matching(row, ratings, &layout.keys, &layout.cols, &mut present);
            } else {
                write_first(row, ratings, &layout.cols, &mut present);
            }
        }
        // The lowest level present minus one (bit 0, no level, does not count).
        *low = match present >> 1 {
            0 => u8::MAX,
            levels => levels.trailing_zeros() as u8,
        };
    }
    true
}

/// Scratch cells: `n` of them set to `value`, on the stack when they fit in `small`.
fn scratch<'b, T: Copy, const N: usize>(
    small: &'b mut [T; N],
    large: &'b mut Vec<T>,
    n: usize,
    value: T,
) -> &'b mut [T] {
    let cells = fresh(small, large, n, value);
    cells.fill(value);
    cells
}

/// Like [`scratch`], for a `small` not used before, so already all `value`: set only when
/// the cells do not fit in it.
fn fresh<'b, T: Copy, const N: usize>(
    small: &'b mut [T; N],
    large: &'b mut Vec<T>,
    n: usize,
    value: T,
) -> &'b mut [T] {
    match small.get_mut(..n) {
        Some(cells) => cells,
        None => {
            large.clear();
            large.resize(n, value);
            large
        }
    }
}

/// The sort key of an assessment: date, then id.
fn date_then_id(a: &Assessment) -> (Timestamp, &str) {
    (a.assessed_at, a.id.as_str())
}

/// Grid rows are a whole number of this many cells.
const LANES: usize = 16;

/// The width of grid rows for `n` columns: [`ROW`] when they fit in it, else whole blocks.
fn row_width(n: usize) -> usize {
    if n <= ROW {
        ROW
    } else {
        lanes(n)
    }
}

/// A row width of at least `n` (and at least one block).
fn lanes(n: usize) -> usize {
    n.div_ceil(LANES).max(1) * LANES
}

/// The top bit of each byte of a word.
const HIGH: u64 = 0x8080_8080_8080_8080;
/// One in each byte of a word.
const ONES: u64 = 0x0101_0101_0101_0101;

/// Eight cells of two consecutive rows, as words: the top bit of each byte is set where the
/// level fell by at least `drop` (the later cell rated, the earlier at least `drop` above it).
/// Cells hold 0 to 5 and `drop` is at most 6 here, so no byte carries into the next.
#[inline(always)]
fn fell(was: u64, now: u64, drop: u8) -> u64 {
    let need = now.wrapping_add(ONES.wrapping_mul(u64::from(drop)));
    let at_least = (was | HIGH).wrapping_sub(need) & HIGH;
    let rated = (now | HIGH).wrapping_sub(ONES) & HIGH;
    at_least & rated
}

/// Eight cells of a row as a word (0 when the row is shorter).
#[inline(always)]
fn word(row: &[u8]) -> u64 {
    row.try_into().map_or(0, u64::from_le_bytes)
}

/// Running figures of one outcome over the points (meaningful once `scored` > 0).
#[derive(Clone, Copy, Default)]
struct Running {
    first: f64,
    latest: f64,
    lowest: f64,
    scored: u32,
}

/// A level number's value in a score (0, none, adds nothing).
const LEVEL_VALUE: [f64; 8] = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 0.0, 0.0];
/// Whether a level number is a rated level.
const RATED: [f64; 8] = [0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0];

/// A cell of the score table before it is scored.
const NO_SCORE: PointScore = PointScore {
    score: None,
    level: None,
    rated_domains: 0,
};

/// An outcome's fall from its previous score by at least the configured drop: an outcome
/// setback, found while scoring the outcome's column.
#[derive(Clone, Copy)]
struct Fall {
    /// The point where it fell.
    point: u32,
    /// The outcome's position in the profile.
    outcome: u32,
    /// The previous point that scored the outcome.
    previous: u32,
    /// The score there.
    from: f64,
    /// The score here.
    to: f64,
}

/// The shape of the score table and the setback threshold.
struct Column {
    /// Outcomes (cells per row of the score table).
    n: usize,
    /// A fall of at least this much (the configured drop, less a rounding allowance) is a
    /// setback.
    outcome_drop: f64,
}

/// Score outcome `o` (of index weight `weight`) at every row, `sums` giving its weighted sum of
/// levels, sum of weights and rated domains row by row: write its cell of each row of `scores`,
/// add its share to each row's index sums (`index`: weighted sum and sum of weights), and push
/// its falls; its running figures.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn score_column(
    sums: impl Iterator<Item = (f64, f64, u32)>,
    column: &Column,
    o: usize,
    weight: f64,
    scores: &mut [PointScore],
    index: &mut [(f64, f64)],
    falls: &mut SmallVec<[Fall; 8]>,
) -> Running {
    // The running figures, as locals (kept in registers). Before the first score, the latest is
    // minus infinity (nothing falls from it) and the lowest plus infinity.
    let (mut latest, mut lowest) = (f64::NEG_INFINITY, f64::INFINITY);
    let (mut latest_point, mut scored) = (0u32, 0u32);
    let outcome = u32::try_from(o).unwrap_or(u32::MAX);
    if o >= column.n {
        return Running::default();
    }
    let rows = scores.chunks_exact_mut(column.n);
    for (point, (((sum, wsum, rated), sums_at), cells)) in
        (0u32..).zip(sums.zip(index.iter_mut()).zip(rows))
    {
        // No score when no weighted domain was rated (`wsum` 0).
        let score = if wsum > 0.0 {
            let s = (sum / wsum).clamp(1.0, 5.0);
            sums_at.0 += weight * s;
            sums_at.1 += weight;
            if latest - s >= column.outcome_drop {
                falls.push(Fall {
                    point,
                    outcome,
                    previous: latest_point,
                    from: latest,
                    to: s,
                });
            }
            if s < lowest {
                lowest = s;
            }
            scored += 1;
            latest = s;
            latest_point = point;
            Some(s)
        } else {
            None
        };
        if let Some(c) = cells.get_mut(o) {
            *c = PointScore {
                score,
                // The score is 1 to 5, so its whole part is the level `level_of` gives.
                level: score.and_then(|s| level_from(s as u8)),
                rated_domains: rated,
            };
        }
    }
    // The first score, read back from the column.
    let first = scores
        .chunks_exact(column.n.max(1))
        .find_map(|cells| cells.get(o)?.score)
        .unwrap_or(0.0);
    Running {
        first,
        latest,
        lowest,
        scored,
    }
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
        let Some(first) = assessments.first() else {
            return Err(ValidationErrors::from(beside_core::FieldError::new(
                "assessments",
                Reason::Empty,
            ))
            .into());
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
        let journey = if events.is_empty() {
            None
        } else {
            Some(Journey::replay_in(case_id.clone(), events, now, zone)?)
        };

        // Date order, ties by id: independent of the input order.
        // (Built in place: collecting would move the inline buffer.)
        let mut order: SmallVec<[&Assessment; 32]> = SmallVec::new();
        order.extend(assessments.iter());
        if !order
            .windows(2)
            .all(|w| matches!(w, [a, b] if date_then_id(a) <= date_then_id(b)))
        {
            order.sort_by(|a, b| date_then_id(a).cmp(&date_then_id(b)));
        }
        let order: &[&Assessment] = &order;

        // Levels as a grid: one row per assessment, one column per domain: the profile's
        // domains and the other default domains first (numbered once by the model), then any
        // other key met. Rows are `stride` wide, enough for every domain unless assessments
        // differ in their domains; then every key is numbered first and the grid filled again.
        let compiled = self.columns();
        let max_ratings = order.iter().map(|a| a.ratings.len()).max().unwrap_or(0);
        let mut interner = Interner {
            known: &compiled.domains,
            extra: SmallVec::new(),
        };
        let mut stride = row_width(compiled.domains.len() + max_ratings);
        let (mut small_grid, mut large_grid) = ([0u8; 32 * ROW], Vec::new());
        let (mut small_worst, mut large_worst) = ([u8::MAX; 64], Vec::new());
        let worst_of = fresh(&mut small_worst, &mut large_worst, order.len(), u8::MAX);
        let mut grid = fresh(&mut small_grid, &mut large_grid, order.len() * stride, 0);
        if !fill(grid, worst_of, stride, order, &mut interner, compiled) {
            for a in order {
                for r in &a.ratings {
                    interner.column(&r.domain);
                }
            }
            stride = row_width(interner.len());
            grid = scratch(&mut small_grid, &mut large_grid, order.len() * stride, 0);
            fill(grid, worst_of, stride, order, &mut interner, compiled);
        }
        let grid: &[u8] = grid;
        let worst_of: &[u8] = worst_of;
        // Setbacks at one point are listed by domain key: each column's place in key order.
        let (extra_ranks, extra_by_rank);
        let (ranks, by_rank): (&[u32], &[u32]) = if interner.extra.is_empty() {
            (&compiled.ranks, &compiled.by_rank)
        } else {
            let texts: Vec<&str> = (0..interner.len())
                .filter_map(|c| interner.key(c).map(DomainKey::as_str))
                .collect();
            extra_ranks = crate::model::ranks(&texts);
            extra_by_rank = crate::model::by_rank(&extra_ranks);
            (&extra_ranks, &extra_by_rank)
        };
        // Rows as whole blocks: the cells beyond the last domain are 0, which no rule counts.
        let width = lanes(interner.len()).min(stride);
        let row_of =
            |row: usize| -> &[u8] { grid.get(row * stride..row * stride + width).unwrap_or(&[]) };
        // The rows in order, each its first `width` cells.
        let grid_rows = || {
            grid.chunks_exact(stride.max(1))
                .map(move |r| r.get(..width).unwrap_or(r))
        };

        let outcomes = &compiled.outcomes;
        let n_outcomes = outcomes.len();
        let rows = order.len();

        // Outcome scores, one outcome at a time down the rows (its running figures stay in
        // registers): each cell of the score table, each row's index sums, and the falls that
        // are outcome setbacks (placed among the domain setbacks below).
        let mut scores: Vec<PointScore> = (0..rows * n_outcomes).map(|_| NO_SCORE).collect();
        let (mut small_index, mut large_index) = ([(0.0, 0.0); 32], Vec::new());
        let index = fresh(&mut small_index, &mut large_index, rows, (0.0, 0.0));
        let mut falls: SmallVec<[Fall; 8]> = SmallVec::new();
        let mut running = [Running::default(); crate::outcome::MAX_OUTCOMES];
        let column = Column {
            n: n_outcomes,
            // Outcome setbacks allow for rounding.
            outcome_drop: config.trend.outcome_drop - 1e-9,
        };
        match compiled.whole.as_deref() {
            // Whole weights: weighted sums by multiplication (whole numbers, so the same figures
            // as adding entry by entry), from each row's first 16 cells as two words and which
            // of them are rated (1 in each rated cell's byte).
            Some(whole) => {
                let (mut small_words, mut large_words) = ([[0u64; 4]; 32], Vec::new());
                let words = fresh(&mut small_words, &mut large_words, rows, [0; 4]);
                for (w, levels) in words.iter_mut().zip(grid_rows()) {
                    let c0 = word(levels.get(..8).unwrap_or(&[]));
                    let c1 = word(levels.get(8..16).unwrap_or(&[]));
                    let rated = |c: u64| ((c | HIGH).wrapping_sub(ONES) & HIGH) >> 7;
                    *w = [c0, c1, rated(c0), rated(c1)];
                }
                let words: &[[u64; 4]] = words;
                for (o, ((out, w), run)) in outcomes
                    .iter()
                    .zip(whole)
                    .zip(running.iter_mut())
                    .enumerate()
                {
                    // The weights by value, so that they stay in registers.
                    let w = *w;
                    *run = score_column(
                        words
                            .iter()
                            .map(move |&[c0, c1, r0, r1]| w.sums([c0, c1], [r0, r1])),
                        &column,
                        o,
                        out.weight,
                        &mut scores,
                        index,
                        &mut falls,
                    );
                }
            }
            None => {
                for (o, (out, run)) in outcomes.iter().zip(running.iter_mut()).enumerate() {
                    let entries = compiled.entries.get(out.entries.clone()).unwrap_or(&[]);
                    *run = score_column(
                        (0..rows).map(|row| {
                            let levels = row_of(row);
                            let (mut sum, mut wsum, mut rated) = (0.0, 0.0, 0u32);
                            for &(col, w) in entries {
                                let n = usize::from(levels.get(col).copied().unwrap_or(0) & 7);
                                sum += w * LEVEL_VALUE.get(n).copied().unwrap_or(0.0);
                                wsum += w * RATED.get(n).copied().unwrap_or(0.0);
                                rated += u32::from(n != 0);
                            }
                            (sum, wsum, rated)
                        }),
                        &column,
                        o,
                        out.weight,
                        &mut scores,
                        index,
                        &mut falls,
                    );
                }
            }
        }
        // By point, then in the profile's order.
        if falls.len() > 1 {
            falls.sort_unstable_by_key(|f| (f.point, f.outcome));
        }

        // The points: each assessment with its index and worst level.
        let mut points = Vec::with_capacity(rows);
        points.extend(order.iter().zip(index.iter()).zip(worst_of).map(
            |((a, &(isum, iwsum)), &low)| TrajectoryPoint {
                assessment_id: a.id.clone(),
                assessed_at: a.assessed_at,
                index: (iwsum > 0.0).then(|| (isum / iwsum).clamp(1.0, 5.0)),
                worst_level: level_from(low.wrapping_add(1)),
            },
        ));

        // The setbacks, point by point: the domains that fell, then the outcomes.
        let mut setbacks: Vec<Setback> = Vec::with_capacity(rows * 2);
        // Levels are 1 to 5: a drop of 6 or more never happens, as one of exactly 6.
        let drop = config.trend.domain_drop.min(6);
        let mut before: &[u8] = &[];
        let mut fallen_cols: SmallVec<[u64; 16]> = SmallVec::new();
        let mut falls = falls.iter().peekable();
        for (row, (a, levels)) in order.iter().zip(grid_rows()).enumerate() {
            let point = u32::try_from(row).unwrap_or(u32::MAX);
            let on = zone.local_date(a.assessed_at);
            let mut push_domain = |col: usize| {
                let (Some(from), Some(to)) = (
                    before.get(col).copied().and_then(level_from),
                    levels.get(col).copied().and_then(level_from),
                ) else {
                    return;
                };
                let domain = match compiled.domains.get(col) {
                    Some(k) => k.clone(),
                    None => match interner.key(col) {
                        Some(key) => canonical_domain(key),
                        None => return,
                    },
                };
                setbacks.push(Setback::Domain {
                    domain,
                    from,
                    to,
                    point,
                    previous: point.saturating_sub(1),
                    on,
                });
            };

            // The domains that fell since the previous row, eight columns at a time, put in
            // key order: as bits of a word by place in key order when every place fits in
            // one, else as rank << 32 | column, sorted.
            let words = before.chunks_exact(8).zip(levels.chunks_exact(8));
            if ranks.len() <= 64 {
                let mut fallen_ranks = 0u64;
                for (chunk, (was, now)) in words.enumerate() {
                    let mut fallen = fell(word(was), word(now), drop);
                    while fallen != 0 {
                        let col = chunk * 8 + (fallen.trailing_zeros() / 8) as usize;
                        fallen &= fallen - 1;
                        let rank = ranks.get(col).copied().unwrap_or(u32::MAX);
                        fallen_ranks |= 1u64.checked_shl(rank).unwrap_or(0);
                    }
                }
                while fallen_ranks != 0 {
                    let rank = fallen_ranks.trailing_zeros() as usize;
                    fallen_ranks &= fallen_ranks - 1;
                    if let Some(&col) = by_rank.get(rank) {
                        push_domain(col as usize);
                    }
                }
            } else {
                fallen_cols.clear();
                for (chunk, (was, now)) in words.enumerate() {
                    let mut fallen = fell(word(was), word(now), drop);
                    while fallen != 0 {
                        let col = chunk * 8 + (fallen.trailing_zeros() / 8) as usize;
                        fallen &= fallen - 1;
                        let rank = ranks.get(col).copied().unwrap_or(u32::MAX);
                        fallen_cols.push(u64::from(rank) << 32 | col as u64);
                    }
                }
                if fallen_cols.len() > 1 {
                    fallen_cols.sort_unstable();
                }
                for &packed in &fallen_cols {
                    push_domain((packed & u64::from(u32::MAX)) as usize);
                }
            }
            before = levels;
            // Then the outcomes that fell here, in the profile's order.
            while let Some(f) = falls.next_if(|f| f.point == point) {
                let Some(out) = outcomes.get(f.outcome as usize) else {
                    continue;
                };
                setbacks.push(Setback::Outcome {
                    outcome: out.key.clone(),
                    from: f.from,
                    to: f.to,
                    point,
                    previous: f.previous,
                    on,
                });
            }
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
        let follow_up = next_follow_up_in(
            latest,
            risk.as_ref().map(|r| r.level),
            &config.follow_up,
            zone,
        );
        Ok(Trajectory {
            case_id: case_id.clone(),
            profile: config.profile.key.clone(),
            points,
            trends,
            scores,
            setbacks,
            phases: journey
                .map(|j| j.time_in_phases(zone.local_date(now)))
                .unwrap_or_default(),
            risk,
            follow_up,
        })
    }
}
