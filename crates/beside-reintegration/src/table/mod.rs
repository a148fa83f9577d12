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
//! # The cohort summary table, `beside.cohort_summary/1`
//!
//! One row per cell of a [`CohortSummary`]'s tables: the outcome tables in the order of its
//! [`CohortConfig::outcomes`], then the six phase tables ([`Phase::ALL`]), then the risk table,
//! each table's cells in their fixed order, and last one row for the cohort's total. Only the
//! cases that consented to statistics are counted (see [`CohortSummary::from_cases`]).
//!
//! | column | type | null | meaning |
//! |---|---|---|---|
//! | `table` | `dictionary<int8, utf8>` | no | [`COHORT_TABLES`]: `outcome`, `phase`, `risk`, or `total` (the cohort's total, the last row) |
//! | `variable` | utf8 | yes | the outcome key or the phase ([`Phase::key`]); null for `risk` and `total` |
//! | `category` | `dictionary<int8, utf8>` | yes | what the cell counts, [`COHORT_CATEGORIES`]: an outcome level (`in_crisis` … `thriving`) or `not_scored`; a phase status (`not_started` … `declined`); a risk level (`low`, `moderate`, `high`) or `not_assessed`; null for `total` |
//! | `level` | uint8 | yes | an outcome level's number, 1 (in crisis) to 5 (thriving); null on every other row |
//! | `count` | uint64 | yes | the number of people when published; null when suppressed (the bytes under a null are 0: a suppressed figure is never written) |
//! | `suppressed` | bool | no | whether the figure is suppressed |
//! | `why` | `dictionary<int8, utf8>` | yes | why suppressed, [`SUPPRESSION_CODES`], as in `beside.suppressed/1`; null when published |
//! | `k` | uint32 | no | the summary's threshold |
//!
//! # The journeys table, `beside.journeys/1`
//!
//! One row per event of each case timeline ([`CaseTimeline::events`], [`TimelineEvent`]):
//! timeline after timeline in the order given, events in their order. It is read back too
//! ([`read_journeys`]): cases in the order of their first row (the rows of a case need not be
//! next to each other), the events of a case in table order, and each timeline then checked
//! as its JSON is (dates not in the future, in order, ids unique, no impossible transition),
//! an error naming the row (`rows[17].event`).
//!
//! | column | type | null | meaning |
//! |---|---|---|---|
//! | `event_id` | utf8 | no | the event's id, unique in its case |
//! | `case_id` | utf8 | no | its case |
//! | `time_zone` | utf8, optional | yes | the case's time zone, an IANA id such as `Asia/Dhaka` ([`CaseTimeline::time_zone`]); null: not known (days read in UTC); every row of a case holds the same |
//! | `on` | date32 | no | the day it happened, on the case's calendar (a timestamp is not accepted: a day is not a moment) |
//! | `event` | `dictionary<int8, utf8>` | no | what happened, [`EVENT_KINDS`] ([`EventKind::key`], its serde tag): `returned`, `assessed`, `referred`, `service_received`, `case_filed`, `case_closed`, `joined_survivor_group`, `took_leadership_role`, `phase_achieved`, `setback_occurred`, `declined_by_person`, `resumed` |
//! | `route` | `dictionary<int8, utf8>`, optional | yes | event `returned` only: how, [`RETURN_ROUTES`]: `formal`, `own_way`, `unknown` |
//! | `assessment_id` | utf8, optional | yes | event `assessed` only: the assessment |
//! | `phase` | `dictionary<int8, utf8>`, optional | yes | events `referred`, `service_received`, `phase_achieved`, `setback_occurred`, `declined_by_person`, `resumed` only: the phase ([`Phase::ALL`]: `return`, `family_community_acceptance`, `justice`, `basic_services`, `livelihood`, `peer_support`) |
//! | `result` | `dictionary<int8, utf8>`, optional | yes | event `case_closed` only: how it ended, [`CASE_RESULTS`]: `conviction`, `compensation`, `settlement`, `dismissed`, `withdrawn_by_person` |
//! | `cause` | `dictionary<int8, utf8>`, optional | yes | event `setback_occurred` only: why, [`SetbackCause::ALL`]: `family_rejection`, `community_stigma`, `lost_income`, `health_relapse`, `threat_or_harassment`, `re_migration`, `other` |
//! | `note` | utf8, optional | yes | the event's note |
//!
//! A field an event's code has must be set on its row, and one it has not must be null: a
//! `route` on an `assessed` row is refused (`rows[4].route`), as an unknown code is (naming the
//! known ones). The reader takes the codes as text, plain (`utf8`, `large_utf8`, `utf8_view`:
//! what pandas sends) or a dictionary of text with integer keys; an optional column left out
//! is null on every row; any other column is refused, naming it and the known ones.
//!
//! Two things of a timeline are not in this table: an event's `extra` (the app's own data,
//! which Beside keeps but never reads: it stays in the records), and the timeline's
//! [`CaseTimeline::risk_inputs`], which stay records (a table of their own is for a later
//! version). A timeline read back has neither.
//!
//! Every table's schema metadata names it and its version under
//! [`beside_core::table::SCHEMA_KEY`]. A new column or a new value of a dictionary column makes a
//! new version.

