//! The consent rules, case by case.

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use beside_consent::*;
use beside_core::labels::keys;
use beside_core::{Birth, EventId, ReferralId};
use support::*;

const ALL_P: [Purpose; 1] = [Purpose::ServiceReferral];

fn ngo() -> Recipient {
    recipient("org-ngo", RecipientKind::Ngo)
}

fn child_born_2010() -> Option<Birth> {
    Some(Birth::DateOfBirth {
        date: date(2006, 6, 1),
    })
}

fn adult() -> Option<Birth> {
    Some(Birth::DateOfBirth {
        date: date(1990, 1, 1),
    })
}

fn ask(day: i64) -> Question {
    question(
        ngo(),
        Purpose::ServiceReferral,
        &[DataCategory::Contact, DataCategory::Health],
        day,
    )
}

fn any() -> Vec<RecipientScope> {
    vec![RecipientScope::Any]
}

#[test]
fn default_deny_with_nothing_on_file() {
    let l = ledger(&subject(adult(), vec![]), &[]);
    let d = l.evaluate(&ask(10));
    assert_eq!(d.outcome, Outcome::Deny);
    assert_eq!(
        d.reasons_for(DataCategory::Contact),
        &[DenyReason::NoneGiven]
    );
}

#[test]
fn permit_partial_and_out_of_scope() {
    let c = consent("c-1", &ALL_P, any(), &[DataCategory::Contact], 0);
    let l = ledger(&subject(adult(), vec![]), &[c]);
    let d = l.evaluate(&ask(10));
    assert_eq!(d.outcome, Outcome::PartialPermit);
    assert_eq!(
        d.permitted[0].basis,
        PermitBasis::Consent {
            records: vec![cid("c-1")]
        }
    );
    assert_eq!(
        d.reasons_for(DataCategory::Health),
        &[DenyReason::OutOfScope {
            purpose: Purpose::ServiceReferral,
            category: DataCategory::Health
        }]
    );
    let d = l.evaluate(&question(
        ngo(),
        Purpose::ServiceReferral,
        &[DataCategory::Contact],
        10,
    ));
    assert_eq!(d.outcome, Outcome::Permit);
}

#[test]
fn expired_revoked_and_not_yet_given() {
    let mut a = consent("c-a", &ALL_P, any(), &[DataCategory::Contact], 0);
    a.expires_at = Some(t(5));
    let mut b = consent("c-b", &ALL_P, any(), &[DataCategory::Contact], 0);
    b.revoked = Some(Revocation {
        at: t(7),
        reason: "asked".into(),
    });
    let c = consent("c-c", &ALL_P, any(), &[DataCategory::Contact], 50);
    let l = ledger(&subject(adult(), vec![]), &[a, b, c]);
    let d = l.evaluate(&question(
        ngo(),
        Purpose::ServiceReferral,
        &[DataCategory::Contact],
        10,
    ));
    let codes: Vec<_> = d
        .reasons_for(DataCategory::Contact)
        .iter()
        .map(|r| r.code())
        .collect();
    assert_eq!(codes, ["expired", "revoked", "not_yet_granted"]);
}

#[test]
fn never_to_the_police_wins_over_consent_to_anyone() {
    let c = consent("c-1", &Purpose::ALL, any(), &DataCategory::ALL, 0);
    let r = refusal(
        "r-1",
        &Purpose::ALL,
        vec![RecipientScope::Kind {
            kind: RecipientKind::Police,
        }],
        &DataCategory::ALL,
        1,
    );
    let l = ledger(&subject(adult(), vec![]), &[c, r]);
    let police = recipient("org-police", RecipientKind::Police);
    let d = l.evaluate(&question(
        police,
        Purpose::LawEnforcementReporting,
        &DataCategory::ALL,
        10,
    ));
    assert_eq!(d.outcome, Outcome::Deny);
    assert!(d
        .denied
        .iter()
        .all(|x| x.reasons == vec![DenyReason::ExplicitRefusal { record: cid("r-1") }]));
    assert_eq!(l.evaluate(&ask(10)).outcome, Outcome::Permit);
}

