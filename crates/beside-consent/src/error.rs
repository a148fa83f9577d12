//! The crate's one error type.

use beside_core::{ConsentId, FieldError, Reason, ValidationErrors};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Why a consent operation was refused. A refused operation changes nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ConsentError {
    /// The input was invalid; each problem names its field.
    #[error("{errors}")]
    Invalid {
        /// The problems.
        errors: ValidationErrors,
    },
    /// No record has this id.
    #[error("no consent record `{id}`")]
    UnknownRecord {
        /// The id asked for.
        id: ConsentId,
    },
    /// The record was already revoked.
    #[error("consent record `{id}` was already revoked at {at}")]
    AlreadyRevoked {
        /// The record.
        id: ConsentId,
        /// When it was revoked.
        at: String,
    },
    /// An audit entry could not be appended.
    #[error("audit entry rejected: {reason}")]
    AuditRejected {
        /// Why.
        reason: FieldError,
    },
}

impl From<ValidationErrors> for ConsentError {
    fn from(errors: ValidationErrors) -> Self {
        ConsentError::Invalid { errors }
    }
}

impl From<FieldError> for ConsentError {
    fn from(e: FieldError) -> Self {
        ConsentError::Invalid { errors: e.into() }
    }
}

impl ConsentError {
    /// An invalid-input error at `path`.
    pub(crate) fn at(path: impl Into<String>, reason: Reason) -> Self {
        FieldError::new(path, reason).into()
    }

    /// Whether the error names exactly `path`.
    pub fn has_path(&self, path: &str) -> bool {
        match self {
            ConsentError::Invalid { errors } => errors.has_path(path),
            ConsentError::AuditRejected { reason } => reason.path == path,
            _ => false,
        }
    }
}
