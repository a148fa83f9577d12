//! Cohort summaries for researchers: distributions of outcomes, phase statuses and risk across
//! many cases, with small cells suppressed.
//!
//! **Input.** One [`CohortCase`] per case: 12 bytes (four outcome levels, six phase statuses,
//! a risk level, the statistics consent), so a million cases take 12 MB; counting streams over
//! them with [`CohortCounts::add`] in constant memory (counts can be merged, for chunks or
//! threads). Only cases whose person consented to statistics are counted; nothing at all is
//! published about the others, not even how many there are.
//!
//! **Suppression.** Default threshold `k` = [`DEFAULT_K`] = 11, the threshold the Counter
//! Trafficking Data Collaborative publishes with: no published figure may describe between 1
//! and `k - 1` people. Each table is one variable's distribution over the same cohort total:
//!
//! 1. if the cohort has fewer than `k` people, nothing is published;
//! 2. otherwise every cell with 1 to `k - 1` people is suppressed (primary suppression);
//! 3. while the suppressed cells of a table hold between 1 and `k - 1` people together, the
//!    smallest published non-zero cell (ties: first category) is suppressed too (complementary
//!    suppression), so the total minus the published cells never reveals fewer than `k`.
//!
//! Zero cells are published: they describe nobody. Tables are distributions of different
//! variables over one total, so no table's cells can be subtracted from another's.

use crate::outcome::{outcomes, OutcomeKey};
use crate::phase::{Phase, PhaseStatus};
use crate::risk::RiskLevel;
use crate::trajectory::Trajectory;
use beside_core::{FieldError, Level, Reason, Validate, ValidationErrors, Validator};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Default suppression threshold (as the Counter Trafficking Data Collaborative).
pub const DEFAULT_K: u32 = 11;
/// Outcome levels a cohort case carries.
pub const MAX_COHORT_OUTCOMES: usize = 4;
/// Categories of an outcome table: five levels plus not scored.
const OUTCOME_CATEGORIES: usize = 6;
/// Categories of the risk table: three levels plus not assessed.
const RISK_CATEGORIES: usize = 4;

/// One case, compactly, as a cohort summary reads it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct CohortCase {
    /// The level of each outcome (in the order of [`CohortConfig::outcomes`]), absent when
    /// not scored.
    pub outcomes: [Option<Level>; MAX_COHORT_OUTCOMES],
    /// The status of each phase, in [`Phase::ALL`] order.
    pub phases: [PhaseStatus; 6],
    /// The risk level, absent when not assessed.
    pub risk: Option<RiskLevel>,
    /// Whether the person consented to their data being used in statistics.
    pub statistics_consent: bool,
}

impl CohortCase {
    /// The cohort record of a trajectory: the latest outcome levels (the first four
    /// outcomes of its profile), the phase statuses and the risk level.
    pub fn from_trajectory(t: &Trajectory, statistics_consent: bool) -> Self {
        let mut c = CohortCase {
            statistics_consent,
            risk: t.risk.as_ref().map(|r| r.level),
            ..CohortCase::default()
        };
        for (slot, o) in c.outcomes.iter_mut().zip(t.latest_scores()) {
            *slot = o.level;
        }
        for pt in &t.phases {
            *phase_slot(&mut c.phases, pt.phase) = pt.status;
        }
        c
    }
}

/// The place of `phase` in a row in [`Phase::ALL`] order.
fn phase_slot<T>(row: &mut [T; 6], phase: Phase) -> &mut T {
    let [back_home, accepted, justice, services, livelihood, peers] = row;
    match phase {
        Phase::Return => back_home,
        Phase::FamilyCommunityAcceptance => accepted,
        Phase::Justice => justice,
        Phase::BasicServices => services,
        Phase::Livelihood => livelihood,
        Phase::PeerSupport => peers,
    }
}

/// The cell of an outcome table for `level`: levels 1 to 5, then not scored.
fn outcome_cell(row: &mut [u64; OUTCOME_CATEGORIES], level: Option<Level>) -> &mut u64 {
    let [in_crisis, vulnerable, safe, building_capacity, thriving, not_scored] = row;
    match level {
        Some(Level::InCrisis) => in_crisis,
        Some(Level::Vulnerable) => vulnerable,
        Some(Level::Safe) => safe,
        Some(Level::BuildingCapacity) => building_capacity,
        Some(Level::Thriving) => thriving,
        None => not_scored,
    }
}

