//! Consent across the FFI, typed end to end: the domain types of `beside_consent` themselves
//! cross (a [`ConsentRecord`], a [`Question`], a [`Decision`] with its [`DenyReason`]s as enums
//! with their fields), so the answer of one call is the input of the next.
//!
//! - [`ConsentEngine`] holds one case's ledger (evaluate, emergencies, revocation, summaries);
//! - [`AuditTrail`] is the hash-chained log;
//! - free functions cover minimisation, withdrawal after revocation, verification of stored
//!   logs, offline merge, and rendering a decision or phrases in a locale;
//! - one `<record>_from_json` / `<record>_to_json` pair per top-level record (`schemas/`).
//!
//! Every typed input is checked as the same value written as JSON would be ([`json::checked`]):
//! a bad id or key is [`BesideError::Invalid`] with the field path of that record's JSON (an
//! argument that is a bare id, such as `record_id` or `actor`, is named by the argument).

use crate::error::BesideError;
use crate::json;
use crate::Timestamp;
use beside::consent::merge::MergedLedger;
use beside::consent::{
    AuditEntry, AuditEvent, AuditLog, ChainBroken, Checkpoint, ConsentError, ConsentLedger,
    ConsentPolicy, ConsentRecord, Decision, DependentAction, EmergencyDisclosure, FieldMap,
    LedgerData, MinimisedView, Phrase, Question, Revocation, Withdrawal,
};
use beside::core::merge::{Edit, Version};
use beside::core::{CaseId, ConsentId, FieldError, Labels, LanguageCode, Reason, WorkerId};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::{Mutex, MutexGuard};

/// The locales [`render_consent_decision`] and [`render_consent_phrases`] know: English and
/// the draft Bengali and Khmer packs (for review by native speakers).
const LOCALES: &[&str] = &["en", "bn", "km"];

/// The built-in labels of consent, built once.
fn consent_words() -> &'static Labels {
    static LABELS: std::sync::OnceLock<Labels> = std::sync::OnceLock::new();
    LABELS.get_or_init(beside::consent::labels::labels)
}

/// The labels and language for `locale`, or [`BesideError::Invalid`] at `locale` naming the
/// known ones.
fn labels_for(locale: &str) -> Result<(&'static Labels, LanguageCode), BesideError> {
    let unknown = || -> BesideError {
        FieldError::new(
            "locale",
            Reason::Unknown {
                value: locale.to_owned(),
                known: LOCALES.iter().map(|l| (*l).to_owned()).collect(),
            },
        )
        .into()
    };
    if !LOCALES.contains(&locale) {
        return Err(unknown());
    }
    let language = LanguageCode::new(locale).map_err(|_| unknown())?;
    Ok((consent_words(), language))
}

/// `value` checked as JSON input is ([`json::checked`]), with every path of a refusal under
/// `name`: for an argument that is a bare value (an id), which has no path of its own.
fn checked_arg<T: Serialize + DeserializeOwned>(name: &str, value: T) -> Result<T, BesideError> {
    json::checked(value).map_err(|e| e.under(name))
}

/// One sample case's ledger; [`BesideError::NotFound`] for a case the samples do not hold.
fn sample_ledger_of(case_id: &str) -> Result<ConsentLedger, BesideError> {
    if !beside::samples::cases()?
        .iter()
        .any(|c| c.case_id.as_str() == case_id)
    {
        return Err(BesideError::NotFound {
            what: "case".to_owned(),
            id: case_id.to_owned(),
            detail: format!("no sample case `{case_id}`"),
        });
    }
    Ok(beside::samples::consent::ledger(case_id)?)
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
        self.guard()
    }

    fn guard(&self) -> MutexGuard<'_, ConsentLedger> {
        // A poisoned lock only means another call panicked mid-way, which the lints rule out;
        // the ledger is only replaced whole, so its content is still consistent.
        self.ledger.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[uniffi::export]
impl ConsentEngine {
    /// A ledger from its record (subject, policy, records; e.g. [`consent_ledger_from_json`]
    /// or [`sample_ledger`]), checked against the case and the policy, judging "in the
    /// future" against `now`: exactly the checks of the same ledger read as JSON.
    #[uniffi::constructor]
    pub fn new(ledger: LedgerData, now: Timestamp) -> Result<Self, BesideError> {
        let data = json::checked(ledger)?;
        Ok(ConsentEngine {
            ledger: Mutex::new(ConsentLedger::new(
                data.subject,
                data.policy,
                data.records,
                now,
            )?),
        })
    }