mod cohort;
mod follow_ups;
mod journeys;
mod points;
mod risk;
mod setbacks;
mod suppressed;
#[cfg(test)]
mod tests;
mod trends;

pub use cohort::{cohort_summary_ipc, cohort_summary_table};
pub use follow_ups::{follow_ups_ipc, follow_ups_table};
pub use journeys::{
    journeys_ipc, journeys_table, read_journeys, read_journeys_at, read_journeys_ipc,
};
pub use points::{outcome_scores_ipc, outcome_scores_table, points_ipc, points_table};
pub use risk::{risk_ipc, risk_table};
pub use setbacks::{setbacks_ipc, setbacks_table};
pub use suppressed::{suppressed_ipc, suppressed_table};
pub use trends::{trends_ipc, trends_table};

use crate::cohort::Count;
use crate::error::ReintegrationError;
use crate::risk::{BrokerContact, FamilyPressure, MigrationIntention, RiskInput};
use crate::timeline::CaseResult;
use crate::trajectory::Trend;
use arrow_array::types::{Date32Type, Int8Type};
use arrow_array::{
    ArrayRef, BooleanArray, DictionaryArray, Int8Array, ListArray, StringArray, StructArray,
    TimestampMicrosecondArray, UInt32Array, UInt64Array,
};
use arrow_buffer::{NullBuffer, OffsetBuffer};
use arrow_schema::{Field, Fields};
use beside_core::{Creditor, FieldError, Reason, ReturnRoute};
use chrono::NaiveDate;
use std::sync::Arc;
// Named only in the docs above and in those of the code lists.
#[cfg(doc)]
use crate::{
    cohort::{CohortConfig, CohortSummary, SuppressedTable},
    followup::FollowUpReason,
    phase::Phase,
    phase::PhaseStatus,
    risk::{RiskAssessment, RiskBasis, RiskFactor, RiskLevel},
    timeline::{CaseTimeline, EventKind, SetbackCause, TimelineEvent},
    trajectory::{Setback, Trajectory},
};
#[cfg(doc)]
use beside_core::Level;
#[cfg(doc)]
use beside_needs::RedFlag;

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
/// The name and version of the journeys table, in its schema's metadata.
pub const JOURNEYS: &str = "beside.journeys/1";
/// The name and version of the suppressed table, in its schema's metadata.
pub const SUPPRESSED: &str = "beside.suppressed/1";
/// The name and version of the cohort summary table, in its schema's metadata.
pub const COHORT_SUMMARY: &str = "beside.cohort_summary/1";

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

