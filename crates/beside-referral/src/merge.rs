//! Offline merge of a referral edited on two phones (the brief's "Field realities"; the shared
//! rules are in [`beside_core::merge`]).
//!
//! The rules, each a named function:
//!
//! - [`merge_histories`]: when one phone's history is the start of the other's, the longer one
//!   is the merged history (the other phone had not seen the later steps). Two histories that
//!   part ways are not a lifecycle together (a referral is not both accepted and declined): that
//!   is a conflict carrying both, and the merged referral follows one of them whole, so its
//!   history stays a valid lifecycle: by [`withdrawal_wins`] the one that withdrew it (the
//!   person's "no", or her revoked consent), else the later edit's.
//! - the consent records it relies on and its response times are appended facts: the union of
//!   both sides' ([`union_sorted`]);
//! - every other field by [`beside_core::merge::merge_field`].

use crate::deadline::ResponseTime;
use crate::lifecycle::{Referral, ReferralState, Transition};
use beside_core::merge::{
    merge_typed, same_record, settle, to_value, Conflict, Kept, MergeError, Sides, Version,
};
use beside_core::{Timestamp, Validate, Validator, WorkerId};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A merged referral and the conflicts flagged in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct MergedReferral {
    /// The merged referral: its history a valid lifecycle, its state where the history ends.
    pub referral: Referral,
    /// Two different edits of one field, or two histories that part ways, each with both
    /// values, who and when, and which was kept until a person resolves it.
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
}

/// One phone's version of a referral: the value, and who edited it last and when. The same
/// record as [`Version<Referral>`] (its JSON is the `ReferralVersion` schema), named and
/// concrete so that it crosses to Kotlin, Swift and Python, where generic records cannot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ReferralVersion {
    /// The referral as this phone has it.
    pub value: Referral,
    /// Who edited it last on this phone, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_by: Option<WorkerId>,
    /// When it was last edited on this phone.
    pub edited_at: Timestamp,
}

impl From<ReferralVersion> for Version<Referral> {
    fn from(v: ReferralVersion) -> Self {
        Version {
            value: v.value,
            edited_by: v.edited_by,
            edited_at: v.edited_at,
        }
    }
}

impl From<Version<Referral>> for ReferralVersion {
    fn from(v: Version<Referral>) -> Self {
        ReferralVersion {
            value: v.value,
            edited_by: v.edited_by,
            edited_at: v.edited_at,
        }
    }
}

impl Validate for ReferralVersion {
    /// The referral is checked as a referral is (at `value`).
    fn validate_with(&self, v: &mut Validator) {
        v.field("value", |v| self.value.validate_with(v));
    }
}

/// **Merge two phones' versions of one referral** (`base`: the version both last shared, when
/// known), checking the result as a referral is checked at `now`.
///
/// Errors: the versions are of different referrals or cases.
pub fn merge_referrals(
    base: Option<&Referral>,
    ours: &Version<Referral>,
    theirs: &Version<Referral>,
    now: Timestamp,
) -> Result<MergedReferral, MergeError> {
    let (o, t) = (&ours.value, &theirs.value);
    same_record(
        "id",
        o.id.as_str(),
        t.id.as_str(),
        base.map(|b| b.id.as_str()),
    )?;
    same_record(
        "case_id",
        o.case_id.as_str(),
        t.case_id.as_str(),
        base.map(|b| b.case_id.as_str()),
    )?;
    let sides = Sides::of(ours, theirs);
    let mut conflicts = Vec::new();
    let history = merge_histories(&o.history, &t.history, &sides, &mut conflicts)?;
    // The plain fields: everything but what is merged by its own rule above and below.
    let plain = |r: &Referral| Referral {
        history: Vec::new(),
        state: ReferralState::Proposed,
        consent_ids: Vec::new(),
        response_times: Vec::new(),
        ..r.clone()
    };
    let mut referral = merge_typed(
        "",
        base.map(plain).as_ref(),
        &plain(o),
        &plain(t),
        &sides,
        &mut conflicts,
    )?;
    referral.state = history
        .last()
        .map_or(ReferralState::Proposed, |step| step.to.clone());
    referral.history = history;
    referral.consent_ids = union_sorted(&o.consent_ids, &t.consent_ids, |id| Ok(id.to_string()))?;
    referral.response_times =
        union_sorted(&o.response_times, &t.response_times, |rt: &ResponseTime| {
            Ok(beside_core::merge::json_text(&to_value(rt)?))
        })?;
    referral.validate_at(now).map_err(|e| MergeError::Invalid {
        reason: e.to_string(),
    })?;
    Ok(MergedReferral {
        referral,
        conflicts,
    })
}