/// The cell of a phase table for `status`, in [`PhaseStatus::ALL`] order.
fn status_cell(row: &mut [u64; 5], status: PhaseStatus) -> &mut u64 {
    let [not_started, in_progress, achieved, setback, declined] = row;
    match status {
        PhaseStatus::NotStarted => not_started,
        PhaseStatus::InProgress => in_progress,
        PhaseStatus::Achieved => achieved,
        PhaseStatus::Setback => setback,
        PhaseStatus::Declined => declined,
    }
}

/// The cell of the risk table for `level`: low, moderate, high, then not assessed.
fn risk_cell(row: &mut [u64; RISK_CATEGORIES], level: Option<RiskLevel>) -> &mut u64 {
    let [low, moderate, high, not_assessed] = row;
    match level {
        Some(RiskLevel::Low) => low,
        Some(RiskLevel::Moderate) => moderate,
        Some(RiskLevel::High) => high,
        None => not_assessed,
    }
}

/// How to summarise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct CohortConfig {
    /// The suppression threshold: no published figure describes 1 to `k - 1` people.
    /// At least 2; default [`DEFAULT_K`].
    pub k: u32,
    /// The outcomes the cases' levels stand for, in order (at most four; default the four
    /// Kasper & Chiang outcomes).
    pub outcomes: Vec<OutcomeKey>,
}

impl Default for CohortConfig {
    fn default() -> Self {
        Self {
            k: DEFAULT_K,
            outcomes: vec![
                outcomes::FINANCIAL_HEALTH,
                outcomes::MENTAL_HEALTH,
                outcomes::FAMILY_CONNECTION,
                outcomes::SOCIAL_ACCEPTANCE,
            ],
        }
    }
}

impl Validate for CohortConfig {
    fn validate_with(&self, v: &mut Validator) {
        v.range("k", f64::from(self.k), 2.0, 1_000_000.0);
        v.max_items("outcomes", &self.outcomes, MAX_COHORT_OUTCOMES);
        v.unique("outcomes", self.outcomes.iter().map(OutcomeKey::as_str));
    }
}

/// Raw counts over the consenting cases. Never publish these: publish a [`CohortSummary`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct CohortCounts {
    /// Cases counted.
    pub total: u64,
    /// Per outcome slot: cases per level 1–5, then not scored.
    pub outcomes: [[u64; OUTCOME_CATEGORIES]; MAX_COHORT_OUTCOMES],
    /// Per phase: cases per status, in [`PhaseStatus::ALL`] order.
    pub phases: [[u64; 5]; 6],
    /// Cases per risk level (low, moderate, high), then not assessed.
    pub risk: [u64; RISK_CATEGORIES],
}

/// One more person in a cell.
fn bump(cell: &mut u64) {
    *cell = cell.saturating_add(1);
}

impl CohortCounts {
    /// Count one case (ignored unless it consented to statistics).
    #[inline]
    pub fn add(&mut self, c: &CohortCase) {
        if !c.statistics_consent {
            return;
        }
        self.total = self.total.saturating_add(1);
        for (row, level) in self.outcomes.iter_mut().zip(c.outcomes) {
            bump(outcome_cell(row, level));
        }
        for (row, status) in self.phases.iter_mut().zip(c.phases) {
            bump(status_cell(row, status));
        }
        bump(risk_cell(&mut self.risk, c.risk));
    }

    /// Add another set of counts (from another chunk of the cohort).
    pub fn merge(&mut self, other: &CohortCounts) {
        fn add_all(a: &mut [u64], b: &[u64]) {
            for (x, y) in a.iter_mut().zip(b) {
                *x = x.saturating_add(*y);
            }
        }
        self.total = self.total.saturating_add(other.total);
        for (a, b) in self.outcomes.iter_mut().zip(&other.outcomes) {
            add_all(a, b);
        }
        for (a, b) in self.phases.iter_mut().zip(&other.phases) {
            add_all(a, b);
        }
        add_all(&mut self.risk, &other.risk);
    }

    /// Count a stream of cases.
    pub fn from_cases<'a>(cases: impl IntoIterator<Item = &'a CohortCase>) -> Self {
        let mut counts = CohortCounts::default();
        for c in cases {
            counts.add(c);
        }
        counts
    }
}

