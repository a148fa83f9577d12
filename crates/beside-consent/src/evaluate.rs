//! Decisions: may this recipient receive these data categories for this purpose at this time?
//!
//! The rules of `docs/rules.md` ("Consent"), each a function of this module, in this order:
//!
//! 1. **Per purpose × recipient × data category.** A record speaks to a question only if it
//!    covers the purpose (the ledger's records are indexed by purpose), the recipient
//!    (`covers_recipient`: its organisation by id, its kind, or any recipient) and the
//!    category.
//! 2. **A refusal always wins** (`refusal_wins`): an explicit refusal in force that covers the
//!    sharing denies it, whatever else is on file. A record is in force (`in_force`) from its
//!    grant until it is revoked (`revoked_by`: at once) or expires (`expired_by`).
//! 3. **Expiry** is a moment (`expired_by`); the person's local calendar is the one her age is
//!    taken on and the one her dates are read back in.
//! 4. **Children and guardians** (`can_consent_for_her`): an adult consents for herself or
//!    through a legal representative (`adult_consents`); for a child (or of unknown age) a
//!    guardian who is not implicated in the harm, a legal representative, or a best-interest
//!    determination by an authorised case worker (`child_consents`), each with the child's
//!    assent from the policy's assent age (`assent_given`). Consents given on her behalf stop
//!    counting at majority; a guardian's consent given for an adult never counted.
//! 5. **Default deny** (`default_deny`): otherwise the category is denied, with the reason of
//!    every record that came close (not yet granted, expired, revoked, guardian missing or
//!    implicated, best interest not authorised, assent missing, re-consent due, given by a
//!    guardian for an adult), or "out of scope", or "none given".
//! 6. **Minimisation** ([`crate::minimise()`]) then cuts a case record to what the decision
//!    permits.
//!
//! Age is taken at the moment of the question, on the calendar of the person's place
//! ([`crate::ConsentSubject::time_zone`]: at 00:30 in Dhaka on the 18th birthday she is 18).
//! Emergencies ([`ConsentLedger::evaluate_emergency`]) start from the plain decision.

use crate::ledger::{ConsentLedger, Giver, IndexedRecord};
use crate::record::{DataCategory, Purpose, Recipient, RecipientKind, RecordKind};
use beside_core::{
    CaseId, ConsentId, EventId, PersonId, Reason, TimeZone, Timestamp, Validate, Validator,
    WorkerId,
};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A question put to the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Who would receive the data.
    pub recipient: Recipient,
    /// What for.
    pub purpose: Purpose,
    /// Which categories of data.
    pub categories: Vec<DataCategory>,
    /// At what moment.
    pub at: Timestamp,
}

/// The overall answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every category asked for may go.
    Permit,
    /// Some categories may go, the others may not.
    PartialPermit,
    /// No category may go.
    Deny,
}

impl Outcome {
    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Permit => "permit",
            Outcome::PartialPermit => "partial_permit",
            Outcome::Deny => "deny",
        }
    }
}

/// What a permitted category rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum PermitBasis {
    /// The consent records relied on (every one that would suffice), sorted by id.
    Consent {
        /// The records.
        records: Vec<ConsentId>,
    },
    /// A documented life-threatening emergency.
    Emergency {
        /// The emergency disclosure record.
        disclosure_id: EventId,
        /// Refusals overridden by it (only when the policy allows; otherwise a refusal wins).
        #[serde(default)]
        overrides: Vec<ConsentId>,
    },
}

/// A category that may go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct PermittedCategory {
    /// The category.
    pub category: DataCategory,
    /// Why it may go.
    pub basis: PermitBasis,
}

