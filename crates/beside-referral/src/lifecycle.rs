//! The referral lifecycle (as in Primero): proposed → sent → accepted or declined (with a
//! reason) → in progress → completed, or closed without service; withdrawn when the consent
//! behind it is revoked. Transitions are pure functions: they return the new referral or a
//! typed error, and never change the old one.

use crate::deadline::ResponseTime;
use beside_core::{
    CaseId, ConsentId, DomainKey, OrganizationId, ReferralId, ServiceId, Timestamp, Validate,
    Validator, WorkerId,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Why a provider declined a referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum DeclineReason {
    /// No open places.
    NoCapacity,
    /// The person is not eligible.
    NotEligible,
    /// A document or order is missing.
    MissingRequirement,
    /// The provider could not reach the person.
    Unreachable,
    /// Another reason, recorded in the case notes.
    Other,
}

/// Why a referral was closed without the service being given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    /// The person chose to stop: their choice, not a failure.
    PersonChoseToStop,
    /// Contact with the person was lost.
    LostContact,
    /// The service stopped or became unavailable.
    ServiceUnavailable,
    /// The person moved away.
    Moved,
    /// Another reason, recorded in the case notes.
    Other,
}

/// Why a referral was withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum WithdrawReason {
    /// A consent it relied on was revoked.
    ConsentRevoked {
        /// The revoked record.
        consent_id: ConsentId,
    },
    /// The person changed their mind before the service began.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    PersonChangedMind,
    /// A safety concern arose about the provider.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    SafetyConcern,
}

/// Where a referral stands.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ReferralState {
    /// Proposed to the person; nothing shared yet.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    Proposed,
    /// Sent to the provider.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    Sent,
    /// Accepted by the provider.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    Accepted,
    /// Declined by the provider.
    Declined {
        /// Why.
        reason: DeclineReason,
    },
    /// The service has begun.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    InProgress,
    /// The service was given.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    Completed,
    /// Closed without the service being given.
    ClosedWithoutService {
        /// Why.
        reason: CloseReason,
    },
    /// Withdrawn.
    Withdrawn {
        /// Why.
        reason: WithdrawReason,
    },
}

impl ReferralState {
    /// Stable key.
    pub fn key(&self) -> &'static str {
        match self {
            ReferralState::Proposed => "proposed",
            ReferralState::Sent => "sent",
            ReferralState::Accepted => "accepted",
            ReferralState::Declined { .. } => "declined",
            ReferralState::InProgress => "in_progress",
            ReferralState::Completed => "completed",
            ReferralState::ClosedWithoutService { .. } => "closed_without_service",
            ReferralState::Withdrawn { .. } => "withdrawn",
        }
    }

    /// Whether the referral is still open (can still change).
    pub fn is_open(&self) -> bool {
        matches!(
            self,
            ReferralState::Proposed
                | ReferralState::Sent
                | ReferralState::Accepted
                | ReferralState::InProgress
        )
    }
}

/// Something that happens to a referral.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ReferralEvent {
    /// Send it to the provider (needs a consent permit for the data sent).
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    Send,
    /// The provider accepts.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    Accept,
    /// The provider declines.
    Decline {
        /// Why.
        reason: DeclineReason,
    },
    /// The service begins.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    Start,
    /// The service is complete.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    Complete,
    /// Close without service.
    Close {
        /// Why.
        reason: CloseReason,
    },
    /// Withdraw it.
    Withdraw {
        /// Why.
        reason: WithdrawReason,
    },
}

impl ReferralEvent {
    /// Stable key.
    pub fn key(&self) -> &'static str {
        match self {
            ReferralEvent::Send => "send",
            ReferralEvent::Accept => "accept",
            ReferralEvent::Decline { .. } => "decline",
            ReferralEvent::Start => "start",
            ReferralEvent::Complete => "complete",
            ReferralEvent::Close { .. } => "close",
            ReferralEvent::Withdraw { .. } => "withdraw",
        }
    }
}

/// One step in a referral's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Transition {
    /// The state it left.
    pub from: ReferralState,
    /// The state it entered.
    pub to: ReferralState,
    /// When.
    pub at: Timestamp,
    /// Who recorded it, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<WorkerId>,
}