    /// The ledger of one of the bundled (synthetic) sample cases, e.g. `case-01`;
    /// [`BesideError::NotFound`] for an unknown case.
    #[uniffi::constructor]
    pub fn sample(case_id: String) -> Result<Self, BesideError> {
        Ok(ConsentEngine {
            ledger: Mutex::new(sample_ledger_of(&case_id)?),
        })
    }

    /// The ledger as its record (records sorted by id), e.g. to store or to merge.
    pub fn ledger(&self) -> LedgerData {
        self.guard().to_data()
    }

    /// The case the ledger belongs to.
    pub fn case_id(&self) -> CaseId {
        self.guard().subject().case_id.clone()
    }

    /// The organisation's consent policy the ledger is checked against.
    pub fn policy(&self) -> ConsentPolicy {
        self.guard().policy().clone()
    }

    /// The ids of the records, sorted.
    pub fn record_ids(&self) -> Vec<ConsentId> {
        self.guard()
            .records()
            .iter()
            .map(|r| r.id.clone())
            .collect()
    }

    /// Add a consent or refusal, checked against the case and the policy at `now` (paths as in
    /// the record's JSON: `id`, `given_by.person_id`). On error the ledger is unchanged.
    pub fn add(&self, record: ConsentRecord, now: Timestamp) -> Result<(), BesideError> {
        let record = json::checked(record)?;
        self.guard().add(record, now).map_err(BesideError::from)
    }

    /// Answer a question. Default deny; a refusal always wins. Each denied category carries
    /// its reasons ([`beside::consent::DenyReason`], with their figures); render it for a
    /// person with [`render_consent_decision`].
    pub fn evaluate(&self, question: Question) -> Result<Decision, BesideError> {
        let question = json::checked(question)?;
        Ok(self.guard().evaluate(&question))
    }

    /// Answer a question under a documented emergency: only emergency services may receive
    /// what consent does not permit, within the policy's window; the disclosure is checked at
    /// `now`.
    pub fn evaluate_emergency(
        &self,
        disclosure: EmergencyDisclosure,
        question: Question,
        now: Timestamp,
    ) -> Result<Decision, BesideError> {
        let disclosure = json::checked(disclosure)?;
        let question = json::checked(question)?;
        Ok(self
            .guard()
            .evaluate_emergency(&disclosure, &question, now)?)
    }

    /// Revoke record `record_id` at `at`, effective at once. A bad id is
    /// [`BesideError::Invalid`] at `record_id`; an unknown one [`BesideError::NotFound`]; a
    /// second revocation [`BesideError::Refused`] (`already_revoked`). On error the ledger is
    /// unchanged.
    pub fn revoke(
        &self,
        record_id: ConsentId,
        at: Timestamp,
        reason: String,
        now: Timestamp,
    ) -> Result<Revocation, BesideError> {
        let id = checked_arg("record_id", record_id)?;
        Ok(self.guard().revoke(&id, at, reason, now)?)
    }

    /// The ids of the records revoked at or before `at`.
    pub fn revoked_at(&self, at: Timestamp) -> Vec<ConsentId> {
        self.guard().revoked_at(at)
    }

    /// Every open action that relied on a record revoked at or before `at`: the withdrawals
    /// due (e.g. of open referrals).
    pub fn actions_to_withdraw(
        &self,
        actions: Vec<DependentAction>,
        at: Timestamp,
    ) -> Result<Vec<Withdrawal>, BesideError> {
        let actions = json::checked(actions)?;
        Ok(self.guard().actions_to_withdraw(&actions, at))
    }

    /// What the person agreed to and refused, as of `at`, as phrases (label key +
    /// parameters) for reading back to her; render them with [`render_consent_phrases`].
    pub fn summary(&self, at: Timestamp) -> Vec<Phrase> {
        self.guard().summary(at)
    }
}

/// Every open action that relied on one of the `revoked` records: the withdrawals due.
#[uniffi::export]
pub fn consent_actions_to_withdraw(
    revoked: Vec<ConsentId>,
    actions: Vec<DependentAction>,
) -> Result<Vec<Withdrawal>, BesideError> {
    let revoked = json::checked(revoked)?;
    let actions = json::checked(actions)?;
    Ok(beside::consent::actions_to_withdraw(&revoked, &actions))
}

