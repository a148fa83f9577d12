//! Age, majority and the assent age are taken on the calendar of the person's place, and a
//! guardian's consent for someone already an adult is refused for what it is.

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
use beside_core::{Birth, TimeZone, Timestamp};
use chrono::TimeZone as _;
use support::*;

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> Timestamp {
    chrono::Utc
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .unwrap()
}

fn zone(id: &str) -> Option<TimeZone> {
    Some(TimeZone::new(id).unwrap())
}

fn born(y: i32, m: u32, d: u32) -> Option<Birth> {
    Some(Birth::DateOfBirth {
        date: date(y, m, d),
    })
}

fn in_zone(birth: Option<Birth>, time_zone: Option<TimeZone>) -> ConsentSubject {
    ConsentSubject {
        time_zone,
        ..subject(birth, vec![guardian("mother", false)])
    }
}

/// The mother's consent, given while the girl was 16, with her assent.
fn mothers(granted_at: Timestamp) -> ConsentRecord {
    let mut c = consent(
        "c-mother",
        &[Purpose::ServiceReferral],
        vec![RecipientScope::Any],
        &[DataCategory::Contact],
        0,
    );
    c.given_by = GivenBy::Guardian {
        person_id: person("mother"),
    };
    c.granted_at = granted_at;
    c.assent = Some(Assent {
        given_at: granted_at,
        method: Method::Verbal,
    });
    c
}

/// Her own consent, given at `granted_at`.
fn own(granted_at: Timestamp) -> ConsentRecord {
    let mut c = consent(
        "c-own",
        &[Purpose::ServiceReferral],
        vec![RecipientScope::Any],
        &[DataCategory::Contact],
        0,
    );
    c.granted_at = granted_at;
    c
}

fn ask_at(at: Timestamp) -> Question {
    Question {
        recipient: recipient("org-ngo", RecipientKind::Ngo),
        purpose: Purpose::ServiceReferral,
        categories: vec![DataCategory::Contact],
        at,
    }
}

fn relied_on(d: &Decision) -> Vec<String> {
    d.permitted
        .iter()
        .flat_map(|p| match &p.basis {
            PermitBasis::Consent { records } => records.iter().map(|r| r.to_string()).collect(),
            PermitBasis::Emergency { .. } => vec![],
        })
        .collect()
}

fn later() -> Timestamp {
    utc(2027, 1, 1, 0, 0)
}

/// East of UTC. She turns 18 on 15 March 2026 in Dhaka (UTC+6), which begins at 18:00 UTC on
/// the 14th. At 23:59 local on the eve she is a child and her mother's consent counts; at 00:30
/// local on the birthday (18:30 UTC the day before) she is an adult: her own consent is
/// accepted and counts, her mother's no longer does.
#[test]
fn eighteenth_birthday_at_local_midnight_in_dhaka() {
    let s = in_zone(born(2008, 3, 15), zone("Asia/Dhaka"));
    let eve = utc(2026, 3, 14, 17, 59);
    let birthday = utc(2026, 3, 14, 18, 30);
    // Given at 00:30 local on her birthday: the ledger accepts it as an adult's own consent
    // (on the UTC date she would still be 17, and it would be refused as a child's).
    let records = vec![mothers(utc(2024, 6, 1, 6, 0)), own(birthday)];
    let l = ConsentLedger::new(s.clone(), policy(), records.clone(), later()).unwrap();

    let d = l.evaluate(&ask_at(eve));
    assert_eq!(d.age, Some(17));
    assert_eq!(d.outcome, Outcome::Permit);
    assert_eq!(relied_on(&d), ["c-mother"]);

    let d = l.evaluate(&ask_at(birthday));
    assert_eq!(d.age, Some(18));
    assert_eq!(d.outcome, Outcome::Permit);
    assert_eq!(relied_on(&d), ["c-own"]);
    assert_eq!(d.time_zone, zone("Asia/Dhaka"));

    // Without her own consent, the mother's is refused: re-consent is due, since the 15th.
    let l = ConsentLedger::new(s, policy(), records[..1].to_vec(), later()).unwrap();
    let d = l.evaluate(&ask_at(birthday));
    assert_eq!(
        d.reasons_for(DataCategory::Contact),
        &[DenyReason::ReConsentDueAtMajority {
            record: cid("c-mother"),
            majority_on: Some(date(2026, 3, 15)),
        }]
    );

    // The same ledger read in UTC (no place known) still sees a 17-year-old.
    let s_utc = in_zone(born(2008, 3, 15), None);
    let l = ConsentLedger::new(s_utc.clone(), policy(), records[..1].to_vec(), later()).unwrap();
    assert_eq!(l.evaluate(&ask_at(birthday)).age, Some(17));
    let e = ConsentLedger::new(s_utc, policy(), records, later()).unwrap_err();
    assert!(e.has_path("records[1].given_by"), "{e}");
}