fn child_ledger(
    given_by: GivenBy,
    assent: bool,
    guardians: Vec<beside_core::Guardian>,
) -> ConsentLedger {
    let mut c = consent("c-1", &ALL_P, any(), &[DataCategory::Contact], 0);
    c.given_by = given_by;
    if assent {
        c.assent = Some(Assent {
            given_at: t(0),
            method: Method::Verbal,
        });
    }
    ledger(&subject(child_born_2010(), guardians), &[c])
}

fn contact(day: i64) -> Question {
    question(
        ngo(),
        Purpose::ServiceReferral,
        &[DataCategory::Contact],
        day,
    )
}

#[test]
fn a_child_needs_a_guardian_and_assent() {
    let mother = || GivenBy::Guardian {
        person_id: person("g-0"),
    };
    let l = child_ledger(mother(), true, vec![guardian("g-0", false)]);
    assert_eq!(l.evaluate(&contact(10)).outcome, Outcome::Permit);
    let l = child_ledger(mother(), false, vec![guardian("g-0", false)]);
    let d = l.evaluate(&contact(10));
    assert_eq!(d.outcome, Outcome::Deny);
    assert_eq!(
        d.reasons_for(DataCategory::Contact),
        &[DenyReason::AssentMissing {
            record: cid("c-1"),
            age: Some(13),
            assent_from_age: 12
        }]
    );
}

#[test]
fn assent_is_needed_only_from_the_policy_age() {
    // Born 2014: 5 years old in 2020, below the assent age of 12.
    let mut c = consent("c-1", &ALL_P, any(), &[DataCategory::Contact], 0);
    c.given_by = GivenBy::Guardian {
        person_id: person("g-0"),
    };
    let s = subject(
        Some(Birth::DateOfBirth {
            date: date(2014, 6, 1),
        }),
        vec![guardian("g-0", false)],
    );
    assert_eq!(
        ledger(&s, &[c]).evaluate(&contact(10)).outcome,
        Outcome::Permit
    );
}

#[test]
fn an_implicated_guardian_cannot_consent_but_a_best_interest_determination_can() {
    let l = child_ledger(
        GivenBy::Guardian {
            person_id: person("g-0"),
        },
        true,
        vec![guardian("g-0", true)],
    );
    let d = l.evaluate(&contact(10));
    assert_eq!(
        d.reasons_for(DataCategory::Contact),
        &[DenyReason::GuardianImplicated {
            record: cid("c-1"),
            guardian: person("g-0")
        }]
    );
    let l = child_ledger(
        best_interest("w-auth", 0),
        true,
        vec![guardian("g-0", true)],
    );
    assert_eq!(l.evaluate(&contact(10)).outcome, Outcome::Permit);
    let l = child_ledger(
        best_interest("w-other", 0),
        true,
        vec![guardian("g-0", true)],
    );
    assert_eq!(
        l.evaluate(&contact(10)).reasons_for(DataCategory::Contact)[0].code(),
        "best_interest_not_authorised"
    );
}

#[test]
fn guardian_consent_stops_on_the_eighteenth_birthday() {
    let l = child_ledger(
        GivenBy::Guardian {
            person_id: person("g-0"),
        },
        true,
        vec![guardian("g-0", false)],
    );
    // Born 2006-06-01: 18 on 2024-06-01. t(0) = 2020-01-01 noon.
    let eighteenth = (date(2024, 6, 1) - date(2020, 1, 1)).num_days();
    assert_eq!(
        l.evaluate(&contact(eighteenth - 1)).outcome,
        Outcome::Permit
    );
    let d = l.evaluate(&contact(eighteenth));
    assert_eq!(d.age, Some(18));
    assert_eq!(
        d.reasons_for(DataCategory::Contact),
        &[DenyReason::ReConsentDueAtMajority {
            record: cid("c-1"),
            majority_on: Some(date(2024, 6, 1))
        }]
    );
    let summary = l.summary(t(eighteenth));
    assert_eq!(summary[0].key, "consent.summary.reconsent_due");
}

