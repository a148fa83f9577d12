//! Assessments as a table, priorities as a table: the batch form of prioritisation, in Apache
//! Arrow, for researchers and M&E staff (pandas, polars, pyarrow and Spark read and write it;
//! across the FFI it travels as Arrow IPC stream bytes).
//!
//! A table is read row by row into the same plain form a record is read into (the engine's
//! `Reading`) and ranked by the same rules ([`crate::engine`]), so a table and the records it
//! holds rank alike; the tests check that they do.
//!
//! # The assessments table, `beside.assessments/1`
//!
//! Long form: one row per rating (one domain of one assessment). The rows of an assessment
//! need not be next to each other; assessments are ranked in the order of their first row.
//!
//! | column | type | null | meaning |
//! |---|---|---|---|
//! | `assessment_id` | text | no | the assessment; every row of it has the same `case_id`, `assessed_at`, `assessed_by` and red flags |
//! | `case_id` | text | no | its case |
//! | `assessed_at` | timestamp with a time zone, any unit | no | when it was made |
//! | `assessed_by` | text, optional | no | who made it; ranking does not read it, [`read_assessments`] needs it |
//! | `domain` | text | no | a domain key of the catalogue, at most once per assessment |
//! | `level` | integer | yes | 1 (in crisis) to 5 (thriving); null: not rated at a level |
//! | `declined` | bool, optional | no | the person declined to answer (`level` must then be null); a row with a null `level` that is not declined says "not assessed" |
//! | `own_rank` | integer, optional | yes | the person's own rank of the domain, 1 first; the ranks of an assessment are 1 to k, each once, on domains rated at a level or declined |
//! | `not_now` | bool, optional | no | the domain is on the person's "not now" list (only a domain rated at a level or declined) |
//! | `red_flag_suicidal_thoughts`, `red_flag_immediate_danger`, `red_flag_untreated_injury`, `red_flag_child_without_safe_caregiver` | bool, optional | no | the assessment raised the flag |
//!
//! Any other column is refused, naming it and the known ones (drop the columns you keep for
//! yourself before sending the table: a misspelled `not_now` must not be ignored). An optional
//! column left out means `false` (or "not ranked") on every row.
//!
//! [`read_assessments`] reads the table back into [`Assessment`] records, with the same checks
//! as ranking (except that a domain need not be in a catalogue) and then the record's own
//! ([`beside_core::Validate`]). What a record holds beyond the table does not come back: its
//! `extra`, an assessment with no ratings (it has no rows), the order of its red flags (read in
//! the order of [`RedFlag::ALL`]) and of its "not now" list (read in table order).
//!
//! # The priorities table, `beside.priorities/1`
//!
//! One row per domain an assessment lists (in its order) and then per domain with an entry but
//! no place in the list (declined or not assessed, in catalogue order), assessment after
//! assessment in the order of the input.
//!
//! | column | type | null | meaning |
//! |---|---|---|---|
//! | `assessment_id`, `case_id` | utf8 | no | as in the input |
//! | `assessed_at` | `timestamp[us, UTC]` | no | as in the input |
//! | `position` | uint32 | yes | place in the list, 1 first; null for a domain not listed |
//! | `domain` | `dictionary<int8, utf8>` | no | the domain key |
//! | `level` | uint8 | yes | its level, when rated at one |
//! | `declined` | bool | no | the person declined to answer |
//! | `urgency` | `dictionary<int8, utf8>` | yes | `red_flag`, `urgent`, `high`, `medium` or `low`; null when not listed |
//! | `score` | uint32 | yes | the sum of the reasons' points; null when not listed |
//! | `respond_within_minutes` | uint32 | yes | the shortest response time of its red flags |
//! | `referable` | bool | no | whether it may be proposed for referral |
//! | `reasons` | `list<struct>` | no | every reason, as [`crate::PriorityReason`]: `code` (dictionary), `points` (uint32), and the figures of the code — `flag`, `respond_within_minutes`, `level`, `declined`, `domain` (the other domain: blocked, blocking or placed lower), `rank`, `cause` — null where the code has none |
//!
//! The schema's metadata names the table and its version under [`beside_core::table::SCHEMA_KEY`].
//! A new column or a new value of a dictionary column makes a new version.

use crate::assessment::{Assessment, DomainRating, RedFlag};
use crate::engine::{BatchSummary, Prioritiser, Ranking, Tables, Tally, Why};
use crate::error::NeedsError;
use crate::priority::{AheadCause, Urgency};
use crate::reading::{DomainIndex, Reading, Said};
use arrow_array::builder::StringBuilder;
use arrow_array::types::Int8Type;
use arrow_array::{
    Array, ArrayRef, BooleanArray, DictionaryArray, Int64Array, Int8Array, ListArray, RecordBatch,
    StringArray, StructArray, TimestampMicrosecondArray, UInt32Array, UInt8Array,
};
use arrow_buffer::OffsetBuffer;
use arrow_schema::{Field, Fields, SchemaRef};
use beside_core::table::{
    cell_error, read_ipc_stream, record_batch, write_ipc_stream, BoolColumn, ColumnSpec,
    ColumnType, IntColumn, StrColumn, TableReader, TimeColumn,
};
use beside_core::{
    AssessmentId, CaseId, DomainKey, FieldError, Level, Rating, Reason, Timestamp, Validate,
    ValidationErrors, WorkerId,
};
use std::collections::HashMap;
use std::sync::Arc;

/// The name and version of the assessments table, in its schema's metadata.
pub const ASSESSMENTS: &str = "beside.assessments/1";
/// The name and version of the priorities table, in its schema's metadata.
pub const PRIORITIES: &str = "beside.priorities/1";

/// The red-flag column of each flag, in the order of [`RedFlag::ALL`].
pub const RED_FLAG_COLUMNS: [&str; 4] = [
    "red_flag_suicidal_thoughts",
    "red_flag_immediate_danger",
    "red_flag_untreated_injury",
    "red_flag_child_without_safe_caregiver",
];

const fn spec(name: &'static str, kind: ColumnType, required: bool) -> ColumnSpec {
    ColumnSpec {
        name,
        kind,
        required,
    }
}

/// The columns of the assessments table (see the module docs).
pub const ASSESSMENT_COLUMNS: [ColumnSpec; 13] = [
    spec("assessment_id", ColumnType::Text, true),
    spec("case_id", ColumnType::Text, true),
    spec("assessed_at", ColumnType::Moment, true),
    spec("assessed_by", ColumnType::Text, false),
    spec("domain", ColumnType::Text, true),
    spec("level", ColumnType::Integer, true),
    spec("declined", ColumnType::Boolean, false),
    spec("own_rank", ColumnType::Integer, false),
    spec("not_now", ColumnType::Boolean, false),
    spec(RED_FLAG_COLUMNS[0], ColumnType::Boolean, false),
    spec(RED_FLAG_COLUMNS[1], ColumnType::Boolean, false),
    spec(RED_FLAG_COLUMNS[2], ColumnType::Boolean, false),
    spec(RED_FLAG_COLUMNS[3], ColumnType::Boolean, false),
];

/// The reason codes, in the order of the `reasons.code` dictionary (as
/// [`crate::PriorityReason::code`] spells them).
pub const REASON_CODES: [&str; 9] = [
    "red_flag",
    "own_level",
    "unrated",
    "foundational",
    "blocks",
    "blocked_by",
    "own_rank",
    "ahead_of_blocker",
    "not_now",
];

/// The urgencies, in the order of the `urgency` dictionary.
pub const URGENCIES: [Urgency; 5] = [
    Urgency::RedFlag,
    Urgency::Urgent,
    Urgency::High,
    Urgency::Medium,
    Urgency::Low,
];

/// The causes of `ahead_of_blocker`, in the order of the `reasons.cause` dictionary.
pub const AHEAD_CAUSES: [AheadCause; 3] = [
    AheadCause::OwnRank,
    AheadCause::RedFlag,
    AheadCause::BlockerNotNow,
];

fn internal(detail: String) -> NeedsError {
    NeedsError::Internal { detail }
}

fn cell(row: usize, column: &str, reason: Reason) -> NeedsError {
    NeedsError::Invalid(cell_error(row, column, reason))
}

fn null_at(row: usize, column: &str) -> NeedsError {
    cell(
        row,
        column,
        Reason::Required {
            what: format!("a value in column `{column}` (no null)"),
        },
    )
}

/// The columns of one batch of an assessments table.
struct Columns<'b> {
    /// The row number of the batch's first row.
    start: usize,
    assessment_id: StrColumn<'b>,
    case_id: StrColumn<'b>,
    assessed_at: TimeColumn<'b>,
    assessed_by: Option<StrColumn<'b>>,
    domain: StrColumn<'b>,
    level: IntColumn<'b>,
    declined: Option<BoolColumn<'b>>,
    own_rank: Option<IntColumn<'b>>,
    not_now: Option<BoolColumn<'b>>,
    red_flags: [Option<BoolColumn<'b>>; 4],
}

/// A required column found by [`TableReader::new`].
fn required<T>(c: Option<T>, name: &str) -> Result<T, NeedsError> {
    // INVARIANT: `TableReader::new` refused a table without a required column.
    c.ok_or_else(|| internal(format!("required column `{name}` missing after the check")))
}

