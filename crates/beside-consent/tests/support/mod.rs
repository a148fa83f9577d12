//! Builders and proptest strategies shared by the consent tests (also used from the root
//! package's `tests/consent.rs`).

#![allow(dead_code)]

use beside_consent::*;
use beside_core::{
    Birth, CaseId, ConsentId, Guardian, LanguageCode, OrganizationId, PersonId, Timestamp, WorkerId,
};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

/// Day `d` after 2020-01-01, at noon.
pub fn t(d: i64) -> Timestamp {
    Utc.with_ymd_and_hms(2020, 1, 1, 12, 0, 0).single().unwrap() + Duration::days(d)
}

/// The "now" that validation judges against: after every generated time.
pub fn now() -> Timestamp {
    t(6000)
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn case_id() -> CaseId {
    CaseId::new("case-x").unwrap()
}

pub fn org(id: &str) -> OrganizationId {
    OrganizationId::new(id).unwrap()
}

pub fn cid(id: &str) -> ConsentId {
    ConsentId::new(id).unwrap()
}

pub fn person(id: &str) -> PersonId {
    PersonId::new(id).unwrap()
}

pub fn worker(id: &str) -> WorkerId {
    WorkerId::new(id).unwrap()
}

pub fn guardian(id: &str, implicated: bool) -> Guardian {
    Guardian {
        person_id: person(id),
        relationship: "mother".into(),
        implicated_in_harm: implicated,
    }
}

pub fn subject(birth: Option<Birth>, guardians: Vec<Guardian>) -> ConsentSubject {
    ConsentSubject {
        case_id: case_id(),
        birth,
        guardians,
        time_zone: None,
    }
}

pub fn policy() -> ConsentPolicy {
    ConsentPolicy {
        authorised_workers: vec![worker("w-auth")],
        ..ConsentPolicy::default()
    }
}

/// A consent by the person, for `purposes`, to `recipients`, of `categories`, from day `day`.
pub fn consent(
    id: &str,
    purposes: &[Purpose],
    recipients: Vec<RecipientScope>,
    categories: &[DataCategory],
    day: i64,
) -> ConsentRecord {
    ConsentRecord {
        extra: std::collections::BTreeMap::new(),
        id: cid(id),
        case_id: case_id(),
        kind: RecordKind::Consent,
        given_by: GivenBy::Person,
        assent: None,
        purposes: purposes.to_vec(),
        recipients,
        categories: categories.to_vec(),
        granted_at: t(day),
        expires_at: None,
        method: Method::Written,
        explained_in: LanguageCode::new("bn").unwrap(),
        witness: None,
        revoked: None,
    }
}

pub fn refusal(
    id: &str,
    purposes: &[Purpose],
    recipients: Vec<RecipientScope>,
    categories: &[DataCategory],
    day: i64,
) -> ConsentRecord {
    ConsentRecord {
        kind: RecordKind::Refusal,
        ..consent(id, purposes, recipients, categories, day)
    }
}

pub fn best_interest(worker_id: &str, day: i64) -> GivenBy {
    GivenBy::BestInterest {
        determination: BestInterestDetermination {
            worker_id: worker(worker_id),
            determined_at: t(day),
            document_ref: "BID-2024-07".into(),
            rationale: "the mother is implicated; the child needs a shelter place".into(),
        },
    }
}

pub fn recipient(id: &str, kind: RecipientKind) -> Recipient {
    Recipient {
        organization_id: org(id),
        kind,
    }
}

pub fn question(r: Recipient, purpose: Purpose, categories: &[DataCategory], day: i64) -> Question {
    Question {
        recipient: r,
        purpose,
        categories: categories.to_vec(),
        at: t(day),
    }
}

// ---- strategies -------------------------------------------------------------------------

/// The small worlds the properties range over: few purposes, recipients and categories, so
/// records and questions collide often.
pub const PURPOSES: [Purpose; 3] = [
    Purpose::ServiceReferral,
    Purpose::CaseCoordination,
    Purpose::LawEnforcementReporting,
];
pub const CATEGORIES: [DataCategory; 4] = [
    DataCategory::Identity,
    DataCategory::Contact,
    DataCategory::Health,
    DataCategory::TraffickingHistory,
];

pub fn recipients_pool() -> Vec<Recipient> {
    vec![
        recipient("org-a", RecipientKind::Ngo),
        recipient("org-b", RecipientKind::Police),
        recipient("org-c", RecipientKind::EmergencyServices),
    ]
}

fn scope_pool() -> Vec<RecipientScope> {
    vec![
        RecipientScope::Organization { id: org("org-a") },
        RecipientScope::Organization { id: org("org-b") },
        RecipientScope::Kind {
            kind: RecipientKind::Ngo,
        },
        RecipientScope::Kind {
            kind: RecipientKind::Police,
        },
        RecipientScope::Any,
    ]
}

pub fn pick<T: Clone>(pool: &[T], mask: u32) -> Vec<T> {
    let mut out: Vec<T> = pool
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, x)| x.clone())
        .collect();
    if out.is_empty() {
        out.push(pool[(mask as usize) % pool.len()].clone());
    }
    out
}

/// Birth: unknown, or a date of birth between 2000 and 2012 (so the person is a child in some
/// of the window 2020–2030 and an adult in the rest).
pub fn arb_birth() -> impl Strategy<Value = Option<Birth>> {
    prop_oneof![
        1 => Just(None),
        6 => (0i64..4400).prop_map(|d| Some(Birth::DateOfBirth {
            date: date(2000, 1, 1) + Duration::days(d)
        })),
    ]
}