/// The view of a case record that a decision allows: `record_json` is the record as JSON text
/// (any object: the app's own case record), `field_map` maps its fields to data categories;
/// unmapped fields go too. The view in the answer is JSON text as well.
#[uniffi::export]
pub fn consent_minimise(
    record_json: String,
    field_map: FieldMap,
    decision: Decision,
) -> Result<MinimisedView, BesideError> {
    let record: serde_json::Value = json::parse(&record_json)?;
    let field_map = json::checked(field_map)?;
    let decision = json::checked(decision)?;
    Ok(beside::consent::minimise(&record, &field_map, &decision)?)
}

/// A decision as phrases (label key + parameters), for an app that renders them with its own
/// label tables: the outcome, each category that may go and on what basis, each reason each
/// other may not.
#[uniffi::export]
pub fn explain_consent_decision(decision: Decision) -> Result<Vec<Phrase>, BesideError> {
    let decision = json::checked(decision)?;
    Ok(beside::consent::explain(&decision))
}

/// A decision in words for a person, one line per phrase, in `locale` (`en`; an unknown
/// locale is [`BesideError::Invalid`] at `locale` naming the known ones).
#[uniffi::export]
pub fn render_consent_decision(decision: Decision, locale: String) -> Result<String, BesideError> {
    let (labels, language) = labels_for(&locale)?;
    let decision = json::checked(decision)?;
    Ok(beside::consent::explain(&decision)
        .iter()
        .map(|p| p.render(labels, &language))
        .collect::<Vec<_>>()
        .join("\n"))
}

/// Phrases (a ledger's [`ConsentEngine::summary`], a decision's
/// [`explain_consent_decision`]) in words, one text per phrase, in `locale` (`en`, `bn`, `km`; an
/// unknown locale is [`BesideError::Invalid`] at `locale`).
#[uniffi::export]
pub fn render_consent_phrases(
    phrases: Vec<Phrase>,
    locale: String,
) -> Result<Vec<String>, BesideError> {
    let (labels, language) = labels_for(&locale)?;
    let phrases = json::checked(phrases)?;
    Ok(phrases
        .iter()
        .map(|p| p.render(labels, &language))
        .collect())
}

/// The built-in words of consent as data: the shared vocabulary and consent's own, in English
/// and the draft Bengali and Khmer packs. Add or override a locale with
/// [`crate::labels_with_locale`] and render with [`render_consent_phrases_with`].
#[uniffi::export]
pub fn consent_labels() -> Labels {
    consent_words().clone()
}

/// Phrases in words with `labels` (the built-in [`consent_labels`], with the app's own
/// locales added), one text per phrase, in `locale` (any ISO 639 code; what its pack lacks is
/// in English). A resource of `labels` that is not valid Fluent is [`BesideError::Invalid`]
/// at `ftl` with its line and column; a code that is not ISO 639 at `locale`.
#[uniffi::export]
pub fn render_consent_phrases_with(
    phrases: Vec<Phrase>,
    labels: Labels,
    locale: String,
) -> Result<Vec<String>, BesideError> {
    let language = crate::locale_code(&locale)?;
    labels.check().map_err(FieldError::from)?;
    let phrases = json::checked(phrases)?;
    Ok(phrases
        .iter()
        .map(|p| p.render(&labels, &language))
        .collect())
}

/// A broken audit chain (the `error_json` of a `chain_broken` refusal, read with
/// [`chain_broken_from_json`]) in words, in `locale` (`en`).
#[uniffi::export]
pub fn render_chain_broken(broken: ChainBroken, locale: String) -> Result<String, BesideError> {
    let (labels, language) = labels_for(&locale)?;
    let broken = json::checked(broken)?;
    Ok(broken.render(labels, &language))
}

/// **Merge two devices' versions of a case's consent ledger** (`base`: the version both last
/// shared, when known; each side with who edited it last and when), checked against the case
/// and the policy at `now`: every record kept, a refusal or a revocation from either side
/// winning, two different edits flagged as conflicts. Versions of different cases are
/// [`BesideError::Refused`] (`different_records`).
#[uniffi::export]
pub fn merge_ledgers(
    base: Option<LedgerData>,
    ours: LedgerData,
    ours_edit: Edit,
    theirs: LedgerData,
    theirs_edit: Edit,
    now: Timestamp,
) -> Result<MergedLedger, BesideError> {
    let base = base.map(json::checked).transpose()?;
    let version = |value: LedgerData, edit: Edit| -> Result<Version<LedgerData>, BesideError> {
        let edit = json::checked(edit)?;
        Ok(Version {
            value: json::checked(value)?,
            edited_by: edit.by,
            edited_at: edit.at,
        })
    };
    let ours = version(ours, ours_edit)?;
    let theirs = version(theirs, theirs_edit)?;
    beside::consent::merge::merge_ledgers(base.as_ref(), &ours, &theirs, now)
        .map_err(BesideError::from)
}