/// Why a category may not go. The code is stable; the fields are the figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum DenyReason {
    /// The case holds no consent at all.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    NoneGiven,
    /// Consents exist, but none covers this purpose, recipient and category.
    OutOfScope {
        /// The purpose asked for.
        purpose: Purpose,
        /// The category asked for.
        category: DataCategory,
    },
    /// A covering consent was given only after the moment asked about.
    NotYetGranted {
        /// The record.
        record: ConsentId,
        /// When it was given.
        granted_at: Timestamp,
    },
    /// A covering consent has expired.
    Expired {
        /// The record.
        record: ConsentId,
        /// When it expired.
        expired_at: Timestamp,
    },
    /// A covering consent was revoked.
    Revoked {
        /// The record.
        record: ConsentId,
        /// When it was revoked.
        revoked_at: Timestamp,
    },
    /// An explicit refusal covers this sharing. A refusal overrides any consent.
    ExplicitRefusal {
        /// The refusal.
        record: ConsentId,
    },
    /// The person is a child (or of unknown age) and the covering consent is not from a
    /// guardian, legal representative or authorised best-interest determination.
    GuardianConsentMissing {
        /// The record that cannot stand alone.
        record: ConsentId,
        /// The person's age at the moment asked about, when known.
        age: Option<u32>,
    },
    /// The consent was given by a guardian implicated in the harm, who cannot consent.
    GuardianImplicated {
        /// The record.
        record: ConsentId,
        /// The guardian.
        guardian: PersonId,
    },
    /// A best-interest determination by a worker the policy does not authorise.
    BestInterestNotAuthorised {
        /// The record.
        record: ConsentId,
        /// The worker.
        worker_id: WorkerId,
    },
    /// The child is old enough that their own assent is needed, and it is not on the record.
    AssentMissing {
        /// The record.
        record: ConsentId,
        /// The child's age, when known.
        age: Option<u32>,
        /// The age from which assent is required.
        assent_from_age: u32,
    },
    /// The consent was given on the person's behalf while they were a child; they are now an
    /// adult and must consent for themselves.
    ReConsentDueAtMajority {
        /// The record.
        record: ConsentId,
        /// The day the person came of age, when known.
        majority_on: Option<NaiveDate>,
    },
    /// The consent was given by a guardian on behalf of someone who was already an adult; only
    /// a legal representative can consent for an adult.
    GuardianForAdult {
        /// The record.
        record: ConsentId,
        /// The day the person came of age (before the consent was given).
        adult_since: NaiveDate,
    },
    /// The emergency exception permits disclosure to emergency services only.
    NotEmergencyServices {
        /// The kind of the recipient asked about.
        kind: RecipientKind,
    },
    /// The emergency is outside the window in which it permits disclosure.
    EmergencyLapsed {
        /// The disclosure record.
        disclosure_id: EventId,
        /// When it was declared.
        declared_at: Timestamp,
        /// How long it permits disclosure, in hours.
        valid_hours: u32,
    },
}

impl DenyReason {
    /// Stable code (as serialised).
    pub fn code(&self) -> &'static str {
        match self {
            DenyReason::NoneGiven => "none_given",
            DenyReason::OutOfScope { .. } => "out_of_scope",
            DenyReason::NotYetGranted { .. } => "not_yet_granted",
            DenyReason::Expired { .. } => "expired",
            DenyReason::Revoked { .. } => "revoked",
            DenyReason::ExplicitRefusal { .. } => "explicit_refusal",
            DenyReason::GuardianConsentMissing { .. } => "guardian_consent_missing",
            DenyReason::GuardianImplicated { .. } => "guardian_implicated",
            DenyReason::BestInterestNotAuthorised { .. } => "best_interest_not_authorised",
            DenyReason::AssentMissing { .. } => "assent_missing",
            DenyReason::ReConsentDueAtMajority { .. } => "re_consent_due_at_majority",
            DenyReason::GuardianForAdult { .. } => "guardian_for_adult",
            DenyReason::NotEmergencyServices { .. } => "not_emergency_services",
            DenyReason::EmergencyLapsed { .. } => "emergency_lapsed",
        }
    }

    /// The record this reason is about, if any.
    pub fn record(&self) -> Option<&ConsentId> {
        match self {
            DenyReason::NotYetGranted { record, .. }
            | DenyReason::Expired { record, .. }
            | DenyReason::Revoked { record, .. }
            | DenyReason::ExplicitRefusal { record }
            | DenyReason::GuardianConsentMissing { record, .. }
            | DenyReason::GuardianImplicated { record, .. }
            | DenyReason::BestInterestNotAuthorised { record, .. }
            | DenyReason::AssentMissing { record, .. }
            | DenyReason::ReConsentDueAtMajority { record, .. }
            | DenyReason::GuardianForAdult { record, .. } => Some(record),
            _ => None,
        }
    }
}

/// A category that may not go, with every reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct DeniedCategory {
    /// The category.
    pub category: DataCategory,
    /// Why not (never empty).
    pub reasons: Vec<DenyReason>,
}

