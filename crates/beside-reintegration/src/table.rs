//! The results of the reintegration engine as Apache Arrow tables, for researchers' batches
//! (pandas, polars, pyarrow and Spark read them; across the FFI they travel as Arrow IPC
//! stream bytes, [`beside_core::table::write_ipc_stream`]).
//!
//! Each table is written from the records the engine returns ([`Trajectory`],
//! [`RiskAssessment`], [`SuppressedTable`]), in their order, and says what they say: the tests
//! read every table back and rebuild the records from it. A code is the record's serialised
//! code (its `code()` or `key()`, or the serde name of a value with neither), in a dictionary
//! column whose values are fixed and listed below, in dictionary order.
//!
//! Long form throughout: one row per thing, the records' lists as `list<struct>` columns. A
//! figure a row's code does not have is null. Rows are joined on `case_id` and `point` (the
//! place of a point in its trajectory, 0 first, as [`Setback::point`] counts it).
//!
//! A trajectory holds no time zone, so these tables hold the moment of each point
//! (`assessed_at`, UTC) and not its local day; the days the engine read on the case's calendar
//! are the setbacks' `on` and the follow-up's `from` and `due_on`.
//!
//! # The points table, `beside.points/1`
//!
//! One row per point of each trajectory: trajectory after trajectory in the order given,
//! points in date order ([`Trajectory::points`]).
//!
//! | column | type | null | meaning |
//! |---|---|---|---|
//! | `case_id` | utf8 | no | the trajectory's case |
//! | `point` | uint32 | no | the point's place in its trajectory, 0 first |
//! | `assessment_id` | utf8 | no | its assessment |
//! | `assessed_at` | `timestamp[us, UTC]` | no | when the assessment was made |
//! | `index` | float64 | yes | the overall index, 1 to 5; null when no weighted outcome was scored |
//! | `worst_level` | uint8 | yes | the worst level rated in any domain, 1 (in crisis) to 5 (thriving); null when none was rated at a level |
//!
//! # The outcome scores table, `beside.outcome_scores/1`
//!
//! One row per point and outcome ([`Trajectory::scores`] cell by cell): trajectory after
//! trajectory, point after point, the outcomes of each point in the profile's order.
//!
//! | column | type | null | meaning |
//! |---|---|---|---|
//! | `case_id` | utf8 | no | the trajectory's case |
//! | `point` | uint32 | no | the point, 0 first |
//! | `assessment_id` | utf8 | no | the point's assessment |
//! | `assessed_at` | `timestamp[us, UTC]` | no | when it was made |
//! | `outcome` | utf8 | no | the outcome key (a profile's own keys, so text rather than a dictionary) |
//! | `score` | float64 | yes | the weighted mean level of the outcome's rated domains, 1 to 5; null when none was rated |
//! | `level` | uint8 | yes | the level the score reaches (rounded down), 1 to 5; null when there is no score |
//! | `rated_domains` | uint32 | no | how many of the outcome's domains were rated at a level (out of `total_domains` in `beside.trends/1`) |
//!
//! # The trends table, `beside.trends/1`
//!
//! One row per trajectory and outcome ([`Trajectory::trends`]), outcomes in the profile's
//! order.
//!
//! | column | type | null | meaning |
//! |---|---|---|---|
//! | `case_id` | utf8 | no | the trajectory's case |
//! | `profile` | utf8 | no | the trajectory's outcome profile |
//! | `outcome` | utf8 | no | the outcome key |
//! | `weight` | float64 | no | its weight in the overall index |
//! | `total_domains` | uint32 | no | how many domains feed it |
//! | `trend` | `dictionary<int8, utf8>` | no | [`TREND_VALUES`]: `improving`, `stable`, `worsening`, `insufficient_data` |
//! | `first`, `latest`, `lowest` | float64 | yes | its first, latest and lowest score; null when it was never scored |
//! | `change` | float64 | yes | latest minus first; null with fewer than two scores |
//! | `scored` | uint32 | no | how many points scored it |
//!
//! # The setbacks table, `beside.setbacks/1`
//!
//! One row per setback ([`Trajectory::setbacks`]): trajectory after trajectory, each one's in
//! its order (point order; at a point, domains by key, then outcomes in the profile's order).
//!
//! | column | type | null | meaning |
//! |---|---|---|---|
//! | `case_id` | utf8 | no | the trajectory's case |
//! | `kind` | `dictionary<int8, utf8>` | no | [`SETBACK_KINDS`]: `domain` or `outcome` ([`Setback::code`]) |
//! | `point` | uint32 | no | the point where it fell |
//! | `previous` | uint32 | no | the point it is compared with (for a domain, `point - 1`; for an outcome, the previous point that scored it) |
//! | `on` | date32 | no | the day of the later assessment, on the case's calendar |
//! | `domain` | utf8 | yes | kind `domain` only: the domain key |
//! | `from_level`, `to_level` | uint8 | yes | kind `domain` only: its level before and after, 1 to 5 |
//! | `outcome` | utf8 | yes | kind `outcome` only: the outcome key |
//! | `from_score`, `to_score` | float64 | yes | kind `outcome` only: its score before and after |
//!
//! # The risk table, `beside.risk/1`
//!
//! One row per risk assessment, in the order given (a trajectory's is [`Trajectory::risk`]; a
//! trajectory made without risk inputs has none, so no row).
//!
//! | column | type | null | meaning |
//! |---|---|---|---|
//! | `case_id` | utf8 | no | the case |
//! | `recorded_on` | date32 | no | the day of the inputs |
//! | `level` | `dictionary<int8, utf8>` | no | [`RiskLevel::ALL`]: `low`, `moderate`, `high` |
//! | `points` | uint32 | no | the sum of the factors' points (added as the rule adds them, stopping at the largest uint32: the figure of the `points` basis) |
//! | `factors` | `list<struct>` | no | every factor, as [`RiskFactor`], in the record's order: `code` (dictionary, [`RISK_FACTOR_CODES`]), `points` (uint32), and the figures of the code — `creditor` (dictionary, [`CREDITORS`]) and `count` (uint32) for `debt`, `strength` (dictionary, [`FAMILY_PRESSURES`]) for `family_pressure`, `intention` (dictionary, [`MIGRATION_INTENTIONS`]) for `intends_to_migrate`, `contact` (dictionary, [`BROKER_CONTACTS`]) for `broker_contact` — null where the code has none |
//! | `basis` | `list<struct>` | no | why the level is what it is, as [`RiskBasis`]: `code` (dictionary, [`RISK_BASIS_CODES`]), `level` (dictionary, the level the basis gives, [`RiskBasis::level`]), and the figures of the code — `points`, `moderate_from`, `high_from` (uint32) for `points`, `intention` and `contact` (dictionaries as in `factors`) for `migration_with_broker`, `unknown` and `max_unknown` (uint32) for `too_little_known` — null where the code has none |
//! | `unknown` | `list<dictionary<int8, utf8>>` | no | the inputs not known, [`RISK_INPUTS`]: `debts`, `income`, `family_pressure`, `stigma_or_isolation`, `migration_intention`, `broker_contact` |
//!
//! # The follow-ups table, `beside.follow_ups/1`
//!
//! One row per trajectory: its next follow-up ([`Trajectory::follow_up`]).
//!
//! | column | type | null | meaning |
//! |---|---|---|---|
//! | `case_id` | utf8 | no | the trajectory's case |
//! | `assessment_id` | utf8 | no | the assessment counted from (the latest) |
//! | `from` | date32 | no | its day, on the case's calendar |
//! | `due_on` | date32 | no | the day the follow-up is due |
//! | `days` | uint32 | no | days from `from` to `due_on` |
//! | `reason` | `dictionary<int8, utf8>` | no | the rule that set the date (the shortest interval), [`FOLLOW_UP_CODES`]: `red_flags`, `risk`, `worst_level`, `nothing_rated` |
//! | `red_flags` | `list<dictionary<int8, utf8>>` | yes | reason `red_flags` only: the flags raised ([`RedFlag::ALL`]: `suicidal_thoughts`, `immediate_danger`, `untreated_injury`, `child_without_safe_caregiver`) |
//! | `risk_level` | `dictionary<int8, utf8>` | yes | reason `risk` only: the risk level |
//! | `domain` | utf8 | yes | reason `worst_level` only: the domain at the worst level |
//! | `level` | uint8 | yes | reason `worst_level` only: that level, 1 to 5 |
//! | `considered` | `list<struct>` | no | every rule that proposed an interval, shortest first, as [`FollowUpReason`]: `code` (dictionary, as `reason`), `days` (uint32, the days it proposed), and `red_flags`, `risk_level`, `domain`, `level` as above, null where the code has none |
//!
//! # The suppressed table, `beside.suppressed/1`
//!
//! A two-way table after small-cell suppression ([`crate::suppress_two_way`]) in long form:
//! its cells row by row, then the row totals, the column totals and the grand total. A margin
//! is told apart both by `cell_kind` and by a null `row` or `column` (a row total has no
//! column, a column total no row, the grand total neither), so `cell_kind == "cell"` and
//! "`row` and `column` both set" select the same rows.
//!
//! | column | type | null | meaning |
//! |---|---|---|---|
//! | `cell_kind` | `dictionary<int8, utf8>` | no | [`CELL_KINDS`]: `cell`, `row_total`, `column_total`, `total` |
//! | `row` | uint32 | yes | the row, 0 first; null for a column total and the grand total |
//! | `column` | uint32 | yes | the column, 0 first; null for a row total and the grand total |
//! | `count` | uint64 | yes | the number of people when published; null when suppressed (the bytes under a null are 0: a suppressed figure is never written) |
//! | `suppressed` | bool | no | whether the figure is suppressed |
//! | `why` | `dictionary<int8, utf8>` | yes | why suppressed, [`SUPPRESSION_CODES`] ([`Count::code`]): `below_threshold` (1 to `k - 1` people), `complementary` (so that no other figure gives one away), `cohort_too_small` (the table's total is below `k`); null when published |
//! | `k` | uint32 | no | the table's threshold |
//!
//! Every table's schema metadata names it and its version under
//! [`beside_core::table::SCHEMA_KEY`]. A new column or a new value of a dictionary column makes a
//! new version.

