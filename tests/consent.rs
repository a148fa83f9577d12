//! Consent: the engine against a deliberately simple reference evaluator, and the bundled sample
//! consents against the sample cases and directory.

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../crates/beside-consent/tests/support/mod.rs"]
mod support;

#[path = "support/consent_reference.rs"]
mod consent_reference;

use beside::consent::*;
use beside::core::{ConsentId, OrganizationId, Timestamp};
use beside::samples;
use consent_reference::reference;
use proptest::prelude::*;
use std::collections::HashSet;
use support::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The engine and the reference evaluator give the same decision, reasons and all.
    #[test]
    fn the_engine_agrees_with_the_reference((s, records, q) in arb_world()) {
        let engine = ledger(&s, &records).evaluate(&q);
        let simple = reference(&s, &policy(), &records, &q);
        prop_assert_eq!(engine, simple);
    }

    /// A ledger grown record by record and then revoked from (its compiled index rebuilt at
    /// each change) answers as the reference does over the records it ends up holding.
    #[test]
    fn the_engine_agrees_after_adds_and_revocations(
        (s, records, q) in arb_world(),
        start in 0usize..12,
        revoke in proptest::collection::vec((any::<prop::sample::Index>(), 0i64..1500), 0..4),
    ) {
        let start = start.min(records.len());
        let mut l = ledger(&s, &records[..start]);
        for r in &records[start..] {
            l.add(r.clone(), now()).unwrap();
        }
        for (which, after) in revoke {
            let open: Vec<ConsentId> = l
                .records()
                .iter()
                .filter(|r| r.revoked.is_none())
                .map(|r| r.id.clone())
                .collect();
            if open.is_empty() {
                break;
            }
            let id = which.get(&open).clone();
            let at = l.record(&id).unwrap().granted_at + chrono::Duration::days(after);
            l.revoke(&id, at, "changed my mind", now()).unwrap();
        }
        let engine = l.evaluate(&q);
        let simple = reference(&s, &policy(), l.records(), &q);
        prop_assert_eq!(engine, simple);
    }

    /// Asked a nanosecond before, at, or a nanosecond after any moment on file (a grant, an
    /// expiry, a revocation, an assent), the engine still agrees with the reference.
    #[test]
    fn the_engine_agrees_at_every_boundary(
        (s, records, q) in arb_world(),
        which in any::<prop::sample::Index>(),
        kind in 0usize..4,
        nudge in -1i64..=1,
    ) {
        let moments: Vec<Timestamp> = records
            .iter()
            .flat_map(|r| {
                [
                    Some(r.granted_at),
                    r.expires_at,
                    r.revoked.as_ref().map(|x| x.at),
                    r.assent.as_ref().map(|a| a.given_at),
                ]
                .into_iter()
                .skip(kind)
                .flatten()
            })
            .collect();
        prop_assume!(!moments.is_empty());
        let q = Question {
            at: *which.get(&moments) + chrono::Duration::nanoseconds(nudge),
            ..q
        };
        let engine = ledger(&s, &records).evaluate(&q);
        let simple = reference(&s, &policy(), &records, &q);
        prop_assert_eq!(engine, simple);
    }

    /// With more organisations on file than fit the engine's 64-bit masks (so some are matched
    /// by reading the record itself), the engine still agrees with the reference.
    #[test]
    fn the_engine_agrees_with_many_organisations(
        (s, records, q) in arb_world(),
        names in proptest::collection::vec(0usize..100, 3),
    ) {
        let rename = |id: &OrganizationId| -> OrganizationId {
            match id.as_str() {
                "org-a" => org(&format!("org-{:03}", names[0])),
                "org-b" => org(&format!("org-{:03}", names[1])),
                _ => org(&format!("org-{:03}", names[2])),
            }
        };
        let mut records: Vec<ConsentRecord> = records
            .into_iter()
            .map(|mut r| {
                for scope in &mut r.recipients {
                    if let RecipientScope::Organization { id } = scope {
                        *id = rename(id);
                    }
                }
                r.recipients.dedup();
                r
            })
            .collect();
        // Refusals naming all hundred organisations, never in force at a question's moment.
        for (n, orgs) in [(0usize, 0usize..50), (1, 50..100)] {
            records.push(refusal(
                &format!("z-wide-{n}"),
                &[Purpose::ServiceReferral],
                orgs.map(|i| RecipientScope::Organization {
                    id: org(&format!("org-{i:03}")),
                })
                .collect(),
                &[DataCategory::Identity],
                5000,
            ));
        }
        let mut q = q;
        q.recipient.organization_id = rename(&q.recipient.organization_id);
        let engine = ledger(&s, &records).evaluate(&q);
        let simple = reference(&s, &policy(), &records, &q);
        prop_assert_eq!(engine, simple);
    }
}

