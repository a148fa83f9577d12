//! Loading records from JSON: size limit, parse errors with the field path, then validation.

use crate::error::{FieldError, Reason, Validate, ValidationErrors};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;

/// The largest JSON input accepted by default: 64 MiB.
pub const DEFAULT_MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// Parse JSON into `T`, reporting where it failed (`services[3].capacity: invalid type…`).
/// Does not validate: use [`from_json`] for records.
///
/// Valid input is parsed once, without tracking the path (tracking it costs about three
/// times the parse); only input that fails is parsed again, with the path, to report where.
pub fn parse_json<T: DeserializeOwned>(
    input: &str,
    max_bytes: usize,
) -> Result<T, ValidationErrors> {
    if input.len() > max_bytes {
        return Err(FieldError::new(
            "",
            Reason::TooLarge {
                max: max_bytes,
                got: input.len(),
            },
        )
        .into());
    }
    if let Ok(value) = serde_json::from_str(input) {
        return Ok(value);
    }
    let de = &mut serde_json::Deserializer::from_str(input);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        let inner = e.into_inner();
        let (line, column) = (inner.line(), inner.column());
        let text = inner.to_string();
        let suffix = format!(" at line {line} column {column}");
        let message = text.strip_suffix(&suffix).unwrap_or(&text).to_owned();
        FieldError::new(
            path,
            Reason::Malformed {
                message,
                line,
                column,
            },
        )
        .into()
    })
}

/// Parse and validate a record, judging "in the future" against `now`.
pub fn from_json_at<T: DeserializeOwned + Validate>(
    input: &str,
    now: DateTime<Utc>,
) -> Result<T, ValidationErrors> {
    let value: T = parse_json(input, DEFAULT_MAX_INPUT_BYTES)?;
    value.validate_at(now)?;
    Ok(value)
}

/// Parse and validate a record, judging "in the future" against the current time.
pub fn from_json<T: DeserializeOwned + Validate>(input: &str) -> Result<T, ValidationErrors> {
    from_json_at(input, Utc::now())
}

/// Serialise a record to pretty JSON. Records hold only maps with string keys and finite
/// numbers, so this cannot fail in practice; a failure is still reported, not panicked.
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String, ValidationErrors> {
    serde_json::to_string_pretty(value).map_err(|e| {
        FieldError::new(
            "",
            Reason::Malformed {
                message: e.to_string(),
                line: 0,
                column: 0,
            },
        )
        .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::Person;

    #[test]
    fn parse_errors_name_the_field() {
        let input = r#"{"id": "p1", "gender": "female", "languages": ["bn", "zz"]}"#;
        let err = from_json::<Person>(input).err().map(|e| e.to_string());
        let err = err.unwrap_or_default();
        assert!(err.starts_with("languages[1]: "), "{err}");
        assert!(err.contains("ISO 639"), "{err}");
    }

    #[test]
    fn unknown_variant_lists_known_ones() {
        let input = r#"{"id": "p1", "gender": "femail"}"#;
        let err = from_json::<Person>(input).err().map(|e| e.to_string());
        let err = err.unwrap_or_default();
        assert!(err.starts_with("gender: "), "{err}");
        assert!(err.contains("female"), "{err}");
    }

    #[test]
    fn oversize_input_is_refused() {
        let err = parse_json::<Person>("{}", 1).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("input: input must be at most 1 bytes, got 2")
        );
    }
}
