//! Decisions: may this recipient receive these data categories for this purpose at this time?
//!
//! The rules, per category asked for:
//! 1. An explicit refusal in force that covers the purpose, the recipient and the category
//!    denies it, whatever else is on file.
//! 2. Otherwise the category may go when at least one consent in force covers the purpose, the
//!    recipient and the category, given by someone who can consent for the person at that
//!    moment: the person (an adult), a legal representative, or — for a child — a guardian who
//!    is not implicated in the harm or a best-interest determination by an authorised case
//!    worker, each with the child's assent from the policy's assent age. Guardian-given consents
//!    stop counting on the 18th birthday.
//! 3. Otherwise it is denied, with the reason of every record that came close (expired,
//!    revoked, guardian missing, assent missing, re-consent due), or "out of scope", or "none
//!    given". Default deny.
//!
//! Age is taken at the moment of the question, on the calendar of the person's place
//! ([`crate::ConsentSubject::time_zone`]: at 00:30 in Dhaka on the 18th birthday she is 18);
//! an unknown birth counts as a child. A guardian's consent recorded when the person was
//! already an adult never counts: only a legal representative can consent for an adult.

use crate::ledger::{kind_bit, time_key, Compiled, ConsentLedger, Giver};
use crate::record::{DataCategory, Purpose, Recipient, RecipientKind, RecipientScope};
use beside_core::{
    CaseId, ConsentId, EventId, PersonId, Reason, TimeZone, Timestamp, Validate, Validator,
    WorkerId,
};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A question put to the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[serde(deny_unknown_fields)]
pub struct PermittedCategory {
    /// The category.
    pub category: DataCategory,
    /// Why it may go.
    pub basis: PermitBasis,
}

/// Why a category may not go. The code is stable; the fields are the figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[serde(deny_unknown_fields)]
pub struct DeniedCategory {
    /// The category.
    pub category: DataCategory,
    /// Why not (never empty).
    pub reasons: Vec<DenyReason>,
}

/// The answer to a [`Question`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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

/// Covering records kept on the stack during one decision before spilling to the heap.
const INLINE_HITS: usize = 32;

/// How one covering record stands at the moment asked about. Kept small and free of ids so
/// that only the reasons of categories actually denied are ever built.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hit {
    Refuses,
    Counts,
    Fails(Fail),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Fail {
    NotYetGranted,
    Revoked,
    Expired,
    ReConsentDue,
    GuardianForAdult,
    GuardianMissing,
    GuardianImplicated,
    BestInterestNotAuthorised,
    AssentMissing,
}

/// A covering record: its index, the categories asked for that it covers, how it stands.
type Covering = (u16, u16, Hit);

