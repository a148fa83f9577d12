//! The journeys table (`beside.journeys/1`), as the [module docs](super) describe it: written
//! from case timelines and read back into them, strictly.

use super::{
    day, dict, dict_all, internal, key_of, not_built, serde_names, Column, CASE_RESULTS,
    EVENT_KINDS, JOURNEYS, RETURN_ROUTES,
};
use crate::error::ReintegrationError;
use crate::phase::Phase;
use crate::timeline::{CaseResult, CaseTimeline, EventKind, SetbackCause, TimelineEvent};
use arrow_array::builder::StringBuilder;
use arrow_array::cast::AsArray;
use arrow_array::types::{
    ArrowDictionaryKeyType, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type,
    UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, Date32Array, RecordBatch};
use arrow_buffer::ArrowNativeType;
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use beside_core::table::{
    cell_error, column_error, read_ipc_stream, record_batch, write_ipc_stream, ColumnSpec,
    ColumnType, StrColumn, TableReader,
};
use beside_core::{
    AssessmentId, CaseId, EventId, FieldError, Reason, ReturnRoute, TimeZone, Timestamp, Validate,
    ValidationErrors,
};
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::sync::Arc;

/// Every column of the table, in its order (the known columns an unknown one is told of).
const COLUMNS: [&str; 11] = [
    "event_id",
    "case_id",
    "time_zone",
    "on",
    "event",
    "route",
    "assessment_id",
    "phase",
    "result",
    "cause",
    "note",
];

/// The columns of codes: written as dictionaries, read as text or a dictionary of text.
const CODE_COLUMNS: [&str; 5] = ["event", "route", "phase", "result", "cause"];

/// Whether a field column's text is a value of its field's type (its serde error when not).
type Check = fn(&str) -> Result<(), String>;

/// The columns of the events' fields, each with the check of its type.
const FIELD_COLUMNS: [(&str, Check); 5] = [
    ("route", parses::<ReturnRoute>),
    ("assessment_id", parses::<AssessmentId>),
    ("phase", parses::<Phase>),
    ("result", parses::<CaseResult>),
    ("cause", parses::<SetbackCause>),
];

/// What a code column must hold, as errors tell it.
const CODE_TYPE: &str =
    "a column of text codes (utf8, large_utf8, utf8_view, or a dictionary of one of them)";

const fn spec(name: &'static str, required: bool) -> ColumnSpec {
    ColumnSpec {
        name,
        kind: ColumnType::Text,
        required,
    }
}

/// The text columns [`TableReader`] checks (every column but `on`, a date it does not know;
/// code columns as plain text, dictionaries having been turned into text first).
const TEXT_COLUMNS: [ColumnSpec; 10] = [
    spec("event_id", true),
    spec("case_id", true),
    spec("time_zone", false),
    spec("event", true),
    spec("route", false),
    spec("assessment_id", false),
    spec("phase", false),
    spec("result", false),
    spec("cause", false),
    spec("note", false),
];

fn parses<T: DeserializeOwned>(text: &str) -> Result<(), String> {
    serde_json::from_value::<T>(serde_json::Value::String(text.to_owned()))
        .map(drop)
        .map_err(|e| e.to_string())
}

/// The fields of one event, each set only for the codes that have it.
#[derive(Default)]
struct EventFields<'e> {
    route: Option<ReturnRoute>,
    assessment_id: Option<&'e AssessmentId>,
    phase: Option<Phase>,
    result: Option<CaseResult>,
    cause: Option<SetbackCause>,
}

fn fields_of(kind: &EventKind) -> EventFields<'_> {
    let none = EventFields::default();
    match kind {
        EventKind::Returned { route } => EventFields {
            route: Some(*route),
            ..none
        },
        EventKind::Assessed { assessment_id } => EventFields {
            assessment_id: Some(assessment_id),
            ..none
        },
        EventKind::Referred { phase }
        | EventKind::ServiceReceived { phase }
        | EventKind::PhaseAchieved { phase }
        | EventKind::DeclinedByPerson { phase }
        | EventKind::Resumed { phase } => EventFields {
            phase: Some(*phase),
            ..none
        },
        EventKind::CaseClosed { result } => EventFields {
            result: Some(*result),
            ..none
        },
        EventKind::SetbackOccurred { phase, cause } => EventFields {
            phase: Some(*phase),
            cause: Some(*cause),
            ..none
        },
        EventKind::CaseFiled | EventKind::JoinedSurvivorGroup | EventKind::TookLeadershipRole => {
            none
        }
    }
}

/// The key of `value` in the dictionary `list` of `column`, or a null key for no value.
fn optional_key<T: PartialEq>(
    list: &[T],
    value: Option<T>,
    column: &str,
) -> Result<Option<i8>, ReintegrationError> {
    value.map(|v| key_of(list, &v, column)).transpose()
}

