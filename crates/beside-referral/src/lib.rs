//! # beside-referral
//!
//! Referral matching. So far: the service directory, aligned with Open Referral HSDS 3.0 plus the
//! fields this field needs. Matching, plans, the referral lifecycle, batch assignment and gap
//! analysis build on it.

#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod assign;
pub mod directory;
pub mod hsds;
pub mod lifecycle;
pub mod matching;

pub use directory::{
    Cost, Directory, Eligibility, GenderServed, Location, Organization, Service, ServiceStatus,
};

/// The JSON Schemas of this crate's public record types, by type name.
pub fn json_schemas() -> Vec<(&'static str, schemars::Schema)> {
    vec![("Directory", schemars::schema_for!(Directory))]
}
