//! The consent reference evaluator: the rules of DOMAIN.md §4 (and §5's local calendar)
//! written straight out, one category at a time, one record at a time, with no precomputation,
//! no bit masks and no shared state. Its only job is to be obviously right.
//!
//! Test code only, shared by `#[path]` between the root integration test `tests/consent.rs`
//! (proptest) and the fuzz target `fuzz/fuzz_targets/consent_oracle.rs` (libFuzzer). It is
//! deliberately not a module of `beside-consent`: behind a cargo feature it would be one
//! feature flag (unified by any dependent) away from the API apps see, and it would have to
//! follow library rules (no panics) that a test oracle should break loudly instead.
//! It reads only the public types, through the `beside` umbrella crate.

use beside::consent::*;
use beside::core::Timestamp;

/// Whether `r` covers the question's purpose and recipient, and category `c`.
pub fn covers(r: &ConsentRecord, q: &Question, c: DataCategory) -> bool {
    r.purposes.contains(&q.purpose)
        && r.categories.contains(&c)
        && r.recipients.iter().any(|s| match s {
            RecipientScope::Organization { id } => *id == q.recipient.organization_id,
            RecipientScope::Kind { kind } => *kind == q.recipient.kind,
            RecipientScope::Any => true,
        })
}

/// Why a covering consent does not count, or `None` when it does.
pub fn why_not(
    s: &ConsentSubject,
    p: &ConsentPolicy,
    r: &ConsentRecord,
    at: Timestamp,
) -> Option<DenyReason> {
    let id = r.id.clone();
    if at < r.granted_at {
        return Some(DenyReason::NotYetGranted {
            record: id,
            granted_at: r.granted_at,
        });
    }
    if let Some(rev) = &r.revoked {
        if rev.at <= at {
            return Some(DenyReason::Revoked {
                record: id,
                revoked_at: rev.at,
            });
        }
    }
    if let Some(e) = r.expires_at {
        if e <= at {
            return Some(DenyReason::Expired {
                record: id,
                expired_at: e,
            });
        }
    }
    // Days are those of the person's calendar (UTC when no place is known).
    let zone = s.time_zone.unwrap_or(beside::core::TimeZone::UTC);
    let age = s.birth.and_then(|b| b.age_on(zone.local_date(at)));
    let is_adult = matches!(age, Some(a) if a >= p.age_of_majority);
    if is_adult {
        let given_as_child = match s.birth {
            Some(b) => b.is_minor_on(zone.local_date(r.granted_at), p.age_of_majority),
            None => true,
        };
        if !given_as_child && matches!(r.given_by, GivenBy::Guardian { .. }) {
            return Some(DenyReason::GuardianForAdult {
                record: id,
                adult_since: s
                    .birth
                    .and_then(|b| b.birthday(p.age_of_majority))
                    .expect("an adult's birth is known, so is her day of majority"),
            });
        }
        let counts = match &r.given_by {
            GivenBy::Person => true,
            GivenBy::LegalRepresentative { .. } => !given_as_child,
            _ => false,
        };
        if counts {
            return None;
        }
        let majority_on = s.birth.and_then(|b| b.birthday(p.age_of_majority));
        return Some(DenyReason::ReConsentDueAtMajority {
            record: id,
            majority_on,
        });
    }
    // A child, or of unknown age.
    match &r.given_by {
        GivenBy::Person => return Some(DenyReason::GuardianConsentMissing { record: id, age }),
        GivenBy::Guardian { person_id } => {
            match s.guardians.iter().find(|g| g.person_id == *person_id) {
                None => return Some(DenyReason::GuardianConsentMissing { record: id, age }),
                Some(g) if g.implicated_in_harm => {
                    return Some(DenyReason::GuardianImplicated {
                        record: id,
                        guardian: g.person_id.clone(),
                    })
                }
                Some(_) => {}
            }
        }
        GivenBy::LegalRepresentative { .. } => {}
        GivenBy::BestInterest { determination } => {
            if !p.authorised_workers.contains(&determination.worker_id) {
                return Some(DenyReason::BestInterestNotAuthorised {
                    record: id,
                    worker_id: determination.worker_id.clone(),
                });
            }
        }
    }
    let assent_needed = match age {
        Some(a) => a >= p.assent_from_age,
        None => true,
    };
    let assented = matches!(&r.assent, Some(a) if a.given_at <= at);
    if assent_needed && !assented {
        return Some(DenyReason::AssentMissing {
            record: id,
            age,
            assent_from_age: p.assent_from_age,
        });
    }
    None
}

/// The decision the rules give for `q` over `records` of the case of `s` under policy `p`.
pub fn reference(
    s: &ConsentSubject,
    p: &ConsentPolicy,
    records: &[ConsentRecord],
    q: &Question,
) -> Decision {
    let mut records = records.to_vec();
    records.sort_by(|a, b| a.id.cmp(&b.id));
    let mut permitted = Vec::new();
    let mut denied = Vec::new();
    for c in DataCategory::ALL {
        if !q.categories.contains(&c) {
            continue;
        }
        let refusals: Vec<DenyReason> = records
            .iter()
            .filter(|r| r.kind == RecordKind::Refusal && covers(r, q, c) && r.in_force_at(q.at))
            .map(|r| DenyReason::ExplicitRefusal {
                record: r.id.clone(),
            })
            .collect();
        if !refusals.is_empty() {
            denied.push(DeniedCategory {
                category: c,
                reasons: refusals,
            });
            continue;
        }
        let mut good = Vec::new();
        let mut bad = Vec::new();
        for r in records
            .iter()
            .filter(|r| r.kind == RecordKind::Consent && covers(r, q, c))
        {
            match why_not(s, p, r, q.at) {
                None => good.push(r.id.clone()),
                Some(why) => bad.push(why),
            }
        }
        if !good.is_empty() {
            permitted.push(PermittedCategory {
                category: c,
                basis: PermitBasis::Consent { records: good },
            });
        } else {
            if bad.is_empty() {
                if records.iter().any(|r| r.kind == RecordKind::Consent) {
                    bad.push(DenyReason::OutOfScope {
                        purpose: q.purpose,
                        category: c,
                    });
                } else {
                    bad.push(DenyReason::NoneGiven);
                }
            }
            denied.push(DeniedCategory {
                category: c,
                reasons: bad,
            });
        }
    }
    let outcome = if permitted.is_empty() {
        Outcome::Deny
    } else if denied.is_empty() {
        Outcome::Permit
    } else {
        Outcome::PartialPermit
    };
    Decision {
        case_id: s.case_id.clone(),
        question: q.clone(),
        outcome,
        permitted,
        denied,
        age: s.birth.and_then(|b| {
            b.age_on(
                s.time_zone
                    .unwrap_or(beside::core::TimeZone::UTC)
                    .local_date(q.at),
            )
        }),
        time_zone: s.time_zone,
    }
}