use crate::cohort::{Count, SuppressedTable};
use crate::error::ReintegrationError;
use crate::followup::{FollowUp, FollowUpReason};
use crate::risk::{
    BrokerContact, FamilyPressure, MigrationIntention, RiskAssessment, RiskBasis, RiskFactor,
    RiskInput, RiskLevel,
};
use crate::trajectory::{Setback, Trajectory, Trend};
use arrow_array::builder::StringBuilder;
use arrow_array::types::{Date32Type, Int8Type};
use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, DictionaryArray, Float64Array, Int8Array, ListArray,
    RecordBatch, StringArray, StructArray, TimestampMicrosecondArray, UInt32Array, UInt64Array,
    UInt8Array,
};
use arrow_buffer::{NullBuffer, OffsetBuffer};
use arrow_schema::{Field, Fields};
use beside_core::table::{record_batch, write_ipc_stream};
use beside_core::{Creditor, FieldError, Level, Reason};
use beside_needs::RedFlag;
use chrono::NaiveDate;
use std::sync::Arc;

/// The name and version of the points table, in its schema's metadata.
pub const POINTS: &str = "beside.points/1";
/// The name and version of the outcome scores table, in its schema's metadata.
pub const OUTCOME_SCORES: &str = "beside.outcome_scores/1";
/// The name and version of the trends table, in its schema's metadata.
pub const TRENDS: &str = "beside.trends/1";
/// The name and version of the setbacks table, in its schema's metadata.
pub const SETBACKS: &str = "beside.setbacks/1";
/// The name and version of the risk table, in its schema's metadata.
pub const RISK: &str = "beside.risk/1";
/// The name and version of the follow-ups table, in its schema's metadata.
pub const FOLLOW_UPS: &str = "beside.follow_ups/1";
/// The name and version of the suppressed table, in its schema's metadata.
pub const SUPPRESSED: &str = "beside.suppressed/1";

/// The trends, in the order of the `trend` dictionary (as [`Trend::key`] spells them).
pub const TREND_VALUES: [Trend; 4] = [
    Trend::Improving,
    Trend::Stable,
    Trend::Worsening,
    Trend::InsufficientData,
];

/// The kinds of setback, in the order of the `kind` dictionary (as [`Setback::code`] spells
/// them).
pub const SETBACK_KINDS: [&str; 2] = ["domain", "outcome"];

/// The risk factor codes, in the order of the `factors.code` dictionary (as
/// [`RiskFactor::code`] spells them).
pub const RISK_FACTOR_CODES: [&str; 8] = [
    "debt",
    "no_income",
    "irregular_income",
    "family_pressure",
    "stigma",
    "isolation",
    "intends_to_migrate",
    "broker_contact",
];

/// The risk basis codes, in the order of the `basis.code` dictionary (as [`RiskBasis::code`]
/// spells them).
pub const RISK_BASIS_CODES: [&str; 3] = ["points", "migration_with_broker", "too_little_known"];

/// The creditors, in the order of the `factors.creditor` dictionary (their serde names:
/// `family`, `broker`, `moneylender`, `microfinance`, `employer`, `other`).
pub const CREDITORS: [Creditor; 6] = [
    Creditor::Family,
    Creditor::Broker,
    Creditor::Moneylender,
    Creditor::Microfinance,
    Creditor::Employer,
    Creditor::Other,
];

/// The strengths of family pressure, in the order of the `factors.strength` dictionary
/// (their serde names: `unknown`, `none`, `some`, `strong`).
pub const FAMILY_PRESSURES: [FamilyPressure; 4] = [
    FamilyPressure::Unknown,
    FamilyPressure::None,
    FamilyPressure::Some,
    FamilyPressure::Strong,
];

/// The intentions to migrate, in the order of the `intention` dictionaries (their serde
/// names: `unknown`, `none`, `considering`, `planning`).
pub const MIGRATION_INTENTIONS: [MigrationIntention; 4] = [
    MigrationIntention::Unknown,
    MigrationIntention::None,
    MigrationIntention::Considering,
    MigrationIntention::Planning,
];

/// The contacts with a broker, in the order of the `contact` dictionaries (their serde names:
/// `unknown`, `none`, `past`, `recent`, `offer_received`).
pub const BROKER_CONTACTS: [BrokerContact; 5] = [
    BrokerContact::Unknown,
    BrokerContact::None,
    BrokerContact::Past,
    BrokerContact::Recent,
    BrokerContact::OfferReceived,
];

/// The risk inputs, in the order of the `unknown` dictionary (as [`RiskInput::key`] spells
/// them).
pub const RISK_INPUTS: [RiskInput; 6] = [
    RiskInput::Debts,
    RiskInput::Income,
    RiskInput::FamilyPressure,
    RiskInput::StigmaOrIsolation,
    RiskInput::MigrationIntention,
    RiskInput::BrokerContact,
];

/// The follow-up rule codes, in the order of the `reason` and `considered.code` dictionaries
/// (as [`FollowUpReason::code`] spells them).
pub const FOLLOW_UP_CODES: [&str; 4] = ["red_flags", "risk", "worst_level", "nothing_rated"];

/// The kinds of figure of a suppressed table, in the order of the `cell_kind` dictionary.
pub const CELL_KINDS: [&str; 4] = ["cell", "row_total", "column_total", "total"];

/// Why a figure is suppressed, in the order of the `why` dictionary (as [`Count::code`]
/// spells them; a published figure has no `why`).
pub const SUPPRESSION_CODES: [&str; 3] = ["below_threshold", "complementary", "cohort_too_small"];

/// A column of a table being written: its name, its values, whether it may hold nulls.
type Column = (&'static str, ArrayRef, bool);

fn internal(invariant: String) -> ReintegrationError {
    ReintegrationError::Internal { invariant }
}

/// The error of an array of `column` that Arrow would not build (the writer's own bug).
fn not_built(column: &str) -> impl FnOnce(arrow_schema::ArrowError) -> ReintegrationError + '_ {
    move |e| internal(format!("the `{column}` column to build ({e})"))
}

/// The dictionary key of `value` in `list`, the fixed values of the dictionary of `column`.
fn key_of<T: PartialEq>(list: &[T], value: &T, column: &str) -> Result<i8, ReintegrationError> {
    // INVARIANT: every dictionary lists every value of its type (the tests write each one),
    // and none has more than 127 values.
    list.iter()
        .position(|v| v == value)
        .and_then(|i| i8::try_from(i).ok())
        .ok_or_else(|| internal(format!("every value of `{column}` in its dictionary")))
}

/// A dictionary column: `keys` into the fixed `values`.
fn dict<S: AsRef<str>>(
    keys: Vec<Option<i8>>,
    values: &[S],
    column: &str,
) -> Result<ArrayRef, ReintegrationError> {
    let values: ArrayRef = Arc::new(StringArray::from_iter_values(
        values.iter().map(AsRef::as_ref),
    ));
    let a = DictionaryArray::<Int8Type>::try_new(Int8Array::from(keys), values)
        .map_err(not_built(column))?;
    Ok(Arc::new(a))
}

/// A dictionary column with no nulls.
fn dict_all<S: AsRef<str>>(
    keys: Vec<i8>,
    values: &[S],
    column: &str,
) -> Result<ArrayRef, ReintegrationError> {
    dict(keys.into_iter().map(Some).collect(), values, column)
}

/// The serde names of unit variants, in order: the values of a dictionary column of a type
/// with no `key()`.
fn serde_names<T: serde::Serialize>(values: &[T]) -> Result<Vec<String>, ReintegrationError> {
    values
        .iter()
        .map(|v| match serde_json::to_value(v) {
            Ok(serde_json::Value::String(name)) => Ok(name),
            // INVARIANT: the types listed are enums of unit variants, serialised as names.
            _ => Err(internal("a unit variant to serialise as its name".into())),
        })
        .collect()
}

/// A struct array of named fields (each field's values and whether it may hold nulls).
fn structs(fields: Vec<Column>, column: &str) -> Result<ArrayRef, ReintegrationError> {
    let (fields, arrays): (Vec<Field>, Vec<ArrayRef>) = fields
        .into_iter()
        .map(|(name, a, nullable)| (Field::new(name, a.data_type().clone(), nullable), a))
        .unzip();
    let s = StructArray::try_new(Fields::from(fields), arrays, None).map_err(not_built(column))?;
    Ok(Arc::new(s))
}

/// A list column: row `r` holds the next `lengths[r]` items of `values`; a row whose `valid`
/// is false is null (and has no items).
fn list(
    lengths: Vec<usize>,
    values: ArrayRef,
    valid: Option<Vec<bool>>,
    column: &str,
) -> Result<ArrayRef, ReintegrationError> {
    let offsets = OffsetBuffer::<i32>::try_from_lengths(lengths).map_err(|e| {
        internal(format!(
            "the items of `{column}` to fit 32-bit offsets ({e})"
        ))
    })?;
    let item = Arc::new(Field::new("item", values.data_type().clone(), false));
    let a = ListArray::try_new(item, offsets, values, valid.map(NullBuffer::from))
        .map_err(not_built(column))?;
    Ok(Arc::new(a))
}

