//! # beside-consent
//!
//! Consent computed per purpose, recipient and data category — not a few yes/no fields.
//!
//! A person (or, for a child, a guardian with the child's assent) gives consents and explicit
//! refusals as [`ConsentRecord`]s. A [`ConsentLedger`] checks them against the case and the
//! organisation's [`ConsentPolicy`] and answers [`Question`]s — *may this recipient receive these
//! categories for this purpose at this time?* — with a [`Decision`]: permit (naming the records
//! relied on), partial permit, or deny, every denied category with reason codes and figures.
//!
//! The rules are built to be safe first:
//! - **Default deny**: a category goes only if a consent in force covers the purpose, the
//!   recipient and the category, from someone who can consent at that moment.
//! - **Refusal always wins**: an explicit refusal in force overrides any consent.
//! - **Children**: age is taken at the moment asked about; below the age of majority a guardian
//!   (not implicated in the harm), a legal representative or an authorised best-interest
//!   determination must consent, with the child's assent from the policy's assent age. On the
//!   18th birthday consents given on the person's behalf stop counting: re-consent is due.
//!   Age is taken on the calendar of the person's place ([`ConsentSubject::time_zone`]), and a
//!   guardian's consent given for someone already an adult never counts.
//! - **Emergencies** ([`ConsentLedger::evaluate_emergency`]) permit disclosure to emergency
//!   services only, with a justification, for a limited window, named in the decision.
//! - **Revocation** ([`ConsentLedger::revoke`]) takes effect at once, and
//!   [`actions_to_withdraw`] lists every open referral or other action that relied on it.
//! - **Minimisation** ([`minimise()`]) cuts a case record to the permitted categories; unmapped
//!   fields go too.
//! - **Audit** ([`AuditLog`]): append-only, SHA-256 hash-chained; [`verify`] names the first bad
//!   entry.
//! - **Offline merge** ([`merge::merge_ledgers`], [`merge::merge_logs`]): two phones' versions
//!   of a ledger merge with every record kept, a refusal or a revocation from either side
//!   winning, and two different edits flagged as conflicts; merged audit logs verify.
//! - **Plain language** ([`ConsentLedger::summary`], [`explain`]): phrases as key + parameters,
//!   with English built in ([`english_labels`]).
//!
//! ```
//! use beside_consent::*;
//! use beside_core::{CaseId, ConsentId, LanguageCode, OrganizationId};
//! use chrono::{TimeZone, Utc};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let t = |y, m, d| Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).single().ok_or("bad date");
//! let case = CaseId::new("case-01")?;
//! let consent = ConsentRecord {
//!     id: ConsentId::new("c-1")?,
//!     case_id: case.clone(),
//!     kind: RecordKind::Consent,
//!     given_by: GivenBy::Person,
//!     assent: None,
//!     purposes: vec![Purpose::ServiceReferral],
//!     recipients: vec![RecipientScope::Any],
//!     categories: vec![DataCategory::Contact, DataCategory::Health],
//!     granted_at: t(2025, 1, 10)?,
//!     expires_at: None,
//!     method: Method::Written,
//!     explained_in: LanguageCode::new("bn")?,
//!     witness: None,
//!     revoked: None,
//!     extra: Default::default(),
//! };
//! let mut never_police = consent.clone();
//! never_police.id = ConsentId::new("r-1")?;
//! never_police.kind = RecordKind::Refusal;
//! never_police.recipients = vec![RecipientScope::Kind { kind: RecipientKind::Police }];
//! let subject = ConsentSubject { case_id: case, birth: None, guardians: vec![],
//!     time_zone: Some(beside_core::TimeZone::new("Asia/Dhaka")?) };
//! let subject = ConsentSubject { birth: Some(beside_core::Birth::ApproximateAge {
//!     years: 30, recorded_on: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).ok_or("date")? }), ..subject };
//! let ledger = ConsentLedger::new(subject, ConsentPolicy::default(),
//!     vec![consent, never_police], t(2026, 1, 1)?)?;
//!
//! let ask = |id: &str, kind| -> Result<Question, Box<dyn std::error::Error>> { Ok(Question {
//!     recipient: Recipient { organization_id: OrganizationId::new(id)?, kind },
//!     purpose: Purpose::ServiceReferral,
//!     categories: vec![DataCategory::Contact, DataCategory::Location],
//!     at: t(2026, 1, 1)?,
//! }) };
//! let shelter = ledger.evaluate(&ask("org-ngo-1", RecipientKind::Ngo)?);
//! assert_eq!(shelter.outcome, Outcome::PartialPermit); // contact yes, location out of scope
//! let police = ledger.evaluate(&ask("org-police-1", RecipientKind::Police)?);
//! assert_eq!(police.outcome, Outcome::Deny);           // the refusal wins
//! assert_eq!(police.reasons_for(DataCategory::Contact)[0].code(), "explicit_refusal");
//! # Ok(()) }
//! ```

#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::disallowed_methods,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();
#[cfg(feature = "uniffi")]
mod ffi;

pub mod audit;
pub mod error;
pub mod evaluate;
pub mod labels;
pub mod ledger;
pub mod merge;
pub mod minimise;
pub mod record;
pub mod revocation;
pub mod summary;

pub use audit::{
    verify, AuditEntry, AuditEvent, AuditLog, ChainBroken, ChainProblem, Checkpoint, GENESIS,
};
pub use error::ConsentError;
pub use evaluate::{
    Decision, DeniedCategory, DenyReason, EmergencyDisclosure, Outcome, PermitBasis,
    PermittedCategory, Question,
};
pub use labels::english_labels;
pub use ledger::{ConsentLedger, ConsentPolicy, ConsentSubject, LedgerData};
pub use minimise::{
    minimise, minimise_to, FieldMap, FieldRule, MinimisedView, Removal, RemovedField,
};
pub use record::{
    kind_label_key, Assent, BestInterestDetermination, ConsentRecord, DataCategory, GivenBy,
    Method, Purpose, Recipient, RecipientKind, RecipientScope, RecordKind, Revocation, Witness,
};
pub use revocation::{actions_to_withdraw, ActionRef, DependentAction, Withdrawal};
pub use summary::{explain, ParamItem, Phrase, PhraseParam};

/// The JSON Schemas of this crate's public record types, by type name.
pub fn json_schemas() -> Vec<(&'static str, schemars::Schema)> {
    use schemars::schema_for;
    vec![
        ("ConsentRecord", schema_for!(ConsentRecord)),
        ("ConsentPolicy", schema_for!(ConsentPolicy)),
        ("ConsentSubject", schema_for!(ConsentSubject)),
        ("ConsentLedger", schema_for!(ConsentLedger)),
        ("ConsentError", schema_for!(ConsentError)),
        ("ConsentQuestion", schema_for!(Question)),
        ("ConsentDecision", schema_for!(Decision)),
        ("EmergencyDisclosure", schema_for!(EmergencyDisclosure)),
        ("DependentAction", schema_for!(DependentAction)),
        ("Withdrawal", schema_for!(Withdrawal)),
        ("FieldMap", schema_for!(FieldMap)),
        ("MinimisedView", schema_for!(MinimisedView)),
        ("AuditLog", schema_for!(AuditLog)),
        ("AuditEntry", schema_for!(AuditEntry)),
        ("Checkpoint", schema_for!(Checkpoint)),
        ("ChainBroken", schema_for!(ChainBroken)),
        ("Phrase", schema_for!(Phrase)),
        (
            "LedgerVersion",
            schema_for!(beside_core::merge::Version<LedgerData>),
        ),
        ("MergedLedger", schema_for!(merge::MergedLedger)),
    ]
}
