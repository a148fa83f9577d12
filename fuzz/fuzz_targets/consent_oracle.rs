//! Differential: the consent engine against the plain reference evaluator of
//! `tests/support/consent_reference.rs` (the rules of DOMAIN.md §4 written straight out).
//!
//! Structure-aware (`arbitrary`): a case (birth by date or approximate age, guardians some of
//! whom are implicated, a time zone from UTC−11 to UTC+14 with half-hour, 45-minute and
//! daylight-saving offsets), a policy (age of majority, assent age, authorised workers), up to
//! ten consents and refusals (every kind of giver, assent, purposes, recipients by
//! organisation, kind or any, categories, grant, expiry, revocation), then adds and revocations
//! through the ledger, and questions asked at any moment, next to a moment on file, or next to
//! the local midnight of a birthday. For every question the engine's decision must equal the
//! reference's: outcome, permitted categories with the records relied on, denied categories
//! with every reason code and its figures. The same holds for the ledger read back from its
//! JSON. The date helpers both sides share are checked on their own: the day `birthday(n)`
//! gives is the first on which `age_on` says `n`.

#![no_main]

#[path = "../../tests/support/consent_reference.rs"]
mod consent_reference;

use arbitrary::Arbitrary;
use beside::consent::*;
use beside::core::{
    Birth, CaseId, ConsentId, Guardian, LanguageCode, OrganizationId, PersonId, TimeZone,
    Timestamp, WorkerId,
};
use chrono::{Duration, NaiveDate};
use libfuzzer_sys::fuzz_target;

/// The zones asked about: none (UTC), whole, half-hour and 45-minute offsets, the extremes,
/// and zones with daylight saving (so local midnight moves).
const ZONES: [&str; 9] = [
    "",
    "Asia/Dhaka",
    "Asia/Phnom_Penh",
    "Asia/Kathmandu",
    "Asia/Kolkata",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "America/St_Johns",
    "Australia/Lord_Howe",
];
const KINDS: [RecipientKind; 4] = [
    RecipientKind::Ngo,
    RecipientKind::Police,
    RecipientKind::EmergencyServices,
    RecipientKind::Health,
];
const ORGS: [&str; 4] = ["org-a", "org-b", "org-c", "org-d"];
const WORKERS: [&str; 3] = ["w-a", "w-b", "w-c"];
/// Minutes in the window every moment falls in: 2000-01-01 to about 2040.
const WINDOW_MINUTES: u32 = 40 * 366 * 24 * 60;

#[derive(Debug, Arbitrary)]
enum BirthIn {
    Unknown,
    /// Days after 1985-01-01 (so a child or an adult somewhere in the window).
    DateOfBirth(u16),
    /// Years, stated on days after 2000-01-01.
    Approximate(u8, u16),
}

#[derive(Debug, Arbitrary)]
struct RecordIn {
    refusal: bool,
    giver: u8,
    /// Minutes from the grant (negative: before it).
    assent: Option<i32>,
    purposes: u8,
    scopes: u16,
    categories: u8,
    granted: u32,
    /// Minutes after the grant.
    expires: Option<u32>,
    /// Minutes after the grant.
    revoked: Option<u32>,
}

#[derive(Debug, Arbitrary)]
enum Op {
    Add(RecordIn),
    /// Revoke the `n`-th record, minutes after its grant.
    Revoke(u8, u32),
}

#[derive(Debug, Arbitrary)]
enum Moment {
    /// Minutes into the window.
    Any(u32),
    /// A nudge (nanoseconds, or minutes when large) next to a moment of the `n`-th record:
    /// grant, expiry, revocation or assent.
    NearRecord(u8, u8, i16),
    /// Minutes next to the local midnight of the day she turns `age`.
    NearBirthday(u8, i16),
}

#[derive(Debug, Arbitrary)]
struct QuestionIn {
    organization: u8,
    kind: u8,
    purpose: u8,
    categories: u8,
    at: Moment,
}

#[derive(Debug, Arbitrary)]
struct World {
    birth: BirthIn,
    zone: u8,
    guardians: u8,
    implicated: u8,
    majority: u8,
    assent_age: u8,
    workers: u8,
    records: Vec<RecordIn>,
    ops: Vec<Op>,
    questions: Vec<QuestionIn>,
}

fn base() -> Timestamp {
    chrono::DateTime::from_timestamp(946_684_800, 0).expect("2000-01-01")
}

fn now() -> Timestamp {
    base() + Duration::minutes(i64::from(WINDOW_MINUTES))
}