fn utc(micros: Vec<i64>) -> ArrayRef {
    Arc::new(TimestampMicrosecondArray::from(micros).with_timezone("UTC"))
}

fn day(d: NaiveDate) -> i32 {
    Date32Type::from_naive_date(d)
}

/// Position `i` of a list at `path` as a uint32.
fn position(i: usize, path: impl FnOnce() -> String) -> Result<u32, ReintegrationError> {
    u32::try_from(i).map_err(|_| {
        FieldError::new(
            path(),
            Reason::TooMany {
                max: u32::MAX as usize,
                got: i.saturating_add(1),
            },
        )
        .into()
    })
}

/// Rule of a trajectory's shape: one score per point and outcome ([`Trajectory::scores`]). A
/// trajectory the model made always has it; one read from elsewhere is refused without.
fn check_scores(t: &Trajectory, n: usize) -> Result<(), ReintegrationError> {
    if t.points.len().checked_mul(t.trends.len()) != Some(t.scores.len()) {
        return Err(FieldError::new(
            format!("trajectories[{n}].scores"),
            Reason::Invalid {
                expected: format!(
                    "one score per point and outcome ({} points, {} outcomes)",
                    t.points.len(),
                    t.trends.len()
                ),
                value: format!("{} scores", t.scores.len()),
            },
        )
        .into());
    }
    Ok(())
}

/// The points table (`beside.points/1`, see the module docs) of `trajectories`.
pub fn points_table(trajectories: &[Trajectory]) -> Result<RecordBatch, ReintegrationError> {
    let mut case_id = StringBuilder::new();
    let mut point = Vec::new();
    let mut assessment_id = StringBuilder::new();
    let mut assessed_at = Vec::new();
    let mut index = Vec::new();
    let mut worst_level = Vec::new();
    for (n, t) in trajectories.iter().enumerate() {
        for (i, p) in t.points.iter().enumerate() {
            case_id.append_value(t.case_id.as_str());
            point.push(position(i, || format!("trajectories[{n}].points"))?);
            assessment_id.append_value(p.assessment_id.as_str());
            assessed_at.push(p.assessed_at.timestamp_micros());
            index.push(p.index);
            worst_level.push(p.worst_level.map(Level::number));
        }
    }
    let columns: Vec<Column> = vec![
        ("case_id", Arc::new(case_id.finish()), false),
        ("point", Arc::new(UInt32Array::from(point)), false),
        ("assessment_id", Arc::new(assessment_id.finish()), false),
        ("assessed_at", utc(assessed_at), false),
        ("index", Arc::new(Float64Array::from(index)), true),
        ("worst_level", Arc::new(UInt8Array::from(worst_level)), true),
    ];
    Ok(record_batch(POINTS, columns)?)
}

/// [`points_table`] as Arrow IPC stream bytes.
pub fn points_ipc(trajectories: &[Trajectory]) -> Result<Vec<u8>, ReintegrationError> {
    Ok(write_ipc_stream(&points_table(trajectories)?)?)
}

/// The outcome scores table (`beside.outcome_scores/1`, see the module docs) of
/// `trajectories`. A trajectory without one score per point and outcome is refused, naming
/// it (`trajectories[3].scores`).
pub fn outcome_scores_table(
    trajectories: &[Trajectory],
) -> Result<RecordBatch, ReintegrationError> {
    let mut case_id = StringBuilder::new();
    let mut point = Vec::new();
    let mut assessment_id = StringBuilder::new();
    let mut assessed_at = Vec::new();
    let mut outcome = StringBuilder::new();
    let mut score = Vec::new();
    let mut level = Vec::new();
    let mut rated_domains = Vec::new();
    for (n, t) in trajectories.iter().enumerate() {
        check_scores(t, n)?;
        for (i, p) in t.points.iter().enumerate() {
            let at = position(i, || format!("trajectories[{n}].points"))?;
            let row = t.scores_at(i);
            // INVARIANT: `check_scores` found one score per point and outcome.
            if row.len() != t.trends.len() {
                return Err(internal(format!(
                    "point {i} of trajectories[{n}] to have a score per outcome"
                )));
            }
            for (trend, s) in t.trends.iter().zip(row) {
                case_id.append_value(t.case_id.as_str());
                point.push(at);
                assessment_id.append_value(p.assessment_id.as_str());
                assessed_at.push(p.assessed_at.timestamp_micros());
                outcome.append_value(trend.outcome.as_str());
                score.push(s.score);
                level.push(s.level.map(Level::number));
                rated_domains.push(s.rated_domains);
            }
        }
    }
    let columns: Vec<Column> = vec![
        ("case_id", Arc::new(case_id.finish()), false),
        ("point", Arc::new(UInt32Array::from(point)), false),
        ("assessment_id", Arc::new(assessment_id.finish()), false),
        ("assessed_at", utc(assessed_at), false),
        ("outcome", Arc::new(outcome.finish()), false),
        ("score", Arc::new(Float64Array::from(score)), true),
        ("level", Arc::new(UInt8Array::from(level)), true),
        (
            "rated_domains",
            Arc::new(UInt32Array::from(rated_domains)),
            false,
        ),
    ];
    Ok(record_batch(OUTCOME_SCORES, columns)?)
}

/// [`outcome_scores_table`] as Arrow IPC stream bytes.
pub fn outcome_scores_ipc(trajectories: &[Trajectory]) -> Result<Vec<u8>, ReintegrationError> {
    Ok(write_ipc_stream(&outcome_scores_table(trajectories)?)?)
}

/// The trends table (`beside.trends/1`, see the module docs) of `trajectories`.
pub fn trends_table(trajectories: &[Trajectory]) -> Result<RecordBatch, ReintegrationError> {
    let mut case_id = StringBuilder::new();
    let mut profile = StringBuilder::new();
    let mut outcome = StringBuilder::new();
    let mut weight = Vec::new();
    let mut total_domains = Vec::new();
    let mut trend = Vec::new();
    let (mut first, mut latest, mut change, mut lowest) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut scored = Vec::new();
    for t in trajectories {
        for o in &t.trends {
            case_id.append_value(t.case_id.as_str());
            profile.append_value(&t.profile);
            outcome.append_value(o.outcome.as_str());
            weight.push(o.weight);
            total_domains.push(o.total_domains);
            trend.push(key_of(&TREND_VALUES, &o.trend, "trend")?);
            first.push(o.first);
            latest.push(o.latest);
            change.push(o.change);
            lowest.push(o.lowest);
            scored.push(o.scored);
        }
    }
    let trends: Vec<&str> = TREND_VALUES.iter().map(|t| t.key()).collect();
    let float = |v: Vec<Option<f64>>| Arc::new(Float64Array::from(v)) as ArrayRef;
    let columns: Vec<Column> = vec![
        ("case_id", Arc::new(case_id.finish()), false),
        ("profile", Arc::new(profile.finish()), false),
        ("outcome", Arc::new(outcome.finish()), false),
        ("weight", Arc::new(Float64Array::from(weight)), false),
        (
            "total_domains",
            Arc::new(UInt32Array::from(total_domains)),
            false,
        ),
        ("trend", dict_all(trend, &trends, "trend")?, false),
        ("first", float(first), true),
        ("latest", float(latest), true),
        ("change", float(change), true),
        ("lowest", float(lowest), true),
        ("scored", Arc::new(UInt32Array::from(scored)), false),
    ];
    Ok(record_batch(TRENDS, columns)?)
}

/// [`trends_table`] as Arrow IPC stream bytes.
pub fn trends_ipc(trajectories: &[Trajectory]) -> Result<Vec<u8>, ReintegrationError> {
    Ok(write_ipc_stream(&trends_table(trajectories)?)?)
}

/// The setbacks table (`beside.setbacks/1`, see the module docs) of `trajectories`.
pub fn setbacks_table(trajectories: &[Trajectory]) -> Result<RecordBatch, ReintegrationError> {
    let mut case_id = StringBuilder::new();
    let mut kind = Vec::new();
    let (mut point, mut previous, mut on) = (Vec::new(), Vec::new(), Vec::new());
    let mut domain = StringBuilder::new();
    let (mut from_level, mut to_level) = (Vec::new(), Vec::new());
    let mut outcome = StringBuilder::new();
    let (mut from_score, mut to_score) = (Vec::new(), Vec::new());
    for t in trajectories {
        for s in &t.setbacks {
            case_id.append_value(t.case_id.as_str());
            kind.push(key_of(&SETBACK_KINDS, &s.code(), "kind")?);
            match s {
                Setback::Domain {
                    domain: key,
                    from,
                    to,
                    point: at,
                    previous: before,
                    on: day_on,
                } => {
                    point.push(*at);
                    previous.push(*before);
                    on.push(day(*day_on));
                    domain.append_value(key.as_str());
                    from_level.push(Some(from.number()));
                    to_level.push(Some(to.number()));
                    outcome.append_null();
                    from_score.push(None);
                    to_score.push(None);
                }
                Setback::Outcome {
                    outcome: key,
                    from,
                    to,
                    point: at,
                    previous: before,
                    on: day_on,
                } => {
                    point.push(*at);
                    previous.push(*before);
                    on.push(day(*day_on));
                    domain.append_null();
                    from_level.push(None);
                    to_level.push(None);
                    outcome.append_value(key.as_str());
                    from_score.push(Some(*from));
                    to_score.push(Some(*to));
                }
            }
        }
    }
    let columns: Vec<Column> = vec![
        ("case_id", Arc::new(case_id.finish()), false),
        ("kind", dict_all(kind, &SETBACK_KINDS, "kind")?, false),
        ("point", Arc::new(UInt32Array::from(point)), false),
        ("previous", Arc::new(UInt32Array::from(previous)), false),
        ("on", Arc::new(Date32Array::from(on)), false),
        ("domain", Arc::new(domain.finish()), true),
        ("from_level", Arc::new(UInt8Array::from(from_level)), true),
        ("to_level", Arc::new(UInt8Array::from(to_level)), true),
        ("outcome", Arc::new(outcome.finish()), true),
        ("from_score", Arc::new(Float64Array::from(from_score)), true),
        ("to_score", Arc::new(Float64Array::from(to_score)), true),
    ];
    Ok(record_batch(SETBACKS, columns)?)
}

