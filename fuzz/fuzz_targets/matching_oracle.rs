//! Differential: matching with the consent engine's gate against matching with a gate that asks
//! the plain reference evaluator (`tests/support/consent_reference.rs`) about every provider.
//!
//! The engine's [`LedgerGate`] lets matching ask once per organisation kind for the providers
//! its ledger does not name ([`ConsentGate::named_organizations`]), and answers with the
//! compiled ledger. The reference gate claims nothing, so matching asks it about each provider
//! on its own, and it answers with the reference evaluator. Structure-aware (`arbitrary`): a
//! sample case (each of the 14, her own time zone), needs from the default domains, up to eight
//! consents and refusals naming sample providers, kinds or anyone, with expiries, revocations and
//! assent, a moment, vetoes and safety flags. The two match results must be equal: candidates,
//! scores, exclusions with their reason codes, near misses. The sample directory and its index
//! are built once.

#![no_main]

#[path = "../../tests/support/consent_reference.rs"]
mod consent_reference;

use arbitrary::Arbitrary;
use beside::consent::*;
use beside::core::{
    default_domain_keys, CaseProfile, ConsentId, LanguageCode, OrganizationId, PersonId, Timestamp,
    WorkerId,
};
use beside::referral::directory::Organization;
use beside::referral::matching::{
    ConsentGate, LedgerGate, MatchConfig, MatchIndex, MatchRequest, SafetyConcern, SafetyFlag,
    Veto, REFERRAL_CATEGORIES,
};
use chrono::Duration;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

struct World {
    index: MatchIndex,
    cases: Vec<CaseProfile>,
    organizations: Vec<OrganizationId>,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let directory = beside::samples::directory().expect("the sample directory");
        let organizations = directory
            .organizations
            .iter()
            .map(|o| o.id.clone())
            .collect();
        World {
            index: MatchIndex::new(directory).expect("the sample index"),
            cases: beside::samples::cases().expect("the sample cases"),
            organizations,
        }
    })
}

/// Every moment falls in 2024-01-01 + 1,100 days, around the samples' dates.
fn base() -> Timestamp {
    chrono::DateTime::from_timestamp(1_704_067_200, 0).expect("2024-01-01")
}
const WINDOW_MINUTES: u32 = 1100 * 24 * 60;

fn now() -> Timestamp {
    base() + Duration::minutes(i64::from(WINDOW_MINUTES))
}

fn minutes(m: u32) -> Timestamp {
    base() + Duration::minutes(i64::from(m % WINDOW_MINUTES))
}

#[derive(Debug, Arbitrary)]
enum ScopeIn {
    Organization(u8),
    Kind(u8),
    Any,
}

#[derive(Debug, Arbitrary)]
struct RecordIn {
    refusal: bool,
    giver: u8,
    assent: Option<u16>,
    scopes: Vec<ScopeIn>,
    categories: u8,
    granted: u32,
    expires: Option<u32>,
    revoked: Option<u32>,
}

#[derive(Debug, Arbitrary)]
struct Input {
    case: u8,
    needs: u32,
    records: Vec<RecordIn>,
    at: u32,
    vetoes: Vec<u8>,
    flags: Vec<u8>,
}

/// A gate on the reference evaluator that claims to name no organisation, so that matching
/// asks it about every provider.
struct ReferenceGate<'a> {
    ledger: &'a ConsentLedger,
}

impl ConsentGate for ReferenceGate<'_> {
    fn refusal(&self, organization: &Organization, at: Timestamp) -> Option<Vec<String>> {
        let q = Question {
            recipient: Recipient {
                organization_id: organization.id.clone(),
                kind: organization.kind,
            },
            purpose: Purpose::ServiceReferral,
            categories: REFERRAL_CATEGORIES.to_vec(),
            at,
        };
        let d = consent_reference::reference(
            self.ledger.subject(),
            self.ledger.policy(),
            self.ledger.records(),
            &q,
        );
        if d.outcome == Outcome::Permit {
            return None;
        }
        let mut codes: Vec<String> = d
            .denied
            .iter()
            .flat_map(|d| d.reasons.iter().map(|r| r.code().to_owned()))
            .collect();
        codes.sort();
        codes.dedup();
        Some(codes)
    }
}