// ---- the sample consents ----------------------------------------------------------------

#[test]
fn every_sample_case_has_a_valid_ledger() {
    let records = samples::consent::consents().unwrap();
    assert!(records.len() >= 20, "{}", records.len());
    let cases = samples::cases().unwrap();
    let case_ids: HashSet<_> = cases.iter().map(|c| c.case_id.clone()).collect();
    for r in &records {
        assert!(
            case_ids.contains(&r.case_id),
            "{} names unknown case {}",
            r.id,
            r.case_id
        );
    }
    for c in &cases {
        samples::consent::ledger(c.case_id.as_str()).unwrap();
    }
}

#[test]
fn sample_consents_name_organisations_of_the_directory() {
    let directory = samples::directory().unwrap();
    let ids: HashSet<String> = directory
        .organizations
        .iter()
        .map(|o| o.id.to_string())
        .collect();
    for r in samples::consent::consents().unwrap() {
        for s in &r.recipients {
            if let RecipientScope::Organization { id } = s {
                assert!(
                    ids.contains(id.as_str()),
                    "{}: `{}` is not in the directory",
                    r.id,
                    id
                );
            }
        }
    }
}

#[test]
fn the_samples_hold_what_they_promise() {
    let records = samples::consent::consents().unwrap();
    let has = |f: &dyn Fn(&ConsentRecord) -> bool| records.iter().any(f);
    assert!(has(&|r| r.kind == RecordKind::Refusal
        && r.recipients.contains(&RecipientScope::Kind {
            kind: RecipientKind::Police
        })));
    assert!(has(
        &|r| matches!(r.given_by, GivenBy::Guardian { .. }) && r.assent.is_some()
    ));
    assert!(has(&|r| matches!(r.given_by, GivenBy::BestInterest { .. })));
    assert!(has(&|r| r.expires_at.is_some_and(|e| e < t(2200))));
    assert!(has(&|r| r.revoked.is_some()));
}

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn ask(
    org: &str,
    kind: RecipientKind,
    purpose: Purpose,
    cats: &[DataCategory],
    when: &str,
) -> Question {
    Question {
        recipient: Recipient {
            organization_id: beside::core::OrganizationId::new(org).unwrap(),
            kind,
        },
        purpose,
        categories: cats.to_vec(),
        at: at(when),
    }
}

#[test]
fn sample_decisions() {
    use DataCategory::*;
    let l = samples::consent::ledger("case-01").unwrap();
    let shelter = ask(
        "org-bd-jsr-ngo-01",
        RecipientKind::Ngo,
        Purpose::ServiceReferral,
        &[Identity, Contact],
        "2026-11-20T10:00:00Z",
    );
    assert_eq!(l.evaluate(&shelter).outcome, Outcome::Permit);
    let police = ask(
        "org-bd-jsr-pol-01",
        RecipientKind::Police,
        Purpose::LawEnforcementReporting,
        &[Identity],
        "2026-11-20T10:00:00Z",
    );
    assert_eq!(
        l.evaluate(&police).reasons_for(Identity)[0].code(),
        "explicit_refusal"
    );

    let l = samples::consent::ledger("case-04").unwrap();
    let d = l.evaluate(&ask(
        "org-bd-cxb-ngo-01",
        RecipientKind::Ngo,
        Purpose::ServiceReferral,
        &[Contact, Location],
        "2026-11-20T10:00:00Z",
    ));
    assert_eq!(d.outcome, Outcome::PartialPermit);
    assert!(d
        .reasons_for(Location)
        .iter()
        .any(|r| r.code() == "guardian_implicated"));

    let l = samples::consent::ledger("case-12").unwrap();
    let q = |when| {
        ask(
            "org-kh-pnh-ngo-01",
            RecipientKind::Ngo,
            Purpose::ServiceReferral,
            &[Contact],
            when,
        )
    };
    assert_eq!(
        l.evaluate(&q("2026-12-04T10:00:00Z")).outcome,
        Outcome::Permit
    );
    assert_eq!(
        l.evaluate(&q("2026-12-05T10:00:00Z")).reasons_for(Contact)[0].code(),
        "re_consent_due_at_majority"
    );
}