impl<'b> Columns<'b> {
    fn of(start: usize, b: &'b RecordBatch) -> Result<Self, NeedsError> {
        let text = |name| StrColumn::of(b, name).map_err(NeedsError::Invalid);
        let int = |name| IntColumn::of(b, name).map_err(NeedsError::Invalid);
        let boolean = |name| BoolColumn::of(b, name).map_err(NeedsError::Invalid);
        let [f0, f1, f2, f3] = RED_FLAG_COLUMNS;
        Ok(Columns {
            start,
            assessment_id: required(text("assessment_id")?, "assessment_id")?,
            case_id: required(text("case_id")?, "case_id")?,
            assessed_at: required(
                TimeColumn::of(b, "assessed_at").map_err(NeedsError::Invalid)?,
                "assessed_at",
            )?,
            assessed_by: text("assessed_by")?,
            domain: required(text("domain")?, "domain")?,
            level: required(int("level")?, "level")?,
            declined: boolean("declined")?,
            own_rank: int("own_rank")?,
            not_now: boolean("not_now")?,
            red_flags: [boolean(f0)?, boolean(f1)?, boolean(f2)?, boolean(f3)?],
        })
    }

    fn text(c: &StrColumn<'b>, row: usize, i: usize, name: &str) -> Result<&'b str, NeedsError> {
        c.get(i).ok_or_else(|| null_at(row, name))
    }

    /// A boolean of an optional column: `false` when the table has no such column.
    fn flag(
        c: Option<&BoolColumn<'b>>,
        row: usize,
        i: usize,
        name: &str,
    ) -> Result<bool, NeedsError> {
        match c {
            None => Ok(false),
            Some(c) => c.get(i).ok_or_else(|| null_at(row, name)),
        }
    }

    /// Who made the assessment of row `i`: `None` when the table has no `assessed_by` column.
    fn assessed_by(&self, row: usize, i: usize) -> Result<Option<&'b str>, NeedsError> {
        self.assessed_by
            .as_ref()
            .map(|c| Self::text(c, row, i, "assessed_by"))
            .transpose()
    }

    fn assessed_at(&self, row: usize, i: usize) -> Result<Timestamp, NeedsError> {
        match self.assessed_at.get(i) {
            None => Err(null_at(row, "assessed_at")),
            Some(None) => Err(cell(
                row,
                "assessed_at",
                Reason::Invalid {
                    expected: "a moment chrono can represent".into(),
                    value: "a timestamp out of range".into(),
                },
            )),
            Some(Some(t)) => Ok(t),
        }
    }

    /// The red flags of row `i`, in the order of [`RedFlag::ALL`].
    fn red_flags(&self, row: usize, i: usize) -> Result<[bool; 4], NeedsError> {
        let mut raised = [false; 4];
        for ((r, c), name) in raised.iter_mut().zip(&self.red_flags).zip(RED_FLAG_COLUMNS) {
            *r = Self::flag(c.as_ref(), row, i, name)?;
        }
        Ok(raised)
    }

    /// The rating of row `i`: `level` and `declined` together.
    fn rating(&self, row: usize, i: usize) -> Result<Rating, NeedsError> {
        let declined = Self::flag(self.declined.as_ref(), row, i, "declined")?;
        match (self.level.get(i), declined) {
            (None, false) => Ok(Rating::NotAssessed),
            (None, true) => Ok(Rating::Declined),
            (Some(_), true) => Err(cell(
                row,
                "declined",
                Reason::Invalid {
                    expected: "false where a level is given".into(),
                    value: "true".into(),
                },
            )),
            (Some(n), false) => u8::try_from(n)
                .map_err(|_| Reason::Invalid {
                    expected: "a level from 1 (in crisis) to 5 (thriving), or null".into(),
                    value: n.to_string(),
                })
                .and_then(Level::from_number)
                .map(Rating::Level)
                .map_err(|reason| cell(row, "level", reason)),
        }
    }

    /// The own rank of row `i`, when ranked (1 first).
    fn own_rank(&self, row: usize, i: usize) -> Result<Option<u32>, NeedsError> {
        let Some(n) = self.own_rank.as_ref().and_then(|c| c.get(i)) else {
            return Ok(None);
        };
        match u32::try_from(n) {
            Ok(rank) if rank >= 1 => Ok(Some(rank)),
            _ => Err(cell(
                row,
                "own_rank",
                Reason::Invalid {
                    expected: "a rank from 1 (the person's first priority), or null".into(),
                    value: n.to_string(),
                },
            )),
        }
    }
}

/// Where a row is: its batch and its place in the batch.
#[derive(Debug, Clone, Copy, Default)]
struct At {
    batch: usize,
    i: usize,
}

/// What every row of an assessment says alike, from its first row.
#[derive(Debug, Clone, Copy)]
struct Head<'b> {
    row: usize,
    assessment_id: &'b str,
    case_id: &'b str,
    assessed_at: Timestamp,
    /// `None` when the table has no `assessed_by` column.
    assessed_by: Option<&'b str>,
    red_flags: [bool; 4],
}

/// The rows of an assessments table grouped by assessment, in the order of each assessment's
/// first row: a counting sort of the rows by their assessment's number. Consecutive rows of one
/// assessment are numbered without a hash lookup.
struct Groups {
    /// The rows, assessment after assessment (each assessment's rows in table order).
    rows: Vec<At>,
    /// The rows of each assessment in `rows`.
    ranges: Vec<std::ops::Range<usize>>,
}

fn group_rows(columns: &[Columns<'_>], rows: usize) -> Result<Groups, NeedsError> {
    let mut number: HashMap<&str, usize> = HashMap::new();
    let mut group_of = Vec::with_capacity(rows);
    let mut sizes: Vec<usize> = Vec::new();
    let mut previous: Option<(&str, usize)> = None;
    for (batch, c) in columns.iter().enumerate() {
        for i in 0..c.rows() {
            let id = Columns::text(&c.assessment_id, c.start + i, i, "assessment_id")?;
            let g = match previous {
                Some((p, g)) if p == id => g,
                _ => *number.entry(id).or_insert_with(|| {
                    sizes.push(0);
                    sizes.len() - 1
                }),
            };
            // INVARIANT: every number handed out above has its size.
            let size = sizes
                .get_mut(g)
                .ok_or_else(|| internal(format!("assessment number {g} has no size")))?;
            *size += 1;
            group_of.push((g, At { batch, i }));
            previous = Some((id, g));
        }
    }
    let mut ranges = Vec::with_capacity(sizes.len());
    let mut next = 0;
    for s in sizes {
        ranges.push(next..next + s);
        next += s;
    }
    let mut cursor: Vec<usize> = ranges.iter().map(|r| r.start).collect();
    let mut ordered = vec![At::default(); rows];
    for (g, at) in group_of {
        // INVARIANT: the sizes add up to the rows, so each assessment's slots fit.
        let c = cursor
            .get_mut(g)
            .ok_or_else(|| internal(format!("assessment number {g} has no start")))?;
        let slot = ordered
            .get_mut(*c)
            .ok_or_else(|| internal(format!("slot {c} past the {rows} rows")))?;
        *slot = at;
        *c += 1;
    }
    Ok(Groups {
        rows: ordered,
        ranges,
    })
}

impl Columns<'_> {
    /// The number of rows of the batch.
    fn rows(&self) -> usize {
        match self.domain {
            StrColumn::Utf8(a) => a.len(),
            StrColumn::Large(a) => a.len(),
            StrColumn::View(a) => a.len(),
        }
    }
}

/// An assessments table checked column by column (`TableReader::new`: no unknown column, every
/// required one, each of its type) and its rows grouped by assessment.
fn assessment_groups<'b>(
    schema: &SchemaRef,
    batches: &'b [RecordBatch],
) -> Result<(Vec<Columns<'b>>, Groups), NeedsError> {
    let table =
        TableReader::new(schema, batches, &ASSESSMENT_COLUMNS).map_err(NeedsError::Invalid)?;
    let columns = table
        .batches()
        .map(|(start, b)| Columns::of(start, b))
        .collect::<Result<Vec<_>, _>>()?;
    let groups = group_rows(&columns, table.rows())?;
    Ok((columns, groups))
}

impl Groups {
    /// The rows of each assessment, in the order of its first row.
    fn each(&self) -> impl Iterator<Item = Result<&[At], NeedsError>> {
        self.ranges.iter().map(|range| {
            // INVARIANT: the ranges split `rows`.
            self.rows
                .get(range.clone())
                .ok_or_else(|| internal(format!("rows {range:?} of an assessment")))
        })
    }
}

/// Where [`read_rows`] puts the rows of one assessment: the ranking path's [`Reading`] (its
/// domains known to the catalogue) or an [`Assessment`] record being built.
trait RowSink<'b> {
    /// Where one domain's row goes.
    type Slot;
    /// Check the domain of row `row` (known, once per assessment) before its values are read.
    fn domain(&mut self, name: &'b str, row: usize) -> Result<Self::Slot, NeedsError>;
    /// Keep what row `row` says about the domain.
    fn put(&mut self, slot: Self::Slot, row: usize, said: Said) -> Result<(), NeedsError>;
}

/// The error of a domain on a second row of one assessment.
fn repeated_domain(name: &str, row: usize, first: usize) -> NeedsError {
    cell(
        row,
        "domain",
        Reason::Invalid {
            expected: format!("each domain once per assessment (`{name}` is on row {first})"),
            value: name.to_owned(),
        },
    )
}