/// [`setbacks_table`] as Arrow IPC stream bytes.
pub fn setbacks_ipc(trajectories: &[Trajectory]) -> Result<Vec<u8>, ReintegrationError> {
    Ok(write_ipc_stream(&setbacks_table(trajectories)?)?)
}

/// The fields of the `factors` structs.
#[derive(Default)]
struct FactorColumns {
    code: Vec<i8>,
    points: Vec<u32>,
    creditor: Vec<Option<i8>>,
    count: Vec<Option<u32>>,
    strength: Vec<Option<i8>>,
    intention: Vec<Option<i8>>,
    contact: Vec<Option<i8>>,
}

impl FactorColumns {
    fn push(&mut self, f: &RiskFactor) -> Result<(), ReintegrationError> {
        self.code
            .push(key_of(&RISK_FACTOR_CODES, &f.code(), "factors.code")?);
        self.points.push(f.points());
        let (mut creditor, mut count, mut strength, mut intention, mut contact) =
            (None, None, None, None, None);
        match f {
            RiskFactor::Debt {
                creditor: c,
                count: n,
                ..
            } => {
                creditor = Some(key_of(&CREDITORS, c, "factors.creditor")?);
                count = Some(*n);
            }
            RiskFactor::FamilyPressure { strength: s, .. } => {
                strength = Some(key_of(&FAMILY_PRESSURES, s, "factors.strength")?);
            }
            RiskFactor::IntendsToMigrate { intention: i, .. } => {
                intention = Some(key_of(&MIGRATION_INTENTIONS, i, "factors.intention")?);
            }
            RiskFactor::BrokerContact { contact: c, .. } => {
                contact = Some(key_of(&BROKER_CONTACTS, c, "factors.contact")?);
            }
            RiskFactor::NoIncome { .. }
            | RiskFactor::IrregularIncome { .. }
            | RiskFactor::Stigma { .. }
            | RiskFactor::Isolation { .. } => {}
        }
        self.creditor.push(creditor);
        self.count.push(count);
        self.strength.push(strength);
        self.intention.push(intention);
        self.contact.push(contact);
        Ok(())
    }

    fn finish(self, names: &Names) -> Result<ArrayRef, ReintegrationError> {
        structs(
            vec![
                (
                    "code",
                    dict_all(self.code, &RISK_FACTOR_CODES, "factors.code")?,
                    false,
                ),
                ("points", Arc::new(UInt32Array::from(self.points)), false),
                (
                    "creditor",
                    dict(self.creditor, &names.creditors, "factors.creditor")?,
                    true,
                ),
                ("count", Arc::new(UInt32Array::from(self.count)), true),
                (
                    "strength",
                    dict(self.strength, &names.pressures, "factors.strength")?,
                    true,
                ),
                (
                    "intention",
                    dict(self.intention, &names.intentions, "factors.intention")?,
                    true,
                ),
                (
                    "contact",
                    dict(self.contact, &names.contacts, "factors.contact")?,
                    true,
                ),
            ],
            "factors",
        )
    }
}

/// The fields of the `basis` structs.
#[derive(Default)]
struct BasisColumns {
    code: Vec<i8>,
    level: Vec<i8>,
    points: Vec<Option<u32>>,
    moderate_from: Vec<Option<u32>>,
    high_from: Vec<Option<u32>>,
    intention: Vec<Option<i8>>,
    contact: Vec<Option<i8>>,
    unknown: Vec<Option<u32>>,
    max_unknown: Vec<Option<u32>>,
}

impl BasisColumns {
    fn push(&mut self, b: &RiskBasis) -> Result<(), ReintegrationError> {
        self.code
            .push(key_of(&RISK_BASIS_CODES, &b.code(), "basis.code")?);
        self.level
            .push(key_of(&RiskLevel::ALL, &b.level(), "basis.level")?);
        let (mut points, mut moderate, mut high) = (None, None, None);
        let (mut intention, mut contact) = (None, None);
        let (mut unknown, mut max_unknown) = (None, None);
        match b {
            RiskBasis::Points {
                points: p,
                moderate_from,
                high_from,
                ..
            } => {
                points = Some(*p);
                moderate = Some(*moderate_from);
                high = Some(*high_from);
            }
            RiskBasis::MigrationWithBroker {
                intention: i,
                contact: c,
            } => {
                intention = Some(key_of(&MIGRATION_INTENTIONS, i, "basis.intention")?);
                contact = Some(key_of(&BROKER_CONTACTS, c, "basis.contact")?);
            }
            RiskBasis::TooLittleKnown {
                unknown: u,
                max_unknown: m,
            } => {
                unknown = Some(*u);
                max_unknown = Some(*m);
            }
        }
        self.points.push(points);
        self.moderate_from.push(moderate);
        self.high_from.push(high);
        self.intention.push(intention);
        self.contact.push(contact);
        self.unknown.push(unknown);
        self.max_unknown.push(max_unknown);
        Ok(())
    }

    fn finish(self, names: &Names) -> Result<ArrayRef, ReintegrationError> {
        let levels: Vec<&str> = RiskLevel::ALL.iter().map(|l| l.key()).collect();
        let u32s = |v: Vec<Option<u32>>| Arc::new(UInt32Array::from(v)) as ArrayRef;
        structs(
            vec![
                (
                    "code",
                    dict_all(self.code, &RISK_BASIS_CODES, "basis.code")?,
                    false,
                ),
                (
                    "level",
                    dict_all(self.level, &levels, "basis.level")?,
                    false,
                ),
                ("points", u32s(self.points), true),
                ("moderate_from", u32s(self.moderate_from), true),
                ("high_from", u32s(self.high_from), true),
                (
                    "intention",
                    dict(self.intention, &names.intentions, "basis.intention")?,
                    true,
                ),
                (
                    "contact",
                    dict(self.contact, &names.contacts, "basis.contact")?,
                    true,
                ),
                ("unknown", u32s(self.unknown), true),
                ("max_unknown", u32s(self.max_unknown), true),
            ],
            "basis",
        )
    }
}

/// The values of the dictionaries of types with no `key()`: their serde names.
struct Names {
    creditors: Vec<String>,
    pressures: Vec<String>,
    intentions: Vec<String>,
    contacts: Vec<String>,
}

impl Names {
    fn new() -> Result<Self, ReintegrationError> {
        Ok(Names {
            creditors: serde_names(&CREDITORS)?,
            pressures: serde_names(&FAMILY_PRESSURES)?,
            intentions: serde_names(&MIGRATION_INTENTIONS)?,
            contacts: serde_names(&BROKER_CONTACTS)?,
        })
    }
}

/// The risk table (`beside.risk/1`, see the module docs) of `risks`, such as
/// `trajectories.iter().filter_map(|t| t.risk.as_ref())`.
pub fn risk_table<'a>(
    risks: impl IntoIterator<Item = &'a RiskAssessment>,
) -> Result<RecordBatch, ReintegrationError> {
    let mut case_id = StringBuilder::new();
    let mut recorded_on = Vec::new();
    let mut level = Vec::new();
    let mut points = Vec::new();
    let mut factor_lengths = Vec::new();
    let mut factors = FactorColumns::default();
    let mut basis_lengths = Vec::new();
    let mut basis = BasisColumns::default();
    let mut unknown_lengths = Vec::new();
    let mut unknown = Vec::new();
    for r in risks {
        case_id.append_value(r.case_id.as_str());
        recorded_on.push(day(r.recorded_on));
        level.push(key_of(&RiskLevel::ALL, &r.level, "level")?);
        // The rule's own sum (`assess_risk`): saturating, as the `points` basis holds it.
        points.push(
            r.factors
                .iter()
                .fold(0u32, |s, f| s.saturating_add(f.points())),
        );
        factor_lengths.push(r.factors.len());
        for f in &r.factors {
            factors.push(f)?;
        }
        basis_lengths.push(r.basis.len());
        for b in &r.basis {
            basis.push(b)?;
        }
        unknown_lengths.push(r.unknown.len());
        for u in &r.unknown {
            unknown.push(key_of(&RISK_INPUTS, u, "unknown")?);
        }
    }
    let names = Names::new()?;
    let levels: Vec<&str> = RiskLevel::ALL.iter().map(|l| l.key()).collect();
    let inputs: Vec<&str> = RISK_INPUTS.iter().map(|i| i.key()).collect();
    let columns: Vec<Column> = vec![
        ("case_id", Arc::new(case_id.finish()), false),
        (
            "recorded_on",
            Arc::new(Date32Array::from(recorded_on)),
            false,
        ),
        ("level", dict_all(level, &levels, "level")?, false),
        ("points", Arc::new(UInt32Array::from(points)), false),
        (
            "factors",
            list(factor_lengths, factors.finish(&names)?, None, "factors")?,
            false,
        ),
        (
            "basis",
            list(basis_lengths, basis.finish(&names)?, None, "basis")?,
            false,
        ),
        (
            "unknown",
            list(
                unknown_lengths,
                dict_all(unknown, &inputs, "unknown")?,
                None,
                "unknown",
            )?,
            false,
        ),
    ];
    Ok(record_batch(RISK, columns)?)
}