/// The answer to a [`Question`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// The case.
    pub case_id: CaseId,
    /// The question answered.
    pub question: Question,
    /// Permit, partial permit or deny.
    pub outcome: Outcome,
    /// The categories that may go, in category order.
    pub permitted: Vec<PermittedCategory>,
    /// The categories that may not, in category order.
    pub denied: Vec<DeniedCategory>,
    /// The person's age at the moment asked about, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    /// The time zone the age and the decision's dates were read in (the subject's); absent
    /// when no place was known, and then UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<TimeZone>,
}

impl Decision {
    /// The calendar the decision's dates are read on: its `time_zone`, or UTC when none.
    pub fn calendar(&self) -> TimeZone {
        self.time_zone.unwrap_or(TimeZone::UTC)
    }

    /// The categories that may go.
    pub fn permitted_categories(&self) -> Vec<DataCategory> {
        self.permitted.iter().map(|p| p.category).collect()
    }

    /// Whether `category` may go.
    pub fn permits(&self, category: DataCategory) -> bool {
        self.permitted.iter().any(|p| p.category == category)
    }

    /// The reasons `category` may not go (empty when it may).
    pub fn reasons_for(&self, category: DataCategory) -> &[DenyReason] {
        self.denied
            .iter()
            .find(|d| d.category == category)
            .map(|d| d.reasons.as_slice())
            .unwrap_or(&[])
    }

    fn set_outcome(&mut self) {
        self.outcome = match (self.permitted.is_empty(), self.denied.is_empty()) {
            (false, true) => Outcome::Permit,
            (false, false) => Outcome::PartialPermit,
            (true, _) => Outcome::Deny,
        };
    }
}

impl ConsentLedger {
    /// Answer `question`. Infallible: anything not positively permitted is denied with a reason.
    /// An empty list of categories is a deny with nothing permitted.
    ///
    /// Reads only the records of the purpose asked about (`RecordsByPurpose`); decides how
    /// each of those that covers the recipient stands at the moment asked about, once; then
    /// answers each category asked for, in category order, by the rules below.
    pub fn evaluate(&self, question: &Question) -> Decision {
        let person = PersonAt::of(self, question.at);
        // The categories asked for, each once, in category order: read from the question once,
        // so a question repeating a category (the list is not bounded but by the input size) costs
        // one pass over it, not one per record.
        let asked: Vec<DataCategory> = DataCategory::ALL
            .into_iter()
            .filter(|c| question.categories.contains(c))
            .collect();
        let in_scope: Vec<InScope<'_>> = self
            .by_purpose
            .records_for(question.purpose)
            .iter()
            .filter(|r| covers_recipient(r, &question.recipient))
            .filter(|r| asked.iter().any(|c| r.categories.contains(c)))
            .filter_map(|r| {
                standing(r, &person).map(|standing| InScope {
                    record: r,
                    standing,
                })
            })
            .collect();
        let mut decision = Decision {
            case_id: self.subject.case_id.clone(),
            question: question.clone(),
            outcome: Outcome::Deny,
            permitted: Vec::new(),
            denied: Vec::new(),
            age: person.age,
            time_zone: self.subject.time_zone,
        };
        for category in asked {
            match self.answer_category(category, question.purpose, &in_scope) {
                Ok(permitted) => decision.permitted.push(permitted),
                Err(denied) => decision.denied.push(denied),
            }
        }
        decision.set_outcome();
        decision
    }

