//! Errors of the HSDS import and export. Problems with single records are not errors: they are
//! entries of the [`super::ImportReport`]. These are the problems that stop an import as a whole.

use beside_core::ValidationErrors;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Why an HSDS import or export failed as a whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum HsdsError {
    /// The input is larger than the limit.
    #[error("input must be at most {max} bytes, got {got}")]
    TooLarge {
        /// The limit, in bytes.
        max: usize,
        /// The size found.
        got: usize,
    },
    /// The input holds more records than the limit.
    #[error("input must hold at most {max} records, got more")]
    TooManyRecords {
        /// The limit.
        max: usize,
    },
    /// The JSON could not be parsed.
    #[error(
        "{}malformed json: {message} (line {line}, column {column})",
        prefix(file)
    )]
    MalformedJson {
        /// The file, for a tabular package; empty otherwise.
        file: String,
        /// The parser's message.
        message: String,
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
    },
    /// A CSV file could not be read.
    #[error("`{file}`: malformed csv at line {line}: {message}")]
    MalformedCsv {
        /// The file.
        file: String,
        /// The line, from 1; 0 when not known.
        line: u64,
        /// The parser's message.
        message: String,
    },
    /// The input is JSON but not an HSDS document or list.
    #[error("{path}: expected {expected}, got {got}")]
    NotHsds {
        /// Where (`$` for the whole document).
        path: String,
        /// What was expected.
        expected: String,
        /// What was found.
        got: String,
    },
    /// A tabular package without any of the directory tables.
    #[error("no directory table found; expected one of {}", expected.join(", "))]
    NoTables {
        /// The tables looked for.
        expected: Vec<String>,
    },
    /// A file or folder could not be read.
    #[error("`{path}`: {message}")]
    Io {
        /// The path.
        path: String,
        /// The system's message.
        message: String,
    },
    /// The import is incomplete and a complete one was asked for.
    #[error("import incomplete: {skipped} directory records skipped (first: {first})")]
    Incomplete {
        /// Directory records skipped.
        skipped: usize,
        /// Where the first one was.
        first: String,
    },
    /// The import options failed their checks (an unknown `beside_code` in `term_codes`…).
    #[error("import options: {0}")]
    BadOptions(ValidationErrors),
    /// The directory failed its checks (never expected after an import: every record is checked
    /// on the way in; reported rather than handed over).
    #[error("{0}")]
    Invalid(ValidationErrors),
}

fn prefix(file: &str) -> String {
    if file.is_empty() {
        String::new()
    } else {
        format!("`{file}`: ")
    }
}

impl From<ValidationErrors> for HsdsError {
    fn from(e: ValidationErrors) -> Self {
        HsdsError::Invalid(e)
    }
}

/// Parse JSON text, refusing oversize input and naming the file in errors.
pub(crate) fn parse(
    text: &str,
    file: &str,
    max_bytes: usize,
) -> Result<serde_json::Value, HsdsError> {
    if text.len() > max_bytes {
        return Err(HsdsError::TooLarge {
            max: max_bytes,
            got: text.len(),
        });
    }
    serde_json::from_str(text).map_err(|e| HsdsError::MalformedJson {
        file: file.to_owned(),
        message: strip_position(&e),
        line: e.line(),
        column: e.column(),
    })
}

fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_owned()
}
