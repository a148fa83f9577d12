//! Consent across the FFI: [`ConsentEngine`] holds one case's [`ConsentLedger`] (evaluate,
//! emergencies, revocation, summaries); [`AuditTrail`] is the hash-chained log; free functions
//! cover minimisation, withdrawal after revocation, and verification of stored logs.

use crate::error::BesideError;
use crate::json;
use crate::Timestamp;
use beside::consent::{
    AuditEntry, AuditEvent, AuditLog, Checkpoint, ConsentLedger, ConsentRecord, Decision,
    DependentAction, EmergencyDisclosure, FieldMap, Outcome, PermitBasis, Question, Recipient,
};
use beside::core::{ConsentId, FieldError, WorkerId};
use std::sync::{Mutex, MutexGuard};

use crate::json::key_of;

/// The overall answer to a consent question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ConsentOutcome {
    /// Every category asked for may go.
    Permit,
    /// Some categories may go, the others may not.
    PartialPermit,
    /// No category may go.
    Deny,
}

impl From<Outcome> for ConsentOutcome {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::Permit => ConsentOutcome::Permit,
            Outcome::PartialPermit => ConsentOutcome::PartialPermit,
            Outcome::Deny => ConsentOutcome::Deny,
        }
    }
}

/// A consent question, typed (the `Question` schema): may this recipient receive these
/// categories for this purpose at this time? Kinds, purposes and categories are the schema's
/// keys (`ngo`, `police`; `service_referral`; `contact`, `health`); an unknown key is a
/// [`BesideError::Invalid`] listing the known ones.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConsentQuestionInput {
    /// The receiving organisation's id.
    pub organization_id: String,
    /// The kind of organisation (`ngo`, `government`, `police`, `survivor_led_group`, ...).
    pub recipient_kind: String,
    /// What for (`service_referral`, `information_sharing`, ...).
    pub purpose: String,
    /// Which categories of data (`identity`, `contact`, `location`, `health`, ...).
    pub categories: Vec<String>,
    /// At what moment.
    pub at: Timestamp,
}

impl ConsentQuestionInput {
    pub(crate) fn to_domain(&self) -> Result<Question, BesideError> {
        let mut errors: Vec<FieldError> = Vec::new();
        let organization_id = json::field(
            &mut errors,
            || "recipient.organization_id".into(),
            self.organization_id.as_str(),
        );
        let kind = json::key(
            &mut errors,
            || "recipient.kind".into(),
            &self.recipient_kind,
        );
        let purpose = json::key(&mut errors, || "purpose".into(), &self.purpose);
        let categories = self
            .categories
            .iter()
            .enumerate()
            .filter_map(|(i, c)| json::key(&mut errors, || format!("categories[{i}]"), c))
            .collect();
        json::finish(errors)?;
        match (organization_id, kind, purpose) {
            (Some(organization_id), Some(kind), Some(purpose)) => Ok(Question {
                recipient: Recipient {
                    organization_id,
                    kind,
                },
                purpose,
                categories,
                at: self.at,
            }),
            _ => Err(FieldError::new("", beside::core::Reason::Empty).into()),
        }
    }
}

/// A category that may go, and the records (or emergency) it relies on.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PermittedView {
    /// The category.
    pub category: String,
    /// `consent` or `emergency`.
    pub basis: String,
    /// The consent records relied on (or overridden, under an emergency).
    pub records: Vec<String>,
}

/// One reason a category may not go.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DenyView {
    /// The reason code (`none_given`, `expired`, `revoked`, `explicit_refusal`, ...).
    pub code: String,
    /// The record behind it, when there is one.
    pub record: Option<String>,
}

/// A category that may not go, with every reason.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DeniedView {
    /// The category.
    pub category: String,
    /// Why not (never empty).
    pub reasons: Vec<DenyView>,
}

/// A consent decision, typed (the `Decision` schema's essentials).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConsentVerdict {
    /// Permit, partial permit or deny.
    pub outcome: ConsentOutcome,
    /// The categories that may go.
    pub permitted: Vec<PermittedView>,
    /// The categories that may not.
    pub denied: Vec<DeniedView>,
    /// The person's age at the moment asked about, when known.
    pub age: Option<u32>,
    /// The decision in English, one line per phrase.
    pub english: Vec<String>,
    /// The full decision as JSON (the `Decision` schema), e.g. for the audit log.
    pub decision_json: String,
}

