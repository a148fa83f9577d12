//! A case's consent records, checked against the case and kept ready for fast decisions.
//!
//! [`ConsentLedger`] is the working object: build it from the case's facts
//! ([`ConsentSubject`]), the organisation's [`ConsentPolicy`] and the records; add and revoke
//! records through it (a rejected change leaves it as it was); ask it questions with
//! [`ConsentLedger::evaluate`].

use crate::error::ConsentError;
use crate::record::{
    ConsentRecord, DataCategory, GivenBy, Purpose, RecipientKind, RecipientScope, RecordKind,
    Revocation,
};
use beside_core::{
    Birth, CaseId, CaseProfile, ConsentId, Guardian, OrganizationId, PersonId, Reason, TimeZone,
    Timestamp, Validate, Validator, WorkerId, AGE_OF_MAJORITY,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Most records one case may hold.
pub const MAX_RECORDS: usize = 1000;

/// The organisation's consent settings. Every value is data with a default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ConsentPolicy {
    /// The age from which a person consents for themselves (default 18).
    #[serde(default = "default_majority")]
    pub age_of_majority: u32,
    /// The age from which a child's own assent is required besides a guardian's consent
    /// (default 12).
    #[serde(default = "default_assent_age")]
    pub assent_from_age: u32,
    /// The case workers authorised to make best-interest determinations. A determination by
    /// anyone else does not count.
    #[serde(default)]
    pub authorised_workers: Vec<WorkerId>,
    /// How long a declared emergency permits disclosure, in hours (default 24).
    #[serde(default = "default_emergency_hours")]
    pub emergency_valid_hours: u32,
    /// Whether a documented emergency overrides an explicit refusal (default `false`: the
    /// refusal wins even then; an organisation whose law requires otherwise sets this, and each
    /// override is named in the decision).
    #[serde(default)]
    pub emergency_overrides_refusal: bool,
}

fn default_majority() -> u32 {
    AGE_OF_MAJORITY
}

fn default_assent_age() -> u32 {
    12
}

fn default_emergency_hours() -> u32 {
    24
}

impl Default for ConsentPolicy {
    fn default() -> Self {
        Self {
            age_of_majority: default_majority(),
            assent_from_age: default_assent_age(),
            authorised_workers: Vec::new(),
            emergency_valid_hours: default_emergency_hours(),
            emergency_overrides_refusal: false,
        }
    }
}

impl Validate for ConsentPolicy {
    fn validate_with(&self, v: &mut Validator) {
        v.range(
            "age_of_majority",
            f64::from(self.age_of_majority),
            1.0,
            30.0,
        );
        v.range(
            "assent_from_age",
            f64::from(self.assent_from_age),
            0.0,
            f64::from(self.age_of_majority),
        );
        v.range(
            "emergency_valid_hours",
            f64::from(self.emergency_valid_hours),
            1.0,
            24.0 * 30.0,
        );
        v.unique(
            "authorised_workers",
            self.authorised_workers.iter().map(WorkerId::as_str),
        );
    }
}

/// The facts of a case that consent rules read: whose case, their birth, their guardians.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ConsentSubject {
    /// The case.
    pub case_id: CaseId,
    /// The person's birth (date or approximate age); unknown counts as a child, the safer
    /// answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth: Option<Birth>,
    /// The person's guardians.
    #[serde(default)]
    pub guardians: Vec<Guardian>,
    /// The time zone of the person's place (an IANA id such as `Asia/Dhaka`): age, majority
    /// and the assent age are taken on its calendar. When absent no place is known and days
    /// are read in UTC; a subject built from a case profile carries the case's zone
    /// ([`TimeZone::for_case`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<TimeZone>,
}

impl ConsentSubject {
    /// The calendar the person's age is taken on: the subject's `time_zone`, or UTC when none
    /// is given (no place known).
    pub fn calendar(&self) -> TimeZone {
        self.time_zone.unwrap_or(TimeZone::UTC)
    }
}

impl From<&CaseProfile> for ConsentSubject {
    /// The consent facts of a case, with the case's calendar resolved
    /// ([`TimeZone::for_case`]: its zone, else its country's, else UTC).
    fn from(case: &CaseProfile) -> Self {
        Self {
            case_id: case.case_id.clone(),
            birth: case.person.birth,
            guardians: case.guardians.clone(),
            time_zone: Some(case.calendar()),
        }
    }
}

