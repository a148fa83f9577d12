//! Checking typed input, and JSON as the interchange format.
//!
//! - [`checked`]: every typed input is read back through the JSON deserialiser, so it is
//!   refused with the same field path and reason as the same value written as JSON.
//! - [`json_pair!`]: one `<record>_from_json` / `<record>_to_json` pair per top-level record,
//!   matching `schemas/`.

use crate::error::BesideError;
use beside::core::{json::DEFAULT_MAX_INPUT_BYTES, parse_json, ValidationErrors};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Parse `input` as `T` (the error names the field path), without validating.
pub(crate) fn parse<T: DeserializeOwned>(input: &str) -> Result<T, BesideError> {
    parse_json(input, DEFAULT_MAX_INPUT_BYTES).map_err(BesideError::from)
}

/// Serialise `value` as compact JSON.
pub(crate) fn out<T: Serialize>(value: &T) -> Result<String, BesideError> {
    serde_json::to_string(value).map_err(|e| {
        ValidationErrors::from(beside::core::FieldError::new(
            "",
            beside::core::Reason::Malformed {
                message: e.to_string(),
                line: 0,
                column: 0,
            },
        ))
        .into()
    })
}

/// `Err` with every collected error, or `Ok(())` when there are none.
pub(crate) fn finish(errors: Vec<beside::core::FieldError>) -> Result<(), BesideError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ValidationErrors { errors }.into())
    }
}

/// An IANA time zone id (`Asia/Dhaka`) as a zone, or a field error at `path` that says how to
/// write one; empty text is UTC (no place known).
pub(crate) fn time_zone(path: &str, text: &str) -> Result<beside::core::TimeZone, BesideError> {
    if text.trim().is_empty() {
        return Ok(beside::core::TimeZone::UTC);
    }
    beside::core::TimeZone::new(text).map_err(|reason| {
        ValidationErrors::from(beside::core::FieldError::new(path, reason)).into()
    })
}

/// `value`, checked exactly as the same value written as JSON would be: it is written as JSON
/// and read back by the deserialiser that reads JSON input (strict keys, id and key rules,
/// ranges), so a typed input that breaks a rule is refused with the same field path and
/// reason as JSON. Every typed input of this crate goes through here before any use (see
/// `beside_core::ffi`: lifts of ids, keys and areas do not check them).
pub(crate) fn checked<T: Serialize + DeserializeOwned>(value: T) -> Result<T, BesideError> {
    let text = out(&value)?;
    // The text was written by serde from a value already in memory: the input-size limit of
    // JSON text (a guard against oversized documents) does not apply to it.
    parse_json(&text, text.len()).map_err(BesideError::from)
}

/// Each top-level record gets `<name>_from_json(json)` (parse, strict, with field paths) and
/// `<name>_to_json(value)` (the JSON of `schemas/<Type>.json`). The value is checked on the
/// way out too, since it may have been built abroad.
macro_rules! json_pair {
    ($($ty:ty => $from:ident, $to:ident;)*) => {$(
        /// Read the record from JSON (its schema is `schemas/<Type>.json`): unknown keys,
        /// trailing text and broken rules are refused with the field path.
        #[uniffi::export]
        pub fn $from(json: String) -> Result<$ty, $crate::error::BesideError> {
            $crate::json::parse(&json)
        }

        /// Write the record as JSON (its schema is `schemas/<Type>.json`), after checking it as
        /// JSON input is checked.
        #[uniffi::export]
        pub fn $to(value: $ty) -> Result<String, $crate::error::BesideError> {
            $crate::json::out(&$crate::json::checked(value)?)
        }
    )*};
}
pub(crate) use json_pair;