/// **Merge two devices' audit logs of one ledger**: the shared prefix kept, then every entry
/// either appended since, once, in time order, chained again; the result verifies. Each log is
/// verified first (a broken one is [`BesideError::Refused`], `chain_broken`).
#[uniffi::export]
pub fn merge_audit_logs(ours: AuditLog, theirs: AuditLog) -> Result<AuditLog, BesideError> {
    let ours = verified(ours)?;
    let theirs = verified(theirs)?;
    beside::consent::merge::merge_logs(&ours, &theirs).map_err(BesideError::from)
}

/// A log record from abroad: its entries checked as JSON input is, then its chain verified (a
/// broken chain is [`BesideError::Refused`], `chain_broken`, as for stored entries).
fn verified(log: AuditLog) -> Result<AuditLog, BesideError> {
    let entries = json::checked(log.entries().to_vec())?;
    Ok(AuditLog::from_entries(entries, None)?)
}

/// Verify stored audit entries, and against a `checkpoint` (kept elsewhere) when given: a
/// broken chain is [`BesideError::Refused`] with code `chain_broken` naming the first bad entry
/// (its `error_json` is a `ChainBroken`).
#[uniffi::export]
pub fn audit_verify(
    entries: Vec<AuditEntry>,
    checkpoint: Option<Checkpoint>,
) -> Result<(), BesideError> {
    let entries = json::checked(entries)?;
    let checkpoint = checkpoint.map(json::checked).transpose()?;
    beside::consent::verify(&entries, checkpoint.as_ref()).map_err(BesideError::from)
}

/// An append-only, SHA-256 hash-chained audit log of consent changes and decisions.
#[derive(uniffi::Object)]
pub struct AuditTrail {
    log: Mutex<AuditLog>,
}

impl AuditTrail {
    fn guard(&self) -> MutexGuard<'_, AuditLog> {
        // As for the ledger: a poisoned lock holds a whole log (entries are only pushed).
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

    /// A log from stored entries, verified, and checked against a `checkpoint` when given: a
    /// broken chain is [`BesideError::Refused`] (`chain_broken`).
    #[uniffi::constructor]
    pub fn from_entries(
        entries: Vec<AuditEntry>,
        checkpoint: Option<Checkpoint>,
    ) -> Result<Self, BesideError> {
        let entries = json::checked(entries)?;
        let checkpoint = checkpoint.map(json::checked).transpose()?;
        Ok(AuditTrail {
            log: Mutex::new(AuditLog::from_entries(entries, checkpoint.as_ref())?),
        })
    }

    /// A log from its record (e.g. [`audit_log_from_json`], [`merge_audit_logs`]), verified:
    /// a broken chain is [`BesideError::Refused`] (`chain_broken`).
    #[uniffi::constructor]
    pub fn from_log(log: AuditLog) -> Result<Self, BesideError> {
        Ok(AuditTrail {
            log: Mutex::new(verified(log)?),
        })
    }

    /// Append an event at `at` by `actor` (a bad id is [`BesideError::Invalid`] at `actor`);
    /// returns the new entry. Times must not go backwards (else [`BesideError::Invalid`] at
    /// `at`); on error the log is unchanged.
    pub fn append(
        &self,
        at: Timestamp,
        actor: Option<WorkerId>,
        event: AuditEvent,
    ) -> Result<AuditEntry, BesideError> {
        let actor = actor.map(|a| checked_arg("actor", a)).transpose()?;
        let event = json::checked(event)?;
        let mut log = self.guard();
        let entry = log.append(at, actor, event)?;
        Ok(entry.clone())
    }

    /// Record a decision (e.g. the answer of [`ConsentEngine::evaluate`]).
    pub fn record_decision(
        &self,
        at: Timestamp,
        actor: Option<WorkerId>,
        decision: Decision,
    ) -> Result<AuditEntry, BesideError> {
        self.append(at, actor, AuditEvent::Decided { decision })
    }

    /// The number of entries.
    pub fn len(&self) -> u64 {
        self.guard().entries().len() as u64
    }

