//! # beside-needs
//!
//! Needs assessment: interrelated needs, prioritised with reasons, the person's own voice
//! included.
//!
//! A person returning from trafficking rarely has one need. Food, shelter, safety and physical
//! health are foundational, mental health conditions everything, and a barrier in one domain
//! blocks others ("a survivor won't be able to work if they don't have enough food to eat").
//! This crate turns an [`Assessment`] (a level 1–5 per domain, red flags, the person's own
//! ranking and "not now" list) into an ordered list in which every item says why it is where it
//! is, as data an app can render in the person's language:
//!
//! - [`catalogue`]: the domains as data (16 defaults with an anchor description per level);
//! - [`graph`]: which domain requires which (validated: unknown domains, self-loops, cycles);
//! - [`config`]: every weight, threshold and red-flag response time, with defaults;
//! - [`engine`]: [`NeedsModel`] compiled into a [`Prioritiser`]; each rule of prioritisation is
//!   one function there, named after the rule;
//! - [`table`]: many assessments as an Apache Arrow table (one row per rating), ranked into a
//!   priorities table with every reason and its figures: for researchers' batches and for
//!   crossing a language boundary as Arrow IPC bytes; a table is read into the same plain form
//!   as a record and ranked by the same rules;
//! - [`priority`]: the output records and their reason codes;
//! - [`compare`]: two assessments of one person compared, setbacks flagged;
//! - [`render`]: English templates and rendering through [`beside_core::Labels`].
//!
//! Red flags come first (shortest response time first). The person's own priorities come next,
//! in their order: their ranking outranks any score, and where it places a domain before the
//! domain that blocks it, the reasons say so. The rest follow by score (own level, what it
//! blocks, foundational), a blocker always before what it blocks. "Not now" domains stay visible
//! at the end but are never referable.
//!
//! ```
//! use beside_needs::{Assessment, Prioritiser, PriorityReason};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let assessment: Assessment = serde_json::from_str(r#"{
//!     "id": "asmt-1", "case_id": "case-1", "assessed_at": "2025-06-01T10:00:00Z",
//!     "assessed_by": "worker-1",
//!     "ratings": [
//!         {"domain": "food", "rating": {"level": 1}},
//!         {"domain": "livelihood", "rating": {"level": 2}},
//!         {"domain": "mental_health", "rating": {"level": 3}}
//!     ]
//! }"#)?;
//! let prioritiser = Prioritiser::standard();
//! let list = prioritiser.prioritise(&assessment)?;
//! assert_eq!(list.items[0].domain.as_str(), "food");
//! let livelihood = list.item("livelihood").ok_or("missing")?;
//! assert!(livelihood.reasons.iter().any(|r| matches!(r,
//!     PriorityReason::BlockedBy { blocker, .. } if blocker.as_str() == "food")));
//! let labels = beside_needs::render::labels();
//! let en = beside_core::LanguageCode::new("en")?;
//! let line = beside_needs::render::render_item(livelihood, &labels, &en);
//! assert!(line.contains("blocked by Food (level 1, in crisis)"), "{line}");
//! # Ok(()) }
//! ```

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

pub mod assessment;
pub mod catalogue;
pub mod compare;
pub mod config;
pub mod engine;
pub mod error;
pub mod graph;
pub mod merge;
pub mod priority;
mod reading;
pub mod render;
pub mod table;

pub use assessment::{Assessment, DomainRating, RedFlag};
pub use catalogue::{Catalogue, DomainEntry, LevelAnchor};
pub use compare::{AssessmentComparison, Change, DomainChange};
pub use config::{LevelPoints, NeedsConfig, RedFlagRule, UrgencyThresholds};
pub use engine::{
    BatchSummary, DomainCount, NeedsModel, Prioritiser, RankedEntry, Ranking, UnratedEntry,
};
pub use error::NeedsError;
pub use graph::{Dependency, DependencyGraph};
pub use priority::{AheadCause, NotRated, Prioritisation, PriorityItem, PriorityReason, Urgency};
pub use render::english_labels;

/// The JSON Schemas of this crate's public record types, by type name.
pub fn json_schemas() -> Vec<(&'static str, schemars::Schema)> {
    use schemars::schema_for;
    vec![
        ("Assessment", schema_for!(Assessment)),
        ("MergedAssessments", schema_for!(merge::MergedAssessments)),
        ("AssessmentComparison", schema_for!(AssessmentComparison)),
        ("BatchSummary", schema_for!(BatchSummary)),
        ("Catalogue", schema_for!(Catalogue)),
        ("DependencyGraph", schema_for!(DependencyGraph)),
        ("NeedsConfig", schema_for!(NeedsConfig)),
        ("NeedsError", schema_for!(NeedsError)),
        ("NeedsModel", schema_for!(NeedsModel)),
        ("Prioritisation", schema_for!(Prioritisation)),
        ("Ranking", schema_for!(Ranking)),
    ]
}