impl ConsentLedger {
    /// Answer `question`. Infallible: anything not positively permitted is denied with a reason.
    /// An empty list of categories is a deny with nothing permitted.
    pub fn evaluate(&self, question: &Question) -> Decision {
        let asked = DataCategory::mask(&question.categories);
        let at = time_key(question.at);
        let age = self
            .subject
            .birth
            .and_then(|b| b.age_at(question.at, self.subject.calendar()));
        let adult = age.is_some_and(|a| a >= self.policy.age_of_majority);
        let needs_assent = age.is_none_or(|a| a >= self.policy.assent_from_age);
        let index = &self.index;
        let kind = kind_bit(question.recipient.kind);
        let org = index.org(&question.recipient.organization_id);
        let org_bit = org.map_or(0, |i| {
            1u64.checked_shl(u32::try_from(i).unwrap_or(u32::MAX))
                .unwrap_or(0)
        });
        // Only an organisation beyond the first 64 needs the records' own lists read.
        let far_org = org.is_some() && org_bit == 0;

        let mut refused = 0u16;
        let mut permitted = 0u16;
        // Every covering record: on the stack for the usual few dozen, spilling beyond.
        let mut inline: [Covering; INLINE_HITS] = [(0, 0, Hit::Refuses); INLINE_HITS];
        let mut n_inline = 0usize;
        let mut spilled: Vec<Covering> = Vec::new();

        let candidates = index
            .by_purpose
            .get(question.purpose as usize)
            .map_or(&[][..], Vec::as_slice);
        for &i in candidates {
            let Some(c) = index.compiled.get(usize::from(i)) else {
                continue;
            };
            let m = c.categories & asked;
            if m == 0
                || (c.kinds & kind == 0
                    && c.orgs & org_bit == 0
                    && !(far_org && c.far_orgs && self.names_org(i, &question.recipient)))
            {
                continue;
            }
            let hit = if c.refusal {
                if at < c.granted || c.expires <= at || c.revoked <= at {
                    continue;
                }
                refused |= m;
                Hit::Refuses
            } else {
                match standing(c, at, adult, needs_assent) {
                    None => {
                        permitted |= m;
                        Hit::Counts
                    }
                    Some(fail) => Hit::Fails(fail),
                }
            };
            match inline.get_mut(n_inline) {
                Some(slot) => {
                    *slot = (i, m, hit);
                    n_inline += 1;
                }
                None => spilled.push((i, m, hit)),
            }
        }

        let permit = asked & permitted & !refused;
        let deny = asked & !permit;
        let mut decision = Decision {
            case_id: self.subject.case_id.clone(),
            question: question.clone(),
            outcome: Outcome::Deny,
            permitted: Vec::with_capacity(permit.count_ones() as usize),
            denied: Vec::with_capacity(deny.count_ones() as usize),
            age,
            time_zone: self.subject.time_zone,
        };
        let hits = inline.get(..n_inline).unwrap_or(&[]);
        let hits: &[Covering] = if spilled.is_empty() {
            hits
        } else {
            spilled.splice(0..0, hits.iter().copied());
            &spilled
        };
        for category in DataCategory::ALL {
            let bit = category.bit();
            if asked & bit == 0 {
                continue;
            }
            // Plain loops with exact capacities: this is the part of a decision that allocates.
            if refused & bit != 0 {
                let refuses = |&&(_, m, h): &&Covering| m & bit != 0 && h == Hit::Refuses;
                let mut reasons = Vec::with_capacity(hits.iter().filter(refuses).count());
                for &(i, _, _) in hits.iter().filter(refuses) {
                    if let Some(r) = self.records.get(usize::from(i)) {
                        reasons.push(DenyReason::ExplicitRefusal {
                            record: r.id.clone(),
                        });
                    }
                }
                decision.denied.push(DeniedCategory { category, reasons });
            } else if permitted & bit != 0 {
                let counts = |&&(_, m, h): &&Covering| m & bit != 0 && h == Hit::Counts;
                let mut records = Vec::with_capacity(hits.iter().filter(counts).count());
                for &(i, _, _) in hits.iter().filter(counts) {
                    if let Some(r) = self.records.get(usize::from(i)) {
                        records.push(r.id.clone());
                    }
                }
                decision.permitted.push(PermittedCategory {
                    category,
                    basis: PermitBasis::Consent { records },
                });
            } else {
                let fails = |&&(_, m, h): &&Covering| m & bit != 0 && matches!(h, Hit::Fails(_));
                let n = hits.iter().filter(fails).count();
                let mut reasons = Vec::with_capacity(n.max(1));
                for &(i, _, h) in hits.iter().filter(fails) {
                    if let Hit::Fails(f) = h {
                        reasons.extend(self.reason(usize::from(i), f, age));
                    }
                }
                if reasons.is_empty() {
                    reasons.push(if index.has_consents {
                        DenyReason::OutOfScope {
                            purpose: question.purpose,
                            category,
                        }
                    } else {
                        DenyReason::NoneGiven
                    });
                }
                decision.denied.push(DeniedCategory { category, reasons });
            }
        }
        decision.set_outcome();
        decision
    }

    /// Whether record `index` names the recipient's organisation (read from the record itself:
    /// only for organisations beyond the first 64 a ledger names).
    fn names_org(&self, index: u16, recipient: &Recipient) -> bool {
        self.records
            .get(usize::from(index))
            .is_some_and(|r| {
                r.recipients.iter().any(|s| {
                    matches!(s, RecipientScope::Organization { id } if *id == recipient.organization_id)
                })
            })
    }