/// The journeys table (`beside.journeys/1`, see the module docs) of `timelines`: one row per
/// event. Events' `extra` and timelines' risk inputs are not in it.
pub fn journeys_table(timelines: &[CaseTimeline]) -> Result<RecordBatch, ReintegrationError> {
    let codes = EVENT_KINDS.map(|(code, _)| code);
    let phases = Phase::ALL.map(Phase::key);
    let (routes, results, causes) = (
        serde_names(&RETURN_ROUTES)?,
        serde_names(&CASE_RESULTS)?,
        serde_names(&SetbackCause::ALL)?,
    );
    let (mut event_id, mut case_id, mut time_zone) = (
        StringBuilder::new(),
        StringBuilder::new(),
        StringBuilder::new(),
    );
    let (mut on, mut event) = (Vec::new(), Vec::new());
    let (mut route, mut phase, mut result, mut cause) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut assessment_id, mut note) = (StringBuilder::new(), StringBuilder::new());
    for t in timelines {
        for e in &t.events {
            event_id.append_value(e.id.as_str());
            case_id.append_value(e.case_id.as_str());
            time_zone.append_option(t.time_zone.map(|z| z.name()));
            on.push(day(e.on));
            event.push(key_of(&codes, &e.event.key(), "event")?);
            let f = fields_of(&e.event);
            route.push(optional_key(&RETURN_ROUTES, f.route, "route")?);
            assessment_id.append_option(f.assessment_id.map(AssessmentId::as_str));
            phase.push(optional_key(&Phase::ALL, f.phase, "phase")?);
            result.push(optional_key(&CASE_RESULTS, f.result, "result")?);
            cause.push(optional_key(&SetbackCause::ALL, f.cause, "cause")?);
            note.append_option(e.note.as_deref());
        }
    }
    let columns: Vec<Column> = vec![
        ("event_id", Arc::new(event_id.finish()), false),
        ("case_id", Arc::new(case_id.finish()), false),
        ("time_zone", Arc::new(time_zone.finish()), true),
        ("on", Arc::new(Date32Array::from(on)), false),
        ("event", dict_all(event, &codes, "event")?, false),
        ("route", dict(route, &routes, "route")?, true),
        ("assessment_id", Arc::new(assessment_id.finish()), true),
        ("phase", dict(phase, &phases, "phase")?, true),
        ("result", dict(result, &results, "result")?, true),
        ("cause", dict(cause, &causes, "cause")?, true),
        ("note", Arc::new(note.finish()), true),
    ];
    Ok(record_batch(JOURNEYS, columns)?)
}

/// [`journeys_table`] as Arrow IPC stream bytes.
pub fn journeys_ipc(timelines: &[CaseTimeline]) -> Result<Vec<u8>, ReintegrationError> {
    Ok(write_ipc_stream(&journeys_table(timelines)?)?)
}

/// Read a journeys table (`beside.journeys/1`) as Arrow IPC stream bytes: see
/// [`read_journeys`]. Nothing may follow the end of the stream.
pub fn read_journeys_ipc(bytes: &[u8]) -> Result<Vec<CaseTimeline>, ReintegrationError> {
    let (schema, batches) = read_ipc_stream(bytes)?;
    read_journeys(&schema, &batches)
}

/// Read a journeys table (the batches of `schema`, see the module docs) into case timelines,
/// each checked as its JSON is, "in the future" judged against the current time (as
/// `beside_core::from_json` judges it): see [`read_journeys_at`].
pub fn read_journeys(
    schema: &SchemaRef,
    batches: &[RecordBatch],
) -> Result<Vec<CaseTimeline>, ReintegrationError> {
    read_journeys_at(schema, batches, chrono::Utc::now())
}

/// Read a journeys table into case timelines: one per case in the order of its first row, its
/// events in table order, with no risk inputs and no `extra`. Every column is checked first
/// (an unknown one, a missing or mistyped one is named), then every row (`rows[17].route`: a
/// null where a value must be, a field the event's code does not have, an unknown code, a
/// time zone other than the one of the case's first row), then every timeline as its JSON is,
/// "in the future" judged against `now` on the case's calendar; its errors name the row of the
/// event (`rows[17].on`, `rows[17].event` for an impossible transition).
pub fn read_journeys_at(
    schema: &SchemaRef,
    batches: &[RecordBatch],
    now: Timestamp,
) -> Result<Vec<CaseTimeline>, ReintegrationError> {
    let plain = Plain::of(schema, batches)?;
    let reader = TableReader::new(&plain.schema, &plain.batches, &TEXT_COLUMNS)?;
    let mut cases: Vec<Case> = Vec::new();
    let mut number: HashMap<String, usize> = HashMap::new();
    for ((start, b), on) in reader.batches().zip(&plain.on) {
        let c = Columns::of(b)?;
        for i in 0..b.num_rows() {
            let row = start.saturating_add(i);
            let event = c.event(row, i, on)?;
            let zone = c.time_zone.and_then(|z| z.get(i));
            let at = match number.get(event.case_id.as_str()) {
                Some(&at) => at,
                None => {
                    let at = cases.len();
                    number.insert(event.case_id.as_str().to_owned(), at);
                    cases.push(Case::new(row, &event.case_id, zone)?);
                    at
                }
            };
            // INVARIANT: `number` holds only places of `cases`, pushed beside them.
            let case = cases
                .get_mut(at)
                .ok_or_else(|| internal(format!("case {at} of {} read", number.len())))?;
            case.push(row, zone, event)?;
        }
    }
    cases.into_iter().map(|c| c.checked(now)).collect()
}

