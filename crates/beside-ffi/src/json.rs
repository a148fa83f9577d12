//! JSON in, JSON out: the helpers behind every `*_json` function.

use crate::error::BesideError;
use beside::core::{json::DEFAULT_MAX_INPUT_BYTES, parse_json, ValidationErrors};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Parse `input` as `T` (the error names the field path), without validating.
pub(crate) fn parse<T: DeserializeOwned>(input: &str) -> Result<T, BesideError> {
    parse_json(input, DEFAULT_MAX_INPUT_BYTES).map_err(BesideError::from)
}

/// Parse `input` as an optional `T`: empty text or `null` is `None`.
pub(crate) fn parse_opt<T: DeserializeOwned>(input: &str) -> Result<Option<T>, BesideError> {
    if input.trim().is_empty() {
        return Ok(None);
    }
    parse(input)
}

/// Parse an optional input whose absence has a documented default (an absent config is the
/// default config, absent events are none): empty text or `null` is `T::default()`.
#[allow(
    clippy::disallowed_methods,
    reason = "the one place an absent FFI input takes its documented default"
)]
pub(crate) fn parse_or_default<T: DeserializeOwned + Default>(
    input: &str,
) -> Result<T, BesideError> {
    Ok(parse_opt(input)?.unwrap_or_default())
}

/// The key a unit enum value serialises to (`contact`, `beyond_travel_limit`).
///
/// INVARIANT: called on unit enum values only, which serialise to a string; anything else
/// comes back as its JSON text, so a misuse shows instead of reading as an empty key.
pub(crate) fn key_of<T: Serialize>(value: &T) -> String {
    match beside::core::json::to_value_for_words(value) {
        serde_json::Value::String(key) => key,
        other => other.to_string(),
    }
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

/// Turn `value` (an id, a domain key, an enum key) into `T`, or a field error at `path`.
pub(crate) fn field<T, E>(
    errors: &mut Vec<beside::core::FieldError>,
    path: impl FnOnce() -> String,
    value: impl Into<String>,
) -> Option<T>
where
    T: TryFrom<String, Error = E>,
    E: Into<beside::core::Reason>,
{
    match T::try_from(value.into()) {
        Ok(v) => Some(v),
        Err(reason) => {
            errors.push(beside::core::FieldError::new(path(), reason.into()));
            None
        }
    }
}

/// An enum key (`"police"`, `"service_referral"`) as the domain enum `T`, or a field error.
pub(crate) fn key<T: DeserializeOwned>(
    errors: &mut Vec<beside::core::FieldError>,
    path: impl FnOnce() -> String,
    value: &str,
) -> Option<T> {
    match serde_json::from_value(serde_json::Value::String(value.to_owned())) {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(beside::core::FieldError::new(
                path(),
                beside::core::Reason::Malformed {
                    message: e.to_string(),
                    line: 0,
                    column: 0,
                },
            ));
            None
        }
    }
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