/// The event codes, in the order of the `event` dictionary (as [`EventKind::key`] and its
/// serde tag spell them), each with the columns of the fields its code has (every other field
/// column is null on its rows). The tests check that the list covers every variant of
/// [`EventKind`] and its fields.
pub const EVENT_KINDS: [(&str, &[&str]); 12] = [
    ("returned", &["route"]),
    ("assessed", &["assessment_id"]),
    ("referred", &["phase"]),
    ("service_received", &["phase"]),
    ("case_filed", &[]),
    ("case_closed", &["result"]),
    ("joined_survivor_group", &[]),
    ("took_leadership_role", &[]),
    ("phase_achieved", &["phase"]),
    ("setback_occurred", &["phase", "cause"]),
    ("declined_by_person", &["phase"]),
    ("resumed", &["phase"]),
];

/// The routes home, in the order of the `route` dictionary (their serde names: `formal`,
/// `own_way`, `unknown`).
pub const RETURN_ROUTES: [ReturnRoute; 3] = [
    ReturnRoute::Formal,
    ReturnRoute::OwnWay,
    ReturnRoute::Unknown,
];

/// How a court case ended, in the order of the `result` dictionary (their serde names:
/// `conviction`, `compensation`, `settlement`, `dismissed`, `withdrawn_by_person`).
pub const CASE_RESULTS: [CaseResult; 5] = [
    CaseResult::Conviction,
    CaseResult::Compensation,
    CaseResult::Settlement,
    CaseResult::Dismissed,
    CaseResult::WithdrawnByPerson,
];

/// The kinds of figure of a suppressed table, in the order of the `cell_kind` dictionary.
pub const CELL_KINDS: [&str; 4] = ["cell", "row_total", "column_total", "total"];

/// The tables of a cohort summary, in the order of the `table` dictionary of
/// `beside.cohort_summary/1` (`total` is the row of the cohort's total).
pub const COHORT_TABLES: [&str; 4] = ["outcome", "phase", "risk", "total"];

/// What a cell of a cohort summary counts, in the order of the `category` dictionary of
/// `beside.cohort_summary/1`: the outcome levels ([`Level::key`]) and `not_scored`, the phase
/// statuses ([`PhaseStatus::key`]), the risk levels ([`RiskLevel::key`]) and `not_assessed`.
pub const COHORT_CATEGORIES: [&str; 15] = [
    "in_crisis",
    "vulnerable",
    "safe",
    "building_capacity",
    "thriving",
    "not_scored",
    "not_started",
    "in_progress",
    "achieved",
    "setback",
    "declined",
    "low",
    "moderate",
    "high",
    "not_assessed",
];

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

/// The last four columns of a table of published or suppressed figures (`beside.suppressed/1`,
/// `beside.cohort_summary/1`): `count` (a suppressed figure is a null whose value bytes are 0:
/// the table never holds it), `suppressed`, `why` and the threshold `k` on every row.
fn figure_columns(figures: &[Count], k: u32) -> Result<[Column; 4], ReintegrationError> {
    let count: Vec<Option<u64>> = figures.iter().map(|c| c.value()).collect();
    let suppressed: Vec<bool> = count.iter().map(Option::is_none).collect();
    let why = figures
        .iter()
        .map(|c| match c {
            Count::Published { .. } => Ok(None),
            Count::BelowThreshold { .. }
            | Count::Complementary { .. }
            | Count::CohortTooSmall { .. } => {
                key_of(&SUPPRESSION_CODES, &c.code(), "why").map(Some)
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok([
        ("count", Arc::new(UInt64Array::from(count)), true),
        (
            "suppressed",
            Arc::new(BooleanArray::from(suppressed)),
            false,
        ),
        ("why", dict(why, &SUPPRESSION_CODES, "why")?, true),
        (
            "k",
            Arc::new(UInt32Array::from(vec![k; figures.len()])),
            false,
        ),
    ])
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