/// One case being read: its timeline, the rows of its events, the zone of its first row.
struct Case {
    timeline: CaseTimeline,
    rows: Vec<usize>,
    /// The case's first row, which names its time zone.
    first: usize,
    zone: Option<String>,
}

impl Case {
    fn new(row: usize, case_id: &CaseId, zone: Option<&str>) -> Result<Self, ReintegrationError> {
        let time_zone = zone
            .map(TimeZone::new)
            .transpose()
            .map_err(|reason| cell_error(row, "time_zone", reason))?;
        Ok(Case {
            timeline: CaseTimeline {
                case_id: case_id.clone(),
                events: Vec::new(),
                risk_inputs: Vec::new(),
                time_zone,
            },
            rows: Vec::new(),
            first: row,
            zone: zone.map(str::to_owned),
        })
    }

    fn push(
        &mut self,
        row: usize,
        zone: Option<&str>,
        event: TimelineEvent,
    ) -> Result<(), ReintegrationError> {
        if zone != self.zone.as_deref() {
            let first = self.first;
            return Err(cell_error(
                row,
                "time_zone",
                Reason::Invalid {
                    expected: format!(
                        "the time zone of every row of case `{}`, as on rows[{first}] ({})",
                        self.timeline.case_id,
                        self.zone.as_deref().map_or("null", |z| z)
                    ),
                    value: zone.map_or("null", |z| z).to_owned(),
                },
            )
            .into());
        }
        self.rows.push(row);
        self.timeline.events.push(event);
        Ok(())
    }

    /// The timeline, checked as its JSON is, its errors at the rows of its events.
    fn checked(self, now: Timestamp) -> Result<CaseTimeline, ReintegrationError> {
        let Err(found) = self.timeline.validate_at(now) else {
            return Ok(self.timeline);
        };
        let errors = found
            .errors
            .into_iter()
            .map(|e| self.at_row(e))
            .collect::<Result<Vec<_>, _>>()?;
        Err(ValidationErrors { errors }.into())
    }

    /// A timeline's error at the row it is about: `events[3].id` is `rows[<row>].event_id`;
    /// an error of the timeline as a whole is at the `case_id` of its first row.
    fn at_row(&self, e: FieldError) -> Result<FieldError, ReintegrationError> {
        let event = e.path.strip_prefix("events[").and_then(|rest| {
            let (n, tail) = rest.split_once(']')?;
            Some((n.parse::<usize>().ok()?, tail))
        });
        let path = match event {
            Some((n, tail)) => {
                // INVARIANT: the timeline has one event per row read, pushed together.
                let row = self.rows.get(n).ok_or_else(|| {
                    internal(format!("a row for event {n} of {}", self.rows.len()))
                })?;
                let tail = tail
                    .strip_prefix(".id")
                    .map_or_else(|| tail.to_owned(), |after| format!(".event_id{after}"));
                format!("rows[{row}]{tail}")
            }
            None => format!("rows[{}].case_id", self.first),
        };
        Ok(FieldError::new(path, e.reason))
    }
}

/// The text columns of one batch, found by [`TableReader`].
struct Columns<'b> {
    event_id: StrColumn<'b>,
    case_id: StrColumn<'b>,
    time_zone: Option<StrColumn<'b>>,
    event: StrColumn<'b>,
    fields: Vec<(&'static str, Check, Option<StrColumn<'b>>)>,
    note: Option<StrColumn<'b>>,
}

/// A required column found by [`TableReader::new`].
fn required<T>(c: Option<T>, name: &str) -> Result<T, ReintegrationError> {
    // INVARIANT: `TableReader::new` refused a table without a required column.
    c.ok_or_else(|| internal(format!("required column `{name}` after the check")))
}

fn null_at(row: usize, column: &str) -> ReintegrationError {
    cell_error(
        row,
        column,
        Reason::Required {
            what: format!("a value in column `{column}` (no null)"),
        },
    )
    .into()
}

