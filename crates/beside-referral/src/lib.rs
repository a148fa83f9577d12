//! # beside-referral
//!
//! Referral matching: needs to formal and informal providers.
//!
//! - [`directory`]: the service directory, aligned with Open Referral HSDS 3.0 plus the fields
//!   this field needs; [`hsds`] imports and exports HSDS. A service's area is given by name
//!   (administrative paths) and/or drawn as GeoJSON shapes ([`area`]): a person is in it when
//!   her home area lies within a named area or her home coordinates inside a shape, either
//!   sufficing; with shapes and no coordinates, only a named area can place her.
//! - [`matching`]: one case against the directory. Hard constraints exclude with reasons (a veto
//!   or safety flag always wins; consent is checked through beside-consent), soft scores rank the
//!   rest with a per-factor breakdown, near misses show the "bridges to nowhere".
//! - [`plan`]: several needs, foundational first, fewer providers preferred.
//! - [`lifecycle`]: proposed → sent → accepted or declined → in progress → completed, or closed
//!   without service; withdrawn when its consent is revoked.
//! - [`deadline`]: response times from red flags and services, and the overdue referrals on a
//!   case worker's list, with their figures.
//! - [`merge`]: a referral edited on two phones offline, merged into one valid lifecycle, with
//!   conflicts flagged.
//! - [`assign`]: exact minimum-cost batch assignment of a caseload to limited capacities.
//! - [`gaps`]: per area and need, what a person could actually reach, and unmet need in a cohort.
//! - [`table`]: match results (candidates with their factors, exclusions and near misses), gap
//!   tables and batch assignments as Apache Arrow tables, for researchers' batches and for
//!   crossing a language boundary as Arrow IPC bytes.
//! - [`whereabouts`]: confidential places, whose address and coordinates only entitled viewers
//!   see (others get a distance band), and the one rule every output applies.

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

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();
#[cfg(feature = "uniffi")]
mod ffi;

pub mod area;
pub mod assign;
pub mod deadline;
pub mod directory;
pub mod gaps;
// HSDS makes almost every field optional and the importer's report records what was absent:
// there an absent text is the empty text, as HSDS itself writes it. The no-fallback rule
// (CONTRIBUTING.md) is for values the code looked up, which the importer does not default.
#[allow(
    clippy::disallowed_methods,
    reason = "HSDS optional text: absent reads as empty, and the import report says so"
)]
pub mod hsds;
pub mod lifecycle;
pub mod matching;
pub mod merge;
pub mod plan;
pub mod render;
pub mod synthetic;
pub mod table;
pub mod whereabouts;

pub use area::AreaShape;
pub use directory::{
    Cost, Directory, Eligibility, GenderServed, Location, Organization, Service, ServiceStatus,
    WebLink,
};
pub use hsds::{HsdsError, Import, ImportOptions, ImportReport};
pub use whereabouts::{may_see_whereabouts, Confidentiality, DistanceBand, Viewer};

/// The JSON Schemas of this crate's public record types, by type name.
pub fn json_schemas() -> Vec<(&'static str, schemars::Schema)> {
    use schemars::schema_for;
    vec![
        ("Directory", schema_for!(Directory)),
        ("Import", schema_for!(Import)),
        ("ImportOptions", schema_for!(ImportOptions)),
        ("ImportReport", schema_for!(ImportReport)),
        ("HsdsError", schema_for!(HsdsError)),
        ("ExportOptions", schema_for!(hsds::ExportOptions)),
        ("MatchRequest", schema_for!(matching::MatchRequest)),
        ("MatchConfig", schema_for!(matching::MatchConfig)),
        ("MatchResult", schema_for!(matching::MatchResult)),
        ("Plan", schema_for!(plan::Plan)),
        ("PlanConfig", schema_for!(plan::PlanConfig)),
        ("Referral", schema_for!(lifecycle::Referral)),
        ("ReferralEvent", schema_for!(lifecycle::ReferralEvent)),
        ("ResponseTime", schema_for!(deadline::ResponseTime)),
        (
            "ReferralVersion",
            schema_for!(beside_core::merge::Version<lifecycle::Referral>),
        ),
        ("MergedReferral", schema_for!(merge::MergedReferral)),
        ("OverdueReferral", schema_for!(deadline::OverdueReferral)),
        ("GapQuery", schema_for!(gaps::GapQuery)),
        ("AreaNeedGap", schema_for!(gaps::AreaNeedGap)),
        ("UnmetNeed", schema_for!(gaps::UnmetNeed)),
        ("Assignment", schema_for!(assign::Assignment)),
        ("AssignmentProblem", schema_for!(assign::AssignmentProblem)),
        ("AssignStats", schema_for!(assign::AssignStats)),
        ("CaseloadSpec", schema_for!(assign::synthetic::CaseloadSpec)),
    ]
}