    /// Whether the log is empty.
    pub fn is_empty(&self) -> bool {
        self.guard().entries().is_empty()
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> Vec<AuditEntry> {
        self.guard().entries().to_vec()
    }

    /// The log as its record (the `AuditLog` schema), e.g. to store or to merge.
    pub fn log(&self) -> AuditLog {
        self.guard().clone()
    }

    /// The current length and head hash, to keep elsewhere (a server, a printed receipt).
    pub fn checkpoint(&self) -> Checkpoint {
        self.guard().checkpoint()
    }

    /// Verify the whole chain: a broken one is [`BesideError::Refused`] (`chain_broken`).
    pub fn verify(&self) -> Result<(), BesideError> {
        self.guard().verify().map_err(BesideError::from)
    }
}

/// The sample consent records of every sample case (**synthetic**).
#[uniffi::export]
pub fn sample_consents() -> Result<Vec<ConsentRecord>, BesideError> {
    Ok(beside::samples::consent::consents()?)
}

/// The ledger of one sample case (e.g. `case-01`), as [`ConsentEngine::new`] takes it;
/// [`BesideError::NotFound`] for an unknown case.
#[uniffi::export]
pub fn sample_ledger(case_id: String) -> Result<LedgerData, BesideError> {
    Ok(sample_ledger_of(&case_id)?.to_data())
}

json::json_pair! {
    ConsentRecord => consent_record_from_json, consent_record_to_json;
    ConsentPolicy => consent_policy_from_json, consent_policy_to_json;
    LedgerData => consent_ledger_from_json, consent_ledger_to_json;
    Question => consent_question_from_json, consent_question_to_json;
    Decision => consent_decision_from_json, consent_decision_to_json;
    EmergencyDisclosure => emergency_disclosure_from_json, emergency_disclosure_to_json;
    DependentAction => dependent_action_from_json, dependent_action_to_json;
    Withdrawal => withdrawal_from_json, withdrawal_to_json;
    FieldMap => field_map_from_json, field_map_to_json;
    MinimisedView => minimised_view_from_json, minimised_view_to_json;
    Phrase => phrase_from_json, phrase_to_json;
    AuditLog => audit_log_from_json, audit_log_to_json;
    AuditEntry => audit_entry_from_json, audit_entry_to_json;
    Checkpoint => checkpoint_from_json, checkpoint_to_json;
    ChainBroken => chain_broken_from_json, chain_broken_to_json;
    ConsentError => consent_error_from_json, consent_error_to_json;
    MergedLedger => merged_ledger_from_json, merged_ledger_to_json;
}

#[cfg(test)]
mod tests {
    use super::*;
    use beside::consent::{
        ActionRef, DataCategory, DenyReason, Outcome, Purpose, Recipient, RecipientKind,
    };
    use beside::core::{OrganizationId, ReferralId};
    use chrono::TimeZone;

    fn t(y: i32, m: u32, d: u32) -> Timestamp {
        chrono::Utc.with_ymd_and_hms(y, m, d, 10, 0, 0).unwrap()
    }

    /// A value as it arrives from abroad: lifted from its text, unchecked.
    fn lifted<T: uniffi::Lift<crate::UniFfiTag, FfiType = uniffi::RustBuffer>>(text: &str) -> T {
        let mut buf = Vec::new();
        <String as uniffi::Lower<crate::UniFfiTag>>::write(text.to_owned(), &mut buf);
        T::try_lift(uniffi::RustBuffer::from_vec(buf)).unwrap()
    }

    fn ask(org: &str, kind: RecipientKind, categories: Vec<DataCategory>) -> Question {
        Question {
            recipient: Recipient {
                organization_id: OrganizationId::new(org).unwrap(),
                kind,
            },
            purpose: Purpose::ServiceReferral,
            categories,
            at: t(2026, 11, 20),
        }
    }

