//! Matching one case to providers: hard constraints that exclude with reasons, soft scores with
//! a per-factor breakdown, pathway steps (a court order, a referral letter) instead of silent
//! exclusions, and near misses.

pub mod config;
pub mod consent;
pub mod engine;
pub mod index;
pub mod request;
pub mod result;

pub use config::{MatchConfig, ScoreWeights};
pub use consent::{LedgerGate, REFERRAL_CATEGORIES};
pub use engine::{ConsentGate, ConsentNotChecked, MatchError};
pub use index::MatchIndex;
pub use request::{MatchRequest, Money, Preferences, SafetyConcern, SafetyFlag, Veto};
pub use result::{
    Candidate, Exclusion, ExclusionCode, ExclusionCount, Factor, FactorBasis, MatchResult,
    NearMiss, NeedMatch, PathwayStep, ScoreFactor,
};

#[cfg(test)]
mod reference_tests;
#[cfg(test)]
mod tests;
