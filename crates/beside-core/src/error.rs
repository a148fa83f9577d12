//! One error pattern for the whole workspace: a field path plus a reason.
//!
//! Every record is checked after deserialisation by [`Validate`]; every problem becomes a
//! [`FieldError`] such as `services[3].capacity: must be >= 0, got -2`. A check collects all the
//! problems it finds, so a case worker fixing a form sees every one at once.

use crate::zone::TimeZone;
use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a field was rejected. The variant is the stable reason code; its fields are the figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// A required string or list was empty.
    #[error("must not be empty")]
    #[serde(deserialize_with = "crate::json::tag_only")]
    Empty,
    /// A string was longer than allowed.
    #[error("must be at most {max} characters, got {got}")]
    TooLong {
        /// The limit.
        max: usize,
        /// The length found.
        got: usize,
    },
    /// A list held more items than allowed.
    #[error("must hold at most {max} items, got {got}")]
    TooMany {
        /// The limit.
        max: usize,
        /// The number found.
        got: usize,
    },
    /// An input was larger than allowed.
    #[error("input must be at most {max} bytes, got {got}")]
    TooLarge {
        /// The limit in bytes.
        max: usize,
        /// The size found.
        got: usize,
    },
    /// A string held a control character.
    #[error("must not contain control characters (found one at character {index})")]
    ControlCharacter {
        /// Position of the first control character, counted in characters.
        index: usize,
    },
    /// A number was below its minimum.
    #[error("must be >= {min}, got {got}")]
    BelowMinimum {
        /// The smallest allowed value.
        min: f64,
        /// The value found.
        got: f64,
    },
    /// A number was above its maximum.
    #[error("must be <= {max}, got {got}")]
    AboveMaximum {
        /// The largest allowed value.
        max: f64,
        /// The value found.
        got: f64,
    },
    /// A number was not finite.
    #[error("must be a finite number")]
    #[serde(deserialize_with = "crate::json::tag_only")]
    NotFinite,
    /// A ring of a drawn shape (GeoJSON polygon) had too few positions: a closed ring needs
    /// at least four, the first repeated at the end.
    #[error("a ring needs at least {min} positions, got {got}")]
    RingTooShort {
        /// The fewest allowed (4).
        min: usize,
        /// The number found.
        got: usize,
    },
    /// A ring of a drawn shape (GeoJSON polygon) did not end where it began.
    #[error("the ring is not closed: first [{}, {}], last [{}, {}]", first[0], first[1], last[0], last[1])]
    RingNotClosed {
        /// Its first position, `[longitude, latitude]`.
        first: [f64; 2],
        /// Its last position, `[longitude, latitude]`.
        last: [f64; 2],
    },
    /// A value was not one of the known values.
    #[error("unknown value `{value}`; known values: {}", known.join(", "))]
    Unknown {
        /// The value found.
        value: String,
        /// The values that are known.
        known: Vec<String>,
    },
    /// A value did not have the expected form.
    #[error("must be {expected}, got `{value}`")]
    Invalid {
        /// What was expected, in words (`an ISO 639 language code`).
        expected: String,
        /// The value found.
        value: String,
    },
    /// A time zone that is not an IANA id.
    #[error(
        "unknown time zone `{value}`; write an IANA id such as `Asia/Dhaka` or `Asia/Phnom_Penh`"
    )]
    UnknownTimeZone {
        /// The value found.
        value: String,
    },
    /// An id or key appeared twice where each must be unique.
    #[error("duplicate `{value}`")]
    Duplicate {
        /// The repeated value.
        value: String,
    },
    /// A reference to an id that does not exist.
    #[error("refers to `{id}`, which does not exist")]
    MissingReference {
        /// The id referred to.
        id: String,
    },
    /// A date or time lay in the future.
    #[error("must not be in the future: {value} is after {now}")]
    InFuture {
        /// The value found.
        value: String,
        /// The time of the check.
        now: String,
    },
    /// A date or time came before another it must follow.
    #[error("must not be before {other_field} ({bound}), got {value}")]
    OutOfOrder {
        /// The value found.
        value: String,
        /// The field it must not precede.
        other_field: String,
        /// That field's value.
        bound: String,
    },
    /// A graph held a cycle.
    #[error("cycle: {}", nodes.join(" -> "))]
    Cycle {
        /// The nodes of the cycle, the first repeated at the end.
        nodes: Vec<String>,
    },
    /// A required field or value was missing.
    #[error("is required: {what}")]
    Required {
        /// What is required, in words.
        what: String,
    },
    /// The input could not be parsed (bad JSON, wrong type, unknown variant).
    #[error("{message}{}", if *line > 0 { format!(" (line {line}, column {column})") } else { String::new() })]
    Malformed {
        /// The parser's message.
        message: String,
        /// Line of the input where parsing stopped, from 1; 0 when not known.
        line: usize,
        /// Column of that line, from 1; 0 when not known.
        column: usize,
    },
}

