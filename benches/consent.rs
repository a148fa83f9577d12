//! One consent decision against a case with 5, 50 and 500 consent records, to show how the
//! cost grows with the ledger (target at 50 records: at most 1 µs median).
//!
//! With `--features compare-cedar`, the same records are also written as Cedar policies (one
//! `permit` per consent, one `forbid` per refusal, the age and time rules as `when` conditions)
//! and evaluated with `cedar-policy` in the same run, one request per data category. At each
//! size the bench first checks that both engines permit exactly the same categories for 400
//! questions and the measured one, then times both on the measured question (target: Beside
//! at least 100× faster at each size).
//!
//! `cargo bench -p beside --features compare-cedar --bench consent`

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "support/cpu.rs"]
mod cpu;

use beside::consent::*;
use beside::core::{
    Birth, CaseId, ConsentId, Guardian, LanguageCode, OrganizationId, PersonId, Timestamp, WorkerId,
};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn t(day: i64) -> Timestamp {
    Utc.with_ymd_and_hms(2024, 1, 1, 9, 0, 0).single().unwrap() + Duration::days(day)
}

const ORGS: [(&str, RecipientKind); 6] = [
    ("org-bd-jsr-ngo-01", RecipientKind::Ngo),
    ("org-bd-jsr-ngo-02", RecipientKind::Ngo),
    ("org-bd-jsr-police-01", RecipientKind::Police),
    ("org-bd-jsr-health-01", RecipientKind::Health),
    ("org-bd-jsr-survivor-01", RecipientKind::SurvivorLed),
    ("org-bd-jsr-gov-01", RecipientKind::Government),
];

/// A deterministic little generator.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn pick<T: Copy>(g: &mut Lcg, pool: &[T], max: u64) -> Vec<T> {
    let n = 1 + g.next(max) as usize;
    let mut out: Vec<T> = Vec::new();
    for _ in 0..n {
        let x = pool[g.next(pool.len() as u64) as usize];
        if !out
            .iter()
            .any(|y| std::mem::discriminant(y) == std::mem::discriminant(&x))
        {
            out.push(x);
        }
    }
    out
}

/// The ledger sizes measured.
const SIZES: [usize; 3] = [5, 50, 500];

/// A 16-year-old with a mother (consents with assent) and an uncle implicated in the harm, and
/// `n` records: consents from the mother, from a best-interest determination and from the
/// uncle, refusals, some expired, some revoked.
fn case(n: usize) -> (ConsentLedger, Vec<Question>) {
    let case_id = CaseId::new("case-bench").unwrap();
    let subject = ConsentSubject {
        case_id: case_id.clone(),
        birth: Some(Birth::DateOfBirth {
            date: NaiveDate::from_ymd_opt(2009, 3, 1).unwrap(),
        }),
        guardians: vec![
            Guardian {
                person_id: PersonId::new("p-mother").unwrap(),
                relationship: "mother".into(),
                implicated_in_harm: false,
            },
            Guardian {
                person_id: PersonId::new("p-uncle").unwrap(),
                relationship: "uncle".into(),
                implicated_in_harm: true,
            },
        ],
        // No place: days in UTC, as the Cedar comparison below reads them.
        time_zone: None,
    };
    let policy = ConsentPolicy {
        authorised_workers: vec![WorkerId::new("w-senior").unwrap()],
        ..ConsentPolicy::default()
    };
    let mut g = Lcg(42);
    let mut records = Vec::new();
    for i in 0..n {
        let purposes = pick(&mut g, &Purpose::ALL, 3);
        let categories = pick(&mut g, &DataCategory::ALL, 4);
        let recipients: Vec<RecipientScope> = (0..1 + g.next(2))
            .map(|_| match g.next(3) {
                0 => RecipientScope::Organization {
                    id: OrganizationId::new(ORGS[g.next(6) as usize].0).unwrap(),
                },
                1 => RecipientScope::Kind {
                    kind: ORGS[g.next(6) as usize].1,
                },
                _ => RecipientScope::Any,
            })
            .fold(Vec::new(), |mut v, s| {
                if !v.contains(&s) {
                    v.push(s);
                }
                v
            });
        let refusal = g.next(8) == 0;
        let given_by = match (refusal, g.next(4)) {
            (true, _) => GivenBy::Person,
            (_, 0) => GivenBy::Guardian {
                person_id: PersonId::new("p-uncle").unwrap(),
            },
            (_, 1) => GivenBy::BestInterest {
                determination: BestInterestDetermination {
                    worker_id: WorkerId::new("w-senior").unwrap(),
                    determined_at: t(0),
                    document_ref: "BID-1".into(),
                    rationale: "uncle implicated".into(),
                },
            },
            _ => GivenBy::Guardian {
                person_id: PersonId::new("p-mother").unwrap(),
            },
        };
        let granted = g.next(300) as i64;
        records.push(ConsentRecord {
            extra: std::collections::BTreeMap::new(),
            id: ConsentId::new(format!("c-{i:03}")).unwrap(),
            case_id: case_id.clone(),
            kind: if refusal {
                RecordKind::Refusal
            } else {
                RecordKind::Consent
            },
            given_by,
            assent: (g.next(4) != 0).then(|| Assent {
                given_at: t(granted),
                method: Method::Verbal,
            }),
            purposes,
            recipients,
            categories,
            granted_at: t(granted),
            expires_at: (g.next(3) == 0).then(|| t(granted + 30 + g.next(400) as i64)),
            method: Method::Thumbprint,
            explained_in: LanguageCode::new("bn").unwrap(),
            witness: None,
            revoked: (g.next(6) == 0).then(|| Revocation {
                at: t(granted + 10 + g.next(300) as i64),
                reason: "asked".into(),
            }),
        });
    }
    let ledger = ConsentLedger::new(subject, policy, records, t(2000)).unwrap();
    let mut questions = Vec::new();
    for _ in 0..400 {
        let (org, kind) = ORGS[g.next(6) as usize];
        questions.push(Question {
            recipient: Recipient {
                organization_id: OrganizationId::new(org).unwrap(),
                kind,
            },
            purpose: Purpose::ALL[g.next(8) as usize],
            categories: pick(&mut g, &DataCategory::ALL, 4),
            // Around the 18th birthday (2027-03-01) too.
            at: t(g.next(1400) as i64),
        });
    }
    (ledger, questions)
}