fn verdict(d: &Decision) -> Result<ConsentVerdict, BesideError> {
    Ok(ConsentVerdict {
        outcome: d.outcome.into(),
        permitted: d
            .permitted
            .iter()
            .map(|p| match &p.basis {
                PermitBasis::Consent { records } => PermittedView {
                    category: key_of(&p.category),
                    basis: "consent".to_owned(),
                    records: records.iter().map(|r| r.to_string()).collect(),
                },
                PermitBasis::Emergency { overrides, .. } => PermittedView {
                    category: key_of(&p.category),
                    basis: "emergency".to_owned(),
                    records: overrides.iter().map(|r| r.to_string()).collect(),
                },
            })
            .collect(),
        denied: d
            .denied
            .iter()
            .map(|c| DeniedView {
                category: key_of(&c.category),
                reasons: c
                    .reasons
                    .iter()
                    .map(|r| DenyView {
                        code: r.code().to_owned(),
                        record: r.record().map(|id| id.to_string()),
                    })
                    .collect(),
            })
            .collect(),
        age: d.age,
        english: beside::consent::explain(d)
            .iter()
            .map(|p| p.english())
            .collect(),
        decision_json: json::out(d)?,
    })
}

/// One case's consent ledger: consents and refusals checked against the case and the policy.
/// Every change either succeeds or leaves the ledger as it was.
#[derive(uniffi::Object)]
pub struct ConsentEngine {
    ledger: Mutex<ConsentLedger>,
}

impl ConsentEngine {
    /// The ledger, locked (for referral matching's consent gate).
    pub(crate) fn locked(&self) -> MutexGuard<'_, ConsentLedger> {
        self.ledger()
    }

    fn ledger(&self) -> MutexGuard<'_, ConsentLedger> {
        // A poisoned lock only means another call panicked mid-way, which the lints rule out;
        // the ledger is only replaced whole, so its content is still consistent.
        self.ledger.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[uniffi::export]
impl ConsentEngine {
    /// A ledger from JSON (the `LedgerData` schema: subject, policy, records), judging
    /// "in the future" against `now`.
    #[uniffi::constructor]
    pub fn from_json(ledger_json: String, now: Timestamp) -> Result<Self, BesideError> {
        Ok(ConsentEngine {
            ledger: Mutex::new(ConsentLedger::from_json_at(&ledger_json, now)?),
        })
    }

    /// The ledger of one of the bundled (synthetic) sample cases, e.g. `case-01`.
    #[uniffi::constructor]
    pub fn sample(case_id: String) -> Result<Self, BesideError> {
        Ok(ConsentEngine {
            ledger: Mutex::new(beside::samples::consent::ledger(&case_id)?),
        })
    }

    /// The ledger as JSON (the `LedgerData` schema).
    pub fn ledger_json(&self) -> Result<String, BesideError> {
        json::out(&self.ledger().to_data())
    }

    /// The case the ledger belongs to.
    pub fn case_id(&self) -> String {
        self.ledger().subject().case_id.to_string()
    }

    /// The ids of the records, sorted.
    pub fn record_ids(&self) -> Vec<String> {
        self.ledger()
            .records()
            .iter()
            .map(|r| r.id.to_string())
            .collect()
    }

    /// Add a record (JSON, the `ConsentRecord` schema). On error the ledger is unchanged.
    pub fn add_json(&self, record_json: String, now: Timestamp) -> Result<(), BesideError> {
        let record: ConsentRecord = json::parse(&record_json)?;
        self.ledger().add(record, now).map_err(BesideError::from)
    }

    /// Answer a question (typed). Default deny; a refusal always wins.
    pub fn evaluate(&self, question: ConsentQuestionInput) -> Result<ConsentVerdict, BesideError> {
        let q = question.to_domain()?;
        verdict(&self.ledger().evaluate(&q))
    }

    /// Answer a question: `Question` JSON in, `Decision` JSON out.
    pub fn evaluate_json(&self, question_json: String) -> Result<String, BesideError> {
        let q: Question = json::parse(&question_json)?;
        json::out(&self.ledger().evaluate(&q))
    }

    /// Answer a question under a documented emergency (`EmergencyDisclosure` JSON and a typed
    /// question): only emergency services may receive what consent does not permit.
    pub fn evaluate_emergency(
        &self,
        disclosure_json: String,
        question: ConsentQuestionInput,
        now: Timestamp,
    ) -> Result<ConsentVerdict, BesideError> {
        let d: EmergencyDisclosure = json::parse(&disclosure_json)?;
        let q = question.to_domain()?;
        verdict(&self.ledger().evaluate_emergency(&d, &q, now)?)
    }

    /// The emergency form with JSON in and out: `EmergencyDisclosure` and `Question` JSON in,
    /// `Decision` JSON out.
    pub fn evaluate_emergency_json(
        &self,
        disclosure_json: String,
        question_json: String,
        now: Timestamp,
    ) -> Result<String, BesideError> {
        let d: EmergencyDisclosure = json::parse(&disclosure_json)?;
        let q: Question = json::parse(&question_json)?;
        json::out(&self.ledger().evaluate_emergency(&d, &q, now)?)
    }