/// Read the rows of one assessment into `sink`, checking every rule of the assessments table
/// that needs no catalogue (the sink checks the domains); the first problem is the error,
/// naming its row and column. Returns what every row says alike and how many rows carry an
/// own rank (check those with [`check_own_ranks`]).
fn read_rows<'b, S: RowSink<'b>>(
    columns: &[Columns<'b>],
    rows: &[At],
    sink: &mut S,
) -> Result<(Head<'b>, usize), NeedsError> {
    let mut head: Option<Head<'b>> = None;
    let mut ranked = 0usize;
    for at in rows {
        let c = columns
            .get(at.batch)
            .ok_or_else(|| internal(format!("batch {} of a row is missing", at.batch)))?;
        let (row, i) = (c.start + at.i, at.i);
        let case_id = Columns::text(&c.case_id, row, i, "case_id")?;
        let assessed_at = c.assessed_at(row, i)?;
        let assessed_by = c.assessed_by(row, i)?;
        let red_flags = c.red_flags(row, i)?;
        let this = Head {
            row,
            assessment_id: Columns::text(&c.assessment_id, row, i, "assessment_id")?,
            case_id,
            assessed_at,
            assessed_by,
            red_flags,
        };
        match &head {
            None => {
                AssessmentId::try_from(this.assessment_id)
                    .map_err(|r| cell(row, "assessment_id", r))?;
                CaseId::try_from(case_id).map_err(|r| cell(row, "case_id", r))?;
                head = Some(this);
            }
            Some(h) => same_as_head(h, &this)?,
        }
        let name = Columns::text(&c.domain, row, i, "domain")?;
        let slot = sink.domain(name, row)?;
        let rating = c.rating(row, i)?;
        let own_rank = c.own_rank(row, i)?;
        let not_now = Columns::flag(c.not_now.as_ref(), row, i, "not_now")?;
        let said = Said {
            rating: Some(rating),
            own_rank,
            not_now,
        };
        for (column, set) in [("own_rank", own_rank.is_some()), ("not_now", not_now)] {
            if set && !said.assessed() {
                return Err(cell(
                    row,
                    column,
                    Reason::Invalid {
                        expected: "a domain rated at a level or declined".into(),
                        value: format!("`{name}`, not assessed"),
                    },
                ));
            }
        }
        ranked += usize::from(own_rank.is_some());
        sink.put(slot, row, said)?;
    }
    let head = head.ok_or_else(|| internal("an assessment with no rows".into()))?;
    Ok((head, ranked))
}

/// The own ranks of one assessment (each with its row, in the order they are checked) are
/// exactly 1 to `ranked`, each once. `seen` is scratch space.
fn check_own_ranks(
    ranks: impl IntoIterator<Item = (u32, usize)>,
    ranked: usize,
    seen: &mut Vec<bool>,
) -> Result<(), NeedsError> {
    seen.clear();
    seen.resize(ranked, false);
    for (rank, row) in ranks {
        let bad = |expected: String| {
            cell(
                row,
                "own_rank",
                Reason::Invalid {
                    expected,
                    value: rank.to_string(),
                },
            )
        };
        let once = usize::try_from(rank)
            .ok()
            .and_then(|r| r.checked_sub(1))
            .and_then(|r| seen.get_mut(r))
            .ok_or_else(|| {
                bad(format!(
                    "a rank from 1 to {ranked} (the assessment ranks {ranked} domains)"
                ))
            })?;
        if *once {
            return Err(bad(format!(
                "each rank once per assessment ({rank} is repeated)"
            )));
        }
        *once = true;
    }
    Ok(())
}

/// What ranking a table works in, kept from one assessment to the next.
struct Work<'p> {
    names: HashMap<&'p str, DomainIndex>,
    reading: Reading,
    tables: Tables<'p>,
    ranking: Ranking,
    /// The row of each catalogue domain in the assessment being read.
    row_of: Vec<Option<usize>>,
    /// Which own ranks an assessment has used.
    ranks_seen: Vec<bool>,
}

/// The ranking path's sink: rows into `work.reading`, domains known to the catalogue.
struct ReadingSink<'a, 'w, 'p> {
    prioritiser: &'a Prioritiser,
    work: &'w mut Work<'p>,
}

impl<'b> RowSink<'b> for ReadingSink<'_, '_, '_> {
    type Slot = DomainIndex;

    /// The domain of a row: known to the catalogue, once per assessment.
    fn domain(&mut self, name: &'b str, row: usize) -> Result<DomainIndex, NeedsError> {
        let Some(&d) = self.work.names.get(name) else {
            return Err(cell(
                row,
                "domain",
                Reason::Unknown {
                    value: name.to_owned(),
                    known: self
                        .prioritiser
                        .catalogue()
                        .domains
                        .iter()
                        .map(|d| d.key.to_string())
                        .collect(),
                },
            ));
        };
        if let Some(Some(first)) = self.work.row_of.get(d.0) {
            return Err(repeated_domain(name, row, *first));
        }
        Ok(d)
    }

    fn put(&mut self, d: DomainIndex, row: usize, said: Said) -> Result<(), NeedsError> {
        // INVARIANT: both tables have one entry per catalogue domain, and `d` is one.
        let (Some(slot), Some(seen_on)) = (
            self.work.reading.domains.get_mut(d.0),
            self.work.row_of.get_mut(d.0),
        ) else {
            return Err(internal(format!(
                "domain position {} past the catalogue",
                d.0
            )));
        };
        *slot = said;
        *seen_on = Some(row);
        Ok(())
    }
}

impl Prioritiser {
    /// Read the rows of one assessment into `work.reading`, checking every rule of the
    /// assessments table; the first problem is the error, naming its row and column.
    fn read_table_assessment<'b>(
        &self,
        columns: &[Columns<'b>],
        rows: &[At],
        work: &mut Work<'_>,
    ) -> Result<Head<'b>, NeedsError> {
        let width = self.catalogue().domains.len();
        work.reading.domains.clear();
        work.reading.domains.resize(width, Said::default());
        work.reading.red_flags.clear();
        work.row_of.clear();
        work.row_of.resize(width, None);
        let (head, ranked) = read_rows(
            columns,
            rows,
            &mut ReadingSink {
                prioritiser: self,
                work,
            },
        )?;
        // The ranks are checked in catalogue order.
        let ranks = work
            .reading
            .domains
            .iter()
            .zip(&work.row_of)
            .filter_map(|(said, row)| said.own_rank.zip(*row));
        check_own_ranks(ranks, ranked, &mut work.ranks_seen)?;
        work.reading.red_flags.extend(
            RedFlag::ALL
                .into_iter()
                .zip(head.red_flags)
                .filter_map(|(flag, raised)| raised.then_some(flag)),
        );
        Ok(head)
    }

    /// Rank every assessment of a table, in the order of its first row, handing each to `f`.
    fn each_table_assessment<'b>(
        &self,
        schema: &SchemaRef,
        batches: &'b [RecordBatch],
        mut f: impl FnMut(&Head<'b>, &Reading, &Ranking) -> Result<(), NeedsError>,
    ) -> Result<(), NeedsError> {
        let (columns, groups) = assessment_groups(schema, batches)?;
        let width = self.catalogue().domains.len();
        let mut work = Work {
            names: self
                .catalogue()
                .domains
                .iter()
                .enumerate()
                .map(|(i, d)| (d.key.as_str(), DomainIndex(i)))
                .collect(),
            reading: Reading::empty(width),
            tables: Tables::new(width),
            ranking: Ranking::default(),
            row_of: Vec::with_capacity(width),
            ranks_seen: Vec::with_capacity(width),
        };
        for rows in groups.each() {
            let head = self.read_table_assessment(&columns, rows?, &mut work)?;
            let Work {
                reading,
                tables,
                ranking,
                ..
            } = &mut work;
            self.rank_reading(reading, tables, ranking)?;
            f(&head, &work.reading, &work.ranking)?;
        }
        Ok(())
    }

    /// Prioritise every assessment of an assessments table (`beside.assessments/1`) into a
    /// priorities table (`beside.priorities/1`); see [`crate::table`] for both. The first
    /// problem of the table is the error: a column (unknown, missing or of another type) or a
    /// value, naming its row (`rows[17].level`).
    pub fn prioritise_table(
        &self,
        schema: &SchemaRef,
        batches: &[RecordBatch],
    ) -> Result<RecordBatch, NeedsError> {
        let mut out = PrioritiesWriter::default();
        self.each_table_assessment(schema, batches, |head, _, ranking| out.push(head, ranking))?;
        out.finish(self)
    }

    /// Summarise an assessments table as [`Prioritiser::summarise`] summarises records. Unlike
    /// that call, an invalid assessment is not counted as rejected: the table is refused,
    /// naming the row.
    pub fn summarise_table(
        &self,
        schema: &SchemaRef,
        batches: &[RecordBatch],
    ) -> Result<BatchSummary, NeedsError> {
        let mut tally = Tally::new(self.catalogue().domains.len());
        self.each_table_assessment(schema, batches, |_, reading, ranking| {
            tally.seen += 1;
            tally.add(!reading.red_flags.is_empty(), ranking)
        })?;
        Ok(tally.finish(self))
    }

    /// [`Prioritiser::prioritise_table`] from and to Arrow IPC stream bytes.
    pub fn prioritise_ipc(&self, assessments: &[u8]) -> Result<Vec<u8>, NeedsError> {
        let (schema, batches) = read_ipc_stream(assessments)?;
        let out = self.prioritise_table(&schema, &batches)?;
        Ok(write_ipc_stream(&out)?)
    }

    /// [`Prioritiser::summarise_table`] from Arrow IPC stream bytes.
    pub fn summarise_ipc(&self, assessments: &[u8]) -> Result<BatchSummary, NeedsError> {
        let (schema, batches) = read_ipc_stream(assessments)?;
        self.summarise_table(&schema, &batches)
    }
}