fuzz_target!(|input: Input| {
    let w = world();
    let case = &w.cases[usize::from(input.case) % w.cases.len()];
    let org = |n: u8| w.organizations[usize::from(n) % w.organizations.len()].clone();
    let subject = ConsentSubject::from(case);
    let policy = ConsentPolicy {
        authorised_workers: vec![WorkerId::new("w-a").expect("an id")],
        ..ConsentPolicy::default()
    };
    let kinds = beside::core::OrganizationKind::ALL;
    let mut ledger =
        ConsentLedger::new(subject.clone(), policy, Vec::new(), now()).expect("an empty ledger");
    for (i, r) in input.records.iter().take(8).enumerate() {
        let granted_at = minutes(r.granted);
        let later = |m: u32| {
            (granted_at + Duration::minutes(i64::from(m % WINDOW_MINUTES).max(1))).min(now())
        };
        let mut recipients: Vec<RecipientScope> = r
            .scopes
            .iter()
            .take(4)
            .map(|s| match *s {
                ScopeIn::Organization(n) => RecipientScope::Organization { id: org(n) },
                ScopeIn::Kind(k) => RecipientScope::Kind {
                    kind: kinds[usize::from(k) % kinds.len()],
                },
                ScopeIn::Any => RecipientScope::Any,
            })
            .collect();
        let mut seen = std::collections::HashSet::new();
        recipients.retain(|s| seen.insert(s.clone()));
        let guardian = subject.guardians.first().map(|g| g.person_id.clone());
        let given_by = match (r.giver % 4, guardian) {
            (1, Some(person_id)) => GivenBy::Guardian { person_id },
            (2, _) => GivenBy::LegalRepresentative {
                person_id: PersonId::new("lr-1").expect("an id"),
            },
            (3, _) if !r.refusal => GivenBy::BestInterest {
                determination: BestInterestDetermination {
                    worker_id: WorkerId::new("w-a").expect("an id"),
                    determined_at: granted_at,
                    document_ref: "BID-1".into(),
                    rationale: "best interest".into(),
                },
            },
            _ => GivenBy::Person,
        };
        let record = ConsentRecord {
            id: ConsentId::new(format!("r-{i}")).expect("an id"),
            case_id: case.case_id.clone(),
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
            purposes: vec![Purpose::ServiceReferral],
            recipients,
            categories: DataCategory::ALL
                .iter()
                .enumerate()
                .filter(|(b, _)| r.categories & (1 << b) != 0)
                .map(|(_, c)| *c)
                .collect(),
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
        };
        // A record the ledger refuses (a child's own consent, empty lists) is left out.
        let _ = ledger.add(record, now());
    }
    let needs: Vec<_> = default_domain_keys()
        .into_iter()
        .enumerate()
        .filter(|(b, _)| input.needs & (1 << (b % 32)) != 0)
        .map(|(_, d)| d)
        .collect();
    if needs.is_empty() {
        return;
    }
    let mut request = MatchRequest::from_case(case, needs, minutes(input.at));
    for &v in input.vetoes.iter().take(3) {
        request.vetoes.push(Veto::Organization { id: org(v) });
    }
    for &f in input.flags.iter().take(3) {
        request.safety_flags.push(SafetyFlag {
            organization_id: org(f),
            concern: SafetyConcern::PriorHarm,
        });
    }
    request.vetoes.sort_by_key(|v| format!("{v:?}"));
    request.vetoes.dedup();
    request
        .safety_flags
        .sort_by_key(|f| f.organization_id.clone());
    request
        .safety_flags
        .dedup_by_key(|f| f.organization_id.clone());
    let config = MatchConfig::default();
    let engine = w
        .index
        .match_case(&request, &config, &LedgerGate::referral(&ledger));
    let reference = w
        .index
        .match_case(&request, &config, &ReferenceGate { ledger: &ledger });
    match (engine, reference) {
        (Ok(a), Ok(b)) => assert_eq!(
            a, b,
            "matching differs between the engine's gate and the reference's"
        ),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        (a, b) => panic!("one gate matched and the other failed: {a:?} / {b:?}"),
    }
});