    /// Revoke record `record_id` at `at`, effective at once; returns the `Revocation` JSON.
    /// An unknown id is [`BesideError::NotFound`]; a second revocation is
    /// [`BesideError::Refused`] (`already_revoked`). On error the ledger is unchanged.
    pub fn revoke(
        &self,
        record_id: String,
        at: Timestamp,
        reason: String,
        now: Timestamp,
    ) -> Result<String, BesideError> {
        let id = ConsentId::new(record_id).map_err(|e| FieldError::new("record_id", e.reason))?;
        let r = self.ledger().revoke(&id, at, reason, now)?;
        json::out(&r)
    }

    /// The ids of the records revoked at or before `at`.
    pub fn revoked_at(&self, at: Timestamp) -> Vec<String> {
        self.ledger()
            .revoked_at(at)
            .iter()
            .map(|id| id.to_string())
            .collect()
    }

    /// Every open action (JSON array of `DependentAction`) that relied on a record revoked at
    /// or before `at`: JSON array of `Withdrawal` out.
    pub fn actions_to_withdraw_json(
        &self,
        actions_json: String,
        at: Timestamp,
    ) -> Result<String, BesideError> {
        let actions: Vec<DependentAction> = json::parse(&actions_json)?;
        json::out(&self.ledger().actions_to_withdraw(&actions, at))
    }

    /// What the person agreed to and refused, as of `at`, in English, for reading back.
    pub fn summary(&self, at: Timestamp) -> Vec<String> {
        self.ledger()
            .summary(at)
            .iter()
            .map(|p| p.english())
            .collect()
    }

    /// The same summary as phrases (JSON array of `Phrase`: key + parameters) for translation.
    pub fn summary_json(&self, at: Timestamp) -> Result<String, BesideError> {
        json::out(&self.ledger().summary(at))
    }
}

/// Every open action that relied on one of the revoked records: a JSON array of consent ids
/// and a JSON array of `DependentAction` in, a JSON array of `Withdrawal` out.
#[uniffi::export]
pub fn consent_actions_to_withdraw_json(
    revoked_json: String,
    actions_json: String,
) -> Result<String, BesideError> {
    let revoked: Vec<ConsentId> = json::parse(&revoked_json)?;
    let actions: Vec<DependentAction> = json::parse(&actions_json)?;
    json::out(&beside::consent::actions_to_withdraw(&revoked, &actions))
}

/// The view of a case record (any JSON object) that a decision allows: the record, a
/// `FieldMap` and a `Decision` as JSON in, `MinimisedView` JSON out.
#[uniffi::export]
pub fn consent_minimise_json(
    record_json: String,
    field_map_json: String,
    decision_json: String,
) -> Result<String, BesideError> {
    let record: serde_json::Value = json::parse(&record_json)?;
    let map: FieldMap = json::parse(&field_map_json)?;
    let decision: Decision = json::parse(&decision_json)?;
    json::out(&beside::consent::minimise(&record, &map, &decision)?)
}

/// A decision (`Decision` JSON) as phrases: JSON array of `Phrase` (key + parameters).
#[uniffi::export]
pub fn consent_explain_json(decision_json: String) -> Result<String, BesideError> {
    let d: Decision = json::parse(&decision_json)?;
    json::out(&beside::consent::explain(&d))
}

/// Verify stored audit entries (JSON array of `AuditEntry`), optionally against a
/// `Checkpoint` (JSON, or empty text): a broken chain is [`BesideError::Refused`] with code
/// `chain_broken` naming the first bad entry.
#[uniffi::export]
pub fn audit_verify_json(entries_json: String, checkpoint_json: String) -> Result<(), BesideError> {
    let entries: Vec<AuditEntry> = json::parse(&entries_json)?;
    let checkpoint: Option<Checkpoint> = json::parse_opt(&checkpoint_json)?;
    beside::consent::verify(&entries, checkpoint.as_ref()).map_err(BesideError::from)
}

/// An append-only, SHA-256 hash-chained audit log of consent changes and decisions.
#[derive(uniffi::Object)]
pub struct AuditTrail {
    log: Mutex<AuditLog>,
}

impl AuditTrail {
    fn log(&self) -> MutexGuard<'_, AuditLog> {
        self.log.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Default for AuditTrail {
    fn default() -> Self {
        AuditTrail {
            log: Mutex::new(AuditLog::new()),
        }
    }
}

#[uniffi::export]
impl AuditTrail {
    /// An empty log.
    #[uniffi::constructor]
    pub fn new() -> Self {
        Self::default()
    }