/// Row `this.row` of an assessment says what its first row, `h`, says.
fn same_as_head(h: &Head<'_>, this: &Head<'_>) -> Result<(), NeedsError> {
    let differs = |column: &str, first: String, value: String| {
        cell(
            this.row,
            column,
            Reason::Invalid {
                expected: format!(
                    "`{first}`, as on row {} of assessment `{}`",
                    h.row, h.assessment_id
                ),
                value,
            },
        )
    };
    if this.case_id != h.case_id {
        return Err(differs(
            "case_id",
            h.case_id.to_owned(),
            this.case_id.to_owned(),
        ));
    }
    if this.assessed_at != h.assessed_at {
        return Err(differs(
            "assessed_at",
            h.assessed_at.to_rfc3339(),
            this.assessed_at.to_rfc3339(),
        ));
    }
    match (h.assessed_by, this.assessed_by) {
        (Some(first), Some(by)) if first != by => {
            return Err(differs("assessed_by", first.to_owned(), by.to_owned()));
        }
        (Some(_), Some(_)) | (None, None) => {}
        // INVARIANT: the rows of one table all have the column or all lack it.
        _ => return Err(internal("`assessed_by` on some rows only".into())),
    }
    for ((name, a), b) in RED_FLAG_COLUMNS.iter().zip(h.red_flags).zip(this.red_flags) {
        if a != b {
            return Err(differs(name, a.to_string(), b.to_string()));
        }
    }
    Ok(())
}

/// A small dictionary key (every dictionary here has at most 64 values).
fn key(index: usize) -> Result<i8, NeedsError> {
    i8::try_from(index).map_err(|_| internal(format!("dictionary key {index} past 127")))
}

/// The dictionary key of a value in a fixed list.
fn key_of<T: PartialEq>(list: &[T], value: &T) -> Result<i8, NeedsError> {
    let i = list
        .iter()
        .position(|v| v == value)
        .ok_or_else(|| internal("a value missing from its dictionary".into()))?;
    key(i)
}

/// The columns of a priorities table, filled assessment by assessment.
#[derive(Default)]
struct PrioritiesWriter {
    assessment_id: StringBuilder,
    case_id: StringBuilder,
    assessed_at: Vec<i64>,
    position: Vec<Option<u32>>,
    domain: Vec<i8>,
    level: Vec<Option<u8>>,
    declined: Vec<bool>,
    urgency: Vec<Option<i8>>,
    score: Vec<Option<u32>>,
    respond_within_minutes: Vec<Option<u32>>,
    referable: Vec<bool>,
    /// Where each row's reasons begin, and one past the end (starts with 0 when finished).
    reason_ends: Vec<i32>,
    reasons: ReasonColumns,
}

/// The fields of the `reasons` structs.
#[derive(Default)]
struct ReasonColumns {
    code: Vec<i8>,
    points: Vec<u32>,
    flag: Vec<Option<i8>>,
    respond_within_minutes: Vec<Option<u32>>,
    level: Vec<Option<u8>>,
    declined: Vec<Option<bool>>,
    domain: Vec<Option<i8>>,
    rank: Vec<Option<u32>>,
    cause: Vec<Option<i8>>,
}

/// The figures of one reason, as the `reasons` struct holds them.
#[derive(Default)]
struct ReasonRow {
    code: &'static str,
    points: u32,
    flag: Option<RedFlag>,
    respond_within_minutes: Option<u32>,
    level: Option<Level>,
    declined: Option<bool>,
    domain: Option<DomainIndex>,
    rank: Option<u32>,
    cause: Option<AheadCause>,
}

/// One reason as a row of the `reasons` structs: its code and the figures of that code.
fn reason_row(w: Why) -> ReasonRow {
    match w {
        Why::RedFlag { flag, minutes } => ReasonRow {
            code: "red_flag",
            flag: Some(flag),
            respond_within_minutes: Some(minutes),
            ..ReasonRow::default()
        },
        Why::OwnLevel { level, points } => ReasonRow {
            code: "own_level",
            points,
            level: Some(level),
            ..ReasonRow::default()
        },
        Why::Unrated { rating } => ReasonRow {
            code: "unrated",
            declined: Some(rating == Rating::Declined),
            ..ReasonRow::default()
        },
        Why::Foundational { points } => ReasonRow {
            code: "foundational",
            points,
            ..ReasonRow::default()
        },
        Why::Blocks {
            domain,
            level,
            points,
        } => ReasonRow {
            code: "blocks",
            points,
            level: Some(level),
            domain: Some(domain),
            ..ReasonRow::default()
        },
        Why::BlockedBy { blocker, level } => ReasonRow {
            code: "blocked_by",
            level: Some(level),
            domain: Some(blocker),
            ..ReasonRow::default()
        },
        Why::OwnRank { rank, points } => ReasonRow {
            code: "own_rank",
            points,
            rank: Some(rank),
            ..ReasonRow::default()
        },
        Why::AheadOfBlocker { blocker, cause } => ReasonRow {
            code: "ahead_of_blocker",
            domain: Some(blocker),
            cause: Some(cause),
            ..ReasonRow::default()
        },
        Why::NotNow => ReasonRow {
            code: "not_now",
            ..ReasonRow::default()
        },
    }
}

impl PrioritiesWriter {
    fn reasons_end(&self) -> Result<i32, NeedsError> {
        i32::try_from(self.reasons.code.len())
            .map_err(|_| internal("more than 2^31 reasons in one table".into()))
    }

    /// Append the rows of one ranked assessment.
    fn push(&mut self, head: &Head<'_>, ranking: &Ranking) -> Result<(), NeedsError> {
        let row = |w: &mut Self, domain: u8, rating: Rating| {
            w.assessment_id.append_value(head.assessment_id);
            w.case_id.append_value(head.case_id);
            w.assessed_at.push(head.assessed_at.timestamp_micros());
            w.domain.push(key(usize::from(domain))?);
            w.level.push(rating.level().map(Level::number));
            w.declined.push(rating == Rating::Declined);
            Ok::<(), NeedsError>(())
        };
        for (i, e) in ranking.entries.iter().enumerate() {
            row(self, e.domain_index, e.rating)?;
            self.position.push(Some(
                u32::try_from(i + 1).map_err(|_| internal(format!("position {i} past u32")))?,
            ));
            self.urgency.push(Some(key_of(&URGENCIES, &e.urgency)?));
            self.score.push(Some(e.score));
            self.respond_within_minutes.push(e.respond_within_minutes);
            self.referable.push(e.referable);
            for w in ranking.reasons_of(e)? {
                self.push_reason(reason_row(*w))?;
            }
            self.reason_ends.push(self.reasons_end()?);
        }
        for u in &ranking.not_rated {
            row(self, u.domain_index, u.rating)?;
            self.position.push(None);
            self.urgency.push(None);
            self.score.push(None);
            self.respond_within_minutes.push(None);
            self.referable.push(false);
            self.reason_ends.push(self.reasons_end()?);
        }
        Ok(())
    }

    fn push_reason(&mut self, r: ReasonRow) -> Result<(), NeedsError> {
        let c = &mut self.reasons;
        c.code.push(key_of(&REASON_CODES, &r.code)?);
        c.points.push(r.points);
        c.flag
            .push(r.flag.map(|f| key_of(&RedFlag::ALL, &f)).transpose()?);
        c.respond_within_minutes.push(r.respond_within_minutes);
        c.level.push(r.level.map(Level::number));
        c.declined.push(r.declined);
        c.domain.push(r.domain.map(|d| key(d.0)).transpose()?);
        c.rank.push(r.rank);
        c.cause
            .push(r.cause.map(|a| key_of(&AHEAD_CAUSES, &a)).transpose()?);
        Ok(())
    }

