//! Synthetic cohorts, whole: the synthetic people of
//! [`beside_reintegration::synthetic::people`] (profile, journey, assessments; its module
//! documents every distribution), each with the consent ledger her answers make. **Every case
//! is synthetic.**
//!
//! ```
//! use beside::synthetic::{ledger, synthetic_cases};
//! use chrono::TimeZone;
//!
//! let as_of = chrono::Utc.with_ymd_and_hms(2026, 11, 30, 18, 0, 0).unwrap();
//! for case in synthetic_cases(10, 16, as_of)? {
//!     let case = case?;
//!     let ledger = ledger(&case, as_of)?;
//!     assert_eq!(ledger.subject().case_id, case.profile.case_id);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use beside_consent::{
    Assent, ConsentError, ConsentLedger, ConsentPolicy, ConsentRecord, ConsentSubject,
    DataCategory, GivenBy, Method, Purpose, RecipientScope, RecordKind,
};
use beside_core::{ConsentId, OrganizationKind, Timestamp};
use chrono::Duration;

pub use beside_reintegration::synthetic::people::{
    synthetic_case, synthetic_cases, ResearchAnswer, SyntheticCase, CREDITOR_WEIGHTS,
    FAMILY_WEIGHTS, MAX_ASSESSMENTS_PER_CASE, MAX_SYNTHETIC_CASES, MONTHLY_SETBACK_CHANCE,
    RESEARCH_ANSWER_WEIGHTS, RETURN_ROUTE_WEIGHTS,
};

/// What a research consent covers: de-identified outcomes and needs, not who she is.
pub const RESEARCH_CATEGORIES: [DataCategory; 4] = [
    DataCategory::Location,
    DataCategory::TraffickingHistory,
    DataCategory::Health,
    DataCategory::MentalHealth,
];

/// The consent ledger of a synthetic case, checked at `as_of` under the default policy:
///
/// - at opening (10:00 in her place), consent to refer and coordinate her case with NGOs,
///   survivor-led and community groups and government services (identity, contact, location,
///   health, mental health), for two years;
/// - five minutes later, her answer on research ([`SyntheticCase::research_consent`]):
///   consent, or a refusal, of statistics and de-identified research by research
///   organisations over [`RESEARCH_CATEGORIES`]; nothing when she was never asked.
///
/// A child's records are given by her guardian (her mother) with her verbal assent; an adult's
/// by herself, verbally, explained in her first language.
pub fn ledger(case: &SyntheticCase, as_of: Timestamp) -> Result<ConsentLedger, ConsentError> {
    let p = &case.profile;
    let opened = case
        .assessments
        .first()
        .map(|a| a.assessed_at)
        .ok_or_else(|| {
            ConsentError::from(beside_core::FieldError::new(
                "assessments",
                beside_core::Reason::Required {
                    what: "at least one assessment (the first is the opening)".into(),
                },
            ))
        })?;
    let given_by = match p.guardians.first() {
        Some(g) => GivenBy::Guardian {
            person_id: g.person_id.clone(),
        },
        None => GivenBy::Person,
    };
    let language = p.person.languages.first().copied().ok_or_else(|| {
        ConsentError::from(beside_core::FieldError::new(
            "profile.person.languages",
            beside_core::Reason::Required {
                what: "a language to explain the consent in".into(),
            },
        ))
    })?;
    let record = |id: &str, kind, purposes, recipients, categories, at: Timestamp| {
        Ok::<_, ConsentError>(ConsentRecord {
            id: ConsentId::new(format!("{}-{id}", p.case_id))?,
            case_id: p.case_id.clone(),
            kind,
            given_by: given_by.clone(),
            assent: (!p.guardians.is_empty()).then_some(Assent {
                given_at: at,
                method: Method::Verbal,
            }),
            purposes,
            recipients,
            categories,
            granted_at: at,
            expires_at: None,
            method: Method::Verbal,
            explained_in: language,
            witness: None,
            revoked: None,
            extra: Default::default(),
        })
    };
    let kind = |kind| RecipientScope::Kind { kind };
    let mut referral = record(
        "referral",
        RecordKind::Consent,
        vec![Purpose::ServiceReferral, Purpose::CaseCoordination],
        vec![
            kind(OrganizationKind::Ngo),
            kind(OrganizationKind::SurvivorLed),
            kind(OrganizationKind::Community),
            kind(OrganizationKind::Government),
        ],
        vec![
            DataCategory::Identity,
            DataCategory::Contact,
            DataCategory::Location,
            DataCategory::Health,
            DataCategory::MentalHealth,
        ],
        opened,
    )?;
    referral.expires_at = Some(opened + Duration::days(730));
    let mut records = vec![referral];
    let research = |kind| {
        record(
            "research",
            kind,
            vec![Purpose::Statistics, Purpose::ResearchDeidentified],
            vec![RecipientScope::Kind {
                kind: OrganizationKind::Research,
            }],
            RESEARCH_CATEGORIES.to_vec(),
            opened + Duration::minutes(5),
        )
    };
    match case.research_consent {
        ResearchAnswer::Agreed => records.push(research(RecordKind::Consent)?),
        ResearchAnswer::Refused => records.push(research(RecordKind::Refusal)?),
        ResearchAnswer::NotAsked => {}
    }
    ConsentLedger::new(
        ConsentSubject::from(p),
        ConsentPolicy::default(),
        records,
        as_of,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use beside_consent::{Outcome, Question, Recipient};
    use beside_core::OrganizationId;
    use chrono::TimeZone;

    #[test]
    fn research_use_is_permitted_exactly_where_she_agreed_and_the_consent_still_counts() {
        let as_of = chrono::Utc
            .with_ymd_and_hms(2026, 11, 30, 18, 0, 0)
            .unwrap();
        let recipient = Recipient {
            organization_id: OrganizationId::new("org-research-01").unwrap(),
            kind: OrganizationKind::Research,
        };
        let mut permitted = 0;
        for case in synthetic_cases(400, 3, as_of).unwrap() {
            let case = case.unwrap();
            let engine = ledger(&case, as_of).unwrap();
            let decision = engine.evaluate(&Question {
                recipient: recipient.clone(),
                purpose: Purpose::Statistics,
                categories: vec![DataCategory::Health, DataCategory::MentalHealth],
                at: as_of,
            });
            let permit = decision.outcome == Outcome::Permit;
            if case.research_consent != ResearchAnswer::Agreed {
                assert!(!permit, "{}", case.profile.case_id);
            }
            permitted += usize::from(permit);
        }
        // 85 % agreed; a child's guardian consent stops counting at 18, so fewer are used.
        assert!((250..=360).contains(&permitted), "{permitted}");
    }
}