/// A referral of one case to one service for one need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Referral {
    /// Id.
    pub id: ReferralId,
    /// The case.
    pub case_id: CaseId,
    /// The need it answers.
    pub need: DomainKey,
    /// The service.
    pub service_id: ServiceId,
    /// The provider.
    pub organization_id: OrganizationId,
    /// The consent records it relies on (so that revoking one reaches it).
    #[serde(default)]
    pub consent_ids: Vec<ConsentId>,
    /// When it was proposed.
    pub created_at: Timestamp,
    /// Where it stands.
    pub state: ReferralState,
    /// Every transition so far, oldest first.
    #[serde(default)]
    pub history: Vec<Transition>,
    /// Its response times (red flags, the service's own), set when it is proposed
    /// ([`crate::deadline::response_times_for`]); [`crate::deadline::overdue`] lists it once one
    /// is late.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub response_times: Vec<ResponseTime>,
    /// The app's own fields; Beside keeps them and never reads them. Any JSON, bounded only by
    /// the input size limit; every other unknown key is refused.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
}

/// An impossible transition, or one that goes back in time. It serialises with its `code`
/// (`impossible_transition`, `out_of_order`, `no_consent`) and its figures.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum LifecycleError {
    /// The event cannot happen in the current state.
    #[error("referral `{referral}`: cannot `{event}` when `{state}`")]
    #[serde(rename = "impossible_transition")]
    Impossible {
        /// The referral.
        referral: ReferralId,
        /// Its state.
        state: String,
        /// The event.
        event: String,
    },
    /// The event is dated before the referral's last change.
    #[error("referral `{referral}`: event at {at} is before the last change at {last}")]
    OutOfOrder {
        /// The referral.
        referral: ReferralId,
        /// The event's time.
        at: Timestamp,
        /// The last change.
        last: Timestamp,
    },
    /// Sending needs at least one consent record to rely on.
    #[error("referral `{referral}`: cannot be sent without a consent record to rely on")]
    NoConsent {
        /// The referral.
        referral: ReferralId,
    },
}

impl Referral {
    /// A new referral in state `proposed`.
    pub fn propose(
        id: ReferralId,
        case_id: CaseId,
        need: DomainKey,
        service_id: ServiceId,
        organization_id: OrganizationId,
        at: Timestamp,
    ) -> Self {
        Self {
            extra: std::collections::BTreeMap::new(),
            id,
            case_id,
            need,
            service_id,
            organization_id,
            consent_ids: Vec::new(),
            created_at: at,
            state: ReferralState::Proposed,
            history: Vec::new(),
            response_times: Vec::new(),
        }
    }

    /// The same referral carrying `response_times` (replacing any it had).
    pub fn with_response_times(mut self, response_times: Vec<ResponseTime>) -> Self {
        self.response_times = response_times;
        self
    }

    /// The time of the last change.
    pub fn last_changed(&self) -> Timestamp {
        self.history.last().map_or(self.created_at, |t| t.at)
    }

    /// Apply `event` at `at`, returning the new referral; the old one is untouched.
    pub fn apply(
        &self,
        event: &ReferralEvent,
        at: Timestamp,
        by: Option<WorkerId>,
    ) -> Result<Referral, LifecycleError> {
        use ReferralEvent as E;
        use ReferralState as S;
        if at < self.last_changed() {
            return Err(LifecycleError::OutOfOrder {
                referral: self.id.clone(),
                at,
                last: self.last_changed(),
            });
        }
        let next = match (&self.state, event) {
            (S::Proposed, E::Send) => {
                if self.consent_ids.is_empty() {
                    return Err(LifecycleError::NoConsent {
                        referral: self.id.clone(),
                    });
                }
                S::Sent
            }
            (S::Sent, E::Accept) => S::Accepted,
            (S::Sent, E::Decline { reason }) => S::Declined { reason: *reason },
            (S::Accepted, E::Start) => S::InProgress,
            (S::InProgress, E::Complete) => S::Completed,
            (S::Accepted | S::InProgress, E::Close { reason }) => {
                S::ClosedWithoutService { reason: *reason }
            }
            (S::Proposed | S::Sent | S::Accepted | S::InProgress, E::Withdraw { reason }) => {
                S::Withdrawn {
                    reason: reason.clone(),
                }
            }
            (state, event) => {
                return Err(LifecycleError::Impossible {
                    referral: self.id.clone(),
                    state: state.key().to_owned(),
                    event: event.key().to_owned(),
                })
            }
        };
        let mut out = self.clone();
        out.history.push(Transition {
            from: self.state.clone(),
            to: next.clone(),
            at,
            by,
        });
        out.state = next;
        Ok(out)
    }
}