fn minutes(m: u32) -> Timestamp {
    base() + Duration::minutes(i64::from(m % WINDOW_MINUTES))
}

fn pick<T: Clone>(pool: &[T], mask: u32) -> Vec<T> {
    let mut out: Vec<T> = pool
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, x)| x.clone())
        .collect();
    if out.is_empty() {
        out.push(pool[mask as usize % pool.len()].clone());
    }
    out
}

fn scopes() -> Vec<RecipientScope> {
    let mut s: Vec<RecipientScope> = ORGS[..3]
        .iter()
        .map(|o| RecipientScope::Organization {
            id: OrganizationId::new(*o).expect("an id"),
        })
        .collect();
    s.extend(KINDS.iter().map(|&kind| RecipientScope::Kind { kind }));
    s.push(RecipientScope::Any);
    s
}

fn record(i: usize, r: &RecordIn, s: &ConsentSubject) -> ConsentRecord {
    let granted_at = minutes(r.granted);
    let guardian = |n: usize| s.guardians.get(n).map(|g| g.person_id.clone());
    let given_by = match r.giver % 8 {
        0 | 1 => GivenBy::Person,
        2 | 3 => match guardian(usize::from(r.giver % 8 - 2)) {
            Some(person_id) => GivenBy::Guardian { person_id },
            None => GivenBy::Person,
        },
        4 => GivenBy::LegalRepresentative {
            person_id: PersonId::new("lr-1").expect("an id"),
        },
        w => GivenBy::BestInterest {
            determination: BestInterestDetermination {
                worker_id: WorkerId::new(WORKERS[usize::from(w - 5)]).expect("an id"),
                determined_at: granted_at,
                document_ref: "BID-1".into(),
                rationale: "the guardian is implicated".into(),
            },
        },
    };
    let later = |m: u32| {
        (granted_at + Duration::minutes(i64::from(m % WINDOW_MINUTES)).max(Duration::minutes(1)))
            .min(now())
    };
    ConsentRecord {
        id: ConsentId::new(format!("r-{i:02}")).expect("an id"),
        case_id: s.case_id.clone(),
        kind: if r.refusal {
            RecordKind::Refusal
        } else {
            RecordKind::Consent
        },
        given_by,
        assent: r.assent.map(|m| Assent {
            given_at: (granted_at + Duration::minutes(i64::from(m))).min(now()),
            method: Method::Verbal,
        }),
        purposes: pick(&Purpose::ALL, u32::from(r.purposes)),
        recipients: pick(&scopes(), u32::from(r.scopes)),
        categories: pick(&DataCategory::ALL, u32::from(r.categories)),
        granted_at,
        expires_at: r.expires.map(later),
        method: Method::Written,
        explained_in: LanguageCode::new("bn").expect("a language"),
        witness: None,
        revoked: r.revoked.map(|m| Revocation {
            at: later(m),
            reason: "asked".into(),
        }),
        extra: Default::default(),
    }
}

fn moment(m: &Moment, records: &[ConsentRecord], s: &ConsentSubject) -> Option<Timestamp> {
    match *m {
        Moment::Any(m) => Some(minutes(m)),
        Moment::NearRecord(n, which, nudge) => {
            let r = records.get(usize::from(n) % records.len().max(1))?;
            let at = match which % 4 {
                0 => Some(r.granted_at),
                1 => r.expires_at,
                2 => r.revoked.as_ref().map(|x| x.at),
                _ => r.assent.as_ref().map(|a| a.given_at),
            }?;
            Some(if nudge.unsigned_abs() <= 2 {
                at + Duration::nanoseconds(i64::from(nudge))
            } else {
                at + Duration::minutes(i64::from(nudge % (36 * 60)))
            })
        }
        Moment::NearBirthday(age, nudge) => {
            let day = s.birth?.birthday(u32::from(age % 40))?;
            let midnight = s.calendar().start_of_day(day)?;
            Some(midnight + Duration::minutes(i64::from(nudge % (36 * 60))))
        }
    }
}

/// The shared date helpers, on their own: `birthday(n)` is the first day `age_on` says `n`.
fn check_birthdays(birth: Birth) {
    for n in [1u32, 12, 16, 18, 21] {
        let Some(day) = birth.birthday(n) else {
            continue;
        };
        assert_eq!(birth.age_on(day), Some(n), "{birth:?} on its birthday {n}");
        if let Some(before) = day.pred_opt() {
            assert_eq!(
                birth.age_on(before),
                Some(n - 1),
                "{birth:?} the day before birthday {n}"
            );
        }
    }
}