impl<'b> Columns<'b> {
    fn of(b: &'b RecordBatch) -> Result<Self, ReintegrationError> {
        let text = |name| StrColumn::of(b, name);
        let fields = FIELD_COLUMNS
            .iter()
            .map(|&(name, check)| Ok((name, check, text(name)?)))
            .collect::<Result<Vec<_>, ValidationErrors>>()?;
        Ok(Columns {
            event_id: required(text("event_id")?, "event_id")?,
            case_id: required(text("case_id")?, "case_id")?,
            time_zone: text("time_zone")?,
            event: required(text("event")?, "event")?,
            fields,
            note: text("note")?,
        })
    }

    fn text(
        c: &StrColumn<'b>,
        row: usize,
        i: usize,
        name: &str,
    ) -> Result<&'b str, ReintegrationError> {
        c.get(i).ok_or_else(|| null_at(row, name))
    }

    /// The event of row `i` of the batch (`row` of the table).
    fn event(
        &self,
        row: usize,
        i: usize,
        on: &Date32Array,
    ) -> Result<TimelineEvent, ReintegrationError> {
        let cell = |column: &'static str| move |e: FieldError| cell_error(row, column, e.reason);
        let id = EventId::new(Self::text(&self.event_id, row, i, "event_id")?)
            .map_err(cell("event_id"))?;
        let case_id =
            CaseId::new(Self::text(&self.case_id, row, i, "case_id")?).map_err(cell("case_id"))?;
        if on.is_null(i) {
            return Err(null_at(row, "on"));
        }
        let days = on.value(i);
        let on = chrono::DateTime::from_timestamp(i64::from(days).saturating_mul(86_400), 0)
            .map(|t| t.date_naive())
            .ok_or_else(|| {
                cell_error(
                    row,
                    "on",
                    Reason::Invalid {
                        expected: "a day chrono can represent".into(),
                        value: format!("{days} days from 1970-01-01"),
                    },
                )
            })?;
        Ok(TimelineEvent {
            id,
            case_id,
            on,
            event: self.kind(row, i)?,
            note: self.note.and_then(|n| n.get(i)).map(str::to_owned),
            extra: std::collections::BTreeMap::new(),
        })
    }

    /// The event's code and fields: each field its code has set and of its type, every other
    /// null.
    fn kind(&self, row: usize, i: usize) -> Result<EventKind, ReintegrationError> {
        let code = Self::text(&self.event, row, i, "event")?;
        let Some((_, has)) = EVENT_KINDS.iter().find(|(c, _)| *c == code) else {
            return Err(cell_error(
                row,
                "event",
                Reason::Unknown {
                    value: code.to_owned(),
                    known: EVENT_KINDS.iter().map(|(c, _)| (*c).to_owned()).collect(),
                },
            )
            .into());
        };
        let mut json = serde_json::Map::new();
        json.insert("kind".into(), code.into());
        for (column, check, values) in &self.fields {
            let value = values.and_then(|v| v.get(i));
            match (value, has.contains(column)) {
                (None, false) => {}
                (None, true) => {
                    return Err(cell_error(
                        row,
                        column,
                        Reason::Required {
                            what: format!("a `{column}` for event `{code}`"),
                        },
                    )
                    .into())
                }
                (Some(v), false) => {
                    return Err(cell_error(
                        row,
                        column,
                        Reason::Invalid {
                            expected: format!("null (event `{code}` has no `{column}`)"),
                            value: v.to_owned(),
                        },
                    )
                    .into())
                }
                (Some(v), true) => {
                    check(v).map_err(|why| {
                        cell_error(
                            row,
                            column,
                            Reason::Invalid {
                                expected: format!("a `{column}` ({why})"),
                                value: v.to_owned(),
                            },
                        )
                    })?;
                    json.insert((*column).to_owned(), v.into());
                }
            }
        }
        serde_json::from_value(serde_json::Value::Object(json)).map_err(|e| {
            cell_error(
                row,
                "event",
                Reason::Invalid {
                    expected: format!("an event with the fields of its code ({e})"),
                    value: code.to_owned(),
                },
            )
            .into()
        })
    }
}

/// A table with its codes as plain text and its `on` column apart: what [`TableReader`]
/// checks (it knows text, not dictionaries or dates).
struct Plain {
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
    /// The `on` column of each batch.
    on: Vec<Date32Array>,
}

