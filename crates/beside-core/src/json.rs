//! Loading records from JSON: size limit, parse errors with the field path, then validation.
//!
//! Parsing is strict, because a key that is silently dropped changes an answer without anyone
//! noticing (a misspelled `vetos` proposes the vetoed provider, a misspelled `expires` makes a
//! consent last for ever):
//!
//! - **Unknown keys are refused**, naming the key, the path of the record holding it and the
//!   keys that record knows: `vetoes[0]: unknown field `organisation_id`, expected `id` (line 1,
//!   column 40)`. Every record type carries `#[serde(deny_unknown_fields)]`; unit variants of
//!   tagged enums use [`tag_only`]. The one exception is the HSDS importer, which reads what
//!   publishers write and reports what it did not use.
//! - **An app's own data has one named place**: records that need room for it (a case, an
//!   assessment, a consent record, a timeline event, a referral) have an `extra` object, kept
//!   and written back but never read by Beside. It is bounded by the input size limit.
//! - **Nothing may follow the document**: trailing text or a second document is an error at
//!   the root (`input: ...`) saying what follows and where.
//!
//! ```
//! use beside_core::{parse_json, json::DEFAULT_MAX_INPUT_BYTES, Person};
//! let input = r#"{"id": "p-1", "gender": "female", "languages": ["bn"], "nickname": "Mitu"}"#;
//! let err = parse_json::<Person>(input, DEFAULT_MAX_INPUT_BYTES).unwrap_err().to_string();
//! assert!(err.starts_with("input: unknown field `nickname`, expected one of `id`"), "{err}");
//!
//! let two = r#"{"id": "p-1", "gender": "female"} {"id": "p-2", "gender": "male"}"#;
//! let err = parse_json::<Person>(two, DEFAULT_MAX_INPUT_BYTES).unwrap_err().to_string();
//! assert!(err.contains("a second JSON document follows"), "{err}");
//! ```

use crate::error::{FieldError, Reason, Validate, ValidationErrors};
use chrono::{DateTime, Utc};
use serde::de::{DeserializeOwned, IgnoredAny};

/// The largest JSON input accepted by default: 64 MiB. Every `from_json` of Beside's records
/// (and each FFI `<record>_from_json`) reads at most this many bytes; one byte more is refused
/// at the root with [`Reason::TooLarge`] naming the limit and the size. `docs/limits.md` lists
/// every limit of every entry point.
pub const DEFAULT_MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// The deepest nesting of arrays and objects accepted in a JSON input: 127 levels (serde_json's
/// recursion limit of 128 counts the level that fails). Beside's own records nest a few levels;
/// only an app's `extra` data and HSDS input can go deeper. One level more is refused with
/// [`Reason::Malformed`] at the path reached, saying that the input nests deeper than this.
pub const MAX_NESTING_DEPTH: usize = 127;

/// Parse JSON into `T`, reporting where it failed (`services[3].capacity: invalid type…`).
/// Does not validate: use [`from_json`] for records.
///
/// The input is parsed once, tracking the path, and must hold exactly one document: anything
/// after it but whitespace is an error at the root. Unknown keys are refused by the record
/// types themselves (see the [module docs](self)).
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
    let mut de = serde_json::Deserializer::from_str(input);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = record_path(e.path(), &e.inner().to_string());
        malformed(input, path, e.inner())
    })?;
    de.end().map_err(|e| trailing(input, &e))?;
    Ok(value)
}

/// The path of the error as written in the input (`services[3].capacity`, empty at the root).
/// For an unknown key, serde_path_to_error's path ends with the key itself; the path of the
/// record holding it is what a reader needs, and the message names the key.
fn record_path(path: &serde_path_to_error::Path, message: &str) -> String {
    use serde_path_to_error::Segment;
    let segments: Vec<&Segment> = path.iter().collect();
    let segments = match segments.split_last() {
        Some((Segment::Map { key }, parent))
            if message.starts_with(&format!("unknown field `{key}`")) =>
        {
            parent
        }
        _ => segments.as_slice(),
    };
    let mut out = String::new();
    for segment in segments {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            other => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(&other.to_string());
            }
        }
    }
    out
}

/// A parse error at `path`, with serde's message (which names an unknown key and the known
/// ones) and the position, given once rather than twice.
fn malformed(input: &str, path: String, e: &serde_json::Error) -> ValidationErrors {
    let (line, column) = (e.line(), e.column());
    let text = e.to_string();
    let suffix = format!(" at line {line} column {column}");
    let message = text.strip_suffix(&suffix).unwrap_or(&text);
    let message = match second_key(input, line, column) {
        Some(key) if message == "expected value" => {
            format!("unknown field `{key}`; this value is an object with one key only")
        }
        _ if message == "recursion limit exceeded" => format!(
            "arrays and objects nest deeper than {MAX_NESTING_DEPTH} levels, the most accepted"
        ),
        _ => message.replace(", there are no fields", "; this record takes no fields"),
    };
    FieldError::new(
        path,
        Reason::Malformed {
            message,
            line,
            column,
        },
    )
    .into()
}