/// **The merged history**: the longer when one is the start of the other; otherwise a conflict,
/// the merged history following one side whole ([`withdrawal_wins`], else the later edit's).
pub fn merge_histories(
    ours: &[Transition],
    theirs: &[Transition],
    sides: &Sides,
    conflicts: &mut Vec<Conflict>,
) -> Result<Vec<Transition>, MergeError> {
    let shared = ours.iter().zip(theirs).take_while(|(a, b)| a == b).count();
    if shared == ours.len() {
        return Ok(theirs.to_vec());
    }
    if shared == theirs.len() {
        return Ok(ours.to_vec());
    }
    let (ov, tv) = (to_value(&ours)?, to_value(&theirs)?);
    let (kept, rule) = match withdrawal_wins(ours, theirs) {
        Some(side) => (side, Kept::Withdrawal),
        None => {
            let later = settle(&ov, sides.ours.at, &tv, sides.theirs.at);
            (if later == &ov { ours } else { theirs }, Kept::LaterEdit)
        }
    };
    let base = ours.get(..shared).map(to_value).transpose()?;
    conflicts.push(sides.conflict("history", base.as_ref(), Some(&ov), Some(&tv), rule));
    Ok(kept.to_vec())
}

/// **A withdrawal wins**: of two histories that part ways, the one that ends withdrawn, when
/// exactly one does (the person said no, or revoked the consent it relied on).
pub fn withdrawal_wins<'h>(
    ours: &'h [Transition],
    theirs: &'h [Transition],
) -> Option<&'h [Transition]> {
    let withdrawn = |h: &[Transition]| {
        h.last()
            .is_some_and(|t| matches!(t.to, ReferralState::Withdrawn { .. }))
    };
    match (withdrawn(ours), withdrawn(theirs)) {
        (true, false) => Some(ours),
        (false, true) => Some(theirs),
        _ => None,
    }
}