    /// The priorities table.
    fn finish(mut self, p: &Prioritiser) -> Result<RecordBatch, NeedsError> {
        let domains: Vec<&str> = p
            .catalogue()
            .domains
            .iter()
            .map(|d| d.key.as_str())
            .collect();
        let dict = |keys: Vec<Option<i8>>, values: &[&str]| -> Result<ArrayRef, NeedsError> {
            let values: ArrayRef = Arc::new(StringArray::from(values.to_vec()));
            let a = DictionaryArray::<Int8Type>::try_new(Int8Array::from(keys), values)
                .map_err(|e| internal(format!("a dictionary column: {e}")))?;
            Ok(Arc::new(a))
        };
        let urgencies: Vec<&str> = URGENCIES.iter().map(|u| u.key()).collect();
        let flags: Vec<&str> = RedFlag::ALL.iter().map(|f| f.key()).collect();
        let causes: Vec<&str> = AHEAD_CAUSES.iter().map(|c| c.key()).collect();
        let r = std::mem::take(&mut self.reasons);
        let struct_columns: Vec<(&str, ArrayRef)> = vec![
            (
                "code",
                dict(r.code.into_iter().map(Some).collect(), &REASON_CODES)?,
            ),
            ("points", Arc::new(UInt32Array::from(r.points))),
            ("flag", dict(r.flag, &flags)?),
            (
                "respond_within_minutes",
                Arc::new(UInt32Array::from(r.respond_within_minutes)),
            ),
            ("level", Arc::new(UInt8Array::from(r.level))),
            ("declined", Arc::new(BooleanArray::from(r.declined))),
            ("domain", dict(r.domain, &domains)?),
            ("rank", Arc::new(UInt32Array::from(r.rank))),
            ("cause", dict(r.cause, &causes)?),
        ];
        let fields: Fields = struct_columns
            .iter()
            .map(|(name, a)| {
                Field::new(
                    *name,
                    a.data_type().clone(),
                    !matches!(*name, "code" | "points"),
                )
            })
            .collect();
        let structs = StructArray::try_new(
            fields,
            struct_columns.into_iter().map(|(_, a)| a).collect(),
            None,
        )
        .map_err(|e| internal(format!("the reasons structs: {e}")))?;
        let item = Arc::new(Field::new("item", structs.data_type().clone(), false));
        let mut ends = Vec::with_capacity(self.reason_ends.len() + 1);
        ends.push(0);
        ends.extend_from_slice(&self.reason_ends);
        let offsets = OffsetBuffer::new(ends.into());
        let reasons = ListArray::try_new(item, offsets, Arc::new(structs), None)
            .map_err(|e| internal(format!("the reasons lists: {e}")))?;
        let assessed_at = TimestampMicrosecondArray::from(self.assessed_at).with_timezone("UTC");
        let columns: Vec<(&str, ArrayRef, bool)> = vec![
            (
                "assessment_id",
                Arc::new(self.assessment_id.finish()),
                false,
            ),
            ("case_id", Arc::new(self.case_id.finish()), false),
            ("assessed_at", Arc::new(assessed_at), false),
            ("position", Arc::new(UInt32Array::from(self.position)), true),
            (
                "domain",
                dict(self.domain.into_iter().map(Some).collect(), &domains)?,
                false,
            ),
            ("level", Arc::new(UInt8Array::from(self.level)), true),
            (
                "declined",
                Arc::new(BooleanArray::from(self.declined)),
                false,
            ),
            ("urgency", dict(self.urgency, &urgencies)?, true),
            ("score", Arc::new(UInt32Array::from(self.score)), true),
            (
                "respond_within_minutes",
                Arc::new(UInt32Array::from(self.respond_within_minutes)),
                true,
            ),
            (
                "referable",
                Arc::new(BooleanArray::from(self.referable)),
                false,
            ),
            ("reasons", Arc::new(reasons), false),
        ];
        Ok(record_batch(PRIORITIES, columns)?)
    }
}

/// Assessment records as an assessments table (`beside.assessments/1`): one row per rating,
/// in the records' order, with every optional column. Ranking the table gives what ranking
/// the records gives. The records are not checked here (ranking the table checks its rows).
pub fn assessments_table(assessments: &[Assessment]) -> Result<RecordBatch, NeedsError> {
    let mut assessment_id = StringBuilder::new();
    let mut case_id = StringBuilder::new();
    let mut assessed_at = Vec::new();
    let mut assessed_by = StringBuilder::new();
    let mut domain = StringBuilder::new();
    let mut level: Vec<Option<i64>> = Vec::new();
    let mut declined = Vec::new();
    let mut own_rank: Vec<Option<i64>> = Vec::new();
    let mut not_now = Vec::new();
    let mut flags: [Vec<bool>; 4] = Default::default();
    for a in assessments {
        for r in &a.ratings {
            assessment_id.append_value(a.id.as_str());
            case_id.append_value(a.case_id.as_str());
            assessed_at.push(a.assessed_at.timestamp_micros());
            assessed_by.append_value(a.assessed_by.as_str());
            domain.append_value(r.domain.as_str());
            level.push(r.rating.level().map(|l| i64::from(l.number())));
            declined.push(r.rating == Rating::Declined);
            let rank = a.own_priorities.iter().position(|k| *k == r.domain);
            own_rank.push(
                rank.map(|i| i64::try_from(i + 1))
                    .transpose()
                    .map_err(|_| internal(format!("own rank {rank:?} past i64")))?,
            );
            not_now.push(a.not_now.contains(&r.domain));
            for (column, flag) in flags.iter_mut().zip(RedFlag::ALL) {
                column.push(a.red_flags.contains(&flag));
            }
        }
    }
    let mut columns: Vec<(&str, ArrayRef, bool)> = vec![
        ("assessment_id", Arc::new(assessment_id.finish()), false),
        ("case_id", Arc::new(case_id.finish()), false),
        (
            "assessed_at",
            Arc::new(TimestampMicrosecondArray::from(assessed_at).with_timezone("UTC")),
            false,
        ),
        ("assessed_by", Arc::new(assessed_by.finish()), false),
        ("domain", Arc::new(domain.finish()), false),
        ("level", Arc::new(Int64Array::from(level)), true),
        ("declined", Arc::new(BooleanArray::from(declined)), false),
        ("own_rank", Arc::new(Int64Array::from(own_rank)), true),
        ("not_now", Arc::new(BooleanArray::from(not_now)), false),
    ];
    for (name, column) in RED_FLAG_COLUMNS.into_iter().zip(flags) {
        columns.push((name, Arc::new(BooleanArray::from(column)), false));
    }
    Ok(record_batch(ASSESSMENTS, columns)?)
}

/// [`assessments_table`] as Arrow IPC stream bytes.
pub fn assessments_ipc(assessments: &[Assessment]) -> Result<Vec<u8>, NeedsError> {
    Ok(write_ipc_stream(&assessments_table(assessments)?)?)
}

/// The sink that builds an [`Assessment`] record: a domain is a valid key, once per assessment
/// (no catalogue is at hand; ranking the record checks the domains against one).
#[derive(Default)]
struct RecordSink<'b> {
    /// The first row of each domain.
    first_row: HashMap<&'b str, usize>,
    ratings: Vec<DomainRating>,
    /// Each own rank, its row and its domain, in table order.
    ranks: Vec<(u32, usize, DomainKey)>,
    not_now: Vec<DomainKey>,
}

impl<'b> RowSink<'b> for RecordSink<'b> {
    type Slot = (&'b str, DomainKey);

    fn domain(&mut self, name: &'b str, row: usize) -> Result<Self::Slot, NeedsError> {
        if let Some(first) = self.first_row.get(name) {
            return Err(repeated_domain(name, row, *first));
        }
        let key = DomainKey::new(name).map_err(|r| cell(row, "domain", r))?;
        Ok((name, key))
    }

    fn put(
        &mut self,
        (name, domain): Self::Slot,
        row: usize,
        said: Said,
    ) -> Result<(), NeedsError> {
        self.first_row.insert(name, row);
        let rating = said
            .rating
            .ok_or_else(|| internal(format!("row {row} read with no rating")))?;
        if let Some(rank) = said.own_rank {
            self.ranks.push((rank, row, domain.clone()));
        }
        if said.not_now {
            self.not_now.push(domain.clone());
        }
        self.ratings.push(DomainRating { domain, rating });
        Ok(())
    }
}

/// The errors of validating the record of the assessment whose first row is `row`, each at
/// `rows[<row>].<field>`.
fn at_first_row(errors: ValidationErrors, row: usize) -> NeedsError {
    NeedsError::Invalid(ValidationErrors {
        errors: errors
            .errors
            .into_iter()
            .map(|e| FieldError {
                path: format!("rows[{row}].{}", e.path),
                reason: e.reason,
            })
            .collect(),
    })
}

/// Read an assessments table (`beside.assessments/1`, see [`crate::table`]) back into
/// [`Assessment`] records: one per assessment, in the order of its first row, its ratings in
/// table order, its own priorities in the order of their ranks, its "not now" list in table
/// order and its red flags in the order of [`RedFlag::ALL`]. The table is checked as ranking
/// checks it (the same column and row errors, `rows[17].level`), except that its domains need
/// only be valid keys, not in a catalogue; it must have the `assessed_by` column. Each record is
/// then validated as one read from JSON is ([`beside_core::Validate`], "in the future" judged
/// against the current time), its errors named at the assessment's first row
/// (`rows[4].assessed_at`). The inverse of [`assessments_table`] for records with ratings and
/// no `extra`.
pub fn read_assessments(
    schema: &SchemaRef,
    batches: &[RecordBatch],
) -> Result<Vec<Assessment>, NeedsError> {
    let (columns, groups) = assessment_groups(schema, batches)?;
    if schema.field_with_name("assessed_by").is_err() {
        return Err(NeedsError::Invalid(beside_core::table::column_error(
            "assessed_by",
            Reason::Required {
                what: "a column `assessed_by` of text, to read the table into assessments".into(),
            },
        )));
    }
    let mut seen = Vec::new();
    let mut out = Vec::with_capacity(groups.ranges.len());
    for rows in groups.each() {
        let mut sink = RecordSink::default();
        let (head, ranked) = read_rows(&columns, rows?, &mut sink)?;
        check_own_ranks(
            sink.ranks.iter().map(|(rank, row, _)| (*rank, *row)),
            ranked,
            &mut seen,
        )?;
        sink.ranks.sort_by_key(|(rank, _, _)| *rank);
        // INVARIANT: the schema has the column (checked above), so every row read it.
        let assessed_by = head
            .assessed_by
            .ok_or_else(|| internal("`assessed_by` not read from its column".into()))?;
        let assessment = Assessment {
            id: AssessmentId::try_from(head.assessment_id)
                .map_err(|r| cell(head.row, "assessment_id", r))?,
            case_id: CaseId::try_from(head.case_id).map_err(|r| cell(head.row, "case_id", r))?,
            assessed_at: head.assessed_at,
            assessed_by: WorkerId::try_from(assessed_by)
                .map_err(|r| cell(head.row, "assessed_by", r))?,
            ratings: sink.ratings,
            red_flags: RedFlag::ALL
                .into_iter()
                .zip(head.red_flags)
                .filter_map(|(flag, raised)| raised.then_some(flag))
                .collect(),
            own_priorities: sink.ranks.into_iter().map(|(_, _, key)| key).collect(),
            not_now: sink.not_now,
            extra: std::collections::BTreeMap::new(),
        };
        assessment
            .validate()
            .map_err(|e| at_first_row(e, head.row))?;
        out.push(assessment);
    }
    Ok(out)
}