/// A figure as published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Count {
    /// Published.
    Published {
        /// The number of people.
        value: u64,
    },
    /// Suppressed: between 1 and `k - 1` people.
    BelowThreshold {
        /// The threshold.
        k: u32,
    },
    /// Suppressed so that the total minus the published cells reveals no small cell.
    Complementary {
        /// The threshold.
        k: u32,
    },
    /// Suppressed because the whole cohort has fewer than `k` people.
    CohortTooSmall {
        /// The threshold.
        k: u32,
    },
}

impl Count {
    /// Published or why not, as serialised in `code`.
    pub fn code(self) -> &'static str {
        match self {
            Count::Published { .. } => "published",
            Count::BelowThreshold { .. } => "below_threshold",
            Count::Complementary { .. } => "complementary",
            Count::CohortTooSmall { .. } => "cohort_too_small",
        }
    }

    /// The value, when published.
    pub fn value(self) -> Option<u64> {
        match self {
            Count::Published { value } => Some(value),
            _ => None,
        }
    }
}

/// What a cell counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Category {
    /// An outcome level.
    Level {
        /// The level.
        level: Level,
    },
    /// The outcome could not be scored.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    NotScored,
    /// A phase status.
    Status {
        /// The status.
        status: PhaseStatus,
    },
    /// A risk level.
    Risk {
        /// The level.
        level: RiskLevel,
    },
    /// Risk not assessed.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    NotAssessed,
}

/// One cell of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Cell {
    /// What it counts.
    pub category: Category,
    /// How many people, or why not said.
    pub count: Count,
}

/// The variable a table shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Variable {
    /// An outcome's level at the latest assessment.
    Outcome {
        /// The outcome.
        outcome: OutcomeKey,
    },
    /// A phase's status.
    Phase {
        /// The phase.
        phase: Phase,
    },
    /// The risk of re-trafficking.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    Risk,
}

/// One variable's distribution over the cohort; its cells add up to the cohort total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// The variable.
    pub variable: Variable,
    /// One cell per category, in a fixed order.
    pub cells: Vec<Cell>,
}

/// A cohort summary safe to publish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct CohortSummary {
    /// The threshold applied.
    pub k: u32,
    /// People counted (those who consented to statistics).
    pub total: Count,
    /// One table per outcome.
    pub outcomes: Vec<Table>,
    /// One table per phase.
    pub phases: Vec<Table>,
    /// The risk table.
    pub risk: Table,
    /// How many cells were suppressed, all tables together.
    pub suppressed_cells: u32,
}

/// Rule: small-cell suppression of one table's cells (which add up to the table's total) at
/// threshold `k`: nothing when the total is below `k`; else every cell of 1 to `k - 1` people
/// (primary), then, while the hidden cells hold 1 to `k - 1` people together, the smallest
/// published non-zero cell, the first among equals (complementary). `docs/rules.md`,
/// "Reintegration": cohort summaries.
pub fn suppress(counts: &[u64], k: u32) -> Vec<Count> {
    let k64 = u64::from(k);
    let total = counts.iter().fold(0u64, |s, c| s.saturating_add(*c));
    if total < k64 {
        return counts.iter().map(|_| Count::CohortTooSmall { k }).collect();
    }
    let mut out: Vec<Count> = counts
        .iter()
        .map(|&c| {
            if c > 0 && c < k64 {
                Count::BelowThreshold { k }
            } else {
                Count::Published { value: c }
            }
        })
        .collect();
    loop {
        let hidden = counts
            .iter()
            .zip(&out)
            .filter(|(_, o)| o.value().is_none())
            .fold(0u64, |s, (c, _)| s.saturating_add(*c));
        if hidden == 0 || hidden >= k64 {
            break;
        }
        // The smallest published non-zero cell; `min_by_key` keeps the first among equals.
        let smallest = out
            .iter_mut()
            .filter(|o| o.value().is_some_and(|v| v > 0))
            .min_by_key(|o| o.value());
        match smallest {
            Some(cell) => *cell = Count::Complementary { k },
            None => break,
        }
    }
    out
}

/// A two-way table of counts after [`suppress_two_way`]: its cells row by row, the row totals,
/// the column totals and the grand total, each published or suppressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct SuppressedTable {
    /// The threshold.
    pub k: u32,
    /// The cells, one list per row, in the order given.
    pub cells: Vec<Vec<Count>>,
    /// Each row's total.
    pub row_totals: Vec<Count>,
    /// Each column's total.
    pub column_totals: Vec<Count>,
    /// The table's total.
    pub total: Count,
}