/// Withdraw every open referral that relied on `revoked`, at `at`. Returns the withdrawn
/// referrals (new values); referrals that did not rely on it, or are closed, are not returned.
pub fn withdraw_for_revoked(
    referrals: &[Referral],
    revoked: &ConsentId,
    at: Timestamp,
) -> Vec<Referral> {
    withdraw_for_any_revoked(referrals, std::slice::from_ref(revoked), at)
}

/// Withdraw every open referral that relied on any of `revoked` (as
/// [`beside_consent::ConsentLedger::revoked_at`] lists them), at `at` (or at its last change,
/// when that is later). Each is withdrawn once, its reason naming the first revoked record (by
/// id) it relied on. Returns the withdrawn referrals (new values), in the order given;
/// referrals that relied on none of them, or are closed, are not returned.
pub fn withdraw_for_any_revoked(
    referrals: &[Referral],
    revoked: &[ConsentId],
    at: Timestamp,
) -> Vec<Referral> {
    referrals
        .iter()
        .filter(|r| r.state.is_open())
        .filter_map(|r| {
            let consent_id = r.consent_ids.iter().filter(|c| revoked.contains(c)).min()?;
            let at = at.max(r.last_changed());
            // An open referral can always be withdrawn at or after its last change, so this
            // never drops a referral (`revocation_withdraws_open_referrals_only` tests it).
            r.apply(
                &ReferralEvent::Withdraw {
                    reason: WithdrawReason::ConsentRevoked {
                        consent_id: consent_id.clone(),
                    },
                },
                at,
                None,
            )
            .ok()
        })
        .collect()
}

impl Referral {
    /// The referral as an action that depends on consent, for
    /// [`beside_consent::actions_to_withdraw`]: the records it relies on, and whether it is
    /// still open.
    pub fn dependent_action(&self) -> beside_consent::DependentAction {
        beside_consent::DependentAction {
            action: beside_consent::ActionRef::Referral {
                id: self.id.clone(),
            },
            relied_on: self.consent_ids.clone(),
            open: self.state.is_open(),
        }
    }
}