/// The question measured: an NGO asks for contact, location and health for a referral.
fn the_question() -> Question {
    Question {
        recipient: Recipient {
            organization_id: OrganizationId::new("org-bd-jsr-ngo-01").unwrap(),
            kind: RecipientKind::Ngo,
        },
        purpose: Purpose::ServiceReferral,
        categories: vec![
            DataCategory::Contact,
            DataCategory::Location,
            DataCategory::Health,
        ],
        at: t(200),
    }
}

fn bench(c: &mut Criterion) {
    let q = the_question();
    let mut group = c.benchmark_group("consent");
    for n in SIZES {
        let (ledger, questions) = case(n);
        let d = ledger.evaluate(&q);
        println!(
            "{n} records, measured question: outcome {:?}, {} permitted, {} denied with {} reasons",
            d.outcome,
            d.permitted.len(),
            d.denied.len(),
            d.denied.iter().map(|x| x.reasons.len()).sum::<usize>()
        );
        group.bench_function(format!("decision_{n}_records"), |b| {
            b.iter(|| ledger.evaluate(black_box(&q)))
        });
        group.bench_function(format!("decision_{n}_records (thread CPU time)"), |b| {
            cpu::iter_cpu(b, || ledger.evaluate(black_box(&q)))
        });
        group.bench_function(format!("decision_{n}_records_400_questions_mixed"), |b| {
            b.iter(|| {
                for q in &questions {
                    black_box(ledger.evaluate(black_box(q)));
                }
            })
        });
        #[cfg(feature = "compare-cedar")]
        {
            let cedar = cedar::Cedar::new(&ledger);
            for q in questions.iter().chain(std::iter::once(&q)) {
                let ours = ledger.evaluate(q).permitted_categories();
                let theirs = cedar.permitted(&ledger, q);
                assert_eq!(ours, theirs, "engines disagree at {n} records on {q:?}");
            }
            println!(
                "cedar: {} policies agree with beside on {} questions",
                cedar.policy_count,
                questions.len() + 1
            );
            group.bench_function(format!("cedar_decision_{n}_records"), |b| {
                b.iter(|| cedar.permitted(&ledger, black_box(&q)))
            });
            group.bench_function(
                format!("cedar_decision_{n}_records (thread CPU time)"),
                |b| cpu::iter_cpu(b, || cedar.permitted(&ledger, black_box(&q))),
            );
        }
    }
    group.finish();
}

#[cfg(feature = "compare-cedar")]
mod cedar {
    //! The same rules as Cedar policies.

    use super::*;
    use cedar_policy::{
        Authorizer, Context, Decision, Entities, Entity, EntityUid, PolicySet, Request,
        RestrictedExpression,
    };
    use std::collections::{HashMap, HashSet};
    use std::str::FromStr;

    pub struct Cedar {
        policies: PolicySet,
        entities: Entities,
        authorizer: Authorizer,
        pub policy_count: usize,
    }

    fn uid(s: &str) -> EntityUid {
        EntityUid::from_str(s).unwrap()
    }

    fn secs(t: Timestamp) -> i64 {
        t.timestamp()
    }

