//! Bundled sample data. **Synthetic**: written by the Beside developers for walkthroughs and
//! tests. No record describes a real person or a real organisation's real capacity; place names
//! are real so that distances and areas behave as they would in the field.
//!
//! Everything is compiled into the crate, so the walkthrough needs no files.

use beside_core::{from_json, CaseProfile, ValidationErrors};
use beside_referral::Directory;

pub mod consent;
pub mod journeys;
pub mod needs;

/// The sample cases, as JSON (a list of [`CaseProfile`]).
pub const CASES_JSON: &str = include_str!("../../data/samples/cases.json");

/// The sample cases, parsed and validated.
pub fn cases() -> Result<Vec<CaseProfile>, ValidationErrors> {
    from_json(CASES_JSON)
}

/// The sample service directory, as JSON (a [`Directory`]): 80 providers, formal and informal,
/// in four districts of Bangladesh and two provinces of Cambodia.
pub const DIRECTORY_JSON: &str = include_str!("../../data/samples/directory.json");

/// The sample service directory, parsed and validated.
pub fn directory() -> Result<Directory, ValidationErrors> {
    from_json(DIRECTORY_JSON)
}