/// [`risk_table`] as Arrow IPC stream bytes.
pub fn risk_ipc<'a>(
    risks: impl IntoIterator<Item = &'a RiskAssessment>,
) -> Result<Vec<u8>, ReintegrationError> {
    Ok(write_ipc_stream(&risk_table(risks)?)?)
}

/// The columns of follow-up rules: `reason` and its figures, or the `considered` structs.
#[derive(Default)]
struct ReasonColumns {
    code: Vec<i8>,
    days: Vec<u32>,
    flag_lengths: Vec<usize>,
    flag_valid: Vec<bool>,
    flags: Vec<i8>,
    risk_level: Vec<Option<i8>>,
    domain: StringBuilder,
    level: Vec<Option<u8>>,
}

/// The arrays of [`ReasonColumns`], by field.
struct ReasonArrays {
    code: ArrayRef,
    days: ArrayRef,
    red_flags: ArrayRef,
    risk_level: ArrayRef,
    domain: ArrayRef,
    level: ArrayRef,
}

impl ReasonColumns {
    fn push(&mut self, r: &FollowUpReason, column: &str) -> Result<(), ReintegrationError> {
        self.code.push(key_of(&FOLLOW_UP_CODES, &r.code(), column)?);
        self.days.push(r.days());
        let (mut flags, mut risk_level, mut domain, mut level) = (None, None, None, None);
        match r {
            FollowUpReason::RedFlags { flags: f, .. } => flags = Some(f),
            FollowUpReason::Risk { level: l, .. } => {
                risk_level = Some(key_of(&RiskLevel::ALL, l, "risk_level")?);
            }
            FollowUpReason::WorstLevel {
                domain: d,
                level: l,
                ..
            } => {
                domain = Some(d.as_str());
                level = Some(l.number());
            }
            FollowUpReason::NothingRated { .. } => {}
        }
        match flags {
            Some(f) => {
                self.flag_lengths.push(f.len());
                self.flag_valid.push(true);
                for flag in f {
                    self.flags.push(key_of(&RedFlag::ALL, flag, "red_flags")?);
                }
            }
            None => {
                self.flag_lengths.push(0);
                self.flag_valid.push(false);
            }
        }
        self.risk_level.push(risk_level);
        self.domain.append_option(domain);
        self.level.push(level);
        Ok(())
    }

    fn finish(mut self, column: &str) -> Result<ReasonArrays, ReintegrationError> {
        let flags: Vec<&str> = RedFlag::ALL.iter().map(|f| f.key()).collect();
        let levels: Vec<&str> = RiskLevel::ALL.iter().map(|l| l.key()).collect();
        Ok(ReasonArrays {
            code: dict_all(self.code, &FOLLOW_UP_CODES, column)?,
            days: Arc::new(UInt32Array::from(self.days)),
            red_flags: list(
                self.flag_lengths,
                dict_all(self.flags, &flags, "red_flags")?,
                Some(self.flag_valid),
                "red_flags",
            )?,
            risk_level: dict(self.risk_level, &levels, "risk_level")?,
            domain: Arc::new(self.domain.finish()),
            level: Arc::new(UInt8Array::from(self.level)),
        })
    }
}

/// The follow-ups table (`beside.follow_ups/1`, see the module docs) of `trajectories`.
pub fn follow_ups_table(trajectories: &[Trajectory]) -> Result<RecordBatch, ReintegrationError> {
    let mut case_id = StringBuilder::new();
    let mut assessment_id = StringBuilder::new();
    let (mut from, mut due_on, mut days) = (Vec::new(), Vec::new(), Vec::new());
    let mut reason = ReasonColumns::default();
    let mut considered_lengths = Vec::new();
    let mut considered = ReasonColumns::default();
    for t in trajectories {
        let f: &FollowUp = &t.follow_up;
        case_id.append_value(t.case_id.as_str());
        assessment_id.append_value(f.assessment_id.as_str());
        from.push(day(f.from));
        due_on.push(day(f.due_on));
        days.push(f.days);
        reason.push(&f.reason, "reason")?;
        considered_lengths.push(f.considered.len());
        for c in &f.considered {
            considered.push(c, "considered.code")?;
        }
    }
    let reason = reason.finish("reason")?;
    let c = considered.finish("considered.code")?;
    let considered = structs(
        vec![
            ("code", c.code, false),
            ("days", c.days, false),
            ("red_flags", c.red_flags, true),
            ("risk_level", c.risk_level, true),
            ("domain", c.domain, true),
            ("level", c.level, true),
        ],
        "considered",
    )?;
    let columns: Vec<Column> = vec![
        ("case_id", Arc::new(case_id.finish()), false),
        ("assessment_id", Arc::new(assessment_id.finish()), false),
        ("from", Arc::new(Date32Array::from(from)), false),
        ("due_on", Arc::new(Date32Array::from(due_on)), false),
        ("days", Arc::new(UInt32Array::from(days)), false),
        ("reason", reason.code, false),
        ("red_flags", reason.red_flags, true),
        ("risk_level", reason.risk_level, true),
        ("domain", reason.domain, true),
        ("level", reason.level, true),
        (
            "considered",
            list(considered_lengths, considered, None, "considered")?,
            false,
        ),
    ];
    Ok(record_batch(FOLLOW_UPS, columns)?)
}

/// [`follow_ups_table`] as Arrow IPC stream bytes.
pub fn follow_ups_ipc(trajectories: &[Trajectory]) -> Result<Vec<u8>, ReintegrationError> {
    Ok(write_ipc_stream(&follow_ups_table(trajectories)?)?)
}

/// The error of a line of a suppressed table whose length does not fit the others.
fn ragged(path: String, expected: String, got: usize) -> ReintegrationError {
    FieldError::new(
        path,
        Reason::Invalid {
            expected,
            value: format!("{got} figures"),
        },
    )
    .into()
}

/// The suppressed table (`beside.suppressed/1`, see the module docs) of a two-way table after
/// suppression. A table whose rows are not all as long as its column totals, or whose row
/// totals are not one per row, is refused, naming the line (`cells[2]`).
pub fn suppressed_table(table: &SuppressedTable) -> Result<RecordBatch, ReintegrationError> {
    let columns = table.column_totals.len();
    if table.row_totals.len() != table.cells.len() {
        return Err(ragged(
            "row_totals".into(),
            format!("one total per row ({} rows)", table.cells.len()),
            table.row_totals.len(),
        ));
    }
    let mut figures: Vec<(&str, Option<usize>, Option<usize>, Count)> = Vec::new();
    for (i, row) in table.cells.iter().enumerate() {
        if row.len() != columns {
            return Err(ragged(
                format!("cells[{i}]"),
                format!("a row of {columns} cells, one per column total"),
                row.len(),
            ));
        }
        figures.extend(
            row.iter()
                .enumerate()
                .map(|(j, c)| ("cell", Some(i), Some(j), *c)),
        );
    }
    figures.extend(
        table
            .row_totals
            .iter()
            .enumerate()
            .map(|(i, c)| ("row_total", Some(i), None, *c)),
    );
    figures.extend(
        table
            .column_totals
            .iter()
            .enumerate()
            .map(|(j, c)| ("column_total", None, Some(j), *c)),
    );
    figures.push(("total", None, None, table.total));
    let mut kind = Vec::with_capacity(figures.len());
    let mut row = Vec::with_capacity(figures.len());
    let mut column = Vec::with_capacity(figures.len());
    let mut count = Vec::with_capacity(figures.len());
    let mut suppressed = Vec::with_capacity(figures.len());
    let mut why = Vec::with_capacity(figures.len());
    for (k, i, j, c) in figures {
        kind.push(key_of(&CELL_KINDS, &k, "cell_kind")?);
        row.push(i.map(|i| position(i, || "cells".into())).transpose()?);
        column.push(
            j.map(|j| position(j, || "column_totals".into()))
                .transpose()?,
        );
        // A suppressed figure is a null whose value bytes are 0: the table never holds it.
        count.push(c.value());
        suppressed.push(c.value().is_none());
        why.push(match c {
            Count::Published { .. } => None,
            Count::BelowThreshold { .. }
            | Count::Complementary { .. }
            | Count::CohortTooSmall { .. } => Some(key_of(&SUPPRESSION_CODES, &c.code(), "why")?),
        });
    }
    let k = vec![table.k; kind.len()];
    let columns: Vec<Column> = vec![
        (
            "cell_kind",
            dict_all(kind, &CELL_KINDS, "cell_kind")?,
            false,
        ),
        ("row", Arc::new(UInt32Array::from(row)), true),
        ("column", Arc::new(UInt32Array::from(column)), true),
        ("count", Arc::new(UInt64Array::from(count)), true),
        (
            "suppressed",
            Arc::new(BooleanArray::from(suppressed)),
            false,
        ),
        ("why", dict(why, &SUPPRESSION_CODES, "why")?, true),
        ("k", Arc::new(UInt32Array::from(k)), false),
    ];
    Ok(record_batch(SUPPRESSED, columns)?)
}