impl Validate for Referral {
    /// Checks the history: in time order, each step starting where the last ended, and the
    /// last ending in the current state.
    fn validate_with(&self, v: &mut Validator) {
        v.not_future("created_at", self.created_at);
        v.field("response_times", |v| self.response_times.validate_with(v));
        let mut state = ReferralState::Proposed;
        let mut last = self.created_at;
        v.field("history", |v| {
            for (i, t) in self.history.iter().enumerate() {
                v.index(i, |v| {
                    v.not_before("at", &t.at, "the previous change", &last);
                    if t.from != state {
                        v.report_at(
                            "from",
                            beside_core::Reason::Invalid {
                                expected: format!(
                                    "`{}`, where the previous step ended",
                                    state.key()
                                ),
                                value: t.from.key().to_owned(),
                            },
                        );
                    }
                });
                state = t.to.clone();
                last = t.at;
            }
        });
        if state != self.state {
            v.report_at(
                "state",
                beside_core::Reason::Invalid {
                    expected: format!("`{}`, where the history ends", state.key()),
                    value: self.state.key().to_owned(),
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};

    fn t(day: u32) -> Timestamp {
        Utc.with_ymd_and_hms(2026, 3, day, 9, 0, 0).unwrap()
    }

    fn referral() -> Referral {
        let mut r = Referral::propose(
            ReferralId::new("r1").unwrap(),
            CaseId::new("case-01").unwrap(),
            DomainKey::new("shelter").unwrap(),
            ServiceId::new("s1").unwrap(),
            OrganizationId::new("o1").unwrap(),
            t(1),
        );
        r.consent_ids.push(ConsentId::new("c1").unwrap());
        r
    }

    #[test]
    fn the_happy_path() {
        let r = referral();
        let r = r.apply(&ReferralEvent::Send, t(2), None).unwrap();
        let r = r.apply(&ReferralEvent::Accept, t(3), None).unwrap();
        let r = r.apply(&ReferralEvent::Start, t(4), None).unwrap();
        let r = r.apply(&ReferralEvent::Complete, t(5), None).unwrap();
        assert_eq!(r.state, ReferralState::Completed);
        assert_eq!(r.history.len(), 4);
        assert!(r.validate_at(t(6)).is_ok());
    }

    #[test]
    fn impossible_transitions_are_errors_and_change_nothing() {
        let r = referral();
        let before = r.clone();
        let err = r.apply(&ReferralEvent::Complete, t(2), None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "referral `r1`: cannot `complete` when `proposed`"
        );
        assert_eq!(r, before);
        let sent = r.apply(&ReferralEvent::Send, t(2), None).unwrap();
        assert!(matches!(
            sent.apply(&ReferralEvent::Send, t(1), None),
            Err(LifecycleError::OutOfOrder { .. })
        ));
    }

    #[test]
    fn cannot_send_without_consent() {
        let mut r = referral();
        r.consent_ids.clear();
        assert!(matches!(
            r.apply(&ReferralEvent::Send, t(2), None),
            Err(LifecycleError::NoConsent { .. })
        ));
    }

    #[test]
    fn revocation_withdraws_open_referrals_only() {
        let open = referral().apply(&ReferralEvent::Send, t(2), None).unwrap();
        let mut done = referral();
        done.id = ReferralId::new("r2").unwrap();
        let done = done
            .apply(&ReferralEvent::Send, t(2), None)
            .and_then(|r| r.apply(&ReferralEvent::Accept, t(3), None))
            .and_then(|r| r.apply(&ReferralEvent::Start, t(3), None))
            .and_then(|r| r.apply(&ReferralEvent::Complete, t(4), None))
            .unwrap();
        let c1 = ConsentId::new("c1").unwrap();
        let out = withdraw_for_revoked(&[open, done], &c1, t(2) + Duration::hours(1));
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].id.as_str(), "r1");
        assert!(matches!(out[0].state, ReferralState::Withdrawn { .. }));
    }

    #[test]
    fn several_revocations_withdraw_each_referral_once() {
        let mut r = referral();
        r.consent_ids.push(ConsentId::new("c0").unwrap());
        let revoked = [ConsentId::new("c1").unwrap(), ConsentId::new("c0").unwrap()];
        let out = withdraw_for_any_revoked(std::slice::from_ref(&r), &revoked, t(2));
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0].state,
            ReferralState::Withdrawn {
                reason: WithdrawReason::ConsentRevoked {
                    consent_id: ConsentId::new("c0").unwrap()
                }
            }
        );
        let action = r.dependent_action();
        assert!(action.open);
        assert_eq!(action.relied_on, r.consent_ids);
        let closed = out[0].dependent_action();
        assert!(!closed.open);
        assert!(withdraw_for_any_revoked(&out, &revoked, t(3)).is_empty());
    }

    #[test]
    fn lifecycle_errors_serialise_with_their_code() {
        let err = referral()
            .apply(&ReferralEvent::Complete, t(2), None)
            .unwrap_err();
        assert_eq!(
            serde_json::to_value(&err).unwrap(),
            serde_json::json!({"code": "impossible_transition", "referral": "r1",
                "state": "proposed", "event": "complete"})
        );
    }

    proptest::proptest! {
        /// Every sequence of events either applies cleanly or is refused with the referral
        /// unchanged; a closed referral never changes again.
        #[test]
        fn transitions_never_corrupt(events in proptest::collection::vec(0u8..7, 0..12)) {
            let mut r = referral();
            for (i, e) in events.iter().enumerate() {
                let event = match e {
                    0 => ReferralEvent::Send,
                    1 => ReferralEvent::Accept,
                    2 => ReferralEvent::Decline { reason: DeclineReason::NoCapacity },
                    3 => ReferralEvent::Start,
                    4 => ReferralEvent::Complete,
                    5 => ReferralEvent::Close { reason: CloseReason::LostContact },
                    _ => ReferralEvent::Withdraw { reason: WithdrawReason::PersonChangedMind },
                };
                let was_open = r.state.is_open();
                if let Ok(next) = r.apply(&event, t(2) + Duration::minutes(i as i64), None) {
                    proptest::prop_assert!(was_open);
                    proptest::prop_assert!(next.validate_at(t(20)).is_ok());
                    r = next;
                }
            }
        }
    }
}