    /// One category: a refusal wins; else the consents that count permit it; else default deny.
    fn answer_category(
        &self,
        category: DataCategory,
        purpose: Purpose,
        in_scope: &[InScope<'_>],
    ) -> Result<PermittedCategory, DeniedCategory> {
        let covering = || {
            in_scope
                .iter()
                .filter(move |s| s.record.categories.contains(&category))
        };
        if let Some(reasons) = refusal_wins(covering()) {
            return Err(DeniedCategory { category, reasons });
        }
        let records: Vec<ConsentId> = covering()
            .filter(|s| matches!(s.standing, Standing::Counts))
            .map(|s| s.record.id.clone())
            .collect();
        if !records.is_empty() {
            return Ok(PermittedCategory {
                category,
                basis: PermitBasis::Consent { records },
            });
        }
        let reasons = default_deny(covering(), purpose, category, self.by_purpose.has_consents);
        Err(DeniedCategory { category, reasons })
    }

    /// Answer `question` under a documented emergency. Categories consent already permits stay
    /// as they are; the others may go to **emergency services only**, within the policy's
    /// window from the declaration. An explicit refusal still wins unless the policy says an
    /// emergency overrides refusals, and then each override is named. Record the decision in the
    /// audit log like any other.
    pub fn evaluate_emergency(
        &self,
        disclosure: &EmergencyDisclosure,
        question: &Question,
        now: Timestamp,
    ) -> Result<Decision, crate::error::ConsentError> {
        let mut v = Validator::new(now);
        disclosure.validate_with(&mut v);
        if disclosure.case_id != self.subject.case_id {
            v.report_at(
                "case_id",
                Reason::Invalid {
                    expected: format!("the ledger's case `{}`", self.subject.case_id),
                    value: disclosure.case_id.to_string(),
                },
            );
        }
        v.finish()?;
        let mut decision = self.evaluate(question);
        let window = chrono::Duration::hours(i64::from(self.policy.emergency_valid_hours));
        let active =
            disclosure.declared_at <= question.at && question.at < disclosure.declared_at + window;
        let to_emergency = question.recipient.kind == RecipientKind::EmergencyServices;
        let mut still_denied = Vec::new();
        for mut d in std::mem::take(&mut decision.denied) {
            let refusals: Vec<ConsentId> = d
                .reasons
                .iter()
                .filter_map(|r| match r {
                    DenyReason::ExplicitRefusal { record } => Some(record.clone()),
                    _ => None,
                })
                .collect();
            let refusal_blocks = !refusals.is_empty() && !self.policy.emergency_overrides_refusal;
            if to_emergency && active && !refusal_blocks {
                decision.permitted.push(PermittedCategory {
                    category: d.category,
                    basis: PermitBasis::Emergency {
                        disclosure_id: disclosure.id.clone(),
                        overrides: refusals,
                    },
                });
            } else {
                if !to_emergency {
                    d.reasons.push(DenyReason::NotEmergencyServices {
                        kind: question.recipient.kind,
                    });
                } else if !active {
                    d.reasons.push(DenyReason::EmergencyLapsed {
                        disclosure_id: disclosure.id.clone(),
                        declared_at: disclosure.declared_at,
                        valid_hours: self.policy.emergency_valid_hours,
                    });
                }
                still_denied.push(d);
            }
        }
        decision.denied = still_denied;
        decision.permitted.sort_by_key(|p| p.category);
        decision.set_outcome();
        Ok(decision)
    }
}

/// A documented life-threatening emergency, declared by a case worker. It permits disclosure to
/// emergency services only, for a limited window, and must say why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct EmergencyDisclosure {
    /// The record's id.
    pub id: EventId,
    /// The case.
    pub case_id: CaseId,
    /// Who declared it.
    pub declared_by: WorkerId,
    /// When.
    pub declared_at: Timestamp,
    /// The threat to life and why disclosure is needed (required).
    pub justification: String,
}

impl Validate for EmergencyDisclosure {
    fn validate_with(&self, v: &mut Validator) {
        v.not_future("declared_at", self.declared_at);
        v.text(
            "justification",
            &self.justification,
            crate::record::MAX_TEXT,
        );
    }
}

// ---- the rules, in the order of docs/rules.md ("Consent") ------------------------------

/// The person at the moment asked about: her age on her calendar and what follows from it.
struct PersonAt {
    /// The moment asked about.
    at: Timestamp,
    /// Her age then, on her calendar; `None` when her birth is unknown.
    age: Option<u32>,
    /// Whether she is of age (an unknown age counts as a child, the safer answer).
    adult: bool,
    /// Whether her own assent is needed besides the consent given for her (from the assent
    /// age; an unknown age needs it).
    needs_assent: bool,
    /// The policy's assent age, for the reason that names it.
    assent_from_age: u32,
    /// The day she comes (or came) of age, when her birth is known.
    majority_on: Option<NaiveDate>,
}

impl PersonAt {
    fn of(ledger: &ConsentLedger, at: Timestamp) -> Self {
        let birth = ledger.subject.birth;
        let policy = &ledger.policy;
        let age = birth.and_then(|b| b.age_at(at, ledger.subject.calendar()));
        Self {
            at,
            age,
            adult: age.is_some_and(|a| a >= policy.age_of_majority),
            needs_assent: age.is_none_or(|a| a >= policy.assent_from_age),
            assent_from_age: policy.assent_from_age,
            majority_on: birth.and_then(|b| b.birthday(policy.age_of_majority)),
        }
    }
}