/// Largest two-way table [`suppress_two_way`] takes: rows × columns.
pub const MAX_TABLE_CELLS: usize = 10_000;

/// One figure of a two-way table with its margins: a cell, a row or column total, or the
/// grand total, as (row, column) in the table extended by a total row and a total column.
type Figure = (usize, usize);

/// Rule: small-cell suppression of a two-way table published with its row totals, column
/// totals and grand total, at threshold `k` (a disaggregated table such as age band × sex by
/// return route). Every figure — cell or total — is a count of people, and every row and every
/// column, with its total, is a sum anyone can redo:
///
/// 1. if the table's total is below `k`, nothing is published ([`Count::CohortTooSmall`]);
/// 2. every figure of 1 to `k - 1` people is suppressed (primary, [`Count::BelowThreshold`]);
/// 3. then, line by line (each row, each column, the totals row and the totals column), until
///    no line changes: a line with exactly one suppressed figure would give it away by
///    subtraction, and a line whose total is published and whose suppressed cells hold 1 to
///    `k - 1` people together gives their sum away; in either case the smallest published
///    non-zero cell of the line (ties: the first) is suppressed too, or the line's total when
///    no cell is left ([`Count::Complementary`]);
/// 4. when no line changes, a suppressed figure on no cycle of suppressed figures (rows and
///    columns joined by the suppressed figures they share) could still be worked out from the
///    two groups of lines it joins: the smallest published figure joining them (non-zero
///    first) is suppressed too, and step 3 runs again.
///
/// Zero cells are published: they describe nobody. Rows must all have the same length (an
/// error names the first that does not); at most [`MAX_TABLE_CELLS`] cells; `k` at least 2.
///
/// Why no suppressed figure can be worked out exactly: after step 4 every suppressed figure is
/// on a cycle of suppressed figures through rows and columns, along which the figures can move
/// by one, up and down in turn, while every line still adds up (a suppressed zero, which step
/// 4 takes only when no non-zero figure can close the cycle, lets its cycle move one way). The
/// property test `two_way_suppression_never_reveals_a_figure_or_a_small_sum` checks it.
pub fn suppress_two_way(counts: &[Vec<u64>], k: u32) -> Result<SuppressedTable, ValidationErrors> {
    if k < 2 {
        return Err(FieldError::new(
            "k",
            Reason::Invalid {
                expected: "a threshold of at least 2 (1 would publish every cell)".into(),
                value: k.to_string(),
            },
        )
        .into());
    }
    let columns = counts.first().map_or(0, Vec::len);
    if let Some(i) = counts.iter().position(|r| r.len() != columns) {
        return Err(FieldError::new(
            format!("counts[{i}]"),
            Reason::Invalid {
                expected: format!("a row of {columns} cells, as the first"),
                value: format!("{} cells", counts.get(i).map_or(0, Vec::len)),
            },
        )
        .into());
    }
    let cells = counts.len().saturating_mul(columns);
    if cells > MAX_TABLE_CELLS {
        return Err(FieldError::new(
            "counts",
            Reason::TooMany {
                max: MAX_TABLE_CELLS,
                got: cells,
            },
        )
        .into());
    }
    let rows = counts.len();
    // The extended table: row `rows` holds the column totals, column `columns` the row totals.
    let mut figure: Vec<Vec<u64>> = counts
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.push(r.iter().fold(0u64, |s, c| s.saturating_add(*c)));
            r
        })
        .collect();
    let totals_row: Vec<u64> = (0..=columns)
        .map(|j| {
            figure
                .iter()
                .filter_map(|r| r.get(j))
                .fold(0u64, |s, c| s.saturating_add(*c))
        })
        .collect();
    figure.push(totals_row);
    let grand = figure.get(rows).and_then(|r| r.get(columns)).copied();
    let k64 = u64::from(k);
    let mut count: Vec<Vec<Count>> = figure
        .iter()
        .map(|r| {
            r.iter()
                .map(|&c| match grand {
                    Some(t) if t >= k64 => {
                        if c > 0 && c < k64 {
                            Count::BelowThreshold { k }
                        } else {
                            Count::Published { value: c }
                        }
                    }
                    _ => Count::CohortTooSmall { k },
                })
                .collect()
        })
        .collect();
    // Each line: its cells, then its total, as figures of the extended table.
    let mut lines: Vec<Vec<Figure>> = (0..=rows)
        .map(|i| (0..=columns).map(|j| (i, j)).collect())
        .collect();
    lines.extend((0..=columns).map(|j| (0..=rows).map(|i| (i, j)).collect::<Vec<_>>()));
    let value = |(i, j): Figure| figure.get(i).and_then(|r| r.get(j)).copied();
    loop {
        let mut changed = false;
        for line in &lines {
            if let Some(f) = complementary_figure(line, &count, value, k) {
                if let Some(c) = count.get_mut(f.0).and_then(|r| r.get_mut(f.1)) {
                    *c = Count::Complementary { k };
                    changed = true;
                }
            }
        }
        if !changed {
            if let Some(f) = cycle_closing_figure(&count, rows, columns, value) {
                if let Some(c) = count.get_mut(f.0).and_then(|r| r.get_mut(f.1)) {
                    *c = Count::Complementary { k };
                    continue;
                }
            }
            break;
        }
    }
    let mut body: Vec<Vec<Count>> = count;
    let (column_totals, total) = split_last(body.pop())?;
    let mut row_totals = Vec::with_capacity(rows);
    let mut cells_out = Vec::with_capacity(rows);
    for r in body {
        let (r, t) = split_last(Some(r))?;
        cells_out.push(r);
        row_totals.push(t);
    }
    Ok(SuppressedTable {
        k,
        cells: cells_out,
        row_totals,
        column_totals,
        total,
    })
}

