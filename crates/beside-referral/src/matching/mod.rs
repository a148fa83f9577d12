//! Matching one case to providers: hard constraints that exclude with reasons (`rules`), soft
//! scores with a per-factor breakdown (`score`), pathway steps (a court order, a referral
//! letter) instead of silent exclusions, and near misses. The directory is indexed once
//! ([`index`]: an R-tree of located places per need domain).
//!
//! The service-area rule (`rules::serves_home`): a person is inside a service's area when her
//! home area lies within one of its named areas (`service_areas`) or her home coordinates inside
//! one of its drawn shapes (`service_extents`, on an edge counting as inside); either suffices.
//! With shapes and no coordinates, only a named area can place her. A service with neither
//! serves where its locations are. An exclusion `outside_service_area` says which test decided
//! ([`AreaTest`]).

pub mod config;
pub mod consent;
pub mod engine;
pub mod index;
pub mod request;
pub mod result;
pub(crate) mod rules;
pub(crate) mod score;

pub use config::{MatchConfig, ScoreWeights};
pub use consent::{LedgerGate, REFERRAL_CATEGORIES};
pub use engine::{ConsentGate, ConsentNotChecked, MatchError};
pub use index::MatchIndex;
pub use request::{MatchRequest, Money, Preferences, SafetyConcern, SafetyFlag, Veto};
pub use result::{
    AreaTest, Candidate, Exclusion, ExclusionCode, ExclusionCount, Factor, FactorBasis,
    MatchResult, NearMiss, NeedMatch, PathwayStep, ScoreFactor,
};

#[cfg(test)]
mod index_tests;
#[cfg(test)]
mod tests;