/// [`suppressed_table`] as Arrow IPC stream bytes.
pub fn suppressed_ipc(table: &SuppressedTable) -> Result<Vec<u8>, ReintegrationError> {
    Ok(write_ipc_stream(&suppressed_table(table)?)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cohort::suppress_two_way;
    use crate::followup::{next_follow_up, FollowUpConfig};
    use crate::model::ReintegrationModel;
    use crate::outcome::OutcomeKey;
    use crate::risk::{assess_risk, Income, RiskConfig, RiskInputs, SocialSituation};
    use crate::synthetic::people::synthetic_cases;
    use arrow_array::cast::AsArray;
    use arrow_array::Array;
    use beside_core::table::{read_ipc_stream, SCHEMA_KEY};
    use beside_core::{AssessmentId, CaseId, Debt, DomainKey, Timestamp};
    use chrono::TimeZone as _;
    use proptest::prelude::*;
    use std::collections::HashSet;

    fn as_of() -> Timestamp {
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 30, 18, 0, 0)
            .unwrap()
    }

    /// The trajectories of 60 synthetic cases, each on its own calendar, with its risk but
    /// for every fifth case (given no risk inputs).
    fn trajectories() -> Vec<Trajectory> {
        let model = ReintegrationModel::default();
        synthetic_cases(60, 16, as_of())
            .unwrap()
            .enumerate()
            .map(|(i, case)| {
                let case = case.unwrap();
                model
                    .trajectory_in(
                        &case.assessments,
                        &case.timeline.events,
                        case.timeline.latest_risk_inputs().filter(|_| i % 5 != 0),
                        as_of(),
                        case.profile.calendar(),
                    )
                    .unwrap()
            })
            .collect()
    }

    /// Risk assessments with every factor and every basis: the synthetic cases' and two
    /// made for it.
    fn risks(trajectories: &[Trajectory]) -> Vec<RiskAssessment> {
        let debt = |creditor| Debt {
            creditor,
            amount: None,
            currency: None,
        };
        let all = RiskInputs {
            case_id: CaseId::new("made-1").unwrap(),
            recorded_on: "2026-05-01".parse().unwrap(),
            debts: Some(vec![
                debt(Creditor::Broker),
                debt(Creditor::Family),
                debt(Creditor::Family),
                debt(Creditor::Microfinance),
            ]),
            income: Income::None,
            family_pressure: FamilyPressure::Strong,
            stigma_or_isolation: SocialSituation::Both,
            migration_intention: MigrationIntention::Planning,
            broker_contact: BrokerContact::OfferReceived,
        };
        let unknown = RiskInputs {
            case_id: CaseId::new("made-2").unwrap(),
            debts: None,
            income: Income::Irregular,
            family_pressure: FamilyPressure::Unknown,
            stigma_or_isolation: SocialSituation::Unknown,
            migration_intention: MigrationIntention::Considering,
            broker_contact: BrokerContact::Unknown,
            ..all.clone()
        };
        let config = RiskConfig::default();
        trajectories
            .iter()
            .filter_map(|t| t.risk.clone())
            .chain([assess_risk(&all, &config), assess_risk(&unknown, &config)])
            .collect()
    }

    /// The one batch of an IPC stream, checking its name.
    fn read(bytes: &[u8], name: &str) -> RecordBatch {
        let (schema, batches) = read_ipc_stream(bytes).unwrap();
        assert_eq!(
            schema.metadata().get(SCHEMA_KEY).map(String::as_str),
            Some(name)
        );
        assert_eq!(batches.len(), 1);
        batches.into_iter().next().unwrap()
    }

    fn col<'b, T: 'static>(b: &'b dyn StructLike, name: &str) -> &'b T {
        b.column(name)
            .as_any()
            .downcast_ref::<T>()
            .unwrap_or_else(|| panic!("column `{name}` of another type"))
    }

    /// A record batch or a struct array: columns by name.
    trait StructLike {
        fn column(&self, name: &str) -> &ArrayRef;
    }
    impl StructLike for RecordBatch {
        fn column(&self, name: &str) -> &ArrayRef {
            self.column_by_name(name)
                .unwrap_or_else(|| panic!("no column `{name}`"))
        }
    }
    impl StructLike for StructArray {
        fn column(&self, name: &str) -> &ArrayRef {
            self.column_by_name(name)
                .unwrap_or_else(|| panic!("no field `{name}`"))
        }
    }

    fn text(b: &dyn StructLike, name: &str, i: usize) -> Option<String> {
        let a = col::<StringArray>(b, name);
        a.is_valid(i).then(|| a.value(i).to_owned())
    }

    fn code(b: &dyn StructLike, name: &str, i: usize) -> Option<String> {
        let d = col::<DictionaryArray<Int8Type>>(b, name);
        d.is_valid(i).then(|| {
            let values = d.values().as_string::<i32>();
            values.value(d.keys().value(i) as usize).to_owned()
        })
    }

    /// A value from its serde name.
    fn named<T: serde::de::DeserializeOwned>(name: Option<String>) -> T {
        serde_json::from_value(serde_json::Value::String(name.unwrap())).unwrap()
    }

    fn u32_at(b: &dyn StructLike, name: &str, i: usize) -> Option<u32> {
        let a = col::<UInt32Array>(b, name);
        a.is_valid(i).then(|| a.value(i))
    }

    fn u8_at(b: &dyn StructLike, name: &str, i: usize) -> Option<u8> {
        let a = col::<UInt8Array>(b, name);
        a.is_valid(i).then(|| a.value(i))
    }

    fn f64_at(b: &dyn StructLike, name: &str, i: usize) -> Option<f64> {
        let a = col::<Float64Array>(b, name);
        a.is_valid(i).then(|| a.value(i))
    }

    fn date_at(b: &dyn StructLike, name: &str, i: usize) -> NaiveDate {
        Date32Type::to_naive_date_opt(col::<Date32Array>(b, name).value(i)).unwrap()
    }

    fn level(n: Option<u8>) -> Level {
        Level::from_number(n.unwrap()).unwrap()
    }

    /// The items of row `i` of a `list<struct>` column.
    fn items(b: &dyn StructLike, name: &str, i: usize) -> StructArray {
        col::<ListArray>(b, name).value(i).as_struct().clone()
    }

    /// The codes of row `i` of a `list<dictionary>` column (`None` for a null row).
    fn codes(b: &dyn StructLike, name: &str, i: usize) -> Option<Vec<String>> {
        let l = col::<ListArray>(b, name);
        l.is_valid(i).then(|| {
            let d = l.value(i);
            let d = d.as_dictionary::<Int8Type>();
            let values = d.values().as_string::<i32>();
            (0..d.len())
                .map(|j| values.value(d.keys().value(j) as usize).to_owned())
                .collect()
        })
    }

    #[test]
    fn the_synthetic_trajectories_use_every_kind_of_row() {
        let t = trajectories();
        let setbacks: HashSet<&str> = t
            .iter()
            .flat_map(|t| &t.setbacks)
            .map(Setback::code)
            .collect();
        assert_eq!(setbacks.len(), SETBACK_KINDS.len(), "{setbacks:?}");
        assert!(t.iter().any(|t| t.risk.is_none()));
        let codes: HashSet<&str> = risks(&t)
            .iter()
            .flat_map(|r| &r.factors)
            .map(RiskFactor::code)
            .collect();
        assert_eq!(codes.len(), RISK_FACTOR_CODES.len(), "{codes:?}");
        let bases: HashSet<&str> = risks(&t)
            .iter()
            .flat_map(|r| &r.basis)
            .map(RiskBasis::code)
            .collect();
        assert_eq!(bases.len(), RISK_BASIS_CODES.len(), "{bases:?}");
    }

    #[test]
    fn every_point_appears_once_with_its_figures() {
        let t = trajectories();
        let b = read(&points_ipc(&t).unwrap(), POINTS);
        assert_eq!(b, points_table(&t).unwrap());
        let want: Vec<_> = t
            .iter()
            .flat_map(|t| t.points.iter().enumerate().map(move |(i, p)| (t, i, p)))
            .collect();
        assert_eq!(b.num_rows(), want.len());
        let at = col::<TimestampMicrosecondArray>(&b, "assessed_at");
        for (row, (t, i, p)) in want.into_iter().enumerate() {
            assert_eq!(text(&b, "case_id", row).unwrap(), t.case_id.as_str());
            assert_eq!(u32_at(&b, "point", row), Some(i as u32));
            assert_eq!(
                text(&b, "assessment_id", row).unwrap(),
                p.assessment_id.as_str()
            );
            assert_eq!(at.value(row), p.assessed_at.timestamp_micros());
            assert_eq!(f64_at(&b, "index", row), p.index);
            assert_eq!(
                u8_at(&b, "worst_level", row),
                p.worst_level.map(Level::number)
            );
        }
    }

    #[test]
    fn every_point_score_appears_once_with_the_same_score() {
        let t = trajectories();
        let b = read(&outcome_scores_ipc(&t).unwrap(), OUTCOME_SCORES);
        let cells: usize = t.iter().map(|t| t.scores.len()).sum();
        assert_eq!(b.num_rows(), cells);
        assert!(cells > 0);
        let at = col::<TimestampMicrosecondArray>(&b, "assessed_at");
        let mut seen = HashSet::new();
        let mut nulls = 0;
        for row in 0..b.num_rows() {
            let case = text(&b, "case_id", row).unwrap();
            let point = u32_at(&b, "point", row).unwrap() as usize;
            let outcome = OutcomeKey::new(&text(&b, "outcome", row).unwrap()).unwrap();
            assert!(
                seen.insert((case.clone(), point, outcome.clone())),
                "{case} {point} {outcome}"
            );
            let tr = t.iter().find(|t| t.case_id.as_str() == case).unwrap();
            let p = &tr.points[point];
            assert_eq!(
                text(&b, "assessment_id", row).unwrap(),
                p.assessment_id.as_str()
            );
            assert_eq!(at.value(row), p.assessed_at.timestamp_micros());
            let o = tr.trends.iter().position(|x| x.outcome == outcome).unwrap();
            let s = tr.scores_at(point)[o];
            assert_eq!(f64_at(&b, "score", row), s.score);
            assert_eq!(tr.score(point, &outcome), s.score);
            assert_eq!(u8_at(&b, "level", row), s.level.map(Level::number));
            assert_eq!(u32_at(&b, "rated_domains", row), Some(s.rated_domains));
            nulls += usize::from(s.score.is_none());
        }
        assert_eq!(col::<Float64Array>(&b, "score").null_count(), nulls);
    }

    #[test]
    fn a_trajectory_without_a_score_per_point_and_outcome_is_refused_by_name() {
        let mut t = trajectories();
        t[1].scores.pop();
        let e = outcome_scores_table(&t).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("trajectories[1].scores: must be one score per point and outcome"),
            "{e}"
        );
        assert!(matches!(e, ReintegrationError::Invalid { .. }));
        // No outcome at all: no cell, no row, no error.
        let mut bare = trajectories();
        for t in &mut bare {
            t.trends.clear();
            t.scores.clear();
        }
        assert_eq!(outcome_scores_table(&bare).unwrap().num_rows(), 0);
    }

    #[test]
    fn the_trends_table_holds_every_trend() {
        let t = trajectories();
        let b = read(&trends_ipc(&t).unwrap(), TRENDS);
        let want: Vec<_> = t
            .iter()
            .flat_map(|t| t.trends.iter().map(move |o| (t, o)))
            .collect();
        assert_eq!(b.num_rows(), want.len());
        let weight = col::<Float64Array>(&b, "weight");
        for (row, (t, o)) in want.into_iter().enumerate() {
            assert_eq!(text(&b, "case_id", row).unwrap(), t.case_id.as_str());
            assert_eq!(text(&b, "profile", row).unwrap(), t.profile);
            assert_eq!(text(&b, "outcome", row).unwrap(), o.outcome.as_str());
            assert_eq!(weight.value(row), o.weight);
            assert_eq!(u32_at(&b, "total_domains", row), Some(o.total_domains));
            assert_eq!(named::<Trend>(code(&b, "trend", row)), o.trend);
            assert_eq!(code(&b, "trend", row).unwrap(), o.trend.key());
            assert_eq!(f64_at(&b, "first", row), o.first);
            assert_eq!(f64_at(&b, "latest", row), o.latest);
            assert_eq!(f64_at(&b, "change", row), o.change);
            assert_eq!(f64_at(&b, "lowest", row), o.lowest);
            assert_eq!(u32_at(&b, "scored", row), Some(o.scored));
        }
    }

    #[test]
    fn every_setback_appears_once_with_its_figures() {
        let t = trajectories();
        let b = read(&setbacks_ipc(&t).unwrap(), SETBACKS);
        let want: Vec<(&str, &Setback)> = t
            .iter()
            .flat_map(|t| t.setbacks.iter().map(move |s| (t.case_id.as_str(), s)))
            .collect();
        assert_eq!(b.num_rows(), want.len());
        let got: Vec<(String, Setback)> = (0..b.num_rows())
            .map(|i| {
                let (point, previous) = (
                    u32_at(&b, "point", i).unwrap(),
                    u32_at(&b, "previous", i).unwrap(),
                );
                let on = date_at(&b, "on", i);
                let s = match code(&b, "kind", i).unwrap().as_str() {
                    "domain" => {
                        assert_eq!(
                            (text(&b, "outcome", i), f64_at(&b, "from_score", i)),
                            (None, None)
                        );
                        Setback::Domain {
                            domain: DomainKey::new(&text(&b, "domain", i).unwrap()).unwrap(),
                            from: level(u8_at(&b, "from_level", i)),
                            to: level(u8_at(&b, "to_level", i)),
                            point,
                            previous,
                            on,
                        }
                    }
                    "outcome" => {
                        assert_eq!(
                            (text(&b, "domain", i), u8_at(&b, "to_level", i)),
                            (None, None)
                        );
                        Setback::Outcome {
                            outcome: OutcomeKey::new(&text(&b, "outcome", i).unwrap()).unwrap(),
                            from: f64_at(&b, "from_score", i).unwrap(),
                            to: f64_at(&b, "to_score", i).unwrap(),
                            point,
                            previous,
                            on,
                        }
                    }
                    other => panic!("kind {other}"),
                };
                (text(&b, "case_id", i).unwrap(), s)
            })
            .collect();
        let want: Vec<(String, Setback)> = want
            .into_iter()
            .map(|(c, s)| (c.to_owned(), s.clone()))
            .collect();
        assert_eq!(got, want);
    }

    /// The risk assessments a risk table holds.
    fn read_risk(b: &RecordBatch) -> Vec<RiskAssessment> {
        (0..b.num_rows())
            .map(|i| {
                let f = items(b, "factors", i);
                let factors = (0..f.len())
                    .map(|j| {
                        let points = u32_at(&f, "points", j).unwrap();
                        match code(&f, "code", j).unwrap().as_str() {
                            "debt" => RiskFactor::Debt {
                                creditor: named(code(&f, "creditor", j)),
                                count: u32_at(&f, "count", j).unwrap(),
                                points,
                            },
                            "no_income" => RiskFactor::NoIncome { points },
                            "irregular_income" => RiskFactor::IrregularIncome { points },
                            "family_pressure" => RiskFactor::FamilyPressure {
                                strength: named(code(&f, "strength", j)),
                                points,
                            },
                            "stigma" => RiskFactor::Stigma { points },
                            "isolation" => RiskFactor::Isolation { points },
                            "intends_to_migrate" => RiskFactor::IntendsToMigrate {
                                intention: named(code(&f, "intention", j)),
                                points,
                            },
                            "broker_contact" => RiskFactor::BrokerContact {
                                contact: named(code(&f, "contact", j)),
                                points,
                            },
                            other => panic!("factor {other}"),
                        }
                    })
                    .collect();
                let s = items(b, "basis", i);
                let basis = (0..s.len())
                    .map(|j| {
                        let basis = match code(&s, "code", j).unwrap().as_str() {
                            "points" => RiskBasis::Points {
                                points: u32_at(&s, "points", j).unwrap(),
                                moderate_from: u32_at(&s, "moderate_from", j).unwrap(),
                                high_from: u32_at(&s, "high_from", j).unwrap(),
                                level: named(code(&s, "level", j)),
                            },
                            "migration_with_broker" => RiskBasis::MigrationWithBroker {
                                intention: named(code(&s, "intention", j)),
                                contact: named(code(&s, "contact", j)),
                            },
                            "too_little_known" => RiskBasis::TooLittleKnown {
                                unknown: u32_at(&s, "unknown", j).unwrap(),
                                max_unknown: u32_at(&s, "max_unknown", j).unwrap(),
                            },
                            other => panic!("basis {other}"),
                        };
                        assert_eq!(named::<RiskLevel>(code(&s, "level", j)), basis.level());
                        basis
                    })
                    .collect();
                RiskAssessment {
                    case_id: CaseId::new(text(b, "case_id", i).unwrap()).unwrap(),
                    recorded_on: date_at(b, "recorded_on", i),
                    level: named(code(b, "level", i)),
                    factors,
                    basis,
                    unknown: codes(b, "unknown", i)
                        .unwrap()
                        .into_iter()
                        .map(|c| named(Some(c)))
                        .collect(),
                }
            })
            .collect()
    }

    #[test]
    fn the_risk_table_holds_every_factor_and_basis() {
        let t = trajectories();
        let want = risks(&t);
        let b = read(&risk_ipc(&want).unwrap(), RISK);
        assert_eq!(read_risk(&b), want);
        let factors = col::<ListArray>(&b, "factors");
        for (i, r) in want.iter().enumerate() {
            assert_eq!(factors.value_length(i) as usize, r.factors.len());
            let points = r.basis.iter().find_map(|b| match b {
                RiskBasis::Points { points, .. } => Some(*points),
                _ => None,
            });
            assert_eq!(u32_at(&b, "points", i), points);
        }
        // From trajectories: one row per trajectory with risk inputs.
        let from_trajectories = risk_table(t.iter().filter_map(|t| t.risk.as_ref())).unwrap();
        assert_eq!(
            from_trajectories.num_rows(),
            t.iter().filter(|t| t.risk.is_some()).count()
        );
    }

    /// A follow-up rule from row `i` of the follow-up columns of `b`, whose code column is `name`.
    fn read_reason(b: &dyn StructLike, name: &str, i: usize, days: u32) -> FollowUpReason {
        match code(b, name, i).unwrap().as_str() {
            "red_flags" => FollowUpReason::RedFlags {
                flags: codes(b, "red_flags", i)
                    .unwrap()
                    .into_iter()
                    .map(|c| named(Some(c)))
                    .collect(),
                days,
            },
            "risk" => FollowUpReason::Risk {
                level: named(code(b, "risk_level", i)),
                days,
            },
            "worst_level" => FollowUpReason::WorstLevel {
                domain: DomainKey::new(&text(b, "domain", i).unwrap()).unwrap(),
                level: level(u8_at(b, "level", i)),
                days,
            },
            "nothing_rated" => {
                assert_eq!(codes(b, "red_flags", i), None);
                assert_eq!(
                    (code(b, "risk_level", i), text(b, "domain", i)),
                    (None, None)
                );
                FollowUpReason::NothingRated { days }
            }
            other => panic!("follow-up {other}"),
        }
    }

    #[test]
    fn the_follow_ups_table_holds_every_follow_up_and_rule_considered() {
        let mut t = trajectories();
        // Red flags and a high risk, beside the synthetic cases' worst levels.
        let model = ReintegrationModel::default();
        let case = synthetic_cases(1, 3, as_of())
            .unwrap()
            .next()
            .unwrap()
            .unwrap();
        let mut latest = case.assessments.last().unwrap().clone();
        latest.red_flags = vec![RedFlag::UntreatedInjury, RedFlag::ImmediateDanger];
        let mut flagged = model
            .trajectory(&case.assessments, &[], None, as_of())
            .unwrap();
        flagged.follow_up =
            next_follow_up(&latest, Some(RiskLevel::High), &FollowUpConfig::default());
        latest.ratings.clear();
        let mut bare = flagged.clone();
        bare.follow_up = next_follow_up(
            &latest,
            Some(RiskLevel::Moderate),
            &FollowUpConfig::default(),
        );
        t.extend([flagged, bare]);
        let used: HashSet<&str> = t
            .iter()
            .flat_map(|t| &t.follow_up.considered)
            .map(FollowUpReason::code)
            .collect();
        assert_eq!(used.len(), FOLLOW_UP_CODES.len(), "{used:?}");

        let b = read(&follow_ups_ipc(&t).unwrap(), FOLLOW_UPS);
        assert_eq!(b.num_rows(), t.len());
        for (i, t) in t.iter().enumerate() {
            let f = &t.follow_up;
            let days = u32_at(&b, "days", i).unwrap();
            let c = items(&b, "considered", i);
            let considered: Vec<FollowUpReason> = (0..c.len())
                .map(|j| read_reason(&c, "code", j, u32_at(&c, "days", j).unwrap()))
                .collect();
            let got = FollowUp {
                assessment_id: AssessmentId::new(text(&b, "assessment_id", i).unwrap()).unwrap(),
                from: date_at(&b, "from", i),
                due_on: date_at(&b, "due_on", i),
                days,
                reason: read_reason(&b, "reason", i, days),
                considered,
            };
            assert_eq!(text(&b, "case_id", i).unwrap(), t.case_id.as_str());
            assert_eq!(&got, f);
        }
    }

    #[test]
    fn a_suppressed_table_in_long_form() {
        // The example of `cohort`: k = 5, the 3 is primary, three more cells complementary.
        let s = suppress_two_way(&[vec![3, 10, 20], vec![12, 7, 30]], 5).unwrap();
        let b = read(&suppressed_ipc(&s).unwrap(), SUPPRESSED);
        assert_eq!(b.num_rows(), 6 + 2 + 3 + 1);
        let row = |i| {
            (
                code(&b, "cell_kind", i).unwrap(),
                u32_at(&b, "row", i),
                u32_at(&b, "column", i),
                col::<UInt64Array>(&b, "count")
                    .is_valid(i)
                    .then(|| col::<UInt64Array>(&b, "count").value(i)),
                code(&b, "why", i),
            )
        };
        let s = |v: &str| v.to_owned();
        assert_eq!(
            row(0),
            (
                s("cell"),
                Some(0),
                Some(0),
                None,
                Some(s("below_threshold"))
            )
        );
        assert_eq!(row(2), (s("cell"), Some(0), Some(2), Some(20), None));
        assert_eq!(
            row(4),
            (s("cell"), Some(1), Some(1), None, Some(s("complementary")))
        );
        assert_eq!(row(7), (s("row_total"), Some(1), None, Some(49), None));
        assert_eq!(row(10), (s("column_total"), None, Some(2), Some(50), None));
        assert_eq!(row(11), (s("total"), None, None, Some(82), None));
        assert_eq!(
            col::<UInt32Array>(&b, "k")
                .values()
                .iter()
                .collect::<HashSet<_>>(),
            HashSet::from([&5])
        );
        // Too small a cohort: every figure suppressed, saying why.
        let small = suppress_two_way(&[vec![1, 2]], 5).unwrap();
        let b = suppressed_table(&small).unwrap();
        assert_eq!(col::<UInt64Array>(&b, "count").null_count(), b.num_rows());
        assert!(
            (0..b.num_rows()).all(|i| code(&b, "why", i).as_deref() == Some("cohort_too_small"))
        );
    }

    #[test]
    fn a_ragged_suppressed_table_is_refused_by_line() {
        let mut s = suppress_two_way(&[vec![30, 10], vec![12, 70]], 5).unwrap();
        s.cells[1].pop();
        let e = suppressed_table(&s).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("cells[1]: must be a row of 2 cells"),
            "{e}"
        );
        s.cells.pop();
        let e = suppressed_table(&s).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("row_totals: must be one total per row (1 rows)"),
            "{e}"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// However the table falls, a suppressed figure is a null whose bytes are 0 (the stream
        /// holds nothing of it), a published one its value, and every figure is there once.
        #[test]
        fn a_suppressed_count_never_appears_in_the_table(
            counts in (0usize..6).prop_flat_map(|columns| {
                proptest::collection::vec(proptest::collection::vec(0u64..30, columns), 0..6)
            }),
            k in 2u32..15,
        ) {
            let s = suppress_two_way(&counts, k).unwrap();
            let b = read(&suppressed_ipc(&s).unwrap(), SUPPRESSED);
            let figures: Vec<Count> = s.cells.iter().flatten()
                .chain(&s.row_totals).chain(&s.column_totals)
                .chain(std::iter::once(&s.total)).copied().collect();
            prop_assert_eq!(b.num_rows(), figures.len());
            let count = col::<UInt64Array>(&b, "count");
            let suppressed = col::<BooleanArray>(&b, "suppressed");
            for (i, c) in figures.iter().enumerate() {
                match c.value() {
                    Some(v) => {
                        prop_assert!(count.is_valid(i));
                        prop_assert_eq!(count.value(i), v);
                        prop_assert!(!suppressed.value(i));
                        prop_assert_eq!(code(&b, "why", i), None);
                    }
                    None => {
                        prop_assert!(count.is_null(i));
                        prop_assert_eq!(count.values()[i], 0);
                        prop_assert!(suppressed.value(i));
                        let why = code(&b, "why", i);
                        prop_assert_eq!(why.as_deref(), Some(c.code()));
                    }
                }
                let kind = code(&b, "cell_kind", i).unwrap();
                let margins = (u32_at(&b, "row", i).is_none(), u32_at(&b, "column", i).is_none());
                let want = match margins {
                    (false, false) => "cell",
                    (false, true) => "row_total",
                    (true, false) => "column_total",
                    (true, true) => "total",
                };
                prop_assert_eq!(kind.as_str(), want);
            }
            // The published figures of the original counts, and nothing else.
            let mut values: Vec<u64> = counts.iter().flatten().copied().collect();
            values.extend(counts.iter().map(|r| r.iter().sum::<u64>()));
            let columns = counts.first().map_or(0, Vec::len);
            values.extend((0..columns).map(|j| counts.iter().map(|r| r[j]).sum::<u64>()));
            values.push(counts.iter().flatten().sum());
            for (i, v) in values.iter().enumerate() {
                if count.is_valid(i) {
                    prop_assert_eq!(count.value(i), *v);
                }
            }
        }
    }

    #[test]
    fn codes_are_the_serde_names_and_every_one_is_in_its_dictionary() {
        fn tag<T: serde::Serialize>(v: &T) -> String {
            serde_json::to_value(v).unwrap()["code"]
                .as_str()
                .unwrap()
                .to_owned()
        }
        let t = trajectories();
        for s in t.iter().flat_map(|t| &t.setbacks) {
            assert_eq!(tag(s), s.code());
        }
        for r in risks(&t) {
            for f in &r.factors {
                assert_eq!(tag(f), f.code());
            }
            for b in &r.basis {
                assert_eq!(tag(b), b.code());
            }
        }
        let reasons = [
            FollowUpReason::RedFlags {
                flags: vec![],
                days: 1,
            },
            FollowUpReason::Risk {
                level: RiskLevel::High,
                days: 7,
            },
            FollowUpReason::WorstLevel {
                domain: beside_core::domains::FOOD,
                level: Level::Safe,
                days: 90,
            },
            FollowUpReason::NothingRated { days: 30 },
        ];
        let codes: Vec<&str> = reasons.iter().map(FollowUpReason::code).collect();
        assert_eq!(codes, FOLLOW_UP_CODES);
        for r in &reasons {
            assert_eq!(tag(r), r.code());
        }
        let counts = [
            Count::BelowThreshold { k: 5 },
            Count::Complementary { k: 5 },
            Count::CohortTooSmall { k: 5 },
        ];
        let codes: Vec<&str> = counts.iter().map(|c| c.code()).collect();
        assert_eq!(codes, SUPPRESSION_CODES);
        for c in counts.iter().chain([&Count::Published { value: 3 }]) {
            assert_eq!(tag(c), c.code());
        }
        // The unit values' dictionaries are their serde names, each once.
        let names = Names::new().unwrap();
        for list in [
            &names.creditors,
            &names.pressures,
            &names.intentions,
            &names.contacts,
        ] {
            assert_eq!(list.iter().collect::<HashSet<_>>().len(), list.len());
        }
        assert_eq!(names.contacts[4], "offer_received");
        for (t, key) in TREND_VALUES.iter().zip(serde_names(&TREND_VALUES).unwrap()) {
            assert_eq!(t.key(), key);
        }
        for (i, key) in RISK_INPUTS.iter().zip(serde_names(&RISK_INPUTS).unwrap()) {
            assert_eq!(i.key(), key);
        }
    }

    #[test]
    fn empty_inputs_give_empty_tables_of_the_same_schema() {
        let t = trajectories();
        for (full, empty) in [
            (points_table(&t).unwrap(), points_table(&[]).unwrap()),
            (
                outcome_scores_table(&t).unwrap(),
                outcome_scores_table(&[]).unwrap(),
            ),
            (trends_table(&t).unwrap(), trends_table(&[]).unwrap()),
            (setbacks_table(&t).unwrap(), setbacks_table(&[]).unwrap()),
            (risk_table(&risks(&t)).unwrap(), risk_table(&[]).unwrap()),
            (
                follow_ups_table(&t).unwrap(),
                follow_ups_table(&[]).unwrap(),
            ),
        ] {
            assert!(full.num_rows() > 0);
            assert_eq!(empty.num_rows(), 0);
            assert_eq!(full.schema(), empty.schema());
        }
    }
}
