//! The one error every foreign caller sees: each domain crate's error becomes a variant of
//! [`BesideError`], so a failure arrives as a typed exception (`BesideException.Invalid` in
//! Kotlin, `BesideError.Invalid` in Swift and Python), never as a panic or a bare string.

use beside::consent::{ChainBroken, ConsentError};
use beside::core::{FieldError, ValidationErrors};
use beside::needs::NeedsError;
use beside::reintegration::ReintegrationError;

/// Why a call was refused. A refused call changes nothing.
///
/// The field holding the full English text is called `detail` (not `message`, which Kotlin's
/// `Throwable` already owns); every variant carries a stable `code` or `reason` for apps.
#[derive(Debug, Clone, PartialEq, thiserror::Error, uniffi::Error)]
pub enum BesideError {
    /// The input broke one or more field rules (or was not valid JSON). `path` and `reason`
    /// are those of the first problem (`ratings[2].domain`, `unknown`); `errors_json` holds
    /// every problem as the `ValidationErrors` JSON of the schemas.
    #[error("{detail}")]
    Invalid {
        /// Field path of the first problem from the root of the input; empty for the whole input.
        path: String,
        /// Reason code of the first problem (`empty`, `unknown`, `malformed`, `in_future`, ...).
        reason: String,
        /// Every problem, in English.
        detail: String,
        /// Every problem as JSON (`{"errors": [{"path": ..., "reason": {"code": ...}}]}`).
        errors_json: String,
    },
    /// A record asked for by id does not exist.
    #[error("{detail}")]
    NotFound {
        /// What kind of record (`consent_record`, `case`, ...).
        what: String,
        /// The id asked for.
        id: String,
        /// In English.
        detail: String,
    },
    /// The input was valid but the operation is not allowed in the current state (two
    /// assessments of different cases, a consent already revoked, an impossible transition,
    /// a broken audit chain...).
    #[error("{detail}")]
    Refused {
        /// The domain error's code (`different_cases`, `already_revoked`, ...).
        code: String,
        /// In English.
        detail: String,
        /// The domain error as JSON (its schema is the crate's error type).
        error_json: String,
    },
}

/// The serde `code` tag of a value serialised as `{"code": ...}`, or `fallback`.
pub(crate) fn code_of<T: serde::Serialize>(value: &T, fallback: &str) -> String {
    tag_of(value, "code").unwrap_or_else(|| fallback.to_owned())
}

/// The serde tag `tag` of a value serialised as `{"<tag>": ...}`.
pub(crate) fn tag_of<T: serde::Serialize>(value: &T, tag: &str) -> Option<String> {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.get(tag).and_then(|c| c.as_str()).map(str::to_owned))
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

impl From<ValidationErrors> for BesideError {
    fn from(e: ValidationErrors) -> Self {
        let (path, reason) = e.first().map_or_else(
            || (String::new(), "invalid".to_owned()),
            |f| (f.path.clone(), code_of(&f.reason, "invalid")),
        );
        BesideError::Invalid {
            path,
            reason,
            detail: e.to_string(),
            errors_json: to_json(&e),
        }
    }
}

impl From<FieldError> for BesideError {
    fn from(e: FieldError) -> Self {
        ValidationErrors::from(e).into()
    }
}

impl BesideError {
    /// A refusal carrying a domain error.
    pub(crate) fn refused<E: serde::Serialize + std::fmt::Display>(e: &E, fallback: &str) -> Self {
        BesideError::Refused {
            code: code_of(e, fallback),
            detail: e.to_string(),
            error_json: to_json(e),
        }
    }
}

impl From<NeedsError> for BesideError {
    fn from(e: NeedsError) -> Self {
        match e {
            NeedsError::Invalid(errors) => errors.into(),
            other => BesideError::refused(&other, "needs_error"),
        }
    }
}

impl From<ConsentError> for BesideError {
    fn from(e: ConsentError) -> Self {
        match e {
            ConsentError::Invalid { errors } => errors.into(),
            ConsentError::UnknownRecord { id } => BesideError::NotFound {
                what: "consent_record".to_owned(),
                detail: format!("no consent record `{id}`"),
                id: id.to_string(),
            },
            ConsentError::AuditRejected { reason } => reason.into(),
            other => BesideError::refused(&other, "consent_error"),
        }
    }
}

impl From<ChainBroken> for BesideError {
    fn from(e: ChainBroken) -> Self {
        BesideError::refused(&e, "chain_broken")
    }
}

impl From<ReintegrationError> for BesideError {
    fn from(e: ReintegrationError) -> Self {
        match e {
            ReintegrationError::Invalid { errors } => errors.into(),
            other => BesideError::refused(&other, "reintegration_error"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use beside::core::Reason;

    #[test]
    fn validation_errors_keep_the_first_path_and_reason() {
        let e: BesideError = FieldError::new("ratings[0].domain", Reason::Empty).into();
        match e {
            BesideError::Invalid {
                path,
                reason,
                detail,
                errors_json,
            } => {
                assert_eq!(path, "ratings[0].domain");
                assert_eq!(reason, "empty");
                assert_eq!(detail, "ratings[0].domain: must not be empty");
                assert!(errors_json.contains("\"code\":\"empty\""));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
