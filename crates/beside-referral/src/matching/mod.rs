//! Matching one case to providers: hard constraints that exclude with reasons ([`rules`]), soft
//! scores with a per-factor breakdown ([`score`]), pathway steps (a court order, a referral
//! letter) instead of silent exclusions, and near misses. The directory is indexed once
//! ([`index`]: an R-tree of located places per need domain).

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
    Candidate, Exclusion, ExclusionCode, ExclusionCount, Factor, FactorBasis, MatchResult,
    NearMiss, NeedMatch, PathwayStep, ScoreFactor,
};

#[cfg(test)]
mod index_tests;
#[cfg(test)]
mod tests;