/// The calendar of the subject's place: none (UTC), or a zone east or west of UTC, up to
/// the extremes (+14, -11), so that the local date and the UTC date often differ.
pub fn arb_time_zone() -> impl Strategy<Value = Option<beside_core::TimeZone>> {
    prop_oneof![
        Just(""),
        Just("Asia/Dhaka"),
        Just("America/Lima"),
        Just("Pacific/Kiritimati"),
        Just("Pacific/Pago_Pago"),
    ]
    .prop_map(|z| (!z.is_empty()).then(|| beside_core::TimeZone::new(z).unwrap()))
}

pub fn arb_subject() -> impl Strategy<Value = ConsentSubject> {
    (arb_birth(), 0usize..3, any::<bool>(), arb_time_zone()).prop_map(
        |(birth, n, implicated, time_zone)| {
            let guardians = (0..n)
                .map(|i| guardian(&format!("g-{i}"), i == 0 && implicated))
                .collect();
            ConsentSubject {
                time_zone,
                ..subject(birth, guardians)
            }
        },
    )
}

#[derive(Debug, Clone)]
pub struct RawRecord {
    refusal: bool,
    giver: u8,
    assent: Option<i64>,
    purposes: u32,
    scopes: u32,
    categories: u32,
    granted: i64,
    expires: Option<i64>,
    revoked: Option<i64>,
}

pub fn arb_raw() -> impl Strategy<Value = RawRecord> {
    (
        (0u8..10, 0u8..6, proptest::option::of(-30i64..200)),
        (1u32..8, 1u32..32, 1u32..16),
        (
            0i64..3000,
            proptest::option::of(1i64..1500),
            proptest::option::of(0i64..1500),
        ),
    )
        .prop_map(
            |((k, giver, assent), (purposes, scopes, categories), (granted, expires, revoked))| {
                RawRecord {
                    refusal: k < 2,
                    giver,
                    assent,
                    purposes,
                    scopes,
                    categories,
                    granted,
                    expires: expires.map(|e| granted + e),
                    revoked: revoked.map(|r| granted + r),
                }
            },
        )
}

/// Turn raw draws into records the ledger accepts (a child's own consent becomes a guardian's,
/// a guardian is one of the case's).
pub fn build(subject: &ConsentSubject, raws: &[RawRecord]) -> Vec<ConsentRecord> {
    raws.iter()
        .enumerate()
        .map(|(i, r)| {
            let mut rec = consent(
                &format!("c-{i:02}"),
                &pick(&PURPOSES, r.purposes),
                pick(&scope_pool(), r.scopes),
                &pick(&CATEGORIES, r.categories),
                r.granted,
            );
            if r.refusal {
                rec.kind = RecordKind::Refusal;
            }
            let g = |n: usize| subject.guardians.get(n).map(|g| g.person_id.clone());
            rec.given_by = match r.giver {
                0 | 1 => GivenBy::Person,
                2 => g(0).map_or(GivenBy::Person, |p| GivenBy::Guardian { person_id: p }),
                3 => g(1).map_or(GivenBy::Person, |p| GivenBy::Guardian { person_id: p }),
                4 => GivenBy::LegalRepresentative {
                    person_id: person("lr-1"),
                },
                _ => best_interest(
                    if r.granted % 2 == 0 {
                        "w-auth"
                    } else {
                        "w-other"
                    },
                    r.granted,
                ),
            };
            if rec.kind == RecordKind::Refusal
                && matches!(rec.given_by, GivenBy::BestInterest { .. })
            {
                rec.given_by = GivenBy::Person;
            }
            let minor_then = subject
                .birth
                .is_some_and(|b| b.is_minor_at(rec.granted_at, subject.calendar(), 18));
            if minor_then && rec.kind == RecordKind::Consent && rec.given_by == GivenBy::Person {
                rec.given_by = g(0).map_or(
                    GivenBy::LegalRepresentative {
                        person_id: person("lr-1"),
                    },
                    |p| GivenBy::Guardian { person_id: p },
                );
            }
            rec.assent = r.assent.map(|a| Assent {
                given_at: t(r.granted + a),
                method: Method::Verbal,
            });
            rec.expires_at = r.expires.map(t);
            rec.revoked = r.revoked.map(|d| Revocation {
                at: t(d),
                reason: "asked".into(),
            });
            rec
        })
        .collect()
}

pub fn arb_question() -> impl Strategy<Value = Question> {
    (0usize..3, 0usize..3, 1u32..16, 0i64..3600).prop_map(|(r, p, c, day)| {
        question(
            recipients_pool()[r].clone(),
            PURPOSES[p],
            &pick(&CATEGORIES, c),
            day,
        )
    })
}

/// A case, its records (all accepted by the ledger) and a question.
pub fn arb_world() -> impl Strategy<Value = (ConsentSubject, Vec<ConsentRecord>, Question)> {
    (
        arb_subject(),
        proptest::collection::vec(arb_raw(), 0..12),
        arb_question(),
    )
        .prop_map(|(s, raws, q)| {
            let records = build(&s, &raws);
            (s, records, q)
        })
}

pub fn ledger(s: &ConsentSubject, records: &[ConsentRecord]) -> ConsentLedger {
    ConsentLedger::new(s.clone(), policy(), records.to_vec(), now()).unwrap()
}