/// The figure [`suppress_two_way`]'s third step suppresses in `line` (its cells, then its
/// total), if the line gives a suppressed figure or a small sum away.
fn complementary_figure(
    line: &[Figure],
    count: &[Vec<Count>],
    value: impl Fn(Figure) -> Option<u64>,
    k: u32,
) -> Option<Figure> {
    let state = |f: &Figure| count.get(f.0).and_then(|r| r.get(f.1)).copied();
    let published = |f: &Figure| state(f).and_then(Count::value).is_some();
    let (total, cells) = line.split_last()?;
    let hidden = line.iter().filter(|f| !published(f)).count();
    let hidden_cells: u64 = cells
        .iter()
        .filter(|f| !published(f))
        .filter_map(|f| value(*f))
        .fold(0, u64::saturating_add);
    let small_sum = published(total) && hidden_cells > 0 && hidden_cells < u64::from(k);
    if !(hidden == 1 || small_sum) {
        return None;
    }
    cells
        .iter()
        .filter(|f| published(f) && value(**f).is_some_and(|v| v > 0))
        .min_by_key(|f| value(**f))
        .or_else(|| published(total).then_some(total))
        .copied()
}

/// The figure [`suppress_two_way`]'s fourth step suppresses: when a suppressed figure is on
/// no cycle of suppressed figures — a bridge (petgraph's `algo::bridges`, Tarjan's O(V + E))
/// in the graph whose nodes are the lines and whose edges are the suppressed figures — its
/// lines give it away exactly; the smallest published figure joining the two sides of the
/// first such bridge (non-zero ones first; ties: the first row, then the first column) closes
/// a cycle through it. `None` when every suppressed figure is on a cycle.
fn cycle_closing_figure(
    count: &[Vec<Count>],
    rows: usize,
    columns: usize,
    value: impl Fn(Figure) -> Option<u64>,
) -> Option<Figure> {
    use petgraph::graph::{NodeIndex, UnGraph};
    use petgraph::visit::{Bfs, EdgeRef};
    let suppressed = |&(i, j): &Figure| {
        count
            .get(i)
            .and_then(|r| r.get(j))
            .is_some_and(|c| c.value().is_none())
    };
    let figures = || (0..=rows).flat_map(|i| (0..=columns).map(move |j| (i, j)));
    // Nodes: rows 0..=rows, then columns; one edge per suppressed figure (a simple graph: a
    // row and a column share one figure).
    let row_node = |i: usize| NodeIndex::new(i);
    let column_node = |j: usize| NodeIndex::new(rows + 1 + j);
    let mut graph = UnGraph::<(), Figure>::with_capacity(rows + columns + 2, 0);
    for _ in 0..rows + columns + 2 {
        graph.add_node(());
    }
    for f in figures().filter(|f| suppressed(f)) {
        graph.add_edge(row_node(f.0), column_node(f.1), f);
    }
    let (edge, bridge) = petgraph::algo::bridges::bridges(&graph)
        .map(|e| (e.id(), *e.weight()))
        .min_by_key(|(_, f)| *f)?;
    graph.remove_edge(edge);
    let side_of = |start: NodeIndex| {
        let mut seen = vec![false; graph.node_count()];
        let mut bfs = Bfs::new(&graph, start);
        while let Some(n) = bfs.next(&graph) {
            if let Some(s) = seen.get_mut(n.index()) {
                *s = true;
            }
        }
        seen
    };
    let (one, other) = (side_of(row_node(bridge.0)), side_of(column_node(bridge.1)));
    // INVARIANT: both sides have a place for each of the graph's nodes.
    let on = |side: &[bool], n: NodeIndex| side.get(n.index()).copied().unwrap_or(false);
    figures()
        .filter(|f| !suppressed(f))
        .filter(|&(i, j)| {
            (on(&one, row_node(i)) && on(&other, column_node(j)))
                || (on(&other, row_node(i)) && on(&one, column_node(j)))
        })
        // INVARIANT: every figure of the extended table has a value.
        .min_by_key(|f| value(*f).map(|v| (v == 0, v)))
}

