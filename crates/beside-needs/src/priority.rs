//! The output of prioritisation: an ordered list in which every item says why it is where it is.

use crate::assessment::RedFlag;
use beside_core::{AssessmentId, CaseId, DomainKey, Level, Rating, Timestamp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How soon a need calls for action.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// A red flag: respond within the flag's response time.
    RedFlag,
    /// Score at or above the `urgent` threshold.
    Urgent,
    /// Score at or above the `high` threshold.
    High,
    /// Score at or above the `medium` threshold.
    Medium,
    /// Below the `medium` threshold.
    Low,
}

impl Urgency {
    /// Stable key, as serialised.
    pub fn key(self) -> &'static str {
        match self {
            Urgency::RedFlag => "red_flag",
            Urgency::Urgent => "urgent",
            Urgency::High => "high",
            Urgency::Medium => "medium",
            Urgency::Low => "low",
        }
    }
}

/// Why a domain was placed ahead of a domain that blocks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum AheadCause {
    /// The person ranked this domain ahead of its blocker.
    OwnRank,
    /// This domain carries a red flag with a shorter response time than its blocker.
    RedFlag,
    /// The blocker is on the person's "not now" list.
    BlockerNotNow,
}

impl AheadCause {
    /// Stable key, as serialised.
    pub fn key(self) -> &'static str {
        match self {
            AheadCause::OwnRank => "own_rank",
            AheadCause::RedFlag => "red_flag",
            AheadCause::BlockerNotNow => "blocker_not_now",
        }
    }
}

/// One reason behind an item's place, with its figures. Points add up to the item's score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum PriorityReason {
    /// A red flag was raised for this domain.
    RedFlag {
        /// The flag.
        flag: RedFlag,
        /// Respond within this many minutes.
        respond_within_minutes: u32,
    },
    /// The domain's own level.
    OwnLevel {
        /// The level.
        level: Level,
        /// Points for it.
        points: u32,
    },
    /// The domain has no level in this assessment (declined or not assessed) but is listed
    /// because of a red flag or the person's own ranking.
    Unrated {
        /// The rating given.
        rating: Rating,
    },
    /// A foundational domain at a blocking level.
    Foundational {
        /// Points for it.
        points: u32,
    },
    /// This domain blocks a domain that requires it.
    Blocks {
        /// The blocked domain.
        domain: DomainKey,
        /// The blocked domain's level.
        level: Level,
        /// Points for it (capped in total).
        points: u32,
    },
    /// A domain this one requires is at a blocking level no higher than this one's.
    BlockedBy {
        /// The blocking domain.
        blocker: DomainKey,
        /// Its level.
        blocker_level: Level,
    },
    /// The person's own ranking.
    OwnRank {
        /// 1 for their first priority.
        rank: u32,
        /// Points for it.
        points: u32,
    },
    /// Placed ahead of a domain that blocks it, and why.
    AheadOfBlocker {
        /// The blocking domain placed lower.
        blocker: DomainKey,
        /// Why.
        cause: AheadCause,
    },
    /// The person does not want to work on this now: visible, never proposed for referral.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    NotNow,
}

impl PriorityReason {
    /// The reason code, as serialised in `code`.
    pub fn code(&self) -> &'static str {
        match self {
            PriorityReason::RedFlag { .. } => "red_flag",
            PriorityReason::OwnLevel { .. } => "own_level",
            PriorityReason::Unrated { .. } => "unrated",
            PriorityReason::Foundational { .. } => "foundational",
            PriorityReason::Blocks { .. } => "blocks",
            PriorityReason::BlockedBy { .. } => "blocked_by",
            PriorityReason::OwnRank { .. } => "own_rank",
            PriorityReason::AheadOfBlocker { .. } => "ahead_of_blocker",
            PriorityReason::NotNow => "not_now",
        }
    }

    /// Points this reason adds to the score.
    pub fn points(&self) -> u32 {
        match self {
            PriorityReason::OwnLevel { points, .. }
            | PriorityReason::Foundational { points }
            | PriorityReason::Blocks { points, .. }
            | PriorityReason::OwnRank { points, .. } => *points,
            _ => 0,
        }
    }
}

/// One domain in the prioritised list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct PriorityItem {
    /// Place in the list, 1 first.
    pub position: u32,
    /// The domain.
    pub domain: DomainKey,
    /// Its rating in the assessment (`not_assessed` for a red-flag domain without an entry).
    pub rating: Rating,
    /// Its level, when rated at one.
    pub level: Option<Level>,
    /// The urgency band.
    pub urgency: Urgency,
    /// The score: the sum of the reasons' points (red flags order the list apart from it).
    pub score: u32,
    /// The shortest response time of its red flags, in minutes.
    pub respond_within_minutes: Option<u32>,
    /// Whether the domain may be proposed for referral (false when the person said "not now").
    pub referable: bool,
    /// Why it is where it is.
    pub reasons: Vec<PriorityReason>,
}

/// A domain with an entry but no place in the list: declined or not assessed, with no red flag
/// and no ranking by the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct NotRated {
    /// The domain.
    pub domain: DomainKey,
    /// Its rating: `declined` or `not_assessed`.
    pub rating: Rating,
}

/// The prioritised needs of one assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Prioritisation {
    /// The assessment.
    pub assessment_id: AssessmentId,
    /// Its case.
    pub case_id: CaseId,
    /// When it was made.
    pub assessed_at: Timestamp,
    /// The needs in order: red flags (shortest response time first), then the person's own
    /// priorities in their order, then the rest by score (a blocker before what it blocks),
    /// then the "not now" domains.
    pub items: Vec<PriorityItem>,
    /// Entries with no place in the list, in catalogue order.
    pub not_rated: Vec<NotRated>,
}

impl Prioritisation {
    /// The items that may be proposed for referral, in order.
    pub fn referable(&self) -> impl Iterator<Item = &PriorityItem> {
        self.items.iter().filter(|i| i.referable)
    }

    /// The item of `domain`.
    pub fn item(&self, domain: &str) -> Option<&PriorityItem> {
        self.items.iter().find(|i| i.domain.as_str() == domain)
    }
}