/// Who gave a record, resolved against the case and the policy once, when the ledger is built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Giver {
    /// The person themselves.
    Person,
    /// One of the case's guardians, not implicated in the harm.
    Guardian,
    /// One of the case's guardians, implicated in the harm.
    ImplicatedGuardian(PersonId),
    /// Someone named as guardian who is not one of the case's guardians (the ledger refuses
    /// such a record; should one be there, it counts as no guardian's consent).
    UnknownGuardian,
    /// A legal representative.
    LegalRepresentative,
    /// A best-interest determination by an authorised worker.
    BestInterest,
    /// A best-interest determination by a worker the policy does not authorise.
    UnauthorisedBestInterest(WorkerId),
}

impl Giver {
    /// Who gave `r`, for the case of `subject` under `policy`.
    fn of(r: &ConsentRecord, subject: &ConsentSubject, policy: &ConsentPolicy) -> Self {
        match &r.given_by {
            GivenBy::Person => Giver::Person,
            GivenBy::Guardian { person_id } => {
                match subject.guardians.iter().find(|g| g.person_id == *person_id) {
                    None => Giver::UnknownGuardian,
                    Some(g) if g.implicated_in_harm => {
                        Giver::ImplicatedGuardian(g.person_id.clone())
                    }
                    Some(_) => Giver::Guardian,
                }
            }
            GivenBy::LegalRepresentative { .. } => Giver::LegalRepresentative,
            GivenBy::BestInterest { determination } => {
                if policy.authorised_workers.contains(&determination.worker_id) {
                    Giver::BestInterest
                } else {
                    Giver::UnauthorisedBestInterest(determination.worker_id.clone())
                }
            }
        }
    }
}

/// Whether the person was a child (or of unknown age) when `r` was given, on the calendar of
/// her place.
pub(crate) fn given_while_a_child(
    r: &ConsentRecord,
    subject: &ConsentSubject,
    policy: &ConsentPolicy,
) -> bool {
    subject
        .birth
        .is_none_or(|b| b.is_minor_at(r.granted_at, subject.calendar(), policy.age_of_majority))
}

/// One record as the rules read it: its scope as sets (organisations by id, kinds, data
/// categories), its moments, and who gave it resolved against the case and the policy.
#[derive(Debug, Clone)]
pub(crate) struct IndexedRecord {
    /// The record's id.
    pub id: ConsentId,
    /// Consent or refusal.
    pub kind: RecordKind,
    /// Whether it covers any recipient at all.
    pub any_recipient: bool,
    /// The kinds of organisation it covers.
    pub kinds: BTreeSet<RecipientKind>,
    /// The organisations it names.
    pub organizations: BTreeSet<OrganizationId>,
    /// The data categories it covers.
    pub categories: BTreeSet<DataCategory>,
    /// When it was given.
    pub granted_at: Timestamp,
    /// When it lapses, if ever (exclusive).
    pub expires_at: Option<Timestamp>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<Timestamp>,
    /// When the child assented, if she did.
    pub assent_at: Option<Timestamp>,
    /// Who gave it.
    pub giver: Giver,
    /// Whether the person was a child (or of unknown age) when it was given.
    pub given_while_a_child: bool,
}

impl IndexedRecord {
    fn new(r: &ConsentRecord, subject: &ConsentSubject, policy: &ConsentPolicy) -> Self {
        let mut any_recipient = false;
        let mut kinds = BTreeSet::new();
        let mut organizations = BTreeSet::new();
        for scope in &r.recipients {
            match scope {
                RecipientScope::Any => any_recipient = true,
                RecipientScope::Kind { kind } => {
                    kinds.insert(*kind);
                }
                RecipientScope::Organization { id } => {
                    organizations.insert(id.clone());
                }
            }
        }
        Self {
            id: r.id.clone(),
            kind: r.kind,
            any_recipient,
            kinds,
            organizations,
            categories: r.categories.iter().copied().collect(),
            granted_at: r.granted_at,
            expires_at: r.expires_at,
            revoked_at: r.revoked.as_ref().map(|x| x.at),
            assent_at: r.assent.as_ref().map(|a| a.given_at),
            giver: Giver::of(r, subject, policy),
            given_while_a_child: given_while_a_child(r, subject, policy),
        }
    }
}

/// The data structure decisions read, chosen once: **the ledger's records indexed by purpose**
/// (`BTreeMap<Purpose, Vec<Arc<IndexedRecord>>>`), each purpose's records in id order, a record
/// shared by every purpose it covers. A question reads only the records of its purpose; within
/// them, recipients and categories are set look-ups. Rebuilt whenever the records change.
#[derive(Debug, Clone, Default)]
pub(crate) struct RecordsByPurpose {
    /// For each purpose some record covers, those records, in id order.
    by_purpose: BTreeMap<Purpose, Vec<Arc<IndexedRecord>>>,
    /// Every organisation any record names, sorted, each once.
    pub named_organizations: Vec<OrganizationId>,
    /// Whether the ledger holds any consent (as opposed to refusals only).
    pub has_consents: bool,
}

