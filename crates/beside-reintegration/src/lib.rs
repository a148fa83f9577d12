//! # beside-reintegration
//!
//! Reintegration is both an outcome and an ongoing process, measured over time and with
//! setbacks. This crate models it the way the domain brief (§1) asks:
//!
//! - **Phases** ([`phase`], [`timeline`]): return, family and community acceptance, justice,
//!   basic services, livelihoods, and optionally peer support. Each has a status per person
//!   (not started, in progress, achieved, setback, declined by the person), driven by a dated
//!   timeline of events. Declining is a choice, not a failure: no referral moves a declined
//!   phase until the person takes it up again. An impossible transition is a typed error.
//! - **Outcomes** ([`outcome`]): financial health, mental health, connection with family and
//!   acceptance within society (Kasper & Chiang 2020), each derived from needs-assessment
//!   domains through a configurable mapping, and an overall index with configurable weights
//!   (equal by default). A second bundled profile groups the domains as IOM's economic,
//!   social and psychosocial dimensions.
//! - **Trajectories** ([`trajectory`]): outcome scores at each assessment, per-outcome trends,
//!   setbacks (a drop of one level or more), time in each phase, and the next follow-up
//!   ([`followup`]: in crisis 7 days, vulnerable 30, safe 90, building capacity 180, thriving
//!   365, shorter with red flags or risk).
//! - **Risk** ([`risk`]) of re-trafficking or unsafe re-migration: a level with its
//!   contributing factors from explicit inputs (debt and to whom, income, family pressure,
//!   stigma or isolation, intention to migrate, broker contact), never a bare number.
//! - **Cohorts** ([`cohort`]): distributions for researchers from compact 12-byte records,
//!   streamed, with small-cell suppression (default k = 11) including complementary
//!   suppression, so no figure nor difference of figures reveals fewer than k people.
//! - **Tables** ([`table`]): the results as Apache Arrow tables for researchers (points,
//!   outcome scores, trends, setbacks, risk, follow-ups, a suppressed two-way table), each
//!   versioned and readable by pandas, polars and pyarrow from Arrow IPC stream bytes.
//! - **Synthetic cohorts** ([`synthetic::people`]): whole synthetic cases (profile, journey,
//!   assessments, an answer on research) from a seed, 10 to 1,000,000, with every
//!   distribution documented, for researchers' analyses and tests.
//!
//! Every weight, interval and threshold is data ([`ModelConfig`]); every decision carries
//! reason codes and figures, rendered through [`english_labels`] and [`Explain`].
//!
//! ```
//! use beside_reintegration::{ReintegrationModel, OutcomeProfile};
//! use beside_needs::{Assessment, DomainRating};
//! use beside_core::{domains, AssessmentId, CaseId, Level, Rating, WorkerId};
//! use chrono::{TimeZone, Utc};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let rate = |id: &str, month: u32, livelihood: Level| -> Result<Assessment, Box<dyn std::error::Error>> {
//!     Ok(Assessment {
//!         id: AssessmentId::new(id)?,
//!         case_id: CaseId::new("case-01")?,
//!         assessed_at: Utc.with_ymd_and_hms(2025, month, 1, 9, 0, 0).single().ok_or("date")?,
//!         assessed_by: WorkerId::new("worker-1")?,
//!         ratings: vec![
//!             DomainRating { domain: domains::LIVELIHOOD, rating: Rating::Level(livelihood) },
//!             DomainRating { domain: domains::FAMILY, rating: Rating::Level(Level::Safe) },
//!         ],
//!         red_flags: vec![],
//!         own_priorities: vec![],
//!         not_now: vec![],
//!         extra: Default::default(),
//!     })
//! };
//! let assessments = [
//!     rate("a1", 1, Level::Vulnerable)?,
//!     rate("a2", 4, Level::Safe)?,
//!     rate("a3", 7, Level::InCrisis)?,
//! ];
//! let model = ReintegrationModel::default();
//! let now = Utc.with_ymd_and_hms(2025, 8, 1, 0, 0, 0).single().ok_or("date")?;
//! let t = model.trajectory(&assessments, &[], None, now)?;
//! assert_eq!(t.points.len(), 3);
//! assert!(!t.setbacks.is_empty()); // livelihood fell from safe to in crisis
//! assert_eq!(t.follow_up.days, 7); // in crisis: see the person within a week
//! let iom = ReintegrationModel::with_profile(OutcomeProfile::iom_dimensions())?;
//! assert_eq!(iom.trajectory(&assessments, &[], None, now)?.trends.len(), 3);
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