    fn path_of(e: BesideError) -> String {
        match e {
            BesideError::Invalid { path, .. } => path,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn the_typed_chain_composes() {
        let now = t(2026, 11, 20);
        let ledger = sample_ledger("case-01".into()).unwrap();
        let engine = ConsentEngine::new(ledger.clone(), now).unwrap();
        assert_eq!(engine.case_id().as_str(), "case-01");
        assert_eq!(engine.ledger(), ledger);

        let ngo = ask(
            "org-bd-jsr-ngo-01",
            RecipientKind::Ngo,
            vec![DataCategory::Identity, DataCategory::Contact],
        );
        let decision = engine.evaluate(ngo.clone()).unwrap();
        assert_eq!(decision.outcome, Outcome::Permit);
        let police = engine
            .evaluate(ask(
                "org-bd-police-01",
                RecipientKind::Police,
                vec![DataCategory::Contact],
            ))
            .unwrap();
        assert_eq!(police.outcome, Outcome::Deny);
        let refusal = ConsentId::new("refusal-01-police").unwrap();
        assert_eq!(
            police.reasons_for(DataCategory::Contact),
            &[DenyReason::ExplicitRefusal {
                record: refusal.clone()
            }]
        );

        // the decision is the audit log's input, and the minimiser's
        let trail = AuditTrail::new();
        let worker = WorkerId::new("worker-bd-jsr-01").unwrap();
        let entry = trail
            .record_decision(now, Some(worker.clone()), decision.clone())
            .unwrap();
        assert_eq!(entry.seq, 0);
        let map: FieldMap = serde_json::from_str(
            r#"{"rules": [{"path": "phone", "category": "contact"},
                          {"path": "history", "category": "trafficking_history"}]}"#,
        )
        .unwrap();
        let view = consent_minimise(
            r#"{"phone": "+880", "history": "x"}"#.into(),
            map,
            decision.clone(),
        )
        .unwrap();
        assert_eq!(view.view, serde_json::json!({"phone": "+880"}));

        // revocation reaches the open actions, and the next decision
        let referral = ConsentId::new("consent-01-referral").unwrap();
        let actions = vec![DependentAction {
            action: ActionRef::Referral {
                id: ReferralId::new("ref-1").unwrap(),
            },
            relied_on: vec![referral.clone()],
            open: true,
        }];
        assert!(engine
            .actions_to_withdraw(actions.clone(), now)
            .unwrap()
            .is_empty());
        let revocation = engine
            .revoke(referral.clone(), now, "changed her mind".into(), now)
            .unwrap();
        trail
            .append(
                now,
                Some(worker),
                AuditEvent::RecordRevoked {
                    id: referral.clone(),
                    revocation,
                },
            )
            .unwrap();
        assert_eq!(engine.revoked_at(now), vec![referral.clone()]);
        let withdrawals = engine.actions_to_withdraw(actions.clone(), now).unwrap();
        assert_eq!(withdrawals.len(), 1);
        assert_eq!(
            consent_actions_to_withdraw(vec![referral], actions).unwrap(),
            withdrawals
        );
        assert_eq!(engine.evaluate(ngo).unwrap().outcome, Outcome::Deny);

        // the log verifies, stored and reloaded
        trail.verify().unwrap();
        audit_verify(trail.entries(), Some(trail.checkpoint())).unwrap();
        let again = AuditTrail::from_entries(trail.entries(), Some(trail.checkpoint())).unwrap();
        assert_eq!(again.len(), 2);

        // words are a separate call over the typed answer
        let text = render_consent_decision(police, "en".into()).unwrap();
        assert!(text.contains("police"), "{text}");
        let lines = render_consent_phrases(engine.summary(now), "en".into()).unwrap();
        assert!(!lines.is_empty());
    }

    #[test]
    fn the_read_back_in_bengali_and_a_locale_added_at_run_time() {
        let engine = ConsentEngine::sample("case-01".into()).unwrap();
        let summary = engine.summary(t(2026, 11, 20));
        let bn = render_consent_phrases(summary.clone(), "bn".into()).unwrap();
        let en = render_consent_phrases(summary.clone(), "en".into()).unwrap();
        assert_eq!(bn.len(), en.len());
        assert!(
            bn.iter().all(|l| l != &en[0]) && bn[0].contains("সম্মতি"),
            "{bn:?}"
        );
        // Bengali digits wherever a day is written.
        assert!(
            bn.iter()
                .any(|l| l.chars().any(|c| ('০'..='৯').contains(&c))),
            "{bn:?}"
        );

        // An app overrides one sentence of Bengali and adds Nepali at run time.
        let labels = consent_labels();
        let labels = crate::labels_with_locale(
            labels,
            "bn".into(),
            "consent-summary-nothing = আপনি এখনো কিছু ভাগ করতে রাজি হননি।\n".into(),
        )
        .unwrap();
        let labels = crate::labels_with_locale(
            labels,
            "ne".into(),
            "consent-recipient_kind-ngo = गैरसरकारी संस्था\n".into(),
        )
        .unwrap();
        let nothing = vec![Phrase {
            key: "consent.summary.nothing".into(),
            params: vec![],
        }];
        assert_eq!(
            render_consent_phrases_with(nothing, labels.clone(), "bn".into()).unwrap(),
            ["আপনি এখনো কিছু ভাগ করতে রাজি হননি।"]
        );
        let ne = render_consent_phrases_with(summary, labels.clone(), "ne".into()).unwrap();
        assert!(ne.iter().any(|l| l.contains("गैरसरकारी संस्था")), "{ne:?}");

        // A malformed resource names its line and column.
        let err = crate::labels_with_locale(labels, "bn".into(), "a = ঠিক\nb = { $x\n".into())
            .unwrap_err();
        match err {
            BesideError::Invalid { path, errors, .. } => {
                assert_eq!(path, "ftl");
                assert!(
                    matches!(
                        &errors[0].reason,
                        Reason::Malformed {
                            line: 3,
                            column: 1,
                            ..
                        }
                    ),
                    "{errors:?}"
                );
            }
            other => panic!("unexpected {other:?}"),
        }
        let report = crate::check_locale(beside::consent::labels::DRAFT_PACKS[0].1.into()).unwrap();
        assert!(
            report.is_sound() && !report.missing.is_empty(),
            "{report:?}"
        );
        let bad = crate::check_locale("consent-summary-nothing = { $who }\nno-such = x\n".into())
            .unwrap();
        assert_eq!(bad.extra, ["no.such"]);
        assert_eq!(bad.unknown_placeables, ["consent.summary.nothing: $who"]);
    }