/// How a record in scope of a question stands at the moment asked about.
enum Standing {
    /// A refusal in force: it denies every category it covers.
    Refuses,
    /// A consent that counts.
    Counts,
    /// A consent that does not count, and why (the reason a denied category gives).
    DoesNotCount(DenyReason),
}

/// A record in scope of a question (its purpose and recipient), with how it stands.
struct InScope<'a> {
    record: &'a IndexedRecord,
    standing: Standing,
}

/// **Per recipient** (docs/rules.md, Consent: "the recipients (named organisations, kinds of
/// organisation, or any)"): a record covers a recipient it names by organisation id, by kind,
/// or as any recipient. (Per purpose is the index itself, `RecordsByPurpose`; per data
/// category is the record's set of categories.)
fn covers_recipient(r: &IndexedRecord, recipient: &Recipient) -> bool {
    r.any_recipient
        || r.kinds.contains(&recipient.kind)
        || r.organizations.contains(&recipient.organization_id)
}

/// How record `r`, in scope of the question, stands for `person` at the moment asked about:
/// a refusal in force refuses, one not in force says nothing (`None`); a consent counts when
/// it is in force and given by someone who can consent for her then.
fn standing(r: &IndexedRecord, person: &PersonAt) -> Option<Standing> {
    match r.kind {
        RecordKind::Refusal => in_force(r, person.at).is_ok().then_some(Standing::Refuses),
        RecordKind::Consent => Some(
            match in_force(r, person.at).and_then(|()| can_consent_for_her(r, person)) {
                Ok(()) => Standing::Counts,
                Err(why) => Standing::DoesNotCount(why),
            },
        ),
    }
}

/// **A refusal always wins** (docs/rules.md, Consent: "an explicit refusal beats any
/// permission"): every refusal in force that covers the category denies it, whatever consents
/// are on file, and each is named. `None` when no refusal covers it.
fn refusal_wins<'s, 'r: 's>(
    covering: impl Iterator<Item = &'s InScope<'r>>,
) -> Option<Vec<DenyReason>> {
    let reasons: Vec<DenyReason> = covering
        .filter(|s| matches!(s.standing, Standing::Refuses))
        .map(|s| DenyReason::ExplicitRefusal {
            record: s.record.id.clone(),
        })
        .collect();
    (!reasons.is_empty()).then_some(reasons)
}

/// **In force**: a record counts from the moment it was given until it is revoked or expires,
/// checked in that order (not yet granted, revoked, expired).
fn in_force(r: &IndexedRecord, at: Timestamp) -> Result<(), DenyReason> {
    if at < r.granted_at {
        return Err(DenyReason::NotYetGranted {
            record: r.id.clone(),
            granted_at: r.granted_at,
        });
    }
    if let Some(revoked_at) = revoked_by(r, at) {
        return Err(DenyReason::Revoked {
            record: r.id.clone(),
            revoked_at,
        });
    }
    if let Some(expired_at) = expired_by(r, at) {
        return Err(DenyReason::Expired {
            record: r.id.clone(),
            expired_at,
        });
    }
    Ok(())
}

/// **Revocation takes effect at once** (docs/rules.md, Consent, "Revocation"): from the moment
/// of revocation on, the record no longer counts (a revoked refusal no longer refuses). The
/// moment it was revoked, when that is by `at`.
fn revoked_by(r: &IndexedRecord, at: Timestamp) -> Option<Timestamp> {
    r.revoked_at.filter(|revoked_at| *revoked_at <= at)
}

/// **Expiry**: a record lapses at its `expires_at`, exclusive (at that moment it no longer
/// holds). The expiry is a moment, not a day: an expiry at local midnight of the person's
/// calendar (docs/rules.md, "Time is local") is the instant that day begins there, and the
/// read-back and explanations give it as her local date. The moment it expired, when that is
/// by `at`.
fn expired_by(r: &IndexedRecord, at: Timestamp) -> Option<Timestamp> {
    r.expires_at.filter(|expires_at| *expires_at <= at)
}

