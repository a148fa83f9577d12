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
//! # beside-core
//!
//! The shared vocabulary of Beside: opaque ids, person basics (age from a date of birth or an
//! approximate age, gender, ISO 639 languages, ISO 3166 nationality), places (administrative-area
//! paths and WGS84 coordinates with great-circle distance), the calendar of a case's place
//! ([`TimeZone`]: ages and "today" are taken on the local date), the need domains and the
//! five-level scale, label tables for other languages, and one error pattern for the whole
//! workspace: a field path plus a reason.
//!
//! ```
//! use beside_core::{from_json_at, CaseProfile, Validate};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let err = beside_core::from_json::<beside_core::Person>(
//!     r#"{"id": "p-1", "gender": "female", "languages": ["bn", "xx"]}"#,
//! ).unwrap_err();
//! assert!(err.to_string().starts_with("languages[1]: must be an ISO 639-1"));
//! # Ok(()) }
//! ```

pub mod case;
pub mod codes;
pub mod domain;
pub mod error;
#[cfg(feature = "uniffi")]
pub mod ffi;
pub mod id;
pub mod json;
pub mod labels;
pub mod merge;
pub mod organization;
pub mod person;
pub mod place;
pub mod rng;
pub mod table;
pub mod zone;

pub use case::{CaseProfile, Creditor, Debt, FamilyStance, Guardian, ReturnJourney, ReturnRoute};
pub use codes::{CountryCode, LanguageCode};
pub use domain::{default_domain_keys, domains, DomainKey, Level, Rating, DEFAULT_DOMAINS};
pub use error::{FieldError, Reason, Validate, ValidationErrors, Validator};
pub use id::{
    AssessmentId, CaseId, ConsentId, EventId, LocationId, OrganizationId, PersonId, ReferralId,
    ServiceId, WorkerId,
};
pub use json::{from_json, from_json_at, parse_json, to_json};
pub use labels::{Arg, Labels, LabelsError, LocalePack};
pub use organization::OrganizationKind;
pub use person::{Birth, Gender, Person, AGE_OF_MAJORITY};
pub use place::{AreaPath, Coordinates};
pub use zone::TimeZone;

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();

/// A moment in time, always UTC.
pub type Timestamp = chrono::DateTime<chrono::Utc>;

/// The JSON Schemas of this crate's public record types, by type name.
pub fn json_schemas() -> Vec<(&'static str, schemars::Schema)> {
    vec![
        ("CaseProfile", schemars::schema_for!(CaseProfile)),
        ("Conflict", schemars::schema_for!(merge::Conflict)),
        ("MergeError", schemars::schema_for!(merge::MergeError)),
        (
            "MergedCaseProfile",
            schemars::schema_for!(merge::MergedCaseProfile),
        ),
        ("Person", schemars::schema_for!(Person)),
        ("AreaPath", schemars::schema_for!(AreaPath)),
        ("Coordinates", schemars::schema_for!(Coordinates)),
        ("Labels", schemars::schema_for!(Labels)),
        ("LabelsError", schemars::schema_for!(LabelsError)),
        ("Rating", schemars::schema_for!(Rating)),
        ("Level", schemars::schema_for!(Level)),
        ("TimeZone", schemars::schema_for!(TimeZone)),
        ("ValidationErrors", schemars::schema_for!(ValidationErrors)),
    ]
}