#[test]
fn unknown_age_counts_as_a_child() {
    let c = consent("c-1", &ALL_P, any(), &[DataCategory::Contact], 0);
    let l = ledger(&subject(None, vec![]), &[c]);
    let d = l.evaluate(&contact(10));
    assert_eq!(
        d.reasons_for(DataCategory::Contact),
        &[DenyReason::GuardianConsentMissing {
            record: cid("c-1"),
            age: None
        }]
    );
}

#[test]
fn bad_input_names_the_field() {
    let s = subject(child_born_2010(), vec![guardian("g-0", false)]);
    let own = consent("c-1", &ALL_P, any(), &[DataCategory::Contact], 0);
    let e = ConsentLedger::new(s.clone(), policy(), vec![own.clone()], now()).unwrap_err();
    assert!(e.has_path("records[0].given_by"), "{e}");
    let mut stranger = own.clone();
    stranger.given_by = GivenBy::Guardian {
        person_id: person("g-9"),
    };
    let e = ConsentLedger::new(s.clone(), policy(), vec![stranger], now()).unwrap_err();
    assert!(e.has_path("records[0].given_by.person_id"), "{e}");
    assert!(e.to_string().contains("`g-9`"), "{e}");
    let adult_s = subject(adult(), vec![]);
    let e = ConsentLedger::new(
        adult_s.clone(),
        policy(),
        vec![own.clone(), own.clone()],
        now(),
    )
    .unwrap_err();
    assert!(e.has_path("records[1]"), "{e}");
    let mut other_case = own.clone();
    other_case.case_id = beside_core::CaseId::new("case-y").unwrap();
    let e = ConsentLedger::new(adult_s, policy(), vec![other_case], now()).unwrap_err();
    assert!(e.has_path("records[0].case_id"), "{e}");
    let json = r#"{"subject": {"case_id": "case-x"}, "records": [{"id": "c-1", "case_id": "case-x",
        "kind": "consent", "given_by": {"by": "guardian"}, "purposes": ["service_referral"],
        "recipients": [{"scope": "any"}], "categories": ["contact"],
        "granted_at": "2024-01-01T00:00:00Z", "method": "verbal", "explained_in": "bn"}]}"#;
    let e = ConsentLedger::from_json_at(json, now()).unwrap_err();
    assert!(e.to_string().contains("records[0].given_by"), "{e}");
    assert!(e.to_string().contains("person_id"), "{e}");
}

#[test]
fn rejected_changes_leave_the_ledger_as_it_was() {
    let c = consent("c-1", &ALL_P, any(), &[DataCategory::Contact], 10);
    let mut l = ledger(&subject(adult(), vec![]), std::slice::from_ref(&c));
    let before = l.to_data();
    assert!(l.add(c.clone(), now()).is_err());
    assert!(l.revoke(&cid("c-1"), t(5), "too early", now()).is_err());
    assert!(matches!(
        l.revoke(&cid("c-9"), t(20), "x", now()),
        Err(ConsentError::UnknownRecord { .. })
    ));
    assert_eq!(l.to_data(), before);
    l.revoke(&cid("c-1"), t(20), "asked", now()).unwrap();
    assert!(matches!(
        l.revoke(&cid("c-1"), t(21), "again", now()),
        Err(ConsentError::AlreadyRevoked { .. })
    ));
}

#[test]
fn revocation_takes_effect_at_once_and_reaches_open_referrals() {
    let c = consent("c-1", &ALL_P, any(), &[DataCategory::Contact], 0);
    let mut l = ledger(&subject(adult(), vec![]), &[c]);
    assert_eq!(l.evaluate(&contact(30)).outcome, Outcome::Permit);
    l.revoke(
        &cid("c-1"),
        t(30),
        "I do not want the shelter to call",
        now(),
    )
    .unwrap();
    assert_eq!(l.evaluate(&contact(30)).outcome, Outcome::Deny);
    assert_eq!(l.evaluate(&contact(29)).outcome, Outcome::Permit);
    let actions = vec![DependentAction {
        action: ActionRef::Referral {
            id: ReferralId::new("ref-7").unwrap(),
        },
        relied_on: vec![cid("c-1")],
        open: true,
    }];
    let w = l.actions_to_withdraw(&actions, t(30));
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].because_of, vec![cid("c-1")]);
    assert!(l.actions_to_withdraw(&actions, t(29)).is_empty());
}

