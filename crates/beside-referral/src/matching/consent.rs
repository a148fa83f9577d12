//! Consent for matching, through beside-consent: a provider is eligible only when the ledger
//! permits every data category the referral needs, for the referral purpose, at the moment of
//! the match. A partial permit is not enough: the referral could not be made.

use super::engine::ConsentGate;
use crate::directory::Organization;
use beside_consent::{ConsentLedger, DataCategory, Outcome, Purpose, Question, Recipient};
use beside_core::{OrganizationId, Timestamp};

/// The categories a service referral shares by default: who the person is and how to reach
/// them. Apps widen this per service (health data for a clinic, say).
pub const REFERRAL_CATEGORIES: [DataCategory; 2] = [DataCategory::Identity, DataCategory::Contact];

/// A [`ConsentGate`] that asks a person's consent ledger.
#[derive(Debug, Clone)]
pub struct LedgerGate<'a> {
    ledger: &'a ConsentLedger,
    purpose: Purpose,
    categories: Vec<DataCategory>,
}

impl<'a> LedgerGate<'a> {
    /// A gate for a service referral sharing [`REFERRAL_CATEGORIES`].
    pub fn referral(ledger: &'a ConsentLedger) -> Self {
        Self::new(
            ledger,
            Purpose::ServiceReferral,
            REFERRAL_CATEGORIES.to_vec(),
        )
    }

    /// A gate for `purpose` sharing `categories`.
    pub fn new(ledger: &'a ConsentLedger, purpose: Purpose, categories: Vec<DataCategory>) -> Self {
        Self {
            ledger,
            purpose,
            categories,
        }
    }
}

impl ConsentGate for LedgerGate<'_> {
    fn named_organizations(&self) -> Option<Vec<OrganizationId>> {
        Some(self.ledger.named_organizations().to_vec())
    }

    fn refusal(&self, organization: &Organization, at: Timestamp) -> Option<Vec<String>> {
        let decision = self.ledger.evaluate(&Question {
            recipient: Recipient {
                organization_id: organization.id.clone(),
                kind: organization.kind,
            },
            purpose: self.purpose,
            categories: self.categories.clone(),
            at,
        });
        if decision.outcome == Outcome::Permit {
            return None;
        }
        let mut codes: Vec<String> = decision
            .denied
            .iter()
            .flat_map(|d| d.reasons.iter().map(|r| r.code().to_owned()))
            .collect();
        codes.sort();
        codes.dedup();
        Some(codes)
    }
}