    #[test]
    fn a_bad_typed_input_is_refused_with_the_path_of_its_json() {
        let engine = ConsentEngine::sample("case-01".into()).unwrap();
        let mut record = sample_ledger("case-01".into()).unwrap().records.remove(0);
        record.id = lifted::<ConsentId>(" padded ");
        let typed = path_of(engine.add(record.clone(), t(2026, 11, 20)).unwrap_err());
        let mut value = serde_json::to_value(&record).unwrap();
        value["id"] = serde_json::json!(" padded ");
        let from_json = path_of(consent_record_from_json(value.to_string()).unwrap_err());
        assert_eq!(typed, "id");
        assert_eq!(typed, from_json);

        let mut question = ask("org-1", RecipientKind::Ngo, vec![DataCategory::Contact]);
        question.recipient.organization_id = lifted::<OrganizationId>("");
        assert_eq!(
            path_of(engine.evaluate(question).unwrap_err()),
            "recipient.organization_id"
        );
    }

    #[test]
    fn bare_ids_are_named_by_their_argument() {
        let engine = ConsentEngine::sample("case-01".into()).unwrap();
        let now = t(2026, 11, 20);
        let bad = lifted::<ConsentId>("");
        assert_eq!(
            path_of(engine.revoke(bad, now, "x".into(), now).unwrap_err()),
            "record_id"
        );
        let unknown = ConsentId::new("no-such-record").unwrap();
        assert!(matches!(
            engine.revoke(unknown, now, "x".into(), now),
            Err(BesideError::NotFound { .. })
        ));
        let trail = AuditTrail::new();
        let event = AuditEvent::RecordRevoked {
            id: ConsentId::new("c-1").unwrap(),
            revocation: Revocation {
                at: now,
                reason: "asked".into(),
            },
        };
        let err = trail
            .append(now, Some(lifted::<WorkerId>("a\tb")), event)
            .unwrap_err();
        assert_eq!(path_of(err), "actor");
        assert!(trail.is_empty());
    }