/// West of UTC. In Lima (UTC-5) 23:30 on the eve is 04:30 UTC on the birthday: she is still a
/// child, her mother's consent still counts, and her own consent alone is refused.
#[test]
fn eighteenth_birthday_at_local_midnight_in_lima() {
    let s = in_zone(born(2008, 3, 15), zone("America/Lima"));
    let eve = utc(2026, 3, 15, 4, 30);
    assert_eq!(eve.date_naive(), date(2026, 3, 15));
    let l = ConsentLedger::new(
        s.clone(),
        policy(),
        vec![mothers(utc(2024, 6, 1, 6, 0))],
        later(),
    )
    .unwrap();
    let d = l.evaluate(&ask_at(eve));
    assert_eq!(d.age, Some(17));
    assert_eq!(relied_on(&d), ["c-mother"]);
    let e = ConsentLedger::new(s.clone(), policy(), vec![own(eve)], later()).unwrap_err();
    assert!(e.has_path("records[0].given_by"), "{e}");
    // From 00:00 local (05:00 UTC) she is 18.
    let midnight = utc(2026, 3, 15, 5, 0);
    assert_eq!(l.evaluate(&ask_at(midnight)).age, Some(18));
    assert!(ConsentLedger::new(s, policy(), vec![own(midnight)], later()).is_ok());
}

/// The assent age (12 by default) around local midnight, east and west of UTC: a guardian's
/// consent without the child's assent counts until the 12th birthday on her own calendar.
#[test]
fn the_assent_age_is_taken_on_the_local_date() {
    let mut no_assent = mothers(utc(2025, 1, 1, 6, 0));
    no_assent.assent = None;
    let missing = |age| {
        vec![DenyReason::AssentMissing {
            record: cid("c-mother"),
            age: Some(age),
            assent_from_age: 12,
        }]
    };
    let ledger_in = |z| {
        ConsentLedger::new(
            in_zone(born(2014, 3, 15), z),
            policy(),
            vec![no_assent.clone()],
            later(),
        )
        .unwrap()
    };

    let dhaka = ledger_in(zone("Asia/Dhaka"));
    let d = dhaka.evaluate(&ask_at(utc(2026, 3, 14, 17, 59)));
    assert_eq!((d.age, d.outcome), (Some(11), Outcome::Permit));
    let d = dhaka.evaluate(&ask_at(utc(2026, 3, 14, 18, 30)));
    assert_eq!(d.age, Some(12));
    assert_eq!(d.reasons_for(DataCategory::Contact), missing(12).as_slice());

    let lima = ledger_in(zone("America/Lima"));
    let d = lima.evaluate(&ask_at(utc(2026, 3, 15, 4, 30)));
    assert_eq!((d.age, d.outcome), (Some(11), Outcome::Permit));
    // In UTC the same moment is already the 12th birthday.
    let d = ledger_in(None).evaluate(&ask_at(utc(2026, 3, 15, 4, 30)));
    assert_eq!(d.reasons_for(DataCategory::Contact), missing(12).as_slice());
}