/// A rejected field: where, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct FieldError {
    /// Path of the field from the root of the input, such as `services[3].capacity`;
    /// empty for the input as a whole.
    pub path: String,
    /// Why it was rejected.
    pub reason: Reason,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "input: {}", self.reason)
        } else {
            write!(f, "{}: {}", self.path, self.reason)
        }
    }
}

impl FieldError {
    /// A field error at `path`.
    pub fn new(path: impl Into<String>, reason: Reason) -> Self {
        Self {
            path: path.into(),
            reason,
        }
    }
}

/// One or more rejected fields. Never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ValidationErrors {
    /// The problems, in the order they were found.
    pub errors: Vec<FieldError>,
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl From<FieldError> for ValidationErrors {
    fn from(e: FieldError) -> Self {
        Self { errors: vec![e] }
    }
}

impl ValidationErrors {
    /// The first problem found.
    pub fn first(&self) -> Option<&FieldError> {
        self.errors.first()
    }

    /// Whether some problem is reported at exactly `path`.
    pub fn has_path(&self, path: &str) -> bool {
        self.errors.iter().any(|e| e.path == path)
    }
}

#[derive(Debug, Clone)]
enum Segment {
    Field(String),
    Index(usize),
    Key(String),
}

/// Collects field errors while a record is walked, keeping track of the current path.
///
/// A day ("a date of birth in the future", an age) is judged on the calendar of the
/// validator's [`TimeZone`]: UTC from [`Validator::new`], where no place is known; the case's
/// zone from [`Validator::new_in`]. Records that know their place (a case profile, a match
/// request) switch to their own zone for their fields ([`Validator::in_time_zone`]).
#[derive(Debug, Clone)]
pub struct Validator {
    now: DateTime<Utc>,
    zone: TimeZone,
    path: Vec<Segment>,
    errors: Vec<FieldError>,
}

impl Validator {
    /// A validator that judges "in the future" against `now`, reading days in UTC (for
    /// records whose place is not known).
    pub fn new(now: DateTime<Utc>) -> Self {
        Self::new_in(now, TimeZone::UTC)
    }