fn agree(l: &ConsentLedger, q: &Question, what: &str) {
    let engine = l.evaluate(q);
    let simple = consent_reference::reference(l.subject(), l.policy(), l.records(), q);
    assert_eq!(
        engine, simple,
        "{what}: the engine and the reference disagree on {q:?}"
    );
}

fuzz_target!(|w: World| {
    let day = |d: u16| {
        NaiveDate::from_ymd_opt(1985, 1, 1).expect("a date") + Duration::days(i64::from(d % 16000))
    };
    let birth = match w.birth {
        BirthIn::Unknown => None,
        BirthIn::DateOfBirth(d) => Some(Birth::DateOfBirth { date: day(d) }),
        BirthIn::Approximate(years, d) => Some(Birth::ApproximateAge {
            years: u32::from(years % 60),
            recorded_on: day(d.wrapping_add(5479)),
        }),
    };
    if let Some(b) = birth {
        check_birthdays(b);
    }
    let zone = ZONES[usize::from(w.zone) % ZONES.len()];
    let subject = ConsentSubject {
        case_id: CaseId::new("case-x").expect("an id"),
        birth,
        guardians: (0..w.guardians % 3)
            .map(|g| Guardian {
                person_id: PersonId::new(format!("g-{g}")).expect("an id"),
                relationship: "mother".into(),
                implicated_in_harm: w.implicated & (1 << g) != 0,
            })
            .collect(),
        time_zone: (!zone.is_empty()).then(|| TimeZone::new(zone).expect("a zone")),
    };
    let majority = 1 + u32::from(w.majority % 30);
    let policy = ConsentPolicy {
        age_of_majority: majority,
        assent_from_age: u32::from(w.assent_age) % (majority + 1),
        authorised_workers: WORKERS
            .iter()
            .enumerate()
            .filter(|(i, _)| w.workers & (1 << i) != 0)
            .map(|(_, id)| WorkerId::new(*id).expect("an id"))
            .collect(),
        ..ConsentPolicy::default()
    };
    let records: Vec<ConsentRecord> = w
        .records
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, r)| record(i, r, &subject))
        .collect();
    // All at once; when the ledger refuses some (a child's own consent, say), one at a time,
    // keeping those it accepts.
    let mut l = match ConsentLedger::new(subject.clone(), policy.clone(), records.clone(), now()) {
        Ok(l) => l,
        Err(_) => {
            let mut l = ConsentLedger::new(subject.clone(), policy, Vec::new(), now())
                .expect("an empty ledger of a valid policy");
            for r in records {
                let before = l.records().len();
                if l.add(r, now()).is_err() {
                    assert_eq!(
                        l.records().len(),
                        before,
                        "a refused add changed the ledger"
                    );
                }
            }
            l
        }
    };
    for (k, op) in w.ops.iter().take(6).enumerate() {
        match op {
            Op::Add(r) => {
                let _ = l.add(record(10 + k, r, &subject), now());
            }
            Op::Revoke(n, after) => {
                let Some(r) = l.records().get(usize::from(*n) % l.records().len().max(1)) else {
                    continue;
                };
                let (id, at) = (
                    r.id.clone(),
                    (r.granted_at + Duration::minutes(i64::from(after % WINDOW_MINUTES)))
                        .min(now()),
                );
                let before = l.records().to_vec();
                if l.revoke(&id, at, "changed my mind", now()).is_err() {
                    assert_eq!(
                        l.records(),
                        &before[..],
                        "a refused revocation changed the ledger"
                    );
                }
            }
        }
    }
    let json = serde_json::to_string(&l.to_data()).expect("a ledger serialises");
    let back = ConsentLedger::from_json_at(&json, now()).expect("a ledger reads back");
    for qi in w.questions.iter().take(4) {
        let Some(at) = moment(&qi.at, l.records(), l.subject()) else {
            continue;
        };
        let q = Question {
            recipient: Recipient {
                organization_id: OrganizationId::new(ORGS[usize::from(qi.organization) % 4])
                    .expect("an id"),
                kind: KINDS[usize::from(qi.kind) % KINDS.len()],
            },
            purpose: Purpose::ALL[usize::from(qi.purpose) % Purpose::ALL.len()],
            categories: DataCategory::ALL
                .iter()
                .enumerate()
                .filter(|(i, _)| qi.categories & (1 << i) != 0)
                .map(|(_, c)| *c)
                .collect(),
            at,
        };
        agree(&l, &q, "the ledger");
        agree(&back, &q, "the ledger read back from JSON");
    }
});