/// The input from serde_json's position (lines from 1, columns in bytes from 1) on, if the
/// position falls inside it.
fn rest_at(input: &str, line: usize, column: usize) -> Option<&str> {
    let start: usize = input
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
    input.get(start.checked_add(column.checked_sub(1)?)?..)
}

/// An enum written as an object (`{"level": 3}`) holds one key; serde_json reports a second
/// one as "expected value", its position the last byte before the comma that follows the first
/// value. The second key, when the input there is such a comma after a value, then a key.
fn second_key(input: &str, line: usize, column: usize) -> Option<String> {
    let mut chars = rest_at(input, line, column)?.chars();
    chars.next()?;
    let from_comma = chars.as_str();
    let before = input.get(..input.len().checked_sub(from_comma.len())?)?;
    let after_value = !matches!(
        before.trim_end().chars().next_back(),
        None | Some(':' | ',' | '[' | '{')
    );
    let after_comma = from_comma.strip_prefix(',')?.trim_start();
    if !after_value || !after_comma.starts_with('"') {
        return None;
    }
    let mut keys = serde_json::Deserializer::from_str(after_comma).into_iter::<String>();
    keys.next()?.ok()
}

/// The error for data after the document: what follows it (a second document, or the first
/// characters of the text) and where.
fn trailing(input: &str, e: &serde_json::Error) -> ValidationErrors {
    let (line, column) = (e.line(), e.column());
    let message = match rest_at(input, line, column) {
        None => e.to_string(),
        Some(rest) if starts_a_document(rest) => {
            "a second JSON document follows the first; send one document".to_owned()
        }
        Some(rest) => {
            let shown: String = rest.chars().take_while(|c| *c != '\n').take(20).collect();
            let more = if rest.chars().nth(shown.chars().count()).is_some() {
                "…"
            } else {
                ""
            };
            format!("`{shown}{more}` follows the document; nothing may follow it")
        }
    };
    FieldError::new(
        "",
        Reason::Malformed {
            message,
            line,
            column,
        },
    )
    .into()
}

/// Whether `text` starts with a whole JSON value.
fn starts_a_document(text: &str) -> bool {
    matches!(
        serde_json::Deserializer::from_str(text)
            .into_iter::<IgnoredAny>()
            .next(),
        Some(Ok(_))
    )
}

/// Deserialise the body of a unit variant of an internally tagged enum, refusing any key
/// besides the tag. serde ignores such keys even under `deny_unknown_fields`, so
/// `{"kind": "free", "amount": 500}` would read as free. Use it on the variant:
/// `#[serde(deserialize_with = "beside_core::json::tag_only")]`.
pub fn tag_only<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
    struct TagOnly;
    impl<'de> serde::de::Visitor<'de> for TagOnly {
        type Value = ();

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("only the tag")
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
            Ok(())
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            match map.next_key::<String>()? {
                None => Ok(()),
                Some(key) => Err(serde::de::Error::custom(format_args!(
                    "unknown field `{key}`; this kind takes no fields besides its tag"
                ))),
            }
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            match seq.next_element::<IgnoredAny>()? {
                None => Ok(()),
                Some(_) => Err(serde::de::Error::custom(
                    "this kind takes no fields besides its tag",
                )),
            }
        }
    }
    deserializer.deserialize_any(TagOnly)
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

/// One of Beside's own values as a JSON value, to fill a message template or a report.
///
/// INVARIANT: Beside's types serialise to text, finite numbers, lists and maps with text keys,
/// which `serde_json` always writes (the schema tests serialise every public type). Were a type
/// ever to break that, the value reads `"unserialisable: <why>"` in the words and the report
/// instead of vanishing into an empty default.
pub fn to_value_for_words<T: serde::Serialize>(value: &T) -> serde_json::Value {
    match serde_json::to_value(value) {
        Ok(v) => v,
        Err(e) => serde_json::Value::String(format!("unserialisable: {e}")),
    }
}

