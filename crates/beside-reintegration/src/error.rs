//! The crate's one error type.

use crate::phase::{Phase, PhaseEffect, PhaseStatus};
use beside_core::{EventId, ValidationErrors};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Why a reintegration computation or update was refused. Nothing is changed when it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, thiserror::Error)]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ReintegrationError {
    /// The input broke a rule on some field: events out of date order, assessments of another
    /// case, weights that are negative or sum to zero, a mapping to an unknown domain…
    #[error("{errors}")]
    Invalid {
        /// Every problem found, each with its field path.
        errors: ValidationErrors,
    },
    /// An event would move a phase in a way that makes no sense (a setback in a phase never
    /// started, a referral in a phase the person declined).
    #[error(
        "events[{index}] (`{event_id}`): cannot {} phase `{}` while it is `{}`",
        effect.key(), phase.key(), from.key()
    )]
    ImpossibleTransition {
        /// Position of the event in the list applied.
        index: usize,
        /// The event's id.
        event_id: EventId,
        /// The phase it would move.
        phase: Phase,
        /// The phase's status before the event.
        from: PhaseStatus,
        /// What the event would do.
        effect: PhaseEffect,
    },
    /// Something Beside relies on did not hold: a bug in Beside, never a fault of the input.
    /// Nothing was computed; please report it with the input.
    #[error("internal error: expected {invariant}")]
    Internal {
        /// What should have held.
        invariant: String,
    },
}

impl From<ValidationErrors> for ReintegrationError {
    fn from(errors: ValidationErrors) -> Self {
        ReintegrationError::Invalid { errors }
    }
}

impl From<beside_core::FieldError> for ReintegrationError {
    fn from(e: beside_core::FieldError) -> Self {
        ReintegrationError::Invalid { errors: e.into() }
    }
}