    /// A validator that judges "in the future" against `now`, reading days on the calendar
    /// of `zone`.
    pub fn new_in(now: DateTime<Utc>, zone: TimeZone) -> Self {
        Self {
            now,
            zone,
            path: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// The time that "in the future" is judged against.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// The zone whose calendar days are read in.
    pub fn time_zone(&self) -> TimeZone {
        self.zone
    }

    /// The day it is at `now` in the validator's zone.
    pub fn today(&self) -> chrono::NaiveDate {
        self.zone.local_date(self.now)
    }

    /// Check what `f` checks reading days in `zone` (a record that knows its place), then
    /// return to the validator's own zone.
    pub fn in_time_zone<R>(&mut self, zone: TimeZone, f: impl FnOnce(&mut Self) -> R) -> R {
        let outer = std::mem::replace(&mut self.zone, zone);
        let r = f(self);
        self.zone = outer;
        r
    }

    /// Check what `f` checks under the field `name`.
    pub fn field<R>(&mut self, name: &str, f: impl FnOnce(&mut Self) -> R) -> R {
        self.path.push(Segment::Field(name.to_owned()));
        let r = f(self);
        self.path.pop();
        r
    }

    /// Check what `f` checks under list item `index`.
    pub fn index<R>(&mut self, index: usize, f: impl FnOnce(&mut Self) -> R) -> R {
        self.path.push(Segment::Index(index));
        let r = f(self);
        self.path.pop();
        r
    }

    /// Check what `f` checks under map key `key`.
    pub fn key<R>(&mut self, key: &str, f: impl FnOnce(&mut Self) -> R) -> R {
        self.path.push(Segment::Key(key.to_owned()));
        let r = f(self);
        self.path.pop();
        r
    }

    /// Validate every item of a list, each under its index.
    pub fn each<T: Validate>(&mut self, name: &str, items: &[T]) {
        self.field(name, |v| {
            for (i, item) in items.iter().enumerate() {
                v.index(i, |v| item.validate_with(v));
            }
        });
    }

    /// The current path, such as `services[3].capacity`.
    pub fn path(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            match seg {
                Segment::Field(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                Segment::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
                Segment::Key(k) => {
                    out.push_str("[\"");
                    out.push_str(k);
                    out.push_str("\"]");
                }
            }
        }
        out
    }

    /// Report a problem at the current path.
    pub fn report(&mut self, reason: Reason) {
        let path = self.path();
        self.errors.push(FieldError { path, reason });
    }

    /// Report a problem at field `name` below the current path.
    pub fn report_at(&mut self, name: &str, reason: Reason) {
        self.field(name, |v| v.report(reason));
    }

    /// Report `reason()` at the current path unless `ok`.
    pub fn check(&mut self, ok: bool, reason: impl FnOnce() -> Reason) {
        if !ok {
            self.report(reason());
        }
    }

    /// Check that a number is at least `min`.
    pub fn min(&mut self, name: &str, got: f64, min: f64) {
        if !got.is_finite() {
            self.report_at(name, Reason::NotFinite);
        } else if got < min {
            self.report_at(name, Reason::BelowMinimum { min, got });
        }
    }

    /// Check that a number lies within `min..=max`.
    pub fn range(&mut self, name: &str, got: f64, min: f64, max: f64) {
        if let Err(reason) = check_range(got, min, max) {
            self.report_at(name, reason);
        }
    }

    /// Check that a list holds at most `max` items.
    pub fn max_items<T>(&mut self, name: &str, items: &[T], max: usize) {
        if items.len() > max {
            self.report_at(
                name,
                Reason::TooMany {
                    max,
                    got: items.len(),
                },
            );
        }
    }

    /// Check a required free-text string: not blank, not oversize, no control characters
    /// other than line breaks and tabs.
    pub fn text(&mut self, name: &str, value: &str, max_chars: usize) {
        self.field(name, |v| {
            if let Err(reason) = check_text(value, max_chars, true) {
                v.report(reason);
            }
        });
    }

    /// Check that a time is not after the validator's `now`.
    pub fn not_future(&mut self, name: &str, value: DateTime<Utc>) {
        if value > self.now {
            let now = self.now;
            self.report_at(
                name,
                Reason::InFuture {
                    value: value.to_rfc3339(),
                    now: now.to_rfc3339(),
                },
            );
        }
    }

    /// Check that a date is not after the day it is at the validator's `now`, in its zone.
    pub fn not_future_date(&mut self, name: &str, value: chrono::NaiveDate) {
        let today = self.today();
        if value > today {
            self.report_at(
                name,
                Reason::InFuture {
                    value: value.to_string(),
                    now: today.to_string(),
                },
            );
        }
    }

    /// Check that `value` (field `name`) is not before `bound` (field `other_field`).
    pub fn not_before<T: PartialOrd + fmt::Display>(
        &mut self,
        name: &str,
        value: &T,
        other_field: &str,
        bound: &T,
    ) {
        if value < bound {
            self.report_at(
                name,
                Reason::OutOfOrder {
                    value: value.to_string(),
                    other_field: other_field.to_owned(),
                    bound: bound.to_string(),
                },
            );
        }
    }

    /// Check that the keys yielded are unique, reporting each repeat at `name[index]`.
    pub fn unique<'a, I>(&mut self, name: &str, keys: I)
    where
        I: IntoIterator<Item = &'a str>,
    {
        let mut seen = std::collections::HashSet::new();
        self.field(name, |v| {
            for (i, key) in keys.into_iter().enumerate() {
                if !seen.insert(key) {
                    v.index(i, |v| {
                        v.report(Reason::Duplicate {
                            value: key.to_owned(),
                        })
                    });
                }
            }
        });
    }

    /// Whether nothing has been reported so far.
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }

    /// Finish: `Ok` when nothing was reported.
    pub fn finish(self) -> Result<(), ValidationErrors> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors {
                errors: self.errors,
            })
        }
    }
}