/// **Appended facts**: every item of either side, once, in the order of `key` (so either phone
/// gets the same list); unchanged when both sides hold the same list.
pub fn union_sorted<T: Clone + PartialEq>(
    ours: &[T],
    theirs: &[T],
    key: impl Fn(&T) -> Result<String, MergeError>,
) -> Result<Vec<T>, MergeError> {
    if ours == theirs {
        return Ok(ours.to_vec());
    }
    let mut all = ours
        .iter()
        .chain(theirs)
        .map(|x| key(x).map(|k| (k, x)))
        .collect::<Result<Vec<(String, &T)>, _>>()?;
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all.dedup_by(|a, b| a.0 == b.0);
    Ok(all.into_iter().map(|(_, x)| x.clone()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::{DeclineReason, ReferralEvent, WithdrawReason};
    use beside_core::{
        CaseId, ConsentId, DomainKey, OrganizationId, ReferralId, ServiceId, WorkerId,
    };
    use chrono::{Duration, TimeZone, Utc};

    fn t(m: i64) -> Timestamp {
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap() + Duration::minutes(m)
    }

    fn base() -> Referral {
        let mut r = Referral::propose(
            ReferralId::new("r1").unwrap(),
            CaseId::new("case-01").unwrap(),
            DomainKey::new("shelter").unwrap(),
            ServiceId::new("s1").unwrap(),
            OrganizationId::new("o1").unwrap(),
            t(0),
        );
        r.consent_ids.push(ConsentId::new("c1").unwrap());
        r
    }

    fn v(r: Referral, who: &str, m: i64) -> Version<Referral> {
        Version {
            value: r,
            edited_by: Some(WorkerId::new(who).unwrap()),
            edited_at: t(m),
        }
    }

    fn merge(b: &Referral, o: &Version<Referral>, th: &Version<Referral>) -> MergedReferral {
        merge_referrals(Some(b), o, th, t(10_000)).unwrap()
    }

    #[test]
    fn later_steps_seen_on_one_phone_are_taken() {
        let b = base();
        let sent = b.apply(&ReferralEvent::Send, t(5), None).unwrap();
        let accepted = sent.apply(&ReferralEvent::Accept, t(9), None).unwrap();
        let m = merge(&b, &v(sent, "w1", 5), &v(accepted.clone(), "w2", 9));
        assert_eq!(m.referral, accepted);
        assert!(m.conflicts.is_empty());
    }

    #[test]
    fn accepted_on_one_phone_and_declined_on_the_other_is_a_conflict() {
        let b = base();
        let sent = b.apply(&ReferralEvent::Send, t(5), None).unwrap();
        let accepted = sent.apply(&ReferralEvent::Accept, t(9), None).unwrap();
        let declined = sent
            .apply(
                &ReferralEvent::Decline {
                    reason: DeclineReason::NoCapacity,
                },
                t(8),
                None,
            )
            .unwrap();
        let m = merge(&b, &v(accepted.clone(), "w1", 9), &v(declined, "w2", 8));
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].path, "history");
        assert_eq!(m.conflicts[0].kept, Kept::LaterEdit);
        assert_eq!(
            m.referral.state,
            ReferralState::Accepted,
            "the later edit, held until resolved"
        );
        assert!(m.referral.validate_at(t(10_000)).is_ok());
    }

    #[test]
    fn a_withdrawal_on_either_phone_wins_over_progress_on_the_other() {
        let b = base().apply(&ReferralEvent::Send, t(5), None).unwrap();
        let accepted = b.apply(&ReferralEvent::Accept, t(30), None).unwrap();
        let withdrawn = b
            .apply(
                &ReferralEvent::Withdraw {
                    reason: WithdrawReason::ConsentRevoked {
                        consent_id: ConsentId::new("c1").unwrap(),
                    },
                },
                t(20),
                None,
            )
            .unwrap();
        let m = merge(&b, &v(accepted, "w1", 30), &v(withdrawn.clone(), "w2", 20));
        assert_eq!(m.referral.state, withdrawn.state);
        assert_eq!(m.conflicts[0].kept, Kept::Withdrawal);
    }

    #[test]
    fn consent_ids_are_unioned_and_other_cases_refused() {
        let b = base();
        let mut o = b.clone();
        o.consent_ids.push(ConsentId::new("c2").unwrap());
        let mut th = b.clone();
        th.consent_ids.push(ConsentId::new("c0").unwrap());
        let m = merge(&b, &v(o, "w1", 1), &v(th.clone(), "w2", 2));
        let ids: Vec<_> = m.referral.consent_ids.iter().map(|c| c.as_str()).collect();
        assert_eq!(ids, ["c0", "c1", "c2"]);
        th.case_id = CaseId::new("case-02").unwrap();
        let e = merge_referrals(Some(&b), &v(b.clone(), "w1", 1), &v(th, "w2", 2), t(10_000))
            .unwrap_err();
        assert!(matches!(e, MergeError::DifferentRecords { ref field, .. } if field == "case_id"));
    }

    fn grow(mut r: Referral, events: &[u8], start: i64) -> Referral {
        for (k, e) in events.iter().enumerate() {
            let event = match e {
                0 => ReferralEvent::Send,
                1 => ReferralEvent::Accept,
                2 => ReferralEvent::Decline {
                    reason: DeclineReason::NoCapacity,
                },
                3 => ReferralEvent::Start,
                4 => ReferralEvent::Complete,
                _ => ReferralEvent::Withdraw {
                    reason: WithdrawReason::PersonChangedMind,
                },
            };
            if let Ok(next) = r.apply(&event, t(start + k as i64), None) {
                r = next;
            }
        }
        r
    }

    proptest::proptest! {
        /// Whatever each phone did: the merged history is a valid lifecycle and one of the two
        /// (or the longer of two that agree), no consent id is lost, a withdrawal on one phone
        /// alone wins, swapping the phones changes nothing, and a referral merged with itself is
        /// itself.
        #[test]
        fn merged_referrals_are_valid_lifecycles(
            shared in proptest::collection::vec(0u8..6, 0..3),
            ours in proptest::collection::vec(0u8..6, 0..4),
            theirs in proptest::collection::vec(0u8..6, 0..4),
            om in 0i64..3, tm in 0i64..3,
        ) {
            let b = grow(base(), &shared, 1);
            let o = grow(b.clone(), &ours, 10 + om);
            let th = grow(b.clone(), &theirs, 10 + tm);
            let m = merge(&b, &v(o.clone(), "w1", om), &v(th.clone(), "w2", tm));
            proptest::prop_assert!(m.referral.validate_at(t(10_000)).is_ok());
            proptest::prop_assert!(m.referral.history == o.history || m.referral.history == th.history);
            let withdrawn = |r: &Referral| matches!(r.state, ReferralState::Withdrawn { .. });
            if withdrawn(&o) != withdrawn(&th) {
                proptest::prop_assert!(withdrawn(&m.referral));
            }
            let swapped = merge(&b, &v(th.clone(), "w2", tm), &v(o.clone(), "w1", om));
            proptest::prop_assert_eq!(&swapped.referral, &m.referral);
            proptest::prop_assert_eq!(swapped.conflicts.len(), m.conflicts.len());
            let same = merge(&b, &v(o.clone(), "w1", om), &v(o.clone(), "w2", tm));
            proptest::prop_assert_eq!(&same.referral, &o);
            proptest::prop_assert!(same.conflicts.is_empty());
        }
    }
}