    /// The reason a failing record gives, built only for categories that are denied.
    fn reason(&self, index: usize, fail: Fail, age: Option<u32>) -> Option<DenyReason> {
        let r = self.records.get(index)?;
        let record = r.id.clone();
        Some(match fail {
            Fail::NotYetGranted => DenyReason::NotYetGranted {
                record,
                granted_at: r.granted_at,
            },
            Fail::Revoked => DenyReason::Revoked {
                record,
                revoked_at: r.revoked.as_ref().map_or(r.granted_at, |x| x.at),
            },
            Fail::Expired => DenyReason::Expired {
                record,
                expired_at: r.expires_at.unwrap_or(r.granted_at),
            },
            Fail::ReConsentDue => DenyReason::ReConsentDueAtMajority {
                record,
                majority_on: self
                    .subject
                    .birth
                    .and_then(|b| b.birthday(self.policy.age_of_majority)),
            },
            Fail::GuardianForAdult => {
                match self
                    .subject
                    .birth
                    .and_then(|b| b.birthday(self.policy.age_of_majority))
                {
                    Some(adult_since) => DenyReason::GuardianForAdult {
                        record,
                        adult_since,
                    },
                    // INVARIANT: a record is `GuardianForAdult` only when the birth is known
                    // and the person was of age when it was given, so the birthday exists
                    // (chrono's range aside). Should it not, the other on-behalf reason is
                    // still a refusal, and `majority_on: None` says the day is unknown.
                    None => DenyReason::ReConsentDueAtMajority {
                        record,
                        majority_on: None,
                    },
                }
            }
            Fail::GuardianMissing => DenyReason::GuardianConsentMissing { record, age },
            Fail::GuardianImplicated => match self.index.compiled.get(index).map(|c| c.giver) {
                Some(Giver::ImplicatedGuardian(g)) => match self.subject.guardians.get(g) {
                    Some(g) => DenyReason::GuardianImplicated {
                        record,
                        guardian: g.person_id.clone(),
                    },
                    None => DenyReason::GuardianConsentMissing { record, age },
                },
                _ => DenyReason::GuardianConsentMissing { record, age },
            },
            Fail::BestInterestNotAuthorised => match &r.given_by {
                crate::record::GivenBy::BestInterest { determination } => {
                    DenyReason::BestInterestNotAuthorised {
                        record,
                        worker_id: determination.worker_id.clone(),
                    }
                }
                _ => DenyReason::GuardianConsentMissing { record, age },
            },
            Fail::AssentMissing => DenyReason::AssentMissing {
                record,
                age,
                assent_from_age: self.policy.assent_from_age,
            },
        })
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
                .filter(|r| matches!(r, DenyReason::ExplicitRefusal { .. }))
                .filter_map(|r| r.record().cloned())
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

/// Why a covering consent does not count at `at` (a [`time_key`]), or `None` when it does.
fn standing(c: &Compiled, at: i128, adult: bool, needs_assent: bool) -> Option<Fail> {
    if at < c.granted {
        return Some(Fail::NotYetGranted);
    }
    if c.revoked <= at {
        return Some(Fail::Revoked);
    }
    if c.expires <= at {
        return Some(Fail::Expired);
    }
    if adult {
        return match c.giver {
            Giver::Person => None,
            Giver::LegalRepresentative => c.granted_as_minor.then_some(Fail::ReConsentDue),
            // Given by a guardian when the person was already an adult: it never counted.
            Giver::Guardian | Giver::ImplicatedGuardian(_) | Giver::UnknownGuardian
                if !c.granted_as_minor =>
            {
                Some(Fail::GuardianForAdult)
            }
            _ => Some(Fail::ReConsentDue),
        };
    }
    match c.giver {
        Giver::Person | Giver::UnknownGuardian => return Some(Fail::GuardianMissing),
        Giver::ImplicatedGuardian(_) => return Some(Fail::GuardianImplicated),
        Giver::UnauthorisedBestInterest => return Some(Fail::BestInterestNotAuthorised),
        Giver::Guardian | Giver::LegalRepresentative | Giver::BestInterest => {}
    }
    if needs_assent && at < c.assent {
        return Some(Fail::AssentMissing);
    }
    None
}