/// [`read_assessments`] from Arrow IPC stream bytes.
pub fn read_assessments_ipc(bytes: &[u8]) -> Result<Vec<Assessment>, NeedsError> {
    let (schema, batches) = read_ipc_stream(bytes)?;
    read_assessments(&schema, &batches)
}

/// A column of a priorities table, of the type this module writes.
fn out_column<'b, T: 'static>(
    arrays: &'b [ArrayRef],
    names: &[&str],
    name: &str,
) -> Result<&'b T, NeedsError> {
    names
        .iter()
        .position(|n| *n == name)
        .and_then(|i| arrays.get(i))
        .and_then(|a| a.as_any().downcast_ref::<T>())
        .ok_or_else(|| {
            NeedsError::Invalid(beside_core::table::column_error(
                name,
                Reason::Required {
                    what: format!("the `{name}` column of a `{PRIORITIES}` table"),
                },
            ))
        })
}

/// The text of dictionary key `i` of a dictionary column (`None` for a null).
fn dict_text(
    d: &DictionaryArray<Int8Type>,
    i: usize,
    name: &str,
) -> Result<Option<String>, NeedsError> {
    if d.is_null(i) {
        return Ok(None);
    }
    let values = d
        .values()
        .as_any()
        .downcast_ref::<StringArray>()
        .ok_or_else(|| internal(format!("the dictionary of `{name}` is not text")))?;
    let k = usize::try_from(d.keys().value(i))
        .ok()
        .filter(|k| *k < values.len())
        .ok_or_else(|| internal(format!("a key of `{name}` outside its dictionary")))?;
    Ok(Some(values.value(k).to_owned()))
}

fn parse<T: serde::de::DeserializeOwned>(
    text: String,
    name: &str,
    row: usize,
) -> Result<T, NeedsError> {
    serde_json::from_value(serde_json::Value::String(text.clone())).map_err(|_| {
        cell(
            row,
            name,
            Reason::Invalid {
                expected: format!("a value of `{name}` this version writes"),
                value: text,
            },
        )
    })
}

