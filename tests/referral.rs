//! Referral matching on the bundled sample data: no provider is ever proposed without consent,
//! vetoes always win, the output is deterministic, and gaps agree with matching.

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use beside::consent::{Outcome, Purpose, Question, Recipient};
use beside::core::{default_domain_keys, OrganizationKind};
use beside::referral::matching::{
    LedgerGate, MatchConfig, MatchIndex, MatchRequest, Veto, REFERRAL_CATEGORIES,
};
use beside::samples;
use chrono::{TimeZone, Utc};

fn at() -> beside::core::Timestamp {
    Utc.with_ymd_and_hms(2026, 10, 1, 9, 0, 0).unwrap()
}

#[test]
fn no_provider_is_proposed_without_consent() {
    let index = MatchIndex::new(samples::directory().unwrap()).unwrap();
    let mut proposed = 0;
    for case in samples::cases().unwrap() {
        let Ok(ledger) = samples::consent::ledger(case.case_id.as_str()) else {
            continue;
        };
        let req = MatchRequest::from_case(&case, default_domain_keys(), at());
        let result = index
            .match_case(
                &req,
                &MatchConfig::default(),
                &LedgerGate::referral(&ledger),
            )
            .unwrap();
        assert!(result.consent_checked);
        for need in &result.needs {
            for c in &need.candidates {
                let decision = ledger.evaluate(&Question {
                    recipient: Recipient {
                        organization_id: c.organization_id.clone(),
                        kind: c.organization_kind,
                    },
                    purpose: Purpose::ServiceReferral,
                    categories: REFERRAL_CATEGORIES.to_vec(),
                    at: at(),
                });
                assert_eq!(
                    decision.outcome,
                    Outcome::Permit,
                    "{} proposed {} without consent",
                    case.case_id,
                    c.service_id
                );
                proposed += 1;
            }
        }
    }
    assert!(proposed > 0, "the samples should propose someone");
}

#[test]
fn vetoed_kinds_are_never_proposed_and_output_is_deterministic() {
    let index = MatchIndex::new(samples::directory().unwrap()).unwrap();
    for case in samples::cases().unwrap() {
        let mut req = MatchRequest::from_case(&case, default_domain_keys(), at());
        req.vetoes = vec![
            Veto::Kind {
                kind: OrganizationKind::Police,
            },
            Veto::Kind {
                kind: OrganizationKind::FamilyInformal,
            },
        ];
        let gate = beside::referral::matching::ConsentNotChecked;
        let a = index
            .match_case(&req, &MatchConfig::default(), &gate)
            .unwrap();
        let b = index
            .match_case(&req, &MatchConfig::default(), &gate)
            .unwrap();
        assert_eq!(a, b);
        for need in &a.needs {
            for c in &need.candidates {
                assert!(!matches!(
                    c.organization_kind,
                    OrganizationKind::Police | OrganizationKind::FamilyInformal
                ));
            }
        }
    }
}

#[test]
fn the_directory_order_does_not_change_the_answer() {
    let dir = samples::directory().unwrap();
    let mut reversed = dir.clone();
    reversed.services.reverse();
    reversed.organizations.reverse();
    reversed.locations.reverse();
    let a = MatchIndex::new(dir).unwrap();
    let b = MatchIndex::new(reversed).unwrap();
    let gate = beside::referral::matching::ConsentNotChecked;
    for case in samples::cases().unwrap() {
        let req = MatchRequest::from_case(&case, default_domain_keys(), at());
        let ra = a.match_case(&req, &MatchConfig::default(), &gate).unwrap();
        let rb = b.match_case(&req, &MatchConfig::default(), &gate).unwrap();
        assert_eq!(ra, rb, "{}", case.case_id);
    }
}

/// A gate that asks the ledger about every organisation one by one.
struct EachOrganisation<'a>(LedgerGate<'a>);

impl beside::referral::matching::ConsentGate for EachOrganisation<'_> {
    fn refusal(
        &self,
        organization: &beside::referral::Organization,
        at: beside::core::Timestamp,
    ) -> Option<Vec<String>> {
        self.0.refusal(organization, at)
    }
}

/// Matching asks a ledger once per kind about the organisations no record names; that answers
/// exactly as asking about each organisation, on the sample directory and on a synthetic one
/// where the ledgers name nobody.
#[test]
fn consent_asked_once_per_kind_answers_as_asked_per_organisation() {
    use beside::referral::matching::ConsentGate;
    let sample = MatchIndex::new(samples::directory().unwrap()).unwrap();
    let synthetic = MatchIndex::new(beside::referral::synthetic::directory(3_000, 11)).unwrap();
    let mut compared = 0;
    for case in samples::cases().unwrap() {
        let Ok(ledger) = samples::consent::ledger(case.case_id.as_str()) else {
            continue;
        };
        let gate = LedgerGate::referral(&ledger);
        let each = EachOrganisation(LedgerGate::referral(&ledger));
        assert!(each.named_organizations().is_none());
        assert!(gate.named_organizations().is_some());
        let req = MatchRequest::from_case(&case, default_domain_keys(), at());
        for index in [&sample, &synthetic] {
            let config = MatchConfig {
                default_travel_limit_km: 200.0,
                ..MatchConfig::default()
            };
            let a = index.match_case(&req, &config, &gate).unwrap();
            let b = index.match_case(&req, &config, &each).unwrap();
            assert_eq!(a, b, "case {}", case.case_id);
            compared += a.needs.iter().map(|n| n.considered).sum::<u32>();
        }
    }
    assert!(compared > 1000, "only {compared} services compared");
}