/// **Children and guardians** (docs/rules.md, Consent, "Children"): who can consent for her
/// at the moment asked about, by her age then on her local date (an unknown birth counts as a
/// child): an adult by [`adult_consents`], a child by [`child_consents`].
fn can_consent_for_her(r: &IndexedRecord, person: &PersonAt) -> Result<(), DenyReason> {
    if person.adult {
        adult_consents(r, person)
    } else {
        child_consents(r, person)
    }
}

/// An adult consents for herself, or a legal representative does. At majority the consents
/// given on her behalf while she was a child stop counting: re-consent is due. A guardian's
/// consent given when she was already an adult never counted: only a legal representative can
/// consent for an adult.
fn adult_consents(r: &IndexedRecord, person: &PersonAt) -> Result<(), DenyReason> {
    match r.giver {
        Giver::Person => Ok(()),
        Giver::LegalRepresentative if !r.given_while_a_child => Ok(()),
        Giver::Guardian | Giver::ImplicatedGuardian(_) | Giver::UnknownGuardian
            if !r.given_while_a_child =>
        {
            Err(guardian_for_adult(r, person))
        }
        _ => Err(DenyReason::ReConsentDueAtMajority {
            record: r.id.clone(),
            majority_on: person.majority_on,
        }),
    }
}

/// The reason a guardian's consent given for an adult does not count, naming the day she
/// came of age.
fn guardian_for_adult(r: &IndexedRecord, person: &PersonAt) -> DenyReason {
    match person.majority_on {
        Some(adult_since) => DenyReason::GuardianForAdult {
            record: r.id.clone(),
            adult_since,
        },
        // INVARIANT: a record was given while she was an adult only when her birth is known,
        // so the day of majority exists (`birthday` fails only past chrono's range). Were it
        // unknown, the answer is still a denial, the other reason a consent given on her
        // behalf gives, with `majority_on: None` saying the day is not known.
        None => DenyReason::ReConsentDueAtMajority {
            record: r.id.clone(),
            majority_on: None,
        },
    }
}

/// For a child, a guardian of the case who is not implicated in the harm, a legal
/// representative, or a best-interest determination by a case worker the policy authorises
/// consents, with the child's assent ([`assent_given`]). The child alone cannot, nor can a
/// guardian implicated in the harm.
fn child_consents(r: &IndexedRecord, person: &PersonAt) -> Result<(), DenyReason> {
    match &r.giver {
        Giver::Person | Giver::UnknownGuardian => Err(DenyReason::GuardianConsentMissing {
            record: r.id.clone(),
            age: person.age,
        }),
        Giver::ImplicatedGuardian(guardian) => Err(DenyReason::GuardianImplicated {
            record: r.id.clone(),
            guardian: guardian.clone(),
        }),
        Giver::UnauthorisedBestInterest(worker_id) => Err(DenyReason::BestInterestNotAuthorised {
            record: r.id.clone(),
            worker_id: worker_id.clone(),
        }),
        Giver::Guardian | Giver::LegalRepresentative | Giver::BestInterest => {
            assent_given(r, person)
        }
    }
}

/// **A child's own assent**: from the policy's assent age (12 by default; an unknown age counts
/// as old enough), the child must have assented by the moment asked about.
fn assent_given(r: &IndexedRecord, person: &PersonAt) -> Result<(), DenyReason> {
    let assented = r.assent_at.is_some_and(|given_at| given_at <= person.at);
    if person.needs_assent && !assented {
        return Err(DenyReason::AssentMissing {
            record: r.id.clone(),
            age: person.age,
            assent_from_age: person.assent_from_age,
        });
    }
    Ok(())
}

/// **Default deny** (docs/rules.md, Consent: "Default deny"): a category no consent permits is
/// denied with the reason of every covering consent that came close, in record order; when
/// none came close, "out of scope" if the ledger holds any consent, else "none given".
fn default_deny<'s, 'r: 's>(
    covering: impl Iterator<Item = &'s InScope<'r>>,
    purpose: Purpose,
    category: DataCategory,
    has_consents: bool,
) -> Vec<DenyReason> {
    let mut reasons: Vec<DenyReason> = covering
        .filter_map(|s| match &s.standing {
            Standing::DoesNotCount(why) => Some(why.clone()),
            Standing::Refuses | Standing::Counts => None,
        })
        .collect();
    if reasons.is_empty() {
        reasons.push(if has_consents {
            DenyReason::OutOfScope { purpose, category }
        } else {
            DenyReason::NoneGiven
        });
    }
    reasons
}