/// Read a priorities table (`beside.priorities/1`, as [`Prioritiser::prioritise_table`] writes
/// it) back into records: one [`Prioritisation`](crate::Prioritisation) per assessment, in
/// table order. The inverse of writing: reading what `prioritise_table` wrote gives what
/// [`Prioritiser::prioritise`] gives for each record.
pub fn read_priorities_table(
    batch: &RecordBatch,
) -> Result<Vec<crate::Prioritisation>, NeedsError> {
    use crate::priority::{NotRated, Prioritisation, PriorityItem, PriorityReason};
    let schema = batch.schema();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    let arrays = batch.columns();
    let text = |n| out_column::<StringArray>(arrays, &names, n);
    let dict = |n| out_column::<DictionaryArray<Int8Type>>(arrays, &names, n);
    let u32s = |n| out_column::<UInt32Array>(arrays, &names, n);
    let bools = |n| out_column::<BooleanArray>(arrays, &names, n);
    let (assessment_id, case_id) = (text("assessment_id")?, text("case_id")?);
    let assessed_at = out_column::<TimestampMicrosecondArray>(arrays, &names, "assessed_at")?;
    let (position, domain) = (u32s("position")?, dict("domain")?);
    let level = out_column::<UInt8Array>(arrays, &names, "level")?;
    let (declined, urgency, score) = (bools("declined")?, dict("urgency")?, u32s("score")?);
    let (respond, referable) = (u32s("respond_within_minutes")?, bools("referable")?);
    let reasons = out_column::<ListArray>(arrays, &names, "reasons")?;
    let structs = reasons
        .values()
        .as_any()
        .downcast_ref::<StructArray>()
        .ok_or_else(|| internal("`reasons` is not a list of structs".into()))?;
    let field = |n: &str| {
        structs
            .column_by_name(n)
            .ok_or_else(|| internal(format!("`reasons.{n}` is missing")))
    };
    let as_dict = |n: &str| -> Result<DictionaryArray<Int8Type>, NeedsError> {
        field(n)?
            .as_any()
            .downcast_ref::<DictionaryArray<Int8Type>>()
            .cloned()
            .ok_or_else(|| internal(format!("`reasons.{n}` is not a dictionary")))
    };
    let as_u32 = |n: &str| -> Result<UInt32Array, NeedsError> {
        field(n)?
            .as_any()
            .downcast_ref::<UInt32Array>()
            .cloned()
            .ok_or_else(|| internal(format!("`reasons.{n}` is not uint32")))
    };
    let (r_code, r_flag, r_domain, r_cause) = (
        as_dict("code")?,
        as_dict("flag")?,
        as_dict("domain")?,
        as_dict("cause")?,
    );
    let (r_points, r_minutes, r_rank) = (
        as_u32("points")?,
        as_u32("respond_within_minutes")?,
        as_u32("rank")?,
    );
    let r_level = field("level")?
        .as_any()
        .downcast_ref::<UInt8Array>()
        .cloned()
        .ok_or_else(|| internal("`reasons.level` is not uint8".into()))?;
    let r_declined = field("declined")?
        .as_any()
        .downcast_ref::<BooleanArray>()
        .cloned()
        .ok_or_else(|| internal("`reasons.declined` is not bool".into()))?;
    let opt_u32 = |a: &UInt32Array, i: usize| a.is_valid(i).then(|| a.value(i));
    let lvl = |n: u8, name: &str, row: usize| Level::from_number(n).map_err(|r| cell(row, name, r));
    let mut out: Vec<Prioritisation> = Vec::new();
    for row in 0..batch.num_rows() {
        let id = assessment_id.value(row);
        let new = out.last().is_none_or(|p| p.assessment_id.as_str() != id);
        if new {
            out.push(Prioritisation {
                assessment_id: AssessmentId::new(id)
                    .map_err(|e| cell(row, "assessment_id", e.reason))?,
                case_id: CaseId::new(case_id.value(row))
                    .map_err(|e| cell(row, "case_id", e.reason))?,
                assessed_at: chrono::DateTime::from_timestamp_micros(assessed_at.value(row))
                    .ok_or_else(|| internal(format!("row {row}: a time out of range")))?,
                items: Vec::new(),
                not_rated: Vec::new(),
            });
        }
        let p = out
            .last_mut()
            .ok_or_else(|| internal("no assessment to add a row to".into()))?;
        let key = dict_text(domain, row, "domain")?.ok_or_else(|| null_at(row, "domain"))?;
        let key = beside_core::DomainKey::new(&key).map_err(|r| cell(row, "domain", r))?;
        let rating = match (
            level.is_valid(row).then(|| level.value(row)),
            declined.value(row),
        ) {
            (Some(n), _) => Rating::Level(lvl(n, "level", row)?),
            (None, true) => Rating::Declined,
            (None, false) => Rating::NotAssessed,
        };
        let Some(position) = opt_u32(position, row) else {
            p.not_rated.push(NotRated {
                domain: key,
                rating,
            });
            continue;
        };
        let mut list = Vec::new();
        // INVARIANT: a valid list array has one more offset than rows, never negative.
        let span = match reasons.value_offsets().get(row..row + 2) {
            Some(&[start, end]) => usize::try_from(start).ok().zip(usize::try_from(end).ok()),
            _ => None,
        };
        let (start, end) = span.ok_or_else(|| internal(format!("row {row}: no reason offsets")))?;
        let needed = |d: &DictionaryArray<Int8Type>, j: usize, name: &str| {
            dict_text(d, j, name)?.ok_or_else(|| null_at(row, name))
        };
        for j in start..end {
            let code = needed(&r_code, j, "reasons.code")?;
            let other = || -> Result<beside_core::DomainKey, NeedsError> {
                let k = dict_text(&r_domain, j, "reasons.domain")?
                    .ok_or_else(|| null_at(row, "reasons.domain"))?;
                beside_core::DomainKey::new(&k).map_err(|r| cell(row, "reasons.domain", r))
            };
            let figure_level = || lvl(r_level.value(j), "reasons.level", row);
            let points = r_points.value(j);
            list.push(match code.as_str() {
                "red_flag" => PriorityReason::RedFlag {
                    flag: parse(needed(&r_flag, j, "reasons.flag")?, "reasons.flag", row)?,
                    respond_within_minutes: r_minutes.value(j),
                },
                "own_level" => PriorityReason::OwnLevel {
                    level: figure_level()?,
                    points,
                },
                "unrated" => PriorityReason::Unrated {
                    rating: if r_declined.value(j) {
                        Rating::Declined
                    } else {
                        Rating::NotAssessed
                    },
                },
                "foundational" => PriorityReason::Foundational { points },
                "blocks" => PriorityReason::Blocks {
                    domain: other()?,
                    level: figure_level()?,
                    points,
                },
                "blocked_by" => PriorityReason::BlockedBy {
                    blocker: other()?,
                    blocker_level: figure_level()?,
                },
                "own_rank" => PriorityReason::OwnRank {
                    rank: r_rank.value(j),
                    points,
                },
                "ahead_of_blocker" => PriorityReason::AheadOfBlocker {
                    blocker: other()?,
                    cause: parse(needed(&r_cause, j, "reasons.cause")?, "reasons.cause", row)?,
                },
                "not_now" => PriorityReason::NotNow,
                other => {
                    return Err(cell(
                        row,
                        "reasons.code",
                        Reason::Unknown {
                            value: other.to_owned(),
                            known: REASON_CODES.iter().map(|c| (*c).to_owned()).collect(),
                        },
                    ))
                }
            });
        }
        p.items.push(PriorityItem {
            position,
            domain: key,
            rating,
            level: rating.level(),
            urgency: parse(
                dict_text(urgency, row, "urgency")?.ok_or_else(|| null_at(row, "urgency"))?,
                "urgency",
                row,
            )?,
            score: opt_u32(score, row).ok_or_else(|| null_at(row, "score"))?,
            respond_within_minutes: opt_u32(respond, row),
            referable: referable.value(row),
            reasons: list,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tests::assessment;
    use arrow_array::Int32Array;
    use beside_core::DomainKey;

    fn keys(list: &[&str]) -> Vec<DomainKey> {
        list.iter().map(|k| DomainKey::new(k).unwrap()).collect()
    }

    /// Three assessments of two cases, using every column.
    fn records() -> Vec<Assessment> {
        let mut a = assessment(&[
            ("livelihood", 1),
            ("food", 1),
            ("mental_health", 3),
            ("legal", 9),
        ]);
        a.own_priorities = keys(&["livelihood"]);
        a.red_flags = vec![RedFlag::UntreatedInjury];
        let mut b = assessment(&[("food", 2), ("shelter", 0), ("safety", 2), ("education", 4)]);
        b.id = AssessmentId::new("a-2").unwrap();
        b.not_now = keys(&["safety"]);
        b.own_priorities = keys(&["education", "food"]);
        let mut c = assessment(&[("mental_health", 1)]);
        c.id = AssessmentId::new("a-3").unwrap();
        c.case_id = CaseId::new("c-2").unwrap();
        c.red_flags = vec![RedFlag::SuicidalThoughts, RedFlag::ImmediateDanger];
        vec![a, b, c]
    }

    fn message(r: Result<impl std::fmt::Debug, NeedsError>) -> String {
        match r {
            Err(NeedsError::Invalid(e)) => e.to_string(),
            other => panic!("expected an invalid-input error, got {other:?}"),
        }
    }

    fn prioritise(t: &RecordBatch) -> Result<RecordBatch, NeedsError> {
        Prioritiser::standard().prioritise_table(&t.schema(), std::slice::from_ref(t))
    }

    /// `t` with column `name` replaced by (or, when absent, added as) `array`.
    fn with(t: &RecordBatch, name: &str, array: ArrayRef) -> RecordBatch {
        let schema = t.schema();
        let mut columns: Vec<(&str, ArrayRef, bool)> = schema
            .fields()
            .iter()
            .zip(t.columns())
            .filter(|(f, _)| f.name() != name)
            .map(|(f, a)| (f.name().as_str(), a.clone(), true))
            .collect();
        columns.push((name, array, true));
        record_batch(ASSESSMENTS, columns).unwrap()
    }

    fn without(t: &RecordBatch, name: &str) -> RecordBatch {
        let i = t.schema().index_of(name).unwrap();
        let mut t = t.clone();
        t.remove_column(i);
        t
    }

    #[test]
    fn a_table_ranks_as_its_records_do() {
        let p = Prioritiser::standard();
        let records = records();
        let bytes = assessments_ipc(&records).unwrap();
        let out = p.prioritise_ipc(&bytes).unwrap();
        let (schema, batches) = read_ipc_stream(&out).unwrap();
        assert_eq!(
            schema
                .metadata()
                .get(beside_core::table::SCHEMA_KEY)
                .map(String::as_str),
            Some(PRIORITIES)
        );
        let read = read_priorities_table(&batches[0]).unwrap();
        let want: Vec<_> = records.iter().map(|a| p.prioritise(a).unwrap()).collect();
        assert_eq!(read, want);
        assert_eq!(p.summarise_ipc(&bytes).unwrap(), p.summarise(&records));
        // One row per listed domain and per domain not rated.
        let rows: usize = want.iter().map(|w| w.items.len() + w.not_rated.len()).sum();
        assert_eq!(batches[0].num_rows(), rows);
    }

    #[test]
    fn rows_of_one_assessment_may_be_apart_and_in_several_batches() {
        let p = Prioritiser::standard();
        let records = records();
        let t = assessments_table(&records).unwrap();
        // Interleave: rows 0, 4, 1, 5, … then split into two batches.
        let n = t.num_rows();
        let order: Vec<u32> = (0..n as u32)
            .step_by(2)
            .chain((1..n as u32).step_by(2))
            .collect();
        let idx = arrow_array::UInt32Array::from(order);
        let schema = t.schema();
        let columns: Vec<(&str, ArrayRef, bool)> = schema
            .fields()
            .iter()
            .zip(t.columns())
            .map(|(f, a)| {
                let taken: ArrayRef = take(a, &idx);
                (f.name().as_str(), taken, true)
            })
            .collect();
        let shuffled = record_batch(ASSESSMENTS, columns).unwrap();
        let parts = [shuffled.slice(0, 5), shuffled.slice(5, n - 5)];
        let out = p.prioritise_table(&shuffled.schema(), &parts).unwrap();
        let read = read_priorities_table(&out).unwrap();
        // Assessments come in the order of their first row: a-1 (row 0), a-2, a-3.
        let want: Vec<_> = records.iter().map(|a| p.prioritise(a).unwrap()).collect();
        let mut got = read.clone();
        got.sort_by(|x, y| x.assessment_id.cmp(&y.assessment_id));
        assert_eq!(got, want);
    }

    /// A plain "take" for the test (row `i` of the result is row `idx[i]` of `a`).
    fn take(a: &ArrayRef, idx: &UInt32Array) -> ArrayRef {
        let rows: Vec<usize> = idx.values().iter().map(|&i| i as usize).collect();
        let data = a.to_data();
        let mut m = arrow_data::transform::MutableArrayData::new(vec![&data], true, rows.len());
        for r in rows {
            m.try_extend(0, r, r + 1).unwrap();
        }
        arrow_array::make_array(m.freeze())
    }

    #[test]
    fn column_errors_name_the_column() {
        let t = assessments_table(&records()).unwrap();
        let e = message(prioritise(&with(
            &t,
            "notnow",
            Arc::new(BooleanArray::from(vec![true; t.num_rows()])),
        )));
        assert!(
            e.starts_with("notnow: unknown value `notnow`; known values: assessment_id, case_id"),
            "{e}"
        );
        let e = message(prioritise(&without(&t, "domain")));
        assert!(
            e.starts_with("domain: is required: a column `domain` of text"),
            "{e}"
        );
        let e = message(prioritise(&with(
            &t,
            "level",
            Arc::new(StringArray::from(vec!["1"; t.num_rows()])),
        )));
        assert!(e.starts_with("level: must be a column of integers"), "{e}");
        assert!(e.ends_with("got `Utf8`"), "{e}");
        // Optional columns may be left out.
        let bare = ["declined", "own_rank", "not_now"]
            .into_iter()
            .chain(RED_FLAG_COLUMNS)
            .fold(t, |t, c| without(&t, c));
        assert!(prioritise(&bare).is_ok());
    }

    #[test]
    fn value_errors_name_the_row() {
        let t = assessments_table(&records()).unwrap();
        let n = t.num_rows();
        let levels = |row: usize, v: Option<i32>| {
            let mut l: Vec<Option<i32>> = vec![Some(3); n];
            l[row] = v;
            Arc::new(Int32Array::from(l)) as ArrayRef
        };
        let undeclined = without(&t, "declined");
        let e = message(prioritise(&with(&undeclined, "level", levels(2, Some(7)))));
        assert_eq!(e, "rows[2].level: must be <= 5, got 7");
        let e = message(prioritise(&with(&undeclined, "level", levels(4, Some(-1)))));
        assert!(
            e.starts_with("rows[4].level: must be a level from 1"),
            "{e}"
        );
        // Row 3 (legal) is declined: a level there contradicts it.
        let mut l: Vec<Option<i32>> = vec![None; n];
        l[3] = Some(2);
        let unranked = without(&without(&t, "own_rank"), "not_now");
        let e = message(prioritise(&with(
            &unranked,
            "level",
            Arc::new(Int32Array::from(l)),
        )));
        assert!(
            e.starts_with("rows[3].declined: must be false where a level is given"),
            "{e}"
        );
        let mut d: Vec<Option<&str>> = vec![Some("food"); n];
        d[1] = None;
        let e = message(prioritise(&with(
            &t,
            "domain",
            Arc::new(StringArray::from(d.clone())),
        )));
        assert_eq!(
            e,
            "rows[1].domain: is required: a value in column `domain` (no null)"
        );
        d[1] = Some("fod");
        let e = message(prioritise(&with(
            &t,
            "domain",
            Arc::new(StringArray::from(d)),
        )));
        // Row 0 is food already, so row 1 (`fod`) is refused as unknown first.
        assert!(
            e.starts_with("rows[1].domain: unknown value `fod`; known values: food,"),
            "{e}"
        );
        let mut cases: Vec<&str> = (0..n).map(|i| if i < 8 { "c-1" } else { "c-2" }).collect();
        cases[2] = "c-9";
        let e = message(prioritise(&with(
            &t,
            "case_id",
            Arc::new(StringArray::from(cases)),
        )));
        assert_eq!(
            e,
            "rows[2].case_id: must be `c-1`, as on row 0 of assessment `a-1`, got `c-9`"
        );
        let mut flags = vec![false; n];
        flags[4] = true;
        let e = message(prioritise(&with(
            &t,
            RED_FLAG_COLUMNS[1],
            Arc::new(BooleanArray::from(flags)),
        )));
        assert!(
            e.starts_with("rows[5].red_flag_immediate_danger: must be `true`, as on row 4"),
            "{e}"
        );
    }

    #[test]
    fn own_ranks_and_not_now_follow_the_record_rules() {
        let t = assessments_table(&records()).unwrap();
        let n = t.num_rows();
        let ranks = |set: &[(usize, i64)]| {
            let mut r: Vec<Option<i64>> = vec![None; n];
            for &(row, v) in set {
                r[row] = Some(v);
            }
            Arc::new(Int64Array::from(r)) as ArrayRef
        };
        let e = message(prioritise(&with(&t, "own_rank", ranks(&[(0, 2)]))));
        assert_eq!(e, "rows[0].own_rank: must be a rank from 1 to 1 (the assessment ranks 1 domains), got `2`");
        let e = message(prioritise(&with(&t, "own_rank", ranks(&[(0, 1), (1, 1)]))));
        assert!(
            e.contains("each rank once per assessment (1 is repeated)"),
            "{e}"
        );
        let e = message(prioritise(&with(&t, "own_rank", ranks(&[(0, 0)]))));
        assert!(
            e.starts_with("rows[0].own_rank: must be a rank from 1"),
            "{e}"
        );
        // Row 5 is shelter, not assessed: neither ranked nor "not now".
        let e = message(prioritise(&with(&t, "own_rank", ranks(&[(5, 1)]))));
        assert_eq!(e, "rows[5].own_rank: must be a domain rated at a level or declined, got `\\`shelter\\`, not assessed`".replace("\\`", "`"));
        let mut nn = vec![false; n];
        nn[5] = true;
        let e = message(prioritise(&with(
            &t,
            "not_now",
            Arc::new(BooleanArray::from(nn)),
        )));
        assert!(
            e.starts_with("rows[5].not_now: must be a domain rated at a level or declined"),
            "{e}"
        );
        let mut d: Vec<&str> = vec![
            "livelihood",
            "food",
            "mental_health",
            "legal",
            "food",
            "shelter",
            "safety",
            "education",
            "mental_health",
        ];
        d[2] = "food";
        let e = message(prioritise(&with(
            &t,
            "domain",
            Arc::new(StringArray::from(d)),
        )));
        assert!(
            e.starts_with(
                "rows[2].domain: must be each domain once per assessment (`food` is on row 1)"
            ),
            "{e}"
        );
    }

    #[test]
    fn naive_times_and_trailing_bytes_are_refused() {
        let t = assessments_table(&records()).unwrap();
        let naive = TimestampMicrosecondArray::from(vec![0i64; t.num_rows()]);
        let e = message(prioritise(&with(&t, "assessed_at", Arc::new(naive))));
        assert!(
            e.starts_with("assessed_at: must be a column of timestamps with a time zone"),
            "{e}"
        );
        let mut bytes = assessments_ipc(&records()).unwrap();
        bytes.extend_from_slice(b"{}");
        let e = message(Prioritiser::standard().prioritise_ipc(&bytes));
        assert!(
            e.contains("2 bytes after the end of the Arrow IPC stream"),
            "{e}"
        );
    }

    fn read(t: &RecordBatch) -> Result<Vec<Assessment>, NeedsError> {
        read_assessments(&t.schema(), std::slice::from_ref(t))
    }

    /// The bundled sample assessments (`data/samples/assessments.json`).
    fn samples() -> Vec<Assessment> {
        beside_core::from_json(include_str!("../../../data/samples/assessments.json")).unwrap()
    }

    #[test]
    fn a_table_reads_back_into_its_records() {
        for records in [records(), samples()] {
            let t = assessments_table(&records).unwrap();
            assert_eq!(read(&t).unwrap(), records);
            let bytes = assessments_ipc(&records).unwrap();
            assert_eq!(read_assessments_ipc(&bytes).unwrap(), records);
        }
        // Rows apart and in two batches: in the order of each assessment's first row.
        let records = records();
        let t = assessments_table(&records).unwrap();
        let parts = [t.slice(0, 5), t.slice(5, t.num_rows() - 5)];
        assert_eq!(read_assessments(&t.schema(), &parts).unwrap(), records);
    }

    #[test]
    fn reading_records_is_as_strict_as_ranking() {
        let t = assessments_table(&records()).unwrap();
        let n = t.num_rows();
        let e = message(read(&with(
            &t,
            "notnow",
            Arc::new(BooleanArray::from(vec![true; n])),
        )));
        assert!(
            e.starts_with("notnow: unknown value `notnow`; known values: assessment_id, case_id"),
            "{e}"
        );
        let e = message(read(&without(&t, "assessed_by")));
        assert_eq!(
            e,
            "assessed_by: is required: a column `assessed_by` of text, to read the table into assessments"
        );
        // Ranking does not need `assessed_by`.
        assert!(prioritise(&without(&t, "assessed_by")).is_ok());
        let mut cases: Vec<Option<&str>> = (0..n)
            .map(|i| Some(if i < 8 { "c-1" } else { "c-2" }))
            .collect();
        cases[2] = None;
        let e = message(read(&with(
            &t,
            "case_id",
            Arc::new(StringArray::from(cases.clone())),
        )));
        assert_eq!(
            e,
            "rows[2].case_id: is required: a value in column `case_id` (no null)"
        );
        cases[2] = Some("c-9");
        let e = message(read(&with(
            &t,
            "case_id",
            Arc::new(StringArray::from(cases)),
        )));
        assert_eq!(
            e,
            "rows[2].case_id: must be `c-1`, as on row 0 of assessment `a-1`, got `c-9`"
        );
        let mut by = vec!["w-1"; n];
        by[6] = "w-2";
        let e = message(read(&with(
            &t,
            "assessed_by",
            Arc::new(StringArray::from(by)),
        )));
        assert_eq!(
            e,
            "rows[6].assessed_by: must be `w-1`, as on row 4 of assessment `a-2`, got `w-2`"
        );
        let ranks = |set: &[(usize, i64)]| {
            let mut r: Vec<Option<i64>> = vec![None; n];
            for &(row, v) in set {
                r[row] = Some(v);
            }
            Arc::new(Int64Array::from(r)) as ArrayRef
        };
        let e = message(read(&with(&t, "own_rank", ranks(&[(0, 2)]))));
        assert_eq!(e, "rows[0].own_rank: must be a rank from 1 to 1 (the assessment ranks 1 domains), got `2`");
        let e = message(read(&with(&t, "own_rank", ranks(&[(0, 1), (1, 1)]))));
        assert_eq!(
            e,
            "rows[1].own_rank: must be each rank once per assessment (1 is repeated), got `1`"
        );
        let e = message(read(&with(&t, "own_rank", ranks(&[(0, 0)]))));
        assert!(
            e.starts_with("rows[0].own_rank: must be a rank from 1"),
            "{e}"
        );
        let e = message(read(&with(&t, "own_rank", ranks(&[(5, 1)]))));
        assert_eq!(e, "rows[5].own_rank: must be a domain rated at a level or declined, got `\\`shelter\\`, not assessed`".replace("\\`", "`"));
        let mut d = vec!["food"; n];
        d[1] = "Food!";
        let e = message(read(&with(
            &t,
            "domain",
            Arc::new(StringArray::from(d.clone())),
        )));
        assert!(e.starts_with("rows[1].domain: "), "{e}");
        d[1] = "legal";
        d[2] = "legal";
        let e = message(read(&with(&t, "domain", Arc::new(StringArray::from(d)))));
        assert!(
            e.starts_with(
                "rows[2].domain: must be each domain once per assessment (`legal` is on row 1)"
            ),
            "{e}"
        );
        // A domain need not be in a catalogue to be read into a record.
        let mut d: Vec<&str> = (0..n).map(|i| ["x0", "x1", "x2", "x3"][i % 4]).collect();
        d[8] = "somewhere_else";
        let got = read(&with(
            &without(&without(&t, "own_rank"), "not_now"),
            "domain",
            Arc::new(StringArray::from(d)),
        ))
        .unwrap();
        assert_eq!(got[2].ratings[0].domain.as_str(), "somewhere_else");
    }

    #[test]
    fn a_record_read_from_a_table_is_validated_at_its_first_row() {
        let mut future = records();
        future[1].assessed_at = chrono::Utc::now() + chrono::Duration::days(3);
        let t = assessments_table(&future).unwrap();
        let e = message(read(&t));
        assert!(e.starts_with("rows[4].assessed_at: "), "{e}");
        let t = assessments_table(&records()).unwrap();
        let mut by = vec!["w-1"; t.num_rows()];
        by[8] = "";
        let e = message(read(&with(
            &t,
            "assessed_by",
            Arc::new(StringArray::from(by)),
        )));
        assert!(e.starts_with("rows[8].assessed_by: "), "{e}");
    }
}