impl RecordsByPurpose {
    /// Index `records` (sorted by id) of the case of `subject` under `policy`.
    fn new(records: &[ConsentRecord], subject: &ConsentSubject, policy: &ConsentPolicy) -> Self {
        let mut by_purpose: BTreeMap<Purpose, Vec<Arc<IndexedRecord>>> = BTreeMap::new();
        for r in records {
            let indexed = Arc::new(IndexedRecord::new(r, subject, policy));
            let purposes: BTreeSet<Purpose> = r.purposes.iter().copied().collect();
            for p in purposes {
                by_purpose.entry(p).or_default().push(Arc::clone(&indexed));
            }
        }
        let named: BTreeSet<&OrganizationId> = records
            .iter()
            .flat_map(|r| &r.recipients)
            .filter_map(|s| match s {
                RecipientScope::Organization { id } => Some(id),
                RecipientScope::Kind { .. } | RecipientScope::Any => None,
            })
            .collect();
        Self {
            by_purpose,
            named_organizations: named.into_iter().cloned().collect(),
            has_consents: records.iter().any(|r| r.kind == RecordKind::Consent),
        }
    }

    /// The records that cover `purpose`, in id order (none when no record covers it).
    pub(crate) fn records_for(&self, purpose: Purpose) -> &[Arc<IndexedRecord>] {
        self.by_purpose.get(&purpose).map_or(&[], Vec::as_slice)
    }
}

/// The serialised form of a ledger: subject, policy and records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct LedgerData {
    /// The case facts.
    pub subject: ConsentSubject,
    /// The policy.
    #[serde(default)]
    pub policy: ConsentPolicy,
    /// The records.
    pub records: Vec<ConsentRecord>,
}

/// A case's consent records, validated against the case and the policy.
#[derive(Debug, Clone)]
pub struct ConsentLedger {
    pub(crate) subject: ConsentSubject,
    pub(crate) policy: ConsentPolicy,
    /// Sorted by id, so every answer is independent of the order records were given in.
    pub(crate) records: Vec<ConsentRecord>,
    /// The records indexed by purpose, for decisions.
    pub(crate) by_purpose: RecordsByPurpose,
}

impl ConsentLedger {
    /// Check `records` against the case and the policy, judging "in the future" against `now`.
    ///
    /// Rejects (naming each field): invalid records, duplicate ids, records of another case, a
    /// guardian who is not one of the case's guardians, and a child's consent given by the child
    /// alone (a child's consent needs a guardian, a legal representative or a best-interest
    /// determination).
    pub fn new(
        subject: ConsentSubject,
        policy: ConsentPolicy,
        records: Vec<ConsentRecord>,
        now: Timestamp,
    ) -> Result<Self, ConsentError> {
        let mut v = Validator::new(now);
        v.field("policy", |v| policy.validate_with(v));
        v.max_items("records", &records, MAX_RECORDS);
        v.unique(
            "records",
            records.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        );
        v.field("records", |v| {
            for (i, r) in records.iter().enumerate() {
                v.index(i, |v| check_against_case(r, &subject, &policy, v));
            }
        });
        v.finish()?;
        Ok(Self::build(subject, policy, records))
    }

    /// Load a ledger from JSON ([`LedgerData`]), checking everything [`ConsentLedger::new`]
    /// checks.
    pub fn from_json_at(input: &str, now: Timestamp) -> Result<Self, ConsentError> {
        let data: LedgerData =
            beside_core::parse_json(input, beside_core::json::DEFAULT_MAX_INPUT_BYTES)?;
        Self::new(data.subject, data.policy, data.records, now)
    }

    /// The serialisable form of this ledger.
    pub fn to_data(&self) -> LedgerData {
        LedgerData {
            subject: self.subject.clone(),
            policy: self.policy.clone(),
            records: self.records.clone(),
        }
    }

    fn build(
        subject: ConsentSubject,
        policy: ConsentPolicy,
        mut records: Vec<ConsentRecord>,
    ) -> Self {
        records.sort_by(|a, b| a.id.cmp(&b.id));
        let by_purpose = RecordsByPurpose::new(&records, &subject, &policy);
        Self {
            subject,
            policy,
            records,
            by_purpose,
        }
    }

    /// The case facts.
    pub fn subject(&self) -> &ConsentSubject {
        &self.subject
    }

    /// The policy.
    pub fn policy(&self) -> &ConsentPolicy {
        &self.policy
    }

