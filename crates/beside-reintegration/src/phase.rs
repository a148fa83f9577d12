//! Reintegration phases and the status each has for one person.
//!
//! Phases are not a line: a person can work on justice before family acceptance, pause one,
//! decline another. What is fixed is which status changes make sense; [`next_status`] says so,
//! and a change that makes no sense is an error rather than a silent no-op.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A phase of reintegration (after the Bangladesh/Cambodia referral research).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Return or repatriation, formal or on one's own.
    Return,
    /// Acceptance by family and community.
    FamilyCommunityAcceptance,
    /// Access to justice.
    Justice,
    /// Access to basic services: health, mental health, shelter, documents.
    BasicServices,
    /// Livelihoods and financial health.
    Livelihood,
    /// Optional: peer support and leadership (joining a survivor group).
    PeerSupport,
}

impl Phase {
    /// All phases, in the order they are usually shown.
    pub const ALL: [Phase; 6] = [
        Phase::Return,
        Phase::FamilyCommunityAcceptance,
        Phase::Justice,
        Phase::BasicServices,
        Phase::Livelihood,
        Phase::PeerSupport,
    ];

    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            Phase::Return => "return",
            Phase::FamilyCommunityAcceptance => "family_community_acceptance",
            Phase::Justice => "justice",
            Phase::BasicServices => "basic_services",
            Phase::Livelihood => "livelihood",
            Phase::PeerSupport => "peer_support",
        }
    }

    /// Position in [`Phase::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether the phase is optional (peer support is an offer, never an expectation).
    pub fn is_optional(self) -> bool {
        self == Phase::PeerSupport
    }

    /// The key of this phase's label: `reintegration.phase.<key>`.
    pub fn label_key(self) -> String {
        format!("reintegration.phase.{}", self.key())
    }
}

/// A phase's status for one person.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum PhaseStatus {
    /// Nothing has happened in this phase yet.
    #[default]
    NotStarted,
    /// Work is under way.
    InProgress,
    /// Reached.
    Achieved,
    /// Something went backwards (rejection, lost income, a dismissed case).
    Setback,
    /// The person chose not to pursue this phase: a choice that is respected, not a failure.
    Declined,
}

impl PhaseStatus {
    /// All statuses.
    pub const ALL: [PhaseStatus; 5] = [
        PhaseStatus::NotStarted,
        PhaseStatus::InProgress,
        PhaseStatus::Achieved,
        PhaseStatus::Setback,
        PhaseStatus::Declined,
    ];

    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            PhaseStatus::NotStarted => "not_started",
            PhaseStatus::InProgress => "in_progress",
            PhaseStatus::Achieved => "achieved",
            PhaseStatus::Setback => "setback",
            PhaseStatus::Declined => "declined",
        }
    }

    /// Position in [`PhaseStatus::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The key of this status's label: `reintegration.status.<key>`.
    pub fn label_key(self) -> String {
        format!("reintegration.status.{}", self.key())
    }
}

/// What an event does to a phase.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum PhaseEffect {
    /// Work on the phase (a referral, a service, a case filed): starts or resumes it; in an
    /// achieved phase it is follow-up work and the status stays.
    Work,
    /// The phase is reached.
    Achieve,
    /// The phase went backwards.
    Setback,
    /// The person declines the phase.
    Decline,
    /// The person takes up a phase they had declined.
    Resume,
}

impl PhaseEffect {
    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            PhaseEffect::Work => "work",
            PhaseEffect::Achieve => "achieve",
            PhaseEffect::Setback => "setback",
            PhaseEffect::Decline => "decline",
            PhaseEffect::Resume => "resume",
        }
    }
}

/// The status after `effect` on a phase in status `from`, or `None` when the change is
/// impossible:
///
/// | from \ effect | work | achieve | setback | decline | resume |
/// |---|---|---|---|---|---|
/// | not started | in progress | achieved | — | declined | — |
/// | in progress | in progress | achieved | setback | declined | — |
/// | achieved | achieved | — | setback | — | — |
/// | setback | in progress | achieved | setback | declined | — |
/// | declined | — | — | — | — | in progress |
///
/// A declined phase moves only when the person takes it up again: no referral or service
/// overrides their choice.
pub fn next_status(from: PhaseStatus, effect: PhaseEffect) -> Option<PhaseStatus> {
    use PhaseEffect as E;
    use PhaseStatus as S;
    match (from, effect) {
        (S::NotStarted | S::InProgress | S::Setback, E::Work) => Some(S::InProgress),
        (S::Achieved, E::Work) => Some(S::Achieved),
        (S::NotStarted | S::InProgress | S::Setback, E::Achieve) => Some(S::Achieved),
        (S::InProgress | S::Achieved | S::Setback, E::Setback) => Some(S::Setback),
        (S::NotStarted | S::InProgress | S::Setback, E::Decline) => Some(S::Declined),
        (S::Declined, E::Resume) => Some(S::InProgress),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declined_moves_only_on_resume() {
        for e in [
            PhaseEffect::Work,
            PhaseEffect::Achieve,
            PhaseEffect::Setback,
            PhaseEffect::Decline,
        ] {
            assert_eq!(next_status(PhaseStatus::Declined, e), None, "{e:?}");
        }
        assert_eq!(
            next_status(PhaseStatus::Declined, PhaseEffect::Resume),
            Some(PhaseStatus::InProgress)
        );
    }

    #[test]
    fn nothing_to_lose_before_starting() {
        assert_eq!(
            next_status(PhaseStatus::NotStarted, PhaseEffect::Setback),
            None
        );
        assert_eq!(
            next_status(PhaseStatus::Achieved, PhaseEffect::Achieve),
            None
        );
        assert_eq!(
            next_status(PhaseStatus::Achieved, PhaseEffect::Work),
            Some(PhaseStatus::Achieved)
        );
    }

    #[test]
    fn indices_match_all() {
        for (i, p) in Phase::ALL.iter().enumerate() {
            assert_eq!(p.index(), i);
        }
        for (i, s) in PhaseStatus::ALL.iter().enumerate() {
            assert_eq!(s.index(), i);
        }
    }
}