    #[test]
    fn refusals_and_locales() {
        let engine = ConsentEngine::sample("case-01".into()).unwrap();
        let now = t(2026, 11, 20);
        let referral = ConsentId::new("consent-01-referral").unwrap();
        engine
            .revoke(referral.clone(), now, "x".into(), now)
            .unwrap();
        match engine.revoke(referral, now, "again".into(), now) {
            Err(BesideError::Refused { code, .. }) => assert_eq!(code, "already_revoked"),
            other => panic!("unexpected {other:?}"),
        }
        let d = engine
            .evaluate(ask(
                "org-1",
                RecipientKind::Ngo,
                vec![DataCategory::Contact],
            ))
            .unwrap();
        match render_consent_decision(d, "xx".into()) {
            Err(BesideError::Invalid { path, detail, .. }) => {
                assert_eq!(path, "locale");
                assert!(detail.contains("en"), "{detail}");
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(
            ConsentEngine::sample("case-99".into()),
            Err(BesideError::NotFound { .. })
        ));
    }

    #[test]
    fn a_tampered_log_is_refused_and_names_the_entry() {
        let engine = ConsentEngine::sample("case-01".into()).unwrap();
        let now = t(2026, 11, 20);
        let trail = AuditTrail::new();
        let d = engine
            .evaluate(ask(
                "org-1",
                RecipientKind::Ngo,
                vec![DataCategory::Contact],
            ))
            .unwrap();
        trail.record_decision(now, None, d).unwrap();
        let text = audit_log_to_json(trail.log()).unwrap();
        let log = audit_log_from_json(text.clone()).unwrap();
        assert_eq!(AuditTrail::from_log(log).unwrap().len(), 1);
        let mut entries = trail.entries();
        entries[0].at = t(2026, 11, 21);
        match audit_verify(entries, None) {
            Err(BesideError::Refused {
                code, error_json, ..
            }) => {
                assert_eq!(code, "chain_broken");
                let broken = chain_broken_from_json(error_json).unwrap();
                assert_eq!(broken.index, 0);
                assert!(render_chain_broken(broken, "en".into())
                    .unwrap()
                    .contains('0'));
            }
            other => panic!("unexpected {other:?}"),
        }
        let earlier = t(2026, 11, 19);
        let event = AuditEvent::RecordRevoked {
            id: ConsentId::new("c-1").unwrap(),
            revocation: Revocation {
                at: earlier,
                reason: "asked".into(),
            },
        };
        assert_eq!(
            path_of(trail.append(earlier, None, event).unwrap_err()),
            "at"
        );
    }

    #[test]
    fn ledgers_merge_typed() {
        let now = t(2026, 11, 20);
        let ours = sample_ledger("case-01".into()).unwrap();
        let mut theirs = ours.clone();
        theirs
            .records
            .retain(|r| r.id.as_str() != "refusal-01-police");
        let edit = |d| Edit {
            by: None,
            at: t(2026, 11, d),
        };
        let merged = merge_ledgers(None, ours.clone(), edit(18), theirs, edit(19), now).unwrap();
        assert_eq!(merged.ledger.records.len(), ours.records.len());
        let again = merged_ledger_from_json(merged_ledger_to_json(merged.clone()).unwrap());
        assert_eq!(again.unwrap(), merged);
        let other = sample_ledger("case-02".into()).unwrap();
        match merge_ledgers(None, ours, edit(18), other, edit(19), now) {
            Err(BesideError::Refused { code, .. }) => assert_eq!(code, "different_records"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn audit_logs_merge_typed() {
        let engine = ConsentEngine::sample("case-01".into()).unwrap();
        let d = engine
            .evaluate(ask(
                "org-1",
                RecipientKind::Ngo,
                vec![DataCategory::Contact],
            ))
            .unwrap();
        let ours = AuditTrail::new();
        ours.record_decision(t(2026, 11, 18), None, d.clone())
            .unwrap();
        let theirs = AuditTrail::from_log(ours.log()).unwrap();
        ours.record_decision(t(2026, 11, 19), None, d.clone())
            .unwrap();
        theirs.record_decision(t(2026, 11, 20), None, d).unwrap();
        let merged =
            AuditTrail::from_log(merge_audit_logs(ours.log(), theirs.log()).unwrap()).unwrap();
        assert_eq!(merged.len(), 3);
        merged.verify().unwrap();
        // a log tampered with abroad: refused as stored entries are
        let mut entries = ours.entries();
        entries[1].hash = beside::consent::GENESIS.to_owned();
        let mut buf = Vec::new();
        <Vec<AuditEntry> as uniffi::Lower<crate::UniFfiTag>>::write(entries, &mut buf);
        let tampered =
            <AuditLog as uniffi::Lift<crate::UniFfiTag>>::try_read(&mut buf.as_slice()).unwrap();
        match merge_audit_logs(tampered, theirs.log()) {
            Err(BesideError::Refused { code, .. }) => assert_eq!(code, "chain_broken"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn json_pairs_round_trip() {
        let ledger = sample_ledger("case-01".into()).unwrap();
        let text = consent_ledger_to_json(ledger.clone()).unwrap();
        assert_eq!(consent_ledger_from_json(text).unwrap(), ledger);
        let q = ask("org-1", RecipientKind::Police, vec![DataCategory::Health]);
        let text = consent_question_to_json(q.clone()).unwrap();
        assert_eq!(consent_question_from_json(text).unwrap(), q);
        let e = consent_question_from_json(r#"{"recipient": {}}"#.into()).unwrap_err();
        assert!(path_of(e).starts_with("recipient"));
    }
}