impl Plain {
    /// Check the columns [`TableReader`] does not (every column known, `on` of dates, codes
    /// of text or a dictionary of text), and turn dictionaries into text.
    fn of(schema: &SchemaRef, batches: &[RecordBatch]) -> Result<Self, ReintegrationError> {
        for field in schema.fields() {
            let name = field.name().as_str();
            if !COLUMNS.contains(&name) {
                return Err(column_error(
                    name,
                    Reason::Unknown {
                        value: name.to_owned(),
                        known: COLUMNS.map(str::to_owned).to_vec(),
                    },
                )
                .into());
            }
            let t = field.data_type();
            let ok = if name == "on" {
                matches!(t, DataType::Date32)
            } else if CODE_COLUMNS.contains(&name) {
                is_text(t)
                    || matches!(t, DataType::Dictionary(k, v) if k.is_integer() && is_text(v))
            } else {
                true
            };
            if !ok {
                let expected = if name == "on" {
                    "a column of days (date32; a timestamp is not accepted: a day is not a moment)"
                } else {
                    CODE_TYPE
                };
                return Err(column_error(
                    name,
                    Reason::Invalid {
                        expected: expected.into(),
                        value: t.to_string(),
                    },
                )
                .into());
            }
        }
        if schema.column_with_name("on").is_none() {
            return Err(column_error(
                "on",
                Reason::Required {
                    what: "a column `on` of days (date32)".into(),
                },
            )
            .into());
        }
        let fields: Vec<Field> = schema
            .fields()
            .iter()
            .filter(|f| f.name() != "on")
            .map(|f| match f.data_type() {
                DataType::Dictionary(..) => Field::new(f.name(), DataType::Utf8, f.is_nullable()),
                _ => f.as_ref().clone(),
            })
            .collect();
        let plain = Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone()));
        let mut out = Plain {
            schema: plain.clone(),
            batches: Vec::with_capacity(batches.len()),
            on: Vec::with_capacity(batches.len()),
        };
        let mut start = 0usize;
        for b in batches {
            if b.schema().fields() != schema.fields() {
                return Err(column_error(
                    "",
                    Reason::Invalid {
                        expected: "every batch of the stream with the stream's schema".into(),
                        value: b.schema().to_string(),
                    },
                )
                .into());
            }
            let mut columns = Vec::with_capacity(plain.fields().len());
            for (field, a) in schema.fields().iter().zip(b.columns()) {
                if field.name() == "on" {
                    // INVARIANT: the field was checked to be date32 above.
                    let on = a
                        .as_primitive_opt()
                        .cloned()
                        .ok_or_else(|| internal("a date32 `on` column after the check".into()))?;
                    out.on.push(on);
                } else if let DataType::Dictionary(..) = field.data_type() {
                    columns.push(as_text(a, field.name(), start)?);
                } else {
                    columns.push(a.clone());
                }
            }
            out.batches.push(
                RecordBatch::try_new(plain.clone(), columns).map_err(not_built("plain codes"))?,
            );
            start = start.saturating_add(b.num_rows());
        }
        Ok(out)
    }
}

fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

/// A dictionary column of text codes as plain text (`start`: the table's row of its first).
fn as_text(a: &ArrayRef, column: &str, start: usize) -> Result<ArrayRef, ReintegrationError> {
    let text = match a.data_type() {
        DataType::Dictionary(k, _) => match k.as_ref() {
            DataType::Int8 => keyed::<Int8Type>(a, column, start),
            DataType::Int16 => keyed::<Int16Type>(a, column, start),
            DataType::Int32 => keyed::<Int32Type>(a, column, start),
            DataType::Int64 => keyed::<Int64Type>(a, column, start),
            DataType::UInt8 => keyed::<UInt8Type>(a, column, start),
            DataType::UInt16 => keyed::<UInt16Type>(a, column, start),
            DataType::UInt32 => keyed::<UInt32Type>(a, column, start),
            DataType::UInt64 => keyed::<UInt64Type>(a, column, start),
            _ => None,
        },
        _ => None,
    };
    // INVARIANT: `Plain::of` let through only dictionaries of text with integer keys.
    text.ok_or_else(|| internal(format!("`{column}` a dictionary of text after the check")))?
}