    impl Cedar {
        pub fn new(ledger: &ConsentLedger) -> Self {
            let policy = ledger.policy();
            let majority = policy.age_of_majority;
            let assent_age = policy.assent_from_age;
            let guardians = &ledger.subject().guardians;
            let birth = ledger.subject().birth;
            let mut text = String::new();
            let mut count = 0;
            for r in ledger.records() {
                let scope: Vec<String> = r
                    .recipients
                    .iter()
                    .map(|s| match s {
                        RecipientScope::Organization { id } => {
                            format!("principal == Recipient::\"{id}\"")
                        }
                        RecipientScope::Kind { kind } => {
                            format!("principal in Kind::\"{}\"", kind.key())
                        }
                        RecipientScope::Any => "true".to_owned(),
                    })
                    .collect();
                let actions: Vec<String> = r
                    .purposes
                    .iter()
                    .map(|p| format!("Action::\"{}\"", p.key()))
                    .collect();
                let resources: Vec<String> = r
                    .categories
                    .iter()
                    .map(|c| format!("Category::\"{}\"", c.key()))
                    .collect();
                let mut when = vec![format!("context.now >= {}", secs(r.granted_at))];
                if let Some(e) = r.expires_at {
                    when.push(format!("context.now < {}", secs(e)));
                }
                if let Some(rev) = &r.revoked {
                    when.push(format!("context.now < {}", secs(rev.at)));
                }
                let adult = format!("context.age >= {majority}");
                let assent = match &r.assent {
                    Some(a) => format!(
                        "((context.age >= 0 && context.age < {assent_age}) || context.now >= {})",
                        secs(a.given_at)
                    ),
                    None => format!("(context.age >= 0 && context.age < {assent_age})"),
                };
                let minor = format!("(context.age < {majority} && {assent})");
                let granted_as_minor =
                    birth.is_none_or(|b| b.is_minor_on(r.granted_at.date_naive(), majority));
                let effect = match r.kind {
                    RecordKind::Refusal => "forbid",
                    RecordKind::Consent => {
                        let giver = match &r.given_by {
                            GivenBy::Person => Some(adult),
                            GivenBy::Guardian { person_id } => guardians
                                .iter()
                                .find(|g| g.person_id == *person_id && !g.implicated_in_harm)
                                .map(|_| minor),
                            GivenBy::LegalRepresentative { .. } if granted_as_minor => Some(minor),
                            GivenBy::LegalRepresentative { .. } => {
                                Some(format!("({adult} || {minor})"))
                            }
                            GivenBy::BestInterest { determination } => policy
                                .authorised_workers
                                .contains(&determination.worker_id)
                                .then_some(minor),
                        };
                        match giver {
                            Some(cond) => when.push(cond),
                            None => continue,
                        }
                        "permit"
                    }
                };
                when.push(format!("({})", scope.join(" || ")));
                when.push(format!("[{}].contains(resource)", resources.join(", ")));
                text.push_str(&format!(
                    "@id(\"{}\")\n{effect}(principal, action in [{}], resource)\nwhen {{ {} }};\n",
                    r.id,
                    actions.join(", "),
                    when.join(" && ")
                ));
                count += 1;
            }
            let policies = PolicySet::from_str(&text).unwrap();
            let mut entities = Vec::new();
            for (org, kind) in ORGS {
                entities.push(
                    Entity::new(
                        uid(&format!("Recipient::\"{org}\"")),
                        HashMap::new(),
                        HashSet::from([uid(&format!("Kind::\"{}\"", kind.key()))]),
                    )
                    .unwrap(),
                );
            }
            let entities = Entities::from_entities(entities, None).unwrap();
            Self {
                policies,
                entities,
                authorizer: Authorizer::new(),
                policy_count: count,
            }
        }

        /// The categories Cedar allows, one request per category.
        pub fn permitted(&self, ledger: &ConsentLedger, q: &Question) -> Vec<DataCategory> {
            let age = ledger
                .subject()
                .birth
                .and_then(|b| b.age_on(q.at.date_naive()))
                .map_or(-1, i64::from);
            let principal = uid(&format!("Recipient::\"{}\"", q.recipient.organization_id));
            let action = uid(&format!("Action::\"{}\"", q.purpose.key()));
            let mut cats = q.categories.clone();
            cats.sort();
            cats.dedup();
            cats.into_iter()
                .filter(|c| {
                    let context = Context::from_pairs([
                        ("now".to_owned(), RestrictedExpression::new_long(secs(q.at))),
                        ("age".to_owned(), RestrictedExpression::new_long(age)),
                    ])
                    .unwrap();
                    let request = Request::new(
                        principal.clone(),
                        action.clone(),
                        uid(&format!("Category::\"{}\"", c.key())),
                        context,
                        None,
                    )
                    .unwrap();
                    self.authorizer
                        .is_authorized(&request, &self.policies, &self.entities)
                        .decision()
                        == Decision::Allow
                })
                .collect()
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
