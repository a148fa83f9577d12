#![doc = include_str!("../README.md")]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::disallowed_methods,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub use beside_consent as consent;
pub use beside_core as core;
pub use beside_needs as needs;
pub use beside_referral as referral;
pub use beside_reintegration as reintegration;

pub use beside_core::{FieldError, Reason, Validate, ValidationErrors};

pub mod samples;
pub mod synthetic;

/// The JSON Schemas of every public record type, by type name, sorted by name.
pub fn json_schemas() -> Vec<(&'static str, schemars::Schema)> {
    let mut all = beside_core::json_schemas();
    all.extend(beside_needs::json_schemas());
    all.extend(beside_reintegration::json_schemas());
    all.extend(beside_consent::json_schemas());
    all.extend(beside_referral::json_schemas());
    all.sort_by(|a, b| a.0.cmp(b.0));
    all
}