/// Check that a number is finite and lies within `min..=max`.
pub fn check_range(got: f64, min: f64, max: f64) -> Result<(), Reason> {
    if !got.is_finite() {
        Err(Reason::NotFinite)
    } else if got < min {
        Err(Reason::BelowMinimum { min, got })
    } else if got > max {
        Err(Reason::AboveMaximum { max, got })
    } else {
        Ok(())
    }
}

/// Check a string: optionally non-blank, at most `max_chars` characters, and free of control
/// characters other than `\n`, `\r` and `\t`.
pub fn check_text(value: &str, max_chars: usize, required: bool) -> Result<(), Reason> {
    if required && value.trim().is_empty() {
        return Err(Reason::Empty);
    }
    let mut count = 0usize;
    for (index, c) in value.chars().enumerate() {
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t') {
            return Err(Reason::ControlCharacter { index });
        }
        count += 1;
    }
    if count > max_chars {
        return Err(Reason::TooLong {
            max: max_chars,
            got: count,
        });
    }
    Ok(())
}

/// A record that can be checked after deserialisation.
pub trait Validate {
    /// Report every problem of `self` into `v`, below the validator's current path.
    fn validate_with(&self, v: &mut Validator);

    /// Check `self`, judging "in the future" against `now`, reading days in UTC where the
    /// record does not know its place.
    fn validate_at(&self, now: DateTime<Utc>) -> Result<(), ValidationErrors> {
        let mut v = Validator::new(now);
        self.validate_with(&mut v);
        v.finish()
    }

    /// Check `self`, judging "in the future" against `now` and reading days on the calendar
    /// of `zone` (records that know their own place read theirs).
    fn validate_at_in(&self, now: DateTime<Utc>, zone: TimeZone) -> Result<(), ValidationErrors> {
        let mut v = Validator::new_in(now, zone);
        self.validate_with(&mut v);
        v.finish()
    }

    /// Check `self`, judging "in the future" against the current time.
    fn validate(&self) -> Result<(), ValidationErrors> {
        self.validate_at(Utc::now())
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_with(&self, v: &mut Validator) {
        for (i, item) in self.iter().enumerate() {
            v.index(i, |v| item.validate_with(v));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_is_rendered_like_the_input() {
        let mut v = Validator::new(Utc::now());
        v.field("services", |v| v.index(3, |v| v.min("capacity", -2.0, 0.0)));
        let err = v.finish().err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("services[3].capacity: must be >= 0, got -2")
        );
    }

    #[test]
    fn text_rules() {
        assert_eq!(check_text("  ", 10, true), Err(Reason::Empty));
        assert_eq!(
            check_text("abc\u{7}", 10, true),
            Err(Reason::ControlCharacter { index: 3 })
        );
        assert_eq!(
            check_text("abcdef", 3, true),
            Err(Reason::TooLong { max: 3, got: 6 })
        );
        assert_eq!(check_text("line\nbreak", 20, true), Ok(()));
        assert_eq!(check_text("", 20, false), Ok(()));
    }

    #[test]
    fn duplicates_name_the_second_place() {
        let mut v = Validator::new(Utc::now());
        v.unique("ids", ["a", "b", "a"]);
        let e = v.finish().err();
        assert_eq!(
            e.and_then(|e| e.first().map(|f| f.path.clone())).as_deref(),
            Some("ids[2]")
        );
    }

    #[test]
    fn unknown_lists_known_values() {
        let r = Reason::Unknown {
            value: "fod".into(),
            known: vec!["food".into(), "shelter".into()],
        };
        assert_eq!(
            r.to_string(),
            "unknown value `fod`; known values: food, shelter"
        );
    }
}