pub mod cohort;
pub mod error;
pub mod followup;
pub mod labels;
pub mod merge;
pub mod model;
pub mod outcome;
pub mod phase;
pub mod risk;
pub mod synthetic;
pub mod table;
pub mod timeline;
pub mod trajectory;

#[cfg(test)]
mod proptests;

pub use cohort::{
    suppress, suppress_two_way, Category, Cell, CohortCase, CohortConfig, CohortCounts,
    CohortSummary, Count, SuppressedTable, Table, Variable, DEFAULT_K,
};
pub use error::ReintegrationError;
pub use followup::{next_follow_up, worst_level, FollowUp, FollowUpConfig, FollowUpReason};
pub use labels::{english_labels, Explain};
pub use model::{ModelConfig, ReintegrationModel, TrendConfig};
pub use outcome::{
    outcomes_of, DomainWeight, OutcomeDefinition, OutcomeKey, OutcomeProfile, OutcomeScore,
};
pub use phase::{next_status, Phase, PhaseEffect, PhaseStatus};
pub use risk::{
    assess_risk, BrokerContact, FamilyPressure, Income, MigrationIntention, RiskAssessment,
    RiskBasis, RiskConfig, RiskFactor, RiskInput, RiskInputs, RiskLevel, SocialSituation,
};
pub use timeline::{
    CaseResult, CaseTimeline, EventKind, Journey, PhaseState, PhaseTime, SetbackCause, StatusDays,
    TimelineEvent,
};
pub use trajectory::{OutcomeTrend, PointScore, Setback, Trajectory, TrajectoryPoint, Trend};

/// The JSON Schemas of this crate's public record types, by type name.
pub fn json_schemas() -> Vec<(&'static str, schemars::Schema)> {
    use schemars::schema_for;
    vec![
        ("ReintegrationError", schema_for!(ReintegrationError)),
        ("MergedJourney", schema_for!(merge::MergedJourney)),
        ("Phase", schema_for!(Phase)),
        ("PhaseStatus", schema_for!(PhaseStatus)),
        ("TimelineEvent", schema_for!(TimelineEvent)),
        ("Journey", schema_for!(Journey)),
        ("CaseTimeline", schema_for!(CaseTimeline)),
        ("PhaseTime", schema_for!(PhaseTime)),
        ("OutcomeProfile", schema_for!(OutcomeProfile)),
        ("ModelConfig", schema_for!(ModelConfig)),
        ("ReintegrationModel", schema_for!(ReintegrationModel)),
        ("Trajectory", schema_for!(Trajectory)),
        ("FollowUp", schema_for!(FollowUp)),
        ("RiskInputs", schema_for!(RiskInputs)),
        ("RiskAssessment", schema_for!(RiskAssessment)),
        ("CohortCase", schema_for!(CohortCase)),
        ("CohortConfig", schema_for!(CohortConfig)),
        ("CohortCounts", schema_for!(CohortCounts)),
        ("CohortSummary", schema_for!(CohortSummary)),
        ("SuppressedTable", schema_for!(SuppressedTable)),
        ("SyntheticCase", schema_for!(synthetic::SyntheticCase)),
        (
            "ResearchAnswer",
            schema_for!(synthetic::people::ResearchAnswer),
        ),
    ]
}