/// One of Beside's own values as compact JSON text for a report; see [`to_value_for_words`]
/// for why it cannot fail and what shows if it ever did.
pub fn to_text_for_words<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_string(value) {
        Ok(v) => v,
        Err(e) => format!("unserialisable: {e}"),
    }
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

    #[test]
    fn the_size_limit_is_accepted_exactly_and_refused_one_byte_past() {
        let pad = |len: usize| format!("{PERSON}{}", " ".repeat(len - PERSON.len()));
        let at = pad(DEFAULT_MAX_INPUT_BYTES);
        assert_eq!(at.len(), DEFAULT_MAX_INPUT_BYTES);
        assert!(parse_json::<Person>(&at, DEFAULT_MAX_INPUT_BYTES).is_ok());
        let err = parse_json::<Person>(&pad(DEFAULT_MAX_INPUT_BYTES + 1), DEFAULT_MAX_INPUT_BYTES)
            .unwrap_err();
        assert_eq!(err.errors.len(), 1);
        assert_eq!(err.errors[0].path, "");
        assert_eq!(
            err.errors[0].reason,
            Reason::TooLarge {
                max: DEFAULT_MAX_INPUT_BYTES,
                got: DEFAULT_MAX_INPUT_BYTES + 1
            }
        );
    }

    /// `depth` arrays, one inside the other, in an app's own data.
    fn nested(depth: usize) -> String {
        format!(
            r#"{{"extra": {{"k": {}{}}}}}"#,
            "[".repeat(depth - 2),
            "]".repeat(depth - 2)
        )
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct WithExtra {
        extra: serde_json::Map<String, serde_json::Value>,
    }

    #[test]
    fn the_nesting_limit_is_accepted_exactly_and_refused_one_level_past() {
        // The document itself is level 1, `extra` level 2, the arrays the rest.
        let ok = parse_json::<WithExtra>(&nested(MAX_NESTING_DEPTH), DEFAULT_MAX_INPUT_BYTES);
        assert!(ok.is_ok(), "{ok:?}");
        let err = parse_json::<WithExtra>(&nested(MAX_NESTING_DEPTH + 1), DEFAULT_MAX_INPUT_BYTES)
            .unwrap_err();
        let first = &err.errors[0];
        assert!(first.path.starts_with("extra"), "{first}");
        assert!(
            matches!(&first.reason, Reason::Malformed { message, .. }
                if message == "arrays and objects nest deeper than 127 levels, the most accepted"),
            "{first}"
        );
        // Far deeper input is refused the same way, without exhausting the stack.
        let err = parse_err::<WithExtra>(&nested(100_000));
        assert!(err.contains("deeper than 127 levels"), "{err}");
    }

    fn parse_err<T: DeserializeOwned>(input: &str) -> String {
        parse_json::<T>(input, DEFAULT_MAX_INPUT_BYTES)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    const PERSON: &str = r#"{"id": "p1", "gender": "female"}"#;

    #[test]
    fn trailing_text_is_refused_saying_what_follows() {
        let err = parse_err::<Person>(&format!("{PERSON} garbage"));
        assert_eq!(
            err,
            "input: `garbage` follows the document; nothing may follow it (line 1, column 34)"
        );
        let long = parse_err::<Person>(&format!("{PERSON}\n\n  ,{}", "x".repeat(40)));
        assert!(long.contains("`,xxxxxxxxxxxxxxxxxxx…` follows"), "{long}");
        assert!(long.ends_with("(line 3, column 3)"), "{long}");
    }

    #[test]
    fn a_second_document_is_refused() {
        let err = parse_err::<Person>(&format!("{PERSON}\n{PERSON}"));
        assert_eq!(
            err,
            "input: a second JSON document follows the first; send one document (line 2, column 1)"
        );
        let err = parse_err::<Vec<u32>>("[1] [2]");
        assert!(err.contains("second JSON document"), "{err}");
    }

    #[test]
    fn whitespace_after_the_document_is_fine() {
        let p = parse_json::<Person>(&format!(" {PERSON} \n\t\r\n"), DEFAULT_MAX_INPUT_BYTES);
        assert!(p.is_ok(), "{p:?}");
    }

    #[test]
    fn unknown_keys_name_the_key_the_path_and_the_known_keys() {
        let err = parse_err::<Person>(r#"{"id": "p1", "gender": "female", "nickname": "M"}"#);
        assert!(
            err.starts_with("input: unknown field `nickname`, expected one of `id`"),
            "{err}"
        );
        assert!(err.ends_with("(line 1, column 43)"), "{err}");
        // Inside an internally tagged variant: the path is the variant's record.
        let err = parse_err::<Person>(
            r#"{"id": "p1", "gender": "female", "birth": {"kind": "date_of_birth", "date": "2001-04-12", "day": 3}}"#,
        );
        assert!(
            err.starts_with("birth: unknown field `day`, expected `date`"),
            "{err}"
        );
    }

    #[test]
    fn unit_variants_of_tagged_enums_take_only_the_tag() {
        let ok = parse_json::<Reason>(r#"{"code": "empty"}"#, DEFAULT_MAX_INPUT_BYTES);
        assert_eq!(ok.ok(), Some(Reason::Empty));
        let err = parse_err::<Reason>(r#"{"code": "empty", "max": 3}"#);
        assert!(
            err.starts_with(
                "input: unknown field `max`; this kind takes no fields besides its tag"
            ),
            "{err}"
        );
        let err =
            parse_err::<Vec<Reason>>(r#"[{"code": "empty"}, {"max": 3, "code": "not_finite"}]"#);
        assert!(err.starts_with("[1]: unknown field `max`"), "{err}");
    }

    #[test]
    fn a_second_key_in_an_enum_object_is_named() {
        let err =
            parse_err::<Vec<crate::domain::Rating>>(r#"[{"level": 3}, {"level": 3, "note": "x"}]"#);
        assert_eq!(
            err,
            "[1]: unknown field `note`; this value is an object with one key only (line 1, column 26)"
        );
        // A missing value is still reported as one.
        let err = parse_err::<Person>(r#"{"id":, "gender": "female"}"#);
        assert!(err.starts_with("id: expected value"), "{err}");
    }
}