/// The text of a dictionary column with keys `K` (`None` when it is not one).
fn keyed<K: ArrowDictionaryKeyType>(
    a: &ArrayRef,
    column: &str,
    start: usize,
) -> Option<Result<ArrayRef, ReintegrationError>> {
    let d = a.as_dictionary_opt::<K>()?;
    let values = d.values();
    let value = |k: usize| -> Option<Option<&str>> {
        (k < values.len()).then_some(())?;
        if values.is_null(k) {
            return Some(None);
        }
        if let Some(s) = values.as_string_opt::<i32>() {
            Some(Some(s.value(k)))
        } else if let Some(s) = values.as_string_opt::<i64>() {
            Some(Some(s.value(k)))
        } else {
            values.as_string_view_opt().map(|s| Some(s.value(k)))
        }
    };
    let mut out = StringBuilder::with_capacity(d.len(), 0);
    for (i, key) in d.keys().iter().enumerate() {
        let Some(key) = key else {
            out.append_null();
            continue;
        };
        let k = key.to_usize();
        match k.and_then(value) {
            Some(text) => out.append_option(text),
            None => {
                return Some(Err(cell_error(
                    start.saturating_add(i),
                    column,
                    Reason::Invalid {
                        expected: format!("a key of the dictionary of `{column}`"),
                        value: format!("{key:?}"),
                    },
                )
                .into()))
            }
        }
    }
    let text: ArrayRef = Arc::new(out.finish());
    Some(Ok(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::people::synthetic_cases;
    use crate::table::tests::as_of;
    use arrow_array::{Int64Array, StringArray, TimestampMicrosecondArray};
    use std::collections::BTreeSet;

    fn message(r: Result<impl std::fmt::Debug, ReintegrationError>) -> String {
        match r {
            Err(ReintegrationError::Invalid { errors }) => errors.to_string(),
            other => panic!("expected an invalid-input error, got {other:?}"),
        }
    }

    fn read(t: &RecordBatch) -> Result<Vec<CaseTimeline>, ReintegrationError> {
        read_journeys_at(&t.schema(), std::slice::from_ref(t), as_of())
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
        record_batch(JOURNEYS, columns).unwrap()
    }

    fn without(t: &RecordBatch, name: &str) -> RecordBatch {
        let i = t.schema().index_of(name).unwrap();
        let mut t = t.clone();
        t.remove_column(i);
        t
    }

    fn texts(values: &[Option<&str>]) -> ArrayRef {
        Arc::new(StringArray::from(values.to_vec()))
    }

    fn ev(id: &str, case: &str, on: &str, event: EventKind) -> TimelineEvent {
        TimelineEvent {
            id: EventId::new(id).unwrap(),
            case_id: CaseId::new(case).unwrap(),
            on: on.parse().unwrap(),
            event,
            note: None,
            extra: std::collections::BTreeMap::new(),
        }
    }

    /// Two cases, five rows: `returned`, `assessed`, `referred`; `case_filed`, `case_closed`.
    fn small() -> Vec<CaseTimeline> {
        vec![
            CaseTimeline {
                case_id: CaseId::new("c-1").unwrap(),
                events: vec![
                    ev(
                        "e1",
                        "c-1",
                        "2025-01-01",
                        EventKind::Returned {
                            route: ReturnRoute::OwnWay,
                        },
                    ),
                    ev(
                        "e2",
                        "c-1",
                        "2025-01-02",
                        EventKind::Assessed {
                            assessment_id: AssessmentId::new("a-1").unwrap(),
                        },
                    ),
                    ev(
                        "e3",
                        "c-1",
                        "2025-01-03",
                        EventKind::Referred {
                            phase: Phase::Livelihood,
                        },
                    ),
                ],
                risk_inputs: vec![],
                time_zone: None,
            },
            CaseTimeline {
                case_id: CaseId::new("c-2").unwrap(),
                events: vec![
                    ev("e1", "c-2", "2025-02-01", EventKind::CaseFiled),
                    ev(
                        "e2",
                        "c-2",
                        "2025-03-01",
                        EventKind::CaseClosed {
                            result: CaseResult::Conviction,
                        },
                    ),
                ],
                risk_inputs: vec![],
                time_zone: Some(TimeZone::new("Asia/Dhaka").unwrap()),
            },
        ]
    }

    /// Synthetic timelines go to a table and back unchanged but for what the table does not
    /// hold (`extra`, risk inputs).
    #[test]
    fn synthetic_timelines_round_trip() {
        let timelines: Vec<CaseTimeline> = synthetic_cases(40, 16, as_of())
            .unwrap()
            .map(|c| c.unwrap().timeline)
            .collect();
        assert!(timelines.iter().any(|t| !t.risk_inputs.is_empty()));
        let want: Vec<CaseTimeline> = timelines
            .iter()
            .cloned()
            .map(|mut t| {
                t.risk_inputs.clear();
                t.events.iter_mut().for_each(|e| e.extra.clear());
                t
            })
            .collect();
        let bytes = journeys_ipc(&timelines).unwrap();
        assert_eq!(read_journeys_ipc(&bytes).unwrap(), want);
        let t = journeys_table(&timelines).unwrap();
        assert_eq!(read(&t).unwrap(), want);
        // Every code the synthetic cases use reads back from plain text too (as pandas sends).
        let plain = CODE_COLUMNS.iter().fold(t.clone(), |p, &name| {
            let i = t.schema().index_of(name).unwrap();
            let d = t.column(i).as_dictionary::<Int8Type>();
            let v = d.values().as_string::<i32>();
            let text: Vec<Option<&str>> = d
                .keys()
                .iter()
                .map(|k| k.map(|k| v.value(usize::try_from(k).unwrap())))
                .collect();
            with(&p, name, texts(&text))
        });
        assert_eq!(read(&plain).unwrap(), want);
    }

    #[test]
    fn small_tables_round_trip_and_keep_case_order() {
        let t = journeys_table(&small()).unwrap();
        assert_eq!(read(&t).unwrap(), small());
        // Rows of a case apart, in several batches: cases in the order of their first row.
        let batches = [t.slice(3, 1), t.slice(0, 2), t.slice(4, 1), t.slice(2, 1)];
        let got = read_journeys_at(&t.schema(), &batches, as_of()).unwrap();
        assert_eq!(got, vec![small()[1].clone(), small()[0].clone()]);
    }

    #[test]
    fn column_errors_name_the_column() {
        let t = journeys_table(&small()).unwrap();
        let n = t.num_rows();
        let e = message(read(&with(&t, "colour", texts(&vec![None; n]))));
        assert!(
            e.starts_with(
                "colour: unknown value `colour`; known values: event_id, case_id, time_zone, on, event, route"
            ),
            "{e}"
        );
        let note = t.column_by_name("note").unwrap().clone();
        let e = message(read(&with(&without(&t, "note"), "notes", note)));
        assert!(e.starts_with("notes: unknown value `notes`"), "{e}");
        let e = message(read(&with(
            &t,
            "event_id",
            Arc::new(Int64Array::from(vec![1; n])),
        )));
        assert!(e.starts_with("event_id: must be a column of text"), "{e}");
        assert!(e.ends_with("got `Int64`"), "{e}");
        let e = message(read(&with(
            &t,
            "event",
            Arc::new(Int64Array::from(vec![1; n])),
        )));
        assert!(e.starts_with(&format!("event: must be {CODE_TYPE}")), "{e}");
        let stamps = TimestampMicrosecondArray::from(vec![0; n]).with_timezone("UTC");
        let e = message(read(&with(&t, "on", Arc::new(stamps))));
        assert!(
            e.starts_with("on: must be a column of days (date32; a timestamp is not accepted"),
            "{e}"
        );
        let e = message(read(&without(&t, "on")));
        assert!(e.starts_with("on: is required"), "{e}");
        let e = message(read(&without(&t, "case_id")));
        assert!(e.starts_with("case_id: is required"), "{e}");
        // Optional columns may be left out when they would be null.
        let bare = without(&without(&t, "note"), "cause");
        assert_eq!(read(&bare).unwrap(), small());
    }

    #[test]
    fn value_errors_name_the_row() {
        let t = journeys_table(&small()).unwrap();
        let e = message(read(&with(
            &t,
            "case_id",
            texts(&[Some("c-1"), Some("c-1"), Some("c-1"), None, Some("c-2")]),
        )));
        assert!(e.starts_with("rows[3].case_id: is required"), "{e}");
        let e = message(read(&with(
            &t,
            "route",
            texts(&[Some("own_way"), Some("formal"), None, None, None]),
        )));
        assert_eq!(
            e,
            "rows[1].route: must be null (event `assessed` has no `route`), got `formal`"
        );
        let e = message(read(&with(&t, "route", texts(&[None; 5]))));
        assert_eq!(
            e,
            "rows[0].route: is required: a `route` for event `returned`"
        );
        let e = message(read(&with(
            &t,
            "route",
            texts(&[Some("swam"), None, None, None, None]),
        )));
        assert!(
            e.starts_with("rows[0].route: must be a `route` (unknown variant"),
            "{e}"
        );
        let e = message(read(&with(
            &t,
            "event",
            texts(&[
                Some("returned"),
                Some("assessed"),
                Some("teleported"),
                Some("case_filed"),
                Some("case_closed"),
            ]),
        )));
        assert!(
            e.starts_with(
                "rows[2].event: unknown value `teleported`; known values: returned, assessed, referred"
            ),
            "{e}"
        );
        let e = message(read(&with(
            &t,
            "time_zone",
            texts(&[None, None, None, Some("Asia/Dhaka"), Some("Europe/Paris")]),
        )));
        assert!(e.starts_with("rows[4].time_zone: must be the time zone of every row of case `c-2`, as on rows[3] (Asia/Dhaka), got `Europe/Paris`"), "{e}");
        let e = message(read(&with(
            &t,
            "time_zone",
            texts(&[None, Some("Asia/Dhaka"), None, None, None]),
        )));
        assert!(e.starts_with("rows[1].time_zone:"), "{e}");
    }

    /// Each timeline is checked as its JSON is, its errors at the rows of its events.
    #[test]
    fn timeline_rules_name_the_row() {
        let mut timelines = small();
        timelines[0].events[2].on = "2024-12-01".parse().unwrap();
        timelines[1].events[1].id = EventId::new("e1").unwrap();
        let e = message(read(&journeys_table(&timelines).unwrap()));
        assert!(e.contains("rows[2].on: must not be before"), "{e}");
        let mut timelines = small();
        timelines[1].events[1].id = EventId::new("e1").unwrap();
        let e = message(read(&journeys_table(&timelines).unwrap()));
        assert!(e.starts_with("rows[4]"), "{e}");
        assert!(e.contains("duplicate `e1`"), "{e}");
        // A setback of a phase never started is an impossible transition.
        let mut timelines = small();
        timelines[1].events[0].event = EventKind::SetbackOccurred {
            phase: Phase::PeerSupport,
            cause: SetbackCause::Other,
        };
        let e = message(read(&journeys_table(&timelines).unwrap()));
        assert!(
            e.starts_with("rows[3].event: must be an event phase `peer_support` allows"),
            "{e}"
        );
        let mut timelines = small();
        timelines[0].events[0].on = "2027-01-01".parse().unwrap();
        let e = message(read(&journeys_table(&timelines).unwrap()));
        assert!(
            e.starts_with("rows[0].on: must not be in the future"),
            "{e}"
        );
    }

    #[test]
    fn bytes_after_the_stream_are_refused() {
        let mut bytes = journeys_ipc(&small()).unwrap();
        bytes.push(0);
        let Err(ReintegrationError::Invalid { errors }) = read_journeys_ipc(&bytes) else {
            panic!("expected an invalid-input error");
        };
        assert_eq!(errors.errors[0].path, "");
        assert!(
            errors.to_string().contains("1 bytes after the end"),
            "{errors}"
        );
    }

    /// Every variant of `EventKind` is in `EVENT_KINDS`, at its serde tag and with its fields,
    /// and every field has a column.
    #[test]
    fn event_kinds_cover_every_variant_and_field() {
        // A new variant fails to compile here until it is given an example.
        fn place(k: &EventKind) -> usize {
            match k {
                EventKind::Returned { .. } => 0,
                EventKind::Assessed { .. } => 1,
                EventKind::Referred { .. } => 2,
                EventKind::ServiceReceived { .. } => 3,
                EventKind::CaseFiled => 4,
                EventKind::CaseClosed { .. } => 5,
                EventKind::JoinedSurvivorGroup => 6,
                EventKind::TookLeadershipRole => 7,
                EventKind::PhaseAchieved { .. } => 8,
                EventKind::SetbackOccurred { .. } => 9,
                EventKind::DeclinedByPerson { .. } => 10,
                EventKind::Resumed { .. } => 11,
            }
        }
        let phase = Phase::Justice;
        let examples = [
            EventKind::Returned {
                route: ReturnRoute::Formal,
            },
            EventKind::Assessed {
                assessment_id: AssessmentId::new("a").unwrap(),
            },
            EventKind::Referred { phase },
            EventKind::ServiceReceived { phase },
            EventKind::CaseFiled,
            EventKind::CaseClosed {
                result: CaseResult::Dismissed,
            },
            EventKind::JoinedSurvivorGroup,
            EventKind::TookLeadershipRole,
            EventKind::PhaseAchieved { phase },
            EventKind::SetbackOccurred {
                phase,
                cause: SetbackCause::Other,
            },
            EventKind::DeclinedByPerson { phase },
            EventKind::Resumed { phase },
        ];
        assert_eq!(examples.len(), EVENT_KINDS.len());
        for (i, k) in examples.iter().enumerate() {
            assert_eq!(place(k), i);
            let serde_json::Value::Object(mut json) = serde_json::to_value(k).unwrap() else {
                panic!("an event kind is an object");
            };
            let tag = json.remove("kind").unwrap();
            let (code, fields) = EVENT_KINDS[i];
            assert_eq!((tag.as_str(), k.key()), (Some(code), code));
            let keys: BTreeSet<&str> = json.keys().map(String::as_str).collect();
            assert_eq!(
                keys,
                fields.iter().copied().collect::<BTreeSet<_>>(),
                "{code}"
            );
        }
        let used: BTreeSet<&str> = EVENT_KINDS
            .iter()
            .flat_map(|(_, f)| f.iter().copied())
            .collect();
        let columns: BTreeSet<&str> = FIELD_COLUMNS.iter().map(|(c, _)| *c).collect();
        assert_eq!(used, columns);
        for name in COLUMNS {
            assert!(TEXT_COLUMNS.iter().any(|s| s.name == name) || name == "on");
        }
        // Every value of every dictionary is in it (writing one of each succeeds).
        let all: Vec<TimelineEvent> = RETURN_ROUTES
            .iter()
            .map(|&route| EventKind::Returned { route })
            .chain(
                CASE_RESULTS
                    .iter()
                    .map(|&result| EventKind::CaseClosed { result }),
            )
            .chain(Phase::ALL.iter().flat_map(|&phase| {
                SetbackCause::ALL
                    .iter()
                    .map(move |&cause| EventKind::SetbackOccurred { phase, cause })
            }))
            .chain(examples)
            .enumerate()
            .map(|(i, k)| ev(&format!("e{i}"), "c", "2025-01-01", k))
            .collect();
        let t = journeys_table(&[CaseTimeline {
            case_id: CaseId::new("c").unwrap(),
            events: all.clone(),
            risk_inputs: vec![],
            time_zone: None,
        }])
        .unwrap();
        assert_eq!(t.num_rows(), all.len());
    }
}