/// A line of the extended table split into its cells and its total (the last figure).
fn split_last(line: Option<Vec<Count>>) -> Result<(Vec<Count>, Count), ValidationErrors> {
    // INVARIANT: the extended table has a totals row, and every line ends with its total.
    let mut line = line.ok_or_else(no_totals)?;
    let total = line.pop().ok_or_else(no_totals)?;
    Ok((line, total))
}

fn no_totals() -> ValidationErrors {
    FieldError::new(
        "counts",
        Reason::Invalid {
            expected: "a table extended by its totals".into(),
            value: "a line without its total".into(),
        },
    )
    .into()
}

fn table(variable: Variable, categories: &[Category], counts: &[u64], k: u32) -> Table {
    Table {
        variable,
        cells: categories
            .iter()
            .zip(suppress(counts, k))
            .map(|(&category, count)| Cell { category, count })
            .collect(),
    }
}

impl CohortSummary {
    /// Summarise a stream of cases.
    pub fn from_cases<'a>(
        cases: impl IntoIterator<Item = &'a CohortCase>,
        config: &CohortConfig,
    ) -> Result<Self, crate::ReintegrationError> {
        config.validate()?;
        Self::from_counts(&CohortCounts::from_cases(cases), config)
    }

    /// Summarise counts already made (of one chunk, or merged from several), checking
    /// `config` first.
    pub fn from_counts(
        counts: &CohortCounts,
        config: &CohortConfig,
    ) -> Result<Self, crate::ReintegrationError> {
        config.validate()?;
        let k = config.k;
        let outcome_categories: Vec<Category> = Level::ALL
            .iter()
            .map(|&level| Category::Level { level })
            .chain([Category::NotScored])
            .collect();
        let status_categories: Vec<Category> = PhaseStatus::ALL
            .iter()
            .map(|&status| Category::Status { status })
            .collect();
        let risk_categories: Vec<Category> = RiskLevel::ALL
            .iter()
            .map(|&level| Category::Risk { level })
            .chain([Category::NotAssessed])
            .collect();
        let outcomes: Vec<Table> = config
            .outcomes
            .iter()
            .zip(&counts.outcomes)
            .map(|(o, c)| {
                table(
                    Variable::Outcome { outcome: o.clone() },
                    &outcome_categories,
                    c,
                    k,
                )
            })
            .collect();
        let phases: Vec<Table> = Phase::ALL
            .iter()
            .zip(&counts.phases)
            .map(|(&phase, c)| table(Variable::Phase { phase }, &status_categories, c, k))
            .collect();
        let risk = table(Variable::Risk, &risk_categories, &counts.risk, k);
        let total = if counts.total < u64::from(k) {
            Count::CohortTooSmall { k }
        } else {
            Count::Published {
                value: counts.total,
            }
        };
        let suppressed = outcomes
            .iter()
            .chain(&phases)
            .chain(std::iter::once(&risk))
            .flat_map(|t| &t.cells)
            .filter(|c| c.count.value().is_none())
            .count();
        // INVARIANT: the tables have at most 4 x 6 + 6 x 5 + 4 cells.
        let suppressed_cells =
            u32::try_from(suppressed).map_err(|_| crate::ReintegrationError::Internal {
                invariant: format!("at most 58 cells, not {suppressed}"),
            })?;
        Ok(CohortSummary {
            k,
            total,
            outcomes,
            phases,
            risk,
            suppressed_cells,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_way_suppression_of_a_small_table() {
        // Age band x sex, k = 5: the 3 is primary; its row and its column would give it away,
        // so the smallest other figure of each is suppressed too.
        let t = suppress_two_way(&[vec![3, 10, 20], vec![12, 7, 30]], 5).unwrap();
        let shown = |c: &Count| c.value().map_or("-".to_owned(), |v| v.to_string());
        let cells: Vec<Vec<String>> = t
            .cells
            .iter()
            .map(|r| r.iter().map(shown).collect())
            .collect();
        assert_eq!(cells, [["-", "-", "20"], ["-", "-", "30"]]);
        assert_eq!(
            t.row_totals.iter().map(shown).collect::<Vec<_>>(),
            ["33", "49"]
        );
        assert_eq!(
            t.column_totals.iter().map(shown).collect::<Vec<_>>(),
            ["15", "17", "50"]
        );
        assert_eq!(t.total.value(), Some(82));
        assert!(matches!(t.cells[0][0], Count::BelowThreshold { k: 5 }));
        assert!(matches!(t.cells[1][1], Count::Complementary { k: 5 }));
    }

    #[test]
    fn two_way_suppression_takes_max_table_cells_and_refuses_one_more() {
        // 100 x 100 cells of 0 to 29 people (a third of them small): at the bound.
        let mut rng = beside_core::rng::SplitMix64::new(7);
        let counts: Vec<Vec<u64>> = (0..100)
            .map(|_| (0..100).map(|_| rng.below(30)).collect())
            .collect();
        let t = suppress_two_way(&counts, 11).unwrap();
        assert_eq!(t.cells.len() * t.cells[0].len(), MAX_TABLE_CELLS);
        let e = suppress_two_way(&[vec![1; MAX_TABLE_CELLS + 1]], 11).unwrap_err();
        assert!(e.to_string().contains("10000"), "{e}");
    }

    #[test]
    fn two_way_suppression_refuses_ragged_rows_by_name() {
        let e = suppress_two_way(&[vec![1, 2], vec![3]], 5).unwrap_err();
        assert!(e.to_string().contains("counts[1]"), "{e}");
        let small = suppress_two_way(&[vec![1, 2]], 5).unwrap();
        assert!(matches!(small.total, Count::CohortTooSmall { k: 5 }));
        let empty = suppress_two_way(&[], 5).unwrap();
        assert!(empty.cells.is_empty() && empty.column_totals.is_empty());
    }

    #[test]
    fn a_cohort_case_is_twelve_bytes() {
        assert_eq!(std::mem::size_of::<CohortCase>(), 12);
    }

    #[test]
    fn suppression_examples() {
        let p = |v| Count::Published { value: v };
        let b = Count::BelowThreshold { k: 11 };
        let c = Count::Complementary { k: 11 };
        // One small cell: the next smallest hides it.
        assert_eq!(suppress(&[50, 3, 20, 0], 11), vec![p(50), b, c, p(0)]);
        // Two small cells that together reach k need nothing more.
        assert_eq!(suppress(&[50, 6, 5, 0], 11), vec![p(50), b, b, p(0)]);
        // Nothing small: nothing hidden.
        assert_eq!(suppress(&[11, 0, 30], 11), vec![p(11), p(0), p(30)]);
        // A cohort below k: nothing published.
        assert!(suppress(&[4, 3], 11)
            .iter()
            .all(|c| *c == Count::CohortTooSmall { k: 11 }));
    }

    #[test]
    fn non_consenting_cases_are_not_counted() {
        let yes = CohortCase {
            statistics_consent: true,
            ..CohortCase::default()
        };
        let no = CohortCase::default();
        let counts = CohortCounts::from_cases(&[yes, no, yes]);
        assert_eq!(counts.total, 2);
        assert_eq!(counts.risk[3], 2);
    }

    #[test]
    fn bad_k_is_refused() {
        let c = CohortConfig {
            k: 1,
            ..CohortConfig::default()
        };
        assert!(CohortSummary::from_cases(&[], &c).is_err());
    }
}
