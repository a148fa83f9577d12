//! Golden answers for the consent engine: 100,000 questions over 2,000 generated ledgers,
//! answered through the public API and compared, by SHA-256, with the answers recorded in
//! `tests/golden/consent.sha256` (see `tests/golden/README.md`).
//!
//! Each answer is the full decision (outcome, every permitted category with the records it rests
//! on, every denied category with its reason codes and figures, the age and the calendar), the
//! minimised view of a case record that decision allows, for one question in eight the same
//! question under a documented emergency, and for the first question of each ledger the
//! ledger's read-back summary and the organisations it names.
//!
//! `BESIDE_GOLDEN_WRITE=1 cargo test -p beside-consent --test golden_consent` re-records;
//! `BESIDE_GOLDEN_SHOW=<index>` prints one answer's input and answer (run it at the recording
//! commit to see the recorded answer of a difference).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use beside_consent::*;
use beside_core::{
    Birth, CaseId, ConsentId, EventId, Guardian, LanguageCode, OrganizationId, PersonId, TimeZone,
    Timestamp, WorkerId,
};
use chrono::{Duration, NaiveDate, TimeZone as _, Utc};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::path::PathBuf;

const SEED: u64 = 0x0C0A_5E17_2026_0014;
const LEDGERS: usize = 2_000;
const QUESTIONS_PER_LEDGER: usize = 50;
const CHUNK: usize = 1_000;
const SAMPLE: usize = 20;

// ---- a small deterministic generator ---------------------------------------------------