#[test]
fn emergency_reaches_emergency_services_only_and_refusals_hold_by_default() {
    let r = refusal(
        "r-1",
        &Purpose::ALL,
        vec![RecipientScope::Kind {
            kind: RecipientKind::EmergencyServices,
        }],
        &[DataCategory::Identity],
        0,
    );
    let mut l = ledger(&subject(adult(), vec![]), &[r]);
    let e = EmergencyDisclosure {
        id: EventId::new("em-1").unwrap(),
        case_id: case_id(),
        declared_by: worker("w-auth"),
        declared_at: t(10),
        justification: "overdose; the ambulance crew needs her medication history".into(),
    };
    let ambulance = recipient("org-amb", RecipientKind::EmergencyServices);
    let cats = [DataCategory::Health, DataCategory::Identity];
    let q = question(ambulance.clone(), Purpose::InformationSharing, &cats, 10);
    let d = l.evaluate_emergency(&e, &q, now()).unwrap();
    assert_eq!(d.outcome, Outcome::PartialPermit);
    assert!(d.permits(DataCategory::Health));
    assert_eq!(
        d.reasons_for(DataCategory::Identity)[0].code(),
        "explicit_refusal"
    );
    // Too late.
    let late = question(ambulance, Purpose::InformationSharing, &cats, 12);
    let d = l.evaluate_emergency(&e, &late, now()).unwrap();
    assert!(d
        .denied
        .iter()
        .any(|x| x.reasons.iter().any(|r| r.code() == "emergency_lapsed")));
    // Not emergency services.
    let police = question(
        recipient("org-p", RecipientKind::Police),
        Purpose::InformationSharing,
        &cats,
        10,
    );
    let d = l.evaluate_emergency(&e, &police, now()).unwrap();
    assert_eq!(d.outcome, Outcome::Deny);
    assert!(d
        .reasons_for(DataCategory::Health)
        .iter()
        .any(|r| r.code() == "not_emergency_services"));
    // No justification, no exception.
    let bare = EmergencyDisclosure {
        justification: "  ".into(),
        ..e.clone()
    };
    assert!(l
        .evaluate_emergency(&bare, &q, now())
        .unwrap_err()
        .has_path("justification"));
    // An organisation whose law says so may let emergencies override refusals: named.
    l = ConsentLedger::new(
        l.subject().clone(),
        ConsentPolicy {
            emergency_overrides_refusal: true,
            ..policy()
        },
        l.records().to_vec(),
        now(),
    )
    .unwrap();
    let d = l.evaluate_emergency(&e, &q, now()).unwrap();
    assert_eq!(d.outcome, Outcome::Permit);
    assert!(d.permitted.iter().any(|p| matches!(&p.basis,
        PermitBasis::Emergency { overrides, .. } if overrides == &vec![cid("r-1")])));
}

#[test]
fn decisions_and_summaries_read_in_english() {
    let c = consent(
        "c-1",
        &ALL_P,
        vec![RecipientScope::Kind {
            kind: RecipientKind::Ngo,
        }],
        &[DataCategory::Contact],
        0,
    );
    let r = refusal(
        "r-1",
        &Purpose::ALL,
        vec![RecipientScope::Kind {
            kind: RecipientKind::Police,
        }],
        &DataCategory::ALL,
        0,
    );
    let l = ledger(&subject(adult(), vec![]), &[c, r]);
    let lines: Vec<String> = l.summary(t(10)).iter().map(Phrase::english).collect();
    assert_eq!(
        lines[0],
        "You agreed that NGOs may receive how to reach you for referral to a service, until you withdraw it. [c-1]"
    );
    assert!(
        lines[1]
            .starts_with("You said the police must never receive who you are, how to reach you"),
        "{}",
        lines[1]
    );
    let d = l.evaluate(&ask(10));
    let text: Vec<String> = explain(&d).iter().map(Phrase::english).collect();
    assert_eq!(
        text[0],
        "org-ngo may receive only part of what was asked for referral to a service."
    );
    assert_eq!(text[1], "how to reach you: may go, by consent c-1.");
    assert_eq!(
        text[2],
        "your health: no consent covers this recipient and referral to a service."
    );
    // Every key used has an English text.
    let labels = keys(&[english_labels()]).unwrap();
    for p in l.summary(t(10)).iter().chain(explain(&d).iter()) {
        assert!(labels.contains(&p.key), "{}", p.key);
    }
}

