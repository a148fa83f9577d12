//! The one error every foreign caller sees: each domain crate's error becomes a variant of
//! [`BesideError`], so a failure arrives as a typed exception (`BesideException.Invalid` in
//! Kotlin, `BesideError.Invalid` in Swift and Python), never as a panic or a bare string.

use beside::consent::{ChainBroken, ConsentError};
use beside::core::merge::MergeError;
use beside::core::{FieldError, ValidationErrors};
use beside::needs::NeedsError;
use beside::reintegration::ReintegrationError;

/// Why a call was refused. A refused call changes nothing.
///
/// The field holding the full English text is called `detail` (not `message`, which Kotlin's
/// `Throwable` already owns); every variant carries a stable `code` or `reason` for apps.
#[derive(Debug, Clone, PartialEq, thiserror::Error, uniffi::Error)]
pub enum BesideError {
    /// The input broke one or more field rules (or was not valid JSON). `path` is that of the
    /// first problem (`ratings[2].domain`); `errors` holds every problem, each with its path and
    /// its typed [`beside::core::Reason`] (with the figures: the limit and the value found).
    #[error("{detail}")]
    Invalid {
        /// Field path of the first problem from the root of the input; empty for the whole input.
        path: String,
        /// Every problem, in English.
        detail: String,
        /// Every problem: path and typed reason.
        errors: Vec<FieldError>,
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
        // INVARIANT: a `ValidationErrors` holds at least one error; were it ever empty, the
        // path is the root's (empty) and `errors` shows that nothing was named.
        let path = match e.first() {
            Some(first) => first.path.clone(),
            None => String::new(),
        };
        BesideError::Invalid {
            path,
            detail: e.to_string(),
            errors: e.errors,
        }
    }
}

impl From<FieldError> for BesideError {
    fn from(e: FieldError) -> Self {
        ValidationErrors::from(e).into()
    }
}

impl BesideError {
    /// The error of item `index` of a batch: every path gains the prefix `[index]`
    /// (`[3].ratings[0].domain`), so the caller finds the item.
    pub(crate) fn at_index(self, index: usize) -> Self {
        self.under(&format!("[{index}]"))
    }

    /// The error of argument (or item) `prefix`: every field path is put under it
    /// (`case_id` becomes `timeline.case_id`, `[0].id` becomes `assessments[0].id`, the root
    /// becomes `timeline`) and the detail is written again from the paths. Other errors pass
    /// unchanged.
    pub(crate) fn under(self, prefix: &str) -> Self {
        let at = |path: &str| {
            if path.is_empty() {
                prefix.to_owned()
            } else if path.starts_with('[') {
                format!("{prefix}{path}")
            } else {
                format!("{prefix}.{path}")
            }
        };
        match self {
            BesideError::Invalid { errors, .. } => ValidationErrors {
                errors: errors
                    .into_iter()
                    .map(|e| FieldError::new(at(&e.path), e.reason))
                    .collect(),
            }
            .into(),
            other => other,
        }
    }

    /// A refusal carrying a domain error.
    pub(crate) fn refused<E: serde::Serialize + std::fmt::Display>(e: &E, fallback: &str) -> Self {
        BesideError::Refused {
            code: code_of(e, fallback),
            detail: e.to_string(),
            error_json: to_json(e),
        }
    }
}

/// A merge refused (the same codes from every domain): `different_records` with the field and
/// both values when the versions are of different records, `invalid_merge` for a merged record
/// that failed its own checks (a bug in a merge rule), `merge_json` for one that could not be
/// written as JSON. The fields are in `error_json`.
impl From<MergeError> for BesideError {
    fn from(e: MergeError) -> Self {
        BesideError::refused(&e, "merge_error")
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
                detail,
                errors,
            } => {
                assert_eq!(path, "ratings[0].domain");
                assert_eq!(errors[0].reason, Reason::Empty);
                assert_eq!(detail, "ratings[0].domain: must not be empty");
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
