//! What a revocation reaches: every open action (a referral, a scheduled share, a follow-up
//! contact) that relied on a revoked record must be withdrawn.

use crate::ledger::ConsentLedger;
use beside_core::{ConsentId, EventId, ReferralId, Timestamp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// An action that may depend on consent.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ActionRef {
    /// A referral.
    Referral {
        /// Its id.
        id: ReferralId,
    },
    /// Another event: a scheduled data share, a follow-up contact.
    Event {
        /// Its id.
        id: EventId,
    },
}

/// An action and the consent records it relied on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct DependentAction {
    /// The action.
    pub action: ActionRef,
    /// The consent records it relied on.
    pub relied_on: Vec<ConsentId>,
    /// Whether it is still open (a closed or completed action has nothing left to withdraw).
    pub open: bool,
}

/// An action that must be withdrawn, and the revoked records that require it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    /// The action.
    pub action: ActionRef,
    /// The revoked records it relied on, sorted by id.
    pub because_of: Vec<ConsentId>,
}

/// Every open action in `actions` that relied on one of `revoked`, sorted by action. An action
/// that relied on several records is withdrawn when any one of them is revoked: what it shared
/// under the revoked record can no longer be shared, and a new decision must be taken.
pub fn actions_to_withdraw(revoked: &[ConsentId], actions: &[DependentAction]) -> Vec<Withdrawal> {
    // Sets, not list scans: both lists are bounded only by the input size, and a scan of
    // `revoked` per relied-on id (or a re-sort per repeated action) is quadratic.
    let revoked: BTreeSet<&ConsentId> = revoked.iter().collect();
    let mut by_action: BTreeMap<&ActionRef, BTreeSet<&ConsentId>> = BTreeMap::new();
    for a in actions.iter().filter(|a| a.open) {
        for id in a.relied_on.iter().filter(|id| revoked.contains(id)) {
            by_action.entry(&a.action).or_default().insert(id);
        }
    }
    by_action
        .into_iter()
        .map(|(action, ids)| Withdrawal {
            action: action.clone(),
            because_of: ids.into_iter().cloned().collect(),
        })
        .collect()
}

impl ConsentLedger {
    /// The ids of records revoked at or before `at`.
    pub fn revoked_at(&self, at: Timestamp) -> Vec<ConsentId> {
        self.records
            .iter()
            .filter(|r| r.revoked.as_ref().is_some_and(|rev| rev.at <= at))
            .map(|r| r.id.clone())
            .collect()
    }

    /// Every open action that relied on a record revoked at or before `at`.
    pub fn actions_to_withdraw(
        &self,
        actions: &[DependentAction],
        at: Timestamp,
    ) -> Vec<Withdrawal> {
        actions_to_withdraw(&self.revoked_at(at), actions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cid(s: &str) -> ConsentId {
        ConsentId::new(s).unwrap()
    }

    fn referral(id: &str, relied: &[&str], open: bool) -> DependentAction {
        DependentAction {
            action: ActionRef::Referral {
                id: ReferralId::new(id).unwrap(),
            },
            relied_on: relied.iter().map(|s| cid(s)).collect(),
            open,
        }
    }

    #[test]
    fn only_open_dependants_are_listed() {
        let actions = vec![
            referral("ref-2", &["c-1", "c-2"], true),
            referral("ref-1", &["c-1"], true),
            referral("ref-3", &["c-1"], false),
            referral("ref-4", &["c-3"], true),
        ];
        let w = actions_to_withdraw(&[cid("c-1")], &actions);
        let ids: Vec<_> = w.iter().map(|w| w.action.clone()).collect();
        assert_eq!(
            ids,
            vec![actions[1].action.clone(), actions[0].action.clone()]
        );
        assert_eq!(w[0].because_of, vec![cid("c-1")]);
    }

    #[test]
    fn the_same_action_twice_is_listed_once() {
        let actions = vec![
            referral("ref-1", &["c-1"], true),
            referral("ref-1", &["c-2"], true),
        ];
        let w = actions_to_withdraw(&[cid("c-1"), cid("c-2")], &actions);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].because_of, vec![cid("c-1"), cid("c-2")]);
    }

    /// Lists far longer than a ledger's (the free function takes any list of revoked ids, and
    /// both lists are bounded only by the 64 MiB input): each action is listed once, with each
    /// revoked record it relied on once, in order. Set look-ups keep this near-linear: with
    /// 20,000 revoked ids and 20,000 actions (plus a repeated one) the list-scanning version
    /// took seconds.
    #[test]
    fn long_lists_are_answered_once_per_action() {
        let n = 20_000;
        let revoked: Vec<ConsentId> = (0..n).map(|i| cid(&format!("c-{i:05}"))).collect();
        let mut actions: Vec<DependentAction> = (0..n)
            .map(|i| {
                let own = format!("c-{i:05}");
                referral(&format!("ref-{i:05}"), &["other", &own], true)
            })
            .collect();
        for i in 0..n {
            actions.push(referral("ref-all", &[&format!("c-{:05}", n - 1 - i)], true));
        }
        actions.push(referral("ref-closed", &["c-00000"], false));
        let w = actions_to_withdraw(&revoked, &actions);
        assert_eq!(w.len(), n + 1);
        let all = w
            .iter()
            .find(|w| w.action == referral("ref-all", &[], true).action);
        assert_eq!(all.map(|w| &w.because_of), Some(&revoked));
        assert_eq!(w[0].because_of, vec![cid("c-00000")]);
        assert!(w.windows(2).all(|p| p[0].action < p[1].action));
    }
}