#[test]
fn every_reason_code_has_an_english_text() {
    let labels = keys(&[english_labels()]).unwrap();
    for code in [
        "none_given",
        "out_of_scope",
        "not_yet_granted",
        "expired",
        "revoked",
        "explicit_refusal",
        "guardian_consent_missing",
        "guardian_implicated",
        "best_interest_not_authorised",
        "assent_missing",
        "re_consent_due_at_majority",
        "guardian_for_adult",
        "not_emergency_services",
        "emergency_lapsed",
    ] {
        assert!(labels.contains(&format!("consent.reason.{code}")), "{code}");
    }
}

#[test]
fn the_decision_serialises_with_reason_codes() {
    let l = ledger(&subject(adult(), vec![]), &[]);
    let json = serde_json::to_value(l.evaluate(&ask(1))).unwrap();
    assert_eq!(json["outcome"], "deny");
    assert_eq!(json["denied"][0]["reasons"][0]["code"], "none_given");
}

#[test]
fn many_covering_records_are_all_named() {
    // More covering records than the evaluator keeps on the stack.
    let records: Vec<ConsentRecord> = (0..150)
        .map(|i| {
            let mut r = consent(
                &format!("c-{i:03}"),
                &ALL_P,
                any(),
                &[DataCategory::Contact],
                0,
            );
            if i % 3 == 0 {
                r.expires_at = Some(t(5));
            }
            r
        })
        .collect();
    let l = ledger(&subject(adult(), vec![]), &records);
    let d = l.evaluate(&contact(10));
    let PermitBasis::Consent { records: ids } = &d.permitted[0].basis else {
        panic!("consent basis expected")
    };
    assert_eq!(ids.len(), 100);
    assert_eq!(ids.last(), Some(&cid("c-149")));
    let d = l.evaluate(&contact(-1));
    assert_eq!(d.reasons_for(DataCategory::Contact).len(), 150);
}

/// A question may name a category many times over (the list is bounded only by the input
/// size): it is answered as if each were named once, and the answer names each category once.
/// The engine reads the question's list once rather than once per record, so a full ledger
/// asked with a 64 MiB list of one repeated category answers in one pass over it.
#[test]
fn a_category_asked_many_times_is_answered_once() {
    let s = subject(adult(), vec![]);
    let records: Vec<ConsentRecord> = (0..beside_consent::ledger::MAX_RECORDS)
        .map(|i| {
            consent(
                &format!("c-{i:04}"),
                &ALL_P,
                any(),
                &[DataCategory::Contact],
                10,
            )
        })
        .collect();
    let l = ledger(&s, &records);
    let once = question(
        ngo(),
        Purpose::ServiceReferral,
        &[DataCategory::Photos, DataCategory::Contact],
        20,
    );
    let mut many = once.clone();
    many.categories = std::iter::repeat_n(DataCategory::Photos, 200_000)
        .chain([DataCategory::Contact, DataCategory::Photos])
        .collect();
    let (a, b) = (l.evaluate(&once), l.evaluate(&many));
    assert_eq!(a.outcome, Outcome::PartialPermit);
    assert_eq!((&a.permitted, &a.denied), (&b.permitted, &b.denied));
    assert_eq!(b.permitted.len() + b.denied.len(), 2);
}