    /// A log from stored entries (JSON array of `AuditEntry`), verified, and checked against a
    /// `Checkpoint` (JSON, or empty text) when given.
    #[uniffi::constructor]
    pub fn from_json(entries_json: String, checkpoint_json: String) -> Result<Self, BesideError> {
        let entries: Vec<AuditEntry> = json::parse(&entries_json)?;
        let checkpoint: Option<Checkpoint> = json::parse_opt(&checkpoint_json)?;
        Ok(AuditTrail {
            log: Mutex::new(AuditLog::from_entries(entries, checkpoint.as_ref())?),
        })
    }

    /// Append an event (`AuditEvent` JSON, e.g. `{"event": "decided", "decision": {...}}`) at
    /// `at` by `actor`; returns the new entry as `AuditEntry` JSON. Times must not go backwards.
    pub fn append_json(
        &self,
        at: Timestamp,
        actor: Option<String>,
        event_json: String,
    ) -> Result<String, BesideError> {
        let event: AuditEvent = json::parse(&event_json)?;
        let actor = match actor {
            Some(a) => Some(WorkerId::new(a).map_err(|e| FieldError::new("actor", e.reason))?),
            None => None,
        };
        let mut log = self.log();
        let entry = log.append(at, actor, event)?;
        json::out(entry)
    }

    /// Record a decision (`Decision` JSON, e.g. a verdict's `decision_json`).
    pub fn record_decision_json(
        &self,
        at: Timestamp,
        actor: Option<String>,
        decision_json: String,
    ) -> Result<String, BesideError> {
        let decision: Decision = json::parse(&decision_json)?;
        let event = json::out(&AuditEvent::Decided { decision })?;
        self.append_json(at, actor, event)
    }

    /// The number of entries.
    pub fn len(&self) -> u64 {
        self.log().entries().len() as u64
    }

    /// Whether the log is empty.
    pub fn is_empty(&self) -> bool {
        self.log().entries().is_empty()
    }

    /// The entries, oldest first (JSON array of `AuditEntry`).
    pub fn entries_json(&self) -> Result<String, BesideError> {
        json::out(&self.log().entries())
    }

    /// The current length and head hash (`Checkpoint` JSON), to keep elsewhere.
    pub fn checkpoint_json(&self) -> Result<String, BesideError> {
        json::out(&self.log().checkpoint())
    }

    /// Verify the whole chain.
    pub fn verify(&self) -> Result<(), BesideError> {
        self.log().verify().map_err(BesideError::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(y: i32, m: u32, d: u32) -> Timestamp {
        chrono::Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap()
    }

    #[test]
    fn sample_ledger_answers_typed_and_json_alike() {
        let e = ConsentEngine::sample("case-01".into()).unwrap();
        let q = ConsentQuestionInput {
            organization_id: "org-police-1".into(),
            recipient_kind: "police".into(),
            purpose: "service_referral".into(),
            categories: vec!["contact".into()],
            at: t(2025, 6, 1),
        };
        let v = e.evaluate(q.clone()).unwrap();
        let d: Decision = serde_json::from_str(&v.decision_json).unwrap();
        let j: Decision = serde_json::from_str(
            &e.evaluate_json(json::out(&q.to_domain().unwrap()).unwrap())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(d, j);
        assert!(!v.english.is_empty());
    }

    #[test]
    fn unknown_keys_are_invalid() {
        let e = ConsentEngine::sample("case-01".into()).unwrap();
        let q = ConsentQuestionInput {
            organization_id: "org-1".into(),
            recipient_kind: "martians".into(),
            purpose: "service_referral".into(),
            categories: vec![],
            at: t(2025, 6, 1),
        };
        match e.evaluate(q) {
            Err(BesideError::Invalid { path, .. }) => assert_eq!(path, "recipient.kind"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn audit_trail_chains_and_verifies() {
        let trail = AuditTrail::new();
        let e = ConsentEngine::sample("case-01".into()).unwrap();
        let q = r#"{"recipient":{"organization_id":"org-1","kind":"ngo"},"purpose":"service_referral","categories":["contact"],"at":"2025-06-01T00:00:00Z"}"#;
        let d = e.evaluate_json(q.into()).unwrap();
        trail
            .record_decision_json(t(2025, 6, 1), Some("worker-1".into()), d)
            .unwrap();
        assert_eq!(trail.len(), 1);
        trail.verify().unwrap();
        let entries = trail.entries_json().unwrap();
        audit_verify_json(entries.clone(), trail.checkpoint_json().unwrap()).unwrap();
        let tampered = entries.replace("org-1", "org-2");
        assert!(matches!(
            audit_verify_json(tampered, String::new()),
            Err(BesideError::Refused { .. })
        ));
    }
}