/// SplitMix64, written out here so the corpus does not move if a shared generator changes.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        assert!(n > 0);
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Uniform in `lo..hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo) as usize) as i64
    }

    /// Between 1 and `max` distinct items of `all`, in a random order.
    fn subset<T: Copy>(&mut self, all: &[T], max: usize) -> Vec<T> {
        let n = 1 + self.below(max.min(all.len()));
        let mut pool: Vec<T> = all.to_vec();
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(pool.remove(self.below(pool.len())));
        }
        out
    }
}

// ---- times ------------------------------------------------------------------------------

/// The generated window starts here.
fn epoch() -> Timestamp {
    Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).single().unwrap()
}

/// The "now" validation judges against: after every generated record.
fn now() -> Timestamp {
    Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).single().unwrap()
}

const YEAR: i64 = 365 * 86_400;

fn secs(s: i64) -> Timestamp {
    epoch() + Duration::seconds(s)
}

/// The first moment of `day` on the calendar of `zone`.
fn local_midnight(zone: TimeZone, day: NaiveDate) -> Timestamp {
    zone.start_of_day(day).unwrap()
}

const ZONES: [&str; 8] = [
    "",
    "Asia/Dhaka",
    "Asia/Kathmandu",
    "America/Lima",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Asia/Phnom_Penh",
    "Europe/London",
];

// ---- a generated world ------------------------------------------------------------------

/// One question, with the emergency it is also asked under (one in eight).
struct Asked {
    question: Question,
    emergency: Option<EmergencyDisclosure>,
}

/// A ledger, the questions put to it and the case record minimised for each answer.
struct World {
    ledger: ConsentLedger,
    questions: Vec<Asked>,
    case_record: Value,
    field_map: FieldMap,
    /// The moment the read-back summary is taken at.
    summary_at: Timestamp,
}

fn org_id(i: usize) -> OrganizationId {
    OrganizationId::new(format!("org-{i:03}")).unwrap()
}

/// The kind an organisation of the pool usually is.
fn org_kind(i: usize) -> RecipientKind {
    RecipientKind::ALL[(i * 7) % RecipientKind::ALL.len()]
}

fn subject(rng: &mut Rng, ledger: usize) -> ConsentSubject {
    let birth = match rng.below(100) {
        0..=14 => None,
        15..=89 => Some(Birth::DateOfBirth {
            date: NaiveDate::from_ymd_opt(2002, 1, 1).unwrap()
                + Duration::days(rng.range(0, 13 * 365)),
        }),
        _ => Some(Birth::ApproximateAge {
            years: rng.range(3, 30) as u32,
            recorded_on: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()
                + Duration::days(rng.range(0, 2500)),
        }),
    };
    let guardians = (0..rng.below(4))
        .map(|g| Guardian {
            person_id: PersonId::new(format!("g-{g}")).unwrap(),
            relationship: rng.pick(&["mother", "father", "uncle", "aunt"]).to_string(),
            implicated_in_harm: rng.chance(30),
        })
        .collect();
    let zone = *rng.pick(&ZONES);
    ConsentSubject {
        case_id: CaseId::new(format!("case-{ledger:04}")).unwrap(),
        birth,
        guardians,
        time_zone: (!zone.is_empty()).then(|| TimeZone::new(zone).unwrap()),
    }
}

fn policy(rng: &mut Rng) -> ConsentPolicy {
    if rng.chance(60) {
        return ConsentPolicy {
            authorised_workers: vec![WorkerId::new("w-auth").unwrap()],
            ..ConsentPolicy::default()
        };
    }
    let age_of_majority = *rng.pick(&[16u32, 18, 18, 21]);
    let assent_from_age = *rng.pick(&[0u32, 7, 12, 14]);
    let workers: &[&str] = rng.pick::<&[&str]>(&[&[][..], &["w-auth"][..], &["w-2", "w-auth"][..]]);
    ConsentPolicy {
        age_of_majority,
        assent_from_age,
        authorised_workers: workers.iter().map(|w| WorkerId::new(*w).unwrap()).collect(),
        emergency_valid_hours: *rng.pick(&[1u32, 24, 72]),
        emergency_overrides_refusal: rng.chance(40),
    }
}

fn record(
    rng: &mut Rng,
    k: usize,
    subject: &ConsentSubject,
    policy: &ConsentPolicy,
    orgs: usize,
    wide: bool,
) -> ConsentRecord {
    let zone = subject.calendar();
    let refusal = rng.chance(15);
    let granted_at = secs(rng.range(0, 9 * YEAR + YEAR / 2));
    let most = *rng.pick(&[1, 1, 2, 3, 8]);
    let purposes = rng.subset(&Purpose::ALL, most);
    let n_scopes = if wide && rng.chance(20) {
        rng.range(10, 61) as usize
    } else {
        1 + rng.below(3)
    };
    let mut recipients: Vec<RecipientScope> = Vec::new();
    for _ in 0..n_scopes {
        let scope = match rng.below(100) {
            0..=49 => RecipientScope::Organization {
                id: org_id(rng.below(orgs)),
            },
            50..=84 => RecipientScope::Kind {
                kind: *rng.pick(&RecipientKind::ALL),
            },
            _ => RecipientScope::Any,
        };
        if !recipients.contains(&scope) {
            recipients.push(scope);
        }
    }
    let most = *rng.pick(&[1, 2, 3, 8]);
    let categories = rng.subset(&DataCategory::ALL, most);
    let expires_at = match rng.below(100) {
        // At local midnight of a day on the person's calendar.
        0..=19 => {
            let day = zone.local_date(granted_at) + Duration::days(rng.range(1, 900));
            Some(local_midnight(zone, day))
        }
        // At midnight UTC.
        20..=27 => {
            let day = granted_at.date_naive() + Duration::days(rng.range(1, 900));
            Some(local_midnight(TimeZone::UTC, day))
        }
        28..=39 => Some(granted_at + Duration::seconds(rng.range(1, 3 * YEAR))),
        _ => None,
    };
    let revoked = rng.chance(15).then(|| {
        let at = if rng.chance(10) {
            granted_at
        } else {
            (granted_at + Duration::seconds(rng.range(0, 2 * YEAR))).min(now())
        };
        Revocation {
            at,
            reason: (*rng.pick(&["asked", "moved away", "changed her mind"])).to_owned(),
        }
    });
    let assent = rng.chance(55).then(|| Assent {
        given_at: match rng.below(4) {
            0 => granted_at,
            1 => granted_at - Duration::days(rng.range(1, 30)),
            _ => (granted_at + Duration::seconds(rng.range(1, YEAR))).min(now()),
        },
        method: *rng.pick(&[Method::Verbal, Method::Written]),
    });
    let guardian = |n: usize| {
        subject
            .guardians
            .get(n % subject.guardians.len().max(1))
            .map(|g| g.person_id.clone())
    };
    let legal = || GivenBy::LegalRepresentative {
        person_id: PersonId::new("lr-1").unwrap(),
    };
    let mut given_by = match rng.below(100) {
        0..=29 => GivenBy::Person,
        30..=59 => match guardian(rng.below(3)) {
            Some(person_id) => GivenBy::Guardian { person_id },
            None => GivenBy::Person,
        },
        60..=74 => legal(),
        _ => GivenBy::BestInterest {
            determination: BestInterestDetermination {
                worker_id: WorkerId::new(*rng.pick(&["w-auth", "w-2", "w-other"])).unwrap(),
                determined_at: granted_at,
                document_ref: "BID-1".into(),
                rationale: "the guardians cannot consent".into(),
            },
        },
    };
    if refusal && matches!(given_by, GivenBy::BestInterest { .. }) {
        given_by = GivenBy::Person;
    }
    let known_minor = subject
        .birth
        .is_some_and(|b| b.is_minor_at(granted_at, zone, policy.age_of_majority));
    if known_minor && !refusal && given_by == GivenBy::Person {
        given_by = match guardian(k) {
            Some(person_id) => GivenBy::Guardian { person_id },
            None => legal(),
        };
    }
    let extra = if rng.chance(3) {
        [("app.form".to_owned(), json!({"version": 3}))].into()
    } else {
        Default::default()
    };
    ConsentRecord {
        id: ConsentId::new(format!("{}-{k:03}", if refusal { "r" } else { "c" })).unwrap(),
        case_id: subject.case_id.clone(),
        kind: if refusal {
            RecordKind::Refusal
        } else {
            RecordKind::Consent
        },
        given_by,
        assent,
        purposes,
        recipients,
        categories,
        granted_at,
        expires_at,
        method: *rng.pick(&[
            Method::Written,
            Method::Verbal,
            Method::Thumbprint,
            Method::Digital,
        ]),
        explained_in: LanguageCode::new(rng.pick::<&str>(&["bn", "km", "ne", "en"])).unwrap(),
        witness: rng.chance(20).then(|| Witness::Worker {
            worker_id: WorkerId::new("w-witness").unwrap(),
        }),
        revoked,
        extra,
    }
}

/// The moments worth asking about: the birthdays of majority and of the assent age at local
/// midnight, and every record's grant, expiry, revocation and assent.
fn key_moments(subject: &ConsentSubject, policy: &ConsentPolicy) -> Vec<Timestamp> {
    let zone = subject.calendar();
    let mut out = Vec::new();
    if let Some(b) = subject.birth {
        for age in [policy.age_of_majority, policy.assent_from_age] {
            if let Some(day) = b.birthday(age) {
                out.push(local_midnight(zone, day));
            }
        }
    }
    out
}

fn record_moments(r: &ConsentRecord) -> Vec<Timestamp> {
    let mut out = vec![r.granted_at];
    out.extend(r.expires_at);
    out.extend(r.revoked.as_ref().map(|x| x.at));
    out.extend(r.assent.as_ref().map(|a| a.given_at));
    out
}

fn case_record(rng: &mut Rng) -> (Value, FieldMap) {
    let rule = |path: &str, category| FieldRule {
        path: path.into(),
        category,
    };
    match rng.below(3) {
        0 => (
            json!({
                "name": "A", "phone": "017", "secret": "unmapped",
                "address": {"district": "Jessore", "village": "Benapole"},
                "history": {"route": "Jessore to Kolkata", "injuries": "arm"},
                "counselling": [{"date": "2024-01-02", "notes": "sleeps badly"}],
                "court": {"case_no": "J-12"}, "photos": ["a.jpg", "b.jpg"],
                "household": {"members": [{"age": 40, "job": "farmer"}, {"age": 12}]}
            }),
            FieldMap {
                rules: vec![
                    rule("name", DataCategory::Identity),
                    rule("phone", DataCategory::Contact),
                    rule("address", DataCategory::Location),
                    rule("history", DataCategory::TraffickingHistory),
                    rule("history.injuries", DataCategory::Health),
                    rule("counselling", DataCategory::MentalHealth),
                    rule("court", DataCategory::Legal),
                    rule("photos", DataCategory::Photos),
                    rule("household.members.age", DataCategory::Identity),
                ],
            },
        ),
        1 => (
            json!({
                "person": {"name": "B", "contact": {"phone": "099", "email": "b@x"},
                           "health": {"notes": "asthma", "clinic": "Poipet"}},
                "notes": [{"text": "met at the border"}, {"text": "wants work"}],
                "legal": []
            }),
            FieldMap {
                rules: vec![
                    rule("person", DataCategory::Identity),
                    rule("person.contact", DataCategory::Contact),
                    rule("person.health", DataCategory::Health),
                    rule("person.health.clinic", DataCategory::Location),
                    rule("legal", DataCategory::Legal),
                ],
            },
        ),
        _ => (
            json!("not an object"),
            FieldMap {
                rules: vec![rule("name", DataCategory::Identity)],
            },
        ),
    }
}

/// The world of ledger `n`, from its own seed, so one ledger can be regenerated alone.
fn world(n: usize) -> World {
    let mut rng = Rng::new(SEED ^ (n as u64).wrapping_mul(0xA24B_AED4_963E_E407));
    let subject = subject(&mut rng, n);
    let policy = policy(&mut rng);
    let size = match rng.below(100) {
        0..=4 => 0,
        5..=39 => 1 + rng.below(5),
        40..=79 => 6 + rng.below(25),
        80..=94 => 31 + rng.below(50),
        _ => 100 + rng.below(60),
    };
    // Ledgers of 100 records and more name more than 64 organisations.
    let wide = size >= 100;
    let orgs = if wide { 100 } else { 8 };
    let records: Vec<ConsentRecord> = (0..size)
        .map(|k| record(&mut rng, k, &subject, &policy, orgs, wide))
        .collect();
    // A quarter of the ledgers grow and change through `add` and `revoke`.
    let ledger = if size > 1 && rng.chance(25) {
        let (first, rest) = records.split_at(size / 2);
        let mut l =
            ConsentLedger::new(subject.clone(), policy.clone(), first.to_vec(), now()).unwrap();
        for r in rest {
            l.add(r.clone(), now()).unwrap();
        }
        for _ in 0..1 + rng.below(2) {
            let open: Vec<&ConsentRecord> =
                l.records().iter().filter(|r| r.revoked.is_none()).collect();
            if open.is_empty() {
                break;
            }
            let r = *rng.pick(&open);
            let at = (r.granted_at + Duration::seconds(rng.range(0, 2 * YEAR))).min(now());
            let id = r.id.clone();
            l.revoke(&id, at, "asked by phone", now()).unwrap();
        }
        l
    } else {
        ConsentLedger::new(subject.clone(), policy.clone(), records, now()).unwrap()
    };
    let mut moments = key_moments(&subject, &policy);
    for r in ledger.records() {
        moments.extend(record_moments(r));
    }
    let offsets = [
        Duration::zero(),
        Duration::nanoseconds(-1),
        Duration::nanoseconds(1),
        Duration::seconds(-1),
        Duration::seconds(1),
        Duration::hours(-1),
        Duration::hours(6),
        Duration::hours(-13),
        Duration::hours(13),
        Duration::days(1),
    ];
    let used_purposes: Vec<Purpose> = ledger
        .records()
        .iter()
        .flat_map(|r| r.purposes.iter().copied())
        .collect();
    let questions = (0..QUESTIONS_PER_LEDGER)
        .map(|k| {
            let recipient = match rng.below(10) {
                0..=5 => {
                    let i = rng.below(orgs);
                    Recipient {
                        organization_id: org_id(i),
                        kind: if rng.chance(80) {
                            org_kind(i)
                        } else {
                            *rng.pick(&RecipientKind::ALL)
                        },
                    }
                }
                6..=8 => Recipient {
                    organization_id: OrganizationId::new(format!("org-x-{}", rng.below(5)))
                        .unwrap(),
                    kind: *rng.pick(&RecipientKind::ALL),
                },
                // Beyond the 64th organisation of a wide ledger.
                _ => {
                    let i = if wide {
                        64 + rng.below(36)
                    } else {
                        rng.below(orgs)
                    };
                    Recipient {
                        organization_id: org_id(i),
                        kind: org_kind(i),
                    }
                }
            };
            let purpose = if !used_purposes.is_empty() && rng.chance(70) {
                *rng.pick(&used_purposes)
            } else {
                *rng.pick(&Purpose::ALL)
            };
            let mut categories = if rng.chance(3) {
                Vec::new()
            } else {
                let most = *rng.pick(&[1, 2, 3, 4, 8]);
                rng.subset(&DataCategory::ALL, most)
            };
            if !categories.is_empty() && rng.chance(5) {
                categories.push(categories[0]);
            }
            let at = if !moments.is_empty() && rng.chance(60) {
                *rng.pick(&moments) + *rng.pick(&offsets)
            } else {
                secs(rng.range(0, 10 * YEAR))
            };
            let emergency = (k % 8 == 7).then(|| {
                let declared_at = if rng.chance(20) {
                    at + Duration::hours(1)
                } else {
                    at - Duration::hours(rng.range(0, 80))
                };
                EmergencyDisclosure {
                    id: EventId::new(format!("em-{k}")).unwrap(),
                    case_id: if rng.chance(95) {
                        subject.case_id.clone()
                    } else {
                        CaseId::new("case-other").unwrap()
                    },
                    declared_by: WorkerId::new("w-auth").unwrap(),
                    declared_at: declared_at.min(now()),
                    justification: if rng.chance(95) {
                        "unconscious after an assault; the ambulance needs her history".into()
                    } else {
                        String::new()
                    },
                }
            });
            let recipient = if emergency.is_some() && rng.chance(60) {
                Recipient {
                    kind: RecipientKind::EmergencyServices,
                    ..recipient
                }
            } else {
                recipient
            };
            Asked {
                question: Question {
                    recipient,
                    purpose,
                    categories,
                    at,
                },
                emergency,
            }
        })
        .collect();
    let (case_record, field_map) = case_record(&mut rng);
    let summary_at = secs(rng.range(0, 10 * YEAR));
    World {
        ledger,
        questions,
        case_record,
        field_map,
        summary_at,
    }
}

// ---- answers ----------------------------------------------------------------------------

/// The answer to question `k` of `world`, as canonical JSON text: records serialised as
/// their types declare (fields in order, no maps but `BTreeMap`s), the minimised view (a
/// `serde_json::Value`) with its object keys sorted.
fn answer(world: &World, k: usize) -> String {
    let asked = &world.questions[k];
    let decision = world.ledger.evaluate(&asked.question);
    let mut out = String::from("{\"decision\":");
    out.push_str(&serde_json::to_string(&decision).unwrap());
    out.push_str(",\"minimised\":");
    match minimise(&world.case_record, &world.field_map, &decision) {
        Ok(view) => {
            out.push_str("{\"removed\":");
            out.push_str(&serde_json::to_string(&view.removed).unwrap());
            out.push_str(",\"view\":");
            canonical(&view.view, &mut out);
            out.push('}');
        }
        Err(e) => out.push_str(&json!({ "error": e.to_string() }).to_string()),
    }
    if let Some(e) = &asked.emergency {
        out.push_str(",\"emergency\":");
        match world.ledger.evaluate_emergency(e, &asked.question, now()) {
            Ok(d) => out.push_str(&serde_json::to_string(&d).unwrap()),
            Err(err) => out.push_str(&json!({ "error": err.to_string() }).to_string()),
        }
    }
    if k == 0 {
        out.push_str(",\"named_organizations\":");
        out.push_str(&serde_json::to_string(world.ledger.named_organizations()).unwrap());
        out.push_str(",\"summary\":");
        out.push_str(&serde_json::to_string(&world.ledger.summary(world.summary_at)).unwrap());
    }
    out.push('}');
    out
}

fn pretty(text: &str) -> String {
    serde_json::to_string_pretty(&serde_json::from_str::<Value>(text).unwrap()).unwrap()
}

/// The input of question `k` of `world`, as JSON.
fn input(world: &World, k: usize) -> Value {
    let asked = &world.questions[k];
    json!({
        "ledger": world.ledger.to_data(),
        "question": asked.question,
        "emergency": asked.emergency,
        "case_record": world.case_record,
        "field_map": world.field_map,
    })
}

/// JSON with every object's keys sorted, whatever map type serde_json was built with.
fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(k).unwrap());
                out.push(':');
                canonical(&map[k.as_str()], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&serde_json::to_string(other).unwrap()),
    }
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// The recorded chunk lines, or none when the file is absent.
fn read_lines(name: &str) -> Vec<String> {
    match std::fs::read_to_string(golden_dir().join(name)) {
        Ok(s) => s.lines().map(str::to_owned).collect(),
        Err(_) => Vec::new(),
    }
}

fn show(index: usize) {
    let w = world(index / QUESTIONS_PER_LEDGER);
    let k = index % QUESTIONS_PER_LEDGER;
    println!(
        "input {index}:\n{}",
        serde_json::to_string_pretty(&input(&w, k)).unwrap()
    );
    println!("answer {index}:\n{}", pretty(&answer(&w, k)));
}

#[test]
fn consent_answers_match_the_golden_record() {
    if let Ok(i) = std::env::var("BESIDE_GOLDEN_SHOW") {
        show(i.parse().expect("BESIDE_GOLDEN_SHOW=<answer index>"));
        return;
    }
    let write = std::env::var("BESIDE_GOLDEN_WRITE").is_ok_and(|v| v == "1");
    let total = LEDGERS * QUESTIONS_PER_LEDGER;
    let mut digests: Vec<[u8; 32]> = Vec::with_capacity(total);
    let mut sample: Vec<Value> = Vec::new();
    for n in 0..LEDGERS {
        let w = world(n);
        let small = w.ledger.records().len() <= 4;
        for k in 0..QUESTIONS_PER_LEDGER {
            let text = answer(&w, k);
            let digest: [u8; 32] = Sha256::digest(text.as_bytes())
                .as_slice()
                .try_into()
                .unwrap();
            digests.push(digest);
            // A readable sample from small ledgers, one answer a ledger, of every outcome.
            let outcome = text
                .split_once("\"outcome\":\"")
                .and_then(|(_, rest)| rest.split_once('"'))
                .map(|(o, _)| o.to_owned())
                .unwrap();
            let quota = if outcome == "deny" { 6 } else { 7 };
            let of_outcome = sample
                .iter()
                .filter(|x| x["answer"]["decision"]["outcome"] == outcome.as_str())
                .count();
            let this_ledger = sample
                .last()
                .is_some_and(|x| x["index"].as_u64() >= Some((n * QUESTIONS_PER_LEDGER) as u64));
            if small && sample.len() < SAMPLE && of_outcome < quota && !this_ledger {
                sample.push(json!({
                    "index": n * QUESTIONS_PER_LEDGER + k,
                    "input": input(&w, k),
                    "answer": serde_json::from_str::<Value>(&text).unwrap(),
                }));
            }
        }
    }
    let mut chunks = Vec::new();
    let mut prints = Vec::new();
    for (c, part) in digests.chunks(CHUNK).enumerate() {
        let mut h = Sha256::new();
        let mut fp = String::with_capacity(part.len() * 2);
        for d in part {
            h.update(d);
            write!(fp, "{:02x}", d[0]).unwrap();
        }
        chunks.push(format!("{c} {} {}", part.len(), hex::encode(h.finalize())));
        prints.push(format!("{c} {fp}"));
    }
    let sample_text = serde_json::to_string_pretty(&Value::Array(sample.clone())).unwrap() + "\n";
    if write {
        std::fs::create_dir_all(golden_dir()).unwrap();
        std::fs::write(
            golden_dir().join("consent.sha256"),
            chunks.join("\n") + "\n",
        )
        .unwrap();
        std::fs::write(
            golden_dir().join("consent.fingerprints"),
            prints.join("\n") + "\n",
        )
        .unwrap();
        std::fs::write(golden_dir().join("consent.sample.json"), sample_text).unwrap();
        println!("recorded {total} answers in {} chunks", chunks.len());
        return;
    }
    let recorded = read_lines("consent.sha256");
    assert!(
        !recorded.is_empty(),
        "no golden record: run with BESIDE_GOLDEN_WRITE=1"
    );
    let recorded_prints = read_lines("consent.fingerprints");
    let recorded_sample: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(golden_dir().join("consent.sample.json")).unwrap(),
    )
    .unwrap();
    // The sample first: there both answers are at hand.
    for (got, want) in sample.iter().zip(&recorded_sample) {
        if got != want {
            panic!(
                "sample answer {} differs\ninput:\n{}\nrecorded answer:\n{}\nanswer now:\n{}",
                want["index"],
                serde_json::to_string_pretty(&want["input"]).unwrap(),
                serde_json::to_string_pretty(&want["answer"]).unwrap(),
                serde_json::to_string_pretty(&got["answer"]).unwrap(),
            );
        }
    }
    assert_eq!(sample.len(), recorded_sample.len(), "sample size changed");
    assert_eq!(chunks.len(), recorded.len(), "number of chunks changed");
    for (c, (got, want)) in chunks.iter().zip(&recorded).enumerate() {
        if got == want {
            continue;
        }
        let mine = prints[c].split_once(' ').map(|x| x.1).unwrap_or("");
        let theirs = recorded_prints
            .get(c)
            .and_then(|l| l.split_once(' '))
            .map(|x| x.1)
            .unwrap_or("");
        let within =
            (0..CHUNK).find(|i| mine.get(2 * i..2 * i + 2) != theirs.get(2 * i..2 * i + 2));
        let Some(i) = within else {
            panic!(
                "chunk {c} differs (recorded `{want}`, now `{got}`), but every answer's one-byte \
                 fingerprint agrees: run BESIDE_GOLDEN_SHOW=<index> for the answers \
                 {}..{} here and at the recording commit",
                c * CHUNK,
                (c + 1) * CHUNK
            );
        };
        let index = c * CHUNK + i;
        let w = world(index / QUESTIONS_PER_LEDGER);
        let k = index % QUESTIONS_PER_LEDGER;
        panic!(
            "chunk {c} differs (recorded `{want}`, now `{got}`); first differing answer: {index} \
             (ledger {}, question {k})\ninput:\n{}\nanswer now:\n{}\n\
             the recorded answer: run `BESIDE_GOLDEN_SHOW={index} cargo test -p beside-consent \
             --test golden_consent -- --nocapture` at the recording commit",
            index / QUESTIONS_PER_LEDGER,
            serde_json::to_string_pretty(&input(&w, k)).unwrap(),
            pretty(&answer(&w, k)),
        );
    }
}

/// The corpus is not vacuous: it reaches every outcome and every reason code, empty ledgers,
/// more than 64 named organisations, and questions at local midnight.
#[test]
fn the_corpus_covers_the_rules() {
    let mut seen = std::collections::BTreeSet::new();
    let mut wide = 0;
    let mut empty = 0;
    for n in (0..LEDGERS).step_by(10) {
        let w = world(n);
        if w.ledger.named_organizations().len() > 64 {
            wide += 1;
        }
        if w.ledger.records().is_empty() {
            empty += 1;
        }
        for asked in &w.questions {
            let d = w.ledger.evaluate(&asked.question);
            seen.insert(d.outcome.key().to_owned());
            for x in &d.denied {
                for r in &x.reasons {
                    seen.insert(r.code().to_owned());
                }
            }
            if let Some(e) = &asked.emergency {
                if let Ok(d) = w.ledger.evaluate_emergency(e, &asked.question, now()) {
                    for p in &d.permitted {
                        if let PermitBasis::Emergency { overrides, .. } = &p.basis {
                            seen.insert("emergency".into());
                            if !overrides.is_empty() {
                                seen.insert("emergency_override".into());
                            }
                        }
                    }
                    for x in &d.denied {
                        for r in &x.reasons {
                            seen.insert(r.code().to_owned());
                        }
                    }
                }
            }
        }
    }
    for want in [
        "permit",
        "partial_permit",
        "deny",
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
        "emergency",
        "emergency_override",
    ] {
        assert!(seen.contains(want), "never saw {want}: {seen:?}");
    }
    assert!(wide > 0, "no ledger names more than 64 organisations");
    assert!(empty > 0, "no empty ledger");
}