    /// The records, sorted by id.
    pub fn records(&self) -> &[ConsentRecord] {
        &self.records
    }

    /// The organisations the records name as recipients, sorted. Every answer about any other
    /// organisation depends on its kind alone (with the purpose, the categories and the
    /// moment), so a caller asking about many organisations can ask once per kind for those.
    pub fn named_organizations(&self) -> &[OrganizationId] {
        &self.by_purpose.named_organizations
    }

    /// The record with `id`.
    pub fn record(&self, id: &ConsentId) -> Option<&ConsentRecord> {
        self.records
            .binary_search_by(|r| r.id.cmp(id))
            .ok()
            .and_then(|i| self.records.get(i))
    }

    /// Add a record. On error the ledger is unchanged.
    pub fn add(&mut self, record: ConsentRecord, now: Timestamp) -> Result<(), ConsentError> {
        if self.record(&record.id).is_some() {
            return Err(ConsentError::at(
                "id",
                Reason::Duplicate {
                    value: record.id.to_string(),
                },
            ));
        }
        if self.records.len() >= MAX_RECORDS {
            return Err(ConsentError::at(
                "",
                Reason::TooMany {
                    max: MAX_RECORDS,
                    got: self.records.len() + 1,
                },
            ));
        }
        let mut v = Validator::new(now);
        check_against_case(&record, &self.subject, &self.policy, &mut v);
        v.finish()?;
        let pos = self.records.partition_point(|r| r.id < record.id);
        self.records.insert(pos, record);
        self.by_purpose = RecordsByPurpose::new(&self.records, &self.subject, &self.policy);
        Ok(())
    }

    /// Revoke record `id` at `at`, effective at once: from `at` on it no longer counts (a revoked
    /// refusal no longer refuses). On error the ledger is unchanged.
    pub fn revoke(
        &mut self,
        id: &ConsentId,
        at: Timestamp,
        reason: impl Into<String>,
        now: Timestamp,
    ) -> Result<Revocation, ConsentError> {
        let index = self
            .records
            .binary_search_by(|r| r.id.cmp(id))
            .map_err(|_| ConsentError::UnknownRecord { id: id.clone() })?;
        let record = self
            .records
            .get_mut(index)
            .ok_or_else(|| ConsentError::UnknownRecord { id: id.clone() })?;
        if let Some(r) = &record.revoked {
            return Err(ConsentError::AlreadyRevoked {
                id: id.clone(),
                at: r.at.to_rfc3339(),
            });
        }
        let revocation = Revocation {
            at,
            reason: reason.into(),
        };
        let mut candidate = record.clone();
        candidate.revoked = Some(revocation.clone());
        let mut v = Validator::new(now);
        candidate.validate_with(&mut v);
        v.finish()?;
        *record = candidate;
        self.by_purpose = RecordsByPurpose::new(&self.records, &self.subject, &self.policy);
        Ok(revocation)
    }
}

fn check_against_case(
    r: &ConsentRecord,
    subject: &ConsentSubject,
    policy: &ConsentPolicy,
    v: &mut Validator,
) {
    r.validate_with(v);
    if r.case_id != subject.case_id {
        v.report_at(
            "case_id",
            Reason::Invalid {
                expected: format!("the ledger's case `{}`", subject.case_id),
                value: r.case_id.to_string(),
            },
        );
    }
    if let GivenBy::Guardian { person_id } = &r.given_by {
        if !subject.guardians.iter().any(|g| g.person_id == *person_id) {
            v.field("given_by", |v| {
                v.report_at(
                    "person_id",
                    Reason::MissingReference {
                        id: person_id.to_string(),
                    },
                )
            });
        }
    }
    let zone = subject.calendar();
    let known_minor = subject
        .birth
        .is_some_and(|b| b.is_minor_at(r.granted_at, zone, policy.age_of_majority));
    if known_minor && r.kind == RecordKind::Consent && r.given_by == GivenBy::Person {
        v.report_at(
            "given_by",
            Reason::Required {
                what: "a child's consent must be given by a guardian, a legal representative or a best-interest determination (with the child's assent)".into(),
            },
        );
    }
}

impl Serialize for ConsentLedger {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_data().serialize(s)
    }
}

impl<'de> Deserialize<'de> for ConsentLedger {
    /// Deserialising checks the ledger as [`ConsentLedger::new`] does, judging "in the future"
    /// against the current time.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let data = LedgerData::deserialize(d)?;
        ConsentLedger::new(data.subject, data.policy, data.records, chrono::Utc::now())
            .map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for ConsentLedger {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ConsentLedger".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        LedgerData::json_schema(generator)
    }
}
