//! The crate's one error type.

use beside_core::{CaseId, ValidationErrors};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Why a needs operation was refused. Nothing is changed when an error is returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum NeedsError {
    /// The input broke one or more field rules; each error names its field path.
    #[error("{0}")]
    Invalid(ValidationErrors),
    /// Two assessments compared belong to different cases.
    #[error("assessments belong to different cases: `{before}` and `{after}`")]
    DifferentCases {
        /// The case of the earlier assessment.
        before: CaseId,
        /// The case of the later assessment.
        after: CaseId,
    },
    /// A check of the engine's own invariants failed: a bug in Beside, not in the input.
    /// Nothing was computed; please report it with the input.
    #[error("internal error: {detail}")]
    Internal {
        /// Which invariant broke.
        detail: String,
    },
}

impl From<ValidationErrors> for NeedsError {
    fn from(e: ValidationErrors) -> Self {
        NeedsError::Invalid(e)
    }
}

impl From<beside_core::FieldError> for NeedsError {
    fn from(e: beside_core::FieldError) -> Self {
        NeedsError::Invalid(e.into())
    }
}