/// A guardian's consent recorded when the person was already an adult is refused as what it
/// is, not as a consent given for a child that has lapsed.
#[test]
fn a_guardians_consent_for_an_adult_is_refused_for_what_it_is() {
    let s = in_zone(born(1999, 4, 3), zone("Asia/Dhaka"));
    let mut c = mothers(utc(2020, 1, 1, 6, 0));
    c.assent = None;
    let l = ConsentLedger::new(s, policy(), vec![c], later()).unwrap();
    let d = l.evaluate(&ask_at(utc(2021, 1, 1, 6, 0)));
    assert_eq!(
        d.reasons_for(DataCategory::Contact),
        &[DenyReason::GuardianForAdult {
            record: cid("c-mother"),
            adult_since: date(2017, 4, 3),
        }]
    );
    assert_eq!(
        d.reasons_for(DataCategory::Contact)[0].code(),
        "guardian_for_adult"
    );
    let text: Vec<String> = explain(&d).iter().map(Phrase::english).collect();
    assert_eq!(
        text[1],
        "how to reach you: consent c-mother was given by a guardian on behalf of an adult \
         (of age since 2017-04-03); only a legal representative can consent for an adult."
    );
    assert!(!text.iter().any(|t| t.contains("as a child")), "{text:?}");
    let summary = l.summary(utc(2021, 1, 1, 6, 0));
    assert_eq!(summary[0].key, "consent.summary.guardian_for_adult");
    assert!(keys(&[english_labels()])
        .unwrap()
        .contains("consent.summary.guardian_for_adult"));
}

/// A legal representative's consent given for an adult counts, and the read-back says so (not
/// "someone agreed for you while you were a child").
#[test]
fn a_legal_representatives_consent_for_an_adult_reads_as_a_consent() {
    let s = in_zone(born(1999, 4, 3), zone("Asia/Dhaka"));
    let mut c = mothers(utc(2020, 1, 1, 6, 0));
    c.given_by = GivenBy::LegalRepresentative {
        person_id: person("lr-1"),
    };
    c.assent = None;
    let l = ConsentLedger::new(s, policy(), vec![c], later()).unwrap();
    assert_eq!(
        l.evaluate(&ask_at(utc(2021, 1, 1, 6, 0))).outcome,
        Outcome::Permit
    );
    assert_eq!(
        l.summary(utc(2021, 1, 1, 6, 0))[0].key,
        "consent.summary.consent"
    );
}

/// The read-back and the explanation give days of the person's calendar.
#[test]
fn summaries_and_explanations_give_local_days() {
    let s = in_zone(born(1990, 1, 1), zone("Asia/Dhaka"));
    let mut c = own(utc(2025, 1, 1, 6, 0));
    // 00:30 on 15 March in Dhaka.
    c.expires_at = Some(utc(2026, 3, 14, 18, 30));
    let l = ConsentLedger::new(s, policy(), vec![c], later()).unwrap();
    let summary: Vec<String> = l
        .summary(utc(2026, 6, 1, 0, 0))
        .iter()
        .map(Phrase::english)
        .collect();
    assert!(
        summary[0].ends_with("ended on 2026-03-15. [c-own]"),
        "{summary:?}"
    );
    let d = l.evaluate(&ask_at(utc(2026, 6, 1, 0, 0)));
    let text: Vec<String> = explain(&d).iter().map(Phrase::english).collect();
    assert_eq!(
        text[1],
        "how to reach you: consent c-own expired on 2026-03-15."
    );
    // A subject built from a case carries the case's calendar.
    let case: beside_core::CaseProfile = beside_core::from_json_at(
        r#"{"case_id": "case-x", "person": {"id": "p-x", "gender": "female"},
            "opened_on": "2025-01-01", "home_area": ["KH", "Banteay Meanchey", "Poipet"],
            "return_journey": {"route": "own_way"}, "family": "mixed"}"#,
        later(),
    )
    .unwrap();
    assert_eq!(
        ConsentSubject::from(&case).time_zone,
        zone("Asia/Phnom_Penh")
    );
}
